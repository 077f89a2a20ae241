/*
 * test_card.c - the My Number card protocol against scripted and simulated
 * cards: exact APDUs, every status word of the spec's table, transport
 * failures at every position, PIN safety rules.
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

#include "card.h"
#include "fakes/fake_apdu.h"

#define SEL_AP	"00A4040C0AD3921000310001010408"
#define SEL_PIN	"00A4020C020011"
#define QUERY	"00200080"
#define VERIFY(p) "0020008004" p
#define SEL_B4	"00A4020C020002"
#define SEL_MN	"00A4020C020001"
#define READ_HEAD "00B0000008"
#define PIN_HEX	"34303731"	/* "4071" */
#define PIN	"4071"

/* The spec §6 record (86 bytes): header read of 8, rest of 78. */
#define REC_HEAD "FF2053DF2108000E"
#define REC_REST "001D00470052" \
    "DF220CE697ADE38080E5A4AAE9838E" \
    "DF2327E58D83E89189E79C8CE697ADE5B882E4BA8CE381AE" \
    "EFBC91EFBC99EFBC92EFBC90E795AAE59CB0" \
    "DF24083139383030343031" \
    "DF250131"

static const struct fake_apdu_step script_ok[] = {
	{ SEL_AP, "9000" },
	{ SEL_PIN, "9000" },
	{ QUERY, "63C3" },
	{ VERIFY(PIN_HEX), "9000" },
	{ SEL_B4, "9000" },
	{ READ_HEAD, REC_HEAD "9000" },
	{ "00B000084E", REC_REST "9000" },
};

static void
assert_holder(const struct card_basic4 *b)
{
	assert_string_equal(b->name, "旭　太郎");
	assert_string_equal(b->name_family, "旭");
	assert_string_equal(b->name_given, "太郎");
	assert_string_equal(b->address, "千葉県旭市二の１９２０番地");
	assert_string_equal(b->birth, "1980-04-01");
	assert_string_equal(b->sex, "1");
}

static void
assert_wiped(const struct card_basic4 *b)
{
	static const struct card_basic4 zero;

	assert_memory_equal(b, &zero, sizeof(*b));
}

/* No PIN, no personal data in an error message. */
static void
assert_clean_msg(const struct kerr *err)
{
	assert_null(strstr(err->msg, PIN));
	assert_null(strstr(err->msg, PIN_HEX));
	assert_null(strstr(err->msg, "旭"));
	assert_null(strstr(err->msg, "1980"));
	assert_null(strstr(err->msg, "123456789018"));
}

static void
test_card_read_sends_the_spec_sequence_in_7_apdus(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries = -9;

	(void)state;
	fake_apdu_new(&t, script_ok, ARRAY_SIZE(script_ok));
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_OK);
	assert_null(fake_apdu_mismatch(t));
	assert_int_equal(fake_apdu_calls(t), 7);
	assert_int_equal(t->count, 7);
	assert_int_equal(tries, 3);
	assert_holder(&b);
	assert_false(b.has_mynumber);
	assert_string_equal(b.mynumber, "");
	/* one transaction around everything, ended with a reset */
	assert_int_equal(fake_apdu_begins(t), 1);
	assert_int_equal(fake_apdu_ends(t), 1);
	assert_int_equal(fake_apdu_resets(t), 1);
	assert_int_equal(fake_apdu_outside_tx(t), 0);
	card_basic4_wipe(&b);
	assert_wiped(&b);
	apdu_close(t);
}

