/*
 * api_appt.c - appointments (docs/visits.md): the kiosk's look-up of a
 * booking code, the check-in's answer and refusals for POST /api/tickets,
 * and the staff's list, add and cancel.  A booking code is a key: it never
 * goes into a URL (cancel is by the appointment's id) and the staff list
 * shows its last two digits only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "xmalloc.h"

/* An error like api_error()'s with one more member (key: value). */
static void
error_with(struct api_resp *resp, int status, const char *code,
    const char *detail, const char *key, const char *value)
{
	json_t *o = json_object();

	json_object_set_new(o, "error", json_string(code));
	json_object_set_new(o, "detail", json_string(detail));
	if (key)
		json_object_set_new(o, key, json_string(value));
	api_json(resp, status, o);
	json_decref(o);
}

static const char *
code_end(const char *code)
{
	size_t n = strlen(code);

	return n >= 2 ? code + n - 2 : code;
}

/* The service an appointment of p waits for: its own, or a visit's first
 * step's. */
static char
appt_service(struct api *a, const struct cat_procedure *p)
{
	char step[64], route[256];

	if (api_visit_route(a, p, step, sizeof(step), route, sizeof(route)))
		return api_visit_service(a, step);
	return catalog_service(p);
}

/*
 * Why an appointment cannot check in now for procedure (NULL: any), as the
 * answer: true when it was written.  Used by the look-up and, after a
 * refused issue, to name the reason.
 */
bool
api_appt_refusal(struct api *a, const struct store_appt *ap,
    const char *procedure, int64_t now_ms, struct api_resp *resp)
{
	char day[11], msg[160];

	store_day(now_ms, day);
	if (strcmp(ap->day, day) != 0) {
		snprintf(msg, sizeof(msg), "this appointment is for %s, not "
		    "today", ap->day);
		error_with(resp, 409, "appointment_other_day", msg, "date",
		    ap->day);
		return true;
	}
	if (ap->state == APPT_CANCELLED) {
		error_with(resp, 409, "appointment_cancelled", "this appointment "
		    "was cancelled", NULL, NULL);
		return true;
	}
	if (ap->state == APPT_CHECKED_IN) {
		snprintf(msg, sizeof(msg), "this appointment is checked in "
		    "already: ticket %s", ap->number);
		error_with(resp, 409, "appointment_checked_in", msg, "number",
		    ap->number);
		return true;
	}
	if (procedure && strcmp(procedure, ap->procedure) != 0) {
		snprintf(msg, sizeof(msg), "procedure must be the appointment's "
		    "(%s)", ap->procedure);
		error_with(resp, 409, "appointment_procedure", msg, "procedure",
		    ap->procedure);
		return true;
	}
	(void)a;
	return false;
}

/* Look a code up for the answer to a refused check-in: true when the
 * answer was written (an unknown code, or a refusal). */
bool
api_appt_why(struct api *a, const char *code, const char *procedure,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_appt ap;
	struct kerr err;
	int rc;

	if ((rc = store_appt_get(a->store, code, &ap, &err)) == K_ENOTFOUND) {
		api_error(resp, 404, "appointment_not_found", "no appointment has "
		    "this booking code");
		return true;
	}
	if (rc != K_OK)
		return false;
	return api_appt_refusal(a, &ap, procedure, now_ms, resp);
}

/* A code in a body: 6 to 12 digits (400 bad_code naming the field). */
bool
api_appt_code(json_t *root, const char *key, bool required, const char **out,
    struct api_resp *resp)
{
	if (!api_str(root, key, required, 64, out, resp))
		return false;
	if (*out && !store_appt_code_ok(*out)) {
		api_error(resp, 400, "bad_code", "%s must be %d to %d digits", key,
		    STORE_CODE_MIN, STORE_CODE_MAX);
		return false;
	}
	return true;
}

/* The "appointment" member of an issue's answer. */
json_t *
api_appt_ticket_json(const struct store_ticket *t)
{
	json_t *o;

	if (t->appt_ms == 0)
		return json_null();
	o = json_object();
	json_object_set_new(o, "time", json_string(t->appt_time));
	json_object_set_new(o, "arrival", json_string(t->appt_arrival));
	json_object_set_new(o, "counter_closed", json_boolean(t->counter_closed));
	return o;
}

