/*
 * board.c - the lobby board (`kiosk display`): the newest call large with
 * its counter (highlighted for 10 s), the last six calls, people waiting
 * per service and the clock, Japanese with English below, and a chime per
 * call.  The same content as the web page /board (assets/web/board.html).
 *
 * The board asks the queue server for GET /api/board every second on a
 * worker job (qclient_board: kiosk.server, else server.public_url, with
 * server.token_display).  Calls it has not seen are announced one after
 * the other, each for at least its chime plus a second, so one never cuts
 * off another.  With speech.enable the call is also spoken (speech.h: a
 * chime, then Japanese and English, on the announcer's own thread, so
 * the board never waits for synthesis); the next call is shown when the
 * announcer has finished the last one.  A number called again at the
 * same counter is a recall: 「さいど およびします」.  The big number is drawn as a dot-matrix font: the type
 * scale of the resident screens stops at 64 px, a lobby needs ~300 px.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "chime.h"
#include "config.h"
#include "qclient.h"
#include "screen.h"
#include "speech.h"
#include "ui.h"
#include "xmalloc.h"

enum {
	TIMER_POLL = 1,        /* ask the server */
	TIMER_CLOCK,           /* the minute changed */
	TIMER_HIGHLIGHT,       /* the 10 s highlight of the newest call ends */
	TIMER_NEXT,            /* the next queued call may be announced */
};

#define BOARD_POLL_MS 1000
#define BOARD_HIGHLIGHT_MS 10000
#define BOARD_MIN_SHOW_MS 4000
#define BOARD_SPEECH_POLL_MS 200
#define BOARD_QUEUE 16
#define BOARD_SEEN 64

struct board_call {
	char number[16];
	int counter;
	char at[32];
	bool recall;            /* this number was called at this counter before */
	char lang[8];           /* the ticket's language (speech) */
};

static struct {
	struct qclient *qc;
	int job;                          /* running poll, 0: none */
	bool loaded;                      /* a first answer came */
	struct qclient_board b;           /* the last good answer */
	char problem[256];                /* "" while the server answers */
	char seen[BOARD_SEEN][64];        /* ring of announced call keys */
	size_t seen_next;
	struct board_call queue[BOARD_QUEUE];
	size_t nqueue;
	struct board_call hero;
	bool have_hero, fresh, showing;
	unsigned announced;
	char clock[16], date[64];
	struct announcer *ann;            /* NULL: chime only */
} st;

/* English under the default services' Japanese names (server.services). */
static const struct {
	const char *ja, *en;
} board_en[] = {
	{ "住民票・証明書", "Certificates" },
	{ "届出・異動", "Notifications, moving" },
	{ "マイナンバーカード", "My Number Card" },
	{ "保険・年金・手当", "Insurance, pension" },
	{ "相談", "Consultation" },
};

static const char *
board_english(const char *ja)
{
	size_t i;

	for (i = 0; i < sizeof(board_en) / sizeof(board_en[0]); i++)
		if (strcmp(board_en[i].ja, ja) == 0)
			return board_en[i].en;
	return "";
}

/* ---- time ------------------------------------------------------------ */

/* "2026-11-28T14:05:09+09:00" -> seconds in its own zone, -1 if not. */
static int64_t
board_iso_seconds(const char *iso)
{
	int y, mo, d, h, mi, s;
	int64_t days;

	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
	    &s) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	/* days from civil (proleptic Gregorian) */
	y -= mo <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = era * 146097 + doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + s;
}

