/*
 * journey.c - the resident session: state, wipe, language, answers, fee,
 * what the screens learn, and the steps: one table of moves (from a step,
 * on an outcome, to a step, with what is dropped on the way) that chooses
 * the next screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "chime.h"
#include "config.h"
#include "journey.h"
#include "server.h"
#include "ui.h"
#include "wareki.h"
#include "xmalloc.h"

struct journey *
journey_of(struct app *app)
{
	return app_user(app);
}

static void
watch_cb(void *arg, enum card_event ev, const char *reader)
{
	struct app *app = arg;
	static const int codes[] = {
		[CARD_EV_NO_READER] = JOURNEY_NOTIFY_CARD_NO_READER,
		[CARD_EV_EMPTY] = JOURNEY_NOTIFY_CARD_EMPTY,
		[CARD_EV_INSERTED] = JOURNEY_NOTIFY_CARD_INSERTED,
		[CARD_EV_REMOVED] = JOURNEY_NOTIFY_CARD_REMOVED,
	};

	(void)reader;
	if ((size_t)ev < ARRAY_SIZE(codes))
		app_post(app, codes[ev], NULL, NULL);
}

int
journey_open(struct journey **out, const struct config *cfg,
    const char *server_url, struct kerr *err)
{
	struct journey *j;
	const char *assets = config_str(cfg, "kiosk.assets");
	char *path, *url = NULL;
	int rc;

	*out = NULL;
	j = xcalloc(1, sizeof *j);
	j->cfg = cfg;
	path = xasprintf("%s/procedures.json", assets);
	rc = catalog_load(&j->cat, path, err);
	free(path);
	if (rc != K_OK)
		goto fail;
	path = xasprintf("%s/po", assets);
	rc = i18n_load(&j->tr, path, err);
	free(path);
	if (rc != K_OK)
		goto fail;
	if (server_url == NULL || *server_url == '\0')
		server_url = config_str(cfg, "kiosk.server");
	if (server_url == NULL || *server_url == '\0')
		server_url = url = xasprintf("http://127.0.0.1:%ld",
		    config_int(cfg, "server.port"));
	rc = qclient_new(&j->qc, server_url, config_str(cfg, "server.token_kiosk"),
	    5000, err);
	free(url);
	if (rc != K_OK)
		goto fail;
	qclient_set_ca(j->qc, config_str(cfg, "kiosk.server_ca"));
	print_opts_from_config(cfg, &j->popts);
	snprintf(j->kiosk_id, sizeof j->kiosk_id, "%s", config_str(cfg, "kiosk.id"));
	snprintf(j->reader, sizeof j->reader, "%s",
	    config_str(cfg, "kiosk.card_reader"));
	snprintf(j->default_lang, sizeof j->default_lang, "%s",
	    config_str(cfg, "kiosk.language"));
	if (i18n_find(j->tr, j->default_lang) < 0) {
		rc = kerr_set(err, K_EINVAL, "kiosk.language '%s' has no %s/po/%s.po",
		    j->default_lang, assets, j->default_lang);
		goto fail;
	}
	journey_session_wipe(&j->s);
	*out = j;
	return K_OK;
fail:
	journey_close(j);
	return rc;
}

void
journey_attach(struct journey *j, struct app *app)
{
	struct kerr err;

	app_set_user(app, j);
	app_set_voice(app, journey_voice_key, journey_voice_frame);
	snprintf(j->s.lang, sizeof j->s.lang, "%s", j->default_lang);
	ui_set_lang(app_ui(app), j->s.lang);
	ui_set_large(app_ui(app), false);
	/* tones for the card-left-behind alarm and "still there?" (R6.2);
	 * no audio device: the screens still show everything */
	if (chime_open(app_scripted(app), (int)config_int(j->cfg, "kiosk.volume"),
	    &err) != K_OK)
		klog("warn", "journey", "no sound: %s", err.msg);
	else
		j->sound = true;
	if (card_watch_start(&j->watch, j->reader[0] ? j->reader : NULL,
	    watch_cb, app, &err) != K_OK) {
		klog("warn", "journey", "no card watcher: %s", err.msg);
		j->watch = NULL;
		/* no PC/SC at all: the card path says so and goes on without */
		j->reader_known = true;
		j->reader_present = false;
	}
}

