/*
 * test_print.c - print_ticket against the scripted "mem:" printer: every
 * printer state and fault ends as "printed" or a failure with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "escpos.h"
#include "fakes/fake_print.h"
#include "pngio.h"
#include "print.h"
#include "ticket.h"

#define FIXED_AT 1764300000

static const uint8_t OK4[4] = { 0x12, 0x12, 0x12, 0x12 };

static struct print_opts
mem_opts(void)
{
	struct print_opts o = { "mem:", 576, 200, false, NULL, NULL };
	return o;
}

/* The bytes print_ticket should send for t. */
static void
expected_job(const struct ticket_info *t, int width, bool native,
    struct bytebuf *out)
{
	struct ticket_layout l;
	struct kerr err;

	assert_int_equal(ticket_render(t, width, &l, &err), K_OK);
	assert_int_equal(escpos_ticket(out, &l, t->url, native, &err), K_OK);
	ticket_layout_free(&l);
}

static int
setup(void **state)
{
	(void)state;
	fake_print_reset();
	return 0;
}

static void
test_print_ticket_sends_the_encoded_ticket_and_checks_status(void **state)
{
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct bytebuf want = BYTEBUF_INIT;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
	assert_true(res.printed);
	assert_int_equal(res.reason, PRINT_R_NONE);
	assert_true(res.status_known);
	assert_false(res.paper_near_end);
	expected_job(&t, 576, false, &want);
	assert_int_equal(res.bytes, want.len);
	assert_int_equal(fake_print_job()->len, want.len);
	assert_memory_equal(fake_print_job()->data, want.data, want.len);
	assert_int_equal(fake_print_queries(), 8);   /* 4 before, 4 after */
	bytebuf_free(&want);
}

static void
test_print_ticket_native_qr_sends_gs_k(void **state)
{
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct bytebuf want = BYTEBUF_INIT;
	struct kerr err;

	(void)state;
	o.native_qr = true;
	o.width_dots = 384;
	ticket_sample(&t, "en", FIXED_AT, NULL);
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
	expected_job(&t, 384, true, &want);
	assert_int_equal(fake_print_job()->len, want.len);
	assert_memory_equal(fake_print_job()->data, want.data, want.len);
	assert_non_null(memmem(want.data, want.len, "\x1d\x28\x6b", 3));
	bytebuf_free(&want);
}

struct fail_row {
	const char *what;
	uint8_t before[4], after[4];
	int silent;            /* 0 answers, 1 never, 2 not after the job */
	int fail_nth, fail_code;
	int rc;
	enum print_reason reason;
	bool job_sent, near_end;
};

