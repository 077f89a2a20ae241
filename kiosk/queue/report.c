/*
 * report.c - `kiosk report`: the wait-time log as open data (CSV) and
 * charts (PNG) by hour, weekday and procedure, from the server's SQLite
 * file.  No personal data: the applications table is never read.
 *
 *   tickets.csv       one row per ticket (number, procedure, times, waits)
 *   by_hour.csv       by hour of issue (Asia/Tokyo)
 *   by_weekday.csv    by weekday of issue
 *   by_procedure.csv  by procedure
 *   wait_by_hour.png, wait_by_weekday.png, wait_by_procedure.png
 *                     median wait in minutes, with the number of tickets
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "pngio.h"
#include "roles.h"
#include "store.h"
#include "xmalloc.h"

#define MAX_PROCS 128

struct series {
	double *v;
	size_t n, cap;
};

struct group {
	char label[64];
	int issued, served, no_show;
	struct series wait, service;
};

struct report {
	FILE *tickets;
	struct group hour[24], weekday[7], proc[MAX_PROCS];
	size_t nproc;
	const struct catalog *cat;
	long rows;
};

static const char *const weekdays[7] = { "MON", "TUE", "WED", "THU", "FRI",
	"SAT", "SUN" };

static void
series_add(struct series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median (mean of the middle two) or nearest-rank quantile; -1 if empty. */
static double
quantile(struct series *s, double q)
{
	size_t rank;

	if (s->n == 0)
		return -1;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	if (q == 0.5 && s->n % 2 == 0)
		return (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
	rank = (size_t)(q * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	return s->v[rank - 1];
}

/* 0 = Monday, from "YYYY-MM-DD". */
static int
weekday_of(const char *day)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(day) - 1900;
	tm.tm_mon = atoi(day + 5) - 1;
	tm.tm_mday = atoi(day + 8);
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return (tm.tm_wday + 6) % 7;
}

static int
hour_of(int64_t ms)
{
	char iso[32];

	store_iso_time(ms, iso);
	return atoi(iso + 11);
}

static void
csv_time(FILE *fp, int64_t ms)
{
	char iso[32];

	if (ms > 0) {
		store_iso_time(ms, iso);
		fputs(iso, fp);
	}
}

static void
csv_min(FILE *fp, double v)
{
	if (v >= 0)
		fprintf(fp, "%.1f", v);
}

/* Procedure ids come from the catalog (ASCII); quote anything else. */
static void
csv_text(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
group_add(struct group *g, const struct store_log_row *r, double wait,
    double serv)
{
	g->issued++;
	if (r->state == ST_DONE)
		g->served++;
	else if (r->state == ST_NO_SHOW)
		g->no_show++;
	if (wait >= 0)
		series_add(&g->wait, wait);
	if (serv >= 0)
		series_add(&g->service, serv);
}

static int
on_row(const struct store_log_row *r, void *arg)
{
	struct report *rp = arg;
	double wait = -1, serv = -1;
	int64_t from;
	size_t i;
	int wd = weekday_of(r->day), hour = hour_of(r->issued_ms);

	if (r->called_ms > 0 && r->called_ms >= r->issued_ms)
		wait = (double)(r->called_ms - r->issued_ms) / 60000.0;
	from = r->started_ms > 0 ? r->started_ms : r->last_called_ms;
	if (r->state == ST_DONE && from > 0 && r->finished_ms >= from)
		serv = (double)(r->finished_ms - from) / 60000.0;
	fprintf(rp->tickets, "%s,%s,%d,%s,%c,%c,", r->day, weekdays[wd], hour,
	    r->number, r->service, r->final_service);
	csv_text(rp->tickets, r->procedure);
	fputc(',', rp->tickets);
	csv_text(rp->tickets, r->lang);
	fprintf(rp->tickets, ",%d,%d,%d,%s,", !!(r->flags & STORE_F_CARD),
	    !!(r->flags & STORE_F_ASSIST), !!(r->flags & STORE_F_PRIORITY),
	    store_state_name(r->state));
	if (r->counter > 0)
		fprintf(rp->tickets, "%d", r->counter);
	fprintf(rp->tickets, ",%d,", r->recalls);
	csv_time(rp->tickets, r->issued_ms);
	fputc(',', rp->tickets);
	csv_time(rp->tickets, r->called_ms);
	fputc(',', rp->tickets);
	csv_time(rp->tickets, r->finished_ms);
	fputc(',', rp->tickets);
	csv_min(rp->tickets, wait);
	fputc(',', rp->tickets);
	csv_min(rp->tickets, serv);
	fputc('\n', rp->tickets);
	rp->rows++;

	group_add(&rp->hour[hour], r, wait, serv);
	group_add(&rp->weekday[wd], r, wait, serv);
	for (i = 0; i < rp->nproc; i++)
		if (strcmp(rp->proc[i].label, r->procedure ? r->procedure : "") == 0)
			break;
	if (i == rp->nproc && rp->nproc < MAX_PROCS)
		snprintf(rp->proc[rp->nproc++].label, sizeof(rp->proc[0].label),
		    "%s", r->procedure ? r->procedure : "");
	if (i < rp->nproc)
		group_add(&rp->proc[i], r, wait, serv);
	return ferror(rp->tickets) ? K_EIO : K_OK;
}

static int
write_groups(const char *dir, const char *file, const char *key,
    struct group *g, size_t n, const struct catalog *cat, struct kerr *err)
{
	char path[1024];
	FILE *fp;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fp = fopen(path, "w")) == NULL)
		return kerr_set(err, K_EIO, "%s: %s", path, strerror(errno));
	fprintf(fp, "%s,%sissued,served,no_show,wait_median_min,wait_p90_min,"
	    "service_median_min,service_p90_min\n", key,
	    cat ? "name," : "");
	for (i = 0; i < n; i++) {
		csv_text(fp, g[i].label);
		fputc(',', fp);
		if (cat) {
			const struct cat_procedure *p = catalog_find(cat,
			    g[i].label);
			csv_text(fp, p ? catalog_name(p, "ja") : "");
			fputc(',', fp);
		}
		fprintf(fp, "%d,%d,%d,", g[i].issued, g[i].served, g[i].no_show);
		csv_min(fp, quantile(&g[i].wait, 0.5));
		fputc(',', fp);
		csv_min(fp, quantile(&g[i].wait, 0.9));
		fputc(',', fp);
		csv_min(fp, quantile(&g[i].service, 0.5));
		fputc(',', fp);
		csv_min(fp, quantile(&g[i].service, 0.9));
		fputc('\n', fp);
	}
	if (fclose(fp) != 0)
		return kerr_set(err, K_EIO, "%s: %s", path, strerror(errno));
	return K_OK;
}

