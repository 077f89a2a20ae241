/*
 * api_alert.c - alerts as state (help requests and faults that wait for one
 * member of staff to take them) and the kiosks' heartbeat.  The kinds and
 * what staff do about each: docs/counter-operations.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"

/* Kinds a kiosk may send ("kiosk_silent" is the server's own). */
static const char *const kiosk_kinds[] = {
	"resident",          /* a resident pressed help */
	"card_last_try",     /* the card has 1 PIN try left: staff read it */
	"card_blocked",      /* the card's PIN is blocked */
	"card_reader",       /* no reader, reader unplugged or pcscd down */
	"printer",           /* a ticket did not print (number given) */
	"printer_paper",     /* paper out, seen before a ticket failed */
	"paper_low",         /* paper near its end */
	"printer_offline",   /* cover open, offline or no answer while idle */
	"server_link",       /* the kiosk lost the server for a while */
};

bool
api_alert_kind_ok(const char *kind)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kiosk_kinds); i++)
		if (strcmp(kiosk_kinds[i], kind) == 0)
			return true;
	return false;
}

json_t *
api_alert_json(const struct store_alert *al)
{
	json_t *o = json_object();
	char iso[32];

	json_object_set_new(o, "id", json_integer(al->id));
	/* the old name of the first field, kept for older consoles */
	json_object_set_new(o, "kind", json_string(al->kind));
	json_object_set_new(o, "kiosk", json_string(al->kiosk));
	json_object_set_new(o, "number", al->number[0] ?
	    json_string(al->number) : json_null());
	json_object_set_new(o, "detail", al->detail[0] ?
	    json_string(al->detail) : json_null());
	store_iso_time(al->at_ms, iso);
	json_object_set_new(o, "at", json_string(iso));
	if (al->taken_ms > 0) {
		store_iso_time(al->taken_ms, iso);
		json_object_set_new(o, "taken_at", json_string(iso));
		json_object_set_new(o, "taken_by", json_string(al->taken_by));
	} else {
		json_object_set_new(o, "taken_at", json_null());
		json_object_set_new(o, "taken_by", json_null());
	}
	return o;
}

/* A ticket number as the console and the kiosk write it: "A-023". */
bool
api_number_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && n <= 7 && s[0] >= 'A' && s[0] <= 'Z' && s[1] == '-' &&
	    strspn(s + 2, "0123456789") == n - 2;
}

bool
api_kiosk_ok(const char *s)
{
	return s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(s);
}

bool
api_staff_ok(const char *s)
{
	return api_kiosk_ok(s) && strlen(s) <= 32;
}

static bool
word_ok(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_,") == strlen(s);
}

void
api_h_alerts(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_alert al[200];
	struct kerr err;
	size_t n, i;
	json_t *o, *arr;
	int rc;

	(void)req;
	(void)params;
	(void)now_ms;
	if ((rc = store_alerts_open(a->store, al, ARRAY_SIZE(al), &n, &err)) !=
	    K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, api_alert_json(&al[i]));
	o = json_object();
	json_object_set_new(o, "alerts", arr);
	api_json(resp, 200, o);
	json_decref(o);
}

void
api_h_alert_take(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "staff", NULL };
	struct store_alert al;
	struct kerr err;
	const char *staff;
	json_t *root, *o;
	int64_t id;
	int rc;

	if (!api_param_id(params[0], "alert id", INT64_C(1) << 53, &id, resp))
		return;
	if ((root = api_body(req, false, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "staff", true, 32, &staff, resp))
		goto out;
	if (!api_staff_ok(staff)) {
		api_error(resp, 400, "bad_value",
		    "staff must be letters, digits, '.', '_' or '-'");
		goto out;
	}
	if ((rc = store_alert_take(a->store, id, staff, now_ms, &al, &err)) !=
	    K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = api_alert_json(&al);
	api_json(resp, 200, o);
	if (!al.repeat)
		api_emit(a, "alert_taken", o);
	json_decref(o);
out:
	json_decref(root);
}

void
api_h_heartbeat(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	static const char *const keys[] = { "printer", NULL };
	const char *printer;
	struct kerr err;
	json_t *root, *o;
	int rc;

	if (!api_kiosk_ok(params[0]) || strlen(params[0]) > 63) {
		api_error(resp, 400, "bad_value", "kiosk must be 1 to 63 letters, "
		    "digits, '.', '_' or '-'");
		return;
	}
	if ((root = api_body(req, true, resp)) == NULL)
		return;
	if (!api_known_keys(root, keys, "", resp) ||
	    !api_str(root, "printer", false, 48, &printer, resp))
		goto out;
	if (printer && !word_ok(printer)) {
		api_error(resp, 400, "bad_value", "printer must be a state such "
		    "as ok or paper_out,near_end");
		goto out;
	}
	if ((rc = store_kiosk_seen(a->store, params[0], printer, now_ms, &err)) !=
	    K_OK) {
		api_store_error(resp, rc, &err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "ok", json_true());
	/* reprints staff asked for: the kiosk prints them now */
	json_object_set_new(o, "reprints", api_kiosk_reprints(a, params[0],
	    now_ms));
	api_json(resp, 200, o);
	json_decref(o);
out:
	json_decref(root);
}

void
api_check_kiosks(struct api *a, int64_t silent_ms, int64_t now_ms)
{
	struct store_alert al[16];
	struct kerr err;
	size_t n, i;

	if (store_kiosks_check(a->store, silent_ms, now_ms, al, ARRAY_SIZE(al),
	    &n, &err) != K_OK) {
		klog("warn", "server", "kiosk check: %s", err.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		json_t *o = api_alert_json(&al[i]);
		klog("warn", "server", "kiosk %s silent for %" PRId64 " s",
		    al[i].kiosk, silent_ms / 1000);
		api_emit(a, "help", o);
		json_decref(o);
	}
}