/* Tell the consoles of the alert a closed counter raised. */
void
api_appt_closed_alert(struct api *a, const struct store_ticket *t,
    int64_t now_ms)
{
	struct store_alert al;
	json_t *o;

	if (!t->counter_closed || t->replayed)
		return;
	memset(&al, 0, sizeof(al));
	al.id = t->alert_id;
	snprintf(al.kind, sizeof(al.kind), "appointment_closed");
	snprintf(al.kiosk, sizeof(al.kiosk), "%s", t->kiosk[0] ? t->kiosk :
	    "server");
	snprintf(al.number, sizeof(al.number), "%s", t->number);
	snprintf(al.detail, sizeof(al.detail), "service_%c", t->service);
	al.at_ms = now_ms;
	o = api_alert_json(&al);
	json_object_set_new(o, "repeat", json_false());
	api_emit(a, "help", o);
	json_decref(o);
	klog("info", "api", "appointment ticket %s: no counter of service %c "
	    "open; staff alerted", t->number, t->service);
}

/* An appointment as staff see it (full_code: the answer to its creation,
 * else the last two digits). */
static json_t *
appt_json(struct api *a, const struct store_appt *ap, bool full_code)
{
	const struct cat_procedure *p = a->catalog ?
	    catalog_find(a->catalog, ap->procedure) : NULL;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(ap->id));
	json_object_set_new(o, "date", json_string(ap->day));
	json_object_set_new(o, "time", json_string(ap->time));
	json_object_set_new(o, "service", json_stringn(&ap->service, 1));
	json_object_set_new(o, "procedure", json_string(ap->procedure));
	json_object_set_new(o, "procedure_name", p ?
	    json_string(catalog_name(p, "ja")) : json_string(ap->procedure));
	if (full_code)
		json_object_set_new(o, "code", json_string(ap->code));
	json_object_set_new(o, "code_end", json_string(code_end(ap->code)));
	json_object_set_new(o, "state",
	    json_string(store_appt_state_name(ap->state)));
	json_object_set_new(o, "number", ap->number[0] ?
	    json_string(ap->number) : json_null());
	json_object_set_new(o, "arrival", ap->arrival[0] ?
	    json_string(ap->arrival) : json_null());
	json_object_set_new(o, "source", json_string(ap->source));
	return o;
}

void
api_h_appt_lookup(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "code", NULL };
	struct store_appt ap;
	const char *code;
	struct kerr err;
	json_t *root, *o;
	int rc;

	(void)params;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_appt_code(root, "code", true, &code, resp))
		goto out;
	if ((rc = store_appt_get(a->store, code, &ap, &err)) == K_ENOTFOUND) {
		api_error(resp, 404, "appointment_not_found", "no appointment has "
		    "this booking code");
		goto out;
	}
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	if (api_appt_refusal(a, &ap, NULL, now_ms, resp))
		goto out;
	o = json_object();
	json_object_set_new(o, "code", json_string(ap.code));
	json_object_set_new(o, "date", json_string(ap.day));
	json_object_set_new(o, "time", json_string(ap.time));
	json_object_set_new(o, "service", json_stringn(&ap.service, 1));
	json_object_set_new(o, "procedure", json_string(ap.procedure));
	json_object_set_new(o, "state",
	    json_string(store_appt_state_name(ap.state)));
	json_object_set_new(o, "arrival",
	    json_string(store_appt_arrival(a->store, ap.slot_ms, now_ms)));
	api_json(resp, 200, o);
	json_decref(o);
out:
	json_decref(root);
}

