/*
 * tr_tcp.c - "tcp:HOST:PORT": a raw socket to the printer (port 9100 when
 * none is given).  Print data goes out and DLE EOT replies come back on
 * the same connection; one connection per ticket.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "print.h"
#include "tr_fd.h"
#include "xmalloc.h"

struct tcp_tr {
	struct print_tr tr;
	int fd;
	int timeout_ms;
	char what[300];
};

static int
split_host_port(const char *rest, char *host, size_t hsize, char *port,
    size_t psize, struct kerr *err)
{
	const char *colon;
	char *end;
	long p = 9100;
	size_t n;

	if (rest[0] == '[') {              /* [v6]:port */
		const char *close = strchr(rest, ']');
		if (close == NULL)
			return kerr_set(err, K_EINVAL,
			    "print: tcp:%s: missing ']'", rest);
		n = (size_t)(close - rest - 1);
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return kerr_set(err, K_EINVAL,
			    "print: tcp:%s: junk after ']'", rest);
		rest++;
	} else {
		colon = strrchr(rest, ':');
		n = colon != NULL ? (size_t)(colon - rest) : strlen(rest);
	}
	if (n == 0 || n >= hsize)
		return kerr_set(err, K_EINVAL,
		    "print: tcp: needs HOST:PORT, e.g. tcp:192.168.0.50:9100");
	memcpy(host, rest, n);
	host[n] = '\0';
	if (colon != NULL) {
		errno = 0;
		p = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || p < 1 || p > 65535)
			return kerr_set(err, K_EINVAL,
			    "print: tcp: port '%s' is not 1..65535", colon + 1);
	}
	snprintf(port, psize, "%ld", p);
	return K_OK;
}

static int
connect_timeout(int fd, const struct sockaddr *sa, socklen_t len,
    int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int r, e = 0;
	socklen_t el = sizeof(e);

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
		return -1;
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

static int
tcp_open(struct print_tr **out, const char *rest, const struct print_opts *o,
    struct kerr *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[8];
	struct tcp_tr *t;
	int fd = -1, rc, gai, e = 0;

	if ((rc = split_host_port(rest, host, sizeof(host), port, sizeof(port),
	    err)) != K_OK)
		return rc;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		return kerr_set(err, K_ENODEV, "print: printer host %s: %s",
		    host, gai_strerror(gai));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect_timeout(fd, ai->ai_addr, ai->ai_addrlen,
		    o->timeout_ms) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return kerr_set(err, e == ETIMEDOUT ? K_ETIMEOUT : K_ENODEV,
		    "print: cannot connect to printer %s:%s: %s", host, port,
		    strerror(e != 0 ? e : EHOSTUNREACH));
	t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	t->timeout_ms = o->timeout_ms;
	snprintf(t->what, sizeof(t->what), "printer %s:%s", host, port);
	t->tr.priv = t;
	*out = &t->tr;
	return K_OK;
}

static int
tcp_write(struct print_tr *tr, const uint8_t *buf, size_t len,
    struct kerr *err)
{
	struct tcp_tr *t = tr->priv;

	return tr_fd_write(t->fd, true, buf, len, t->timeout_ms, t->what, err);
}

static int
tcp_read(struct print_tr *tr, uint8_t *buf, size_t len, int timeout_ms,
    struct kerr *err)
{
	struct tcp_tr *t = tr->priv;

	return tr_fd_read(t->fd, true, buf, len, timeout_ms, t->what, err);
}

static void
tcp_close(struct print_tr *tr)
{
	struct tcp_tr *t = tr->priv;

	close(t->fd);
	free(t);
}

const struct print_ops print_tcp_ops = {
	.scheme = "tcp",
	.open = tcp_open,
	.write = tcp_write,
	.read = tcp_read,
	.preview = NULL,
	.close = tcp_close,
};
