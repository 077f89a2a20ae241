/*
 * client_http.c - the queue client's transport (client.c): connect with
 * a deadline, send the request, read the whole answer over a plain socket
 * or GnuTLS (tls.c), and split it into status and body.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bytebuf.h"
#include "client_int.h"
#include "jfield.h"
#include "qclient.h"
#include "tls.h"
#include "xmalloc.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to be ready for events before the deadline. */
static int
wait_fd(int fd, short events, int64_t deadline, struct qclient *c,
    struct kerr *err)
{
	struct pollfd pfd = { fd, events, 0 };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - mono_ms();
		if (left <= 0)
			return kerr_set(err, K_ENODEV, "queue server %s:%s did not "
			    "answer within %d ms", c->host, c->port, c->timeout_ms);
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return K_OK;
		if (n < 0 && errno != EINTR)
			return kerr_set(err, K_ENODEV, "poll: %s", strerror(errno));
	}
}

static int
connect_to(struct qclient *c, int64_t deadline, int *fd_out, struct kerr *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, rc, gai, soerr;
	socklen_t len;

	*fd_out = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(c->host, c->port, &hints, &res)) != 0)
		return kerr_set(err, K_ENODEV, "queue server %s: %s", c->host,
		    gai_strerror(gai));
	rc = kerr_set(err, K_ENODEV, "queue server %s:%s: no address", c->host,
	    c->port);
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS &&
		    (rc = wait_fd(fd, POLLOUT, deadline, c, err)) == K_OK) {
			len = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
			    soerr == 0)
				break;
			rc = kerr_set(err, K_ENODEV, "queue server %s:%s: %s",
			    c->host, c->port, strerror(soerr));
		} else if (errno != EINPROGRESS) {
			rc = kerr_set(err, K_ENODEV, "queue server %s:%s: %s",
			    c->host, c->port, strerror(errno));
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return rc;
	*fd_out = fd;
	return K_OK;
}

static int
send_all(int fd, const char *p, size_t n, int64_t deadline, struct qclient *c,
    struct kerr *err)
{
	ssize_t w;
	int rc;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((rc = wait_fd(fd, POLLOUT, deadline, c, err)) != K_OK)
				return rc;
			continue;
		}
		return kerr_set(err, K_ENODEV, "queue server %s:%s: send: %s",
		    c->host, c->port, strerror(errno));
	}
	return K_OK;
}

