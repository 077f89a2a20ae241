/*
 * store_scrub.c - deleted personal data leaves the write-ahead log too.
 *
 * secure_delete zeroes what a DELETE or UPDATE frees, but only in the page
 * it writes: SQLite's WAL still holds the earlier images of that page (the
 * INSERT of the application, the UPDATE that set a transfer note) until
 * the log is reset and happens to be overwritten, hundreds of tickets
 * later.  So after every commit that deleted personal data, a thread of
 * its own runs PRAGMA wal_checkpoint(TRUNCATE): the newest (zeroed) image
 * of every page goes into the database file and the log is cut to zero
 * bytes.  The -shm file is the log's index (page and frame numbers, no
 * content) and is rebuilt from the empty log.  Between deletions the log
 * only holds pages as they are now: store.c lets SQLite reuse it without
 * cutting it (journal_size_limit), since growing it again costs every
 * commit a second flush.
 *
 * Its own connection: a TRUNCATE checkpoint waits until no reader uses an
 * old snapshot; the writers wait only for the moment it holds the log,
 * never for the readers it waits on.  A checkpoint that cannot finish
 * (a long read) is retried every 50 ms.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store_int.h"
#include "xmalloc.h"

struct store_scrub {
	sqlite3 *db;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	unsigned wanted, done;        /* request generations */
	bool stop;
};

static void *
scrub_main(void *arg)
{
	struct store_scrub *sc = arg;
	int64_t failing_since = 0;
	struct timespec ts;
	unsigned gen;
	int rc, nlog, nckpt;

	pthread_mutex_lock(&sc->mu);
	while (!sc->stop) {
		if (sc->done == sc->wanted) {
			pthread_cond_wait(&sc->cond, &sc->mu);
			continue;
		}
		gen = sc->wanted;
		pthread_mutex_unlock(&sc->mu);
		rc = sqlite3_wal_checkpoint_v2(sc->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		pthread_mutex_lock(&sc->mu);
		if (rc == SQLITE_OK) {
			sc->done = gen;
			failing_since = 0;
			continue;
		}
		if (failing_since == 0) {
			failing_since = ts.tv_sec;
		} else if (ts.tv_sec - failing_since >= 5) {
			klog("warn", "store", "the write-ahead log cannot be "
			    "truncated yet (%s): still trying",
			    sqlite3_errmsg(sc->db));
			failing_since = ts.tv_sec;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&sc->cond, &sc->mu, &ts);
	}
	pthread_mutex_unlock(&sc->mu);
	return NULL;
}

int
store_scrub_start(struct store *st, const char *path, struct kerr *err)
{
	struct store_scrub *sc;
	int rc;

	if (strcmp(path, ":memory:") == 0 || path[0] == '\0')
		return K_OK;          /* no file, nothing left behind */
	sc = xcalloc(1, sizeof(*sc));
	pthread_mutex_init(&sc->mu, NULL);
	pthread_cond_init(&sc->cond, NULL);
	if (sqlite3_open_v2(path, &sc->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = kerr_set(err, K_EIO, "%s: cannot open database: %s", path,
		    sc->db ? sqlite3_errmsg(sc->db) : "out of memory");
		goto fail;
	}
	/* short: the thread retries itself, and must hear a stop soon */
	sqlite3_busy_timeout(sc->db, 200);
	/* a connection that has not read the file yet does not know it is
	 * in WAL mode, and its checkpoints do nothing */
	if (sqlite3_exec(sc->db, "PRAGMA journal_mode=WAL; PRAGMA "
	    "journal_size_limit=0", NULL, NULL, NULL) != SQLITE_OK) {
		rc = kerr_set(err, K_EIO, "%s: %s", path,
		    sqlite3_errmsg(sc->db));
		goto fail;
	}
	if ((rc = pthread_create(&sc->th, NULL, scrub_main, sc)) != 0) {
		rc = kerr_set(err, K_EFAIL, "store: scrub thread: %s",
		    strerror(rc));
		goto fail;
	}
	st->scrub = sc;
	/* a log left by a crash may hold what was deleted before it */
	store_scrub_request(st);
	return K_OK;
fail:
	sqlite3_close(sc->db);
	pthread_cond_destroy(&sc->cond);
	pthread_mutex_destroy(&sc->mu);
	free(sc);
	return rc;
}

void
store_scrub_request(struct store *st)
{
	struct store_scrub *sc = st->scrub;

	if (sc == NULL)
		return;
	pthread_mutex_lock(&sc->mu);
	sc->wanted++;
	pthread_cond_broadcast(&sc->cond);
	pthread_mutex_unlock(&sc->mu);
}

void
store_scrub_stop(struct store *st)
{
	struct store_scrub *sc = st->scrub;

	if (sc == NULL)
		return;
	pthread_mutex_lock(&sc->mu);
	sc->stop = true;
	pthread_cond_broadcast(&sc->cond);
	pthread_mutex_unlock(&sc->mu);
	pthread_join(sc->th, NULL);
	sqlite3_close(sc->db);
	pthread_cond_destroy(&sc->cond);
	pthread_mutex_destroy(&sc->mu);
	free(sc);
	st->scrub = NULL;
}
