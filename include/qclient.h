/*
 * qclient.h - the HTTP client the kiosk UI roles use to talk to the queue
 * server (DESIGN.md §4).  Every call blocks: run it on a worker thread,
 * never on the UI thread.  Each call has a time-out (qclient_new) and
 * returns K_OK or:
 *   K_ENODEV    the server cannot be reached (refused, time-out, reset):
 *               show "受付を一時停止しています" and retry later
 *   K_EAUTH     the server refused the token (401/403)
 *   K_EINVAL    the server refused the request (4xx); err->msg has its detail
 *   K_EBUSY     429 or 503: try again later
 *   K_EPARSE    the server's answer is not what the API promises
 * A ticket is committed by the server before it answers, so a K_ENODEV on
 * qclient_issue() after the request was sent may still have issued one;
 * the caller does not silently retry an issue (DESIGN.md §6).
 *
 * One struct qclient may be used from several threads at once (each call
 * opens its own connection).  No personal data is logged.
 */
#ifndef QCLIENT_H
#define QCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"
#include "print.h"

struct qclient;
struct bytebuf;

/* base_url "http://127.0.0.1:8080" or "https://host:8443"; token may be
 * NULL/"". */
int  qclient_new(struct qclient **out, const char *base_url,
    const char *token, int timeout_ms, struct kerr *err);
/* For an https:// server: the PEM file (kiosk.server_ca) its certificate
 * must be or chain to; NULL or "": the system's CAs.  The certificate must
 * name the URL's host either way.  A refused certificate is K_EAUTH. */
void qclient_set_ca(struct qclient *c, const char *ca_file);
void qclient_free(struct qclient *c);

/* One answer to a catalog question: the question id and the answer as text
 * ("2", "tohon", "yes", "2026-04-01"). */
struct qclient_answer {
	const char *id;
	const char *value;
};

/* Basic 4 from the card (any field may be NULL). Personal data: the client
 * wipes its copies of the request body after sending. */
struct qclient_applicant {
	const char *name, *name_kana, *address;
	const char *birth;            /* "1980-04-01" */
	const char *sex;              /* "1" male, "2" female (card coding) */
	const char *mynumber;         /* 12 digits, only if the procedure needs it */
};

struct qclient_issue_req {
	const char *procedure;        /* catalog id, "juminhyo" */
	const char *lang;             /* "ja", "vi", ... */
	const struct qclient_answer *answers;
	size_t nanswers;
	const struct qclient_applicant *applicant;   /* NULL: none */
	bool card, assist, priority;
	const char *kiosk;            /* "kiosk-1" or NULL */
	int fee_yen;                  /* < 0: not sent */
	/* Idempotency key, the same for every retry of one issue: the server
	 * answers a repeat with the ticket it already issued.  NULL: none. */
	const char *request_id;
	/* The booking code checked in (qclient_appointment_lookup); the
	 * procedure must be the appointment's.  NULL: a walk-in. */
	const char *appointment;
};

struct qclient_ticket {
	int64_t id;
	char number[16];              /* "A-023" */
	char service;                 /* 'A' */
	char token[33];
	char url[256];                /* phone page for the QR code */
	int ahead;
	int wait_min;
	char counter[32];             /* "1,2" */
	/* A check-in (req->appointment): the slot, how the arrival counted,
	 * and whether no counter of the service is open (staff were told). */
	char appt_time[6];            /* "10:30"; "": not an appointment */
	char appt_arrival[8];         /* "early" | "on_time" | "late" */
	bool counter_closed;
};

int qclient_issue(struct qclient *c, const struct qclient_issue_req *req,
    struct qclient_ticket *out, struct kerr *err);

/* A booking code: 6 to 12 ASCII digits (APPT_CONTRACT.md). */
#define QCLIENT_CODE_MIN 6
#define QCLIENT_CODE_MAX 12

/*
 * What a resident or a QR scanner typed, as a booking code: the digits,
 * or "APPT:" and the digits, spaces around ignored.  K_OK with the code
 * in out; K_EINVAL naming what is wrong (no personal data: a code is
 * not, but the message never repeats it).
 */
int qclient_appointment_code(const char *typed, char out[QCLIENT_CODE_MAX + 1],
    struct kerr *err);

/* The answer of POST /api/appointments/lookup. */
struct qclient_appointment {
	char code[QCLIENT_CODE_MAX + 1];
	char date[11];                /* "2026-12-03" */
	char time[6];                 /* "10:30" */
	char service;                 /* 'B' */
	char procedure[64];           /* catalog id */
	char state[16];               /* "booked" */
	char arrival[8];              /* "early" | "on_time" | "late" */
	/* a refusal (K_ENOTFOUND, K_EINVAL): the server's word
	 * ("appointment_not_found", "appointment_other_day",
	 * "appointment_cancelled", "appointment_checked_in", "bad_code"),
	 * with the booked day or the ticket already issued when it says */
	char error[40];
	char other_date[11];
	char number[16];
};