static void
test_card_read_with_mynumber_reads_ef_0001_too(void **state)
{
	static const struct fake_apdu_step s[] = {
		{ SEL_AP, "9000" }, { SEL_PIN, "9000" }, { QUERY, "63C3" },
		{ VERIFY(PIN_HEX), "9000" }, { SEL_B4, "9000" },
		{ READ_HEAD, REC_HEAD "9000" }, { "00B000084E", REC_REST "9000" },
		{ SEL_MN, "9000" },
		{ "00B000000F", "FF100C313233343536373839303138 9000" },
	};
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	fake_apdu_new(&t, s, ARRAY_SIZE(s));
	assert_int_equal(card_read_basic4(t, PIN, CARD_READ_MYNUMBER, &tries,
	    &b, &err), K_OK);
	assert_null(fake_apdu_mismatch(t));
	assert_int_equal(fake_apdu_calls(t), 9);
	assert_holder(&b);
	assert_true(b.has_mynumber);
	assert_string_equal(b.mynumber, "123456789018");
	apdu_close(t);
}

static void
test_card_read_refuses_a_bad_mynumber_and_wipes_everything(void **state)
{
	static const struct fake_apdu_step s[] = {
		{ SEL_AP, "9000" }, { SEL_PIN, "9000" }, { QUERY, "63C3" },
		{ VERIFY(PIN_HEX), "9000" }, { SEL_B4, "9000" },
		{ READ_HEAD, REC_HEAD "9000" }, { "00B000084E", REC_REST "9000" },
		{ SEL_MN, "9000" },
		{ "00B000000F", "FF100C313233343536373839303137 9000" },
	};
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	fake_apdu_new(&t, s, ARRAY_SIZE(s));
	assert_int_equal(card_read_basic4(t, PIN, CARD_READ_MYNUMBER, &tries,
	    &b, &err), K_EPARSE);
	assert_non_null(strstr(err.msg, "check digit"));
	assert_wiped(&b);
	assert_int_equal(fake_apdu_resets(t), 1);
	apdu_close(t);
}

static void
test_card_read_refuses_a_pin_that_is_not_4_digits_before_sending(void **state)
{
	static const char *const bad[] = { "", "123", "12345", "12a4", " 123",
	    "123\n", "１２３４", "12 4" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad) + 1; i++) {
		struct apdu *t;
		struct card_basic4 b;
		struct kerr err;
		int tries = 7;

		memset(&b, 1, sizeof(b));
		fake_apdu_new(&t, script_ok, ARRAY_SIZE(script_ok));
		assert_int_equal(card_read_basic4(t,
		    i < ARRAY_SIZE(bad) ? bad[i] : NULL, 0, &tries, &b, &err),
		    K_EINVAL);
		assert_int_equal(fake_apdu_calls(t), 0);
		assert_int_equal(fake_apdu_begins(t), 0);
		assert_int_equal(tries, -1);
		assert_wiped(&b);
		assert_non_null(strstr(err.msg, "exactly 4 digits"));
		apdu_close(t);
	}
	assert_true(card_pin_format_ok("0000"));
	assert_true(card_pin_format_ok("9999"));
}

/*
 * Every status word of the spec's table, at the command where it can come.
 * Replies are given for calls 1..n (commands not checked here: the exact
 * bytes are the first test's job).
 */
struct sw_row {
	const char *what;
	const char *replies[12];
	int rc;
	int calls;		/* commands sent in all */
	int tries;		/* *tries_out afterwards */
	int verifies;		/* VERIFY commands carrying a PIN */
	const char *msg;
};

#define R_AP_PIN_Q	"9000", "9000", "63C3"
#define R_TO_VERIFY	R_AP_PIN_Q, "9000"
#define R_TO_READ	R_TO_VERIFY, "9000"

