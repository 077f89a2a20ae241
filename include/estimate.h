/*
 * estimate.h - the wait printed on a ticket, as a pure function of counts
 * the caller gathers (kiosk/evidence/estimate.c).  The store calls it when
 * it issues a ticket or answers a phone; `kiosk report` calls it again on
 * the log to measure how right it was and how right the previous formula
 * would have been.  No I/O, no clock, no allocation.
 */
#ifndef ESTIMATE_H
#define ESTIMATE_H

struct est_in {
	int ahead;                /* waiting before it in its service */
	double ahead_work_min;    /* sum of the procedure minutes of those
	                           * ahead (catalog defaults); < 0: unknown */
	int default_min;          /* its own procedure's minutes */
	int counters;             /* configured for the service */
	int open;                 /* counters that called for it in the last
	                           * hour; 0: none yet */
	int busy;                 /* of those, with a ticket called or in
	                           * service now */
	const double *recent;     /* minutes of the last service times today,
	                           * newest first */
	int nrecent;
	double recent_default_mean; /* mean procedure minutes of those same
	                             * tickets; <= 0: unknown */
	int min_samples;          /* fewer recent times: use the defaults */
};

/* The first formula: ahead x median(recent) / open counters, rounded up. */
int estimate_v1(const struct est_in *in);
/* The current one (what store_estimate() prints), see estimate.c. */
int estimate_wait(const struct est_in *in);

#endif
