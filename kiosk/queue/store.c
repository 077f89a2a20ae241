/*
 * store.c - the queue in SQLite: opening and closing the store, its
 * connections and their cached statements, the services, reading a ticket
 * row and the append-only event log.  Only the store files (store*.c) know
 * SQL; the schema is in store_schema.c, the writer thread in
 * store_writer.c, the issue in store_issue.c, the steps in store_step.c
 * and calling in store_call.c.
 *
 * One write connection behind a mutex; every change is one BEGIN IMMEDIATE
 * transaction committed with synchronous=FULL before the caller hears of
 * it.  Reads (status, queue, board, stats) go through a second connection
 * so that phones polling their status never wait for a commit's fsync.
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


/* Values the migrations write into the schema: the file format. */
_Static_assert(ST_WAITING == 0 && ST_CALLED == 1 && ST_SERVING == 2 &&
    ST_DONE == 3 && ST_NO_SHOW == 4 && ST_CARRIED_OVER == 5 && ST_AWAY == 6 &&
    ST_CANCELLED == 7, "ticket states are stored as numbers");
_Static_assert(STORE_F_PRIORITY == 4, "flags are stored as numbers");

static const char *const state_names[] = {
	[ST_WAITING] = "waiting", [ST_CALLED] = "called",
	[ST_SERVING] = "serving", [ST_DONE] = "done", [ST_NO_SHOW] = "no_show",
	[ST_CARRIED_OVER] = "carried_over", [ST_AWAY] = "away",
	[ST_CANCELLED] = "cancelled",
};

const char *
store_state_name(enum store_state s)
{
	if ((unsigned)s >= ARRAY_SIZE(state_names))
		return "unknown";
	return state_names[s];
}

/* SQL helpers. */

int
store_sqlerr(struct kerr *err, sqlite3 *db, const char *what)
{
	int rc = sqlite3_errcode(db);

	klog("error", "store", "%s: %s", what, sqlite3_errmsg(db));
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return kerr_set(err, K_EBUSY, "database busy (%s)", what);
	if (rc == SQLITE_FULL || rc == SQLITE_IOERR)
		return kerr_set(err, K_EIO, "database write failed (%s): %s",
		    what, sqlite3_errmsg(db));
	return kerr_set(err, K_EFAIL, "database error (%s): %s", what,
	    sqlite3_errmsg(db));
}

int
store_prep(sqlite3 *db, const char *sql, sqlite3_stmt **out, struct kerr *err)
{
	*out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, out, NULL) != SQLITE_OK) {
		sqlite3_finalize(*out);
		*out = NULL;
		return store_sqlerr(err, db, "prepare");
	}
	return K_OK;
}

/* Bind by name (":now"); a statement without that parameter ignores it. */
void
store_bind_int64(sqlite3_stmt *s, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		sqlite3_bind_int64(s, i, v);
}

void
store_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int
store_exec(sqlite3 *db, const char *sql, struct kerr *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = store_sqlerr(err, db, msg ? msg : sql);
		sqlite3_free(msg);
		return rc;
	}
	return K_OK;
}

void
store_text_copy(char *dst, size_t n, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t len;

	/* as snprintf "%s" cut to n - 1 bytes, at a tenth of its cost */
	if (n == 0)
		return;
	len = t ? strnlen((const char *)t, n - 1) : 0;
	if (len > 0)
		memcpy(dst, t, len);
	dst[len] = '\0';
}

static int
open_conn(sqlite3 **out, const char *path, struct kerr *err)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		int rc = kerr_set(err, K_EIO, "%s: cannot open database: %s",
		    path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 0);
	/* secure_delete zeroes freed bytes; store_scrub.c cuts the WAL to
	 * zero after every commit that deletes personal data.  Between those
	 * the WAL keeps the size of one checkpoint cycle (1000 pages) when
	 * SQLite restarts it: a commit that must grow the file pays a
	 * metadata journal flush on top of its fsync, 3 times the cost of
	 * one that overwrites (docs/performance.md). */
	if (store_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
	    "PRAGMA journal_size_limit=8388608;", err) != K_OK) {
		sqlite3_close(db);
		return kerr_set(err, K_EIO, "%s: cannot set up the database: %s",
		    path, err ? err->msg : "");
	}
	*out = db;
	return K_OK;
}

