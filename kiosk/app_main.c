/*
 * app_main.c - the UI roles' entry: `kiosk run` (resident touchscreen) and
 * `kiosk display` (lobby board).  Parses the command line, loads the
 * config, starts the app core and pushes the first screen.
 *
 *   --config FILE        the INI file (default /etc/kiosk/kiosk.ini if any)
 *   --server URL         queue server; sets kiosk.server
 *   --windowed           not full-screen (overrides kiosk.fullscreen)
 *   --script FILE        headless scripted run (SDL offscreen driver)
 *   --screenshots DIR    where `shot NAME` writes NAME.png
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "journey.h"
#include "kiosk_watch.h"
#include "roles.h"
#include "screen.h"

struct ui_opts {
	const char *config;
	const char *server;
	struct app_options app;
};

/* Screens a test script may jump to with `push NAME` / `reset NAME`. */
static const struct screen *const run_screens[] = {
	&screen_idle, &screen_menu, NULL,
};

/*
 * The UI roles: window title, first screen, the screens a script may
 * name, and what the role hangs on the app before the first screen and
 * takes off before app_free() (NULL: nothing).
 */
enum { ROLE_RUN, ROLE_DISPLAY };

static const struct ui_role_entry {
	const char *name;
	const char *title;
	const struct screen *first;
	const struct screen *const *screens;
	int (*setup)(struct app *app, struct kerr *err);
	void (*teardown)(struct app *app);
	bool watch;                   /* heartbeat and idle printer check */
} role_table[] = {
	/* the resident journey: catalog, messages, queue (in-process unless
	 * kiosk.server is set), printer, card watcher */
	[ROLE_RUN] = { "run", "kiosk", &screen_idle, run_screens,
	    journey_setup, journey_teardown, true },
	/* the lobby board fetches what it shows itself */
	[ROLE_DISPLAY] = { "display", "kiosk display", &screen_board, NULL,
	    NULL, NULL, false },
};

static int
parse(const char *role, int argc, char **argv, struct ui_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (strcmp(a, "--windowed") == 0) {
			o->app.windowed = true;
			continue;
		}
		if (strcmp(a, "--config") == 0)
			dst = &o->config;
		else if (strcmp(a, "--server") == 0)
			dst = &o->server;
		else if (strcmp(a, "--script") == 0)
			dst = &o->app.script;
		else if (strcmp(a, "--screenshots") == 0)
			dst = &o->app.screenshots;
		if (dst == NULL) {
			fprintf(stderr, "kiosk %s: unknown option '%s'\n", role,
			    a);
			goto usage;
		}
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			fprintf(stderr, "kiosk %s: %s needs a value\n", role, a);
			goto usage;
		}
		*dst = argv[++i];
	}
	if (o->app.screenshots != NULL && o->app.script == NULL) {
		fprintf(stderr, "kiosk %s: --screenshots needs --script\n",
		    role);
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: kiosk %s [--config FILE] [--server URL] "
	    "[--windowed] [--script FILE --screenshots DIR]\n", role);
	return 2;
}

/* Load the config, start the app, run the role's first screen until the
 * end. */
static int
run_ui(const struct ui_role_entry *r, int argc, char **argv)
{
	struct ui_opts o;
	struct config *cfg;
	struct app *app;
	struct kerr err;
	struct app_options ao;
	struct kiosk_watch *watch = NULL;
	int status;

	if ((status = parse(r->name, argc, argv, &o)) != 0)
		return status;
	ao = o.app;
	if (config_load(&cfg, o.config, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", r->name, err.msg);
		return 1;
	}
	if (o.server != NULL &&
	    config_set(cfg, "kiosk.server", o.server, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: --server: %s\n", r->name, err.msg);
		config_free(cfg);
		return 2;
	}
	ao.title = r->title;
	ao.screens = r->screens;
	if (app_new(&app, cfg, &ao, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", r->name, err.msg);
		config_free(cfg);
		return err.code == K_EPARSE && ao.script != NULL ? 2 : 1;
	}
	if (r->setup != NULL && r->setup(app, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", r->name, err.msg);
		app_free(app);
		config_free(cfg);
		return 1;
	}
	/* heartbeat and idle printer check (kiosk_watch.h): not in scripted
	 * test runs, whose fake clock and scripted printer they would
	 * disturb */
	if (r->watch && ao.script == NULL) {
		struct journey *j = journey_of(app);
		struct kiosk_watch_opts wo = {
			.qc = j->qc, .kiosk = j->kiosk_id, .popts = &j->popts,
			.heartbeat_s = (int)config_int(cfg, "kiosk.heartbeat_s"),
			.printer_check_s = (int)config_int(cfg,
			    "kiosk.printer_check_s"),
		};
		if (kiosk_watch_start(&watch, &wo, &err) != K_OK)
			klog("warn", "kiosk", "%s", err.msg);
	}
	status = app_run(app, r->first, NULL);
	kiosk_watch_stop(watch);
	if (r->teardown != NULL)
		r->teardown(app);
	app_free(app);
	config_free(cfg);
	return status;
}

int
role_run(int argc, char **argv)
{
	return run_ui(&role_table[ROLE_RUN], argc, argv);
}

int
role_display(int argc, char **argv)
{
	return run_ui(&role_table[ROLE_DISPLAY], argc, argv);
}
