/*
 * test_i18n.c - the .po parser (strings, escapes, continuation, plurals,
 * fuzzy, errors with file:line) and the shipped catalogs (every language
 * translates every key; やさしい日本語 has furigana on every kanji).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/kiosk-i18n-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
write_po(const char *name, const char *text)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_i18n_parses_what_translators_tools_write(void **state)
{
	struct i18n *t = i18n_new();
	struct kerr err;
	const char *p = write_po("xx.po",
	    "# translator comment\n"
	    "msgid \"\"\n"
	    "msgstr \"\"\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\n"
	    "#. extracted comment\n"
	    "#: screens/idle.c:10\n"
	    "msgid \"idle.title\"\n"
	    "msgstr \"ようこそ\"\n"
	    "\n"
	    "msgid \"multi\"\n"
	    "msgstr \"\"\n"
	    "\"line one\\n\"\n"
	    "\"line \\\"two\\\"\\t\\\\\"\n"
	    "\n"
	    "#, fuzzy\n"
	    "msgid \"fuzzy.one\"\n"
	    "msgstr \"not used\"\n"
	    "\n"
	    "msgid \"untranslated\"\n"
	    "msgstr \"\"\n"
	    "\n"
	    "msgctxt \"menu\"\n"
	    "msgid \"open\"\n"
	    "msgstr \"ひらく\"\n"
	    "\n"
	    "msgid \"one.file\"\n"
	    "msgid_plural \"files\"\n"
	    "msgstr[0] \"ファイル\"\n"
	    "msgstr[1] \"ファイルたち\"\n"
	    "#~ msgid \"old\"\n"
	    "#~ msgstr \"obsolete\"\n");

	(void)state;
	if (i18n_parse_po(t, p, "xx", &err) != K_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(i18n_count(t), 1);
	assert_string_equal(i18n_get(t, 0, "idle.title"), "ようこそ");
	assert_string_equal(i18n_get(t, 0, "multi"), "line one\nline \"two\"\t\\");
	assert_string_equal(i18n_get(t, 0, "fuzzy.one"), "fuzzy.one");
	assert_null(i18n_lookup(t, 0, "untranslated"));
	assert_string_equal(i18n_get(t, 0, "menu\004open"), "ひらく");
	assert_string_equal(i18n_get(t, 0, "one.file"), "ファイル");
	assert_null(i18n_lookup(t, 0, "old"));
	assert_int_equal(i18n_msg_count(t, 0), 4);
	i18n_free(t);
}

struct bad_row { const char *text; int line; const char *reason; };

static const struct bad_row bad_rows[] = {
	{ "msgid \"a\"\nmsgstr \"b\n", 2, "not closed" },
	{ "msgid \"a\"\nmsgstr \"\\q\"\n", 2, "unknown escape" },
	{ "msgid \"a\"\nmsgstr \"b\" x\n", 2, "text after" },
	{ "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", 1, "msgid without msgstr" },
	{ "msgstr \"b\"\n", 1, "msgstr without msgid" },
	{ "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n", 4, "duplicate msgid" },
	{ "\"loose\"\n", 1, "string without msgid" },
	{ "msgid a\nmsgstr \"b\"\n", 1, "expected a string" },
	{ "hello\n", 1, "expected msgid" },
	{ "msgid \"a\"\nmsgstr \"\xff\xfe\"\n", 1, "not valid UTF-8" },
	{ "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 3, "second msgstr" },
	{ "msgid \"a\"\nmsgstr[x] \"b\"\n", 2, "bad plural index" },
};

static void
test_i18n_bad_po_fails_with_file_line_and_reason(void **state)
{
	struct kerr err;
	char want[160];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++) {
		struct i18n *t = i18n_new();
		const char *p = write_po("bad.po", bad_rows[i].text);
		int rc = i18n_parse_po(t, p, "bad", &err);
		if (rc != K_EPARSE)
			fail_msg("row %zu parsed (rc %d)", i, rc);
		snprintf(want, sizeof want, "%s:%d: ", p, bad_rows[i].line);
		if (strstr(err.msg, want) != err.msg ||
		    strstr(err.msg, bad_rows[i].reason) == NULL)
			fail_msg("row %zu: \"%s\", want \"%s%s\"", i, err.msg, want,
			    bad_rows[i].reason);
		assert_int_equal(i18n_count(t), 0);
		i18n_free(t);
	}
}

static void
test_i18n_load_orders_languages_and_needs_ja(void **state)
{
	struct i18n *t;
	struct kerr err;

	(void)state;
	assert_int_equal(mkdir(strcat(tmpdir, "/load"), 0700), 0);
	write_po("vi.po", "msgid \"k\"\nmsgstr \"Việt\"\n");
	write_po("en.po", "msgid \"k\"\nmsgstr \"English\"\n");
	assert_int_equal(i18n_load(&t, tmpdir, &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "ja.po"));
	write_po("ja.po", "msgid \"k\"\nmsgstr \"日本語\"\n");
	write_po("ja-easy.po", "msgid \"k\"\nmsgstr \"{日本語|にほんご}\"\n");
	assert_int_equal(i18n_load(&t, tmpdir, &err), K_OK);
	assert_int_equal(i18n_count(t), 4);
	assert_string_equal(i18n_code(t, 0), "ja");
	assert_string_equal(i18n_code(t, 1), "ja-easy");
	assert_string_equal(i18n_code(t, 2), "en");
	assert_string_equal(i18n_code(t, 3), "vi");
	assert_int_equal(i18n_find(t, "vi"), 3);
	assert_int_equal(i18n_find(t, "fr"), -1);
	assert_string_equal(i18n_get(t, 3, "k"), "Việt");
	assert_string_equal(i18n_get(t, 3, "missing.key"), "missing.key");
	i18n_free(t);
	tmpdir[strlen(tmpdir) - 5] = '\0';
}

static void
test_i18n_format_fills_placeholders_and_truncates_on_utf8(void **state)
{
	const char *args[] = { "3", "窓口1" };
	char buf[64], small[8];

	(void)state;
	i18n_format(buf, sizeof buf, "あと %1 人・%2 (100%%)", args, 2);
	assert_string_equal(buf, "あと 3 人・窓口1 (100%)");
	i18n_format(buf, sizeof buf, "%3 missing", args, 2);
	assert_string_equal(buf, " missing");
	i18n_format(small, sizeof small, "あいうえお", NULL, 0);
	assert_string_equal(small, "あい");   /* 6 bytes, the third would cut */
	i18n_strip_ruby(buf, sizeof buf, "{漢字|かんじ}を {読|よ}む");
	assert_string_equal(buf, "漢字を 読む");
}

