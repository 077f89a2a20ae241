/*
 * test_kiosk_watch.c - the kiosk's heartbeat and idle printer check against
 * the real server hosted in-process and the scripted "mem:" printer: paper
 * out is an alert before any ticket fails, a silent kiosk is noticed, and a
 * server that comes back hears how long it was away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fakes/fake_print.h"
#include "kiosk_watch.h"
#include "print.h"
#include "qclient.h"
#include "server.h"

static char dir[64];
static char port[8];

static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), p;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	p = ntohs(a.sin_port);
	close(fd);
	return p;
}

static struct server *
start(struct config **cfg_out)
{
	struct config *c = config_defaults();
	struct server *srv;
	struct kerr err;
	char v[128];

	snprintf(v, sizeof(v), "%s/kiosk.db", dir);
	assert_int_equal(config_set(c, "server.db", v, &err), K_OK);
	assert_int_equal(config_set(c, "server.port", port, &err), K_OK);
	if (server_start(c, &srv, &err) != K_OK)
		fail_msg("server: %s", err.msg);
	*cfg_out = c;
	return srv;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The open alerts of one kind, as "detail" of the newest, or NULL. */
static json_t *
find_alert(struct qclient *qc, const char *kind)
{
	json_t *root, *a, *hit = NULL;
	struct kerr err;
	char *body = NULL;
	size_t i;
	int status;

	assert_int_equal(qclient_request(qc, "GET", "/api/alerts", NULL, &status,
	    &body, &err), K_OK);
	assert_int_equal(status, 200);
	root = json_loads(body, 0, NULL);
	free(body);
	assert_non_null(root);
	json_array_foreach(json_object_get(root, "alerts"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "kind")), kind) ==
		    0)
			hit = a;
	if (hit)
		json_incref(hit);
	json_decref(root);
	return hit;
}

static json_t *
wait_alert(struct qclient *qc, const char *kind)
{
	json_t *a;
	int i;

	for (i = 0; i < 100; i++) {
		if ((a = find_alert(qc, kind)) != NULL)
			return a;
		sleep_ms(100);
	}
	fail_msg("no %s alert after 10 s", kind);
	return NULL;
}

static void
test_watch_tells_staff_of_paper_out_and_a_lost_link(void **state)
{
	static const uint8_t out[4] = { 0x1a, 0x32, 0x12, 0x72 };
	static const uint8_t near[4] = { 0x12, 0x12, 0x12, 0x1e };
	struct print_opts po = { .uri = "mem:", .width_dots = 576,
	    .timeout_ms = 500 };
	struct kiosk_watch_opts wo;
	struct kiosk_watch_stats ws;
	struct kiosk_watch *w;
	struct qclient *qc;
	struct config *cfg;
	struct server *srv;
	struct kerr err;
	char url[64];
	json_t *a;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kiosk-watch-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(port, sizeof(port), "%d", free_port());
	snprintf(url, sizeof(url), "http://127.0.0.1:%s", port);
	srv = start(&cfg);
	assert_int_equal(qclient_new(&qc, url, NULL, 2000, &err), K_OK);
	fake_print_reset();
	fake_print_status(out, out);

	memset(&wo, 0, sizeof(wo));
	wo.qc = qc;
	wo.kiosk = "kiosk-7";
	wo.popts = &po;
	wo.heartbeat_s = 1;
	wo.printer_check_s = 1;
	assert_int_equal(kiosk_watch_start(&w, &wo, &err), K_OK);
	/* paper out while idle: staff hear of it with no ticket printed */
	a = wait_alert(qc, "printer_paper");
	assert_string_equal(json_string_value(json_object_get(a, "kiosk")),
	    "kiosk-7");
	assert_non_null(strstr(json_string_value(json_object_get(a, "detail")),
	    "paper_out"));
	json_decref(a);
	assert_int_equal(fake_print_job()->len, 0);
	/* paper in again, then near its end */
	fake_print_status(near, near);
	a = wait_alert(qc, "paper_low");
	json_decref(a);

	/* a reprint asked for at the console prints at this kiosk */
	{
		struct qclient_issue_req ir;
		struct qclient_ticket t;
		char path[96], *body = NULL;
		int status, i;

		memset(&ir, 0, sizeof(ir));
		ir.procedure = "soudan";
		ir.lang = "ja";
		ir.kiosk = "kiosk-7";
		ir.fee_yen = -1;
		assert_int_equal(qclient_issue(qc, &ir, &t, &err), K_OK);
		fake_print_reset();
		snprintf(path, sizeof(path), "/api/tickets/%lld/reprint",
		    (long long)t.id);
		assert_int_equal(qclient_request(qc, "POST", path,
		    "{\"to\":\"kiosk\",\"staff\":\"sato\"}", &status, &body,
		    &err), K_OK);
		assert_int_equal(status, 202);
		free(body);
		for (i = 0; i < 100; i++) {
			kiosk_watch_stats(w, &ws);
			if (ws.reprints >= 1)
				break;
			sleep_ms(100);
		}
		assert_int_equal(ws.reprints, 1);
		assert_true(fake_print_job()->len > 1000);
	}

	/* the server goes away for a few heartbeats, then comes back */
	server_stop(srv);
	config_free(cfg);
	sleep_ms(3500);
	srv = start(&cfg);
	a = wait_alert(qc, "server_link");
	assert_non_null(strstr(json_string_value(json_object_get(a, "detail")),
	    "down_"));
	json_decref(a);
	kiosk_watch_stats(w, &ws);
	assert_true(ws.heartbeats_ok >= 2);
	assert_true(ws.heartbeats_failed >= 2);
	assert_true(ws.printer_checks >= 2);
	kiosk_watch_stop(w);
	qclient_free(qc);
	server_stop(srv);
	config_free(cfg);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void
test_watch_without_work_starts_no_thread(void **state)
{
	struct kiosk_watch_opts wo;
	struct kiosk_watch *w = (void *)1;
	struct qclient *qc;
	struct kerr err;

	(void)state;
	assert_int_equal(qclient_new(&qc, "http://127.0.0.1:1", NULL, 100, &err),
	    K_OK);
	memset(&wo, 0, sizeof(wo));
	wo.qc = qc;
	wo.kiosk = "k";
	assert_int_equal(kiosk_watch_start(&w, &wo, &err), K_OK);
	assert_null(w);
	wo.kiosk = NULL;
	assert_int_equal(kiosk_watch_start(&w, &wo, &err), K_EINVAL);
	qclient_free(qc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_tells_staff_of_paper_out_and_a_lost_link),
		cmocka_unit_test(test_watch_without_work_starts_no_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
