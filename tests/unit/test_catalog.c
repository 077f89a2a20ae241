/*
 * test_catalog.c - the procedure catalog: the shipped file loads and is
 * complete, and every kind of bad catalog fails naming file, path and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

#define CATALOG_PATH "assets/procedures.json"

static const char *const all_langs[] = {
	"ja", "ja-easy", "en", "zh", "ko", "vi", "tl", "pt",
};

static void
test_catalog_shipped_file_loads(void **state)
{
	struct catalog *c;
	struct kerr err;

	(void)state;
	if (catalog_load(&c, CATALOG_PATH, &err) != K_OK)
		fail_msg("%s", err.msg);
	assert_true(catalog_count(c) >= 17);
	assert_int_equal(catalog_lang_count(c), 8);
	catalog_free(c);
}

static void
test_catalog_has_every_procedure_the_city_asked_for(void **state)
{
	static const char *const ids[] = { "juminhyo", "inkan_shomei", "koseki",
	    "shotoku", "tennyu", "tenshutsu", "tenkyo", "inkan_toroku",
	    "mynumber_card", "kokuho", "jidoteate", "soudan", "move_in",
	    "move_out", "move_within", "birth", "okuyami" };
	struct catalog *c;
	struct kerr err;
	size_t i, l;

	(void)state;
	assert_int_equal(catalog_load(&c, CATALOG_PATH, &err), K_OK);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		const struct cat_procedure *p = catalog_find(c, ids[i]);
		if (p == NULL)
			fail_msg("missing procedure %s", ids[i]);
		assert_true(catalog_service(p) >= 'A' && catalog_service(p) <= 'E');
		assert_true(catalog_minutes(p) > 0);
		for (l = 0; l < ARRAY_SIZE(all_langs); l++)
			assert_true(strlen(catalog_name(p, all_langs[l])) > 0);
	}
	assert_null(catalog_find(c, "nonexistent"));
	assert_int_equal(catalog_find(c, "move_in")->kind, CAT_LIFE_EVENT);
	assert_true(catalog_find(c, "move_in")->nguide >= 2);
	assert_int_equal(catalog_find(c, "soudan")->kind, CAT_CONSULT);
	catalog_free(c);
}

struct fee_answers { const char *copies, *kind; };

static const char *
fee_get(const char *qid, void *arg)
{
	const struct fee_answers *a = arg;

	if (strcmp(qid, "copies") == 0)
		return a->copies;
	if (strcmp(qid, "kind") == 0)
		return a->kind;
	return NULL;
}

static void
test_catalog_fee_is_unit_times_copies_with_choice_override(void **state)
{
	static const struct { const char *id, *copies, *kind; int yen; } rows[] = {
		{ "juminhyo", "1", NULL, 300 },
		{ "juminhyo", "3", NULL, 900 },
		{ "juminhyo", NULL, NULL, 300 },         /* default count */
		{ "inkan_shomei", "2", NULL, 600 },
		{ "koseki", "1", "tohon", 450 },
		{ "koseki", "2", "shohon", 900 },
		{ "koseki", "1", "joseki", 750 },
		{ "shotoku", "2", NULL, 600 },
		{ "tennyu", NULL, NULL, 0 },
		{ "soudan", NULL, NULL, 0 },
	};
	struct catalog *c;
	struct kerr err;
	size_t i;

	(void)state;
	assert_int_equal(catalog_load(&c, CATALOG_PATH, &err), K_OK);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct fee_answers a = { rows[i].copies, rows[i].kind };
		const struct cat_procedure *p = catalog_find(c, rows[i].id);
		assert_non_null(p);
		if (catalog_fee(p, fee_get, &a) != rows[i].yen)
			fail_msg("row %zu: %s fee %d, want %d", i, rows[i].id,
			    catalog_fee(p, fee_get, &a), rows[i].yen);
	}
	catalog_free(c);
}

