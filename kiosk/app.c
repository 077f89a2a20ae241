/*
 * app.c - the UI thread: SDL start-up, the one place SDL events become
 * struct ui_event, the screen stack, timers, idle, worker jobs, redraw on
 * demand, and the scripted driver for tests.
 *
 * The loop draws only when something changed and otherwise sleeps until the
 * next input, timer or job result: with x11/wayland in SDL_WaitEventTimeout,
 * with drivers that cannot wait (offscreen, kmsdrm) on a condition variable
 * that posters signal, polling input every POLL_MS where there is input.
 * Never blocks on I/O; never includes a screen's header.
 */
#include <SDL.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "app.h"
#include "app_script.h"
#include "config.h"
#include "ui_core.h"
#include "xmalloc.h"

#define STACK_MAX 16
#define TIMERS_MAX 16
#define POLL_MS 10            /* input polling where SDL cannot wait ... */
#define POLL_IDLE_MS 40       /* ... and 2 s after the last input */
#define JOB_SETTLE_MS 30000   /* script mode: longest wait for jobs */
#define FAKE_START_MS 1000
/* 2026-04-01 09:00 +09:00, the wall clock of scripted runs */
#define FAKE_WALL_MS 1775001600000LL

struct timer {
	int id;
	bool used;
	uint64_t due;
	uint32_t period;      /* 0: once */
};

struct entry {
	const struct screen *s;
	struct timer t[TIMERS_MAX];
};

struct app {
	const struct config *cfg;
	struct app_options opt;
	SDL_Window *win;
	SDL_Renderer *ren;
	struct ui *ui;
	struct entry stack[STACK_MAX];
	int depth;
	bool dirty, quit, presented;
	bool force;           /* next redraw rasterises even if unchanged */
	int status;
	void *user;

	/* clock */
	bool scripted;
	uint64_t fake_ms;
	int64_t wall_base;

	/* idle */
	uint64_t last_input, idle_timeout;
	bool idle_sent, idle_hold;

	/* jobs and posts: SDL user events carrying a heap struct ui_event */
	Uint32 ev_user;
	SDL_atomic_t running;
	SDL_atomic_t next_job;
	SDL_mutex *mu;
	SDL_cond *cv;
	int wakeups;
	bool native_wait;
	int poll_ms;          /* 0: no input devices to poll */

	/* pointer */
	bool mouse_down, finger_down;
	SDL_FingerID finger;

	/* script */
	struct script script;
};

static void deliver(struct app *app, struct ui_event *ev);

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

/* ---- SDL's large buffers ----
 *
 * The framebuffer of a 1920x1080 window is 8 MB: as ordinary pages that is
 * two thousand page faults at start, a good part of the time to the first
 * frame.  SDL's allocations of 2 MB and more are mapped here and backed by
 * huge pages where the kernel allows it; the rest go to malloc.
 */
#define BIG_ALLOC (2u << 20)
#define BIG_MAX 32

static struct {
	void *p;
	size_t size;
} big[BIG_MAX];
static atomic_int nbig;
static pthread_mutex_t big_mu = PTHREAD_MUTEX_INITIALIZER;

static void *
big_alloc(size_t size)
{
	void *p;
	int i;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_HUGEPAGE);
	pthread_mutex_lock(&big_mu);
	for (i = 0; i < BIG_MAX && big[i].p != NULL; i++)
		;
	if (i == BIG_MAX) {
		pthread_mutex_unlock(&big_mu);
		munmap(p, size);
		return NULL;
	}
	big[i].p = p;
	big[i].size = size;
	atomic_fetch_add(&nbig, 1);
	pthread_mutex_unlock(&big_mu);
	return p;
}

/* The size of p if it is a big block (and forget it when `drop`), else 0. */
static size_t
big_find(void *p, bool drop)
{
	size_t size = 0;
	int i;

	if (p == NULL || atomic_load(&nbig) == 0)
		return 0;
	pthread_mutex_lock(&big_mu);
	for (i = 0; i < BIG_MAX; i++)
		if (big[i].p == p) {
			size = big[i].size;
			if (drop) {
				big[i].p = NULL;
				atomic_fetch_sub(&nbig, 1);
			}
			break;
		}
	pthread_mutex_unlock(&big_mu);
	return size;
}

static void *
sdl_malloc(size_t size)
{
	void *p = size >= BIG_ALLOC ? big_alloc(size) : NULL;

	return p != NULL ? p : malloc(size);
}

