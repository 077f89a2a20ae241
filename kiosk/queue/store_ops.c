/*
 * store_ops.c - counter operations beside the ticket steps: marking a
 * ticket priority (by staff, or by a volunteer at the kiosk that issued
 * it; before the issue as a mark on the kiosk that its next ticket takes)
 * and reprints (asked for by staff to the kiosk's printer or a counter
 * printer, or made at the kiosk for the ticket still on its screen).  Each
 * change is one write transaction and one line of the event log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"

#define PRIORITY_NEXT_MS STORE_PRIORITY_NEXT_MS

struct store_set_priority_args {
	int64_t id;
	bool on;
	const char *kiosk;
	const char *staff;
	int64_t now_ms;
	struct store_ticket *out;
};

static int
store_set_priority_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_set_priority_args *a_ = arg_;
	int64_t id = a_->id;
	bool on = a_->on;
	const char *kiosk = a_->kiosk;
	const char *staff = a_->staff;
	int64_t now_ms = a_->now_ms;
	struct store_ticket *out = a_->out;
	char day[11], detail[96];
	sqlite3_stmt *s;
	int rc = K_OK;

	(void)id;
	(void)on;
	(void)kiosk;
	(void)staff;
	(void)now_ms;
	(void)out;
	memset(out, 0, sizeof(*out));
	store_day(now_ms, day);
	rc = store_load(&st->w, id, false, out, err);
	if (rc == K_OK && strcmp(out->day, day) != 0)
		rc = kerr_set(err, K_EBUSY, "%s is from %s, not today", out->number,
		    out->day);
	if (rc == K_OK && out->state != ST_WAITING)
		rc = kerr_set(err, K_EBUSY, "%s is %s: priority is for a waiting "
		    "ticket", out->number, store_state_name(out->state));
	if (rc == K_OK && kiosk != NULL && strcmp(out->kiosk, kiosk) != 0)
		rc = kerr_set(err, K_EBUSY, "%s was not issued at %s: a kiosk "
		    "marks only its own tickets", out->number, kiosk);
	if (rc == K_OK && ((out->flags & STORE_F_PRIORITY) != 0) == on) {
		out->replayed = true;        /* already so: nothing to log */
		return (rc);
	}
	if (rc == K_OK) {
		store_prep(st->w.db, on ? "UPDATE tickets SET flags = flags | 4,"
		    " priority = 1 WHERE id = ?1" : "UPDATE tickets SET flags ="
		    " flags & ~4, priority = 0 WHERE id = ?1", &s, err);
		if (s == NULL) {
			rc = err ? err->code : K_EFAIL;
		} else {
			sqlite3_bind_int64(s, 1, id);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "priority");
			sqlite3_finalize(s);
		}
	}
	if (rc == K_OK) {
		/* kiosk ids are checked words: no escaping needed */
		snprintf(detail, sizeof(detail), "{\"on\":%s,\"by\":\"%s\"}",
		    on ? "true" : "false", kiosk ? kiosk : "staff");
		rc = store_tx_event(st, now_ms, "priority", id, out->service, 0,
		    staff, detail, err);
	}
	if (rc == K_OK)
		rc = store_load(&st->w, id, false, out, err);
	if (rc == K_OK)
		rc = store_estimate(st, &st->w, out, false, now_ms, err);
	return (rc);
}

int
store_set_priority(struct store *st, int64_t id, bool on, const char *kiosk,
    const char *staff, int64_t now_ms, struct store_ticket *out,
    struct kerr *err)
{
	struct store_set_priority_args a_ = { id, on, kiosk, staff, now_ms, out };

	return store_write(st, now_ms, store_set_priority_job, &a_, err);
}

struct store_priority_next_args {
	const char *kiosk;
	bool on;
	const char *staff;
	int64_t now_ms;
};

