/*
 * journey.h - the resident journey: one session from the first touch to the
 * ticket, and the screens that make it.
 *
 * struct journey lives as long as `kiosk run`: the catalog, the messages, the
 * queue client, the printer settings and the card watcher.  struct
 * journey_session is one resident: language, text size, procedure, answers,
 * the card's four facts, the ticket.  journey_end() wipes the session
 * (explicit_bzero), puts language and text size back to the defaults and
 * returns to the idle screen; every way out (ticket taken, "end", idle
 * time-out) goes through it (DESIGN.md §5, spec R7.1).
 *
 * Screens reach the journey with journey_of(app).  Card, queue and printer
 * calls run only in app_spawn() jobs (journey_job_*), never on the UI thread.
 */
#ifndef JOURNEY_H
#define JOURNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card.h"
#include "catalog.h"
#include "i18n.h"
#include "kerr.h"
#include "print.h"
#include "qclient.h"
#include "screen.h"
#include "ui.h"

struct app;
struct config;
struct server;
struct ui;

#define JOURNEY_MAX_Q      8
#define JOURNEY_ANSWER_MAX 16

/* UI_NOTIFY codes posted by the card watcher thread. */
enum {
	JOURNEY_NOTIFY_CARD_NO_READER = 7100,
	JOURNEY_NOTIFY_CARD_EMPTY,
	JOURNEY_NOTIFY_CARD_INSERTED,
	JOURNEY_NOTIFY_CARD_REMOVED,
};

enum journey_card { JOURNEY_CARD_UNDECIDED, JOURNEY_CARD_USE, JOURNEY_CARD_NONE };

/* One resident.  Wiped whole at every session end. */
struct journey_session {
	const struct cat_procedure *proc;
	char lang[16];
	bool large;
	char answers[JOURNEY_MAX_Q][JOURNEY_ANSWER_MAX];  /* by question; "" unanswered */
	size_t qpos;                   /* question on screen */
	enum journey_card card;
	int tries_left;                /* -1 unknown */
	bool have_basic4;
	struct card_basic4 basic4;     /* personal data */
	bool assist;                   /* staff asked to help (facts not right ...) */
	bool issued;
	struct qclient_ticket ticket;
	bool print_done, printed;
	char print_reason[32];
	uint64_t help_ms;              /* last resident help request (app clock) */
	/* a check-in (screens/checkin.c): the booking code, its slot, and a
	 * late arrival taking a walk-in's place; "" code: a walk-in */
	char appt_code[QCLIENT_CODE_MAX + 1];
	char appt_time[6];
	bool appt_late;
};

struct journey {
	const struct config *cfg;
	struct catalog *cat;
	struct i18n *tr;
	struct qclient *qc;
	struct print_opts popts;
	char kiosk_id[64];
	char reader[128];
	char default_lang[16];
	struct card_watch *watch;
	struct server *srv;            /* hosted in-process (kiosk run) */
	bool sound;                    /* chime_open succeeded */
	bool card_present;             /* watcher: a card is in the reader */
	bool reader_present;           /* watcher: a reader is there */
	bool reader_known;             /* the watcher has reported once */
	struct journey_session s;
	/* idle screen: the current waits */
	struct qclient_queue queue;
	bool queue_ok;
};

/*
 * Load the catalog (kiosk.assets/procedures.json) and messages
 * (kiosk.assets/po), make the queue client for server_url, read the printer
 * settings.  Fails naming the bad file.  journey_attach() hangs it on the
 * app and starts the card watcher (no reader is not an error: the card path
 * then says so and the journey goes on without it).
 */
int  journey_open(struct journey **out, const struct config *cfg,
    const char *server_url, struct kerr *err);
void journey_attach(struct journey *j, struct app *app);
void journey_close(struct journey *j);

/*
 * What `kiosk run` calls after app_new (its row in app_main.c's role
 * table): with kiosk.server empty it hosts the queue server in-process
 * (server.port, server.db), then open + attach.  The first screen is
 * screen_idle.  journey_teardown() before app_free(): stops the card
 * watcher, waits for running jobs, stops the server.
 */
int  journey_setup(struct app *app, struct kerr *err);
void journey_teardown(struct app *app);

struct journey *journey_of(struct app *app);