static void *
sdl_calloc(size_t n, size_t size)
{
	void *p = NULL;

	/* fresh anonymous pages are zero already */
	if (size != 0 && n >= BIG_ALLOC / size && n <= SIZE_MAX / size)
		p = big_alloc(n * size);
	return p != NULL ? p : calloc(n, size);
}

static void
sdl_free(void *p)
{
	size_t size = big_find(p, true);

	if (size > 0)
		munmap(p, size);
	else
		free(p);
}

static void *
sdl_realloc(void *p, size_t size)
{
	size_t old = big_find(p, false);
	void *n;

	if (old == 0 && size < BIG_ALLOC)
		return realloc(p, size);
	if (old == 0 && p != NULL)
		old = malloc_usable_size(p);
	n = sdl_malloc(size);
	if (n == NULL)
		return NULL;
	if (p != NULL) {
		memcpy(n, p, old < size ? old : size);
		sdl_free(p);
	}
	return n;
}

/* Once per process, before SDL allocates anything of its own. */
static void
install_allocator(void)
{
	static bool done;

	if (done || SDL_WasInit(0) != 0)
		return;
	done = true;
	SDL_SetMemoryFunctions(sdl_malloc, sdl_calloc, sdl_realloc, sdl_free);
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

static void
update_size(struct app *app)
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
	install_allocator();

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
	app->last_input = app_now_ms(app);
	app->dirty = true;
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

static void
free_user_event(SDL_Event *e)
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
			free_user_event(&e);
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

	deliver(app, &ev);
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
		deliver(app, &ev);
	}
}

/* The next moment something is due: a timer of the top screen or idle;
 * UINT64_MAX when nothing is. */
static uint64_t
next_due(struct app *app)
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

/* ---- events ---- */

static void
deliver(struct app *app, struct ui_event *ev)
{
	struct entry *e;

	ev->now_ms = app_now_ms(app);
	if (ev->type == UI_TAP || ev->type == UI_KEY) {
		app->last_input = ev->now_ms;
		app->idle_sent = false;
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
		free_user_event(&e);
		return K_EBUSY;
	}
	return K_OK;
}

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
	default: return UI_KEY_NONE;
	}
}

static void
tap(struct app *app, enum ui_tap_phase phase, int x, int y)
{
	struct ui_event ev = { .type = UI_TAP, .phase = phase, .x = x,
	    .y = y };

	deliver(app, &ev);
}

static void
finger_xy(struct app *app, const SDL_TouchFingerEvent *f, int *x, int *y)
{
	struct ui_rect s = ui_screen(app->ui);

	*x = (int)(f->x * (float)s.w);
	*y = (int)(f->y * (float)s.h);
}

