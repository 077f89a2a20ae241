/*
 * store.h - tickets, counters, help requests and the wait-time log in one
 * SQLite file (WAL, synchronous=FULL).  kiosk/queue/store*.c is the only
 * code that knows SQL.
 *
 * Every function takes the time as now_ms (milliseconds since the Unix
 * epoch) so that tests run on a fake clock.  The service day is the date in
 * Asia/Tokyo: ticket numbers start again at 1 for every service at local
 * midnight, whatever the machine's TZ.
 *
 * A ticket is committed (fsync) before store_issue() returns: a number a
 * resident holds on paper survives kill -9 and power loss, and no number is
 * ever given twice.  The pre-filled application (answers, applicant) is kept
 * apart from the log and deleted when the ticket is done, a no-show, or at
 * the end of its service day (DESIGN.md §5); the log and the stats hold no
 * personal data.
 *
 * All functions are safe to call from several threads on one store.
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

struct store;
struct store_step_arg;

#define STORE_MAX_SERVICES 26
#define STORE_MAX_COUNTERS 32     /* counters per service */
#define STORE_NAME_MAX 96         /* service name, UTF-8 bytes */

struct store_service {
	char letter;                          /* 'A'..'Z' */
	char name[STORE_NAME_MAX];            /* "住民票・証明書" */
	int counters[STORE_MAX_COUNTERS];     /* counter numbers serving it */
	int ncounters;
};

/* Parse the server.services value "A:住民票・証明書:1,2;B:届出・異動:3,4".
 * K_EPARSE naming the part that is wrong. */
int store_parse_services(const char *spec, struct store_service *out,
    size_t max, size_t *n, struct kerr *err);

struct store_config {
	const char *services;          /* server.services; NULL: the default */
	int noshow_after_recalls;      /* server.noshow_after_recalls */
	int estimate_samples;          /* server.estimate_samples (N) */
	int max_called_per_counter;    /* server.max_called_per_counter; 0: 1 */
	int priority_run;              /* server.priority_run; 0: 2 */
	int appointment_before;        /* server.appointment_before (minutes);
	                                * 0: 10 */
	int appointment_after;         /* server.appointment_after; 0: 15 */
	bool visit_place_step;         /* server.visit_place = step: a visit's
	                                * later step placed by its arrival
	                                * there, not by the visit's issue */
};

/* path ":memory:" in tests.  Creates or migrates the schema (user_version). */
int  store_open(struct store **out, const char *path,
    const struct store_config *cfg, struct kerr *err);
void store_close(struct store *st);

const struct store_service *store_services(const struct store *st, size_t *n);
const struct store_service *store_service(const struct store *st, char letter);

enum store_state {
	ST_WAITING, ST_CALLED, ST_SERVING, ST_DONE, ST_NO_SHOW,
	ST_CARRIED_OVER,              /* served another day (staff said so) */
	ST_AWAY,                      /* the resident stepped out: not called,
	                               * its place (issue time) kept */
	ST_CANCELLED,                 /* the resident gave up the ticket */
};
const char *store_state_name(enum store_state s);   /* "no_show" */

enum {
	STORE_F_CARD = 1 << 0,        /* the My Number card was read */
	STORE_F_ASSIST = 1 << 1,      /* assisted (volunteer / large text) */
	STORE_F_PRIORITY = 1 << 2,    /* called before others of its services */
	STORE_F_PRINTED = 1 << 3,     /* the kiosk printed the paper ticket */
};

#define STORE_TOKEN_LEN 32        /* hex characters of the 128-bit token */

