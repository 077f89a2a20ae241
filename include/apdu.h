/*
 * apdu.h - the only door to a smart card: send a command APDU, get the
 * response data and the status word.
 *
 * A transport is a small const ops table (cf. tmux window_mode, OpenSC reader
 * ops): kiosk/card/pcsc.c talks to pcscd (the only <winscard.h> user),
 * tests/fakes/fake_apdu.c plays a scripted card.  The card protocol
 * (card.c) is written against this seam only.
 *
 * Transports map their own failures to kerr.h codes:
 *   K_EREMOVED  card pulled, reset, or communication lost mid-command
 *   K_ENOCARD   no card in the reader
 *   K_ENODEV    no reader, reader unplugged, PC/SC service gone
 *   K_ENOTMINE  the card does not answer (mute, upside down, not a chip card)
 *   K_EBUSY     another program holds the card
 *   K_ETIMEOUT  no answer in time
 *   K_EFAIL     anything else (the message says what)
 * Messages never carry APDU data (a VERIFY carries the PIN; responses carry
 * personal data).
 */
#ifndef APDU_H
#define APDU_H

#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

/* Short APDUs only: 256 data bytes + SW1 SW2. */
#define APDU_MAX_CMD	261
#define APDU_MAX_RESP	258

struct apdu;

struct apdu_ops {
	const char *name;				/* "pcsc", "fake" */
	/*
	 * Send cmd; on K_OK the response data (without SW) is in resp,
	 * *resp_len (in: capacity, out: length) and *sw holds SW1<<8|SW2.
	 * No 61xx/6Cxx handling here: apdu_transmit() does that.
	 */
	int  (*transmit)(struct apdu *t, const uint8_t *cmd, size_t cmd_len,
	    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err);
	/* Exclusive use of the card from begin to end (SCardBeginTransaction).
	 * end(reset = 1) also resets the card so a verified PIN state does
	 * not outlive the session.  Both optional (NULL: no-op). */
	int  (*begin)(struct apdu *t, struct kerr *err);
	void (*end)(struct apdu *t, int reset);
	void (*close)(struct apdu *t);			/* frees t */
};

struct apdu {
	const struct apdu_ops *ops;
	void *priv;
	unsigned long count;		/* APDUs sent on the wire (bench, tests) */
};

/*
 * Send one command APDU and return its response data and SW.  Handles the
 * T=0 conventions transparently: 61xx (GET RESPONSE 00 C0 00 00 xx, data
 * appended) and 6Cxx (resend with Le = xx; only for commands without a
 * data field, so a VERIFY is never sent twice).  Logs command headers and SWs
 * at debug level, never the data.
 */
int  apdu_transmit(struct apdu *t, const uint8_t *cmd, size_t cmd_len,
    uint8_t *resp, size_t *resp_len, uint16_t *sw, struct kerr *err);
int  apdu_begin(struct apdu *t, struct kerr *err);
void apdu_end(struct apdu *t, int reset);
void apdu_close(struct apdu *t);		/* NULL is fine */

/*
 * PC/SC transport (kiosk/card/pcsc.c).  reader: exact name, or a part of
 * a name ("Virtual PCD", "RC-S300"); NULL or "": the first reader holding
 * a card.  K_ENODEV when no reader (or pcscd) is there, K_ENOCARD when the
 * reader is empty, K_ENOTMINE when the card is mute.
 */
int  apdu_pcsc_open(struct apdu **out, const char *reader, struct kerr *err);

/* Readers known to pcscd, for `kiosk card list`. */
struct apdu_reader {
	char name[128];
	int  present;		/* a card is in it */
	int  mute;		/* a card is in it but does not answer */
	int  inuse;		/* another program has it open exclusively */
	char atr[2 * 33 + 1];	/* hex, empty when no card */
};
int  apdu_pcsc_list(struct apdu_reader *out, size_t max, size_t *n,
    struct kerr *err);

/*
 * Map a PC/SC return value (LONG, passed as long) to a kerr code and a
 * plain message naming what was being done ("SCardTransmit (READ BINARY)").
 * Exposed for the unit tests of the mapping table.
 */
int  apdu_pcsc_error(long rv, const char *what, struct kerr *err);

#endif
