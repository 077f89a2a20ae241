/*
 * catalog.h - the procedure catalog (assets/procedures.json).
 *
 * The catalog lists what a resident can do at the kiosk: procedures (住民票の写し,
 * 転入届, ...) and life events (引っ越し, 出生, おくやみ) that gather several
 * procedures and end with a where-to-go / what-to-bring guide.  Each entry
 * names its service letter (server.services), counter, card use, questions,
 * fee, what to bring, an online alternative and the minutes it usually takes.
 * The schema is in docs/catalog-schema.md.
 *
 * A bad catalog (unknown key, wrong type, missing language text, duplicate
 * id, question without choices, ...) fails to load with K_EPARSE and a
 * message naming the file, the JSON path and the reason, e.g.
 * "assets/procedures.json: $.procedures[3].questions[0].choices: a choice
 * question needs at least 2 choices".
 *
 * Loaded once at start-up and read-only after: safe to read from any thread.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "kerr.h"

struct catalog;

#define CAT_MAX_LANGS 16

/* A text in every language of the catalog; "ja" is always present. */
struct cat_text {
	size_t n;
	const char *lang[CAT_MAX_LANGS];
	const char *text[CAT_MAX_LANGS];
};

enum cat_kind { CAT_PROCEDURE, CAT_LIFE_EVENT, CAT_CONSULT };
enum cat_card { CAT_CARD_NONE, CAT_CARD_OPTIONAL, CAT_CARD_REQUIRED };
enum cat_qtype { CAT_Q_CHOICE, CAT_Q_YESNO, CAT_Q_COUNT, CAT_Q_DATE };

struct cat_choice {
	const char *id;            /* "tohon": the answer value sent */
	struct cat_text text;
	int fee_yen;               /* unit fee with this choice; -1: the procedure's */
};

struct cat_question {
	const char *id;            /* "copies": the key in the answers object */
	enum cat_qtype type;
	struct cat_text text;      /* the question, one sentence */
	struct cat_text help;      /* optional line under it (n == 0: none) */
	struct cat_choice *choices;   /* CAT_Q_CHOICE */
	size_t nchoices;
	int min, max, def;         /* CAT_Q_COUNT */
};

/* One stop of a life event's guide: where to go and what is done there. */
struct cat_guide {
	struct cat_text where;     /* "1階 市民課 (窓口3・4)" */
	struct cat_text what;      /* "転入届" */
};

struct cat_procedure {
	const char *id;            /* "juminhyo" */
	enum cat_kind kind;
	char service;              /* 'A'..'E' */
	const char *counter;       /* "1,2" as shown to residents */
	const char *icon;          /* pictogram name, e.g. "document" */
	struct cat_text name;
	struct cat_text desc;      /* one short line under the tile (may be empty) */
	enum cat_card card;
	bool needs_mynumber;       /* the 12-digit number is read (DESIGN §5) */
	struct cat_question *questions;
	size_t nquestions;
	int fee_yen;               /* per unit; 0: free */
	const char *fee_per;       /* id of the count question multiplying it, or NULL */
	struct cat_text *bring;    /* what to bring, one line each */
	size_t nbring;
	const char *online_url;    /* "next time from home" (NULL: none) */
	int minutes;               /* default service minutes for the estimate */
	const char **includes;     /* life event: ids of the procedures it gathers */
	size_t nincludes;
	struct cat_guide *guide;   /* life event: where to go, in order */
	size_t nguide;
};

int  catalog_load(struct catalog **out, const char *path, struct kerr *err);
/* The same from a string; name is used in messages in place of the path. */
int  catalog_load_string(struct catalog **out, const char *json,
    const char *name, struct kerr *err);
void catalog_free(struct catalog *c);

const struct cat_procedure *catalog_find(const struct catalog *c,
    const char *id);                                 /* NULL if unknown */
size_t catalog_count(const struct catalog *c);
const struct cat_procedure *catalog_at(const struct catalog *c, size_t i);

/* Languages the catalog declares (every text has each of them). */
size_t catalog_lang_count(const struct catalog *c);
const char *catalog_lang_at(const struct catalog *c, size_t i);

char        catalog_service(const struct cat_procedure *p); /* 'A'..'E' */
int         catalog_minutes(const struct cat_procedure *p);
const char *catalog_name(const struct cat_procedure *p, const char *lang);

/* The text in lang, else "ja" (always there); "" for an absent optional text. */
const char *cat_text_get(const struct cat_text *t, const char *lang);

const struct cat_question *catalog_question(const struct cat_procedure *p,
    const char *qid);
const struct cat_choice *catalog_choice(const struct cat_question *q,
    const char *cid);

/*
 * The fee for a set of answers: unit fee (the procedure's, or the chosen
 * choice's when a choice question sets one) times the count answer named by
 * fee_per (1 when there is none).  get(qid, arg) returns the answer as text
 * ("2", "tohon", "yes") or NULL when unanswered.
 */
int catalog_fee(const struct cat_procedure *p,
    const char *(*get)(const char *qid, void *arg), void *arg);

#endif