struct store_ticket {
	int64_t id;
	char number[16];              /* "A-023": letter of the issuing service */
	char service;                 /* service it waits for now (transfer) */
	int seq;                      /* 23 */
	char day[11];                 /* service day "2026-11-28" (Asia/Tokyo) */
	enum store_state state;
	char procedure[64];
	char lang[16];
	char kiosk[64];
	unsigned flags;               /* STORE_F_* */
	char token[STORE_TOKEN_LEN + 1];
	int64_t issued_ms, called_ms, started_ms, finished_ms; /* 0: not yet */
	int counter;                  /* 0: not called */
	int recalls;
	int default_min;              /* the procedure's minutes (estimate) */
	bool replayed;                /* request_id seen before: the first
	                               * result again, nothing changed */
	bool held;                    /* K_EBUSY from a call: this is the
	                               * ticket the counter holds already */
	char note[256];               /* transfer note */
	char step[64];                /* a visit: the procedure waited for now */
	char route[256];              /* a visit: the steps after it */
	/* an appointment's ticket (store_appt.c): its slot (0: a walk-in),
	 * "10:30", and how it arrived ("early", "on_time", "late") */
	int64_t appt_ms;
	/* its place in its line: the issue time, or a visit's arrival at
	 * its step with server.visit_place = step */
	int64_t line_ms;
	char appt_time[6];
	char appt_arrival[8];
	/* store_issue() of an appointment: no counter serving its service
	 * is open (an "appointment_closed" alert was raised, in alert) */
	bool counter_closed;
	int64_t alert_id;
	/* The application as JSON {"answers":..,"applicant":..,"fee_yen":..},
	 * NULL when there is none or it was deleted.  Personal data: freed and
	 * wiped by store_ticket_clear(). */
	char *application;
	/* filled by store_issue() and store_status(): */
	int ahead;                    /* people before it in its service */
	int wait_min;                 /* estimated minutes */
};

void store_ticket_clear(struct store_ticket *t);

struct store_issue_req {
	const char *procedure;        /* validated by the caller (catalog) */
	char service;                 /* the procedure's service letter */
	int default_min;              /* the procedure's default minutes */
	const char *lang;
	const char *kiosk;            /* may be NULL */
	unsigned flags;               /* STORE_F_CARD | ASSIST | PRIORITY */
	const char *application;      /* JSON text or NULL (personal data) */
	const char *request_id;       /* kiosk's idempotency key, or NULL */
	const char *step, *route;     /* a visit (life event), or NULL */
	/* an appointment's booking code (its check-in), or NULL: a walk-in.
	 * It must be today's, booked (or marked a no-show: a late arrival),
	 * for this procedure; K_ENOTFOUND, K_EINVAL (another day, another
	 * procedure) or K_EBUSY (cancelled, checked in) otherwise, and
	 * store_appt_get() says which. */
	const char *appointment;
};

/* Number, token and commit; out gets ahead and wait_min.  K_ENOTFOUND for
 * an unknown service.  With a request_id already stored, nothing new is
 * issued: out is that ticket and out->replayed is set.  With req->kiosk,
 * a mark staff set for that kiosk's next ticket (store_priority_next) is
 * taken in the same transaction and the ticket is priority. */
