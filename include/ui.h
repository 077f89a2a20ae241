/*
 * ui.h - widgets drawn into the current frame (immediate mode, cf. microui).
 *
 * A screen's draw() calls widget functions with rects; each widget draws at
 * once and is recorded in the frame's widget list (kind, rect, text, colours,
 * font size, overflow, missing glyphs).  That list is what taps are matched
 * against (ui_clicked), what scripts find labels in (`tap "label"`, `expect`)
 * and what tests audit (ui_audit: targets >= 15 mm, text contrast >= 7:1,
 * text >= 26 px and body >= 32 px, no missing glyph, no overflow).
 *
 * Sizes are designed in millimetres (spec §1) and converted with
 * kiosk.px_per_mm, rounding up: ui_mm(ui, 15) = 61 at 4.034 px/mm.  Colours
 * and type sizes are the Digital Agency tokens chosen in spec §3-§4.  Text
 * goes through a per-language font chain with fallback and HarfBuzz shaping,
 * and ruby markup "{漢字|かんじ}" is drawn as furigana above the base.
 *
 * No SDL types here: the renderer lives in kiosk/ui/render.c and text.c.
 * All functions are for the UI thread.  Strings passed in are copied when
 * kept; a widget's `id` (> 0) makes it tappable, 0 means decoration.
 */
#ifndef UI_H
#define UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "screen.h"

struct ui;
struct qr;

/* ---- geometry and layout (pure; kiosk/ui/layout.c) ---- */

struct ui_rect {
	int x, y, w, h;
};

/* Design sizes in mm (spec §0; PROJECT values). */
#define UI_MM_TARGET   15.0   /* any touch target, >= 61 px at 4.034 */
#define UI_MM_PRIMARY  23.5   /* primary buttons, choices, keys: 95 px */
#define UI_MM_GAP       4.0   /* between targets (>= 3 mm) */
#define UI_MM_MARGIN   10.0   /* from the bezel (R2.7) */
#define UI_MM_QR_MIN   40.0   /* a QR code a phone reads at arm's length */

/* mm -> px at px_per_mm, rounded up (R1.2).  ui_mm uses kiosk.px_per_mm. */
int ui_mm_px(double px_per_mm, double mm);
int ui_mm(const struct ui *ui, double mm);
double ui_px_per_mm(const struct ui *ui);

struct ui_rect ui_screen(const struct ui *ui);      /* the whole window */
bool ui_rect_contains(struct ui_rect r, int x, int y);
struct ui_rect ui_inset(struct ui_rect r, int d);
struct ui_rect ui_center(struct ui_rect r, int w, int h);
/* Cut a strip of h (or w) px off one side of *r and return it; *r shrinks by
 * the strip plus gap.  The strip is clamped to what *r has. */
struct ui_rect ui_cut_top(struct ui_rect *r, int h, int gap);
struct ui_rect ui_cut_bottom(struct ui_rect *r, int h, int gap);
struct ui_rect ui_cut_left(struct ui_rect *r, int w, int gap);
struct ui_rect ui_cut_right(struct ui_rect *r, int w, int gap);
/* Cell i of n equal columns (rows) with gap between them; the last cell
 * takes the rounding rest so cells tile r exactly. */
struct ui_rect ui_column(struct ui_rect r, int n, int i, int gap);
struct ui_rect ui_row(struct ui_rect r, int n, int i, int gap);

/*
 * The common frame of every resident screen: a header with the title and
 * the language / larger-text / help buttons (R3.2, R10.4: reachable from
 * every screen), the content, and a footer with back and end (R7.4) kept in
 * the lower part of the screen (R2.8).  Pure arithmetic, so tests check it
 * at 1920x1080, 1080x1920 and 1280x800.
 */
struct ui_frame {
	struct ui_rect header, title, lang, large, help;
	struct ui_rect content;
	struct ui_rect footer, back, end, next;
};
void ui_frame_layout(struct ui_frame *f, struct ui_rect screen,
    double px_per_mm);
void ui_frame(const struct ui *ui, struct ui_frame *f);

/* ---- theme (kiosk/ui/theme.c) ---- */

struct ui_color {
	uint8_t r, g, b, a;
};

#define UI_RGB(hex) ((struct ui_color){ (uint8_t)(((hex) >> 16) & 0xff), \
	(uint8_t)(((hex) >> 8) & 0xff), (uint8_t)((hex) & 0xff), 0xff })

