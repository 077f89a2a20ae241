/*
 * fuzz_client_reply.c - the kiosk's HTTP client reading arbitrary bytes as
 * the queue server's answer (qclient_parse_reply, what qclient_request
 * runs on everything that came back).
 *
 * Checks: the result is K_OK, K_EPARSE or K_ENODEV with a NUL-terminated
 * message; no body on failure; on success a status from 100 to 599 that
 * is the three digits after "HTTP/1.x ", and a body that is a prefix of
 * the bytes after the header's blank line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "qclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qclient *client;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytebuf raw = BYTEBUF_INIT;
	struct kerr err;
	char *body = NULL;
	const uint8_t *eoh;
	int status = 0, rc;

	if (client == NULL &&
	    qclient_new(&client, "http://127.0.0.1:9", NULL, 1000, &err) != K_OK)
		abort();
	bytebuf_append(&raw, data, size);
	kerr_clear(&err);
	rc = qclient_parse_reply(client, &raw, &status, &body, &err);
	if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
		abort();
	if (rc != K_OK) {
		if ((rc != K_EPARSE && rc != K_ENODEV) || err.code != rc ||
		    body != NULL)
			abort();
	} else {
		if (status < 100 || status > 599 || body == NULL ||
		    size < 13 || data[8] != ' ' ||
		    (data[9] - '0') * 100 + (data[10] - '0') * 10 +
		    data[11] - '0' != status)
			abort();
		/* the parser found the blank line before any NUL byte */
		eoh = memmem(data, size, "\r\n\r\n", 4);
		if (eoh == NULL || memchr(data, '\0', (size_t)(eoh - data)))
			abort();
		eoh += 4;
		if (strlen(body) > size - (size_t)(eoh - data) ||
		    memcmp(body, eoh, strlen(body)) != 0)
			abort();
	}
	free(body);
	bytebuf_free(&raw);
	return 0;
}
