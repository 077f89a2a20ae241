/*
 * test_ui_widgets.c - widgets without a screen: the frame's widget list,
 * release-inside activation, the tremor guard, keypad focus, dialogs that
 * block what is below, and the audit catching each rule it enforces.
 * The ui has no renderer here (layout and measuring only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "qr.h"
#include "ui.h"
#include "ui_core.h"

struct fixture {
	struct config *cfg;
	struct ui *ui;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kerr err;

	f->cfg = config_defaults();
	if (ui_new(&f->ui, f->cfg, NULL, 1920, 1080, &err) != K_OK) {
		fprintf(stderr, "ui_new: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ui_free(f->ui);
	config_free(f->cfg);
	free(f);
	return 0;
}

static struct ui_event
tap(enum ui_tap_phase ph, int x, int y, uint64_t now)
{
	struct ui_event ev = { .type = UI_TAP, .phase = ph, .x = x, .y = y,
	    .now_ms = now };

	return ev;
}

/* press at (px,py), release at (rx,ry): the id ui_clicked gives */
static int
click(struct ui *ui, int px, int py, int rx, int ry, uint64_t now)
{
	struct ui_event ev = tap(UI_TAP_PRESS, px, py, now);

	ui_input(ui, &ev);
	ev = tap(UI_TAP_RELEASE, rx, ry, now + 80);
	ui_input(ui, &ev);
	return ui_clicked(ui, &ev);
}

static void
frame_two_buttons(struct ui *ui)
{
	ui_begin_frame(ui, 0);
	ui_button(ui, 1, (struct ui_rect){ 100, 100, 300, 100 }, "つぎへ",
	    UI_PRIMARY);
	ui_button(ui, 2, (struct ui_rect){ 500, 100, 300, 100 }, "もどる",
	    UI_SECONDARY);
	ui_end_frame(ui);
}

static void
test_a_button_acts_on_release_inside_only(void **state)
{
	struct fixture *f = *state;

	frame_two_buttons(f->ui);
	assert_int_equal(click(f->ui, 150, 150, 160, 160, 1000), 1);
	/* slid off before release: cancelled (R2.5) */
	assert_int_equal(click(f->ui, 150, 150, 450, 150, 3000), 0);
	/* pressed outside, released inside: nothing */
	assert_int_equal(click(f->ui, 50, 50, 150, 150, 5000), 0);
	/* the other button */
	assert_int_equal(click(f->ui, 600, 150, 600, 150, 7000), 2);
	assert_int_equal(ui_hit(f->ui, 600, 150), 2);
	assert_int_equal(ui_hit(f->ui, 450, 150), 0);
}

static void
test_the_tremor_guard_drops_a_second_tap_within_500_ms(void **state)
{
	struct fixture *f = *state;

	frame_two_buttons(f->ui);
	assert_int_equal(click(f->ui, 150, 150, 150, 150, 10000), 1);
	assert_int_equal(click(f->ui, 150, 150, 150, 150, 10200), 0);
	/* a different control is not guarded */
	assert_int_equal(click(f->ui, 600, 150, 600, 150, 10300), 2);
	assert_int_equal(click(f->ui, 150, 150, 150, 150, 10900), 1);
	/* a new screen: its controls are new */
	ui_input_reset(f->ui);
	assert_int_equal(click(f->ui, 150, 150, 150, 150, 11000), 1);
}

static void
test_pressed_state_follows_the_finger(void **state)
{
	struct fixture *f = *state;
	struct ui_event ev;

	frame_two_buttons(f->ui);
	ev = tap(UI_TAP_PRESS, 150, 150, 20000);
	assert_true(ui_input(f->ui, &ev));          /* redraw: pressed look */
	ev = tap(UI_TAP_MOVE, 160, 150, 20010);
	assert_false(ui_input(f->ui, &ev));         /* still inside */
	ev = tap(UI_TAP_MOVE, 450, 150, 20020);
	assert_true(ui_input(f->ui, &ev));          /* left: normal look */
	ev = tap(UI_TAP_RELEASE, 450, 150, 20030);
	ui_input(f->ui, &ev);
	assert_int_equal(ui_clicked(f->ui, &ev), 0);
}