/* Session. */
void journey_begin(struct app *app);           /* fresh session, default lang */
void journey_end(struct app *app);             /* wipe, defaults, idle screen */
void journey_session_wipe(struct journey_session *s);
void journey_set_lang(struct app *app, const char *code);
void journey_set_large(struct app *app, bool on);
void journey_choose(struct app *app, const struct cat_procedure *p);

/* Voice guidance (journey_voice.c): start (idle's button, the help key on
 * idle), on?, the app hooks, and the stop at session end. */
void journey_voice_start(struct app *app);
bool journey_voice_on(void);
bool journey_voice_key(struct app *app, struct ui_event *ev);
void journey_voice_frame(struct app *app);
void journey_voice_end(struct app *app);

/* Messages in the session language; journey_trf fills %1.. from args. */
const char *journey_tr(struct app *app, const char *key);
const char *journey_trf(struct app *app, char *buf, size_t n, const char *key,
    const char *const *args, size_t nargs);
/* A catalog text in the session language. */
const char *journey_text(struct app *app, const struct cat_text *t);

/* Answers by question id ("" never: NULL when unanswered). */
const char *journey_answer(const struct journey_session *s, const char *qid);
void journey_set_answer(struct journey_session *s, size_t q, const char *v);
int  journey_fee(const struct journey_session *s);
/* Human text of an answer in the session language ("2通", "世帯全員"). */
size_t journey_answer_text(struct app *app, size_t q, char *out, size_t n);

/*
 * The steps.  A resident goes idle -> menu (-> life-event guide) -> the
 * procedure's questions (one a screen) -> the card choice -> placing the
 * card -> PIN -> reading -> confirming the four facts -> summary ->
 * issuing -> ticket; the card steps only when the procedure may use the
 * card.  A resident with an appointment goes idle -> check-in (the
 * booking code names the procedure) -> its questions and on as above;
 * back from the first question returns to the check-in, not the menu.  Each step is one screen, and one const table in journey.c says
 * where each outcome of each step leads and what it drops on the way.
 * Screens never choose the next screen: they say how their step ended.
 */
enum journey_step {
	JS_IDLE, JS_MENU, JS_EVENTS, JS_QUESTION, JS_CARD_CHOICE,
	JS_CARD_PLACE, JS_CARD_PIN, JS_CARD_READ, JS_CONFIRM, JS_SUMMARY,
	JS_ISSUE, JS_TICKET,
	JS_CARD_ALARM,      /* session over, the card still in the reader */
	JS_CHECKIN,         /* an appointment's booking code */
	JS_COUNT,
	JS_END = JS_COUNT,  /* journey_route(): the session ends */
	JS_NONE = -1,       /* no step / no move */
};

enum journey_outcome {
	JO_NEXT,            /* the step is done: forward */
	JO_BACK,            /* the resident went back */
	JO_EVENTS,          /* menu: the life-event guide instead of a tile */
	JO_NO_CARD,         /* go on without the card (chosen, or unusable) */
	JO_ASSIST,          /* confirm: the facts are wrong, staff will help */
	JO_PIN_AGAIN,       /* card read: wrong PIN, tries left */
	JO_CARD_AGAIN,      /* card read: the card came off, place it again */
	JO_CHECKIN,         /* idle: 予約の方, or a scanned booking code */
	JO_COUNT
};

/*
 * Move on from the step on top by outcome o: apply what the table says
 * (begin the session, record the card choice, drop the card data, ...)
 * and replace the screen; JS_END goes through journey_end().  An outcome
 * the step does not have, or a call while an overlay is on top, does
 * nothing.  journey_next_arg() hands arg to the next screen's enter()
 * (the PIN to the reading step, which owns and wipes it); it returns
 * false when there was no move, and arg is still the caller's.
 */
void journey_next(struct app *app, enum journey_outcome o);
bool journey_next_arg(struct app *app, enum journey_outcome o, void *arg);
/* The step on screen: the top screen's, or the one under the overlays
 * (help, language, ...) on top; JS_NONE outside the journey. */
enum journey_step journey_step(struct app *app);
/* Where outcome o of step `from` leads for session s (and the question
 * then on screen in *qpos): a step, JS_END, or JS_NONE.  No side effects:
 * what journey_next() does, for tests. */
enum journey_step journey_route(const struct journey_session *s,
    enum journey_step from, enum journey_outcome o, size_t *qpos);
