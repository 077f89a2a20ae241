/*
 * summary.c - before the ticket: the procedure, the answers, the fee total
 * (cash or cashless), what to bring, and "next time from home" as a QR code
 * where there is an online way.  A life event shows its guide: where to go,
 * in order, and what is done there.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "qr.h"
#include "ui.h"
#include "wareki.h"

static struct {
	struct qr qr;
	bool have_qr;
} st;

static void
summary_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);
	struct kerr err;

	(void)arg;
	memset(&st, 0, sizeof st);
	if (j->s.proc && j->s.proc->online_url &&
	    qr_encode(j->s.proc->online_url, &st.qr, &err) == K_OK)
		st.have_qr = true;
}

static void
summary_leave(struct app *app)
{
	(void)app;
	qr_free(&st.qr);
	memset(&st, 0, sizeof st);
}

static bool
summary_event(struct app *app, struct ui_event *ev)
{
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id == JF_NEXT) {
		journey_next(app, JO_NEXT);
		return true;
	}
	return false;
}

/* One block cut off the top of *r: a heading, then lines. */
static void
block(struct ui *ui, struct ui_rect *r, const char *heading,
    const char *const *lines, size_t n)
{
	struct ui_text_style ts;
	int gap = ui_mm(ui, 2), h;
	size_t i;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H2;
	h = ui_text_height(ui, r->w, heading, &ts);
	ui_text(ui, ui_cut_top(r, h, gap), heading, &ts);
	ts.type = UI_TYPE_BODY;
	for (i = 0; i < n; i++) {
		h = ui_text_height(ui, r->w, lines[i], &ts);
		ui_text(ui, ui_cut_top(r, h, gap), lines[i], &ts);
	}
	ui_cut_top(r, ui_mm(ui, 3), 0);
}

static void
summary_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	const struct cat_procedure *p = j->s.proc;
	struct journey_frame_opts o = { .title_key = "summary.title",
	    .back = true, .end = true, .next_key = "summary.issue" };

	if (p != NULL && p->kind == CAT_LIFE_EVENT)
		o.title = catalog_name(p, j->s.lang);
	struct ui_frame f;
	struct ui_rect c, left, right, box;
	struct ui_text_style ts;
	char lines[12][256], fee[64], buf[200];
	const char *lp[12];
	const char *args[2];
	size_t i, n;
	int gap = ui_mm(ui, UI_MM_GAP), h;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	if (p == NULL)
		return;
	journey_frame(app, ui, &o, &f);
	c = f.content;
	left = c;
	right = c;
	if (!portrait)
		right = ui_cut_right(&left, c.w / 2 - gap, ui_mm(ui, 8));

	/* what and how (a life event's name is the title) */
	n = 0;
	if (p->kind == CAT_LIFE_EVENT)
		goto guide;
	snprintf(lines[n], sizeof lines[n], "%s", catalog_name(p, j->s.lang));
	n++;
	for (i = 0; i < p->nquestions && n < 6; i++)
		if (journey_answer_text(app, i, buf, sizeof buf) > 0)
			snprintf(lines[n++], sizeof lines[0], "・%s", buf);
	if (p->card != CAT_CARD_NONE)
		snprintf(lines[n++], sizeof lines[0], "・%s", journey_tr(app,
		    j->s.have_basic4 ? "summary.card_read" : "summary.no_card"));
	for (i = 0; i < n; i++)
		lp[i] = lines[i];
	block(ui, &left, journey_tr(app, "summary.what"), lp, n);
guide:

	/* life event: where to go, in order */
	if (p->kind == CAT_LIFE_EVENT) {
		for (i = 0; i < p->nguide && i < 6; i++) {
			char num[8];
			snprintf(num, sizeof num, "%zu", i + 1);
			args[0] = journey_text(app, &p->guide[i].where);
			args[1] = journey_text(app, &p->guide[i].what);
			snprintf(lines[i], sizeof lines[i], "%s. ", num);
			journey_trf(app, lines[i] + strlen(lines[i]),
			    sizeof lines[i] - strlen(lines[i]), "summary.guide_line",
			    args, 2);
			lp[i] = lines[i];
		}
		block(ui, &left, journey_tr(app, "summary.guide"), lp, i);
	} else if (p->kind == CAT_PROCEDURE) {
		/* the fee, boxed */
		wareki_format_yen(fee, sizeof fee, journey_fee(&j->s), j->s.lang);
		args[0] = fee;
		journey_trf(app, buf, sizeof buf, "summary.fee", args, 1);
		const char *note = journey_tr(app, journey_fee(&j->s) > 0 ?
		    "summary.cashless" : "summary.no_fee");
		/* landscape: the fee heads the right column */
		struct ui_rect *col = portrait ? &left : &right;
		memset(&ts, 0, sizeof ts);
		ts.type = UI_TYPE_H2;
		h = ui_text_height(ui, col->w - 2 * gap, buf, &ts);
		ts.type = UI_TYPE_BODY;
		h += ui_text_height(ui, col->w - 2 * gap, note, &ts);
		box = ui_cut_top(col, h + 3 * gap, gap);
		ui_panel(ui, box, UI_COL_PANEL_BLUE, UI_COL_PRIMARY, 3);
		box = ui_inset(box, gap);
		ts.type = UI_TYPE_H2;
		ui_text(ui, ui_cut_top(&box, ui_text_height(ui, box.w, buf, &ts),
		    gap), buf, &ts);
		ts.type = UI_TYPE_BODY;
		ui_text(ui, box, note, &ts);
	}

	/* portrait: one column, what to bring below the rest */
	if (portrait)
		right = left;

	/* what to bring */
	for (i = 0; i < p->nbring && i < 8; i++) {
		snprintf(lines[i], sizeof lines[i], "・%s",
		    journey_text(app, &p->bring[i]));
		lp[i] = lines[i];
	}
	if (i > 0)
		block(ui, &right, journey_tr(app, "summary.bring"), lp, i);

	/* next time from home */
	if (st.have_qr && right.h > ui_mm(ui, 45)) {
		struct ui_rect qr;
		memset(&ts, 0, sizeof ts);
		ts.type = UI_TYPE_BODY;
		qr = ui_cut_left(&right, ui_mm(ui, 45), gap);
		qr.h = ui_mm(ui, 45);
		ui_qr(ui, qr, &st.qr);
		ui_text(ui, right, journey_tr(app, "summary.online"), &ts);
	}
}

const struct screen screen_summary = {
	.name = "summary",
	.enter = summary_enter,
	.event = summary_event,
	.draw = summary_draw,
	.leave = summary_leave,
};
