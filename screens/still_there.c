/*
 * still_there.c - 「まだ つかいますか?」: after kiosk.idle_timeout_s without a
 * touch, in the session language and in Japanese, with a countdown of
 * kiosk.idle_warning_s seconds.  "Continue" (one tap) restores the whole
 * idle period, as often as needed; "End" or the end of the countdown wipes
 * the session (journey_end).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "chime.h"
#include "config.h"
#include "journey.h"
#include "ui.h"

enum { ID_CONTINUE = 100, ID_END = 101, T_SECOND = 1 };

static struct {
	int left;
} st;

static void
still_there_enter(struct app *app, void *arg)
{
	(void)arg;
	st.left = (int)config_int(app_config(app), "kiosk.idle_warning_s");
	app_timer_set(app, T_SECOND, 1000, true);
	if (journey_of(app)->sound)
		chime_play(CHIME_ALERT);   /* the alert tone of R6.2 */
}

static bool
still_there_event(struct app *app, struct ui_event *ev)
{
	int id;

	if (ev->type == UI_TICK && ev->timer == T_SECOND) {
		if (--st.left <= 0) {
			journey_end(app);
			return true;
		}
		return true;
	}
	if (ev->type == UI_NOTIFY) {
		bool redraw;
		journey_frame_event(app, ev, &redraw, false);
		return false;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_CONTINUE || (ev->type == UI_KEY && ev->key == UI_KEY_ENTER)) {
		app_idle_reset(app);
		app_pop(app);
		return true;
	}
	if (id == ID_END || (ev->type == UI_KEY && ev->key == UI_KEY_CANCEL)) {
		journey_end(app);
		return true;
	}
	return false;
}

static void
still_there_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	const char *buttons[2] = { journey_tr(app, "still.continue"),
	    journey_tr(app, "still.end") };
	char body[512], n[16], title[256];
	const char *args[1];
	int ja = i18n_find(j->tr, "ja");

	snprintf(n, sizeof n, "%d", st.left);
	args[0] = n;
	journey_trf(app, body, sizeof body, "still.body", args, 1);
	/* the question also in Japanese, for whoever comes to help */
	if (strcmp(j->s.lang, "ja") != 0 && ja >= 0)
		snprintf(title, sizeof title, "%s\n%s", journey_tr(app, "still.title"),
		    i18n_get(j->tr, (size_t)ja, "still.title"));
	else
		snprintf(title, sizeof title, "%s", journey_tr(app, "still.title"));
	/* the countdown is in the body ("30 秒後に..."), updated every second */
	ui_dialog(ui, UI_ICON_CLOCK, title, body, ID_CONTINUE, buttons, 2);
}

const struct screen screen_still_there = {
	.name = "still_there",
	.enter = still_there_enter,
	.event = still_there_event,
	.draw = still_there_draw,
	.overlay = true,
	.leave = NULL,
};