void
journey_close(struct journey *j)
{
	if (j == NULL)
		return;
	if (j->watch != NULL)
		card_watch_stop(j->watch);
	journey_session_wipe(&j->s);
	qclient_free(j->qc);
	i18n_free(j->tr);
	catalog_free(j->cat);
	free(j);
}

int
journey_setup(struct app *app, struct kerr *err)
{
	const struct config *cfg = app_config(app);
	struct server *srv = NULL;
	struct journey *j;
	int rc;

	if (config_str(cfg, "kiosk.server")[0] == '\0') {
		if ((rc = server_start(cfg, &srv, err)) != K_OK)
			return rc;
		klog("info", "journey", "queue server in-process on port %d",
		    server_port(srv));
	}
	if ((rc = journey_open(&j, cfg, NULL, err)) != K_OK) {
		server_stop(srv);
		return rc;
	}
	if (srv != NULL) {
		/* the port actually listened on (server.port may be 0 in tests) */
		const char *cert = config_str(cfg, "server.tls_cert");
		char *url = xasprintf("%s://127.0.0.1:%d", cert[0] ? "https" :
		    "http", server_port(srv));
		qclient_free(j->qc);
		rc = qclient_new(&j->qc, url, config_str(cfg, "server.token_kiosk"),
		    5000, err);
		free(url);
		/* its own server: trust the certificate it serves */
		if (rc == K_OK)
			qclient_set_ca(j->qc, cert);
		if (rc != K_OK) {
			journey_close(j);
			server_stop(srv);
			return rc;
		}
	}
	j->srv = srv;
	journey_attach(j, app);
	return K_OK;
}

void
journey_teardown(struct app *app)
{
	struct journey *j = journey_of(app);
	int waited;

	if (j == NULL)
		return;
	if (j->watch != NULL) {
		card_watch_stop(j->watch);
		j->watch = NULL;
	}
	/* jobs hold the queue client: let them end (each has a time-out) */
	for (waited = 0; app_jobs_running(app) > 0 && waited < 15000; waited += 10)
		usleep(10000);
	server_stop(j->srv);
	j->srv = NULL;
	/* the announcer's thread reads the config and plays on the chime
	 * device: stop it before either goes away */
	journey_voice_end(app);
	if (j->sound)
		chime_close();
	j->sound = false;
	journey_close(j);
	app_set_user(app, NULL);
}

void
journey_session_wipe(struct journey_session *s)
{
	card_basic4_wipe(&s->basic4);
	explicit_bzero(s, sizeof *s);
	s->tries_left = -1;
}

void
journey_set_lang(struct app *app, const char *code)
{
	struct journey *j = journey_of(app);

	if (i18n_find(j->tr, code) < 0)
		return;
	snprintf(j->s.lang, sizeof j->s.lang, "%s", code);
	ui_set_lang(app_ui(app), code);
	app_invalidate(app);
}

void
journey_set_large(struct app *app, bool on)
{
	struct journey *j = journey_of(app);

	j->s.large = on;
	ui_set_large(app_ui(app), on);
	app_invalidate(app);
}

void
journey_begin(struct app *app)
{
	struct journey *j = journey_of(app);
	char lang[16];
	bool large = j->s.large;

	/* the idle screen's language and size choice carry into the session */
	snprintf(lang, sizeof lang, "%s", j->s.lang);
	journey_session_wipe(&j->s);
	snprintf(j->s.lang, sizeof j->s.lang, "%s", lang[0] ? lang : j->default_lang);
	j->s.large = large;
}

