/*
 * fontchain.h - the font manifest (fonts/fonts.conf), the fallback chain
 * and splitting text into runs of one font and one script (kiosk/text/,
 * pure: no SDL, no FreeType).
 *
 * The screen (ui/text.c, SDL_ttf) and the ticket (print/ticket_text.c,
 * FreeType) read the same manifest: the same files, the same primary font
 * per language, the same fallback order.  Whether a font has a glyph is
 * asked through a callback, so this module opens no font.
 */
#ifndef FONTCHAIN_H
#define FONTCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

/* ---- the manifest (kiosk/text/fontchain.c) ---- */

#define FONT_MAX 16
#define FONT_LANG_MAX 16

struct font_entry {
	char name[32];      /* "biz", "noto", "cjk-sc" */
	bool bold;
	int face;           /* face index in a collection (.ttc) */
	double scale;       /* cap-height match to the first font (R3.7) */
	char *path;
};

struct font_manifest {
	struct font_entry fonts[FONT_MAX];
	int nfonts;
	/* Fallback order: distinct names in file order; index = "family". */
	char families[FONT_MAX][32];
	int nfamilies;
	struct {
		char code[16];
		int family;
	} langs[FONT_LANG_MAX];
	int nlangs;
};

/*
 * Parse a manifest:
 *   font NAME regular|bold FACE SCALE PATH
 *   lang CODE NAME
 * '#' starts a comment.  Relative paths are taken from the manifest's
 * folder.  Errors name file:line and the reason (K_EPARSE); every family
 * needs a regular face, every lang a known family, "ja" must be mapped.
 */
int font_manifest_parse(struct font_manifest *m, const char *path,
    struct kerr *err);
void font_manifest_release(struct font_manifest *m);
/* Family index of a language ("zh-Hans" matches "zh"); "ja"'s when none. */
int font_manifest_family(const struct font_manifest *m, const char *lang);
/* Entry index of family f in the weight asked, else its regular one. */
int font_manifest_entry(const struct font_manifest *m, int family, bool bold);

/* ---- runs (kiosk/text/runs.c) ---- */

/* HarfBuzz script tag of a code point: "Latn" "Hani" "Hang" "Thai", or
 * NULL for common characters (digits, spaces, punctuation, marks). */
const char *text_script_of(uint32_t cp);
/* Code points nobody draws and nobody misses (ZWJ, variation selectors,
 * line breaks). */
bool text_cp_invisible(uint32_t cp);

struct text_run {
	size_t start, len;   /* bytes into the string */
	int family;          /* font family (fallback index) */
	char script[5];      /* "Latn"... for TTF_SetFontScriptName */
};

typedef bool text_provides_fn(int family, uint32_t cp, void *arg);

/*
 * Split utf8[0..len) into runs: each code point goes to the primary family
 * if it provides it, else to the first family in fallback order that does;
 * a combining mark stays with its base's family when that family has it;
 * common characters stay in the current run; runs split on family or script
 * change.  Code points no family provides are counted in *missing (and
 * *first_missing set to the first) and drawn by the primary family.
 * Returns the number of runs (at most max; the last run is extended when
 * full).
 */
size_t text_split_runs(const char *utf8, size_t len, int primary,
    int nfamilies, text_provides_fn *provides, void *arg,
    struct text_run *runs, size_t max, int *missing, uint32_t *first_missing);

#endif
