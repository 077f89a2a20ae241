/*
 * chart.c - the report's charts with cairo and Pango: SVG for the web
 * pages, PNG and PDF for reports, from one drawing routine.
 *
 * Text is laid out by Pango in the fonts of the kiosk's font manifest
 * (kiosk.fonts): its files are handed to fontconfig and its families, the
 * Japanese one (BIZ UDPGothic) first, become Pango's family list.  Titles and axes are Japanese with
 * English.  Series differ in grey level and in pattern (solid, hatched,
 * dotted outline) so a chart printed in grey still reads; every bar carries
 * its value and the ticket count, so nothing depends on colour alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "evidence_int.h"
#include "fontchain.h"
#include "xmalloc.h"

/* Pango family list: the manifest's families in its fallback order, by the
 * names fontconfig gives their files (ev_chart_fonts()); until then the
 * kiosk's primary face by name. */
static char font_list[512] = "BIZ UDPGothic";
#define FONT font_list

/* fontconfig's family name of a font file (the first one it lists). */
static bool
file_family(FcConfig *fc, const char *path, int face, char *out, size_t n)
{
	FcPattern *p = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	FcFontSet *fs;
	FcChar8 *fam;
	bool found = false;

	FcPatternAddString(p, FC_FILE, (const FcChar8 *)path);
	FcPatternAddInteger(p, FC_INDEX, face);
	fs = FcFontList(fc, p, os);
	if (fs && fs->nfont > 0 && FcPatternGetString(fs->fonts[0], FC_FAMILY, 0,
	    &fam) == FcResultMatch) {
		snprintf(out, n, "%s", (const char *)fam);
		found = true;
	}
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(p);
	return found;
}

int
ev_chart_fonts(const char *manifest, struct kerr *err)
{
	struct font_manifest m;
	FcConfig *fc = FcConfigGetCurrent();
	char list[sizeof(font_list)] = "", fam[128];
	size_t off = 0;
	int f, e, rc;

	memset(&m, 0, sizeof(m));
	if ((rc = font_manifest_parse(&m, manifest, err)) != K_OK)
		return rc;
	for (e = 0; e < m.nfonts; e++)
		if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)m.fonts[e].path)) {
			rc = kerr_set(err, K_ENOTFOUND, "%s: font %s cannot be "
			    "loaded", manifest, m.fonts[e].path);
			font_manifest_release(&m);
			return rc;
		}
	/* the language "ja" first, then the fallback order */
	for (f = -1; f < m.nfamilies; f++) {
		int fi = f < 0 ? font_manifest_family(&m, "ja") : f;
		e = font_manifest_entry(&m, fi, false);
		if (f == font_manifest_family(&m, "ja") || e < 0 ||
		    !file_family(fc, m.fonts[e].path, m.fonts[e].face, fam,
		    sizeof(fam)) || strstr(list, fam))
			continue;
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    off ? "," : "", fam);
		if (off >= sizeof(list))
			break;
	}
	font_manifest_release(&m);
	if (list[0] && off < sizeof(list))
		memcpy(font_list, list, sizeof(font_list));
	klog("debug", "report", "chart fonts: %s", font_list);
	return K_OK;
}
#define INK 0.10                 /* text grey */

/* Fill of series i: grey level; i odd adds hatching. */
static const struct { double r, g, b; } fills[EV_CHART_SERIES] = {
	{ 0.12, 0.35, 0.60 },        /* dark blue: luminance ~0.31 */
	{ 0.93, 0.60, 0.20 },        /* orange: ~0.66 */
	{ 0.45, 0.45, 0.45 },        /* grey: 0.45 */
	{ 0.80, 0.85, 0.90 },        /* pale: ~0.84 */
};

