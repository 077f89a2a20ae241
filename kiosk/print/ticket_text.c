/*
 * ticket_text.c - shaped text into a 1-bit bitmap: FreeType renders,
 * HarfBuzz shapes (Vietnamese marks, Japanese, Hangul), greedy line
 * breaking at the opportunities of linebreak.h (kinsoku as on screen).
 *
 * The fonts are those of the font manifest (fonts/fonts.conf, read by
 * kiosk/text/fontchain.c as the screen reads it): the same primary font
 * per language, the same fallback order, the same runs.  The manifest's
 * cap-height scale is not applied: ticket sizes are set per line in
 * millimetres, and the golden tickets keep their dots.
 *
 * Glyphs are rendered grey and thresholded at half: a thermal head prints
 * dots, not shades.  Everything here is deterministic for given fonts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <hb-ft.h>

#include "fontchain.h"
#include "linebreak.h"
#include "ticket_text.h"
#include "utf8.h"
#include "xmalloc.h"

#define MAX_RUNS 256

/* One FreeType face per manifest entry, opened on first use. */
struct face {
	FT_Face ft;
	hb_font_t *hb;
	int px;            /* size currently set */
	bool failed;       /* tried and could not load */
};

struct tt {
	FT_Library lib;
	struct font_manifest m;    /* fonts/fonts.conf, as the screen reads it */
	struct face faces[FONT_MAX];
};

static char font_root[256];   /* "" : the Debian paths as they are */

void
tt_set_font_root(const char *root)
{
	snprintf(font_root, sizeof(font_root), "%s", root != NULL ? root : "");
}

struct glyph {
	struct face *f;
	unsigned gid;
	int x_adv, x_off, y_off;   /* 26.6 */
};

/* The face of manifest entry e, opened on first use; NULL (err set) when
 * its file is missing or unreadable. */
static struct face *
face_get(struct tt *t, int e, struct kerr *err)
{
	struct face *f;
	const struct font_entry *fe;
	char full[512];

	if (e < 0 || e >= t->m.nfonts) {
		kerr_set(err, K_ENOTFOUND, "print: no font for this text");
		return NULL;
	}
	f = &t->faces[e];
	fe = &t->m.fonts[e];
	snprintf(full, sizeof(full), "%s%s", font_root, fe->path);
	if (f->ft != NULL)
		return f;
	if (!f->failed && FT_New_Face(t->lib, full, fe->face, &f->ft) == 0) {
		f->hb = hb_ft_font_create_referenced(f->ft);
		hb_ft_font_set_load_flags(f->hb, FT_LOAD_DEFAULT |
		    FT_LOAD_NO_HINTING);
		return f;
	}
	f->ft = NULL;
	f->failed = true;
	kerr_set(err, K_ENOTFOUND, "print: font %s (%s, face %d) is missing "
	    "or unreadable; install fonts-morisawa-bizud-gothic, "
	    "fonts-noto-core, fonts-noto-cjk", fe->name, full, fe->face);
	return NULL;
}

static void
face_size(struct face *f, int px)
{
	if (f->px == px)
		return;
	FT_Set_Pixel_Sizes(f->ft, 0, (FT_UInt)px);
	hb_ft_font_changed(f->hb);
	f->px = px;
}

/* The face of family fam in weight wt (its regular one when it has no
 * bold). */
static struct face *
face_of(struct tt *t, int fam, enum tt_weight wt)
{
	return face_get(t, font_manifest_entry(&t->m, fam, wt == TT_BOLD),
	    NULL);
}

int
tt_new(struct tt **out, const char *lang, const char *manifest,
    struct kerr *err)
{
	struct tt *t;
	const char *langs[2] = { "ja", lang };
	int i, w, rc;

