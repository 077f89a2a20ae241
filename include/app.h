/*
 * app.h - the UI thread: SDL event loop, screen stack, clock, timers, idle,
 * background jobs and the scripted test driver.  Only kiosk/app*.c know SDL.
 *
 * Every function here is for the UI thread (screens' callbacks) except
 * app_post(), which any thread may call.  The loop never blocks on I/O:
 * slow work (card, printer, HTTP) runs in app_spawn() jobs on worker threads
 * and comes back as a UI_JOB_DONE event.  The screen is redrawn only when a
 * screen's event() returned true or app_invalidate() was called, and the
 * loop sleeps in SDL_WaitEventTimeout until the next input or timer, so an
 * idle kiosk uses close to no CPU.
 *
 * Script mode (--script FILE): headless on the SDL offscreen driver with the
 * software renderer and a fake clock that only `wait MS` advances, so runs
 * are deterministic.  Before each script command the driver waits (in real
 * time, up to 30 s) for running jobs and delivers their results.  Commands,
 * one a line ('#' comments):
 *   tap X Y            press and release at window px X,Y
 *   tap "label"        tap the centre of the tappable widget showing label
 *   press X Y | release X Y   the two halves of a tap, for pressed-look shots
 *   wait MS            advance the fake clock, firing timers and UI_IDLE
 *   key NAME           a keypad key: 0..9 enter clear cancel up down left
 *                      right tab backtab plus minus help
 *   expect "text"      fail unless a widget on screen shows text (substring)
 *   expect_not "text"  fail if a widget shows text
 *   expect_screen NAME fail unless the top screen is NAME
 *   audit              fail if the frame breaks the accessibility rules
 *                      (target size, contrast, text size, tofu, overflow)
 *   shot NAME          write DIR/NAME.png (DIR from --screenshots)
 *   size W H           resize the window (layout at another resolution)
 *   lang CODE          ui_set_lang(); large on|off: ui_set_large()
 *   notify CODE        app_post(CODE, NULL) as another thread would
 *   clock YYYY-MM-DDTHH:MM   set the wall clock the screens show
 *   push NAME | reset NAME   app_push / app_reset a screen the role listed
 *                      in app_options.screens (jump straight to a screen)
 *   redraw             draw the whole frame again (benchmarks)
 *   wait_screen NAME   let real time pass (up to 30 s, the fake clock
 *                      following it) until the top screen is NAME: events
 *                      from other processes, such as a card taken out
 *   hold FILE          stay alive, delivering events but not moving the
 *                      clock, until FILE exists (up to 120 s): a test
 *                      inspects the running process meanwhile
 *   said "text"        wait (up to 10 s real time) until the speech log
 *                      (speech.h) has a line containing text after the
 *                      line the last `said` matched
 *   not_said "text"    fail if a line of the speech log contains text
 *   type "text"        type like a keyboard (a QR scanner is one): per
 *                      character a key press and its text input, through
 *                      the SDL translation; \n is Enter
 *   quit               end the run (also at end of file)
 * Taps on the same control at the same fake time are tremor-guarded like
 * real ones (R2.6): put `wait 500` between two taps on one control.
 * A failing command ends the run with status 1 and a message naming the
 * script file and line; a syntax error likewise with status 2.
 */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stdint.h>

#include "kerr.h"
#include "screen.h"

struct app;
struct config;
struct ui;

struct app_options {
	const char *title;        /* window title; NULL: "kiosk" */
	bool windowed;            /* --windowed: overrides kiosk.fullscreen */
	int width, height;        /* 0: kiosk.width / kiosk.height */
	const char *script;       /* --script FILE: headless scripted run */
	const char *screenshots;  /* --screenshots DIR for `shot` (created) */
	/* NULL-terminated: the screens `push NAME` / `reset NAME` may name */
	const struct screen *const *screens;
};

/*
 * Start SDL (video, fonts from kiosk.fonts, renderer) and the worker pool.
 * cfg is borrowed and must outlive the app.  Fails with a message naming
 * what is missing (no display, a font file, the script file).  With a
 * script and no SDL_VIDEODRIVER set, the offscreen driver is chosen.
 */
int app_new(struct app **out, const struct config *cfg,
    const struct app_options *opt, struct kerr *err);
