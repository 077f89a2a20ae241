/*
 * hours.c - `kiosk hours [--config FILE] [--at YYYY-MM-DDTHH:MM]`: is the
 * hall open now (or at --at), by kiosk.open_hours and kiosk.open_days in
 * local time?  Prints "open" or "closed" and exits 0 (open), 1 (closed) or
 * 2 (usage, or hours that do not parse: the message names the key).
 *
 * kiosk-screen.timer asks it every few minutes: outside the hours the
 * touchscreen session is stopped and the display powered down; inside
 * them it runs and the screen never blanks (the kiosk inhibits idle).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ops.h"
#include "roles.h"

static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

static int
day_index(const char *s, size_t n)
{
	int i;

	for (i = 0; i < 7; i++)
		if (n == 3 && strncmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

static int
parse_hhmm(const char *s, int *min)
{
	int h, m;
	char tail;

	if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 ||
	    s[2] != ':' || h < 0 || h > 24 || m < 0 || m > 59 ||
	    (h == 24 && m != 0))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int
ops_hours_parse(const char *hours, const char *days, struct ops_hours *out,
    char *why, size_t whylen)
{
	char a[8], b[8];
	const char *p = days;

	memset(out, 0, sizeof(*out));
	if (strlen(hours) != 11 || hours[5] != '-') {
		snprintf(why, whylen, "kiosk.open_hours = '%.40s': expected "
		    "HH:MM-HH:MM", hours);
		return -1;
	}
	memcpy(a, hours, 5);
	a[5] = '\0';
	memcpy(b, hours + 6, 5);
	b[5] = '\0';
	if (parse_hhmm(a, &out->open_min) != 0 ||
	    parse_hhmm(b, &out->close_min) != 0 ||
	    out->open_min >= out->close_min) {
		snprintf(why, whylen, "kiosk.open_hours = '%.40s': expected "
		    "HH:MM-HH:MM with the opening before the closing", hours);
		return -1;
	}
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *dash = memchr(p, '-', n);
		int from, to, d;

		from = day_index(p, dash ? (size_t)(dash - p) : n);
		to = dash ? day_index(dash + 1, n - (size_t)(dash - p) - 1) :
		    from;
		if (from < 0 || to < 0) {
			snprintf(why, whylen, "kiosk.open_days = '%.40s': "
			    "expected days like mon,tue or mon-fri", days);
			return -1;
		}
		for (d = from;; d = (d + 1) % 7) {
			out->days |= 1u << d;
			if (d == to)
				break;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (out->days == 0) {
		snprintf(why, whylen, "kiosk.open_days is empty");
		return -1;
	}
	return 0;
}

bool
ops_hours_open(const struct ops_hours *h, const struct tm *tm)
{
	int min = tm->tm_hour * 60 + tm->tm_min;

	return (h->days & (1u << tm->tm_wday)) != 0 && min >= h->open_min &&
	    min < h->close_min;
}

int
role_hours(int argc, char **argv)
{
	const char *path = NULL, *at = NULL;
	struct ops_hours h;
	struct config *cfg;
	struct kerr err;
	struct tm tm;
	char why[160];
	time_t now;
	bool open;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
			at = argv[++i];
		} else {
			fprintf(stderr, "usage: kiosk hours [--config FILE] "
			    "[--at YYYY-MM-DDTHH:MM]\n");
			return 2;
		}
	}
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 2;
	}
	if (ops_hours_parse(config_str(cfg, "kiosk.open_hours"),
	    config_str(cfg, "kiosk.open_days"), &h, why, sizeof(why)) != 0) {
		fprintf(stderr, "kiosk: %s: %s\n", config_source(cfg), why);
		config_free(cfg);
		return 2;
	}
	memset(&tm, 0, sizeof(tm));
	if (at != NULL) {
		const char *end = strptime(at, "%Y-%m-%dT%H:%M", &tm);
		if (end == NULL || *end != '\0') {
			fprintf(stderr, "kiosk: --at '%s': expected "
			    "YYYY-MM-DDTHH:MM\n", at);
			config_free(cfg);
			return 2;
		}
		tm.tm_isdst = -1;
		now = mktime(&tm);        /* fills in the weekday */
		localtime_r(&now, &tm);
	} else {
		now = time(NULL);
		localtime_r(&now, &tm);
	}
	open = ops_hours_open(&h, &tm);
	printf("%s (%s %s, %s)\n", open ? "open" : "closed",
	    config_str(cfg, "kiosk.open_days"),
	    config_str(cfg, "kiosk.open_hours"), day_names[tm.tm_wday]);
	config_free(cfg);
	return open ? 0 : 1;
}
