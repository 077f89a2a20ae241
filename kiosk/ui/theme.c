/*
 * theme.c - colour contrast and the type scale (spec §3, §4); pure.
 */
#include <math.h>

#include "ui_priv.h"

static double
channel(uint8_t v)
{
	double c = v / 255.0;

	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
luminance(struct ui_color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) +
	    0.0722 * channel(c.b);
}

double
ui_contrast(struct ui_color a, struct ui_color b)
{
	double la = luminance(a), lb = luminance(b);

	if (la < lb) {
		double t = la;
		la = lb;
		lb = t;
	}
	return (la + 0.05) / (lb + 0.05);
}

/* R3.1: em px and line height (x100) of each role at normal size. */
static const struct {
	int px, line100;
	bool bold;
} type_scale[UI_TYPE_COUNT] = {
	[UI_TYPE_DISPLAY] = { 64, 140, true },
	[UI_TYPE_H1] = { 48, 140, true },
	[UI_TYPE_H2] = { 40, 150, true },
	[UI_TYPE_BODY] = { 32, 170, false },
	[UI_TYPE_BUTTON] = { 32, 130, true },
	[UI_TYPE_SECONDARY] = { 28, 170, false },
	[UI_TYPE_MIN] = { 26, 170, false },
};

bool
ui_type_bold(enum ui_type t)
{
	return t < UI_TYPE_COUNT && type_scale[t].bold;
}

int
ui_type_px_for(enum ui_type t, bool large)
{
	int px;

	if (t >= UI_TYPE_COUNT)
		t = UI_TYPE_BODY;
	px = type_scale[t].px;
	/* x1.25 puts body at 40 px (R3.2) */
	return large ? (px * 5 + 3) / 4 : px;
}

int
ui_type_line_for(enum ui_type t, bool large)
{
	if (t >= UI_TYPE_COUNT)
		t = UI_TYPE_BODY;
	return (ui_type_px_for(t, large) * type_scale[t].line100 + 50) / 100;
}
