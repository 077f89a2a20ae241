/*
 * api_ticket.c - the kiosk's and the public's routes: issue a ticket (with
 * full validation of the application against the catalog), printed, help,
 * a phone's status and its page (written in, for phones without
 * JavaScript), the resident leaving the line, the web pages, the event
 * stream's entry, and one number for a whole visit (its route).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "jfield.h"
#include "wareki.h"
#include "xmalloc.h"

static const char *const api_langs[] = {
	"ja", "ja-easy", "en", "zh", "ko", "vi", "tl", "pt", NULL,
};

/* "YYYY-MM-DD", a real date with year in [ymin, 2200]. */
static bool
valid_date(const char *s, int ymin)
{
	int y, m, d, i;

	if (strlen(s) != 10)
		return false;
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	return y >= ymin && y <= 2200 && wareki_valid(y, m, d);
}

/* The 12-digit individual number with its check digit. */
static bool
valid_mynumber(const char *s)
{
	int sum = 0, n, r, check;

	if (strlen(s) != 12 || strspn(s, "0123456789") != 12)
		return false;
	for (n = 1; n <= 11; n++) {
		int p = s[11 - n] - '0';
		int q = n <= 6 ? n + 1 : n - 5;
		sum += p * q;
	}
	r = sum % 11;
	check = r <= 1 ? 0 : 11 - r;
	return check == s[11] - '0';
}

/* Check one answer against its question; the canonical value or NULL. */
static json_t *
check_answer(const struct cat_question *q, const char *key, json_t *v,
    struct api_resp *resp)
{
	char shown[48];
	const char *s;

	api_printable(key, shown, sizeof(shown));
	switch (q->type) {
	case CAT_Q_CHOICE:
		if (!json_is_string(v)) {
			api_error(resp, 400, "wrong_type",
			    "answers.%s must be a choice id (string)", shown);
			return NULL;
		}
		if (catalog_choice(q, json_string_value(v)) == NULL) {
			char val[48];
			api_printable(json_string_value(v), val, sizeof(val));
			api_error(resp, 400, "bad_answer",
			    "answers.%s: '%s' is not one of its choices", shown,
			    val);
			return NULL;
		}
		return json_string(json_string_value(v));
	case CAT_Q_YESNO:
		if (json_is_boolean(v))
			return json_string(json_is_true(v) ? "yes" : "no");
		if (json_is_string(v) && (strcmp(json_string_value(v), "yes") == 0 ||
		    strcmp(json_string_value(v), "no") == 0))
			return json_string(json_string_value(v));
		api_error(resp, 400, "bad_answer",
		    "answers.%s must be \"yes\" or \"no\"", shown);
		return NULL;
	case CAT_Q_COUNT: {
		long long n = -1;
		if (json_is_integer(v)) {
			n = json_integer_value(v);
		} else if (json_is_string(v)) {
			char *e;
			s = json_string_value(v);
			if (*s >= '0' && *s <= '9' && strlen(s) < 6)
				n = strtoll(s, &e, 10);
			if (n >= 0 && *e != '\0')
				n = -1;
			if (n < 0) {
				api_error(resp, 400, "bad_answer",
				    "answers.%s must be a whole number", shown);
				return NULL;
			}
		} else {
			api_error(resp, 400, "wrong_type",
			    "answers.%s must be a whole number", shown);
			return NULL;
		}
		if (n < q->min || n > q->max) {
			api_error(resp, 400, "bad_answer",
			    "answers.%s must be from %d to %d", shown, q->min,
			    q->max);
			return NULL;
		}
		return json_integer(n);
	}
	case CAT_Q_DATE:
		if (!json_is_string(v) || !valid_date(json_string_value(v), 1900)) {
			api_error(resp, 400, "bad_answer",
			    "answers.%s must be a date YYYY-MM-DD", shown);
			return NULL;
		}
		return json_string(json_string_value(v));
	}
	api_error(resp, 500, "internal", "question %s has an unknown type",
	    shown);
	return NULL;
}

struct fee_ctx {
	json_t *answers;
	char buf[32];
};

static const char *
fee_get(const char *qid, void *arg)
{
	struct fee_ctx *f = arg;
	json_t *v = json_object_get(f->answers, qid);

	if (v == NULL)
		return NULL;
	if (json_is_integer(v)) {
		snprintf(f->buf, sizeof(f->buf), "%lld",
		    (long long)json_integer_value(v));
		return f->buf;
	}
	return json_string_value(v);
}

static json_t *
check_answers(const struct cat_procedure *p, json_t *in, struct api_resp *resp)
{
	json_t *out = json_object(), *v, *canon;
	const char *key;

	if (in == NULL || json_is_null(in))
		return out;
	if (!json_is_object(in)) {
		json_decref(out);
		api_error(resp, 400, "wrong_type", "'answers' must be an object");
		return NULL;
	}
	json_object_foreach(in, key, v) {
		const struct cat_question *q = catalog_question(p, key);
		if (q == NULL) {
			char shown[48];
			api_printable(key, shown, sizeof(shown));
			api_error(resp, 400, "bad_answer", "answers.%s: %s has no "
			    "such question", shown, p->id);
			json_decref(out);
			return NULL;
		}
		if ((canon = check_answer(q, key, v, resp)) == NULL) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, key, canon);
	}
	return out;
}

