/*
 * test_text.c - the text core shared by the screen and the ticket
 * (kiosk/text/): UTF-8 validation and decoding, ruby markup, runs with a
 * table of fake fonts, break opportunities and kinsoku, and the same
 * kinsoku seen through both media (the screen's SDL_ttf engine and the
 * ticket's FreeType one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontchain.h"
#include "linebreak.h"
#include "ruby.h"
#include "ticket.h"
#include "ui_core.h"
#include "utf8.h"

/* ---- ruby ---- */

static void
test_ruby_parse_splits_plain_text_and_groups(void **state)
{
	struct ruby_seg s[8];
	size_t n;
	struct kerr err;

	(void)state;
	assert_int_equal(ruby_parse("{漢字|かんじ}", s, 8, &n, &err), K_OK);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].base_len, strlen("漢字"));
	assert_memory_equal(s[0].ruby, "かんじ", strlen("かんじ"));

	assert_int_equal(ruby_parse("a{住所|じゅうしょ}を 書く", s, 8, &n,
	    &err), K_OK);
	assert_int_equal(n, 3);
	assert_null(s[0].ruby);
	assert_int_equal(s[0].base_len, 1);
	assert_non_null(s[1].ruby);
	assert_null(s[2].ruby);
	assert_memory_equal(s[2].base, "を 書く", strlen("を 書く"));

	assert_int_equal(ruby_parse("", s, 8, &n, &err), K_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ruby_parse("plain", s, 8, &n, &err), K_OK);
	assert_int_equal(n, 1);
}

static void
test_ruby_parse_rejects_malformed_markup_naming_the_offset(void **state)
{
	static const struct {
		const char *in, *why;
	} rows[] = {
		{ "{漢字", "never closed" },
		{ "漢字}", "stray '}'" },
		{ "{漢字}", "no '|'" },
		{ "{|かんじ}", "empty base" },
		{ "{漢字|}", "empty reading" },
		{ "{a{b|c}|d}", "inside ruby" },
		{ "{a|b|c}", "second '|'" },
		{ "ok {a|b} then {c", "byte 14" },
		{ "{", "never closed" },
		{ "}", "stray" },
	};
	struct ruby_seg s[8];
	struct kerr err;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int rc = ruby_parse(rows[i].in, s, 8, &n, &err);
		if (rc != K_EPARSE)
			fail_msg("row %zu \"%s\": rc %d, want K_EPARSE", i,
			    rows[i].in, rc);
		if (strstr(err.msg, rows[i].why) == NULL)
			fail_msg("row %zu: message '%s' lacks '%s'", i, err.msg,
			    rows[i].why);
	}
}

static void
test_ruby_strip_keeps_bases_and_shows_bad_markup_literally(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "{窓口|まどぐち}に いって ください", "窓口に いって ください" },
		{ "{{literal}}", "{literal}" },
		{ "a{{b", "a{b" },
		{ "{壊れ", "{壊れ" },           /* malformed: as it is */
		{ "x}y", "x}y" },
		{ "", "" },
	};
	char out[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ruby_strip(out, sizeof(out), rows[i].in);
		assert_string_equal(out, rows[i].out);
	}
	/* truncation stays in bounds */
	assert_int_equal(ruby_strip(out, 4, "abcdef"), 3);
	assert_string_equal(out, "abc");
}

static void
test_ruby_parse_reports_too_many_segments(void **state)
{
	struct ruby_seg s[2];
	struct kerr err;
	size_t n;

	(void)state;
	assert_int_equal(ruby_parse("a{b|c}d{e|f}", s, 2, &n, &err), K_EINVAL);
}

/* ---- runs with fake fonts ---- */

/* family 0: ASCII + kana/kanji; 1: ASCII + Hangul; 2: Thai only;
 * 3: ASCII + combining acute only */
static bool
fake_provides(int family, uint32_t cp, void *arg)
{
	(void)arg;
	switch (family) {
	case 0:
		return cp < 0x80 || (cp >= 0x3000 && cp <= 0x9fff);
	case 1:
		return cp < 0x80 || (cp >= 0xac00 && cp <= 0xd7a3);
	case 2:
		return cp >= 0x0e00 && cp <= 0x0e7f;
	case 3:
		return cp < 0x80 || cp == 0x301;
	}
	return false;
}

struct run_row {
	const char *text;
	int primary;
	int nruns;
	const char *runs;   /* "family:script:text|..." */
	int missing;
};

