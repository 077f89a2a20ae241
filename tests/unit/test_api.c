/*
 * test_api.c - the HTTP API as a route table, without sockets: shapes,
 * authentication, bad input (nothing stored), events, rate limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "catalog.h"
#include "store.h"

#define CATALOG "tests/server/catalog.json"
#define KTOK "kiosk-token-0123456789"
#define STOK "staff-token-0123456789"
#define DTOK "display-token-0123456789"

struct fx {
	struct store *st;
	struct catalog *cat;
	struct api *api;
	char events[64][24];
	char *event_data[64];
	int nevents;
	int64_t now;
};

static void
capture(void *arg, const char *event, const char *json)
{
	struct fx *f = arg;

	if (f->nevents < 64) {
		snprintf(f->events[f->nevents], sizeof(f->events[0]), "%s", event);
		f->event_data[f->nevents] = strdup(json);
		f->nevents++;
	}
}

static struct fx *
fx_new(bool tokens)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store_config sc = { .noshow_after_recalls = 1,
	    .estimate_samples = 10 };
	struct api_opts o;
	struct kerr err;

	assert_int_equal(store_open(&f->st, ":memory:", &sc, &err), K_OK);
	if (catalog_load(&f->cat, CATALOG, &err) != K_OK)
		fail_msg("%s", err.msg);
	memset(&o, 0, sizeof(o));
	o.store = f->st;
	o.catalog = f->cat;
	if (tokens) {
		o.token_kiosk = KTOK;
		o.token_staff = STOK;
		o.token_display = DTOK;
	}
	o.public_url = "https://q.example.jp/";
	o.web_dir = "assets/web";
	o.status_rate_per_min = 5;
	o.emit = capture;
	o.emit_arg = f;
	assert_int_equal(api_new(&f->api, &o, &err), K_OK);
	/* 2026-11-28 10:00 JST */
	f->now = (int64_t)1795827600 * 1000;
	return f;
}

static void
fx_free(struct fx *f)
{
	int i;

	for (i = 0; i < f->nevents; i++)
		free(f->event_data[i]);
	api_free(f->api);
	catalog_free(f->cat);
	store_close(f->st);
	free(f);
}

/* One request; returns the status, *out the parsed body (or NULL). */
static int
req_full(struct fx *f, const char *method, const char *path, const char *query,
    const char *body, size_t body_len, const char *bearer, bool loopback,
    const char *remote, json_t **out)
{
	struct api_req r;
	struct api_resp resp;
	int status;

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.path = path;
	r.query = query;
	r.body = body;
	r.body_len = body_len;
	r.bearer = bearer;
	r.loopback = loopback;
	r.remote = remote ? remote : "127.0.0.1";
	assert_int_equal(api_dispatch(f->api, &r, f->now, &resp), 0);
	status = resp.status;
	if (out) {
		*out = resp.body.len ? json_loadb((const char *)resp.body.data,
		    resp.body.len, 0, NULL) : NULL;
		if (resp.body.len && *out == NULL)
			fail_msg("%s %s: answer is not JSON: %s", method, path,
			    (const char *)resp.body.data);
	}
	if (status >= 400 && resp.body.len && (resp.content_type == NULL ||
	    strstr(resp.content_type, "text/html") == NULL)) {
		/* every error names itself (the phone page's 404 is a page) */
		json_t *e = json_loadb((const char *)resp.body.data,
		    resp.body.len, 0, NULL);
		assert_non_null(e);
		assert_non_null(json_string_value(json_object_get(e, "error")));
		assert_true(strlen(json_string_value(json_object_get(e,
		    "detail"))) > 5);
		json_decref(e);
	}
	api_resp_free(&resp);
	return status;
}

static int
req(struct fx *f, const char *method, const char *path, const char *body,
    json_t **out)
{
	return req_full(f, method, path, NULL, body, body ? strlen(body) : 0,
	    NULL, true, NULL, out);
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL)
		fail_msg("no string '%s'", key);
	return s;
}

static long long
jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("no integer '%s'", key);
	return json_integer_value(v);
}

static const char ISSUE_OK[] = "{\"procedure\":\"juminhyo\",\"lang\":\"vi\","
    "\"answers\":{\"who\":\"self\",\"copies\":2,\"urgent\":true},"
    "\"applicant\":{\"name\":\"旭 花子\",\"name_kana\":\"アサヒ ハナコ\","
    "\"address\":\"千葉県旭市ニの1920\",\"birth\":\"1980-04-01\",\"sex\":\"2\"},"
    "\"flags\":{\"card\":true,\"assist\":false,\"priority\":false},"
    "\"kiosk\":\"kiosk-1\",\"fee_yen\":600}";

static void
test_api_issue_answers_201_with_number_token_and_url(void **state)
{
	struct fx *f = fx_new(false);
	json_t *o;

	(void)state;
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, &o), 201);
	assert_int_equal(jint(o, "id"), 1);
	assert_string_equal(jstr(o, "number"), "A-001");
	assert_string_equal(jstr(o, "service"), "A");
	assert_int_equal(strlen(jstr(o, "token")), 32);
	assert_true(strncmp(jstr(o, "url"), "https://q.example.jp/t/", 23) == 0);
	assert_string_equal(jstr(o, "url") + 23, jstr(o, "token"));
	assert_int_equal(jint(o, "ahead"), 0);
	assert_int_equal(jint(o, "wait_min"), 0);
	assert_string_equal(jstr(o, "counter"), "1,2");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, &o), 201);
	assert_string_equal(jstr(o, "number"), "A-002");
	assert_int_equal(jint(o, "ahead"), 1);
	/* before any call: 5 min ahead and 2/3 of one, on 2 counters */
	assert_int_equal(jint(o, "wait_min"), 4);     /* (5 + 3.3) / 2 */
	json_decref(o);
	assert_int_equal(f->nevents, 2);
	assert_string_equal(f->events[0], "issued");
	fx_free(f);
}