/* Every kanji in a やさしい日本語 text is the base of ruby markup. */
static const char *
easy_kanji_without_ruby(const char *s)
{
	static char bad[8];
	const unsigned char *p = (const unsigned char *)s;
	int depth = 0;

	while (*p) {
		unsigned cp;
		int n;
		if (*p == '{') { depth = 1; p++; continue; }
		if (*p == '|' && depth == 1) { depth = 2; p++; continue; }
		if (*p == '}') { depth = 0; p++; continue; }
		if (*p < 0x80) { cp = *p; n = 1; }
		else if ((*p & 0xe0) == 0xc0) { cp = *p & 0x1f; n = 2; }
		else if ((*p & 0xf0) == 0xe0) { cp = *p & 0x0f; n = 3; }
		else { cp = *p & 0x07; n = 4; }
		for (int k = 1; k < n; k++)
			cp = (cp << 6) | (p[k] & 0x3f);
		if (depth == 0 && ((cp >= 0x4e00 && cp <= 0x9fff) ||
		    (cp >= 0x3400 && cp <= 0x4dbf) || cp == 0x3005)) {
			memcpy(bad, p, (size_t)n);
			bad[n] = '\0';
			return bad;
		}
		p += n;
	}
	return NULL;
}

static void
check_easy(const struct cat_text *t, const char *where)
{
	const char *bad;

	if (t->n == 0)
		return;
	bad = easy_kanji_without_ruby(cat_text_get(t, "ja-easy"));
	if (bad != NULL)
		fail_msg("%s: kanji %s without furigana in \"%s\"", where, bad,
		    cat_text_get(t, "ja-easy"));
}

static void
test_catalog_easy_japanese_has_furigana_on_every_kanji(void **state)
{
	struct catalog *c;
	struct kerr err;
	size_t i, j, k;

	(void)state;
	assert_int_equal(catalog_load(&c, CATALOG_PATH, &err), K_OK);
	for (i = 0; i < catalog_count(c); i++) {
		const struct cat_procedure *p = catalog_at(c, i);
		check_easy(&p->name, p->id);
		check_easy(&p->desc, p->id);
		for (j = 0; j < p->nquestions; j++) {
			check_easy(&p->questions[j].text, p->questions[j].id);
			for (k = 0; k < p->questions[j].nchoices; k++)
				check_easy(&p->questions[j].choices[k].text,
				    p->questions[j].choices[k].id);
		}
		for (j = 0; j < p->nbring; j++)
			check_easy(&p->bring[j], "bring");
		for (j = 0; j < p->nguide; j++) {
			check_easy(&p->guide[j].where, "guide.where");
			check_easy(&p->guide[j].what, "guide.what");
		}
	}
	catalog_free(c);
}

/* A minimal good catalog with one hole (%s) to put a procedure in. */
#define HEAD "{\"version\":1,\"languages\":[\"ja\",\"en\"],\"procedures\":["
#define NAME "\"name\":{\"ja\":\"住民票\",\"en\":\"Residence\"}"
#define GOOD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5}"
#define TXT "{\"ja\":\"は\",\"en\":\"x\"}"

struct bad_row {
	const char *json;
	const char *path;     /* expected in the message */
	const char *reason;   /* expected in the message */
};

