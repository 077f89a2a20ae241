/*
 * app_int.h - shared by the app core's files; nobody else includes it.
 *
 *   app.c         clock, start and stop, the screen stack, timers, idle,
 *                 delivery of one event, the loop and the redraw
 *   app_events.c  where events come from: SDL input translated into
 *                 struct ui_event (the one place), posts from other
 *                 threads, worker jobs
 *   app_alloc.c   SDL's large buffers on huge pages
 *   app_script.c  the test script: one table row per command (grammar,
 *                 parse, execute) and the driver that runs it
 *   app_script_read.c  the script file into words and commands
 *
 * These are the only files that see SDL (mk/lint.sh).
 */
#ifndef APP_INT_H
#define APP_INT_H

#include <SDL.h>

#include "app.h"
#include "app_script.h"
#include "ui_core.h"

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
	bool (*voice_key)(struct app *, struct ui_event *);
	void (*voice_frame)(struct app *);
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
	SDL_Keycode exit_key;  /* kiosk.exit_key; SDLK_UNKNOWN: none */
	char key_char;         /* the character the last key press delivered as
	                        * a UI_KEY ('7'), so its SDL_TEXTINPUT twin is
	                        * not delivered again as UI_TEXT; 0: none */

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

/* app.c */
/* Give ev to the top screen (input also to the ui and the idle clock);
 * frees ev->data unless the screen took it. */
void app_deliver(struct app *app, struct ui_event *ev);
/* Due timers of the top screen, then UI_IDLE if its time has come. */
void app_fire_due(struct app *app);
/* The next moment a timer or idle is due; UINT64_MAX when nothing is. */
uint64_t app_next_due(struct app *app);
/* Draw the frame (false: unchanged, nothing rasterised) and show it. */
bool app_redraw(struct app *app, bool force);
void app_present(struct app *app);
/* The window's size changed: lay out again, draw everything. */
void app_update_size(struct app *app);

/* app_events.c */
/* The one place an SDL event becomes a struct ui_event (and is delivered). */
void app_translate(struct app *app, SDL_Event *e);
/* A tap phase at window px x,y as the touchscreen would give it. */
void app_tap(struct app *app, enum ui_tap_phase phase, int x, int y);
/* Free an SDL user event's struct ui_event and its data. */
void app_free_user_event(SDL_Event *e);

/* app_alloc.c: once per process, before SDL allocates anything. */
void app_install_allocator(void);

/* app_script.c: run app->script to the end; the exit status. */
int app_script_run(struct app *app);
/* app_script.c: one command from its words (a->v[0] is its name). */
#define SCRIPT_MAX_ARGS 4
struct script_args {
	char *v[SCRIPT_MAX_ARGS];
	int n;
	bool quoted[SCRIPT_MAX_ARGS];
};
int script_parse_cmd(const char *name, int ln, struct script_args *a,
    struct script_cmd *c, struct kerr *err);

/* app_script_read.c: a number in lo..hi, and "2026-04-01T09:30" (Japan
 * time) as ms since 1970; K_EPARSE / -1 naming name:ln. */
int script_num(const char *name, int ln, const char *s, long lo, long hi,
    long *out, struct kerr *err);
int script_clock(const char *s, int64_t *out);

#endif
