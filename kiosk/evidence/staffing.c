/*
 * staffing.c - counters needed per weekday and hour, by Erlang C (M/M/c).
 *
 * M/M/c assumes Poisson arrivals, exponential service times, a steady
 * state, first come first served and nobody leaving.  A hall departs from
 * that: service times are skewed (log-normal rather than exponential; with a
 * coefficient of variation above 1 Erlang C is optimistic), an hour near
 * capacity does not reach its steady state and hands its queue to the next
 * hour, and some residents leave (no-shows).  Each cell carries notes where
 * that happens, and `kiosk simulate` replays the real arrivals to check.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "xmalloc.h"

double
ev_erlang_c(int c, double a)
{
	double term = 1, sum = 1, last;
	int k;

	if (c <= 0 || a >= c)
		return 1;
	if (a <= 0)
		return 0;
	/* sum_{k<c} a^k/k! and a^c/c!, by the recurrence (no overflow for
	 * the sizes of a hall) */
	for (k = 1; k < c; k++) {
		term *= a / k;
		sum += term;
	}
	last = term * a / c * c / (c - a);
	return last / (sum + last);
}

double
ev_mmc_within(int c, double lambda, double mu, double t)
{
	if (lambda <= 0)
		return 1;
	if (c * mu <= lambda)
		return 0;
	return 1 - ev_erlang_c(c, lambda / mu) * exp(-(c * mu - lambda) * t);
}

double
ev_mmc_mean_wait(int c, double lambda, double mu)
{
	if (c * mu <= lambda)
		return -1;
	return ev_erlang_c(c, lambda / mu) / (c * mu - lambda);
}

int
ev_counters_needed(double lambda, double mu, double t, double share, int max)
{
	int c;

	if (lambda <= 0)
		return 0;
	for (c = 1; c <= max; c++)
		if (ev_mmc_within(c, lambda, mu, t) >= share)
			return c;
	return max + 1;
}

void
ev_staffing(const struct ev_log *log, double target_min, double share,
    struct ev_staffing *out)
{
	/* open days per site and weekday: days with any ticket */
	int (*days)[7] = xcalloc((size_t)log->nsites + 1, sizeof(*days));
	double (*ssum)[STORE_MAX_SERVICES][2] = xcalloc((size_t)log->nsites + 1,
	    sizeof(*ssum));
	int (*sn)[STORE_MAX_SERVICES] = xcalloc((size_t)log->nsites + 1,
	    sizeof(*sn));
	int (*noshow)[STORE_MAX_SERVICES][7][24] = xcalloc((size_t)log->nsites +
	    1, sizeof(*noshow));
	int last_day = -1, last_site = -1, s, v, w, h;
	size_t i;

	out->nsites = log->nsites;
	out->cell = xcalloc((size_t)log->nsites + 1, sizeof(*out->cell));
	for (i = 0; i < log->n; i++) {
		const struct ev_ticket *t = &log->t[i];
		int si = ev_service_index(log, t->service);
		double m = ev_service_min(t);

		if (t->day != last_day || t->site != last_site) {
			days[t->site][t->weekday]++;
			last_day = t->day;
			last_site = t->site;
		}
		if (si < 0)
			continue;
		out->cell[t->site][si][t->weekday][t->hour].arrivals++;
		if (t->state == ST_NO_SHOW)
			noshow[t->site][si][t->weekday][t->hour]++;
		if (m >= 0 && t->final_service == t->service) {
			ssum[t->site][si][0] += m;
			ssum[t->site][si][1] += m * m;
			sn[t->site][si]++;
		}
	}
	for (s = 0; s < log->nsites; s++)
		for (v = 0; v < log->nservices; v++) {
			double mean = sn[s][v] ? ssum[s][v][0] / sn[s][v] : 0;
			double var = sn[s][v] > 1 ? (ssum[s][v][1] - sn[s][v] *
			    mean * mean) / (sn[s][v] - 1) : 0;
			double cv = mean > 0 && var > 0 ? sqrt(var) / mean : 0;

			for (w = 0; w < 7; w++)
				for (h = 0; h < 24; h++) {
					struct ev_staff_cell *c =
					    &out->cell[s][v][w][h];
					double mu;

					c->days = days[s][w];
					c->mean_service_min = mean;
					c->cv = cv;
					if (c->arrivals == 0 || c->days == 0 ||
					    mean <= 0) {
						c->needed = c->arrivals ? -1 : 0;
						continue;
					}
					c->lambda = (double)c->arrivals / c->days;
					mu = 60.0 / mean;
					c->needed = ev_counters_needed(c->lambda, mu,
					    target_min / 60.0, share, 99);
					c->within = ev_mmc_within(c->needed,
					    c->lambda, mu, target_min / 60.0);
					c->rho = c->lambda / (c->needed * mu);
					if (c->arrivals < 20)
						c->notes |= EV_NOTE_FEW;
					if (sn[s][v] >= 20 && (cv > 1.3 ||
					    cv < 0.7))
						c->notes |= EV_NOTE_CV;
					if (c->rho > 0.85)
						c->notes |= EV_NOTE_RHO;
					if (noshow[s][v][w][h] * 10 > c->arrivals)
						c->notes |= EV_NOTE_NOSHOW;
				}
		}
	free(days);
	free(ssum);
	free(sn);
	free(noshow);
}

void
ev_staffing_free(struct ev_staffing *s)
{
	free(s->cell);
	s->cell = NULL;
}
