/*
 * store.c - the queue in SQLite: schema and migrations, numbering, the
 * queue rules and the append-only event log.  The only file (with
 * store_read.c) that knows SQL.
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

#include <sqlite3.h>

#include "estimate.h"
#include "randid.h"
#include "store_int.h"
#include "xmalloc.h"

static const char *const store_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE services ("
	"  letter TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  counters TEXT NOT NULL);"
	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY,"
	"  day TEXT NOT NULL,"              /* service day, Asia/Tokyo */
	"  num_service TEXT NOT NULL,"      /* letter of the number */
	"  seq INTEGER NOT NULL,"
	"  service TEXT NOT NULL,"          /* where it waits now */
	"  state INTEGER NOT NULL,"
	"  procedure TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  kiosk TEXT NOT NULL DEFAULT '',"
	"  flags INTEGER NOT NULL DEFAULT 0,"
	"  token TEXT NOT NULL UNIQUE,"
	"  issued_ms INTEGER NOT NULL,"
	"  first_called_ms INTEGER NOT NULL DEFAULT 0,"
	"  called_ms INTEGER NOT NULL DEFAULT 0,"
	"  started_ms INTEGER NOT NULL DEFAULT 0,"
	"  finished_ms INTEGER NOT NULL DEFAULT 0,"
	"  counter INTEGER NOT NULL DEFAULT 0,"
	"  recalls INTEGER NOT NULL DEFAULT 0,"
	"  default_min INTEGER NOT NULL DEFAULT 5,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (day, num_service, seq));"
	"CREATE INDEX tickets_queue ON tickets (day, service, state, issued_ms);"
	"CREATE INDEX tickets_done ON tickets (service, finished_ms);"
	/* personal data, kept apart and deleted (DESIGN.md §5) */
	"CREATE TABLE applications ("
	"  ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),"
	"  body TEXT NOT NULL);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  at_ms INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  ticket_id INTEGER,"
	"  service TEXT,"
	"  counter INTEGER,"
	"  staff TEXT,"
	"  detail TEXT);"
	"CREATE INDEX events_at ON events (at_ms);"
	"CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER events_append_only_d BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TABLE help ("
	"  id INTEGER PRIMARY KEY,"
	"  at_ms INTEGER NOT NULL,"
	"  kiosk TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  resolved_ms INTEGER NOT NULL DEFAULT 0);",
	/* 2: a kiosk's request id makes a repeated issue return the same
	 * ticket (a lost answer is retried without a second number) */
	"ALTER TABLE tickets ADD COLUMN request_id TEXT;"
	"CREATE UNIQUE INDEX tickets_request ON tickets (request_id)"
	"  WHERE request_id IS NOT NULL;",
	/* 3: the wait promised at issue (and the people ahead then), so the
	 * estimate's error is known when the ticket is called (evidence/) */
	"ALTER TABLE tickets ADD COLUMN promised_min INTEGER;"
	"ALTER TABLE tickets ADD COLUMN ahead_at_issue INTEGER;",
};

int
store_schema_version(void)
{
	return (int)ARRAY_SIZE(store_migrations);
}

static const char *const state_names[] = {
	[ST_WAITING] = "waiting", [ST_CALLED] = "called",
	[ST_SERVING] = "serving", [ST_DONE] = "done", [ST_NO_SHOW] = "no_show",
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

static int
exec(sqlite3 *db, const char *sql, struct kerr *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = store_sqlerr(err, db, msg ? msg : sql);
		sqlite3_free(msg);
		return rc;
	}
	return K_OK;
}

static void
text_copy(char *dst, size_t n, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
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
	/* secure_delete zeroes freed bytes; journal_size_limit=0 cuts the
	 * WAL whenever it restarts (store_scrub.c cuts it after deletions) */
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
	    "PRAGMA journal_size_limit=0;", err) != K_OK) {
		sqlite3_close(db);
		return kerr_set(err, K_EIO, "%s: cannot set up the database: %s",
		    path, err ? err->msg : "");
	}
	*out = db;
	return K_OK;
}

