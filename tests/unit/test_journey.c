/*
 * test_journey.c - the resident session without a screen: answers, fee,
 * the ticket request (applicant only after a card read, the My Number only
 * where the procedure needs it), and the wipe at session end.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journey_answers_are_found_by_question_id),
		cmocka_unit_test(test_journey_fee_follows_the_chosen_certificate),
		cmocka_unit_test(test_journey_request_without_card_has_no_applicant),
		cmocka_unit_test(test_journey_request_sends_my_number_only_where_needed),
		cmocka_unit_test(test_journey_wipe_leaves_no_personal_data),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
