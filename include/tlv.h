/*
 * tlv.h - a BER-TLV cursor over untrusted bytes (cards, fuzzers).
 *
 * Tags are returned as their raw bytes, big-endian in an unsigned (FF 20 ->
 * 0xFF20, DF 22 -> 0xDF22), up to 3 bytes.  Lengths: short form, and long
 * form 81 xx / 82 xx xx / 83 xx xx xx; the indefinite form (80) and longer
 * forms are refused.  Nothing is ever read past `end`; on error *out is
 * zeroed and err names what is wrong and at which offset (never the data).
 * Bytes 00 and FF where a tag should start, when everything from there to
 * the end is 00/FF, are filler (ISO 7816-4 padding): the cursor reports the
 * end.
 */
#ifndef TLV_H
#define TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

struct tlv {
	unsigned tag;		/* raw tag bytes, e.g. 0xDF22 */
	bool constructed;	/* bit 6 of the first tag byte */
	const uint8_t *val;	/* points into the caller's buffer */
	size_t len;		/* value length */
	size_t hdr_len;		/* tag + length bytes */
};

/*
 * Read the TLV at *cur and advance *cur past it.  Returns K_OK, K_ENOTFOUND
 * at the end (or at trailing filler), K_EPARSE on a malformed or truncated
 * TLV.  base (may be NULL) is used only to report offsets in messages.
 */
int tlv_next(const uint8_t **cur, const uint8_t *end, const uint8_t *base,
    struct tlv *out, struct kerr *err);

/*
 * Parse only the header at buf: tag, header length and value length, even
 * when the value itself is not in buf yet (a card record read in parts).
 * K_EPARSE when the header is malformed or does not fit in len bytes.
 */
int tlv_header(const uint8_t *buf, size_t len, struct tlv *out,
    struct kerr *err);

/* The first TLV with this tag among the siblings in buf[0..len). */
int tlv_find(const uint8_t *buf, size_t len, unsigned tag, struct tlv *out,
    struct kerr *err);

#endif
