/*
 * api_phone.c - a phone's routes: its ticket's status and event stream,
 * the resident leaving the line (away, back, cancel), and the /t/ page
 * with the state written in, for phones without JavaScript.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "xmalloc.h"

static bool
valid_token(const char *s)
{
	return strlen(s) == STORE_TOKEN_LEN &&
	    strspn(s, "0123456789abcdef") == STORE_TOKEN_LEN;
}

/*
 * The public side of a ticket by its token.  Two limits of
 * server.status_rate_per_min a minute: lookups that find nothing count
 * against the caller's address (guessing), lookups of a real ticket
 * against that ticket.  Phones behind the hall's one NAT address thus
 * never slow each other down.  False with resp filled when there is none.
 */
static bool
status_lookup(struct api *a, const struct api_req *req, const char *token,
    int64_t now_ms, struct store_ticket *t, struct api_resp *resp)
{
	struct kerr err;
	char key[48];
	int rc = K_ENOTFOUND, retry;
	bool valid = valid_token(token);

	if (valid)
		rc = store_status(a->store, token, now_ms, t, &err);
	if (rc == K_OK)
		snprintf(key, sizeof(key), "t:%s", token);
	else
		snprintf(key, sizeof(key), "%s", req->remote ? req->remote : "");
	if ((rc == K_OK || rc == K_ENOTFOUND) &&
	    !api_rate_ok(a, key, now_ms, &retry)) {
		if (rc == K_OK)
			store_ticket_clear(t);
		api_error(resp, 429, "rate_limited", "more than %d status requests "
		    "a minute %s: wait %d s", a->rate_per_min, rc == K_OK ?
		    "for this ticket" : "for unknown tickets from this address",
		    retry);
		resp->retry_after_s = retry;
		return false;
	}
	if (!valid) {
		api_error(resp, 404, "not_found",
		    "a ticket token is 32 lowercase hex characters");
		return false;
	}
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		return false;
	}
	return true;
}

void
api_h_status(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	json_t *o;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	o = json_object();
	json_object_set_new(o, "number", json_string(t.number));
	json_object_set_new(o, "service", json_stringn(&t.service, 1));
	json_object_set_new(o, "day", json_string(t.day));
	{
		/* numbers start again every day: a ticket of an earlier day
		 * that never finished has ended, it does not wait */
		char today[11];
		store_day(now_ms, today);
		if (strcmp(t.day, today) != 0 && (t.state == ST_WAITING ||
		    t.state == ST_CALLED || t.state == ST_SERVING)) {
			json_object_set_new(o, "state", json_string("ended"));
			json_object_set_new(o, "ahead", json_null());
			json_object_set_new(o, "wait_min", json_null());
			json_object_set_new(o, "counter", json_null());
			api_json(resp, 200, o);
			json_decref(o);
			store_ticket_clear(&t);
			return;
		}
	}
	json_object_set_new(o, "state", json_string(store_state_name(t.state)));
	json_object_set_new(o, "ahead", json_integer(t.ahead));
	json_object_set_new(o, "wait_min", json_integer(t.wait_min));
	json_object_set_new(o, "counter", t.counter > 0 ?
	    json_integer(t.counter) : json_null());
	{
		/* where it waits now, and a visit's steps (no personal data) */
		char counters[64];
		api_counter_text(a, NULL, t.service, counters, sizeof(counters));
		json_object_set_new(o, "counters", json_string(counters));
		json_object_set_new(o, "visit", api_visit_json(a, &t));
	}
	/* an appointment's slot: the page shows 予約 10:30 */
	json_object_set_new(o, "appointment_time", t.appt_ms ?
	    json_string(t.appt_time) : json_null());
	/* the phone alerts when this few are ahead (0: only when called) */
	json_object_set_new(o, "near_ahead", json_integer(a->near_ahead));
	{
		/* until when the resident may step out and come back */
		char hm[16];
		snprintf(hm, sizeof(hm), "%02d:%02d", a->away_until_min / 60,
		    a->away_until_min % 60);
		json_object_set_new(o, "away_until", json_string(hm));
	}
	api_json(resp, 200, o);
	json_decref(o);
	store_ticket_clear(&t);
}

