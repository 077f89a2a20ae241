/*
 * journey_voice.c - voice guidance on the resident kiosk (音声案内), for a
 * resident who cannot see the screen (EN 301 549 5.1.3, JIS X 8341).
 *
 * Started by the "help" key (* or F1) on the idle screen, or the idle
 * screen's 音声案内 button (journey_voice_start).  From then on every new
 * screen speaks its heading, its question and the focused control; a
 * focus move (arrows, Tab) speaks the newly focused control; the "repeat"
 * key (# or F2) says it all again, the "help" key how the keys work.  All
 * of it is read from the frame's widget list, so every screen is covered
 * without its own code, with three rules by screen:
 *   card_pin  a digit key is spoken as 「ひとつ目 入力しました」, never the
 *             digit; a focused pad key says "a number key", not its label
 *   confirm   only the heading and the controls, never the card's facts,
 *             unless speech.private says the sound is private (a handset
 *             or headphone-only jack: the kiosk cannot tell a headphone
 *             from its speaker, so the city says so in the config)
 *   ticket    the number and counter (display-size text) twice
 * Session end stops the speech, drops what waits and wipes the speech log.
 * Speech goes through the announcer's thread (speech.h): the UI never
 * waits for synthesis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "chime.h"
#include "config.h"
#include "catalog.h"
#include "i18n.h"
#include "journey.h"
#include "screen.h"
#include "speech.h"
#include "ui.h"

static struct {
	bool on;
	struct announcer *ann;
	char screen[32];
	unsigned long sig; /* of the headings and question spoken */
	int focus;         /* the focused widget id last spoken */
	int pin_digits;    /* digits keyed on this PIN screen */
} vg;

