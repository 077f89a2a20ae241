/*
 * print.c - the printing job: scheme registry, status checks around the
 * write, and the one blocking entry point the kiosk calls on a worker.
 *
 * A job: lay out and encode first (no printer touched if the data is bad),
 * open the URI, ask the printer's state (DLE EOT 1..4) when the transport
 * reads back, write the whole ticket, then ask again: paper that ran out
 * or a cover opened mid-ticket, a reply that never comes and a dropped
 * connection all end as "not printed" with a reason.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "escpos.h"
#include "print.h"
#include "ticket.h"
#include "xmalloc.h"

#define SCHEMES_MAX 8

extern const struct print_ops print_file_ops, print_usb_ops, print_tcp_ops,
    print_cups_ops;

static const struct print_ops *schemes[SCHEMES_MAX] = {
	&print_file_ops, &print_usb_ops, &print_tcp_ops, &print_cups_ops,
};
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

int
print_register(const struct print_ops *ops)
{
	int i;

	for (i = 0; i < SCHEMES_MAX; i++) {
		if (schemes[i] == NULL) {
			schemes[i] = ops;
			return K_OK;
		}
		if (strcmp(schemes[i]->scheme, ops->scheme) == 0)
			return schemes[i] == ops ? K_OK : K_EBUSY;
	}
	return K_EBUSY;
}

int
print_open(struct print_tr **out, const char *uri, const struct print_opts *o,
    struct kerr *err)
{
	const char *colon;
	size_t n;
	int i;

	*out = NULL;
	if (uri == NULL || (colon = strchr(uri, ':')) == NULL ||
	    colon == uri)
		return kerr_set(err, K_EINVAL,
		    "print: printer URI '%s' has no scheme (file:DIR, "
		    "usb:/dev/usb/lp0, tcp:HOST:PORT, cups:QUEUE)",
		    uri != NULL ? uri : "(null)");
	n = (size_t)(colon - uri);
	for (i = 0; i < SCHEMES_MAX && schemes[i] != NULL; i++)
		if (strlen(schemes[i]->scheme) == n &&
		    strncmp(schemes[i]->scheme, uri, n) == 0) {
			int rc = schemes[i]->open(out, colon + 1, o, err);
			if (rc == K_OK)
				(*out)->ops = schemes[i];
			return rc;
		}
	return kerr_set(err, K_EINVAL,
	    "print: unknown printer scheme '%.*s' in '%s' (file, usb, tcp, "
	    "cups)", (int)n, uri, uri);
}

void
print_opts_from_config(const struct config *c, struct print_opts *o)
{
	o->uri = config_str(c, "printer.uri");
	o->width_dots = (int)config_int(c, "printer.width_dots");
	o->timeout_ms = (int)config_int(c, "printer.timeout_ms");
	o->native_qr = config_bool(c, "printer.native_qr");
	o->fonts = config_str(c, "kiosk.fonts");
	o->assets = config_str(c, "kiosk.assets");
}

const char *
print_reason_name(enum print_reason r)
{
	static const char *const names[] = {
		[PRINT_R_NONE] = "none",
		[PRINT_R_PAPER_OUT] = "paper_out",
		[PRINT_R_COVER_OPEN] = "cover_open",
		[PRINT_R_OFFLINE] = "offline",
		[PRINT_R_CUTTER] = "cutter_error",
		[PRINT_R_PRINTER_ERROR] = "printer_error",
		[PRINT_R_TIMEOUT] = "timeout",
		[PRINT_R_WRITE] = "write_error",
		[PRINT_R_DISCONNECTED] = "disconnected",
		[PRINT_R_NO_PRINTER] = "no_printer",
		[PRINT_R_BAD_TICKET] = "bad_ticket",
	};

	if ((unsigned)r >= ARRAY_SIZE(names) || names[r] == NULL)
		return "unknown";
	return names[r];
}

const char *
print_flags_text(unsigned flags, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *name; } f[] = {
		{ PRINT_F_PAPER_OUT, "paper_out" },
		{ PRINT_F_NEAR_END, "near_end" },
		{ PRINT_F_COVER_OPEN, "cover_open" },
		{ PRINT_F_OFFLINE, "offline" },
		{ PRINT_F_CUTTER, "cutter_error" },
		{ PRINT_F_UNRECOVER, "unrecoverable_error" },
		{ PRINT_F_AUTORECOVER, "recoverable_error" },
		{ PRINT_F_ERROR, "error" },
		{ PRINT_F_FEEDING, "feeding" },
	};
	size_t i, n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (flags & f[i].bit)
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
			    "%s%s", n > 0 ? "," : "", f[i].name);
	if (n == 0)
		snprintf(buf, size, "ok");
	return buf;
}

/* The reason a set of status flags stops printing, or PRINT_R_NONE. */
static enum print_reason
flags_reason(unsigned f)
{
	if (f & PRINT_F_PAPER_OUT)
		return PRINT_R_PAPER_OUT;
	if (f & PRINT_F_COVER_OPEN)
		return PRINT_R_COVER_OPEN;
	if (f & PRINT_F_CUTTER)
		return PRINT_R_CUTTER;
	if (f & (PRINT_F_UNRECOVER | PRINT_F_AUTORECOVER | PRINT_F_ERROR))
		return PRINT_R_PRINTER_ERROR;
	if (f & PRINT_F_OFFLINE)
		return PRINT_R_OFFLINE;
	return PRINT_R_NONE;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum print_reason
code_reason(int code)
{
	switch (code) {
	case K_ETIMEOUT:
		return PRINT_R_TIMEOUT;
	case K_ENODEV:
		return PRINT_R_DISCONNECTED;
	default:
		return PRINT_R_WRITE;
	}
}

/*
 * Ask DLE EOT 1..4 and collect the flags.  `discard` replies are expected
 * before ours (DLE EOT sequences inside image data just sent).
 * K_EINVAL from read: this transport cannot read back (status unknown).
 */
static int
query_status(struct print_tr *tr, int timeout_ms, size_t discard,
    unsigned *flags, struct kerr *err)
{
	struct escpos_rx rx;
	uint8_t buf[64], st = 0;
	int n, r, i;

	*flags = 0;
	escpos_rx_init(&rx);
	/* Drain what is already waiting (late unsolicited bytes). */
	while ((r = tr->ops->read(tr, buf, sizeof(buf), 0, err)) > 0)
		for (i = 0; i < r; i++)
			if (escpos_rx_feed(&rx, buf[i], &st) ==
			    ESCPOS_RX_STATUS && discard > 0)
				discard--;
	if (r < 0)
		return r;
	for (n = 1; n <= 4; n++) {
		uint8_t q[3] = { 0x10, 0x04, (uint8_t)n };
		int64_t deadline = now_ms() + timeout_ms;
		bool got = false;

		if ((r = tr->ops->write(tr, q, sizeof(q), err)) != K_OK)
			return r;
		while (!got) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return kerr_set(err, K_ETIMEOUT,
				    "print: no answer to DLE EOT %d within "
				    "%d ms", n, timeout_ms);
			r = tr->ops->read(tr, buf, sizeof(buf), (int)left, err);
			if (r < 0)
				return r;
			for (i = 0; i < r && !got; i++) {
				if (escpos_rx_feed(&rx, buf[i], &st) !=
				    ESCPOS_RX_STATUS)
					continue;
				if (discard > 0) {
					discard--;
					continue;
				}
				got = true;
			}
		}
		*flags |= escpos_status_flags(n, st);
	}
	return K_OK;
}

