/*
 * test_escpos.c - the ESC/POS encoder's bytes and the status-reply parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "escpos.h"
#include "print.h"
#include "ticket.h"

static void
assert_bytes(const struct bytebuf *b, const void *want, size_t n)
{
	assert_int_equal(b->len, n);
	assert_memory_equal(b->data, want, n);
}

static void
test_escpos_simple_commands_have_their_documented_bytes(void **state)
{
	struct bytebuf b = BYTEBUF_INIT;

	(void)state;
	assert_int_equal(escpos_reset(&b), K_OK);
	assert_bytes(&b, "\x1b\x40", 2);
	bytebuf_reset(&b);
	assert_int_equal(escpos_feed(&b, 3), K_OK);
	assert_bytes(&b, "\x1b\x64\x03", 3);
	bytebuf_reset(&b);
	assert_int_equal(escpos_cut(&b, true, 0), K_OK);
	assert_bytes(&b, "\x1d\x56\x42\x00", 4);
	bytebuf_reset(&b);
	assert_int_equal(escpos_cut(&b, false, 5), K_OK);
	assert_bytes(&b, "\x1d\x56\x41\x05", 4);
	bytebuf_reset(&b);
	assert_int_equal(escpos_align(&b, 1), K_OK);
	assert_bytes(&b, "\x1b\x61\x01", 3);
	bytebuf_reset(&b);
	assert_int_equal(escpos_status_query(&b, 4), K_OK);
	assert_bytes(&b, "\x10\x04\x04", 3);
	bytebuf_reset(&b);
	assert_int_equal(escpos_disable_dle_dc4(&b), K_OK);
	assert_bytes(&b, "\x1d\x28\x44\x05\x00\x14\x01\x00\x02\x00", 10);
	bytebuf_free(&b);
}

static void
test_escpos_rejects_out_of_range_arguments(void **state)
{
	struct bytebuf b = BYTEBUF_INIT;
	struct kerr err;

	(void)state;
	assert_int_equal(escpos_feed(&b, 256), K_EINVAL);
	assert_int_equal(escpos_feed(&b, -1), K_EINVAL);
	assert_int_equal(escpos_cut(&b, true, 300), K_EINVAL);
	assert_int_equal(escpos_align(&b, 3), K_EINVAL);
	assert_int_equal(escpos_status_query(&b, 0), K_EINVAL);
	assert_int_equal(escpos_status_query(&b, 5), K_EINVAL);
	assert_int_equal(escpos_qr(&b, "x", 0, &err), K_EINVAL);
	assert_int_equal(escpos_qr(&b, "x", 17, &err), K_EINVAL);
	assert_int_equal(escpos_qr(&b, "", 4, &err), K_EINVAL);
	assert_int_equal(escpos_qr(&b, "d\xc3\xa9j\xc3\xa0", 4, &err), K_EINVAL);
	assert_int_equal(b.len, 0);
	bytebuf_free(&b);
}

static void
test_escpos_raster_splits_into_bands_of_at_most_256_rows(void **state)
{
	struct bitmap bm;
	struct bytebuf b = BYTEBUF_INIT;
	static const int rows[] = { 256, 256, 88 };
	size_t off = 0;
	int i, y = 0;

	(void)state;
	assert_int_equal(bitmap_init(&bm, 576, 600, NULL), K_OK);
	for (i = 0; i < 600; i++)
		bitmap_set(&bm, i % 576, i, true);   /* a diagonal */
	assert_int_equal(escpos_raster(&b, &bm, 0, 600), K_OK);
	assert_int_equal(b.len, 3 * 8 + 600 * 72);
	for (i = 0; i < 3; i++) {
		const uint8_t hdr[8] = { 0x1d, 0x76, 0x30, 0x00, 72, 0,
			(uint8_t)(rows[i] & 0xff), (uint8_t)(rows[i] >> 8) };
		assert_memory_equal(b.data + off, hdr, 8);
		assert_memory_equal(b.data + off + 8, bm.bits + (size_t)y * 72,
		    (size_t)rows[i] * 72);
		off += 8 + (size_t)rows[i] * 72;
		y += rows[i];
	}
	bytebuf_reset(&b);
	assert_int_equal(escpos_raster(&b, &bm, 10, 9), K_EINVAL);
	assert_int_equal(escpos_raster(&b, &bm, 0, 601), K_EINVAL);
	assert_int_equal(escpos_raster(&b, &bm, 5, 5), K_OK);
	assert_int_equal(b.len, 0);
	bitmap_free(&bm);
	bytebuf_free(&b);
}