static int
migrate(sqlite3 *db, const char *path, struct kerr *err)
{
	sqlite3_stmt *s;
	int version = 0, i, rc;
	char sql[64];

	if ((rc = exec(db, "BEGIN IMMEDIATE", err)) != K_OK)
		return rc;
	if (store_prep(db, "PRAGMA user_version", &s, err) != K_OK)
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > (int)ARRAY_SIZE(store_migrations)) {
		exec(db, "ROLLBACK", NULL);
		return kerr_set(err, K_EINVAL,
		    "%s: schema version %d is newer than this program (%zu)",
		    path, version, ARRAY_SIZE(store_migrations));
	}
	for (i = version; i < (int)ARRAY_SIZE(store_migrations); i++) {
		if (exec(db, store_migrations[i], err) != K_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", i + 1);
		if (exec(db, sql, err) != K_OK)
			goto fail;
		klog(strcmp(path, ":memory:") ? "info" : "debug", "store",
		    "%s: schema migrated to version %d", path, i + 1);
	}
	return exec(db, "COMMIT", err);
fail:
	exec(db, "ROLLBACK", NULL);
	return err ? err->code : K_EFAIL;
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
	for (i = 0; i < STORE_READERS; i++)
		pthread_mutex_init(&st->rd[i].mu, NULL);
	st->noshow_after = cfg ? cfg->noshow_after_recalls : 3;
	st->samples = cfg && cfg->estimate_samples > 0 ? cfg->estimate_samples :
	    10;
	rc = store_parse_services(cfg && cfg->services ? cfg->services :
	    DEFAULT_SERVICES, st->services, STORE_MAX_SERVICES, &st->nservices,
	    err);
	if (rc != K_OK)
		goto fail;
	if ((rc = open_conn(&st->w.db, path, err)) != K_OK)
		goto fail;
	if ((rc = migrate(st->w.db, path, err)) != K_OK)
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
	store_scrub_stop(st);
	for (i = 0; i < STORE_READERS; i++)
		close_conn(&st->rd[i]);
	close_conn(&st->w);
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
	text_copy(t->day, sizeof(t->day), s, 1);
	letter = sqlite3_column_text(s, 2);
	t->seq = sqlite3_column_int(s, 3);
	snprintf(t->number, sizeof(t->number), "%c-%03d",
	    letter ? letter[0] : '?', t->seq);
	letter = sqlite3_column_text(s, 4);
	t->service = letter ? (char)letter[0] : '?';
	t->state = (enum store_state)sqlite3_column_int(s, 5);
	text_copy(t->procedure, sizeof(t->procedure), s, 6);
	text_copy(t->lang, sizeof(t->lang), s, 7);
	text_copy(t->kiosk, sizeof(t->kiosk), s, 8);
	t->flags = (unsigned)sqlite3_column_int(s, 9);
	text_copy(t->token, sizeof(t->token), s, 10);
	t->issued_ms = sqlite3_column_int64(s, 11);
	t->called_ms = sqlite3_column_int64(s, 12);
	t->started_ms = sqlite3_column_int64(s, 13);
	t->finished_ms = sqlite3_column_int64(s, 14);
	t->counter = sqlite3_column_int(s, 15);
	t->recalls = sqlite3_column_int(s, 16);
	t->default_min = sqlite3_column_int(s, 17);
	text_copy(t->note, sizeof(t->note), s, 18);
}

/* Read ticket id on db into out; K_ENOTFOUND when absent. */
int
store_load(sqlite3 *db, int64_t id, bool with_app, struct store_ticket *out,
    struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prep(db, "SELECT " TICKET_COLS ", a.body FROM tickets t"
	    " LEFT JOIN applications a ON a.ticket_id = t.id WHERE t.id = ?1",
	    &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_row_read(s, out);
		if (with_app && sqlite3_column_type(s, 19) != SQLITE_NULL)
			out->application = xstrdup(
			    (const char *)sqlite3_column_text(s, 19));
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket %" PRId64, id);
	} else {
		rc = store_sqlerr(err, db, "read ticket");
	}
	sqlite3_finalize(s);
	return rc;
}

static int
add_event(struct store *st, int64_t now_ms, const char *kind, int64_t ticket,
    char service, int counter, const char *staff, const char *detail,
    struct kerr *err)
{
	sqlite3_stmt *s;
	char letter[2] = { service, 0 };
	int rc;

	if ((rc = store_prep(st->w.db, "INSERT INTO events (at_ms, kind,"
	    " ticket_id, service, counter, staff, detail) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7)", &s, err)) != K_OK)
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
	sqlite3_finalize(s);
	return rc;
}

/* Run one statement whose ?1 is a ticket id; the writer's connection. */
static int
exec_id(struct store *st, const char *sql, int64_t id, const char *what,
    struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prep(st->w.db, sql, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, what);
	sqlite3_finalize(s);
	return rc;
}

