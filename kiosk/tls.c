/*
 * tls.c - TLS with GnuTLS: the server's certificate check at start, the
 * self-signed pair of a first install (`kiosk tls selfsigned`), and the
 * client side of the kiosk's connection to an https:// queue server.
 *
 * GnuTLS because libmicrohttpd (Debian's build) already links it: the
 * server and its client share one TLS library, and the client needs no
 * second HTTP stack (its hand-written HTTP over a socket stays as it is,
 * with a TLS session on that socket).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "config.h"
#include "tls.h"
#include "xmalloc.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
fmt_time(time_t t, char *out, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm);
}

int
tls_check_pair(const char *cert_pem, const char *key_pem,
    const char *cert_path, struct kerr *err)
{
	gnutls_certificate_credentials_t cred;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0, i;
	gnutls_datum_t c = { (unsigned char *)(uintptr_t)cert_pem,
	    (unsigned)strlen(cert_pem) };
	gnutls_datum_t k = { (unsigned char *)(uintptr_t)key_pem,
	    (unsigned)strlen(key_pem) };
	time_t now = time(NULL), t;
	char when[40];
	int rc;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return kerr_set(err, K_EFAIL, "TLS: out of memory");
	rc = gnutls_certificate_set_x509_key_mem2(cred, &c, &k,
	    GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (rc < 0)
		return kerr_set(err, K_EPARSE, "server.tls_cert = %s and "
		    "server.tls_key: %s", cert_path, gnutls_strerror(rc));
	if ((rc = gnutls_x509_crt_list_import2(&list, &n, &c,
	    GNUTLS_X509_FMT_PEM, 0)) < 0 || n == 0)
		return kerr_set(err, K_EPARSE, "server.tls_cert = %s: %s",
		    cert_path, rc < 0 ? gnutls_strerror(rc) : "no certificate");
	rc = K_OK;
	if ((t = gnutls_x509_crt_get_expiration_time(list[0])) != (time_t)-1 &&
	    t < now) {
		fmt_time(t, when, sizeof(when));
		rc = kerr_set(err, K_EINVAL, "server.tls_cert = %s: the "
		    "certificate expired on %s", cert_path, when);
	} else if ((t = gnutls_x509_crt_get_activation_time(list[0])) !=
	    (time_t)-1 && t > now + 300) {
		fmt_time(t, when, sizeof(when));
		rc = kerr_set(err, K_EINVAL, "server.tls_cert = %s: the "
		    "certificate is not valid before %s (is the clock right?)",
		    cert_path, when);
	}
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return rc;
}

/* --- `kiosk tls selfsigned` ------------------------------------------ */

#define TLS_MAX_NAMES 40

struct names {
	char *v[TLS_MAX_NAMES];
	size_t n;
};

static void
names_add(struct names *ns, const char *s, size_t len)
{
	size_t i;
	char *c;

	while (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || ns->n == TLS_MAX_NAMES)
		return;
	c = xstrndup(s, len);
	for (i = 0; i < ns->n; i++)
		if (strcasecmp(ns->v[i], c) == 0) {
			free(c);
			return;
		}
	ns->v[ns->n++] = c;
}

/* The host of "https://name:port/..." ("[v6]" without brackets). */
static void
names_add_url(struct names *ns, const char *url)
{
	const char *p = strstr(url, "://"), *e;

	if (p == NULL)
		return;
	p += 3;
	if (*p == '[') {
		e = strchr(p, ']');
		if (e != NULL)
			names_add(ns, p + 1, (size_t)(e - p - 1));
		return;
	}
	e = p + strcspn(p, ":/?#");
	names_add(ns, p, (size_t)(e - p));
}