/*
 * Charts: horizontal bars, labels in a built-in 5x7 font (digits, A-Z and
 * a few signs), drawn at twice the size.  No font files are needed.
 */
static const struct { char c; uint8_t rows[7]; } glyphs[] = {
	{ '0', { 0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E } },
	{ '1', { 0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E } },
	{ '2', { 0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F } },
	{ '3', { 0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E } },
	{ '4', { 0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02 } },
	{ '5', { 0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E } },
	{ '6', { 0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E } },
	{ '7', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
	{ '8', { 0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E } },
	{ '9', { 0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C } },
	{ 'A', { 0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11 } },
	{ 'B', { 0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E } },
	{ 'C', { 0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E } },
	{ 'D', { 0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C } },
	{ 'E', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F } },
	{ 'F', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10 } },
	{ 'G', { 0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F } },
	{ 'H', { 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11 } },
	{ 'I', { 0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E } },
	{ 'J', { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C } },
	{ 'K', { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11 } },
	{ 'L', { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F } },
	{ 'M', { 0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11 } },
	{ 'N', { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11 } },
	{ 'O', { 0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } },
	{ 'P', { 0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10 } },
	{ 'Q', { 0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D } },
	{ 'R', { 0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11 } },
	{ 'S', { 0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E } },
	{ 'T', { 0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04 } },
	{ 'U', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } },
	{ 'V', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04 } },
	{ 'W', { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A } },
	{ 'X', { 0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11 } },
	{ 'Y', { 0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04 } },
	{ 'Z', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F } },
	{ '_', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F } },
	{ '-', { 0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00 } },
	{ '.', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C } },
	{ ':', { 0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00 } },
	{ '=', { 0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00 } },
	{ '/', { 0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10 } },
	{ '(', { 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02 } },
	{ ')', { 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08 } },
};

struct canvas {
	uint8_t *px;
	int w, h;
};

