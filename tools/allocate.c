/*
 * alf-allocate: activities.csv + a model → allocations.csv
 * (CONTRACTS "Allocation arithmetic", which this follows to the letter).
 *
 * One pass over the activities sums what each line needs per (payer,
 * provider, period); only the rows of capped lines are kept, because a
 * cap is first come first served in a fixed order.  Then each line is
 * rounded once: rate lines per key, pots by largest remainder.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "list.h"
#include "model.h"
#include "money.h"
#include "ref.h"
#include "stage.h"

#define M_RATE	0
#define M_SHARE	1
#define M_FIXED	2
#define M_BLEND	3

static const char *const method_names[] = { "rate", "share", "fixed", "blend" };

struct wmap {			/* category → weight, or provider → amount */
	struct list	keys;
	rat		*vals;
};

/*
 * The ids the activities repeat (providers, periods, payers, files,
 * persons), each held once with a small number, so that a row costs a few
 * lookups in small tables and the per-line sums are keyed by integers.
 */
struct dict {
	struct table	*t;		/* name → id + 1 */
	uint32_t	 last;		/* id + 1 of the last name looked up */
};

/* what a line has summed for one (payer, provider, period) */
struct acc {
	const char	*payer, *provider, *period;
	uint64_t	 key;		/* the three ids */
	rat		 qty;		/* basis units, after caps */
	rat		 exact;		/* kronor before rounding (share: weight) */
	i128		 units;		/* rounded, in the line's money unit */
};

/* a line's sums: insertion order, and an open-addressed index by key */
struct accmap {
	struct acc	**v;
	size_t		  n, cap;
	uint32_t	 *slots;	/* index + 1 into v; 0 is empty */
	size_t		  nslots;
};

/* a row of a capped line, kept until the cap can be applied in order */
struct capped {
	uint32_t	 person, file, payer, provider, period;
	int		 weight;	/* index into the line's weights; -1: 1 */
	long		 line;
	rat		 qty;
};

struct line {
	char		*id, *title, *fund, *purpose, *payer, *basis, *detail;
	int		 method, internal, has_cap, has_pot, aka, year;
	int		 univ_payer;	/* payer @university */
	uint32_t	 payer_id;
	rat		 rate, factor, cap, pot, round, weight;
	rat		 wsum;		/* share: Σ weight, for --explain */
	rat		 precap;	/* Σ qty before the cap, for --explain */
	rat		 total;		/* rate: Σ exact kronor, for --explain */
	char		*from, *to;
	struct line	*lfrom, *lto;
	struct list	 stream, category, provider, host, university;
	struct wmap	 weights, amounts;
	struct accmap	 accs;
	struct capped	*rows;
	size_t		 nrows, caprows;
	int		 done, busy;
};

/* one activity a line summed, kept only for --explain */
struct trace {
	char	*src, *provider, *period, *category;
	rat	 qty, weight;
};

/* the lines that may select a stream, found the first time it is seen */
struct cands {
	int	*v;
	int	 n;
};

struct alloc {
	struct dict	  provd, perd, payd, filed, persd, streamd;
	struct cands	 *cands;	/* by stream id */
	size_t		  ncands;
	int		  perid[3][13];	/* rate period (kind, n) → id + 1 */
	uint32_t	  yearper;	/* the model's year as a period */
	signed char	 *provaka;	/* by provider id: 1 aka, 0 not, -1 unknown */
	size_t		  nprovaka;
	struct line	 *explain;	/* --explain LINE */
	const char	 *explain_prov;	/* … :PROVIDER, or NULL */
	struct trace	 *traces;
	size_t		  ntraces;
	struct line	**lines;
	int		  n;
	int		  year;
	struct table	 *payers;	/* NULL: any university is a payer */
	struct providers *provs;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-allocate (--model MODEL | --rules FILE) "
	    "[--providers FILE] [--internal]\n"
	    "                    [--explain LINE[:PROVIDER]] [-o FILE] "
	    "[--rejects FILE] [--quiet] [FILE...]\n"
	    "Allocate each budget line of the model over the activities.\n");
	exit(code);
}

static rat
need_rat(const char *s, const char *line, const char *field, int frac)
{
	rat r;

	if (rat_parse(s, frac, &r) < 0 || rat_sign(r) < 0)
		die(EXIT_USAGE, "rules: line %s: %s: not a decimal >= 0 (%s)",
		    line, field, s);
	return r;
}

static struct wmap
split_map(const char *s, const char *line, const char *field, int frac)
{
	struct wmap m = { { NULL, 0 }, NULL };
	struct list l = list_split(s);
	char *eq;
	int i;

	m.keys.v = emalloc((l.n + 1) * sizeof *m.keys.v);
	m.vals = emalloc((l.n + 1) * sizeof *m.vals);
	for (i = 0; i < l.n; i++) {
		if ((eq = strchr(l.v[i], '=')) == NULL)
			die(EXIT_USAGE, "rules: line %s: %s: not key=value (%s)",
			    line, field, l.v[i]);
		*eq = '\0';
		m.keys.v[i] = l.v[i];
		m.vals[i] = need_rat(eq + 1, line, field, frac);
	}
	m.keys.n = l.n;
	free(l.v);
	return m;
}

