/*
 * fuzz_tlv.c - the TLV cursor and the card record parsers on any bytes.
 * Input: a card file as read (EF 0002 or EF 0001, filler included).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card.h"
#include "tlv.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cur = data, *end = data + size;
	struct card_basic4 b;
	struct kerr err;
	struct tlv t;
	char mn[13];
	int guard = 0;

	/* Walk siblings, descending once into constructed ones. */
	while (tlv_next(&cur, end, data, &t, &err) == K_OK && guard++ < 4096) {
		if (t.val + t.len > end || t.val < data)
			__builtin_trap();
		if (t.constructed) {
			const uint8_t *in = t.val;
			struct tlv c;

			while (tlv_next(&in, t.val + t.len, data, &c, &err) ==
			    K_OK && guard++ < 4096)
				(void)utf8_valid(c.val, c.len);
		}
	}
	(void)tlv_header(data, size, &t, &err);
	(void)tlv_find(data, size, 0xDF22, &t, &err);
	if (card_parse_basic4(data, size, &b, &err) == K_OK) {
		/* what comes out is text: NUL-terminated valid UTF-8 */
		if (!utf8_valid((const uint8_t *)b.name, strlen(b.name)) ||
		    !utf8_valid((const uint8_t *)b.address,
		    strlen(b.address)) || strlen(b.birth) != 10 ||
		    card_sex_text(b.sex) == NULL)
			__builtin_trap();
	}
	card_basic4_wipe(&b);
	if (card_parse_mynumber(data, size, mn, &err) == K_OK &&
	    !card_mynumber_ok(mn))
		__builtin_trap();
	return 0;
}
