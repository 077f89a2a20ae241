/*
 * test_store.c - the queue rules, numbering and estimate on a fake clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define MIN (60 * 1000LL)

/* Milliseconds of a wall-clock time in Asia/Tokyo. */
static int64_t
jst(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return ((int64_t)timegm(&tm) - 9 * 3600) * 1000;
}

static struct store *
open_mem(const char *services, int noshow)
{
	/* these tests take one rule at a time and leave tickets called at a
	 * counter; the one-ticket-per-counter rule has its own tests
	 * (test_counter_ops.c) */
	struct store_config cfg = { .services = services,
	    .noshow_after_recalls = noshow, .estimate_samples = 10,
	    .max_called_per_counter = 100 };
	struct store *st;
	struct kerr err;

	assert_int_equal(store_open(&st, ":memory:", &cfg, &err), K_OK);
	return st;
}

static int64_t
issue(struct store *st, char service, const char *proc, unsigned flags,
    const char *app, int64_t now, struct store_ticket *t)
{
	struct store_issue_req r = { proc, service, 5, "ja", "kiosk-1", flags,
	    app, NULL, NULL, NULL, NULL };
	struct kerr err;
	struct store_ticket local;

	if (t == NULL)
		t = &local;
	assert_int_equal(store_issue(st, &r, now, t, &err), K_OK);
	store_ticket_clear(t);
	return t->id;
}

static void
test_store_numbers_count_up_per_service_from_one(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);

	(void)state;
	issue(st, 'A', "juminhyo", 0, NULL, now, &t);
	assert_string_equal(t.number, "A-001");
	issue(st, 'A', "juminhyo", 0, NULL, now + 1000, &t);
	assert_string_equal(t.number, "A-002");
	issue(st, 'B', "tennyu", 0, NULL, now + 2000, &t);
	assert_string_equal(t.number, "B-001");
	assert_string_equal(t.day, "2026-11-28");
	assert_int_equal(strlen(t.token), STORE_TOKEN_LEN);
	store_close(st);
}

static void
test_store_a_repeated_request_id_returns_the_same_ticket(void **state)
{
	struct store *st = open_mem(NULL, 3);
	int64_t T0 = jst(2026, 11, 28, 9, 0, 0);
	struct store_issue_req r = { "juminhyo", 'A', 5, "ja", "kiosk-1", 0,
	    NULL, "0123456789abcdef0123456789abcdef", NULL, NULL, NULL };
	struct store_ticket a, b, c;
	struct kerr err;

	(void)state;
	assert_int_equal(store_issue(st, &r, T0, &a, &err), K_OK);
	assert_false(a.replayed);
	/* the answer was lost; the kiosk sends the same request again */
	assert_int_equal(store_issue(st, &r, T0 + 4000, &b, &err), K_OK);
	assert_true(b.replayed);
	assert_int_equal(b.id, a.id);
	assert_string_equal(b.number, a.number);
	assert_string_equal(b.token, a.token);
	r.request_id = "fedcba9876543210fedcba9876543210";
	assert_int_equal(store_issue(st, &r, T0 + 5000, &c, &err), K_OK);
	assert_false(c.replayed);
	assert_string_equal(c.number, "A-002");
	store_ticket_clear(&a);
	store_ticket_clear(&b);
	store_ticket_clear(&c);
	store_close(st);
}

/* Staff's mark for a kiosk's next ticket is taken by the issue itself, in
 * its one commit; a replayed request takes no mark. */
static void
test_store_issue_takes_the_kiosk_mark_in_its_commit(void **state)
{
	struct store *st = open_mem(NULL, 3);
	int64_t T0 = jst(2026, 11, 28, 9, 0, 0);
	struct store_issue_req r = { "juminhyo", 'A', 5, "ja", "kiosk-3", 0,
	    NULL, "0123456789abcdef0123456789abcdef", NULL, NULL, NULL };
	struct store_ticket a, b, c;
	struct kerr err;
	uint64_t changes, commits, commits0;

	(void)state;
	assert_int_equal(store_priority_next(st, "kiosk-3", true, "sato", T0,
	    &err), K_OK);
	store_write_stats(st, &changes, &commits0);
	assert_int_equal(store_issue(st, &r, T0 + 1000, &a, &err), K_OK);
	store_write_stats(st, &changes, &commits);
	assert_int_equal(commits, commits0 + 1);
	assert_true(a.flags & STORE_F_PRIORITY);
	/* a new mark; the lost answer's retry is the same ticket and leaves
	 * the mark to the next resident */
	assert_int_equal(store_priority_next(st, "kiosk-3", true, "sato",
	    T0 + 2000, &err), K_OK);
	assert_int_equal(store_issue(st, &r, T0 + 3000, &b, &err), K_OK);
	assert_true(b.replayed);
	assert_int_equal(b.id, a.id);
	r.request_id = "fedcba9876543210fedcba9876543210";
	assert_int_equal(store_issue(st, &r, T0 + 4000, &c, &err), K_OK);
	assert_true(c.flags & STORE_F_PRIORITY);
	store_ticket_clear(&c);
	/* taken: the next one is not priority; another kiosk's never was */
	r.request_id = NULL;
	assert_int_equal(store_issue(st, &r, T0 + 5000, &c, &err), K_OK);
	assert_false(c.flags & STORE_F_PRIORITY);
	store_ticket_clear(&c);
	assert_int_equal(store_priority_next(st, "kiosk-3", true, "sato",
	    T0 + 6000, &err), K_OK);
	r.kiosk = "kiosk-4";
	assert_int_equal(store_issue(st, &r, T0 + 7000, &c, &err), K_OK);
	assert_false(c.flags & STORE_F_PRIORITY);
	store_ticket_clear(&a);
	store_ticket_clear(&b);
	store_ticket_clear(&c);
	store_close(st);
}

/* The wait and the people ahead printed on each ticket are kept with it
 * as they were answered (the evidence measures the estimate by them),
 * also when the clock stepped back between two issues. */
struct promise {
	int n, seen;
	char number[8][16];
	int ahead[8], wait[8];
};

static int
promise_row(const struct store_log_row *row, void *arg)
{
	struct promise *p = arg;
	int i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->number[i], row->number) == 0) {
			assert_int_equal(row->ahead_at_issue, p->ahead[i]);
			assert_int_equal(row->promised_min, p->wait[i]);
			p->seen++;
		}
	return 0;
}

