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
#include <time.h>

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
	/* 4: the issue, call and status paths cost the same whatever the day
	 * holds (docs/performance.md).  The queue's order as an index
	 * (priority is a column so that it can be indexed; flag bit 4 is
	 * STORE_F_PRIORITY), the waiting tickets and their procedures'
	 * minutes per service and class kept by triggers (state 0 is
	 * ST_WAITING), each counter's last call per service kept from the
	 * event log, and the service times by state.  The numbers written
	 * here are the file format: see the asserts below. */
	"ALTER TABLE tickets ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"
	"UPDATE tickets SET priority = 1 WHERE flags & 4;"
	"DROP INDEX tickets_queue;"
	"DROP INDEX tickets_done;"
	"CREATE INDEX tickets_wait ON tickets"
	"  (day, state, service, priority DESC, issued_ms, id, default_min);"
	"CREATE INDEX tickets_served ON tickets (service, state, finished_ms);"
	"CREATE TABLE waiting ("
	"  day TEXT NOT NULL,"
	"  service TEXT NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  work INTEGER NOT NULL,"           /* sum of their default_min */
	"  PRIMARY KEY (day, service, priority)) WITHOUT ROWID;"
	"INSERT INTO waiting SELECT day, service, priority, count(*),"
	"  sum(default_min) FROM tickets WHERE state = 0"
	"  GROUP BY day, service, priority;"
	"CREATE TRIGGER waiting_i AFTER INSERT ON tickets WHEN new.state = 0"
	"  BEGIN INSERT INTO waiting VALUES (new.day, new.service,"
	"  new.priority, 1, new.default_min) ON CONFLICT DO UPDATE"
	"  SET n = n + 1, work = work + excluded.work; END;"
	"CREATE TRIGGER waiting_u AFTER UPDATE OF state, service, priority, day,"
	"  default_min ON tickets WHEN old.state = 0 OR new.state = 0 BEGIN"
	"  UPDATE waiting SET n = n - 1, work = work - old.default_min"
	"  WHERE old.state = 0 AND day = old.day AND service = old.service"
	"  AND priority = old.priority;"
	"  INSERT INTO waiting SELECT new.day, new.service, new.priority, 1,"
	"  new.default_min WHERE new.state = 0 ON CONFLICT DO UPDATE"
	"  SET n = n + 1, work = work + excluded.work; END;"
	"CREATE TRIGGER waiting_d AFTER DELETE ON tickets WHEN old.state = 0"
	"  BEGIN UPDATE waiting SET n = n - 1, work = work - old.default_min"
	"  WHERE day = old.day AND service = old.service"
	"  AND priority = old.priority; END;"
	"CREATE TABLE counter_calls ("
	"  service TEXT NOT NULL,"
	"  counter INTEGER NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (service, counter)) WITHOUT ROWID;"
	"INSERT INTO counter_calls SELECT service, counter, max(at_ms)"
	"  FROM events WHERE kind = 'called' AND service IS NOT NULL AND"
	"  counter IS NOT NULL GROUP BY service, counter;"
	"CREATE TRIGGER counter_calls_i AFTER INSERT ON events"
	"  WHEN new.kind = 'called' AND new.service IS NOT NULL AND"
	"  new.counter IS NOT NULL BEGIN INSERT INTO counter_calls"
	"  VALUES (new.service, new.counter, new.at_ms) ON CONFLICT DO UPDATE"
	"  SET at_ms = max(at_ms, excluded.at_ms); END;",
	/* 5: alerts are state (store_alert.c): the ticket an alert is about,
	 * its reason, and who took it (resolved_ms is when); kiosks and their
	 * last heartbeat, so that a silent one raises an alert; reprints */
	"ALTER TABLE help ADD COLUMN number TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE help ADD COLUMN detail TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE help ADD COLUMN taken_by TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX help_open ON help (resolved_ms, kiosk, kind);"
	"CREATE TABLE kiosks ("
	"  id TEXT PRIMARY KEY,"
	"  first_seen_ms INTEGER NOT NULL,"
	"  last_seen_ms INTEGER NOT NULL,"
	"  printer TEXT NOT NULL DEFAULT '',"
	"  silent_alert INTEGER NOT NULL DEFAULT 0,"
	"  priority_next_ms INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE reprints ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
	"  target TEXT NOT NULL,"           /* "kiosk:ID" or "counter:N" */
	"  staff TEXT NOT NULL DEFAULT '',"
	"  at_ms INTEGER NOT NULL,"
	"  done_ms INTEGER NOT NULL DEFAULT 0,"
	"  result TEXT NOT NULL DEFAULT '');"
	/* the foreign keys are indexed: a change to a ticket never scans */
	"CREATE INDEX reprints_ticket ON reprints (ticket_id);"
	"CREATE INDEX reprints_target ON reprints (target, done_ms);"
	/* staff actions by the console's request id: a repeat answers the
	 * first result (a lost answer to "call next" calls nobody else) */
	"CREATE TABLE actions ("
	"  request_id TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
	"  counter INTEGER NOT NULL DEFAULT 0,"
	"  ref INTEGER NOT NULL DEFAULT 0,"   /* e.g. the reprint made */
	"  at_ms INTEGER NOT NULL);"
	"CREATE INDEX actions_ticket ON actions (ticket_id);",
	/* 6: one number for a whole visit (docs/visits.md): the procedure of
	 * the step the ticket waits for now, and the steps after it
	 * (procedure ids, ',' between steps, '+' within one counter's step) */
	"ALTER TABLE tickets ADD COLUMN step TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tickets ADD COLUMN route TEXT NOT NULL DEFAULT '';",
};

