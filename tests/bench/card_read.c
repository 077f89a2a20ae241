/*
 * card_read.c - time card_read_at() in one process (no exec, no dynamic
 * loading): N reads through pcscd + vpcd, median and max in ms, and the
 * APDUs of one read.  PIN on stdin, like `kiosk card read`.
 * usage: card_read N [READER]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apdu.h"
#include "card.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct card_basic4 b;
	struct kerr err;
	struct timespec t0, t1;
	struct apdu *t;
	char pin[8] = "";
	double *ms;
	int n, i, tries;

	n = argc > 1 ? atoi(argv[1]) : 50;
	if (n < 1 || fgets(pin, sizeof(pin), stdin) == NULL)
		return 2;
	pin[strcspn(pin, "\r\n")] = '\0';
	ms = calloc((size_t)n, sizeof(*ms));
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (card_read_at(argc > 2 ? argv[2] : NULL, pin, 0, &tries, &b,
		    &err) != K_OK) {
			fprintf(stderr, "card_read: %s\n", err.msg);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		card_basic4_wipe(&b);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	/* APDUs of one read, counted by the transport */
	if (apdu_pcsc_open(&t, argc > 2 ? argv[2] : NULL, &err) != K_OK ||
	    card_read_basic4(t, pin, 0, &tries, &b, &err) != K_OK) {
		fprintf(stderr, "card_read: %s\n", err.msg);
		return 1;
	}
	card_basic4_wipe(&b);
	explicit_bzero(pin, sizeof(pin));
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%lu %.2f %.2f\n", t->count,
	    n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2, ms[n - 1]);
	apdu_close(t);
	free(ms);
	return 0;
}
