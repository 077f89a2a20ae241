/*
 * store_backup.c - backup and restore of the queue database, and its size
 * for the health report.  SQL stays here (DESIGN.md §2: only store*.c knows
 * SQLite).
 *
 * A backup is taken with SQLite's online backup API while the server runs:
 * it copies the pages of a consistent snapshot in small steps, so issuing
 * goes on meanwhile (a step that meets a writer is retried).  The copy is
 * made into memory, scrubbed there of personal data - the applications
 * table and the staff's transfer notes (DESIGN.md §5: "deleted" includes
 * backups) - and only then written to disk with VACUUM INTO, so that the
 * file never holds a page, free page or journal with personal data.
 *
 * A restore checks the file first (integrity, schema version, the tables
 * the program needs) and copies it into the target with the same backup
 * API, so the target's WAL is handled by SQLite itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_int.h"
#include "xmalloc.h"

/* Pages a backup step copies before it lets writers in again. */
#define BACKUP_STEP_PAGES 64

static int
db_err(struct kerr *err, sqlite3 *db, const char *what)
{
	return kerr_set(err, K_EIO, "%s: %s", what,
	    db ? sqlite3_errmsg(db) : "out of memory");
}

static int
run(sqlite3 *db, const char *sql, const char *what, struct kerr *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = kerr_set(err, K_EIO, "%s: %s", what,
		    msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return K_OK;
}

/* Copy all of src into dst, a few pages at a time. */
static int
copy_db(sqlite3 *dst, sqlite3 *src, const char *what, struct kerr *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (b == NULL)
		return db_err(err, dst, what);
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return kerr_set(err, K_EIO, "%s: %s", what, sqlite3_errstr(rc));
	return K_OK;
}

static int
int_query(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc = SQLITE_ERROR;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

/* Personal data out of the copy: applications and transfer notes.  The
 * event log keeps no personal data (its details are service letters and
 * help ids) and stays whole. */
static int
scrub(sqlite3 *db, struct kerr *err)
{
	static const char *const sql =
	    "BEGIN;"
	    "DELETE FROM applications;"
	    "UPDATE tickets SET note = '' WHERE note <> '';"
	    "COMMIT;";
	int n = -1;

	if (run(db, sql, "backup: removing personal data", err) != K_OK)
		return err ? err->code : K_EIO;
	if (int_query(db, "SELECT (SELECT count(*) FROM applications) +"
	    " (SELECT count(*) FROM tickets WHERE note <> '')", &n) !=
	    SQLITE_OK || n != 0)
		return kerr_set(err, K_EFAIL, "backup: personal data still "
		    "present after the scrub");
	return K_OK;
}

int
store_backup(const char *db_path, const char *out_path, struct kerr *err)
{
	sqlite3 *src = NULL, *mem = NULL;
	char *tmp = NULL, *sql;
	int rc, fd;

	if (access(db_path, R_OK) != 0)
		return kerr_set(err, K_ENOTFOUND, "%s: cannot read the database: "
		    "%s", db_path, strerror(errno));
	if (sqlite3_open_v2(db_path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = db_err(err, src, db_path);
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = db_err(err, mem, "backup: memory database");
		goto out;
	}
	/* no temporary file may take a scrubbed row to disk */
	if ((rc = run(mem, "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;",
	    "backup", err)) != K_OK)
		goto out;
	if ((rc = copy_db(mem, src, db_path, err)) != K_OK)
		goto out;
	if ((rc = scrub(mem, err)) != K_OK)
		goto out;
	tmp = xasprintf("%s.tmp", out_path);
	unlink(tmp);
	sql = sqlite3_mprintf("VACUUM INTO %Q", tmp);
	rc = run(mem, sql, out_path, err);
	sqlite3_free(sql);
	if (rc != K_OK)
		goto out;
	/* on disk before it takes the final name: a power cut leaves the
	 * previous generation or this one, never half a file */
	if ((fd = open(tmp, O_RDONLY)) < 0 || fsync(fd) != 0) {
		rc = kerr_set(err, K_EIO, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	chmod(tmp, 0600);
	if (rename(tmp, out_path) != 0) {
		rc = kerr_set(err, K_EIO, "%s: %s", out_path, strerror(errno));
		goto out;
	}
	rc = K_OK;
out:
	if (rc != K_OK && tmp != NULL)
		unlink(tmp);
	free(tmp);
	sqlite3_close(mem);
	sqlite3_close(src);
	return rc;
}

int
store_check_file(const char *path, int *version_out, struct kerr *err)
{
	static const char *const tables[] = {
		"services", "tickets", "applications", "events", "help",
	};
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = K_OK, version = 0, n = 0;
	size_t i;

	if (access(path, R_OK) != 0)
		return kerr_set(err, K_ENOTFOUND, "%s: %s", path, strerror(errno));
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_err(err, db, path);
		goto out;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		/* "file is not a database" comes here */
		rc = kerr_set(err, K_EPARSE, "%s: not a kiosk database: %s",
		    path, sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_step(s) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		rc = kerr_set(err, K_EPARSE, "%s: integrity check failed: %.80s",
		    path, t ? (const char *)t : sqlite3_errmsg(db));
		goto out;
	}
	if (int_query(db, "PRAGMA user_version", &version) != SQLITE_OK) {
		rc = db_err(err, db, path);
		goto out;
	}
	if (version < 1) {
		rc = kerr_set(err, K_EPARSE, "%s: not a kiosk database (schema "
		    "version 0)", path);
		goto out;
	}
	if (version > store_schema_version()) {
		rc = kerr_set(err, K_EINVAL, "%s: schema version %d is newer "
		    "than this program's (%d): install the newer kiosk first",
		    path, version, store_schema_version());
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		char *q = sqlite3_mprintf("SELECT count(*) FROM sqlite_schema "
		    "WHERE type = 'table' AND name = %Q", tables[i]);
		int ok = int_query(db, q, &n);
		sqlite3_free(q);
		if (ok != SQLITE_OK || n != 1) {
			rc = kerr_set(err, K_EPARSE, "%s: not a kiosk database "
			    "(no table %s)", path, tables[i]);
			goto out;
		}
	}
	if (version_out)
		*version_out = version;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

int
store_restore(const char *backup_path, const char *db_path, struct kerr *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc;

	if ((rc = store_check_file(backup_path, NULL, err)) != K_OK)
		return rc;
	if (sqlite3_open_v2(backup_path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = db_err(err, src, backup_path);
		goto out;
	}
	if (sqlite3_open_v2(db_path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = db_err(err, dst, db_path);
		goto out;
	}
	sqlite3_busy_timeout(dst, 5000);
	if ((rc = run(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
	    db_path, err)) != K_OK)
		goto out;
	if ((rc = copy_db(dst, src, db_path, err)) != K_OK)
		goto out;
	/* the server opens it in WAL mode; fold the copy into the main file */
	rc = run(dst, "PRAGMA wal_checkpoint(TRUNCATE)", db_path, err);
	if (rc == K_OK)
		chmod(db_path, 0600);
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}

int64_t
store_file_bytes(const char *db_path)
{
	struct stat sb;
	int64_t total = 0;
	char *p;

	if (stat(db_path, &sb) != 0)
		return -1;
	total = sb.st_size;
	p = xasprintf("%s-wal", db_path);
	if (stat(p, &sb) == 0)
		total += sb.st_size;
	free(p);
	return total;
}
