/*
 * card_pin.c - the 4-digit PIN (券面事項入力補助用暗証番号) on a large pad:
 * digits shown only as ●, the tries left in large type, and the warning
 * that 3 wrong tries lock the card.  The fourth digit starts the reading
 * (no extra OK needed; 訂正 removes a digit).  The PIN lives only in this
 * screen's buffer and in the reading job's copy; both are wiped.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "xmalloc.h"

enum { ID_PAD = 100 };

static struct {
	char pin[8];
	int len;
	bool wrong;        /* came back after a wrong PIN */
} st;

static void
card_pin_enter(struct app *app, void *arg)
{
	explicit_bzero(&st, sizeof st);
	st.wrong = arg != NULL;
	(void)app;
}

static void
card_pin_leave(struct app *app)
{
	(void)app;
	explicit_bzero(&st, sizeof st);
}

static void
submit(struct app *app)
{
	char *pin = xmalloc(8);

	memcpy(pin, st.pin, 5);
	explicit_bzero(&st, sizeof st);
	/* the reading step owns and wipes the copy */
	if (!journey_next_arg(app, JO_NEXT, pin))
		xfree_wipe(pin, 8);
}

static bool
card_pin_event(struct app *app, struct ui_event *ev)
{
	bool redraw;
	int id, digit = -1;

	if (journey_frame_event(app, ev, &redraw, true))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id >= ID_PAD + UI_PAD_0 && id <= ID_PAD + 9)
		digit = id - ID_PAD - UI_PAD_0;
	if (ev->type == UI_KEY && ev->key >= UI_KEY_0 && ev->key <= UI_KEY_9)
		digit = ev->key - UI_KEY_0;
	if (digit >= 0 && st.len < 4) {
		st.pin[st.len++] = (char)('0' + digit);
		st.pin[st.len] = '\0';
		st.wrong = false;
		if (st.len == 4)
			submit(app);
		return true;
	}
	if (id == ID_PAD + UI_PAD_CLEAR ||
	    (ev->type == UI_KEY && ev->key == UI_KEY_CLEAR)) {
		if (st.len > 0)
			st.pin[--st.len] = '\0';
		return true;
	}
	if (id == ID_PAD + UI_PAD_ENTER && st.len == 4) {
		submit(app);
		return true;
	}
	return false;
}

static void
card_pin_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "pin.title", .back = true,
	    .end = true };
	struct ui_frame f;
	struct ui_rect c, left, pad, dots;
	struct ui_text_style ts;
	char buf[256], n[16], masked[32];
	const char *args[1];
	int gap = ui_mm(ui, UI_MM_GAP), h, i;
	int key = ui_mm(ui, ui_large(ui) ? 31 : UI_MM_PRIMARY);
	int kw = ui_mm(ui, ui_large(ui) ? 54 : 45);
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	journey_frame(app, ui, &o, &f);
	c = f.content;
	if (portrait) {
		left = c;
		pad = ui_cut_bottom(&left, 4 * key + 3 * gap, gap);
		pad = ui_center(pad, 3 * kw + 2 * gap, 4 * key + 3 * gap < pad.h ?
		    4 * key + 3 * gap : pad.h);
	} else {
		left = c;
		pad = ui_cut_right(&left, 3 * kw + 2 * gap, ui_mm(ui, 10));
		pad = ui_center(pad, pad.w, 4 * key + 3 * gap < pad.h ?
		    4 * key + 3 * gap : pad.h);
	}
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H2;
	h = ui_text_height(ui, left.w, journey_tr(app, "pin.body"), &ts);
	ui_text(ui, ui_cut_top(&left, h, gap), journey_tr(app, "pin.body"), &ts);

	/* ● for each digit entered, ○ for each still to come */
	masked[0] = '\0';
	for (i = 0; i < 4; i++)
		strcat(masked, i < st.len ? "● " : "○ ");
	dots = ui_cut_top(&left, ui_type_line_px(ui, UI_TYPE_DISPLAY) + 2 * gap,
	    gap);
	ui_panel(ui, dots, UI_COL_BG, UI_COL_BORDER, 2);
	ts.type = UI_TYPE_DISPLAY;
	ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
	ui_text(ui, ui_inset(dots, gap / 2), masked, &ts);

	/* tries left, large, boxed as a warning */
	if (j->s.tries_left > 0) {
		snprintf(n, sizeof n, "%d", j->s.tries_left);
		args[0] = n;
		journey_trf(app, buf, sizeof buf, st.wrong ? "pin.wrong_tries" :
		    "pin.tries", args, 1);
	} else
		snprintf(buf, sizeof buf, "%s", journey_tr(app, "pin.lock_note"));
	journey_notice(ui, &left, st.wrong ? UI_ICON_ERROR : UI_ICON_WARNING,
	    st.wrong ? UI_COL_ERROR : UI_COL_WARNING,
	    st.wrong ? UI_COL_ERROR_BG : UI_COL_WARNING_BG,
	    st.wrong ? UI_COL_ERROR : UI_COL_WARNING, buf, UI_TYPE_H2, 0);
	ts.align = 0;
	ts.type = UI_TYPE_BODY;
	h = ui_text_height(ui, left.w, journey_tr(app, "pin.privacy"), &ts);
	ui_text(ui, ui_cut_top(&left, h, gap), journey_tr(app, "pin.privacy"), &ts);

	ui_keypad(ui, ID_PAD, pad, journey_tr(app, "pin.clear"),
	    journey_tr(app, "pin.ok"));
}

const struct screen screen_card_pin = {
	.name = "card_pin",
	.enter = card_pin_enter,
	.event = card_pin_event,
	.draw = card_pin_draw,
	.leave = card_pin_leave,
};
