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
 *
 * A change (POST) waits for the commit that makes it durable, and the
 * store commits every change waiting at once (group commit).  So that a
 * polling thread is not held by that wait, and changes from connections
 * that one thread happens to poll still share a commit, a POST is
 * suspended and handed to a pool of dispatch threads (HTTP_DISPATCHERS);
 * its answer is queued when the dispatcher resumes it.  Reads are answered
 * on the polling thread.
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
#include "tls.h"
#include "xmalloc.h"

#define SSE_MAX_PENDING (256 * 1024)  /* a reader that far behind is dropped */
#define HTTP_MAX_PARAMS 32            /* query parameters; more get 414 */
#define HTTP_MAX_HOSTS 32             /* accepted Host names */
#define HTTP_MAX_PEM (1 << 20)        /* a certificate or key file */

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
};

/* One request: made by on_uri() when the request line arrives. */
struct req_ctx {
	struct bytebuf body;
	bool started;                 /* on_request() has seen the headers */
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
	pthread_mutex_init(&h->dmu, NULL);
	pthread_cond_init(&h->dcond, NULL);
	h->dtail = &h->dqueue;
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
	/* help and alert events are for staff, never a phone's stream */
	broadcast(h, strcmp(event, "help") == 0 ||
	    strncmp(event, "alert", 5) == 0, text, strlen(text));
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

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The raw request target, before libmicrohttpd decodes it: a decoded
 * control character (%00 would cut the path short: "/web/staff.html%00.png"
 * would serve staff.html) is refused, and so is a query of more than
 * HTTP_MAX_PARAMS parameters.  libmicrohttpd 0.9.75 keeps every parameter
 * in the connection's small memory pool and, when the pool runs out,
 * neither answers nor closes until the time-out; so the query of a refused
 * request is cut off here, in the connection's own buffer (not const in
 * fact), before it is parsed.  The answer comes from on_request().
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct req_ctx *ctx = xcalloc(1, sizeof(*ctx));
	const char *q = strchr(uri, '?'), *p;
	size_t nparams = 0;

	(void)cls;
	(void)conn;
	for (p = uri; *p; p++) {
		unsigned char c = (unsigned char)*p;
		int hi, lo;

		if (c < 0x20 || c == 0x7f) {
			ctx->uri_status = 400;
			ctx->uri_why = "the address contains a control character";
		} else if (c == '%' && (hi = hexval(p[1])) >= 0 &&
		    (lo = hexval(p[2])) >= 0 && (hi < 2 || (hi == 7 &&
		    lo == 15))) {
			ctx->uri_status = 400;
			ctx->uri_why = "the address contains an encoded control "
			    "character (%00 to %1F or %7F)";
		}
		if (q != NULL && p > q && c == '&')
			nparams++;
	}
	if (q != NULL && q[1] != '\0')
		nparams++;
	if (nparams > HTTP_MAX_PARAMS) {
		ctx->uri_status = 414;
		ctx->uri_why = "the query has too many parameters";
		((char *)q)[1] = '\0';
	}
	return ctx;
}

/* Copy s for an error message: printable ASCII kept, the rest as '?'. */
static void
printable(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\') ? s[i] : '?';
	out[i] = '\0';
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Is s a host name as DNS allows it (letters, digits, '-', '.')? */
static bool
is_host_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
			return false;
	return true;
}

static void
add_host(struct http *h, const char *name, size_t n)
{
	size_t i;
	char *s;

	while (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || h->nhosts == HTTP_MAX_HOSTS)
		return;
	s = xstrndup(name, n);
	lower(s);
	for (i = 0; i < h->nhosts; i++)
		if (strcmp(h->hosts[i], s) == 0) {
			free(s);
			return;
		}
	h->hosts[h->nhosts++] = s;
}

/* The host of "http://name:port/path" (no IP literal needed: those are
 * accepted anyway). */
static void
add_url_host(struct http *h, const char *url)
{
	const char *p = strstr(url, "://"), *e;

	if (p == NULL)
		return;
	p += 3;
	if (*p == '[')
		return;
	e = p + strcspn(p, ":/?#");
	add_host(h, p, (size_t)(e - p));
}

