/*
 * apdu.c - thin wrappers over a transport's ops: counting, debug trace
 * (headers and SWs only, never data) and the T=0 conventions 61xx / 6Cxx.
 */
#include <string.h>

#include "apdu.h"

#define APDU_MAX_CHAIN	16	/* 61xx rounds before we call it a loop */

static void
apdu_trace(const uint8_t *cmd, size_t cmd_len, uint16_t sw, size_t resp_len)
{
	/* CLA INS P1 P2 and the length of the rest; never the data: a VERIFY
	 * carries the PIN and READ BINARY answers carry personal data. */
	klog("debug", "card", "apdu %02X %02X %02X %02X +%zu -> %04X (%zu bytes)",
	    cmd[0], cmd[1], cmd_len > 2 ? cmd[2] : 0, cmd_len > 3 ? cmd[3] : 0,
	    cmd_len > 4 ? cmd_len - 4 : 0, sw, resp_len);
}

static int
apdu_raw(struct apdu *t, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
    size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	int rc;

	t->count++;
	rc = t->ops->transmit(t, cmd, cmd_len, resp, resp_len, sw, err);
	if (rc == K_OK)
		apdu_trace(cmd, cmd_len, *sw, *resp_len);
	else {
		*resp_len = 0;
		klog("debug", "card", "apdu %02X %02X: %s", cmd[0],
		    cmd_len > 1 ? cmd[1] : 0, kerr_name(rc));
	}
	return rc;
}

int
apdu_transmit(struct apdu *t, const uint8_t *cmd, size_t cmd_len,
    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	uint8_t again[APDU_MAX_CMD], getresp[5] = { 0x00, 0xC0, 0x00, 0x00, 0 };
	size_t cap = *resp_len, have, n;
	int rc, rounds;

	if (cmd_len < 4 || cmd_len > APDU_MAX_CMD)
		return kerr_set(err, K_EINVAL, "command APDU of %zu bytes",
		    cmd_len);
	n = cap;
	if ((rc = apdu_raw(t, cmd, cmd_len, resp, &n, sw, err)) != K_OK)
		return rc;
	if ((*sw & 0xFF00) == 0x6C00 && cmd_len <= 5) {
		/* Wrong Le: resend with Le = SW2.  Only commands without a
		 * data field (case 1 and 2): a command carrying data, a VERIFY
		 * above all, is never sent twice. */
		memcpy(again, cmd, cmd_len);
		if (cmd_len == 4)
			again[cmd_len++] = (uint8_t)*sw;
		else
			again[4] = (uint8_t)*sw;
		n = cap;
		rc = apdu_raw(t, again, cmd_len, resp, &n, sw, err);
		explicit_bzero(again, sizeof(again));
		if (rc != K_OK)
			return rc;
	}
	have = n;
	for (rounds = 0; (*sw & 0xFF00) == 0x6100; rounds++) {
		if (rounds == APDU_MAX_CHAIN)
			return kerr_set(err, K_EFAIL,
			    "card kept answering 61xx (more data) after %d GET RESPONSE",
			    rounds);
		getresp[4] = (uint8_t)*sw;
		n = cap - have;
		if ((rc = apdu_raw(t, getresp, sizeof(getresp), resp + have, &n,
		    sw, err)) != K_OK)
			return rc;
		have += n;
	}
	*resp_len = have;
	return K_OK;
}

int
apdu_begin(struct apdu *t, struct kerr *err)
{
	if (t->ops->begin == NULL)
		return K_OK;
	return t->ops->begin(t, err);
}

void
apdu_end(struct apdu *t, int reset)
{
	if (t->ops->end != NULL)
		t->ops->end(t, reset);
}

void
apdu_close(struct apdu *t)
{
	if (t != NULL)
		t->ops->close(t);
}
