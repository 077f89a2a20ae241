/*
 * checkin.c - 予約の方: the booking code on the large digit keypad of the
 * PIN step (ui_keypad_ex), or from a QR scanner that types like a
 * keyboard (digits or "APPT:" and digits, then Enter; the idle screen
 * hands over what it caught as this screen's arg).  The lookup runs on a
 * worker; meanwhile the screen says so and takes no OK.  A refusal is said
 * in plain words (not found: check the number; another day: which; cancelled;
 * already checked in: the number; server paused) over the keypad, so the
 * next try is one tap or one scan away.  Found: the slot and the
 * procedure, and "next" goes on to its questions with the procedure
 * chosen; past the slot (arrival "late"): say so and offer a normal
 * ticket for the same procedure.  The code is a key, never logged (the
 * last two digits at most).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "ui.h"
#include "wareki.h"
#include "xmalloc.h"

enum { ID_PAD = 100, ID_WALK_IN = 200 };

enum checkin_mode {
	CM_TYPING,      /* the keypad, maybe under the last refusal */
	CM_LOOKING,     /* the lookup is out */
	CM_FOUND,       /* the appointment, on time or early */
	CM_LATE,        /* the slot has passed: a normal ticket */
};

/* a scanner types a whole code well within this; a person is slower */
#define SCAN_GAP_MS 1000

static struct {
	enum checkin_mode mode;
	char typed[40];              /* what was typed: digits, maybe APPT: */
	size_t n;
	uint64_t last_ms;            /* the last character typed */
	int job;
	const char *refusal;         /* message key of the last refusal */
	char arg[64];                /* its %1 (a date, a ticket number) */
	struct qclient_appointment a;
	const struct cat_procedure *proc;
} st;

struct lookup_job {
	struct qclient *qc;
	char code[sizeof st.typed];
};

static int
lookup_job(struct ui_event *ev, void *arg)
{
	struct lookup_job *lj = arg;
	struct qclient_appointment *a = xcalloc(1, sizeof *a);
	int rc;

	rc = qclient_appointment_lookup(lj->qc, lj->code, a, &ev->err);
	xfree_wipe(lj, sizeof *lj);
	ev->data = a;
	return rc;
}

/* The digits typed so far (a scanner's "APPT:" not shown). */
static size_t
digits(char *out, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < st.n && k + 1 < n; i++)
		if (st.typed[i] >= '0' && st.typed[i] <= '9')
			out[k++] = st.typed[i];
	out[k] = '\0';
	return k;
}

static void
clear_typed(void)
{
	explicit_bzero(st.typed, sizeof st.typed);
	st.n = 0;
}

static void
refuse(const char *key, const char *arg)
{
	st.mode = CM_TYPING;
	st.refusal = key;
	snprintf(st.arg, sizeof st.arg, "%s", arg != NULL ? arg : "");
	clear_typed();
}

/* Look what was typed up, or say at once what is wrong with it. */
static void
submit(struct app *app)
{
	char code[QCLIENT_CODE_MAX + 1];
	struct lookup_job *lj;
	struct kerr err;

	if (st.mode == CM_LOOKING)
		return;
	st.typed[st.n] = '\0';
	if (qclient_appointment_code(st.typed, code, &err) != K_OK) {
		klog("info", "checkin", "code refused here: %s", err.msg);
		refuse("checkin.not_found", NULL);
		return;
	}
	lj = xcalloc(1, sizeof *lj);
	lj->qc = journey_of(app)->qc;
	snprintf(lj->code, sizeof lj->code, "%s", code);
	explicit_bzero(code, sizeof code);
	st.mode = CM_LOOKING;
	st.refusal = NULL;
	st.job = app_spawn(app, lookup_job, lj);
}

/* One typed character: a digit, or a scanner's prefix.  Typing hides
 * the last refusal; a scan ("A" of APPT:) or a new code over a found one
 * starts afresh. */
