/*
 * screen.h - one screen = one const table of callbacks (cf. tmux window_mode).
 *
 * A screen file (screens/<name>.c) exports one `const struct screen` and keeps
 * its state in a file-static struct, reset in enter() and wiped in leave().
 * Screens never see SDL: the app core translates SDL input into the small
 * struct ui_event below, in one place (kiosk/app_events.c).
 *
 * Call order on the UI thread: enter() once when the screen is pushed (or
 * replaces another), then any number of event() and draw() calls while it is
 * on top, and leave() once when it is popped or replaced.  A screen covered by
 * another one pushed above it keeps its state and gets events again when it
 * is back on top.  draw() must not change state or do I/O: it may be called
 * at any time, several times, or not at all (nothing changed).
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "kerr.h"

struct app;
struct ui;

enum ui_event_type {
	UI_TAP = 1,     /* finger (or mouse) on the screen: x, y, phase */
	UI_KEY,         /* hardware keypad / keyboard: key (enum ui_key) */
	UI_TICK,        /* a timer set with app_timer_set() fired: timer */
	UI_JOB_DONE,    /* app_spawn() job finished: job, rc, err, data */
	UI_IDLE,        /* no input for kiosk.idle_timeout_s (sent once) */
	UI_NOTIFY,      /* app_post() from another thread: code, data */
	UI_TEXT,        /* typed text a key did not already bring: text (a QR
	                 * scanner that types like a keyboard: "APPT:", digits
	                 * on layouts where they are not keys of their own) */
};

enum ui_tap_phase {
	UI_TAP_PRESS,   /* touch-down */
	UI_TAP_MOVE,    /* finger moved while down */
	UI_TAP_RELEASE, /* lift-off; act here (R2.5), see ui_clicked() */
};

/* Keys of the tactile 12-key pad (R8.9) and of a keyboard in tests. */
enum ui_key {
	UI_KEY_NONE = 0,
	UI_KEY_0, UI_KEY_1, UI_KEY_2, UI_KEY_3, UI_KEY_4,
	UI_KEY_5, UI_KEY_6, UI_KEY_7, UI_KEY_8, UI_KEY_9,
	UI_KEY_ENTER,   /* Enter / OK (raised circle) */
	UI_KEY_CLEAR,   /* Clear / correct one digit (raised left arrow), Backspace */
	UI_KEY_CANCEL,  /* Cancel (raised X), Escape */
	UI_KEY_UP, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
	UI_KEY_TAB,     /* next focus */
	UI_KEY_BACKTAB, /* previous focus */
	UI_KEY_PLUS, UI_KEY_MINUS,
	UI_KEY_HELP,    /* "*" or F1: call staff / start speech guidance */
	UI_KEY_REPEAT,  /* "#" or F2: voice guidance says the screen again */
	UI_KEY_COUNT
};

/* "enter", "5", "cancel"... (script `key NAME`); UI_KEY_NONE if unknown. */
enum ui_key ui_key_from_name(const char *name);
const char *ui_key_name(enum ui_key key);

struct ui_event {
	enum ui_event_type type;
	uint64_t now_ms;            /* app_now_ms() when delivered */

	enum ui_tap_phase phase;    /* UI_TAP */
	int x, y;                   /* UI_TAP: window px, origin top-left */
	int key;                    /* UI_KEY: enum ui_key */
	int timer;                  /* UI_TICK: the id given to app_timer_set */
	int job;                    /* UI_JOB_DONE: the id app_spawn returned */
	int code;                   /* UI_NOTIFY: the poster's code */
	char text[32];              /* UI_TEXT: UTF-8, NUL-terminated */

	int rc;                     /* UI_JOB_DONE: job's return, K_OK or K_E* */
	struct kerr err;            /* UI_JOB_DONE: message when rc != K_OK */

	/*
	 * UI_JOB_DONE, UI_NOTIFY: a result owned by the event.  After event()
	 * returns the app calls free_data(data) (free() when free_data is NULL)
	 * unless the screen took the data by setting ev->data = NULL.  A
	 * free_data for personal data wipes it first (xfree_wipe).
	 */
	void *data;
	void (*free_data)(void *data);
};

struct screen {
	const char *name;   /* "idle", "menu", "card_pin": scripts and logs */
	/* Build state; arg is what app_push/app_replace was given. */
	void (*enter)(struct app *app, void *arg);
	/* Handle one event; return true when the screen must be redrawn.
	 * Use ui_clicked(app_ui(app), ev) for buttons (release inside, tremor
	 * guard, keypad focus + Enter). */
	bool (*event)(struct app *app, struct ui_event *ev);
	/* Draw the whole screen with the ui widgets; no state change, no I/O. */
	void (*draw)(struct app *app, struct ui *ui);
	/* Wipe state (personal data with explicit_bzero); may be NULL. */
	void (*leave)(struct app *app);
	/* A dialog over the page: the screens below are drawn first (their
	 * widgets visible but not tappable).  Draw with ui_dialog(). */
	bool overlay;
};

/* The lobby board (screens/board.c), first screen of `kiosk display`; the
 * resident's screens are listed in journey.h. */
extern const struct screen screen_board;

#endif
