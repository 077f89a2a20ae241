/*
 * test_config.c - the INI file: defaults, overrides, and clear errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/kiosk-cfg-%d.ini", (int)getpid());
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_config_defaults_need_no_file(void **state)
{
	struct config *c = config_defaults();

	(void)state;
	assert_int_equal(config_int(c, "server.port"), 8080);
	assert_string_equal(config_str(c, "printer.uri"), "file:var/tickets");
	assert_true(config_bool(c, "kiosk.fullscreen"));
	assert_true(config_double(c, "kiosk.px_per_mm") > 4.0);
	config_free(c);
}

static void
test_config_file_values_override_defaults(void **state)
{
	struct config *c;
	struct kerr err;
	char *p = write_tmp("# comment\n[server]\nport = 9090\n\n[printer]\n"
	    "uri = tcp:127.0.0.1:9100\nwidth_dots=384\n[kiosk]\nsite_name = \"旭市 出張所\"\n");

	(void)state;
	assert_int_equal(config_load(&c, p, &err), K_OK);
	assert_int_equal(config_int(c, "server.port"), 9090);
	assert_string_equal(config_str(c, "printer.uri"), "tcp:127.0.0.1:9100");
	assert_int_equal(config_int(c, "printer.width_dots"), 384);
	assert_string_equal(config_str(c, "kiosk.site_name"), "旭市 出張所");
	assert_string_equal(config_source(c), p);
	config_free(c);
	unlink(p);
}

struct bad_row { const char *text; const char *needle; };

static void
test_config_bad_files_name_file_line_key_and_reason(void **state)
{
	static const struct bad_row rows[] = {
		{ "[server]\nprot = 80\n", ":2: unknown key 'server.prot'" },
		{ "[server]\nport = eighty\n", "server.port = 'eighty': not a whole number" },
		{ "[server]\nport = 70000\n", "must be from 1 to 65535" },
		{ "[nosuch]\n", ":1: unknown section [nosuch]" },
		{ "port = 1\n", "before any [section]" },
		{ "[server\n", "malformed section header" },
		{ "[kiosk]\nfullscreen = maybe\n", "must be true or false" },
		{ "[printer]\nwidth_dots = 4\n", "must be one of 576|" },
		{ "[printer]\nuri = lpt:1\n", "must be SCHEME:WHERE" },
		{ "[printer]\nwidth_dots = 600\n", "must be one of 576|512|384" },
		{ "[kiosk]\njust words\n", "expected 'key = value'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct config *c = (struct config *)1;
		struct kerr err;
		char *p = write_tmp(rows[i].text);
		assert_int_equal(config_load(&c, p, &err), K_EPARSE);
		assert_null(c);
		if (strstr(err.msg, rows[i].needle) == NULL)
			fail_msg("row %zu: '%s' does not contain '%s'", i, err.msg,
			    rows[i].needle);
		assert_non_null(strstr(err.msg, p));
		unlink(p);
	}
}

static void
test_config_missing_explicit_file_is_an_error(void **state)
{
	struct config *c;
	struct kerr err;

	(void)state;
	assert_int_equal(config_load(&c, "/nonexistent/kiosk.ini", &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/kiosk.ini"));
}

static void
test_config_set_validates_like_the_file(void **state)
{
	struct config *c = config_defaults();
	struct kerr err;

	(void)state;
	assert_int_equal(config_set(c, "kiosk.server", "http://10.0.0.1:8080", &err), K_OK);
	assert_int_equal(config_set(c, "server.port", "0", &err), K_EPARSE);
	assert_int_equal(config_int(c, "server.port"), 8080);
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults_need_no_file),
		cmocka_unit_test(test_config_file_values_override_defaults),
		cmocka_unit_test(test_config_bad_files_name_file_line_key_and_reason),
		cmocka_unit_test(test_config_missing_explicit_file_is_an_error),
		cmocka_unit_test(test_config_set_validates_like_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
