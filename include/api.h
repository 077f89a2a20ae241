/*
 * api.h - the queue server's HTTP API as data: method + path pattern ->
 * handler (DESIGN.md §4).  No sockets here: kiosk/server/http.c turns a
 * libmicrohttpd request into a struct api_req and sends the api_resp back,
 * so every handler is tested by calling api_dispatch() on a ":memory:"
 * store.
 *
 * Errors are 4xx with {"error": CODE, "detail": "what is wrong"}; a request
 * that is refused stores nothing.  Roles carry "Authorization: Bearer
 * TOKEN"; a role whose token is empty accepts loopback callers only.
 */
#ifndef API_H
#define API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "evidence.h"
#include "kerr.h"

struct store;
struct catalog;
struct ticket_info;
struct api;

struct api_opts {
	struct store *store;
	const struct catalog *catalog;    /* procedures are checked against it */
	const char *token_kiosk;          /* "" or NULL: loopback callers only */
	const char *token_staff;
	const char *token_display;
	const char *public_url;           /* "http://127.0.0.1:8080" */
	const char *web_dir;              /* "assets/web" (static pages) */
	int status_rate_per_min;          /* per remote address, /api/status */
	int phone_near_ahead;             /* phone alerts at this many ahead */
	int away_until_min;               /* minutes after midnight (Tokyo) */
	const char *db_path;              /* server.db: its size in /api/health */
	struct ev_params evidence;        /* accuracy, staffing, /congestion */
	const char *site_name;            /* kiosk.site_name (/congestion, reprints) */
	/* Called after a change is committed, with the event name ("issued",
	 * "called", ...) and its JSON data (no personal data).  May be NULL. */
	void (*emit)(void *arg, const char *event, const char *json);
	void *emit_arg;
	int max_called_per_counter;       /* as given to the store (shown) */
	/* Print a reprint on counter's printer (server.counter_printers):
	 * K_OK when printed; K_ENOTFOUND when that counter has none; else the
	 * printer's reason in reason.  NULL: no counter printers. */
	int (*counter_print)(void *arg, int counter, const struct ticket_info *t,
	    char *reason, size_t n);
	void *print_arg;
};

int  api_new(struct api **out, const struct api_opts *opts, struct kerr *err);
void api_free(struct api *a);

struct api_req {
	const char *method;           /* "GET" */
	const char *path;             /* "/api/tickets/12/done", no query */
	const char *query;            /* "date=2026-11-28" or NULL */
	const char *bearer;           /* token after "Bearer ", or NULL */
	const char *remote;           /* caller address text, for rate limits */
	bool loopback;                /* caller is 127.0.0.0/8 or ::1 */
	const char *body;             /* may be NULL when body_len is 0 */
	size_t body_len;
	/* Set by a caller that must not wait (libmicrohttpd's polling
	 * thread), for a route api_nowait() names: the handler queues its
	 * change, sets resp->pending and returns; wake(wake_arg) is called
	 * (from the store's writer thread, or before api_dispatch() returns)
	 * once the change is durable, and api_finish() gives the answer.
	 * NULL: the handler answers before it returns. */
	void (*wake)(void *wake_arg);
	void *wake_arg;
};

struct api_pending;

struct api_resp {
	int status;                   /* 200, 201, 204, 4xx, 5xx */
	const char *content_type;     /* static string */
	struct bytebuf body;
	char *file;                   /* static route: serve this file instead */
	bool sse;                     /* /api/events: start an event stream */
	bool sse_public;              /* a phone's stream: no help events */
	int retry_after_s;            /* 429: seconds to wait, else 0 */
	int max_age_s;                /* public answer others may cache this
	                               * long (Cache-Control); 0: no-store */
	struct api_pending *pending;  /* no answer yet: see api_req.wake */
};

/* Route one request.  Always fills resp (status and body); returns 0.
 * Free resp with api_resp_free(). */
int  api_dispatch(struct api *a, const struct api_req *req, int64_t now_ms,
    struct api_resp *resp);
void api_resp_free(struct api_resp *resp);
/* Does this request queue its change without waiting when req->wake is
 * set (so it may run on a thread that must not block)? */
bool api_nowait(const char *method, const char *path);
/* The answer of a pending request, after its wake: fills resp as
 * api_dispatch() does, and frees p.  Called once for each pending. */
void api_finish(struct api_pending *p, struct api_resp *resp);

enum api_auth {
	API_PUBLIC = 0,
	API_KIOSK = 1 << 0,
	API_STAFF = 1 << 1,
	API_DISPLAY = 1 << 2,
};

typedef void api_fn(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp);

struct api_route {
	const char *method;
	const char *pattern;          /* "/api/tickets/{}/done": {} one segment */
	unsigned auth;                /* API_* roles allowed; 0: public */
	api_fn *fn;
};

extern const struct api_route api_routes[];
extern const size_t api_nroutes;

/* Write an error response: status, {"error": code, "detail": detail}. */
void api_error(struct api_resp *resp, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Raise "kiosk_silent" for kiosks not heard for silent_ms (once per
 * silence) and tell the consoles.  The server calls it every few seconds. */
void api_check_kiosks(struct api *a, int64_t silent_ms, int64_t now_ms);

/* Mark the bookings whose window passed without a check-in no-shows and
 * tell the consoles (docs/visits.md).  The server calls it every minute. */
void api_appt_sweep(struct api *a, int64_t now_ms);

#endif
