/*
 * report_cli.c - the command lines of `kiosk report` and `kiosk simulate`:
 * options (--db per site, the period, --compare, counters), reading the
 * logs, and the order in which report.c, report_advice.c,
 * report_charts.c and compare.c write their files.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog.h"
#include "config.h"
#include "evidence_int.h"
#include "roles.h"
#include "xmalloc.h"

/* ---- the roles ---- */

struct opts {
	const char *cfg_path, *out;
	const char *db[EV_MAX_SITES];
	int ndb;
	char from[16], to[16];
	char cmp[2][2][11];
	bool compare;
	int counters[STORE_MAX_SERVICES];
	char counters_spec[256];
	uint64_t seed;
	int weekday;                  /* simulate: 1..7 (ISO), 0: every day */
};

static int
parse_range(const char *s, char from[11], char to[11])
{
	const char *dots = strstr(s, "..");

	if (dots == NULL || dots - s != 10 || strlen(dots + 2) != 10)
		return -1;
	snprintf(from, 11, "%.10s", s);
	snprintf(to, 11, "%s", dots + 2);
	if (ev_day_parse(from) < 0 || ev_day_parse(to) < 0 ||
	    strcmp(from, to) > 0)
		return -1;
	return 0;
}

/* Open each --db (NAME=PATH or PATH) and read days from..to. */
static int
load_logs(const struct config *cfg, const struct opts *o, struct ev_log *log,
    const char *from, const char *to)
{
	struct store_config sc;
	struct kerr err;
	int i;

	memset(&sc, 0, sizeof(sc));
	sc.services = config_str(cfg, "server.services");
	sc.noshow_after_recalls = (int)config_int(cfg,
	    "server.noshow_after_recalls");
	sc.estimate_samples = (int)config_int(cfg, "server.estimate_samples");
	for (i = 0; i < (o->ndb ? o->ndb : 1); i++) {
		const char *spec = o->ndb ? o->db[i] : config_str(cfg,
		    "server.db"), *eq = strchr(spec, '='), *path;
		char site[64];
		struct store *st;
		struct stat sb;

		path = eq ? eq + 1 : spec;
		if (eq)
			snprintf(site, sizeof(site), "%.*s", (int)(eq - spec), spec);
		else if (o->ndb <= 1)
			snprintf(site, sizeof(site), "%s", config_str(cfg,
			    "kiosk.site_name"));
		else {
			const char *base = strrchr(path, '/');
			snprintf(site, sizeof(site), "%s", base ? base + 1 : path);
			if (strrchr(site, '.'))
				*strrchr(site, '.') = '\0';
		}
		if (stat(path, &sb) != 0) {
			fprintf(stderr, "kiosk: %s: no database (%s)\n", path,
			    strerror(errno));
			return 1;
		}
		if (store_open(&st, path, &sc, &err) != K_OK) {
			fprintf(stderr, "kiosk: %s\n", err.msg);
			return 1;
		}
		if (ev_log_add(log, st, site, from, to, &err) != K_OK) {
			fprintf(stderr, "kiosk: %s: %s\n", path, err.msg);
			store_close(st);
			return 1;
		}
		store_close(st);
	}
	return 0;
}

