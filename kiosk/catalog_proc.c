/*
 * catalog_proc.c - reading one loaded procedure (catalog.c loads and checks
 * the file): its service and minutes, a text in a language, a question or
 * a choice by id, and the fee for the answers given.  Nothing here needs
 * the parsed document, only include/catalog.h.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

char
catalog_service(const struct cat_procedure *p)
{
	return p->service;
}

int
catalog_minutes(const struct cat_procedure *p)
{
	return p->minutes;
}

const char *
cat_text_get(const struct cat_text *t, const char *lang)
{
	size_t i;

	if (t->n == 0)
		return "";
	if (lang != NULL)
		for (i = 0; i < t->n; i++)
			if (strcmp(t->lang[i], lang) == 0)
				return t->text[i];
	for (i = 0; i < t->n; i++)
		if (strcmp(t->lang[i], "ja") == 0)
			return t->text[i];
	return t->text[0];
}

const char *
catalog_name(const struct cat_procedure *p, const char *lang)
{
	return cat_text_get(&p->name, lang);
}

const struct cat_question *
catalog_question(const struct cat_procedure *p, const char *qid)
{
	size_t i;

	for (i = 0; i < p->nquestions; i++)
		if (strcmp(p->questions[i].id, qid) == 0)
			return &p->questions[i];
	return NULL;
}

const struct cat_choice *
catalog_choice(const struct cat_question *q, const char *cid)
{
	size_t i;

	if (cid == NULL)
		return NULL;
	for (i = 0; i < q->nchoices; i++)
		if (strcmp(q->choices[i].id, cid) == 0)
			return &q->choices[i];
	return NULL;
}

int
catalog_fee(const struct cat_procedure *p,
    const char *(*get)(const char *qid, void *arg), void *arg)
{
	const struct cat_choice *ch;
	const char *a;
	int unit = p->fee_yen, count = 1;
	size_t i;

	for (i = 0; i < p->nquestions; i++) {
		if (p->questions[i].type != CAT_Q_CHOICE)
			continue;
		ch = catalog_choice(&p->questions[i], get(p->questions[i].id, arg));
		if (ch != NULL && ch->fee_yen >= 0)
			unit = ch->fee_yen;
	}
	if (p->fee_per != NULL) {
		a = get(p->fee_per, arg);
		count = a != NULL ? atoi(a) : catalog_question(p, p->fee_per)->def;
		if (count < 0)
			count = 0;
	}
	return unit * count;
}
