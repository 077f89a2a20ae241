/*
 * test_journey.c - the resident session without a screen: answers, fee,
 * the ticket request (applicant only after a card read, the My Number only
 * where the procedure needs it), the wipe at session end, and the steps'
 * table (journey_route) walked for each kind of procedure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "journey.h"

static struct catalog *cat;

static int
setup(void **state)
{
	struct kerr err;

	(void)state;
	return catalog_load(&cat, "assets/procedures.json", &err) == K_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return 0;
}

static void
fill_card(struct journey_session *s)
{
	snprintf(s->basic4.name, sizeof s->basic4.name, "旭　太郎");
	snprintf(s->basic4.address, sizeof s->basic4.address, "千葉県旭市二の１９２０");
	snprintf(s->basic4.birth, sizeof s->basic4.birth, "1980-04-01");
	snprintf(s->basic4.sex, sizeof s->basic4.sex, "1");
	snprintf(s->basic4.mynumber, sizeof s->basic4.mynumber, "123456789018");
	s->basic4.has_mynumber = true;
	s->have_basic4 = true;
}

static void
test_journey_answers_are_found_by_question_id(void **state)
{
	struct journey_session s;

	(void)state;
	journey_session_wipe(&s);
	s.proc = catalog_find(cat, "juminhyo");
	assert_null(journey_answer(&s, "who"));
	journey_set_answer(&s, 0, "household");
	journey_set_answer(&s, 1, "3");
	assert_string_equal(journey_answer(&s, "who"), "household");
	assert_string_equal(journey_answer(&s, "copies"), "3");
	assert_null(journey_answer(&s, "nonexistent"));
	assert_int_equal(journey_fee(&s), 900);
}

static void
test_journey_fee_follows_the_chosen_certificate(void **state)
{
	struct journey_session s;

	(void)state;
	journey_session_wipe(&s);
	s.proc = catalog_find(cat, "koseki");
	journey_set_answer(&s, 0, "joseki");
	journey_set_answer(&s, 1, "2");
	assert_int_equal(journey_fee(&s), 1500);
	journey_set_answer(&s, 0, "tohon");
	assert_int_equal(journey_fee(&s), 900);
}

static void
test_journey_request_without_card_has_no_applicant(void **state)
{
	struct journey j;
	struct qclient_issue_req req;
	struct qclient_answer ans[JOURNEY_MAX_Q];
	struct qclient_applicant who;

	(void)state;
	memset(&j, 0, sizeof j);
	snprintf(j.kiosk_id, sizeof j.kiosk_id, "kiosk-9");
	journey_session_wipe(&j.s);
	snprintf(j.s.lang, sizeof j.s.lang, "vi");
	j.s.proc = catalog_find(cat, "juminhyo");
	journey_set_answer(&j.s, 1, "2");   /* "who" left unanswered */
	journey_issue_req(&j, &req, ans, &who);
	assert_string_equal(req.procedure, "juminhyo");
	assert_string_equal(req.lang, "vi");
	assert_string_equal(req.kiosk, "kiosk-9");
	assert_int_equal(req.nanswers, 1);
	assert_string_equal(req.answers[0].id, "copies");
	assert_string_equal(req.answers[0].value, "2");
	assert_null(req.applicant);
	assert_false(req.card);
	assert_int_equal(req.fee_yen, 600);
}

static void
test_journey_request_sends_my_number_only_where_needed(void **state)
{
	struct journey j;
	struct qclient_issue_req req;
	struct qclient_answer ans[JOURNEY_MAX_Q];
	struct qclient_applicant who;

	(void)state;
	memset(&j, 0, sizeof j);
	journey_session_wipe(&j.s);
	fill_card(&j.s);
	j.s.proc = catalog_find(cat, "juminhyo");
	journey_issue_req(&j, &req, ans, &who);
	assert_non_null(req.applicant);
	assert_true(req.card);
	assert_string_equal(req.applicant->birth, "1980-04-01");
	assert_null(req.applicant->mynumber);

	j.s.proc = catalog_find(cat, "kokuho");   /* 国民健康保険: mynumber true */
	journey_issue_req(&j, &req, ans, &who);
	assert_non_null(req.applicant->mynumber);
	assert_string_equal(req.applicant->mynumber, "123456789018");
}

