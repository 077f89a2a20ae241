/*
 * ticket.c - the ticket: number, counter, people ahead, estimated wait, the
 * QR code as on paper, "take your ticket" (or, when printing failed, "the
 * ticket is this screen; staff are coming"), and the card reminder.  After
 * 30 s the "still there?" countdown ends the session (R6.6).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "qr.h"
#include "ui.h"

enum { ID_DONE = 100, T_DONE = 1 };
#define DONE_MS 30000

static struct {
	struct qr qr;
	bool have_qr;
} st;

static void
ticket_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);
	struct kerr err;

	(void)arg;
	memset(&st, 0, sizeof st);
	if (j->s.ticket.url[0] && qr_encode(j->s.ticket.url, &st.qr, &err) == K_OK)
		st.have_qr = true;
	app_timer_set(app, T_DONE, DONE_MS, false);
}

static void
ticket_leave(struct app *app)
{
	(void)app;
	qr_free(&st.qr);
	memset(&st, 0, sizeof st);
}

static bool
ticket_event(struct app *app, struct ui_event *ev)
{
	bool redraw;
	int id;

	if (ev->type == UI_TICK && ev->timer == T_DONE) {
		app_push(app, &screen_still_there, NULL);
		return true;
	}
	if (ev->type == UI_TAP || ev->type == UI_KEY)
		app_timer_set(app, T_DONE, DONE_MS, false);
	if (journey_frame_event(app, ev, &redraw, false))
		return redraw;
	if (ev->type == UI_NOTIFY)
		return true;   /* card taken or not: the reminder changes */
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_DONE || id == JF_NEXT) {
		journey_end(app);
		return true;
	}
	return false;
}

static void
ticket_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "ticket.title",
	    .next_key = "ticket.done" };
	struct ui_frame f;
	struct ui_rect c, left, right, box, qr;
	struct ui_text_style ts;
	char buf[256], ahead[16], wait[16], counter[64];
	const char *args[1];
	int gap = ui_mm(ui, UI_MM_GAP), h;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	journey_frame(app, ui, &o, &f);
	c = f.content;
	left = c;
	right = c;
	if (!portrait)
		right = ui_cut_right(&left, c.w * 2 / 5, ui_mm(ui, 8));

	memset(&ts, 0, sizeof ts);
	/* the number, boxed */
	ts.type = UI_TYPE_BODY;
	ts.align = UI_ALIGN_CENTER;
	h = ui_text_height(ui, left.w - 2 * gap, journey_tr(app, "ticket.number"),
	    &ts);
	box = ui_cut_top(&left, h + ui_type_line_px(ui, UI_TYPE_DISPLAY) * 3 / 2 +
	    2 * gap, gap);
	ui_panel(ui, box, UI_COL_PANEL_BLUE, UI_COL_PRIMARY, 4);
	box = ui_inset(box, gap);
	ui_text(ui, ui_cut_top(&box, h, 0), journey_tr(app, "ticket.number"), &ts);
	ts.type = UI_TYPE_DISPLAY;
	ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
	ui_text(ui, box, j->s.ticket.number, &ts);

	/* counter, ahead, wait */
	snprintf(counter, sizeof counter, "%s", j->s.ticket.counter[0] ?
	    j->s.ticket.counter : j->s.proc ? j->s.proc->counter : "");
	{
		/* "1,2" -> "1・2" */
		char tmp[64];
		size_t k = 0;
		for (const char *p = counter; *p && k + 4 < sizeof tmp; p++) {
			if (*p == ',') {
				memcpy(tmp + k, "・", 3);
				k += 3;
			} else
				tmp[k++] = *p;
		}
		tmp[k] = '\0';
		snprintf(counter, sizeof counter, "%s", tmp);
	}
	ts.type = UI_TYPE_H2;
	ts.align = 0;
	args[0] = counter;
	journey_trf(app, buf, sizeof buf, "ticket.counter", args, 1);
	h = ui_text_height(ui, left.w, buf, &ts);
	ui_text(ui, ui_cut_top(&left, h, gap / 2), buf, &ts);
	snprintf(ahead, sizeof ahead, "%d", j->s.ticket.ahead);
	args[0] = ahead;
	journey_trf(app, buf, sizeof buf, "ticket.ahead", args, 1);
	h = ui_text_height(ui, left.w, buf, &ts);
	ui_text(ui, ui_cut_top(&left, h, gap / 2), buf, &ts);
	snprintf(wait, sizeof wait, "%d", j->s.ticket.wait_min);
	args[0] = wait;
	journey_trf(app, buf, sizeof buf, j->s.ticket.wait_min > 0 ?
	    "ticket.wait" : "ticket.wait_soon", args, 1);
	h = ui_text_height(ui, left.w, buf, &ts);
	ui_text(ui, ui_cut_top(&left, h, gap), buf, &ts);

	/* portrait: the QR below the rest */
	if (portrait)
		right = left;

	/* the QR: follow the queue on the phone */
	/* take your ticket / it did not print */
	if (j->s.printed)
		journey_notice(ui, &right, UI_ICON_PRINTER, UI_COL_SUCCESS,
		    UI_COL_SUCCESS_BG, UI_COL_SUCCESS,
		    journey_tr(app, "ticket.take"), UI_TYPE_H2, 0);
	else
		journey_notice(ui, &right, UI_ICON_WARNING, UI_COL_WARNING,
		    UI_COL_WARNING_BG, UI_COL_WARNING,
		    journey_tr(app, "ticket.not_printed"), UI_TYPE_H2, 0);


	ts.type = UI_TYPE_BODY;
	ts.align = UI_ALIGN_CENTER;
	if (st.have_qr) {
		/* room for the caption and the card reminder below */
		struct ui_text_style hs;
		int below;
		memset(&hs, 0, sizeof hs);
		hs.type = UI_TYPE_H2;
		below = ui_text_height(ui, right.w, journey_tr(app, "ticket.qr"),
		    &ts) + 2 * gap;
		if (j->card_present)
			below += ui_text_height(ui, right.w - ui_mm(ui, 16) -
			    3 * gap - 8, journey_tr(app, "ticket.card"), &hs) +
			    3 * gap;
		int side = right.w < right.h - below ? right.w : right.h - below;
		if (side > ui_mm(ui, 90))
			side = ui_mm(ui, 90);
		qr = ui_cut_top(&right, side, gap);
		qr = ui_center(qr, side, side);
		ui_qr(ui, qr, &st.qr);
	}
	h = ui_text_height(ui, right.w, journey_tr(app, "ticket.qr"), &ts);
	ui_text(ui, ui_cut_top(&right, h, gap), journey_tr(app, "ticket.qr"), &ts);
	if (j->card_present)
		journey_notice(ui, &right, UI_ICON_CARD, UI_COL_WARNING,
		    UI_COL_WARNING_BG, UI_COL_WARNING,
		    journey_tr(app, "ticket.card"), UI_TYPE_H2, 0);
}

const struct screen screen_ticket = {
	.name = "ticket",
	.enter = ticket_enter,
	.event = ticket_event,
	.draw = ticket_draw,
	.leave = ticket_leave,
};