static void
test_store_issue_keeps_the_wait_it_answered(void **state)
{
	struct store *st = open_mem("A:a:1", 3);
	struct store_ticket t;
	struct promise p;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);
	static const int64_t at[6] = { 0, 1000, 2000, 2000, 500, 3000 };
	static const unsigned fl[6] = { 0, 0, STORE_F_PRIORITY, 0, 0, 0 };
	int i;

	(void)state;
	memset(&p, 0, sizeof(p));
	for (i = 0; i < 6; i++) {
		issue(st, 'A', "p", fl[i], NULL, now + at[i], &t);
		snprintf(p.number[p.n], sizeof(p.number[0]), "%s", t.number);
		p.ahead[p.n] = t.ahead;
		p.wait[p.n++] = t.wait_min;
	}
	/* the priority one and those issued before: the one issued at 500
	 * (the clock went back) has those of 0 and 2000 (priority) ahead */
	assert_int_equal(p.ahead[3], 3);
	assert_int_equal(p.ahead[4], 2);
	assert_int_equal(p.ahead[5], 5);
	assert_int_equal(store_log(st, "2026-11-28", "2026-11-28", promise_row,
	    &p, &err), K_OK);
	assert_int_equal(p.seen, 6);
	store_close(st);
}

/* The counters busy now are counted once each, however many tickets one
 * of them holds: two called at counter 1 leave counter 2 free, and a
 * ticket with nobody ahead is called at once. */
