/*
 * test_appt.c - appointments mixed with walk-ins on a fake clock: the call
 * order against schedules (table tests), early, due, late, no-show, the
 * run limit shared with priority, an empty queue; the check-in's refusals,
 * the closed counter's alert, the import (all or nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define DAY "2026-12-03"

/* Milliseconds of "HH:MM" (or "HH:MM:SS") on DAY in Asia/Tokyo. */
static int64_t
at(const char *hhmm)
{
	struct tm tm;
	int h = 0, m = 0, s = 0;

	assert_true(sscanf(hhmm, "%d:%d:%d", &h, &m, &s) >= 2);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 11;
	tm.tm_mday = 3;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = s;
	return ((int64_t)timegm(&tm) - 9 * 3600) * 1000;
}

static struct store *
open_mem(int priority_run)
{
	/* counter 1 serves A and B, counter 2 only B, counter 3 only A */
	struct store_config cfg = { .services = "A:a:1,3;B:b:1,2",
	    .noshow_after_recalls = 1, .estimate_samples = 10,
	    .max_called_per_counter = 100, .priority_run = priority_run };
	struct store *st;
	struct kerr err;

	assert_int_equal(store_open(&st, ":memory:", &cfg, &err), K_OK);
	return st;
}

/*
 * A schedule: at a time, one of
 *   book  "CODE HH:MM S proc"   an appointment (staff)
 *   walk  "S"                   a walk-in of service S; want its number
 *   prio  "S"                   a priority walk-in
 *   in    "CODE proc"           check-in; want "B-003 early"
 *   call  "COUNTER"             call next; want the number ("" nobody)
 *   sweep ""                    the no-show sweep; want the codes marked
 */
enum op { BOOK, WALK, PRIO, IN, CALL, SWEEP };
struct step {
	const char *at;
	enum op op;
	const char *arg;
	const char *want;
};
struct schedule {
	const char *name;
	int priority_run;
	struct step steps[24];
};