static json_t *
check_applicant(const struct cat_procedure *p, json_t *in,
    struct api_resp *resp)
{
	static const char *const keys[] = { "name", "name_kana", "address",
	    "birth", "sex", "mynumber", NULL };
	const char *name, *kana, *addr, *birth, *sex, *mynum;
	json_t *out;

	if (in == NULL || json_is_null(in))
		return json_null();
	if (!json_is_object(in)) {
		api_error(resp, 400, "wrong_type",
		    "'applicant' must be an object or null");
		return NULL;
	}
	if (!api_known_keys(in, keys, "applicant", resp) ||
	    !api_str(in, "name", false, 256, &name, resp) ||
	    !api_str(in, "name_kana", false, 256, &kana, resp) ||
	    !api_str(in, "address", false, 512, &addr, resp) ||
	    !api_str(in, "birth", false, 10, &birth, resp) ||
	    !api_str(in, "sex", false, 1, &sex, resp) ||
	    !api_str(in, "mynumber", false, 12, &mynum, resp))
		return NULL;
	if (birth && !valid_date(birth, 1880)) {
		api_error(resp, 400, "bad_value",
		    "applicant.birth must be a date YYYY-MM-DD");
		return NULL;
	}
	if (sex && strchr("01239", sex[0]) == NULL) {
		api_error(resp, 400, "bad_value",
		    "applicant.sex must be \"1\", \"2\", \"3\", \"0\" or \"9\"");
		return NULL;
	}
	if (mynum && !p->needs_mynumber) {
		api_error(resp, 400, "mynumber_not_needed", "%s does not use the "
		    "individual number: do not send it", p->id);
		return NULL;
	}
	if (mynum && !valid_mynumber(mynum)) {
		api_error(resp, 400, "bad_value",
		    "applicant.mynumber must be 12 digits with a valid check digit");
		return NULL;
	}
	out = json_object();
	if (name)
		json_object_set_new(out, "name", json_string(name));
	if (kana)
		json_object_set_new(out, "name_kana", json_string(kana));
	if (addr)
		json_object_set_new(out, "address", json_string(addr));
	if (birth)
		json_object_set_new(out, "birth", json_string(birth));
	if (sex)
		json_object_set_new(out, "sex", json_string(sex));
	if (mynum)
		json_object_set_new(out, "mynumber", json_string(mynum));
	return out;
}

static bool
valid_kiosk_id(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(s);
}

/* The counters text shown to residents: the catalog's, else the service's. */
void
api_counter_text(struct api *a, const struct cat_procedure *p, char service,
    char *out, size_t n)
{
	const struct store_service *sv;
	size_t off = 0;
	int i;

	out[0] = '\0';
	if (p && p->counter && p->counter[0] && service == p->service) {
		snprintf(out, n, "%s", p->counter);
		return;
	}
	if ((sv = store_service(a->store, service)) == NULL)
		return;
	for (i = 0; i < sv->ncounters && off < n; i++)
		off += (size_t)snprintf(out + off, n - off, "%s%d", i ? "," : "",
		    sv->counters[i]);
}

