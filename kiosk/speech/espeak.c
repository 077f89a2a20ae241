/*
 * espeak.c - the espeak-ng engine (libespeak-ng, Debian main): the
 * default, with voices for every kiosk language (Japanese read from kana).
 *
 * Synthesis is synchronous into our buffer through the library's
 * callback; no subprocess, no sound device.  The library keeps one
 * global state, so one mutex serialises every use in the process, and it
 * is started once and kept: espeak_Initialize after espeak_Terminate
 * hangs in libespeak-ng 1.51.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <espeak-ng/speak_lib.h>

#include "config.h"
#include "speech.h"
#include "xmalloc.h"

static pthread_mutex_t es_mu = PTHREAD_MUTEX_INITIALIZER;
static int es_rate; /* 0: not started */

struct es_buf {
	int16_t *s;
	size_t n, cap;
};

static int
es_callback(short *wav, int n, espeak_EVENT *events)
{
	struct es_buf *b = events != NULL ? events->user_data : NULL;

	if (b == NULL || wav == NULL || n <= 0)
		return 0;
	if (b->n + (size_t)n > b->cap) {
		b->cap = (b->n + (size_t)n) * 2;
		b->s = xrealloc(b->s, b->cap * sizeof(*b->s));
	}
	memcpy(b->s + b->n, wav, (size_t)n * sizeof(*b->s));
	b->n += (size_t)n;
	return 0;
}

static int
es_open(void **self, const struct config *cfg, struct kerr *err)
{
	(void)cfg;
	pthread_mutex_lock(&es_mu);
	if (es_rate <= 0) {
		es_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL,
		    espeakINITIALIZE_DONT_EXIT);
		if (es_rate <= 0) {
			pthread_mutex_unlock(&es_mu);
			return kerr_set(err, K_ENODEV,
			    "espeak-ng: cannot "
			    "start (is espeak-ng-data installed?)");
		}
		espeak_SetSynthCallback(es_callback);
	}
	pthread_mutex_unlock(&es_mu);
	*self = &es_rate;
	return K_OK;
}

static int
es_synth(void *self, const char *text, const char *voice,
    struct speech_pcm *out, struct kerr *err)
{
	struct es_buf b = { 0 };
	espeak_ERROR e;

	(void)self;
	pthread_mutex_lock(&es_mu);
	if (espeak_SetVoiceByName(voice) != EE_OK) {
		pthread_mutex_unlock(&es_mu);
		return kerr_set(err, K_ENOTFOUND, "espeak-ng: no voice '%s'",
		    voice);
	}
	e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
	    espeakCHARS_UTF8, NULL, &b);
	if (e == EE_OK)
		e = espeak_Synchronize();
	out->rate = es_rate;
	pthread_mutex_unlock(&es_mu);
	if (e != EE_OK) {
		free(b.s);
		return kerr_set(err, K_EFAIL,
		    "espeak-ng: synthesis failed "
		    "(%d)",
		    (int)e);
	}
	out->samples = b.s;
	out->n = b.n;
	return K_OK;
}

static void
es_close(void *self)
{
	/* kept for the next speech_open (see the top) */
	(void)self;
}

const struct speech_engine speech_espeak = {
	.name = "espeak-ng",
	.reads_kanji = false,
	.open = es_open,
	.synth = es_synth,
	.close = es_close,
};
