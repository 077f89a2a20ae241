/*
 * question.c - one question per screen, with "2 / 5" and back.
 *   choice, yesno: large choices; one tap answers and goes on.
 *   count: − / + around the number, then "next" (the default is set).
 *   date: year, month and day each with − / +, the date read back with
 *         its era (和暦), then "next".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "wareki.h"

enum {
	ID_CHOICE0 = 100,
	ID_MINUS = 200, ID_PLUS,
	ID_Y_MINUS = 210, ID_Y_PLUS, ID_M_MINUS, ID_M_PLUS, ID_D_MINUS, ID_D_PLUS,
};

static struct {
	int y, m, d;     /* date being chosen */
} st;

static const struct cat_question *
cur(struct journey *j)
{
	if (j->s.proc == NULL || j->s.qpos >= j->s.proc->nquestions)
		return NULL;
	return &j->s.proc->questions[j->s.qpos];
}

static void
today(struct app *app, int *y, int *m, int *d)
{
	int64_t ms = app_wall_ms(app);
	time_t t = ms > 0 ? (time_t)(ms / 1000) : time(NULL);
	struct tm tm;

	t += 9 * 3600;   /* the kiosk is in Japan */
	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

static void
question_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);
	const struct cat_question *q = cur(j);

	(void)arg;
	memset(&st, 0, sizeof st);
	if (q != NULL && q->type == CAT_Q_DATE &&
	    !wareki_parse_iso(j->s.answers[j->s.qpos], &st.y, &st.m, &st.d))
		today(app, &st.y, &st.m, &st.d);
}

static void
clamp_date(void)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (st.m < 1)
		st.m = 12;
	if (st.m > 12)
		st.m = 1;
	if (st.d < 1)
		st.d = mdays[st.m - 1];
	if (st.d > mdays[st.m - 1])
		st.d = 1;
	while (!wareki_valid(st.y, st.m, st.d) && st.d > 28)
		st.d--;
}

static bool
question_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	const struct cat_question *q = cur(j);
	char *a = j->s.answers[j->s.qpos];
	char buf[JOURNEY_ANSWER_MAX];
	bool redraw;
	int id, v;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	if (q == NULL)
		return false;
	id = ui_clicked(app_ui(app), ev);
	if (ev->type == UI_KEY && q->type == CAT_Q_COUNT) {
		if (ev->key == UI_KEY_PLUS)
			id = ID_PLUS;
		else if (ev->key == UI_KEY_MINUS)
			id = ID_MINUS;
	}
	switch (q->type) {
	case CAT_Q_CHOICE:
	case CAT_Q_YESNO:
		if (id >= ID_CHOICE0 && id < ID_CHOICE0 +
		    (int)(q->type == CAT_Q_YESNO ? 2 : q->nchoices)) {
			size_t k = (size_t)(id - ID_CHOICE0);
			journey_set_answer(&j->s, j->s.qpos, q->type == CAT_Q_YESNO ?
			    (k == 0 ? "yes" : "no") : q->choices[k].id);
			journey_next(app, JO_NEXT);
			return true;
		}
		if (id == JF_NEXT && a[0]) {
			journey_next(app, JO_NEXT);
			return true;
		}
		break;
	case CAT_Q_COUNT:
		v = atoi(a);
		if (id == ID_MINUS || id == ID_PLUS) {
			v += id == ID_PLUS ? 1 : -1;
			if (v < q->min)
				v = q->min;
			if (v > q->max)
				v = q->max;
			snprintf(buf, sizeof buf, "%d", v);
			journey_set_answer(&j->s, j->s.qpos, buf);
			return true;
		}
		if (id == JF_NEXT) {
			journey_next(app, JO_NEXT);
			return true;
		}
		break;
	case CAT_Q_DATE:
		switch (id) {
		case ID_Y_MINUS: st.y--; break;
		case ID_Y_PLUS: st.y++; break;
		case ID_M_MINUS: st.m--; break;
		case ID_M_PLUS: st.m++; break;
		case ID_D_MINUS: st.d--; break;
		case ID_D_PLUS: st.d++; break;
		case JF_NEXT:
			snprintf(buf, sizeof buf, "%04d-%02d-%02d", st.y, st.m, st.d);
			journey_set_answer(&j->s, j->s.qpos, buf);
			journey_next(app, JO_NEXT);
			return true;
		default:
			return false;
		}
		if (st.y < 1900)
			st.y = 1900;
		if (st.y > 2100)
			st.y = 2100;
		clamp_date();
		return true;
	}
	return false;
}

/* A − value + row; value text drawn large in the middle. */
static void
stepper(struct app *app, struct ui *ui, struct ui_rect r, int id_minus,
    int id_plus, const char *value, const char *minus_label,
    const char *plus_label, enum ui_type type)
{
	struct ui_text_style ts;
	int bw = ui_mm(ui, 55), need;
	struct ui_rect minus, plus;

	need = journey_button_width(ui, minus_label, false);
	if (need < journey_button_width(ui, plus_label, false))
		need = journey_button_width(ui, plus_label, false);
	if (bw < need)
		bw = need;
	if (bw > r.w / 3)
		bw = r.w / 3;
	minus = ui_cut_left(&r, bw, ui_mm(ui, UI_MM_GAP));
	(void)app;
	plus = ui_cut_right(&r, bw, ui_mm(ui, UI_MM_GAP));
	ui_button_ex(ui, id_minus, minus, UI_ICON_NONE, minus_label, NULL,
	    UI_SECONDARY, 0);
	ui_button_ex(ui, id_plus, plus, UI_ICON_NONE, plus_label, NULL,
	    UI_SECONDARY, 0);
	memset(&ts, 0, sizeof ts);
	ts.type = type;
	ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
	ui_panel(ui, r, UI_COL_BG, UI_COL_BORDER, 2);
	ui_text(ui, ui_inset(r, ui_mm(ui, 2)), value, &ts);
}

