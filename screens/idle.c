/*
 * idle.c - the attract screen: welcome, the eight languages (each in its
 * own name), a large start button and the current waits per service.
 * Tapping a language starts in that language (one tap to the menu).
 * 予約の方 leads to the check-in; a QR scanner typing a booking code
 * (digits or "APPT:" and digits, then Enter, fast) goes straight to its
 * lookup there.  Keys typed slowly stay what they were (Enter: start).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "xmalloc.h"

enum { ID_START = 1, ID_VOICE, ID_APPT, ID_LANG0 = 10 };
enum { T_REFRESH = 1 };
#define REFRESH_MS 15000
/* a scanner types a whole code well within this; a person is slower */
#define SCAN_GAP_MS 1000
/* the languages' columns on a short screen */
#define BAND_COLS 4		/* >= 3: the start row shares colw */
#define MAX_LANGS 16

static struct {
	int job;
	bool queue_failed;
	char scan[40];          /* what a scanner typed so far */
	size_t nscan;
	uint64_t scan_ms;       /* its last character */
} st;

/* A character typed (digit key or text): kept while they come fast. */
static void
scan_char(char c, uint64_t now)
{
	if (st.nscan > 0 && now - st.scan_ms >= SCAN_GAP_MS)
		st.nscan = 0;
	if (st.nscan + 1 < sizeof st.scan && (c != ' ' || st.nscan > 0))
		st.scan[st.nscan++] = c;
	st.scan[st.nscan] = '\0';
	st.scan_ms = now;
}

static void
idle_enter(struct app *app, void *arg)
{
	(void)arg;
	memset(&st, 0, sizeof st);
	st.job = journey_spawn_queue(app);
	app_timer_set(app, T_REFRESH, REFRESH_MS, true);
}

static void
idle_leave(struct app *app)
{
	(void)app;
	explicit_bzero(&st, sizeof st);
}

static bool
idle_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	if (ev->type == UI_IDLE) {
		/* nobody here: back to the default language and size */
		if (strcmp(j->s.lang, j->default_lang) != 0 || j->s.large) {
			journey_set_lang(app, j->default_lang);
			journey_set_large(app, false);
			return true;
		}
		return false;
	}
	if (ev->type == UI_TICK && ev->timer == T_REFRESH) {
		if (st.job == 0)
			st.job = journey_spawn_queue(app);
		return false;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.job) {
		st.job = 0;
		journey_set_queue(j, ev->rc == K_OK ? ev->data : NULL);
		st.queue_failed = !j->queue_ok;
		return true;
	}
	if (ev->type == UI_NOTIFY) {
		journey_frame_event(app, ev, &redraw, false);
		if (ev->code == JOURNEY_NOTIFY_CARD_INSERTED)
			return true;
		return false;
	}
	/* a scanner: text and digit keys gather, Enter right after them
	 * takes the code to the check-in */
	if (ev->type == UI_TEXT) {
		const char *p;
		for (p = ev->text; *p != '\0'; p++)
			scan_char(*p, ev->now_ms);
		return false;
	}
	if (ev->type == UI_KEY && ev->key >= UI_KEY_0 && ev->key <= UI_KEY_9) {
		scan_char((char)('0' + ev->key - UI_KEY_0), ev->now_ms);
		return false;
	}
	if (ev->type == UI_KEY && ev->key == UI_KEY_ENTER && st.nscan > 0 &&
	    ev->now_ms - st.scan_ms < SCAN_GAP_MS) {
		char *typed = xstrdup(st.scan);
		explicit_bzero(st.scan, sizeof st.scan);
		st.nscan = 0;
		/* the check-in owns and wipes the copy */
		if (!journey_next_arg(app, JO_CHECKIN, typed))
			xfree_wipe_str(typed);
		return true;
	}
	if (journey_frame_event(app, ev, &redraw, false))
		return redraw;
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_APPT) {
		journey_next(app, JO_CHECKIN);
		return true;
	}
	if (id >= ID_LANG0 && id < ID_LANG0 + (int)i18n_count(j->tr)) {
		journey_set_lang(app, i18n_code(j->tr, (size_t)(id - ID_LANG0)));
		journey_next(app, JO_NEXT);
		return true;
	}
	if (id == ID_VOICE) {
		journey_voice_start(app);
		return true;
	}
	if (id == ID_START ||
	    (ev->type == UI_KEY && ev->key == UI_KEY_ENTER &&
	        ui_focus_id(app_ui(app)) == 0)) {
		journey_next(app, JO_NEXT);
		return true;
	}
	return false;
}

