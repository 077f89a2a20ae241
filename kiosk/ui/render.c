/*
 * render.c - drawing primitives over an SDL_Renderer: rects, rounded rects
 * with smooth corners, discs, rings, thick lines, triangles, and reading the
 * frame back for screenshots.  One of the few files that know SDL.
 *
 * Curves are small white coverage textures (a quarter disc or ring,
 * computed once per radius and kept in an LRU) tinted with the colour, so
 * corners are anti-aliased even on the software renderer.
 */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_priv.h"
#include "xmalloc.h"

#define SHAPES 256           /* a power of two: open-addressed table */

struct ui_render {
	SDL_Renderer *ren;
	/* corner textures by radius, ring thickness, corner and colour, in
	 * a hash table (a frame asks for hundreds of corners) */
	struct shape {
		uint64_t key;        /* 0: empty */
		SDL_Texture *tex;
	} shapes[SHAPES];
	int nshapes;
};

static uint64_t
shape_key(int rad, int t, int corner, struct ui_color c)
{
	return ((uint64_t)(rad & 0xfff) << 44 | (uint64_t)(t & 0xff) << 36 |
	    (uint64_t)(corner & 3) << 34 | (uint64_t)c.r << 24 |
	    (uint64_t)c.g << 16 | (uint64_t)c.b << 8 | c.a) + 1;
}

int
render_new(struct ui_render **out, void *sdl_renderer, struct kerr *err)
{
	struct ui_render *r;

	(void)err;
	*out = NULL;
	if (sdl_renderer == NULL)
		return K_OK;
	r = xcalloc(1, sizeof(*r));
	r->ren = sdl_renderer;
	*out = r;
	return K_OK;
}

void
render_free(struct ui_render *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < SHAPES; i++)
		if (r->shapes[i].key != 0)
			SDL_DestroyTexture(r->shapes[i].tex);
	free(r);
}

static void
color(struct ui_render *r, struct ui_color c)
{
	SDL_SetRenderDrawBlendMode(r->ren, c.a == 255 ? SDL_BLENDMODE_NONE :
	    SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r->ren, c.r, c.g, c.b, c.a);
}

void
render_clear(struct ui_render *r, struct ui_color c)
{
	if (r == NULL)
		return;
	SDL_SetRenderDrawColor(r->ren, c.r, c.g, c.b, 255);
	SDL_RenderClear(r->ren);
}

void
render_fill(struct ui_render *r, struct ui_rect rc, struct ui_color c)
{
	SDL_Rect s = { rc.x, rc.y, rc.w, rc.h };

	if (r == NULL || rc.w <= 0 || rc.h <= 0)
		return;
	color(r, c);
	SDL_RenderFillRect(r->ren, &s);
}

/*
 * Corner `corner` (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left)
 * of a disc of radius rad, or of a ring of thickness t (t = 0: filled), in
 * colour c with the coverage (4x4 samples) as alpha.  Made once per shape
 * and colour: a plain texture blends much faster on the software renderer
 * than a colour-modulated or flipped one.
 */
static SDL_Texture *
quarter(struct ui_render *r, int rad, int t, int corner, struct ui_color c)
{
	SDL_Texture *tex;
	SDL_Surface *s;
	struct shape *sh;
	int x, y, sx, sy;
	double ro = rad, ri = t > 0 ? rad - t : -1;
	uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	uint64_t key = shape_key(rad, t, corner, c);
	size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 56) & (SHAPES - 1);

	for (sh = &r->shapes[h]; sh->key != 0; sh = &r->shapes[h]) {
		if (sh->key == key)
			return sh->tex;
		h = (h + 1) & (SHAPES - 1);
	}
	if (r->nshapes >= SHAPES * 3 / 4) {
		/* full (a screen with very many sizes): start over */
		for (int i = 0; i < SHAPES; i++)
			if (r->shapes[i].key != 0)
				SDL_DestroyTexture(r->shapes[i].tex);
		memset(r->shapes, 0, sizeof(r->shapes));
		r->nshapes = 0;
		h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 56) &
		    (SHAPES - 1);
		sh = &r->shapes[h];
	}
	s = SDL_CreateRGBSurfaceWithFormat(0, rad, rad, 32,
	    SDL_PIXELFORMAT_ARGB8888);
	if (s == NULL)
		return NULL;
	for (y = 0; y < rad; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)s->pixels +
		    (size_t)y * s->pitch);
		for (x = 0; x < rad; x++) {
			/* mirror into the top-left quadrant */
			int qx = corner == 1 || corner == 2 ? rad - 1 - x : x;
			int qy = corner >= 2 ? rad - 1 - y : y;
			int in = 0;
			for (sy = 0; sy < 4; sy++)
				for (sx = 0; sx < 4; sx++) {
					double dx = rad - (qx + (sx + 0.5) / 4);
					double dy = rad - (qy + (sy + 0.5) / 4);
					double d = sqrt(dx * dx + dy * dy);
					if (d <= ro && d >= ri)
						in++;
				}
			row[x] = ((uint32_t)(in * c.a / 16) << 24) | rgb;
		}
	}
	tex = SDL_CreateTextureFromSurface(r->ren, s);
	SDL_FreeSurface(s);
	if (tex == NULL)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	sh->key = key;
	sh->tex = tex;
	r->nshapes++;
	return tex;
}

static void
corners(struct ui_render *r, struct ui_rect rc, int rad, int t,
    struct ui_color c)
{
	SDL_Rect d = { 0, 0, rad, rad };
	int k;