void
api_h_issue(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "procedure", "lang", "answers",
	    "applicant", "flags", "kiosk", "fee_yen", "request_id", NULL };
	static const char *const flag_keys[] = { "card", "assist", "priority",
	    NULL };
	const struct cat_procedure *p;
	struct store_issue_req ir;
	char vstep[64], vroute[256];
	struct store_ticket t;
	struct kerr err;
	const char *proc, *lang, *kiosk, *rid;
	json_t *root, *answers = NULL, *applicant = NULL, *flags, *app,
	    *o;
	bool card = false, assist = false, prio = false, lang_ok = false;
	char *app_text = NULL, url[512], counter[64], iso[32];
	struct fee_ctx fc;
	json_int_t fee_yen = -1;
	int rc, i;

	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "procedure", true, 63, &proc, resp) ||
	    !api_str(root, "lang", true, 15, &lang, resp) ||
	    !api_str(root, "kiosk", false, 63, &kiosk, resp) ||
	    !api_str(root, "request_id", false, 64, &rid, resp))
		goto out;
	if (rid && (strlen(rid) < 16 || strspn(rid, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(rid))) {
		api_error(resp, 400, "bad_value", "request_id must be 16 to 64 "
		    "letters, digits, '_' or '-'");
		goto out;
	}
	if (a->catalog == NULL) {
		api_error(resp, 503, "no_catalog", "the server has no procedure "
		    "catalog loaded");
		goto out;
	}
	if ((p = catalog_find(a->catalog, proc)) == NULL) {
		char shown[64];
		api_printable(proc, shown, sizeof(shown));
		api_error(resp, 400, "unknown_procedure", "procedure '%s' is not "
		    "in the catalog", shown);
		goto out;
	}
	for (i = 0; api_langs[i]; i++)
		if (strcmp(api_langs[i], lang) == 0)
			lang_ok = true;
	if (!lang_ok) {
		char shown[24];
		api_printable(lang, shown, sizeof(shown));
		api_error(resp, 400, "bad_value", "lang '%s' must be one of ja, "
		    "ja-easy, en, zh, ko, vi, tl, pt", shown);
		goto out;
	}
	if (kiosk && !valid_kiosk_id(kiosk)) {
		api_error(resp, 400, "bad_value", "kiosk must be letters, digits, "
		    "'.', '_' or '-'");
		goto out;
	}
	flags = json_object_get(root, "flags");
	if (flags && !json_is_null(flags)) {
		if (!json_is_object(flags)) {
			api_error(resp, 400, "wrong_type", "'flags' must be an object");
			goto out;
		}
		if (!api_known_keys(flags, flag_keys, "flags", resp) ||
		    !api_bool(flags, "card", &card, resp) ||
		    !api_bool(flags, "assist", &assist, resp) ||
		    !api_bool(flags, "priority", &prio, resp))
			goto out;
	}
	if (jf_int(root, "fee_yen", JF_NULL_ABSENT, 0, 1000000, &fee_yen) !=
	    JF_OK) {
		api_error(resp, 400, "bad_value",
		    "fee_yen must be a whole number from 0 to 1000000");
		goto out;
	}
	if ((answers = check_answers(p, json_object_get(root, "answers"),
	    resp)) == NULL)
		goto out;
	if ((applicant = check_applicant(p, json_object_get(root, "applicant"),
	    resp)) == NULL)
		goto out;
	fc.answers = answers;
	{
		int server_fee = catalog_fee(p, fee_get, &fc);
		if (fee_yen >= 0 && server_fee >= 0 && fee_yen != server_fee)
			klog("warn", "api", "%s: the kiosk's fee %lld differs from "
			    "the catalog's %d; the catalog's is kept", p->id,
			    fee_yen, server_fee);
		if (server_fee >= 0)
			fee_yen = server_fee;
	}
	app = json_object();
	json_object_set(app, "answers", answers);
	json_object_set(app, "applicant", applicant);
	json_object_set_new(app, "fee_yen", fee_yen >= 0 ?
	    json_integer(fee_yen) : json_null());
	app_text = json_dumps(app, JSON_COMPACT);
	json_decref(app);

	memset(&ir, 0, sizeof(ir));
	ir.procedure = p->id;
	ir.service = catalog_service(p);
	ir.default_min = catalog_minutes(p);
	ir.lang = lang;
	ir.kiosk = kiosk;
	ir.flags = (card ? STORE_F_CARD : 0) | (assist ? STORE_F_ASSIST : 0) |
	    (prio ? STORE_F_PRIORITY : 0);
	ir.application = app_text;
	ir.request_id = rid;
	/* a life event: one ticket for the whole visit, at its first step */
	if (api_visit_route(a, p, vstep, sizeof(vstep), vroute, sizeof(vroute))) {
		ir.step = vstep;
		ir.route = vroute;
		ir.service = api_visit_service(a, vstep);
	}
	if (kiosk != NULL && !(ir.flags & STORE_F_PRIORITY)) {
		/* staff marked this kiosk's next ticket priority (console) */
		bool marked = false;
		if ((rc = store_priority_take(a->store, kiosk, now_ms, &marked,
		    &err)) != K_OK) {
			api_store_error(resp, rc, &err);
			goto out;
		}
		if (marked)
			ir.flags |= STORE_F_PRIORITY;
	}
	if ((rc = store_issue(a->store, &ir, now_ms, &t, &err)) != K_OK) {
		if (rc == K_ENOTFOUND)
			api_error(resp, 500, "bad_catalog", "procedure %s names "
			    "service %c, which server.services does not have",
			    p->id, ir.service);
		else
			api_store_error(resp, rc, &err);
		goto out;
	}
	snprintf(url, sizeof(url), "%s/t/%s", a->public_url, t.token);
	api_counter_text(a, p, t.service, counter, sizeof(counter));
	o = json_object();
	json_object_set_new(o, "id", json_integer(t.id));
	json_object_set_new(o, "number", json_string(t.number));
	json_object_set_new(o, "service", json_stringn(&t.service, 1));
	json_object_set_new(o, "token", json_string(t.token));
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "ahead", json_integer(t.ahead));
	json_object_set_new(o, "wait_min", json_integer(t.wait_min));
	json_object_set_new(o, "counter", json_string(counter));
	store_iso_time(t.issued_ms, iso);
	json_object_set_new(o, "issued_at", json_string(iso));
	/* a repeated request gets the same ticket, and no second event */
	api_json(resp, t.replayed ? 200 : 201, o);
	json_decref(o);
	if (!t.replayed) {
		o = api_ticket_event(&t, now_ms);
		api_emit(a, "issued", o);
		json_decref(o);
	}
	store_ticket_clear(&t);
out:
	if (app_text)
		xfree_wipe_str(app_text);
	json_decref(answers);
	json_decref(applicant);
	json_decref(root);
}

