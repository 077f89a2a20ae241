/*
 * api_staff.c - the counters' routes (call, recall, start, done, no-show,
 * transfer, a ticket's detail), the queue summary, the board and the day's
 * figures.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "xmalloc.h"

static json_t *
iso_or_null(int64_t ms)
{
	char iso[32];

	if (ms <= 0)
		return json_null();
	store_iso_time(ms, iso);
	return json_string(iso);
}

json_t *
api_ticket_json(struct api *a, const struct store_ticket *t,
    bool with_application)
{
	const struct cat_procedure *p = a->catalog ?
	    catalog_find(a->catalog, t->procedure) : NULL;
	json_t *o = json_object(), *f = json_object(), *app = NULL;

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "number", json_string(t->number));
	json_object_set_new(o, "service", json_stringn(&t->service, 1));
	json_object_set_new(o, "state", json_string(store_state_name(t->state)));
	json_object_set_new(o, "procedure", json_string(t->procedure));
	json_object_set_new(o, "procedure_name", p ?
	    json_string(catalog_name(p, "ja")) : json_string(t->procedure));
	json_object_set_new(o, "lang", json_string(t->lang));
	json_object_set_new(o, "kiosk", json_string(t->kiosk));
	json_object_set_new(f, "card", json_boolean(t->flags & STORE_F_CARD));
	json_object_set_new(f, "assist", json_boolean(t->flags & STORE_F_ASSIST));
	json_object_set_new(f, "priority",
	    json_boolean(t->flags & STORE_F_PRIORITY));
	json_object_set_new(f, "printed", json_boolean(t->flags & STORE_F_PRINTED));
	json_object_set_new(o, "flags", f);
	json_object_set_new(o, "issued_at", iso_or_null(t->issued_ms));
	json_object_set_new(o, "called_at", iso_or_null(t->called_ms));
	json_object_set_new(o, "counter", t->counter > 0 ?
	    json_integer(t->counter) : json_null());
	json_object_set_new(o, "recalls", json_integer(t->recalls));
	json_object_set_new(o, "note", json_string(t->note));
	/* an appointment's ticket: its slot ("予約 10:30") and arrival */
	json_object_set_new(o, "appointment", t->appt_ms ? json_pack("{s:s,s:s}",
	    "time", t->appt_time, "arrival", t->appt_arrival) : json_null());
	/* a visit: its steps; the application goes only to the counters
	 * whose step asks for it */
	json_object_set_new(o, "visit", api_visit_json(a, t));
	if (with_application && t->application &&
	    api_visit_needs_application(a, t->step))
		app = json_loads(t->application, 0, NULL);
	json_object_set_new(o, "application", app ? app : json_null());
	return o;
}

json_t *
api_ticket_event(const struct store_ticket *t, int64_t now_ms)
{
	json_t *o = json_object();
	char iso[32];

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "number", json_string(t->number));
	json_object_set_new(o, "service", json_stringn(&t->service, 1));
	json_object_set_new(o, "state", json_string(store_state_name(t->state)));
	json_object_set_new(o, "counter", t->counter > 0 ?
	    json_integer(t->counter) : json_null());
	json_object_set_new(o, "recalls", json_integer(t->recalls));
	/* the board marks priority calls (no personal data: only that) */
	json_object_set_new(o, "priority",
	    json_boolean(t->flags & STORE_F_PRIORITY));
	/* an appointment's slot, "10:30" (null: a walk-in) */
	json_object_set_new(o, "appointment_time", t->appt_ms ?
	    json_string(t->appt_time) : json_null());
	store_iso_time(now_ms, iso);
	json_object_set_new(o, "at", json_string(iso));
	return o;
}

