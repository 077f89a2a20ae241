/*
 * api_health.c - GET /api/health: is the server up, and (for the staff
 * role, which `kiosk status` and monitoring use) how it is doing.
 *
 * Anyone gets {"ok", "now"}: enough for a load balancer or a phone page to
 * see the server answer.  With the staff token (or on loopback when no
 * staff token is set, like every staff route) the answer adds version,
 * uptime, database size, today's counts and the printers' state as the
 * kiosks reported it.  No personal data either way.  "ok" is false (status
 * 503) when the database does not answer.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_int.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

int64_t
api_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
is_staff(const struct api *a, const struct api_req *req)
{
	if (a->token[1][0] == '\0')
		return req->loopback;
	return req->bearer != NULL && api_token_equal(req->bearer, a->token[1]);
}

void
api_h_health(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_stats stats[STORE_MAX_SERVICES];
	struct store_printer_state ps;
	struct kerr err;
	char iso[32], day[11];
	size_t n = 0, i;
	bool ok;
	json_t *o = json_object();

	store_iso_time(now_ms, iso);
	store_day(now_ms, day);
	ok = store_stats(a->store, day, stats, STORE_MAX_SERVICES, &n, &err) ==
	    K_OK && store_printer_state(a->store, now_ms, &ps, &err) == K_OK;
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "now", json_string(iso));
	if (!ok)
		klog("error", "api", "health: the database does not answer: %s",
		    err.msg);
	if (is_staff(a, req)) {
		json_t *today = json_object(), *pr = json_object();
		int issued = 0, waiting = 0, served = 0, no_show = 0;

		store_iso_time(a->started_ms, iso);
		json_object_set_new(o, "version", json_string(KIOSK_VERSION));
		json_object_set_new(o, "schema", json_integer(
		    store_schema_version()));
		json_object_set_new(o, "started", json_string(iso));
		json_object_set_new(o, "uptime_s", json_integer(
		    (now_ms - a->started_ms) / 1000));
		json_object_set_new(o, "db_bytes", json_integer(
		    a->db_path[0] ? store_file_bytes(a->db_path) : -1));
		for (i = 0; ok && i < n; i++) {
			issued += stats[i].issued;
			waiting += stats[i].waiting;
			served += stats[i].served;
			no_show += stats[i].no_show;
		}
		json_object_set_new(today, "day", json_string(day));
		json_object_set_new(today, "issued", json_integer(issued));
		json_object_set_new(today, "waiting", json_integer(waiting));
		json_object_set_new(today, "served", json_integer(served));
		json_object_set_new(today, "no_show", json_integer(no_show));
		json_object_set_new(o, "today", today);
		if (ok) {
			const char *state = ps.open_alerts > 0 ? "needs_staff" :
			    ps.last_printed == 1 ? "ok" :
			    ps.last_printed == 0 ? "failed" : "unknown";
			json_object_set_new(pr, "state", json_string(state));
			json_object_set_new(pr, "alerts_today",
			    json_integer(ps.open_alerts));
			if (ps.last_printed >= 0) {
				store_iso_time(ps.last_at_ms, iso);
				json_object_set_new(pr, "last_ticket_at",
				    json_string(iso));
			}
		}
		json_object_set_new(o, "printer", pr);
	}
	api_json(resp, ok ? 200 : 503, o);
	json_decref(o);
}
