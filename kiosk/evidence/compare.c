/*
 * compare.c - `kiosk report --compare A..B C..D`: per service, two periods
 * side by side (compare.csv and its chart), with the same suppression of
 * small cells as the open data (report.c).
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
#include "xmalloc.h"

/* ---- --compare A..B C..D ---- */

static const struct ev_col cols_cmp[] = {
	COL_SERVICE,
	{ "measure", EV_STR, "指標", "measure", NULL,
	  "wait_median_min, wait_mean_min, service_median_min, "
	  "service_mean_min or card_share" },
	{ "period_a", EV_STR, "期間A", "period A", NULL, "FROM/TO (ISO 8601)" },
	{ "tickets_a", EV_INT, "件数A", "tickets A", "tickets",
	  "tickets behind the figure in period A" },
	{ "value_a", EV_DEC, "値A", "value A", NULL, "minutes, or ratio 0-1" },
	{ "period_b", EV_STR, "期間B", "period B", NULL, "FROM/TO (ISO 8601)" },
	{ "tickets_b", EV_INT, "件数B", "tickets B", "tickets",
	  "tickets behind the figure in period B" },
	{ "value_b", EV_DEC, "値B", "value B", NULL, "minutes, or ratio 0-1" },
	{ "change", EV_DEC, "変化", "change", NULL, "value B - value A" },
};

