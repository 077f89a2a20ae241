/*
 * client_int.h - shared by client.c and client_http.c; nobody else
 * includes it.
 */
#ifndef CLIENT_INT_H
#define CLIENT_INT_H

#include <stdbool.h>

#include "qclient.h"

#define QCLIENT_MAX_REPLY (1 << 20)

struct qclient {
	char host[256];
	char port[8];
	char prefix[128];             /* path prefix without trailing '/' */
	char *token;
	int timeout_ms;
	bool tls;                     /* https:// */
	char *ca_file;                /* PEM to trust, or NULL: system CAs */
};

#endif
