/*
 * config.h - the one INI file (kiosk.ini).
 *
 * Every key is declared in the table in config.c with its type, default,
 * range and a line of documentation; no file is needed to start.  An unknown
 * section or key, or a bad value, is an error naming file, line, key, value
 * and reason.  Keys are addressed as "section.key", e.g. "server.port".
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "kerr.h"

#define CONFIG_DEFAULT_PATH "/etc/kiosk/kiosk.ini"

struct config;

/* Load path.  With path NULL the default path is read if it exists, and
 * defaults alone are used when it does not; a path given explicitly must
 * exist. */
int config_load(struct config **out, const char *path, struct kerr *err);
/* The same from an open stream; path names it in messages and in
 * config_source() (tests/fuzz/fuzz_config.c reads from memory). */
int config_read(struct config **out, FILE *fp, const char *path,
    struct kerr *err);
/* Defaults only (tests). */
struct config *config_defaults(void);
void config_free(struct config *c);

/* Set one key from a string, validated like a file line (overrides, tests). */
int config_set(struct config *c, const char *key, const char *value,
    struct kerr *err);

/* Typed getters; the key must be declared (a typo aborts: a bug). */
const char *config_str(const struct config *c, const char *key);
long config_int(const struct config *c, const char *key);
double config_double(const struct config *c, const char *key);
bool config_bool(const struct config *c, const char *key);

/* Where the values came from ("built-in defaults" or the file path). */
const char *config_source(const struct config *c);

/* Every key with its default and documentation, as Markdown table rows. */
void config_document(FILE *fp);

#endif