static int
strptr_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* the id of name (len bytes, not necessarily NUL-terminated), added if new */
static uint32_t
dict_id_n(struct dict *d, const char *name, size_t len)
{
	char buf[1024], *key;
	const char *last;
	void **slot;
	int created;

	if (d->t == NULL)
		d->t = table_new();
	if (d->last != 0) {
		last = table_key(d->t, d->last - 1);
		if (strncmp(last, name, len) == 0 && last[len] == '\0')
			return d->last - 1;
	}
	if (name[len] == '\0')
		key = (char *)name;
	else {
		if (len >= sizeof buf)
			die(EXIT_USAGE, "id too long (%.40s…)", name);
		memcpy(buf, name, len);
		buf[len] = '\0';
		key = buf;
	}
	slot = table_slot(d->t, key, &created);
	if (created) {
		if (table_len(d->t) >= UINT32_C(1) << 21)
			die(EXIT_IO, "more than 2^21 distinct ids (%s)", key);
		*slot = (void *)(uintptr_t)table_len(d->t);
	}
	d->last = (uint32_t)(uintptr_t)*slot;
	return d->last - 1;
}

static uint32_t
dict_id(struct dict *d, const char *name)
{
	return dict_id_n(d, name, strlen(name));
}

static const char *
dict_name(const struct dict *d, uint32_t id)
{
	return table_key(d->t, id);
}

static size_t
dict_len(const struct dict *d)
{
	return d->t == NULL ? 0 : table_len(d->t);
}

/* rank[id]: the position of each name in byte order */
static uint32_t *
dict_ranks(const struct dict *d)
{
	size_t n = dict_len(d), i, j;
	uint32_t *rank = emalloc((n + 1) * sizeof *rank);
	const char **by = emalloc((n + 1) * sizeof *by);

	for (i = 0; i < n; i++)
		by[i] = dict_name(d, i);
	if (n > 1)
		qsort(by, n, sizeof *by, strptr_cmp);
	/* names are unique, so a name's sorted position is its rank */
	for (i = 0; i < n; i++) {
		j = (uint32_t)(uintptr_t)table_get(d->t, by[i]) - 1;
		rank[j] = (uint32_t)i;
	}
	free(by);
	return rank;
}

static uint64_t
acc_key(uint32_t payer, uint32_t provider, uint32_t period)
{
	return (uint64_t)payer << 42 | (uint64_t)provider << 21 | period;
}

static size_t
acc_slot(const struct accmap *m, uint64_t key)
{
	size_t i = (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 20) &
	    (m->nslots - 1);

	while (m->slots[i] != 0 && m->v[m->slots[i] - 1]->key != key)
		i = (i + 1) & (m->nslots - 1);
	return i;
}

static struct acc *
acc_get(struct alloc *al, struct line *l, uint32_t payer, uint32_t provider,
    uint32_t period)
{
	struct accmap *m = &l->accs;
	uint64_t key = acc_key(payer, provider, period);
	struct acc *a;
	size_t i;

	if (m->nslots == 0) {
		m->nslots = 64;
		m->slots = ecalloc(m->nslots, sizeof *m->slots);
	}
	i = acc_slot(m, key);
	if (m->slots[i] != 0)
		return m->v[m->slots[i] - 1];
	a = ecalloc(1, sizeof *a);
	a->payer = dict_name(&al->payd, payer);
	a->provider = dict_name(&al->provd, provider);
	a->period = dict_name(&al->perd, period);
	a->key = key;
	a->qty = RAT_ZERO;
	a->exact = RAT_ZERO;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = erealloc(m->v, m->cap * sizeof *m->v);
	}
	m->v[m->n++] = a;
	m->slots[i] = (uint32_t)m->n;
	if (m->n * 2 > m->nslots) {
		free(m->slots);
		m->nslots *= 2;
		m->slots = ecalloc(m->nslots, sizeof *m->slots);
		for (i = 0; i < m->n; i++)
			m->slots[acc_slot(m, m->v[i]->key)] = (uint32_t)(i + 1);
	}
	return a;
}

static struct line *
line_by_id(struct alloc *al, const char *id)
{
	int i;

	for (i = 0; i < al->n; i++)
		if (strcmp(al->lines[i]->id, id) == 0)
			return al->lines[i];
	return NULL;
}

/* a blend may not depend on itself (the jq program says so too) */
static void
blend_acyclic(struct line *l)
{
	if (l->method != M_BLEND || l->done)
		return;
	if (l->busy)
		die(EXIT_USAGE, "rules: line %s: from/to: blend cycle", l->id);
	l->busy = 1;
	blend_acyclic(l->lfrom);
	blend_acyclic(l->lto);
	l->busy = 0;
	l->done = 1;
}

