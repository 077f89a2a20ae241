/*
 * ops.c - shared by the operator commands (include/ops.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "config.h"
#include "ops.h"
#include "qclient.h"
#include "qr.h"
#include "xmalloc.h"

char *
ops_local_url(const struct config *cfg)
{
	const char *listen = config_str(cfg, "server.listen");
	long port = config_int(cfg, "server.port");

	if (strcmp(listen, "0.0.0.0") == 0 || strcmp(listen, "") == 0 ||
	    strcmp(listen, "*") == 0)
		listen = "127.0.0.1";
	else if (strcmp(listen, "::") == 0)
		listen = "[::1]";
	const char *scheme = config_str(cfg, "server.tls_cert")[0] ? "https" :
	    "http";

	if (strchr(listen, ':') != NULL && listen[0] != '[')
		return xasprintf("%s://[%s]:%ld", scheme, listen, port);
	return xasprintf("%s://%s:%ld", scheme, listen, port);
}

bool
ops_server_answers(const struct config *cfg)
{
	struct qclient *c;
	struct kerr err;
	char *url = ops_local_url(cfg), *body = NULL;
	int status = 0;
	bool up = false;

	if (qclient_new(&c, url, NULL, 1000, &err) == K_OK) {
		/* the local server's own certificate is the one to trust */
		qclient_set_ca(c, config_str(cfg, "server.tls_cert"));
		up = qclient_request(c, "GET", "/api/health", NULL, &status,
		    &body, &err) == K_OK && status == 200;
		free(body);
		qclient_free(c);
	}
	free(url);
	return up;
}

int
ops_print_qr(FILE *fp, const char *text)
{
	struct qr q;
	struct kerr err;
	int x, y, n;

	if (qr_encode(text, &q, &err) != K_OK)
		return -1;
	n = q.width + 2 * QR_QUIET_ZONE;
	/* module (x, y) with the quiet zone around; light outside */
#define DARK(x, y) ((x) >= QR_QUIET_ZONE && (y) >= QR_QUIET_ZONE && \
	(x) < QR_QUIET_ZONE + q.width && (y) < QR_QUIET_ZONE + q.width && \
	q.modules[((y) - QR_QUIET_ZONE) * q.width + (x) - QR_QUIET_ZONE])
	for (y = 0; y < n; y += 2) {
		for (x = 0; x < n; x++) {
			bool top = DARK(x, y), bottom = y + 1 < n && DARK(x, y + 1);
			fputs(top ? (bottom ? " " : "\u2584") :
			    (bottom ? "\u2580" : "\u2588"), fp);
		}
		fputc('\n', fp);
	}
#undef DARK
	qr_free(&q);
	return 0;
}

int
ops_random_token(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	unsigned char b[64];
	size_t i, got = 0;

	if (n > sizeof(b))
		return -1;
	while (got < n) {
		ssize_t r = getrandom(b + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	for (i = 0; i < n; i++)
		out[i] = alphabet[b[i] & 31];
	out[n] = '\0';
	explicit_bzero(b, sizeof(b));
	return 0;
}