/* Transactions on the write connection. */
static int
begin(struct store *st, int64_t now_ms, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	pthread_mutex_lock(&st->w.mu);
	if ((rc = exec(st->w.db, "BEGIN IMMEDIATE", err)) != K_OK) {
		pthread_mutex_unlock(&st->w.mu);
		return rc;
	}
	st->scrub_pending = false;
	/* the first change of a new service day deletes yesterday's
	 * applications and transfer notes, and the notes of finished
	 * tickets a database from before they were deleted may hold
	 * (DESIGN.md §5) */
	if (store_day_start_ms(now_ms) != st->purged_day_ms) {
		if ((rc = store_prep(st->w.db, "DELETE FROM applications WHERE"
		    " (SELECT issued_ms FROM tickets WHERE id = ticket_id) < ?1",
		    &s, err)) == K_OK) {
			sqlite3_bind_int64(s, 1, store_day_start_ms(now_ms));
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "purge");
			else if (sqlite3_changes(st->w.db) > 0)
				st->scrub_pending = true;
			sqlite3_finalize(s);
		}
		if (rc == K_OK && (rc = store_prep(st->w.db, "UPDATE tickets SET"
		    " note = '' WHERE note != '' AND (issued_ms < :day OR state"
		    " IN (:done, :no_show))", &s, err)) == K_OK) {
			store_bind_int64(s, ":day", store_day_start_ms(now_ms));
			store_bind_int64(s, ":done", ST_DONE);
			store_bind_int64(s, ":no_show", ST_NO_SHOW);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(err, st->w.db, "purge notes");
			else if (sqlite3_changes(st->w.db) > 0)
				st->scrub_pending = true;
			sqlite3_finalize(s);
		}
		if (rc != K_OK) {
			exec(st->w.db, "ROLLBACK", NULL);
			pthread_mutex_unlock(&st->w.mu);
			return rc;
		}
		st->purge_pending_day_ms = store_day_start_ms(now_ms);
	}
	return K_OK;
}

static int
end(struct store *st, int rc, struct kerr *err)
{
	if (rc == K_OK) {
		if ((rc = exec(st->w.db, "COMMIT", err)) == K_OK) {
			if (st->purge_pending_day_ms)
				st->purged_day_ms = st->purge_pending_day_ms;
			if (st->scrub_pending)
				store_scrub_request(st);
		} else {
			exec(st->w.db, "ROLLBACK", NULL);
		}
	} else {
		exec(st->w.db, "ROLLBACK", NULL);
	}
	st->purge_pending_day_ms = 0;
	st->scrub_pending = false;
	pthread_mutex_unlock(&st->w.mu);
	return rc;
}

int
store_purge_personal(struct store *st, int64_t now_ms, struct kerr *err)
{
	int rc;

	/* begin() purges when the service day changed since the last purge */
	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	return end(st, K_OK, err);
}

/*
 * Wait estimate: the store counts, estimate.c (pure) decides.  Counted
 * here: people ahead of t in its service (priority first, then issue
 * time) and their procedures' minutes; the last N service times observed
 * today for that service with their procedures' minutes; the counters that
 * called for it in the last hour, and those with a ticket called or in
 * service now.  States and flags are parameters (:waiting, :prio, :done).
 */
static const char sql_ahead[] = "SELECT count(*), coalesce(sum(default_min),"
    " 0) FROM tickets WHERE"
    " day = :day AND service = :service AND state = :waiting AND id != :id"
    " AND ((flags & :prio) > :mine OR ((flags & :prio) = :mine AND"
    " (issued_ms < :issued OR (issued_ms = :issued AND id < :id))))";
static const char sql_open_counters[] = "SELECT count(DISTINCT counter)"
    " FROM events WHERE kind = 'called' AND service = :service AND"
    " at_ms >= :since";
static const char sql_busy_counters[] = "SELECT count(DISTINCT counter)"
    " FROM tickets WHERE day = :day AND service = :service AND"
    " state IN (:called, :serving)";
static const char sql_service_times[] = "SELECT finished_ms - CASE WHEN"
    " started_ms > 0 THEN started_ms ELSE called_ms END, default_min"
    " FROM tickets"
    " WHERE service = :service AND state = :done AND finished_ms >= :since"
    " AND called_ms > 0 ORDER BY finished_ms DESC LIMIT :n";

