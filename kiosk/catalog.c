/*
 * catalog.c - load and check assets/procedures.json (schema: docs/catalog-schema.md).
 *
 * Every object is checked against a list of allowed keys, so a typo in the
 * file is an error rather than a silently missing feature.  Strings point
 * into the parsed JSON document, which lives as long as the catalog.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "jfield.h"
#include "xmalloc.h"

struct catalog {
	json_t *root;
	const char *langs[CAT_MAX_LANGS];
	size_t nlangs;
	struct cat_procedure *procs;
	size_t nprocs;
};

/* Parsing context: the file name, the current JSON path, the error. */
struct cat_ctx {
	const char *file;
	struct catalog *cat;
	struct kerr *err;
	char path[160];
};

#define CAT_FAIL(cx, ...) cat_fail((cx), __VA_ARGS__)

static int __attribute__((format(printf, 2, 3)))
cat_fail(struct cat_ctx *cx, const char *fmt, ...)
{
	char why[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return kerr_set(cx->err, K_EPARSE, "%s: %s: %s", cx->file, cx->path, why);
}

/* Push ".key" or "[i]" on the path; returns the old length to pop to. */
static size_t
path_key(struct cat_ctx *cx, const char *key)
{
	size_t n = strlen(cx->path);

	snprintf(cx->path + n, sizeof cx->path - n, ".%s", key);
	return n;
}

static size_t
path_idx(struct cat_ctx *cx, size_t i)
{
	size_t n = strlen(cx->path);

	snprintf(cx->path + n, sizeof cx->path - n, "[%zu]", i);
	return n;
}

static void
path_pop(struct cat_ctx *cx, size_t n)
{
	cx->path[n] = '\0';
}

/* Fail naming the member key of the current path. */
static int __attribute__((format(printf, 3, 4)))
key_fail(struct cat_ctx *cx, const char *key, const char *fmt, ...)
{
	char why[120];
	size_t n = path_key(cx, key);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	rc = CAT_FAIL(cx, "%s", why);
	path_pop(cx, n);
	return rc;
}

/* Every key of obj must be in the NULL-terminated list allowed. */
static int
check_keys(struct cat_ctx *cx, json_t *obj, const char *const *allowed)
{
	const char *key = jf_unknown_key(obj, allowed);

	return key == NULL ? K_OK : key_fail(cx, key, "unknown key");
}

static int
get_str(struct cat_ctx *cx, json_t *obj, const char *key, bool required,
    const char **out)
{
	switch (jf_str(obj, key, required ? JF_REQUIRED : 0, 0, out)) {
	case JF_OK:
		return K_OK;
	case JF_MISSING:
		return key_fail(cx, key, "missing (required)");
	default:
		return key_fail(cx, key, "must be a non-empty string");
	}
}

static int
get_int(struct cat_ctx *cx, json_t *obj, const char *key, bool required,
    int min, int max, int def, int *out)
{
	json_int_t v = def;

	switch (jf_int(obj, key, required ? JF_REQUIRED : 0, min, max, &v)) {
	case JF_OK:
		*out = (int)v;
		return K_OK;
	case JF_MISSING:
		*out = def;
		return key_fail(cx, key, "missing (required)");
	default:
		*out = def;
		return key_fail(cx, key, "must be a whole number from %d to %d",
		    min, max);
	}
}

/* Ruby markup must balance: {base|reading} with neither part empty. */
static const char *
ruby_problem(const char *s)
{
	const char *p;
	int state = 0;  /* 0 outside, 1 base, 2 reading */
	size_t part = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p == '{') {
			if (state != 0)
				return "ruby markup '{' inside '{...}'";
			state = 1;
			part = 0;
		} else if (*p == '|' && state == 1) {
			if (part == 0)
				return "ruby markup with empty base";
			state = 2;
			part = 0;
		} else if (*p == '}') {
			if (state != 2)
				return "ruby markup '}' without '{base|reading'";
			if (part == 0)
				return "ruby markup with empty reading";
			state = 0;
		} else
			part++;
	}
	if (state != 0)
		return "ruby markup '{' not closed";
	return NULL;
}

/* A text object {"ja": "...", "en": "...", ...} with every declared
 * language; the path already names it. */