	*out = NULL;
	if (lang == NULL)
		return kerr_set(err, K_EINVAL, "print: no language");
	t = xcalloc(1, sizeof(*t));
	if ((rc = font_manifest_parse(&t->m, manifest, err)) != K_OK) {
		free(t);
		return rc;
	}
	if (FT_Init_FreeType(&t->lib) != 0) {
		font_manifest_release(&t->m);
		free(t);
		return kerr_set(err, K_EFAIL, "print: FreeType init failed");
	}
	/* The primary fonts must be there; fallbacks load when needed. */
	for (i = 0; i < 2; i++) {
		int fam = font_manifest_family(&t->m, langs[i]);
		for (w = TT_REGULAR; w <= TT_BOLD; w++)
			if (face_get(t, font_manifest_entry(&t->m, fam,
			    w == TT_BOLD), err) == NULL) {
				tt_free(t);
				return K_ENOTFOUND;
			}
	}
	*out = t;
	return K_OK;
}

void
tt_free(struct tt *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < FONT_MAX; i++)
		if (t->faces[i].hb != NULL)
			hb_font_destroy(t->faces[i].hb); /* drops the FT_Face */
	FT_Done_FreeType(t->lib);
	font_manifest_release(&t->m);
	free(t);
}

/* Decode one code point of s[0..len) at *i (utf8.h). */
static unsigned
next_cp(const char *s, size_t len, size_t *i)
{
	const char *p = s + *i;
	unsigned c = utf8_next(&p, s + len);

	*i = (size_t)(p - s);
	return c;
}

struct provides_arg {
	struct tt *t;
	enum tt_weight wt;
};

/* Does family fam have cp?  (text_split_runs asks; fontchain.h) */
static bool
provides(int fam, uint32_t cp, void *varg)
{
	struct provides_arg *a = varg;
	struct face *f = face_of(a->t, fam, a->wt);

	return f != NULL && FT_Get_Char_Index(f->ft, cp) != 0;
}

/*
 * Shape s[0..len) with font fallback; returns the glyph count.  The runs
 * are the screen's (text_split_runs over the manifest's chain); runs of one
 * font next to each other are shaped as one piece, so kerning and
 * contextual forms carry across a change of script within a font.
 */
static size_t
shape(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *s, size_t len, struct glyph **out)
{
	struct provides_arg pa = { t, wt };
	struct text_run runs[MAX_RUNS];
	struct glyph *g = NULL;
	size_t ng = 0, cap = 0, nr, r = 0;
	hb_buffer_t *buf = hb_buffer_create();

	nr = text_split_runs(s, len, font_manifest_family(&t->m, lang),
	    t->m.nfamilies, provides, &pa, runs, MAX_RUNS, NULL, NULL);
	while (r < nr) {
		size_t start = runs[r].start, end = start + runs[r].len;
		struct face *f = face_of(t, runs[r].family, wt);
		hb_glyph_info_t *info;
		hb_glyph_position_t *pos;
		unsigned n, j;

		for (r++; r < nr && runs[r].family == runs[r - 1].family; r++)
			end = runs[r].start + runs[r].len;
		if (f == NULL)
			continue;
		face_size(f, px);
		hb_buffer_clear_contents(buf);
		hb_buffer_add_utf8(buf, s, (int)len, (unsigned)start,
		    (int)(end - start));
		hb_buffer_guess_segment_properties(buf);
		hb_shape(f->hb, buf, NULL, 0);
		info = hb_buffer_get_glyph_infos(buf, &n);
		pos = hb_buffer_get_glyph_positions(buf, &n);
		if (ng + n > cap) {
			cap = (ng + n) * 2;
			g = xrealloc(g, cap * sizeof(*g));
		}
		for (j = 0; j < n; j++) {
			g[ng].f = f;
			g[ng].gid = info[j].codepoint;
			g[ng].x_adv = pos[j].x_advance;
			g[ng].x_off = pos[j].x_offset;
			g[ng].y_off = pos[j].y_offset;
			ng++;
		}
	}
	hb_buffer_destroy(buf);
	*out = g;
	return ng;
}

