/*
 * ticket.c - the ticket: number, counter, people ahead, estimated wait, the
 * QR code as on paper, "take your ticket" (or, when printing failed, "the
 * ticket is this screen; staff are coming"), and the card reminder.  After
 * 30 s the "still there?" countdown ends the session (R6.6).
 *
 * Counter operations (docs/counter-operations.md): when the ticket did not
 * print, "print again" prints it once more, marked 再発行 / REPRINT (and
 * logged on the server); a long press (2 s) on the number by a volunteer
 * or staff marks the ticket priority, without asking the resident
 * anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "qr.h"
#include "ui.h"

enum { ID_DONE = 100, ID_REPRINT = 101, T_DONE = 1, T_LONG = 2 };
#define DONE_MS 30000
#define LONG_PRESS_MS 2000

static struct {
	struct qr qr;
	bool have_qr;
	struct ui_rect number_box;   /* where a long press marks priority */
	bool pressing;               /* a finger is on the number */
	int reprint_job, priority_job;
	bool priority;               /* marked (the server said so) */
} st;

struct reprint_job {
	struct qclient *qc;
	struct print_opts o;
	struct ticket_info t;
	int64_t id;
	char kiosk[64];
};

/* Print the ticket on screen again, marked a reprint; tell the server. */
static int
reprint_job(struct ui_event *ev, void *arg)
{
	struct reprint_job *rj = arg;
	struct print_result res;
	struct kerr e2;
	int rc;

	rc = print_ticket(&rj->o, &rj->t, &res, &ev->err);
	if (qclient_reprinted(rj->qc, rj->kiosk, rj->id, rc == K_OK, rc == K_OK ?
	    NULL : print_reason_name(res.reason), &e2) != K_OK)
		klog("warn", "journey", "reprint log: %s", e2.msg);
	if (rc != K_OK && qclient_alert(rj->qc, rj->kiosk, "printer",
	    rj->t.number, print_reason_name(res.reason), NULL, &e2) != K_OK)
		klog("warn", "journey", "printer alert: %s", e2.msg);
	free(rj);
	return rc;
}

struct priority_job {
	struct qclient *qc;
	int64_t id;
	char kiosk[64];
};

static int
priority_job(struct ui_event *ev, void *arg)
{
	struct priority_job *pj = arg;
	int rc = qclient_set_priority(pj->qc, pj->kiosk, pj->id, true, &ev->err);

	free(pj);
	return rc;
}

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
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (ev->type == UI_TICK && ev->timer == T_DONE) {
		app_push(app, &screen_still_there, NULL);
		return true;
	}
	/* a long press on the number: a volunteer or staff mark priority */
	if (ev->type == UI_TAP && ev->phase == UI_TAP_PRESS &&
	    ui_rect_contains(st.number_box, ev->x, ev->y) && !st.priority) {
		st.pressing = true;
		app_timer_set(app, T_LONG, LONG_PRESS_MS, false);
	} else if (ev->type == UI_TAP && ev->phase == UI_TAP_RELEASE) {
		st.pressing = false;
	}
	if (ev->type == UI_TICK && ev->timer == T_LONG) {
		if (st.pressing && st.priority_job == 0 && j->s.ticket.id > 0) {
			struct priority_job *pj = calloc(1, sizeof *pj);
			if (pj != NULL) {
				pj->qc = j->qc;
				pj->id = j->s.ticket.id;
				snprintf(pj->kiosk, sizeof pj->kiosk, "%s",
				    j->kiosk_id);
				st.priority_job = app_spawn(app, priority_job, pj);
			}
		}
		st.pressing = false;
		return false;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.priority_job) {
		st.priority_job = 0;
		if (ev->rc == K_OK) {
			st.priority = true;
			klog("info", "journey", "ticket %s marked priority",
			    j->s.ticket.number);
		} else {
			klog("warn", "journey", "priority: %s", ev->err.msg);
		}
		return true;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.reprint_job) {
		st.reprint_job = 0;
		if (ev->rc == K_OK)
			j->s.printed = true;   /* the notice says: take it */
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
	if (id == ID_REPRINT && !j->s.printed && st.reprint_job == 0) {
		struct reprint_job *rj = calloc(1, sizeof *rj);
		if (rj == NULL)
			return false;
		rj->qc = j->qc;
		rj->o = j->popts;
		rj->id = j->s.ticket.id;
		snprintf(rj->kiosk, sizeof rj->kiosk, "%s", j->kiosk_id);
		journey_ticket_info(app, &rj->t);
		rj->t.reprint = true;
		st.reprint_job = app_spawn(app, reprint_job, rj);
		return true;
	}
	return false;
}

