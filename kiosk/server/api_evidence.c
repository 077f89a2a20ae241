/*
 * api_evidence.c - figures from kiosk/evidence/ on the web: the staff
 * console's estimate accuracy and staffing advice (in /api/stats), and the
 * public congestion page's data (/api/congestion).
 *
 * /api/congestion is public and may be polled by every phone in the hall
 * and by a poster's readers: the whole answer is kept for 15 s, and the
 * typical waits (weeks of log) are computed once an hour.  It holds counts
 * and minutes only; a typical wait behind fewer than evidence.min_cell
 * tickets is null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "qr.h"
#include "xmalloc.h"

#define LIVE_MS (15 * 1000)
#define TYPICAL_MS (60 * 60 * 1000)
#define STAFFING_MS (10 * 60 * 1000)

void
api_ev_init(struct api *a, const struct api_opts *o)
{
	struct ev_params *p = &a->ev;

	*p = o->evidence;
	if (p->estimate_samples <= 0)
		p->estimate_samples = 10;
	if (p->naive_min <= 0)
		p->naive_min = 5;
	if (p->target_min <= 0)
		p->target_min = 10;
	if (p->target_share <= 0)
		p->target_share = 0.8;
	if (p->history_weeks <= 0)
		p->history_weeks = 8;
	if (p->min_cell <= 0)
		p->min_cell = 10;
	a->site_name = xstrdup(o->site_name ? o->site_name : "");
	pthread_mutex_init(&a->ev_mu, NULL);
}

void
api_ev_free(struct api *a)
{
	json_decref(a->ev_typical);
	json_decref(a->ev_staffing);
	free(a->ev_body);
	free(a->site_name);
	pthread_mutex_destroy(&a->ev_mu);
}

static json_t *
num_or_null(double v, int n, int min)
{
	return v < 0 || n < min ? json_null() : json_real((double)(long)(v *
	    10 + 0.5) / 10);
}

/* Log of the history_weeks weeks before day (not day itself). */
static int
history(struct api *a, int day, struct ev_log *log, struct kerr *err)
{
	char from[11], to[11];

	memset(log, 0, sizeof(*log));
	ev_day_format(day - 7 * a->ev.history_weeks, from);
	ev_day_format(day - 1, to);
	return ev_log_add(log, a->store, a->site_name, from, to, err);
}

/* Per service: the median and p90 wait by hour of issue on the weekday of
 * day, over the weeks before it. */
static json_t *
typical_waits(struct api *a, int day, struct kerr *err)
{
	struct ev_log log;
	double *w[STORE_MAX_SERVICES][24];
	size_t n[STORE_MAX_SERVICES][24], cap[STORE_MAX_SERVICES][24], i;
	int wd = ev_weekday(day), v, h, ndays = 0, last = -1;
	json_t *out;

	if (history(a, day, &log, err) != K_OK) {
		ev_log_free(&log);
		return NULL;
	}
	memset(w, 0, sizeof(w));
	memset(n, 0, sizeof(n));
	memset(cap, 0, sizeof(cap));
	for (i = 0; i < log.n; i++) {
		const struct ev_ticket *t = &log.t[i];
		double m = ev_wait_min(t);
		int si = ev_service_index(&log, t->service);

		if (t->weekday != wd)
			continue;
		if (t->day != last) {
			ndays++;
			last = t->day;
		}
		if (si < 0 || m < 0)
			continue;
		if (n[si][t->hour] == cap[si][t->hour]) {
			cap[si][t->hour] = cap[si][t->hour] ? cap[si][t->hour] * 2 :
			    32;
			w[si][t->hour] = xrealloc(w[si][t->hour],
			    cap[si][t->hour] * sizeof(double));
		}
		w[si][t->hour][n[si][t->hour]++] = m;
	}
	out = json_object();
	json_object_set_new(out, "days", json_integer(ndays));
	{
		json_t *svcs = json_array();
		for (v = 0; v < log.nservices; v++) {
			json_t *s = json_object(), *hours = json_array();
			char l[2] = { log.services[v], 0 };
			json_object_set_new(s, "letter", json_string(l));
			for (h = 0; h < 24; h++) {
				json_t *o;
				int cnt = (int)n[v][h];
				if (cnt == 0)
					continue;
				o = json_object();
				json_object_set_new(o, "hour", json_integer(h));
				json_object_set_new(o, "tickets", cnt < a->ev.min_cell ?
				    json_null() : json_integer(cnt));
				json_object_set_new(o, "wait_median_min", num_or_null(
				    ev_quantile(w[v][h], n[v][h], 0.5), cnt,
				    a->ev.min_cell));
				json_object_set_new(o, "wait_p90_min", num_or_null(
				    ev_quantile(w[v][h], n[v][h], 0.9), cnt,
				    a->ev.min_cell));
				json_array_append_new(hours, o);
				free(w[v][h]);
			}
			json_object_set_new(s, "hours", hours);
			json_array_append_new(svcs, s);
		}
		json_object_set_new(out, "services", svcs);
	}
	ev_log_free(&log);
	return out;
}