static void
test_keypad_moves_focus_and_enter_activates(void **state)
{
	struct fixture *f = *state;
	struct ui_event ev = { .type = UI_KEY, .key = UI_KEY_TAB,
	    .now_ms = 30000 };

	frame_two_buttons(f->ui);
	assert_true(ui_input(f->ui, &ev));
	ev.key = UI_KEY_ENTER;
	ui_input(f->ui, &ev);
	assert_int_equal(ui_clicked(f->ui, &ev), 1);
	ev.key = UI_KEY_TAB;
	ev.now_ms = 31000;
	ui_input(f->ui, &ev);
	ev.key = UI_KEY_ENTER;
	ui_input(f->ui, &ev);
	assert_int_equal(ui_clicked(f->ui, &ev), 2);
	/* wraps around, and backwards */
	ev.key = UI_KEY_BACKTAB;
	ev.now_ms = 32000;
	ui_input(f->ui, &ev);
	ev.key = UI_KEY_ENTER;
	ui_input(f->ui, &ev);
	assert_int_equal(ui_clicked(f->ui, &ev), 1);
	/* a touch hides the focus: Enter alone then does nothing */
	struct ui_event t = tap(UI_TAP_PRESS, 5, 5, 33000);
	ui_input(f->ui, &t);
	t.phase = UI_TAP_RELEASE;
	ui_input(f->ui, &t);
	ev.now_ms = 34000;
	ui_input(f->ui, &ev);
	assert_int_equal(ui_clicked(f->ui, &ev), 0);
}

static void
test_a_dialog_blocks_what_was_drawn_before_it(void **state)
{
	struct fixture *f = *state;
	const char *buttons[] = { "つづける", "おわる" };
	const struct ui_widget *w;

	ui_begin_frame(f->ui, 0);
	ui_button(f->ui, 1, (struct ui_rect){ 0, 0, 300, 100 }, "うしろ",
	    UI_PRIMARY);
	ui_dialog(f->ui, UI_ICON_CLOCK, "まだ つかいますか?",
	    "あと 30 びょうで はじめに もどります。", 10, buttons, 2);
	ui_end_frame(f->ui);
	assert_int_equal(ui_hit(f->ui, 150, 50), 0);
	assert_null(ui_find(f->ui, "うしろ", true));
	assert_non_null(ui_find(f->ui, "うしろ", false));  /* still visible */
	w = ui_find(f->ui, "つづける", true);
	assert_non_null(w);
	assert_int_equal(w->id, 10);
	assert_true(w->rect.h >= ui_mm(f->ui, 20));
	w = ui_find(f->ui, "おわる", true);
	assert_int_equal(w->id, 11);
	assert_int_equal(click(f->ui, w->rect.x + 5, w->rect.y + 5,
	    w->rect.x + 5, w->rect.y + 5, 40000), 11);
	assert_int_equal(ui_audit(f->ui, NULL, 0), 0);
}

static void
test_keypad_and_choices_give_ids_and_pass_the_audit(void **state)
{
	struct fixture *f = *state;
	const char *labels[] = { "住民票の写し", "印鑑登録証明書",
	    "戸籍の附票", "課税証明書", "転入届", "転出届", "婚姻届" };
	char report[4096];
	size_t shown;
	struct qr q;
	struct kerr err;

	assert_int_equal(qr_encode("http://127.0.0.1:8080/t/abcdefgh", &q, &err),
	    K_OK);
	ui_begin_frame(f->ui, 0);
	ui_keypad(f->ui, 100, (struct ui_rect){ 100, 100, 600, 700 }, NULL,
	    NULL);
	shown = ui_choices(f->ui, 200, (struct ui_rect){ 800, 100, 1000, 500 },
	    labels, 7, 2);
	/* drawn in whole modules: 37 x 5 px = 185 px, over 40 mm */
	ui_qr(f->ui, (struct ui_rect){ 800, 700, 200, 200 }, &q);
	ui_end_frame(f->ui);
	qr_free(&q);
	assert_int_equal(shown, 4);        /* 95 px + 17 px gap in 500 px */
	assert_int_equal(ui_find(f->ui, "5", true)->id, 105);
	assert_int_equal(ui_find(f->ui, "0", true)->id, 100);
	assert_int_equal(ui_find(f->ui, "訂正", true)->id, 100 + UI_PAD_CLEAR);
	assert_int_equal(ui_find(f->ui, "OK", true)->id, 100 + UI_PAD_ENTER);
	assert_int_equal(ui_find(f->ui, "戸籍", true)->id, 202);
	assert_null(ui_find(f->ui, "転入届", false));   /* did not fit */
	if (ui_audit(f->ui, report, sizeof(report)) != 0)
		fail_msg("audit: %s", report);
}

struct audit_row {
	const char *what;
	void (*draw)(struct ui *ui);
	const char *want;
};

static void
small_target(struct ui *ui)
{
	ui_button(ui, 1, (struct ui_rect){ 0, 0, 200, 44 }, "OK", UI_PRIMARY);
}

static void
grey_text(struct ui *ui)
{
	struct ui_text_style st = { UI_TYPE_BODY, 0, UI_RGB(0x767676), NULL };

	ui_text(ui, (struct ui_rect){ 0, 0, 800, 100 }, "うすい もじ", &st);
}

