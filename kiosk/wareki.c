/*
 * wareki.c - Japanese era dates and per-language date and fee formats.
 */
#include <stdio.h>
#include <string.h>

#include "kerr.h"
#include "wareki.h"

static const struct era {
	const char *name, *kana, *latin, *hangul;
	int y, m, d;   /* first day */
} eras[] = {
	{ "令和", "れいわ", "Reiwa", "레이와", 2019, 5, 1 },
	{ "平成", "へいせい", "Heisei", "헤이세이", 1989, 1, 8 },
	{ "昭和", "しょうわ", "Shōwa", "쇼와", 1926, 12, 25 },
	{ "大正", "たいしょう", "Taishō", "다이쇼", 1912, 7, 30 },
	{ "明治", "めいじ", "Meiji", "메이지", 1868, 1, 25 },
};

static const char *const months_en[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char *const months_tl[] = { "Enero", "Pebrero", "Marso",
    "Abril", "Mayo", "Hunyo", "Hulyo", "Agosto", "Setyembre", "Oktubre",
    "Nobyembre", "Disyembre" };
static const char *const months_pt[] = { "janeiro", "fevereiro", "março",
    "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
    "novembro", "dezembro" };

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The one date check of the program: the card, the API, the store and the
 * date question all ask here; each caller adds its own year bounds. */
bool
wareki_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* Dates this module writes and reads: from the first year of 明治 on. */
static bool
in_range(int y, int m, int d)
{
	return y >= 1868 && wareki_valid(y, m, d);
}

bool
wareki_parse_iso(const char *iso, int *y, int *m, int *d)
{
	int i;

	if (iso == NULL || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9'))
			return false;
	*y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 +
	    (iso[3] - '0');
	*m = (iso[5] - '0') * 10 + (iso[6] - '0');
	*d = (iso[8] - '0') * 10 + (iso[9] - '0');
	return in_range(*y, *m, *d);
}

static const struct era *
era_of(int y, int m, int d)
{
	size_t i;
	long key = (long)y * 10000 + m * 100 + d;

	for (i = 0; i < ARRAY_SIZE(eras); i++)
		if (key >= (long)eras[i].y * 10000 + eras[i].m * 100 + eras[i].d)
			return &eras[i];
	return NULL;
}

bool
wareki_era(int y, int m, int d, struct wareki *out)
{
	const struct era *e;

	if (!in_range(y, m, d) || (e = era_of(y, m, d)) == NULL)
		return false;
	out->era = e->name;
	out->era_kana = e->kana;
	out->era_latin = e->latin;
	out->year = y - e->y + 1;
	return true;
}

static size_t
done(char *out, size_t n, int len)
{
	if (len < 0) {
		out[0] = '\0';
		return 0;
	}
	return (size_t)len < n ? (size_t)len : n - 1;
}

size_t
wareki_format_date(char *out, size_t n, int y, int m, int d, const char *lang,
    bool with_era)
{
	const struct era *e;
	char ey[24] = "";     /* era year number or 元 */
	int len, ny;

	if (n == 0)
		return 0;
	out[0] = '\0';
	if (!in_range(y, m, d))
		return 0;
	e = era_of(y, m, d);
	if (e == NULL)
		with_era = false;
	ny = e != NULL ? y - e->y + 1 : 0;
	if (lang == NULL)
		lang = "ja";
	if (strcmp(lang, "ja") == 0) {
		if (ny == 1)
			snprintf(ey, sizeof ey, "元");
		else
			snprintf(ey, sizeof ey, "%d", ny);
		if (with_era)
			len = snprintf(out, n, "%d年(%s%s年)%d月%d日", y, e->name, ey,
			    m, d);
		else
			len = snprintf(out, n, "%d年%d月%d日", y, m, d);
	} else if (strcmp(lang, "ja-easy") == 0) {
		if (with_era)
			len = snprintf(out, n,
			    "%d{年|ねん}({%s|%s} %d{年|ねん}) %d{月|がつ} %d{日|にち}",
			    y, e->name, e->kana, ny, m, d);
		else
			len = snprintf(out, n, "%d{年|ねん} %d{月|がつ} %d{日|にち}",
			    y, m, d);
	} else if (strcmp(lang, "zh") == 0) {
		if (with_era)
			len = snprintf(out, n, "%d年(%s%d年)%d月%d日", y, e->name, ny,
			    m, d);
		else
			len = snprintf(out, n, "%d年%d月%d日", y, m, d);
	} else if (strcmp(lang, "ko") == 0) {
		if (with_era)
			len = snprintf(out, n, "%d년(%s %d년) %d월 %d일", y, e->hangul,
			    ny, m, d);
		else
			len = snprintf(out, n, "%d년 %d월 %d일", y, m, d);
	} else {
		char base[64];
		if (strcmp(lang, "vi") == 0)
			snprintf(base, sizeof base, "ngày %d tháng %d năm %d", d, m, y);
		else if (strcmp(lang, "tl") == 0)
			snprintf(base, sizeof base, "%s %d, %d", months_tl[m - 1], d, y);
		else if (strcmp(lang, "pt") == 0)
			snprintf(base, sizeof base, "%d de %s de %d", d,
			    months_pt[m - 1], y);
		else
			snprintf(base, sizeof base, "%d %s %d", d, months_en[m - 1], y);
		if (with_era)
			len = snprintf(out, n, "%s (%s %d)", base, e->latin, ny);
		else
			len = snprintf(out, n, "%s", base);
	}
	return done(out, n, len);
}

size_t
wareki_format_iso(char *out, size_t n, const char *iso, const char *lang,
    bool with_era)
{
	int y, m, d;

	if (n == 0)
		return 0;
	out[0] = '\0';
	if (!wareki_parse_iso(iso, &y, &m, &d))
		return 0;
	return wareki_format_date(out, n, y, m, d, lang, with_era);
}

/* 1234567 -> "1,234,567" with sep. */
static void
group(char *out, size_t n, int v, char sep)
{
	char digits[16];
	size_t len, i, o = 0;

	snprintf(digits, sizeof digits, "%d", v < 0 ? -v : v);
	len = strlen(digits);
	if (v < 0 && o + 1 < n)
		out[o++] = '-';
	for (i = 0; i < len && o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < n)
			out[o++] = sep;
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

size_t
wareki_format_yen(char *out, size_t n, int yen, const char *lang)
{
	char num[24];
	int len;

	if (n == 0)
		return 0;
	if (lang == NULL)
		lang = "ja";
	if (yen == 0) {
		static const struct { const char *lang, *text; } free_words[] = {
			{ "ja", "無料" }, { "ja-easy", "お{金|かね}は いりません" },
			{ "zh", "免费" }, { "ko", "무료" }, { "vi", "miễn phí" },
			{ "tl", "libre" }, { "pt", "gratuito" },
		};
		size_t i;
		for (i = 0; i < ARRAY_SIZE(free_words); i++)
			if (strcmp(free_words[i].lang, lang) == 0)
				return done(out, n, snprintf(out, n, "%s",
				    free_words[i].text));
		return done(out, n, snprintf(out, n, "free"));
	}
	if (strcmp(lang, "vi") == 0 || strcmp(lang, "pt") == 0)
		group(num, sizeof num, yen, '.');
	else
		group(num, sizeof num, yen, ',');
	if (strcmp(lang, "ja") == 0)
		len = snprintf(out, n, "%s円", num);
	else if (strcmp(lang, "ja-easy") == 0)
		len = snprintf(out, n, "%s{円|えん}", num);
	else if (strcmp(lang, "zh") == 0)
		len = snprintf(out, n, "%s日元", num);
	else if (strcmp(lang, "ko") == 0)
		len = snprintf(out, n, "%s엔", num);
	else if (strcmp(lang, "vi") == 0)
		len = snprintf(out, n, "%s yên", num);
	else if (strcmp(lang, "pt") == 0)
		len = snprintf(out, n, "¥ %s", num);
	else
		len = snprintf(out, n, "¥%s", num);
	return done(out, n, len);
}
