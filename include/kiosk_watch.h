/*
 * kiosk_watch.h - what a kiosk does by itself between residents, on its own
 * thread (no SDL): a heartbeat to the queue server every kiosk.heartbeat_s
 * seconds, so that the server raises "kiosk silent" when it stops, and a
 * printer status check (DLE EOT) every kiosk.printer_check_s seconds, so
 * that staff hear of paper out before the next ticket fails.
 *
 * Alerts go to the server (POST /api/help) when a state changes: the
 * printer's ("printer_paper" for paper out, "paper_low" for near end,
 * "printer_offline" for cover open, offline, an error or no answer) and the
 * server link's ("server_link" once the server answers again after at
 * least two missed heartbeats, with how long it was away).  The server
 * keeps them open until staff take them.
 *
 * The heartbeat's answer lists the reprints staff asked for at the console
 * ("to the kiosk's printer"): the watch prints each (marked 再発行 /
 * REPRINT) and tells the server how it went.
 */
#ifndef KIOSK_WATCH_H
#define KIOSK_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kerr.h"

struct qclient;
struct print_opts;
struct kiosk_watch;

struct kiosk_watch_opts {
	struct qclient *qc;              /* shared with the journey */
	const char *kiosk;               /* kiosk.id */
	const struct print_opts *popts;  /* NULL: no printer checks */
	int heartbeat_s;                 /* 0: no heartbeat */
	int printer_check_s;             /* 0: no printer checks */
};

int  kiosk_watch_start(struct kiosk_watch **out,
    const struct kiosk_watch_opts *o, struct kerr *err);
/* Stop and join the thread (at most one server time-out). */
void kiosk_watch_stop(struct kiosk_watch *w);

/* Counters for tests and logs. */
struct kiosk_watch_stats {
	int heartbeats_ok, heartbeats_failed;
	int printer_checks;
	int alerts_sent;
	int reprints;                    /* reprints printed or tried */
	char printer[48];                /* last state: "ok", "paper_out", "" */
};
void kiosk_watch_stats(struct kiosk_watch *w, struct kiosk_watch_stats *out);

#endif