static const struct schedule schedules[] = {
	{ "a due appointment goes before the walk-ins, by its slot", 0, {
		{ "09:00", BOOK, "11111111 10:30 B tennyu", NULL },
		{ "09:00", BOOK, "22222222 10:25 B tennyu", NULL },
		{ "09:50", WALK, "B", "B-001" },
		{ "09:55", WALK, "B", "B-002" },
		{ "10:12", IN, "11111111 tennyu", "B-003 early" },
		{ "10:14", IN, "22222222 tennyu", "B-004 early" },
		/* 10:25 - 10 min: the 10:25 slot is due from 10:15 */
		{ "10:14:30", CALL, "2", "B-001" },
		{ "10:16", CALL, "2", "B-004" },
		/* the 10:30 slot is due from 10:20: not yet */
		{ "10:17", CALL, "2", "B-002" },
		{ "10:18", WALK, "B", "B-005" },
		{ "10:19", CALL, "2", "B-005" },
		{ "10:20", CALL, "2", "B-003" },
		{ "10:21", CALL, "2", "" },
	} },
	{ "an early appointment waits, but a counter is never idle", 0, {
		{ "09:00", BOOK, "33333333 11:00 B tennyu", NULL },
		{ "10:00", IN, "33333333 tennyu", "B-001 early" },
		{ "10:01", WALK, "B", "B-002" },
		{ "10:02", CALL, "2", "B-002" },
		/* nobody else waits for counter 2: the early one */
		{ "10:03", CALL, "2", "B-001" },
		{ "10:04", CALL, "2", "" },
	} },
	{ "a late arrival is placed like a walk-in, by its issue time", 0, {
		{ "09:00", BOOK, "44444444 10:30 B tennyu", NULL },
		{ "10:40", WALK, "B", "B-001" },
		/* 10:30 + 15 min passed: late */
		{ "10:46", IN, "44444444 tennyu", "B-002 late" },
		{ "10:47", WALK, "B", "B-003" },
		{ "10:48", CALL, "2", "B-001" },
		{ "10:49", CALL, "2", "B-002" },
		{ "10:50", CALL, "2", "B-003" },
	} },
	{ "the window's edges: due at slot - 10, on time until slot + 15",
	    0, {
		{ "09:00", BOOK, "55555555 10:30 B tennyu", NULL },
		{ "09:00", BOOK, "55555556 10:30 B tennyu", NULL },
		{ "09:00", WALK, "B", "B-001" },
		{ "10:19:59", IN, "55555555 tennyu", "B-002 early" },
		{ "10:19:59", CALL, "2", "B-001" },
		{ "10:20", WALK, "B", "B-003" },
		{ "10:20", CALL, "2", "B-002" },
		{ "10:45", IN, "55555556 tennyu", "B-004 on_time" },
		{ "10:45", CALL, "2", "B-004" },
		{ "10:45", CALL, "2", "B-003" },
	} },
	{ "appointments count in the run: walk-ins are not starved", 2, {
		{ "09:00", BOOK, "60000001 10:00 B tennyu", NULL },
		{ "09:00", BOOK, "60000002 10:05 B tennyu", NULL },
		{ "09:00", BOOK, "60000003 10:10 B tennyu", NULL },
		{ "09:40", WALK, "B", "B-001" },
		{ "09:41", WALK, "B", "B-002" },
		{ "09:55", IN, "60000001 tennyu", "B-003 on_time" },
		{ "09:56", IN, "60000002 tennyu", "B-004 on_time" },
		{ "09:57", IN, "60000003 tennyu", "B-005 early" },
		{ "10:11", CALL, "2", "B-003" },
		{ "10:12", CALL, "2", "B-004" },
		/* two out of order in a row: one by issue time */
		{ "10:13", CALL, "2", "B-001" },
		{ "10:14", CALL, "2", "B-005" },
		{ "10:15", CALL, "2", "B-002" },
	} },
	{ "priority first, then due appointments, one run for both", 2, {
		{ "09:00", BOOK, "70000001 09:20 B tennyu", NULL },
		{ "09:00", WALK, "B", "B-001" },
		{ "09:10", PRIO, "B", "B-002" },
		{ "09:15", IN, "70000001 tennyu", "B-003 on_time" },
		{ "09:16", PRIO, "B", "B-004" },
		{ "09:20", CALL, "2", "B-002" },
		{ "09:21", CALL, "2", "B-004" },
		/* the run is full: by issue time, the appointment waits */
		{ "09:22", CALL, "2", "B-001" },
		{ "09:23", CALL, "2", "B-003" },
		{ "09:24", CALL, "2", "" },
	} },
	{ "a counter of two services takes the earliest due slot", 0, {
		{ "09:00", BOOK, "80000001 10:10 A juminhyo", NULL },
		{ "09:00", BOOK, "80000002 10:05 B tennyu", NULL },
		{ "09:30", WALK, "A", "A-001" },
		{ "10:00", IN, "80000001 juminhyo", "A-002 on_time" },
		{ "10:01", IN, "80000002 tennyu", "B-001 on_time" },
		{ "10:02", CALL, "1", "B-001" },
		{ "10:03", CALL, "1", "A-002" },
		{ "10:04", CALL, "1", "A-001" },
		/* counter 3 serves only A: nobody */
		{ "10:05", CALL, "3", "" },
	} },
	{ "no-show: booked and its window passed, a late check-in after", 0, {
		{ "09:00", BOOK, "90000001 10:00 B tennyu", NULL },
		{ "09:00", BOOK, "90000002 10:30 B tennyu", NULL },
		{ "10:15", SWEEP, "", "" },
		{ "10:15:01", SWEEP, "", "90000001" },
		{ "10:16", SWEEP, "", "" },
		{ "10:20", WALK, "B", "B-001" },
		{ "10:25", IN, "90000001 tennyu", "B-002 late" },
		{ "10:26", CALL, "2", "B-001" },
		{ "10:27", CALL, "2", "B-002" },
		{ "10:46", SWEEP, "", "90000002" },
	} },
	{ "an empty queue", 0, {
		{ "08:30", CALL, "1", "" },
		{ "08:30", CALL, "2", "" },
		{ "08:31", SWEEP, "", "" },
	} },
};