int
store_schema_version(void)
{
	return (int)ARRAY_SIZE(store_migrations);
}

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
	/* secure_delete zeroes freed bytes; store_scrub.c cuts the WAL to
	 * zero after every commit that deletes personal data.  Between those
	 * the WAL keeps the size of one checkpoint cycle (1000 pages) when
	 * SQLite restarts it: a commit that must grow the file pays a
	 * metadata journal flush on top of its fsync, 3 times the cost of
	 * one that overwrites (docs/performance.md). */
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
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
	pthread_mutex_init(&st->qmu, NULL);
	pthread_cond_init(&st->work, NULL);
	for (i = 0; i < STORE_READERS; i++)
		pthread_mutex_init(&st->rd[i].mu, NULL);
	st->noshow_after = cfg ? cfg->noshow_after_recalls : 3;
	st->max_called = cfg && cfg->max_called_per_counter > 0 ?
	    cfg->max_called_per_counter : 1;
	st->priority_run = cfg && cfg->priority_run > 0 ? cfg->priority_run : 2;
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
	text_copy(t->step, sizeof(t->step), s, 19);
	text_copy(t->route, sizeof(t->route), s, 20);
}

/* Read ticket id on connection c (held) into out; K_ENOTFOUND when absent. */
static const char sql_load[] = "SELECT " TICKET_COLS ", a.body FROM tickets t"
    " LEFT JOIN applications a ON a.ticket_id = t.id WHERE t.id = ?1";

int
store_load(struct store_conn *c, int64_t id, bool with_app,
    struct store_ticket *out, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(c, sql_load, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_row_read(s, out);
		if (with_app && sqlite3_column_type(s, 21) != SQLITE_NULL)
			out->application = xstrdup(
			    (const char *)sqlite3_column_text(s, 21));
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kerr_set(err, K_ENOTFOUND, "no ticket %" PRId64, id);
	} else {
		rc = store_sqlerr(err, c->db, "read ticket");
	}
	store_release(s);
	return rc;
}

static const char sql_event[] = "INSERT INTO events (at_ms, kind, ticket_id,"
    " service, counter, staff, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static int
add_event(struct store *st, int64_t now_ms, const char *kind, int64_t ticket,
    char service, int counter, const char *staff, const char *detail,
    struct kerr *err)
{
	sqlite3_stmt *s;
	char letter[2] = { service, 0 };
	int rc;

