/*
 * alf-invoice: allocations.csv → invoices.csv (CONTRACTS "invoices.csv"),
 * or the same documents as PEPPOL e-invoices (lib/peppol) or as the payer's
 * SIE 4 file (lib/sie).
 *
 * Documents are built in memory per provider, then written: half-year
 * invoices to each payer (002 §6: "halvårsvis"), monthly twelfths and a
 * year-end settlement for the monthly providers (002 §6: SLSO, SÖS,
 * Karolinska, Danderyd), with the VAT compensation line for private
 * providers (002 §6: 6 %); with --activities the detail lines the
 * directive asks for and the recharges between providers; with --issued
 * the corrections of documents already sent, which are never re-issued.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "date.h"
#include "doc.h"
#include "err.h"
#include "list.h"
#include "model.h"
#include "money.h"
#include "peppol.h"
#include "ref.h"
#include "sie.h"
#include "stage.h"

#define FMT_CSV		0
#define FMT_PEPPOL	1
#define FMT_SIE		2

/* a line of the model, as invoicing needs it */
struct mline {
	char		*id, *title, *fund, *detail, *payer, *basis;
	rat		 round;
	struct list	 stream, category, provider, host, university;
	int		 year;		/* the activities' year it selects */
	struct table	*weights;	/* category → rat * */
	int		 order;
};

/* a recharge rule of the model (CONTRACTS "The model": recharges) */
struct rrule {
	char		*id, *title, *issuer, *recipient, *basis, *price;
	char		*amounts;
	struct list	 stream, category, provider, host;
	int		 after;		/* after_months */
	int		 order;
};

/* an allocation row */
struct arow {
	char	*provider, *payer, *line, *period, *uom, *rate;
	rat	 qty;
	ore_t	 amount;
};

/* the fields of an activity row that detail lines and recharges read */
struct act {
	const char	*id, *period, *provider, *host, *category, *university;
	const char	*person, *salary, *stream, *uom;
	int		 year;
	rat		 qty;
};

/*
 * An activity of a rule with after_months, kept to the end: the months
 * skipped depend on the person's months in period order.
 */
struct ract {
	int		 rule;
	struct provider	*issuer, *recipient;
	char		*id, *person, *host, *period, *salary, *src;
	rat		 qty;		/* in the rule's basis */
};

/* one detail line's groups: (line, provider, payer, half) */
struct dbucket {
	struct group	*g;
	int		 ng, cap;	/* groups, and room for them */
};

struct inv {
	struct table		*meta;
	struct providers	*provs;
	struct table		*mlines;	/* id → struct mline */
	struct rrule		**rrules;
	int			 nrrules;
	char			**payers;	/* in the model's order */
	int			 npayers;
	struct arow		*rows;
	size_t			 nrows, caprows;
	/*
	 * --activities is read once and kept only as the sums that detail
	 * lines and recharges need, so memory grows with the groups, not
	 * with the rows.
	 */
	int			 have_acts;
	struct mline		**dlines;	/* the lines with detail */
	int			 ndlines;
	struct table		*dbuckets;	/* line|provider|payer|half → */
	struct table		*dindex;	/* …|group → index + 1 */
	struct table		*racc;		/* see racc_add */
	struct ract		*deferred;
	size_t			 ndeferred, capdeferred;
	struct table		*names;		/* person → name */
	struct table		*plan;		/* provider|line → ore_t * */
	struct table		*issued;	/* doc id → struct doc * */
	struct doc		**issued_v;	/* in file order */
	size_t			 nissued;
	int			 year;
	const char		*model;
	long			 dates[2], settle, deadline;
	int			 payment_days, monthly_day;
	const char		*monthly_payer;
	rat			 vat, unit;
	struct doc		**docs;
	size_t			 ndocs, capdocs;
	struct stage		*st;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-invoice --model MODEL --providers FILE "
	    "[--activities FILE] [--names FILE]\n"
	    "                   [--plan FILE] [--issued FILE] [--check] "
	    "[--format csv|peppol|sie]\n"
	    "                   [--out-dir DIR] [--payer ID] [-o FILE] "
	    "[--rejects FILE] [--quiet]\n"
	    "                   [allocations.csv...]\n"
	    "Make the invoices, payments, settlements, recharges and "
	    "corrections of the allocations.\n");
	exit(code);
}

static long
need_date(struct inv *iv, const char *key, const char *field)
{
	const char *v = meta_need(iv->meta, iv->model, "invoicing", key, field);
	long d;

	if (date_parse(v, &d) < 0)
		die(EXIT_USAGE, "%s: invoicing.%s%s%s: not a date (%s)", iv->model,
		    key, *key ? "." : "", field, v);
	return d;
}

static const char *
rule_field(struct inv *iv, const char *id, const char *field)
{
	const char *v = meta_get(iv->meta, "recharge", id, field);

	return v != NULL ? v : "";
}

static void
load_recharges(struct inv *iv)
{
	struct rrule *r;
	const char *key, *id, *v;
	char *rid;
	size_t k;
	int i;

	for (k = 0; k < table_len(iv->meta); k++) {
		key = table_key(iv->meta, k);
		if (strncmp(key, "recharge\x1f", 9) != 0)
			continue;
		id = key + 9;
		rid = estrndup(id, strchr(id, '\x1f') - id);
		for (i = 0; i < iv->nrrules; i++)
			if (strcmp(iv->rrules[i]->id, rid) == 0)
				break;
		if (i < iv->nrrules) {
			free(rid);
			continue;
		}
		r = ecalloc(1, sizeof *r);
		r->id = rid;
		r->order = iv->nrrules;
		r->title = estrdup(rule_field(iv, rid, "title"));
		r->issuer = estrdup(rule_field(iv, rid, "issuer"));
		r->recipient = estrdup(rule_field(iv, rid, "recipient"));
		r->basis = estrdup(rule_field(iv, rid, "basis"));
		r->price = estrdup(rule_field(iv, rid, "price"));
		r->amounts = estrdup(rule_field(iv, rid, "amounts"));
		r->stream = list_split(rule_field(iv, rid, "select_stream"));
		r->category = list_split(rule_field(iv, rid, "select_category"));
		r->provider = list_split(rule_field(iv, rid, "select_provider"));
		r->host = list_split(rule_field(iv, rid, "select_host"));
		v = rule_field(iv, rid, "after_months");
		r->after = *v ? atoi(v) : 0;
		iv->rrules = erealloc(iv->rrules, (iv->nrrules + 1) *
		    sizeof *iv->rrules);
		iv->rrules[iv->nrrules++] = r;
	}
}

static void
load_model(struct inv *iv)
{
	struct csvr *r;
	struct mline *m;
	struct list w;
	const char *v, *key;
	char *eq, *fund;
	rat *wr;
	size_t k;
	int n = 0, i;

	iv->meta = model_meta(iv->model);
	iv->year = atoi(meta_need(iv->meta, iv->model, "model", "", "year"));
	if (rat_parse(meta_need(iv->meta, iv->model, "model", "", "round"), 0,
	    &iv->unit) < 0)
		iv->unit = RAT_ONE;
	iv->dates[0] = need_date(iv, "dates", "H1");
	iv->dates[1] = need_date(iv, "dates", "H2");
	iv->settle = need_date(iv, "", "settlement_date");
	iv->deadline = meta_get(iv->meta, "invoicing", "", "deadline") != NULL ?
	    need_date(iv, "", "deadline") : 0;
	iv->payment_days = atoi(meta_need(iv->meta, iv->model, "invoicing", "",
	    "payment_days"));
	iv->monthly_day = atoi(meta_need(iv->meta, iv->model, "invoicing", "",
	    "monthly_day"));
	if (iv->monthly_day < 1 || iv->monthly_day > 28)
		die(EXIT_USAGE, "%s: invoicing.monthly_day: not a day 1-28 (%d)",
		    iv->model, iv->monthly_day);
	iv->monthly_payer = meta_need(iv->meta, iv->model, "invoicing", "",
	    "monthly_payer");
	v = meta_need(iv->meta, iv->model, "invoicing", "", "vat_compensation");
	if (rat_parse(v, 0, &iv->vat) < 0)
		die(EXIT_USAGE, "%s: invoicing.vat_compensation: not a decimal "
		    "(%s)", iv->model, v);
	/* every fund books on an account; SIE and the checks need them */
	meta_need(iv->meta, iv->model, "accounts", "", "payable");
	meta_need(iv->meta, iv->model, "accounts", "", "vat-comp");
	for (k = 0; k < table_len(iv->meta); k++) {
		key = table_key(iv->meta, k);
		if (strncmp(key, "fund\x1f", 5) == 0) {
			fund = estrndup(key + 5, strchr(key + 5, '\x1f') -
			    (key + 5));
			meta_need(iv->meta, iv->model, "accounts", "", fund);
			free(fund);
		} else if (strncmp(key, "payer\x1f", 6) == 0 &&
		    strcmp(key + strlen(key) - 5, "\x1fname") == 0) {
			iv->payers = erealloc(iv->payers, (iv->npayers + 1) *
			    sizeof *iv->payers);
			iv->payers[iv->npayers++] = estrndup(key + 6,
			    strlen(key) - 11);
			meta_need(iv->meta, iv->model, "payer",
			    iv->payers[iv->npayers - 1], "reference");
		}
	}
	iv->mlines = table_new();
	r = model_rules(iv->model);
#define F(name) csvr_field(r, csvr_col(r, name))
	while (csvr_next(r)) {
		m = ecalloc(1, sizeof *m);
		m->id = estrdup(F("line"));
		m->title = estrdup(F("title"));
		m->fund = estrdup(F("fund"));
		m->detail = estrdup(F("detail"));
		m->payer = estrdup(F("payer"));
		m->basis = estrdup(F("basis"));
		if (rat_parse(F("round"), 0, &m->round) < 0)
			m->round = RAT_ONE;
		m->stream = list_split(F("select_stream"));
		m->category = list_split(F("select_category"));
		m->provider = list_split(F("select_provider"));
		m->host = list_split(F("select_host"));
		m->university = list_split(F("select_university"));
		m->year = *F("select_year") ? atoi(F("select_year")) : iv->year;
		m->weights = table_new();
		w = list_split(F("weights"));
		for (i = 0; i < w.n; i++) {
			if ((eq = strchr(w.v[i], '=')) == NULL)
				continue;
			*eq = '\0';
			wr = emalloc(sizeof *wr);
			if (rat_parse(eq + 1, 1, wr) < 0)
				*wr = RAT_ONE;
			*table_slot(m->weights, w.v[i], NULL) = wr;
		}
		m->order = n++;
		*table_slot(iv->mlines, m->id, NULL) = m;
	}
#undef F
	csvr_close(r);
	load_recharges(iv);
}

