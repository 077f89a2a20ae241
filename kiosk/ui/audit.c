/*
 * audit.c - the last frame's widget list read back: find widgets by their
 * text (scripts: `tap "label"`, `expect`) and check the accessibility rules
 * every frame must keep (spec §2-§4, §12).
 */
#include <stdio.h>
#include <string.h>

#include "ui_priv.h"

size_t
ui_widget_count(const struct ui *ui)
{
	return ui->last.n;
}

const struct ui_widget *
ui_widget_at(const struct ui *ui, size_t i)
{
	return i < ui->last.n ? &ui->last.v[i] : NULL;
}

const struct ui_widget *
ui_find(const struct ui *ui, const char *text, bool tappable)
{
	const struct wlist *l = &ui->last;
	size_t i;

	for (i = l->n; i-- > 0;) {
		const struct ui_widget *w = &l->v[i];
		if (tappable && (w->id <= 0 || w->disabled ||
		    i < l->modal_from))
			continue;
		if (w->text != NULL && strstr(w->text, text) != NULL)
			return w;
	}
	return NULL;
}

static const char *
kind_name(enum ui_widget_kind k)
{
	static const char *const names[] = {
		[UI_W_FILL] = "fill", [UI_W_PANEL] = "panel",
		[UI_W_TEXT] = "text", [UI_W_BUTTON] = "button",
		[UI_W_KEY] = "key", [UI_W_CHOICE] = "choice",
		[UI_W_ICON] = "icon", [UI_W_PROGRESS] = "progress",
		[UI_W_DIALOG] = "dialog", [UI_W_QR] = "qr",
	};

	return (size_t)k < ARRAY_SIZE(names) && names[k] ? names[k] : "?";
}

struct report {
	char *buf;
	size_t len, used;
	int n;
};

static void
problem(struct report *r, const struct ui_widget *w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct report *r, const struct ui_widget *w, const char *fmt, ...)
{
	va_list ap;
	int k;

	r->n++;
	if (r->buf == NULL || r->used + 1 >= r->len)
		return;
	k = snprintf(r->buf + r->used, r->len - r->used,
	    "%s \"%.40s\" at %d,%d %dx%d: ", kind_name(w->kind),
	    w->text ? w->text : "", w->rect.x, w->rect.y, w->rect.w,
	    w->rect.h);
	if (k > 0)
		r->used += (size_t)k < r->len - r->used ? (size_t)k :
		    r->len - r->used - 1;
	va_start(ap, fmt);
	k = vsnprintf(r->buf + r->used, r->len - r->used, fmt, ap);
	va_end(ap);
	if (k > 0)
		r->used += (size_t)k < r->len - r->used ? (size_t)k :
		    r->len - r->used - 1;
	if (r->used + 1 < r->len) {
		r->buf[r->used++] = '\n';
		r->buf[r->used] = '\0';
	}
}

/* ui_choices gives the choices of one list consecutive ids. */
static bool
has_sibling_choice(const struct wlist *l, const struct ui_widget *w)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == UI_W_CHOICE && (l->v[i].id == w->id - 1 ||
		    l->v[i].id == w->id + 1))
			return true;
	return false;
}

int
ui_audit(const struct ui *ui, char *buf, size_t len)
{
	struct report r = { buf, len, 0, 0 };
	int target = ui_mm(ui, UI_MM_TARGET);
	int min_px = ui_type_px(ui, UI_TYPE_MIN);
	int body_px = ui_type_px(ui, UI_TYPE_BODY);
	int qr_min = ui_mm(ui, UI_MM_QR_MIN);
	size_t i;

	if (buf != NULL && len > 0)
		buf[0] = '\0';
	for (i = 0; i < ui->last.n; i++) {
		const struct ui_widget *w = &ui->last.v[i];

		if (w->disabled)
			continue;
		if (w->kind == UI_W_CHOICE && !has_sibling_choice(&ui->last, w))
			problem(&r, w, "a choice with no other to choose from "
			    "looks like a radio option: a lone action is a "
			    "button");
		if (w->kind == UI_W_QR && (w->rect.w < qr_min ||
		    w->rect.h < qr_min))
			problem(&r, w, "QR code %dx%d px is under %d px "
			    "(%.0f mm): a phone may not read it", w->rect.w,
			    w->rect.h, qr_min, UI_MM_QR_MIN);
		if (w->id > 0 && (w->rect.w < target || w->rect.h < target))
			problem(&r, w, "touch target %dx%d px is under %d px "
			    "(%.0f mm, R2.1)", w->rect.w, w->rect.h, target,
			    UI_MM_TARGET);
		if (w->font_px == 0 || w->text == NULL || w->text[0] == '\0')
			continue;
		double c = ui_contrast(w->fg, w->bg);
		if (c < 7.0)
			problem(&r, w, "text contrast %.2f:1 (#%02X%02X%02X on "
			    "#%02X%02X%02X) is under 7:1 (R4.1)", c, w->fg.r,
			    w->fg.g, w->fg.b, w->bg.r, w->bg.g, w->bg.b);
		if (w->font_px < min_px)
			problem(&r, w, "text %d px is under %d px (R3.1)",
			    w->font_px, min_px);
		if (w->type == UI_TYPE_BODY && w->font_px < body_px)
			problem(&r, w, "body text %d px is under %d px (R3.1)",
			    w->font_px, body_px);
		if (w->missing_glyphs > 0)
			problem(&r, w, "%d character(s) no font provides "
			    "(tofu, R12.5) in language %s", w->missing_glyphs,
			    w->lang);
		if (w->overflowed)
			problem(&r, w, "text does not fit its box");
	}
	return r.n;
}
