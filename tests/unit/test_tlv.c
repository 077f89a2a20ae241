/*
 * test_tlv.c - the BER-TLV cursor and the EF 0002 / EF 0001 record parsers,
 * one row per byte pattern (cf. OpenSC's simpletlv torture rows).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "card.h"
#include "fakes/fake_apdu.h"
#include "tlv.h"
#include "utf8.h"

/* ---- tlv_next ---------------------------------------------------------- */

struct tlv_row {
	const char *what;
	const char *hex;
	int rc;
	unsigned tag;
	size_t len;
	size_t hdr_len;
	const char *msg;	/* substring of the error message */
};

static const struct tlv_row tlv_rows[] = {
	{ "one-byte tag, short length", "04 02 41 42", K_OK, 0x04, 2, 2, NULL },
	{ "two-byte private tag", "DF 22 01 41", K_OK, 0xDF22, 1, 3, NULL },
	{ "constructed FF 20", "FF 20 00", K_OK, 0xFF20, 0, 3, NULL },
	{ "three-byte tag", "DF 81 22 01 00", K_OK, 0xDF8122, 1, 4, NULL },
	{ "long form 81 xx", "DF 22 81 03 41 42 43", K_OK, 0xDF22, 3, 4, NULL },
	{ "long form 82 xx xx", "DF 22 82 00 02 41 42", K_OK, 0xDF22, 2, 5, NULL },
	{ "long form 83 xx xx xx", "DF 22 83 00 00 01 41", K_OK, 0xDF22, 1, 6, NULL },
	{ "empty input is the end", "", K_ENOTFOUND, 0, 0, 0, NULL },
	{ "filler 00 is the end", "00 00 00 00", K_ENOTFOUND, 0, 0, 0, NULL },
	{ "filler FF is the end", "FF FF FF FF FF", K_ENOTFOUND, 0, 0, 0, NULL },
	{ "mixed 00/FF filler is the end", "FF 00 FF", K_ENOTFOUND, 0, 0, 0, NULL },
	{ "tag byte only", "DF", K_EPARSE, 0, 0, 0, "tag cut short" },
	{ "tag without length", "DF 22", K_EPARSE, 0, 0, 0, "length missing" },
	{ "value truncated", "DF 22 05 41 42", K_EPARSE, 0, 0, 0, "runs past the end" },
	{ "over-long length", "DF 22 7F 41", K_EPARSE, 0, 0, 0, "runs past the end" },
	{ "long-form length cut short", "DF 22 82 00", K_EPARSE, 0, 0, 0, "length cut short" },
	{ "long-form length past the end", "DF 22 81 FF 41", K_EPARSE, 0, 0, 0, "runs past the end" },
	{ "4-byte length field refused", "DF 22 84 00 00 00 01 41", K_EPARSE, 0, 0, 0, "length field too long" },
	{ "huge 83 length refused", "DF 22 83 FF FF FF 41", K_EPARSE, 0, 0, 0, "runs past the end" },
	{ "indefinite length refused", "FF 20 80 00 00", K_EPARSE, 0, 0, 0, "indefinite" },
	{ "tag longer than 3 bytes", "DF 81 82 03 01 00", K_EPARSE, 0, 0, 0, "longer than 3" },
};

static void
test_tlv_next_reads_each_row_as_expected(void **state)
{
	uint8_t buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(tlv_rows); i++) {
		const struct tlv_row *r = &tlv_rows[i];
		const uint8_t *cur = buf;
		struct tlv t;
		struct kerr err;
		int n = fake_hex(r->hex, buf, sizeof(buf)), rc;

		kerr_clear(&err);
		assert_true(n >= 0);
		rc = tlv_next(&cur, buf + n, buf, &t, &err);
		if (rc != r->rc)
			fail_msg("row \"%s\": rc %s, want %s (%s)", r->what,
			    kerr_name(rc), kerr_name(r->rc), err.msg);
		if (rc == K_OK) {
			assert_int_equal(t.tag, r->tag);
			assert_int_equal(t.len, r->len);
			assert_int_equal(t.hdr_len, r->hdr_len);
			assert_ptr_equal(t.val, buf + r->hdr_len);
			assert_ptr_equal(cur, buf + r->hdr_len + r->len);
		} else {
			assert_ptr_equal(cur, buf);	/* cursor not moved */
			assert_null(t.val);
			assert_int_equal(t.len, 0);
		}
		if (r->msg != NULL && strstr(err.msg, r->msg) == NULL)
			fail_msg("row \"%s\": message \"%s\" lacks \"%s\"",
			    r->what, err.msg, r->msg);
	}
}