/* The number, boxed, cut off the top of *c. */
static void
draw_number(struct app *app, struct ui *ui, struct ui_rect *c)
{
	struct ui_text_style ts;
	struct ui_rect box;
	int gap = ui_mm(ui, UI_MM_GAP), h;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	ts.align = UI_ALIGN_CENTER;
	h = ui_text_height(ui, c->w - 2 * gap, journey_tr(app, "ticket.number"),
	    &ts);
	box = ui_cut_top(c, h + ui_type_line_px(ui, UI_TYPE_DISPLAY) * 3 / 2 +
	    2 * gap, gap);
	ui_panel(ui, box, UI_COL_PANEL_BLUE, UI_COL_PRIMARY, 4);
	st.number_box = box;
	box = ui_inset(box, gap);
	ui_text(ui, ui_cut_top(&box, h, 0), journey_tr(app, "ticket.number"),
	    &ts);
	ts.type = UI_TYPE_DISPLAY;
	ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
	ui_text(ui, box, journey_of(app)->s.ticket.number, &ts);
}

/* A check-in's ticket (not a late one's, which is a walk-in's): its slot. */
static bool
appt_shown(const struct journey *j)
{
	return j->s.ticket.appt_time[0] != '\0' &&
	    strcmp(j->s.ticket.appt_arrival, "late") != 0;
}

/* The appointment, counter, people ahead, estimated wait: one line each
 * off the top of *c. */
static void
draw_facts(struct app *app, struct ui *ui, struct ui_rect *c)
{
	struct journey *j = journey_of(app);
	struct ui_text_style ts;
	char lines[3][256], counter[64], num[16], appt[128];
	const char *args[1];
	size_t i, k = 0;
	int gap = ui_mm(ui, UI_MM_GAP), h;

	memset(&ts, 0, sizeof ts);
	if (appt_shown(j)) {
		args[0] = j->s.ticket.appt_time;
		journey_trf(app, appt, sizeof appt, "appt.time", args, 1);
		ts.type = UI_TYPE_H1;
		h = ui_text_height(ui, c->w, appt, &ts);
		ui_text(ui, ui_cut_top(c, h, gap / 2), appt, &ts);
	}

	/* "1,2" -> "1・2" */
	for (const char *p = j->s.ticket.counter[0] ? j->s.ticket.counter :
	    j->s.proc ? j->s.proc->counter : ""; *p && k + 4 < sizeof counter;
	    p++) {
		if (*p == ',') {
			memcpy(counter + k, "・", 3);
			k += 3;
		} else
			counter[k++] = *p;
	}
	counter[k] = '\0';
	args[0] = counter;
	journey_trf(app, lines[0], sizeof lines[0], "ticket.counter", args, 1);
	snprintf(num, sizeof num, "%d", j->s.ticket.ahead);
	args[0] = num;
	journey_trf(app, lines[1], sizeof lines[1], "ticket.ahead", args, 1);
	snprintf(num, sizeof num, "%d", j->s.ticket.wait_min);
	journey_trf(app, lines[2], sizeof lines[2], j->s.ticket.wait_min > 0 ?
	    "ticket.wait" : "ticket.wait_soon", args, 1);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H2;
	for (i = 0; i < 3; i++) {
		h = ui_text_height(ui, c->w, lines[i], &ts);
		ui_text(ui, ui_cut_top(c, h, i < 2 ? gap / 2 : gap), lines[i],
		    &ts);
	}
}