/* Digital Agency design-system tokens, kiosk palette (spec §4). */
#define UI_COL_BG            UI_RGB(0xFFFFFF)  /* page */
#define UI_COL_PANEL         UI_RGB(0xF2F2F2)  /* solid-gray-50 */
#define UI_COL_PANEL_BLUE    UI_RGB(0xE8F1FE)  /* blue-50 */
#define UI_COL_TEXT          UI_RGB(0x1A1A1A)  /* solid-gray-900, 17.4:1 */
#define UI_COL_TEXT2         UI_RGB(0x4D4D4D)  /* solid-gray-700, 8.45:1 */
#define UI_COL_PRIMARY       UI_RGB(0x0017C1)  /* blue-900: button fill */
#define UI_COL_PRIMARY_DOWN  UI_RGB(0x000060)  /* blue-1200: pressed */
#define UI_COL_LINK          UI_RGB(0x00118F)  /* blue-1000 */
#define UI_COL_SELECTED      UI_RGB(0xD9E6FF)  /* blue-100: chosen item */
#define UI_COL_ON_PRIMARY    UI_RGB(0xFFFFFF)
#define UI_COL_BORDER        UI_RGB(0x666666)  /* solid-gray-600, inputs */
#define UI_COL_DISABLED      UI_RGB(0xB3B3B3)  /* solid-gray-300 */
#define UI_COL_ERROR         UI_RGB(0xA90000)  /* red-1000, 7.82:1 */
#define UI_COL_ERROR_BG      UI_RGB(0xFDEEEE)
#define UI_COL_SUCCESS       UI_RGB(0x115A36)  /* green-900, 8.27:1 */
#define UI_COL_SUCCESS_BG    UI_RGB(0xE6F5EC)
#define UI_COL_WARNING       UI_RGB(0x6E5600)  /* yellow-1100, 7.01:1 */
#define UI_COL_WARNING_BG    UI_RGB(0xFBF5E0)
#define UI_COL_FOCUS         UI_RGB(0xFFD43D)  /* yellow-300 ring */
#define UI_COL_FOCUS_OUTLINE UI_RGB(0x000000)
#define UI_COL_SCRIM         ((struct ui_color){ 0, 0, 0, 0x99 })

/* WCAG contrast ratio of two opaque colours (1.0 .. 21.0). */
double ui_contrast(struct ui_color a, struct ui_color b);

/* Type scale (R3.1); px = SDL_ttf ptsize; large-text mode is x1.25 (R3.2). */
enum ui_type {
	UI_TYPE_DISPLAY,    /* 64 B, welcome and ticket number */
	UI_TYPE_H1,         /* 48 B, screen title */
	UI_TYPE_H2,         /* 40 B, section */
	UI_TYPE_BODY,       /* 32 N, line height 1.7 */
	UI_TYPE_BUTTON,     /* 32 B, button and choice labels */
	UI_TYPE_SECONDARY,  /* 28 N, help text */
	UI_TYPE_MIN,        /* 26 N, the smallest essential text */
	UI_TYPE_COUNT
};
int ui_type_px(const struct ui *ui, enum ui_type t);        /* em px */
int ui_type_line_px(const struct ui *ui, enum ui_type t);   /* line height */
bool ui_type_bold(enum ui_type t);

/* ---- language and text size (per resident session) ---- */

/* Language code of the session ("ja", "ja-easy", "en", "zh", "ko", "vi",
 * "tl", "pt"); text without its own language tag uses it to pick its font
 * (R12.1).  An unknown code falls back to "ja" with a warning. */
/*
 * The session ended: forget everything drawn from it.  Every laid-out
 * block of the text cache (keys, text, coverage masks, textures) and the
 * widget lists' texts are wiped and freed, so no name or address the card
 * gave stays in memory (DESIGN.md §5).  The next frame lays out again.
 */
void ui_forget_personal(struct ui *ui);
void ui_set_lang(struct ui *ui, const char *code);
const char *ui_lang(const struct ui *ui);
/* Larger-text mode: body >= 40 px, every size x1.25 (R3.2). */
void ui_set_large(struct ui *ui, bool on);
bool ui_large(const struct ui *ui);

/* ---- widgets (kiosk/ui/widgets.c) ---- */

