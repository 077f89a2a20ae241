/*
 * test_counter_ops.c - counter operations through the API route table
 * (issue 11): alerts that wait until one member of staff takes them, the
 * kiosks' heartbeat and "kiosk silent".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "catalog.h"
#include "print.h"
#include "store.h"
#include "ticket.h"

#define CATALOG "tests/server/catalog.json"

/* Counter printers: 3 prints, 4 is out of paper, others have none. */
static int printed_at[1000];
static char printed_number[16];
static bool printed_reprint;

static int
fake_counter_print(void *arg, int counter, const struct ticket_info *t,
    char *reason, size_t n)
{
	(void)arg;
	if (counter != 3 && counter != 4)
		return K_ENOTFOUND;
	printed_at[counter]++;
	snprintf(printed_number, sizeof(printed_number), "%s", t->number);
	printed_reprint = t->reprint;
	if (counter == 4) {
		snprintf(reason, n, "paper_out");
		return K_EPAPER;
	}
	return K_OK;
}

struct fx {
	struct store *st;
	struct catalog *cat;
	struct api *api;
	char events[128][24];
	char *event_data[128];
	int nevents;
	int64_t now;
};

static void
capture(void *arg, const char *event, const char *json)
{
	struct fx *f = arg;

	if (f->nevents < 128) {
		snprintf(f->events[f->nevents], sizeof(f->events[0]), "%s", event);
		f->event_data[f->nevents] = strdup(json);
		f->nevents++;
	}
}

static struct fx *
fx_new(void)
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
	o.public_url = "https://q.example.jp";
	o.web_dir = "assets/web";
	o.status_rate_per_min = 1000;
	o.emit = capture;
	o.emit_arg = f;
	o.site_name = "旭市役所 市民課";
	o.counter_print = fake_counter_print;
	assert_int_equal(api_new(&f->api, &o, &err), K_OK);
	f->now = (int64_t)1795827600 * 1000;   /* 2026-11-28 10:00 JST */
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

