/*
 * test_ui_tofu.c - every message of every catalog, in its own language,
 * through the font chain: fails on any code point no font provides (tofu)
 * and on ruby markup the text layer would show literally (spec §13.6).
 * Paths come from the config defaults (kiosk.assets, kiosk.fonts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"
#include "ui_core.h"

struct fixture {
	struct config *cfg;
	struct text *text;
	struct i18n *po;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kerr err;
	char dir[512];

	f->cfg = config_defaults();
	if (text_open(&f->text, config_str(f->cfg, "kiosk.fonts"), NULL,
	    8u << 20, &err) != K_OK) {
		fprintf(stderr, "fonts: %s\n", err.msg);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/po", config_str(f->cfg, "kiosk.assets"));
	if (i18n_load(&f->po, dir, &err) != K_OK) {
		fprintf(stderr, "catalogs: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	i18n_free(f->po);
	text_close(f->text);
	config_free(f->cfg);
	free(f);
	return 0;
}

static void
test_every_catalog_message_renders_without_tofu(void **state)
{
	struct fixture *f = *state;
	size_t lang, i, checked = 0;
	int bad = 0;

	assert_true(i18n_count(f->po) >= 8);
	for (lang = 0; lang < i18n_count(f->po); lang++) {
		const char *code = i18n_code(f->po, lang);
		size_t n = i18n_msg_count(f->po, lang);

		assert_true(n > 0);
		for (i = 0; i < n; i++) {
			const char *msg = i18n_msg_at(f->po, lang, i);
			struct text_params p = { code, 32, 54, false, 1200,
			    UI_ALIGN_LEFT, 16 };
			struct text_info info;
			uint32_t first = 0;
			int missing;

			if (msg == NULL || msg[0] == '\0')
				continue;
			missing = text_missing(f->text, msg, code, &first);
			text_measure(f->text, msg, &p, &info);
			p.bold = true;   /* buttons use the bold faces */
			struct text_info binfo;
			text_measure(f->text, msg, &p, &binfo);
			if (missing > 0 || info.missing > 0 || binfo.missing > 0) {
				fprintf(stderr, "%s %s: U+%04X has no font (%d "
				    "missing) in \"%s\"\n", code,
				    i18n_msgid_at(f->po, lang, i),
				    (unsigned)(first ? first : info.first_missing ?
				    info.first_missing : binfo.first_missing),
				    missing, msg);
				bad++;
			}
			if (info.ruby_error) {
				fprintf(stderr, "%s %s: malformed ruby markup in "
				    "\"%s\"\n", code,
				    i18n_msgid_at(f->po, lang, i), msg);
				bad++;
			}
			checked++;
		}
	}
	fprintf(stderr, "checked %zu messages in %zu languages\n", checked,
	    i18n_count(f->po));
	assert_int_equal(bad, 0);
	assert_true(checked > 100);
}

static void
test_the_check_itself_catches_a_missing_glyph(void **state)
{
	struct fixture *f = *state;
	uint32_t first;

	/* the same path with a code point no font has must fail */
	assert_int_equal(text_missing(f->text, "受付 \xee\x80\x81", "ja",
	    &first), 1);
	assert_int_equal(first, 0xe001);
	/* BIZ UDPGothic alone fails Vietnamese, Korean and simplified
	 * Chinese: the chain is what makes them pass, not luck */
	assert_int_equal(text_missing(f->text, "Việt 한국 专业", "vi", NULL), 0);
	char path[] = "/tmp/test_ui_tofu.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	struct text *biz;
	struct kerr err;
	fprintf(fp, "font biz regular 0 1.0 /usr/share/fonts/truetype/"
	    "bizud-gothic/BIZUDPGothic-Regular.ttf\nlang ja biz\n");
	fclose(fp);
	assert_int_equal(text_open(&biz, path, NULL, 1u << 20, &err), K_OK);
	assert_true(text_missing(biz, "Việt", "ja", NULL) > 0);
	assert_true(text_missing(biz, "한국", "ja", NULL) > 0);
	assert_true(text_missing(biz, "专业", "ja", NULL) > 0);
	text_close(biz);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_catalog_message_renders_without_tofu),
		cmocka_unit_test(test_the_check_itself_catches_a_missing_glyph),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
