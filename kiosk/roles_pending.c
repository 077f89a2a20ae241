/*
 * roles_pending.c - weak placeholders for roles whose module is still being
 * written; a module's real role_* overrides them at link time.  This file
 * goes away when every role has landed.
 */
#include <stdio.h>

#include "roles.h"

#define PENDING(fn, what)                                                   \
	__attribute__((weak)) int fn(int argc, char **argv)                    \
	{                                                                      \
		(void)argc; (void)argv;                                            \
		fprintf(stderr, "kiosk: the %s role is not in this build yet\n", what); \
		return 70;                                                         \
	}

PENDING(role_run, "run")
PENDING(role_display, "display")
PENDING(role_serve, "serve")
PENDING(role_card, "card")
PENDING(role_print, "print")
PENDING(role_report, "report")
