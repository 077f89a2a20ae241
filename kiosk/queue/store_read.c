/*
 * store_read.c - what the store answers without changing anything: one
 * ticket, a phone's status, the queue summary, the board, the day's
 * figures and the wait log for open data.  Runs on the read connection.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"
#include "xmalloc.h"

/* A read connection: a free one if there is, else wait for one. */
static struct store_conn *
rlock(struct store *st)
{
	unsigned start = __atomic_fetch_add(&st->next_reader, 1,
	    __ATOMIC_RELAXED);
	int i;

	for (i = 0; i < st->nreaders; i++) {
		struct store_conn *c = st->readers[(start + (unsigned)i) %
		    (unsigned)st->nreaders];
		if (pthread_mutex_trylock(&c->mu) == 0)
			return c;
	}
	i = (int)(start % (unsigned)st->nreaders);
	pthread_mutex_lock(&st->readers[i]->mu);
	return st->readers[i];
}

static void
runlock(struct store_conn *c)
{
	pthread_mutex_unlock(&c->mu);
}

struct store_conn *
store_rlock(struct store *st)
{
	return rlock(st);
}

void
store_runlock(struct store_conn *c)
{
	runlock(c);
}

int
store_get(struct store *st, int64_t id, bool with_application,
    struct store_ticket *out, struct kerr *err)
{
	struct store_conn *c;
	int rc;

	memset(out, 0, sizeof(*out));
	c = rlock(st);
	rc = store_load(c, id, with_application, out, err);
	runlock(c);
	return rc;
}

const char store_sql_by_token[] = "SELECT " TICKET_COLS " FROM tickets t"
    " WHERE t.token = ?1";
static const char sql_begin[] = "BEGIN";
static const char sql_commit[] = "COMMIT";

int
store_status(struct store *st, const char *token, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	struct store_conn *c;
	sqlite3_stmt *s, *tx;
	int rc;

	memset(out, 0, sizeof(*out));
	c = rlock(st);
	/* one read transaction: the ticket and its queue agree */
	if (store_cached(c, sql_begin, &tx, err) == K_OK) {
		sqlite3_step(tx);
		store_release(tx);
	}
	if ((rc = store_cached(c, store_sql_by_token, &s, err)) != K_OK)
		goto out;
	sqlite3_bind_text(s, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_row_read(s, out);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket with this token");
	} else {
		rc = store_sqlerr(err, c->db, "status");
	}
	store_release(s);
	if (rc == K_OK)
		rc = store_estimate(st, c, out, false, now_ms, err);
out:
	if (store_cached(c, sql_commit, &tx, NULL) == K_OK) {
		sqlite3_step(tx);
		store_release(tx);
	}
	runlock(c);
	return rc;
}

/* The summary of the service in column 0 of the row s is on; NULL when
 * the hall does not have it. */
static struct store_summary *
row_service(sqlite3_stmt *s, struct store_summary *out, size_t count)
{
	const unsigned char *l = sqlite3_column_text(s, 0);
	size_t i;

	for (i = 0; l && i < count; i++)
		if (out[i].letter == (char)l[0])
			return &out[i];
	return NULL;
}

int
store_queue(struct store *st, int64_t now_ms, struct store_summary *out,
    size_t max, size_t *n, struct kerr *err)
{
	struct store_summary *sum;
	struct store_conn *c;
	sqlite3_stmt *s;
	char day[11];
	size_t i, count = st->nservices < max ? st->nservices : max;
	int rc = K_OK;

	*n = 0;
	for (i = 0; i < count; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].letter = st->services[i].letter;
	}
	store_day(now_ms, day);
	c = rlock(st);
	sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if ((rc = store_prep(c->db, "SELECT service, count(*), min(issued_ms)"
	    " FROM tickets WHERE day = ?1 AND state = ?2 GROUP BY service", &s,
	    err)) != K_OK)
		goto out;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, ST_WAITING);
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((sum = row_service(s, out, count)) != NULL) {
			int64_t oldest = sqlite3_column_int64(s, 2);
			sum->waiting = sqlite3_column_int(s, 1);
			sum->oldest_wait_min = now_ms > oldest ?
			    (int)((now_ms - oldest) / 60000) : 0;
		}
	/* the same query for the residents who stepped out (staff see how
	 * many will come back) */
	sqlite3_reset(s);
	sqlite3_bind_int(s, 2, ST_AWAY);
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((sum = row_service(s, out, count)) != NULL)
			sum->away = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	/* of those waiting, the appointments called by their slot: on their
	 * own index (tickets_appt), bounded by them */
	if ((rc = store_prep(c->db, "SELECT service, count(*) FROM tickets"
	    " WHERE day = ?1 AND state = ?2 AND appt_order_ms IS NOT NULL"
	    " GROUP BY service", &s, err)) != K_OK)
		goto out;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, ST_WAITING);
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((sum = row_service(s, out, count)) != NULL)
			sum->appointments = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	if ((rc = store_prep(c->db, "SELECT service, num_service, seq, counter"
	    " FROM tickets WHERE day = ?1 AND state IN (?2, ?3)"
	    " ORDER BY called_ms DESC", &s, err)) != K_OK)
		goto out;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, ST_CALLED);
	sqlite3_bind_int(s, 3, ST_SERVING);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *nl = sqlite3_column_text(s, 1);
		if ((sum = row_service(s, out, count)) == NULL || nl == NULL ||
		    sum->nserving == STORE_MAX_COUNTERS)
			continue;
		snprintf(sum->serving[sum->nserving].number,
		    sizeof(sum->serving[0].number), "%c-%03d", nl[0],
		    sqlite3_column_int(s, 2));
		sum->serving[sum->nserving].counter = sqlite3_column_int(s, 3);
		sum->nserving++;
	}
	sqlite3_finalize(s);
	*n = count;