static const struct sw_row sw_rows[] = {
	/* SELECT AP */
	{ "SELECT AP 6A82: not a My Number card", { "6A82" }, K_ENOTMINE, 1, -1, 0, "not a My Number card" },
	{ "SELECT AP 6D00: not a My Number card", { "6D00" }, K_ENOTMINE, 1, -1, 0, "not a My Number card" },
	{ "SELECT AP 6E00: not a My Number card", { "6E00" }, K_ENOTMINE, 1, -1, 0, "not a My Number card" },
	{ "SELECT AP 6A86: not a My Number card", { "6A86" }, K_ENOTMINE, 1, -1, 0, "answered 6A86" },
	{ "SELECT AP 6881: not a My Number card", { "6881" }, K_ENOTMINE, 1, -1, 0, "answered 6881" },
	{ "SELECT AP 6882: not a My Number card", { "6882" }, K_ENOTMINE, 1, -1, 0, "answered 6882" },
	{ "SELECT AP 6F00 twice: card error", { "6F00", "6F00" }, K_EIO, 2, -1, 0, "internal error" },
	{ "SELECT AP 6F00 once is retried", { "6F00", R_TO_READ, REC_HEAD "9000", REC_REST "9000" }, K_OK, 8, 3, 1, NULL },
	{ "SELECT AP odd SW", { "6A88" }, K_EFAIL, 1, -1, 0, "unexpected status word 6A88" },
	/* SELECT PIN EF */
	{ "SELECT EF 6A82: unsupported card", { "9000", "6A82" }, K_ENOTMINE, 2, -1, 0, "file 0011 is missing" },
	{ "SELECT EF 6A86: bug", { "9000", "6A86" }, K_EFAIL, 2, -1, 0, "wrong P1-P2" },
	{ "SELECT EF 6700: bug", { "9000", "6700" }, K_EFAIL, 2, -1, 0, "wrong length" },
	/* tries query */
	{ "query 63C0: blocked, no VERIFY", { "9000", "9000", "63C0" }, K_EBLOCKED, 3, 0, 0, "blocked" },
	{ "query 6984: blocked, no VERIFY", { "9000", "9000", "6984" }, K_EBLOCKED, 3, 0, 0, "blocked" },
	{ "query 6983: blocked, no VERIFY", { "9000", "9000", "6983" }, K_EBLOCKED, 3, 0, 0, "blocked" },
	{ "query 9000: tries unknown, no VERIFY", { "9000", "9000", "9000" }, K_EFAIL, 3, -1, 0, "did not report the PIN tries" },
	{ "query 6986: no current EF", { "9000", "9000", "6986" }, K_EFAIL, 3, -1, 0, "no current file" },
	{ "query 63C1 then a good PIN", { "9000", "9000", "63C1", "9000", "9000", REC_HEAD "9000", REC_REST "9000" }, K_OK, 7, 3, 1, NULL },
	/* VERIFY */
	{ "VERIFY 63C2: wrong PIN, 2 left", { R_AP_PIN_Q, "63C2" }, K_EPIN, 4, 2, 1, "2 tries left" },
	{ "VERIFY 63C1: wrong PIN, 1 left", { R_AP_PIN_Q, "63C1" }, K_EPIN, 4, 1, 1, "1 try left" },
	{ "VERIFY 63C0: wrong PIN, now blocked", { R_AP_PIN_Q, "63C0" }, K_EBLOCKED, 4, 0, 1, "now blocked" },
	{ "VERIFY 6984: blocked", { R_AP_PIN_Q, "6984" }, K_EBLOCKED, 4, 0, 1, "blocked" },
	{ "VERIFY 6983: blocked", { R_AP_PIN_Q, "6983" }, K_EBLOCKED, 4, 0, 1, "blocked" },
	{ "VERIFY 6F00: not retried, tries re-read", { R_AP_PIN_Q, "6F00", "63C2" }, K_EIO, 5, 2, 1, "internal error" },
	{ "VERIFY 6700: tries re-read", { R_AP_PIN_Q, "6700", "63C3" }, K_EFAIL, 5, 3, 1, "wrong length" },
	{ "VERIFY 6Cxx: never resent", { R_AP_PIN_Q, "6C04", "63C3" }, K_EFAIL, 5, 3, 1, "unexpected status word 6C04" },
	{ "VERIFY 6986: no current EF", { R_AP_PIN_Q, "6986", "6986" }, K_EFAIL, 5, -1, 1, "no current file" },
	{ "VERIFY 6882: secure messaging", { R_AP_PIN_Q, "6882", "63C3" }, K_EFAIL, 5, 3, 1, "secure messaging" },
	/* SELECT EF 0002 */
	{ "SELECT EF 0002 6A82", { R_TO_VERIFY, "6A82" }, K_ENOTMINE, 5, 3, 1, "file 0002 is missing" },
	/* READ BINARY */
	{ "READ 6982: security status", { R_TO_READ, "6982" }, K_EAUTH, 6, 3, 1, "security status not satisfied" },
	{ "READ 6B00 at offset 0", { R_TO_READ, "6B00" }, K_EPARSE, 6, 3, 1, "offset beyond the end" },
	{ "READ 6986", { R_TO_READ, "6986" }, K_EFAIL, 6, 3, 1, "no current file" },
	{ "READ 6D00", { R_TO_READ, "6D00" }, K_EFAIL, 6, 3, 1, "instruction not supported" },
	{ "READ 6E00", { R_TO_READ, "6E00" }, K_EFAIL, 6, 3, 1, "class not supported" },
	{ "READ 6881", { R_TO_READ, "6881" }, K_EFAIL, 6, 3, 1, "logical channel" },
	{ "READ 6700", { R_TO_READ, "6700" }, K_EFAIL, 6, 3, 1, "wrong length" },
	{ "READ 6A86", { R_TO_READ, "6A86" }, K_EFAIL, 6, 3, 1, "wrong P1-P2" },
	{ "READ 6F00 once is retried", { R_TO_READ, "6F00", REC_HEAD "9000", REC_REST "9000" }, K_OK, 8, 3, 1, NULL },
	{ "READ header 6282 short: truncated", { R_TO_READ, "FF2053DF21 6282" }, K_EPARSE, 6, 3, 1, "truncated" },
	{ "READ rest 6B00: truncated", { R_TO_READ, REC_HEAD "9000", "6B00" }, K_EPARSE, 7, 3, 1, "truncated" },
	{ "READ rest 6282 with all the data", { R_TO_READ, REC_HEAD "9000", REC_REST "6282" }, K_OK, 7, 3, 1, NULL },
	{ "READ rest in two parts", { R_TO_READ, REC_HEAD "9000", "001D00470052 9000", "DF220CE697ADE38080E5A4AAE9838E"
	  "DF2327E58D83E89189E79C8CE697ADE5B882E4BA8CE381AEEFBC91EFBC99EFBC92EFBC90E795AAE59CB0"
	  "DF24083139383030343031DF250131 9000" }, K_OK, 8, 3, 1, NULL },
	{ "READ rest answers nothing: truncated", { R_TO_READ, REC_HEAD "9000", "9000" }, K_EPARSE, 7, 3, 1, "truncated" },
	{ "READ record tag not FF20", { R_TO_READ, "FF2153DF2108000E 9000", REC_REST "9000" }, K_EPARSE, 7, 3, 1, "not FF20" },
	{ "READ header malformed", { R_TO_READ, "FF2084000000 9000" }, K_EPARSE, 6, 3, 1, "length field too long" },
	{ "READ record too large", { R_TO_READ, "FF20831000000000 9000" }, K_EPARSE, 6, 3, 1, "larger than" },
	/* T=0 conventions, handled below the protocol */
	{ "61xx: GET RESPONSE fetches the data", { R_TO_READ, "6108", REC_HEAD "9000", REC_REST "9000" }, K_OK, 8, 3, 1, NULL },
	{ "6Cxx: resent with the right Le", { R_TO_READ, "6C08", REC_HEAD "9000", REC_REST "9000" }, K_OK, 8, 3, 1, NULL },
};