static void
run_schedule(const struct schedule *sc)
{
	struct store *st = open_mem(sc->priority_run);
	const struct step *p;
	char what[200];
	struct kerr err;

	for (p = sc->steps; p->at != NULL; p++) {
		int64_t now = at(p->at);
		char a[4][32] = { "", "", "", "" }, got[64] = "";
		struct store_ticket t;
		int rc;

		snprintf(what, sizeof(what), "%s: %s op %d %s", sc->name, p->at,
		    (int)p->op, p->arg);
		sscanf(p->arg, "%31s %31s %31s %31s", a[0], a[1], a[2], a[3]);
		memset(&t, 0, sizeof(t));
		switch (p->op) {
		case BOOK: {
			struct store_appt_req r = { DAY, a[1], a[2][0], a[3], a[0],
			    "staff", NULL };
			struct store_appt ap;

			rc = store_appt_add(st, &r, now, &ap, &err);
			if (rc != K_OK)
				fail_msg("%s: %s", what, err.msg);
			continue;
		}
		case WALK:
		case PRIO: {
			struct store_issue_req r = { 0 };

			r.procedure = "p";
			r.service = a[0][0];
			r.default_min = 5;
			r.lang = "ja";
			r.flags = p->op == PRIO ? STORE_F_PRIORITY : 0;
			rc = store_issue(st, &r, now, &t, &err);
			if (rc != K_OK)
				fail_msg("%s: %s", what, err.msg);
			snprintf(got, sizeof(got), "%s", t.number);
			assert_int_equal(t.appt_ms, 0);
			break;
		}
		case IN: {
			struct store_issue_req r = { 0 };

			r.procedure = a[1];
			r.service = strcmp(a[1], "juminhyo") == 0 ? 'A' : 'B';
			r.default_min = 5;
			r.lang = "ja";
			r.appointment = a[0];
			rc = store_issue(st, &r, now, &t, &err);
			if (rc != K_OK)
				fail_msg("%s: %s", what, err.msg);
			snprintf(got, sizeof(got), "%s %s", t.number,
			    t.appt_arrival);
			break;
		}
		case CALL:
			rc = store_call_next(st, atoi(a[0]), NULL, now, &t, &err);
			if (rc == K_OK)
				snprintf(got, sizeof(got), "%s", t.number);
			else if (rc != K_ENOTFOUND)
				fail_msg("%s: %s", what, err.msg);
			break;
		case SWEEP: {
			struct store_appt out[8];
			size_t n = 0, i, off = 0;

			rc = store_appt_sweep(st, now, out, 8, &n, &err);
			if (rc != K_OK)
				fail_msg("%s: %s", what, err.msg);
			for (i = 0; i < n; i++) {
				off += (size_t)snprintf(got + off, sizeof(got) - off,
				    "%s%s", i ? " " : "", out[i].code);
				assert_int_equal(out[i].state, APPT_NO_SHOW);
			}
			break;
		}
		}
		store_ticket_clear(&t);
		if (strcmp(got, p->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", what, got, p->want);
	}
	store_close(st);
}

static void
test_appt_call_order_schedules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++)
		run_schedule(&schedules[i]);
}

static int64_t
book(struct store *st, const char *code, const char *day, const char *time,
    const char *proc, char service)
{
	struct store_appt_req r = { day, time, service, proc, code, "staff",
	    "clerk" };
	struct store_appt ap;
	struct kerr err;

	assert_int_equal(store_appt_add(st, &r, at("08:00"), &ap, &err), K_OK);
	return ap.id;
}

