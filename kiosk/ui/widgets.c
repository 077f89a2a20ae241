/*
 * widgets.c - the widgets of ui.h drawn with render.c and text.c, each
 * recorded in the frame's widget list.  Looks follow the Digital Agency
 * design system at kiosk scale: blue-900 primary buttons, 3 px outlines,
 * blue-1200 pressed, black + yellow focus ring (spec §4, §5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qr.h"
#include "ui_priv.h"
#include "xmalloc.h"

static struct ui_color
fg_or_text(struct ui_color c)
{
	return c.a == 0 ? UI_COL_TEXT : c;
}

static int
radius(const struct ui *ui)
{
	return ui_mm(ui, 2);
}

/*
 * Nothing opaque drawn under r yet in this frame: it shows the page colour
 * the frame was cleared to, so a page-coloured fill there would paint
 * pixels with the colour they already have (a redraw on the software
 * renderer spends its time filling).  Looks at the widgets before the
 * last one recorded (the caller's own).
 */
static bool
page_under(const struct ui *ui, struct ui_rect r)
{
	size_t i;

	if (ui->cur.n == 0)
		return true;
	for (i = 0; i + 1 < ui->cur.n; i++) {
		const struct ui_widget *w = &ui->cur.v[i];
		if (w->kind == UI_W_TEXT || w->kind == UI_W_ICON)
			continue;
		if (w->rect.x < r.x + r.w && r.x < w->rect.x + w->rect.w &&
		    w->rect.y < r.y + r.h && r.y < w->rect.y + w->rect.h)
			return false;
	}
	return true;
}

static bool
same_color(struct ui_color a, struct ui_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static void
set_lang(struct ui_widget *w, const char *lang)
{
	free((char *)w->lang);
	w->lang = xstrdup(lang);
}

/* Lay out and draw one text block at x,y (top-left); info out. */
static void
block(struct ui *ui, const char *utf8, enum ui_type type, const char *lang,
    int wrap_w, unsigned align, int x, int y, struct ui_color fg,
    struct text_info *info)
{
	struct ui_text_style st = { type, align, fg, lang };
	struct text_params p;

	ui_text_params(ui, &st, &p, wrap_w);
	if (ui->r == NULL)
		text_measure(ui->text, utf8, &p, info);
	else
		text_draw(ui->text, utf8, &p, x, y, fg.r, fg.g, fg.b, fg.a,
		    info);
}

static void
measure(struct ui *ui, const char *utf8, enum ui_type type, const char *lang,
    int wrap_w, unsigned align, struct text_info *info)
{
	struct ui_text_style st = { type, align, UI_COL_TEXT, lang };
	struct text_params p;

	ui_text_params(ui, &st, &p, wrap_w);
	text_measure(ui->text, utf8, &p, info);
}

int
ui_text(struct ui *ui, struct ui_rect r, const char *utf8,
    const struct ui_text_style *st)
{
	struct text_info info;
	struct ui_widget *w;
	const char *lang = st->lang != NULL ? st->lang : ui->lang;
	struct ui_color fg = fg_or_text(st->fg);
	int x, y;

	if (utf8 == NULL)
		utf8 = "";
	measure(ui, utf8, st->type, lang, r.w, st->align, &info);
	x = r.x;
	if (st->align & UI_ALIGN_CENTER)
		x = r.x + (r.w - info.w) / 2;
	else if (st->align & UI_ALIGN_RIGHT)
		x = r.x + r.w - info.w;
	y = r.y;
	if (st->align & UI_ALIGN_MIDDLE)
		y = r.y + (r.h - info.h) / 2;
	else if (st->align & UI_ALIGN_BOTTOM)
		y = r.y + r.h - info.h;
	if (x < r.x)
		x = r.x;
	if (y < r.y)
		y = r.y;

	w = ui_record(ui, UI_W_TEXT, 0, r, utf8);
	set_lang(w, lang);
	w->fg = fg;
	w->bg = ui_bg_at(ui, x + info.w / 2, y + info.h / 2);
	w->type = st->type;
	w->font_px = ui_type_px(ui, st->type);
	w->missing_glyphs = info.missing;
	w->overflowed = info.h > r.h || info.w > r.w || info.too_wide;
	w->state = (int)st->align;
	block(ui, utf8, st->type, lang, r.w, st->align, x, y, fg, &info);
	return info.h;
}

int
ui_label(struct ui *ui, struct ui_rect r, const char *utf8, enum ui_type type)
{
	struct ui_text_style st = { type, UI_ALIGN_LEFT | UI_ALIGN_TOP,
	    UI_COL_TEXT, NULL };

	return ui_text(ui, r, utf8, &st);
}

int
ui_text_height(struct ui *ui, int w, const char *utf8,
    const struct ui_text_style *st)
{
	struct text_info info;

	measure(ui, utf8, st->type, st->lang != NULL ? st->lang : ui->lang, w,
	    st->align, &info);
	return info.h;
}

int
ui_text_width(struct ui *ui, const char *utf8, const struct ui_text_style *st)
{
	struct text_info info;

	measure(ui, utf8, st->type, st->lang != NULL ? st->lang : ui->lang, 0,
	    st->align, &info);
	return info.w;
}

int
ui_ruby(struct ui *ui, struct ui_rect r, const char *base, const char *reading,
    const struct ui_text_style *st)
{
	char *s = xasprintf("{%s|%s}", base, reading);
	int h = ui_text(ui, r, s, st);

	free(s);
	return h;
}

void
ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c)
{
	struct ui_widget *w = ui_record(ui, UI_W_FILL, 0, r, NULL);

	w->bg = c;
	render_fill(ui->r, r, c);
}

