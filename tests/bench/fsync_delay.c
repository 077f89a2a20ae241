/*
 * fsync_delay.c - an LD_PRELOAD shim that makes every fsync(2) and
 * fdatasync(2) take FSYNC_DELAY_US microseconds longer (default 10000),
 * as a slow disk does (an SD card or a cheap eMMC on a small PC flushes
 * in ~5-20 ms).  The data still reaches the real disk: the delay comes
 * before the real call.  For tests/bench/issue.sh only.
 *
 *   FSYNC_DELAY_US=10000 LD_PRELOAD=build/bench/fsync_delay.so kiosk serve
 */

#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long
delay_us(void)
{
	static long us = -1;
	const char *e;

	if (us < 0) {
		e = getenv("FSYNC_DELAY_US");
		us = e != NULL ? atol(e) : 10000;
		if (us < 0)
			us = 0;
	}
	return us;
}

static void
wait_a_bit(void)
{
	long us = delay_us();
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (us > 0 && nanosleep(&ts, &ts) != 0)
		;
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	wait_a_bit();
	return real(fd);
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	wait_a_bit();
	return real(fd);
}
