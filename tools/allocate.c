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

/* what a line has summed for one (payer, provider, period) */
struct acc {
	char	*payer, *provider, *period;
	rat	 qty;		/* basis units, after caps */
	rat	 exact;		/* kronor before rounding (share: weight) */
	i128	 units;		/* rounded, in the line's money unit */
};

/* a row of a capped line, kept until the cap can be applied in order */
struct capped {
	char	*person, *file, *payer, *provider, *period;
	long	 line;
	rat	 qty, weight;
};

struct line {
	char		*id, *title, *fund, *purpose, *payer, *basis, *detail;
	int		 method, internal, has_cap, has_pot, aka, year;
	rat		 rate, factor, cap, pot, round, weight;
	rat		 wsum;		/* share: Σ weight, for --explain */
	char		*from, *to;
	struct line	*lfrom, *lto;
	struct list	 stream, category, provider, host, university;
	struct wmap	 weights, amounts;
	struct table	*accs;		/* key → struct acc */
	struct capped	*rows;
	size_t		 nrows, caprows;
	int		 done;
};

/* one activity a line summed, kept only for --explain */
struct trace {
	char	*src, *provider, *period, *category;
	rat	 qty, weight;
};

struct alloc {
	struct table	 *strings;	/* interned ids of capped rows */
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

static rat
weight_of(const struct wmap *w, const char *category)
{
	int i;

	for (i = 0; i < w->keys.n; i++)
		if (strcmp(w->keys.v[i], category) == 0)
			return w->vals[i];
	return RAT_ONE;
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

static void
load_rules(struct alloc *al, struct csvr *r)
{
	static const char *need[] = { "year", "line", "fund", "payer", "method",
	    NULL };
	struct line *l;
	const char *m;
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
		l->accs = table_new();
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

static struct acc *
acc_get(struct line *l, const char *payer, const char *provider,
    const char *period)
{
	char key[512];
	size_t lp = strlen(payer), lv = strlen(provider), le = strlen(period);
	void **slot;
	struct acc *a;
	int created;

	if (lp + lv + le + 3 > sizeof key)
		die(EXIT_USAGE, "ids too long (%s, %s, %s)", payer, provider,
		    period);
	memcpy(key, payer, lp);
	key[lp] = '\x1f';
	memcpy(key + lp + 1, provider, lv);
	key[lp + 1 + lv] = '\x1f';
	memcpy(key + lp + lv + 2, period, le + 1);
	slot = table_slot(l->accs, key, &created);
	if (created) {
		a = ecalloc(1, sizeof *a);
		a->payer = estrdup(payer);
		a->provider = estrdup(provider);
		a->period = estrdup(period);
		a->qty = RAT_ZERO;
		a->exact = RAT_ZERO;
		*slot = a;
	}
	return *slot;
}

/* An activity row, as the lines see it. */
struct act {
	const char	*id, *provider, *host, *category, *university, *person;
	const char	*stream, *uom, *period;
	int		 year;
	rat		 qty;
	struct period	 p;
};

static void	trace(struct alloc *, const struct act *, const char *, rat, rat);

/* one copy of each id: capped rows repeat a few providers and periods */
static char *
intern(struct alloc *al, const char *s)
{
	void **slot;
	int created;

	if (al->strings == NULL)
		al->strings = table_new();
	slot = table_slot(al->strings, s, &created);
	if (created)
		*slot = estrdup(s);
	return *slot;
}

static char *
intern_n(struct alloc *al, const char *s, size_t n)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "%.*s", (int)n, s);
	return intern(al, buf);
}

static int
selects(const struct alloc *al, const struct line *l, const struct act *a)
{
	struct provider *p;

	if (l->method != M_RATE && l->method != M_SHARE)
		return 0;
	if (a->year != l->year || !list_selects(&l->stream, a->stream) ||
	    !list_selects(&l->category, a->category) ||
	    !list_selects(&l->provider, a->provider) ||
	    !list_selects(&l->host, a->host) ||
	    !list_selects(&l->university, a->university))
		return 0;
	if (l->aka) {
		p = provider_by_id(al->provs, a->provider);
		if (p == NULL || !p->aka)
			return 0;
	}
	return 1;
}

/* the period written: a line that selects another year writes the model's */
static void
out_period(const struct alloc *al, const struct line *l, const struct act *a,
    char *buf, size_t len)
{
	struct period p = a->p;

	if (l->method == M_SHARE) {
		snprintf(buf, len, "%d", al->year);
		return;
	}
	p.year = al->year;
	period_fmt(&p, buf, len);
}

/*
 * Check the row against every line that selects it; a row any of them
 * cannot use is rejected whole, so no line counts half of it.
 */
static int
take(struct alloc *al, struct stage *st, const struct csvr *r,
    const struct act *a)
{
	struct line *l;
	const char *payer;
	char per[PERIOD_LEN];
	rat q, w;
	struct acc *acc;
	struct capped *c;
	const char *colon;
	int i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < al->n; i++) {
			l = al->lines[i];
			if (!selects(al, l, a))
				continue;
			payer = strcmp(l->payer, "@university") == 0 ?
			    a->university : l->payer;
			if (pass == 0) {
				if (convert(a->qty, a->uom, l->basis, &q) < 0) {
					stage_reject(st, r, "uom", a->uom, NULL,
					    "line %s counts %s; this unit does "
					    "not convert", l->id, l->basis);
					return -1;
				}
				if (payer != l->payer && (*payer == '\0' ||
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
			w = weight_of(&l->weights, a->category);
			out_period(al, l, a, per, sizeof per);
			if (l == al->explain && (al->explain_prov == NULL ||
			    strcmp(al->explain_prov, a->provider) == 0))
				trace(al, a, per, q, w);
			if (l->has_cap) {
				if (l->nrows == l->caprows) {
					l->caprows = l->caprows ? l->caprows * 2 : 64;
					l->rows = erealloc(l->rows,
					    l->caprows * sizeof *l->rows);
				}
				c = &l->rows[l->nrows++];
				c->person = intern(al, a->person);
				/* the id is FILE:LINE[:PERIOD] */
				colon = strrchr(a->id, ':');
				if (colon != NULL && strchr(a->id, ':') != colon &&
				    strspn(colon + 1, "0123456789") !=
				    strlen(colon + 1)) {
					const char *p = colon - 1;
					while (p > a->id && *p != ':')
						p--;
					c->file = intern_n(al, a->id, p - a->id);
					c->line = atol(p + 1);
				} else if (colon != NULL) {
					c->file = intern_n(al, a->id, colon - a->id);
					c->line = atol(colon + 1);
				} else {
					c->file = intern(al, a->id);
					c->line = 0;
				}
				c->payer = intern(al, payer);
				c->provider = intern(al, a->provider);
				c->period = intern(al, per);
				c->qty = q;
				c->weight = w;
				continue;
			}
			acc = acc_get(l, payer, a->provider, per);
			acc->qty = rat_add(acc->qty, q);
			/* Σ qty × weight; a rate line multiplies by its rate once,
			 * in compute(), which is the same exact sum */
			acc->exact = rat_add(acc->exact, w.n == w.d ? q :
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

static int
capped_cmp(const void *x, const void *y)
{
	const struct capped *a = x, *b = y;
	int c;

	/* CONTRACTS: period order, then the id's FILE byte-wise, LINE
	 * numerically; interned strings are equal when their pointers are */
	if (a->period != b->period && (c = strcmp(a->period, b->period)) != 0)
		return c;
	if (a->file != b->file && (c = strcmp(a->file, b->file)) != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* first come first served: cut each row to what is left of its person's cap */
static void
apply_cap(struct line *l)
{
	struct table *used = table_new();
	struct capped *c;
	struct acc *acc;
	rat *u, left, q;
	size_t i;
	void **slot;

	if (l->nrows > 1)
		qsort(l->rows, l->nrows, sizeof *l->rows, capped_cmp);
	for (i = 0; i < l->nrows; i++) {
		c = &l->rows[i];
		slot = table_slot(used, c->person, NULL);
		if (*slot == NULL) {
			u = emalloc(sizeof *u);
			*u = RAT_ZERO;
			*slot = u;
		}
		u = *slot;
		left = rat_sub(l->cap, *u);
		q = rat_cmp(c->qty, left) <= 0 ? c->qty : left;
		if (rat_sign(q) < 0)
			q = RAT_ZERO;
		*u = rat_add(*u, q);
		acc = acc_get(l, c->payer, c->provider, c->period);
		acc->qty = rat_add(acc->qty, q);
		acc->exact = rat_add(acc->exact, rat_mul(q, c->weight));
	}
	for (i = 0; i < table_len(used); i++)
		free(table_val(used, i));
	table_free(used);
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

	*n = table_len(l->accs);
	v = emalloc((*n + 1) * sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = table_val(l->accs, i);
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
	char per[8], buf[RAT_FMTLEN];
	int k;

	if (l->done)
		return;
	l->done = 1;
	switch (l->method) {
	case M_RATE:
		if (l->has_cap)
			apply_cap(l);
		v = acc_vector(l, &n);
		total = RAT_ZERO;
		for (i = 0; i < n; i++) {
			/* Σ qty × weight × rate × factor */
			v[i]->exact = rat_mul(v[i]->exact,
			    rat_mul(l->rate, l->factor));
			total = rat_add(total, v[i]->exact);
		}
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
		for (i = 0; i < n; i++)
			total = rat_add(total, v[i]->exact);
		free(v);
		l->wsum = total;
		if (rat_is_zero(total)) {
			/* a January run: nothing to share by yet */
			diag(NULL, 0, NULL, "line %s: pot %s undistributed: no "
			    "activity to share it by", l->id,
			    rat_fmt(l->pot, buf, sizeof buf));
			st->failed = 1;
			for (i = 0; i < table_len(l->accs); i++) {
				a = table_val(l->accs, i);
				a->units = 0;
				a->exact = RAT_ZERO;
			}
			break;
		}
		compute_pot(l, total);
		break;
	case M_FIXED:
		snprintf(per, sizeof per, "%d", al->year);
		for (k = 0; k < l->amounts.keys.n; k++) {
			a = acc_get(l, l->payer, l->amounts.keys.v[k], per);
			a->exact = l->amounts.vals[k];
			a->units = rat_floor(rat_div(a->exact, l->round));
		}
		break;
	case M_BLEND:
		compute(al, l->lfrom, st);
		compute(al, l->lto, st);
		snprintf(per, sizeof per, "%d", al->year);
		/* A_p + (B_p − A_p) × weight, on the exact amounts per payer, provider */
		for (k = 0; k < 2; k++) {
			struct line *src = k == 0 ? l->lfrom : l->lto;

			for (i = 0; i < table_len(src->accs); i++) {
				b = table_val(src->accs, i);
				a = acc_get(l, b->payer, b->provider, per);
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
	rat total = RAT_ZERO;
	size_t i;

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
	for (i = 0; i < table_len(l->accs); i++) {
		a = table_val(l->accs, i);
		total = rat_add(total, a->exact);
	}
	if (l->method == M_SHARE)
		fprintf(fp, "total weight %s: each share = pot × weight / total\n",
		    rat_fmt(l->wsum, b1, sizeof b1));
	fprintf(fp, "result (provider, period, payer: %s summed, exact kr → "
	    "amount):\n", l->method == M_FIXED || l->method == M_BLEND ?
	    "-" : l->basis);
	for (i = 0; i < table_len(l->accs); i++) {
		a = table_val(l->accs, i);
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
	fprintf(fp, "rounding: %s\n", l->method == M_RATE && !(l->has_pot &&
	    rat_cmp(total, l->pot) > 0) ? "each amount half away from zero "
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
			a.year = atoi(csvr_field(r, c_year));
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
		atomic_commit(out);
		st.quiet = 1;
		return stage_finish(&st);
	}
	fp = atomic_fp(out);
	csvw_row(fp, cols, 13);
	for (i = 0; i < al.n; i++)
		if (!al.lines[i]->internal || internal)
			st.written += write_line(fp, &al, al.lines[i],
			    al.lines[i]->internal);
	atomic_commit(out);
	return stage_finish(&st);
}
