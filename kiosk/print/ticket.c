/*
 * ticket.c - lay a queue ticket out as a 1-bit bitmap.
 *
 * From the top: site name, issue time, procedure (Japanese, then the
 * resident's language), "your number" and the number as large as the paper
 * allows, the counter, people ahead and the estimated wait, the QR code of
 * the phone status page (ECC M, >= 4 dots a module, 4-module quiet zone),
 * and a short notice.  Sizes are in millimetres on paper, so a 180-dpi
 * printer gets the same ticket as a 203-dpi one.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "i18n.h"
#include "qr.h"
#include "ticket.h"
#include "ticket_text.h"
#include "utf8.h"
#include "xmalloc.h"

#define JST_OFFSET (9 * 3600)   /* Japan has no daylight saving time */
#define WORK_ROWS 6000

/*
 * The ticket's words in one language, from the message catalogs
 * (assets/po/<lang>.po, msgids paper.*) the screens use, ruby markup
 * stripped: the ticket prints no furigana.
 */
struct labels {
	char lang[16];
	char number[128];        /* above the big number */
	char counter[128];       /* "%1": the counters */
	char counter_sep[16];    /* between counter numbers */
	char ahead[128];         /* "%1" people */
	char wait[160];          /* "%1" minutes */
	char issued[64];         /* "%1": date and time */
	char appointment[96];    /* "%1": a check-in's slot */
	char notice[512];
	char sample_proc[160];   /* ticket_sample's procedure name */
};

/* The catalogs, loaded once (and again only for another folder); the
 * labels are copied out under the lock. */
static pthread_mutex_t cat_mu = PTHREAD_MUTEX_INITIALIZER;
static struct i18n *cat;
static char cat_dir[512];

/* The po folder of assets (kiosk.assets), or of its default, into buf. */
static const char *
po_dir(const char *assets, char *buf, size_t len)
{
	struct config *c = NULL;

	if (assets == NULL || assets[0] == '\0') {
		c = config_defaults();
		assets = config_str(c, "kiosk.assets");
	}
	snprintf(buf, len, "%s/po", assets);
	config_free(c);
	return buf;
}

/* The labels of lang from the catalogs under assets (NULL: the default
 * folder, or the one loaded last).  K_EINVAL naming the language or the
 * missing message; K_EPARSE / K_ENOTFOUND when the catalogs do not load. */
static int
labels_get(const char *assets, const char *lang, struct labels *out,
    struct kerr *err)
{
	static const struct {
		const char *id;
		size_t off, size;
	} f[] = {
#define F(m) { "paper." #m, offsetof(struct labels, m), \
	sizeof(((struct labels *)0)->m) }
		F(number), F(counter), F(counter_sep), F(ahead), F(wait),
		F(issued), F(notice), F(appointment),
		{ "paper.sample_procedure", offsetof(struct labels, sample_proc),
		  sizeof(((struct labels *)0)->sample_proc) },
#undef F
	};
	char dir[512];
	size_t i;
	int l, rc = K_OK;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&cat_mu);
	if (cat == NULL || (assets != NULL && assets[0] != '\0' &&
	    strcmp(po_dir(assets, dir, sizeof(dir)), cat_dir) != 0)) {
		struct i18n *n;
		po_dir(assets != NULL && assets[0] != '\0' ? assets : NULL,
		    dir, sizeof(dir));
		if ((rc = i18n_load(&n, dir, err)) != K_OK)
			goto out;
		i18n_free(cat);
		cat = n;
		snprintf(cat_dir, sizeof(cat_dir), "%s", dir);
	}
	if ((l = i18n_find(cat, lang)) < 0) {
		rc = kerr_set(err, K_EINVAL, "ticket: language '%s' has no "
		    "catalog in %s", lang, cat_dir);
		goto out;
	}
	snprintf(out->lang, sizeof(out->lang), "%s", lang);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		const char *m = i18n_lookup(cat, (size_t)l, f[i].id);
		if (m == NULL) {
			rc = kerr_set(err, K_EINVAL, "ticket: language '%s' has "
			    "no %s in %s", lang, f[i].id, cat_dir);
			goto out;
		}
		i18n_strip_ruby((char *)out + f[i].off, f[i].size, m);
	}
