/*
 * card_choice.c - use the My Number card (nothing to write) or not.
 * Without a reader the screen says so and offers only "go on without".
 */
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_USE = 100, ID_NOCARD = 101 };

static void
card_choice_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
}

static bool
card_choice_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	if (ev->type == UI_NOTIFY)
		return true;   /* reader came or went: redraw the choices */
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_USE && (j->reader_present || !j->reader_known)) {
		journey_next(app, JO_NEXT);
		return true;
	}
	if (id == ID_NOCARD) {
		journey_next(app, JO_NO_CARD);
		return true;
	}
	return false;
}

static void
card_choice_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "card.choice_title",
	    .back = true, .end = true };
	struct ui_frame f;
	struct ui_rect c;
	struct ui_text_style ts;
	const char *labels[2];
	int gap = ui_mm(ui, UI_MM_GAP), h;

	journey_frame(app, ui, &o, &f);
	c = f.content;
	journey_steps(app, ui, &c);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	if (j->reader_known && !j->reader_present) {
		journey_notice(ui, &c, UI_ICON_WARNING, UI_COL_WARNING,
		    UI_COL_WARNING_BG, UI_COL_WARNING,
		    journey_tr(app, "card.no_reader"), UI_TYPE_BODY, 0);
		journey_action(ui, &c, ID_NOCARD, journey_tr(app,
		    "card.go_without"));
		return;
	}
	h = ui_text_height(ui, c.w, journey_tr(app, "card.choice_body"), &ts);
	ui_text(ui, ui_cut_top(&c, h, gap), journey_tr(app, "card.choice_body"),
	    &ts);
	labels[0] = journey_tr(app, "card.use");
	labels[1] = journey_tr(app, "card.no_use");
	ui_choices(ui, ID_USE, c, labels, 2,
	    j->s.card == JOURNEY_CARD_USE ? 0 :
	    j->s.card == JOURNEY_CARD_NONE ? 1 : -1);
}

const struct screen screen_card_choice = {
	.name = "card_choice",
	.enter = card_choice_enter,
	.event = card_choice_event,
	.draw = card_choice_draw,
	.leave = NULL,
};
