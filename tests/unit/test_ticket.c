/*
 * test_ticket.c - the ticket layout: validation, widths, the QR block and
 * its quiet zone, margins, and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qr.h"
#include "ticket.h"

#define FIXED_AT 1764300000   /* 2025-11-28 12:20 JST */

static void
test_ticket_sample_is_valid_in_every_language(void **state)
{
	static const char *const langs[] = { "ja", "ja-easy", "en", "zh", "ko",
		"vi", "tl", "pt" };
	struct ticket_info t;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		ticket_sample(&t, langs[i], FIXED_AT, NULL);
		assert_string_equal(t.lang, langs[i]);
		assert_int_equal(ticket_validate(&t, &err), K_OK);
		assert_int_equal(strcmp(langs[i], "ja") == 0,
		    t.procedure_local[0] == '\0');
	}
}

struct bad_row {
	const char *what;
	void (*spoil)(struct ticket_info *t);
	const char *needle;
};

static void spoil_number(struct ticket_info *t) { t->number[0] = '\0'; }
static void spoil_long_number(struct ticket_info *t) { strcpy(t->number, "A-1234567"); }
static void spoil_kanji_number(struct ticket_info *t) { strcpy(t->number, "A-２３"); }
static void spoil_proc(struct ticket_info *t) { t->procedure_ja[0] = '\0'; }
static void spoil_utf8(struct ticket_info *t) { strcpy(t->procedure_local, "caf\xe9"); }
static void spoil_ctrl(struct ticket_info *t) { strcpy(t->site_name, "a\nb"); }
static void spoil_lang(struct ticket_info *t) { strcpy(t->lang, "fr"); }
static void spoil_url(struct ticket_info *t) { strcpy(t->url, "http://旭.jp/t/1"); }
static void spoil_no_url(struct ticket_info *t) { t->url[0] = '\0'; }
static void spoil_counter(struct ticket_info *t) { strcpy(t->counter, "1;DROP"); }
static void spoil_ahead(struct ticket_info *t) { t->ahead = -1; }
static void spoil_wait(struct ticket_info *t) { t->wait_min = 100000; }
static void spoil_time(struct ticket_info *t) { t->issued_at = 0; }
static void spoil_nul(struct ticket_info *t) { memset(t->lang, 'j', sizeof(t->lang)); }
static void spoil_appt(struct ticket_info *t) { strcpy(t->appt_time, "1030"); }
static void spoil_appt_nul(struct ticket_info *t) { memset(t->appt_time, '1', sizeof(t->appt_time)); }

static void
test_ticket_validate_names_the_bad_field(void **state)
{
	static const struct bad_row rows[] = {
		{ "empty number", spoil_number, "number is empty" },
		{ "long number", spoil_long_number, "longer than 8" },
		{ "full-width number", spoil_kanji_number, "non-ASCII" },
		{ "no procedure", spoil_proc, "procedure_ja is empty" },
		{ "latin-1 text", spoil_utf8, "procedure_local is not valid UTF-8" },
		{ "newline", spoil_ctrl, "site_name has a control character" },
		{ "language", spoil_lang, "language 'fr'" },
		{ "non-ASCII URL", spoil_url, "url has a non-ASCII byte" },
		{ "no URL", spoil_no_url, "url is empty" },
		{ "counter", spoil_counter, "counter '1;DROP'" },
		{ "ahead", spoil_ahead, "people ahead -1" },
		{ "wait", spoil_wait, "estimated wait 100000" },
		{ "time", spoil_time, "issue time" },
		{ "unterminated", spoil_nul, "lang is not NUL-terminated" },
		{ "appointment", spoil_appt, "appointment time is not HH:MM" },
		{ "appointment unterminated", spoil_appt_nul,
		  "appointment time is not HH:MM" },
	};
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ticket_sample(&t, "en", FIXED_AT, NULL);
		rows[i].spoil(&t);
		assert_int_equal(ticket_validate(&t, &err), K_EINVAL);
		if (strstr(err.msg, rows[i].needle) == NULL)
			fail_msg("%s: '%s' lacks '%s'", rows[i].what, err.msg,
			    rows[i].needle);
		assert_int_equal(ticket_render(&t, 576, &l, &err), K_EINVAL);
		assert_null(l.bm.bits);
	}
	assert_int_equal(ticket_validate(NULL, &err), K_EINVAL);
}