static void	push_doc(struct inv *, struct doc *);

static struct doc *
doc_new(struct inv *iv, const char *kind, const char *issuer,
    const char *recipient, const char *p, long issue, long due,
    const char *period)
{
	struct doc *d = ecalloc(1, sizeof *d);

	push_doc(iv, d);
	snprintf(d->id, sizeof d->id, "%d-%s-%s-%s", iv->year, issuer,
	    recipient, p);
	d->kind = kind;
	d->issuer = estrdup(issuer);
	d->recipient = estrdup(recipient);
	d->issue = issue;
	d->due = due;
	snprintf(d->period, sizeof d->period, "%s", period);
	return d;
}

static void
doc_add(struct doc *d, const char *line, const char *desc, const char *title,
    const char *fund, const char *qty, const char *uom, const char *price,
    ore_t net)
{
	struct doc_line *l;

	d->lines = erealloc(d->lines, (d->n + 1) * sizeof *d->lines);
	l = &d->lines[d->n++];
	l->line = estrdup(line);
	l->desc = estrdup(desc);
	l->title = estrdup(title);
	l->fund = estrdup(fund);
	l->qty = estrdup(qty);
	l->uom = estrdup(uom);
	l->price = estrdup(price);
	l->net = net;
}

static char *
vat_text(struct inv *iv, char *buf, size_t len)
{
	char pct[RAT_FMTLEN];

	snprintf(buf, len, "Momskompensation %s %%",
	    rat_fmt(rat_mul(iv->vat, rat_int(100)), pct, sizeof pct));
	return buf;
}

/* 002 §6: VAT compensation, CONTRACTS: rate × Σ the other lines, to the öre */
static ore_t
vat_of(struct inv *iv, ore_t net)
{
	return rat_to_ore(rat_mul(iv->vat, rat_from_ore(net)));
}

static void
doc_vat(struct inv *iv, struct doc *d)
{
	char text[64];

	if (!d->vat || d->n == 0)
		return;
	vat_text(iv, text, sizeof text);
	doc_add(d, "vat-comp", text, text, "", "", "", "", vat_of(iv,
	    doc_net(d)));
}

static ore_t
unit_ore(const struct mline *m)
{
	return rat_to_ore(m->round);
}

/* CONTRACTS: an annual amount splits H1 = half rounded down to the unit */
static ore_t
half_h1(ore_t amount, ore_t unit)
{
	return amount / 2 / unit * unit;
}

static int
mline_order(struct inv *iv, const char *id)
{
	struct mline *m = table_get(iv->mlines, id);

	return m != NULL ? m->order : 1 << 30;
}

static struct inv *sort_iv;

static int
row_cmp(const void *x, const void *y)
{
	const struct arow *a = x, *b = y;
	int c;

	if ((c = mline_order(sort_iv, a->line) - mline_order(sort_iv, b->line)))
		return c;
	return strcmp(a->period, b->period);
}

/* weeks in one unit of uom; 0 when it does not convert (CONTRACTS) */
static rat
weeks_per(const char *uom)
{
	if (strcmp(uom, "hap") == 0)
		return rat_int(40);
	if (strcmp(uom, "weeks") == 0)
		return RAT_ONE;
	if (strcmp(uom, "days") == 0)
		return rat_make(1, 5);
	return RAT_ZERO;
}

/* q in uom as basis; -1 when the units do not convert */
static int
to_basis(const char *uom, const char *basis, rat q, rat *out)
{
	rat a = weeks_per(uom), b = weeks_per(basis);

	if (*basis == '\0' || strcmp(uom, basis) == 0) {
		*out = q;
		return 0;
	}
	if (rat_is_zero(a) || rat_is_zero(b))
		return -1;
	*out = rat_div(rat_mul(q, a), b);
	return 0;
}

/* the part after the year: "-H1", "-05" or "" */
static const char *
period_tail(const char *p)
{
	const char *t = strchr(p, '-');

	return t != NULL ? t : "";
}

static int
half_of(const char *period)
{
	struct period pp;

	if (period_parse(period, &pp) < 0 || pp.kind == PERIOD_YEAR)
		return 0;
	return pp.kind == PERIOD_HALF ? pp.n : pp.n <= 6 ? 1 : 2;
}

struct group {
	char		*key;
	rat		 w, qty;
	char		*university;
	i128		 floor;
	rat		 frac;
};

static int
group_key_cmp(const void *x, const void *y)
{
	return strcmp(((const struct group *)x)->key,
	    ((const struct group *)y)->key);
}

static struct group *group_sorted;

/* largest remainder first; ties to the smaller key (CONTRACTS apportion) */
static int
group_rem_cmp(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = rat_cmp(group_sorted[b].frac, group_sorted[a].frac);

	return c != 0 ? c : a - b;
}

/*
 * Detail lines (CONTRACTS: `detail` category or person): the row's net
 * apportioned in öre over the groups of its activities by their exact
 * shares, largest remainder first, so they sum exactly to the amount.
 * Returns 0 when the row has no activities to detail.
 */
static int
detail_lines(struct inv *iv, struct doc *d, const struct arow *a,
    const struct mline *m, ore_t net)
{
	struct group *g;
	struct dbucket *b;
	rat total = RAT_ZERO, s;
	const char *name;
	char desc[512], qbuf[RAT_FMTLEN], key[1024];
	int ng, i, *idx;
	ore_t left = net;
	int person = strcmp(m->detail, "person") == 0;

	if (!iv->have_acts || (!person && strcmp(m->detail, "category") != 0))
		return 0;
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", m->id, a->provider,
	    a->payer, period_tail(a->period));
	if (iv->dbuckets == NULL || (b = table_get(iv->dbuckets, key)) == NULL)
		return 0;
	g = b->g;
	ng = b->ng;
	for (i = 0; i < ng; i++)
		total = rat_add(total, g[i].w);
	if (ng == 0 || rat_sign(total) <= 0)
		return 0;
	if (ng > 1)
		qsort(g, ng, sizeof *g, group_key_cmp);
	idx = emalloc(ng * sizeof *idx);
	for (i = 0; i < ng; i++) {
		s = rat_div(rat_mul(rat_int(net), g[i].w), total);
		g[i].floor = rat_floor(s);
		g[i].frac = rat_sub(s, rat_make(g[i].floor, 1));
		left -= ore_from_i128(g[i].floor);
		idx[i] = i;
	}
	group_sorted = g;
	if (ng > 1)
		qsort(idx, ng, sizeof *idx, group_rem_cmp);
	for (i = 0; i < ng && left > 0; i++, left--)
		g[idx[i]].floor++;
	for (i = 0; i < ng; i++) {
		name = person && iv->names != NULL ?
		    table_get(iv->names, g[i].key) : NULL;
		if (person && *g[i].university)
			snprintf(desc, sizeof desc, "%s: %s, %s", m->title,
			    name != NULL ? name : g[i].key, g[i].university);
		else
			snprintf(desc, sizeof desc, "%s: %s", m->title,
			    name != NULL ? name : *g[i].key ? g[i].key : "-");
		doc_add(d, m->id, desc, m->title, m->fund,
		    rat_fmt(g[i].qty, qbuf, sizeof qbuf), m->basis, a->rate,
		    ore_from_i128(g[i].floor));
	}
	free(idx);
	return 1;
}

/* half-year invoices from one provider to one payer */
static void
invoice_halves(struct inv *iv, struct provider *p, const char *payer)
{
	struct doc *d;
	struct arow *a;
	struct mline *m;
	char per[PERIOD_LEN], qty[RAT_FMTLEN];
	size_t i;
	int h, annual;
	ore_t net;
	struct period pp;

	for (h = 1; h <= 2; h++) {
		snprintf(per, sizeof per, "%d-H%d", iv->year, h);
		d = NULL;
		for (i = 0; i < iv->nrows; i++) {
			a = &iv->rows[i];
			if (strcmp(a->provider, p->id) != 0 ||
			    strcmp(a->payer, payer) != 0)
				continue;
			m = table_get(iv->mlines, a->line);
			period_parse(a->period, &pp);
			annual = pp.kind == PERIOD_YEAR;
			if (annual)
				net = h == 1 ? half_h1(a->amount, unit_ore(m)) :
				    a->amount - half_h1(a->amount, unit_ore(m));
			else if (half_of(a->period) == h)
				net = a->amount;
			else
				continue;
			if (net == 0)
				continue;
			if (d == NULL) {
				d = doc_new(iv, "invoice", p->id, payer,
				    h == 1 ? "H1" : "H2", iv->dates[h - 1],
				    iv->dates[h - 1] + iv->payment_days, per);
				d->vat = p->private_;
			}
			if (!annual && detail_lines(iv, d, a, m, net))
				continue;
			doc_add(d, a->line, m->title, m->title, m->fund,
			    annual ? "" : rat_fmt(a->qty, qty, sizeof qty),
			    annual ? "" : a->uom, annual ? "" : a->rate, net);
		}
		if (d != NULL)
			doc_vat(iv, d);
	}
}

