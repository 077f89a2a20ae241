/*
 * app_script_read.c - a test script file into commands: lines, words,
 * quoted text, numbers; what each command's words mean is its row in
 * app_script.c.  Also the keypad's key names (screen.h).  No SDL is
 * started for this: a syntax error costs no start-up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_int.h"
#include "bytebuf.h"
#include "xmalloc.h"

static void
args_free(struct script_args *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

/* Split a line into words and quoted strings. */
static int
split(const char *name, int ln, const char *p, struct script_args *a,
    struct kerr *err)
{
	a->n = 0;
	for (;;) {
		struct bytebuf b = BYTEBUF_INIT;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return K_OK;
		if (a->n == SCRIPT_MAX_ARGS) {
			args_free(a);
			return kerr_set(err, K_EPARSE, "%s:%d: too many "
			    "arguments", name, ln);
		}
		if (*p == '"') {
			p++;
			while (*p != '"') {
				if (*p == '\0') {
					bytebuf_free(&b);
					args_free(a);
					return kerr_set(err, K_EPARSE, "%s:%d: "
					    "unterminated string", name, ln);
				}
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				bytebuf_putc(&b, (uint8_t)*p++);
			}
			p++;
			a->quoted[a->n] = true;
		} else {
			while (*p != '\0' && *p != ' ' && *p != '\t')
				bytebuf_putc(&b, (uint8_t)*p++);
			a->quoted[a->n] = false;
		}
		/* append nothing: terminates an empty word ("") too */
		bytebuf_append(&b, "", 0);
		a->v[a->n++] = bytebuf_detach(&b, NULL);
	}
}

int
script_num(const char *name, int ln, const char *s, long lo, long hi, long *out,
    struct kerr *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < lo || v > hi)
		return kerr_set(err, K_EPARSE, "%s:%d: '%s' is not a number "
		    "in %ld..%ld", name, ln, s, lo, hi);
	*out = v;
	return K_OK;
}

/* "2026-04-01T09:30" (Japan time, +09:00) to ms since 1970. */
int
script_clock(const char *s, int64_t *out)
{
	int y, mo, d, h, mi;
	struct tm tm;
	char tail;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi,
	    &tail) != 5 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	*out = ((int64_t)timegm(&tm) - 9 * 3600) * 1000;
	return 0;
}

int
script_parse(struct script *s, const char *name, const char *text,
    struct kerr *err)
{
	const char *p = text;
	size_t cap = 0;
	int ln = 0, rc = K_OK;

	memset(s, 0, sizeof(*s));
	s->path = xstrdup(name);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		struct script_args a;

		ln++;
		p += len + (nl != NULL);
		line[strcspn(line, "\r")] = '\0';
		rc = split(name, ln, line, &a, err);
		free(line);
		if (rc != K_OK)
			break;
		if (a.n == 0)
			continue;
		if (s->n == cap) {
			cap = cap ? cap * 2 : 32;
			s->v = xrealloc(s->v, cap * sizeof(*s->v));
		}
		rc = script_parse_cmd(name, ln, &a, &s->v[s->n], err);
		args_free(&a);
		if (rc != K_OK)
			break;
		s->n++;
	}
	if (rc != K_OK)
		script_free(s);
	return rc;
}

int
script_load(struct script *s, const char *path, struct kerr *err)
{
	struct bytebuf b = BYTEBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((fp = fopen(path, "r")) == NULL)
		return kerr_set(err, K_ENOTFOUND, "script %s: %s", path,
		    strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		bytebuf_append(&b, buf, n);
	fclose(fp);
	rc = script_parse(s, path, b.data != NULL ? (char *)b.data : "", err);
	bytebuf_free(&b);
	return rc;
}

void
script_free(struct script *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].str);
	free(s->v);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

/* ---- key names (screen.h) ---- */

static const char *const key_names[UI_KEY_COUNT] = {
	[UI_KEY_0] = "0", [UI_KEY_1] = "1", [UI_KEY_2] = "2", [UI_KEY_3] = "3",
	[UI_KEY_4] = "4", [UI_KEY_5] = "5", [UI_KEY_6] = "6", [UI_KEY_7] = "7",
	[UI_KEY_8] = "8", [UI_KEY_9] = "9", [UI_KEY_ENTER] = "enter",
	[UI_KEY_CLEAR] = "clear", [UI_KEY_CANCEL] = "cancel",
	[UI_KEY_UP] = "up", [UI_KEY_DOWN] = "down", [UI_KEY_LEFT] = "left",
	[UI_KEY_RIGHT] = "right", [UI_KEY_TAB] = "tab",
	[UI_KEY_BACKTAB] = "backtab", [UI_KEY_PLUS] = "plus",
	[UI_KEY_MINUS] = "minus", [UI_KEY_HELP] = "help",
	[UI_KEY_REPEAT] = "repeat",
};

enum ui_key
ui_key_from_name(const char *name)
{
	int k;

	for (k = 1; k < UI_KEY_COUNT; k++)
		if (key_names[k] != NULL && strcmp(key_names[k], name) == 0)
			return (enum ui_key)k;
	return UI_KEY_NONE;
}

const char *
ui_key_name(enum ui_key key)
{
	if ((int)key > 0 && key < UI_KEY_COUNT && key_names[key] != NULL)
		return key_names[key];
	return "none";
}