static void
test_card_read_maps_every_status_word(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sw_rows); i++) {
		const struct sw_row *r = &sw_rows[i];
		struct fake_apdu_step steps[12];
		struct apdu *t;
		struct card_basic4 b;
		struct kerr err;
		int n, tries = -9, rc;

		for (n = 0; n < 12 && r->replies[n] != NULL; n++) {
			steps[n].expect_hex = NULL;
			steps[n].reply_hex = r->replies[n];
		}
		kerr_clear(&err);
		fake_apdu_new(&t, steps, (size_t)n);
		rc = card_read_basic4(t, PIN, 0, &tries, &b, &err);
		if (rc != r->rc || fake_apdu_calls(t) != r->calls ||
		    tries != r->tries || fake_apdu_verifies(t) != r->verifies)
			fail_msg("row \"%s\": rc %s calls %d tries %d verifies %d"
			    " (want %s %d %d %d): %s", r->what, kerr_name(rc),
			    fake_apdu_calls(t), tries, fake_apdu_verifies(t),
			    kerr_name(r->rc), r->calls, r->tries, r->verifies,
			    err.msg);
		if (rc == K_OK)
			assert_holder(&b);
		else
			assert_wiped(&b);
		if (r->msg != NULL && strstr(err.msg, r->msg) == NULL)
			fail_msg("row \"%s\": message \"%s\" lacks \"%s\"",
			    r->what, err.msg, r->msg);
		assert_clean_msg(&err);
		assert_int_equal(fake_apdu_begins(t), 1);
		assert_int_equal(fake_apdu_ends(t), 1);
		assert_int_equal(fake_apdu_outside_tx(t), 0);
		apdu_close(t);
	}
}

