/*
 * ticket_text.h - text into a 1-bit bitmap with FreeType + HarfBuzz
 * (internal to kiosk/print).  No SDL: the printer module draws its own text.
 *
 * A text context holds the fonts of one ticket (one thread).  Fonts come
 * from the font manifest the screen uses (fontchain.h): the language's
 * primary font, then the manifest's fallback order.
 */
#ifndef TICKET_TEXT_H
#define TICKET_TEXT_H

#include <stdbool.h>

#include "bitmap.h"
#include "kerr.h"

struct tt;

enum tt_weight { TT_REGULAR, TT_BOLD };
enum tt_align { TT_LEFT, TT_CENTER, TT_RIGHT };

/* Prefix for the manifest's font paths (fonts installed under another
 * root, tests);
 * set before any thread prints.  NULL or "" restores the plain paths. */
void tt_set_font_root(const char *root);

/* One context per ticket; reads the manifest and loads the primary fonts
 * of `lang` and of Japanese.  K_EPARSE for a bad manifest, K_ENOTFOUND
 * naming the file when a font is missing. */
int  tt_new(struct tt **out, const char *lang, const char *manifest,
    struct kerr *err);
void tt_free(struct tt *t);

/* Width in dots of one line of text (no wrapping). */
int  tt_width(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *utf8);
/* Line height and ascent in dots for px. */
int  tt_line_height(struct tt *t, const char *lang, enum tt_weight wt, int px);
int  tt_ascent(struct tt *t, const char *lang, enum tt_weight wt, int px);

/* Draw utf8 wrapped to width w starting with the top of the first line at
 * *y; lines are aligned in [x, x+w).  At most max_lines lines (the last
 * one ends with "…" when cut).  Advances *y past the last line; returns
 * the number of lines drawn. */
int  tt_draw_wrapped(struct tt *t, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, const char *utf8, int x, int w, int *y,
    enum tt_align align, int max_lines);

/* The lines tt_draw_wrapped would draw, without drawing: their text
 * (outer spaces trimmed) joined by '\n' into out; returns the count. */
int  tt_break(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *utf8, int w, int max_lines, char *out, size_t outlen);

/* Draw utf8 as one line with its top at y; returns the width drawn. */
int  tt_draw_line(struct tt *t, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, int x, int y, const char *utf8);

#endif