static void
test_tlv_next_walks_siblings_then_stops_at_filler(void **state)
{
	uint8_t buf[32];
	const uint8_t *cur = buf, *end;
	struct tlv t;
	int n;

	(void)state;
	n = fake_hex("DF21 01 AA  DF22 02 BB CC  FF FF 00", buf, sizeof(buf));
	end = buf + n;
	assert_int_equal(tlv_next(&cur, end, buf, &t, NULL), K_OK);
	assert_int_equal(t.tag, 0xDF21);
	assert_int_equal(tlv_next(&cur, end, buf, &t, NULL), K_OK);
	assert_int_equal(t.tag, 0xDF22);
	assert_int_equal(t.val[1], 0xCC);
	assert_int_equal(tlv_next(&cur, end, buf, &t, NULL), K_ENOTFOUND);
	assert_int_equal(tlv_next(&cur, end, buf, &t, NULL), K_ENOTFOUND);
}

static void
test_tlv_find_finds_a_sibling_or_says_not_found(void **state)
{
	uint8_t buf[32];
	struct tlv t;
	struct kerr err;
	int n;

	(void)state;
	n = fake_hex("DF21 01 AA DF23 01 BB", buf, sizeof(buf));
	assert_int_equal(tlv_find(buf, (size_t)n, 0xDF23, &t, &err), K_OK);
	assert_int_equal(t.val[0], 0xBB);
	assert_int_equal(tlv_find(buf, (size_t)n, 0xDF24, &t, &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "DF24"));
	n = fake_hex("DF21 01 AA DF23 05 BB", buf, sizeof(buf));
	assert_int_equal(tlv_find(buf, (size_t)n, 0xDF23, &t, &err), K_EPARSE);
}

static void
test_tlv_header_reads_a_header_whose_value_is_not_there_yet(void **state)
{
	uint8_t buf[8];
	struct tlv t;
	int n;

	(void)state;
	n = fake_hex("FF 20 82 01 2C DF 21 08", buf, sizeof(buf));
	assert_int_equal(tlv_header(buf, (size_t)n, &t, NULL), K_OK);
	assert_int_equal(t.tag, 0xFF20);
	assert_true(t.constructed);
	assert_int_equal(t.len, 300);
	assert_int_equal(t.hdr_len, 5);
	assert_int_equal(tlv_header(buf, 3, &t, NULL), K_EPARSE);
}

/* ---- UTF-8 ------------------------------------------------------------- */

struct utf8_row { const char *what, *hex; bool ok; };

static const struct utf8_row utf8_rows[] = {
	{ "ASCII", "41 42 43", true },
	{ "kanji 旭", "E6 97 AD", true },
	{ "ideographic space", "E3 80 80", true },
	{ "4-byte 𠮷 (U+20BB7)", "F0 A0 AE B7", true },
	{ "IVS: 葛 + U+E0100", "E8 91 9B F3 A0 84 80", true },
	{ "U+10FFFF", "F4 8F BF BF", true },
	{ "overlong NUL C0 80", "C0 80", false },
	{ "overlong 3-byte", "E0 80 AF", false },
	{ "overlong 4-byte", "F0 80 80 AF", false },
	{ "surrogate D800", "ED A0 80", false },
	{ "above U+10FFFF", "F4 90 80 80", false },
	{ "F5 lead byte", "F5 80 80 80", false },
	{ "stray continuation", "80", false },
	{ "4-byte cut short", "F0 A0 AE", false },
	{ "bad continuation", "E6 41 AD", false },
};

static void
test_tlv_utf8_accepts_4_byte_and_ivs_and_refuses_malformed(void **state)
{
	uint8_t buf[16];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(utf8_rows); i++) {
		int n = fake_hex(utf8_rows[i].hex, buf, sizeof(buf));

		if (utf8_valid(buf, (size_t)n) != utf8_rows[i].ok)
			fail_msg("utf8 row \"%s\"", utf8_rows[i].what);
	}
}

/* ---- EF 0002 records ---------------------------------------------------- */