void
ui_panel(struct ui *ui, struct ui_rect r, struct ui_color bg,
    struct ui_color border, int border_px)
{
	struct ui_widget *w = ui_record(ui, UI_W_PANEL, 0, r, NULL);

	w->bg = bg;
	if (border_px > 0 && same_color(bg, UI_COL_BG) && page_under(ui, r))
		render_round_frame(ui->r, r, radius(ui), border_px, border);
	else
		render_round_bordered(ui->r, r, radius(ui), border_px, border,
		    bg);
}

/* DADS focus indicator at kiosk scale: 2 px gap, 4 px black, 4 px yellow. */
static void
focus_ring(struct ui *ui, struct ui_rect r)
{
	int rad = radius(ui);

	render_round_frame(ui->r, ui_inset(r, -10), rad + 10, 4, UI_COL_FOCUS);
	render_round_frame(ui->r, ui_inset(r, -6), rad + 6, 4,
	    UI_COL_FOCUS_OUTLINE);
}

struct look {
	struct ui_color fill, border, fg;
	int border_px;
};

static struct look
look_of(const struct ui *ui, enum ui_role role, unsigned flags, bool pressed)
{
	struct look l;

	if (flags & UI_DISABLED)
		return (struct look){ UI_COL_DISABLED, UI_COL_DISABLED,
		    UI_COL_TEXT2, 0 };
	if (flags & UI_SELECTED)
		return (struct look){ UI_COL_SELECTED, UI_COL_PRIMARY,
		    UI_COL_TEXT, 3 };
	switch (role) {
	case UI_PRIMARY:
		l = (struct look){ pressed ? UI_COL_PRIMARY_DOWN :
		    UI_COL_PRIMARY, UI_COL_PRIMARY, UI_COL_ON_PRIMARY, 0 };
		break;
	case UI_SECONDARY:
		l = (struct look){ pressed ? UI_COL_SELECTED : UI_COL_BG,
		    UI_COL_PRIMARY, UI_COL_PRIMARY, 3 };
		break;
	case UI_DANGER:
		/* pressed: solid red with a white label (#A90000 on the pale
		 * red background would be 6.9:1) */
		l = pressed ? (struct look){ UI_COL_ERROR, UI_COL_ERROR,
		    UI_COL_ON_PRIMARY, 0 } : (struct look){ UI_COL_BG,
		    UI_COL_ERROR, UI_COL_ERROR, 3 };
		break;
	case UI_QUIET:
	default:
		l = (struct look){ pressed ? UI_COL_SELECTED : UI_COL_PANEL,
		    UI_COL_BORDER, UI_COL_TEXT, 2 };
		break;
	}
	(void)ui;
	return l;
}