static void
draw_waits(struct app *app, struct ui *ui, struct ui_rect r)
{
	struct journey *j = journey_of(app);
	struct ui_text_style ts;
	char line[256], n[16];
	const char *args[2];
	size_t i;
	int lh;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_H2;
	lh = ui_text_height(ui, r.w - 2 * ui_mm(ui, 4),
	    journey_tr(app, "idle.waits_title"), &ts);
	/* no room for the title and one line (a short screen): no panel;
	 * the menu shows the waits again */
	if (r.h < 2 * ui_mm(ui, 4) + lh + ui_mm(ui, 2) +
	    ui_type_line_px(ui, UI_TYPE_BODY))
		return;
	ui_panel(ui, r, UI_COL_PANEL, UI_COL_BORDER, 2);
	r = ui_inset(r, ui_mm(ui, 4));
	ui_text(ui, ui_cut_top(&r, lh, ui_mm(ui, 2)),
	    journey_tr(app, "idle.waits_title"), &ts);
	ts.type = UI_TYPE_BODY;
	if (!j->queue_ok) {
		const char *msg = journey_tr(app, st.queue_failed ? "queue.paused" :
		    "idle.waits_loading");
		if (st.queue_failed)
			ui_icon(ui, ui_cut_top(&r, ui_mm(ui, 12), 0), UI_ICON_WARNING,
			    UI_COL_WARNING);
		ui_text(ui, r, msg, &ts);
		return;
	}
	lh = ui_type_line_px(ui, UI_TYPE_BODY);
	for (i = 0; i < j->queue.nservices; i++) {
		const struct qclient_service *s = &j->queue.services[i];
		char key[32];
		struct ui_rect row;
		snprintf(key, sizeof key, "service.%c", s->letter);
		snprintf(n, sizeof n, "%d", s->waiting);
		args[0] = journey_tr(app, key);
		args[1] = n;
		journey_trf(app, line, sizeof line, s->waiting > 0 ?
		    "idle.wait_line" : "idle.wait_none", args, 2);
		if (ui_text_height(ui, r.w, line, &ts) > r.h)
			break;
		row = ui_cut_top(&r, ui_text_height(ui, r.w, line, &ts),
		    ui_mm(ui, 1));
		if (row.h < lh)
			break;
		ui_text(ui, row, line, &ts);
	}
}

/* The widest word of s (no word is broken). */
static int
widest_word(struct ui *ui, const char *s, const struct ui_text_style *ts)
{
	char word[128];
	int best = 0;

	while (*s != '\0') {
		size_t len = strcspn(s, " ");
		if (len > 0 && len < sizeof word) {
			int w;
			memcpy(word, s, len);
			word[len] = '\0';
			if ((w = ui_text_width(ui, word, ts)) > best)
				best = w;
		}
		s += len;
		s += strspn(s, " ");
	}
	return best;
}

/*
 * The narrowest width at which s takes at most two lines (a label may
 * wrap once, between words): between its widest word and its whole width.
 */
static int
two_line_width(struct ui *ui, const char *s, const struct ui_text_style *ts)
{
	int lo = widest_word(ui, s, ts), hi = ui_text_width(ui, s, ts), line;

	line = ui_text_height(ui, hi, s, ts);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ui_text_height(ui, mid, s, ts) <= 2 * line)
			hi = mid;
		else
			lo = mid + 1;
	}
	return hi;
}

