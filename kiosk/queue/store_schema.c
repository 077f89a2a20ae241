/*
 * store_schema.c - the queue database's schema: the migrations, one per
 * user_version, and the function that brings a database file up to date.
 * Only the store files (store*.c) know SQL.
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
	/* 7: appointments (store_appt.c, docs/visits.md).  state: 0 booked,
	 * 1 checked in, 2 no-show, 3 cancelled.  On a ticket, appt_ms is its
	 * appointment's slot (NULL: a walk-in) and appt_order_ms the slot it
	 * is called by (NULL: a walk-in or a late arrival, called by issue
	 * time).  The call path seeks each of the two lines on an index of
	 * its own: appointments by slot, the others as before (priority,
	 * issue time), so neither grows with the other (docs/performance.md).
	 * Bookings past their window are found on (state, slot_ms). */
	"CREATE TABLE appointments ("
	"  id INTEGER PRIMARY KEY,"
	"  day TEXT NOT NULL,"              /* "2026-12-03", Asia/Tokyo */
	"  slot TEXT NOT NULL,"             /* "10:30" */
	"  slot_ms INTEGER NOT NULL,"
	"  service TEXT NOT NULL,"
	"  procedure TEXT NOT NULL,"
	"  code TEXT NOT NULL UNIQUE,"
	"  state INTEGER NOT NULL DEFAULT 0,"
	"  ticket_id INTEGER REFERENCES tickets (id),"
	"  source TEXT NOT NULL,"           /* "staff" or "import" */
	"  arrival TEXT NOT NULL DEFAULT '',"  /* early, on_time, late */
	"  created_ms INTEGER NOT NULL,"
	"  checked_in_ms INTEGER NOT NULL DEFAULT 0,"
	"  staff TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX appointments_day ON appointments (day, slot_ms);"
	"CREATE INDEX appointments_open ON appointments (state, slot_ms);"
	"CREATE INDEX appointments_ticket ON appointments (ticket_id);"
	"ALTER TABLE tickets ADD COLUMN appt_ms INTEGER;"
	"ALTER TABLE tickets ADD COLUMN appt_order_ms INTEGER;"
	"CREATE INDEX tickets_appt ON tickets"
	"  (day, state, service, appt_order_ms, id)"
	"  WHERE appt_order_ms IS NOT NULL;"
	"CREATE INDEX tickets_walkin ON tickets"
	"  (day, state, service, priority DESC, issued_ms, id)"
	"  WHERE appt_order_ms IS NULL;",
	/* 8: a ticket's place in its line (line_ms) apart from its issue
	 * time: a visit's later step is placed by the visit's issue time or,
	 * with server.visit_place = step, by its arrival at the step
	 * (docs/visits.md).  The issue time stays what the evidence reads. */
	"ALTER TABLE tickets ADD COLUMN line_ms INTEGER NOT NULL DEFAULT 0;"
	"UPDATE tickets SET line_ms = issued_ms;"
	"DROP INDEX tickets_wait;"
	"CREATE INDEX tickets_wait ON tickets"
	"  (day, state, service, priority DESC, line_ms, id, default_min);"
	"DROP INDEX tickets_walkin;"
	"CREATE INDEX tickets_walkin ON tickets"
	"  (day, state, service, priority DESC, line_ms, id)"
	"  WHERE appt_order_ms IS NULL;",
};

int
store_schema_version(void)
{
	return (int)ARRAY_SIZE(store_migrations);
}

int
store_migrate(sqlite3 *db, const char *path, struct kerr *err)
{
	sqlite3_stmt *s;
	int version = 0, i, rc;
	char sql[64];

	if ((rc = store_exec(db, "BEGIN IMMEDIATE", err)) != K_OK)
		return rc;
	if (store_prep(db, "PRAGMA user_version", &s, err) != K_OK)
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > (int)ARRAY_SIZE(store_migrations)) {
		store_exec(db, "ROLLBACK", NULL);
		return kerr_set(err, K_EINVAL,
		    "%s: schema version %d is newer than this program (%zu)",
		    path, version, ARRAY_SIZE(store_migrations));
	}
	for (i = version; i < (int)ARRAY_SIZE(store_migrations); i++) {
		if (store_exec(db, store_migrations[i], err) != K_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", i + 1);
		if (store_exec(db, sql, err) != K_OK)
			goto fail;
		klog(strcmp(path, ":memory:") ? "info" : "debug", "store",
		    "%s: schema migrated to version %d", path, i + 1);
	}
	return store_exec(db, "COMMIT", err);
fail:
	store_exec(db, "ROLLBACK", NULL);
	return err ? err->code : K_EFAIL;
}