void
api_h_printed(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "printed", NULL };
	struct kerr err;
	int64_t id;
	json_t *root, *o;
	bool printed;
	int rc;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp))
		goto out;
	if (jf_bool(root, "printed", JF_REQUIRED, &printed) != JF_OK) {
		api_error(resp, 400, "missing_field",
		    "'printed' (true or false) is required");
		goto out;
	}
	if ((rc = store_mark_printed(a->store, id, printed, now_ms, &err)) !=
	    K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "printed", json_boolean(printed));
	api_json(resp, 200, o);
	json_decref(o);
out:
	json_decref(root);
}

void
api_h_help(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "kiosk", "kind", "number", "detail",
	    NULL };
	const char *kiosk, *kind, *number, *detail;
	struct store_alert al;
	struct kerr err;
	json_t *root, *o;
	int rc;

	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "kiosk", true, 63, &kiosk, resp) ||
	    !api_str(root, "kind", true, STORE_ALERT_KIND_MAX - 1, &kind, resp) ||
	    !api_str(root, "number", false, 7, &number, resp) ||
	    !api_str(root, "detail", false, 63, &detail, resp))
		goto out;
	if (!valid_kiosk_id(kiosk)) {
		api_error(resp, 400, "bad_value", "kiosk must be letters, digits, "
		    "'.', '_' or '-'");
		goto out;
	}
	if (!api_alert_kind_ok(kind)) {
		api_error(resp, 400, "bad_value", "kind must be resident, "
		    "card_last_try, card_blocked, card_reader, printer, "
		    "printer_paper, paper_low, printer_offline or server_link");
		goto out;
	}
	if (number && !api_number_ok(number)) {
		api_error(resp, 400, "bad_value", "number must look like A-023");
		goto out;
	}
	if (detail && strspn(detail, "abcdefghijklmnopqrstuvwxyz0123456789_,") !=
	    strlen(detail)) {
		api_error(resp, 400, "bad_value", "detail must be a reason such as "
		    "paper_out (a-z, 0-9, '_', ',')");
		goto out;
	}
	if ((rc = store_alert_raise(a->store, kiosk, kind, number, detail, now_ms,
	    &al, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = api_alert_json(&al);
	json_object_set_new(o, "repeat", json_boolean(al.repeat));
	api_json(resp, 201, o);
	/* an alert already open is not news: consoles show it already */
	if (!al.repeat)
		api_emit(a, "help", o);
	json_decref(o);
out:
	json_decref(root);
}

static bool
valid_token(const char *s)
{
	return strlen(s) == STORE_TOKEN_LEN &&
	    strspn(s, "0123456789abcdef") == STORE_TOKEN_LEN;
}

/*
 * The public side of a ticket by its token.  Two limits of
 * server.status_rate_per_min a minute: lookups that find nothing count
 * against the caller's address (guessing), lookups of a real ticket
 * against that ticket.  Phones behind the hall's one NAT address thus
 * never slow each other down.  False with resp filled when there is none.
 */
static bool
status_lookup(struct api *a, const struct api_req *req, const char *token,
    int64_t now_ms, struct store_ticket *t, struct api_resp *resp)
{
	struct kerr err;
	char key[48];
	int rc = K_ENOTFOUND, retry;
	bool valid = valid_token(token);

	if (valid)
		rc = store_status(a->store, token, now_ms, t, &err);
	if (rc == K_OK)
		snprintf(key, sizeof(key), "t:%s", token);
	else
		snprintf(key, sizeof(key), "%s", req->remote ? req->remote : "");
	if ((rc == K_OK || rc == K_ENOTFOUND) &&
	    !api_rate_ok(a, key, now_ms, &retry)) {
		if (rc == K_OK)
			store_ticket_clear(t);
		api_error(resp, 429, "rate_limited", "more than %d status requests "
		    "a minute %s: wait %d s", a->rate_per_min, rc == K_OK ?
		    "for this ticket" : "for unknown tickets from this address",
		    retry);
		resp->retry_after_s = retry;
		return false;
	}
	if (!valid) {
		api_error(resp, 404, "not_found",
		    "a ticket token is 32 lowercase hex characters");
		return false;
	}
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		return false;
	}
	return true;
}

void
api_h_status(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	json_t *o;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	o = json_object();
	json_object_set_new(o, "number", json_string(t.number));
	json_object_set_new(o, "service", json_stringn(&t.service, 1));
	json_object_set_new(o, "day", json_string(t.day));
	{
		/* numbers start again every day: a ticket of an earlier day
		 * that never finished has ended, it does not wait */
		char today[11];
		store_day(now_ms, today);
		if (strcmp(t.day, today) != 0 && (t.state == ST_WAITING ||
		    t.state == ST_CALLED || t.state == ST_SERVING)) {
			json_object_set_new(o, "state", json_string("ended"));
			json_object_set_new(o, "ahead", json_null());
			json_object_set_new(o, "wait_min", json_null());
			json_object_set_new(o, "counter", json_null());
			api_json(resp, 200, o);
			json_decref(o);
			store_ticket_clear(&t);
			return;
		}
	}
	json_object_set_new(o, "state", json_string(store_state_name(t.state)));
	json_object_set_new(o, "ahead", json_integer(t.ahead));
	json_object_set_new(o, "wait_min", json_integer(t.wait_min));
	json_object_set_new(o, "counter", t.counter > 0 ?
	    json_integer(t.counter) : json_null());
	{
		/* where it waits now, and a visit's steps (no personal data) */
		char counters[64];
		api_counter_text(a, NULL, t.service, counters, sizeof(counters));
		json_object_set_new(o, "counters", json_string(counters));
		json_object_set_new(o, "visit", api_visit_json(a, &t));
	}
	/* the phone alerts when this few are ahead (0: only when called) */
	json_object_set_new(o, "near_ahead", json_integer(a->near_ahead));
	{
		/* until when the resident may step out and come back */
		char hm[16];
		snprintf(hm, sizeof(hm), "%02d:%02d", a->away_until_min / 60,
		    a->away_until_min % 60);
		json_object_set_new(o, "away_until", json_string(hm));
	}
	api_json(resp, 200, o);
	json_decref(o);
	store_ticket_clear(&t);
}

/* Minutes after midnight in Asia/Tokyo (UTC+9, no summer time). */
static int
tokyo_minute(int64_t now_ms)
{
	int64_t m = (now_ms / 60000 + 9 * 60) % (24 * 60);

	return (int)(m < 0 ? m + 24 * 60 : m);
}

/*
 * The resident leaves the line from their phone: "I'll come back later"
 * (away: not called, its place kept), back, or cancel.  Public like the
 * status (the token is the key) and under the same rate limits; staff see
 * the event and the count of held tickets in /api/queue.  Stepping out and
 * coming back by the phone end at server.away_until; after it a held
 * ticket comes back only through staff (POST /api/tickets/{id}/back).
 */
static void
resident_step(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp, enum store_step_kind k)
{
	struct store_step_arg arg = { 0 };
	struct store_ticket t, out;
	struct kerr err;
	int rc;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	if (k != STORE_STEP_CANCEL && tokyo_minute(now_ms) >= a->away_until_min) {
		api_error(resp, 409, "too_late", "tickets are held only until "
		    "%02d:%02d (server.away_until): please speak to the counter "
		    "staff", a->away_until_min / 60, a->away_until_min % 60);
		store_ticket_clear(&t);
		return;
	}
	arg.staff = "resident";
	rc = store_step(a->store, k, t.id, &arg, now_ms, &out, &err);
	store_ticket_clear(&t);
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	{
		json_t *o = json_object(), *ev;
		json_object_set_new(o, "number", json_string(out.number));
		json_object_set_new(o, "state",
		    json_string(store_state_name(out.state)));
		api_json(resp, 200, o);
		json_decref(o);
		ev = api_ticket_event(&out, now_ms);
		api_emit(a, store_steps[k].event, ev);
		json_decref(ev);
	}
	store_ticket_clear(&out);
}

void
api_h_status_away(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_AWAY);
}