/*
 * The body of every pressable thing: fill and border by role and state, an
 * optional icon (or radio mark for choices), the label and sublabel,
 * centred or left-aligned, and the focus ring.
 */
static void
pressable(struct ui *ui, enum ui_widget_kind kind, int id, struct ui_rect r,
    enum ui_icon icon, const char *label, const char *sublabel,
    enum ui_role role, unsigned flags, bool left, enum ui_type type)
{
	bool pressed = !(flags & UI_DISABLED) && ui_pressed(ui, id);
	struct look l = look_of(ui, role, flags, pressed);
	struct ui_widget *w;
	struct text_info li = { 0 }, si = { 0 };
	struct ui_rect in;
	int pad = ui_mm(ui, 4), gap = ui_mm(ui, 3), isz = 0, tw, gw, th, x, y;
	int sub_gap = sublabel != NULL ? ui_mm(ui, 1) : 0;
	bool radio = kind == UI_W_CHOICE;
	unsigned align = left ? UI_ALIGN_LEFT : UI_ALIGN_CENTER;
	char *both = NULL;

	if (label == NULL)
		label = "";
	if (sublabel != NULL)
		both = xasprintf("%s %s", label, sublabel);
	w = ui_record(ui, kind, id, r, both != NULL ? both : label);
	free(both);
	w->bg = l.fill;
	w->fg = l.fg;
	w->type = type;
	w->font_px = label[0] != '\0' ? ui_type_px(ui, type) : 0;
	w->disabled = (flags & UI_DISABLED) != 0;
	w->state = (int)icon << 8 | (int)flags << 4 | (ui_focused(ui, id) ? 1 : 0);

	if (l.border_px > 0 && same_color(l.fill, UI_COL_BG) &&
	    page_under(ui, r))
		render_round_frame(ui->r, r, radius(ui), l.border_px, l.border);
	else
		render_round_bordered(ui->r, r, radius(ui), l.border_px,
		    l.border, l.fill);

	in = ui_inset(r, l.border_px);
	in.x += pad;
	in.w -= 2 * pad;
	in.y += ui_mm(ui, 1);
	in.h -= 2 * ui_mm(ui, 1);
	if (icon != UI_ICON_NONE || radio)
		isz = ui_type_px(ui, type) * 3 / 2;
	tw = in.w - (isz > 0 ? isz + gap : 0);

	/* natural one-line width; wrap only when it does not fit */
	measure(ui, label, type, NULL, 0, align, &li);
	if (li.w > tw)
		measure(ui, label, type, NULL, tw, align, &li);
	if (sublabel != NULL) {
		measure(ui, sublabel, UI_TYPE_SECONDARY, "ja", 0, align, &si);
		if (si.w > tw)
			measure(ui, sublabel, UI_TYPE_SECONDARY, "ja", tw,
			    align, &si);
	}
	th = li.h + sub_gap + si.h;
	gw = (isz > 0 ? isz + gap : 0) + (li.w > si.w ? li.w : si.w);
	x = left ? in.x : in.x + (in.w - gw) / 2;
	if (x < in.x)
		x = in.x;
	y = in.y + (in.h - th) / 2;
	if (y < in.y)
		y = in.y;
	w->overflowed = th > in.h || li.too_wide || si.too_wide ||
	    (isz > 0 ? isz + gap : 0) + li.w > in.w;
	w->missing_glyphs = li.missing + si.missing;

