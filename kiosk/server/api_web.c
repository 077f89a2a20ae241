/*
 * api_web.c - the web pages, the static files under the web folder, and
 * the event stream's entry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "xmalloc.h"

static void
serve_file(struct api *a, const char *name, struct api_resp *resp)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".wav", "audio/wav" },
		{ ".mp3", "audio/mpeg" },
		{ ".ogg", "audio/ogg" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	resp->content_type = NULL;
	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			resp->content_type = types[i].type;
	if (resp->content_type == NULL) {
		api_error(resp, 404, "not_found", "no such file type here");
		return;
	}
	resp->file = xasprintf("%s/%s", a->web_dir, name);
	resp->status = 200;
}

void
api_h_page(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	serve_file(a, strcmp(req->path, "/staff") == 0 ? "staff.html" :
	    strcmp(req->path, "/congestion") == 0 ? "congestion.html" :
	    "board.html", resp);
}

void
api_h_static(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	const char *p = params[0], *seg;

	/* segments of [A-Za-z0-9_-.], none empty or starting with '.' */
	if (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-./") != strlen(p) || strlen(p) > 200) {
		api_error(resp, 404, "not_found", "no such file");
		return;
	}
	for (seg = p; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
		if (seg[0] == '.' || seg[0] == '/' || seg[0] == '\0') {
			api_error(resp, 404, "not_found", "no such file");
			return;
		}
	serve_file(a, p, resp);
}

void
api_h_events(struct api *a, const struct api_req *req, const char **params,
    int64_t now_ms, struct api_resp *resp)
{
	resp->status = 200;
	resp->content_type = "text/event-stream";
	resp->sse = true;
}