void
journey_end(struct app *app)
{
	struct journey *j = journey_of(app);

	journey_session_wipe(&j->s);
	/* speech stops, the speech log is wiped */
	journey_voice_end(app);
	/* and what the screens drew from it: text cache, textures, widgets */
	ui_forget_personal(app_ui(app));
	snprintf(j->s.lang, sizeof j->s.lang, "%s", j->default_lang);
	ui_set_lang(app_ui(app), j->s.lang);
	ui_set_large(app_ui(app), false);
	app_idle_hold(app, false);
	app_idle_reset(app);
	klog("info", "journey", "session ended");
	if (j->card_present)
		app_reset(app, &screen_card_alarm, NULL);
	else
		app_reset(app, &screen_idle, NULL);
}

void
journey_choose(struct app *app, const struct cat_procedure *p)
{
	struct journey *j = journey_of(app);
	size_t i;

	if (j->s.proc != p) {
		memset(j->s.answers, 0, sizeof j->s.answers);
		j->s.card = JOURNEY_CARD_UNDECIDED;
	}
	j->s.proc = p;
	j->s.qpos = 0;
	/* count questions start at their default */
	for (i = 0; i < p->nquestions && i < JOURNEY_MAX_Q; i++)
		if (p->questions[i].type == CAT_Q_COUNT && !j->s.answers[i][0])
			snprintf(j->s.answers[i], JOURNEY_ANSWER_MAX, "%d",
			    p->questions[i].def);
}

const char *
journey_tr(struct app *app, const char *key)
{
	struct journey *j = journey_of(app);
	int l = i18n_find(j->tr, j->s.lang);

	return i18n_get(j->tr, l < 0 ? 0 : (size_t)l, key);
}

const char *
journey_trf(struct app *app, char *buf, size_t n, const char *key,
    const char *const *args, size_t nargs)
{
	i18n_format(buf, n, journey_tr(app, key), args, nargs);
	return buf;
}

const char *
journey_text(struct app *app, const struct cat_text *t)
{
	return cat_text_get(t, journey_of(app)->s.lang);
}

const char *
journey_answer(const struct journey_session *s, const char *qid)
{
	size_t i;

	if (s->proc == NULL)
		return NULL;
	for (i = 0; i < s->proc->nquestions && i < JOURNEY_MAX_Q; i++)
		if (strcmp(s->proc->questions[i].id, qid) == 0)
			return s->answers[i][0] ? s->answers[i] : NULL;
	return NULL;
}

void
journey_set_answer(struct journey_session *s, size_t q, const char *v)
{
	if (q < JOURNEY_MAX_Q)
		snprintf(s->answers[q], JOURNEY_ANSWER_MAX, "%s", v ? v : "");
}

static const char *
fee_get(const char *qid, void *arg)
{
	return journey_answer(arg, qid);
}

int
journey_fee(const struct journey_session *s)
{
	if (s->proc == NULL)
		return 0;
	return catalog_fee(s->proc, fee_get, (void *)s);
}

size_t
journey_answer_text(struct app *app, size_t q, char *out, size_t n)
{
	struct journey *j = journey_of(app);
	const struct cat_question *qq;
	const struct cat_choice *c;
	const char *a;
	const char *args[1];

	out[0] = '\0';
	if (j->s.proc == NULL || q >= j->s.proc->nquestions)
		return 0;
	qq = &j->s.proc->questions[q];
	a = j->s.answers[q];
	if (!a[0])
		return 0;
	switch (qq->type) {
	case CAT_Q_CHOICE:
		c = catalog_choice(qq, a);
		snprintf(out, n, "%s", c ? journey_text(app, &c->text) : a);
		break;
	case CAT_Q_YESNO:
		snprintf(out, n, "%s", journey_tr(app, strcmp(a, "yes") == 0 ?
		    "answer.yes" : "answer.no"));
		break;
	case CAT_Q_COUNT:
		args[0] = a;
		i18n_format(out, n, journey_tr(app, strcmp(qq->id, "copies") == 0 ?
		    "answer.copies" : "answer.count"), args, 1);
		break;
	case CAT_Q_DATE:
		wareki_format_iso(out, n, a, j->s.lang, true);
		break;
	}
	return strlen(out);
}

