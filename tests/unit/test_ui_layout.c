/*
 * test_ui_layout.c - millimetres to pixels, rect cutting, the common frame
 * at 1920x1080, 1080x1920 and 1280x800, contrast and the type scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "ui.h"
#include "ui_core.h"

int ui_type_px_for(enum ui_type t, bool large);
int ui_type_line_for(enum ui_type t, bool large);

static void
test_mm_to_px_rounds_up_and_never_by_float_noise(void **state)
{
	static const struct {
		double ppm, mm;
		int px;
	} rows[] = {
		{ 4.034, 15, 61 },    /* R2.1: every target */
		{ 4.034, 20, 81 },    /* R2.2: primary */
		{ 4.034, 3, 13 },     /* R2.3: gap */
		{ 4.034, 4.8, 20 },   /* ADA 4.8 mm characters */
		{ 4.034, 23.5, 95 },
		{ 3.644, 15, 55 },    /* 23.8" panel */
		{ 4.0, 15, 60 },      /* exact product stays exact */
		{ 5.0, 0, 0 },
		{ 5.87, 15, 89 },     /* 10.1" 1280x800 tablet panel */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int px = ui_mm_px(rows[i].ppm, rows[i].mm);
		if (px != rows[i].px)
			fail_msg("row %zu: %.3f mm at %.3f px/mm gave %d, want %d",
			    i, rows[i].mm, rows[i].ppm, px, rows[i].px);
	}
}

static void
test_cut_takes_strips_and_clamps_to_what_is_left(void **state)
{
	struct ui_rect r = { 10, 20, 300, 200 }, s;

	(void)state;
	s = ui_cut_top(&r, 50, 10);
	assert_int_equal(s.y, 20);
	assert_int_equal(s.h, 50);
	assert_int_equal(r.y, 80);
	assert_int_equal(r.h, 140);
	s = ui_cut_bottom(&r, 40, 10);
	assert_int_equal(s.y, 180);
	assert_int_equal(r.h, 90);
	s = ui_cut_left(&r, 100, 5);
	assert_int_equal(s.x, 10);
	assert_int_equal(r.x, 115);
	assert_int_equal(r.w, 195);
	s = ui_cut_right(&r, 95, 0);
	assert_int_equal(s.x, 215);
	assert_int_equal(r.w, 100);
	/* asking for more than there is */
	s = ui_cut_top(&r, 1000, 10);
	assert_int_equal(s.h, 90);
	assert_int_equal(r.h, 0);
	s = ui_cut_top(&r, 10, 10);
	assert_int_equal(s.h, 0);
	assert_int_equal(r.h, 0);
}

static void
test_columns_and_rows_tile_the_rect_exactly(void **state)
{
	struct ui_rect r = { 7, 3, 1001, 400 };
	int n, i;

	(void)state;
	for (n = 1; n <= 7; n++) {
		int x = r.x;
		for (i = 0; i < n; i++) {
			struct ui_rect c = ui_column(r, n, i, 16);
			assert_int_equal(c.x, x);
			assert_int_equal(c.y, r.y);
			assert_true(c.w >= (r.w - 16 * (n - 1)) / n);
			x = c.x + c.w + 16;
		}
		assert_int_equal(x - 16, r.x + r.w);
		struct ui_rect last = ui_row(r, n, n - 1, 12);
		assert_int_equal(last.y + last.h, r.y + r.h);
	}
	struct ui_rect c = ui_center((struct ui_rect){ 0, 0, 100, 50 }, 40, 80);
	assert_int_equal(c.x, 30);
	assert_int_equal(c.h, 50);
	assert_true(ui_rect_contains((struct ui_rect){ 0, 0, 10, 10 }, 9, 9));
	assert_false(ui_rect_contains((struct ui_rect){ 0, 0, 10, 10 }, 10, 5));
}

static bool
overlap(struct ui_rect a, struct ui_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	    b.y < a.y + a.h;
}

static bool
inside(struct ui_rect in, struct ui_rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	    in.y + in.h <= out.y + out.h;
}

/* Every target >= 15 mm, primary row >= 20 mm, gaps >= 3 mm, nothing
 * overlaps, all inside the screen, content left over. */
