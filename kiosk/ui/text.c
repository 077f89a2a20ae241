/*
 * text.c - text with a font fallback chain, HarfBuzz runs, line breaking,
 * ruby (furigana) and a texture cache: the engine and its cache.  The
 * font files and faces are in text_font.c, the layout of a block in
 * text_layout.c (text_int.h); UTF-8, runs, kinsoku and ruby markup are
 * the shared text core of kiosk/text/.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_int.h"
#include "xmalloc.h"

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
	if (w > 0 && h > 0 &&
	    (zero = calloc((size_t)w * (size_t)h, 4)) != NULL) {
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
		if ((rc = text_check_face(&t->m.fonts[i], manifest,
		    err)) != K_OK) {
			text_close(t);
			return rc;
		}
	/* KIOSK_FONTS_EAGER=1 opens every face now (`make bench` measures
	 * memory with all of them open) */
	if (getenv("KIOSK_FONTS_EAGER") != NULL)
		for (i = 0; i < t->m.nfonts; i++)
			text_face(t, i);
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
	    font_manifest_family(&t->m, lang), t->m.nfamilies, text_provides,
	    &a,
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
	    t->m.nfamilies, text_provides, &a, runs, ARRAY_SIZE(runs), &missing,
	    &first);
	if (first_missing != NULL)
		*first_missing = first;
	return missing;
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
		    (f = text_font_at(t, pc->entry, pc->px,
		    pc->script)) == NULL)
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
		b = text_layout(t, utf8, p);
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
			b = text_layout(t, utf8, p);
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