static int
store_priority_next_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_priority_next_args *a_ = arg_;
	const char *kiosk = a_->kiosk;
	bool on = a_->on;
	const char *staff = a_->staff;
	int64_t now_ms = a_->now_ms;
	sqlite3_stmt *s;
	int rc = K_OK;

	(void)kiosk;
	(void)on;
	(void)staff;
	(void)now_ms;
	/* a kiosk never heard of is still a kiosk: the mark waits for it */
	store_prep(st->w.db, "INSERT INTO kiosks (id, first_seen_ms,"
	    " last_seen_ms, priority_next_ms) VALUES (?1, 0, 0, ?2)"
	    " ON CONFLICT (id) DO UPDATE SET priority_next_ms = ?2", &s, err);
	if (s == NULL)
		return (err ? err->code : K_EFAIL);
	sqlite3_bind_text(s, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, on ? now_ms : 0);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "priority next");
	sqlite3_finalize(s);
	if (rc == K_OK) {
		char detail[96];
		snprintf(detail, sizeof(detail), "{\"next_at\":\"%s\",\"on\":%s}",
		    kiosk, on ? "true" : "false");
		rc = store_tx_event(st, now_ms, "priority", 0, 0, 0, staff, detail,
		    err);
	}
	return (rc);
}

int
store_priority_next(struct store *st, const char *kiosk, bool on,
    const char *staff, int64_t now_ms, struct kerr *err)
{
	struct store_priority_next_args a_ = { kiosk, on, staff, now_ms };

	return store_write(st, now_ms, store_priority_next_job, &a_, err);
}

struct store_priority_take_args {
	const char *kiosk;
	int64_t now_ms;
	bool *taken;
};

static int
store_priority_take_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_priority_take_args *a_ = arg_;
	const char *kiosk = a_->kiosk;
	int64_t now_ms = a_->now_ms;
	bool *taken = a_->taken;
	sqlite3_stmt *s;
	int rc = K_OK;

	(void)kiosk;
	(void)now_ms;
	(void)taken;
	*taken = false;
	store_prep(st->w.db, "UPDATE kiosks SET priority_next_ms = 0"
	    " WHERE id = ?1 AND priority_next_ms > 0 AND priority_next_ms >= ?2",
	    &s, err);
	if (s == NULL)
		return (err ? err->code : K_EFAIL);
	sqlite3_bind_text(s, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms - PRIORITY_NEXT_MS);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "priority next");
	else
		*taken = sqlite3_changes(st->w.db) > 0;
	sqlite3_finalize(s);
	return (rc);
}

int
store_priority_take(struct store *st, const char *kiosk, int64_t now_ms,
    bool *taken, struct kerr *err)
{
	struct store_priority_take_args a_ = { kiosk, now_ms, taken };

	return store_write(st, now_ms, store_priority_take_job, &a_, err);
}

/* Reprints. */

static void
reprint_read(sqlite3_stmt *s, struct store_reprint *r)
{
	const unsigned char *t;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->ticket_id = sqlite3_column_int64(s, 1);
	t = sqlite3_column_text(s, 2);
	snprintf(r->target, sizeof(r->target), "%s", t ? (const char *)t : "");
	t = sqlite3_column_text(s, 3);
	snprintf(r->staff, sizeof(r->staff), "%s", t ? (const char *)t : "");
	r->at_ms = sqlite3_column_int64(s, 4);
	r->done_ms = sqlite3_column_int64(s, 5);
	t = sqlite3_column_text(s, 6);
	snprintf(r->result, sizeof(r->result), "%s", t ? (const char *)t : "");
}

#define REPRINT_COLS "id, ticket_id, target, staff, at_ms, done_ms, result"

static int
reprint_load(struct store *st, int64_t id, struct store_reprint *out,
    struct kerr *err)
{
	sqlite3_stmt *s = NULL;
	int rc = K_OK;

	store_prep(st->w.db, "SELECT " REPRINT_COLS
	    " FROM reprints WHERE id = ?1", &s, err);
	if (s == NULL)
		return err ? err->code : K_EFAIL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		reprint_read(s, out);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no reprint %" PRId64, id);
	} else {
		rc = store_sqlerr(err, st->w.db, "reprint");
	}
	sqlite3_finalize(s);
	return rc;
}

