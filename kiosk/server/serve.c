/*
 * serve.c - `kiosk serve [--config FILE]`: the queue server alone, until
 * SIGINT or SIGTERM.
 *
 * Under systemd (kiosk-server.service, Type=notify) it says READY=1 once
 * it listens, and with WatchdogSec= it pings the watchdog from this loop
 * only while the database answers, so a wedged server is restarted.
 * Without NOTIFY_SOCKET (a terminal, the tests) sd_notify does nothing.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

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
	uint64_t wd_us = 0;
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
	klog("info", "server", "serving on %s port %d (%s, database %s, config "
	    "%s)", config_str(cfg, "server.listen"), server_port(srv),
	    config_str(cfg, "server.tls_cert")[0] ? "HTTPS" : "plain HTTP",
	    config_str(cfg, "server.db"), config_source(cfg));
	sd_notifyf(0, "READY=1\nSTATUS=serving on port %d", server_port(srv));
	if (sd_watchdog_enabled(0, &wd_us) <= 0)
		wd_us = 0;
	for (;;) {
		/* half the watchdog interval, or a quiet minute */
		uint64_t wait_us = wd_us ? wd_us / 2 : 60000000u;
		struct timespec ts = { (time_t)(wait_us / 1000000),
		    (long)(wait_us % 1000000) * 1000 };
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			break;
		if (wd_us && server_alive(srv))
			sd_notify(0, "WATCHDOG=1");
	}
	sd_notify(0, "STOPPING=1");
	klog("info", "server", "signal %d: stopping", sig);
	server_stop(srv);
	config_free(cfg);
	return 0;
}
