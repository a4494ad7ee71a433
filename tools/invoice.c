/*
 * alf-invoice: allocations.csv → invoices.csv (CONTRACTS "invoices.csv").
 *
 * Documents are built in memory per provider, then written: half-year
 * invoices to each payer (002 §6: "halvårsvis"), monthly twelfths and a
 * year-end settlement for the monthly providers (002 §6: SLSO, SÖS,
 * Karolinska, Danderyd), with the VAT compensation line for private
 * providers (002 §6: 6 %).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "model.h"
#include "money.h"
#include "ref.h"
#include "stage.h"

struct dline {
	char	*line, *desc, *qty, *uom, *price;
	ore_t	 net;
};

struct doc {
	char		 id[128];
	const char	*kind;
	char		*issuer, *recipient;
	char		 corrects[128];
	long		 issue, due;
	char		 period[PERIOD_LEN];
	struct dline	*lines;
	int		 n;
	int		 private_;	/* VAT compensation applies */
};

/* a line of the model, as invoicing needs it */
struct mline {
	char	*id, *title;
	rat	 round;
	int	 order;
};

/* an allocation row, summed per (provider, payer, line, half or year) */
struct arow {
	char	*provider, *payer, *line, *period, *uom, *rate;
	rat	 qty;
	ore_t	 amount;
};

struct inv {
	struct table		*meta;
	struct providers	*provs;
	struct table		*mlines;	/* id → struct mline */
	struct arow		*rows;
	size_t			 nrows, caprows;
	struct table		*plan;		/* provider|line → ore_t * */
	int			 year;
	const char		*model;
	long			 dates[2], settle;
	int			 payment_days, monthly_day;
	const char		*monthly_payer;
	rat			 vat;
	struct doc		*docs;
	size_t			 ndocs, capdocs;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-invoice --model MODEL --providers FILE [--plan FILE] "
	    "[-o FILE]\n"
	    "                   [--rejects FILE] [--quiet] [allocations.csv...]\n"
	    "Make the invoices, payments and settlements of the allocations.\n");
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

static void
load_model(struct inv *iv)
{
	struct csvr *r;
	struct mline *m;
	const char *v;
	int n = 0;

	iv->meta = model_meta(iv->model);
	iv->year = atoi(meta_need(iv->meta, iv->model, "model", "", "year"));
	iv->dates[0] = need_date(iv, "dates", "H1");
	iv->dates[1] = need_date(iv, "dates", "H2");
	iv->settle = need_date(iv, "", "settlement_date");
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
	iv->mlines = table_new();
	r = model_rules(iv->model);
	while (csvr_next(r)) {
		m = ecalloc(1, sizeof *m);
		m->id = estrdup(csvr_field(r, csvr_col(r, "line")));
		m->title = estrdup(csvr_field(r, csvr_col(r, "title")));
		if (rat_parse(csvr_field(r, csvr_col(r, "round")), 0, &m->round) < 0)
			m->round = RAT_ONE;
		m->order = n++;
		*table_slot(iv->mlines, m->id, NULL) = m;
	}
	csvr_close(r);
}

