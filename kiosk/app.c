/*
 * app.c - the UI thread's core: clock, SDL start-up, the screen stack,
 * timers, idle, delivery of one event, redraw on demand and the loop.
 * Where events come from is app_events.c; the test script's commands and
 * driver are app_script.c; SDL's big buffers app_alloc.c (app_int.h).
 *
 * The loop draws only when something changed and otherwise sleeps until the
 * next input, timer or job result: with x11/wayland in SDL_WaitEventTimeout,
 * with drivers that cannot wait (offscreen, kmsdrm) on a condition variable
 * that posters signal, polling input every POLL_MS where there is input.
 * Never blocks on I/O; never includes a screen's header.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app_int.h"
#include "config.h"
#include "xmalloc.h"

/* ---- clock ---- */

uint64_t
app_now_ms(const struct app *app)
{
	if (app->scripted)
		return app->fake_ms;
	return SDL_GetTicks64() + FAKE_START_MS;
}

int64_t
app_wall_ms(const struct app *app)
{
	struct timespec ts;

	if (app->scripted)
		return app->wall_base + (int64_t)app->fake_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
app_scripted(const struct app *app)
{
	return app->scripted;
}

/* ---- start and stop ---- */

static int
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

void
app_update_size(struct app *app)
{
	int w, h;

	if (SDL_GetRendererOutputSize(app->ren, &w, &h) == 0)
		ui_set_size(app->ui, w, h);
	app->dirty = true;
	app->force = true;
}

int
app_new(struct app **out, const struct config *cfg,
    const struct app_options *opt, struct kerr *err)
{
	struct app *app;
	const char *driver;
	Uint32 flags = SDL_WINDOW_SHOWN;
	int w, h, rc;

	*out = NULL;
	app = xcalloc(1, sizeof(*app));
	app->cfg = cfg;
	app->opt = *opt;
	app->scripted = opt->script != NULL;
	app->fake_ms = FAKE_START_MS;
	app->wall_base = FAKE_WALL_MS - FAKE_START_MS;
	app->idle_timeout = (uint64_t)config_int(cfg, "kiosk.idle_timeout_s") *
	    1000;
	app->status = 0;
	app_install_allocator();

	if (app->scripted) {
		if ((rc = script_load(&app->script, opt->script, err)) != K_OK) {
			free(app);
			return rc;
		}
		if (opt->screenshots != NULL && mkdirs(opt->screenshots) != 0) {
			rc = kerr_set(err, K_EIO, "screenshots folder %s: %s",
			    opt->screenshots, strerror(errno));
			script_free(&app->script);
			free(app);
			return rc;
		}
		/* headless unless the caller chose a driver */
		if (getenv("SDL_VIDEODRIVER") == NULL)
			setenv("SDL_VIDEODRIVER", "offscreen", 1);
	}
	/* the software renderer draws into the window's own framebuffer; a
	 * GL texture behind it would load a GPU stack (Mesa) for nothing */
	if (app->scripted || (getenv("SDL_VIDEODRIVER") != NULL &&
	    strcmp(getenv("SDL_VIDEODRIVER"), "offscreen") == 0))
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	/* touch is handled as touch; no synthetic mouse events either way */
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		rc = kerr_set(err, K_ENODEV, "SDL video start-up failed: %s "
		    "(no display? SDL_VIDEODRIVER=%s)", SDL_GetError(),
		    getenv("SDL_VIDEODRIVER") ? getenv("SDL_VIDEODRIVER") :
		    "(auto)");
		script_free(&app->script);
		free(app);
		return rc;
	}
	driver = SDL_GetCurrentVideoDriver();
	app->native_wait = driver != NULL && (strcmp(driver, "x11") == 0 ||
	    strcmp(driver, "wayland") == 0);
	app->poll_ms = driver != NULL && strcmp(driver, "offscreen") == 0 ?
	    0 : POLL_MS;

	w = opt->width > 0 ? opt->width : (int)config_int(cfg, "kiosk.width");
	h = opt->height > 0 ? opt->height :
	    (int)config_int(cfg, "kiosk.height");
	if (!app->scripted && !opt->windowed &&
	    config_bool(cfg, "kiosk.fullscreen"))
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	app->win = SDL_CreateWindow(opt->title ? opt->title : "kiosk",
	    SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (app->win == NULL) {
		rc = kerr_set(err, K_ENODEV, "window %dx%d on %s: %s", w, h,
		    driver ? driver : "?", SDL_GetError());
		goto fail;
	}
	/* no GPU offscreen: the software renderer; otherwise try the GPU */
	if (!app->scripted && strcmp(driver, "offscreen") != 0)
		app->ren = SDL_CreateRenderer(app->win, -1,
		    SDL_RENDERER_ACCELERATED);
	if (app->ren == NULL)
		app->ren = SDL_CreateRenderer(app->win, -1,
		    SDL_RENDERER_SOFTWARE);
	if (app->ren == NULL) {
		rc = kerr_set(err, K_ENODEV, "renderer on %s: %s", driver,
		    SDL_GetError());
		goto fail;
	}
	if (flags & SDL_WINDOW_FULLSCREEN_DESKTOP)
		SDL_ShowCursor(SDL_DISABLE);
	SDL_GetRendererOutputSize(app->ren, &w, &h);
	if ((rc = ui_new(&app->ui, cfg, app->ren, w, h, err)) != K_OK)
		goto fail;

	app->ev_user = SDL_RegisterEvents(1);
	app->mu = SDL_CreateMutex();
	app->cv = SDL_CreateCond();
	if (app->ev_user == (Uint32)-1 || app->mu == NULL || app->cv == NULL) {
		rc = kerr_set(err, K_EFAIL, "SDL events: %s", SDL_GetError());
		goto fail;
	}
	/* a QR scanner types like a USB keyboard: its letters and colon
	 * come only as text input (the idle and check-in screens read it) */
	SDL_StartTextInput();
	app->last_input = app_now_ms(app);
	app->dirty = true;
	app->exit_key = SDLK_UNKNOWN;
	if (config_str(cfg, "kiosk.exit_key")[0] != '\0') {
		app->exit_key = SDL_GetKeyFromName(config_str(cfg,
		    "kiosk.exit_key"));
		/* a typo must not stop the kiosk: it runs without an exit */
		if (app->exit_key == SDLK_UNKNOWN)
			klog("warn", "app", "kiosk.exit_key = '%s' is not a key "
			    "name SDL knows (e.g. F24): no staff exit key",
			    config_str(cfg, "kiosk.exit_key"));
	}
	klog("info", "app", "video %s, renderer %s, %dx%d, %.3f px/mm%s",
	    driver, app->scripted ? "software" : "auto", w, h,
	    config_double(cfg, "kiosk.px_per_mm"),
	    app->scripted ? ", scripted" : "");
	*out = app;
	return K_OK;
fail:
	app_free(app);
	return rc;
}

static void
leave_all(struct app *app)
{
	while (app->depth > 0) {
		struct entry *e = &app->stack[app->depth - 1];
		if (e->s->leave != NULL)
			e->s->leave(app);
		app->depth--;
	}
}

void
app_free(struct app *app)
{
	SDL_Event e;
	int waited = 0;

	if (app == NULL)
		return;
	leave_all(app);
	/* jobs still running hold app: wait for them, then drop results */
	while (SDL_AtomicGet(&app->running) > 0 && waited < JOB_SETTLE_MS) {
		SDL_Delay(10);
		waited += 10;
	}
	if (SDL_AtomicGet(&app->running) > 0)
		klog("warn", "app", "%d job(s) still running at exit",
		    SDL_AtomicGet(&app->running));
	if (app->ev_user != 0 && app->ev_user != (Uint32)-1 &&
	    SDL_WasInit(SDL_INIT_VIDEO))
		while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, app->ev_user,
		    app->ev_user) > 0)
			app_free_user_event(&e);
	ui_free(app->ui);
	if (app->ren != NULL)
		SDL_DestroyRenderer(app->ren);
	if (app->win != NULL)
		SDL_DestroyWindow(app->win);
	if (app->cv != NULL)
		SDL_DestroyCond(app->cv);
	if (app->mu != NULL)
		SDL_DestroyMutex(app->mu);
	script_free(&app->script);
	SDL_Quit();
	free(app);
}