static void
test_journey_wipe_leaves_no_personal_data(void **state)
{
	struct journey_session s;
	const unsigned char *p = (const unsigned char *)&s;
	size_t i;

	(void)state;
	journey_session_wipe(&s);
	fill_card(&s);
	s.proc = catalog_find(cat, "juminhyo");
	journey_set_answer(&s, 0, "self");
	s.issued = true;
	snprintf(s.ticket.number, sizeof s.ticket.number, "A-001");
	journey_session_wipe(&s);
	assert_int_equal(s.tries_left, -1);
	assert_false(s.have_basic4);
	assert_null(s.proc);
	for (i = 0; i < sizeof s; i++)
		if (p + i < (const unsigned char *)&s.tries_left ||
		    p + i >= (const unsigned char *)(&s.tries_left + 1))
			assert_int_equal(p[i], 0);
}

/* Walk a session along outcomes; each row: outcome, the step it leads to
 * and the question then on screen. */
struct walk {
	enum journey_outcome o;
	enum journey_step to;
	size_t qpos;
};

static void
walk(struct journey_session *s, enum journey_step from,
    const struct walk *w, size_t n)
{
	size_t i, qpos;

	for (i = 0; i < n; i++) {
		enum journey_step to = journey_route(s, from, w[i].o, &qpos);
		if (to != w[i].to || (to == JS_QUESTION && qpos != w[i].qpos))
			fail_msg("move %zu from %s on %d: %s (question %zu), "
			    "wanted %s (question %zu)", i, journey_step_name(from),
			    (int)w[i].o, journey_step_name(to), qpos,
			    journey_step_name(w[i].to), w[i].qpos);
		if (to == JS_END || to == JS_NONE)
			return;
		s->qpos = qpos;
		from = to;
	}
}

static void
test_journey_steps_walk_questions_card_and_back(void **state)
{
	/* 住民票: two questions, the card optional */
	static const struct walk fwd[] = {
		{ JO_NEXT, JS_QUESTION, 0 }, { JO_NEXT, JS_QUESTION, 1 },
		{ JO_BACK, JS_QUESTION, 0 }, { JO_NEXT, JS_QUESTION, 1 },
		{ JO_NEXT, JS_CARD_CHOICE, 0 }, { JO_NEXT, JS_CARD_PLACE, 0 },
		{ JO_NEXT, JS_CARD_PIN, 0 }, { JO_NEXT, JS_CARD_READ, 0 },
		{ JO_PIN_AGAIN, JS_CARD_PIN, 0 }, { JO_NEXT, JS_CARD_READ, 0 },
		{ JO_CARD_AGAIN, JS_CARD_PLACE, 0 }, { JO_NEXT, JS_CARD_PIN, 0 },
		{ JO_NEXT, JS_CARD_READ, 0 }, { JO_NEXT, JS_CONFIRM, 0 },
		{ JO_ASSIST, JS_SUMMARY, 0 }, { JO_BACK, JS_CARD_CHOICE, 0 },
		{ JO_BACK, JS_QUESTION, 1 }, { JO_NEXT, JS_CARD_CHOICE, 0 },
		{ JO_NO_CARD, JS_SUMMARY, 0 }, { JO_NEXT, JS_ISSUE, 0 },
		{ JO_NEXT, JS_TICKET, 0 }, { JO_NEXT, JS_END, 0 },
	};
	/* outcomes a step does not have move nothing */
	static const struct walk none[] = {
		{ JO_EVENTS, JS_NONE, 0 },
	};
	struct journey_session s;
	size_t qpos;

	(void)state;
	journey_session_wipe(&s);
	/* nothing chosen yet: the menu stays */
	assert_int_equal(journey_route(&s, JS_MENU, JO_NEXT, &qpos), JS_NONE);
	assert_int_equal(journey_route(&s, JS_IDLE, JO_NEXT, &qpos), JS_MENU);
	assert_int_equal(journey_route(&s, JS_MENU, JO_BACK, &qpos), JS_END);
	s.proc = catalog_find(cat, "juminhyo");
	walk(&s, JS_MENU, fwd, ARRAY_SIZE(fwd));
	walk(&s, JS_QUESTION, none, ARRAY_SIZE(none));
	assert_int_equal(journey_route(&s, JS_CARD_ALARM, JO_NEXT, &qpos),
	    JS_IDLE);
}