/* One loopback request; the status, *out the parsed body (or NULL). */
static int
req(struct fx *f, const char *method, const char *path, const char *body,
    json_t **out)
{
	struct api_req r;
	struct api_resp resp;
	int status;

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.path = path;
	r.body = body;
	r.body_len = body ? strlen(body) : 0;
	r.loopback = true;
	r.remote = "127.0.0.1";
	assert_int_equal(api_dispatch(f->api, &r, f->now, &resp), 0);
	status = resp.status;
	if (out) {
		*out = resp.body.len ? json_loadb((const char *)resp.body.data,
		    resp.body.len, 0, NULL) : NULL;
		if (resp.body.len && *out == NULL)
			fail_msg("%s %s: not JSON", method, path);
	}
	api_resp_free(&resp);
	return status;
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

static size_t
open_alerts(struct fx *f, json_t **list)
{
	json_t *o;

	assert_int_equal(req(f, "GET", "/api/alerts", NULL, &o), 200);
	*list = json_incref(json_object_get(o, "alerts"));
	json_decref(o);
	return json_array_size(*list);
}

static void
test_alerts_wait_until_taken(void **state)
{
	struct fx *f = fx_new();
	json_t *o, *list;
	char path[64];
	long long id;

	(void)state;
	/* raised while no console is open: stored, and listed later */
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"kiosk-1\","
	    "\"kind\":\"card_last_try\"}", &o), 201);
	id = jint(o, "id");
	assert_false(json_is_true(json_object_get(o, "repeat")));
	json_decref(o);
	assert_string_equal(f->events[f->nevents - 1], "help");
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"kiosk-2\","
	    "\"kind\":\"printer\",\"number\":\"A-007\",\"detail\":\"paper_out\"}",
	    NULL), 201);
	f->now += 5 * 60 * 1000;
	assert_int_equal(open_alerts(f, &list), 2);
	o = json_array_get(list, 0);
	assert_string_equal(jstr(o, "kind"), "card_last_try");
	assert_string_equal(jstr(o, "kiosk"), "kiosk-1");
	assert_true(json_is_null(json_object_get(o, "taken_by")));
	o = json_array_get(list, 1);
	assert_string_equal(jstr(o, "kind"), "printer");
	assert_string_equal(jstr(o, "number"), "A-007");
	assert_string_equal(jstr(o, "detail"), "paper_out");
	json_decref(list);

	/* the same open alert again is not a second one, and not news */
	{
		int before = f->nevents;
		assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":"
		    "\"kiosk-1\",\"kind\":\"card_last_try\"}", &o), 201);
		assert_int_equal(jint(o, "id"), id);
		assert_true(json_is_true(json_object_get(o, "repeat")));
		json_decref(o);
		assert_int_equal(f->nevents, before);
	}

	/* one member of staff takes it; who and when are kept */
	snprintf(path, sizeof(path), "/api/alerts/%lld/take", id);
	assert_int_equal(req(f, "POST", path, "{\"staff\":\"suzuki\"}", &o), 200);
	assert_string_equal(jstr(o, "taken_by"), "suzuki");
	assert_non_null(strstr(jstr(o, "taken_at"), "+09:00"));
	json_decref(o);
	assert_string_equal(f->events[f->nevents - 1], "alert_taken");
	/* a repeat by the same person is fine; someone else is told who */
	assert_int_equal(req(f, "POST", path, "{\"staff\":\"suzuki\"}", NULL),
	    200);
	assert_int_equal(req(f, "POST", path, "{\"staff\":\"tanaka\"}", &o), 409);
	assert_non_null(strstr(jstr(o, "detail"), "suzuki"));
	json_decref(o);
	assert_int_equal(open_alerts(f, &list), 1);
	json_decref(list);
	/* taken, the same kind may be raised again as a new alert */
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"kiosk-1\","
	    "\"kind\":\"card_last_try\"}", &o), 201);
	assert_true(jint(o, "id") != id);
	json_decref(o);

	/* bad input names what is wrong */
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"k\","
	    "\"kind\":\"coffee\"}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"k\","
	    "\"kind\":\"kiosk_silent\"}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/help", "{\"kiosk\":\"k\","
	    "\"kind\":\"printer\",\"number\":\"A7\"}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/alerts/1/take", "{}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/alerts/999/take",
	    "{\"staff\":\"x\"}", NULL), 404);
	fx_free(f);
}

static void
test_silent_kiosk_raises_an_alert_once(void **state)
{
	struct fx *f = fx_new();
	json_t *list, *o;
	char path[64];

	(void)state;
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-1/heartbeat",
	    "{\"printer\":\"ok\"}", NULL), 200);
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-2/heartbeat", NULL,
	    NULL), 200);
	assert_int_equal(req(f, "POST", "/api/kiosks/bad%20id/heartbeat", NULL,
	    NULL), 400);
	f->now += 60 * 1000;
	api_check_kiosks(f->api, 90 * 1000, f->now);
	assert_int_equal(open_alerts(f, &list), 0);
	json_decref(list);
	/* kiosk-2 keeps talking, kiosk-1 does not */
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-2/heartbeat", NULL,
	    NULL), 200);
	f->now += 60 * 1000;
	api_check_kiosks(f->api, 90 * 1000, f->now);
	assert_int_equal(open_alerts(f, &list), 1);
	o = json_array_get(list, 0);
	assert_string_equal(jstr(o, "kind"), "kiosk_silent");
	assert_string_equal(jstr(o, "kiosk"), "kiosk-1");
	snprintf(path, sizeof(path), "/api/alerts/%lld/take", jint(o, "id"));
	json_decref(list);
	assert_string_equal(f->events[f->nevents - 1], "help");
	/* still silent: not raised twice, even once taken */
	f->now += 60 * 1000;
	api_check_kiosks(f->api, 90 * 1000, f->now);
	assert_int_equal(req(f, "POST", path, "{\"staff\":\"sato\"}", NULL), 200);
	f->now += 60 * 1000;
	api_check_kiosks(f->api, 90 * 1000, f->now);
	assert_int_equal(open_alerts(f, &list), 1);   /* kiosk-2 now */
	assert_string_equal(jstr(json_array_get(list, 0), "kiosk"), "kiosk-2");
	json_decref(list);
	/* back, then silent again: a new alert */
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-1/heartbeat", NULL,
	    NULL), 200);
	f->now += 120 * 1000;
	api_check_kiosks(f->api, 90 * 1000, f->now);
	assert_int_equal(open_alerts(f, &list), 2);
	json_decref(list);
	fx_free(f);
}