struct bad_row {
	const char *body;
	int status;
	const char *code;
	const char *needle;           /* in the detail */
};

#define P "\"procedure\":\"juminhyo\",\"lang\":\"ja\""
#define M "\"procedure\":\"mynumber_card\",\"lang\":\"ja\""

static const struct bad_row bad_rows[] = {
	{ "", 400, "bad_json", "JSON body" },
	{ "{", 400, "bad_json", "not valid JSON" },
	{ "[1,2]", 400, "bad_json", "object" },
	{ "\"juminhyo\"", 400, "bad_json", "" },
	{ "{\"procedure\":1,\"lang\":\"ja\"}", 400, "wrong_type", "procedure" },
	{ "{\"lang\":\"ja\"}", 400, "missing_field", "procedure" },
	{ "{\"procedure\":\"juminhyo\"}", 400, "missing_field", "lang" },
	{ "{\"procedure\":\"nope\",\"lang\":\"ja\"}", 400, "unknown_procedure",
	  "nope" },
	{ "{\"procedure\":\"juminhyo\",\"lang\":\"xx\"}", 400, "bad_value",
	  "lang" },
	{ "{" P ",\"extra\":1}", 400, "unknown_field", "extra" },
	{ "{" P ",\"procedure\":\"tennyu\"}", 400, "bad_json", "duplicate" },
	{ "{" P ",\"answers\":[]}", 400, "wrong_type", "answers" },
	{ "{" P ",\"answers\":{\"colour\":\"red\"}}", 400, "bad_answer", "colour" },
	{ "{" P ",\"answers\":{\"who\":\"neighbour\"}}", 400, "bad_answer",
	  "choices" },
	{ "{" P ",\"answers\":{\"who\":3}}", 400, "wrong_type", "who" },
	{ "{" P ",\"answers\":{\"copies\":11}}", 400, "bad_answer", "1 to 10" },
	{ "{" P ",\"answers\":{\"copies\":0}}", 400, "bad_answer", "1 to 10" },
	{ "{" P ",\"answers\":{\"copies\":\"two\"}}", 400, "bad_answer",
	  "whole number" },
	{ "{" P ",\"answers\":{\"copies\":1.5}}", 400, "wrong_type", "copies" },
	{ "{" P ",\"answers\":{\"urgent\":\"maybe\"}}", 400, "bad_answer", "yes" },
	{ "{\"procedure\":\"tennyu\",\"lang\":\"ja\",\"answers\":{\"date\":"
	  "\"2026-02-30\"}}", 400, "bad_answer", "date" },
	{ "{" P ",\"applicant\":[]}", 400, "wrong_type", "applicant" },
	{ "{" P ",\"applicant\":{\"name\":123}}", 400, "wrong_type", "name" },
	{ "{" P ",\"applicant\":{\"age\":\"3\"}}", 400, "unknown_field", "age" },
	{ "{" P ",\"applicant\":{\"birth\":\"1980-13-01\"}}", 400, "bad_value",
	  "birth" },
	{ "{" P ",\"applicant\":{\"sex\":\"x\"}}", 400, "bad_value", "sex" },
	{ "{" P ",\"applicant\":{\"mynumber\":\"123456789018\"}}", 400,
	  "mynumber_not_needed", "juminhyo" },
	{ "{" M ",\"applicant\":{\"mynumber\":\"123456789012\"}}", 400,
	  "bad_value", "check digit" },
	{ "{" M ",\"applicant\":{\"mynumber\":\"12345678901\"}}", 400,
	  "bad_value", "check digit" },
	{ "{" P ",\"applicant\":{\"name\":\"\"}}", 400, "bad_value", "name" },
	{ "{" P ",\"applicant\":{\"name\":\"a\\u0001b\"}}", 400, "bad_value",
	  "control" },
	{ "{" P ",\"applicant\":{\"address\":\"a\\u0000b\"}}", 400, "bad_json",
	  "" },
	{ "{" P ",\"flags\":{\"card\":\"yes\"}}", 400, "wrong_type", "card" },
	{ "{" P ",\"flags\":{\"vip\":true}}", 400, "unknown_field", "vip" },
	{ "{" P ",\"flags\":true}", 400, "wrong_type", "flags" },
	{ "{" P ",\"fee_yen\":-1}", 400, "bad_value", "fee_yen" },
	{ "{" P ",\"fee_yen\":\"300\"}", 400, "bad_value", "fee_yen" },
	{ "{" P ",\"kiosk\":\"kiosk 1\"}", 400, "bad_value", "kiosk" },
	/* SQL metacharacters */
	{ "{\"procedure\":\"juminhyo'; DROP TABLE tickets;--\",\"lang\":\"ja\"}",
	  400, "unknown_procedure", "DROP TABLE" },
	{ "{" P ",\"kiosk\":\"k' OR '1'='1\"}", 400, "bad_value", "kiosk" },
	{ "{\"procedure\":\"juminhyo\",\"lang\":\"ja\\\"--\"}", 400, "bad_value",
	  "lang" },
	{ "{" P ",\"answers\":{\"who\":\"self' OR 1=1--\"}}", 400, "bad_answer",
	  "choices" },
	/* invalid UTF-8 in every string field */
	{ "{\"procedure\":\"jumin\xff\",\"lang\":\"ja\"}", 400, "bad_json", "" },
	{ "{\"procedure\":\"juminhyo\",\"lang\":\"j\xc3\"}", 400, "bad_json", "" },
	{ "{" P ",\"kiosk\":\"k\xed\xa0\x80\"}", 400, "bad_json", "" },
	{ "{" P ",\"answers\":{\"w\xfeho\":\"self\"}}", 400, "bad_json", "" },
	{ "{" P ",\"answers\":{\"who\":\"se\x80lf\"}}", 400, "bad_json", "" },
	{ "{" P ",\"applicant\":{\"name\":\"\xe6\x97\"}}", 400, "bad_json", "" },
	{ "{" P ",\"applicant\":{\"name_kana\":\"\xc0\xaf\"}}", 400, "bad_json",
	  "" },
	{ "{" P ",\"applicant\":{\"address\":\"\xf8\x88\x80\x80\x80\"}}", 400,
	  "bad_json", "" },
	{ "{" P ",\"applicant\":{\"birth\":\"1980-04-0\xff\"}}", 400, "bad_json",
	  "" },
	{ "{" P ",\"applicant\":{\"sex\":\"\xff\"}}", 400, "bad_json", "" },
	{ "{" P ",\"flags\":{\"c\xffrd\":true}}", 400, "bad_json", "" },
	{ "{" P ",\"answers\":{\"who\":\"\\udc00\"}}", 400, "bad_json", "" },
};