const struct config *
app_config(const struct app *app)
{
	return app->cfg;
}

struct ui *
app_ui(struct app *app)
{
	return app->ui;
}

void
app_set_user(struct app *app, void *user)
{
	app->user = user;
}

void *
app_user(const struct app *app)
{
	return app->user;
}

void
app_quit(struct app *app, int status)
{
	app->quit = true;
	app->status = status;
}

void
app_invalidate(struct app *app)
{
	app->dirty = true;
}

/* ---- the screen stack ---- */

static struct entry *
top_entry(struct app *app)
{
	return app->depth > 0 ? &app->stack[app->depth - 1] : NULL;
}

const struct screen *
app_top(const struct app *app)
{
	return app->depth > 0 ? app->stack[app->depth - 1].s : NULL;
}

int
app_depth(const struct app *app)
{
	return app->depth;
}

const struct screen *
app_screen_at(const struct app *app, int i)
{
	return i >= 0 && i < app->depth ? app->stack[app->depth - 1 - i].s :
	    NULL;
}

static void
changed(struct app *app)
{
	ui_input_reset(app->ui);
	app->dirty = true;
}

void
app_push(struct app *app, const struct screen *s, void *arg)
{
	if (app->depth == STACK_MAX) {
		klog("error", "app", "screen stack full pushing %s (a bug)",
		    s->name);
		abort();
	}
	memset(&app->stack[app->depth], 0, sizeof(app->stack[0]));
	app->stack[app->depth++].s = s;
	changed(app);
	klog("debug", "app", "push %s", s->name);
	if (s->enter != NULL)
		s->enter(app, arg);
}

