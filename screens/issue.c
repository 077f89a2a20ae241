/*
 * issue.c - the ticket is committed on the server (POST /api/tickets), then
 * printed; both are worker jobs.  The server commits before it answers, so
 * the ticket exists whatever the printer does: a print failure shows the
 * ticket on screen with its QR and calls staff (help kind "printer").
 * Server unreachable: "受付を一時停止しています", a probe every few seconds,
 * and the request is sent again only once the server answers; the screen
 * has no button while a request is out, so a double tap cannot issue two.
 * Every try of one issue carries the same request id, so a request that
 * reached the server but whose answer was lost returns the same ticket.
 * Printing happens once per ticket (j->s.print_done).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journey.h"
#include "randid.h"
#include "ui.h"
#include "xmalloc.h"

enum issue_mode { IM_ISSUING, IM_PAUSED, IM_PRINTING, IM_REFUSED };
enum { T_RETRY = 1, ID_RESTART = 100 };
#define RETRY_MS 5000

static struct {
	enum issue_mode mode;
	int issue_job, probe_job, print_job;
	char detail[KERR_MSG_MAX];
	char request_id[33];    /* one per issue, reused by every retry */
} st;

struct issue_job {
	struct qclient *qc;
	struct qclient_issue_req req;
	struct qclient_answer ans[JOURNEY_MAX_Q];
	struct qclient_applicant who;
	char procedure[48], lang[16], kiosk[64], request_id[33];
	char appt[QCLIENT_CODE_MAX + 1];
	char ids[JOURNEY_MAX_Q][48], vals[JOURNEY_MAX_Q][JOURNEY_ANSWER_MAX];
	struct card_basic4 b;   /* personal data: wiped with the job */
};

static int
issue_job(struct ui_event *ev, void *arg)
{
	struct issue_job *ij = arg;
	struct qclient_ticket *t = xcalloc(1, sizeof *t);
	int rc;

	rc = qclient_issue(ij->qc, &ij->req, t, &ev->err);
	xfree_wipe(ij, sizeof *ij);
	ev->data = t;
	return rc;
}

/* Copy everything the request needs, so the job owns its data. */
static struct issue_job *
make_issue_job(struct journey *j)
{
	struct issue_job *ij = xcalloc(1, sizeof *ij);
	struct qclient_answer ans[JOURNEY_MAX_Q];
	struct qclient_applicant who;
	size_t i;

	journey_issue_req(j, &ij->req, ans, &who);
	ij->qc = j->qc;
	snprintf(ij->procedure, sizeof ij->procedure, "%s", ij->req.procedure);
	snprintf(ij->lang, sizeof ij->lang, "%s", ij->req.lang);
	snprintf(ij->kiosk, sizeof ij->kiosk, "%s", ij->req.kiosk);
	ij->req.procedure = ij->procedure;
	ij->req.lang = ij->lang;
	ij->req.kiosk = ij->kiosk;
	snprintf(ij->request_id, sizeof ij->request_id, "%s", st.request_id);
	ij->req.request_id = ij->request_id;
	if (ij->req.appointment != NULL) {
		snprintf(ij->appt, sizeof ij->appt, "%s", ij->req.appointment);
		ij->req.appointment = ij->appt;
	}
	for (i = 0; i < ij->req.nanswers && i < JOURNEY_MAX_Q; i++) {
		snprintf(ij->ids[i], sizeof ij->ids[i], "%s", ans[i].id);
		snprintf(ij->vals[i], sizeof ij->vals[i], "%s", ans[i].value);
		ij->ans[i].id = ij->ids[i];
		ij->ans[i].value = ij->vals[i];
	}
	ij->req.answers = ij->ans;
	if (ij->req.applicant != NULL) {
		ij->b = j->s.basic4;
		ij->who.name = ij->b.name;
		ij->who.address = ij->b.address;
		ij->who.birth = ij->b.birth;
		ij->who.sex = ij->b.sex;
		ij->who.mynumber = who.mynumber ? ij->b.mynumber : NULL;
		ij->req.applicant = &ij->who;
	}
	explicit_bzero(&who, sizeof who);
	return ij;
}

struct print_job {
	struct qclient *qc;
	struct print_opts o;
	struct ticket_info t;
	int64_t id;
	char kiosk[64];
};

static int
print_job(struct ui_event *ev, void *arg)
{
	struct print_job *pj = arg;
	struct print_result *res = xcalloc(1, sizeof *res);
	struct kerr e2;
	int rc;

	rc = print_ticket(&pj->o, &pj->t, res, &ev->err);
	if (rc != K_OK)
		klog("warn", "journey", "ticket %s not printed: %s (%s)",
		    pj->t.number, print_reason_name(res->reason), res->detail);
	/* tell the server and staff; failures here are logged, not shown */
	if (qclient_printed(pj->qc, pj->id, rc == K_OK, &e2) != K_OK)
		klog("warn", "journey", "printed flag: %s", e2.msg);
	/* the alert names the ticket, so staff can reprint that number */
	if (rc != K_OK && qclient_alert(pj->qc, pj->kiosk, "printer",
	    pj->t.number, print_reason_name(res->reason), NULL, &e2) != K_OK)
		klog("warn", "journey", "printer help: %s", e2.msg);
	if (res->paper_near_end && qclient_help(pj->qc, pj->kiosk, "paper_low",
	    NULL, &e2) != K_OK)
		klog("warn", "journey", "paper help: %s", e2.msg);
	free(pj);
	ev->data = res;
	return rc;
}

