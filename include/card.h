/*
 * card.h - the My Number card (個人番号カード): tries left, PIN check and the
 * 基本4情報 (name, address, birth date, sex) from the 券面事項入力補助AP,
 * plus a watcher for card insertion and removal.
 *
 * Knows no SDL and no screen; the protocol (card.c) talks only to a
 * struct apdu (apdu.h), the PC/SC parts live in kiosk/card/pcsc*.c.
 * All functions are blocking: call them from a worker thread.
 *
 * Result codes (kerr.h), with a plain one-line message in err:
 *   K_OK         done
 *   K_EINVAL     the PIN is not exactly 4 ASCII digits (nothing was sent)
 *   K_ENODEV     no reader, reader unplugged, or the PC/SC service is gone
 *   K_ENOCARD    the reader is empty
 *   K_EREMOVED   the card was pulled, reset or lost mid-read: place it again
 *                and start over (no PIN try is spent by a retry from scratch)
 *   K_ENOTMINE   not a My Number card (the 券面事項入力補助AP is not there,
 *                or the card does not answer)
 *   K_EPIN       wrong PIN; *tries_out holds the tries left (1 or 2)
 *   K_EBLOCKED   the PIN is blocked (*tries_out = 0): only the office can
 *                reset it; no VERIFY is sent to a blocked card
 *   K_ELASTTRY   with CARD_READ_KEEP_LAST_TRY: 1 try is left
 *                (*tries_out = 1) and no VERIFY was sent
 *   K_EPARSE     the card's record is malformed or truncated
 *   K_EAUTH      the card refused a read (security status not satisfied)
 *   K_EBUSY      another program holds the card
 *   K_EIO        the card reported an internal error
 *   K_EFAIL      an unexpected status word (the message names it)
 * Messages and logs never carry the PIN or personal data.
 */
#ifndef CARD_H
#define CARD_H

#include <stdbool.h>
#include <stddef.h>

#include "apdu.h"
#include "kerr.h"

#define CARD_PIN_TRIES_MAX	3	/* 券面事項入力補助用暗証番号 */
#define CARD_NAME_MAX		256	/* bytes incl. NUL, UTF-8 */
#define CARD_ADDRESS_MAX	768

/* The four basic facts, text exactly as read from the card (UTF-8, no
 * normalisation: 4-byte characters and variation selectors kept). */
struct card_basic4 {
	char name[CARD_NAME_MAX];		/* 氏名, "旭　太郎" */
	char name_family[CARD_NAME_MAX];	/* before the first U+3000, */
	char name_given[CARD_NAME_MAX];		/* after it; both "" if no U+3000 */
	char address[CARD_ADDRESS_MAX];		/* 住所 */
	char birth[11];				/* "1980-04-01" (Gregorian) */
	char sex[2];				/* "1" male "2" female "9" n/a "0" unknown */
	char mynumber[13];			/* 個人番号, only with CARD_READ_MYNUMBER */
	bool has_mynumber;
};

/* card_read_basic4 flags */
#define CARD_READ_MYNUMBER	0x1	/* also read EF 0001 (needs a legal basis) */
/* Send no VERIFY when the card has 1 try left (K_ELASTTRY): one more
 * mistake would lock the card, and only the office can unlock it.  The
 * touch UI stops there before the PIN pad; `kiosk card read` sets this. */
#define CARD_READ_KEEP_LAST_TRY	0x2

/*
 * Tries left of the 4-digit PIN without spending one (empty VERIFY).
 * K_OK with 1..3; K_EBLOCKED with *tries_out = 0.
 */
int  card_pin_tries(struct apdu *t, int *tries_out, struct kerr *err);

/*
 * Check the PIN and read the 基本4情報 (and the 個人番号 when asked).
 * Order: PIN format check (K_EINVAL, nothing sent), SELECT AP, SELECT PIN
 * EF, tries-left query (blocked: K_EBLOCKED, no VERIFY; 1 left with
 * CARD_READ_KEEP_LAST_TRY: K_ELASTTRY, no VERIFY), VERIFY once (never
 * retried), SELECT EF 0002, READ BINARY by offsets, parse; all inside one
 * transaction which ends with a card reset.  *tries_out is set whenever
 * known (K_OK: the maximum after a good PIN; K_EPIN: tries left; else -1 if
 * unknown).  out is wiped first and again on any failure.  The PIN is not
 * copied anywhere except the VERIFY buffer, which is wiped after sending.
 */
int  card_read_basic4(struct apdu *t, const char *pin, unsigned flags,
    int *tries_out, struct card_basic4 *out, struct kerr *err);

/* explicit_bzero the whole struct. */
void card_basic4_wipe(struct card_basic4 *b);

/* Exactly 4 ASCII digits. */
bool card_pin_format_ok(const char *pin);

/* "male", "female", "not applicable", "not known" (JIS X 0303); NULL for
 * anything else.  Screens translate these through i18n. */
const char *card_sex_text(const char *code);

/* Pure parsers (also fuzzed): EF 0002 bytes (filler allowed after the
 * record) and EF 0001 bytes (FF 10 0C + 12 digits, check digit verified). */
int  card_parse_basic4(const uint8_t *buf, size_t len, struct card_basic4 *out,
    struct kerr *err);
int  card_parse_mynumber(const uint8_t *buf, size_t len, char out[13],
    struct kerr *err);
/* 12 ASCII digits whose last one is the check digit of the first 11. */
bool card_mynumber_ok(const char *digits);

/*
 * One-shot helpers for UI workers: open the reader (NULL or "": the first
 * reader holding a card; else an exact name or a part of one), do it,
 * close.
 */
int  card_tries_at(const char *reader, int *tries_out, struct kerr *err);
int  card_read_at(const char *reader, const char *pin, unsigned flags,
    int *tries_out, struct card_basic4 *out, struct kerr *err);

/*
 * The watcher: a worker thread waiting in SCardGetStatusChange and calling
 * fn on every change of state.  The first call reports the state found at
 * start.  It survives a reader unplugged and plugged back and a pcscd
 * restart (reporting CARD_EV_NO_READER meanwhile).  reader: as above (NULL
 * or "": any reader; the event names the reader concerned).
 *
 * fn runs on the watcher thread; it must return quickly (post an event to
 * the UI) and must not call card_watch_stop.
 */
enum card_event {
	CARD_EV_NO_READER,	/* no (matching) reader, or pcscd is gone */
	CARD_EV_EMPTY,		/* a reader is there, no card (at start, or
				   after the reader came back) */
	CARD_EV_INSERTED,	/* a card is in the reader */
	CARD_EV_REMOVED,	/* the card was taken out */
};
typedef void card_watch_fn(void *arg, enum card_event ev, const char *reader);

struct card_watch;
int  card_watch_start(struct card_watch **out, const char *reader,
    card_watch_fn *fn, void *arg, struct kerr *err);
/* Cancel at once (SCardCancel), join; no call of fn after it returns. */
void card_watch_stop(struct card_watch *w);
const char *card_event_name(enum card_event ev);	/* "inserted" ... */

#endif