/* The shipped catalogs. */

static bool
easy_ok(const char *s, char *bad, size_t badlen)
{
	const unsigned char *p = (const unsigned char *)s;
	int depth = 0;

	while (*p) {
		unsigned cp;
		int n, k;
		if (*p == '{') { depth = 1; p++; continue; }
		if (*p == '|' && depth == 1) { depth = 2; p++; continue; }
		if (*p == '}') { depth = 0; p++; continue; }
		if (*p < 0x80) { cp = *p; n = 1; }
		else if ((*p & 0xe0) == 0xc0) { cp = *p & 0x1f; n = 2; }
		else if ((*p & 0xf0) == 0xe0) { cp = *p & 0x0f; n = 3; }
		else { cp = *p & 0x07; n = 4; }
		for (k = 1; k < n; k++)
			cp = (cp << 6) | (p[k] & 0x3f);
		if (depth == 0 && ((cp >= 0x4e00 && cp <= 0x9fff) || cp == 0x3005)) {
			snprintf(bad, badlen, "%.*s", n, (const char *)p);
			return false;
		}
		p += n;
	}
	return true;
}

static void
test_i18n_shipped_catalogs_translate_every_key_in_8_languages(void **state)
{
	static const char *const codes[] = { "ja", "ja-easy", "en", "zh", "ko",
	    "vi", "tl", "pt" };
	struct i18n *t;
	struct kerr err;
	size_t i, l;
	char bad[8];

	(void)state;
	if (i18n_load(&t, "assets/po", &err) != K_OK)
		fail_msg("%s", err.msg);
	for (l = 0; l < ARRAY_SIZE(codes); l++)
		assert_int_equal(i18n_find(t, codes[l]), (int)l);
	assert_true(i18n_msg_count(t, 0) > 50);
	for (i = 0; i < i18n_msg_count(t, 0); i++) {
		const char *id = i18n_msgid_at(t, 0, i);
		for (l = 1; l < i18n_count(t); l++)
			if (i18n_lookup(t, l, id) == NULL)
				fail_msg("%s.po lacks \"%s\"", i18n_code(t, l), id);
	}
	for (l = 1; l < i18n_count(t); l++)
		for (i = 0; i < i18n_msg_count(t, l); i++)
			if (i18n_lookup(t, 0, i18n_msgid_at(t, l, i)) == NULL)
				fail_msg("%s.po has \"%s\" that ja.po lacks",
				    i18n_code(t, l), i18n_msgid_at(t, l, i));
	l = (size_t)i18n_find(t, "ja-easy");
	for (i = 0; i < i18n_msg_count(t, l); i++)
		if (!easy_ok(i18n_msg_at(t, l, i), bad, sizeof bad))
			fail_msg("ja-easy \"%s\": kanji %s without furigana",
			    i18n_msgid_at(t, l, i), bad);
	i18n_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i18n_parses_what_translators_tools_write),
		cmocka_unit_test(test_i18n_bad_po_fails_with_file_line_and_reason),
		cmocka_unit_test(test_i18n_load_orders_languages_and_needs_ja),
		cmocka_unit_test(test_i18n_format_fills_placeholders_and_truncates_on_utf8),
		cmocka_unit_test(test_i18n_shipped_catalogs_translate_every_key_in_8_languages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