const char *journey_step_name(enum journey_step step);
int  journey_step_index(struct app *app);      /* for "2 / 5" */
int  journey_step_total(struct app *app);

/*
 * What screens learn, recorded in the session (screens never write the
 * struct themselves).  journey_drop_card() is the one way the card's four
 * facts leave memory before the session ends (explicit_bzero).
 */
void journey_card_tries(struct journey *j, int tries);
void journey_card_read(struct journey *j, const struct card_basic4 *b);
void journey_drop_card(struct journey *j);
/* The server took the ticket: keep it, drop the applicant (sent with it). */
void journey_issued(struct journey *j, const struct qclient_ticket *t);
/* A booking code was found: the session is its check-in (late: the slot
 * has passed, the ticket is placed like a walk-in's).  NULL: drop it. */
void journey_appointment(struct journey *j,
    const struct qclient_appointment *a, bool late);
void journey_printed(struct journey *j, bool ok, const char *reason);
void journey_help_sent(struct journey *j, uint64_t now_ms);
/* The idle screen's waits; NULL: the server did not answer. */
void journey_set_queue(struct journey *j, const struct qclient_queue *q);

/* The request for POST /api/tickets from the session (answers in ans[]). */
void journey_issue_req(struct journey *j, struct qclient_issue_req *req,
    struct qclient_answer *ans, struct qclient_applicant *who);

/* The ticket for the printer from the session. */
void journey_ticket_info(struct app *app, struct ticket_info *t);

/* ---- the common frame of every resident screen (journey_ui.c) ---- */

enum {
	JF_LANG = 9001, JF_LARGE, JF_HELP, JF_BACK, JF_END, JF_NEXT,
};

struct journey_frame_opts {
	const char *title_key;      /* message key of the title */
	const char *title;          /* or the text itself */
	bool back, end;             /* footer buttons */
	const char *next_key;       /* primary button in the footer (NULL: none) */
	bool next_disabled;
	const char *back_key;       /* other label / id at the back place */
	int back_id, next_id;       /* 0: JF_BACK, JF_NEXT */
};
struct ui_frame;
/* The frame's rects for o without drawing (layout decisions). */
void journey_frame_layout(struct app *app, struct ui *ui,
    const struct journey_frame_opts *o, struct ui_frame *f);
/* Draw header and footer; f gets the content rect (f->content). */
void journey_frame(struct app *app, struct ui *ui,
    const struct journey_frame_opts *o, struct ui_frame *f);
/*
 * Events every resident screen shares: language, larger text, help, end,
 * back, UI_IDLE (the "still there?" dialog) and card notifications
 * (recorded in struct journey).  Returns true when handled (*redraw set);
 * JF_NEXT is left to the screen.
 */
bool journey_frame_event(struct app *app, struct ui_event *ev, bool *redraw,
    bool back_allowed);

/* Width a ui_button_ex needs to show label on one line. */
int journey_button_width(struct ui *ui, const char *label, bool icon);
/* A boxed message (icon, text measured at its drawn width) cut off the top
 * of *c; min_h: the least height. */
void journey_notice(struct ui *ui, struct ui_rect *c, int icon,
    struct ui_color fg, struct ui_color bg, struct ui_color border,
    const char *text, int type, int min_h);
/* Its height at width w (without the gap under it). */
int journey_notice_height(struct ui *ui, int w, const char *text, int type,
    int min_h);
/* A lone action ("read again") as a button the width of its label, cut off
 * the top of *c; ui_choices is for choosing one of several. */
void journey_action(struct ui *ui, struct ui_rect *c, int id,
    const char *label);

/* "Step 2 of 5" with a bar, cut off the top of *c. */
void journey_steps(struct app *app, struct ui *ui, struct ui_rect *c);

/* enum ui_icon for a catalog pictogram name. */
int journey_icon(const char *name);

/* ---- jobs (worker threads) ---- */

int journey_spawn_queue(struct app *app);      /* GET /api/queue -> j->queue */
int journey_spawn_help(struct app *app, const char *kind);

/* The screens. */
extern const struct screen screen_idle, screen_menu, screen_events,
    screen_question, screen_card_choice, screen_card_place, screen_card_pin,
    screen_card_read, screen_confirm, screen_summary, screen_issue,
    screen_ticket, screen_card_alarm, screen_help, screen_still_there,
    screen_lang, screen_end_confirm, screen_checkin;

#endif