static int
checkin(struct store *st, const char *code, const char *proc,
    const char *rid, int64_t now, struct store_ticket *t, struct kerr *err)
{
	struct store_issue_req r = { 0 };
	int rc;

	r.procedure = proc;
	r.service = 'B';
	r.default_min = 5;
	r.lang = "ja";
	r.kiosk = "kiosk-1";
	r.request_id = rid;
	r.appointment = code;
	rc = store_issue(st, &r, now, t, err);
	store_ticket_clear(t);
	return rc;
}

/* Refusals, the replay, and the appointment's record after a check-in. */
static void
test_appt_checkin_refusals_and_replay(void **state)
{
	struct store *st = open_mem(0);
	struct store_ticket t, t2;
	struct store_appt ap;
	struct kerr err;
	char token[STORE_TOKEN_LEN + 1];

	(void)state;
	book(st, "12345678", DAY, "10:30", "tennyu", 'B');
	book(st, "12345679", "2026-12-04", "10:30", "tennyu", 'B');
	int64_t cancelled = book(st, "12345670", DAY, "11:00", "tennyu", 'B');
	int64_t booked = book(st, "12345677", DAY, "11:00", "tennyu", 'B');
	assert_int_equal(checkin(st, "99999999", "tennyu", NULL, at("10:20"),
	    &t, &err), K_ENOTFOUND);
	assert_int_equal(checkin(st, "12345679", "tennyu", NULL, at("10:20"),
	    &t, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "2026-12-04"));
	assert_int_equal(checkin(st, "12345678", "tenshutsu", NULL, at("10:20"),
	    &t, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "tennyu"));
	assert_int_equal(checkin(st, "1234", "tennyu", NULL, at("10:20"), &t,
	    &err), K_EINVAL);
	assert_int_equal(store_appt_cancel(st, cancelled, "clerk", at("10:00"),
	    &ap, &err), K_OK);
	assert_int_equal(ap.state, APPT_CANCELLED);
	assert_int_equal(store_appt_cancel(st, cancelled, "clerk", at("10:01"),
	    &ap, &err), K_OK);
	assert_true(ap.replayed);
	assert_int_equal(checkin(st, "12345670", "tennyu", NULL, at("10:20"),
	    &t, &err), K_EBUSY);
	/* nothing was issued by the refusals */
	assert_int_equal(checkin(st, "12345678", "tennyu",
	    "0123456789abcdef0123456789abcdef", at("10:20"), &t, &err), K_OK);
	assert_string_equal(t.number, "B-001");
	assert_string_equal(t.appt_time, "10:30");
	assert_string_equal(t.appt_arrival, "on_time");
	/* the kiosk's retry: the same ticket */
	assert_int_equal(checkin(st, "12345678", "tennyu",
	    "0123456789abcdef0123456789abcdef", at("10:21"), &t2, &err), K_OK);
	assert_true(t2.replayed);
	assert_int_equal(t2.id, t.id);
	assert_string_equal(t2.appt_arrival, "on_time");
	assert_int_equal(t2.counter_closed, t.counter_closed);
	/* an early one waits at least until it is due: 11:00 - 10 min */
	assert_int_equal(checkin(st, "12345677", "tennyu", NULL, at("10:20"),
	    &t2, &err), K_OK);
	assert_string_equal(t2.appt_arrival, "early");
	assert_true(t2.wait_min >= 30);
	snprintf(token, sizeof(token), "%s", t2.token);
	assert_int_equal(store_status(st, token, at("10:40"), &t2, &err),
	    K_OK);
	assert_true(t2.wait_min >= 10);
	store_ticket_clear(&t2);
	/* the queue counts the two waiting appointments among B's waiting */
	{
		struct store_summary sum[STORE_MAX_SERVICES];
		size_t n, i;

		assert_int_equal(store_queue(st, at("10:41"), sum, STORE_MAX_SERVICES,
		    &n, &err), K_OK);
		for (i = 0; i < n; i++)
			if (sum[i].letter == 'B') {
				assert_int_equal(sum[i].waiting, 2);
				assert_int_equal(sum[i].appointments, 2);
			}
	}
	/* a second check-in with another request id is refused */
	assert_int_equal(checkin(st, "12345678", "tennyu", NULL, at("10:22"),
	    &t2, &err), K_EBUSY);
	assert_non_null(strstr(err.msg, "B-001"));
	assert_int_equal(store_appt_get(st, "12345678", &ap, &err), K_OK);
	assert_int_equal(ap.state, APPT_CHECKED_IN);
	assert_string_equal(ap.number, "B-001");
	assert_string_equal(ap.arrival, "on_time");
	assert_int_equal(ap.checked_in_ms, at("10:20"));
	/* a checked-in appointment cannot be cancelled */
	assert_int_equal(store_appt_cancel(st, ap.id, "clerk", at("10:30"),
	    &ap, &err), K_EBUSY);
	assert_int_equal(store_appt_cancel(st, 999, "clerk", at("10:30"),
	    &ap, &err), K_ENOTFOUND);
	assert_int_equal(store_appt_get(st, "12345677", &ap, &err), K_OK);
	assert_int_equal(ap.id, booked);
	assert_int_equal(ap.state, APPT_CHECKED_IN);
	/* the status (phone) sees the slot too */
	assert_int_equal(store_status(st, t.token, at("10:23"), &t2, &err),
	    K_OK);
	assert_string_equal(t2.appt_time, "10:30");
	store_close(st);
}

