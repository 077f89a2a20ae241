/*
 * opendata.c - the CSV files of the open data and, beside each, its
 * description in CSV on the Web (W3C CSVW, "FILE-metadata.json": the name
 * a CSVW processor looks for first).  The columns are declared once, in the
 * writer's table, and both files follow from that declaration.
 *
 * UTF-8 without a byte-order mark, a header row, RFC 4180 quoting, CRLF
 * line ends (RFC 4180 and what spreadsheet software expects).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evidence_int.h"
#include "xmalloc.h"

void
ev_csv_field(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

int
ev_table_open(struct ev_table *t, const char *dir, struct kerr *err)
{
	char *path = xasprintf("%s/%s", dir, t->file);
	int i;

	t->rows = t->suppressed = 0;
	if ((t->fp = fopen(path, "w")) == NULL) {
		int rc = kerr_set(err, K_EIO, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	free(path);
	for (i = 0; i < t->ncols; i++) {
		if (i)
			fputc(',', t->fp);
		ev_csv_field(t->fp, t->cols[i].name);
	}
	fputs("\r\n", t->fp);
	return K_OK;
}

void
ev_table_row(struct ev_table *t, const char *const *vals)
{
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (i)
			fputc(',', t->fp);
		ev_csv_field(t->fp, vals[i]);
	}
	fputs("\r\n", t->fp);
	t->rows++;
}

static const char *
xsd(enum ev_col_type ty)
{
	switch (ty) {
	case EV_INT: return "integer";
	case EV_DEC: return "decimal";
	case EV_DATE: return "date";
	case EV_TIME: return "time";
	case EV_BOOL: return "boolean";
	case EV_STR: break;
	}
	return "string";
}

int
ev_table_close(struct ev_table *t, const char *dir, int min_cell,
    const char *period, struct kerr *err)
{
	json_t *m, *schema, *cols, *title;
	char *path;
	int i, rc = K_OK;

	if (fclose(t->fp) != 0) {
		t->fp = NULL;
		return kerr_set(err, K_EIO, "%s/%s: write failed", dir, t->file);
	}
	t->fp = NULL;
	m = json_object();
	json_object_set_new(m, "@context", json_pack("[s,{s:s}]",
	    "http://www.w3.org/ns/csvw", "@language", "ja"));
	json_object_set_new(m, "url", json_string(t->file));
	title = json_pack("{s:s,s:s}", "ja", t->title_ja, "en", t->title_en);
	json_object_set_new(m, "dc:title", title);
	json_object_set_new(m, "dc:description", json_pack("{s:s}", "en",
	    t->doc));
	json_object_set_new(m, "dc:temporal", json_string(period));
	json_object_set_new(m, "dc:license", json_pack("{s:s}", "@id",
	    "https://creativecommons.org/licenses/by/4.0/"));
	json_object_set_new(m, "dialect", json_pack("{s:s,s:b,s:s}",
	    "encoding", "utf-8", "header", 1, "lineTerminators", "\r\n"));
	/* not CSVW vocabulary: prefixed so processors keep them as notes */
	json_object_set_new(m, "kiosk:timeZone", json_string("Asia/Tokyo"));
	json_object_set_new(m, "kiosk:minimumCount", json_integer(min_cell));
	json_object_set_new(m, "kiosk:suppressedRows",
	    json_integer(t->suppressed));
	json_object_set_new(m, "kiosk:rows", json_integer(t->rows));
	cols = json_array();
	for (i = 0; i < t->ncols; i++) {
		const struct ev_col *c = &t->cols[i];
		json_t *col = json_pack("{s:s,s:{s:s,s:s},s:s,s:{s:s}}",
		    "name", c->name, "titles", "ja", c->ja, "en", c->en,
		    "datatype", xsd(c->type), "dc:description", "en", c->doc);
		if (c->unit)
			json_object_set_new(col, "kiosk:unit",
			    json_string(c->unit));
		json_array_append_new(cols, col);
	}
	schema = json_object();
	json_object_set_new(schema, "columns", cols);
	json_object_set_new(m, "tableSchema", schema);
	path = xasprintf("%s/%s-metadata.json", dir, t->file);
	if (json_dump_file(m, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		rc = kerr_set(err, K_EIO, "%s: write failed", path);
	free(path);
	json_decref(m);
	return rc;
}
