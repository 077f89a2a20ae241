/*
 * test_qclient.c - the kiosk's HTTP client against the real server hosted
 * in-process (server_start), and against no server at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "qclient.h"
#include "server.h"
#include "tls.h"

#define PORT "18093"
#define URL "http://127.0.0.1:" PORT
#define KTOK "kiosk-token-0123456789"
#define STOK "staff-token-0123456789"
#define DTOK "display-token-0123456789"

static char dir[64];

static void
sh(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static struct config *
make_config(const char *listen, bool tokens)
{
	struct config *c = config_defaults();
	struct kerr err;
	char v[128];

	snprintf(v, sizeof(v), "%s/kiosk.db", dir);
	assert_int_equal(config_set(c, "server.db", v, &err), K_OK);
	snprintf(v, sizeof(v), "%s/assets", dir);
	assert_int_equal(config_set(c, "kiosk.assets", v, &err), K_OK);
	assert_int_equal(config_set(c, "server.port", PORT, &err), K_OK);
	assert_int_equal(config_set(c, "server.listen", listen, &err), K_OK);
	assert_int_equal(config_set(c, "server.public_url",
	    "http://kiosk.example:8080", &err), K_OK);
	if (tokens) {
		config_set(c, "server.token_kiosk", KTOK, &err);
		config_set(c, "server.token_staff", STOK, &err);
		config_set(c, "server.token_display", DTOK, &err);
	}
	return c;
}

static int
setup(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-qclient-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/assets/web && cp "
	    "tests/server/catalog.json %s/assets/procedures.json", dir, dir, dir);
	sh(cmd);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	sh(cmd);
	return 0;
}

static void
test_qclient_issues_and_reads_back_through_the_server(void **state)
{
	struct config *cfg = make_config("127.0.0.1", true);
	struct qclient *kc, *dc;
	struct server *srv;
	struct qclient_ticket t;
	struct qclient_queue q;
	struct qclient_status s;
	struct qclient_board b;
	struct kerr err;
	static const struct qclient_answer answers[] = {
		{ "who", "household" }, { "copies", "3" }, { "urgent", "no" },
	};
	struct qclient_applicant ap = { "旭 太郎", "アサヒ タロウ", "旭市ニ1920",
	    "1975-01-31", "1", NULL };
	struct qclient_issue_req r = { "juminhyo", "en", answers, 3, &ap, true,
	    false, false, "kiosk-1", 900, NULL, NULL };
	int64_t help_id = 0;

	(void)state;
	if (server_start(cfg, &srv, &err) != K_OK)
		fail_msg("server_start: %s", err.msg);
	assert_int_equal(server_port(srv), atoi(PORT));
	assert_int_equal(qclient_new(&kc, URL "/", KTOK, 3000, &err), K_OK);
	assert_int_equal(qclient_new(&dc, URL, DTOK, 3000, &err), K_OK);

	if (qclient_issue(kc, &r, &t, &err) != K_OK)
		fail_msg("issue: %s", err.msg);
	assert_string_equal(t.number, "A-001");
	assert_int_equal(t.service, 'A');
	assert_int_equal(strlen(t.token), 32);
	assert_true(strncmp(t.url, "http://kiosk.example:8080/t/", 28) == 0);
	assert_string_equal(t.counter, "1,2");
	assert_int_equal(t.ahead, 0);
	assert_int_equal(qclient_printed(kc, t.id, true, &err), K_OK);

	assert_int_equal(qclient_queue(kc, &q, &err), K_OK);
	assert_int_equal(q.nservices, 5);
	assert_int_equal(q.services[0].letter, 'A');
	assert_int_equal(q.services[0].waiting, 1);
	assert_int_equal(q.services[0].ncounters, 2);
	assert_string_equal(q.services[2].name, "マイナンバーカード");

	assert_int_equal(qclient_status(dc, t.token, &s, &err), K_OK);
	assert_string_equal(s.number, "A-001");
	assert_string_equal(s.state, "waiting");
	assert_int_equal(s.counter, 0);

	assert_int_equal(qclient_help(kc, "kiosk-1", "resident", &help_id, &err),
	    K_OK);
	assert_true(help_id >= 1);
	assert_int_equal(qclient_help(kc, "kiosk-1", "coffee", NULL, &err),
	    K_EINVAL);
	assert_non_null(strstr(err.msg, "kind"));

	assert_int_equal(qclient_board(dc, &b, &err), K_OK);
	assert_int_equal(b.ncalls, 0);
	assert_int_equal(b.nwaiting, 5);
	assert_non_null(strstr(b.now, "+09:00"));

	/* the wrong role's token, an unknown procedure */
	assert_int_equal(qclient_issue(dc, &r, &t, &err), K_EAUTH);
	r.procedure = "nope";
	assert_int_equal(qclient_issue(kc, &r, &t, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "unknown_procedure"));
	qclient_free(kc);
	qclient_free(dc);
	server_stop(srv);
	config_free(cfg);
}

