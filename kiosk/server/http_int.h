/*
 * http_int.h - the libmicrohttpd glue (http.c) as seen by server.c.  No
 * libmicrohttpd type appears here.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include <stddef.h>

#include "api.h"
#include "kerr.h"

struct http;

struct http_opts {
	const char *listen;           /* "127.0.0.1", "::1", "0.0.0.0" */
	int port;
	int threads;                  /* worker threads polling connections */
	size_t max_body;              /* bytes; larger bodies get 413 */
	int keepalive_s;              /* SSE keep-alive comment interval */
	const char *hosts;            /* extra Host names, ',' separated */
	const char *public_url;       /* its host is an accepted Host */
	int max_conns;                /* connections in all */
	int max_conns_per_addr;       /* connections from one address */
	int idle_timeout_s;           /* a silent connection is closed */
	const char *tls_cert;         /* PEM file, or "" for plain HTTP */
	const char *tls_key;
};

/* The event hub exists before the API (which emits into it). */
struct http *http_new(void);
/* api_opts.emit for the API: queue one event for every SSE client. */
void http_emit(void *http, const char *event, const char *json);
int  http_listen(struct http *h, struct api *api, const struct http_opts *o,
    struct kerr *err);
int  http_port(const struct http *h);
/* Stop listening, end the event streams, free. */
void http_free(struct http *h);

/* Is this address text a loopback address ("127.0.0.1", "::1", "localhost")? */
int  http_is_loopback_name(const char *addr);

#endif
