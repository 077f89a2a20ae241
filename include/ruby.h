/*
 * ruby.h - furigana markup "{漢字|かんじ}" (kiosk/text/ruby.c, pure).
 *
 * The やさしい日本語 catalog writes a reading after its base inside braces;
 * the screen draws it as ruby, logs and tickets use the base text.
 */
#ifndef RUBY_H
#define RUBY_H

#include <stddef.h>

#include "kerr.h"

struct ruby_seg {
	const char *base;
	size_t base_len;
	const char *ruby;    /* NULL for plain text */
	size_t ruby_len;
};

/*
 * Split "{漢字|かんじ}を 書く" into segments.  Malformed markup (an unclosed
 * '{', a '{' without '|', an empty base or reading, nesting, a stray '}')
 * is K_EPARSE naming the byte offset; the text layer then shows the string
 * literally.  "{{" and "}}" are literal braces.  Returns K_EINVAL when more
 * than max segments are needed.
 */
int ruby_parse(const char *s, struct ruby_seg *segs, size_t max, size_t *n,
    struct kerr *err);
/* Text without markup (the base only) into out, cut on a UTF-8 boundary
 * when out is short; returns its length.  A malformed string is copied as
 * it is. */
size_t ruby_strip(char *out, size_t outlen, const char *s);

#endif
