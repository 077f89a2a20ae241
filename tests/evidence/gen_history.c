/*
 * gen_history.c - write a history of known arrival rates and service times
 * into a real store, on a fake clock, for the evidence tests and the bench.
 *
 *   gen_history --db PATH --services SPEC --from YYYY-MM-DD --days N
 *               [--seed S] [--hours 9-17] [--profile flat|hall]
 *               [--weekends] SERVICE...
 *   SERVICE = L:rate=R[:dist=exp|lognorm][:sigma=S][:procs=ID/MIN,ID/MIN]
 *
 * Arrivals are Poisson with R an hour (times the hall profile by hour and
 * weekday with --profile hall) during the opening hours; each ticket picks
 * one of the service's procedures at random, and its service time is
 * exponential or log-normal (sigma S) with that procedure's mean minutes.
 * The counters of SPEC (server.services) call first come first served and
 * finish; every issue goes through store_issue(), so the wait promised at
 * issue is the live estimator's.  Prints the number of tickets.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "store.h"

#define MAXP 8
#define MAXC 64

struct svc {
	char letter;
	double rate;
	bool lognorm;
	double sigma;
	char proc[MAXP][32];
	double mean[MAXP];
	int nproc;
	int waiting;
};

static uint64_t rng_s = 1;

static double
unif(void)
{
	uint64_t z = (rng_s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double
expo(double mean)
{
	return -log(unif()) * mean;
}

static double
normal(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static void
die(const char *what, const struct kerr *err)
{
	fprintf(stderr, "gen_history: %s%s%s\n", what, err ? ": " : "",
	    err ? err->msg : "");
	exit(1);
}

static void
parse_service(const char *s, struct svc *v)
{
	char buf[512], *tok, *save;

	memset(v, 0, sizeof(*v));
	snprintf(buf, sizeof(buf), "%s", s);
	v->letter = buf[0];
	v->sigma = 0.8;
	if (buf[1] != ':')
		die("SERVICE: L:rate=...", NULL);
	for (tok = strtok_r(buf + 2, ":", &save); tok;
	    tok = strtok_r(NULL, ":", &save)) {
		if (strncmp(tok, "rate=", 5) == 0)
			v->rate = atof(tok + 5);
		else if (strcmp(tok, "dist=exp") == 0)
			v->lognorm = false;
		else if (strcmp(tok, "dist=lognorm") == 0)
			v->lognorm = true;
		else if (strncmp(tok, "sigma=", 6) == 0)
			v->sigma = atof(tok + 6);
		else if (strncmp(tok, "procs=", 6) == 0) {
			char *p, *s2;
			for (p = strtok_r(tok + 6, ",", &s2); p && v->nproc < MAXP;
			    p = strtok_r(NULL, ",", &s2)) {
				char *sl = strchr(p, '/');
				if (sl == NULL)
					die("procs=ID/MIN,...", NULL);
				*sl = '\0';
				snprintf(v->proc[v->nproc], 32, "%s", p);
				v->mean[v->nproc++] = atof(sl + 1);
			}
		} else
			die(tok, NULL);
	}
	if (v->rate <= 0 || v->nproc == 0)
		die("SERVICE needs rate= and procs=", NULL);
}

static double
service_time(const struct svc *v, int p)
{
	double m = v->mean[p];

	if (!v->lognorm)
		return expo(m);
	return exp(log(m) - v->sigma * v->sigma / 2 + v->sigma * normal());
}

/* hall profile: a morning peak, a lunch dip; Mondays and the day after a
 * holiday busiest */
static double
profile(int weekday, int hour)
{
	static const double h[24] = { [8] = 1.0, [9] = 1.4, [10] = 1.5,
		[11] = 1.2, [12] = 0.7, [13] = 1.0, [14] = 1.0, [15] = 0.9,
		[16] = 0.6, [17] = 0.5 };
	static const double w[7] = { 1.3, 1.0, 0.9, 1.0, 1.1, 0.8, 0.8 };

	return (h[hour] > 0 ? h[hour] : 1.0) * w[weekday];
}

struct counter {
	int number;
	char letter;                  /* first service it serves */
	int64_t busy_until;           /* 0: free */
	int64_t ticket;
};

