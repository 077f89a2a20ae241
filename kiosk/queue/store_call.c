/*
 * store_call.c - calling tickets to a counter: room at the counter, the
 * priority run, the next ticket or a given number, and the tickets a
 * counter holds.
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


/* "A-023" -> 'A', 23. */
static int
parse_number(const char *number, char *letter, int *seq, struct kerr *err)
{
	const char *p;
	char *e;
	long v;

	if (number == NULL || number[0] < 'A' || number[0] > 'Z' ||
	    number[1] != '-' || number[2] < '0' || number[2] > '9')
		return kerr_set(err, K_EINVAL,
		    "number must look like A-023");
	p = number + 2;
	errno = 0;
	v = strtol(p, &e, 10);
	if (*e != '\0' || errno || v < 1 || v > 99999)
		return kerr_set(err, K_EINVAL, "number must look like A-023");
	*letter = number[0];
	*seq = (int)v;
	return K_OK;
}

/*
 * Inside a job: the tickets counter holds today (called or in service,
 * except ticket `except`), oldest call first.  K_EBUSY with the first in
 * *held when there are max_called of them already.
 */
static const char sql_held[] = "SELECT id FROM tickets WHERE day = ?1"
    " AND counter = ?2 AND state IN (?3, ?4) AND id != ?5"
    " ORDER BY called_ms, id";

static int
counter_room(struct store *st, int counter, int64_t except, const char *day,
    struct store_ticket *held, struct kerr *err)
{
	sqlite3_stmt *s;
	int64_t first = 0;
	int rc, n = 0;

	if ((rc = store_cached(&st->w, sql_held, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, counter);
	sqlite3_bind_int(s, 3, ST_CALLED);
	sqlite3_bind_int(s, 4, ST_SERVING);
	sqlite3_bind_int64(s, 5, except);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			first = sqlite3_column_int64(s, 0);
	}
	store_release(s);
	if (n < st->max_called)
		return K_OK;
	if ((rc = store_load(&st->w, first, true, held, err)) != K_OK)
		return rc;
	held->held = true;
	return kerr_set(err, K_EBUSY, "counter %d has %s %s already: finish it, "
	    "put it back in the queue or recall it before calling another",
	    counter, held->number, store_state_name(held->state));
}

/*
 * Inside a job: how many of the latest calls for these services today
 * were out of order (a priority ticket, or an appointment called by its
 * slot), counting back from the newest until one was not (at most
 * priority_run).
 */
static int
priority_streak(struct store *st, const char *letters, int n, int64_t now_ms,
    int *streak, struct kerr *err)
{
	char sql[512];
	sqlite3_stmt *s;
	size_t off;
	int rc, i;

	*streak = 0;
	off = (size_t)snprintf(sql, sizeof(sql), "SELECT t.priority != 0 OR"
	    " t.appt_order_ms IS NOT NULL FROM"
	    " events e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind ="
	    " 'called' AND e.at_ms >= ?1 AND e.service IN (");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, "%s?%d",
		    i ? "," : "", i + 3);
	snprintf(sql + off, sizeof(sql) - off, ") ORDER BY e.id DESC LIMIT ?2");
	if ((rc = store_prep(st->w.db, sql, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, store_day_start_ms(now_ms));
	sqlite3_bind_int(s, 2, st->priority_run);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 3, &letters[i], 1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0)
		(*streak)++;
	sqlite3_finalize(s);
	return K_OK;
}

/* The first waiting ticket of one service in the walk-in line (walk-ins,
 * late arrivals): priority first, then issue time; one seek on its index.
 * After priority_run out-of-order calls in a row, by issue time alone
 * (sql_next_fifo). */
const char store_sql_next[] = "SELECT id, priority, line_ms FROM tickets"
    " WHERE day = ?1 AND state = ?2 AND service = ?3"
    " AND appt_order_ms IS NULL"
    " ORDER BY priority DESC, line_ms, id LIMIT 1";
static const char sql_next_fifo[] = "SELECT id, 0, line_ms FROM tickets"
    " WHERE day = ?1 AND state = ?2 AND service = ?3"
    " AND appt_order_ms IS NULL"
    " ORDER BY line_ms, id LIMIT 1";
/* The first checked-in appointment of one service by its slot; one seek
 * on the appointments' index. */
const char store_sql_next_appt[] = "SELECT id, appt_order_ms FROM tickets"
    " WHERE day = ?1 AND state = ?2 AND service = ?3"
    " AND appt_order_ms IS NOT NULL"
    " ORDER BY appt_order_ms, id LIMIT 1";

struct pick {
	int64_t id;
	int prio;
	int64_t at;                   /* issue time, or slot */
};

/* Inside a job: the head of one line over the counter's services (each
 * service's first, the best of those). */
static int
line_head(struct store *st, const char *sql, bool appt, const char *letters,
    int n, const char *day, struct pick *best, struct kerr *err)
{
	sqlite3_stmt *s;
	struct pick p;
	int rc = K_OK, i;

	memset(best, 0, sizeof(*best));
	best->prio = -1;
	for (i = 0; i < n && rc == K_OK; i++) {
		if ((rc = store_cached(&st->w, sql, &s, err)) != K_OK)
			break;
		sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, ST_WAITING);
		sqlite3_bind_text(s, 3, &letters[i], 1, SQLITE_STATIC);
		switch (sqlite3_step(s)) {
		case SQLITE_ROW:
			p.id = sqlite3_column_int64(s, 0);
			p.prio = appt ? 0 : sqlite3_column_int(s, 1);
			p.at = sqlite3_column_int64(s, appt ? 1 : 2);
			if (p.prio > best->prio || (p.prio == best->prio &&
			    (p.at < best->at || (p.at == best->at &&
			    p.id < best->id))))
				*best = p;
			break;
		case SQLITE_DONE:
			break;
		default:
			rc = store_sqlerr(err, st->w.db, "call next");
		}
		store_release(s);
	}
	return rc;
}