/* "Take your ticket" or "it did not print; staff are coming". */
static const char *
print_text(struct app *app)
{
	return journey_tr(app, journey_of(app)->s.printed ? "ticket.take" :
	    "ticket.not_printed");
}

static void
draw_print_notice(struct app *app, struct ui *ui, struct ui_rect *c)
{
	if (journey_of(app)->s.printed)
		journey_notice(ui, c, UI_ICON_PRINTER, UI_COL_SUCCESS,
		    UI_COL_SUCCESS_BG, UI_COL_SUCCESS, print_text(app),
		    UI_TYPE_H2, 0);
	else
		journey_notice(ui, c, UI_ICON_WARNING, UI_COL_WARNING,
		    UI_COL_WARNING_BG, UI_COL_WARNING, print_text(app),
		    UI_TYPE_H2, 0);
}

static void
draw_card_notice(struct app *app, struct ui *ui, struct ui_rect *c)
{
	journey_notice(ui, c, UI_ICON_CARD, UI_COL_WARNING, UI_COL_WARNING_BG,
	    UI_COL_WARNING, journey_tr(app, "ticket.card"), UI_TYPE_H2, 0);
}

/* The least side that draws the code in whole modules of at least
 * UI_MM_QR_MIN (ui_qr draws whole pixels a module). */
static int
qr_min(struct ui *ui)
{
	int n = st.qr.width + 2 * QR_QUIET_ZONE;

	return (ui_mm(ui, UI_MM_QR_MIN) + n - 1) / n * n;
}

/*
 * The QR code (as on paper) with its caption, off the top of *c, leaving
 * `below` px under the caption; never smaller than UI_MM_QR_MIN, at most
 * 90 mm.
 */
static void
draw_qr(struct app *app, struct ui *ui, struct ui_rect *c, int below)
{
	struct ui_text_style ts;
	const char *cap = journey_tr(app, "ticket.qr");
	int gap = ui_mm(ui, UI_MM_GAP), h, side;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	ts.align = UI_ALIGN_CENTER;
	h = ui_text_height(ui, c->w, cap, &ts);
	if (st.have_qr) {
		struct ui_rect qr;

		side = c->h - h - below - 2 * gap;
		if (side > c->w)
			side = c->w;
		if (side > ui_mm(ui, 90))
			side = ui_mm(ui, 90);
		if (side < qr_min(ui))
			side = qr_min(ui);
		qr = ui_cut_top(c, side, gap);
		ui_qr(ui, ui_center(qr, side, side), &st.qr);
	}
	ui_text(ui, ui_cut_top(c, h, gap), cap, &ts);
}

/*
 * Landscape: which notices go to the left column under the facts.  The
 * first of: both right, the card reminder left, the print notice left,
 * both left, that fits both columns (heights differ by column width);
 * when none fits, the one that overflows least.
 */
static void
place_notices(struct app *app, struct ui *ui, struct ui_rect left,
    int print_h, int card_h, int room, bool *print_left, bool *card_left)
{
	int gap = ui_mm(ui, UI_MM_GAP), best = -1, best_over = 0, i;
	int print_l = journey_notice_height(ui, left.w, print_text(app),
	    UI_TYPE_H2, 0) + gap;
	int card_l = card_h > 0 ? journey_notice_height(ui, left.w,
	    journey_tr(app, "ticket.card"), UI_TYPE_H2, 0) + gap : 0;

	for (i = 0; i < 4; i++) {
		bool pl = i & 2, cl = i & 1;
		int l = (pl ? print_l : 0) + (cl ? card_l : 0);
		int r = (pl ? 0 : print_h) + (cl ? 0 : card_h);
		int over = (l > left.h ? l - left.h : 0) +
		    (r > room ? r - room : 0);

		if (cl && card_h == 0)
			continue;
		if (best < 0 || over < best_over) {
			best = i;
			best_over = over;
		}
		if (over == 0)
			break;
	}
	*print_left = best & 2;
	*card_left = best & 1;
}

/*
 * What the notices leave of the left column (portrait: of the one column):
 * "print again" for the ticket on screen when it did not print, and the
 * priority a volunteer's long press gave.  Where even that room is gone
 * (the most crowded screen), staff reprint from the console.
 */