#define OK 0x12
static const struct fail_row fail_rows[] = {
	{ "paper out", { 0x1a, 0x32, OK, 0x72 }, { 0x1a, 0x32, OK, 0x72 }, 0, 0, 0,
	  K_EPAPER, PRINT_R_PAPER_OUT, false, false },
	{ "cover open", { 0x1a, 0x16, OK, OK }, { 0x1a, 0x16, OK, OK }, 0, 0, 0,
	  K_EPAPER, PRINT_R_COVER_OPEN, false, false },
	{ "offline", { 0x1a, OK, OK, OK }, { 0x1a, OK, OK, OK }, 0, 0, 0,
	  K_EPAPER, PRINT_R_OFFLINE, false, false },
	{ "cutter error", { 0x1a, 0x52, 0x1a, OK }, { 0x1a, 0x52, 0x1a, OK }, 0, 0, 0,
	  K_EPAPER, PRINT_R_CUTTER, false, false },
	{ "unrecoverable error", { 0x1a, 0x52, 0x32, OK }, { 0x1a, 0x52, 0x32, OK }, 0, 0, 0,
	  K_EPAPER, PRINT_R_PRINTER_ERROR, false, false },
	{ "paper out and near end", { 0x1a, 0x32, OK, 0x7e }, { 0x1a, 0x32, OK, 0x7e }, 0, 0, 0,
	  K_EPAPER, PRINT_R_PAPER_OUT, false, true },
	{ "paper ran out while printing", { OK, OK, OK, OK }, { 0x1a, 0x32, OK, 0x72 }, 0, 0, 0,
	  K_EPAPER, PRINT_R_PAPER_OUT, true, false },
	{ "cover opened while printing", { OK, OK, OK, OK }, { 0x1a, 0x16, OK, OK }, 0, 0, 0,
	  K_EPAPER, PRINT_R_COVER_OPEN, true, false },
	{ "no answer", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 1, 0, 0,
	  K_ETIMEOUT, PRINT_R_TIMEOUT, false, false },
	{ "no answer after the job", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 2, 0, 0,
	  K_ETIMEOUT, PRINT_R_TIMEOUT, true, false },
	{ "cannot open", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 1, K_ENODEV,
	  K_ENODEV, PRINT_R_NO_PRINTER, false, false },
	{ "status query write fails", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 3, K_EIO,
	  K_EIO, PRINT_R_WRITE, false, false },
	/* calls: open 1, drain 2, (query, read) x4 = 3..10, job write 11 */
	{ "job write fails", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 11, K_EIO,
	  K_EIO, PRINT_R_WRITE, false, false },
	{ "connection dropped mid-job", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 11, K_ENODEV,
	  K_ENODEV, PRINT_R_DISCONNECTED, false, false },
	{ "connection dropped after the job", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 12, K_ENODEV,
	  K_ENODEV, PRINT_R_DISCONNECTED, true, false },
	{ "write stalls", { OK, OK, OK, OK }, { OK, OK, OK, OK }, 0, 11, K_ETIMEOUT,
	  K_ETIMEOUT, PRINT_R_TIMEOUT, false, false },
};

static void
test_print_ticket_reports_every_printer_failure_with_its_reason(void **state)
{
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct kerr err;
	size_t i;

	(void)state;
	ticket_sample(&t, "vi", FIXED_AT, NULL);
	for (i = 0; i < sizeof(fail_rows) / sizeof(fail_rows[0]); i++) {
		const struct fail_row *r = &fail_rows[i];

		fake_print_reset();
		fake_print_status(r->before, r->after);
		if (r->silent)
			fake_print_silent(r->silent == 2);
		if (r->fail_nth)
			fake_print_fail_at(r->fail_nth, r->fail_code, true);
		if (print_ticket(&o, &t, &res, &err) != r->rc ||
		    res.reason != r->reason)
			fail_msg("%s: rc %s reason %s (%s)", r->what,
			    kerr_name(err.code), print_reason_name(res.reason),
			    err.msg);
		assert_false(res.printed);
		assert_int_equal(err.code, r->rc);
		assert_true(err.msg[0] != '\0');
		assert_string_equal(res.detail, err.msg);
		if ((fake_print_job()->len > 0) != r->job_sent)
			fail_msg("%s: job sent %zu bytes", r->what,
			    fake_print_job()->len);
		assert_int_equal(res.paper_near_end, r->near_end);
	}
}

static void
test_print_ticket_prints_on_near_end_and_says_so(void **state)
{
	static const uint8_t near[4] = { OK, OK, OK, 0x1e };
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "en", FIXED_AT, NULL);
	fake_print_status(OK4, near);   /* becomes near end while printing */
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
	assert_true(res.printed);
	assert_true(res.paper_near_end);
	assert_true(res.flags & PRINT_F_NEAR_END);
	assert_non_null(strstr(res.detail, "near end"));
}

static void
test_print_ticket_skips_unsolicited_bytes(void **state)
{
	/* An ASB frame, a GS ( H reply and a stray byte before the replies. */
	static const uint8_t junk[] = { 0x14, 0x00, 0x00, 0x00, 0x37, 0x22,
		0x31, 0x32, 0x33, 0x34, 0x00, 0xff };
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	fake_print_unsolicited(junk, sizeof(junk));
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
	assert_true(res.printed);
	assert_int_equal(res.flags, 0);
}

