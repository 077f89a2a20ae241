/*
 * ui.c - the ui object: language and size state, frames and their widget
 * lists, pointer and keypad input (pressed look, release-inside activation,
 * tremor guard, focus), screenshots.  No SDL here (render.c, text.c).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pngio.h"
#include "ui_priv.h"
#include "xmalloc.h"

#define TEXT_CACHE_BYTES (8u << 20)   /* a full menu needs about 3 MB */
#define TREMOR_MS 500   /* R2.6 */

int
ui_new(struct ui **out, const struct config *cfg, void *sdl_renderer, int w,
    int h, struct kerr *err)
{
	struct ui *ui;
	int rc;

	*out = NULL;
	ui = xcalloc(1, sizeof(*ui));
	ui->cfg = cfg;
	ui->w = w;
	ui->h = h;
	ui->ppm = config_double(cfg, "kiosk.px_per_mm");
	if ((rc = text_open(&ui->text, config_str(cfg, "kiosk.fonts"),
	    sdl_renderer, TEXT_CACHE_BYTES, err)) != K_OK ||
	    (rc = render_new(&ui->r, sdl_renderer, err)) != K_OK) {
		ui_free(ui);
		return rc;
	}
	ui_set_lang(ui, config_str(cfg, "kiosk.language"));
	*out = ui;
	return K_OK;
}

static void
wlist_clear(struct wlist *l)
{
	size_t i;

	/* a widget's text may be the resident's name: wiped, not just freed */
	for (i = 0; i < l->n; i++) {
		xfree_wipe_str((char *)l->v[i].text);
		free((char *)l->v[i].lang);
	}
	l->n = 0;
	l->modal_from = 0;
}

void
ui_forget_personal(struct ui *ui)
{
	wlist_clear(&ui->cur);
	wlist_clear(&ui->last);
	ui->down = false;
	ui->pending = 0;
	text_forget(ui->text);
}

void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	wlist_clear(&ui->cur);
	wlist_clear(&ui->last);
	free(ui->cur.v);
	free(ui->last.v);
	text_close(ui->text);
	render_free(ui->r);
	free(ui);
}

void
ui_set_size(struct ui *ui, int w, int h)
{
	ui->w = w;
	ui->h = h;
}

void
ui_set_px_per_mm(struct ui *ui, double ppm)
{
	ui->ppm = ppm;
}

struct text *
ui_text_engine(struct ui *ui)
{
	return ui->text;
}

int
ui_mm(const struct ui *ui, double mm)
{
	return ui_mm_px(ui->ppm, mm);
}

double
ui_px_per_mm(const struct ui *ui)
{
	return ui->ppm;
}

struct ui_rect
ui_screen(const struct ui *ui)
{
	return (struct ui_rect){ 0, 0, ui->w, ui->h };
}

void
ui_frame(const struct ui *ui, struct ui_frame *f)
{
	ui_frame_layout(f, ui_screen(ui), ui->ppm);
}

void
ui_set_lang(struct ui *ui, const char *code)
{
	const struct font_manifest *m = text_manifest(ui->text);
	int i;

	for (i = 0; code != NULL && i < m->nlangs; i++)
		if (strcmp(m->langs[i].code, code) == 0) {
			snprintf(ui->lang, sizeof(ui->lang), "%s", code);
			return;
		}
	klog("warn", "ui", "language '%s' has no font line in the manifest; "
	    "using ja", code != NULL ? code : "(null)");
	snprintf(ui->lang, sizeof(ui->lang), "ja");
}

const char *
ui_lang(const struct ui *ui)
{
	return ui->lang;
}

void
ui_set_large(struct ui *ui, bool on)
{
	ui->large = on;
}

bool
ui_large(const struct ui *ui)
{
	return ui->large;
}

int
ui_type_px(const struct ui *ui, enum ui_type t)
{
	return ui_type_px_for(t, ui->large);
}

int
ui_type_line_px(const struct ui *ui, enum ui_type t)
{
	return ui_type_line_for(t, ui->large);
}

void
ui_text_params(const struct ui *ui, const struct ui_text_style *st,
    struct text_params *p, int wrap_w)
{
	p->lang = st->lang != NULL ? st->lang : ui->lang;
	p->px = ui_type_px(ui, st->type);
	p->line_px = ui_type_line_px(ui, st->type);
	p->bold = ui_type_bold(st->type);
	p->wrap_w = wrap_w;
	p->align = st->align & 3u;
	p->ruby_min = ui->large ? 20 : 16;   /* R3.3 */
}

/* ---- frames and the widget list ---- */

void
ui_begin_frame(struct ui *ui, uint64_t now_ms)
{
	ui->now_ms = now_ms;
	wlist_clear(&ui->cur);
	ui->inert = false;
	render_clear(ui->r, UI_COL_BG);
}

