/*
 * pcsc_int.h - helpers shared by pcsc.c and pcsc_watch.c.  Include after
 * <winscard.h> (only those two files may include it).
 */
#ifndef PCSC_INT_H
#define PCSC_INT_H

#include "kerr.h"

/* All reader names (multi-string, double NUL), malloc'ed into *list. */
int pcsc_readers(SCARDCONTEXT ctx, char **list, struct kerr *err);
/* Exact name first, then the first name containing want; NULL if none. */
const char *pcsc_match(const char *list, const char *want);

#endif
