/*
 * store_writer.c - the writer thread: every change is a job run inside a
 * transaction on the write connection, committed in groups; the purge of
 * personal data at the first change of a new service day; work counters.
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
	store_done_fn *done_fn;       /* store_write_async(): nobody waits */
	void *done_arg;
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

/* One transaction of jobs: begun, then jobs run as they come, then
 * committed.  w.mu is held throughout. */
struct batch {
	int rc;                       /* BEGIN's, or the transaction's end */
	struct kerr e;
	int n;                        /* jobs run */
	uint64_t run_ns;              /* BEGIN and the jobs, not the waits */
};

static void
batch_begin(struct store *st, struct batch *b)
{
	uint64_t t0 = mono_ns();

	memset(b, 0, sizeof(*b));
	kerr_clear(&b->e);
	st->scrub_pending = false;
	b->rc = run(st, sql_tx_begin, &b->e);
	b->run_ns += mono_ns() - t0;
}

/* Run jobs (a list), each in its savepoint; each job's rc and err are
 * set, done is left to the caller. */
static void
batch_run(struct store *st, struct batch *b, struct store_job *jobs)
{
	struct store_job *j;
	uint64_t t0 = mono_ns();

	for (j = jobs; j != NULL; j = j->next) {
		kerr_clear(&j->err);
		if (b->rc != K_OK) {
			j->rc = b->rc;
			j->err = b->e;
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
			b->rc = j->rc != K_OK ? j->rc : K_EIO;
			b->e = j->err;
			if (j->rc == K_OK)
				j->rc = kerr_set(&j->err, K_EIO, "database write "
				    "failed: the transaction was rolled back");
		}
		b->n++;
	}
	b->run_ns += mono_ns() - t0;
}

/* Commit the jobs run (all of the list): a job hears of its change only
 * when it is durable. */
static void
batch_commit(struct store *st, struct batch *b, struct store_job *jobs)
{
	struct store_job *j;
	uint64_t t1 = mono_ns();
	int rc = b->rc;
	struct kerr e = b->e;

	if (rc == K_OK)
		rc = run(st, sql_tx_commit, &e);
	if (rc != K_OK && !sqlite3_get_autocommit(st->w.db))
		run(st, sql_tx_rollback, NULL);
	st->jobs_ns += b->run_ns;
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
	for (j = jobs; j != NULL; j = j->next)
		if (rc != K_OK && j->rc == K_OK) {
			j->rc = rc;
			j->err = e;
		}
	st->commits++;
	st->committed += (uint64_t)b->n;
}

/* Run jobs (a list) in one transaction and commit it; w.mu held. */
static void
run_batch(struct store *st, struct store_job *jobs)
{
	struct batch b;

	batch_begin(st, &b);
	batch_run(st, &b, jobs);
	batch_commit(st, &b, jobs);
}

/* Take up to max queued jobs (qmu held): *n of them, *last the last. */
static struct store_job *
take_queued(struct store *st, int max, int *n, struct store_job **last)
{
	struct store_job *jobs = st->queue, *j = jobs;
	int k = 1;

	while (j->next != NULL && k < max) {
		j = j->next;
		k++;
	}
	st->queue = j->next;
	if (st->queue == NULL)
		st->queue_tail = &st->queue;
	j->next = NULL;
	st->nqueued -= k;
	*n = k;
	*last = j;
	return jobs;
}

static void *
writer_main(void *arg)
{
	struct store *st = arg;
	struct store_job *jobs, *j, *next, *end, *more, *mend, *async, **atail;
	struct batch b;
	int n, m, last = 1;

	pthread_mutex_lock(&st->qmu);
	for (;;) {
		while (st->queue == NULL && !st->stopping)
			pthread_cond_wait(&st->work, &st->qmu);
		if (st->queue == NULL)
			break;
		/* everything queued so far, up to STORE_BATCH_MAX */
		jobs = take_queued(st, STORE_BATCH_MAX, &n, &end);
		pthread_mutex_unlock(&st->qmu);

		pthread_mutex_lock(&st->w.mu);
		batch_begin(st, &b);
		batch_run(st, &b, jobs);
		/* The callers of the last batch send their next change when
		 * they get their answer: the first back would otherwise make
		 * a batch of its own and the others the next one.  Wait for
		 * them a little (a fraction of a commit, never at one
		 * connection, where the last batch was one job), and run each
		 * as it comes: the wait overlaps the work. */
		if (n < last) {
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
			pthread_mutex_lock(&st->qmu);
			while (n < last && n < STORE_BATCH_MAX && !st->stopping) {
				if (st->queue == NULL && pthread_cond_timedwait(
				    &st->work, &st->qmu, &until) != 0 &&
				    st->queue == NULL)
					break;
				if (st->queue == NULL)
					continue;
				more = take_queued(st, STORE_BATCH_MAX - n, &m,
				    &mend);
				pthread_mutex_unlock(&st->qmu);
				batch_run(st, &b, more);
				end->next = more;
				end = mend;
				n += m;
				pthread_mutex_lock(&st->qmu);
			}
			pthread_mutex_unlock(&st->qmu);
		}
		batch_commit(st, &b, jobs);
		pthread_mutex_unlock(&st->w.mu);
		last = n;

		/* each waiter is woken for its own job only; the jobs nobody
		 * waits for are told after (their callbacks take locks of
		 * their own) */
		async = NULL;
		atail = &async;
		pthread_mutex_lock(&st->qmu);
		for (j = jobs; j != NULL; j = next) {
			next = j->next;
			if (j->done_fn != NULL) {
				j->next = NULL;
				*atail = j;
				atail = &j->next;
				continue;
			}
			j->done = true;
			pthread_cond_signal(&j->durable);
		}
		if (async != NULL) {
			pthread_mutex_unlock(&st->qmu);
			for (j = async; j != NULL; j = next) {
				next = j->next;
				j->done_fn(j->done_arg, j->rc, &j->err);
				free(j);
			}
			pthread_mutex_lock(&st->qmu);
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

void
store_write_async(struct store *st, int64_t now_ms, store_job_fn *fn,
    void *arg, store_done_fn *done, void *done_arg)
{
	struct store_job *job = xcalloc(1, sizeof(*job));

	job->fn = fn;
	job->arg = arg;
	job->now_ms = now_ms;
	job->done_fn = done;
	job->done_arg = done_arg;
	pthread_mutex_lock(&st->qmu);
	if (st->writer_running && !st->stopping) {
		*st->queue_tail = job;
		st->queue_tail = &job->next;
		st->nqueued++;
		pthread_cond_signal(&st->work);
		pthread_mutex_unlock(&st->qmu);
		return;
	}
	pthread_mutex_unlock(&st->qmu);
	pthread_mutex_lock(&st->w.mu);
	run_batch(st, job);
	pthread_mutex_unlock(&st->w.mu);
	done(done_arg, job->rc, &job->err);
	free(job);
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