enum ui_align {
	UI_ALIGN_LEFT = 0, UI_ALIGN_CENTER = 1, UI_ALIGN_RIGHT = 2,
	UI_ALIGN_TOP = 0, UI_ALIGN_MIDDLE = 4, UI_ALIGN_BOTTOM = 8,
};

struct ui_text_style {
	enum ui_type type;
	unsigned align;         /* enum ui_align, horizontal | vertical */
	struct ui_color fg;     /* a = 0 means UI_COL_TEXT */
	const char *lang;       /* NULL: ui_lang(); "ja" for the official
	                         * Japanese name shown beside a translation */
};

/*
 * Text wrapped to r.w (CJK anywhere but before closing punctuation, Latin at
 * spaces; "\n" breaks), aligned in r, ruby markup drawn above its base.
 * Returns the height the text needs at r.w.  Text that needs more than r
 * (too many lines, or a word wider than r.w) is still drawn whole, not
 * clipped, and is recorded as overflowed so the audit fails.
 */
int ui_text(struct ui *ui, struct ui_rect r, const char *utf8,
    const struct ui_text_style *st);
/* Body-or-other text, left/top, UI_COL_TEXT, session language. */
int ui_label(struct ui *ui, struct ui_rect r, const char *utf8,
    enum ui_type type);
/* Height at width w, and the natural one-line width, without drawing. */
int ui_text_height(struct ui *ui, int w, const char *utf8,
    const struct ui_text_style *st);
int ui_text_width(struct ui *ui, const char *utf8,
    const struct ui_text_style *st);
/* base with its reading above (furigana, R3.3). */
int ui_ruby(struct ui *ui, struct ui_rect r, const char *base,
    const char *reading, const struct ui_text_style *st);

/* Solid rectangle and a panel with an optional border (decoration). */
void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c);
void ui_panel(struct ui *ui, struct ui_rect r, struct ui_color bg,
    struct ui_color border, int border_px);

enum ui_role {
	UI_PRIMARY,    /* blue fill, white label */
	UI_SECONDARY,  /* white fill, blue 3 px border and label */
	UI_QUIET,      /* light grey fill, dark label (language, help) */
	UI_DANGER,     /* white fill, red border and label (cancel, end) */
};

enum ui_icon {
	UI_ICON_NONE,
	UI_ICON_GLOBE,      /* language (R10.4) */
	UI_ICON_TEXT_SIZE,  /* larger text */
	UI_ICON_HELP,       /* call staff */
	UI_ICON_BACK, UI_ICON_NEXT, UI_ICON_HOME, UI_ICON_CLOSE,
	UI_ICON_CHECK,      /* selected; success */
	UI_ICON_INFO, UI_ICON_WARNING, UI_ICON_ERROR,
	UI_ICON_CARD,       /* My Number card */
	UI_ICON_PRINTER, UI_ICON_DOCUMENT, UI_ICON_PERSON, UI_ICON_CLOCK,
	UI_ICON_SPEAKER,
	UI_ICON_COUNT
};

enum ui_flags {
	UI_SELECTED = 1 << 0,  /* chosen: blue-100 fill, border, check mark */
	UI_DISABLED = 1 << 1,  /* grey, not tappable (prefer not showing) */
};

/*
 * A button: pressed look from touch-down while the finger stays inside,
 * activation on release inside (ui_clicked), focus ring when the keypad
 * moved focus to it.  label may carry ruby markup; sublabel (may be NULL) is
 * a second smaller line, e.g. the Japanese official name (R10.5).
 */
void ui_button(struct ui *ui, int id, struct ui_rect r, const char *label,
    enum ui_role role);
void ui_button_ex(struct ui *ui, int id, struct ui_rect r, enum ui_icon icon,
    const char *label, const char *sublabel, enum ui_role role,
    unsigned flags);

/*
 * The id (> 0) of the widget this event activates, else 0: a UI_TAP release
 * inside the widget the press started in, or UI_KEY_ENTER on the focused
 * widget.  A second activation of the same id within 500 ms is ignored
 * (tremor guard, R2.6).  Matches the last frame drawn.
 */
int ui_clicked(struct ui *ui, const struct ui_event *ev);
/* The id of the widget the keypad focus is on (0: none shown). */
int ui_focus_id(const struct ui *ui);
/* The tappable widget id at x,y in the last frame (0: none). */
int ui_hit(const struct ui *ui, int x, int y);

