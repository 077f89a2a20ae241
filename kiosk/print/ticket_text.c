/*
 * ticket_text.c - shaped text into a 1-bit bitmap: FreeType renders,
 * HarfBuzz shapes (Vietnamese marks, Japanese, Hangul), greedy line
 * breaking at the opportunities of linebreak.h (kinsoku as on screen).
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

#include "linebreak.h"
#include "ticket_text.h"
#include "utf8.h"
#include "xmalloc.h"

#define FONT_BIZUD_R "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf"
#define FONT_BIZUD_B "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Bold.ttf"
#define FONT_NOTO_R  "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
#define FONT_NOTO_B  "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
#define FONT_CJK_R   "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define FONT_CJK_B   "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

enum { CJK_JP = 0, CJK_KR = 1, CJK_SC = 2 };

struct font_ref {
	const char *regular, *bold;
	int index;
};

static const struct font_ref f_bizud = { FONT_BIZUD_R, FONT_BIZUD_B, 0 };
static const struct font_ref f_noto = { FONT_NOTO_R, FONT_NOTO_B, 0 };
static const struct font_ref f_cjk_jp = { FONT_CJK_R, FONT_CJK_B, CJK_JP };
static const struct font_ref f_cjk_kr = { FONT_CJK_R, FONT_CJK_B, CJK_KR };
static const struct font_ref f_cjk_sc = { FONT_CJK_R, FONT_CJK_B, CJK_SC };

#define SET_MAX 3

/* Fonts per language, first is the primary (ui-accessibility.md §12). */
static const struct font_set {
	const char *lang;
	const struct font_ref *fonts[SET_MAX];
} font_sets[] = {
	{ "ja",      { &f_bizud, &f_cjk_jp, &f_noto } },
	{ "ja-easy", { &f_bizud, &f_cjk_jp, &f_noto } },
	{ "en",      { &f_bizud, &f_noto, &f_cjk_jp } },
	{ "tl",      { &f_bizud, &f_noto, &f_cjk_jp } },
	{ "pt",      { &f_bizud, &f_noto, &f_cjk_jp } },
	{ "vi",      { &f_noto, &f_bizud, &f_cjk_jp } },
	{ "zh",      { &f_cjk_sc, &f_bizud, &f_noto } },
	{ "ko",      { &f_cjk_kr, &f_bizud, &f_noto } },
};

#define FACE_MAX 12

struct face {
	const char *path;
	int index;
	FT_Face ft;
	hb_font_t *hb;
	int px;            /* size currently set */
	bool failed;       /* tried and could not load */
};

struct tt {
	FT_Library lib;
	struct face faces[FACE_MAX];
	int nfaces;
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

static const struct font_set *
set_for(const char *lang)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(font_sets); i++)
		if (strcmp(font_sets[i].lang, lang) == 0)
			return &font_sets[i];
	return NULL;
}

