/*
 * speech.c - the engine seam: which engine speaks which language, the
 * voice table (speech.voices), resampling to the caller's rate, volume,
 * PCM levels, WAV files and the speech log.
 *
 * espeak-ng speaks every language; Open JTalk, when a voice file is
 * configured, takes Japanese (ja, ja-easy) because it reads kanji and
 * sounds natural.  To add an engine: one file with a `struct
 * speech_engine`, and a row in speech_open() saying which languages it
 * takes.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "speech.h"
#include "xmalloc.h"

struct speech {
	const struct config *cfg;
	void *espeak, *jtalk; /* engine states; jtalk NULL: not used */
	double gain;
};

void
speech_pcm_free(struct speech_pcm *p)
{
	if (p == NULL)
		return;
	free(p->samples);
	p->samples = NULL;
	p->n = 0;
}

unsigned
speech_pcm_ms(const struct speech_pcm *p)
{
	if (p == NULL || p->rate <= 0)
		return 0;
	return (unsigned)((double)p->n * 1000.0 / p->rate + 0.5);
}

int
speech_open(struct speech **out, const struct config *cfg, struct kerr *err)
{
	struct speech *s = xcalloc(1, sizeof(*s));
	const char *voice = config_str(cfg, "speech.jtalk_voice");
	int rc;

	s->cfg = cfg;
	s->gain = config_int(cfg, "speech.volume") / 100.0;
	if (voice[0] != '\0') {
		rc = speech_jtalk.open(&s->jtalk, cfg, err);
		if (rc != K_OK) {
			free(s);
			return rc;
		}
	}
	rc = speech_espeak.open(&s->espeak, cfg, err);
	if (rc != K_OK) {
		if (s->jtalk != NULL)
			speech_jtalk.close(s->jtalk);
		free(s);
		return rc;
	}
	*out = s;
	return K_OK;
}

void
speech_close(struct speech *s)
{
	if (s == NULL)
		return;
	if (s->jtalk != NULL)
		speech_jtalk.close(s->jtalk);
	if (s->espeak != NULL)
		speech_espeak.close(s->espeak);
	free(s);
}

static bool
is_japanese(const char *lang)
{
	return strcmp(lang, "ja") == 0 || strcmp(lang, "ja-easy") == 0;
}

const struct speech_engine *
speech_engine_for(const struct speech *s, const char *lang)
{
	if (s->jtalk != NULL && is_japanese(lang))
		return &speech_jtalk;
	return &speech_espeak;
}

