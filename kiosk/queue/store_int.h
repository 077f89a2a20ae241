/*
 * store_int.h - shared between the store files (kiosk/queue/store*.c);
 * nobody else includes it.  Those files include <sqlite3.h> themselves
 * (they are the only ones allowed to); here its two types are only named.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "store.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

#define STORE_READERS 4           /* read connections (file databases) */
#define STORE_CACHE 64            /* prepared statements kept per connection */
#define STORE_BATCH_MAX 256       /* changes in one group commit, at most */
/* A kiosk's "next ticket is priority" mark lasts this long: the resident
 * the volunteer had in mind is at the kiosk now, not in an hour. */
#define STORE_PRIORITY_NEXT_MS (10 * 60 * 1000)

struct store_conn {
	sqlite3 *db;
	pthread_mutex_t mu;
	struct {
		const char *sql;      /* a string literal: compared by address */
		sqlite3_stmt *stmt;
	} cache[STORE_CACHE];
};

struct store {
	struct store_conn w;          /* writes, one transaction at a time */
	struct store_conn rd[STORE_READERS]; /* reads (unused for ":memory:") */
	struct store_conn *readers[STORE_READERS]; /* &rd[i], or &w */
	int nreaders;
	unsigned next_reader;
	struct store_service services[STORE_MAX_SERVICES];
	size_t nservices;
	int noshow_after;
	int max_called;               /* tickets a counter may hold at once */
	int priority_run;             /* priority calls in a row, at most */
	int64_t appt_before_ms;       /* an appointment is due from its slot
	                               * less this (server.appointment_before) */
	int64_t appt_after_ms;        /* ... and late after its slot plus this */
	bool visit_place_step;        /* server.visit_place = step */
	int samples;
	int64_t purged_day_ms;        /* applications purged before this day */
	int64_t purge_pending_day_ms;
	bool scrub_pending;           /* this transaction deletes personal data */
	struct store_scrub *scrub;    /* store_scrub.c; NULL for ":memory:" */
	/* group commit (store_writer.c): jobs queued under qmu
	 * for the writer thread */
	pthread_mutex_t qmu;
	pthread_cond_t work;          /* a job was queued (or stopping) */
	struct store_job *queue, **queue_tail;
	pthread_t writer;
	bool writer_running, stopping;
	uint64_t commits, committed;  /* batches and changes, for the profile */
	uint64_t jobs_ns, commit_ns;  /* time in the jobs, in COMMIT */
	uint64_t commit_avg_ns;       /* recent COMMITs (writer thread only) */
	int nqueued;                  /* jobs in queue (under qmu) */
};

/* store_scrub.c: after a commit that deleted personal data, the WAL is
 * checkpointed and truncated on a thread of its own. */
int  store_scrub_start(struct store *st, const char *path, struct kerr *err);
void store_scrub_request(struct store *st);
void store_scrub_stop(struct store *st);

int64_t store_day_start_ms(int64_t ms);
/* A change: runs on the writer connection inside a transaction (its own
 * savepoint); K_OK keeps it.  store_write() returns once the commit that
 * holds it is durable, with the job's result or the commit's. */
typedef int store_job_fn(struct store *st, void *arg, struct kerr *err);
int store_write(struct store *st, int64_t now_ms, store_job_fn *fn,
    void *arg, struct kerr *err);
/* The same without waiting: done(done_arg, rc, err) is called once the
 * commit that holds the job returned, on the writer thread (on the
 * caller's, before store_write_async() returns, when there is none). */
void store_write_async(struct store *st, int64_t now_ms, store_job_fn *fn,
    void *arg, store_done_fn *done, void *done_arg);
int store_writer_start(struct store *st, struct kerr *err);
void store_writer_stop(struct store *st);
int store_sqlerr(struct kerr *err, sqlite3 *db, const char *what);
/* Run sql (statements without rows) on db. */
int store_exec(sqlite3 *db, const char *sql, struct kerr *err);
/* Copy text column col of s into dst (n bytes, always terminated). */
void store_text_copy(char *dst, size_t n, sqlite3_stmt *s, int col);
/* Bring db's schema up to date (store_schema.c). */
int store_migrate(sqlite3 *db, const char *path, struct kerr *err);
/* Prepare sql on db into *out (NULL on error). */
int store_prep(sqlite3 *db, const char *sql, sqlite3_stmt **out,
    struct kerr *err);
