/*
 * card_read.c - reading the card (a worker job: VERIFY once, then the four
 * facts).  Results:
 *   ok           -> confirmation of the four facts
 *   wrong PIN    -> back to the pad with the tries left, unless only 1 is
 *                   left: then stop and send the resident to the counter
 *   blocked      -> stop, the counter resets it
 *   card pulled  -> "the card came off", place it again (no try spent)
 *   not a My Number card, reader gone, other -> say so, go on without it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "xmalloc.h"

enum { ID_AGAIN = 100 };

enum read_mode { RM_READING, RM_REMOVED, RM_STOP_LAST, RM_BLOCKED, RM_FAILED };

static struct {
	enum read_mode mode;
	int job;
} st;

struct read_job {
	char reader[128];
	char pin[8];
	unsigned flags;
};

struct read_result {
	int tries;
	struct card_basic4 b;
};

static void
free_result(void *p)
{
	xfree_wipe(p, sizeof(struct read_result));
}

static int
read_job(struct ui_event *ev, void *arg)
{
	struct read_job *rj = arg;
	struct read_result *r = xcalloc(1, sizeof *r);
	int rc;

	r->tries = -1;
	rc = card_read_at(rj->reader[0] ? rj->reader : NULL, rj->pin, rj->flags,
	    &r->tries, &r->b, &ev->err);
	xfree_wipe(rj, sizeof *rj);
	ev->data = r;
	ev->free_data = free_result;
	return rc;
}

static void
card_read_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);
	char *pin = arg;
	struct read_job *rj;

	memset(&st, 0, sizeof st);
	st.mode = RM_FAILED;
	if (pin == NULL)
		return;
	rj = xcalloc(1, sizeof *rj);
	snprintf(rj->reader, sizeof rj->reader, "%s", j->reader);
	memcpy(rj->pin, pin, 5);
	xfree_wipe(pin, 8);
	rj->flags = j->s.proc && j->s.proc->needs_mynumber ? CARD_READ_MYNUMBER : 0;
	st.mode = RM_READING;
	app_idle_hold(app, true);
	st.job = app_spawn(app, read_job, rj);
}

static void
card_read_leave(struct app *app)
{
	app_idle_hold(app, false);
	memset(&st, 0, sizeof st);
}

static bool
card_read_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, st.mode != RM_READING))
		return redraw;
	if (ev->type == UI_JOB_DONE && ev->job == st.job) {
		struct read_result *r = ev->data;
		st.job = 0;
		app_idle_hold(app, false);
		if (r != NULL && r->tries >= 0)
			journey_card_tries(j, r->tries);
		switch (ev->rc) {
		case K_OK:
			journey_card_read(j, &r->b);
			journey_next(app, JO_NEXT);
			return true;
		case K_EPIN:
			if (j->s.tries_left <= 1) {
				st.mode = RM_STOP_LAST;
				journey_spawn_help(app, "card_last_try");
			} else
				journey_next_arg(app, JO_PIN_AGAIN, (void *)1);
			return true;
		case K_EBLOCKED:
			st.mode = RM_BLOCKED;
			journey_spawn_help(app, "card_blocked");
			return true;
		case K_EREMOVED:
		case K_ENOCARD:
			st.mode = RM_REMOVED;
			return true;
		default:
			klog("warn", "journey", "card read: %s (%s)",
			    kerr_name(ev->rc), ev->err.msg);
			st.mode = RM_FAILED;
			return true;
		}
	}
	if (ev->type == UI_NOTIFY)
		return true;
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_AGAIN && st.mode == RM_REMOVED) {
		journey_next(app, JO_CARD_AGAIN);
		return true;
	}
	if (id == JF_NEXT && st.mode != RM_READING) {
		journey_next(app, JO_NO_CARD);
		return true;
	}
	return false;
}

static void
card_read_draw(struct app *app, struct ui *ui)
{
	struct journey_frame_opts o = { .title_key = "read.title",
	    .back = st.mode != RM_READING, .end = st.mode != RM_READING };
	struct ui_frame f;
	struct ui_rect c;
	const char *msg = "read.body";
	struct ui_color bg = UI_COL_PANEL_BLUE, border = UI_COL_PRIMARY;
	enum ui_icon icon = UI_ICON_CARD;
	int gap = ui_mm(ui, UI_MM_GAP);

	if (st.mode != RM_READING)
		o.next_key = "card.go_without";
	journey_frame(app, ui, &o, &f);
	c = f.content;
	switch (st.mode) {
	case RM_READING: break;
	case RM_REMOVED:
		msg = "read.removed"; icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	case RM_STOP_LAST:
		msg = "card.stop_last_try"; icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	case RM_BLOCKED:
		msg = "card.blocked"; icon = UI_ICON_ERROR;
		bg = UI_COL_ERROR_BG; border = UI_COL_ERROR;
		break;
	case RM_FAILED:
		msg = "card.error"; icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG; border = UI_COL_WARNING;
		break;
	}
	journey_notice(ui, &c, icon, icon == UI_ICON_CARD ? UI_COL_PRIMARY :
	    icon == UI_ICON_ERROR ? UI_COL_ERROR : UI_COL_WARNING, bg, border,
	    journey_tr(app, msg), UI_TYPE_H2, ui_mm(ui, 30));
	if (st.mode == RM_READING)
		ui_progress(ui, ui_cut_top(&c, ui_mm(ui, 8), gap), -1.0,
		    app_now_ms(app));
	if (st.mode == RM_REMOVED)
		journey_action(ui, &c, ID_AGAIN, journey_tr(app, "read.again"));
}

const struct screen screen_card_read = {
	.name = "card_read",
	.enter = card_read_enter,
	.event = card_read_event,
	.draw = card_read_draw,
	.leave = card_read_leave,
};