/* ---- what screens learn ---- */

void
journey_card_tries(struct journey *j, int tries)
{
	j->s.tries_left = tries;
}

void
journey_card_read(struct journey *j, const struct card_basic4 *b)
{
	j->s.basic4 = *b;
	j->s.have_basic4 = true;
}

void
journey_drop_card(struct journey *j)
{
	card_basic4_wipe(&j->s.basic4);
	j->s.have_basic4 = false;
}

void
journey_issued(struct journey *j, const struct qclient_ticket *t)
{
	j->s.ticket = *t;
	j->s.issued = true;
	/* the applicant went with the ticket: drop it here */
	journey_drop_card(j);
}

void
journey_appointment(struct journey *j, const struct qclient_appointment *a,
    bool late)
{
	explicit_bzero(j->s.appt_code, sizeof j->s.appt_code);
	j->s.appt_time[0] = '\0';
	j->s.appt_late = false;
	if (a == NULL)
		return;
	snprintf(j->s.appt_code, sizeof j->s.appt_code, "%s", a->code);
	snprintf(j->s.appt_time, sizeof j->s.appt_time, "%s", a->time);
	j->s.appt_late = late;
}

void
journey_printed(struct journey *j, bool ok, const char *reason)
{
	j->s.print_done = true;
	j->s.printed = ok;
	snprintf(j->s.print_reason, sizeof j->s.print_reason, "%s",
	    reason != NULL ? reason : "unknown");
}

void
journey_help_sent(struct journey *j, uint64_t now_ms)
{
	j->s.help_ms = now_ms;
}

void
journey_set_queue(struct journey *j, const struct qclient_queue *q)
{
	j->queue_ok = q != NULL;
	if (q != NULL)
		j->queue = *q;
}

/* ---- steps ---- */

/* Each step's screen (indexed by enum journey_step). */
static const struct screen *const step_screen[JS_COUNT] = {
	[JS_IDLE] = &screen_idle, [JS_MENU] = &screen_menu,
	[JS_EVENTS] = &screen_events, [JS_QUESTION] = &screen_question,
	[JS_CARD_CHOICE] = &screen_card_choice,
	[JS_CARD_PLACE] = &screen_card_place, [JS_CARD_PIN] = &screen_card_pin,
	[JS_CARD_READ] = &screen_card_read, [JS_CONFIRM] = &screen_confirm,
	[JS_SUMMARY] = &screen_summary, [JS_ISSUE] = &screen_issue,
	[JS_TICKET] = &screen_ticket, [JS_CARD_ALARM] = &screen_card_alarm,
	[JS_CHECKIN] = &screen_checkin,
};

/* Targets that depend on the session, resolved by route(). */
enum {
	JT_QUESTIONS = JS_END + 1, /* first question, or past them if none */
	JT_AFTER_QUESTIONS,        /* card choice if the card may be used,
	                            * else the summary */
	JT_NEXT_QUESTION,          /* the next question or past them */
	JT_PREV_QUESTION,          /* the one before, or check-in / guide /
	                            * menu */
	JT_LAST_QUESTION,          /* the last question, or check-in / guide /
	                            * menu */
	JT_BEFORE_SUMMARY,         /* card choice if the card may be used,
	                            * else the last question */
};

/* What a move does besides changing the screen. */
enum {
	JE_BEGIN = 1 << 0,         /* a fresh session (journey_begin) */
	JE_CARD_USE = 1 << 1,      /* the resident chose the card */
	JE_CARD_NONE = 1 << 2,     /* ... or no card (facts dropped) */
	JE_DROP_CARD = 1 << 3,     /* the four facts leave memory */
	JE_ASSIST = 1 << 4,        /* staff will help with the application */
};

/* The journey: from a step, on an outcome, to a step (or JS_END, or a
 * JT_ target), doing effects. */
