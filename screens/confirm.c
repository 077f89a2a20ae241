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
	bool redraw;
	int id;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_YES || id == JF_NEXT) {
		journey_next(app, JO_NEXT);
		return true;
	}
	if (id == ID_NO) {
		journey_spawn_help(app, "resident");
		journey_next(app, JO_ASSIST);
		return true;
	}
	return false;
}

static int
fact(struct app *app, struct ui *ui, struct ui_rect *c, const char *key,
    const char *value, const char *lang)
{
	struct ui_text_style ls, vs;
	struct ui_rect row, label;
	int gap = ui_mm(ui, 2), lw = ui_mm(ui, 95), lh, vh, h;
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;
	const char *name = journey_tr(app, key);

	memset(&ls, 0, sizeof ls);
	ls.type = UI_TYPE_BODY;
	ls.fg = UI_COL_TEXT2;
	memset(&vs, 0, sizeof vs);
	/* 40 px either way: H2 normally, body in large text (also 40 px) */
	vs.type = ui_large(ui) ? UI_TYPE_BODY : UI_TYPE_H2;
	vs.lang = lang;
	if (portrait) {
		lh = ui_text_height(ui, c->w, name, &ls);
		ui_text(ui, ui_cut_top(c, lh, 0), name, &ls);
		vh = ui_text_height(ui, c->w, value, &vs);
		ui_text(ui, ui_cut_top(c, vh, gap * 3), value, &vs);
		return lh + vh;
	}
	lh = ui_text_height(ui, lw, name, &ls);
	vh = ui_text_height(ui, c->w - lw, value, &vs);
	h = lh > vh ? lh : vh;
	row = ui_cut_top(c, h, gap * 2);
	label = ui_cut_left(&row, lw, 0);
	ui_text(ui, label, name, &ls);
	ui_text(ui, row, value, &vs);
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
	const char *sex;
	char birth[128], sexkey[32];
	int gap = ui_mm(ui, UI_MM_GAP), h, bh = ui_mm(ui, UI_MM_PRIMARY);
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	journey_frame(app, ui, &o, &f);
	c = f.content;
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	h = ui_text_height(ui, c.w, journey_tr(app, "confirm.body"), &ts);
	ui_text(ui, ui_cut_top(&c, h, gap), journey_tr(app, "confirm.body"), &ts);
	bh += ui_mm(ui, 10);   /* the answers may take two lines */
	facts = ui_cut_top(&c, c.h - (portrait ? 2 * bh + gap : bh) - gap, gap);
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
	/* "correct" (primary) and "not correct" side by side */
	c = ui_cut_top(&c, portrait ? 2 * bh + gap : bh, 0);
	ui_button_ex(ui, ID_YES, portrait ? ui_row(c, 2, 0, gap) :
	    ui_column(c, 2, 0, gap), UI_ICON_CHECK,
	    journey_tr(app, "confirm.yes"), NULL, UI_PRIMARY, 0);
	ui_button_ex(ui, ID_NO, portrait ? ui_row(c, 2, 1, gap) :
	    ui_column(c, 2, 1, gap), UI_ICON_HELP,
	    journey_tr(app, "confirm.no"), NULL, UI_SECONDARY, 0);
}

const struct screen screen_confirm = {
	.name = "confirm",
	.enter = confirm_enter,
	.event = confirm_event,
	.draw = confirm_draw,
	.leave = NULL,
};
