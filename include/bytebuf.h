/*
 * bytebuf.h - a growable byte buffer (cf. git's strbuf, curl's dynbuf).
 * Always NUL-terminated after len so it can hold text; len excludes the NUL.
 * A buffer with max > 0 refuses to grow past max (returns K_EINVAL).
 */
#ifndef BYTEBUF_H
#define BYTEBUF_H

#include <stddef.h>
#include <stdint.h>

struct bytebuf {
	uint8_t *data;
	size_t len, cap;
	size_t max;        /* 0: unbounded */
};

#define BYTEBUF_INIT { NULL, 0, 0, 0 }

int bytebuf_append(struct bytebuf *b, const void *p, size_t n);
int bytebuf_putc(struct bytebuf *b, uint8_t c);
int bytebuf_puts(struct bytebuf *b, const char *s);
int bytebuf_printf(struct bytebuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bytebuf_reset(struct bytebuf *b);  /* len = 0, keeps memory */
void bytebuf_free(struct bytebuf *b);
void bytebuf_wipe(struct bytebuf *b);   /* explicit_bzero + free */
/* Hand the data over to the caller (NUL-terminated); the buffer is empty after. */
char *bytebuf_detach(struct bytebuf *b, size_t *len);

#endif
