/*
 * fuzz_config.c - the INI parser (config_read) with arbitrary bytes.
 *
 * Checks: it parses or fails with K_EPARSE naming "fuzz.ini:LINE"; a
 * parsed config answers every documented key, and writing those values
 * back as an INI file (each quoted) parses again to the same values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEYS_MAX 128
static char keys[KEYS_MAX][96];		/* "section.key" */
static size_t nkeys;

/* The declared keys, from the documentation table: "| `[sec] key` | ...". */
static void
load_keys(void)
{
	char *doc = NULL, *p, *nl, sec[48], key[48];
	size_t len = 0;
	FILE *fp = open_memstream(&doc, &len);

	if (fp == NULL)
		abort();
	config_document(fp);
	fclose(fp);
	for (p = doc; p != NULL && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (sscanf(p, "| `[%47[^]]] %47[^`]`", sec, key) == 2 &&
		    nkeys < KEYS_MAX)
			snprintf(keys[nkeys++], sizeof(keys[0]), "%s.%s", sec, key);
	}
	free(doc);
	if (nkeys < 10)
		abort();	/* the table changed shape: fix this reader */
}

static struct config *
parse(const char *text, size_t len, struct kerr *err)
{
	struct config *c = NULL;
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	if (fp == NULL)
		return NULL;
	rc = config_read(&c, fp, "fuzz.ini", err);
	fclose(fp);
	if (rc != K_OK) {
		if (c != NULL || rc != K_EPARSE || err->code != rc ||
		    strncmp(err->msg, "fuzz.ini:", 9) != 0 ||
		    memchr(err->msg, '\0', sizeof(err->msg)) == NULL)
			abort();
		return NULL;
	}
	if (c == NULL || strcmp(config_source(c), "fuzz.ini") != 0)
		abort();
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c, *again;
	struct kerr err;
	char *ini = NULL, *dot;
	size_t i, len = 0;
	FILE *fp;

	if (nkeys == 0)
		load_keys();
	if (size == 0)
		return 0;	/* fmemopen wants a size */
	if ((c = parse((const char *)data, size, &err)) == NULL)
		return 0;
	/* every key answers; write them back, one section per key */
	if ((fp = open_memstream(&ini, &len)) == NULL)
		abort();
	for (i = 0; i < nkeys; i++) {
		const char *v = config_str(c, keys[i]);
		if (v == NULL)
			abort();
		dot = strchr(keys[i], '.');
		fprintf(fp, "[%.*s]\n%s = \"%s\"\n", (int)(dot - keys[i]),
		    keys[i], dot + 1, v);
	}
	fclose(fp);
	if ((again = parse(ini, len, &err)) == NULL) {
		fprintf(stderr, "written back, not parsed again: %s\n", err.msg);
		abort();
	}
	for (i = 0; i < nkeys; i++)
		if (strcmp(config_str(c, keys[i]), config_str(again, keys[i])))
			abort();
	config_free(again);
	config_free(c);
	free(ini);
	return 0;
}