	if ((rc = store_cached(&st->w, sql_event, &s, err)) != K_OK)
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
static int
exec_id(struct store *st, const char *sql, int64_t id, const char *what,
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

/*
 * Transactions on the write connection, committed in groups.
 *
 * Every change is a job: a function that runs inside the writer's
 * transaction.  store_write() queues the job and waits; one writer thread
 * takes every job queued so far, runs them one after another in one
 * transaction (each in a SAVEPOINT, so a failing job undoes only itself)
 * and commits them with one COMMIT, one fsync.  Jobs that arrive while a
 * commit's fsync runs form the next batch, so N concurrent changes share
 * one commit, and no job waits for another thread to be scheduled between
 * two statements.  store_write() returns only after the COMMIT that holds
 * its job has returned (synchronous=FULL: durable), with that COMMIT's
 * result: nobody hears of a ticket that a crash could take back.  A crash
 * between the COMMIT and the answer loses nothing: the kiosk's retry with
 * its request_id gets the same ticket.
 *
 * The writer holds w.mu while it runs a batch: code that needs the writer
 * connection outside any transaction (a checkpoint) takes w.mu.  A
 * ":memory:" store (tests) runs each job at once on the caller's thread.
 */
struct store_job {
	struct store_job *next;
	store_job_fn *fn;
	void *arg;
	int64_t now_ms;
	int rc;
	bool done;
	pthread_cond_t durable;       /* done was set (under qmu) */
	struct kerr err;
};

static const char sql_tx_begin[] = "BEGIN IMMEDIATE";
static const char sql_tx_commit[] = "COMMIT";
static const char sql_tx_rollback[] = "ROLLBACK";
static const char sql_job_begin[] = "SAVEPOINT job";
static const char sql_job_release[] = "RELEASE job";
static const char sql_job_undo[] = "ROLLBACK TO job";
static const char sql_purge[] = "DELETE FROM applications WHERE"
    " (SELECT issued_ms FROM tickets WHERE id = ticket_id) < ?1";
static const char sql_purge_notes[] = "UPDATE tickets SET note = ''"
    " WHERE note != '' AND (issued_ms < :day OR state IN (:done, :no_show))";

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One cached statement without rows on the writer. */
static int
run(struct store *st, const char *sql, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(&st->w, sql, &s, err)) != K_OK)
		return rc;
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, sql);
	store_release(s);
	return rc;
}

/* The first change of a new service day deletes yesterday's applications
 * and transfer notes, and the notes of finished tickets a database from
 * before they were deleted may hold (DESIGN.md §5); it counts once its
 * transaction commits.  Once a day: these scan the applications and the
 * tickets with a note. */
static int
purge_if_new_day(struct store *st, int64_t now_ms, struct kerr *err)
{
	int64_t day = store_day_start_ms(now_ms);
	sqlite3_stmt *s;
	int rc;

	if (day == st->purged_day_ms || day == st->purge_pending_day_ms)
		return K_OK;
	if ((rc = store_cached(&st->w, sql_purge, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, day);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "purge");
	else if (sqlite3_changes(st->w.db) > 0)
		st->scrub_pending = true;
	store_release(s);
	if (rc == K_OK && (rc = store_cached(&st->w, sql_purge_notes, &s,
	    err)) == K_OK) {
		store_bind_int64(s, ":day", day);
		store_bind_int64(s, ":done", ST_DONE);
		store_bind_int64(s, ":no_show", ST_NO_SHOW);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "purge notes");
		else if (sqlite3_changes(st->w.db) > 0)
			st->scrub_pending = true;
		store_release(s);
	}
	if (rc == K_OK)
		st->purge_pending_day_ms = day;
	return rc;
}

/* Run jobs (a list) in one transaction and commit it; w.mu held.  Each
 * job's rc and err are set; done is left to the caller. */
static void
run_batch(struct store *st, struct store_job *jobs)
{
	struct store_job *j;
	struct kerr e;
	int rc, n = 0;
	uint64_t t0 = mono_ns(), t1;

	kerr_clear(&e);
	st->scrub_pending = false;
	rc = run(st, sql_tx_begin, &e);
	for (j = jobs; j != NULL; j = j->next) {
		kerr_clear(&j->err);
		if (rc != K_OK) {
			j->rc = rc;
			j->err = e;
			continue;
		}
		j->rc = purge_if_new_day(st, j->now_ms, &j->err);
		if (j->rc == K_OK)
			j->rc = run(st, sql_job_begin, &j->err);
		if (j->rc != K_OK)
			continue;
		j->rc = j->fn(st, j->arg, &j->err);
		if (j->rc == K_OK)
			j->rc = run(st, sql_job_release, &j->err);
		if (j->rc != K_OK && !sqlite3_get_autocommit(st->w.db)) {
			run(st, sql_job_undo, NULL);
			run(st, sql_job_release, NULL);
		}
		if (sqlite3_get_autocommit(st->w.db)) {
			/* SQLite ended the transaction itself (I/O error,
			 * full disk): the jobs before this one are lost too */
			rc = j->rc != K_OK ? j->rc : K_EIO;
			e = j->err;
			if (j->rc == K_OK)
				j->rc = kerr_set(&j->err, K_EIO, "database write "
				    "failed: the transaction was rolled back");
		}
		n++;
	}
	t1 = mono_ns();
	if (rc == K_OK)
		rc = run(st, sql_tx_commit, &e);
	if (rc != K_OK && !sqlite3_get_autocommit(st->w.db))
		run(st, sql_tx_rollback, NULL);
	st->jobs_ns += t1 - t0;
	st->commit_ns += mono_ns() - t1;
	/* a moving average of the COMMIT (the fsync) for the writer's wait */
	st->commit_avg_ns = (st->commit_avg_ns * 7 + (mono_ns() - t1)) / 8;
	if (rc == K_OK && st->purge_pending_day_ms)
		st->purged_day_ms = st->purge_pending_day_ms;
	/* personal data deleted: out of the WAL too (store_scrub.c) */
	if (rc == K_OK && st->scrub_pending)
		store_scrub_request(st);
	st->purge_pending_day_ms = 0;
	st->scrub_pending = false;
	/* a job hears of its change only when it is durable */
	for (j = jobs; j != NULL; j = j->next)
		if (rc != K_OK && j->rc == K_OK) {
			j->rc = rc;
			j->err = e;
		}
	st->commits++;
	st->committed += (uint64_t)n;
}