static void
test_card_read_gives_up_on_endless_61xx(void **state)
{
	struct fake_apdu_step s[40];
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int i, tries;

	(void)state;
	for (i = 0; i < 40; i++) {
		s[i].expect_hex = NULL;
		s[i].reply_hex = i < 5 ? (i == 2 ? "63C3" : "9000") : "6101";
	}
	fake_apdu_new(&t, s, ARRAY_SIZE(s));
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_EFAIL);
	assert_non_null(strstr(err.msg, "61xx"));
	assert_int_equal(fake_apdu_calls(t), 5 + 1 + 16);
	apdu_close(t);
}

static void
test_apdu_6cxx_resends_with_the_new_le_and_61xx_fetches_the_rest(void **state)
{
	static const struct fake_apdu_step s[] = {
		{ SEL_AP, "9000" }, { SEL_PIN, "9000" }, { QUERY, "63C3" },
		{ VERIFY(PIN_HEX), "9000" }, { SEL_B4, "9000" },
		{ READ_HEAD, "6C08" },
		{ "00B0000008", "FF2053DF 6104" },
		{ "00C0000004", "2108000E 9000" },
		{ "00B000084E", REC_REST "9000" },
	};
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	fake_apdu_new(&t, s, ARRAY_SIZE(s));
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_OK);
	assert_null(fake_apdu_mismatch(t));
	assert_int_equal(fake_apdu_calls(t), 9);
	assert_holder(&b);
	apdu_close(t);
}

/* Transport failures (PC/SC errors arrive as these codes). */
static void
test_card_read_passes_transport_errors_through(void **state)
{
	static const int codes[] = { K_EREMOVED, K_ENODEV, K_ENOCARD, K_EBUSY,
	    K_ETIMEOUT, K_ENOTMINE, K_EFAIL };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		struct apdu *t;
		struct card_basic4 b;
		struct kerr err;
		int tries;

		fake_apdu_new(&t, script_ok, ARRAY_SIZE(script_ok));
		fake_apdu_fail_at(t, 1, codes[i], true);
		assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err),
		    codes[i]);
		assert_int_equal(err.code, codes[i]);
		assert_int_equal(fake_apdu_calls(t), 1);
		assert_wiped(&b);
		apdu_close(t);
	}
}

