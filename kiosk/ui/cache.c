/*
 * cache.c - a least-recently-used cache with a byte budget (pure, no SDL).
 *
 * Keys are strings; values are opaque and freed through the callback given
 * at creation (the text layer keeps SDL textures here).  A hash table finds
 * entries, a doubly linked list orders them from most to least recently
 * used.
 */
#include <stdlib.h>
#include <string.h>

#include "ui_core.h"
#include "xmalloc.h"

struct lru_entry {
	char *key;
	uint64_t hash;
	void *value;
	size_t bytes;
	struct lru_entry *prev, *next;   /* recency list */
	struct lru_entry *chain;         /* hash bucket */
};

struct lru {
	size_t budget, bytes, count, evictions;
	lru_free_fn *free_fn;
	void *arg;
	struct lru_entry **buckets;
	size_t nbuckets;
	struct lru_entry *head, *tail;   /* head = most recent */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void
lru_new(struct lru **out, size_t budget, lru_free_fn *free_fn, void *arg)
{
	struct lru *c = xcalloc(1, sizeof(*c));

	c->budget = budget;
	c->free_fn = free_fn;
	c->arg = arg;
	c->nbuckets = 256;
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	*out = c;
}

static void
unlink_entry(struct lru *c, struct lru_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
link_front(struct lru *c, struct lru_entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

static void
drop(struct lru *c, struct lru_entry *e)
{
	struct lru_entry **pp = &c->buckets[e->hash % c->nbuckets];

	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	unlink_entry(c, e);
	c->bytes -= e->bytes;
	c->count--;
	if (c->free_fn != NULL)
		c->free_fn(e->value, c->arg);
	xfree_wipe_str(e->key);    /* the text cache's keys hold the text */
	free(e);
}

static void
grow(struct lru *c)
{
	struct lru_entry **nb, *e, *next;
	size_t n = c->nbuckets * 2, i;

	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < c->nbuckets; i++)
		for (e = c->buckets[i]; e != NULL; e = next) {
			next = e->chain;
			e->chain = nb[e->hash % n];
			nb[e->hash % n] = e;
		}
	free(c->buckets);
	c->buckets = nb;
	c->nbuckets = n;
}

static struct lru_entry *
find(const struct lru *c, const char *key, uint64_t h)
{
	struct lru_entry *e;

	for (e = c->buckets[h % c->nbuckets]; e != NULL; e = e->chain)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

void *
lru_get(struct lru *c, const char *key)
{
	struct lru_entry *e = find(c, key, hash_str(key));

	if (e == NULL)
		return NULL;
	if (c->head != e) {
		unlink_entry(c, e);
		link_front(c, e);
	}
	return e->value;
}

bool
lru_put(struct lru *c, const char *key, void *value, size_t bytes)
{
	uint64_t h = hash_str(key);
	struct lru_entry *e = find(c, key, h);

	if (e != NULL)
		drop(c, e);
	if (bytes > c->budget) {
		if (c->free_fn != NULL)
			c->free_fn(value, c->arg);
		return false;
	}
	while (c->tail != NULL && c->bytes + bytes > c->budget) {
		drop(c, c->tail);
		c->evictions++;
	}
	if (c->count + 1 > c->nbuckets)
		grow(c);
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->hash = h;
	e->value = value;
	e->bytes = bytes;
	e->chain = c->buckets[h % c->nbuckets];
	c->buckets[h % c->nbuckets] = e;
	link_front(c, e);
	c->bytes += bytes;
	c->count++;
	return true;
}

void
lru_set_bytes(struct lru *c, const char *key, size_t bytes)
{
	struct lru_entry *e = find(c, key, hash_str(key));

	if (e == NULL)
		return;
	c->bytes = c->bytes - e->bytes + bytes;
	e->bytes = bytes;
	while (c->tail != NULL && c->tail != e && c->bytes > c->budget) {
		drop(c, c->tail);
		c->evictions++;
	}
}

void
lru_clear(struct lru *c)
{
	while (c->tail != NULL)
		drop(c, c->tail);
}

void
lru_free(struct lru *c)
{
	if (c == NULL)
		return;
	lru_clear(c);
	free(c->buckets);
	free(c);
}

size_t
lru_bytes(const struct lru *c)
{
	return c->bytes;
}

size_t
lru_count(const struct lru *c)
{
	return c->count;
}

size_t
lru_evictions(const struct lru *c)
{
	return c->evictions;
}
