/*
 * card.c - the My Number card protocol over an APDU transport: select the
 * 券面事項入力補助AP by AID, read the PIN tries left, VERIFY once, read EF 0002
 * (and EF 0001 when asked) by offsets, parse the TLV records.
 *
 * The byte forms and status words are those of the spec
 * (shared/spec/mynumber-card.md §3-§6).  Safety rules kept here:
 * the PIN format is checked before anything is sent; the tries left are
 * read before every VERIFY and no VERIFY goes to a blocked card; a VERIFY
 * is never repeated; VERIFY and the reads run in one transaction that ends
 * with a card reset; buffers holding the PIN or personal data are wiped.
 */
#include <stdio.h>
#include <string.h>

#include "card.h"
#include "tlv.h"
#include "utf8.h"
#include "wareki.h"

/* 券面事項入力補助AP */
static const uint8_t card_aid_text[] = {
	0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08
};

#define CARD_EF_MYNUMBER	0x0001
#define CARD_EF_BASIC4		0x0002
#define CARD_EF_PIN		0x0011

#define CARD_REC_MAX		2048	/* EF 0002 bytes we accept */
#define CARD_READ_CHUNK		0xFF	/* READ BINARY Le (short APDUs) */
#define CARD_HEAD_LEN		8	/* first READ BINARY of EF 0002 */
#define CARD_MYNUMBER_LEN	15	/* FF 10 0C + 12 digits */

/* What a status word means when nothing more specific applies. */
static const struct card_sw {
	uint16_t sw;
	int code;
	const char *text;
} card_sws[] = {
	{ 0x6282, K_EPARSE, "end of file reached before the expected length" },
	{ 0x6700, K_EFAIL, "wrong length (Lc/Le)" },
	{ 0x6881, K_EFAIL, "logical channel not supported" },
	{ 0x6882, K_EFAIL, "secure messaging not supported" },
	{ 0x6982, K_EAUTH, "security status not satisfied" },
	{ 0x6983, K_EBLOCKED, "authentication method blocked" },
	{ 0x6984, K_EBLOCKED, "the PIN is blocked" },
	{ 0x6986, K_EFAIL, "no current file selected" },
	{ 0x6A82, K_ENOTMINE, "file or application not found" },
	{ 0x6A86, K_EFAIL, "wrong P1-P2" },
	{ 0x6B00, K_EPARSE, "offset beyond the end of the file" },
	{ 0x6D00, K_EFAIL, "instruction not supported" },
	{ 0x6E00, K_EFAIL, "class not supported" },
	{ 0x6F00, K_EIO, "internal error of the card" },
};

/* Prefix err's message ("EF 0002: ...") and force the code. */
static int
card_rewrap(struct kerr *err, int code, const char *prefix)
{
	char m[KERR_MSG_MAX];

	if (err == NULL)
		return code;
	snprintf(m, sizeof(m), "%s", err->msg);
	return kerr_set(err, code, "%s: %s", prefix, m);
}

static int
card_sw_fail(uint16_t sw, const char *what, struct kerr *err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(card_sws); i++)
		if (card_sws[i].sw == sw)
			return kerr_set(err, card_sws[i].code,
			    "%s: the card answered %04X (%s)", what, sw,
			    card_sws[i].text);
	if ((sw & 0xFFF0) == 0x63C0)
		return kerr_set(err, K_EFAIL,
		    "%s: unexpected PIN status %04X", what, sw);
	return kerr_set(err, K_EFAIL, "%s: unexpected status word %04X", what,
	    sw);
}

/* One command; a 6F00 (internal error) is retried once, except VERIFY. */
static int
card_cmd(struct apdu *t, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
    size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	size_t cap = *resp_len;
	int rc;

	rc = apdu_transmit(t, cmd, cmd_len, resp, resp_len, sw, err);
	if (rc == K_OK && *sw == 0x6F00 && cmd[1] != 0x20) {
		klog("warn", "card", "card internal error (6F00), retrying once");
		*resp_len = cap;
		rc = apdu_transmit(t, cmd, cmd_len, resp, resp_len, sw, err);
	}
	return rc;
}

