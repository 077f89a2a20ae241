/*
 * api.c - the route table, authentication, rate limit and the shared
 * helpers of the handlers (JSON in, JSON out).  The handlers themselves are
 * in api_ticket.c (kiosk), api_phone.c (phone), api_web.c (pages),
 * api_visit.c (a visit's route) and api_staff.c (counters, board, stats),
 * among others.  Nothing here touches a socket.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "jfield.h"
#include "xmalloc.h"

const struct api_route api_routes[] = {
	{ "GET", "/api/health", API_PUBLIC, api_h_health },
	{ "POST", "/api/tickets", API_KIOSK, api_h_issue },
	{ "GET", "/api/tickets/by-number/{}", API_STAFF, api_h_ticket_number },
	{ "GET", "/api/tickets/{}", API_STAFF, api_h_ticket },
	{ "POST", "/api/tickets/{}/printed", API_KIOSK, api_h_printed },
	{ "POST", "/api/tickets/{}/recall", API_STAFF, api_h_recall },
	{ "POST", "/api/tickets/{}/start", API_STAFF, api_h_start },
	{ "POST", "/api/tickets/{}/done", API_STAFF, api_h_done },
	{ "POST", "/api/tickets/{}/no-show", API_STAFF, api_h_no_show },
	{ "POST", "/api/tickets/{}/transfer", API_STAFF, api_h_transfer },
	{ "POST", "/api/tickets/{}/requeue", API_STAFF, api_h_requeue },
	{ "POST", "/api/tickets/{}/carry-over", API_STAFF, api_h_carry_over },
	{ "GET", "/api/counters/{}", API_STAFF, api_h_counter },
	{ "POST", "/api/counters/{}/call", API_STAFF, api_h_call },
	{ "GET", "/api/queue", API_KIOSK | API_STAFF | API_DISPLAY, api_h_queue },
	{ "GET", "/api/board", API_STAFF | API_DISPLAY, api_h_board },
	{ "GET", "/api/events", API_STAFF | API_DISPLAY, api_h_events },
	{ "POST", "/api/help", API_KIOSK, api_h_help },
	{ "GET", "/api/alerts", API_STAFF, api_h_alerts },
	{ "POST", "/api/alerts/{}/take", API_STAFF, api_h_alert_take },
	{ "POST", "/api/kiosks/{}/heartbeat", API_KIOSK, api_h_heartbeat },
	{ "POST", "/api/kiosks/{}/reprints/{}/done", API_KIOSK, api_h_reprint_done },
	{ "POST", "/api/kiosks/{}/tickets/{}/reprinted", API_KIOSK, api_h_reprinted },
	{ "POST", "/api/kiosks/{}/tickets/{}/priority", API_KIOSK,
	    api_h_kiosk_priority },
	{ "POST", "/api/kiosks/{}/priority-next", API_STAFF, api_h_priority_next },
	{ "POST", "/api/tickets/{}/reprint", API_STAFF, api_h_reprint },
	{ "POST", "/api/tickets/{}/priority", API_STAFF, api_h_priority },
	{ "GET", "/api/status/{}", API_PUBLIC, api_h_status },
	{ "GET", "/api/status/{}/events", API_PUBLIC, api_h_status_events },
	{ "POST", "/api/status/{}/away", API_PUBLIC, api_h_status_away },
	{ "POST", "/api/status/{}/back", API_PUBLIC, api_h_status_back },
	{ "POST", "/api/status/{}/cancel", API_PUBLIC, api_h_status_cancel },
	{ "POST", "/api/tickets/{}/back", API_STAFF, api_h_back },
	{ "POST", "/api/tickets/{}/route", API_STAFF, api_h_route },
	{ "POST", "/api/appointments/lookup", API_KIOSK | API_STAFF,
	    api_h_appt_lookup },
	{ "GET", "/api/appointments", API_STAFF, api_h_appt_list },
	{ "POST", "/api/appointments", API_STAFF, api_h_appt_add },
	{ "POST", "/api/appointments/{}/cancel", API_STAFF, api_h_appt_cancel },
	{ "GET", "/api/stats", API_STAFF, api_h_stats },
	{ "GET", "/staff", API_PUBLIC, api_h_page },
	{ "GET", "/board", API_PUBLIC, api_h_page },
	{ "GET", "/t/{}", API_PUBLIC, api_h_phone },
	{ "GET", "/congestion", API_PUBLIC, api_h_page },
	{ "GET", "/api/congestion", API_PUBLIC, api_h_congestion },
	{ "GET", "/web/*", API_PUBLIC, api_h_static },
};
const size_t api_nroutes = ARRAY_SIZE(api_routes);

int
api_new(struct api **out, const struct api_opts *o, struct kerr *err)
{
	struct api *a;

	*out = NULL;
	if (o->store == NULL)
		return kerr_set(err, K_EINVAL, "api: no store");
	a = xcalloc(1, sizeof(*a));
	a->store = o->store;
	a->catalog = o->catalog;
	a->token[0] = xstrdup(o->token_kiosk ? o->token_kiosk : "");
	a->token[1] = xstrdup(o->token_staff ? o->token_staff : "");
	a->token[2] = xstrdup(o->token_display ? o->token_display : "");
	a->public_url = xstrdup(o->public_url ? o->public_url : "");
	{
		/* no trailing slash: the url is public_url + "/t/" + token */
		size_t n = strlen(a->public_url);
		while (n > 0 && a->public_url[n - 1] == '/')
			a->public_url[--n] = '\0';
	}
	a->web_dir = xstrdup(o->web_dir ? o->web_dir : "assets/web");
	a->rate_per_min = o->status_rate_per_min > 0 ? o->status_rate_per_min :
	    120;
	a->near_ahead = o->phone_near_ahead;
	a->away_until_min = o->away_until_min;
	a->emit = o->emit;
	a->emit_arg = o->emit_arg;
	a->db_path = xstrdup(o->db_path ? o->db_path : "");
	a->started_ms = api_wall_ms();
	a->counter_print = o->counter_print;
	a->max_called = o->max_called_per_counter > 0 ?
	    o->max_called_per_counter : 1;
	a->print_arg = o->print_arg;
	pthread_mutex_init(&a->rate_mu, NULL);
	api_ev_init(a, o);
	*out = a;
	return K_OK;
}

