/*
 * report_advice.c - part of `kiosk report` (report.c): accuracy.csv (how
 * right the promised wait was), staffing.csv (counters needed per weekday
 * and hour) and the few lines printed for whoever runs the report.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog.h"
#include "config.h"
#include "evidence_int.h"
#include "xmalloc.h"

/* ---- accuracy.csv ---- */

static const struct ev_col cols_acc[] = {
	COL_SERVICE,
	{ "hour", EV_STR, "時台", "hour", NULL,
	  "hour of issue (HH:00:00+09:00), or \"all\" for the whole day" },
	{ "method", EV_STR, "方式", "method", NULL,
	  "promised: the wait printed on the ticket; naive: people ahead x "
	  "evidence.naive_min_per_person; first_formula / current_formula: "
	  "the estimators replayed on the log" },
	{ "tickets", EV_INT, "件数", "tickets", "tickets",
	  "called tickets with an estimate; empty when suppressed" },
	{ "mae_min", EV_DEC, "平均絶対誤差", "mean absolute error", "min",
	  "mean of |estimate - actual wait|" },
	{ "bias_min", EV_DEC, "偏り", "bias", "min",
	  "mean of estimate - actual wait (negative: waits longer than said)" },
	{ "within5_share", EV_DEC, "±5分以内の割合", "share within 5 min",
	  "ratio 0-1", "share of tickets whose estimate was within 5 minutes" },
	{ "suppressed", EV_BOOL, "秘匿", "suppressed", NULL,
	  "true: fewer tickets than the minimum count" },
};

int
ev_write_accuracy(struct report *r, const struct ev_accuracy *acc,
    struct kerr *err)
{
	struct ev_table tb = { .file = "accuracy.csv",
		.title_ja = "待ち時間予測の精度", .title_en =
		"Accuracy of the promised wait", .doc = "per service, hour of "
		"issue and method: error of the estimated wait against the "
		"actual wait (first call - issue)", .cols = cols_acc,
		.ncols = (int)ARRAY_SIZE(cols_acc) };
	int v, h, m, rc;

	if ((rc = ev_table_open(&tb, r->out, err)) != K_OK)
		return rc;
	for (v = 0; v < r->log.nservices; v++)
		for (h = r->hour_lo; h <= r->hour_hi + 1; h++) {
			int hh = h > r->hour_hi ? 24 : h;
			for (m = 0; m < EV_NMETHODS; m++) {
				const struct ev_acc_cell *c = &acc->cell[v][hh];
				char sv[2] = { r->log.services[v], 0 };
				char hs[24], n[16] = "", mae[16] = "",
				    bias[16] = "", w5[16] = "";
				const char *vals[9];
				bool sup = c->n[m] < r->min_cell;

				if (c->n[m] == 0)
					continue;
				if (hh == 24)
					snprintf(hs, sizeof(hs), "all");
				else
					snprintf(hs, sizeof(hs), "%02d:00:00+09:00",
					    hh);
				if (!sup) {
					snprintf(n, sizeof(n), "%d", c->n[m]);
					snprintf(mae, sizeof(mae), "%.2f",
					    c->abs_sum[m] / c->n[m]);
					snprintf(bias, sizeof(bias), "%.2f",
					    c->err_sum[m] / c->n[m]);
					snprintf(w5, sizeof(w5), "%.3f",
					    (double)c->within5[m] / c->n[m]);
				}
				vals[0] = sv;
				vals[1] = r->log.service_names[v];
				vals[2] = hs;
				vals[3] = ev_method_names[m];
				vals[4] = n;
				vals[5] = mae;
				vals[6] = bias;
				vals[7] = w5;
				vals[8] = sup ? "true" : "false";
				ev_table_row(&tb, vals);
				tb.suppressed += sup;
			}
		}
	return ev_table_close(&tb, r->out, r->min_cell, r->period, err);
}

/* ---- staffing.csv ---- */

static const struct ev_col cols_staff[] = {
	{ "site", EV_STR, "庁舎", "site", NULL, "the office" },
	COL_SERVICE,
	{ "iso_weekday", EV_INT, "曜日番号", "ISO weekday", NULL,
	  "1 = Monday ... 7 = Sunday" },
	{ "hour", EV_TIME, "時台", "hour", NULL, "start of the hour (Asia/Tokyo)" },
	{ "open_days", EV_INT, "開庁日数", "open days", "days",
	  "days of this weekday with any ticket in the period" },
	{ "arrivals_per_hour", EV_DEC, "到着率", "arrivals per hour",
	  "tickets/h", "tickets issued in this hour, per open day" },
	{ "mean_service_min", EV_DEC, "平均対応時間", "mean service time",
	  "min", "the service's mean service time over the period" },
	{ "service_cv", EV_DEC, "対応時間の変動係数", "service time CV", NULL,
	  "standard deviation / mean of the service time (1 for exponential)" },
	{ "offered_load", EV_DEC, "負荷", "offered load", "erlang",
	  "arrivals per hour x mean service hours: counters busy on average" },
	{ "counters_needed", EV_INT, "必要窓口数", "counters needed", "counters",
	  "fewest counters for the target by Erlang C (M/M/c); empty when "
	  "suppressed" },
	{ "within_target_share", EV_DEC, "目標内の割合", "share within target",
	  "ratio 0-1", "P(wait <= evidence.target_wait_min) with that many" },
	{ "utilisation", EV_DEC, "稼働率", "utilisation", "ratio 0-1",
	  "offered load / counters needed" },
	{ "configured_counters", EV_INT, "設定窓口数", "configured counters",
	  "counters", "counters configured for the service (server.services)" },
	{ "notes", EV_STR, "注記", "notes", NULL,
	  "where M/M/c does not hold: few (under 20 tickets), cv (service "
	  "times not exponential), rho (over 85 % busy: the queue carries over "
	  "to the next hour), no_show (over 10 % no-shows); separated by ' '" },
	{ "suppressed", EV_BOOL, "秘匿", "suppressed", NULL,
	  "true: fewer tickets than the minimum count" },
};

