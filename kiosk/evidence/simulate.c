/*
 * simulate.c - `kiosk simulate`: replay the log's real arrivals with a
 * given number of counters per service, to check the staffing advice
 * where Erlang C's assumptions do not hold.
 *
 * Each service runs on its own counters, first come first served (priority
 * and transfers are not replayed), every day starting empty.  A ticket's
 * service time is drawn, with the seed, from that service's recorded
 * service times over the period (bootstrap), so the simulation keeps the
 * real mix and skew; a no-show holds the counter for one minute.  Same log
 * and seed, same figures.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "evidence.h"
#include "roles.h"
#include "xmalloc.h"

/* splitmix64: small, fast, and the same everywhere */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
push(double **v, size_t *n, size_t *cap, double x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

int
ev_simulate(const struct ev_log *log, const struct ev_sim_opts *o,
    struct ev_sim_result *out, struct kerr *err)
{
	double *pool[STORE_MAX_SERVICES] = { 0 };
	size_t npool[STORE_MAX_SERVICES] = { 0 }, cap[STORE_MAX_SERVICES] = { 0 };
	size_t wcap[STORE_MAX_SERVICES] = { 0 }, i, lo, hi;
	size_t dcap[STORE_MAX_SERVICES] = { 0 };
	uint64_t rng = o->seed ? o->seed : 1;
	int v, k;

	memset(out, 0, sizeof(*out));
	if (log->nsites > 1)
		return kerr_set(err, K_EINVAL, "simulate one site at a time");
	for (i = 0; i < log->n; i++) {
		const struct ev_ticket *t = &log->t[i];
		double m = ev_service_min(t);
		int si = ev_service_index(log, t->service);

		if (si >= 0 && m >= 0 && t->final_service == t->service)
			push(&pool[si], &npool[si], &cap[si], m);
	}
	for (v = 0; v < log->nservices; v++)
		if (o->counters[v] < 1 && npool[v] > 0) {
			for (k = 0; k < log->nservices; k++)
				free(pool[k]);
			return kerr_set(err, K_EINVAL,
			    "service %c: no counters to simulate with",
			    log->services[v]);
		}
	for (lo = 0; lo < log->n; lo = hi) {
		for (hi = lo + 1; hi < log->n && log->t[hi].day == log->t[lo].day;
		    hi++)
			;
		for (v = 0; v < log->nservices; v++) {
			int64_t free_at[256];
			double day_sum = 0;
			int day_n = 0, nc = o->counters[v] < 256 ?
			    o->counters[v] : 256;

			if (npool[v] == 0)
				continue;
			for (k = 0; k < nc; k++)
				free_at[k] = 0;
			for (i = lo; i < hi; i++) {
				const struct ev_ticket *t = &log->t[i];
				struct ev_sim_cell *c;
				int64_t start, dur;
				double wait;
				int best = 0;

				if (t->service != log->services[v])
					continue;
				for (k = 1; k < nc; k++)
					if (free_at[k] < free_at[best])
						best = k;
				start = free_at[best] > t->issued_ms ?
				    free_at[best] : t->issued_ms;
				if (t->state == ST_NO_SHOW)
					dur = 60000;
				else
					dur = (int64_t)(pool[v][next_rand(&rng) %
					    npool[v]] * 60000.0 + 0.5);
				free_at[best] = start + dur;
				wait = (double)(start - t->issued_ms) / 60000.0;
				for (k = 0; k < 2; k++) {
					c = &out->cell[v][k ? 24 : t->hour];
					c->tickets++;
					c->wait_sum += wait;
					c->wait_sq += wait * wait;
					c->within += wait <= o->target_min + 1e-9;
				}
				push(&out->waits[v], &out->nwaits[v], &wcap[v],
				    wait);
				day_sum += wait;
				day_n++;
			}
			if (day_n > 0) {
				size_t nd = (size_t)out->ndays[v];
				push(&out->day_mean[v], &nd, &dcap[v],
				    day_sum / day_n);
				out->ndays[v] = (int)nd;
			}
		}
	}
	for (v = 0; v < log->nservices; v++)
		free(pool[v]);
	return K_OK;
}

void
ev_sim_free(struct ev_sim_result *r)
{
	int v;

	for (v = 0; v < STORE_MAX_SERVICES; v++) {
		free(r->day_mean[v]);
		free(r->waits[v]);
	}
	memset(r, 0, sizeof(*r));
}

/* Two-sided 95 % Student t quantile for df degrees of freedom. */
static double
t95(int df)
{
	static const double t[] = { 0, 12.706, 4.303, 3.182, 2.776, 2.571,
		2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
		2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
		2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 };

	if (df < 1)
		return INFINITY;
	if (df < (int)ARRAY_SIZE(t))
		return t[df];
	return df < 60 ? 2.00 : df < 120 ? 1.98 : 1.96;
}

void
ev_sim_ci(const struct ev_sim_result *r, int v, double *mean, double *half)
{
	double s = 0, sq = 0;
	int i, n = r->ndays[v];

	*mean = -1;
	*half = -1;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		s += r->day_mean[v][i];
	*mean = s / n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		sq += (r->day_mean[v][i] - *mean) * (r->day_mean[v][i] - *mean);
	*half = t95(n - 1) * sqrt(sq / (n - 1) / n);
}
