/*
 * card_place.c - "put your card on the reader".  When a card is there the
 * tries left are read (a worker job; no try is spent).  Tries >= 2: the PIN
 * pad.  1 try left or blocked: stop and send the resident to the counter
 * (the kiosk never risks the lock).  Not a My Number card, no reader:
 * say so and go on without the card.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "xmalloc.h"

enum { ID_WITHOUT = 100, ID_RETRY = 101 };

enum place_mode { PM_WAIT, PM_CHECKING, PM_STOP_LAST, PM_STOP_BLOCKED,
    PM_NOT_MINE, PM_NO_READER, PM_ERROR };

static struct {
	enum place_mode mode;
	int job;
} st;

struct tries_job {
	char reader[128];
};

static int
tries_job(struct ui_event *ev, void *arg)
{
	struct tries_job *tj = arg;
	int *tries = xmalloc(sizeof *tries);
	int rc;

	*tries = -1;
	rc = card_tries_at(tj->reader[0] ? tj->reader : NULL, tries, &ev->err);
	free(tj);
	ev->data = tries;
	return rc;
}

static void
check(struct app *app)
{
	struct journey *j = journey_of(app);
	struct tries_job *tj;

	if (st.job != 0)
		return;
	tj = xcalloc(1, sizeof *tj);
	snprintf(tj->reader, sizeof tj->reader, "%s", j->reader);
	st.mode = PM_CHECKING;
	app_idle_hold(app, true);
	st.job = app_spawn(app, tries_job, tj);
}

/* No reader, reader unplugged or pcscd down: the resident goes on without
 * the card, and staff hear of it (kind card_reader; the server keeps one
 * open alert per kiosk, so a repeat is harmless). */
static void
no_reader(struct app *app)
{
	if (st.mode != PM_NO_READER)
		journey_spawn_help(app, "card_reader");
	st.mode = PM_NO_READER;
}

static void
card_place_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);

	(void)arg;
	memset(&st, 0, sizeof st);
	st.mode = PM_WAIT;
	if (j->reader_known && !j->reader_present)
		no_reader(app);
	else if (j->card_present)
		check(app);
}

static void
card_place_leave(struct app *app)
{
	app_idle_hold(app, false);
	memset(&st, 0, sizeof st);
}

static bool
card_place_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, st.mode != PM_CHECKING))
		return redraw;
	if (ev->type == UI_NOTIFY) {
		if (ev->code == JOURNEY_NOTIFY_CARD_INSERTED &&
		    (st.mode == PM_WAIT || st.mode == PM_NOT_MINE ||
		    st.mode == PM_ERROR))
			check(app);
		else if (ev->code == JOURNEY_NOTIFY_CARD_NO_READER)
			no_reader(app);
		else if (ev->code == JOURNEY_NOTIFY_CARD_EMPTY &&
		    st.mode == PM_NO_READER)
			st.mode = PM_WAIT;
		return true;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.job) {
		int tries = ev->data ? *(int *)ev->data : -1;
		st.job = 0;
		app_idle_hold(app, false);
		journey_card_tries(j, tries);
		switch (ev->rc) {
		case K_OK:
			if (tries <= 1) {
				st.mode = PM_STOP_LAST;
				journey_spawn_help(app, "card_last_try");
			} else
				journey_next(app, JO_NEXT);
			break;
		case K_EBLOCKED:
			st.mode = PM_STOP_BLOCKED;
			journey_spawn_help(app, "card_blocked");
			break;
		case K_ENOTMINE:
			st.mode = PM_NOT_MINE;
			break;
		case K_ENODEV:
			no_reader(app);
			break;
		case K_ENOCARD:
		case K_EREMOVED:
			st.mode = PM_WAIT;
			break;
		default:
			klog("warn", "journey", "card check: %s", ev->err.msg);
			st.mode = PM_ERROR;
			break;
		}
		return true;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_WITHOUT || id == JF_NEXT) {
		if (st.mode == PM_CHECKING)
			return false;
		journey_next(app, JO_NO_CARD);
		return true;
	}
	if (id == ID_RETRY && j->card_present) {
		check(app);
		return true;
	}
	return false;
}

static void
card_place_draw(struct app *app, struct ui *ui)
{
	struct journey_frame_opts o = { .title_key = "card.place_title",
	    .back = st.mode != PM_CHECKING, .end = true };
	struct ui_frame f;
	struct ui_rect c;
	const char *msg = NULL;
	struct ui_color fg = UI_COL_TEXT, bg = UI_COL_PANEL_BLUE,
	    border = UI_COL_PRIMARY;
	enum ui_icon icon = UI_ICON_CARD;
	int gap = ui_mm(ui, UI_MM_GAP);

	if (st.mode != PM_CHECKING)
		o.next_key = "card.go_without";
	journey_frame(app, ui, &o, &f);
	c = f.content;
	journey_steps(app, ui, &c);
	switch (st.mode) {
	case PM_WAIT: msg = "card.place_body"; break;
	case PM_CHECKING: msg = "card.checking"; break;
	case PM_STOP_LAST:
		msg = "card.stop_last_try";
		icon = UI_ICON_WARNING;
		fg = UI_COL_TEXT; bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	case PM_STOP_BLOCKED:
		msg = "card.blocked";
		icon = UI_ICON_ERROR;
		bg = UI_COL_ERROR_BG; border = UI_COL_ERROR;
		break;
	case PM_NOT_MINE:
		msg = "card.not_mine";
		icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	case PM_NO_READER:
		msg = "card.no_reader";
		icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	case PM_ERROR:
		msg = "card.error";
		icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	}
	(void)fg;
	journey_notice(ui, &c, icon, icon == UI_ICON_CARD ? UI_COL_PRIMARY :
	    icon == UI_ICON_ERROR ? UI_COL_ERROR : UI_COL_WARNING, bg, border,
	    journey_tr(app, msg), UI_TYPE_H2, ui_mm(ui, 30));
	if (st.mode == PM_CHECKING)
		ui_progress(ui, ui_cut_top(&c, ui_mm(ui, 8), gap), -1.0,
		    app_now_ms(app));
	if (st.mode == PM_NOT_MINE || st.mode == PM_ERROR)
		journey_action(ui, &c, ID_RETRY, journey_tr(app, "card.retry"));
}

const struct screen screen_card_place = {
	.name = "card_place",
	.enter = card_place_enter,
	.event = card_place_event,
	.draw = card_place_draw,
	.leave = card_place_leave,
};