/* Optional "staff" id in a staff body. */
static bool
staff_id(json_t *root, const char **out, struct api_resp *resp)
{
	if (!api_str(root, "staff", false, 32, out, resp))
		return false;
	if (*out && strspn(*out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789._-") != strlen(*out)) {
		api_error(resp, 400, "bad_value",
		    "staff must be letters, digits, '.', '_' or '-'");
		return false;
	}
	return true;
}

/* Optional "request_id" of a staff action: the console's idempotency key
 * (8 to 64 letters, digits, '-' or '_'). */
bool
api_request_id(json_t *root, const char **out, struct api_resp *resp)
{
	size_t n;

	if (!api_str(root, "request_id", false, 64, out, resp))
		return false;
	if (*out == NULL)
		return true;
	n = strlen(*out);
	if (n < 8 || strspn(*out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789-_") != n) {
		api_error(resp, 400, "bad_value", "request_id must be 8 to 64 "
		    "letters, digits, '-' or '_'");
		return false;
	}
	return true;
}

static void
reply_ticket(struct api *a, const char *event, struct store_ticket *t,
    int64_t now_ms, struct api_resp *resp)
{
	json_t *o = json_object(), *ev;

	json_object_set_new(o, "ticket", api_ticket_json(a, t, true));
	/* a repeated request id: the first result again, nothing new */
	if (t->replayed)
		json_object_set_new(o, "replayed", json_true());
	api_json(resp, 200, o);
	json_decref(o);
	if (event && !t->replayed) {
		ev = api_ticket_event(t, now_ms);
		api_emit(a, event, ev);
		json_decref(ev);
	}
	store_ticket_clear(t);
}

void
api_h_ticket(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	struct kerr err;
	int64_t id;
	int rc;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((rc = store_get(a->store, id, true, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	reply_ticket(a, NULL, &t, now_ms, resp);
}

void
api_h_ticket_number(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	struct kerr err;
	int rc;

	(void)req;
	if ((rc = store_get_number(a->store, params[0], now_ms, &t, &err)) !=
	    K_OK) {
		if (rc == K_EINVAL) {
			char shown[20];
			api_printable(params[0], shown, sizeof(shown));
			api_error(resp, 400, "bad_value", "number '%s' must look "
			    "like A-023", shown);
		} else {
			api_store_error(resp, rc, &err);
		}
		return;
	}
	reply_ticket(a, NULL, &t, now_ms, resp);
}

/*
 * The steps of a called ticket, one route each, all driven by the store's
 * step table: the body's fields, the store call and the event sent to
 * listeners (the step's event name) are the same for every step; a step
 * that moves the ticket to a service also takes "service" and "note".
 */
static void
ticket_step(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp, enum store_step_kind k)
{
	static const char *const keys[] = { "staff", "request_id", NULL };
	static const char *const service_keys[] = { "service", "note", "staff",
	    "request_id", NULL };
	static const char *const note_keys[] = { "note", "staff", "request_id",
	    NULL };
	const struct store_step *sp = &store_steps[k];
	struct store_step_arg arg = { 0 };
	char vroute[256], vstep[64];
	struct store_ticket t;
	struct kerr err;
	const char *service = NULL;
	int64_t id;
	json_t *root;
	int rc;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, !sp->to_service, resp)) == NULL)
		return;
	if (!api_known_keys(root, sp->to_service ? service_keys :
	    k == STORE_STEP_CARRY_OVER ? note_keys : keys, "", resp))
		goto out;
	if (sp->to_service && !api_str(root, "service", true, 1, &service,
	    resp))
		goto out;
	if ((sp->to_service || k == STORE_STEP_CARRY_OVER) &&
	    !api_str(root, "note", false, 200, &arg.note, resp))
		goto out;
	if (!staff_id(root, &arg.staff, resp) || !api_request_id(root,
	    &arg.request_id, resp))
		goto out;
	if (service != NULL) {
		if (store_service(a->store, service[0]) == NULL) {
			char shown[4];
			api_printable(service, shown, sizeof(shown));
			api_error(resp, 400, "unknown_service", "service '%s' is "
			    "not in server.services", shown);
			goto out;
		}
		arg.service = service[0];
	}
	if (k == STORE_STEP_DONE) {
		/* a visit's part done: on to the next step's service, with
		 * its number and place (docs/visits.md) */
		char vsvc;
		const char *rest;
		if ((rc = store_get(a->store, id, false, &t, &err)) != K_OK) {
			api_store_error(resp, rc, &err);
			goto out;
		}
		if (api_visit_next(a, &t, &vsvc, vstep, sizeof(vstep), &rest)) {
			snprintf(vroute, sizeof(vroute), "%s", rest);
			arg.service = vsvc;
			arg.step = vstep;
			arg.route = vroute;
			k = STORE_STEP_NEXT;
			sp = &store_steps[k];
		}
		store_ticket_clear(&t);
	}
	if ((rc = store_step(a->store, k, id, &arg, now_ms, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	reply_ticket(a, sp->event, &t, now_ms, resp);
out:
	json_decref(root);
}

void
api_h_recall(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_RECALL);
}

void
api_h_start(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_START);
}

void
api_h_done(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_DONE);
}

void
api_h_no_show(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_NO_SHOW);
}

void
api_h_transfer(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_TRANSFER);
}

void
api_h_requeue(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_REQUEUE);
}

/* a resident who stepped out (phone) back at their place, by staff: also
 * after server.away_until */
void
api_h_back(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_BACK);
}

void
api_h_carry_over(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	ticket_step(a, req, params, now_ms, resp, STORE_STEP_CARRY_OVER);
}