/*
 * Widths of n columns across w: each as wide as the longest of its labels
 * (labels[i] goes to column i % n; with words, as wide as it needs in
 * two lines) with a button's padding and pad_px more (an icon), and
 * what is left shared out evenly; when even that is more than there is,
 * each in proportion and false.
 */
static bool
fit_columns(struct ui *ui, const char *const *labels, size_t nlabels,
    bool words, int w, int n, int gap, int pad_px, int *colw)
{
	struct ui_text_style ts;
	size_t i;
	int k, sum = 0, extra;

	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	for (k = 0; k < n; k++)
		colw[k] = 0;
	for (i = 0; i < nlabels; i++) {
		int tw = (words ? two_line_width(ui, labels[i], &ts) :
		    ui_text_width(ui, labels[i], &ts)) + 2 * ui_mm(ui, 4) +
		    ui_mm(ui, 2) + pad_px;
		k = (int)(i % (size_t)n);
		if (tw > colw[k])
			colw[k] = tw;
	}
	for (k = 0; k < n; k++)
		sum += colw[k];
	extra = w - (n - 1) * gap - sum;
	for (k = 0; k < n; k++)
		colw[k] = extra >= 0 ? colw[k] + extra / n :
		    (int)((long)colw[k] * (w - (n - 1) * gap) / sum);
	return extra >= 0;
}