int
store_estimate(struct store *st, struct store_conn *c, struct store_ticket *t,
    int64_t now_ms, struct kerr *err)
{
	const struct store_service *sv = store_service(st, t->service);
	sqlite3_stmt *s;
	double v[1000], defaults = 0;
	struct est_in in;
	int rc;
	char letter[2] = { t->service, 0 };

	t->ahead = 0;
	t->wait_min = 0;
	if (t->state != ST_WAITING)
		return K_OK;
	memset(&in, 0, sizeof(in));
	if ((rc = store_cached(c, sql_ahead, &s, err)) != K_OK)
		return rc;
	store_bind_text(s, ":day", t->day);
	store_bind_text(s, ":service", letter);
	store_bind_int64(s, ":waiting", ST_WAITING);
	store_bind_int64(s, ":prio", STORE_F_PRIORITY);
	store_bind_int64(s, ":mine", t->flags & STORE_F_PRIORITY);
	store_bind_int64(s, ":issued", t->issued_ms);
	store_bind_int64(s, ":id", t->id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		t->ahead = sqlite3_column_int(s, 0);
		in.ahead_work_min = (double)sqlite3_column_int64(s, 1);
	}
	store_release(s);

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
	if (sqlite3_step(s) == SQLITE_ROW)
		in.busy = sqlite3_column_int(s, 0);
	store_release(s);
	in.ahead = t->ahead;
	in.default_min = t->default_min;
	in.counters = sv && sv->ncounters > 0 ? sv->ncounters : 1;
	in.recent = v;
	in.recent_default_mean = in.nrecent > 0 ? defaults / in.nrecent : 0;
	in.min_samples = st->samples;
	t->wait_min = estimate_wait(&in);
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

/* The wait printed on the ticket, kept to measure the estimate later. */
static int
keep_promise(struct store *st, const struct store_ticket *t, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prep(st->w.db, "UPDATE tickets SET"
	    " promised_min = :promised, ahead_at_issue = :ahead WHERE id = :id",
	    &s, err)) != K_OK)
		return rc;
	store_bind_int64(s, ":id", t->id);
	store_bind_int64(s, ":promised", t->wait_min);
	store_bind_int64(s, ":ahead", t->ahead);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "keep promise");
	sqlite3_finalize(s);
	return rc;
}

