/*
 * app_events.c - where the UI thread's events come from: SDL input
 * translated into struct ui_event (the one place: screens never see SDL),
 * app_post() from other threads, and worker jobs whose results come back
 * as UI_JOB_DONE.  Posts and job results travel as SDL user events that
 * carry a heap struct ui_event; wake() rouses a loop that waits on the
 * condition variable (drivers that cannot wait natively).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "xmalloc.h"

/* ---- posts ---- */

void
app_free_user_event(SDL_Event *e)
{
	struct ui_event *ev = e->user.data1;

	if (ev == NULL)
		return;
	if (ev->data != NULL) {
		if (ev->free_data != NULL)
			ev->free_data(ev->data);
		else
			free(ev->data);
	}
	free(ev);
}


static void
wake(struct app *app)
{
	SDL_LockMutex(app->mu);
	app->wakeups++;
	SDL_CondSignal(app->cv);
	SDL_UnlockMutex(app->mu);
}

static int
push_user(struct app *app, struct ui_event *ev)
{
	SDL_Event e;

	memset(&e, 0, sizeof(e));
	e.type = app->ev_user;
	e.user.data1 = ev;
	if (SDL_PushEvent(&e) != 1)
		return K_EBUSY;
	wake(app);
	return K_OK;
}

int
app_post(struct app *app, int code, void *data, void (*free_data)(void *))
{
	struct ui_event *ev = xcalloc(1, sizeof(*ev));

	ev->type = UI_NOTIFY;
	ev->code = code;
	ev->data = data;
	ev->free_data = free_data;
	if (push_user(app, ev) != K_OK) {
		SDL_Event e;
		e.user.data1 = ev;
		app_free_user_event(&e);
		return K_EBUSY;
	}
	return K_OK;
}

/* ---- SDL input ---- */

static enum ui_key
map_key(const SDL_KeyboardEvent *k)
{
	switch (k->keysym.sym) {
	case SDLK_0: case SDLK_KP_0: return UI_KEY_0;
	case SDLK_1: case SDLK_KP_1: return UI_KEY_1;
	case SDLK_2: case SDLK_KP_2: return UI_KEY_2;
	case SDLK_3: case SDLK_KP_3: return UI_KEY_3;
	case SDLK_4: case SDLK_KP_4: return UI_KEY_4;
	case SDLK_5: case SDLK_KP_5: return UI_KEY_5;
	case SDLK_6: case SDLK_KP_6: return UI_KEY_6;
	case SDLK_7: case SDLK_KP_7: return UI_KEY_7;
	case SDLK_8: case SDLK_KP_8: return UI_KEY_8;
	case SDLK_9: case SDLK_KP_9: return UI_KEY_9;
	case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_SPACE:
		return UI_KEY_ENTER;
	case SDLK_BACKSPACE: case SDLK_DELETE: case SDLK_KP_PERIOD:
		return UI_KEY_CLEAR;
	case SDLK_ESCAPE: return UI_KEY_CANCEL;
	case SDLK_UP: return UI_KEY_UP;
	case SDLK_DOWN: return UI_KEY_DOWN;
	case SDLK_LEFT: return UI_KEY_LEFT;
	case SDLK_RIGHT: return UI_KEY_RIGHT;
	case SDLK_TAB:
		return (k->keysym.mod & KMOD_SHIFT) ? UI_KEY_BACKTAB :
		    UI_KEY_TAB;
	case SDLK_PLUS: case SDLK_KP_PLUS: return UI_KEY_PLUS;
	case SDLK_MINUS: case SDLK_KP_MINUS: return UI_KEY_MINUS;
	case SDLK_ASTERISK: case SDLK_KP_MULTIPLY: case SDLK_F1:
		return UI_KEY_HELP;
	case SDLK_HASH: case SDLK_KP_HASH: case SDLK_KP_DIVIDE: case SDLK_F2:
		return UI_KEY_REPEAT;
	default: return UI_KEY_NONE;
	}
}

void
app_tap(struct app *app, enum ui_tap_phase phase, int x, int y)
{
	struct ui_event ev = { .type = UI_TAP, .phase = phase, .x = x,
	    .y = y };

	app_deliver(app, &ev);
}

static void
finger_xy(struct app *app, const SDL_TouchFingerEvent *f, int *x, int *y)
{
	struct ui_rect s = ui_screen(app->ui);

	*x = (int)(f->x * (float)s.w);
	*y = (int)(f->y * (float)s.h);
}

