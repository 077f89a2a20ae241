/*
 * i18n.c - gettext .po catalogs, one per language, looked up by msgid.
 *
 * The parser reads what translators' tools write: comments (# ...), msgctxt,
 * msgid, msgid_plural, msgstr and msgstr[n], strings continued on following
 * lines, the C escapes gettext uses, and the "fuzzy" flag (fuzzy entries are
 * not used, as with msgfmt).  Anything else is an error naming file:line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "i18n.h"
#include "ruby.h"
#include "utf8.h"
#include "xmalloc.h"

struct i18n_msg {
	char *id;        /* msgctxt "\004" msgid when there is a context */
	char *str;
};

struct i18n_lang {
	char *code;
	struct i18n_msg *msgs;   /* sorted by id after loading */
	size_t n, cap;
};

struct i18n {
	struct i18n_lang *langs;
	size_t n, cap;
};

/* The order residents see in the language list. */
static const char *const i18n_order[] = {
	"ja", "ja-easy", "en", "zh", "ko", "vi", "tl", "pt",
};

struct i18n *
i18n_new(void)
{
	return xcalloc(1, sizeof(struct i18n));
}

void
i18n_free(struct i18n *t)
{
	size_t i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->langs[i].n; j++) {
			free(t->langs[i].msgs[j].id);
			free(t->langs[i].msgs[j].str);
		}
		free(t->langs[i].msgs);
		free(t->langs[i].code);
	}
	free(t->langs);
	free(t);
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct i18n_msg *)a)->id,
	    ((const struct i18n_msg *)b)->id);
}

/* Parser state for one file. */
enum po_field { PO_NONE, PO_CTXT, PO_ID, PO_PLURAL, PO_STR, PO_STR_OTHER };

struct po_parse {
	const char *file;
	int line;
	struct kerr *err;
	struct i18n_lang *lang;
	struct bytebuf ctxt, id, plural, str;
	bool has_ctxt, has_id, has_str, fuzzy, obsolete_skip;
	int entry_line;
	enum po_field field;
};

static int
po_fail(struct po_parse *pp, const char *why)
{
	return kerr_set(pp->err, K_EPARSE, "%s:%d: %s", pp->file, pp->line, why);
}

/* Append the quoted string at p (after optional blanks) to b. */
static int
po_string(struct po_parse *pp, const char *p, struct bytebuf *b)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		return po_fail(pp, "expected a string in double quotes");
	p++;
	for (; *p != '"'; p++) {
		char c = *p;
		if (c == '\0' || c == '\n' || c == '\r')
			return po_fail(pp, "string not closed with '\"'");
		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			default:
				return po_fail(pp, "unknown escape (use \\n \\t \\\" \\\\)");
			}
		}
		bytebuf_putc(b, (uint8_t)c);
	}
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '\0' && *p != '#')
		return po_fail(pp, "text after the closing '\"'");
	return K_OK;
}

static void
po_reset(struct po_parse *pp)
{
	bytebuf_reset(&pp->ctxt);
	bytebuf_reset(&pp->id);
	bytebuf_reset(&pp->plural);
	bytebuf_reset(&pp->str);
	pp->has_ctxt = pp->has_id = pp->has_str = pp->fuzzy = false;
	pp->field = PO_NONE;
}

static const char *
bb_str(struct bytebuf *b)
{
	return b->data != NULL ? (const char *)b->data : "";
}

