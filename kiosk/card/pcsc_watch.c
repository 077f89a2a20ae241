/*
 * pcsc_watch.c - the card watcher: a worker thread blocked in
 * SCardGetStatusChange on the readers and pcscd's reader-list
 * notification, reporting insert / remove / reader gone.  card_watch_stop()
 * wakes it at once with SCardCancel.
 *
 * Every wake-up re-lists the readers, so a reader unplugged and plugged
 * back is picked up again; when pcscd goes away (SCARD_E_NO_SERVICE and
 * friends) the context is dropped and re-established every second until
 * the service is back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winscard.h>

#include "card.h"
#include "pcsc_int.h"
#include "xmalloc.h"

#define WATCH_MAX_READERS	8
#define WATCH_RETRY_MS		1000
#define WATCH_WAIT_MS		60000	/* re-list at least this often */

enum watch_state { WS_UNKNOWN, WS_NO_READER, WS_EMPTY, WS_PRESENT };

struct card_watch {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, exited;
	bool have_ctx;
	SCARDCONTEXT ctx;
	char *want;			/* NULL: any reader */
	card_watch_fn *fn;
	void *arg;
	enum watch_state state;
	char reader[128];		/* reader holding the card */
	/* last known state per reader name, to wait for the next change */
	struct {
		char name[128];
		DWORD state;
	} known[WATCH_MAX_READERS];
	size_t nknown;
	DWORD pnp_state;
};

static void
watch_report(struct card_watch *w, enum watch_state now, const char *reader)
{
	enum watch_state was = w->state;
	enum card_event ev;

	if (now == was && (now != WS_PRESENT || strcmp(reader, w->reader) == 0))
		return;
	switch (now) {
	case WS_PRESENT:
		ev = CARD_EV_INSERTED;
		break;
	case WS_EMPTY:
		ev = was == WS_PRESENT ? CARD_EV_REMOVED : CARD_EV_EMPTY;
		break;
	default:
		ev = CARD_EV_NO_READER;
		break;
	}
	w->state = now;
	snprintf(w->reader, sizeof(w->reader), "%s", reader ? reader : "");
	klog("debug", "card", "watch: %s%s%s", card_event_name(ev),
	    reader && *reader ? " in " : "", reader ? reader : "");
	w->fn(w->arg, ev, reader);
}

static bool
watch_sleep(struct card_watch *w, int ms)
{
	struct timespec ts;
	bool stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->mu);
	while (!w->stop)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT)
			break;
	stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}

static void
watch_drop_ctx(struct card_watch *w)
{
	pthread_mutex_lock(&w->mu);
	if (w->have_ctx) {
		SCardReleaseContext(w->ctx);
		w->have_ctx = false;
	}
	pthread_mutex_unlock(&w->mu);
	w->nknown = 0;
	w->pnp_state = 0;
}

static bool
watch_service_gone(LONG rv)
{
	return rv == (LONG)SCARD_E_NO_SERVICE ||
	    rv == (LONG)SCARD_E_SERVICE_STOPPED ||
	    rv == (LONG)SCARD_E_INVALID_HANDLE ||
	    rv == (LONG)SCARD_F_COMM_ERROR ||
	    rv == (LONG)SCARD_E_NO_MEMORY;
}

static DWORD
watch_known(struct card_watch *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nknown; i++)
		if (strcmp(w->known[i].name, name) == 0)
			return w->known[i].state;
	return SCARD_STATE_UNAWARE;
}

