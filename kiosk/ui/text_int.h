/*
 * text_int.h - the screen's text engine inside kiosk/ui/: the engine and
 * its cache (text.c), the font files and faces (text_font.c) and the
 * layout of a block (text_layout.c).  No SDL header here (mk/lint.sh): SDL
 * types appear as the structs they are.
 */
#ifndef TEXT_INT_H
#define TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fontchain.h"
#include "kerr.h"
#include "ui_core.h"

struct _TTF_Font;
struct SDL_Renderer;
struct SDL_RWops;
struct SDL_Texture;

#define MAX_RUNS 256

struct text_font {
	struct _TTF_Font *font; /* opened on first use (TTF_Font) */
	bool broken;         /* FreeType refused it: logged once */
	int px;              /* size set now */
	char script[5];      /* script set now */
};

struct text {
	struct font_manifest m;
	struct text_font f[FONT_MAX];
	struct SDL_Renderer *ren;
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
		struct SDL_Texture *tex;
	} tint[TINTS];
	int ntint;
	size_t bytes;
};

/* ---- text_font.c ---- */

/* An SDL_RWops reading path through a small buffer, or NULL with err set. */
struct SDL_RWops *text_font_file(const char *path, struct kerr *err);
/* The face of manifest entry `entry`, opened on first use (NULL: broken,
 * logged once). */
struct _TTF_Font *text_face(struct text *t, int entry);
/* The face at px (already scaled) with HarfBuzz script `script` set. */
struct _TTF_Font *text_font_at(struct text *t, int entry, int px,
    const char *script);
/* px scaled by the entry's cap-height scale (R3.7). */
int text_scaled_px(const struct text *t, int entry, int px);

struct provides_arg {
	struct text *t;
	bool bold;
};
/* text_provides_fn over the real faces (arg: struct provides_arg). */
bool text_provides(int family, uint32_t cp, void *arg);
/* The file is there, is a font and has the face asked for. */
int text_check_face(const struct font_entry *e, const char *manifest,
    struct kerr *err);

/* ---- text_layout.c ---- */

/* Lay out utf8 into a new block: lines of placed pieces, measured; no
 * pixels yet (text.c renders them). */
struct block *text_layout(struct text *t, const char *utf8,
    const struct text_params *prm);

#endif