static int
set_hosts(struct http *h, const struct http_opts *o, struct kerr *err)
{
	const char *p = o->hosts ? o->hosts : "";

	add_host(h, "localhost", 9);
	add_host(h, o->listen, strlen(o->listen));
	add_url_host(h, o->public_url ? o->public_url : "");
	while (*p) {
		size_t n;
		char name[256];

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (n >= sizeof(name))
			return kerr_set(err, K_EINVAL, "server.hosts: a name is "
			    "longer than 253 characters");
		memcpy(name, p, n);
		name[n] = '\0';
		if (!is_host_name(name))
			return kerr_set(err, K_EINVAL, "server.hosts: '%.60s' is "
			    "not a host name (letters, digits, '-' and '.')",
			    name);
		if (h->nhosts == HTTP_MAX_HOSTS)
			return kerr_set(err, K_EINVAL, "server.hosts: more than "
			    "%d names", HTTP_MAX_HOSTS - 3);
		add_host(h, name, n);
		p += n;
	}
	return K_OK;
}

/*
 * A Host header names this server when it is an IP address (a browser
 * sends a name, never an address, for a page that rebinds a name of its
 * own to this server: DNS rebinding) or one of the configured names.
 */
static bool
host_ok(const struct http *h, const char *host)
{
	char name[256], *colon;
	struct in_addr a4;
	size_t i, n;

	if (host[0] == '[') {
		struct in6_addr a6;
		const char *close = strchr(host, ']');
		n = close ? (size_t)(close - host - 1) : 0;
		if (close == NULL || n == 0 || n >= sizeof(name) ||
		    (close[1] != '\0' && close[1] != ':'))
			return false;
		memcpy(name, host + 1, n);
		name[n] = '\0';
		if (close[1] == ':' && (close[2] == '\0' ||
		    strspn(close + 2, "0123456789") != strlen(close + 2)))
			return false;
		return inet_pton(AF_INET6, name, &a6) == 1;
	}
	if (strlen(host) >= sizeof(name))
		return false;
	snprintf(name, sizeof(name), "%s", host);
	if ((colon = strchr(name, ':')) != NULL) {
		if (colon[1] == '\0' || strspn(colon + 1, "0123456789") !=
		    strlen(colon + 1))
			return false;
		*colon = '\0';
	}
	n = strlen(name);
	while (n > 0 && name[n - 1] == '.')
		name[--n] = '\0';
	if (inet_pton(AF_INET, name, &a4) == 1)
		return true;
	lower(name);
	for (i = 0; i < h->nhosts; i++)
		if (strcmp(h->hosts[i], name) == 0)
			return true;
	return false;
}

/* Does "scheme://authority" name the same server as the Host header? */
static bool
origin_ok(const char *origin, const char *host)
{
	const char *a;

	if (strncasecmp(origin, "http://", 7) == 0)
		a = origin + 7;
	else if (strncasecmp(origin, "https://", 8) == 0)
		a = origin + 8;
	else
		return false;
	return host != NULL && strcasecmp(a, host) == 0;
}

struct hdr_count {
	int content_length;
	int transfer_encoding;
	int host;
};

static enum MHD_Result
count_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct hdr_count *n = cls;

	(void)kind;
	(void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		n->content_length++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		n->transfer_encoding++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		n->host++;
	return MHD_YES;
}