	if (radio) {
		int cx = x + isz / 2, cy = r.y + r.h / 2, rr = isz * 2 / 5;
		if (flags & UI_SELECTED) {
			render_disc(ui->r, cx, cy, rr, UI_COL_PRIMARY);
			icon_draw(ui, (struct ui_rect){ cx - rr * 3 / 4,
			    cy - rr * 3 / 4, rr * 3 / 2, rr * 3 / 2 },
			    UI_ICON_CHECK, UI_COL_ON_PRIMARY);
		} else {
			render_ring(ui->r, cx, cy, rr, 3, UI_COL_BORDER);
		}
	} else if (isz > 0) {
		icon_draw(ui, (struct ui_rect){ x, r.y + (r.h - isz) / 2, isz,
		    isz }, icon, l.fg);
	}
	if (isz > 0)
		x += isz + gap;
	block(ui, label, type, NULL, li.lines > 1 ? tw : 0, align,
	    left ? x : x + ((li.w > si.w ? li.w : si.w) - li.w) / 2, y, l.fg,
	    &li);
	if (sublabel != NULL)
		block(ui, sublabel, UI_TYPE_SECONDARY, "ja", si.lines > 1 ? tw :
		    0, align, left ? x : x + ((li.w > si.w ? li.w : si.w) -
		    si.w) / 2, y + li.h + sub_gap, l.fg, &si);
	if (ui_focused(ui, id))
		focus_ring(ui, r);
}

void
ui_button(struct ui *ui, int id, struct ui_rect r, const char *label,
    enum ui_role role)
{
	pressable(ui, UI_W_BUTTON, id, r, UI_ICON_NONE, label, NULL, role, 0,
	    false, UI_TYPE_BUTTON);
}

void
ui_button_ex(struct ui *ui, int id, struct ui_rect r, enum ui_icon icon,
    const char *label, const char *sublabel, enum ui_role role,
    unsigned flags)
{
	pressable(ui, UI_W_BUTTON, id, r, icon, label, sublabel, role, flags,
	    false, UI_TYPE_BUTTON);
}

void
ui_icon(struct ui *ui, struct ui_rect r, enum ui_icon icon, struct ui_color c)
{
	struct ui_widget *w = ui_record(ui, UI_W_ICON, 0, r, NULL);

	w->fg = c;
	w->bg = ui_bg_at(ui, r.x + r.w / 2, r.y + r.h / 2);
	w->state = (int)icon;
	icon_draw(ui, r, icon, c);
}

void
ui_keypad(struct ui *ui, int id, struct ui_rect r, const char *clear_label,
    const char *enter_label)
{
	ui_keypad_ex(ui, id, r, clear_label, enter_label, true);
}

void
ui_keypad_ex(struct ui *ui, int id, struct ui_rect r, const char *clear_label,
    const char *enter_label, bool enter_ready)
{
	static const int order[UI_PAD_KEYS] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, UI_PAD_CLEAR, 0, UI_PAD_ENTER,
	};
	int gap = ui_mm(ui, UI_MM_GAP), i;

	for (i = 0; i < UI_PAD_KEYS; i++) {
		struct ui_rect row = ui_row(r, 4, i / 3, gap);
		struct ui_rect cell = ui_column(row, 3, i % 3, gap);
		int k = order[i];
		char digit[2] = { (char)('0' + k), '\0' };

		if (k == UI_PAD_CLEAR)
			pressable(ui, UI_W_KEY, id + k, cell, UI_ICON_NONE,
			    clear_label != NULL ? clear_label : "訂正", NULL,
			    UI_QUIET, 0, false, UI_TYPE_BUTTON);
		else if (k == UI_PAD_ENTER)
			pressable(ui, UI_W_KEY, id + k, cell, UI_ICON_NONE,
			    enter_label != NULL ? enter_label : "OK", NULL,
			    UI_PRIMARY, enter_ready ? 0 : UI_DISABLED, false,
			    UI_TYPE_BUTTON);
		else
			pressable(ui, UI_W_KEY, id + k, cell, UI_ICON_NONE,
			    digit, NULL, UI_SECONDARY, 0, false, UI_TYPE_H1);
	}
}

size_t
ui_choices(struct ui *ui, int id, struct ui_rect r, const char *const *labels,
    size_t n, int selected)
{
	int h = ui_mm(ui, UI_MM_PRIMARY), gap = ui_mm(ui, UI_MM_GAP);
	size_t fit, i;

	if (ui->large)
		h = h * 5 / 4;
	fit = (size_t)((r.h + gap) / (h + gap));
	if (fit > n)
		fit = n;
	for (i = 0; i < fit; i++) {
		struct ui_rect c = ui_cut_top(&r, h, gap);
		pressable(ui, UI_W_CHOICE, id + (int)i, c, UI_ICON_NONE,
		    labels[i], NULL, UI_QUIET, (int)i == selected ?
		    UI_SELECTED : 0, true, UI_TYPE_BUTTON);
	}
	return fit;
}

