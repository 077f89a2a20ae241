/*
 * end_confirm.c - "end here?  What you entered is erased." (R7.4: one
 * confirmation, then the session is wiped).
 */
#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_END = 100, ID_STAY = 101 };

static void
end_confirm_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
}

static bool
end_confirm_event(struct app *app, struct ui_event *ev)
{
	int id;

	if (ev->type == UI_NOTIFY) {
		bool redraw;
		journey_frame_event(app, ev, &redraw, false);
		return false;
	}
	if (ev->type == UI_IDLE) {
		journey_end(app);
		return true;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_END) {
		journey_end(app);
		return true;
	}
	if (id == ID_STAY || (ev->type == UI_KEY && ev->key == UI_KEY_CANCEL)) {
		app_pop(app);
		return true;
	}
	return false;
}

static void
end_confirm_draw(struct app *app, struct ui *ui)
{
	const char *buttons[2] = { journey_tr(app, "end.yes"),
	    journey_tr(app, "end.no") };

	ui_dialog(ui, UI_ICON_WARNING, journey_tr(app, "end.title"),
	    journey_tr(app, "end.body"), ID_END, buttons, 2);
}

const struct screen screen_end_confirm = {
	.name = "end_confirm",
	.enter = end_confirm_enter,
	.event = end_confirm_event,
	.draw = end_confirm_draw,
	.overlay = true,
	.leave = NULL,
};
