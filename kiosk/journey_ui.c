/*
 * journey_ui.c - what every resident screen shares: the frame (title,
 * language, larger text, help, back, end), the events behind it, and the
 * small worker jobs (queue summary, help request).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "xmalloc.h"

/* Width a frame button needs for label with its icon. */
static int
button_need(struct ui *ui, const char *label)
{
	return journey_button_width(ui, label, true);
}

/* widgets.c's padding: border, 4 mm each side, the icon and its gap */
int
journey_button_width(struct ui *ui, const char *label, bool icon)
{
	struct ui_text_style st;
	int px = ui_type_px(ui, UI_TYPE_BUTTON);

	memset(&st, 0, sizeof st);
	st.type = UI_TYPE_BUTTON;
	return ui_text_width(ui, label, &st) + 2 * ui_mm(ui, 4) +
	    (icon ? px * 3 / 2 + ui_mm(ui, 3) : 0) + 2 * 4 + ui_mm(ui, 2);
}

static int
at_least(int v, int min)
{
	return v < min ? min : v;
}

/*
 * The frame's rects, sized to the labels of this language and text size:
 * header buttons as wide as their labels (the title moves to its own row
 * when they and the title do not share one), footer buttons likewise (the
 * primary one on its own row when the three do not fit).
 */
static void
frame_fit(struct app *app, struct ui *ui, struct ui_frame *f,
    const char *title, const struct journey_frame_opts *o)
{
	struct journey *j = journey_of(app);
	struct ui_rect area, row;
	struct ui_text_style st;
	int gap = ui_mm(ui, UI_MM_GAP), bh = ui_mm(ui, UI_MM_PRIMARY);
	int target = ui_mm(ui, UI_MM_TARGET), margin = f->header.x;
	int wl, wg, wh, wb, we, wn, th, tw;

	area = ui_inset(ui_screen(ui), margin);
	wl = at_least(button_need(ui, journey_tr(app, "frame.language")), target);
	wg = at_least(button_need(ui, journey_tr(app, j->s.large ?
	    "frame.large_on" : "frame.large_off")), target);
	wh = at_least(button_need(ui, journey_tr(app, "frame.help")), target);
	memset(&st, 0, sizeof st);
	st.type = UI_TYPE_H1;
	tw = area.w - wl - wg - wh - 3 * gap;
	th = tw > ui_mm(ui, 60) ? ui_text_height(ui, tw, title, &st) : bh + 1;
	if (th <= bh) {
		/* title and the three buttons in one row */
		f->header = ui_cut_top(&area, bh, gap);
		row = f->header;
		f->help = ui_cut_right(&row, wh, gap);
		f->large = ui_cut_right(&row, wg, gap);
		f->lang = ui_cut_right(&row, wl, gap);
		f->title = row;
	} else {
		row = ui_cut_top(&area, bh, gap);
		f->header = row;
		if (wl + wg + wh + 2 * gap <= row.w) {
			f->help = ui_cut_right(&row, wh, gap);
			f->large = ui_cut_right(&row, wg, gap);
			f->lang = ui_cut_right(&row, wl, gap);
		} else {
			/* narrow screen, large text: two rows of buttons */
			f->help = ui_cut_right(&row, wh < row.w ? wh : row.w, gap);
			f->lang = ui_cut_right(&row, wl < row.w ? wl : row.w, gap);
			row = ui_cut_top(&area, bh, gap);
			f->large = ui_cut_right(&row, wg < row.w ? wg : row.w, gap);
		}
		th = ui_text_height(ui, area.w, title, &st);
		f->title = ui_cut_top(&area, th, gap);
		f->header.h = f->title.y + f->title.h - f->header.y;
	}

	wb = o->back ? at_least(button_need(ui, journey_tr(app,
	    o->back_key ? o->back_key : "frame.back")),
	    ui_mm(ui, 42)) : 0;
	we = o->end ? at_least(button_need(ui, journey_tr(app, "frame.end")),
	    ui_mm(ui, 42)) : 0;
	wn = o->next_key ? at_least(button_need(ui, journey_tr(app, o->next_key)),
	    ui_mm(ui, 80)) : ui_mm(ui, 80);
	if (!o->back && !o->end && o->next_key == NULL) {
		/* no footer: the content reaches down */
		f->footer = (struct ui_rect){ area.x, area.y + area.h, area.w, 0 };
		row = f->footer;
	} else if (wb + we + wn + 2 * gap <= area.w) {
		f->footer = ui_cut_bottom(&area, bh, gap);
		row = f->footer;
	} else {
		f->footer = ui_cut_bottom(&area, 2 * bh + gap, gap);
		row = f->footer;
		f->next = ui_cut_top(&row, bh, gap);
		f->next = ui_cut_right(&f->next, wn < row.w ? wn : row.w, 0);
		wn = 0;
	}
	f->back = ui_cut_left(&row, wb ? wb : ui_mm(ui, 42), gap);
	f->end = ui_cut_left(&row, we ? we : ui_mm(ui, 42), gap);
	if (wn > 0)
		f->next = ui_cut_right(&row, wn < row.w ? wn : row.w, gap);
	f->content = area;
}

