/*
 * ui_priv.h - the ui object and the renderer primitives, shared by the files
 * of kiosk/ui/ only.  No SDL types: render.c keeps them behind struct
 * ui_render.
 */
#ifndef UI_PRIV_H
#define UI_PRIV_H

#include "ui_core.h"

struct ui_render;

struct wlist {
	struct ui_widget *v;     /* text and lang are owned copies */
	size_t n, cap;
	size_t modal_from;       /* widgets before this index are blocked */
};

struct ui {
	const struct config *cfg;
	struct text *text;
	struct ui_render *r;     /* NULL: measure only */
	double ppm;
	int w, h;
	char lang[16];
	bool large;
	uint64_t now_ms;

	struct wlist cur, last;  /* widgets of the frame being drawn / shown */
	bool inert;              /* drawing a screen below an overlay */

	/* pointer: the widget pressed and whether the finger is still on it */
	bool down;
	int press_id;
	struct ui_rect press_rect;
	bool press_inside;
	int pending;             /* activation of the current event */
	int last_id;             /* tremor guard */
	uint64_t last_ms;

	/* keypad focus (R5.1) */
	int focus_id;
	bool focus_visible;

	/* dry frames */
	struct ui_render *dry_saved;
	bool dry;
	int shown_pressed, shown_focus;  /* as in the last frame shown */
};

/* theme.c */
int ui_type_px_for(enum ui_type t, bool large);
int ui_type_line_for(enum ui_type t, bool large);

/* ui.c: record a widget in the current frame; text is copied. */
struct ui_widget *ui_record(struct ui *ui, enum ui_widget_kind kind, int id,
    struct ui_rect r, const char *text);
/* The colour behind point x,y in the current frame. */
struct ui_color ui_bg_at(const struct ui *ui, int x, int y);
bool ui_pressed(const struct ui *ui, int id);
bool ui_focused(const struct ui *ui, int id);
void ui_text_params(const struct ui *ui, const struct ui_text_style *st,
    struct text_params *p, int wrap_w);

/* render.c: the SDL renderer behind a small set of primitives.  All are
 * no-ops when r is NULL (measure-only ui). */
int render_new(struct ui_render **out, void *sdl_renderer, struct kerr *err);
void render_free(struct ui_render *r);
void render_clear(struct ui_render *r, struct ui_color c);
void render_fill(struct ui_render *r, struct ui_rect rc, struct ui_color c);
/* Rounded rect, filled; and a frame of thickness t (inside rc). */
void render_round(struct ui_render *r, struct ui_rect rc, int radius,
    struct ui_color c);
void render_round_frame(struct ui_render *r, struct ui_rect rc, int radius,
    int t, struct ui_color c);
/* A rounded rect with a border of `border` px in bc and fill inside. */
void render_round_bordered(struct ui_render *r, struct ui_rect rc, int radius,
    int border, struct ui_color bc, struct ui_color fill);
void render_disc(struct ui_render *r, int cx, int cy, int radius,
    struct ui_color c);
void render_ring(struct ui_render *r, int cx, int cy, int radius, int t,
    struct ui_color c);
void render_line(struct ui_render *r, float x0, float y0, float x1, float y1,
    float t, struct ui_color c);
void render_triangle(struct ui_render *r, float x0, float y0, float x1,
    float y1, float x2, float y2, struct ui_color c);
/* RGBA bytes (R,G,B,A order), w*h*4; K_EFAIL with the SDL error. */
int render_read(struct ui_render *r, uint8_t *rgba, int w, int h,
    struct kerr *err);

/* icons.c */
void icon_draw(struct ui *ui, struct ui_rect r, enum ui_icon icon,
    struct ui_color c);

#endif