static const uint8_t *
holder_file(size_t *len)
{
	static uint8_t buf[300];
	size_t n = fake_basic4_record(buf, sizeof(buf), "旭　太郎",
	    "千葉県旭市二の１９２０番地", "19800401", "1");

	memset(buf + n, 0xFF, sizeof(buf) - n);	/* physical filler */
	*len = n + 40;
	return buf;
}

static void
new_card(struct apdu **t, int tries, bool mynumber_ap)
{
	struct fake_card c;
	static uint8_t mn[17];

	memset(&c, 0, sizeof(c));
	c.mynumber_ap = mynumber_ap;
	c.pin = PIN;
	c.tries = tries;
	c.ef0002 = holder_file(&c.ef0002_len);
	c.ef0001_len = fake_mynumber_record(mn, sizeof(mn), "123456789018");
	c.ef0001 = mn;
	fake_apdu_card(t, &c);
}

static void
test_card_pulled_after_each_apdu_is_clean_and_spends_no_try(void **state)
{
	int pos;

	(void)state;
	for (pos = 1; pos <= 9; pos++) {
		struct apdu *t;
		struct card_basic4 b;
		struct kerr err;
		int tries = -9, rc;

		new_card(&t, 3, true);
		fake_apdu_fail_at(t, pos, K_EREMOVED, true);
		rc = card_read_basic4(t, PIN, CARD_READ_MYNUMBER, &tries, &b,
		    &err);
		assert_int_equal(rc, K_EREMOVED);
		assert_int_equal(fake_apdu_calls(t), pos);	/* no retry */
		assert_wiped(&b);
		assert_int_equal(fake_apdu_card_tries(t), 3);
		assert_true(fake_apdu_verifies(t) <= 1);
		assert_int_equal(fake_apdu_ends(t), 1);
		/* tries known once the query answered */
		assert_int_equal(tries, pos <= 4 ? -1 : 3);
		apdu_close(t);
	}
}

static void
test_card_wrong_pin_counts_down_then_blocks_and_stops_verifying(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	new_card(&t, 3, true);
	assert_int_equal(card_read_basic4(t, "0000", 0, &tries, &b, &err), K_EPIN);
	assert_int_equal(tries, 2);
	assert_non_null(strstr(err.msg, "2 tries left"));
	assert_int_equal(card_read_basic4(t, "0000", 0, &tries, &b, &err), K_EPIN);
	assert_int_equal(tries, 1);
	assert_non_null(strstr(err.msg, "1 try left"));
	assert_int_equal(card_read_basic4(t, "0000", 0, &tries, &b, &err), K_EBLOCKED);
	assert_int_equal(tries, 0);
	assert_int_equal(fake_apdu_verifies(t), 3);
	/* blocked now: even the right PIN is not sent */
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_EBLOCKED);
	assert_int_equal(tries, 0);
	assert_int_equal(fake_apdu_verifies(t), 3);
	assert_wiped(&b);
	assert_int_equal(card_pin_tries(t, &tries, &err), K_EBLOCKED);
	assert_int_equal(tries, 0);
	apdu_close(t);
}

static void
test_card_good_pin_after_a_wrong_one_resets_the_count(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	new_card(&t, 3, true);
	assert_int_equal(card_read_basic4(t, "0000", 0, &tries, &b, &err), K_EPIN);
	assert_int_equal(card_pin_tries(t, &tries, &err), K_OK);
	assert_int_equal(tries, 2);
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_OK);
	assert_int_equal(tries, 3);
	assert_holder(&b);
	assert_int_equal(card_pin_tries(t, &tries, &err), K_OK);
	assert_int_equal(tries, 3);
	apdu_close(t);
}

static void
test_card_already_blocked_sends_no_verify(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	new_card(&t, 0, true);
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_EBLOCKED);
	assert_int_equal(tries, 0);
	assert_int_equal(fake_apdu_verifies(t), 0);
	assert_int_equal(fake_apdu_calls(t), 3);
	apdu_close(t);
}

