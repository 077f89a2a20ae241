/*
 * ticket.h - the ticket layout: ticket data in, a 1-bit bitmap out (pure:
 * no I/O but reading the font files).  Japanese always; the resident's
 * language beside it when that is not Japanese.  Widths 576 (80 mm,
 * 203 dpi), 512 (80 mm, 180 dpi) and 384 (58 mm, 203 dpi).
 */
#ifndef TICKET_H
#define TICKET_H

#include <stdint.h>

#include "bitmap.h"
#include "kerr.h"
#include "print.h"

#define TICKET_MIN_MODULE 4    /* dots per QR module, at least */

struct ticket_layout {
	struct bitmap bm;      /* the whole ticket, width = paper width */
	/* Where the QR symbol sits (without its quiet zone), for the native
	 * QR path and for tests: top-left dot, dots per module, modules. */
	int qr_x, qr_y, qr_module, qr_width;
	int qr_zone_y, qr_zone_h;   /* rows of the QR block incl. quiet zone */
};

/* Check every field: NUL-terminated, UTF-8, a language the catalogs
 * translate the ticket into, ASCII number and URL, sane counts.  K_EINVAL
 * naming the field and the reason. */
int ticket_validate(const struct ticket_info *t, struct kerr *err);

/* Where the ticket's fonts and words come from: the font manifest
 * (kiosk.fonts) and the assets folder whose po/ catalogs hold the labels
 * (kiosk.assets, msgids paper.*).  NULL members: their defaults, as the
 * screen reads them. */
struct ticket_res {
	const char *fonts;
	const char *assets;
};

/* Lay out t for a paper width_dots wide (576, 512 or 384).  K_EINVAL for
 * bad data or width, K_EPARSE for a bad manifest or catalog, K_ENOTFOUND
 * when a font file is missing. */
int ticket_render_with(const struct ticket_info *t, int width_dots,
    const struct ticket_res *res, struct ticket_layout *out,
    struct kerr *err);
/* The same with the default fonts and catalogs. */
int ticket_render(const struct ticket_info *t, int width_dots,
    struct ticket_layout *out, struct kerr *err);
void ticket_layout_free(struct ticket_layout *l);

/* A sample ticket (kiosk print test, tests, bench): fixed names and token,
 * in lang (procedure name translated for the languages we ship), issued
 * at `at` (seconds since the epoch). */
void ticket_sample(struct ticket_info *t, const char *lang, int64_t at,
    const char *public_url);

/* A printer acts on DLE EOT / DLE ENQ / DLE DC4 (10 04|05|14 n) wherever
 * they appear, also inside image data: clear the one dot (the 0x10 byte)
 * that would start such a sequence, so the bytes of a ticket never hold a
 * real-time command.  ticket_render() does this; returns the dots cleared. */
int ticket_defuse_realtime(struct bitmap *bm);

/* Look for the manifest's font files under root (e.g. a staged install);
 * NULL for the paths as written.  Call before any thread prints. */
void ticket_set_font_root(const char *root);

/* Line breaking as the ticket does it (tests: the same kinsoku as the
 * screen): utf8 in lang at px dots wrapped to width dots, the lines joined
 * by '\n' into out.  Returns the number of lines, or -1 with err set when
 * the fonts cannot be loaded. */
int ticket_text_break(const char *lang, int px, int width, const char *utf8,
    char *out, size_t outlen, struct kerr *err);

/* Dots per millimetre for a paper width (8 at 203 dpi, 7.09 at 180 dpi). */
double ticket_dots_per_mm(int width_dots);

#endif
