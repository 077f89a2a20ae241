/*
 * fuzz_card.c - a whole card session over a fuzzed transport.
 * Input: one flags byte (bit 0: also read the 個人番号, bit 1: keep the
 * last try), then the card's
 * answers, each a length byte and that many bytes (data + SW); a length of
 * FF is a transport error chosen by the next byte (see fake_apdu.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card.h"
#include "fakes/fake_apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct card_basic4 zero;
	struct apdu *t;
	struct card_basic4 b;
	struct kerr err;
	unsigned flags;
	int rc, tries;

	if (size < 1)
		return 0;
	flags = (data[0] & 1 ? CARD_READ_MYNUMBER : 0) |
	    (data[0] & 2 ? CARD_READ_KEEP_LAST_TRY : 0);
	fake_apdu_from_fuzz(&t, data + 1, size - 1);
	rc = card_read_basic4(t, "1234", flags, &tries, &b, &err);
	/* rules that hold whatever the card says */
	if (fake_apdu_verifies(t) > 1 || fake_apdu_outside_tx(t) != 0)
		__builtin_trap();
	if (rc != K_OK && memcmp(&b, &zero, sizeof(b)) != 0)
		__builtin_trap();
	if (rc == K_EPIN && (tries < 1 || tries > 15))
		__builtin_trap();
	/* keeping the last try: no PIN reaches a card that says 1 is left */
	if (rc == K_ELASTTRY && (!(flags & CARD_READ_KEEP_LAST_TRY) ||
	    tries != 1 || fake_apdu_verifies(t) != 0))
		__builtin_trap();
	if (rc == K_OK && (b.name[0] == '\0' || strlen(b.birth) != 10))
		__builtin_trap();
	if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
		__builtin_trap();
	card_basic4_wipe(&b);
	apdu_close(t);

	fake_apdu_from_fuzz(&t, data + 1, size - 1);
	rc = card_pin_tries(t, &tries, &err);
	if (fake_apdu_verifies(t) != 0 || (rc == K_OK && tries < 1))
		__builtin_trap();
	apdu_close(t);
	return 0;
}
