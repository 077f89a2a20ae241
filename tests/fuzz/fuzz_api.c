/*
 * fuzz_api.c - the API's request handlers with arbitrary requests.
 *
 * Input: either "METHOD PATH[?QUERY]\n" followed by the body, or a first
 * byte choosing one of the routes below with the rest as its body.
 * Checks: every answer has a status from 200 to 599, JSON answers parse,
 * errors carry "error" and "detail", and no event carries the applicant.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "catalog.h"
#include "store.h"

static const struct { const char *method, *path; } templates[] = {
	{ "POST", "/api/tickets" },
	{ "POST", "/api/counters/1/call" },
	{ "POST", "/api/counters/3/call" },
	{ "POST", "/api/tickets/1/recall" },
	{ "POST", "/api/tickets/1/no-show" },
	{ "POST", "/api/tickets/1/done" },
	{ "POST", "/api/tickets/1/start" },
	{ "POST", "/api/tickets/2/transfer" },
	{ "POST", "/api/tickets/1/printed" },
	{ "POST", "/api/help" },
	{ "GET", "/api/queue" },
	{ "GET", "/api/board" },
	{ "GET", "/api/stats" },
};

static struct store *st;
static struct catalog *cat;
static struct api *api;
static int runs;

static void
on_event(void *arg, const char *event, const char *json)
{
	(void)arg;
	(void)event;
	if (strstr(json, "applicant") || strstr(json, "FUZZNAME"))
		abort();      /* personal data must never reach an event */
	{
		json_t *o = json_loads(json, 0, NULL);
		if (o == NULL)
			abort();
		json_decref(o);
	}
}

static void
setup(void)
{
	struct store_config sc = { .noshow_after_recalls = 1,
	    .estimate_samples = 10 };
	struct api_opts o;
	struct kerr err;

	if (api) {
		api_free(api);
		store_close(st);
	}
	if (cat == NULL && catalog_load(&cat, "tests/server/catalog.json",
	    &err) != K_OK && catalog_load(&cat, "../../tests/server/catalog.json",
	    &err) != K_OK) {
		fprintf(stderr, "fuzz_api: %s\n", err.msg);
		abort();
	}
	if (store_open(&st, ":memory:", &sc, &err) != K_OK)
		abort();
	memset(&o, 0, sizeof(o));
	o.store = st;
	o.catalog = cat;
	o.public_url = "http://127.0.0.1:8080";
	o.status_rate_per_min = 1000000;
	o.emit = on_event;
	api_new(&api, &o, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char issue[] = "{\"procedure\":\"juminhyo\",\"lang\":\"ja\","
	    "\"applicant\":{\"name\":\"FUZZNAME\"}}";
	struct api_req r;
	struct api_resp resp;
	char line[512], *q, *sp;
	const uint8_t *nl;
	int64_t now = (int64_t)1795827600 * 1000 + runs * 1000LL;

	if (api == NULL || ++runs % 500 == 0)
		setup();
	memset(&r, 0, sizeof(r));
	r.loopback = size > 0 ? (data[0] & 0x80) == 0 : true;
	r.remote = "127.0.0.1";
	/* a waiting ticket, so that staff routes have something to act on */
	{
		struct api_req ir;
		memset(&ir, 0, sizeof(ir));
		ir.method = "POST";
		ir.path = "/api/tickets";
		ir.body = issue;
		ir.body_len = strlen(issue);
		ir.loopback = true;
		api_dispatch(api, &ir, now, &resp);
		api_resp_free(&resp);
	}
	nl = size > 4 ? memchr(data, '\n', size < sizeof(line) ? size :
	    sizeof(line) - 1) : NULL;
	if (nl && (memcmp(data, "GET ", 4) == 0 || memcmp(data, "POST ", 5) == 0)) {
		memcpy(line, data, (size_t)(nl - data));
		line[nl - data] = '\0';
		sp = strchr(line, ' ');
		*sp = '\0';
		r.method = line;
		r.path = sp + 1;
		if ((q = strchr(sp + 1, '?')) != NULL) {
			*q = '\0';
			r.query = q + 1;
		}
		r.body = (const char *)nl + 1;
		r.body_len = size - (size_t)(nl + 1 - data);
	} else {
		size_t i = size ? data[0] % (sizeof(templates) /
		    sizeof(templates[0])) : 0;
		r.method = templates[i].method;
		r.path = templates[i].path;
		r.body = size ? (const char *)data + 1 : NULL;
		r.body_len = size ? size - 1 : 0;
	}
	api_dispatch(api, &r, now, &resp);
	if (resp.status < 200 || resp.status > 599)
		abort();
	if (resp.body.len && resp.content_type &&
	    strncmp(resp.content_type, "application/json", 16) == 0) {
		json_t *o = json_loadb((const char *)resp.body.data, resp.body.len,
		    0, NULL);
		if (o == NULL)
			abort();
		if (resp.status >= 400 && (!json_is_string(json_object_get(o,
		    "error")) || !json_is_string(json_object_get(o, "detail"))))
			abort();
		json_decref(o);
	}
	api_resp_free(&resp);
	return 0;
}
