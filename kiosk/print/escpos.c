/*
 * escpos.c - encode tickets as ESC/POS, parse status replies.  Pure.
 */
#include <string.h>

#include "escpos.h"
#include "print.h"
#include "ticket.h"

int
escpos_reset(struct bytebuf *b)
{
	return bytebuf_append(b, "\x1b\x40", 2);
}

int
escpos_disable_dle_dc4(struct bytebuf *b)
{
	/* GS ( D pL=5 pH=0 m=20, [a=1 b=0] [a=2 b=0] */
	static const uint8_t cmd[] = { 0x1d, 0x28, 0x44, 0x05, 0x00, 0x14,
		0x01, 0x00, 0x02, 0x00 };

	return bytebuf_append(b, cmd, sizeof(cmd));
}

int
escpos_align(struct bytebuf *b, int how)
{
	uint8_t cmd[3] = { 0x1b, 0x61, 0 };

	if (how < 0 || how > 2)
		return K_EINVAL;
	cmd[2] = (uint8_t)how;
	return bytebuf_append(b, cmd, sizeof(cmd));
}

int
escpos_raster(struct bytebuf *b, const struct bitmap *bm, int y0, int y1)
{
	int y, rows, rc;

	if (y0 < 0 || y1 > bm->h || y0 > y1 || bm->stride > 0xffff)
		return K_EINVAL;
	for (y = y0; y < y1; y += rows) {
		uint8_t hdr[8] = { 0x1d, 0x76, 0x30, 0x00 };

		rows = y1 - y < ESCPOS_BAND_ROWS ? y1 - y : ESCPOS_BAND_ROWS;
		hdr[4] = (uint8_t)(bm->stride & 0xff);
		hdr[5] = (uint8_t)(bm->stride >> 8);
		hdr[6] = (uint8_t)(rows & 0xff);
		hdr[7] = (uint8_t)(rows >> 8);
		if ((rc = bytebuf_append(b, hdr, sizeof(hdr))) != K_OK ||
		    (rc = bytebuf_append(b, bm->bits + (size_t)y * bm->stride,
		    (size_t)rows * bm->stride)) != K_OK)
			return rc;
	}
	return K_OK;
}

int
escpos_feed(struct bytebuf *b, int lines)
{
	uint8_t cmd[3] = { 0x1b, 0x64, 0 };

	if (lines < 0 || lines > 255)
		return K_EINVAL;
	cmd[2] = (uint8_t)lines;
	return bytebuf_append(b, cmd, sizeof(cmd));
}

int
escpos_cut(struct bytebuf *b, bool partial, int feed)
{
	uint8_t cmd[4] = { 0x1d, 0x56, 0, 0 };

	if (feed < 0 || feed > 255)
		return K_EINVAL;
	cmd[2] = partial ? 66 : 65;
	cmd[3] = (uint8_t)feed;
	return bytebuf_append(b, cmd, sizeof(cmd));
}

int
escpos_qr(struct bytebuf *b, const char *payload, int module,
    struct kerr *err)
{
	static const uint8_t model[] = { 0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31,
		0x41, 0x32, 0x00 };
	static const uint8_t ecc_m[] = { 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31,
		0x45, 0x31 };
	static const uint8_t print[] = { 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31,
		0x51, 0x30 };
	uint8_t size[8] = { 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0 };
	uint8_t store[8] = { 0x1d, 0x28, 0x6b, 0, 0, 0x31, 0x50, 0x30 };
	size_t len = payload != NULL ? strlen(payload) : 0, i, p;
	int rc;

	if (len == 0 || len > 7089)
		return kerr_set(err, K_EINVAL,
		    "escpos: QR payload of %zu bytes outside 1..7089", len);
	for (i = 0; i < len; i++)
		if ((unsigned char)payload[i] < 0x20 ||
		    (unsigned char)payload[i] > 0x7e)
			return kerr_set(err, K_EINVAL,
			    "escpos: QR payload byte %zu is not printable "
			    "ASCII", i);
	if (module < 1 || module > 16)
		return kerr_set(err, K_EINVAL,
		    "escpos: QR module size %d outside 1..16", module);
	size[7] = (uint8_t)module;
	p = len + 3;
	store[3] = (uint8_t)(p & 0xff);
	store[4] = (uint8_t)(p >> 8);
	if ((rc = bytebuf_append(b, model, sizeof(model))) != K_OK ||
	    (rc = bytebuf_append(b, size, sizeof(size))) != K_OK ||
	    (rc = bytebuf_append(b, ecc_m, sizeof(ecc_m))) != K_OK ||
	    (rc = bytebuf_append(b, store, sizeof(store))) != K_OK ||
	    (rc = bytebuf_append(b, payload, len)) != K_OK ||
	    (rc = bytebuf_append(b, print, sizeof(print))) != K_OK)
		return kerr_set(err, rc, "escpos: buffer full");
	return K_OK;
}