static void
test_api_issue_refuses_bad_input_and_stores_nothing(void **state)
{
	struct fx *f = fx_new(false);
	struct store_stats s[STORE_MAX_SERVICES];
	struct kerr err;
	size_t i, n;
	json_t *o;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++) {
		const struct bad_row *r = &bad_rows[i];
		int status = req(f, "POST", "/api/tickets", r->body, &o);
		const char *code = json_string_value(json_object_get(o, "error"));
		const char *detail = json_string_value(json_object_get(o,
		    "detail"));

		if (status != r->status || code == NULL ||
		    strcmp(code, r->code) != 0 || detail == NULL ||
		    strstr(detail, r->needle) == NULL)
			fail_msg("row %zu %s: got %d %s '%s'", i, r->body, status,
			    code ? code : "-", detail ? detail : "-");
		json_decref(o);
	}
	assert_int_equal(store_stats(f->st, "2026-11-28", s, STORE_MAX_SERVICES,
	    &n, &err), K_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(s[i].issued, 0);
	assert_int_equal(f->nevents, 0);
	/* and the server still serves */
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, NULL), 201);
	fx_free(f);
}

static void
test_api_sql_metacharacters_in_text_are_kept_verbatim(void **state)
{
	static const char body[] = "{\"procedure\":\"juminhyo\",\"lang\":\"ja\","
	    "\"applicant\":{\"address\":\"1-2 O'Hara\\\"; DROP TABLE tickets;--\","
	    "\"name\":\"Robert'); DELETE FROM events;--\"}}";
	struct fx *f = fx_new(false);
	json_t *o, *ap;

	(void)state;
	assert_int_equal(req(f, "POST", "/api/tickets", body, NULL), 201);
	assert_int_equal(req(f, "POST", "/api/counters/1/call", "{}", &o), 200);
	ap = json_object_get(json_object_get(json_object_get(o, "ticket"),
	    "application"), "applicant");
	assert_string_equal(jstr(ap, "address"),
	    "1-2 O'Hara\"; DROP TABLE tickets;--");
	assert_string_equal(jstr(ap, "name"), "Robert'); DELETE FROM events;--");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/tickets", body, &o), 201);
	assert_string_equal(jstr(o, "number"), "A-002");
	json_decref(o);
	fx_free(f);
}

static void
test_api_roles_need_their_tokens(void **state)
{
	struct fx *f = fx_new(true);
	json_t *o;

	(void)state;
	/* missing, wrong, another role's: 401 even from loopback */
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), NULL, true, NULL, &o), 401);
	assert_string_equal(jstr(o, "error"), "unauthorized");
	json_decref(o);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), "nope", true, NULL, NULL), 401);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), STOK, false, NULL, NULL), 401);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), KTOK "x", false, NULL, NULL), 401);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), KTOK, false, "10.0.0.5", NULL), 201);
	assert_int_equal(req_full(f, "POST", "/api/counters/1/call", NULL, NULL,
	    0, KTOK, false, NULL, NULL), 401);
	assert_int_equal(req_full(f, "POST", "/api/counters/1/call", NULL, NULL,
	    0, STOK, false, NULL, NULL), 200);
	assert_int_equal(req_full(f, "GET", "/api/board", NULL, NULL, 0, DTOK,
	    false, NULL, NULL), 200);
	assert_int_equal(req_full(f, "GET", "/api/stats", NULL, NULL, 0, DTOK,
	    false, NULL, NULL), 401);
	/* the event stream takes the token from the query too */
	assert_int_equal(req_full(f, "GET", "/api/events", "token=" DTOK, NULL,
	    0, NULL, false, NULL, NULL), 200);
	assert_int_equal(req_full(f, "GET", "/api/events", "token=bad", NULL,
	    0, NULL, false, NULL, NULL), 401);
	/* public routes need nothing */
	assert_int_equal(req_full(f, "GET", "/api/health", NULL, NULL, 0, NULL,
	    false, NULL, NULL), 200);
	fx_free(f);

	/* without tokens: loopback only */
	f = fx_new(false);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), NULL, false, "192.0.2.1", &o), 403);
	assert_string_equal(jstr(o, "error"), "forbidden");
	json_decref(o);
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), NULL, true, NULL, NULL), 201);
	fx_free(f);
}

