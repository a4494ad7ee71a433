/*
 * table: open addressing (a word-at-a-time hash, linear probing) over an
 * ordered array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "table.h"

struct entry {
	char	*key;
	void	*val;
	uint64_t hash;
};

struct table {
	struct entry	*ents;		/* insertion order */
	size_t		 len, cap;
	size_t		*slots;		/* index + 1; 0 is empty */
	size_t		 nslots;
};

/*
 * Eight bytes at a time, each word multiplied in and folded (the
 * constants are the 64-bit golden ratio and MurmurHash3's finaliser):
 * the keys are names of 10 to 40 bytes, looked up several times a row
 * (issue 11 "Performance"), and FNV-1a's multiply a byte was most of a
 * lookup.  The hash only places keys in slots; no output depends on it.
 */
static uint64_t
hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	return h ^ h >> 32;
}

struct table *
table_new(void)
{
	struct table *t = ecalloc(1, sizeof *t);

	t->nslots = 64;
	t->slots = ecalloc(t->nslots, sizeof *t->slots);
	return t;
}

void
table_free(struct table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->len; i++)
		free(t->ents[i].key);
	free(t->ents);
	free(t->slots);
	free(t);
}

static size_t
find(const struct table *t, const char *key, uint64_t h)
{
	size_t i = h & (t->nslots - 1), e;

	while ((e = t->slots[i]) != 0) {
		if (t->ents[e - 1].hash == h && strcmp(t->ents[e - 1].key, key) == 0)
			return i;
		i = (i + 1) & (t->nslots - 1);
	}
	return i;
}

static void
grow(struct table *t)
{
	size_t i, j;

	free(t->slots);
	t->nslots *= 2;
	t->slots = ecalloc(t->nslots, sizeof *t->slots);
	for (i = 0; i < t->len; i++) {
		j = t->ents[i].hash & (t->nslots - 1);
		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

void **
table_slot(struct table *t, const char *key, int *created)
{
	uint64_t h = hash(key);
	size_t i = find(t, key, h);

	if (t->slots[i] != 0) {
		if (created != NULL)
			*created = 0;
		return &t->ents[t->slots[i] - 1].val;
	}
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->ents = erealloc(t->ents, t->cap * sizeof *t->ents);
	}
	t->ents[t->len].key = estrdup(key);
	t->ents[t->len].val = NULL;
	t->ents[t->len].hash = h;
	t->slots[i] = ++t->len;
	if (created != NULL)
		*created = 1;
	if (t->len * 2 > t->nslots) {
		grow(t);
		return &t->ents[t->len - 1].val;
	}
	return &t->ents[t->len - 1].val;
}

void *
table_get(const struct table *t, const char *key)
{
	uint64_t h = hash(key);
	size_t i = find(t, key, h);

	return t->slots[i] != 0 ? t->ents[t->slots[i] - 1].val : NULL;
}

size_t
table_len(const struct table *t)
{
	return t->len;
}

const char *
table_key(const struct table *t, size_t i)
{
	return t->ents[i].key;
}

void *
table_val(const struct table *t, size_t i)
{
	return t->ents[i].val;
}
