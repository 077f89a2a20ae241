/*
 * test_ui_screens.c - the app core driven by a script, headless on the SDL
 * offscreen driver: two test screens and a dialog (defined here, not the
 * placeholders in screens/), taps by position and by label, the pressed
 * look, keypad focus, timers on the fake clock, a worker job, a post from
 * another thread, idle, a resize; the screenshots are checked pixel by
 * pixel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pngio.h"
#include "qr.h"
#include "ui.h"
#include "xmalloc.h"

static const struct screen t_home, t_second, t_dialog;

static struct {
	int ticks, notified, idle, enters;
	char job[32];
	char typed[96];       /* keys and text as they came: "k5 tA E" */
} home;

/* What the keyboard brought, in order: a digit key kN, text tX, Enter E. */
static void
home_typed(const struct ui_event *ev)
{
	size_t n = strlen(home.typed);

	if (ev->type == UI_TEXT)
		snprintf(home.typed + n, sizeof(home.typed) - n, "t%s ", ev->text);
	else if (ev->type == UI_KEY && ev->key >= UI_KEY_0 &&
	    ev->key <= UI_KEY_9)
		snprintf(home.typed + n, sizeof(home.typed) - n, "k%d ",
		    ev->key - UI_KEY_0);
	else if (ev->type == UI_KEY && ev->key == UI_KEY_ENTER)
		snprintf(home.typed + n, sizeof(home.typed) - n, "E ");
}

enum { B_NEXT = 1, B_DIALOG, B_BACK, B_CLOSE = 10 };

static int
answer_job(struct ui_event *ev, void *arg)
{
	struct app *app = arg;

	ev->data = xstrdup("42");
	/* a worker thread may post, too (a card watcher does) */
	app_post(app, 5, NULL, NULL);
	return K_OK;
}

static void
home_enter(struct app *app, void *arg)
{
	(void)arg;
	memset(&home, 0, sizeof(home));
	home.enters++;
	app_timer_set(app, 1, 1000, true);
	app_spawn(app, answer_job, app);
}

static bool
home_event(struct app *app, struct ui_event *ev)
{
	home_typed(ev);
	switch (ev->type) {
	case UI_TEXT:
		return true;
	case UI_TICK:
		home.ticks++;
		return true;
	case UI_JOB_DONE:
		snprintf(home.job, sizeof(home.job), "%s",
		    ev->rc == K_OK ? (char *)ev->data : "failed");
		return true;
	case UI_NOTIFY:
		home.notified += ev->code == 5;
		return true;
	case UI_IDLE:
		home.idle++;
		return true;
	default:
		break;
	}
	switch (ui_clicked(app_ui(app), ev)) {
	case B_NEXT:
		app_push(app, &t_second, NULL);
		return true;
	case B_DIALOG:
		app_push(app, &t_dialog, NULL);
		return true;
	}
	return false;
}

static void
home_draw(struct app *app, struct ui *ui)
{
	char line[128];
	struct ui_text_style h1 = { UI_TYPE_H1, 0, UI_COL_TEXT, "ja" };

	(void)app;
	ui_text(ui, (struct ui_rect){ 100, 100, 1200, 80 }, "テスト画面", &h1);
	ui_button(ui, B_NEXT, (struct ui_rect){ 100, 300, 400, 120 }, "つぎへ",
	    UI_PRIMARY);
	ui_button(ui, B_DIALOG, (struct ui_rect){ 600, 300, 400, 120 },
	    "ダイアログ", UI_SECONDARY);
	snprintf(line, sizeof(line), "tick %d / job %s / notify %d / idle %d",
	    home.ticks, home.job, home.notified, home.idle);
	ui_label(ui, (struct ui_rect){ 100, 500, 1200, 60 }, line,
	    UI_TYPE_BODY);
	if (home.typed[0] != '\0') {
		snprintf(line, sizeof(line), "typed %s", home.typed);
		ui_label(ui, (struct ui_rect){ 100, 600, 1200, 60 }, line,
		    UI_TYPE_BODY);
	}
}

