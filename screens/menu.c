/*
 * menu.c - what do you want to do?  Procedures as large tiles with a
 * pictogram (and the official Japanese name in translations), and one tile
 * for life events (引っ越し・出生・おくやみ).  Pages when large text needs
 * more room; 住民票の写し is always the first tile.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_TILE0 = 100, ID_EVENTS = 99, ID_PREV = 97, ID_NEXTPAGE = 98 };

static struct {
	int page;
} st;

/* Tiles: the catalog's procedures and consultations, then "life events". */
static size_t
tiles(struct journey *j, const struct cat_procedure **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < catalog_count(j->cat) && n < max; i++)
		if (catalog_at(j->cat, i)->kind != CAT_LIFE_EVENT)
			out[n++] = catalog_at(j->cat, i);
	if (n < max)
		out[n++] = NULL;   /* the life events tile */
	return n;
}

static void
grid(struct ui *ui, int *cols, int *rows)
{
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	if (portrait) {
		*cols = ui_large(ui) ? 1 : 2;
		*rows = ui_large(ui) ? 6 : 7;
	} else {
		*cols = ui_large(ui) ? 3 : 4;
		*rows = ui_large(ui) ? 3 : 4;
	}
}

static int
pages(struct app *app)
{
	const struct cat_procedure *t[64];
	size_t n = tiles(journey_of(app), t, 64);
	int cols, rows;

	grid(app_ui(app), &cols, &rows);
	return (int)((n + (size_t)(cols * rows) - 1) / (size_t)(cols * rows));
}

static void
menu_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
	memset(&st, 0, sizeof st);
}

static bool
menu_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	const struct cat_procedure *t[64];
	size_t n = tiles(j, t, 64);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true)) {
		if (st.page >= pages(app))
			st.page = pages(app) - 1;   /* text size changed */
		return redraw;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_NEXTPAGE) {
		if (st.page + 1 < pages(app))
			st.page++;
		return true;
	}
	if (id == ID_PREV) {
		if (st.page > 0)
			st.page--;
		return true;
	}
	if (id == ID_EVENTS) {
		app_replace(app, &screen_events, NULL);
		return true;
	}
	if (id >= ID_TILE0 && (size_t)(id - ID_TILE0) < n &&
	    t[id - ID_TILE0] != NULL) {
		journey_choose(app, t[id - ID_TILE0]);
		journey_next(app);
		return true;
	}
	return false;
}

static void
menu_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	const struct cat_procedure *t[64];
	size_t n = tiles(j, t, 64), i, per, first;
	struct journey_frame_opts o = { .title_key = "menu.title", .back = true,
	    .end = true };
	struct ui_frame f;
	struct ui_rect c;
	int cols, rows, gap = ui_mm(ui, UI_MM_GAP), npages, page;

	grid(ui, &cols, &rows);
	per = (size_t)(cols * rows);
	npages = (int)((n + per - 1) / per);
	page = st.page < npages ? st.page : npages - 1;
	if (page > 0) {
		o.back_key = "menu.prev";
		o.back_id = ID_PREV;
	}
	if (page + 1 < npages) {
		o.next_key = "menu.more";
		o.next_id = ID_NEXTPAGE;
	}
	journey_frame(app, ui, &o, &f);
	c = f.content;
	first = (size_t)page * per;
	for (i = first; i < n && i < first + per; i++) {
		size_t k = i - first;
		struct ui_rect row = ui_row(c, rows, (int)(k / (size_t)cols), gap);
		struct ui_rect cell = ui_column(row, cols, (int)(k % (size_t)cols), gap);
		if (t[i] == NULL) {
			ui_button_ex(ui, ID_EVENTS, cell, UI_ICON_HOME,
			    journey_tr(app, "menu.events"),
			    ui_large(ui) || strncmp(j->s.lang, "ja", 2) != 0 ? NULL :
			    journey_tr(app, "menu.events_sub"),
			    UI_SECONDARY, 0);
			continue;
		}
		ui_button_ex(ui, ID_TILE0 + (int)i, cell,
		    (enum ui_icon)journey_icon(t[i]->icon),
		    catalog_name(t[i], j->s.lang),
		    /* the line under the name is drawn in a Japanese font */
		    ui_large(ui) || t[i]->desc.n == 0 ||
		    strncmp(j->s.lang, "ja", 2) != 0 ? NULL :
		    cat_text_get(&t[i]->desc, j->s.lang),
		    UI_SECONDARY, j->s.proc == t[i] ? UI_SELECTED : 0);
	}
}

const struct screen screen_menu = {
	.name = "menu",
	.enter = menu_enter,
	.event = menu_event,
	.draw = menu_draw,
	.leave = NULL,
};