/* SELECT the text AP: its absence means "not a My Number card". */
static int
card_select_ap(struct apdu *t, struct kerr *err)
{
	uint8_t cmd[5 + sizeof(card_aid_text)] = { 0x00, 0xA4, 0x04, 0x0C,
	    sizeof(card_aid_text) };
	uint8_t resp[APDU_MAX_RESP];
	size_t n = sizeof(resp);
	uint16_t sw;
	int rc;

	memcpy(cmd + 5, card_aid_text, sizeof(card_aid_text));
	if ((rc = card_cmd(t, cmd, sizeof(cmd), resp, &n, &sw, err)) != K_OK)
		return rc;
	switch (sw) {
	case 0x9000:
		return K_OK;
	case 0x6A82: case 0x6A81: case 0x6A86: case 0x6D00: case 0x6E00:
	case 0x6700: case 0x6999: case 0x6283: case 0x6881: case 0x6882:
		return kerr_set(err, K_ENOTMINE,
		    "not a My Number card (SELECT of the card-info AP answered %04X)",
		    sw);
	default:
		return card_sw_fail(sw, "SELECT card-info AP", err);
	}
}

static int
card_select_ef(struct apdu *t, unsigned fid, struct kerr *err)
{
	uint8_t cmd[7] = { 0x00, 0xA4, 0x02, 0x0C, 0x02, (uint8_t)(fid >> 8),
	    (uint8_t)fid };
	uint8_t resp[APDU_MAX_RESP];
	size_t n = sizeof(resp);
	uint16_t sw;
	char what[32];
	int rc;

	if ((rc = card_cmd(t, cmd, sizeof(cmd), resp, &n, &sw, err)) != K_OK)
		return rc;
	if (sw == 0x9000)
		return K_OK;
	if (sw == 0x6A82)
		return kerr_set(err, K_ENOTMINE,
		    "unsupported card: file %04X is missing from the card-info AP",
		    fid);
	snprintf(what, sizeof(what), "SELECT EF %04X", fid);
	return card_sw_fail(sw, what, err);
}

/* Empty VERIFY (case 1): 63Cx reports x tries left without spending one. */
static int
card_query_tries(struct apdu *t, int *tries, struct kerr *err)
{
	static const uint8_t cmd[4] = { 0x00, 0x20, 0x00, 0x80 };
	uint8_t resp[APDU_MAX_RESP];
	size_t n = sizeof(resp);
	uint16_t sw;
	int rc;

	*tries = -1;
	if ((rc = card_cmd(t, cmd, sizeof(cmd), resp, &n, &sw, err)) != K_OK)
		return rc;
	if ((sw & 0xFFF0) == 0x63C0) {
		*tries = sw & 0x0F;
		if (*tries == 0)
			return kerr_set(err, K_EBLOCKED,
			    "the PIN is blocked; the city office can reset it");
		return K_OK;
	}
	if (sw == 0x6984 || sw == 0x6983) {
		*tries = 0;
		return kerr_set(err, K_EBLOCKED,
		    "the PIN is blocked; the city office can reset it");
	}
	if (sw == 0x9000)
		return kerr_set(err, K_EFAIL,
		    "the card did not report the PIN tries left (9000)");
	return card_sw_fail(sw, "PIN tries query", err);
}

static int
card_verify(struct apdu *t, const char *pin, int *tries, struct kerr *err)
{
	uint8_t cmd[9] = { 0x00, 0x20, 0x00, 0x80, 0x04 };
	uint8_t resp[APDU_MAX_RESP];
	size_t n = sizeof(resp);
	uint16_t sw;
	int rc, after;

	memcpy(cmd + 5, pin, 4);
	*tries = -1;	/* unknown until the card answers */
	rc = card_cmd(t, cmd, sizeof(cmd), resp, &n, &sw, err);
	explicit_bzero(cmd, sizeof(cmd));
	if (rc != K_OK)
		return rc;	/* the card may or may not have counted it */
	if (sw == 0x9000) {
		*tries = CARD_PIN_TRIES_MAX;
		return K_OK;
	}
	if ((sw & 0xFFF0) == 0x63C0) {
		*tries = sw & 0x0F;
		if (*tries == 0)
			return kerr_set(err, K_EBLOCKED,
			    "wrong PIN; the PIN is now blocked and the city office must reset it");
		return kerr_set(err, K_EPIN, "wrong PIN; %d %s left", *tries,
		    *tries == 1 ? "try" : "tries");
	}
	if (sw == 0x6984 || sw == 0x6983) {
		*tries = 0;
		return kerr_set(err, K_EBLOCKED,
		    "the PIN is blocked; the city office can reset it");
	}
	rc = card_sw_fail(sw, "VERIFY", err);
	/* Report the tries left anyway; the query never spends one. */
	{
		struct kerr e2;

		kerr_clear(&e2);
		if (card_query_tries(t, &after, &e2) == K_OK ||
		    e2.code == K_EBLOCKED)
			*tries = after;
	}
	return rc;
}

