/*
 * client.c - the queue server's HTTP client for the kiosk roles: plain
 * sockets, HTTP/1.1 with "Connection: close", one connection per call, a
 * deadline over the whole exchange.  Blocking: run it on worker threads.
 * An https:// server gets a GnuTLS session on the same socket (tls.c),
 * checked against kiosk.server_ca (a pinned certificate or a CA) or the
 * system's CAs, and the host name in the URL.  The transport (connect,
 * send, read, split the answer) is in client_http.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bytebuf.h"
#include "client_int.h"
#include "jfield.h"
#include "qclient.h"
#include "tls.h"
#include "xmalloc.h"

/*
 * jansson copies every string it is given (an applicant's name and
 * address) and grows json_dumps()'s buffer by allocating anew and freeing
 * the old one: with this free, what it gives back is cleared first, so a
 * session's application leaves no copy in the heap (DESIGN.md §5).  Set
 * before main(), so no thread is using jansson yet.
 */
static void
json_free_wiped(void *p)
{
	if (p != NULL)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

__attribute__((constructor)) static void
json_wipe_on_free(void)
{
	json_set_alloc_funcs(malloc, json_free_wiped);
}

int
qclient_new(struct qclient **out, const char *url, const char *token,
    int timeout_ms, struct kerr *err)
{
	struct qclient *c;
	const char *p, *host, *hend, *slash;
	size_t hlen;

	bool tls;

	*out = NULL;
	tls = url != NULL && strncmp(url, "https://", 8) == 0;
	if (url == NULL || (!tls && strncmp(url, "http://", 7) != 0))
		return kerr_set(err, K_EINVAL, "server URL must start with "
		    "http:// or https:// (got '%.60s')", url ? url : "");
	c = xcalloc(1, sizeof(*c));
	c->tls = tls;
	p = url + (tls ? 8 : 7);
	if (*p == '[') {
		host = p + 1;
		hend = strchr(host, ']');
		if (hend == NULL)
			goto bad;
		p = hend + 1;
	} else {
		host = p;
		hend = p + strcspn(p, ":/");
		p = hend;
	}
	hlen = (size_t)(hend - host);
	if (hlen == 0 || hlen >= sizeof(c->host))
		goto bad;
	memcpy(c->host, host, hlen);
	snprintf(c->port, sizeof(c->port), tls ? "443" : "80");
	if (*p == ':') {
		size_t n = strspn(p + 1, "0123456789");
		if (n == 0 || n > 5 || atoi(p + 1) < 1 || atoi(p + 1) > 65535)
			goto bad;
		memcpy(c->port, p + 1, n);
		c->port[n] = '\0';
		p += 1 + n;
	}
	if (*p != '\0' && *p != '/')
		goto bad;
	slash = p;
	snprintf(c->prefix, sizeof(c->prefix), "%s", slash);
	hlen = strlen(c->prefix);
	while (hlen > 0 && c->prefix[hlen - 1] == '/')
		c->prefix[--hlen] = '\0';
	c->token = xstrdup(token ? token : "");
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	*out = c;
	return K_OK;
bad:
	free(c);
	return kerr_set(err, K_EINVAL, "server URL '%.60s' is not "
	    "http[s]://HOST[:PORT][/PATH]", url);
}

void
qclient_set_ca(struct qclient *c, const char *ca_file)
{
	free(c->ca_file);
	c->ca_file = ca_file && ca_file[0] ? xstrdup(ca_file) : NULL;
}

void
qclient_free(struct qclient *c)
{
	if (c == NULL)
		return;
	xfree_wipe_str(c->token);
	free(c->ca_file);
	free(c);
}

/* A request whose answer must be a JSON object with a 2xx status. */
int
client_call_json(struct qclient *c, const char *method, const char *path,
    const char *body, int want, json_t **out, struct kerr *err)
{
	char *text = NULL;
	json_t *root = NULL;
	int status, rc;

	*out = NULL;
	if ((rc = qclient_request(c, method, path, body, &status, &text, err)) !=
	    K_OK)
		return rc;
	if (status != 204 && text[0])
		root = json_loads(text, 0, NULL);
	if (status < 200 || status > 299) {
		const char *detail = root ? json_string_value(json_object_get(root,
		    "detail")) : NULL;
		const char *code = root ? json_string_value(json_object_get(root,
		    "error")) : NULL;
		if (status == 401 || status == 403)
			rc = K_EAUTH;
		else if (status == 429 || status == 503)
			rc = K_EBUSY;
		else if (status >= 400 && status < 500)
			rc = K_EINVAL;
		else
			rc = K_EFAIL;
		kerr_set(err, rc, "queue server: %d %s: %s", status,
		    code ? code : "error", detail ? detail : "(no detail)");
		json_decref(root);
		free(text);
		return rc;
	}
	free(text);
	/* 200 for 201: a repeated issue (same request_id) answers 200 */
	if (status != want && !(want == 200 && status == 204) &&
	    !(want == 201 && status == 200)) {
		json_decref(root);
		return kerr_set(err, K_EPARSE, "queue server: status %d, expected "
		    "%d", status, want);
	}
	if (status != 204 && !json_is_object(root)) {
		json_decref(root);
		return kerr_set(err, K_EPARSE, "queue server: the answer to %s "
		    "is not a JSON object", path);
	}
	*out = root;
	return K_OK;
}

/* A member of an answer: a whole number (null: 0) or a string. */
static int
get_int(json_t *o, const char *key, int *out)
{
	json_int_t v = 0;

	if (jf_int(o, key, JF_REQUIRED | JF_NULLABLE, INT32_MIN, INT32_MAX,
	    &v) != JF_OK)
		return K_EPARSE;
	*out = (int)v;
	return K_OK;
}

int
client_get_str(json_t *o, const char *key, char *out, size_t n)
{
	const char *s;

	if (jf_str(o, key, JF_REQUIRED | JF_EMPTY_OK, 0, &s) != JF_OK)
		return K_EPARSE;
	snprintf(out, n, "%s", s);
	return K_OK;
}

int
qclient_issue(struct qclient *c, const struct qclient_issue_req *req,
    struct qclient_ticket *out, struct kerr *err)
{
	json_t *o, *answers, *flags, *root = NULL;
	char *body;
	char service[4];
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (req->procedure == NULL || req->lang == NULL)
		return kerr_set(err, K_EINVAL, "issue: procedure and lang are "
		    "required");
	o = json_object();
	json_object_set_new(o, "procedure", json_string(req->procedure));
	json_object_set_new(o, "lang", json_string(req->lang));
	answers = json_object();
	for (i = 0; i < req->nanswers; i++)
		if (req->answers[i].id && req->answers[i].value)
			json_object_set_new(answers, req->answers[i].id,
			    json_string(req->answers[i].value));
	json_object_set_new(o, "answers", answers);
	if (req->applicant) {
		const struct qclient_applicant *ap = req->applicant;
		json_t *a = json_object();
		if (ap->name)
			json_object_set_new(a, "name", json_string(ap->name));
		if (ap->name_kana)
			json_object_set_new(a, "name_kana",
			    json_string(ap->name_kana));
		if (ap->address)
			json_object_set_new(a, "address", json_string(ap->address));
		if (ap->birth)
			json_object_set_new(a, "birth", json_string(ap->birth));
		if (ap->sex)
			json_object_set_new(a, "sex", json_string(ap->sex));
		if (ap->mynumber)
			json_object_set_new(a, "mynumber",
			    json_string(ap->mynumber));
		json_object_set_new(o, "applicant", a);
	}
	flags = json_object();
	json_object_set_new(flags, "card", json_boolean(req->card));
	json_object_set_new(flags, "assist", json_boolean(req->assist));
	json_object_set_new(flags, "priority", json_boolean(req->priority));
	json_object_set_new(o, "flags", flags);
	if (req->kiosk)
		json_object_set_new(o, "kiosk", json_string(req->kiosk));
	if (req->fee_yen >= 0)
		json_object_set_new(o, "fee_yen", json_integer(req->fee_yen));
	if (req->request_id != NULL)
		json_object_set_new(o, "request_id",
		    json_string(req->request_id));
	if (req->appointment != NULL)
		json_object_set_new(o, "appointment",
		    json_string(req->appointment));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);   /* jansson frees the strings it copied */
	if (body == NULL)
		return kerr_set(err, K_EINVAL, "issue: a text is not valid UTF-8");
	rc = client_call_json(c, "POST", "/api/tickets", body, 201, &root, err);
	xfree_wipe_str(body);
	if (rc != K_OK)
		return rc;
	out->id = json_integer_value(json_object_get(root, "id"));
	if (out->id <= 0 ||
	    client_get_str(root, "number", out->number, sizeof(out->number)) ||
	    client_get_str(root, "service", service, sizeof(service)) ||
	    client_get_str(root, "token", out->token, sizeof(out->token)) ||
	    client_get_str(root, "url", out->url, sizeof(out->url)) ||
	    get_int(root, "ahead", &out->ahead) ||
	    get_int(root, "wait_min", &out->wait_min)) {
		json_decref(root);
		memset(out, 0, sizeof(*out));
		return kerr_set(err, K_EPARSE, "queue server: the ticket answer "
		    "lacks a field");
	}
	out->service = service[0];
	client_get_str(root, "counter", out->counter, sizeof(out->counter));
	if ((rc = client_issue_appointment(root, req, out, err)) != K_OK) {
		json_decref(root);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	json_decref(root);
	return K_OK;
}

int
qclient_printed(struct qclient *c, int64_t id, bool printed, struct kerr *err)
{
	char path[64];
	json_t *root;
	int rc;

	snprintf(path, sizeof(path), "/api/tickets/%" PRId64 "/printed", id);
	rc = client_call_json(c, "POST", path, printed ? "{\"printed\":true}" :
	    "{\"printed\":false}", 200, &root, err);
	json_decref(root);
	return rc;
}

int
qclient_queue(struct qclient *c, struct qclient_queue *out, struct kerr *err)
{
	json_t *root, *arr, *s, *v;
	size_t i, j;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = client_call_json(c, "GET", "/api/queue", NULL, 200, &root, err)) !=
	    K_OK)
		return rc;
	arr = json_object_get(root, "services");
	if (!json_is_array(arr)) {
		json_decref(root);
		return kerr_set(err, K_EPARSE, "queue server: no services list");
	}
	json_array_foreach(arr, i, s) {
		struct qclient_service *q;
		char letter[4];

		if (out->nservices == QCLIENT_MAX_SERVICES)
			break;
		q = &out->services[out->nservices];
		if (client_get_str(s, "letter", letter, sizeof(letter)) ||
		    client_get_str(s, "name", q->name, sizeof(q->name)) ||
		    get_int(s, "waiting", &q->waiting) ||
		    get_int(s, "oldest_wait_min", &q->oldest_wait_min)) {
			json_decref(root);
			return kerr_set(err, K_EPARSE, "queue server: a service "
			    "lacks a field");
		}
		q->letter = letter[0];
		json_array_foreach(json_object_get(s, "counters"), j, v)
			if (q->ncounters < QCLIENT_MAX_SERVING)
				q->counters[q->ncounters++] =
				    (int)json_integer_value(v);
		json_array_foreach(json_object_get(s, "serving"), j, v) {
			if (q->nserving == QCLIENT_MAX_SERVING)
				break;
			client_get_str(v, "number", q->serving[q->nserving].number,
			    sizeof(q->serving[0].number));
			get_int(v, "counter", &q->serving[q->nserving].counter);
			q->nserving++;
		}
		out->nservices++;
	}
	json_decref(root);
	return K_OK;
}

