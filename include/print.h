/*
 * print.h - print a queue ticket: ticket data in, "printed" or a clear
 * failure out (DESIGN.md §6: the ticket is committed before printing; on
 * failure the kiosk shows it on screen, marks it unprinted and alerts staff).
 *
 * print_ticket() blocks (layout, encode, write, read status) and is meant
 * for a worker thread.  Calls are serialised inside: two concurrent calls
 * print one after the other, never interleaved.  Printers are named by URI:
 *   file:DIR        NNN.bin (the ESC/POS bytes) + NNN.png (a preview); default
 *   usb:/dev/usb/lp0   usblp device; status if the printer is bidirectional
 *   tcp:HOST:PORT   raw socket (9100); status read back on the same socket
 *   cups:QUEUE      raw job through `lp -d QUEUE -o raw`; no status
 */
#ifndef PRINT_H
#define PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

struct config;

/* What goes on the paper.  Plain arrays so a worker job can own a copy
 * (struct assignment).  Strings are UTF-8 except url (printable ASCII). */
struct ticket_info {
	char site_name[128];        /* "旭市役所 市民課" (kiosk.site_name) */
	char number[16];            /* "A-023" */
	char service;               /* 'A'..'E' */
	char procedure_ja[192];     /* procedure name in Japanese, always set */
	char procedure_local[256];  /* in the resident's language; "" for ja */
	char lang[8];               /* ja ja-easy en zh ko vi tl pt */
	char counter[32];           /* counters as in the API: "1,2" */
	int64_t issued_at;          /* seconds since the epoch; printed in JST */
	int ahead;                  /* people waiting before this ticket, >= 0 */
	int wait_min;               /* estimated wait in minutes, >= 0 */
	char url[256];              /* phone status URL (QR payload) */
	bool reprint;               /* printed again: "再発行 / REPRINT" on it */
	char appt_time[6];          /* a check-in's slot "10:30" ("予約 10:30"
	                             * under the procedure); "": none */
};

/* Printer settings; print_opts_from_config() reads the printer.* keys. */
struct print_opts {
	const char *uri;            /* printer.uri */
	int width_dots;             /* printer.width_dots: 576, 512 or 384 */
	int timeout_ms;             /* printer.timeout_ms: one write / reply */
	bool native_qr;             /* printer.native_qr: GS ( k instead of raster */
	const char *fonts;          /* kiosk.fonts: the screen's font manifest */
	const char *assets;         /* kiosk.assets: po/ has the ticket's words;
	                             * NULL members: their defaults */
};
void print_opts_from_config(const struct config *c, struct print_opts *o);

/* Printer state bits, from DLE EOT 1..4. */
enum print_flags {
	PRINT_F_OFFLINE     = 1 << 0,
	PRINT_F_COVER_OPEN  = 1 << 1,
	PRINT_F_PAPER_OUT   = 1 << 2,
	PRINT_F_NEAR_END    = 1 << 3,
	PRINT_F_CUTTER      = 1 << 4,   /* autocutter error */
	PRINT_F_UNRECOVER   = 1 << 5,   /* unrecoverable error */
	PRINT_F_AUTORECOVER = 1 << 6,   /* e.g. head too hot; clears itself */
	PRINT_F_ERROR       = 1 << 7,   /* "an error occurred" (DLE EOT 2 bit 6) */
	PRINT_F_FEEDING     = 1 << 8,   /* paper fed with the FEED button */
};

/* Why a ticket did not print.  Names (print_reason_name) are stable:
 * they go to logs, tests and the staff alert. */