int
escpos_status_query(struct bytebuf *b, int n)
{
	uint8_t cmd[3] = { 0x10, 0x04, 0 };

	if (n < 1 || n > 4)
		return K_EINVAL;
	cmd[2] = (uint8_t)n;
	return bytebuf_append(b, cmd, sizeof(cmd));
}

int
escpos_ticket(struct bytebuf *b, const struct ticket_layout *l,
    const char *url, bool native_qr, struct kerr *err)
{
	const struct bitmap *bm = &l->bm;
	int rc, qr_end;

	if (bm->bits == NULL || bm->h < 1)
		return kerr_set(err, K_EINVAL, "escpos: empty ticket bitmap");
	if ((rc = escpos_reset(b)) != K_OK ||
	    (rc = escpos_disable_dle_dc4(b)) != K_OK ||
	    (rc = escpos_align(b, 0)) != K_OK)
		goto full;
	if (!native_qr || l->qr_width == 0) {
		if ((rc = escpos_raster(b, bm, 0, bm->h)) != K_OK)
			goto full;
	} else {
		/* Raster down to the symbol (the top quiet zone is white
		 * raster rows), the symbol centred by the printer, then the
		 * rest from the row under it. */
		qr_end = l->qr_y + l->qr_width * l->qr_module;
		if (qr_end > bm->h || l->qr_y < 0)
			return kerr_set(err, K_EINVAL,
			    "escpos: QR position outside the bitmap");
		if ((rc = escpos_raster(b, bm, 0, l->qr_y)) != K_OK ||
		    (rc = escpos_align(b, 1)) != K_OK)
			goto full;
		if ((rc = escpos_qr(b, url, l->qr_module, err)) != K_OK)
			return rc;
		if ((rc = escpos_align(b, 0)) != K_OK ||
		    (rc = escpos_raster(b, bm, qr_end, bm->h)) != K_OK)
			goto full;
	}
	if ((rc = escpos_feed(b, 2)) != K_OK ||
	    (rc = escpos_cut(b, true, 0)) != K_OK)
		goto full;
	return K_OK;
full:
	return kerr_set(err, rc, "escpos: ticket does not fit the buffer");
}

size_t
escpos_count_status_queries(const uint8_t *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i + 2 < len; i++)
		if (buf[i] == 0x10 && buf[i + 1] == 0x04 && buf[i + 2] >= 1 &&
		    buf[i + 2] <= 4)
			n++;
	return n;
}

enum { RX_IDLE, RX_ASB, RX_BLOCK };

void
escpos_rx_init(struct escpos_rx *rx)
{
	rx->state = RX_IDLE;
	rx->count = 0;
}

bool
escpos_status_valid(uint8_t c)
{
	return (c & 0x93) == 0x12;
}

int
escpos_rx_feed(struct escpos_rx *rx, uint8_t c, uint8_t *status)
{
	switch (rx->state) {
	case RX_ASB:
		/* ASB bytes 2..4 have bits 4 and 7 clear; anything else ends
		 * the frame early and is looked at afresh. */
		if ((c & 0x90) == 0) {
			if (--rx->count == 0)
				rx->state = RX_IDLE;
			return ESCPOS_RX_NONE;
		}
		rx->state = RX_IDLE;
		break;
	case RX_BLOCK:
		if (c == 0x00 || ++rx->count >= ESCPOS_RX_BLOCK_MAX)
			rx->state = RX_IDLE;
		return ESCPOS_RX_NONE;
	default:
		break;
	}
	if (escpos_status_valid(c)) {
		*status = c;
		return ESCPOS_RX_STATUS;
	}
	if ((c & 0x93) == 0x10) {           /* ASB first byte 0xx1xx00 */
		rx->state = RX_ASB;
		rx->count = 3;
	} else if (c == 0x37 || c == 0x5f) {  /* header ... NUL */
		rx->state = RX_BLOCK;
		rx->count = 0;
	}
	return ESCPOS_RX_NONE;
}

unsigned
escpos_status_flags(int n, uint8_t r)
{
	unsigned f = 0;

	switch (n) {
	case 1:
		if (r & 0x08)
			f |= PRINT_F_OFFLINE;
		break;
	case 2:
		if (r & 0x04)
			f |= PRINT_F_COVER_OPEN;
		if (r & 0x08)
			f |= PRINT_F_FEEDING;
		if (r & 0x20)
			f |= PRINT_F_PAPER_OUT;
		if (r & 0x40)
			f |= PRINT_F_ERROR;
		break;
	case 3:
		if (r & 0x04)
			f |= PRINT_F_ERROR;
		if (r & 0x08)
			f |= PRINT_F_CUTTER;
		if (r & 0x20)
			f |= PRINT_F_UNRECOVER;
		if (r & 0x40)
			f |= PRINT_F_AUTORECOVER;
		break;
	case 4:
		if (r & 0x0c)
			f |= PRINT_F_NEAR_END;
		if (r & 0x60)
			f |= PRINT_F_PAPER_OUT;
		break;
	default:
		break;
	}
	return f;
}
