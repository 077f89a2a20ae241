/*
 * fuzz_text.c - arbitrary text through the screen's layout over the text
 * core (kiosk/text/): ruby, fallback
 * across the font chain of fonts/fonts.conf, line breaking with kinsoku
 * and soft breaks, the cache.  The first bytes choose size, wrap width,
 * weight and language.  A block never exceeds its wrap width unless it
 * says an unbreakable piece is too wide.  Run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "ui_core.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct text *t;
	static const char *const langs[] = { "ja", "ja-easy", "en", "zh", "ko",
	    "vi", "th", "xx" };
	struct text_params p;
	struct text_info info;
	char *s, lines[4096];
	int n;

	if (t == NULL) {
		struct kerr err;
		if (text_open(&t, "fonts/fonts.conf", NULL, 1u << 20, &err) !=
		    K_OK) {
			fprintf(stderr, "fuzz_text: %s\n", err.msg);
			abort();
		}
	}
	if (size < 4)
		return 0;
	p.px = 16 + data[0] % 64;
	p.line_px = p.px * 17 / 10;
	p.wrap_w = data[1] < 32 ? 0 : data[1] * 8;
	p.bold = data[2] & 1;
	p.align = (data[2] >> 1) % 3;
	p.lang = langs[data[3] % 8];
	s = malloc(size - 3);
	memcpy(s, data + 4, size - 4);
	s[size - 4] = '\0';
	if (text_measure(t, s, &p, &info) != K_OK)
		abort();
	if (info.lines < 1 || info.w < 0 || info.h < p.line_px)
		abort();
	if (p.wrap_w > 0 && !info.too_wide && info.w > p.wrap_w)
		abort();
	n = text_break(t, s, &p, lines, sizeof(lines));
	if (n != info.lines)
		abort();
	/* no line after the first starts where kinsoku forbids it (unless
	 * the text itself has a line break there) */
	for (char *nl = strpbrk(s, "\r\n") != NULL ? NULL :
	    strchr(lines, '\n'); nl != NULL;
	    nl = strchr(nl + 1, '\n')) {
		const char *q = nl + 1;
		if (*q != '\0' && *q != '\n' && !info.too_wide &&
		    lb_no_line_start(utf8_next(&q, q + strlen(q))))
			abort();
	}
	free(s);
	return 0;
}
