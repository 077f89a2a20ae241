/*
 * http.c - libmicrohttpd glue: requests in, api_dispatch(), responses out
 * (JSON, static files, or an event stream from http_sse.c); the dispatcher
 * threads; stopping the server.  The checks a request passes first are in
 * http_guard.c, the event streams in http_sse.c, starting the daemon (TLS,
 * its log) in http_start.c.  Only the http*.c files include <microhttpd.h>.
 *
 * Threads: a pool of server.threads polling threads (epoll) handles every
 * connection.  An event-stream connection holds no thread: when it has
 * nothing to send it is suspended, and http_emit() (or the keep-alive
 * thread every 15 s) queues text and resumes it.  Hundreds of phones and
 * boards therefore cost a few kilobytes each, not a thread each.
 *
 * A change (POST) waits for the commit that makes it durable, and the
 * store commits every change waiting at once (group commit).  So that a
 * polling thread is not held by that wait, and changes from connections
 * that one thread happens to poll still share a commit, a POST is
 * suspended and handed to a pool of dispatch threads (HTTP_DISPATCHERS);
 * its answer is queued when the dispatcher resumes it.  Reads are answered
 * on the polling thread.
 *
 * The issue (api_nowait()) holds no thread at all: the polling thread
 * checks it and queues it for the store's writer (api_req.wake), suspends
 * the connection, and polls others; the writer's http_wake() resumes it
 * once its commit returned, and the polling thread sends the answer.  Two
 * thread switches a ticket fewer than through a dispatcher, which waits
 * for the commit and then wakes the polling thread anyway.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_int.h"
#include "xmalloc.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct http *
http_new(void)
{
	struct http *h = xcalloc(1, sizeof(*h));

	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->ka_cond, NULL);
	pthread_mutex_init(&h->dmu, NULL);
	pthread_cond_init(&h->dcond, NULL);
	h->dtail = &h->dqueue;
	pthread_mutex_init(&h->amu, NULL);
	pthread_cond_init(&h->acond, NULL);
	return h;
}

static enum MHD_Result
send_simple(struct MHD_Connection *conn, int status, const char *type,
    const char *text, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)text,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *conn, int status, const char *code,
    const char *detail)
{
	char text[512];

	snprintf(text, sizeof(text), "{\"error\":\"%s\",\"detail\":\"%s\"}", code,
	    detail);
	return send_simple(conn, status, "application/json; charset=utf-8", text,
	    strlen(text));
}

static struct MHD_Response *
file_response(const char *path)
{
	struct MHD_Response *r;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL)
		close(fd);
	return r;
}

struct query_acc {
	char buf[512];
	size_t len;
	bool overflow;
};

static enum MHD_Result
query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_acc *q = cls;
	int n;

	(void)kind;
	n = snprintf(q->buf + q->len, sizeof(q->buf) - q->len, "%s%s=%s",
	    q->len ? "&" : "", key, value ? value : "");
	if (n < 0 || (size_t)n >= sizeof(q->buf) - q->len) {
		q->overflow = true;
		return MHD_NO;
	}
	q->len += (size_t)n;
	return MHD_YES;
}

static void
remote_of(struct MHD_Connection *conn, char *out, size_t n, bool *loopback)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	*loopback = false;
	snprintf(out, n, "?");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, out, (socklen_t)n);
		*loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, out, (socklen_t)n);
		*loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
		    s6->sin6_addr.s6_addr[12] == 127);
	}
}

void *
http_dispatch_main(void *arg)
{
	struct http *h = arg;
	struct req_ctx *ctx;

	pthread_mutex_lock(&h->dmu);
	for (;;) {
		while (h->dqueue == NULL && !h->dstop)
			pthread_cond_wait(&h->dcond, &h->dmu);
		if ((ctx = h->dqueue) == NULL)
			break;
		if ((h->dqueue = ctx->dnext) == NULL)
			h->dtail = &h->dqueue;
		pthread_mutex_unlock(&h->dmu);
		api_dispatch(h->api, &ctx->req, now_ms(), &ctx->resp);
		ctx->answered = true;
		MHD_resume_connection(ctx->conn);
		pthread_mutex_lock(&h->dmu);
	}
	pthread_mutex_unlock(&h->dmu);
	return NULL;
}

/* Hand a complete POST to a dispatcher; false when there is none (the
 * server is stopping): the caller answers it itself. */
