/*
 * accuracy.c - how right the promised wait was.  For every ticket that was
 * called, the error of each method is estimate - actual wait (minutes):
 *
 *   promised  what the ticket said at issue (stored since schema 3)
 *   naive     people ahead x a fixed minutes per person (the baseline)
 *   v1        the first formula, replayed on the log
 *   current   the current formula (estimate.c), replayed on the log
 *
 * The replay rebuilds, at each issue time, what the store knew then: who
 * was waiting ahead in the same service, which counters had called in the
 * last hour and which were busy, the last service times of the day.  It
 * reads the log only (called, finished and issue times), so it runs on any
 * past database.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "estimate.h"
#include "evidence_int.h"
#include "xmalloc.h"

#define RECENT_MAX 64

/* Fill in for ticket i (index into log) what the store knew at its issue;
 * [lo, hi) are the tickets of its day and site. */
static void
replay_input(const struct ev_log *log, size_t lo, size_t hi, size_t i,
    int samples, struct est_in *in, double *recent, double *defaults)
{
	const struct ev_ticket *t = &log->t[i];
	int64_t now = t->issued_ms, fin[RECENT_MAX];
	int open_c[STORE_MAX_COUNTERS * 4], busy_c[STORE_MAX_COUNTERS * 4];
	int nopen = 0, nbusy = 0, nrec = 0, k, si;
	bool prio = t->flags & STORE_F_PRIORITY;
	double def_sum = 0;
	size_t j;

	if (samples > RECENT_MAX)
		samples = RECENT_MAX;
	memset(in, 0, sizeof(*in));
	in->default_min = t->default_min;
	si = ev_service_index(log, t->service);
	in->counters = si >= 0 ? log->service_counters[si] : 1;
	in->min_samples = samples;
	for (j = lo; j < hi; j++) {
		const struct ev_ticket *u = &log->t[j];
		bool up = u->flags & STORE_F_PRIORITY;

		if (j == i || u->service != t->service)
			continue;
		/* waiting ahead: not called yet, and a priority ticket, or
		 * issued before it (a priority ticket only has priority ones
		 * ahead) */
		if ((u->called_ms == 0 || u->called_ms > now) &&
		    u->issued_ms <= now && (up > prio || (up == prio &&
		    (u->issued_ms < now || j < i)))) {
			in->ahead++;
			in->ahead_work_min += u->default_min;
		}
		if (u->called_ms > 0 && u->called_ms <= now && u->counter > 0) {
			if (u->called_ms >= now - 3600 * 1000) {
				for (k = 0; k < nopen && open_c[k] != u->counter; k++)
					;
				if (k == nopen && nopen < (int)ARRAY_SIZE(open_c))
					open_c[nopen++] = u->counter;
			}
			if (u->finished_ms == 0 || u->finished_ms > now) {
				for (k = 0; k < nbusy && busy_c[k] != u->counter; k++)
					;
				if (k == nbusy && nbusy < (int)ARRAY_SIZE(busy_c))
					busy_c[nbusy++] = u->counter;
			}
		}
		/* service times finished before: keep the newest `samples` */
		if (u->state == ST_DONE && u->finished_ms > 0 &&
		    u->finished_ms < now && u->serv_from_ms > 0 &&
		    u->finished_ms >= u->serv_from_ms) {
			double v = (double)(u->finished_ms - u->serv_from_ms) /
			    60000.0;
			if (nrec < samples) {
				k = nrec++;
			} else {
				int oldest = 0;
				for (k = 1; k < nrec; k++)
					if (fin[k] < fin[oldest])
						oldest = k;
				if (fin[oldest] >= u->finished_ms)
					continue;
				k = oldest;
			}
			fin[k] = u->finished_ms;
			recent[k] = v;
			defaults[k] = u->default_min;
		}
	}
	in->open = nopen;
	/* busy counters that are not among the open ones are still busy */
	in->busy = nbusy;
	in->recent = recent;
	in->nrecent = nrec;
	for (k = 0; k < nrec; k++)
		def_sum += defaults[k];
	in->recent_default_mean = nrec > 0 ? def_sum / nrec : 0;
}

void
ev_accuracy(const struct ev_log *log, int samples, double naive_min,
    struct ev_accuracy *out)
{
	double recent[RECENT_MAX], defaults[RECENT_MAX];
	size_t lo = 0, hi, i;

	memset(out, 0, sizeof(*out));
	while (lo < log->n) {
		for (hi = lo + 1; hi < log->n && log->t[hi].day == log->t[lo].day &&
		    log->t[hi].site == log->t[lo].site; hi++)
			;
		for (i = lo; i < hi; i++) {
			const struct ev_ticket *t = &log->t[i];
			double actual = ev_wait_min(t), est[EV_NMETHODS];
			struct est_in in;
			int m, si = ev_service_index(log, t->service), h;

			if (actual < 0 || si < 0)
				continue;
			replay_input(log, lo, hi, i, samples, &in, recent,
			    defaults);
			est[EV_M_PROMISED] = t->promised_min;
			est[EV_M_NAIVE] = (t->ahead >= 0 ? t->ahead : in.ahead) *
			    naive_min;
			est[EV_M_V1] = estimate_v1(&in);
			est[EV_M_CURRENT] = estimate_wait(&in);
			for (m = 0; m < EV_NMETHODS; m++) {
				double e = est[m] - actual;
				if (est[m] < 0)
					continue;
				for (h = 0; h < 2; h++) {
					struct ev_acc_cell *c = &out->cell[si]
					    [h ? 24 : t->hour];
					c->n[m]++;
					c->abs_sum[m] += fabs(e);
					c->err_sum[m] += e;
					c->within5[m] += fabs(e) <= 5;
				}
			}
		}
		lo = hi;
	}
}

const char *const ev_method_names[EV_NMETHODS] = {
	[EV_M_PROMISED] = "promised", [EV_M_NAIVE] = "naive",
	[EV_M_V1] = "first_formula", [EV_M_CURRENT] = "current_formula",
};