static void
type_char(struct app *app, char c, uint64_t now)
{
	if (st.mode == CM_LOOKING)
		return;
	if (st.mode != CM_TYPING || c == 'A' || c == 'a') {
		clear_typed();
		st.mode = CM_TYPING;
		st.proc = NULL;
		journey_appointment(journey_of(app), NULL, false);
	}
	st.refusal = NULL;
	if (st.n + 1 < sizeof st.typed && (c != ' ' || st.n > 0)) {
		st.typed[st.n++] = c;
		st.typed[st.n] = '\0';
	}
	st.last_ms = now;
}

static void
checkin_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);
	char *typed = arg;

	explicit_bzero(&st, sizeof st);
	/* back from the procedure's questions: the appointment found */
	if (j->s.appt_code[0] != '\0' && j->s.proc != NULL) {
		st.mode = j->s.appt_late ? CM_LATE : CM_FOUND;
		snprintf(st.a.code, sizeof st.a.code, "%s", j->s.appt_code);
		snprintf(st.a.time, sizeof st.a.time, "%s", j->s.appt_time);
		st.proc = j->s.proc;
	}
	/* the idle screen caught a scan: look it up now */
	if (typed != NULL) {
		snprintf(st.typed, sizeof st.typed, "%s", typed);
		st.n = strlen(st.typed);
		xfree_wipe_str(typed);
		submit(app);
	}
}

static void
checkin_leave(struct app *app)
{
	(void)app;
	explicit_bzero(&st, sizeof st);
}

static void
lookup_done(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	struct qclient_appointment *a = ev->data;
	char when[64];
	size_t n;

	st.job = 0;
	clear_typed();
	if (a == NULL) {
		/* no worker thread: the job never ran */
		klog("warn", "checkin", "lookup: %s", ev->err.msg);
		refuse("queue.paused", NULL);
		return;
	}
	n = strlen(a->code);
	if (ev->rc == K_OK) {
		st.proc = catalog_find(j->cat, a->procedure);
		if (st.proc == NULL) {
			klog("warn", "checkin", "appointment ..%s: procedure %s "
			    "not in this kiosk's catalog", a->code + (n > 2 ?
			    n - 2 : 0), a->procedure);
			refuse("checkin.unknown", NULL);
			return;
		}
		st.a = *a;
		st.mode = strcmp(a->arrival, "late") == 0 ? CM_LATE : CM_FOUND;
		klog("info", "checkin", "appointment ..%s found: %s %s (%s)",
		    a->code + (n > 2 ? n - 2 : 0), a->time, a->procedure,
		    a->arrival);
		return;
	}
	klog("info", "checkin", "lookup: %s (%s)", kerr_name(ev->rc),
	    ev->err.msg);
	if (ev->rc == K_ENOTFOUND)
		refuse("checkin.not_found", NULL);
	else if (strcmp(a->error, "appointment_other_day") == 0) {
		wareki_format_iso(when, sizeof when, a->other_date, j->s.lang,
		    false);
		refuse("checkin.other_day", when);
	} else if (strcmp(a->error, "appointment_cancelled") == 0)
		refuse("checkin.cancelled", NULL);
	else if (strcmp(a->error, "appointment_checked_in") == 0)
		refuse("checkin.checked_in", a->number);
	else if (strcmp(a->error, "bad_code") == 0)
		refuse("checkin.not_found", NULL);
	else if (ev->rc == K_ENODEV || ev->rc == K_EBUSY ||
	    ev->rc == K_ETIMEOUT || ev->rc == K_EIO)
		refuse("queue.paused", NULL);
	else
		refuse("checkin.unknown", NULL);
}

/* Go on with the appointment's procedure chosen. */
static void
go_on(struct app *app)
{
	struct journey *j = journey_of(app);

	if (st.proc == NULL)
		return;
	if (j->s.proc != st.proc)
		journey_choose(app, st.proc);
	journey_appointment(j, &st.a, st.mode == CM_LATE);
	journey_next(app, JO_NEXT);
}