static void
notes_text(unsigned n, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s%s", n & EV_NOTE_FEW ? "few " : "",
	    n & EV_NOTE_CV ? "cv " : "", n & EV_NOTE_RHO ? "rho " : "",
	    n & EV_NOTE_NOSHOW ? "no_show " : "");
	if (out[0])
		out[strlen(out) - 1] = '\0';
}

int
ev_write_staffing(struct report *r, const struct ev_staffing *sf,
    struct kerr *err)
{
	struct ev_table tb = { .file = "staffing.csv",
		.title_ja = "曜日・時台別の必要窓口数", .title_en =
		"Counters needed by weekday and hour", .doc = "per site, "
		"service, weekday and hour: arrival rate, service time and the "
		"counters needed for the target share called within the target "
		"wait (Erlang C)", .cols = cols_staff,
		.ncols = (int)ARRAY_SIZE(cols_staff) };
	int s, v, w, h, rc;

	if ((rc = ev_table_open(&tb, r->out, err)) != K_OK)
		return rc;
	for (s = 0; s < sf->nsites; s++)
		for (v = 0; v < r->log.nservices; v++)
			for (w = 0; w < 7; w++)
				for (h = 0; h < 24; h++) {
					const struct ev_staff_cell *c =
					    &sf->cell[s][v][w][h];
					char sv[2] = { r->log.services[v], 0 };
					char b[13][32];
					const char *vals[16];
					bool sup = c->arrivals < r->min_cell;
					int k;

					if (c->arrivals == 0)
						continue;
					for (k = 0; k < 13; k++)
						b[k][0] = '\0';
					snprintf(b[0], 32, "%d", w + 1);
					snprintf(b[1], 32, "%02d:00:00+09:00", h);
					snprintf(b[2], 32, "%d", c->days);
					snprintf(b[12], 32, "%d",
					    r->log.service_counters[v]);
					if (!sup && c->needed > 0) {
						snprintf(b[3], 32, "%.2f", c->lambda);
						snprintf(b[4], 32, "%.2f",
						    c->mean_service_min);
						snprintf(b[5], 32, "%.2f", c->cv);
						snprintf(b[6], 32, "%.2f", c->lambda *
						    c->mean_service_min / 60);
						snprintf(b[7], 32, "%d", c->needed);
						snprintf(b[8], 32, "%.3f", c->within);
						snprintf(b[9], 32, "%.3f", c->rho);
						notes_text(c->notes, b[10], 32);
					}
					vals[0] = r->log.sites[s];
					vals[1] = sv;
					vals[2] = r->log.service_names[v];
					vals[3] = b[0];
					vals[4] = b[1];
					vals[5] = b[2];
					vals[6] = b[3];
					vals[7] = b[4];
					vals[8] = b[5];
					vals[9] = b[6];
					vals[10] = b[7];
					vals[11] = b[8];
					vals[12] = b[9];
					vals[13] = b[12];
					vals[14] = b[10];
					vals[15] = sup ? "true" : "false";
					ev_table_row(&tb, vals);
					tb.suppressed += sup;
				}
	return ev_table_close(&tb, r->out, r->min_cell, r->period, err);
}
/* No "-0.0" for a bias that rounds to nothing. */
static double
nz(double v)
{
	return fabs(v) < 0.05 ? 0 : v;
}

/* A few lines for whoever runs the report: per service, how right the
 * promised wait was against the baseline, and the hours that need more
 * counters than configured. */
void
ev_summary(const struct report *r, const struct ev_accuracy *acc,
    const struct ev_staffing *sf)
{
	int v, s, w, h;

	printf("%-7s %7s %22s %22s %9s  %s\n", "service", "tickets",
	    "promised MAE/bias/5min", "naive MAE/bias/5min", "short hrs",
	    "name");
	for (v = 0; v < r->log.nservices; v++) {
		const struct ev_acc_cell *c = &acc->cell[v][24];
		char p[32] = "-", nv[32] = "-";
		int over = 0, n = c->n[EV_M_NAIVE];

		if (c->n[EV_M_PROMISED] > 0)
			snprintf(p, sizeof(p), "%.1f/%+.1f/%.0f%%",
			    c->abs_sum[0] / c->n[0], nz(c->err_sum[0] / c->n[0]),
			    100.0 * c->within5[0] / c->n[0]);
		if (n > 0)
			snprintf(nv, sizeof(nv), "%.1f/%+.1f/%.0f%%",
			    c->abs_sum[EV_M_NAIVE] / n,
			    nz(c->err_sum[EV_M_NAIVE] / n),
			    100.0 * c->within5[EV_M_NAIVE] / n);
		for (s = 0; s < sf->nsites; s++)
			for (w = 0; w < 7; w++)
				for (h = 0; h < 24; h++) {
					const struct ev_staff_cell *x =
					    &sf->cell[s][v][w][h];
					over += x->arrivals >= r->min_cell &&
					    x->needed > r->log.service_counters[v];
				}
		/* the name last: a byte width would cut a UTF-8 name */
		printf("%-7c %7d %22s %22s %9d  %s\n", r->log.services[v], n,
		    p, nv, over, r->log.service_names[v]);
	}
	printf("(MAE and bias in minutes; \"short hrs\": weekday-hours that "
	    "need more counters than configured, see staffing.csv)\n");
}