/* 409 naming the ticket the counter holds, so that a console that lost
 * track of it (a lost answer, a reload) shows it again. */
static void
counter_busy(struct api *a, struct store_ticket *held, const char *detail,
    struct api_resp *resp)
{
	json_t *o = json_object();

	json_object_set_new(o, "error", json_string("counter_busy"));
	json_object_set_new(o, "detail", json_string(detail));
	json_object_set_new(o, "ticket", api_ticket_json(a, held, true));
	api_json(resp, 409, o);
	json_decref(o);
	store_ticket_clear(held);
}

void
api_h_counter(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t[STORE_MAX_COUNTERS];
	char letters[STORE_MAX_SERVICES + 1];
	struct kerr err;
	int64_t counter;
	size_t n, i;
	json_t *o, *arr;
	int rc, j, nl = 0;

	(void)req;
	if (!api_param_id(params[0], "counter", 999, &counter, resp))
		return;
	{
		size_t ns;
		const struct store_service *sv = store_services(a->store, &ns);
		for (i = 0; i < ns; i++)
			for (j = 0; j < sv[i].ncounters; j++)
				if (sv[i].counters[j] == counter && nl <
				    (int)sizeof(letters) - 1)
					letters[nl++] = sv[i].letter;
	}
	if (nl == 0) {
		api_error(resp, 404, "unknown_counter", "counter %d serves no "
		    "service (server.services)", (int)counter);
		return;
	}
	if ((rc = store_counter_tickets(a->store, (int)counter, now_ms, t,
	    ARRAY_SIZE(t), &n, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	o = json_object();
	json_object_set_new(o, "counter", json_integer(counter));
	json_object_set_new(o, "services", json_stringn(letters, (size_t)nl));
	json_object_set_new(o, "max_called", json_integer(a->max_called));
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(arr, api_ticket_json(a, &t[i], true));
		store_ticket_clear(&t[i]);
	}
	json_object_set_new(o, "tickets", arr);
	api_json(resp, 200, o);
	json_decref(o);
}

void
api_h_call(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "number", "staff", "request_id",
	    NULL };
	char letters[STORE_MAX_SERVICES + 1];
	struct store_step_arg arg = { 0 };
	struct store_ticket t;
	struct kerr err;
	const char *number, *staff;
	int64_t counter;
	json_t *root;
	int rc;

	if (!api_param_id(params[0], "counter", 999, &counter, resp))
		return;
	if ((root = api_body(req, true, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "number", false, 15, &number, resp) ||
	    !staff_id(root, &staff, resp) || !api_request_id(root, &arg.request_id,
	    resp))
		goto out;
	{
		size_t n, i;
		int j, found = 0;
		const struct store_service *sv = store_services(a->store, &n);
		for (i = 0; i < n; i++)
			for (j = 0; j < sv[i].ncounters; j++)
				if (sv[i].counters[j] == counter && found <
				    (int)sizeof(letters) - 1)
					letters[found++] = sv[i].letter;
		if (found == 0) {
			api_error(resp, 404, "unknown_counter", "counter %d serves "
			    "no service (server.services)", (int)counter);
			goto out;
		}
	}
	arg.counter = (int)counter;
	arg.staff = staff;
	rc = store_call(a->store, &arg, number, now_ms, &t, &err);
	if (rc == K_EBUSY && t.held) {
		counter_busy(a, &t, err.msg, resp);
		goto out;
	}
	if (rc == K_ENOTFOUND && number == NULL) {
		resp->status = 204;
		resp->content_type = API_JSON;
		goto out;
	}
	if (rc == K_EINVAL && number) {
		char shown[20];
		api_printable(number, shown, sizeof(shown));
		api_error(resp, 400, "bad_value", "number '%s' must look like "
		    "A-023", shown);
		goto out;
	}
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	reply_ticket(a, store_steps[STORE_STEP_CALL].event, &t, now_ms,
	    resp);
out:
	json_decref(root);
}

void
api_h_queue(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_summary sum[STORE_MAX_SERVICES];
	struct kerr err;
	size_t n, i;
	json_t *o, *arr;
	int rc, j;

	if ((rc = store_queue(a->store, now_ms, sum, ARRAY_SIZE(sum), &n,
	    &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		const struct store_service *sv = store_service(a->store,
		    sum[i].letter);
		json_t *s = json_object(), *c = json_array(), *sg = json_array();

		json_object_set_new(s, "letter", json_stringn(&sum[i].letter, 1));
		json_object_set_new(s, "name", json_string(sv ? sv->name : ""));
		for (j = 0; sv && j < sv->ncounters; j++)
			json_array_append_new(c, json_integer(sv->counters[j]));
		json_object_set_new(s, "counters", c);
		json_object_set_new(s, "waiting", json_integer(sum[i].waiting));
		json_object_set_new(s, "away", json_integer(sum[i].away));
		json_object_set_new(s, "appointments",
		    json_integer(sum[i].appointments));
		json_object_set_new(s, "oldest_wait_min",
		    json_integer(sum[i].oldest_wait_min));
		for (j = 0; j < sum[i].nserving; j++) {
			json_t *e = json_object();
			json_object_set_new(e, "number",
			    json_string(sum[i].serving[j].number));
			json_object_set_new(e, "counter",
			    json_integer(sum[i].serving[j].counter));
			json_array_append_new(sg, e);
		}
		json_object_set_new(s, "serving", sg);
		json_array_append_new(arr, s);
	}
	o = json_object();
	json_object_set_new(o, "services", arr);
	api_json(resp, 200, o);
	json_decref(o);
}

void
api_h_board(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_summary sum[STORE_MAX_SERVICES];
	struct store_call calls[6];
	struct kerr err;
	size_t n, i;
	json_t *o, *arr;
	char iso[32];
	int rc;

	if ((rc = store_board(a->store, now_ms, calls, ARRAY_SIZE(calls), &n,
	    &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	o = json_object();
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "number", json_string(calls[i].number));
		json_object_set_new(c, "counter", json_integer(calls[i].counter));
		json_object_set_new(c, "service", json_stringn(&calls[i].service,
		    1));
		json_object_set_new(c, "at", iso_or_null(calls[i].at_ms));
		json_object_set_new(c, "priority", json_boolean(calls[i].priority));
		json_object_set_new(c, "lang", json_string(calls[i].lang));
		json_array_append_new(arr, c);
	}
	json_object_set_new(o, "calls", arr);
	if ((rc = store_queue(a->store, now_ms, sum, ARRAY_SIZE(sum), &n,
	    &err)) != K_OK) {
		json_decref(o);
		api_store_error(resp, rc, &err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		const struct store_service *sv = store_service(a->store,
		    sum[i].letter);
		json_t *w = json_object();
		json_object_set_new(w, "letter", json_stringn(&sum[i].letter, 1));
		json_object_set_new(w, "name", json_string(sv ? sv->name : ""));
		json_object_set_new(w, "waiting", json_integer(sum[i].waiting));
		json_array_append_new(arr, w);
	}
	json_object_set_new(o, "waiting", arr);
	store_iso_time(now_ms, iso);
	json_object_set_new(o, "now", json_string(iso));
	api_json(resp, 200, o);
	json_decref(o);
}

static json_t *
minutes_or_null(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

void
api_h_stats(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_stats st[STORE_MAX_SERVICES];
	struct kerr err;
	char day[16];
	size_t n, i;
	json_t *o, *arr;
	int rc;

	if (!api_query_day(req, now_ms, day, resp))
		return;
	if ((rc = store_stats(a->store, day, st, ARRAY_SIZE(st), &n, &err)) !=
	    K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	o = json_object();
	json_object_set_new(o, "date", json_string(day));
	arr = json_array();
	for (i = 0; i < n; i++) {
		const struct store_service *sv = store_service(a->store,
		    st[i].letter);
		json_t *s = json_object();
		json_object_set_new(s, "letter", json_stringn(&st[i].letter, 1));
		json_object_set_new(s, "name", json_string(sv ? sv->name : ""));
		json_object_set_new(s, "issued", json_integer(st[i].issued));
		json_object_set_new(s, "served", json_integer(st[i].served));
		json_object_set_new(s, "no_show", json_integer(st[i].no_show));
		json_object_set_new(s, "waiting", json_integer(st[i].waiting));
		json_object_set_new(s, "wait_median_min",
		    minutes_or_null(st[i].wait_median_min));
		json_object_set_new(s, "wait_p90_min",
		    minutes_or_null(st[i].wait_p90_min));
		json_object_set_new(s, "service_median_min",
		    minutes_or_null(st[i].service_median_min));
		json_object_set_new(s, "service_p90_min",
		    minutes_or_null(st[i].service_p90_min));
		json_array_append_new(arr, s);
	}
	json_object_set_new(o, "services", arr);
	/* the estimate's accuracy that day and the staffing advice */
	if ((rc = api_stats_evidence(a, day, now_ms, o, &err)) != K_OK) {
		json_decref(o);
		api_store_error(resp, rc, &err);
		return;
	}
	api_json(resp, 200, o);
	json_decref(o);
}