void
api_h_status_back(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_BACK);
}

void
api_h_status_cancel(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_CANCEL);
}

/*
 * A phone's event stream: public, for an existing ticket only, and without
 * the staff-only help events.  Events carry no personal data; the page
 * re-reads /api/status when one concerns its line.
 */
void
api_h_status_events(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	store_ticket_clear(&t);
	resp->status = 200;
	resp->content_type = "text/event-stream";
	resp->sse = true;
	resp->sse_public = true;
}

static void
serve_file(struct api *a, const char *name, struct api_resp *resp)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".wav", "audio/wav" },
		{ ".mp3", "audio/mpeg" },
		{ ".ogg", "audio/ogg" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	resp->content_type = NULL;
	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			resp->content_type = types[i].type;
	if (resp->content_type == NULL) {
		api_error(resp, 404, "not_found", "no such file type here");
		return;
	}
	resp->file = xasprintf("%s/%s", a->web_dir, name);
	resp->status = 200;
}

void
api_h_page(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	serve_file(a, strcmp(req->path, "/staff") == 0 ? "staff.html" :
	    strcmp(req->path, "/congestion") == 0 ? "congestion.html" :
	    "board.html", resp);
}

/* Text into HTML: the five characters that could end a text or an
 * attribute are escaped; nothing else is needed in UTF-8. */
static void
html_put(struct bytebuf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': bytebuf_puts(b, "&amp;"); break;
		case '<': bytebuf_puts(b, "&lt;"); break;
		case '>': bytebuf_puts(b, "&gt;"); break;
		case '"': bytebuf_puts(b, "&quot;"); break;
		case '\'': bytebuf_puts(b, "&#39;"); break;
		default: bytebuf_putc(b, (uint8_t)*s);
		}
}

/* The page's text with `mark' replaced once by `with' (already HTML) at
 * its first place; a template without the mark stays as it is. */
static void
fill(char **page, const char *mark, const char *with)
{
	char *at = strstr(*page, mark), *out;

	if (at == NULL)
		return;
	out = xasprintf("%.*s%s%s", (int)(at - *page), *page, with,
	    at + strlen(mark));
	free(*page);
	*page = out;
}

