/*
 * menu.c - placeholder procedure menu: the services of server.services as
 * large choices in the common frame.  The resident journey replaces this
 * file.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "screen.h"
#include "ui.h"

enum { BTN_BACK = 1, BTN_END, BTN_NEXT, BTN_LANG, BTN_LARGE, BTN_HELP,
    BTN_CHOICE = 100 };

#define MAX_SERVICES 8

static struct {
	char names[MAX_SERVICES][96];
	const char *labels[MAX_SERVICES];
	size_t n;
	int selected;
} st;

/* "A:住民票・証明書:1,2;B:..." -> "A  住民票・証明書" */
static void
load_services(struct app *app)
{
	const char *p = config_str(app_config(app), "server.services");

	st.n = 0;
	while (*p != '\0' && st.n < MAX_SERVICES) {
		const char *end = strchr(p, ';'), *c1 = strchr(p, ':'), *c2;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (c1 != NULL && (size_t)(c1 - p) < len) {
			c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p));
			if (c2 == NULL)
				c2 = p + len;
			snprintf(st.names[st.n], sizeof(st.names[0]), "%.*s  %.*s",
			    (int)(c1 - p), p, (int)(c2 - c1 - 1), c1 + 1);
			st.labels[st.n] = st.names[st.n];
			st.n++;
		}
		p += len + (end != NULL);
	}
}

static void
menu_enter(struct app *app, void *arg)
{
	(void)arg;
	load_services(app);
	st.selected = -1;
}

static bool
menu_event(struct app *app, struct ui_event *ev)
{
	struct ui *ui = app_ui(app);
	int id = ui_clicked(ui, ev);

	if (ev->type == UI_IDLE || id == BTN_END) {
		app_reset(app, &screen_idle, NULL);
		return true;
	}
	if (id == BTN_BACK) {
		app_pop(app);
		return true;
	}
	if (id == BTN_LARGE) {
		ui_set_large(ui, !ui_large(ui));
		return true;
	}
	if (id >= BTN_CHOICE && id < BTN_CHOICE + (int)st.n) {
		st.selected = id - BTN_CHOICE;
		return true;
	}
	return false;
}

static void
menu_draw(struct app *app, struct ui *ui)
{
	struct ui_frame f;
	struct ui_text_style title = { UI_TYPE_H1, UI_ALIGN_LEFT |
	    UI_ALIGN_MIDDLE, UI_COL_TEXT, "ja" };

	(void)app;
	ui_frame(ui, &f);
	ui_text(ui, f.title, "ご{用件|ようけん}を えらんで ください", &title);
	ui_button_ex(ui, BTN_LANG, f.lang, UI_ICON_GLOBE, "Language",
	    NULL, UI_QUIET, 0);
	ui_button_ex(ui, BTN_LARGE, f.large, UI_ICON_TEXT_SIZE,
	    "もじを おおきく", NULL, UI_QUIET, ui_large(ui) ? UI_SELECTED : 0);
	ui_button_ex(ui, BTN_HELP, f.help, UI_ICON_HELP, "たすけて", NULL,
	    UI_QUIET, 0);
	ui_choices(ui, BTN_CHOICE, f.content, st.labels, st.n, st.selected);
	ui_button_ex(ui, BTN_BACK, f.back, UI_ICON_BACK, "もどる", NULL,
	    UI_SECONDARY, 0);
	ui_button_ex(ui, BTN_END, f.end, UI_ICON_CLOSE, "おわる", NULL,
	    UI_DANGER, 0);
	ui_button_ex(ui, BTN_NEXT, f.next, UI_ICON_NEXT, "つぎへ", NULL,
	    UI_PRIMARY, st.selected < 0 ? UI_DISABLED : 0);
}

static void
menu_leave(struct app *app)
{
	(void)app;
	memset(&st, 0, sizeof(st));
}

const struct screen screen_menu = {
	.name = "menu",
	.enter = menu_enter,
	.event = menu_event,
	.draw = menu_draw,
	.leave = menu_leave,
};
