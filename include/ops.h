/*
 * ops.h - helpers shared by the operator commands in kiosk/ops/ (setup,
 * status, backup, restore): the server's local URL, a terminal QR code,
 * random tokens.
 */
#ifndef OPS_H
#define OPS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct config;

/* "http://127.0.0.1:8080": the configured server as seen from this PC
 * (a wildcard listen address is reached on loopback); malloc'd. */
char *ops_local_url(const struct config *cfg);
/* A queue server answers GET /api/health at ops_local_url() within 1 s. */
bool ops_server_answers(const struct config *cfg);
/* A QR code of an ASCII text drawn with Unicode half blocks (two module
 * rows a line, light modules as full blocks: for the usual dark
 * terminal).  -1 when the text cannot be encoded. */
int ops_print_qr(FILE *fp, const char *text);
/* n random characters from an alphabet without look-alikes (32 symbols:
 * 5 bits each) and a NUL; 0, or -1 when the system has no randomness. */
int ops_random_token(char *out, size_t n);

/* Opening hours (kiosk.open_hours "08:00-17:30", kiosk.open_days
 * "mon-fri" or "mon,wed,sat"); -1 with the reason naming the key. */
struct ops_hours {
	int open_min, close_min;      /* minutes after local midnight */
	unsigned days;                /* bit 0 Sunday .. bit 6 Saturday */
};
int ops_hours_parse(const char *hours, const char *days, struct ops_hours *out,
    char *why, size_t whylen);
bool ops_hours_open(const struct ops_hours *h, const struct tm *tm);

#endif
