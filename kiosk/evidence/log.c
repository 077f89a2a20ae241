/*
 * log.c - the wait-time log in memory, read through store_log() (never the
 * applications table), and the calendar of Asia/Tokyo.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "xmalloc.h"

#define JST_S (9 * 3600)

const char *const ev_weekday_ja[7] = { "月", "火", "水", "木", "金", "土",
	"日" };
const char *const ev_weekday_en[7] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat", "Sun" };

int
ev_day_of_ms(int64_t ms)
{
	int64_t s = ms / 1000 + JST_S;

	return (int)(s >= 0 ? s / 86400 : (s - 86399) / 86400);
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
ev_day_parse(const char *s)
{
	int y, m, d, day;
	char tail;
	char back[11];

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	day = days_from_civil(y, m, d);
	ev_day_format(day, back);
	return strcmp(back, s) == 0 ? day : -1;  /* 2026-02-30 */
}

void
ev_day_format(int day, char out[11])
{
	int z = day + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	char buf[32];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y % 10000, m % 100,
	    d % 100);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

int
ev_weekday(int day)
{
	/* 1970-01-01 was a Thursday (3 with Monday 0) */
	return ((day % 7) + 7 + 3) % 7;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
ev_quantile(double *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	if (q == 0.5 && n % 2 == 0)
		return (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = (size_t)ceil(q * (double)n - 1e-9);
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

double
ev_wait_min(const struct ev_ticket *t)
{
	if (t->called_ms <= 0 || t->called_ms < t->issued_ms)
		return -1;
	return (double)(t->called_ms - t->issued_ms) / 60000.0;
}

double
ev_service_min(const struct ev_ticket *t)
{
	if (t->state != ST_DONE || t->serv_from_ms <= 0 ||
	    t->finished_ms < t->serv_from_ms)
		return -1;
	return (double)(t->finished_ms - t->serv_from_ms) / 60000.0;
}

int
ev_service_index(const struct ev_log *log, char letter)
{
	int i;

	for (i = 0; i < log->nservices; i++)
		if (log->services[i] == letter)
			return i;
	return -1;
}

static int
intern(char (*tab)[64], int *n, int max, const char *s)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(tab[i], s) == 0)
			return i;
	if (*n == max)
		return max - 1;       /* the last slot collects the rest */
	snprintf(tab[*n], 64, "%s", s);
	return (*n)++;
}

static int
intern_lang(struct ev_log *log, const char *s)
{
	int i;

	for (i = 0; i < log->nlangs; i++)
		if (strcmp(log->langs[i], s) == 0)
			return i;
	if (log->nlangs == EV_MAX_LANGS)
		return EV_MAX_LANGS - 1;
	snprintf(log->langs[log->nlangs], sizeof(log->langs[0]), "%s", s);
	return log->nlangs++;
}

static int16_t
clamp16(int v)
{
	return (int16_t)(v < -1 ? -1 : v > 32767 ? 32767 : v);
}

struct add_ctx {
	struct ev_log *log;
	int site;
};

static int
on_row(const struct store_log_row *r, void *arg)
{
	struct add_ctx *cx = arg;
	struct ev_log *log = cx->log;
	struct ev_ticket *t;
	int64_t s;

	if (log->n == log->cap) {
		log->cap = log->cap ? log->cap * 2 : 4096;
		log->t = xrealloc(log->t, log->cap * sizeof(*log->t));
	}
	t = &log->t[log->n++];
	memset(t, 0, sizeof(*t));
	t->issued_ms = r->issued_ms;
	t->called_ms = r->called_ms;
	t->serv_from_ms = r->started_ms > 0 ? r->started_ms : r->last_called_ms;
	t->finished_ms = r->finished_ms;
	t->day = ev_day_parse(r->day);
	if (t->day < 0)
		t->day = ev_day_of_ms(r->issued_ms);
	t->counter = r->counter;
	t->proc = (int16_t)intern(log->procs, &log->nprocs, EV_MAX_PROCS,
	    r->procedure ? r->procedure : "");
	t->lang = (int16_t)intern_lang(log, r->lang ? r->lang : "");
	t->promised_min = clamp16(r->promised_min);
	t->ahead = clamp16(r->ahead_at_issue);
	t->default_min = clamp16(r->default_min);
	t->site = (uint8_t)cx->site;
	t->flags = (uint8_t)r->flags;
	t->state = (uint8_t)r->state;
	t->service = r->service;
	t->final_service = r->final_service;
	t->weekday = (int8_t)ev_weekday(t->day);
	s = r->issued_ms / 1000 + JST_S;
	t->hour = (int8_t)((s % 86400 + 86400) % 86400 / 3600);
	if (ev_service_index(log, r->service) < 0 &&
	    log->nservices < STORE_MAX_SERVICES) {
		log->services[log->nservices] = r->service;
		snprintf(log->service_names[log->nservices],
		    sizeof(log->service_names[0]), "%c", r->service);
		log->nservices++;
	}
	return K_OK;
}

int
ev_log_add(struct ev_log *log, struct store *st, const char *site,
    const char *from_day, const char *to_day, struct kerr *err)
{
	const struct store_service *sv;
	struct add_ctx cx;
	size_t i, nsv;
	int k;

	if (log->nsites == EV_MAX_SITES)
		return kerr_set(err, K_EINVAL, "at most %d sites in one report",
		    EV_MAX_SITES);
	cx.log = log;
	cx.site = log->nsites;
	snprintf(log->sites[log->nsites++], sizeof(log->sites[0]), "%s", site);
	/* services in config order first, so that tables read A, B, C... */
	sv = store_services(st, &nsv);
	for (i = 0; i < nsv; i++) {
		k = ev_service_index(log, sv[i].letter);
		if (k < 0 && log->nservices < STORE_MAX_SERVICES) {
			k = log->nservices++;
			log->services[k] = sv[i].letter;
		}
		if (k < 0)
			continue;
		snprintf(log->service_names[k], sizeof(log->service_names[0]),
		    "%s", sv[i].name);
		log->service_counters[k] += sv[i].ncounters;
	}
	return store_log(st, from_day, to_day, on_row, &cx, err);
}

void
ev_log_free(struct ev_log *log)
{
	free(log->t);
	memset(log, 0, sizeof(*log));
}