static int
sync_services(struct store *st, struct kerr *err)
{
	sqlite3_stmt *s;
	size_t i;
	int j, rc = K_OK;

	if ((rc = store_prep(st->w.db, "INSERT INTO services (letter, name,"
	    " counters) VALUES (?1, ?2, ?3) ON CONFLICT (letter) DO UPDATE SET"
	    " name = excluded.name, counters = excluded.counters", &s, err)) !=
	    K_OK)
		return rc;
	for (i = 0; i < st->nservices && rc == K_OK; i++) {
		char letter[2] = { st->services[i].letter, 0 }, list[256] = "";
		size_t off = 0;

		for (j = 0; j < st->services[i].ncounters; j++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%d", j ? "," : "", st->services[i].counters[j]);
		sqlite3_bind_text(s, 1, letter, 1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, st->services[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, list, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "services");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

#define DEFAULT_SERVICES \
	"A:住民票・証明書:1,2;B:届出・異動:3,4;C:マイナンバーカード:5;" \
	"D:保険・年金・手当:6;E:相談:7"

int
store_open(struct store **out, const char *path, const struct store_config *cfg,
    struct kerr *err)
{
	struct store *st;
	int rc, i;

	*out = NULL;
	st = xcalloc(1, sizeof(*st));
	pthread_mutex_init(&st->w.mu, NULL);
	pthread_mutex_init(&st->qmu, NULL);
	pthread_cond_init(&st->work, NULL);
	for (i = 0; i < STORE_READERS; i++)
		pthread_mutex_init(&st->rd[i].mu, NULL);
	st->noshow_after = cfg ? cfg->noshow_after_recalls : 3;
	st->max_called = cfg && cfg->max_called_per_counter > 0 ?
	    cfg->max_called_per_counter : 1;
	st->priority_run = cfg && cfg->priority_run > 0 ? cfg->priority_run : 2;
	st->appt_before_ms = (cfg && cfg->appointment_before > 0 ?
	    cfg->appointment_before : 10) * 60000LL;
	st->appt_after_ms = (cfg && cfg->appointment_after > 0 ?
	    cfg->appointment_after : 15) * 60000LL;
	st->visit_place_step = cfg && cfg->visit_place_step;
	st->samples = cfg && cfg->estimate_samples > 0 ? cfg->estimate_samples :
	    10;
	rc = store_parse_services(cfg && cfg->services ? cfg->services :
	    DEFAULT_SERVICES, st->services, STORE_MAX_SERVICES, &st->nservices,
	    err);
	if (rc != K_OK)
		goto fail;
	if ((rc = open_conn(&st->w.db, path, err)) != K_OK)
		goto fail;
	if ((rc = store_migrate(st->w.db, path, err)) != K_OK)
		goto fail;
	if ((rc = sync_services(st, err)) != K_OK)
		goto fail;
	if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
		st->readers[0] = &st->w;
		st->nreaders = 1;
	} else {
		for (i = 0; i < STORE_READERS; i++) {
			if ((rc = open_conn(&st->rd[i].db, path, err)) != K_OK)
				goto fail;
			st->readers[i] = &st->rd[i];
			st->nreaders++;
		}
		/* reads have their own connections: changes are committed
		 * in groups by the writer thread */
		if ((rc = store_writer_start(st, err)) != K_OK)
			goto fail;
	}
	if ((rc = store_scrub_start(st, path, err)) != K_OK)
		goto fail;
	*out = st;
	return K_OK;
fail:
	store_close(st);
	return rc;
}

static void
close_conn(struct store_conn *c)
{
	int i;

	for (i = 0; i < STORE_CACHE; i++)
		if (c->cache[i].stmt)
			sqlite3_finalize(c->cache[i].stmt);
	if (c->db)
		sqlite3_close(c->db);
	pthread_mutex_destroy(&c->mu);
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	/* the writer's last batch may ask for a scrub: stop it first */
	store_writer_stop(st);
	store_scrub_stop(st);
	for (i = 0; i < STORE_READERS; i++)
		close_conn(&st->rd[i]);
	close_conn(&st->w);
	pthread_mutex_destroy(&st->qmu);
	pthread_cond_destroy(&st->work);
	if (st->commits > 0)
		klog("debug", "store", "%" PRIu64 " changes in %" PRIu64
		    " commits; %.1f us of statements a change, %.1f us a"
		    " commit", st->committed, st->commits, st->committed ?
		    (double)st->jobs_ns / 1e3 / (double)st->committed : 0.0,
		    (double)st->commit_ns / 1e3 / (double)st->commits);
	free(st);
}

int
store_cached(struct store_conn *c, const char *sql, sqlite3_stmt **out,
    struct kerr *err)
{
	int i, rc;

	for (i = 0; i < STORE_CACHE && c->cache[i].sql; i++)
		if (c->cache[i].sql == sql) {
			*out = c->cache[i].stmt;
			return K_OK;
		}
	if (i == STORE_CACHE) {
		/* a bug (raise STORE_CACHE): said loudly, not leaked */
		*out = NULL;
		klog("error", "store", "statement cache full");
		return kerr_set(err, K_EFAIL, "statement cache full");
	}
	if ((rc = store_prep(c->db, sql, &c->cache[i].stmt, err)) != K_OK)
		return rc;
	c->cache[i].sql = sql;
	*out = c->cache[i].stmt;
	return K_OK;
}

void
store_release(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

const struct store_service *
store_services(const struct store *st, size_t *n)
{
	*n = st->nservices;
	return st->services;
}

const struct store_service *
store_service(const struct store *st, char letter)
{
	size_t i;

	for (i = 0; i < st->nservices; i++)
		if (st->services[i].letter == letter)
			return &st->services[i];
	return NULL;
}

int
store_counter_services(const struct store *st, int counter, char *letters,
    size_t max)
{
	size_t i, n = 0;
	int j;

	for (i = 0; i < st->nservices; i++)
		for (j = 0; j < st->services[i].ncounters; j++)
			if (st->services[i].counters[j] == counter) {
				if (letters != NULL && n + 1 < max)
					letters[n] = st->services[i].letter;
				n++;
				break;
			}
	if (letters != NULL && max > 0)
		letters[n < max ? n : max - 1] = '\0';
	return (int)n;
}

void
store_ticket_clear(struct store_ticket *t)
{
	if (t == NULL)
		return;
	xfree_wipe_str(t->application);
	t->application = NULL;
}

void
store_row_read(sqlite3_stmt *s, struct store_ticket *t)
{
	const unsigned char *letter;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(s, 0);
	store_text_copy(t->day, sizeof(t->day), s, 1);
	letter = sqlite3_column_text(s, 2);
	t->seq = sqlite3_column_int(s, 3);
	snprintf(t->number, sizeof(t->number), "%c-%03d",
	    letter ? letter[0] : '?', t->seq);
	letter = sqlite3_column_text(s, 4);
	t->service = letter ? (char)letter[0] : '?';
	t->state = (enum store_state)sqlite3_column_int(s, 5);
	store_text_copy(t->procedure, sizeof(t->procedure), s, 6);
	store_text_copy(t->lang, sizeof(t->lang), s, 7);
	store_text_copy(t->kiosk, sizeof(t->kiosk), s, 8);
	t->flags = (unsigned)sqlite3_column_int(s, 9);
	store_text_copy(t->token, sizeof(t->token), s, 10);
	t->issued_ms = sqlite3_column_int64(s, 11);
	t->called_ms = sqlite3_column_int64(s, 12);
	t->started_ms = sqlite3_column_int64(s, 13);
	t->finished_ms = sqlite3_column_int64(s, 14);
	t->counter = sqlite3_column_int(s, 15);
	t->recalls = sqlite3_column_int(s, 16);
	t->default_min = sqlite3_column_int(s, 17);
	store_text_copy(t->note, sizeof(t->note), s, 18);
	store_text_copy(t->step, sizeof(t->step), s, 19);
	store_text_copy(t->route, sizeof(t->route), s, 20);
	if (sqlite3_column_type(s, 21) != SQLITE_NULL) {
		time_t at;
		struct tm tm;

		t->appt_ms = sqlite3_column_int64(s, 21);
		at = (time_t)(t->appt_ms / 1000 + 9 * 3600);
		gmtime_r(&at, &tm);
		snprintf(t->appt_time, sizeof(t->appt_time), "%02u:%02u",
		    (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u);
		store_text_copy(t->appt_arrival, sizeof(t->appt_arrival), s, 22);
	}
	t->line_ms = sqlite3_column_int64(s, 23);
}

/* Read ticket id on connection c (held) into out; K_ENOTFOUND when absent.
 * Without the application, its table is not read (the issue reads its
 * ticket back on every change). */
const char store_sql_load[] = "SELECT " TICKET_COLS ", a.body FROM tickets t"
    " LEFT JOIN applications a ON a.ticket_id = t.id WHERE t.id = ?1";
const char store_sql_load_bare[] = "SELECT " TICKET_COLS " FROM tickets t"
    " WHERE t.id = ?1";

int
store_load(struct store_conn *c, int64_t id, bool with_app,
    struct store_ticket *out, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(c, with_app ? store_sql_load :
	    store_sql_load_bare, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_row_read(s, out);
		if (with_app && sqlite3_column_type(s, 24) != SQLITE_NULL)
			out->application = xstrdup(
			    (const char *)sqlite3_column_text(s, 24));
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket %" PRId64, id);
	} else {
		rc = store_sqlerr(err, c->db, "read ticket");
	}
	store_release(s);
	return rc;
}

const char store_sql_event[] = "INSERT INTO events (at_ms, kind, ticket_id,"
    " service, counter, staff, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

int
store_add_event(struct store *st, int64_t now_ms, const char *kind,
    int64_t ticket, char service, int counter, const char *staff,
    const char *detail, struct kerr *err)
{
	sqlite3_stmt *s;
	char letter[2] = { service, 0 };
	int rc;

	if ((rc = store_cached(&st->w, store_sql_event, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	if (ticket > 0)
		sqlite3_bind_int64(s, 3, ticket);
	if (service)
		sqlite3_bind_text(s, 4, letter, 1, SQLITE_STATIC);
	if (counter > 0)
		sqlite3_bind_int(s, 5, counter);
	if (staff && *staff)
		sqlite3_bind_text(s, 6, staff, -1, SQLITE_STATIC);
	if (detail)
		sqlite3_bind_text(s, 7, detail, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "event log");
	store_release(s);
	return rc;
}

/* Run one statement whose ?1 is a ticket id; the writer's connection.
 * sql is a string literal (the statement is kept by its address). */
int
store_exec_id(struct store *st, const char *sql, int64_t id, const char *what,
    struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(&st->w, sql, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, what);
	store_release(s);
	return rc;
}

/* The event log, for the jobs of the other store files. */
int
store_tx_event(struct store *st, int64_t now_ms, const char *kind,
    int64_t ticket, char service, int counter, const char *staff,
    const char *detail, struct kerr *err)
{
	return store_add_event(st, now_ms, kind, ticket, service, counter, staff,
	    detail, err);
}
