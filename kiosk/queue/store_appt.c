/*
 * store_appt.c - appointments: bookings per day, slot and procedure with a
 * booking code; added by staff or imported from the city's booking system
 * (all or nothing), cancelled, checked in by the issue of a ticket
 * (store_issue.c calls the two halves here inside its transaction), and
 * marked no-shows once their window has passed.  The call order they take
 * is store_call.c's; the rule is in docs/visits.md.
 *
 * A booking code is a key, not personal data; still, the event log names
 * at most its last two digits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "randid.h"
#include "store_int.h"
#include "xmalloc.h"

/* The states are stored as numbers: the file format. */
_Static_assert(APPT_BOOKED == 0 && APPT_CHECKED_IN == 1 && APPT_NO_SHOW == 2 &&
    APPT_CANCELLED == 3, "appointment states are stored as numbers");

static const char *const appt_state_names[] = {
	[APPT_BOOKED] = "booked", [APPT_CHECKED_IN] = "checked_in",
	[APPT_NO_SHOW] = "no_show", [APPT_CANCELLED] = "cancelled",
};

const char *
store_appt_state_name(enum store_appt_state s)
{
	if ((unsigned)s >= ARRAY_SIZE(appt_state_names))
		return "unknown";
	return appt_state_names[s];
}

bool
store_appt_code_ok(const char *code)
{
	size_t n;

	if (code == NULL)
		return false;
	n = strlen(code);
	return n >= STORE_CODE_MIN && n <= STORE_CODE_MAX &&
	    strspn(code, "0123456789") == n;
}

const char *
store_appt_arrival(const struct store *st, int64_t slot_ms, int64_t now_ms)
{
	if (now_ms < slot_ms - st->appt_before_ms)
		return "early";
	if (now_ms <= slot_ms + st->appt_after_ms)
		return "on_time";
	return "late";
}

/* "HH:MM" (00:00 .. 23:59) -> minutes of the day, or -1. */
static int
parse_hhmm(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    strspn(s, "0123456789:") != 5 || s[0] == ':' || s[1] == ':' ||
	    s[3] == ':' || s[4] == ':')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

/* The slot's time: day "YYYY-MM-DD" (checked) at minute min, Asia/Tokyo. */
static int64_t
slot_ms_of(const char *day, int min)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(day) - 1900;
	tm.tm_mon = atoi(day + 5) - 1;
	tm.tm_mday = atoi(day + 8);
	return ((int64_t)timegm(&tm) - 9 * 3600) * 1000 + (int64_t)min * 60000;
}

static bool
procedure_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;

	return n > 0 && n < 64 && strspn(p, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == n;
}

int
store_appt_check(const struct store *st, const struct store_appt_req *r,
    const char **field, struct kerr *err)
{
	struct kerr e;

	*field = "date";
	if (r->day == NULL || store_parse_day(r->day, &e) != K_OK)
		return kerr_set(err, K_EINVAL, "date must be a real date "
		    "YYYY-MM-DD");
	*field = "time";
	if (parse_hhmm(r->time) < 0)
		return kerr_set(err, K_EINVAL, "time must be HH:MM (00:00 to "
		    "23:59)");
	*field = "procedure";
	if (!procedure_ok(r->procedure))
		return kerr_set(err, K_EINVAL, "procedure must be a procedure id "
		    "(a-z, 0-9, '_', '-')");
	*field = "service";
	if (store_service(st, r->service) == NULL)
		return kerr_set(err, K_EINVAL, "service '%c' is not one of this "
		    "hall's (server.services)", r->service ? r->service : '?');
	*field = "code";
	if (r->code != NULL && !store_appt_code_ok(r->code))
		return kerr_set(err, K_EINVAL, "code must be %d to %d digits",
		    STORE_CODE_MIN, STORE_CODE_MAX);
	*field = NULL;
	return K_OK;
}

#define APPT_COLS "a.id, a.day, a.slot, a.slot_ms, a.service, a.procedure," \
	" a.code, a.state, coalesce(a.ticket_id, 0), a.source, a.arrival," \
	" a.created_ms, a.checked_in_ms," \
	" CASE WHEN t.id IS NULL THEN '' ELSE" \
	" printf('%s-%03d', t.num_service, t.seq) END"