/* The entry collected so far is complete: store it. */
static int
po_flush(struct po_parse *pp)
{
	struct i18n_lang *l = pp->lang;
	char *key;
	size_t i;

	if (!pp->has_id && !pp->has_str && !pp->has_ctxt) {
		po_reset(pp);
		return K_OK;
	}
	if (!pp->has_id || !pp->has_str) {
		pp->line = pp->entry_line;
		return po_fail(pp, pp->has_id ? "msgid without msgstr" :
		    "msgstr without msgid");
	}
	if (!utf8_valid(pp->id.data ? pp->id.data : (const uint8_t *)"", pp->id.len) ||
	    !utf8_valid(pp->str.data ? pp->str.data : (const uint8_t *)"", pp->str.len)) {
		pp->line = pp->entry_line;
		return po_fail(pp, "not valid UTF-8 (save the file as UTF-8)");
	}
	if (pp->id.len == 0 && !pp->has_ctxt) {
		/* the header entry: nothing we need from it */
		po_reset(pp);
		return K_OK;
	}
	if (pp->has_ctxt)
		key = xasprintf("%s\004%s", bb_str(&pp->ctxt), bb_str(&pp->id));
	else
		key = xstrdup(bb_str(&pp->id));
	for (i = 0; i < l->n; i++)
		if (strcmp(l->msgs[i].id, key) == 0) {
			free(key);
			pp->line = pp->entry_line;
			return po_fail(pp, "duplicate msgid");
		}
	if (pp->str.len == 0 || pp->fuzzy) {
		free(key);   /* untranslated or fuzzy: msgfmt leaves it out too */
		po_reset(pp);
		return K_OK;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->msgs = xrealloc(l->msgs, l->cap * sizeof *l->msgs);
	}
	l->msgs[l->n].id = key;
	l->msgs[l->n].str = xstrdup(bb_str(&pp->str));
	l->n++;
	po_reset(pp);
	return K_OK;
}

static bool
starts(const char *s, const char *word, const char **rest)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) != 0 || (s[n] != ' ' && s[n] != '\t' &&
	    s[n] != '"'))
		return false;
	*rest = s + n;
	return true;
}

static int
po_line(struct po_parse *pp, char *s)
{
	const char *rest;
	char *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '\n' || (*s == '\r' && s[1] == '\n'))
		return po_flush(pp);
	if (s[0] == '#') {
		if (s[1] == '~')   /* obsolete entry: ignored like msgfmt does */
			return K_OK;
		if (pp->has_str) {
			int rc = po_flush(pp);
			if (rc != K_OK)
				return rc;
		}
		if (s[1] == ',' && strstr(s, "fuzzy") != NULL)
			pp->fuzzy = true;
		return K_OK;
	}
	if (s[0] == '"') {
		switch (pp->field) {
		case PO_CTXT: return po_string(pp, s, &pp->ctxt);
		case PO_ID: return po_string(pp, s, &pp->id);
		case PO_PLURAL: return po_string(pp, s, &pp->plural);
		case PO_STR: return po_string(pp, s, &pp->str);
		case PO_STR_OTHER: {
			struct bytebuf junk = BYTEBUF_INIT;
			int rc = po_string(pp, s, &junk);
			bytebuf_free(&junk);
			return rc;
		}
		default:
			return po_fail(pp, "string without msgid/msgstr before it");
		}
	}
	if (starts(s, "msgctxt", &rest)) {
		if (pp->has_id || pp->has_ctxt) {
			int rc = po_flush(pp);
			if (rc != K_OK)
				return rc;
		}
		pp->entry_line = pp->line;
		pp->has_ctxt = true;
		pp->field = PO_CTXT;
		return po_string(pp, rest, &pp->ctxt);
	}
	if (starts(s, "msgid", &rest)) {
		if (pp->has_id) {
			int rc = po_flush(pp);
			if (rc != K_OK)
				return rc;
		}
		if (!pp->has_ctxt)
			pp->entry_line = pp->line;
		pp->has_id = true;
		pp->field = PO_ID;
		return po_string(pp, rest, &pp->id);
	}
	if (starts(s, "msgid_plural", &rest)) {
		if (!pp->has_id || pp->has_str)
			return po_fail(pp, "msgid_plural must follow msgid");
		pp->field = PO_PLURAL;
		return po_string(pp, rest, &pp->plural);
	}
	if (starts(s, "msgstr", &rest)) {
		if (!pp->has_id)
			return po_fail(pp, "msgstr without msgid");
		if (pp->has_str)
			return po_fail(pp, "second msgstr for one msgid");
		pp->has_str = true;
		pp->field = PO_STR;
		return po_string(pp, rest, &pp->str);
	}
	if (strncmp(s, "msgstr[", 7) == 0) {
		long n = strtol(s + 7, &p, 10);
		if (!pp->has_id)
			return po_fail(pp, "msgstr[n] without msgid");
		if (*p != ']' || n < 0 || n > 9)
			return po_fail(pp, "bad plural index in msgstr[n]");
		if (n == 0) {
			if (pp->has_str)
				return po_fail(pp, "second msgstr[0]");
			pp->has_str = true;
			pp->field = PO_STR;
			return po_string(pp, p + 1, &pp->str);
		}
		if (!pp->has_str)
			return po_fail(pp, "msgstr[n] before msgstr[0]");
		pp->field = PO_STR_OTHER;
		{
			struct bytebuf junk = BYTEBUF_INIT;
			int rc = po_string(pp, p + 1, &junk);
			bytebuf_free(&junk);
			return rc;
		}
	}
	return po_fail(pp, "expected msgid, msgstr, msgctxt, a string or a comment");
}