static void
test_qclient_reports_an_unreachable_server_as_enodev(void **state)
{
	struct qclient *c;
	struct qclient_queue q;
	struct kerr err;
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char url[64];
	struct timespec t0, t1;
	int fd;

	(void)state;
	/* nobody listens */
	assert_int_equal(qclient_new(&c, "http://127.0.0.1:18094", NULL, 1000,
	    &err), K_OK);
	assert_int_equal(qclient_queue(c, &q, &err), K_ENODEV);
	qclient_free(c);
	/* something listens but never answers: the deadline holds */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", ntohs(sa.sin_port));
	assert_int_equal(qclient_new(&c, url, NULL, 300, &err), K_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(qclient_queue(c, &q, &err), K_ENODEV);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	assert_non_null(strstr(err.msg, "300 ms"));
	qclient_free(c);
	close(fd);
}

static void
test_qclient_refuses_bad_urls(void **state)
{
	static const char *const bad[] = { "htps://x", "ftp://x", "http://",
	    "http://h:0", "http://h:99999", "http://h:80x", "http://[::1",
	    "https://", "https://h:0" };
	struct qclient *c;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (qclient_new(&c, bad[i], NULL, 100, &err) != K_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_equal(qclient_new(&c, "http://[::1]:8080/queue", NULL, 100,
	    &err), K_OK);
	qclient_free(c);
}

static void
test_server_refuses_the_network_without_tokens(void **state)
{
	struct config *cfg = make_config("0.0.0.0", false);
	struct server *srv;
	struct kerr err;

	(void)state;
	assert_int_equal(server_start(cfg, &srv, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "token"));
	assert_non_null(strstr(err.msg, "0.0.0.0"));
	config_free(cfg);
}

/* A port nobody listens on now (the kernel's pick). */
static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* `kiosk tls selfsigned --out DIR/NAME` with a config naming port. */
static void
make_pair(const char *name, int port)
{
	char out[128], ini[128], text[160];
	char a0[] = "tls", a1[] = "selfsigned", a2[] = "--out", a4[] = "--config",
	    a6[] = "--name", a7[] = "kiosk.hall.example";
	char *argv[] = { a0, a1, a2, out, a4, ini, a6, a7, NULL };
	FILE *fp;

	snprintf(out, sizeof(out), "%s/%s", dir, name);
	snprintf(ini, sizeof(ini), "%s/%s.ini", dir, name);
	snprintf(text, sizeof(text), "[server]\npublic_url = https://127.0.0.1:"
	    "%d\n", port);
	fp = fopen(ini, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(role_tls(8, argv), 0);
	/* a second run does not overwrite the pair */
	assert_int_equal(role_tls(8, argv), 1);
}

static void
test_qclient_talks_https_to_a_pinned_certificate(void **state)
{
	struct config *cfg = make_config("127.0.0.1", true);
	struct qclient *c;
	struct qclient_ticket t;
	struct qclient_queue q;
	struct server *srv;
	struct kerr err;
	struct stat st;
	struct qclient_issue_req r = { "juminhyo", "ja", NULL, 0, NULL, false,
	    false, false, "kiosk-1", 300, NULL, NULL };
	char v[160], url[64], want[64], ca[128], other[128];
	int port = free_port();

	(void)state;
	make_pair("tls", port);
	make_pair("other", port);
	snprintf(ca, sizeof(ca), "%s/tls/kiosk-cert.pem", dir);
	snprintf(other, sizeof(other), "%s/other/kiosk-cert.pem", dir);
	snprintf(v, sizeof(v), "%s/tls/kiosk-key.pem", dir);
	assert_int_equal(stat(v, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(v, sizeof(v), "%d", port);
	assert_int_equal(config_set(cfg, "server.port", v, &err), K_OK);
	assert_int_equal(config_set(cfg, "server.tls_cert", ca, &err), K_OK);
	snprintf(v, sizeof(v), "%s/tls/kiosk-key.pem", dir);
	assert_int_equal(config_set(cfg, "server.tls_key", v, &err), K_OK);

	/* plain-HTTP QR codes from an HTTPS server are refused at start */
	assert_int_equal(server_start(cfg, &srv, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "server.public_url"));
	snprintf(v, sizeof(v), "https://127.0.0.1:%d/", port);
	assert_int_equal(config_set(cfg, "server.public_url", v, &err), K_OK);
	if (server_start(cfg, &srv, &err) != K_OK)
		fail_msg("server_start over TLS: %s", err.msg);

	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	assert_int_equal(qclient_new(&c, url, KTOK, 3000, &err), K_OK);
	qclient_set_ca(c, ca);
	if (qclient_issue(c, &r, &t, &err) != K_OK)
		fail_msg("issue over https: %s", err.msg);
	/* the QR code follows public_url */
	snprintf(want, sizeof(want), "https://127.0.0.1:%d/t/", port);
	assert_true(strncmp(t.url, want, strlen(want)) == 0);
	qclient_free(c);

	/* the name in the URL must be in the certificate */
	snprintf(url, sizeof(url), "https://localhost:%d", port);
	assert_int_equal(qclient_new(&c, url, KTOK, 3000, &err), K_OK);
	qclient_set_ca(c, ca);
	if (qclient_queue(c, &q, &err) != K_OK)
		fail_msg("queue over https://localhost: %s", err.msg);
	qclient_free(c);

	/* another pair's certificate, or the system's CAs: not trusted */
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	assert_int_equal(qclient_new(&c, url, KTOK, 3000, &err), K_OK);
	qclient_set_ca(c, other);
	assert_int_equal(qclient_queue(c, &q, &err), K_EAUTH);
	assert_non_null(strstr(err.msg, "not trusted"));
	qclient_set_ca(c, NULL);
	assert_int_equal(qclient_queue(c, &q, &err), K_EAUTH);
	qclient_set_ca(c, "/nonexistent/ca.pem");
	assert_int_equal(qclient_queue(c, &q, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "kiosk.server_ca"));
	qclient_free(c);

	/* plain HTTP to the TLS port gets no answer it could take for one */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	assert_int_equal(qclient_new(&c, url, KTOK, 1000, &err), K_OK);
	assert_int_not_equal(qclient_queue(c, &q, &err), K_OK);
	qclient_free(c);
	server_stop(srv);

	/* a key that does not belong to the certificate */
	snprintf(v, sizeof(v), "%s/other/kiosk-key.pem", dir);
	assert_int_equal(config_set(cfg, "server.tls_key", v, &err), K_OK);
	assert_int_not_equal(server_start(cfg, &srv, &err), K_OK);
	assert_non_null(strstr(err.msg, "server.tls_cert"));
	/* a key every user may read */
	assert_int_equal(chmod(v, 0644), 0);
	assert_int_equal(server_start(cfg, &srv, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "readable by every user"));
	config_free(cfg);
}

/* ---- a fake server: one canned answer per connection ---- */

struct fake {
	int fd;
	const char *answer;          /* the whole raw HTTP answer */
	char request[4096];          /* what the client sent */
	pthread_t th;
};

static void *
fake_main(void *p)
{
	struct fake *f = p;
	int c = accept(f->fd, NULL, NULL);
	size_t n = 0;
	ssize_t r;

	if (c < 0)
		return NULL;
	/* the client sends everything then waits: read until the body ends */
	while (n < sizeof(f->request) - 1 &&
	    (r = read(c, f->request + n, sizeof(f->request) - 1 - n)) > 0) {
		const char *hdr_end, *cl;
		n += (size_t)r;
		f->request[n] = '\0';
		hdr_end = strstr(f->request, "\r\n\r\n");
		cl = strcasestr(f->request, "Content-Length:");
		if (hdr_end != NULL && (cl == NULL ||
		    n >= (size_t)(hdr_end + 4 - f->request) +
		    (size_t)atoi(cl + 15)))
			break;
	}
	if (write(c, f->answer, strlen(f->answer)) < 0)
		perror("fake server write");
	close(c);
	return NULL;
}

/* Start a fake answering once with status and body; the URL in url. */
static void
fake_start(struct fake *f, const char *answer, char *url, size_t n)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	memset(f, 0, sizeof(*f));
	f->answer = answer;
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->fd, 4), 0);
	getsockname(f->fd, (struct sockaddr *)&sa, &len);
	snprintf(url, n, "http://127.0.0.1:%d", ntohs(sa.sin_port));
	assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
}

static void
fake_stop(struct fake *f)
{
	pthread_join(f->th, NULL);
	close(f->fd);
}

static char answer_buf[2048];

static const char *
http(int status, const char *body)
{
	snprintf(answer_buf, sizeof(answer_buf), "HTTP/1.1 %d X\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", status, strlen(body), body);
	return answer_buf;
}

/* Look code up against a fake answering status + body. */
static int
lookup_against(int status, const char *body, const char *code,
    struct qclient_appointment *a, struct kerr *err, struct fake *f)
{
	struct qclient *c;
	char url[64];
	int rc;

	fake_start(f, http(status, body), url, sizeof(url));
	assert_int_equal(qclient_new(&c, url, KTOK, 2000, err), K_OK);
	rc = qclient_appointment_lookup(c, code, a, err);
	qclient_free(c);
	/* a refused code never reaches the fake: wake it */
	if (f->request[0] == '\0' && rc == K_EINVAL && a->error[0] == '\0') {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in sa;
		socklen_t len = sizeof(sa);
		getsockname(f->fd, (struct sockaddr *)&sa, &len);
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    write(s, "\r\n\r\n", 4) < 0)
			perror("wake");
		close(s);
	}
	fake_stop(f);
	return rc;
}

static void
test_appointment_code_takes_digits_or_the_qr_payload(void **state)
{
	char code[QCLIENT_CODE_MAX + 1];
	struct kerr err;
	static const char *const bad[] = { "", "   ", "12345", "1234567890123",
	    "12a45678", "APPT:", "APPT:12 345678", "QR:12345678", "１２３４５６",
	    "-12345678", "APPT12345678" };
	size_t i;

	(void)state;
	assert_int_equal(qclient_appointment_code("12345678", code, &err), K_OK);
	assert_string_equal(code, "12345678");
	assert_int_equal(qclient_appointment_code("APPT:123456", code, &err),
	    K_OK);
	assert_string_equal(code, "123456");
	assert_int_equal(qclient_appointment_code("  appt:123456789012\r\n",
	    code, &err), K_OK);
	assert_string_equal(code, "123456789012");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(qclient_appointment_code(bad[i], code, &err),
		    K_EINVAL);
		assert_string_equal(code, "");
		/* the message says what is wrong, never repeats the code */
		assert_non_null(strstr(err.msg, "booking code"));
		assert_null(strstr(err.msg, "345"));
	}
	assert_int_equal(qclient_appointment_code("12345", code, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "5 digits"));
	assert_int_equal(qclient_appointment_code(NULL, code, &err), K_EINVAL);
}

