/*
 * i18n.h - UI message catalogs from gettext .po files (assets/po/<code>.po).
 *
 * Every language is one .po file; adding a language is adding a file (and a
 * font line if its script needs one).  msgids are stable keys such as
 * "idle.title"; each file translates every key (tests check that ja's keys
 * are in every file).  The codes are the file names: ja, ja-easy, en, zh, ko,
 * vi, tl, pt.  Languages come in that order, then any others alphabetically.
 *
 * やさしい日本語 texts carry furigana as ruby markup {漢字|かんじ}; the UI text
 * layer draws it.  Placeholders in messages are %1 .. %9 (i18n_format).
 *
 * A bad .po file fails to load with K_EPARSE naming file:line and the reason.
 * Plural forms (msgid_plural / msgstr[n]) are accepted and msgstr[0] is used.
 * Loaded once; read-only after, safe from any thread.
 */
#ifndef I18N_H
#define I18N_H

#include <stddef.h>

#include "kerr.h"

struct i18n;

int    i18n_load(struct i18n **out, const char *po_dir, struct kerr *err);
void   i18n_free(struct i18n *t);
size_t i18n_count(const struct i18n *t);                   /* languages */
const char *i18n_code(const struct i18n *t, size_t lang);  /* "vi" */
int    i18n_find(const struct i18n *t, const char *code);  /* index or -1 */
/* Translation, else msgid (an untranslated key shows as itself). */
const char *i18n_get(const struct i18n *t, size_t lang, const char *msgid);
/* NULL when lang has no entry (tests). */
const char *i18n_lookup(const struct i18n *t, size_t lang, const char *msgid);
size_t i18n_msg_count(const struct i18n *t, size_t lang);  /* no-tofu test */
const char *i18n_msg_at(const struct i18n *t, size_t lang, size_t i);
const char *i18n_msgid_at(const struct i18n *t, size_t lang, size_t i);

/* One .po file (tests, tools).  The language has code `code`. */
int    i18n_parse_po(struct i18n *t, const char *path, const char *code,
    struct kerr *err);
/* The same from memory (fuzzing, tests); name is used in messages. */
int    i18n_parse_po_mem(struct i18n *t, const char *name, const char *buf,
    size_t len, const char *code, struct kerr *err);
struct i18n *i18n_new(void);

/*
 * Replace %1..%9 in tmpl by args[0..8] into out (always NUL-terminated,
 * truncated on a UTF-8 boundary); "%%" is a percent sign.  Returns the
 * length written.
 */
size_t i18n_format(char *out, size_t outlen, const char *tmpl,
    const char *const *args, size_t nargs);

/* Strip ruby markup: "{漢字|かんじ}" -> "漢字" (for logs, tickets, tests);
 * ruby_strip() of kiosk/text. */
size_t i18n_strip_ruby(char *out, size_t outlen, const char *in);

#endif
