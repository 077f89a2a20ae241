/*
 * config.c - INI file with declared keys, defaults and validation.
 *
 * To add a key, add a row to config_keys[]: the parser, the getters, the
 * README table (`kiosk config doc`) and the error messages follow from it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "xmalloc.h"

enum config_type { CT_STR, CT_INT, CT_DOUBLE, CT_BOOL, CT_ENUM, CT_URI };

struct config_key {
	const char *key;       /* "section.key" */
	enum config_type type;
	const char *def;
	double min, max;       /* CT_INT, CT_DOUBLE */
	const char *choices;   /* CT_ENUM: "a|b|c"; CT_URI: allowed schemes */
	const char *doc;
};

static const struct config_key config_keys[] = {
	/* the kiosk (resident touchscreen) */
	{ "kiosk.id", CT_STR, "kiosk-1", 0, 0, NULL,
	  "name of this kiosk in help requests and the log" },
	{ "kiosk.site_name", CT_STR, "旭市役所 市民課", 0, 0, NULL,
	  "site name printed on tickets and shown on the board" },
	{ "kiosk.server", CT_STR, "", 0, 0, NULL,
	  "queue server URL; empty: host the server in-process (`kiosk run`)" },
	{ "kiosk.language", CT_STR, "ja", 0, 0, NULL,
	  "language a session starts in: a catalog assets/po/CODE.po "
	  "(ja, ja-easy, en, zh, ko, vi, tl, pt)" },
	{ "kiosk.fullscreen", CT_BOOL, "true", 0, 0, NULL,
	  "full-screen window (`--windowed` overrides)" },
	{ "kiosk.width", CT_INT, "1920", 320, 7680, NULL,
	  "window width in px when windowed or offscreen" },
	{ "kiosk.height", CT_INT, "1080", 240, 7680, NULL,
	  "window height in px when windowed or offscreen" },
	{ "kiosk.px_per_mm", CT_DOUBLE, "4.034", 1.0, 20.0, NULL,
	  "screen pixels per millimetre (4.034 = 24\" 1920x1080)" },
	{ "kiosk.idle_timeout_s", CT_INT, "120", 30, 3600, NULL,
	  "seconds without a touch before \"still there?\"" },
	{ "kiosk.idle_warning_s", CT_INT, "30", 10, 300, NULL,
	  "countdown of the \"still there?\" dialog before the session is wiped" },
	{ "kiosk.volume", CT_INT, "70", 0, 100, NULL,
	  "default volume in percent, restored at each session end" },
	{ "kiosk.open_hours", CT_STR, "08:00-17:30", 0, 0, NULL,
	  "opening hours HH:MM-HH:MM (local time): the screen stays on inside "
	  "them and is switched off outside (kiosk-screen.timer)" },
	{ "kiosk.open_days", CT_STR, "mon-fri", 0, 0, NULL,
	  "opening days: mon,tue,... or ranges (mon-fri); the rest are closed" },
	{ "kiosk.exit_key", CT_STR, "", 0, 0, NULL,
	  "staff exit: the SDL name of a key only the staff's key switch "
	  "sends (e.g. F24); the kiosk ends with status 75 and tty1 gets a "
	  "login prompt; empty: no exit" },
	{ "kiosk.card_reader", CT_STR, "", 0, 0, NULL,
	  "PC/SC reader name; empty: the first reader found" },
	{ "kiosk.server_ca", CT_STR, "", 0, 0, NULL,
	  "PEM file the kiosk trusts for an https:// server: the server's "
	  "own certificate (a pin) or its CA; empty: the system CAs" },
	{ "kiosk.fonts", CT_STR, "fonts/fonts.conf", 0, 0, NULL,
	  "font manifest (fallback order); without ./fonts, the installed copy" },
	{ "kiosk.assets", CT_STR, "assets", 0, 0, NULL,
	  "folder with procedures.json, po/, web/; without ./assets, the "
	  "installed copy (DATADIR)" },
	{ "kiosk.heartbeat_s", CT_INT, "30", 0, 3600, NULL,
	  "seconds between the kiosk's heartbeats to the server (0: none); "
	  "the server raises \"kiosk silent\" after server.kiosk_silent_s" },
	{ "kiosk.printer_check_s", CT_INT, "60", 0, 3600, NULL,
	  "seconds between printer status checks while idle (0: none): paper "
	  "out is reported to staff before the next ticket fails" },

	/* the queue server */
	{ "server.listen", CT_STR, "127.0.0.1", 0, 0, NULL,
	  "address to listen on; beyond loopback only with all tokens set" },
	{ "server.port", CT_INT, "8080", 1, 65535, NULL, "TCP port" },
	{ "server.db", CT_STR, "var/kiosk.db", 0, 0, NULL,
	  "SQLite file (created on first start)" },
	{ "server.public_url", CT_STR, "http://127.0.0.1:8080", 0, 0, NULL,
	  "base URL printed in the ticket QR code (the phone page)" },
	{ "server.token_kiosk", CT_STR, "", 0, 0, NULL,
	  "bearer token for kiosks (16+ characters); empty: loopback calls only" },
	{ "server.token_staff", CT_STR, "", 0, 0, NULL,
	  "bearer token for the staff console (16+ characters; the event stream also takes ?token=)" },
	{ "server.token_display", CT_STR, "", 0, 0, NULL,
	  "bearer token for lobby boards (16+ characters)" },
	{ "server.max_body", CT_INT, "65536", 1024, 16777216, NULL,
	  "largest request body in bytes" },
	{ "server.noshow_after_recalls", CT_INT, "3", 0, 20, NULL,
	  "recalls after which a ticket may be marked no-show" },
	{ "server.estimate_samples", CT_INT, "10", 1, 1000, NULL,
	  "service times (median of the last N) used for the wait estimate" },
	{ "server.status_rate_per_min", CT_INT, "120", 1, 100000000, NULL,
	  "phone status requests a minute: per ticket, and per address for "
	  "lookups that find no ticket (guessing)" },
	{ "server.phone_near_ahead", CT_INT, "3", 0, 100, NULL,
	  "the phone page alerts (sound, vibration, notification) once this "
	  "few people are ahead; 0: only when called" },
	{ "server.away_until", CT_STR, "16:30", 0, 0, NULL,
	  "HH:MM: a resident may step out of the line (phone page) and come "
	  "back to their place until this time; later only staff bring a "
	  "held ticket back" },
	{ "server.threads", CT_INT, "32", 1, 256, NULL,
	  "HTTP worker threads; a request waiting for its commit holds one, "
	  "so up to this many tickets share one fsync (idle event streams "
	  "hold none)" },
	{ "server.keepalive_s", CT_INT, "15", 1, 300, NULL,
	  "seconds between keep-alive comments on the event stream (/api/events)" },
	{ "server.hosts", CT_STR, "", 0, 0, NULL,
	  "extra host names the server answers to, separated by ',' "
	  "(localhost, the listen address, public_url's host and any IP "
	  "address are always accepted; other Host headers get 421: DNS "
	  "rebinding)" },
	{ "server.max_conns", CT_INT, "10000", 16, 60000, NULL,
	  "open connections in all (event streams included)" },
	{ "server.max_conns_per_addr", CT_INT, "1000", 1, 60000, NULL,
	  "open connections from one address; the hall Wi-Fi's NAT shows "
	  "every phone as one address, so keep it above the phones that "
	  "watch their ticket at once (about 2 each)" },
	{ "server.idle_timeout_s", CT_INT, "30", 2, 3600, NULL,
	  "seconds a connection may stay silent before it is closed (must "
	  "be longer than keepalive_s)" },
	{ "server.tls_cert", CT_STR, "", 0, 0, NULL,
	  "PEM certificate (chain) file: serve HTTPS; empty: plain HTTP "
	  "(`kiosk tls selfsigned` makes a first pair)" },
	{ "server.tls_key", CT_STR, "", 0, 0, NULL,
	  "PEM private key file of tls_cert (readable by the server only)" },
	{ "server.kiosk_silent_s", CT_INT, "120", 10, 86400, NULL,
	  "seconds without a kiosk's heartbeat before staff are alerted "
	  "(kiosk_silent)" },
	{ "server.max_called_per_counter", CT_INT, "1", 1, 20, NULL,
	  "tickets a counter may hold called or in service at once" },
	{ "server.priority_run", CT_INT, "2", 1, 100, NULL,
	  "priority tickets called in a row at most while others wait "
	  "(docs/counter-operations.md)" },
	{ "server.appointment_before", CT_INT, "10", 1, 240, NULL,
	  "minutes before its slot from which a checked-in appointment is "
	  "called ahead of walk-ins (docs/visits.md)" },
	{ "server.appointment_after", CT_INT, "15", 1, 240, NULL,
	  "minutes after its slot until which an arrival is on time; later "
	  "it is placed like a walk-in, and a booking not checked in by then "
	  "is a no-show" },
	{ "server.visit_place", CT_ENUM, "visit", 0, 0, "visit|step",
	  "a visit's place in the line of each later step: visit (by the "
	  "visit's issue time: who has waited once does not wait again) or "
	  "step (by the arrival at the step, behind those already waiting "
	  "there) (docs/visits.md)" },
	{ "server.counter_printers", CT_STR, "", 0, 0, NULL,
	  "counter printers for reprints as COUNTER=URI separated by ';' "
	  "(3=tcp:10.0.0.23:9100)" },
	{ "server.services", CT_STR,
	  "A:住民票・証明書:1,2;B:届出・異動:3,4;C:マイナンバーカード:5;D:保険・年金・手当:6;E:相談:7",
	  0, 0, NULL,
	  "services as LETTER:NAME:COUNTERS separated by ';'" },

	/* speech: call-outs on the board, voice guidance on the kiosk */
	{ "speech.enable", CT_BOOL, "true", 0, 0, NULL,
	  "speak each call on the lobby board after its chime (false: chime "
	  "only)" },
	{ "speech.volume", CT_INT, "80", 0, 100, NULL,
	  "speech volume in percent of full scale (the chime has kiosk.volume)" },
	{ "speech.languages", CT_STR, "ja,en", 0, 0, NULL,
	  "languages of each call-out, spoken in this order, separated by ','" },
	{ "speech.ticket_language", CT_BOOL, "true", 0, 0, NULL,
	  "also speak a call in the language the resident chose at the kiosk "
	  "when it is not one of speech.languages" },
	{ "speech.repeat", CT_INT, "1", 1, 3, NULL,
	  "times each call-out is spoken after its chime" },
	{ "speech.voices", CT_STR,
	  "ja:ja,ja-easy:ja,en:en-us,zh:cmn,ko:ko,vi:vi,pt:pt,tl:id", 0, 0,
	  NULL,
	  "espeak-ng voice per language as LANG:VOICE separated by ',' "
	  "(`espeak-ng --voices` lists them; Tagalog has none, Indonesian "
	  "reads its spelling closely); a language left out is not spoken" },
	{ "speech.jtalk_voice", CT_STR, "", 0, 0, NULL,
	  "Open JTalk voice (.htsvoice file): Japanese is spoken by open_jtalk "
	  "with it instead of espeak-ng; empty: espeak-ng" },
	{ "speech.jtalk_dic", CT_STR, "/var/lib/mecab/dic/open-jtalk/naist-jdic",
	  0, 0, NULL, "Open JTalk dictionary folder (open-jtalk-mecab-naist-jdic)" },
	{ "speech.jtalk_program", CT_STR, "open_jtalk", 0, 0, NULL,
	  "the open_jtalk program (a name looked up in PATH, or a path)" },
	{ "speech.private", CT_BOOL, "false", 0, 0, NULL,
	  "the kiosk's sound is private (a handset or a headphone-only jack): "
	  "voice guidance then also reads the confirm screen's personal facts; "
	  "false: they are never spoken" },

	/* backups (`kiosk backup`, the daily kiosk-backup.timer) */
	{ "backup.dir", CT_STR, "var/backup", 0, 0, NULL,
	  "folder of the daily backups (no personal data in them)" },
	{ "backup.keep", CT_INT, "14", 1, 3650, NULL,
	  "backup generations kept in backup.dir; older ones are deleted" },

	/* evidence: open data, estimate accuracy, staffing advice */
	{ "evidence.min_cell", CT_INT, "10", 1, 1000, NULL,
	  "open data: a cell with fewer tickets is published without figures "
	  "(and one more of its service, so it cannot be subtracted out)" },
	{ "evidence.target_wait_min", CT_INT, "10", 1, 240, NULL,
	  "staffing target: minutes within which residents should be called" },
	{ "evidence.target_share", CT_DOUBLE, "0.8", 0.1, 0.999, NULL,
	  "staffing target: share of residents called within target_wait_min" },
	{ "evidence.naive_min_per_person", CT_DOUBLE, "5", 0.5, 120, NULL,
	  "baseline estimate the accuracy figures compare with: minutes per "
	  "person ahead" },
	{ "evidence.history_weeks", CT_INT, "8", 1, 104, NULL,
	  "weeks of history behind the typical waits (/congestion) and the "
	  "staff console's staffing advice" },

	/* the ticket printer */
	{ "printer.uri", CT_URI, "file:var/tickets", 0, 0, "file|usb|tcp|cups",
	  "printer: file:DIR, usb:/dev/usb/lp0, tcp:HOST:9100, cups:QUEUE" },
	{ "printer.width_dots", CT_ENUM, "576", 0, 0, "576|512|384",
	  "paper width in dots (576: 80 mm, 384: 58 mm)" },
	{ "printer.timeout_ms", CT_INT, "5000", 100, 60000, NULL,
	  "time-out for one printer write or status reply" },
	{ "printer.native_qr", CT_BOOL, "false", 0, 0, NULL,
	  "let the printer draw the QR code (GS ( k) instead of raster" },
};

