/*
 * http.c - libmicrohttpd glue: requests in, api_dispatch(), responses out;
 * static files; the server-sent event stream.  The only file that includes
 * <microhttpd.h>.
 *
 * Threads: a pool of server.threads polling threads (epoll) handles every
 * connection.  An event-stream connection holds no thread: when it has
 * nothing to send it is suspended, and http_emit() (or the keep-alive
 * thread every 15 s) queues text and resumes it.  Hundreds of phones and
 * boards therefore cost a few kilobytes each, not a thread each.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_int.h"
#include "xmalloc.h"

#define SSE_MAX_PENDING (256 * 1024)  /* a reader that far behind is dropped */

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
};

struct req_ctx {
	struct bytebuf body;
	bool refused;                 /* 413 already queued */
	bool too_big;                 /* the body passed max_body */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
http_is_loopback_name(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcmp(addr, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

struct http *
http_new(void)
{
	struct http *h = xcalloc(1, sizeof(*h));

	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->ka_cond, NULL);
	return h;
}

/* Queue text for every client; resume the suspended ones (outside the
 * lock: a suspended connection cannot go away until it is resumed). */
static void
broadcast(struct http *h, bool staff_only, const char *text, size_t len)
{
	struct MHD_Connection **wake = NULL;
	struct sse_client *c;
	size_t nwake = 0, i;

	pthread_mutex_lock(&h->mu);
	if (h->nclients > 0)
		wake = xcalloc((size_t)h->nclients, sizeof(*wake));
	for (c = h->clients; c; c = c->next) {
		if (staff_only && c->public_only)
			continue;
		if (!c->drop && c->pending.len - c->off + len > SSE_MAX_PENDING)
			c->drop = true;
		else if (!c->drop)
			bytebuf_append(&c->pending, text, len);
		if (c->suspended && nwake < (size_t)h->nclients) {
			c->suspended = false;
			wake[nwake++] = c->conn;
		}
	}
	pthread_mutex_unlock(&h->mu);
	for (i = 0; i < nwake; i++)
		MHD_resume_connection(wake[i]);
	free(wake);
}

void
http_emit(void *arg, const char *event, const char *json)
{
	struct http *h = arg;
	char *text;

	if (h == NULL)
		return;
	text = xasprintf("event: %s\ndata: %s\n\n", event, json);
	broadcast(h, strcmp(event, "help") == 0, text, strlen(text));
	free(text);
}

static void *
keepalive_main(void *arg)
{
	struct http *h = arg;
	static const char ka[] = ": keep-alive\n\n";
	struct timespec ts;

	pthread_mutex_lock(&h->mu);
	while (!h->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += h->keepalive_s;
		pthread_cond_timedwait(&h->ka_cond, &h->mu, &ts);
		if (h->stopping)
			break;
		pthread_mutex_unlock(&h->mu);
		broadcast(h, false, ka, sizeof(ka) - 1);
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	struct http *h = c->h;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&h->mu);
	if (c->drop || h->stopping) {
		pthread_mutex_unlock(&h->mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = c->pending.len - c->off;
	if (n > 0) {
		if (n > max)
			n = max;
		memcpy(buf, c->pending.data + c->off, n);
		c->off += n;
		if (c->off == c->pending.len) {
			bytebuf_reset(&c->pending);
			c->off = 0;
		}
		pthread_mutex_unlock(&h->mu);
		return (ssize_t)n;
	}
	/* nothing to say: park the connection until http_emit() */
	c->suspended = true;
	MHD_suspend_connection(c->conn);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

static void
sse_free(void *cls)
{
	struct sse_client *c = cls;
	struct http *h = c->h;

	pthread_mutex_lock(&h->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		h->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	h->nclients--;
	pthread_mutex_unlock(&h->mu);
	bytebuf_free(&c->pending);
	free(c);
}

static struct MHD_Response *
sse_response(struct http *h, struct MHD_Connection *conn, bool public_only)
{
	struct sse_client *c = xcalloc(1, sizeof(*c));
	struct MHD_Response *r;

	c->h = h;
	c->conn = conn;
	c->public_only = public_only;
	bytebuf_puts(&c->pending, "retry: 3000\n: connected\n\n");
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read,
	    c, sse_free);
	if (r == NULL) {
		bytebuf_free(&c->pending);
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&h->mu);
	c->next = h->clients;
	if (h->clients)
		h->clients->prev = c;
	h->clients = c;
	h->nclients++;
	pthread_mutex_unlock(&h->mu);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	return r;
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

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
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

	(void)version;
	if (ctx == NULL) {
		ctx = xcalloc(1, sizeof(*ctx));
		*con_cls = ctx;
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

	api_dispatch(h->api, &req, now_ms(), &resp);
	if (resp.sse) {
		r = sse_response(h, conn, resp.sse_public);
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
		MHD_add_response_header(r, "Cache-Control", "no-store");
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

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *ctx = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (ctx == NULL)
		return;
	bytebuf_wipe(&ctx->body);     /* may hold an application */
	free(ctx);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[300];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	klog("warn", "http", "%s", line);
}

int
http_listen(struct http *h, struct api *api, const struct http_opts *o,
    struct kerr *err)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	const union MHD_DaemonInfo *di;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const char *addr = o->listen;
	struct rlimit rl;
	int rc;

	h->api = api;
	h->max_body = o->max_body;
	h->keepalive_s = o->keepalive_s > 0 ? o->keepalive_s : 15;
	memset(&ss, 0, sizeof(ss));
	if (strcmp(addr, "localhost") == 0)
		addr = "127.0.0.1";
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)o->port);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		return kerr_set(err, K_EINVAL, "server.listen = '%.60s': not an "
		    "IPv4 or IPv6 address", o->listen);
	}
	/* room for many event streams */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	h->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request,
	    h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ?
	    o->threads : 4),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)10000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    MHD_OPTION_END);
	if (h->d == NULL)
		return kerr_set(err, K_EIO, "cannot listen on %s port %d "
		    "(in use, or no permission?)", o->listen, o->port);
	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di ? di->port : o->port;
	if ((rc = pthread_create(&h->ka, NULL, keepalive_main, h)) != 0) {
		MHD_stop_daemon(h->d);
		h->d = NULL;
		return kerr_set(err, K_EFAIL, "keep-alive thread: %s",
		    strerror(rc));
	}
	h->ka_running = true;
	return K_OK;
}

int
http_port(const struct http *h)
{
	return h->port;
}

void
http_free(struct http *h)
{
	struct MHD_Connection **wake = NULL;
	struct sse_client *c;
	size_t nwake = 0, i;

	if (h == NULL)
		return;
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
	free(h);
}
