/*
 * api_visit.c - one number for a whole visit: a ticket's route of steps,
 * its next step, and staff editing it (add or skip a step).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "xmalloc.h"

/*
 * One number for a whole visit (回らない, docs/visits.md).
 *
 * A life event's ticket carries a route: the step it waits for now (the
 * store's `step') and the steps after it (`route'), each step the included
 * procedures one service handles in a row ("kokuho+jidoteate"), steps
 * separated by ','.  When a counter marks its part done, the ticket waits
 * for the next step's service with its number and its issue time, so it
 * keeps its place by the visit's start.  Staff may add or skip a step.
 * The application goes only to counters whose step asks questions.
 */
#define VISIT_MAX 256

/* The procedure a step starts with ("kokuho" of "kokuho+jidoteate"). */
static const struct cat_procedure *
step_first(struct api *a, const char *step, size_t len)
{
	char id[64];
	size_t n = strcspn(step, "+,");

	if (n > len)
		n = len;
	if (n == 0 || n >= sizeof(id))
		return NULL;
	memcpy(id, step, n);
	id[n] = '\0';
	return catalog_find(a->catalog, id);
}

bool
api_visit_route(struct api *a, const struct cat_procedure *p, char *step,
    size_t step_n, char *route, size_t route_n)
{
	char buf[VISIT_MAX] = "";
	char last = 0;
	size_t i, off = 0;
	char *comma;

	step[0] = route[0] = '\0';
	if (p->kind != CAT_LIFE_EVENT || p->nincludes == 0)
		return false;
	for (i = 0; i < p->nincludes; i++) {
		const struct cat_procedure *q = catalog_find(a->catalog,
		    p->includes[i]);
		char svc = q ? catalog_service(q) : 0;
		if (q == NULL || store_service(a->store, svc) == NULL)
			continue;          /* a service this hall lacks */
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
		    off == 0 ? "" : svc == last ? "+" : ",", q->id);
		if (off >= sizeof(buf))
			return false;
		last = svc;
	}
	if (buf[0] == '\0')
		return false;
	comma = strchr(buf, ',');
	snprintf(step, step_n, "%.*s", comma ? (int)(comma - buf) :
	    (int)strlen(buf), buf);
	snprintf(route, route_n, "%s", comma ? comma + 1 : "");
	return true;
}

char
api_visit_service(struct api *a, const char *step)
{
	const struct cat_procedure *q = step_first(a, step, strlen(step));

	return q ? catalog_service(q) : 0;
}

/* Does any procedure of the step ask questions (the application)? */
bool
api_visit_needs_application(struct api *a, const char *step)
{
	const char *s = step;

	if (step[0] == '\0')
		return true;               /* not a visit: as before */
	while (*s) {
		const struct cat_procedure *q = step_first(a, s, strlen(s));
		if (q && (q->nquestions > 0 || q->needs_mynumber))
			return true;
		s += strcspn(s, "+,");
		if (*s)
			s++;
	}
	return false;
}

/* The step after a ticket's current one: its service, step and the rest. */
bool
api_visit_next(struct api *a, const struct store_ticket *t, char *service,
    char *step, size_t step_n, const char **rest)
{
	size_t n;

	if (t->route[0] == '\0')
		return false;
	n = strcspn(t->route, ",");
	snprintf(step, step_n, "%.*s", (int)n, t->route);
	*rest = t->route[n] ? t->route + n + 1 : "";
	*service = api_visit_service(a, step);
	return *service != 0;
}

/* The route as JSON: the step now and the ones after, with their
 * service letters and counters text. */
json_t *
api_visit_json(struct api *a, const struct store_ticket *t)
{
	json_t *arr = json_array();
	char buf[VISIT_MAX + 70];
	char *save = NULL, *tok;

	if (t->step[0] == '\0') {
		json_decref(arr);
		return json_null();
	}
	snprintf(buf, sizeof(buf), "%s%s%s", t->step, t->route[0] ? "," : "",
	    t->route);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		json_t *o = json_object();
		char svc = api_visit_service(a, tok), counters[64];
		api_counter_text(a, NULL, svc, counters, sizeof(counters));
		json_object_set_new(o, "procedures", json_string(tok));
		json_object_set_new(o, "service", json_stringn(&svc, 1));
		json_object_set_new(o, "counters", json_string(counters));
		json_array_append_new(arr, o);
	}
	return arr;
}

/*
 * POST /api/tickets/{id}/route {"add": "kokuho"} or {"skip": "kokuho"}
 * (staff): a step appended at the end, or one of the steps still to come
 * taken out.  The event "route" logs it.
 */
void
api_h_route(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "add", "skip", "staff",
	    "request_id", NULL };
	struct store_step_arg arg = { 0 };
	struct store_ticket t;
	struct kerr err;
	const char *add = NULL, *skip = NULL;
	char route[VISIT_MAX], shown[70];
	int64_t id;
	json_t *root, *o, *ev;
	int rc;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "add", false, 63, &add, resp) ||
	    !api_str(root, "skip", false, 63, &skip, resp) ||
	    !api_str(root, "staff", false, 63, &arg.staff, resp) ||
	    !api_str(root, "request_id", false, 64, &arg.request_id, resp))
		goto out;
	if ((add == NULL) == (skip == NULL)) {
		api_error(resp, 400, "bad_value", "give one of 'add' or 'skip' "
		    "(a procedure id)");
		goto out;
	}
	api_printable(add ? add : skip, shown, sizeof(shown));
	if ((rc = store_get(a->store, id, false, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	if (add) {
		const struct cat_procedure *q = catalog_find(a->catalog, add);
		if (q == NULL || q->kind == CAT_LIFE_EVENT ||
		    store_service(a->store, catalog_service(q)) == NULL) {
			api_error(resp, 400, "unknown_procedure", "'%s' is not a "
			    "procedure this hall serves", shown);
			goto out_t;
		}
		if (snprintf(route, sizeof(route), "%s%s%s", t.route,
		    t.route[0] ? "," : "", add) >= (int)sizeof(route)) {
			api_error(resp, 400, "too_long", "the route is full");
			goto out_t;
		}
	} else {
		/* the step whose procedures are exactly or begin with skip */
		char buf[VISIT_MAX], *save = NULL, *tok;
		size_t off = 0, n = strlen(skip);
		bool found = false;

		snprintf(buf, sizeof(buf), "%s", t.route);
		route[0] = '\0';
		for (tok = strtok_r(buf, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			if (!found && strncmp(tok, skip, n) == 0 &&
			    (tok[n] == '\0' || tok[n] == '+')) {
				found = true;
				continue;
			}
			off += (size_t)snprintf(route + off, sizeof(route) - off,
			    "%s%s", off ? "," : "", tok);
		}
		if (!found) {
			api_error(resp, 404, "not_found", "%s has no step '%s' "
			    "still to come", t.number, shown);
			goto out_t;
		}
	}
	arg.route = route;
	store_ticket_clear(&t);
	if ((rc = store_route(a->store, id, &arg, now_ms, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "ticket", api_ticket_json(a, &t, false));
	api_json(resp, 200, o);
	json_decref(o);
	if (!t.replayed) {
		ev = api_ticket_event(&t, now_ms);
		json_object_set_new(ev, add ? "added" : "skipped",
		    json_string(add ? add : skip));
		api_emit(a, "route", ev);
		json_decref(ev);
	}
out_t:
	store_ticket_clear(&t);
out:
	json_decref(root);
}