static void
test_store_estimate_counts_each_busy_counter_once(void **state)
{
	struct store *st = open_mem("A:a:1,2", 3);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);

	(void)state;
	issue(st, 'A', "p", 0, NULL, now, NULL);
	issue(st, 'A', "p", 0, NULL, now + 1000, NULL);
	assert_int_equal(store_call_next(st, 1, NULL, now + 2000, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_call_next(st, 1, NULL, now + 3000, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	issue(st, 'A', "p", 0, NULL, now + 4000, &t);
	assert_int_equal(t.ahead, 0);
	assert_int_equal(t.wait_min, 0);
	/* counter 2 busy too: both are, and the wait is a share of one */
	assert_int_equal(store_call_next(st, 2, NULL, now + 5000, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	issue(st, 'A', "p", 0, NULL, now + 6000, &t);
	assert_int_equal(t.ahead, 0);
	assert_true(t.wait_min > 0);
	store_close(st);
}

static void
test_store_numbers_restart_at_tokyo_midnight(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;

	(void)state;
	issue(st, 'A', "juminhyo", 0, NULL, jst(2026, 11, 28, 23, 59, 58), &t);
	issue(st, 'A', "juminhyo", 0, NULL, jst(2026, 11, 28, 23, 59, 59), &t);
	assert_string_equal(t.number, "A-002");
	assert_string_equal(t.day, "2026-11-28");
	issue(st, 'A', "juminhyo", 0, NULL, jst(2026, 11, 29, 0, 0, 0), &t);
	assert_string_equal(t.number, "A-001");
	assert_string_equal(t.day, "2026-11-29");
	store_close(st);
}

static void
test_store_service_day_ignores_the_machine_time_zone(void **state)
{
	char day[11], iso[32];

	(void)state;
	setenv("TZ", "America/Los_Angeles", 1);
	tzset();
	/* 2026-11-28 23:59:59 JST is 14:59:59 UTC the same day */
	store_day(jst(2026, 11, 28, 23, 59, 59), day);
	assert_string_equal(day, "2026-11-28");
	store_day(jst(2026, 11, 29, 0, 0, 0), day);
	assert_string_equal(day, "2026-11-29");
	store_iso_time(jst(2026, 11, 29, 0, 0, 5), iso);
	assert_string_equal(iso, "2026-11-29T00:00:05+09:00");
	unsetenv("TZ");
	tzset();
}

static void
test_store_call_next_prefers_priority_then_issue_time(void **state)
{
	/* counter 2 serves A and B */
	struct store *st = open_mem("A:a:1,2;B:b:2,3", 3);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);

	(void)state;
	issue(st, 'B', "p", 0, NULL, now, NULL);                   /* B-001 */
	issue(st, 'A', "p", 0, NULL, now + 1000, NULL);            /* */
	issue(st, 'A', "p", STORE_F_PRIORITY, NULL, now + 2000, NULL); /* */
	assert_int_equal(store_call_next(st, 2, NULL, now + 3000, &t, &err),
	    K_OK);
	assert_string_equal(t.number, "A-002");
	assert_int_equal(t.state, ST_CALLED);
	assert_int_equal(t.counter, 2);
	store_ticket_clear(&t);
	assert_int_equal(store_call_next(st, 2, NULL, now + 4000, &t, &err),
	    K_OK);
	assert_string_equal(t.number, "B-001");
	store_ticket_clear(&t);
	/* counter 1 serves only A */
	assert_int_equal(store_call_next(st, 1, NULL, now + 5000, &t, &err),
	    K_OK);
	assert_string_equal(t.number, "A-001");
	store_ticket_clear(&t);
	assert_int_equal(store_call_next(st, 3, NULL, now + 6000, &t, &err),
	    K_ENOTFOUND);
	assert_int_equal(store_call_next(st, 9, NULL, now + 6000, &t, &err),
	    K_EINVAL);
	store_close(st);
}

static void
test_store_call_next_skips_yesterdays_tickets(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;

	(void)state;
	issue(st, 'A', "p", 0, NULL, jst(2026, 11, 28, 23, 59, 59), NULL);
	assert_int_equal(store_call_next(st, 1, NULL, jst(2026, 11, 29, 8, 30,
	    0), &t, &err), K_ENOTFOUND);
	store_close(st);
}

static void
test_store_no_show_needs_the_configured_recalls(void **state)
{
	struct store *st = open_mem(NULL, 2);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0), id;

	(void)state;
	id = issue(st, 'A', "p", 0, "{\"answers\":{}}", now, NULL);
	assert_int_equal(store_call_next(st, 1, NULL, now, &t, &err), K_OK);
	assert_non_null(t.application);
	store_ticket_clear(&t);
	assert_int_equal(store_no_show(st, id, NULL, now, &t, &err), K_EBUSY);
	assert_non_null(strstr(err.msg, "recalled 0 of 2"));
	assert_int_equal(store_recall(st, id, "s1", now + MIN, &t, &err), K_OK);
	assert_int_equal(t.recalls, 1);
	store_ticket_clear(&t);
	assert_int_equal(store_recall(st, id, "s1", now + 2 * MIN, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_no_show(st, id, NULL, now + 3 * MIN, &t, &err),
	    K_OK);
	assert_int_equal(t.state, ST_NO_SHOW);
	assert_null(t.application);
	/* a finished ticket takes no more steps */
	assert_int_equal(store_recall(st, id, NULL, now, &t, &err), K_EBUSY);
	assert_int_equal(store_done(st, id, NULL, now, &t, &err), K_EBUSY);
	store_close(st);
}

static void
test_store_done_deletes_the_application(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0), id;

	(void)state;
	id = issue(st, 'A', "p", 0, "{\"applicant\":{\"name\":\"x\"}}", now,
	    NULL);
	assert_int_equal(store_get(st, id, true, &t, &err), K_OK);
	assert_string_equal(t.application, "{\"applicant\":{\"name\":\"x\"}}");
	store_ticket_clear(&t);
	assert_int_equal(store_call_next(st, 1, NULL, now, &t, &err), K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_start(st, id, NULL, now + MIN, &t, &err), K_OK);
	assert_int_equal(t.state, ST_SERVING);
	store_ticket_clear(&t);
	assert_int_equal(store_done(st, id, NULL, now + 5 * MIN, &t, &err), K_OK);
	assert_int_equal(t.state, ST_DONE);
	assert_null(t.application);
	assert_int_equal(store_get(st, id, true, &t, &err), K_OK);
	assert_null(t.application);
	assert_int_equal(store_done(st, 999, NULL, now, &t, &err), K_ENOTFOUND);
	store_close(st);
}

static void
test_store_transfer_keeps_number_and_issue_time(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0), a1;

	(void)state;
	a1 = issue(st, 'A', "p", 0, NULL, now, NULL);
	issue(st, 'B', "p", 0, NULL, now + MIN, NULL);   /* B-001, later */
	assert_int_equal(store_call_next(st, 1, NULL, now + 2 * MIN, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_transfer(st, a1, 'B', "転入も", "s", now + 3 * MIN,
	    &t, &err), K_OK);
	assert_string_equal(t.number, "A-001");
	assert_int_equal(t.service, 'B');
	assert_int_equal(t.state, ST_WAITING);
	assert_int_equal(t.issued_ms, now);
	assert_string_equal(t.note, "転入も");
	store_ticket_clear(&t);
	/* it was issued before B-001, so counter 3 calls it first */
	assert_int_equal(store_call_next(st, 3, NULL, now + 4 * MIN, &t, &err),
	    K_OK);
	assert_string_equal(t.number, "A-001");
	store_ticket_clear(&t);
	assert_int_equal(store_transfer(st, a1, 'Z', NULL, NULL, now, &t, &err),
	    K_ENOTFOUND);
	store_close(st);
}

static void
test_store_call_number_out_of_order(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0), id;

	(void)state;
	issue(st, 'A', "p", 0, NULL, now, NULL);
	issue(st, 'A', "p", 0, NULL, now, NULL);
	id = issue(st, 'A', "p", 0, NULL, now, NULL);
	assert_int_equal(store_call_number(st, 2, "A-003", NULL, now, &t, &err),
	    K_OK);
	assert_int_equal(t.id, id);
	store_ticket_clear(&t);
	assert_int_equal(store_call_number(st, 2, "A-009", NULL, now, &t, &err),
	    K_ENOTFOUND);
	assert_int_equal(store_call_number(st, 2, "A-0x", NULL, now, &t, &err),
	    K_EINVAL);
	assert_int_equal(store_done(st, id, NULL, now, &t, &err), K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_call_number(st, 2, "A-003", NULL, now, &t, &err),
	    K_EBUSY);
	/* the next call still starts with A-001 */
	assert_int_equal(store_call_next(st, 1, NULL, now, &t, &err), K_OK);
	assert_string_equal(t.number, "A-001");
	store_ticket_clear(&t);
	store_close(st);
}

static void
test_store_estimate_uses_defaults_then_observed_median(void **state)
{
	struct store *st = open_mem(NULL, 3);   /* A has counters 1,2 */
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0), id;
	char token[STORE_TOKEN_LEN + 1];
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		issue(st, 'A', "p", 0, NULL, now, NULL);
	issue(st, 'A', "p", 0, NULL, now + 1000, &t);
	assert_int_equal(t.ahead, 3);
	/* no service seen yet: the defaults, 3 x 5 min ahead and 2/3 of a
	 * service for a counter to come free, on both counters */
	assert_int_equal(t.wait_min, 9);          /* (15 + 3.3) / 2 */
	/* three observed service times of 2 minutes */
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_call_next(st, 1, NULL, now + i * 2 * MIN,
		    &t, &err), K_OK);
		id = t.id;
		store_ticket_clear(&t);
		assert_int_equal(store_done(st, id, NULL, now + (i + 1) * 2 * MIN,
		    &t, &err), K_OK);
		store_ticket_clear(&t);
	}
	for (i = 0; i < 4; i++)
		issue(st, 'A', "p", 0, NULL, now + 10 * MIN, &t);
	assert_int_equal(t.ahead, 4);              /* A-004 and three more */
	/* 2 min observed for 5 min defaults: 20 min of defaults are 8; counter
	 * 1 (the only one that called) is free and takes the first at once */
	assert_int_equal(t.wait_min, 7);           /* (8 - 2 + 1.3) / 1 */
	snprintf(token, sizeof(token), "%s", t.token);
	/* counter 2 opens: two counters share the queue */
	assert_int_equal(store_call_next(st, 2, NULL, now + 11 * MIN, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_status(st, token, now + 11 * MIN, &t, &err),
	    K_OK);
	assert_int_equal(t.ahead, 3);
	assert_int_equal(t.wait_min, 3);           /* (6 - 2 + 1.3) / 2 */
	/* an hour without calls: back to the configured counters, none
	 * known to be free */
	assert_int_equal(store_status(st, token, now + 80 * MIN, &t, &err),
	    K_OK);
	assert_int_equal(t.wait_min, 4);           /* (6 + 1.3) / 2 */
	assert_int_equal(store_status(st, "00000000000000000000000000000000",
	    now, &t, &err), K_ENOTFOUND);
	store_close(st);
}

