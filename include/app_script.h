/*
 * app_script.h - the UI test script (`--script FILE`), parsed into commands
 * before the run starts so that a syntax error costs no SDL start-up.  The
 * commands are listed in app.h; kiosk/app_script.c has one table row per
 * command (grammar, parse, execute) and runs them.
 */
#ifndef APP_SCRIPT_H
#define APP_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "kerr.h"

enum script_op {
	SC_TAP_XY, SC_TAP_LABEL, SC_PRESS, SC_RELEASE, SC_WAIT, SC_KEY,
	SC_EXPECT, SC_EXPECT_NOT, SC_EXPECT_SCREEN, SC_AUDIT, SC_SHOT,
	SC_SIZE, SC_LANG, SC_LARGE, SC_NOTIFY, SC_CLOCK, SC_QUIT,
	SC_PUSH, SC_RESET, SC_REDRAW, SC_WAIT_SCREEN, SC_HOLD,
	SC_SAID, SC_NOT_SAID, SC_TYPE,
};

struct script_cmd {
	enum script_op op;
	int line;
	int a, b;            /* x y | w h | key | notify code | large 0/1 */
	int64_t ms;          /* wait; clock: ms since 1970 */
	char *str;           /* label, text, screen, shot name, language */
};

struct script {
	char *path;
	struct script_cmd *v;
	size_t n;
};

/* Parse a script file; K_EPARSE names path:line and what is wrong. */
int script_load(struct script *s, const char *path, struct kerr *err);
/* Parse from memory (tests); name is used in messages. */
int script_parse(struct script *s, const char *name, const char *text,
    struct kerr *err);
void script_free(struct script *s);

#endif