static json_t *
qr_json(const char *url)
{
	struct qr q;
	struct kerr err;
	json_t *rows;
	char *row;
	int y, x;

	if (qr_encode(url, &q, &err) != K_OK)
		return json_null();
	rows = json_array();
	row = xmalloc((size_t)q.width + 1);
	for (y = 0; y < q.width; y++) {
		for (x = 0; x < q.width; x++)
			row[x] = q.modules[y * q.width + x] ? '1' : '0';
		row[q.width] = '\0';
		json_array_append_new(rows, json_string(row));
	}
	free(row);
	qr_free(&q);
	return json_pack("{s:s,s:o}", "url", url, "modules", rows);
}

void
api_h_congestion(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_summary sum[STORE_MAX_SERVICES];
	struct kerr err;
	size_t n, i;
	int day = ev_day_of_ms(now_ms), rc;
	char iso[32], *url;
	json_t *o, *svcs, *typ;

	if (req->query && *req->query) {
		api_error(resp, 400, "bad_query", "no query parameters here");
		return;
	}
	pthread_mutex_lock(&a->ev_mu);
	if (a->ev_body && now_ms - a->ev_body_at < LIVE_MS &&
	    now_ms >= a->ev_body_at)
		goto send;
	if (a->ev_typical == NULL || a->ev_typical_day != day ||
	    now_ms - a->ev_typical_at >= TYPICAL_MS) {
		json_t *t = typical_waits(a, day, &err);
		if (t == NULL) {
			pthread_mutex_unlock(&a->ev_mu);
			api_store_error(resp, err.code, &err);
			return;
		}
		json_decref(a->ev_typical);
		a->ev_typical = t;
		a->ev_typical_day = day;
		a->ev_typical_at = now_ms;
	}
	if ((rc = store_queue(a->store, now_ms, sum, ARRAY_SIZE(sum), &n,
	    &err)) != K_OK) {
		pthread_mutex_unlock(&a->ev_mu);
		api_store_error(resp, rc, &err);
		return;
	}
	o = json_object();
	store_iso_time(now_ms, iso);
	json_object_set_new(o, "now", json_string(iso));
	json_object_set_new(o, "site", json_string(a->site_name));
	json_object_set_new(o, "weekday", json_integer(ev_weekday(day) + 1));
	json_object_set_new(o, "history_weeks",
	    json_integer(a->ev.history_weeks));
	json_object_set_new(o, "history_days", json_incref(json_object_get(
	    a->ev_typical, "days")));
	json_object_set_new(o, "min_tickets", json_integer(a->ev.min_cell));
	svcs = json_array();
	typ = json_object_get(a->ev_typical, "services");
	for (i = 0; i < n; i++) {
		const struct store_service *sv = store_service(a->store,
		    sum[i].letter);
		json_t *s = json_object(), *hours = NULL, *ts;
		size_t k;
		char l[2] = { sum[i].letter, 0 };

		json_object_set_new(s, "letter", json_string(l));
		json_object_set_new(s, "name", json_string(sv ? sv->name : ""));
		json_object_set_new(s, "waiting", json_integer(sum[i].waiting));
		json_object_set_new(s, "oldest_wait_min",
		    json_integer(sum[i].oldest_wait_min));
		json_array_foreach(typ, k, ts)
			if (strcmp(json_string_value(json_object_get(ts, "letter")),
			    l) == 0)
				hours = json_object_get(ts, "hours");
		json_object_set_new(s, "typical", hours ? json_incref(hours) :
		    json_array());
		json_array_append_new(svcs, s);
	}
	json_object_set_new(o, "services", svcs);
	url = xasprintf("%s/congestion", a->public_url);
	json_object_set_new(o, "qr", qr_json(url));
	free(url);
	free(a->ev_body);
	a->ev_body = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
	a->ev_body_at = now_ms;
	json_decref(o);
send:
	resp->status = 200;
	/* no personal data: phones and proxies may keep it as long as we do */
	resp->max_age_s = (int)((LIVE_MS - (now_ms - a->ev_body_at)) / 1000);
	if (resp->max_age_s < 1)
		resp->max_age_s = 1;
	resp->content_type = API_JSON;
	bytebuf_puts(&resp->body, a->ev_body);
	pthread_mutex_unlock(&a->ev_mu);
}

/* ---- the staff console's figures (added to /api/stats) ---- */

static double
round2(double v)
{
	return round(v * 100) / 100;
}

static json_t *
method_json(const struct ev_acc_cell *c, int m)
{
	if (c->n[m] == 0)
		return json_null();
	return json_pack("{s:i,s:f,s:f,s:f}", "tickets", c->n[m],
	    "mae_min", round2(c->abs_sum[m] / c->n[m]),
	    "bias_min", round2(c->err_sum[m] / c->n[m]),
	    "within5_share", round2((double)c->within5[m] / c->n[m] * 10) / 10);
}