struct config {
	char *source;
	char *values[ARRAY_SIZE(config_keys)];
};

static int
key_index(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

static const struct config_key *
must_key(const char *key, int *idx)
{
	int i = key_index(key);

	if (i < 0) {
		fprintf(stderr, "config: undeclared key '%s' (a bug)\n", key);
		abort();
	}
	*idx = i;
	return &config_keys[i];
}

static bool
in_choices(const char *choices, const char *v, size_t vlen)
{
	const char *p = choices, *bar;

	for (;;) {
		bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == vlen && strncmp(p, v, n) == 0)
			return true;
		if (bar == NULL)
			return false;
		p = bar + 1;
	}
}

/* Check one value; on failure write the reason into why. */
static bool
valid(const struct config_key *k, const char *v, char *why, size_t whylen)
{
	char *end;
	const char *colon;

	switch (k->type) {
	case CT_STR:
		return true;
	case CT_INT: {
		errno = 0;
		long n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno) {
			snprintf(why, whylen, "not a whole number");
			return false;
		}
		if (n < k->min || n > k->max) {
			snprintf(why, whylen, "must be from %.0f to %.0f", k->min,
			    k->max);
			return false;
		}
		return true;
	}
	case CT_DOUBLE: {
		errno = 0;
		double d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno) {
			snprintf(why, whylen, "not a number");
			return false;
		}
		if (d < k->min || d > k->max) {
			snprintf(why, whylen, "must be from %g to %g", k->min, k->max);
			return false;
		}
		return true;
	}
	case CT_BOOL:
		if (strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "yes") &&
		    strcmp(v, "no") && strcmp(v, "1") && strcmp(v, "0")) {
			snprintf(why, whylen, "must be true or false");
			return false;
		}
		return true;
	case CT_ENUM:
		if (!in_choices(k->choices, v, strlen(v))) {
			snprintf(why, whylen, "must be one of %s", k->choices);
			return false;
		}
		return true;
	case CT_URI:
		colon = strchr(v, ':');
		if (colon == NULL || colon[1] == '\0' ||
		    !in_choices(k->choices, v, (size_t)(colon - v))) {
			snprintf(why, whylen, "must be SCHEME:WHERE with SCHEME one of %s",
			    k->choices);
			return false;
		}
		return true;
	}
	return false;
}