void
journey_frame_layout(struct app *app, struct ui *ui,
    const struct journey_frame_opts *o, struct ui_frame *f)
{
	const char *title = o->title ? o->title :
	    o->title_key ? journey_tr(app, o->title_key) : "";

	ui_frame(ui, f);
	frame_fit(app, ui, f, title, o);
}

void
journey_frame(struct app *app, struct ui *ui,
    const struct journey_frame_opts *o, struct ui_frame *f)
{
	struct journey *j = journey_of(app);
	struct ui_text_style st;
	const char *title = o->title ? o->title :
	    o->title_key ? journey_tr(app, o->title_key) : "";

	ui_frame(ui, f);
	frame_fit(app, ui, f, title, o);
	ui_fill(ui, ui_screen(ui), UI_COL_BG);
	memset(&st, 0, sizeof st);
	st.type = UI_TYPE_H1;
	st.align = UI_ALIGN_LEFT | UI_ALIGN_MIDDLE;
	ui_text(ui, f->title, title, &st);
	ui_button_ex(ui, JF_LANG, f->lang, UI_ICON_GLOBE,
	    journey_tr(app, "frame.language"), NULL, UI_QUIET, 0);
	ui_button_ex(ui, JF_LARGE, f->large, UI_ICON_TEXT_SIZE,
	    journey_tr(app, j->s.large ? "frame.large_on" : "frame.large_off"),
	    NULL, UI_QUIET, j->s.large ? UI_SELECTED : 0);
	ui_button_ex(ui, JF_HELP, f->help, UI_ICON_HELP,
	    journey_tr(app, "frame.help"), NULL, UI_QUIET, 0);
	if (o->back)
		ui_button_ex(ui, o->back_id ? o->back_id : JF_BACK, f->back,
		    UI_ICON_BACK, journey_tr(app, o->back_key ? o->back_key :
		    "frame.back"), NULL, UI_SECONDARY, 0);
	if (o->end)
		ui_button_ex(ui, JF_END, f->end, UI_ICON_CLOSE,
		    journey_tr(app, "frame.end"), NULL, UI_DANGER, 0);
	if (o->next_key != NULL)
		ui_button_ex(ui, o->next_id ? o->next_id : JF_NEXT, f->next,
		    UI_ICON_NEXT,
		    journey_tr(app, o->next_key), NULL, UI_PRIMARY,
		    o->next_disabled ? UI_DISABLED : 0);
}

/*
 * One action that is not a choice among others ("read again", "start
 * again"): a secondary button as wide as its label at the left of a row
 * cut off the top of *c, so it does not look like a radio option.
 */
void
journey_action(struct ui *ui, struct ui_rect *c, int id, const char *label)
{
	int h = ui_mm(ui, UI_MM_PRIMARY), w = journey_button_width(ui, label,
	    false);
	struct ui_rect row;

	if (ui_large(ui))
		h = h * 5 / 4;
	row = ui_cut_top(c, h, ui_mm(ui, UI_MM_GAP));
	if (w > row.w)
		w = row.w;
	ui_button_ex(ui, id, ui_cut_left(&row, w, 0), UI_ICON_NONE, label, NULL,
	    UI_SECONDARY, 0);
}