static void
test_store_applications_are_purged_on_a_new_day(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;
	int64_t id;

	(void)state;
	id = issue(st, 'A', "p", 0, "{\"applicant\":{}}", jst(2026, 11, 28, 16,
	    0, 0), NULL);
	/* the first change of the next day drops it */
	issue(st, 'B', "p", 0, NULL, jst(2026, 11, 29, 8, 30, 0), NULL);
	assert_int_equal(store_get(st, id, true, &t, &err), K_OK);
	assert_null(t.application);
	store_close(st);
}

static void
test_store_purge_at_midnight_needs_no_other_change(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_ticket t;
	struct kerr err;
	int64_t old, today;

	(void)state;
	old = issue(st, 'A', "p", 0, "{\"applicant\":{}}", jst(2026, 11, 28, 23,
	    59, 59), NULL);
	/* the same day: kept */
	assert_int_equal(store_purge_personal(st, jst(2026, 11, 28, 23, 59, 59),
	    &err), K_OK);
	assert_int_equal(store_get(st, old, true, &t, &err), K_OK);
	assert_non_null(t.application);
	store_ticket_clear(&t);
	today = issue(st, 'A', "p", 0, "{\"applicant\":{}}", jst(2026, 11, 28,
	    23, 59, 59), NULL);
	/* the housekeeping tick just after midnight */
	assert_int_equal(store_purge_personal(st, jst(2026, 11, 29, 0, 0, 30),
	    &err), K_OK);
	assert_int_equal(store_get(st, old, true, &t, &err), K_OK);
	assert_null(t.application);
	assert_int_equal(store_get(st, today, true, &t, &err), K_OK);
	assert_null(t.application);
	store_close(st);
}

static void
test_store_stats_gives_median_and_p90(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_stats s[STORE_MAX_SERVICES];
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0), id;
	size_t n;
	int i;

	(void)state;
	/* waits of 1..10 minutes, service times of 3 minutes */
	for (i = 0; i < 10; i++)
		issue(st, 'A', "p", 0, NULL, now, NULL);
	for (i = 0; i < 10; i++) {
		assert_int_equal(store_call_next(st, 1, NULL, now + (i + 1) * MIN,
		    &t, &err), K_OK);
		id = t.id;
		store_ticket_clear(&t);
		assert_int_equal(store_done(st, id, NULL, now + (i + 1) * MIN +
		    3 * MIN, &t, &err), K_OK);
		store_ticket_clear(&t);
	}
	assert_int_equal(store_stats(st, "2026-11-28", s, STORE_MAX_SERVICES, &n,
	    &err), K_OK);
	assert_int_equal(n, 5);
	assert_int_equal(s[0].letter, 'A');
	assert_int_equal(s[0].issued, 10);
	assert_int_equal(s[0].served, 10);
	assert_true(s[0].wait_median_min > 5.49 && s[0].wait_median_min < 5.51);
	assert_true(s[0].wait_p90_min > 8.99 && s[0].wait_p90_min < 9.01);
	assert_true(s[0].service_median_min > 2.99 &&
	    s[0].service_median_min < 3.01);
	assert_true(s[1].wait_median_min < 0);      /* no data for B */
	assert_int_equal(store_stats(st, "2026-02-30", s, STORE_MAX_SERVICES, &n,
	    &err), K_EINVAL);
	store_close(st);
}

static void
test_store_queue_and_board_show_today(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct store_summary sum[STORE_MAX_SERVICES];
	struct store_call calls[6];
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0), id;
	size_t n;

	(void)state;
	issue(st, 'A', "p", 0, NULL, now, NULL);
	issue(st, 'A', "p", 0, NULL, now + MIN, NULL);
	assert_int_equal(store_call_next(st, 2, NULL, now + 2 * MIN, &t, &err),
	    K_OK);
	id = t.id;
	store_ticket_clear(&t);
	assert_int_equal(store_recall(st, id, NULL, now + 3 * MIN, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_queue(st, now + 12 * MIN, sum, STORE_MAX_SERVICES,
	    &n, &err), K_OK);
	assert_int_equal(sum[0].waiting, 1);
	assert_int_equal(sum[0].oldest_wait_min, 11);
	assert_int_equal(sum[0].nserving, 1);
	assert_string_equal(sum[0].serving[0].number, "A-001");
	assert_int_equal(sum[0].serving[0].counter, 2);
	assert_int_equal(store_board(st, now + 12 * MIN, calls, 6, &n, &err),
	    K_OK);
	assert_int_equal(n, 1);                 /* one ticket, called twice */
	assert_int_equal(calls[0].at_ms, now + 3 * MIN);
	store_close(st);
}

struct bad_services { const char *spec; const char *needle; };

static void
test_store_parse_services_rejects_bad_lines(void **state)
{
	static const struct bad_services rows[] = {
		{ "", "no service" },
		{ "A:x", "LETTER:NAME:COUNTERS" },
		{ "a:x:1", "one letter" },
		{ "AB:x:1", "one letter" },
		{ "A::1", "name" },
		{ "A:x:", "no counters" },
		{ "A:x:1,", "separated" },
		{ "A:x:1;;B:y:2", "empty entry" },
		{ "A:x:1;A:y:2", "twice" },
		{ "A:x:0", "1 to 999" },
		{ "A:x:1a", "separated" },
	};
	struct store_service sv[STORE_MAX_SERVICES];
	struct kerr err;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		err.msg[0] = '\0';
		assert_int_equal(store_parse_services(rows[i].spec, sv,
		    STORE_MAX_SERVICES, &n, &err), K_EPARSE);
		if (strstr(err.msg, rows[i].needle) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", rows[i].spec,
			    err.msg, rows[i].needle);
	}
	assert_int_equal(store_parse_services("A:住民票:1,2;E:相談:7", sv,
	    STORE_MAX_SERVICES, &n, &err), K_OK);
	assert_int_equal(n, 2);
	assert_string_equal(sv[0].name, "住民票");
	assert_int_equal(sv[0].ncounters, 2);
	assert_int_equal(sv[1].counters[0], 7);
}