static int
text_value(struct cat_ctx *cx, json_t *t, struct cat_text *out)
{
	json_t *v;
	const char *lang, *why;
	size_t i, m;

	memset(out, 0, sizeof *out);
	if (!json_is_object(t))
		return CAT_FAIL(cx, "must be an object of texts by language");
	json_object_foreach(t, lang, v) {
		for (i = 0; i < cx->cat->nlangs; i++)
			if (strcmp(cx->cat->langs[i], lang) == 0)
				break;
		m = path_key(cx, lang);
		if (i == cx->cat->nlangs)
			return CAT_FAIL(cx, "unknown language (not in $.languages)");
		if (!json_is_string(v) || json_string_length(v) == 0)
			return CAT_FAIL(cx, "must be a non-empty string");
		if ((why = ruby_problem(json_string_value(v))) != NULL)
			return CAT_FAIL(cx, "%s", why);
		path_pop(cx, m);
		out->lang[out->n] = lang;
		out->text[out->n] = json_string_value(v);
		out->n++;
	}
	for (i = 0; i < cx->cat->nlangs; i++)
		if (json_object_get(t, cx->cat->langs[i]) == NULL)
			return CAT_FAIL(cx, "missing the \"%s\" text",
			    cx->cat->langs[i]);
	return K_OK;
}

static int
get_text(struct cat_ctx *cx, json_t *obj, const char *key, bool required,
    struct cat_text *out)
{
	json_t *t = json_object_get(obj, key);
	size_t n;
	int rc;

	memset(out, 0, sizeof *out);
	n = path_key(cx, key);
	if (t == NULL)
		rc = required ? CAT_FAIL(cx, "missing (required)") : K_OK;
	else
		rc = text_value(cx, t, out);
	if (rc == K_OK)
		path_pop(cx, n);
	return rc;
}

static int
get_array(struct cat_ctx *cx, json_t *obj, const char *key, bool required,
    json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return K_OK;
		return key_fail(cx, key, "missing (required)");
	}
	if (!json_is_array(v)) {
		return key_fail(cx, key, "must be an array");
	}
	*out = v;
	return K_OK;
}

/* An id: lower-case ASCII letters, digits and '_', 1..40 chars. */
static bool
good_id(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return false;
	return n >= 1 && n <= 40;
}

static int
get_id(struct cat_ctx *cx, json_t *obj, const char **out)
{
	size_t n;
	int rc;

	if ((rc = get_str(cx, obj, "id", true, out)) != K_OK)
		return rc;
	if (!good_id(*out)) {
		n = path_key(cx, "id");
		rc = CAT_FAIL(cx, "\"%s\" must be 1-40 of a-z 0-9 _", *out);
		path_pop(cx, n);
	}
	return rc;
}

static int
load_choice(struct cat_ctx *cx, json_t *o, struct cat_choice *c)
{
	static const char *const keys[] = { "id", "text", "fee_yen", NULL };
	int rc;

	if (!json_is_object(o))
		return CAT_FAIL(cx, "must be an object");
	if ((rc = check_keys(cx, o, keys)) != K_OK ||
	    (rc = get_id(cx, o, &c->id)) != K_OK ||
	    (rc = get_text(cx, o, "text", true, &c->text)) != K_OK ||
	    (rc = get_int(cx, o, "fee_yen", false, 0, 100000, -1,
	    &c->fee_yen)) != K_OK)
		return rc;
	return K_OK;
}

