/*
 * fuzz_catalog.c - the procedure catalog loader with arbitrary JSON.
 * Checks: it loads or fails with K_EPARSE and a message naming the file;
 * a loaded catalog answers every accessor and computes fees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static const char *
no_answer(const char *qid, void *arg)
{
	(void)qid;
	(void)arg;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog *c;
	struct kerr err;
	char *json = malloc(size + 1);
	size_t i, l;

	memcpy(json, data, size);
	json[size] = '\0';
	if (catalog_load_string(&c, json, "fuzz.json", &err) != K_OK) {
		if (err.code != K_EPARSE || strncmp(err.msg, "fuzz.json: ", 11) != 0)
			abort();
		free(json);
		return 0;
	}
	for (i = 0; i < catalog_count(c); i++) {
		const struct cat_procedure *p = catalog_at(c, i);
		if (catalog_find(c, p->id) != p || catalog_service(p) < 'A' ||
		    catalog_service(p) > 'Z' || catalog_minutes(p) < 1)
			abort();
		for (l = 0; l < catalog_lang_count(c); l++)
			if (strlen(catalog_name(p, catalog_lang_at(c, l))) == 0)
				abort();
		if (catalog_fee(p, no_answer, NULL) < 0)
			abort();
	}
	catalog_free(c);
	free(json);
	return 0;
}
