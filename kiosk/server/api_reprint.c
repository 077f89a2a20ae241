/*
 * api_reprint.c - reprints and priority (issue 11; the rules in
 * docs/counter-operations.md).
 *
 *   POST /api/tickets/{id}/reprint            staff: {to: "kiosk"|"counter",
 *        counter?, staff?}: to the kiosk that issued it (it prints on its
 *        next heartbeat) or at once on a counter's printer
 *   POST /api/kiosks/{k}/reprints/{id}/done   kiosk: {printed, reason?}
 *   POST /api/kiosks/{k}/tickets/{id}/reprinted  kiosk: the ticket still
 *        on its screen printed again there {printed, reason?}
 *   POST /api/tickets/{id}/priority           staff: {priority, staff?}
 *   POST /api/kiosks/{k}/tickets/{id}/priority   kiosk (a volunteer's long
 *        press): {priority}; only the kiosk's own waiting tickets
 *   POST /api/kiosks/{k}/priority-next        staff: {priority, staff?}: the
 *        kiosk's next ticket (within 10 minutes) is priority
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "i18n.h"
#include "print.h"

static bool
kiosk_param(const char *k, struct api_resp *resp)
{
	if (!api_kiosk_ok(k) || strlen(k) > 63) {
		api_error(resp, 400, "bad_value", "kiosk must be 1 to 63 letters, "
		    "digits, '.', '_' or '-'");
		return false;
	}
	return true;
}

static bool
staff_opt(json_t *root, const char **staff, struct api_resp *resp)
{
	if (!api_str(root, "staff", false, 32, staff, resp))
		return false;
	if (*staff && !api_staff_ok(*staff)) {
		api_error(resp, 400, "bad_value",
		    "staff must be letters, digits, '.', '_' or '-'");
		return false;
	}
	return true;
}

static bool
reason_opt(json_t *root, const char **reason, struct api_resp *resp)
{
	if (!api_str(root, "reason", false, 31, reason, resp))
		return false;
	if (*reason && strspn(*reason, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
	    strlen(*reason)) {
		api_error(resp, 400, "bad_value", "reason must be a word such as "
		    "paper_out");
		return false;
	}
	return true;
}

/* What the paper says, from the server's side of the ticket. */
void
api_ticket_info(struct api *a, const struct store_ticket *t,
    struct ticket_info *ti)
{
	const struct cat_procedure *p = a->catalog ?
	    catalog_find(a->catalog, t->procedure) : NULL;

	memset(ti, 0, sizeof(*ti));
	snprintf(ti->site_name, sizeof(ti->site_name), "%s", a->site_name);
	snprintf(ti->number, sizeof(ti->number), "%s", t->number);
	ti->service = t->service;
	snprintf(ti->procedure_ja, sizeof(ti->procedure_ja), "%s", p ?
	    catalog_name(p, "ja") : t->procedure);
	if (p && strcmp(t->lang, "ja") != 0)
		i18n_strip_ruby(ti->procedure_local, sizeof(ti->procedure_local),
		    catalog_name(p, t->lang));
	snprintf(ti->lang, sizeof(ti->lang), "%.7s", t->lang);
	api_counter_text(a, p, t->service, ti->counter, sizeof(ti->counter));
	ti->issued_at = t->issued_ms / 1000;
	ti->ahead = t->ahead;
	ti->wait_min = t->wait_min;
	snprintf(ti->url, sizeof(ti->url), "%s/t/%s", a->public_url, t->token);
	/* a late arrival's ticket has no slot: it is placed as a walk-in */
	if (t->appt_ms > 0)
		snprintf(ti->appt_time, sizeof(ti->appt_time), "%s",
		    t->appt_time);
	ti->reprint = true;
}

json_t *
api_reprint_json(const struct store_reprint *r, const struct store_ticket *t)
{
	json_t *o = json_object();
	char iso[32];

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "ticket_id", json_integer(r->ticket_id));
	if (t)
		json_object_set_new(o, "number", json_string(t->number));
	json_object_set_new(o, "target", json_string(r->target));
	store_iso_time(r->at_ms, iso);
	json_object_set_new(o, "at", json_string(iso));
	json_object_set_new(o, "result", r->done_ms ? json_string(r->result) :
	    json_null());
	return o;
}

/* The heartbeat's answer: reprints waiting for this kiosk, each with what
 * goes on the paper. */