int
store_issue(struct store *st, const struct store_issue_req *req,
    int64_t now_ms, struct store_ticket *out, struct kerr *err)
{
	sqlite3_stmt *s;
	char day[11], letter[2] = { req->service, 0 }, token[STORE_TOKEN_LEN + 1];
	int64_t id = 0;
	int seq = 0, rc;

	memset(out, 0, sizeof(*out));
	if (store_service(st, req->service) == NULL)
		return kerr_set(err, K_ENOTFOUND, "no service '%c'", req->service);
	store_day(now_ms, day);
	randid_hex(token, STORE_TOKEN_LEN / 2);
	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	if (req->request_id != NULL) {
		if ((rc = store_prep(st->w.db, "SELECT id FROM tickets WHERE"
		    " request_id = ?1", &s, err)) != K_OK)
			return end(st, rc, err);
		sqlite3_bind_text(s, 1, req->request_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		if (id != 0) {
			rc = store_load(st->w.db, id, false, out, err);
			if (rc == K_OK)
				rc = store_estimate(st, &st->w, out, now_ms, err);
			rc = end(st, rc, err);
			if (rc != K_OK)
				memset(out, 0, sizeof(*out));
			else
				out->replayed = true;
			explicit_bzero(token, sizeof(token));
			return rc;
		}
	}
	if ((rc = store_prep(st->w.db, "SELECT coalesce(max(seq), 0) + 1 FROM"
	    " tickets WHERE day = ?1 AND num_service = ?2", &s, err)) != K_OK)
		return end(st, rc, err);
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, letter, 1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		seq = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (seq <= 0)
		return end(st, store_sqlerr(err, st->w.db, "numbering"), err);

	if ((rc = store_prep(st->w.db, "INSERT INTO tickets (day, num_service,"
	    " seq, service, state, procedure, lang, kiosk, flags, token,"
	    " issued_ms, default_min, request_id) VALUES (?1, ?2, ?3, ?2, ?12,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &s, err)) != K_OK)
		return end(st, rc, err);
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, letter, 1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, seq);
	sqlite3_bind_text(s, 4, req->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, req->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, req->kiosk ? req->kiosk : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(s, 7, (int)(req->flags & (STORE_F_CARD |
	    STORE_F_ASSIST | STORE_F_PRIORITY)));
	sqlite3_bind_text(s, 8, token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, now_ms);
	sqlite3_bind_int(s, 10, req->default_min);
	if (req->request_id != NULL)
		sqlite3_bind_text(s, 11, req->request_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 11);
	sqlite3_bind_int(s, 12, ST_WAITING);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "insert ticket");
	else
		id = sqlite3_last_insert_rowid(st->w.db);
	sqlite3_finalize(s);
	if (rc == K_OK && req->application != NULL) {
		if ((rc = store_prep(st->w.db, "INSERT INTO applications"
		    " (ticket_id, body) VALUES (?1, ?2)", &s, err)) != K_OK)
			return end(st, rc, err);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, req->application, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "insert application");
		sqlite3_finalize(s);
	}
	if (rc == K_OK)
		rc = add_event(st, now_ms, "issued", id, req->service, 0, NULL,
		    NULL, err);
	if (rc == K_OK)
		rc = store_load(st->w.db, id, false, out, err);
	if (rc == K_OK)
		rc = store_estimate(st, &st->w, out, now_ms, err);
	if (rc == K_OK)
		rc = keep_promise(st, out, err);
	rc = end(st, rc, err);
	if (rc != K_OK)
		memset(out, 0, sizeof(*out));
	explicit_bzero(token, sizeof(token));
	return rc;
}

/*
 * The steps of a ticket after its issue, one row each: the states it may
 * be in, the state it goes to, the UPDATE (named parameters :id, :now,
 * :to, :counter, :service, :note; states and flags are never written into
 * the SQL) and whether the application (personal data) goes with it.
 */
#define S(x) (1u << (x))

const struct store_step store_steps[STORE_NSTEPS] = {
	[STORE_STEP_CALL] = { "called", "call", S(ST_WAITING) | S(ST_CALLED),
	    ST_CALLED, false, false, true, false,
	    "UPDATE tickets SET state = :to, counter = :counter,"
	    " called_ms = :now, started_ms = 0, recalls = 0, first_called_ms ="
	    " CASE WHEN first_called_ms = 0 THEN :now ELSE first_called_ms END"
	    " WHERE id = :id" },
	[STORE_STEP_RECALL] = { "recalled", "recall", S(ST_CALLED), ST_CALLED,
	    false, false, false, false,
	    "UPDATE tickets SET recalls = recalls + 1, called_ms = :now"
	    " WHERE id = :id" },
	[STORE_STEP_START] = { "started", "start serving", S(ST_CALLED),
	    ST_SERVING, false, false, false, false,
	    "UPDATE tickets SET state = :to, started_ms = :now WHERE id = :id" },
	[STORE_STEP_DONE] = { "done", "mark done", S(ST_CALLED) | S(ST_SERVING),
	    ST_DONE, true, false, false, false,
	    "UPDATE tickets SET state = :to, finished_ms = :now, note = ''"
	    " WHERE id = :id" },
	[STORE_STEP_NO_SHOW] = { "no_show", "mark a no-show", S(ST_CALLED),
	    ST_NO_SHOW, true, true, false, false,
	    "UPDATE tickets SET state = :to, finished_ms = :now, note = ''"
	    " WHERE id = :id" },
	[STORE_STEP_TRANSFER] = { "transferred", "transfer", S(ST_WAITING) |
	    S(ST_CALLED) | S(ST_SERVING), ST_WAITING, false, false, false, true,
	    "UPDATE tickets SET service = :service, state = :to, counter = 0,"
	    " called_ms = 0, started_ms = 0, recalls = 0, note = :note"
	    " WHERE id = :id" },
};

#undef S

/* One step of ticket id inside the caller's transaction. */
static int
step_in_tx(struct store *st, enum store_step_kind k, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	const struct store_step *sp = &store_steps[k];
	char letter[2] = { arg->service, 0 }, detail[64] = "";
	struct store_ticket cur;
	sqlite3_stmt *s;
	int rc;

	rc = store_load(st->w.db, id, false, &cur, err);
	if (rc == K_OK && !(sp->from & (1u << cur.state)))
		rc = kerr_set(err, K_EBUSY, "%s is %s: cannot %s", cur.number,
		    store_state_name(cur.state), sp->what);
	if (rc == K_OK && sp->needs_recalls && cur.recalls < st->noshow_after)
		rc = kerr_set(err, K_EBUSY, "%s was recalled %d of %d times: "
		    "recall it before marking it a no-show", cur.number,
		    cur.recalls, st->noshow_after);
	if (rc == K_OK && (rc = store_prep(st->w.db, sp->sql, &s, err)) ==
	    K_OK) {
		store_bind_int64(s, ":id", id);
		store_bind_int64(s, ":now", now_ms);
		store_bind_int64(s, ":to", sp->to);
		store_bind_int64(s, ":counter", arg->counter);
		store_bind_text(s, ":service", letter);
		store_bind_text(s, ":note", arg->note ? arg->note : "");
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, sp->what);
		sqlite3_finalize(s);
	}
	/* the application and the staff's note are personal data: gone
	 * with the ticket (the UPDATE above cleared the note), from the
	 * WAL too once this commits */
	if (rc == K_OK && sp->drops_application) {
		rc = exec_id(st, "DELETE FROM applications WHERE ticket_id = ?1",
		    id, "delete application", err);
		st->scrub_pending = true;
	}
	if (rc == K_OK)
		rc = store_load(st->w.db, id, true, out, err);
	if (rc == K_OK) {
		if (sp->to_service)
			snprintf(detail, sizeof(detail),
			    "{\"from\":\"%c\",\"to\":\"%c\"}", cur.service,
			    out->service);
		rc = add_event(st, now_ms, sp->event, id, out->service,
		    sp->at_counter ? arg->counter : cur.counter, arg->staff,
		    detail[0] ? detail : NULL, err);
	}
	return rc;
}

int
store_step(struct store *st, enum store_step_kind k, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((unsigned)k >= STORE_NSTEPS)
		return kerr_set(err, K_EINVAL, "no such step");
	if (store_steps[k].to_service && store_service(st, arg->service) ==
	    NULL)
		return kerr_set(err, K_ENOTFOUND, "no service '%c'", arg->service);
	if (store_steps[k].at_counter && store_counter_services(st,
	    arg->counter, NULL, 0) == 0)
		return kerr_set(err, K_EINVAL,
		    "counter %d serves no service (server.services)",
		    arg->counter);
	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	rc = step_in_tx(st, k, id, arg, now_ms, out, err);
	rc = end(st, rc, err);
	if (rc != K_OK)
		store_ticket_clear(out);
	return rc;
}

int
store_call_next(struct store *st, int counter, const char *staff,
    int64_t now_ms, struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .counter = counter, .staff = staff };
	char letters[STORE_MAX_SERVICES + 1], day[11], sql[512];
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc, n, i;
	size_t off;

	memset(out, 0, sizeof(*out));
	n = store_counter_services(st, counter, letters, sizeof(letters));
	if (n == 0)
		return kerr_set(err, K_EINVAL,
		    "counter %d serves no service (server.services)", counter);
	/* ?3.. are the counter's services */
	off = (size_t)snprintf(sql, sizeof(sql), "SELECT id FROM tickets"
	    " WHERE day = ?1 AND state = ?2 AND service IN (");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, "%s?%d",
		    i ? "," : "", i + 4);
	snprintf(sql + off, sizeof(sql) - off, ") ORDER BY (flags & ?3) DESC,"
	    " issued_ms, id LIMIT 1");
	store_day(now_ms, day);
	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	if ((rc = store_prep(st->w.db, sql, &s, err)) != K_OK)
		return end(st, rc, err);
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, ST_WAITING);
	sqlite3_bind_int(s, 3, STORE_F_PRIORITY);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 4, &letters[i], 1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "nobody waits for counter %d",
		    counter);
	} else {
		rc = store_sqlerr(err, st->w.db, "call next");
	}
	sqlite3_finalize(s);
	if (rc == K_OK)
		rc = step_in_tx(st, STORE_STEP_CALL, id, &arg, now_ms, out, err);
	rc = end(st, rc, err);
	if (rc != K_OK)
		store_ticket_clear(out);
	return rc;
}

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