static void
test_ticket_render_rejects_other_paper_widths(void **state)
{
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	assert_int_equal(ticket_render(&t, 640, &l, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "640"));
}

/* The QR block: symbol dots equal the modules, the quiet zone is white. */
static void
assert_qr_block(const struct ticket_layout *l, const char *url)
{
	struct qr q;
	struct kerr err;
	int zx, zy, zw, x, y;

	assert_int_equal(qr_encode(url, &q, &err), K_OK);
	assert_int_equal(l->qr_width, q.width);
	assert_true(l->qr_module >= TICKET_MIN_MODULE);
	for (y = 0; y < q.width * l->qr_module; y++)
		for (x = 0; x < q.width * l->qr_module; x++)
			assert_int_equal(bitmap_get(&l->bm, l->qr_x + x,
			    l->qr_y + y), q.modules[(y / l->qr_module) *
			    q.width + x / l->qr_module]);
	zw = (q.width + 2 * QR_QUIET_ZONE) * l->qr_module;
	zx = l->qr_x - QR_QUIET_ZONE * l->qr_module;
	zy = l->qr_y - QR_QUIET_ZONE * l->qr_module;
	assert_true(zx >= 0 && zx + zw <= l->bm.w);
	assert_int_equal(zy, l->qr_zone_y);
	assert_int_equal(zw, l->qr_zone_h);
	for (y = zy; y < zy + zw; y++)
		for (x = zx; x < zx + zw; x++) {
			bool in = x >= l->qr_x && y >= l->qr_y &&
			    x < l->qr_x + q.width * l->qr_module &&
			    y < l->qr_y + q.width * l->qr_module;
			if (!in && bitmap_get(&l->bm, x, y))
				fail_msg("ink in the quiet zone at %d,%d", x, y);
		}
	qr_free(&q);
}

static void
test_ticket_render_fits_each_paper_width(void **state)
{
	static const int widths[] = { 576, 512, 384 };
	static const char *const langs[] = { "ja", "en", "vi", "zh", "ko",
		"ja-easy", "tl", "pt" };
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;
	size_t i, k;
	int x, y, margin;

	(void)state;
	for (i = 0; i < 3; i++)
		for (k = 0; k < sizeof(langs) / sizeof(langs[0]); k++) {
			ticket_sample(&t, langs[k], FIXED_AT, NULL);
			assert_int_equal(ticket_render(&t, widths[i], &l, &err),
			    K_OK);
			assert_int_equal(l.bm.w, widths[i]);
			assert_int_equal(l.bm.stride, widths[i] / 8);
			/* Some 8 to 25 cm of paper, never the work area. */
			assert_true(l.bm.h > 60 * ticket_dots_per_mm(widths[i]));
			assert_true(l.bm.h < 250 * ticket_dots_per_mm(widths[i]));
			assert_qr_block(&l, t.url);
			/* Nothing is drawn in the side margins (1.5 mm). */
			margin = (int)(1.5 * ticket_dots_per_mm(widths[i]));
			for (y = 0; y < l.bm.h; y++)
				for (x = 0; x < margin; x++)
					if (bitmap_get(&l.bm, x, y) ||
					    bitmap_get(&l.bm, l.bm.w - 1 - x, y))
						fail_msg("%s at %d: ink in the "
						    "margin at row %d", langs[k],
						    widths[i], y);
			assert_true(bitmap_count(&l.bm) > 10000);
			ticket_layout_free(&l);
		}
}

/* The big number: its ink is the tallest thing on the ticket and at least
 * 10 mm high even on 58 mm paper. */
static void
test_ticket_number_is_large_on_58mm_paper(void **state)
{
	struct ticket_info t;
	struct ticket_layout small, big;
	struct kerr err;
	int y, run = 0, best = 0, x;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	assert_int_equal(ticket_render(&t, 384, &small, &err), K_OK);
	strcpy(t.number, "A-028");     /* the same ticket, one digit changed */
	assert_int_equal(ticket_render(&t, 384, &big, &err), K_OK);
	/* Rows that differ are the number's rows: count the longest run. */
	for (y = 0; y < small.bm.h && y < big.bm.h; y++) {
		bool differ = false;
		for (x = 0; x < 384 && !differ; x++)
			differ = bitmap_get(&small.bm, x, y) !=
			    bitmap_get(&big.bm, x, y);
		run = differ ? run + 1 : 0;
		best = run > best ? run : best;
	}
	print_message("number digit ink: %d rows at 384 dots\n", best);
	assert_true(best >= 9 * 8);
	ticket_layout_free(&small);
	ticket_layout_free(&big);
}