static int
width_of(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *s, size_t len)
{
	struct glyph *g;
	size_t n, i;
	long w = 0;

	if (len == 0 || lang == NULL)
		return 0;
	n = shape(t, lang, wt, px, s, len, &g);
	for (i = 0; i < n; i++)
		w += g[i].x_adv;
	free(g);
	return (int)((w + 63) >> 6);
}

int
tt_width(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *utf8)
{
	return width_of(t, lang, wt, px, utf8, strlen(utf8));
}

static void
metrics(struct tt *t, const char *lang, enum tt_weight wt, int px, int *asc,
    int *desc)
{
	struct face *f = face_of(t, font_manifest_family(&t->m, lang), wt);
	long upem;

	if (f == NULL || (upem = f->ft->units_per_EM) == 0) {
		*asc = px;
		*desc = px / 4;
		return;
	}
	*asc = (int)((f->ft->ascender * (long)px + upem - 1) / upem);
	*desc = (int)((-f->ft->descender * (long)px + upem - 1) / upem);
}

int
tt_line_height(struct tt *t, const char *lang, enum tt_weight wt, int px)
{
	int a, d;

	metrics(t, lang, wt, px, &a, &d);
	return a + d + px / 12;
}

int
tt_ascent(struct tt *t, const char *lang, enum tt_weight wt, int px)
{
	int a, d;

	metrics(t, lang, wt, px, &a, &d);
	return a;
}

static void
draw_glyphs(struct bitmap *bm, const struct glyph *g, size_t n, int px,
    int x, int baseline)
{
	long pen = (long)x << 6;
	size_t i;
	int r, c;

	for (i = 0; i < n; i++) {
		FT_GlyphSlot slot;
		FT_Bitmap *b;
		int gx, gy;

		face_size(g[i].f, px);
		if (FT_Load_Glyph(g[i].f->ft, g[i].gid, FT_LOAD_DEFAULT |
		    FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) != 0 ||
		    FT_Render_Glyph(g[i].f->ft->glyph,
		    FT_RENDER_MODE_NORMAL) != 0) {
			pen += g[i].x_adv;
			continue;
		}
		slot = g[i].f->ft->glyph;
		b = &slot->bitmap;
		gx = (int)((pen + g[i].x_off + 32) >> 6) + slot->bitmap_left;
		gy = baseline - (int)((g[i].y_off + 32) >> 6) - slot->bitmap_top;
		if (b->pixel_mode == FT_PIXEL_MODE_GRAY) {
			for (r = 0; r < (int)b->rows; r++)
				for (c = 0; c < (int)b->width; c++)
					if (b->buffer[r * b->pitch + c] >= 128)
						bitmap_set(bm, gx + c, gy + r,
						    true);
		}
		pen += g[i].x_adv;
	}
}

int
tt_draw_line(struct tt *t, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, int x, int y, const char *utf8)
{
	struct glyph *g;
	size_t n, i;
	long w = 0;

	n = shape(t, lang, wt, px, utf8, strlen(utf8), &g);
	for (i = 0; i < n; i++)
		w += g[i].x_adv;
	draw_glyphs(bm, g, n, px, x, y + tt_ascent(t, lang, wt, px));
	free(g);
	return (int)((w + 63) >> 6);
}

static void
draw_one(struct tt *t, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, const char *s, size_t len, int x, int w,
    int y, enum tt_align align)
{
	struct glyph *g;
	size_t n, i;
	long lw = 0;
	int dx = x;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && s[0] == ' ')
		s++, len--;
	n = shape(t, lang, wt, px, s, len, &g);
	for (i = 0; i < n; i++)
		lw += g[i].x_adv;
	lw = (lw + 63) >> 6;
	if (align == TT_CENTER)
		dx = x + (w - (int)lw) / 2;
	else if (align == TT_RIGHT)
		dx = x + w - (int)lw;
	draw_glyphs(bm, g, n, px, dx, y + tt_ascent(t, lang, wt, px));
	free(g);
}

static int
trimmed_width(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && s[0] == ' ')
		s++, len--;
	return width_of(t, lang, wt, px, s, len);
}

