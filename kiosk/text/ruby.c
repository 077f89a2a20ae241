/*
 * ruby.c - furigana markup "{漢字|かんじ}" (pure, no SDL).
 *
 * The やさしい日本語 catalog writes a reading after its base inside braces.
 * Anything that is not exactly that shape is an error with its byte offset;
 * the text layer then draws the string as it is, so bad markup is visible
 * (and caught by tests) but never crashes or loses text.
 */
#include <string.h>

#include "ruby.h"
#include "utf8.h"

static int
push(struct ruby_seg *segs, size_t max, size_t *n, const char *base,
    size_t blen, const char *ruby, size_t rlen)
{
	if (blen == 0 && ruby == NULL)
		return 0;
	/* merge adjacent plain text (literal braces split it) */
	if (ruby == NULL && *n > 0 && segs[*n - 1].ruby == NULL &&
	    segs[*n - 1].base + segs[*n - 1].base_len == base) {
		segs[*n - 1].base_len += blen;
		return 0;
	}
	if (*n >= max)
		return -1;
	segs[*n].base = base;
	segs[*n].base_len = blen;
	segs[*n].ruby = ruby;
	segs[*n].ruby_len = rlen;
	(*n)++;
	return 0;
}

int
ruby_parse(const char *s, struct ruby_seg *segs, size_t max, size_t *n,
    struct kerr *err)
{
	const char *p = s, *plain = s;

	*n = 0;
	while (*p != '\0') {
		if (p[0] == '{' && p[1] == '{') {
			/* literal brace: keep one '{' as plain text */
			if (push(segs, max, n, plain, (size_t)(p + 1 - plain),
			    NULL, 0) < 0)
				goto full;
			p += 2;
			plain = p;
			continue;
		}
		if (p[0] == '}' && p[1] == '}') {
			if (push(segs, max, n, plain, (size_t)(p + 1 - plain),
			    NULL, 0) < 0)
				goto full;
			p += 2;
			plain = p;
			continue;
		}
		if (*p == '}')
			return kerr_set(err, K_EPARSE,
			    "ruby: stray '}' at byte %zu", (size_t)(p - s));
		if (*p != '{') {
			p++;
			continue;
		}
		const char *open = p, *bar = NULL, *q;
		for (q = p + 1; *q != '\0' && *q != '}'; q++) {
			if (*q == '{')
				return kerr_set(err, K_EPARSE,
				    "ruby: '{' inside ruby at byte %zu",
				    (size_t)(q - s));
			if (*q == '|') {
				if (bar != NULL)
					return kerr_set(err, K_EPARSE,
					    "ruby: second '|' at byte %zu",
					    (size_t)(q - s));
				bar = q;
			}
		}
		if (*q == '\0')
			return kerr_set(err, K_EPARSE,
			    "ruby: '{' at byte %zu is never closed",
			    (size_t)(open - s));
		if (bar == NULL)
			return kerr_set(err, K_EPARSE,
			    "ruby: '{' at byte %zu has no '|' before '}'",
			    (size_t)(open - s));
		if (bar == open + 1 || q == bar + 1)
			return kerr_set(err, K_EPARSE,
			    "ruby: empty %s at byte %zu",
			    bar == open + 1 ? "base" : "reading",
			    (size_t)(open - s));
		if (push(segs, max, n, plain, (size_t)(open - plain), NULL,
		    0) < 0 || push(segs, max, n, open + 1,
		    (size_t)(bar - open - 1), bar + 1, (size_t)(q - bar - 1)) < 0)
			goto full;
		p = q + 1;
		plain = p;
	}
	if (push(segs, max, n, plain, (size_t)(p - plain), NULL, 0) < 0)
		goto full;
	return K_OK;
full:
	return kerr_set(err, K_EINVAL, "ruby: more than %zu segments", max);
}

size_t
ruby_strip(char *out, size_t outlen, const char *s)
{
	struct ruby_seg segs[128];
	size_t n, i, len = 0;

	if (outlen == 0)
		return 0;
	if (ruby_parse(s, segs, ARRAY_SIZE(segs), &n, NULL) != K_OK) {
		len = strlen(s);
		if (len >= outlen)
			len = utf8_cut(s, outlen - 1);
		memcpy(out, s, len);
		out[len] = '\0';
		return len;
	}
	for (i = 0; i < n; i++) {
		size_t k = segs[i].base_len;
		if (len + k >= outlen)
			k = utf8_cut(segs[i].base, outlen - 1 - len);
		memcpy(out + len, segs[i].base, k);
		len += k;
	}
	out[len] = '\0';
	return len;
}
