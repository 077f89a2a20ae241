/*
 * http_start.c - starting the libmicrohttpd daemon: the listen address,
 * the connection limits and idle time-out, TLS from PEM files (the key
 * wiped when the server stops), the dispatcher and keep-alive threads, and
 * libmicrohttpd's log with the request paths in it cut short (a phone's
 * address is its ticket's secret).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_int.h"
#include "tls.h"
#include "xmalloc.h"

#define HTTP_MAX_PEM (1 << 20)        /* a certificate or key file */
/* Each connection's buffer for a request's head and an answer's headers
 * (bodies do not go there).  libmicrohttpd zeroes all of it between two
 * requests on a connection: its default, 32 KB, was a tenth of the
 * instructions of an issue (docs/performance.md).  A head larger than
 * about half of it is refused with 431. */
#define HTTP_CONN_MEMORY (16 * 1024)

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
	if ((rc = http_set_hosts(h, o, err)) != K_OK)
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
	h->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL,
	    http_on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ?
	    o->threads : 4),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_conns > 0 ?
	    o->max_conns : 10000),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(
	    o->max_conns_per_addr > 0 ? o->max_conns_per_addr : 1000),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)idle_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, h,
	    MHD_OPTION_URI_LOG_CALLBACK, http_on_uri, h,
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
	    NULL, http_dispatch_main, h) == 0)
		h->ndisp++;
	pthread_mutex_unlock(&h->dmu);
	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di ? di->port : o->port;
	if ((rc = pthread_create(&h->ka, NULL, http_keepalive_main, h)) != 0) {
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
