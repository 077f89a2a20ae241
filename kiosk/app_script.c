/*
 * app_script.c - the UI test script (`--script FILE`, commands in app.h):
 * one table row per command gives its grammar, how to parse it and how to
 * execute it (cf. tmux's cmd_entry), and the driver runs the rows against
 * the app core (app_int.h) on the fake clock.
 *
 * app_script_read.c splits the file into words (every error names
 * file:line) and hands each command's words to its row here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_int.h"
#include "speech.h"
#include "xmalloc.h"

/* ---- arguments ---- */

typedef int parse_fn(const char *name, int ln, const struct script_args *a,
    struct script_cmd *c, struct kerr *err);

/* tap X Y | tap "label" */
static int
p_tap(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	long v, w;
	int rc;

	if (a->n == 2 && a->quoted[1]) {
		c->op = SC_TAP_LABEL;
		c->str = xstrdup(a->v[1]);
		return K_OK;
	}
	if (a->n != 3)
		return kerr_set(err, K_EPARSE, "%s:%d: tap needs X Y or "
		    "\"label\"", name, ln);
	if ((rc = script_num(name, ln, a->v[1], 0, 100000, &v, err)) != K_OK ||
	    (rc = script_num(name, ln, a->v[2], 0, 100000, &w, err)) != K_OK)
		return rc;
	c->a = (int)v;
	c->b = (int)w;
	return K_OK;
}

/* X Y in window px */
static int
p_xy(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	long v, w;
	int rc;

	if ((rc = script_num(name, ln, a->v[1], 0, 100000, &v, err)) != K_OK ||
	    (rc = script_num(name, ln, a->v[2], 0, 100000, &w, err)) != K_OK)
		return rc;
	c->a = (int)v;
	c->b = (int)w;
	return K_OK;
}

/* W H of a window */
static int
p_size(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	long v, w;
	int rc;

	if ((rc = script_num(name, ln, a->v[1], 320, 7680, &v, err)) != K_OK ||
	    (rc = script_num(name, ln, a->v[2], 240, 7680, &w, err)) != K_OK)
		return rc;
	c->a = (int)v;
	c->b = (int)w;
	return K_OK;
}

/* MS up to a day */
static int
p_ms(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	long v;
	int rc;

	if ((rc = script_num(name, ln, a->v[1], 0, 86400000L, &v, err)) != K_OK)
		return rc;
	c->ms = v;
	return K_OK;
}

/* a notify CODE */
static int
p_code(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	long v;
	int rc;

	if ((rc = script_num(name, ln, a->v[1], -1000000, 1000000, &v, err)) != K_OK)
		return rc;
	c->a = (int)v;
	return K_OK;
}

static int
p_key(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	c->a = ui_key_from_name(a->v[1]);
	if (c->a == UI_KEY_NONE)
		return kerr_set(err, K_EPARSE, "%s:%d: unknown key '%s' "
		    "(0..9 enter clear cancel up down left right tab "
		    "backtab plus minus help)", name, ln, a->v[1]);
	return K_OK;
}

static int
p_onoff(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	if (strcmp(a->v[1], "on") != 0 && strcmp(a->v[1], "off") != 0)
		return kerr_set(err, K_EPARSE, "%s:%d: %s takes on or off",
		    name, ln, a->v[0]);
	c->a = strcmp(a->v[1], "on") == 0;
	return K_OK;
}

static int
p_clock(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	if (script_clock(a->v[1], &c->ms) != 0)
		return kerr_set(err, K_EPARSE, "%s:%d: clock '%s' is not "
		    "YYYY-MM-DDTHH:MM", name, ln, a->v[1]);
	return K_OK;
}

/* a file name inside the screenshots folder */
static int
p_shot(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	if (strchr(a->v[1], '/') != NULL || a->v[1][0] == '.' ||
	    a->v[1][0] == '\0')
		return kerr_set(err, K_EPARSE, "%s:%d: shot name '%s' "
		    "must be a plain file name", name, ln, a->v[1]);
	c->str = xstrdup(a->v[1]);
	return K_OK;
}