static void
fill(struct canvas *cv, int x, int y, int w, int h, uint32_t rgb)
{
	int i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++) {
			uint8_t *p;
			if (i < 0 || j < 0 || i >= cv->w || j >= cv->h)
				continue;
			p = cv->px + ((size_t)j * (size_t)cv->w + (size_t)i) * 4;
			p[0] = (uint8_t)(rgb >> 16);
			p[1] = (uint8_t)(rgb >> 8);
			p[2] = (uint8_t)rgb;
			p[3] = 255;
		}
}

/* Draw ASCII text at 2x; lower case is shown upper case. */
static void
text(struct canvas *cv, int x, int y, const char *s, uint32_t rgb)
{
	size_t g;
	int r, b;

	for (; *s; s++, x += 12) {
		char c = (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s;
		for (g = 0; g < ARRAY_SIZE(glyphs); g++)
			if (glyphs[g].c == c)
				break;
		if (g == ARRAY_SIZE(glyphs))
			continue;     /* space and anything unknown */
		for (r = 0; r < 7; r++)
			for (b = 0; b < 5; b++)
				if (glyphs[g].rows[r] & (0x10 >> b))
					fill(cv, x + b * 2, y + r * 2, 2, 2, rgb);
	}
}

static int
chart(const char *dir, const char *file, const char *title,
    struct group *g, size_t n, struct kerr *err)
{
	struct canvas cv;
	char path[1024], line[64];
	double v[MAX_PROCS], max = 0;
	int label_w = 12 * 14, bar_x, bar_w, row = 30, top = 60, i, rc;

	cv.w = 1000;
	cv.h = top + (int)n * row + 20;
	cv.px = xmalloc((size_t)cv.w * (size_t)cv.h * 4);
	fill(&cv, 0, 0, cv.w, cv.h, 0xFFFFFF);
	text(&cv, 16, 16, title, 0x1A1A1A);
	bar_x = 16 + label_w + 8;
	bar_w = cv.w - bar_x - 16 - 12 * 16;
	for (i = 0; i < (int)n; i++) {
		v[i] = quantile(&g[i].wait, 0.5);
		if (v[i] > max)
			max = v[i];
	}
	for (i = 0; i < (int)n; i++) {
		int y = top + i * row;
		text(&cv, 16, y + 6, g[i].label, 0x333333);
		fill(&cv, bar_x, y + 2, 1, row - 4, 0x999999);
		if (v[i] >= 0) {
			int len = max > 0 ? (int)(v[i] / max * bar_w + 0.5) : 0;
			fill(&cv, bar_x + 1, y + 4, len, row - 8, 0x1F6FB2);
			snprintf(line, sizeof(line), "%.1f MIN  N=%d", v[i],
			    g[i].issued);
		} else {
			snprintf(line, sizeof(line), "-  N=%d", g[i].issued);
		}
		text(&cv, bar_x + bar_w + 12, y + 6, line, 0x333333);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	rc = png_write_rgba(path, cv.px, cv.w, cv.h, cv.w * 4, err);
	free(cv.px);
	return rc;
}

static void
groups_free(struct group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].wait.v);
		free(g[i].service.v);
	}
}

static int
usage(void)
{
	fprintf(stderr, "usage: kiosk report [--config FILE] [--from YYYY-MM-DD] "
	    "[--to YYYY-MM-DD] --out DIR\n"
	    "  (default: the 28 days up to today, Asia/Tokyo)\n");
	return 2;
}

