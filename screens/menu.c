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

/* Tiles: the catalog's procedures and consultations; the last cell of
 * every page is "life events". */
static size_t
tiles(struct journey *j, const struct cat_procedure **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < catalog_count(j->cat) && n < max; i++)
		if (catalog_at(j->cat, i)->kind != CAT_LIFE_EVENT)
			out[n++] = catalog_at(j->cat, i);
	return n;
}

/* The label under the name, or NULL (drawn in a Japanese font: ja only). */
static const char *
sublabel(struct journey *j, struct ui *ui, const struct cat_procedure *p)
{
	if (ui_large(ui) || strcmp(j->s.lang, "ja") != 0)
		return NULL;
	if (p == NULL)
		return i18n_get(j->tr, 0, "menu.events_sub");
	return p->desc.n ? cat_text_get(&p->desc, "ja") : NULL;
}

static const char *
label(struct app *app, const struct cat_procedure *p)
{
	return p ? catalog_name(p, journey_of(app)->s.lang) :
	    journey_tr(app, "menu.events");
}

/* Does every tile's label fit a cell of w x h (widgets.c's padding)? */
static bool
labels_fit(struct app *app, struct ui *ui, int w, int h)
{
	struct journey *j = journey_of(app);
	const struct cat_procedure *t[64];
	size_t n = tiles(j, t, 64), i;
	struct ui_text_style ts;
	int px = ui_type_px(ui, UI_TYPE_BUTTON);
	int tw = w - 2 * ui_mm(ui, 4) - 6 - px * 3 / 2 - ui_mm(ui, 3);
	int th = h - 6 - 2 * ui_mm(ui, 1);

	memset(&ts, 0, sizeof ts);
	t[n++] = NULL;   /* the life events tile */
	for (i = 0; i < n; i++) {
		const char *sub = sublabel(j, ui, t[i]);
		int need;
		ts.type = UI_TYPE_BUTTON;
		ts.lang = NULL;
		need = ui_text_height(ui, tw, label(app, t[i]), &ts);
		if (sub != NULL) {
			ts.type = UI_TYPE_SECONDARY;
			ts.lang = "ja";
			need += ui_mm(ui, 1) + ui_text_height(ui, tw, sub, &ts);
		}
		if (need > th)
			return false;
	}
	return true;
}

/* The densest grid whose cells hold every label in this language and size. */
static void
grid(struct app *app, struct ui *ui, int *cols, int *rows)
{
	static const int land[][2] = { { 4, 4 }, { 3, 4 }, { 3, 3 }, { 2, 3 },
	    { 2, 2 }, { 1, 2 } };
	static const int port[][2] = { { 2, 7 }, { 2, 6 }, { 2, 5 }, { 1, 6 },
	    { 1, 5 }, { 1, 4 }, { 1, 3 } };
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;
	const int (*g)[2] = portrait ? port : land;
	size_t n = portrait ? ARRAY_SIZE(port) : ARRAY_SIZE(land), i;
	struct journey_frame_opts o = { .title_key = "menu.title", .back = true,
	    .end = true, .next_key = "menu.more" };
	struct ui_frame f;
	int gap = ui_mm(ui, UI_MM_GAP);

	/* the content rect the frame leaves (measured, not drawn) */
	journey_frame_layout(app, ui, &o, &f);
	for (i = 0; i < n; i++) {
		struct ui_rect cell = ui_column(ui_row(f.content, g[i][1], 0, gap),
		    g[i][0], 0, gap);
		if (labels_fit(app, ui, cell.w, cell.h))
			break;
	}
	if (i == n)
		i = n - 1;
	*cols = g[i][0];
	*rows = g[i][1];
}

static int
pages(struct app *app)
{
	const struct cat_procedure *t[64];
	size_t n = tiles(journey_of(app), t, 64);
	int cols, rows;

	grid(app, app_ui(app), &cols, &rows);
	/* one cell of each page is the life events tile */
	return (int)((n + (size_t)(cols * rows - 1) - 1) /
	    (size_t)(cols * rows - 1));
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
		journey_next(app, JO_EVENTS);
		return true;
	}
	if (id >= ID_TILE0 && (size_t)(id - ID_TILE0) < n) {
		journey_choose(app, t[id - ID_TILE0]);
		journey_next(app, JO_NEXT);
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

	grid(app, ui, &cols, &rows);
	per = (size_t)(cols * rows - 1);
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
		ui_button_ex(ui, ID_TILE0 + (int)i, cell,
		    (enum ui_icon)journey_icon(t[i]->icon),
		    label(app, t[i]), sublabel(j, ui, t[i]),
		    UI_SECONDARY, j->s.proc == t[i] ? UI_SELECTED : 0);
	}
	/* life events: always the last cell */
	{
		struct ui_rect row = ui_row(c, rows, rows - 1, gap);
		struct ui_rect cell = ui_column(row, cols, cols - 1, gap);
		ui_button_ex(ui, ID_EVENTS, cell, UI_ICON_HOME, label(app, NULL),
		    sublabel(j, ui, NULL), UI_SECONDARY, 0);
	}
}

const struct screen screen_menu = {
	.name = "menu",
	.enter = menu_enter,
	.event = menu_event,
	.draw = menu_draw,
	.leave = NULL,
};