static void
load_rules(struct alloc *al, struct csvr *r)
{
	static const char *need[] = { "year", "line", "fund", "payer", "method",
	    NULL };
	struct line *l;
	const char *m;
	char year[16];
	int i;

#define F(name) csvr_field(r, csvr_col(r, name))
	for (i = 0; need[i] != NULL; i++)
		csvr_require(r, need[i]);
	while (csvr_next(r)) {
		if (csvr_bad(r))
			die(EXIT_USAGE, "%s:%ld: malformed row", csvr_name(r),
			    csvr_line(r));
		l = ecalloc(1, sizeof *l);
		l->id = estrdup(F("line"));
		l->title = estrdup(*F("title") ? F("title") : F("line"));
		l->fund = estrdup(F("fund"));
		l->purpose = estrdup(*F("purpose") ? F("purpose") : "education");
		l->payer = estrdup(F("payer"));
		l->basis = estrdup(F("basis"));
		l->detail = estrdup(F("detail"));
		l->year = atoi(F("year"));
		if (al->year == 0)
			al->year = l->year;
		m = F("method");
		for (l->method = 0; l->method < 4; l->method++)
			if (strcmp(m, method_names[l->method]) == 0)
				break;
		if (l->method == 4)
			die(EXIT_USAGE, "%s:%ld: line %s: method: unknown (%s)",
			    csvr_name(r), csvr_line(r), l->id, m);
		if (line_by_id(al, l->id) != NULL)
			die(EXIT_USAGE, "%s:%ld: line %s: duplicate line id",
			    csvr_name(r), csvr_line(r), l->id);
		l->rate = *F("rate") ? need_rat(F("rate"), l->id, "rate", 0) :
		    RAT_ZERO;
		l->factor = *F("factor") ? need_rat(F("factor"), l->id,
		    "factor", 1) : RAT_ONE;
		if ((l->has_cap = *F("cap_per_person") != '\0'))
			l->cap = need_rat(F("cap_per_person"), l->id,
			    "cap_per_person", 0);
		if ((l->has_pot = *F("pot") != '\0'))
			l->pot = need_rat(F("pot"), l->id, "pot", 0);
		l->round = need_rat(*F("round") ? F("round") : "1", l->id,
		    "round", 0);
		if (rat_is_zero(l->round))
			die(EXIT_USAGE, "rules: line %s: round: zero", l->id);
		l->weight = *F("weight") ? need_rat(F("weight"), l->id,
		    "weight", 1) : RAT_ZERO;
		if (l->method == M_BLEND && rat_cmp(l->weight, RAT_ONE) > 0)
			die(EXIT_USAGE, "rules: line %s: weight: more than 1 (%s)",
			    l->id, F("weight"));
		l->from = estrdup(F("from"));
		l->to = estrdup(F("to"));
		l->internal = strcmp(F("internal"), "true") == 0;
		l->stream = list_split(F("select_stream"));
		l->category = list_split(F("select_category"));
		l->provider = list_split(F("select_provider"));
		l->host = list_split(F("select_host"));
		l->university = list_split(F("select_university"));
		l->aka = strcmp(F("select_aka"), "true") == 0;
		if (*F("select_year") != '\0')
			l->year = atoi(F("select_year"));
		l->weights = split_map(F("weights"), l->id, "weights", 1);
		l->amounts = split_map(F("amounts"), l->id, "amounts", 0);
		if ((l->method == M_RATE || l->method == M_SHARE) &&
		    l->stream.n == 0)
			die(EXIT_USAGE, "rules: line %s: select_stream: missing",
			    l->id);
		if (l->method == M_SHARE && !l->has_pot)
			die(EXIT_USAGE, "rules: line %s: pot: missing", l->id);
		if ((l->method == M_SHARE || (l->method == M_RATE && l->has_pot))
		    && rat_div(l->pot, l->round).d != 1)
			/* CONTRACTS: a pot that is not whole units is an error */
			die(EXIT_USAGE, "rules: line %s: pot: not a whole number "
			    "of the money unit %s", l->id, *F("round") ? F("round") :
			    "1");
		if (!(l->univ_payer = strcmp(l->payer, "@university") == 0))
			l->payer_id = dict_id(&al->payd, l->payer);
		al->lines = erealloc(al->lines, (al->n + 1) * sizeof *al->lines);
		al->lines[al->n++] = l;
	}
#undef F
	for (i = 0; i < al->n; i++) {
		l = al->lines[i];
		if (l->method != M_BLEND)
			continue;
		if ((l->lfrom = line_by_id(al, l->from)) == NULL ||
		    (l->lto = line_by_id(al, l->to)) == NULL)
			die(EXIT_USAGE, "rules: line %s: from/to: no such line "
			    "(%s, %s)", l->id, l->from, l->to);
	}
	for (i = 0; i < al->n; i++)
		blend_acyclic(al->lines[i]);
	for (i = 0; i < al->n; i++)
		al->lines[i]->done = 0;
	snprintf(year, sizeof year, "%d", al->year);
	al->yearper = dict_id(&al->perd, year);
}

/* days per unit, for hap ↔ weeks ↔ days; 0 for units that never convert */
static int
days_per(const char *uom)
{
	if (strcmp(uom, "hap") == 0)
		return 200;	/* 1 HÅP = 40 weeks */
	if (strcmp(uom, "weeks") == 0)
		return 5;
	if (strcmp(uom, "days") == 0)
		return 1;
	return 0;
}

/* qty in uom as basis units; -1 when it does not convert */
static int
convert(rat qty, const char *uom, const char *basis, rat *out)
{
	int a, b;

	if (*basis == '\0' || strcmp(uom, basis) == 0) {
		*out = qty;
		return 0;
	}
	if ((a = days_per(uom)) == 0 || (b = days_per(basis)) == 0)
		return -1;
	*out = rat_mul(qty, rat_make(a, b));
	return 0;
}

/* An activity row, as the lines see it. */
struct act {
	const char	*id, *provider, *host, *category, *university, *person;
	const char	*stream, *uom, *period;
	int		 year;
	rat		 qty;
	struct period	 p;
};

/* the ids of one row, looked up once however many lines take it */
struct rowids {
	int		 have_prov, have_per, have_univ;
	uint32_t	 prov, per, univ;
};

static void	trace(struct alloc *, const struct act *, const char *, rat, rat);

/* the lines (rate and share, in model order) whose select names stream */
static const struct cands *
candidates(struct alloc *al, const char *stream)
{
	uint32_t id = dict_id(&al->streamd, stream);
	struct cands *c;
	struct line *l;
	int i;

	if (id >= al->ncands) {
		al->cands = erealloc(al->cands, (id + 1) * sizeof *al->cands);
		while (al->ncands <= id) {
			c = &al->cands[al->ncands++];
			c->v = NULL;
			c->n = -1;
		}
	}
	c = &al->cands[id];
	if (c->n < 0) {
		c->v = emalloc((al->n + 1) * sizeof *c->v);
		c->n = 0;
		for (i = 0; i < al->n; i++) {
			l = al->lines[i];
			if ((l->method == M_RATE || l->method == M_SHARE) &&
			    list_selects(&l->stream, stream))
				c->v[c->n++] = i;
		}
	}
	return c;
}