static bool
code_ok(const char *code)
{
	size_t n = 0;

	for (; code[n] != '\0'; n++)
		if (!((code[n] >= 'a' && code[n] <= 'z') ||
		    (code[n] >= 'A' && code[n] <= 'Z') || code[n] == '-' ||
		    code[n] == '_'))
			return false;
	return n >= 2 && n <= 15;
}

static int parse_fp(struct i18n *t, FILE *fp, const char *path,
    const char *code, struct kerr *err);

int
i18n_parse_po(struct i18n *t, const char *path, const char *code,
    struct kerr *err)
{
	FILE *fp;
	int rc;

	if (!code_ok(code))
		return kerr_set(err, K_EINVAL, "%s: '%s' is not a language code",
		    path, code);
	if (i18n_find(t, code) >= 0)
		return kerr_set(err, K_EINVAL, "%s: language '%s' loaded twice",
		    path, code);
	if ((fp = fopen(path, "r")) == NULL)
		return kerr_set(err, K_ENOTFOUND, "%s: cannot open: %s", path,
		    strerror(errno));
	rc = parse_fp(t, fp, path, code, err);
	fclose(fp);
	return rc;
}

int
i18n_parse_po_mem(struct i18n *t, const char *name, const char *buf,
    size_t len, const char *code, struct kerr *err)
{
	FILE *fp;
	int rc;

	if (!code_ok(code) || i18n_find(t, code) >= 0)
		return kerr_set(err, K_EINVAL, "%s: bad or repeated code '%s'",
		    name, code);
	if (len == 0)
		fp = fopen("/dev/null", "r");
	else
		fp = fmemopen((void *)buf, len, "r");
	if (fp == NULL)
		return kerr_set(err, K_EIO, "%s: cannot read", name);
	rc = parse_fp(t, fp, name, code, err);
	fclose(fp);
	return rc;
}

static int
parse_fp(struct i18n *t, FILE *fp, const char *path, const char *code,
    struct kerr *err)
{
	struct po_parse pp;
	struct i18n_lang *l;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t got;
	int rc = K_OK;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->langs = xrealloc(t->langs, t->cap * sizeof *t->langs);
	}
	l = &t->langs[t->n];
	memset(l, 0, sizeof *l);
	l->code = xstrdup(code);

	memset(&pp, 0, sizeof pp);
	pp.file = path;
	pp.err = err;
	pp.lang = l;
	while ((got = getline(&line, &cap, fp)) > 0) {
		pp.line++;
		if ((size_t)got != strlen(line)) {
			rc = po_fail(&pp, "contains a NUL byte");
			break;
		}
		if (pp.line == 1 && (unsigned char)line[0] == 0xef &&
		    (unsigned char)line[1] == 0xbb && (unsigned char)line[2] == 0xbf)
			memmove(line, line + 3, strlen(line + 3) + 1);
		if ((rc = po_line(&pp, line)) != K_OK)
			break;
	}
	if (rc == K_OK) {
		pp.line++;
		rc = po_flush(&pp);
	}
	free(line);
	bytebuf_free(&pp.ctxt);
	bytebuf_free(&pp.id);
	bytebuf_free(&pp.plural);
	bytebuf_free(&pp.str);
	if (rc != K_OK) {
		for (i = 0; i < l->n; i++) {
			free(l->msgs[i].id);
			free(l->msgs[i].str);
		}
		free(l->msgs);
		free(l->code);
		return rc;
	}
	if (l->n > 0)
		qsort(l->msgs, l->n, sizeof *l->msgs, msg_cmp);
	t->n++;
	return K_OK;
}

static int
rank(const char *code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(i18n_order); i++)
		if (strcmp(i18n_order[i], code) == 0)
			return (int)i;
	return (int)ARRAY_SIZE(i18n_order);
}