static void *
writer_main(void *arg)
{
	struct store *st = arg;
	struct store_job *jobs, *j, *next, **tail;
	int n, last = 1;

	pthread_mutex_lock(&st->qmu);
	for (;;) {
		while (st->queue == NULL && !st->stopping)
			pthread_cond_wait(&st->work, &st->qmu);
		if (st->queue == NULL)
			break;
		/* The callers of the last batch send their next change when
		 * they get their answer: the first back would otherwise make
		 * a batch of its own and the others the next one.  Wait for
		 * them a little (a fraction of a commit, never at one
		 * connection, where the last batch was one job). */
		if (st->nqueued < last && !st->stopping) {
			struct timespec until;
			uint64_t wait = st->commit_avg_ns / 4;

			if (wait > 2000000)
				wait = 2000000;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (long)wait;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (st->nqueued < last && !st->stopping &&
			    pthread_cond_timedwait(&st->work, &st->qmu,
			    &until) == 0)
				;
		}
		/* everything queued so far, up to STORE_BATCH_MAX */
		jobs = st->queue;
		for (n = 1, tail = &jobs->next; *tail != NULL &&
		    n < STORE_BATCH_MAX; n++)
			tail = &(*tail)->next;
		st->queue = *tail;
		if (st->queue == NULL)
			st->queue_tail = &st->queue;
		*tail = NULL;
		st->nqueued -= n;
		last = n;
		pthread_mutex_unlock(&st->qmu);

		pthread_mutex_lock(&st->w.mu);
		run_batch(st, jobs);
		pthread_mutex_unlock(&st->w.mu);

		/* each waiter is woken for its own job only */
		pthread_mutex_lock(&st->qmu);
		for (j = jobs; j != NULL; j = next) {
			next = j->next;
			j->done = true;
			pthread_cond_signal(&j->durable);
		}
	}
	pthread_mutex_unlock(&st->qmu);
	return NULL;
}

int
store_write(struct store *st, int64_t now_ms, store_job_fn *fn, void *arg,
    struct kerr *err)
{
	struct store_job job;

	memset(&job, 0, sizeof(job));
	pthread_cond_init(&job.durable, NULL);
	job.fn = fn;
	job.arg = arg;
	job.now_ms = now_ms;
	pthread_mutex_lock(&st->qmu);
	if (st->writer_running && !st->stopping) {
		*st->queue_tail = &job;
		st->queue_tail = &job.next;
		st->nqueued++;
		pthread_cond_signal(&st->work);
		while (!job.done)
			pthread_cond_wait(&job.durable, &st->qmu);
		pthread_mutex_unlock(&st->qmu);
	} else {
		/* no writer thread (":memory:", or closing): at once */
		pthread_mutex_unlock(&st->qmu);
		pthread_mutex_lock(&st->w.mu);
		run_batch(st, &job);
		pthread_mutex_unlock(&st->w.mu);
	}
	pthread_cond_destroy(&job.durable);
	if (job.rc != K_OK && err != NULL)
		*err = job.err;
	return job.rc;
}

int
store_writer_start(struct store *st, struct kerr *err)
{
	int rc;

	pthread_mutex_lock(&st->qmu);
	st->queue_tail = &st->queue;
	if ((rc = pthread_create(&st->writer, NULL, writer_main, st)) == 0)
		st->writer_running = true;
	pthread_mutex_unlock(&st->qmu);
	if (rc != 0)
		return kerr_set(err, K_EFAIL, "cannot start the store's writer "
		    "thread: %s", strerror(rc));
	return K_OK;
}