/* Minutes after midnight in Asia/Tokyo (UTC+9, no summer time). */
static int
tokyo_minute(int64_t now_ms)
{
	int64_t m = (now_ms / 60000 + 9 * 60) % (24 * 60);

	return (int)(m < 0 ? m + 24 * 60 : m);
}

/*
 * The resident leaves the line from their phone: "I'll come back later"
 * (away: not called, its place kept), back, or cancel.  Public like the
 * status (the token is the key) and under the same rate limits; staff see
 * the event and the count of held tickets in /api/queue.  Stepping out and
 * coming back by the phone end at server.away_until; after it a held
 * ticket comes back only through staff (POST /api/tickets/{id}/back).
 */
static void
resident_step(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp, enum store_step_kind k)
{
	struct store_step_arg arg = { 0 };
	struct store_ticket t, out;
	struct kerr err;
	int rc;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	if (k != STORE_STEP_CANCEL && tokyo_minute(now_ms) >= a->away_until_min) {
		api_error(resp, 409, "too_late", "tickets are held only until "
		    "%02d:%02d (server.away_until): please speak to the counter "
		    "staff", a->away_until_min / 60, a->away_until_min % 60);
		store_ticket_clear(&t);
		return;
	}
	arg.staff = "resident";
	rc = store_step(a->store, k, t.id, &arg, now_ms, &out, &err);
	store_ticket_clear(&t);
	if (rc != K_OK) {
		api_store_error(resp, rc, &err);
		return;
	}
	{
		json_t *o = json_object(), *ev;
		json_object_set_new(o, "number", json_string(out.number));
		json_object_set_new(o, "state",
		    json_string(store_state_name(out.state)));
		api_json(resp, 200, o);
		json_decref(o);
		ev = api_ticket_event(&out, now_ms);
		api_emit(a, store_steps[k].event, ev);
		json_decref(ev);
	}
	store_ticket_clear(&out);
}

void
api_h_status_away(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_AWAY);
}

void
api_h_status_back(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_BACK);
}

void
api_h_status_cancel(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	resident_step(a, req, params, now_ms, resp, STORE_STEP_CANCEL);
}

/*
 * A phone's event stream: public, for an existing ticket only, and without
 * the staff-only help events.  Events carry no personal data; the page
 * re-reads /api/status when one concerns its line.
 */
void
api_h_status_events(struct api *a, const struct api_req *req,
    const char **params, int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;

	if (!status_lookup(a, req, params[0], now_ms, &t, resp))
		return;
	store_ticket_clear(&t);
	resp->status = 200;
	resp->content_type = "text/event-stream";
	resp->sse = true;
	resp->sse_public = true;
}

/* Text into HTML: the five characters that could end a text or an
 * attribute are escaped; nothing else is needed in UTF-8. */
static void
html_put(struct bytebuf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': bytebuf_puts(b, "&amp;"); break;
		case '<': bytebuf_puts(b, "&lt;"); break;
		case '>': bytebuf_puts(b, "&gt;"); break;
		case '"': bytebuf_puts(b, "&quot;"); break;
		case '\'': bytebuf_puts(b, "&#39;"); break;
		default: bytebuf_putc(b, (uint8_t)*s);
		}
}

/* The page's text with `mark' replaced once by `with' (already HTML) at
 * its first place; a template without the mark stays as it is. */
static void
fill(char **page, const char *mark, const char *with)
{
	char *at = strstr(*page, mark), *out;

	if (at == NULL)
		return;
	out = xasprintf("%.*s%s%s", (int)(at - *page), *page, with,
	    at + strlen(mark));
	free(*page);
	*page = out;
}