void
api_free(struct api *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(a->token); i++)
		xfree_wipe_str(a->token[i]);
	free(a->public_url);
	free(a->web_dir);
	free(a->db_path);
	pthread_mutex_destroy(&a->rate_mu);
	api_ev_free(a);
	free(a);
}

void
api_resp_free(struct api_resp *resp)
{
	bytebuf_wipe(&resp->body);
	free(resp->file);
	resp->file = NULL;
}

void
api_error(struct api_resp *resp, int status, const char *code,
    const char *fmt, ...)
{
	char detail[400];
	json_t *o, *d;
	char *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	o = json_object();
	json_object_set_new(o, "error", json_string(code));
	/* a detail may quote the caller's bytes: keep it valid UTF-8 */
	d = json_string(detail);
	json_object_set_new(o, "detail", d ? d :
	    json_string("(detail not printable)"));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	bytebuf_reset(&resp->body);
	bytebuf_puts(&resp->body, text);
	free(text);
	resp->status = status;
	resp->content_type = API_JSON;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* no overlong form, no surrogate, nothing past U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

void
api_json_str(struct bytebuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, run = 0, k;

	bytebuf_putc(b, '"');
	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\') {
			run++;
			i++;
			continue;
		}
		bytebuf_append(b, s + i - run, run);
		run = 0;
		if (s[i] == '"' || s[i] == '\\') {
			bytebuf_putc(b, '\\');
			bytebuf_putc(b, s[i++]);
		} else if (s[i] < 0x20) {
			bytebuf_printf(b, "\\u%04x", s[i++]);
		} else if ((k = utf8_len(s + i, n - i)) > 0) {
			bytebuf_append(b, s + i, k);
			i += k;
		} else {
			bytebuf_puts(b, "\xef\xbf\xbd");      /* U+FFFD */
			i++;
		}
	}
	bytebuf_append(b, s + i - run, run);
	bytebuf_putc(b, '"');
}

void
api_json(struct api_resp *resp, int status, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);

	bytebuf_reset(&resp->body);
	if (text == NULL) {
		api_error(resp, 500, "internal", "cannot encode the answer");
		return;
	}
	bytebuf_puts(&resp->body, text);
	free(text);
	resp->status = status;
	resp->content_type = API_JSON;
}

void
api_emit(struct api *a, const char *event, json_t *data)
{
	char *text;

	if (a->emit == NULL)
		return;
	text = json_dumps(data, JSON_COMPACT);
	if (text != NULL)
		a->emit(a->emit_arg, event, text);
	free(text);
}