static bool
checkin_event(struct app *app, struct ui_event *ev)
{
	struct ui *ui = app_ui(app);
	bool redraw, fast;
	int id, digit = -1;

	if (ev->type == UI_JOB_DONE && ev->job == st.job) {
		lookup_done(app, ev);
		return true;
	}
	/* a scanner's Enter ends its code, wherever the keypad focus is */
	fast = st.n > 0 && ev->now_ms - st.last_ms < SCAN_GAP_MS;
	if (ev->type == UI_KEY && ev->key == UI_KEY_ENTER && st.n > 0 &&
	    st.mode == CM_TYPING && (fast || ui_focus_id(ui) == 0)) {
		submit(app);
		return true;
	}
	if (ev->type == UI_TEXT) {
		const char *p;
		for (p = ev->text; *p != '\0'; p++)
			type_char(app, *p, ev->now_ms);
		return true;
	}
	if (journey_frame_event(app, ev, &redraw, st.mode != CM_LOOKING))
		return redraw;
	id = ui_clicked(ui, ev);
	if (id >= ID_PAD + UI_PAD_0 && id <= ID_PAD + 9)
		digit = id - ID_PAD - UI_PAD_0;
	if (ev->type == UI_KEY && ev->key >= UI_KEY_0 && ev->key <= UI_KEY_9)
		digit = ev->key - UI_KEY_0;
	if (digit >= 0) {
		char d[QCLIENT_CODE_MAX + 2];
		/* the keypad stops at 12 digits; a scan may be longer and is
		 * refused whole on Enter */
		if (id == 0 || digits(d, sizeof d) < QCLIENT_CODE_MAX)
			type_char(app, (char)('0' + digit), ev->now_ms);
		return true;
	}
	if (st.mode == CM_TYPING && (id == ID_PAD + UI_PAD_CLEAR ||
	    (ev->type == UI_KEY && ev->key == UI_KEY_CLEAR))) {
		if (st.n > 0)
			st.typed[--st.n] = '\0';
		st.refusal = NULL;
		return true;
	}
	if (id == ID_PAD + UI_PAD_ENTER && st.mode == CM_TYPING) {
		submit(app);
		return true;
	}
	if ((id == JF_NEXT && st.mode == CM_FOUND) ||
	    (id == ID_WALK_IN && st.mode == CM_LATE)) {
		go_on(app);
		return true;
	}
	return false;
}

/* The appointment found: the slot large, the procedure, and for a late
 * one what happens instead. */
static void
draw_found(struct app *app, struct ui *ui, struct ui_rect c)
{
	struct ui_text_style ts;
	const char *args[1] = { st.a.time };
	char buf[512];
	int gap = ui_mm(ui, UI_MM_GAP), h;

	if (st.mode == CM_LATE)
		journey_notice(ui, &c, UI_ICON_WARNING, UI_COL_WARNING,
		    UI_COL_WARNING_BG, UI_COL_WARNING, journey_trf(app, buf,
		    sizeof buf, "checkin.late", args, 1), UI_TYPE_H2, 0);
	else
		journey_notice(ui, &c, UI_ICON_CHECK, UI_COL_SUCCESS,
		    UI_COL_SUCCESS_BG, UI_COL_SUCCESS, journey_tr(app,
		    "checkin.found"), UI_TYPE_H2, 0);
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_DISPLAY;
	journey_trf(app, buf, sizeof buf, "appt.time", args, 1);
	h = ui_text_height(ui, c.w, buf, &ts);
	if (st.mode != CM_LATE)
		ui_text(ui, ui_cut_top(&c, h, gap), buf, &ts);
	ts.type = UI_TYPE_H1;
	h = ui_text_height(ui, c.w, journey_text(app, &st.proc->name), &ts);
	ui_text(ui, ui_cut_top(&c, h, gap * 2), journey_text(app,
	    &st.proc->name), &ts);
	/* the way on, primary and the content's width: its label is long in
	 * some languages, too long for the footer in large text */
	if (st.mode == CM_LATE) {
		h = ui_mm(ui, UI_MM_PRIMARY);
		if (ui_large(ui))
			h = h * 5 / 4;
		ui_button_ex(ui, ID_WALK_IN, ui_cut_top(&c, h, gap), UI_ICON_NEXT,
		    journey_tr(app, "checkin.walk_in"), NULL, UI_PRIMARY, 0);
	}
}

