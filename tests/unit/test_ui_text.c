/*
 * test_ui_text.c - the screen's text engine: font fallback with the real
 * chain, the font manifest, line breaking, ruby drawn above its base and
 * the LRU cache behind the texture cache.  The pure text core (UTF-8,
 * runs, ruby markup, kinsoku) is tested in test_text.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"
#include "ui_core.h"

#define MANIFEST "fonts/fonts.conf"

/* ---- the real chain ---- */

static int
setup_text(void **state)
{
	struct text *t;
	struct kerr err;

	if (text_open(&t, MANIFEST, NULL, 1u << 20, &err) != K_OK) {
		fprintf(stderr, "text_open: %s\n", err.msg);
		return -1;
	}
	*state = t;
	return 0;
}

static int
teardown_text(void **state)
{
	text_close(*state);
	return 0;
}

static int
family(struct text *t, const char *name)
{
	const struct font_manifest *m = text_manifest(t);
	int i;

	for (i = 0; i < m->nfamilies; i++)
		if (strcmp(m->families[i], name) == 0)
			return i;
	fail_msg("no family %s in the manifest", name);
	return -1;
}

static void
test_language_picks_the_primary_font_for_the_whole_string(void **state)
{
	struct text *t = *state;
	struct text_run runs[16];
	size_t n;

	/* R12.2: Vietnamese entirely in Noto Sans, base letters included */
	n = text_runs(t, "Tiếng Việt 1", "vi", runs, 16);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].family, family(t, "noto"));
	/* Chinese entirely in the SC face, even characters BIZ UD has */
	n = text_runs(t, "简体中文 身份证", "zh", runs, 16);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].family, family(t, "cjk-sc"));
	assert_string_equal(runs[0].script, "Hani");
	/* Korean in the KR face */
	n = text_runs(t, "주민등록", "ko", runs, 16);
	assert_int_equal(n, 1);
	assert_int_equal(runs[0].family, family(t, "cjk-kr"));
	assert_string_equal(runs[0].script, "Hang");
	/* Japanese and English in BIZ UDPGothic */
	n = text_runs(t, "住民票 Certificate", "ja", runs, 16);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(runs[i].family, family(t, "biz"));
	n = text_runs(t, "zh-Hans falls back to zh", "zh-Hans", runs, 16);
	assert_int_equal(runs[0].family, family(t, "cjk-sc"));
}

static void
test_fallback_fills_what_the_primary_font_lacks(void **state)
{
	struct text *t = *state;
	struct text_run runs[16];
	size_t n;

	/* Vietnamese toned letters in a Japanese string: BIZ lacks ệ */
	n = text_runs(t, "ベトナム語 Việt", "ja", runs, 16);
	assert_true(n >= 2);
	bool noto = false;
	for (size_t i = 0; i < n; i++)
		if (runs[i].family == family(t, "noto"))
			noto = true;
	assert_true(noto);
	/* Thai is shaped as Thai */
	n = text_runs(t, "タイ語 ภาษาไทย", "ja", runs, 16);
	assert_true(n >= 2);
	assert_int_equal(runs[n - 1].family, family(t, "thai"));
	assert_string_equal(runs[n - 1].script, "Thai");
	/* no tofu in any of the eight languages' own names */
	assert_int_equal(text_missing(t, "日本語 やさしい にほんご English 中文 "
	    "한국어 Tiếng Việt Tagalog Português ภาษาไทย ₱ ¥ €", "ja", NULL),
	    0);
}

static void
test_a_code_point_no_font_has_is_reported(void **state)
{
	struct text *t = *state;
	uint32_t first = 0;

	/* U+E000 private use, U+10FFFD: in no font of the chain */
	assert_int_equal(text_missing(t, "a\xee\x80\x80" "b\xf4\x8f\xbf\xbd",
	    "ja", &first), 2);
	assert_int_equal(first, 0xe000);
}

static struct text_params
params(const char *lang, int px, int wrap)
{
	struct text_params p = { lang, px, px * 17 / 10, false, wrap,
	    UI_ALIGN_LEFT, 16 };

	return p;
}