void
app_pop(struct app *app)
{
	struct entry *e = top_entry(app);

	if (e == NULL)
		return;
	klog("debug", "app", "pop %s", e->s->name);
	if (e->s->leave != NULL)
		e->s->leave(app);
	app->depth--;
	changed(app);
	if (app->depth == 0)
		app_quit(app, 0);
}

void
app_replace(struct app *app, const struct screen *s, void *arg)
{
	struct entry *e = top_entry(app);

	if (e == NULL) {
		app_push(app, s, arg);
		return;
	}
	klog("debug", "app", "replace %s by %s", e->s->name, s->name);
	if (e->s->leave != NULL)
		e->s->leave(app);
	memset(e, 0, sizeof(*e));
	e->s = s;
	changed(app);
	if (s->enter != NULL)
		s->enter(app, arg);
}

void
app_reset(struct app *app, const struct screen *s, void *arg)
{
	klog("debug", "app", "reset to %s", s->name);
	leave_all(app);
	app_push(app, s, arg);
}

/* ---- timers and idle ---- */

void
app_timer_set(struct app *app, int id, uint32_t ms, bool repeat)
{
	struct entry *e = top_entry(app);
	struct timer *free_slot = NULL;
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < TIMERS_MAX; i++) {
		if (e->t[i].used && e->t[i].id == id) {
			free_slot = &e->t[i];
			break;
		}
		if (!e->t[i].used && free_slot == NULL)
			free_slot = &e->t[i];
	}
	if (free_slot == NULL) {
		klog("error", "app", "screen %s has more than %d timers (a bug)",
		    e->s->name, TIMERS_MAX);
		abort();
	}
	free_slot->id = id;
	free_slot->used = true;
	free_slot->due = app_now_ms(app) + ms;
	free_slot->period = repeat ? (ms > 0 ? ms : 1) : 0;
}

void
app_timer_cancel(struct app *app, int id)
{
	struct entry *e = top_entry(app);
	int i;

	for (i = 0; e != NULL && i < TIMERS_MAX; i++)
		if (e->t[i].used && e->t[i].id == id)
			e->t[i].used = false;
}