/* `<tag ... id="x">' + escaped text: the element's content filled. */
static void
fill_text(char **page, const char *mark, const char *text)
{
	struct bytebuf b = { 0 };

	bytebuf_puts(&b, mark);
	html_put(&b, text);
	bytebuf_putc(&b, '\0');
	fill(page, mark, (const char *)b.data);
	bytebuf_free(&b);
}

/*
 * The phone page with the ticket's state already in it, so that a phone
 * without JavaScript (or before it runs) shows the number, the state, the
 * people ahead and the wait, and its <noscript> refresh shows the news.
 * The script renders over it the same way.  The template's own markup is
 * the marks: tests/e2e/web_phone.sh fetches the page with curl and fails
 * when a mark no longer matches.
 */
static void
phone_render(struct api *a, char **page, const struct store_ticket *t,
    int64_t now_ms)
{
	char buf[160], iso[32], title[200];
	const char *ja, *en;
	bool waiting = t != NULL && t->state == ST_WAITING;

	if (t == NULL) {
		fill(page, "id=\"notfound\" hidden", "id=\"notfound\"");
		fill(page, "<title>受付番号の呼び出し状況 - 旭市役所</title>",
		    "<title>番号札が見つかりません - 旭市役所</title>");
		fill(page, "<body>", "<body class=\"state-unknown\">");
		return;
	}
	fill(page, "id=\"ticket\" hidden", "id=\"ticket\"");
	fill_text(page, "<p class=\"number\" id=\"number\">", t->number);
	switch (t->state) {
	case ST_WAITING:
		ja = "お待ちください";
		en = "Please wait";
		break;
	case ST_CALLED:
	case ST_SERVING:
		ja = en = buf;
		if (t->counter > 0)
			snprintf(buf, sizeof(buf), "%d番窓口へお越しください",
			    t->counter);
		else
			snprintf(buf, sizeof(buf), "窓口へお越しください");
		break;
	case ST_DONE:
		ja = "手続きは終わりました。ありがとうございました。";
		en = "Your visit is finished. Thank you.";
		break;
	case ST_CARRIED_OVER:
		ja = "本日の受付は終わりました。窓口でご案内した日にお越しください。";
		en = "Today's service has ended for this ticket. Please come on "
		    "the day the counter gave you.";
		break;
	case ST_AWAY:
		ja = "お戻りをお待ちしています。順番はそのまま取ってあります。";
		en = "We are keeping your place.";
		break;
	case ST_CANCELLED:
		ja = "この番号札は取り消されました。";
		en = "This ticket was cancelled.";
		break;
	default:
		ja = "お呼びしましたがお見えにならなかったため、呼び出しを終え"
		    "ました。窓口へお声がけください。";
		en = "We called your number but missed you. Please speak to "
		    "the counter staff.";
		break;
	}
	fill_text(page, "<p class=\"state-ja\" id=\"state-ja\">", ja);
	if (t->state == ST_CALLED || t->state == ST_SERVING) {
		char en_buf[64];
		if (t->counter > 0)
			snprintf(en_buf, sizeof(en_buf),
			    "Please go to counter %d", t->counter);
		else
			snprintf(en_buf, sizeof(en_buf),
			    "Please go to the counter");
		fill_text(page, "<p class=\"state-en\" id=\"state-en\" "
		    "lang=\"en\">", en_buf);
	} else {
		fill_text(page, "<p class=\"state-en\" id=\"state-en\" "
		    "lang=\"en\">", en);
	}
	if ((waiting || t->state == ST_AWAY) && t->step[0]) {
		/* one number for the whole visit: the counters in order */
		json_t *v = api_visit_json(a, t);
		struct bytebuf vb = { 0 };
		size_t i;

		bytebuf_puts(&vb, "この番号のまま順に回ります: ");
		for (i = 0; i < json_array_size(v); i++) {
			const char *c = json_string_value(json_object_get(
			    json_array_get(v, i), "counters"));
			bytebuf_printf(&vb, "%s窓口%s", i ? " → " : "", c ? c : "");
		}
		bytebuf_putc(&vb, '\0');
		fill(page, "<p class=\"visit\" id=\"visit\" hidden>",
		    "<p class=\"visit\" id=\"visit\">");
		fill_text(page, "<p class=\"visit\" id=\"visit\">",
		    (const char *)vb.data);
		bytebuf_free(&vb);
		json_decref(v);
	}
	if (waiting) {
		snprintf(buf, sizeof(buf), "%d", t->ahead);
		fill_text(page, "<span id=\"ahead\">", buf);
		snprintf(buf, sizeof(buf), "%d", t->wait_min);
		fill_text(page, "<span id=\"wait\">", buf);
	} else {
		fill(page, "<div id=\"f-ahead\">", "<div id=\"f-ahead\" hidden>");
		fill(page, "<div id=\"f-wait\">", "<div id=\"f-wait\" hidden>");
		fill(page, "<p class=\"note\" id=\"note\">",
		    "<p class=\"note\" id=\"note\" hidden>");
	}
	{
		struct bytebuf b = { 0 };
		bytebuf_puts(&b, "<title>");
		html_put(&b, t->number);
		bytebuf_putc(&b, ' ');
		html_put(&b, ja);
		bytebuf_puts(&b, " - 旭市役所</title>");
		bytebuf_putc(&b, '\0');
		snprintf(title, sizeof(title), "%s", (const char *)b.data);
		bytebuf_free(&b);
	}
	fill(page, "<title>受付番号の呼び出し状況 - 旭市役所</title>", title);
	snprintf(buf, sizeof(buf), "<body class=\"state-%s\">",
	    store_state_name(t->state));
	fill(page, "<body>", buf);
	store_iso_time(now_ms, iso);
	snprintf(buf, sizeof(buf), "%.5s 更新 / updated", iso + 11);
	fill_text(page, "<p class=\"updated\" id=\"updated\" "
	    "aria-live=\"off\">", buf);
}

