/*
 * kiosk_watch.c - the kiosk's own heartbeat and idle printer check, on a
 * thread of their own (see kiosk_watch.h).  The printer check goes through
 * print_query_status(), which holds the print module's lock: it never
 * interleaves with a ticket being printed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk_watch.h"
#include "print.h"
#include "qclient.h"
#include "xmalloc.h"

struct kiosk_watch {
	struct kiosk_watch_opts o;
	char kiosk[64];
	struct print_opts popts;
	bool have_popts;             /* a printer for reprints */
	bool have_printer;           /* ... and checks of it while idle */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stopping;
	struct kiosk_watch_stats stats;
	/* thread-only state */
	char printer_state[48];      /* what the heartbeat reports */
	char printer_alerted[48];    /* the state last raised ("" none) */
	int64_t down_since_ms;       /* first missed heartbeat, 0: none */
	int missed;
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
alert(struct kiosk_watch *w, const char *kind, const char *detail)
{
	struct kerr err;

	if (qclient_alert(w->o.qc, w->kiosk, kind, NULL, detail, NULL, &err) !=
	    K_OK) {
		klog("warn", "watch", "alert %s not sent: %s", kind, err.msg);
		return;
	}
	klog("info", "watch", "alert %s (%s) sent", kind, detail ? detail : "");
	pthread_mutex_lock(&w->mu);
	w->stats.alerts_sent++;
	pthread_mutex_unlock(&w->mu);
}

/* The printer's state as one word list, and the alert it deserves. */
static void
check_printer(struct kiosk_watch *w)
{
	struct print_result res;
	struct kerr err;
	char state[48];
	const char *kind = NULL;

	print_query_status(&w->popts, &res, &err);
	if (!res.status_known && res.reason == PRINT_R_NONE) {
		snprintf(w->printer_state, sizeof(w->printer_state), "unknown");
		return;                 /* file: and cups: cannot tell */
	}
	if (res.reason == PRINT_R_NONE)
		print_flags_text(res.flags, state, sizeof(state));
	else if (res.status_known && res.flags != 0)
		print_flags_text(res.flags, state, sizeof(state));
	else
		snprintf(state, sizeof(state), "%s",
		    print_reason_name(res.reason));
	snprintf(w->printer_state, sizeof(w->printer_state), "%s", state);
	pthread_mutex_lock(&w->mu);
	w->stats.printer_checks++;
	snprintf(w->stats.printer, sizeof(w->stats.printer), "%s", state);
	pthread_mutex_unlock(&w->mu);
	if (res.reason == PRINT_R_PAPER_OUT)
		kind = "printer_paper";
	else if (res.reason != PRINT_R_NONE)
		kind = "printer_offline";
	else if (res.flags & PRINT_F_NEAR_END)
		kind = "paper_low";
	if (kind == NULL) {
		w->printer_alerted[0] = '\0';   /* fixed: a new fault is news */
		return;
	}
	if (strcmp(w->printer_alerted, state) == 0)
		return;                 /* said already; the server keeps it */
	snprintf(w->printer_alerted, sizeof(w->printer_alerted), "%s", state);
	alert(w, kind, state);
}