void
store_writer_stop(struct store *st)
{
	if (!st->writer_running)
		return;
	pthread_mutex_lock(&st->qmu);
	st->stopping = true;
	pthread_cond_signal(&st->work);
	pthread_mutex_unlock(&st->qmu);
	pthread_join(st->writer, NULL);
	pthread_mutex_lock(&st->qmu);
	st->writer_running = false;
	pthread_mutex_unlock(&st->qmu);
}

void
store_write_stats(struct store *st, uint64_t *changes, uint64_t *commits)
{
	pthread_mutex_lock(&st->w.mu);
	*changes = st->committed;
	*commits = st->commits;
	pthread_mutex_unlock(&st->w.mu);
}

static uint64_t
conn_work(struct store_conn *c)
{
	uint64_t n = 0;
	int i;

	pthread_mutex_lock(&c->mu);
	for (i = 0; i < STORE_CACHE; i++)
		if (c->cache[i].stmt != NULL)
			n += (uint64_t)sqlite3_stmt_status(c->cache[i].stmt,
			    SQLITE_STMTSTATUS_VM_STEP, 1);
	pthread_mutex_unlock(&c->mu);
	return n;
}

uint64_t
store_work(struct store *st)
{
	uint64_t n = conn_work(&st->w);
	int i;

	for (i = 0; i < st->nreaders; i++)
		if (st->readers[i] != &st->w)
			n += conn_work(st->readers[i]);
	return n;
}

static int
purge_job(struct store *st, void *arg, struct kerr *err)
{
	(void)st;
	(void)arg;
	(void)err;
	return K_OK;      /* the purge runs before every job of a new day */
}

int
store_purge_personal(struct store *st, int64_t now_ms, struct kerr *err)
{
	return store_write(st, now_ms, purge_job, NULL, err);
}

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
    " priority = :prio AND issued_ms <= :issued AND"
    " (issued_ms < :issued OR id < :id)";
static const char sql_class_after[] = "SELECT count(*),"
    " coalesce(sum(default_min), 0) FROM tickets"
    " WHERE day = :day AND state = :waiting AND service = :service AND"
    " priority = :prio AND issued_ms >= :issued AND"
    " (issued_ms > :issued OR id > :id)";
static const char sql_open_counters[] = "SELECT count(*) FROM counter_calls"
    " WHERE service = :service AND at_ms >= :since";
static const char sql_busy_counters[] = "SELECT count(DISTINCT counter)"
    " FROM tickets WHERE day = :day AND state IN (:called, :serving) AND"
    " service = :service";
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
	store_bind_int64(s, ":issued", t->issued_ms);
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
		/* its class, less itself and those behind it */
		if ((rc = count_class(c, sql_class_after, t, &count, &cwork,
		    err)) != K_OK)
			return rc;
		count = n[prio] - 1 - count;
		cwork = work[prio] - t->default_min - cwork;
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
    " issued_ms, default_min, request_id, priority, step, route) VALUES (?1,"
    " ?2, ?3, ?2, ?12, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14, ?15)";
static const char sql_insert_app[] = "INSERT INTO applications (ticket_id,"
    " body) VALUES (?1, ?2)";
static const char sql_promise[] = "UPDATE tickets SET promised_min = :promised,"
    " ahead_at_issue = :ahead WHERE id = :id";

