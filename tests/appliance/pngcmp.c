/*
 * pngcmp.c - compare two screenshots of the same screen taken two ways
 * (grim under cage, the offscreen driver): same size, and the share of
 * pixels whose every channel is within TOL levels.  Different renderers
 * antialias edges a little differently, so the test asks for "nearly all
 * pixels", not all.
 *
 *   pngcmp A.png B.png [TOL]   prints "W H close% mean_a mean_b"; exit 0
 *                              when sizes match, else 1
 */
#include <stdio.h>
#include <stdlib.h>

#include "pngio.h"

int
main(int argc, char **argv)
{
	uint8_t *a, *b;
	int wa, ha, wb, hb, tol = argc > 3 ? atoi(argv[3]) : 24;
	long long close = 0, n, i, suma = 0, sumb = 0;
	struct kerr err;

	if (argc < 3) {
		fprintf(stderr, "usage: pngcmp A.png B.png [TOL]\n");
		return 2;
	}
	if (png_read_rgba(argv[1], &a, &wa, &ha, &err) != K_OK ||
	    png_read_rgba(argv[2], &b, &wb, &hb, &err) != K_OK) {
		fprintf(stderr, "pngcmp: %s\n", err.msg);
		return 2;
	}
	if (wa != wb || ha != hb) {
		printf("%dx%d %dx%d size differs\n", wa, ha, wb, hb);
		return 1;
	}
	n = (long long)wa * ha;
	for (i = 0; i < n; i++) {
		int c, near = 1;
		for (c = 0; c < 3; c++) {
			int d = a[i * 4 + c] - b[i * 4 + c];
			if (d > tol || d < -tol)
				near = 0;
			suma += a[i * 4 + c];
			sumb += b[i * 4 + c];
		}
		close += near;
	}
	printf("%d %d %.2f %lld %lld\n", wa, ha, 100.0 * (double)close /
	    (double)n, suma / (n * 3), sumb / (n * 3));
	free(a);
	free(b);
	return 0;
}
