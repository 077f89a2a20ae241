/*
 * fake_apdu.h - card transports for unit tests and fuzzing (cf. OpenSC's
 * fuzzer_reader, SQLite's "fail the Nth call").
 *
 * Three kinds, all struct apdu with the "fake" ops:
 *  - scripted: a list of (expected command, reply) in hex; the reply ends
 *    in the SW.  An unexpected command fails the call with K_EFAIL and is
 *    reported by fake_apdu_mismatch().
 *  - simulated card: a small My Number card (AP, EFs, PIN with its retry
 *    counter), to walk whole flows (wrong PIN three times ...).
 *  - fuzz: replies taken from fuzz input, each a length byte and bytes.
 * Every kind records the commands sent and can fail the Nth call.
 */
#ifndef FAKE_APDU_H
#define FAKE_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"

struct fake_apdu_step {
	const char *expect_hex;	/* NULL: accept any command */
	const char *reply_hex;	/* data + SW1 SW2, spaces allowed */
};

/* The simulated card; the fake keeps a copy (files included). */
struct fake_card {
	bool mynumber_ap;		/* the 券面事項入力補助AP is there */
	const char *pin;		/* "1234" */
	int tries;			/* left, 0 = blocked */
	const uint8_t *ef0002;		/* physical file, filler included */
	size_t ef0002_len;
	const uint8_t *ef0001;
	size_t ef0001_len;
	bool answer_6984;		/* blocked VERIFY with data: 6984 (else 63C0) */
};

int  fake_apdu_new(struct apdu **out, const struct fake_apdu_step *script,
    size_t n);
int  fake_apdu_card(struct apdu **out, const struct fake_card *card);
int  fake_apdu_from_fuzz(struct apdu **out, const uint8_t *data, size_t len);

/* Call nth (1-based) fails with code; persist: every later call too. */
void fake_apdu_fail_at(struct apdu *t, int nth_call, int code, bool persist);
int  fake_apdu_calls(const struct apdu *t);	/* transmit calls, failed too */
/* Hex of the command of call i (0-based, "00A4040C0A..."), NULL past end. */
const char *fake_apdu_sent(const struct apdu *t, int i);
/* Commands sent with INS 20 and a data field (real PIN checks). */
int  fake_apdu_verifies(const struct apdu *t);
/* Number of calls made outside begin..end. */
int  fake_apdu_outside_tx(const struct apdu *t);
int  fake_apdu_begins(const struct apdu *t);
int  fake_apdu_ends(const struct apdu *t);	/* with reset counted in resets */
int  fake_apdu_resets(const struct apdu *t);
/* The first script mismatch ("call 3: expected ..., got ..."), or NULL. */
const char *fake_apdu_mismatch(const struct apdu *t);
/* Tries left of the simulated card (-1 for other kinds). */
int  fake_apdu_card_tries(const struct apdu *t);

/*
 * Build a valid EF 0002 record (FF 20, offset table, DF22..DF25) into buf;
 * the outer length uses the long form when over 127.  Returns the length,
 * or 0 if it does not fit.
 */
size_t fake_basic4_record(uint8_t *buf, size_t cap, const char *name,
    const char *address, const char *birth8, const char *sex);
/* EF 0001: FF 10 0C + the 12 digits + FF FF (17 bytes). */
size_t fake_mynumber_record(uint8_t *buf, size_t cap, const char *digits);

/* Parse hex (spaces ignored) into buf; returns the byte count or -1. */
int  fake_hex(const char *hex, uint8_t *buf, size_t cap);

#endif
