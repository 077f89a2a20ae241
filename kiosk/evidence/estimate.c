/*
 * estimate.c - the wait estimate, pure (estimate.h).
 *
 * What the log showed about the first formula (ahead x median of the last
 * service times / open counters, rounded up), on generated history with
 * log-normal service times and on the hall's own log:
 *   - the median of a skewed service time is below its mean, so a queue of
 *     n people takes longer than n medians: waits came out short (bias);
 *   - it ignores who is ahead: three 相談 ahead are not three 住民票;
 *   - it ignores that the counters are busy with someone now (the one in
 *     service still needs about half a service) and that a counter may be
 *     free right now (then there is no wait at all);
 *   - it counts only configured counters that called; a counter lent from
 *     another service that called for this one was not counted.
 * The current formula fixes those; `kiosk report` shows both on the same
 * figures (accuracy.csv, accuracy_by_hour.*).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "estimate.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(const double *v, int n)
{
	double s[64];
	int i, k = n < 64 ? n : 64;

	for (i = 0; i < k; i++)
		s[i] = v[i];
	qsort(s, (size_t)k, sizeof(*s), cmp_double);
	return k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

int
estimate_v1(const struct est_in *in)
{
	double per;
	int nc, need = in->min_samples < 3 ? in->min_samples : 3;

	if (in->nrecent >= need && in->nrecent > 0)
		per = median(in->recent, in->nrecent);
	else
		per = in->default_min > 0 ? in->default_min : 5;
	nc = in->counters > 0 ? in->counters : 1;
	if (in->open > 0 && in->open < nc)
		nc = in->open;
	return (int)ceil(in->ahead * per / nc - 1e-9);
}

/*
 * Minutes of work before this ticket, shared by the counters open:
 *   per   mean of the recent service times (a long one is capped at three
 *         medians so one stuck case does not double every estimate), or the
 *         procedure's default while fewer than min_samples are known;
 *   work  the procedure minutes of those ahead, scaled by how today's
 *         service compares with the defaults (per / mean default), or
 *         ahead x per when the mix is unknown;
 *   c     the counters that called in the last hour (at least those busy
 *         now), or the configured ones before any call;
 *   free  a counter free now takes the first ahead at once: nobody waits
 *         while fewer are ahead than counters are free.
 * The rest of the work passes through the counters as they come free; the
 * wait printed is the median of that (about 2/3 of a service for the
 * first free counter), not the mean: a resident holding the ticket is as
 * likely to be called earlier as later, and the absolute error is least.
 */
int
estimate_wait(const struct est_in *in)
{
	double per, work, med, sum = 0, w;
	int c, i, free_now = 0, need = in->min_samples < 3 ? in->min_samples : 3;
	bool known = in->nrecent >= need && in->nrecent > 0;

	if (known) {
		med = median(in->recent, in->nrecent);
		for (i = 0; i < in->nrecent; i++)
			sum += in->recent[i] < 3 * med ? in->recent[i] : 3 * med;
		per = sum / in->nrecent;
	} else {
		per = in->default_min > 0 ? in->default_min : 5;
	}
	if (in->open > 0) {
		c = in->open > in->busy ? in->open : in->busy;
		free_now = c - in->busy;
	} else {
		c = in->counters > 0 ? in->counters : 1;
	}
	if (in->ahead < free_now)
		return 0;
	/* nobody ahead and a configured counter idle (or just not called
	 * for lately, as a quiet counter does): called at once */
	if (in->ahead == 0 && in->busy < in->counters)
		return 0;
	if (in->ahead_work_min >= 0 && known && in->recent_default_mean > 0)
		work = in->ahead_work_min * per / in->recent_default_mean;
	else if (in->ahead_work_min >= 0 && !known)
		work = in->ahead_work_min;
	else
		work = in->ahead * per;
	if (in->ahead > 0)
		work -= free_now * work / in->ahead;
	w = (work + per * 2 / 3) / c;
	return (int)floor(w + 0.5);
}