out:
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	runlock(c);
	return rc;
}

int
store_board(struct store *st, int64_t now_ms, struct store_call *out,
    size_t max, size_t *n, struct kerr *err)
{
	struct store_conn *c;
	sqlite3_stmt *s;
	int rc = K_OK;

	*n = 0;
	c = rlock(st);
	if ((rc = store_prep(c->db, "SELECT t.num_service, t.seq, e.counter,"
	    " e.service, max(e.at_ms) AS at, t.flags, t.lang FROM events e"
	    " JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE e.kind IN ('called', 'recalled') AND e.at_ms >= ?1"
	    " GROUP BY e.ticket_id ORDER BY at DESC LIMIT ?2", &s, err)) !=
	    K_OK) {
		runlock(c);
		return rc;
	}
	sqlite3_bind_int64(s, 1, store_day_start_ms(now_ms));
	sqlite3_bind_int64(s, 2, (int64_t)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct store_call *call = &out[*n];
		const unsigned char *l = sqlite3_column_text(s, 0);
		const unsigned char *sv = sqlite3_column_text(s, 3);

		memset(call, 0, sizeof(*call));
		snprintf(call->number, sizeof(call->number), "%c-%03d",
		    l ? l[0] : '?', sqlite3_column_int(s, 1));
		call->counter = sqlite3_column_int(s, 2);
		call->service = sv ? (char)sv[0] : '?';
		call->at_ms = sqlite3_column_int64(s, 4);
		call->priority = (sqlite3_column_int(s, 5) & STORE_F_PRIORITY) != 0;
		{
			const unsigned char *lg = sqlite3_column_text(s, 6);
			snprintf(call->lang, sizeof(call->lang), "%s",
			    lg ? (const char *)lg : "");
		}
		(*n)++;
	}
	rc = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? K_OK :
	    store_sqlerr(err, c->db, "board");
	sqlite3_finalize(s);
	runlock(c);
	return rc;
}

struct samples {
	double *v;
	size_t n, cap;
};

