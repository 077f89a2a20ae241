/*
 * pngio.c - PNG through libpng's simplified API.
 */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "pngio.h"
#include "xmalloc.h"

int
png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, int stride,
    struct kerr *err)
{
	png_image img;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_RGBA;
	if (!png_image_write_to_file(&img, path, 0, rgba, stride, NULL))
		return kerr_set(err, K_EIO, "%s: cannot write PNG: %s", path,
		    img.message);
	return K_OK;
}

int
png_write_mono(const char *path, const uint8_t *bits, int w, int h, int stride,
    struct kerr *err)
{
	uint8_t *grey = xmalloc((size_t)w * (size_t)h);
	png_image img;
	int x, y, ok;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			grey[(size_t)y * (size_t)w + (size_t)x] =
			    (bits[(size_t)y * (size_t)stride + (size_t)(x >> 3)] &
			    (0x80 >> (x & 7))) ? 0 : 255;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_GRAY;
	ok = png_image_write_to_file(&img, path, 0, grey, w, NULL);
	free(grey);
	if (!ok)
		return kerr_set(err, K_EIO, "%s: cannot write PNG: %s", path,
		    img.message);
	return K_OK;
}

int
png_read_rgba(const char *path, uint8_t **out, int *w, int *h, struct kerr *err)
{
	png_image img;
	uint8_t *buf;

	*out = NULL;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return kerr_set(err, K_EIO, "%s: cannot read PNG: %s", path,
		    img.message);
	img.format = PNG_FORMAT_RGBA;
	buf = xmalloc(PNG_IMAGE_SIZE(img));
	if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		free(buf);
		return kerr_set(err, K_EPARSE, "%s: bad PNG: %s", path, img.message);
	}
	*out = buf;
	*w = (int)img.width;
	*h = (int)img.height;
	return K_OK;
}
