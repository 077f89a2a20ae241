/*
 * print_bench.c - figures for `make bench`: time from print_ticket() being
 * called (the ticket just committed) to its last byte written, and the
 * bytes a ticket takes.
 *
 * usage: print_bench --printer URI [--lang L] [--width W] [--native-qr]
 *                    [--count N]
 * Prints: "median_write_ms M max_write_ms X median_total_ms T bytes B".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print.h"
#include "ticket.h"

static int
cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

static unsigned
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned)((t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000);
}

int
main(int argc, char **argv)
{
	struct print_opts o = { NULL, 576, 5000, false, NULL, NULL };
	const char *lang = "ja";
	struct ticket_info t;
	struct print_result res;
	struct kerr err;
	unsigned *w, *tot;
	size_t bytes = 0;
	int n = 20, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--printer") == 0 && i + 1 < argc)
			o.uri = argv[++i];
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strcmp(argv[i], "--width") == 0 && i + 1 < argc)
			o.width_dots = atoi(argv[++i]);
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (strcmp(argv[i], "--native-qr") == 0)
			o.native_qr = true;
		else {
			fprintf(stderr, "print_bench: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	if (o.uri == NULL || n < 1) {
		fprintf(stderr, "print_bench: --printer URI required\n");
		return 2;
	}
	w = calloc((size_t)n, sizeof(*w));
	tot = calloc((size_t)n, sizeof(*tot));
	ticket_sample(&t, lang, 1764300000, NULL);
	for (i = 0; i < n; i++) {
		struct timespec t0;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (print_ticket(&o, &t, &res, &err) != K_OK) {
			fprintf(stderr, "print_bench: %s\n", err.msg);
			return 1;
		}
		tot[i] = ms_since(&t0);
		w[i] = res.write_ms;
		bytes = res.bytes;
	}
	qsort(w, (size_t)n, sizeof(*w), cmp_u);
	qsort(tot, (size_t)n, sizeof(*tot), cmp_u);
	printf("median_write_ms %u max_write_ms %u median_total_ms %u bytes %zu\n",
	    w[n / 2], w[n - 1], tot[n / 2], bytes);
	free(w);
	free(tot);
	return 0;
}