/* The worked example of the spec §6: 旭　太郎, 1980-04-01, male. */
static const char spec_example[] =
    "FF 20 53 DF 21 08 00 0E 00 1D 00 47 00 52"
    "DF 22 0C E6 97 AD E3 80 80 E5 A4 AA E9 83 8E"
    "DF 23 27 E5 8D 83 E8 91 89 E7 9C 8C E6 97 AD E5 B8 82 E4 BA 8C E3 81 AE"
    "EF BC 91 EF BC 99 EF BC 92 EF BC 90 E7 95 AA E5 9C B0"
    "DF 24 08 31 39 38 30 30 34 30 31"
    "DF 25 01 31";

static void
test_parse_basic4_reads_the_spec_example(void **state)
{
	uint8_t buf[256];
	struct card_basic4 b;
	struct kerr err;
	int n;

	(void)state;
	n = fake_hex(spec_example, buf, sizeof(buf));
	assert_int_equal(n, 86);
	assert_int_equal(card_parse_basic4(buf, (size_t)n, &b, &err), K_OK);
	assert_string_equal(b.name, "旭　太郎");
	assert_string_equal(b.name_family, "旭");
	assert_string_equal(b.name_given, "太郎");
	assert_string_equal(b.address, "千葉県旭市二の１９２０番地");
	assert_string_equal(b.birth, "1980-04-01");
	assert_string_equal(b.sex, "1");
	assert_false(b.has_mynumber);
	/* the builder used by the other tests makes the same bytes */
	{
		uint8_t built[256];
		size_t m = fake_basic4_record(built, sizeof(built), "旭　太郎",
		    "千葉県旭市二の１９２０番地", "19800401", "1");
		assert_int_equal(m, 86);
		assert_memory_equal(built, buf, 86);
	}
}

enum mutation {
	M_NONE,
	M_FILLER_FF,		/* 40 bytes of FF after the record */
	M_FILLER_00,		/* 40 bytes of 00 after the record */
	M_GARBAGE_AFTER,	/* 01 02 after the record */
	M_TRUNCATE_1,		/* last byte missing */
	M_TRUNCATE_HALF,
	M_OUTER_LONGER,		/* outer length +1 (runs past the end) */
	M_TABLE_OFF,		/* offset table entry 2 off by one */
	M_TABLE_SHORT,		/* DF21 of 6 bytes */
	M_OUTER_TAG,		/* FF 21 instead of FF 20 */
	M_DROP_SEX,		/* DF25 renamed DF26 (unknown, ignored) */
	M_DUP_NAME,		/* DF23 renamed DF22 */
	M_NO_TABLE,		/* DF21 renamed DF29 (unknown) */
	M_ONLY_FILLER,		/* the whole file is FF */
};

struct rec_row {
	const char *what;
	const char *name, *address, *birth, *sex;
	enum mutation m;
	int rc;
	const char *msg;	/* substring of the message, or name_family */
	const char *given;	/* expected name_given on success */
};

#define N_OK "旭　太郎"
#define A_OK "千葉県旭市二の１９２０番地"