static void
test_ticket_render_is_deterministic(void **state)
{
	struct ticket_info t;
	struct ticket_layout a, b;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "vi", FIXED_AT, NULL);
	assert_int_equal(ticket_render(&t, 576, &a, &err), K_OK);
	assert_int_equal(ticket_render(&t, 576, &b, &err), K_OK);
	assert_int_equal(a.bm.h, b.bm.h);
	assert_memory_equal(a.bm.bits, b.bm.bits, (size_t)a.bm.h * a.bm.stride);
	ticket_layout_free(&a);
	ticket_layout_free(&b);
}

static void
test_ticket_long_names_wrap_instead_of_running_off(void **state)
{
	struct ticket_info t;
	struct ticket_layout shortl, longl;
	struct kerr err;
	int x, y;

	(void)state;

	ticket_sample(&t, "en", FIXED_AT, NULL);
	strcpy(t.procedure_local, "Juminhyo");
	assert_int_equal(ticket_render(&t, 384, &shortl, &err), K_OK);
	snprintf(t.procedure_local, sizeof(t.procedure_local), "%s",
	    "Notification of moving in, moving out or moving within the city "
	    "together with the national health insurance and pension changes "
	    "that go with it, for every member of the household");
	assert_int_equal(ticket_render(&t, 384, &longl, &err), K_OK);
	/* Two lines (the second cut with an ellipsis), not off the edge. */
	assert_true(longl.bm.h > shortl.bm.h);
	assert_true(longl.bm.h < shortl.bm.h + 2 * 4 * 8);
	for (y = 0; y < longl.bm.h; y++)
		for (x = 0; x < 12; x++)
			assert_false(bitmap_get(&longl.bm, x, y) ||
			    bitmap_get(&longl.bm, 383 - x, y));
	ticket_layout_free(&shortl);
	ticket_layout_free(&longl);
}

static void
test_ticket_longest_url_fits_58mm_with_4_dot_modules(void **state)
{
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "ja", FIXED_AT, NULL);
	memset(t.url, 'a', sizeof(t.url) - 1);   /* 255 bytes: version 12 */
	t.url[sizeof(t.url) - 1] = '\0';
	assert_int_equal(ticket_render(&t, 384, &l, &err), K_OK);
	assert_int_equal(l.qr_width, 65);
	assert_int_equal(l.qr_module, TICKET_MIN_MODULE);
	assert_qr_block(&l, t.url);
	ticket_layout_free(&l);
}

static void
test_ticket_missing_font_is_a_clear_error(void **state)
{
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;

	(void)state;
	ticket_sample(&t, "vi", FIXED_AT, NULL);
	ticket_set_font_root("/nonexistent");
	assert_int_equal(ticket_render(&t, 576, &l, &err), K_ENOTFOUND);
	ticket_set_font_root(NULL);
	assert_non_null(strstr(err.msg, "/nonexistent/usr/share/fonts/"));
	assert_non_null(strstr(err.msg, "missing or unreadable"));
	assert_null(l.bm.bits);
	assert_int_equal(ticket_render(&t, 576, &l, &err), K_OK);
	ticket_layout_free(&l);
}

/* Write file src with `from` replaced by `to` into path. */
static void
file_variant(const char *src, const char *path, const char *from,
    const char *to)
{
	static char buf[65536];
	char *at;
	FILE *fp = fopen(src, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	at = strstr(buf, from);
	assert_non_null(at);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	fclose(fp);
}

static void
manifest_variant(const char *path, const char *from, const char *to)
{
	file_variant("fonts/fonts.conf", path, from, to);
}

/* The ticket's fonts are the screen's manifest: its files, its primary
 * font per language. */
static void
test_ticket_fonts_come_from_the_manifest(void **state)
{
	char dir[] = "/tmp/test_ticket.XXXXXX", path[64];
	struct ticket_info t;
	struct ticket_layout a, b;
	struct kerr err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fonts.conf", dir);
	ticket_sample(&t, "vi", FIXED_AT, NULL);
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){ "fonts/fonts.conf",
	    NULL }, &a, &err), K_OK);

	/* Vietnamese drawn in BIZ UDPGothic instead of Noto Sans: other dots */
	manifest_variant(path, "lang vi      noto", "lang vi      biz");
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){ path, NULL },
	    &b, &err), K_OK);
	assert_true(a.bm.h != b.bm.h ||
	    memcmp(a.bm.bits, b.bm.bits, (size_t)a.bm.h * a.bm.stride) != 0);
	ticket_layout_free(&b);

	/* a font file the manifest names is missing: named in the error */
	manifest_variant(path, "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
	    "/nonexistent/NotoSans-Regular.ttf");
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){ path, NULL },
	    &b, &err),
	    K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/NotoSans-Regular.ttf"));

	/* a bad manifest is a parse error naming file and line */
	manifest_variant(path, "lang vi      noto", "lang vi      nofont");
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){ path, NULL },
	    &b, &err),
	    K_EPARSE);
	assert_non_null(strstr(err.msg, "nofont"));

	ticket_layout_free(&a);
	unlink(path);
	rmdir(dir);
}