static void
test_runs_split_by_family_then_script(void **state)
{
	static const struct run_row rows[] = {
		{ "abc", 0, 1, "0:Latn:abc", 0 },
		{ "日本", 0, 1, "0:Hani:日本", 0 },
		{ "abcあ", 0, 2, "0:Latn:abc|0:Hani:あ", 0 },
		/* Hangul falls back to family 1, and the space stays with it */
		{ "あ한 국", 0, 2, "0:Hani:あ|1:Hang:한 국", 0 },
		/* Korean primary: Latin stays in family 1 */
		{ "한a", 1, 2, "1:Hang:한|1:Latn:a", 0 },
		/* digits join the run around them */
		{ "あ12い", 0, 1, "0:Hani:あ12い", 0 },
		{ "12", 0, 1, "0:Latn:12", 0 },
		/* Thai in a Latin string */
		{ "a ไทย", 0, 2, "0:Latn:a |2:Thai:ไทย", 0 },
		/* a combining mark stays with its base's family when it can */
		{ "e\xcc\x81", 3, 1, "3:Latn:e\xcc\x81", 0 },
		/* nobody has U+E000: counted, drawn by the current family */
		{ "a\xee\x80\x80" "b", 0, 1, "0:Latn:a\xee\x80\x80" "b", 1 },
		{ "\xee\x80\x80", 0, 1, "0:Latn:\xee\x80\x80", 1 },
		/* invalid UTF-8 becomes U+FFFD (missing), never a crash */
		{ "a\xff" "b", 0, 1, "0:Latn:a\xff" "b", 1 },
	};
	struct text_run runs[8];
	size_t i, n, k;
	int missing;
	uint32_t first;
	char got[256];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct run_row *r = &rows[i];
		n = text_split_runs(r->text, strlen(r->text), r->primary, 4,
		    fake_provides, NULL, runs, 8, &missing, &first);
		got[0] = '\0';
		for (k = 0; k < n; k++) {
			size_t l = strlen(got);
			snprintf(got + l, sizeof(got) - l, "%s%d:%s:%.*s",
			    k ? "|" : "", runs[k].family, runs[k].script,
			    (int)runs[k].len, r->text + runs[k].start);
		}
		if ((int)n != r->nruns || strcmp(got, r->runs) != 0 ||
		    missing != r->missing)
			fail_msg("row %zu \"%s\": got %zu runs \"%s\" missing %d; "
			    "want %d \"%s\" missing %d", i, r->text, n, got,
			    missing, r->nruns, r->runs, r->missing);
	}
}

static void
test_runs_never_overflow_the_table(void **state)
{
	struct text_run runs[3];
	const char *s = "aあbいcうdえ";
	size_t n;

	(void)state;
	n = text_split_runs(s, strlen(s), 0, 4, fake_provides, NULL, runs, 3,
	    NULL, NULL);
	assert_int_equal(n, 3);
	assert_int_equal(runs[2].start + runs[2].len, strlen(s));
}

static void
test_utf8_decoder_rejects_overlong_surrogates_and_truncation(void **state)
{
	static const struct {
		const char *s;
		uint32_t cp;
		int adv;
	} rows[] = {
		{ "A", 'A', 1 }, { "\xc3\xa9", 0xe9, 2 }, { "\xe3\x81\x82", 0x3042, 3 },
		{ "\xf0\x9f\x98\x80", 0x1f600, 4 }, { "\xc0\x80", 0xfffd, 1 },
		{ "\xed\xa0\x80", 0xfffd, 1 }, { "\xe3\x81", 0xfffd, 1 },
		{ "\x80", 0xfffd, 1 }, { "\xf8\x88\x80\x80", 0xfffd, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const char *p = rows[i].s;
		uint32_t cp = utf8_next(&p, rows[i].s + strlen(rows[i].s));
		assert_int_equal(cp, rows[i].cp);
		assert_int_equal(p - rows[i].s, rows[i].adv);
	}
}

/* ---- UTF-8: one validator, one decoder, agreeing ---- */

static const struct {
	const char *what;
	const char *s;
	size_t len;      /* 0: strlen */
	bool valid;
} utf8_rows[] = {
	{ "empty", "", 0, true },
	{ "ASCII", "abc", 0, true },
	{ "NUL inside", "a\0b", 3, true },
	{ "2-byte", "\xc3\xa9", 0, true },
	{ "3-byte", "\xe6\x97\xad", 0, true },
	{ "4-byte (U+20B9F)", "\xf0\xa0\xae\x9f", 0, true },
	{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 0, true },
	{ "ideographic variation selector", "\xe8\xbe\xba\xf3\xa0\x84\x80", 0, true },
	{ "U+FFFD itself", "\xef\xbf\xbd", 0, true },
	{ "overlong NUL C0 80", "\xc0\x80", 0, false },
	{ "overlong C1 BF", "\xc1\xbf", 0, false },
	{ "overlong 3-byte E0 80 AF", "\xe0\x80\xaf", 0, false },
	{ "overlong 3-byte E0 9F BF", "\xe0\x9f\xbf", 0, false },
	{ "overlong 4-byte F0 8F BF BF", "\xf0\x8f\xbf\xbf", 0, false },
	{ "surrogate D800", "\xed\xa0\x80", 0, false },
	{ "surrogate DFFF", "\xed\xbf\xbf", 0, false },
	{ "surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", 0, false },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 0, false },
	{ "F5 lead", "\xf5\x80\x80\x80", 0, false },
	{ "FF byte", "a\xff", 0, false },
	{ "stray continuation", "\x80", 0, false },
	{ "2-byte cut at the end", "a\xc3", 0, false },
	{ "3-byte cut at the end", "\xe6\x97", 0, false },
	{ "4-byte cut at the end", "\xf0\xa0\xae", 0, false },
	{ "3-byte cut by ASCII", "\xe6\x41\xad", 0, false },
	{ "cut by the length, not a NUL", "\xe6\x97\xad", 2, false },
};