static void
test_lines_break_cjk_anywhere_but_keep_kinsoku(void **state)
{
	struct text *t = *state;
	struct text_params p = params("ja", 32, 0);
	struct text_info one;
	char out[256];
	int lines;

	text_measure(t, "あいう", &p, &one);
	assert_int_equal(one.lines, 1);
	/* room for a little more than three kana */
	p = params("ja", 32, one.w + 8);
	lines = text_break(t, "あいうえお", &p, out, sizeof(out));
	assert_int_equal(lines, 2);
	assert_string_equal(out, "あいう\nえお");
	/* "。" never starts a line: it takes "う" with it */
	lines = text_break(t, "あいう。えお", &p, out, sizeof(out));
	assert_string_equal(out, "あい\nう。え\nお");
	assert_int_equal(lines, 3);
	/* "「" never ends a line */
	lines = text_break(t, "あい「う」", &p, out, sizeof(out));
	assert_string_equal(out, "あい\n「う」");
	/* a line broken in CJK text prefers the last space or zero-width
	 * space (phrases stay whole) when the line stays 60 % full */
	p = params("ja-easy", 32, 0);
	text_measure(t, "あいうえおか", &p, &one);
	p = params("ja-easy", 32, one.w + 8);
	lines = text_break(t, "あいうえお かき", &p, out, sizeof(out));
	assert_string_equal(out, "あいうえお\nかき");
	lines = text_break(t, "あいうえお\xe2\x80\x8bかき", &p, out, sizeof(out));
	assert_string_equal(out, "あいうえお\nかき");
	assert_int_equal(text_missing(t, "あ\xe2\x80\x8bい", "ja", NULL), 0);
	/* ... but not when that leaves the line mostly empty */
	lines = text_break(t, "あ いうえおかき", &p, out, sizeof(out));
	assert_string_equal(out, "あ いうえお\nかき");
	/* forced breaks */
	p = params("ja", 32, 0);
	lines = text_break(t, "一行目\n二行目", &p, out, sizeof(out));
	assert_int_equal(lines, 2);
	assert_string_equal(out, "一行目\n二行目");
}

static void
test_latin_breaks_at_spaces_and_reports_a_word_too_wide(void **state)
{
	struct text *t = *state;
	struct text_params p = params("en", 32, 0);
	struct text_info info;
	char out[256];

	text_measure(t, "please take", &p, &info);
	p = params("en", 32, info.w + 4);
	assert_int_equal(text_break(t, "please take your ticket", &p, out,
	    sizeof(out)), 2);
	assert_string_equal(out, "please take\nyour ticket");
	text_measure(t, "please take your ticket", &p, &info);
	assert_false(info.too_wide);
	assert_true(info.w <= p.wrap_w);
	p = params("en", 32, 60);
	text_measure(t, "Residence", &p, &info);
	assert_true(info.too_wide);
}

static void
test_ruby_adds_a_band_above_its_line_only(void **state)
{
	struct text *t = *state;
	struct text_params p = params("ja-easy", 32, 0);
	struct text_info plain, ruby, bad;

	text_measure(t, "漢字を よむ", &p, &plain);
	text_measure(t, "{漢字|かんじ}を よむ", &p, &ruby);
	assert_int_equal(plain.h, p.line_px);
	assert_true(ruby.h >= p.line_px + 16);    /* ruby >= 16 px (R3.3) */
	assert_int_equal(ruby.w, plain.w);        /* reading fits over base */
	assert_false(ruby.ruby_error);
	/* a reading wider than its base overhangs plain neighbours by half a
	 * ruby character each side instead of spreading the base apart */
	struct text_info alone, framed, ai, base;
	text_measure(t, "{漢|かんじかんじ}", &p, &alone);
	text_measure(t, "あ{漢|かんじかんじ}い", &p, &framed);
	text_measure(t, "あい", &p, &ai);
	text_measure(t, "漢", &p, &base);
	assert_true(alone.w > base.w + 16);
	assert_int_equal(framed.w - ai.w, alone.w - 16);   /* rpx = 16 */
	/* two readings never share the neighbour between them */
	text_measure(t, "{漢|かんじかんじ}あ{漢|かんじかんじ}", &p, &framed);
	text_measure(t, "あ", &p, &ai);
	assert_int_equal(framed.w, 2 * alone.w + ai.w);
	/* malformed markup: shown literally, flagged, no crash */
	text_measure(t, "{漢字|かんじを よむ", &p, &bad);
	assert_true(bad.ruby_error);
	assert_int_equal(bad.h, p.line_px);
	assert_true(bad.w > plain.w);
}

static void
test_empty_and_huge_strings_lay_out(void **state)
{
	struct text *t = *state;
	struct text_params p = params("ja", 32, 800);
	struct text_info info;
	char *big = malloc(40001);

	text_measure(t, "", &p, &info);
	assert_int_equal(info.w, 0);
	assert_int_equal(info.lines, 1);
	for (int i = 0; i < 40000; i++)
		big[i] = (char)('a' + i % 26);
	big[40000] = '\0';
	text_measure(t, big, &p, &info);
	assert_true(info.too_wide);
	free(big);
}

