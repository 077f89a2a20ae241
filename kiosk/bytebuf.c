/*
 * bytebuf.c - growable byte buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "kerr.h"
#include "xmalloc.h"

static int
grow(struct bytebuf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;

	if (b->max && b->len + extra > b->max)
		return K_EINVAL;
	if (need <= b->cap)
		return K_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	/* not realloc(): the old block may hold an application or a token,
	 * and realloc would hand it back to the heap as it is */
	{
		uint8_t *d = xmalloc(cap);
		if (b->data != NULL) {
			memcpy(d, b->data, b->len);
			xfree_wipe(b->data, b->cap);
		}
		b->data = d;
	}
	b->cap = cap;
	return K_OK;
}

int
bytebuf_append(struct bytebuf *b, const void *p, size_t n)
{
	if (grow(b, n) != K_OK)
		return K_EINVAL;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return K_OK;
}

int
bytebuf_putc(struct bytebuf *b, uint8_t c)
{
	return bytebuf_append(b, &c, 1);
}

int
bytebuf_puts(struct bytebuf *b, const char *s)
{
	return bytebuf_append(b, s, strlen(s));
}

int
bytebuf_printf(struct bytebuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) != K_OK)
		return K_EINVAL;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return K_OK;
}

void
bytebuf_reset(struct bytebuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
bytebuf_free(struct bytebuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
bytebuf_wipe(struct bytebuf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	bytebuf_free(b);
}

char *
bytebuf_detach(struct bytebuf *b, size_t *len)
{
	char *p;

	if (b->data == NULL) {
		grow(b, 0);
		b->data[0] = '\0';
	}
	p = (char *)b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