static void
test_journey_steps_skip_what_the_procedure_lacks(void **state)
{
	/* 出生届: no questions, no card: straight to the summary and back */
	static const struct walk nocard[] = {
		{ JO_NEXT, JS_SUMMARY, 0 }, { JO_BACK, JS_MENU, 0 },
	};
	/* 印鑑登録: no questions, the card optional */
	static const struct walk card_noq[] = {
		{ JO_NEXT, JS_CARD_CHOICE, 0 }, { JO_BACK, JS_MENU, 0 },
	};
	/* 転入 from the life-event guide: no questions, no card; back from
	 * the summary is the guide, back from the guide the menu */
	static const struct walk guide[] = {
		{ JO_NEXT, JS_SUMMARY, 0 }, { JO_BACK, JS_EVENTS, 0 },
		{ JO_BACK, JS_MENU, 0 }, { JO_EVENTS, JS_EVENTS, 0 },
	};
	/* a life event with questions: back from its first one is the guide */
	static const struct walk guide_q[] = {
		{ JO_NEXT, JS_QUESTION, 0 }, { JO_NEXT, JS_QUESTION, 1 },
		{ JO_BACK, JS_QUESTION, 0 }, { JO_BACK, JS_EVENTS, 0 },
	};
	/* 国保 (card optional): back from the summary is the card choice */
	static const struct walk sum[] = {
		{ JO_BACK, JS_CARD_CHOICE, 0 },
	};
	struct journey_session s;
	struct cat_procedure life;

	(void)state;
	journey_session_wipe(&s);
	s.proc = catalog_find(cat, "shussei");
	walk(&s, JS_MENU, nocard, ARRAY_SIZE(nocard));
	s.proc = catalog_find(cat, "inkan_toroku");
	walk(&s, JS_MENU, card_noq, ARRAY_SIZE(card_noq));
	s.proc = catalog_find(cat, "move_in");
	assert_int_equal(s.proc->kind, CAT_LIFE_EVENT);
	walk(&s, JS_EVENTS, guide, ARRAY_SIZE(guide));
	life = *s.proc;
	life.nquestions = 2;
	s.proc = &life;
	walk(&s, JS_EVENTS, guide_q, ARRAY_SIZE(guide_q));
	s.proc = catalog_find(cat, "kokuho");
	walk(&s, JS_SUMMARY, sum, ARRAY_SIZE(sum));
}

static void
test_journey_drop_card_wipes_the_four_facts(void **state)
{
	struct journey j;
	const unsigned char *p = (const unsigned char *)&j.s.basic4;
	struct qclient_ticket t;
	size_t i;

	(void)state;
	memset(&j, 0, sizeof j);
	journey_session_wipe(&j.s);
	fill_card(&j.s);
	journey_drop_card(&j);
	assert_false(j.s.have_basic4);
	for (i = 0; i < sizeof j.s.basic4; i++)
		assert_int_equal(p[i], 0);
	/* issuing drops them too: they went with the ticket */
	fill_card(&j.s);
	memset(&t, 0, sizeof t);
	snprintf(t.number, sizeof t.number, "A-001");
	journey_issued(&j, &t);
	assert_true(j.s.issued);
	assert_string_equal(j.s.ticket.number, "A-001");
	assert_false(j.s.have_basic4);
	for (i = 0; i < sizeof j.s.basic4; i++)
		assert_int_equal(p[i], 0);
}