/* The ticket's words are the catalogs' (assets/po, paper.*). */
static void
test_ticket_words_come_from_the_catalogs(void **state)
{
	char dir[] = "/tmp/test_ticket_po.XXXXXX", po[64], ja[96], en[96];
	struct ticket_info t;
	struct ticket_layout a, b;
	struct kerr err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(po, sizeof(po), "%s/po", dir);
	assert_int_equal(mkdir(po, 0700), 0);
	snprintf(ja, sizeof(ja), "%s/ja.po", po);
	snprintf(en, sizeof(en), "%s/en.po", po);
	file_variant("assets/po/ja.po", ja, "msgid \"lang.name\"",
	    "msgid \"lang.name\"");
	ticket_sample(&t, "en", FIXED_AT, NULL);
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){
	    NULL, "assets" }, &a, &err), K_OK);

	/* another word in en.po: other dots */
	file_variant("assets/po/en.po", en,
	    "msgid \"paper.number\"\nmsgstr \"Your number\"",
	    "msgid \"paper.number\"\nmsgstr \"Your ticket\"");
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){
	    NULL, dir }, &b, &err), K_OK);
	assert_true(a.bm.h != b.bm.h ||
	    memcmp(a.bm.bits, b.bm.bits, (size_t)a.bm.h * a.bm.stride) != 0);
	ticket_layout_free(&b);

	/* a catalog without a ticket word: the error names it (another
	 * folder: a folder's catalogs are read once) */
	unlink(ja);
	unlink(en);
	rmdir(po);
	snprintf(po, sizeof(po), "%s/x", dir);
	assert_int_equal(mkdir(po, 0700), 0);
	snprintf(ja, sizeof(ja), "%s/x/po", dir);
	assert_int_equal(mkdir(ja, 0700), 0);
	snprintf(ja, sizeof(ja), "%s/x/po/ja.po", dir);
	snprintf(en, sizeof(en), "%s/x/po/en.po", dir);
	file_variant("assets/po/ja.po", ja, "msgid \"lang.name\"",
	    "msgid \"lang.name\"");
	file_variant("assets/po/en.po", en, "msgid \"paper.notice\"",
	    "msgid \"paper.notice_gone\"");
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){
	    NULL, po }, &b, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "paper.notice"));
	assert_non_null(strstr(err.msg, "'en'"));

	/* back to the shipped catalogs */
	assert_int_equal(ticket_render_with(&t, 576, &(struct ticket_res){
	    NULL, "assets" }, &b, &err), K_OK);
	assert_int_equal(memcmp(a.bm.bits, b.bm.bits,
	    (size_t)a.bm.h * a.bm.stride), 0);
	ticket_layout_free(&a);
	ticket_layout_free(&b);
	unlink(ja);
	unlink(en);
	snprintf(ja, sizeof(ja), "%s/x/po", dir);
	rmdir(ja);
	rmdir(po);
	rmdir(dir);
}

