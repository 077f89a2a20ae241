/*
 * client_int.h - shared by client.c, client_http.c and client_appt.c;
 * nobody else includes it.
 */
#ifndef CLIENT_INT_H
#define CLIENT_INT_H

#include <stdbool.h>

#include <jansson.h>

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

/* client.c: a request whose answer must be a JSON object with status
 * want; a string member of an answer (K_EPARSE when absent or not one) */
int client_call_json(struct qclient *c, const char *method, const char *path,
    const char *body, int want, json_t **out, struct kerr *err);
int client_get_str(json_t *o, const char *key, char *out, size_t n);
/* client_appt.c: "10:30", a time of day; the "appointment" member a
 * check-in's ticket answer must have (K_OK for a walk-in) */
bool client_is_hhmm(const char *s);
int client_issue_appointment(json_t *root, const struct qclient_issue_req *req,
    struct qclient_ticket *out, struct kerr *err);

#endif