static bool
dispatch_later(struct http *h, struct MHD_Connection *conn,
    struct req_ctx *ctx, const struct api_req *req)
{
	pthread_mutex_lock(&h->dmu);
	if (h->ndisp == 0 || h->dstop) {
		pthread_mutex_unlock(&h->dmu);
		return false;
	}
	ctx->req = *req;
	ctx->path = xstrdup(req->path);
	ctx->req.path = ctx->path;
	ctx->query = req->query ? xstrdup(req->query) : NULL;
	ctx->req.query = ctx->query;
	ctx->bearer = req->bearer ? xstrdup(req->bearer) : NULL;
	ctx->req.bearer = ctx->bearer;
	snprintf(ctx->remote, sizeof(ctx->remote), "%s", req->remote);
	ctx->req.remote = ctx->remote;
	ctx->conn = conn;
	ctx->dispatched = true;
	/* suspended before a dispatcher can resume it */
	MHD_suspend_connection(conn);
	ctx->dnext = NULL;
	*h->dtail = ctx;
	h->dtail = &ctx->dnext;
	pthread_cond_signal(&h->dcond);
	pthread_mutex_unlock(&h->dmu);
	return true;
}

/* An issue may be queued without a thread waiting for it: false when the
 * server is stopping (it then waits on a dispatcher as other changes do). */
static bool
async_begin(struct http *h)
{
	bool ok;

	pthread_mutex_lock(&h->amu);
	if ((ok = !h->astop))
		h->nasync++;
	pthread_mutex_unlock(&h->amu);
	return ok;
}

/* Its connection was resumed, or it was answered without suspending. */
static void
async_end(struct http *h)
{
	pthread_mutex_lock(&h->amu);
	if (--h->nasync == 0 && h->astop)
		pthread_cond_broadcast(&h->acond);
	pthread_mutex_unlock(&h->amu);
}

/* api_req.wake, on the store's writer thread: the issue is durable.  A
 * connection not suspended yet is answered by the polling thread as soon
 * as api_dispatch() returns (it looks under amu). */
static void
http_wake(void *arg)
{
	struct req_ctx *ctx = arg;
	struct http *h = ctx->h;
	bool resume;

	pthread_mutex_lock(&h->amu);
	resume = ctx->astate == HTTP_A_SUSPENDED;
	ctx->astate = HTTP_A_WOKEN;
	pthread_mutex_unlock(&h->amu);
	if (!resume)
		return;
	/* ctx is not freed while its connection is suspended */
	MHD_resume_connection(ctx->conn);
	async_end(h);
}

/* Queue an issue from the polling thread; true when its connection is
 * suspended until http_wake(), else resp is the answer. */
static bool
issue_nowait(struct http *h, struct MHD_Connection *conn, struct req_ctx *ctx,
    struct api_req *req, struct api_resp *resp)
{
	struct api_pending *p;

	ctx->h = h;
	ctx->conn = conn;
	ctx->astate = HTTP_A_QUEUED;
	req->wake = http_wake;
	req->wake_arg = ctx;
	api_dispatch(h->api, req, now_ms(), resp);
	if ((p = resp->pending) != NULL) {
		pthread_mutex_lock(&h->amu);
		if (ctx->astate != HTTP_A_WOKEN) {
			/* under amu: http_wake() resumes it only once it is
			 * suspended */
			ctx->pending = p;
			ctx->astate = HTTP_A_SUSPENDED;
			MHD_suspend_connection(conn);
			pthread_mutex_unlock(&h->amu);
			return true;
		}
		pthread_mutex_unlock(&h->amu);
		api_finish(p, resp);
	}
	ctx->astate = HTTP_A_NONE;
	async_end(h);
	return false;
}