/* Map a store error to a response. */
void
api_store_error(struct api_resp *resp, int rc, const struct kerr *err)
{
	switch (rc) {
	case K_ENOTFOUND:
		api_error(resp, 404, "not_found", "%s", err->msg);
		break;
	case K_EBUSY:
		api_error(resp, 409, "conflict", "%s", err->msg);
		break;
	case K_EINVAL:
		api_error(resp, 400, "bad_request", "%s", err->msg);
		break;
	default:
		api_error(resp, 503, "unavailable", "the queue store failed: %s",
		    err->msg);
		break;
	}
}

/* Constant-time comparison of a presented token with a configured one. */
bool
api_token_equal(const char *given, const char *want)
{
	size_t n = strlen(want), m = strlen(given), i;
	unsigned char diff = (unsigned char)(n != m);

	for (i = 0; i < n; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)(i < m ? given[i] : 0);
	return diff == 0;
}

static const char *const role_names[] = { "kiosk", "staff", "display" };

/* 0 when allowed, else the status to answer with (and an error filled). */
static int
authorize(struct api *a, unsigned roles, const char *bearer, bool loopback,
    struct api_resp *resp)
{
	bool open = false, any_token = false;
	char names[40] = "";
	size_t i;

	if (roles == API_PUBLIC)
		return 0;
	for (i = 0; i < ARRAY_SIZE(a->token); i++) {
		if (!(roles & (1u << i)))
			continue;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", names[0] ? " or " : "", role_names[i]);
		if (a->token[i][0] == '\0') {
			if (loopback)
				open = true;
			continue;
		}
		any_token = true;
		if (bearer != NULL && api_token_equal(bearer, a->token[i]))
			return 0;
	}
	if (open)
		return 0;
	if (!any_token) {
		api_error(resp, 403, "forbidden",
		    "no %s token is configured: only local callers are served",
		    names);
		return 403;
	}
	if (bearer == NULL)
		api_error(resp, 401, "unauthorized",
		    "missing 'Authorization: Bearer TOKEN' for the %s role", names);
	else
		api_error(resp, 401, "unauthorized", "wrong token for the %s role",
		    names);
	return 401;
}

/*
 * Per-address rate limit for the public status page: a fixed one-minute
 * window per address in a small open-addressed table; when the probe finds
 * no free slot the stalest window is reused.
 */
bool
api_rate_ok(struct api *a, const char *remote, int64_t now_ms, int *retry_s)
{
	uint32_t h = 2166136261u;
	int64_t window = now_ms - now_ms % 60000;
	struct api_rate *slot = NULL, *stalest = NULL;
	const char *p;
	size_t i;
	bool ok;

	if (remote == NULL)
		remote = "";
	for (p = remote; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	pthread_mutex_lock(&a->rate_mu);
	for (i = 0; i < 8; i++) {
		struct api_rate *r = &a->rate[(h + i) % API_RATE_SLOTS];
		if (strcmp(r->addr, remote) == 0 && r->addr[0] != '\0') {
			slot = r;
			break;
		}
		if (r->addr[0] == '\0') {
			if (stalest == NULL || stalest->addr[0] != '\0')
				stalest = r;
		} else if (stalest == NULL || (stalest->addr[0] != '\0' &&
		    r->window < stalest->window)) {
			stalest = r;
		}
	}
	if (slot == NULL) {
		slot = stalest;
		snprintf(slot->addr, sizeof(slot->addr), "%s", remote);
		slot->window = window;
		slot->count = 0;
	}
	if (slot->window != window) {
		slot->window = window;
		slot->count = 0;
	}
	ok = slot->count < a->rate_per_min;
	if (ok)
		slot->count++;
	*retry_s = ok ? 0 : (int)((window + 60000 - now_ms + 999) / 1000);
	pthread_mutex_unlock(&a->rate_mu);
	return ok;
}

/* Match path against pattern; {} takes one segment, a final * the rest. */
static bool
match(const char *pattern, const char *path, char *buf, size_t bufsz,
    const char **params, int *nparams)
{
	const char *p = pattern, *q = path;
	size_t used = 0;

	*nparams = 0;
	while (*p) {
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(q, "/");
			if (n == 0 || *nparams == API_MAX_PARAMS ||
			    used + n + 1 > bufsz)
				return false;
			memcpy(buf + used, q, n);
			buf[used + n] = '\0';
			params[(*nparams)++] = buf + used;
			used += n + 1;
			q += n;
			p += 2;
		} else if (p[0] == '*' && p[1] == '\0') {
			size_t n = strlen(q);
			if (n == 0 || *nparams == API_MAX_PARAMS ||
			    used + n + 1 > bufsz)
				return false;
			memcpy(buf + used, q, n + 1);
			params[(*nparams)++] = buf + used;
			return true;
		} else {
			if (*p != *q)
				return false;
			p++;
			q++;
		}
	}
	return *q == '\0';
}