/* `<tag ... id="x">' + escaped text: the element's content filled. */
static void
fill_text(char **page, const char *mark, const char *text)
{
	struct bytebuf b = { 0 };

	bytebuf_puts(&b, mark);
	html_put(&b, text);
	bytebuf_putc(&b, '\0');
	fill(page, mark, (const char *)b.data);
	bytebuf_free(&b);
}

/*
 * The phone page with the ticket's state already in it, so that a phone
 * without JavaScript (or before it runs) shows the number, the state, the
 * people ahead and the wait, and its <noscript> refresh shows the news.
 * The script renders over it the same way.  The template's own markup is
 * the marks: tests/e2e/web_phone.sh fetches the page with curl and fails
 * when a mark no longer matches.
 */
static void
phone_render(struct api *a, char **page, const struct store_ticket *t,
    int64_t now_ms)
{
	char buf[160], iso[32], title[200];
	const char *ja, *en;
	bool waiting = t != NULL && t->state == ST_WAITING;

	if (t == NULL) {
		fill(page, "id=\"notfound\" hidden", "id=\"notfound\"");
		fill(page, "<title>受付番号の呼び出し状況 - 旭市役所</title>",
		    "<title>番号札が見つかりません - 旭市役所</title>");
		fill(page, "<body>", "<body class=\"state-unknown\">");
		return;
	}
	fill(page, "id=\"ticket\" hidden", "id=\"ticket\"");
	fill_text(page, "<p class=\"number\" id=\"number\">", t->number);
	switch (t->state) {
	case ST_WAITING:
		ja = "お待ちください";
		en = "Please wait";
		break;
	case ST_CALLED:
	case ST_SERVING:
		ja = en = buf;
		if (t->counter > 0)
			snprintf(buf, sizeof(buf), "%d番窓口へお越しください",
			    t->counter);
		else
			snprintf(buf, sizeof(buf), "窓口へお越しください");
		break;
	case ST_DONE:
		ja = "手続きは終わりました。ありがとうございました。";
		en = "Your visit is finished. Thank you.";
		break;
	case ST_CARRIED_OVER:
		ja = "本日の受付は終わりました。窓口でご案内した日にお越しください。";
		en = "Today's service has ended for this ticket. Please come on "
		    "the day the counter gave you.";
		break;
	case ST_AWAY:
		ja = "お戻りをお待ちしています。順番はそのまま取ってあります。";
		en = "We are keeping your place.";
		break;
	case ST_CANCELLED:
		ja = "この番号札は取り消されました。";
		en = "This ticket was cancelled.";
		break;
	default:
		ja = "お呼びしましたがお見えにならなかったため、呼び出しを終え"
		    "ました。窓口へお声がけください。";
		en = "We called your number but missed you. Please speak to "
		    "the counter staff.";
		break;
	}
	fill_text(page, "<p class=\"state-ja\" id=\"state-ja\">", ja);
	if (t->state == ST_CALLED || t->state == ST_SERVING) {
		char en_buf[64];
		if (t->counter > 0)
			snprintf(en_buf, sizeof(en_buf),
			    "Please go to counter %d", t->counter);
		else
			snprintf(en_buf, sizeof(en_buf),
			    "Please go to the counter");
		fill_text(page, "<p class=\"state-en\" id=\"state-en\" "
		    "lang=\"en\">", en_buf);
	} else {
		fill_text(page, "<p class=\"state-en\" id=\"state-en\" "
		    "lang=\"en\">", en);
	}
	if (t->appt_ms != 0) {
		/* an appointment's ticket: its slot, also without JavaScript */
		char ap[128];
		snprintf(ap, sizeof(ap), "予約 %s / Appointment %s", t->appt_time,
		    t->appt_time);
		fill(page, "<p class=\"appt\" id=\"appt\" hidden>",
		    "<p class=\"appt\" id=\"appt\">");
		fill_text(page, "<p class=\"appt\" id=\"appt\">", ap);
	}
	if ((waiting || t->state == ST_AWAY) && t->step[0]) {
		/* one number for the whole visit: the counters in order */
		json_t *v = api_visit_json(a, t);
		struct bytebuf vb = { 0 };
		size_t i;

		bytebuf_puts(&vb, "この番号のまま順に回ります: ");
		for (i = 0; i < json_array_size(v); i++) {
			const char *c = json_string_value(json_object_get(
			    json_array_get(v, i), "counters"));
			bytebuf_printf(&vb, "%s窓口%s", i ? " → " : "", c ? c : "");
		}
		bytebuf_putc(&vb, '\0');
		fill(page, "<p class=\"visit\" id=\"visit\" hidden>",
		    "<p class=\"visit\" id=\"visit\">");
		fill_text(page, "<p class=\"visit\" id=\"visit\">",
		    (const char *)vb.data);
		bytebuf_free(&vb);
		json_decref(v);
	}
	if (waiting) {
		snprintf(buf, sizeof(buf), "%d", t->ahead);
		fill_text(page, "<span id=\"ahead\">", buf);
		snprintf(buf, sizeof(buf), "%d", t->wait_min);
		fill_text(page, "<span id=\"wait\">", buf);
	} else {
		fill(page, "<div id=\"f-ahead\">", "<div id=\"f-ahead\" hidden>");
		fill(page, "<div id=\"f-wait\">", "<div id=\"f-wait\" hidden>");
		fill(page, "<p class=\"note\" id=\"note\">",
		    "<p class=\"note\" id=\"note\" hidden>");
	}
	{
		struct bytebuf b = { 0 };
		bytebuf_puts(&b, "<title>");
		html_put(&b, t->number);
		bytebuf_putc(&b, ' ');
		html_put(&b, ja);
		bytebuf_puts(&b, " - 旭市役所</title>");
		bytebuf_putc(&b, '\0');
		snprintf(title, sizeof(title), "%s", (const char *)b.data);
		bytebuf_free(&b);
	}
	fill(page, "<title>受付番号の呼び出し状況 - 旭市役所</title>", title);
	snprintf(buf, sizeof(buf), "<body class=\"state-%s\">",
	    store_state_name(t->state));
	fill(page, "<body>", buf);
	store_iso_time(now_ms, iso);
	snprintf(buf, sizeof(buf), "%.5s 更新 / updated", iso + 11);
	fill_text(page, "<p class=\"updated\" id=\"updated\" "
	    "aria-live=\"off\">", buf);
}

