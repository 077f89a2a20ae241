/*
 * http_guard.c - the checks a request passes before it reaches the API:
 * the raw request target (control characters, too many parameters), HTTP
 * framing (one Content-Length, not with Transfer-Encoding), the Host
 * (the configured names, or an IP address: against DNS rebinding) and,
 * for a change, the Origin, Sec-Fetch-Site and a JSON body.  A refusal
 * closes the connection.  The connection limits are libmicrohttpd options
 * (http_start.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "http_int.h"
#include "xmalloc.h"

#define HTTP_MAX_PARAMS 32            /* query parameters; more get 414 */

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
void *
http_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
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

int
http_set_hosts(struct http *h, const struct http_opts *o, struct kerr *err)
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
enum MHD_Result
http_check_head(struct http *h, struct MHD_Connection *conn,
    struct req_ctx *ctx, const char *method, const char *version)
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
