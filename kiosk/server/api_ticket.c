/*
 * api_ticket.c - the kiosk's routes: issue a ticket (with full validation
 * of the application against the catalog), printed, and help.  A phone's
 * routes are in api_phone.c, the web pages in api_web.c, one number for a
 * whole visit in api_visit.c.
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

/* The answer to an issue once store_issue()'s result is known, and the
 * consoles' event. */
static void
issue_answer(struct api *a, const struct cat_procedure *p, char service,
    const char *appt, struct store_ticket *t, int rc, const struct kerr *err,
    int64_t now_ms, struct api_resp *resp)
{
	char url[512], counter[64], iso[32], svc[2] = "";
	struct bytebuf *b;
	json_t *o;

	if (rc != K_OK) {
		/* an appointment's refusal named (the store checked it in
		 * its transaction; the look-up says which) */
		if (appt != NULL && rc != K_EFAIL && rc != K_EIO &&
		    api_appt_why(a, appt, p->id, now_ms, resp))
			return;
		if (rc == K_ENOTFOUND)
			api_error(resp, 500, "bad_catalog", "procedure %s names "
			    "service %c, which server.services does not have",
			    p->id, service);
		else
			api_store_error(resp, rc, err);
		return;
	}
	/* written here, not built in jansson and dumped: 30,000 fewer
	 * instructions a ticket (docs/performance.md) */
	snprintf(url, sizeof(url), "%s/t/%s", a->public_url, t->token);
	api_counter_text(a, p, t->service, counter, sizeof(counter));
	store_iso_time(t->issued_ms, iso);
	svc[0] = t->service;
	b = &resp->body;
	bytebuf_reset(b);
	bytebuf_printf(b, "{\"id\":%" PRId64 ",\"number\":", t->id);
	api_json_str(b, t->number);
	bytebuf_puts(b, ",\"service\":");
	api_json_str(b, svc);
	bytebuf_puts(b, ",\"token\":");
	api_json_str(b, t->token);
	bytebuf_puts(b, ",\"url\":");
	api_json_str(b, url);
	bytebuf_printf(b, ",\"ahead\":%d,\"wait_min\":%d,\"counter\":",
	    t->ahead, t->wait_min);
	api_json_str(b, counter);
	bytebuf_puts(b, ",\"issued_at\":");
	api_json_str(b, iso);
	if (t->appt_ms != 0) {
		char *text;

		o = api_appt_ticket_json(t);
		text = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		bytebuf_puts(b, ",\"appointment\":");
		bytebuf_puts(b, text ? text : "null");
		free(text);
	}
	bytebuf_putc(b, '}');
	/* a repeated request gets the same ticket, and no second event */
	resp->status = t->replayed ? 200 : 201;
	resp->content_type = API_JSON;
	if (!t->replayed) {
		o = api_ticket_event(t, now_ms);
		api_emit(a, "issued", o);
		json_decref(o);
		api_appt_closed_alert(a, t, now_ms);
	}
	store_ticket_clear(t);
}

/* An issue whose caller does not wait (api_req.wake): what the request
 * to the store points into lives here until the answer is made. */
struct issue_op {
	struct api_pending pending;   /* first: api_finish() is given it */
	struct api *a;
	const struct cat_procedure *p;
	json_t *root, *answers, *applicant;
	char *app_text;
	const char *appt;             /* in root */
	struct store_issue_req ir;
	char vstep[64], vroute[256];
	struct store_ticket t;
	int rc;
	struct kerr err;
	int64_t now_ms;
	void (*wake)(void *arg);
	void *wake_arg;
};

static void
issue_op_free(struct issue_op *op)
{
	if (op->app_text)
		xfree_wipe_str(op->app_text);
	json_decref(op->answers);
	json_decref(op->applicant);
	json_decref(op->root);
	free(op);
}

