/*
 * store_issue.c - the kiosk's side of the queue: the wait estimate, the
 * issue of a ticket and its number, the printed mark, calls for help, and
 * the query plans of the hot statements (for the index test).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "estimate.h"
#include "randid.h"
#include "store_int.h"
#include "xmalloc.h"


/*
 * Wait estimate: the store counts, estimate.c (pure) decides.  Counted
 * here: people ahead of t in its service (priority first, then issue
 * time) and their procedures' minutes; the last N service times observed
 * today for that service with their procedures' minutes; the counters that
 * called for it in the last hour, and those with a ticket called or in
 * service now.  States and flags are parameters (:waiting, :prio, :done).
 *
 * Every query here is bounded whatever the day holds (docs/performance.md):
 * the waiting tickets and minutes per class come from the waiting table;
 * those of its own class ahead of t are counted on the queue index from
 * the front (bounded by the answer) or, for a ticket just issued, from the
 * back (nobody is behind it); service times are the last N on an index;
 * open and busy counters are at most the counters of the service.
 */
static const char sql_waiting[] = "SELECT priority, n, work FROM waiting"
    " WHERE day = :day AND service = :service";
static const char sql_class_before[] = "SELECT count(*),"
    " coalesce(sum(default_min), 0) FROM tickets"
    " WHERE day = :day AND state = :waiting AND service = :service AND"
    " priority = :prio AND line_ms <= :line AND"
    " (line_ms < :line OR id < :id)";
static const char sql_class_after[] = "SELECT count(*),"
    " coalesce(sum(default_min), 0) FROM tickets"
    " WHERE day = :day AND state = :waiting AND service = :service AND"
    " priority = :prio AND line_ms >= :line AND"
    " (line_ms > :line OR id > :id)";
static const char sql_open_counters[] = "SELECT count(*) FROM counter_calls"
    " WHERE service = :service AND at_ms >= :since";
/* The counters of the tickets called or in service, one row each (the
 * distinct ones are counted below): "state IN (...)" and "count(DISTINCT
 * ...)" each built a temporary b-tree per issue, 60 % of the estimate. */
static const char sql_busy_counters[] = "SELECT counter FROM tickets"
    " WHERE day = :day AND state = :called AND service = :service"
    " UNION ALL SELECT counter FROM tickets"
    " WHERE day = :day AND state = :serving AND service = :service";
static const char sql_service_times[] = "SELECT finished_ms - CASE WHEN"
    " started_ms > 0 THEN started_ms ELSE called_ms END, default_min"
    " FROM tickets"
    " WHERE service = :service AND state = :done AND finished_ms >= :since"
    " AND called_ms > 0 ORDER BY finished_ms DESC LIMIT :n";

/* Tickets of t's class before (or after) it, and their minutes. */
static int
count_class(struct store_conn *c, const char *sql, const struct store_ticket *t,
    int *n, int64_t *work, struct kerr *err)
{
	char letter[2] = { t->service, 0 };
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(c, sql, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":day", t->day);
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":waiting", ST_WAITING);
	store_bind_int64(s, ":prio", (t->flags & STORE_F_PRIORITY) != 0);
	store_bind_int64(s, ":line", t->line_ms);
	store_bind_int64(s, ":id", t->id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*n = sqlite3_column_int(s, 0);
		*work = sqlite3_column_int64(s, 1);
	} else {
		rc = store_sqlerr(err, c->db, "queue position");
	}
	store_release(s);
	return rc;
}