static const struct screen t_home = {
	.name = "t_home", .enter = home_enter, .event = home_event,
	.draw = home_draw,
};

static bool
second_event(struct app *app, struct ui_event *ev)
{
	if (ui_clicked(app_ui(app), ev) == B_BACK) {
		app_pop(app);
		return true;
	}
	return false;
}

static void
second_draw(struct app *app, struct ui *ui)
{
	static const struct {
		const char *lang, *text;
	} lines[] = {
		{ "ja-easy", "{住民票|じゅうみんひょう}を {取|と}ります" },
		{ "vi", "Giấy chứng nhận cư trú" },
		{ "zh", "住民票（居民证明）" },
		{ "ko", "주민표 발급" },
		{ "th", "ภาษาไทย" },
	};
	struct ui_rect r = { 100, 60, 1500, 800 };
	size_t i;

	(void)app;
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		struct ui_text_style st = { UI_TYPE_H2, 0, UI_COL_TEXT,
		    lines[i].lang };
		ui_text(ui, ui_cut_top(&r, 110, 10), lines[i].text, &st);
	}
	ui_button_ex(ui, B_BACK, (struct ui_rect){ 100, 900, 300, 120 },
	    UI_ICON_BACK, "もどる", NULL, UI_SECONDARY, 0);
}

static const struct screen t_second = {
	.name = "t_second", .event = second_event, .draw = second_draw,
};

static bool
dialog_event(struct app *app, struct ui_event *ev)
{
	if (ui_clicked(app_ui(app), ev) == B_CLOSE) {
		app_pop(app);
		return true;
	}
	return false;
}

static void
dialog_draw(struct app *app, struct ui *ui)
{
	const char *buttons[] = { "とじる" };

	(void)app;
	ui_dialog(ui, UI_ICON_INFO, "おしらせ", "これは テストの ダイアログです。",
	    B_CLOSE, buttons, 1);
}

static const struct screen t_dialog = {
	.name = "t_dialog", .event = dialog_event, .draw = dialog_draw,
	.overlay = true,
};

#define QR_URL "https://asahi.example.invalid/t/0123456789abcdef0123456789abcdef"

static struct qr qr_code;

static void
qr_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
	assert_int_equal(qr_encode(QR_URL, &qr_code, NULL), K_OK);
}

static void
qr_leave(struct app *app)
{
	(void)app;
	qr_free(&qr_code);
}

static void
qr_draw(struct app *app, struct ui *ui)
{
	(void)app;
	ui_label(ui, (struct ui_rect){ 100, 100, 800, 60 }, "QR", UI_TYPE_BODY);
	ui_qr(ui, (struct ui_rect){ 1200, 300, 400, 400 }, &qr_code);
}

static const struct screen t_qr = {
	.name = "t_qr", .enter = qr_enter, .draw = qr_draw, .leave = qr_leave,
};

/* Latin text with descenders ("queue") beside text without ("uuuu"), each
 * type in a box of its measured height, for the descender check. */
static const enum ui_type desc_types[] = {
	UI_TYPE_DISPLAY, UI_TYPE_H1, UI_TYPE_H2, UI_TYPE_BODY, UI_TYPE_MIN,
};
static struct ui_rect desc_box[ARRAY_SIZE(desc_types)][2];
static int desc_px[ARRAY_SIZE(desc_types)];

static void
desc_draw(struct app *app, struct ui *ui)
{
	static const char *const text[2] = { "queue gyp", "uuuu nnn" };
	int y = 40;
	size_t i, k;

	(void)app;
	for (i = 0; i < ARRAY_SIZE(desc_types); i++) {
		struct ui_text_style st = { desc_types[i], 0, UI_COL_TEXT, "en" };
		int h = ui_text_height(ui, 700, text[0], &st);

		desc_px[i] = ui_type_px(ui, desc_types[i]);
		for (k = 0; k < 2; k++) {
			desc_box[i][k] = (struct ui_rect){ 100 + 900 * (int)k, y,
			    700, h };
			ui_text(ui, desc_box[i][k], text[k], &st);
		}
		y += h + 60;
	}
}