int store_issue(struct store *st, const struct store_issue_req *req,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
/* The issue without waiting for its commit: K_OK when it is queued, and
 * done(done_arg, rc, err) is called, with store_issue()'s result, once
 * the commit holding it returned: on the store's writer thread (or on the
 * caller's, before this returns, with no writer thread).  req and what it
 * points to, and out, must last until then; done must not wait. */
typedef void store_done_fn(void *done_arg, int rc, const struct kerr *err);
int store_issue_start(struct store *st, const struct store_issue_req *req,
    int64_t now_ms, struct store_ticket *out, store_done_fn *done,
    void *done_arg, struct kerr *err);

/* Call at arg->counter: the next ticket (number NULL) or one number.  A
 * counter holds at most server.max_called_per_counter tickets called or in
 * service: beyond that K_EBUSY with out->held set and out the ticket it
 * holds (oldest call first).  arg->request_id as in store_step(). */
int store_call(struct store *st, const struct store_step_arg *arg,
    const char *number, int64_t now_ms, struct store_ticket *out,
    struct kerr *err);
/* Today's ticket with this number ("A-023"), without its application;
 * K_EINVAL for a malformed number, K_ENOTFOUND when there is none. */
int store_get_number(struct store *st, const char *number, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);
/* Today's tickets called or in service at counter, oldest call first, each
 * with its application (a console that reconnects shows them). */
int store_counter_tickets(struct store *st, int counter, int64_t now_ms,
    struct store_ticket *out, size_t max, size_t *n, struct kerr *err);

/* Call the next ticket for a counter: among today's waiting tickets of the
 * services the counter serves, priority first, then the earliest issue
 * time; after server.priority_run priority calls in a row for those
 * services, by issue time alone (no starvation).  Atomic: two counters
 * never get the same ticket.  K_ENOTFOUND when nobody waits, K_EINVAL for a
 * counter that serves no service, K_EBUSY (out->held) when the counter
 * holds its maximum already (store_call). */
int store_call_next(struct store *st, int counter, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
/* Call one number ("A-023") out of order; it must be waiting today, or
 * called at another counter (re-called here). */
int store_call_number(struct store *st, int counter, const char *number,
    const char *staff, int64_t now_ms, struct store_ticket *out,
    struct kerr *err);

/*
 * The steps of a ticket after its issue, as one table: the event each
 * writes (also the name of the event sent to listeners), the states the
 * ticket may be in, the state it goes to, and whether its application is
 * deleted.  store_step.c runs them; the API maps its routes onto them.
 */
enum store_step_kind {
	STORE_STEP_CALL,              /* to a counter (call next / a number) */
	STORE_STEP_RECALL,
	STORE_STEP_START,
	STORE_STEP_DONE,
	STORE_STEP_NO_SHOW,
	STORE_STEP_TRANSFER,
	STORE_STEP_REQUEUE,           /* back to waiting, its place kept */
	STORE_STEP_CARRY_OVER,        /* served another day: ends it today */
	STORE_STEP_AWAY,              /* "I'll come back later" (phone) */
	STORE_STEP_BACK,              /* back in the line at its place */
	STORE_STEP_CANCEL,            /* "cancel" (phone): ends it */
	STORE_STEP_NEXT,              /* a visit's step done: the next one */
	STORE_NSTEPS
};

struct store_step {
	const char *event;            /* "recalled": event log and listeners */
	const char *what;             /* "recall": in error messages */
	unsigned from;                /* allowed states: 1u << ST_* */
	enum store_state to;          /* state after the step */
	bool drops_application;       /* personal data gone with the ticket */
	bool needs_recalls;           /* only after noshow_after_recalls */
	bool at_counter;              /* the step names a counter */
	bool to_service;              /* the step names a service (and note) */
	const char *sql;              /* the store's UPDATE (store_step.c runs it) */
};
extern const struct store_step store_steps[STORE_NSTEPS];

/* A visit's steps still to come (arg->route), set by staff; the ticket
 * keeps its state.  K_EINVAL for a ticket that is no visit, K_EBUSY for a
 * finished one.  arg->staff and arg->request_id as in store_step(). */
int store_route(struct store *st, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);

struct store_step_arg {
	int counter;                  /* at_counter steps */
	char service;                 /* to_service steps */
	const char *note;             /* to_service steps; may be NULL */
	const char *staff;            /* who, for the log; may be NULL */
	/* The console's idempotency key: a step repeated with the same one
	 * changes nothing and answers the ticket it acted on (replayed).  Kept
	 * with the action in one transaction, so a lost answer is never a
	 * second call.  NULL: none. */
	const char *request_id;
	const char *step, *route;     /* STORE_STEP_NEXT, store_route() */
};

/* Step k of ticket id.  K_ENOTFOUND: no such ticket (or service);
 * K_EBUSY: the ticket is not in a state that allows the step (message
 * says which); K_EINVAL: a counter that serves no service. */
int store_step(struct store *st, enum store_step_kind k, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);

/* The steps by name (store_step with one kind). */
int store_recall(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
int store_start(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
int store_done(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
/* Allowed after noshow_after_recalls recalls (K_EBUSY before). */
int store_no_show(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err);
/* Back to waiting in another service, keeping the issue time and number. */
int store_transfer(struct store *st, int64_t id, char service,
    const char *note, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);
/* The kiosk printed the ticket (or reports it could not: printed false). */
int store_mark_printed(struct store *st, int64_t id, bool printed,
    int64_t now_ms, struct kerr *err);

/* Look-ups; with_application copies the application (staff view only). */
int store_get(struct store *st, int64_t id, bool with_application,
    struct store_ticket *out, struct kerr *err);
/* By token, with ahead and wait_min for a waiting ticket. */
int store_status(struct store *st, const char *token, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);

/* Queue summary per service, for today. */
struct store_serving { char number[16]; int counter; };
struct store_summary {
	char letter;
	int waiting;
	int away;                     /* stepped out, place kept (ST_AWAY) */
	int appointments;             /* of waiting: appointments called by
	                               * their slot (checked in early or on
	                               * time) */
	int oldest_wait_min;          /* 0 when nobody waits */
	struct store_serving serving[STORE_MAX_COUNTERS];
	int nserving;
};
int store_queue(struct store *st, int64_t now_ms,
    struct store_summary *out, size_t max, size_t *n, struct kerr *err);

/* The latest calls today (called or recalled), newest first. */
struct store_call {
	char number[16];
	int counter;
	char service;
	int64_t at_ms;
	bool priority;                /* the board marks priority calls */
	char lang[8];                 /* the ticket's language: the board's
	                               * call-out also speaks it */
};
int store_board(struct store *st, int64_t now_ms, struct store_call *out,
    size_t max, size_t *n, struct kerr *err);

/* Help request: kind "resident", "printer" or "paper_low". */
int store_help(struct store *st, const char *kiosk, const char *kind,
    int64_t now_ms, int64_t *id_out, struct kerr *err);

/*
 * Alerts are state, not messages (store_alert.c): a help request or a fault
 * stays open until one member of staff takes it (who and when are kept and
 * logged), so a console that signs in late still sees it.  Kinds (the API
 * checks them; docs/counter-operations.md says what each means):
 *   resident, card_last_try, card_blocked, card_reader, printer,
 *   printer_paper, paper_low, printer_offline, server_link, kiosk_silent,
 *   appointment_closed
 * An open alert of the same kiosk, kind and ticket number is not raised a
 * second time: the kiosk may repeat itself (idle printer checks) without
 * flooding the consoles.
 */
#define STORE_ALERT_KIND_MAX 24
struct store_alert {
	int64_t id;
	char kind[STORE_ALERT_KIND_MAX];
	char kiosk[64];
	char number[16];              /* the ticket it is about, "" for none */
	char detail[64];              /* e.g. the printer's reason "paper_out" */
	int64_t at_ms;
	int64_t taken_ms;             /* 0: open */
	char taken_by[33];
	bool repeat;                  /* raise: it was already open */
};
int store_alert_raise(struct store *st, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t now_ms,
    struct store_alert *out, struct kerr *err);
/* Open alerts, oldest first (at most max; *n how many). */
int store_alerts_open(struct store *st, struct store_alert *out, size_t max,
    size_t *n, struct kerr *err);
/* Take an open alert.  Taking it again by the same staff is a repeat (K_OK);
 * K_EBUSY when someone else already took it (message names who),
 * K_ENOTFOUND for no such alert. */
int store_alert_take(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_alert *out, struct kerr *err);

/* A kiosk's heartbeat: it is alive, with its printer's state ("ok",
 * "paper_out", ...).  Clears its "silent" mark so that a later silence is
 * raised again. */
int store_kiosk_seen(struct store *st, const char *kiosk, const char *printer,
    int64_t now_ms, struct kerr *err);
/* Raise "kiosk_silent" for every kiosk not heard for silent_ms (once per
 * silence).  out gets the alerts raised (at most max). */
int store_kiosks_check(struct store *st, int64_t silent_ms, int64_t now_ms,
    struct store_alert *out, size_t max, size_t *n, struct kerr *err);

/*
 * Priority (store_ops.c; the rule in docs/counter-operations.md).  A waiting
 * ticket of today is marked (or unmarked) by staff (kiosk NULL), or by the
 * kiosk that issued it (a volunteer's long press).  K_EBUSY for a ticket
 * that does not wait, is another day's or another kiosk's; out->replayed
 * when it already was so.
 */
int store_set_priority(struct store *st, int64_t id, bool on,
    const char *kiosk, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);
/* Before the issue: the next ticket of kiosk (within 10 minutes) is
 * priority.  store_issue() with that kiosk takes the mark;
 * store_priority_take() clears it alone, *taken when it was there. */
int store_priority_next(struct store *st, const char *kiosk, bool on,
    const char *staff, int64_t now_ms, struct kerr *err);
int store_priority_take(struct store *st, const char *kiosk, int64_t now_ms,
    bool *taken, struct kerr *err);

/* Reprints: target "kiosk:ID" (the kiosk prints it when its heartbeat
 * fetches it) or "counter:N" (the server prints on that counter's
 * printer).  Each is logged ("reprint" asked, "reprinted" with the result);
 * the paper says 再発行 / REPRINT. */
struct store_reprint {
	int64_t id;
	int64_t ticket_id;
	char target[80];
	char staff[33];
	int64_t at_ms, done_ms;       /* done_ms 0: not printed yet */
	char result[32];              /* "printed" or the printer's reason */
	bool replayed;                /* done: the answer came before */
};
/* done: it was printed already (the kiosk's own reprint, a counter
 * printer): printed and reason say how it went.  A request_id seen before
 * answers that reprint again (out->replayed), nothing new. */
int store_reprint_add(struct store *st, int64_t ticket_id, const char *target,
    const char *staff, const char *request_id, bool done, bool printed,
    const char *reason, int64_t now_ms, struct store_reprint *out,
    struct kerr *err);
/* Today's reprints for target not done yet, oldest first. */
int store_reprints_for(struct store *st, const char *target, int64_t now_ms,
    struct store_reprint *out, size_t max, size_t *n, struct kerr *err);
/* The answer for reprint id (target NULL: any; else it must match). */
int store_reprint_done(struct store *st, int64_t id, const char *target,
    bool printed, const char *reason, int64_t now_ms,
    struct store_reprint *out, struct kerr *err);

/* Figures for one service day ("YYYY-MM-DD"): minutes, -1 when no data. */
struct store_stats {
	char letter;
	int issued, served, no_show, waiting;
	double wait_median_min, wait_p90_min;
	double service_median_min, service_p90_min;
};
int store_stats(struct store *st, const char *day, struct store_stats *out,
    size_t max, size_t *n, struct kerr *err);

/* Wait-log rows for open data (no personal data), for days from..to
 * inclusive; fn is called once per ticket.  Times in ms, 0 when absent. */
struct store_log_row {
	const char *day;
	char number[16];
	char service;                 /* the service it was issued for */
	char final_service;
	const char *procedure;
	const char *lang;
	unsigned flags;
	enum store_state state;
	int counter;
	int recalls;
	int64_t issued_ms, called_ms, started_ms, finished_ms;
	int64_t last_called_ms;       /* differs from called_ms after transfer */
	int default_min;              /* the procedure's minutes at issue */
	int promised_min;             /* wait_min given at issue; -1: unknown */
	int ahead_at_issue;           /* ahead given at issue; -1: unknown */
};
int store_log(struct store *st, const char *from_day, const char *to_day,
    int (*fn)(const struct store_log_row *row, void *arg), void *arg,
    struct kerr *err);

/* Delete applications of tickets issued before the service day of now_ms.
 * Done by the first change of each new day; the server also calls this
 * every minute so that an idle night does not keep them (cheap when the
 * day has not changed). */
int store_purge_personal(struct store *st, int64_t now_ms, struct kerr *err);

/* Backups (kiosk/queue/store_backup.c).  store_backup() copies the live
 * database at db_path (the server may be running) to out_path without
 * personal data: no applications, no transfer notes; written to a
 * temporary name, synced and renamed, mode 0600.  store_check_file()
 * checks a file before a restore: integrity, a schema version this
 * program knows (K_EINVAL when newer), the tables; K_EPARSE when it is not
 * a kiosk database.  store_restore() checks, then copies backup_path over
 * db_path (stop the server first).  store_file_bytes(): the database and
 * its WAL in bytes, -1 when absent. */
int store_backup(const char *db_path, const char *out_path, struct kerr *err);
int store_check_file(const char *path, int *version_out, struct kerr *err);
int store_restore(const char *backup_path, const char *db_path,
    struct kerr *err);
int64_t store_file_bytes(const char *db_path);
/* The printers as the kiosks reported them today (for /api/health). */
struct store_printer_state {
	int last_printed;             /* last ticket: 1 printed, 0 not, -1 none */
	int64_t last_at_ms;
	int open_alerts;              /* unresolved printer / paper_low help */
};
int store_printer_state(struct store *st, int64_t now_ms,
    struct store_printer_state *out, struct kerr *err);
/* The schema version (PRAGMA user_version) this program writes. */
int store_schema_version(void);

/* Changes committed and the commits that held them (group commit: many
 * changes share one commit and its fsync). */
void store_write_stats(struct store *st, uint64_t *changes,
    uint64_t *commits);

/* Work done by the store's queries since the last call: SQLite virtual
 * machine steps of its kept statements, on every connection.  For the
 * test that keeps the cost of a ticket flat as the day grows. */
uint64_t store_work(struct store *st);

/* For the test that keeps the issue, call and status paths indexed: fn
 * gets each of their statements (by name) with each line of its query
 * plan ("SEARCH tickets USING INDEX ..."). */
int store_query_plans(struct store *st, void (*fn)(const char *name,
    const char *plan, void *arg), void *arg, struct kerr *err);

/*
 * Appointments (store_appt.c; the rule in docs/visits.md).  A booking for
 * a day, a slot ("10:30"), a procedure and its service, with a booking
 * code of 6 to 12 digits (a key, not personal data: logs name its last 2
 * digits at most).  Checked in by store_issue() with req->appointment.
 */
enum store_appt_state {
	APPT_BOOKED, APPT_CHECKED_IN, APPT_NO_SHOW, APPT_CANCELLED,
};
const char *store_appt_state_name(enum store_appt_state s); /* "no_show" */

#define STORE_CODE_MIN 6
#define STORE_CODE_MAX 12
struct store_appt {
	int64_t id;
	char day[11];                 /* "2026-12-03" */
	char time[6];                 /* "10:30" */
	int64_t slot_ms;
	char service;
	char procedure[64];
	char code[STORE_CODE_MAX + 1];
	enum store_appt_state state;
	int64_t ticket_id;            /* 0: not checked in */
	char number[16];              /* its ticket's number, "" */
	char source[8];               /* "staff" or "import" */
	char arrival[8];              /* "early", "on_time", "late", "" */
	int64_t created_ms, checked_in_ms;
	bool replayed;                /* store_appt_add(): it was there */
};

/* A code as typed: 6 to 12 ASCII digits, nothing else. */
bool store_appt_code_ok(const char *code);
/* How an arrival at now_ms is for a slot: "early" (before the window),
 * "on_time" (slot - appointment_before .. slot + appointment_after) or
 * "late". */
const char *store_appt_arrival(const struct store *st, int64_t slot_ms,
    int64_t now_ms);

struct store_appt_req {
	const char *day;              /* "YYYY-MM-DD" */
	const char *time;             /* "HH:MM" */
	char service;                 /* checked by the caller (catalog) */
	const char *procedure;
	const char *code;             /* NULL: one is made (8 digits) */
	const char *source;           /* "staff" or "import" */
	const char *staff;            /* for the log; may be NULL */
};
/* Check one request's fields: K_EINVAL naming the field ("time must be
 * HH:MM"), *field set to its name. */
int store_appt_check(const struct store *st, const struct store_appt_req *r,
    const char **field, struct kerr *err);
/* Add one.  A code already booked is K_EBUSY, unless it is the same
 * booking (out->replayed). */
int store_appt_add(struct store *st, const struct store_appt_req *req,
    int64_t now_ms, struct store_appt *out, struct kerr *err);
/* Add n at once, all or nothing (one transaction).  Every row that cannot
 * be added is given to bad (its index, the field, the reason) and nothing
 * is added (K_EINVAL); *added counts the new ones (identical repeats of a
 * booking are not new).  check_only: the same checks, nothing added. */
int store_appt_import(struct store *st, const struct store_appt_req *rows,
    size_t n, bool check_only, int64_t now_ms, void (*bad)(size_t row,
    const char *field, const char *msg, void *arg), void *arg, size_t *added,
    struct kerr *err);
/* By code (K_EINVAL for a malformed one); K_ENOTFOUND when there is
 * none. */
int store_appt_get(struct store *st, const char *code, struct store_appt *out,
    struct kerr *err);
/* A day's appointments by slot, then code (*out from xmalloc; free it). */
int store_appt_list(struct store *st, const char *day,
    struct store_appt **out, size_t *n, struct kerr *err);
/* Cancel appointment id, booked (or marked a no-show); again is a repeat
 * (out->replayed); K_EBUSY once checked in. */
int store_appt_cancel(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_appt *out, struct kerr *err);
/* Mark every booking whose slot + appointment_after has passed without a
 * check-in a no-show (event "appointment_no_show"); out gets them (at
 * most max, *n of them). */
int store_appt_sweep(struct store *st, int64_t now_ms, struct store_appt *out,
    size_t max, size_t *n, struct kerr *err);

/* Service day of a time ("2026-11-28", Asia/Tokyo), and ISO 8601 with
 * +09:00 ("2026-11-28T09:05:00+09:00"). */
void store_day(int64_t ms, char out[11]);
void store_iso_time(int64_t ms, char out[32]);
/* Parse "YYYY-MM-DD" (a real date); K_EINVAL otherwise. */
int store_parse_day(const char *s, struct kerr *err);

#endif