/*
 * Look a booking code up (kiosk token).  K_OK: found and bookable today
 * (out filled); K_ENOTFOUND: no such code; K_EINVAL: refused (out->error
 * says why: other day, cancelled, already checked in, bad code);
 * K_ENODEV / K_EAUTH / K_EBUSY / K_EPARSE as for every call.
 */
int qclient_appointment_lookup(struct qclient *c, const char *code,
    struct qclient_appointment *out, struct kerr *err);

/* Tell the server whether the paper ticket was printed. */
int qclient_printed(struct qclient *c, int64_t id, bool printed,
    struct kerr *err);

#define QCLIENT_MAX_SERVICES 26
#define QCLIENT_MAX_SERVING 32

struct qclient_service {
	char letter;
	char name[96];
	int counters[QCLIENT_MAX_SERVING];
	int ncounters;
	int waiting;
	int oldest_wait_min;
	struct { char number[16]; int counter; } serving[QCLIENT_MAX_SERVING];
	int nserving;
};

struct qclient_queue {
	struct qclient_service services[QCLIENT_MAX_SERVICES];
	size_t nservices;
};

int qclient_queue(struct qclient *c, struct qclient_queue *out,
    struct kerr *err);

/* An alert for staff (POST /api/help): kind "resident", "card_last_try",
 * "card_blocked", "card_reader", "printer", "printer_paper", "paper_low",
 * "printer_offline" or "server_link"; number the ticket it is about and
 * detail a reason word ("paper_out"), each NULL when none.  The server keeps
 * it open until staff take it; the same open alert sent again is one alert.
 * id_out may be NULL. */
int qclient_alert(struct qclient *c, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t *id_out,
    struct kerr *err);
/* qclient_alert() without number or detail. */
int qclient_help(struct qclient *c, const char *kiosk, const char *kind,
    int64_t *id_out, struct kerr *err);
/* A reprint staff asked for: what goes on the paper (marked reprint). */
struct qclient_reprint {
	int64_t id;
	struct ticket_info t;
};
/* The kiosk is alive (POST /api/kiosks/{kiosk}/heartbeat), with its
 * printer's state ("ok", "paper_out,near_end"; NULL: unknown).  The answer
 * lists the reprints waiting for this kiosk (at most max into out; out
 * may be NULL). */
int qclient_heartbeat(struct qclient *c, const char *kiosk,
    const char *printer, struct qclient_reprint *out, size_t max, size_t *n,
    struct kerr *err);
/* How a reprint went (POST /api/kiosks/{kiosk}/reprints/{id}/done). */
int qclient_reprint_done(struct qclient *c, const char *kiosk, int64_t id,
    bool printed, const char *reason, struct kerr *err);
/* The ticket still on screen was printed again at the kiosk (logged). */
int qclient_reprinted(struct qclient *c, const char *kiosk, int64_t ticket_id,
    bool printed, const char *reason, struct kerr *err);
/* A volunteer's long press: the kiosk's own waiting ticket is priority. */
int qclient_set_priority(struct qclient *c, const char *kiosk,
    int64_t ticket_id, bool on, struct kerr *err);

#define QCLIENT_BOARD_CALLS 6

struct qclient_board {
	struct {
		char number[16];
		int counter;
		char service;
		char at[32];          /* ISO 8601 */
		char lang[8];         /* the ticket's language ("" if not said) */
	} calls[QCLIENT_BOARD_CALLS];    /* newest first */
	size_t ncalls;
	struct {
		char letter;
		char name[96];
		int waiting;
	} waiting[QCLIENT_MAX_SERVICES];
	size_t nwaiting;
	char now[32];
};

int qclient_board(struct qclient *c, struct qclient_board *out,
    struct kerr *err);

/* The public status of a ticket (what the phone page shows). */
struct qclient_status {
	char number[16];
	char state[16];               /* waiting|called|serving|done|no_show */
	int ahead;
	int wait_min;
	int counter;                  /* 0: not called */
};

int qclient_status(struct qclient *c, const char *token,
    struct qclient_status *out, struct kerr *err);

/* Low level: one request, the JSON text of the answer in *body_out
 * (malloc'd, NUL-terminated) and its status in *status_out.  method "GET"
 * or "POST"; body may be NULL.  K_ENODEV only for transport
 * failures: any HTTP status is K_OK here. */
int qclient_request(struct qclient *c, const char *method, const char *path,
    const char *body, int *status_out, char **body_out, struct kerr *err);

/* Lower still (qclient_request's parser, fuzzed by
 * tests/fuzz/fuzz_client_reply.c): split the whole raw HTTP/1.x answer in
 * raw (bytebuf: NUL after len; modified) into its status and a malloc'd
 * copy of its body, cut at Content-Length.  K_EPARSE for what is not an
 * answer (or is chunked), K_ENODEV when the body is shorter than its
 * Content-Length; c only names the server in messages. */
int qclient_parse_reply(const struct qclient *c, struct bytebuf *raw,
    int *status, char **body, struct kerr *err);

#endif