out:
	pthread_mutex_unlock(&cat_mu);
	return rc;
}

/* tmpl with %1 replaced by arg (i18n_format) into out. */
static void
fmt1(char *out, size_t len, const char *tmpl, const char *arg)
{
	const char *args[1] = { arg };

	i18n_format(out, len, tmpl, args, 1);
}

static void
fmt1_int(char *out, size_t len, const char *tmpl, int v)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", v);
	fmt1(out, len, tmpl, n);
}

int
ticket_defuse_realtime(struct bitmap *bm)
{
	size_t i, n = (size_t)bm->h * bm->stride;
	int cleared = 0;

	for (i = 0; i + 2 < n; i++) {
		uint8_t b = bm->bits[i + 1], c = bm->bits[i + 2];

		if (bm->bits[i] != 0x10)
			continue;
		if ((b == 0x04 && c >= 1 && c <= 4) ||   /* DLE EOT n */
		    (b == 0x05 && c <= 2) ||             /* DLE ENQ n */
		    (b == 0x14 && c >= 1 && c <= 8)) {   /* DLE DC4 fn */
			bm->bits[i] = 0x00;      /* a lone dot: never a QR module */
			cleared++;
		}
	}
	return cleared;
}

void
ticket_set_font_root(const char *root)
{
	tt_set_font_root(root);
}

double
ticket_dots_per_mm(int width_dots)
{
	return width_dots == 512 ? 180.0 / 25.4 : 203.0 / 25.4;
}

static int
check_text(const char *field, const char *s, size_t size, bool required,
    struct kerr *err)
{
	size_t i;

	if (memchr(s, '\0', size) == NULL)
		return kerr_set(err, K_EINVAL,
		    "ticket: %s is not NUL-terminated within %zu bytes", field,
		    size);
	if (required && s[0] == '\0')
		return kerr_set(err, K_EINVAL, "ticket: %s is empty", field);
	if (!utf8_valid(s, strlen(s)))
		return kerr_set(err, K_EINVAL, "ticket: %s is not valid UTF-8",
		    field);
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return kerr_set(err, K_EINVAL,
			    "ticket: %s has a control character at byte %zu",
			    field, i);
	return K_OK;
}

int
ticket_validate(const struct ticket_info *t, struct kerr *err)
{
	size_t i;
	int rc;

	if (t == NULL)
		return kerr_set(err, K_EINVAL, "ticket: no ticket data");
	if ((rc = check_text("site_name", t->site_name, sizeof(t->site_name),
	    false, err)) != K_OK ||
	    (rc = check_text("number", t->number, sizeof(t->number), true,
	    err)) != K_OK ||
	    (rc = check_text("procedure_ja", t->procedure_ja,
	    sizeof(t->procedure_ja), true, err)) != K_OK ||
	    (rc = check_text("procedure_local", t->procedure_local,
	    sizeof(t->procedure_local), false, err)) != K_OK ||
	    (rc = check_text("lang", t->lang, sizeof(t->lang), true,
	    err)) != K_OK ||
	    (rc = check_text("counter", t->counter, sizeof(t->counter), false,
	    err)) != K_OK ||
	    (rc = check_text("url", t->url, sizeof(t->url), true, err)) != K_OK)
		return rc;
	{
		struct labels lo;
		if ((rc = labels_get(NULL, t->lang, &lo, err)) != K_OK)
			return rc;
	}
	if (strlen(t->number) > 8)
		return kerr_set(err, K_EINVAL,
		    "ticket: number '%s' is longer than 8 characters",
		    t->number);
	for (i = 0; t->number[i] != '\0'; i++)
		if ((unsigned char)t->number[i] > 0x7e)
			return kerr_set(err, K_EINVAL,
			    "ticket: number has a non-ASCII byte at %zu", i);
	for (i = 0; t->url[i] != '\0'; i++)
		if ((unsigned char)t->url[i] > 0x7e)
			return kerr_set(err, K_EINVAL,
			    "ticket: url has a non-ASCII byte at %zu (the QR "
			    "payload must be ASCII)", i);
	for (i = 0; t->counter[i] != '\0'; i++)
		if (t->counter[i] != ',' && t->counter[i] != ' ' &&
		    (t->counter[i] < '0' || t->counter[i] > '9'))
			return kerr_set(err, K_EINVAL,
			    "ticket: counter '%s' is not a list of counter "
			    "numbers like \"1,2\"", t->counter);
	if (t->ahead < 0 || t->ahead > 9999)
		return kerr_set(err, K_EINVAL,
		    "ticket: people ahead %d outside 0..9999", t->ahead);
	if (t->wait_min < 0 || t->wait_min > 24 * 60)
		return kerr_set(err, K_EINVAL,
		    "ticket: estimated wait %d min outside 0..1440",
		    t->wait_min);
	if (t->issued_at <= 0)
		return kerr_set(err, K_EINVAL,
		    "ticket: issue time %lld is not set",
		    (long long)t->issued_at);
	if (memchr(t->appt_time, '\0', sizeof(t->appt_time)) == NULL ||
	    (t->appt_time[0] != '\0' && (strlen(t->appt_time) != 5 ||
	    strspn(t->appt_time, "0123456789") != 2 || t->appt_time[2] != ':' ||
	    strspn(t->appt_time + 3, "0123456789") != 2)))
		return kerr_set(err, K_EINVAL,
		    "ticket: appointment time is not HH:MM");
	return K_OK;
}