static int
pressed_sig(const struct ui *ui)
{
	return ui->down && ui->press_inside ? ui->press_id : 0;
}

static int
focus_sig(const struct ui *ui)
{
	return ui->focus_visible ? ui->focus_id : 0;
}

void
ui_begin_dry(struct ui *ui, uint64_t now_ms)
{
	ui->now_ms = now_ms;
	wlist_clear(&ui->cur);
	ui->inert = false;
	ui->dry_saved = ui->r;
	ui->r = NULL;
	ui->dry = true;
}

static bool
same_widget(const struct ui_widget *a, const struct ui_widget *b)
{
	return a->kind == b->kind && a->id == b->id &&
	    a->rect.x == b->rect.x && a->rect.y == b->rect.y &&
	    a->rect.w == b->rect.w && a->rect.h == b->rect.h &&
	    memcmp(&a->fg, &b->fg, sizeof(a->fg)) == 0 &&
	    memcmp(&a->bg, &b->bg, sizeof(a->bg)) == 0 &&
	    a->type == b->type && a->font_px == b->font_px &&
	    a->overflowed == b->overflowed && a->modal == b->modal &&
	    a->disabled == b->disabled && a->state == b->state &&
	    strcmp(a->text, b->text) == 0 && strcmp(a->lang, b->lang) == 0;
}

bool
ui_end_dry(struct ui *ui)
{
	bool same = ui->cur.n == ui->last.n &&
	    ui->cur.modal_from == ui->last.modal_from &&
	    pressed_sig(ui) == ui->shown_pressed &&
	    focus_sig(ui) == ui->shown_focus;
	size_t i;

	for (i = 0; same && i < ui->cur.n; i++)
		same = same_widget(&ui->cur.v[i], &ui->last.v[i]);
	ui->r = ui->dry_saved;
	ui->dry_saved = NULL;
	ui->dry = false;
	wlist_clear(&ui->cur);
	return same;
}

void
ui_end_frame(struct ui *ui)
{
	struct wlist t = ui->last;
	size_t i;
	bool found = false;

	ui->shown_pressed = pressed_sig(ui);
	ui->shown_focus = focus_sig(ui);

	ui->last = ui->cur;
	ui->cur = t;
	wlist_clear(&ui->cur);
	/* keep the keypad focus only if its widget is still there */
	for (i = 0; i < ui->last.n; i++)
		if (ui->focus_id != 0 && ui->last.v[i].id == ui->focus_id)
			found = true;
	if (!found)
		ui->focus_visible = false;
}

void
ui_set_inert(struct ui *ui, bool inert)
{
	ui->inert = inert;
}

struct ui_widget *
ui_record(struct ui *ui, enum ui_widget_kind kind, int id, struct ui_rect r,
    const char *text)
{
	struct wlist *l = &ui->cur;
	struct ui_widget *w;
	char plain[1024];

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	w = &l->v[l->n++];
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->id = ui->inert ? 0 : id;
	w->rect = r;
	if (text != NULL && text[0] != '\0') {
		ruby_strip(plain, sizeof(plain), text);
		w->text = xstrdup(plain);
	} else {
		w->text = xstrdup("");
	}
	w->lang = xstrdup(ui->lang);
	w->fg = UI_COL_TEXT;
	w->bg = UI_COL_BG;
	return w;
}

static struct ui_color
blend(struct ui_color top, struct ui_color below)
{
	struct ui_color c;
	unsigned a = top.a;

	c.r = (uint8_t)((top.r * a + below.r * (255 - a) + 127) / 255);
	c.g = (uint8_t)((top.g * a + below.g * (255 - a) + 127) / 255);
	c.b = (uint8_t)((top.b * a + below.b * (255 - a) + 127) / 255);
	c.a = 255;
	return c;
}

static struct ui_color
bg_below(const struct wlist *l, size_t n, int x, int y)
{
	size_t i;

	for (i = n; i-- > 0;) {
		const struct ui_widget *w = &l->v[i];
		if (w->kind == UI_W_TEXT || w->kind == UI_W_ICON ||
		    w->kind == UI_W_PROGRESS)
			continue;
		if (!ui_rect_contains(w->rect, x, y))
			continue;
		if (w->bg.a == 255)
			return w->bg;
		return blend(w->bg, bg_below(l, i, x, y));
	}
	return UI_COL_BG;
}

struct ui_color
ui_bg_at(const struct ui *ui, int x, int y)
{
	return bg_below(&ui->cur, ui->cur.n, x, y);
}

/* ---- input ---- */

