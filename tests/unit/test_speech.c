/*
 * test_speech.c - call-out texts (numbers 1-999, every letter and counter,
 * every language), kana readings, the engine seam (espeak-ng synthesis
 * measured: not silent, length within bounds, no clipping; Open JTalk's
 * configuration errors and command line, and its subprocess with a
 * stand-in program), WAV files, the announcer's queue (no overlap, in
 * order, timestamps from a fake sink) and the speech log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "kerr.h"
#include "speech.h"

/* true when s is only hiragana/katakana (and the long-vowel mark), plus
 * the spaces and punctuation of the templates: what espeak-ng reads. */
static bool
only_kana(const char *s, bool punct)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned cp;

		if (*p < 0x80) {
			if (!(punct && *p == ' '))
				return false;
			p++;
			continue;
		}
		if ((p[0] & 0xf0) != 0xe0)
			return false;
		cp = (unsigned)(p[0] & 0x0f) << 12 |
		    (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		p += 3;
		if (cp >= 0x3041 && cp <= 0x30ff)
			continue; /* kana and ー */
		if (punct && (cp == 0x3001 || cp == 0x3002))
			continue; /* 、。 */
		return false;
	}
	return true;
}

static void
test_speech_kana_numbers_read_the_japanese_way(void **state)
{
	static const struct {
		int n;
		const char *kana;
	} rows[] = {
		{ 1, "いち" },
		{ 4, "よん" },
		{ 7, "なな" },
		{ 9, "きゅう" },
		{ 10, "じゅう" },
		{ 11, "じゅういち" },
		{ 12, "じゅうに" },
		{ 20, "にじゅう" },
		{ 40, "よんじゅう" },
		{ 99, "きゅうじゅうきゅう" },
		{ 100, "ひゃく" },
		{ 101, "ひゃくいち" },
		{ 300, "さんびゃく" },
		{ 600, "ろっぴゃく" },
		{ 800, "はっぴゃく" },
		{ 888, "はっぴゃくはちじゅうはち" },
		{ 999, "きゅうひゃくきゅうじゅうきゅう" },
		{ 1000, "せん" },
		{ 3000, "さんぜん" },
		{ 8000, "はっせん" },
		{ 0, "ゼロ" },
	};
	char buf[128], seen[1000][64];
	size_t i;
	int n, m;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_true(
		    speech_kana_number(rows[i].n, buf, sizeof(buf)) > 0);
		if (strcmp(buf, rows[i].kana) != 0)
			fail_msg("%d: %s, want %s", rows[i].n, buf,
			    rows[i].kana);
	}
	/* 1..999: kana only, and no two numbers read alike */
	for (n = 1; n <= 999; n++) {
		assert_true(
		    speech_kana_number(n, seen[n], sizeof(seen[n])) > 0);
		if (!only_kana(seen[n], false))
			fail_msg("%d reads as '%s'", n, seen[n]);
		for (m = 1; m < n; m++)
			if (strcmp(seen[m], seen[n]) == 0)
				fail_msg("%d and %d both read '%s'", m, n,
				    seen[n]);
	}
	assert_int_equal(speech_kana_number(-1, buf, sizeof(buf)), -1);
	assert_int_equal(speech_kana_number(10000, buf, sizeof(buf)), -1);
	assert_int_equal(speech_kana_number(999, buf, 8), -1);
	assert_string_equal(speech_kana_letter('A'), "エー");
	assert_string_equal(speech_kana_letter('w'), "ダブリュー");
	assert_null(speech_kana_letter('1'));
}

