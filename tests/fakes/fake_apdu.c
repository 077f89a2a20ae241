/*
 * fake_apdu.c - scripted, simulated and fuzz-fed card transports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_apdu.h"
#include "xmalloc.h"

#define FAKE_MAX_CALLS	512

enum fake_kind { FAKE_SCRIPT, FAKE_CARD, FAKE_FUZZ };

struct fake {
	enum fake_kind kind;
	/* script */
	const struct fake_apdu_step *script;
	size_t nsteps;
	char mismatch[512];
	/* simulated card */
	struct fake_card card;
	uint8_t *ef1, *ef2;
	bool ap, verified;
	unsigned ef;
	/* fuzz */
	const uint8_t *fz, *fz_end;
	/* recording and faults */
	int calls, fail_at, fail_code;
	bool fail_persist;
	char *sent[FAKE_MAX_CALLS];
	int verifies, outside_tx, begins, ends, resets;
	bool in_tx;
};

int
fake_hex(const char *hex, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex != '\0'; hex++) {
		char c = *hex;

		if (c == ' ' || c == ':' || c == '\n')
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static char *
fake_tohex(const uint8_t *p, size_t n)
{
	char *s = xmalloc(2 * n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02X", p[i]);
	s[2 * n] = '\0';
	return s;
}

static int
fake_reply(const uint8_t *r, size_t rn, uint8_t *resp, size_t *resp_len,
    uint16_t *sw, struct kerr *err)
{
	if (rn < 2)
		return kerr_set(err, K_EFAIL, "fake: reply of %zu bytes", rn);
	if (rn - 2 > *resp_len)
		return kerr_set(err, K_EFAIL,
		    "fake: reply of %zu bytes exceeds the buffer (%zu)", rn - 2,
		    *resp_len);
	memcpy(resp, r, rn - 2);
	*resp_len = rn - 2;
	*sw = (uint16_t)(r[rn - 2] << 8 | r[rn - 1]);
	return K_OK;
}

static int
fake_script(struct fake *f, int call, const uint8_t *cmd, size_t cmd_len,
    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	const struct fake_apdu_step *s;
	uint8_t want[APDU_MAX_CMD], r[APDU_MAX_RESP + 2];
	int wn, rn;

	if ((size_t)call > f->nsteps) {
		if (f->mismatch[0] == '\0')
			snprintf(f->mismatch, sizeof(f->mismatch),
			    "call %d: script has only %zu steps", call,
			    f->nsteps);
		return kerr_set(err, K_EREMOVED, "fake: script ended");
	}
	s = &f->script[call - 1];
	if (s->expect_hex != NULL) {
		wn = fake_hex(s->expect_hex, want, sizeof(want));
		if (wn < 0 || (size_t)wn != cmd_len ||
		    memcmp(want, cmd, cmd_len) != 0) {
			if (f->mismatch[0] == '\0') {
				char *got = fake_tohex(cmd, cmd_len);
				snprintf(f->mismatch, sizeof(f->mismatch),
				    "call %d: expected %s, got %s", call,
				    s->expect_hex, got);
				free(got);
			}
			return kerr_set(err, K_EFAIL, "fake: unexpected command");
		}
	}
	rn = fake_hex(s->reply_hex, r, sizeof(r));
	if (rn < 0)
		return kerr_set(err, K_EFAIL, "fake: bad reply hex");
	return fake_reply(r, (size_t)rn, resp, resp_len, sw, err);
}

static const uint8_t fake_aid[] = {
	0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08
};

static int
fake_sw(uint16_t v, uint8_t *resp, size_t *resp_len, uint16_t *sw)
{
	(void)resp;
	*resp_len = 0;
	*sw = v;
	return K_OK;
}

static int
fake_simulate(struct fake *f, const uint8_t *c, size_t n, uint8_t *resp,
    size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	struct fake_card *k = &f->card;

	if (c[0] != 0x00)
		return fake_sw(0x6E00, resp, resp_len, sw);
	if (c[1] == 0xA4 && c[2] == 0x04 && n == 5 + sizeof(fake_aid) &&
	    c[4] == sizeof(fake_aid)) {
		f->ef = 0;
		f->verified = false;
		if (k->mynumber_ap && memcmp(c + 5, fake_aid, sizeof(fake_aid)) == 0) {
			f->ap = true;
			return fake_sw(0x9000, resp, resp_len, sw);
		}
		f->ap = false;
		return fake_sw(0x6A82, resp, resp_len, sw);
	}
	if (c[1] == 0xA4 && c[2] == 0x02 && n == 7 && c[4] == 2) {
		unsigned fid = (unsigned)c[5] << 8 | c[6];

		if (!f->ap || (fid != 1 && fid != 2 && fid != 0x11))
			return fake_sw(0x6A82, resp, resp_len, sw);
		f->ef = fid;
		return fake_sw(0x9000, resp, resp_len, sw);
	}
	if (c[1] == 0x20 && c[2] == 0x00 && c[3] == 0x80) {
		if (f->ef != 0x11)
			return fake_sw(0x6986, resp, resp_len, sw);
		if (n == 4)
			return fake_sw((uint16_t)(0x63C0 | k->tries), resp,
			    resp_len, sw);
		if (n != 5 + (size_t)c[4])
			return fake_sw(0x6700, resp, resp_len, sw);
		if (k->tries == 0)
			return fake_sw(k->answer_6984 ? 0x6984 : 0x63C0, resp,
			    resp_len, sw);
		if (c[4] == strlen(k->pin) && memcmp(c + 5, k->pin, c[4]) == 0) {
			k->tries = 3;
			f->verified = true;
			return fake_sw(0x9000, resp, resp_len, sw);
		}
		k->tries--;
		return fake_sw((uint16_t)(0x63C0 | k->tries), resp, resp_len, sw);
	}
	if (c[1] == 0xB0 && n == 5) {
		const uint8_t *file = f->ef == 1 ? f->ef1 : f->ef == 2 ? f->ef2 : NULL;
		size_t flen = f->ef == 1 ? k->ef0001_len : k->ef0002_len;
		size_t off = (size_t)c[2] << 8 | c[3], le = c[4] ? c[4] : 256;

		if (file == NULL)
			return fake_sw(0x6986, resp, resp_len, sw);
		if (!f->verified)
			return fake_sw(0x6982, resp, resp_len, sw);
		if (off >= flen)
			return fake_sw(0x6B00, resp, resp_len, sw);
		if (le > flen - off)
			le = flen - off;
		if (le > *resp_len)
			return kerr_set(err, K_EFAIL, "fake: buffer too small");
		memcpy(resp, file + off, le);
		*resp_len = le;
		*sw = 0x9000;
		return K_OK;
	}
	return fake_sw(0x6D00, resp, resp_len, sw);
}

static int
fake_fuzz(struct fake *f, uint8_t *resp, size_t *resp_len, uint16_t *sw,
    struct kerr *err)
{
	static const int codes[] = { K_EREMOVED, K_ENODEV, K_ENOCARD, K_EFAIL,
	    K_EBUSY, K_ETIMEOUT, K_ENOTMINE };
	size_t n;

	if (f->fz >= f->fz_end)
		return kerr_set(err, K_EREMOVED, "fake: fuzz input ended");
	n = *f->fz++;
	if (n == 0xFF) {
		int c = f->fz < f->fz_end ? *f->fz++ : 0;
		return kerr_set(err, codes[c % (int)ARRAY_SIZE(codes)],
		    "fake: fuzzed transport error");
	}
	if (n > (size_t)(f->fz_end - f->fz))
		n = (size_t)(f->fz_end - f->fz);
	f->fz += n;
	return fake_reply(f->fz - n, n, resp, resp_len, sw, err);
}

static int
fake_transmit(struct apdu *t, const uint8_t *cmd, size_t cmd_len,
    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	struct fake *f = t->priv;
	int call;

	call = ++f->calls;
	if (call <= FAKE_MAX_CALLS)
		f->sent[call - 1] = fake_tohex(cmd, cmd_len);
	if (cmd_len > 5 && cmd[1] == 0x20)
		f->verifies++;
	if (!f->in_tx)
		f->outside_tx++;
	if (f->fail_at > 0 && (call == f->fail_at ||
	    (f->fail_persist && call > f->fail_at))) {
		*resp_len = 0;
		return kerr_set(err, f->fail_code, "fake: call %d fails (%s)",
		    call, kerr_name(f->fail_code));
	}
	switch (f->kind) {
	case FAKE_SCRIPT:
		return fake_script(f, call, cmd, cmd_len, resp, resp_len, sw,
		    err);
	case FAKE_CARD:
		return fake_simulate(f, cmd, cmd_len, resp, resp_len, sw, err);
	case FAKE_FUZZ:
		return fake_fuzz(f, resp, resp_len, sw, err);
	}
	return K_EFAIL;
}

static int
fake_begin(struct apdu *t, struct kerr *err)
{
	struct fake *f = t->priv;

	(void)err;
	f->begins++;
	f->in_tx = true;
	return K_OK;
}

static void
fake_end(struct apdu *t, int reset)
{
	struct fake *f = t->priv;

	f->ends++;
	f->in_tx = false;
	if (reset) {
		f->resets++;
		f->verified = false;
		f->ap = false;
		f->ef = 0;
	}
}

static void
fake_close(struct apdu *t)
{
	struct fake *f = t->priv;
	int i;

	for (i = 0; i < FAKE_MAX_CALLS; i++)
		free(f->sent[i]);
	free(f->ef1);
	free(f->ef2);
	free(f);
	free(t);
}

static const struct apdu_ops fake_ops = {
	.name = "fake",
	.transmit = fake_transmit,
	.begin = fake_begin,
	.end = fake_end,
	.close = fake_close,
};

static struct apdu *
fake_alloc(enum fake_kind kind)
{
	struct apdu *t = xcalloc(1, sizeof(*t));
	struct fake *f = xcalloc(1, sizeof(*f));

	f->kind = kind;
	t->ops = &fake_ops;
	t->priv = f;
	return t;
}

int
fake_apdu_new(struct apdu **out, const struct fake_apdu_step *script, size_t n)
{
	struct apdu *t = fake_alloc(FAKE_SCRIPT);
	struct fake *f = t->priv;

	f->script = script;
	f->nsteps = n;
	*out = t;
	return K_OK;
}

static uint8_t *
fake_dup(const uint8_t *p, size_t n)
{
	uint8_t *d = xmalloc(n ? n : 1);

	if (n)
		memcpy(d, p, n);
	return d;
}

int
fake_apdu_card(struct apdu **out, const struct fake_card *card)
{
	struct apdu *t = fake_alloc(FAKE_CARD);
	struct fake *f = t->priv;

	f->card = *card;
	if (f->card.pin == NULL)
		f->card.pin = "1234";
	f->ef1 = fake_dup(card->ef0001, card->ef0001_len);
	f->ef2 = fake_dup(card->ef0002, card->ef0002_len);
	*out = t;
	return K_OK;
}

int
fake_apdu_from_fuzz(struct apdu **out, const uint8_t *data, size_t len)
{
	struct apdu *t = fake_alloc(FAKE_FUZZ);
	struct fake *f = t->priv;

	f->fz = data;
	f->fz_end = data + len;
	*out = t;
	return K_OK;
}

void
fake_apdu_fail_at(struct apdu *t, int nth_call, int code, bool persist)
{
	struct fake *f = t->priv;

	f->fail_at = nth_call;
	f->fail_code = code;
	f->fail_persist = persist;
}

int
fake_apdu_calls(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->calls;
}

const char *
fake_apdu_sent(const struct apdu *t, int i)
{
	const struct fake *f = t->priv;

	if (i < 0 || i >= f->calls || i >= FAKE_MAX_CALLS)
		return NULL;
	return f->sent[i];
}

int
fake_apdu_verifies(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->verifies;
}

int
fake_apdu_outside_tx(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->outside_tx;
}

int
fake_apdu_begins(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->begins;
}

int
fake_apdu_ends(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->ends;
}

int
fake_apdu_resets(const struct apdu *t)
{
	return ((const struct fake *)t->priv)->resets;
}

const char *
fake_apdu_mismatch(const struct apdu *t)
{
	const struct fake *f = t->priv;

	return f->mismatch[0] ? f->mismatch : NULL;
}

int
fake_apdu_card_tries(const struct apdu *t)
{
	const struct fake *f = t->priv;

	return f->kind == FAKE_CARD ? f->card.tries : -1;
}

static size_t
fake_put_tlv(uint8_t *p, unsigned tag, const void *val, size_t len)
{
	size_t n = 0;

	p[n++] = (uint8_t)(tag >> 8);
	p[n++] = (uint8_t)tag;
	if (len < 0x80)
		p[n++] = (uint8_t)len;
	else if (len < 0x100) {
		p[n++] = 0x81;
		p[n++] = (uint8_t)len;
	} else {
		p[n++] = 0x82;
		p[n++] = (uint8_t)(len >> 8);
		p[n++] = (uint8_t)len;
	}
	memcpy(p + n, val, len);
	return n + len;
}

size_t
fake_basic4_record(uint8_t *buf, size_t cap, const char *name,
    const char *address, const char *birth8, const char *sex)
{
	const char *vals[4] = { name, address, birth8, sex };
	uint8_t body[4096], table[8];
	size_t blen, hlen, off[4], total, i, outer;

	/* Field sizes decide the outer header size, which moves the offsets. */
	blen = 3 + 8;
	for (i = 0; i < 4; i++) {
		size_t l = strlen(vals[i]);
		blen += 2 + (l < 0x80 ? 1 : l < 0x100 ? 2 : 3) + l;
	}
	if (blen > sizeof(body))
		return 0;
	hlen = 2 + (blen < 0x80 ? 1 : blen < 0x100 ? 2 : 3);
	total = hlen + blen;
	if (total > cap)
		return 0;
	off[0] = hlen + 11;
	for (i = 1; i < 4; i++) {
		size_t l = strlen(vals[i - 1]);
		off[i] = off[i - 1] + 2 + (l < 0x80 ? 1 : l < 0x100 ? 2 : 3) + l;
	}
	for (i = 0; i < 4; i++) {
		table[2 * i] = (uint8_t)(off[i] >> 8);
		table[2 * i + 1] = (uint8_t)off[i];
	}
	outer = fake_put_tlv(body, 0xDF21, table, 8);
	for (i = 0; i < 4; i++)
		outer += fake_put_tlv(body + outer, 0xDF22 + (unsigned)i,
		    vals[i], strlen(vals[i]));
	return fake_put_tlv(buf, 0xFF20, body, outer);
}

size_t
fake_mynumber_record(uint8_t *buf, size_t cap, const char *digits)
{
	if (cap < 17 || strlen(digits) != 12)
		return 0;
	buf[0] = 0xFF;
	buf[1] = 0x10;
	buf[2] = 0x0C;
	memcpy(buf + 3, digits, 12);
	buf[15] = 0xFF;
	buf[16] = 0xFF;
	return 17;
}
