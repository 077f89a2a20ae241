/*
 * linebreak.c - break opportunities and kinsoku (pure).
 *
 * The tables are the short JIS X 4051 classes a kiosk meets: what the
 * screen and the ticket had separately before, joined, so a line of the
 * same text breaks at the same places on both.
 */
#include <stddef.h>

#include "linebreak.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool
in_list(const uint32_t *list, size_t n, uint32_t cp)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* Combining marks and joiners: they belong to the character before. */
static bool
is_mark(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || c == 0x200d || c == 0x3099 ||
	    c == 0x309a;
}

bool
lb_no_line_start(uint32_t cp)
{
	static const uint32_t list[] = {
		/* closing punctuation and brackets */
		0x3001, 0x3002, 0xff0c, 0xff0e, 0x30fb, 0xff1a, 0xff1b, 0xff1f,
		0xff01, 0x300d, 0x300f, 0x3011, 0x3015, 0x3009, 0x300b, 0xff09,
		0xff3d, 0xff5d, ')', ']', '}', ',', '.', '!', '?', ':', ';',
		0x2019, 0x201d, 0x2026,
		/* prolonged sound mark, small kana */
		0x30fc, 0x3063, 0x3083, 0x3085, 0x3087, 0x3041, 0x3043, 0x3045,
		0x3047, 0x3049, 0x30c3, 0x30e3, 0x30e5, 0x30e7, 0x30a1, 0x30a3,
		0x30a5, 0x30a7, 0x30a9,
		/* iteration marks, (semi-)voiced sound marks */
		0x309d, 0x309e, 0x30fd, 0x30fe, 0x3005, 0x309b, 0x309c,
	};

	return is_mark(cp) || in_list(list, N(list), cp);
}

bool
lb_no_line_end(uint32_t cp)
{
	static const uint32_t list[] = {
		0x300c, 0x300e, 0x3010, 0x3014, 0x3008, 0x300a, 0xff08, 0xff3b,
		0xff5b, '(', '[', '{', 0x2018, 0x201c,
	};

	return in_list(list, N(list), cp);
}

bool
lb_is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0x3000 || cp == '\t' || cp == 0x200b;
}

bool
lb_breaks_around(uint32_t c)
{
	/* Hangul compatibility jamo (3130..318f) are left out: Korean
	 * breaks at spaces */
	return (c >= 0x2e80 && c <= 0x9fff && !(c >= 0x3130 && c <= 0x318f)) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) ||
	    (c >= 0x20000 && c <= 0x3ffff);
}

bool
lb_break_between(uint32_t prev, uint32_t cp)
{
	if (lb_is_space(cp) || lb_no_line_start(cp) || lb_no_line_end(prev))
		return false;
	if (lb_is_space(prev))
		return true;
	return lb_breaks_around(prev) || lb_breaks_around(cp);
}