/* The no-show sweep, and the consoles told of each one marked. */
void
api_appt_sweep(struct api *a, int64_t now_ms)
{
	struct store_appt out[64];
	struct kerr err;
	size_t n = 0, i;

	if (store_appt_sweep(a->store, now_ms, out, ARRAY_SIZE(out), &n,
	    &err) != K_OK) {
		klog("warn", "api", "appointment no-show sweep: %s", err.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		json_t *o = appt_json(a, &out[i], false);
		api_emit(a, "appointment_no_show", o);
		json_decref(o);
	}
}

void
api_h_appt_list(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_appt *list = NULL;
	struct kerr err;
	char day[16];
	size_t n = 0, i;
	json_t *o, *arr;
	int rc;

	(void)params;
	if (!api_query_day(req, now_ms, day, resp))
		return;
	api_appt_sweep(a, now_ms);
	if ((rc = store_appt_list(a->store, day, &list, &n, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, appt_json(a, &list[i], false));
	free(list);
	o = json_object();
	json_object_set_new(o, "date", json_string(day));
	json_object_set_new(o, "appointments", arr);
	api_json(resp, 200, o);
	json_decref(o);
}

void
api_h_appt_add(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "date", "time", "procedure",
	    "service", "code", "staff", NULL };
	const char *day, *time, *proc, *service, *code, *staff, *field;
	const struct cat_procedure *p;
	struct store_appt_req r;
	struct store_appt ap;
	struct kerr err;
	json_t *root, *o;
	int rc;

	(void)params;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "date", true, 10, &day, resp) ||
	    !api_str(root, "time", true, 5, &time, resp) ||
	    !api_str(root, "procedure", true, 63, &proc, resp) ||
	    !api_str(root, "service", false, 1, &service, resp) ||
	    !api_appt_code(root, "code", false, &code, resp) ||
	    !api_str(root, "staff", false, 32, &staff, resp))
		goto out;
	if (staff && !api_staff_ok(staff)) {
		api_error(resp, 400, "bad_value",
		    "staff must be letters, digits, '.', '_' or '-'");
		goto out;
	}
	if ((p = api_procedure(a, proc, resp)) == NULL)
		goto out;
	memset(&r, 0, sizeof(r));
	r.day = day;
	r.time = time;
	r.procedure = p->id;
	r.service = appt_service(a, p);
	r.code = code;
	r.source = "staff";
	r.staff = staff;
	if (service && service[0] != r.service) {
		api_error(resp, 400, "bad_value", "service must be %c, the "
		    "service of procedure %s (or absent)", r.service, p->id);
		goto out;
	}
	if (store_appt_check(a->store, &r, &field, &err) != K_OK) {
		api_error(resp, 400, "bad_value", "%s", err.msg);
		goto out;
	}
	if ((rc = store_appt_add(a->store, &r, now_ms, &ap, &err)) != K_OK) {
		if (rc == K_EBUSY)
			api_error(resp, 409, "appointment_code_taken", "code is "
			    "booked already for another appointment");
		else
			api_store_error(resp, rc, &err);
		goto out;
	}
	o = appt_json(a, &ap, true);
	json_object_set_new(o, "replayed", json_boolean(ap.replayed));
	api_json(resp, ap.replayed ? 200 : 201, o);
	if (!ap.replayed) {
		json_object_del(o, "code");
		json_object_del(o, "replayed");
		api_emit(a, "appointment", o);
	}
	json_decref(o);
out:
	json_decref(root);
}

void
api_h_appt_cancel(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "staff", NULL };
	const char *staff = NULL;
	struct store_appt ap;
	struct kerr err;
	json_t *root, *o;
	int64_t id;
	int rc;

	if (!api_param_id(params[0], "appointment id", INT64_C(1) << 53, &id,
	    resp))
		return;
	if ((root = api_body(req, true, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "staff", false, 32, &staff, resp))
		goto out;
	if (staff && !api_staff_ok(staff)) {
		api_error(resp, 400, "bad_value",
		    "staff must be letters, digits, '.', '_' or '-'");
		goto out;
	}
	if ((rc = store_appt_cancel(a->store, id, staff, now_ms, &ap, &err)) !=
	    K_OK) {
		if (rc == K_EBUSY)
			error_with(resp, 409, "appointment_checked_in", err.msg,
			    "number", ap.number);
		else if (rc == K_ENOTFOUND)
			api_error(resp, 404, "appointment_not_found", "%s", err.msg);
		else
			api_store_error(resp, rc, &err);
		goto out;
	}
	o = appt_json(a, &ap, false);
	json_object_set_new(o, "replayed", json_boolean(ap.replayed));
	api_json(resp, 200, o);
	if (!ap.replayed) {
		json_object_del(o, "replayed");
		api_emit(a, "appointment", o);
	}
	json_decref(o);
out:
	json_decref(root);
}
