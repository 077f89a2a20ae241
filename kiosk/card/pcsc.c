/*
 * pcsc.c - the APDU transport over pcsc-lite (pcscd), and reader listing.
 * With pcsc_watch.c the only files that include <winscard.h>.
 *
 * A transport holds one context and one card handle for its whole life, so
 * the tries query, VERIFY and the reads happen on one connection (a
 * reconnect would power the card up again and forget the VERIFY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winscard.h>

#include "apdu.h"
#include "pcsc_int.h"
#include "xmalloc.h"

struct pcsc {
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto;
	int in_tx;
};

static const struct pcsc_err {
	long rv;
	int code;
	const char *text;
} pcsc_errs[] = {
	{ (long)SCARD_W_REMOVED_CARD, K_EREMOVED, "the card was removed" },
	{ (long)SCARD_E_NO_SMARTCARD, K_EREMOVED, "the card is no longer in the reader" },
	{ (long)SCARD_W_RESET_CARD, K_EREMOVED, "the card was reset by another program" },
	{ (long)SCARD_E_NOT_TRANSACTED, K_EREMOVED, "the command did not reach the card" },
	{ (long)SCARD_F_COMM_ERROR, K_EREMOVED, "communication with the card was lost" },
	{ (long)SCARD_W_UNPOWERED_CARD, K_EREMOVED, "the card lost power" },
	{ (long)SCARD_W_UNRESPONSIVE_CARD, K_ENOTMINE, "the card does not answer (inserted the wrong way, or not a chip card)" },
	{ (long)SCARD_E_PROTO_MISMATCH, K_ENOTMINE, "the card speaks no protocol the reader offers" },
	{ (long)SCARD_W_UNSUPPORTED_CARD, K_ENOTMINE, "the reader cannot use this card" },
	{ (long)SCARD_E_NO_SERVICE, K_ENODEV, "the PC/SC service (pcscd) is not running" },
	{ (long)SCARD_E_SERVICE_STOPPED, K_ENODEV, "the PC/SC service (pcscd) stopped" },
	{ (long)SCARD_E_INVALID_HANDLE, K_ENODEV, "the connection to the PC/SC service was lost" },
	{ (long)SCARD_E_NO_READERS_AVAILABLE, K_ENODEV, "no card reader is connected" },
	{ (long)SCARD_E_READER_UNAVAILABLE, K_ENODEV, "the card reader was unplugged" },
	{ (long)SCARD_E_UNKNOWN_READER, K_ENODEV, "no such card reader" },
	{ (long)SCARD_E_SHARING_VIOLATION, K_EBUSY, "another program is using the card" },
	{ (long)SCARD_E_TIMEOUT, K_ETIMEOUT, "no answer in time" },
	{ (long)SCARD_E_CANCELLED, K_EBUSY, "the operation was cancelled" },
	{ (long)SCARD_E_INSUFFICIENT_BUFFER, K_EFAIL, "the answer did not fit the buffer" },
	{ (long)SCARD_E_NO_MEMORY, K_EFAIL, "the PC/SC service ran out of memory" },
	{ (long)SCARD_F_INTERNAL_ERROR, K_EFAIL, "internal error of the PC/SC service" },
};

int
apdu_pcsc_error(long rv, const char *what, struct kerr *err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pcsc_errs); i++)
		if (pcsc_errs[i].rv == rv)
			return kerr_set(err, pcsc_errs[i].code, "%s: %s (0x%08lX)",
			    what, pcsc_errs[i].text, (unsigned long)rv & 0xFFFFFFFFUL);
	return kerr_set(err, K_EFAIL, "%s: PC/SC error 0x%08lX", what,
	    (unsigned long)rv & 0xFFFFFFFFUL);
}

int
pcsc_readers(SCARDCONTEXT ctx, char **list, struct kerr *err)
{
	DWORD len = 0;
	LONG rv;
	char *buf;

	*list = NULL;
	rv = SCardListReaders(ctx, NULL, NULL, &len);
	if (rv == SCARD_S_SUCCESS) {
		buf = xmalloc(len + 1);
		rv = SCardListReaders(ctx, NULL, buf, &len);
		if (rv == SCARD_S_SUCCESS) {
			buf[len] = '\0';
			*list = buf;
			return K_OK;
		}
		free(buf);
	}
	return apdu_pcsc_error(rv, "listing card readers", err);
}

/* Exact name first, then the first name containing `want`. */
const char *
pcsc_match(const char *list, const char *want)
{
	const char *r;

	for (r = list; *r != '\0'; r += strlen(r) + 1)
		if (strcmp(r, want) == 0)
			return r;
	for (r = list; *r != '\0'; r += strlen(r) + 1)
		if (strstr(r, want) != NULL)
			return r;
	return NULL;
}