/* The one place SDL input becomes struct ui_event. */
static void
translate(struct app *app, SDL_Event *e)
{
	int x, y;

	switch (e->type) {
	case SDL_QUIT:
		app_quit(app, 0);
		return;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			update_size(app);
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
		tap(app, UI_TAP_PRESS, e->button.x, e->button.y);
		return;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID || !app->mouse_down)
			return;
		tap(app, UI_TAP_MOVE, e->motion.x, e->motion.y);
		return;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID ||
		    e->button.button != SDL_BUTTON_LEFT || !app->mouse_down)
			return;
		app->mouse_down = false;
		tap(app, UI_TAP_RELEASE, e->button.x, e->button.y);
		return;
	case SDL_FINGERDOWN:
		/* one finger at a time: no gesture needs two (R2.5) */
		if (app->finger_down || app->mouse_down)
			return;
		app->finger_down = true;
		app->finger = e->tfinger.fingerId;
		finger_xy(app, &e->tfinger, &x, &y);
		tap(app, UI_TAP_PRESS, x, y);
		return;
	case SDL_FINGERMOTION:
		if (!app->finger_down || e->tfinger.fingerId != app->finger)
			return;
		finger_xy(app, &e->tfinger, &x, &y);
		tap(app, UI_TAP_MOVE, x, y);
		return;
	case SDL_FINGERUP:
		if (!app->finger_down || e->tfinger.fingerId != app->finger)
			return;
		app->finger_down = false;
		finger_xy(app, &e->tfinger, &x, &y);
		tap(app, UI_TAP_RELEASE, x, y);
		return;
	case SDL_KEYDOWN: {
		/* no auto-repeat (R6.7) */
		enum ui_key k = e->key.repeat ? UI_KEY_NONE : map_key(&e->key);
		if (k != UI_KEY_NONE) {
			struct ui_event ev = { .type = UI_KEY, .key = k };
			deliver(app, &ev);
		}
		return;
	}
	default:
		if (e->type == app->ev_user) {
			struct ui_event *ev = e->user.data1;
			deliver(app, ev);
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
		free_user_event(&e);
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
	return true;
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

static int run_script(struct app *app);

int
app_run(struct app *app, const struct screen *first, void *arg)
{
	SDL_Event e;

	app_push(app, first, arg);
	if (app->scripted)
		return run_script(app);
	while (!app->quit) {
		uint64_t due, now;
		int timeout;

		fire_timers(app);
		check_idle(app);
		if (app->quit)
			break;
		if (app->dirty && redraw(app, false))
			present(app);
		now = app_now_ms(app);
		due = next_due(app);
		timeout = due == UINT64_MAX ? -1 : due <= now ? 0 :
		    due - now > 86400000 ? 86400000 : (int)(due - now);
		if (wait_event(app, &e, timeout) > 0) {
			translate(app, &e);
			while (!app->quit && SDL_PollEvent(&e))
				translate(app, &e);
		}
	}
	return app->status;
}

/* ---- the scripted driver ---- */

/* Deliver everything pending: job results (waiting for running jobs in
 * real time), posts, due timers, idle; then draw if needed. */
static void
settle(struct app *app)
{
	Uint64 start = SDL_GetTicks64();
	SDL_Event e;

	for (;;) {
		bool any = false;

		SDL_PumpEvents();
		while (!app->quit && SDL_PollEvent(&e)) {
			translate(app, &e);
			any = true;
		}
		fire_timers(app);
		check_idle(app);
		if (app->quit)
			break;
		if (any)
			continue;
		if (SDL_AtomicGet(&app->running) == 0)
			break;
		if (SDL_GetTicks64() - start > JOB_SETTLE_MS) {
			klog("warn", "app", "script: %d job(s) still running "
			    "after %d s", SDL_AtomicGet(&app->running),
			    JOB_SETTLE_MS / 1000);
			break;
		}
		SDL_LockMutex(app->mu);
		if (app->wakeups == 0)
			SDL_CondWaitTimeout(app->cv, app->mu, 20);
		app->wakeups = 0;
		SDL_UnlockMutex(app->mu);
	}
	if (app->dirty && !app->quit && redraw(app, false))
		present(app);
}

/* Advance the fake clock by ms, stopping at every timer and idle moment. */
static void
advance(struct app *app, int64_t ms)
{
	uint64_t target = app->fake_ms + (uint64_t)ms;

	for (;;) {
		uint64_t due = next_due(app);
		if (app->quit || due > target)
			break;
		if (due > app->fake_ms)
			app->fake_ms = due;
		settle(app);
	}
	app->fake_ms = target;
	settle(app);
}

/* A list of what is on screen, for failure messages. */
static void
on_screen(struct app *app, bool tappable, char *buf, size_t len)
{
	size_t i, n = ui_widget_count(app->ui), used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used + 8 < len; i++) {
		const struct ui_widget *w = ui_widget_at(app->ui, i);
		int k;
		if (w->text[0] == '\0' || (tappable && w->id <= 0))
			continue;
		k = snprintf(buf + used, len - used, "%s\"%s\"",
		    used ? ", " : "", w->text);
		if (k < 0 || (size_t)k >= len - used)
			break;
		used += (size_t)k;
	}
}