static void
test_store_parse_day_accepts_only_real_dates(void **state)
{
	static const char *const bad[] = { "2026-13-01", "2026-02-29",
	    "2026-1-01", "20261128", "2026-11-28x", "", "abcd-ef-gh" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(store_parse_day(bad[i], NULL), K_EINVAL);
	assert_int_equal(store_parse_day("2028-02-29", NULL), K_OK);
}

/* Ten counters call at once from a shared file store: each ticket once. */
struct caller {
	struct store *st;
	int counter;
	int64_t ids[1000];
	int n;
};

static void *
caller_main(void *arg)
{
	struct caller *c = arg;
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0);

	/* a counter finishes its ticket before it calls the next one */
	while (store_call_next(c->st, c->counter, NULL, now, &t, &err) == K_OK) {
		c->ids[c->n++] = t.id;
		store_ticket_clear(&t);
		if (store_done(c->st, c->ids[c->n - 1], NULL, now, &t, &err) !=
		    K_OK)
			break;
		store_ticket_clear(&t);
	}
	return NULL;
}

static void
test_store_ten_counters_never_get_the_same_ticket(void **state)
{
	struct store_config cfg = { .services = "A:a:1,2,3,4,5,6,7,8,9,10",
	    .noshow_after_recalls = 3, .estimate_samples = 10 };
	static struct caller callers[10];
	char path[64], seen[401];
	struct store *st;
	struct kerr err;
	pthread_t th[10];
	int i, j, total = 0;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test-store-%d.db", (int)getpid());
	unlink(path);
	assert_int_equal(store_open(&st, path, &cfg, &err), K_OK);
	for (i = 0; i < 400; i++)
		issue(st, 'A', "p", 0, NULL, now + i, NULL);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 10; i++) {
		callers[i].st = st;
		callers[i].counter = i + 1;
		callers[i].n = 0;
		pthread_create(&th[i], NULL, caller_main, &callers[i]);
	}
	for (i = 0; i < 10; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 10; i++)
		for (j = 0; j < callers[i].n; j++) {
			int64_t id = callers[i].ids[j];
			assert_true(id >= 1 && id <= 400);
			assert_int_equal(seen[id], 0);
			seen[id] = 1;
			total++;
		}
	assert_int_equal(total, 400);
	store_close(st);
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	strcat(path, "-shm");
	unlink(path);
}

static void
test_store_reopens_a_file_and_continues_numbering(void **state)
{
	char path[64];
	struct store *st;
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test-store-re-%d.db", (int)getpid());
	unlink(path);
	assert_int_equal(store_open(&st, path, NULL, &err), K_OK);
	issue(st, 'C', "p", 0, NULL, now, NULL);
	store_close(st);
	assert_int_equal(store_open(&st, path, NULL, &err), K_OK);
	issue(st, 'C', "p", 0, NULL, now + 1, &t);
	assert_string_equal(t.number, "C-002");
	store_close(st);
	assert_int_equal(store_open(&st, "/nonexistent/dir/x.db", NULL, &err),
	    K_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/dir/x.db"));
	unlink(path);
}

/* Does any file of the folder dir hold needle?  (names the file) */
static const char *
in_files(const char *dir, const char *needle)
{
	static char hit[300];
	const char *ext[] = { "", "-wal", "-shm", "-journal" };
	size_t i, n = strlen(needle);

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		char path[256], *data;
		FILE *fp;
		long len;

		snprintf(path, sizeof(path), "%s/k.db%s", dir, ext[i]);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		data = malloc((size_t)len + 1);
		assert_non_null(data);
		len = (long)fread(data, 1, (size_t)len, fp);
		fclose(fp);
		if (len > 0 && memmem(data, (size_t)len, needle, n) != NULL) {
			snprintf(hit, sizeof(hit), "%s", path);
			free(data);
			return hit;
		}
		free(data);
	}
	return NULL;
}

/* Poll up to a second for needle to leave every file. */
static const char *
gone_within_1s(const char *dir, const char *needle)
{
	const char *hit = NULL;
	int i;

	for (i = 0; i < 20; i++) {
		if ((hit = in_files(dir, needle)) == NULL)
			return NULL;
		usleep(50000);
	}
	return hit;
}