int
main(int argc, char **argv)
{
	const char *db = NULL, *spec = NULL, *from = NULL, *prof = "flat";
	struct svc sv[STORE_MAX_SERVICES];
	struct counter ctr[MAXC] = { { 0 } };
	int nsv = 0, nctr = 0, days = 0, open_h = 9, close_h = 17, i, d;
	bool weekends = false;
	long total = 0;
	struct store *st;
	struct store_config sc;
	const struct store_service *ss;
	size_t nss, k;
	struct kerr err;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--services") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = argv[++i];
		else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
			days = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			rng_s = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--hours") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%d-%d", &open_h, &close_h) != 2)
				die("--hours H-H", NULL);
		} else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			prof = argv[++i];
		else if (strcmp(argv[i], "--weekends") == 0)
			weekends = true;
		else if (argv[i][0] != '-' && nsv < STORE_MAX_SERVICES)
			parse_service(argv[i], &sv[nsv++]);
		else
			die("usage: see tests/evidence/gen_history.c", NULL);
	}
	if (!db || !spec || !from || days < 1 || nsv == 0 ||
	    ev_day_parse(from) < 0)
		die("--db, --services, --from, --days and a SERVICE are needed",
		    NULL);
	memset(&sc, 0, sizeof(sc));
	sc.services = spec;
	sc.noshow_after_recalls = 3;
	sc.estimate_samples = 10;
	if (store_open(&st, db, &sc, &err) != K_OK)
		die(db, &err);
	ss = store_services(st, &nss);
	for (k = 0; k < nss; k++)
		for (i = 0; i < ss[k].ncounters && nctr < MAXC; i++) {
			ctr[nctr].number = ss[k].counters[i];
			ctr[nctr].letter = ss[k].letter;
			nctr++;
		}
	for (d = ev_day_parse(from); d < ev_day_parse(from) + days; d++) {
		int wd = ev_weekday(d);
		int64_t day0 = (int64_t)d * 86400000 - 9LL * 3600000;
		int64_t next[STORE_MAX_SERVICES], close_ms = day0 +
		    (int64_t)close_h * 3600000;

		if (wd >= 5 && !weekends)
			continue;
		/* first arrival of each service: thinning on the peak rate */
		for (i = 0; i < nsv; i++) {
			sv[i].waiting = 0;
			next[i] = day0 + (int64_t)open_h * 3600000;
		}
		for (i = 0; i < nsv; i++) {
			double peak = sv[i].rate * (strcmp(prof, "hall") ? 1 : 1.5 *
			    1.3);
			int64_t t = next[i];
			for (;;) {
				int hr;
				t += (int64_t)(expo(3600000.0 / peak));
				hr = (int)((t - day0) / 3600000);
				if (t >= close_ms)
					break;
				if (strcmp(prof, "hall") != 0 || unif() <
				    sv[i].rate * profile(wd, hr) / peak)
					break;
			}
			next[i] = t;
		}
		for (;;) {
			int64_t ta = INT64_MAX, tf = INT64_MAX;
			int ia = -1, ic = -1;
			struct store_ticket t;

			for (i = 0; i < nsv; i++)
				if (next[i] < close_ms && next[i] < ta) {
					ta = next[i];
					ia = i;
				}
			for (i = 0; i < nctr; i++)
				if (ctr[i].busy_until && ctr[i].busy_until < tf) {
					tf = ctr[i].busy_until;
					ic = i;
				}
			if (ia < 0 && ic < 0)
				break;
			if (ic >= 0 && tf <= ta) {
				if (store_done(st, ctr[ic].ticket, NULL, tf, &t,
				    &err) != K_OK)
					die("done", &err);
				store_ticket_clear(&t);
				ctr[ic].busy_until = 0;
				ta = tf;
			} else {
				struct store_issue_req rq;
				struct svc *v = &sv[ia];
				int p = (int)(unif() * v->nproc);
				double u = unif();
				double peak = v->rate * (strcmp(prof, "hall") ?
				    1 : 1.5 * 1.3);

				memset(&rq, 0, sizeof(rq));
				rq.procedure = v->proc[p];
				rq.service = v->letter;
				rq.default_min = (int)(v->mean[p] + 0.5);
				rq.lang = u < 0.85 ? "ja" : u < 0.92 ? "en" :
				    u < 0.97 ? "vi" : "zh";
				rq.flags = (unif() < 0.4 ? STORE_F_CARD : 0) |
				    (unif() < 0.05 ? STORE_F_ASSIST : 0);
				if (store_issue(st, &rq, ta, &t, &err) != K_OK)
					die("issue", &err);
				store_ticket_clear(&t);
				v->waiting++;
				total++;
				/* next arrival of this service */
				for (;;) {
					int hr;
					next[ia] += (int64_t)(expo(3600000.0 /
					    peak));
					hr = (int)((next[ia] - day0) / 3600000);
					if (next[ia] >= close_ms)
						break;
					if (strcmp(prof, "hall") != 0 || unif() <
					    v->rate * profile(wd, hr) / peak)
						break;
				}
			}
			/* free counters call the next one, now */
			for (i = 0; i < nctr; i++) {
				int s, p;
				if (ctr[i].busy_until)
					continue;
				for (s = 0; s < nsv && sv[s].letter !=
				    ctr[i].letter; s++)
					;
				if (s == nsv || sv[s].waiting == 0)
					continue;
				if (store_call_next(st, ctr[i].number, NULL, ta,
				    &t, &err) != K_OK)
					die("call", &err);
				sv[s].waiting--;
				for (p = 0; p < sv[s].nproc &&
				    strcmp(sv[s].proc[p], t.procedure); p++)
					;
				if (p == sv[s].nproc)
					p = 0;
				ctr[i].ticket = t.id;
				ctr[i].busy_until = ta + 1 + (int64_t)(service_time(
				    &sv[s], p) * 60000.0);
				store_ticket_clear(&t);
			}
		}
	}
	store_close(st);
	printf("%ld\n", total);
	return 0;
}
