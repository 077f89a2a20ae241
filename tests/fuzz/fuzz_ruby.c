/*
 * fuzz_ruby.c - catalog text as the text core (kiosk/text/) reads it for
 * the screen and the ticket: ruby markup {漢字|かんじ}, UTF-8 validation and
 * decoding, break opportunities and the split into font runs (with a table
 * of fake fonts, so no font files are needed).  Nothing may read past the
 * input, the pieces must add up to the input, the decoder must agree with
 * the validator, and no break may fall where kinsoku forbids it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fontchain.h"
#include "linebreak.h"
#include "ruby.h"
#include "utf8.h"

static bool
provides(int family, uint32_t cp, void *arg)
{
	(void)arg;
	switch (family) {
	case 0: return cp < 0x80 || (cp >= 0x3000 && cp <= 0x9fff);
	case 1: return cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff) ||
	    (cp >= 0x300 && cp <= 0x36f);
	case 2: return cp >= 0xac00 && cp <= 0xd7a3;
	default: return cp >= 0x0e00 && cp <= 0x0e7f;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruby_seg segs[64];
	struct text_run runs[16];
	char *s, *out;
	size_t n, i, total, nruns;
	int missing;
	uint32_t first;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (ruby_parse(s, segs, 64, &n, NULL) == K_OK) {
		for (i = 0; i < n; i++) {
			if (segs[i].base < s || segs[i].base + segs[i].base_len >
			    s + strlen(s))
				abort();
			if (segs[i].ruby != NULL && (segs[i].ruby_len == 0 ||
			    segs[i].base_len == 0))
				abort();
		}
	}
	out = malloc(size + 1);
	if (ruby_strip(out, size + 1, s) > strlen(s))
		abort();
	/* a short buffer cuts on a character boundary: valid stays valid */
	if (size > 0 && ruby_strip(out, size / 2 + 1, s) <= size / 2 &&
	    utf8_valid(s, strlen(s)) && !utf8_valid(out, strlen(out)))
		abort();
	free(out);

	{
		/* the decoder gives U+FFFD exactly where the validator
		 * refuses, and breaks respect kinsoku */
		const char *p = (const char *)data, *end = p + size;
		bool bad = false;
		uint32_t prev = 0;

		while (p < end) {
			const char *at = p;
			uint32_t cp = utf8_next(&p, end);
			if (p <= at || p > end)
				abort();
			if (cp == 0xfffd && !(end - at >= 3 &&
			    memcmp(at, "\xef\xbf\xbd", 3) == 0))
				bad = true;
			if (at > (const char *)data && lb_break_between(prev,
			    cp) && (lb_no_line_start(cp) ||
			    lb_no_line_end(prev) || lb_is_space(cp)))
				abort();
			prev = cp;
		}
		if (bad == utf8_valid(data, size))
			abort();
	}

	nruns = text_split_runs(s, strlen(s), (int)(size % 4), 4, provides,
	    NULL, runs, 16, &missing, &first);
	total = 0;
	for (i = 0; i < nruns; i++) {
		if (runs[i].start != total || runs[i].family < 0 ||
		    runs[i].family > 3 || strlen(runs[i].script) != 4)
			abort();
		total += runs[i].len;
	}
	if (total != strlen(s) || missing < 0)
		abort();
	free(s);
	return 0;
}
