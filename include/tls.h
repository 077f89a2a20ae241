/*
 * tls.h - TLS with GnuTLS (the library libmicrohttpd already uses): the
 * server's certificate check at start, `kiosk tls selfsigned` for a first
 * install, and the kiosk client's side of a connection (kiosk/queue/client.c).
 */
#ifndef TLS_H
#define TLS_H

#include <stdint.h>

#include "kerr.h"

/* The server's pair, as PEM text: parses, matches, and is valid now.
 * cert_path names the file in errors. */
int tls_check_pair(const char *cert_pem, const char *key_pem,
    const char *cert_path, struct kerr *err);

/* `kiosk tls selfsigned --out DIR [--config FILE] [--name NAME]... [--days N]` */
int role_tls(int argc, char **argv);

/* A client connection over a connected socket (blocking use with a
 * deadline: the socket is non-blocking and every wait polls).  ca_file:
 * the PEM the peer must chain to or be (a pinned self-signed certificate);
 * NULL or "": the system's CAs.  host: the name the certificate must
 * carry. */
struct tls_conn;
int  tls_client_open(struct tls_conn **out, int fd, const char *host,
    const char *ca_file, int64_t deadline_ms, struct kerr *err);
/* Write all of buf, or fail. */
int  tls_client_send(struct tls_conn *t, const void *buf, size_t len,
    int64_t deadline_ms, struct kerr *err);
/* Read up to max bytes: >0 bytes read, 0 at the end of the stream, <0 an
 * error (err set). */
long tls_client_recv(struct tls_conn *t, void *buf, size_t max,
    int64_t deadline_ms, struct kerr *err);
void tls_client_close(struct tls_conn *t);

#endif