static void
test_print_ticket_refuses_bad_data_before_opening_the_printer(void **state)
{
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	strcpy(t.url, "http://例.jp/");
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_EINVAL);
	assert_int_equal(res.reason, PRINT_R_BAD_TICKET);
	assert_int_equal(fake_print_opens(), 0);
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	o.width_dots = 600;
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "600"));
	o = mem_opts();
	o.uri = "lpt:1";
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_EINVAL);
	assert_int_equal(res.reason, PRINT_R_NO_PRINTER);
	assert_non_null(strstr(err.msg, "unknown printer scheme 'lpt'"));
	o.uri = "nocolon";
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "no scheme"));
}

struct job_arg {
	const struct ticket_info *t;
	int rc;
};

static void *
print_thread(void *p)
{
	struct job_arg *a = p;
	struct print_opts o = mem_opts();
	struct print_result res;
	struct kerr err;

	a->rc = print_ticket(&o, a->t, &res, &err);
	return NULL;
}

static void
test_print_ticket_serialises_concurrent_jobs(void **state)
{
	struct ticket_info t1, t2;
	struct job_arg a1, a2;
	struct bytebuf w1 = BYTEBUF_INIT, w2 = BYTEBUF_INIT;
	pthread_t th1, th2;
	const struct bytebuf *job;

	(void)state;
	ticket_sample(&t1, "ja", FIXED_AT, NULL);
	ticket_sample(&t2, "en", FIXED_AT, NULL);
	strcpy(t2.number, "B-101");
	a1.t = &t1;
	a2.t = &t2;
	pthread_create(&th1, NULL, print_thread, &a1);
	pthread_create(&th2, NULL, print_thread, &a2);
	pthread_join(th1, NULL);
	pthread_join(th2, NULL);
	assert_int_equal(a1.rc, K_OK);
	assert_int_equal(a2.rc, K_OK);
	expected_job(&t1, 576, false, &w1);
	expected_job(&t2, 576, false, &w2);
	job = fake_print_job();
	assert_int_equal(job->len, w1.len + w2.len);
	/* One whole job after the other, in either order. */
	if (memcmp(job->data, w1.data, w1.len) == 0)
		assert_memory_equal(job->data + w1.len, w2.data, w2.len);
	else {
		assert_memory_equal(job->data, w2.data, w2.len);
		assert_memory_equal(job->data + w2.len, w1.data, w1.len);
	}
	bytebuf_free(&w1);
	bytebuf_free(&w2);
}