#ifndef KIOSK_DATADIR
#define KIOSK_DATADIR "/usr/local/share/kiosk"
#endif

/* The data folders default to the working tree (make run) and, where the
 * tree has none, to the installed copy (make install). */
static char *
default_value(const struct config_key *k)
{
	if ((strcmp(k->key, "kiosk.assets") == 0 ||
	    strcmp(k->key, "kiosk.fonts") == 0) && access(k->def, F_OK) != 0) {
		char *installed = xasprintf("%s/%s", KIOSK_DATADIR, k->def);
		if (access(installed, F_OK) == 0)
			return installed;
		free(installed);
	}
	return xstrdup(k->def);
}

struct config *
config_defaults(void)
{
	struct config *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->source = xstrdup("built-in defaults");
	for (i = 0; i < ARRAY_SIZE(config_keys); i++)
		c->values[i] = default_value(&config_keys[i]);
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(config_keys); i++)
		xfree_wipe_str(c->values[i]);
	free(c->source);
	free(c);
}

static int
set_at(struct config *c, const char *where, const char *key, const char *value,
    struct kerr *err)
{
	char why[120];
	int i = key_index(key);

	if (i < 0)
		return kerr_set(err, K_EPARSE, "%s: unknown key '%s'", where, key);
	if (!valid(&config_keys[i], value, why, sizeof(why)))
		return kerr_set(err, K_EPARSE, "%s: %s = '%.60s': %s", where, key,
		    value, why);
	free(c->values[i]);
	c->values[i] = xstrdup(value);
	return K_OK;
}