/* The one place SDL input becomes struct ui_event. */
void
app_translate(struct app *app, SDL_Event *e)
{
	int x, y;

	switch (e->type) {
	case SDL_QUIT:
		app_quit(app, 0);
		return;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			app_update_size(app);
		else if (e->window.event == SDL_WINDOWEVENT_EXPOSED)
			app->dirty = app->force = true;
		return;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		lru_clear(text_cache(ui_text_engine(app->ui)));
		app->dirty = app->force = true;
		return;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which == SDL_TOUCH_MOUSEID ||
		    e->button.button != SDL_BUTTON_LEFT || app->finger_down)
			return;
		app->mouse_down = true;
		app_tap(app, UI_TAP_PRESS, e->button.x, e->button.y);
		return;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID || !app->mouse_down)
			return;
		app_tap(app, UI_TAP_MOVE, e->motion.x, e->motion.y);
		return;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID ||
		    e->button.button != SDL_BUTTON_LEFT || !app->mouse_down)
			return;
		app->mouse_down = false;
		app_tap(app, UI_TAP_RELEASE, e->button.x, e->button.y);
		return;
	case SDL_FINGERDOWN:
		/* one finger at a time: no gesture needs two (R2.5) */
		if (app->finger_down || app->mouse_down)
			return;
		app->finger_down = true;
		app->finger = e->tfinger.fingerId;
		finger_xy(app, &e->tfinger, &x, &y);
		app_tap(app, UI_TAP_PRESS, x, y);
		return;
	case SDL_FINGERMOTION:
		if (!app->finger_down || e->tfinger.fingerId != app->finger)
			return;
		finger_xy(app, &e->tfinger, &x, &y);
		app_tap(app, UI_TAP_MOVE, x, y);
		return;
	case SDL_FINGERUP:
		if (!app->finger_down || e->tfinger.fingerId != app->finger)
			return;
		app->finger_down = false;
		finger_xy(app, &e->tfinger, &x, &y);
		app_tap(app, UI_TAP_RELEASE, x, y);
		return;
	case SDL_KEYDOWN: {
		/* the staff's key switch (kiosk.exit_key): the one way out;
		 * kiosk-ui.service does not restart after this status */
		if (app->exit_key != SDLK_UNKNOWN &&
		    e->key.keysym.sym == app->exit_key) {
			klog("info", "app", "staff exit key: leaving the kiosk");
			app_quit(app, APP_EXIT_STAFF);
			return;
		}
		/* no auto-repeat (R6.7) */
		enum ui_key k = e->key.repeat ? UI_KEY_NONE : map_key(&e->key);
		app->key_char = 0;
		if (k != UI_KEY_NONE) {
			struct ui_event ev = { .type = UI_KEY, .key = k };
			if (k >= UI_KEY_0 && k <= UI_KEY_9)
				app->key_char = (char)('0' + (k - UI_KEY_0));
			else if (e->key.keysym.sym == SDLK_SPACE)
				app->key_char = ' ';
			app_deliver(app, &ev);
		}
		return;
	}
	case SDL_TEXTINPUT: {
		/* the text of a key press that already came as a UI_KEY is not
		 * delivered twice; the rest (a scanner's "APPT:") is UI_TEXT */
		struct ui_event ev = { .type = UI_TEXT };
		bool twin = app->key_char != 0 && e->text.text[0] ==
		    app->key_char && e->text.text[1] == '\0';

		app->key_char = 0;
		if (twin || e->text.text[0] == '\0')
			return;
		snprintf(ev.text, sizeof(ev.text), "%s", e->text.text);
		app_deliver(app, &ev);
		return;
	}
	default:
		if (e->type == app->ev_user) {
			struct ui_event *ev = e->user.data1;
			app_deliver(app, ev);
			free(ev);
		}
		return;
	}
}

/* ---- jobs ---- */

struct job {
	struct app *app;
	app_job_fn *fn;
	void *arg;
	struct ui_event *ev;
};

static int
job_main(void *p)
{
	struct job *j = p;
	struct app *app = j->app;

	j->ev->rc = j->fn(j->ev, j->arg);
	if (push_user(app, j->ev) != K_OK) {
		SDL_Event e;
		klog("error", "app", "job %d result lost: event queue full",
		    j->ev->job);
		e.user.data1 = j->ev;
		app_free_user_event(&e);
	}
	free(j);
	(void)SDL_AtomicDecRef(&app->running);
	wake(app);
	return 0;
}

int
app_spawn(struct app *app, app_job_fn *fn, void *arg)
{
	struct job *j = xcalloc(1, sizeof(*j));
	SDL_Thread *th;
	int id = SDL_AtomicAdd(&app->next_job, 1) + 1;

	j->app = app;
	j->fn = fn;
	j->arg = arg;
	j->ev = xcalloc(1, sizeof(*j->ev));
	j->ev->type = UI_JOB_DONE;
	j->ev->job = id;
	(void)SDL_AtomicIncRef(&app->running);
	th = SDL_CreateThread(job_main, "kiosk-job", j);
	if (th == NULL) {
		/* no thread: report the failure as the job's result */
		klog("error", "app", "job thread: %s", SDL_GetError());
		j->ev->rc = kerr_set(&j->ev->err, K_EFAIL, "no worker thread: "
		    "%s", SDL_GetError());
		push_user(app, j->ev);
		free(j);
		(void)SDL_AtomicDecRef(&app->running);
		return id;
	}
	SDL_DetachThread(th);
	return id;
}

int
app_jobs_running(const struct app *app)
{
	return SDL_AtomicGet((SDL_atomic_t *)&app->running);
}