/* Split a raw reply into status and body (qclient.h). */
int
qclient_parse_reply(const struct qclient *c, struct bytebuf *raw, int *status,
    char **body, struct kerr *err)
{
	char *text = (char *)raw->data, *eoh, *line, *clen;
	size_t hlen, blen;

	if (raw->len < 12 || strncmp(text, "HTTP/1.", 7) != 0)
		return kerr_set(err, K_EPARSE, "queue server %s:%s: not an HTTP "
		    "answer", c->host, c->port);
	/* "HTTP/1.x DDD": exactly three digits, then the reason or the end */
	if (text[8] != ' ' || !isdigit((unsigned char)text[9]) ||
	    !isdigit((unsigned char)text[10]) ||
	    !isdigit((unsigned char)text[11]) ||
	    (text[12] != ' ' && text[12] != '\r'))
		return kerr_set(err, K_EPARSE, "queue server: bad status line");
	*status = (text[9] - '0') * 100 + (text[10] - '0') * 10 +
	    (text[11] - '0');
	if (*status < 100 || *status > 599)
		return kerr_set(err, K_EPARSE, "queue server: bad status line");
	eoh = strstr(text, "\r\n\r\n");
	if (eoh == NULL)
		return kerr_set(err, K_EPARSE, "queue server: truncated answer");
	hlen = (size_t)(eoh - text) + 4;
	blen = raw->len - hlen;
	/* headers: a Content-Length shorter than what came is believed */
	*eoh = '\0';
	for (line = strstr(text, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
		clen = line + 2;
		if (strncasecmp(clen, "Content-Length:", 15) == 0) {
			size_t n = strtoul(clen + 15, NULL, 10);
			if (n > blen)
				return kerr_set(err, K_ENODEV, "queue server: "
				    "answer cut short (%zu of %zu bytes)", blen, n);
			blen = n;
		} else if (strncasecmp(clen, "Transfer-Encoding:", 18) == 0) {
			return kerr_set(err, K_EPARSE, "queue server: chunked "
			    "answers are not expected here");
		}
	}
	*body = xstrndup(text + hlen, blen);
	return K_OK;
}

/*
 * A TLS failure is K_ENODEV (the server cannot be reached: retry later),
 * except a certificate that is not trusted (K_EAUTH) or a kiosk.server_ca
 * that cannot be used (K_EINVAL): those need a person, not a retry.
 */
static int
as_unreachable(struct qclient *c, int rc, struct kerr *err)
{
	char msg[sizeof(err->msg)];

	if (rc == K_EAUTH || rc == K_EINVAL || rc == K_EPARSE)
		return rc;
	if (rc == K_ETIMEOUT)
		return kerr_set(err, K_ENODEV, "queue server %s:%s did not "
		    "answer within %d ms", c->host, c->port, c->timeout_ms);
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return kerr_set(err, K_ENODEV, "%s", msg);
}

/* The request and its whole answer over TLS on the connected fd. */
static int
tls_exchange(struct qclient *c, int fd, const struct bytebuf *req,
    struct bytebuf *raw, int64_t deadline, struct kerr *err)
{
	struct tls_conn *t;
	char buf[8192];
	long n;
	int rc;

	if ((rc = tls_client_open(&t, fd, c->host, c->ca_file, deadline,
	    err)) != K_OK)
		return as_unreachable(c, rc, err);
	if ((rc = tls_client_send(t, req->data, req->len, deadline, err)) !=
	    K_OK)
		goto out;
	while ((n = tls_client_recv(t, buf, sizeof(buf), deadline, err)) > 0) {
		if (raw->len + (size_t)n > QCLIENT_MAX_REPLY) {
			rc = kerr_set(err, K_EPARSE, "queue server: answer larger "
			    "than %d bytes", QCLIENT_MAX_REPLY);
			goto out;
		}
		bytebuf_append(raw, buf, (size_t)n);
	}
	if (n < 0)
		rc = err->code;
out:
	if (rc != K_OK)
		rc = as_unreachable(c, rc, err);
	explicit_bzero(buf, sizeof(buf));
	tls_client_close(t);
	return rc;
}

int
qclient_request(struct qclient *c, const char *method, const char *path,
    const char *body, int *status_out, char **body_out, struct kerr *err)
{
	struct bytebuf req = BYTEBUF_INIT, raw = BYTEBUF_INIT;
	int64_t deadline = mono_ms() + c->timeout_ms;
	size_t blen = body ? strlen(body) : 0;
	char buf[8192];
	int fd = -1, rc;
	ssize_t n;

	*status_out = 0;
	*body_out = NULL;
	bytebuf_printf(&req, "%s %s%s HTTP/1.1\r\nHost: %s:%s\r\n"
	    "Connection: close\r\nAccept: application/json\r\n", method,
	    c->prefix, path, c->host, c->port);
	if (c->token[0])
		bytebuf_printf(&req, "Authorization: Bearer %s\r\n", c->token);
	if (body)
		bytebuf_printf(&req, "Content-Type: application/json\r\n"
		    "Content-Length: %zu\r\n", blen);
	else if (strcmp(method, "POST") == 0)
		bytebuf_puts(&req, "Content-Length: 0\r\n");
	bytebuf_puts(&req, "\r\n");
	if (body)
		bytebuf_append(&req, body, blen);

	if ((rc = connect_to(c, deadline, &fd, err)) != K_OK)
		goto out;
	if (c->tls) {
		rc = tls_exchange(c, fd, &req, &raw, deadline, err);
		if (rc != K_OK)
			goto out;
		goto answered;
	}
	if ((rc = send_all(fd, (const char *)req.data, req.len, deadline, c,
	    err)) != K_OK)
		goto out;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0) {
			if (raw.len + (size_t)n > QCLIENT_MAX_REPLY) {
				rc = kerr_set(err, K_EPARSE, "queue server: "
				    "answer larger than %d bytes", QCLIENT_MAX_REPLY);
				goto out;
			}
			bytebuf_append(&raw, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((rc = wait_fd(fd, POLLIN, deadline, c, err)) != K_OK)
				goto out;
			continue;
		}
		rc = kerr_set(err, K_ENODEV, "queue server %s:%s: %s", c->host,
		    c->port, strerror(errno));
		goto out;
	}
answered:
	if (raw.len == 0) {
		rc = kerr_set(err, K_ENODEV, "queue server %s:%s closed the "
		    "connection without answering", c->host, c->port);
		goto out;
	}
	rc = qclient_parse_reply(c, &raw, status_out, body_out, err);
out:
	if (fd >= 0)
		close(fd);
	bytebuf_wipe(&req);           /* the body may carry an application */
	bytebuf_free(&raw);
	return rc;
}
