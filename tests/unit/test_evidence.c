/*
 * test_evidence.c - the pure parts of kiosk/evidence/: the JST calendar,
 * quantiles, Erlang C, the estimators and the replay simulation on a log
 * built in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "estimate.h"
#include "evidence.h"

static void
test_evidence_calendar_round_trips_and_knows_weekdays(void **state)
{
	char s[11];
	int d;

	(void)state;
	d = ev_day_parse("2026-12-03");
	assert_true(d > 0);
	assert_int_equal(ev_weekday(d), 3);              /* Thursday */
	assert_int_equal(ev_weekday(ev_day_parse("1970-01-05")), 0);
	assert_int_equal(ev_day_parse("2026-02-30"), -1);
	assert_int_equal(ev_day_parse("2026-13-01"), -1);
	assert_int_equal(ev_day_parse("2026-1-01"), -1);
	assert_int_equal(ev_day_parse("2024-02-29") + 1,
	    ev_day_parse("2024-03-01"));
	for (d = ev_day_parse("1999-12-25"); d < ev_day_parse("2031-01-10");
	    d += 13) {
		ev_day_format(d, s);
		assert_int_equal(ev_day_parse(s), d);
	}
	/* 23:59 UTC is 08:59 the next day in Tokyo */
	assert_int_equal(ev_day_of_ms((int64_t)(ev_day_parse("2026-12-03")) *
	    86400000 - 60000), ev_day_parse("2026-12-03"));
	assert_int_equal(ev_day_of_ms((int64_t)(ev_day_parse("2026-12-03")) *
	    86400000 + 15 * 3600000), ev_day_parse("2026-12-04"));
}

static void
test_evidence_quantiles(void **state)
{
	double v[] = { 4, 1, 3, 2 }, w[] = { 5, 1, 9, 7, 3 };

	(void)state;
	assert_true(fabs(ev_quantile(v, 4, 0.5) - 2.5) < 1e-9);
	assert_true(fabs(ev_quantile(w, 5, 0.5) - 5) < 1e-9);
	assert_true(fabs(ev_quantile(w, 5, 0.9) - 9) < 1e-9);
	assert_true(ev_quantile(w, 0, 0.5) < 0);
}

static void
test_evidence_erlang_c_known_values(void **state)
{
	(void)state;
	/* M/M/1: the chance to wait is the utilisation */
	assert_true(fabs(ev_erlang_c(1, 0.5) - 0.5) < 1e-12);
	/* M/M/2 at a = 1: 1/3 */
	assert_true(fabs(ev_erlang_c(2, 1.0) - 1.0 / 3) < 1e-12);
	/* textbook: c = 10, a = 8: 0.409 */
	assert_true(fabs(ev_erlang_c(10, 8.0) - 0.40918) < 1e-4);
	assert_true(ev_erlang_c(2, 2.0) == 1);           /* unstable */
	/* 12 an hour, 5 min each: 2 counters call 95.5 % within 10 min */
	assert_true(fabs(ev_mmc_within(2, 12, 12, 10.0 / 60) -
	    (1 - exp(-2.0) / 3)) < 1e-12);
	assert_int_equal(ev_counters_needed(12, 12, 10.0 / 60, 0.8, 99), 2);
	assert_int_equal(ev_counters_needed(0, 12, 10.0 / 60, 0.8, 99), 0);
	/* Wq of M/M/2 at a = 1: C / (c mu - lambda) = (1/3) / 12 h */
	assert_true(fabs(ev_mmc_mean_wait(2, 12, 12) - 1.0 / 36) < 1e-12);
	assert_true(ev_mmc_mean_wait(1, 12, 12) < 0);
}