int
qclient_alert(struct qclient *c, const char *kiosk, const char *kind,
    const char *number, const char *detail, int64_t *id_out,
    struct kerr *err)
{
	json_t *o, *root;
	char *body;
	int rc;

	o = json_object();
	json_object_set_new(o, "kiosk", json_string(kiosk ? kiosk : ""));
	json_object_set_new(o, "kind", json_string(kind ? kind : ""));
	if (number && *number)
		json_object_set_new(o, "number", json_string(number));
	if (detail && *detail)
		json_object_set_new(o, "detail", json_string(detail));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = client_call_json(c, "POST", "/api/help", body, 201, &root, err);
	free(body);
	if (rc != K_OK)
		return rc;
	if (id_out)
		*id_out = json_integer_value(json_object_get(root, "id"));
	json_decref(root);
	return K_OK;
}

int
qclient_help(struct qclient *c, const char *kiosk, const char *kind,
    int64_t *id_out, struct kerr *err)
{
	return qclient_alert(c, kiosk, kind, NULL, NULL, id_out, err);
}

int
qclient_heartbeat(struct qclient *c, const char *kiosk, const char *printer,
    struct qclient_reprint *out, size_t max, size_t *n, struct kerr *err)
{
	json_t *o, *root, *v;
	char *body, path[128];
	size_t i;
	int rc;