static void
test_print_file_keeps_numbered_bytes_and_previews(void **state)
{
	char dir[] = "/tmp/kiosk-print-XXXXXX", *uri, path[64];
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct ticket_layout l;
	struct print_result res;
	struct bytebuf want = BYTEBUF_INIT;
	struct kerr err;
	uint8_t *rgba, buf[256];
	FILE *fp;
	size_t n, total = 0;
	int w, h, x, y, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(asprintf(&uri, "file:%s/sub", dir) > 0, 1);
	o.uri = uri;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	for (i = 0; i < 2; i++) {
		assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
		assert_false(res.status_known);
	}
	expected_job(&t, 576, false, &want);
	snprintf(path, sizeof(path), "%s/sub/002.bin", dir);
	assert_non_null(fp = fopen(path, "rb"));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		assert_true(total + n <= want.len);
		assert_memory_equal(buf, want.data + total, n);
		total += n;
	}
	fclose(fp);
	assert_int_equal(total, want.len);
	snprintf(path, sizeof(path), "%s/sub/001.png", dir);
	assert_int_equal(png_read_rgba(path, &rgba, &w, &h, &err), K_OK);
	assert_int_equal(ticket_render(&t, 576, &l, &err), K_OK);
	assert_int_equal(w, l.bm.w);
	assert_int_equal(h, l.bm.h);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			assert_int_equal(rgba[((size_t)y * w + x) * 4] < 128,
			    bitmap_get(&l.bm, x, y));
	free(rgba);
	ticket_layout_free(&l);
	bytebuf_free(&want);
	for (i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/sub/%03d.bin", dir, i);
		unlink(path);
		snprintf(path, sizeof(path), "%s/sub/%03d.png", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
	free(uri);
}

static void
test_print_query_status_reads_the_printer(void **state)
{
	static const uint8_t out[4] = { 0x1a, 0x32, OK, 0x72 };
	struct print_opts o = mem_opts();
	struct print_result res;
	struct kerr err;
	char text[128];

	(void)state;
	assert_int_equal(print_query_status(&o, &res, &err), K_OK);
	assert_true(res.status_known);
	assert_int_equal(res.flags, 0);
	assert_string_equal(print_flags_text(res.flags, text, sizeof(text)),
	    "ok");
	fake_print_status(out, out);
	assert_int_equal(print_query_status(&o, &res, &err), K_EPAPER);
	assert_int_equal(res.reason, PRINT_R_PAPER_OUT);
	assert_string_equal(print_flags_text(res.flags, text, sizeof(text)),
	    "paper_out,offline");
	assert_int_equal(fake_print_job()->len, 0);
	o.uri = "file:/tmp";
	assert_int_equal(print_query_status(&o, &res, &err), K_OK);
	assert_false(res.status_known);
}

static void
test_print_transports_name_what_is_wrong(void **state)
{
	static const struct { const char *uri; int rc; const char *needle; } rows[] = {
		{ "tcp:", K_EINVAL, "HOST:PORT" },
		{ "tcp:127.0.0.1:0", K_EINVAL, "port '0'" },
		{ "tcp:127.0.0.1:99999", K_EINVAL, "port '99999'" },
		{ "tcp:[::1", K_EINVAL, "missing ']'" },
		{ "tcp:127.0.0.1:1", K_ENODEV, "cannot connect" },
		{ "usb:lp0", K_EINVAL, "device path" },
		{ "usb:/dev/usb/no-such-lp", K_ENODEV, "cannot open printer" },
		{ "cups:", K_EINVAL, "queue name" },
		{ "cups:a;rm", K_EINVAL, "character" },
		{ "file:", K_EINVAL, "folder" },
		{ "file:/proc/no/such", K_ENODEV, "cannot create" },
	};
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct kerr err;
	size_t i;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		o.uri = rows[i].uri;
		if (print_ticket(&o, &t, &res, &err) != rows[i].rc ||
		    strstr(err.msg, rows[i].needle) == NULL)
			fail_msg("%s: %s '%s'", rows[i].uri, kerr_name(err.code),
			    err.msg);
		assert_int_equal(res.reason, PRINT_R_NO_PRINTER);
	}
}

static void
test_print_reason_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(print_reason_name(PRINT_R_NONE), "none");
	assert_string_equal(print_reason_name(PRINT_R_PAPER_OUT), "paper_out");
	assert_string_equal(print_reason_name(PRINT_R_COVER_OPEN), "cover_open");
	assert_string_equal(print_reason_name(PRINT_R_OFFLINE), "offline");
	assert_string_equal(print_reason_name(PRINT_R_TIMEOUT), "timeout");
	assert_string_equal(print_reason_name(PRINT_R_DISCONNECTED),
	    "disconnected");
	assert_string_equal(print_reason_name((enum print_reason)99), "unknown");
}

/* A printer on the other side of a pseudo-terminal: the usb: transport
 * talks to a character device the same way it talks to /dev/usb/lp0. */
struct pty_printer {
	int master;
	_Atomic uint8_t reply;   /* to every DLE EOT */
	size_t got;
	atomic_bool stop;
};

