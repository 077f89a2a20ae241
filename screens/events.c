/*
 * events.c - life events (引っ越し 市外から/市外へ/市内で, 出生, おくやみ): one
 * tile each; the summary then shows where to go and what to bring.
 */
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_TILE0 = 100 };

static size_t
events(struct journey *j, const struct cat_procedure **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < catalog_count(j->cat) && n < max; i++)
		if (catalog_at(j->cat, i)->kind == CAT_LIFE_EVENT)
			out[n++] = catalog_at(j->cat, i);
	return n;
}

static void
events_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
}

static bool
events_event(struct app *app, struct ui_event *ev)
{
	const struct cat_procedure *t[16];
	size_t n = events(journey_of(app), t, 16);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id >= ID_TILE0 && (size_t)(id - ID_TILE0) < n) {
		journey_choose(app, t[id - ID_TILE0]);
		journey_next(app, JO_NEXT);
		return true;
	}
	return false;
}

static void
events_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	const struct cat_procedure *t[16];
	size_t n = events(j, t, 16), i;
	struct journey_frame_opts o = { .title_key = "events.title", .back = true,
	    .end = true };
	struct ui_frame f;
	int gap = ui_mm(ui, UI_MM_GAP), cols, rows;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	journey_frame(app, ui, &o, &f);
	cols = portrait || ui_large(ui) ? 1 : 2;
	rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	for (i = 0; i < n; i++) {
		struct ui_rect row = ui_row(f.content, rows, (int)(i / (size_t)cols),
		    gap);
		struct ui_rect cell = ui_column(row, cols, (int)(i % (size_t)cols),
		    gap);
		ui_button_ex(ui, ID_TILE0 + (int)i, cell,
		    (enum ui_icon)journey_icon(t[i]->icon),
		    catalog_name(t[i], j->s.lang), NULL, UI_SECONDARY,
		    j->s.proc == t[i] ? UI_SELECTED : 0);
	}
}

const struct screen screen_events = {
	.name = "events",
	.enter = events_enter,
	.event = events_event,
	.draw = events_draw,
	.leave = NULL,
};