/* text to find on screen: "" would match anything */
static int
p_text(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	if (a->v[1][0] == '\0')
		return kerr_set(err, K_EPARSE, "%s:%d: empty text", name, ln);
	c->str = xstrdup(a->v[1]);
	return K_OK;
}

/* a screen name or a language code, checked when it runs */
static int
p_word(const char *name, int ln, const struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	(void)name;
	(void)ln;
	(void)err;
	c->str = xstrdup(a->v[1]);
	return K_OK;
}

/* "text" a keyboard types: printable ASCII, \n for Enter */
static int
p_type(const char *name, int ln, const struct script_args *a,
    struct script_cmd *c, struct kerr *err)
{
	const char *s = a->v[1];
	char *out;
	size_t n = 0;

	if (!a->quoted[1] || s[0] == '\0')
		return kerr_set(err, K_EPARSE, "%s:%d: type needs \"text\" "
		    "(\\n for Enter)", name, ln);
	out = xmalloc(strlen(s) + 1);
	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			out[n++] = '\n';
			s++;
		} else if (*s >= 0x20 && *s < 0x7f) {
			out[n++] = *s;
		} else {
			free(out);
			return kerr_set(err, K_EPARSE, "%s:%d: type takes printable "
			    "ASCII and \\n (a scanner's keys), not byte 0x%02x",
			    name, ln, (unsigned char)*s);
		}
	}
	out[n] = '\0';
	c->str = out;
	return K_OK;
}

/* a file to wait for */
static int
p_path(const char *name, int ln, const struct script_args *a,
    struct script_cmd *c, struct kerr *err)
{
	if (a->v[1][0] == '\0')
		return kerr_set(err, K_EPARSE, "%s:%d: empty file name", name,
		    ln);
	c->str = xstrdup(a->v[1]);
	return K_OK;
}

/* ---- the driver ---- */

static const char *
top_name(const struct app *app)
{
	return app_top(app) != NULL ? app_top(app)->name : "(none)";
}

/* Deliver everything pending: job results (waiting for running jobs in
 * real time), posts, due timers, idle; then draw if needed. */
static void
settle(struct app *app)
{
	Uint64 start = SDL_GetTicks64();
	SDL_Event e;

	for (;;) {
		bool any = false;

		SDL_PumpEvents();
		while (!app->quit && SDL_PollEvent(&e)) {
			app_translate(app, &e);
			any = true;
		}
		app_fire_due(app);
		if (app->quit)
			break;
		if (any)
			continue;
		if (SDL_AtomicGet(&app->running) == 0)
			break;
		if (SDL_GetTicks64() - start > JOB_SETTLE_MS) {
			klog("warn", "app", "script: %d job(s) still running "
			    "after %d s", SDL_AtomicGet(&app->running),
			    JOB_SETTLE_MS / 1000);
			break;
		}
		SDL_LockMutex(app->mu);
		if (app->wakeups == 0)
			SDL_CondWaitTimeout(app->cv, app->mu, 20);
		app->wakeups = 0;
		SDL_UnlockMutex(app->mu);
	}
	if (app->dirty && !app->quit && app_redraw(app, false))
		app_present(app);
}

/* Advance the fake clock by ms, stopping at every timer and idle moment. */
static void
advance(struct app *app, int64_t ms)
{
	uint64_t target = app->fake_ms + (uint64_t)ms;

	for (;;) {
		uint64_t due = app_next_due(app);
		if (app->quit || due > target)
			break;
		if (due > app->fake_ms)
			app->fake_ms = due;
		settle(app);
	}
	app->fake_ms = target;
	settle(app);
}