static const char ISSUE[] = "{\"procedure\":\"juminhyo\",\"lang\":\"en\","
    "\"answers\":{\"who\":\"self\",\"copies\":1},\"kiosk\":\"kiosk-1\"}";

static long long
issue(struct fx *f, const char *body)
{
	json_t *o;
	long long id;

	assert_int_equal(req(f, "POST", "/api/tickets", body ? body : ISSUE, &o),
	    201);
	id = jint(o, "id");
	json_decref(o);
	return id;
}

static void
test_reprint_to_the_kiosk_or_a_counter_printer(void **state)
{
	struct fx *f = fx_new();
	char path[96];
	long long id, rid;
	json_t *o, *r;

	(void)state;
	id = issue(f, NULL);
	snprintf(path, sizeof(path), "/api/tickets/%lld/reprint", id);
	/* to the kiosk that issued it: its next heartbeat carries it */
	assert_int_equal(req(f, "POST", path, "{\"to\":\"kiosk\","
	    "\"staff\":\"sato\"}", &o), 202);
	r = json_object_get(o, "reprint");
	rid = jint(r, "id");
	assert_string_equal(jstr(r, "target"), "kiosk:kiosk-1");
	assert_string_equal(jstr(r, "number"), "A-001");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-2/heartbeat", NULL,
	    &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "reprints")), 0);
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-1/heartbeat", NULL,
	    &o), 200);
	r = json_array_get(json_object_get(o, "reprints"), 0);
	assert_int_equal(jint(r, "id"), rid);
	assert_string_equal(jstr(r, "number"), "A-001");
	assert_string_equal(jstr(r, "lang"), "en");
	assert_string_equal(jstr(r, "procedure_ja"), "住民票の写し");
	assert_true(strlen(jstr(r, "procedure_local")) > 0);
	assert_non_null(strstr(jstr(r, "url"), "https://q.example.jp/t/"));
	assert_string_equal(jstr(r, "site_name"), "旭市役所 市民課");
	json_decref(o);
	/* only that kiosk may answer for it; the answer is kept once */
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-2/reprints/%lld/done",
	    rid);
	assert_int_equal(req(f, "POST", path, "{\"printed\":true}", NULL), 404);
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-1/reprints/%lld/done",
	    rid);
	assert_int_equal(req(f, "POST", path, "{\"printed\":true}", &o), 200);
	assert_string_equal(jstr(json_object_get(o, "reprint"), "result"),
	    "printed");
	json_decref(o);
	assert_int_equal(req(f, "POST", path, "{\"printed\":false,"
	    "\"reason\":\"paper_out\"}", &o), 200);
	assert_string_equal(jstr(json_object_get(o, "reprint"), "result"),
	    "printed");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-1/heartbeat", NULL,
	    &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "reprints")), 0);
	json_decref(o);

	/* on a counter printer: printed at once, marked a reprint */
	snprintf(path, sizeof(path), "/api/tickets/%lld/reprint", id);
	memset(printed_at, 0, sizeof(printed_at));
	assert_int_equal(req(f, "POST", path, "{\"to\":\"counter\","
	    "\"counter\":3}", &o), 200);
	assert_string_equal(jstr(json_object_get(o, "reprint"), "result"),
	    "printed");
	json_decref(o);
	assert_int_equal(printed_at[3], 1);
	assert_string_equal(printed_number, "A-001");
	assert_true(printed_reprint);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"counter\","
	    "\"counter\":4}", &o), 502);
	assert_non_null(strstr(jstr(o, "detail"), "paper_out"));
	json_decref(o);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"counter\","
	    "\"counter\":7}", &o), 404);
	assert_non_null(strstr(jstr(o, "detail"), "server.counter_printers"));
	json_decref(o);
	/* the kiosk's own reprint of the ticket on its screen is logged */
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-1/tickets/%lld/reprinted",
	    id);
	assert_int_equal(req(f, "POST", path, "{\"printed\":true}", NULL), 201);
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-9/tickets/%lld/reprinted",
	    id);
	assert_int_equal(req(f, "POST", path, "{\"printed\":true}", NULL), 409);
	/* bad input */
	snprintf(path, sizeof(path), "/api/tickets/%lld/reprint", id);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"fax\"}", NULL), 400);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"counter\"}", NULL),
	    400);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"kiosk\","
	    "\"counter\":3}", NULL), 400);
	assert_int_equal(req(f, "POST", "/api/tickets/99/reprint",
	    "{\"to\":\"kiosk\"}", NULL), 404);
	/* a finished ticket is not reprinted */
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, NULL), 200);
	snprintf(path, sizeof(path), "/api/tickets/%lld/done", id);
	assert_int_equal(req(f, "POST", path, NULL, NULL), 200);
	snprintf(path, sizeof(path), "/api/tickets/%lld/reprint", id);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"kiosk\"}", NULL), 409);
	assert_int_equal(req(f, "POST", path, "{\"to\":\"counter\","
	    "\"counter\":3}", NULL), 409);
	fx_free(f);
}