int
journey_notice_height(struct ui *ui, int w, const char *text, int type,
    int min_h)
{
	struct ui_text_style st;
	int gap = ui_mm(ui, UI_MM_GAP), iw = ui_mm(ui, 16), h;

	memset(&st, 0, sizeof st);
	st.type = (enum ui_type)type;
	st.align = UI_ALIGN_LEFT | UI_ALIGN_MIDDLE;
	h = ui_text_height(ui, w - iw - 3 * gap - 8, text, &st) + 2 * gap;
	return h < min_h ? min_h : h;
}

/*
 * A boxed message cut off the top of *c: icon at the left, text measured
 * at the width it is drawn in, so it never overflows its box.
 */
void
journey_notice(struct ui *ui, struct ui_rect *c, int icon, struct ui_color fg,
    struct ui_color bg, struct ui_color border, const char *text, int type,
    int min_h)
{
	struct ui_text_style st;
	struct ui_rect box, in;
	int gap = ui_mm(ui, UI_MM_GAP), iw = ui_mm(ui, 16);

	memset(&st, 0, sizeof st);
	st.type = (enum ui_type)type;
	st.align = UI_ALIGN_LEFT | UI_ALIGN_MIDDLE;
	box = ui_cut_top(c, journey_notice_height(ui, c->w, text, type, min_h),
	    gap);
	ui_panel(ui, box, bg, border, 3);
	in = ui_inset(box, 4);
	if (icon != UI_ICON_NONE)
		ui_icon(ui, ui_cut_left(&in, iw, gap), (enum ui_icon)icon, fg);
	else
		ui_cut_left(&in, gap, 0);
	in = ui_inset(in, gap / 2);
	in.x -= gap / 2;
	in.w += gap / 2;
	ui_text(ui, in, text, &st);
}

/* "2 / 5": where the resident is, as text and a bar (not colour alone). */
void
journey_steps(struct app *app, struct ui *ui, struct ui_rect *c)
{
	struct ui_text_style st;
	struct ui_rect row, bar;
	char a[16], b[16], buf[64];
	const char *args[2];
	int cur = journey_step_index(app), total = journey_step_total(app);
	int h;

	snprintf(a, sizeof a, "%d", cur);
	snprintf(b, sizeof b, "%d", total);
	args[0] = a;
	args[1] = b;
	journey_trf(app, buf, sizeof buf, "frame.step", args, 2);
	memset(&st, 0, sizeof st);
	st.type = UI_TYPE_BODY;
	st.align = UI_ALIGN_LEFT | UI_ALIGN_MIDDLE;
	h = ui_type_line_px(ui, UI_TYPE_BODY);
	row = ui_cut_top(c, h, ui_mm(ui, 2));
	st.fg = UI_COL_TEXT2;
	h = ui_text_width(ui, buf, &st) + ui_mm(ui, 4);
	ui_text(ui, ui_cut_left(&row, h, ui_mm(ui, 2)), buf, &st);
	bar = ui_center(row, row.w, ui_mm(ui, 3));
	ui_progress(ui, bar, total > 0 ? (double)cur / total : 0.0, 0);
}