static void
test_appointment_lookup_reads_the_answer(void **state)
{
	struct qclient_appointment a;
	struct kerr err;
	struct fake f;

	(void)state;
	assert_int_equal(lookup_against(200, "{\"code\":\"12345678\","
	    "\"date\":\"2026-12-03\",\"time\":\"10:30\",\"service\":\"B\","
	    "\"procedure\":\"tennyu\",\"state\":\"booked\","
	    "\"arrival\":\"on_time\"}", " APPT:12345678\n", &a, &err, &f), K_OK);
	assert_string_equal(a.code, "12345678");
	assert_string_equal(a.date, "2026-12-03");
	assert_string_equal(a.time, "10:30");
	assert_int_equal(a.service, 'B');
	assert_string_equal(a.procedure, "tennyu");
	assert_string_equal(a.arrival, "on_time");
	/* POSTed with the kiosk token, the code in the body not the URL */
	assert_non_null(strstr(f.request, "POST /api/appointments/lookup "));
	assert_non_null(strstr(f.request, "Bearer " KTOK));
	assert_non_null(strstr(f.request, "{\"code\":\"12345678\"}"));
	assert_null(strstr(strstr(f.request, "POST"), "12345678 HTTP"));
}

static void
test_appointment_lookup_says_why_a_code_is_refused(void **state)
{
	struct qclient_appointment a;
	struct kerr err;
	struct fake f;

	(void)state;
	assert_int_equal(lookup_against(404, "{\"error\":"
	    "\"appointment_not_found\",\"message\":\"no\"}", "123456", &a, &err,
	    &f), K_ENOTFOUND);
	assert_string_equal(a.error, "appointment_not_found");
	assert_int_equal(lookup_against(409, "{\"error\":"
	    "\"appointment_other_day\",\"date\":\"2026-12-10\"}", "123456", &a,
	    &err, &f), K_EINVAL);
	assert_string_equal(a.error, "appointment_other_day");
	assert_string_equal(a.other_date, "2026-12-10");
	assert_int_equal(lookup_against(409, "{\"error\":"
	    "\"appointment_cancelled\"}", "123456", &a, &err, &f), K_EINVAL);
	assert_string_equal(a.error, "appointment_cancelled");
	assert_int_equal(lookup_against(409, "{\"error\":"
	    "\"appointment_checked_in\",\"number\":\"B-004\"}", "123456", &a,
	    &err, &f), K_EINVAL);
	assert_string_equal(a.error, "appointment_checked_in");
	assert_string_equal(a.number, "B-004");
	assert_int_equal(lookup_against(401, "{\"error\":\"unauthorized\"}",
	    "123456", &a, &err, &f), K_EAUTH);
	assert_int_equal(lookup_against(503, "{\"error\":\"busy\"}",
	    "123456", &a, &err, &f), K_EBUSY);
	/* a code the kiosk refuses never goes to the server */
	assert_int_equal(lookup_against(200, "{}", "12ab", &a, &err, &f),
	    K_EINVAL);
	assert_null(strstr(f.request, "POST"));
}

