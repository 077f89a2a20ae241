/*
 * qr.h - QR codes for the ticket and the on-screen ticket.
 *
 * The payload is ASCII only (a URL with the ticket token): a non-ASCII byte
 * has no charset marker in byte mode and phones would guess it wrong.  The
 * symbol is ECC level M, byte mode, the smallest version that fits.  Only
 * kiosk/print/qr.c includes <qrencode.h>.
 */
#ifndef QR_H
#define QR_H

#include <stdint.h>

#include "kerr.h"

#define QR_QUIET_ZONE 4   /* modules of white border a reader needs */
#define QR_MAX_PAYLOAD 1024

struct qr {
	int width;           /* modules per side, without quiet zone */
	uint8_t *modules;    /* width*width bytes, 1 = dark, row-major */
};

/* Encode ascii_payload (1..QR_MAX_PAYLOAD printable ASCII bytes, 0x20..0x7e).
 * K_EINVAL for an empty, non-ASCII or too long payload; out is zeroed then. */
int qr_encode(const char *ascii_payload, struct qr *out, struct kerr *err);
/* Free the modules; safe on a zeroed or already freed struct. */
void qr_free(struct qr *q);

#endif
