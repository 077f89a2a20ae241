/*
 * pngio.h - write and read PNG files (screenshots, ticket previews, tests).
 * The only file that includes <png.h> is kiosk/pngio.c.
 */
#ifndef PNGIO_H
#define PNGIO_H

#include <stdint.h>

#include "kerr.h"

/* rgba: h rows of `stride` bytes, 4 bytes a pixel, R G B A order. */
int png_write_rgba(const char *path, const uint8_t *rgba, int w, int h,
    int stride, struct kerr *err);
/* bits: 1 bit a pixel, MSB first, 1 = black (ESC/POS order), rows of
 * `stride` bytes. Written as a 1-bit grey PNG (0 = black). */
int png_write_mono(const char *path, const uint8_t *bits, int w, int h,
    int stride, struct kerr *err);
/* Read any PNG as RGBA; *out is malloc'ed (w*h*4 bytes), free() it. */
int png_read_rgba(const char *path, uint8_t **out, int *w, int *h,
    struct kerr *err);

#endif
