/*
 * report.c - `kiosk report` and `kiosk simulate`: the wait-time log of one
 * or several sites as open data (CSV + CSVW, docs/open-data.md), the
 * accuracy of the promised wait, staffing advice and charts.
 *
 * No file has a row per resident: every figure is an aggregate over a cell
 * (day, hour, weekday, service, procedure, card/language/assistance), and
 * a cell with fewer than evidence.min_cell tickets is published without
 * its figures (suppressed).  Where a group (a service within a file) has
 * exactly one suppressed cell, the next smallest is suppressed as well, so
 * that the first cannot be had by subtracting from the service's total.
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
#include "roles.h"
#include "xmalloc.h"

/* ---- cells: a key (fields joined by \x1f) and its figures ---- */

struct series {
	double *v;
	size_t n, cap;
};

struct cell {
	char *key;
	int tickets, served, no_show, card, priority;
	struct series wait, serv;
	bool suppressed;
};

struct cells {
	struct cell *c;
	size_t n, cap;
	size_t *slot;                 /* open addressing, index + 1 */
	size_t nslot;
};

static void
series_add(struct series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct cell *
cell_get(struct cells *cs, const char *key)
{
	size_t h, i;

	if (cs->n * 2 >= cs->nslot) {
		size_t ns = cs->nslot ? cs->nslot * 2 : 64, k;
		free(cs->slot);
		cs->slot = xcalloc(ns, sizeof(*cs->slot));
		cs->nslot = ns;
		for (k = 0; k < cs->n; k++) {
			for (i = hash(cs->c[k].key) % ns; cs->slot[i];
			    i = (i + 1) % ns)
				;
			cs->slot[i] = k + 1;
		}
	}
	h = hash(key);
	for (i = h % cs->nslot; cs->slot[i]; i = (i + 1) % cs->nslot)
		if (strcmp(cs->c[cs->slot[i] - 1].key, key) == 0)
			return &cs->c[cs->slot[i] - 1];
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 64;
		cs->c = xrealloc(cs->c, cs->cap * sizeof(*cs->c));
	}
	memset(&cs->c[cs->n], 0, sizeof(cs->c[0]));
	cs->c[cs->n].key = xstrdup(key);
	cs->slot[i] = ++cs->n;
	return &cs->c[cs->n - 1];
}

static void
cell_add(struct cell *c, const struct ev_ticket *t)
{
	double w = ev_wait_min(t), s = ev_service_min(t);

	c->tickets++;
	c->served += t->state == ST_DONE;
	c->no_show += t->state == ST_NO_SHOW;
	c->card += !!(t->flags & STORE_F_CARD);
	c->priority += !!(t->flags & STORE_F_PRIORITY);
	if (w >= 0)
		series_add(&c->wait, w);
	if (s >= 0)
		series_add(&c->serv, s);
}

static int
cmp_cell(const void *a, const void *b)
{
	return strcmp(((const struct cell *)a)->key,
	    ((const struct cell *)b)->key);
}

static void
cells_free(struct cells *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->c[i].key);
		free(cs->c[i].wait.v);
		free(cs->c[i].serv.v);
	}
	free(cs->c);
	free(cs->slot);
	memset(cs, 0, sizeof(*cs));
}

/* Sort; mark cells under min; then the second suppression per group (the
 * first `group_fields` key fields: every key leads with the service). */
static void
cells_finish(struct cells *cs, int min, int group_fields)
{
	size_t i, j, k;

	qsort(cs->c, cs->n, sizeof(*cs->c), cmp_cell);
	free(cs->slot);
	cs->slot = NULL;
	cs->nslot = 0;
	for (i = 0; i < cs->n; i++)
		cs->c[i].suppressed = cs->c[i].tickets < min;
	for (i = 0; i < cs->n; i = j) {
		size_t glen = 0, nsup = 0, best = SIZE_MAX;
		const char *p = cs->c[i].key;
		int f;

		for (f = 0; f < group_fields && p; f++) {
			p = strchr(p, '\x1f');
			if (p)
				p++;
		}
		glen = p ? (size_t)(p - cs->c[i].key) : strlen(cs->c[i].key);
		for (j = i; j < cs->n && strncmp(cs->c[j].key, cs->c[i].key,
		    glen) == 0; j++)
			nsup += cs->c[j].suppressed;
		if (nsup != 1)
			continue;
		for (k = i; k < j; k++)
			if (!cs->c[k].suppressed && (best == SIZE_MAX ||
			    cs->c[k].tickets < cs->c[best].tickets))
				best = k;
		if (best != SIZE_MAX)
			cs->c[best].suppressed = true;
	}
}

/* Split a key into at most max fields (in place on a copy). */
static int
split(char *key, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = key;
		key = strchr(key, '\x1f');
		if (key == NULL)
			break;
		*key++ = '\0';
	}
	return n;
}

/* ---- the figures every file carries after its key columns ---- */

static const struct ev_col fig_cols[] = {
	{ "tickets", EV_INT, "発券数", "tickets", "tickets",
	  "tickets issued in the cell; empty when suppressed" },
	{ "served", EV_INT, "対応済", "served", "tickets",
	  "tickets whose service was finished" },
	{ "no_show", EV_INT, "不在", "no-shows", "tickets",
	  "tickets called but not answered" },
	{ "card_share", EV_DEC, "カード読取の割合", "share read from the card",
	  "ratio 0-1", "share of tickets whose application was filled from "
	  "the My Number card (書かない窓口)" },
	{ "priority_share", EV_DEC, "優先の割合", "share with priority",
	  "ratio 0-1", "share of tickets staff or a volunteer marked priority "
	  "(docs/counter-operations.md)" },
	{ "wait_median_min", EV_DEC, "待ち時間 中央値", "median wait", "min",
	  "median minutes from issue to the first call" },
	{ "wait_p90_min", EV_DEC, "待ち時間 90%点", "90th percentile wait",
	  "min", "90 % of the tickets were called within this" },
	{ "wait_mean_min", EV_DEC, "待ち時間 平均", "mean wait", "min",
	  "mean minutes from issue to the first call" },
	{ "service_median_min", EV_DEC, "対応時間 中央値",
	  "median service time", "min",
	  "median minutes at the counter (start, or call, to finish)" },
	{ "service_mean_min", EV_DEC, "対応時間 平均", "mean service time",
	  "min", "mean minutes at the counter" },
	{ "suppressed", EV_BOOL, "秘匿", "suppressed", NULL,
	  "true: fewer than the minimum count (or the second cell of its "
	  "group), figures left empty" },
};
#define NFIG ((int)ARRAY_SIZE(fig_cols))

