/*
 * escpos_decode.c - render recorded ESC/POS bytes back to an image, the
 * way a printer would put dots on paper, for the printer tests.
 *
 * usage: escpos_decode [--width DOTS] [--ticket N] [--out FILE.png]
 *                      [--compare REF.png] FILE.bin
 *
 * Understood: ESC @, ESC a, ESC d, ESC J, LF, GS v 0 (all four scalings),
 * GS ( k (QR model 2: drawn with the kiosk's own encoder, byte mode, at
 * the stored ECC level M), GS ( D / GS ( H (skipped), GS V (every form;
 * ends a ticket), DLE EOT (counted).  Anything else - text included - is
 * an error naming the offset: the kiosk sends raster tickets only, so an
 * unknown byte is a bug.  Feeds move paper but draw nothing, so the image
 * of a ticket is exactly what its layout drew.
 *
 * Prints one summary line per ticket; exit 0, or 1 on a decoding error or
 * when --compare finds a different dot.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "pngio.h"
#include "qr.h"
#include "xmalloc.h"

struct ticket {
	struct bitmap bm;          /* grows as rows are printed */
	int rows;                  /* rows printed so far */
	int bands, qrs, queries, feeds, in_data_queries, dc4;
	char cut[16];
};

static int width = 576;

static void
die(const char *fmt, const char *a, long b)
{
	fprintf(stderr, "escpos_decode: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

static void
ensure_rows(struct ticket *t, int more)
{
	if (t->rows + more > t->bm.h) {
		int h = t->bm.h;
		while (t->rows + more > h)
			h *= 2;
		bitmap_set_height(&t->bm, h);
	}
}

static int
xoffset(int align, int w)
{
	if (w >= width || align == 0)
		return 0;
	return align == 1 ? (width - w) / 2 : width - w;
}

static void
new_ticket(struct ticket *t)
{
	memset(t, 0, sizeof(*t));
	if (bitmap_init(&t->bm, width, 512, NULL) != K_OK)
		die("bad width %s%ld", "", width);
}

static void
summary(int n, const struct ticket *t)
{
	printf("ticket %d: %dx%d dots, %d raster bands, %d native QR, "
	    "%d status queries, %d feeds, cut %s", n, width, t->rows, t->bands,
	    t->qrs, t->queries, t->feeds, t->cut[0] ? t->cut : "none");
	if (t->in_data_queries > 0)
		printf(", %d DLE EOT sequences inside image data",
		    t->in_data_queries);
	if (t->dc4 > 0)
		printf(", %d DLE DC4 sequences inside image data", t->dc4);
	putchar('\n');
}

static int
compare(const struct ticket *t, const char *ref)
{
	struct kerr err;
	uint8_t *rgba;
	int w, h, x, y, diff = 0, fx = -1, fy = -1;

	if (png_read_rgba(ref, &rgba, &w, &h, &err) != K_OK) {
		fprintf(stderr, "escpos_decode: %s\n", err.msg);
		return 1;
	}
	if (w != width || h != t->rows) {
		printf("differ: reference %dx%d, decoded %dx%d\n", w, h, width,
		    t->rows);
		free(rgba);
		return 1;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			bool ref_black = rgba[((size_t)y * w + x) * 4] < 128;
			if (ref_black != bitmap_get(&t->bm, x, y)) {
				if (diff++ == 0)
					fx = x, fy = y;
			}
		}
	free(rgba);
	if (diff > 0) {
		printf("differ: %d dots, first at x=%d y=%d\n", diff, fx, fy);
		return 1;
	}
	printf("identical: %dx%d dots\n", w, h);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *ref = NULL;
	struct ticket cur, chosen;
	uint8_t *d;
	size_t len = 0, cap = 65536, i;
	int want = 1, n = 0, align = 0, a, rc = 0;
	bool have_chosen = false;
	char qr_data[8192];
	int qr_len = -1, qr_module = 3, qr_ecc = 0x30;
	FILE *fp;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--width") == 0 && a + 1 < argc)
			width = atoi(argv[++a]);
		else if (strcmp(argv[a], "--ticket") == 0 && a + 1 < argc)
			want = atoi(argv[++a]);
		else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc)
			out = argv[++a];
		else if (strcmp(argv[a], "--compare") == 0 && a + 1 < argc)
			ref = argv[++a];
		else if (argv[a][0] != '-' && in == NULL)
			in = argv[a];
		else {
			fprintf(stderr, "usage: escpos_decode [--width DOTS] "
			    "[--ticket N] [--out FILE.png] [--compare REF.png] "
			    "FILE.bin\n");
			return 2;
		}
	}
	if (in == NULL || width < 8 || width > BITMAP_MAX_W) {
		fprintf(stderr, "escpos_decode: need a file and a sane width\n");
		return 2;
	}
	if ((fp = fopen(in, "rb")) == NULL) {
		fprintf(stderr, "escpos_decode: %s: %s\n", in, strerror(errno));
		return 1;
	}
	d = xmalloc(cap);
	for (;;) {
		size_t r = fread(d + len, 1, cap - len, fp);
		len += r;
		if (len < cap)
			break;
		cap *= 2;
		d = xrealloc(d, cap);
	}
	fclose(fp);
	new_ticket(&cur);

#define NEED(k) do { if (i + (k) > len) \
	die("%s: truncated command at offset %ld", in, (long)i); } while (0)
	for (i = 0; i < len; ) {
		uint8_t c = d[i];

		if (c == 0x1b) {                         /* ESC */
			NEED(2);
			switch (d[i + 1]) {
			case 0x40:                       /* ESC @ */
				align = 0;
				qr_len = -1;
				i += 2;
				continue;
			case 0x61:                       /* ESC a n */
				NEED(3);
				align = d[i + 2] >= 48 ? d[i + 2] - 48 : d[i + 2];
				if (align > 2)
					die("%s: ESC a %ld out of range", in,
					    d[i + 2]);
				i += 3;
				continue;
			case 0x64:                       /* ESC d n */
			case 0x4a:                       /* ESC J n */
				NEED(3);
				cur.feeds++;
				i += 3;
				continue;
			default:
				die("%s: unknown ESC command at offset %ld", in,
				    (long)i);
			}
		}
		if (c == 0x0a) {
			cur.feeds++;
			i++;
			continue;
		}
		if (c == 0x10) {                         /* DLE */
			NEED(3);
			if (d[i + 1] == 0x04 && d[i + 2] >= 1 && d[i + 2] <= 4) {
				cur.queries++;
				i += 3;
				continue;
			}
			die("%s: DLE command other than DLE EOT at offset %ld",
			    in, (long)i);
		}
		if (c != 0x1d)
			die("%s: byte outside any command (text?) at offset %ld",
			    in, (long)i);
		NEED(2);
		if (d[i + 1] == 0x76) {                  /* GS v 0 */
			int m, xb, rows, sx, sy, x0, r, b, bit, yy;
			size_t k;

			NEED(8);
			if (d[i + 2] != 0x30)
				die("%s: GS v other than GS v 0 at offset %ld",
				    in, (long)i);
			m = d[i + 3] >= 48 ? d[i + 3] - 48 : d[i + 3];
			xb = d[i + 4] | d[i + 5] << 8;
			rows = d[i + 6] | d[i + 7] << 8;
			if (m > 3 || xb == 0 || rows == 0 || rows > 2303)
				die("%s: bad GS v 0 header at offset %ld", in,
				    (long)i);
			k = (size_t)xb * (size_t)rows;
			NEED(8 + k);
			sx = (m & 1) ? 2 : 1;
			sy = (m & 2) ? 2 : 1;
			for (b = 0; (size_t)b + 2 < k; b++) {
				const uint8_t *p = d + i + 8 + b;
				if (p[0] == 0x10 && p[1] == 0x04 && p[2] >= 1 &&
				    p[2] <= 4)
					cur.in_data_queries++;
				if (p[0] == 0x10 && p[1] == 0x14)
					cur.dc4++;
			}
			x0 = xoffset(align, xb * 8 * sx);
			ensure_rows(&cur, rows * sy);
			for (r = 0; r < rows; r++)
				for (b = 0; b < xb; b++)
					for (bit = 0; bit < 8; bit++) {
						int x = x0 + (b * 8 + bit) * sx;
						if (!((d[i + 8 + (size_t)r * xb + b]
						    >> (7 - bit)) & 1))
							continue;
						for (yy = 0; yy < sy; yy++) {
							/* Dots past the print
							 * area are dropped. */
							bitmap_set(&cur.bm, x,
							    cur.rows + r * sy + yy,
							    true);
							if (sx == 2)
								bitmap_set(&cur.bm,
								    x + 1, cur.rows +
								    r * sy + yy, true);
						}
					}
			cur.rows += rows * sy;
			cur.bands++;
			i += 8 + k;
			continue;
		}
		if (d[i + 1] == 0x28) {                  /* GS ( x pL pH */
			uint8_t what;
			size_t p;

			NEED(5);
			what = d[i + 2];
			p = (size_t)d[i + 3] | (size_t)d[i + 4] << 8;
			NEED(5 + p);
			if (what == 0x6b) {              /* GS ( k */
				const uint8_t *q = d + i + 5;
				if (p < 3 || q[0] != 0x31)
					die("%s: GS ( k other than QR at offset "
					    "%ld", in, (long)i);
				switch (q[1]) {
				case 0x41:
					if (p != 4 || q[2] != 0x32)
						die("%s: QR model other than 2 "
						    "at offset %ld", in, (long)i);
					break;
				case 0x43:
					qr_module = q[2];
					if (qr_module < 1 || qr_module > 16)
						die("%s: QR module size out of "
						    "range at offset %ld", in,
						    (long)i);
					break;
				case 0x45:
					qr_ecc = q[2];
					break;
				case 0x50:
					if (p - 3 >= sizeof(qr_data))
						die("%s: QR data too long at "
						    "offset %ld", in, (long)i);
					qr_len = (int)(p - 3);
					memcpy(qr_data, q + 3, p - 3);
					qr_data[qr_len] = '\0';
					break;
				case 0x51: {
					struct qr sym;
					struct kerr err;
					int x0, xx, yy;

					if (qr_len < 0)
						die("%s: QR print without data "
						    "at offset %ld", in, (long)i);
					if (qr_ecc != 0x31)
						die("%s: QR ECC level other "
						    "than M at offset %ld", in,
						    (long)i);
					if (qr_encode(qr_data, &sym, &err) !=
					    K_OK)
						die("%s: QR data not encodable "
						    "at offset %ld", in, (long)i);
					x0 = xoffset(align, sym.width *
					    qr_module);
					ensure_rows(&cur, sym.width * qr_module);
					for (yy = 0; yy < sym.width * qr_module;
					    yy++)
						for (xx = 0; xx < sym.width *
						    qr_module; xx++)
							if (sym.modules[(yy /
							    qr_module) * sym.width +
							    xx / qr_module])
								bitmap_set(&cur.bm,
								    x0 + xx,
								    cur.rows + yy,
								    true);
					cur.rows += sym.width * qr_module;
					cur.qrs++;
					qr_free(&sym);
					break;
				}
				default:
					break;              /* other functions */
				}
			} else if (what != 0x44 && what != 0x48)
				die("%s: GS ( command not understood at offset "
				    "%ld", in, (long)i);
			i += 5 + p;
			continue;
		}
		if (d[i + 1] == 0x56) {                  /* GS V */
			int m;
			size_t k = 3;

			NEED(3);
			m = d[i + 2];
			if (m == 65 || m == 66 || m == 97 || m == 98 ||
			    m == 103 || m == 104)
				k = 4;
			else if (m != 0 && m != 1 && m != 48 && m != 49)
				die("%s: GS V mode not understood at offset %ld",
				    in, (long)i);
			NEED(k);
			snprintf(cur.cut, sizeof(cur.cut), "%s",
			    (m == 1 || m == 49 || m == 66 || m == 98 ||
			    m == 104) ? "partial" : "full");
			i += k;
			summary(++n, &cur);
			if (n == want) {
				chosen = cur;
				have_chosen = true;
			} else
				bitmap_free(&cur.bm);
			new_ticket(&cur);
			continue;
		}
		die("%s: unknown GS command at offset %ld", in, (long)i);
	}
	if (cur.rows > 0 || cur.bands > 0) {
		/* Bytes after the last cut: a ticket that was never cut. */
		summary(++n, &cur);
		if (n == want) {
			chosen = cur;
			have_chosen = true;
		} else
			bitmap_free(&cur.bm);
	} else
		bitmap_free(&cur.bm);
	free(d);
	if (!have_chosen) {
		fprintf(stderr, "escpos_decode: %s holds %d tickets, not %d\n",
		    in, n, want);
		return 1;
	}
	if (chosen.rows == 0) {
		fprintf(stderr, "escpos_decode: ticket %d has no dots\n", want);
		return 1;
	}
	if (out != NULL) {
		struct kerr err;
		if (png_write_mono(out, chosen.bm.bits, width, chosen.rows,
		    chosen.bm.stride, &err) != K_OK) {
			fprintf(stderr, "escpos_decode: %s\n", err.msg);
			return 1;
		}
	}
	if (ref != NULL)
		rc = compare(&chosen, ref);
	bitmap_free(&chosen.bm);
	return rc;
}