static void
text_on_blue(struct ui *ui)
{
	ui_fill(ui, (struct ui_rect){ 0, 0, 800, 200 }, UI_COL_PRIMARY);
	ui_label(ui, (struct ui_rect){ 10, 10, 700, 100 }, "あおの うえ",
	    UI_TYPE_BODY);
}

static void
overflow(struct ui *ui)
{
	ui_label(ui, (struct ui_rect){ 0, 0, 300, 60 }, "この ぶんしょうは "
	    "ながすぎて はこに はいりません", UI_TYPE_BODY);
}

static void
tofu(struct ui *ui)
{
	ui_label(ui, (struct ui_rect){ 0, 0, 800, 100 }, "受付 \xee\x80\x80",
	    UI_TYPE_BODY);
}

static void
long_label(struct ui *ui)
{
	ui_button(ui, 1, (struct ui_rect){ 0, 0, 150, 95 },
	    "Certificate of Residence", UI_PRIMARY);
}

static void
lone_choice(struct ui *ui)
{
	const char *labels[] = { "もう一度読む" };

	ui_choices(ui, 300, (struct ui_rect){ 0, 0, 1000, 400 }, labels, 1, -1);
}

static void
small_qr(struct ui *ui)
{
	struct qr q;
	struct kerr err;

	if (qr_encode("http://127.0.0.1:8080/t/abcdefgh", &q, &err) != K_OK)
		fail_msg("qr_encode: %s", err.msg);
	ui_qr(ui, (struct ui_rect){ 0, 0, 100, 100 }, &q);
	qr_free(&q);
}

static void
test_the_audit_catches_each_rule(void **state)
{
	static const struct audit_row rows[] = {
		{ "44 px target", small_target, "under 61 px" },
		{ "#767676 text", grey_text, "contrast 4.54:1" },
		{ "dark text on blue", text_on_blue, "contrast" },
		{ "overflowing label", overflow, "does not fit" },
		{ "private-use glyph", tofu, "no font provides" },
		{ "button label too long", long_label, "does not fit" },
		{ "a choice list of one", lone_choice, "lone action is a button" },
		{ "a 100 px QR code", small_qr, "a phone may not read it" },
	};
	struct fixture *f = *state;
	char report[2048];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ui_begin_frame(f->ui, 0);
		rows[i].draw(f->ui);
		ui_end_frame(f->ui);
		if (ui_audit(f->ui, report, sizeof(report)) == 0 ||
		    strstr(report, rows[i].want) == NULL)
			fail_msg("%s: audit said '%s', want '%s'", rows[i].what,
			    report, rows[i].want);
	}
	/* white on the blue fill is fine; the bg comes from the fill */
	ui_begin_frame(f->ui, 0);
	ui_fill(f->ui, (struct ui_rect){ 0, 0, 800, 200 }, UI_COL_PRIMARY);
	struct ui_text_style st = { UI_TYPE_BODY, 0, UI_COL_ON_PRIMARY, NULL };
	ui_text(f->ui, (struct ui_rect){ 10, 10, 700, 100 }, "しろい もじ",
	    &st);
	ui_end_frame(f->ui);
	assert_int_equal(ui_audit(f->ui, report, sizeof(report)), 0);
	assert_int_equal(ui_widget_at(f->ui, 1)->bg.b, 0xC1);
}

static void
test_large_text_mode_scales_type_and_the_audit_follows(void **state)
{
	struct fixture *f = *state;
	struct ui_text_style st = { UI_TYPE_BODY, 0, UI_COL_TEXT, NULL };
	int h32, h40;

	ui_begin_frame(f->ui, 0);
	h32 = ui_text_height(f->ui, 1000, "もじ", &st);
	ui_set_large(f->ui, true);
	h40 = ui_text_height(f->ui, 1000, "もじ", &st);
	ui_label(f->ui, (struct ui_rect){ 0, 0, 1000, 200 }, "おおきい もじ",
	    UI_TYPE_BODY);
	ui_end_frame(f->ui);
	ui_set_large(f->ui, false);
	assert_int_equal(h32, 54);
	assert_int_equal(h40, 68);
	/* furigana >= 16 px, and >= 20 px in large-text mode (R3.3): the
	 * band above a line of 28 px text is the ruby em plus an eighth */
	struct ui_text_style sec = { UI_TYPE_SECONDARY, 0, UI_COL_TEXT, "ja-easy" };
	ui_set_large(f->ui, false);
	assert_int_equal(ui_text_height(f->ui, 1000, "{字|じ}", &sec) -
	    ui_text_height(f->ui, 1000, "字", &sec), 16 + 2);
	ui_set_large(f->ui, true);
	assert_int_equal(ui_text_height(f->ui, 1000, "{字|じ}", &sec) -
	    ui_text_height(f->ui, 1000, "字", &sec), 20 + 3);
	ui_set_large(f->ui, false);
	assert_int_equal(ui_widget_at(f->ui, 0)->font_px, 40);
}