static struct doc *
doc_new(struct inv *iv, const char *kind, const char *issuer,
    const char *recipient, const char *p, long issue, long due,
    const char *period)
{
	struct doc *d;

	if (iv->ndocs == iv->capdocs) {
		iv->capdocs = iv->capdocs ? iv->capdocs * 2 : 64;
		iv->docs = erealloc(iv->docs, iv->capdocs * sizeof *iv->docs);
	}
	d = &iv->docs[iv->ndocs++];
	memset(d, 0, sizeof *d);
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
doc_add(struct doc *d, const char *line, const char *desc, const char *qty,
    const char *uom, const char *price, ore_t net)
{
	struct dline *l;

	d->lines = erealloc(d->lines, (d->n + 1) * sizeof *d->lines);
	l = &d->lines[d->n++];
	l->line = estrdup(line);
	l->desc = estrdup(desc);
	l->qty = estrdup(qty);
	l->uom = estrdup(uom);
	l->price = estrdup(price);
	l->net = net;
}

/* 002 §6: private providers get VAT compensation on every document */
static void
doc_vat(struct inv *iv, struct doc *d)
{
	ore_t sum = 0;
	int i;

	if (!d->private_ || d->n == 0)
		return;
	for (i = 0; i < d->n; i++)
		sum += d->lines[i].net;
	doc_add(d, "vat-comp", "Momskompensation", "", "", "",
	    rat_to_ore(rat_mul(iv->vat, rat_from_ore(sum))));
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

/* half-year invoices from one provider to one payer */
static void
invoice_halves(struct inv *iv, struct provider *p, const char *payer)
{
	struct doc *d;
	struct arow *a;
	struct mline *m;
	char per[PERIOD_LEN], qty[RAT_FMTLEN];
	size_t i;
	int h;
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
			if (pp.kind == PERIOD_YEAR)
				net = h == 1 ? half_h1(a->amount, unit_ore(m)) :
				    a->amount - half_h1(a->amount, unit_ore(m));
			else if ((pp.kind == PERIOD_HALF ? pp.n :
			    (pp.n <= 6 ? 1 : 2)) == h)
				net = a->amount;
			else
				continue;
			if (net == 0)
				continue;
			if (d == NULL) {
				d = doc_new(iv, "invoice", p->id, payer,
				    h == 1 ? "H1" : "H2", iv->dates[h - 1],
				    iv->dates[h - 1] + iv->payment_days, per);
				d->private_ = p->private_;
			}
			doc_add(d, a->line, m->title, pp.kind == PERIOD_YEAR ?
			    "" : rat_fmt(a->qty, qty, sizeof qty),
			    pp.kind == PERIOD_YEAR ? "" : a->uom,
			    pp.kind == PERIOD_YEAR ? "" : a->rate, net);
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

/*
 * Twelfths of the planned annual amount per line (CONTRACTS: A / 12 rounded
 * down to the unit, whole units left to the earliest months, a rest below
 * one unit to December), then the settlement of final − paid.
 */
static void
pay_monthly(struct inv *iv, struct provider *p)
{
	struct table *lines = table_new();	/* line → ore_t[2]: final, plan */
	ore_t *v, *pl, base, left, whole, unit, amt;
	struct arow *a;
	struct mline *m;
	struct doc *d;
	char per[PERIOD_LEN], mm[8];
	size_t i, k;
	int month, settle = 0;

	for (i = 0; i < iv->nrows; i++) {
		a = &iv->rows[i];
		if (strcmp(a->provider, p->id) != 0 ||
		    strcmp(a->payer, iv->monthly_payer) != 0)
			continue;
		void **slot = table_slot(lines, a->line, NULL);
		if (*slot == NULL)
			*slot = ecalloc(2, sizeof(ore_t));
		v = *slot;
		v[0] += a->amount;
	}
	/* lines in the plan but no longer allocated still settle to zero */
	if (iv->plan != NULL)
		for (i = 0; i < table_len(iv->plan); i++) {
			const char *key = table_key(iv->plan, i);
			size_t n = strlen(p->id);
			if (strncmp(key, p->id, n) == 0 && key[n] == '\x1f') {
				void **slot = table_slot(lines, key + n + 1, NULL);
				if (*slot == NULL)
					*slot = ecalloc(2, sizeof(ore_t));
			}
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
		d = NULL;
		for (k = 0; k < table_len(lines); k++) {
			v = table_val(lines, k);
			m = table_get(iv->mlines, table_key(lines, k));
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
				d->private_ = p->private_;
			}
			doc_add(d, m->id, m->title, "", "", "", amt);
		}
		if (d != NULL)
			doc_vat(iv, d);
	}
	for (k = 0; k < table_len(lines); k++) {
		v = table_val(lines, k);
		settle |= v[0] != v[1];
	}
	if (settle) {
		snprintf(per, sizeof per, "%d", iv->year);
		d = doc_new(iv, "settlement", iv->monthly_payer, p->id, "Y",
		    iv->settle, iv->settle, per);
		d->private_ = p->private_;
		for (k = 0; k < table_len(lines); k++) {
			v = table_val(lines, k);
			if (v[0] == v[1])
				continue;
			m = table_get(iv->mlines, table_key(lines, k));
			doc_add(d, m->id, m->title, "", "", "", v[0] - v[1]);
		}
		doc_vat(iv, d);
	}
	for (k = 0; k < table_len(lines); k++)
		free(table_val(lines, k));
	table_free(lines);
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
			*pv += amt;
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

static long
write_docs(struct inv *iv, FILE *fp)
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
		d = &iv->docs[i];
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

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "model", required_argument, NULL, 'm' },
		{ "providers", required_argument, NULL, 'p' },
		{ "plan", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	struct inv iv = { 0 };
	const char *outpath = NULL, *provpath = NULL, *planpath = NULL;
	const char *stdin_only[] = { "-" }, **files;
	char *payer;
	struct provider *p;
	struct atomic *out;
	int ch, nfiles, f, i, k, skipped;
	size_t j;

	err_init("alf-invoice");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outpath = optarg;
			break;
		case 'r':
			st.rejects_path = optarg;
			break;
		case 'm':
			iv.model = optarg;
			break;
		case 'p':
			provpath = optarg;
			break;
		case 'P':
			planpath = optarg;
			break;
		case 'q':
			st.quiet = 1;
			break;
		case 'h':
			usage(EXIT_OK);
			break;
		case 'V':
			print_version();
			return EXIT_OK;
		default:
			usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (iv.model == NULL || provpath == NULL)
		die(EXIT_USAGE, "--model MODEL and --providers FILE are required");
	files = argc > 0 ? (const char **)argv : stdin_only;
	nfiles = argc > 0 ? argc : 1;

	load_model(&iv);
	iv.provs = providers_load(provpath);
	if (planpath != NULL) {
		iv.plan = table_new();
		read_allocations(&iv, &st, planpath, iv.plan);
	}
	for (f = 0; f < nfiles; f++)
		read_allocations(&iv, &st, files[f], NULL);
	sort_iv = &iv;
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
		for (k = 0; k < (int)table_len(iv.meta); k++) {
			const char *key = table_key(iv.meta, k);
			if (strncmp(key, "payer\x1f", 6) != 0 ||
			    strcmp(key + strlen(key) - 5, "\x1fname") != 0)
				continue;
			payer = estrndup(key + 6, strlen(key) - 11);
			if (!(p->monthly && strcmp(payer, iv.monthly_payer) == 0))
				invoice_halves(&iv, p, payer);
			free(payer);
		}
		if (p->monthly)
			pay_monthly(&iv, p);
	}
	out = atomic_open(outpath);
	st.written = write_docs(&iv, atomic_fp(out));
	atomic_commit(out);
	return stage_finish(&st);
}