static int
write_file(const char *path, const gnutls_datum_t *d, mode_t mode, bool force)
{
	int fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC :
	    O_EXCL);
	size_t off = 0;
	ssize_t n;

	if ((fd = open(path, flags, mode)) < 0) {
		fprintf(stderr, "kiosk tls: %s: %s%s\n", path, strerror(errno),
		    errno == EEXIST ? " (use --force to replace it)" : "");
		return -1;
	}
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (off < d->size) {
		n = write(fd, d->data + off, d->size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	close(fd);
	return 0;
fail:
	fprintf(stderr, "kiosk tls: %s: %s\n", path, strerror(errno));
	close(fd);
	return -1;
}

static int
selfsigned(const char *out, struct names *ns, int days, bool force)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t dk = { NULL, 0 }, dc = { NULL, 0 };
	unsigned char serial[16], id[64], fp[32];
	size_t idlen = sizeof(id), fplen = sizeof(fp), i;
	time_t now = time(NULL);
	char *kpath = NULL, *cpath = NULL;
	int rc, ret = 1;

	if ((rc = gnutls_x509_privkey_init(&key)) < 0 ||
	    (rc = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0 ||
	    (rc = gnutls_x509_crt_init(&crt)) < 0 ||
	    (rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		goto gnutls_fail;
	serial[0] &= 0x7f;      /* a positive number */
	serial[0] |= 0x01;      /* and no leading zero byte */
	if ((rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0 ||
	    (rc = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(crt, now +
	    (time_t)days * 86400)) < 0 ||
	    (rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, ns->v[0], (unsigned)strlen(ns->v[0]))) < 0 ||
	    (rc = gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "Asahi counter kiosk", 19)) < 0 ||
	    (rc = gnutls_x509_crt_set_key(crt, key)) < 0 ||
	    (rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_usage(crt,
	    GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_purpose_oid(crt,
	    GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
	    (rc = gnutls_x509_crt_get_key_id(crt, 0, id, &idlen)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_key_id(crt, id, idlen)) < 0)
		goto gnutls_fail;
	for (i = 0; i < ns->n; i++) {
		unsigned char ip[16];
		if (inet_pton(AF_INET, ns->v[i], ip) == 1)
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 4, GNUTLS_FSAN_APPEND);
		else if (inet_pton(AF_INET6, ns->v[i], ip) == 1)
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 16, GNUTLS_FSAN_APPEND);
		else
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_DNSNAME, ns->v[i],
			    (unsigned)strlen(ns->v[i]), GNUTLS_FSAN_APPEND);
		if (rc < 0)
			goto gnutls_fail;
	}
	if ((rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
	    (rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM,
	    &dk)) < 0 ||
	    (rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &dc)) < 0 ||
	    (rc = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, fp,
	    &fplen)) < 0)
		goto gnutls_fail;
	if (mkdir(out, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "kiosk tls: cannot create %s: %s\n", out,
		    strerror(errno));
		goto out;
	}
	kpath = xasprintf("%s/kiosk-key.pem", out);
	cpath = xasprintf("%s/kiosk-cert.pem", out);
	if (!force && (access(kpath, F_OK) == 0 || access(cpath, F_OK) == 0)) {
		fprintf(stderr, "kiosk tls: %s already holds a pair (use --force "
		    "to replace it; kiosks that pinned the old certificate will "
		    "refuse the new one)\n", out);
		goto out;
	}
	if (write_file(kpath, &dk, 0600, force) != 0 ||
	    write_file(cpath, &dc, 0644, force) != 0)
		goto out;
	printf("wrote %s (private key, mode 600) and %s, valid %d days for:",
	    kpath, cpath, days);
	for (i = 0; i < ns->n; i++)
		printf(" %s", ns->v[i]);
	printf("\nSHA-256 fingerprint: ");
	for (i = 0; i < fplen; i++)
		printf("%s%02X", i ? ":" : "", fp[i]);
	printf("\nin kiosk.ini of the server:\n  [server]\n  tls_cert = %s\n"
	    "  tls_key = %s\n  public_url = https://%s:PORT\n"
	    "and of every kiosk (the certificate is its pin):\n  [kiosk]\n"
	    "  server = https://%s:PORT\n  server_ca = %s\n", cpath, kpath,
	    ns->v[0], ns->v[0], cpath);
	ret = 0;
	goto out;
gnutls_fail:
	fprintf(stderr, "kiosk tls: %s\n", gnutls_strerror(rc));
out:
	if (dk.data) {
		explicit_bzero(dk.data, dk.size);
		gnutls_free(dk.data);
	}
	gnutls_free(dc.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	free(kpath);
	free(cpath);
	return ret;
}

int
role_tls(int argc, char **argv)
{
	const char *out = NULL, *cfgpath = NULL, *p;
	struct names ns = { { NULL }, 0 }, extra = { { NULL }, 0 };
	struct config *cfg;
	struct kerr err;
	char host[256];
	bool force = false;
	long days = 825;
	size_t i;
	int ret, a;

	if (argc < 2 || strcmp(argv[1], "selfsigned") != 0)
		goto usage;
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--out") == 0 && a + 1 < argc) {
			out = argv[++a];
		} else if (strcmp(argv[a], "--config") == 0 && a + 1 < argc) {
			cfgpath = argv[++a];
		} else if (strcmp(argv[a], "--name") == 0 && a + 1 < argc) {
			p = argv[++a];
			names_add(&extra, p, strlen(p));
		} else if (strcmp(argv[a], "--days") == 0 && a + 1 < argc) {
			char *end;
			days = strtol(argv[++a], &end, 10);
			if (*end != '\0' || days < 1 || days > 3650) {
				fprintf(stderr, "kiosk tls: --days must be a whole "
				    "number from 1 to 3650\n");
				return 2;
			}
		} else if (strcmp(argv[a], "--force") == 0) {
			force = true;
		} else {
			goto usage;
		}
	}
	if (out == NULL)
		goto usage;
	if (config_load(&cfg, cfgpath, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	/* the first name is the certificate's common name: the name the
	 * residents' phones use (public_url), then the rest */
	names_add_url(&ns, config_str(cfg, "server.public_url"));
	for (i = 0; i < extra.n; i++)
		names_add(&ns, extra.v[i], strlen(extra.v[i]));
	p = config_str(cfg, "server.hosts");
	while (*p) {
		size_t n;
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		names_add(&ns, p, n);
		p += n;
	}
	p = config_str(cfg, "server.listen");
	if (strcmp(p, "0.0.0.0") != 0 && strcmp(p, "::") != 0)
		names_add(&ns, p, strlen(p));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		names_add(&ns, host, strlen(host));
	}
	names_add(&ns, "localhost", 9);
	names_add(&ns, "127.0.0.1", 9);
	names_add(&ns, "::1", 3);
	config_free(cfg);
	ret = selfsigned(out, &ns, (int)days, force);
	for (i = 0; i < ns.n; i++)
		free(ns.v[i]);
	for (i = 0; i < extra.n; i++)
		free(extra.v[i]);
	return ret;
usage:
	fprintf(stderr, "usage: kiosk tls selfsigned --out DIR [--config FILE] "
	    "[--name HOST]... [--days N] [--force]\n");
	return 2;
}

