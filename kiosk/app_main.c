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
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "journey.h"
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

/* Set by the module that provides the lobby board screen. */
extern const struct screen screen_board __attribute__((weak));

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

/* Load the config, start the app, run `first` until the end. */
static int
run_ui(const char *role, const struct ui_opts *o, const struct screen *first)
{
	struct config *cfg;
	struct app *app;
	struct kerr err;
	struct app_options ao = o->app;
	int status;

	if (config_load(&cfg, o->config, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", role, err.msg);
		return 1;
	}
	if (o->server != NULL &&
	    config_set(cfg, "kiosk.server", o->server, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: --server: %s\n", role, err.msg);
		config_free(cfg);
		return 2;
	}
	ao.title = strcmp(role, "display") == 0 ? "kiosk display" : "kiosk";
	if (first == &screen_idle)
		ao.screens = run_screens;
	if (app_new(&app, cfg, &ao, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", role, err.msg);
		config_free(cfg);
		return err.code == K_EPARSE && ao.script != NULL ? 2 : 1;
	}
	/* the resident journey: catalog, messages, queue (in-process unless
	 * kiosk.server is set), printer, card watcher */
	if (first == &screen_idle && journey_setup(app, &err) != K_OK) {
		fprintf(stderr, "kiosk %s: %s\n", role, err.msg);
		app_free(app);
		config_free(cfg);
		return 1;
	}
	status = app_run(app, first, NULL);
	if (first == &screen_idle)
		journey_teardown(app);
	app_free(app);
	config_free(cfg);
	return status;
}

int
role_run(int argc, char **argv)
{
	struct ui_opts o;
	int rc;

	if ((rc = parse("run", argc, argv, &o)) != 0)
		return rc;
	return run_ui("run", &o, &screen_idle);
}

int
role_display(int argc, char **argv)
{
	struct ui_opts o;
	int rc;

	if ((rc = parse("display", argc, argv, &o)) != 0)
		return rc;
	if (&screen_board == NULL) {
		fprintf(stderr, "kiosk display: the lobby board screen is not "
		    "in this build yet\n");
		return 70;
	}
	return run_ui("display", &o, &screen_board);
}
