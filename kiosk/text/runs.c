/*
 * runs.c - splitting text into font runs (pure), for the screen and the
 * ticket.
 *
 * SDL_ttf 2.x has no font fallback (R12.3): the text layer splits every
 * string into runs of one font family and one script, then shapes each run
 * with HarfBuzz on its own.  Which family provides a code point is asked
 * through a callback so this file knows no fonts and is tested with tables.
 */
#include <string.h>

#include "fontchain.h"
#include "utf8.h"

static bool
in(uint32_t cp, uint32_t lo, uint32_t hi)
{
	return cp >= lo && cp <= hi;
}

static bool
is_mark(uint32_t cp)
{
	return in(cp, 0x0300, 0x036f) || in(cp, 0x1ab0, 0x1aff) ||
	    in(cp, 0x1dc0, 0x1dff) || in(cp, 0x20d0, 0x20ff) ||
	    in(cp, 0xfe20, 0xfe2f) || cp == 0x0e31 || in(cp, 0x0e34, 0x0e3a) ||
	    in(cp, 0x0e47, 0x0e4e) || in(cp, 0x3099, 0x309a);
}

const char *
text_script_of(uint32_t cp)
{
	if (in(cp, 'A', 'Z') || in(cp, 'a', 'z') || cp == 0xaa || cp == 0xba ||
	    (in(cp, 0xc0, 0x24f) && cp != 0xd7 && cp != 0xf7) ||
	    in(cp, 0x1e00, 0x1eff) || in(cp, 0x250, 0x2af))
		return "Latn";
	if (in(cp, 0x370, 0x3ff))
		return "Grek";
	if (in(cp, 0x400, 0x4ff))
		return "Cyrl";
	if (in(cp, 0x0e01, 0x0e5b) && !is_mark(cp))
		return "Thai";
	if (in(cp, 0x1100, 0x11ff) || in(cp, 0x3130, 0x318f) ||
	    in(cp, 0xa960, 0xa97f) || in(cp, 0xac00, 0xd7ff))
		return "Hang";
	if (in(cp, 0x3040, 0x30ff) || in(cp, 0x31f0, 0x31ff) ||
	    in(cp, 0x3400, 0x4dbf) || in(cp, 0x4e00, 0x9fff) ||
	    in(cp, 0xf900, 0xfaff) || in(cp, 0xff66, 0xff9f) ||
	    in(cp, 0x20000, 0x3ffff) || cp == 0x3005 || cp == 0x3007)
		return "Hani";
	return NULL;
}

bool
text_cp_invisible(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == '\t' || in(cp, 0x200b, 0x200f) ||
	    in(cp, 0xfe00, 0xfe0f) || cp == 0xfeff || in(cp, 0xe0100, 0xe01ef) ||
	    cp == 0x2060 || cp == 0x00ad;
}

static int
pick(int primary, int nfamilies, text_provides_fn *provides, void *arg,
    uint32_t cp)
{
	int f;

	if (provides(primary, cp, arg))
		return primary;
	for (f = 0; f < nfamilies; f++)
		if (f != primary && provides(f, cp, arg))
			return f;
	return -1;
}

size_t
text_split_runs(const char *utf8, size_t len, int primary, int nfamilies,
    text_provides_fn *provides, void *arg, struct text_run *runs, size_t max,
    int *missing, uint32_t *first_missing)
{
	const char *p = utf8, *end = utf8 + len, *at;
	const char *prev_script = NULL;
	size_t n = 0;
	uint32_t cp;
	int fam;

	if (missing != NULL)
		*missing = 0;
	if (first_missing != NULL)
		*first_missing = 0;
	if (max == 0)
		return 0;
	while (p < end) {
		at = p;
		cp = utf8_next(&p, end);
		const char *script = text_script_of(cp);
		struct text_run *cur = n > 0 ? &runs[n - 1] : NULL;

		if (text_cp_invisible(cp) && cur != NULL) {
			cur->len = (size_t)(p - utf8) - cur->start;
			continue;
		}
		if (text_cp_invisible(cp)) {
			fam = primary;
		} else if (cur != NULL && (is_mark(cp) || script == NULL) &&
		    provides(cur->family, cp, arg)) {
			/* marks stay with their base; digits and spaces with
			 * the text around them */
			fam = cur->family;
		} else {
			fam = pick(primary, nfamilies, provides, arg, cp);
			if (fam < 0) {
				if (missing != NULL && (*missing)++ == 0 &&
				    first_missing != NULL)
					*first_missing = cp;
				fam = cur != NULL ? cur->family : primary;
			}
		}
		if (cur != NULL && cur->family == fam &&
		    (script == NULL || cur->script[0] == '\0' ||
		    strcmp(cur->script, script) == 0)) {
			if (script != NULL && cur->script[0] == '\0')
				memcpy(cur->script, script, 5);
			cur->len = (size_t)(p - utf8) - cur->start;
			continue;
		}
		if (n == max) {
			/* out of room: the last run takes the rest */
			runs[n - 1].len = len - runs[n - 1].start;
			break;
		}
		if (cur != NULL && cur->script[0] != '\0')
			prev_script = cur->script;
		runs[n].start = (size_t)(at - utf8);
		runs[n].len = (size_t)(p - at);
		runs[n].family = fam;
		runs[n].script[0] = '\0';
		if (script != NULL)
			memcpy(runs[n].script, script, 5);
		n++;
	}
	/* runs of common characters only take their neighbour's script */
	for (size_t i = 0; i < n; i++) {
		if (runs[i].script[0] != '\0') {
			prev_script = runs[i].script;
			continue;
		}
		const char *s = prev_script;
		for (size_t j = i + 1; s == NULL && j < n; j++)
			if (runs[j].script[0] != '\0')
				s = runs[j].script;
		memcpy(runs[i].script, s != NULL ? s : "Latn", 5);
	}
	return n;
}