/* Bind a named parameter (":now") if the statement has it. */
void store_bind_int64(sqlite3_stmt *s, const char *name, int64_t v);
void store_bind_text(sqlite3_stmt *s, const char *name, const char *v);
/* The letters of the services counter serves (letters may be NULL): the
 * number of them, 0 for a counter that serves none. */
int store_counter_services(const struct store *st, int counter,
    char *letters, size_t max);
void store_row_read(sqlite3_stmt *s, struct store_ticket *t);
int store_load(struct store_conn *c, int64_t id, bool with_app,
    struct store_ticket *out, struct kerr *err);
/* A prepared statement kept on the connection (held locked); give it back
 * with store_release(). */
int store_cached(struct store_conn *c, const char *sql, sqlite3_stmt **out,
    struct kerr *err);
void store_release(sqlite3_stmt *s);
/* ahead and wait_min of t; newest: t is being issued and not stored yet
 * (its id the largest: only those issued at a later time are behind). */
int store_estimate(struct store *st, struct store_conn *c,
    struct store_ticket *t, bool newest, int64_t now_ms, struct kerr *err);
double store_quantile(double *v, size_t n, double q);

/* A phone's status: its ticket by token (store_read.c). */
extern const char store_sql_by_token[];
/* Statements shared between the store files (the cache compares them by
 * address; store_query_plans() lists them). */
extern const char store_sql_load[], store_sql_load_bare[];
extern const char store_sql_event[];
extern const char store_sql_next[];
extern const char store_sql_next_appt[];
extern const char store_sql_by_number[];
extern const char store_sql_drop_app[];
/* Append to the event log inside a job (store.c). */
int store_add_event(struct store *st, int64_t now_ms, const char *kind,
    int64_t ticket, char service, int counter, const char *staff,
    const char *detail, struct kerr *err);
/* Run one statement whose ?1 is ticket id on the writer (store.c). */
int store_exec_id(struct store *st, const char *sql, int64_t id,
    const char *what, struct kerr *err);
/* store_step.c, for the calls of store_call.c: a step already done for
 * request id rid (*found), one step inside the caller's transaction. */
int store_replay(struct store *st, const char *rid, const char *event,
    struct store_ticket *out, bool *found, struct kerr *err);
int store_step_in_tx(struct store *st, enum store_step_kind k, int64_t id,
    const struct store_step_arg *arg, int64_t now_ms,
    struct store_ticket *out, struct kerr *err);
/* store.c's event log, for the jobs of store_alert.c and store_ops.c */
int store_tx_event(struct store *st, int64_t now_ms, const char *kind,
    int64_t ticket, char service, int counter, const char *staff,
    const char *detail, struct kerr *err);

/* A read connection (store_read.c), held until store_runlock(). */
struct store_conn *store_rlock(struct store *st);
void store_runlock(struct store_conn *c);

/* An appointment's check-in inside store_issue()'s transaction
 * (store_appt.c): begin checks it and says how the ticket is ordered,
 * end binds it to the ticket inserted and logs it. */
struct store_appt_checkin {
	struct store_appt appt;
	const char *arrival;          /* "early", "on_time", "late" */
	int64_t slot_ms;
	int64_t order_ms;             /* 0: placed like a walk-in (late) */
};
int store_appt_checkin_begin(struct store *st, const char *code,
    const char *procedure, const char *day, int64_t now_ms,
    struct store_appt_checkin *ck, struct kerr *err);
int store_appt_checkin_end(struct store *st,
    const struct store_appt_checkin *ck, int64_t ticket_id, int64_t now_ms,
    struct kerr *err);
/* store_alert.c's raise inside the caller's transaction. */
int store_alert_raise_in_tx(struct store *st, const char *kiosk,
    const char *kind, const char *number, const char *detail, int64_t now_ms,
    struct store_alert *out, struct kerr *err);

#define TICKET_COLS \
	"t.id, t.day, t.num_service, t.seq, t.service, t.state, t.procedure," \
	" t.lang, t.kiosk, t.flags, t.token, t.issued_ms, t.called_ms," \
	" t.started_ms, t.finished_ms, t.counter, t.recalls, t.default_min," \
	" t.note, t.step, t.route, t.appt_ms, CASE WHEN t.appt_ms IS NULL" \
	" THEN '' ELSE (SELECT ap.arrival FROM appointments ap" \
	" WHERE ap.ticket_id = t.id) END, t.line_ms"

#endif