static void
issue_finish(struct api_pending *pending, struct api_resp *resp)
{
	struct issue_op *op = (struct issue_op *)pending;

	issue_answer(op->a, op->p, op->ir.service, op->appt, &op->t, op->rc,
	    &op->err, op->now_ms, resp);
	issue_op_free(op);
}

/* On the store's writer thread: the commit holding the issue returned.
 * The op is the caller's again once woken. */
static void
issue_durable(void *arg, int rc, const struct kerr *err)
{
	struct issue_op *op = arg;

	op->rc = rc;
	if (rc != K_OK && err != NULL)
		op->err = *err;
	op->wake(op->wake_arg);
}

void
api_h_issue(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "procedure", "lang", "answers",
	    "applicant", "flags", "kiosk", "fee_yen", "request_id", "appointment",
	    NULL };
	static const char *const flag_keys[] = { "card", "assist", "priority",
	    NULL };
	const struct cat_procedure *p;
	struct store_issue_req ir;
	char vstep[64], vroute[256];
	struct store_ticket t;
	struct kerr err;
	const char *proc, *lang, *kiosk, *rid, *appt;
	json_t *root, *answers = NULL, *applicant = NULL, *flags, *app;
	bool card = false, assist = false, prio = false, lang_ok = false;
	char *app_text = NULL;
	struct fee_ctx fc;
	json_int_t fee_yen = -1;
	int rc, i;

	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "procedure", true, 63, &proc, resp) ||
	    !api_str(root, "lang", true, 15, &lang, resp) ||
	    !api_str(root, "kiosk", false, 63, &kiosk, resp) ||
	    !api_str(root, "request_id", false, 64, &rid, resp) ||
	    !api_appt_code(root, "appointment", false, &appt, resp))
		goto out;
	if (rid && (strlen(rid) < 16 || strspn(rid, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(rid))) {
		api_error(resp, 400, "bad_value", "request_id must be 16 to 64 "
		    "letters, digits, '_' or '-'");
		goto out;
	}
	if ((p = api_procedure(a, proc, resp)) == NULL)
		goto out;
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
	ir.appointment = appt;
	/* a life event: one ticket for the whole visit, at its first step */
	if (api_visit_route(a, p, vstep, sizeof(vstep), vroute, sizeof(vroute))) {
		ir.step = vstep;
		ir.route = vroute;
		ir.service = api_visit_service(a, vstep);
	}
	/* a mark staff set on this kiosk for its next ticket (the console)
	 * is taken by store_issue(), in the ticket's transaction */
	if (req->wake != NULL) {
		/* the caller does not wait: the issue is answered after its
		 * commit, by issue_finish() */
		struct issue_op *op = xcalloc(1, sizeof(*op));

		op->pending.finish = issue_finish;
		op->a = a;
		op->p = p;
		op->now_ms = now_ms;
		op->appt = appt;
		op->wake = req->wake;
		op->wake_arg = req->wake_arg;
		op->ir = ir;
		if (ir.step != NULL) {
			memcpy(op->vstep, vstep, sizeof(vstep));
			memcpy(op->vroute, vroute, sizeof(vroute));
			op->ir.step = op->vstep;
			op->ir.route = op->vroute;
		}
		/* what ir points into is the op's now */
		op->root = root;
		op->answers = answers;
		op->applicant = applicant;
		op->app_text = app_text;
		root = answers = applicant = NULL;
		app_text = NULL;
		if ((rc = store_issue_start(a->store, &op->ir, now_ms, &op->t,
		    issue_durable, op, &op->err)) != K_OK) {
			issue_answer(a, p, op->ir.service, appt, &op->t, rc,
			    &op->err, now_ms, resp);
			issue_op_free(op);
		} else {
			resp->pending = &op->pending;
		}
		goto out;
	}
	rc = store_issue(a->store, &ir, now_ms, &t, &err);
	issue_answer(a, p, ir.service, appt, &t, rc, &err, now_ms, resp);
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
