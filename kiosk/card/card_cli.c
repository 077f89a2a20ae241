/*
 * card_cli.c - `kiosk card list | tries | read | watch`: the card module
 * from the command line, for staff, scripts and the end-to-end tests.
 *
 * The PIN is read from standard input only (never argv, never the
 * environment), with read(2) into a fixed buffer that is wiped after use;
 * on a terminal the echo is turned off.  Like the touch UI, `read` sends
 * no PIN to a card with 1 try left (exit 11).  Exit codes are listed in
 * card_exit() and in docs/card.md.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "apdu.h"
#include "card.h"
#include "config.h"
#include "roles.h"

enum {
	CARD_EXIT_OK = 0,
	CARD_EXIT_FAIL = 1,		/* unexpected (message says what) */
	CARD_EXIT_USAGE = 2,		/* bad arguments or config */
	CARD_EXIT_NODEV = 3,		/* no reader, or pcscd not running */
	CARD_EXIT_NOCARD = 4,		/* the reader is empty */
	CARD_EXIT_NOTMINE = 5,		/* not a My Number card */
	CARD_EXIT_PIN = 6,		/* wrong PIN (tries left printed) */
	CARD_EXIT_BLOCKED = 7,		/* PIN blocked */
	CARD_EXIT_REMOVED = 8,		/* card pulled or reset mid-read */
	CARD_EXIT_PARSE = 9,		/* malformed data on the card */
	CARD_EXIT_PINFORMAT = 10,	/* stdin did not hold exactly 4 digits */
	CARD_EXIT_LASTTRY = 11,		/* 1 try left: no PIN sent (see staff) */
};

static int
card_exit(int rc)
{
	switch (rc) {
	case K_OK: return CARD_EXIT_OK;
	case K_ENODEV: return CARD_EXIT_NODEV;
	case K_ENOCARD: return CARD_EXIT_NOCARD;
	case K_ENOTMINE: return CARD_EXIT_NOTMINE;
	case K_EPIN: return CARD_EXIT_PIN;
	case K_EBLOCKED: return CARD_EXIT_BLOCKED;
	case K_EREMOVED: return CARD_EXIT_REMOVED;
	case K_EPARSE: return CARD_EXIT_PARSE;
	case K_EINVAL: return CARD_EXIT_PINFORMAT;
	case K_ELASTTRY: return CARD_EXIT_LASTTRY;
	default: return CARD_EXIT_FAIL;
	}
}

static void
card_usage(void)
{
	fprintf(stderr,
	    "usage: kiosk card list [--json]\n"
	    "       kiosk card tries [--reader NAME] [--json]\n"
	    "       kiosk card read [--reader NAME] [--json] [--mynumber]   (4-digit PIN on stdin)\n"
	    "       kiosk card watch [--reader NAME] [--count N] [--timeout SECONDS]\n"
	    "  --config FILE  take the reader from kiosk.card_reader\n");
}

/* JSON string: UTF-8 kept as is, quotes, backslashes and controls escaped. */
static void
json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void
json_str_or_null(FILE *fp, const char *s)
{
	if (s == NULL || *s == '\0')
		fputs("null", fp);
	else
		json_str(fp, s);
}

static int
card_fail(int rc, const struct kerr *err, bool json, int tries)
{
	fprintf(stderr, "kiosk card: %s\n", err->msg);
	if (json) {
		printf("{\"error\":");
		json_str(stdout, kerr_name(rc));
		printf(",\"detail\":");
		json_str(stdout, err->msg);
		if (tries >= 0)
			printf(",\"tries_left\":%d", tries);
		printf("}\n");
	}
	return card_exit(rc);
}

/*
 * Read the PIN from fd 0 into pin[0..cap): one line, CR/LF stripped.
 * Returns K_OK or K_EINVAL (too long, empty input).  No stdio buffering,
 * so no copy of the PIN is left in a FILE buffer.
 */
