/*
 * escpos.h - ESC/POS commands appended to a byte buffer (pure: no I/O),
 * and the parser of the printer's real-time status replies.
 * Byte values and status bits: ../shared/spec/escpos.md.
 */
#ifndef ESCPOS_H
#define ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "bytebuf.h"
#include "kerr.h"

struct ticket_layout;

#define ESCPOS_BAND_ROWS 256     /* GS v 0 rows per command, at most */

int escpos_reset(struct bytebuf *b);                    /* ESC @ */
/* GS ( D: disable DLE DC4 fn 1/2 (pulse, power-off) so image data cannot
 * trigger them; DLE EOT stays enabled. */
int escpos_disable_dle_dc4(struct bytebuf *b);
int escpos_align(struct bytebuf *b, int how);           /* ESC a 0/1/2 */
/* Rows [y0, y1) of bm as GS v 0 commands of at most ESCPOS_BAND_ROWS rows. */
int escpos_raster(struct bytebuf *b, const struct bitmap *bm, int y0, int y1);
int escpos_feed(struct bytebuf *b, int lines);          /* ESC d n, 0..255 */
/* GS V 66 n (partial) / 65 n (full): feed to the cutter plus n, then cut. */
int escpos_cut(struct bytebuf *b, bool partial, int feed);
/* GS ( k: model 2, module dots (1..16), ECC M, store ASCII payload, print. */
int escpos_qr(struct bytebuf *b, const char *payload, int module,
    struct kerr *err);
int escpos_status_query(struct bytebuf *b, int n);      /* DLE EOT n */

/* One whole ticket: reset, raster bands (or raster + native QR), feed,
 * partial cut.  url is the QR payload for the native path. */
int escpos_ticket(struct bytebuf *b, const struct ticket_layout *l,
    const char *url, bool native_qr, struct kerr *err);

/* How many DLE EOT n (10 04 01..04) sequences buf holds: a printer answers
 * those even inside image data, so that many unsolicited replies come
 * back before the answer to a real query. */
size_t escpos_count_status_queries(const uint8_t *buf, size_t len);

/*
 * Status replies.  DLE EOT answers are single bytes 0xx1xx10.  Other bytes
 * a printer may send unasked are skipped: Automatic Status Back frames
 * (0xx1xx00 + 3 bytes with bits 4 and 7 clear) and header-to-NUL blocks
 * (0x37 / 0x5F ... 0x00, e.g. GS ( H "printed" replies), and stray bytes.
 */
struct escpos_rx {
	int state;
	int count;
};
enum { ESCPOS_RX_NONE = 0, ESCPOS_RX_STATUS = 1 };
#define ESCPOS_RX_BLOCK_MAX 80

void escpos_rx_init(struct escpos_rx *rx);
/* Feed one received byte; ESCPOS_RX_STATUS with *status set when it is a
 * DLE EOT reply. */
int escpos_rx_feed(struct escpos_rx *rx, uint8_t c, uint8_t *status);
bool escpos_status_valid(uint8_t c);
/* PRINT_F_* bits from the reply to DLE EOT n (1..4); 0 for a bad n. */
unsigned escpos_status_flags(int n, uint8_t reply);

#endif
