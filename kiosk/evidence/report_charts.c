/*
 * report_charts.c - part of `kiosk report` (report.c): the chart set drawn
 * from the aggregated cells, the accuracy and the staffing advice
 * (chart.c draws).
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

/* ---- charts ---- */

int
ev_chart_path(struct report *r, const char *name, char *out, size_t n)
{
	return snprintf(out, n, "%s/%s", r->out, name);
}

int
ev_write_charts(struct report *r, struct cells *all_hour, struct cells *all_wd,
    struct cells *proc, const struct ev_accuracy *acc,
    const struct ev_staffing *sf, struct kerr *err)
{
	static char labels[64][64];
	static const char *lp[64];
	double v[64], vm[EV_NMETHODS][25];
	int n[64], nh = r->hour_hi - r->hour_lo + 1, i, k, m, rc, s, w, h;
	char path[1024], sub[256];
	struct ev_bars b;
	size_t j;

	snprintf(sub, sizeof(sub), "%s – %s · %s%s · 件数 n = tickets · "
	    "%d 件未満は非表示 / cells under %d tickets hidden", r->from, r->to,
	    r->log.sites[0], r->log.nsites > 1 ? " ほか / and others" : "",
	    r->min_cell, r->min_cell);
	for (i = 0; i < 64; i++)
		lp[i] = labels[i];
	/* median wait by hour (all services; all_hour keyed by "HH") */
	for (i = 0; i < nh; i++) {
		snprintf(labels[i], 64, "%d時", r->hour_lo + i);
		v[i] = -1;
		n[i] = 0;
	}
	for (j = 0; j < all_hour->n; j++) {
		struct cell *c = &all_hour->c[j];
		i = atoi(c->key) - r->hour_lo;
		if (i < 0 || i >= nh)
			continue;
		n[i] = c->tickets;
		v[i] = c->tickets >= r->min_cell ? ev_quantile(c->wait.v,
		    c->wait.n, 0.5) : -1;
	}
	memset(&b, 0, sizeof(b));
	b.title = "待ち時間の中央値（時台別） / Median wait by hour of issue";
	b.subtitle = sub;
	b.axis = "分 / minutes";
	b.cat = lp;
	b.n = n;
	b.ncat = nh;
	b.s[0].name = "中央値 / median";
	b.s[0].v = v;
	b.nseries = 1;
	b.note = "待ち時間 = 発券から最初の呼出しまで / wait = issue to first "
	    "call. 開庁時間のみ / opening hours only.";
	ev_chart_path(r, "wait_by_hour", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* by weekday: the weekdays with tickets */
	k = 0;
	for (j = 0; j < all_wd->n && k < 7; j++) {
		struct cell *c = &all_wd->c[j];
		int wd = atoi(c->key) - 1;
		snprintf(labels[k], 64, "%s %s", ev_weekday_ja[wd],
		    ev_weekday_en[wd]);
		n[k] = c->tickets;
		v[k] = c->tickets >= r->min_cell ? ev_quantile(c->wait.v,
		    c->wait.n, 0.5) : -1;
		k++;
	}
	b.title = "待ち時間の中央値（曜日別） / Median wait by weekday";
	b.ncat = k;
	ev_chart_path(r, "wait_by_weekday", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* by procedure: names, busiest first are at the top */
	k = 0;
	for (j = 0; j < proc->n && k < 40; j++) {
		struct cell *c = &proc->c[j];
		char *key = xstrdup(c->key), *f[2] = { NULL, NULL };
		if (ev_split_key(key, f, 2) < 2)
			f[1] = key;
		snprintf(labels[k], 64, "%s", ev_proc_name(r, atoi(f[1]), "ja"));
		free(key);
		n[k] = c->tickets;
		v[k] = c->suppressed ? -1 : ev_quantile(c->wait.v, c->wait.n,
		    0.5);
		k++;
	}
	b.title = "待ち時間の中央値（手続別） / Median wait by procedure";
	b.ncat = k;
	b.horizontal = true;
	ev_chart_path(r, "wait_by_procedure", path, sizeof(path));
	if ((rc = ev_chart_bars(&b, path, r->fmt, err)) != K_OK)
		return rc;
	/* accuracy: mean absolute error by hour, all services together */
	b.horizontal = false;
	for (i = 0; i < nh; i++) {
		snprintf(labels[i], 64, "%d時", r->hour_lo + i);
		n[i] = 0;
	}
	for (m = 0; m < EV_NMETHODS; m++)
		for (i = 0; i < nh; i++) {
			int cnt = 0;
			double sum = 0;
			for (s = 0; s < r->log.nservices; s++) {
				cnt += acc->cell[s][r->hour_lo + i].n[m];
				sum += acc->cell[s][r->hour_lo + i].abs_sum[m];
			}
			vm[m][i] = cnt >= r->min_cell ? sum / cnt : -1;
			if (m == EV_M_NAIVE)
				n[i] = cnt;
		}
	{
		static const char *const mnames[EV_NMETHODS] = {
			"券に表示した予測 / promised",
			"単純 (人数×定数) / naive",
			"旧式 / first formula",
			"現行式 / current formula",
		};
		b.nseries = 0;
		for (m = 0; m < EV_NMETHODS; m++) {
			bool any = false;
			for (i = 0; i < nh; i++)
				any |= vm[m][i] >= 0;
			if (!any)
				continue;
			b.s[b.nseries].name = mnames[m];
			b.s[b.nseries].v = vm[m];
			b.nseries++;
		}
	}
	b.title = "待ち時間予測の平均絶対誤差（時台別） / Mean absolute error "
	    "of the wait estimate by hour";
	b.ncat = nh;
	b.note = "小さいほど正確 / lower is better. 誤差 = 予測 − 実際の待ち時間 "
	    "/ error = estimate − actual wait.";
	ev_chart_path(r, "accuracy_by_hour", path, sizeof(path));
	if (b.nseries > 0 && (rc = ev_chart_bars(&b, path, r->fmt, err)) !=
	    K_OK)
		return rc;
	/* staffing heat-maps: weekdays with tickets x opening hours */
	for (s = 0; s < sf->nsites; s++)
		for (k = 0; k < r->log.nservices; k++) {
			static const char *rows[7], *cols[24];
			static char rl[7][32], cl[24][16];
			double hv[7 * 24], vmax = 1;
			int nr = 0, wdays[7];
			struct ev_heat hm;
			char title[256], name[64], legend[256];

			for (w = 0; w < 7; w++) {
				bool open = false;
				for (h = 0; h < 24; h++)
					open |= sf->cell[s][k][w][h].arrivals > 0;
				if (open)
					wdays[nr++] = w;
			}
			if (nr == 0)
				continue;
			for (i = 0; i < nr; i++) {
				snprintf(rl[i], sizeof(rl[i]), "%s %s",
				    ev_weekday_ja[wdays[i]],
				    ev_weekday_en[wdays[i]]);
				rows[i] = rl[i];
				for (h = 0; h < nh; h++) {
					const struct ev_staff_cell *c = &sf->cell
					    [s][k][wdays[i]][r->hour_lo + h];
					hv[i * nh + h] = c->arrivals >=
					    r->min_cell && c->needed > 0 ?
					    c->needed : -1;
					if (hv[i * nh + h] > vmax)
						vmax = hv[i * nh + h];
				}
			}
			for (h = 0; h < nh; h++) {
				snprintf(cl[h], sizeof(cl[h]), "%d時",
				    r->hour_lo + h);
				cols[h] = cl[h];
			}
			snprintf(title, sizeof(title), "必要窓口数 %c %s / "
			    "Counters needed", r->log.services[k],
			    r->log.service_names[k]);
			snprintf(legend, sizeof(legend), "目標: %.0f%% を %s 分以内に"
			    "呼出し / target: %.0f %% called within %s min · "
			    "Erlang C (M/M/c) · ▲ 設定 %d 窓口より多い / more "
			    "than the %d configured",
			    config_double(r->cfg, "evidence.target_share") * 100,
			    config_str(r->cfg, "evidence.target_wait_min"),
			    config_double(r->cfg, "evidence.target_share") * 100,
			    config_str(r->cfg, "evidence.target_wait_min"),
			    r->log.service_counters[k], r->log.service_counters[k]);
			memset(&hm, 0, sizeof(hm));
			hm.title = title;
			hm.subtitle = sub;
			hm.legend = legend;
			hm.rows = rows;
			hm.cols = cols;
			hm.nrows = nr;
			hm.ncols = nh;
			hm.v = hv;
			hm.vmax = vmax;
			hm.mark_above = r->log.service_counters[k];
			hm.note = "空欄: 件数が少ない / blank: too few tickets. "
			    "注記は staffing.csv の notes / see notes in "
			    "staffing.csv. 確認は kiosk simulate / check with "
			    "kiosk simulate.";
			if (sf->nsites > 1)
				snprintf(name, sizeof(name), "staffing_%d_%c", s,
				    r->log.services[k]);
			else
				snprintf(name, sizeof(name), "staffing_%c",
				    r->log.services[k]);
			ev_chart_path(r, name, path, sizeof(path));
			if ((rc = ev_chart_heat(&hm, path, r->fmt, err)) != K_OK)
				return rc;
		}
	return K_OK;
}