static int
provider_aka(struct alloc *al, struct rowids *ids, const struct act *a)
{
	struct provider *p;
	size_t n;

	if (!ids->have_prov) {
		ids->prov = dict_id(&al->provd, a->provider);
		ids->have_prov = 1;
	}
	if (ids->prov >= al->nprovaka) {
		n = dict_len(&al->provd) + 16;
		al->provaka = erealloc(al->provaka, n);
		memset(al->provaka + al->nprovaka, -1, n - al->nprovaka);
		al->nprovaka = n;
	}
	if (al->provaka[ids->prov] < 0) {
		p = provider_by_id(al->provs, a->provider);
		al->provaka[ids->prov] = p != NULL && p->aka;
	}
	return al->provaka[ids->prov];
}

/* stream is matched already, by candidates() */
static int
selects(struct alloc *al, const struct line *l, const struct act *a,
    struct rowids *ids)
{
	if (a->year != l->year ||
	    !list_selects(&l->category, a->category) ||
	    !list_selects(&l->provider, a->provider) ||
	    !list_selects(&l->host, a->host) ||
	    !list_selects(&l->university, a->university))
		return 0;
	return !l->aka || provider_aka(al, ids, a);
}

/*
 * The period a line writes: share lines the model's year; rate lines the
 * activity's period in the model's year (a line that selects another year
 * writes the model's).
 */
static uint32_t
out_period(struct alloc *al, const struct line *l, const struct act *a,
    struct rowids *ids)
{
	struct period p = a->p;
	char buf[PERIOD_LEN];
	int *slot;

	if (l->method == M_SHARE)
		return al->yearper;
	if (ids->have_per)
		return ids->per;
	slot = &al->perid[p.kind == PERIOD_YEAR ? 0 : p.kind == PERIOD_HALF ?
	    1 : 2][p.n >= 0 && p.n <= 12 ? p.n : 0];
	if (*slot == 0) {
		p.year = al->year;
		*slot = (int)dict_id(&al->perd, period_fmt(&p, buf,
		    sizeof buf)) + 1;
	}
	ids->per = (uint32_t)*slot - 1;
	ids->have_per = 1;
	return ids->per;
}

static int
weight_index(const struct wmap *w, const char *category)
{
	int i;

	for (i = 0; i < w->keys.n; i++)
		if (strcmp(w->keys.v[i], category) == 0)
			return i;
	return -1;
}

/* the file and line of an id FILE:LINE[:PERIOD] */
static void
id_file_line(struct alloc *al, const char *id, uint32_t *file, long *line)
{
	const char *colon = strrchr(id, ':'), *p;

	if (colon != NULL && strchr(id, ':') != colon &&
	    strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
		p = colon - 1;
		while (p > id && *p != ':')
			p--;
		*file = dict_id_n(&al->filed, id, p - id);
		*line = atol(p + 1);
	} else if (colon != NULL) {
		*file = dict_id_n(&al->filed, id, colon - id);
		*line = atol(colon + 1);
	} else {
		*file = dict_id(&al->filed, id);
		*line = 0;
	}
}

/*
 * Check the row against every line that selects it; a row any of them
 * cannot use is rejected whole, so no line counts half of it.
 */
static int
take(struct alloc *al, struct stage *st, const struct csvr *r,
    const struct act *a)
{
	const struct cands *cs = candidates(al, a->stream);
	struct rowids ids = { 0 };
	struct line *l;
	const char *payer;
	rat q, w;
	struct acc *acc;
	struct capped *c;
	uint32_t payer_id, per_id;
	int i, wi, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cs->n; i++) {
			l = al->lines[cs->v[i]];
			if (!selects(al, l, a, &ids))
				continue;
			payer = l->univ_payer ? a->university : l->payer;
			if (pass == 0) {
				if (convert(a->qty, a->uom, l->basis, &q) < 0) {
					stage_reject(st, r, "uom", a->uom, NULL,
					    "line %s counts %s; this unit does "
					    "not convert", l->id, l->basis);
					return -1;
				}
				if (l->univ_payer && (*payer == '\0' ||
				    (al->payers != NULL &&
				    table_get(al->payers, payer) == NULL))) {
					stage_reject(st, r, "university", payer,
					    NULL, "line %s: the university is "
					    "not a payer of the model", l->id);
					return -1;
				}
				if (l->has_cap && *a->person == '\0') {
					stage_reject(st, r, "person", NULL, NULL,
					    "line %s caps per person; the row "
					    "has no person", l->id);
					return -1;
				}
				continue;
			}
			convert(a->qty, a->uom, l->basis, &q);
			wi = l->weights.keys.n > 0 ?
			    weight_index(&l->weights, a->category) : -1;
			w = wi < 0 ? RAT_ONE : l->weights.vals[wi];
			per_id = out_period(al, l, a, &ids);
			if (!l->univ_payer)
				payer_id = l->payer_id;
			else {
				if (!ids.have_univ) {
					ids.univ = dict_id(&al->payd, payer);
					ids.have_univ = 1;
				}
				payer_id = ids.univ;
			}
			if (!ids.have_prov) {
				ids.prov = dict_id(&al->provd, a->provider);
				ids.have_prov = 1;
			}
			if (l == al->explain && (al->explain_prov == NULL ||
			    strcmp(al->explain_prov, a->provider) == 0))
				trace(al, a, dict_name(&al->perd, per_id), q, w);
			if (l->has_cap) {
				if (l->nrows == l->caprows) {
					l->caprows = l->caprows ? l->caprows * 2 : 64;
					l->rows = erealloc(l->rows,
					    l->caprows * sizeof *l->rows);
				}
				c = &l->rows[l->nrows++];
				c->person = dict_id(&al->persd, a->person);
				id_file_line(al, a->id, &c->file, &c->line);
				c->payer = payer_id;
				c->provider = ids.prov;
				c->period = per_id;
				c->qty = q;
				c->weight = wi;
				continue;
			}
			acc = acc_get(al, l, payer_id, ids.prov, per_id);
			acc->qty = rat_add(acc->qty, q);
			/* Σ qty × weight; a rate line multiplies by its rate once,
			 * in compute(), which is the same exact sum.  Without
			 * weights it is Σ qty, set there. */
			if (l->weights.keys.n > 0 && !rat_is_zero(q))
				acc->exact = rat_add(acc->exact, wi < 0 ? q :
				    rat_mul(q, w));
		}
	}
	return 0;
}

