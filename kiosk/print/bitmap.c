/*
 * bitmap.c - 1-bit images in ESC/POS raster order.
 */
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "xmalloc.h"

int
bitmap_init(struct bitmap *bm, int w, int h, struct kerr *err)
{
	memset(bm, 0, sizeof(*bm));
	if (w < 1 || w > BITMAP_MAX_W || h < 1 || h > BITMAP_MAX_H)
		return kerr_set(err, K_EINVAL,
		    "bitmap: size %dx%d outside 1..%d x 1..%d", w, h,
		    BITMAP_MAX_W, BITMAP_MAX_H);
	bm->w = w;
	bm->h = h;
	bm->stride = (w + 7) / 8;
	bm->bits = xcalloc((size_t)h, (size_t)bm->stride);
	return K_OK;
}

void
bitmap_free(struct bitmap *bm)
{
	if (bm == NULL)
		return;
	free(bm->bits);
	memset(bm, 0, sizeof(*bm));
}

void
bitmap_fill(struct bitmap *bm, int x, int y, int w, int h, bool black)
{
	int x1 = x + w, y1 = y + h, i, j;

	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x1 > bm->w)
		x1 = bm->w;
	if (y1 > bm->h)
		y1 = bm->h;
	for (j = y; j < y1; j++)
		for (i = x; i < x1; i++)
			bitmap_set(bm, i, j, black);
}

void
bitmap_set_height(struct bitmap *bm, int h)
{
	size_t old = (size_t)bm->h * bm->stride, now;

	if (h < 1)
		h = 1;
	now = (size_t)h * bm->stride;
	bm->bits = xrealloc(bm->bits, now);
	if (now > old)
		memset(bm->bits + old, 0, now - old);
	bm->h = h;
}

long
bitmap_count(const struct bitmap *bm)
{
	long n = 0;
	int x, y;

	for (y = 0; y < bm->h; y++)
		for (x = 0; x < bm->w; x++)
			n += bitmap_get(bm, x, y);
	return n;
}