static void
test_escpos_native_qr_follows_the_gs_k_functions(void **state)
{
	struct bytebuf b = BYTEBUF_INIT;
	struct kerr err;
	static const uint8_t want[] = {
		0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,  /* model 2 */
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06,        /* 6 dots */
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31,        /* ECC M */
		0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30, 'a', 'b', 'c',
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30,        /* print */
	};

	(void)state;
	assert_int_equal(escpos_qr(&b, "abc", 6, &err), K_OK);
	assert_bytes(&b, want, sizeof(want));
	bytebuf_free(&b);
}

static void
test_escpos_ticket_resets_first_and_cuts_last(void **state)
{
	struct ticket_layout l;
	struct bytebuf b = BYTEBUF_INIT, native = BYTEBUF_INIT;
	struct kerr err;
	int y;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(bitmap_init(&l.bm, 384, 300, NULL), K_OK);
	for (y = 0; y < 300; y++)
		bitmap_set(&l.bm, y, y, true);
	l.qr_x = 100, l.qr_y = 100, l.qr_module = 4, l.qr_width = 21;
	assert_int_equal(escpos_ticket(&b, &l, "http://x/t/1", false, &err),
	    K_OK);
	assert_memory_equal(b.data, "\x1b\x40", 2);
	assert_memory_equal(b.data + b.len - 7, "\x1b\x64\x02\x1d\x56\x42\x00",
	    7);
	/* Raster: 2 bands (256 + 44 rows) of 48 bytes a row. */
	assert_int_equal(b.len, 2 + 10 + 3 + 2 * 8 + 300 * 48 + 3 + 4);
	/* Native: rows above and below the symbol only, and GS ( k. */
	assert_int_equal(escpos_ticket(&native, &l, "http://x/t/1", true,
	    &err), K_OK);
	assert_int_equal(native.len, 2 + 10 + 3 + 8 + 100 * 48 + 3 +
	    (9 + 8 + 8 + 8 + 12 + 8) + 3 + 8 + (300 - 184) * 48 + 3 + 4);
	bitmap_free(&l.bm);
	bytebuf_free(&b);
	bytebuf_free(&native);
}

static void
test_escpos_counts_status_queries_hidden_in_data(void **state)
{
	static const uint8_t data[] = { 0x00, 0x10, 0x04, 0x01, 0x10, 0x04,
		0x05, 0x10, 0x04, 0x04, 0x10, 0x10, 0x04, 0x02, 0x10, 0x04 };

	(void)state;
	assert_int_equal(escpos_count_status_queries(data, sizeof(data)), 3);
	assert_int_equal(escpos_count_status_queries(data, 2), 0);
	assert_int_equal(escpos_count_status_queries(NULL, 0), 0);
}

struct flag_row {
	int n;
	uint8_t reply;
	unsigned flags;
};