	if (n)
		*n = 0;
	snprintf(path, sizeof(path), "/api/kiosks/%s/heartbeat", kiosk);
	o = json_object();
	if (printer && *printer)
		json_object_set_new(o, "printer", json_string(printer));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = client_call_json(c, "POST", path, body, 200, &root, err);
	free(body);
	if (rc != K_OK)
		return rc;
	json_array_foreach(json_object_get(root, "reprints"), i, v) {
		struct qclient_reprint *r;
		json_t *x;
		if (out == NULL || n == NULL || *n >= max)
			break;
		r = &out[*n];
		memset(r, 0, sizeof(*r));
		x = json_object_get(v, "id");
		r->id = json_is_integer(x) ? json_integer_value(x) : 0;
		x = json_object_get(v, "issued_at");
		r->t.issued_at = json_is_integer(x) ? json_integer_value(x) : 0;
		client_get_str(v, "site_name", r->t.site_name, sizeof(r->t.site_name));
		client_get_str(v, "number", r->t.number, sizeof(r->t.number));
		x = json_object_get(v, "service");
		r->t.service = json_is_string(x) ? json_string_value(x)[0] : 0;
		client_get_str(v, "procedure_ja", r->t.procedure_ja,
		    sizeof(r->t.procedure_ja));
		client_get_str(v, "procedure_local", r->t.procedure_local,
		    sizeof(r->t.procedure_local));
		client_get_str(v, "lang", r->t.lang, sizeof(r->t.lang));
		client_get_str(v, "counter", r->t.counter, sizeof(r->t.counter));
		client_get_str(v, "url", r->t.url, sizeof(r->t.url));
		/* an appointment's slot, "10:30" (null or absent: a walk-in) */
		x = json_object_get(v, "appointment_time");
		if (x != NULL && !json_is_null(x)) {
			if (!json_is_string(x) || !client_is_hhmm(json_string_value(x))) {
				json_decref(root);
				return kerr_set(err, K_EPARSE, "heartbeat: a "
				    "reprint's appointment_time is not HH:MM");
			}
			snprintf(r->t.appt_time, sizeof(r->t.appt_time), "%s",
			    json_string_value(x));
		}
		r->t.reprint = true;
		if (r->id <= 0 || r->t.number[0] == '\0') {
			json_decref(root);
			return kerr_set(err, K_EPARSE, "heartbeat: a reprint without "
			    "id or number");
		}
		(*n)++;
	}
	json_decref(root);
	return K_OK;
}