/* The whole of a small web file, or NULL. */
static char *
read_web_file(struct api *a, const char *name)
{
	char *path = xasprintf("%s/%s", a->web_dir, name), *text = NULL;
	FILE *f = fopen(path, "rb");
	struct bytebuf b = { 0 };
	char chunk[4096];
	size_t n;

	free(path);
	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 1 << 20)
		bytebuf_append(&b, chunk, n);
	if (!ferror(f)) {
		bytebuf_putc(&b, '\0');
		text = bytebuf_detach(&b, NULL);
	}
	bytebuf_free(&b);
	fclose(f);
	return text;
}

void
api_h_phone(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	struct store_ticket t;
	char *page;
	int status;
	bool found;

	/* the same lookup (and limits) as /api/status; a malformed or unknown
	 * token still gets the page, saying "no such ticket" */
	found = status_lookup(a, req, params[0], now_ms, &t, resp);
	status = found ? 200 : resp->status;
	bytebuf_reset(&resp->body);
	if ((page = read_web_file(a, "phone.html")) == NULL) {
		if (found)
			store_ticket_clear(&t);
		api_error(resp, 404, "not_found",
		    "no such page (is the web folder installed?)");
		return;
	}
	if (found || status == 404)
		phone_render(a, &page, found ? &t : NULL, now_ms);
	if (found)
		store_ticket_clear(&t);
	bytebuf_puts(&resp->body, page);
	free(page);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
}
