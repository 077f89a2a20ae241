/*
 * evidence_int.h - shared inside kiosk/evidence/ only.
 */
#ifndef EVIDENCE_INT_H
#define EVIDENCE_INT_H

#include <stdio.h>

#include "evidence.h"

/* ---- charts (chart.c, cairo + Pango) ---- */

enum { EV_SVG = 1, EV_PNG = 2, EV_PDF = 4 };

#define EV_CHART_SERIES 4

struct ev_series {
	const char *name;             /* "実績 / actual" (legend) */
	const double *v;              /* per category; < 0: no data */
};

struct ev_bars {
	const char *title;            /* Japanese / English on two lines */
	const char *subtitle;         /* period, site, counts */
	const char *axis;             /* value axis: "分 / minutes" */
	const char *const *cat;       /* category labels */
	const int *n;                 /* tickets behind each category or NULL */
	int ncat;
	struct ev_series s[EV_CHART_SERIES];
	int nseries;
	bool horizontal;              /* long labels (procedures) */
	const char *note;             /* footnote, or NULL */
};

/* Draw text in the fonts of the manifest (kiosk.fonts): its files are
 * given to fontconfig and its families become Pango's list, "ja"'s first.
 * Call once before the first chart. */
int ev_chart_fonts(const char *manifest, struct kerr *err);

/* path without extension; writes path.svg / .png / .pdf as asked */
int ev_chart_bars(const struct ev_bars *b, const char *path, unsigned fmt,
    struct kerr *err);

struct ev_heat {
	const char *title, *subtitle, *legend;
	const char *const *rows;      /* e.g. weekdays */
	const char *const *cols;      /* e.g. hours */
	int nrows, ncols;
	const double *v;              /* nrows * ncols; < 0: closed / no data */
	double vmax;                  /* top of the scale */
	double mark_above;            /* cells above it framed; <= 0: none */
	const char *note;
};

int ev_chart_heat(const struct ev_heat *h, const char *path, unsigned fmt,
    struct kerr *err);

/* ---- CSV with its CSVW description (opendata.c) ---- */

enum ev_col_type { EV_INT, EV_DEC, EV_STR, EV_DATE, EV_TIME, EV_BOOL };

struct ev_col {
	const char *name;
	enum ev_col_type type;
	const char *ja, *en;          /* titles */
	const char *unit;             /* "min", "tickets", ... or NULL */
	const char *doc;              /* one line (English) */
};

struct ev_table {
	const char *file;             /* "by_hour.csv" */
	const char *title_ja, *title_en;
	const char *doc;
	const struct ev_col *cols;
	int ncols;
	FILE *fp;
	int rows, suppressed;
};

int ev_table_open(struct ev_table *t, const char *dir, struct kerr *err);
/* One row: values as strings ("" for empty), ncols of them. */
void ev_table_row(struct ev_table *t, const char *const *vals);
/* Close the CSV and write FILE-metadata.json (CSVW) beside it. */
int ev_table_close(struct ev_table *t, const char *dir, int min_cell,
    const char *period, struct kerr *err);
void ev_csv_field(FILE *fp, const char *s);

#endif
