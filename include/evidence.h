/*
 * evidence.h - the wait-time log as evidence (kiosk/evidence/): open data,
 * how right the promised wait was, how many counters each hour needs
 * (Erlang C, checked by a replay simulation), charts.
 *
 * The log is read through store_log() only (DESIGN.md §2): never the
 * applications table, so nothing here can hold personal data.  Times are
 * Asia/Tokyo (UTC+9, no daylight saving): "day" is the service day.
 */
#ifndef EVIDENCE_H
#define EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"
#include "store.h"

/* What the server needs to show the figures (from the config). */
struct ev_params {
	int estimate_samples;         /* server.estimate_samples */
	double naive_min;             /* evidence.naive_min_per_person */
	int target_min;               /* evidence.target_wait_min */
	double target_share;          /* evidence.target_share */
	int history_weeks;            /* evidence.history_weeks */
	int min_cell;                 /* evidence.min_cell */
};

/* One ticket of the log, compact (a year of a busy hall is ~150,000). */
struct ev_ticket {
	int64_t issued_ms;
	int64_t called_ms;            /* first call; 0: never called */
	int64_t serv_from_ms;         /* service start (start, else last call) */
	int64_t finished_ms;
	int day;                      /* days since 1970-01-01 (JST) */
	int counter;
	int16_t proc;                 /* index into ev_log.procs */
	int16_t lang;                 /* index into ev_log.langs */
	int16_t promised_min;         /* the wait printed on it; -1: unknown */
	int16_t ahead;                /* people ahead at issue; -1: unknown */
	int16_t default_min;          /* the procedure's minutes at issue */
	uint8_t site;                 /* index of the --db it came from */
	uint8_t flags;                /* STORE_F_* */
	uint8_t state;                /* enum store_state */
	char service;                 /* issued for */
	char final_service;           /* after transfers */
	int8_t weekday;               /* 0 = Monday */
	int8_t hour;                  /* of issue, 0..23 */
};

#define EV_MAX_PROCS 256
#define EV_MAX_LANGS 32
#define EV_MAX_SITES 16

struct ev_log {
	struct ev_ticket *t;          /* by site, day, issue time */
	size_t n, cap;
	char procs[EV_MAX_PROCS][64];
	int nprocs;
	char langs[EV_MAX_LANGS][16];
	int nlangs;
	char sites[EV_MAX_SITES][64];
	int nsites;
	char services[STORE_MAX_SERVICES];  /* letters seen, in config order */
	char service_names[STORE_MAX_SERVICES][STORE_NAME_MAX];
	int service_counters[STORE_MAX_SERVICES]; /* configured counters */
	int nservices;
};

/* Append the tickets of days from..to of one store (site name for the
 * city-wide files).  Procedures, languages and services are merged by
 * name across sites. */
int ev_log_add(struct ev_log *log, struct store *st, const char *site,
    const char *from_day, const char *to_day, struct kerr *err);
void ev_log_free(struct ev_log *log);
int ev_service_index(const struct ev_log *log, char letter);

/* Minutes, -1 when not applicable. */
double ev_wait_min(const struct ev_ticket *t);
double ev_service_min(const struct ev_ticket *t);

/* JST calendar helpers. */
int ev_day_of_ms(int64_t ms);
int ev_day_parse(const char *ymd);             /* -1 when malformed */
void ev_day_format(int day, char out[11]);
int ev_weekday(int day);                       /* 0 = Monday */
extern const char *const ev_weekday_ja[7];     /* "月" */
extern const char *const ev_weekday_en[7];     /* "Mon" */

/* Quantile of v[0..n) (sorted in place): the median is the mean of the
 * middle two, other quantiles nearest rank; -1 when n is 0. */
double ev_quantile(double *v, size_t n, double q);

/* ---- estimate accuracy (accuracy.c) ---- */

enum { EV_M_PROMISED, EV_M_NAIVE, EV_M_V1, EV_M_CURRENT, EV_NMETHODS };
extern const char *const ev_method_names[EV_NMETHODS];