static void
fmt_min(char *out, size_t n, double v)
{
	if (v < 0)
		out[0] = '\0';
	else
		snprintf(out, n, "%.1f", v);
}

static double
mean_of(const struct series *s)
{
	double sum = 0;
	size_t i;

	if (s->n == 0)
		return -1;
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return sum / (double)s->n;
}

/* The figures of a cell as NFIG strings in buf. */
static void
figures(struct cell *c, char buf[][24])
{
	int i;

	for (i = 0; i < NFIG; i++)
		buf[i][0] = '\0';
	snprintf(buf[NFIG - 1], 24, "%s", c->suppressed ? "true" : "false");
	if (c->suppressed)
		return;
	snprintf(buf[0], 24, "%d", c->tickets);
	snprintf(buf[1], 24, "%d", c->served);
	snprintf(buf[2], 24, "%d", c->no_show);
	snprintf(buf[3], 24, "%.3f", c->tickets ? (double)c->card / c->tickets :
	    0);
	snprintf(buf[4], 24, "%.3f", c->tickets ? (double)c->priority /
	    c->tickets : 0);
	fmt_min(buf[5], 24, ev_quantile(c->wait.v, c->wait.n, 0.5));
	fmt_min(buf[6], 24, ev_quantile(c->wait.v, c->wait.n, 0.9));
	fmt_min(buf[7], 24, mean_of(&c->wait));
	fmt_min(buf[8], 24, ev_quantile(c->serv.v, c->serv.n, 0.5));
	fmt_min(buf[9], 24, mean_of(&c->serv));
}

struct report {
	const struct config *cfg;
	const struct catalog *cat;
	struct ev_log log;
	const char *out;
	char from[11], to[11], period[32];
	int min_cell;
	int hour_lo, hour_hi;         /* opening hours seen: [lo, hi] */
	unsigned fmt;
};

static const char *
proc_name(const struct report *r, int proc, const char *lang)
{
	const struct cat_procedure *p = r->cat ? catalog_find(r->cat,
	    r->log.procs[proc]) : NULL;

	return p ? catalog_name(p, lang) : r->log.procs[proc];
}

static const char *
service_name(const struct report *r, char letter)
{
	int i = ev_service_index(&r->log, letter);

	return i >= 0 ? r->log.service_names[i] : "";
}

/* Write one file: cols = key columns then the figures; keyfn writes the
 * key columns' values for a cell into vals. */
typedef void (*key_fn)(const struct report *r, char **f, int nf,
    const char **vals, char scratch[][64]);

static int
write_cells(struct report *r, struct ev_table *tb, const struct ev_col *keys,
    int nkeys, struct cells *cs, key_fn kf, struct kerr *err)
{
	struct ev_col *cols = xcalloc((size_t)(nkeys + NFIG), sizeof(*cols));
	const char **vals = xcalloc((size_t)(nkeys + NFIG), sizeof(*vals));
	char fig[NFIG][24], scratch[8][64];
	size_t i;
	int k, rc;

	memcpy(cols, keys, (size_t)nkeys * sizeof(*cols));
	memcpy(cols + nkeys, fig_cols, sizeof(fig_cols));
	tb->cols = cols;
	tb->ncols = nkeys + NFIG;
	if ((rc = ev_table_open(tb, r->out, err)) != K_OK)
		goto out;
	for (i = 0; i < cs->n; i++) {
		char *key = xstrdup(cs->c[i].key), *f[8];
		int nf = split(key, f, 8);

		kf(r, f, nf, vals, scratch);
		figures(&cs->c[i], fig);
		for (k = 0; k < NFIG; k++)
			vals[nkeys + k] = fig[k];
		ev_table_row(tb, vals);
		tb->suppressed += cs->c[i].suppressed;
		free(key);
	}
	rc = ev_table_close(tb, r->out, r->min_cell, r->period, err);
out:
	free(cols);
	free(vals);
	return rc;
}

/* ---- the files ---- */

/* The two service columns of most tables.  A macro, not a const array:
 * an element of a const array is no constant expression in C, and clang
 * (the fuzz build) refuses it in an initializer where gcc lets it pass. */
#define COL_SERVICE \
	{ "service", EV_STR, "業務", "service", NULL, \
	  "service letter (A, B, ...) as on the ticket number" }, \
	{ "service_name", EV_STR, "業務名", "service name", NULL, \
	  "the service's name at the counters" }

static void
key_day(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	int day = ev_day_parse(f[1]);

	v[0] = f[1];
	v[1] = day >= 0 ? ev_weekday_en[ev_weekday(day)] : "";
	v[2] = f[0];
	v[3] = service_name(r, f[0][0]);
}

static const struct ev_col cols_day[] = {
	{ "date", EV_DATE, "日付", "date", NULL,
	  "service day (ISO 8601, Asia/Tokyo)" },
	{ "weekday", EV_STR, "曜日", "weekday", NULL, "Mon ... Sun" },
	COL_SERVICE,
};

static void
key_hour(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	snprintf(s[0], 64, "%s:00:00+09:00", f[1]);
	v[0] = s[0];
	v[1] = f[0];
	v[2] = service_name(r, f[0][0]);
}

static const struct ev_col cols_hour[] = {
	{ "hour", EV_TIME, "時台", "hour", NULL,
	  "start of the hour of issue (ISO 8601 time with offset, "
	  "Asia/Tokyo); the cell covers that hour of every day in the "
	  "period" },
	COL_SERVICE,
};

static void
key_weekday(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	int w = atoi(f[1]) - 1;

	v[0] = f[1];
	v[1] = ev_weekday_en[w];
	v[2] = ev_weekday_ja[w];
	v[3] = f[0];
	v[4] = service_name(r, f[0][0]);
}

static const struct ev_col cols_weekday[] = {
	{ "iso_weekday", EV_INT, "曜日番号", "ISO weekday", NULL,
	  "1 = Monday ... 7 = Sunday (ISO 8601)" },
	{ "weekday", EV_STR, "曜日（英）", "weekday", NULL, "Mon ... Sun" },
	{ "weekday_ja", EV_STR, "曜日", "weekday (Japanese)", NULL, "月 ... 日" },
	COL_SERVICE,
};