static const struct journey_move {
	enum journey_step from;
	enum journey_outcome on;
	int to;
	unsigned effects;
} moves[] = {
	{ JS_IDLE,        JO_NEXT,       JS_MENU,            JE_BEGIN },
	{ JS_IDLE,        JO_CHECKIN,    JS_CHECKIN,         JE_BEGIN },
	{ JS_CHECKIN,     JO_NEXT,       JT_QUESTIONS,       0 },
	/* back to idle in the language and size chosen, nothing kept */
	{ JS_CHECKIN,     JO_BACK,       JS_IDLE,            JE_BEGIN },
	{ JS_MENU,        JO_NEXT,       JT_QUESTIONS,       0 },
	{ JS_MENU,        JO_EVENTS,     JS_EVENTS,          0 },
	{ JS_MENU,        JO_BACK,       JS_END,             0 },
	{ JS_EVENTS,      JO_NEXT,       JT_QUESTIONS,       0 },
	{ JS_EVENTS,      JO_BACK,       JS_MENU,            0 },
	{ JS_QUESTION,    JO_NEXT,       JT_NEXT_QUESTION,   0 },
	{ JS_QUESTION,    JO_BACK,       JT_PREV_QUESTION,   0 },
	{ JS_CARD_CHOICE, JO_NEXT,       JS_CARD_PLACE,      JE_CARD_USE },
	{ JS_CARD_CHOICE, JO_NO_CARD,    JS_SUMMARY,         JE_CARD_NONE },
	{ JS_CARD_CHOICE, JO_BACK,       JT_LAST_QUESTION,   0 },
	{ JS_CARD_PLACE,  JO_NEXT,       JS_CARD_PIN,        0 },
	{ JS_CARD_PLACE,  JO_NO_CARD,    JS_SUMMARY,         JE_CARD_NONE },
	{ JS_CARD_PLACE,  JO_BACK,       JS_CARD_CHOICE,     JE_DROP_CARD },
	{ JS_CARD_PIN,    JO_NEXT,       JS_CARD_READ,       0 },
	{ JS_CARD_PIN,    JO_BACK,       JS_CARD_CHOICE,     JE_DROP_CARD },
	{ JS_CARD_READ,   JO_NEXT,       JS_CONFIRM,         0 },
	{ JS_CARD_READ,   JO_PIN_AGAIN,  JS_CARD_PIN,        0 },
	{ JS_CARD_READ,   JO_CARD_AGAIN, JS_CARD_PLACE,      0 },
	{ JS_CARD_READ,   JO_NO_CARD,    JS_SUMMARY,         JE_CARD_NONE },
	{ JS_CARD_READ,   JO_BACK,       JS_CARD_CHOICE,     JE_DROP_CARD },
	{ JS_CONFIRM,     JO_NEXT,       JS_SUMMARY,         0 },
	{ JS_CONFIRM,     JO_ASSIST,     JS_SUMMARY,   JE_CARD_NONE | JE_ASSIST },
	{ JS_CONFIRM,     JO_BACK,       JS_CARD_CHOICE,     JE_DROP_CARD },
	{ JS_SUMMARY,     JO_NEXT,       JS_ISSUE,           0 },
	{ JS_SUMMARY,     JO_BACK,       JT_BEFORE_SUMMARY,  JE_DROP_CARD },
	{ JS_ISSUE,       JO_NEXT,       JS_TICKET,          0 },
	{ JS_TICKET,      JO_NEXT,       JS_END,             0 },
	{ JS_CARD_ALARM,  JO_NEXT,       JS_IDLE,            0 },
};

static const struct journey_move *
find_move(enum journey_step from, enum journey_outcome o)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(moves); i++)
		if (moves[i].from == from && moves[i].on == o)
			return &moves[i];
	return NULL;
}

static bool
card_step(const struct journey_session *s)
{
	return s->proc != NULL && s->proc->card != CAT_CARD_NONE;
}

static size_t
nquestions(const struct journey_session *s)
{
	return s->proc != NULL ? s->proc->nquestions : 0;
}

