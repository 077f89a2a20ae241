/*
 * qr.c - the one user of libqrencode: ASCII payload in, module matrix out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "qr.h"
#include "xmalloc.h"

int
qr_encode(const char *payload, struct qr *out, struct kerr *err)
{
	QRcode *code;
	size_t len, i;
	int n;

	memset(out, 0, sizeof(*out));
	if (payload == NULL || payload[0] == '\0')
		return kerr_set(err, K_EINVAL, "qr: empty payload");
	len = strlen(payload);
	if (len > QR_MAX_PAYLOAD)
		return kerr_set(err, K_EINVAL,
		    "qr: payload is %zu bytes, at most %d allowed", len,
		    QR_MAX_PAYLOAD);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)payload[i];
		if (c < 0x20 || c > 0x7e)
			return kerr_set(err, K_EINVAL,
			    "qr: payload byte %zu is 0x%02x, only printable "
			    "ASCII is allowed", i, c);
	}
	errno = 0;
	code = QRcode_encodeData((int)len, (const unsigned char *)payload, 0,
	    QR_ECLEVEL_M);
	if (code == NULL) {
		if (errno == ERANGE)
			return kerr_set(err, K_EINVAL,
			    "qr: payload of %zu bytes does not fit a QR code "
			    "at ECC level M", len);
		return kerr_set(err, K_EFAIL, "qr: encoding failed: %s",
		    strerror(errno != 0 ? errno : EINVAL));
	}
	n = code->width;
	out->width = n;
	out->modules = xmalloc((size_t)n * (size_t)n);
	for (i = 0; i < (size_t)n * (size_t)n; i++)
		out->modules[i] = code->data[i] & 1;
	QRcode_free(code);
	return K_OK;
}

void
qr_free(struct qr *q)
{
	if (q == NULL)
		return;
	free(q->modules);
	q->modules = NULL;
	q->width = 0;
}