static void
test_card_keep_last_try_sends_no_verify_at_one_try_left(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	new_card(&t, 1, true);
	assert_int_equal(card_read_basic4(t, PIN, CARD_READ_KEEP_LAST_TRY,
	    &tries, &b, &err), K_ELASTTRY);
	assert_int_equal(tries, 1);
	assert_non_null(strstr(err.msg, "not sent"));
	assert_string_equal(kerr_name(K_ELASTTRY), "K_ELASTTRY");
	assert_int_equal(fake_apdu_verifies(t), 0);
	assert_wiped(&b);
	assert_int_equal(card_pin_tries(t, &tries, &err), K_OK);
	assert_int_equal(tries, 1);
	/* the protocol itself still can (the office's own tools do) */
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_OK);
	assert_int_equal(fake_apdu_verifies(t), 1);
	apdu_close(t);

	/* with 2 tries left the flag changes nothing */
	new_card(&t, 2, true);
	assert_int_equal(card_read_basic4(t, "0000", CARD_READ_KEEP_LAST_TRY,
	    &tries, &b, &err), K_EPIN);
	assert_int_equal(tries, 1);
	assert_int_equal(fake_apdu_verifies(t), 1);
	assert_int_equal(card_read_basic4(t, PIN, CARD_READ_KEEP_LAST_TRY,
	    &tries, &b, &err), K_ELASTTRY);
	assert_int_equal(fake_apdu_verifies(t), 1);
	apdu_close(t);
}

static void
test_card_other_card_is_not_mine(void **state)
{
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	new_card(&t, 3, false);
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_ENOTMINE);
	assert_int_equal(fake_apdu_calls(t), 1);
	assert_int_equal(card_pin_tries(t, &tries, &err), K_ENOTMINE);
	assert_int_equal(tries, -1);
	apdu_close(t);
}

static void
test_card_pin_tries_uses_the_empty_verify_only(void **state)
{
	static const struct fake_apdu_step s[] = {
		{ SEL_AP, "9000" }, { SEL_PIN, "9000" }, { QUERY, "63C2" },
	};
	struct apdu *t;
	struct kerr err;
	int tries;

	(void)state;
	fake_apdu_new(&t, s, ARRAY_SIZE(s));
	assert_int_equal(card_pin_tries(t, &tries, &err), K_OK);
	assert_null(fake_apdu_mismatch(t));
	assert_int_equal(tries, 2);
	assert_int_equal(fake_apdu_verifies(t), 0);
	assert_int_equal(fake_apdu_resets(t), 0);
	apdu_close(t);
}

static void
test_card_reads_a_long_record_in_several_short_apdus(void **state)
{
	char addr[700];
	uint8_t file[1024];
	struct fake_card c;
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	size_t n, i;
	int tries;

	(void)state;
	addr[0] = '\0';
	for (i = 0; i < 20; i++)
		strcat(addr, "旭市二の１９２０番地");	/* 30 bytes each */
	n = fake_basic4_record(file, sizeof(file), "𠮷田　花子", addr,
	    "19991231", "2");
	assert_true(n > 600);
	memset(&c, 0, sizeof(c));
	c.mynumber_ap = true;
	c.pin = PIN;
	c.tries = 3;
	c.ef0002 = file;
	c.ef0002_len = n;
	fake_apdu_card(&t, &c);
	assert_int_equal(card_read_basic4(t, PIN, 0, &tries, &b, &err), K_OK);
	assert_string_equal(b.address, addr);
	assert_string_equal(b.name_family, "𠮷田");
	assert_string_equal(b.sex, "2");
	/* 5 + header + ceil((n - 8) / 255) reads, each with its offset */
	assert_int_equal(fake_apdu_calls(t), (int)(6 + (n - 8 + 254) / 255));
	assert_string_equal(fake_apdu_sent(t, 6), "00B00008FF");
	{
		char want[16];
		snprintf(want, sizeof(want), "00B0%04X", 8 + 255);
		assert_memory_equal(fake_apdu_sent(t, 7), want, 8);
	}
	apdu_close(t);
}

