/*
 * tr_fd.h - timed write/read on a file descriptor, shared by the usb and
 * tcp transports (internal to kiosk/print).
 */
#ifndef TR_FD_H
#define TR_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

/* Write all of buf; each wait for the device to take data is bounded by
 * timeout_ms.  K_ETIMEOUT, K_ENODEV (peer gone), K_EIO. */
int tr_fd_write(int fd, bool sock, const uint8_t *buf, size_t len,
    int timeout_ms, const char *what, struct kerr *err);
/* Read what arrives within timeout_ms: count, 0 on time-out, K_ENODEV when
 * the peer closed, K_EINVAL when the device cannot be read (one-way). */
int tr_fd_read(int fd, bool sock, uint8_t *buf, size_t len, int timeout_ms,
    const char *what, struct kerr *err);

#endif