static void
heartbeat(struct kiosk_watch *w, int64_t now)
{
	struct kerr err;
	int rc;

	struct qclient_reprint rp[4];
	size_t nrp = 0, i;

	rc = qclient_heartbeat(w->o.qc, w->kiosk, w->printer_state[0] ?
	    w->printer_state : NULL, rp, ARRAY_SIZE(rp), &nrp, &err);
	pthread_mutex_lock(&w->mu);
	if (rc == K_OK)
		w->stats.heartbeats_ok++;
	else
		w->stats.heartbeats_failed++;
	pthread_mutex_unlock(&w->mu);
	if (rc != K_OK) {
		if (w->missed++ == 0) {
			w->down_since_ms = now;
			klog("warn", "watch", "heartbeat failed: %s", err.msg);
		}
		return;
	}
	if (w->missed >= 2) {
		char detail[32];
		snprintf(detail, sizeof(detail), "down_%llds",
		    (long long)((now - w->down_since_ms) / 1000));
		alert(w, "server_link", detail);
	}
	w->missed = 0;
	w->down_since_ms = 0;
	/* reprints staff asked for at the console: "再発行 / REPRINT" on the
	 * paper; the answer says how it went, and a failure is an alert too */
	for (i = 0; i < nrp && w->have_popts; i++) {
		struct print_result res;
		int prc = print_ticket(&w->popts, &rp[i].t, &res, &err);
		const char *why = prc == K_OK ? NULL : print_reason_name(res.reason);

		klog(prc == K_OK ? "info" : "warn", "watch", "reprint of %s: %s",
		    rp[i].t.number, prc == K_OK ? "printed" : why);
		pthread_mutex_lock(&w->mu);
		w->stats.reprints++;
		pthread_mutex_unlock(&w->mu);
		if (qclient_reprint_done(w->o.qc, w->kiosk, rp[i].id, prc == K_OK,
		    why, &err) != K_OK)
			klog("warn", "watch", "reprint answer: %s", err.msg);
		if (prc != K_OK && qclient_alert(w->o.qc, w->kiosk, "printer",
		    rp[i].t.number, why, NULL, &err) != K_OK)
			klog("warn", "watch", "printer alert: %s", err.msg);
	}
}

static void *
watch_main(void *arg)
{
	struct kiosk_watch *w = arg;
	int64_t next_beat = mono_ms(), next_check = mono_ms(), now, next;
	struct timespec ts;

	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->mu);
		now = mono_ms();
		/* the printer first: the heartbeat then carries its state */
		if (w->have_printer && now >= next_check) {
			check_printer(w);
			next_check = now + (int64_t)w->o.printer_check_s * 1000;
		}
		if (w->o.heartbeat_s > 0 && now >= next_beat) {
			heartbeat(w, now);
			next_beat = now + (int64_t)w->o.heartbeat_s * 1000;
		}
		next = w->o.heartbeat_s > 0 ? next_beat : INT64_MAX;
		if (w->have_printer && next_check < next)
			next = next_check;
		pthread_mutex_lock(&w->mu);
		while (!w->stopping && mono_ms() < next) {
			int64_t wait = next - mono_ms();
			clock_gettime(CLOCK_REALTIME, &ts);
			if (wait > 1000)
				wait = 1000;
			ts.tv_nsec += (long)(wait % 1000) * 1000000;
			ts.tv_sec += (time_t)(wait / 1000) + ts.tv_nsec / 1000000000;
			ts.tv_nsec %= 1000000000;
			pthread_cond_timedwait(&w->cond, &w->mu, &ts);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int
kiosk_watch_start(struct kiosk_watch **out, const struct kiosk_watch_opts *o,
    struct kerr *err)
{
	struct kiosk_watch *w;

	*out = NULL;
	if (o->qc == NULL || o->kiosk == NULL)
		return kerr_set(err, K_EINVAL, "kiosk watch: no server or id");
	if (o->heartbeat_s <= 0 && (o->popts == NULL || o->printer_check_s <= 0))
		return K_OK;            /* nothing to do: no thread */
	w = xcalloc(1, sizeof(*w));
	w->o = *o;
	snprintf(w->kiosk, sizeof(w->kiosk), "%s", o->kiosk);
	w->o.kiosk = w->kiosk;
	if (o->popts != NULL) {
		w->popts = *o->popts;
		w->have_popts = true;
		w->have_printer = o->printer_check_s > 0;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return kerr_set(err, K_EFAIL, "kiosk watch: cannot start a thread");
	}
	*out = w;
	return K_OK;
}

void
kiosk_watch_stop(struct kiosk_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

void
kiosk_watch_stats(struct kiosk_watch *w, struct kiosk_watch_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	*out = w->stats;
	pthread_mutex_unlock(&w->mu);
}
