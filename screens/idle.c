/*
 * idle.c - placeholder start screen: site name, clock, a welcome in large
 * type and one start button.  The resident journey replaces this file.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "screen.h"
#include "ui.h"

enum { BTN_START = 1, BTN_LANG, TIMER_CLOCK = 1 };

static struct {
	char clock[64];
} st;

/* "4月1日(水) 9:00" in Japan time; true when it changed. */
static bool
format_clock(struct app *app)
{
	static const char *const wd[] = { "日", "月", "火", "水", "木", "金",
	    "土" };
	time_t t = (time_t)(app_wall_ms(app) / 1000) + 9 * 3600;
	struct tm tm;
	char buf[64];

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%d月%d日(%s) %d:%02d", tm.tm_mon + 1,
	    tm.tm_mday, wd[tm.tm_wday], tm.tm_hour, tm.tm_min);
	if (strcmp(buf, st.clock) == 0)
		return false;
	snprintf(st.clock, sizeof(st.clock), "%s", buf);
	return true;
}

/* Wake at the next minute, not every second: idle costs nothing. */
static void
arm_clock(struct app *app)
{
	int64_t ms = app_wall_ms(app);

	app_timer_set(app, TIMER_CLOCK, (uint32_t)(60000 - ms % 60000), false);
}

static void
idle_enter(struct app *app, void *arg)
{
	(void)arg;
	st.clock[0] = '\0';
	format_clock(app);
	arm_clock(app);
}

static bool
idle_event(struct app *app, struct ui_event *ev)
{
	switch (ev->type) {
	case UI_TICK:
		arm_clock(app);
		return format_clock(app);
	case UI_TAP:
	case UI_KEY:
		if (ui_clicked(app_ui(app), ev) == BTN_START) {
			app_push(app, &screen_menu, NULL);
			return true;
		}
		return false;
	default:
		return false;
	}
}

static void
idle_draw(struct app *app, struct ui *ui)
{
	struct ui_rect s = ui_screen(ui), area, top, band;
	int m = ui_mm(ui, UI_MM_MARGIN), gap = ui_mm(ui, UI_MM_GAP);
	struct ui_text_style site = { UI_TYPE_H2, UI_ALIGN_LEFT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };
	struct ui_text_style clock = { UI_TYPE_H2, UI_ALIGN_RIGHT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };
	struct ui_text_style title = { UI_TYPE_DISPLAY, UI_ALIGN_CENTER |
	    UI_ALIGN_BOTTOM, UI_COL_TEXT, "ja" };
	struct ui_text_style sub = { UI_TYPE_BODY, UI_ALIGN_CENTER,
	    UI_COL_TEXT2, "ja" };
	struct ui_text_style multi = { UI_TYPE_SECONDARY, UI_ALIGN_CENTER,
	    UI_COL_TEXT2, NULL };

	/* a blue band on top carries the site name and the clock */
	band = ui_cut_top(&s, ui_mm(ui, 28), 0);
	ui_fill(ui, band, UI_COL_PANEL_BLUE);
	top = ui_inset(band, m / 2);
	top.x += m / 2;
	top.w -= m;
	ui_text(ui, top, config_str(app_config(app), "kiosk.site_name"), &site);
	ui_text(ui, top, st.clock, &clock);

	area = ui_inset(s, m);
	struct ui_rect upper = ui_cut_top(&area, area.h * 2 / 5, gap);
	ui_text(ui, upper, "ようこそ", &title);
	struct ui_rect line = ui_cut_top(&area, ui_type_line_px(ui,
	    UI_TYPE_BODY) * 2, gap);
	ui_text(ui, line, "{窓口|まどぐち}の {受付|うけつけ}を します。"
	    "{画面|がめん}に さわって ください。", &sub);
	struct ui_rect btn = ui_cut_top(&area, ui_mm(ui, 30), gap * 2);
	ui_button_ex(ui, BTN_START, ui_center(btn, ui_mm(ui, 120),
	    btn.h), UI_ICON_NEXT, "はじめる", "Start / 开始 / Bắt đầu",
	    UI_PRIMARY, 0);
	ui_text(ui, ui_cut_top(&area, ui_type_line_px(ui,
	    UI_TYPE_SECONDARY) * 2, 0), "English · 中文 · 한국어 · Tiếng Việt · "
	    "Tagalog · Português", &multi);
}

static void
idle_leave(struct app *app)
{
	(void)app;
	memset(&st, 0, sizeof(st));
}

const struct screen screen_idle = {
	.name = "idle",
	.enter = idle_enter,
	.event = idle_event,
	.draw = idle_draw,
	.leave = idle_leave,
};