static int
reprint_finish(struct store *st, int64_t id, bool printed, const char *reason,
    int64_t now_ms, struct kerr *err)
{
	sqlite3_stmt *s = NULL;
	int rc = K_OK;

	store_prep(st->w.db, "UPDATE reprints SET done_ms = ?2,"
	    " result = ?3 WHERE id = ?1", &s, err);
	if (s == NULL)
		return err ? err->code : K_EFAIL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_text(s, 3, printed ? "printed" : reason && *reason ? reason :
	    "failed", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "reprint done");
	sqlite3_finalize(s);
	return rc;
}

/* Inside a transaction: the reprint a request id made before, or 0. */
static int64_t
reprint_replay(struct store *st, const char *rid)
{
	sqlite3_stmt *s = NULL;
	int64_t ref = 0;

	if (rid == NULL || store_prep(st->w.db, "SELECT ref FROM actions WHERE"
	    " request_id = ?1 AND kind = 'reprint'", &s, NULL) != K_OK)
		return 0;
	sqlite3_bind_text(s, 1, rid, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		ref = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ref;
}

struct store_reprint_add_args {
	int64_t ticket_id;
	const char *target;
	const char *staff;
	const char *request_id;
	bool done;
	bool printed;
	const char *reason;
	int64_t now_ms;
	struct store_reprint *out;
};

static int
store_reprint_add_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_reprint_add_args *a_ = arg_;
	int64_t ticket_id = a_->ticket_id;
	const char *target = a_->target;
	const char *staff = a_->staff;
	const char *request_id = a_->request_id;
	bool done = a_->done;
	bool printed = a_->printed;
	const char *reason = a_->reason;
	int64_t now_ms = a_->now_ms;
	struct store_reprint *out = a_->out;
	struct store_ticket t;
	sqlite3_stmt *s;
	char day[11], detail[160];
	int64_t id = 0;
	int rc = K_OK;

	(void)ticket_id;
	(void)target;
	(void)staff;
	(void)request_id;
	(void)done;
	(void)printed;
	(void)reason;
	(void)now_ms;
	(void)out;
	memset(out, 0, sizeof(*out));
	store_day(now_ms, day);
	/* the same request again (a lost answer): one paper, not two */
	if ((id = reprint_replay(st, request_id)) != 0) {
		rc = reprint_load(st, id, out, err);
		out->replayed = true;
		return (rc);
	}
	rc = store_load(&st->w, ticket_id, false, &t, err);
	if (rc == K_OK && strcmp(t.day, day) != 0)
		rc = kerr_set(err, K_EBUSY, "%s is from %s: no reprint of another "
		    "day's ticket", t.number, t.day);
	if (rc == K_OK && (t.state == ST_DONE || t.state == ST_NO_SHOW))
		rc = kerr_set(err, K_EBUSY, "%s is %s: nothing to reprint",
		    t.number, store_state_name(t.state));
	if (rc == K_OK) {
		store_prep(st->w.db, "INSERT INTO reprints (ticket_id, target,"
		    " staff, at_ms) VALUES (?1, ?2, ?3, ?4)", &s, err);
		if (s == NULL) {
			rc = err ? err->code : K_EFAIL;
		} else {
			sqlite3_bind_int64(s, 1, ticket_id);
			sqlite3_bind_text(s, 2, target, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, staff ? staff : "", -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(s, 4, now_ms);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "reprint");
			else
				id = sqlite3_last_insert_rowid(st->w.db);
			sqlite3_finalize(s);
		}
	}
	if (rc == K_OK && done)
		rc = reprint_finish(st, id, printed, reason, now_ms, err);
	if (rc == K_OK) {
		/* target and reason are checked words */
		snprintf(detail, sizeof(detail), "{\"reprint\":%" PRId64 ","
		    "\"to\":\"%s\"%s}", id, target, !done ? "" : printed ?
		    ",\"printed\":true" : ",\"printed\":false");
		rc = store_tx_event(st, now_ms, done ? "reprinted" : "reprint",
		    ticket_id, t.service, 0, staff, detail, err);
	}
	if (rc == K_OK && request_id != NULL) {
		sqlite3_stmt *s2 = NULL;
		if ((rc = store_prep(st->w.db, "INSERT INTO actions (request_id,"
		    " kind, ticket_id, ref, at_ms) VALUES (?1, 'reprint', ?2, ?3,"
		    " ?4)", &s2, err)) == K_OK) {
			sqlite3_bind_text(s2, 1, request_id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s2, 2, ticket_id);
			sqlite3_bind_int64(s2, 3, id);
			sqlite3_bind_int64(s2, 4, now_ms);
			if (sqlite3_step(s2) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "request id");
			sqlite3_finalize(s2);
		}
	}
	if (rc == K_OK)
		rc = reprint_load(st, id, out, err);
	return (rc);
}