/* READ BINARY 00 B0 off_hi off_lo le. */
static int
card_read_binary(struct apdu *t, size_t off, size_t le, uint8_t *out,
    size_t *got, uint16_t *sw, struct kerr *err)
{
	uint8_t cmd[5] = { 0x00, 0xB0, (uint8_t)(off >> 8), (uint8_t)off,
	    (uint8_t)le };
	uint8_t resp[APDU_MAX_RESP];
	size_t n = sizeof(resp);
	int rc;

	rc = card_cmd(t, cmd, sizeof(cmd), resp, &n, sw, err);
	if (rc == K_OK) {
		if (n > le)
			n = le;
		memcpy(out, resp, n);
		*got = n;
	}
	explicit_bzero(resp, sizeof(resp));
	return rc;
}

/*
 * Read the TLV record at the start of the selected EF: a first read of
 * `head` bytes gives the outer header, then the rest by offsets.  The
 * filler after the record is never read.
 */
static int
card_read_record(struct apdu *t, unsigned fid, size_t head, uint8_t *rec,
    size_t cap, size_t *rec_len, struct kerr *err)
{
	struct tlv outer;
	size_t have = 0, total, got;
	uint16_t sw;
	char what[40];
	int rc;

	snprintf(what, sizeof(what), "READ BINARY of EF %04X", fid);
	if ((rc = card_read_binary(t, 0, head, rec, &have, &sw, err)) != K_OK)
		return rc;
	if (sw != 0x9000 && sw != 0x6282)
		return card_sw_fail(sw, what, err);
	if (tlv_header(rec, have, &outer, err) != K_OK) {
		snprintf(what, sizeof(what), "EF %04X", fid);
		return card_rewrap(err, K_EPARSE, what);
	}
	if (outer.len > cap - outer.hdr_len)
		return kerr_set(err, K_EPARSE,
		    "EF %04X: record of %zu bytes is larger than the %zu accepted",
		    fid, outer.len + outer.hdr_len, cap);
	total = outer.hdr_len + outer.len;
	if (have > total)
		have = total;		/* filler or the next record */
	while (have < total) {
		size_t le = total - have;

		if (sw == 0x6282)
			break;
		if (le > CARD_READ_CHUNK)
			le = CARD_READ_CHUNK;
		if ((rc = card_read_binary(t, have, le, rec + have, &got, &sw,
		    err)) != K_OK)
			return rc;
		if (sw == 0x6B00)
			break;
		if (sw != 0x9000 && sw != 0x6282)
			return card_sw_fail(sw, what, err);
		if (got == 0)
			break;
		have += got;
	}
	if (have < total)
		return kerr_set(err, K_EPARSE,
		    "EF %04X: record truncated: the file ends after %zu of %zu bytes",
		    fid, have, total);
	*rec_len = total;
	return K_OK;
}