/* One UI_TICK to the top screen.  Not inlined: `make bench` counts its
 * calls and instructions by name. */
static void tick(struct app *app, int id) __attribute__((noinline));

static void
tick(struct app *app, int id)
{
	struct ui_event ev = { .type = UI_TICK, .timer = id };

	app_deliver(app, &ev);
}

/* Deliver due timers of the top screen, earliest first. */
static void fire_timers(struct app *app) __attribute__((noinline));

static void
fire_timers(struct app *app)
{
	int guard;

	for (guard = 0; guard < 64; guard++) {
		struct entry *e = top_entry(app);
		struct timer *t = NULL;
		uint64_t now = app_now_ms(app);
		int i;

		if (e == NULL || app->quit)
			return;
		for (i = 0; i < TIMERS_MAX; i++)
			if (e->t[i].used && e->t[i].due <= now &&
			    (t == NULL || e->t[i].due < t->due))
				t = &e->t[i];
		if (t == NULL)
			return;
		if (t->period > 0) {
			t->due += t->period;
			if (t->due <= now)
				t->due = now + t->period;
		} else {
			t->used = false;
		}
		tick(app, t->id);
	}
}

void
app_idle_reset(struct app *app)
{
	app->last_input = app_now_ms(app);
	app->idle_sent = false;
}

void
app_idle_hold(struct app *app, bool hold)
{
	if (app->idle_hold && !hold)
		app_idle_reset(app);
	app->idle_hold = hold;
}

uint64_t
app_idle_ms(const struct app *app)
{
	return app_now_ms(app) - app->last_input;
}

static void
check_idle(struct app *app)
{
	if (app->idle_hold || app->idle_sent || app->depth == 0)
		return;
	if (app_now_ms(app) - app->last_input >= app->idle_timeout) {
		struct ui_event ev = { .type = UI_IDLE };
		app->idle_sent = true;
		app_deliver(app, &ev);
	}
}

/* The next moment something is due: a timer of the top screen or idle;
 * UINT64_MAX when nothing is. */
uint64_t
app_next_due(struct app *app)
{
	struct entry *e = top_entry(app);
	uint64_t due = UINT64_MAX;
	int i;

	for (i = 0; e != NULL && i < TIMERS_MAX; i++)
		if (e->t[i].used && e->t[i].due < due)
			due = e->t[i].due;
	if (!app->idle_hold && !app->idle_sent && app->depth > 0 &&
	    app->last_input + app->idle_timeout < due)
		due = app->last_input + app->idle_timeout;
	return due;
}

void
app_fire_due(struct app *app)
{
	fire_timers(app);
	check_idle(app);
}

/* ---- events ---- */

void
app_deliver(struct app *app, struct ui_event *ev)
{
	struct entry *e;

	ev->now_ms = app_now_ms(app);
	if (ev->type == UI_TAP || ev->type == UI_KEY || ev->type == UI_TEXT) {
		app->last_input = ev->now_ms;
		app->idle_sent = false;
		if (app->voice_key != NULL && app->voice_key(app, ev)) {
			app->dirty = true;
			return;
		}
		if (ui_input(app->ui, ev))
			app->dirty = true;
	}
	e = top_entry(app);
	if (e != NULL && e->s->event != NULL && e->s->event(app, ev))
		app->dirty = true;
	if (ev->data != NULL) {
		if (ev->free_data != NULL)
			ev->free_data(ev->data);
		else
			free(ev->data);
		ev->data = NULL;
	}
}

/* ---- the loop ---- */

static void
draw_entry(struct app *app, int i)
{
	const struct screen *s = app->stack[i].s;

	if (s->overlay && i > 0) {
		ui_set_inert(app->ui, true);
		draw_entry(app, i - 1);
		ui_set_inert(app->ui, false);
	}
	if (s->draw != NULL)
		s->draw(app, app->ui);
}