/* "1,2" -> "1・2" with the language's separator. */
static void
counter_text(const char *in, const char *sep, char *out, size_t size)
{
	size_t n = 0;
	bool need_sep = false;
	const char *p = in;

	out[0] = '\0';
	while (*p != '\0') {
		const char *q;
		int len;

		while (*p == ',' || *p == ' ')
			p++;
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		len = (int)(q - p);
		if (len == 0)
			break;
		n += (size_t)snprintf(out + n, n < size ? size - n : 0,
		    "%s%.*s", need_sep ? sep : "", len, p);
		need_sep = true;
		p = q;
		if (n >= size)
			break;
	}
}

static void
rule(struct bitmap *bm, int x, int w, int *y, int thick, int gap)
{
	*y += gap;
	bitmap_fill(bm, x, *y, w, thick, true);
	*y += thick + gap;
}

/* "a<sep>b" on one line when it fits, else a and b on lines of their own. */
static void
draw_pair(struct tt *tt, struct bitmap *bm, const char *lang,
    enum tt_weight wt, int px, const char *a, const char *sep, const char *b,
    int x, int w, int *y)
{
	char line[640];

	snprintf(line, sizeof(line), "%s%s%s", a, sep, b);
	if (tt_width(tt, lang, wt, px, line) <= w) {
		tt_draw_wrapped(tt, bm, lang, wt, px, line, x, w, y, TT_CENTER,
		    1);
		return;
	}
	tt_draw_wrapped(tt, bm, lang, wt, px, a, x, w, y, TT_CENTER, 2);
	tt_draw_wrapped(tt, bm, lang, wt, px, b, x, w, y, TT_CENTER, 2);
}

/* The manifest named by fonts, or the one kiosk.fonts names by default
 * (./fonts/fonts.conf, else the installed copy): into buf. */
static const char *
manifest_path(const char *fonts, char *buf, size_t len)
{
	struct config *c;

	if (fonts != NULL && fonts[0] != '\0')
		return fonts;
	c = config_defaults();
	snprintf(buf, len, "%s", config_str(c, "kiosk.fonts"));
	config_free(c);
	return buf;
}

int
ticket_render(const struct ticket_info *t, int width_dots,
    struct ticket_layout *out, struct kerr *err)
{
	return ticket_render_with(t, width_dots, NULL, out, err);
}

int
ticket_render_with(const struct ticket_info *t, int width_dots,
    const struct ticket_res *res, struct ticket_layout *out,
    struct kerr *err)
{
	const char *fonts = res != NULL ? res->fonts : NULL;
	char mbuf[512];
	struct labels jal, lol;
	const struct labels *ja = &jal, *lo = &lol;
	struct tt *tt = NULL;
	struct qr q = { 0, NULL };
	struct bitmap *bm = &out->bm;
	char line[512], when[64], ctr[96];
	struct tm tm;
	time_t jst;
	double mm;
	int margin, cw, y, px, wnum, mod, zone, x0, i, j, rc;
	bool bilingual;
	static const char *const wday_ja[] = { "日", "月", "火", "水", "木",
		"金", "土" };