/* The whole of a small web file, or NULL. */
static char *
read_web_file(struct api *a, const char *name)
{
	char *path = xasprintf("%s/%s", a->web_dir, name), *text = NULL;
	FILE *f = fopen(path, "rb");
	struct bytebuf b = { 0 };
	char chunk[4096];
	size_t n;

	free(path);
	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 1 << 20)
		bytebuf_append(&b, chunk, n);
	if (!ferror(f)) {
		bytebuf_putc(&b, '\0');
		text = bytebuf_detach(&b, NULL);
	}
	bytebuf_free(&b);
	fclose(f);
	return text;
}

void
api_h_phone(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	char *page;
	int status;
	bool found;

	/* the same lookup (and limits) as /api/status; a malformed or unknown
	 * token still gets the page, saying "no such ticket" */
	found = status_lookup(a, req, params[0], now_ms, &t, resp);
	status = found ? 200 : resp->status;
	bytebuf_reset(&resp->body);
	if ((page = read_web_file(a, "phone.html")) == NULL) {
		if (found)
			store_ticket_clear(&t);
		api_error(resp, 404, "not_found",
		    "no such page (is the web folder installed?)");
		return;
	}
	if (found || status == 404)
		phone_render(a, &page, found ? &t : NULL, now_ms);
	if (found)
		store_ticket_clear(&t);
	bytebuf_puts(&resp->body, page);
	free(page);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
}

void
api_h_static(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	const char *p = params[0], *seg;

	/* segments of [A-Za-z0-9_-.], none empty or starting with '.' */
	if (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-./") != strlen(p) || strlen(p) > 200) {
		api_error(resp, 404, "not_found", "no such file");
		return;
	}
	for (seg = p; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
		if (seg[0] == '.' || seg[0] == '/' || seg[0] == '\0') {
			api_error(resp, 404, "not_found", "no such file");
			return;
		}
	serve_file(a, p, resp);
}

void
api_h_events(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	resp->status = 200;
	resp->content_type = "text/event-stream";
	resp->sse = true;
}

/*
 * One number for a whole visit (回らない, docs/visits.md).
 *
 * A life event's ticket carries a route: the step it waits for now (the
 * store's `step') and the steps after it (`route'), each step the included
 * procedures one service handles in a row ("kokuho+jidoteate"), steps
 * separated by ','.  When a counter marks its part done, the ticket waits
 * for the next step's service with its number and its issue time, so it
 * keeps its place by the visit's start.  Staff may add or skip a step.
 * The application goes only to counters whose step asks questions.
 */
#define VISIT_MAX 256

/* The procedure a step starts with ("kokuho" of "kokuho+jidoteate"). */
static const struct cat_procedure *
step_first(struct api *a, const char *step, size_t len)
{
	char id[64];
	size_t n = strcspn(step, "+,");

	if (n > len)
		n = len;
	if (n == 0 || n >= sizeof(id))
		return NULL;
	memcpy(id, step, n);
	id[n] = '\0';
	return catalog_find(a->catalog, id);
}

bool
api_visit_route(struct api *a, const struct cat_procedure *p, char *step,
    size_t step_n, char *route, size_t route_n)
{
	char buf[VISIT_MAX] = "";
	char last = 0;
	size_t i, off = 0;
	char *comma;

	step[0] = route[0] = '\0';
	if (p->kind != CAT_LIFE_EVENT || p->nincludes == 0)
		return false;
	for (i = 0; i < p->nincludes; i++) {
		const struct cat_procedure *q = catalog_find(a->catalog,
		    p->includes[i]);
		char svc = q ? catalog_service(q) : 0;
		if (q == NULL || store_service(a->store, svc) == NULL)
			continue;          /* a service this hall lacks */
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
		    off == 0 ? "" : svc == last ? "+" : ",", q->id);
		if (off >= sizeof(buf))
			return false;
		last = svc;
	}
	if (buf[0] == '\0')
		return false;
	comma = strchr(buf, ',');
	snprintf(step, step_n, "%.*s", comma ? (int)(comma - buf) :
	    (int)strlen(buf), buf);
	snprintf(route, route_n, "%s", comma ? comma + 1 : "");
	return true;
}

char
api_visit_service(struct api *a, const char *step)
{
	const struct cat_procedure *q = step_first(a, step, strlen(step));

	return q ? catalog_service(q) : 0;
}

