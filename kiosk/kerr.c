/*
 * kerr.c - error codes, messages and the one log format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kerr.h"

int
kerr_set(struct kerr *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
kerr_clear(struct kerr *err)
{
	if (err != NULL) {
		err->code = K_OK;
		err->msg[0] = '\0';
	}
}

const char *
kerr_name(int code)
{
	static const struct { int code; const char *name; } names[] = {
		{ K_OK, "K_OK" }, { K_EFAIL, "K_EFAIL" },
		{ K_ENOCARD, "K_ENOCARD" }, { K_EREMOVED, "K_EREMOVED" },
		{ K_EPIN, "K_EPIN" }, { K_ENODEV, "K_ENODEV" },
		{ K_EPAPER, "K_EPAPER" }, { K_ENOTFOUND, "K_ENOTFOUND" },
		{ K_EPARSE, "K_EPARSE" }, { K_EBUSY, "K_EBUSY" },
		{ K_EBLOCKED, "K_EBLOCKED" }, { K_ENOTMINE, "K_ENOTMINE" },
		{ K_EINVAL, "K_EINVAL" }, { K_ETIMEOUT, "K_ETIMEOUT" },
		{ K_EAUTH, "K_EAUTH" }, { K_EIO, "K_EIO" },
		{ K_ELASTTRY, "K_ELASTTRY" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].code == code)
			return names[i].name;
	return "K_E?";
}

void
klog(const char *level, const char *module, const char *fmt, ...)
{
	char stamp[40];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (strcmp(level, "debug") == 0 && getenv("KIOSK_DEBUG") == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s %s %s: ", stamp, level, module);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}
