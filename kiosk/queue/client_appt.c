/*
 * client_appt.c - the queue client's side of appointments
 * (APPT_CONTRACT.md): a code as typed or scanned, the look-up and its
 * refusals, and the check-in's member of the ticket answer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client_int.h"
#include "jfield.h"
#include "qclient.h"

/* "10:30": two digits, a colon, two digits, a time of day. */
bool
client_is_hhmm(const char *s)
{
	return s != NULL && strlen(s) == 5 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && s[2] == ':' &&
	    isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) &&
	    atoi(s) < 24 && atoi(s + 3) < 60;
}

static bool
is_arrival(const char *s)
{
	return s != NULL && (strcmp(s, "early") == 0 ||
	    strcmp(s, "on_time") == 0 || strcmp(s, "late") == 0);
}

/*
 * The ticket answer's "appointment" member, which a check-in must have:
 * without it the server did not take the code (an older server), and the
 * resident would hold a walk-in ticket believing it an appointment.
 */
int
client_issue_appointment(json_t *root, const struct qclient_issue_req *req,
    struct qclient_ticket *out, struct kerr *err)
{
	json_t *a = json_object_get(root, "appointment");
	const char *time = NULL, *arrival = NULL;
	bool closed = false;

	if (req->appointment == NULL)
		return K_OK;
	if (!json_is_object(a))
		return kerr_set(err, K_EPARSE, "queue server: the ticket answer "
		    "lacks the \"appointment\" object of a check-in");
	if (jf_str(a, "time", JF_REQUIRED, 5, &time) != JF_OK || !client_is_hhmm(time))
		return kerr_set(err, K_EPARSE, "queue server: the ticket's "
		    "appointment \"time\" is not HH:MM");
	if (jf_str(a, "arrival", JF_REQUIRED, 7, &arrival) != JF_OK ||
	    !is_arrival(arrival))
		return kerr_set(err, K_EPARSE, "queue server: the ticket's "
		    "appointment \"arrival\" is not early, on_time or late");
	if (jf_bool(a, "counter_closed", JF_NULL_ABSENT, &closed) != JF_OK)
		return kerr_set(err, K_EPARSE, "queue server: the ticket's "
		    "appointment \"counter_closed\" is not true or false");
	snprintf(out->appt_time, sizeof(out->appt_time), "%s", time);
	snprintf(out->appt_arrival, sizeof(out->appt_arrival), "%s", arrival);
	out->counter_closed = closed;
	return K_OK;
}


int
qclient_appointment_code(const char *typed, char out[QCLIENT_CODE_MAX + 1],
    struct kerr *err)
{
	const char *p = typed, *end;
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return kerr_set(err, K_EINVAL, "booking code: nothing typed");
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	/* a QR code of the booking system's: "APPT:" and the digits */
	if ((size_t)(end - p) >= 5 && strncasecmp(p, "APPT:", 5) == 0)
		p += 5;
	n = (size_t)(end - p);
	if (n == 0)
		return kerr_set(err, K_EINVAL, "booking code: no digits");
	if (strspn(p, "0123456789") < n)
		return kerr_set(err, K_EINVAL, "booking code: only digits "
		    "(or APPT: and digits) are a code");
	if (n < QCLIENT_CODE_MIN || n > QCLIENT_CODE_MAX)
		return kerr_set(err, K_EINVAL, "booking code: %zu digits, a code "
		    "has %d to %d", n, QCLIENT_CODE_MIN, QCLIENT_CODE_MAX);
	memcpy(out, p, n);
	out[n] = '\0';
	return K_OK;
}

/* One string member into a fixed buffer; missing, not a string, empty or
 * too long is a K_EPARSE naming the member. */
static int
appt_str(json_t *o, const char *key, char *out, size_t n, struct kerr *err)
{
	const char *s = NULL;

	if (jf_str(o, key, JF_REQUIRED | JF_NO_CONTROL, n - 1, &s) != JF_OK)
		return kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer's \"%s\" is missing, not a string, empty or longer "
		    "than %zu bytes", key, n - 1);
	snprintf(out, n, "%s", s);
	return K_OK;
}

static bool
is_iso_date(const char *s)
{
	return strlen(s) == 10 && strspn(s, "0123456789-") == 10 &&
	    s[4] == '-' && s[7] == '-' && isdigit((unsigned char)s[5]) &&
	    isdigit((unsigned char)s[8]);
}

/* A refusal's body: the error word and what it names. */
static int
appt_refusal(int status, json_t *root, struct qclient_appointment *out,
    struct kerr *err)
{
	const char *word = NULL, *s = NULL;