static int
load_question(struct cat_ctx *cx, json_t *o, struct cat_question *q)
{
	static const char *const keys[] = { "id", "type", "text", "help",
	    "choices", "min", "max", "default", NULL };
	static const char *const types[] = { "choice", "yesno", "count", "date" };
	const char *type;
	json_t *arr;
	size_t i, j, n;
	int rc;

	if (!json_is_object(o))
		return CAT_FAIL(cx, "must be an object");
	if ((rc = check_keys(cx, o, keys)) != K_OK ||
	    (rc = get_id(cx, o, &q->id)) != K_OK ||
	    (rc = get_str(cx, o, "type", true, &type)) != K_OK ||
	    (rc = get_text(cx, o, "text", true, &q->text)) != K_OK ||
	    (rc = get_text(cx, o, "help", false, &q->help)) != K_OK ||
	    (rc = get_array(cx, o, "choices", false, &arr)) != K_OK)
		return rc;
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(type, types[i]) == 0)
			break;
	if (i == ARRAY_SIZE(types)) {
		n = path_key(cx, "type");
		rc = CAT_FAIL(cx, "\"%s\" is not choice, yesno, count or date",
		    type);
		path_pop(cx, n);
		return rc;
	}
	q->type = (enum cat_qtype)i;
	if (q->type == CAT_Q_CHOICE) {
		n = path_key(cx, "choices");
		if (arr == NULL)
			return CAT_FAIL(cx, "a choice question needs choices");
		if (json_array_size(arr) < 2)
			return CAT_FAIL(cx,
			    "a choice question needs at least 2 choices");
		if (json_array_size(arr) > 8)
			return CAT_FAIL(cx, "at most 8 choices fit one screen");
		q->nchoices = json_array_size(arr);
		q->choices = xcalloc(q->nchoices, sizeof *q->choices);
		for (i = 0; i < q->nchoices; i++) {
			size_t m = path_idx(cx, i);
			if ((rc = load_choice(cx, json_array_get(arr, i),
			    &q->choices[i])) != K_OK)
				return rc;
			for (j = 0; j < i; j++)
				if (strcmp(q->choices[j].id, q->choices[i].id) == 0)
					return CAT_FAIL(cx, "duplicate choice id \"%s\"",
					    q->choices[i].id);
			path_pop(cx, m);
		}
		path_pop(cx, n);
	} else if (arr != NULL) {
		n = path_key(cx, "choices");
		rc = CAT_FAIL(cx, "only a choice question has choices");
		path_pop(cx, n);
		return rc;
	}
	if (q->type == CAT_Q_COUNT) {
		if ((rc = get_int(cx, o, "min", false, 0, 99, 1, &q->min)) != K_OK ||
		    (rc = get_int(cx, o, "max", false, 1, 99, 10, &q->max)) != K_OK ||
		    (rc = get_int(cx, o, "default", false, 0, 99, q->min,
		    &q->def)) != K_OK)
			return rc;
		if (q->min > q->max || q->def < q->min || q->def > q->max)
			return CAT_FAIL(cx, "needs min <= default <= max");
	} else if (json_object_get(o, "min") || json_object_get(o, "max") ||
	    json_object_get(o, "default")) {
		return CAT_FAIL(cx, "min, max and default are for count questions");
	}
	return K_OK;
}

static int
load_fee(struct cat_ctx *cx, json_t *obj, struct cat_procedure *p)
{
	static const char *const keys[] = { "yen", "per", NULL };
	json_t *o = json_object_get(obj, "fee");
	const struct cat_question *q;
	size_t n;
	int rc;

	p->fee_yen = 0;
	p->fee_per = NULL;
	if (o == NULL)
		return K_OK;
	n = path_key(cx, "fee");
	if (!json_is_object(o))
		return CAT_FAIL(cx, "must be an object {\"yen\": N, \"per\": QUESTION}");
	if ((rc = check_keys(cx, o, keys)) != K_OK ||
	    (rc = get_int(cx, o, "yen", true, 0, 100000, 0, &p->fee_yen)) != K_OK ||
	    (rc = get_str(cx, o, "per", false, &p->fee_per)) != K_OK)
		return rc;
	if (p->fee_per != NULL) {
		q = catalog_question(p, p->fee_per);
		if (q == NULL || q->type != CAT_Q_COUNT) {
			path_key(cx, "per");
			return CAT_FAIL(cx, "\"%s\" is not a count question of this procedure",
			    p->fee_per);
		}
	}
	path_pop(cx, n);
	return K_OK;
}

static int
load_guide(struct cat_ctx *cx, json_t *o, struct cat_guide *g)
{
	static const char *const keys[] = { "where", "what", NULL };
	int rc;

	if (!json_is_object(o))
		return CAT_FAIL(cx, "must be an object");
	if ((rc = check_keys(cx, o, keys)) != K_OK ||
	    (rc = get_text(cx, o, "where", true, &g->where)) != K_OK ||
	    (rc = get_text(cx, o, "what", true, &g->what)) != K_OK)
		return rc;
	return K_OK;
}

