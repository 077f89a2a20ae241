/*
 * status.c - `kiosk status [--config FILE] [--server URL] [--json]`: the
 * server's health for people and for monitoring (Nagios/Zabbix style:
 * exit 0 healthy, 1 needs a person, 2 usage).
 *
 * Asks GET /api/health with the staff token (the details are for staff),
 * then looks at this PC's own devices when its config names them: the
 * ticket printer (printer.uri) and the card reader (pcscd).  Prints one
 * "name: value" line each, or the server's JSON with --json.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apdu.h"
#include "config.h"
#include "ops.h"
#include "print.h"
#include "qclient.h"
#include "roles.h"
#include "xmalloc.h"

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "?";
}

static long long
jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* This PC's printer; false when it needs a person. */
static bool
local_printer(const struct config *cfg)
{
	struct print_opts po;
	struct print_result res;
	struct kerr err;
	char flags[128];

	print_opts_from_config(cfg, &po);
	memset(&res, 0, sizeof(res));
	if (print_query_status(&po, &res, &err) != K_OK) {
		printf("printer (this PC): %s: %s\n", po.uri, err.msg);
		return false;
	}
	if (!res.status_known) {
		printf("printer (this PC): %s: no status (this transport cannot "
		    "tell)\n", po.uri);
		return true;
	}
	printf("printer (this PC): %s: %s\n", po.uri,
	    print_flags_text(res.flags, flags, sizeof(flags)));
	return (res.flags & (PRINT_F_OFFLINE | PRINT_F_COVER_OPEN |
	    PRINT_F_PAPER_OUT | PRINT_F_CUTTER | PRINT_F_UNRECOVER |
	    PRINT_F_ERROR)) == 0;
}

/* This PC's card reader; false only when one is configured and missing. */
static bool
local_reader(const struct config *cfg)
{
	struct apdu_reader r[8];
	struct kerr err;
	const char *want = config_str(cfg, "kiosk.card_reader");
	size_t n = 0, i;

	if (apdu_pcsc_list(r, ARRAY_SIZE(r), &n, &err) != K_OK) {
		printf("card reader (this PC): none (%s)\n", err.msg);
		return want[0] == '\0';
	}
	for (i = 0; i < n; i++)
		if (want[0] == '\0' || strstr(r[i].name, want) != NULL) {
			printf("card reader (this PC): %s%s\n", r[i].name,
			    r[i].present ? " (card in it)" : "");
			return true;
		}
	printf("card reader (this PC): %s not found (%zu other reader(s))\n",
	    want[0] ? want : "any", n);
	return want[0] == '\0';
}

int
role_status(int argc, char **argv)
{
	const char *path = NULL, *server = NULL;
	struct config *cfg;
	struct qclient *c = NULL;
	struct kerr err;
	json_t *h = NULL;
	char *url, *body = NULL;
	bool json = false, healthy = false;
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else {
			fprintf(stderr, "usage: kiosk status [--config FILE] "
			    "[--server URL] [--json]\n");
			return 2;
		}
	}
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	if (server == NULL && config_str(cfg, "kiosk.server")[0])
		server = config_str(cfg, "kiosk.server");
	url = server ? xstrdup(server) : ops_local_url(cfg);
	if (qclient_new(&c, url, config_str(cfg, "server.token_staff"), 3000,
	    &err) == K_OK)
		qclient_set_ca(c, server ? config_str(cfg, "kiosk.server_ca") :
		    config_str(cfg, "server.tls_cert"));
	if (c == NULL ||
	    qclient_request(c, "GET", "/api/health", NULL, &status, &body,
	    &err) != K_OK) {
		printf("server: %s: DOWN (%s)\n", url, err.msg);
		goto out;
	}
	h = json_loads(body, 0, NULL);
	if (h == NULL || !json_is_object(h)) {
		printf("server: %s: answered %d, not a health report\n", url,
		    status);
		goto out;
	}
	healthy = status == 200 && json_is_true(json_object_get(h, "ok"));
	if (json) {
		char *dump = json_dumps(h, JSON_INDENT(2) | JSON_SORT_KEYS);
		printf("%s\n", dump);
		free(dump);
	} else {
		json_t *t = json_object_get(h, "today");
		json_t *p = json_object_get(h, "printer");

		printf("server: %s: %s\n", url, healthy ? "ok" :
		    "NOT OK (the database does not answer)");
		if (json_object_get(h, "version") == NULL) {
			printf("details: refused (set server.token_staff in %s, "
			    "or run this on the server)\n", config_source(cfg));
		} else {
			long long up = jint(h, "uptime_s");
			printf("version: %s (schema %lld)\n", jstr(h, "version"),
			    jint(h, "schema"));
			printf("uptime: %lldd %02lld:%02lld:%02lld (since %s)\n",
			    up / 86400, up / 3600 % 24, up / 60 % 60, up % 60,
			    jstr(h, "started"));
			printf("database: %lld bytes\n", jint(h, "db_bytes"));
			printf("today %s: %lld issued, %lld waiting, %lld served, "
			    "%lld no-show\n", jstr(t, "day"), jint(t, "issued"),
			    jint(t, "waiting"), jint(t, "served"),
			    jint(t, "no_show"));
			printf("printers (kiosks' reports): %s, %lld alert(s) "
			    "today\n", jstr(p, "state"), jint(p, "alerts_today"));
			if (strcmp(jstr(p, "state"), "needs_staff") == 0 ||
			    strcmp(jstr(p, "state"), "failed") == 0)
				healthy = false;
		}
	}
out:
	if (!json && strncmp(config_str(cfg, "printer.uri"), "file:", 5) != 0 &&
	    !local_printer(cfg))
		healthy = false;
	if (!json && !local_reader(cfg))
		healthy = false;
	json_decref(h);
	free(body);
	qclient_free(c);
	free(url);
	config_free(cfg);
	return healthy ? 0 : 1;
}
