/*
 * http_sse.c - the server-sent event streams (/api/events, a phone's
 * status events): one sse_client per stream, http_emit() queueing an
 * event for every stream (staff-only events never reach a phone's), the
 * keep-alive thread, and the reader that hands libmicrohttpd the queued
 * text or suspends the connection until there is some.  A reader more
 * than SSE_MAX_PENDING behind is dropped.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <microhttpd.h>

#include "http_int.h"
#include "xmalloc.h"

#define SSE_MAX_PENDING (256 * 1024)  /* a reader that far behind is dropped */

/* Queue text for every client; resume the suspended ones (outside the
 * lock: a suspended connection cannot go away until it is resumed). */
static void
broadcast(struct http *h, bool staff_only, const char *text, size_t len)
{
	struct MHD_Connection **wake = NULL;
	struct sse_client *c;
	size_t nwake = 0, i;

	pthread_mutex_lock(&h->mu);
	if (h->nclients > 0)
		wake = xcalloc((size_t)h->nclients, sizeof(*wake));
	for (c = h->clients; c; c = c->next) {
		if (staff_only && c->public_only)
			continue;
		if (!c->drop && c->pending.len - c->off + len > SSE_MAX_PENDING)
			c->drop = true;
		else if (!c->drop)
			bytebuf_append(&c->pending, text, len);
		if (c->suspended && nwake < (size_t)h->nclients) {
			c->suspended = false;
			wake[nwake++] = c->conn;
		}
	}
	pthread_mutex_unlock(&h->mu);
	for (i = 0; i < nwake; i++)
		MHD_resume_connection(wake[i]);
	free(wake);
}

void
http_emit(void *arg, const char *event, const char *json)
{
	struct http *h = arg;
	char *text;

	if (h == NULL)
		return;
	text = xasprintf("event: %s\ndata: %s\n\n", event, json);
	/* help, alert and appointment events are for staff, never a phone's
	 * stream */
	broadcast(h, strcmp(event, "help") == 0 ||
	    strncmp(event, "alert", 5) == 0 ||
	    strncmp(event, "appointment", 11) == 0, text, strlen(text));
	free(text);
}

void *
http_keepalive_main(void *arg)
{
	struct http *h = arg;
	static const char ka[] = ": keep-alive\n\n";
	struct timespec ts;

	pthread_mutex_lock(&h->mu);
	while (!h->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += h->keepalive_s;
		pthread_cond_timedwait(&h->ka_cond, &h->mu, &ts);
		if (h->stopping)
			break;
		pthread_mutex_unlock(&h->mu);
		broadcast(h, false, ka, sizeof(ka) - 1);
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	struct http *h = c->h;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&h->mu);
	if (c->drop || h->stopping) {
		pthread_mutex_unlock(&h->mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = c->pending.len - c->off;
	if (n > 0) {
		if (n > max)
			n = max;
		memcpy(buf, c->pending.data + c->off, n);
		c->off += n;
		if (c->off == c->pending.len) {
			bytebuf_reset(&c->pending);
			c->off = 0;
		}
		pthread_mutex_unlock(&h->mu);
		return (ssize_t)n;
	}
	/* nothing to say: park the connection until http_emit() */
	c->suspended = true;
	MHD_suspend_connection(c->conn);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

static void
sse_free(void *cls)
{
	struct sse_client *c = cls;
	struct http *h = c->h;

	pthread_mutex_lock(&h->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		h->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	h->nclients--;
	pthread_mutex_unlock(&h->mu);
	bytebuf_free(&c->pending);
	free(c);
}

struct MHD_Response *
http_sse_response(struct http *h, struct MHD_Connection *conn,
    bool public_only)
{
	struct sse_client *c = xcalloc(1, sizeof(*c));
	struct MHD_Response *r;

	c->h = h;
	c->conn = conn;
	c->public_only = public_only;
	bytebuf_puts(&c->pending, "retry: 3000\n: connected\n\n");
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read,
	    c, sse_free);
	if (r == NULL) {
		bytebuf_free(&c->pending);
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&h->mu);
	c->next = h->clients;
	if (h->clients)
		h->clients->prev = c;
	h->clients = c;
	h->nclients++;
	pthread_mutex_unlock(&h->mu);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	return r;
}
