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
 *
 * This file: the cells and the open-data files (by day, hour, weekday,
 * procedure, channel, site).  report_advice.c writes accuracy.csv and
 * staffing.csv, report_charts.c the charts, compare.c --compare, and
 * report_cli.c the command lines that put them together.
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

struct cell *
ev_cell_get(struct cells *cs, const char *key)
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

void
ev_cell_add(struct cell *c, const struct ev_ticket *t)
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

void
ev_cells_free(struct cells *cs)
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
void
ev_cells_finish(struct cells *cs, int min, int group_fields)
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
int
ev_split_key(char *key, char **f, int max)
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

void
ev_fmt_min(char *out, size_t n, double v)
{
	if (v < 0)
		out[0] = '\0';
	else
		snprintf(out, n, "%.1f", v);
}

double
ev_mean_of(const struct series *s)
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
	ev_fmt_min(buf[5], 24, ev_quantile(c->wait.v, c->wait.n, 0.5));
	ev_fmt_min(buf[6], 24, ev_quantile(c->wait.v, c->wait.n, 0.9));
	ev_fmt_min(buf[7], 24, ev_mean_of(&c->wait));
	ev_fmt_min(buf[8], 24, ev_quantile(c->serv.v, c->serv.n, 0.5));
	ev_fmt_min(buf[9], 24, ev_mean_of(&c->serv));
}

const char *
ev_proc_name(const struct report *r, int proc, const char *lang)
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
		int nf = ev_split_key(key, f, 8);

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
	v[2] = ev_proc_name(r, p, "ja");
	v[3] = ev_proc_name(r, p, "en");
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

void
ev_make_key(const struct report *r, int file, const struct ev_ticket *t,
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

int
ev_write_open_data(struct report *r, struct cells *cs, struct kerr *err)
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