/* Before the questions: the check-in that chose the procedure, the
 * life-event guide, or the menu. */
static enum journey_step
before_questions(const struct journey_session *s)
{
	if (s->appt_code[0] != '\0')
		return JS_CHECKIN;
	return s->proc != NULL && s->proc->kind == CAT_LIFE_EVENT ?
	    JS_EVENTS : JS_MENU;
}

/* A JT_ target to a step for session s; *qpos: the question then shown. */
static int
resolve(const struct journey_session *s, int to, size_t *qpos)
{
	size_t nq = nquestions(s);

	switch (to) {
	case JT_QUESTIONS:
		if (s->proc == NULL)
			return JS_NONE;        /* nothing chosen yet */
		if (nq > 0) {
			*qpos = 0;
			return JS_QUESTION;
		}
		return resolve(s, JT_AFTER_QUESTIONS, qpos);
	case JT_AFTER_QUESTIONS:
		return card_step(s) ? JS_CARD_CHOICE : JS_SUMMARY;
	case JT_NEXT_QUESTION:
		if (s->qpos + 1 < nq) {
			*qpos = s->qpos + 1;
			return JS_QUESTION;
		}
		return resolve(s, JT_AFTER_QUESTIONS, qpos);
	case JT_PREV_QUESTION:
		if (s->qpos > 0) {
			*qpos = s->qpos - 1;
			return JS_QUESTION;
		}
		return before_questions(s);
	case JT_LAST_QUESTION:
		if (nq > 0) {
			*qpos = nq - 1;
			return JS_QUESTION;
		}
		return before_questions(s);
	case JT_BEFORE_SUMMARY:
		return card_step(s) ? JS_CARD_CHOICE :
		    resolve(s, JT_LAST_QUESTION, qpos);
	default:
		return to;
	}
}

enum journey_step
journey_route(const struct journey_session *s, enum journey_step from,
    enum journey_outcome o, size_t *qpos)
{
	const struct journey_move *m = find_move(from, o);

	*qpos = s->qpos;
	return m != NULL ? (enum journey_step)resolve(s, m->to, qpos) : JS_NONE;
}

static enum journey_step
step_of(const struct screen *sc)
{
	int i;

	for (i = 0; sc != NULL && i < JS_COUNT; i++)
		if (step_screen[i] == sc)
			return (enum journey_step)i;
	return JS_NONE;
}

enum journey_step
journey_step(struct app *app)
{
	const struct screen *sc;
	int i;

	for (i = 0; (sc = app_screen_at(app, i)) != NULL && sc->overlay; i++)
		;
	return step_of(sc);
}

const char *
journey_step_name(enum journey_step step)
{
	if (step == JS_END)
		return "end";
	if ((int)step < 0 || step >= JS_COUNT)
		return "none";
	return step_screen[step]->name;
}

bool
journey_next_arg(struct app *app, enum journey_outcome o, void *arg)
{
	struct journey *j = journey_of(app);
	enum journey_step from = step_of(app_top(app)), to;
	const struct journey_move *m = find_move(from, o);
	size_t qpos;

	to = journey_route(&j->s, from, o, &qpos);
	if (m == NULL || to == JS_NONE) {
		klog("debug", "journey", "no move from %s on outcome %d",
		    journey_step_name(from), (int)o);
		return false;
	}
	if (m->effects & JE_BEGIN)
		journey_begin(app);
	if (m->effects & JE_CARD_USE)
		j->s.card = JOURNEY_CARD_USE;
	if (m->effects & JE_CARD_NONE)
		j->s.card = JOURNEY_CARD_NONE;
	if (m->effects & (JE_CARD_NONE | JE_DROP_CARD))
		journey_drop_card(j);
	if (m->effects & JE_ASSIST)
		j->s.assist = true;
	if (to == JS_END) {
		journey_end(app);
		return true;
	}
	if (to == JS_QUESTION)
		j->s.qpos = qpos;
	app_replace(app, step_screen[to], arg);
	return true;
}