static void
test_priority_by_staff_by_the_kiosk_and_before_issue(void **state)
{
	struct fx *f = fx_new();
	char path[96];
	long long a1, a2, other;
	json_t *o;

	(void)state;
	a1 = issue(f, NULL);
	a2 = issue(f, NULL);
	other = issue(f, "{\"procedure\":\"juminhyo\",\"lang\":\"ja\","
	    "\"answers\":{\"who\":\"self\",\"copies\":1},"
	    "\"kiosk\":\"kiosk-2\"}");
	/* a volunteer's long press at kiosk-1 marks its own ticket */
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-1/tickets/%lld/priority",
	    a2);
	assert_int_equal(req(f, "POST", path, "{\"priority\":true}", &o), 200);
	assert_true(json_is_true(json_object_get(json_object_get(
	    json_object_get(o, "ticket"), "flags"), "priority")));
	json_decref(o);
	assert_string_equal(f->events[f->nevents - 1], "priority");
	snprintf(path, sizeof(path), "/api/kiosks/kiosk-1/tickets/%lld/priority",
	    other);
	assert_int_equal(req(f, "POST", path, "{\"priority\":true}", &o), 409);
	assert_non_null(strstr(jstr(o, "detail"), "kiosk-1"));
	json_decref(o);
	/* priority is called first */
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, &o), 200);
	assert_string_equal(jstr(json_object_get(o, "ticket"), "number"),
	    "A-002");
	json_decref(o);
	/* staff, on a waiting ticket; not on a called one */
	snprintf(path, sizeof(path), "/api/tickets/%lld/priority", other);
	assert_int_equal(req(f, "POST", path, "{\"priority\":true,"
	    "\"staff\":\"sato\"}", NULL), 200);
	snprintf(path, sizeof(path), "/api/tickets/%lld/priority", a2);
	assert_int_equal(req(f, "POST", path, "{\"priority\":false}", NULL),
	    409);
	assert_int_equal(req(f, "POST", path, "{}", NULL), 400);
	(void)a1;
	/* before issue: the kiosk's next ticket */
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-3/priority-next",
	    "{\"priority\":true,\"staff\":\"sato\"}", NULL), 200);
	{
		long long id = issue(f, "{\"procedure\":\"juminhyo\","
		    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\","
		    "\"copies\":1},\"kiosk\":\"kiosk-3\"}");
		long long id2 = issue(f, "{\"procedure\":\"juminhyo\","
		    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\","
		    "\"copies\":1},\"kiosk\":\"kiosk-3\"}");
		snprintf(path, sizeof(path), "/api/tickets/%lld", id);
		assert_int_equal(req(f, "GET", path, NULL, &o), 200);
		assert_true(json_is_true(json_object_get(json_object_get(
		    json_object_get(o, "ticket"), "flags"), "priority")));
		json_decref(o);
		snprintf(path, sizeof(path), "/api/tickets/%lld", id2);
		assert_int_equal(req(f, "GET", path, NULL, &o), 200);
		assert_false(json_is_true(json_object_get(json_object_get(
		    json_object_get(o, "ticket"), "flags"), "priority")));
		json_decref(o);
	}
	/* a mark older than 10 minutes has lapsed */
	assert_int_equal(req(f, "POST", "/api/kiosks/kiosk-3/priority-next",
	    "{\"priority\":true}", NULL), 200);
	f->now += 11 * 60 * 1000;
	{
		long long id = issue(f, "{\"procedure\":\"juminhyo\","
		    "\"lang\":\"ja\",\"answers\":{\"who\":\"self\","
		    "\"copies\":1},\"kiosk\":\"kiosk-3\"}");
		snprintf(path, sizeof(path), "/api/tickets/%lld", id);
		assert_int_equal(req(f, "GET", path, NULL, &o), 200);
		assert_false(json_is_true(json_object_get(json_object_get(
		    json_object_get(o, "ticket"), "flags"), "priority")));
		json_decref(o);
	}
	fx_free(f);
}