static int
parse_counters(const char *s, const struct ev_log *log, int *out)
{
	char *end;
	long n;
	int v;

	if (strchr(s, '=') == NULL) {
		n = strtol(s, &end, 10);
		if (*end || n < 1 || n > 256)
			return -1;
		for (v = 0; v < log->nservices; v++)
			out[v] = (int)n;
		return 0;
	}
	/* A=2,B=3: the others keep their configured counters */
	for (v = 0; v < log->nservices; v++)
		out[v] = log->service_counters[v];
	while (*s) {
		if (s[1] != '=' || (v = ev_service_index(log, s[0])) < 0)
			return -1;
		n = strtol(s + 2, &end, 10);
		if (end == s + 2 || n < 1 || n > 256 || (*end && *end != ','))
			return -1;
		out[v] = (int)n;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int
usage(const char *role)
{
	if (strcmp(role, "simulate") == 0)
		fprintf(stderr, "usage: kiosk simulate [--config FILE] [--db PATH] "
		    "--counters N|A=N,B=N [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
		    "[--weekday 1-7] [--seed S]\n");
	else
		fprintf(stderr, "usage: kiosk report [--config FILE] "
		    "[--db [SITE=]PATH]... [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
		    "[--compare FROM..TO FROM..TO] --out DIR\n"
		    "  (default: the 28 days up to today, Asia/Tokyo)\n");
	return 2;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			return usage(argv[0]);
		if (strcmp(a, "--config") == 0)
			o->cfg_path = argv[++i];
		else if (strcmp(a, "--from") == 0)
			snprintf(o->from, sizeof(o->from), "%s", argv[++i]);
		else if (strcmp(a, "--to") == 0)
			snprintf(o->to, sizeof(o->to), "%s", argv[++i]);
		else if (strcmp(a, "--out") == 0 && strcmp(argv[0], "report") == 0)
			o->out = argv[++i];
		else if (strcmp(a, "--db") == 0) {
			if (o->ndb == EV_MAX_SITES) {
				fprintf(stderr, "kiosk %s: at most %d --db\n",
				    argv[0], EV_MAX_SITES);
				return 2;
			}
			o->db[o->ndb++] = argv[++i];
		} else if (strcmp(a, "--compare") == 0 &&
		    strcmp(argv[0], "report") == 0 && i + 2 < argc) {
			if (parse_range(argv[i + 1], o->cmp[0][0], o->cmp[0][1]) ||
			    parse_range(argv[i + 2], o->cmp[1][0], o->cmp[1][1])) {
				fprintf(stderr, "kiosk report: --compare wants two "
				    "periods YYYY-MM-DD..YYYY-MM-DD, not '%s %s'\n",
				    argv[i + 1], argv[i + 2]);
				return 2;
			}
			o->compare = true;
			i += 2;
		} else if (strcmp(a, "--counters") == 0 &&
		    strcmp(argv[0], "simulate") == 0)
			snprintf(o->counters_spec, sizeof(o->counters_spec), "%s",
			    argv[++i]);
		else if (strcmp(a, "--seed") == 0 &&
		    strcmp(argv[0], "simulate") == 0) {
			char *end;
			o->seed = strtoull(argv[++i], &end, 10);
			if (*end || argv[i][0] == '-' || argv[i][0] == '\0') {
				fprintf(stderr, "kiosk simulate: --seed wants a "
				    "number, not '%s'\n", argv[i]);
				return 2;
			}
		} else if (strcmp(a, "--weekday") == 0 &&
		    strcmp(argv[0], "simulate") == 0) {
			const char *w = argv[++i];
			if (w[0] < '1' || w[0] > '7' || w[1] != '\0') {
				fprintf(stderr, "kiosk simulate: --weekday wants 1 "
				    "(Monday) to 7 (Sunday), not '%s'\n", w);
				return 2;
			}
			o->weekday = w[0] - '0';
		} else
			return usage(argv[0]);
	}
	return 0;
}

/* Default period and checks; 0 or an exit status. */
static int
period(struct opts *o, const char *role)
{
	struct timespec now;
	char d[11];

	clock_gettime(CLOCK_REALTIME, &now);
	if (o->compare) {
		snprintf(o->from, sizeof(o->from), "%s",
		    strcmp(o->cmp[0][0], o->cmp[1][0]) < 0 ? o->cmp[0][0] :
		    o->cmp[1][0]);
		snprintf(o->to, sizeof(o->to), "%s",
		    strcmp(o->cmp[0][1], o->cmp[1][1]) > 0 ? o->cmp[0][1] :
		    o->cmp[1][1]);
	}
	if (o->to[0] == '\0') {
		ev_day_format(ev_day_of_ms((int64_t)now.tv_sec * 1000), d);
		snprintf(o->to, sizeof(o->to), "%s", d);
	}
	if (o->from[0] == '\0') {
		ev_day_format(ev_day_of_ms((int64_t)now.tv_sec * 1000) - 27, d);
		snprintf(o->from, sizeof(o->from), "%s", d);
	}
	if (ev_day_parse(o->from) < 0 || ev_day_parse(o->to) < 0) {
		fprintf(stderr, "kiosk %s: --from/--to: not a date YYYY-MM-DD: "
		    "%s\n", role, ev_day_parse(o->from) < 0 ? o->from : o->to);
		return 2;
	}
	if (strcmp(o->from, o->to) > 0) {
		fprintf(stderr, "kiosk %s: --from %s is after --to %s\n", role,
		    o->from, o->to);
		return 2;
	}
	return 0;
}

int
role_report(int argc, char **argv)
{
	struct report *r;
	struct config *cfg;
	struct catalog *cat = NULL;
	struct cells cs[F_N], all_hour, all_wd;
	struct ev_accuracy *acc = NULL;
	struct ev_staffing sf = { 0 };
	struct opts o;
	struct kerr err;
	char path[1024], key[128];
	size_t i;
	int f, rc = 1;

	if ((rc = parse_opts(argc, argv, &o)) != 0)
		return rc;
	if (o.out == NULL)
		return usage(argv[0]);
	if ((rc = period(&o, "report")) != 0)
		return rc;
	rc = 1;
	if (config_load(&cfg, o.cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	if (mkdir(o.out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "kiosk report: %s: %s\n", o.out, strerror(errno));
		config_free(cfg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/procedures.json",
	    config_str(cfg, "kiosk.assets"));
	if (catalog_load(&cat, path, &err) != K_OK) {
		klog("warn", "report", "no procedure names: %s", err.msg);
		cat = NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->cfg = cfg;
	r->cat = cat;
	r->out = o.out;
	r->min_cell = (int)config_int(cfg, "evidence.min_cell");
	r->fmt = EV_SVG | EV_PNG | EV_PDF;
	snprintf(r->from, sizeof(r->from), "%.10s", o.from);
	snprintf(r->to, sizeof(r->to), "%.10s", o.to);
	snprintf(r->period, sizeof(r->period), "%s/%s", o.from, o.to);
	memset(cs, 0, sizeof(cs));
	memset(&all_hour, 0, sizeof(all_hour));
	memset(&all_wd, 0, sizeof(all_wd));
	if (load_logs(cfg, &o, &r->log, o.from, o.to) != 0)
		goto done;
	if (o.compare) {
		if (ev_chart_fonts(config_str(cfg, "kiosk.fonts"), &err) != K_OK ||
		    ev_write_compare(r, o.cmp, &err) != K_OK)
			goto fail;
		printf("%s: compare.csv compare.{svg,png,pdf}\n", o.out);
		rc = 0;
		goto done;
	}
	r->hour_lo = 23;
	r->hour_hi = 0;
	for (i = 0; i < r->log.n; i++) {
		const struct ev_ticket *t = &r->log.t[i];
		for (f = 0; f < F_N; f++) {
			ev_make_key(r, f, t, key, sizeof(key));
			ev_cell_add(ev_cell_get(&cs[f], key), t);
		}
		snprintf(key, sizeof(key), "%02d", t->hour);
		ev_cell_add(ev_cell_get(&all_hour, key), t);
		snprintf(key, sizeof(key), "%d", t->weekday + 1);
		ev_cell_add(ev_cell_get(&all_wd, key), t);
		if (t->hour < r->hour_lo)
			r->hour_lo = t->hour;
		if (t->hour > r->hour_hi)
			r->hour_hi = t->hour;
	}
	if (r->log.n == 0)
		r->hour_lo = 8, r->hour_hi = 17;
	for (f = 0; f < F_N; f++)
		ev_cells_finish(&cs[f], r->min_cell, 1);
	ev_cells_finish(&all_hour, r->min_cell, 0);
	ev_cells_finish(&all_wd, r->min_cell, 0);
	if (ev_write_open_data(r, cs, &err) != K_OK)
		goto fail;
	acc = xcalloc(1, sizeof(*acc));
	ev_accuracy(&r->log, (int)config_int(cfg, "server.estimate_samples"),
	    config_double(cfg, "evidence.naive_min_per_person"), acc);
	if (ev_write_accuracy(r, acc, &err) != K_OK)
		goto fail;
	ev_staffing(&r->log, (double)config_int(cfg, "evidence.target_wait_min"),
	    config_double(cfg, "evidence.target_share"), &sf);
	if (ev_write_staffing(r, &sf, &err) != K_OK)
		goto fail;
	if (ev_chart_fonts(config_str(cfg, "kiosk.fonts"), &err) != K_OK)
		goto fail;
	if (ev_write_charts(r, &all_hour, &all_wd, &cs[F_PROC], acc, &sf, &err) !=
	    K_OK)
		goto fail;
	printf("%s: %zu tickets from %s to %s (%d site%s): by_day by_hour "
	    "by_weekday by_procedure by_channel%s accuracy staffing (.csv with "
	    "-metadata.json); charts as .svg .png .pdf\n", o.out, r->log.n,
	    o.from, o.to, r->log.nsites, r->log.nsites > 1 ? "s" : "",
	    r->log.nsites > 1 ? " by_site" : "");
	ev_summary(r, acc, &sf);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "kiosk report: %s\n", err.msg);
done:
	for (f = 0; f < F_N; f++)
		ev_cells_free(&cs[f]);
	ev_cells_free(&all_hour);
	ev_cells_free(&all_wd);
	free(acc);
	ev_staffing_free(&sf);
	ev_log_free(&r->log);
	free(r);
	catalog_free(cat);
	config_free(cfg);
	return rc;
}

int
role_simulate(int argc, char **argv)
{
	struct ev_log log;
	struct ev_sim_opts so;
	struct ev_sim_result res;
	struct config *cfg;
	struct opts o;
	struct kerr err;
	int rc, v, h;

	if ((rc = parse_opts(argc, argv, &o)) != 0)
		return rc;
	if (o.counters_spec[0] == '\0')
		return usage(argv[0]);
	if (o.ndb > 1) {
		fprintf(stderr, "kiosk simulate: one --db (one site) at a time\n");
		return 2;
	}
	if ((rc = period(&o, "simulate")) != 0)
		return rc;
	if (config_load(&cfg, o.cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	memset(&log, 0, sizeof(log));
	memset(&so, 0, sizeof(so));
	rc = 1;
	if (load_logs(cfg, &o, &log, o.from, o.to) != 0)
		goto out;
	if (parse_counters(o.counters_spec, &log, so.counters) != 0) {
		fprintf(stderr, "kiosk simulate: --counters wants N (1-256) or "
		    "LETTER=N,... for known services, not '%s'\n",
		    o.counters_spec);
		rc = 2;
		goto out;
	}
	if (o.weekday > 0) {
		/* one weekday's days only, to check one row of the heat-map */
		size_t i, k = 0;
		for (i = 0; i < log.n; i++)
			if (log.t[i].weekday == o.weekday - 1)
				log.t[k++] = log.t[i];
		log.n = k;
	}
	so.seed = o.seed;
	so.target_min = (double)config_int(cfg, "evidence.target_wait_min");
	if (ev_simulate(&log, &so, &res, &err) != K_OK) {
		fprintf(stderr, "kiosk simulate: %s\n", err.msg);
		goto out;
	}
	printf("service,counters,hour,tickets,wait_mean_min,wait_sd_min,"
	    "within_target_share,wait_p90_min,days,day_mean_wait_min,"
	    "day_mean_ci95_min\n");
	for (v = 0; v < log.nservices; v++)
		for (h = 0; h < 25; h++) {
			const struct ev_sim_cell *c = &res.cell[v][h];
			double mean, var;

			if (c->tickets == 0)
				continue;
			mean = c->wait_sum / c->tickets;
			var = c->tickets > 1 ? (c->wait_sq - c->tickets * mean *
			    mean) / (c->tickets - 1) : 0;
			printf("%c,%d,", log.services[v], so.counters[v]);
			if (h == 24)
				printf("all");
			else
				printf("%02d:00:00+09:00", h);
			printf(",%d,%.3f,%.3f,%.4f,", c->tickets, mean,
			    var > 0 ? sqrt(var) : 0,
			    (double)c->within / c->tickets);
			if (h == 24) {
				double dm, half;
				ev_sim_ci(&res, v, &dm, &half);
				printf("%.3f,%d,%.3f,%.3f\n", ev_quantile(
				    res.waits[v], res.nwaits[v], 0.9),
				    res.ndays[v], dm, half);
			} else {
				printf(",,,\n");
			}
		}
	ev_sim_free(&res);
	rc = 0;
out:
	ev_log_free(&log);
	config_free(cfg);
	return rc;
}