/*
 * Draw the frame of the top screen (no present).  Unless forced, a dry
 * pass first makes only the widget list: when it equals the frame on
 * screen nothing is rasterised and false is returned, so a screen that
 * asks for a redraw without changing anything costs almost nothing.  Not
 * inlined: `make bench` counts its instructions by name.
 */
static bool redraw(struct app *app, bool force) __attribute__((noinline));

static bool
redraw(struct app *app, bool force)
{
	uint64_t now = app_now_ms(app);

	app->dirty = false;
	if (!force && !app->force && app->presented) {
		ui_begin_dry(app->ui, now);
		if (app->depth > 0)
			draw_entry(app, app->depth - 1);
		if (ui_end_dry(app->ui))
			return false;
	}
	app->force = false;
	ui_begin_frame(app->ui, now);
	if (app->depth > 0)
		draw_entry(app, app->depth - 1);
	ui_end_frame(app->ui);
	if (app->voice_frame != NULL)
		app->voice_frame(app);
	return true;
}

void
app_set_voice(struct app *app, bool (*key)(struct app *, struct ui_event *),
    void (*frame)(struct app *))
{
	app->voice_key = key;
	app->voice_frame = frame;
}

static void present(struct app *app) __attribute__((noinline));

static void
present(struct app *app)
{
	SDL_RenderPresent(app->ren);
	if (!app->presented) {
		app->presented = true;
		/* for `make bench`: exec to first frame */
		if (getenv("KIOSK_FIRST_FRAME") != NULL) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			fprintf(stderr, "first-frame-realtime-ns %lld\n",
			    (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
		}
	}
}

/* redraw() and present() keep their short names: `make bench` collects
 * their instructions by name. */
bool
app_redraw(struct app *app, bool force)
{
	return redraw(app, force);
}

void
app_present(struct app *app)
{
	present(app);
}

/* Wait up to timeout ms (-1: no limit) for one SDL event. */
static int
wait_event(struct app *app, SDL_Event *e, int timeout)
{
	Uint64 start = SDL_GetTicks64();

	if (app->native_wait)
		return timeout < 0 ? SDL_WaitEvent(e) :
		    SDL_WaitEventTimeout(e, timeout);
	for (;;) {
		int slice;

		SDL_PumpEvents();
		if (SDL_PeepEvents(e, 1, SDL_GETEVENT, SDL_FIRSTEVENT,
		    SDL_LASTEVENT) > 0)
			return 1;
		int left = timeout < 0 ? -1 :
		    timeout - (int)(SDL_GetTicks64() - start);
		if (timeout >= 0 && left <= 0)
			return 0;
		/* poll input quickly while someone is touching the screen,
		 * slowly (still well inside the 100 ms pressed-look budget)
		 * when nobody is */
		int poll = app->poll_ms == 0 ? 0 :
		    app_now_ms(app) - app->last_input < 2000 ? app->poll_ms :
		    POLL_IDLE_MS;
		slice = poll > 0 ? (left < 0 || left > poll ? poll : left) :
		    left;
		SDL_LockMutex(app->mu);
		if (app->wakeups == 0)
			SDL_CondWaitTimeout(app->cv, app->mu, slice < 0 ?
			    SDL_MUTEX_MAXWAIT : (Uint32)slice);
		app->wakeups = 0;
		SDL_UnlockMutex(app->mu);
	}
}

int
app_run(struct app *app, const struct screen *first, void *arg)
{
	SDL_Event e;

	app_push(app, first, arg);
	if (app->scripted)
		return app_script_run(app);
	while (!app->quit) {
		uint64_t due, now;
		int timeout;

		app_fire_due(app);
		if (app->quit)
			break;
		if (app->dirty && redraw(app, false))
			present(app);
		now = app_now_ms(app);
		due = app_next_due(app);
		timeout = due == UINT64_MAX ? -1 : due <= now ? 0 :
		    due - now > 86400000 ? 86400000 : (int)(due - now);
		if (wait_event(app, &e, timeout) > 0) {
			app_translate(app, &e);
			while (!app->quit && SDL_PollEvent(&e))
				app_translate(app, &e);
		}
	}
	return app->status;
}