static size_t
row_len(size_t i)
{
	return utf8_rows[i].len != 0 || utf8_rows[i].s[0] == '\0' ?
	    utf8_rows[i].len : strlen(utf8_rows[i].s);
}

static void
test_utf8_valid_edge_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(utf8_rows); i++)
		if (utf8_valid(utf8_rows[i].s, row_len(i)) != utf8_rows[i].valid)
			fail_msg("utf8_valid(%s) is %d, want %d",
			    utf8_rows[i].what, !utf8_rows[i].valid,
			    utf8_rows[i].valid);
}

/* What the validator refuses, the decoder turns into U+FFFD, one byte at
 * a time, and never reads past the end it is given. */
static void
test_utf8_decoder_agrees_with_the_validator(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(utf8_rows); i++) {
		size_t len = row_len(i);
		char *copy = malloc(len + 1);   /* exact size: ASan sees overreads */
		const char *p = copy, *end;
		bool bad = false;
		size_t steps = 0;

		memcpy(copy, utf8_rows[i].s, len);
		end = copy + len;
		while (p < end) {
			const char *at = p;
			uint32_t cp = utf8_next(&p, end);
			if (cp == 0xfffd && !(end - at >= 3 &&
			    memcmp(at, "\xef\xbf\xbd", 3) == 0)) {
				bad = true;
				assert_int_equal(p - at, 1);
			}
			assert_true(p > at && p <= end);
			steps++;
		}
		assert_true(steps <= len);
		if (bad == utf8_rows[i].valid)
			fail_msg("decoder and validator disagree on %s",
			    utf8_rows[i].what);
		free(copy);
	}
}

static void
test_utf8_cut_never_splits_a_character(void **state)
{
	const char *s = "a\xe6\x97\xad\xf0\xa0\xae\x9f";   /* a旭𠮟 */

	(void)state;
	assert_int_equal(utf8_cut(s, 0), 0);
	assert_int_equal(utf8_cut(s, 1), 1);
	assert_int_equal(utf8_cut(s, 2), 1);
	assert_int_equal(utf8_cut(s, 3), 1);
	assert_int_equal(utf8_cut(s, 4), 4);
	assert_int_equal(utf8_cut(s, 7), 4);
	assert_int_equal(utf8_cut(s, 8), 8);
}

/* ---- break opportunities and kinsoku ---- */

static uint32_t
cp_of(const char *s)
{
	return utf8_next(&s, s + strlen(s));
}