static void
test_store_end_of_day_purge_leaves_no_byte_in_the_files(void **state)
{
	char dir[64];
	struct store *st;
	struct store_ticket t;
	struct kerr err;
	int64_t day1 = jst(2026, 11, 27, 15, 0, 0);
	const char *hit;
	int64_t a, b;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-store-purge-%d", (int)getpid());
	mkdir(dir, 0700);
	{
		char path[96];
		snprintf(path, sizeof(path), "%s/k.db", dir);
		assert_int_equal(store_open(&st, path, NULL, &err), K_OK);
	}
	/* let the start-up truncation finish: the one measured is the
	 * purge's own */
	usleep(300000);
	a = issue(st, 'A', "juminhyo", 0, "{\"name\":\"消去日末甲\"}", day1,
	    NULL);
	b = issue(st, 'A', "juminhyo", 0, "{\"name\":\"消去日末乙\"}", day1 + 1,
	    NULL);
	assert_int_equal(store_transfer(st, b, 'B', "日末メモ秘密", "s", day1 + 2,
	    &t, &err), K_OK);
	store_ticket_clear(&t);
	(void)a;
	/* the controls: the data is in the files while the day runs */
	assert_non_null(in_files(dir, "消去日末甲"));
	assert_non_null(in_files(dir, "日末メモ秘密"));
	/* the next morning's housekeeping purge */
	assert_int_equal(store_purge_personal(st, jst(2026, 11, 28, 0, 1, 0),
	    &err), K_OK);
	hit = gone_within_1s(dir, "消去日末甲");
	if (hit)
		fail_msg("the purged application is still in %s", hit);
	hit = gone_within_1s(dir, "消去日末乙");
	if (hit)
		fail_msg("the purged application is still in %s", hit);
	hit = gone_within_1s(dir, "日末メモ秘密");
	if (hit)
		fail_msg("the purged transfer note is still in %s", hit);
	assert_int_equal(store_get(st, b, true, &t, &err), K_OK);
	assert_string_equal(t.note, "");
	store_ticket_clear(&t);
	store_close(st);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* A ticket of service A with an application, brought to state s. */
static int64_t
ticket_in(struct store *st, enum store_state s, int64_t now)
{
	struct store_ticket t;
	struct kerr err;
	char number[16];
	int64_t id;

	id = issue(st, 'A', "p", 0, "{\"answers\":{}}", now, &t);
	snprintf(number, sizeof(number), "%s", t.number);
	if (s == ST_WAITING)
		return id;
	assert_int_equal(store_call_number(st, 1, number, NULL, now, &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	if (s == ST_NO_SHOW) {
		assert_int_equal(store_no_show(st, id, NULL, now, &t, &err), K_OK);
		store_ticket_clear(&t);
	}
	if (s == ST_SERVING || s == ST_DONE) {
		assert_int_equal(store_start(st, id, NULL, now, &t, &err), K_OK);
		store_ticket_clear(&t);
	}
	if (s == ST_DONE) {
		assert_int_equal(store_done(st, id, NULL, now, &t, &err), K_OK);
		store_ticket_clear(&t);
	}
	return id;
}

/* Every step from every state does what its row in store_steps says: it
 * runs only from the states it lists, ends in its state, and drops the
 * application exactly when the row says so. */
static void
test_store_steps_follow_their_table(void **state)
{
	struct store *st = open_mem(NULL, 0);
	struct store_step_arg arg = { .counter = 1, .service = 'B',
	    .note = "n", .staff = "s1" };
	struct store_ticket t, g;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 10, 0, 0), id;
	int k, s, rc;

	(void)state;
	for (k = 0; k < STORE_NSTEPS; k++) {
		const struct store_step *sp = &store_steps[k];

		assert_non_null(sp->event);
		assert_non_null(sp->sql);
		for (s = ST_WAITING; s <= ST_NO_SHOW; s++) {
			id = ticket_in(st, (enum store_state)s, now);
			rc = store_step(st, (enum store_step_kind)k, id, &arg,
			    now + MIN, &t, &err);
			if (!(sp->from & (1u << s))) {
				if (rc != K_EBUSY)
					fail_msg("step %s from %s: %d, want K_EBUSY",
					    sp->event, store_state_name(
					    (enum store_state)s), rc);
				assert_non_null(strstr(err.msg, sp->what));
				continue;
			}
			if (rc != K_OK)
				fail_msg("step %s from %s: %s", sp->event,
				    store_state_name((enum store_state)s), err.msg);
			assert_int_equal(t.state, sp->to);
			store_ticket_clear(&t);
			assert_int_equal(store_get(st, id, true, &g, &err), K_OK);
			if (sp->drops_application)
				assert_null(g.application);
			else
				assert_non_null(g.application);
			if (sp->to_service)
				assert_int_equal(g.service, 'B');
			if (sp->at_counter)
				assert_int_equal(g.counter, 1);
			store_ticket_clear(&g);
		}
	}
	/* a step names a service or counter that exists */
	id = ticket_in(st, ST_CALLED, now);
	arg.service = 'Z';
	assert_int_equal(store_step(st, STORE_STEP_TRANSFER, id, &arg, now, &t,
	    &err), K_ENOTFOUND);
	arg.counter = 999;
	assert_int_equal(store_step(st, STORE_STEP_CALL, id, &arg, now, &t,
	    &err), K_EINVAL);
	assert_int_equal(store_step(st, STORE_NSTEPS, id, &arg, now, &t, &err),
	    K_EINVAL);
	store_close(st);
}

/* The issue, call and status paths: every statement (and trigger body)
 * searches an index; none scans a table or sorts, so a ticket costs the
 * same whether the day holds ten tickets or ten thousand. */
struct plans {
	int n;
	char bad[2048];
};

static void
plan_line(const char *name, const char *plan, void *arg)
{
	struct plans *p = arg;
	size_t len = strlen(p->bad);

	p->n++;
	if (getenv("SHOW_PLANS"))
		printf("%-28s %s\n", name, plan);
	/* count(DISTINCT counter) of the tickets at a counter now: a few */
	if ((strncmp(plan, "SCAN ", 5) == 0 &&
	    strcmp(plan, "SCAN CONSTANT ROW") != 0) ||
	    (strstr(plan, "TEMP B-TREE") != NULL &&
	    strcmp(plan, "USE TEMP B-TREE FOR count(DISTINCT)") != 0))
		snprintf(p->bad + len, sizeof(p->bad) - len, "\n  %s: %s", name,
		    plan);
}

static void
test_store_hot_paths_search_indexes(void **state)
{
	struct store *st = open_mem(NULL, 3);
	struct plans p;
	struct kerr err;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_query_plans(st, plan_line, &p, &err), K_OK);
	assert_true(p.n >= 20);
	if (p.bad[0] != '\0')
		fail_msg("statements that scan or sort:%s", p.bad);
	store_close(st);
}

/* people ahead of t, counted the slow way from every ticket of the day */
static int
ahead_by_hand(struct store *st, const struct store_ticket *t, int64_t last)
{
	struct store_ticket o;
	struct kerr err;
	int64_t id;
	int n = 0, mine = (t->flags & STORE_F_PRIORITY) != 0, theirs;

	for (id = 1; id <= last; id++) {
		assert_int_equal(store_get(st, id, false, &o, &err), K_OK);
		theirs = (o.flags & STORE_F_PRIORITY) != 0;
		if (o.id != t->id && o.state == ST_WAITING &&
		    o.service == t->service && (theirs > mine ||
		    (theirs == mine && (o.issued_ms < t->issued_ms ||
		    (o.issued_ms == t->issued_ms && o.id < t->id)))))
			n++;
	}
	return n;
}

/* The counts kept by triggers give the same "ahead" as counting every
 * ticket, after issues (priority or not, some at the same millisecond or
 * out of clock order), calls, transfers both ways, no-shows and done. */
static void
test_store_ahead_matches_a_full_count(void **state)
{
	struct store *st = open_mem("A:a:1,2;B:b:3", 0);
	struct store_ticket t, s2;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0), last = 0, id;
	unsigned seed = 7;
	int i, op;

	(void)state;
	for (i = 0; i < 400; i++) {
		seed = seed * 1103515245u + 12345u;
		op = (int)((seed >> 16) % 10);
		if (op < 6 || last == 0) {
			int64_t at = now + i * 1000 - (op == 5 ? 30000 : 0);
			last = issue(st, op == 4 ? 'B' : 'A', "p",
			    op == 3 ? STORE_F_PRIORITY : 0, NULL, at, &t);
			if (t.ahead != ahead_by_hand(st, &t, last))
				fail_msg("issue %s: ahead %d, by hand %d",
				    t.number, t.ahead, ahead_by_hand(st, &t, last));
			continue;
		}
		id = 1 + (int64_t)((seed >> 8) % (unsigned)last);
		if (op == 6 && store_call_next(st, (seed & 1) ? 1 : 3, NULL,
		    now + i * 1000, &t, &err) == K_OK)
			store_ticket_clear(&t);
		if (op == 7 && store_transfer(st, id, (seed & 2) ? 'A' : 'B',
		    NULL, NULL, now + i * 1000, &t, &err) == K_OK)
			store_ticket_clear(&t);
		if (op == 8 && store_done(st, id, NULL, now + i * 1000, &t,
		    &err) == K_OK)
			store_ticket_clear(&t);
		if (op == 9 && store_no_show(st, id, NULL, now + i * 1000, &t,
		    &err) == K_OK)
			store_ticket_clear(&t);
	}
	for (id = 1; id <= last; id++) {
		assert_int_equal(store_get(st, id, false, &t, &err), K_OK);
		if (t.state != ST_WAITING)
			continue;
		assert_int_equal(store_status(st, t.token, now + 500 * 1000, &s2,
		    &err), K_OK);
		if (s2.ahead != ahead_by_hand(st, &t, last))
			fail_msg("status %s: ahead %d, by hand %d", t.number,
			    s2.ahead, ahead_by_hand(st, &t, last));
	}
	store_close(st);
}