static void
check_frame(int w, int h, double ppm)
{
	struct ui_frame f;
	struct ui_rect scr = { 0, 0, w, h };
	struct ui_rect t[6];
	int i, j, target = ui_mm_px(ppm, 15), primary = ui_mm_px(ppm, 20);
	int gap = ui_mm_px(ppm, 3);

	ui_frame_layout(&f, scr, ppm);
	t[0] = f.lang; t[1] = f.large; t[2] = f.help;
	t[3] = f.back; t[4] = f.end; t[5] = f.next;
	for (i = 0; i < 6; i++) {
		if (t[i].w < target || t[i].h < target)
			fail_msg("%dx%d: target %d is %dx%d, under %d px", w, h,
			    i, t[i].w, t[i].h, target);
		if (!inside(t[i], scr))
			fail_msg("%dx%d: target %d outside the screen", w, h, i);
		for (j = 0; j < i; j++) {
			struct ui_rect g = { t[i].x - gap + 1, t[i].y - gap + 1,
			    t[i].w + 2 * gap - 2, t[i].h + 2 * gap - 2 };
			if (overlap(g, t[j]))
				fail_msg("%dx%d: targets %d and %d closer than "
				    "%d px", w, h, i, j, gap);
		}
	}
	for (i = 3; i < 6; i++)
		if (t[i].h < primary)
			fail_msg("%dx%d: footer button %d is %d px high, under %d",
			    w, h, i, t[i].h, primary);
	assert_true(f.content.h > 0 && f.content.w > 0);
	assert_false(overlap(f.content, f.header));
	assert_false(overlap(f.content, f.footer));
	assert_false(overlap(f.title, f.lang));
	assert_true(f.title.w > 0);
	assert_true(inside(f.content, scr));
}

static void
test_frame_keeps_the_rules_at_three_screen_sizes(void **state)
{
	(void)state;
	check_frame(1920, 1080, 4.034);
	check_frame(1080, 1920, 4.034);
	check_frame(1280, 800, 4.034);
	check_frame(1280, 800, 5.87);   /* the same size, a denser panel */
	check_frame(1920, 1080, 3.644);
}

static void
test_frame_arithmetic_at_1920x1080(void **state)
{
	struct ui_frame f;

	(void)state;
	ui_frame_layout(&f, (struct ui_rect){ 0, 0, 1920, 1080 }, 4.034);
	/* margin 10 mm = 41 px, rows 23.5 mm = 95 px, gap 4 mm = 17 px */
	assert_int_equal(f.header.x, 41);
	assert_int_equal(f.header.y, 41);
	assert_int_equal(f.header.h, 95);
	assert_int_equal(f.header.w, 1920 - 82);
	assert_int_equal(f.help.x + f.help.w, 1920 - 41);
	assert_int_equal(f.footer.y, 1080 - 41 - 95);
	assert_int_equal(f.content.y, 41 + 95 + 17);
	assert_int_equal(f.content.h, 1080 - 41 - 95 - 17 - (41 + 95 + 17));
	assert_int_equal(f.title.y, f.header.y);   /* one header row */
	assert_int_equal(f.next.x + f.next.w, 1920 - 41);
	assert_int_equal(f.back.x, 41);
}

static void
test_portrait_and_small_screens_put_the_title_on_its_own_row(void **state)
{
	struct ui_frame f;

	(void)state;
	ui_frame_layout(&f, (struct ui_rect){ 0, 0, 1080, 1920 }, 4.034);
	assert_true(f.title.y > f.lang.y + f.lang.h);
	assert_int_equal(f.title.w, f.header.w);
	ui_frame_layout(&f, (struct ui_rect){ 0, 0, 1280, 800 }, 4.034);
	assert_true(f.title.y > f.lang.y);
	assert_int_equal(f.content.y + f.content.h + 17, f.footer.y);
}