static int
card_read_pin(char *pin, size_t cap, struct kerr *err)
{
	struct termios old, quiet;
	bool tty = isatty(0) == 1, restore = false;
	size_t n = 0;
	char c;
	ssize_t r;

	if (tty) {
		fprintf(stderr, "PIN (4 digits): ");
		if (tcgetattr(0, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(0, TCSAFLUSH, &quiet) == 0;
		}
	}
	for (;;) {
		r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 >= cap) {
			n = cap;	/* too long; keep draining the line */
			continue;
		}
		pin[n++] = c;
	}
	c = 0;
	if (restore) {
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n == cap) {
		explicit_bzero(pin, cap);
		return kerr_set(err, K_EINVAL,
		    "the PIN on standard input is too long; it must be exactly 4 digits");
	}
	if (n > 0 && pin[n - 1] == '\r')
		n--;
	pin[n] = '\0';
	if (n == 0)
		return kerr_set(err, K_EINVAL,
		    "no PIN on standard input (give the 4 digits on one line)");
	return K_OK;
}

struct card_opts {
	const char *reader;
	const char *config;
	bool json, mynumber;
	long count, timeout;
};

static int
card_parse_opts(int argc, char **argv, struct card_opts *o)
{
	static const struct option longopts[] = {
		{ "reader", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "mynumber", no_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r': o->reader = optarg; break;
		case 'c': o->config = optarg; break;
		case 'j': o->json = true; break;
		case 'm': o->mynumber = true; break;
		case 'n':
		case 't':
			errno = 0;
			if (ch == 'n')
				o->count = strtol(optarg, &end, 10);
			else
				o->timeout = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    (ch == 'n' ? o->count : o->timeout) < 0) {
				fprintf(stderr,
				    "kiosk card: --%s needs a whole number >= 0, not \"%s\"\n",
				    ch == 'n' ? "count" : "timeout", optarg);
				return -1;
			}
			break;
		default:
			/* Named only when it cannot be a PIN (no digits). */
			if (strpbrk(argv[optind - 1], "0123456789") == NULL)
				fprintf(stderr,
				    "kiosk card: unknown option \"%s\"\n",
				    argv[optind - 1]);
			else
				fprintf(stderr, "kiosk card: unknown option\n");
			return -1;
		}
	}
	if (optind != argc) {
		/* Not echoed: it may well be a PIN typed on the command line. */
		fprintf(stderr, "kiosk card: unexpected argument; the PIN is "
		    "read from standard input, never from the command line\n");
		return -1;
	}
	return 0;
}

/* The reader: --reader, else kiosk.card_reader from the config. */
static int
card_pick_reader(struct card_opts *o, char *buf, size_t cap)
{
	struct config *c;
	struct kerr err;

	if (o->reader != NULL)
		return 0;
	if (config_load(&c, o->config, &err) != K_OK) {
		fprintf(stderr, "kiosk card: %s\n", err.msg);
		return -1;
	}
	snprintf(buf, cap, "%s", config_str(c, "kiosk.card_reader"));
	config_free(c);
	o->reader = buf[0] != '\0' ? buf : NULL;
	return 0;
}

static int
card_cmd_list(struct card_opts *o)
{
	struct apdu_reader r[16];
	struct kerr err;
	size_t n, i;
	int rc;

	rc = apdu_pcsc_list(r, ARRAY_SIZE(r), &n, &err);
	if (rc != K_OK)
		return card_fail(rc, &err, o->json, -1);
	if (o->json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(stdout, r[i].name);
			printf(",\"card\":%s,\"mute\":%s,\"in_use\":%s,\"atr\":",
			    r[i].present ? "true" : "false",
			    r[i].mute ? "true" : "false",
			    r[i].inuse ? "true" : "false");
			json_str_or_null(stdout, r[i].atr);
			printf("}");
		}
		printf("]\n");
	} else {
		for (i = 0; i < n; i++)
			printf("%s\t%s%s%s\n", r[i].name,
			    r[i].present ? (r[i].mute ? "card (mute)" :
			    "card") : "empty", r[i].atr[0] ? "\t" : "",
			    r[i].atr);
	}
	return CARD_EXIT_OK;
}

static int
card_cmd_tries(struct card_opts *o)
{
	struct kerr err;
	int rc, tries;

	rc = card_tries_at(o->reader, &tries, &err);
	if (rc != K_OK && rc != K_EBLOCKED)
		return card_fail(rc, &err, o->json, -1);
	if (o->json)
		printf("{\"tries_left\":%d,\"blocked\":%s}\n", tries,
		    rc == K_EBLOCKED ? "true" : "false");
	else
		printf("%d\n", tries);
	if (rc == K_EBLOCKED)
		fprintf(stderr, "kiosk card: %s\n", err.msg);
	return card_exit(rc);
}

