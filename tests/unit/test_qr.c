/*
 * test_qr.c - QR encoding: ASCII only, ECC M, a well-formed symbol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "qr.h"

static void
assert_finder_at(const struct qr *q, int x0, int y0)
{
	int x, y;

	for (y = 0; y < 7; y++)
		for (x = 0; x < 7; x++) {
			bool ring = x == 0 || y == 0 || x == 6 || y == 6;
			bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
			assert_int_equal(q->modules[(y0 + y) * q->width + x0 + x],
			    ring || core ? 1 : 0);
		}
}

static void
test_qr_encode_gives_a_symbol_with_three_finder_patterns(void **state)
{
	struct qr q;
	struct kerr err;
	int i;

	(void)state;
	assert_int_equal(qr_encode("http://127.0.0.1:8080/t/"
	    "5f3a9c2e7b1d4086a2c4e6f8091b3d5e", &q, &err), K_OK);
	assert_true(q.width >= 21 && (q.width - 21) % 4 == 0);
	for (i = 0; i < q.width * q.width; i++)
		assert_true(q.modules[i] == 0 || q.modules[i] == 1);
	assert_finder_at(&q, 0, 0);
	assert_finder_at(&q, q.width - 7, 0);
	assert_finder_at(&q, 0, q.width - 7);
	qr_free(&q);
	qr_free(&q);        /* twice is harmless */
	assert_null(q.modules);
}

static void
test_qr_encode_uses_ecc_level_m(void **state)
{
	/* Version 1 holds 17 bytes at L, 14 at M, 11 at Q, 7 at H (byte
	 * mode): 14 bytes fit version 1 (21 modules) only at L or M, and
	 * 15 bytes need version 2 (25 modules) at M but not at L. */
	struct qr q;
	struct kerr err;

	(void)state;
	assert_int_equal(qr_encode("abcdefghijklmn", &q, &err), K_OK);
	assert_int_equal(q.width, 21);
	qr_free(&q);
	assert_int_equal(qr_encode("abcdefghijklmno", &q, &err), K_OK);
	assert_int_equal(q.width, 25);
	qr_free(&q);
}

static void
test_qr_encode_rejects_bad_payloads(void **state)
{
	static const struct { const char *payload; const char *needle; } rows[] = {
		{ "", "empty" },
		{ "http://例え.jp/t/1", "only printable ASCII" },
		{ "tab\there", "0x09" },
		{ "caf\xc3\xa9", "0xc3" },
	};
	struct qr q;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(qr_encode(rows[i].payload, &q, &err), K_EINVAL);
		assert_non_null(strstr(err.msg, rows[i].needle));
		assert_null(q.modules);
	}
	assert_int_equal(qr_encode(NULL, &q, &err), K_EINVAL);
}

static void
test_qr_encode_rejects_a_payload_too_long(void **state)
{
	char big[QR_MAX_PAYLOAD + 2];
	struct qr q;
	struct kerr err;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qr_encode(big, &q, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "at most"));
	big[QR_MAX_PAYLOAD] = '\0';    /* the limit itself is fine */
	assert_int_equal(qr_encode(big, &q, &err), K_OK);
	qr_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_encode_gives_a_symbol_with_three_finder_patterns),
		cmocka_unit_test(test_qr_encode_uses_ecc_level_m),
		cmocka_unit_test(test_qr_encode_rejects_bad_payloads),
		cmocka_unit_test(test_qr_encode_rejects_a_payload_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
