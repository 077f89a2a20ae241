/*
 * callout.c - what the lobby board says for a call, in every kiosk
 * language: 「うけつけばんごう エー の じゅうに ばんの かた、さんばん
 * まどぐちへ おこしください」, "Number A 12, please come to counter 3".
 *
 * espeak-ng reads Japanese from kana only (kanji come out as letter
 * names), so the Japanese templates exist twice: in kana, with numbers
 * and letters turned into kana readings by the tables below, for
 * espeak-ng; and in normal text with digits for Open JTalk, which reads
 * them itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speech.h"

static const char *const kana_units[10] = { "", "いち", "に", "さん", "よん",
	"ご", "ろく", "なな", "はち", "きゅう" };
static const char *const kana_tens[10] = { "", "じゅう", "にじゅう",
	"さんじゅう", "よんじゅう", "ごじゅう", "ろくじゅう", "ななじゅう",
	"はちじゅう", "きゅうじゅう" };
/* the sound changes: さんびゃく, ろっぴゃく, はっぴゃく; さんぜん, はっせん */
static const char *const kana_hundreds[10] = { "", "ひゃく", "にひゃく",
	"さんびゃく", "よんひゃく", "ごひゃく", "ろっぴゃく", "ななひゃく",
	"はっぴゃく", "きゅうひゃく" };
static const char *const kana_thousands[10] = { "", "せん", "にせん",
	"さんぜん", "よんせん", "ごせん", "ろくせん", "ななせん", "はっせん",
	"きゅうせん" };

int
speech_kana_number(int n, char *out, size_t len)
{
	int w;

	if (n < 0 || n > 9999 || len == 0)
		return -1;
	if (n == 0)
		w = snprintf(out, len, "%s", "ゼロ");
	else
		w = snprintf(out, len, "%s%s%s%s", kana_thousands[n / 1000],
		    kana_hundreds[n / 100 % 10], kana_tens[n / 10 % 10],
		    kana_units[n % 10]);
	return w < 0 || (size_t)w >= len ? -1 : w;
}

static const char *const kana_letters[26] = { "エー", "ビー", "シー", "ディー",
	"イー", "エフ", "ジー", "エイチ", "アイ", "ジェー", "ケー", "エル",
	"エム", "エヌ", "オー", "ピー", "キュー", "アール", "エス", "ティー",
	"ユー", "ブイ", "ダブリュー", "エックス", "ワイ", "ゼット" };

const char *
speech_kana_letter(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c < 'A' || c > 'Z')
		return NULL;
	return kana_letters[c - 'A'];
}

/*
 * Templates: %L the service letter, %N the number, %C the counter (each
 * as the language reads it: kana in "ja" kana, digits elsewhere, which
 * every espeak-ng voice reads in its own language).
 */
static const struct {
	const char *lang;
	const char *call, *recall;
	const char *call_kana, *recall_kana; /* Japanese for espeak-ng */
} callouts[] = {
	{ "ja", "受付番号 %L の %N 番の方、%C 番窓口へお越しください。",
	    "再度お呼びします。",
	    "うけつけばんごう %L の %N ばんの かた、%Cばん まどぐちへ "
	    "おこしください。",
	    "さいど およびします。" },
	{ "ja-easy", "受付番号 %L の %N 番の方、%C 番窓口へ来てください。",
	    "もう一度お呼びします。",
	    "うけつけばんごう %L の %N ばんの かた、%Cばん まどぐちへ "
	    "きてください。",
	    "もういちど およびします。" },
	{ "en", "Number %L %N, please come to counter %C.", "Calling again.",
	    NULL, NULL },
	{ "zh", "%L %N 号，请到 %C 号窗口。", "再次呼叫。", NULL, NULL },
	{ "ko", "%L %N번 고객님, %C번 창구로 와 주십시오.", "다시 호출합니다.",
	    NULL, NULL },
	{ "vi", "Mời số %L %N đến quầy số %C.", "Xin nhắc lại.", NULL, NULL },
	{ "tl", "Numero %L %N, pumunta po sa counter %C.", "Tinatawag muli.",
	    NULL, NULL },
	{ "pt", "Senha %L %N, dirija-se ao balcão %C.", "Chamando novamente.",
	    NULL, NULL },
};

const char *const speech_callout_langs[] = { "ja", "ja-easy", "en", "zh", "ko",
	"vi", "tl", "pt", NULL };

/* "A-012" -> 'A', 12. */
static bool
parse_number(const char *number, char *letter, int *n)
{
	const char *p = number;
	int v = 0, digits = 0;

	if (!((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')))
		return false;
	*letter = p[0] >= 'a' ? (char)(p[0] - 'a' + 'A') : p[0];
	p++;
	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 4)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (*p != '\0' || digits == 0 || v < 1)
		return false;
	*n = v;
	return true;
}

int
speech_callout(const char *lang, const char *number, int counter, bool recall,
    bool kana, char *out, size_t len, struct kerr *err)
{
	char letter, lbuf[8], nbuf[64], cbuf[64];
	const char *tpl, *pre, *p, *lstr;
	size_t i, o = 0;
	int n;

	if (number == NULL || !parse_number(number, &letter, &n))
		return kerr_set(err, K_EINVAL,
		    "callout: ticket number '%s' "
		    "is not LETTER-DIGITS (1..9999)",
		    number ? number : "");
	if (counter < 1 || counter > 999)
		return kerr_set(err, K_EINVAL,
		    "callout: counter %d is not "
		    "1..999",
		    counter);
	for (i = 0; i < sizeof(callouts) / sizeof(callouts[0]); i++)
		if (strcmp(callouts[i].lang, lang) == 0)
			break;
	if (i == sizeof(callouts) / sizeof(callouts[0]))
		return kerr_set(err, K_ENOTFOUND,
		    "callout: no template for "
		    "language '%s'",
		    lang);
	kana = kana && callouts[i].call_kana != NULL;
	tpl = kana ? callouts[i].call_kana : callouts[i].call;
	pre = kana ? callouts[i].recall_kana : callouts[i].recall;
	if (kana) {
		lstr = speech_kana_letter(letter);
		speech_kana_number(n, nbuf, sizeof(nbuf));
		speech_kana_number(counter, cbuf, sizeof(cbuf));
	} else {
		snprintf(lbuf, sizeof(lbuf), "%c", letter);
		lstr = lbuf;
		snprintf(nbuf, sizeof(nbuf), "%d", n);
		snprintf(cbuf, sizeof(cbuf), "%d", counter);
	}
	out[0] = '\0';
	if (recall) {
		o = (size_t)snprintf(out, len, "%s ", pre);
		if (o >= len)
			goto small;
	}
	for (p = tpl; *p != '\0'; p++) {
		const char *ins = NULL;
		size_t k;

		if (p[0] == '%' &&
		    (p[1] == 'L' || p[1] == 'N' || p[1] == 'C')) {
			ins = p[1] == 'L' ? lstr : p[1] == 'N' ? nbuf : cbuf;
			p++;
		}
		k = ins ? strlen(ins) : 1;
		if (o + k + 1 > len)
			goto small;
		memcpy(out + o, ins ? ins : p, k);
		o += k;
	}
	out[o] = '\0';
	return K_OK;
small:
	return kerr_set(err, K_EINVAL, "callout: text longer than %zu bytes",
	    len);
}