int
store_call_number(struct store *st, int counter, const char *number,
    const char *staff, int64_t now_ms, struct store_ticket *out,
    struct kerr *err)
{
	const struct store_step_arg arg = { .counter = counter, .staff = staff };
	char letters[STORE_MAX_SERVICES + 1], day[11], letter = 0, l[2] = "";
	sqlite3_stmt *s;
	int64_t id = 0;
	int seq = 0, rc, state = 0;

	memset(out, 0, sizeof(*out));
	if (store_counter_services(st, counter, letters, sizeof(letters)) == 0)
		return kerr_set(err, K_EINVAL,
		    "counter %d serves no service (server.services)", counter);
	if ((rc = parse_number(number, &letter, &seq, err)) != K_OK)
		return rc;
	l[0] = letter;
	store_day(now_ms, day);
	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	if ((rc = store_prep(st->w.db, "SELECT id, state FROM tickets WHERE"
	    " day = ?1 AND num_service = ?2 AND seq = ?3", &s, err)) != K_OK)
		return end(st, rc, err);
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, l, 1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, seq);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		state = sqlite3_column_int(s, 1);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket %c-%03d today",
		    letter, seq);
	} else {
		rc = store_sqlerr(err, st->w.db, "call number");
	}
	sqlite3_finalize(s);
	if (rc == K_OK && !(store_steps[STORE_STEP_CALL].from & (1u << state)))
		rc = kerr_set(err, K_EBUSY, "%c-%03d is %s, not waiting", letter,
		    seq, store_state_name((enum store_state)state));
	if (rc == K_OK)
		rc = step_in_tx(st, STORE_STEP_CALL, id, &arg, now_ms, out, err);
	rc = end(st, rc, err);
	if (rc != K_OK)
		store_ticket_clear(out);
	return rc;
}