static const struct bad_row bad_rows[] = {
	{ "{", "line 1", "" },
	{ "[]", "$", "must be a JSON object" },
	{ HEAD GOOD "],\"extra\":1}", "$.extra", "unknown key" },
	{ "{\"version\":2,\"languages\":[\"ja\"],\"procedures\":[" GOOD "]}",
	  "$.version", "from 1 to 1" },
	{ "{\"version\":1,\"languages\":[\"en\"],\"procedures\":[" GOOD "]}",
	  "$.languages", "must include \"ja\"" },
	{ HEAD "]}", "$.procedures", "no procedures" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\",\"colour\":1," NAME ",\"minutes\":5}]}",
	  "$.procedures[0].colour", "unknown key" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\",\"name\":{\"ja\":\"住民票\"},\"minutes\":5}]}",
	  "$.procedures[0].name", "missing the \"en\" text" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\",\"name\":{\"ja\":\"x\",\"en\":\"y\",\"fr\":\"z\"},\"minutes\":5}]}",
	  "$.procedures[0].name.fr", "unknown language" },
	{ HEAD GOOD "," GOOD "]}", "$.procedures[1].id", "duplicate id \"a\"" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,"
	  "\"questions\":[{\"id\":\"q\",\"type\":\"choice\",\"text\":" TXT "}]}]}",
	  "$.procedures[0].questions[0].choices", "needs choices" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,"
	  "\"questions\":[{\"id\":\"q\",\"type\":\"choice\",\"text\":" TXT ",\"choices\":[{\"id\":\"x\",\"text\":" TXT "}]}]}]}",
	  "$.procedures[0].questions[0].choices", "at least 2 choices" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,"
	  "\"questions\":[{\"id\":\"q\",\"type\":\"slider\",\"text\":" TXT "}]}]}",
	  "$.procedures[0].questions[0].type", "not choice, yesno, count or date" },
	{ HEAD "{\"id\":\"a\",\"service\":\"a\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5}]}",
	  "$.procedures[0].service", "service letter" },
	{ HEAD "{\"id\":\"A b\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5}]}",
	  "$.procedures[0].id", "a-z 0-9 _" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME "}]}",
	  "$.procedures[0].minutes", "missing" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,\"fee\":{\"yen\":300,\"per\":\"copies\"}}]}",
	  "$.procedures[0].fee.per", "not a count question" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\",\"name\":{\"ja\":\"{住民票|じゅうみんひょう\",\"en\":\"y\"},\"minutes\":5}]}",
	  "$.procedures[0].name.ja", "not closed" },
	{ HEAD "{\"id\":\"e\",\"kind\":\"life_event\",\"service\":\"B\",\"counter\":\"3\",\"icon\":\"d\"," NAME ",\"minutes\":5,"
	  "\"includes\":[\"nope\"],\"guide\":[{\"where\":" TXT ",\"what\":" TXT "}]}]}",
	  "$.procedures[0].includes[0]", "\"nope\" is not a procedure" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,\"online\":\"http://x\"}]}",
	  "$.procedures[0].online", "https://" },
	{ HEAD "{\"id\":\"a\",\"service\":\"A\",\"counter\":\"1\",\"icon\":\"d\"," NAME ",\"minutes\":5,\"bring\":[{\"ja\":\"x\"}]}]}",
	  "$.procedures[0].bring[0]", "missing the \"en\" text" },
};

static void
test_catalog_bad_catalogs_fail_naming_file_path_and_reason(void **state)
{
	struct catalog *c;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++) {
		int rc = catalog_load_string(&c, bad_rows[i].json, "bad.json", &err);
		if (rc != K_EPARSE)
			fail_msg("row %zu loaded (rc %d)", i, rc);
		assert_null(c);
		if (strstr(err.msg, "bad.json: ") != err.msg ||
		    strstr(err.msg, bad_rows[i].path) == NULL ||
		    strstr(err.msg, bad_rows[i].reason) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\" / \"%s\"", i,
			    err.msg, bad_rows[i].path, bad_rows[i].reason);
	}
}

static void
test_catalog_good_minimal_catalog_loads(void **state)
{
	struct catalog *c;
	struct kerr err;

	(void)state;
	if (catalog_load_string(&c, HEAD GOOD "]}", "ok.json", &err) != K_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(catalog_name(catalog_find(c, "a"), "en"), "Residence");
	/* a language the catalog lacks falls back to Japanese */
	assert_string_equal(catalog_name(catalog_find(c, "a"), "vi"), "住民票");
	catalog_free(c);
}

static void
test_catalog_missing_file_names_the_path(void **state)
{
	struct catalog *c;
	struct kerr err;

	(void)state;
	assert_int_equal(catalog_load(&c, "/nonexistent/p.json", &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/p.json"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_shipped_file_loads),
		cmocka_unit_test(test_catalog_has_every_procedure_the_city_asked_for),
		cmocka_unit_test(test_catalog_fee_is_unit_times_copies_with_choice_override),
		cmocka_unit_test(test_catalog_easy_japanese_has_furigana_on_every_kanji),
		cmocka_unit_test(test_catalog_bad_catalogs_fail_naming_file_path_and_reason),
		cmocka_unit_test(test_catalog_good_minimal_catalog_loads),
		cmocka_unit_test(test_catalog_missing_file_names_the_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