struct ev_acc_cell {
	int n[EV_NMETHODS];
	double abs_sum[EV_NMETHODS], err_sum[EV_NMETHODS];
	int within5[EV_NMETHODS];
};

struct ev_accuracy {
	struct ev_acc_cell cell[STORE_MAX_SERVICES][25];  /* [24]: all hours */
};

/* samples: server.estimate_samples; naive_min: minutes per person ahead */
void ev_accuracy(const struct ev_log *log, int samples, double naive_min,
    struct ev_accuracy *out);

/* ---- queueing theory (staffing.c) ---- */

/* Erlang C: probability that an arrival waits, for c counters and offered
 * load a = lambda / mu (erlangs); 1 when c <= a. */
double ev_erlang_c(int c, double a);
/* P(wait <= t) in M/M/c: 1 - C(c, a) exp(-(c mu - lambda) t). */
double ev_mmc_within(int c, double lambda, double mu, double t);
/* Mean wait in queue (same time unit as 1/mu); -1 when unstable. */
double ev_mmc_mean_wait(int c, double lambda, double mu);
/* Fewest counters with P(wait <= t) >= share (at most max; max+1 if even
 * max is not enough). */
int ev_counters_needed(double lambda, double mu, double t, double share,
    int max);

struct ev_staff_cell {
	int arrivals;                 /* tickets in the cell over the period */
	int days;                     /* open days of that weekday */
	double lambda;                /* arrivals an hour */
	double mean_service_min;      /* of the service, over the period */
	double cv;                    /* coefficient of variation of it */
	int needed;                   /* counters for the target */
	double within;                /* P(wait <= target) with `needed` */
	double rho;                   /* utilisation with `needed` */
	unsigned notes;               /* EV_NOTE_* */
};

enum {
	EV_NOTE_FEW = 1,              /* fewer than 20 tickets behind it */
	EV_NOTE_CV = 2,               /* service times far from exponential */
	EV_NOTE_RHO = 4,              /* above 85 %: queue carries over hours */
	EV_NOTE_NOSHOW = 8,           /* over 10 % no-shows */
};

struct ev_staffing {
	/* [site][service][weekday][hour] */
	struct ev_staff_cell (*cell)[STORE_MAX_SERVICES][7][24];
	int nsites;
};

/* Counters needed per weekday and hour for P(wait <= target_min) >=
 * share, from the log's arrival rates and service times. */
void ev_staffing(const struct ev_log *log, double target_min, double share,
    struct ev_staffing *out);
void ev_staffing_free(struct ev_staffing *s);

/* ---- the replay simulation (simulate.c) ---- */

struct ev_sim_opts {
	int counters[STORE_MAX_SERVICES];  /* per ev_log service index */
	uint64_t seed;
	double target_min;                 /* for the share within target */
};

struct ev_sim_cell {
	int tickets;
	double wait_sum, wait_sq;          /* minutes */
	int within;                        /* called within target_min */
};

struct ev_sim_result {
	/* [service][hour]; [service][24] is the whole day */
	struct ev_sim_cell cell[STORE_MAX_SERVICES][25];
	/* mean wait per simulated day of each service, for the confidence
	 * interval (days as independent batches) */
	double *day_mean[STORE_MAX_SERVICES];
	int ndays[STORE_MAX_SERVICES];
	double *waits[STORE_MAX_SERVICES];  /* every simulated wait (p90) */
	size_t nwaits[STORE_MAX_SERVICES];
};

/* Replay the log's arrivals (each service on its own counters, first come
 * first served, every day starting empty) with service times drawn with
 * the seed from that service's recorded service times.  Deterministic for
 * a seed. */
int ev_simulate(const struct ev_log *log, const struct ev_sim_opts *o,
    struct ev_sim_result *out, struct kerr *err);
void ev_sim_free(struct ev_sim_result *r);
/* Mean of the day means and the half-width of its 95 % interval. */
void ev_sim_ci(const struct ev_sim_result *r, int service, double *mean,
    double *half);

#endif
