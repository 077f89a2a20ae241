/*
 * appt_cli.c - `kiosk appointments`: the operator's side of
 * kiosk/queue/store_appt.c (docs/visits.md).
 *
 *   kiosk appointments import [--config FILE] FILE.csv
 *       The city's booking system's export: a header line
 *       date,time,service,procedure,code and one appointment a line
 *       (UTF-8, a BOM and CRLF allowed, fields may be "quoted").  The
 *       service may be empty: it is the procedure's (the catalog's); a
 *       service that is not the procedure's is refused.  All or nothing:
 *       every bad line is named with its field, and then nothing is
 *       imported.  A code already booked is refused unless it is the same
 *       booking (then it is counted as already there).
 *   kiosk appointments list [--config FILE] [--date YYYY-MM-DD]
 *       The day's appointments (default today) by slot; codes by their
 *       last two digits.
 *
 * Both open the queue database (server.db) directly; SQLite's locks let a
 * running server go on.  Exit status: 0 done, 1 failed or bad lines, 2
 * usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "config.h"
#include "roles.h"
#include "store.h"
#include "xmalloc.h"

#define CSV_FIELDS 5
#define CSV_LINE_MAX 1024

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Open the store and the catalog the server uses. */
static int
open_all(const char *cfg_path, struct config **cfg, struct store **st,
    struct catalog **cat)
{
	struct store_config sc;
	struct kerr err;
	char *path;

