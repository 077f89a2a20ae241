/*
 * card_alarm.c - the card was left in the reader: a large warning (and a
 * repeated tone where the UI has sound) until the card is taken; then the
 * idle screen.  The session is already wiped when this shows.
 */
#include <string.h>

#include "app.h"
#include "chime.h"
#include "journey.h"
#include "ui.h"

enum { T_BLINK = 1, T_TONE = 2 };
#define TONE_MS 4000

static struct {
	bool phase;
} st;

static void
card_alarm_enter(struct app *app, void *arg)
{
	(void)arg;
	memset(&st, 0, sizeof st);
	klog("info", "journey", "card left in the reader: alarm");
	/* a calm 1 Hz change, far below 3 flashes/s (R4.6) */
	app_timer_set(app, T_BLINK, 1000, true);
	app_timer_set(app, T_TONE, TONE_MS, true);
	if (journey_of(app)->sound)
		chime_play(CHIME_ALERT);
	app_idle_hold(app, true);
}

static void
card_alarm_leave(struct app *app)
{
	app_idle_hold(app, false);
}

static bool
card_alarm_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);

	if (ev->type == UI_TICK && ev->timer == T_TONE) {
		if (j->sound)
			chime_play(CHIME_ALERT);
		return false;
	}
	if (ev->type == UI_TICK && ev->timer == T_BLINK) {
		st.phase = !st.phase;
		return true;
	}
	if (ev->type == UI_NOTIFY) {
		bool redraw;
		journey_frame_event(app, ev, &redraw, false);
		if (!j->card_present) {
			journey_next(app, JO_NEXT);
			return true;
		}
	}
	return false;
}

static void
card_alarm_draw(struct app *app, struct ui *ui)
{
	struct ui_rect r = ui_screen(ui), box, icon;
	struct ui_text_style ts;
	int gap = ui_mm(ui, 6);

	ui_fill(ui, r, UI_COL_BG);
	box = ui_inset(r, ui_mm(ui, 15));
	ui_panel(ui, box, UI_COL_WARNING_BG, UI_COL_WARNING,
	    st.phase ? ui_mm(ui, 4) : ui_mm(ui, 2));
	box = ui_inset(box, gap);
	icon = ui_cut_top(&box, ui_mm(ui, 50), gap);
	ui_icon(ui, icon, UI_ICON_CARD, UI_COL_WARNING);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_DISPLAY;
	ts.align = UI_ALIGN_CENTER;
	ui_text(ui, ui_cut_top(&box, ui_text_height(ui, box.w,
	    journey_tr(app, "alarm.title"), &ts), gap),
	    journey_tr(app, "alarm.title"), &ts);
	ts.type = UI_TYPE_H2;
	ui_text(ui, box, journey_tr(app, "alarm.body"), &ts);
}

const struct screen screen_card_alarm = {
	.name = "card_alarm",
	.enter = card_alarm_enter,
	.event = card_alarm_event,
	.draw = card_alarm_draw,
	.leave = card_alarm_leave,
};