const char *
speech_voice(const struct speech *s, const char *lang, char *buf, size_t len)
{
	const char *p = config_str(s->cfg, "speech.voices");
	size_t ll = strlen(lang);

	while (*p != '\0') {
		const char *end = strchr(p, ',');
		const char *colon = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (colon != NULL && colon < p + n &&
		    (size_t)(colon - p) == ll && strncmp(p, lang, ll) == 0) {
			size_t vn = n - ll - 1;
			if (vn == 0 || vn >= len)
				return NULL;
			memcpy(buf, colon + 1, vn);
			buf[vn] = '\0';
			return buf;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return NULL;
}

/* Linear interpolation: the engines speak at 16-48 kHz and the output
 * device runs at one rate; speech has nothing above 8 kHz worth a
 * better filter. */
static void
resample(struct speech_pcm *p, int rate, double gain)
{
	size_t n, i;
	int16_t *out;

	if (p->rate == rate || p->n == 0) {
		n = p->n;
		out = xcalloc(n ? n : 1, sizeof(*out));
		for (i = 0; i < n; i++)
			out[i] = (int16_t)lrint(p->samples[i] * gain);
	} else {
		double step = (double)p->rate / rate;

		n = (size_t)((double)p->n / step);
		out = xcalloc(n ? n : 1, sizeof(*out));
		for (i = 0; i < n; i++) {
			double at = i * step;
			size_t k = (size_t)at;
			double f = at - k;
			double a = p->samples[k];
			double b = k + 1 < p->n ? p->samples[k + 1] : a;
			out[i] = (int16_t)lrint((a + (b - a) * f) * gain);
		}
	}
	free(p->samples);
	p->samples = out;
	p->n = n;
	p->rate = rate;
}

int
speech_synth(struct speech *s, const char *text, const char *lang, int rate,
    struct speech_pcm *out, struct kerr *err)
{
	const struct speech_engine *e = speech_engine_for(s, lang);
	char voice[64];
	int rc;

	memset(out, 0, sizeof(*out));
	if (rate < 8000 || rate > 96000)
		return kerr_set(err, K_EINVAL,
		    "speech: rate %d Hz is not "
		    "8000..96000",
		    rate);
	if (e == &speech_jtalk) {
		snprintf(voice, sizeof(voice), "%s", "ja");
	} else if (speech_voice(s, lang, voice, sizeof(voice)) == NULL) {
		return kerr_set(err, K_ENOTFOUND,
		    "speech: no voice for "
		    "language '%s' in speech.voices",
		    lang);
	}
	rc = e->synth(e == &speech_jtalk ? s->jtalk : s->espeak, text, voice,
	    out, err);
	if (rc != K_OK) {
		speech_pcm_free(out);
		return rc;
	}
	resample(out, rate, s->gain);
	return K_OK;
}

/* ---- levels and WAV files ---------------------------------------------- */

void
speech_measure(const struct speech_pcm *p, struct speech_level *out)
{
	double sum = 0, peak = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (p->n == 0 || p->rate <= 0)
		return;
	for (i = 0; i < p->n; i++) {
		double v = p->samples[i] / 32768.0;
		sum += v * v;
		if (fabs(v) > peak)
			peak = fabs(v);
		if (p->samples[i] >= 32767 || p->samples[i] <= -32767)
			out->clipped++;
	}
	out->seconds = (double)p->n / p->rate;
	out->rms = sqrt(sum / (double)p->n);
	out->peak = peak;
}

static void
put16(unsigned char *b, unsigned v)
{
	b[0] = (unsigned char)(v & 0xff);
	b[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b + 2, v >> 16);
}

int
speech_wav_write(const char *path, const struct speech_pcm *p, struct kerr *err)
{
	unsigned char h[44];
	uint32_t bytes = (uint32_t)(p->n * 2);
	FILE *fp = fopen(path, "wb");
	size_t i;
	int ok;

	if (fp == NULL)
		return kerr_set(err, K_EIO, "%s: %s", path, strerror(errno));
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	put16(h + 20, 1); /* PCM */
	put16(h + 22, 1); /* mono */
	put32(h + 24, (uint32_t)p->rate);
	put32(h + 28, (uint32_t)p->rate * 2);
	put16(h + 32, 2);
	put16(h + 34, 16);
	memcpy(h + 36, "data", 4);
	put32(h + 40, bytes);
	ok = fwrite(h, 1, sizeof(h), fp) == sizeof(h);
	for (i = 0; ok && i < p->n; i++) {
		unsigned char b[2];
		put16(b, (uint16_t)p->samples[i]);
		ok = fwrite(b, 1, 2, fp) == 2;
	}
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok)
		return kerr_set(err, K_EIO, "%s: write failed", path);
	return K_OK;
}

static uint32_t
get32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

int
speech_wav_read(const char *path, struct speech_pcm *out, struct kerr *err)
{
	unsigned char h[12], ch[8], fmt[16];
	FILE *fp = fopen(path, "rb");
	bool have_fmt = false;
	int rc = K_OK;

	memset(out, 0, sizeof(*out));
	if (fp == NULL)
		return kerr_set(err, K_EIO, "%s: %s", path, strerror(errno));
	if (fread(h, 1, 12, fp) != 12 || memcmp(h, "RIFF", 4) != 0 ||
	    memcmp(h + 8, "WAVE", 4) != 0) {
		fclose(fp);
		return kerr_set(err, K_EPARSE, "%s: not a WAV file", path);
	}
	while (fread(ch, 1, 8, fp) == 8) {
		uint32_t len = get32(ch + 4);

		if (memcmp(ch, "fmt ", 4) == 0 && len >= 16) {
			if (fread(fmt, 1, 16, fp) != 16 ||
			    fseek(fp, (long)(len - 16 + (len & 1)), SEEK_CUR))
				break;
			if (fmt[0] != 1 || fmt[1] != 0 || fmt[2] != 1 ||
			    fmt[3] != 0 || fmt[14] != 16) {
				rc = kerr_set(err, K_EPARSE,
				    "%s: not 16-bit "
				    "mono PCM",
				    path);
				break;
			}
			out->rate = (int)get32(fmt + 4);
			have_fmt = true;
		} else if (memcmp(ch, "data", 4) == 0 && have_fmt) {
			size_t n = len / 2, i;
			unsigned char *raw = xmalloc(len ? len : 1);

			n = fread(raw, 1, len, fp) / 2;
			out->samples = xcalloc(n ? n : 1, sizeof(int16_t));
			for (i = 0; i < n; i++)
				out->samples[i] = (int16_t)(raw[2 * i] |
				    raw[2 * i + 1] << 8);
			out->n = n;
			free(raw);
			fclose(fp);
			return K_OK;
		} else if (fseek(fp, (long)(len + (len & 1)), SEEK_CUR) != 0) {
			break;
		}
	}
	fclose(fp);
	if (rc == K_OK)
		rc = kerr_set(err, K_EPARSE, "%s: no PCM data chunk", path);
	return rc;
}

/* ---- the speech log ---------------------------------------------------- */

static struct {
	pthread_mutex_t mu;
	struct speech_log_entry e[SPEECH_LOG_MAX];
	size_t n, next; /* a ring: the newest SPEECH_LOG_MAX lines */
} slog = { .mu = PTHREAD_MUTEX_INITIALIZER };

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
speech_log_add(const char *lang, const char *text)
{
	speech_log_add_as(lang, text, text);
}

void
speech_log_add_as(const char *lang, const char *text, const char *voice)
{
	struct speech_log_entry *e;

	pthread_mutex_lock(&slog.mu);
	e = &slog.e[slog.next];
	e->at_ms = mono_ms();
	snprintf(e->lang, sizeof(e->lang), "%s", lang);
	snprintf(e->text, sizeof(e->text), "%s", text);
	snprintf(e->voice, sizeof(e->voice), "%s",
	    strcmp(voice, text) != 0 ? voice : "");
	slog.next = (slog.next + 1) % SPEECH_LOG_MAX;
	if (slog.n < SPEECH_LOG_MAX)
		slog.n++;
	pthread_mutex_unlock(&slog.mu);
}

size_t
speech_log_count(void)
{
	size_t n;

	pthread_mutex_lock(&slog.mu);
	n = slog.n;
	pthread_mutex_unlock(&slog.mu);
	return n;
}

bool
speech_log_get(size_t i, struct speech_log_entry *out)
{
	bool ok;

	pthread_mutex_lock(&slog.mu);
	ok = i < slog.n;
	if (ok)
		*out = slog.e[(slog.next + SPEECH_LOG_MAX - slog.n + i) %
		    SPEECH_LOG_MAX];
	pthread_mutex_unlock(&slog.mu);
	return ok;
}

void
speech_log_clear(void)
{
	pthread_mutex_lock(&slog.mu);
	/* the ring may have held the confirm screen's facts when private
	 * output was on: wiped, not just forgotten */
	explicit_bzero(slog.e, sizeof(slog.e));
	slog.n = 0;
	slog.next = 0;
	pthread_mutex_unlock(&slog.mu);
}