static void
test_appointment_lookup_refuses_malformed_answers(void **state)
{
	static const struct {
		int status;
		const char *body, *says;
	} bad[] = {
		{ 200, "not json", "not a JSON object" },
		{ 200, "[1]", "not a JSON object" },
		{ 200, "{\"date\":\"2026-12-03\",\"time\":\"10:30\",\"service\":"
		    "\"B\",\"procedure\":\"p\",\"state\":\"booked\",\"arrival\":"
		    "\"late\"}", "\"code\"" },
		{ 200, "{\"code\":\"999999\",\"date\":\"2026-12-03\",\"time\":"
		    "\"10:30\",\"service\":\"B\",\"procedure\":\"p\",\"state\":"
		    "\"booked\",\"arrival\":\"late\"}", "another code" },
		{ 200, "{\"code\":\"123456\",\"date\":\"3 Dec\",\"time\":"
		    "\"10:30\",\"service\":\"B\",\"procedure\":\"p\",\"state\":"
		    "\"booked\",\"arrival\":\"late\"}", "YYYY-MM-DD" },
		{ 200, "{\"code\":\"123456\",\"date\":\"2026-12-03\",\"time\":"
		    "\"25:30\",\"service\":\"B\",\"procedure\":\"p\",\"state\":"
		    "\"booked\",\"arrival\":\"late\"}", "HH:MM" },
		{ 200, "{\"code\":\"123456\",\"date\":\"2026-12-03\",\"time\":"
		    "\"10:30\",\"service\":\"B\",\"procedure\":\"p\",\"state\":"
		    "\"booked\",\"arrival\":\"soon\"}", "on_time" },
		{ 200, "{\"code\":\"123456\",\"date\":\"2026-12-03\",\"time\":"
		    "\"10:30\",\"service\":\"BB\",\"procedure\":\"p\",\"state\":"
		    "\"booked\",\"arrival\":\"late\"}", "\"service\"" },
		{ 200, "{\"code\":\"123456\",\"date\":\"2026-12-03\",\"time\":"
		    "\"10:30\",\"service\":\"B\",\"procedure\":7,\"state\":"
		    "\"booked\",\"arrival\":\"late\"}", "\"procedure\"" },
		{ 404, "", "without an \"error\"" },
		{ 409, "{\"error\":\"appointment_other_day\"}", "\"date\"" },
		{ 409, "{\"error\":\"appointment_checked_in\"}", "\"number\"" },
		{ 409, "{\"error\":\"something_new\"}", "something_new" },
		{ 500, "{\"error\":\"internal\"}", "internal" },
	};
	struct qclient_appointment a;
	struct kerr err;
	struct fake f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(lookup_against(bad[i].status, bad[i].body,
		    "123456", &a, &err, &f), K_EPARSE);
		if (strstr(err.msg, bad[i].says) == NULL)
			fail_msg("answer %zu: '%s' does not say '%s'", i, err.msg,
			    bad[i].says);
		assert_string_equal(a.procedure, "");
	}
}

