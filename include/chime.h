/*
 * chime.h - short signal tones for the lobby board (and any UI role that
 * wants them), drawn as sine tones below 2.5 kHz (spec R5.3) and played on
 * the default audio device.  Chimes are queued on the device one after the
 * other with a short gap, so a chime never cuts off another.
 *
 * Only kiosk/ui/sdl_audio.c knows SDL.  For the UI thread.
 */
#ifndef CHIME_H
#define CHIME_H

#include <stdbool.h>

#include "kerr.h"
#include "speech.h"

enum chime_kind {
	CHIME_CALL,     /* two tones, G5 then D5: a number is called */
	CHIME_ALERT,    /* three short beeps and a lower one: staff needed */
	CHIME_KIND_COUNT
};

/*
 * Open the default audio device.  silent: count chimes but play nothing
 * (scripted runs).  K_ENODEV with the reason when there is no device; the
 * caller goes on without sound (the board still shows the calls).
 */
int  chime_open(bool silent, int volume_pct, struct kerr *err);
void chime_close(void);
/* Queue one chime.  Returns its length in ms including the gap after it
 * (what a caller waits before announcing the next call). */
unsigned chime_play(enum chime_kind kind);
/* Chimes queued since chime_open (for tests). */
unsigned chime_count(void);
/* Length in ms of one chime including its gap, without playing it. */
unsigned chime_ms(enum chime_kind kind);

/*
 * The speech announcer's way out (speech.h) on the device chime_open
 * opened, at CHIME_RATE_HZ: chime and play queue the sound and wait, on
 * the announcer's thread, until the device has played it; cancel clears
 * the device queue.  Silent (scripted) runs count the chime and return
 * at once.
 */
#define CHIME_RATE_HZ 48000
void chime_speech_sink(struct speech_sink *out);

#endif