static int
fail(struct print_result *res, enum print_reason why, int code,
    struct kerr *err)
{
	res->printed = false;
	res->reason = why;
	if (err->code == K_OK || err->msg[0] == '\0')
		kerr_set(err, code, "print: %s", print_reason_name(why));
	err->code = code;
	snprintf(res->detail, sizeof(res->detail), "%s", err->msg);
	return code;
}

static int
status_fail(struct print_result *res, unsigned flags, const char *when,
    struct kerr *err)
{
	char text[128];
	enum print_reason why = flags_reason(flags);

	kerr_set(err, K_EPAPER, "print: printer reports %s%s%s",
	    print_flags_text(flags, text, sizeof(text)), when[0] ? " " : "",
	    when);
	return fail(res, why, K_EPAPER, err);
}

static int
check(struct print_tr *tr, const struct print_opts *o, size_t discard,
    struct print_result *res, const char *when, struct kerr *err)
{
	unsigned flags = 0;
	int rc;

	if (tr->ops->read == NULL)
		return K_OK;
	rc = query_status(tr, o->timeout_ms, discard, &flags, err);
	if (rc == K_EINVAL) {          /* cannot read back: unknown */
		kerr_clear(err);
		return K_OK;
	}
	if (rc != K_OK)
		return fail(res, code_reason(rc), rc, err);
	res->status_known = true;
	res->flags = flags;
	if (flags & PRINT_F_NEAR_END)
		res->paper_near_end = true;
	if (flags_reason(flags) != PRINT_R_NONE)
		return status_fail(res, flags, when, err);
	return K_OK;
}