int
store_estimate(struct store *st, struct store_conn *c, struct store_ticket *t,
    bool newest, int64_t now_ms, struct kerr *err)
{
	const struct store_service *sv = store_service(st, t->service);
	sqlite3_stmt *s;
	double v[1000], defaults = 0;
	struct est_in in;
	int rc, n[2] = { 0, 0 }, count = 0, k;
	int64_t work[2] = { 0, 0 }, cwork = 0;
	int prio = (t->flags & STORE_F_PRIORITY) != 0;
	char letter[2] = { t->service, 0 };

	t->ahead = 0;
	t->wait_min = 0;
	if (t->state != ST_WAITING)
		return K_OK;
	memset(&in, 0, sizeof(in));
	if ((rc = store_cached(c, sql_waiting, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":day", t->day);
	store_bind_text(s, ":service", letter);
	while (sqlite3_step(s) == SQLITE_ROW) {
		k = sqlite3_column_int(s, 0) != 0;
		n[k] = sqlite3_column_int(s, 1);
		work[k] = sqlite3_column_int64(s, 2);
	}
	store_release(s);
	if (newest) {
		/* being issued, not counted yet: its class less those behind
		 * it (issued later: the clock went back) */
		if ((rc = count_class(c, sql_class_after, t, &count, &cwork,
		    err)) != K_OK)
			return rc;
		count = n[prio] - count;
		cwork = work[prio] - cwork;
	} else if ((rc = count_class(c, sql_class_before, t, &count, &cwork,
	    err)) != K_OK) {
		return rc;
	}
	t->ahead = (prio ? 0 : n[1]) + (count > 0 ? count : 0);
	in.ahead_work_min = (double)((prio ? 0 : work[1]) +
	    (cwork > 0 ? cwork : 0));

	if ((rc = store_cached(c, sql_service_times, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":done", ST_DONE);
	store_bind_int64(s, ":since", store_day_start_ms(now_ms));
	store_bind_int64(s, ":n", st->samples < 1000 ? st->samples : 1000);
	while (sqlite3_step(s) == SQLITE_ROW && in.nrecent < 1000) {
		v[in.nrecent++] = (double)sqlite3_column_int64(s, 0) / 60000.0;
		defaults += sqlite3_column_int(s, 1);
	}
	store_release(s);
	if ((rc = store_cached(c, sql_open_counters, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":since", now_ms - 3600 * 1000);
	if (sqlite3_step(s) == SQLITE_ROW)
		in.open = sqlite3_column_int(s, 0);
	store_release(s);
	if ((rc = store_cached(c, sql_busy_counters, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":day", t->day);
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":called", ST_CALLED);
	store_bind_int64(s, ":serving", ST_SERVING);
	{
		int seen[64], nseen = 0, ctr, i;

		while (sqlite3_step(s) == SQLITE_ROW) {
			ctr = sqlite3_column_int(s, 0);
			for (i = 0; i < nseen && seen[i] != ctr; i++)
				;
			if (i == nseen && nseen < (int)ARRAY_SIZE(seen))
				seen[nseen++] = ctr;
		}
		in.busy = nseen;
	}
	store_release(s);
	in.ahead = t->ahead;
	in.default_min = t->default_min;
	in.counters = sv && sv->ncounters > 0 ? sv->ncounters : 1;
	in.recent = v;
	in.recent_default_mean = in.nrecent > 0 ? defaults / in.nrecent : 0;
	in.min_samples = st->samples;
	t->wait_min = estimate_wait(&in);
	/* a floor (docs/counter-operations.md): a few quick 完了 in a row (a
	 * resident who only asked a question) must not promise "7人 / 約1分".
	 * Each person ahead, beyond the counters free now, counts at least a
	 * third of the procedure's usual minutes and never less than a
	 * minute, shared by the counters open. */
	{
		int nc = in.open > 0 ? (in.open > in.busy ? in.open : in.busy) :
		    in.counters;
		int left = t->ahead - (in.open > 0 ? nc - in.busy : 0);
		double per = t->default_min / 3.0 < 1.0 ? 1.0 :
		    t->default_min / 3.0;
		int floor_min = left > 0 && nc > 0 ? (int)ceil(left * per / nc -
		    1e-9) : 0;

		if (t->wait_min < floor_min)
			t->wait_min = floor_min;
	}
	/* an appointment checked in early is not called before it is due
	 * (docs/visits.md): at least the minutes until then */
	if (t->appt_ms != 0 && strcmp(t->appt_arrival, "late") != 0 &&
	    t->appt_ms - st->appt_before_ms > now_ms) {
		int until = (int)((t->appt_ms - st->appt_before_ms - now_ms +
		    59999) / 60000);

		if (t->wait_min < until)
			t->wait_min = until;
	}
	return K_OK;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank quantile of n values (sorted in place); q in (0, 1]. */
double
store_quantile(double *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	if (q == 0.5 && n % 2 == 0)
		return (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = (size_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static const char sql_by_request[] = "SELECT id FROM tickets"
    " WHERE request_id = ?1";
static const char sql_last_seq[] = "SELECT seq FROM tickets"
    " WHERE day = ?1 AND num_service = ?2 ORDER BY seq DESC LIMIT 1";
static const char sql_insert_ticket[] = "INSERT INTO tickets (day,"
    " num_service, seq, service, state, procedure, lang, kiosk, flags, token,"
    " issued_ms, default_min, request_id, priority, step, route, appt_ms,"
    " appt_order_ms, promised_min, ahead_at_issue, line_ms) VALUES (?1, ?2,"
    " ?3, ?2, ?12, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14, ?15, ?16, ?17,"
    " ?18, ?19, ?9)";
/* staff's mark for this kiosk's next ticket (store_priority_next) */
static const char sql_take_mark[] = "UPDATE kiosks SET priority_next_ms = 0"
    " WHERE id = ?1 AND priority_next_ms > 0 AND priority_next_ms >= ?2";
static const char sql_insert_app[] = "INSERT INTO applications (ticket_id,"
    " body) VALUES (?1, ?2)";

/*
 * An appointment's ticket: is a counter serving its service open?  Open is
 * what the estimate counts (a counter that called for it in the last hour,
 * or holds one of its tickets now).  When none is, staff get an alert
 * "appointment_closed" in the same transaction: the ticket is issued all
 * the same (docs/visits.md).
 */
static const char sql_closed_alert[] = "SELECT id FROM help"
    " WHERE kind = 'appointment_closed' AND number = ?1 AND at_ms >= ?2"
    " LIMIT 1";

static int
check_open(struct store *st, struct store_ticket *t, bool raise,
    int64_t now_ms, struct kerr *err)
{
	char letter[2] = { t->service, 0 };
	struct store_alert al;
	sqlite3_stmt *s;
	int open = 0, rc;

	if (!raise) {
		/* a replay: the answer of the first time */
		if ((rc = store_prep(st->w.db, sql_closed_alert, &s, err)) !=
		    K_OK)
			return rc;
		sqlite3_bind_text(s, 1, t->number, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, t->issued_ms);
		if (sqlite3_step(s) == SQLITE_ROW) {
			t->counter_closed = true;
			t->alert_id = sqlite3_column_int64(s, 0);
		}
		sqlite3_finalize(s);
		return K_OK;
	}
	if ((rc = store_cached(&st->w, sql_open_counters, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":since", now_ms - 3600 * 1000);
	if (sqlite3_step(s) == SQLITE_ROW)
		open = sqlite3_column_int(s, 0);
	store_release(s);
	if (open == 0) {
		if ((rc = store_cached(&st->w, sql_busy_counters, &s, err)) !=
		    K_OK)
			return rc;
		store_bind_text(s, ":day", t->day);
		store_bind_text(s, ":service", letter);
		store_bind_int64(s, ":called", ST_CALLED);
		store_bind_int64(s, ":serving", ST_SERVING);
		/* a row per ticket at a counter: any counter busy */
		if (sqlite3_step(s) == SQLITE_ROW)
			open = 1;
		store_release(s);
	}
	if (open > 0)
		return K_OK;
	if ((rc = store_alert_raise_in_tx(st, t->kiosk[0] ? t->kiosk : "server",
	    "appointment_closed", t->number, "", now_ms, &al, err)) != K_OK)
		return rc;
	t->counter_closed = true;
	t->alert_id = al.id;
	return K_OK;
}

struct issue_job {
	const struct store_issue_req *req;
	const char *day, *token;
	int64_t now_ms;
	struct store_ticket *out;
};

/* The issue itself: a job of store_write(). */
static int
issue_job(struct store *st, void *arg, struct kerr *err)
{
	const struct issue_job *a = arg;
	const struct store_issue_req *req = a->req;
	const char *day = a->day, *token = a->token;
	int64_t now_ms = a->now_ms;
	struct store_ticket *out = a->out;
	char letter[2] = { req->service, 0 };
	unsigned flags = req->flags & (STORE_F_CARD | STORE_F_ASSIST |
	    STORE_F_PRIORITY);
	sqlite3_stmt *s;
	int64_t id = 0;
	int seq = 1, rc;
	struct store_appt_checkin ck;
	struct store_ticket est;

	memset(&ck, 0, sizeof(ck));
	if (req->request_id != NULL) {
		if ((rc = store_cached(&st->w, sql_by_request, &s, err)) != K_OK)
			return rc;
		sqlite3_bind_text(s, 1, req->request_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		store_release(s);
		if (id != 0) {
			rc = store_load(&st->w, id, false, out, err);
			if (rc == K_OK && out->appt_ms != 0)
				rc = check_open(st, out, false, now_ms, err);
			if (rc == K_OK)
				rc = store_estimate(st, &st->w, out, false, now_ms,
				    err);
			out->replayed = rc == K_OK;
			return rc;
		}
	}
	if (req->appointment != NULL && (rc = store_appt_checkin_begin(st,
	    req->appointment, req->procedure, day, now_ms, &ck, err)) != K_OK)
		return rc;
	/* The mark is taken in the ticket's own transaction: one commit, and
	 * a failed issue leaves it for the next ticket. */
	if (req->kiosk != NULL && req->kiosk[0] != '\0' &&
	    !(flags & STORE_F_PRIORITY)) {
		if ((rc = store_cached(&st->w, sql_take_mark, &s, err)) != K_OK)
			return rc;
		sqlite3_bind_text(s, 1, req->kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now_ms - STORE_PRIORITY_NEXT_MS);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "priority next");
		else if (sqlite3_changes(st->w.db) > 0)
			flags |= STORE_F_PRIORITY;
		store_release(s);
		if (rc != K_OK)
			return rc;
	}
	/* The wait printed on the ticket, kept with it to measure the
	 * estimate later: counted before the insert, so that it goes in the
	 * same row (an UPDATE after was 8 % of the writer's work).  Issued
	 * last, it has the largest id. */
	memset(&est, 0, sizeof(est));
	est.id = INT64_MAX;
	snprintf(est.day, sizeof(est.day), "%s", day);
	est.service = req->service;
	est.state = ST_WAITING;
	est.flags = flags;
	est.issued_ms = now_ms;
	est.line_ms = now_ms;
	est.default_min = req->default_min;
	if (req->appointment != NULL) {
		est.appt_ms = ck.slot_ms;
		snprintf(est.appt_arrival, sizeof(est.appt_arrival), "%s",
		    ck.arrival);
	}
	if ((rc = store_estimate(st, &st->w, &est, true, now_ms, err)) != K_OK)
		return rc;
	if ((rc = store_cached(&st->w, sql_last_seq, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, letter, 1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		seq = sqlite3_column_int(s, 0) + 1;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? K_OK :
	    store_sqlerr(err, st->w.db, "numbering");
	store_release(s);
	if (rc != K_OK)
		return rc;

	if ((rc = store_cached(&st->w, sql_insert_ticket, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, letter, 1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, seq);
	sqlite3_bind_text(s, 4, req->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, req->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, req->kiosk ? req->kiosk : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(s, 7, (int)flags);
	sqlite3_bind_text(s, 8, token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, now_ms);
	sqlite3_bind_int(s, 10, req->default_min);
	if (req->request_id != NULL)
		sqlite3_bind_text(s, 11, req->request_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 12, ST_WAITING);
	sqlite3_bind_int(s, 13, (flags & STORE_F_PRIORITY) != 0);
	sqlite3_bind_text(s, 14, req->step ? req->step : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, req->route ? req->route : "", -1,
	    SQLITE_STATIC);
	if (req->appointment != NULL) {
		sqlite3_bind_int64(s, 16, ck.slot_ms);
		if (ck.order_ms != 0)
			sqlite3_bind_int64(s, 17, ck.order_ms);
	}
	sqlite3_bind_int(s, 18, est.wait_min);
	sqlite3_bind_int(s, 19, est.ahead);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "insert ticket");
	else
		id = sqlite3_last_insert_rowid(st->w.db);
	store_release(s);
	if (rc == K_OK && req->application != NULL) {
		if ((rc = store_cached(&st->w, sql_insert_app, &s, err)) != K_OK)
			return rc;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, req->application, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "insert application");
		store_release(s);
	}
	if (rc == K_OK)
		rc = store_add_event(st, now_ms, "issued", id, req->service, 0, NULL,
		    NULL, err);
	if (rc == K_OK && req->appointment != NULL)
		rc = store_appt_checkin_end(st, &ck, id, now_ms, err);
	if (rc == K_OK)
		rc = store_load(&st->w, id, false, out, err);
	if (rc == K_OK && req->appointment != NULL)
		rc = check_open(st, out, true, now_ms, err);
	if (rc == K_OK) {
		out->ahead = est.ahead;
		out->wait_min = est.wait_min;
	}
	return rc;
}

int
store_issue(struct store *st, const struct store_issue_req *req,
    int64_t now_ms, struct store_ticket *out, struct kerr *err)
{
	char day[11], token[STORE_TOKEN_LEN + 1];
	struct issue_job a = { req, day, token, now_ms, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_service(st, req->service) == NULL)
		return kerr_set(err, K_ENOTFOUND, "no service '%c'", req->service);
	store_day(now_ms, day);
	randid_hex(token, STORE_TOKEN_LEN / 2);
	rc = store_write(st, now_ms, issue_job, &a, err);
	if (rc != K_OK)
		memset(out, 0, sizeof(*out));
	explicit_bzero(token, sizeof(token));
	return rc;
}

/* store_issue_start(): the job's arguments live until its commit. */
struct issue_async {
	struct issue_job a;
	char day[11], token[STORE_TOKEN_LEN + 1];
	store_done_fn *done;
	void *done_arg;
};

static void
issue_committed(void *arg, int rc, const struct kerr *err)
{
	struct issue_async *x = arg;

	if (rc != K_OK)
		memset(x->a.out, 0, sizeof(*x->a.out));
	explicit_bzero(x->token, sizeof(x->token));
	x->done(x->done_arg, rc, err);
	free(x);
}

int
store_issue_start(struct store *st, const struct store_issue_req *req,
    int64_t now_ms, struct store_ticket *out, store_done_fn *done,
    void *done_arg, struct kerr *err)
{
	struct issue_async *x;

	memset(out, 0, sizeof(*out));
	if (store_service(st, req->service) == NULL)
		return kerr_set(err, K_ENOTFOUND, "no service '%c'", req->service);
	x = xcalloc(1, sizeof(*x));
	x->a.req = req;
	x->a.day = x->day;
	x->a.token = x->token;
	x->a.now_ms = now_ms;
	x->a.out = out;
	x->done = done;
	x->done_arg = done_arg;
	store_day(now_ms, x->day);
	randid_hex(x->token, STORE_TOKEN_LEN / 2);
	store_write_async(st, now_ms, issue_job, &x->a, issue_committed, x);
	return K_OK;
}

static const char sql_printed[] = "UPDATE tickets SET flags = flags | ?2"
    " WHERE id = ?1";

struct printed_job {
	int64_t id;
	bool printed;
	int64_t now_ms;
};

static int
printed_job(struct store *st, void *arg, struct kerr *err)
{
	const struct printed_job *a = arg;
	struct store_ticket t;
	sqlite3_stmt *s;
	int rc;

	rc = store_load(&st->w, a->id, false, &t, err);
	if (rc == K_OK && a->printed && (rc = store_cached(&st->w, sql_printed,
	    &s, err)) == K_OK) {
		sqlite3_bind_int64(s, 1, a->id);
		sqlite3_bind_int(s, 2, STORE_F_PRINTED);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "printed");
		store_release(s);
	}
	if (rc == K_OK)
		rc = store_add_event(st, a->now_ms, "printer", a->id, t.service, 0,
		    NULL, a->printed ? "{\"printed\":true}" :
		    "{\"printed\":false}", err);
	return rc;
}

int
store_mark_printed(struct store *st, int64_t id, bool printed, int64_t now_ms,
    struct kerr *err)
{
	struct printed_job a = { id, printed, now_ms };

	return store_write(st, now_ms, printed_job, &a, err);
}

static const char sql_help[] = "INSERT INTO help (at_ms, kiosk, kind)"
    " VALUES (?1, ?2, ?3)";

struct help_job {
	const char *kiosk, *kind;
	int64_t now_ms;
	int64_t id;
};

static int
help_job(struct store *st, void *arg, struct kerr *err)
{
	struct help_job *a = arg;
	sqlite3_stmt *s;
	char detail[96];
	int rc;

	if ((rc = store_cached(&st->w, sql_help, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, a->now_ms);
	sqlite3_bind_text(s, 2, a->kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, a->kind, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "help");
	else
		a->id = sqlite3_last_insert_rowid(st->w.db);
	store_release(s);
	snprintf(detail, sizeof(detail), "{\"help\":%" PRId64 "}", a->id);
	if (rc == K_OK)
		rc = store_add_event(st, a->now_ms, strcmp(a->kind, "resident") == 0 ?
		    "help" : "printer", 0, 0, 0, NULL, detail, err);
	return rc;
}

int
store_help(struct store *st, const char *kiosk, const char *kind,
    int64_t now_ms, int64_t *id_out, struct kerr *err)
{
	struct help_job a = { kiosk, kind, now_ms, 0 };
	int rc;

	rc = store_write(st, now_ms, help_job, &a, err);
	if (rc == K_OK && id_out)
		*id_out = a.id;
	return rc;
}

/*
 * The statements of the issue, call and status paths, with the bodies of
 * the triggers they fire, for the test that keeps each of them on an
 * index (tests/unit/test_store.c): their cost must not grow with the day.
 */
static const struct {
	const char *name, *sql;
} hot_sql[] = {
	{ "issue: request id", sql_by_request },
	{ "issue: kiosk's mark", sql_take_mark },
	{ "issue: number", sql_last_seq },
	{ "issue: ticket", sql_insert_ticket },
	{ "issue: application", sql_insert_app },
	{ "issue: event", store_sql_event },
	{ "read a ticket", store_sql_load },
	{ "read a ticket (no application)", store_sql_load_bare },
	{ "estimate: waiting", sql_waiting },
	{ "estimate: ahead (status)", sql_class_before },
	{ "estimate: ahead (issue)", sql_class_after },
	{ "estimate: service times", sql_service_times },
	{ "estimate: open counters", sql_open_counters },
	{ "estimate: busy counters", sql_busy_counters },
	{ "status: by token", store_sql_by_token },
	{ "call: next of a service", store_sql_next },
	{ "call: next appointment", store_sql_next_appt },
	{ "call: a number", store_sql_by_number },
	{ "drop the application", store_sql_drop_app },
	{ "printed", sql_printed },
	{ "trigger: waiting count", "UPDATE waiting SET n = n - 1, work ="
	    " work - ?4 WHERE day = ?1 AND service = ?2 AND priority = ?3" },
	{ "trigger: waiting insert", "INSERT INTO waiting VALUES (?1, ?2, ?3, 1,"
	    " ?4) ON CONFLICT DO UPDATE SET n = n + 1, work = work +"
	    " excluded.work" },
	{ "trigger: counter call", "INSERT INTO counter_calls VALUES (?1, ?2,"
	    " ?3) ON CONFLICT DO UPDATE SET at_ms = max(at_ms, excluded.at_ms)" },
};

int
store_query_plans(struct store *st, void (*fn)(const char *name,
    const char *plan, void *arg), void *arg, struct kerr *err)
{
	sqlite3_stmt *s;
	char *sql;
	size_t i;
	int rc = K_OK;

	pthread_mutex_lock(&st->w.mu);
	for (i = 0; i < ARRAY_SIZE(hot_sql) + STORE_NSTEPS && rc == K_OK; i++) {
		const char *name = i < ARRAY_SIZE(hot_sql) ? hot_sql[i].name :
		    store_steps[i - ARRAY_SIZE(hot_sql)].event;

		sql = xasprintf("EXPLAIN QUERY PLAN %s", i < ARRAY_SIZE(hot_sql) ?
		    hot_sql[i].sql : store_steps[i - ARRAY_SIZE(hot_sql)].sql);
		if ((rc = store_prep(st->w.db, sql, &s, err)) == K_OK) {
			while (sqlite3_step(s) == SQLITE_ROW)
				fn(name, (const char *)sqlite3_column_text(s, 3),
				    arg);
			sqlite3_finalize(s);
		}
		free(sql);
	}
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}
