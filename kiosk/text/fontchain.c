/*
 * fontchain.c - the font manifest fonts/fonts.conf (pure, no SDL): read
 * by the screen (ui/text.c) and the ticket printer (print/ticket_text.c).
 *
 * The manifest names the font files, their face index in a collection, the
 * cap-height scale, the fallback order (order of first appearance) and the
 * primary family of each language (spec §12.3).  Nothing about fonts is
 * hard-coded in C: adding a script is adding lines here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontchain.h"
#include "xmalloc.h"

static int
family_index(const struct font_manifest *m, const char *name)
{
	int i;

	for (i = 0; i < m->nfamilies; i++)
		if (strcmp(m->families[i], name) == 0)
			return i;
	return -1;
}

static char *
join_path(const char *manifest, const char *file)
{
	const char *slash;

	if (file[0] == '/')
		return xstrdup(file);
	slash = strrchr(manifest, '/');
	if (slash == NULL)
		return xstrdup(file);
	return xasprintf("%.*s/%s", (int)(slash - manifest), manifest, file);
}

static int
parse_line(struct font_manifest *m, const char *path, int ln, char *line,
    struct kerr *err)
{
	char *tok[8], *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " \t", &save); t != NULL && n < 8;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n == 0)
		return K_OK;
	if (strcmp(tok[0], "font") == 0) {
		struct font_entry *e;
		char *end;
		long face;
		double scale;

		if (n != 6)
			return kerr_set(err, K_EPARSE, "%s:%d: expected "
			    "'font NAME regular|bold FACE SCALE PATH', got %d "
			    "fields", path, ln, n);
		if (m->nfonts == FONT_MAX)
			return kerr_set(err, K_EPARSE, "%s:%d: more than %d "
			    "fonts", path, ln, FONT_MAX);
		if (strlen(tok[1]) >= sizeof(e->name))
			return kerr_set(err, K_EPARSE, "%s:%d: font name '%s' "
			    "too long", path, ln, tok[1]);
		if (strcmp(tok[2], "regular") != 0 &&
		    strcmp(tok[2], "bold") != 0)
			return kerr_set(err, K_EPARSE, "%s:%d: weight '%s' is "
			    "not regular or bold", path, ln, tok[2]);
		errno = 0;
		face = strtol(tok[3], &end, 10);
		if (errno != 0 || *end != '\0' || face < 0 || face > 64)
			return kerr_set(err, K_EPARSE, "%s:%d: face index '%s' "
			    "is not 0..64", path, ln, tok[3]);
		scale = strtod(tok[4], &end);
		if (*end != '\0' || !(scale >= 0.5 && scale <= 2.0))
			return kerr_set(err, K_EPARSE, "%s:%d: scale '%s' is "
			    "not 0.5..2.0", path, ln, tok[4]);
		e = &m->fonts[m->nfonts];
		snprintf(e->name, sizeof(e->name), "%s", tok[1]);
		e->bold = strcmp(tok[2], "bold") == 0;
		e->face = (int)face;
		e->scale = scale;
		for (int i = 0; i < m->nfonts; i++)
			if (strcmp(m->fonts[i].name, e->name) == 0 &&
			    m->fonts[i].bold == e->bold)
				return kerr_set(err, K_EPARSE, "%s:%d: font %s "
				    "%s given twice", path, ln, tok[1], tok[2]);
		e->path = join_path(path, tok[5]);
		m->nfonts++;
		if (family_index(m, tok[1]) < 0)
			snprintf(m->families[m->nfamilies++],
			    sizeof(m->families[0]), "%s", tok[1]);
		return K_OK;
	}
	if (strcmp(tok[0], "lang") == 0) {
		int f;

		if (n != 3)
			return kerr_set(err, K_EPARSE, "%s:%d: expected "
			    "'lang CODE NAME'", path, ln);
		if (m->nlangs == FONT_LANG_MAX)
			return kerr_set(err, K_EPARSE, "%s:%d: more than %d "
			    "languages", path, ln, FONT_LANG_MAX);
		if (strlen(tok[1]) >= sizeof(m->langs[0].code))
			return kerr_set(err, K_EPARSE, "%s:%d: language code "
			    "'%s' too long", path, ln, tok[1]);
		f = family_index(m, tok[2]);
		if (f < 0)
			return kerr_set(err, K_EPARSE, "%s:%d: language %s "
			    "names font '%s', which no 'font' line above "
			    "declares", path, ln, tok[1], tok[2]);
		snprintf(m->langs[m->nlangs].code, sizeof(m->langs[0].code),
		    "%s", tok[1]);
		m->langs[m->nlangs++].family = f;
		return K_OK;
	}
	return kerr_set(err, K_EPARSE, "%s:%d: unknown directive '%s' "
	    "(font or lang)", path, ln, tok[0]);
}

int
font_manifest_parse(struct font_manifest *m, const char *path,
    struct kerr *err)
{
	char line[1024];
	FILE *fp;
	int ln = 0, rc = K_OK, f;

	memset(m, 0, sizeof(*m));
	fp = fopen(path, "r");
	if (fp == NULL)
		return kerr_set(err, K_ENOTFOUND, "font manifest %s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *hash;

		ln++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			rc = kerr_set(err, K_EPARSE, "%s:%d: line too long",
			    path, ln);
			break;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		if ((rc = parse_line(m, path, ln, line, err)) != K_OK)
			break;
	}
	fclose(fp);
	if (rc == K_OK && m->nfamilies == 0)
		rc = kerr_set(err, K_EPARSE, "%s: no 'font' lines", path);
	for (f = 0; rc == K_OK && f < m->nfamilies; f++) {
		int i, ok = 0;
		for (i = 0; i < m->nfonts; i++)
			if (strcmp(m->fonts[i].name, m->families[f]) == 0 &&
			    !m->fonts[i].bold)
				ok = 1;
		if (!ok)
			rc = kerr_set(err, K_EPARSE, "%s: font %s has no "
			    "regular face", path, m->families[f]);
	}
	if (rc == K_OK) {
		int i, ja = 0;
		for (i = 0; i < m->nlangs; i++)
			if (strcmp(m->langs[i].code, "ja") == 0)
				ja = 1;
		if (!ja)
			rc = kerr_set(err, K_EPARSE, "%s: no 'lang ja' line "
			    "(the default language)", path);
	}
	if (rc != K_OK)
		font_manifest_release(m);
	return rc;
}

void
font_manifest_release(struct font_manifest *m)
{
	int i;

	for (i = 0; i < m->nfonts; i++)
		free(m->fonts[i].path);
	memset(m, 0, sizeof(*m));
}

int
font_manifest_family(const struct font_manifest *m, const char *lang)
{
	int i, ja = 0;
	size_t n;

	if (lang != NULL) {
		for (i = 0; i < m->nlangs; i++)
			if (strcmp(m->langs[i].code, lang) == 0)
				return m->langs[i].family;
		/* "zh-Hans" -> "zh" */
		n = strcspn(lang, "-_");
		for (i = 0; i < m->nlangs; i++)
			if (strlen(m->langs[i].code) == n &&
			    strncmp(m->langs[i].code, lang, n) == 0)
				return m->langs[i].family;
	}
	for (i = 0; i < m->nlangs; i++)
		if (strcmp(m->langs[i].code, "ja") == 0)
			ja = m->langs[i].family;
	return ja;
}

int
font_manifest_entry(const struct font_manifest *m, int family, bool bold)
{
	int i, regular = -1;

	for (i = 0; i < m->nfonts; i++) {
		if (strcmp(m->fonts[i].name, m->families[family]) != 0)
			continue;
		if (m->fonts[i].bold == bold)
			return i;
		if (!m->fonts[i].bold)
			regular = i;
	}
	return regular;
}