	for (k = 0; k < 4; k++) {
		SDL_Texture *q = quarter(r, rad, t, k, c);
		if (q == NULL)
			return;
		d.x = k == 1 || k == 2 ? rc.x + rc.w - rad : rc.x;
		d.y = k >= 2 ? rc.y + rc.h - rad : rc.y;
		SDL_RenderCopy(r->ren, q, NULL, &d);
	}
}

static int
clamp_radius(struct ui_rect rc, int rad)
{
	if (rad > rc.w / 2)
		rad = rc.w / 2;
	if (rad > rc.h / 2)
		rad = rc.h / 2;
	return rad < 0 ? 0 : rad;
}

void
render_round(struct ui_render *r, struct ui_rect rc, int rad,
    struct ui_color c)
{
	if (r == NULL || rc.w <= 0 || rc.h <= 0)
		return;
	rad = clamp_radius(rc, rad);
	if (rad < 2) {
		render_fill(r, rc, c);
		return;
	}
	render_fill(r, (struct ui_rect){ rc.x + rad, rc.y, rc.w - 2 * rad,
	    rc.h }, c);
	render_fill(r, (struct ui_rect){ rc.x, rc.y + rad, rad,
	    rc.h - 2 * rad }, c);
	render_fill(r, (struct ui_rect){ rc.x + rc.w - rad, rc.y + rad, rad,
	    rc.h - 2 * rad }, c);
	corners(r, rc, rad, 0, c);
}

void
render_round_frame(struct ui_render *r, struct ui_rect rc, int rad, int t,
    struct ui_color c)
{
	if (r == NULL || rc.w <= 0 || rc.h <= 0 || t <= 0)
		return;
	rad = clamp_radius(rc, rad);
	if (rad < t)
		rad = t;
	render_fill(r, (struct ui_rect){ rc.x + rad, rc.y, rc.w - 2 * rad, t },
	    c);
	render_fill(r, (struct ui_rect){ rc.x + rad, rc.y + rc.h - t,
	    rc.w - 2 * rad, t }, c);
	render_fill(r, (struct ui_rect){ rc.x, rc.y + rad, t, rc.h - 2 * rad },
	    c);
	render_fill(r, (struct ui_rect){ rc.x + rc.w - t, rc.y + rad, t,
	    rc.h - 2 * rad }, c);
	corners(r, rc, rad, t, c);
}

void
render_round_bordered(struct ui_render *r, struct ui_rect rc, int rad,
    int border, struct ui_color bc, struct ui_color fill)
{
	if (r == NULL || rc.w <= 0 || rc.h <= 0)
		return;
	if (border <= 0) {
		render_round(r, rc, rad, fill);
		return;
	}
	/* the ring, then the inside: every pixel painted once */
	render_round_frame(r, rc, rad, border, bc);
	render_round(r, (struct ui_rect){ rc.x + border, rc.y + border,
	    rc.w - 2 * border, rc.h - 2 * border }, rad - border, fill);
}

void
render_disc(struct ui_render *r, int cx, int cy, int rad, struct ui_color c)
{
	if (r == NULL || rad <= 0)
		return;
	corners(r, (struct ui_rect){ cx - rad, cy - rad, 2 * rad, 2 * rad },
	    rad, 0, c);
}

void
render_ring(struct ui_render *r, int cx, int cy, int rad, int t,
    struct ui_color c)
{
	if (r == NULL || rad <= 0)
		return;
	corners(r, (struct ui_rect){ cx - rad, cy - rad, 2 * rad, 2 * rad },
	    rad, t, c);
}

static SDL_Vertex
vtx(float x, float y, struct ui_color c)
{
	SDL_Vertex v = { { x, y }, { c.r, c.g, c.b, c.a }, { 0, 0 } };

	return v;
}

void
render_line(struct ui_render *r, float x0, float y0, float x1, float y1,
    float t, struct ui_color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	float nx, ny;
	SDL_Vertex v[4];
	static const int idx[6] = { 0, 1, 2, 0, 2, 3 };

	if (r == NULL || len <= 0)
		return;
	nx = -dy / len * t / 2;
	ny = dx / len * t / 2;
	v[0] = vtx(x0 + nx, y0 + ny, c);
	v[1] = vtx(x1 + nx, y1 + ny, c);
	v[2] = vtx(x1 - nx, y1 - ny, c);
	v[3] = vtx(x0 - nx, y0 - ny, c);
	SDL_RenderGeometry(r->ren, NULL, v, 4, idx, 6);
}

void
render_triangle(struct ui_render *r, float x0, float y0, float x1, float y1,
    float x2, float y2, struct ui_color c)
{
	SDL_Vertex v[3];

	if (r == NULL)
		return;
	v[0] = vtx(x0, y0, c);
	v[1] = vtx(x1, y1, c);
	v[2] = vtx(x2, y2, c);
	SDL_RenderGeometry(r->ren, NULL, v, 3, NULL, 0);
}

int
render_read(struct ui_render *r, uint8_t *rgba, int w, int h,
    struct kerr *err)
{
	SDL_Rect all = { 0, 0, w, h };

	if (r == NULL)
		return kerr_set(err, K_EINVAL, "screenshot: no renderer");
	if (SDL_RenderReadPixels(r->ren, &all, SDL_PIXELFORMAT_RGBA32, rgba,
	    w * 4) != 0)
		return kerr_set(err, K_EFAIL, "screenshot: %s", SDL_GetError());
	return K_OK;
}