static void
test_ticket_image_never_holds_a_realtime_command(void **state)
{
	static const uint8_t rows[][3] = {
		{ 0x10, 0x04, 0x01 }, { 0x10, 0x04, 0x04 }, { 0x10, 0x05, 0x02 },
		{ 0x10, 0x14, 0x02 },
	};
	static const uint8_t harmless[][3] = {
		{ 0x10, 0x04, 0x05 }, { 0x10, 0x05, 0x03 }, { 0x11, 0x04, 0x01 },
		{ 0x10, 0x14, 0x09 },
	};
	struct bitmap bm;
	size_t i;

	(void)state;
	assert_int_equal(bitmap_init(&bm, 24, 1, NULL), K_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(bm.bits, rows[i], 3);
		assert_int_equal(ticket_defuse_realtime(&bm), 1);
		assert_int_equal(bm.bits[0], 0x00);
		assert_memory_equal(bm.bits + 1, rows[i] + 1, 2);
	}
	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++) {
		memcpy(bm.bits, harmless[i], 3);
		assert_int_equal(ticket_defuse_realtime(&bm), 0);
		assert_memory_equal(bm.bits, harmless[i], 3);
	}
	bitmap_free(&bm);
}

static void
test_ticket_layouts_in_every_language_hold_no_dle_sequence(void **state)
{
	static const char *const langs[] = { "ja", "ja-easy", "en", "zh", "ko",
		"vi", "tl", "pt" };
	static const int widths[] = { 576, 512, 384 };
	struct ticket_info t;
	struct ticket_layout l;
	struct kerr err;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		for (k = 0; k < 3; k++) {
			ticket_sample(&t, langs[i], FIXED_AT, NULL);
			assert_int_equal(ticket_render(&t, widths[k], &l, &err),
			    K_OK);
			assert_int_equal(ticket_defuse_realtime(&l.bm), 0);
			ticket_layout_free(&l);
		}
}

/* A check-in's ticket has its slot under the procedure: a band of rows
 * more, the same rows above it, other dots for another time. */
static void
test_ticket_shows_the_appointment(void **state)
{
	static const char *const langs[] = { "ja", "ja-easy", "en", "zh", "ko",
		"vi", "tl", "pt" };
	struct ticket_info t;
	struct ticket_layout walk, appt, other;
	struct kerr err;
	size_t i;
	int y;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		ticket_sample(&t, langs[i], FIXED_AT, NULL);
		assert_int_equal(ticket_render(&t, 576, &walk, &err), K_OK);
		snprintf(t.appt_time, sizeof(t.appt_time), "10:30");
		assert_int_equal(ticket_render(&t, 576, &appt, &err), K_OK);
		snprintf(t.appt_time, sizeof(t.appt_time), "11:45");
		assert_int_equal(ticket_render(&t, 576, &other, &err), K_OK);
		if (appt.bm.h <= walk.bm.h)
			fail_msg("%s: the appointment adds no line (%d <= %d rows)",
			    langs[i], appt.bm.h, walk.bm.h);
		assert_int_equal(appt.bm.h, other.bm.h);
		assert_int_not_equal(memcmp(appt.bm.bits, other.bm.bits,
		    (size_t)appt.bm.h * appt.bm.stride), 0);
		/* the head (site, time, procedure) is the walk-in's */
		for (y = 0; y < walk.bm.h && memcmp(walk.bm.bits + (size_t)y *
		    walk.bm.stride, appt.bm.bits + (size_t)y * appt.bm.stride,
		    (size_t)walk.bm.stride) == 0; y++)
			;
		if (y < 100)
			fail_msg("%s: the ticket differs from row %d on", langs[i],
			    y);
		ticket_layout_free(&walk);
		ticket_layout_free(&appt);
		ticket_layout_free(&other);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticket_sample_is_valid_in_every_language),
		cmocka_unit_test(test_ticket_shows_the_appointment),
		cmocka_unit_test(test_ticket_validate_names_the_bad_field),
		cmocka_unit_test(test_ticket_render_rejects_other_paper_widths),
		cmocka_unit_test(test_ticket_render_fits_each_paper_width),
		cmocka_unit_test(test_ticket_number_is_large_on_58mm_paper),
		cmocka_unit_test(test_ticket_render_is_deterministic),
		cmocka_unit_test(test_ticket_long_names_wrap_instead_of_running_off),
		cmocka_unit_test(test_ticket_longest_url_fits_58mm_with_4_dot_modules),
		cmocka_unit_test(test_ticket_missing_font_is_a_clear_error),
		cmocka_unit_test(test_ticket_fonts_come_from_the_manifest),
		cmocka_unit_test(test_ticket_words_come_from_the_catalogs),
		cmocka_unit_test(test_ticket_image_never_holds_a_realtime_command),
		cmocka_unit_test(test_ticket_layouts_in_every_language_hold_no_dle_sequence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