/* No counter of the service open: an alert for staff, the ticket issued. */
static void
test_appt_closed_counter_raises_an_alert(void **state)
{
	struct store *st = open_mem(0);
	struct store_alert al[8];
	struct store_ticket t;
	struct kerr err;
	size_t n;

	(void)state;
	book(st, "20000001", DAY, "10:30", "tennyu", 'B');
	book(st, "20000002", DAY, "10:40", "tennyu", 'B');
	assert_int_equal(checkin(st, "20000001", "tennyu", NULL, at("10:25"),
	    &t, &err), K_OK);
	assert_true(t.counter_closed);
	assert_true(t.alert_id > 0);
	assert_int_equal(store_alerts_open(st, al, 8, &n, &err), K_OK);
	assert_int_equal(n, 1);
	assert_string_equal(al[0].kind, "appointment_closed");
	assert_string_equal(al[0].number, t.number);
	/* counter 2 (service B) calls: it is open now */
	assert_int_equal(store_call_next(st, 2, NULL, at("10:26"), &t, &err),
	    K_OK);
	store_ticket_clear(&t);
	assert_int_equal(checkin(st, "20000002", "tennyu", NULL, at("10:35"),
	    &t, &err), K_OK);
	assert_false(t.counter_closed);
	assert_int_equal(store_alerts_open(st, al, 8, &n, &err), K_OK);
	assert_int_equal(n, 1);
	store_close(st);
}

struct bad_rows {
	int n;
	char text[1024];
};

static void
on_bad(size_t row, const char *field, const char *msg, void *arg)
{
	struct bad_rows *b = arg;
	size_t len = strlen(b->text);

	b->n++;
	snprintf(b->text + len, sizeof(b->text) - len, "[%zu %s] %s\n", row,
	    field, msg);
}