/* The steps by name, for callers that know which one they want. */
int
store_recall(struct store *st, int64_t id, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .staff = staff };

	return store_step(st, STORE_STEP_RECALL, id, &arg, now_ms, out, err);
}

int
store_start(struct store *st, int64_t id, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .staff = staff };

	return store_step(st, STORE_STEP_START, id, &arg, now_ms, out, err);
}

int
store_done(struct store *st, int64_t id, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .staff = staff };

	return store_step(st, STORE_STEP_DONE, id, &arg, now_ms, out, err);
}

int
store_no_show(struct store *st, int64_t id, const char *staff, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	const struct store_step_arg arg = { .staff = staff };

	return store_step(st, STORE_STEP_NO_SHOW, id, &arg, now_ms, out, err);
}

int
store_transfer(struct store *st, int64_t id, char service, const char *note,
    const char *staff, int64_t now_ms, struct store_ticket *out,
    struct kerr *err)
{
	const struct store_step_arg arg = { .service = service, .note = note,
	    .staff = staff };

	return store_step(st, STORE_STEP_TRANSFER, id, &arg, now_ms, out, err);
}

int
store_mark_printed(struct store *st, int64_t id, bool printed, int64_t now_ms,
    struct kerr *err)
{
	struct store_ticket t;
	sqlite3_stmt *s;
	int rc;

	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	rc = store_load(st->w.db, id, false, &t, err);
	if (rc == K_OK && printed && (rc = store_prep(st->w.db, "UPDATE tickets"
	    " SET flags = flags | ?2 WHERE id = ?1", &s, err)) == K_OK) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, STORE_F_PRINTED);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "printed");
		sqlite3_finalize(s);
	}
	if (rc == K_OK)
		rc = add_event(st, now_ms, "printer", id, t.service, 0, NULL,
		    printed ? "{\"printed\":true}" : "{\"printed\":false}", err);
	return end(st, rc, err);
}

int
store_help(struct store *st, const char *kiosk, const char *kind,
    int64_t now_ms, int64_t *id_out, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;
	int64_t id = 0;
	char detail[96];

	if ((rc = begin(st, now_ms, err)) != K_OK)
		return rc;
	if ((rc = store_prep(st->w.db, "INSERT INTO help (at_ms, kiosk, kind)"
	    " VALUES (?1, ?2, ?3)", &s, err)) != K_OK)
		return end(st, rc, err);
	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_text(s, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "help");
	else
		id = sqlite3_last_insert_rowid(st->w.db);
	sqlite3_finalize(s);
	snprintf(detail, sizeof(detail), "{\"help\":%" PRId64 "}", id);
	if (rc == K_OK)
		rc = add_event(st, now_ms, strcmp(kind, "resident") == 0 ?
		    "help" : "printer", 0, 0, 0, NULL, detail, err);
	rc = end(st, rc, err);
	if (rc == K_OK && id_out)
		*id_out = id;
	return rc;
}