static int
lang_cmp(const void *a, const void *b)
{
	const struct i18n_lang *x = a, *y = b;
	int rx = rank(x->code), ry = rank(y->code);

	if (rx != ry)
		return rx - ry;
	return strcmp(x->code, y->code);
}

int
i18n_load(struct i18n **out, const char *po_dir, struct kerr *err)
{
	struct i18n *t;
	struct dirent *de;
	DIR *d;
	char *path, *code;
	size_t n;
	int rc = K_OK;

	*out = NULL;
	if ((d = opendir(po_dir)) == NULL)
		return kerr_set(err, K_ENOTFOUND, "%s: cannot open: %s", po_dir,
		    strerror(errno));
	t = i18n_new();
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".po") != 0 ||
		    de->d_name[0] == '.')
			continue;
		code = xstrndup(de->d_name, n - 3);
		path = xasprintf("%s/%s", po_dir, de->d_name);
		rc = i18n_parse_po(t, path, code, err);
		free(path);
		free(code);
		if (rc != K_OK)
			break;
	}
	closedir(d);
	if (rc == K_OK && t->n == 0)
		rc = kerr_set(err, K_ENOTFOUND, "%s: no .po files", po_dir);
	if (rc == K_OK && i18n_find(t, "ja") < 0)
		rc = kerr_set(err, K_ENOTFOUND, "%s: ja.po is missing", po_dir);
	if (rc != K_OK) {
		i18n_free(t);
		return rc;
	}
	qsort(t->langs, t->n, sizeof *t->langs, lang_cmp);
	*out = t;
	return K_OK;
}

size_t
i18n_count(const struct i18n *t)
{
	return t->n;
}

const char *
i18n_code(const struct i18n *t, size_t lang)
{
	return lang < t->n ? t->langs[lang].code : NULL;
}

int
i18n_find(const struct i18n *t, const char *code)
{
	size_t i;

	if (code == NULL)
		return -1;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->langs[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *
i18n_lookup(const struct i18n *t, size_t lang, const char *msgid)
{
	struct i18n_msg key, *m;

	if (t == NULL || lang >= t->n || msgid == NULL || t->langs[lang].n == 0)
		return NULL;
	key.id = (char *)msgid;
	m = bsearch(&key, t->langs[lang].msgs, t->langs[lang].n,
	    sizeof *m, msg_cmp);
	return m != NULL ? m->str : NULL;
}

const char *
i18n_get(const struct i18n *t, size_t lang, const char *msgid)
{
	const char *s = i18n_lookup(t, lang, msgid);

	return s != NULL ? s : msgid;
}

size_t
i18n_msg_count(const struct i18n *t, size_t lang)
{
	return lang < t->n ? t->langs[lang].n : 0;
}

const char *
i18n_msg_at(const struct i18n *t, size_t lang, size_t i)
{
	if (lang >= t->n || i >= t->langs[lang].n)
		return NULL;
	return t->langs[lang].msgs[i].str;
}

const char *
i18n_msgid_at(const struct i18n *t, size_t lang, size_t i)
{
	if (lang >= t->n || i >= t->langs[lang].n)
		return NULL;
	return t->langs[lang].msgs[i].id;
}

/* Copy n bytes of s into out at *pos, stopping on a UTF-8 boundary. */
static void
put(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	size_t room = outlen - 1 - *pos;

	if (n > room)
		n = utf8_cut(s, room);
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
}

size_t
i18n_format(char *out, size_t outlen, const char *tmpl,
    const char *const *args, size_t nargs)
{
	const char *p, *a;
	size_t pos = 0;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	for (p = tmpl; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			size_t k = (size_t)(p[1] - '1');
			a = k < nargs && args[k] != NULL ? args[k] : "";
			put(out, outlen, &pos, a, strlen(a));
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			put(out, outlen, &pos, "%", 1);
			p++;
		} else {
			size_t n = 1;
			while (((unsigned char)p[n] & 0xc0) == 0x80)
				n++;
			put(out, outlen, &pos, p, n);
			p += n - 1;
		}
		if (pos >= outlen - 1)
			break;
	}
	return pos;
}

size_t
i18n_strip_ruby(char *out, size_t outlen, const char *in)
{
	return ruby_strip(out, outlen, in);
}