static void
board_format_clock(struct app *app)
{
	static const char *const wd[] = { "日", "月", "火", "水", "木", "金",
	    "土" };
	static const char *const wd_en[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mon_en[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(app_wall_ms(app) / 1000) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(st.clock, sizeof(st.clock), "%d:%02d", tm.tm_hour,
	    tm.tm_min);
	snprintf(st.date, sizeof(st.date), "%d月%d日(%s)  %s, %s %d",
	    tm.tm_mon + 1, tm.tm_mday, wd[tm.tm_wday], wd_en[tm.tm_wday],
	    mon_en[tm.tm_mon], tm.tm_mday);
}

static void
board_arm_clock(struct app *app)
{
	int64_t ms = app_wall_ms(app);

	app_timer_set(app, TIMER_CLOCK, (uint32_t)(60000 - ms % 60000) + 5,
	    false);
}

/* ---- calls ----------------------------------------------------------- */

static void
board_key(const struct board_call *c, char *key, size_t len)
{
	snprintf(key, len, "%s|%d|%s", c->number, c->counter, c->at);
}

static bool
board_seen(const struct board_call *c)
{
	char key[64];
	size_t i;

	board_key(c, key, sizeof(key));
	for (i = 0; i < BOARD_SEEN; i++)
		if (strcmp(st.seen[i], key) == 0)
			return true;
	return false;
}

/* The same number at the same counter, announced before at another time. */
static bool
board_seen_number(const struct board_call *c)
{
	char key[64];
	size_t i, n;

	n = (size_t)snprintf(key, sizeof(key), "%s|%d|", c->number, c->counter);
	for (i = 0; i < BOARD_SEEN; i++)
		if (strncmp(st.seen[i], key, n) == 0)
			return true;
	return false;
}

static void
board_mark(const struct board_call *c)
{
	board_key(c, st.seen[st.seen_next], sizeof(st.seen[0]));
	st.seen_next = (st.seen_next + 1) % BOARD_SEEN;
}

static void
board_show(struct app *app, const struct board_call *c, bool fresh)
{
	st.hero = *c;
	st.have_hero = true;
	st.fresh = fresh;
	if (fresh)
		app_timer_set(app, TIMER_HIGHLIGHT, BOARD_HIGHLIGHT_MS, false);
	else
		app_timer_cancel(app, TIMER_HIGHLIGHT);
}

/* Announce the oldest queued call: hero, highlight, chime; the next one
 * waits for TIMER_NEXT. */
static void
board_next(struct app *app)
{
	unsigned ms;

	if (st.nqueue == 0) {
		st.showing = false;
		return;
	}
	board_show(app, &st.queue[0], true);
	memmove(&st.queue[0], &st.queue[1],
	    (st.nqueue - 1) * sizeof(st.queue[0]));
	st.nqueue--;
	if (st.ann != NULL) {
		struct speech_call sc;

		memset(&sc, 0, sizeof(sc));
		snprintf(sc.number, sizeof(sc.number), "%s", st.hero.number);
		sc.counter = st.hero.counter;
		sc.recall = st.hero.recall;
		snprintf(sc.lang, sizeof(sc.lang), "%s", st.hero.lang);
		klog("debug", "board", "speak %s at %d", sc.number, sc.counter);
		announcer_push(st.ann, &sc);
		/* TIMER_NEXT then waits for the announcer as well */
		ms = BOARD_MIN_SHOW_MS;
	} else {
		ms = chime_play(CHIME_CALL) + 1000;
		if (ms < BOARD_MIN_SHOW_MS)
			ms = BOARD_MIN_SHOW_MS;
	}
	st.announced++;
	st.showing = true;
	app_timer_set(app, TIMER_NEXT, ms, false);
}

static void
board_enqueue(const struct board_call *c)
{
	if (st.nqueue == BOARD_QUEUE) {
		/* a burst longer than the queue: the oldest waiting call is
		 * still in the recent list, only its announcement is dropped */
		memmove(&st.queue[0], &st.queue[1],
		    (BOARD_QUEUE - 1) * sizeof(st.queue[0]));
		st.nqueue--;
	}
	st.queue[st.nqueue++] = *c;
}

static void
board_take(struct app *app, const struct qclient_board *b)
{
	struct board_call c;
	size_t i;

	for (i = b->ncalls; i-- > 0;) {
		memset(&c, 0, sizeof(c));
		snprintf(c.number, sizeof(c.number), "%s", b->calls[i].number);
		c.counter = b->calls[i].counter;
		snprintf(c.at, sizeof(c.at), "%s", b->calls[i].at);
		snprintf(c.lang, sizeof(c.lang), "%s", b->calls[i].lang);
		if (board_seen(&c))
			continue;
		c.recall = board_seen_number(&c);
		board_mark(&c);
		if (st.loaded) {
			board_enqueue(&c);
		} else if (i == 0) {
			/* at start: the newest call, announced only if it
			 * is still within its highlight time */
			int64_t at = board_iso_seconds(c.at);
			int64_t now = board_iso_seconds(b->now);
			bool recent = at >= 0 && now >= 0 &&
			    (now - at) * 1000 < BOARD_HIGHLIGHT_MS;

			if (recent)
				board_enqueue(&c);
			else
				board_show(app, &c, false);
		}
	}
	st.b = *b;
	st.loaded = true;
	if (!st.showing)
		board_next(app);
}

/* ---- the poll job ------------------------------------------------------ */

static int
board_job(struct ui_event *ev, void *arg)
{
	struct qclient_board *b = xcalloc(1, sizeof(*b));
	int rc;

	rc = qclient_board(arg, b, &ev->err);
	ev->data = b;
	return rc;
}

static void
board_poll(struct app *app)
{
	if (st.job != 0 || st.qc == NULL)
		return;
	st.job = app_spawn(app, board_job, st.qc);
}

static void
board_failed(const struct ui_event *ev)
{
	switch (ev->rc) {
	case K_ENODEV:
		snprintf(st.problem, sizeof(st.problem), "%s",
		    "サーバーに接続できません。再試行しています。  "
		    "Cannot reach the server; retrying.");
		break;
	case K_EAUTH:
		snprintf(st.problem, sizeof(st.problem), "%s",
		    "表示用トークン（server.token_display）が違います。  "
		    "The display token is wrong.");
		break;
	default:
		snprintf(st.problem, sizeof(st.problem), "サーバーの応答: %.200s",
		    ev->err.msg);
	}
}

/* ---- screen ----------------------------------------------------------- */

/* The announcer speaks through the chime's device (a silent one in
 * scripted runs, which still fills the speech log). */
static void
board_speech_start(const struct config *cfg)
{
	struct speech_sink sink;
	struct speech *s;
	struct kerr err;

	if (speech_open(&s, cfg, &err) != K_OK) {
		klog("warn", "board", "no speech, chimes only: %s", err.msg);
		return;
	}
	chime_speech_sink(&sink);
	if (announcer_start(&st.ann, s, cfg, &sink, CHIME_RATE_HZ,
	    &err) != K_OK) {
		klog("warn", "board", "no speech, chimes only: %s", err.msg);
		speech_close(s);
		st.ann = NULL;
	}
}

static void
board_enter(struct app *app, void *arg)
{
	const struct config *cfg = app_config(app);
	const char *url = config_str(cfg, "kiosk.server");
	struct kerr err;

	(void)arg;
	memset(&st, 0, sizeof(st));
	if (url == NULL || url[0] == '\0')
		url = config_str(cfg, "server.public_url");
	if (qclient_new(&st.qc, url, config_str(cfg, "server.token_display"),
	    3000, &err) != K_OK) {
		snprintf(st.problem, sizeof(st.problem), "%s", err.msg);
		st.qc = NULL;
	} else {
		qclient_set_ca(st.qc, config_str(cfg, "kiosk.server_ca"));
	}
	if (chime_open(app_scripted(app), config_int(cfg, "kiosk.volume"),
	    &err) != K_OK)
		klog("warn", "board", "no chimes: %s", err.msg);
	else if (config_bool(cfg, "speech.enable"))
		board_speech_start(cfg);
	board_format_clock(app);
	board_arm_clock(app);
	app_timer_set(app, TIMER_POLL, BOARD_POLL_MS, true);
	board_poll(app);
}

static bool
board_event(struct app *app, struct ui_event *ev)
{
	switch (ev->type) {
	case UI_TICK:
		switch (ev->timer) {
		case TIMER_POLL:
			board_poll(app);
			return false;
		case TIMER_CLOCK:
			board_format_clock(app);
			board_arm_clock(app);
			return true;
		case TIMER_HIGHLIGHT:
			st.fresh = false;
			return true;
		case TIMER_NEXT:
			if (st.ann != NULL && announcer_pending(st.ann) > 0) {
				/* still speaking: the next call waits */
				app_timer_set(app, TIMER_NEXT,
				    BOARD_SPEECH_POLL_MS, false);
				return false;
			}
			st.showing = false;
			board_next(app);
			return true;
		}
		return false;
	case UI_JOB_DONE:
		if (ev->job != st.job)
			return false;
		st.job = 0;
		if (ev->rc != K_OK) {
			board_failed(ev);
			return true;
		}
		st.problem[0] = '\0';
		board_format_clock(app);
		board_take(app, ev->data);
		return true;
	case UI_KEY:
		/* Escape on a keyboard ends the board (the TV has none) */
		if (ev->key == UI_KEY_CANCEL) {
			app_quit(app, 0);
			return false;
		}
		return false;
	default:
		return false;
	}
}

/*
 * The big number as a 5x7 dot-matrix font (the look of the LED boards
 * residents know): uppercase A-F, digits and '-'.  Row bits, MSB left.
 */
static const struct {
	char ch;
	uint8_t rows[7];
} board_font[] = {
	{ '0', { 0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e } },
	{ '1', { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e } },
	{ '2', { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f } },
	{ '3', { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e } },
	{ '4', { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02 } },
	{ '5', { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e } },
	{ '6', { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e } },
	{ '7', { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
	{ '8', { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e } },
	{ '9', { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c } },
	{ 'A', { 0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11 } },
	{ 'B', { 0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e } },
	{ 'C', { 0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e } },
	{ 'D', { 0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c } },
	{ 'E', { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f } },
	{ 'F', { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10 } },
	{ '-', { 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00 } },
};

/* One glyph at x,y with dots of `dot` px (a small gap between dots). */
static void
board_glyph(struct ui *ui, int x, int y, int dot, char ch, struct ui_color c)
{
	int gap = dot / 8, row, col;
	size_t i;

	for (i = 0; i < sizeof(board_font) / sizeof(board_font[0]); i++) {
		if (board_font[i].ch != ch)
			continue;
		for (row = 0; row < 7; row++)
			for (col = 0; col < 5; col++)
				if (board_font[i].rows[row] & (0x10 >> col))
					ui_fill(ui, (struct ui_rect){
					    x + col * dot, y + row * dot,
					    dot - gap, dot - gap }, c);
		return;
	}
}

/* The number as large as fits r (glyphs 5x7 dots, one dot between), centred. */
static void
board_big_number(struct ui *ui, struct ui_rect r, const char *num,
    struct ui_color c)
{
	int n = (int)strlen(num), cols, dot, x, y, i;

	if (n == 0)
		return;
	cols = n * 5 + (n - 1) * 1;
	dot = r.w / cols;
	if (dot > r.h / 7)
		dot = r.h / 7;
	if (dot < 2)
		dot = 2;
	x = r.x + (r.w - cols * dot) / 2;
	y = r.y + (r.h - 7 * dot) / 2;
	for (i = 0; i < n; i++)
		board_glyph(ui, x + i * 6 * dot, y, dot, num[i], c);
}

static void
board_draw_hero(struct ui *ui, struct ui_rect r)
{
	struct ui_color bg = st.fresh ? UI_COL_FOCUS : UI_COL_PANEL_BLUE;
	struct ui_color fg = st.fresh ? UI_RGB(0x000000) : UI_COL_PRIMARY;
	struct ui_color edge = st.fresh ? UI_RGB(0x000000) : UI_COL_PRIMARY;
	struct ui_text_style h = { UI_TYPE_H2, UI_ALIGN_LEFT, UI_COL_TEXT, "ja" };
	struct ui_text_style hen = { UI_TYPE_SECONDARY, UI_ALIGN_LEFT,
	    UI_COL_TEXT, "en" };
	struct ui_text_style go = { UI_TYPE_DISPLAY, UI_ALIGN_CENTER,
	    UI_COL_TEXT, "ja" };
	struct ui_text_style goen = { UI_TYPE_H2, UI_ALIGN_CENTER, UI_COL_TEXT,
	    "en" };
	int pad = ui_mm(ui, 6), gap = ui_mm(ui, 2);
	struct ui_rect in;
	char line[96];

	ui_panel(ui, r, bg, edge, ui_mm(ui, 1.5));
	in = ui_inset(r, pad);
	ui_text(ui, ui_cut_top(&in, ui_type_line_px(ui, UI_TYPE_H2), 0),
	    "お呼び出し中の番号", &h);
	ui_text(ui, ui_cut_top(&in, ui_type_line_px(ui, UI_TYPE_SECONDARY),
	    gap), "Now calling", &hen);
	if (!st.have_hero) {
		struct ui_text_style wait = { UI_TYPE_H1, UI_ALIGN_CENTER |
		    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };
		ui_text(ui, in, "お呼び出しをお待ちください", &wait);
		ui_text(ui, ui_cut_bottom(&in, ui_type_line_px(ui, UI_TYPE_H2),
		    0), "Please wait for your number", &goen);
		return;
	}
	struct ui_rect en = ui_cut_bottom(&in, ui_type_line_px(ui, UI_TYPE_H2),
	    0);
	struct ui_rect ja = ui_cut_bottom(&in, ui_type_line_px(ui,
	    UI_TYPE_DISPLAY), gap);
	snprintf(line, sizeof(line), "%d番窓口へお越しください",
	    st.hero.counter);
	ui_text(ui, ja, line, &go);
	snprintf(line, sizeof(line), "Please go to counter %d",
	    st.hero.counter);
	ui_text(ui, en, line, &goen);
	board_big_number(ui, ui_inset(in, gap), st.hero.number, fg);
}

static void
board_draw_recent(struct ui *ui, struct ui_rect r)
{
	struct ui_text_style h = { UI_TYPE_H2, UI_ALIGN_LEFT, UI_COL_TEXT, "ja" };
	struct ui_text_style hen = { UI_TYPE_SECONDARY, UI_ALIGN_LEFT,
	    UI_COL_TEXT2, "en" };
	struct ui_text_style num = { UI_TYPE_H1, UI_ALIGN_LEFT | UI_ALIGN_MIDDLE,
	    UI_COL_TEXT, "ja" };
	struct ui_text_style ctr = { UI_TYPE_H1, UI_ALIGN_RIGHT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };
	struct ui_text_style tim = { UI_TYPE_SECONDARY, UI_ALIGN_RIGHT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT2, "ja" };
	int gap = ui_mm(ui, 2), rows = QCLIENT_BOARD_CALLS, i;
	struct ui_rect list;

	ui_text(ui, ui_cut_top(&r, ui_type_line_px(ui, UI_TYPE_H2), 0),
	    "これまでの呼び出し", &h);
	ui_text(ui, ui_cut_top(&r, ui_type_line_px(ui, UI_TYPE_SECONDARY),
	    gap), "Recent calls", &hen);
	ui_fill(ui, ui_cut_top(&r, 4, 0), UI_COL_TEXT);
	list = r;
	for (i = 0; i < rows; i++) {
		struct ui_rect row = ui_row(list, rows, i, 0), cell;
		char buf[32];

		ui_fill(ui, (struct ui_rect){ row.x, row.y + row.h - 2, row.w, 2 },
		    UI_COL_DISABLED);
		if ((size_t)i >= st.b.ncalls)
			continue;
		cell = (struct ui_rect){ row.x + gap, row.y, row.w - 2 * gap,
		    row.h - 2 };
		num.fg = i == 0 ? UI_COL_PRIMARY : UI_COL_TEXT;
		ui_text(ui, ui_column(cell, 2, 0, 0), st.b.calls[i].number, &num);
		struct ui_rect right = ui_column(cell, 2, 1, 0);
		struct ui_rect t = ui_cut_right(&right, ui_mm(ui, 28), gap);
		snprintf(buf, sizeof(buf), "%d番", st.b.calls[i].counter);
		ui_text(ui, right, buf, &ctr);
		if (strlen(st.b.calls[i].at) >= 16) {
			int64_t s = board_iso_seconds(st.b.calls[i].at);
			snprintf(buf, sizeof(buf), "%d:%02d",
			    (int)(s / 3600 % 24), (int)(s / 60 % 60));
			ui_text(ui, t, buf, &tim);
		}
	}
}

static void
board_draw_waiting(struct ui *ui, struct ui_rect r)
{
	struct ui_text_style letter = { UI_TYPE_H2, UI_ALIGN_CENTER |
	    UI_ALIGN_MIDDLE, UI_COL_ON_PRIMARY, "en" };
	struct ui_text_style name = { UI_TYPE_SECONDARY, UI_ALIGN_LEFT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };
	struct ui_text_style en = { UI_TYPE_MIN, UI_ALIGN_LEFT, UI_COL_TEXT2,
	    "en" };
	struct ui_text_style count = { UI_TYPE_H1, UI_ALIGN_RIGHT |
	    UI_ALIGN_BOTTOM, UI_COL_TEXT, "ja" };
	struct ui_text_style h = { UI_TYPE_H2, UI_ALIGN_LEFT | UI_ALIGN_BOTTOM,
	    UI_COL_TEXT, "ja" };
	struct ui_text_style hen = { UI_TYPE_SECONDARY, UI_ALIGN_RIGHT |
	    UI_ALIGN_BOTTOM, UI_COL_TEXT2, "en" };
	int gap = ui_mm(ui, 4), pad = ui_mm(ui, 3), n = (int)st.b.nwaiting, i;
	struct ui_rect head = ui_cut_top(&r, ui_type_line_px(ui, UI_TYPE_H2),
	    ui_mm(ui, 2));

	ui_text(ui, head, "お待ちの人数", &h);
	ui_text(ui, head, "People waiting", &hen);
	for (i = 0; i < n; i++) {
		struct ui_rect tile = ui_column(r, n, i, gap), in, top, sq;
		char buf[32], l[2] = { st.b.waiting[i].letter, '\0' };

		ui_panel(ui, tile, UI_COL_PANEL, UI_COL_BORDER, 2);
		in = ui_inset(tile, pad);
		top = ui_cut_top(&in, ui_mm(ui, 16), pad);
		sq = ui_cut_left(&top, ui_mm(ui, 16), pad);
		ui_panel(ui, sq, UI_COL_PRIMARY, UI_COL_PRIMARY, 0);
		ui_text(ui, sq, l, &letter);
		ui_text(ui, top, st.b.waiting[i].name, &name);
		ui_text(ui, ui_cut_top(&in, ui_type_line_px(ui, UI_TYPE_MIN), 0),
		    board_english(st.b.waiting[i].name), &en);
		in = ui_cut_bottom(&in, ui_type_line_px(ui, UI_TYPE_H1), 0);
		snprintf(buf, sizeof(buf), "%d人", st.b.waiting[i].waiting);
		ui_text(ui, in, buf, &count);
	}
}

static void
board_draw(struct app *app, struct ui *ui)
{
	struct ui_rect s = ui_screen(ui), band, top, body, lower, hero;
	int m = ui_mm(ui, 8), gap = ui_mm(ui, 4);
	struct ui_text_style site = { UI_TYPE_H1, UI_ALIGN_LEFT | UI_ALIGN_MIDDLE,
	    UI_COL_ON_PRIMARY, "ja" };
	struct ui_text_style clock = { UI_TYPE_DISPLAY, UI_ALIGN_RIGHT |
	    UI_ALIGN_MIDDLE, UI_COL_ON_PRIMARY, "ja" };
	struct ui_text_style date = { UI_TYPE_SECONDARY, UI_ALIGN_RIGHT |
	    UI_ALIGN_MIDDLE, UI_COL_ON_PRIMARY, "ja" };
	struct ui_text_style warn = { UI_TYPE_SECONDARY, UI_ALIGN_LEFT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };

	ui_fill(ui, s, UI_COL_BG);
	band = ui_cut_top(&s, ui_mm(ui, 32), 0);
	ui_fill(ui, band, UI_COL_PRIMARY);
	top = ui_inset(band, m / 2);
	top.x += m / 2;
	top.w -= m;
	ui_text(ui, top, config_str(app_config(app), "kiosk.site_name"), &site);
	struct ui_rect clk = ui_cut_right(&top, ui_mm(ui, 58), gap);
	ui_text(ui, clk, st.clock, &clock);
	ui_text(ui, ui_cut_right(&top, ui_mm(ui, 110), 0), st.date, &date);

	body = ui_inset(s, m);
	if (st.problem[0] != '\0') {
		struct ui_rect p = ui_cut_bottom(&body,
		    ui_type_line_px(ui, UI_TYPE_SECONDARY) + 8, gap);
		ui_panel(ui, p, UI_COL_WARNING_BG, UI_COL_WARNING, 3);
		p.x += gap;
		p.w -= 2 * gap;
		ui_text(ui, p, st.problem, &warn);
	}
	lower = ui_cut_bottom(&body, ui_mm(ui, 76), gap);
	hero = ui_cut_left(&body, body.w * 11 / 20, gap * 2);
	board_draw_hero(ui, hero);
	board_draw_recent(ui, body);
	board_draw_waiting(ui, lower);
}

static void
board_leave(struct app *app)
{
	(void)app;
	/* the announcer plays through the chime's device: stopped first */
	announcer_stop(st.ann);
	st.ann = NULL;
	chime_close();
	/* a poll still running uses the client: the app joins its workers
	 * after the screens leave, so the client is left to the exit */
	if (st.job == 0)
		qclient_free(st.qc);
	memset(&st, 0, sizeof(st));
}

const struct screen screen_board = {
	.name = "board",
	.enter = board_enter,
	.event = board_event,
	.draw = board_draw,
	.leave = board_leave,
};
