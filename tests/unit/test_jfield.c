/*
 * test_jfield.c - the JSON member checker shared by the catalog, the API
 * and the queue client: what each option lets through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "jfield.h"
#include "randid.h"

static json_t *
doc(const char *text)
{
	json_t *o = json_loads(text, 0, NULL);

	assert_non_null(o);
	return o;
}

static void
test_jfield_strings(void **state)
{
	json_t *o = doc("{\"s\":\"abc\",\"e\":\"\",\"n\":null,\"i\":3,"
	    "\"c\":\"a\\u0001b\"}");
	const char *v;

	(void)state;
	assert_int_equal(jf_str(o, "s", JF_REQUIRED, 3, &v), JF_OK);
	assert_string_equal(v, "abc");
	assert_int_equal(jf_str(o, "s", 0, 2, &v), JF_LENGTH);
	assert_null(v);
	assert_int_equal(jf_str(o, "e", 0, 0, &v), JF_LENGTH);
	assert_int_equal(jf_str(o, "e", JF_EMPTY_OK, 0, &v), JF_OK);
	assert_string_equal(v, "");
	assert_int_equal(jf_str(o, "x", 0, 0, &v), JF_OK);
	assert_null(v);
	assert_int_equal(jf_str(o, "x", JF_REQUIRED, 0, &v), JF_MISSING);
	/* null: a wrong type, unless it counts as absent or as no value */
	assert_int_equal(jf_str(o, "n", 0, 0, &v), JF_TYPE);
	assert_int_equal(jf_str(o, "n", JF_NULL_ABSENT, 0, &v), JF_OK);
	assert_int_equal(jf_str(o, "n", JF_NULL_ABSENT | JF_REQUIRED, 0, &v),
	    JF_MISSING);
	assert_int_equal(jf_str(o, "n", JF_NULLABLE | JF_REQUIRED, 0, &v),
	    JF_OK);
	assert_null(v);
	assert_int_equal(jf_str(o, "i", 0, 0, &v), JF_TYPE);
	assert_int_equal(jf_str(o, "c", 0, 0, &v), JF_OK);
	assert_int_equal(jf_str(o, "c", JF_NO_CONTROL, 0, &v), JF_CONTROL);
	json_decref(o);
}

static void
test_jfield_numbers_and_booleans(void **state)
{
	json_t *o = doc("{\"i\":7,\"f\":1.5,\"b\":true,\"n\":null,\"s\":\"1\"}");
	json_int_t v = -1;
	bool b = false;

	(void)state;
	assert_int_equal(jf_int(o, "i", JF_REQUIRED, 0, 10, &v), JF_OK);
	assert_int_equal(v, 7);
	assert_int_equal(jf_int(o, "i", 0, 8, 10, &v), JF_RANGE);
	assert_int_equal(jf_int(o, "f", 0, 0, 10, &v), JF_TYPE);
	assert_int_equal(jf_int(o, "s", 0, 0, 10, &v), JF_TYPE);
	v = -1;
	assert_int_equal(jf_int(o, "x", 0, 0, 10, &v), JF_OK);
	assert_int_equal(v, -1);                  /* absent: untouched */
	assert_int_equal(jf_int(o, "x", JF_REQUIRED | JF_NULLABLE, 0, 10, &v),
	    JF_MISSING);
	assert_int_equal(jf_int(o, "n", JF_REQUIRED | JF_NULLABLE, 0, 10, &v),
	    JF_OK);
	assert_int_equal(jf_bool(o, "b", JF_REQUIRED, &b), JF_OK);
	assert_true(b);
	assert_int_equal(jf_bool(o, "i", 0, &b), JF_TYPE);
	assert_int_equal(jf_bool(o, "n", 0, &b), JF_TYPE);
	assert_int_equal(jf_bool(o, "n", JF_NULL_ABSENT, &b), JF_OK);
	json_decref(o);
}

static void
test_jfield_unknown_keys(void **state)
{
	static const char *const keys[] = { "a", "b", NULL };
	json_t *o = doc("{\"a\":1,\"b\":2}"), *p = doc("{\"a\":1,\"zz\":2}");

	(void)state;
	assert_null(jf_unknown_key(o, keys));
	assert_string_equal(jf_unknown_key(p, keys), "zz");
	json_decref(o);
	json_decref(p);
}

/* Tokens and request ids: lowercase hex of the asked length, never the
 * same twice. */
static void
test_randid_gives_distinct_hex_ids(void **state)
{
	char a[33], b[33], big[2 * 100 + 1];

	(void)state;
	randid_hex(a, 16);
	randid_hex(b, 16);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
	randid_hex(big, 100);                 /* more than one read */
	assert_int_equal(strlen(big), 200);
	assert_int_equal(strspn(big, "0123456789abcdef"), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jfield_strings),
		cmocka_unit_test(test_jfield_numbers_and_booleans),
		cmocka_unit_test(test_jfield_unknown_keys),
		cmocka_unit_test(test_randid_gives_distinct_hex_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
