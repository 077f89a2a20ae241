/*
 * fuzz_po.c - the .po parser with arbitrary bytes.  Checks: it parses or
 * fails with K_EPARSE naming "fuzz.po:LINE: "; every stored message is
 * found again by its msgid.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct i18n *t = i18n_new();
	struct kerr err;
	size_t i;

	if (i18n_parse_po_mem(t, "fuzz.po", (const char *)data, size, "xx",
	    &err) != K_OK) {
		if (err.code != K_EPARSE || strncmp(err.msg, "fuzz.po:", 8) != 0)
			abort();
	} else {
		for (i = 0; i < i18n_msg_count(t, 0); i++)
			if (i18n_lookup(t, 0, i18n_msgid_at(t, 0, i)) !=
			    i18n_msg_at(t, 0, i))
				abort();
	}
	i18n_free(t);
	return 0;
}