static int
load_procedure(struct cat_ctx *cx, json_t *o, struct cat_procedure *p)
{
	static const char *const keys[] = { "id", "kind", "service", "counter",
	    "icon", "name", "desc", "card", "mynumber", "questions", "fee",
	    "bring", "online", "minutes", "includes", "guide", NULL };
	static const char *const kinds[] = { "procedure", "life_event", "consult" };
	static const char *const cards[] = { "none", "optional", "required" };
	const char *kind = NULL, *service, *card = NULL;
	json_t *arr, *v;
	size_t i, j, n, m;
	int rc;

	if (!json_is_object(o))
		return CAT_FAIL(cx, "must be an object");
	if ((rc = check_keys(cx, o, keys)) != K_OK ||
	    (rc = get_id(cx, o, &p->id)) != K_OK ||
	    (rc = get_str(cx, o, "kind", false, &kind)) != K_OK ||
	    (rc = get_str(cx, o, "service", true, &service)) != K_OK ||
	    (rc = get_str(cx, o, "counter", true, &p->counter)) != K_OK ||
	    (rc = get_str(cx, o, "icon", true, &p->icon)) != K_OK ||
	    (rc = get_text(cx, o, "name", true, &p->name)) != K_OK ||
	    (rc = get_text(cx, o, "desc", false, &p->desc)) != K_OK ||
	    (rc = get_str(cx, o, "card", false, &card)) != K_OK ||
	    (rc = get_str(cx, o, "online", false, &p->online_url)) != K_OK ||
	    (rc = get_int(cx, o, "minutes", true, 1, 240, 5, &p->minutes)) != K_OK)
		return rc;

	p->kind = CAT_PROCEDURE;
	if (kind != NULL) {
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			if (strcmp(kind, kinds[i]) == 0)
				break;
		if (i == ARRAY_SIZE(kinds)) {
			path_key(cx, "kind");
			return CAT_FAIL(cx, "\"%s\" is not procedure, life_event or consult",
			    kind);
		}
		p->kind = (enum cat_kind)i;
	}
	if (strlen(service) != 1 || service[0] < 'A' || service[0] > 'Z') {
		path_key(cx, "service");
		return CAT_FAIL(cx, "\"%s\" is not a service letter A-Z", service);
	}
	p->service = service[0];
	p->card = CAT_CARD_NONE;
	if (card != NULL) {
		for (i = 0; i < ARRAY_SIZE(cards); i++)
			if (strcmp(card, cards[i]) == 0)
				break;
		if (i == ARRAY_SIZE(cards)) {
			path_key(cx, "card");
			return CAT_FAIL(cx, "\"%s\" is not none, optional or required",
			    card);
		}
		p->card = (enum cat_card)i;
	}
	p->needs_mynumber = false;
	if (jf_bool(o, "mynumber", 0, &p->needs_mynumber) != JF_OK) {
		path_key(cx, "mynumber");
		return CAT_FAIL(cx, "must be true or false");
	}
	if (p->needs_mynumber && p->card == CAT_CARD_NONE) {
		path_key(cx, "mynumber");
		return CAT_FAIL(cx, "the My Number is read from the card: card must not be none");
	}
	if (p->online_url != NULL && strncmp(p->online_url, "https://", 8) != 0) {
		path_key(cx, "online");
		return CAT_FAIL(cx, "must be an https:// URL");
	}

	if ((rc = get_array(cx, o, "questions", false, &arr)) != K_OK)
		return rc;
	if (arr != NULL) {
		n = path_key(cx, "questions");
		if (json_array_size(arr) > 8)
			return CAT_FAIL(cx, "at most 8 questions (one screen each)");
		p->nquestions = json_array_size(arr);
		p->questions = xcalloc(p->nquestions ? p->nquestions : 1,
		    sizeof *p->questions);
		for (i = 0; i < p->nquestions; i++) {
			m = path_idx(cx, i);
			if ((rc = load_question(cx, json_array_get(arr, i),
			    &p->questions[i])) != K_OK)
				return rc;
			for (j = 0; j < i; j++)
				if (strcmp(p->questions[j].id, p->questions[i].id) == 0)
					return CAT_FAIL(cx, "duplicate question id \"%s\"",
					    p->questions[i].id);
			path_pop(cx, m);
		}
		path_pop(cx, n);
	}
	if ((rc = load_fee(cx, o, p)) != K_OK)
		return rc;

	if ((rc = get_array(cx, o, "bring", false, &arr)) != K_OK)
		return rc;
	if (arr != NULL) {
		n = path_key(cx, "bring");
		p->nbring = json_array_size(arr);
		p->bring = xcalloc(p->nbring ? p->nbring : 1, sizeof *p->bring);
		for (i = 0; i < p->nbring; i++) {
			m = path_idx(cx, i);
			if ((rc = text_value(cx, json_array_get(arr, i),
			    &p->bring[i])) != K_OK)
				return rc;
			path_pop(cx, m);
		}
		path_pop(cx, n);
	}

	if ((rc = get_array(cx, o, "includes", false, &arr)) != K_OK)
		return rc;
	if (arr != NULL) {
		n = path_key(cx, "includes");
		if (p->kind != CAT_LIFE_EVENT)
			return CAT_FAIL(cx, "only a life_event includes procedures");
		p->nincludes = json_array_size(arr);
		p->includes = xcalloc(p->nincludes ? p->nincludes : 1,
		    sizeof *p->includes);
		for (i = 0; i < p->nincludes; i++) {
			v = json_array_get(arr, i);
			if (!json_is_string(v)) {
				path_idx(cx, i);
				return CAT_FAIL(cx, "must be a procedure id");
			}
			p->includes[i] = json_string_value(v);
		}
		path_pop(cx, n);
	}
	if ((rc = get_array(cx, o, "guide", false, &arr)) != K_OK)
		return rc;
	if (arr != NULL) {
		n = path_key(cx, "guide");
		if (p->kind != CAT_LIFE_EVENT)
			return CAT_FAIL(cx, "only a life_event has a guide");
		p->nguide = json_array_size(arr);
		p->guide = xcalloc(p->nguide ? p->nguide : 1, sizeof *p->guide);
		for (i = 0; i < p->nguide; i++) {
			m = path_idx(cx, i);
			if ((rc = load_guide(cx, json_array_get(arr, i),
			    &p->guide[i])) != K_OK)
				return rc;
			path_pop(cx, m);
		}
		path_pop(cx, n);
	}
	if (p->kind == CAT_LIFE_EVENT && (p->nincludes == 0 || p->nguide == 0))
		return CAT_FAIL(cx, "a life_event needs includes and a guide");
	return K_OK;
}