static void
test_api_counter_flow_emits_events_without_personal_data(void **state)
{
	struct fx *f = fx_new(false);
	static const char *const want[] = { "issued", "called", "recalled",
	    "transferred", "called", "started", "done" };
	json_t *o, *t;
	char path[64];
	long long id;
	int i;

	(void)state;
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, &o), 204);
	assert_null(o);
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, &o), 201);
	id = jint(o, "id");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/2/call",
	    "{\"staff\":\"s-01\"}", &o), 200);
	t = json_object_get(o, "ticket");
	assert_string_equal(jstr(t, "number"), "A-001");
	assert_string_equal(jstr(t, "state"), "called");
	assert_string_equal(jstr(t, "procedure_name"), "住民票の写し");
	assert_string_equal(jstr(t, "lang"), "vi");
	assert_int_equal(jint(t, "counter"), 2);
	assert_true(json_is_true(json_object_get(json_object_get(t, "flags"),
	    "card")));
	assert_true(strstr(jstr(t, "issued_at"), "+09:00") != NULL);
	assert_string_equal(jstr(json_object_get(json_object_get(t,
	    "application"), "applicant"), "name"), "旭 花子");
	assert_int_equal(jint(json_object_get(t, "application"), "fee_yen"),
	    600);
	json_decref(o);

	snprintf(path, sizeof(path), "/api/tickets/%lld/no-show", id);
	assert_int_equal(req(f, "POST", path, NULL, &o), 409);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/tickets/%lld/recall", id);
	assert_int_equal(req(f, "POST", path, NULL, &o), 200);
	assert_int_equal(jint(json_object_get(o, "ticket"), "recalls"), 1);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/tickets/%lld/transfer", id);
	assert_int_equal(req(f, "POST", path, "{\"service\":\"Q\"}", &o), 400);
	assert_string_equal(jstr(o, "error"), "unknown_service");
	json_decref(o);
	assert_int_equal(req(f, "POST", path, "{\"note\":\"x\"}", NULL), 400);
	assert_int_equal(req(f, "POST", path,
	    "{\"service\":\"B\",\"note\":\"転入届も\"}", &o), 200);
	t = json_object_get(o, "ticket");
	assert_string_equal(jstr(t, "service"), "B");
	assert_string_equal(jstr(t, "state"), "waiting");
	assert_string_equal(jstr(t, "note"), "転入届も");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/4/call",
	    "{\"number\":\"A-001\"}", &o), 200);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/tickets/%lld/start", id);
	assert_int_equal(req(f, "POST", path, "{}", NULL), 200);
	snprintf(path, sizeof(path), "/api/tickets/%lld/done", id);
	assert_int_equal(req(f, "POST", path, "{}", &o), 200);
	t = json_object_get(o, "ticket");
	assert_string_equal(jstr(t, "state"), "done");
	assert_true(json_is_null(json_object_get(t, "application")));
	json_decref(o);
	assert_int_equal(req(f, "POST", path, "{}", NULL), 409);
	assert_int_equal(req(f, "POST", path, "{\"bogus\":1}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/tickets/999/done", NULL, NULL),
	    404);
	assert_int_equal(req(f, "POST", "/api/tickets/abc/done", NULL, NULL),
	    400);
	assert_int_equal(req(f, "POST", "/api/tickets/99999999999999999999/done",
	    NULL, NULL), 400);
	assert_int_equal(req(f, "POST", "/api/counters/99/call", NULL, NULL),
	    404);
	assert_int_equal(req(f, "POST", "/api/counters/0/call", NULL, NULL),
	    400);
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"number\":\"A-1;--\"}", NULL), 400);

	assert_int_equal(f->nevents, (int)ARRAY_SIZE(want));
	for (i = 0; i < f->nevents; i++) {
		assert_string_equal(f->events[i], want[i]);
		assert_null(strstr(f->event_data[i], "花子"));
		assert_null(strstr(f->event_data[i], "1980"));
		assert_null(strstr(f->event_data[i], "旭市"));
	}
	fx_free(f);
}

