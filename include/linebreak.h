/*
 * linebreak.h - where a line may break (kiosk/text/linebreak.c, pure).
 *
 * One set of rules for the screen (ui/text.c) and the ticket
 * (print/ticket_text.c): a line may break after spaces and on either side
 * of a CJK character, unless kinsoku shori forbids it (JIS X 4051: no
 * closing bracket, small kana, iteration mark or punctuation at the start
 * of a line, no opening bracket at its end).  Hangul breaks at spaces, as
 * Korean is written; nothing breaks after a hyphen or slash, so "e-money"
 * and "0479-62-1111" stay whole.  Each medium then picks among these
 * opportunities by its own measure (greedy fill, the phrase rule of
 * やさしい日本語, an ellipsis on a ticket's last line).
 */
#ifndef LINEBREAK_H
#define LINEBREAK_H

#include <stdbool.h>
#include <stdint.h>

/* Kinsoku: cp must not start a line / must not end a line. */
bool lb_no_line_start(uint32_t cp);
bool lb_no_line_end(uint32_t cp);

/* A space a line may break after and that hangs at the line's end: ' ',
 * tab, U+3000 and U+200B (the zero-width space a writer uses to mark a
 * phrase break). */
bool lb_is_space(uint32_t cp);

/* CJK characters (not Hangul): a line may break on either side. */
bool lb_breaks_around(uint32_t cp);

/* May a line break between prev and cp?  Never before a space (spaces
 * stay at the end of the line they follow). */
bool lb_break_between(uint32_t prev, uint32_t cp);

#endif