struct issuer {
	struct store *st;
	int n;
	int seqs[100];
};

static void *
issuer_main(void *arg)
{
	struct issuer *c = arg;
	struct store_issue_req r = { "p", 'A', 5, "ja", "k", 0, "{}", NULL,
	    NULL, NULL, NULL };
	struct store_ticket t;
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);
	int i;

	for (i = 0; i < 100; i++) {
		assert_int_equal(store_issue(c->st, &r, now + i, &t, &err), K_OK);
		c->seqs[c->n++] = t.seq;
	}
	return NULL;
}

static void
unlink_db(char *path)
{
	size_t n = strlen(path);

	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[n] = '\0';
	strcat(path, "-shm");
	unlink(path);
	path[n] = '\0';
}

/* Sixteen kiosks issuing at once on a file: the numbers are 1..1600 each
 * once, and the tickets share commits (fewer commits than tickets). */
static void
test_store_concurrent_issues_share_commits(void **state)
{
	static struct issuer issuers[16];
	struct store *st;
	struct kerr err;
	pthread_t th[16];
	char path[64], seen[1601];
	uint64_t changes, commits;
	int i, j;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test-store-gc-%d.db", (int)getpid());
	unlink_db(path);
	assert_int_equal(store_open(&st, path, NULL, &err), K_OK);
	for (i = 0; i < 16; i++) {
		issuers[i].st = st;
		issuers[i].n = 0;
		pthread_create(&th[i], NULL, issuer_main, &issuers[i]);
	}
	for (i = 0; i < 16; i++)
		pthread_join(th[i], NULL);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 16; i++)
		for (j = 0; j < issuers[i].n; j++) {
			int seq = issuers[i].seqs[j];
			assert_true(seq >= 1 && seq <= 1600);
			assert_int_equal(seen[seq], 0);
			seen[seq] = 1;
		}
	store_write_stats(st, &changes, &commits);
	assert_int_equal(changes, 1600);
	if (commits >= changes)
		fail_msg("%d changes took %d commits", (int)changes, (int)commits);
	store_close(st);
	unlink_db(path);
}

/* A kiosk that queues its issue and waits for the callback
 * (store_issue_start), and sends a change that fails in between. */
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool done;
	int rc;
};

static void
issue_done(void *arg, int rc, const struct kerr *err)
{
	struct waiter *w = arg;

	(void)err;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	w->rc = rc;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

static void *
mixed_main(void *arg)
{
	struct issuer *c = arg;
	struct store_issue_req r = { "p", 'A', 5, "ja", "k", 0, "{}", NULL,
	    NULL, NULL, NULL };
	struct store_ticket t;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, false, 0 };
	struct kerr err;
	int64_t now = jst(2026, 11, 28, 9, 0, 0);
	int i;

	for (i = 0; i < 100; i++) {
		if (i % 2) {
			w.done = false;
			assert_int_equal(store_issue_start(c->st, &r, now + i, &t,
			    issue_done, &w, &err), K_OK);
			pthread_mutex_lock(&w.mu);
			while (!w.done)
				pthread_cond_wait(&w.cond, &w.mu);
			pthread_mutex_unlock(&w.mu);
			assert_int_equal(w.rc, K_OK);
		} else {
			assert_int_equal(store_issue(c->st, &r, now + i, &t, &err),
			    K_OK);
		}
		c->seqs[c->n++] = t.seq;
		store_ticket_clear(&t);
		/* no such ticket: this change fails inside a shared commit */
		assert_int_equal(store_mark_printed(c->st, 999999, true, now + i,
		    &err), K_ENOTFOUND);
	}
	return NULL;
}

/* Waiting and queued issues and failing changes from eight kiosks at once:
 * a failed change undoes itself only, every issue is answered once with
 * its own number, and they share commits. */
