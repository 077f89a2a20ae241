/*
 * store_alert.c - alerts as state: help requests and faults stay open
 * until one member of staff takes them; kiosks' heartbeats, so that a
 * kiosk that stops talking raises "kiosk_silent".  Every change is one
 * write transaction of store.c (store_tx_begin/end) and is logged in the
 * append-only event log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"

static void
copy_col(char *dst, size_t n, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

#define ALERT_COLS "id, kind, kiosk, number, detail, at_ms, resolved_ms," \
	" taken_by"

static void
alert_read(sqlite3_stmt *s, struct store_alert *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	copy_col(a->kind, sizeof(a->kind), s, 1);
	copy_col(a->kiosk, sizeof(a->kiosk), s, 2);
	copy_col(a->number, sizeof(a->number), s, 3);
	copy_col(a->detail, sizeof(a->detail), s, 4);
	a->at_ms = sqlite3_column_int64(s, 5);
	a->taken_ms = sqlite3_column_int64(s, 6);
	copy_col(a->taken_by, sizeof(a->taken_by), s, 7);
}

/* Inside a transaction: alert id into out. */
static int
alert_load(struct store *st, int64_t id, struct store_alert *out,
    struct kerr *err)
{
	sqlite3_stmt *s = NULL;
	int rc = K_OK;

	store_prep(st->w.db, "SELECT " ALERT_COLS
	    " FROM help WHERE id = ?1", &s, err);
	if (s == NULL)
		return err ? err->code : K_EFAIL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		alert_read(s, out);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no alert %" PRId64, id);
	} else {
		rc = store_sqlerr(err, st->w.db, "read alert");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Inside a transaction. */
static int
raise_locked(struct store *st, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t now_ms,
    struct store_alert *out, struct kerr *err)
{
	sqlite3_stmt *s;
	int64_t id = 0;
	char ev[160];
	int rc = K_OK;

	store_prep(st->w.db, "SELECT id FROM help WHERE resolved_ms = 0"
	    " AND kiosk = ?1 AND kind = ?2 AND number = ?3", &s, err);
	if (s == NULL)
		return err ? err->code : K_EFAIL;
	sqlite3_bind_text(s, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, number ? number : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (id != 0) {
		rc = alert_load(st, id, out, err);
		out->repeat = true;
		return rc;
	}
	store_prep(st->w.db, "INSERT INTO help (at_ms, kiosk, kind, number,"
	    " detail) VALUES (?1, ?2, ?3, ?4, ?5)", &s, err);
	if (s == NULL)
		return err ? err->code : K_EFAIL;
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_text(s, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, number ? number : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, detail ? detail : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "alert");
	else
		id = sqlite3_last_insert_rowid(st->w.db);
	sqlite3_finalize(s);
	if (rc != K_OK)
		return rc;
	/* kind and number are checked words ([a-z_], A-023): no escaping */
	snprintf(ev, sizeof(ev), "{\"help\":%" PRId64 ",\"kind\":\"%s\","
	    "\"number\":\"%s\"}", id, kind, number ? number : "");
	rc = store_tx_event(st, now_ms, strcmp(kind, "resident") == 0 ? "help" :
	    "alert", 0, 0, 0, NULL, ev, err);
	if (rc == K_OK)
		rc = alert_load(st, id, out, err);
	return rc;
}

int
store_alert_raise_in_tx(struct store *st, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t now_ms,
    struct store_alert *out, struct kerr *err)
{
	memset(out, 0, sizeof(*out));
	return raise_locked(st, kiosk, kind, number, detail, now_ms, out, err);
}

struct store_alert_raise_args {
	const char *kiosk;
	const char *kind;
	const char *number;
	const char *detail;
	int64_t now_ms;
	struct store_alert *out;
};

static int
store_alert_raise_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_alert_raise_args *a_ = arg_;
	const char *kiosk = a_->kiosk;
	const char *kind = a_->kind;
	const char *number = a_->number;
	const char *detail = a_->detail;
	int64_t now_ms = a_->now_ms;
	struct store_alert *out = a_->out;
	int rc = K_OK;

	(void)kiosk;
	(void)kind;
	(void)number;
	(void)detail;
	(void)now_ms;
	(void)out;
	memset(out, 0, sizeof(*out));
	rc = raise_locked(st, kiosk, kind, number, detail, now_ms, out, err);
	return (rc);
}

int
store_alert_raise(struct store *st, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t now_ms,
    struct store_alert *out, struct kerr *err)
{
	struct store_alert_raise_args a_ = { kiosk, kind, number, detail, now_ms, out };

	return store_write(st, now_ms, store_alert_raise_job, &a_, err);
}

int
store_alerts_open(struct store *st, struct store_alert *out, size_t max,
    size_t *n, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc = K_OK, step;

	*n = 0;
	/* the write connection: few rows, read rarely, always current */
	pthread_mutex_lock(&st->w.mu);
	store_prep(st->w.db, "SELECT " ALERT_COLS " FROM help"
	    " WHERE resolved_ms = 0 ORDER BY at_ms, id", &s, err);
	if (s == NULL) {
		pthread_mutex_unlock(&st->w.mu);
		return err ? err->code : K_EFAIL;
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		alert_read(s, &out[(*n)++]);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "alerts");
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}

struct store_alert_take_args {
	int64_t id;
	const char *staff;
	int64_t now_ms;
	struct store_alert *out;
};

static int
store_alert_take_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_alert_take_args *a_ = arg_;
	int64_t id = a_->id;
	const char *staff = a_->staff;
	int64_t now_ms = a_->now_ms;
	struct store_alert *out = a_->out;
	sqlite3_stmt *s;
	char ev[96];
	int rc = K_OK;

	(void)id;
	(void)staff;
	(void)now_ms;
	(void)out;
	memset(out, 0, sizeof(*out));
	rc = alert_load(st, id, out, err);
	if (rc == K_OK && out->taken_ms != 0) {
		if (strcmp(out->taken_by, staff) == 0)
			out->repeat = true;
		else
			rc = kerr_set(err, K_EBUSY, "alert %" PRId64 " was taken "
			    "by %s", id, out->taken_by[0] ? out->taken_by :
			    "someone");
		return (rc);
	}
	if (rc == K_OK) {
		store_prep(st->w.db, "UPDATE help SET resolved_ms = ?2,"
		    " taken_by = ?3 WHERE id = ?1", &s, err);
		if (s == NULL) {
			rc = err ? err->code : K_EFAIL;
		} else {
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, now_ms);
			sqlite3_bind_text(s, 3, staff, -1, SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "take alert");
			sqlite3_finalize(s);
		}
	}
	if (rc == K_OK) {
		snprintf(ev, sizeof(ev), "{\"help\":%" PRId64 ",\"kind\":\"%s\"}",
		    id, out->kind);
		rc = store_tx_event(st, now_ms, "alert_taken", 0, 0, 0, staff, ev,
		    err);
	}
	if (rc == K_OK)
		rc = alert_load(st, id, out, err);
	return (rc);
}