static void
card_print_basic4(const struct card_basic4 *b, int tries, bool json)
{
	const char *sex_text = card_sex_text(b->sex);

	if (json) {
		printf("{\"name\":");
		json_str(stdout, b->name);
		printf(",\"name_family\":");
		json_str_or_null(stdout, b->name_family);
		printf(",\"name_given\":");
		json_str_or_null(stdout, b->name_given);
		printf(",\"address\":");
		json_str(stdout, b->address);
		printf(",\"birth\":");
		json_str(stdout, b->birth);
		printf(",\"sex\":");
		json_str(stdout, b->sex);
		printf(",\"sex_text\":");
		json_str_or_null(stdout, sex_text);
		printf(",\"tries_left\":%d", tries);
		if (b->has_mynumber) {
			printf(",\"mynumber\":");
			json_str(stdout, b->mynumber);
		}
		printf("}\n");
		return;
	}
	printf("name: %s\n", b->name);
	if (b->name_family[0] != '\0')
		printf("name_family: %s\nname_given: %s\n", b->name_family,
		    b->name_given);
	printf("address: %s\nbirth: %s\nsex: %s (%s)\ntries_left: %d\n",
	    b->address, b->birth, b->sex, sex_text ? sex_text : "?", tries);
	if (b->has_mynumber)
		printf("mynumber: %s\n", b->mynumber);
}

static int
card_cmd_read(struct card_opts *o)
{
	struct card_basic4 b;
	struct kerr err;
	char pin[16];
	int rc, tries = -1;

	if ((rc = card_read_pin(pin, sizeof(pin), &err)) != K_OK)
		return card_fail(rc, &err, o->json, -1);
	rc = card_read_at(o->reader, pin, CARD_READ_KEEP_LAST_TRY |
	    (o->mynumber ? CARD_READ_MYNUMBER : 0), &tries, &b, &err);
	explicit_bzero(pin, sizeof(pin));
	if (rc != K_OK)
		return card_fail(rc, &err, o->json, tries);
	card_print_basic4(&b, tries, o->json);
	fflush(stdout);
	card_basic4_wipe(&b);
	return CARD_EXIT_OK;
}

static void
card_on_event(void *arg, enum card_event ev, const char *reader)
{
	long *count = arg;

	printf("%s%s%s\n", card_event_name(ev), reader ? "\t" : "",
	    reader ? reader : "");
	fflush(stdout);
	__atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
}

static int
card_cmd_watch(struct card_opts *o)
{
	struct card_watch *w;
	struct kerr err;
	struct timespec tick = { 0, 100 * 1000000L };
	sigset_t set;
	long count = 0, waited_ms = 0;
	int rc;

	/* Block the stop signals before the worker starts, then wait for
	 * them here: the worker never sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	rc = card_watch_start(&w, o->reader, card_on_event, &count, &err);
	if (rc != K_OK)
		return card_fail(rc, &err, false, -1);
	for (;;) {
		if (sigtimedwait(&set, NULL, &tick) > 0)
			break;
		waited_ms += 100;
		if (o->count > 0 &&
		    __atomic_load_n(&count, __ATOMIC_SEQ_CST) >= o->count)
			break;
		if (o->timeout > 0 && waited_ms >= o->timeout * 1000)
			break;
	}
	card_watch_stop(w);
	return CARD_EXIT_OK;
}

int
role_card(int argc, char **argv)
{
	struct card_opts o;
	char reader[160];
	const char *cmd;

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		card_usage();
		return argc < 2 ? CARD_EXIT_USAGE : CARD_EXIT_OK;
	}
	cmd = argv[1];
	if (card_parse_opts(argc - 1, argv + 1, &o) != 0) {
		card_usage();
		return CARD_EXIT_USAGE;
	}
	if (strcmp(cmd, "list") == 0)
		return card_cmd_list(&o);
	if (strcmp(cmd, "tries") != 0 && strcmp(cmd, "read") != 0 &&
	    strcmp(cmd, "watch") != 0) {
		fprintf(stderr, "kiosk card: unknown command \"%s\"\n", cmd);
		card_usage();
		return CARD_EXIT_USAGE;
	}
	if (card_pick_reader(&o, reader, sizeof(reader)) != 0)
		return CARD_EXIT_USAGE;
	if (strcmp(cmd, "tries") == 0)
		return card_cmd_tries(&o);
	if (strcmp(cmd, "read") == 0)
		return card_cmd_read(&o);
	return card_cmd_watch(&o);
}