static void
test_api_status_is_public_and_rate_limited(void **state)
{
	struct fx *f = fx_new(true);
	char path[96], token[40];
	json_t *o;
	int i;

	(void)state;
	assert_int_equal(req_full(f, "POST", "/api/tickets", NULL, ISSUE_OK,
	    strlen(ISSUE_OK), KTOK, false, NULL, &o), 201);
	snprintf(token, sizeof(token), "%s", jstr(o, "token"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/status/%s", token);
	assert_int_equal(req_full(f, "GET", path, NULL, NULL, 0, NULL, false,
	    "198.51.100.7", &o), 200);
	assert_string_equal(jstr(o, "number"), "A-001");
	assert_string_equal(jstr(o, "state"), "waiting");
	assert_int_equal(jint(o, "ahead"), 0);
	assert_true(json_is_null(json_object_get(o, "counter")));
	assert_null(json_object_get(o, "application"));
	/* number, service, day (the service day), state, ahead, wait, counter,
	 * near_ahead, away_until, counters, visit, appointment_time */
	assert_string_equal(jstr(o, "day"), "2026-11-28");
	assert_int_equal(jint(o, "near_ahead"), 0);
	assert_string_equal(jstr(o, "away_until"), "00:00");
	assert_non_null(jstr(o, "counters"));
	assert_true(json_is_null(json_object_get(o, "visit")));
	assert_true(json_is_null(json_object_get(o, "appointment_time")));
	assert_int_equal(json_object_size(o), 12);
	json_decref(o);
	assert_int_equal(req_full(f, "GET", "/api/status/0123456789abcdef0123456789abcdef",
	    NULL, NULL, 0, NULL, false, "198.51.100.7", NULL), 404);
	assert_int_equal(req_full(f, "GET", "/api/status/nothex", NULL, NULL, 0,
	    NULL, false, "198.51.100.7", NULL), 404);
	/* five a minute in this fixture: lookups of a real ticket count
	 * against the ticket, whatever the address (phones behind one NAT) */
	for (i = 0; i < 4; i++)
		assert_int_equal(req_full(f, "GET", path, NULL, NULL, 0, NULL,
		    false, i % 2 ? "198.51.100.7" : "198.51.100.8", NULL), 200);
	assert_int_equal(req_full(f, "GET", path, NULL, NULL, 0, NULL, false,
	    "198.51.100.9", &o), 429);
	assert_string_equal(jstr(o, "error"), "rate_limited");
	assert_non_null(strstr(jstr(o, "detail"), "this ticket"));
	json_decref(o);
	/* lookups that find nothing count against the address (two above) */
	for (i = 0; i < 3; i++)
		assert_int_equal(req_full(f, "GET",
		    "/api/status/00000000000000000000000000000000", NULL, NULL, 0,
		    NULL, false, "198.51.100.7", NULL), 404);
	assert_int_equal(req_full(f, "GET", "/api/status/nothex", NULL, NULL, 0,
	    NULL, false, "198.51.100.7", &o), 429);
	assert_non_null(strstr(jstr(o, "detail"), "unknown tickets"));
	json_decref(o);
	assert_int_equal(req_full(f, "GET", "/api/status/nothex", NULL, NULL, 0,
	    NULL, false, "198.51.100.8", NULL), 404);
	f->now += 60 * 1000;
	assert_int_equal(req_full(f, "GET", path, NULL, NULL, 0, NULL, false,
	    "198.51.100.7", NULL), 200);
	{
		/* the phone page carries the state without JavaScript */
		struct api_resp resp = { 0 };
		struct api_req r = { 0 };
		char page[96];
		const char *body;

		snprintf(page, sizeof(page), "/t/%s", token);
		r.method = "GET";
		r.path = page;
		r.remote = "198.51.100.7";
		api_dispatch(f->api, &r, f->now, &resp);
		assert_int_equal(resp.status, 200);
		assert_null(resp.file);
		assert_non_null(strstr(resp.content_type, "text/html"));
		bytebuf_putc(&resp.body, '\0');
		body = (const char *)resp.body.data;
		assert_non_null(strstr(body, "<p class=\"number\" id=\"number\">"
		    "A-001</p>"));
		assert_non_null(strstr(body, "id=\"state-ja\">お待ちください<"));
		assert_non_null(strstr(body, "<span id=\"ahead\">0</span>"));
		assert_non_null(strstr(body, "<title>A-001 お待ちください"));
		assert_null(strstr(body, "id=\"ticket\" hidden"));
		assert_non_null(strstr(body, "id=\"notfound\" hidden"));
		api_resp_free(&resp);
	}
	fx_free(f);
}

static void
test_api_stats_queue_board_and_help(void **state)
{
	struct fx *f = fx_new(false);
	json_t *o, *s;

	(void)state;
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, NULL), 201);
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE_OK, NULL), 201);
	f->now += 60 * 1000;
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, NULL), 200);
	assert_int_equal(req(f, "GET", "/api/queue", NULL, &o), 200);
	s = json_array_get(json_object_get(o, "services"), 0);
	assert_string_equal(jstr(s, "letter"), "A");
	assert_string_equal(jstr(s, "name"), "住民票・証明書");
	assert_int_equal(jint(s, "waiting"), 1);
	assert_int_equal(json_array_size(json_object_get(s, "counters")), 2);
	assert_string_equal(jstr(json_array_get(json_object_get(s, "serving"), 0),
	    "number"), "A-001");
	json_decref(o);
	assert_int_equal(req(f, "GET", "/api/board", NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "calls")), 1);
	assert_int_equal(jint(json_array_get(json_object_get(o, "calls"), 0),
	    "counter"), 1);
	assert_int_equal(json_array_size(json_object_get(o, "waiting")), 5);
	assert_non_null(strstr(jstr(o, "now"), "+09:00"));
	json_decref(o);
	assert_int_equal(req_full(f, "GET", "/api/stats", "date=2026-11-28", NULL,
	    0, NULL, true, NULL, &o), 200);
	assert_string_equal(jstr(o, "date"), "2026-11-28");
	s = json_array_get(json_object_get(o, "services"), 0);
	assert_int_equal(jint(s, "issued"), 2);
	assert_true(json_is_real(json_object_get(s, "wait_median_min")));
	assert_true(json_is_null(json_object_get(s, "service_median_min")));
	json_decref(o);
	assert_int_equal(req_full(f, "GET", "/api/stats", "date=2026-11-31", NULL,
	    0, NULL, true, NULL, NULL), 400);
	assert_int_equal(req_full(f, "GET", "/api/stats", "day=2026-11-28", NULL,
	    0, NULL, true, NULL, NULL), 400);
	assert_int_equal(req_full(f, "GET", "/api/stats", "date='--", NULL,
	    0, NULL, true, NULL, NULL), 400);
	assert_int_equal(req(f, "POST", "/api/help",
	    "{\"kiosk\":\"kiosk-2\",\"kind\":\"paper_low\"}", &o), 201);
	assert_true(jint(o, "id") >= 1);
	json_decref(o);
	assert_string_equal(f->events[f->nevents - 1], "help");
	assert_int_equal(req(f, "POST", "/api/help",
	    "{\"kiosk\":\"kiosk-2\",\"kind\":\"fire\"}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/help", "{\"kind\":\"resident\"}",
	    NULL), 400);
	fx_free(f);
}