static void
dispatch_stop(struct http *h)
{
	int i;

	pthread_mutex_lock(&h->dmu);
	h->dstop = true;
	pthread_cond_broadcast(&h->dcond);
	pthread_mutex_unlock(&h->dmu);
	/* the queue is drained first: every suspended POST is answered */
	for (i = 0; i < h->ndisp; i++)
		pthread_join(h->disp[i], NULL);
	h->ndisp = 0;
}

enum MHD_Result
http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http *h = cls;
	struct req_ctx *ctx = *con_cls;
	struct api_req req;
	struct api_resp resp;
	struct query_acc q;
	struct MHD_Response *r = NULL;
	const char *auth, *clen;
	char remote[64], maxmsg[96];
	bool loopback;
	enum MHD_Result ret;

	if (ctx == NULL) {
		ctx = xcalloc(1, sizeof(*ctx));
		*con_cls = ctx;
	}
	if (ctx->pending != NULL) {
		/* resumed by http_wake(): the issue is durable */
		struct api_pending *p = ctx->pending;

		ctx->pending = NULL;
		ctx->astate = HTTP_A_NONE;
		api_finish(p, &resp);
		goto answer;
	}
	if (ctx->dispatched) {
		/* resumed by its dispatcher (a POST gets no file or stream) */
		if (!ctx->answered)
			return MHD_YES;
		resp = ctx->resp;
		memset(&ctx->resp, 0, sizeof(ctx->resp));
		ctx->dispatched = false;
		goto answer;
	}
	if (!ctx->started) {
		ctx->started = true;
		if (http_check_head(h, conn, ctx, method, version) != MHD_YES)
			return MHD_NO;
		if (ctx->refused)
			return MHD_YES;
		clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen && strtoull(clen, NULL, 10) > h->max_body) {
			ctx->refused = true;
			snprintf(maxmsg, sizeof(maxmsg),
			    "the body is larger than %zu bytes", h->max_body);
			return send_error(conn, 413, "too_large", maxmsg);
		}
		return MHD_YES;
	}
	if (*upload_size != 0) {
		/* a body without Content-Length (chunked) that grows too big
		 * is read and dropped, then refused below */
		if (!ctx->too_big && ctx->body.len + *upload_size > h->max_body) {
			ctx->too_big = true;
			bytebuf_wipe(&ctx->body);
		}
		if (!ctx->refused && !ctx->too_big)
			bytebuf_append(&ctx->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (ctx->refused)
		return MHD_YES;
	if (ctx->too_big) {
		ctx->refused = true;
		snprintf(maxmsg, sizeof(maxmsg),
		    "the body is larger than %zu bytes", h->max_body);
		return send_error(conn, 413, "too_large", maxmsg);
	}

	memset(&req, 0, sizeof(req));
	/* HEAD is GET without the body (libmicrohttpd drops the body) */
	req.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	req.path = url;
	memset(&q, 0, sizeof(q));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
	if (q.overflow)
		return send_error(conn, 414, "uri_too_long",
		    "the query string is too long");
	req.query = q.len ? q.buf : NULL;
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
		req.bearer = auth + 7;
	else if (auth)
		req.bearer = "";    /* a wrong scheme is a wrong token */
	remote_of(conn, remote, sizeof(remote), &loopback);
	req.remote = remote;
	req.loopback = loopback;
	req.body = (const char *)ctx->body.data;
	req.body_len = ctx->body.len;

	if (api_nowait(req.method, req.path) && async_begin(h)) {
		if (issue_nowait(h, conn, ctx, &req, &resp))
			return MHD_YES;
		goto answer;
	}
	if (strcmp(req.method, "POST") == 0 && dispatch_later(h, conn, ctx,
	    &req))
		return MHD_YES;
	api_dispatch(h->api, &req, now_ms(), &resp);
answer:
	if (resp.sse) {
		r = http_sse_response(h, conn, resp.sse_public);
	} else if (resp.file) {
		r = file_response(resp.file);
		if (r == NULL) {
			api_resp_free(&resp);
			return send_error(conn, 404, "not_found",
			    "no such page (is the web folder installed?)");
		}
	} else {
		r = MHD_create_response_from_buffer(resp.body.len,
		    resp.body.data ? (void *)resp.body.data : (void *)"",
		    MHD_RESPMEM_MUST_COPY);
		if (r != NULL && resp.max_age_s > 0) {
			char cc[48];
			snprintf(cc, sizeof(cc), "public, max-age=%d",
			    resp.max_age_s);
			MHD_add_response_header(r, "Cache-Control", cc);
		} else if (r != NULL) {
			MHD_add_response_header(r, "Cache-Control", "no-store");
		}
	}
	if (r == NULL) {
		api_resp_free(&resp);
		return MHD_NO;
	}
	if (!resp.sse && resp.content_type && resp.status != 204)
		MHD_add_response_header(r, "Content-Type", resp.content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* the phone page's address carries its ticket token */
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (resp.retry_after_s > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", resp.retry_after_s);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	ret = MHD_queue_response(conn, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	api_resp_free(&resp);
	return ret;
}

void
http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *ctx = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (ctx == NULL)
		return;
	if (ctx->pending != NULL) {
		/* resumed, but the connection ended before the answer went:
		 * the ticket stands, and the consoles still hear of it */
		struct api_resp r;

		api_finish(ctx->pending, &r);
		api_resp_free(&r);
	}
	bytebuf_wipe(&ctx->body);     /* may hold an application */
	api_resp_free(&ctx->resp);
	free(ctx->path);
	free(ctx->query);
	xfree_wipe_str(ctx->bearer);
	free(ctx);
	*con_cls = NULL;
}

void
http_free(struct http *h)
{
	struct MHD_Connection **wake = NULL;
	struct sse_client *c;
	size_t nwake = 0, i;

	if (h == NULL)
		return;
	/* every queued issue resumed before the daemon stops (the store's
	 * writer still runs) */
	pthread_mutex_lock(&h->amu);
	h->astop = true;
	while (h->nasync > 0)
		pthread_cond_wait(&h->acond, &h->amu);
	pthread_mutex_unlock(&h->amu);
	dispatch_stop(h);
	pthread_mutex_lock(&h->mu);
	h->stopping = true;
	pthread_cond_broadcast(&h->ka_cond);
	if (h->nclients > 0)
		wake = xcalloc((size_t)h->nclients, sizeof(*wake));
	for (c = h->clients; c; c = c->next)
		if (c->suspended) {
			c->suspended = false;
			wake[nwake++] = c->conn;
		}
	pthread_mutex_unlock(&h->mu);
	if (h->ka_running)
		pthread_join(h->ka, NULL);
	for (i = 0; i < nwake; i++)
		MHD_resume_connection(wake[i]);
	free(wake);
	if (h->d) {
		/* let the resumed streams end before the daemon goes */
		for (i = 0; i < 200; i++) {
			int n;
			pthread_mutex_lock(&h->mu);
			n = h->nclients;
			pthread_mutex_unlock(&h->mu);
			if (n == 0)
				break;
			usleep(10000);
		}
		MHD_stop_daemon(h->d);
	}
	pthread_cond_destroy(&h->ka_cond);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->dcond);
	pthread_mutex_destroy(&h->dmu);
	pthread_cond_destroy(&h->acond);
	pthread_mutex_destroy(&h->amu);
	for (i = 0; i < h->nhosts; i++)
		free(h->hosts[i]);
	free(h->tls_cert);
	xfree_wipe_str(h->tls_key);
	free(h);
}
