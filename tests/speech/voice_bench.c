/*
 * voice_bench.c - make bench figures for one call-out: the CPU time of
 * synthesising it (Japanese + English, espeak-ng) and the time from
 * announcer_push to its first sample at the sink, median of N.
 * Prints "cpu_ms MED latency_ms MED seconds S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "speech.h"

static double
ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double first_sample, audio_s;
static void
sink_chime(void *ctx)
{
	(void)ctx;
	if (first_sample == 0)
		first_sample = ms(CLOCK_MONOTONIC);
}
static void
sink_play(void *ctx, const struct speech_pcm *p)
{
	(void)ctx;
	audio_s += (double)p->n / p->rate;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10, i;
	struct config *cfg = config_defaults();
	struct speech_sink sink = { sink_chime, sink_play, NULL, NULL };
	struct speech_call c = { .counter = 3 };
	double cpu[64], lat[64], t0;
	struct announcer *a;
	struct speech *s;
	struct kerr err;

	if (n < 1 || n > 64)
		n = 10;
	if (speech_open(&s, cfg, &err) != K_OK ||
	    announcer_start(&a, s, cfg, &sink, 48000, &err) != K_OK) {
		fprintf(stderr, "voice_bench: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(c.number, sizeof(c.number), "A-%03d", 100 + i * 37);
		first_sample = 0;
		audio_s = 0;
		t0 = ms(CLOCK_MONOTONIC);
		double c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
		announcer_push(a, &c);
		while (announcer_pending(a) > 0) {
			struct timespec d = { 0, 1000000L };
			nanosleep(&d, NULL);
		}
		cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		lat[i] = first_sample - t0;
	}
	announcer_stop(a);
	qsort(cpu, (size_t)n, sizeof(double), cmp);
	qsort(lat, (size_t)n, sizeof(double), cmp);
	printf("cpu_ms %.1f latency_ms %.1f seconds %.1f\n", cpu[n / 2],
	    lat[n / 2], audio_s);
	config_free(cfg);
	return 0;
}
