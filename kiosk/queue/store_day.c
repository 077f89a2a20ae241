/*
 * store_day.c - the store's pure parts: the service day of a time, ISO
 * times in +09:00, "YYYY-MM-DD" days and the server.services line.  No SQL
 * and no clock: the callers pass the time in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "wareki.h"

/*
 * Time.  Japan has kept UTC+9 without daylight saving since 1951, so the
 * Asia/Tokyo service day is computed from a fixed offset: no TZ lookups,
 * no setenv, and the same answer whatever the machine's zone.
 */
#define JST_OFFSET_S (9 * 3600)

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
store_day_start_ms(int64_t ms)
{
	int64_t local_s = floor_div(ms, 1000) + JST_OFFSET_S;

	return (floor_div(local_s, 86400) * 86400 - JST_OFFSET_S) * 1000;
}

void
store_day(int64_t ms, char out[11])
{
	time_t t = (time_t)(floor_div(ms, 1000) + JST_OFFSET_S);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
	    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

void
store_iso_time(int64_t ms, char out[32])
{
	time_t t = (time_t)(floor_div(ms, 1000) + JST_OFFSET_S);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u+09:00",
	    (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) %
	    100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	    (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

int
store_parse_day(const char *s, struct kerr *err)
{
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10)
		return kerr_set(err, K_EINVAL, "date must be YYYY-MM-DD");
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return kerr_set(err, K_EINVAL,
				    "date must be YYYY-MM-DD");
		} else if (s[i] < '0' || s[i] > '9')
			return kerr_set(err, K_EINVAL, "date must be YYYY-MM-DD");
	}
	if (!wareki_parse_iso(s, &y, &m, &d) || y < 2000)
		return kerr_set(err, K_EINVAL, "'%s' is not a date", s);
	return K_OK;
}

/* Services from the config line "A:name:1,2;B:name:3,4". */
int
store_parse_services(const char *spec, struct store_service *out, size_t max,
    size_t *n, struct kerr *err)
{
	const char *p = spec, *end, *c1, *c2;
	size_t count = 0, i;

	*n = 0;
	while (*p != '\0') {
		struct store_service *sv;
		size_t len;
		const char *q;

		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0)
			return kerr_set(err, K_EPARSE,
			    "server.services: empty entry (two ';' in a row?)");
		if (count == max)
			return kerr_set(err, K_EPARSE,
			    "server.services: more than %zu services", max);
		c1 = memchr(p, ':', len);
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c1 == NULL || c2 == NULL)
			return kerr_set(err, K_EPARSE,
			    "server.services: '%.*s' is not LETTER:NAME:COUNTERS",
			    (int)(len > 40 ? 40 : len), p);
		sv = &out[count];
		memset(sv, 0, sizeof(*sv));
		if (c1 - p != 1 || p[0] < 'A' || p[0] > 'Z')
			return kerr_set(err, K_EPARSE,
			    "server.services: '%.*s' must be one letter A-Z",
			    (int)(c1 - p > 20 ? 20 : c1 - p), p);
		sv->letter = p[0];
		for (i = 0; i < count; i++)
			if (out[i].letter == sv->letter)
				return kerr_set(err, K_EPARSE,
				    "server.services: letter %c given twice",
				    sv->letter);
		if (c2 - c1 - 1 <= 0 || (size_t)(c2 - c1 - 1) >= sizeof(sv->name))
			return kerr_set(err, K_EPARSE,
			    "server.services: the name of %c must be 1 to %zu bytes",
			    sv->letter, sizeof(sv->name) - 1);
		memcpy(sv->name, c1 + 1, (size_t)(c2 - c1 - 1));
		q = c2 + 1;
		if (q == end)
			return kerr_set(err, K_EPARSE,
			    "server.services: service %c has no counters",
			    sv->letter);
		while (q < end) {
			char *e;
			long v;

			if (*q < '0' || *q > '9')
				return kerr_set(err, K_EPARSE,
				    "server.services: counters of %c must be "
				    "numbers separated by ','", sv->letter);
			errno = 0;
			v = strtol(q, &e, 10);
			if (e > end || errno || v < 1 || v > 999)
				return kerr_set(err, K_EPARSE,
				    "server.services: counter numbers of %c must "
				    "be 1 to 999", sv->letter);
			if (sv->ncounters == STORE_MAX_COUNTERS)
				return kerr_set(err, K_EPARSE,
				    "server.services: more than %d counters for %c",
				    STORE_MAX_COUNTERS, sv->letter);
			sv->counters[sv->ncounters++] = (int)v;
			q = e;
			if (q < end) {
				if (*q != ',' || q + 1 == end)
					return kerr_set(err, K_EPARSE,
					    "server.services: counters of %c must "
					    "be numbers separated by ','",
					    sv->letter);
				q++;
			}
		}
		count++;
		p = *end ? end + 1 : end;
	}
	if (count == 0)
		return kerr_set(err, K_EPARSE, "server.services: no service");
	*n = count;
	return K_OK;
}