static const struct screen t_desc = {
	.name = "t_desc", .draw = desc_draw,
};

/* ---- running a script ---- */

struct run {
	char dir[64], script[96], shots[96];
	int status;
	struct kerr err;
	int new_rc;
};

static void
run_script(struct run *r, const char *text)
{
	struct config *cfg = config_defaults();
	struct app_options o = { 0 };
	struct app *app;
	FILE *fp;

	snprintf(r->dir, sizeof(r->dir), "/tmp/test_ui_screens.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->script, sizeof(r->script), "%s/s.txt", r->dir);
	snprintf(r->shots, sizeof(r->shots), "%s/shots", r->dir);
	fp = fopen(r->script, "w");
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(config_set(cfg, "kiosk.idle_timeout_s", "30", NULL),
	    K_OK);
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	static const struct screen *const named[] = { &t_home, &t_second,
	    &t_dialog, &t_qr, &t_desc, NULL };
	o.script = r->script;
	o.screenshots = r->shots;
	o.screens = named;
	r->new_rc = app_new(&app, cfg, &o, &r->err);
	if (r->new_rc == K_OK) {
		r->status = app_run(app, &t_home, NULL);
		app_free(app);
	}
	config_free(cfg);
}

static uint8_t *
load(struct run *r, const char *name, int *w, int *h)
{
	char path[160];
	uint8_t *px;
	struct kerr err;

	snprintf(path, sizeof(path), "%s/%s.png", r->shots, name);
	if (png_read_rgba(path, &px, w, h, &err) != K_OK)
		fail_msg("%s: %s", path, err.msg);
	return px;
}

static uint32_t
pixel(const uint8_t *px, int w, int x, int y)
{
	const uint8_t *p = px + ((size_t)y * w + x) * 4;

	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static void
expect_pixel(const uint8_t *px, int w, int x, int y, uint32_t want,
    int tol, const char *what)
{
	uint32_t got = pixel(px, w, x, y);
	int i;

	for (i = 0; i < 3; i++) {
		int a = (int)(got >> (16 - 8 * i)) & 0xff;
		int b = (int)(want >> (16 - 8 * i)) & 0xff;
		if (abs(a - b) > tol)
			fail_msg("%s: pixel %d,%d is #%06X, want #%06X", what, x,
			    y, (unsigned)got, (unsigned)want);
	}
}

/* Dark pixels (text) in a rect. */
static int
ink(const uint8_t *px, int w, int x0, int y0, int rw, int rh)
{
	int x, y, n = 0;

	for (y = y0; y < y0 + rh; y++)
		for (x = x0; x < x0 + rw; x++)
			if ((pixel(px, w, x, y) & 0xff) < 0x80)
				n++;
	return n;
}

static void
cleanup(struct run *r)
{
	char cmd[128];

	/* UI_TEST_KEEP=1 keeps the screenshots to look at */
	if (getenv("UI_TEST_KEEP") != NULL) {
		fprintf(stderr, "screenshots kept in %s\n", r->shots);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", r->dir);
}

static const char journey[] =
    "expect \"テスト画面\"\n"
    "expect \"job 42\"\n"
    "expect \"notify 1\"\n"
    "audit\n"
    "shot home\n"
    "press 120 320\n"
    "shot pressed\n"
    "release 120 320\n"
    "expect_screen t_second\n"
    "audit\n"
    "shot second\n"
    "tap \"もどる\"\n"
    "expect_screen t_home\n"
    "wait 3000\n"
    "expect \"tick 3\"\n"
    "key tab\n"
    "shot focus\n"
    "key enter\n"
    "expect_screen t_second\n"
    "tap \"もどる\"\n"
    "tap \"ダイアログ\"\n"
    "expect_screen t_dialog\n"
    "expect \"テスト画面\"\n"
    "audit\n"
    "shot dialog\n"
    "tap \"とじる\"\n"
    "expect_screen t_home\n"
    "expect \"idle 0\"\n"
    "wait 30000\n"
    "expect \"idle 1\"\n"
    "size 1080 1920\n"
    "audit\n"
    "shot portrait\n";

/* A keyboard (a QR scanner is one) through SDL: each key press and its
 * text input; the text a key already brought is not delivered twice, the
 * rest comes as UI_TEXT, Enter as a key. */
static void
test_typed_text_comes_once_as_keys_or_text(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, "expect_screen t_home\n"
	    "type \"APPT:12\\n\"\n"
	    "expect \"typed tA tP tP tT t: k1 k2 E\"\n");
	assert_int_equal(r.new_rc, K_OK);
	assert_int_equal(r.status, 0);
	cleanup(&r);
}

static void
test_a_scripted_run_taps_waits_and_screenshots(void **state)
{
	struct run r;
	uint8_t *px;
	int w, h;

	(void)state;
	run_script(&r, journey);
	assert_int_equal(r.new_rc, K_OK);
	assert_int_equal(r.status, 0);

	/* the primary button is Digital Agency blue-900 ... */
	px = load(&r, "home", &w, &h);
	assert_int_equal(w, 1920);
	assert_int_equal(h, 1080);
	expect_pixel(px, w, 120, 320, 0x0017C1, 0, "primary button");
	expect_pixel(px, w, 700, 310, 0xFFFFFF, 0, "secondary button fill");
	expect_pixel(px, w, 601, 360, 0x0017C1, 0, "secondary 3 px border");
	expect_pixel(px, w, 50, 50, 0xFFFFFF, 0, "page");
	assert_true(ink(px, w, 100, 100, 600, 80) > 500);   /* the title */
	free(px);
	/* ... and blue-1200 while pressed (R5.2) */
	px = load(&r, "pressed", &w, &h);
	expect_pixel(px, w, 120, 320, 0x000060, 0, "pressed button");
	free(px);
	/* five languages, each line with ink */
	px = load(&r, "second", &w, &h);
	for (int i = 0; i < 5; i++)
		if (ink(px, w, 100, 60 + i * 120, 800, 110) < 300)
			fail_msg("line %d of the second screen is empty", i);
	free(px);
	/* the keypad focus ring: black outline, yellow ring outside */
	px = load(&r, "focus", &w, &h);
	expect_pixel(px, w, 96, 360, 0x000000, 0, "focus outline");
	expect_pixel(px, w, 92, 360, 0xFFD43D, 0, "focus ring");
	free(px);
	/* the dialog dims the page (60 % black scrim over white) */
	px = load(&r, "dialog", &w, &h);
	expect_pixel(px, w, 5, 5, 0x666666, 2, "scrim");
	expect_pixel(px, w, 960, 540, 0xFFFFFF, 0, "dialog panel");
	free(px);
	px = load(&r, "portrait", &w, &h);
	assert_int_equal(w, 1080);
	assert_int_equal(h, 1920);
	free(px);
	cleanup(&r);
}

static void
test_a_failing_expect_ends_the_run_with_status_1_and_a_picture(void **state)
{
	struct run r;
	char path[160];
	struct stat sb;

	(void)state;
	run_script(&r, "expect \"テスト画面\"\nexpect \"どこにもない\"\n"
	    "shot never\n");
	assert_int_equal(r.new_rc, K_OK);
	assert_int_equal(r.status, 1);
	snprintf(path, sizeof(path), "%s/FAILED-line-2.png", r.shots);
	assert_int_equal(stat(path, &sb), 0);
	snprintf(path, sizeof(path), "%s/never.png", r.shots);
	assert_int_not_equal(stat(path, &sb), 0);
	cleanup(&r);

	run_script(&r, "tap \"ないボタン\"\n");
	assert_int_equal(r.status, 1);
	cleanup(&r);
}

static void
test_scripts_jump_to_named_screens(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, "reset t_second\nexpect_screen t_second\n"
	    "push t_dialog\nexpect_screen t_dialog\nexpect \"Giấy\"\n"
	    "redraw\ntap \"とじる\"\nexpect_screen t_second\n");
	assert_int_equal(r.status, 0);
	cleanup(&r);
	run_script(&r, "push t_nowhere\n");
	assert_int_equal(r.status, 1);
	cleanup(&r);
}

static void
test_a_qr_code_on_screen_scans(void **state)
{
	struct run r;
	char cmd[256], out[256] = "";
	uint8_t *px;
	int w, h;
	FILE *fp;

	(void)state;
	run_script(&r, "push t_qr\nexpect_screen t_qr\naudit\nshot qr\n");
	assert_int_equal(r.status, 0);
	/* whole modules, a quiet zone of white, dark finder corners */
	px = load(&r, "qr", &w, &h);
	int n = qr_code.width + 2 * QR_QUIET_ZONE, m = 400 / n;
	int x0 = 1200 + (400 - m * n) / 2, y0 = 300 + (400 - m * n) / 2;
	expect_pixel(px, w, x0 + 1, y0 + 1, 0xFFFFFF, 0, "quiet zone");
	expect_pixel(px, w, x0 + QR_QUIET_ZONE * m, y0 + QR_QUIET_ZONE * m,
	    0x000000, 0, "finder pattern corner");
	free(px);
	/* and a phone would read it */
	snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw '%s/qr.png' 2>/dev/null",
	    r.shots);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	if (fgets(out, sizeof(out), fp) == NULL)
		out[0] = '\0';
	pclose(fp);
	out[strcspn(out, "\n")] = '\0';
	if (strcmp(out, QR_URL) != 0)
		fail_msg("zbarimg read '%s' (is zbar-tools installed?)", out);
	cleanup(&r);
}