int
role_report(int argc, char **argv)
{
	const char *cfg_path = NULL, *out = NULL, *db;
	char from[16] = "", to[16] = "", path[1024], title[96];
	struct report *rp;
	struct config *cfg;
	struct store *st = NULL;
	struct catalog *cat = NULL;
	struct store_config sc;
	struct timespec now;
	struct kerr err;
	struct stat sb;
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--config") == 0)
			cfg_path = argv[++i];
		else if (strcmp(argv[i], "--from") == 0)
			snprintf(from, sizeof(from), "%s", argv[++i]);
		else if (strcmp(argv[i], "--to") == 0)
			snprintf(to, sizeof(to), "%s", argv[++i]);
		else if (strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else
			return usage();
	}
	if (out == NULL)
		return usage();
	clock_gettime(CLOCK_REALTIME, &now);
	if (to[0] == '\0')
		store_day((int64_t)now.tv_sec * 1000, to);
	if (from[0] == '\0')
		store_day((int64_t)now.tv_sec * 1000 - 27LL * 86400 * 1000, from);
	if (store_parse_day(from, &err) != K_OK ||
	    store_parse_day(to, &err) != K_OK) {
		fprintf(stderr, "kiosk report: --from/--to: %s\n", err.msg);
		return 2;
	}
	if (strcmp(from, to) > 0) {
		fprintf(stderr, "kiosk report: --from %s is after --to %s\n", from,
		    to);
		return 2;
	}
	if (config_load(&cfg, cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	db = config_str(cfg, "server.db");
	if (stat(db, &sb) != 0) {
		fprintf(stderr, "kiosk report: %s: no database (%s)\n", db,
		    strerror(errno));
		config_free(cfg);
		return 1;
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "kiosk report: %s: %s\n", out, strerror(errno));
		config_free(cfg);
		return 1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.services = config_str(cfg, "server.services");
	sc.noshow_after_recalls = (int)config_int(cfg,
	    "server.noshow_after_recalls");
	sc.estimate_samples = (int)config_int(cfg, "server.estimate_samples");
	if (store_open(&st, db, &sc, &err) != K_OK) {
		fprintf(stderr, "kiosk report: %s\n", err.msg);
		config_free(cfg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/procedures.json",
	    config_str(cfg, "kiosk.assets"));
	if (catalog_load(&cat, path, &err) != K_OK) {
		klog("warn", "report", "no procedure names: %s", err.msg);
		cat = NULL;
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->cat = cat;
	for (i = 0; i < 24; i++)
		snprintf(rp->hour[i].label, sizeof(rp->hour[i].label), "%02d", i);
	for (i = 0; i < 7; i++)
		snprintf(rp->weekday[i].label, sizeof(rp->weekday[i].label), "%s",
		    weekdays[i]);
	snprintf(path, sizeof(path), "%s/tickets.csv", out);
	if ((rp->tickets = fopen(path, "w")) == NULL) {
		fprintf(stderr, "kiosk report: %s: %s\n", path, strerror(errno));
		goto done;
	}
	fputs("date,weekday,hour,number,service,final_service,procedure,lang,"
	    "card,assist,priority,state,counter,recalls,issued_at,called_at,"
	    "finished_at,wait_min,service_min\n", rp->tickets);
	if (store_log(st, from, to, on_row, rp, &err) != K_OK) {
		fprintf(stderr, "kiosk report: %s\n", err.msg);
		goto done;
	}
	if (fclose(rp->tickets) != 0) {
		rp->tickets = NULL;
		fprintf(stderr, "kiosk report: %s: write failed\n", path);
		goto done;
	}
	rp->tickets = NULL;
	snprintf(title, sizeof(title), "MEDIAN WAIT BY HOUR  %s - %s", from, to);
	if (write_groups(out, "by_hour.csv", "hour", rp->hour, 24, NULL,
	    &err) != K_OK ||
	    write_groups(out, "by_weekday.csv", "weekday", rp->weekday, 7, NULL,
	    &err) != K_OK ||
	    write_groups(out, "by_procedure.csv", "procedure", rp->proc,
	    rp->nproc, cat, &err) != K_OK ||
	    chart(out, "wait_by_hour.png", title, rp->hour, 24, &err) != K_OK)
		goto fail;
	snprintf(title, sizeof(title), "MEDIAN WAIT BY WEEKDAY  %s - %s", from,
	    to);
	if (chart(out, "wait_by_weekday.png", title, rp->weekday, 7, &err) !=
	    K_OK)
		goto fail;
	snprintf(title, sizeof(title), "MEDIAN WAIT BY PROCEDURE  %s - %s", from,
	    to);
	if (chart(out, "wait_by_procedure.png", title, rp->proc, rp->nproc,
	    &err) != K_OK)
		goto fail;
	printf("%s: %ld tickets from %s to %s: tickets.csv by_hour.csv "
	    "by_weekday.csv by_procedure.csv wait_by_{hour,weekday,procedure}"
	    ".png\n", out, rp->rows, from, to);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "kiosk report: %s\n", err.msg);
done:
	if (rp->tickets)
		fclose(rp->tickets);
	groups_free(rp->hour, 24);
	groups_free(rp->weekday, 7);
	groups_free(rp->proc, rp->nproc);
	free(rp);
	catalog_free(cat);
	store_close(st);
	config_free(cfg);
	return rc;
}