int
api_dispatch(struct api *a, const struct api_req *req, int64_t now_ms,
    struct api_resp *resp)
{
	const char *params[API_MAX_PARAMS];
	char buf[1024], allow[64] = "";
	int nparams, rc;
	size_t i;

	memset(resp, 0, sizeof(*resp));
	resp->body.max = 8 << 20;
	if (req->method == NULL || req->path == NULL) {
		api_error(resp, 400, "bad_request", "no method or path");
		return 0;
	}
	if (strlen(req->path) >= sizeof(buf)) {
		api_error(resp, 414, "uri_too_long", "the path is longer than %zu "
		    "bytes", sizeof(buf) - 1);
		return 0;
	}
	for (i = 0; i < api_nroutes; i++) {
		const struct api_route *r = &api_routes[i];

		if (!match(r->pattern, req->path, buf, sizeof(buf), params,
		    &nparams))
			continue;
		if (strcmp(r->method, req->method) != 0) {
			if (strstr(allow, r->method) == NULL)
				snprintf(allow + strlen(allow),
				    sizeof(allow) - strlen(allow), "%s%s",
				    allow[0] ? ", " : "", r->method);
			continue;
		}
		if ((rc = authorize(a, r->auth, api_bearer(req), req->loopback,
		    resp)) != 0)
			return 0;
		r->fn(a, req, params, now_ms, resp);
		if (resp->status == 0 && resp->pending == NULL)
			api_error(resp, 500, "internal", "no answer (a bug)");
		return 0;
	}
	if (allow[0])
		api_error(resp, 405, "method_not_allowed", "%s %s: use %s",
		    req->method, req->path, allow);
	else if (strncmp(req->path, "/api/", 5) == 0)
		api_error(resp, 404, "not_found", "no API route %s",
		    req->path);
	else
		api_error(resp, 404, "not_found", "no page here");
	return 0;
}

/* The issue is the one change a resident waits for at a kiosk, and the
 * one that comes in rushes: it queues its commit rather than hold a thread
 * (api_ticket.c).  Other changes wait on http.c's dispatcher threads. */
bool
api_nowait(const char *method, const char *path)
{
	return strcmp(method, "POST") == 0 && strcmp(path, "/api/tickets") == 0;
}

void
api_finish(struct api_pending *p, struct api_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->body.max = 8 << 20;
	p->finish(p, resp);
	if (resp->status == 0)
		api_error(resp, 500, "internal", "no answer (a bug)");
}

/*
 * The bearer token: from the Authorization header, or, for the event
 * stream only (a browser's EventSource cannot send headers), from the
 * query "token=".
 */
const char *
api_bearer(const struct api_req *req)
{
	static _Thread_local char qtoken[256];
	const char *q = req->query, *v;
	size_t n;

	if (req->bearer != NULL || q == NULL ||
	    strcmp(req->path, "/api/events") != 0)
		return req->bearer;
	while (q && *q) {
		if (strncmp(q, "token=", 6) == 0) {
			v = q + 6;
			n = strcspn(v, "&");
			if (n >= sizeof(qtoken))
				return NULL;
			memcpy(qtoken, v, n);
			qtoken[n] = '\0';
			return qtoken;
		}
		q = strchr(q, '&');
		if (q)
			q++;
	}
	return NULL;
}

/* Helpers for handlers. */

/* Parse the body as a JSON object.  empty_ok: no body means {}. */
json_t *
api_body(const struct api_req *req, bool empty_ok, struct api_resp *resp)
{
	json_error_t jerr;
	json_t *root;

	if (req->body_len == 0 || req->body == NULL) {
		if (empty_ok)
			return json_object();
		api_error(resp, 400, "bad_json", "the request needs a JSON body");
		return NULL;
	}
	root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root == NULL) {
		api_error(resp, 400, "bad_json", "body is not valid JSON "
		    "(line %d, column %d): %.120s", jerr.line, jerr.column,
		    jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		api_error(resp, 400, "bad_json", "body must be a JSON object");
		return NULL;
	}
	return root;
}