/* The lowest row with ink in r (-1: none). */
static int
ink_bottom(const uint8_t *px, int w, struct ui_rect r)
{
	int y;

	for (y = r.y + r.h - 1; y >= r.y; y--)
		if (ink(px, w, r.x, y, r.w, 1) > 0)
			return y;
	return -1;
}

/*
 * Issue 11: "queue" on the English ticket looked clipped.  In every type
 * the descenders of q, g, y, p are drawn (their ink goes below that of
 * letters that sit on the baseline) and stay inside the box the text was
 * measured for, so nothing drawn under the box can cut them.
 */
static void
test_descenders_are_drawn_inside_the_measured_box(void **state)
{
	struct run r;
	uint8_t *px;
	int w, h;
	size_t i;

	(void)state;
	run_script(&r, "push t_desc\nshot desc\n");
	assert_int_equal(r.status, 0);
	px = load(&r, "desc", &w, &h);
	for (i = 0; i < ARRAY_SIZE(desc_types); i++) {
		struct ui_rect q = desc_box[i][0], u = desc_box[i][1];
		struct ui_rect below = { q.x, q.y + q.h, q.w, 40 };
		int qb = ink_bottom(px, w, q), ub = ink_bottom(px, w, u);
		int depth = desc_px[i] / 16 + 1;

		if (ub < 0 || qb - ub < depth)
			fail_msg("type %d: descenders end at row %d, the baseline "
			    "letters at %d: want at least %d px below", (int)i,
			    qb, ub, depth);
		if (ink(px, w, below.x, below.y, below.w, below.h) > 0)
			fail_msg("type %d: ink below the measured box (y %d)",
			    (int)i, below.y);
	}
	free(px);
	cleanup(&r);
}

static void
test_a_script_syntax_error_fails_before_sdl_starts(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, "expect \"ok\"\nwiat 100\n");
	assert_int_equal(r.new_rc, K_EPARSE);
	assert_non_null(strstr(r.err.msg, "s.txt:2: unknown command 'wiat'"));
	cleanup(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_scripted_run_taps_waits_and_screenshots),
		cmocka_unit_test(test_typed_text_comes_once_as_keys_or_text),
		cmocka_unit_test(test_a_failing_expect_ends_the_run_with_status_1_and_a_picture),
		cmocka_unit_test(test_scripts_jump_to_named_screens),
		cmocka_unit_test(test_a_qr_code_on_screen_scans),
		cmocka_unit_test(test_descenders_are_drawn_inside_the_measured_box),
		cmocka_unit_test(test_a_script_syntax_error_fails_before_sdl_starts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
