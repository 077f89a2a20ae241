/*
 * lang.c - the language list over any screen: each language in its own
 * name (and its code), no flags (R10.4).  Choosing one keeps every answer
 * and returns to the screen below, now in that language.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"

enum { ID_LANG0 = 100, ID_CLOSE = 99 };

static void
lang_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
}

static bool
lang_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	int id;

	if (ev->type == UI_NOTIFY) {
		bool redraw;
		journey_frame_event(app, ev, &redraw, false);
		return false;
	}
	if (ev->type == UI_IDLE) {
		app_pop(app);
		app_push(app, &screen_still_there, NULL);
		return true;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id >= ID_LANG0 && id < ID_LANG0 + (int)i18n_count(j->tr)) {
		journey_set_lang(app, i18n_code(j->tr, (size_t)(id - ID_LANG0)));
		app_pop(app);
		return true;
	}
	if (id == ID_CLOSE || (ev->type == UI_KEY && ev->key == UI_KEY_CANCEL)) {
		app_pop(app);
		return true;
	}
	return false;
}

static void
lang_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct ui_rect r = ui_inset(ui_screen(ui), ui_mm(ui, UI_MM_MARGIN)), t;
	struct ui_text_style ts;
	size_t i, n = i18n_count(j->tr);
	int gap = ui_mm(ui, UI_MM_GAP), bh = ui_mm(ui, UI_MM_PRIMARY), cols, rows;
	char label[96];

	ui_fill(ui, ui_screen(ui), UI_COL_BG);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H1;
	ts.align = UI_ALIGN_LEFT | UI_ALIGN_MIDDLE;
	t = ui_cut_top(&r, bh, gap);
	ui_button_ex(ui, ID_CLOSE, ui_cut_right(&t, ui_mm(ui, 50), gap),
	    UI_ICON_CLOSE, journey_tr(app, "lang.close"), NULL, UI_SECONDARY, 0);
	ui_icon(ui, ui_cut_left(&t, bh, gap), UI_ICON_GLOBE, UI_COL_TEXT);
	ui_text(ui, t, journey_tr(app, "lang.title"), &ts);
	cols = ui_screen(ui).w < ui_screen(ui).h || ui_large(ui) ? 1 : 2;
	rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	for (i = 0; i < n; i++) {
		struct ui_rect row = ui_row(r, rows, (int)(i / (size_t)cols), gap);
		struct ui_rect cell = ui_column(row, cols, (int)(i % (size_t)cols), gap);
		snprintf(label, sizeof label, "%s", i18n_get(j->tr, i, "lang.name"));
		ui_button_ex(ui, ID_LANG0 + (int)i, cell, UI_ICON_NONE, label,
		    i18n_code(j->tr, i), UI_SECONDARY,
		    strcmp(i18n_code(j->tr, i), j->s.lang) == 0 ? UI_SELECTED : 0);
	}
}

const struct screen screen_lang = {
	.name = "lang",
	.enter = lang_enter,
	.event = lang_event,
	.draw = lang_draw,
	.leave = NULL,
};