static ore_t *
plan_get(struct inv *iv, const char *provider, const char *line)
{
	char key[256];

	snprintf(key, sizeof key, "%s\x1f%s", provider, line);
	return table_get(iv->plan, key);
}

static ore_t *
line_slot(struct table *t, const char *line)
{
	void **slot = table_slot(t, line, NULL);

	if (*slot == NULL)
		*slot = ecalloc(3, sizeof(ore_t));
	return *slot;
}

static void
push_doc(struct inv *iv, struct doc *d)
{
	if (iv->ndocs == iv->capdocs) {
		iv->capdocs = iv->capdocs ? iv->capdocs * 2 : 64;
		iv->docs = erealloc(iv->docs, iv->capdocs * sizeof *iv->docs);
	}
	iv->docs[iv->ndocs++] = d;
}

/* an issued payment takes the place of the one computed (--issued) */
static struct doc *
take_issued(struct inv *iv, const char *id)
{
	struct doc *d;

	if (iv->issued == NULL || (d = table_get(iv->issued, id)) == NULL)
		return NULL;
	push_doc(iv, d);
	d->issued = 3;		/* in the computed list */
	return d;
}

/*
 * Twelfths of the planned annual amount per line (CONTRACTS: A / 12 rounded
 * down to the unit, whole units left to the earliest months, a rest below
 * one unit to December), then the settlement of final − paid.  Payments
 * already made (--issued) keep their amounts.
 */
static void
pay_monthly(struct inv *iv, struct provider *p)
{
	struct table *lines = table_new();	/* line → final, plan, paid */
	ore_t *v, *pl, base, left, whole, unit, amt;
	struct arow *a;
	struct mline *m;
	struct doc *d;
	char per[PERIOD_LEN], mm[16], id[DOC_IDLEN];
	const char *key;
	size_t i, k, n = strlen(p->id);
	int month, j, settle = 0;

	for (i = 0; i < iv->nrows; i++) {
		a = &iv->rows[i];
		if (strcmp(a->provider, p->id) == 0 &&
		    strcmp(a->payer, iv->monthly_payer) == 0)
			line_slot(lines, a->line)[0] = ore_add(line_slot(lines,
			    a->line)[0], a->amount);
	}
	/* lines in the plan but no longer allocated still settle */
	if (iv->plan != NULL)
		for (i = 0; i < table_len(iv->plan); i++) {
			key = table_key(iv->plan, i);
			if (strncmp(key, p->id, n) == 0 && key[n] == '\x1f')
				line_slot(lines, key + n + 1);
		}
	for (k = 0; k < table_len(lines); k++) {
		v = table_val(lines, k);
		pl = iv->plan != NULL ? plan_get(iv, p->id, table_key(lines, k)) :
		    &v[0];
		v[1] = pl != NULL ? *pl : 0;
	}
	for (month = 1; month <= 12; month++) {
		snprintf(per, sizeof per, "%d-%02d", iv->year, month);
		snprintf(mm, sizeof mm, "M%02d", month);
		snprintf(id, sizeof id, "%d-%s-%s-%s", iv->year,
		    iv->monthly_payer, p->id, mm);
		if ((d = take_issued(iv, id)) != NULL) {
			for (j = 0; j < d->n; j++)
				if (!doc_line_is_vat(&d->lines[j])) {
					v = line_slot(lines, d->lines[j].line);
					v[2] = ore_add(v[2], d->lines[j].net);
				}
			continue;
		}
		d = NULL;
		for (k = 0; k < table_len(lines); k++) {
			v = table_val(lines, k);
			m = table_get(iv->mlines, table_key(lines, k));
			if (m == NULL)
				continue;
			unit = unit_ore(m);
			base = v[1] / 12 / unit * unit;
			left = v[1] - 12 * base;
			whole = left / unit;
			amt = base + (month <= whole ? unit : 0) +
			    (month == 12 ? left - whole * unit : 0);
			if (amt == 0)
				continue;
			if (d == NULL) {
				d = doc_new(iv, "payment", iv->monthly_payer,
				    p->id, mm, date_from_ymd(iv->year, month,
				    iv->monthly_day), date_from_ymd(iv->year,
				    month, iv->monthly_day), per);
				d->vat = p->private_;
			}
			doc_add(d, m->id, m->title, m->title, m->fund, "", "", "",
			    amt);
			v[2] = ore_add(v[2], amt);
		}
		if (d != NULL)
			doc_vat(iv, d);
	}
	snprintf(id, sizeof id, "%d-%s-%s-Y", iv->year, iv->monthly_payer,
	    p->id);
	if (take_issued(iv, id) == NULL) {
		for (k = 0; k < table_len(lines); k++) {
			v = table_val(lines, k);
			settle |= v[0] != v[2];
		}
		if (settle) {
			snprintf(per, sizeof per, "%d", iv->year);
			d = doc_new(iv, "settlement", iv->monthly_payer, p->id,
			    "Y", iv->settle, iv->settle, per);
			d->vat = p->private_;
			for (k = 0; k < table_len(lines); k++) {
				v = table_val(lines, k);
				m = table_get(iv->mlines, table_key(lines, k));
				if (v[0] == v[2] || m == NULL)
					continue;
				doc_add(d, m->id, m->title, m->title, m->fund,
				    "", "", "", ore_sub(v[0], v[2]));
			}
			doc_vat(iv, d);
		}
	}
	for (k = 0; k < table_len(lines); k++)
		free(table_val(lines, k));
	table_free(lines);
}

/* a recharge line summed per (issuer, recipient, half, rule) */
struct racc {
	struct provider	*issuer, *recipient;
	int		 half, rule, fixed;
	rat		 qty, amount;
};

static int
racc_cmp(const void *x, const void *y)
{
	const struct racc *a = x, *b = y;

	if (a->issuer->order != b->issuer->order)
		return a->issuer->order - b->issuer->order;
	if (a->recipient->order != b->recipient->order)
		return a->recipient->order - b->recipient->order;
	if (a->half != b->half)
		return a->half - b->half;
	return a->rule - b->rule;
}

