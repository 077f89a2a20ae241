/*
 * jfield.c - checks of JSON object members.  See jfield.h.
 */
#include <string.h>

#include "jfield.h"

/* The member, or NULL for "no value given" with *problem set when that
 * is itself wrong. */
static json_t *
member(json_t *o, const char *key, unsigned opts, enum jf_problem *problem)
{
	json_t *v = json_object_get(o, key);

	*problem = JF_OK;
	if (v != NULL && json_is_null(v)) {
		if (opts & JF_NULLABLE)
			return NULL;
		if (opts & JF_NULL_ABSENT)
			v = NULL;
	}
	if (v == NULL && (opts & JF_REQUIRED))
		*problem = JF_MISSING;
	return v;
}

enum jf_problem
jf_str(json_t *o, const char *key, unsigned opts, size_t max,
    const char **out)
{
	enum jf_problem p;
	json_t *v = member(o, key, opts, &p);
	const char *s;
	size_t n, i;

	*out = NULL;
	if (v == NULL)
		return p;
	if (!json_is_string(v))
		return JF_TYPE;
	s = json_string_value(v);
	n = json_string_length(v);
	if ((n == 0 && !(opts & JF_EMPTY_OK)) || (max > 0 && n > max))
		return JF_LENGTH;
	if (opts & JF_NO_CONTROL)
		for (i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				return JF_CONTROL;
	*out = s;
	return JF_OK;
}

enum jf_problem
jf_int(json_t *o, const char *key, unsigned opts, json_int_t min,
    json_int_t max, json_int_t *out)
{
	enum jf_problem p;
	json_t *v = member(o, key, opts, &p);

	if (v == NULL)
		return p;
	if (!json_is_integer(v))
		return JF_TYPE;
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return JF_RANGE;
	*out = json_integer_value(v);
	return JF_OK;
}

enum jf_problem
jf_bool(json_t *o, const char *key, unsigned opts, bool *out)
{
	enum jf_problem p;
	json_t *v = member(o, key, opts, &p);

	if (v == NULL)
		return p;
	if (!json_is_boolean(v))
		return JF_TYPE;
	*out = json_is_true(v);
	return JF_OK;
}

const char *
jf_unknown_key(json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(o, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL)
			return key;
	}
	return NULL;
}
