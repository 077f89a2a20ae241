/*
 * kerr.h - the error vocabulary every module returns, and one-line log output.
 *
 * A function that can fail returns 0 (K_OK) or a negative K_E* code and, when
 * given a struct kerr, fills it with a one-line message for people.  Codes are
 * few and mean "the caller acts differently"; the message says what exactly.
 * Messages and log lines never carry a PIN or personal data (DESIGN.md §5).
 */
#ifndef KERR_H
#define KERR_H

#include <stdarg.h>

enum {
	K_OK = 0,
	K_EFAIL = -1,     /* unexpected; the message says what */
	K_ENOCARD = -2,   /* no card in the reader */
	K_EREMOVED = -3,  /* card pulled or reset mid-operation */
	K_EPIN = -4,      /* wrong PIN; tries left reported separately */
	K_ENODEV = -5,    /* no reader / no printer / service gone */
	K_EPAPER = -6,    /* printer out of paper or otherwise not printing */
	K_ENOTFOUND = -7, /* no such thing (ticket, key, file, record) */
	K_EPARSE = -8,    /* malformed input: config, JSON, TLV, reply */
	K_EBUSY = -9,     /* try again later */
	K_EBLOCKED = -10, /* PIN blocked */
	K_ENOTMINE = -11, /* not a My Number card */
	K_EINVAL = -12,   /* caller's argument is not acceptable */
	K_ETIMEOUT = -13, /* no answer in time */
	K_EAUTH = -14,    /* missing or wrong credentials */
	K_EIO = -15,      /* read/write failed (disk, socket, device) */
	K_ELASTTRY = -16, /* 1 PIN try left: the PIN was not sent (card.h) */
};

#define KERR_MSG_MAX 200

struct kerr {
	int code;
	char msg[KERR_MSG_MAX];
};

/* Fill err (may be NULL) and return code, so callers can write
 * `return kerr_set(err, K_EPARSE, "line %d: ...", n);`. */
int kerr_set(struct kerr *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kerr_clear(struct kerr *err);
/* "K_EREMOVED" and the like, for logs and tests. */
const char *kerr_name(int code);

/* Log one line to stderr: "2026-11-28T12:00:00+09:00 warn card: ...".
 * Levels: "debug" (only with KIOSK_DEBUG set), "info", "warn", "error". */
void klog(const char *level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