static void
text_at(cairo_t *cr, double x, double y, const char *s, double size,
    bool bold, double align, double width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	int w, h;

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_text(l, s, -1);
	pango_layout_get_pixel_size(l, &w, &h);
	if (width > 0 && w > width)
		w = (int)width;
	cairo_move_to(cr, x - align * w, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void
grey(cairo_t *cr, double v)
{
	cairo_set_source_rgb(cr, v, v, v);
}

/* The fill of a series, with diagonal hatching for odd ones. */
static void
series_fill(cairo_t *cr, int i, double x, double y, double w, double h)
{
	cairo_set_source_rgb(cr, fills[i].r, fills[i].g, fills[i].b);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill_preserve(cr);
	if (i % 2 == 1) {
		double k;
		cairo_save(cr);
		cairo_clip_preserve(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		cairo_set_line_width(cr, 1.2);
		for (k = -h; k < w; k += 7) {
			cairo_move_to(cr, x + k, y + h);
			cairo_line_to(cr, x + k + h, y);
		}
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_set_line_width(cr, 1);
	cairo_stroke(cr);
}

/* A tidy top of scale: 1, 2, 5 x 10^k above max. */
static double
nice_top(double max, double *step)
{
	double p, m;

	if (max <= 0)
		max = 1;
	p = pow(10, floor(log10(max)));
	m = max / p;
	*step = m <= 2 ? 0.5 * p : m <= 5 ? p : 2 * p;
	return ceil(max / *step) * *step;
}

static void
header(cairo_t *cr, double w, const char *title, const char *sub)
{
	grey(cr, 1);
	cairo_paint(cr);
	grey(cr, INK);
	text_at(cr, 24, 14, title, 22, true, 0, w - 48);
	if (sub) {
		grey(cr, 0.3);
		text_at(cr, 24, 46, sub, 14, false, 0, w - 48);
	}
}

static void
draw_bars(cairo_t *cr, const struct ev_bars *b, double W, double H)
{
	double max = 0, step, top, x0, y0, pw, ph, slot, bw;
	char lab[64];
	int i, k;

	header(cr, W, b->title, b->subtitle);
	for (k = 0; k < b->nseries; k++)
		for (i = 0; i < b->ncat; i++)
			if (b->s[k].v[i] > max)
				max = b->s[k].v[i];
	top = nice_top(max, &step);
	/* legend */
	for (k = 0; k < b->nseries && b->nseries > 1; k++) {
		double lx = 24 + k * 230;
		series_fill(cr, k, lx, 74, 18, 14);
		grey(cr, INK);
		text_at(cr, lx + 24, 71, b->s[k].name, 13, false, 0, 200);
	}
	if (!b->horizontal) {
		x0 = 80;
		y0 = 100;
		pw = W - x0 - 24;
		ph = H - y0 - 90;
		/* grid and value axis */
		cairo_set_line_width(cr, 1);
		for (double v = 0; v <= top + 1e-9; v += step) {
			double y = y0 + ph - v / top * ph;
			grey(cr, v == 0 ? 0.2 : 0.85);
			cairo_move_to(cr, x0, y);
			cairo_line_to(cr, x0 + pw, y);
			cairo_stroke(cr);
			grey(cr, 0.25);
			snprintf(lab, sizeof(lab), "%g", v);
			text_at(cr, x0 - 8, y - 8, lab, 12, false, 1, 0);
		}
		cairo_save(cr);
		cairo_translate(cr, 18, y0 + ph / 2);
		cairo_rotate(cr, -M_PI / 2);
		grey(cr, INK);
		text_at(cr, 0, -4, b->axis, 13, false, 0.5, 0);
		cairo_restore(cr);
		slot = pw / (b->ncat > 0 ? b->ncat : 1);
		bw = slot * 0.8 / (b->nseries > 0 ? b->nseries : 1);
		for (i = 0; i < b->ncat; i++) {
			double sx = x0 + i * slot + slot * 0.1;
			for (k = 0; k < b->nseries; k++) {
				double v = b->s[k].v[i], h;
				if (v < 0)
					continue;
				h = v / top * ph;
				series_fill(cr, k, sx + k * bw, y0 + ph - h, bw - 1,
				    h);
				if (bw >= 18) {
					grey(cr, INK);
					snprintf(lab, sizeof(lab), "%.1f", v);
					text_at(cr, sx + k * bw + bw / 2,
					    y0 + ph - h - 16, lab, 10, false, 0.5,
					    0);
				}
			}
			grey(cr, INK);
			text_at(cr, x0 + i * slot + slot / 2, y0 + ph + 6, b->cat[i],
			    13, false, 0.5, slot);
			if (b->n) {
				grey(cr, 0.35);
				snprintf(lab, sizeof(lab), "n=%d", b->n[i]);
				text_at(cr, x0 + i * slot + slot / 2, y0 + ph + 26,
				    lab, 10, false, 0.5, slot);
			}
		}
	} else {
		double lw = 300, rw = 150;
		x0 = 24 + lw;
		y0 = 100;
		pw = W - x0 - rw;
		ph = H - y0 - 70;
		slot = ph / (b->ncat > 0 ? b->ncat : 1);
		bw = slot * 0.8 / (b->nseries > 0 ? b->nseries : 1);
		for (double v = 0; v <= top + 1e-9; v += step) {
			double x = x0 + v / top * pw;
			grey(cr, v == 0 ? 0.2 : 0.85);
			cairo_move_to(cr, x, y0);
			cairo_line_to(cr, x, y0 + ph);
			cairo_stroke(cr);
			grey(cr, 0.25);
			snprintf(lab, sizeof(lab), "%g", v);
			text_at(cr, x, y0 + ph + 4, lab, 12, false, 0.5, 0);
		}
		grey(cr, INK);
		text_at(cr, x0 + pw / 2, y0 + ph + 24, b->axis, 13, false, 0.5, 0);
		for (i = 0; i < b->ncat; i++) {
			double sy = y0 + i * slot + slot * 0.1;
			grey(cr, INK);
			text_at(cr, x0 - 8, y0 + i * slot + slot / 2 - 9, b->cat[i],
			    13, false, 1, lw - 8);
			for (k = 0; k < b->nseries; k++) {
				double v = b->s[k].v[i], w;
				if (v < 0)
					continue;
				w = v / top * pw;
				series_fill(cr, k, x0, sy + k * bw, w, bw - 1);
			}
			grey(cr, 0.25);
			if (b->s[0].v[i] >= 0)
				snprintf(lab, sizeof(lab), "%.1f  (n=%d)",
				    b->s[0].v[i], b->n ? b->n[i] : 0);
			else
				snprintf(lab, sizeof(lab), "―  (n=%d)",
				    b->n ? b->n[i] : 0);
			text_at(cr, x0 + pw + 8, y0 + i * slot + slot / 2 - 8, lab,
			    12, false, 0, rw - 10);
		}
	}
	if (b->note) {
		grey(cr, 0.35);
		text_at(cr, 24, H - 26, b->note, 11, false, 0, W - 48);
	}
}

static void
draw_heat(cairo_t *cr, const struct ev_heat *h, double W, double H)
{
	double x0 = 90, y0 = 110, cw, ch, pw, ph;
	char lab[32];
	int r, c;

	header(cr, W, h->title, h->subtitle);
	pw = W - x0 - 24;
	ph = H - y0 - 90;
	cw = pw / (h->ncols > 0 ? h->ncols : 1);
	ch = ph / (h->nrows > 0 ? h->nrows : 1);
	for (c = 0; c < h->ncols; c++) {
		grey(cr, INK);
		text_at(cr, x0 + c * cw + cw / 2, y0 - 24, h->cols[c], 13, false,
		    0.5, cw);
	}
	for (r = 0; r < h->nrows; r++) {
		grey(cr, INK);
		text_at(cr, x0 - 10, y0 + r * ch + ch / 2 - 9, h->rows[r], 14,
		    false, 1, x0 - 14);
		for (c = 0; c < h->ncols; c++) {
			double v = h->v[r * h->ncols + c];
			double x = x0 + c * cw, y = y0 + r * ch;
			if (v < 0) {
				/* closed or no data: light hatching */
				grey(cr, 0.97);
				cairo_rectangle(cr, x, y, cw, ch);
				cairo_fill(cr);
			} else {
				/* white (0) to dark (vmax): grey-safe ramp */
				double f = h->vmax > 0 ? v / h->vmax : 0;
				if (f > 1)
					f = 1;
				cairo_set_source_rgb(cr, 1 - 0.85 * f,
				    1 - 0.70 * f, 1 - 0.45 * f);
				cairo_rectangle(cr, x, y, cw, ch);
				cairo_fill(cr);
				grey(cr, f > 0.55 ? 1 : INK);
				snprintf(lab, sizeof(lab), "%g%s", v,
				    h->mark_above > 0 && v > h->mark_above ? " ▲" :
				    "");
				text_at(cr, x + cw / 2, y + ch / 2 - 10, lab, 15,
				    true, 0.5, 0);
				if (h->mark_above > 0 && v > h->mark_above) {
					/* more than configured: a heavy frame,
					 * visible in grey print too */
					grey(cr, 0);
					cairo_set_line_width(cr, 4);
					cairo_rectangle(cr, x + 3, y + 3, cw - 6,
					    ch - 6);
					cairo_stroke(cr);
				}
			}
			grey(cr, 0.6);
			cairo_set_line_width(cr, 1);
			cairo_rectangle(cr, x, y, cw, ch);
			cairo_stroke(cr);
		}
	}
	grey(cr, 0.3);
	if (h->legend)
		text_at(cr, 24, H - 62, h->legend, 13, false, 0, W - 48);
	if (h->note)
		text_at(cr, 24, H - 36, h->note, 11, false, 0, W - 48);
}

typedef void (*draw_fn)(cairo_t *cr, const void *what, double w, double h);

static void
bars_cb(cairo_t *cr, const void *what, double w, double h)
{
	draw_bars(cr, what, w, h);
}

static void
heat_cb(cairo_t *cr, const void *what, double w, double h)
{
	draw_heat(cr, what, w, h);
}

static int
render(draw_fn fn, const void *what, double w, double h, const char *path,
    unsigned fmt, struct kerr *err)
{
	static const struct { unsigned f; const char *ext; } kinds[] = {
		{ EV_SVG, "svg" }, { EV_PNG, "png" }, { EV_PDF, "pdf" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		cairo_surface_t *sf;
		cairo_status_t cs;
		cairo_t *cr;
		char *file;

		if (!(fmt & kinds[i].f))
			continue;
		file = xasprintf("%s.%s", path, kinds[i].ext);
		if (kinds[i].f == EV_SVG)
			sf = cairo_svg_surface_create(file, w, h);
		else if (kinds[i].f == EV_PDF)
			/* A4 landscape is 842 x 595 pt: scale to fit */
			sf = cairo_pdf_surface_create(file, w * 0.75, h * 0.75);
		else
			sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
			    (int)w, (int)h);
		cr = cairo_create(sf);
		if (kinds[i].f == EV_PDF)
			cairo_scale(cr, 0.75, 0.75);
		fn(cr, what, w, h);
		cairo_destroy(cr);
		if (kinds[i].f == EV_PNG)
			cs = cairo_surface_write_to_png(sf, file);
		else
			cs = CAIRO_STATUS_SUCCESS;
		cairo_surface_finish(sf);
		if (cs == CAIRO_STATUS_SUCCESS)
			cs = cairo_surface_status(sf);
		cairo_surface_destroy(sf);
		if (cs != CAIRO_STATUS_SUCCESS) {
			int rc = kerr_set(err, K_EIO, "%s: %s", file,
			    cairo_status_to_string(cs));
			free(file);
			return rc;
		}
		free(file);
	}
	return K_OK;
}

int
ev_chart_bars(const struct ev_bars *b, const char *path, unsigned fmt,
    struct kerr *err)
{
	double h = b->horizontal ? 140 + 34.0 * (b->ncat + 1) * (b->nseries > 1 ?
	    1.6 : 1) : 560;

	return render(bars_cb, b, 1100, h < 300 ? 300 : h, path, fmt, err);
}

int
ev_chart_heat(const struct ev_heat *h, const char *path, unsigned fmt,
    struct kerr *err)
{
	return render(heat_cb, h, 1100, 200 + 52.0 * h->nrows, path, fmt, err);
}
