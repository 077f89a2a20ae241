/*
 * randid.h - the one source of random identifiers: ticket tokens (the
 * phone's status link) and the kiosk's request ids (idempotency keys).
 * Both must be unguessable and never repeat, so both come from the
 * kernel's CSPRNG; without entropy the program stops rather than hand out
 * a predictable id.
 */
#ifndef RANDID_H
#define RANDID_H

#include <stddef.h>

/* nbytes random bytes as 2 * nbytes lowercase hex digits and a NUL:
 * out must hold 2 * nbytes + 1 characters. */
void randid_hex(char *out, size_t nbytes);

#endif