static void
idle_draw(struct app *app, struct ui *ui)
{
	struct journey *j = journey_of(app);
	struct journey_frame_opts o = { .title_key = "idle.title" };
	struct ui_frame f;
	struct ui_rect c, left, right, langs, b;
	struct ui_text_style ts;
	size_t i, n = i18n_count(j->tr);
	int gap = ui_mm(ui, UI_MM_GAP), bh = ui_mm(ui, UI_MM_PRIMARY);
	int cols = 2, rows, h, need, lh, colw[BAND_COLS];
	const char *names[MAX_LANGS];
	bool portrait, band = false;

	journey_frame(app, ui, &o, &f);
	c = f.content;
	portrait = ui_screen(ui).w < ui_screen(ui).h;
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	left = c;
	right = c;
	if (!portrait) {
		right = ui_cut_right(&left, c.w * 2 / 5, ui_mm(ui, 8));
		/* a short screen (1280x720): the languages in two rows
		 * across the whole width under the rest, not squeezed under
		 * start; each column as wide as its longest name needs */
		rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
		need = ui_text_height(ui, left.w, journey_tr(app, "idle.touch"),
		    &ts) + gap + bh + ui_mm(ui, 6) + gap * 2 + rows * bh +
		    (rows - 1) * gap;
		if (need > left.h) {
			band = true;
			cols = BAND_COLS;
			/* four to a row when the names fit, else three */
			for (i = 0; i < n && i < MAX_LANGS; i++)
				names[i] = i18n_get(j->tr, i, "lang.name");
			if (!fit_columns(ui, names, i, false, c.w, cols, gap, 0,
			    colw))
				cols = 3;
			rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
			/* one line each: lower than a primary key, still
			 * well over the 15 mm of any target */
			lh = ui_mm(ui, UI_MM_TARGET + 3);
			langs = ui_cut_bottom(&c, rows * lh + (rows - 1) * gap,
			    gap * 2);
			/* and no side column: 予約の方 joins the start row,
			 * the waits go where room is left (the menu shows them
			 * too) */
			left = c;
			right = c;
		}
	}
	/* the line under the title gives way before any button does */
	h = ui_text_height(ui, left.w, journey_tr(app, "idle.touch"), &ts);
	if (left.h - h - gap >= bh + ui_mm(ui, 6) + gap * 2)
		ui_text(ui, ui_cut_top(&left, h, gap),
		    journey_tr(app, "idle.touch"), &ts);
	b = ui_cut_top(&left, bh + ui_mm(ui, 6), gap * 2);
	if (band) {
		/* start, 音声案内 and 予約の方 in one row: each at least as
		 * wide as it needs in two lines, the rest shared out */
		const char *row[3] = { journey_tr(app, "idle.start"),
		    journey_tr(app, "idle.voice"), journey_tr(app, "idle.appt") };
		fit_columns(ui, row, 3, true, b.w, 3, gap, ui_mm(ui, 13),
		    colw);
		ui_button_ex(ui, ID_APPT, ui_cut_right(&b, colw[2], gap),
		    UI_ICON_CLOCK, row[2], NULL, UI_SECONDARY, 0);
	}
	/* 音声案内 beside start: the keypad's help key does the same */
	ui_button_ex(ui, ID_VOICE, ui_cut_right(&b, band ? colw[1] :
	    b.w * 2 / 5, gap),
	    UI_ICON_SPEAKER, journey_tr(app, "idle.voice"), NULL, UI_SECONDARY,
	    journey_voice_on() ? UI_SELECTED : 0);
	ui_button_ex(ui, ID_START, b, UI_ICON_NEXT, journey_tr(app, "idle.start"),
	    NULL, UI_PRIMARY, 0);
	/* 予約の方: as large as start, over the waits (under start when
	 * upright); a scanner's code needs no tap at all */
	if (!band) {
		b = portrait ? ui_cut_top(&left, bh + ui_mm(ui, 6), gap * 2) :
		    ui_cut_top(&right, bh + ui_mm(ui, 6), gap * 2);
		ui_button_ex(ui, ID_APPT, b, UI_ICON_CLOCK,
		    journey_tr(app, "idle.appt"), NULL, UI_SECONDARY, 0);
	}
	rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	if (!band) {
		h = ui_text_height(ui, left.w,
		    journey_tr(app, "idle.choose_lang"), &ts);
		if (left.h - h - gap >= rows * bh + (rows - 1) * gap)
			ui_text(ui, ui_cut_top(&left, h, gap),
			    journey_tr(app, "idle.choose_lang"), &ts);
		/* the languages as compact rows; the rest goes to the waits */
		h = rows * bh + (rows - 1) * gap;
		langs = ui_cut_top(&left, h < left.h ? h : left.h, gap);
	}
	if (band)
		fit_columns(ui, names, n < MAX_LANGS ? n : MAX_LANGS, false,
		    langs.w, cols, gap, 0, colw);
	for (i = 0; i < n; i++) {
		struct ui_rect row = ui_row(langs, rows, (int)(i / (size_t)cols), gap);
		struct ui_rect cell = ui_column(row, cols, (int)(i % (size_t)cols), gap);
		if (band) {
			int k;
			cell.x = row.x;
			for (k = 0; k < (int)(i % (size_t)cols); k++)
				cell.x += colw[k] + gap;
			cell.w = colw[i % (size_t)cols];
		}
		if (cell.h > bh)
			cell.h = bh;
		ui_button_ex(ui, ID_LANG0 + (int)i, cell, UI_ICON_NONE,
		    i18n_get(j->tr, i, "lang.name"), NULL, UI_SECONDARY,
		    strcmp(i18n_code(j->tr, i), j->s.lang) == 0 ? UI_SELECTED : 0);
	}
	/* R6.5: say once that an idle session is erased */
	ts.fg = UI_COL_TEXT2;
	h = ui_text_height(ui, left.w, journey_tr(app, "menu.idle_note"), &ts);
	if (!portrait && h <= left.h)
		ui_text(ui, ui_cut_top(&left, h, gap),
		    journey_tr(app, "menu.idle_note"), &ts);
	if (portrait || band)
		right = left;
	draw_waits(app, ui, right);
}

const struct screen screen_idle = {
	.name = "idle",
	.enter = idle_enter,
	.event = idle_event,
	.draw = idle_draw,
	.leave = idle_leave,
};