/* The wait printed on the ticket, kept to measure the estimate later. */
static int
keep_promise(struct store *st, const struct store_ticket *t, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_cached(&st->w, sql_promise, &s, err)) != K_OK)
		return rc;
	store_bind_int64(s, ":id", t->id);
	store_bind_int64(s, ":promised", t->wait_min);
	store_bind_int64(s, ":ahead", t->ahead);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "keep promise");
	store_release(s);
	return rc;
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

	if (req->request_id != NULL) {
		if ((rc = store_cached(&st->w, sql_by_request, &s, err)) != K_OK)
			return rc;
		sqlite3_bind_text(s, 1, req->request_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		store_release(s);
		if (id != 0) {
			rc = store_load(&st->w, id, false, out, err);
			if (rc == K_OK)
				rc = store_estimate(st, &st->w, out, false, now_ms,
				    err);
			out->replayed = rc == K_OK;
			return rc;
		}
	}
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
		rc = add_event(st, now_ms, "issued", id, req->service, 0, NULL,
		    NULL, err);
	if (rc == K_OK)
		rc = store_load(&st->w, id, false, out, err);
	if (rc == K_OK)
		rc = store_estimate(st, &st->w, out, true, now_ms, err);
	if (rc == K_OK)
		rc = keep_promise(st, out, err);
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
	/* its place is its issue time, which stays: the next call takes it
	 * again before anyone issued after it */
	[STORE_STEP_REQUEUE] = { "requeued", "put back in the queue",
	    S(ST_CALLED) | S(ST_SERVING), ST_WAITING, false, false, false, false,
	    "UPDATE tickets SET state = :to, counter = 0, called_ms = 0,"
	    " started_ms = 0, recalls = 0 WHERE id = :id" },
	[STORE_STEP_CARRY_OVER] = { "carried_over", "carry over",
	    S(ST_WAITING) | S(ST_CALLED) | S(ST_SERVING) | S(ST_AWAY),
	    ST_CARRIED_OVER, true,
	    false, false, false,
	    "UPDATE tickets SET state = :to, finished_ms = :now, note ="
	    " CASE WHEN :note = '' THEN note ELSE :note END WHERE id = :id" },
	/* the resident steps out: no call takes it (the call order reads
	 * waiting tickets only) and it is not among the people ahead of
	 * others; its issue time stays, so back is its old place */
	[STORE_STEP_AWAY] = { "away", "step away", S(ST_WAITING), ST_AWAY,
	    false, false, false, false,
	    "UPDATE tickets SET state = :to WHERE id = :id" },
	[STORE_STEP_BACK] = { "back", "come back", S(ST_AWAY), ST_WAITING,
	    false, false, false, false,
	    "UPDATE tickets SET state = :to WHERE id = :id" },
	/* a visit's part is done: the ticket waits for the next step's
	 * service, keeping its number and its issue time (its place) */
	[STORE_STEP_NEXT] = { "next_step", "send on to the next step",
	    S(ST_CALLED) | S(ST_SERVING), ST_WAITING, false, false, false, true,
	    "UPDATE tickets SET service = :service, state = :to, counter = 0,"
	    " called_ms = 0, started_ms = 0, recalls = 0, note = :note,"
	    " step = :step, route = :route WHERE id = :id" },
	[STORE_STEP_CANCEL] = { "cancelled", "cancel", S(ST_WAITING) |
	    S(ST_AWAY), ST_CANCELLED, true, false, false, false,
	    "UPDATE tickets SET state = :to, finished_ms = :now, note = ''"
	    " WHERE id = :id" },
};

#undef S

static const char sql_drop_app[] = "DELETE FROM applications"
    " WHERE ticket_id = ?1";
/*
 * Staff actions by request id, inside the caller's transaction.  A request
 * id seen before answers the ticket it acted on, as it is now, and changes
 * nothing (*found); one used for another kind of action is refused.
 */
static int
replay(struct store *st, const char *rid, const char *event,
    struct store_ticket *out, bool *found, struct kerr *err)
{
	char kind[32] = "";
	int64_t id = 0;
	sqlite3_stmt *s;
	int rc;