	*st = NULL;
	*cat = NULL;
	if (config_load(cfg, cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.services = config_str(*cfg, "server.services");
	sc.appointment_before = (int)config_int(*cfg,
	    "server.appointment_before");
	sc.appointment_after = (int)config_int(*cfg, "server.appointment_after");
	if (store_open(st, config_str(*cfg, "server.db"), &sc, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		config_free(*cfg);
		return 1;
	}
	path = xasprintf("%s/procedures.json", config_str(*cfg, "kiosk.assets"));
	if (catalog_load(cat, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		free(path);
		store_close(*st);
		config_free(*cfg);
		return 1;
	}
	free(path);
	return 0;
}

static void
close_all(struct config *cfg, struct store *st, struct catalog *cat)
{
	catalog_free(cat);
	store_close(st);
	config_free(cfg);
}

/* The service a procedure's appointment waits for: its own, or a life
 * event's first step this hall has (as the server's issue does). */
static char
proc_service(const struct store *st, const struct catalog *cat,
    const struct cat_procedure *p)
{
	size_t i;

	if (p->kind != CAT_LIFE_EVENT)
		return catalog_service(p);
	for (i = 0; i < p->nincludes; i++) {
		const struct cat_procedure *q = catalog_find(cat, p->includes[i]);
		if (q && store_service(st, catalog_service(q)) != NULL)
			return catalog_service(q);
	}
	return catalog_service(p);
}

/* Split one CSV line (no newline) into at most max fields, in place;
 * "quoted" fields with "" for a quote.  The count, or -1 for a quote left
 * open. */
static int
csv_split(char *line, char **f, int max)
{
	char *r = line, *w;
	int n = 0;

	for (;;) {
		if (n == max)
			return max + 1;
		while (*r == ' ' || *r == '\t')
			r++;
		f[n] = w = r;
		if (*r == '"') {
			f[n] = w = ++r;
			for (;;) {
				if (*r == '\0')
					return -1;
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			while (*r == ' ' || *r == '\t')
				r++;
			if (*r != ',' && *r != '\0')
				return -1;
		} else {
			while (*r != ',' && *r != '\0')
				*w++ = *r++;
			while (w > f[n] && (w[-1] == ' ' || w[-1] == '\t'))
				w--;
		}
		n++;
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w = '\0';
		r++;
	}
}

struct row {
	int line;
	char day[16], time[8], service[4], procedure[64], code[16];
};

struct bad_ctx {
	const struct row *rows;
	int nbad;
};

static void
on_bad(size_t i, const char *field, const char *msg, void *arg)
{
	struct bad_ctx *b = arg;

	fprintf(stderr, "kiosk: line %d: %s: %s\n", b->rows[i].line,
	    field ? field : "row", msg);
	b->nbad++;
}

static int
copy_field(char *dst, size_t n, const char *src)
{
	if (strlen(src) >= n)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

static int
import_csv(const char *cfg_path, const char *file)
{
	static const char *const header[CSV_FIELDS] = { "date", "time",
	    "service", "procedure", "code" };
	struct store_appt_req *reqs = NULL;
	struct row *rows = NULL;
	struct bad_ctx bad = { NULL, 0 };
	size_t n = 0, cap = 0, added = 0, i;
	char buf[CSV_LINE_MAX + 2];
	struct config *cfg;
	struct store *st;
	struct catalog *cat;
	struct kerr err;
	int line = 0, rc = 0;
	FILE *fp;

	if ((fp = fopen(file, "r")) == NULL) {
		fprintf(stderr, "kiosk: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (open_all(cfg_path, &cfg, &st, &cat) != 0) {
		fclose(fp);
		return 1;
	}
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		char *f[CSV_FIELDS + 1], *p = buf;
		size_t len = strlen(buf);
		int nf, k;
		struct row r;
		const struct cat_procedure *proc;
		char want;

		line++;
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
			fprintf(stderr, "kiosk: line %d: longer than %d bytes\n",
			    line, CSV_LINE_MAX);
			bad.nbad++;
			while (fgets(buf, sizeof(buf), fp) != NULL &&
			    strchr(buf, '\n') == NULL)
				;
			continue;
		}
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (line == 1 && (unsigned char)p[0] == 0xef &&
		    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
			p += 3;
		if (line > 1 && strspn(p, " \t,") == strlen(p))
			continue;     /* a blank line */
		nf = csv_split(p, f, CSV_FIELDS);
		if (line == 1) {
			for (k = 0; k < CSV_FIELDS && nf == CSV_FIELDS; k++)
				if (strcmp(f[k], header[k]) != 0)
					break;
			if (nf != CSV_FIELDS || k < CSV_FIELDS) {
				fprintf(stderr, "kiosk: line 1: the header must be "
				    "date,time,service,procedure,code\n");
				rc = 1;
				goto out;
			}
			continue;
		}
		if (nf != CSV_FIELDS) {
			fprintf(stderr, "kiosk: line %d: %s\n", line, nf < 0 ?
			    "a quoted field is not closed" :
			    "needs 5 fields: date,time,service,procedure,code");
			bad.nbad++;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.line = line;
		if (copy_field(r.day, sizeof(r.day), f[0]) != 0 ||
		    copy_field(r.time, sizeof(r.time), f[1]) != 0 ||
		    copy_field(r.service, sizeof(r.service), f[2]) != 0 ||
		    copy_field(r.procedure, sizeof(r.procedure), f[3]) != 0 ||
		    copy_field(r.code, sizeof(r.code), f[4]) != 0) {
			fprintf(stderr, "kiosk: line %d: a field is too long\n",
			    line);
			bad.nbad++;
			continue;
		}
		if (r.code[0] == '\0') {
			fprintf(stderr, "kiosk: line %d: code: missing (the "
			    "booking code the resident holds)\n", line);
			bad.nbad++;
			continue;
		}
		if ((proc = catalog_find(cat, r.procedure)) == NULL) {
			fprintf(stderr, "kiosk: line %d: procedure: '%s' is not in "
			    "the catalog\n", line, r.procedure);
			bad.nbad++;
			continue;
		}
		want = proc_service(st, cat, proc);
		if (r.service[0] == '\0') {
			r.service[0] = want;
		} else if (strlen(r.service) != 1 || r.service[0] != want) {
			fprintf(stderr, "kiosk: line %d: service: '%s' is not the "
			    "service of %s (%c); leave it empty or write %c\n",
			    line, r.service, r.procedure, want, want);
			bad.nbad++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[n++] = r;
	}
	if (ferror(fp)) {
		fprintf(stderr, "kiosk: %s: read error\n", file);
		rc = 1;
		goto out;
	}
	if (line == 0) {
		fprintf(stderr, "kiosk: %s: empty (the header must be "
		    "date,time,service,procedure,code)\n", file);
		rc = 1;
		goto out;
	}
	reqs = xcalloc(n ? n : 1, sizeof(*reqs));
	for (i = 0; i < n; i++) {
		reqs[i].day = rows[i].day;
		reqs[i].time = rows[i].time;
		reqs[i].service = rows[i].service[0];
		reqs[i].procedure = rows[i].procedure;
		reqs[i].code = rows[i].code;
		reqs[i].source = "import";
		reqs[i].staff = "import";
	}
	bad.rows = rows;
	/* with bad lines already, the rest is only checked: every bad line
	 * is named in one run */
	rc = store_appt_import(st, reqs, n, bad.nbad > 0, wall_ms(), on_bad, &bad,
	    &added, &err);
	if (rc != K_OK && bad.nbad == 0)
		fprintf(stderr, "kiosk: import failed: %s\n", err.msg);
	if (rc != K_OK || bad.nbad > 0) {
		fprintf(stderr, "kiosk: %s: %d bad line%s; nothing was imported\n",
		    file, bad.nbad, bad.nbad == 1 ? "" : "s");
		rc = 1;
		goto out;
	}
	printf("imported %zu appointment%s (%zu already there)\n", added,
	    added == 1 ? "" : "s", n - added);
	klog("info", "appointments", "%s: %zu imported, %zu already there",
	    file, added, n - added);
	rc = 0;
out:
	fclose(fp);
	free(reqs);
	free(rows);
	close_all(cfg, st, cat);
	return rc;
}

static int
list_day(const char *cfg_path, const char *day_arg)
{
	struct store_appt *list = NULL;
	struct config *cfg;
	struct store *st;
	struct catalog *cat;
	struct kerr err;
	char day[11];
	size_t n = 0, i;

	if (day_arg != NULL && store_parse_day(day_arg, &err) != K_OK) {
		fprintf(stderr, "kiosk: --date: %s\n", err.msg);
		return 2;
	}
	if (open_all(cfg_path, &cfg, &st, &cat) != 0)
		return 1;
	if (day_arg)
		snprintf(day, sizeof(day), "%s", day_arg);
	else
		store_day(wall_ms(), day);
	if (store_appt_list(st, day, &list, &n, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		close_all(cfg, st, cat);
		return 1;
	}
	printf("%s: %zu appointment%s\n", day, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		size_t len = strlen(list[i].code);
		printf("%s  %c  %-14s  ..%s  %-10s  %-7s  %s\n", list[i].time,
		    list[i].service, list[i].procedure,
		    len >= 2 ? list[i].code + len - 2 : list[i].code,
		    store_appt_state_name(list[i].state),
		    list[i].number[0] ? list[i].number : "-",
		    list[i].arrival[0] ? list[i].arrival : "-");
	}
	free(list);
	close_all(cfg, st, cat);
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: kiosk appointments import [--config FILE] "
	    "FILE.csv\n       kiosk appointments list [--config FILE] "
	    "[--date YYYY-MM-DD]\n");
	return 2;
}

int
role_appointments(int argc, char **argv)
{
	const char *cfg = NULL, *date = NULL, *file = NULL;
	bool import;
	int i;

	if (argc < 2 || (strcmp(argv[1], "import") != 0 &&
	    strcmp(argv[1], "list") != 0))
		return usage();
	import = strcmp(argv[1], "import") == 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			cfg = argv[++i];
		else if (!import && strcmp(argv[i], "--date") == 0 && i + 1 < argc)
			date = argv[++i];
		else if (import && file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			return usage();
	}
	if (import)
		return file ? import_csv(cfg, file) : usage();
	return list_day(cfg, date);
}