static void
appt_read(sqlite3_stmt *s, struct store_appt *a)
{
	const unsigned char *l;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	store_text_copy(a->day, sizeof(a->day), s, 1);
	store_text_copy(a->time, sizeof(a->time), s, 2);
	a->slot_ms = sqlite3_column_int64(s, 3);
	l = sqlite3_column_text(s, 4);
	a->service = l ? (char)l[0] : '?';
	store_text_copy(a->procedure, sizeof(a->procedure), s, 5);
	store_text_copy(a->code, sizeof(a->code), s, 6);
	a->state = (enum store_appt_state)sqlite3_column_int(s, 7);
	a->ticket_id = sqlite3_column_int64(s, 8);
	store_text_copy(a->source, sizeof(a->source), s, 9);
	store_text_copy(a->arrival, sizeof(a->arrival), s, 10);
	a->created_ms = sqlite3_column_int64(s, 11);
	a->checked_in_ms = sqlite3_column_int64(s, 12);
	store_text_copy(a->number, sizeof(a->number), s, 13);
}

static const char sql_by_code[] = "SELECT " APPT_COLS " FROM appointments a"
    " LEFT JOIN tickets t ON t.id = a.ticket_id WHERE a.code = ?1";
static const char sql_by_id[] = "SELECT " APPT_COLS " FROM appointments a"
    " LEFT JOIN tickets t ON t.id = a.ticket_id WHERE a.id = ?1";