static void
question_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	const struct cat_question *q = cur(j);
	struct journey_frame_opts o = { .back = true, .end = true };
	struct ui_frame f;
	struct ui_rect c, r;
	struct ui_text_style ts;
	const char *labels[8];
	char buf[128], num[16];
	const char *args[1];
	int gap = ui_mm(ui, UI_MM_GAP), bh = ui_mm(ui, UI_MM_PRIMARY), h, sel = -1;

	size_t i, n;

	if (q == NULL)
		return;
	o.title = catalog_name(j->s.proc, j->s.lang);
	if (q->type == CAT_Q_COUNT || q->type == CAT_Q_DATE ||
	    j->s.answers[j->s.qpos][0])
		o.next_key = "frame.next";
	journey_frame(app, ui, &o, &f);
	c = f.content;
	journey_steps(app, ui, &c);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H2;
	h = ui_text_height(ui, c.w, journey_text(app, &q->text), &ts);
	ui_text(ui, ui_cut_top(&c, h, gap), journey_text(app, &q->text), &ts);
	if (q->help.n > 0) {
		ts.type = UI_TYPE_BODY;
		h = ui_text_height(ui, c.w, journey_text(app, &q->help), &ts);
		ui_text(ui, ui_cut_top(&c, h, gap), journey_text(app, &q->help), &ts);
	}
	switch (q->type) {
	case CAT_Q_CHOICE:
		n = q->nchoices;
		for (i = 0; i < n; i++) {
			labels[i] = journey_text(app, &q->choices[i].text);
			if (strcmp(q->choices[i].id, j->s.answers[j->s.qpos]) == 0)
				sel = (int)i;
		}
		ui_choices(ui, ID_CHOICE0, c, labels, n, sel);
		break;
	case CAT_Q_YESNO:
		labels[0] = journey_tr(app, "answer.yes");
		labels[1] = journey_tr(app, "answer.no");
		if (strcmp(j->s.answers[j->s.qpos], "yes") == 0)
			sel = 0;
		else if (strcmp(j->s.answers[j->s.qpos], "no") == 0)
			sel = 1;
		ui_choices(ui, ID_CHOICE0, c, labels, 2, sel);
		break;
	case CAT_Q_COUNT:
		/* the number alone (with its counter word in CJK): large */
		args[0] = j->s.answers[j->s.qpos];
		journey_trf(app, buf, sizeof buf, strcmp(q->id, "copies") == 0 ?
		    "answer.copies_short" : "answer.count_short", args, 1);
		/* room for the number in display type with its furigana */
		r = ui_center(c, c.w < ui_mm(ui, 240) ? c.w : ui_mm(ui, 240),
		    ui_type_line_px(ui, UI_TYPE_DISPLAY) * 3 / 2 + ui_mm(ui, 6));
		stepper(app, ui, r, ID_MINUS, ID_PLUS, buf,
		    journey_tr(app, "count.minus"), journey_tr(app, "count.plus"),
		    UI_TYPE_DISPLAY);
		break;
	case CAT_Q_DATE: {
		/* year | month | day side by side, each: + on top, value, − below */
		static const char *const keys[3] = { "date.year", "date.month",
		    "date.day" };
		int vals[3] = { st.y, st.m, st.d }, k, colw;
		int vh = ui_type_line_px(ui, UI_TYPE_H2) * 3 / 2 + ui_mm(ui, 4);
		struct ui_rect area = c, cols, col, box;
		wareki_format_date(buf, sizeof buf, st.y, st.m, st.d, j->s.lang, true);
		ts.type = UI_TYPE_H2;
		ts.align = UI_ALIGN_CENTER;
		h = ui_text_height(ui, area.w - 2 * gap, buf, &ts);
		/* the date read back with its era, when there is room */
		if (area.h - h - 3 * gap >= 2 * bh + vh + 2 * gap) {
			r = ui_cut_top(&area, h + 2 * gap, gap);
			ui_panel(ui, r, UI_COL_PANEL_BLUE, UI_COL_PRIMARY, 3);
			ui_text(ui, ui_inset(r, gap), buf, &ts);
		}
		colw = (area.w - 2 * gap) / 3;
		if (colw > ui_mm(ui, 90))
			colw = ui_mm(ui, 90);
		cols = ui_center(area, 3 * colw + 2 * gap, 2 * bh + vh + 2 * gap <
		    area.h ? 2 * bh + vh + 2 * gap : area.h);
		for (k = 0; k < 3; k++) {
			col = ui_column(cols, 3, k, gap);
			snprintf(num, sizeof num, "%d", vals[k]);
			args[0] = num;
			journey_trf(app, buf, sizeof buf, keys[k], args, 1);
			ui_button_ex(ui, ID_Y_PLUS + 2 * k, ui_cut_top(&col, bh, gap),
			    UI_ICON_NONE, journey_tr(app, "count.plus"), NULL,
			    UI_SECONDARY, 0);
			ui_button_ex(ui, ID_Y_MINUS + 2 * k, ui_cut_bottom(&col, bh, gap),
			    UI_ICON_NONE, journey_tr(app, "count.minus"), NULL,
			    UI_SECONDARY, 0);
			box = col;
			ui_panel(ui, box, UI_COL_BG, UI_COL_BORDER, 2);
			ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
			ui_text(ui, ui_inset(box, ui_mm(ui, 1)), buf, &ts);
		}
		break;
	}
	}
}

const struct screen screen_question = {
	.name = "question",
	.enter = question_enter,
	.event = question_event,
	.draw = question_draw,
	.leave = NULL,
};