/* each person's months at a host in period order (after_months) */
static int
ract_cmp(const void *x, const void *y)
{
	const struct ract *a = x, *b = y;
	int c;

	if (a->rule != b->rule)
		return a->rule - b->rule;
	if ((c = strcmp(a->person, b->person)) != 0 ||
	    (c = strcmp(a->host, b->host)) != 0 ||
	    (c = strcmp(a->period, b->period)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

static struct provider *
rparty(struct inv *iv, const char *who, const struct act *x)
{
	const char *id = strcmp(who, "host") == 0 ? x->host :
	    strcmp(who, "provider") == 0 ? x->provider : who;

	if (*id == '\0')
		return NULL;
	return provider_by_id(iv->provs, id);
}

static void
racc_add(struct table *acc, struct provider *is, struct provider *re,
    int half, const struct rrule *r, rat qty, rat amount, int fixed)
{
	char key[256];
	void **slot;
	struct racc *ra;

	snprintf(key, sizeof key, "%s\x1f%s\x1f%d\x1f%d", is->id, re->id, half,
	    r->order);
	slot = table_slot(acc, key, NULL);
	if (*slot == NULL) {
		ra = ecalloc(1, sizeof *ra);
		ra->issuer = is;
		ra->recipient = re;
		ra->half = half;
		ra->rule = r->order;
		ra->qty = ra->amount = RAT_ZERO;
		ra->fixed = fixed;
		*slot = ra;
	}
	ra = *slot;
	ra->qty = rat_add(ra->qty, qty);
	ra->amount = rat_add(ra->amount, amount);
}

/* the rule's price per basis unit, or the activity's salary (-1: none) */
static int
recharge_price(struct inv *iv, const struct rrule *r, const char *salary,
    const char *id, const char *src, rat *price)
{
	if (strcmp(r->price, "salary") == 0 ? rat_parse(salary, 0, price) < 0 :
	    rat_parse(r->price, 0, price) < 0) {
		diag(src, 0, "salary", "recharge %s: %s: no salary (%s)", r->id,
		    id, salary);
		iv->st->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * One activity for the recharge rules that select it: summed at once into
 * its (issuer, recipient, half, rule), or kept for after_months.
 */
static void
recharge_take(struct inv *iv, const struct act *x, const struct csvr *in)
{
	struct provider *is, *re;
	struct rrule *r;
	struct ract *k;
	rat q, price;
	const char *src = NULL;
	char where[512];
	int i;

	if (x->year != iv->year)
		return;
	for (i = 0; i < iv->nrrules; i++) {
		r = iv->rrules[i];
		if (*r->amounts != '\0' || !list_selects(&r->stream, x->stream) ||
		    !list_selects(&r->category, x->category) ||
		    !list_selects(&r->provider, x->provider) ||
		    !list_selects(&r->host, x->host))
			continue;
		/* FILE:LINE only for a row a rule takes: most rows none */
		if (src == NULL)
			src = csvr_where(in, where, sizeof where);
		is = rparty(iv, r->issuer, x);
		re = rparty(iv, r->recipient, x);
		if (is == NULL || re == NULL || is == re)
			continue;	/* performed at home: nothing */
		if (to_basis(x->uom, r->basis, x->qty, &q) < 0 ||
		    half_of(x->period) == 0) {
			diag(src, 0, NULL, "recharge %s: %s in %s does not "
			    "convert to %s", r->id, x->id, x->uom, r->basis);
			iv->st->failed = 1;
			continue;
		}
		if (r->after > 0) {
			if (iv->ndeferred == iv->capdeferred) {
				iv->capdeferred = iv->capdeferred ?
				    iv->capdeferred * 2 : 64;
				iv->deferred = erealloc(iv->deferred,
				    iv->capdeferred * sizeof *iv->deferred);
			}
			k = &iv->deferred[iv->ndeferred++];
			k->rule = i;
			k->issuer = is;
			k->recipient = re;
			k->id = estrdup(x->id);
			k->person = estrdup(x->person);
			k->host = estrdup(x->host);
			k->period = estrdup(x->period);
			k->salary = estrdup(x->salary);
			k->src = estrdup(src);
			k->qty = q;
			continue;
		}
		if (recharge_price(iv, r, x->salary, x->id, src, &price) < 0)
			continue;
		racc_add(iv->racc, is, re, half_of(x->period), r, q,
		    rat_mul(q, price), 0);
	}
}

/*
 * s after key's len bytes, after a 0x1F when sep: what snprintf's
 * "%s\x1f%s" gives, cut as it would be at size, without its cost a row;
 * the new length (at most size - 1)
 */
static size_t
join_key(char *key, size_t size, size_t len, int sep, const char *s)
{
	size_t n = strlen(s);

	if (sep && len + 1 < size)
		key[len++] = '\x1f';
	if (len + n > size - 1)
		n = size - 1 - len;
	memcpy(key + len, s, n);
	key[len + n] = '\0';
	return len + n;
}

/*
 * One activity for the detail lines that select it: its quantity and
 * weight added to its group (person or category) of (line, provider,
 * payer, half), as detail_lines apportions them.
 */
static void
detail_take(struct inv *iv, const struct act *x)
{
	struct mline *m;
	struct dbucket *b;
	struct group *g;
	const char *payer, *gkey;
	char key[1024], gk[2048];
	void **slot;
	rat q, *wt;
	size_t klen;
	int i;

	for (i = 0; i < iv->ndlines; i++) {
		m = iv->dlines[i];
		if (x->year != m->year || !list_selects(&m->stream, x->stream) ||
		    !list_selects(&m->category, x->category) ||
		    !list_selects(&m->provider, x->provider) ||
		    !list_selects(&m->host, x->host) ||
		    !list_selects(&m->university, x->university))
			continue;
		if (to_basis(x->uom, m->basis, x->qty, &q) < 0)
			continue;
		/* 3.5: each activity's university is its payer */
		payer = strcmp(m->payer, "@university") == 0 ? x->university :
		    m->payer;
		klen = join_key(key, sizeof key, 0, 0, m->id);
		klen = join_key(key, sizeof key, klen, 1, x->provider);
		klen = join_key(key, sizeof key, klen, 1, payer);
		klen = join_key(key, sizeof key, klen, 1, period_tail(x->period));
		slot = table_slot(iv->dbuckets, key, NULL);
		if (*slot == NULL)
			*slot = ecalloc(1, sizeof(struct dbucket));
		b = *slot;
		gkey = strcmp(m->detail, "person") == 0 ? x->person :
		    x->category;
		memcpy(gk, key, klen + 1);
		join_key(gk, sizeof gk, klen, 1, gkey);
		slot = table_slot(iv->dindex, gk, NULL);
		if (*slot == NULL) {
			*slot = (void *)(intptr_t)(b->ng + 1);
			/* doubled, not one more: a bucket holds thousands */
			if (b->ng == b->cap) {
				b->cap = b->cap ? b->cap * 2 : 8;
				b->g = erealloc(b->g, b->cap * sizeof *b->g);
			}
			g = &b->g[b->ng++];
			memset(g, 0, sizeof *g);
			g->key = estrdup(gkey);
			g->university = estrdup(x->university);
			g->w = g->qty = RAT_ZERO;
		}
		g = &b->g[(intptr_t)*slot - 1];
		wt = table_get(m->weights, x->category);
		g->qty = rat_add(g->qty, q);
		g->w = rat_add(g->w, wt != NULL ? rat_mul(q, *wt) : q);
	}
}

/*
 * Recharges (002 §3.2 SVK, §3.4 speech therapy, ST side service, §3.8
 * ambulance): providers invoice each other; the allocation totals do not
 * change, only who pays whom.  Never VAT compensation.
 */
static void
make_recharges(struct inv *iv)
{
	struct table *acc, *used = table_new();
	struct provider *is, *re;
	struct rrule *r;
	struct racc *ra, *all;
	struct ract *x;
	struct doc *d = NULL;
	struct list am;
	rat q, price, skip, *u;
	char key[256], qb[RAT_FMTLEN], hp[16], per[PERIOD_LEN], *eq;
	ore_t amt, h1;
	size_t k, n;
	int i, j;

	if (iv->racc == NULL)
		iv->racc = table_new();
	acc = iv->racc;
	/* the rules by activity were summed as they were read */
	for (i = 0; i < iv->nrrules; i++) {
		r = iv->rrules[i];
		if (*r->amounts == '\0')
			continue;
		/* issuer each: fixed sums, split like annual amounts */
		am = list_split(r->amounts);
		re = provider_by_id(iv->provs, r->recipient);
		for (j = 0; j < am.n; j++) {
			if ((eq = strchr(am.v[j], '=')) == NULL)
				continue;
			*eq = '\0';
			is = provider_by_id(iv->provs, am.v[j]);
			if (is == NULL || re == NULL || money_parse(eq + 1,
			    &amt) < 0) {
				diag(iv->model, 0, NULL, "recharge %s: unknown "
				    "provider (%s)", r->id, is == NULL ? am.v[j] :
				    r->recipient);
				iv->st->failed = 1;
				continue;
			}
			h1 = half_h1(amt, rat_to_ore(iv->unit));
			racc_add(acc, is, re, 1, r, RAT_ZERO, rat_from_ore(h1),
			    1);
			racc_add(acc, is, re, 2, r, RAT_ZERO, rat_from_ore(amt -
			    h1), 1);
		}
	}
	/* after_months: the person's first months at that host, in order */
	if (iv->ndeferred > 1)
		qsort(iv->deferred, iv->ndeferred, sizeof *iv->deferred,
		    ract_cmp);
	for (k = 0; k < iv->ndeferred; k++) {
		x = &iv->deferred[k];
		r = iv->rrules[x->rule];
		q = x->qty;
		snprintf(key, sizeof key, "%d\x1f%s\x1f%s", x->rule, x->person,
		    x->host);
		void **slot = table_slot(used, key, NULL);
		if (*slot == NULL) {
			*slot = emalloc(sizeof(rat));
			*(rat *)*slot = RAT_ZERO;
		}
		u = *slot;
		skip = rat_sub(rat_int(r->after), *u);
		if (rat_cmp(skip, q) > 0)
			skip = q;
		if (rat_sign(skip) > 0) {
			*u = rat_add(*u, skip);
			q = rat_sub(q, skip);
		}
		if (rat_is_zero(q))
			continue;
		if (recharge_price(iv, r, x->salary, x->id, x->src, &price) < 0)
			continue;
		racc_add(acc, x->issuer, x->recipient, half_of(x->period), r, q,
		    rat_mul(q, price), 0);
	}
	n = table_len(acc);
	all = emalloc((n + 1) * sizeof *all);
	for (k = 0; k < n; k++)
		all[k] = *(struct racc *)table_val(acc, k);
	if (n > 1)
		qsort(all, n, sizeof *all, racc_cmp);
	for (k = 0; k < n; k++) {
		ra = &all[k];
		r = iv->rrules[ra->rule];
		amt = rat_to_ore(ra->amount);
		if (amt == 0)
			continue;
		if (!ra->issuer->invoiceable || !ra->recipient->invoiceable) {
			note("recharge %s: %s or %s is not invoiceable: no "
			    "document", r->id, ra->issuer->id, ra->recipient->id);
			continue;
		}
		if (d == NULL || strcmp(d->issuer, ra->issuer->id) != 0 ||
		    strcmp(d->recipient, ra->recipient->id) != 0 ||
		    half_of(d->period) != ra->half) {
			snprintf(hp, sizeof hp, "H%d", ra->half);
			snprintf(per, sizeof per, "%d-H%d", iv->year, ra->half);
			d = doc_new(iv, "recharge", ra->issuer->id,
			    ra->recipient->id, hp, iv->dates[ra->half - 1],
			    iv->dates[ra->half - 1] + iv->payment_days, per);
		}
		doc_add(d, r->id, r->title, r->title, "", ra->fixed ? "" :
		    rat_fmt(ra->qty, qb, sizeof qb), ra->fixed ? "" : r->basis,
		    ra->fixed || strcmp(r->price, "salary") == 0 ? "" : r->price,
		    amt);
	}
	for (k = 0; k < n; k++)
		free(table_val(acc, k));
	for (k = 0; k < table_len(used); k++)
		free(table_val(used, k));
	table_free(acc);
	iv->racc = NULL;
	table_free(used);
	free(all);
	for (k = 0; k < iv->ndeferred; k++) {
		x = &iv->deferred[k];
		free(x->id);
		free(x->person);
		free(x->host);
		free(x->period);
		free(x->salary);
		free(x->src);
	}
	free(iv->deferred);
	iv->deferred = NULL;
	iv->ndeferred = 0;
}

/* CONTRACTS: a correction is dated at the next invoicing date, else the
 * settlement date */
static long
correction_date(struct inv *iv, long issued)
{
	long a = iv->dates[0] < iv->dates[1] ? iv->dates[0] : iv->dates[1];
	long b = iv->dates[0] < iv->dates[1] ? iv->dates[1] : iv->dates[0];

	return a > issued ? a : b > issued ? b : iv->settle;
}

static int
is_correction_of(const struct doc *c, const char *id)
{
	return strcmp(c->corrects, id) == 0;
}

/* the line key corrections compare: budget line and description */
static char *
line_key(const struct doc_line *l, char *buf, size_t len)
{
	snprintf(buf, len, "%s\x1f%s", l->line, l->desc);
	return buf;
}

/*
 * One correction DOC-Cn for the difference between what the issued document
 * (with its earlier corrections) says and what is computed now, per line;
 * the VAT compensation the new one's minus the issued one's (CONTRACTS).
 * now may be NULL: nothing is owed any more.
 */
static void
correct(struct inv *iv, struct doc *orig, const struct doc *now)
{
	struct table *eff = table_new();
	struct doc *c;
	char key[1024], text[64], cid[DOC_IDLEN + 16];
	const struct doc_line *l;
	ore_t *v, effvat = 0, newvat = 0, sum = 0;
	size_t k, i;
	int j, n = 0, vat = orig->vat || (now != NULL && now->vat), any = 0;
	struct {
		const struct doc_line *l;
		ore_t d;
		int side;	/* 0 in both, 1 new only, 2 issued only */
	} *diff = NULL;
	int nd = 0, k2, pair, old;
	const struct mline *m;

	for (i = 0; i < iv->nissued; i++) {
		struct doc *x = iv->issued_v[i];
		int cn;

		if (x != orig && !is_correction_of(x, orig->id))
			continue;
		if (x != orig && sscanf(x->id + strlen(orig->id), "-C%d", &cn) ==
		    1 && cn > n)
			n = cn;
		for (j = 0; j < x->n; j++) {
			l = &x->lines[j];
			if (doc_line_is_vat(l)) {
				effvat = ore_add(effvat, l->net);
				continue;
			}
			void **slot = table_slot(eff, line_key(l, key,
			    sizeof key), NULL);
			if (*slot == NULL)
				*slot = ecalloc(2, sizeof(ore_t));
			((ore_t *)*slot)[0] = ore_add(((ore_t *)*slot)[0],
			    l->net);
		}
	}
	/* the new lines in their order, then lines that are gone */
	for (j = 0; now != NULL && j < now->n; j++) {
		l = &now->lines[j];
		if (doc_line_is_vat(l)) {
			newvat = ore_add(newvat, l->net);
			continue;
		}
		v = table_get(eff, line_key(l, key, sizeof key));
		diff = erealloc(diff, (nd + 1) * sizeof *diff);
		diff[nd].l = l;
		diff[nd].side = v == NULL;
		diff[nd++].d = ore_sub(l->net, v != NULL ? v[0] : 0);
		if (v != NULL)
			v[1] = 1;	/* seen */
	}
	for (i = 0; i < iv->nissued; i++) {
		struct doc *x = iv->issued_v[i];

		if (x != orig && !is_correction_of(x, orig->id))
			continue;
		for (j = 0; j < x->n; j++) {
			l = &x->lines[j];
			if (doc_line_is_vat(l))
				continue;
			v = table_get(eff, line_key(l, key, sizeof key));
			if (v[1])
				continue;
			v[1] = 1;
			diff = erealloc(diff, (nd + 1) * sizeof *diff);
			diff[nd].l = l;
			diff[nd].side = 2;
			diff[nd++].d = ore_sub(0, v[0]);
		}
	}
	/*
	 * CONTRACTS: exactly the difference per line.  A budget line that is
	 * one line on both sides but whose text changed (a new title) is one
	 * line of the correction, under the new text, not a credit of the old
	 * and a debit of the new.  Detail lines stay apart: their text names
	 * the person or category.
	 */
	for (j = 0; j < nd; j++) {
		if (diff[j].side != 1 || ((m = table_get(iv->mlines,
		    diff[j].l->line)) != NULL && strcmp(m->detail, "none") != 0 &&
		    *m->detail != '\0'))
			continue;
		pair = 1;
		old = -1;
		for (k2 = 0; k2 < nd; k2++) {
			if (k2 == j || diff[k2].side == 0 ||
			    strcmp(diff[k2].l->line, diff[j].l->line) != 0)
				continue;
			if (diff[k2].side == 1 || old >= 0)
				pair = 0;
			else
				old = k2;
		}
		if (pair && old >= 0) {
			diff[j].d = ore_add(diff[j].d, diff[old].d);
			diff[old].d = 0;
			diff[old].side = diff[j].side = 0;
		}
	}
	/*
	 * A correction is owed when an amount differs per budget line; a line
	 * whose text alone changed (a new title in the model) nets to zero
	 * over its line id and is no reason to correct a sent document.
	 */
	for (j = 0; j < nd && !any; j++) {
		ore_t per_line = 0;

		for (k2 = 0; k2 < nd; k2++)
			if (strcmp(diff[k2].l->line, diff[j].l->line) == 0)
				per_line = ore_add(per_line, diff[k2].d);
		any = per_line != 0;
	}
	if (vat && newvat != effvat)
		any = 1;
	if (any) {
		c = doc_new(iv, "debit", orig->issuer, orig->recipient, "Y",
		    correction_date(iv, orig->issue), 0, orig->period);
		snprintf(cid, sizeof cid, "%s-C%d", orig->id, n + 1);
		if (strlen(cid) >= sizeof c->id)
			die(EXIT_USAGE, "%s: document id too long", cid);
		memcpy(c->id, cid, strlen(cid) + 1);
		snprintf(c->corrects, sizeof c->corrects, "%s", orig->id);
		c->corrects_issue = orig->issue;
		c->due = c->issue + iv->payment_days;
		c->vat = vat;
		for (j = 0; j < nd; j++)
			if (diff[j].d != 0)
				doc_add(c, diff[j].l->line, diff[j].l->desc,
				    diff[j].l->title, diff[j].l->fund, "", "", "",
				    diff[j].d);
		if (vat && newvat != effvat)
			doc_add(c, "vat-comp", vat_text(iv, text, sizeof text),
			    text, "", "", "", "", ore_sub(newvat, effvat));
		sum = doc_total(c);
		c->kind = sum < 0 ? "credit" : "debit";
	}
	for (k = 0; k < table_len(eff); k++)
		free(table_val(eff, k));
	table_free(eff);
	free(diff);
}

/* an issued document and its issued corrections, once */
static void
place_issued(struct inv *iv, struct doc *x)
{
	size_t k;

	if (x->issued != 2)
		push_doc(iv, x);
	x->issued = 2;
	for (k = 0; k < iv->nissued; k++)
		if (is_correction_of(iv->issued_v[k], x->id) &&
		    iv->issued_v[k]->issued != 2) {
			push_doc(iv, iv->issued_v[k]);
			iv->issued_v[k]->issued = 2;
		}
}

static int
correctable(const struct doc *d)
{
	return strcmp(d->kind, "invoice") == 0 ||
	    strcmp(d->kind, "recharge") == 0;
}

/*
 * Issued documents are written again unchanged, in the place of the ones
 * computed now, each followed by its earlier corrections and a new one
 * when the amounts differ (CONTRACTS "Corrections").  Payments keep their
 * amounts: pay_monthly has already put the issued ones in their place.
 */
static void
apply_issued(struct inv *iv)
{
	struct doc **computed = iv->docs, *d, *x;
	size_t n = iv->ndocs, i, k;

	iv->docs = NULL;
	iv->ndocs = iv->capdocs = 0;
	for (i = 0; i < n; i++) {
		d = computed[i];
		if (d->issued == 3) {
			place_issued(iv, d);
			continue;
		}
		if ((x = table_get(iv->issued, d->id)) == NULL) {
			push_doc(iv, d);
			continue;
		}
		place_issued(iv, x);
		if (correctable(x))
			correct(iv, x, d);
	}
	/* issued documents this run computes nothing for: credited */
	for (k = 0; k < iv->nissued; k++) {
		x = iv->issued_v[k];
		if (x->issued == 2 || *x->corrects != '\0')
			continue;
		place_issued(iv, x);
		if (correctable(x))
			correct(iv, x, NULL);
	}
	for (k = 0; k < iv->nissued; k++)
		if (iv->issued_v[k]->issued != 2)
			place_issued(iv, iv->issued_v[k]);
	free(computed);
}

static void
read_allocations(struct inv *iv, struct stage *st, const char *path,
    struct table *plan)
{
	static const char *need[] = { "line", "payer", "provider", "period",
	    "amount", NULL };
	struct csvr *r = csvr_open(path, ',');
	struct arow *a;
	const char *v;
	ore_t amt, *pv;
	char key[256];
	int i;
	rat q;
	struct period pp;

	for (i = 0; need[i] != NULL; i++)
		csvr_require(r, need[i]);
#define F(name) csvr_field(r, csvr_col(r, name))
	while (csvr_next(r)) {
		if (plan == NULL)
			st->read++;
		if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r)) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: malformed row", path,
				    csvr_line(r));
			stage_reject(st, r, NULL, NULL, NULL,
			    "expected %d fields, found %d", csvr_ncols(r),
			    csvr_nfields(r));
			continue;
		}
		v = F("amount");
		if (money_parse(v, &amt) < 0 || amt < 0) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: amount: not an amount "
				    ">= 0 (%s)", path, csvr_line(r), v);
			stage_reject(st, r, "amount", v, NULL,
			    "not an amount >= 0");
			continue;
		}
		if (provider_by_id(iv->provs, F("provider")) == NULL) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: provider: unknown (%s)",
				    path, csvr_line(r), F("provider"));
			stage_reject(st, r, "provider", F("provider"), NULL,
			    "not in providers.csv");
			continue;
		}
		if (meta_get(iv->meta, "payer", F("payer"), "name") == NULL) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: payer: unknown (%s)",
				    path, csvr_line(r), F("payer"));
			stage_reject(st, r, "payer", F("payer"), NULL,
			    "not a payer of the model");
			continue;
		}
		if (table_get(iv->mlines, F("line")) == NULL) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: line: not in the model "
				    "(%s)", path, csvr_line(r), F("line"));
			stage_reject(st, r, "line", F("line"), NULL,
			    "not a line of the model");
			continue;
		}
		if (period_parse(F("period"), &pp) < 0 || pp.year != iv->year) {
			if (plan != NULL)
				die(EXIT_USAGE, "%s:%ld: period: not of %d (%s)",
				    path, csvr_line(r), iv->year, F("period"));
			stage_reject(st, r, "period", F("period"), NULL,
			    "not a period of the model's year");
			continue;
		}
		if (plan != NULL) {
			if (strcmp(F("payer"), iv->monthly_payer) != 0)
				continue;
			snprintf(key, sizeof key, "%s\x1f%s", F("provider"),
			    F("line"));
			void **slot = table_slot(plan, key, NULL);
			if (*slot == NULL)
				*slot = ecalloc(1, sizeof(ore_t));
			pv = *slot;
			*pv = ore_add(*pv, amt);
			continue;
		}
		st->accepted++;
		if (iv->nrows == iv->caprows) {
			iv->caprows = iv->caprows ? iv->caprows * 2 : 256;
			iv->rows = erealloc(iv->rows, iv->caprows * sizeof *iv->rows);
		}
		a = &iv->rows[iv->nrows++];
		a->provider = estrdup(F("provider"));
		a->payer = estrdup(F("payer"));
		a->line = estrdup(F("line"));
		a->period = estrdup(F("period"));
		a->uom = estrdup(F("uom"));
		a->rate = estrdup(F("rate"));
		a->qty = rat_parse(F("qty"), 0, &q) == 0 ? q : RAT_ZERO;
		a->amount = amt;
	}