enum print_reason {
	PRINT_R_NONE = 0,      /* "none": printed */
	PRINT_R_PAPER_OUT,     /* "paper_out" */
	PRINT_R_COVER_OPEN,    /* "cover_open" */
	PRINT_R_OFFLINE,       /* "offline" */
	PRINT_R_CUTTER,        /* "cutter_error" */
	PRINT_R_PRINTER_ERROR, /* "printer_error": other error bits */
	PRINT_R_TIMEOUT,       /* "timeout": no status reply / write stalled */
	PRINT_R_WRITE,         /* "write_error": write failed */
	PRINT_R_DISCONNECTED,  /* "disconnected": connection lost mid-job */
	PRINT_R_NO_PRINTER,    /* "no_printer": bad URI or cannot open it */
	PRINT_R_BAD_TICKET,    /* "bad_ticket": ticket data or layout rejected */
};
const char *print_reason_name(enum print_reason r);

struct print_result {
	bool printed;              /* the whole job went out and status was ok */
	enum print_reason reason;  /* PRINT_R_NONE when printed */
	bool paper_near_end;       /* raise POST /api/help kind "paper_low" */
	bool status_known;         /* the transport could read status back */
	unsigned flags;            /* last status seen, PRINT_F_* */
	size_t bytes;              /* ESC/POS bytes written */
	unsigned write_ms;         /* from the call to the last byte written */
	char detail[KERR_MSG_MAX]; /* one line for logs; no personal data */
};

/* Lay out, encode and print one ticket.  K_OK when printed; otherwise
 * K_EPAPER (paper out, cover open, offline, cutter or other printer error),
 * K_ETIMEOUT (no status reply, write stalled), K_ENODEV (cannot open the
 * printer, or the connection dropped), K_EIO (write error), K_EINVAL (bad
 * ticket data or URI), K_ENOTFOUND (a font file is missing); res->reason
 * says which.  res->paper_near_end may be set in both cases.  res and err
 * may not be NULL.
 *
 * The caller (the journey, on a worker): on failure show the ticket on
 * screen with its QR, mark it unprinted and POST /api/help kind "printer";
 * when res->paper_near_end, POST /api/help kind "paper_low".  A reprint is
 * the same call with the same ticket_info.  Nothing is retried here: a
 * retry could print a ticket twice. */
int print_ticket(const struct print_opts *o, const struct ticket_info *t,
    struct print_result *res, struct kerr *err);

/* Ask the printer its state (kiosk print status).  K_OK with
 * res->status_known false for transports that cannot read back. */
int print_query_status(const struct print_opts *o, struct print_result *res,
    struct kerr *err);

/* Format flags as "paper_out,near_end" ("ok" for none) into buf. */
const char *print_flags_text(unsigned flags, char *buf, size_t size);

/*
 * Transports (kiosk/print/tr_*.c), chosen by the URI scheme.  Tests register
 * "mem:" (tests/fakes/fake_print.c).
 */
struct print_tr;
struct print_ops {
	const char *scheme;   /* "file" "usb" "tcp" "cups" */
	/* rest: the URI after "scheme:".  width: dots a row (previews). */
	int  (*open)(struct print_tr **out, const char *rest,
	    const struct print_opts *o, struct kerr *err);
	/* One whole job (bytes of one ticket); all or an error. */
	int  (*write)(struct print_tr *t, const uint8_t *buf, size_t len,
	    struct kerr *err);
	/* Read back up to len bytes within timeout_ms; returns the count,
	 * 0 on time-out, or a negative K_* code (K_EIO when the peer went).
	 * NULL: the transport cannot read status. */
	int  (*read)(struct print_tr *t, uint8_t *buf, size_t len,
	    int timeout_ms, struct kerr *err);
	/* Optional: called with the layout bitmap before write (previews). */
	int  (*preview)(struct print_tr *t, const uint8_t *bits, int w, int h,
	    int stride, struct kerr *err);
	void (*close)(struct print_tr *t);
};
struct print_tr {
	const struct print_ops *ops;
	void *priv;
};
/* Add a scheme (before any thread prints).  K_EBUSY if taken. */
int print_register(const struct print_ops *ops);
int print_open(struct print_tr **out, const char *uri,
    const struct print_opts *o, struct kerr *err);

#endif
