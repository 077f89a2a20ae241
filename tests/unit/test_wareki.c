/*
 * test_wareki.c - era boundaries, 元年, per-language dates and fees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kerr.h"
#include "wareki.h"

static void
test_wareki_era_boundaries_are_the_first_days(void **state)
{
	static const struct { int y, m, d; const char *era; int year; } rows[] = {
		{ 2019, 5, 1, "令和", 1 },
		{ 2019, 4, 30, "平成", 31 },
		{ 1989, 1, 8, "平成", 1 },
		{ 1989, 1, 7, "昭和", 64 },
		{ 1926, 12, 25, "昭和", 1 },
		{ 1926, 12, 24, "大正", 15 },
		{ 1912, 7, 30, "大正", 1 },
		{ 1912, 7, 29, "明治", 45 },
		{ 1980, 4, 1, "昭和", 55 },
		{ 2026, 11, 28, "令和", 8 },
	};
	struct wareki w;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_true(wareki_era(rows[i].y, rows[i].m, rows[i].d, &w));
		if (strcmp(w.era, rows[i].era) != 0 || w.year != rows[i].year)
			fail_msg("%d-%d-%d: %s%d, want %s%d", rows[i].y, rows[i].m,
			    rows[i].d, w.era, w.year, rows[i].era, rows[i].year);
	}
}

static void
test_wareki_rejects_impossible_dates(void **state)
{
	static const char *const bad[] = { "1980-02-30", "2023-02-29", "1980-13-01",
	    "1980-00-10", "1980-4-1", "19800401", "", "abcd-ef-gh", "1867-12-31",
	    "1900-02-29" };
	int y, m, d;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (wareki_parse_iso(bad[i], &y, &m, &d))
			fail_msg("\"%s\" accepted", bad[i]);
	assert_true(wareki_parse_iso("2024-02-29", &y, &m, &d));
	assert_true(wareki_parse_iso("2000-02-29", &y, &m, &d));
}

static void
test_wareki_dates_read_the_local_way_in_each_language(void **state)
{
	static const struct { const char *iso, *lang, *want; } rows[] = {
		{ "1980-04-01", "ja", "1980年(昭和55年)4月1日" },
		{ "2019-05-01", "ja", "2019年(令和元年)5月1日" },
		{ "1989-01-07", "ja", "1989年(昭和64年)1月7日" },
		{ "1980-04-01", "ja-easy", "1980{年|ねん}({昭和|しょうわ} 55{年|ねん}) 4{月|がつ} 1{日|にち}" },
		{ "1980-04-01", "en", "1 April 1980 (Shōwa 55)" },
		{ "1980-04-01", "zh", "1980年(昭和55年)4月1日" },
		{ "1980-04-01", "ko", "1980년(쇼와 55년) 4월 1일" },
		{ "1980-04-01", "vi", "ngày 1 tháng 4 năm 1980 (Shōwa 55)" },
		{ "1980-04-01", "tl", "Abril 1, 1980 (Shōwa 55)" },
		{ "1980-04-01", "pt", "1 de abril de 1980 (Shōwa 55)" },
		{ "1999-12-31", "en", "31 December 1999 (Heisei 11)" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_true(wareki_format_iso(buf, sizeof buf, rows[i].iso,
		    rows[i].lang, true) > 0);
		assert_string_equal(buf, rows[i].want);
	}
	wareki_format_iso(buf, sizeof buf, "2026-11-28", "ja", false);
	assert_string_equal(buf, "2026年11月28日");
	assert_int_equal(wareki_format_iso(buf, sizeof buf, "1980-02-30", "ja",
	    true), 0);
	assert_string_equal(buf, "");
}

static void
test_wareki_fees_read_the_local_way_in_each_language(void **state)
{
	static const struct { int yen; const char *lang, *want; } rows[] = {
		{ 300, "ja", "300円" }, { 1200, "ja", "1,200円" },
		{ 300, "ja-easy", "300{円|えん}" }, { 1350, "en", "¥1,350" },
		{ 900, "zh", "900日元" }, { 900, "ko", "900엔" },
		{ 1200, "vi", "1.200 yên" }, { 450, "tl", "¥450" },
		{ 1200, "pt", "¥ 1.200" }, { 0, "ja", "無料" }, { 0, "en", "free" },
		{ 1234567, "ja", "1,234,567円" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		wareki_format_yen(buf, sizeof buf, rows[i].yen, rows[i].lang);
		assert_string_equal(buf, rows[i].want);
	}
}

static void
test_wareki_output_is_truncated_not_overrun(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	wareki_format_iso(buf, sizeof buf, "1980-04-01", "pt", true);
	assert_int_equal(strlen(buf), 7);
}

/* wareki_valid is the program's one calendar check (card, API, store):
 * the Gregorian leap rule over the whole range, with no era bound. */
static void
test_wareki_valid_is_the_gregorian_calendar(void **state)
{
	struct wareki w;

	(void)state;
	assert_true(wareki_valid(2024, 2, 29));
	assert_true(wareki_valid(2000, 2, 29));
	assert_false(wareki_valid(1900, 2, 29));
	assert_false(wareki_valid(2023, 2, 29));
	assert_true(wareki_valid(1852, 2, 29));     /* before 明治: a date */
	assert_false(wareki_valid(1850, 4, 31));
	assert_false(wareki_valid(2026, 13, 1));
	assert_false(wareki_valid(2026, 0, 1));
	assert_false(wareki_valid(2026, 1, 0));
	assert_false(wareki_valid(0, 1, 1));
	assert_false(wareki_valid(10000, 1, 1));
	/* but no era before 明治 */
	assert_false(wareki_era(1852, 2, 29, &w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wareki_era_boundaries_are_the_first_days),
		cmocka_unit_test(test_wareki_rejects_impossible_dates),
		cmocka_unit_test(test_wareki_valid_is_the_gregorian_calendar),
		cmocka_unit_test(test_wareki_dates_read_the_local_way_in_each_language),
		cmocka_unit_test(test_wareki_fees_read_the_local_way_in_each_language),
		cmocka_unit_test(test_wareki_output_is_truncated_not_overrun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