/* All or nothing; a code booked twice only when it is the same booking. */
static void
test_appt_import_is_all_or_nothing(void **state)
{
	struct store *st = open_mem(0);
	struct store_appt_req rows[] = {
		{ DAY, "10:00", 'B', "tennyu", "30000001", "import", NULL },
		{ DAY, "25:00", 'B', "tennyu", "30000002", "import", NULL },
		{ DAY, "10:30", 'Z', "tennyu", "30000003", "import", NULL },
		{ DAY, "10:30", 'B', "tennyu", "12", "import", NULL },
		{ "2026-02-30", "10:30", 'B', "tennyu", "30000004", "import",
		    NULL },
		{ DAY, "11:00", 'B', "tennyu", "30000005", "import", NULL },
		{ DAY, "11:30", 'B', "tennyu", "30000005", "import", NULL },
	};
	struct store_appt *list;
	struct bad_rows b;
	struct kerr err;
	size_t added = 9, n;

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_appt_import(st, rows, 7, false, at("08:00"), on_bad, &b,
	    &added, &err), K_EINVAL);
	assert_int_equal(added, 0);
	assert_int_equal(b.n, 5);
	/* a check only names the same rows */
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_appt_import(st, rows, 7, true, at("08:00"),
	    on_bad, &b, &added, &err), K_EINVAL);
	assert_int_equal(b.n, 5);
	assert_non_null(strstr(b.text, "[1 time]"));
	assert_non_null(strstr(b.text, "[2 service]"));
	assert_non_null(strstr(b.text, "[3 code]"));
	assert_non_null(strstr(b.text, "[4 date]"));
	assert_non_null(strstr(b.text, "[6 code]"));
	assert_int_equal(store_appt_list(st, DAY, &list, &n, &err), K_OK);
	assert_int_equal(n, 0);
	free(list);
	/* the good rows, twice (the second time identical repeats) */
	rows[1] = rows[0];
	rows[2] = rows[0];
	rows[3] = rows[0];
	rows[4] = rows[0];
	rows[6] = rows[5];
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_appt_import(st, rows, 7, true, at("08:00"),
	    on_bad, &b, &added, &err), K_OK);
	assert_int_equal(b.n, 0);
	assert_int_equal(store_appt_list(st, DAY, &list, &n, &err), K_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(store_appt_import(st, rows, 7, false, at("08:00"), on_bad, &b,
	    &added, &err), K_OK);
	assert_int_equal(added, 2);
	assert_int_equal(store_appt_import(st, rows, 7, false, at("08:01"), on_bad, &b,
	    &added, &err), K_OK);
	assert_int_equal(added, 0);
	assert_int_equal(b.n, 0);
	assert_int_equal(store_appt_list(st, DAY, &list, &n, &err), K_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].time, "10:00");
	assert_string_equal(list[0].source, "import");
	assert_string_equal(list[1].code, "30000005");
	assert_int_equal(list[1].state, APPT_BOOKED);
	free(list);
	store_close(st);
}

/* A code made by the store: 8 digits, unique. */
static void
test_appt_made_codes_are_digits(void **state)
{
	struct store *st = open_mem(0);
	struct store_appt_req r = { DAY, "10:00", 'A', "juminhyo", NULL,
	    "staff", NULL };
	struct store_appt a, b;
	struct kerr err;

	(void)state;
	assert_int_equal(store_appt_add(st, &r, at("08:00"), &a, &err), K_OK);
	assert_int_equal(store_appt_add(st, &r, at("08:00"), &b, &err), K_OK);
	assert_true(store_appt_code_ok(a.code));
	assert_int_equal(strlen(a.code), 8);
	assert_string_not_equal(a.code, b.code);
	assert_false(store_appt_code_ok("1234567890123"));
	assert_false(store_appt_code_ok("12345a78"));
	assert_false(store_appt_code_ok("APPT:12345678"));
	store_close(st);
}

/* A visit's done at a step with steps left is stored as its next step; the
 * console's done sent again with the same request id (its answer was
 * lost) is a replay, not "another action", though the ticket is on its
 * last step by then and the retry is a plain done. */