/* --- the client side -------------------------------------------------- */

struct tls_conn {
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
	int fd;
};

static int
wait_io(struct tls_conn *t, int64_t deadline, struct kerr *err)
{
	struct pollfd p = { t->fd, gnutls_record_get_direction(t->s) ?
	    POLLOUT : POLLIN, 0 };
	int64_t left = deadline - mono_ms();
	int n;

	if (left <= 0)
		return kerr_set(err, K_ETIMEOUT, "queue server: TLS time-out");
	n = poll(&p, 1, (int)left);
	if (n < 0 && errno != EINTR)
		return kerr_set(err, K_EIO, "queue server: poll: %s",
		    strerror(errno));
	if (n == 0)
		return kerr_set(err, K_ETIMEOUT, "queue server: TLS time-out");
	return K_OK;
}

int
tls_client_open(struct tls_conn **out, int fd, const char *host,
    const char *ca_file, int64_t deadline_ms, struct kerr *err)
{
	struct tls_conn *t = xcalloc(1, sizeof(*t));
	unsigned char ip[16];
	unsigned status;
	int rc;

	*out = NULL;
	t->fd = fd;
	if ((rc = gnutls_certificate_allocate_credentials(&t->cred)) < 0)
		goto fail;
	if (ca_file != NULL && ca_file[0] != '\0')
		rc = gnutls_certificate_set_x509_trust_file(t->cred, ca_file,
		    GNUTLS_X509_FMT_PEM);
	else
		rc = gnutls_certificate_set_x509_system_trust(t->cred);
	if (rc <= 0) {
		kerr_set(err, K_EINVAL, "kiosk.server_ca = %s: %s",
		    ca_file && ca_file[0] ? ca_file : "(system CAs)",
		    rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
		tls_client_close(t);
		return err->code;
	}
	if ((rc = gnutls_init(&t->s, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0 ||
	    (rc = gnutls_set_default_priority(t->s)) < 0 ||
	    (rc = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE,
	    t->cred)) < 0)
		goto fail;
	/* SNI only for a name; the certificate must name the host either way */
	if (inet_pton(AF_INET, host, ip) != 1 && inet_pton(AF_INET6, host,
	    ip) != 1 && (rc = gnutls_server_name_set(t->s, GNUTLS_NAME_DNS,
	    host, strlen(host))) < 0)
		goto fail;
	gnutls_session_set_verify_cert(t->s, host, 0);
	gnutls_transport_set_int(t->s, fd);
	gnutls_handshake_set_timeout(t->s, 0);
	for (;;) {
		rc = gnutls_handshake(t->s);
		if (rc == GNUTLS_E_SUCCESS)
			break;
		if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
			if (wait_io(t, deadline_ms, err) != K_OK) {
				tls_client_close(t);
				return err->code;
			}
			continue;
		}
		if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
			gnutls_datum_t why = { NULL, 0 };
			status = gnutls_session_get_verify_cert_status(t->s);
			gnutls_certificate_verification_status_print(status,
			    GNUTLS_CRT_X509, &why, 0);
			kerr_set(err, K_EAUTH, "queue server %s: its certificate "
			    "is not trusted (%s; check kiosk.server_ca)", host,
			    why.data ? (const char *)why.data : "?");
			gnutls_free(why.data);
			tls_client_close(t);
			return err->code;
		}
		if (gnutls_error_is_fatal(rc))
			goto fail;
	}
	*out = t;
	return K_OK;
fail:
	kerr_set(err, K_EIO, "queue server %s: TLS: %s", host,
	    gnutls_strerror(rc));
	tls_client_close(t);
	return err->code;
}