	*found = false;
	if (rid == NULL)
		return K_OK;
	if ((rc = store_prep(st->w.db, "SELECT kind, ticket_id FROM actions"
	    " WHERE request_id = ?1", &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, rid, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		text_copy(kind, sizeof(kind), s, 0);
		id = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (id == 0)
		return K_OK;
	if (strcmp(kind, event) != 0)
		return kerr_set(err, K_EINVAL, "request_id was used for another "
		    "action (%s)", kind);
	if ((rc = store_load(&st->w, id, true, out, err)) != K_OK)
		return rc;
	out->replayed = true;
	*found = true;
	return K_OK;
}

static int
record(struct store *st, const char *rid, const char *event, int64_t id,
    int counter, int64_t now_ms, struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	if (rid == NULL)
		return K_OK;
	if ((rc = store_prep(st->w.db, "INSERT INTO actions (request_id, kind,"
	    " ticket_id, counter, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)", &s,
	    err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, rid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_int(s, 4, counter);
	sqlite3_bind_int64(s, 5, now_ms);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "request id");
	sqlite3_finalize(s);
	return rc;
}

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

	rc = store_load(&st->w, id, false, &cur, err);
	if (rc == K_OK && !(sp->from & (1u << cur.state)))
		rc = kerr_set(err, K_EBUSY, "%s is %s: cannot %s", cur.number,
		    store_state_name(cur.state), sp->what);
	if (rc == K_OK && sp->needs_recalls && cur.recalls < st->noshow_after)
		rc = kerr_set(err, K_EBUSY, "%s was recalled %d of %d times: "
		    "recall it before marking it a no-show", cur.number,
		    cur.recalls, st->noshow_after);
	if (rc == K_OK && (rc = store_cached(&st->w, sp->sql, &s, err)) ==
	    K_OK) {
		store_bind_int64(s, ":id", id);
		store_bind_int64(s, ":now", now_ms);
		store_bind_int64(s, ":to", sp->to);
		store_bind_int64(s, ":counter", arg->counter);
		store_bind_text(s, ":service", letter);
		store_bind_text(s, ":note", arg->note ? arg->note : "");
		store_bind_text(s, ":step", arg->step ? arg->step : "");
		store_bind_text(s, ":route", arg->route ? arg->route : "");
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, sp->what);
		store_release(s);
	}
	/* the application and the staff's note are personal data: gone
	 * with the ticket (the UPDATE above cleared the note), from the
	 * WAL too once this commits */
	if (rc == K_OK && sp->drops_application) {
		rc = exec_id(st, sql_drop_app, id, "delete application", err);
		st->scrub_pending = true;
	}
	if (rc == K_OK)
		rc = store_load(&st->w, id, true, out, err);
	if (rc == K_OK) {
		if (sp->to_service)
			snprintf(detail, sizeof(detail),
			    "{\"from\":\"%c\",\"to\":\"%c\"}", cur.service,
			    out->service);
		rc = add_event(st, now_ms, sp->event, id, out->service,
		    sp->at_counter ? arg->counter : cur.counter, arg->staff,
		    detail[0] ? detail : NULL, err);
	}
	if (rc == K_OK)
		rc = record(st, arg->request_id, sp->event, id, sp->at_counter ?
		    arg->counter : cur.counter, now_ms, err);
	return rc;
}

struct step_job {
	enum store_step_kind k;
	int64_t id;
	const struct store_step_arg *arg;
	int64_t now_ms;
	struct store_ticket *out;
};

static int
step_job(struct store *st, void *arg, struct kerr *err)
{
	const struct step_job *a = arg;
	bool again;
	int rc;

	rc = replay(st, a->arg->request_id, store_steps[a->k].event, a->out,
	    &again, err);
	if (rc != K_OK)
		return rc;
	if (again)
		return a->out->id == a->id ? K_OK : kerr_set(err, K_EINVAL,
		    "request_id was used for ticket %s", a->out->number);
	return step_in_tx(st, a->k, a->id, a->arg, a->now_ms, a->out, err);
}

int
store_step(struct store *st, enum store_step_kind k, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err)
{
	struct step_job a = { k, id, arg, now_ms, out };
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
	rc = store_write(st, now_ms, step_job, &a, err);
	if (rc != K_OK)
		store_ticket_clear(out);
	return rc;
}

/*
 * A visit's steps still to come, set by staff (add or skip a step): not a
 * step of the table, as the ticket stays in the state it is in.  Only an
 * open visit's (a ticket with a step) route changes; logged as "route".
 */
struct route_job {
	int64_t id;
	const struct store_step_arg *arg;
	int64_t now_ms;
	struct store_ticket *out;
};

static int
route_job(struct store *st, void *arg, struct kerr *err)
{
	const struct route_job *a = arg;
	const unsigned open = 1u << ST_WAITING | 1u << ST_CALLED |
	    1u << ST_SERVING | 1u << ST_AWAY;
	struct store_ticket cur;
	sqlite3_stmt *s;
	bool again;
	int rc;

	rc = replay(st, a->arg->request_id, "route", a->out, &again, err);
	if (rc != K_OK)
		return rc;
	if (again)
		return a->out->id == a->id ? K_OK : kerr_set(err, K_EINVAL,
		    "request_id was used for ticket %s", a->out->number);
	if ((rc = store_load(&st->w, a->id, false, &cur, err)) != K_OK)
		return rc;
	if (!(open & (1u << cur.state)))
		return kerr_set(err, K_EBUSY, "%s is %s: cannot change its "
		    "route", cur.number, store_state_name(cur.state));
	if (cur.step[0] == '\0')
		return kerr_set(err, K_EINVAL, "%s is not a visit: it has no "
		    "route", cur.number);
	if ((rc = store_cached(&st->w, "UPDATE tickets SET route = :route"
	    " WHERE id = :id", &s, err)) != K_OK)
		return rc;
	store_bind_int64(s, ":id", a->id);
	store_bind_text(s, ":route", a->arg->route ? a->arg->route : "");
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "change the route");
	store_release(s);
	if (rc == K_OK)
		rc = store_load(&st->w, a->id, true, a->out, err);
	if (rc == K_OK)
		rc = add_event(st, a->now_ms, "route", a->id, cur.service,
		    cur.counter, a->arg->staff, NULL, err);
	if (rc == K_OK)
		rc = record(st, a->arg->request_id, "route", a->id, cur.counter,
		    a->now_ms, err);
	return rc;
}

int
store_route(struct store *st, int64_t id, const struct store_step_arg *arg,
    int64_t now_ms, struct store_ticket *out, struct kerr *err)
{
	struct route_job a = { id, arg, now_ms, out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_write(st, now_ms, route_job, &a, err);
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
 * were priority tickets, counting back from the newest until one was not
 * (at most priority_run).
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
	off = (size_t)snprintf(sql, sizeof(sql), "SELECT t.priority FROM"
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

/* The first waiting ticket of one service: priority first, then issue
 * time; one seek on the queue index.  After priority_run priority calls in
 * a row, by issue time alone (sql_next_fifo). */
static const char sql_next[] = "SELECT id, priority, issued_ms FROM tickets"
    " WHERE day = ?1 AND state = ?2 AND service = ?3"
    " ORDER BY priority DESC, issued_ms, id LIMIT 1";
static const char sql_next_fifo[] = "SELECT id, 0, issued_ms FROM tickets"
    " WHERE day = ?1 AND state = ?2 AND service = ?3"
    " ORDER BY issued_ms, id LIMIT 1";

/* Inside a job: the next waiting ticket for the counter's services (each
 * service's first, the earliest of those), or K_ENOTFOUND.  Priority goes
 * first but never starves the others (docs/counter-operations.md). */
static int
pick_next(struct store *st, int counter, const char *letters, int n,
    const char *day, int64_t now_ms, int64_t *id, struct kerr *err)
{
	sqlite3_stmt *s;
	int64_t best_issued = 0, issued;
	int rc, prio, best_prio = -1, streak, i;
	bool fifo;

	*id = 0;
	if ((rc = priority_streak(st, letters, n, now_ms, &streak, err)) != K_OK)
		return rc;
	fifo = streak >= st->priority_run;
	for (i = 0; i < n && rc == K_OK; i++) {
		if ((rc = store_cached(&st->w, fifo ? sql_next_fifo : sql_next,
		    &s, err)) != K_OK)
			break;
		sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, ST_WAITING);
		sqlite3_bind_text(s, 3, &letters[i], 1, SQLITE_STATIC);
		switch (sqlite3_step(s)) {
		case SQLITE_ROW:
			prio = sqlite3_column_int(s, 1);
			issued = sqlite3_column_int64(s, 2);
			if (prio > best_prio || (prio == best_prio &&
			    (issued < best_issued || (issued == best_issued &&
			    sqlite3_column_int64(s, 0) < *id)))) {
				*id = sqlite3_column_int64(s, 0);
				best_prio = prio;
				best_issued = issued;
			}
			break;
		case SQLITE_DONE:
			break;
		default:
			rc = store_sqlerr(err, st->w.db, "call next");
		}
		store_release(s);
	}
	if (rc == K_OK && *id == 0)
		rc = kerr_set(err, K_ENOTFOUND, "nobody waits for counter %d",
		    counter);
	return rc;
}

static const char sql_by_number[] = "SELECT id, state FROM tickets"
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
	if ((rc = store_cached(&st->w, sql_by_number, &s, err)) != K_OK)
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

	rc = replay(st, a->arg->request_id, store_steps[STORE_STEP_CALL].event,
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
		rc = step_in_tx(st, STORE_STEP_CALL, id, a->arg, a->now_ms, a->out,
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
		rc = add_event(st, a->now_ms, "printer", a->id, t.service, 0,
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
		rc = add_event(st, a->now_ms, strcmp(a->kind, "resident") == 0 ?
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
	{ "issue: number", sql_last_seq },
	{ "issue: ticket", sql_insert_ticket },
	{ "issue: application", sql_insert_app },
	{ "issue: event", sql_event },
	{ "read a ticket", sql_load },
	{ "estimate: waiting", sql_waiting },
	{ "estimate: ahead (status)", sql_class_before },
	{ "estimate: ahead (issue)", sql_class_after },
	{ "estimate: service times", sql_service_times },
	{ "estimate: open counters", sql_open_counters },
	{ "estimate: busy counters", sql_busy_counters },
	{ "issue: promised wait", sql_promise },
	{ "status: by token", store_sql_by_token },
	{ "call: next of a service", sql_next },
	{ "call: a number", sql_by_number },
	{ "drop the application", sql_drop_app },
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

/* The event log, for the jobs of the other store files. */
int
store_tx_event(struct store *st, int64_t now_ms, const char *kind,
    int64_t ticket, char service, int counter, const char *staff,
    const char *detail, struct kerr *err)
{
	return add_event(st, now_ms, kind, ticket, service, counter, staff,
	    detail, err);
}