int
ev_write_compare(struct report *r, char range[2][2][11], struct kerr *err)
{
	struct ev_table tb = { .file = "compare.csv",
		.title_ja = "2期間の比較", .title_en = "Two periods compared",
		.doc = "per service: waits, service times and the share of "
		"card-read applications in period A and period B, with the "
		"tickets behind each figure", .cols = cols_cmp,
		.ncols = (int)ARRAY_SIZE(cols_cmp) };
	static const char *const measures[] = { "wait_median_min",
		"wait_mean_min", "service_median_min", "service_mean_min",
		"card_share" };
	struct cells cs[2];
	double va[STORE_MAX_SERVICES + 1][2];
	static const char *lp[STORE_MAX_SERVICES + 1];
	static char lab[STORE_MAX_SERVICES + 1][64];
	int na[STORE_MAX_SERVICES + 1], rc, p, v, m, d[2][2];
	char key[8], per[2][32], path[1024], sub[256];
	size_t i;
	struct ev_bars b;

	memset(cs, 0, sizeof(cs));
	for (p = 0; p < 2; p++) {
		d[p][0] = ev_day_parse(range[p][0]);
		d[p][1] = ev_day_parse(range[p][1]);
		snprintf(per[p], sizeof(per[p]), "%s/%s", range[p][0],
		    range[p][1]);
	}
	for (i = 0; i < r->log.n; i++) {
		const struct ev_ticket *t = &r->log.t[i];
		for (p = 0; p < 2; p++)
			if (t->day >= d[p][0] && t->day <= d[p][1]) {
				snprintf(key, sizeof(key), "%c", t->service);
				ev_cell_add(ev_cell_get(&cs[p], key), t);
			}
	}
	if ((rc = ev_table_open(&tb, r->out, err)) != K_OK)
		goto out;
	printf("%-24s %-20s %14s %14s %8s\n", "service", "measure", per[0],
	    per[1], "change");
	for (v = 0; v < r->log.nservices; v++) {
		struct cell *c[2];
		snprintf(key, sizeof(key), "%c", r->log.services[v]);
		for (p = 0; p < 2; p++)
			c[p] = ev_cell_get(&cs[p], key);
		for (m = 0; m < (int)ARRAY_SIZE(measures); m++) {
			double x[2];
			int nn[2];
			char b1[16], b2[16], b3[16], n1[16], n2[16];
			char sv[2] = { r->log.services[v], 0 };
			const char *vals[10];

			for (p = 0; p < 2; p++) {
				struct cell *q = c[p];
				switch (m) {
				case 0: x[p] = ev_quantile(q->wait.v, q->wait.n,
				    0.5); nn[p] = (int)q->wait.n; break;
				case 1: x[p] = ev_mean_of(&q->wait);
				    nn[p] = (int)q->wait.n; break;
				case 2: x[p] = ev_quantile(q->serv.v, q->serv.n,
				    0.5); nn[p] = (int)q->serv.n; break;
				case 3: x[p] = ev_mean_of(&q->serv);
				    nn[p] = (int)q->serv.n; break;
				default: x[p] = q->tickets ? (double)q->card /
				    q->tickets : -1; nn[p] = q->tickets; break;
				}
				if (nn[p] < r->min_cell)
					x[p] = -1;
			}
			if (nn[0] == 0 && nn[1] == 0)
				continue;
			ev_fmt_min(b1, sizeof(b1), x[0]);
			ev_fmt_min(b2, sizeof(b2), x[1]);
			if (m == 4) {
				if (x[0] >= 0)
					snprintf(b1, sizeof(b1), "%.3f", x[0]);
				if (x[1] >= 0)
					snprintf(b2, sizeof(b2), "%.3f", x[1]);
			}
			b3[0] = '\0';
			if (x[0] >= 0 && x[1] >= 0) {
				double dd = x[1] - x[0];
				/* no "-0.0" */
				if (fabs(dd) < (m == 4 ? 0.0005 : 0.05))
					dd = 0;
				snprintf(b3, sizeof(b3), m == 4 ? "%+.3f" :
				    "%+.1f", dd);
			}
			snprintf(n1, sizeof(n1), "%d", nn[0]);
			snprintf(n2, sizeof(n2), "%d", nn[1]);
			vals[0] = sv;
			vals[1] = r->log.service_names[v];
			vals[2] = measures[m];
			vals[3] = per[0];
			vals[4] = n1;
			vals[5] = b1;
			vals[6] = per[1];
			vals[7] = n2;
			vals[8] = b2;
			vals[9] = b3;
			ev_table_row(&tb, vals);
			printf("%c %-22s %-20s %8s n=%-5d %8s n=%-5d %8s\n",
			    sv[0], m == 0 ? r->log.service_names[v] : "",
			    measures[m], b1[0] ? b1 : "-", nn[0],
			    b2[0] ? b2 : "-", nn[1], b3[0] ? b3 : "-");
			if (m == 0) {
				va[v][0] = x[0];
				va[v][1] = x[1];
			}
		}
		snprintf(lab[v], sizeof(lab[v]), "%c %s", r->log.services[v],
		    r->log.service_names[v]);
		lp[v] = lab[v];
		na[v] = c[0]->tickets + c[1]->tickets;
	}
	snprintf(r->period, sizeof(r->period), "%s..%s", range[0][0],
	    range[1][1]);
	if ((rc = ev_table_close(&tb, r->out, r->min_cell, r->period, err)) !=
	    K_OK)
		goto out;
	{
		double a[STORE_MAX_SERVICES], bb[STORE_MAX_SERVICES];
		for (v = 0; v < r->log.nservices; v++) {
			a[v] = va[v][0];
			bb[v] = va[v][1];
		}
		memset(&b, 0, sizeof(b));
		snprintf(sub, sizeof(sub), "A: %s  B: %s · n = 両期間の件数 / "
		    "tickets in both", per[0], per[1]);
		b.title = "待ち時間の中央値の比較 / Median wait, period A and B";
		b.subtitle = sub;
		b.axis = "分 / minutes";
		b.cat = lp;
		b.n = na;
		b.ncat = r->log.nservices;
		b.s[0].name = "期間A / period A";
		b.s[0].v = a;
		b.s[1].name = "期間B / period B";
		b.s[1].v = bb;
		b.nseries = 2;
		ev_chart_path(r, "compare", path, sizeof(path));
		rc = ev_chart_bars(&b, path, r->fmt, err);
	}
out:
	ev_cells_free(&cs[0]);
	ev_cells_free(&cs[1]);
	return rc;
}
