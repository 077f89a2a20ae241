/*
 * announcer.c - the board's call-outs on one worker thread: calls are
 * queued by the UI thread (never waiting for synthesis) and spoken one
 * after the other: chime, then each language of speech.languages (and
 * the ticket's own), speech.repeat times.  One thread plays everything
 * into a blocking sink, so two call-outs can never overlap.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "speech.h"
#include "xmalloc.h"

#define ANN_QUEUE 16
#define ANN_LANGS 8

struct announcer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct speech *s;
	struct speech_sink sink;
	int rate, repeat;
	bool ticket_lang, busy;
	atomic_bool stop; /* read by the thread between clips */
	char langs[ANN_LANGS][8];
	int nlangs;
	struct {
		struct speech_call c;
		char text[512]; /* announcer_say: this, in c.lang */
		double pushed_ms;
	} q[ANN_QUEUE];
	int nq;
	double latency_ms;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static bool
has_lang(const struct announcer *a, const char *lang)
{
	int i;

	for (i = 0; i < a->nlangs; i++)
		if (strcmp(a->langs[i], lang) == 0)
			return true;
	return false;
}

/* make bench (tests/bench/voice.sh): with KIOSK_SPEECH_TRACE=FILE, a line
 * "NUMBER WALL_MS" when a call's first sample goes to the sink, to set
 * against the wall time of the call on the server. */
static void
ann_trace(const struct speech_call *c)
{
	const char *path = getenv("KIOSK_SPEECH_TRACE");
	struct timespec ts;
	FILE *fp;

	if (path == NULL || path[0] == '\0' || (fp = fopen(path, "a")) == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(fp, "%s %lld\n", c->number,
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	fclose(fp);
}

/* Speak one call: synthesise every clip first, so that the chime and the
 * voices follow each other without a pause. */
static void
ann_speak(struct announcer *a, const struct speech_call *c, double pushed)
{
	struct speech_pcm pcm[ANN_LANGS + 1];
	char text[ANN_LANGS + 1][512], lang[ANN_LANGS + 1][8];
	int n = 0, i, r;
	struct kerr err;

	for (i = 0; i <= a->nlangs; i++) {
		const char *l = i < a->nlangs ? a->langs[i] : c->lang;
		bool kana;

		if (i == a->nlangs &&
		    (!a->ticket_lang || l[0] == '\0' || has_lang(a, l) ||
		        /* ja-easy is read like ja: said once */
		        (strcmp(l, "ja-easy") == 0 && has_lang(a, "ja"))))
			break;
		kana = !speech_engine_for(a->s, l)->reads_kanji;
		if (speech_callout(l, c->number, c->counter, c->recall, kana,
		        text[n], sizeof(text[n]), &err) != K_OK ||
		    speech_synth(a->s, text[n], l, a->rate, &pcm[n], &err) !=
		        K_OK) {
			klog("warn", "speech", "call-out %s in %s: %s",
			    c->number, l, err.msg);
			continue;
		}
		snprintf(lang[n], sizeof(lang[n]), "%s", l);
		n++;
	}
	pthread_mutex_lock(&a->mu);
	a->latency_ms = now_ms() - pushed;
	pthread_mutex_unlock(&a->mu);
	ann_trace(c);
	if (a->sink.chime != NULL && !a->stop) {
		speech_log_add("-", "chime");
		a->sink.chime(a->sink.ctx);
	}
	for (r = 0; r < a->repeat; r++)
		for (i = 0; i < n && !a->stop; i++) {
			speech_log_add(lang[i], text[i]);
			a->sink.play(a->sink.ctx, &pcm[i]);
		}
	for (i = 0; i < n; i++)
		speech_pcm_free(&pcm[i]);
}

/* One guidance line (announcer_say): no chime, spoken once. */
static void
ann_say(struct announcer *a, const char *lang, const char *text)
{
	struct speech_pcm pcm;
	struct kerr err;

	if (speech_synth(a->s, text, lang, a->rate, &pcm, &err) != K_OK) {
		klog("warn", "speech", "guidance in %s: %s", lang, err.msg);
		return;
	}
	if (!a->stop)
		a->sink.play(a->sink.ctx, &pcm);
	speech_pcm_free(&pcm);
}

static void *
ann_main(void *arg)
{
	struct announcer *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		struct speech_call c;
		char text[512];
		double pushed;

		while (a->nq == 0 && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop)
			break;
		c = a->q[0].c;
		memcpy(text, a->q[0].text, sizeof(text));
		explicit_bzero(a->q[0].text, sizeof(a->q[0].text));
		pushed = a->q[0].pushed_ms;
		memmove(&a->q[0], &a->q[1],
		    (size_t)(a->nq - 1) * sizeof(a->q[0]));
		a->nq--;
		a->busy = true;
		pthread_mutex_unlock(&a->mu);
		if (text[0] != '\0')
			ann_say(a, c.lang, text);
		else
			ann_speak(a, &c, pushed);
		explicit_bzero(text, sizeof(text));
		pthread_mutex_lock(&a->mu);
		a->busy = false;
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

int
announcer_start(struct announcer **out, struct speech *s,
    const struct config *cfg, const struct speech_sink *sink, int rate,
    struct kerr *err)
{
	struct announcer *a = xcalloc(1, sizeof(*a));
	const char *p = config_str(cfg, "speech.languages");

	a->s = s;
	a->sink = *sink;
	a->rate = rate;
	a->repeat = (int)config_int(cfg, "speech.repeat");
	a->ticket_lang = config_bool(cfg, "speech.ticket_language");
	while (*p != '\0' && a->nlangs < ANN_LANGS) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 0 || n >= sizeof(a->langs[0])) {
			free(a);
			return kerr_set(err, K_EINVAL,
			    "speech.languages: "
			    "'%.*s' is not a language code",
			    (int)n, p);
		}
		memcpy(a->langs[a->nlangs], p, n);
		a->langs[a->nlangs][n] = '\0';
		a->nlangs++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->th, NULL, ann_main, a) != 0) {
		free(a);
		return kerr_set(err, K_EFAIL, "announcer: no thread");
	}
	*out = a;
	return K_OK;
}

