/*
 * fake_print.c - "mem:" printer transport for tests (see fake_print.h).
 * It answers like a real printer: a DLE EOT sequence gets a reply wherever
 * it appears, also inside image data.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fake_print.h"
#include "kerr.h"
#include "print.h"
#include "xmalloc.h"

static struct {
	uint8_t before[4], after[4];
	bool silent_before, silent_after, job_seen;
	uint8_t pending[256];
	size_t npending;
	uint8_t unsolicited[64];
	size_t nunsolicited;
	int fail_nth, fail_code;
	bool fail_persist;
	int calls, opens, queries;
	struct bytebuf job;
	uint8_t tail[2];      /* last bytes written, for sequences split */
	size_t ntail;
} fp;

static pthread_mutex_t fp_lock = PTHREAD_MUTEX_INITIALIZER;

static int
fault(struct kerr *err)
{
	fp.calls++;
	if (fp.fail_nth > 0 && (fp.calls == fp.fail_nth ||
	    (fp.fail_persist && fp.calls > fp.fail_nth)))
		return kerr_set(err, fp.fail_code, "mem: injected %s at call %d",
		    kerr_name(fp.fail_code), fp.calls);
	return K_OK;
}

static int
mem_open(struct print_tr **out, const char *rest, const struct print_opts *o,
    struct kerr *err)
{
	struct print_tr *t;
	int rc;

	(void)rest;
	(void)o;
	pthread_mutex_lock(&fp_lock);
	rc = fault(err);
	if (rc == K_OK)
		fp.opens++;
	pthread_mutex_unlock(&fp_lock);
	if (rc != K_OK)
		return rc;
	t = xcalloc(1, sizeof(*t));
	*out = t;
	return K_OK;
}

static void
answer(uint8_t n)
{
	bool silent = fp.job_seen ? fp.silent_after : fp.silent_before;
	const uint8_t *st = fp.job_seen ? fp.after : fp.before;

	if (silent || fp.npending == sizeof(fp.pending))
		return;
	fp.pending[fp.npending++] = st[n - 1];
}

static int
mem_write(struct print_tr *t, const uint8_t *buf, size_t len,
    struct kerr *err)
{
	size_t i;
	int rc;

	(void)t;
	pthread_mutex_lock(&fp_lock);
	if ((rc = fault(err)) != K_OK) {
		pthread_mutex_unlock(&fp_lock);
		return rc;
	}
	if (len == 3 && buf[0] == 0x10 && buf[1] == 0x04 && buf[2] >= 1 &&
	    buf[2] <= 4) {
		fp.queries++;
		answer(buf[2]);
	} else {
		bytebuf_append(&fp.job, buf, len);
		/* A printer answers DLE EOT inside data too. */
		for (i = 0; i < len; i++) {
			uint8_t a = i >= 2 ? buf[i - 2] : fp.ntail + i >= 2 ?
			    fp.tail[fp.ntail + i - 2] : 0;
			uint8_t b = i >= 1 ? buf[i - 1] : fp.ntail >= 1 ?
			    fp.tail[fp.ntail - 1] : 0;
			if (a == 0x10 && b == 0x04 && buf[i] >= 1 &&
			    buf[i] <= 4)
				answer(buf[i]);
		}
		if (len >= 2) {
			fp.tail[0] = buf[len - 2];
			fp.tail[1] = buf[len - 1];
			fp.ntail = 2;
		}
		fp.job_seen = true;
	}
	pthread_mutex_unlock(&fp_lock);
	return K_OK;
}

static int
mem_read(struct print_tr *t, uint8_t *buf, size_t len, int timeout_ms,
    struct kerr *err)
{
	size_t n = 0;
	int rc;

	(void)t;
	(void)timeout_ms;
	pthread_mutex_lock(&fp_lock);
	if ((rc = fault(err)) != K_OK) {
		pthread_mutex_unlock(&fp_lock);
		return rc;
	}
	while (n < len && fp.nunsolicited > 0) {
		buf[n++] = fp.unsolicited[0];
		memmove(fp.unsolicited, fp.unsolicited + 1,
		    --fp.nunsolicited);
	}
	while (n < len && fp.npending > 0) {
		buf[n++] = fp.pending[0];
		memmove(fp.pending, fp.pending + 1, --fp.npending);
	}
	pthread_mutex_unlock(&fp_lock);
	return (int)n;   /* 0: nothing within the time-out */
}

static void
mem_close(struct print_tr *t)
{
	free(t);
}

static const struct print_ops fake_print_ops = {
	.scheme = "mem",
	.open = mem_open,
	.write = mem_write,
	.read = mem_read,
	.preview = NULL,
	.close = mem_close,
};

void
fake_print_reset(void)
{
	pthread_mutex_lock(&fp_lock);
	bytebuf_free(&fp.job);
	memset(&fp, 0, sizeof(fp));
	memset(fp.before, FAKE_PRINT_OK, 4);
	memset(fp.after, FAKE_PRINT_OK, 4);
	pthread_mutex_unlock(&fp_lock);
	print_register(&fake_print_ops);
}

void
fake_print_status(const uint8_t before[4], const uint8_t after[4])
{
	pthread_mutex_lock(&fp_lock);
	memcpy(fp.before, before, 4);
	memcpy(fp.after, after, 4);
	pthread_mutex_unlock(&fp_lock);
}

void
fake_print_silent(bool after_job)
{
	pthread_mutex_lock(&fp_lock);
	fp.silent_after = true;
	fp.silent_before = !after_job;
	pthread_mutex_unlock(&fp_lock);
}

void
fake_print_unsolicited(const uint8_t *bytes, size_t n)
{
	pthread_mutex_lock(&fp_lock);
	if (n > sizeof(fp.unsolicited))
		n = sizeof(fp.unsolicited);
	memcpy(fp.unsolicited, bytes, n);
	fp.nunsolicited = n;
	pthread_mutex_unlock(&fp_lock);
}

void
fake_print_fail_at(int nth, int code, bool persist)
{
	pthread_mutex_lock(&fp_lock);
	fp.fail_nth = nth;
	fp.fail_code = code;
	fp.fail_persist = persist;
	pthread_mutex_unlock(&fp_lock);
}

int
fake_print_calls(void)
{
	return fp.calls;
}

int
fake_print_opens(void)
{
	return fp.opens;
}

const struct bytebuf *
fake_print_job(void)
{
	return &fp.job;
}

int
fake_print_queries(void)
{
	return fp.queries;
}
