/*
 * fuzz_escpos_status.c - the printer's status replies are outside input:
 * any byte stream must be parsed without crashing, and whatever it picks
 * out must be a DLE EOT reply (0xx1xx10) whose flags are the known bits.
 * The first byte chooses which DLE EOT n the replies are read for.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "escpos.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned known = PRINT_F_OFFLINE | PRINT_F_COVER_OPEN |
	    PRINT_F_PAPER_OUT | PRINT_F_NEAR_END | PRINT_F_CUTTER |
	    PRINT_F_UNRECOVER | PRINT_F_AUTORECOVER | PRINT_F_ERROR |
	    PRINT_F_FEEDING;
	struct escpos_rx rx;
	uint8_t st;
	size_t i, got = 0;
	int n;

	if (size == 0)
		return 0;
	n = (int)(data[0] % 6);          /* 0 and 5 are out of range */
	escpos_rx_init(&rx);
	for (i = 1; i < size; i++) {
		if (escpos_rx_feed(&rx, data[i], &st) != ESCPOS_RX_STATUS)
			continue;
		got++;
		assert(escpos_status_valid(st));
		assert((escpos_status_flags(n, st) & ~known) == 0);
		if (n < 1 || n > 4)
			assert(escpos_status_flags(n, st) == 0);
	}
	assert(got <= size);
	(void)escpos_count_status_queries(data, size);
	return 0;
}
