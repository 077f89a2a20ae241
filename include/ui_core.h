/*
 * ui_core.h - the parts of the UI layer below the widgets, for the app core
 * (kiosk/app*.c) and for tests: the ui object's life cycle and input, and the
 * text engine (SDL_ttf, texture cache) over the shared text core of
 * kiosk/text/ (fontchain.h, linebreak.h, ruby.h, utf8.h).  Screens use ui.h.
 * No SDL types: the renderer travels as a void pointer (an SDL_Renderer).
 */
#ifndef UI_CORE_H
#define UI_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fontchain.h"
#include "kerr.h"
#include "ruby.h"
#include "ui.h"
#include "utf8.h"

struct config;
struct text;

/* ---- the ui object (kiosk/ui/ui.c) ---- */

/*
 * sdl_renderer: the SDL_Renderer to draw with, or NULL for a ui that only
 * lays out and measures (tests).  Fonts come from the manifest named by
 * kiosk.fonts (relative paths from the working directory); a missing font
 * file fails here with its path.
 */
int ui_new(struct ui **out, const struct config *cfg, void *sdl_renderer,
    int w, int h, struct kerr *err);
void ui_free(struct ui *ui);
void ui_set_size(struct ui *ui, int w, int h);
void ui_set_px_per_mm(struct ui *ui, double px_per_mm);
struct text *ui_text_engine(struct ui *ui);

/* A frame: begin clears to the page colour and starts a new widget list;
 * end makes it the list taps and scripts see. */
void ui_begin_frame(struct ui *ui, uint64_t now_ms);
void ui_end_frame(struct ui *ui);

/* While drawing the screens below an overlay screen: their widgets are
 * recorded (and visible to `expect`) but not tappable. */
void ui_set_inert(struct ui *ui, bool inert);

/*
 * A dry frame: the screen draws with nothing rendered, only the widget list
 * made; ui_end_dry() tells whether it equals the last frame shown (same
 * widgets, texts, colours, pressed and focus state).  The app skips
 * rasterising and presenting such frames.
 */
void ui_begin_dry(struct ui *ui, uint64_t now_ms);
bool ui_end_dry(struct ui *ui);

/* Feed every tap and key before the screen sees it: pressed state, focus,
 * the pending activation for ui_clicked().  True when the look changed. */
bool ui_input(struct ui *ui, const struct ui_event *ev);
/* Forget the pressed/focus state (the screen changed). */
void ui_input_reset(struct ui *ui);

/* Read the frame back (after drawing, before present) and write a PNG. */
int ui_screenshot(struct ui *ui, const char *path, struct kerr *err);

/* ---- LRU cache with a byte budget (kiosk/ui/cache.c, pure) ---- */

struct lru;
typedef void lru_free_fn(void *value, void *arg);
/* budget: total bytes kept; the least recently used entries are freed
 * (free_fn) when a put goes over it.  An entry larger than the budget is
 * not kept (freed at once, lru_put returns false). */
void lru_new(struct lru **out, size_t budget, lru_free_fn *free_fn,
    void *arg);
void lru_free(struct lru *c);
void *lru_get(struct lru *c, const char *key);         /* marks as used */
bool lru_put(struct lru *c, const char *key, void *value, size_t bytes);
/* The entry grew or shrank (a texture added); others are evicted if the
 * budget is passed, never the entry itself. */
void lru_set_bytes(struct lru *c, const char *key, size_t bytes);
void lru_clear(struct lru *c);
size_t lru_bytes(const struct lru *c);
size_t lru_count(const struct lru *c);
size_t lru_evictions(const struct lru *c);

/* ---- the text engine (kiosk/ui/text.c; SDL_ttf) ---- */

struct text_params {
	const char *lang;   /* language tag: picks the primary family */
	int px;             /* em size of the base (before family scale) */
	int line_px;        /* line height from the base em (R3.4) */
	bool bold;
	int wrap_w;         /* 0: no wrapping (one line per "\n") */
	unsigned align;     /* UI_ALIGN_LEFT / CENTER / RIGHT for lines */
	int ruby_min;       /* smallest ruby px (R3.3: 16, large text 20);
	                     * 0 means 16 */
};

struct text_info {
	int w, h;            /* the block, ruby included */
	int lines;
	int missing;         /* code points no family provides */
	uint32_t first_missing;
	bool too_wide;       /* an unbreakable piece is wider than wrap_w */
	bool ruby_error;     /* malformed markup shown literally */
};

/*
 * Open every font of the manifest (fails naming a missing or unreadable
 * file) and a texture cache of cache_bytes.  renderer may be NULL: then
 * text can be measured and checked but not drawn.
 */
int text_open(struct text **out, const char *manifest, void *renderer,
    size_t cache_bytes, struct kerr *err);
void text_close(struct text *t);
const struct font_manifest *text_manifest(const struct text *t);

/* Lay out (cached) and report size; draw the block with its top-left at
 * x,y in colour (r,g,b,a). */
int text_measure(struct text *t, const char *utf8,
    const struct text_params *p, struct text_info *info);
int text_draw(struct text *t, const char *utf8, const struct text_params *p,
    int x, int y, uint8_t r, uint8_t g, uint8_t b, uint8_t a,
    struct text_info *info);
/* The text as laid out: base text of each line, lines joined by '\n'
 * (tests of line breaking).  Returns the number of lines. */
int text_break(struct text *t, const char *utf8, const struct text_params *p,
    char *out, size_t outlen);
/* Code points in utf8 that no family of the chain provides for lang. */
int text_missing(struct text *t, const char *utf8, const char *lang,
    uint32_t *first_missing);
/* Runs of utf8 for lang with the real fonts (tests). */
size_t text_runs(struct text *t, const char *utf8, const char *lang,
    struct text_run *runs, size_t max);
/* Drop the whole cache, wiping every block's key, text and pixels and
 * destroying its textures (the end of a session: ui_forget_personal). */
void text_forget(struct text *t);
/* The texture cache, for tests and bench. */
struct lru *text_cache(struct text *t);

#endif