static void
test_appt_visit_done_replays_after_its_next_step(void **state)
{
	struct store *st = open_mem(0);
	struct store_issue_req r = { 0 };
	struct store_step_arg next = { .counter = 2, .service = 'A',
	    .request_id = "done-0123456789abcdef", .step = "juminhyo",
	    .route = "" };
	struct store_step_arg done = { .counter = 3,
	    .request_id = "done-0123456789abcdef" };
	struct store_ticket t;
	struct kerr err;

	(void)state;
	r.procedure = "move_in";
	r.service = 'B';
	r.default_min = 5;
	r.lang = "ja";
	r.step = "tennyu";
	r.route = "juminhyo";
	assert_int_equal(store_issue(st, &r, at("09:00"), &t, &err), K_OK);
	assert_int_equal(store_call_next(st, 2, NULL, at("09:01"), &t, &err),
	    K_OK);
	assert_int_equal(store_step(st, STORE_STEP_NEXT, t.id, &next,
	    at("09:05"), &t, &err), K_OK);
	assert_int_equal(t.state, ST_WAITING);
	assert_int_equal(t.service, 'A');
	store_ticket_clear(&t);
	assert_int_equal(store_step(st, STORE_STEP_DONE, t.id, &done,
	    at("09:05"), &t, &err), K_OK);
	assert_true(t.replayed);
	assert_int_equal(t.state, ST_WAITING);
	store_ticket_clear(&t);
	store_close(st);
}

/* A visit's later step is placed by the visit's issue time (default), or
 * with server.visit_place = step by its arrival at the step: a walk-in
 * issued for that service between the two is called first. */
static void
test_visit_place_by_issue_or_by_step(void **state)
{
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		struct store_config cfg = { .services = "A:a:1,3;B:b:1,2",
		    .noshow_after_recalls = 1, .estimate_samples = 10,
		    .max_called_per_counter = 100, .priority_run = 2,
		    .visit_place_step = mode == 1 };
		struct store_issue_req v = { 0 }, w = { 0 };
		struct store_step_arg next = { .counter = 2, .service = 'A',
		    .step = "juminhyo", .route = "" };
		struct store_ticket visit, walk, t;
		struct store *st;
		struct kerr err;

		assert_int_equal(store_open(&st, ":memory:", &cfg, &err), K_OK);
		v.procedure = "move_in";
		v.service = 'B';
		v.default_min = 5;
		v.lang = "ja";
		v.step = "tennyu";
		v.route = "juminhyo";
		assert_int_equal(store_issue(st, &v, at("09:00"), &visit, &err),
		    K_OK);
		w.procedure = "juminhyo";
		w.service = 'A';
		w.default_min = 5;
		w.lang = "ja";
		assert_int_equal(store_issue(st, &w, at("09:02"), &walk, &err),
		    K_OK);
		assert_int_equal(store_call_next(st, 2, NULL, at("09:03"), &t,
		    &err), K_OK);
		assert_int_equal(t.id, visit.id);
		store_ticket_clear(&t);
		assert_int_equal(store_step(st, STORE_STEP_NEXT, visit.id, &next,
		    at("09:10"), &t, &err), K_OK);
		assert_int_equal(t.service, 'A');
		/* its issue time stays what the evidence reads */
		assert_int_equal(t.issued_ms, at("09:00"));
		assert_int_equal(t.line_ms, mode ? at("09:10") : at("09:00"));
		store_ticket_clear(&t);
		/* counter 3 serves A only */
		assert_int_equal(store_call_next(st, 3, NULL, at("09:11"), &t,
		    &err), K_OK);
		assert_int_equal(t.id, mode ? walk.id : visit.id);
		store_ticket_clear(&t);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appt_call_order_schedules),
		cmocka_unit_test(test_appt_checkin_refusals_and_replay),
		cmocka_unit_test(test_appt_closed_counter_raises_an_alert),
		cmocka_unit_test(test_appt_import_is_all_or_nothing),
		cmocka_unit_test(test_appt_made_codes_are_digits),
		cmocka_unit_test(test_appt_visit_done_replays_after_its_next_step),
		cmocka_unit_test(test_visit_place_by_issue_or_by_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
