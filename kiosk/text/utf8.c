/*
 * utf8.c - UTF-8 validation and decoding (pure).
 *
 * Both functions share one reading of a sequence, so what utf8_valid()
 * accepts is exactly what utf8_next() decodes without U+FFFD.
 */
#include "utf8.h"

/*
 * The code point of the sequence at p[0..left), left >= 1, and its length
 * in *n; 0 in *n when the bytes are not a valid sequence (overlong forms,
 * surrogates, above U+10FFFF, a stray continuation byte, a sequence cut
 * short).
 */
static uint32_t
decode(const unsigned char *p, size_t left, size_t *n)
{
	uint32_t cp, min;
	size_t k, need;

	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1; cp = p[0] & 0x1f; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2; cp = p[0] & 0x0f; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3; cp = p[0] & 0x07; min = 0x10000;
	} else {
		*n = 0;        /* 80..c1 (stray or overlong), f5..ff */
		return 0xfffd;
	}
	if (left < need + 1) {
		*n = 0;
		return 0xfffd;
	}
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*n = 0;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*n = 0;
		return 0xfffd;
	}
	*n = need + 1;
	return cp;
}

bool
utf8_valid(const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		decode(p + i, len - i, &n);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

uint32_t
utf8_next(const char **pp, const char *end)
{
	size_t n;
	uint32_t cp = decode((const unsigned char *)*pp, (size_t)(end - *pp),
	    &n);

	*pp += n == 0 ? 1 : n;
	return cp;
}

size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}