/* Does any procedure of the step ask questions (the application)? */
bool
api_visit_needs_application(struct api *a, const char *step)
{
	const char *s = step;

	if (step[0] == '\0')
		return true;               /* not a visit: as before */
	while (*s) {
		const struct cat_procedure *q = step_first(a, s, strlen(s));
		if (q && (q->nquestions > 0 || q->needs_mynumber))
			return true;
		s += strcspn(s, "+,");
		if (*s)
			s++;
	}
	return false;
}

/* The step after a ticket's current one: its service, step and the rest. */
bool
api_visit_next(struct api *a, const struct store_ticket *t, char *service,
    char *step, size_t step_n, const char **rest)
{
	size_t n;

	if (t->route[0] == '\0')
		return false;
	n = strcspn(t->route, ",");
	snprintf(step, step_n, "%.*s", (int)n, t->route);
	*rest = t->route[n] ? t->route + n + 1 : "";
	*service = api_visit_service(a, step);
	return *service != 0;
}

/* The route as JSON: the step now and the ones after, with their
 * service letters and counters text. */
json_t *
api_visit_json(struct api *a, const struct store_ticket *t)
{
	json_t *arr = json_array();
	char buf[VISIT_MAX + 70];
	char *save = NULL, *tok;

	if (t->step[0] == '\0') {
		json_decref(arr);
		return json_null();
	}
	snprintf(buf, sizeof(buf), "%s%s%s", t->step, t->route[0] ? "," : "",
	    t->route);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		json_t *o = json_object();
		char svc = api_visit_service(a, tok), counters[64];
		api_counter_text(a, NULL, svc, counters, sizeof(counters));
		json_object_set_new(o, "procedures", json_string(tok));
		json_object_set_new(o, "service", json_stringn(&svc, 1));
		json_object_set_new(o, "counters", json_string(counters));
		json_array_append_new(arr, o);
	}
	return arr;
}

/*
 * POST /api/tickets/{id}/route {"add": "kokuho"} or {"skip": "kokuho"}
 * (staff): a step appended at the end, or one of the steps still to come
 * taken out.  The event "route" logs it.
 */
void
api_h_route(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "add", "skip", "staff",
	    "request_id", NULL };
	struct store_step_arg arg = { 0 };
	struct store_ticket t;
	struct kerr err;
	const char *add = NULL, *skip = NULL;
	char route[VISIT_MAX], shown[70];
	int64_t id;
	json_t *root, *o, *ev;
	int rc;

	if (!api_param_id(params[0], "ticket id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "add", false, 63, &add, resp) ||
	    !api_str(root, "skip", false, 63, &skip, resp) ||
	    !api_str(root, "staff", false, 63, &arg.staff, resp) ||
	    !api_str(root, "request_id", false, 64, &arg.request_id, resp))
		goto out;
	if ((add == NULL) == (skip == NULL)) {
		api_error(resp, 400, "bad_value", "give one of 'add' or 'skip' "
		    "(a procedure id)");
		goto out;
	}
	api_printable(add ? add : skip, shown, sizeof(shown));
	if ((rc = store_get(a->store, id, false, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	if (add) {
		const struct cat_procedure *q = catalog_find(a->catalog, add);
		if (q == NULL || q->kind == CAT_LIFE_EVENT ||
		    store_service(a->store, catalog_service(q)) == NULL) {
			api_error(resp, 400, "unknown_procedure", "'%s' is not a "
			    "procedure this hall serves", shown);
			goto out_t;
		}
		if (snprintf(route, sizeof(route), "%s%s%s", t.route,
		    t.route[0] ? "," : "", add) >= (int)sizeof(route)) {
			api_error(resp, 400, "too_long", "the route is full");
			goto out_t;
		}
	} else {
		/* the step whose procedures are exactly or begin with skip */
		char buf[VISIT_MAX], *save = NULL, *tok;
		size_t off = 0, n = strlen(skip);
		bool found = false;

		snprintf(buf, sizeof(buf), "%s", t.route);
		route[0] = '\0';
		for (tok = strtok_r(buf, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			if (!found && strncmp(tok, skip, n) == 0 &&
			    (tok[n] == '\0' || tok[n] == '+')) {
				found = true;
				continue;
			}
			off += (size_t)snprintf(route + off, sizeof(route) - off,
			    "%s%s", off ? "," : "", tok);
		}
		if (!found) {
			api_error(resp, 404, "not_found", "%s has no step '%s' "
			    "still to come", t.number, shown);
			goto out_t;
		}
	}
	arg.route = route;
	store_ticket_clear(&t);
	if ((rc = store_route(a->store, id, &arg, now_ms, &t, &err)) != K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "ticket", api_ticket_json(a, &t, false));
	api_json(resp, 200, o);
	json_decref(o);
	if (!t.replayed) {
		ev = api_ticket_event(&t, now_ms);
		json_object_set_new(ev, add ? "added" : "skipped",
		    json_string(add ? add : skip));
		api_emit(a, "route", ev);
		json_decref(ev);
	}
out_t:
	store_ticket_clear(&t);
out:
	json_decref(root);
}
