/*
 * fake_print.h - the "mem:" printer for unit tests: records the bytes,
 * answers DLE EOT from a script, and fails the Nth call on demand
 * (cf. SQLite's test_syscall).  One fake printer per process.
 */
#ifndef FAKE_PRINT_H
#define FAKE_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

#define FAKE_PRINT_OK 0x12   /* a healthy DLE EOT reply */

/* Register "mem:" (once) and forget every script, fault and record. */
void fake_print_reset(void);
/* Replies to DLE EOT 1..4 before the job, and after the job (the paper
 * can run out or the cover open while a ticket prints). */
void fake_print_status(const uint8_t before[4], const uint8_t after[4]);
/* Answer no DLE EOT at all (from the job on: after_job true). */
void fake_print_silent(bool after_job);
/* Bytes the printer sends unasked before its next reply. */
void fake_print_unsolicited(const uint8_t *bytes, size_t n);
/* Fail call number nth (1-based, counting open, write and read) with code,
 * once or from then on.  open failing means "no printer". */
void fake_print_fail_at(int nth, int code, bool persist);
/* Call counts and records. */
int fake_print_calls(void);
int fake_print_opens(void);
/* Everything written except the DLE EOT queries. */
const struct bytebuf *fake_print_job(void);
/* Number of DLE EOT queries received. */
int fake_print_queries(void);

#endif