/* ---- manifest ---- */

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_manifest_errors_name_file_line_and_reason(void **state)
{
	static const struct {
		const char *text, *want;
	} rows[] = {
		{ "font a regular 0 1.0\n", ":1: expected 'font NAME" },
		{ "\nfont a italic 0 1.0 x.ttf\n", ":2: weight 'italic'" },
		{ "font a regular -1 1.0 x.ttf\n", "face index '-1'" },
		{ "font a regular 0 9 x.ttf\n", "scale '9'" },
		{ "font a regular 0 1 x.ttf\nlang ja b\n", ":2: language ja names "
		  "font 'b'" },
		{ "font a regular 0 1 x.ttf\n", "no 'lang ja' line" },
		{ "font a bold 0 1 x.ttf\nlang ja a\n", "font a has no regular" },
		{ "fonts a regular 0 1 x.ttf\n", "unknown directive 'fonts'" },
		{ "font a regular 0 1 x.ttf\nfont a regular 0 1 y.ttf\n",
		  ":2: font a regular given twice" },
		{ "# only a comment\n", "no 'font' lines" },
	};
	char dir[] = "/tmp/test_ui_text.XXXXXX", path[64];
	struct font_manifest m;
	struct kerr err;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fonts.conf", dir);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		write_file(path, rows[i].text);
		if (font_manifest_parse(&m, path, &err) != K_EPARSE)
			fail_msg("row %zu parsed", i);
		if (strstr(err.msg, rows[i].want) == NULL ||
		    strstr(err.msg, path) == NULL)
			fail_msg("row %zu: '%s' lacks '%s' or the path", i,
			    err.msg, rows[i].want);
	}
	/* relative paths are taken from the manifest's folder */
	write_file(path, "font a regular 0 1.0 x.ttf # c\nfont b regular 1 "
	    "1.04 /abs/y.ttc\nlang ja a\nlang zh b\n");
	assert_int_equal(font_manifest_parse(&m, path, &err), K_OK);
	assert_int_equal(m.nfamilies, 2);
	assert_true(strstr(m.fonts[0].path, dir) == m.fonts[0].path);
	assert_string_equal(m.fonts[1].path, "/abs/y.ttc");
	assert_int_equal(font_manifest_family(&m, "zh"), 1);
	assert_int_equal(font_manifest_family(&m, "xx"), 0);
	assert_int_equal(font_manifest_entry(&m, 1, true), 1);  /* no bold */
	font_manifest_release(&m);
	/* a missing font file fails the start, naming the file */
	struct text *t;
	write_file(path, "font a regular 0 1.0 /nonexistent/Missing.ttf\n"
	    "lang ja a\n");
	assert_int_equal(text_open(&t, path, NULL, 1024, &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/Missing.ttf"));
	/* the wrong face, or not a font at all: named at start too */
	static const struct {
		const char *line, *want;
	} faces[] = {
		{ "font a regular 3 1.0 /usr/share/fonts/truetype/bizud-gothic/"
		  "BIZUDPGothic-Regular.ttf\n", "holds one face, face 3" },
		{ "font a regular 12 1.0 /usr/share/fonts/opentype/noto/"
		  "NotoSansCJK-Regular.ttc\n", "faces, face 12 asked for" },
		{ "font a regular 0 1.0 notafont.txt\n", "not a TrueType" },
	};
	char other[96];
	snprintf(other, sizeof(other), "%s/notafont.txt", dir);
	write_file(other, "this is plain text, not a font file\n");
	for (i = 0; i < ARRAY_SIZE(faces); i++) {
		char text[256];
		snprintf(text, sizeof(text), "%slang ja a\n", faces[i].line);
		write_file(path, text);
		if (text_open(&t, path, NULL, 1024, &err) == K_OK)
			fail_msg("face row %zu opened", i);
		if (strstr(err.msg, faces[i].want) == NULL)
			fail_msg("face row %zu: '%s' lacks '%s'", i, err.msg,
			    faces[i].want);
	}
	unlink(other);
	unlink(path);
	rmdir(dir);
	assert_int_equal(font_manifest_parse(&m, path, &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, path));
}

/* ---- LRU ---- */

static int freed[16], nfreed;

static void
note_free(void *v, void *arg)
{
	(void)arg;
	if (nfreed < (int)ARRAY_SIZE(freed))
		freed[nfreed] = (int)(intptr_t)v;
	nfreed++;
}

static void
test_lru_evicts_least_recently_used_within_the_budget(void **state)
{
	struct lru *c;

	(void)state;
	nfreed = 0;
	lru_new(&c, 100, note_free, NULL);
	assert_true(lru_put(c, "a", (void *)1, 40));
	assert_true(lru_put(c, "b", (void *)2, 40));
	assert_int_equal(lru_bytes(c), 80);
	assert_ptr_equal(lru_get(c, "a"), (void *)1);   /* a is now recent */
	assert_true(lru_put(c, "c", (void *)3, 40));    /* b goes */
	assert_int_equal(nfreed, 1);
	assert_int_equal(freed[0], 2);
	assert_null(lru_get(c, "b"));
	assert_non_null(lru_get(c, "a"));
	assert_int_equal(lru_evictions(c), 1);
	assert_int_equal(lru_count(c), 2);
	/* replacing a key frees the old value, not counted as eviction */
	assert_true(lru_put(c, "a", (void *)4, 10));
	assert_int_equal(freed[1], 1);
	assert_int_equal(lru_bytes(c), 50);
	/* larger than the whole budget: not kept, freed at once */
	assert_false(lru_put(c, "huge", (void *)5, 101));
	assert_int_equal(freed[2], 5);
	assert_int_equal(lru_count(c), 2);
	/* many entries: the table grows, the budget holds */
	char key[16];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		lru_put(c, key, (void *)0, 1);
		assert_true(lru_bytes(c) <= 100);
	}
	assert_int_equal(lru_count(c), 100);
	lru_clear(c);
	assert_int_equal(lru_bytes(c), 0);
	lru_free(c);
	lru_free(NULL);
}