/* Issue req against a fake answering 201 + body; the request in f. */
static int
issue_against(const char *body, const struct qclient_issue_req *req,
    struct qclient_ticket *t, struct kerr *err, struct fake *f)
{
	struct qclient *c;
	char url[64];
	int rc;

	fake_start(f, http(201, body), url, sizeof(url));
	assert_int_equal(qclient_new(&c, url, KTOK, 2000, err), K_OK);
	rc = qclient_issue(c, req, t, err);
	qclient_free(c);
	fake_stop(f);
	return rc;
}

static void
test_issue_sends_the_code_and_reads_the_appointment(void **state)
{
	static const char *ticket = "{\"id\":7,\"number\":\"B-003\","
	    "\"service\":\"B\",\"token\":\"0123456789abcdef0123456789abcdef\","
	    "\"url\":\"http://k/t/x\",\"ahead\":0,\"wait_min\":0,\"counter\":\"3\"";
	struct qclient_issue_req req = { .procedure = "tennyu", .lang = "ja",
	    .fee_yen = -1, .appointment = "12345678" };
	struct qclient_ticket t;
	struct kerr err;
	struct fake f;
	char body[512];

	(void)state;
	snprintf(body, sizeof(body), "%s,\"appointment\":{\"time\":\"10:30\","
	    "\"arrival\":\"early\",\"counter_closed\":true}}", ticket);
	assert_int_equal(issue_against(body, &req, &t, &err, &f), K_OK);
	assert_non_null(strstr(f.request, "\"appointment\":\"12345678\""));
	assert_string_equal(t.number, "B-003");
	assert_string_equal(t.appt_time, "10:30");
	assert_string_equal(t.appt_arrival, "early");
	assert_true(t.counter_closed);

	/* a check-in answered without its appointment is not taken for one */
	snprintf(body, sizeof(body), "%s}", ticket);
	assert_int_equal(issue_against(body, &req, &t, &err, &f), K_EPARSE);
	assert_non_null(strstr(err.msg, "\"appointment\""));
	assert_string_equal(t.number, "");
	snprintf(body, sizeof(body), "%s,\"appointment\":{\"time\":\"1030\","
	    "\"arrival\":\"early\"}}", ticket);
	assert_int_equal(issue_against(body, &req, &t, &err, &f), K_EPARSE);
	assert_non_null(strstr(err.msg, "HH:MM"));
	snprintf(body, sizeof(body), "%s,\"appointment\":{\"time\":\"10:30\","
	    "\"arrival\":\"whenever\"}}", ticket);
	assert_int_equal(issue_against(body, &req, &t, &err, &f), K_EPARSE);
	assert_non_null(strstr(err.msg, "arrival"));

	/* a walk-in sends no code and ignores the member */
	req.appointment = NULL;
	assert_int_equal(issue_against(body, &req, &t, &err, &f), K_OK);
	assert_null(strstr(f.request, "appointment"));
	assert_string_equal(t.appt_time, "");
	assert_false(t.counter_closed);
}