bool
journey_frame_event(struct app *app, struct ui_event *ev, bool *redraw,
    bool back_allowed)
{
	struct journey *j = journey_of(app);
	int id;

	*redraw = false;
	switch (ev->type) {
	case UI_NOTIFY:
		if (ev->code >= JOURNEY_NOTIFY_CARD_NO_READER &&
		    ev->code <= JOURNEY_NOTIFY_CARD_REMOVED)
			j->reader_known = true;
		switch (ev->code) {
		case JOURNEY_NOTIFY_CARD_NO_READER:
			j->reader_present = false;
			j->card_present = false;
			break;
		case JOURNEY_NOTIFY_CARD_EMPTY:
		case JOURNEY_NOTIFY_CARD_REMOVED:
			j->reader_present = true;
			j->card_present = false;
			break;
		case JOURNEY_NOTIFY_CARD_INSERTED:
			j->reader_present = true;
			j->card_present = true;
			break;
		default:
			break;
		}
		return false;   /* screens may act on card events too */
	case UI_IDLE:
		app_push(app, &screen_still_there, NULL);
		*redraw = true;
		return true;
	case UI_KEY:
		if (ev->key == UI_KEY_HELP) {
			app_push(app, &screen_help, NULL);
			*redraw = true;
			return true;
		}
		if (ev->key == UI_KEY_CANCEL && back_allowed) {
			journey_next(app, JO_BACK);
			*redraw = true;
			return true;
		}
		break;
	default:
		break;
	}
	id = ui_clicked(app_ui(app), ev);
	switch (id) {
	case JF_LANG:
		app_push(app, &screen_lang, NULL);
		break;
	case JF_LARGE:
		journey_set_large(app, !j->s.large);
		break;
	case JF_HELP:
		app_push(app, &screen_help, NULL);
		break;
	case JF_END:
		app_push(app, &screen_end_confirm, NULL);
		break;
	case JF_BACK:
		if (!back_allowed)
			return false;
		journey_next(app, JO_BACK);
		break;
	default:
		return false;
	}
	*redraw = true;
	return true;
}

/* ---- jobs ---- */

struct queue_job {
	struct qclient *qc;
};

static int
queue_job(struct ui_event *ev, void *arg)
{
	struct queue_job *qj = arg;
	struct qclient_queue *q = xcalloc(1, sizeof *q);
	int rc;

	rc = qclient_queue(qj->qc, q, &ev->err);
	free(qj);
	if (rc != K_OK) {
		free(q);
		return rc;
	}
	ev->data = q;
	return K_OK;
}

int
journey_spawn_queue(struct app *app)
{
	struct queue_job *qj = xcalloc(1, sizeof *qj);

	qj->qc = journey_of(app)->qc;
	return app_spawn(app, queue_job, qj);
}

struct help_job {
	struct qclient *qc;
	char kiosk[64];
	char kind[16];
};

static int
help_job(struct ui_event *ev, void *arg)
{
	struct help_job *hj = arg;
	int rc;

	rc = qclient_help(hj->qc, hj->kiosk, hj->kind, NULL, &ev->err);
	if (rc != K_OK)
		klog("warn", "journey", "help request (%s) failed: %s", hj->kind,
		    ev->err.msg);
	free(hj);
	return rc;
}

int
journey_spawn_help(struct app *app, const char *kind)
{
	struct journey *j = journey_of(app);
	struct help_job *hj = xcalloc(1, sizeof *hj);

	hj->qc = j->qc;
	snprintf(hj->kiosk, sizeof hj->kiosk, "%s", j->kiosk_id);
	snprintf(hj->kind, sizeof hj->kind, "%s", kind);
	return app_spawn(app, help_job, hj);
}

/* The catalog's pictogram names -> the UI's icons (text always beside). */
int
journey_icon(const char *name)
{
	static const struct { const char *name; enum ui_icon icon; } map[] = {
		{ "document", UI_ICON_DOCUMENT }, { "seal", UI_ICON_DOCUMENT },
		{ "family", UI_ICON_PERSON }, { "yen", UI_ICON_DOCUMENT },
		{ "move_in", UI_ICON_HOME }, { "move_out", UI_ICON_HOME },
		{ "move_within", UI_ICON_HOME }, { "baby", UI_ICON_PERSON },
		{ "flower", UI_ICON_PERSON }, { "card", UI_ICON_CARD },
		{ "health", UI_ICON_PERSON }, { "child", UI_ICON_PERSON },
		{ "question", UI_ICON_HELP },
	};
	size_t i;

	for (i = 0; name != NULL && i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i].name, name) == 0)
			return map[i].icon;
	return UI_ICON_INFO;
}