/* Append line s[0..len), its outer spaces trimmed, to out ('\n' first
 * unless it is the first line). */
static void
note_line(char *out, size_t outlen, const char *s, size_t len)
{
	size_t at;

	if (out == NULL || outlen == 0)
		return;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && s[0] == ' ')
		s++, len--;
	at = strlen(out);
	snprintf(out + at, outlen - at, "%s%.*s", at > 0 ? "\n" : "",
	    (int)len, s);
}

/* Break utf8 into lines of width w; draw them when bm is set, note their
 * text in out when it is set. */
static int
wrap(struct tt *t, struct bitmap *bm, const char *lang, enum tt_weight wt,
    int px, const char *utf8, int x, int w, int *y, enum tt_align align,
    int max_lines, char *out, size_t outlen)
{
	const char *s = utf8;
	size_t len = strlen(utf8), start = 0;
	int lh = tt_line_height(t, lang, wt, px), lines = 0;

	/* やさしい日本語 is written with spaces between words: break there. */
	bool spaced = strcmp(lang, "ja-easy") == 0;

	while (start < len && lines < max_lines) {
		size_t i = start, best = 0, best_space = 0, last_fit_char = 0;
		unsigned prev = 0;
		bool forced = false;

		while (s[start] == ' ' && start < len)
			start++;
		i = start;
		/* Greedy: the furthest break opportunity that still fits. */
		while (i < len) {
			size_t at = i;
			unsigned c = next_cp(s, len, &i);

			if (c == '\n') {
				best = at;
				forced = true;
				break;
			}
			if (at > start && lb_break_between(prev, c)) {
				if (trimmed_width(t, lang, wt, px, s + start,
				    at - start) <= w) {
					best = at;
					if (prev == ' ')
						best_space = at;
				} else
					break;
			}
			if (trimmed_width(t, lang, wt, px, s + start,
			    i - start) <= w)
				last_fit_char = i;
			prev = c;
		}
		if (i >= len && !forced &&
		    trimmed_width(t, lang, wt, px, s + start, len - start) <= w)
			best = len;
		if (spaced && best < len && !forced && best_space > start)
			best = best_space;
		if (best <= start && !forced) /* one word wider than the line */
			best = last_fit_char > start ? last_fit_char : i;
		if (lines == max_lines - 1 && best < len && !forced) {
			/* Last allowed line: cut and end with an ellipsis. */
			char *tmp = xmalloc(len - start + 4);
			size_t n = len - start;

			for (;;) {
				memcpy(tmp, s + start, n);
				memcpy(tmp + n, "\xe2\x80\xa6", 4);
				if (n == 0 || trimmed_width(t, lang, wt, px, tmp,
				    n + 3) <= w)
					break;
				do
					n--;
				while (n > 0 && ((unsigned char)s[start + n] &
				    0xc0) == 0x80);
			}
			if (bm != NULL)
				draw_one(t, bm, lang, wt, px, tmp, n + 3, x, w,
				    *y, align);
			note_line(out, outlen, tmp, n + 3);
			free(tmp);
			*y += lh;
			return lines + 1;
		}
		if (bm != NULL)
			draw_one(t, bm, lang, wt, px, s + start, best - start,
			    x, w, *y, align);
		note_line(out, outlen, s + start, best - start);
		*y += lh;
		lines++;
		start = best;
		if (forced)
			start++;
	}
	return lines;
}

int
tt_draw_wrapped(struct tt *t, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, const char *utf8, int x, int w, int *y,
    enum tt_align align, int max_lines)
{
	return wrap(t, bm, lang, wt, px, utf8, x, w, y, align, max_lines, NULL,
	    0);
}

int
tt_break(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *utf8, int w, int max_lines, char *out, size_t outlen)
{
	int y = 0;

	if (outlen > 0)
		out[0] = '\0';
	return wrap(t, NULL, lang, wt, px, utf8, 0, w, &y, TT_LEFT, max_lines,
	    out, outlen);
}
