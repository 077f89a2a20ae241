/*
 * test_card_pcsc.c - PC/SC errors: every return value the kiosk meets maps
 * to its kerr code and a plain message; with no pcscd at all the transport,
 * the reader list and the watcher say "no device" instead of hanging.
 * (The real pcscd + vpcd stack is exercised by tests/e2e/card.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apdu.h"
#include "card.h"

/* Values from pcsc-lite's pcsclite.h (tests do not include <winscard.h>). */
struct pcsc_row { long rv; const char *name; int code; const char *text; };

static const struct pcsc_row pcsc_rows[] = {
	{ 0x80100069L, "SCARD_W_REMOVED_CARD", K_EREMOVED, "removed" },
	{ 0x8010000CL, "SCARD_E_NO_SMARTCARD", K_EREMOVED, "no longer in the reader" },
	{ 0x80100068L, "SCARD_W_RESET_CARD", K_EREMOVED, "reset" },
	{ 0x80100016L, "SCARD_E_NOT_TRANSACTED", K_EREMOVED, "did not reach the card" },
	{ 0x80100013L, "SCARD_F_COMM_ERROR", K_EREMOVED, "communication with the card was lost" },
	{ 0x80100067L, "SCARD_W_UNPOWERED_CARD", K_EREMOVED, "lost power" },
	{ 0x80100066L, "SCARD_W_UNRESPONSIVE_CARD", K_ENOTMINE, "does not answer" },
	{ 0x8010000FL, "SCARD_E_PROTO_MISMATCH", K_ENOTMINE, "protocol" },
	{ 0x80100065L, "SCARD_W_UNSUPPORTED_CARD", K_ENOTMINE, "cannot use this card" },
	{ 0x8010001DL, "SCARD_E_NO_SERVICE", K_ENODEV, "pcscd) is not running" },
	{ 0x8010001EL, "SCARD_E_SERVICE_STOPPED", K_ENODEV, "pcscd) stopped" },
	{ 0x80100003L, "SCARD_E_INVALID_HANDLE", K_ENODEV, "connection to the PC/SC service was lost" },
	{ 0x8010002EL, "SCARD_E_NO_READERS_AVAILABLE", K_ENODEV, "no card reader" },
	{ 0x80100017L, "SCARD_E_READER_UNAVAILABLE", K_ENODEV, "unplugged" },
	{ 0x80100009L, "SCARD_E_UNKNOWN_READER", K_ENODEV, "no such card reader" },
	{ 0x8010000BL, "SCARD_E_SHARING_VIOLATION", K_EBUSY, "another program" },
	{ 0x8010000AL, "SCARD_E_TIMEOUT", K_ETIMEOUT, "in time" },
	{ 0x80100002L, "SCARD_E_CANCELLED", K_EBUSY, "cancelled" },
	{ 0x80100008L, "SCARD_E_INSUFFICIENT_BUFFER", K_EFAIL, "buffer" },
	{ 0x80100006L, "SCARD_E_NO_MEMORY", K_EFAIL, "memory" },
	{ 0x80100001L, "SCARD_F_INTERNAL_ERROR", K_EFAIL, "internal error" },
	{ 0x80100014L, "SCARD_F_UNKNOWN_ERROR", K_EFAIL, "PC/SC error 0x80100014" },
};

static void
test_pcsc_errors_map_to_their_codes_and_plain_messages(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pcsc_rows); i++) {
		const struct pcsc_row *r = &pcsc_rows[i];
		struct kerr err;
		int rc;

		rc = apdu_pcsc_error(r->rv, "sending B0 to the card", &err);
		if (rc != r->code || err.code != r->code)
			fail_msg("%s: %s, want %s", r->name, kerr_name(rc),
			    kerr_name(r->code));
		if (strstr(err.msg, r->text) == NULL ||
		    strncmp(err.msg, "sending B0 to the card: ", 24) != 0)
			fail_msg("%s: message \"%s\"", r->name, err.msg);
		assert_non_null(strstr(err.msg, "0x801000"));
	}
}

/* pcscd is not there: the tests point the client at a socket that does not
 * exist (PCSCLITE_CSOCK_NAME, read once by libpcsclite). */
static int
setup_no_pcscd(void **state)
{
	static char path[64];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/no-pcscd-%d/pcscd.comm",
	    (int)getpid());
	setenv("PCSCLITE_CSOCK_NAME", path, 1);
	return 0;
}

static void
test_open_without_pcscd_says_no_device(void **state)
{
	struct apdu *t = (struct apdu *)1;
	struct kerr err;

	(void)state;
	assert_int_equal(apdu_pcsc_open(&t, NULL, &err), K_ENODEV);
	assert_null(t);
	assert_non_null(strstr(err.msg, "pcscd"));
	assert_int_equal(apdu_pcsc_open(&t, "Virtual PCD", &err), K_ENODEV);
}

static void
test_list_and_tries_without_pcscd_say_no_device(void **state)
{
	struct apdu_reader r[4];
	struct kerr err;
	size_t n = 99;
	int tries = 5;

	(void)state;
	assert_int_equal(apdu_pcsc_list(r, 4, &n, &err), K_ENODEV);
	assert_int_equal(n, 0);
	assert_int_equal(card_tries_at(NULL, &tries, &err), K_ENODEV);
	assert_int_equal(tries, -1);
}

static void
test_read_at_checks_the_pin_before_touching_pcsc(void **state)
{
	struct card_basic4 b;
	struct kerr err;
	int tries;

	(void)state;
	assert_int_equal(card_read_at(NULL, "12345", 0, &tries, &b, &err),
	    K_EINVAL);
	assert_int_equal(card_read_at(NULL, "1234", 0, &tries, &b, &err),
	    K_ENODEV);
}

struct seen {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	enum card_event last;
};

static void
on_event(void *arg, enum card_event ev, const char *reader)
{
	struct seen *s = arg;

	(void)reader;
	pthread_mutex_lock(&s->mu);
	s->n++;
	s->last = ev;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void
test_watcher_without_pcscd_reports_no_reader_and_stops(void **state)
{
	struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    0, CARD_EV_INSERTED };
	struct card_watch *w;
	struct kerr err;
	int n;

	(void)state;
	assert_int_equal(card_watch_start(&w, NULL, on_event, &s, &err), K_OK);
	pthread_mutex_lock(&s.mu);
	while (s.n == 0)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	assert_int_equal(s.last, CARD_EV_NO_READER);
	card_watch_stop(w);
	n = s.n;
	usleep(50000);
	assert_int_equal(s.n, n);		/* no call after stop */
	assert_int_equal(n, 1);			/* reported once, not per retry */
	assert_string_equal(card_event_name(CARD_EV_REMOVED), "removed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcsc_errors_map_to_their_codes_and_plain_messages),
		cmocka_unit_test(test_open_without_pcscd_says_no_device),
		cmocka_unit_test(test_list_and_tries_without_pcscd_say_no_device),
		cmocka_unit_test(test_read_at_checks_the_pin_before_touching_pcsc),
		cmocka_unit_test(test_watcher_without_pcscd_reports_no_reader_and_stops),
	};

	return cmocka_run_group_tests_name("card_pcsc", tests, setup_no_pcscd,
	    NULL);
}