static void
test_language_state_picks_fonts_and_unknown_codes_fall_back(void **state)
{
	struct fixture *f = *state;

	ui_set_lang(f->ui, "vi");
	assert_string_equal(ui_lang(f->ui), "vi");
	ui_begin_frame(f->ui, 0);
	ui_label(f->ui, (struct ui_rect){ 0, 0, 1000, 200 }, "Giấy chứng nhận "
	    "cư trú", UI_TYPE_BODY);
	ui_end_frame(f->ui);
	assert_string_equal(ui_widget_at(f->ui, 0)->lang, "vi");
	assert_int_equal(ui_widget_at(f->ui, 0)->missing_glyphs, 0);
	ui_set_lang(f->ui, "xx");
	assert_string_equal(ui_lang(f->ui), "ja");
}

static void
test_widget_text_has_ruby_markup_stripped_for_scripts(void **state)
{
	struct fixture *f = *state;

	ui_begin_frame(f->ui, 0);
	ui_button(f->ui, 7, (struct ui_rect){ 0, 0, 400, 120 },
	    "{住民票|じゅうみんひょう}", UI_PRIMARY);
	ui_end_frame(f->ui);
	assert_string_equal(ui_widget_at(f->ui, 0)->text, "住民票");
	assert_int_equal(ui_find(f->ui, "住民票", true)->id, 7);
	assert_false(ui_widget_at(f->ui, 0)->overflowed);
}

static void
draw_counter(struct ui *ui, const char *text)
{
	ui_button(ui, 1, (struct ui_rect){ 100, 100, 300, 100 }, "つぎへ",
	    UI_PRIMARY);
	ui_label(ui, (struct ui_rect){ 100, 300, 800, 60 }, text, UI_TYPE_BODY);
}

static void
test_a_dry_frame_tells_whether_anything_would_change(void **state)
{
	struct fixture *f = *state;
	struct ui_event ev;

	ui_begin_frame(f->ui, 0);
	draw_counter(f->ui, "まつ ひと 3 にん");
	ui_end_frame(f->ui);
	ui_begin_dry(f->ui, 1000);
	draw_counter(f->ui, "まつ ひと 3 にん");
	assert_true(ui_end_dry(f->ui));
	/* the widget list shown is untouched by the dry pass */
	assert_int_equal(ui_widget_count(f->ui), 2);
	ui_begin_dry(f->ui, 2000);
	draw_counter(f->ui, "まつ ひと 4 にん");
	assert_false(ui_end_dry(f->ui));
	/* the pressed look is a change too */
	ev = tap(UI_TAP_PRESS, 150, 150, 3000);
	ui_input(f->ui, &ev);
	ui_begin_dry(f->ui, 3000);
	draw_counter(f->ui, "まつ ひと 3 にん");
	assert_false(ui_end_dry(f->ui));
	ev = tap(UI_TAP_RELEASE, 150, 150, 3100);
	ui_input(f->ui, &ev);
	ui_begin_dry(f->ui, 3200);
	draw_counter(f->ui, "まつ ひと 3 にん");
	assert_true(ui_end_dry(f->ui));
	/* larger text changes every size */
	ui_set_large(f->ui, true);
	ui_begin_dry(f->ui, 4000);
	draw_counter(f->ui, "まつ ひと 3 にん");
	assert_false(ui_end_dry(f->ui));
	ui_set_large(f->ui, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_button_acts_on_release_inside_only),
		cmocka_unit_test(test_the_tremor_guard_drops_a_second_tap_within_500_ms),
		cmocka_unit_test(test_pressed_state_follows_the_finger),
		cmocka_unit_test(test_keypad_moves_focus_and_enter_activates),
		cmocka_unit_test(test_a_dialog_blocks_what_was_drawn_before_it),
		cmocka_unit_test(test_keypad_and_choices_give_ids_and_pass_the_audit),
		cmocka_unit_test(test_the_audit_catches_each_rule),
		cmocka_unit_test(test_large_text_mode_scales_type_and_the_audit_follows),
		cmocka_unit_test(test_language_state_picks_fonts_and_unknown_codes_fall_back),
		cmocka_unit_test(test_widget_text_has_ruby_markup_stripped_for_scripts),
		cmocka_unit_test(test_a_dry_frame_tells_whether_anything_would_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