static void
test_reprint_is_marked_on_paper(void **state)
{
	struct ticket_info t;
	struct ticket_layout a, b;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", 1795827600, NULL);
	assert_int_equal(ticket_render(&t, 576, &a, &err), K_OK);
	t.reprint = true;
	assert_int_equal(ticket_render(&t, 576, &b, &err), K_OK);
	/* one more line of large type, and a rule */
	assert_true(b.bm.h > a.bm.h + 40);
	ticket_layout_free(&a);
	ticket_layout_free(&b);
}

static const char *
num_of(json_t *o)
{
	return jstr(json_object_get(o, "ticket"), "number");
}

static void
test_a_repeated_request_id_returns_the_first_result(void **state)
{
	struct fx *f = fx_new();
	char path[96];
	json_t *o;
	int events;

	(void)state;
	issue(f, NULL);
	issue(f, NULL);
	/* the answer to "call next" was lost: the retry carries the same id */
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"request_id\":\"call-0001-a\"}", &o), 200);
	assert_string_equal(num_of(o), "A-001");
	assert_null(json_object_get(o, "replayed"));
	json_decref(o);
	events = f->nevents;
	f->now += 5000;
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"request_id\":\"call-0001-a\"}", &o), 200);
	assert_string_equal(num_of(o), "A-001");
	assert_true(json_is_true(json_object_get(o, "replayed")));
	/* the application comes with it, as on the first answer */
	assert_non_null(json_object_get(json_object_get(o, "ticket"),
	    "application"));
	json_decref(o);
	assert_int_equal(f->nevents, events);      /* nothing new happened */
	/* every step takes one; a repeat of done answers done again */
	assert_int_equal(req(f, "POST", "/api/tickets/1/recall",
	    "{\"request_id\":\"recall-0001\"}", NULL), 200);
	assert_int_equal(req(f, "POST", "/api/tickets/1/recall",
	    "{\"request_id\":\"recall-0001\"}", &o), 200);
	assert_int_equal(jint(json_object_get(o, "ticket"), "recalls"), 1);
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/tickets/1/done",
	    "{\"request_id\":\"done-0001\"}", NULL), 200);
	assert_int_equal(req(f, "POST", "/api/tickets/1/done",
	    "{\"request_id\":\"done-0001\"}", &o), 200);
	assert_string_equal(jstr(json_object_get(o, "ticket"), "state"), "done");
	json_decref(o);
	/* an id used for another action or ticket is refused, not replayed */
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"request_id\":\"done-0001\"}", &o), 400);
	assert_non_null(strstr(jstr(o, "detail"), "request_id"));
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"request_id\":\"call-0002-b\"}", &o), 200);
	assert_string_equal(num_of(o), "A-002");
	json_decref(o);
	snprintf(path, sizeof(path), "/api/tickets/2/recall");
	assert_int_equal(req(f, "POST", path, "{\"request_id\":\"recall-0001\"}",
	    NULL), 400);
	assert_int_equal(req(f, "POST", path, "{\"request_id\":\"short\"}",
	    NULL), 400);
	assert_int_equal(req(f, "POST", path, "{\"request_id\":\"has space 1\"}",
	    NULL), 400);
	fx_free(f);
}

