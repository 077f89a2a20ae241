/*
 * api_int.h - shared by api.c and the handler files; not for other modules.
 */
#ifndef API_INT_H
#define API_INT_H

#include <jansson.h>
#include <pthread.h>

#include "api.h"
#include "catalog.h"
#include "store.h"

#define API_JSON "application/json; charset=utf-8"
#define API_MAX_PARAMS 4
#define API_RATE_SLOTS 4096

struct api_rate {
	char addr[64];
	int64_t window;               /* start of the minute, ms */
	int count;
};

struct api {
	struct store *store;
	const struct catalog *catalog;
	char *token[3];               /* kiosk, staff, display */
	char *public_url;
	char *web_dir;
	int rate_per_min;
	int near_ahead;               /* server.phone_near_ahead */
	int away_until_min;           /* server.away_until, after midnight */
	void (*emit)(void *arg, const char *event, const char *json);
	void *emit_arg;
	char *db_path;                /* for the health report's size */
	int64_t started_ms;           /* for the health report's uptime */
	char *site_name;
	int (*counter_print)(void *arg, int counter, const struct ticket_info *t,
	    char *reason, size_t n);
	void *print_arg;
	int max_called;               /* server.max_called_per_counter */
	pthread_mutex_t rate_mu;
	struct api_rate rate[API_RATE_SLOTS];
	/* evidence (api_evidence.c): parameters and caches under ev_mu */
	struct ev_params ev;
	pthread_mutex_t ev_mu;
	json_t *ev_typical;           /* typical waits of ev_typical_day */
	int ev_typical_day;
	int64_t ev_typical_at;
	char *ev_body;                /* the last /api/congestion answer */
	int64_t ev_body_at;
	json_t *ev_staffing;          /* staffing advice before that day */
	int ev_staffing_day;
	int64_t ev_staffing_at;
};

/* A request answered after its commit (api_req.wake): the handler's
 * state begins with this; finish fills the answer and frees it all. */
struct api_pending {
	void (*finish)(struct api_pending *p, struct api_resp *resp);
};

/* handlers (api_ticket.c, api_phone.c, api_web.c, api_staff.c, ...) */
api_fn api_h_health, api_h_issue, api_h_ticket, api_h_printed,
    api_h_recall, api_h_start, api_h_done, api_h_no_show, api_h_transfer,
    api_h_call, api_h_queue, api_h_board, api_h_events, api_h_help,
    api_h_status, api_h_status_events, api_h_stats, api_h_page, api_h_phone, api_h_static,
    api_h_alerts, api_h_alert_take, api_h_heartbeat, api_h_reprint,
    api_h_reprint_done, api_h_reprinted, api_h_priority, api_h_kiosk_priority,
    api_h_priority_next, api_h_requeue, api_h_carry_over, api_h_counter,
    api_h_status_away, api_h_status_back, api_h_status_cancel, api_h_back,
    api_h_ticket_number;
/* api_evidence.c */
api_fn api_h_congestion;
void api_ev_init(struct api *a, const struct api_opts *o);
void api_ev_free(struct api *a);
int api_stats_evidence(struct api *a, const char *day, int64_t now_ms,
    json_t *o, struct kerr *err);

/* helpers (api.c; api_wall_ms in api_health.c) */
bool api_token_equal(const char *given, const char *want);
int64_t api_wall_ms(void);
void api_json(struct api_resp *resp, int status, json_t *o);
/* Append str to b as a JSON string (quoted; '"', '\\' and control
 * characters escaped; a byte that is not UTF-8 becomes U+FFFD), for an
 * answer written without building it in jansson (the issue's). */
void api_json_str(struct bytebuf *b, const char *str);
void api_emit(struct api *a, const char *event, json_t *data);
void api_store_error(struct api_resp *resp, int rc, const struct kerr *err);
bool api_rate_ok(struct api *a, const char *remote, int64_t now_ms,
    int *retry_s);
const char *api_bearer(const struct api_req *req);
json_t *api_body(const struct api_req *req, bool empty_ok,
    struct api_resp *resp);
bool api_known_keys(json_t *o, const char *const *allowed, const char *where,
    struct api_resp *resp);
void api_printable(const char *s, char *out, size_t n);
bool api_str(json_t *o, const char *key, bool required, size_t max,
    const char **out, struct api_resp *resp);
bool api_bool(json_t *o, const char *key, bool *out, struct api_resp *resp);
bool api_param_id(const char *s, const char *what, int64_t max, int64_t *out,
    struct api_resp *resp);
/* a listing's optional ?date=YYYY-MM-DD, today by default */
bool api_query_day(const struct api_req *req, int64_t now_ms, char day[16],
    struct api_resp *resp);
/* a catalog procedure by id, or NULL answered (503 / 400) */
const struct cat_procedure *api_procedure(struct api *a, const char *id,
    struct api_resp *resp);
/* a ticket as the staff console sees it (T in the API) */
json_t *api_ticket_json(struct api *a, const struct store_ticket *t,
    bool with_application);
/* event data for a ticket change (no personal data) */
json_t *api_ticket_event(const struct store_ticket *t, int64_t now_ms);

/* a staff action's optional "request_id" (api_staff.c) */
bool api_request_id(json_t *root, const char **out, struct api_resp *resp);
/* api_visit.c: one number for a whole visit */
api_fn api_h_route;
bool api_visit_route(struct api *a, const struct cat_procedure *p,
    char *step, size_t step_n, char *route, size_t route_n);
char api_visit_service(struct api *a, const char *step);
bool api_visit_needs_application(struct api *a, const char *step);
bool api_visit_next(struct api *a, const struct store_ticket *t,
    char *service, char *step, size_t step_n, const char **rest);
json_t *api_visit_json(struct api *a, const struct store_ticket *t);
/* the counters text shown to residents (api_ticket.c) */
void api_counter_text(struct api *a, const struct cat_procedure *p,
    char service, char *out, size_t n);

/* appointments (api_appt.c) */
api_fn api_h_appt_lookup, api_h_appt_list, api_h_appt_add,
    api_h_appt_cancel;
bool api_appt_code(json_t *root, const char *key, bool required,
    const char **out, struct api_resp *resp);
bool api_appt_refusal(struct api *a, const struct store_appt *ap,
    const char *procedure, int64_t now_ms, struct api_resp *resp);
bool api_appt_why(struct api *a, const char *code, const char *procedure,
    int64_t now_ms, struct api_resp *resp);
json_t *api_appt_ticket_json(const struct store_ticket *t);
void api_appt_closed_alert(struct api *a, const struct store_ticket *t,
    int64_t now_ms);

/* alerts (api_alert.c) */
bool api_alert_kind_ok(const char *kind);
bool api_number_ok(const char *s);
bool api_kiosk_ok(const char *s);
bool api_staff_ok(const char *s);
json_t *api_alert_json(const struct store_alert *al);
/* reprints (api_reprint.c) */
void api_ticket_info(struct api *a, const struct store_ticket *t,
    struct ticket_info *ti);
json_t *api_reprint_json(const struct store_reprint *r,
    const struct store_ticket *t);
json_t *api_kiosk_reprints(struct api *a, const char *kiosk, int64_t now_ms);

#endif
