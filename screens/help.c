/*
 * help.c - "staff are coming": over any screen, sends POST /api/help (kind
 * resident) once, and says whether it went out.  The idle timer waits
 * while it shows (R6.4).  Closing returns to the screen below unchanged.
 */
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_CLOSE = 100 };
/* A second call within this time shows "staff are coming" without a new
 * request (a worried resident pressing again does not page staff twice). */
#define HELP_REPEAT_MS 60000

static struct {
	int job;
	int state;   /* 0 sending, 1 sent, -1 failed */
} st;

static void
help_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);

	(void)arg;
	memset(&st, 0, sizeof st);
	app_idle_hold(app, true);
	if (j->s.help_ms != 0 && app_now_ms(app) - j->s.help_ms < HELP_REPEAT_MS)
		st.state = 1;
	else
		st.job = journey_spawn_help(app, "resident");
}

static void
help_leave(struct app *app)
{
	app_idle_hold(app, false);
	app_idle_reset(app);
}

static bool
help_event(struct app *app, struct ui_event *ev)
{
	int id;

	if (ev->type == UI_JOB_DONE && ev->job == st.job) {
		st.job = 0;
		st.state = ev->rc == K_OK ? 1 : -1;
		if (ev->rc == K_OK)
			journey_help_sent(journey_of(app), app_now_ms(app));
		return true;
	}
	if (ev->type == UI_NOTIFY) {
		bool redraw;
		journey_frame_event(app, ev, &redraw, false);
		return false;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_CLOSE || (ev->type == UI_KEY && (ev->key == UI_KEY_CANCEL ||
	    ev->key == UI_KEY_ENTER))) {
		app_pop(app);
		return true;
	}
	return false;
}

static void
help_draw(struct app *app, struct ui *ui)
{
	const char *buttons[1] = { journey_tr(app, "help.close") };

	(void)app;
	ui_dialog(ui, st.state < 0 ? UI_ICON_WARNING : UI_ICON_HELP,
	    journey_tr(app, "help.title"),
	    journey_tr(app, st.state < 0 ? "help.failed" : st.state > 0 ?
	    "help.sent" : "help.sending"), ID_CLOSE, buttons, 1);
}

const struct screen screen_help = {
	.name = "help",
	.enter = help_enter,
	.event = help_event,
	.draw = help_draw,
	.overlay = true,
	.leave = help_leave,
};
