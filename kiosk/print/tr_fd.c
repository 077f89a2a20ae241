/*
 * tr_fd.c - timed I/O for the usb and tcp printer transports.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tr_fd.h"

int
tr_fd_write(int fd, bool sock, const uint8_t *buf, size_t len, int timeout_ms,
    const char *what, struct kerr *err)
{
	size_t done = 0;

	while (done < len) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		ssize_t n;
		int r = poll(&p, 1, timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kerr_set(err, K_EIO, "print: %s: poll: %s", what,
			    strerror(errno));
		if (r == 0)
			return kerr_set(err, K_ETIMEOUT,
			    "print: %s took no data for %d ms (%zu of %zu "
			    "bytes written)", what, timeout_ms, done, len);
		if (sock)
			n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
		else
			n = write(fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE || errno == ECONNRESET ||
			    errno == ENODEV || errno == ENOTCONN)
				return kerr_set(err, K_ENODEV,
				    "print: %s: connection lost after %zu of "
				    "%zu bytes (%s)", what, done, len,
				    strerror(errno));
			return kerr_set(err, K_EIO,
			    "print: %s: write failed after %zu of %zu bytes: "
			    "%s", what, done, len, strerror(errno));
		}
		done += (size_t)n;
	}
	return K_OK;
}

int
tr_fd_read(int fd, bool sock, uint8_t *buf, size_t len, int timeout_ms,
    const char *what, struct kerr *err)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r = poll(&p, 1, timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kerr_set(err, K_EIO, "print: %s: poll: %s", what,
			    strerror(errno));
		if (r == 0)
			return 0;
		n = read(fd, buf, len);
		if (n > 0)
			return (int)n;
		if (n == 0 && sock)
			return kerr_set(err, K_ENODEV,
			    "print: %s closed the connection", what);
		if (n == 0)
			return 0;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		if (errno == EINVAL)
			return kerr_set(err, K_EINVAL,
			    "print: %s cannot be read back (one-way)", what);
		if (errno == ECONNRESET || errno == ENODEV || errno == EPIPE)
			return kerr_set(err, K_ENODEV, "print: %s: %s", what,
			    strerror(errno));
		return kerr_set(err, K_EIO, "print: %s: read: %s", what,
		    strerror(errno));
	}
}
