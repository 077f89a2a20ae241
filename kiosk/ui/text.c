/*
 * text.c - text with a font fallback chain, HarfBuzz runs, line breaking,
 * ruby (furigana) and a texture cache; the only SDL_ttf user.
 *
 * A string is laid out once into a "block": lines of pieces, each piece one
 * run of one font and one script, shaped by SDL_ttf's HarfBuzz.  The block
 * is rendered once into a coverage mask, from which a texture is made in
 * each colour it is drawn in; blocks live in an LRU cache with a byte
 * budget, so a redraw of an unchanged screen copies textures and shapes
 * nothing.  Faces are opened on first use; every file of the manifest is
 * checked at start so a missing one stops the kiosk (R12.5).
 *
 * Line height comes from the base em (R3.4), never from the fallback font's
 * line box; fallback fonts are scaled to match cap heights (R3.7).
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "ui_core.h"
#include "xmalloc.h"

#define MAX_RUNS 256

struct text_font {
	TTF_Font *font;      /* opened on first use */
	bool broken;         /* FreeType refused it: logged once */
	int px;              /* size set now */
	char script[5];      /* script set now */
};

struct text {
	struct font_manifest m;
	struct text_font f[FONT_MAX];
	SDL_Renderer *ren;
	struct lru *cache;
	bool harfbuzz;
	/* the block looked up last: a widget measures, then draws */
	struct block *memo;
	struct text_params memo_p;
	char memo_lang[16];      /* memo_p.lang points here */
};

/* One run placed in the block. */
struct piece {
	int entry;           /* manifest font entry */
	int px;              /* size in px (scaled) */
	char script[5];
	size_t start, len;   /* bytes in block->str */
	int x, y;            /* top-left of the glyph surface in the block */
};

#define TINTS 3

/*
 * The pixels: a white-on-alpha mask cropped to the ink, and textures made
 * from it in the colours asked for.  Textures carry their colour instead
 * of a colour modulation because the software renderer blends modulated
 * textures with a slow generic loop but plain ones with a fast one that
 * skips transparent pixels.
 */
struct block {
	char *key;
	const char *text;    /* the string, inside key */
	struct text *owner;
	char *lines;         /* base text of the lines, '\n' between */
	char *str;           /* the text of all pieces */
	struct piece *p;
	size_t np, cap;
	struct text_info info;
	uint8_t *mask;       /* coverage, 1 byte a pixel; NULL: no pixels */
	int mw, mh;
	int ox, oy;          /* mask's top-left relative to the block's */
	struct {
		uint32_t rgb;
		SDL_Texture *tex;
	} tint[TINTS];
	int ntint;
	size_t bytes;
};

/* ---- fonts ---- */

static int scaled_px(const struct text *t, int entry, int px);

/*
 * Font files are read through a small buffer with pread(): FreeType asks
 * for many small pieces, which stdio turned into a seek and a read system
 * call each; mapping the files instead kept megabytes of CJK font pages
 * resident.
 */
struct font_reader {
	int fd;
	Sint64 size, pos, boff;
	size_t blen;
	uint8_t buf[16384];
};

static Sint64
fr_size(SDL_RWops *rw)
{
	return ((struct font_reader *)rw->hidden.unknown.data1)->size;
}

static Sint64
fr_seek(SDL_RWops *rw, Sint64 off, int whence)
{
	struct font_reader *r = rw->hidden.unknown.data1;
	Sint64 to = whence == RW_SEEK_SET ? off : whence == RW_SEEK_CUR ?
	    r->pos + off : r->size + off;

	if (to < 0 || to > r->size)
		return SDL_SetError("seek outside the font file");
	r->pos = to;
	return to;
}

static size_t
fr_read(SDL_RWops *rw, void *ptr, size_t size, size_t num)
{
	struct font_reader *r = rw->hidden.unknown.data1;
	size_t want, done = 0;

	if (size == 0 || num == 0)
		return 0;
	want = size * num;
	while (done < want && r->pos < r->size) {
		if (r->pos >= r->boff && r->pos < r->boff + (Sint64)r->blen) {
			size_t at = (size_t)(r->pos - r->boff);
			size_t n = r->blen - at;
			if (n > want - done)
				n = want - done;
			memcpy((uint8_t *)ptr + done, r->buf + at, n);
			done += n;
			r->pos += (Sint64)n;
			continue;
		}
		if (want - done >= sizeof(r->buf)) {
			ssize_t n = pread(r->fd, (uint8_t *)ptr + done,
			    want - done, r->pos);
			if (n <= 0)
				break;
			done += (size_t)n;
			r->pos += n;
			continue;
		}
		ssize_t n = pread(r->fd, r->buf, sizeof(r->buf), r->pos);
		if (n <= 0)
			break;
		r->boff = r->pos;
		r->blen = (size_t)n;
	}
	return done / size;
}

static size_t
fr_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
	(void)rw; (void)ptr; (void)size; (void)num;
	SDL_SetError("font files are read-only");
	return 0;
}