	memset(out, 0, sizeof(*out));
	if (width_dots != 576 && width_dots != 512 && width_dots != 384)
		return kerr_set(err, K_EINVAL,
		    "ticket: paper width %d dots is not 576, 512 or 384",
		    width_dots);
	/* the catalogs of res first: ticket_validate checks the language
	 * against the catalogs loaded */
	if ((rc = labels_get(res != NULL ? res->assets : NULL, "ja", &jal,
	    err)) != K_OK || (rc = ticket_validate(t, err)) != K_OK ||
	    (rc = labels_get(res != NULL ? res->assets : NULL, t->lang, &lol,
	    err)) != K_OK)
		return rc;
	bilingual = strcmp(t->lang, "ja") != 0;
	if ((rc = qr_encode(t->url, &q, err)) != K_OK)
		return rc;
	mm = ticket_dots_per_mm(width_dots);
#define MM(x) ((int)((x) * mm + 0.5))
	margin = MM(2);
	cw = width_dots - 2 * margin;
	/* QR: 0.75 mm modules where they fit, never under 4 dots. */
	mod = MM(0.75);
	while (mod > TICKET_MIN_MODULE &&
	    (q.width + 2 * QR_QUIET_ZONE) * mod > cw)
		mod--;
	if ((q.width + 2 * QR_QUIET_ZONE) * mod > cw) {
		rc = kerr_set(err, K_EINVAL,
		    "ticket: the QR code of a %zu-byte URL needs %d modules, "
		    "too wide for %d dots at %d dots a module", strlen(t->url),
		    q.width + 2 * QR_QUIET_ZONE, width_dots, TICKET_MIN_MODULE);
		qr_free(&q);
		return rc;
	}
	if ((rc = tt_new(&tt, t->lang, manifest_path(fonts, mbuf,
	    sizeof(mbuf)), err)) != K_OK) {
		qr_free(&q);
		return rc;
	}
	if ((rc = bitmap_init(bm, width_dots, WORK_ROWS, err)) != K_OK)
		goto out;

	y = MM(3);
	/* Site name and time of issue. */
	if (t->site_name[0] != '\0')
		tt_draw_wrapped(tt, bm, "ja", TT_BOLD, MM(3.6), t->site_name,
		    margin, cw, &y, TT_CENTER, 2);
	jst = (time_t)t->issued_at + JST_OFFSET;
	gmtime_r(&jst, &tm);
	snprintf(when, sizeof(when), "%04d年%d月%d日(%s) %02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, wday_ja[tm.tm_wday],
	    tm.tm_hour, tm.tm_min);
	fmt1(line, sizeof(line), ja->issued, when);
	tt_draw_wrapped(tt, bm, "ja", TT_REGULAR, MM(3), line, margin, cw, &y,
	    TT_CENTER, 2);
	rule(bm, margin, cw, &y, 2, MM(1.5));
	/* A reprint says so, so that two papers with one number are never
	 * taken for two residents (the time above is the first issue's). */
	if (t->reprint) {
		tt_draw_wrapped(tt, bm, "ja", TT_BOLD, MM(5), "再発行 / REPRINT",
		    margin, cw, &y, TT_CENTER, 1);
		rule(bm, margin, cw, &y, 4, MM(1.5));
	}

	/* Procedure. */
	tt_draw_wrapped(tt, bm, "ja", TT_BOLD, MM(4.2), t->procedure_ja,
	    margin, cw, &y, TT_CENTER, 2);
	if (bilingual && t->procedure_local[0] != '\0' &&
	    strcmp(t->procedure_local, t->procedure_ja) != 0)
		tt_draw_wrapped(tt, bm, t->lang, TT_REGULAR, MM(3.4),
		    t->procedure_local, margin, cw, &y, TT_CENTER, 2);
	/* A check-in: its slot, so the counter sees an appointment. */
	if (t->appt_time[0] != '\0') {
		char ja_line[160], lo_line[160];

		y += MM(1);
		fmt1(ja_line, sizeof(ja_line), ja->appointment, t->appt_time);
		if (bilingual && strcmp(t->lang, "ja-easy") != 0) {
			fmt1(lo_line, sizeof(lo_line), lo->appointment,
			    t->appt_time);
			draw_pair(tt, bm, t->lang, TT_BOLD, MM(4.2), ja_line,
			    " / ", lo_line, margin, cw, &y);
		} else
			tt_draw_wrapped(tt, bm, "ja", TT_BOLD, MM(4.2), ja_line,
			    margin, cw, &y, TT_CENTER, 1);
	}
	y += MM(1.5);

