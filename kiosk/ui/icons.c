/*
 * icons.c - the kiosk's icons drawn from lines, discs and rings, so they
 * scale to any size and need no image files.  Every icon is shown with a
 * text label beside it (R11.2); pictograms of JIS Z 8210 are not redrawn
 * here (R11.1).
 */
#include <math.h>

#include "ui_priv.h"

struct pen {
	struct ui_render *r;
	float x, y, s, t;        /* origin, size of the square, stroke */
	struct ui_color c;
};

/* Coordinates in units of the square: 0..1. */
static void
line(const struct pen *p, float x0, float y0, float x1, float y1)
{
	float ax = p->x + x0 * p->s, ay = p->y + y0 * p->s;
	float bx = p->x + x1 * p->s, by = p->y + y1 * p->s;

	render_line(p->r, ax, ay, bx, by, p->t, p->c);
	/* round joints and caps */
	render_disc(p->r, (int)lroundf(ax), (int)lroundf(ay),
	    (int)lroundf(p->t / 2), p->c);
	render_disc(p->r, (int)lroundf(bx), (int)lroundf(by),
	    (int)lroundf(p->t / 2), p->c);
}

static void
polyline(const struct pen *p, const float *xy, int n)
{
	int i;

	for (i = 0; i + 1 < n; i++)
		line(p, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]);
}

static void
arc(const struct pen *p, float cx, float cy, float rx, float ry, float a0,
    float a1)
{
	int i, n = 20;
	float px = 0, py = 0;

	for (i = 0; i <= n; i++) {
		float a = a0 + (a1 - a0) * (float)i / (float)n;
		float x = cx + rx * cosf(a), y = cy + ry * sinf(a);
		if (i > 0)
			line(p, px, py, x, y);
		px = x;
		py = y;
	}
}

static void
ring(const struct pen *p, float cx, float cy, float rad)
{
	render_ring(p->r, (int)lroundf(p->x + cx * p->s),
	    (int)lroundf(p->y + cy * p->s), (int)lroundf(rad * p->s),
	    (int)lroundf(p->t), p->c);
}

static void
disc(const struct pen *p, float cx, float cy, float rad)
{
	render_disc(p->r, (int)lroundf(p->x + cx * p->s),
	    (int)lroundf(p->y + cy * p->s), (int)lroundf(rad * p->s), p->c);
}

static void
rect(const struct pen *p, float x, float y, float w, float h)
{
	render_fill(p->r, (struct ui_rect){ (int)lroundf(p->x + x * p->s),
	    (int)lroundf(p->y + y * p->s), (int)lroundf(w * p->s),
	    (int)lroundf(h * p->s) }, p->c);
}

static void
frame(const struct pen *p, float x, float y, float w, float h)
{
	render_round_frame(p->r, (struct ui_rect){
	    (int)lroundf(p->x + x * p->s), (int)lroundf(p->y + y * p->s),
	    (int)lroundf(w * p->s), (int)lroundf(h * p->s) },
	    (int)lroundf(p->t * 1.5f), (int)lroundf(p->t), p->c);
}

static void
letter_a(const struct pen *p, float x, float base, float h)
{
	float w = h * 0.8f;

	line(p, x, base, x + w / 2, base - h);
	line(p, x + w / 2, base - h, x + w, base);
	line(p, x + w * 0.22f, base - h * 0.4f, x + w * 0.78f, base - h * 0.4f);
}

void
icon_draw(struct ui *ui, struct ui_rect r, enum ui_icon icon,
    struct ui_color c)
{
	int side = r.w < r.h ? r.w : r.h;
	struct pen p;
	float pi = 3.14159265f;

	if (ui->r == NULL || side <= 0)
		return;
	p.r = ui->r;
	p.s = (float)side;
	p.x = (float)(r.x + (r.w - side) / 2);
	p.y = (float)(r.y + (r.h - side) / 2);
	p.t = p.s / 12 < 3 ? 3 : p.s / 12;
	p.c = c;

