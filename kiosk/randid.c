/*
 * randid.c - random identifiers from getrandom(2).  See randid.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "kerr.h"
#include "randid.h"

void
randid_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[64];
	size_t i;

	while (nbytes > 0) {
		size_t want = nbytes < sizeof(b) ? nbytes : sizeof(b), got = 0;

		while (got < want) {
			ssize_t n = getrandom(b + got, want - got, 0);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				klog("error", "randid", "getrandom: %s",
				    strerror(errno));
				abort();    /* no id without entropy */
			}
			got += (size_t)n;
		}
		for (i = 0; i < want; i++) {
			*out++ = hex[b[i] >> 4];
			*out++ = hex[b[i] & 15];
		}
		nbytes -= want;
	}
	*out = '\0';
	explicit_bzero(b, sizeof(b));
}