static json_t *
accuracy_json(struct api *a, const char *day, struct kerr *err)
{
	struct ev_log log;
	struct ev_accuracy *acc;
	json_t *arr;
	int v, h, m;

	memset(&log, 0, sizeof(log));
	if (ev_log_add(&log, a->store, a->site_name, day, day, err) != K_OK) {
		ev_log_free(&log);
		return NULL;
	}
	acc = xcalloc(1, sizeof(*acc));
	ev_accuracy(&log, a->ev.estimate_samples, a->ev.naive_min, acc);
	arr = json_array();
	for (v = 0; v < log.nservices; v++) {
		json_t *s = json_object(), *hours = json_array();
		char l[2] = { log.services[v], 0 };

		json_object_set_new(s, "letter", json_string(l));
		for (h = 0; h <= 24; h++) {
			const struct ev_acc_cell *c = &acc->cell[v][h];
			json_t *o;

			if (c->n[EV_M_NAIVE] == 0)
				continue;
			o = json_object();
			json_object_set_new(o, "hour", h == 24 ? json_string("all") :
			    json_integer(h));
			for (m = 0; m < EV_NMETHODS; m++)
				json_object_set_new(o, ev_method_names[m],
				    method_json(c, m));
			if (h == 24)
				json_object_set_new(s, "all", o);
			else
				json_array_append_new(hours, o);
		}
		json_object_set_new(s, "hours", hours);
		json_array_append_new(arr, s);
	}
	free(acc);
	ev_log_free(&log);
	return arr;
}

static json_t *
staffing_json(struct api *a, int day, struct kerr *err)
{
	struct ev_log log;
	struct ev_staffing sf = { 0 };
	json_t *o, *svcs;
	int v, w, h;

	if (history(a, day, &log, err) != K_OK) {
		ev_log_free(&log);
		return NULL;
	}
	ev_staffing(&log, a->ev.target_min, a->ev.target_share, &sf);
	o = json_object();
	json_object_set_new(o, "weeks", json_integer(a->ev.history_weeks));
	json_object_set_new(o, "target_wait_min",
	    json_integer(a->ev.target_min));
	json_object_set_new(o, "target_share", json_real(a->ev.target_share));
	svcs = json_array();
	for (v = 0; v < log.nservices && sf.nsites > 0; v++) {
		json_t *s = json_object(), *grid = json_array();
		char l[2] = { log.services[v], 0 };

		json_object_set_new(s, "letter", json_string(l));
		json_object_set_new(s, "configured",
		    json_integer(log.service_counters[v]));
		/* [weekday 1..7][hour]: counters needed, null where closed
		 * or too few tickets */
		for (w = 0; w < 7; w++) {
			json_t *row = json_array();
			for (h = 0; h < 24; h++) {
				const struct ev_staff_cell *c =
				    &sf.cell[0][v][w][h];
				json_array_append_new(row, c->arrivals >=
				    a->ev.min_cell && c->needed > 0 ?
				    json_pack("{s:i,s:f,s:f,s:i}", "needed",
				    c->needed, "arrivals_per_hour",
				    round2(c->lambda), "within",
				    round2(c->within * 10) / 10, "notes",
				    c->notes) :
				    json_null());
			}
			json_array_append_new(grid, row);
		}
		json_object_set_new(s, "grid", grid);
		json_array_append_new(svcs, s);
	}
	json_object_set_new(o, "services", svcs);
	ev_staffing_free(&sf);
	ev_log_free(&log);
	return o;
}

/* Add "accuracy" (that day) and "staffing" (the weeks before) to o. */
int
api_stats_evidence(struct api *a, const char *day, int64_t now_ms,
    json_t *o, struct kerr *err)
{
	json_t *acc = accuracy_json(a, day, err), *sf;
	int d = ev_day_parse(day);

	if (acc == NULL)
		return err ? err->code : K_EFAIL;
	json_object_set_new(o, "accuracy", acc);
	pthread_mutex_lock(&a->ev_mu);
	if (a->ev_staffing == NULL || a->ev_staffing_day != d ||
	    now_ms - a->ev_staffing_at >= STAFFING_MS ||
	    now_ms < a->ev_staffing_at) {
		if ((sf = staffing_json(a, d, err)) == NULL) {
			pthread_mutex_unlock(&a->ev_mu);
			return err ? err->code : K_EFAIL;
		}
		json_decref(a->ev_staffing);
		a->ev_staffing = sf;
		a->ev_staffing_day = d;
		a->ev_staffing_at = now_ms;
	}
	json_object_set_new(o, "staffing", json_deep_copy(a->ev_staffing));
	pthread_mutex_unlock(&a->ev_mu);
	return K_OK;
}