static void
start_issue(struct app *app)
{
	st.mode = IM_ISSUING;
	st.issue_job = app_spawn(app, issue_job, make_issue_job(journey_of(app)));
}

static void
start_print(struct app *app)
{
	struct journey *j = journey_of(app);
	struct print_job *pj;

	if (j->s.print_done || st.print_job != 0)
		return;   /* never twice */
	pj = xcalloc(1, sizeof *pj);
	pj->qc = j->qc;
	pj->o = j->popts;
	pj->id = j->s.ticket.id;
	snprintf(pj->kiosk, sizeof pj->kiosk, "%s", j->kiosk_id);
	journey_ticket_info(app, &pj->t);
	st.mode = IM_PRINTING;
	st.print_job = app_spawn(app, print_job, pj);
}

static void
issue_enter(struct app *app, void *arg)
{
	struct journey *j = journey_of(app);

	(void)arg;
	memset(&st, 0, sizeof st);
	randid_hex(st.request_id, (sizeof st.request_id - 1) / 2);
	app_idle_hold(app, true);
	if (j->s.issued)
		start_print(app);
	else
		start_issue(app);
}

static void
issue_leave(struct app *app)
{
	app_idle_hold(app, false);
	memset(&st, 0, sizeof st);
}

static bool
issue_event(struct app *app, struct ui_event *ev)
{
	struct journey *j = journey_of(app);
	bool redraw;
	int id;

	/* no back while a request is out; language, size, help stay */
	if (ev->type != UI_IDLE &&
	    journey_frame_event(app, ev, &redraw, false))
		return redraw;
	if (ev->type == UI_JOB_DONE && ev->job == st.issue_job) {
		st.issue_job = 0;
		if (ev->rc == K_OK) {
			journey_issued(j, ev->data);
			klog("info", "journey", "ticket %s issued (%s%s%s)",
			    j->s.ticket.number, j->s.proc->id,
			    j->s.ticket.appt_time[0] ? ", appointment " : "",
			    j->s.ticket.appt_time);
			start_print(app);
		} else if (ev->rc == K_ENODEV || ev->rc == K_EBUSY ||
		    ev->rc == K_ETIMEOUT || ev->rc == K_EIO) {
			klog("warn", "journey", "server unreachable: %s", ev->err.msg);
			st.mode = IM_PAUSED;
			app_timer_set(app, T_RETRY, RETRY_MS, false);
		} else {
			klog("error", "journey", "ticket refused: %s (%s)",
			    kerr_name(ev->rc), ev->err.msg);
			snprintf(st.detail, sizeof st.detail, "%s", ev->err.msg);
			st.mode = IM_REFUSED;
			app_idle_hold(app, false);
			journey_spawn_help(app, "resident");
		}
		return true;
	}
	if (ev->type == UI_TICK && ev->timer == T_RETRY && st.mode == IM_PAUSED) {
		st.probe_job = journey_spawn_queue(app);
		return false;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.probe_job) {
		st.probe_job = 0;
		if (ev->rc == K_OK)
			start_issue(app);
		else
			app_timer_set(app, T_RETRY, RETRY_MS, false);
		return true;
	}
	if (ev->type == UI_JOB_DONE && ev->job == st.print_job) {
		struct print_result *res = ev->data;
		st.print_job = 0;
		journey_printed(j, ev->rc == K_OK,
		    res ? print_reason_name(res->reason) : NULL);
		journey_next(app, JO_NEXT);
		return true;
	}
	id = ui_clicked(app_ui(app), ev);
	if (id == ID_RESTART && st.mode == IM_REFUSED) {
		journey_end(app);
		return true;
	}
	return false;
}

static void
issue_draw(struct app *app, struct ui *ui)
{
	struct journey_frame_opts o = { .title_key = "issue.title" };
	struct ui_frame f;
	struct ui_rect c;
	const char *msg = "issue.body";
	struct ui_color bg = UI_COL_PANEL_BLUE, border = UI_COL_PRIMARY;
	enum ui_icon icon = UI_ICON_PRINTER;
	int gap = ui_mm(ui, UI_MM_GAP);

	journey_frame(app, ui, &o, &f);
	c = f.content;
	if (st.mode == IM_PAUSED) {
		msg = "queue.paused";
		icon = UI_ICON_WARNING;
		bg = UI_COL_WARNING_BG;
		border = UI_COL_WARNING;
	} else if (st.mode == IM_REFUSED) {
		msg = "issue.refused";
		icon = UI_ICON_ERROR;
		bg = UI_COL_ERROR_BG;
		border = UI_COL_ERROR;
	} else if (st.mode == IM_PRINTING)
		msg = "issue.printing";
	journey_notice(ui, &c, icon, icon == UI_ICON_ERROR ? UI_COL_ERROR :
	    icon == UI_ICON_WARNING ? UI_COL_WARNING : UI_COL_PRIMARY, bg, border,
	    journey_tr(app, msg), UI_TYPE_H2, ui_mm(ui, 30));
	if (st.mode == IM_ISSUING || st.mode == IM_PRINTING || st.mode == IM_PAUSED)
		ui_progress(ui, ui_cut_top(&c, ui_mm(ui, 8), gap), -1.0,
		    app_now_ms(app));
	if (st.mode == IM_REFUSED)
		journey_action(ui, &c, ID_RESTART, journey_tr(app,
		    "issue.restart"));
}

const struct screen screen_issue = {
	.name = "issue",
	.enter = issue_enter,
	.event = issue_event,
	.draw = issue_draw,
	.leave = issue_leave,
};