static int
fr_close(SDL_RWops *rw)
{
	struct font_reader *r = rw->hidden.unknown.data1;

	close(r->fd);
	free(r);
	SDL_FreeRW(rw);
	return 0;
}

/* An SDL_RWops over path, or NULL with err set (no such file...). */
static SDL_RWops *
font_open_file(const char *path, struct kerr *err)
{
	struct font_reader *r;
	struct stat sb;
	SDL_RWops *rw;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		kerr_set(err, K_ENOTFOUND, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0) {
		kerr_set(err, K_EIO, "%s: not a readable font file", path);
		close(fd);
		return NULL;
	}
	if ((rw = SDL_AllocRW()) == NULL) {
		kerr_set(err, K_EFAIL, "%s: %s", path, SDL_GetError());
		close(fd);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->size = sb.st_size;
	rw->size = fr_size;
	rw->seek = fr_seek;
	rw->read = fr_read;
	rw->write = fr_write;
	rw->close = fr_close;
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->hidden.unknown.data1 = r;
	return rw;
}

/*
 * The face of manifest entry `entry`, opened on first use: opening a face
 * parses its tables (tens of thousands of glyphs for the CJK faces), and a
 * screen rarely needs all ten.  The files were mapped and checked at start.
 */
static TTF_Font *
face(struct text *t, int entry)
{
	struct text_font *f = &t->f[entry];
	const struct font_entry *e = &t->m.fonts[entry];
	SDL_RWops *rw;

	if (f->font != NULL || f->broken)
		return f->font;
	rw = font_open_file(e->path, NULL);
	f->px = scaled_px(t, entry, 32);
	f->font = rw == NULL ? NULL : TTF_OpenFontIndexRW(rw, 1, f->px, e->face);
	if (f->font == NULL) {
		klog("error", "ui", "font %s (%s, face %d) cannot be opened: %s; "
		    "its characters will show as missing", e->name, e->path,
		    e->face, TTF_GetError());
		f->broken = true;
		return NULL;
	}
	/* at kiosk sizes (16 px and up) outlines need no grid fitting, and
	 * the TrueType hinting interpreter was most of the cost of laying out
	 * a new screen */
	TTF_SetFontHinting(f->font, TTF_HINTING_NONE);
	f->script[0] = '\0';
	return f->font;
}

static TTF_Font *
font_at(struct text *t, int entry, int px, const char *script)
{
	struct text_font *f = &t->f[entry];

	if (face(t, entry) == NULL)
		return NULL;
	if (f->px != px) {
		if (TTF_SetFontSize(f->font, px) == 0)
			f->px = px;
	}
	if (t->harfbuzz && script != NULL && strcmp(f->script, script) != 0) {
		if (TTF_SetFontScriptName(f->font, script) == 0)
			memcpy(f->script, script, 5);
	}
	return f->font;
}

static int
scaled_px(const struct text *t, int entry, int px)
{
	return (int)lround(px * t->m.fonts[entry].scale);
}

struct provides_arg {
	struct text *t;
	bool bold;
};

static bool
provides(int family, uint32_t cp, void *varg)
{
	struct provides_arg *a = varg;
	int e = font_manifest_entry(&a->t->m, family, a->bold);
	TTF_Font *f = e >= 0 ? face(a->t, e) : NULL;

	return f != NULL && TTF_GlyphIsProvided32(f, cp) != 0;
}

/* Zero a surface's pixels before it is freed. */
static void
surface_free_wiped(SDL_Surface *s)
{
	if (s == NULL)
		return;
	if (SDL_LockSurface(s) == 0) {
		explicit_bzero(s->pixels, (size_t)s->h * (size_t)s->pitch);
		SDL_UnlockSurface(s);
	}
	SDL_FreeSurface(s);
}

/* Overwrite a w x h texture with transparent black, then destroy it: the
 * renderer's copy of the pixels is freed without being cleared. */
static void
texture_wipe(SDL_Texture *tex, int w, int h)
{
	void *zero;

	if (tex == NULL)
		return;
	if (w > 0 && h > 0 && (zero = calloc((size_t)w * (size_t)h, 4)) != NULL) {
		SDL_UpdateTexture(tex, NULL, zero, w * 4);
		free(zero);
	}
	SDL_DestroyTexture(tex);
}

static void
block_free(void *v, void *arg)
{
	struct block *b = v;

	(void)arg;
	if (b == NULL)
		return;
	if (b->owner != NULL && b->owner->memo == b)
		b->owner->memo = NULL;
	/* a block may be the resident's name or address: its text and its
	 * pixels are wiped, not just freed (DESIGN.md §5) */
	for (int i = 0; i < b->ntint; i++)
		texture_wipe(b->tint[i].tex, b->mw, b->mh);
	if (b->mask != NULL)
		xfree_wipe(b->mask, (size_t)b->mw * (size_t)b->mh);
	xfree_wipe_str(b->key);
	xfree_wipe_str(b->str);
	xfree_wipe_str(b->lines);
	xfree_wipe(b->p, b->cap * sizeof(*b->p));
	free(b);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The file is there, is a font and has the face asked for (headers only:
 * the face itself is opened on first use). */
static int
check_face(const struct font_entry *e, const char *manifest, struct kerr *err)
{
	uint8_t p[12];
	uint32_t tag;
	struct kerr ferr;
	SDL_RWops *rw = font_open_file(e->path, &ferr);
	size_t n;

	if (rw == NULL)
		return kerr_set(err, ferr.code, "font %s (face %d) from %s: %s",
		    e->name, e->face, manifest, ferr.msg);
	n = SDL_RWread(rw, p, 1, sizeof(p));
	SDL_RWclose(rw);
	if (n < sizeof(p))
		return kerr_set(err, K_EPARSE, "font %s from %s: %s is too "
		    "short to be a font", e->name, manifest, e->path);
	tag = be32(p);
	if (tag == 0x74746366) {   /* 'ttcf' */
		uint32_t faces = be32(p + 8);
		if ((uint32_t)e->face >= faces)
			return kerr_set(err, K_EPARSE, "font %s from %s: %s has "
			    "%u faces, face %d asked for", e->name, manifest,
			    e->path, (unsigned)faces, e->face);
		return K_OK;
	}
	if (tag != 0x00010000 && tag != 0x4f54544f && tag != 0x74727565)
		return kerr_set(err, K_EPARSE, "font %s from %s: %s is not a "
		    "TrueType or OpenType font", e->name, manifest, e->path);
	if (e->face != 0)
		return kerr_set(err, K_EPARSE, "font %s from %s: %s holds one "
		    "face, face %d asked for", e->name, manifest, e->path,
		    e->face);
	return K_OK;
}

int
text_open(struct text **out, const char *manifest, void *renderer,
    size_t cache_bytes, struct kerr *err)
{
	struct text *t;
	int i, rc;

	*out = NULL;
	if (TTF_WasInit() == 0 && TTF_Init() != 0)
		return kerr_set(err, K_EFAIL, "TTF_Init: %s", TTF_GetError());
	t = xcalloc(1, sizeof(*t));
	if ((rc = font_manifest_parse(&t->m, manifest, err)) != K_OK) {
		free(t);
		return rc;
	}
	for (i = 0; i < t->m.nfonts; i++)
		if ((rc = check_face(&t->m.fonts[i], manifest, err)) != K_OK) {
			text_close(t);
			return rc;
		}
	/* KIOSK_FONTS_EAGER=1 opens every face now (`make bench` measures
	 * memory with all of them open) */
	if (getenv("KIOSK_FONTS_EAGER") != NULL)
		for (i = 0; i < t->m.nfonts; i++)
			face(t, i);
	{
		int major, minor, patch;
		TTF_GetHarfBuzzVersion(&major, &minor, &patch);
		t->harfbuzz = major > 0 || minor > 0;
		if (!t->harfbuzz)
			klog("warn", "ui", "SDL_ttf without HarfBuzz: Thai and "
			    "Vietnamese marks may stack wrongly");
	}
	t->ren = renderer;
	lru_new(&t->cache, cache_bytes, block_free, NULL);
	*out = t;
	return K_OK;
}

void
text_close(struct text *t)
{
	int i;

	if (t == NULL)
		return;
	lru_free(t->cache);
	for (i = 0; i < t->m.nfonts; i++)
		if (t->f[i].font != NULL)
			TTF_CloseFont(t->f[i].font);
	font_manifest_release(&t->m);
	free(t);
}

const struct font_manifest *
text_manifest(const struct text *t)
{
	return &t->m;
}

struct lru *
text_cache(struct text *t)
{
	return t->cache;
}

void
text_forget(struct text *t)
{
	if (t == NULL)
		return;
	lru_clear(t->cache);
	t->memo = NULL;
	explicit_bzero(&t->memo_p, sizeof(t->memo_p));
}

size_t
text_runs(struct text *t, const char *utf8, const char *lang,
    struct text_run *runs, size_t max)
{
	struct provides_arg a = { t, false };

	return text_split_runs(utf8, strlen(utf8),
	    font_manifest_family(&t->m, lang), t->m.nfamilies, provides, &a,
	    runs, max, NULL, NULL);
}

int
text_missing(struct text *t, const char *utf8, const char *lang,
    uint32_t *first_missing)
{
	struct provides_arg a = { t, false };
	struct text_run runs[8];
	int missing = 0;
	uint32_t first = 0;

	/* the run table only needs to be big enough to keep going */
	text_split_runs(utf8, strlen(utf8), font_manifest_family(&t->m, lang),
	    t->m.nfamilies, provides, &a, runs, ARRAY_SIZE(runs), &missing,
	    &first);
	if (first_missing != NULL)
		*first_missing = first;
	return missing;
}

/* ---- line breaking ---- */

/*
 * The text as elements: one per code point of plain text, one per ruby
 * group.  Atoms are runs of elements with no break opportunity inside.
 */
struct elem {
	const char *s;
	size_t len;
	const char *ruby;    /* NULL: plain */
	size_t rlen;
	uint32_t first, last;
};

struct atom {
	size_t first, count; /* elements */
	size_t trail;        /* trailing space elements */
	bool newline;        /* forced break after */
	int w, trail_w;
};

struct elems {
	struct elem *e;
	size_t ne, cape;
	struct atom *a;
	size_t na, capa;
};

static void
elem_add(struct elems *x, const char *s, size_t len, const char *ruby,
    size_t rlen, uint32_t first, uint32_t last)
{
	if (x->ne == x->cape) {
		x->cape = x->cape ? x->cape * 2 : 64;
		x->e = xrealloc(x->e, x->cape * sizeof(*x->e));
	}
	x->e[x->ne++] = (struct elem){ s, len, ruby, rlen, first, last };
}

static struct atom *
atom_add(struct elems *x, size_t first)
{
	if (x->na == x->capa) {
		x->capa = x->capa ? x->capa * 2 : 32;
		x->a = xrealloc(x->a, x->capa * sizeof(*x->a));
	}
	memset(&x->a[x->na], 0, sizeof(x->a[0]));
	x->a[x->na].first = first;
	return &x->a[x->na++];
}

/*
 * Atoms end where linebreak.h allows a break (the rules the ticket uses
 * too); "\n" forces one.
 */
static void
make_atoms(const struct ruby_seg *segs, size_t nseg, struct elems *x)
{
	struct atom *cur = NULL;
	size_t i;

	for (i = 0; i < nseg; i++) {
		const struct ruby_seg *sg = &segs[i];
		const char *p = sg->base, *end = sg->base + sg->base_len;

		if (sg->ruby != NULL) {
			uint32_t first = utf8_next(&p, end), last = first;
			while (p < end)
				last = utf8_next(&p, end);
			elem_add(x, sg->base, sg->base_len, sg->ruby,
			    sg->ruby_len, first, last);
			continue;
		}
		while (p < end) {
			const char *at = p;
			uint32_t cp = utf8_next(&p, end);
			elem_add(x, at, (size_t)(p - at), NULL, 0, cp, cp);
		}
	}
	for (i = 0; i < x->ne; i++) {
		const struct elem *e = &x->e[i];
		bool brk = true;

		if (cur != NULL && !cur->newline) {
			uint32_t prev = x->e[i - 1].last, cp = e->first;

			brk = lb_break_between(prev, cp);
		}
		if (brk)
			cur = atom_add(x, i);
		cur->count++;
		if (e->ruby == NULL && e->first == '\n')
			cur->newline = true;
		else if (e->ruby == NULL && lb_is_space(e->first))
			cur->trail++;
		else
			cur->trail = 0;
	}
}

/* ---- measuring and placing runs ---- */

static int
run_width(struct text *t, const struct text_run *r, const char *s, int px,
    bool bold)
{
	int e = font_manifest_entry(&t->m, r->family, bold);
	TTF_Font *f = font_at(t, e, scaled_px(t, e, px), r->script);
	char buf[1024], *tmp = NULL;
	const char *str = buf;
	int w = 0, h = 0;

	if (r->len < sizeof(buf)) {
		memcpy(buf, s + r->start, r->len);
		buf[r->len] = '\0';
	} else {
		tmp = xstrndup(s + r->start, r->len);
		str = tmp;
	}
	if (f == NULL || TTF_SizeUTF8(f, str, &w, &h) != 0)
		w = 0;
	free(tmp);
	return w;
}

/* Width of s[0..len) laid out as runs; missing glyphs added to info. */
static int
span_width(struct text *t, const char *s, size_t len, int primary, int px,
    bool bold, struct text_info *info)
{
	struct provides_arg a = { t, bold };
	struct text_run runs[MAX_RUNS];
	size_t n, i;
	int w = 0, missing = 0;
	uint32_t first = 0;

	n = text_split_runs(s, len, primary, t->m.nfamilies, provides, &a,
	    runs, MAX_RUNS, &missing, &first);
	for (i = 0; i < n; i++)
		w += run_width(t, &runs[i], s, px, bold);
	if (info != NULL && missing > 0) {
		if (info->missing == 0)
			info->first_missing = first;
		info->missing += missing;
	}
	return w;
}

struct strbuf {
	char *s;
	size_t len, cap;
};

static size_t
sb_add(struct strbuf *sb, const char *s, size_t n)
{
	size_t at = sb->len;

	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2;
		sb->s = xrealloc(sb->s, sb->cap);
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return at;
}

static struct piece *
piece_new(struct block *b)
{
	if (b->np == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->p = xrealloc(b->p, b->cap * sizeof(*b->p));
	}
	memset(&b->p[b->np], 0, sizeof(b->p[0]));
	return &b->p[b->np++];
}

/* Baseline offset in a band of height band for a base em of px. */
static int
baseline_in(struct text *t, int primary, bool bold, int px, int band)
{
	int e = font_manifest_entry(&t->m, primary, bold);
	TTF_Font *f = font_at(t, e, scaled_px(t, e, px), NULL);
	int asc, desc;

	if (f == NULL)
		return band * 4 / 5;
	asc = TTF_FontAscent(f);
	desc = -TTF_FontDescent(f);
	return (band - (asc + desc)) / 2 + asc;
}

/* Place s[0..len) as runs starting at x on the given baseline. */
static int
place_span(struct text *t, struct block *b, struct strbuf *sb, const char *s,
    size_t len, int primary, int px, bool bold, int x, int baseline)
{
	struct provides_arg a = { t, bold };
	struct text_run runs[MAX_RUNS];
	size_t n, i;

	n = text_split_runs(s, len, primary, t->m.nfamilies, provides, &a,
	    runs, MAX_RUNS, NULL, NULL);
	for (i = 0; i < n; i++) {
		int e = font_manifest_entry(&t->m, runs[i].family, bold);
		int spx = scaled_px(t, e, px);
		TTF_Font *f = font_at(t, e, spx, runs[i].script);
		struct piece *pc = piece_new(b);

		pc->entry = e;
		pc->px = spx;
		memcpy(pc->script, runs[i].script, 5);
		pc->start = sb_add(sb, s + runs[i].start, runs[i].len);
		pc->len = runs[i].len;
		pc->x = x;
		pc->y = baseline - (f != NULL ? TTF_FontAscent(f) : spx);
		x += run_width(t, &runs[i], s, px, bold);
	}
	return x;
}

struct line {
	size_t first, count;   /* atoms */
	int w;
	bool ruby;
	size_t p0, p1;         /* its pieces */
};

/* R3.3: at least half the base and at least ruby_min (16 px; 20 px in
 * large-text mode) */
static int
ruby_px_of(int px, int ruby_min)
{
	int r = px / 2, min = ruby_min > 0 ? ruby_min : 16;

	return r < min ? min : r;
}

static bool
is_newline(const struct elem *e)
{
	return e->ruby == NULL && (e->first == '\n' || e->first == '\r');
}

static bool
plain_at(const struct elems *x, size_t i)
{
	return x->e[i].ruby == NULL && !is_newline(&x->e[i]);
}

/*
 * Walk elements [first, first+count): contiguous plain elements form one
 * span, each ruby group stands alone.  With b == NULL only measure; else
 * place pieces from x on the baselines.  Returns the width.
 */
static int
walk(struct text *t, struct block *b, struct strbuf *sb,
    const struct elems *x, size_t first, size_t count, int primary,
    int px, int rpx, bool bold, int x0, int base, int rbase,
    struct text_info *info)
{
	int w = 0;
	size_t i = first, end = first + count;

	while (i < end) {
		const struct elem *e = &x->e[i];

		if (is_newline(e)) {
			i++;
			continue;
		}
		if (e->ruby != NULL) {
			int bw = span_width(t, e->s, e->len, primary, px, bold,
			    info);
			int rw = span_width(t, e->ruby, e->rlen, primary, rpx,
			    false, info);
			int gw, oh_l = 0, oh_r = 0;
			/* a reading wider than its base may overhang a plain
			 * neighbour by half a ruby character (JIS X 4051)
			 * instead of spreading the base text, unless another
			 * reading already reaches over that neighbour */
			if (rw > bw && i > first && plain_at(x, i - 1) &&
			    (i - 1 == first || x->e[i - 2].ruby == NULL))
				oh_l = rpx / 2;
			if (rw > bw && i + 1 < end && plain_at(x, i + 1) &&
			    (i + 2 >= end || x->e[i + 2].ruby == NULL))
				oh_r = rpx / 2;
			gw = rw - oh_l - oh_r;
			if (gw < bw)
				gw = bw;
			if (b != NULL) {
				place_span(t, b, sb, e->s, e->len, primary, px,
				    bold, x0 + w + (gw - bw) / 2, base);
				place_span(t, b, sb, e->ruby, e->rlen, primary,
				    rpx, false, x0 + w - oh_l + (gw + oh_l + oh_r -
				    rw) / 2, rbase);
			}
			w += gw;
			i++;
			continue;
		}
		const char *s = e->s;
		size_t len = 0;
		while (i < end && x->e[i].ruby == NULL && !is_newline(&x->e[i]) &&
		    x->e[i].s == s + len) {
			len += x->e[i].len;
			i++;
		}
		if (b != NULL)
			w = place_span(t, b, sb, s, len, primary, px, bold,
			    x0 + w, base) - x0;
		else
			w += span_width(t, s, len, primary, px, bold, info);
	}
	return w;
}

/*
 * Lay out utf8 into a block: atoms, greedy lines, then pieces.  Only
 * measuring and placing here; pixels are made by render_block.
 */
static struct block *
layout(struct text *t, const char *utf8, const struct text_params *prm)
{
	struct ruby_seg segs[256];
	struct elems x = { 0 };
	struct line *lines = NULL;
	size_t nseg, nlines = 0, cap = 0, i, j;
	struct block *b = xcalloc(1, sizeof(*b));
	struct strbuf sb = { 0 }, lines_sb = { 0 };
	int primary = font_manifest_family(&t->m, prm->lang);
	int px = prm->px, rpx = ruby_px_of(prm->px, prm->ruby_min);
	int line_h = prm->line_px > 0 ? prm->line_px : px;
	/* the base line box has leading above the glyphs: a ruby band of
	 * the ruby em plus an eighth sits close to its base */
	int ruby_h = rpx + (rpx + 7) / 8;
	int y, maxw = 0;

	if (ruby_parse(utf8, segs, ARRAY_SIZE(segs), &nseg, NULL) != K_OK) {
		segs[0].base = utf8;
		segs[0].base_len = strlen(utf8);
		segs[0].ruby = NULL;
		nseg = 1;
		b->info.ruby_error = true;
	}
	make_atoms(segs, nseg, &x);
	for (i = 0; i < x.na; i++) {
		struct atom *a = &x.a[i];
		a->w = walk(t, NULL, NULL, &x, a->first, a->count, primary, px,
		    rpx, prm->bold, 0, 0, 0, &b->info);
		a->trail_w = a->trail == 0 ? 0 : walk(t, NULL, NULL, &x,
		    a->first + a->count - a->trail, a->trail, primary, px,
		    rpx, prm->bold, 0, 0, 0, NULL);
	}

	/*
	 * Greedy lines by atom widths, then each line placed as it will be
	 * drawn (spans merged across atoms shape and kern a little
	 * differently from atoms alone): if the placed line is wider than
	 * the wrap width, its last atom goes to the next line.  Trailing
	 * spaces do not count at a line end.  Lines are aligned at the end,
	 * when the block's width is known.
	 */
	y = 0;
	for (i = 0; i < x.na || nlines == 0;) {
		struct line ln = { i, 0, 0, false, 0, 0 };
		int w = 0, top = y;

		for (j = i; j < x.na; j++) {
			struct atom *a = &x.a[j];
			if (prm->wrap_w > 0 && ln.count > 0 &&
			    w + a->w - a->trail_w > prm->wrap_w)
				break;
			w += a->w;
			ln.count++;
			if (a->newline) {
				j++;
				break;
			}
		}
		/*
		 * A line broken inside CJK text ends at its last space instead
		 * (phrases of やさしい日本語 are separated by spaces; a writer
		 * may mark a break with U+200B), unless that leaves the line
		 * less than 60 % full.
		 */
		if (prm->wrap_w > 0 && j < x.na && ln.count > 1 &&
		    x.a[ln.first + ln.count - 1].trail == 0 &&
		    !x.a[ln.first + ln.count - 1].newline) {
			int wk = 0;
			size_t best = 0;
			for (size_t k = ln.first; k + 1 < ln.first + ln.count;
			    k++) {
				wk += x.a[k].w;
				if (x.a[k].trail > 0 &&
				    wk - x.a[k].trail_w >= prm->wrap_w * 3 / 5)
					best = k - ln.first + 1;
			}
			if (best > 0) {
				ln.count = best;
				j = ln.first + ln.count;
			}
		}
		ln.p0 = b->np;
		for (;;) {
			size_t e0, e1;
			int base, rbase;

			ln.ruby = false;
			for (size_t k = ln.first; k < ln.first + ln.count; k++)
				for (size_t m = x.a[k].first; m < x.a[k].first +
				    x.a[k].count; m++)
					if (x.e[m].ruby != NULL)
						ln.ruby = true;
			top = y + (ln.ruby ? ruby_h : 0);
			b->np = ln.p0;
			ln.w = 0;
			if (ln.count == 0)
				break;
			base = top + baseline_in(t, primary, prm->bold, px, line_h);
			rbase = y + baseline_in(t, primary, false, rpx, ruby_h);
			e0 = x.a[ln.first].first;
			e1 = x.a[ln.first + ln.count - 1].first +
			    x.a[ln.first + ln.count - 1].count -
			    x.a[ln.first + ln.count - 1].trail;
			ln.w = walk(t, b, &sb, &x, e0, e1 - e0, primary, px,
			    rpx, prm->bold, 0, base, rbase, NULL);
			if (prm->wrap_w == 0 || ln.w <= prm->wrap_w ||
			    ln.count == 1)
				break;
			ln.count--;
			j = ln.first + ln.count;
		}
		ln.p1 = b->np;
		if (prm->wrap_w > 0 && ln.w > prm->wrap_w)
			b->info.too_wide = true;
		if (nlines > 0)
			sb_add(&lines_sb, "\n", 1);
		if (ln.count > 0) {
			struct atom *la = &x.a[ln.first + ln.count - 1];
			for (size_t k = x.a[ln.first].first; k < la->first +
			    la->count - la->trail; k++)
				if (!is_newline(&x.e[k]))
					sb_add(&lines_sb, x.e[k].s, x.e[k].len);
		}
		if (nlines == cap) {
			cap = cap ? cap * 2 : 8;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		lines[nlines++] = ln;
		if (ln.w > maxw)
			maxw = ln.w;
		y = top + line_h;
		i = j;
	}
	for (i = 0; i < nlines; i++) {
		struct line *ln = &lines[i];
		int dx = (prm->align & UI_ALIGN_CENTER) ? (maxw - ln->w) / 2 :
		    (prm->align & UI_ALIGN_RIGHT) ? maxw - ln->w : 0;

		for (j = ln->p0; dx != 0 && j < ln->p1; j++)
			b->p[j].x += dx;
	}

	b->str = sb.s != NULL ? sb.s : xstrdup("");
	b->lines = lines_sb.s != NULL ? lines_sb.s : xstrdup("");
	b->info.w = maxw;
	b->info.h = y;
	b->info.lines = (int)nlines;
	free(lines);
	free(x.e);
	free(x.a);
	return b;
}

/* ---- pixels ---- */

/*
 * Make the block's coverage mask: each piece rendered by SDL_ttf (white
 * on alpha), combined by the larger alpha into one byte-a-pixel mask the
 * size of the union of the pieces.
 */
static void
render_block(struct text *t, struct block *b)
{
	SDL_Color white = { 255, 255, 255, 255 };
	SDL_Surface **g;
	size_t i;
	int x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;

	if (t->ren == NULL || b->info.w == 0 || b->info.h == 0 || b->np == 0)
		return;
	g = xcalloc(b->np, sizeof(*g));
	for (i = 0; i < b->np; i++) {
		struct piece *pc = &b->p[i];
		TTF_Font *f;
		SDL_Surface *s;
		char save;

		if (pc->len == 0 ||
		    (f = font_at(t, pc->entry, pc->px, pc->script)) == NULL)
			continue;
		save = b->str[pc->start + pc->len];
		b->str[pc->start + pc->len] = '\0';
		s = TTF_RenderUTF8_Blended(f, b->str + pc->start, white);
		b->str[pc->start + pc->len] = save;
		if (s != NULL && s->format->format != SDL_PIXELFORMAT_ARGB8888) {
			SDL_Surface *c = SDL_ConvertSurfaceFormat(s,
			    SDL_PIXELFORMAT_ARGB8888, 0);
			surface_free_wiped(s);
			s = c;
		}
		if (s == NULL)
			continue;
		g[i] = s;
		if (pc->x < x0) x0 = pc->x;
		if (pc->y < y0) y0 = pc->y;
		if (pc->x + s->w > x1) x1 = pc->x + s->w;
		if (pc->y + s->h > y1) y1 = pc->y + s->h;
	}
	if (x1 > x0 && y1 > y0) {
		b->mw = x1 - x0;
		b->mh = y1 - y0;
		b->mask = xcalloc((size_t)b->mw * (size_t)b->mh, 1);
		b->ox = x0;
		b->oy = y0;
		b->bytes = (size_t)b->mw * (size_t)b->mh;
	}
	for (i = 0; i < b->np; i++) {
		SDL_Surface *s = g[i];
		int x, y;

		if (s == NULL)
			continue;
		SDL_LockSurface(s);
		for (y = 0; y < s->h; y++) {
			const uint32_t *src = (const uint32_t *)((const uint8_t *)
			    s->pixels + (size_t)y * s->pitch);
			uint8_t *dst = b->mask + (size_t)(b->p[i].y - y0 + y) *
			    b->mw + (b->p[i].x - x0);
			for (x = 0; x < s->w; x++) {
				uint8_t a = (uint8_t)(src[x] >> 24);
				if (a > dst[x])
					dst[x] = a;
			}
		}
		SDL_UnlockSurface(s);
		surface_free_wiped(s);
	}
	free(g);
}

/* The block's texture in colour rgb, made from the mask on first use. */
static SDL_Texture *
tinted(struct text *t, struct block *b, uint32_t rgb)
{
	SDL_Surface *s;
	SDL_Texture *tex;
	int i, x, y;

	for (i = 0; i < b->ntint; i++)
		if (b->tint[i].rgb == rgb)
			return b->tint[i].tex;
	s = SDL_CreateRGBSurfaceWithFormat(0, b->mw, b->mh, 32,
	    SDL_PIXELFORMAT_ARGB8888);
	if (s == NULL)
		return NULL;
	for (y = 0; y < s->h; y++) {
		const uint8_t *m = b->mask + (size_t)y * b->mw;
		uint32_t *d = (uint32_t *)((uint8_t *)s->pixels +
		    (size_t)y * s->pitch);
		for (x = 0; x < s->w; x++)
			d[x] = (uint32_t)m[x] << 24 | rgb;
	}
	tex = SDL_CreateTextureFromSurface(t->ren, s);
	surface_free_wiped(s);
	if (tex == NULL)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	if (b->ntint == TINTS) {
		texture_wipe(b->tint[0].tex, b->mw, b->mh);
		memmove(&b->tint[0], &b->tint[1], sizeof(b->tint[0]) *
		    (TINTS - 1));
		b->ntint--;
	}
	b->tint[b->ntint].rgb = rgb;
	b->tint[b->ntint].tex = tex;
	b->ntint++;
	if (b->key != NULL)
		lru_set_bytes(t->cache, b->key, b->bytes * (1 + 4 *
		    (size_t)b->ntint) + sizeof(*b) + b->np * sizeof(*b->p));
	return tex;
}

static char *
put_int(char *p, int v)
{
	char tmp[12];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	if (v < 0)
		*p++ = '-';
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	while (n > 0)
		*p++ = tmp[--n];
	*p++ = '|';
	return p;
}

static bool
same_params(const struct text_params *a, const struct text_params *b)
{
	return a->px == b->px && a->line_px == b->line_px &&
	    a->ruby_min == b->ruby_min &&
	    a->bold == b->bold && a->wrap_w == b->wrap_w &&
	    (a->align & 3u) == (b->align & 3u) &&
	    strcmp(a->lang, b->lang != NULL ? b->lang : "") == 0;
}

static struct block *
get_block(struct text *t, const char *utf8, const struct text_params *p)
{
	char keybuf[512], *key = keybuf, *k;
	struct block *b;
	size_t len = strlen(utf8);

	if (t->memo != NULL && same_params(&t->memo_p, p) &&
	    strcmp(t->memo->text, utf8) == 0)
		return t->memo;
	/* family|px|line|bold|wrap|align|text, without printf: this runs
	 * for every text of every frame */
	if (len + 80 > sizeof(keybuf))
		key = xmalloc(len + 80);
	k = put_int(key, font_manifest_family(&t->m, p->lang));
	k = put_int(k, p->px);
	k = put_int(k, p->line_px);
	k = put_int(k, p->bold);
	k = put_int(k, p->wrap_w);
	k = put_int(k, (int)(p->align & 3u));
	k = put_int(k, p->ruby_min);
	memcpy(k, utf8, len + 1);
	b = lru_get(t->cache, key);
	if (b == NULL) {
		/* the length only: the text may be personal data */
		klog("debug", "text", "lay out %zu bytes (px %d, wrap %d)", len,
		    p->px, p->wrap_w);
		b = layout(t, utf8, p);
		render_block(t, b);
		b->key = xstrdup(key);
		b->text = b->key + (k - key);
		b->owner = t;
		/* the mask, and room for its first tinted texture */
		size_t bytes = 5 * b->bytes + sizeof(*b) + b->np *
		    sizeof(*b->p) + strlen(b->str) + strlen(b->key);
		struct text_info info = b->info;
		if (!lru_put(t->cache, key, b, bytes)) {
			/* larger than the whole cache: draw it uncached */
			b = layout(t, utf8, p);
			render_block(t, b);
			b->info = info;   /* not in the cache: no key */
			b->bytes = (size_t)-1;   /* caller frees */
		}
	}
	if (b->bytes != (size_t)-1) {
		t->memo = b;
		t->memo_p = *p;
		snprintf(t->memo_lang, sizeof(t->memo_lang), "%s",
		    p->lang != NULL ? p->lang : "");
		t->memo_p.lang = t->memo_lang;
	}
	/* the key holds the text, which may be the resident's name */
	if (key != keybuf)
		xfree_wipe(key, len + 80);
	else
		explicit_bzero(keybuf, (size_t)(k - key) + len + 1);
	return b;
}

int
text_measure(struct text *t, const char *utf8, const struct text_params *p,
    struct text_info *info)
{
	struct block *b = get_block(t, utf8, p);

	if (b == NULL)
		return K_EFAIL;
	*info = b->info;
	if (b->bytes == (size_t)-1)
		block_free(b, NULL);
	return K_OK;
}

int
text_draw(struct text *t, const char *utf8, const struct text_params *p,
    int x, int y, uint8_t r, uint8_t g, uint8_t bl, uint8_t a,
    struct text_info *info)
{
	struct block *b = get_block(t, utf8, p);
	SDL_Rect dst;

	if (b == NULL)
		return K_EFAIL;
	if (info != NULL)
		*info = b->info;
	if (b->mask != NULL && t->ren != NULL) {
		SDL_Texture *tex = tinted(t, b, (uint32_t)r << 16 |
		    (uint32_t)g << 8 | bl);
		if (tex != NULL) {
			dst.x = x + b->ox;
			dst.y = y + b->oy;
			dst.w = b->mw;
			dst.h = b->mh;
			SDL_SetTextureAlphaMod(tex, a);
			SDL_RenderCopy(t->ren, tex, NULL, &dst);
		}
	}
	if (b->bytes == (size_t)-1)
		block_free(b, NULL);
	return K_OK;
}

int
text_break(struct text *t, const char *utf8, const struct text_params *p,
    char *out, size_t outlen)
{
	struct block *b = get_block(t, utf8, p);
	int lines;

	if (b == NULL)
		return 0;
	snprintf(out, outlen, "%s", b->lines);
	lines = b->info.lines;
	if (b->bytes == (size_t)-1)
		block_free(b, NULL);
	return lines;
}