static void
test_escpos_status_flags_decode_each_dle_eot_reply(void **state)
{
	static const struct flag_row rows[] = {
		{ 1, 0x12, 0 },
		{ 1, 0x16, 0 },                       /* drawer pin only */
		{ 1, 0x1a, PRINT_F_OFFLINE },
		{ 2, 0x12, 0 },
		{ 2, 0x16, PRINT_F_COVER_OPEN },
		{ 2, 0x1a, PRINT_F_FEEDING },
		{ 2, 0x32, PRINT_F_PAPER_OUT },
		{ 2, 0x52, PRINT_F_ERROR },
		{ 3, 0x12, 0 },
		{ 3, 0x16, PRINT_F_ERROR },
		{ 3, 0x1a, PRINT_F_CUTTER },
		{ 3, 0x32, PRINT_F_UNRECOVER },
		{ 3, 0x52, PRINT_F_AUTORECOVER },
		{ 4, 0x12, 0 },
		{ 4, 0x1e, PRINT_F_NEAR_END },
		{ 4, 0x72, PRINT_F_PAPER_OUT },
		{ 4, 0x7e, PRINT_F_PAPER_OUT | PRINT_F_NEAR_END },
		{ 0, 0x7e, 0 },
		{ 5, 0x7e, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(escpos_status_flags(rows[i].n, rows[i].reply),
		    rows[i].flags);
}

struct rx_row {
	const char *what;
	const uint8_t *in;
	size_t len;
	const uint8_t *want;   /* status bytes picked out, in order */
	size_t nwant;
};

#define B(s) (const uint8_t *)(s), sizeof(s) - 1
#define NONE NULL, 0

static void
test_escpos_rx_picks_replies_out_of_unsolicited_bytes(void **state)
{
	static const struct rx_row rows[] = {
		{ "one reply", B("\x12"), B("\x12") },
		{ "four replies", B("\x12\x1a\x72\x1e"), B("\x12\x1a\x72\x1e") },
		{ "not the pattern", B("\x00\xff\x13\x92\x02"), NONE },
		{ "ASB frame skipped", B("\x10\x00\x0c\x00\x12"), B("\x12") },
		{ "ASB frame then reply inside its length", B("\x14\x00\x32"), B("\x32") },
		{ "GS ( H reply skipped", B("\x37\x22\x32\x32\x32\x32\x00\x16"), B("\x16") },
		{ "GS I reply skipped", B("\x5f\x54\x4d\x32\x00\x12"), B("\x12") },
		{ "truncated ASB", B("\x10\x00"), NONE },
		{ "stray bytes between", B("\xff\x12\x80\x01\x16"), B("\x12\x16") },
	};
	size_t i, j, got;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct escpos_rx rx;
		uint8_t st, out[16];

		escpos_rx_init(&rx);
		got = 0;
		for (j = 0; j < rows[i].len; j++)
			if (escpos_rx_feed(&rx, rows[i].in[j], &st) ==
			    ESCPOS_RX_STATUS)
				out[got++] = st;
		if (got != rows[i].nwant)
			fail_msg("%s: %zu replies, want %zu", rows[i].what, got,
			    rows[i].nwant);
		if (got > 0)
			assert_memory_equal(out, rows[i].want, got);
	}
}

static void
test_escpos_rx_gives_up_on_a_block_without_end(void **state)
{
	struct escpos_rx rx;
	uint8_t st = 0;
	int i, n = 0;

	(void)state;
	escpos_rx_init(&rx);
	escpos_rx_feed(&rx, 0x37, &st);
	for (i = 0; i < ESCPOS_RX_BLOCK_MAX + 4; i++)
		n += escpos_rx_feed(&rx, 0x12, &st) == ESCPOS_RX_STATUS;
	assert_true(n >= 1 && n <= 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escpos_simple_commands_have_their_documented_bytes),
		cmocka_unit_test(test_escpos_rejects_out_of_range_arguments),
		cmocka_unit_test(test_escpos_raster_splits_into_bands_of_at_most_256_rows),
		cmocka_unit_test(test_escpos_native_qr_follows_the_gs_k_functions),
		cmocka_unit_test(test_escpos_ticket_resets_first_and_cuts_last),
		cmocka_unit_test(test_escpos_counts_status_queries_hidden_in_data),
		cmocka_unit_test(test_escpos_status_flags_decode_each_dle_eot_reply),
		cmocka_unit_test(test_escpos_rx_picks_replies_out_of_unsolicited_bytes),
		cmocka_unit_test(test_escpos_rx_gives_up_on_a_block_without_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
