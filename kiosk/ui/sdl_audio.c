/*
 * sdl_audio.c - chimes on the SDL audio device (chime.h).
 *
 * Each chime is rendered once into 16-bit mono samples (sine tones with a
 * 20 ms attack and an exponential decay, then silence as the gap) and
 * appended with SDL_QueueAudio: the device plays the queue in order, so a
 * chime that arrives while another plays waits for it.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <SDL.h>

#include "chime.h"
#include "xmalloc.h"

#define CHIME_RATE CHIME_RATE_HZ
#define CHIME_GAP_MS 300

struct tone {
	double hz, start_s, dur_s;
};

static const struct {
	const struct tone *tones;
	int n;
} chime_patterns[CHIME_KIND_COUNT] = {
	[CHIME_CALL] = { (const struct tone[]){ { 784.0, 0.0, 0.9 },
	    { 587.3, 0.7, 1.4 } }, 2 },
	[CHIME_ALERT] = { (const struct tone[]){ { 1318.5, 0.0, 0.16 },
	    { 1318.5, 0.25, 0.16 }, { 1318.5, 0.5, 0.16 },
	    { 987.8, 0.75, 0.4 } }, 4 },
};

static struct {
	SDL_AudioDeviceID dev;
	bool open, silent;
	double gain;
	atomic_uint count;         /* the announcer thread chimes too */
	atomic_bool cancel;        /* the announcer is stopping */
	int16_t *pcm[CHIME_KIND_COUNT];
	size_t len[CHIME_KIND_COUNT];      /* samples */
} chime;

unsigned
chime_ms(enum chime_kind kind)
{
	double end = 0;
	int i;

	if ((unsigned)kind >= CHIME_KIND_COUNT)
		kind = CHIME_CALL;
	for (i = 0; i < chime_patterns[kind].n; i++) {
		const struct tone *t = &chime_patterns[kind].tones[i];
		if (t->start_s + t->dur_s > end)
			end = t->start_s + t->dur_s;
	}
	return (unsigned)(end * 1000.0 + 0.5) + CHIME_GAP_MS;
}

static void
chime_render(enum chime_kind kind)
{
	size_t n = (size_t)chime_ms(kind) * CHIME_RATE / 1000, s;
	float *mix = xcalloc(n, sizeof *mix);
	int16_t *out = xcalloc(n, sizeof *out);
	int i;

	for (i = 0; i < chime_patterns[kind].n; i++) {
		const struct tone *t = &chime_patterns[kind].tones[i];
		size_t from = (size_t)(t->start_s * CHIME_RATE);
		size_t len = (size_t)(t->dur_s * CHIME_RATE);

		for (s = 0; s < len && from + s < n; s++) {
			double sec = (double)s / CHIME_RATE;
			double env = sec < 0.02 ? sec / 0.02 :
			    exp(-4.0 * (sec - 0.02) / t->dur_s);
			mix[from + s] += (float)(env * sin(2.0 * M_PI * t->hz * sec));
		}
	}
	for (s = 0; s < n; s++) {
		double v = mix[s] * chime.gain * 0.5;
		if (v > 1.0)
			v = 1.0;
		if (v < -1.0)
			v = -1.0;
		out[s] = (int16_t)lrint(v * 32767.0);
	}
	free(mix);
	chime.pcm[kind] = out;
	chime.len[kind] = n;
}

int
chime_open(bool silent, int volume_pct, struct kerr *err)
{
	SDL_AudioSpec want, have;
	int k;

	chime_close();
	chime.silent = silent;
	chime.gain = (volume_pct < 0 ? 0 : volume_pct > 100 ? 100 :
	    volume_pct) / 100.0;
	atomic_store(&chime.count, 0);
	if (silent)
		return K_OK;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		kerr_set(err, K_ENODEV, "audio: %s", SDL_GetError());
		return K_ENODEV;
	}
	memset(&want, 0, sizeof want);
	want.freq = CHIME_RATE;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 2048;
	chime.dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (chime.dev == 0) {
		kerr_set(err, K_ENODEV, "audio: no output device: %s",
		    SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return K_ENODEV;
	}
	for (k = 0; k < CHIME_KIND_COUNT; k++)
		chime_render((enum chime_kind)k);
	SDL_PauseAudioDevice(chime.dev, 0);
	chime.open = true;
	return K_OK;
}

void
chime_close(void)
{
	int k;

	if (chime.open) {
		SDL_CloseAudioDevice(chime.dev);
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	for (k = 0; k < CHIME_KIND_COUNT; k++) {
		free(chime.pcm[k]);
		chime.pcm[k] = NULL;
		chime.len[k] = 0;
	}
	chime.open = false;
	chime.dev = 0;
}

unsigned
chime_play(enum chime_kind kind)
{
	if ((unsigned)kind >= CHIME_KIND_COUNT)
		kind = CHIME_CALL;
	atomic_fetch_add(&chime.count, 1);
	if (chime.open && chime.pcm[kind] != NULL)
		SDL_QueueAudio(chime.dev, chime.pcm[kind],
		    (Uint32)(chime.len[kind] * sizeof(int16_t)));
	return chime_ms(kind);
}

unsigned
chime_count(void)
{
	return atomic_load(&chime.count);
}

/* ---- the speech sink ------------------------------------------------- */

/* Wait (on the announcer's thread) until the device queue has drained. */
static void
sink_drain(void)
{
	while (!atomic_load(&chime.cancel) &&
	    SDL_GetQueuedAudioSize(chime.dev) > 0)
		SDL_Delay(20);
}

static void
sink_chime(void *ctx)
{
	(void)ctx;
	if (atomic_load(&chime.cancel))
		return;
	chime_play(CHIME_CALL);
	if (chime.open)
		sink_drain();
}

static void
sink_play(void *ctx, const struct speech_pcm *pcm)
{
	(void)ctx;
	if (!chime.open || atomic_load(&chime.cancel) || pcm->n == 0)
		return;
	SDL_QueueAudio(chime.dev, pcm->samples,
	    (Uint32)(pcm->n * sizeof(int16_t)));
	sink_drain();
}

static void
sink_cancel(void *ctx)
{
	(void)ctx;
	atomic_store(&chime.cancel, true);
	if (chime.open)
		SDL_ClearQueuedAudio(chime.dev);
}

void
chime_speech_sink(struct speech_sink *out)
{
	atomic_store(&chime.cancel, false);
	out->chime = sink_chime;
	out->play = sink_play;
	out->cancel = sink_cancel;
	out->ctx = NULL;
}