static const struct rec_row rec_rows[] = {
	{ "plain record", N_OK, A_OK, "19800401", "1", M_NONE, K_OK, "旭", "太郎" },
	{ "filler FF after the record", N_OK, A_OK, "19800401", "1", M_FILLER_FF, K_OK, "旭", "太郎" },
	{ "filler 00 after the record", N_OK, A_OK, "19800401", "1", M_FILLER_00, K_OK, "旭", "太郎" },
	{ "4-byte UTF-8 𠮷 kept", "𠮷田　花子", A_OK, "19991231", "2", M_NONE, K_OK, "𠮷田", "花子" },
	{ "IVS selector kept", "葛\xF3\xA0\x84\x80飾　一郎", A_OK, "20000229", "1", M_NONE, K_OK, "葛\xF3\xA0\x84\x80飾", "一郎" },
	{ "name without U+3000 is not split", "JOHN SMITH", A_OK, "19700101", "9", M_NONE, K_OK, "", "" },
	{ "empty address accepted", N_OK, "", "19800401", "0", M_NONE, K_OK, "旭", "太郎" },
	{ "long address: long-form outer length",
	  N_OK, "千葉県旭市二の１９２０番地　あさひマンション１２３４号室　"
	  "千葉県旭市二の１９２０番地　あさひマンション１２３４号室　"
	  "千葉県旭市二の１９２０番地", "19800401", "1", M_NONE, K_OK, "旭", "太郎" },
	{ "sex under an unknown tag: missing", N_OK, A_OK, "19800401", "1", M_DROP_SEX, K_EPARSE, "sex (DF25) missing", NULL },
	{ "garbage after the record", N_OK, A_OK, "19800401", "1", M_GARBAGE_AFTER, K_EPARSE, "unexpected bytes after", NULL },
	{ "truncated by one byte", N_OK, A_OK, "19800401", "1", M_TRUNCATE_1, K_EPARSE, "runs past the end", NULL },
	{ "truncated by half", N_OK, A_OK, "19800401", "1", M_TRUNCATE_HALF, K_EPARSE, "runs past the end", NULL },
	{ "outer length over-long", N_OK, A_OK, "19800401", "1", M_OUTER_LONGER, K_EPARSE, "runs past the end", NULL },
	{ "offset table disagrees", N_OK, A_OK, "19800401", "1", M_TABLE_OFF, K_EPARSE, "offset table says address", NULL },
	{ "offset table of 6 bytes", N_OK, A_OK, "19800401", "1", M_TABLE_SHORT, K_EPARSE, "not 8", NULL },
	{ "offset table missing", N_OK, A_OK, "19800401", "1", M_NO_TABLE, K_EPARSE, "DF21) missing", NULL },
	{ "wrong outer tag", N_OK, A_OK, "19800401", "1", M_OUTER_TAG, K_EPARSE, "not FF20", NULL },
	{ "field twice", N_OK, A_OK, "19800401", "1", M_DUP_NAME, K_EPARSE, "appears twice", NULL },
	{ "file of filler only", N_OK, A_OK, "19800401", "1", M_ONLY_FILLER, K_EPARSE, "no record", NULL },
	{ "empty name", "", A_OK, "19800401", "1", M_NONE, K_EPARSE, "name (DF22) is empty", NULL },
	{ "overlong UTF-8 in the name", "\xC0\xAF", A_OK, "19800401", "1", M_NONE, K_EPARSE, "not valid UTF-8", NULL },
	{ "surrogate in the address", N_OK, "\xED\xA0\x80", "19800401", "1", M_NONE, K_EPARSE, "not valid UTF-8", NULL },
	{ "cut 4-byte character", "\xF0\xA0\xAE", A_OK, "19800401", "1", M_NONE, K_EPARSE, "not valid UTF-8", NULL },
	{ "control character in the name", "旭\n太郎", A_OK, "19800401", "1", M_NONE, K_EPARSE, "control character", NULL },
	{ "C1 control in the address", N_OK, "\xC2\x85", "19800401", "1", M_NONE, K_EPARSE, "control character", NULL },
	{ "birth of 7 digits", N_OK, A_OK, "1980041", "1", M_NONE, K_EPARSE, "birth date (DF24) is not a valid", NULL },
	{ "birth 30 February", N_OK, A_OK, "19800230", "1", M_NONE, K_EPARSE, "birth date (DF24) is not a valid", NULL },
	{ "birth 29 February in 1900", N_OK, A_OK, "19000229", "1", M_NONE, K_EPARSE, "birth date (DF24) is not a valid", NULL },
	{ "birth month 13", N_OK, A_OK, "19801301", "1", M_NONE, K_EPARSE, "birth date (DF24) is not a valid", NULL },
	{ "birth with a letter", N_OK, A_OK, "1980O401", "1", M_NONE, K_EPARSE, "birth date (DF24) is not a valid", NULL },
	{ "sex code 3", N_OK, A_OK, "19800401", "3", M_NONE, K_EPARSE, "sex (DF25) is not one of", NULL },
	{ "sex of 2 bytes", N_OK, A_OK, "19800401", "12", M_NONE, K_EPARSE, "sex (DF25) is not one of", NULL },
	{ "sex empty", N_OK, A_OK, "19800401", "", M_NONE, K_EPARSE, "sex (DF25) is not one of", NULL },
};

static size_t
find_tag(const uint8_t *buf, size_t n, uint8_t a, uint8_t b)
{
	size_t i;

	for (i = 3; i + 1 < n; i++)
		if (buf[i] == a && buf[i + 1] == b)
			return i;
	return 0;
}