/* Debug logs (KIOSK_DEBUG) show command headers, never the PIN or data. */
static void
test_card_debug_log_carries_no_pin_or_personal_data(void **state)
{
	char path[64], line[512];
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	FILE *fp;
	int tries, saved, lines = 0;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_card_log.%d", (int)getpid());
	fflush(stderr);
	saved = dup(2);
	assert_non_null(freopen(path, "w", stderr));
	setenv("KIOSK_DEBUG", "1", 1);
	new_card(&t, 3, true);
	assert_int_equal(card_read_basic4(t, PIN, CARD_READ_MYNUMBER, &tries,
	    &b, &err), K_OK);
	assert_int_equal(card_read_basic4(t, "0000", 0, &tries, &b, &err), K_EPIN);
	apdu_close(t);
	unsetenv("KIOSK_DEBUG");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lines++;
		assert_null(strstr(line, PIN));
		assert_null(strstr(line, PIN_HEX));
		assert_null(strstr(line, "30303030"));
		assert_null(strstr(line, "旭"));
		assert_null(strstr(line, "1980"));
		assert_null(strstr(line, "123456789018"));
	}
	fclose(fp);
	unlink(path);
	assert_true(lines >= 9);	/* the trace was on */
}

static void
test_card_fuzz_transport_never_crashes_on_short_inputs(void **state)
{
	uint8_t data[64];
	size_t len, i;

	(void)state;
	/* every prefix of a good exchange, then garbage */
	len = (size_t)fake_hex("02 9000 02 9000 02 63C3 02 9000 02 9000 "
	    "0A FF2053DF2108000E 9000 FF 00 03 6101", data, sizeof(data));
	for (i = 0; i <= len; i++) {
		struct apdu *t;
		struct card_basic4 b;
		struct kerr err;
		int tries;

		fake_apdu_from_fuzz(&t, data, i);
		assert_int_not_equal(card_read_basic4(t, PIN, 0, &tries, &b,
		    &err), K_OK);
		assert_wiped(&b);
		apdu_close(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_card_read_sends_the_spec_sequence_in_7_apdus),
		cmocka_unit_test(test_card_read_with_mynumber_reads_ef_0001_too),
		cmocka_unit_test(test_card_read_refuses_a_bad_mynumber_and_wipes_everything),
		cmocka_unit_test(test_card_read_refuses_a_pin_that_is_not_4_digits_before_sending),
		cmocka_unit_test(test_card_read_maps_every_status_word),
		cmocka_unit_test(test_card_read_gives_up_on_endless_61xx),
		cmocka_unit_test(test_apdu_6cxx_resends_with_the_new_le_and_61xx_fetches_the_rest),
		cmocka_unit_test(test_card_read_passes_transport_errors_through),
		cmocka_unit_test(test_card_pulled_after_each_apdu_is_clean_and_spends_no_try),
		cmocka_unit_test(test_card_wrong_pin_counts_down_then_blocks_and_stops_verifying),
		cmocka_unit_test(test_card_good_pin_after_a_wrong_one_resets_the_count),
		cmocka_unit_test(test_card_already_blocked_sends_no_verify),
		cmocka_unit_test(test_card_keep_last_try_sends_no_verify_at_one_try_left),
		cmocka_unit_test(test_card_other_card_is_not_mine),
		cmocka_unit_test(test_card_pin_tries_uses_the_empty_verify_only),
		cmocka_unit_test(test_card_reads_a_long_record_in_several_short_apdus),
		cmocka_unit_test(test_card_debug_log_carries_no_pin_or_personal_data),
		cmocka_unit_test(test_card_fuzz_transport_never_crashes_on_short_inputs),
	};

	return cmocka_run_group_tests_name("card", tests, NULL, NULL);
}