static void
test_a_counter_serves_one_ticket_at_a_time(void **state)
{
	struct fx *f = fx_new();
	json_t *o, *list;

	(void)state;
	issue(f, NULL);
	issue(f, NULL);
	issue(f, NULL);
	assert_int_equal(req(f, "GET", "/api/counters/1", NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "tickets")), 0);
	assert_string_equal(jstr(o, "services"), "A");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, NULL), 200);
	/* a fresh console on counter 1 sees A-001, with its application */
	assert_int_equal(req(f, "GET", "/api/counters/1", NULL, &o), 200);
	list = json_object_get(o, "tickets");
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(jstr(json_array_get(list, 0), "number"), "A-001");
	assert_non_null(json_object_get(json_array_get(list, 0), "application"));
	json_decref(o);
	/* calling again names the ticket in hand, and calls nobody */
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, &o), 409);
	assert_string_equal(jstr(o, "error"), "counter_busy");
	assert_non_null(strstr(jstr(o, "detail"), "A-001"));
	assert_string_equal(num_of(o), "A-001");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"number\":\"A-003\"}", NULL), 409);
	/* re-calling the one it holds is no second ticket */
	assert_int_equal(req(f, "POST", "/api/counters/1/call",
	    "{\"number\":\"A-001\"}", NULL), 200);
	/* in service it still holds it */
	assert_int_equal(req(f, "POST", "/api/tickets/1/start", NULL, NULL), 200);
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, NULL), 409);
	/* back in the queue with its place: the next call takes it again */
	assert_int_equal(req(f, "POST", "/api/tickets/1/requeue", NULL, &o), 200);
	assert_string_equal(jstr(json_object_get(o, "ticket"), "state"),
	    "waiting");
	json_decref(o);
	assert_string_equal(f->events[f->nevents - 1], "requeued");
	assert_int_equal(req(f, "POST", "/api/counters/2/call", NULL, &o), 200);
	assert_string_equal(num_of(o), "A-001");
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, &o), 200);
	assert_string_equal(num_of(o), "A-002");
	json_decref(o);
	/* carried over: ends today, with a note, the application gone */
	assert_int_equal(req(f, "POST", "/api/tickets/3/carry-over",
	    "{\"note\":\"予約 12/4 10:00\"}", &o), 200);
	assert_string_equal(jstr(json_object_get(o, "ticket"), "state"),
	    "carried_over");
	assert_true(json_is_null(json_object_get(json_object_get(o, "ticket"),
	    "application")));
	json_decref(o);
	assert_int_equal(req(f, "POST", "/api/tickets/3/requeue", NULL, NULL),
	    409);
	assert_int_equal(req(f, "GET", "/api/counters/99", NULL, NULL), 404);
	fx_free(f);
}

