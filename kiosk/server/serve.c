/*
 * serve.c - `kiosk serve [--config FILE]`: the queue server alone, until
 * SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "roles.h"
#include "server.h"

int
role_serve(int argc, char **argv)
{
	const char *path = NULL;
	struct config *cfg;
	struct server *srv;
	struct kerr err;
	sigset_t set;
	int i, sig = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "usage: kiosk serve [--config FILE]\n");
			return 2;
		}
	}
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	/* the HTTP threads inherit this mask: signals come to sigwait only */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (server_start(cfg, &srv, &err) != K_OK) {
		fprintf(stderr, "kiosk: cannot start the queue server: %s\n",
		    err.msg);
		config_free(cfg);
		return 1;
	}
	klog("info", "server", "serving on %s port %d (database %s, config %s)",
	    config_str(cfg, "server.listen"), server_port(srv),
	    config_str(cfg, "server.db"), config_source(cfg));
	sigwait(&set, &sig);
	klog("info", "server", "signal %d: stopping", sig);
	server_stop(srv);
	config_free(cfg);
	return 0;
}