static void
free_procedure(struct cat_procedure *p)
{
	size_t i;

	for (i = 0; i < p->nquestions; i++)
		free(p->questions[i].choices);
	free(p->questions);
	free(p->bring);
	free(p->includes);
	free(p->guide);
}

void
catalog_free(struct catalog *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nprocs; i++)
		free_procedure(&c->procs[i]);
	free(c->procs);
	json_decref(c->root);
	free(c);
}

static int
load_root(struct cat_ctx *cx)
{
	static const char *const keys[] = { "version", "languages", "procedures",
	    NULL };
	struct catalog *c = cx->cat;
	json_t *arr, *v;
	size_t i, j, n, m;
	int rc, version;

	snprintf(cx->path, sizeof cx->path, "$");
	if (!json_is_object(c->root))
		return CAT_FAIL(cx, "the catalog must be a JSON object");
	if ((rc = check_keys(cx, c->root, keys)) != K_OK ||
	    (rc = get_int(cx, c->root, "version", true, 1, 1, 1, &version)) != K_OK ||
	    (rc = get_array(cx, c->root, "languages", true, &arr)) != K_OK)
		return rc;
	n = path_key(cx, "languages");
	if (json_array_size(arr) == 0 || json_array_size(arr) > CAT_MAX_LANGS)
		return CAT_FAIL(cx, "must list 1 to %d language codes", CAT_MAX_LANGS);
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 15) {
			path_idx(cx, i);
			return CAT_FAIL(cx, "must be a language code such as \"vi\"");
		}
		for (j = 0; j < c->nlangs; j++)
			if (strcmp(c->langs[j], json_string_value(v)) == 0) {
				path_idx(cx, i);
				return CAT_FAIL(cx, "duplicate language \"%s\"",
				    json_string_value(v));
			}
		c->langs[c->nlangs++] = json_string_value(v);
	}
	for (j = 0; j < c->nlangs; j++)
		if (strcmp(c->langs[j], "ja") == 0)
			break;
	if (j == c->nlangs)
		return CAT_FAIL(cx, "must include \"ja\"");
	path_pop(cx, n);

	if ((rc = get_array(cx, c->root, "procedures", true, &arr)) != K_OK)
		return rc;
	n = path_key(cx, "procedures");
	if (json_array_size(arr) == 0)
		return CAT_FAIL(cx, "the catalog has no procedures");
	c->procs = xcalloc(json_array_size(arr), sizeof *c->procs);
	for (i = 0; i < json_array_size(arr); i++) {
		m = path_idx(cx, i);
		c->nprocs = i + 1;
		if ((rc = load_procedure(cx, json_array_get(arr, i),
		    &c->procs[i])) != K_OK)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(c->procs[j].id, c->procs[i].id) == 0) {
				path_key(cx, "id");
				return CAT_FAIL(cx, "duplicate id \"%s\" (also $.procedures[%zu])",
				    c->procs[i].id, j);
			}
		path_pop(cx, m);
	}
	/* life events name procedures that exist and are not life events */
	for (i = 0; i < c->nprocs; i++) {
		const struct cat_procedure *p = &c->procs[i], *q;
		for (j = 0; j < p->nincludes; j++) {
			q = catalog_find(c, p->includes[j]);
			if (q == NULL || q->kind == CAT_LIFE_EVENT) {
				m = path_idx(cx, i);
				path_key(cx, "includes");
				path_idx(cx, j);
				rc = CAT_FAIL(cx, "\"%s\" is not a procedure in this catalog",
				    p->includes[j]);
				(void)m;
				return rc;
			}
		}
	}
	path_pop(cx, n);
	return K_OK;
}