#undef F
	csvr_close(r);
}

static int
has_detail_lines(const struct inv *iv)
{
	const struct mline *m;
	size_t k;

	for (k = 0; k < table_len(iv->mlines); k++) {
		m = table_val(iv->mlines, k);
		if (strcmp(m->detail, "person") == 0 ||
		    strcmp(m->detail, "category") == 0)
			return 1;
	}
	return 0;
}

/*
 * activities.csv: configuration for the detail lines and recharges, read
 * as a stream: each row goes into the sums that need it and is gone.
 */
static void
read_activities(struct inv *iv, const char *path)
{
	static const char *need[] = { "id", "year", "period", "provider",
	    "stream", "qty", "uom", NULL };
	enum { C_ID, C_YEAR, C_PERIOD, C_PROVIDER, C_STREAM, C_QTY, C_UOM,
	    C_HOST, C_CATEGORY, C_UNIVERSITY, C_PERSON, C_SALARY, NC };
	static const char *cols[NC] = { "id", "year", "period", "provider",
	    "stream", "qty", "uom", "host", "category", "university", "person",
	    "salary" };
	struct csvr *r;
	struct act x;
	struct period pp;
	size_t k;
	int i, c[NC];

	if (iv->nrrules == 0 && !has_detail_lines(iv)) {
		/* nothing would use them: a region's millions are not read */
		note("--activities: the model has no detail lines and no "
		    "recharges; not read");
		return;
	}
	r = csvr_open(path, ',');
	for (i = 0; need[i] != NULL; i++)
		csvr_require(r, need[i]);
	/* the columns once, not a search of the header per field per row */
	for (i = 0; i < NC; i++)
		c[i] = csvr_col(r, cols[i]);
	iv->have_acts = 1;
	iv->dbuckets = table_new();
	iv->dindex = table_new();
	iv->racc = table_new();
	for (k = 0; k < table_len(iv->mlines); k++) {
		struct mline *m = table_val(iv->mlines, k);

		if (strcmp(m->detail, "person") != 0 &&
		    strcmp(m->detail, "category") != 0)
			continue;
		iv->dlines = erealloc(iv->dlines, (iv->ndlines + 1) *
		    sizeof *iv->dlines);
		iv->dlines[iv->ndlines++] = m;
	}
#define F(col) csvr_field(r, c[col])
	while (csvr_next(r)) {
		if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r) ||
		    period_parse(F(C_PERIOD), &pp) < 0 ||
		    rat_parse(F(C_QTY), 0, &x.qty) < 0 || rat_sign(x.qty) < 0)
			die(EXIT_USAGE, "%s:%ld: not an activity row of the "
			    "contract", path, csvr_line(r));
		x.year = year_atoi(F(C_YEAR));
		x.id = F(C_ID);
		x.period = F(C_PERIOD);
		x.provider = F(C_PROVIDER);
		x.host = F(C_HOST);
		x.category = F(C_CATEGORY);
		x.university = F(C_UNIVERSITY);
		x.person = F(C_PERSON);
		x.salary = F(C_SALARY);
		x.stream = F(C_STREAM);
		x.uom = F(C_UOM);
		detail_take(iv, &x);
		if (iv->nrrules > 0)
			recharge_take(iv, &x, r);
	}