/* POST {"printed": ..., "reason": ...} to path: how a print went. */
static int
post_printed(struct qclient *c, const char *path, bool printed,
    const char *reason, int expect, struct kerr *err)
{
	json_t *o, *root;
	char *body;
	int rc;

	o = json_object();
	json_object_set_new(o, "printed", json_boolean(printed));
	if (!printed && reason && *reason)
		json_object_set_new(o, "reason", json_string(reason));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = client_call_json(c, "POST", path, body, expect, &root, err);
	free(body);
	if (rc == K_OK)
		json_decref(root);
	return rc;
}

int
qclient_reprint_done(struct qclient *c, const char *kiosk, int64_t id,
    bool printed, const char *reason, struct kerr *err)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/kiosks/%s/reprints/%lld/done", kiosk,
	    (long long)id);
	return post_printed(c, path, printed, reason, 200, err);
}

int
qclient_reprinted(struct qclient *c, const char *kiosk, int64_t ticket_id,
    bool printed, const char *reason, struct kerr *err)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/kiosks/%s/tickets/%lld/reprinted",
	    kiosk, (long long)ticket_id);
	return post_printed(c, path, printed, reason, 201, err);
}

int
qclient_set_priority(struct qclient *c, const char *kiosk, int64_t ticket_id,
    bool on, struct kerr *err)
{
	json_t *o, *root;
	char *body, path[160];
	int rc;

	snprintf(path, sizeof(path), "/api/kiosks/%s/tickets/%lld/priority",
	    kiosk, (long long)ticket_id);
	o = json_object();
	json_object_set_new(o, "priority", json_boolean(on));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = client_call_json(c, "POST", path, body, 200, &root, err);
	free(body);
	if (rc == K_OK)
		json_decref(root);
	return rc;
}