static void
test_priority_goes_first_but_never_starves_the_others(void **state)
{
	struct fx *f = fx_new();
	char numbers[8][16];
	json_t *o;
	int i;

	(void)state;
	/* A-001..A-002 plain, then A-003..A-006 priority (server.priority_run
	 * is 2 by default) */
	for (i = 0; i < 6; i++) {
		long long id = issue(f, NULL);
		char path[96];
		f->now += 1000;
		if (i >= 2) {
			snprintf(path, sizeof(path), "/api/tickets/%lld/priority", id);
			assert_int_equal(req(f, "POST", path, "{\"priority\":true}",
			    NULL), 200);
		}
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, &o),
		    200);
		snprintf(numbers[i], sizeof(numbers[i]), "%s", num_of(o));
		{
			char path[96];
			snprintf(path, sizeof(path), "/api/tickets/%lld/done",
			    jint(json_object_get(o, "ticket"), "id"));
			assert_int_equal(req(f, "POST", path, NULL, NULL), 200);
		}
		json_decref(o);
		f->now += 1000;
	}
	/* two priority, then the oldest by issue time, then priority again */
	assert_string_equal(numbers[0], "A-003");
	assert_string_equal(numbers[1], "A-004");
	assert_string_equal(numbers[2], "A-001");
	assert_string_equal(numbers[3], "A-005");
	assert_string_equal(numbers[4], "A-006");
	assert_string_equal(numbers[5], "A-002");
	fx_free(f);
}

static void
test_the_estimate_has_a_floor(void **state)
{
	struct fx *f = fx_new();
	json_t *o;
	int i;

	(void)state;
	/* ten residents who only asked a question: 10 s each */
	for (i = 0; i < 10; i++) {
		char path[96];
		long long id = issue(f, NULL);
		assert_int_equal(req(f, "POST", "/api/counters/1/call", NULL, NULL),
		    200);
		f->now += 10 * 1000;
		snprintf(path, sizeof(path), "/api/tickets/%lld/done", id);
		assert_int_equal(req(f, "POST", path, NULL, NULL), 200);
	}
	for (i = 0; i < 7; i++)
		issue(f, NULL);
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE, &o), 201);
	assert_int_equal(jint(o, "ahead"), 7);
	/* 7 people at half of 住民票's usual minutes, one counter open */
	assert_true(jint(o, "wait_min") >= 7);
	json_decref(o);
	fx_free(f);
}

static void
test_yesterdays_ticket_has_ended(void **state)
{
	struct fx *f = fx_new();
	json_t *o;
	char path[96];

	(void)state;
	assert_int_equal(req(f, "POST", "/api/tickets", ISSUE, &o), 201);
	snprintf(path, sizeof(path), "/api/status/%s", jstr(o, "token"));
	json_decref(o);
	assert_int_equal(req(f, "GET", path, NULL, &o), 200);
	assert_string_equal(jstr(o, "state"), "waiting");
	json_decref(o);
	f->now += 16 * 3600 * 1000;                 /* 02:00 the next day */
	assert_int_equal(req(f, "GET", path, NULL, &o), 200);
	assert_string_equal(jstr(o, "state"), "ended");
	assert_string_equal(jstr(o, "day"), "2026-11-28");
	assert_true(json_is_null(json_object_get(o, "ahead")));
	assert_true(json_is_null(json_object_get(o, "wait_min")));
	json_decref(o);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alerts_wait_until_taken),
		cmocka_unit_test(test_silent_kiosk_raises_an_alert_once),
		cmocka_unit_test(test_reprint_to_the_kiosk_or_a_counter_printer),
		cmocka_unit_test(test_priority_by_staff_by_the_kiosk_and_before_issue),
		cmocka_unit_test(test_reprint_is_marked_on_paper),
		cmocka_unit_test(test_a_repeated_request_id_returns_the_first_result),
		cmocka_unit_test(test_a_counter_serves_one_ticket_at_a_time),
		cmocka_unit_test(test_priority_goes_first_but_never_starves_the_others),
		cmocka_unit_test(test_the_estimate_has_a_floor),
		cmocka_unit_test(test_yesterdays_ticket_has_ended),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