static void
draw_extras(struct app *app, struct ui *ui, struct ui_rect *c)
{
	struct journey *j = journey_of(app);
	int gap = ui_mm(ui, UI_MM_GAP), bh = ui_mm(ui, UI_MM_PRIMARY);

	if (!j->s.printed && c->h >= bh) {
		const char *label = journey_tr(app, "ticket.reprint");
		int bw = journey_button_width(ui, label, true);
		struct ui_rect b = ui_cut_top(c, bh, gap);

		if (bw < b.w)
			b.w = bw;
		ui_button_ex(ui, ID_REPRINT, b, UI_ICON_PRINTER, label, NULL,
		    st.reprint_job ? UI_QUIET : UI_PRIMARY, 0);
	}
	if (st.priority && c->h >= journey_notice_height(ui, c->w,
	    journey_tr(app, "ticket.priority"), UI_TYPE_H2, 0))
		journey_notice(ui, c, UI_ICON_INFO, UI_COL_PRIMARY,
		    UI_COL_PANEL_BLUE, UI_COL_PRIMARY,
		    journey_tr(app, "ticket.priority"), UI_TYPE_H2, 0);
}

/*
 * Landscape: the number and the facts on the left, the QR on the right
 * with the print notice above it and the card reminder below.  A long
 * notice (the English "could not be printed" in large text) would squeeze
 * the QR under what a phone reads: then the card reminder, and if need be
 * the print notice too, go to the left under the facts.  Portrait: one
 * column.
 */
static void
ticket_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "ticket.title",
	    .next_key = "ticket.done" };
	struct ui_frame f;
	struct ui_rect left, right;
	struct ui_text_style ts;
	int gap = ui_mm(ui, UI_MM_GAP), cap_h, print_h, card_h, room;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;
	bool card_left = false, print_left = false;

	journey_frame(app, ui, &o, &f);
	left = right = f.content;
	if (!portrait)
		right = ui_cut_right(&left, f.content.w * 2 / 5, ui_mm(ui, 8));
	draw_number(app, ui, &left);
	draw_facts(app, ui, &left);
	/* no counter of the appointment's service is open: staff know */
	if (j->s.ticket.counter_closed)
		journey_notice(ui, &left, UI_ICON_INFO, UI_COL_PRIMARY,
		    UI_COL_PANEL_BLUE, UI_COL_PRIMARY,
		    journey_tr(app, "ticket.counter_closed"), UI_TYPE_H2, 0);
	if (portrait)
		right = left;
	else if (f.next.x >= left.x + left.w)
		/* the footer has only "finish", at the right: the left column
		 * may go down beside it */
		left.h = f.footer.y + f.footer.h - left.y;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	ts.align = UI_ALIGN_CENTER;
	cap_h = ui_text_height(ui, right.w, journey_tr(app, "ticket.qr"), &ts);
	print_h = journey_notice_height(ui, right.w, print_text(app),
	    UI_TYPE_H2, 0) + gap;
	card_h = j->card_present ? journey_notice_height(ui, right.w,
	    journey_tr(app, "ticket.card"), UI_TYPE_H2, 0) + gap : 0;
	room = right.h - cap_h - 2 * gap - (st.have_qr ? qr_min(ui) : 0);
	if (!portrait)
		place_notices(app, ui, left, print_h, card_h, room, &print_left,
		    &card_left);
	if (print_left)
		draw_print_notice(app, ui, &left);
	if (card_left)
		draw_card_notice(app, ui, &left);
	if (!print_left)
		draw_print_notice(app, ui, &right);
	draw_qr(app, ui, &right, card_left ? 0 : card_h);
	if (j->card_present && !card_left)
		draw_card_notice(app, ui, &right);
	draw_extras(app, ui, portrait ? &right : &left);
}

const struct screen screen_ticket = {
	.name = "ticket",
	.enter = ticket_enter,
	.event = ticket_event,
	.draw = ticket_draw,
	.leave = ticket_leave,
};