static void
key_proc(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	int p = atoi(f[1]);

	v[0] = f[0];
	v[1] = service_name(r, f[0][0]);
	v[2] = proc_name(r, p, "ja");
	v[3] = proc_name(r, p, "en");
}

static const struct ev_col cols_proc[] = {
	COL_SERVICE,
	{ "procedure_ja", EV_STR, "手続", "procedure (Japanese)", NULL,
	  "the procedure's name as the kiosk shows it in Japanese" },
	{ "procedure_en", EV_STR, "手続（英）", "procedure (English)", NULL,
	  "the procedure's name in English" },
};

static void
key_channel(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	v[0] = f[0];
	v[1] = service_name(r, f[0][0]);
	v[2] = strcmp(f[1], "1") == 0 ? "true" : "false";
	v[3] = f[2];
	v[4] = strcmp(f[3], "1") == 0 ? "true" : "false";
}

static const struct ev_col cols_channel[] = {
	COL_SERVICE,
	{ "card", EV_BOOL, "カード読取", "card read", NULL,
	  "true: the application was filled from the My Number card" },
	{ "language", EV_STR, "言語", "language", NULL,
	  "language of the kiosk session (BCP 47: ja, ja-easy, en, vi, ...)" },
	{ "assisted", EV_BOOL, "支援", "assisted", NULL,
	  "true: assisted session (volunteer, large text)" },
};

static void
key_site(const struct report *r, char **f, int nf, const char **v,
    char s[][64])
{
	v[0] = r->log.sites[atoi(f[1])];
	v[1] = f[0];
	v[2] = service_name(r, f[0][0]);
}

static const struct ev_col cols_site[] = {
	{ "site", EV_STR, "庁舎", "site", NULL, "the office (本庁, 支所)" },
	COL_SERVICE,
};

enum { F_DAY, F_HOUR, F_WEEKDAY, F_PROC, F_CHANNEL, F_SITE, F_N };

static void
make_key(const struct report *r, int file, const struct ev_ticket *t,
    char *key, size_t n)
{
	char day[11];

	switch (file) {
	case F_DAY:
		ev_day_format(t->day, day);
		snprintf(key, n, "%c\x1f%s", t->service, day);
		break;
	case F_HOUR:
		snprintf(key, n, "%c\x1f%02d", t->service, t->hour);
		break;
	case F_WEEKDAY:
		snprintf(key, n, "%c\x1f%d", t->service, t->weekday + 1);
		break;
	case F_PROC:
		snprintf(key, n, "%c\x1f%03d", t->service, t->proc);
		break;
	case F_CHANNEL:
		snprintf(key, n, "%c\x1f%d\x1f%s\x1f%d", t->service,
		    !!(t->flags & STORE_F_CARD), r->log.langs[t->lang],
		    !!(t->flags & STORE_F_ASSIST));
		break;
	default:
		snprintf(key, n, "%c\x1f%02d", t->service, t->site);
		break;
	}
}

static int
write_open_data(struct report *r, struct cells *cs, struct kerr *err)
{
	static const struct {
		const char *file, *ja, *en, *doc;
		const struct ev_col *keys;
		int nkeys, group;
		key_fn kf;
	} files[F_N] = {
		[F_DAY] = { "by_day.csv", "日別・業務別の待ち時間",
		    "Waits by day and service",
		    "one row per service day and service", cols_day, 4, 0,
		    key_day },
		[F_HOUR] = { "by_hour.csv", "時台別・業務別の待ち時間",
		    "Waits by hour of issue and service",
		    "one row per hour of the day and service, over the period",
		    cols_hour, 3, 1, key_hour },
		[F_WEEKDAY] = { "by_weekday.csv", "曜日別・業務別の待ち時間",
		    "Waits by weekday and service",
		    "one row per weekday and service, over the period",
		    cols_weekday, 5, 0, key_weekday },
		[F_PROC] = { "by_procedure.csv", "手続別の待ち時間と対応時間",
		    "Waits and service times by procedure",
		    "one row per procedure, over the period", cols_proc, 4, 1,
		    key_proc },
		[F_CHANNEL] = { "by_channel.csv",
		    "カード読取・言語・支援の有無別",
		    "By card use, language and assistance",
		    "one row per service, card use, language and assistance",
		    cols_channel, 5, 1, key_channel },
		[F_SITE] = { "by_site.csv", "庁舎別・業務別の待ち時間",
		    "Waits by site and service",
		    "one row per site (本庁, 支所) and service", cols_site, 3, 1,
		    key_site },
	};
	struct ev_table tb;
	int f, rc;

	for (f = 0; f < F_N; f++) {
		if (f == F_SITE && r->log.nsites < 2)
			continue;
		memset(&tb, 0, sizeof(tb));
		tb.file = files[f].file;
		tb.title_ja = files[f].ja;
		tb.title_en = files[f].en;
		tb.doc = files[f].doc;
		if ((rc = write_cells(r, &tb, files[f].keys, files[f].nkeys,
		    &cs[f], files[f].kf, err)) != K_OK)
			return rc;
	}
	return K_OK;
}

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