	/* "Your number" and the number, as large as fits (max 24 mm high). */
	if (bilingual)
		snprintf(line, sizeof(line), "%.127s / %.127s", ja->number,
		    lo->number);
	else
		snprintf(line, sizeof(line), "%.127s", ja->number);
	tt_draw_wrapped(tt, bm, bilingual ? t->lang : "ja", TT_REGULAR,
	    MM(3.2), line, margin, cw, &y, TT_CENTER, 2);
	px = MM(24);
	while (px > 8 && (wnum = tt_width(tt, "ja", TT_BOLD, px,
	    t->number)) > cw)
		px = px * cw / wnum < px ? px * cw / wnum : px - 1;
	{
		/* Placed by its ink, not its line box: draw it alone, find
		 * the dots, copy them centred under the label. */
		struct bitmap nb;
		int x0n, x1n, y0n, y1n, xx, yy;

		if ((rc = bitmap_init(&nb, width_dots, px * 2, err)) != K_OK)
			goto out;
		tt_draw_line(tt, &nb, "ja", TT_BOLD, px, 0, px / 4, t->number);
		x0n = nb.w, x1n = -1, y0n = nb.h, y1n = -1;
		for (yy = 0; yy < nb.h; yy++)
			for (xx = 0; xx < nb.w; xx++)
				if (bitmap_get(&nb, xx, yy)) {
					x0n = xx < x0n ? xx : x0n;
					x1n = xx > x1n ? xx : x1n;
					y0n = yy < y0n ? yy : y0n;
					y1n = yy > y1n ? yy : y1n;
				}
		y += MM(1.5);
		if (x1n >= 0) {
			int dx = margin + (cw - (x1n - x0n + 1)) / 2 - x0n;
			int dy = y - y0n;
			for (yy = y0n; yy <= y1n; yy++)
				for (xx = x0n; xx <= x1n; xx++)
					if (bitmap_get(&nb, xx, yy))
						bitmap_set(bm, xx + dx, yy + dy,
						    true);
			y += y1n - y0n + 1;
		}
		bitmap_free(&nb);
		y += MM(2.5);
	}

	/* Counter. */
	if (t->counter[0] != '\0') {
		char ja_line[160], lo_line[160];

		counter_text(t->counter, ja->counter_sep, ctr, sizeof(ctr));
		fmt1(ja_line, sizeof(ja_line), ja->counter, ctr);
		if (bilingual && strcmp(t->lang, "ja-easy") != 0) {
			counter_text(t->counter, lo->counter_sep, ctr,
			    sizeof(ctr));
			fmt1(lo_line, sizeof(lo_line), lo->counter, ctr);
			draw_pair(tt, bm, t->lang, TT_BOLD, MM(5), ja_line,
			    " / ", lo_line, margin, cw, &y);
		} else
			tt_draw_wrapped(tt, bm, "ja", TT_BOLD, MM(5), ja_line,
			    margin, cw, &y, TT_CENTER, 2);
	}
	rule(bm, margin, cw, &y, 2, MM(1.5));

	/* People ahead and the estimated wait. */
	{
		char a[160], b[160];

		fmt1_int(a, sizeof(a), ja->ahead, t->ahead);
		fmt1_int(b, sizeof(b), ja->wait, t->wait_min);
		draw_pair(tt, bm, "ja", TT_REGULAR, MM(3.2), a, "\u3000", b,
		    margin, cw, &y);
		if (bilingual) {
			fmt1_int(a, sizeof(a), lo->ahead, t->ahead);
			fmt1_int(b, sizeof(b), lo->wait, t->wait_min);
			draw_pair(tt, bm, t->lang, TT_REGULAR, MM(3), a, "   ",
			    b, margin, cw, &y);
		}
	}

