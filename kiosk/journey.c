/*
 * journey.c - the resident session: state, wipe, language, answers, fee,
 * and the step machine that chooses the next screen.
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
		char *url = xasprintf("http://127.0.0.1:%d", server_port(srv));
		qclient_free(j->qc);
		rc = qclient_new(&j->qc, url, config_str(cfg, "server.token_kiosk"),
		    5000, err);
		free(url);
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

/* ---- steps ---- */

static bool
card_step(struct app *app)
{
	struct journey *j = journey_of(app);

	return j->s.proc != NULL && j->s.proc->card != CAT_CARD_NONE;
}

int
journey_step_total(struct app *app)
{
	struct journey *j = journey_of(app);

	if (j->s.proc == NULL)
		return 1;
	return (int)j->s.proc->nquestions + (card_step(app) ? 1 : 0) + 1;
}

int
journey_step_index(struct app *app)
{
	struct journey *j = journey_of(app);
	const char *top = app_top(app) ? app_top(app)->name : "";
	int nq = j->s.proc ? (int)j->s.proc->nquestions : 0;

	if (strcmp(top, "question") == 0)
		return (int)j->s.qpos + 1;
	if (strncmp(top, "card_", 5) == 0 || strcmp(top, "confirm") == 0)
		return nq + 1;
	return journey_step_total(app);
}

static void
after_questions(struct app *app)
{
	if (card_step(app))
		app_replace(app, &screen_card_choice, NULL);
	else
		app_replace(app, &screen_summary, NULL);
}

void
journey_next(struct app *app)
{
	struct journey *j = journey_of(app);
	const char *top = app_top(app) ? app_top(app)->name : "";

	if (strcmp(top, "menu") == 0 || strcmp(top, "events") == 0) {
		if (j->s.proc == NULL)
			return;
		if (j->s.proc->nquestions > 0) {
			j->s.qpos = 0;
			app_replace(app, &screen_question, NULL);
		} else
			after_questions(app);
	} else if (strcmp(top, "question") == 0) {
		if (j->s.qpos + 1 < j->s.proc->nquestions) {
			j->s.qpos++;
			app_replace(app, &screen_question, NULL);
		} else
			after_questions(app);
	} else if (strcmp(top, "card_choice") == 0) {
		if (j->s.card == JOURNEY_CARD_USE)
			app_replace(app, &screen_card_place, NULL);
		else
			app_replace(app, &screen_summary, NULL);
	} else if (strcmp(top, "card_place") == 0) {
		app_replace(app, &screen_card_pin, NULL);
	} else if (strcmp(top, "card_pin") == 0) {
		app_replace(app, &screen_card_read, NULL);
	} else if (strcmp(top, "card_read") == 0) {
		app_replace(app, &screen_confirm, NULL);
	} else if (strcmp(top, "confirm") == 0) {
		app_replace(app, &screen_summary, NULL);
	} else if (strcmp(top, "summary") == 0) {
		app_replace(app, &screen_issue, NULL);
	} else if (strcmp(top, "issue") == 0) {
		app_replace(app, &screen_ticket, NULL);
	} else if (strcmp(top, "idle") == 0) {
		journey_begin(app);
		app_replace(app, &screen_menu, NULL);
	}
}

static void
to_last_question_or_menu(struct app *app)
{
	struct journey *j = journey_of(app);

	if (j->s.proc != NULL && j->s.proc->nquestions > 0) {
		j->s.qpos = j->s.proc->nquestions - 1;
		app_replace(app, &screen_question, NULL);
	} else if (j->s.proc != NULL && j->s.proc->kind == CAT_LIFE_EVENT)
		app_replace(app, &screen_events, NULL);
	else
		app_replace(app, &screen_menu, NULL);
}

void
journey_back(struct app *app)
{
	struct journey *j = journey_of(app);
	const char *top = app_top(app) ? app_top(app)->name : "";

	if (strcmp(top, "menu") == 0) {
		journey_end(app);
	} else if (strcmp(top, "events") == 0) {
		app_replace(app, &screen_menu, NULL);
	} else if (strcmp(top, "question") == 0) {
		if (j->s.qpos > 0) {
			j->s.qpos--;
			app_replace(app, &screen_question, NULL);
		} else if (j->s.proc && j->s.proc->kind == CAT_LIFE_EVENT)
			app_replace(app, &screen_events, NULL);
		else
			app_replace(app, &screen_menu, NULL);
	} else if (strcmp(top, "card_choice") == 0) {
		to_last_question_or_menu(app);
	} else if (strcmp(top, "card_place") == 0 ||
	    strcmp(top, "card_pin") == 0 || strcmp(top, "confirm") == 0) {
		card_basic4_wipe(&j->s.basic4);
		j->s.have_basic4 = false;
		app_replace(app, &screen_card_choice, NULL);
	} else if (strcmp(top, "summary") == 0) {
		if (card_step(app)) {
			card_basic4_wipe(&j->s.basic4);
			j->s.have_basic4 = false;
			app_replace(app, &screen_card_choice, NULL);
		} else
			to_last_question_or_menu(app);
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
}