void
ui_progress(struct ui *ui, struct ui_rect r, double fraction, uint64_t t_ms)
{
	struct ui_widget *w = ui_record(ui, UI_W_PROGRESS, 0, r, NULL);
	struct ui_rect in = ui_inset(r, 2), bar = in;
	int rad = r.h / 2;

	w->bg = UI_COL_SELECTED;
	render_round(ui->r, r, rad, UI_COL_BORDER);
	render_round(ui->r, in, rad - 2, UI_COL_SELECTED);
	if (fraction >= 0) {
		if (fraction > 1)
			fraction = 1;
		bar.w = (int)(in.w * fraction);
		w->state = bar.w;
	} else {
		/* indeterminate: a third of the track sweeping across */
		int span = in.w / 3, period = 1600;
		int pos = (int)(t_ms % (uint64_t)period);
		bar.w = span;
		bar.x = in.x + (int)((long)(in.w - span) * pos / period);
		w->state = -1 - bar.x;
	}
	if (bar.w > 0)
		render_round(ui->r, bar, rad - 2, UI_COL_PRIMARY);
}

void
ui_steps(struct ui *ui, struct ui_rect r, int current, int total)
{
	int d = ui_mm(ui, 12), gap, i, cy = r.y + r.h / 2;
	struct ui_text_style st = { UI_TYPE_SECONDARY,
	    UI_ALIGN_CENTER | UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };

	if (total < 1)
		return;
	gap = total > 1 ? (r.w - d * total) / (total - 1) : 0;
	if (gap > d * 2)
		gap = d * 2;
	int x0 = r.x + (r.w - (d * total + gap * (total - 1))) / 2;
	if (total > 1)
		render_fill(ui->r, (struct ui_rect){ x0 + d / 2, cy - 1,
		    (d + gap) * (total - 1), 3 }, UI_COL_BORDER);
	for (i = 0; i < total; i++) {
		struct ui_rect c = { x0 + i * (d + gap), cy - d / 2, d, d };
		char num[12];
		bool done = i + 1 <= current;
		struct ui_widget *w = ui_record(ui, UI_W_PANEL, 0, c, NULL);

		w->bg = done ? UI_COL_PRIMARY : UI_COL_BG;
		if (done)
			render_disc(ui->r, c.x + d / 2, cy, d / 2,
			    UI_COL_PRIMARY);
		else {
			render_disc(ui->r, c.x + d / 2, cy, d / 2,
			    UI_COL_BORDER);
			render_disc(ui->r, c.x + d / 2, cy, d / 2 - 3,
			    UI_COL_BG);
		}
		if (i + 1 == current)
			render_ring(ui->r, c.x + d / 2, cy, d / 2 + 8, 4,
			    UI_COL_PRIMARY);
		snprintf(num, sizeof(num), "%d", i + 1);
		st.fg = done ? UI_COL_ON_PRIMARY : UI_COL_TEXT;
		ui_text(ui, c, num, &st);
	}
}

static struct ui_color
icon_color(enum ui_icon icon)
{
	switch (icon) {
	case UI_ICON_WARNING:
		return UI_COL_WARNING;
	case UI_ICON_ERROR:
		return UI_COL_ERROR;
	case UI_ICON_CHECK:
		return UI_COL_SUCCESS;
	default:
		return UI_COL_PRIMARY;
	}
}