int
store_reprint_add(struct store *st, int64_t ticket_id, const char *target,
    const char *staff, const char *request_id, bool done, bool printed,
    const char *reason, int64_t now_ms, struct store_reprint *out,
    struct kerr *err)
{
	struct store_reprint_add_args a_ = { ticket_id, target, staff, request_id, done, printed, reason, now_ms, out };

	return store_write(st, now_ms, store_reprint_add_job, &a_, err);
}

int
store_reprints_for(struct store *st, const char *target, int64_t now_ms,
    struct store_reprint *out, size_t max, size_t *n, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc = K_OK, step;

	*n = 0;
	pthread_mutex_lock(&st->w.mu);
	store_prep(st->w.db, "SELECT " REPRINT_COLS " FROM reprints"
	    " WHERE target = ?1 AND done_ms = 0 AND at_ms >= ?2 ORDER BY id",
	    &s, err);
	if (s == NULL) {
		pthread_mutex_unlock(&st->w.mu);
		return err ? err->code : K_EFAIL;
	}
	sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, store_day_start_ms(now_ms));
	while ((step = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		reprint_read(s, &out[(*n)++]);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "reprints");
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}

struct store_reprint_done_args {
	int64_t id;
	const char *target;
	bool printed;
	const char *reason;
	int64_t now_ms;
	struct store_reprint *out;
};

static int
store_reprint_done_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_reprint_done_args *a_ = arg_;
	int64_t id = a_->id;
	const char *target = a_->target;
	bool printed = a_->printed;
	const char *reason = a_->reason;
	int64_t now_ms = a_->now_ms;
	struct store_reprint *out = a_->out;
	struct store_ticket t;
	char detail[160];
	int rc = K_OK;

	(void)id;
	(void)target;
	(void)printed;
	(void)reason;
	(void)now_ms;
	(void)out;
	memset(out, 0, sizeof(*out));
	rc = reprint_load(st, id, out, err);
	if (rc == K_OK && target != NULL && strcmp(out->target, target) != 0)
		rc = kerr_set(err, K_ENOTFOUND, "no reprint %" PRId64 " for %s",
		    id, target);
	if (rc == K_OK && out->done_ms != 0) {
		out->replayed = true;       /* a repeated answer: keep the first */
		return (rc);
	}
	if (rc == K_OK)
		rc = reprint_finish(st, id, printed, reason, now_ms, err);
	if (rc == K_OK)
		rc = store_load(&st->w, out->ticket_id, false, &t, err);
	if (rc == K_OK) {
		snprintf(detail, sizeof(detail), "{\"reprint\":%" PRId64 ","
		    "\"to\":\"%s\",\"printed\":%s}", id, out->target, printed ?
		    "true" : "false");
		rc = store_tx_event(st, now_ms, "reprinted", out->ticket_id,
		    t.service, 0, NULL, detail, err);
	}
	if (rc == K_OK)
		rc = reprint_load(st, id, out, err);
	return (rc);
}

int
store_reprint_done(struct store *st, int64_t id, const char *target,
    bool printed, const char *reason, int64_t now_ms,
    struct store_reprint *out, struct kerr *err)
{
	struct store_reprint_done_args a_ = { id, target, printed, reason, now_ms, out };

	return store_write(st, now_ms, store_reprint_done_job, &a_, err);
}