/* {base|reading} -> reading: ja-easy's furigana is what a voice reads. */
static void
reading(const char *src, char *out, size_t len)
{
	size_t o = 0;
	const char *p = src;

	while (*p != '\0' && o + 1 < len) {
		if (*p == '{') {
			const char *bar = strchr(p, '|'), *end = strchr(p, '}');
			if (bar != NULL && end != NULL && bar < end) {
				size_t n = (size_t)(end - bar - 1);
				if (o + n >= len)
					break;
				memcpy(out + o, bar + 1, n);
				o += n;
				p = end + 1;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

/* Has a CJK ideograph (kanji): espeak-ng says "Chinese letter" for it. */
static bool
has_kanji(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if ((p[0] & 0xf0) == 0xe0 && p[1] != '\0' && p[2] != '\0') {
			unsigned cp = (unsigned)(p[0] & 0x0f) << 12 |
			    (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			if (cp >= 0x4e00 && cp <= 0x9fff)
				return true;
			p += 2;
		}
	return false;
}

/* The やさしい日本語 reading of one catalog text whose Japanese is text. */
static bool
cat_kana(const struct cat_text *t, const char *text, char *out, size_t len)
{
	const char *e;

	if (t->n == 0 || strcmp(cat_text_get(t, "ja"), text) != 0)
		return false;
	e = cat_text_get(t, "ja-easy");
	reading(e, out, len);
	return !has_kanji(out);
}

/* Procedure names, descriptions, questions, choices, things to bring. */
static bool
catalog_kana(struct app *app, const char *text, char *out, size_t len)
{
	const struct catalog *c = journey_of(app)->cat;
	size_t i, k, m;

	for (i = 0; c != NULL && i < catalog_count(c); i++) {
		const struct cat_procedure *p = catalog_at(c, i);

		if (cat_kana(&p->name, text, out, len) ||
		    cat_kana(&p->desc, text, out, len))
			return true;
		for (k = 0; k < p->nquestions; k++) {
			const struct cat_question *q = &p->questions[k];

			if (cat_kana(&q->text, text, out, len) ||
			    cat_kana(&q->help, text, out, len))
				return true;
			for (m = 0; m < q->nchoices; m++)
				if (cat_kana(&q->choices[m].text, text, out,
				    len))
					return true;
		}
		for (k = 0; k < p->nbring; k++)
			if (cat_kana(&p->bring[k], text, out, len))
				return true;
	}
	return false;
}

/*
 * The kana a kana-only engine reads for a Japanese screen text: the
 * message of the same key in やさしい日本語, whose every kanji has its
 * furigana ({base|reading}), read as the reading; or the same for a
 * catalog text.  false when the text is neither (formatted lines).
 */
static bool
kana_whole(struct app *app, const char *text, char *out, size_t len)
{
	struct journey *j = journey_of(app);
	int ja = i18n_find(j->tr, "ja"), easy = i18n_find(j->tr, "ja-easy");
	size_t i, n;
	char plain[512];

	if (catalog_kana(app, text, out, len))
		return true;
	if (ja < 0 || easy < 0)
		return false;
	n = i18n_msg_count(j->tr, (size_t)ja);
	for (i = 0; i < n; i++) {
		const char *m = i18n_msg_at(j->tr, (size_t)ja, i);
		const char *e;

		i18n_strip_ruby(plain, sizeof(plain), m);
		if (strcmp(plain, text) != 0)
			continue;
		e = i18n_lookup(j->tr, (size_t)easy,
		    i18n_msgid_at(j->tr, (size_t)ja, i));
		if (e == NULL || e[0] == '\0')
			return false;
		reading(e, out, len);
		return !has_kanji(out);
	}
	return false;
}

/* A control shows a label and a second line ("住民票の写し 住所を証明す
 * る書類"): the whole, else both halves at a space. */
static bool
kana_of(struct app *app, const char *text, char *out, size_t len)
{
	char left[512], a[512], b[512];
	const char *sp;

	if (kana_whole(app, text, out, len))
		return true;
	for (sp = strchr(text, ' '); sp != NULL; sp = strchr(sp + 1, ' ')) {
		size_t n = (size_t)(sp - text);

		if (n >= sizeof(left))
			break;
		memcpy(left, text, n);
		left[n] = '\0';
		if (kana_whole(app, left, a, sizeof(a)) &&
		    kana_whole(app, sp + 1, b, sizeof(b))) {
			int w = snprintf(out, len, "%s %s", a, b);
			return w >= 0 && (size_t)w < len;
		}
	}
	return false;
}

static void
say(struct app *app, const char *text)
{
	const char *lang = ui_lang(app_ui(app));
	char buf[512], kana[512];

	if (!vg.on || vg.ann == NULL || text == NULL || text[0] == '\0')
		return;
	reading(text, buf, sizeof(buf));
	/* the log keeps the text as shown; the voice gets kana */
	if (strcmp(lang, "ja") == 0 && has_kanji(buf) &&
	    !announcer_reads_kanji(vg.ann, lang) &&
	    kana_of(app, buf, kana, sizeof(kana)))
		announcer_say_as(vg.ann, lang, buf, kana);
	else
		announcer_say(vg.ann, lang, buf);
}

static void
say_key(struct app *app, const char *key)
{
	say(app, journey_tr(app, key));
}

static const struct screen *
top(struct app *app)
{
	return app_top(app);
}

static bool
on_screen(struct app *app, const char *name)
{
	return top(app) != NULL && strcmp(top(app)->name, name) == 0;
}

/* A single digit: a PIN pad key's label. */
static bool
is_digit_label(const char *t)
{
	return t != NULL && t[0] >= '0' && t[0] <= '9' && t[1] == '\0';
}

static const struct ui_widget *
focused(struct app *app)
{
	struct ui *ui = app_ui(app);
	size_t i, n = ui_widget_count(ui);

	for (i = 0; i < n; i++) {
		const struct ui_widget *w = ui_widget_at(ui, i);
		if (w->id > 0 && w->id == ui_focus_id(ui))
			return w;
	}
	return NULL;
}

static void
say_focus(struct app *app)
{
	const struct ui_widget *w = focused(app);

	vg.focus = w != NULL ? w->id : 0;
	if (w == NULL)
		return;
	if (on_screen(app, "card_pin") && is_digit_label(w->text))
		say_key(app, "voice.pin_key");
	else
		say(app, w->text);
}

/*
 * Headings (display, h1, h2 text), then the question or message (the
 * first body text; on the ticket every body text), then the focus.  The
 * waits, notes and other secondary text are left to the repeat of a
 * sighted helper: a screen reader that reads everything is slow.
 */
static void
say_screen(struct app *app)
{
	struct ui *ui = app_ui(app);
	size_t i, n = ui_widget_count(ui);
	bool private_ok = config_bool(app_config(app), "speech.private");
	bool confirm = on_screen(app, "confirm");
	bool ticket = on_screen(app, "ticket");
	int body = 0;

	for (i = 0; i < n; i++) {
		const struct ui_widget *w = ui_widget_at(ui, i);

		if (w->id > 0 || w->text == NULL || w->text[0] == '\0')
			continue;
		/* the card's facts are shown in h2/body size: on the open
		 * speaker the confirm screen says its title only */
		if (confirm && !private_ok && w->type != UI_TYPE_H1)
			continue;
		if (w->type == UI_TYPE_DISPLAY || w->type == UI_TYPE_H1 ||
		    w->type == UI_TYPE_H2) {
			say(app, w->text);
			/* the ticket's number and counter: twice */
			if (ticket)
				say(app, w->text);
		}
	}
	for (i = 0; i < n; i++) {
		const struct ui_widget *w = ui_widget_at(ui, i);

		if (w->id > 0 || w->text == NULL || w->text[0] == '\0' ||
		    w->type != UI_TYPE_BODY)
			continue;
		/* the card's facts: only on a private output */
		if (confirm && !private_ok)
			break;
		if (body++ > 0 && !ticket && !confirm)
			break;
		say(app, w->text);
	}
	say_focus(app);
}

static void
stop(void)
{
	vg.on = false;
	if (vg.ann != NULL) {
		announcer_stop(vg.ann);
		vg.ann = NULL;
	}
	vg.screen[0] = '\0';
	vg.focus = 0;
	vg.pin_digits = 0;
}

bool
journey_voice_on(void)
{
	return vg.on;
}

void
journey_voice_start(struct app *app)
{
	const struct config *cfg = app_config(app);
	struct speech_sink sink;
	struct speech *s;
	struct kerr err;

	if (vg.on)
		return;
	if (speech_open(&s, cfg, &err) != K_OK) {
		klog("warn", "voice", "no voice guidance: %s", err.msg);
		return;
	}
	chime_speech_sink(&sink);
	if (announcer_start(&vg.ann, s, cfg, &sink, CHIME_RATE_HZ, &err) !=
	    K_OK) {
		klog("warn", "voice", "no voice guidance: %s", err.msg);
		speech_close(s);
		return;
	}
	vg.on = true;
	vg.screen[0] = '\0';
	klog("info", "voice", "voice guidance on");
	say_key(app, "voice.started");
}

void
journey_voice_end(struct app *app)
{
	(void)app;
	if (vg.on)
		klog("info", "voice", "voice guidance off (session end)");
	stop();
	speech_log_clear();
}

/* Keys first seen here: start, repeat, help, and the PIN digits. */
bool
journey_voice_key(struct app *app, struct ui_event *ev)
{
	if (ev->type != UI_KEY)
		return false;
	if (!vg.on) {
		if (ev->key == UI_KEY_HELP && on_screen(app, "idle")) {
			journey_voice_start(app);
			return true;
		}
		return false;
	}
	switch (ev->key) {
	case UI_KEY_REPEAT:
		announcer_flush(vg.ann);
		say_screen(app);
		return true;
	case UI_KEY_HELP:
		announcer_flush(vg.ann);
		say_key(app, "voice.help");
		return true;
	default:
		break;
	}
	if (on_screen(app, "card_pin")) {
		static const char *const nth[] = { "voice.pin1", "voice.pin2",
			"voice.pin3", "voice.pin4" };

		if (ev->key >= UI_KEY_0 && ev->key <= UI_KEY_9) {
			if (vg.pin_digits < 4)
				say_key(app, nth[vg.pin_digits++]);
		} else if (ev->key == UI_KEY_CLEAR && vg.pin_digits > 0) {
			vg.pin_digits--;
			say_key(app, "voice.pin_clear");
		}
	}
	return false;
}

/* A hash of the screen's non-control texts of heading and body size: a
 * screen that asks its next question in place (question.c) changes it. */
static unsigned long
signature(struct app *app)
{
	struct ui *ui = app_ui(app);
	size_t i, n = ui_widget_count(ui);
	unsigned long h = 5381;

	for (i = 0; i < n; i++) {
		const struct ui_widget *w = ui_widget_at(ui, i);
		const char *p;

		if (w->id > 0 || w->text == NULL ||
		    (w->type != UI_TYPE_H1 && w->type != UI_TYPE_H2 &&
		        w->type != UI_TYPE_BODY && w->type != UI_TYPE_DISPLAY))
			continue;
		for (p = w->text; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
	}
	return h;
}

/* After each drawn frame: a new screen or a new focus is spoken. */
void
journey_voice_frame(struct app *app)
{
	const struct screen *s = top(app);
	const struct ui_widget *w;

	if (!vg.on || s == NULL)
		return;
	if (strcmp(vg.screen, s->name) != 0 || signature(app) != vg.sig) {
		if (strcmp(vg.screen, s->name) != 0)
			vg.pin_digits = 0;
		snprintf(vg.screen, sizeof(vg.screen), "%s", s->name);
		vg.sig = signature(app);
		announcer_flush(vg.ann);
		say_screen(app);
		return;
	}
	w = focused(app);
	if ((w != NULL ? w->id : 0) != vg.focus) {
		announcer_flush(vg.ann);
		say_focus(app);
	}
}
