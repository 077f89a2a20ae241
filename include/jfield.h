/*
 * jfield.h - the one checker of JSON object members, shared by the
 * catalog loader, the API's request bodies and the queue client's answers.
 * It says what is wrong with a member (absent, wrong type, length, range,
 * control character, unknown key); each caller words the error in its
 * own voice (a catalog path, an API error code, a client's K_EPARSE).
 */
#ifndef JFIELD_H
#define JFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum jf_problem {
	JF_OK,
	JF_MISSING,       /* required and absent (or null with JF_NULL_ABSENT) */
	JF_TYPE,          /* not of the wanted JSON type */
	JF_LENGTH,        /* an empty string (without JF_EMPTY_OK), or too long */
	JF_CONTROL,       /* a control character (with JF_NO_CONTROL) */
	JF_RANGE,         /* a number outside [min, max] */
};

enum {
	JF_REQUIRED = 1 << 0,     /* absent is JF_MISSING */
	JF_NULL_ABSENT = 1 << 1,  /* a null member counts as absent */
	JF_NULLABLE = 1 << 2,     /* a null member is "no value", even when
	                           * required (absent is still JF_MISSING) */
	JF_EMPTY_OK = 1 << 3,     /* strings: "" is a value */
	JF_NO_CONTROL = 1 << 4,   /* strings: refuse U+0000..U+001F, U+007F */
};

/* A string member.  *out is NULL when absent or null (and allowed), else
 * the string (owned by o).  max: most bytes, 0 for no limit. */
enum jf_problem jf_str(json_t *o, const char *key, unsigned opts, size_t max,
    const char **out);
/* A whole number in [min, max]; *out untouched when absent or null. */
enum jf_problem jf_int(json_t *o, const char *key, unsigned opts,
    json_int_t min, json_int_t max, json_int_t *out);
/* true or false; *out untouched when absent or null. */
enum jf_problem jf_bool(json_t *o, const char *key, unsigned opts, bool *out);
/* The first key of o that is not in the NULL-terminated list, or NULL. */
const char *jf_unknown_key(json_t *o, const char *const *allowed);

#endif