static int
write_accuracy(struct report *r, const struct ev_accuracy *acc,
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

static int
write_staffing(struct report *r, const struct ev_staffing *sf,
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

/* ---- charts ---- */

static int
chart_path(struct report *r, const char *name, char *out, size_t n)
{
	return snprintf(out, n, "%s/%s", r->out, name);
}

static int
write_charts(struct report *r, struct cells *all_hour, struct cells *all_wd,
    struct cells *proc, const struct ev_accuracy *acc,
    const struct ev_staffing *sf, struct kerr *err)
{
	static char labels[64][64];
	static const char *lp[64];
	double v[64], vm[EV_NMETHODS][25];
	int n[64], nh = r->hour_hi - r->hour_lo + 1, i, k, m, rc, s, w, h;
	char path[1024], sub[256];
	struct ev_bars b;
	size_t j;

	snprintf(sub, sizeof(sub), "%s – %s · %s%s · 件数 n = tickets · "
	    "%d 件未満は非表示 / cells under %d tickets hidden", r->from, r->to,
	    r->log.sites[0], r->log.nsites > 1 ? " ほか / and others" : "",
	    r->min_cell, r->min_cell);
	for (i = 0; i < 64; i++)
		lp[i] = labels[i];
	/* median wait by hour (all services; all_hour keyed by "HH") */
	for (i = 0; i < nh; i++) {
		snprintf(labels[i], 64, "%d時", r->hour_lo + i);
		v[i] = -1;
		n[i] = 0;
	}
	for (j = 0; j < all_hour->n; j++) {
		struct cell *c = &all_hour->c[j];
		i = atoi(c->key) - r->hour_lo;
		if (i < 0 || i >= nh)
			continue;
		n[i] = c->tickets;
		v[i] = c->tickets >= r->min_cell ? ev_quantile(c->wait.v,
		    c->wait.n, 0.5) : -1;
	}
	memset(&b, 0, sizeof(b));
	b.title = "待ち時間の中央値（時台別） / Median wait by hour of issue";
	b.subtitle = sub;
	b.axis = "分 / minutes";
	b.cat = lp;
	b.n = n;
	b.ncat = nh;
	b.s[0].name = "中央値 / median";
	b.s[0].v = v;
	b.nseries = 1;
	b.note = "待ち時間 = 発券から最初の呼出しまで / wait = issue to first "
	    "call. 開庁時間のみ / opening hours only.";
	chart_path(r, "wait_by_hour", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* by weekday: the weekdays with tickets */
	k = 0;
	for (j = 0; j < all_wd->n && k < 7; j++) {
		struct cell *c = &all_wd->c[j];
		int wd = atoi(c->key) - 1;
		snprintf(labels[k], 64, "%s %s", ev_weekday_ja[wd],
		    ev_weekday_en[wd]);
		n[k] = c->tickets;
		v[k] = c->tickets >= r->min_cell ? ev_quantile(c->wait.v,
		    c->wait.n, 0.5) : -1;
		k++;
	}
	b.title = "待ち時間の中央値（曜日別） / Median wait by weekday";
	b.ncat = k;
	chart_path(r, "wait_by_weekday", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* by procedure: names, busiest first are at the top */
	k = 0;
	for (j = 0; j < proc->n && k < 40; j++) {
		struct cell *c = &proc->c[j];
		char *key = xstrdup(c->key), *f[2] = { NULL, NULL };
		if (split(key, f, 2) < 2)
			f[1] = key;
		snprintf(labels[k], 64, "%s", proc_name(r, atoi(f[1]), "ja"));
		free(key);
		n[k] = c->tickets;
		v[k] = c->suppressed ? -1 : ev_quantile(c->wait.v, c->wait.n,
		    0.5);
		k++;
	}
	b.title = "待ち時間の中央値（手続別） / Median wait by procedure";
	b.ncat = k;
	b.horizontal = true;
	chart_path(r, "wait_by_procedure", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* accuracy: mean absolute error by hour, all services together */
	b.horizontal = false;
	for (i = 0; i < nh; i++) {
		snprintf(labels[i], 64, "%d時", r->hour_lo + i);
		n[i] = 0;
	}
	for (m = 0; m < EV_NMETHODS; m++)
		for (i = 0; i < nh; i++) {
			int cnt = 0;
			double sum = 0;
			for (s = 0; s < r->log.nservices; s++) {
				cnt += acc->cell[s][r->hour_lo + i].n[m];
				sum += acc->cell[s][r->hour_lo + i].abs_sum[m];
			}
			vm[m][i] = cnt >= r->min_cell ? sum / cnt : -1;
			if (m == EV_M_NAIVE)
				n[i] = cnt;
		}
	{
		static const char *const mnames[EV_NMETHODS] = {
			"券に表示した予測 / promised",
			"単純 (人数×定数) / naive",
			"旧式 / first formula",
			"現行式 / current formula",
		};
		b.nseries = 0;
		for (m = 0; m < EV_NMETHODS; m++) {
			bool any = false;
			for (i = 0; i < nh; i++)
				any |= vm[m][i] >= 0;
			if (!any)
				continue;
			b.s[b.nseries].name = mnames[m];
			b.s[b.nseries].v = vm[m];
			b.nseries++;
		}
	}
	b.title = "待ち時間予測の平均絶対誤差（時台別） / Mean absolute error "
	    "of the wait estimate by hour";
	b.ncat = nh;
	b.note = "小さいほど正確 / lower is better. 誤差 = 予測 − 実際の待ち時間 "
	    "/ error = estimate − actual wait.";
	chart_path(r, "accuracy_by_hour", path, sizeof(path));
	if (b.nseries > 0 && (rc = ev_chart_bars(&b, path, r->fmt, err)) !=
	    K_OK)
		return rc;
	/* staffing heat-maps: weekdays with tickets x opening hours */
	for (s = 0; s < sf->nsites; s++)
		for (k = 0; k < r->log.nservices; k++) {
			static const char *rows[7], *cols[24];
			static char rl[7][32], cl[24][16];
			double hv[7 * 24], vmax = 1;
			int nr = 0, wdays[7];
			struct ev_heat hm;
			char title[256], name[64], legend[256];

			for (w = 0; w < 7; w++) {
				bool open = false;
				for (h = 0; h < 24; h++)
					open |= sf->cell[s][k][w][h].arrivals > 0;
				if (open)
					wdays[nr++] = w;
			}
			if (nr == 0)
				continue;
			for (i = 0; i < nr; i++) {
				snprintf(rl[i], sizeof(rl[i]), "%s %s",
				    ev_weekday_ja[wdays[i]],
				    ev_weekday_en[wdays[i]]);
				rows[i] = rl[i];
				for (h = 0; h < nh; h++) {
					const struct ev_staff_cell *c = &sf->cell
					    [s][k][wdays[i]][r->hour_lo + h];
					hv[i * nh + h] = c->arrivals >=
					    r->min_cell && c->needed > 0 ?
					    c->needed : -1;
					if (hv[i * nh + h] > vmax)
						vmax = hv[i * nh + h];
				}
			}
			for (h = 0; h < nh; h++) {
				snprintf(cl[h], sizeof(cl[h]), "%d時",
				    r->hour_lo + h);
				cols[h] = cl[h];
			}
			snprintf(title, sizeof(title), "必要窓口数 %c %s / "
			    "Counters needed", r->log.services[k],
			    r->log.service_names[k]);
			snprintf(legend, sizeof(legend), "目標: %.0f%% を %s 分以内に"
			    "呼出し / target: %.0f %% called within %s min · "
			    "Erlang C (M/M/c) · ▲ 設定 %d 窓口より多い / more "
			    "than the %d configured",
			    config_double(r->cfg, "evidence.target_share") * 100,
			    config_str(r->cfg, "evidence.target_wait_min"),
			    config_double(r->cfg, "evidence.target_share") * 100,
			    config_str(r->cfg, "evidence.target_wait_min"),
			    r->log.service_counters[k], r->log.service_counters[k]);
			memset(&hm, 0, sizeof(hm));
			hm.title = title;
			hm.subtitle = sub;
			hm.legend = legend;
			hm.rows = rows;
			hm.cols = cols;
			hm.nrows = nr;
			hm.ncols = nh;
			hm.v = hv;
			hm.vmax = vmax;
			hm.mark_above = r->log.service_counters[k];
			hm.note = "空欄: 件数が少ない / blank: too few tickets. "
			    "注記は staffing.csv の notes / see notes in "
			    "staffing.csv. 確認は kiosk simulate / check with "
			    "kiosk simulate.";
			if (sf->nsites > 1)
				snprintf(name, sizeof(name), "staffing_%d_%c", s,
				    r->log.services[k]);
			else
				snprintf(name, sizeof(name), "staffing_%c",
				    r->log.services[k]);
			chart_path(r, name, path, sizeof(path));
			if ((rc = ev_chart_heat(&hm, path, r->fmt, err)) != K_OK)
				return rc;
		}
	return K_OK;
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
static void
summary(const struct report *r, const struct ev_accuracy *acc,
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

/* ---- --compare A..B C..D ---- */

static const struct ev_col cols_cmp[] = {
	COL_SERVICE,
	{ "measure", EV_STR, "指標", "measure", NULL,
	  "wait_median_min, wait_mean_min, service_median_min, "
	  "service_mean_min or card_share" },
	{ "period_a", EV_STR, "期間A", "period A", NULL, "FROM/TO (ISO 8601)" },
	{ "tickets_a", EV_INT, "件数A", "tickets A", "tickets",
	  "tickets behind the figure in period A" },
	{ "value_a", EV_DEC, "値A", "value A", NULL, "minutes, or ratio 0-1" },
	{ "period_b", EV_STR, "期間B", "period B", NULL, "FROM/TO (ISO 8601)" },
	{ "tickets_b", EV_INT, "件数B", "tickets B", "tickets",
	  "tickets behind the figure in period B" },
	{ "value_b", EV_DEC, "値B", "value B", NULL, "minutes, or ratio 0-1" },
	{ "change", EV_DEC, "変化", "change", NULL, "value B - value A" },
};

static int
parse_range(const char *s, char from[11], char to[11])
{
	const char *dots = strstr(s, "..");

	if (dots == NULL || dots - s != 10 || strlen(dots + 2) != 10)
		return -1;
	snprintf(from, 11, "%.10s", s);
	snprintf(to, 11, "%s", dots + 2);
	if (ev_day_parse(from) < 0 || ev_day_parse(to) < 0 ||
	    strcmp(from, to) > 0)
		return -1;
	return 0;
}

static int
write_compare(struct report *r, char range[2][2][11], struct kerr *err)
{
	struct ev_table tb = { .file = "compare.csv",
		.title_ja = "2期間の比較", .title_en = "Two periods compared",
		.doc = "per service: waits, service times and the share of "
		"card-read applications in period A and period B, with the "
		"tickets behind each figure", .cols = cols_cmp,
		.ncols = (int)ARRAY_SIZE(cols_cmp) };
	static const char *const measures[] = { "wait_median_min",
		"wait_mean_min", "service_median_min", "service_mean_min",
		"card_share" };
	struct cells cs[2];
	double va[STORE_MAX_SERVICES + 1][2];
	static const char *lp[STORE_MAX_SERVICES + 1];
	static char lab[STORE_MAX_SERVICES + 1][64];
	int na[STORE_MAX_SERVICES + 1], rc, p, v, m, d[2][2];
	char key[8], per[2][32], path[1024], sub[256];
	size_t i;
	struct ev_bars b;

	memset(cs, 0, sizeof(cs));
	for (p = 0; p < 2; p++) {
		d[p][0] = ev_day_parse(range[p][0]);
		d[p][1] = ev_day_parse(range[p][1]);
		snprintf(per[p], sizeof(per[p]), "%s/%s", range[p][0],
		    range[p][1]);
	}
	for (i = 0; i < r->log.n; i++) {
		const struct ev_ticket *t = &r->log.t[i];
		for (p = 0; p < 2; p++)
			if (t->day >= d[p][0] && t->day <= d[p][1]) {
				snprintf(key, sizeof(key), "%c", t->service);
				cell_add(cell_get(&cs[p], key), t);
			}
	}
	if ((rc = ev_table_open(&tb, r->out, err)) != K_OK)
		goto out;
	printf("%-24s %-20s %14s %14s %8s\n", "service", "measure", per[0],
	    per[1], "change");
	for (v = 0; v < r->log.nservices; v++) {
		struct cell *c[2];
		snprintf(key, sizeof(key), "%c", r->log.services[v]);
		for (p = 0; p < 2; p++)
			c[p] = cell_get(&cs[p], key);
		for (m = 0; m < (int)ARRAY_SIZE(measures); m++) {
			double x[2];
			int nn[2];
			char b1[16], b2[16], b3[16], n1[16], n2[16];
			char sv[2] = { r->log.services[v], 0 };
			const char *vals[10];

			for (p = 0; p < 2; p++) {
				struct cell *q = c[p];
				switch (m) {
				case 0: x[p] = ev_quantile(q->wait.v, q->wait.n,
				    0.5); nn[p] = (int)q->wait.n; break;
				case 1: x[p] = mean_of(&q->wait);
				    nn[p] = (int)q->wait.n; break;
				case 2: x[p] = ev_quantile(q->serv.v, q->serv.n,
				    0.5); nn[p] = (int)q->serv.n; break;
				case 3: x[p] = mean_of(&q->serv);
				    nn[p] = (int)q->serv.n; break;
				default: x[p] = q->tickets ? (double)q->card /
				    q->tickets : -1; nn[p] = q->tickets; break;
				}
				if (nn[p] < r->min_cell)
					x[p] = -1;
			}
			if (nn[0] == 0 && nn[1] == 0)
				continue;
			fmt_min(b1, sizeof(b1), x[0]);
			fmt_min(b2, sizeof(b2), x[1]);
			if (m == 4) {
				if (x[0] >= 0)
					snprintf(b1, sizeof(b1), "%.3f", x[0]);
				if (x[1] >= 0)
					snprintf(b2, sizeof(b2), "%.3f", x[1]);
			}
			b3[0] = '\0';
			if (x[0] >= 0 && x[1] >= 0) {
				double dd = x[1] - x[0];
				/* no "-0.0" */
				if (fabs(dd) < (m == 4 ? 0.0005 : 0.05))
					dd = 0;
				snprintf(b3, sizeof(b3), m == 4 ? "%+.3f" :
				    "%+.1f", dd);
			}
			snprintf(n1, sizeof(n1), "%d", nn[0]);
			snprintf(n2, sizeof(n2), "%d", nn[1]);
			vals[0] = sv;
			vals[1] = r->log.service_names[v];
			vals[2] = measures[m];
			vals[3] = per[0];
			vals[4] = n1;
			vals[5] = b1;
			vals[6] = per[1];
			vals[7] = n2;
			vals[8] = b2;
			vals[9] = b3;
			ev_table_row(&tb, vals);
			printf("%c %-22s %-20s %8s n=%-5d %8s n=%-5d %8s\n",
			    sv[0], m == 0 ? r->log.service_names[v] : "",
			    measures[m], b1[0] ? b1 : "-", nn[0],
			    b2[0] ? b2 : "-", nn[1], b3[0] ? b3 : "-");
			if (m == 0) {
				va[v][0] = x[0];
				va[v][1] = x[1];
			}
		}
		snprintf(lab[v], sizeof(lab[v]), "%c %s", r->log.services[v],
		    r->log.service_names[v]);
		lp[v] = lab[v];
		na[v] = c[0]->tickets + c[1]->tickets;
	}
	snprintf(r->period, sizeof(r->period), "%s..%s", range[0][0],
	    range[1][1]);
	if ((rc = ev_table_close(&tb, r->out, r->min_cell, r->period, err)) !=
	    K_OK)
		goto out;
	{
		double a[STORE_MAX_SERVICES], bb[STORE_MAX_SERVICES];
		for (v = 0; v < r->log.nservices; v++) {
			a[v] = va[v][0];
			bb[v] = va[v][1];
		}
		memset(&b, 0, sizeof(b));
		snprintf(sub, sizeof(sub), "A: %s  B: %s · n = 両期間の件数 / "
		    "tickets in both", per[0], per[1]);
		b.title = "待ち時間の中央値の比較 / Median wait, period A and B";
		b.subtitle = sub;
		b.axis = "分 / minutes";
		b.cat = lp;
		b.n = na;
		b.ncat = r->log.nservices;
		b.s[0].name = "期間A / period A";
		b.s[0].v = a;
		b.s[1].name = "期間B / period B";
		b.s[1].v = bb;
		b.nseries = 2;
		chart_path(r, "compare", path, sizeof(path));
		rc = ev_chart_bars(&b, path, r->fmt, err);
	}
out:
	cells_free(&cs[0]);
	cells_free(&cs[1]);
	return rc;
}

/* ---- the roles ---- */

struct opts {
	const char *cfg_path, *out;
	const char *db[EV_MAX_SITES];
	int ndb;
	char from[16], to[16];
	char cmp[2][2][11];
	bool compare;
	int counters[STORE_MAX_SERVICES];
	char counters_spec[256];
	uint64_t seed;
	int weekday;                  /* simulate: 1..7 (ISO), 0: every day */
};

/* Open each --db (NAME=PATH or PATH) and read days from..to. */
static int
load_logs(const struct config *cfg, const struct opts *o, struct ev_log *log,
    const char *from, const char *to)
{
	struct store_config sc;
	struct kerr err;
	int i;

	memset(&sc, 0, sizeof(sc));
	sc.services = config_str(cfg, "server.services");
	sc.noshow_after_recalls = (int)config_int(cfg,
	    "server.noshow_after_recalls");
	sc.estimate_samples = (int)config_int(cfg, "server.estimate_samples");
	for (i = 0; i < (o->ndb ? o->ndb : 1); i++) {
		const char *spec = o->ndb ? o->db[i] : config_str(cfg,
		    "server.db"), *eq = strchr(spec, '='), *path;
		char site[64];
		struct store *st;
		struct stat sb;

		path = eq ? eq + 1 : spec;
		if (eq)
			snprintf(site, sizeof(site), "%.*s", (int)(eq - spec), spec);
		else if (o->ndb <= 1)
			snprintf(site, sizeof(site), "%s", config_str(cfg,
			    "kiosk.site_name"));
		else {
			const char *base = strrchr(path, '/');
			snprintf(site, sizeof(site), "%s", base ? base + 1 : path);
			if (strrchr(site, '.'))
				*strrchr(site, '.') = '\0';
		}
		if (stat(path, &sb) != 0) {
			fprintf(stderr, "kiosk: %s: no database (%s)\n", path,
			    strerror(errno));
			return 1;
		}
		if (store_open(&st, path, &sc, &err) != K_OK) {
			fprintf(stderr, "kiosk: %s\n", err.msg);
			return 1;
		}
		if (ev_log_add(log, st, site, from, to, &err) != K_OK) {
			fprintf(stderr, "kiosk: %s: %s\n", path, err.msg);
			store_close(st);
			return 1;
		}
		store_close(st);
	}
	return 0;
}

static int
parse_counters(const char *s, const struct ev_log *log, int *out)
{
	char *end;
	long n;
	int v;

	if (strchr(s, '=') == NULL) {
		n = strtol(s, &end, 10);
		if (*end || n < 1 || n > 256)
			return -1;
		for (v = 0; v < log->nservices; v++)
			out[v] = (int)n;
		return 0;
	}
	/* A=2,B=3: the others keep their configured counters */
	for (v = 0; v < log->nservices; v++)
		out[v] = log->service_counters[v];
	while (*s) {
		if (s[1] != '=' || (v = ev_service_index(log, s[0])) < 0)
			return -1;
		n = strtol(s + 2, &end, 10);
		if (end == s + 2 || n < 1 || n > 256 || (*end && *end != ','))
			return -1;
		out[v] = (int)n;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int
usage(const char *role)
{
	if (strcmp(role, "simulate") == 0)
		fprintf(stderr, "usage: kiosk simulate [--config FILE] [--db PATH] "
		    "--counters N|A=N,B=N [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
		    "[--weekday 1-7] [--seed S]\n");
	else
		fprintf(stderr, "usage: kiosk report [--config FILE] "
		    "[--db [SITE=]PATH]... [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
		    "[--compare FROM..TO FROM..TO] --out DIR\n"
		    "  (default: the 28 days up to today, Asia/Tokyo)\n");
	return 2;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			return usage(argv[0]);
		if (strcmp(a, "--config") == 0)
			o->cfg_path = argv[++i];
		else if (strcmp(a, "--from") == 0)
			snprintf(o->from, sizeof(o->from), "%s", argv[++i]);
		else if (strcmp(a, "--to") == 0)
			snprintf(o->to, sizeof(o->to), "%s", argv[++i]);
		else if (strcmp(a, "--out") == 0 && strcmp(argv[0], "report") == 0)
			o->out = argv[++i];
		else if (strcmp(a, "--db") == 0) {
			if (o->ndb == EV_MAX_SITES) {
				fprintf(stderr, "kiosk %s: at most %d --db\n",
				    argv[0], EV_MAX_SITES);
				return 2;
			}
			o->db[o->ndb++] = argv[++i];
		} else if (strcmp(a, "--compare") == 0 &&
		    strcmp(argv[0], "report") == 0 && i + 2 < argc) {
			if (parse_range(argv[i + 1], o->cmp[0][0], o->cmp[0][1]) ||
			    parse_range(argv[i + 2], o->cmp[1][0], o->cmp[1][1])) {
				fprintf(stderr, "kiosk report: --compare wants two "
				    "periods YYYY-MM-DD..YYYY-MM-DD, not '%s %s'\n",
				    argv[i + 1], argv[i + 2]);
				return 2;
			}
			o->compare = true;
			i += 2;
		} else if (strcmp(a, "--counters") == 0 &&
		    strcmp(argv[0], "simulate") == 0)
			snprintf(o->counters_spec, sizeof(o->counters_spec), "%s",
			    argv[++i]);
		else if (strcmp(a, "--seed") == 0 &&
		    strcmp(argv[0], "simulate") == 0) {
			char *end;
			o->seed = strtoull(argv[++i], &end, 10);
			if (*end || argv[i][0] == '-' || argv[i][0] == '\0') {
				fprintf(stderr, "kiosk simulate: --seed wants a "
				    "number, not '%s'\n", argv[i]);
				return 2;
			}
		} else if (strcmp(a, "--weekday") == 0 &&
		    strcmp(argv[0], "simulate") == 0) {
			const char *w = argv[++i];
			if (w[0] < '1' || w[0] > '7' || w[1] != '\0') {
				fprintf(stderr, "kiosk simulate: --weekday wants 1 "
				    "(Monday) to 7 (Sunday), not '%s'\n", w);
				return 2;
			}
			o->weekday = w[0] - '0';
		} else
			return usage(argv[0]);
	}
	return 0;
}

/* Default period and checks; 0 or an exit status. */
static int
period(struct opts *o, const char *role)
{
	struct timespec now;
	char d[11];

	clock_gettime(CLOCK_REALTIME, &now);
	if (o->compare) {
		snprintf(o->from, sizeof(o->from), "%s",
		    strcmp(o->cmp[0][0], o->cmp[1][0]) < 0 ? o->cmp[0][0] :
		    o->cmp[1][0]);
		snprintf(o->to, sizeof(o->to), "%s",
		    strcmp(o->cmp[0][1], o->cmp[1][1]) > 0 ? o->cmp[0][1] :
		    o->cmp[1][1]);
	}
	if (o->to[0] == '\0') {
		ev_day_format(ev_day_of_ms((int64_t)now.tv_sec * 1000), d);
		snprintf(o->to, sizeof(o->to), "%s", d);
	}
	if (o->from[0] == '\0') {
		ev_day_format(ev_day_of_ms((int64_t)now.tv_sec * 1000) - 27, d);
		snprintf(o->from, sizeof(o->from), "%s", d);
	}
	if (ev_day_parse(o->from) < 0 || ev_day_parse(o->to) < 0) {
		fprintf(stderr, "kiosk %s: --from/--to: not a date YYYY-MM-DD: "
		    "%s\n", role, ev_day_parse(o->from) < 0 ? o->from : o->to);
		return 2;
	}
	if (strcmp(o->from, o->to) > 0) {
		fprintf(stderr, "kiosk %s: --from %s is after --to %s\n", role,
		    o->from, o->to);
		return 2;
	}
	return 0;
}

int
role_report(int argc, char **argv)
{
	struct report *r;
	struct config *cfg;
	struct catalog *cat = NULL;
	struct cells cs[F_N], all_hour, all_wd;
	struct ev_accuracy *acc = NULL;
	struct ev_staffing sf = { 0 };
	struct opts o;
	struct kerr err;
	char path[1024], key[128];
	size_t i;
	int f, rc = 1;

	if ((rc = parse_opts(argc, argv, &o)) != 0)
		return rc;
	if (o.out == NULL)
		return usage(argv[0]);
	if ((rc = period(&o, "report")) != 0)
		return rc;
	rc = 1;
	if (config_load(&cfg, o.cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	if (mkdir(o.out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "kiosk report: %s: %s\n", o.out, strerror(errno));
		config_free(cfg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/procedures.json",
	    config_str(cfg, "kiosk.assets"));
	if (catalog_load(&cat, path, &err) != K_OK) {
		klog("warn", "report", "no procedure names: %s", err.msg);
		cat = NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->cfg = cfg;
	r->cat = cat;
	r->out = o.out;
	r->min_cell = (int)config_int(cfg, "evidence.min_cell");
	r->fmt = EV_SVG | EV_PNG | EV_PDF;
	snprintf(r->from, sizeof(r->from), "%.10s", o.from);
	snprintf(r->to, sizeof(r->to), "%.10s", o.to);
	snprintf(r->period, sizeof(r->period), "%s/%s", o.from, o.to);
	memset(cs, 0, sizeof(cs));
	memset(&all_hour, 0, sizeof(all_hour));
	memset(&all_wd, 0, sizeof(all_wd));
	if (load_logs(cfg, &o, &r->log, o.from, o.to) != 0)
		goto done;
	if (o.compare) {
		if (ev_chart_fonts(config_str(cfg, "kiosk.fonts"), &err) != K_OK ||
		    write_compare(r, o.cmp, &err) != K_OK)
			goto fail;
		printf("%s: compare.csv compare.{svg,png,pdf}\n", o.out);
		rc = 0;
		goto done;
	}
	r->hour_lo = 23;
	r->hour_hi = 0;
	for (i = 0; i < r->log.n; i++) {
		const struct ev_ticket *t = &r->log.t[i];
		for (f = 0; f < F_N; f++) {
			make_key(r, f, t, key, sizeof(key));
			cell_add(cell_get(&cs[f], key), t);
		}
		snprintf(key, sizeof(key), "%02d", t->hour);
		cell_add(cell_get(&all_hour, key), t);
		snprintf(key, sizeof(key), "%d", t->weekday + 1);
		cell_add(cell_get(&all_wd, key), t);
		if (t->hour < r->hour_lo)
			r->hour_lo = t->hour;
		if (t->hour > r->hour_hi)
			r->hour_hi = t->hour;
	}
	if (r->log.n == 0)
		r->hour_lo = 8, r->hour_hi = 17;
	for (f = 0; f < F_N; f++)
		cells_finish(&cs[f], r->min_cell, 1);
	cells_finish(&all_hour, r->min_cell, 0);
	cells_finish(&all_wd, r->min_cell, 0);
	if (write_open_data(r, cs, &err) != K_OK)
		goto fail;
	acc = xcalloc(1, sizeof(*acc));
	ev_accuracy(&r->log, (int)config_int(cfg, "server.estimate_samples"),
	    config_double(cfg, "evidence.naive_min_per_person"), acc);
	if (write_accuracy(r, acc, &err) != K_OK)
		goto fail;
	ev_staffing(&r->log, (double)config_int(cfg, "evidence.target_wait_min"),
	    config_double(cfg, "evidence.target_share"), &sf);
	if (write_staffing(r, &sf, &err) != K_OK)
		goto fail;
	if (ev_chart_fonts(config_str(cfg, "kiosk.fonts"), &err) != K_OK)
		goto fail;
	if (write_charts(r, &all_hour, &all_wd, &cs[F_PROC], acc, &sf, &err) !=
	    K_OK)
		goto fail;
	printf("%s: %zu tickets from %s to %s (%d site%s): by_day by_hour "
	    "by_weekday by_procedure by_channel%s accuracy staffing (.csv with "
	    "-metadata.json); charts as .svg .png .pdf\n", o.out, r->log.n,
	    o.from, o.to, r->log.nsites, r->log.nsites > 1 ? "s" : "",
	    r->log.nsites > 1 ? " by_site" : "");
	summary(r, acc, &sf);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "kiosk report: %s\n", err.msg);
done:
	for (f = 0; f < F_N; f++)
		cells_free(&cs[f]);
	cells_free(&all_hour);
	cells_free(&all_wd);
	free(acc);
	ev_staffing_free(&sf);
	ev_log_free(&r->log);
	free(r);
	catalog_free(cat);
	config_free(cfg);
	return rc;
}

int
role_simulate(int argc, char **argv)
{
	struct ev_log log;
	struct ev_sim_opts so;
	struct ev_sim_result res;
	struct config *cfg;
	struct opts o;
	struct kerr err;
	int rc, v, h;

	if ((rc = parse_opts(argc, argv, &o)) != 0)
		return rc;
	if (o.counters_spec[0] == '\0')
		return usage(argv[0]);
	if (o.ndb > 1) {
		fprintf(stderr, "kiosk simulate: one --db (one site) at a time\n");
		return 2;
	}
	if ((rc = period(&o, "simulate")) != 0)
		return rc;
	if (config_load(&cfg, o.cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	memset(&log, 0, sizeof(log));
	memset(&so, 0, sizeof(so));
	rc = 1;
	if (load_logs(cfg, &o, &log, o.from, o.to) != 0)
		goto out;
	if (parse_counters(o.counters_spec, &log, so.counters) != 0) {
		fprintf(stderr, "kiosk simulate: --counters wants N (1-256) or "
		    "LETTER=N,... for known services, not '%s'\n",
		    o.counters_spec);
		rc = 2;
		goto out;
	}
	if (o.weekday > 0) {
		/* one weekday's days only, to check one row of the heat-map */
		size_t i, k = 0;
		for (i = 0; i < log.n; i++)
			if (log.t[i].weekday == o.weekday - 1)
				log.t[k++] = log.t[i];
		log.n = k;
	}
	so.seed = o.seed;
	so.target_min = (double)config_int(cfg, "evidence.target_wait_min");
	if (ev_simulate(&log, &so, &res, &err) != K_OK) {
		fprintf(stderr, "kiosk simulate: %s\n", err.msg);
		goto out;
	}
	printf("service,counters,hour,tickets,wait_mean_min,wait_sd_min,"
	    "within_target_share,wait_p90_min,days,day_mean_wait_min,"
	    "day_mean_ci95_min\n");
	for (v = 0; v < log.nservices; v++)
		for (h = 0; h < 25; h++) {
			const struct ev_sim_cell *c = &res.cell[v][h];
			double mean, var;

			if (c->tickets == 0)
				continue;
			mean = c->wait_sum / c->tickets;
			var = c->tickets > 1 ? (c->wait_sq - c->tickets * mean *
			    mean) / (c->tickets - 1) : 0;
			printf("%c,%d,", log.services[v], so.counters[v]);
			if (h == 24)
				printf("all");
			else
				printf("%02d:00:00+09:00", h);
			printf(",%d,%.3f,%.3f,%.4f,", c->tickets, mean,
			    var > 0 ? sqrt(var) : 0,
			    (double)c->within / c->tickets);
			if (h == 24) {
				double dm, half;
				ev_sim_ci(&res, v, &dm, &half);
				printf("%.3f,%d,%.3f,%.3f\n", ev_quantile(
				    res.waits[v], res.nwaits[v], 0.9),
				    res.ndays[v], dm, half);
			} else {
				printf(",,,\n");
			}
		}
	ev_sim_free(&res);
	rc = 0;
out:
	ev_log_free(&log);
	config_free(cfg);
	return rc;
}