/* A heartbeat against a fake answering 200 + body. */
static int
heartbeat_against(const char *body, struct qclient_reprint *r, size_t *n,
    struct kerr *err)
{
	struct qclient *c;
	struct fake f;
	char url[64];
	int rc;

	fake_start(&f, http(200, body), url, sizeof(url));
	assert_int_equal(qclient_new(&c, url, KTOK, 2000, err), K_OK);
	rc = qclient_heartbeat(c, "k1", "ok", r, 4, n, err);
	qclient_free(c);
	fake_stop(&f);
	return rc;
}

static void
test_heartbeat_reprint_carries_the_appointment_slot(void **state)
{
	static const char *head = "{\"reprints\":[{\"id\":5,\"ticket_id\":7,"
	    "\"number\":\"B-003\",\"target\":\"kiosk:k1\",\"at\":\"x\","
	    "\"site_name\":\"s\",\"service\":\"B\",\"procedure_ja\":\"p\","
	    "\"lang\":\"ja\",\"counter\":\"3\",\"issued_at\":1,"
	    "\"url\":\"http://k/t/x\"";
	struct qclient_reprint r[4];
	struct kerr err;
	char body[768];
	size_t n;

	(void)state;
	snprintf(body, sizeof(body), "%s,\"appointment_time\":\"10:30\"}]}",
	    head);
	assert_int_equal(heartbeat_against(body, r, &n, &err), K_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].t.appt_time, "10:30");
	assert_true(r[0].t.reprint);
	/* a walk-in: null or absent */
	snprintf(body, sizeof(body), "%s,\"appointment_time\":null}]}", head);
	assert_int_equal(heartbeat_against(body, r, &n, &err), K_OK);
	assert_string_equal(r[0].t.appt_time, "");
	snprintf(body, sizeof(body), "%s}]}", head);
	assert_int_equal(heartbeat_against(body, r, &n, &err), K_OK);
	assert_string_equal(r[0].t.appt_time, "");
	/* never cut to look right: "10:305" is refused, not printed 10:30 */
	snprintf(body, sizeof(body), "%s,\"appointment_time\":\"10:305\"}]}",
	    head);
	assert_int_equal(heartbeat_against(body, r, &n, &err), K_EPARSE);
	assert_non_null(strstr(err.msg, "appointment_time"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qclient_issues_and_reads_back_through_the_server),
		cmocka_unit_test(test_qclient_reports_an_unreachable_server_as_enodev),
		cmocka_unit_test(test_qclient_refuses_bad_urls),
		cmocka_unit_test(test_qclient_talks_https_to_a_pinned_certificate),
		cmocka_unit_test(test_server_refuses_the_network_without_tokens),
		cmocka_unit_test(test_appointment_code_takes_digits_or_the_qr_payload),
		cmocka_unit_test(test_appointment_lookup_reads_the_answer),
		cmocka_unit_test(test_appointment_lookup_says_why_a_code_is_refused),
		cmocka_unit_test(test_appointment_lookup_refuses_malformed_answers),
		cmocka_unit_test(test_issue_sends_the_code_and_reads_the_appointment),
		cmocka_unit_test(test_heartbeat_reprint_carries_the_appointment_slot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