static void
test_api_routes_pages_and_unknown_paths(void **state)
{
	struct fx *f = fx_new(false);
	struct api_req r;
	struct api_resp resp;
	json_t *o;

	(void)state;
	assert_int_equal(req(f, "GET", "/api/nothing", NULL, &o), 404);
	json_decref(o);
	assert_int_equal(req(f, "DELETE", "/api/tickets", NULL, &o), 405);
	assert_non_null(strstr(jstr(o, "detail"), "POST"));
	json_decref(o);
	assert_int_equal(req(f, "GET", "/web/../kiosk.db", NULL, NULL), 404);
	assert_int_equal(req(f, "GET", "/web/.hidden", NULL, NULL), 404);
	assert_int_equal(req(f, "GET", "/web/a//b.js", NULL, NULL), 404);
	assert_int_equal(req(f, "GET", "/web/x.sh", NULL, NULL), 404);
	assert_int_equal(req(f, "GET", "/t/short", NULL, NULL), 404);

	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.loopback = true;
	r.path = "/t/0123456789abcdef0123456789abcdef";
	api_dispatch(f->api, &r, f->now, &resp);
	/* no such ticket: the page, saying so, with 404 */
	assert_int_equal(resp.status, 404);
	assert_null(resp.file);
	assert_non_null(strstr(resp.content_type, "text/html"));
	bytebuf_putc(&resp.body, '\0');
	assert_non_null(strstr((const char *)resp.body.data,
	    "id=\"notfound\" aria-labelledby"));
	assert_non_null(strstr((const char *)resp.body.data,
	    "id=\"ticket\" hidden"));
	api_resp_free(&resp);
	r.path = "/staff";
	api_dispatch(f->api, &r, f->now, &resp);
	assert_string_equal(resp.file, "assets/web/staff.html");
	api_resp_free(&resp);
	r.path = "/web/css/staff.css";
	api_dispatch(f->api, &r, f->now, &resp);
	assert_string_equal(resp.file, "assets/web/css/staff.css");
	assert_non_null(strstr(resp.content_type, "text/css"));
	api_resp_free(&resp);
	r.path = "/api/events";
	api_dispatch(f->api, &r, f->now, &resp);
	assert_true(resp.sse);
	api_resp_free(&resp);
	fx_free(f);
}

/* The issue's answer is written without jansson: its text is JSON that
 * reads back as the same strings, whatever the configured address holds
 * (quotes, backslash, control characters, Japanese); a byte that is not
 * UTF-8 reads back as U+FFFD. */
static void
test_api_issue_answer_escapes_its_strings(void **state)
{
	static const struct {
		const char *public_url, *want;
	} cases[] = {
		{ "https://q.example.jp", "https://q.example.jp/t/" },
		{ "https://q.example.jp/\"x\\y\tz\x01", "https://q.example.jp/\"x"
		    "\\y\tz\x01/t/" },
		{ "https://窓口.example.jp", "https://窓口.example.jp/t/" },
		{ "https://q\xff.jp\xe6\x97", "https://q\xef\xbf\xbd.jp\xef\xbf\xbd"
		    "\xef\xbf\xbd/t/" },
	};
	struct fx *f = fx_new(false);
	struct api_opts o;
	struct kerr err;
	json_t *r;
	size_t i;
	const char *url, *tok;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		api_free(f->api);
		memset(&o, 0, sizeof(o));
		o.store = f->st;
		o.catalog = f->cat;
		o.public_url = cases[i].public_url;
		o.web_dir = "assets/web";
		o.emit = capture;
		o.emit_arg = f;
		assert_int_equal(api_new(&f->api, &o, &err), K_OK);
		assert_int_equal(req(f, "POST", "/api/tickets", "{\"procedure\":"
		    "\"juminhyo\",\"lang\":\"ja\",\"answers\":{\"who\":"
		    "\"self\",\"copies\":1}}", &r), 201);
		assert_non_null(r);
		url = json_string_value(json_object_get(r, "url"));
		tok = json_string_value(json_object_get(r, "token"));
		assert_non_null(url);
		assert_non_null(tok);
		assert_int_equal(strncmp(url, cases[i].want,
		    strlen(cases[i].want)), 0);
		assert_string_equal(url + strlen(cases[i].want), tok);
		assert_true(json_is_integer(json_object_get(r, "id")));
		assert_true(json_is_integer(json_object_get(r, "ahead")));
		assert_true(json_is_integer(json_object_get(r, "wait_min")));
		assert_string_equal(json_string_value(json_object_get(r,
		    "service")), "A");
		assert_non_null(json_string_value(json_object_get(r, "counter")));
		assert_non_null(json_string_value(json_object_get(r,
		    "issued_at")));
		assert_int_equal(json_object_size(r), 9);
		json_decref(r);
	}
	fx_free(f);
}

/* api_req.wake: the issue is queued, the wake comes from the store's
 * writer thread once the commit returned, and api_finish() answers. */
struct woken {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int n;
};