static enum MHD_Result
refuse(struct MHD_Connection *conn, struct req_ctx *ctx, int status,
    const char *code, const char *detail)
{
	char text[512];
	struct MHD_Response *r;
	enum MHD_Result ret;

	ctx->refused = true;
	snprintf(text, sizeof(text), "{\"error\":\"%s\",\"detail\":\"%s\"}", code,
	    detail);
	r = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
	    "application/json; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* what follows on this connection cannot be trusted to be framed
	 * as this server reads it: no second request on it */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * Checks on the request head, before any body is read: framing (one
 * Content-Length, not with Transfer-Encoding), the Host, and for a
 * state-changing method that it comes from this server's own pages
 * (Sec-Fetch-Site, Origin) with a JSON body (a form or a text/plain
 * fetch from another site cannot send one without a CORS preflight,
 * which this server never grants).
 */
static enum MHD_Result
check_head(struct http *h, struct MHD_Connection *conn, struct req_ctx *ctx,
    const char *method, const char *version)
{
	struct hdr_count n = { 0, 0, 0 };
	const char *host, *te, *clen, *origin, *site, *type;
	char detail[200], shown[64];
	bool body;

	if (ctx->uri_status != 0)
		return refuse(conn, ctx, ctx->uri_status, ctx->uri_status == 414 ?
		    "uri_too_long" : "bad_request", ctx->uri_why);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_iter, &n);
	if (n.content_length > 1)
		return refuse(conn, ctx, 400, "bad_request",
		    "more than one Content-Length header");
	if (n.transfer_encoding > 1 || (n.transfer_encoding &&
	    n.content_length))
		return refuse(conn, ctx, 400, "bad_request",
		    "Transfer-Encoding with Content-Length, or twice");
	te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (te != NULL && strcasecmp(te, "chunked") != 0)
		return refuse(conn, ctx, 400, "bad_request",
		    "only 'Transfer-Encoding: chunked' is understood");
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (n.host > 1)
		return refuse(conn, ctx, 400, "bad_request",
		    "more than one Host header");
	if (host == NULL && strcmp(version, MHD_HTTP_VERSION_1_0) != 0)
		return refuse(conn, ctx, 400, "bad_request",
		    "an HTTP/1.1 request needs a Host header");
	if (host != NULL && !host_ok(h, host)) {
		printable(host, shown, sizeof(shown));
		snprintf(detail, sizeof(detail), "Host '%s' is not a name of "
		    "this server (add it to [server] hosts)", shown);
		return refuse(conn, ctx, 421, "unknown_host", detail);
	}
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return MHD_YES;
	site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (site != NULL && strcasecmp(site, "same-origin") != 0 &&
	    strcasecmp(site, "none") != 0)
		return refuse(conn, ctx, 403, "cross_site",
		    "a request from another site's page is refused");
	origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (origin != NULL && !origin_ok(origin, host)) {
		printable(origin, shown, sizeof(shown));
		snprintf(detail, sizeof(detail), "a request from origin '%s' is "
		    "refused: only this server's own pages may change things",
		    shown);
		return refuse(conn, ctx, 403, "cross_site", detail);
	}
	clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	body = te != NULL || (clen != NULL && strtoull(clen, NULL, 10) > 0);
	type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if (body && (type == NULL || strncasecmp(type, "application/json",
	    16) != 0 || (type[16] != '\0' && type[16] != ';' &&
	    type[16] != ' ')))
		return refuse(conn, ctx, 415, "unsupported_media_type",
		    "a request body must be sent as 'Content-Type: "
		    "application/json'");
	return MHD_YES;
}

static void *
dispatch_main(void *arg)
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

	if (ctx == NULL) {
		ctx = xcalloc(1, sizeof(*ctx));
		*con_cls = ctx;
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
		if (check_head(h, conn, ctx, method, version) != MHD_YES)
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

	if (strcmp(req.method, "POST") == 0 && dispatch_later(h, conn, ctx,
	    &req))
		return MHD_YES;
	api_dispatch(h->api, &req, now_ms(), &resp);
answer:
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
	api_resp_free(&ctx->resp);
	free(ctx->path);
	free(ctx->query);
	xfree_wipe_str(ctx->bearer);
	free(ctx);
	*con_cls = NULL;
}

/*
 * libmicrohttpd's messages may quote a request's address ("... for the
 * request for `/api/status/TOKEN/events'"): a phone's address is its
 * ticket's secret, and other addresses carry ids.  Every path in a
 * message is cut to its first segment.
 */
static void
redact_paths(char *line)
{
	char *p = line, *e;

	while ((p = strchr(p, '/')) != NULL) {
		if (p > line && p[-1] != '`' && p[-1] != ' ' && p[-1] != '\'' &&
		    p[-1] != '"') {
			p++;
			continue;
		}
		e = p + 1 + strcspn(p + 1, "/ '`\"?");
		if (*e == '/' || *e == '?') {
			size_t rest = strcspn(e, " '`\"");
			/* a star in place of the rest; a rest of one byte ("/"
			 * at the end) is left: the line may not grow */
			if (rest >= 2) {
				memmove(e + 2, e + rest, strlen(e + rest) + 1);
				e[0] = '/';
				e[1] = '*';
				e += 2;
			} else {
				e += rest;
			}
		}
		p = e;
	}
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[300];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	redact_paths(line);
	klog("warn", "http", "%s", line);
}