struct ui_rect
ui_dialog(struct ui *ui, enum ui_icon icon, const char *title,
    const char *body, int id, const char *const *buttons, size_t nbuttons)
{
	struct ui_rect scr = ui_screen(ui), panel, in, row, body_r;
	struct ui_widget *w;
	struct ui_text_style tst = { UI_TYPE_H1, UI_ALIGN_LEFT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, NULL };
	struct ui_text_style bst = { UI_TYPE_BODY, UI_ALIGN_LEFT, UI_COL_TEXT,
	    NULL };
	int pad = ui_mm(ui, 8), gap = ui_mm(ui, UI_MM_GAP);
	int bh = ui_mm(ui, UI_MM_PRIMARY), isz = icon != UI_ICON_NONE ?
	    ui_type_px(ui, UI_TYPE_H1) * 3 / 2 : 0;
	int pw, tw, th, bdh, ph;
	size_t i;

	ui->cur.modal_from = ui->cur.n;
	w = ui_record(ui, UI_W_FILL, 0, scr, NULL);
	w->bg = UI_COL_SCRIM;
	render_fill(ui->r, scr, UI_COL_SCRIM);

	pw = ui_mm(ui, 220);
	if (pw > scr.w - 2 * ui_mm(ui, UI_MM_MARGIN))
		pw = scr.w - 2 * ui_mm(ui, UI_MM_MARGIN);
	tw = pw - 2 * pad - (isz > 0 ? isz + gap : 0);
	th = ui_text_height(ui, tw, title != NULL ? title : "", &tst);
	if (th < isz)
		th = isz;
	bdh = body != NULL ? ui_text_height(ui, pw - 2 * pad, body, &bst) : 0;
	ph = pad + th + gap + bdh + 2 * gap + bh + pad;
	if (ph > scr.h - 2 * gap)
		ph = scr.h - 2 * gap;
	panel = ui_center(scr, pw, ph);

	w = ui_record(ui, UI_W_DIALOG, 0, panel, title);
	w->bg = UI_COL_BG;
	w->modal = true;
	render_round(ui->r, panel, radius(ui) * 2, UI_COL_BG);

	in = ui_inset(panel, pad);
	row = ui_cut_top(&in, th, gap);
	if (isz > 0)
		ui_icon(ui, ui_cut_left(&row, isz, gap), icon, icon_color(icon));
	ui_text(ui, row, title != NULL ? title : "", &tst);
	struct ui_rect brow = ui_cut_bottom(&in, bh, gap);
	body_r = in;
	if (body != NULL)
		ui_text(ui, body_r, body, &bst);
	if (nbuttons > 0) {
		int bw = ui_mm(ui, 90);
		int total = (int)nbuttons * bw + ((int)nbuttons - 1) * gap;
		if (total > brow.w)
			total = brow.w;
		brow = ui_center(brow, total, bh);
		for (i = 0; i < nbuttons; i++)
			ui_button(ui, id + (int)i, ui_column(brow, (int)nbuttons,
			    (int)(nbuttons - 1 - i), gap), buttons[i],
			    i == 0 ? UI_PRIMARY : UI_SECONDARY);
	}
	return body_r;
}

void
ui_qr(struct ui *ui, struct ui_rect r, const struct qr *q)
{
	struct ui_widget *w;
	int n, m, size, x0, y0, row, col;

	w = ui_record(ui, UI_W_QR, 0, r, NULL);
	w->bg = UI_COL_BG;
	if (q == NULL || q->width <= 0 || q->modules == NULL)
		return;
	n = q->width + 2 * QR_QUIET_ZONE;
	m = (r.w < r.h ? r.w : r.h) / n;
	if (m < 1) {
		m = 1;
		w->overflowed = true;
	}
	size = m * n;
	{
		/* FNV-1a of the modules: a new code is a new picture */
		uint32_t h = 2166136261u;
		for (int i = 0; i < q->width * q->width; i++)
			h = (h ^ q->modules[i]) * 16777619u;
		w->state = (int)(h & 0x7fffffff);
	}
	x0 = r.x + (r.w - size) / 2;
	y0 = r.y + (r.h - size) / 2;
	w->rect = (struct ui_rect){ x0, y0, size, size };
	render_fill(ui->r, w->rect, UI_COL_BG);
	x0 += QR_QUIET_ZONE * m;
	y0 += QR_QUIET_ZONE * m;
	for (row = 0; row < q->width; row++) {
		for (col = 0; col < q->width;) {
			int start;
			if (!q->modules[row * q->width + col]) {
				col++;
				continue;
			}
			start = col;
			while (col < q->width && q->modules[row * q->width + col])
				col++;
			render_fill(ui->r, (struct ui_rect){ x0 + start * m,
			    y0 + row * m, (col - start) * m, m },
			    UI_RGB(0x000000));
		}
	}
}