/* A list of what is on screen, for failure messages. */
static void
on_screen(struct app *app, bool tappable, char *buf, size_t len)
{
	size_t i, n = ui_widget_count(app->ui), used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used + 8 < len; i++) {
		const struct ui_widget *w = ui_widget_at(app->ui, i);
		int k;
		if (w->text[0] == '\0' || (tappable && w->id <= 0))
			continue;
		k = snprintf(buf + used, len - used, "%s\"%s\"",
		    used ? ", " : "", w->text);
		if (k < 0 || (size_t)k >= len - used)
			break;
		used += (size_t)k;
	}
}

static int
fail(struct app *app, const struct script_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Name the line, say what is wrong, keep the screen as FAILED-line-N.png. */
static int
fail(struct app *app, const struct script_cmd *c, const char *fmt, ...)
{
	va_list ap;
	struct kerr err;

	fprintf(stderr, "%s:%d: ", app->script.path, c->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (app->opt.screenshots != NULL) {
		char *path = xasprintf("%s/FAILED-line-%d.png",
		    app->opt.screenshots, c->line);
		app_redraw(app, true);
		if (ui_screenshot(app->ui, path, &err) == K_OK)
			fprintf(stderr, "%s:%d: the screen is in %s\n",
			    app->script.path, c->line, path);
		free(path);
	}
	return 1;
}

/* ---- the commands ---- */

typedef int exec_fn(struct app *app, const struct script_cmd *c);

static int
x_tap(struct app *app, const struct script_cmd *c)
{
	app_tap(app, UI_TAP_PRESS, c->a, c->b);
	app_tap(app, UI_TAP_RELEASE, c->a, c->b);
	return 0;
}

static int
x_tap_label(struct app *app, const struct script_cmd *c)
{
	const struct ui_widget *w = ui_find(app->ui, c->str, true);
	char list[1024];
	int x, y;

	if (w == NULL) {
		on_screen(app, true, list, sizeof(list));
		return fail(app, c, "tap \"%s\": nothing tappable shows it on "
		    "screen %s; tappable: %s", c->str, top_name(app),
		    list[0] ? list : "(none)");
	}
	x = w->rect.x + w->rect.w / 2;
	y = w->rect.y + w->rect.h / 2;
	app_tap(app, UI_TAP_PRESS, x, y);
	app_tap(app, UI_TAP_RELEASE, x, y);
	return 0;
}

static int
x_press(struct app *app, const struct script_cmd *c)
{
	app_tap(app, UI_TAP_PRESS, c->a, c->b);
	return 0;
}

static int
x_release(struct app *app, const struct script_cmd *c)
{
	app_tap(app, UI_TAP_RELEASE, c->a, c->b);
	return 0;
}

static int
x_wait(struct app *app, const struct script_cmd *c)
{
	advance(app, c->ms);
	return 0;
}

static int
x_key(struct app *app, const struct script_cmd *c)
{
	struct ui_event ev = { .type = UI_KEY, .key = c->a };

	app_deliver(app, &ev);
	return 0;
}

/*
 * Type like a keyboard (a QR scanner is one): for each character the SDL
 * events a keyboard makes - the key press, and the text of a printable
 * one - through the same translation as real input, so the key/text
 * pairing of app_events.c is what is tested.
 */
static int
x_type(struct app *app, const struct script_cmd *c)
{
	const char *p;

	for (p = c->str; *p != '\0'; p++) {
		SDL_Event e;
		SDL_Keycode sym;

		if (*p == '\n')
			sym = SDLK_RETURN;
		else if (*p >= 'A' && *p <= 'Z')
			sym = (SDL_Keycode)(*p - 'A' + 'a');
		else
			sym = (SDL_Keycode)*p;
		memset(&e, 0, sizeof(e));
		e.type = SDL_KEYDOWN;
		e.key.state = SDL_PRESSED;
		e.key.keysym.sym = sym;
		e.key.keysym.mod = (*p >= 'A' && *p <= 'Z') || *p == ':' ?
		    KMOD_LSHIFT : KMOD_NONE;
		if (SDL_PushEvent(&e) != 1)
			return fail(app, c, "type: key press not queued: %s",
			    SDL_GetError());
		if (*p != '\n') {
			memset(&e, 0, sizeof(e));
			e.type = SDL_TEXTINPUT;
			e.text.text[0] = *p;
			if (SDL_PushEvent(&e) != 1)
				return fail(app, c, "type: text input is off (SDL "
				    "drops SDL_TEXTINPUT): %s", SDL_GetError());
		}
		memset(&e, 0, sizeof(e));
		e.type = SDL_KEYUP;
		e.key.state = SDL_RELEASED;
		e.key.keysym.sym = sym;
		SDL_PushEvent(&e);
	}
	return 0;
}

static int
x_expect(struct app *app, const struct script_cmd *c)
{
	char list[1024];

	if (ui_find(app->ui, c->str, false) != NULL)
		return 0;
	on_screen(app, false, list, sizeof(list));
	return fail(app, c, "expected \"%s\" on screen %s; it shows: %s",
	    c->str, top_name(app), list[0] ? list : "(nothing)");
}

static int
x_expect_not(struct app *app, const struct script_cmd *c)
{
	if (ui_find(app->ui, c->str, false) == NULL)
		return 0;
	return fail(app, c, "\"%s\" is on screen %s but should not be",
	    c->str, top_name(app));
}

static int
x_expect_screen(struct app *app, const struct script_cmd *c)
{
	if (app_top(app) != NULL && strcmp(app_top(app)->name, c->str) == 0)
		return 0;
	return fail(app, c, "expected screen %s, the top screen is %s",
	    c->str, top_name(app));
}

static int
x_audit(struct app *app, const struct script_cmd *c)
{
	char *report = xmalloc(8192);
	int n = ui_audit(app->ui, report, 8192);

	if (n > 0)
		fail(app, c, "audit of screen %s: %d problem(s):\n%s",
		    top_name(app), n, report);
	free(report);
	return n > 0;
}

static int
x_shot(struct app *app, const struct script_cmd *c)
{
	struct kerr err;
	char *path;
	int rc;

	if (app->opt.screenshots == NULL)
		return fail(app, c, "shot %s: no --screenshots DIR given",
		    c->str);
	path = xasprintf("%s/%s.png", app->opt.screenshots, c->str);
	app_redraw(app, true);
	rc = ui_screenshot(app->ui, path, &err);
	app_present(app);
	free(path);
	if (rc != K_OK)
		return fail(app, c, "shot %s: %s", c->str, err.msg);
	return 0;
}

static int
x_size(struct app *app, const struct script_cmd *c)
{
	SDL_SetWindowSize(app->win, c->a, c->b);
	SDL_PumpEvents();
	app_update_size(app);
	return 0;
}

static int
x_lang(struct app *app, const struct script_cmd *c)
{
	ui_set_lang(app->ui, c->str);
	app->dirty = true;
	return 0;
}

static int
x_large(struct app *app, const struct script_cmd *c)
{
	ui_set_large(app->ui, c->a != 0);
	app->dirty = true;
	return 0;
}

static int
x_notify(struct app *app, const struct script_cmd *c)
{
	app_post(app, c->a, NULL, NULL);
	return 0;
}

static int
x_clock(struct app *app, const struct script_cmd *c)
{
	app->wall_base = c->ms - (int64_t)app->fake_ms;
	app->dirty = true;
	return 0;
}

static int
x_quit(struct app *app, const struct script_cmd *c)
{
	(void)c;
	app_quit(app, app->status);
	return 0;
}

/* Real time passes until the top screen is NAME; the fake clock follows
 * so the screens' timers run as they would. */
static int
x_wait_screen(struct app *app, const struct script_cmd *c)
{
	Uint64 start = SDL_GetTicks64(), last = start;

	while (!app->quit && strcmp(top_name(app), c->str) != 0) {
		Uint64 now = SDL_GetTicks64();
		if (now - start > 30000)
			return fail(app, c, "waited 30 s for screen %s; the "
			    "top screen is %s", c->str, top_name(app));
		advance(app, (int64_t)(now - last));
		last = now;
		SDL_Delay(20);
	}
	return 0;
}

/* Alive and answering events, the clock standing still, until c->str
 * exists. */
static int
x_hold(struct app *app, const struct script_cmd *c)
{
	Uint64 start = SDL_GetTicks64();

	klog("info", "app", "script: holding until %s exists", c->str);
	while (!app->quit && access(c->str, F_OK) != 0) {
		if (SDL_GetTicks64() - start > 120000)
			return fail(app, c, "waited 120 s for %s", c->str);
		settle(app);
		SDL_Delay(20);
	}
	return 0;
}

/* push NAME | reset NAME: only the screens the role listed */
static int
x_jump(struct app *app, const struct script_cmd *c)
{
	const struct screen *const *s = app->opt.screens;

	while (s != NULL && *s != NULL && strcmp((*s)->name, c->str) != 0)
		s++;
	if (s == NULL || *s == NULL)
		return fail(app, c, "%s %s: not a screen this role lets scripts "
		    "name", c->op == SC_PUSH ? "push" : "reset", c->str);
	if (c->op == SC_PUSH)
		app_push(app, *s, NULL);
	else
		app_reset(app, *s, NULL);
	return 0;
}

static int
x_redraw(struct app *app, const struct script_cmd *c)
{
	(void)c;
	app_redraw(app, true);
	app_present(app);
	return 0;
}

/*
 * The speech log (speech.h): `said "text"` waits (up to 10 s: the board's
 * announcer speaks on its own thread) for a line after the last one a
 * `said` matched that contains text (as shown, or as the engine read it:
 * the kana of a kanji text), and moves past it, so a script
 * checks what was spoken in order.  `not_said "text"` fails if any line
 * still in the log contains text (a PIN digit, a name).
 */
static size_t said_next;

static int
x_said(struct app *app, const struct script_cmd *c)
{
	Uint64 start = SDL_GetTicks64(), last = start;
	struct speech_log_entry e;
	char heard[1200];
	size_t i;

	heard[0] = '\0';
	for (;;) {
		Uint64 now = SDL_GetTicks64();

		if (said_next > speech_log_count())
			said_next = 0;       /* the log was wiped */
		for (i = said_next; speech_log_get(i, &e); i++)
			if (strstr(e.text, c->str) != NULL ||
			    strstr(e.voice, c->str) != NULL) {
				said_next = i + 1;
				return 0;
			}
		if (now - start > 10000 || app->quit)
			break;
		advance(app, (int64_t)(now - last));
		last = now;
		SDL_Delay(20);
	}
	/* what was said since the last match, newest last */
	{
		size_t o = 0;

		for (i = said_next; speech_log_get(i, &e) && o < sizeof(heard);
		    i++) {
			int w = snprintf(heard + o, sizeof(heard) - o,
			    "\n    [%s] %s", e.lang, e.text);
			if (w < 0)
				break;
			o += (size_t)w;
		}
	}
	return fail(app, c, "\"%s\" was not said; said since the last "
	    "match:%s", c->str, heard[0] ? heard : " (nothing)");
}

static int
x_not_said(struct app *app, const struct script_cmd *c)
{
	struct speech_log_entry e;
	size_t i;

	for (i = 0; speech_log_get(i, &e); i++)
		if (strstr(e.text, c->str) != NULL ||
		    strstr(e.voice, c->str) != NULL)
			return fail(app, c, "\"%s\" was said: [%s] %s", c->str,
			    e.lang, e.text);
	return 0;
}

/*
 * One row a command: its name, its arguments (for messages; app.h has the
 * manual), how many words follow the name (-1: parse counts), the parser
 * (NULL: no arguments) and what it does.  Indexed by enum script_op.
 */
static const struct script_entry {
	const char *name;
	const char *usage;
	int nargs;
	parse_fn *parse;
	exec_fn *exec;
} cmds[] = {
	[SC_TAP_XY] =        { "tap", "X Y | \"label\"", -1, p_tap, x_tap },
	/* reached through tap's parser (a quoted argument) */
	[SC_TAP_LABEL] =     { "tap", "\"label\"", -1, p_tap, x_tap_label },
	[SC_PRESS] =         { "press", "X Y", 2, p_xy, x_press },
	[SC_RELEASE] =       { "release", "X Y", 2, p_xy, x_release },
	[SC_WAIT] =          { "wait", "MS", 1, p_ms, x_wait },
	[SC_KEY] =           { "key", "NAME", 1, p_key, x_key },
	[SC_EXPECT] =        { "expect", "\"text\"", 1, p_text, x_expect },
	[SC_EXPECT_NOT] =    { "expect_not", "\"text\"", 1, p_text,
	                       x_expect_not },
	[SC_EXPECT_SCREEN] = { "expect_screen", "NAME", 1, p_word,
	                       x_expect_screen },
	[SC_AUDIT] =         { "audit", "", 0, NULL, x_audit },
	[SC_SHOT] =          { "shot", "NAME", 1, p_shot, x_shot },
	[SC_SIZE] =          { "size", "W H", 2, p_size, x_size },
	[SC_LANG] =          { "lang", "CODE", 1, p_word, x_lang },
	[SC_LARGE] =         { "large", "on|off", 1, p_onoff, x_large },
	[SC_NOTIFY] =        { "notify", "CODE", 1, p_code, x_notify },
	[SC_CLOCK] =         { "clock", "YYYY-MM-DDTHH:MM", 1, p_clock,
	                       x_clock },
	[SC_QUIT] =          { "quit", "", 0, NULL, x_quit },
	[SC_PUSH] =          { "push", "NAME", 1, p_word, x_jump },
	[SC_RESET] =         { "reset", "NAME", 1, p_word, x_jump },
	[SC_REDRAW] =        { "redraw", "", 0, NULL, x_redraw },
	[SC_WAIT_SCREEN] =   { "wait_screen", "NAME", 1, p_word,
	                       x_wait_screen },
	[SC_HOLD] =          { "hold", "FILE", 1, p_path, x_hold },
	[SC_SAID] =          { "said", "\"text\"", 1, p_text, x_said },
	[SC_NOT_SAID] =      { "not_said", "\"text\"", 1, p_text, x_not_said },
	[SC_TYPE] =          { "type", "\"text\"", 1, p_type, x_type },
};

int
script_parse_cmd(const char *name, int ln, struct script_args *a, struct script_cmd *c,
    struct kerr *err)
{
	const struct script_entry *e = NULL;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->line = ln;
	/* the first row of a name: tap's parser picks the quoted form */
	for (i = 0; i < ARRAY_SIZE(cmds) && e == NULL; i++)
		if (cmds[i].name != NULL && strcmp(cmds[i].name, a->v[0]) == 0)
			e = &cmds[i];
	if (e == NULL)
		return kerr_set(err, K_EPARSE, "%s:%d: unknown command '%s'",
		    name, ln, a->v[0]);
	c->op = (enum script_op)(e - cmds);
	if (e->nargs >= 0 && a->n - 1 != e->nargs)
		return kerr_set(err, K_EPARSE, "%s:%d: %s takes %d argument%s, "
		    "got %d (%s%s%s)", name, ln, e->name, e->nargs,
		    e->nargs == 1 ? "" : "s", a->n - 1, e->name,
		    e->usage[0] ? " " : "", e->usage);
	return e->parse != NULL ? e->parse(name, ln, a, c, err) : K_OK;
}

/* ---- the run ---- */

int
app_script_run(struct app *app)
{
	size_t i;

	settle(app);
	for (i = 0; i < app->script.n && !app->quit; i++) {
		const struct script_cmd *c = &app->script.v[i];

		if (cmds[c->op].exec(app, c) != 0) {
			app->status = 1;
			break;
		}
		settle(app);
	}
	settle(app);
	return app->status;
}