static void
test_contrast_matches_the_spec_table(void **state)
{
	static const struct {
		uint32_t fg, bg;
		double ratio;
	} rows[] = {
		{ 0x1A1A1A, 0xFFFFFF, 17.40 }, { 0x333333, 0xFFFFFF, 12.63 },
		{ 0x4D4D4D, 0xFFFFFF, 8.45 }, { 0xFFFFFF, 0x0017C1, 11.10 },
		{ 0xFFFFFF, 0x000060, 17.97 }, { 0x0017C1, 0xE8F1FE, 9.75 },
		{ 0x1A1A1A, 0xD9E6FF, 13.85 }, { 0xA90000, 0xFFFFFF, 7.82 },
		{ 0x115A36, 0xFFFFFF, 8.27 }, { 0x6E5600, 0xFFFFFF, 7.01 },
		{ 0xFFD43D, 0x0017C1, 7.79 }, { 0xEC0000, 0xFFFFFF, 4.60 },
		{ 0x767676, 0xFFFFFF, 4.54 }, { 0x000000, 0xFFFFFF, 21.00 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		double c = ui_contrast(UI_RGB(rows[i].fg), UI_RGB(rows[i].bg));
		if (fabs(c - rows[i].ratio) > 0.01)
			fail_msg("#%06X on #%06X: %.3f, spec says %.2f",
			    (unsigned)rows[i].fg, (unsigned)rows[i].bg, c,
			    rows[i].ratio);
		/* symmetric */
		assert_true(fabs(c - ui_contrast(UI_RGB(rows[i].bg),
		    UI_RGB(rows[i].fg))) < 1e-9);
	}
}

static void
test_theme_pairs_used_by_widgets_reach_seven_to_one(void **state)
{
	const struct { struct ui_color fg, bg; } pairs[] = {
		{ UI_COL_TEXT, UI_COL_BG }, { UI_COL_TEXT2, UI_COL_BG },
		{ UI_COL_ON_PRIMARY, UI_COL_PRIMARY },
		{ UI_COL_ON_PRIMARY, UI_COL_PRIMARY_DOWN },
		{ UI_COL_PRIMARY, UI_COL_BG }, { UI_COL_PRIMARY, UI_COL_SELECTED },
		{ UI_COL_TEXT, UI_COL_PANEL }, { UI_COL_TEXT, UI_COL_SELECTED },
		{ UI_COL_TEXT, UI_COL_PANEL_BLUE }, { UI_COL_ERROR, UI_COL_BG },
		{ UI_COL_ON_PRIMARY, UI_COL_ERROR }, { UI_COL_TEXT, UI_COL_ERROR_BG },
		{ UI_COL_TEXT, UI_COL_SUCCESS_BG }, { UI_COL_TEXT, UI_COL_WARNING_BG },
		{ UI_COL_SUCCESS, UI_COL_BG }, { UI_COL_WARNING, UI_COL_BG },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pairs); i++)
		if (ui_contrast(pairs[i].fg, pairs[i].bg) < 7.0)
			fail_msg("pair %zu is %.2f:1", i,
			    ui_contrast(pairs[i].fg, pairs[i].bg));
	/* borders and focus ring: >= 3:1 against white (R4.2) */
	assert_true(ui_contrast(UI_COL_BORDER, UI_COL_BG) >= 3.0);
	assert_true(ui_contrast(UI_COL_FOCUS_OUTLINE, UI_COL_BG) >= 3.0);
	assert_true(ui_contrast(UI_COL_FOCUS, UI_COL_PRIMARY) >= 3.0);
}

static void
test_type_scale_and_large_text_mode(void **state)
{
	(void)state;
	assert_int_equal(ui_type_px_for(UI_TYPE_BODY, false), 32);
	assert_int_equal(ui_type_line_for(UI_TYPE_BODY, false), 54);  /* R3.4 */
	assert_int_equal(ui_type_px_for(UI_TYPE_MIN, false), 26);
	assert_int_equal(ui_type_px_for(UI_TYPE_H1, false), 48);
	assert_int_equal(ui_type_px_for(UI_TYPE_DISPLAY, false), 64);
	assert_int_equal(ui_type_px_for(UI_TYPE_BODY, true), 40);   /* R3.2 */
	assert_int_equal(ui_type_px_for(UI_TYPE_H1, true), 60);
	assert_int_equal(ui_type_line_for(UI_TYPE_BODY, true), 68);
	assert_true(ui_type_bold(UI_TYPE_BUTTON));
	assert_false(ui_type_bold(UI_TYPE_BODY));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mm_to_px_rounds_up_and_never_by_float_noise),
		cmocka_unit_test(test_cut_takes_strips_and_clamps_to_what_is_left),
		cmocka_unit_test(test_columns_and_rows_tile_the_rect_exactly),
		cmocka_unit_test(test_frame_keeps_the_rules_at_three_screen_sizes),
		cmocka_unit_test(test_frame_arithmetic_at_1920x1080),
		cmocka_unit_test(test_portrait_and_small_screens_put_the_title_on_its_own_row),
		cmocka_unit_test(test_contrast_matches_the_spec_table),
		cmocka_unit_test(test_theme_pairs_used_by_widgets_reach_seven_to_one),
		cmocka_unit_test(test_type_scale_and_large_text_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