/* One round: list, evaluate, report, wait for a change.  false: stop. */
static bool
watch_round(struct card_watch *w)
{
	SCARD_READERSTATE st[WATCH_MAX_READERS + 1];
	char *list = NULL;
	const char *r, *holder = NULL;
	DWORD n = 0, i;
	bool any = false;
	LONG rv;
	int rc;

	rc = pcsc_readers(w->ctx, &list, NULL);
	if (rc != K_OK && rc != K_ENODEV)
		return !watch_sleep(w, WATCH_RETRY_MS);
	if (list != NULL) {
		/* With a name, only the reader apdu_pcsc_open() would pick. */
		const char *only = w->want != NULL ? pcsc_match(list, w->want) :
		    NULL;

		for (r = list; *r != '\0' && n < WATCH_MAX_READERS;
		    r += strlen(r) + 1) {
			if (w->want != NULL && r != only)
				continue;
			memset(&st[n], 0, sizeof(st[n]));
			st[n].szReader = r;
			st[n].dwCurrentState = watch_known(w, r);
			n++;
		}
	}
	memset(&st[n], 0, sizeof(st[n]));
	st[n].szReader = "\\\\?PnP?\\Notification";
	st[n].dwCurrentState = w->pnp_state;

	/* The state now (no wait), so the report reflects the present. */
	if (n > 0) {
		rv = SCardGetStatusChange(w->ctx, 0, st, n);
		if (watch_service_gone(rv)) {
			free(list);
			watch_drop_ctx(w);
			watch_report(w, WS_NO_READER, NULL);
			return true;
		}
		if (rv != SCARD_S_SUCCESS && rv != (LONG)SCARD_E_TIMEOUT) {
			/* a reader vanished between list and look: again */
			free(list);
			w->nknown = 0;
			return !watch_sleep(w, WATCH_RETRY_MS / 10);
		}
		for (i = 0; i < n; i++) {
			DWORD ev = st[i].dwEventState;

			if (rv == SCARD_S_SUCCESS && (ev & SCARD_STATE_CHANGED))
				st[i].dwCurrentState = ev & ~SCARD_STATE_CHANGED;
			if (st[i].dwCurrentState & (SCARD_STATE_UNKNOWN |
			    SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE))
				continue;
			any = true;
			if (holder == NULL &&
			    (st[i].dwCurrentState & SCARD_STATE_PRESENT))
				holder = st[i].szReader;
		}
	}
	if (holder != NULL)
		watch_report(w, WS_PRESENT, holder);
	else
		watch_report(w, any ? WS_EMPTY : WS_NO_READER, NULL);

	w->nknown = 0;
	for (i = 0; i < n; i++) {
		snprintf(w->known[w->nknown].name, sizeof(w->known[0].name),
		    "%s", st[i].szReader);
		w->known[w->nknown++].state = st[i].dwCurrentState;
	}

	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		free(list);
		return false;
	}
	pthread_mutex_unlock(&w->mu);
	rv = SCardGetStatusChange(w->ctx, WATCH_WAIT_MS, st, n + 1);
	if (rv == SCARD_S_SUCCESS) {
		for (i = 0; i < n; i++)
			w->known[i].state =
			    st[i].dwEventState & ~SCARD_STATE_CHANGED;
		w->pnp_state = st[n].dwEventState & ~SCARD_STATE_CHANGED;
	}
	free(list);
	if (watch_service_gone(rv)) {
		watch_drop_ctx(w);
		watch_report(w, WS_NO_READER, NULL);
	} else if (rv == (LONG)SCARD_E_UNKNOWN_READER ||
	    rv == (LONG)SCARD_E_READER_UNAVAILABLE) {
		w->nknown = 0;	/* a reader went away: list again */
	} else if (rv != SCARD_S_SUCCESS && rv != (LONG)SCARD_E_TIMEOUT &&
	    rv != (LONG)SCARD_E_CANCELLED) {
		klog("debug", "card", "watch: SCardGetStatusChange 0x%08lX",
		    (unsigned long)rv);
		return !watch_sleep(w, WATCH_RETRY_MS / 10);
	}
	return true;
}

static void *
watch_main(void *p)
{
	struct card_watch *w = p;
	SCARDCONTEXT ctx;
	LONG rv;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		if (w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		if (!w->have_ctx) {
			pthread_mutex_unlock(&w->mu);
			rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL,
			    NULL, &ctx);
			if (rv != SCARD_S_SUCCESS) {
				watch_report(w, WS_NO_READER, NULL);
				if (watch_sleep(w, WATCH_RETRY_MS))
					break;
				continue;
			}
			pthread_mutex_lock(&w->mu);
			w->ctx = ctx;
			w->have_ctx = true;
		}
		pthread_mutex_unlock(&w->mu);
		if (!watch_round(w))
			break;
	}
	watch_drop_ctx(w);
	pthread_mutex_lock(&w->mu);
	w->exited = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int
card_watch_start(struct card_watch **out, const char *reader,
    card_watch_fn *fn, void *arg, struct kerr *err)
{
	struct card_watch *w = xcalloc(1, sizeof(*w));
	int e;

	w->fn = fn;
	w->arg = arg;
	w->state = WS_UNKNOWN;
	if (reader != NULL && reader[0] != '\0')
		w->want = xstrdup(reader);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if ((e = pthread_create(&w->thread, NULL, watch_main, w)) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w->want);
		free(w);
		*out = NULL;
		return kerr_set(err, K_EFAIL,
		    "cannot start the card watcher thread: %s", strerror(e));
	}
	*out = w;
	return K_OK;
}

void
card_watch_stop(struct card_watch *w)
{
	struct timespec ts;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	/* Cancel until the thread is out: a cancel that arrives just before
	 * it enters SCardGetStatusChange would otherwise be lost. */
	while (!w->exited) {
		if (w->have_ctx)
			SCardCancel(w->ctx);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
	}
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->want);
	free(w);
}
