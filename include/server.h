/*
 * server.h - the queue server: store + API + HTTP, started from a config.
 * `kiosk serve` runs it alone; `kiosk run` hosts it in-process unless
 * --server URL points elsewhere.
 *
 * Start-up refuses (K_EINVAL, with a message saying why) to listen beyond
 * loopback unless server.token_kiosk, token_staff and token_display are
 * all set.  The HTTP threads are the server's own; server_stop() drains
 * them and closes the store.
 */
#ifndef SERVER_H
#define SERVER_H

#include <stdbool.h>

#include "kerr.h"

struct config;
struct server;

int  server_start(const struct config *cfg, struct server **out,
    struct kerr *err);
void server_stop(struct server *srv);

/* The database answers a read (the watchdog ping's condition). */
bool server_alive(struct server *srv);

/* The port actually listened on. */
int  server_port(const struct server *srv);

#endif