int
qclient_board(struct qclient *c, struct qclient_board *out, struct kerr *err)
{
	json_t *root, *v;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = client_call_json(c, "GET", "/api/board", NULL, 200, &root, err)) !=
	    K_OK)
		return rc;
	json_array_foreach(json_object_get(root, "calls"), i, v) {
		char letter[4] = "";
		if (out->ncalls == QCLIENT_BOARD_CALLS)
			break;
		client_get_str(v, "number", out->calls[out->ncalls].number,
		    sizeof(out->calls[0].number));
		get_int(v, "counter", &out->calls[out->ncalls].counter);
		client_get_str(v, "service", letter, sizeof(letter));
		out->calls[out->ncalls].service = letter[0];
		client_get_str(v, "at", out->calls[out->ncalls].at,
		    sizeof(out->calls[0].at));
		client_get_str(v, "lang", out->calls[out->ncalls].lang,
		    sizeof(out->calls[0].lang));
		out->ncalls++;
	}
	json_array_foreach(json_object_get(root, "waiting"), i, v) {
		char letter[4] = "";
		if (out->nwaiting == QCLIENT_MAX_SERVICES)
			break;
		client_get_str(v, "letter", letter, sizeof(letter));
		out->waiting[out->nwaiting].letter = letter[0];
		client_get_str(v, "name", out->waiting[out->nwaiting].name,
		    sizeof(out->waiting[0].name));
		get_int(v, "waiting", &out->waiting[out->nwaiting].waiting);
		out->nwaiting++;
	}
	client_get_str(root, "now", out->now, sizeof(out->now));
	json_decref(root);
	return K_OK;
}

int
qclient_status(struct qclient *c, const char *token,
    struct qclient_status *out, struct kerr *err)
{
	char path[96];
	json_t *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (token == NULL || strlen(token) != 32 ||
	    strspn(token, "0123456789abcdef") != 32)
		return kerr_set(err, K_EINVAL, "a ticket token is 32 lowercase "
		    "hex characters");
	snprintf(path, sizeof(path), "/api/status/%s", token);
	if ((rc = client_call_json(c, "GET", path, NULL, 200, &root, err)) != K_OK)
		return rc;
	if (client_get_str(root, "number", out->number, sizeof(out->number)) ||
	    client_get_str(root, "state", out->state, sizeof(out->state)) ||
	    get_int(root, "ahead", &out->ahead) ||
	    get_int(root, "wait_min", &out->wait_min) ||
	    get_int(root, "counter", &out->counter)) {
		json_decref(root);
		return kerr_set(err, K_EPARSE, "queue server: the status answer "
		    "lacks a field");
	}
	json_decref(root);
	return K_OK;
}
