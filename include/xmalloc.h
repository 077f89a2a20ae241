/*
 * xmalloc.h - allocation that never returns NULL (cf. tmux): running out of
 * memory on a kiosk is fatal, so callers need no out-of-memory branches.
 * xfree_wipe() clears personal data before the memory goes back.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* explicit_bzero(p, size), then free(p). */
void xfree_wipe(void *p, size_t size);
/* Wipe and free a NUL-terminated string. */
void xfree_wipe_str(char *s);

#endif