/*
 * Inside a job: the next waiting ticket for the counter's services, or
 * K_ENOTFOUND.  The order (docs/visits.md, docs/counter-operations.md):
 *   0. after priority_run out-of-order calls in a row for these services,
 *      the walk-in line's first by issue time alone;
 *   1. a priority ticket of the walk-in line;
 *   2. an appointment that is due (its slot less appointment_before has
 *      come), by slot;
 *   3. the walk-in line by issue time;
 *   4. an appointment not due yet, by slot: nobody else waits for this
 *      counter, and a counter is never idle while someone waits.
 * 1 and 2 are the out-of-order calls; 0 keeps them from starving others.
 */
static int
pick_next(struct store *st, int counter, const char *letters, int n,
    const char *day, int64_t now_ms, int64_t *id, struct kerr *err)
{
	struct pick walk, appt;
	int rc, streak;
	bool fifo;

	*id = 0;
	if ((rc = priority_streak(st, letters, n, now_ms, &streak, err)) != K_OK)
		return rc;
	fifo = streak >= st->priority_run;
	if ((rc = line_head(st, fifo ? sql_next_fifo : store_sql_next, false,
	    letters, n, day, &walk, err)) != K_OK)
		return rc;
	if (fifo && walk.id != 0) {
		*id = walk.id;
		return K_OK;
	}
	if (walk.id != 0 && walk.prio > 0) {
		*id = walk.id;
		return K_OK;
	}
	if ((rc = line_head(st, store_sql_next_appt, true, letters, n, day,
	    &appt, err)) != K_OK)
		return rc;
	if (appt.id != 0 && appt.at - st->appt_before_ms <= now_ms)
		*id = appt.id;
	else if (walk.id != 0)
		*id = walk.id;
	else
		*id = appt.id;
	if (*id == 0)
		rc = kerr_set(err, K_ENOTFOUND, "nobody waits for counter %d",
		    counter);
	return rc;
}

const char store_sql_by_number[] = "SELECT id, state FROM tickets"
    " WHERE day = ?1 AND num_service = ?2 AND seq = ?3";

/* Inside a job: number's ticket today, if a call may take it. */
static int
find_number(struct store *st, const char *number, const char *day,
    int64_t *id, struct kerr *err)
{
	char letter = 0, l[2] = "";
	sqlite3_stmt *s;
	int seq = 0, rc, state = 0;

	if ((rc = parse_number(number, &letter, &seq, err)) != K_OK)
		return rc;
	l[0] = letter;
	if ((rc = store_cached(&st->w, store_sql_by_number, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, l, 1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, seq);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		state = sqlite3_column_int(s, 1);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket %c-%03d today",
		    letter, seq);
	} else {
		rc = store_sqlerr(err, st->w.db, "call number");
	}
	store_release(s);
	if (rc == K_OK && !(store_steps[STORE_STEP_CALL].from & (1u << state)))
		rc = kerr_set(err, K_EBUSY, "%c-%03d is %s, not waiting", letter,
		    seq, store_state_name((enum store_state)state));
	return rc;
}