static struct face *
face_get(struct tt *t, const char *path, int index, struct kerr *err)
{
	struct face *f;
	char full[512];
	int i;

	for (i = 0; i < t->nfaces; i++) {
		f = &t->faces[i];
		if (f->index == index && strcmp(f->path, path) == 0) {
			if (f->failed) {
				kerr_set(err, K_ENOTFOUND,
				    "print: font %s (face %d) cannot be loaded",
				    path, index);
				return NULL;
			}
			return f;
		}
	}
	if (t->nfaces == FACE_MAX) {
		kerr_set(err, K_EFAIL, "print: too many fonts");
		return NULL;
	}
	f = &t->faces[t->nfaces++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->index = index;
	snprintf(full, sizeof(full), "%s%s", font_root, path);
	if (FT_New_Face(t->lib, full, index, &f->ft) != 0) {
		f->ft = NULL;
		f->failed = true;
		kerr_set(err, K_ENOTFOUND,
		    "print: font %s (face %d) is missing or unreadable; install "
		    "fonts-morisawa-bizud-gothic, fonts-noto-core, fonts-noto-cjk",
		    full, index);
		return NULL;
	}
	f->hb = hb_ft_font_create_referenced(f->ft);
	hb_ft_font_set_load_flags(f->hb, FT_LOAD_DEFAULT | FT_LOAD_NO_HINTING);
	return f;
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

static struct face *
face_of(struct tt *t, const char *lang, enum tt_weight wt, int k)
{
	const struct font_set *s = set_for(lang);
	const struct font_ref *r;

	if (s == NULL)
		s = &font_sets[0];
	r = s->fonts[k];
	return face_get(t, wt == TT_BOLD ? r->bold : r->regular, r->index,
	    NULL);
}

int
tt_new(struct tt **out, const char *lang, struct kerr *err)
{
	struct tt *t;
	const struct font_set *s;
	const char *langs[2] = { "ja", lang };
	int i, w;

	*out = NULL;
	if (lang == NULL || (s = set_for(lang)) == NULL)
		return kerr_set(err, K_EINVAL,
		    "print: language '%s' has no ticket fonts (ja ja-easy en "
		    "zh ko vi tl pt)", lang != NULL ? lang : "(null)");
	t = xcalloc(1, sizeof(*t));
	if (FT_Init_FreeType(&t->lib) != 0) {
		free(t);
		return kerr_set(err, K_EFAIL, "print: FreeType init failed");
	}
	/* The primary fonts must be there; fallbacks load when needed. */
	for (i = 0; i < 2; i++) {
		s = set_for(langs[i]);
		for (w = TT_REGULAR; w <= TT_BOLD; w++) {
			const struct font_ref *r = s->fonts[0];
			if (face_get(t, w == TT_BOLD ? r->bold : r->regular,
			    r->index, err) == NULL) {
				tt_free(t);
				return K_ENOTFOUND;
			}
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
	for (i = 0; i < t->nfaces; i++)
		if (t->faces[i].hb != NULL)
			hb_font_destroy(t->faces[i].hb); /* drops the FT_Face */
	FT_Done_FreeType(t->lib);
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

static bool
is_mark(unsigned c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || c == 0x200d || c == 0x3099 ||
	    c == 0x309a;
}

/* Shape s[0..len) with font fallback; returns the glyph count. */
static size_t
shape(struct tt *t, const char *lang, enum tt_weight wt, int px,
    const char *s, size_t len, struct glyph **out)
{
	struct glyph *g = NULL;
	size_t ng = 0, cap = 0, i = 0, run_start;
	struct face *run_face = NULL, *f;
	hb_buffer_t *buf = hb_buffer_create();
	int k;

	/* Runs of characters the same font has; marks and spaces stay with
	 * the run before them. */
	i = 0;
	run_face = NULL;
	run_start = 0;
	for (;;) {
		size_t at = i;
		unsigned c = 0;
		bool end = i >= len;

		f = NULL;
		if (!end) {
			c = next_cp(s, len, &i);
			if (run_face != NULL && (is_mark(c) || c == ' '))
				f = run_face;
			for (k = 0; f == NULL && k < SET_MAX; k++) {
				struct face *cand = face_of(t, lang, wt, k);
				if (cand != NULL &&
				    FT_Get_Char_Index(cand->ft, c) != 0)
					f = cand;
			}
			if (f == NULL)
				f = run_face != NULL ? run_face :
				    face_of(t, lang, wt, 0);
			if (f == run_face)
				continue;
		}
		if (run_face != NULL && at > run_start) {
			hb_glyph_info_t *info;
			hb_glyph_position_t *pos;
			unsigned n, j;

			face_size(run_face, px);
			hb_buffer_clear_contents(buf);
			hb_buffer_add_utf8(buf, s, (int)len, (unsigned)run_start,
			    (int)(at - run_start));
			hb_buffer_guess_segment_properties(buf);
			hb_shape(run_face->hb, buf, NULL, 0);
			info = hb_buffer_get_glyph_infos(buf, &n);
			pos = hb_buffer_get_glyph_positions(buf, &n);
			if (ng + n > cap) {
				cap = (ng + n) * 2;
				g = xrealloc(g, cap * sizeof(*g));
			}
			for (j = 0; j < n; j++) {
				g[ng].f = run_face;
				g[ng].gid = info[j].codepoint;
				g[ng].x_adv = pos[j].x_advance;
				g[ng].x_off = pos[j].x_offset;
				g[ng].y_off = pos[j].y_offset;
				ng++;
			}
		}
		if (end)
			break;
		run_face = f;
		run_start = at;
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
	struct face *f = face_of(t, lang, wt, 0);
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
