/*
 * http_int.h - the libmicrohttpd glue (http*.c) as seen by server.c, and
 * below that, behind MHD_VERSION, what the http*.c files share among
 * themselves.  server.c does not include <microhttpd.h>, so it sees no
 * libmicrohttpd type: only the http*.c files (mk/lint.sh) include it, and
 * they include it before this header.
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

#ifdef MHD_VERSION
/* Private to http.c, http_guard.c, http_sse.c and http_start.c. */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bytebuf.h"

#define HTTP_MAX_HOSTS 32             /* accepted Host names */

struct sse_client {
	struct sse_client *prev, *next;
	struct http *h;
	struct MHD_Connection *conn;
	struct bytebuf pending;
	size_t off;                   /* bytes of pending already sent */
	bool suspended;
	bool drop;                    /* end the stream at the next read */
	bool public_only;             /* a phone: no staff-only events */
};

#define HTTP_DISPATCHERS 64      /* changes waiting for a commit at once */

struct req_ctx;

struct http {
	struct MHD_Daemon *d;
	struct api *api;
	size_t max_body;
	int port;
	int keepalive_s;

	pthread_mutex_t mu;           /* the client list and their buffers */
	struct sse_client *clients;
	int nclients;
	bool stopping;
	pthread_t ka;
	bool ka_running;
	pthread_cond_t ka_cond;

	char *hosts[HTTP_MAX_HOSTS];  /* accepted Host names, lower case */
	size_t nhosts;
	bool tls;
	char *tls_cert, *tls_key;     /* PEM text while the daemon runs */

	/* POSTs waiting for a dispatcher (see the top) */
	pthread_mutex_t dmu;
	pthread_cond_t dcond;
	struct req_ctx *dqueue, **dtail;
	pthread_t disp[HTTP_DISPATCHERS];
	int ndisp;
	bool dstop;

	/* issues waiting for their commit on no thread (see the top) */
	pthread_mutex_t amu;
	pthread_cond_t acond;
	int nasync;                   /* begun, not yet resumed or answered */
	bool astop;                   /* stopping: the issue waits as others do */
};

/* One request: made by http_on_uri() when the request line arrives. */
struct req_ctx {
	struct bytebuf body;
	bool started;                 /* http_on_request() has seen the headers */
	bool refused;                 /* an error is already queued */
	bool too_big;                 /* the body passed max_body */
	int uri_status;               /* 400/414 found in the raw URI, or 0 */
	const char *uri_why;
	/* a POST handed to a dispatcher: its request (copied) and answer */
	struct req_ctx *dnext;
	struct MHD_Connection *conn;
	struct api_req req;
	char *path, *query, *bearer, remote[64];
	struct api_resp resp;
	bool dispatched, answered;
	/* an issue queued from the polling thread (api_req.wake) */
	struct http *h;
	struct api_pending *pending;  /* its answer, once woken */
	enum { HTTP_A_NONE, HTTP_A_QUEUED, HTTP_A_SUSPENDED, HTTP_A_WOKEN } astate;
};

/* http.c: the request handler, its clean-up, the dispatcher threads. */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *conn,
    const char *url, const char *method, const char *version,
    const char *upload, size_t *upload_size, void **con_cls);
void http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe);
void *http_dispatch_main(void *arg);

/* http_guard.c: the checks on a request before it reaches the API. */
void *http_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);
int  http_set_hosts(struct http *h, const struct http_opts *o,
    struct kerr *err);
enum MHD_Result http_check_head(struct http *h, struct MHD_Connection *conn,
    struct req_ctx *ctx, const char *method, const char *version);

/* http_sse.c: the event streams. */
void *http_keepalive_main(void *arg);
struct MHD_Response *http_sse_response(struct http *h,
    struct MHD_Connection *conn, bool public_only);
#endif /* MHD_VERSION */

#endif