int
store_alert_take(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_alert *out, struct kerr *err)
{
	struct store_alert_take_args a_ = { id, staff, now_ms, out };

	return store_write(st, now_ms, store_alert_take_job, &a_, err);
}

struct store_kiosk_seen_args {
	const char *kiosk;
	const char *printer;
	int64_t now_ms;
};

static int
store_kiosk_seen_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_kiosk_seen_args *a_ = arg_;
	const char *kiosk = a_->kiosk;
	const char *printer = a_->printer;
	int64_t now_ms = a_->now_ms;
	sqlite3_stmt *s;
	int rc = K_OK;

	(void)kiosk;
	(void)printer;
	(void)now_ms;
	store_prep(st->w.db, "INSERT INTO kiosks (id, first_seen_ms,"
	    " last_seen_ms, printer) VALUES (?1, ?2, ?2, ?3) ON CONFLICT (id)"
	    " DO UPDATE SET last_seen_ms = ?2, printer = ?3, silent_alert = 0",
	    &s, err);
	if (s == NULL)
		return (err ? err->code : K_EFAIL);
	sqlite3_bind_text(s, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_text(s, 3, printer ? printer : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "heartbeat");
	sqlite3_finalize(s);
	return (rc);
}

int
store_kiosk_seen(struct store *st, const char *kiosk, const char *printer,
    int64_t now_ms, struct kerr *err)
{
	struct store_kiosk_seen_args a_ = { kiosk, printer, now_ms };

	return store_write(st, now_ms, store_kiosk_seen_job, &a_, err);
}

struct store_kiosks_check_args {
	int64_t silent_ms;
	int64_t now_ms;
	struct store_alert *out;
	size_t max;
	size_t *n;
};

static int
store_kiosks_check_job(struct store *st, void *arg_, struct kerr *err)
{
	const struct store_kiosks_check_args *a_ = arg_;
	int64_t silent_ms = a_->silent_ms;
	int64_t now_ms = a_->now_ms;
	struct store_alert *out = a_->out;
	size_t max = a_->max;
	size_t *n = a_->n;
	char ids[16][64];
	size_t nids = 0, i;
	sqlite3_stmt *s;
	int rc = K_OK;

	(void)silent_ms;
	(void)now_ms;
	(void)out;
	(void)max;
	(void)n;
	*n = 0;
	/* only kiosks heard today: one switched off last night is not news */
	store_prep(st->w.db, "SELECT id FROM kiosks WHERE silent_alert = 0"
	    " AND last_seen_ms < ?1 AND last_seen_ms >= ?2 ORDER BY id", &s, err);
	if (s == NULL)
		return (err ? err->code : K_EFAIL);
	sqlite3_bind_int64(s, 1, now_ms - silent_ms);
	sqlite3_bind_int64(s, 2, store_day_start_ms(now_ms));
	while (sqlite3_step(s) == SQLITE_ROW && nids < ARRAY_SIZE(ids))
		copy_col(ids[nids++], sizeof(ids[0]), s, 0);
	sqlite3_finalize(s);
	for (i = 0; i < nids && rc == K_OK; i++) {
		struct store_alert a;

		rc = raise_locked(st, ids[i], "kiosk_silent", NULL, NULL, now_ms,
		    &a, err);
		if (rc != K_OK)
			break;
		store_prep(st->w.db, "UPDATE kiosks SET silent_alert = ?2"
		    " WHERE id = ?1", &s, err);
		if (s == NULL) {
			rc = err ? err->code : K_EFAIL;
			break;
		}
		sqlite3_bind_text(s, 1, ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, a.id);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "silent kiosk");
		sqlite3_finalize(s);
		if (rc == K_OK && !a.repeat && *n < max)
			out[(*n)++] = a;
	}
	if (rc != K_OK)
		*n = 0;
	return rc;
}

int
store_kiosks_check(struct store *st, int64_t silent_ms, int64_t now_ms,
    struct store_alert *out, size_t max, size_t *n, struct kerr *err)
{
	struct store_kiosks_check_args a_ = { silent_ms, now_ms, out, max, n };

	return store_write(st, now_ms, store_kiosks_check_job, &a_, err);
}