static void *
pty_printer_run(void *p)
{
	struct pty_printer *pp = p;
	uint8_t buf[4096], last[2] = { 0, 0 };

	while (!atomic_load(&pp->stop)) {
		struct pollfd pfd = { .fd = pp->master, .events = POLLIN };
		ssize_t n, i;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		if ((n = read(pp->master, buf, sizeof(buf))) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (last[0] == 0x10 && last[1] == 0x04 && buf[i] >= 1 &&
			    buf[i] <= 4) {
				uint8_t r = atomic_load(&pp->reply);
				(void)!write(pp->master, &r, 1);
			}
			last[0] = last[1];
			last[1] = buf[i];
		}
		pp->got += (size_t)n;
	}
	return NULL;
}

static void
test_print_usb_device_prints_and_reads_status(void **state)
{
	struct pty_printer pp = { .master = -1 };
	struct print_opts o = mem_opts();
	struct ticket_info t;
	struct print_result res;
	struct bytebuf want = BYTEBUF_INIT;
	struct termios tio;
	struct kerr err;
	pthread_t th;
	char uri[128];
	int slave;

	(void)state;
	atomic_init(&pp.reply, 0x12);
	atomic_init(&pp.stop, false);
	assert_true((pp.master = posix_openpt(O_RDWR | O_NOCTTY)) >= 0);
	assert_int_equal(grantpt(pp.master), 0);
	assert_int_equal(unlockpt(pp.master), 0);
	/* Raw line discipline, kept while this fd stays open. */
	assert_true((slave = open(ptsname(pp.master), O_RDWR | O_NOCTTY)) >= 0);
	assert_int_equal(tcgetattr(slave, &tio), 0);
	cfmakeraw(&tio);
	assert_int_equal(tcsetattr(slave, TCSANOW, &tio), 0);
	snprintf(uri, sizeof(uri), "usb:%s", ptsname(pp.master));
	o.uri = uri;
	o.timeout_ms = 2000;
	pthread_create(&th, NULL, pty_printer_run, &pp);
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_OK);
	assert_true(res.printed);
	assert_true(res.status_known);
	expected_job(&t, 576, false, &want);
	assert_int_equal(res.bytes, want.len);
	/* The other side answered paper out: the next ticket fails. */
	atomic_store(&pp.reply, 0x72);
	assert_int_equal(print_ticket(&o, &t, &res, &err), K_EPAPER);
	assert_int_equal(res.reason, PRINT_R_PAPER_OUT);
	atomic_store(&pp.stop, true);
	pthread_join(th, NULL);
	assert_true(pp.got >= want.len + 24);
	close(slave);
	close(pp.master);
	bytebuf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_print_ticket_sends_the_encoded_ticket_and_checks_status, setup),
		cmocka_unit_test_setup(test_print_ticket_native_qr_sends_gs_k, setup),
		cmocka_unit_test_setup(test_print_ticket_reports_every_printer_failure_with_its_reason, setup),
		cmocka_unit_test_setup(test_print_ticket_prints_on_near_end_and_says_so, setup),
		cmocka_unit_test_setup(test_print_ticket_skips_unsolicited_bytes, setup),
		cmocka_unit_test_setup(test_print_ticket_refuses_bad_data_before_opening_the_printer, setup),
		cmocka_unit_test_setup(test_print_ticket_serialises_concurrent_jobs, setup),
		cmocka_unit_test_setup(test_print_file_keeps_numbered_bytes_and_previews, setup),
		cmocka_unit_test_setup(test_print_query_status_reads_the_printer, setup),
		cmocka_unit_test_setup(test_print_transports_name_what_is_wrong, setup),
		cmocka_unit_test_setup(test_print_reason_names_are_stable, setup),
		cmocka_unit_test_setup(test_print_usb_device_prints_and_reads_status, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