bool
announcer_push(struct announcer *a, const struct speech_call *c)
{
	bool room;

	pthread_mutex_lock(&a->mu);
	room = a->nq < ANN_QUEUE;
	if (!room) {
		memmove(&a->q[0], &a->q[1], (ANN_QUEUE - 1) * sizeof(a->q[0]));
		a->nq--;
	}
	a->q[a->nq].c = *c;
	a->q[a->nq].text[0] = '\0';
	a->q[a->nq].pushed_ms = now_ms();
	a->nq++;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return room;
}

void
announcer_say(struct announcer *a, const char *lang, const char *text)
{
	announcer_say_as(a, lang, text, text);
}

bool
announcer_reads_kanji(struct announcer *a, const char *lang)
{
	return speech_engine_for(a->s, lang)->reads_kanji;
}

void
announcer_say_as(struct announcer *a, const char *lang, const char *text,
    const char *voice)
{
	/* logged in the order the guidance says it, on the caller's
	 * thread: a later flush may cut the sound short, not the record */
	speech_log_add_as(lang, text, voice);
	pthread_mutex_lock(&a->mu);
	if (a->nq == ANN_QUEUE) {
		memmove(&a->q[0], &a->q[1], (ANN_QUEUE - 1) * sizeof(a->q[0]));
		a->nq--;
	}
	memset(&a->q[a->nq], 0, sizeof(a->q[0]));
	snprintf(a->q[a->nq].c.lang, sizeof(a->q[0].c.lang), "%s", lang);
	snprintf(a->q[a->nq].text, sizeof(a->q[0].text), "%s", voice);
	a->q[a->nq].pushed_ms = now_ms();
	a->nq++;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

void
announcer_flush(struct announcer *a)
{
	pthread_mutex_lock(&a->mu);
	explicit_bzero(a->q, sizeof(a->q));
	a->nq = 0;
	pthread_mutex_unlock(&a->mu);
}

int
announcer_pending(struct announcer *a)
{
	int n;

	pthread_mutex_lock(&a->mu);
	n = a->nq + (a->busy ? 1 : 0);
	pthread_mutex_unlock(&a->mu);
	return n;
}

double
announcer_last_latency_ms(struct announcer *a)
{
	double v;

	pthread_mutex_lock(&a->mu);
	v = a->latency_ms;
	pthread_mutex_unlock(&a->mu);
	return v;
}

void
announcer_stop(struct announcer *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	if (a->sink.cancel != NULL)
		a->sink.cancel(a->sink.ctx);
	pthread_join(a->th, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	speech_close(a->s);
	free(a);
}