static void
trace(struct alloc *al, const struct act *a, const char *period, rat q, rat w)
{
	struct trace *t;

	al->traces = erealloc(al->traces, (al->ntraces + 1) * sizeof *al->traces);
	t = &al->traces[al->ntraces++];
	t->src = estrdup(a->id);
	t->provider = estrdup(a->provider);
	t->period = estrdup(period);
	t->category = estrdup(a->category);
	t->qty = q;
	t->weight = w;
}

/* the order a cap takes one person's rows in, as integers */
struct capkey {
	uint32_t	 period, file, provider, payer;
	long		 line;
	const struct capped *row;
};

static int
capkey_cmp(const void *x, const void *y)
{
	const struct capkey *a = x, *b = y;

	/* CONTRACTS: period order, then the id's FILE byte-wise, LINE
	 * numerically; provider, payer and quantity only break ties, so
	 * the order never depends on the input's */
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->provider != b->provider)
		return a->provider < b->provider ? -1 : 1;
	if (a->payer != b->payer)
		return a->payer < b->payer ? -1 : 1;
	return rat_cmp(a->row->qty, b->row->qty);
}

/*
 * First come first served: cut each row to what is left of its person's
 * cap.  A cap is each person's own, so the rows are grouped by person
 * (counting sort) and only each person's few rows are put in order.
 */
static void
apply_cap(struct alloc *al, struct line *l)
{
	uint32_t *prank, *frank, *vrank, *yrank;
	size_t *start, i, j, np, k;
	struct capkey *order, *o;
	const struct capped *c;
	struct acc *acc;
	rat used, left, q;

	l->precap = RAT_ZERO;
	if (l->nrows == 0)
		return;
	if (l == al->explain)
		for (i = 0; i < l->nrows; i++)
			l->precap = rat_add(l->precap, l->rows[i].qty);
	np = dict_len(&al->persd);
	start = ecalloc(np + 2, sizeof *start);
	for (i = 0; i < l->nrows; i++)
		start[l->rows[i].person + 2]++;
	for (k = 2; k < np + 2; k++)
		start[k] += start[k - 1];
	prank = dict_ranks(&al->perd);
	frank = dict_ranks(&al->filed);
	vrank = dict_ranks(&al->provd);
	yrank = dict_ranks(&al->payd);
	order = emalloc(l->nrows * sizeof *order);
	for (i = 0; i < l->nrows; i++) {
		c = &l->rows[i];
		o = &order[start[c->person + 1]++];
		o->period = prank[c->period];
		o->file = frank[c->file];
		o->provider = vrank[c->provider];
		o->payer = yrank[c->payer];
		o->line = c->line;
		o->row = c;
	}
	free(prank);
	free(frank);
	free(vrank);
	free(yrank);
	/* start[k] is now where person k's rows begin */
	for (k = 0; k < np; k++) {
		if (start[k + 1] - start[k] > 1)
			qsort(order + start[k], start[k + 1] - start[k],
			    sizeof *order, capkey_cmp);
		used = RAT_ZERO;
		for (j = start[k]; j < start[k + 1]; j++) {
			c = order[j].row;
			left = rat_sub(l->cap, used);
			q = rat_cmp(c->qty, left) <= 0 ? c->qty : left;
			if (rat_sign(q) < 0)
				q = RAT_ZERO;
			used = rat_add(used, q);
			acc = acc_get(al, l, c->payer, c->provider, c->period);
			acc->qty = rat_add(acc->qty, q);
			if (l->weights.keys.n > 0 && !rat_is_zero(q))
				acc->exact = rat_add(acc->exact, c->weight < 0 ?
				    q : rat_mul(q, l->weights.vals[c->weight]));
		}
	}
	free(start);
	free(order);
	free(l->rows);
	l->rows = NULL;
	l->nrows = l->caprows = 0;
}

static int
rem_cmp(const void *x, const void *y)
{
	const struct acc *a = *(struct acc *const *)x, *b = *(struct acc *const *)y;
	int c;

	/* largest remainder first; ties: smaller provider id, earlier period */
	if ((c = rat_cmp(b->exact, a->exact)) != 0)
		return c;
	if ((c = strcmp(a->provider, b->provider)) != 0)
		return c;
	if ((c = strcmp(a->period, b->period)) != 0)
		return c;
	return strcmp(a->payer, b->payer);
}

/*
 * apportion(T, s) (CONTRACTS): floor each share, then hand the units left
 * to the largest remainders.  share[i] is in money units; the result goes
 * to each acc's units.  exact is borrowed for the remainder while sorting.
 */