json_t *
api_kiosk_reprints(struct api *a, const char *kiosk, int64_t now_ms)
{
	struct store_reprint r[8];
	struct store_ticket t;
	struct ticket_info ti;
	struct kerr err;
	char target[80];
	size_t n = 0, i;
	json_t *arr = json_array();

	snprintf(target, sizeof(target), "kiosk:%s", kiosk);
	if (store_reprints_for(a->store, target, now_ms, r, ARRAY_SIZE(r), &n,
	    &err) != K_OK) {
		klog("warn", "api", "reprints for %s: %s", kiosk, err.msg);
		return arr;
	}
	for (i = 0; i < n; i++) {
		json_t *o;
		if (store_get(a->store, r[i].ticket_id, false, &t, &err) != K_OK)
			continue;
		store_ticket_clear(&t);
		api_ticket_info(a, &t, &ti);
		o = api_reprint_json(&r[i], &t);
		json_object_set_new(o, "site_name", json_string(ti.site_name));
		json_object_set_new(o, "service", json_stringn(&ti.service, 1));
		json_object_set_new(o, "procedure_ja",
		    json_string(ti.procedure_ja));
		json_object_set_new(o, "procedure_local",
		    json_string(ti.procedure_local));
		json_object_set_new(o, "lang", json_string(ti.lang));
		json_object_set_new(o, "counter", json_string(ti.counter));
		json_object_set_new(o, "issued_at", json_integer(ti.issued_at));
		json_object_set_new(o, "url", json_string(ti.url));
		json_object_set_new(o, "appointment_time", ti.appt_time[0] ?
		    json_string(ti.appt_time) : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

void
api_h_reprint(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "to", "counter", "staff",
	    "request_id", NULL };
	struct store_reprint r;
	struct store_ticket t;
	struct ticket_info ti;
	struct kerr err;
	const char *to, *staff, *rid;
	char target[80], reason[64] = "";
	json_t *root, *o, *cv;
	int64_t id;
	int rc, counter = 0;
	bool printed = false;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "to", true, 7, &to, resp) || !staff_opt(root, &staff,
	    resp) || !api_request_id(root, &rid, resp))
		goto out;
	if (strcmp(to, "kiosk") != 0 && strcmp(to, "counter") != 0) {
		api_error(resp, 400, "bad_value", "to must be kiosk or counter");
		goto out;
	}
	cv = json_object_get(root, "counter");
	if (strcmp(to, "counter") == 0) {
		if (!json_is_integer(cv) || json_integer_value(cv) < 1 ||
		    json_integer_value(cv) > 999) {
			api_error(resp, 400, "bad_value", "counter must be a counter "
			    "number 1 to 999 when to is counter");
			goto out;
		}
		counter = (int)json_integer_value(cv);
	} else if (cv != NULL) {
		api_error(resp, 400, "bad_value", "counter is only for to: counter");
		goto out;
	}
	if ((rc = store_get(a->store, id, false, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	if (counter == 0) {
		if (t.kiosk[0] == '\0') {
			api_error(resp, 409, "conflict", "%s was not issued at a "
			    "kiosk: reprint it on a counter printer", t.number);
			goto out;
		}
		snprintf(target, sizeof(target), "kiosk:%s", t.kiosk);
		rc = store_reprint_add(a->store, id, target, staff, rid, false,
		    false, NULL, now_ms, &r, &err);
	} else {
		if (a->counter_print == NULL) {
			api_error(resp, 404, "no_printer", "counter %d has no printer "
			    "(server.counter_printers)", counter);
			goto out;
		}
		/* refused before anything prints: a done ticket is not
		 * reprinted, and another day's neither */
		snprintf(target, sizeof(target), "counter:%d", counter);
		{
			char day[11];
			store_day(now_ms, day);
			if (strcmp(t.day, day) != 0 || t.state == ST_DONE ||
			    t.state == ST_NO_SHOW) {
				api_error(resp, 409, "conflict", "%s is %s (%s): "
				    "nothing to reprint", t.number,
				    store_state_name(t.state), t.day);
				goto out;
			}
		}
		api_ticket_info(a, &t, &ti);
		rc = a->counter_print(a->print_arg, counter, &ti, reason,
		    sizeof(reason));
		if (rc == K_ENOTFOUND) {
			api_error(resp, 404, "no_printer", "counter %d has no printer "
			    "(server.counter_printers)", counter);
			goto out;
		}
		printed = rc == K_OK;
		rc = store_reprint_add(a->store, id, target, staff, rid, true,
		    printed, printed ? NULL : reason, now_ms, &r, &err);
		if (rc == K_OK && !printed) {
			api_error(resp, 502, "not_printed", "%s was not printed on "
			    "counter %d's printer: %s", t.number, counter, reason);
			goto out;
		}
	}
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	klog("info", "api", "reprint of %s to %s%s", t.number, target,
	    counter ? " printed" : " queued");
	o = json_object();
	json_object_set_new(o, "reprint", api_reprint_json(&r, &t));
	if (r.replayed)
		json_object_set_new(o, "replayed", json_true());
	api_json(resp, counter ? 200 : 202, o);
	json_decref(o);
out:
	json_decref(root);
}

/*
 * The kiosk's word on a print: /api/kiosks/{kiosk}/.../{id} with
 * {"printed": bool, "reason": word}.  NULL (answered) when the path or
 * the body is wrong; else the body, which the caller releases.
 */
static json_t *
printed_body(const struct api_req *req, const char **params,
    const char *what, int64_t *id, bool *printed, const char **reason,
    struct api_resp *resp)
{
	static const char *const keys[] = { "printed", "reason", NULL };
	json_t *root;

	if (!kiosk_param(params[0], resp) || !api_param_id(params[1], what,
	    INT64_C(1) << 53, id, resp))
		return NULL;
	if ((root = api_body(req, false, resp)) == NULL)
		return NULL;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_bool(root, "printed", printed, resp) ||
	    !reason_opt(root, reason, resp)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

void
api_h_reprint_done(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_reprint r;
	struct kerr err;
	const char *reason;
	char target[80];
	json_t *root, *o;
	int64_t id;
	bool printed;
	int rc;

	if ((root = printed_body(req, params, "reprint id", &id, &printed,
	    &reason, resp)) == NULL)
		return;
	snprintf(target, sizeof(target), "kiosk:%s", params[0]);
	if ((rc = store_reprint_done(a->store, id, target, printed, reason,
	    now_ms, &r, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "reprint", api_reprint_json(&r, NULL));
	api_json(resp, 200, o);
	json_decref(o);
out:
	json_decref(root);
}

void
api_h_reprinted(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_reprint r;
	struct store_ticket t;
	struct kerr err;
	const char *reason;
	char target[80];
	json_t *root, *o;
	int64_t id;
	bool printed;
	int rc;

	if ((root = printed_body(req, params, "ticket id", &id, &printed,
	    &reason, resp)) == NULL)
		return;
	if ((rc = store_get(a->store, id, false, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	if (strcmp(t.kiosk, params[0]) != 0) {
		api_error(resp, 409, "conflict", "%s was not issued at %s",
		    t.number, params[0]);
		goto out;
	}
	snprintf(target, sizeof(target), "kiosk:%s", params[0]);
	if ((rc = store_reprint_add(a->store, id, target, NULL, NULL, true,
	    printed, reason, now_ms, &r, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "reprint", api_reprint_json(&r, &t));
	api_json(resp, 201, o);
	json_decref(o);
out:
	json_decref(root);
}

static void
priority(struct api *a, const struct api_req *req, const char *kiosk,
    const char *idparam, int64_t now_ms, struct api_resp *resp)
{
	static const char *const staff_keys[] = { "priority", "staff",
	    "request_id", NULL };
	static const char *const kiosk_keys[] = { "priority", NULL };
	struct store_ticket t;
	struct kerr err;
	const char *staff = NULL, *rid;
	json_t *root, *o, *ev;
	int64_t id;
	bool on = true;
	int rc;

	if (!api_param_id(idparam, "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	/* setting priority twice is the same: request_id is taken, not kept */
	if (!api_known_keys(root, kiosk ? kiosk_keys : staff_keys, "", resp) ||
	    (!kiosk && !staff_opt(root, &staff, resp)) ||
	    !api_request_id(root, &rid, resp))
		goto out;
	if (!json_is_boolean(json_object_get(root, "priority"))) {
		api_error(resp, 400, "missing_field",
		    "'priority' (true or false) is required");
		goto out;
	}
	on = json_is_true(json_object_get(root, "priority"));
	if ((rc = store_set_priority(a->store, id, on, kiosk, staff, now_ms, &t,
	    &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "ticket", api_ticket_json(a, &t, false));
	api_json(resp, 200, o);
	json_decref(o);
	if (!t.replayed) {
		ev = api_ticket_event(&t, now_ms);
		json_object_set_new(ev, "priority", json_boolean(on));
		api_emit(a, "priority", ev);
		json_decref(ev);
	}
out:
	json_decref(root);
}

void
api_h_priority(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	priority(a, req, NULL, params[0], now_ms, resp);
}

void
api_h_kiosk_priority(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	if (!kiosk_param(params[0], resp))
		return;
	priority(a, req, params[0], params[1], now_ms, resp);
}

void
api_h_priority_next(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "priority", "staff", "request_id",
	    NULL };
	const char *staff, *rid;
	struct kerr err;
	json_t *root, *o;
	bool on;
	int rc;

	if (!kiosk_param(params[0], resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) || !staff_opt(root, &staff,
	    resp) || !api_request_id(root, &rid, resp))
		goto out;
	if (!json_is_boolean(json_object_get(root, "priority"))) {
		api_error(resp, 400, "missing_field",
		    "'priority' (true or false) is required");
		goto out;
	}
	on = json_is_true(json_object_get(root, "priority"));
	if ((rc = store_priority_next(a->store, params[0], on, staff, now_ms,
	    &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "kiosk", json_string(params[0]));
	json_object_set_new(o, "priority_next", json_boolean(on));
	api_json(resp, 200, o);
	json_decref(o);
out:
	json_decref(root);
}