/* Refuse keys not in the NULL-terminated list. */
bool
api_known_keys(json_t *o, const char *const *allowed, const char *where,
    struct api_resp *resp)
{
	const char *key = jf_unknown_key(o, allowed);
	char shown[48];

	if (key == NULL)
		return true;
	api_printable(key, shown, sizeof(shown));
	api_error(resp, 400, "unknown_field", "%s%s'%s' is not a known field",
	    where, where[0] ? ": " : "", shown);
	return false;
}

/* Copy s for an error message: printable ASCII kept, the rest as '?'. */
void
api_printable(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	out[i] = '\0';
}

/*
 * A string field: absent or null -> *out NULL (error when required); not a
 * string, empty, longer than max bytes or with control characters ->
 * error.  jansson has already refused invalid UTF-8 and NUL.
 */
bool
api_str(json_t *o, const char *key, bool required, size_t max,
    const char **out, struct api_resp *resp)
{
	switch (jf_str(o, key, JF_NULL_ABSENT | JF_NO_CONTROL |
	    (required ? JF_REQUIRED : 0), max, out)) {
	case JF_OK:
		return true;
	case JF_MISSING:
		api_error(resp, 400, "missing_field", "'%s' is required", key);
		return false;
	case JF_TYPE:
		api_error(resp, 400, "wrong_type", "'%s' must be a string", key);
		return false;
	case JF_CONTROL:
		api_error(resp, 400, "bad_value",
		    "'%s' contains a control character", key);
		return false;
	default:
		api_error(resp, 400, "bad_value", "'%s' must be 1 to %zu bytes",
		    key, max);
		return false;
	}
}

/* A boolean field (absent or null: false). */
bool
api_bool(json_t *o, const char *key, bool *out, struct api_resp *resp)
{
	*out = false;
	if (jf_bool(o, key, JF_NULL_ABSENT, out) == JF_OK)
		return true;
	api_error(resp, 400, "wrong_type", "'%s' must be true or false", key);
	return false;
}

/* A path parameter that is a positive whole number. */
bool
api_param_id(const char *s, const char *what, int64_t max, int64_t *out,
    struct api_resp *resp)
{
	int64_t v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > max / 10) {
			v = -1;
			break;
		}
		v = v * 10 + (*p - '0');
	}
	if (p == s || v < 1 || v > max) {
		char shown[24];
		api_printable(s, shown, sizeof(shown));
		api_error(resp, 400, "bad_value", "%s '%s' must be a whole number "
		    "from 1 to %lld", what, shown, (long long)max);
		return false;
	}
	*out = v;
	return true;
}

/*
 * The query of a day's listing: none (today in Tokyo, from now_ms) or
 * exactly date=YYYY-MM-DD.  False (answered 400) for anything else.
 */
bool
api_query_day(const struct api_req *req, int64_t now_ms, char day[16],
    struct api_resp *resp)
{
	const char *q = req->query;
	struct kerr err;

	store_day(now_ms, day);
	if (q == NULL || *q == '\0')
		return true;
	if (strncmp(q, "date=", 5) != 0 || strchr(q, '&') != NULL) {
		api_error(resp, 400, "bad_query",
		    "the only query parameter is date=YYYY-MM-DD");
		return false;
	}
	if (store_parse_day(q + 5, &err) != K_OK) {
		api_error(resp, 400, "bad_value", "date must be a date YYYY-MM-DD");
		return false;
	}
	snprintf(day, 16, "%s", q + 5);
	return true;
}

/* A procedure of the catalog by id; NULL (answered 503 without a
 * catalog, 400 for an id it does not have) when there is none. */
const struct cat_procedure *
api_procedure(struct api *a, const char *id, struct api_resp *resp)
{
	const struct cat_procedure *p;
	char shown[64];

	if (a->catalog == NULL) {
		api_error(resp, 503, "no_catalog", "the server has no procedure "
		    "catalog loaded");
		return NULL;
	}
	if ((p = catalog_find(a->catalog, id)) == NULL) {
		api_printable(id, shown, sizeof(shown));
		api_error(resp, 400, "unknown_procedure", "procedure '%s' is not "
		    "in the catalog", shown);
	}
	return p;
}