#undef F
	csvr_close(r);
	table_free(iv->dindex);
	iv->dindex = NULL;
}

/* names.csv (alf-ingest --names): person,name */
static void
read_names(struct inv *iv, const char *path)
{
	struct csvr *r = csvr_open(path, ',');
	int cp = csvr_require(r, "person"), cn = csvr_require(r, "name");

	iv->names = table_new();
	while (csvr_next(r))
		*table_slot(iv->names, csvr_field(r, cp), NULL) =
		    estrdup(csvr_field(r, cn));
	csvr_close(r);
}

static const char *
title_of(struct inv *iv, const char *line, const char **fund)
{
	struct mline *m = table_get(iv->mlines, line);

	*fund = m != NULL ? m->fund : "";
	return m != NULL ? m->title : NULL;
}

/* --issued: an earlier run's invoices.csv; anything else is exit 2 */
static void
read_issued(struct inv *iv, const char *path)
{
	static const char *need[] = { "doc", "kind", "corrects", "issuer",
	    "recipient", "issue_date", "due_date", "period", "line_no", "line",
	    "description", "net", NULL };
	static const char *kinds[] = { "invoice", "recharge", "payment",
	    "settlement", "credit", "debit", NULL };
	struct csvr *r = csvr_open(path, ',');
	struct doc *d;
	struct period pp;
	const char *kind, *title, *fund;
	long issue, due;
	ore_t net;
	void **slot;
	char canon[32];
	int i, created;

	for (i = 0; need[i] != NULL; i++)
		csvr_require(r, need[i]);
	iv->issued = table_new();
#define F(name) csvr_field(r, csvr_col(r, name))
#define BAD(col, what) die(EXIT_USAGE, "%s:%ld: %s: %s (%s)", path, \
	csvr_line(r), col, what, F(col))
	while (csvr_next(r)) {
		if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r))
			die(EXIT_USAGE, "%s:%ld: malformed row", path,
			    csvr_line(r));
		for (i = 0; kinds[i] != NULL && strcmp(kinds[i], F("kind")); i++)
			;
		if (kinds[i] == NULL)
			BAD("kind", "not a document kind");
		kind = kinds[i];
		if (*F("doc") == '\0' || strlen(F("doc")) >= DOC_IDLEN)
			BAD("doc", "not a document id");
		if (date_parse(F("issue_date"), &issue) < 0)
			BAD("issue_date", "not a date");
		if (date_parse(F("due_date"), &due) < 0)
			BAD("due_date", "not a date");
		if (period_parse(F("period"), &pp) < 0)
			BAD("period", "not a period");
		/*
		 * CONTRACTS: issued documents are written again unchanged, so
		 * only what this program writes back byte for byte is taken:
		 * kronor with two decimals, YYYY-MM-DD, line numbers in order.
		 */
		if (money_parse(F("net"), &net) < 0 || strcmp(money_fmt(net,
		    canon, sizeof canon), F("net")) != 0)
			BAD("net", "not an amount with two decimals");
		if (strcmp(date_fmt(issue, canon, sizeof canon),
		    F("issue_date")) != 0)
			BAD("issue_date", "not a date");
		if (strcmp(date_fmt(due, canon, sizeof canon),
		    F("due_date")) != 0)
			BAD("due_date", "not a date");
		if ((strcmp(kind, "credit") == 0 || strcmp(kind, "debit") == 0) !=
		    (*F("corrects") != '\0'))
			BAD("corrects", "not what the kind needs");
		slot = table_slot(iv->issued, F("doc"), &created);
		if (created) {
			d = *slot = ecalloc(1, sizeof *d);
			snprintf(d->id, sizeof d->id, "%s", F("doc"));
			d->kind = kind;
			snprintf(d->corrects, sizeof d->corrects, "%s",
			    F("corrects"));
			d->issuer = estrdup(F("issuer"));
			d->recipient = estrdup(F("recipient"));
			d->issue = issue;
			d->due = due;
			snprintf(d->period, sizeof d->period, "%s", F("period"));
			d->issued = 1;
			iv->issued_v = erealloc(iv->issued_v, (iv->nissued + 1) *
			    sizeof *iv->issued_v);
			iv->issued_v[iv->nissued++] = d;
		}
		d = *slot;
		if (strcmp(d->kind, kind) != 0 || strcmp(d->issuer,
		    F("issuer")) != 0 || strcmp(d->recipient, F("recipient")) !=
		    0 || strcmp(d->corrects, F("corrects")) != 0 ||
		    d->issue != issue || d->due != due ||
		    strcmp(d->period, F("period")) != 0)
			BAD("doc", "rows of one document disagree");
		snprintf(canon, sizeof canon, "%d", d->n + 1);
		if (strcmp(F("line_no"), canon) != 0)
			BAD("line_no", "not the document's next line number");
		if (strcmp(F("line"), "vat-comp") == 0)
			d->vat = 1;
		title = title_of(iv, F("line"), &fund);
		doc_add(d, F("line"), F("description"), title != NULL ? title :
		    F("description"), fund, F("qty"), F("uom"), F("price"), net);
	}