	/* QR code with its quiet zone: nothing else is drawn in the zone. */
	zone = (q.width + 2 * QR_QUIET_ZONE) * mod;
	out->qr_zone_y = y;
	out->qr_zone_h = zone;
	out->qr_module = mod;
	out->qr_width = q.width;
	x0 = (width_dots - zone) / 2 + QR_QUIET_ZONE * mod;
	out->qr_x = x0;
	out->qr_y = y + QR_QUIET_ZONE * mod;
	for (j = 0; j < q.width; j++)
		for (i = 0; i < q.width; i++)
			if (q.modules[j * q.width + i])
				bitmap_fill(bm, x0 + i * mod,
				    out->qr_y + j * mod, mod, mod, true);
	y += zone;

	/* Notice, and the time again in the resident's language. */
	tt_draw_wrapped(tt, bm, "ja", TT_REGULAR, MM(2.8), ja->notice, margin,
	    cw, &y, TT_LEFT, 4);
	if (bilingual) {
		y += MM(1);
		tt_draw_wrapped(tt, bm, t->lang, TT_REGULAR, MM(2.8),
		    lo->notice, margin, cw, &y, TT_LEFT, 5);
		if (strcmp(t->lang, "ja-easy") != 0) {
			snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min);
			fmt1(line, sizeof(line), lo->issued, when);
			y += MM(1);
			tt_draw_wrapped(tt, bm, t->lang, TT_REGULAR, MM(2.8),
			    line, margin, cw, &y, TT_CENTER, 1);
		}
	}
	y += MM(3);
#undef MM
	if (y > WORK_ROWS)
		y = WORK_ROWS;
	bitmap_set_height(bm, y);
	ticket_defuse_realtime(bm);
	rc = K_OK;
out:
	tt_free(tt);
	qr_free(&q);
	if (rc != K_OK)
		bitmap_free(bm);
	return rc;
}

void
ticket_layout_free(struct ticket_layout *l)
{
	if (l == NULL)
		return;
	bitmap_free(&l->bm);
	memset(l, 0, sizeof(*l));
}

void
ticket_sample(struct ticket_info *t, const char *lang, int64_t at,
    const char *public_url)
{
	struct labels ja, lo;

	memset(t, 0, sizeof(*t));
	if (labels_get(NULL, "ja", &ja, NULL) != K_OK)
		memset(&ja, 0, sizeof(ja));   /* ticket_validate will say why */
	if (lang == NULL || labels_get(NULL, lang, &lo, NULL) != K_OK)
		lo = ja;
	snprintf(t->site_name, sizeof(t->site_name), "旭市役所 市民課");
	snprintf(t->number, sizeof(t->number), "A-023");
	t->service = 'A';
	snprintf(t->procedure_ja, sizeof(t->procedure_ja), "%s",
	    ja.sample_proc);
	if (strcmp(lo.lang, "ja") != 0)
		snprintf(t->procedure_local, sizeof(t->procedure_local), "%s",
		    lo.sample_proc);
	snprintf(t->lang, sizeof(t->lang), "%.7s", lo.lang[0] ? lo.lang : "ja");
	snprintf(t->counter, sizeof(t->counter), "1,2");
	t->issued_at = at;
	t->ahead = 3;
	t->wait_min = 9;
	snprintf(t->url, sizeof(t->url), "%s/t/5f3a9c2e7b1d4086a2c4e6f8091b3d5e",
	    public_url != NULL && public_url[0] != '\0' ? public_url :
	    "http://127.0.0.1:8080");
}

int
ticket_text_break(const char *lang, int px, int width, const char *utf8,
    char *out, size_t outlen, struct kerr *err)
{
	struct tt *tt;
	char mbuf[512];
	int rc, n;

	if ((rc = tt_new(&tt, lang, manifest_path(NULL, mbuf, sizeof(mbuf)),
	    err)) != K_OK)
		return -1;
	n = tt_break(tt, lang, TT_REGULAR, px, utf8, width, 1000, out, outlen);
	tt_free(tt);
	return n;
}