int
config_set(struct config *c, const char *key, const char *value, struct kerr *err)
{
	return set_at(c, "setting", key, value, err);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_load(struct config **out, const char *path, struct kerr *err)
{
	FILE *fp;
	int rc;

	*out = NULL;
	if (path == NULL) {
		if (access(CONFIG_DEFAULT_PATH, F_OK) != 0) {
			*out = config_defaults();
			return K_OK;
		}
		path = CONFIG_DEFAULT_PATH;
	}
	fp = fopen(path, "r");
	if (fp == NULL)
		return kerr_set(err, K_ENOTFOUND, "%s: cannot open: %s", path,
		    strerror(errno));
	rc = config_read(out, fp, path, err);
	fclose(fp);
	return rc;
}

int
config_read(struct config **out, FILE *fp, const char *path, struct kerr *err)
{
	struct config *c;
	char line[2048], section[64] = "", key[160], where[512];
	int lineno = 0, rc = K_OK;

	*out = NULL;
	c = config_defaults();
	free(c->source);
	c->source = xstrdup(path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *s, *eq, *k, *v;
		size_t n = strlen(line);

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			rc = kerr_set(err, K_EPARSE, "%s: line too long", where);
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL || close[1] != '\0' ||
			    (size_t)(close - s - 1) >= sizeof(section)) {
				rc = kerr_set(err, K_EPARSE,
				    "%s: malformed section header '%.60s'", where, s);
				break;
			}
			*close = '\0';
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			snprintf(key, sizeof(key), "%s.", section);
			{
				size_t i;
				bool known = false;
				for (i = 0; i < ARRAY_SIZE(config_keys); i++)
					if (strncmp(config_keys[i].key, key,
					    strlen(key)) == 0)
						known = true;
				if (!known) {
					rc = kerr_set(err, K_EPARSE,
					    "%s: unknown section [%s]", where, section);
					break;
				}
			}
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			rc = kerr_set(err, K_EPARSE,
			    "%s: expected 'key = value', got '%.60s'", where, s);
			break;
		}
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		if (section[0] == '\0') {
			rc = kerr_set(err, K_EPARSE,
			    "%s: key '%s' before any [section]", where, k);
			break;
		}
		/* allow "value" in quotes */
		n = strlen(v);
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(key, sizeof(key), "%s.%s", section, k);
		if ((rc = set_at(c, where, key, v, err)) != K_OK)
			break;
	}
	if (rc != K_OK) {
		config_free(c);
		return rc;
	}
	*out = c;
	return K_OK;
}

const char *
config_str(const struct config *c, const char *key)
{
	int i;

	must_key(key, &i);
	return c->values[i];
}

long
config_int(const struct config *c, const char *key)
{
	return strtol(config_str(c, key), NULL, 10);
}

double
config_double(const struct config *c, const char *key)
{
	return strtod(config_str(c, key), NULL);
}

bool
config_bool(const struct config *c, const char *key)
{
	const char *v = config_str(c, key);

	return strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0;
}

const char *
config_source(const struct config *c)
{
	return c->source;
}

void
config_document(FILE *fp)
{
	size_t i;

	fprintf(fp, "| key | default | meaning |\n|---|---|---|\n");
	for (i = 0; i < ARRAY_SIZE(config_keys); i++) {
		const struct config_key *k = &config_keys[i];
		const char *dot = strchr(k->key, '.');
		fprintf(fp, "| `[%.*s] %s` | `%s` | %s |\n", (int)(dot - k->key),
		    k->key, dot + 1, k->def, k->doc);
	}
}