static size_t
mutate(uint8_t *buf, size_t n, size_t cap, enum mutation m)
{
	size_t at;

	switch (m) {
	case M_NONE:
		break;
	case M_FILLER_FF:
	case M_FILLER_00:
		assert_true(n + 40 <= cap);
		memset(buf + n, m == M_FILLER_FF ? 0xFF : 0x00, 40);
		return n + 40;
	case M_GARBAGE_AFTER:
		buf[n] = 0x01;
		buf[n + 1] = 0x02;
		return n + 2;
	case M_TRUNCATE_1:
		return n - 1;
	case M_TRUNCATE_HALF:
		return n / 2;
	case M_OUTER_LONGER:
		buf[2]++;
		break;
	case M_TABLE_OFF:
		at = find_tag(buf, n, 0xDF, 0x21);
		buf[at + 3 + 3]++;	/* low byte of the address offset */
		break;
	case M_TABLE_SHORT:
		/* shrink DF21 to 6 bytes: drop its last two, fix lengths */
		at = find_tag(buf, n, 0xDF, 0x21);
		buf[at + 2] = 6;
		memmove(buf + at + 3 + 6, buf + at + 3 + 8, n - (at + 3 + 8));
		buf[2] -= 2;
		return n - 2;
	case M_OUTER_TAG:
		buf[1] = 0x21;
		break;
	case M_DROP_SEX:
		buf[find_tag(buf, n, 0xDF, 0x25) + 1] = 0x26;
		break;
	case M_DUP_NAME:
		buf[find_tag(buf, n, 0xDF, 0x23) + 1] = 0x22;
		break;
	case M_NO_TABLE:
		buf[find_tag(buf, n, 0xDF, 0x21) + 1] = 0x29;
		break;
	case M_ONLY_FILLER:
		memset(buf, 0xFF, n);
		break;
	}
	return n;
}

static void
test_parse_basic4_handles_every_record_row(void **state)
{
	uint8_t buf[2048];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rec_rows); i++) {
		const struct rec_row *r = &rec_rows[i];
		struct card_basic4 b;
		struct kerr err;
		size_t n;
		int rc;

		kerr_clear(&err);
		n = fake_basic4_record(buf, sizeof(buf) - 64, r->name,
		    r->address, r->birth, r->sex);
		assert_true(n > 0);
		n = mutate(buf, n, sizeof(buf), r->m);
		memset(&b, 0x5A, sizeof(b));
		rc = card_parse_basic4(buf, n, &b, &err);
		if (rc != r->rc)
			fail_msg("row \"%s\": rc %s, want %s (%s)", r->what,
			    kerr_name(rc), kerr_name(r->rc), err.msg);
		if (rc == K_OK) {
			char birth[11];

			assert_string_equal(b.name, r->name);
			assert_string_equal(b.address, r->address);
			assert_string_equal(b.name_family, r->msg);
			assert_string_equal(b.name_given, r->given);
			snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", r->birth,
			    r->birth + 4, r->birth + 6);
			assert_string_equal(b.birth, birth);
			assert_string_equal(b.sex, r->sex);
			continue;
		}
		/* failure: nothing half-read is left, the message says what */
		{
			static const struct card_basic4 zero;
			assert_memory_equal(&b, &zero, sizeof(b));
		}
		if (strstr(err.msg, r->msg) == NULL)
			fail_msg("row \"%s\": message \"%s\" lacks \"%s\"",
			    r->what, err.msg, r->msg);
		assert_non_null(strstr(err.msg, "EF 0002"));
		/* never personal data in the message */
		if (r->name[0] != '\0')
			assert_null(strstr(err.msg, r->name));
		if (r->address[0] != '\0')
			assert_null(strstr(err.msg, r->address));
		assert_null(strstr(err.msg, r->birth));
	}
}

static void
test_parse_basic4_takes_a_255_byte_name_and_refuses_256(void **state)
{
	uint8_t buf[1024];
	char name[300];
	struct card_basic4 b;
	struct kerr err;
	size_t n;

	(void)state;
	memset(name, 0, sizeof(name));
	for (n = 0; n < 85; n++)
		memcpy(name + 3 * n, "\xEF\xBC\xA1", 3);	/* Ａ x 85 = 255 bytes */
	n = fake_basic4_record(buf, sizeof(buf), name, A_OK, "19800401", "1");
	assert_int_equal(card_parse_basic4(buf, n, &b, &err), K_OK);
	assert_int_equal(strlen(b.name), 255);
	name[255] = 'A';
	n = fake_basic4_record(buf, sizeof(buf), name, A_OK, "19800401", "1");
	assert_int_equal(card_parse_basic4(buf, n, &b, &err), K_EPARSE);
	assert_non_null(strstr(err.msg, "name (DF22) of 256 bytes is longer than the 255"));
}

