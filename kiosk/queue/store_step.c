/*
 * store_step.c - the steps of a ticket after its issue: the step table,
 * replay of a request_id, one step inside a transaction, routing, and the
 * staff's steps by name (recall, start, done, no-show, transfer).
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
	 * service, keeping its number and its place (the visit's issue
	 * time), or placed by now with server.visit_place = step (:restart) */
	[STORE_STEP_NEXT] = { "next_step", "send on to the next step",
	    S(ST_CALLED) | S(ST_SERVING), ST_WAITING, false, false, false, true,
	    "UPDATE tickets SET service = :service, state = :to, counter = 0,"
	    " called_ms = 0, started_ms = 0, recalls = 0, note = :note,"
	    " step = :step, route = :route, line_ms = CASE WHEN :restart"
	    " THEN :now ELSE line_ms END WHERE id = :id" },
	[STORE_STEP_CANCEL] = { "cancelled", "cancel", S(ST_WAITING) |
	    S(ST_AWAY), ST_CANCELLED, true, false, false, false,
	    "UPDATE tickets SET state = :to, finished_ms = :now, note = ''"
	    " WHERE id = :id" },
};

#undef S

const char store_sql_drop_app[] = "DELETE FROM applications"
    " WHERE ticket_id = ?1";
/*
 * Staff actions by request id, inside the caller's transaction.  A request
 * id seen before answers the ticket it acted on, as it is now, and changes
 * nothing (*found); one used for another kind of action is refused.
 */
int
store_replay(struct store *st, const char *rid, const char *event,
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
		store_text_copy(kind, sizeof(kind), s, 0);
		id = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (id == 0)
		return K_OK;
	/* a visit's "done" is stored as its next step: a console that
	 * sends its done again (the answer was lost) finds the ticket on
	 * its last step, and sends a plain done: the same action */
	if (strcmp(kind, event) != 0 && !((strcmp(kind, "next_step") == 0 &&
	    strcmp(event, "done") == 0) || (strcmp(kind, "done") == 0 &&
	    strcmp(event, "next_step") == 0)))
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
int
store_step_in_tx(struct store *st, enum store_step_kind k, int64_t id,
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
		store_bind_int64(s, ":restart", st->visit_place_step);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, sp->what);
		store_release(s);
	}
	/* the application and the staff's note are personal data: gone
	 * with the ticket (the UPDATE above cleared the note), from the
	 * WAL too once this commits */
	if (rc == K_OK && sp->drops_application) {
		rc = store_exec_id(st, store_sql_drop_app, id, "delete application", err);
		st->scrub_pending = true;
	}
	if (rc == K_OK)
		rc = store_load(&st->w, id, true, out, err);
	if (rc == K_OK) {
		if (sp->to_service)
			snprintf(detail, sizeof(detail),
			    "{\"from\":\"%c\",\"to\":\"%c\"}", cur.service,
			    out->service);
		rc = store_add_event(st, now_ms, sp->event, id, out->service,
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

	rc = store_replay(st, a->arg->request_id, store_steps[a->k].event, a->out,
	    &again, err);
	if (rc != K_OK)
		return rc;
	if (again)
		return a->out->id == a->id ? K_OK : kerr_set(err, K_EINVAL,
		    "request_id was used for ticket %s", a->out->number);
	return store_step_in_tx(st, a->k, a->id, a->arg, a->now_ms, a->out, err);
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

	rc = store_replay(st, a->arg->request_id, "route", a->out, &again, err);
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
		rc = store_add_event(st, a->now_ms, "route", a->id, cur.service,
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