static void
samples_add(struct samples *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

/* Minutes rounded to 0.1. */
static double
tenth(double v)
{
	return v < 0 ? -1 : (double)(long)(v * 10 + 0.5) / 10;
}

int
store_stats(struct store *st, const char *day, struct store_stats *out,
    size_t max, size_t *n, struct kerr *err)
{
	struct store_conn *c;
	struct samples *wait, *serv;
	sqlite3_stmt *s;
	size_t i, count = st->nservices < max ? st->nservices : max;
	int rc;

	*n = 0;
	if ((rc = store_parse_day(day, err)) != K_OK)
		return rc;
	wait = xcalloc(count ? count : 1, sizeof(*wait));
	serv = xcalloc(count ? count : 1, sizeof(*serv));
	for (i = 0; i < count; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].letter = st->services[i].letter;
	}
	c = rlock(st);
	if ((rc = store_prep(c->db, "SELECT num_service, state, issued_ms,"
	    " first_called_ms, called_ms, started_ms, finished_ms FROM tickets"
	    " WHERE day = ?1", &s, err)) != K_OK) {
		runlock(c);
		goto out;
	}
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *l = sqlite3_column_text(s, 0);
		int state = sqlite3_column_int(s, 1);
		int64_t issued = sqlite3_column_int64(s, 2);
		int64_t first = sqlite3_column_int64(s, 3);
		int64_t called = sqlite3_column_int64(s, 4);
		int64_t started = sqlite3_column_int64(s, 5);
		int64_t fin = sqlite3_column_int64(s, 6);

		for (i = 0; l && i < count; i++) {
			if (out[i].letter != (char)l[0])
				continue;
			out[i].issued++;
			if (state == ST_DONE)
				out[i].served++;
			else if (state == ST_NO_SHOW)
				out[i].no_show++;
			else if (state == ST_WAITING)
				out[i].waiting++;
			if (first > 0 && first >= issued)
				samples_add(&wait[i], (double)(first - issued) /
				    60000.0);
			if (state == ST_DONE && called > 0) {
				int64_t from = started > 0 ? started : called;
				if (fin >= from)
					samples_add(&serv[i],
					    (double)(fin - from) / 60000.0);
			}
		}
	}
	rc = rc == SQLITE_DONE ? K_OK : store_sqlerr(err, c->db, "stats");
	sqlite3_finalize(s);
	runlock(c);
	for (i = 0; i < count; i++) {
		out[i].wait_median_min = tenth(store_quantile(wait[i].v,
		    wait[i].n, 0.5));
		out[i].wait_p90_min = tenth(store_quantile(wait[i].v, wait[i].n,
		    0.9));
		out[i].service_median_min = tenth(store_quantile(serv[i].v,
		    serv[i].n, 0.5));
		out[i].service_p90_min = tenth(store_quantile(serv[i].v,
		    serv[i].n, 0.9));
	}
	if (rc == K_OK)
		*n = count;
out:
	for (i = 0; i < count; i++) {
		free(wait[i].v);
		free(serv[i].v);
	}
	free(wait);
	free(serv);
	return rc;
}

int
store_log(struct store *st, const char *from_day, const char *to_day,
    int (*fn)(const struct store_log_row *row, void *arg), void *arg,
    struct kerr *err)
{
	struct store_conn *c;
	sqlite3_stmt *s;
	int rc, src = SQLITE_DONE;

	if ((rc = store_parse_day(from_day, err)) != K_OK ||
	    (rc = store_parse_day(to_day, err)) != K_OK)
		return rc;
	c = rlock(st);
	if ((rc = store_prep(c->db, "SELECT day, num_service, seq, service,"
	    " procedure, lang, flags, state, counter, recalls, issued_ms,"
	    " first_called_ms, started_ms, finished_ms, called_ms, default_min,"
	    " coalesce(promised_min, -1), coalesce(ahead_at_issue, -1)"
	    " FROM tickets WHERE day >= ?1 AND day <= ?2"
	    " ORDER BY day, issued_ms, id", &s, err)) != K_OK) {
		runlock(c);
		return rc;
	}
	sqlite3_bind_text(s, 1, from_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, to_day, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_log_row r;
		const unsigned char *l = sqlite3_column_text(s, 1);
		const unsigned char *fl = sqlite3_column_text(s, 3);

		memset(&r, 0, sizeof(r));
		r.day = (const char *)sqlite3_column_text(s, 0);
		r.service = l ? (char)l[0] : '?';
		snprintf(r.number, sizeof(r.number), "%c-%03d", r.service,
		    sqlite3_column_int(s, 2));
		r.final_service = fl ? (char)fl[0] : '?';
		r.procedure = (const char *)sqlite3_column_text(s, 4);
		r.lang = (const char *)sqlite3_column_text(s, 5);
		r.flags = (unsigned)sqlite3_column_int(s, 6);
		r.state = (enum store_state)sqlite3_column_int(s, 7);
		r.counter = sqlite3_column_int(s, 8);
		r.recalls = sqlite3_column_int(s, 9);
		r.issued_ms = sqlite3_column_int64(s, 10);
		r.called_ms = sqlite3_column_int64(s, 11);
		r.started_ms = sqlite3_column_int64(s, 12);
		r.finished_ms = sqlite3_column_int64(s, 13);
		r.last_called_ms = sqlite3_column_int64(s, 14);
		r.default_min = sqlite3_column_int(s, 15);
		r.promised_min = sqlite3_column_int(s, 16);
		r.ahead_at_issue = sqlite3_column_int(s, 17);
		if ((rc = fn(&r, arg)) != K_OK)
			break;
	}
	if (rc == K_OK && src != SQLITE_DONE && src != SQLITE_ROW)
		rc = store_sqlerr(err, c->db, "log");
	sqlite3_finalize(s);
	runlock(c);
	return rc;
}
