/*
 * wareki.h - dates and fees the way each language writes them, with the
 * Japanese era (和暦) beside the western year (spec R3.8: 和暦 only with 西暦).
 *
 * Eras and their first days (Gregorian): 明治 1868-01-25 (dates before 1873
 * are given as the Gregorian equivalent), 大正 1912-07-30, 昭和 1926-12-25,
 * 平成 1989-01-08, 令和 2019-05-01.  The first year of an era is 元年.
 * Pure functions; no locale, no clock.
 */
#ifndef WAREKI_H
#define WAREKI_H

#include <stdbool.h>
#include <stddef.h>

struct wareki {
	const char *era;        /* "昭和" */
	const char *era_kana;   /* "しょうわ" */
	const char *era_latin;  /* "Shōwa" */
	int year;               /* 1 = 元年 */
};

/* Is y-m-d a real Gregorian date (years 1..9999)?  The only date check:
 * callers add their own year bounds.  The functions below take dates from
 * 1868 on. */
bool wareki_valid(int y, int m, int d);
/* "1980-04-01" -> 1980, 4, 1; false for anything else. */
bool wareki_parse_iso(const char *iso, int *y, int *m, int *d);
/* The era of a date; false before 明治 or for an invalid date. */
bool wareki_era(int y, int m, int d, struct wareki *out);

/*
 * A date for lang (ja, ja-easy, en, zh, ko, vi, tl, pt; others as en), the
 * era beside the western year for Japanese and for birth dates elsewhere:
 *   ja       1980年(昭和55年)4月1日
 *   ja-easy  1980{年|ねん}({昭和|しょうわ}55{年|ねん}) 4{月|がつ} 1{日|にち}
 *   en       1 April 1980 (Shōwa 55)
 *   zh       1980年(昭和55年)4月1日
 *   ko       1980년(쇼와 55년) 4월 1일
 *   vi       ngày 1 tháng 4 năm 1980 (Shōwa 55)
 *   tl       Abril 1, 1980 (Shōwa 55)
 *   pt       1 de abril de 1980 (Shōwa 55)
 * with_era false leaves the era out.  Returns the length (out is always
 * NUL-terminated); 0 for an invalid date.
 */
size_t wareki_format_date(char *out, size_t n, int y, int m, int d,
    const char *lang, bool with_era);
size_t wareki_format_iso(char *out, size_t n, const char *iso,
    const char *lang, bool with_era);

/* A fee in yen: ja 1,200円; ja-easy 1,200{円|えん}; en/tl ¥1,200; zh 1,200日元;
 * ko 1,200엔; vi 1.200 yên; pt ¥ 1.200.  0 yen is "無料"/"free"/...  */
size_t wareki_format_yen(char *out, size_t n, int yen, const char *lang);

#endif