static void
apportion(struct acc **v, size_t n, const rat *share, i128 total)
{
	struct acc **order;
	rat *keep;
	i128 given = 0;
	size_t i;

	order = emalloc(n * sizeof *order);
	keep = emalloc(n * sizeof *keep);
	for (i = 0; i < n; i++) {
		v[i]->units = rat_floor(share[i]);
		given += v[i]->units;
		keep[i] = v[i]->exact;
		v[i]->exact = rat_sub(share[i], rat_make(v[i]->units, 1));
		order[i] = v[i];
	}
	if (n > 1)
		qsort(order, n, sizeof *order, rem_cmp);
	if (total - given < 0 || total - given > (i128)n)
		die(EXIT_IO, "internal error: apportion cannot reach its total");
	for (i = 0; i < (size_t)(total - given); i++)
		order[i]->units++;
	for (i = 0; i < n; i++)
		v[i]->exact = keep[i];
	free(order);
	free(keep);
}

static struct acc **
acc_vector(struct line *l, size_t *n)
{
	struct acc **v;
	size_t i;

	*n = l->accs.n;
	v = emalloc((*n + 1) * sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = l->accs.v[i];
	return v;
}

/* exact kronor of every key of a line, once it is computed */
static void compute(struct alloc *, struct line *, struct stage *);

static void
compute_pot(struct line *l, rat total_exact)
{
	struct acc **v;
	rat *share;
	size_t n, i;

	v = acc_vector(l, &n);
	share = emalloc((n + 1) * sizeof *share);
	for (i = 0; i < n; i++)
		share[i] = rat_div(rat_div(rat_mul(l->pot, v[i]->exact),
		    total_exact), l->round);
	apportion(v, n, share, rat_div(l->pot, l->round).n);
	/* exact becomes kronor: what a blend of this line uses */
	for (i = 0; i < n; i++)
		v[i]->exact = rat_mul(share[i], l->round);
	free(share);
	free(v);
}

static void
compute(struct alloc *al, struct line *l, struct stage *st)
{
	struct acc **v, *a, *b;
	size_t n, i;
	rat total, *share;
	char buf[RAT_FMTLEN];
	int k;

	if (l->done)
		return;
	l->done = 1;
	switch (l->method) {
	case M_RATE:
		if (l->has_cap)
			apply_cap(al, l);
		v = acc_vector(l, &n);
		total = RAT_ZERO;
		for (i = 0; i < n; i++) {
			/* Σ qty × weight × rate × factor */
			if (l->weights.keys.n == 0)
				v[i]->exact = v[i]->qty;
			v[i]->exact = rat_mul(v[i]->exact,
			    rat_mul(l->rate, l->factor));
			total = rat_add(total, v[i]->exact);
		}
		l->total = total;
		if (l->has_pot && rat_cmp(total, l->pot) > 0) {
			/* "as far as the budget lasts": the pot is a ceiling */
			compute_pot(l, total);
		} else {
			for (i = 0; i < n; i++)
				v[i]->units = rat_round_units(v[i]->exact,
				    l->round);
		}
		free(v);
		break;
	case M_SHARE:
		v = acc_vector(l, &n);
		total = RAT_ZERO;
		for (i = 0; i < n; i++) {
			if (l->weights.keys.n == 0)
				v[i]->exact = v[i]->qty;
			total = rat_add(total, v[i]->exact);
		}
		free(v);
		l->wsum = total;
		if (rat_is_zero(total)) {
			/* a January run: nothing to share by yet */
			diag(NULL, 0, NULL, "line %s: pot %s undistributed: no "
			    "activity to share it by", l->id,
			    rat_fmt(l->pot, buf, sizeof buf));
			st->failed = 1;
			for (i = 0; i < l->accs.n; i++) {
				a = l->accs.v[i];
				a->units = 0;
				a->exact = RAT_ZERO;
			}
			break;
		}
		compute_pot(l, total);
		break;
	case M_FIXED:
		for (k = 0; k < l->amounts.keys.n; k++) {
			a = acc_get(al, l, l->payer_id, dict_id(&al->provd,
			    l->amounts.keys.v[k]), al->yearper);
			a->exact = l->amounts.vals[k];
			a->units = rat_floor(rat_div(a->exact, l->round));
		}
		break;
	case M_BLEND:
		compute(al, l->lfrom, st);
		compute(al, l->lto, st);
		/* A_p + (B_p − A_p) × weight, on the exact amounts per payer, provider */
		for (k = 0; k < 2; k++) {
			struct line *src = k == 0 ? l->lfrom : l->lto;

			for (i = 0; i < src->accs.n; i++) {
				b = src->accs.v[i];
				a = acc_get(al, l, (uint32_t)(b->key >> 42),
				    (uint32_t)(b->key >> 21) & 0x1fffff,
				    al->yearper);
				a->exact = rat_add(a->exact, rat_mul(b->exact,
				    k == 0 ? rat_sub(RAT_ONE, l->weight) :
				    l->weight));
			}
		}
		v = acc_vector(l, &n);
		share = emalloc((n + 1) * sizeof *share);
		total = RAT_ZERO;
		for (i = 0; i < n; i++) {
			share[i] = rat_div(v[i]->exact, l->round);
			total = rat_add(total, v[i]->exact);
		}
		apportion(v, n, share, rat_round_units(total, l->round));
		free(share);
		free(v);
		break;
	}
}

static int
out_cmp(const void *x, const void *y)
{
	const struct acc *a = *(struct acc *const *)x, *b = *(struct acc *const *)y;
	int c;

	if ((c = strcmp(a->provider, b->provider)) != 0)
		return c;
	if ((c = strcmp(a->period, b->period)) != 0)
		return c;
	return strcmp(a->payer, b->payer);
}

static long
write_line(FILE *fp, const struct alloc *al, struct line *l, int internal)
{
	struct acc **v;
	size_t n, i;
	char year[8], method[32], qty[RAT_FMTLEN], rate[RAT_FMTLEN], amt[32];
	const char *f[13];

	v = acc_vector(l, &n);
	if (n > 1)
		qsort(v, n, sizeof *v, out_cmp);
	snprintf(year, sizeof year, "%d", al->year);
	snprintf(method, sizeof method, "%s%s", internal ? "internal:" : "",
	    method_names[l->method]);
	if (l->method == M_RATE)
		rat_fmt(rat_mul(l->rate, l->factor), rate, sizeof rate);
	for (i = 0; i < n; i++) {
		f[0] = year;
		f[1] = l->id;
		f[2] = l->title;
		f[3] = l->fund;
		f[4] = l->purpose;
		f[5] = v[i]->payer;
		f[6] = v[i]->provider;
		f[7] = v[i]->period;
		f[8] = method;
		f[9] = l->method == M_RATE || l->method == M_SHARE ?
		    rat_fmt(v[i]->qty, qty, sizeof qty) : "";
		f[10] = l->method == M_RATE || l->method == M_SHARE ?
		    l->basis : "";
		f[11] = l->method == M_RATE ? rate : "";
		/* fixed amounts are as given; the rest were rounded once */
		f[12] = money_fmt(rat_to_ore(l->method == M_FIXED ? v[i]->exact :
		    rat_mul(rat_make(v[i]->units, 1), l->round)), amt, sizeof amt);
		csvw_row(fp, f, 13);
	}
	free(v);
	return (long)n;
}

/*
 * --explain LINE[:PROVIDER]: what a person checking a figure needs — the
 * activities summed, with their src, the exact value, the cap or ceiling
 * and the rounding.
 */
static void
explain(FILE *fp, struct alloc *al)
{
	struct line *l = al->explain;
	struct trace *t;
	struct acc *a;
	char b1[RAT_FMTLEN], b2[RAT_FMTLEN], b3[32];
	struct acc **v;
	rat qty = RAT_ZERO;
	size_t i, n;

	fprintf(fp, "line %s: %s\n", l->id, l->title);
	fprintf(fp, "method %s, fund %s, payer %s, basis %s, money unit %s kr\n",
	    method_names[l->method], l->fund, l->payer,
	    *l->basis ? l->basis : "-", rat_fmt(l->round, b1, sizeof b1));
	if (l->method == M_RATE)
		fprintf(fp, "rate %s × factor %s\n", rat_fmt(l->rate, b1,
		    sizeof b1), rat_fmt(l->factor, b2, sizeof b2));
	if (l->has_cap)
		fprintf(fp, "cap per person %s %s a year, first come first "
		    "served\n", rat_fmt(l->cap, b1, sizeof b1), l->basis);
	if (l->has_pot)
		fprintf(fp, "%s %s kr\n", l->method == M_SHARE ? "pot" :
		    "ceiling (as far as the budget lasts)",
		    rat_fmt(l->pot, b1, sizeof b1));
	if (l->method == M_BLEND)
		fprintf(fp, "blend from %s to %s, weight %s\n", l->from, l->to,
		    rat_fmt(l->weight, b1, sizeof b1));
	if (l->method == M_RATE || l->method == M_SHARE) {
		fprintf(fp, "activities summed (src, provider, period, %s, "
		    "category weight):\n", l->basis);
		for (i = 0; i < al->ntraces; i++) {
			t = &al->traces[i];
			fprintf(fp, "  %s %s %s %s %s\n", t->src, t->provider,
			    t->period, rat_fmt(t->qty, b1, sizeof b1),
			    rat_fmt(t->weight, b2, sizeof b2));
		}
	}
	for (i = 0; i < l->accs.n; i++) {
		a = l->accs.v[i];
		qty = rat_add(qty, a->qty);
	}
	if (l->has_cap)
		fprintf(fp, "summed before the cap %s %s, after it %s\n",
		    rat_fmt(l->precap, b1, sizeof b1), l->basis,
		    rat_fmt(qty, b2, sizeof b2));
	if (l->method == M_RATE)
		fprintf(fp, "exact total %s kr%s\n", rat_fmt(l->total, b1,
		    sizeof b1), !l->has_pot ? "" : rat_cmp(l->total, l->pot) > 0 ?
		    ": above the ceiling, which binds: each gets ceiling × "
		    "exact / total" : ": within the ceiling, which does not bind");
	if (l->method == M_SHARE)
		fprintf(fp, "total weight %s: each share = pot × weight / total\n",
		    rat_fmt(l->wsum, b1, sizeof b1));
	fprintf(fp, "result (provider, period, payer: %s summed, exact kr → "
	    "amount):\n", l->method == M_FIXED || l->method == M_BLEND ?
	    "-" : l->basis);
	v = acc_vector(l, &n);
	if (n > 1)
		qsort(v, n, sizeof *v, out_cmp);
	for (i = 0; i < n; i++) {
		a = v[i];
		if (al->explain_prov != NULL &&
		    strcmp(a->provider, al->explain_prov) != 0)
			continue;
		fprintf(fp, "  %s %s %s: %s, %s%s → %s\n", a->provider,
		    a->period, a->payer, rat_fmt(a->qty, b1, sizeof b1),
		    rat_fmt(a->exact, b2, sizeof b2),
		    rat_terminates(a->exact) ? "" : "…",
		    money_fmt(rat_to_ore(l->method == M_FIXED ? a->exact :
		    rat_mul(rat_make(a->units, 1), l->round)), b3, sizeof b3));
	}
	free(v);
	fprintf(fp, "rounding: %s\n", l->method == M_RATE && !(l->has_pot &&
	    rat_cmp(l->total, l->pot) > 0) ? "each amount half away from zero "
	    "to the money unit" : l->method == M_FIXED ? "none, as given" :
	    "the pot apportioned by largest remainder (ties: smaller "
	    "provider id, then earlier period)");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "rules", required_argument, NULL, 'R' },
		{ "providers", required_argument, NULL, 'p' },
		{ "internal", no_argument, NULL, 'i' },
		{ "explain", required_argument, NULL, 'e' },
		STAGE_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const cols[] = { "year", "line", "title", "fund",
	    "purpose", "payer", "provider", "period", "method", "qty", "uom",
	    "rate", "amount" };
	static const char *const need[] = { "id", "year", "period", "provider",
	    "stream", "qty", "uom", NULL };
	struct stage st = { 0 };
	struct alloc al = { 0 };
	const char *outpath = NULL, *model = NULL, *rules = NULL;
	const char *provpath = NULL, *explain_what = NULL;
	const char **files;
	struct table *meta;
	struct atomic *out;
	struct csvr *r;
	struct act a;
	int ch, nfiles, f, i, internal = 0, needaka = 0;
	int c_id, c_year, c_period, c_prov, c_host, c_cat, c_univ, c_person;
	int c_stream, c_qty, c_uom;
	FILE *fp;

	err_init("alf-allocate");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			model = optarg;
			break;
		case 'R':
			rules = optarg;
			break;
		case 'p':
			provpath = optarg;
			break;
		case 'i':
			internal = 1;
			break;
		case 'e':
			explain_what = optarg;
			break;
		default:
			if (!stage_option(&st, ch, optarg, usage))
				usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	outpath = st.output;
	if ((model == NULL) == (rules == NULL))
		die(EXIT_USAGE, "give one of --model MODEL and --rules FILE");
	files = stage_inputs(argc, argv, &nfiles);

	if (model != NULL) {
		meta = model_meta(model);
		al.payers = table_new();
		for (i = 0; i < (int)table_len(meta); i++) {
			const char *k = table_key(meta, i);
			if (strncmp(k, "payer\x1f", 6) == 0) {
				char *id = estrndup(k + 6,
				    strcspn(k + 6, "\x1f"));
				*table_slot(al.payers, id, NULL) = (void *)1;
				free(id);
			}
		}
		r = model_rules(model);
	} else
		r = csvr_open(rules, ',');
	load_rules(&al, r);
	csvr_close(r);
	for (i = 0; i < al.n; i++)
		needaka |= al.lines[i]->aka;
	if (explain_what != NULL) {
		char *id = estrdup(explain_what), *colon = strchr(id, ':');

		if (colon != NULL) {
			*colon = '\0';
			al.explain_prov = colon + 1;
		}
		if ((al.explain = line_by_id(&al, id)) == NULL)
			die(EXIT_USAGE, "--explain: no line %s in the model", id);
	}
	if (provpath != NULL)
		al.provs = providers_load(provpath);
	else if (needaka)
		die(EXIT_USAGE, "a line selects aka providers: --providers FILE "
		    "is required");

	for (f = 0; f < nfiles; f++) {
		r = csvr_open(files[f], ',');
		for (i = 0; need[i] != NULL; i++)
			csvr_require(r, need[i]);
		c_id = csvr_col(r, "id");
		c_year = csvr_col(r, "year");
		c_period = csvr_col(r, "period");
		c_prov = csvr_col(r, "provider");
		c_host = csvr_col(r, "host");
		c_cat = csvr_col(r, "category");
		c_univ = csvr_col(r, "university");
		c_person = csvr_col(r, "person");
		c_stream = csvr_col(r, "stream");
		c_qty = csvr_col(r, "qty");
		c_uom = csvr_col(r, "uom");
		while (csvr_next(r)) {
			st.read++;
			if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r)) {
				stage_reject(&st, r, NULL, NULL, NULL,
				    "expected %d fields, found %d",
				    csvr_ncols(r), csvr_nfields(r));
				continue;
			}
			a.id = csvr_field(r, c_id);
			a.provider = csvr_field(r, c_prov);
			a.host = csvr_field(r, c_host);
			a.category = csvr_field(r, c_cat);
			a.university = csvr_field(r, c_univ);
			a.person = csvr_field(r, c_person);
			a.stream = csvr_field(r, c_stream);
			a.uom = csvr_field(r, c_uom);
			a.period = csvr_field(r, c_period);
			a.year = year_atoi(csvr_field(r, c_year));
			if (period_parse(a.period, &a.p) < 0 ||
			    a.p.year != a.year) {
				stage_reject(&st, r, "period", a.period, NULL,
				    "not a period of the row's year");
				continue;
			}
			if (rat_parse(csvr_field(r, c_qty), 0, &a.qty) < 0 ||
			    rat_sign(a.qty) < 0) {
				stage_reject(&st, r, "qty", csvr_field(r, c_qty),
				    NULL, "not a quantity >= 0");
				continue;
			}
			if (*a.provider == '\0') {
				stage_reject(&st, r, "provider", NULL, NULL,
				    "empty");
				continue;
			}
			if (take(&al, &st, r, &a) == 0)
				st.accepted++;
		}
		csvr_close(r);
	}

	for (i = 0; i < al.n; i++)
		compute(&al, al.lines[i], &st);
	out = atomic_open(outpath);
	if (al.explain != NULL) {
		explain(atomic_fp(out), &al);
		atomic_close(out);
		st.quiet = 1;
		return stage_finish(&st);
	}
	fp = atomic_fp(out);
	csvw_row(fp, cols, 13);
	for (i = 0; i < al.n; i++)
		if (!al.lines[i]->internal || internal)
			st.written += write_line(fp, &al, al.lines[i],
			    al.lines[i]->internal);
	atomic_close(out);
	return stage_finish(&st);
}