static int
check_opts(const struct print_opts *o, struct kerr *err)
{
	if (o == NULL || o->uri == NULL)
		return kerr_set(err, K_EINVAL, "print: no printer URI");
	if (o->width_dots != 576 && o->width_dots != 512 &&
	    o->width_dots != 384)
		return kerr_set(err, K_EINVAL,
		    "print: paper width %d dots is not 576, 512 or 384",
		    o->width_dots);
	if (o->timeout_ms < 1 || o->timeout_ms > 600000)
		return kerr_set(err, K_EINVAL,
		    "print: time-out %d ms outside 1..600000", o->timeout_ms);
	return K_OK;
}

int
print_ticket(const struct print_opts *o, const struct ticket_info *t,
    struct print_result *res, struct kerr *err)
{
	struct ticket_layout l;
	struct ticket_res res_paths;
	struct bytebuf job = BYTEBUF_INIT;
	struct print_tr *tr = NULL;
	size_t strays;
	int64_t start = now_ms();
	int rc;

	memset(res, 0, sizeof(*res));
	kerr_clear(err);
	if ((rc = check_opts(o, err)) != K_OK)
		return fail(res, PRINT_R_BAD_TICKET, rc, err);
	/* Everything that can be done without the printer comes first. */
	res_paths.fonts = o->fonts;
	res_paths.assets = o->assets;
	if ((rc = ticket_render_with(t, o->width_dots, &res_paths, &l,
	    err)) != K_OK)
		return fail(res, PRINT_R_BAD_TICKET, rc, err);
	if ((rc = escpos_ticket(&job, &l, t->url, o->native_qr, err)) != K_OK) {
		ticket_layout_free(&l);
		bytebuf_free(&job);
		return fail(res, PRINT_R_BAD_TICKET, rc, err);
	}
	strays = escpos_count_status_queries(job.data, job.len);

	pthread_mutex_lock(&print_lock);
	if ((rc = print_open(&tr, o->uri, o, err)) != K_OK) {
		rc = fail(res, PRINT_R_NO_PRINTER, rc, err);
		goto out;
	}
	if ((rc = check(tr, o, 0, res, "before printing", err)) != K_OK)
		goto out;
	if (tr->ops->preview != NULL &&
	    (rc = tr->ops->preview(tr, l.bm.bits, l.bm.w, l.bm.h, l.bm.stride,
	    err)) != K_OK) {
		rc = fail(res, PRINT_R_WRITE, rc, err);
		goto out;
	}
	if ((rc = tr->ops->write(tr, job.data, job.len, err)) != K_OK) {
		rc = fail(res, code_reason(rc), rc, err);
		goto out;
	}
	res->bytes = job.len;
	res->write_ms = (unsigned)(now_ms() - start);
	if ((rc = check(tr, o, strays, res, "after printing", err)) != K_OK)
		goto out;
	res->printed = true;
	res->reason = PRINT_R_NONE;
	snprintf(res->detail, sizeof(res->detail), "printed %zu bytes%s",
	    job.len, res->paper_near_end ? "; paper near end" : "");
	rc = K_OK;
out:
	if (tr != NULL)
		tr->ops->close(tr);
	pthread_mutex_unlock(&print_lock);
	if (rc != K_OK)
		klog("warn", "print", "ticket %s not printed: %s", t->number,
		    res->detail);
	else if (res->paper_near_end)
		klog("warn", "print", "paper near end");
	ticket_layout_free(&l);
	bytebuf_free(&job);
	return rc;
}

int
print_query_status(const struct print_opts *o, struct print_result *res,
    struct kerr *err)
{
	struct print_tr *tr = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	kerr_clear(err);
	if ((rc = check_opts(o, err)) != K_OK)
		return fail(res, PRINT_R_BAD_TICKET, rc, err);
	pthread_mutex_lock(&print_lock);
	if ((rc = print_open(&tr, o->uri, o, err)) != K_OK) {
		rc = fail(res, PRINT_R_NO_PRINTER, rc, err);
		goto out;
	}
	rc = check(tr, o, 0, res, "", err);
	if (rc == K_OK)
		snprintf(res->detail, sizeof(res->detail), "%s",
		    res->status_known ? "status read" : "no status from this "
		    "printer transport");
out:
	if (tr != NULL)
		tr->ops->close(tr);
	pthread_mutex_unlock(&print_lock);
	return rc;
}