static void
checkin_draw(struct app *app, struct ui *ui)
{
	struct journey_frame_opts o = { .title_key = "checkin.title",
	    .back = st.mode != CM_LOOKING };
	struct ui_frame f;
	struct ui_rect c, left, pad, box;
	struct ui_text_style ts;
	char buf[512], d[sizeof st.typed];
	const char *args[1] = { st.arg };
	int gap = ui_mm(ui, UI_MM_GAP), h;
	int key = ui_mm(ui, ui_large(ui) ? 31 : UI_MM_PRIMARY);
	int kw = ui_mm(ui, ui_large(ui) ? 54 : 45);
	size_t nd = digits(d, sizeof d);
	bool portrait = ui_screen(ui).w < ui_screen(ui).h;

	/* on to the procedure's questions (late: the button in the page) */
	if (st.mode == CM_FOUND)
		o.next_key = "frame.next";
	journey_frame(app, ui, &o, &f);
	c = f.content;
	if (st.mode == CM_FOUND || st.mode == CM_LATE) {
		draw_found(app, ui, c);
		return;
	}
	/* the PIN step's pad: right of the text, or under it upright */
	left = c;
	if (portrait) {
		pad = ui_cut_bottom(&left, 4 * key + 3 * gap, gap);
		pad = ui_center(pad, 3 * kw + 2 * gap, 4 * key + 3 * gap < pad.h ?
		    4 * key + 3 * gap : pad.h);
	} else {
		pad = ui_cut_right(&left, 3 * kw + 2 * gap, ui_mm(ui, 10));
		pad = ui_center(pad, pad.w, 4 * key + 3 * gap < pad.h ?
		    4 * key + 3 * gap : pad.h);
	}
	memset(&ts, 0, sizeof ts);
	ts.type = UI_TYPE_BODY;
	h = ui_text_height(ui, left.w, journey_tr(app, "checkin.body"), &ts);
	ui_text(ui, ui_cut_top(&left, h, gap), journey_tr(app, "checkin.body"),
	    &ts);

	/* the digits typed, large, in groups of four to read back easily */
	{
		char shown[64];
		size_t i, k = 0;
		for (i = 0; i < nd && k + 3 < sizeof shown; i++) {
			if (i > 0 && i % 4 == 0)
				shown[k++] = ' ';
			shown[k++] = d[i];
		}
		shown[k] = '\0';
		box = ui_cut_top(&left, ui_type_line_px(ui, UI_TYPE_DISPLAY) +
		    2 * gap, gap);
		ui_panel(ui, box, UI_COL_BG, UI_COL_BORDER, 2);
		ts.type = UI_TYPE_DISPLAY;
		ts.align = UI_ALIGN_CENTER | UI_ALIGN_MIDDLE;
		if (k > 0)
			ui_text(ui, ui_inset(box, gap / 2), shown, &ts);
		ts.align = 0;
	}
	if (st.mode == CM_LOOKING) {
		journey_notice(ui, &left, UI_ICON_INFO, UI_COL_PRIMARY,
		    UI_COL_PANEL_BLUE, UI_COL_PRIMARY, journey_tr(app,
		    "checkin.looking"), UI_TYPE_H2, 0);
		ui_progress(ui, ui_cut_top(&left, ui_mm(ui, 8), gap), -1.0,
		    app_now_ms(app));
	} else if (st.refusal != NULL) {
		bool paused = strcmp(st.refusal, "queue.paused") == 0;
		journey_trf(app, buf, sizeof buf, st.refusal, args, 1);
		journey_notice(ui, &left, paused ? UI_ICON_WARNING :
		    UI_ICON_ERROR, paused ? UI_COL_WARNING : UI_COL_ERROR,
		    paused ? UI_COL_WARNING_BG : UI_COL_ERROR_BG, paused ?
		    UI_COL_WARNING : UI_COL_ERROR, buf, UI_TYPE_H2, 0);
	}
	if (st.mode != CM_LOOKING)
		ui_keypad_ex(ui, ID_PAD, pad, journey_tr(app, "pin.clear"),
		    journey_tr(app, "pin.ok"), nd >= QCLIENT_CODE_MIN &&
		    nd <= QCLIENT_CODE_MAX);
}

const struct screen screen_checkin = {
	.name = "checkin",
	.enter = checkin_enter,
	.event = checkin_event,
	.draw = checkin_draw,
	.leave = checkin_leave,
};