static void
wake_count(void *arg)
{
	struct woken *w = arg;

	pthread_mutex_lock(&w->mu);
	w->n++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

static int
issue_nowait(struct fx *f, struct woken *w, const char *body, json_t **out)
{
	struct api_req r;
	struct api_resp resp;
	int status, before;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.path = "/api/tickets";
	r.body = body;
	r.body_len = strlen(body);
	r.loopback = true;
	r.remote = "127.0.0.1";
	r.wake = wake_count;
	r.wake_arg = w;
	pthread_mutex_lock(&w->mu);
	before = w->n;
	pthread_mutex_unlock(&w->mu);
	assert_int_equal(api_dispatch(f->api, &r, f->now, &resp), 0);
	if (resp.pending != NULL) {
		assert_int_equal(resp.status, 0);
		pthread_mutex_lock(&w->mu);
		while (w->n == before)
			pthread_cond_wait(&w->cond, &w->mu);
		assert_int_equal(w->n, before + 1);
		pthread_mutex_unlock(&w->mu);
		api_finish(resp.pending, &resp);
	} else {
		/* refused before anything was queued: never woken */
		assert_int_equal(w->n, before);
	}
	status = resp.status;
	*out = resp.body.len ? json_loadb((const char *)resp.body.data,
	    resp.body.len, 0, NULL) : NULL;
	api_resp_free(&resp);
	return status;
}

static void
test_api_issue_without_waiting_answers_after_the_commit(void **state)
{
	struct fx *f = fx_new(false);
	struct store_config sc = { .noshow_after_recalls = 1,
	    .estimate_samples = 10 };
	struct woken w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    0 };
	char path[64], q[96];
	struct store *mem = f->st;
	struct kerr err;
	json_t *o;
	int i;

	(void)state;
	/* a database file: the store has its writer thread */
	snprintf(path, sizeof(path), "/tmp/test-api-nowait-%d.db", (int)getpid());
	unlink(path);
	api_free(f->api);
	assert_int_equal(store_open(&f->st, path, &sc, &err), K_OK);
	{
		struct api_opts o2;

		memset(&o2, 0, sizeof(o2));
		o2.store = f->st;
		o2.catalog = f->cat;
		o2.public_url = "https://q.example.jp/";
		o2.web_dir = "assets/web";
		o2.status_rate_per_min = 5;
		o2.emit = capture;
		o2.emit_arg = f;
		assert_int_equal(api_new(&f->api, &o2, &err), K_OK);
	}
	store_close(mem);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(issue_nowait(f, &w, "{\"procedure\":\"juminhyo\","
		    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\",\"copies\":1},"
		    "\"request_id\":\"nowait-request-0001\"}", &o), i == 1 ? 201 :
		    200);
		/* the same ticket each time: a retry is answered, not issued */
		assert_string_equal(json_string_value(json_object_get(o, "number")),
		    "A-001");
		json_decref(o);
	}
	assert_int_equal(issue_nowait(f, &w, "{\"procedure\":\"juminhyo\","
	    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\",\"copies\":1}}",
	    &o), 201);
	assert_string_equal(json_string_value(json_object_get(o, "number")),
	    "A-002");
	assert_int_equal(json_integer_value(json_object_get(o, "ahead")), 1);
	json_decref(o);
	/* one event per ticket issued, none for the retries */
	assert_int_equal(f->nevents, 2);
	assert_string_equal(f->events[0], "issued");
	/* refused input is answered at once and queues nothing */
	assert_int_equal(issue_nowait(f, &w, "{\"procedure\":\"nope\","
	    "\"lang\":\"ja\"}", &o), 400);
	json_decref(o);
	assert_int_equal(w.n, 4);
	snprintf(q, sizeof(q), "%s-wal", path);
	fx_free(f);
	unlink(path);
	unlink(q);
	snprintf(q, sizeof(q), "%s-shm", path);
	unlink(q);
}

/* Appointments on the fake clock (2026-11-28 10:00 JST): staff add, the
 * kiosk looks up and checks in, the refusals named, the closed counter's
 * alert to the consoles, no whole code in any event, the roles. */
static void
test_api_appointments_lookup_checkin_and_events(void **state)
{
	struct fx *f = fx_new(true);
	json_t *o;
	int i;

	(void)state;
	/* the staff's routes need the staff token, the look-up a kiosk's */
	assert_int_equal(req_full(f, "POST", "/api/appointments", NULL,
	    "{}", 2, KTOK, false, NULL, NULL), 401);
	assert_int_equal(req_full(f, "GET", "/api/appointments", NULL, NULL, 0,
	    KTOK, false, NULL, NULL), 401);
#define ADD(body) req_full(f, "POST", "/api/appointments", NULL, body, \
	    strlen(body), STOK, false, NULL, &o)