static void
test_evidence_estimators(void **state)
{
	double recent[] = { 2, 2, 2, 20 };
	struct est_in in;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.min_samples = 10;
	in.counters = 2;
	in.default_min = 5;
	/* nobody ahead, a configured counter idle: now */
	assert_int_equal(estimate_wait(&in), 0);
	assert_int_equal(estimate_v1(&in), 0);
	/* two ahead, two counters open, one free: the first goes at once */
	in.ahead = 2;
	in.ahead_work_min = 10;
	in.open = 2;
	in.busy = 1;
	in.recent = recent;
	in.nrecent = 3;
	in.recent_default_mean = 5;
	/* per 2; work 10 x 2/5 = 4, less the one that starts: 2; plus 2/3
	 * of 2, over 2 counters: 1.67 -> 2 */
	assert_int_equal(estimate_wait(&in), 2);
	assert_int_equal(estimate_v1(&in), 2);           /* ceil(2 x 2 / 2) */
	/* a stuck case counts as three medians, not twenty minutes: per is
	 * (2+2+2+6)/4 = 3, work 6, less 3 for the free counter, plus 2 for
	 * the next to come free, over 2: 2.5 -> 3 (uncapped it would be 5) */
	in.nrecent = 4;
	in.recent_default_mean = 5;
	assert_int_equal(estimate_wait(&in), 3);
	/* more ahead than free: a longer wait, never negative */
	in.ahead = 9;
	in.ahead_work_min = 45;
	assert_true(estimate_wait(&in) > 5);
}

/* A day of one service: a ticket every 10 minutes, each served in exactly
 * 15 minutes (recorded), replayed with 1 and 2 counters. */
static void
test_evidence_simulation_replays_arrivals(void **state)
{
	struct ev_log log;
	struct ev_sim_opts o;
	struct ev_sim_result r, r2;
	struct kerr err;
	int64_t t0 = (int64_t)ev_day_parse("2026-06-01") * 86400000;
	int i;

	(void)state;
	memset(&log, 0, sizeof(log));
	log.nsites = 1;
	log.nservices = 1;
	log.services[0] = 'A';
	log.service_counters[0] = 1;
	log.t = calloc(12, sizeof(*log.t));
	log.n = log.cap = 12;
	for (i = 0; i < 12; i++) {
		struct ev_ticket *t = &log.t[i];
		t->issued_ms = t0 + (int64_t)i * 600000;
		t->called_ms = t->serv_from_ms = t->issued_ms + 1000;
		t->finished_ms = t->serv_from_ms + 900000;
		t->state = ST_DONE;
		t->service = t->final_service = 'A';
		t->day = ev_day_of_ms(t->issued_ms);
		t->hour = (int8_t)(i / 6);
	}
	memset(&o, 0, sizeof(o));
	o.counters[0] = 2;
	o.seed = 7;
	o.target_min = 10;
	assert_int_equal(ev_simulate(&log, &o, &r, &err), K_OK);
	assert_int_equal(r.cell[0][24].tickets, 12);
	assert_true(r.cell[0][24].wait_sum < 1e-9);      /* 2 counters: none */
	ev_sim_free(&r);
	o.counters[0] = 1;
	assert_int_equal(ev_simulate(&log, &o, &r, &err), K_OK);
	/* one counter: the i-th waits 5 i minutes */
	assert_true(fabs(r.cell[0][24].wait_sum - 5.0 * 66) < 1e-6);
	assert_int_equal(r.cell[0][24].within, 3);       /* 0, 5, 10 min */
	assert_int_equal(ev_simulate(&log, &o, &r2, &err), K_OK);
	assert_true(r.cell[0][24].wait_sq == r2.cell[0][24].wait_sq);
	ev_sim_free(&r);
	ev_sim_free(&r2);
	o.counters[0] = 0;
	assert_int_equal(ev_simulate(&log, &o, &r, &err), K_EINVAL);
	free(log.t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evidence_calendar_round_trips_and_knows_weekdays),
		cmocka_unit_test(test_evidence_quantiles),
		cmocka_unit_test(test_evidence_erlang_c_known_values),
		cmocka_unit_test(test_evidence_estimators),
		cmocka_unit_test(test_evidence_simulation_replays_arrivals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
