/*
 * utf8.h - UTF-8 validation and decoding (kiosk/text/utf8.c, pure).
 *
 * One definition of "valid UTF-8" for the whole program: shortest forms
 * only, no surrogates (U+D800..DFFF), nothing above U+10FFFF, no sequence
 * cut short.  The catalogs (i18n.c), the card's text fields (card/tlv.c),
 * the ticket fields (print/ticket.c) and the text layer (screen and paper)
 * all use it.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether s[0..len) is valid UTF-8 (a NUL byte is a valid code point). */
bool utf8_valid(const void *s, size_t len);

/* Decode one code point at *p (p < end), advancing *p past it.  Bytes
 * that do not start a valid sequence give U+FFFD and advance by one, so
 * a decoder never stalls and never reads past end. */
uint32_t utf8_next(const char **p, const char *end);

/* The longest prefix of s[0..n) that does not cut a sequence in two (n
 * itself when s[n] does not continue one).  For truncating into a buffer. */
size_t utf8_cut(const char *s, size_t n);

#endif