/* The first reader with a card in it; NULL when all are empty. */
static const char *
pcsc_first_with_card(SCARDCONTEXT ctx, const char *list, struct kerr *err,
    int *rc)
{
	SCARD_READERSTATE st[16];
	const char *r;
	DWORD n = 0, i;
	LONG rv;

	*rc = K_OK;
	for (r = list; *r != '\0' && n < ARRAY_SIZE(st); r += strlen(r) + 1) {
		memset(&st[n], 0, sizeof(st[n]));
		st[n].szReader = r;
		st[n].dwCurrentState = SCARD_STATE_UNAWARE;
		n++;
	}
	rv = SCardGetStatusChange(ctx, 0, st, n);
	if (rv != SCARD_S_SUCCESS && rv != (LONG)SCARD_E_TIMEOUT) {
		*rc = apdu_pcsc_error(rv, "reading the reader state", err);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (st[i].dwEventState & SCARD_STATE_PRESENT)
			return st[i].szReader;
	return NULL;
}

static int
pcsc_transmit(struct apdu *t, const uint8_t *cmd, size_t cmd_len,
    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err)
{
	struct pcsc *p = t->priv;
	uint8_t buf[MAX_BUFFER_SIZE_EXTENDED];
	DWORD n = sizeof(buf);
	LONG rv;
	char what[48];

	rv = SCardTransmit(p->h, p->proto == SCARD_PROTOCOL_T0 ?
	    SCARD_PCI_T0 : SCARD_PCI_T1, cmd, (DWORD)cmd_len, NULL, buf, &n);
	if (rv != SCARD_S_SUCCESS) {
		snprintf(what, sizeof(what), "sending %02X %02X to the card",
		    cmd[0], cmd[1]);
		*resp_len = 0;
		return apdu_pcsc_error(rv, what, err);
	}
	if (n < 2) {
		/* vpcd (and some readers) report a card that vanished
		 * mid-command as an empty answer rather than an error. */
		explicit_bzero(buf, sizeof(buf));
		return kerr_set(err, K_EREMOVED,
		    "the card gave no answer to %02X %02X (removed?)",
		    cmd[0], cmd[1]);
	}
	if (n - 2 > *resp_len) {
		explicit_bzero(buf, sizeof(buf));
		return kerr_set(err, K_EFAIL,
		    "the card answered %lu bytes, more than the %zu expected",
		    (unsigned long)n - 2, *resp_len);
	}
	memcpy(resp, buf, n - 2);
	*resp_len = n - 2;
	*sw = (uint16_t)(buf[n - 2] << 8 | buf[n - 1]);
	explicit_bzero(buf, sizeof(buf));
	return K_OK;
}

static int
pcsc_begin(struct apdu *t, struct kerr *err)
{
	struct pcsc *p = t->priv;
	LONG rv;

	rv = SCardBeginTransaction(p->h);
	if (rv != SCARD_S_SUCCESS)
		return apdu_pcsc_error(rv, "starting a card transaction", err);
	p->in_tx = 1;
	return K_OK;
}

static void
pcsc_end(struct apdu *t, int reset)
{
	struct pcsc *p = t->priv;
	LONG rv;

	if (!p->in_tx)
		return;
	p->in_tx = 0;
	rv = SCardEndTransaction(p->h, reset ? SCARD_RESET_CARD :
	    SCARD_LEAVE_CARD);
	if (rv != SCARD_S_SUCCESS)
		klog("debug", "card", "SCardEndTransaction: 0x%08lX",
		    (unsigned long)rv);
}

static void
pcsc_close(struct apdu *t)
{
	struct pcsc *p = t->priv;

	if (p->in_tx)
		pcsc_end(t, 1);
	SCardDisconnect(p->h, SCARD_LEAVE_CARD);
	SCardReleaseContext(p->ctx);
	free(p);
	free(t);
}

static const struct apdu_ops pcsc_ops = {
	.name = "pcsc",
	.transmit = pcsc_transmit,
	.begin = pcsc_begin,
	.end = pcsc_end,
	.close = pcsc_close,
};

int
apdu_pcsc_open(struct apdu **out, const char *want, struct kerr *err)
{
	struct pcsc *p;
	struct apdu *t;
	SCARDCONTEXT ctx;
	const char *reader;
	char *list = NULL;
	LONG rv;
	int rc;

	*out = NULL;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS)
		return apdu_pcsc_error(rv, "connecting to pcscd", err);
	if ((rc = pcsc_readers(ctx, &list, err)) != K_OK)
		goto fail;
	if (want != NULL && want[0] != '\0') {
		if ((reader = pcsc_match(list, want)) == NULL) {
			rc = kerr_set(err, K_ENODEV,
			    "no card reader named \"%.60s\"", want);
			goto fail;
		}
	} else if ((reader = pcsc_first_with_card(ctx, list, err, &rc)) ==
	    NULL) {
		if (rc == K_OK)
			rc = kerr_set(err, K_ENOCARD, "no card in the reader");
		goto fail;
	}

	p = xcalloc(1, sizeof(*p));
	p->ctx = ctx;
	rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED,
	    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &p->h, &p->proto);
	if (rv != SCARD_S_SUCCESS) {
		free(p);
		if (rv == (LONG)SCARD_E_NO_SMARTCARD ||
		    rv == (LONG)SCARD_W_REMOVED_CARD)
			rc = kerr_set(err, K_ENOCARD, "no card in the reader");
		else
			rc = apdu_pcsc_error(rv, "connecting to the card", err);
		goto fail;
	}
	free(list);
	t = xcalloc(1, sizeof(*t));
	t->ops = &pcsc_ops;
	t->priv = p;
	*out = t;
	return K_OK;