/* Leave every screen, join the workers, close SDL.  NULL is a no-op. */
void app_free(struct app *app);
/* Push `first` and run until app_quit() (or the script ends, or the window
 * is closed).  Returns the exit status: app_quit's, or 1 when a script
 * check failed, 2 for a script syntax error. */
int app_run(struct app *app, const struct screen *first, void *arg);
void app_quit(struct app *app, int status);
/* The status after the staff exit key (kiosk.exit_key): EX_TEMPFAIL, which
 * kiosk-ui.service takes as "stay stopped" (RestartPreventExitStatus). */
#define APP_EXIT_STAFF 75

const struct config *app_config(const struct app *app);
struct ui *app_ui(struct app *app);
/* A pointer the role hangs its session state on (journey, board). */
void app_set_user(struct app *app, void *user);
/*
 * Voice guidance hooks (journey_voice.c): key sees each key before the
 * screen does (true: consumed); frame runs after each drawn frame.
 */
void app_set_voice(struct app *app,
    bool (*key)(struct app *, struct ui_event *), void (*frame)(struct app *));
void *app_user(const struct app *app);

/* The screen stack.  push: enter(new); pop: leave(top), the one below is on
 * top again; replace: leave(top), enter(new); reset: leave() every screen
 * from the top down, then enter(new) (session end).  Popping the last
 * screen quits with status 0.  Safe to call from event(), not from draw(). */
void app_push(struct app *app, const struct screen *s, void *arg);
void app_pop(struct app *app);
void app_replace(struct app *app, const struct screen *s, void *arg);
void app_reset(struct app *app, const struct screen *s, void *arg);
const struct screen *app_top(const struct app *app);
int app_depth(const struct app *app);
/* The screen i places below the top (0: the top); NULL past the bottom. */
const struct screen *app_screen_at(const struct app *app, int i);

/* Request a redraw of the whole screen at the next loop turn. */
void app_invalidate(struct app *app);

/* Monotonic milliseconds since start (the fake clock in script mode).  The
 * only clock screens read; timers, idle and animations use it. */
uint64_t app_now_ms(const struct app *app);
/* Wall clock in ms since 1970 (for a clock on screen); fixed in script mode,
 * see the `clock` command. */
int64_t app_wall_ms(const struct app *app);

/*
 * Timers: after ms, UI_TICK with ev->timer = id goes to the screen that was
 * on top when the timer was set; with repeat it fires every ms.  Setting an
 * id again restarts it.  A screen's timers end when it leaves; while it is
 * covered its ticks wait and one is delivered when it is on top again.
 */
void app_timer_set(struct app *app, int id, uint32_t ms, bool repeat);
void app_timer_cancel(struct app *app, int id);

/*
 * Idle: after kiosk.idle_timeout_s without a tap or key, UI_IDLE goes to the
 * top screen once (the screen shows "まだ つかいますか?" and decides).  Input,
 * app_idle_reset() (the Continue button) restart the period; while held
 * (printing, card read, speech: R6.4) the period does not run.
 */
void app_idle_reset(struct app *app);
void app_idle_hold(struct app *app, bool hold);
uint64_t app_idle_ms(const struct app *app);   /* ms since last input */

/*
 * Run job(ev, arg) on a worker thread.  ev arrives pre-filled (type
 * UI_JOB_DONE, job id); the job sets ev->data / ev->free_data and ev->err,
 * and its return value becomes ev->rc.  The event is delivered to the screen
 * on top when the job ends (check ev->job: the screen that spawned it may be
 * gone).  arg must stay valid until then; a job that owns arg frees it.
 * Jobs must end: a thread that watches forever (card watcher) is its own
 * thread and talks through app_post().  Returns the job id (> 0).
 */
typedef int app_job_fn(struct ui_event *ev, void *arg);
int app_spawn(struct app *app, app_job_fn *job, void *arg);
int app_jobs_running(const struct app *app);

/*
 * From any thread: deliver UI_NOTIFY with code and data to the screen on top
 * (card inserted/removed, printer status).  data is owned by the event (see
 * struct ui_event); if the app is gone or the queue is full it is freed here
 * and K_EBUSY returned.
 */
int app_post(struct app *app, int code, void *data, void (*free_data)(void *));

/* Script mode?  (screens may skip sounds; nothing else should differ) */
bool app_scripted(const struct app *app);

#endif