/* ---- EF 0001 and the check digit --------------------------------------- */

struct mn_row { const char *what, *hex; int rc; const char *digits; };

static const struct mn_row mn_rows[] = {
	{ "17 bytes with FF filler", "FF100C 313233343536373839303138 FFFF", K_OK, "123456789018" },
	{ "15 bytes, no filler", "FF100C 313233343536373839303138", K_OK, "123456789018" },
	{ "wrong check digit", "FF100C 313233343536373839303137 FFFF", K_EPARSE, NULL },
	{ "a letter", "FF100C 31323334353637383930313A FFFF", K_EPARSE, NULL },
	{ "11 digits", "FF100B 3132333435363738393031 FFFF", K_EPARSE, NULL },
	{ "wrong tag", "FF110C 313233343536373839303138 FFFF", K_EPARSE, NULL },
	{ "truncated", "FF100C 3132333435", K_EPARSE, NULL },
	{ "garbage after", "FF100C 313233343536373839303138 0102", K_EPARSE, NULL },
	{ "filler only", "FFFFFFFF", K_EPARSE, NULL },
};

static void
test_parse_mynumber_checks_tag_length_and_check_digit(void **state)
{
	uint8_t buf[32];
	char out[13];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(mn_rows); i++) {
		struct kerr err;
		int n = fake_hex(mn_rows[i].hex, buf, sizeof(buf)), rc;

		assert_true(n >= 0);
		rc = card_parse_mynumber(buf, (size_t)n, out, &err);
		if (rc != mn_rows[i].rc)
			fail_msg("row \"%s\": rc %s", mn_rows[i].what,
			    kerr_name(rc));
		if (rc == K_OK)
			assert_string_equal(out, mn_rows[i].digits);
		else {
			assert_string_equal(out, "");
			assert_null(strstr(err.msg, "12345678901"));
		}
	}
}

static void
test_mynumber_check_digit_rule(void **state)
{
	(void)state;
	assert_true(card_mynumber_ok("123456789018"));
	assert_false(card_mynumber_ok("123456789019"));
	assert_true(card_mynumber_ok("000000000000"));	/* sum 0 -> 0 */
	assert_false(card_mynumber_ok("12345678901"));
	assert_false(card_mynumber_ok("1234567890180"));
	assert_false(card_mynumber_ok("12345678901a"));
}

static void
test_sex_codes_have_texts(void **state)
{
	(void)state;
	assert_string_equal(card_sex_text("1"), "male");
	assert_string_equal(card_sex_text("2"), "female");
	assert_string_equal(card_sex_text("9"), "not applicable");
	assert_string_equal(card_sex_text("0"), "not known");
	assert_null(card_sex_text("3"));
	assert_null(card_sex_text(""));
	assert_null(card_sex_text("11"));
	assert_null(card_sex_text(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlv_next_reads_each_row_as_expected),
		cmocka_unit_test(test_tlv_next_walks_siblings_then_stops_at_filler),
		cmocka_unit_test(test_tlv_find_finds_a_sibling_or_says_not_found),
		cmocka_unit_test(test_tlv_header_reads_a_header_whose_value_is_not_there_yet),
		cmocka_unit_test(test_tlv_utf8_accepts_4_byte_and_ivs_and_refuses_malformed),
		cmocka_unit_test(test_parse_basic4_reads_the_spec_example),
		cmocka_unit_test(test_parse_basic4_handles_every_record_row),
		cmocka_unit_test(test_parse_basic4_takes_a_255_byte_name_and_refuses_256),
		cmocka_unit_test(test_parse_mynumber_checks_tag_length_and_check_digit),
		cmocka_unit_test(test_mynumber_check_digit_rule),
		cmocka_unit_test(test_sex_codes_have_texts),
	};

	return cmocka_run_group_tests_name("tlv", tests, NULL, NULL);
}
