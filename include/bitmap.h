/*
 * bitmap.h - a 1-bit image in printer order: rows top to bottom, MSB is the
 * leftmost dot, 1 = black (a printed dot).  This is GS v 0's data layout,
 * so the encoder copies rows as they are.
 */
#ifndef BITMAP_H
#define BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kerr.h"

#define BITMAP_MAX_W 4096
#define BITMAP_MAX_H 16384

struct bitmap {
	int w, h;          /* dots */
	int stride;        /* bytes a row: (w + 7) / 8 */
	uint8_t *bits;     /* h * stride bytes, all white at first */
};

/* A white bitmap; K_EINVAL for sizes outside 1..BITMAP_MAX_*. */
int bitmap_init(struct bitmap *bm, int w, int h, struct kerr *err);
void bitmap_free(struct bitmap *bm);

static inline bool
bitmap_get(const struct bitmap *bm, int x, int y)
{
	if (x < 0 || y < 0 || x >= bm->w || y >= bm->h)
		return false;
	return (bm->bits[(size_t)y * bm->stride + (x >> 3)] >> (7 - (x & 7))) & 1;
}

static inline void
bitmap_set(struct bitmap *bm, int x, int y, bool black)
{
	uint8_t *p, m;

	if (x < 0 || y < 0 || x >= bm->w || y >= bm->h)
		return;
	p = &bm->bits[(size_t)y * bm->stride + (x >> 3)];
	m = (uint8_t)(0x80 >> (x & 7));
	*p = black ? (uint8_t)(*p | m) : (uint8_t)(*p & ~m);
}

/* Fill a rectangle (clipped). */
void bitmap_fill(struct bitmap *bm, int x, int y, int w, int h, bool black);
/* Grow or shrink the height, keeping the top rows; new rows are white. */
void bitmap_set_height(struct bitmap *bm, int h);
/* Number of black dots (tests). */
long bitmap_count(const struct bitmap *bm);

#endif