static void
test_text_cache_keeps_blocks_and_evicts_past_its_budget(void **state)
{
	struct text *t;
	struct kerr err;
	struct text_params p = params("ja", 32, 0);
	struct text_info info;
	char s[32];

	(void)state;
	assert_int_equal(text_open(&t, MANIFEST, NULL, 4096, &err), K_OK);
	text_measure(t, "同じ文字列", &p, &info);
	size_t n = lru_count(text_cache(t));
	text_measure(t, "同じ文字列", &p, &info);
	assert_int_equal(lru_count(text_cache(t)), n);   /* a hit */
	for (int i = 0; i < 200; i++) {
		snprintf(s, sizeof(s), "番号 %d", i);
		text_measure(t, s, &p, &info);
		assert_true(lru_bytes(text_cache(t)) <= 4096);
	}
	assert_true(lru_evictions(text_cache(t)) > 0);
	text_close(t);
}

/* The end of a session empties the cache; the next draw lays out anew
 * with the same result. */
static void
test_text_forget_empties_the_cache(void **state)
{
	struct text *t;
	struct kerr err;
	struct text_params p = params("ja", 32, 0);
	struct text_info a, b;

	(void)state;
	assert_int_equal(text_open(&t, MANIFEST, NULL, 1u << 20, &err), K_OK);
	text_measure(t, "千葉県旭市二の１９２０番地", &p, &a);
	text_measure(t, "旭　太郎", &p, &a);
	assert_int_equal(lru_count(text_cache(t)), 2);
	text_forget(t);
	assert_int_equal(lru_count(text_cache(t)), 0);
	assert_int_equal(lru_bytes(text_cache(t)), 0);
	text_measure(t, "旭　太郎", &p, &b);   /* the memo was dropped too */
	assert_int_equal(lru_count(text_cache(t)), 1);
	assert_int_equal(a.w, b.w);
	text_forget(t);
	text_forget(NULL);
	text_close(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_language_picks_the_primary_font_for_the_whole_string, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_fallback_fills_what_the_primary_font_lacks, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_a_code_point_no_font_has_is_reported, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_lines_break_cjk_anywhere_but_keep_kinsoku, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_latin_breaks_at_spaces_and_reports_a_word_too_wide, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_ruby_adds_a_band_above_its_line_only, setup_text, teardown_text),
		cmocka_unit_test_setup_teardown(test_empty_and_huge_strings_lay_out, setup_text, teardown_text),
		cmocka_unit_test(test_manifest_errors_name_file_line_and_reason),
		cmocka_unit_test(test_lru_evicts_least_recently_used_within_the_budget),
		cmocka_unit_test(test_text_cache_keeps_blocks_and_evicts_past_its_budget),
		cmocka_unit_test(test_text_forget_empties_the_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