#undef BAD
#undef F
	csvr_close(r);
	/* a correction's reference date, for the e-invoice */
	for (i = 0; i < (int)iv->nissued; i++)
		if (*iv->issued_v[i]->corrects != '\0' &&
		    (d = table_get(iv->issued, iv->issued_v[i]->corrects)) != NULL)
			iv->issued_v[i]->corrects_issue = d->issue;
}

static long
write_csv(struct inv *iv, FILE *fp)
{
	static const char *const cols[] = { "doc", "kind", "corrects", "issuer",
	    "recipient", "issue_date", "due_date", "period", "line_no", "line",
	    "description", "qty", "uom", "price", "net" };
	char issue[16], due[16], no[16], net[32];
	const char *f[15];
	struct doc *d;
	size_t i;
	int k;
	long n = 0;

	csvw_row(fp, cols, 15);
	for (i = 0; i < iv->ndocs; i++) {
		d = iv->docs[i];
		date_fmt(d->issue, issue, sizeof issue);
		date_fmt(d->due, due, sizeof due);
		for (k = 0; k < d->n; k++) {
			snprintf(no, sizeof no, "%d", k + 1);
			f[0] = d->id;
			f[1] = d->kind;
			f[2] = d->corrects;
			f[3] = d->issuer;
			f[4] = d->recipient;
			f[5] = issue;
			f[6] = due;
			f[7] = d->period;
			f[8] = no;
			f[9] = d->lines[k].line;
			f[10] = d->lines[k].desc;
			f[11] = d->lines[k].qty;
			f[12] = d->lines[k].uom;
			f[13] = d->lines[k].price;
			f[14] = money_fmt(d->lines[k].net, net, sizeof net);
			csvw_row(fp, f, 15);
			n++;
		}
	}
	return n;
}

static int
is_payer(struct inv *iv, const char *id)
{
	return meta_get(iv->meta, "payer", id, "name") != NULL;
}

/* a party of a document: a payer of the model or a provider */
static struct party
party_of(struct inv *iv, const char *id)
{
	struct party p;
	struct provider *pr;
	const char *v;

	memset(&p, 0, sizeof p);
	p.id = id;
	if (is_payer(iv, id)) {
#define M(f) ((v = meta_get(iv->meta, "payer", id, f)) != NULL ? v : "")
		p.name = M("name");
		p.org_nr = M("org_nr");
		p.street = M("street");
		p.postal_code = M("postal_code");
		p.city = M("city");
		p.reference = M("reference");
		p.bankgiro = p.vat_nr = "";
#undef M
	} else if ((pr = provider_by_id(iv->provs, id)) != NULL) {
		p.name = pr->name;
		p.org_nr = pr->org_nr;
		p.street = pr->street;
		p.postal_code = pr->postal_code;
		p.city = pr->city;
		p.bankgiro = pr->bankgiro;
		p.vat_nr = pr->vat_nr;
		p.reference = pr->reference;
	} else
		p.name = p.org_nr = p.street = p.postal_code = p.city =
		    p.bankgiro = p.vat_nr = p.reference = "";
	return p;
}

static int
is_einvoice(const struct doc *d)
{
	return strcmp(d->kind, "payment") != 0 &&
	    strcmp(d->kind, "settlement") != 0;
}

/* PEPPOL BIS 3.0: one DOC.xml per new invoice, recharge and correction */
static void
write_peppol(struct inv *iv, const char *dir)
{
	struct peppol_opts o = { iv->payment_days, iv->vat };
	struct party seller, buyer;
	struct atomic *a;
	const char *why, *who;
	char path[4096];
	struct doc *d;
	FILE *fp;
	size_t i;

	for (i = 0; i < iv->ndocs; i++) {
		d = iv->docs[i];
		if (d->issued || !is_einvoice(d))
			continue;
		seller = party_of(iv, d->issuer);
		buyer = party_of(iv, d->recipient);
		/* CONTRACTS providers.csv: no org nr or address, no e-invoice */
		who = d->issuer;
		if ((why = peppol_party_missing(&seller, 0)) == NULL) {
			who = d->recipient;
			why = peppol_party_missing(&buyer, 1);
		}
		if (why != NULL) {
			diag(NULL, 0, NULL, "%s: no e-invoice: %s has %s", d->id,
			    who, why);
			iv->st->failed = 1;
			continue;
		}
		snprintf(path, sizeof path, "%s/%s.xml", dir, d->id);
		a = atomic_open(path);
		fp = atomic_fp(a);
		if (peppol_write(fp, d, &seller, &buyer, &o) < 0)
			die(EXIT_IO, "%s: cannot write the e-invoice", path);
		atomic_commit(a);
		iv->st->written++;
	}
}

/*
 * SIE 4 for a payer (spec/SIE.md): the documents of every payer sharing
 * its organisation number, each payer in its own voucher series.
 */
static void
write_sie(struct inv *iv, const char *payer, FILE *fp)
{
	struct sie_book b;
	struct sie_entry *e = emalloc((iv->ndocs + 1) * sizeof *e);
	const char *org = meta_need(iv->meta, iv->model, "payer", payer,
	    "org_nr"), *who, *prov, *missing, *key;
	struct provider *pr;
	struct doc *d;
	size_t i, n = 0, k;

	b.name = meta_need(iv->meta, iv->model, "payer", payer, "name");
	b.org_nr = org;
	b.year = iv->year;
	if (date_parse(meta_need(iv->meta, iv->model, "invoicing", "",
	    "file_date"), &b.gen) < 0)
		die(EXIT_USAGE, "%s: invoicing.file_date: not a date",
		    iv->model);
	b.accounts = table_new();
	b.names = table_new();
	for (k = 0; k < table_len(iv->meta); k++) {
		key = table_key(iv->meta, k);
		if (strncmp(key, "accounts\x1f\x1f", 10) == 0)
			*table_slot(b.accounts, key + 10, NULL) =
			    table_val(iv->meta, k);
		else if (strncmp(key, "accounts\x1fnames\x1f", 15) == 0)
			*table_slot(b.names, key + 15, NULL) =
			    table_val(iv->meta, k);
	}
	for (i = 0; i < iv->ndocs; i++) {
		d = iv->docs[i];
		if (strcmp(d->kind, "payment") == 0 ||
		    strcmp(d->kind, "settlement") == 0) {
			who = d->issuer;
			prov = d->recipient;
		} else if (strcmp(d->kind, "recharge") == 0)
			continue;	/* the providers' own business */
		else {
			who = d->recipient;
			prov = d->issuer;
		}
		if (!is_payer(iv, who) || strcmp(meta_get(iv->meta, "payer", who,
		    "org_nr"), org) != 0)
			continue;
		e[n].doc = d;
		e[n].series = meta_need(iv->meta, iv->model, "payer", who,
		    "series");
		pr = provider_by_id(iv->provs, prov);
		e[n].counterpart = pr != NULL ? pr->name : prov;
		n++;
	}
	if (sie_write(fp, &b, e, n, &missing) < 0)
		die(EXIT_USAGE, "%s: accounts.%s: missing", iv->model, missing);
	table_free(b.accounts);
	table_free(b.names);
	free(e);
}

/* Deadline (002 §6: last day 2024-12-01): written, but reported */
static void
check_deadline(struct inv *iv)
{
	char a[16], b[16];
	struct doc *d;
	size_t i;

	if (iv->deadline == 0)
		return;
	for (i = 0; i < iv->ndocs; i++) {
		d = iv->docs[i];
		if (d->issued || !is_einvoice(d) || d->issue <= iv->deadline)
			continue;
		diag(NULL, 0, NULL, "%s: issued %s, after the deadline %s", d->id,
		    date_fmt(d->issue, a, sizeof a),
		    date_fmt(iv->deadline, b, sizeof b));
		iv->st->failed = 1;
	}
}