int
tls_client_send(struct tls_conn *t, const void *buf, size_t len,
    int64_t deadline_ms, struct kerr *err)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = gnutls_record_send(t->s, p, len);
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
			if (wait_io(t, deadline_ms, err) != K_OK)
				return err->code;
			continue;
		}
		if (n < 0)
			return kerr_set(err, K_EIO, "queue server: TLS send: %s",
			    gnutls_strerror((int)n));
		p += n;
		len -= (size_t)n;
	}
	return K_OK;
}

long
tls_client_recv(struct tls_conn *t, void *buf, size_t max,
    int64_t deadline_ms, struct kerr *err)
{
	ssize_t n;

	for (;;) {
		n = gnutls_record_recv(t->s, buf, max);
		if (n >= 0)
			return (long)n;
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
			if (wait_io(t, deadline_ms, err) != K_OK)
				return -1;
			continue;
		}
		/* a server that closes without close_notify after a whole
		 * answer: the HTTP framing says whether it was whole */
		if (n == GNUTLS_E_PREMATURE_TERMINATION)
			return 0;
		kerr_set(err, K_EIO, "queue server: TLS receive: %s",
		    gnutls_strerror((int)n));
		return -1;
	}
}

void
tls_client_close(struct tls_conn *t)
{
	if (t == NULL)
		return;
	if (t->s) {
		gnutls_bye(t->s, GNUTLS_SHUT_WR);
		gnutls_deinit(t->s);
	}
	if (t->cred)
		gnutls_certificate_free_credentials(t->cred);
	free(t);
}
