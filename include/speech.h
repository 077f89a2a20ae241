/*
 * speech.h - text to speech behind one seam (text + language in, 16-bit
 * mono PCM at a rate the caller picks out), the call-out texts of the lobby
 * board, a serial announcer, and the speech log.
 *
 * Engines: espeak-ng (linked, synthesis into a buffer through its
 * callback) is the default; Open JTalk (the open_jtalk program run as a
 * subprocess with the naist-jdic dictionary) speaks Japanese when
 * speech.jtalk_voice names an .htsvoice file.  An engine is one file in
 * kiosk/speech/ exporting a `struct speech_engine` and its row in
 * speech.c's table.
 *
 * speech/ knows no SDL: sound goes out through a `struct speech_sink`
 * that the UI layer provides (kiosk/ui/sdl_audio.c) and tests fake.
 */
#ifndef SPEECH_H
#define SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

struct config;

struct speech_pcm {
	int16_t *samples;
	size_t n;
	int rate; /* samples per second */
};

void speech_pcm_free(struct speech_pcm *p);
/* Milliseconds of sound in p. */
unsigned speech_pcm_ms(const struct speech_pcm *p);

/* ---- engines ---------------------------------------------------------- */

/* One engine.  synth: text in UTF-8, voice as the engine names it; fills
 * out at the engine's own rate (speech_synth resamples). */
struct speech_engine {
	const char *name;
	bool reads_kanji; /* Japanese in normal text, not only kana */
	int (*open)(void **self, const struct config *cfg, struct kerr *err);
	int (*synth)(void *self, const char *text, const char *voice,
	    struct speech_pcm *out, struct kerr *err);
	void (*close)(void *self);
};

extern const struct speech_engine speech_espeak;
extern const struct speech_engine speech_jtalk;

struct speech;

/*
 * Open the engines the config asks for: espeak-ng always (all languages),
 * Open JTalk for Japanese when speech.jtalk_voice is set.  A jtalk_voice
 * that is not a readable file, or a missing dictionary or program, is
 * K_EINVAL naming the key and the path.
 */
int
speech_open(struct speech **out, const struct config *cfg, struct kerr *err);
void speech_close(struct speech *s);
/* The engine that speaks lang ("ja", "en", ... as the .po catalogs). */
const struct speech_engine *
speech_engine_for(const struct speech *s, const char *lang);
/*
 * Speak text in lang at rate Hz into out, scaled by speech.volume.
 * K_ENOTFOUND when no voice is configured for lang (speech.voices).
 */
int speech_synth(struct speech *s, const char *text, const char *lang, int rate,
    struct speech_pcm *out, struct kerr *err);

/* The engine voice for lang from speech.voices ("ja:ja,en:en-us,..."),
 * or NULL when lang has none. */
const char *
speech_voice(const struct speech *s, const char *lang, char *buf, size_t len);

/*
 * Open JTalk's command line for text file in, wav out (argv into argv[],
 * at most max entries with the NULL).  For the engine and the tests.
 */
int speech_jtalk_argv(const struct config *cfg, const char *in_path,
    const char *wav_path, const char **argv, size_t max, struct kerr *err);

/* ---- measuring and files ------------------------------------------------ */

struct speech_level {
	double seconds;
	double rms;     /* 0..1 of full scale */
	double peak;    /* 0..1 */
	size_t clipped; /* samples at full scale */
};

void speech_measure(const struct speech_pcm *p, struct speech_level *out);
int speech_wav_write(const char *path, const struct speech_pcm *p,
    struct kerr *err);
/* 16-bit mono PCM WAV only (what both engines write). */
int speech_wav_read(const char *path, struct speech_pcm *out, struct kerr *err);

/* ---- call-out texts ------------------------------------------------------ */

/*
 * Japanese reading of n (0..9999) in hiragana: 12 -> "じゅうに",
 * 300 -> "さんびゃく".  Returns the bytes written, -1 if out of range.
 */
int speech_kana_number(int n, char *out, size_t len);
/* Katakana name of a Latin letter: 'A' -> "エー"; NULL if not a letter. */
const char *speech_kana_letter(char c);

/*
 * The call-out "number N, please come to counter C" in lang for ticket
 * number ("A-012") and counter.  kana: Japanese in kana only (espeak-ng),
 * else in normal text (Open JTalk).  recall prefixes "calling again".
 * Returns K_EINVAL for a number that is not LETTER-DIGITS or a counter
 * out of 1..999, K_ENOTFOUND for a language without a template.
 */
int speech_callout(const char *lang, const char *number, int counter,
    bool recall, bool kana, char *out, size_t len, struct kerr *err);

/* The languages with call-out templates, NULL-terminated. */
extern const char *const speech_callout_langs[];

/* ---- the announcer: one call after the other on a worker thread ---------- */

/* Where sound goes.  play blocks until the clip has been played (or
 * returns at once when stopped); chime plays the call chime the same
 * way.  Called on the announcer's thread only. */
struct speech_sink {
	void (*chime)(void *ctx);
	void (*play)(void *ctx, const struct speech_pcm *pcm);
	void (*cancel)(void *ctx); /* any thread: cut the clip short */
	void *ctx;
};

struct speech_call {
	char number[16];
	int counter;
	bool recall;
	char lang[8]; /* the ticket's language, "" if unknown */
};

struct announcer;

/*
 * Start the announcer thread.  It owns s (closes it at the end).  Calls
 * are taken from speech.languages (spoken in that order, the ticket's
 * own language added when speech.ticket_language is set), each repeated
 * speech.repeat times after one chime.
 */
int announcer_start(struct announcer **out, struct speech *s,
    const struct config *cfg, const struct speech_sink *sink, int rate,
    struct kerr *err);
/* Queue one call (never blocks on synthesis).  false when the queue is
 * full: the oldest waiting call is dropped for it. */
bool announcer_push(struct announcer *a, const struct speech_call *c);
/* Queue one line of voice guidance (no chime, spoken once); logged here,
 * in the caller's order. */
void announcer_say(struct announcer *a, const char *lang, const char *text);
/* The same, with voice the text read aloud where it differs from what
 * the log records (the kana reading of a screen text in kanji). */
void announcer_say_as(struct announcer *a, const char *lang, const char *text,
    const char *voice);
/* Whether the engine for lang reads kanji (else give it kana). */
bool announcer_reads_kanji(struct announcer *a, const char *lang);
/* Drop what waits (a new screen: its lines replace the old screen's). */
void announcer_flush(struct announcer *a);
/* Calls waiting or being spoken. */
int announcer_pending(struct announcer *a);
/* Stop the thread and free (the call being spoken is cut short). */
void announcer_stop(struct announcer *a);
/* Milliseconds from the push to the first sample handed to the sink, of
 * the last call (bench). */
double announcer_last_latency_ms(struct announcer *a);

/* ---- the speech log (tests): what was said, in which language, when ---- */

#define SPEECH_LOG_MAX 256

struct speech_log_entry {
	int64_t at_ms; /* monotonic */
	char lang[8];
	char text[512];
	char voice[512];         /* what the engine read, if not text ("") */
};

/* Add one line.  Callers never pass a PIN digit or personal data unless
 * private output is on (DESIGN.md §5). */
void speech_log_add(const char *lang, const char *text);
/* The same, with the kana the engine read for text. */
void speech_log_add_as(const char *lang, const char *text, const char *voice);
size_t speech_log_count(void);
bool speech_log_get(size_t i, struct speech_log_entry *out);
/* Wipe every line (session end). */
void speech_log_clear(void);

#endif