static ore_t *
sum_slot(struct table *t, const char *a, const char *b)
{
	char key[256];
	void **slot;

	snprintf(key, sizeof key, "%s\x1f%s", a, b);
	slot = table_slot(t, key, NULL);
	if (*slot == NULL)
		*slot = ecalloc(3, sizeof(ore_t));
	return *slot;
}

static void
free_sums(struct table *t)
{
	size_t i;

	for (i = 0; i < table_len(t); i++)
		free(table_val(t, i));
	table_free(t);
}

/*
 * --check: Σ net per payer and provider = Σ allocations; VAT compensation
 * = rate × net per document (a corrected one with its corrections);
 * recharges net to zero across providers per line.
 */
static void
check_docs(struct inv *iv)
{
	struct table *pp = table_new(), *chain = table_new();
	struct table *rc = table_new();
	struct provider *pr;
	struct doc *d;
	const char *key, *payer, *prov;
	char a[32], b[32];
	ore_t *v;
	size_t i;
	int j;

	for (i = 0; i < iv->nrows; i++) {
		pr = provider_by_id(iv->provs, iv->rows[i].provider);
		if (!pr->invoiceable) {
			note("check: %s, line %s, %s: not invoiceable, no "
			    "document", iv->rows[i].provider, iv->rows[i].line,
			    iv->rows[i].period);
			continue;
		}
		v = sum_slot(pp, iv->rows[i].payer, iv->rows[i].provider);
		v[0] = ore_add(v[0], iv->rows[i].amount);
	}
	for (i = 0; i < iv->ndocs; i++) {
		d = iv->docs[i];
		if (is_payer(iv, d->recipient)) {
			payer = d->recipient;
			prov = d->issuer;
		} else if (is_payer(iv, d->issuer)) {
			payer = d->issuer;
			prov = d->recipient;
		} else {
			/* a recharge or its correction: billed = owed */
			for (j = 0; j < d->n; j++) {
				v = sum_slot(rc, d->lines[j].line, d->issuer);
				v[0] = ore_add(v[0], d->lines[j].net);
				v = sum_slot(rc, d->lines[j].line, d->recipient);
				v[0] = ore_sub(v[0], d->lines[j].net);
			}
			continue;
		}
		v = sum_slot(pp, payer, prov);
		v[1] = ore_add(v[1], doc_net(d));
		v = sum_slot(chain, *d->corrects ? d->corrects : d->id, "");
		v[0] = ore_add(v[0], doc_net(d));
		v[1] = ore_add(v[1], ore_sub(doc_total(d), doc_net(d)));
		/*
		 * 002 §6: owed on every document with a private provider,
		 * whatever the document says (an issued one may lack it)
		 */
		pr = provider_by_id(iv->provs, prov);
		v[2] |= pr != NULL && pr->private_;
	}
	for (i = 0; i < table_len(pp); i++) {
		v = table_val(pp, i);
		key = table_key(pp, i);
		if (v[0] != v[1]) {
			diag(NULL, 0, NULL, "check: %.*s %s: documents %s, "
			    "allocations %s", (int)(strchr(key, '\x1f') - key),
			    key, strchr(key, '\x1f') + 1,
			    money_fmt(v[1], a, sizeof a),
			    money_fmt(v[0], b, sizeof b));
			iv->st->failed = 1;
		}
	}
	for (i = 0; i < table_len(chain); i++) {
		v = table_val(chain, i);
		key = table_key(chain, i);
		if ((v[2] ? vat_of(iv, v[0]) : 0) != v[1]) {
			diag(NULL, 0, NULL, "check: %.*s: VAT compensation %s, "
			    "rate x net %s", (int)(strchr(key, '\x1f') - key),
			    key, money_fmt(v[1], a, sizeof a),
			    money_fmt(v[2] ? vat_of(iv, v[0]) : 0, b, sizeof b));
			iv->st->failed = 1;
		}
	}
	/* per recharge line, Σ over providers of billed − owed */
	{
		struct table *per = table_new();
		char line[256];

		for (i = 0; i < table_len(rc); i++) {
			key = table_key(rc, i);
			snprintf(line, sizeof line, "%.*s",
			    (int)(strchr(key, '\x1f') - key), key);
			v = sum_slot(per, line, "");
			v[0] = ore_add(v[0], ((ore_t *)table_val(rc, i))[0]);
		}
		for (i = 0; i < table_len(per); i++)
			if (((ore_t *)table_val(per, i))[0] != 0) {
				diag(NULL, 0, NULL, "check: recharge %s does "
				    "not net to zero", table_key(per, i));
				iv->st->failed = 1;
			}
		free_sums(per);
	}
	free_sums(pp);
	free_sums(chain);
	free_sums(rc);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "providers", required_argument, NULL, 'p' },
		{ "plan", required_argument, NULL, 'P' },
		{ "activities", required_argument, NULL, 'A' },
		{ "names", required_argument, NULL, 'N' },
		{ "issued", required_argument, NULL, 'I' },
		{ "format", required_argument, NULL, 'F' },
		{ "out-dir", required_argument, NULL, 'D' },
		{ "payer", required_argument, NULL, 'Y' },
		{ "check", no_argument, NULL, 'C' },
		STAGE_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	struct inv iv = { 0 };
	const char *outpath = NULL, *provpath = NULL, *planpath = NULL;
	const char *actpath = NULL, *namespath = NULL, *issuedpath = NULL;
	const char *outdir = NULL, *payer = NULL;
	const char **files;
	struct provider *p;
	struct atomic *out = NULL, *dir = NULL;
	int ch, nfiles, f, i, k, skipped, format = FMT_CSV, check = 0;
	size_t j;

	err_init("alf-invoice");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			iv.model = optarg;
			break;
		case 'p':
			provpath = optarg;
			break;
		case 'P':
			planpath = optarg;
			break;
		case 'A':
			actpath = optarg;
			break;
		case 'N':
			namespath = optarg;
			break;
		case 'I':
			issuedpath = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				format = FMT_CSV;
			else if (strcmp(optarg, "peppol") == 0)
				format = FMT_PEPPOL;
			else if (strcmp(optarg, "sie") == 0)
				format = FMT_SIE;
			else
				die(EXIT_USAGE, "--format: not csv, peppol or "
				    "sie (%s)", optarg);
			break;
		case 'D':
			outdir = optarg;
			break;
		case 'Y':
			payer = optarg;
			break;
		case 'C':
			check = 1;
			break;
		default:
			if (!stage_option(&st, ch, optarg, usage))
				usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	outpath = st.output;
	if (iv.model == NULL || provpath == NULL)
		die(EXIT_USAGE, "--model MODEL and --providers FILE are required");
	if (format == FMT_PEPPOL && outdir == NULL)
		die(EXIT_USAGE, "--format peppol needs --out-dir DIR");
	if (format != FMT_PEPPOL && outdir != NULL)
		die(EXIT_USAGE, "--out-dir is for --format peppol");
	if (payer != NULL && format != FMT_SIE)
		die(EXIT_USAGE, "--payer is for --format sie");
	files = stage_inputs(argc, argv, &nfiles);
	iv.st = &st;

	load_model(&iv);
	if (payer == NULL)
		payer = iv.monthly_payer;
	if (!is_payer(&iv, payer))
		die(EXIT_USAGE, "--payer: not a payer of the model (%s)", payer);
	iv.provs = providers_load(provpath);
	if (planpath != NULL) {
		iv.plan = table_new();
		read_allocations(&iv, &st, planpath, iv.plan);
	}
	if (actpath != NULL)
		read_activities(&iv, actpath);
	else
		note("no --activities: no detail lines and no recharges");
	if (namespath != NULL)
		read_names(&iv, namespath);
	if (issuedpath != NULL)
		read_issued(&iv, issuedpath);
	for (f = 0; f < nfiles; f++)
		read_allocations(&iv, &st, files[f], NULL);
	sort_iv = &iv;
	if (iv.nrows > 1)
		qsort(iv.rows, iv.nrows, sizeof *iv.rows, row_cmp);

	/* documents per provider, in providers.csv order */
	for (i = 0; i < iv.provs->n; i++) {
		p = iv.provs->v[i];
		skipped = 0;
		for (j = 0; j < iv.nrows; j++)
			if (strcmp(iv.rows[j].provider, p->id) == 0)
				skipped++;
		if (!p->invoiceable) {
			if (skipped > 0)
				note("%s is not invoiceable: %d allocation rows "
				    "get no document", p->id, skipped);
			continue;
		}
		for (k = 0; k < iv.npayers; k++)
			if (!(p->monthly && strcmp(iv.payers[k],
			    iv.monthly_payer) == 0))
				invoice_halves(&iv, p, iv.payers[k]);
		if (p->monthly)
			pay_monthly(&iv, p);
	}
	if (actpath != NULL)
		make_recharges(&iv);
	if (iv.issued != NULL)
		apply_issued(&iv);
	check_deadline(&iv);
	if (check)
		check_docs(&iv);

	/* --format peppol writes the CSV too when -o names a file */
	if (format == FMT_SIE) {
		out = atomic_open(outpath);
		write_sie(&iv, payer, atomic_fp(out));
	} else if (format == FMT_CSV || outpath != NULL) {
		out = atomic_open(outpath);
		st.written = write_csv(&iv, atomic_fp(out));
	}
	if (format == FMT_PEPPOL) {
		dir = atomic_dir(outdir);
		write_peppol(&iv, atomic_dir_path(dir));
	}
	/* published by stage_finish, with the rejects, when all are whole */
	if (out != NULL)
		atomic_close(out);
	if (dir != NULL)
		atomic_close(dir);
	return stage_finish(&st);
}