int
catalog_load_string(struct catalog **out, const char *json, const char *name,
    struct kerr *err)
{
	struct cat_ctx cx;
	json_error_t je;
	struct catalog *c;
	int rc;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (c->root == NULL) {
		free(c);
		return kerr_set(err, K_EPARSE, "%s: line %d column %d: %s", name,
		    je.line, je.column, je.text);
	}
	memset(&cx, 0, sizeof cx);
	cx.file = name;
	cx.cat = c;
	cx.err = err;
	if ((rc = load_root(&cx)) != K_OK) {
		catalog_free(c);
		return rc;
	}
	*out = c;
	return K_OK;
}

int
catalog_load(struct catalog **out, const char *path, struct kerr *err)
{
	FILE *fp;
	char *buf;
	long len;
	int rc;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return kerr_set(err, K_ENOTFOUND, "%s: cannot open: %m", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return kerr_set(err, K_EIO, "%s: cannot read", path);
	}
	if (len > 8 * 1024 * 1024) {
		fclose(fp);
		return kerr_set(err, K_EPARSE, "%s: larger than 8 MB", path);
	}
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		fclose(fp);
		free(buf);
		return kerr_set(err, K_EIO, "%s: short read", path);
	}
	fclose(fp);
	buf[len] = '\0';
	if (strlen(buf) != (size_t)len) {
		free(buf);
		return kerr_set(err, K_EPARSE, "%s: contains a NUL byte", path);
	}
	rc = catalog_load_string(out, buf, path, err);
	free(buf);
	return rc;
}

const struct cat_procedure *
catalog_find(const struct catalog *c, const char *id)
{
	size_t i;

	if (c == NULL || id == NULL)
		return NULL;
	for (i = 0; i < c->nprocs; i++)
		if (strcmp(c->procs[i].id, id) == 0)
			return &c->procs[i];
	return NULL;
}

size_t
catalog_count(const struct catalog *c)
{
	return c->nprocs;
}

const struct cat_procedure *
catalog_at(const struct catalog *c, size_t i)
{
	return i < c->nprocs ? &c->procs[i] : NULL;
}

size_t
catalog_lang_count(const struct catalog *c)
{
	return c->nlangs;
}

const char *
catalog_lang_at(const struct catalog *c, size_t i)
{
	return i < c->nlangs ? c->langs[i] : NULL;
}