/* Read a PEM file whole; the key's copy is wiped when the server stops. */
static int
read_pem(const char *what, const char *path, bool secret, char **out,
    struct kerr *err)
{
	struct stat st;
	struct bytebuf b = BYTEBUF_INIT;
	char buf[4096];
	ssize_t n;
	int fd;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return kerr_set(err, K_EINVAL, "server.%s is empty: set both "
		    "server.tls_cert and server.tls_key, or neither", what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kerr_set(err, K_ENOTFOUND, "server.%s = %s: cannot open: "
		    "%s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > HTTP_MAX_PEM) {
		close(fd);
		return kerr_set(err, K_EINVAL, "server.%s = %s: not a PEM file "
		    "(not a regular file, or over %d bytes)", what, path,
		    HTTP_MAX_PEM);
	}
	if (secret && (st.st_mode & S_IROTH)) {
		close(fd);
		return kerr_set(err, K_EINVAL, "server.%s = %s: the private key "
		    "is readable by every user of this machine (chmod 600 it)",
		    what, path);
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytebuf_append(&b, buf, (size_t)n);
	close(fd);
	explicit_bzero(buf, sizeof(buf));
	if (n < 0 || b.len == 0 || memmem(b.data, b.len, "-----BEGIN ", 11) ==
	    NULL) {
		bytebuf_wipe(&b);
		return kerr_set(err, K_EPARSE, "server.%s = %s: no PEM block "
		    "(\"-----BEGIN ...\") in it", what, path);
	}
	*out = xstrndup((const char *)b.data, b.len);
	bytebuf_wipe(&b);
	return K_OK;
}

/* After the daemon failed to start: is the port taken by someone else? */
static bool
port_busy(const struct sockaddr_storage *ss)
{
	socklen_t len = ss->ss_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	bool busy;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	busy = bind(fd, (const struct sockaddr *)ss, len) != 0 &&
	    errno == EADDRINUSE;
	close(fd);
	return busy;
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

	struct MHD_OptionItem tls[3];
	int idle_s = o->idle_timeout_s > 0 ? o->idle_timeout_s : 30;

	h->api = api;
	h->max_body = o->max_body;
	h->keepalive_s = o->keepalive_s > 0 ? o->keepalive_s : 15;
	/* an idle event stream must outlive the gap between keep-alives */
	if (idle_s <= h->keepalive_s)
		return kerr_set(err, K_EINVAL, "server.idle_timeout_s = %d must be "
		    "longer than server.keepalive_s = %d (event streams would be "
		    "cut between keep-alives)", idle_s, h->keepalive_s);
	if ((rc = set_hosts(h, o, err)) != K_OK)
		return rc;
	memset(tls, 0, sizeof(tls));
	tls[0].option = MHD_OPTION_END;
	if ((o->tls_cert && o->tls_cert[0]) || (o->tls_key && o->tls_key[0])) {
		if ((rc = read_pem("tls_cert", o->tls_cert, false, &h->tls_cert,
		    err)) != K_OK || (rc = read_pem("tls_key", o->tls_key, true,
		    &h->tls_key, err)) != K_OK)
			return rc;
		if ((rc = tls_check_pair(h->tls_cert, h->tls_key, o->tls_cert,
		    err)) != K_OK)
			return rc;
		tls[0].option = MHD_OPTION_HTTPS_MEM_KEY;
		tls[0].ptr_value = h->tls_key;
		tls[1].option = MHD_OPTION_HTTPS_MEM_CERT;
		tls[1].ptr_value = h->tls_cert;
		tls[2].option = MHD_OPTION_END;
		flags |= MHD_USE_TLS;
		h->tls = true;
	}
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
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_conns > 0 ?
	    o->max_conns : 10000),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(
	    o->max_conns_per_addr > 0 ? o->max_conns_per_addr : 1000),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)idle_s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
	    /* 1: a HTTP/1.1 request without Host, a space in the target or
	     * in a header name is refused */
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    /* no address reuse: a second server on this port must fail,
	     * not share the connections with the first */
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
	if (h->d == NULL)
		return kerr_set(err, K_EIO, "cannot listen on %s port %d: %s "
		    "(is another server running on this port?)", o->listen,
		    o->port, port_busy(&ss) ? "the port is in use" :
		    "no permission, or the address is not on this machine");
	/* without dispatchers a POST is answered on its polling thread */
	pthread_mutex_lock(&h->dmu);
	while (h->ndisp < HTTP_DISPATCHERS && pthread_create(&h->disp[h->ndisp],
	    NULL, dispatch_main, h) == 0)
		h->ndisp++;
	pthread_mutex_unlock(&h->dmu);
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
	for (i = 0; i < h->nhosts; i++)
		free(h->hosts[i]);
	free(h->tls_cert);
	xfree_wipe_str(h->tls_key);
	free(h);
}