static void
test_kinsoku_and_break_opportunities(void **state)
{
	static const struct {
		const char *prev, *next;
		bool brk;
	} rows[] = {
		{ "あ", "い", true },          /* kana: anywhere */
		{ "漢", "字", true },
		{ "a", "あ", true },            /* either side of CJK */
		{ "あ", "a", true },
		{ "a", "b", false },            /* Latin: at spaces only */
		{ " ", "b", true },
		{ "a", " ", false },            /* never before a space */
		{ "\xe3\x80\x80", "あ", true }, /* after U+3000 */
		{ "\xe2\x80\x8b", "a", true },  /* after U+200B */
		{ "한", "국", false },          /* Hangul: at spaces */
		{ "e", "-", false },
		{ "-", "m", false },            /* "e-money" stays whole */
		{ "0", "/", false },
		{ "/", "2", false },
		/* kinsoku: not at a line start */
		{ "あ", "。", false }, { "あ", "、", false }, { "あ", "ー", false },
		{ "か", "っ", false }, { "か", "ゃ", false }, { "カ", "ッ", false },
		{ "あ", "」", false }, { "あ", "）", false }, { "あ", "』", false },
		{ "あ", "々", false }, { "あ", "ゝ", false }, { "あ", "…", false },
		{ "あ", "！", false }, { "あ", "？", false }, { "あ", "・", false },
		{ "か", "\xe3\x82\x9b", false },   /* ゛ */
		{ "か", "\xe3\x82\x99", false },   /* combining dakuten */
		{ "e", "\xcc\x81", false },         /* combining acute */
		/* kinsoku: not at a line end */
		{ "「", "あ", false }, { "（", "あ", false }, { "『", "あ", false },
		{ "【", "あ", false }, { "〔", "あ", false }, { "(", "あ", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (lb_break_between(cp_of(rows[i].prev), cp_of(rows[i].next)) !=
		    rows[i].brk)
			fail_msg("break between '%s' and '%s' should be %s",
			    rows[i].prev, rows[i].next,
			    rows[i].brk ? "allowed" : "forbidden");
}

/* Strings that tempt a breaker into every kinsoku mistake. */
static const char *const kinsoku_texts[] = {
	"「住民票の写し」を、ください。ちょっと待ってください！",
	"ショッピングセンター（イオンモール）で、マイナンバーカードを。",
	"あっ、ちゃ々ゝ…ーい「（え）」、お。カッァィ。人々【ゅょ】『ゥェォ』",
	"きょうは「ばんごう」を　よびます。まって　ください。",
};

/* Whether one line of a broken text breaks a kinsoku rule at its ends. */
static const char *
kinsoku_fault(const char *line, size_t len, bool first_line, bool last_line)
{
	const char *p = line, *end = line + len;
	uint32_t first, last = 0;

	if (len == 0)
		return NULL;
	first = utf8_next(&p, end);
	last = first;
	while (p < end)
		last = utf8_next(&p, end);
	if (!first_line && lb_no_line_start(first))
		return "starts with a character kinsoku keeps off a line start";
	if (!last_line && lb_no_line_end(last))
		return "ends with an opening bracket";
	return NULL;
}

static void
check_lines(const char *medium, const char *text, int width,
    const char *lines)
{
	const char *p = lines;
	size_t n = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		const char *why = kinsoku_fault(p, len, n == 0,
		    p[len] == '\0');
		if (why != NULL)
			fail_msg("%s, width %d: line \"%.*s\" of \"%s\" %s",
			    medium, width, (int)len, p, text, why);
		n++;
		p += len;
		if (*p == '\n')
			p++;
	}
	assert_true(n >= 1);
}

/* The screen and the ticket break the same texts at many widths; neither
 * ever puts a closer at a line start or an opener at a line end.  Widths
 * start at five characters: below the widest unbreakable piece
 * ("ちょっ", "ー「（『【あ") a line must be cut somewhere anyway. */
static void
test_kinsoku_holds_on_screen_and_on_paper(void **state)
{
	struct text *t;
	struct kerr err;
	char out[2048];
	size_t i;
	int w, lines_screen = 0, lines_paper = 0;

	(void)state;
	if (text_open(&t, "fonts/fonts.conf", NULL, 1u << 20, &err) != K_OK)
		fail_msg("text_open: %s", err.msg);
	for (i = 0; i < ARRAY_SIZE(kinsoku_texts); i++) {
		for (w = 150; w <= 600; w += 7) {
			struct text_params p = { "ja", 24, 32, false, w, 0, 0 };
			lines_screen += text_break(t, kinsoku_texts[i], &p, out,
			    sizeof(out));
			check_lines("screen", kinsoku_texts[i], w, out);
			int n = ticket_text_break("ja", 24, w, kinsoku_texts[i],
			    out, sizeof(out), &err);
			if (n < 0)
				fail_msg("ticket fonts: %s", err.msg);
			lines_paper += n;
			check_lines("ticket", kinsoku_texts[i], w, out);
		}
	}
	/* the widths were narrow enough to break often */
	assert_true(lines_screen > 3 * (int)ARRAY_SIZE(kinsoku_texts) * 20);
	assert_true(lines_paper > 3 * (int)ARRAY_SIZE(kinsoku_texts) * 20);
	text_close(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_edge_cases),
		cmocka_unit_test(test_utf8_decoder_agrees_with_the_validator),
		cmocka_unit_test(test_utf8_decoder_rejects_overlong_surrogates_and_truncation),
		cmocka_unit_test(test_utf8_cut_never_splits_a_character),
		cmocka_unit_test(test_ruby_parse_splits_plain_text_and_groups),
		cmocka_unit_test(test_ruby_parse_rejects_malformed_markup_naming_the_offset),
		cmocka_unit_test(test_ruby_strip_keeps_bases_and_shows_bad_markup_literally),
		cmocka_unit_test(test_ruby_parse_reports_too_many_segments),
		cmocka_unit_test(test_runs_split_by_family_then_script),
		cmocka_unit_test(test_runs_never_overflow_the_table),
		cmocka_unit_test(test_kinsoku_and_break_opportunities),
		cmocka_unit_test(test_kinsoku_holds_on_screen_and_on_paper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