bool
card_pin_format_ok(const char *pin)
{
	int i;

	if (pin == NULL)
		return false;
	for (i = 0; i < 4; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return pin[4] == '\0';
}

int
card_pin_tries(struct apdu *t, int *tries_out, struct kerr *err)
{
	int rc, tries = -1;

	kerr_clear(err);
	if ((rc = apdu_begin(t, err)) != K_OK)
		goto out;
	if ((rc = card_select_ap(t, err)) == K_OK &&
	    (rc = card_select_ef(t, CARD_EF_PIN, err)) == K_OK)
		rc = card_query_tries(t, &tries, err);
	apdu_end(t, 0);
out:
	if (tries_out != NULL)
		*tries_out = tries;
	return rc;
}

int
card_read_basic4(struct apdu *t, const char *pin, unsigned flags,
    int *tries_out, struct card_basic4 *out, struct kerr *err)
{
	uint8_t rec[CARD_REC_MAX];
	size_t rec_len = 0;
	int rc, tries = -1;

	kerr_clear(err);
	card_basic4_wipe(out);
	if (!card_pin_format_ok(pin)) {
		rc = kerr_set(err, K_EINVAL,
		    "the PIN must be exactly 4 digits; nothing was sent to the card");
		goto done;
	}
	if ((rc = apdu_begin(t, err)) != K_OK)
		goto done;
	if ((rc = card_select_ap(t, err)) != K_OK ||
	    (rc = card_select_ef(t, CARD_EF_PIN, err)) != K_OK ||
	    (rc = card_query_tries(t, &tries, err)) != K_OK)
		goto end;
	if ((flags & CARD_READ_KEEP_LAST_TRY) && tries == 1) {
		rc = kerr_set(err, K_ELASTTRY,
		    "only 1 PIN try is left: the PIN was not sent (one more "
		    "mistake would lock the card; the city office can check it)");
		goto end;
	}
	if ((rc = card_verify(t, pin, &tries, err)) != K_OK)
		goto end;
	if ((rc = card_select_ef(t, CARD_EF_BASIC4, err)) != K_OK ||
	    (rc = card_read_record(t, CARD_EF_BASIC4, CARD_HEAD_LEN, rec,
	    sizeof(rec), &rec_len, err)) != K_OK ||
	    (rc = card_parse_basic4(rec, rec_len, out, err)) != K_OK)
		goto end;
	explicit_bzero(rec, sizeof(rec));
	if (flags & CARD_READ_MYNUMBER) {
		if ((rc = card_select_ef(t, CARD_EF_MYNUMBER, err)) != K_OK ||
		    (rc = card_read_record(t, CARD_EF_MYNUMBER,
		    CARD_MYNUMBER_LEN, rec, 64, &rec_len, err)) != K_OK ||
		    (rc = card_parse_mynumber(rec, rec_len, out->mynumber,
		    err)) != K_OK)
			goto end;
		out->has_mynumber = true;
	}
end:
	apdu_end(t, 1);
done:
	explicit_bzero(rec, sizeof(rec));
	if (rc != K_OK)
		card_basic4_wipe(out);
	if (tries_out != NULL)
		*tries_out = tries;
	return rc;
}

void
card_basic4_wipe(struct card_basic4 *b)
{
	if (b != NULL)
		explicit_bzero(b, sizeof(*b));
}

const char *
card_sex_text(const char *code)
{
	if (code == NULL || code[0] == '\0' || code[1] != '\0')
		return NULL;
	switch (code[0]) {
	case '1': return "male";
	case '2': return "female";
	case '9': return "not applicable";
	case '0': return "not known";
	}
	return NULL;
}

/* Text field: valid UTF-8, no control characters, fits with its NUL. */
static int
card_text_field(const struct tlv *f, const char *what, char *dst, size_t cap,
    bool may_be_empty, struct kerr *err)
{
	size_t i;

	if (f->len == 0 && !may_be_empty)
		return kerr_set(err, K_EPARSE, "%s is empty", what);
	if (f->len >= cap)
		return kerr_set(err, K_EPARSE,
		    "%s of %zu bytes is longer than the %zu accepted", what,
		    f->len, cap - 1);
	if (!utf8_valid(f->val, f->len))
		return kerr_set(err, K_EPARSE, "%s is not valid UTF-8", what);
	for (i = 0; i < f->len; i++) {
		uint8_t c = f->val[i];

		if (c < 0x20 || c == 0x7F ||
		    (c == 0xC2 && i + 1 < f->len && f->val[i + 1] < 0xA0))
			return kerr_set(err, K_EPARSE,
			    "%s contains a control character at byte %zu", what,
			    i);
	}
	memcpy(dst, f->val, f->len);
	dst[f->len] = '\0';
	return K_OK;
}

static bool
card_date_ok(const uint8_t *d)
{
	int i, y, m, day;

	for (i = 0; i < 8; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
	m = (d[4] - '0') * 10 + (d[5] - '0');
	day = (d[6] - '0') * 10 + (d[7] - '0');
	return y >= 1850 && wareki_valid(y, m, day);
}

/* Split "家族　名前" at the first U+3000 (E3 80 80). */
static void
card_split_name(struct card_basic4 *b)
{
	char *sp = strstr(b->name, "\xE3\x80\x80");

	if (sp == NULL || sp == b->name || sp[3] == '\0')
		return;
	memcpy(b->name_family, b->name, (size_t)(sp - b->name));
	b->name_family[sp - b->name] = '\0';
	snprintf(b->name_given, sizeof(b->name_given), "%s", sp + 3);
}

int
card_parse_basic4(const uint8_t *buf, size_t len, struct card_basic4 *out,
    struct kerr *err)
{
	static const char *const names[4] = {
		"name (DF22)", "address (DF23)", "birth date (DF24)", "sex (DF25)"
	};
	struct tlv outer, f, field[4], table;
	const uint8_t *cur = buf, *end = buf + len, *vend;
	size_t off[4];
	bool have_table = false, seen[4] = { false, false, false, false };
	int rc, i;

	card_basic4_wipe(out);
	rc = tlv_next(&cur, end, buf, &outer, err);
	if (rc == K_ENOTFOUND)
		return kerr_set(err, K_EPARSE, "EF 0002 holds no record");
	if (rc != K_OK)
		return card_rewrap(err, K_EPARSE, "EF 0002");
	if (outer.tag != 0xFF20)
		return kerr_set(err, K_EPARSE,
		    "EF 0002 starts with tag %X, not FF20", outer.tag);
	if (tlv_next(&cur, end, buf, &f, NULL) != K_ENOTFOUND)
		return kerr_set(err, K_EPARSE,
		    "EF 0002: unexpected bytes after the record at offset %zu",
		    (size_t)(outer.val + outer.len - buf));

	cur = outer.val;
	vend = outer.val + outer.len;
	for (;;) {
		const uint8_t *at = cur;

		rc = tlv_next(&cur, vend, buf, &f, err);
		if (rc == K_ENOTFOUND)
			break;
		if (rc != K_OK)
			return card_rewrap(err, K_EPARSE, "EF 0002");
		if (f.tag == 0xDF21) {
			if (have_table)
				return kerr_set(err, K_EPARSE,
				    "EF 0002: offset table (DF21) appears twice");
			table = f;
			have_table = true;
			continue;
		}
		if (f.tag < 0xDF22 || f.tag > 0xDF25)
			continue;	/* unknown field: a later card generation */
		i = (int)(f.tag - 0xDF22);
		if (seen[i])
			return kerr_set(err, K_EPARSE,
			    "EF 0002: %s appears twice", names[i]);
		seen[i] = true;
		field[i] = f;
		off[i] = (size_t)(at - buf);
	}
	if (!have_table)
		return kerr_set(err, K_EPARSE,
		    "EF 0002: offset table (DF21) missing");
	for (i = 0; i < 4; i++)
		if (!seen[i])
			return kerr_set(err, K_EPARSE, "EF 0002: %s missing",
			    names[i]);
	if (table.len != 8)
		return kerr_set(err, K_EPARSE,
		    "EF 0002: offset table (DF21) has %zu bytes, not 8",
		    table.len);
	for (i = 0; i < 4; i++) {
		size_t t = (size_t)table.val[2 * i] << 8 | table.val[2 * i + 1];

		if (t != off[i])
			return kerr_set(err, K_EPARSE,
			    "EF 0002: offset table says %s is at %zu, it is at %zu",
			    names[i], t, off[i]);
	}

	if ((rc = card_text_field(&field[0], names[0], out->name,
	    sizeof(out->name), false, err)) != K_OK ||
	    (rc = card_text_field(&field[1], names[1], out->address,
	    sizeof(out->address), true, err)) != K_OK)
		goto fail;
	if (field[2].len != 8 || !card_date_ok(field[2].val)) {
		rc = kerr_set(err, K_EPARSE,
		    "EF 0002: %s is not a valid YYYYMMDD date", names[2]);
		goto fail;
	}
	snprintf(out->birth, sizeof(out->birth), "%.4s-%.2s-%.2s",
	    (const char *)field[2].val, (const char *)field[2].val + 4,
	    (const char *)field[2].val + 6);
	if (field[3].len != 1 || strchr("0129", field[3].val[0]) == NULL ||
	    field[3].val[0] == '\0') {
		rc = kerr_set(err, K_EPARSE,
		    "EF 0002: %s is not one of the codes 0, 1, 2, 9", names[3]);
		goto fail;
	}
	out->sex[0] = (char)field[3].val[0];
	out->sex[1] = '\0';
	card_split_name(out);
	return K_OK;
fail:
	card_basic4_wipe(out);
	if (err != NULL && strncmp(err->msg, "EF 0002", 7) != 0)
		card_rewrap(err, rc, "EF 0002");
	return rc;
}

bool
card_mynumber_ok(const char *d)
{
	int i, n, sum = 0, r;

	for (i = 0; i < 12; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	if (d[12] != '\0')
		return false;
	/* n counts from the right of the first 11 digits; weights n+1 for
	 * n = 1..6, n-5 for n = 7..11; check = 11 - sum % 11, or 0. */
	for (n = 1; n <= 11; n++)
		sum += (d[11 - n] - '0') * (n <= 6 ? n + 1 : n - 5);
	r = sum % 11;
	return d[11] - '0' == (r <= 1 ? 0 : 11 - r);
}

int
card_parse_mynumber(const uint8_t *buf, size_t len, char out[13],
    struct kerr *err)
{
	struct tlv f, rest;
	const uint8_t *cur = buf, *end = buf + len;
	int rc, i;

	memset(out, 0, 13);
	rc = tlv_next(&cur, end, buf, &f, err);
	if (rc == K_ENOTFOUND)
		return kerr_set(err, K_EPARSE, "EF 0001 holds no record");
	if (rc != K_OK)
		return card_rewrap(err, K_EPARSE, "EF 0001");
	if (f.tag != 0xFF10)
		return kerr_set(err, K_EPARSE,
		    "EF 0001 starts with tag %X, not FF10", f.tag);
	if (tlv_next(&cur, end, buf, &rest, NULL) != K_ENOTFOUND)
		return kerr_set(err, K_EPARSE,
		    "EF 0001: unexpected bytes after the record");
	if (f.len != 12)
		return kerr_set(err, K_EPARSE,
		    "EF 0001: the number has %zu bytes, not 12", f.len);
	for (i = 0; i < 12; i++)
		out[i] = (char)f.val[i];
	out[12] = '\0';
	if (!card_mynumber_ok(out)) {
		explicit_bzero(out, 13);
		return kerr_set(err, K_EPARSE,
		    "EF 0001: not 12 digits with a valid check digit");
	}
	return K_OK;
}

int
card_tries_at(const char *reader, int *tries_out, struct kerr *err)
{
	struct apdu *t;
	int rc;

	if (tries_out != NULL)
		*tries_out = -1;
	if ((rc = apdu_pcsc_open(&t, reader, err)) != K_OK)
		return rc;
	rc = card_pin_tries(t, tries_out, err);
	apdu_close(t);
	return rc;
}

int
card_read_at(const char *reader, const char *pin, unsigned flags,
    int *tries_out, struct card_basic4 *out, struct kerr *err)
{
	struct apdu *t;
	int rc;

	card_basic4_wipe(out);
	if (tries_out != NULL)
		*tries_out = -1;
	if (!card_pin_format_ok(pin))
		return kerr_set(err, K_EINVAL,
		    "the PIN must be exactly 4 digits; nothing was sent to the card");
	if ((rc = apdu_pcsc_open(&t, reader, err)) != K_OK)
		return rc;
	rc = card_read_basic4(t, pin, flags, tries_out, out, err);
	apdu_close(t);
	return rc;
}

const char *
card_event_name(enum card_event ev)
{
	switch (ev) {
	case CARD_EV_NO_READER: return "no-reader";
	case CARD_EV_EMPTY: return "empty";
	case CARD_EV_INSERTED: return "inserted";
	case CARD_EV_REMOVED: return "removed";
	}
	return "?";
}