	if (!json_is_object(root) || jf_str(root, "error", JF_REQUIRED |
	    JF_NO_CONTROL, sizeof(out->error) - 1, &word) != JF_OK)
		return kerr_set(err, K_EPARSE, "queue server: %d to an "
		    "appointment lookup without an \"error\" word", status);
	snprintf(out->error, sizeof(out->error), "%s", word);
	if (status == 404 && strcmp(word, "appointment_not_found") == 0)
		return kerr_set(err, K_ENOTFOUND, "appointment lookup: no such "
		    "booking code");
	if (status == 400 && strcmp(word, "bad_code") == 0)
		return kerr_set(err, K_EINVAL, "appointment lookup: the server "
		    "says the code is not 6 to 12 digits");
	if (status == 409 && strcmp(word, "appointment_cancelled") == 0)
		return kerr_set(err, K_EINVAL, "appointment lookup: cancelled");
	if (status == 409 && strcmp(word, "appointment_other_day") == 0) {
		if (jf_str(root, "date", JF_REQUIRED, 10, &s) != JF_OK ||
		    !is_iso_date(s))
			return kerr_set(err, K_EPARSE, "queue server: "
			    "appointment_other_day without a \"date\" "
			    "YYYY-MM-DD");
		snprintf(out->other_date, sizeof(out->other_date), "%s", s);
		return kerr_set(err, K_EINVAL, "appointment lookup: booked for "
		    "another day");
	}
	if (status == 409 && strcmp(word, "appointment_checked_in") == 0) {
		if (jf_str(root, "number", JF_REQUIRED | JF_NO_CONTROL,
		    sizeof(out->number) - 1, &s) != JF_OK)
			return kerr_set(err, K_EPARSE, "queue server: "
			    "appointment_checked_in without the ticket "
			    "\"number\"");
		snprintf(out->number, sizeof(out->number), "%s", s);
		return kerr_set(err, K_EINVAL, "appointment lookup: already "
		    "checked in");
	}
	if (status == 401 || status == 403)
		return kerr_set(err, K_EAUTH, "queue server: %d %s to an "
		    "appointment lookup", status, word);
	if (status == 429 || status == 503)
		return kerr_set(err, K_EBUSY, "queue server: %d %s to an "
		    "appointment lookup", status, word);
	out->error[0] = '\0';
	return kerr_set(err, K_EPARSE, "queue server: %d \"%s\" is not an "
	    "answer an appointment lookup has", status, word);
}

int
qclient_appointment_lookup(struct qclient *c, const char *code,
    struct qclient_appointment *out, struct kerr *err)
{
	char clean[QCLIENT_CODE_MAX + 1], service[4], *text = NULL, *body;
	json_t *o, *root;
	int status, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = qclient_appointment_code(code, clean, err)) != K_OK)
		return rc;
	/* the code travels in the body, never in the URL (it is a key) */
	o = json_object();
	json_object_set_new(o, "code", json_string(clean));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = qclient_request(c, "POST", "/api/appointments/lookup", body,
	    &status, &text, err);
	free(body);
	if (rc != K_OK)
		return rc;
	root = text[0] ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (status != 200) {
		rc = appt_refusal(status, root, out, err);
		json_decref(root);
		return rc;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer is not a JSON object");
	}
	if ((rc = appt_str(root, "code", out->code, sizeof(out->code), err)) ||
	    (rc = appt_str(root, "date", out->date, sizeof(out->date), err)) ||
	    (rc = appt_str(root, "time", out->time, sizeof(out->time), err)) ||
	    (rc = appt_str(root, "service", service, sizeof(service), err)) ||
	    (rc = appt_str(root, "procedure", out->procedure,
	        sizeof(out->procedure), err)) ||
	    (rc = appt_str(root, "state", out->state, sizeof(out->state), err)) ||
	    (rc = appt_str(root, "arrival", out->arrival, sizeof(out->arrival),
	        err)))
		goto bad;
	if (strcmp(out->code, clean) != 0) {
		rc = kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer is for another code");
		goto bad;
	}
	if (!is_iso_date(out->date) || !client_is_hhmm(out->time)) {
		rc = kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer's \"date\" is not YYYY-MM-DD or its \"time\" not "
		    "HH:MM");
		goto bad;
	}
	if (!is_arrival(out->arrival)) {
		rc = kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer's \"arrival\" is not early, on_time or late");
		goto bad;
	}
	if (strlen(service) != 1 || service[0] < 'A' || service[0] > 'Z') {
		rc = kerr_set(err, K_EPARSE, "queue server: the appointment "
		    "answer's \"service\" is not one letter A-Z");
		goto bad;
	}
	out->service = service[0];
	json_decref(root);
	return K_OK;
bad:
	json_decref(root);
	memset(out, 0, sizeof(*out));
	return rc;
}