struct call_job {
	const struct store_step_arg *arg;
	const char *letters;          /* the counter's services */
	int n;
	const char *day;
	const char *number;           /* NULL: the next one */
	int64_t now_ms;
	struct store_ticket *out, *held;
};

static int
call_job(struct store *st, void *arg, struct kerr *err)
{
	const struct call_job *a = arg;
	int64_t id = 0;
	bool again;
	int rc;

	rc = store_replay(st, a->arg->request_id, store_steps[STORE_STEP_CALL].event,
	    a->out, &again, err);
	if (rc != K_OK || again)
		return rc;
	if (a->number != NULL)
		rc = find_number(st, a->number, a->day, &id, err);
	/* a ticket called again at the same counter takes no more room */
	if (rc == K_OK)
		rc = counter_room(st, a->arg->counter, id, a->day, a->held, err);
	if (rc == K_OK && a->number == NULL)
		rc = pick_next(st, a->arg->counter, a->letters, a->n, a->day,
		    a->now_ms, &id, err);
	if (rc == K_OK)
		rc = store_step_in_tx(st, STORE_STEP_CALL, id, a->arg, a->now_ms, a->out,
		    err);
	return rc;
}

int
store_call(struct store *st, const struct store_step_arg *arg,
    const char *number, int64_t now_ms, struct store_ticket *out,
    struct kerr *err)
{
	char letters[STORE_MAX_SERVICES + 1], day[11];
	struct store_ticket held;
	struct call_job a = { arg, letters, 0, day, number, now_ms, out, &held };
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&held, 0, sizeof(held));
	a.n = store_counter_services(st, arg->counter, letters, sizeof(letters));
	if (a.n == 0)
		return kerr_set(err, K_EINVAL,
		    "counter %d serves no service (server.services)",
		    arg->counter);
	if (number != NULL) {
		char l;
		int q;
		if ((rc = parse_number(number, &l, &q, err)) != K_OK)
			return rc;
	}
	store_day(now_ms, day);
	rc = store_write(st, now_ms, call_job, &a, err);
	if (rc != K_OK)
		store_ticket_clear(out);
	if (rc == K_EBUSY && held.held)
		*out = held;            /* the ticket in hand, for the console */
	else
		store_ticket_clear(&held);
	return rc;
}

int
store_call_next(struct store *st, int counter, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .counter = counter, .staff = staff };

	return store_call(st, &arg, NULL, now_ms, out, err);
}

int
store_call_number(struct store *st, int counter, const char *number,
    const char *staff, int64_t now_ms, struct store_ticket *out,
    struct kerr *err)
{
	const struct store_step_arg arg = { .counter = counter, .staff = staff };

	return store_call(st, &arg, number, now_ms, out, err);
}

int
store_get_number(struct store *st, const char *number, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	char letter = 0, l[2] = "", day[11];
	int64_t id = 0;
	sqlite3_stmt *s;
	int seq = 0, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = parse_number(number, &letter, &seq, err)) != K_OK)
		return rc;
	l[0] = letter;
	store_day(now_ms, day);
	pthread_mutex_lock(&st->w.mu);
	if ((rc = store_prep(st->w.db, "SELECT id FROM tickets WHERE day = ?1"
	    " AND num_service = ?2 AND seq = ?3", &s, err)) == K_OK) {
		sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, l, 1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, seq);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		if (id == 0)
			rc = kerr_set(err, K_ENOTFOUND, "no ticket %c-%03d today",
			    letter, seq);
		else
			rc = store_load(&st->w, id, false, out, err);
	}
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}

int
store_counter_tickets(struct store *st, int counter, int64_t now_ms,
    struct store_ticket *out, size_t max, size_t *n, struct kerr *err)
{
	int64_t ids[STORE_MAX_COUNTERS];
	size_t k = 0, i;
	char day[11];
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	store_day(now_ms, day);
	pthread_mutex_lock(&st->w.mu);
	if ((rc = store_prep(st->w.db, "SELECT id FROM tickets WHERE day = ?1"
	    " AND counter = ?2 AND state IN (?3, ?4) ORDER BY called_ms, id", &s,
	    err)) != K_OK) {
		pthread_mutex_unlock(&st->w.mu);
		return rc;
	}
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, counter);
	sqlite3_bind_int(s, 3, ST_CALLED);
	sqlite3_bind_int(s, 4, ST_SERVING);
	while (sqlite3_step(s) == SQLITE_ROW && k < ARRAY_SIZE(ids) && k < max)
		ids[k++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	for (i = 0; i < k && rc == K_OK; i++)
		if ((rc = store_load(&st->w, ids[i], true, &out[i], err)) == K_OK)
			(*n)++;
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}