static const struct ui_widget *
hit(const struct ui *ui, int x, int y)
{
	const struct wlist *l = &ui->last;
	size_t i;

	for (i = l->n; i-- > l->modal_from;) {
		const struct ui_widget *w = &l->v[i];
		if (w->id > 0 && !w->disabled && ui_rect_contains(w->rect, x, y))
			return w;
	}
	return NULL;
}

int
ui_hit(const struct ui *ui, int x, int y)
{
	const struct ui_widget *w = hit(ui, x, y);

	return w != NULL ? w->id : 0;
}

bool
ui_pressed(const struct ui *ui, int id)
{
	return id > 0 && ui->down && ui->press_id == id && ui->press_inside;
}

int
ui_focus_id(const struct ui *ui)
{
	return ui->focus_visible ? ui->focus_id : 0;
}

bool
ui_focused(const struct ui *ui, int id)
{
	return id > 0 && ui->focus_visible && ui->focus_id == id;
}

static int
activate(struct ui *ui, int id, uint64_t now)
{
	if (id == ui->last_id && ui->last_ms != 0 &&
	    now - ui->last_ms < TREMOR_MS)
		return 0;
	ui->last_id = id;
	ui->last_ms = now == 0 ? 1 : now;
	return id;
}

static bool
move_focus(struct ui *ui, int dir)
{
	const struct wlist *l = &ui->last;
	size_t i, n = 0, at = (size_t)-1;
	int ids[256];

	for (i = l->modal_from; i < l->n && n < ARRAY_SIZE(ids); i++)
		if (l->v[i].id > 0 && !l->v[i].disabled) {
			if (l->v[i].id == ui->focus_id)
				at = n;
			ids[n++] = l->v[i].id;
		}
	if (n == 0)
		return false;
	if (at == (size_t)-1 || !ui->focus_visible)
		at = dir > 0 ? 0 : n - 1;
	else
		at = (at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	ui->focus_id = ids[at];
	ui->focus_visible = true;
	return true;
}

void
ui_input_reset(struct ui *ui)
{
	ui->down = false;
	ui->press_id = 0;
	ui->pending = 0;
	ui->focus_visible = false;
	ui->focus_id = 0;
	/* a new screen's controls are new controls for the tremor guard */
	ui->last_id = 0;
	ui->last_ms = 0;
}

bool
ui_input(struct ui *ui, const struct ui_event *ev)
{
	const struct ui_widget *w;
	bool changed = false;

	ui->pending = 0;
	if (ev->type == UI_TAP) {
		switch (ev->phase) {
		case UI_TAP_PRESS:
			changed = ui->focus_visible;
			ui->focus_visible = false;
			ui->down = true;
			w = hit(ui, ev->x, ev->y);
			ui->press_id = w != NULL ? w->id : 0;
			ui->press_rect = w != NULL ? w->rect :
			    (struct ui_rect){ 0, 0, 0, 0 };
			ui->press_inside = true;
			return changed || ui->press_id != 0;
		case UI_TAP_MOVE:
			if (ui->down && ui->press_id != 0) {
				bool in = ui_rect_contains(ui->press_rect,
				    ev->x, ev->y);
				changed = in != ui->press_inside;
				ui->press_inside = in;
			}
			return changed;
		case UI_TAP_RELEASE:
			if (ui->down && ui->press_id != 0 &&
			    ui_rect_contains(ui->press_rect, ev->x, ev->y))
				ui->pending = activate(ui, ui->press_id,
				    ev->now_ms);
			changed = ui->press_id != 0;
			ui->down = false;
			ui->press_id = 0;
			return changed;
		}
		return false;
	}
	if (ev->type == UI_KEY) {
		switch (ev->key) {
		case UI_KEY_TAB: case UI_KEY_DOWN: case UI_KEY_RIGHT:
			return move_focus(ui, 1);
		case UI_KEY_BACKTAB: case UI_KEY_UP: case UI_KEY_LEFT:
			return move_focus(ui, -1);
		case UI_KEY_ENTER:
			if (ui->focus_visible && ui->focus_id != 0)
				ui->pending = activate(ui, ui->focus_id,
				    ev->now_ms);
			return false;
		default:
			return false;
		}
	}
	return false;
}

int
ui_clicked(struct ui *ui, const struct ui_event *ev)
{
	if ((ev->type == UI_TAP && ev->phase == UI_TAP_RELEASE) ||
	    (ev->type == UI_KEY && ev->key == UI_KEY_ENTER))
		return ui->pending;
	return 0;
}

int
ui_screenshot(struct ui *ui, const char *path, struct kerr *err)
{
	uint8_t *px;
	int rc;

	px = xmalloc((size_t)ui->w * (size_t)ui->h * 4);
	rc = render_read(ui->r, px, ui->w, ui->h, err);
	if (rc == K_OK)
		rc = png_write_rgba(path, px, ui->w, ui->h, ui->w * 4, err);
	free(px);
	return rc;
}