fail:
	free(list);
	SCardReleaseContext(ctx);
	return rc;
}

int
apdu_pcsc_list(struct apdu_reader *out, size_t max, size_t *n,
    struct kerr *err)
{
	SCARD_READERSTATE st[16];
	SCARDCONTEXT ctx;
	const char *r;
	char *list = NULL;
	DWORD cnt = 0, i, j;
	LONG rv;
	int rc;

	*n = 0;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS)
		return apdu_pcsc_error(rv, "connecting to pcscd", err);
	if ((rc = pcsc_readers(ctx, &list, err)) != K_OK)
		goto out;
	for (r = list; *r != '\0' && cnt < ARRAY_SIZE(st) && cnt < max;
	    r += strlen(r) + 1) {
		memset(&st[cnt], 0, sizeof(st[cnt]));
		st[cnt].szReader = r;
		st[cnt].dwCurrentState = SCARD_STATE_UNAWARE;
		cnt++;
	}
	rv = SCardGetStatusChange(ctx, 0, st, cnt);
	if (rv != SCARD_S_SUCCESS && rv != (LONG)SCARD_E_TIMEOUT) {
		rc = apdu_pcsc_error(rv, "reading the reader state", err);
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		struct apdu_reader *a = &out[i];
		DWORD ev = st[i].dwEventState;

		memset(a, 0, sizeof(*a));
		snprintf(a->name, sizeof(a->name), "%s", st[i].szReader);
		a->present = (ev & SCARD_STATE_PRESENT) != 0;
		a->mute = (ev & SCARD_STATE_MUTE) != 0;
		a->inuse = (ev & SCARD_STATE_EXCLUSIVE) != 0;
		if (a->present)
			for (j = 0; j < st[i].cbAtr && j < 33; j++)
				snprintf(a->atr + 2 * j, 3, "%02X",
				    st[i].rgbAtr[j]);
	}
	*n = cnt;
out:
	free(list);
	SCardReleaseContext(ctx);
	return rc;
}