#define KIOSK(path, body) req_full(f, "POST", path, NULL, body, strlen(body), \
	    KTOK, false, NULL, &o)
	assert_int_equal(ADD("{\"date\":\"2026-11-28\",\"time\":\"10:05\","
	    "\"procedure\":\"tennyu\",\"code\":\"87654321\"}"), 201);
	assert_string_equal(jstr(o, "service"), "B");
	assert_string_equal(jstr(o, "code"), "87654321");
	/* no ticket yet: no number (not "-000") */
	assert_true(json_is_null(json_object_get(o, "number")));
	json_decref(o);
	assert_int_equal(ADD("{\"date\":\"2026-11-28\",\"time\":\"9:5\","
	    "\"procedure\":\"tennyu\"}"), 400);
	assert_non_null(strstr(jstr(o, "detail"), "time"));
	json_decref(o);
	assert_int_equal(ADD("{\"date\":\"2026-11-28\",\"time\":\"10:05\","
	    "\"procedure\":\"tennyu\",\"code\":\"1234\"}"), 400);
	assert_string_equal(jstr(o, "error"), "bad_code");
	assert_non_null(strstr(jstr(o, "detail"), "code"));
	json_decref(o);
	assert_int_equal(ADD("{\"date\":\"2026-11-28\",\"time\":\"10:05\","
	    "\"procedure\":\"tennyu\",\"when\":1}"), 400);
	json_decref(o);

	/* early until 09:55, on time until 10:20, late after */
	f->now -= 6 * 60000;      /* 09:54 */
	assert_int_equal(KIOSK("/api/appointments/lookup",
	    "{\"code\":\"87654321\"}"), 200);
	assert_string_equal(jstr(o, "arrival"), "early");
	assert_string_equal(jstr(o, "time"), "10:05");
	json_decref(o);
	f->now += 27 * 60000;     /* 10:21 */
	assert_int_equal(KIOSK("/api/appointments/lookup",
	    "{\"code\":\"87654321\"}"), 200);
	assert_string_equal(jstr(o, "arrival"), "late");
	json_decref(o);
	f->now -= 21 * 60000;     /* 10:00 */
	assert_int_equal(KIOSK("/api/appointments/lookup",
	    "{\"code\":\"00000000\"}"), 404);
	assert_string_equal(jstr(o, "error"), "appointment_not_found");
	json_decref(o);
	assert_int_equal(KIOSK("/api/tickets", "{\"procedure\":\"juminhyo\","
	    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\",\"copies\":1},"
	    "\"appointment\":\"87654321\"}"), 409);
	assert_string_equal(jstr(o, "error"), "appointment_procedure");
	assert_string_equal(jstr(o, "procedure"), "tennyu");
	json_decref(o);
	assert_int_equal(KIOSK("/api/tickets", "{\"procedure\":\"tennyu\","
	    "\"lang\":\"ja\",\"kiosk\":\"k1\",\"answers\":{},"
	    "\"appointment\":\"87654321\"}"), 201);
	assert_string_equal(jstr(o, "number"), "B-001");
	assert_string_equal(jstr(json_object_get(o, "appointment"), "arrival"),
	    "on_time");
	assert_true(json_is_true(json_object_get(json_object_get(o,
	    "appointment"), "counter_closed")));
	json_decref(o);
	assert_int_equal(KIOSK("/api/appointments/lookup",
	    "{\"code\":\"87654321\"}"), 409);
	assert_string_equal(jstr(o, "error"), "appointment_checked_in");
	assert_string_equal(jstr(o, "number"), "B-001");
	json_decref(o);
	/* a reprint staff ask for carries the slot to the kiosk's paper */
	assert_int_equal(req_full(f, "POST", "/api/tickets/1/reprint", NULL,
	    "{\"to\":\"kiosk\",\"staff\":\"sato\"}",
	    strlen("{\"to\":\"kiosk\",\"staff\":\"sato\"}"), STOK, false,
	    NULL, &o), 202);
	json_decref(o);
	assert_int_equal(KIOSK("/api/kiosks/k1/heartbeat", "{}"), 200);
	assert_string_equal(jstr(json_array_get(json_object_get(o, "reprints"),
	    0), "appointment_time"), "10:05");
	json_decref(o);
	/* the consoles heard of the new appointment, the ticket and the
	 * alert; nothing carried the whole code */
	{
		bool help = false, added = false;
		for (i = 0; i < f->nevents; i++) {
			assert_null(strstr(f->event_data[i], "87654321"));
			if (strcmp(f->events[i], "help") == 0 &&
			    strstr(f->event_data[i], "appointment_closed"))
				help = true;
			if (strcmp(f->events[i], "appointment") == 0)
				added = true;
		}
		assert_true(help);
		assert_true(added);
	}
	assert_int_equal(req_full(f, "GET", "/api/appointments", "date=2026-11-28",
	    NULL, 0, STOK, false, NULL, &o), 200);
	{
		json_t *a = json_array_get(json_object_get(o, "appointments"), 0);
		assert_string_equal(jstr(a, "code_end"), "21");
		assert_null(json_object_get(a, "code"));
		assert_string_equal(jstr(a, "state"), "checked_in");
		assert_string_equal(jstr(a, "number"), "B-001");
	}
	json_decref(o);
	assert_int_equal(req_full(f, "GET", "/api/appointments", "date=28-11-2026",
	    NULL, 0, STOK, false, NULL, &o), 400);
	json_decref(o);
	assert_int_equal(req_full(f, "POST", "/api/appointments/1/cancel", NULL,
	    "{}", 2, STOK, false, NULL, &o), 409);
	assert_string_equal(jstr(o, "error"), "appointment_checked_in");
	json_decref(o);
	assert_int_equal(req_full(f, "POST", "/api/appointments/99/cancel", NULL,
	    "{}", 2, STOK, false, NULL, &o), 404);
	json_decref(o);
#undef ADD
#undef KIOSK
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_issue_answers_201_with_number_token_and_url),
		cmocka_unit_test(test_api_issue_without_waiting_answers_after_the_commit),
		cmocka_unit_test(test_api_issue_answer_escapes_its_strings),
		cmocka_unit_test(test_api_issue_refuses_bad_input_and_stores_nothing),
		cmocka_unit_test(test_api_sql_metacharacters_in_text_are_kept_verbatim),
		cmocka_unit_test(test_api_roles_need_their_tokens),
		cmocka_unit_test(test_api_counter_flow_emits_events_without_personal_data),
		cmocka_unit_test(test_api_status_is_public_and_rate_limited),
		cmocka_unit_test(test_api_stats_queue_board_and_help),
		cmocka_unit_test(test_api_routes_pages_and_unknown_paths),
		cmocka_unit_test(test_api_appointments_lookup_checkin_and_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
