/*
 * layout.c - millimetres to pixels and rect arithmetic (pure, no SDL).
 *
 * Designs are in mm (spec §1) and turned into px with kiosk.px_per_mm,
 * always rounding up, so a 15 mm target is never drawn smaller than 15 mm.
 */
#include <math.h>

#include "ui.h"

int
ui_mm_px(double px_per_mm, double mm)
{
	double px = mm * px_per_mm;

	/* 1e-9: 15 mm x 4.0 must stay 60, not become 61 by float noise */
	return (int)ceil(px - 1e-9);
}

bool
ui_rect_contains(struct ui_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

struct ui_rect
ui_inset(struct ui_rect r, int d)
{
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

struct ui_rect
ui_center(struct ui_rect r, int w, int h)
{
	struct ui_rect c;

	c.w = w < r.w ? w : r.w;
	c.h = h < r.h ? h : r.h;
	c.x = r.x + (r.w - c.w) / 2;
	c.y = r.y + (r.h - c.h) / 2;
	return c;
}

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

struct ui_rect
ui_cut_top(struct ui_rect *r, int h, int gap)
{
	struct ui_rect s = *r;

	s.h = clampi(h, 0, r->h);
	gap = clampi(gap, 0, r->h - s.h);
	r->y += s.h + gap;
	r->h -= s.h + gap;
	return s;
}

struct ui_rect
ui_cut_bottom(struct ui_rect *r, int h, int gap)
{
	struct ui_rect s = *r;

	s.h = clampi(h, 0, r->h);
	s.y = r->y + r->h - s.h;
	gap = clampi(gap, 0, r->h - s.h);
	r->h -= s.h + gap;
	return s;
}

struct ui_rect
ui_cut_left(struct ui_rect *r, int w, int gap)
{
	struct ui_rect s = *r;

	s.w = clampi(w, 0, r->w);
	gap = clampi(gap, 0, r->w - s.w);
	r->x += s.w + gap;
	r->w -= s.w + gap;
	return s;
}

struct ui_rect
ui_cut_right(struct ui_rect *r, int w, int gap)
{
	struct ui_rect s = *r;

	s.w = clampi(w, 0, r->w);
	s.x = r->x + r->w - s.w;
	gap = clampi(gap, 0, r->w - s.w);
	r->w -= s.w + gap;
	return s;
}

struct ui_rect
ui_column(struct ui_rect r, int n, int i, int gap)
{
	struct ui_rect c = r;
	int cw;

	if (n < 1)
		return r;
	cw = (r.w - gap * (n - 1)) / n;
	if (cw < 0)
		cw = 0;
	c.x = r.x + i * (cw + gap);
	c.w = i == n - 1 ? r.x + r.w - c.x : cw;
	return c;
}

struct ui_rect
ui_row(struct ui_rect r, int n, int i, int gap)
{
	struct ui_rect c = r;
	int ch;

	if (n < 1)
		return r;
	ch = (r.h - gap * (n - 1)) / n;
	if (ch < 0)
		ch = 0;
	c.y = r.y + i * (ch + gap);
	c.h = i == n - 1 ? r.y + r.h - c.y : ch;
	return c;
}

/*
 * The frame: margin from the bezel (R2.7), a header row of language, larger
 * text and help (right, in that order) with the title to their left, or on a
 * row of its own when the window is too narrow for both (portrait); a
 * footer row with back and end on the left and next on the right (R2.8).
 * Button widths are in mm and shrink (never below the 15 mm target) when
 * the window cannot hold them.
 */
void
ui_frame_layout(struct ui_frame *f, struct ui_rect screen, double ppm)
{
	struct ui_rect area, row;
	int margin, gap, bh, target, w_lang, w_large, w_help, w_back, w_end;
	int w_next, need, title_min;

	margin = ui_mm_px(ppm, UI_MM_MARGIN);
	if (margin > screen.w / 16)
		margin = screen.w / 16;
	gap = ui_mm_px(ppm, UI_MM_GAP);
	bh = ui_mm_px(ppm, UI_MM_PRIMARY);
	target = ui_mm_px(ppm, UI_MM_TARGET);
	area = ui_inset(screen, margin);

	w_lang = ui_mm_px(ppm, 72);
	w_large = ui_mm_px(ppm, 88);
	w_help = ui_mm_px(ppm, 62);
	title_min = ui_mm_px(ppm, 100);
	need = w_lang + w_large + w_help + 2 * gap;
	if (need > area.w) {
		/* shrink the three alike; never below a target */
		double k = (double)(area.w - 2 * gap) / (w_lang + w_large + w_help);
		w_lang = (int)(w_lang * k);
		w_large = (int)(w_large * k);
		w_help = (int)(w_help * k);
		if (w_lang < target)
			w_lang = target;
		if (w_large < target)
			w_large = target;
		if (w_help < target)
			w_help = target;
		need = w_lang + w_large + w_help + 2 * gap;
	}

	if (area.w - need - gap >= title_min) {
		f->header = ui_cut_top(&area, bh, gap);
		row = f->header;
		f->help = ui_cut_right(&row, w_help, gap);
		f->large = ui_cut_right(&row, w_large, gap);
		f->lang = ui_cut_right(&row, w_lang, gap);
		f->title = row;
	} else {
		f->header = ui_cut_top(&area, 2 * bh + gap, gap);
		row = f->header;
		struct ui_rect buttons = ui_cut_top(&row, bh, gap);
		f->help = ui_cut_right(&buttons, w_help, gap);
		f->large = ui_cut_right(&buttons, w_large, gap);
		f->lang = ui_cut_right(&buttons, w_lang, gap);
		f->title = row;
	}

	w_back = ui_mm_px(ppm, 56);
	w_end = ui_mm_px(ppm, 56);
	w_next = ui_mm_px(ppm, 80);
	need = w_back + w_end + w_next + 2 * gap;
	if (need > area.w) {
		double k = (double)(area.w - 2 * gap) / (w_back + w_end + w_next);
		w_back = (int)(w_back * k);
		w_end = (int)(w_end * k);
		w_next = (int)(w_next * k);
		if (w_back < target)
			w_back = target;
		if (w_end < target)
			w_end = target;
		if (w_next < target)
			w_next = target;
	}
	f->footer = ui_cut_bottom(&area, bh, gap);
	row = f->footer;
	f->back = ui_cut_left(&row, w_back, gap);
	f->end = ui_cut_left(&row, w_end, gap);
	f->next = ui_cut_right(&row, w_next, gap);
	f->content = area;
}