static void
test_store_failed_changes_undo_only_themselves_in_a_shared_commit(
    void **state)
{
	static struct issuer issuers[8];
	struct store *st;
	struct store_ticket t;
	struct kerr err;
	pthread_t th[8];
	char path[64], seen[801];
	uint64_t changes, commits;
	int i, j;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test-store-mix-%d.db", (int)getpid());
	unlink_db(path);
	assert_int_equal(store_open(&st, path, NULL, &err), K_OK);
	for (i = 0; i < 8; i++) {
		issuers[i].st = st;
		issuers[i].n = 0;
		pthread_create(&th[i], NULL, mixed_main, &issuers[i]);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 8; i++)
		for (j = 0; j < issuers[i].n; j++) {
			int seq = issuers[i].seqs[j];
			assert_true(seq >= 1 && seq <= 800);
			assert_int_equal(seen[seq], 0);
			seen[seq] = 1;
		}
	/* the 800th is stored, and no 801st */
	assert_int_equal(store_get_number(st, "A-800", jst(2026, 11, 28, 9, 1,
	    0), &t, &err), K_OK);
	store_ticket_clear(&t);
	assert_int_equal(store_get_number(st, "A-801", jst(2026, 11, 28, 9, 1,
	    0), &t, &err), K_ENOTFOUND);
	store_write_stats(st, &changes, &commits);
	assert_int_equal(changes, 1600);
	if (commits >= 800)
		fail_msg("800 issues and 800 failed changes took %d commits",
		    (int)commits);
	store_close(st);
	unlink_db(path);
}

/* The work of one issue, one status look-up (of a ticket with 10 ahead)
 * and one call, as store_work() counts it. */
struct work {
	uint64_t issue, status, call;
};

static struct work
measure(struct store *st, int64_t at)
{
	struct store_ticket t, s2;
	struct kerr err;
	struct work w;

	store_work(st);
	issue(st, 'A', "p", 0, NULL, at, &t);
	w.issue = store_work(st);
	assert_int_equal(store_status(st, t.token, at, &s2, &err), K_OK);
	assert_int_equal(s2.ahead, 10);
	w.status = store_work(st);
	assert_int_equal(store_call_next(st, 1, NULL, at, &s2, &err), K_OK);
	store_ticket_clear(&s2);
	w.call = store_work(st);
	return w;
}

/* n tickets issued and served from now on, one a second. */
static void
serve(struct store *st, int n, int64_t now)
{
	struct store_ticket t;
	struct kerr err;
	int i;

	for (i = 0; i < n; i++) {
		issue(st, 'A', "p", 0, NULL, now + i * 1000, NULL);
		assert_int_equal(store_call_next(st, 2, NULL, now + i * 1000, &t,
		    &err), K_OK);
		store_ticket_clear(&t);
		assert_int_equal(store_done(st, t.id, NULL, now + i * 1000 + 500,
		    &t, &err), K_OK);
		store_ticket_clear(&t);
	}
}

static void
check_flat(const char *what, uint64_t early, uint64_t late)
{
	if (late > early + early / 2 + 50)
		fail_msg("%s: %d steps early in the day, %d later", what,
		    (int)early, (int)late);
}

/* A ticket costs the same work at the start of a day and after thousands
 * of tickets were served within the hour, or while thousands wait: no
 * query of the issue, call or status path grows with the day. */
static void
test_store_a_ticket_costs_the_same_all_day(void **state)
{
	struct store *st = open_mem("A:a:1,2;B:b:3", 3);
	int64_t now = jst(2026, 11, 28, 9, 0, 0);
	struct work early, served, queued;
	int i;

	(void)state;
	serve(st, 20, now);
	for (i = 0; i < 10; i++)
		issue(st, 'A', "p", 0, NULL, now + 30000 + i, NULL);
	early = measure(st, now + 40000);
	/* 4000 more served within the hour */
	serve(st, 4000, now + 50000);
	served = measure(st, now + 50000 + 4000 * 1000);
	/* 3000 more waiting for another service */
	for (i = 0; i < 3000; i++)
		issue(st, 'B', "p", 0, NULL, now + 50000 + 4000 * 1000 + i, NULL);
	queued = measure(st, now + 70000 + 4000 * 1000);
	check_flat("issue after 4000 served", early.issue, served.issue);
	check_flat("status after 4000 served", early.status, served.status);
	check_flat("call after 4000 served", early.call, served.call);
	check_flat("issue with 3000 waiting", early.issue, queued.issue);
	check_flat("status with 3000 waiting", early.status, queued.status);
	check_flat("call with 3000 waiting", early.call, queued.call);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_numbers_count_up_per_service_from_one),
		cmocka_unit_test(test_store_numbers_restart_at_tokyo_midnight),
		cmocka_unit_test(test_store_a_repeated_request_id_returns_the_same_ticket),
		cmocka_unit_test(test_store_issue_takes_the_kiosk_mark_in_its_commit),
		cmocka_unit_test(test_store_estimate_counts_each_busy_counter_once),
		cmocka_unit_test(test_store_issue_keeps_the_wait_it_answered),
		cmocka_unit_test(test_store_service_day_ignores_the_machine_time_zone),
		cmocka_unit_test(test_store_call_next_prefers_priority_then_issue_time),
		cmocka_unit_test(test_store_call_next_skips_yesterdays_tickets),
		cmocka_unit_test(test_store_no_show_needs_the_configured_recalls),
		cmocka_unit_test(test_store_done_deletes_the_application),
		cmocka_unit_test(test_store_steps_follow_their_table),
		cmocka_unit_test(test_store_transfer_keeps_number_and_issue_time),
		cmocka_unit_test(test_store_call_number_out_of_order),
		cmocka_unit_test(test_store_estimate_uses_defaults_then_observed_median),
		cmocka_unit_test(test_store_applications_are_purged_on_a_new_day),
		cmocka_unit_test(test_store_purge_at_midnight_needs_no_other_change),
		cmocka_unit_test(test_store_stats_gives_median_and_p90),
		cmocka_unit_test(test_store_queue_and_board_show_today),
		cmocka_unit_test(test_store_parse_services_rejects_bad_lines),
		cmocka_unit_test(test_store_parse_day_accepts_only_real_dates),
		cmocka_unit_test(test_store_ten_counters_never_get_the_same_ticket),
		cmocka_unit_test(test_store_reopens_a_file_and_continues_numbering),
		cmocka_unit_test(test_store_end_of_day_purge_leaves_no_byte_in_the_files),
		cmocka_unit_test(test_store_hot_paths_search_indexes),
		cmocka_unit_test(test_store_a_ticket_costs_the_same_all_day),
		cmocka_unit_test(test_store_ahead_matches_a_full_count),
		cmocka_unit_test(test_store_concurrent_issues_share_commits),
		cmocka_unit_test(test_store_failed_changes_undo_only_themselves_in_a_shared_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
