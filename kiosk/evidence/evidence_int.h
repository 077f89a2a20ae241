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

/* ---- kiosk report (report*.c, compare.c) ---- */

/* cells: a key (fields joined by \x1f) and its figures */

struct series {
	double *v;
	size_t n, cap;
};

struct cell {
	char *key;
	int tickets, served, no_show, card, priority;
	struct series wait, serv;
	bool suppressed;
};

struct cells {
	struct cell *c;
	size_t n, cap;
	size_t *slot;                 /* open addressing, index + 1 */
	size_t nslot;
};

struct report {
	const struct config *cfg;
	const struct catalog *cat;
	struct ev_log log;
	const char *out;
	char from[11], to[11], period[32];
	int min_cell;
	int hour_lo, hour_hi;         /* opening hours seen: [lo, hi] */
	unsigned fmt;
};
/* The two service columns of most tables.  A macro, not a const array:
 * an element of a const array is no constant expression in C, and clang
 * (the fuzz build) refuses it in an initializer where gcc lets it pass. */
#define COL_SERVICE \
	{ "service", EV_STR, "業務", "service", NULL, \
	  "service letter (A, B, ...) as on the ticket number" }, \
	{ "service_name", EV_STR, "業務名", "service name", NULL, \
	  "the service's name at the counters" }

/* the open-data files by key */
enum { F_DAY, F_HOUR, F_WEEKDAY, F_PROC, F_CHANNEL, F_SITE, F_N };

/* report.c */
struct cell *ev_cell_get(struct cells *cs, const char *key);
void ev_cell_add(struct cell *c, const struct ev_ticket *t);
void ev_cells_free(struct cells *cs);
/* Sort; mark cells under min; then the second suppression per group. */
void ev_cells_finish(struct cells *cs, int min, int group_fields);
int ev_split_key(char *key, char **f, int max);
void ev_fmt_min(char *out, size_t n, double v);
double ev_mean_of(const struct series *s);
const char *ev_proc_name(const struct report *r, int proc, const char *lang);
void ev_make_key(const struct report *r, int file, const struct ev_ticket *t,
    char *key, size_t n);
int ev_write_open_data(struct report *r, struct cells *cs, struct kerr *err);

/* report_advice.c */
int ev_write_accuracy(struct report *r, const struct ev_accuracy *acc,
    struct kerr *err);
int ev_write_staffing(struct report *r, const struct ev_staffing *sf,
    struct kerr *err);
void ev_summary(const struct report *r, const struct ev_accuracy *acc,
    const struct ev_staffing *sf);

/* report_charts.c */
int ev_chart_path(struct report *r, const char *name, char *out, size_t n);
int ev_write_charts(struct report *r, struct cells *all_hour,
    struct cells *all_wd, struct cells *proc, const struct ev_accuracy *acc,
    const struct ev_staffing *sf, struct kerr *err);

/* compare.c */
int ev_write_compare(struct report *r, char range[2][2][11], struct kerr *err);

#endif
