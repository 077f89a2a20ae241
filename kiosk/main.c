/*
 * main.c - the kiosk binary: pick the role from the first argument.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "config.h"
#include "ops.h"
#include "roles.h"
#include "tls.h"

static const struct role {
	const char *name;
	int (*fn)(int, char **);
	const char *usage;
} roles[] = {
	{ "run", role_run,
	  "run [--config FILE] [--server URL] [--windowed] [--script FILE --screenshots DIR]" },
	{ "serve", role_serve, "serve [--config FILE]" },
	{ "display", role_display,
	  "display [--config FILE] [--server URL] [--windowed] [--script FILE --screenshots DIR]" },
	{ "card", role_card,
	  "card list | card tries [--reader NAME] | card read [--reader NAME] [--json] [--mynumber]  (PIN on stdin)\n  kiosk card watch [--reader NAME] [--count N] [--timeout S]" },
	{ "print", role_print,
	  "print test [--printer URI] | print status [--printer URI]" },
	{ "report", role_report,
	  "report [--config FILE] [--db [SITE=]PATH]... [--from YYYY-MM-DD] "
	  "[--to YYYY-MM-DD] [--compare FROM..TO FROM..TO] --out DIR" },
	{ "simulate", role_simulate,
	  "simulate [--config FILE] [--db PATH] --counters N|A=N,... "
	  "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--weekday 1-7] [--seed S]" },
	{ "config", role_config, "config check [--config FILE] | config doc" },
	{ "tls", role_tls,
	  "tls selfsigned --out DIR [--config FILE] [--name HOST]... [--days N] [--force]" },
	{ "setup", role_setup, "setup [--config FILE] [--quiet]" },
	{ "status", role_status, "status [--config FILE] [--server URL] [--json]" },
	{ "backup", role_backup, "backup [--config FILE] [--out FILE]" },
	{ "hours", role_hours, "hours [--config FILE] [--at YYYY-MM-DDTHH:MM]" },
	{ "restore", role_restore,
	  "restore [--config FILE] [--db FILE] [--force] BACKUP" },
	{ "appointments", role_appointments,
	  "appointments import [--config FILE] FILE.csv | appointments list "
	  "[--config FILE] [--date YYYY-MM-DD]" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage:\n");
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		fprintf(fp, "  kiosk %s\n", roles[i].usage);
}

int
role_config(int argc, char **argv)
{
	struct config *c;
	struct kerr err;

	if (argc >= 2 && strcmp(argv[1], "doc") == 0) {
		config_document(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "check") == 0) {
		const char *path = NULL;
		if (argc >= 4 && strcmp(argv[2], "--config") == 0)
			path = argv[3];
		if (config_load(&c, path, &err) != K_OK) {
			fprintf(stderr, "kiosk: %s\n", err.msg);
			return 1;
		}
		{
			/* values with a grammar of their own */
			struct ops_hours h;
			char why[160];
			if (ops_hours_parse(config_str(c, "kiosk.open_hours"),
			    config_str(c, "kiosk.open_days"), &h, why,
			    sizeof(why)) != 0) {
				fprintf(stderr, "kiosk: %s: %s\n",
				    config_source(c), why);
				config_free(c);
				return 1;
			}
		}
		printf("%s: ok\n", config_source(c));
		config_free(c);
		return 0;
	}
	fprintf(stderr, "usage: kiosk config check [--config FILE] | kiosk config doc\n");
	return 2;
}

/*
 * Every role may hold personal data (the server's applications, the
 * kiosk's card facts, `card read`'s output): no core file may carry it
 * to the disk, and no other user's process may attach and read it.
 * Not dumpable also makes /proc/PID/mem, environ and the like root's.
 * Root (CAP_SYS_PTRACE) can still attach: gcore in the memory tests.
 */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		perror("kiosk: setrlimit(RLIMIT_CORE)");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		perror("kiosk: prctl(PR_SET_DUMPABLE)");
}

int
main(int argc, char **argv)
{
	size_t i;

	no_core_dumps();
	setlocale(LC_ALL, "C.UTF-8");
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (strcmp(argv[1], roles[i].name) == 0)
			return roles[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kiosk: unknown role '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