void
journey_next(struct app *app, enum journey_outcome o)
{
	(void)journey_next_arg(app, o, NULL);
}

int
journey_step_total(struct app *app)
{
	struct journey *j = journey_of(app);

	if (j->s.proc == NULL)
		return 1;
	return (int)j->s.proc->nquestions + (card_step(&j->s) ? 1 : 0) + 1;
}

int
journey_step_index(struct app *app)
{
	struct journey *j = journey_of(app);

	switch (journey_step(app)) {
	case JS_QUESTION:
		return (int)j->s.qpos + 1;
	case JS_CARD_CHOICE: case JS_CARD_PLACE: case JS_CARD_PIN:
	case JS_CARD_READ: case JS_CONFIRM:
		return (int)nquestions(&j->s) + 1;
	default:
		return journey_step_total(app);
	}
}

/* ---- the ticket request ---- */

void
journey_issue_req(struct journey *j, struct qclient_issue_req *req,
    struct qclient_answer *ans, struct qclient_applicant *who)
{
	const struct journey_session *s = &j->s;
	size_t i, n = 0;

	memset(req, 0, sizeof *req);
	memset(who, 0, sizeof *who);
	req->procedure = s->proc->id;
	req->lang = s->lang;
	for (i = 0; i < s->proc->nquestions && i < JOURNEY_MAX_Q; i++) {
		if (!s->answers[i][0])
			continue;
		ans[n].id = s->proc->questions[i].id;
		ans[n].value = s->answers[i];
		n++;
	}
	req->answers = ans;
	req->nanswers = n;
	if (s->have_basic4) {
		who->name = s->basic4.name;
		who->address = s->basic4.address;
		who->birth = s->basic4.birth;
		who->sex = s->basic4.sex;
		if (s->proc->needs_mynumber && s->basic4.has_mynumber)
			who->mynumber = s->basic4.mynumber;
		req->applicant = who;
	}
	req->card = s->have_basic4;
	req->assist = s->assist;
	req->priority = false;
	req->kiosk = j->kiosk_id;
	req->fee_yen = journey_fee(s);
	req->appointment = s->appt_code[0] ? s->appt_code : NULL;
}

void
journey_ticket_info(struct app *app, struct ticket_info *t)
{
	struct journey *j = journey_of(app);
	const struct journey_session *s = &j->s;
	char buf[256];
	int64_t wall = app_wall_ms(app);

	memset(t, 0, sizeof *t);
	snprintf(t->site_name, sizeof t->site_name, "%s",
	    config_str(j->cfg, "kiosk.site_name"));
	snprintf(t->number, sizeof t->number, "%s", s->ticket.number);
	t->service = s->ticket.service ? s->ticket.service : s->proc->service;
	snprintf(t->procedure_ja, sizeof t->procedure_ja, "%s",
	    catalog_name(s->proc, "ja"));
	if (strcmp(s->lang, "ja") != 0) {
		/* paper shows no ruby: strip the furigana markup */
		i18n_strip_ruby(buf, sizeof buf, catalog_name(s->proc, s->lang));
		snprintf(t->procedure_local, sizeof t->procedure_local, "%s", buf);
	}
	snprintf(t->lang, sizeof t->lang, "%.7s", s->lang);
	snprintf(t->counter, sizeof t->counter, "%s",
	    s->ticket.counter[0] ? s->ticket.counter : s->proc->counter);
	t->issued_at = wall > 0 ? wall / 1000 : (int64_t)time(NULL);
	t->ahead = s->ticket.ahead;
	t->wait_min = s->ticket.wait_min;
	snprintf(t->url, sizeof t->url, "%s", s->ticket.url);
	/* a late arrival holds a walk-in's ticket: no appointment on it */
	if (strcmp(s->ticket.appt_arrival, "late") != 0)
		snprintf(t->appt_time, sizeof t->appt_time, "%s",
		    s->ticket.appt_time);
}