/* An icon in colour c, drawn in the square centred in r. */
void ui_icon(struct ui *ui, struct ui_rect r, enum ui_icon icon,
    struct ui_color c);

/* 12-key numeric pad: 1-9, then clear, 0, enter.  Key k has id id + k with
 * k = UI_PAD_0..UI_PAD_ENTER.  Labels NULL: "訂正" / "OK". */
enum { UI_PAD_0 = 0, UI_PAD_CLEAR = 10, UI_PAD_ENTER = 11, UI_PAD_KEYS = 12 };
void ui_keypad(struct ui *ui, int id, struct ui_rect r,
    const char *clear_label, const char *enter_label);
/* The same with the enter key greyed out and not tappable until the
 * entry is complete (enter_ready false). */
void ui_keypad_ex(struct ui *ui, int id, struct ui_rect r,
    const char *clear_label, const char *enter_label, bool enter_ready);

/* Full-width choices stacked in r (each >= 95 px, gap 16); choice i has id
 * id + i; `selected` (or -1) is drawn chosen.  Returns how many fit; the
 * caller pages with its own buttons. */
size_t ui_choices(struct ui *ui, int id, struct ui_rect r,
    const char *const *labels, size_t n, int selected);

/* Progress bar; fraction < 0 is indeterminate (moves with t_ms, so keep a
 * timer running).  Steps "2 / 4" as dots with text. */
void ui_progress(struct ui *ui, struct ui_rect r, double fraction,
    uint64_t t_ms);
void ui_steps(struct ui *ui, struct ui_rect r, int current, int total);

/*
 * Modal dialog over the whole screen: scrim, a centred panel with icon,
 * title, body, and buttons in a row (buttons[0] primary, the others
 * secondary; button i has id id + i).  Widgets drawn before it stop being
 * tappable for this frame.  Returns the body rect (for a countdown etc.).
 */
struct ui_rect ui_dialog(struct ui *ui, enum ui_icon icon, const char *title,
    const char *body, int id, const char *const *buttons, size_t nbuttons);

/* QR code scaled to the largest whole module size fitting r (with the
 * 4-module quiet zone), centred, dark on white. */
void ui_qr(struct ui *ui, struct ui_rect r, const struct qr *q);

/* ---- the frame's widget list: hit tests, scripts, audit (audit.c) ---- */

enum ui_widget_kind {
	UI_W_FILL, UI_W_PANEL, UI_W_TEXT, UI_W_BUTTON, UI_W_KEY, UI_W_CHOICE,
	UI_W_ICON, UI_W_PROGRESS, UI_W_DIALOG, UI_W_QR,
};

struct ui_widget {
	enum ui_widget_kind kind;
	int id;                 /* > 0: tappable */
	struct ui_rect rect;    /* hit area = drawn area (R2.4) */
	const char *text;       /* shown text, ruby markup stripped; "" none */
	const char *lang;
	struct ui_color fg, bg; /* text colour and what is behind it */
	enum ui_type type;
	int font_px;            /* 0: no text */
	bool overflowed;        /* text did not fit its rect */
	int missing_glyphs;     /* code points no font in the chain has */
	bool modal;             /* a dialog: blocks what was drawn before */
	bool disabled;          /* UI_DISABLED: not tappable, not audited */
	int state;              /* what else shows: icon, alignment, progress
	                         * position, QR contents (change detection) */
};

/* The last complete frame; pointers stay valid until the next frame ends. */
size_t ui_widget_count(const struct ui *ui);
const struct ui_widget *ui_widget_at(const struct ui *ui, size_t i);
/* First widget whose text contains `text` (tappable only if asked), topmost
 * first; NULL if none. */
const struct ui_widget *ui_find(const struct ui *ui, const char *text,
    bool tappable);
/*
 * Check the last frame against the rules: tappable widgets >= UI_MM_TARGET
 * square (61 px at 4.034 px/mm), text contrast >= 7:1 with what is behind
 * it, text >= 26 px and body >= 32 px (40 in large mode), no missing glyph,
 * no overflow.  Returns the number of problems and lists them, one a line,
 * in report (may be NULL).
 */
int ui_audit(const struct ui *ui, char *report, size_t len);

#endif
