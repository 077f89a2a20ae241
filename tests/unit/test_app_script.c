/*
 * test_app_script.c - the UI test script parser: every command, and every
 * error naming file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app_script.h"
#include "screen.h"

static void
test_a_script_parses_into_commands_with_lines(void **state)
{
	struct script s;
	struct kerr err;
	const char *text =
	    "# comment\n"
	    "tap 10 20\n"
	    "tap \"住民票 の \\\"写し\\\"\"   # trailing comment\n"
	    "\n"
	    "wait 120000\n"
	    "key enter\n"
	    "expect \"ようこそ\"\n"
	    "expect_not \"エラー\"\n"
	    "expect_screen menu\n"
	    "audit\r\n"
	    "shot idle-1\n"
	    "size 1080 1920\n"
	    "lang vi\n"
	    "large on\n"
	    "notify 7\n"
	    "clock 2026-04-01T09:30\n"
	    "press 1 2\n"
	    "release 3 4\n"
	    "quit\n"
	    "push menu\n"
	    "reset idle\n"
	    "redraw";

	(void)state;
	assert_int_equal(script_parse(&s, "t.txt", text, &err), K_OK);
	assert_int_equal(s.n, 20);
	assert_int_equal(s.v[0].op, SC_TAP_XY);
	assert_int_equal(s.v[0].line, 2);
	assert_int_equal(s.v[0].a, 10);
	assert_int_equal(s.v[0].b, 20);
	assert_int_equal(s.v[1].op, SC_TAP_LABEL);
	assert_string_equal(s.v[1].str, "住民票 の \"写し\"");
	assert_int_equal(s.v[2].op, SC_WAIT);
	assert_int_equal(s.v[2].line, 5);
	assert_int_equal(s.v[2].ms, 120000);
	assert_int_equal(s.v[3].a, UI_KEY_ENTER);
	assert_int_equal(s.v[7].op, SC_AUDIT);
	assert_string_equal(s.v[8].str, "idle-1");
	assert_int_equal(s.v[9].a, 1080);
	assert_int_equal(s.v[11].a, 1);
	assert_int_equal(s.v[12].a, 7);
	/* 09:30 in Japan is 00:30 UTC */
	assert_int_equal(s.v[13].ms, 1775003400000LL);
	assert_int_equal(s.v[16].op, SC_QUIT);
	assert_int_equal(s.v[16].line, 19);
	assert_int_equal(s.v[17].op, SC_PUSH);
	assert_string_equal(s.v[17].str, "menu");
	assert_int_equal(s.v[18].op, SC_RESET);
	assert_int_equal(s.v[19].op, SC_REDRAW);
	script_free(&s);
}

static void
test_script_errors_name_the_file_and_line(void **state)
{
	static const struct {
		const char *text, *want;
	} rows[] = {
		{ "tapp 1 2\n", "x.txt:1: unknown command 'tapp'" },
		{ "\n\ntap 1\n", "x.txt:3: tap needs X Y" },
		{ "tap 1 2 3\n", "x.txt:1: tap needs" },
		{ "tap -5 2\n", "x.txt:1: '-5' is not a number" },
		{ "wait soon\n", "'soon' is not a number" },
		{ "wait\n", "wait takes 1 argument, got 0" },
		{ "key any\n", "unknown key 'any'" },
		{ "expect \"open\n", "unterminated string" },
		{ "expect \"\"\n", "empty text" },
		{ "shot ../x\n", "plain file name" },
		{ "size 10 10\n", "'10' is not a number in 320..7680" },
		{ "large maybe\n", "on or off" },
		{ "clock tomorrow\n", "YYYY-MM-DDTHH:MM" },
		{ "clock 2026-13-01T00:00\n", "is not YYYY" },
		{ "audit now\n", "audit takes 0 arguments" },
		{ "a b c d e\n", "too many arguments" },
		{ "push\n", "push takes 1 argument" },
		{ "redraw now\n", "redraw takes 0 arguments" },
		{ "type APPT\n", "type needs \"text\"" },
		{ "type \"\"\n", "type needs \"text\"" },
		{ "type \"予約\"\n", "printable ASCII" },
	};
	struct script s;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		if (script_parse(&s, "x.txt", rows[i].text, &err) != K_EPARSE)
			fail_msg("row %zu parsed", i);
		if (strstr(err.msg, rows[i].want) == NULL)
			fail_msg("row %zu: '%s' lacks '%s'", i, err.msg,
			    rows[i].want);
		assert_int_equal(s.n, 0);
	}
	assert_int_equal(script_load(&s, "/nonexistent/s.txt", &err),
	    K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/s.txt"));
}

static void
test_type_takes_a_scanners_text_with_enter(void **state)
{
	struct script s;
	struct kerr err;

	(void)state;
	assert_int_equal(script_parse(&s, "t.txt", "type \"APPT:12345678\\n\"\n",
	    &err), K_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].op, SC_TYPE);
	assert_string_equal(s.v[0].str, "APPT:12345678\n");
	script_free(&s);
}

static void
test_key_names_round_trip(void **state)
{
	int k;

	(void)state;
	for (k = 1; k < UI_KEY_COUNT; k++)
		assert_int_equal(ui_key_from_name(ui_key_name((enum ui_key)k)),
		    k);
	assert_int_equal(ui_key_from_name("nope"), UI_KEY_NONE);
	assert_string_equal(ui_key_name(UI_KEY_NONE), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_script_parses_into_commands_with_lines),
		cmocka_unit_test(test_script_errors_name_the_file_and_line),
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_type_takes_a_scanners_text_with_enter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
