/*
 * print_cli.c - `kiosk print test` and `kiosk print status`.
 *
 *   kiosk print test   [--printer URI] [--config FILE] [--lang CODE]
 *                      [--width 576|512|384] [--native-qr] [--at EPOCH]
 *                      [--appointment HH:MM]
 *   kiosk print status [--printer URI] [--config FILE]
 *
 * test prints a sample ticket (fixed token; --at fixes the issue time for
 * reproducible output; --appointment makes it a check-in's, with its
 * "予約 10:30" line); status asks the printer its state.  Exit status 0
 * when printed / ready, 1 when not, 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "print.h"
#include "roles.h"
#include "ticket.h"

static int
usage(void)
{
	fprintf(stderr, "usage: kiosk print test [--printer URI] [--config FILE] "
	    "[--lang CODE] [--width 576|512|384] [--native-qr] [--at EPOCH]\n"
	    "                  [--appointment HH:MM]\n"
	    "       kiosk print status [--printer URI] [--config FILE]\n");
	return 2;
}

int
role_print(int argc, char **argv)
{
	const char *printer = NULL, *cfg_path = NULL, *lang = NULL;
	const char *width = NULL;
	struct config *cfg;
	struct print_opts o;
	struct print_result res;
	struct ticket_info t;
	struct kerr err;
	char flags[160];
	long long at = (long long)time(NULL);
	const char *appt = NULL;
	bool native = false, test;
	int i, rc;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "test") == 0)
		test = true;
	else if (strcmp(argv[1], "status") == 0)
		test = false;
	else
		return usage();
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--native-qr") == 0 && test) {
			native = true;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "kiosk print: %s needs a value\n", a);
			return usage();
		}
		i++;
		if (strcmp(a, "--printer") == 0)
			printer = v;
		else if (strcmp(a, "--config") == 0)
			cfg_path = v;
		else if (strcmp(a, "--lang") == 0 && test)
			lang = v;
		else if (strcmp(a, "--width") == 0 && test)
			width = v;
		else if (strcmp(a, "--at") == 0 && test) {
			char *end;
			at = strtoll(v, &end, 10);
			if (*end != '\0' || at <= 0) {
				fprintf(stderr, "kiosk print: --at '%s' is not "
				    "a positive number of seconds\n", v);
				return 2;
			}
		} else if (strcmp(a, "--appointment") == 0 && test) {
			appt = v;
		} else {
			fprintf(stderr, "kiosk print: unknown option %s\n", a);
			return usage();
		}
	}
	if (config_load(&cfg, cfg_path, &err) != K_OK) {
		fprintf(stderr, "kiosk print: %s\n", err.msg);
		return 2;
	}
	if (printer != NULL && config_set(cfg, "printer.uri", printer,
	    &err) != K_OK) {
		fprintf(stderr, "kiosk print: --printer: %s\n", err.msg);
		config_free(cfg);
		return 2;
	}
	if (width != NULL && config_set(cfg, "printer.width_dots", width,
	    &err) != K_OK) {
		fprintf(stderr, "kiosk print: --width: %s\n", err.msg);
		config_free(cfg);
		return 2;
	}
	print_opts_from_config(cfg, &o);
	if (native)
		o.native_qr = true;
	if (!test) {
		rc = print_query_status(&o, &res, &err);
		if (rc == K_OK && !res.status_known)
			printf("%s: status unknown (%s)\n", o.uri, res.detail);
		else if (rc == K_OK || res.status_known)
			printf("%s: %s\n", o.uri,
			    print_flags_text(res.flags, flags, sizeof(flags)));
		if (rc != K_OK)
			fprintf(stderr, "kiosk print: %s: %s (%s)\n", o.uri,
			    print_reason_name(res.reason), err.msg);
		config_free(cfg);
		return rc == K_OK ? 0 : 1;
	}
	ticket_sample(&t, lang != NULL ? lang :
	    config_str(cfg, "kiosk.language"), (int64_t)at,
	    config_str(cfg, "server.public_url"));
	if (lang != NULL && strcmp(t.lang, lang) != 0) {
		fprintf(stderr, "kiosk print: --lang '%s' is not one of ja "
		    "ja-easy en zh ko vi tl pt\n", lang);
		config_free(cfg);
		return 2;
	}
	snprintf(t.site_name, sizeof(t.site_name), "%s",
	    config_str(cfg, "kiosk.site_name"));
	if (appt != NULL) {
		if (strlen(appt) >= sizeof(t.appt_time)) {
			fprintf(stderr, "kiosk print: --appointment '%s' is not "
			    "HH:MM\n", appt);
			config_free(cfg);
			return 2;
		}
		snprintf(t.appt_time, sizeof(t.appt_time), "%s", appt);
	}
	rc = print_ticket(&o, &t, &res, &err);
	if (rc == K_OK)
		printf("printed sample ticket %s (%s) to %s: %zu bytes%s\n",
		    t.number, t.lang, o.uri, res.bytes,
		    res.paper_near_end ? ", paper near end" : "");
	else
		fprintf(stderr, "kiosk print: not printed: %s: %s\n",
		    print_reason_name(res.reason), err.msg);
	config_free(cfg);
	return rc == K_OK ? 0 : 1;
}
