/*
 * confirm.c - the four facts read from the card (name, address, birth date
 * with its era, sex): "correct" goes on; "not correct" calls staff (help
 * request), drops what was read and goes on without it.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "wareki.h"

enum { ID_YES = 100, ID_NO = 101 };

static void
confirm_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
}

static bool
confirm_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_YES || id == JF_NEXT) {
		journey_next(app);
		return true;
	}
	if (id == ID_NO) {
		card_basic4_wipe(&j->s.basic4);
		j->s.have_basic4 = false;
		j->s.assist = true;
		j->s.card = JOURNEY_CARD_NONE;
		journey_spawn_help(app, "resident");
		journey_next(app);
		return true;
	}
	return false;
}

static int
fact(struct app *app, struct ui *ui, struct ui_rect *c, const char *key,
    const char *value, const char *lang)
{
	struct ui_text_style ts;
	struct ui_rect row, label;
	int gap = ui_mm(ui, 2), lw = ui_mm(ui, 62), h;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	ts.lang = lang;
	if (portrait) {
		h = ui_type_line_px(ui, UI_TYPE_BODY);
		label = ui_cut_top(c, h, 0);
		ts.fg = UI_COL_TEXT2;
		ts.lang = NULL;
		ui_text(ui, label, journey_tr(app, key), &ts);
		ts.fg = UI_COL_TEXT;
		ts.type = UI_TYPE_H2;
		ts.lang = lang;
		h = ui_text_height(ui, c->w, value, &ts);
		ui_text(ui, ui_cut_top(c, h, gap * 3), value, &ts);
		return h;
	}
	ts.type = UI_TYPE_H2;
	h = ui_text_height(ui, c->w - lw, value, &ts);
	row = ui_cut_top(c, h, gap * 3);
	label = ui_cut_left(&row, lw, 0);
	ts.type = UI_TYPE_BODY;
	ts.fg = UI_COL_TEXT2;
	ts.lang = NULL;
	ui_text(ui, label, journey_tr(app, key), &ts);
	ts.type = UI_TYPE_H2;
	ts.fg = UI_COL_TEXT;
	ts.lang = lang;
	ui_text(ui, row, value, &ts);
	return h;
}

static void
confirm_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "confirm.title",
	    .back = true, .end = true };
	struct ui_frame f;
	struct ui_rect c, facts;
	struct ui_text_style ts;
	const char *labels[2];
	const char *sex;
	char birth[128], sexkey[32];
	int gap = ui_mm(ui, UI_MM_GAP), h, bh = ui_mm(ui, UI_MM_PRIMARY);

	journey_frame(app, ui, &o, &f);
	c = f.content;
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	h = ui_text_height(ui, c.w, journey_tr(app, "confirm.body"), &ts);
	ui_text(ui, ui_cut_top(&c, h, gap), journey_tr(app, "confirm.body"), &ts);
	facts = ui_cut_top(&c, c.h - 2 * bh - 2 * gap, gap);
	ui_panel(ui, facts, UI_COL_PANEL, UI_COL_BORDER, 2);
	facts = ui_inset(facts, gap);
	/* name and address are Japanese text whatever the session language */
	fact(app, ui, &facts, "confirm.name", j->s.basic4.name, "ja");
	fact(app, ui, &facts, "confirm.address", j->s.basic4.address, "ja");
	wareki_format_iso(birth, sizeof birth, j->s.basic4.birth, j->s.lang, true);
	fact(app, ui, &facts, "confirm.birth", birth, NULL);
	sex = card_sex_text(j->s.basic4.sex);
	snprintf(sexkey, sizeof sexkey, "sex.%s", sex ? sex : "not known");
	for (char *p = sexkey; *p; p++)
		if (*p == ' ')
			*p = '_';
	fact(app, ui, &facts, "confirm.sex", journey_tr(app, sexkey), NULL);
	labels[0] = journey_tr(app, "confirm.yes");
	labels[1] = journey_tr(app, "confirm.no");
	ui_choices(ui, ID_YES, c, labels, 2, -1);
}

const struct screen screen_confirm = {
	.name = "confirm",
	.enter = confirm_enter,
	.event = confirm_event,
	.draw = confirm_draw,
	.leave = NULL,
};
