/*
 * tlv.c - BER-TLV cursor over untrusted bytes.  Pure: no I/O, no allocation.
 */
#include <string.h>

#include "tlv.h"

#define OFF(p) ((size_t)((p) - base))

static bool
tlv_all_filler(const uint8_t *p, const uint8_t *end)
{
	for (; p < end; p++)
		if (*p != 0x00 && *p != 0xFF)
			return false;
	return true;
}

/* Tag and length at p (not beyond end); the value is not checked. */
static int
tlv_parse_header(const uint8_t *p, const uint8_t *end, const uint8_t *base,
    struct tlv *out, struct kerr *err)
{
	const uint8_t *start = p;
	unsigned tag;
	size_t len, n, i;

	memset(out, 0, sizeof(*out));
	if (base == NULL)
		base = start;
	if (p >= end)
		return kerr_set(err, K_EPARSE, "TLV at offset %zu: no tag byte",
		    OFF(p));
	tag = *p++;
	out->constructed = (tag & 0x20) != 0;
	if ((tag & 0x1F) == 0x1F) {
		/* Subsequent tag bytes: bit 8 set means another follows. */
		for (i = 0;; i++) {
			if (p >= end)
				return kerr_set(err, K_EPARSE,
				    "TLV at offset %zu: tag cut short",
				    OFF(start));
			if (i == 2)
				return kerr_set(err, K_EPARSE,
				    "TLV at offset %zu: tag longer than 3 bytes",
				    OFF(start));
			tag = tag << 8 | *p;
			if ((*p++ & 0x80) == 0)
				break;
		}
	}
	if (p >= end)
		return kerr_set(err, K_EPARSE,
		    "TLV %X at offset %zu: length missing", tag, OFF(start));
	if (*p < 0x80) {
		len = *p++;
	} else if (*p == 0x80) {
		return kerr_set(err, K_EPARSE,
		    "TLV %X at offset %zu: indefinite length not allowed", tag,
		    OFF(start));
	} else {
		n = *p++ & 0x7F;
		if (n > 3)
			return kerr_set(err, K_EPARSE,
			    "TLV %X at offset %zu: %zu-byte length field too long",
			    tag, OFF(start), n);
		if ((size_t)(end - p) < n)
			return kerr_set(err, K_EPARSE,
			    "TLV %X at offset %zu: length cut short", tag,
			    OFF(start));
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | *p++;
	}
	out->tag = tag;
	out->len = len;
	out->hdr_len = (size_t)(p - start);
	return K_OK;
}

int
tlv_header(const uint8_t *buf, size_t len, struct tlv *out, struct kerr *err)
{
	return tlv_parse_header(buf, buf + len, buf, out, err);
}

int
tlv_next(const uint8_t **cur, const uint8_t *end, const uint8_t *base,
    struct tlv *out, struct kerr *err)
{
	const uint8_t *p = *cur;
	int rc;

	if (base == NULL)
		base = p;
	if (p >= end || tlv_all_filler(p, end)) {
		memset(out, 0, sizeof(*out));
		return K_ENOTFOUND;
	}
	if ((rc = tlv_parse_header(p, end, base, out, err)) != K_OK)
		return rc;
	if (out->len > (size_t)(end - p) - out->hdr_len) {
		rc = kerr_set(err, K_EPARSE,
		    "TLV %X at offset %zu: length %zu runs past the end (%zu bytes left)",
		    out->tag, OFF(p), out->len,
		    (size_t)(end - p) - out->hdr_len);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	out->val = p + out->hdr_len;
	*cur = out->val + out->len;
	return K_OK;
}

int
tlv_find(const uint8_t *buf, size_t len, unsigned tag, struct tlv *out,
    struct kerr *err)
{
	const uint8_t *cur = buf, *end = buf + len;
	int rc;

	while ((rc = tlv_next(&cur, end, buf, out, err)) == K_OK)
		if (out->tag == tag)
			return K_OK;
	if (rc == K_ENOTFOUND)
		kerr_set(err, K_ENOTFOUND, "TLV %X not found", tag);
	memset(out, 0, sizeof(*out));
	return rc;
}