	switch (icon) {
	case UI_ICON_NONE:
	case UI_ICON_COUNT:
		break;
	case UI_ICON_GLOBE:
		ring(&p, 0.5f, 0.5f, 0.45f);
		arc(&p, 0.5f, 0.5f, 0.18f, 0.43f, -pi / 2, 3 * pi / 2);
		line(&p, 0.08f, 0.5f, 0.92f, 0.5f);
		line(&p, 0.16f, 0.28f, 0.84f, 0.28f);
		line(&p, 0.16f, 0.72f, 0.84f, 0.72f);
		break;
	case UI_ICON_TEXT_SIZE:
		letter_a(&p, 0.06f, 0.85f, 0.42f);
		letter_a(&p, 0.46f, 0.85f, 0.70f);
		break;
	case UI_ICON_HELP:
		ring(&p, 0.5f, 0.5f, 0.45f);
		arc(&p, 0.5f, 0.38f, 0.14f, 0.13f, pi, 2.3f * pi);
		line(&p, 0.5f, 0.52f, 0.5f, 0.6f);
		disc(&p, 0.5f, 0.74f, 0.05f);
		break;
	case UI_ICON_BACK: {
		static const float xy[] = { 0.5f, 0.2f, 0.2f, 0.5f, 0.5f, 0.8f };
		polyline(&p, xy, 3);
		line(&p, 0.2f, 0.5f, 0.85f, 0.5f);
		break;
	}
	case UI_ICON_NEXT: {
		static const float xy[] = { 0.5f, 0.2f, 0.8f, 0.5f, 0.5f, 0.8f };
		polyline(&p, xy, 3);
		line(&p, 0.15f, 0.5f, 0.8f, 0.5f);
		break;
	}
	case UI_ICON_HOME: {
		static const float xy[] = { 0.1f, 0.5f, 0.5f, 0.12f, 0.9f, 0.5f };
		static const float body[] = { 0.22f, 0.42f, 0.22f, 0.88f, 0.78f,
		    0.88f, 0.78f, 0.42f };
		polyline(&p, xy, 3);
		polyline(&p, body, 4);
		break;
	}
	case UI_ICON_CLOSE:
		line(&p, 0.2f, 0.2f, 0.8f, 0.8f);
		line(&p, 0.8f, 0.2f, 0.2f, 0.8f);
		break;
	case UI_ICON_CHECK: {
		static const float xy[] = { 0.15f, 0.52f, 0.4f, 0.76f, 0.86f,
		    0.26f };
		polyline(&p, xy, 3);
		break;
	}
	case UI_ICON_INFO:
		ring(&p, 0.5f, 0.5f, 0.45f);
		disc(&p, 0.5f, 0.3f, 0.06f);
		line(&p, 0.5f, 0.45f, 0.5f, 0.74f);
		break;
	case UI_ICON_WARNING: {
		static const float xy[] = { 0.5f, 0.1f, 0.92f, 0.86f, 0.08f,
		    0.86f, 0.5f, 0.1f };
		polyline(&p, xy, 4);
		line(&p, 0.5f, 0.38f, 0.5f, 0.6f);
		disc(&p, 0.5f, 0.73f, 0.05f);
		break;
	}
	case UI_ICON_ERROR:
		ring(&p, 0.5f, 0.5f, 0.45f);
		line(&p, 0.5f, 0.25f, 0.5f, 0.56f);
		disc(&p, 0.5f, 0.72f, 0.06f);
		break;
	case UI_ICON_CARD:
		frame(&p, 0.05f, 0.2f, 0.9f, 0.6f);
		rect(&p, 0.14f, 0.32f, 0.22f, 0.3f);
		line(&p, 0.48f, 0.38f, 0.82f, 0.38f);
		line(&p, 0.48f, 0.56f, 0.72f, 0.56f);
		break;
	case UI_ICON_PRINTER:
		frame(&p, 0.25f, 0.08f, 0.5f, 0.3f);
		frame(&p, 0.06f, 0.34f, 0.88f, 0.38f);
		frame(&p, 0.25f, 0.58f, 0.5f, 0.34f);
		line(&p, 0.36f, 0.74f, 0.64f, 0.74f);
		break;
	case UI_ICON_DOCUMENT: {
		static const float xy[] = { 0.62f, 0.06f, 0.18f, 0.06f, 0.18f,
		    0.94f, 0.82f, 0.94f, 0.82f, 0.26f, 0.62f, 0.06f, 0.62f,
		    0.26f, 0.82f, 0.26f };
		polyline(&p, xy, 8);
		line(&p, 0.32f, 0.46f, 0.68f, 0.46f);
		line(&p, 0.32f, 0.62f, 0.68f, 0.62f);
		line(&p, 0.32f, 0.78f, 0.56f, 0.78f);
		break;
	}
	case UI_ICON_PERSON:
		disc(&p, 0.5f, 0.28f, 0.18f);
		arc(&p, 0.5f, 0.92f, 0.32f, 0.36f, pi, 2 * pi);
		line(&p, 0.18f, 0.92f, 0.82f, 0.92f);
		break;
	case UI_ICON_CLOCK:
		ring(&p, 0.5f, 0.5f, 0.45f);
		line(&p, 0.5f, 0.5f, 0.5f, 0.22f);
		line(&p, 0.5f, 0.5f, 0.7f, 0.6f);
		break;
	case UI_ICON_SPEAKER:
		rect(&p, 0.1f, 0.36f, 0.16f, 0.28f);
		render_triangle(p.r, p.x + 0.24f * p.s, p.y + 0.36f * p.s,
		    p.x + 0.5f * p.s, p.y + 0.12f * p.s, p.x + 0.24f * p.s,
		    p.y + 0.64f * p.s, c);
		render_triangle(p.r, p.x + 0.24f * p.s, p.y + 0.64f * p.s,
		    p.x + 0.5f * p.s, p.y + 0.12f * p.s, p.x + 0.5f * p.s,
		    p.y + 0.88f * p.s, c);
		arc(&p, 0.5f, 0.5f, 0.18f, 0.2f, -pi / 3, pi / 3);
		arc(&p, 0.5f, 0.5f, 0.34f, 0.36f, -pi / 3, pi / 3);
		break;
	}
}