static int
fail(struct app *app, const struct script_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct app *app, const struct script_cmd *c, const char *fmt, ...)
{
	va_list ap;
	struct kerr err;

	fprintf(stderr, "%s:%d: ", app->script.path, c->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (app->opt.screenshots != NULL) {
		char *path = xasprintf("%s/FAILED-line-%d.png",
		    app->opt.screenshots, c->line);
		redraw(app, true);
		if (ui_screenshot(app->ui, path, &err) == K_OK)
			fprintf(stderr, "%s:%d: the screen is in %s\n",
			    app->script.path, c->line, path);
		free(path);
	}
	return 1;
}

static int
exec(struct app *app, const struct script_cmd *c)
{
	const struct ui_widget *w;
	char list[1024], *report, *path;
	struct kerr err;
	int n;

	switch (c->op) {
	case SC_TAP_XY:
		tap(app, UI_TAP_PRESS, c->a, c->b);
		tap(app, UI_TAP_RELEASE, c->a, c->b);
		return 0;
	case SC_TAP_LABEL:
		w = ui_find(app->ui, c->str, true);
		if (w == NULL) {
			on_screen(app, true, list, sizeof(list));
			return fail(app, c, "tap \"%s\": nothing tappable shows "
			    "it on screen %s; tappable: %s", c->str,
			    app_top(app) ? app_top(app)->name : "(none)",
			    list[0] ? list : "(none)");
		}
		tap(app, UI_TAP_PRESS, w->rect.x + w->rect.w / 2,
		    w->rect.y + w->rect.h / 2);
		tap(app, UI_TAP_RELEASE, w->rect.x + w->rect.w / 2,
		    w->rect.y + w->rect.h / 2);
		return 0;
	case SC_PRESS:
		tap(app, UI_TAP_PRESS, c->a, c->b);
		return 0;
	case SC_RELEASE:
		tap(app, UI_TAP_RELEASE, c->a, c->b);
		return 0;
	case SC_WAIT:
		advance(app, c->ms);
		return 0;
	case SC_KEY: {
		struct ui_event ev = { .type = UI_KEY, .key = c->a };
		deliver(app, &ev);
		return 0;
	}
	case SC_EXPECT:
		if (ui_find(app->ui, c->str, false) != NULL)
			return 0;
		on_screen(app, false, list, sizeof(list));
		return fail(app, c, "expected \"%s\" on screen %s; it shows: "
		    "%s", c->str, app_top(app) ? app_top(app)->name : "(none)",
		    list[0] ? list : "(nothing)");
	case SC_EXPECT_NOT:
		if (ui_find(app->ui, c->str, false) == NULL)
			return 0;
		return fail(app, c, "\"%s\" is on screen %s but should not be",
		    c->str, app_top(app) ? app_top(app)->name : "(none)");
	case SC_EXPECT_SCREEN:
		if (app_top(app) != NULL && strcmp(app_top(app)->name,
		    c->str) == 0)
			return 0;
		return fail(app, c, "expected screen %s, the top screen is %s",
		    c->str, app_top(app) ? app_top(app)->name : "(none)");
	case SC_AUDIT:
		report = xmalloc(8192);
		n = ui_audit(app->ui, report, 8192);
		if (n > 0) {
			fail(app, c, "audit of screen %s: %d problem(s):\n%s",
			    app_top(app) ? app_top(app)->name : "(none)", n,
			    report);
			free(report);
			return 1;
		}
		free(report);
		return 0;
	case SC_SHOT:
		if (app->opt.screenshots == NULL)
			return fail(app, c, "shot %s: no --screenshots DIR "
			    "given", c->str);
		path = xasprintf("%s/%s.png", app->opt.screenshots, c->str);
		redraw(app, true);
		n = ui_screenshot(app->ui, path, &err);
		present(app);
		free(path);
		if (n != K_OK)
			return fail(app, c, "shot %s: %s", c->str, err.msg);
		return 0;
	case SC_SIZE:
		SDL_SetWindowSize(app->win, c->a, c->b);
		SDL_PumpEvents();
		update_size(app);
		return 0;
	case SC_LANG:
		ui_set_lang(app->ui, c->str);
		app->dirty = true;
		return 0;
	case SC_LARGE:
		ui_set_large(app->ui, c->a != 0);
		app->dirty = true;
		return 0;
	case SC_NOTIFY:
		app_post(app, c->a, NULL, NULL);
		return 0;
	case SC_CLOCK:
		app->wall_base = c->ms - (int64_t)app->fake_ms;
		app->dirty = true;
		return 0;
	case SC_QUIT:
		app_quit(app, app->status);
		return 0;
	case SC_PUSH:
	case SC_RESET: {
		const struct screen *const *s = app->opt.screens;
		while (s != NULL && *s != NULL && strcmp((*s)->name, c->str))
			s++;
		if (s == NULL || *s == NULL)
			return fail(app, c, "%s %s: not a screen this role lets "
			    "scripts name", c->op == SC_PUSH ? "push" : "reset",
			    c->str);
		if (c->op == SC_PUSH)
			app_push(app, *s, NULL);
		else
			app_reset(app, *s, NULL);
		return 0;
	}
	case SC_REDRAW:
		redraw(app, true);
		present(app);
		return 0;
	}
	return 0;
}

static int
run_script(struct app *app)
{
	size_t i;

	settle(app);
	for (i = 0; i < app->script.n && !app->quit; i++) {
		if (exec(app, &app->script.v[i]) != 0) {
			app->status = 1;
			break;
		}
		settle(app);
	}
	settle(app);
	return app->status;
}