static void
test_speech_callout_every_number_letter_counter_language(void **state)
{
	char out[512], num[16], want[128], k[64];
	const char *const *l;
	struct kerr err;
	int n, c;
	char L;

	(void)state;
	assert_int_equal(speech_callout("ja", "A-012", 3, false, true, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_string_equal(out,
	    "うけつけばんごう エー の じゅうに ばんの かた、"
	    "さんばん まどぐちへ おこしください。");
	assert_int_equal(speech_callout("ja", "A-012", 3, false, false, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_string_equal(out,
	    "受付番号 A の 12 番の方、3 番窓口へお越しください。");
	assert_int_equal(speech_callout("en", "A-012", 3, false, true, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_string_equal(out, "Number A 12, please come to counter 3.");
	assert_int_equal(speech_callout("ja", "B-007", 12, true, true, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_string_equal(out,
	    "さいど およびします。 うけつけばんごう ビー の "
	    "なな ばんの かた、じゅうにばん まどぐちへ おこしください。");
	assert_int_equal(speech_callout("en", "B-007", 12, true, true, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_string_equal(out,
	    "Calling again. Number B 7, please come to "
	    "counter 12.");

	for (l = speech_callout_langs; *l != NULL; l++)
		for (L = 'A'; L <= 'Z'; L++)
			for (n = 1; n <= 999; n++) {
				c = 1 + (n * 7 + L) % 40;
				snprintf(num, sizeof(num), "%c-%03d", L, n);
				if (speech_callout(*l, num, c, n % 5 == 0, true,
				        out, sizeof(out), &err) != K_OK)
					fail_msg("%s %s %d: %s", *l, num, c,
					    err.msg);
				if (strncmp(*l, "ja", 2) == 0) {
					if (!only_kana(out, true))
						fail_msg("%s %s: not kana: %s",
						    *l, num, out);
					speech_kana_number(n, k, sizeof(k));
					snprintf(want, sizeof(want),
					    " %s の %s ばん",
					    speech_kana_letter(L), k);
					if (strstr(out, want) == NULL)
						fail_msg("%s: no '%s' in %s",
						    num, want, out);
					speech_kana_number(c, k, sizeof(k));
					snprintf(want, sizeof(want),
					    "、%sばん ", k);
				} else {
					snprintf(want, sizeof(want), "%c %d", L,
					    n);
					if (strstr(out, want) == NULL)
						fail_msg("%s %s: no '%s' in %s",
						    *l, num, want, out);
					snprintf(want, sizeof(want), "%d", c);
				}
				if (strstr(out, want) == NULL)
					fail_msg("%s %s counter %d: no '%s' in %s",
					    *l, num, c, want, out);
			}
	/* the recall prefix in every language, and only on a recall */
	for (l = speech_callout_langs; *l != NULL; l++) {
		char plain[512], again[512];

		assert_int_equal(speech_callout(*l, "C-100", 999, false, true,
		                     plain, sizeof(plain), &err),
		    K_OK);
		assert_int_equal(speech_callout(*l, "C-100", 999, true, true,
		                     again, sizeof(again), &err),
		    K_OK);
		assert_true(strlen(again) > strlen(plain) + 3);
		assert_string_equal(again + strlen(again) - strlen(plain),
		    plain);
	}
	/* counters as kana: 999 */
	assert_int_equal(speech_callout("ja", "C-100", 999, false, true, out,
	                     sizeof(out), &err),
	    K_OK);
	assert_non_null(strstr(out,
	    "ひゃく ばんの かた、きゅうひゃくきゅうじゅう"
	    "きゅうばん まどぐちへ"));
}

static void
test_speech_callout_rejects_bad_numbers_and_counters(void **state)
{
	static const char *const bad[] = { "12", "A-", "A-0", "A-12345", "-12",
		"A-12x", "あ-12", "" };
	char out[512];
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(speech_callout("ja", bad[i], 3, false, true,
		                     out, sizeof(out), &err),
		    K_EINVAL);
		assert_non_null(strstr(err.msg, "ticket number"));
	}
	assert_int_equal(speech_callout("ja", "A-1", 0, false, true, out,
	                     sizeof(out), &err),
	    K_EINVAL);
	assert_non_null(strstr(err.msg, "counter 0"));
	assert_int_equal(speech_callout("ja", "A-1", 1000, false, true, out,
	                     sizeof(out), &err),
	    K_EINVAL);
	assert_int_equal(speech_callout("xx", "A-1", 1, false, true, out,
	                     sizeof(out), &err),
	    K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'xx'"));
	assert_int_equal(speech_callout("ja", "A-1", 1, false, true, out, 20,
	                     &err),
	    K_EINVAL);
}

static void
synth_check(struct speech *s, const char *lang, const char *text, double min_s,
    double max_s)
{
	struct speech_pcm pcm;
	struct speech_level lv;
	struct kerr err;

	if (speech_synth(s, text, lang, 48000, &pcm, &err) != K_OK)
		fail_msg("%s: %s", lang, err.msg);
	assert_int_equal(pcm.rate, 48000);
	speech_measure(&pcm, &lv);
	if (lv.seconds < min_s || lv.seconds > max_s)
		fail_msg("%s: %.2f s, want %.1f..%.1f (%s)", lang, lv.seconds,
		    min_s, max_s, text);
	if (lv.rms < 0.02)
		fail_msg("%s: silent (rms %.4f)", lang, lv.rms);
	if (lv.clipped != 0 || lv.peak >= 0.999)
		fail_msg("%s: clipped (%zu samples, peak %.3f)", lang,
		    lv.clipped, lv.peak);
	speech_pcm_free(&pcm);
}

static void
test_speech_espeak_speaks_every_callout_language(void **state)
{
	struct config *cfg = config_defaults();
	const char *const *l;
	struct speech *s;
	struct kerr err;
	char text[512];

	(void)state;
	assert_int_equal(speech_open(&s, cfg, &err), K_OK);
	assert_string_equal(speech_engine_for(s, "ja")->name, "espeak-ng");
	for (l = speech_callout_langs; *l != NULL; l++) {
		assert_int_equal(speech_callout(*l, "A-012", 3, false, true,
		                     text, sizeof(text), &err),
		    K_OK);
		/* a call-out is a sentence: 1.5 s at least, 12 s at most */
		synth_check(s, *l, text, 1.5, 12.0);
	}
	speech_close(s);
	config_free(cfg);
}

static void
test_speech_volume_scales_and_wav_round_trips(void **state)
{
	struct config *cfg = config_defaults();
	struct speech_pcm a, b, back;
	struct speech_level la, lb, lr;
	struct speech *s;
	struct kerr err;
	char path[] = "/tmp/test_speech_XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(config_set(cfg, "speech.volume", "100", &err), K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_OK);
	assert_int_equal(speech_synth(s, "Number A 12", "en", 22050, &a, &err),
	    K_OK);
	speech_close(s);
	assert_int_equal(config_set(cfg, "speech.volume", "50", &err), K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_OK);
	assert_int_equal(speech_synth(s, "Number A 12", "en", 22050, &b, &err),
	    K_OK);
	speech_measure(&a, &la);
	speech_measure(&b, &lb);
	assert_true(lb.rms > la.rms * 0.45 && lb.rms < la.rms * 0.55);
	speech_pcm_free(&b);
	assert_int_equal(speech_synth(s, "x", "en", 100, &b, &err), K_EINVAL);
	assert_int_equal(config_set(cfg, "speech.voices", "en:en-us", &err),
	    K_OK);
	assert_int_equal(speech_synth(s, "はい", "ja", 22050, &b, &err),
	    K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'ja'"));
	speech_close(s);

	assert_int_equal(speech_wav_write(path, &a, &err), K_OK);
	assert_int_equal(speech_wav_read(path, &back, &err), K_OK);
	assert_int_equal(back.rate, 22050);
	assert_int_equal(back.n, a.n);
	assert_memory_equal(back.samples, a.samples, a.n * 2);
	speech_measure(&back, &lr);
	assert_true(lr.seconds > 0.5);
	speech_pcm_free(&back);
	{
		FILE *fp = fopen(path, "w");
		fputs("not a wav file at all", fp);
		fclose(fp);
	}
	assert_int_equal(speech_wav_read(path, &back, &err), K_EPARSE);
	unlink(path);
	speech_pcm_free(&a);
	config_free(cfg);
}

static void
test_speech_jtalk_configuration_errors_and_command_line(void **state)
{
	struct config *cfg = config_defaults();
	char dir[] = "/tmp/test_jtalk_XXXXXX", voice[256], dic[256], prog[256],
	     path[300];
	const char *argv[16];
	struct speech *s;
	struct kerr err;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(voice, sizeof(voice), "%s/city.htsvoice", dir);
	snprintf(dic, sizeof(dic), "%s/dic", dir);
	snprintf(prog, sizeof(prog), "%s/open_jtalk", dir);

	/* a voice that is not there: the key and the path are named */
	assert_int_equal(config_set(cfg, "speech.jtalk_voice", voice, &err),
	    K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "speech.jtalk_voice"));
	assert_non_null(strstr(err.msg, voice));
	/* a folder is not a voice */
	assert_int_equal(config_set(cfg, "speech.jtalk_voice", dir, &err),
	    K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "not a readable file"));

	fp = fopen(voice, "w");
	fputs("HTS voice stand-in", fp);
	fclose(fp);
	assert_int_equal(config_set(cfg, "speech.jtalk_voice", voice, &err),
	    K_OK);
	assert_int_equal(config_set(cfg, "speech.jtalk_dic", dic, &err), K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "speech.jtalk_dic"));

	mkdir(dic, 0700);
	snprintf(path, sizeof(path), "%s/sys.dic", dic);
	fp = fopen(path, "w");
	fclose(fp);
	assert_int_equal(config_set(cfg, "speech.jtalk_program", prog, &err),
	    K_OK);
	assert_int_equal(speech_open(&s, cfg, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "speech.jtalk_program"));

	/* a stand-in open_jtalk: writes a 0.5 s 440 Hz tone as its WAV */
	fp = fopen(prog, "w");
	fprintf(fp,
	    "#!/bin/sh\nout=\nwhile [ $# -gt 1 ]; do\n"
	    "  [ \"$1\" = -ow ] && out=$2\n  shift\ndone\n"
	    "grep -q 窓口 \"$1\" || exit 3\n"
	    "sox -n -r 48000 -b 16 -c 1 \"$out\" synth 0.5 sine 440 vol 0.5\n");
	fclose(fp);
	chmod(prog, 0700);
	assert_int_equal(speech_jtalk_argv(cfg, "in.txt", "out.wav", argv, 16,
	                     &err),
	    K_OK);
	assert_string_equal(argv[0], prog);
	assert_string_equal(argv[1], "-x");
	assert_string_equal(argv[2], dic);
	assert_string_equal(argv[3], "-m");
	assert_string_equal(argv[4], voice);
	assert_string_equal(argv[5], "-ow");
	assert_string_equal(argv[6], "out.wav");
	assert_string_equal(argv[7], "in.txt");
	assert_null(argv[8]);

	assert_int_equal(speech_open(&s, cfg, &err), K_OK);
	assert_string_equal(speech_engine_for(s, "ja")->name, "open-jtalk");
	assert_string_equal(speech_engine_for(s, "ja-easy")->name,
	    "open-jtalk");
	assert_string_equal(speech_engine_for(s, "en")->name, "espeak-ng");
	assert_true(speech_engine_for(s, "ja")->reads_kanji);
	{
		struct speech_pcm pcm;
		struct speech_level lv;
		char text[512];

		assert_int_equal(speech_callout("ja", "A-012", 3, false, false,
		                     text, sizeof(text), &err),
		    K_OK);
		if (speech_synth(s, text, "ja", 22050, &pcm, &err) != K_OK)
			fail_msg("jtalk: %s", err.msg);
		speech_measure(&pcm, &lv);
		assert_true(lv.seconds > 0.45 && lv.seconds < 0.55);
		assert_true(lv.rms > 0.2);
		speech_pcm_free(&pcm);
		/* the program fails: its status is reported */
		assert_int_equal(speech_synth(s, "no counter here", "ja", 22050,
		                     &pcm, &err),
		    K_EFAIL);
		assert_non_null(strstr(err.msg, "failed"));
	}
	speech_close(s);
	unlink(prog);
	unlink(path);
	rmdir(dic);
	unlink(voice);
	rmdir(dir);
	config_free(cfg);
}

/* ---- the announcer with a fake sink ------------------------------------ */

struct clip {
	double start, end;
	char what[16];
};

static struct {
	pthread_mutex_t mu;
	struct clip c[64];
	int n;
	int playing; /* clips playing at once: must stay <= 1 */
	int max_playing;
} fk = { .mu = PTHREAD_MUTEX_INITIALIZER };

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
fk_clip(const char *what, unsigned ms)
{
	struct timespec d = { 0, (long)ms * 1000000L };
	int i;

	pthread_mutex_lock(&fk.mu);
	i = fk.n++;
	fk.c[i].start = mono();
	snprintf(fk.c[i].what, sizeof(fk.c[i].what), "%s", what);
	if (++fk.playing > fk.max_playing)
		fk.max_playing = fk.playing;
	pthread_mutex_unlock(&fk.mu);
	nanosleep(&d, NULL);
	pthread_mutex_lock(&fk.mu);
	fk.c[i].end = mono();
	fk.playing--;
	pthread_mutex_unlock(&fk.mu);
}

static void
fk_chime(void *ctx)
{
	(void)ctx;
	fk_clip("chime", 20);
}

/* a clip "plays" for a tenth of its length */
static void
fk_play(void *ctx, const struct speech_pcm *pcm)
{
	(void)ctx;
	fk_clip("voice", speech_pcm_ms(pcm) / 10);
}

static void *
push_some(void *arg)
{
	struct announcer *a = arg;
	struct speech_call c = { .counter = 2 };
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(c.number, sizeof(c.number), "B-%03d", 20 + i);
		announcer_push(a, &c);
	}
	return NULL;
}

static void
test_speech_announcer_never_overlaps_calls(void **state)
{
	struct config *cfg = config_defaults();
	struct speech_sink sink = { fk_chime, fk_play, NULL, NULL };
	struct speech_call c = { .counter = 3 };
	struct speech_log_entry e;
	struct announcer *a;
	struct speech *s;
	struct kerr err;
	pthread_t th;
	size_t i, nja = 0, nen = 0, nvi = 0, nrecall = 0;
	int k, waited = 0;

	(void)state;
	speech_log_clear();
	assert_int_equal(speech_open(&s, cfg, &err), K_OK);
	assert_int_equal(announcer_start(&a, s, cfg, &sink, 16000, &err), K_OK);
	snprintf(c.number, sizeof(c.number), "A-012");
	snprintf(c.lang, sizeof(c.lang), "vi");
	/* two threads push at once while the first call is spoken */
	announcer_push(a, &c);
	pthread_create(&th, NULL, push_some, a);
	c.recall = true;
	c.lang[0] = '\0';
	announcer_push(a, &c);
	pthread_join(th, NULL);
	while (announcer_pending(a) > 0 && waited++ < 3000) {
		struct timespec d = { 0, 10000000L };
		nanosleep(&d, NULL);
	}
	assert_int_equal(announcer_pending(a), 0);
	announcer_stop(a);

	/* 4 calls: each a chime and then ja, en (+ vi for the first) */
	assert_int_equal(fk.n, 4 * 3 + 1);
	assert_int_equal(fk.max_playing, 1);
	for (k = 1; k < fk.n; k++)
		if (fk.c[k].start < fk.c[k - 1].end)
			fail_msg("clip %d starts %.1f ms before clip %d ends",
			    k, fk.c[k - 1].end - fk.c[k].start, k - 1);
	assert_string_equal(fk.c[0].what, "chime");
	assert_string_equal(fk.c[1].what, "voice");
	/* the log: what was said, in order, per language */
	for (i = 0; speech_log_get(i, &e); i++) {
		if (strcmp(e.lang, "ja") == 0)
			nja++;
		if (strcmp(e.lang, "en") == 0)
			nen++;
		if (strcmp(e.lang, "vi") == 0)
			nvi++;
		if (strstr(e.text, "さいど およびします") != NULL)
			nrecall++;
		if (i > 0) {
			struct speech_log_entry p;
			speech_log_get(i - 1, &p);
			assert_true(e.at_ms >= p.at_ms);
		}
	}
	assert_int_equal(nja, 4);
	assert_int_equal(nen, 4);
	assert_int_equal(nvi, 1);
	assert_int_equal(nrecall, 1);
	speech_log_get(0, &e);
	assert_string_equal(e.text, "chime");
	speech_log_get(1, &e);
	assert_string_equal(e.lang, "ja");
	assert_non_null(strstr(e.text, "エー の じゅうに ばん"));
	speech_log_get(3, &e);
	assert_string_equal(e.lang, "vi");
	assert_non_null(strstr(e.text, "A 12"));
	speech_log_clear();
	assert_int_equal(speech_log_count(), 0);
	assert_false(speech_log_get(0, &e));
	config_free(cfg);
}

static void
test_speech_log_keeps_the_newest_lines(void **state)
{
	struct speech_log_entry e;
	char t[32];
	int i;

	(void)state;
	speech_log_clear();
	for (i = 0; i < SPEECH_LOG_MAX + 10; i++) {
		snprintf(t, sizeof(t), "line %d", i);
		speech_log_add("en", t);
	}
	assert_int_equal(speech_log_count(), SPEECH_LOG_MAX);
	assert_true(speech_log_get(0, &e));
	assert_string_equal(e.text, "line 10");
	assert_true(speech_log_get(SPEECH_LOG_MAX - 1, &e));
	snprintf(t, sizeof(t), "line %d", SPEECH_LOG_MAX + 9);
	assert_string_equal(e.text, t);
	speech_log_clear();
	assert_int_equal(speech_log_count(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_speech_kana_numbers_read_the_japanese_way),
		cmocka_unit_test(
		    test_speech_callout_every_number_letter_counter_language),
		cmocka_unit_test(
		    test_speech_callout_rejects_bad_numbers_and_counters),
		cmocka_unit_test(
		    test_speech_espeak_speaks_every_callout_language),
		cmocka_unit_test(test_speech_volume_scales_and_wav_round_trips),
		cmocka_unit_test(
		    test_speech_jtalk_configuration_errors_and_command_line),
		cmocka_unit_test(test_speech_announcer_never_overlaps_calls),
		cmocka_unit_test(test_speech_log_keeps_the_newest_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