static void
test_journey_checkin_leads_to_the_appointments_procedure(void **state)
{
	/* 住民票 booked: check-in, its questions; back from the first is the
	 * check-in (not the menu, where another procedure would not match
	 * the code), back from the check-in is the idle screen */
	static const struct walk appt[] = {
		{ JO_NEXT, JS_QUESTION, 0 }, { JO_NEXT, JS_QUESTION, 1 },
		{ JO_NEXT, JS_CARD_CHOICE, 0 }, { JO_BACK, JS_QUESTION, 1 },
		{ JO_BACK, JS_QUESTION, 0 }, { JO_BACK, JS_CHECKIN, 0 },
		{ JO_BACK, JS_IDLE, 0 },
	};
	/* 出生届 booked (no questions, no card): back from the summary */
	static const struct walk appt_noq[] = {
		{ JO_NEXT, JS_SUMMARY, 0 }, { JO_BACK, JS_CHECKIN, 0 },
	};
	struct qclient_appointment a;
	struct qclient_issue_req req;
	struct qclient_answer ans[JOURNEY_MAX_Q];
	struct qclient_applicant who;
	struct journey j;
	size_t qpos;

	(void)state;
	memset(&j, 0, sizeof j);
	journey_session_wipe(&j.s);
	assert_int_equal(journey_route(&j.s, JS_IDLE, JO_CHECKIN, &qpos),
	    JS_CHECKIN);
	/* nothing found yet: the check-in stays */
	assert_int_equal(journey_route(&j.s, JS_CHECKIN, JO_NEXT, &qpos),
	    JS_NONE);
	memset(&a, 0, sizeof a);
	snprintf(a.code, sizeof a.code, "12345678");
	snprintf(a.time, sizeof a.time, "10:30");
	j.s.proc = catalog_find(cat, "juminhyo");
	journey_appointment(&j, &a, false);
	walk(&j.s, JS_CHECKIN, appt, ARRAY_SIZE(appt));
	j.s.proc = catalog_find(cat, "shussei");
	walk(&j.s, JS_CHECKIN, appt_noq, ARRAY_SIZE(appt_noq));
	/* the ticket request carries the code; a walk-in's does not */
	snprintf(j.kiosk_id, sizeof j.kiosk_id, "kiosk-1");
	journey_issue_req(&j, &req, ans, &who);
	assert_string_equal(req.appointment, "12345678");
	journey_appointment(&j, NULL, false);
	assert_string_equal(j.s.appt_code, "");
	journey_issue_req(&j, &req, ans, &who);
	assert_null(req.appointment);
	/* without it, back from the summary is the menu again */
	assert_int_equal(journey_route(&j.s, JS_SUMMARY, JO_BACK, &qpos),
	    JS_MENU);
	/* the session wipe forgets the code */
	journey_appointment(&j, &a, true);
	assert_true(j.s.appt_late);
	journey_session_wipe(&j.s);
	assert_string_equal(j.s.appt_code, "");
	assert_false(j.s.appt_late);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journey_answers_are_found_by_question_id),
		cmocka_unit_test(test_journey_checkin_leads_to_the_appointments_procedure),
		cmocka_unit_test(test_journey_fee_follows_the_chosen_certificate),
		cmocka_unit_test(test_journey_request_without_card_has_no_applicant),
		cmocka_unit_test(test_journey_request_sends_my_number_only_where_needed),
		cmocka_unit_test(test_journey_wipe_leaves_no_personal_data),
		cmocka_unit_test(test_journey_steps_walk_questions_card_and_back),
		cmocka_unit_test(test_journey_steps_skip_what_the_procedure_lacks),
		cmocka_unit_test(test_journey_drop_card_wipes_the_four_facts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