/* By code (or by id when code is NULL) on connection db (held). */
static int
load_appt(sqlite3 *db, const char *code, int64_t id, struct store_appt *out,
    struct kerr *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prep(db, code ? sql_by_code : sql_by_id, &s, err)) !=
	    K_OK)
		return rc;
	if (code)
		sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		appt_read(s, out);
		rc = K_OK;
	} else if (rc == SQLITE_DONE) {
		rc = code ? kerr_set(err, K_ENOTFOUND, "no appointment with this "
		    "code") : kerr_set(err, K_ENOTFOUND, "no appointment %" PRId64,
		    id);
	} else {
		rc = store_sqlerr(err, db, "appointment");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The log's detail of an appointment: its slot, procedure and the last two
 * digits of its code (all checked words: no escaping). */
static void
appt_detail(char *buf, size_t n, const char *day, const char *time,
    const char *procedure, const char *code, const char *extra)
{
	size_t len = code ? strlen(code) : 0;

	snprintf(buf, n, "{\"date\":\"%s\",\"time\":\"%s\",\"procedure\":\"%s\","
	    "\"code_end\":\"%s\"%s%s}", day, time, procedure,
	    len >= 2 ? code + len - 2 : "", extra ? "," : "", extra ? extra : "");
}

/* A fresh 8-digit code (not known yet: checked by the caller's insert). */
static void
new_code(char out[STORE_CODE_MAX + 1])
{
	char hex[17];
	unsigned long long v;

	randid_hex(hex, 8);
	v = strtoull(hex, NULL, 16) % 100000000ULL;
	/* a code never starts with 0: a spreadsheet would drop it */
	if (v < 10000000ULL)
		v += 10000000ULL;
	snprintf(out, STORE_CODE_MAX + 1, "%08llu", v);
	explicit_bzero(hex, sizeof(hex));
}

static const char sql_insert[] = "INSERT INTO appointments (day, slot,"
    " slot_ms, service, procedure, code, state, source, created_ms, staff)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9)";

/*
 * Inside a job: add one checked request.  *bad_field set (and K_EBUSY) for
 * a code booked for something else; the same booking again is a repeat.
 */
static int
add_locked(struct store *st, const struct store_appt_req *r, int64_t now_ms,
    struct store_appt *out, struct kerr *err)
{
	char code[STORE_CODE_MAX + 1], letter[2] = { r->service, 0 };
	char detail[200], extra[40];
	struct store_appt old;
	sqlite3_stmt *s;
	int rc, tries;

	for (tries = 0; tries < 20; tries++) {
		if (r->code != NULL)
			snprintf(code, sizeof(code), "%s", r->code);
		else
			new_code(code);
		rc = load_appt(st->w.db, code, 0, &old, NULL);
		if (rc == K_ENOTFOUND)
			break;
		if (rc != K_OK)
			return kerr_set(err, rc, "appointment: cannot read");
		if (r->code == NULL)
			continue;         /* a made code that exists: another */
		if (strcmp(old.day, r->day) == 0 && strcmp(old.time, r->time) ==
		    0 && old.service == r->service &&
		    strcmp(old.procedure, r->procedure) == 0) {
			*out = old;
			out->replayed = true;
			return K_OK;
		}
		return kerr_set(err, K_EBUSY, "code ...%s is booked already for "
		    "another appointment (%s %s %s)", code + strlen(code) - 2,
		    old.day, old.time, old.procedure);
	}
	if (tries == 20)
		return kerr_set(err, K_EFAIL, "no free booking code");
	if ((rc = store_prep(st->w.db, sql_insert, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_text(s, 1, r->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->time, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, slot_ms_of(r->day, parse_hhmm(r->time)));
	sqlite3_bind_text(s, 4, letter, 1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, r->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, r->source ? r->source : "staff", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, now_ms);
	sqlite3_bind_text(s, 9, r->staff ? r->staff : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "add appointment");
	sqlite3_finalize(s);
	if (rc != K_OK)
		return rc;
	snprintf(extra, sizeof(extra), "\"source\":\"%s\"",
	    r->source && strcmp(r->source, "import") == 0 ? "import" : "staff");
	appt_detail(detail, sizeof(detail), r->day, r->time, r->procedure, code,
	    extra);
	if ((rc = store_tx_event(st, now_ms, "appointment_added", 0, r->service,
	    0, r->staff, detail, err)) != K_OK)
		return rc;
	rc = load_appt(st->w.db, code, 0, out, err);
	explicit_bzero(code, sizeof(code));
	return rc;
}

struct add_job {
	const struct store_appt_req *r;
	int64_t now_ms;
	struct store_appt *out;
};

static int
add_job(struct store *st, void *arg, struct kerr *err)
{
	struct add_job *a = arg;

	return add_locked(st, a->r, a->now_ms, a->out, err);
}

int
store_appt_add(struct store *st, const struct store_appt_req *req,
    int64_t now_ms, struct store_appt *out, struct kerr *err)
{
	struct add_job a = { req, now_ms, out };
	const char *field;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_appt_check(st, req, &field, err)) != K_OK)
		return rc;
	return store_write(st, now_ms, add_job, &a, err);
}

struct import_job {
	const struct store_appt_req *rows;
	size_t n;
	bool check_only;
	size_t nbad;
	int64_t now_ms;
	void (*bad)(size_t row, const char *field, const char *msg, void *arg);
	void *arg;
	size_t added;
};

static int
import_job(struct store *st, void *arg, struct kerr *err)
{
	struct import_job *a = arg;
	struct store_appt out;
	const char *field;
	struct kerr e;
	size_t i, nbad = 0;

	a->added = 0;
	for (i = 0; i < a->n; i++) {
		kerr_clear(&e);
		if (store_appt_check(st, &a->rows[i], &field, &e) != K_OK) {
			nbad++;
			if (a->bad)
				a->bad(i, field, e.msg, a->arg);
			continue;
		}
		switch (add_locked(st, &a->rows[i], a->now_ms, &out, &e)) {
		case K_OK:
			if (!out.replayed)
				a->added++;
			break;
		case K_EBUSY:
			nbad++;
			if (a->bad)
				a->bad(i, "code", e.msg, a->arg);
			break;
		default:
			return kerr_set(err, e.code, "%s", e.msg);
		}
	}
	a->nbad = nbad;
	if (nbad > 0)
		return kerr_set(err, K_EINVAL, "%zu of %zu rows cannot be imported;"
		    " nothing was imported", nbad, a->n);
	if (a->check_only)            /* undone by the writer */
		return kerr_set(err, K_EINVAL, "checked only");
	return K_OK;
}

int
store_appt_import(struct store *st, const struct store_appt_req *rows,
    size_t n, bool check_only, int64_t now_ms, void (*bad)(size_t row,
    const char *field, const char *msg, void *arg), void *arg, size_t *added,
    struct kerr *err)
{
	struct import_job a = { rows, n, check_only, 0, now_ms, bad, arg, 0 };
	int rc;

	rc = store_write(st, now_ms, import_job, &a, err);
	if (check_only && rc == K_EINVAL && a.nbad == 0) {
		kerr_clear(err);
		rc = K_OK;
	}
	if (added)
		*added = rc == K_OK ? a.added : 0;
	return rc;
}

int
store_appt_get(struct store *st, const char *code, struct store_appt *out,
    struct kerr *err)
{
	struct store_conn *c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_appt_code_ok(code))
		return kerr_set(err, K_EINVAL, "code must be %d to %d digits",
		    STORE_CODE_MIN, STORE_CODE_MAX);
	c = store_rlock(st);
	rc = load_appt(c->db, code, 0, out, err);
	store_runlock(c);
	return rc;
}

int
store_appt_list(struct store *st, const char *day, struct store_appt **out,
    size_t *n, struct kerr *err)
{
	struct store_conn *c;
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_parse_day(day, err)) != K_OK)
		return rc;
	c = store_rlock(st);
	if ((rc = store_prep(c->db, "SELECT " APPT_COLS " FROM appointments a"
	    " LEFT JOIN tickets t ON t.id = a.ticket_id WHERE a.day = ?1"
	    " ORDER BY a.slot_ms, a.code", &s, err)) != K_OK) {
		store_runlock(c);
		return rc;
	}
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		appt_read(s, &(*out)[(*n)++]);
	}
	rc = rc == SQLITE_DONE ? K_OK : store_sqlerr(err, c->db, "appointments");
	sqlite3_finalize(s);
	store_runlock(c);
	if (rc != K_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

struct cancel_job {
	int64_t id;
	const char *staff;
	int64_t now_ms;
	struct store_appt *out;
};

static int
cancel_job(struct store *st, void *arg, struct kerr *err)
{
	struct cancel_job *a = arg;
	char detail[200];
	sqlite3_stmt *s;
	int rc;

	if ((rc = load_appt(st->w.db, NULL, a->id, a->out, err)) != K_OK)
		return rc;
	if (a->out->state == APPT_CANCELLED) {
		a->out->replayed = true;
		return K_OK;
	}
	if (a->out->state == APPT_CHECKED_IN)
		return kerr_set(err, K_EBUSY, "the appointment is checked in "
		    "already (ticket %s): end the ticket instead",
		    a->out->number);
	if ((rc = store_prep(st->w.db, "UPDATE appointments SET state = 3"
	    " WHERE id = ?1", &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, a->out->id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "cancel appointment");
	sqlite3_finalize(s);
	if (rc != K_OK)
		return rc;
	appt_detail(detail, sizeof(detail), a->out->day, a->out->time,
	    a->out->procedure, a->out->code, NULL);
	if ((rc = store_tx_event(st, a->now_ms, "appointment_cancelled", 0,
	    a->out->service, 0, a->staff, detail, err)) != K_OK)
		return rc;
	a->out->state = APPT_CANCELLED;
	return K_OK;
}

int
store_appt_cancel(struct store *st, int64_t id, const char *staff,
    int64_t now_ms, struct store_appt *out, struct kerr *err)
{
	struct cancel_job a = { id, staff, now_ms, out };

	memset(out, 0, sizeof(*out));
	return store_write(st, now_ms, cancel_job, &a, err);
}

/* Bookings past their window: on the index (state, slot_ms), bounded by
 * the answer. */
static const char sql_overdue[] = "SELECT " APPT_COLS " FROM appointments a"
    " LEFT JOIN tickets t ON t.id = a.ticket_id"
    " WHERE a.state = 0 AND a.slot_ms < ?1 ORDER BY a.slot_ms LIMIT ?2";

struct sweep_job {
	int64_t now_ms;
	struct store_appt *out;
	size_t max, n;
};

static int
sweep_job(struct store *st, void *arg, struct kerr *err)
{
	struct sweep_job *a = arg;
	struct store_appt ap;
	char detail[200];
	sqlite3_stmt *s, *u;
	int rc;

	a->n = 0;
	if ((rc = store_prep(st->w.db, sql_overdue, &s, err)) != K_OK)
		return rc;
	if ((rc = store_prep(st->w.db, "UPDATE appointments SET state = 2"
	    " WHERE id = ?1", &u, err)) != K_OK) {
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_bind_int64(s, 1, a->now_ms - st->appt_after_ms);
	sqlite3_bind_int64(s, 2, 1000);
	while (rc == K_OK && sqlite3_step(s) == SQLITE_ROW) {
		appt_read(s, &ap);
		sqlite3_bind_int64(u, 1, ap.id);
		if (sqlite3_step(u) != SQLITE_DONE)
			rc = store_sqlerr(err, st->w.db, "no-show");
		sqlite3_reset(u);
		appt_detail(detail, sizeof(detail), ap.day, ap.time, ap.procedure,
		    ap.code, NULL);
		if (rc == K_OK)
			rc = store_tx_event(st, a->now_ms, "appointment_no_show", 0,
			    ap.service, 0, NULL, detail, err);
		ap.state = APPT_NO_SHOW;
		if (rc == K_OK && a->n < a->max)
			a->out[a->n++] = ap;
	}
	sqlite3_finalize(u);
	sqlite3_finalize(s);
	return rc;
}

int
store_appt_sweep(struct store *st, int64_t now_ms, struct store_appt *out,
    size_t max, size_t *n, struct kerr *err)
{
	struct sweep_job a = { now_ms, out, max, 0 };
	struct store_conn *c;
	sqlite3_stmt *s;
	bool any = false;
	int rc;

	*n = 0;
	/* a read first: most minutes nothing is overdue, and a write would
	 * cost a commit */
	c = store_rlock(st);
	if ((rc = store_prep(c->db, "SELECT 1 FROM appointments WHERE state = 0"
	    " AND slot_ms < ?1 LIMIT 1", &s, err)) == K_OK) {
		sqlite3_bind_int64(s, 1, now_ms - st->appt_after_ms);
		any = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	store_runlock(c);
	if (rc != K_OK || !any)
		return rc;
	rc = store_write(st, now_ms, sweep_job, &a, err);
	*n = rc == K_OK ? a.n : 0;
	return rc;
}

/*
 * The check-in, inside store_issue()'s transaction: first the appointment
 * (it must be today's, for this procedure, booked or marked a no-show),
 * then, with the ticket inserted, the appointment bound to it.
 */
int
store_appt_checkin_begin(struct store *st, const char *code,
    const char *procedure, const char *day, int64_t now_ms,
    struct store_appt_checkin *ck, struct kerr *err)
{
	struct store_appt *a = &ck->appt;
	int rc;

	memset(ck, 0, sizeof(*ck));
	if (!store_appt_code_ok(code))
		return kerr_set(err, K_EINVAL, "code must be %d to %d digits",
		    STORE_CODE_MIN, STORE_CODE_MAX);
	if ((rc = load_appt(st->w.db, code, 0, a, err)) != K_OK)
		return rc;
	if (strcmp(a->day, day) != 0)
		return kerr_set(err, K_EINVAL, "the appointment is for %s, not "
		    "today", a->day);
	if (a->state == APPT_CANCELLED)
		return kerr_set(err, K_EBUSY, "the appointment was cancelled");
	if (a->state == APPT_CHECKED_IN)
		return kerr_set(err, K_EBUSY, "the appointment is checked in "
		    "already (ticket %s)", a->number);
	if (strcmp(a->procedure, procedure) != 0)
		return kerr_set(err, K_EINVAL, "the appointment is for procedure "
		    "%s, not %s", a->procedure, procedure);
	ck->arrival = store_appt_arrival(st, a->slot_ms, now_ms);
	ck->slot_ms = a->slot_ms;
	/* a late arrival is placed like a walk-in: no order by its slot */
	ck->order_ms = strcmp(ck->arrival, "late") == 0 ? 0 : a->slot_ms;
	return K_OK;
}

static const char sql_checkin[] = "UPDATE appointments SET state = 1,"
    " ticket_id = ?2, arrival = ?3, checked_in_ms = ?4 WHERE id = ?1";

int
store_appt_checkin_end(struct store *st, const struct store_appt_checkin *ck,
    int64_t ticket_id, int64_t now_ms, struct kerr *err)
{
	const struct store_appt *a = &ck->appt;
	char detail[240], extra[64];
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prep(st->w.db, sql_checkin, &s, err)) != K_OK)
		return rc;
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_int64(s, 2, ticket_id);
	sqlite3_bind_text(s, 3, ck->arrival, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now_ms);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_sqlerr(err, st->w.db, "check in");
	sqlite3_finalize(s);
	if (rc != K_OK)
		return rc;
	snprintf(extra, sizeof(extra), "\"arrival\":\"%s\"%s", ck->arrival,
	    a->state == APPT_NO_SHOW ? ",\"was\":\"no_show\"" : "");
	appt_detail(detail, sizeof(detail), a->day, a->time, a->procedure,
	    a->code, extra);
	return store_tx_event(st, now_ms, "appointment_checked_in", ticket_id,
	    a->service, 0, NULL, detail, err);
}
