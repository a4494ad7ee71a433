/*
 * alf-report: the tables people read, from the CSV files the pipeline
 * writes (issue 14).  Kinds build tables (rtable); renderers write them as
 * text, CSV, Markdown, JSON, HTML or an Excel workbook.  Money stays in öre
 * (or exact rationals) until a renderer rounds it to the report's unit.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
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
#include "render_html.h"
#include "render_xlsx.h"
#include "rtable.h"
#include "stage.h"

#define NLEVELS	27	/* the minimum levels (004 ch. 3) */

/* one row of allocations.csv; set says which file (compare: 0 or 1) */
struct alloc_row {
	char	*line, *fund, *payer, *provider, *period, *qty, *uom, *rate;
	ore_t	 amount;
	int	 set;
};

/* one row of invoices.csv: its fields by I_ index, and its net */
enum { I_DOC, I_KIND, I_ISSUER, I_RECIPIENT, I_DATE, I_PERIOD, I_LINE,
	I_DESC, I_QTY, I_UOM, I_PRICE, I_N };
struct inv_row {
	char	*f[I_N];
	ore_t	 net;
};

/* a budget line: from the model, or as allocations first show it */
struct line_info {
	char	*id, *title, *fund, *method, *pot, *amounts;
	int	 internal;
};

struct ctx {
	const char		*model, *provider, *units, *activities;
	const char		*summary;
	struct jcount		*sumcnt;	/* its objects with counts */
	size_t			  nsumcnt;
	struct providers	*provs;
	struct table		*meta;
	char			**funds;	/* money columns, model order */
	int			  nfunds;
	struct line_info	*lines;
	int			  nlines;
	struct alloc_row	*rows;
	size_t			  nrows, caprows;
	struct inv_row		*inv;
	size_t			  ninv, capinv;
	char			**provorder;	/* without --providers */
	int			  nprov;
	char			**payers;	/* payer ids seen in allocations */
	int			  npayers;
	const char		*setname[2];	/* compare: the two files */
	struct table		*flows;		/* line_flows' sums, by key */
	struct stage		 st;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-report KIND [--model MODEL] [--providers FILE] "
	    "[--unit kr|tkr|mkr]\n"
	    "           [--format text|csv|md|json|html|xlsx] [-o FILE] "
	    "[--quiet] [FILE...]\n"
	    "kinds:\n"
	    "  budget [allocations.csv...]\n"
	    "  statement --provider ID [allocations.csv invoices.csv]\n"
	    "  reconcile [--summary summary.json] [allocations.csv "
	    "invoices.csv]\n"
	    "  closing [allocations.csv invoices.csv]\n"
	    "  quantity --providers FILE --activities activities.csv\n"
	    "  compare A.csv B.csv\n"
	    "  compliance --units usve.csv [survey.csv...]\n");
	exit(code);
}

static int
index_of(char **v, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return -1;
}

static void
push(char ***v, int *n, const char *s)
{
	*v = erealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = estrdup(s);
}

static int
line_index(const struct ctx *c, const char *id)
{
	int i;

	for (i = 0; i < c->nlines; i++)
		if (strcmp(c->lines[i].id, id) == 0)
			return i;
	return -1;
}

static struct line_info *
line_add(struct ctx *c, const char *id, const char *title, const char *fund)
{
	struct line_info *l;

	c->lines = erealloc(c->lines, (c->nlines + 1) * sizeof *c->lines);
	l = &c->lines[c->nlines++];
	memset(l, 0, sizeof *l);
	l->id = estrdup(id);
	l->title = estrdup(*title != '\0' ? title : id);
	l->fund = estrdup(fund);
	l->method = estrdup("");
	l->pot = estrdup("");
	l->amounts = estrdup("");
	return l;
}

static void
load_model(struct ctx *c)
{
	struct csvr *r;
	struct line_info *l;
	size_t i;
	const char *k;

	c->meta = model_meta(c->model);
	for (i = 0; i < table_len(c->meta); i++) {
		k = table_key(c->meta, i);
		if (strncmp(k, "fund\x1f", 5) == 0)
			push(&c->funds, &c->nfunds, (char *)k + 5);
	}
	for (i = 0; i < (size_t)c->nfunds; i++)
		c->funds[i][strcspn(c->funds[i], "\x1f")] = '\0';
	r = model_rules(c->model);
	while (csvr_next(r)) {
		l = line_add(c, csvr_field(r, csvr_col(r, "line")),
		    csvr_field(r, csvr_col(r, "title")),
		    csvr_field(r, csvr_col(r, "fund")));
		free(l->method);
		free(l->pot);
		free(l->amounts);
		l->method = estrdup(csvr_field(r, csvr_col(r, "method")));
		l->pot = estrdup(csvr_field(r, csvr_col(r, "pot")));
		l->amounts = estrdup(csvr_field(r, csvr_col(r, "amounts")));
		l->internal = strcmp(csvr_field(r, csvr_col(r, "internal")),
		    "true") == 0;
	}
	csvr_close(r);
}

static int
bad_shape(struct ctx *c, struct csvr *r)
{
	c->st.read++;
	if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r)) {
		stage_reject(&c->st, r, NULL, NULL, NULL,
		    "expected %d fields, found %d", csvr_ncols(r),
		    csvr_nfields(r));
		return 1;
	}
	return 0;
}

static const char *
opt_field(struct csvr *r, const char *col)
{
	int i = csvr_col(r, col);

	return i >= 0 ? csvr_field(r, i) : "";
}

static void
read_allocations(struct ctx *c, struct csvr *r, int set)
{
	int cl = csvr_require(r, "line"), cf = csvr_require(r, "fund");
	int cp = csvr_require(r, "provider"), ca = csvr_require(r, "amount");
	static const char *figures[] = { "qty", "rate" };
	struct alloc_row *a;
	ore_t amt;
	rat q;
	int i, bad;

	while (csvr_next(r)) {
		if (bad_shape(c, r))
			continue;
		if (money_parse(csvr_field(r, ca), &amt) < 0) {
			stage_reject(&c->st, r, "amount", csvr_field(r, ca),
			    NULL, "not an amount");
			continue;
		}
		/* the basis and rate are shown as numbers: decimals or empty */
		for (i = bad = 0; i < 2 && !bad; i++)
			if (*opt_field(r, figures[i]) != '\0' &&
			    rat_parse(opt_field(r, figures[i]), 0, &q) < 0) {
				stage_reject(&c->st, r, figures[i],
				    opt_field(r, figures[i]), NULL,
				    "not a number");
				bad = 1;
			}
		if (bad)
			continue;
		if (c->provs != NULL &&
		    provider_by_id(c->provs, csvr_field(r, cp)) == NULL) {
			stage_reject(&c->st, r, "provider", csvr_field(r, cp),
			    NULL, "not in providers.csv");
			continue;
		}
		if (c->model != NULL && line_index(c, csvr_field(r, cl)) < 0) {
			stage_reject(&c->st, r, "line", csvr_field(r, cl), NULL,
			    "not a line of the model");
			continue;
		}
		if (c->model != NULL &&
		    index_of(c->funds, c->nfunds, csvr_field(r, cf)) < 0) {
			stage_reject(&c->st, r, "fund", csvr_field(r, cf), NULL,
			    "not a fund of the model");
			continue;
		}
		c->st.accepted++;
		if (c->nrows == c->caprows) {
			c->caprows = c->caprows ? c->caprows * 2 : 256;
			c->rows = erealloc(c->rows, c->caprows * sizeof *c->rows);
		}
		a = &c->rows[c->nrows++];
		a->line = estrdup(csvr_field(r, cl));
		a->fund = estrdup(csvr_field(r, cf));
		a->provider = estrdup(csvr_field(r, cp));
		a->payer = estrdup(opt_field(r, "payer"));
		a->period = estrdup(opt_field(r, "period"));
		a->qty = estrdup(opt_field(r, "qty"));
		a->uom = estrdup(opt_field(r, "uom"));
		a->rate = estrdup(opt_field(r, "rate"));
		a->amount = amt;
		a->set = set;
		if (*a->payer != '\0' &&
		    index_of(c->payers, c->npayers, a->payer) < 0)
			push(&c->payers, &c->npayers, a->payer);
		/* without a model, lines and funds come as they appear */
		if (c->model == NULL) {
			if (line_index(c, a->line) < 0)
				line_add(c, a->line, opt_field(r, "title"),
				    a->fund);
			if (index_of(c->funds, c->nfunds, a->fund) < 0)
				push(&c->funds, &c->nfunds, a->fund);
		}
		if (c->provs == NULL &&
		    index_of(c->provorder, c->nprov, a->provider) < 0)
			push(&c->provorder, &c->nprov, a->provider);
	}
}

static void
read_invoices(struct ctx *c, struct csvr *r)
{
	static const char *cols[] = { "doc", "kind", "issuer", "recipient",
	    "issue_date", "period", "line", "description", "qty", "uom",
	    "price" };
	int ci[I_N], cn, i;
	struct inv_row *v;
	ore_t net;

	for (i = 0; i < I_N; i++)
		ci[i] = i < 4 ? csvr_require(r, cols[i]) : csvr_col(r, cols[i]);
	cn = csvr_require(r, "net");
	while (csvr_next(r)) {
		if (bad_shape(c, r))
			continue;
		if (money_parse(csvr_field(r, cn), &net) < 0) {
			stage_reject(&c->st, r, "net", csvr_field(r, cn), NULL,
			    "not an amount");
			continue;
		}
		c->st.accepted++;
		if (c->ninv == c->capinv) {
			c->capinv = c->capinv ? c->capinv * 2 : 256;
			c->inv = erealloc(c->inv, c->capinv * sizeof *c->inv);
		}
		v = &c->inv[c->ninv++];
		for (i = 0; i < I_N; i++)
			v->f[i] = estrdup(ci[i] >= 0 ? csvr_field(r, ci[i]) : "");
		v->net = net;
	}
}

/* a file is invoices.csv when it has a doc column, else allocations */
static void
read_input(struct ctx *c, const char *path, int set)
{
	struct csvr *r = csvr_open(path, ',');

	if (csvr_col(r, "doc") >= 0)
		read_invoices(c, r);
	else
		read_allocations(c, r, set);
	csvr_close(r);
}

/*
 * The table rows: providers in providers.csv order, each shown under its
 * report_as row (Övriga), the reserve last.  Returns the row a provider
 * id is shown in, or -1.
 */
static int
row_of(const struct ctx *c, const char *id)
{
	struct provider *p;

	if (c->provs == NULL)
		return index_of(c->provorder, c->nprov, id);
	if ((p = provider_by_id(c->provs, id)) == NULL)
		return -1;
	if (*p->report_as != '\0' && provider_by_id(c->provs, p->report_as))
		p = provider_by_id(c->provs, p->report_as);
	return p->order;
}

static int
nrows_shown(const struct ctx *c)
{
	return c->provs != NULL ? c->provs->n : c->nprov;
}

static int
is_reserve(const char *id)
{
	return strcmp(id, "RESERV") == 0;
}

/* the rows that get a row of their own, in display order, reserve last */
static int
display_order(const struct ctx *c, int *order)
{
	int i, n = 0, reserve = -1;
	struct provider *p;

	for (i = 0; i < nrows_shown(c); i++) {
		if (c->provs == NULL) {
			if (is_reserve(c->provorder[i]))
				reserve = i;
			else
				order[n++] = i;
			continue;
		}
		p = c->provs->v[i];
		if (*p->report_as != '\0' && provider_by_id(c->provs, p->report_as))
			continue;
		if (is_reserve(p->id)) {
			reserve = i;
			continue;
		}
		order[n++] = i;
	}
	if (reserve >= 0)
		order[n++] = reserve;
	return n;
}

static const char *
row_name(const struct ctx *c, int i)
{
	return c->provs != NULL ? c->provs->v[i]->name : c->provorder[i];
}

static const char *
row_id(const struct ctx *c, int i)
{
	return c->provs != NULL ? c->provs->v[i]->id : c->provorder[i];
}

/* line ids grouped by section: 3.3-alf and 3.3-hsf make one table, 3.3 */
static char *
section_of(const char *line, const char *fund)
{
	size_t n = strlen(line), f = strlen(fund), i;
	char *s = estrdup(line);

	if (f > 0 && n > f + 1 && line[n - f - 1] == '-') {
		for (i = 0; i < f; i++)
			if ((line[n - f + i] | 0x20) != (fund[i] | 0x20))
				return s;
		s[n - f - 1] = '\0';
	}
	return s;
}

/* a line gets a column or table unless it is internal and has no rows */
static int
line_shown(const struct ctx *c, int i)
{
	size_t x;

	if (!c->lines[i].internal)
		return 1;
	for (x = 0; x < c->nrows; x++)
		if (strcmp(c->rows[x].line, c->lines[i].id) == 0)
			return 1;
	return 0;
}

/* the money header: a first column, then one per fund */
static const char **
fund_head(const struct ctx *c, const char *first, int extra)
{
	const char **head = emalloc((c->nfunds + 2 + extra) * sizeof *head);
	int k;

	head[0] = first;
	for (k = 0; k < c->nfunds; k++)
		head[k + 1] = c->funds[k];
	return head;
}

/*
 * budget: per section a table of providers × funds (002's layout), then
 * the summary (Bilaga 2): providers × lines, a subtotal per fund and the
 * total.  Totals are the exact totals, rounded once by the renderer.
 */
static void
kind_budget(struct ctx *c, struct report *rep)
{
	char **sections = NULL, *sec, title[512];
	int nsec = 0, s, i, j, k, n, *order, nr = nrows_shown(c), r, col;
	int ncols, *lcol;
	const char **head;
	ore_t *sum, *amt, all, grand;
	struct rtable *t;
	struct cell *row;
	size_t x;

	order = emalloc((nr + 1) * sizeof *order);
	n = display_order(c, order);
	head = fund_head(c, "Vårdgivare", 0);
	for (i = 0; i < c->nlines; i++) {
		if (!line_shown(c, i))
			continue;
		sec = section_of(c->lines[i].id, c->lines[i].fund);
		if (index_of(sections, nsec, sec) < 0)
			push(&sections, &nsec, sec);
		free(sec);
	}
	/* amt: öre per display row and line */
	amt = ecalloc((size_t)nr * c->nlines + 1, sizeof *amt);
	for (x = 0; x < c->nrows; x++)
		if ((r = row_of(c, c->rows[x].provider)) >= 0 &&
		    (i = line_index(c, c->rows[x].line)) >= 0)
			amt[r * c->nlines + i] = ore_add(amt[r * c->nlines + i],
			    c->rows[x].amount);
	sum = ecalloc((size_t)nr * c->nfunds + 1, sizeof *sum);
	for (s = 0; s < nsec; s++) {
		memset(sum, 0, (size_t)nr * c->nfunds * sizeof *sum);
		title[0] = '\0';
		for (i = 0; i < c->nlines; i++) {
			if (!line_shown(c, i))
				continue;
			sec = section_of(c->lines[i].id, c->lines[i].fund);
			k = index_of(c->funds, c->nfunds, c->lines[i].fund);
			if (strcmp(sec, sections[s]) == 0 && k >= 0) {
				if (title[0] == '\0')
					snprintf(title, sizeof title, "%s %s",
					    sections[s], c->lines[i].title);
				for (r = 0; r < nr; r++)
					sum[r * c->nfunds + k] = ore_add(
					    sum[r * c->nfunds + k],
					    amt[r * c->nlines + i]);
			}
			free(sec);
		}
		t = rtable_add(rep, title, c->nfunds + 1, head);
		for (j = 0; j < n; j++) {
			row = rtable_row(t);
			cell_text(&row[0], row_name(c, order[j]));
			for (k = 0; k < c->nfunds; k++)
				cell_money(&row[k + 1],
				    sum[order[j] * c->nfunds + k]);
		}
		/* totals are the rounded exact totals, not sums of rounded rows */
		rtable_mark_total(t);
		row = rtable_row(t);
		cell_text(&row[0], "Totalt");
		for (k = 0; k < c->nfunds; k++) {
			all = 0;
			for (r = 0; r < nr; r++)
				all = ore_add(all, sum[r * c->nfunds + k]);
			cell_money(&row[k + 1], all);
		}
	}
	free(head);

	/* the summary: lines grouped by fund, a subtotal after each fund */
	head = emalloc((c->nlines + c->nfunds + 2) * sizeof *head);
	lcol = emalloc((c->nlines + 1) * sizeof *lcol);
	head[0] = "Vårdgivare";
	ncols = 1;
	for (k = 0; k < c->nfunds; k++) {
		for (i = 0; i < c->nlines; i++)
			if (line_shown(c, i) &&
			    strcmp(c->lines[i].fund, c->funds[k]) == 0) {
				lcol[i] = ncols;
				head[ncols++] = c->lines[i].id;
			}
		snprintf(title, sizeof title, "Summa %s", c->funds[k]);
		head[ncols++] = estrdup(title);
	}
	head[ncols++] = "Totalt";
	t = rtable_add(rep, "Sammanställning per vårdgivare och rad",
	    ncols, head);
	rtable_chart(t, CHART_BARS, ncols - 1);
	for (j = 0; j <= n; j++) {
		if (j == n) {
			rtable_mark_total(t);
		}
		row = rtable_row(t);
		cell_text(&row[0], j < n ? row_name(c, order[j]) : "Totalt");
		col = 1;
		grand = 0;
		for (k = 0; k < c->nfunds; k++) {
			ore_t fund = 0;

			for (i = 0; i < c->nlines; i++) {
				if (!line_shown(c, i) ||
				    strcmp(c->lines[i].fund, c->funds[k]) != 0)
					continue;
				all = 0;
				for (r = 0; r < nr; r++)
					if (j == n || r == order[j])
						all = ore_add(all,
						    amt[r * c->nlines + i]);
				cell_money(&row[lcol[i]], all);
				fund = ore_add(fund, all);
				col++;
			}
			cell_money(&row[col++], fund);
			grand = ore_add(grand, fund);
		}
		cell_money(&row[col], grand);
	}
	for (i = 1; i < ncols; i++)
		if (strncmp(head[i], "Summa ", 6) == 0)
			free((char *)head[i]);
	for (s = 0; s < nsec; s++)
		free(sections[s]);
	free(sections);
	free(sum);
	free(amt);
	free(order);
	free(head);
	free(lcol);
}

struct change {
	int	 row, line;	/* display row; line index or -1 */
	ore_t	 a, b;
};

static int
change_cmp(const void *x, const void *y)
{
	const struct change *p = x, *q = y;
	ore_t dp = p->b - p->a, dq = q->b - q->a;

	if (dp != dq)
		return dp < dq ? 1 : -1;
	if (p->row != q->row)
		return p->row < q->row ? -1 : 1;
	return (p->line > q->line) - (p->line < q->line);
}

/*
 * compare: two allocations side by side, per provider and per provider
 * and line, sorted by the change (winners first, then losers): VGR's old
 * and new model, or this year against last year.
 */
static void
kind_compare(struct ctx *c, struct report *rep)
{
	int nr = nrows_shown(c), *order, *pos, n, i, j, r, m;
	ore_t *a, *b, ta = 0, tb = 0;
	struct change *ch;
	const char *head[5];
	struct rtable *t;
	struct cell *row;
	size_t x;

	order = emalloc((nr + 1) * sizeof *order);
	pos = ecalloc(nr + 1, sizeof *pos);
	n = display_order(c, order);
	for (j = 0; j < n; j++)
		pos[order[j]] = j;
	a = ecalloc((size_t)nr * c->nlines + 1, sizeof *a);
	b = ecalloc((size_t)nr * c->nlines + 1, sizeof *b);
	for (x = 0; x < c->nrows; x++) {
		if ((r = row_of(c, c->rows[x].provider)) < 0 ||
		    (i = line_index(c, c->rows[x].line)) < 0)
			continue;
		if (c->rows[x].set == 0)
			a[r * c->nlines + i] = ore_add(a[r * c->nlines + i],
			    c->rows[x].amount);
		else
			b[r * c->nlines + i] = ore_add(b[r * c->nlines + i],
			    c->rows[x].amount);
	}
	ch = ecalloc((size_t)nr * (c->nlines + 1) + 1, sizeof *ch);
	/* per provider */
	for (j = 0; j < n; j++) {
		ch[j].line = -1;
		for (i = 0; i < c->nlines; i++) {
			ch[j].a = ore_add(ch[j].a, a[order[j] * c->nlines + i]);
			ch[j].b = ore_add(ch[j].b, b[order[j] * c->nlines + i]);
		}
		ch[j].row = pos[order[j]];
		ta = ore_add(ta, ch[j].a);
		tb = ore_add(tb, ch[j].b);
	}
	if (n > 1)
		qsort(ch, n, sizeof *ch, change_cmp);
	head[0] = "Vårdgivare";
	head[1] = c->setname[0];
	head[2] = c->setname[1];
	head[3] = "Förändring";
	t = rtable_add(rep, "Förändring per vårdgivare", 4, head);
	rtable_chart(t, CHART_DIVERGE, 3);
	for (j = 0; j < n; j++) {
		row = rtable_row(t);
		cell_text(&row[0], row_name(c, order[ch[j].row]));
		cell_money(&row[1], ch[j].a);
		cell_money(&row[2], ch[j].b);
		cell_money(&row[3], ch[j].b - ch[j].a);
	}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	cell_money(&row[1], ta);
	cell_money(&row[2], tb);
	cell_money(&row[3], tb - ta);

	/* per provider and line, where either side has money */
	m = 0;
	for (j = 0; j < n; j++)
		for (i = 0; i < c->nlines; i++) {
			r = order[j];
			if (a[r * c->nlines + i] == 0 &&
			    b[r * c->nlines + i] == 0)
				continue;
			ch[m].row = j;
			ch[m].line = i;
			ch[m].a = a[r * c->nlines + i];
			ch[m].b = b[r * c->nlines + i];
			m++;
		}
	if (m > 1)
		qsort(ch, m, sizeof *ch, change_cmp);
	head[0] = "Vårdgivare";
	head[1] = "Rad";
	head[2] = c->setname[0];
	head[3] = c->setname[1];
	head[4] = "Förändring";
	t = rtable_add(rep, "Förändring per vårdgivare och rad", 5, head);
	for (j = 0; j < m; j++) {
		row = rtable_row(t);
		cell_text(&row[0], row_name(c, order[ch[j].row]));
		cell_text(&row[1], c->lines[ch[j].line].id);
		cell_money(&row[2], ch[j].a);
		cell_money(&row[3], ch[j].b);
		cell_money(&row[4], ch[j].b - ch[j].a);
	}
	free(order);
	free(pos);
	free(a);
	free(b);
	free(ch);
}

/* reconcile's table: one row per check; count says the figures are rows */
static void
check_row(struct ctx *c, struct rtable *t, const char *what,
    const char *subject, long long want, long long got, int count)
{
	struct cell *row = rtable_row(t);
	char w[64], g[64];
	int ok = want == got;

	cell_text(&row[0], what);
	cell_text(&row[1], subject);
	if (count) {
		cell_int(&row[2], want);
		cell_int(&row[3], got);
		cell_int(&row[4], got - want);
		snprintf(w, sizeof w, "%lld", want);
		snprintf(g, sizeof g, "%lld", got);
	} else {
		cell_money(&row[2], want);
		cell_money(&row[3], got);
		cell_money(&row[4], got - want);
		money_fmt(want, w, sizeof w);
		money_fmt(got, g, sizeof g);
	}
	cell_text(&row[5], ok ? "ok" : "FEL");
	if (!ok) {
		c->st.failed = 1;
		diag(NULL, 0, NULL, "reconcile: %s: %s: expected %s, found %s",
		    what, subject, w, g);
	}
}

static ore_t
alloc_sum(const struct ctx *c, const char *line, const char *provider,
    const char *payer)
{
	ore_t s = 0;
	size_t x;

	for (x = 0; x < c->nrows; x++)
		if ((line == NULL || strcmp(c->rows[x].line, line) == 0) &&
		    (provider == NULL ||
		    strcmp(c->rows[x].provider, provider) == 0) &&
		    (payer == NULL || strcmp(c->rows[x].payer, payer) == 0))
			s = ore_add(s, c->rows[x].amount);
	return s;
}

/*
 * The run summary (logs/stages.json of `make run`, or its summary.json): a
 * JSON object whose "stages" is an array of objects, one a step, each
 * naming it (stage, program or name) and, when the step printed its
 * summary line, holding all four of read, accepted, rejected and merged as
 * counts.  Every object holding the four must have read = accepted +
 * rejected + merged.  A small strict parser, not a JSON library: a file
 * that is not JSON of that shape is a configuration error naming the file
 * and line, never an empty check.
 */
enum { J_ANY, J_TOP, J_STAGES, J_STAGE };

struct jcount {
	char		name[128];
	long long	v[4];
};

struct jscan {
	const char	*path;
	const char	*p, *end;
	long		 line;
	struct jcount	*cnt;
	size_t		 ncnt;
};

static const char *const count_keys[] = { "read", "accepted", "rejected",
    "merged" };

static void	jvalue(struct jscan *, int, int, const char *);

static void __attribute__((noreturn, format(printf, 2, 3)))
jfail(const struct jscan *js, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	die(EXIT_USAGE, "%s:%ld: %s", js->path, js->line, what);
}

/* the next character past white space, or EOF */
static int
jpeek(struct jscan *js)
{
	for (; js->p < js->end; js->p++)
		if (*js->p == '\n')
			js->line++;
		else if (*js->p != ' ' && *js->p != '\t' && *js->p != '\r')
			return (unsigned char)*js->p;
	return EOF;
}

static void __attribute__((noreturn))
junexpected(struct jscan *js)
{
	int ch = jpeek(js);

	if (ch == EOF)
		jfail(js, "not JSON: unexpected end of file");
	if (ch > ' ' && ch < 0x7f)
		jfail(js, "not JSON: unexpected character (%c)", ch);
	jfail(js, "not JSON: unexpected byte (0x%02x)", ch);
}

static void
jexpect(struct jscan *js, int ch)
{
	if (jpeek(js) != ch)
		junexpected(js);
	js->p++;
}

/* a string into buf (cut to n - 1 bytes), \uXXXX as UTF-8 */
static void
jstring(struct jscan *js, char *buf, size_t n)
{
	char u[4];
	size_t k = 0, un, i;
	unsigned cp;
	int ch;

	jexpect(js, '"');
	for (;;) {
		if (js->p >= js->end)
			jfail(js, "not JSON: a string runs to the end of the "
			    "file");
		ch = (unsigned char)*js->p++;
		u[0] = (char)ch;
		un = 1;
		if (ch == '"')
			break;
		if (ch < ' ')
			jfail(js, "not JSON: a control character in a string");
		if (ch == '\\') {
			ch = js->p < js->end ? (unsigned char)*js->p++ : EOF;
			switch (ch) {
			case '"': case '\\': case '/': u[0] = (char)ch; break;
			case 'b': u[0] = '\b'; break;
			case 'f': u[0] = '\f'; break;
			case 'n': u[0] = '\n'; break;
			case 'r': u[0] = '\r'; break;
			case 't': u[0] = '\t'; break;
			case 'u':
				for (cp = 0, i = 0; i < 4; i++, js->p++) {
					if (js->p >= js->end ||
					    !isxdigit((unsigned char)*js->p))
						jfail(js, "not JSON: a bad \\u "
						    "escape");
					cp = cp * 16 + (isdigit((unsigned char)
					    *js->p) ? *js->p - '0' :
					    (tolower((unsigned char)*js->p) -
					    'a' + 10));
				}
				/* a name needs no surrogate pairs */
				if (cp < 0x80)
					u[0] = (char)cp;
				else if (cp < 0x800) {
					u[0] = (char)(0xc0 | cp >> 6);
					u[1] = (char)(0x80 | (cp & 0x3f));
					un = 2;
				} else if (cp < 0xd800 || cp > 0xdfff) {
					u[0] = (char)(0xe0 | cp >> 12);
					u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
					u[2] = (char)(0x80 | (cp & 0x3f));
					un = 3;
				} else
					u[0] = '?';
				break;
			default:
				jfail(js, "not JSON: a bad escape in a string");
			}
		}
		for (i = 0; i < un && k + 1 < n; i++)
			buf[k++] = u[i];
	}
	buf[k] = '\0';
}

/* a number; the count it is, or -1 when it is none (negative, fraction) */
static long long
jnumber(struct jscan *js)
{
	const char *p = js->p, *e = js->end;
	long long v = 0;
	int count = 1;

	if (p < e && *p == '-') {
		p++;
		count = 0;
	}
	if (p >= e || !isdigit((unsigned char)*p))
		junexpected(js);
	if (*p == '0')
		p++;
	else
		for (; p < e && isdigit((unsigned char)*p); p++)
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, *p - '0', &v))
				count = 0;
	if (p < e && *p == '.') {
		count = 0;
		if (++p >= e || !isdigit((unsigned char)*p))
			jfail(js, "not JSON: a bad number");
		while (p < e && isdigit((unsigned char)*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		count = 0;
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !isdigit((unsigned char)*p))
			jfail(js, "not JSON: a bad number");
		while (p < e && isdigit((unsigned char)*p))
			p++;
	}
	js->p = p;
	return count ? v : -1;
}

static void
jliteral(struct jscan *js, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(js->end - js->p) < n || memcmp(js->p, word, n) != 0)
		junexpected(js);
	js->p += n;
}

static void
jobject(struct jscan *js, int depth, int role, const char *under)
{
	struct jcount cnt;
	const char *start;
	char key[128];
	long long v;
	int have = 0, stages = 0, named = 0, i, ch;

	if (depth >= 32)
		jfail(js, "nested too deep");
	memset(&cnt, 0, sizeof cnt);
	snprintf(cnt.name, sizeof cnt.name, "%s", under);
	jexpect(js, '{');
	if (jpeek(js) == '}')
		js->p++;
	else
		for (;;) {
			if (jpeek(js) != '"')
				junexpected(js);
			jstring(js, key, sizeof key);
			jexpect(js, ':');
			ch = jpeek(js);
			for (i = 0; i < 4 && strcmp(key, count_keys[i]) != 0;
			    i++)
				;
			start = js->p;
			if (i < 4 && (ch == '-' || isdigit(ch))) {
				if ((v = jnumber(js)) >= 0) {
					cnt.v[i] = v;
					have |= 1 << i;
				} else if (role == J_STAGE)
					jfail(js, "%s: not a count (%.*s)", key,
					    (int)(js->p - start), start);
			} else if (i < 4 && role == J_STAGE) {
				jvalue(js, depth + 1, J_ANY, key);
				jfail(js, "%s: not a count (%.*s)", key,
				    js->p - start > 40 ? 40 :
				    (int)(js->p - start), start);
			} else if (ch == '"' && (strcmp(key, "stage") == 0 ||
			    strcmp(key, "program") == 0 ||
			    strcmp(key, "name") == 0)) {
				jstring(js, cnt.name, sizeof cnt.name);
				named = 1;
			} else if (role == J_TOP && strcmp(key, "stages") == 0) {
				if (ch != '[')
					jfail(js, "stages: not an array");
				jvalue(js, depth + 1, J_STAGES, key);
				stages = 1;
			} else
				jvalue(js, depth + 1, J_ANY, key);
			if ((ch = jpeek(js)) == ',') {
				js->p++;
				continue;
			}
			if (ch != '}')
				junexpected(js);
			js->p++;
			break;
		}
	if (role == J_TOP && !stages)
		jfail(js, "stages: missing (not a run summary)");
	if (role == J_STAGE && !named)
		jfail(js, "stages: a step without stage, program or name");
	if (role == J_STAGE && have != 0 && have != 0xf)
		jfail(js, "%s: not all of read, accepted, rejected and merged",
		    cnt.name);
	if (have == 0xf && (__builtin_add_overflow(cnt.v[1], cnt.v[2], &v) ||
	    __builtin_add_overflow(v, cnt.v[3], &v)))
		jfail(js, "%s: counts out of range", cnt.name);
	if (have == 0xf) {
		js->cnt = erealloc(js->cnt, (js->ncnt + 1) * sizeof *js->cnt);
		js->cnt[js->ncnt++] = cnt;
	}
}

static void
jarray(struct jscan *js, int depth, int role)
{
	int ch;

	if (depth >= 32)
		jfail(js, "nested too deep");
	jexpect(js, '[');
	if (jpeek(js) == ']') {
		js->p++;
		return;
	}
	for (;;) {
		ch = jpeek(js);
		if (role == J_STAGES && ch != '{' && ch != EOF &&
		    strchr("[\"tfn-0123456789", ch) != NULL)
			jfail(js, "stages: a step that is not an object");
		jvalue(js, depth + 1, role == J_STAGES ? J_STAGE : J_ANY, "");
		if ((ch = jpeek(js)) == ',') {
			js->p++;
			continue;
		}
		if (ch != ']')
			junexpected(js);
		js->p++;
		return;
	}
}

static void
jvalue(struct jscan *js, int depth, int role, const char *under)
{
	char skip[8];
	int ch = jpeek(js);

	if (ch == '{')
		jobject(js, depth, role, under);
	else if (ch == '[')
		jarray(js, depth, role);
	else if (ch == '"')
		jstring(js, skip, sizeof skip);
	else if (ch == 't')
		jliteral(js, "true");
	else if (ch == 'f')
		jliteral(js, "false");
	else if (ch == 'n')
		jliteral(js, "null");
	else
		jnumber(js);
}

/* read and check the run summary, before any input: it is configuration */
static void
summary_read(struct ctx *c)
{
	struct jscan js = { c->summary, NULL, NULL, 1, NULL, 0 };
	char *buf = NULL, chunk[8192];
	size_t len = 0, n;
	FILE *fp, *mem;

	if ((fp = fopen(c->summary, "r")) == NULL)
		die(EXIT_IO, "%s: cannot read: %s", c->summary,
		    strerror(errno));
	if ((mem = open_memstream(&buf, &len)) == NULL)
		die(EXIT_IO, "out of memory");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fwrite(chunk, 1, n, mem);
	if (ferror(fp))
		die(EXIT_IO, "%s: read error: %s", c->summary, strerror(errno));
	fclose(fp);
	if (fclose(mem) != 0)
		die(EXIT_IO, "out of memory");
	js.p = buf;
	js.end = buf + len;
	if (jpeek(&js) == EOF)
		die(EXIT_USAGE, "%s: empty file", c->summary);
	if (jpeek(&js) != '{')
		jfail(&js, "not a run summary (not a JSON object)");
	jvalue(&js, 0, J_TOP, "");
	if (jpeek(&js) != EOF)
		jfail(&js, "not JSON: more after the summary's object");
	free(buf);
	c->sumcnt = js.cnt;
	c->nsumcnt = js.ncnt;
}

/* reconcile's rows of the run summary's counts */
static void
check_summary(struct ctx *c, struct rtable *t)
{
	char subject[300];
	long long sum, *v;
	size_t i;

	for (i = 0; i < c->nsumcnt; i++) {
		v = c->sumcnt[i].v;
		sum = v[1] + v[2] + v[3];	/* summary_read saw it fit */
		snprintf(subject, sizeof subject, "%s: read = accepted + "
		    "rejected + merged", c->sumcnt[i].name);
		check_row(c, t, "rader", subject, v[0], sum, 1);
	}
}

/* a payer: one of the model's, or one the allocations name */
static int
is_payer(const struct ctx *c, const char *id)
{
	return index_of(c->payers, c->npayers, id) >= 0 || (c->meta != NULL &&
	    meta_get(c->meta, "payer", id, "name") != NULL);
}

/* a provider that may be party to a document (never RESERV or Övriga) */
static int
is_party(const struct ctx *c, const char *id)
{
	struct provider *p;

	if (c->provs == NULL)
		return !is_payer(c, id);
	return (p = provider_by_id(c->provs, id)) != NULL && p->invoiceable;
}

static int
is_recharge(const struct ctx *c, const struct inv_row *v)
{
	if (strcmp(v->f[I_KIND], "recharge") == 0)
		return 1;
	/* a correction between two providers corrects a recharge */
	return (strcmp(v->f[I_KIND], "credit") == 0 ||
	    strcmp(v->f[I_KIND], "debit") == 0) &&
	    !is_payer(c, v->f[I_ISSUER]) && !is_payer(c, v->f[I_RECIPIENT]);
}

/* "A\x1fB", the key of a pair (payer and provider, line and provider) */
#define PAIRKEY	512
static const char *
pair_key(char buf[PAIRKEY], const char *a, const char *b)
{
	snprintf(buf, PAIRKEY, "%s\x1f%s", a, b);
	return buf;
}

/* pair (a, b)'s n sums in t, zero when new */
static ore_t *
pair_sums(struct table *t, const char *a, const char *b, size_t n)
{
	char key[PAIRKEY];
	void **slot = table_slot(t, pair_key(key, a, b), NULL);

	if (*slot == NULL)
		*slot = ecalloc(n, sizeof(ore_t));
	return *slot;
}

/* "PAYER\x1fPROVIDER" added to the pairs reconcile checks, once, in order */
static void
pair_add(struct table *pairs, const char *payer, const char *provider)
{
	char key[PAIRKEY];

	table_slot(pairs, pair_key(key, payer, provider), NULL);
}

/*
 * What every (payer, provider) was invoiced, either way round, in one
 * pass over the documents: reconcile looks up each pair, and a scan of
 * every document for each pair was pairs × documents.
 */
static struct table *
invoiced_index(const struct ctx *c)
{
	struct table *t = table_new();
	const struct inv_row *v;
	ore_t *sum;
	size_t x;
	int k;

	for (x = 0; x < c->ninv; x++) {
		v = &c->inv[x];
		if (strcmp(v->f[I_LINE], "vat-comp") == 0 ||
		    strcmp(v->f[I_KIND], "recharge") == 0)
			continue;
		for (k = 0; k < 2; k++) {
			/* issuer and recipient each as the payer; once if one */
			if (k == 1 && strcmp(v->f[I_ISSUER],
			    v->f[I_RECIPIENT]) == 0)
				break;
			sum = pair_sums(t, v->f[k ? I_ISSUER : I_RECIPIENT],
			    v->f[k ? I_RECIPIENT : I_ISSUER], 1);
			*sum = ore_add(*sum, v->net);
		}
	}
	return t;
}

/*
 * reconcile: each pot fully distributed, each fixed line as given, the
 * invoices' net equal to the allocations per payer and provider, the
 * recharges netting to zero, and the run summary's counts adding up.
 * Exit 1 naming every check that does not hold.
 */
static void
kind_reconcile(struct ctx *c, struct report *rep)
{
	static const char *head[] = { "Kontroll", "Avser", "Förväntat",
	    "Faktiskt", "Differens", "Status" };
	struct rtable *t;
	const struct line_info *l;
	char subject[300], *amounts, *item, *save, *eq, *payer, *prov;
	ore_t want, got, issued = 0, received = 0, *inv;
	struct table *pairs, *sums;
	int i;
	size_t x, j;
	struct provider *p;

	free(rep->title);
	rep->title = estrdup("Avstämning");
	t = rtable_add(rep, "Kontroller", 6, head);
	if (c->model == NULL)
		note("reconcile: without --model, pots and fixed lines are "
		    "not checked");
	for (i = 0; i < c->nlines && c->model != NULL; i++) {
		l = &c->lines[i];
		if (l->internal)
			continue;
		/* 002 §3.3 and the like: a share pot is handed out whole */
		if (*l->pot != '\0' && money_parse(l->pot, &want) == 0) {
			got = alloc_sum(c, l->id, NULL, NULL);
			/* a rate line's pot is a ceiling: at most the pot */
			if (strcmp(l->method, "share") != 0 && got < want)
				want = got;
			check_row(c, t, strcmp(l->method, "share") == 0 ?
			    "pott fördelad" : "inom pott", l->id, want, got, 0);
		}
		if (strcmp(l->method, "fixed") != 0)
			continue;
		amounts = estrdup(l->amounts);
		want = 0;
		for (item = strtok_r(amounts, "|", &save); item != NULL;
		    item = strtok_r(NULL, "|", &save)) {
			ore_t a;

			if ((eq = strchr(item, '=')) == NULL ||
			    money_parse(eq + 1, &a) < 0)
				continue;
			*eq = '\0';
			got = alloc_sum(c, l->id, item, NULL);
			snprintf(subject, sizeof subject, "%s %s", l->id, item);
			check_row(c, t, "fast belopp", subject, a, got, 0);
			want = ore_add(want, a);
		}
		got = alloc_sum(c, l->id, NULL, NULL);
		snprintf(subject, sizeof subject, "%s totalt", l->id);
		check_row(c, t, "fast belopp", subject, want, got, 0);
		free(amounts);
	}
	if (c->ninv > 0) {
		pairs = table_new();
		for (x = 0; x < c->nrows; x++) {
			p = c->provs != NULL ?
			    provider_by_id(c->provs, c->rows[x].provider) : NULL;
			/* the reserve and Övriga are never parties */
			if (p != NULL && !p->invoiceable)
				continue;
			pair_add(pairs, c->rows[x].payer, c->rows[x].provider);
		}
		/* and documents between a payer and a provider with no money */
		for (x = 0; x < c->ninv; x++) {
			const struct inv_row *v = &c->inv[x];

			if (strcmp(v->f[I_LINE], "vat-comp") == 0 ||
			    is_recharge(c, v))
				continue;
			if (is_payer(c, v->f[I_ISSUER]))
				pair_add(pairs, v->f[I_ISSUER],
				    v->f[I_RECIPIENT]);
			else
				pair_add(pairs, v->f[I_RECIPIENT],
				    v->f[I_ISSUER]);
		}
		sums = invoiced_index(c);
		for (j = 0; j < table_len(pairs); j++) {
			inv = table_get(sums, table_key(pairs, j));
			payer = estrdup(table_key(pairs, j));
			prov = strchr(payer, '\x1f');
			*prov++ = '\0';
			/* what is not a party is owed nothing on documents */
			want = is_party(c, prov) || c->provs == NULL ?
			    alloc_sum(c, NULL, prov, payer) : 0;
			got = inv != NULL ? *inv : 0;
			snprintf(subject, sizeof subject, "%s – %s", payer,
			    prov);
			check_row(c, t, "fakturerat = tilldelat", subject,
			    want, got, 0);
			free(payer);
		}
		for (j = 0; j < table_len(sums); j++)
			free(table_val(sums, j));
		table_free(sums);
		table_free(pairs);
		/*
		 * Money between providers nets to zero only when both ends
		 * are providers that are parties, and not the same one.
		 */
		for (x = 0; x < c->ninv; x++) {
			const struct inv_row *v = &c->inv[x];

			if (!is_recharge(c, v))
				continue;
			if (is_party(c, v->f[I_ISSUER]))
				issued = ore_add(issued, v->net);
			if (is_party(c, v->f[I_RECIPIENT]) &&
			    strcmp(v->f[I_ISSUER], v->f[I_RECIPIENT]) != 0)
				received = ore_add(received, v->net);
		}
		check_row(c, t, "vidarefakturering netto noll",
		    "utfärdat − mottaget", issued, received, 0);
	} else
		note("reconcile: no invoices.csv: invoices are not checked");
	if (c->summary != NULL)
		check_summary(c, t);
}

/*
 * Every (line, provider)'s five figures in one pass over the allocations
 * and the documents: the closing asks for each provider and line, and a
 * scan of every document for each would be providers × lines × documents
 * (a national region's closing took 0.4 s for 64 000 document lines).
 */
static void
flows_index(struct ctx *c)
{
	const struct inv_row *w;
	ore_t *f;
	size_t x;
	int col;

	c->flows = table_new();
	for (x = 0; x < c->nrows; x++) {
		f = pair_sums(c->flows, c->rows[x].line, c->rows[x].provider,
		    5);
		f[0] = ore_add(f[0], c->rows[x].amount);
	}
	for (x = 0; x < c->ninv; x++) {
		w = &c->inv[x];
		if (is_recharge(c, w))
			continue;
		col = strcmp(w->f[I_KIND], "payment") == 0 ? 2 :
		    strcmp(w->f[I_KIND], "settlement") == 0 ? 3 : 1;
		/* issuer and recipient each, once when they are one */
		f = pair_sums(c->flows, w->f[I_LINE], w->f[I_ISSUER], 5);
		f[col] = ore_add(f[col], w->net);
		if (strcmp(w->f[I_RECIPIENT], w->f[I_ISSUER]) != 0) {
			f = pair_sums(c->flows, w->f[I_LINE],
			    w->f[I_RECIPIENT], 5);
			f[col] = ore_add(f[col], w->net);
		}
	}
}

/*
 * What one provider's line came to: v[0] allocated, v[1] invoiced (and
 * corrected), v[2] paid in twelfths, v[3] settled, v[4] what is left.
 * Recharges are between providers and leave these alone.  0 when all
 * are zero.
 */
static int
line_flows(struct ctx *c, const char *id, const char *line, ore_t *v)
{
	char key[PAIRKEY];
	const ore_t *f;

	if (c->flows == NULL)
		flows_index(c);
	memset(v, 0, 5 * sizeof *v);
	if ((f = table_get(c->flows, pair_key(key, line, id))) != NULL)
		memcpy(v, f, 4 * sizeof *v);
	if (v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0)
		return 0;
	v[4] = v[0] - v[1] - v[2] - v[3];
	return 1;
}

/* line_flows' five figures as cells, added to tot unless it is NULL */
static void
flow_cells(struct cell *row, const ore_t *v, ore_t *tot)
{
	int k;

	for (k = 0; k < 5; k++) {
		cell_money(&row[k], v[k]);
		if (tot != NULL)
			tot[k] = ore_add(tot[k], v[k]);
	}
}

/*
 * statement: everything one provider gets — per line the basis, rate and
 * amount, per line what was invoiced, paid and settled against it, then
 * every document line it issued or received (recharges too) — the
 * invoice basis its controller checks.
 */
static void
kind_statement(struct ctx *c, struct report *rep)
{
	static const char *ahead[] = { "Rad", "Benämning", "Fond", "Betalare",
	    "Period", "Underlag", "Enhet", "Pris", "Belopp" };
	static const char *ihead[] = { "Dokument", "Typ", "Utfärdare",
	    "Mottagare", "Datum", "Period", "Rad", "Text", "Belopp" };
	static const char *khead[] = { "Typ", "Rader", "Belopp" };
	static const char *fhead[] = { "Rad", "Tilldelat", "Fakturerat",
	    "Utbetalt", "Slutreglerat", "Kvar" };
	struct rtable *t;
	struct cell *row;
	struct provider *p;
	char title[512], **kinds = NULL;
	ore_t total = 0, *ksum = NULL, v[5], ftot[5];
	long *kcount = NULL;
	int i, nk = 0, k;
	size_t x;

	p = c->provs != NULL ? provider_by_id(c->provs, c->provider) : NULL;
	snprintf(title, sizeof title, "Underlag: %s (%s)",
	    p != NULL ? p->name : c->provider, c->provider);
	free(rep->title);
	rep->title = estrdup(title);
	t = rtable_add(rep, "Tilldelning per rad", 9, ahead);
	for (i = 0; i < c->nlines; i++)
		for (x = 0; x < c->nrows; x++) {
			const struct alloc_row *a = &c->rows[x];

			if (strcmp(a->provider, c->provider) != 0 ||
			    strcmp(a->line, c->lines[i].id) != 0)
				continue;
			row = rtable_row(t);
			cell_text(&row[0], a->line);
			cell_text(&row[1], c->lines[i].title);
			cell_text(&row[2], a->fund);
			cell_text(&row[3], a->payer);
			cell_text(&row[4], a->period);
			cell_number(&row[5], a->qty);
			cell_text(&row[6], a->uom);
			cell_number(&row[7], a->rate);
			cell_money(&row[8], a->amount);
			total = ore_add(total, a->amount);
		}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	cell_money(&row[8], total);

	/* per line: what was allocated against what the documents moved */
	t = rtable_add(rep, "Tilldelat och betalt per rad", 6,
	    fhead);
	memset(ftot, 0, sizeof ftot);
	for (i = 0; i < c->nlines; i++) {
		if (!line_flows(c, c->provider, c->lines[i].id, v))
			continue;
		row = rtable_row(t);
		cell_text(&row[0], c->lines[i].id);
		flow_cells(&row[1], v, ftot);
	}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	flow_cells(&row[1], ftot, NULL);

	t = rtable_add(rep, "Fakturor, betalningar och vidarefakturering", 9,
	    ihead);
	for (x = 0; x < c->ninv; x++) {
		const struct inv_row *v = &c->inv[x];

		if (strcmp(v->f[I_ISSUER], c->provider) != 0 &&
		    strcmp(v->f[I_RECIPIENT], c->provider) != 0)
			continue;
		row = rtable_row(t);
		cell_text(&row[0], v->f[I_DOC]);
		cell_text(&row[1], v->f[I_KIND]);
		cell_text(&row[2], v->f[I_ISSUER]);
		cell_text(&row[3], v->f[I_RECIPIENT]);
		cell_text(&row[4], v->f[I_DATE]);
		cell_text(&row[5], v->f[I_PERIOD]);
		cell_text(&row[6], v->f[I_LINE]);
		cell_text(&row[7], v->f[I_DESC]);
		cell_money(&row[8], v->net);
		if ((k = index_of(kinds, nk, v->f[I_KIND])) < 0) {
			push(&kinds, &nk, v->f[I_KIND]);
			ksum = erealloc(ksum, nk * sizeof *ksum);
			kcount = erealloc(kcount, nk * sizeof *kcount);
			k = nk - 1;
			ksum[k] = 0;
			kcount[k] = 0;
		}
		ksum[k] = ore_add(ksum[k], v->net);
		kcount[k]++;
	}
	t = rtable_add(rep, "Summa per dokumenttyp", 3, khead);
	for (k = 0; k < nk; k++) {
		row = rtable_row(t);
		cell_text(&row[0], kinds[k]);
		cell_int(&row[1], kcount[k]);
		cell_money(&row[2], ksum[k]);
		free(kinds[k]);
	}
	free(kinds);
	free(ksum);
	free(kcount);
}

/*
 * closing: the year's utbildningsbokslut — per fund, provider and line
 * what was allocated, invoiced, paid monthly and settled, and what is
 * left; the recharges per provider; the reserve's use; VAT compensation.
 */
static void
kind_closing(struct ctx *c, struct report *rep)
{
	static const char *head[] = { "Vårdgivare", "Rad", "Tilldelat",
	    "Fakturerat", "Utbetalt", "Slutreglerat", "Kvar" };
	static const char *rhead[] = { "Vårdgivare", "Utfärdat", "Mottaget",
	    "Netto" };
	static const char *vhead[] = { "Vårdgivare", "Momskompensation" };
	static const char *shead[] = { "Rad", "Fond", "Belopp" };
	int nr = nrows_shown(c), k, i, j;
	struct rtable *t;
	struct cell *row;
	char title[300], *id;
	ore_t v[5], tot[5], iss, rec, vat;
	size_t x;

	free(rep->title);
	rep->title = estrdup("Utbildningsbokslut");
	for (k = 0; k < c->nfunds; k++) {
		snprintf(title, sizeof title, "Bokslut %s", c->funds[k]);
		t = rtable_add(rep, title, 7, head);
		memset(tot, 0, sizeof tot);
		for (j = 0; j < nr; j++) {
			id = (char *)row_id(c, j);
			if (is_reserve(id))
				continue;
			for (i = 0; i < c->nlines; i++) {
				if (strcmp(c->lines[i].fund, c->funds[k]) != 0 ||
				    !line_flows(c, id, c->lines[i].id, v))
					continue;
				row = rtable_row(t);
				cell_text(&row[0], row_name(c, j));
				cell_text(&row[1], c->lines[i].id);
				flow_cells(&row[2], v, tot);
			}
		}
		rtable_mark_total(t);
		row = rtable_row(t);
		cell_text(&row[0], "Totalt");
		flow_cells(&row[2], tot, NULL);
	}

	t = rtable_add(rep, "Vidarefakturering mellan vårdgivare", 4, rhead);
	for (j = 0; j < nr; j++) {
		id = (char *)row_id(c, j);
		iss = rec = 0;
		for (x = 0; x < c->ninv; x++) {
			if (!is_recharge(c, &c->inv[x]))
				continue;
			if (strcmp(c->inv[x].f[I_ISSUER], id) == 0)
				iss = ore_add(iss, c->inv[x].net);
			if (strcmp(c->inv[x].f[I_RECIPIENT], id) == 0)
				rec = ore_add(rec, c->inv[x].net);
		}
		if (iss == 0 && rec == 0)
			continue;
		row = rtable_row(t);
		cell_text(&row[0], c->provs != NULL ? c->provs->v[j]->name : id);
		cell_money(&row[1], iss);
		cell_money(&row[2], rec);
		cell_money(&row[3], iss - rec);
	}

	/* the reserve: money for later distribution, never invoiced */
	t = rtable_add(rep, "Reservens användning (för senare utfördelning)",
	    3, shead);
	iss = 0;
	for (i = 0; i < c->nlines; i++) {
		rec = alloc_sum(c, c->lines[i].id, "RESERV", NULL);
		if (rec == 0)
			continue;
		row = rtable_row(t);
		cell_text(&row[0], c->lines[i].id);
		cell_text(&row[1], c->lines[i].fund);
		cell_money(&row[2], rec);
		iss = ore_add(iss, rec);
	}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	cell_money(&row[2], iss);

	t = rtable_add(rep, "Momskompensation", 2, vhead);
	for (j = 0; j < nr; j++) {
		id = (char *)row_id(c, j);
		vat = 0;
		for (x = 0; x < c->ninv; x++)
			if (strcmp(c->inv[x].f[I_LINE], "vat-comp") == 0 &&
			    (strcmp(c->inv[x].f[I_ISSUER], id) == 0 ||
			    strcmp(c->inv[x].f[I_RECIPIENT], id) == 0))
				vat = ore_add(vat, c->inv[x].net);
		if (vat == 0)
			continue;
		row = rtable_row(t);
		cell_text(&row[0], c->provs != NULL ? c->provs->v[j]->name : id);
		cell_money(&row[1], vat);
	}
}

/* student placement streams counted for the 10-weeks requirement */
static int
student_stream(const char *s)
{
	static const char *v[] = { "vil", "lak-vfu", "lak-svk", "lak-exjobb",
	    "hap", "logoped", "socionom", "naprapat", "sjukhusfysiker", "apl",
	    "lia", NULL };
	int i;

	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * quantity: VIL weeks per provider (where performed: the host, else the
 * provider) against 10 student weeks per full-time employee (002 §2.2),
 * with the shortfall.  Weeks are exact: 1 håp = 40 weeks, 1 week = 5 days.
 */
static void
kind_quantity(struct ctx *c, struct report *rep)
{
	static const char *head[] = { "Vårdgivare", "Årsarbetare",
	    "Krav (veckor)", "Studentveckor", "Brist (veckor)" };
	struct csvr *r;
	struct provider *p;
	struct rtable *t;
	struct cell *row;
	rat *weeks, q, need, tw = RAT_ZERO, tn = RAT_ZERO, ts = RAT_ZERO, fte;
	const char *who, *uom;
	char buf[RAT_FMTLEN];
	int cp, ch, cs, cq, cu, i;

	if (c->provs == NULL || c->activities == NULL)
		die(EXIT_USAGE, "quantity: needs --providers and --activities");
	free(rep->title);
	rep->title = estrdup("Kvantitetskrav: 10 studentveckor per årsarbetare");
	weeks = ecalloc(c->provs->n, sizeof *weeks);
	for (i = 0; i < c->provs->n; i++)
		weeks[i] = RAT_ZERO;
	r = csvr_open(c->activities, ',');
	cp = csvr_require(r, "provider");
	cs = csvr_require(r, "stream");
	cq = csvr_require(r, "qty");
	cu = csvr_require(r, "uom");
	ch = csvr_col(r, "host");
	while (csvr_next(r)) {
		if (bad_shape(c, r))
			continue;
		who = ch >= 0 && *csvr_field(r, ch) != '\0' ?
		    csvr_field(r, ch) : csvr_field(r, cp);
		if ((p = provider_by_id(c->provs, who)) == NULL) {
			stage_reject(&c->st, r, "provider", who, NULL,
			    "not in providers.csv");
			continue;
		}
		if (rat_parse(csvr_field(r, cq), 0, &q) < 0) {
			stage_reject(&c->st, r, "qty", csvr_field(r, cq), NULL,
			    "not a quantity");
			continue;
		}
		c->st.accepted++;
		if (!student_stream(csvr_field(r, cs)))
			continue;
		uom = csvr_field(r, cu);
		if (strcmp(uom, "hap") == 0)
			q = rat_mul(q, rat_int(40));
		else if (strcmp(uom, "days") == 0)
			q = rat_div(q, rat_int(5));
		else if (strcmp(uom, "weeks") != 0)
			continue;
		weeks[p->order] = rat_add(weeks[p->order], q);
	}
	csvr_close(r);
	t = rtable_add(rep, "Studentveckor per vårdgivare", 5, head);
	for (i = 0; i < c->provs->n; i++) {
		p = c->provs->v[i];
		if (*p->fte == '\0' && rat_is_zero(weeks[i]))
			continue;
		row = rtable_row(t);
		cell_text(&row[0], p->name);
		cell_number(&row[3], rat_fmt(weeks[i], buf, sizeof buf));
		tw = rat_add(tw, weeks[i]);
		if (*p->fte == '\0' || rat_parse(p->fte, 0, &fte) < 0)
			continue;
		need = rat_mul(fte, rat_int(10));
		cell_number(&row[1], p->fte);
		cell_number(&row[2], rat_fmt(need, buf, sizeof buf));
		q = rat_sub(need, weeks[i]);
		if (rat_sign(q) < 0)
			q = RAT_ZERO;
		cell_number(&row[4], rat_fmt(q, buf, sizeof buf));
		tn = rat_add(tn, need);
		ts = rat_add(ts, q);
	}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	cell_number(&row[2], rat_fmt(tn, buf, sizeof buf));
	cell_number(&row[3], rat_fmt(tw, buf, sizeof buf));
	cell_number(&row[4], rat_fmt(ts, buf, sizeof buf));
	free(weeks);
}

/* a share as a whole percentage, rounded half up (CONTRACTS survey.csv) */
static long long
percent_up(rat share)
{
	return (long long)rat_floor(rat_add(rat_mul(share, rat_int(100)),
	    rat_make(1, 2)));
}

struct unit {
	char	*region, *id, *name;
	int	 answered;
	char	 level[NLEVELS + 1];	/* 0 no answer, 'y' met, 'n' not */
};

struct compliance {
	char		**regions;
	int		  nreg;
	struct unit	 *u;
	int		  nu;
	struct table	 *by_id;	/* usve id → index + 1 */
	/* per region (nreg = Totalt) and level 1..27 */
	long		 *listed, *resp, *all, (*ans)[NLEVELS + 1],
			 (*met)[NLEVELS + 1];
};

static void
compliance_load(struct ctx *c, struct compliance *k, const char **files,
    int nfiles)
{
	struct csvr *r;
	struct unit *u;
	void **slot;
	int cr, cu, cn, cl, ca, f, created, lv, g;
	size_t idx;
	const char *a;
	char *end;

	r = csvr_open(c->units, ',');
	cr = csvr_require(r, "region");
	cu = csvr_require(r, "usve");
	cn = csvr_col(r, "name");
	k->by_id = table_new();
	while (csvr_next(r)) {
		if (bad_shape(c, r))
			continue;
		slot = table_slot(k->by_id, csvr_field(r, cu), &created);
		if (!created) {
			stage_reject(&c->st, r, "usve", csvr_field(r, cu), NULL,
			    "listed twice");
			continue;
		}
		c->st.accepted++;
		k->u = erealloc(k->u, (k->nu + 1) * sizeof *k->u);
		u = &k->u[k->nu++];
		memset(u, 0, sizeof *u);
		u->region = estrdup(csvr_field(r, cr));
		u->id = estrdup(csvr_field(r, cu));
		u->name = estrdup(cn >= 0 ? csvr_field(r, cn) : "");
		*slot = (void *)(size_t)k->nu;
		if (index_of(k->regions, k->nreg, u->region) < 0)
			push(&k->regions, &k->nreg, u->region);
	}
	csvr_close(r);
	for (f = 0; f < nfiles; f++) {
		r = csvr_open(files[f], ',');
		cr = csvr_require(r, "region");
		cu = csvr_require(r, "usve");
		cl = csvr_require(r, "level");
		ca = csvr_require(r, "answer");
		while (csvr_next(r)) {
			if (bad_shape(c, r))
				continue;
			idx = (size_t)table_get(k->by_id, csvr_field(r, cu));
			if (idx == 0) {
				stage_reject(&c->st, r, "usve",
				    csvr_field(r, cu), NULL,
				    "not in the unit register");
				continue;
			}
			u = &k->u[idx - 1];
			if (strcmp(u->region, csvr_field(r, cr)) != 0) {
				stage_reject(&c->st, r, "region",
				    csvr_field(r, cr), NULL,
				    "not the unit's region");
				continue;
			}
			lv = (int)strtol(csvr_field(r, cl), &end, 10);
			if (*end != '\0' || lv < 1 || lv > NLEVELS) {
				stage_reject(&c->st, r, "level",
				    csvr_field(r, cl), NULL, "not a level 1-27");
				continue;
			}
			a = csvr_field(r, ca);
			/* a level that does not cover the unit counts as met */
			if (strcmp(a, "ja") == 0 || strcmp(a, "ej_aktuell") == 0)
				g = 'y';
			else if (strcmp(a, "nej") == 0)
				g = 'n';
			else {
				stage_reject(&c->st, r, "answer", a, NULL,
				    "not ja, nej or ej_aktuell");
				continue;
			}
			if (u->level[lv] != 0) {
				stage_reject(&c->st, r, "level",
				    csvr_field(r, cl), NULL,
				    "answered twice");
				continue;
			}
			c->st.accepted++;
			u->level[lv] = g;
			u->answered = 1;
		}
		csvr_close(r);
	}
	k->listed = ecalloc(k->nreg + 1, sizeof *k->listed);
	k->resp = ecalloc(k->nreg + 1, sizeof *k->resp);
	k->all = ecalloc(k->nreg + 1, sizeof *k->all);
	k->ans = ecalloc(k->nreg + 1, sizeof *k->ans);
	k->met = ecalloc(k->nreg + 1, sizeof *k->met);
	for (idx = 0; idx < (size_t)k->nu; idx++) {
		u = &k->u[idx];
		g = index_of(k->regions, k->nreg, u->region);
		for (f = 0; f < 2; f++, g = k->nreg) {
			int every = 1;

			k->listed[g]++;
			if (!u->answered)
				continue;
			k->resp[g]++;
			for (lv = 1; lv <= NLEVELS; lv++) {
				if (u->level[lv] != 0)
					k->ans[g][lv]++;
				if (u->level[lv] == 'y')
					k->met[g][lv]++;
				else
					every = 0;
			}
			k->all[g] += every;
		}
	}
}

/* the mean of a column's 27 exact shares (levels nobody answered: none) */
static rat
compliance_mean(const struct compliance *k, int g)
{
	rat s = RAT_ZERO;
	int lv, n = 0;

	for (lv = 1; lv <= NLEVELS; lv++)
		if (k->ans[g][lv] > 0) {
			s = rat_add(s, rat_make(k->met[g][lv], k->ans[g][lv]));
			n++;
		}
	return n > 0 ? rat_div(s, rat_int(n)) : RAT_ZERO;
}

static const char *
region_name(const struct compliance *k, int g)
{
	return g < k->nreg ? k->regions[g] : "Totalt";
}

/* the long form: region,level,answered,met,percent (CONTRACTS) */
static void
compliance_csv(FILE *fp, const struct compliance *k)
{
	char b[4][32];
	const char *f[5];
	int g, lv, i;

	fputs("region,level,answered,met,percent\n", fp);
	for (g = 0; g <= k->nreg; g++) {
		f[0] = region_name(k, g);
		for (lv = 1; lv <= NLEVELS + 2; lv++) {
			f[1] = b[0];
			f[2] = b[1];
			f[3] = b[2];
			f[4] = b[3];
			if (lv <= NLEVELS) {
				snprintf(b[0], 32, "%d", lv);
				snprintf(b[1], 32, "%ld", k->ans[g][lv]);
				snprintf(b[2], 32, "%ld", k->met[g][lv]);
				if (k->ans[g][lv] > 0)
					snprintf(b[3], 32, "%lld", percent_up(
					    rat_make(k->met[g][lv],
					    k->ans[g][lv])));
				else
					b[3][0] = '\0';
			} else if (lv == NLEVELS + 1) {
				f[1] = "mean";
				snprintf(b[1], 32, "%ld", k->resp[g]);
				b[2][0] = '\0';
				snprintf(b[3], 32, "%lld",
				    percent_up(compliance_mean(k, g)));
			} else {
				f[1] = "all";
				snprintf(b[1], 32, "%ld", k->resp[g]);
				snprintf(b[2], 32, "%ld", k->all[g]);
				if (k->resp[g] > 0)
					snprintf(b[3], 32, "%lld", percent_up(
					    rat_make(k->all[g], k->resp[g])));
				else
					b[3][0] = '\0';
			}
			/* a region is input text: neutralised like any */
			csv_text(fp, f[0], 1);
			for (i = 1; i < 5; i++)
				csvw_field(fp, f[i], 0);
			csvw_end(fp);
		}
	}
}

/*
 * compliance: Socialstyrelsen's Tabell 2 and Tabell 3 (004 ch. 4), the
 * units meeting all 27 levels, and per level the units that fail it.
 */
static void
kind_compliance(struct ctx *c, struct report *rep, struct compliance *k)
{
	static const char *h2[] = { "Region", "Antal USVE",
	    "Antal svarande USVE", "Andel svarande USVE (%)" };
	static const char *hf[] = { "Miniminivå", "Region", "USVE", "Namn" };
	static const char *ha[] = { "Region", "Svarande", "Uppfyller alla 27",
	    "Andel (%)" };
	const char **h3;
	struct rtable *t;
	struct cell *row;
	char buf[32];
	int g, lv;
	long i;

	(void)c;
	free(rep->title);
	rep->title = estrdup("Uppfyllelse av de 27 miniminivåerna");
	t = rtable_add(rep, "Tabell 2. Antal och andel USVE som har svarat",
	    4, h2);
	for (g = 0; g <= k->nreg; g++) {
		if (g == k->nreg)
			rtable_mark_total(t);
		row = rtable_row(t);
		cell_text(&row[0], region_name(k, g));
		cell_int(&row[1], k->listed[g]);
		cell_int(&row[2], k->resp[g]);
		if (k->listed[g] > 0)
			cell_int(&row[3], percent_up(rat_make(k->resp[g],
			    k->listed[g])));
	}

	h3 = emalloc((k->nreg + 2) * sizeof *h3);
	h3[0] = "Miniminivå";
	for (g = 0; g <= k->nreg; g++)
		h3[g + 1] = region_name(k, g);
	t = rtable_add(rep, "Tabell 3. Andel USVE per region som uppfyller "
	    "miniminivå 1–27 (%)", k->nreg + 2, h3);
	rtable_chart(t, CHART_HEAT, 1);
	row = rtable_row(t);
	cell_text(&row[0], "Antal USVE (svarande)");
	for (g = 0; g <= k->nreg; g++)
		cell_int(&row[g + 1], k->resp[g]);
	row = rtable_row(t);
	cell_text(&row[0], "Genomsnitt per region (%)");
	for (g = 0; g <= k->nreg; g++)
		cell_int(&row[g + 1], percent_up(compliance_mean(k, g)));
	for (lv = 1; lv <= NLEVELS; lv++) {
		row = rtable_row(t);
		snprintf(buf, sizeof buf, "%d", lv);
		cell_text(&row[0], buf);
		for (g = 0; g <= k->nreg; g++)
			if (k->ans[g][lv] > 0)
				cell_int(&row[g + 1], percent_up(rat_make(
				    k->met[g][lv], k->ans[g][lv])));
	}
	free(h3);

	t = rtable_add(rep, "USVE som uppfyller samtliga 27 miniminivåer", 4,
	    ha);
	for (g = 0; g <= k->nreg; g++) {
		if (g == k->nreg)
			rtable_mark_total(t);
		row = rtable_row(t);
		cell_text(&row[0], region_name(k, g));
		cell_int(&row[1], k->resp[g]);
		cell_int(&row[2], k->all[g]);
		if (k->resp[g] > 0)
			cell_int(&row[3], percent_up(rat_make(k->all[g],
			    k->resp[g])));
	}

	t = rtable_add(rep, "USVE som inte uppfyller miniminivån", 4, hf);
	for (lv = 1; lv <= NLEVELS; lv++)
		for (i = 0; i < k->nu; i++)
			if (k->u[i].level[lv] == 'n') {
				row = rtable_row(t);
				snprintf(buf, sizeof buf, "%d", lv);
				cell_text(&row[0], buf);
				cell_text(&row[1], k->u[i].region);
				cell_text(&row[2], k->u[i].id);
				cell_text(&row[3], k->u[i].name);
			}
}

/* compare's column heads: the files' base names, or paths when alike */
static void
set_names(struct ctx *c, const char **files)
{
	static char name[2][256];
	const char *b;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		b = strrchr(files[i], '/') != NULL ?
		    strrchr(files[i], '/') + 1 : files[i];
		n = strlen(b);
		if (n > 4 && strcmp(b + n - 4, ".csv") == 0)
			n -= 4;
		snprintf(name[i], sizeof name[i], "%.*s", (int)n, b);
		c->setname[i] = name[i];
	}
	if (strcmp(name[0], name[1]) == 0) {
		c->setname[0] = files[0];
		c->setname[1] = files[1];
	}
}

static long
file_date(const struct ctx *c)
{
	const char *s;
	long day;

	if (c->meta == NULL ||
	    (s = meta_get(c->meta, "invoicing", "", "file_date")) == NULL ||
	    date_parse(s, &day) < 0)
		return -1;
	return day;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "providers", required_argument, NULL, 'p' },
		{ "provider", required_argument, NULL, 'P' },
		{ "units", required_argument, NULL, 'U' },
		{ "activities", required_argument, NULL, 'a' },
		{ "summary", required_argument, NULL, 's' },
		{ "unit", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		STAGE_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *formats[] = { "text", "csv", "md", "json", "html",
	    "xlsx", NULL };
	static const char *kinds[] = { "budget", "statement", "reconcile",
	    "closing", "quantity", "compare", "compliance", NULL };
	struct ctx c = { 0 };
	struct report rep = { 0 };
	struct compliance comp = { 0 };
	const char *outpath = NULL, *provpath = NULL, *format = "text";
	const char **files;
	char *kind;
	struct atomic *out;
	FILE *fp;
	int ch, nfiles, f, i, unit = -1;

	err_init("alf-report");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			c.model = optarg;
			break;
		case 'p':
			provpath = optarg;
			break;
		case 'P':
			c.provider = optarg;
			break;
		case 'U':
			c.units = optarg;
			break;
		case 'a':
			c.activities = optarg;
			break;
		case 's':
			c.summary = optarg;
			break;
		case 'u':
			if (strcmp(optarg, "kr") == 0)
				unit = 1;
			else if (strcmp(optarg, "tkr") == 0)
				unit = 1000;
			else if (strcmp(optarg, "mkr") == 0)
				unit = 1000000;
			else
				die(EXIT_USAGE, "--unit: not kr, tkr or mkr (%s)",
				    optarg);
			break;
		case 'f':
			format = optarg;
			break;
		default:
			if (!stage_option(&c.st, ch, optarg, usage))
				usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	outpath = c.st.output;
	if (argc < 1)
		usage(EXIT_USAGE);
	kind = argv[0];
	argc--;
	argv++;
	for (i = 0; kinds[i] != NULL && strcmp(kinds[i], kind) != 0; i++)
		;
	if (kinds[i] == NULL)
		die(EXIT_USAGE, "unknown report kind (%s)", kind);
	for (i = 0; formats[i] != NULL && strcmp(formats[i], format) != 0; i++)
		;
	if (formats[i] == NULL)
		die(EXIT_USAGE, "--format: not text, csv, md, json, html or "
		    "xlsx (%s)", format);
	if (strcmp(kind, "statement") == 0 && c.provider == NULL)
		die(EXIT_USAGE, "statement: needs --provider ID");
	if (strcmp(kind, "compliance") == 0 && c.units == NULL)
		die(EXIT_USAGE, "compliance: needs --units usve.csv");
	if (strcmp(kind, "compare") == 0 && argc != 2)
		die(EXIT_USAGE, "compare: needs two allocations files");
	if (strcmp(kind, "quantity") == 0 &&
	    (provpath == NULL || c.activities == NULL))
		die(EXIT_USAGE, "quantity: needs --providers and --activities");
	/* budgets are read in tkr like the directive; documents to the öre */
	if (unit >= 0)
		rep.unit = unit;
	else if (strcmp(kind, "budget") == 0 || strcmp(kind, "compare") == 0)
		rep.unit = 1000;
	else
		rep.unit = UNIT_EXACT;
	files = stage_inputs(argc, argv, &nfiles);

	if (c.model != NULL)
		load_model(&c);
	if (provpath != NULL)
		c.provs = providers_load(provpath);
	if (c.summary != NULL && strcmp(kind, "reconcile") == 0)
		summary_read(&c);
	if (c.provider != NULL && c.provs != NULL &&
	    provider_by_id(c.provs, c.provider) == NULL)
		die(EXIT_USAGE, "--provider: not in providers.csv (%s)",
		    c.provider);
	rep.created = file_date(&c);
	if (strcmp(kind, "compliance") == 0) {
		compliance_load(&c, &comp, files, nfiles);
	} else if (strcmp(kind, "quantity") != 0) {
		for (f = 0; f < nfiles; f++)
			read_input(&c, files[f], f == 1 &&
			    strcmp(kind, "compare") == 0);
	}
	if (strcmp(kind, "budget") == 0) {
		rep.title = estrdup(c.meta != NULL &&
		    meta_get(c.meta, "model", "", "model") != NULL ?
		    meta_get(c.meta, "model", "", "model") : "Budget");
		kind_budget(&c, &rep);
	} else if (strcmp(kind, "compare") == 0) {
		set_names(&c, files);
		rep.title = estrdup("Jämförelse");
		kind_compare(&c, &rep);
	} else if (strcmp(kind, "statement") == 0)
		kind_statement(&c, &rep);
	else if (strcmp(kind, "reconcile") == 0)
		kind_reconcile(&c, &rep);
	else if (strcmp(kind, "closing") == 0)
		kind_closing(&c, &rep);
	else if (strcmp(kind, "quantity") == 0)
		kind_quantity(&c, &rep);
	else
		kind_compliance(&c, &rep, &comp);

	out = atomic_open(outpath);
	fp = atomic_fp(out);
	if (strcmp(format, "csv") == 0 && strcmp(kind, "compliance") == 0)
		compliance_csv(fp, &comp);
	else if (strcmp(format, "csv") == 0)
		render_csv(fp, &rep);
	else if (strcmp(format, "md") == 0)
		render_md(fp, &rep);
	else if (strcmp(format, "json") == 0)
		render_json(fp, &rep);
	else if (strcmp(format, "html") == 0)
		render_html(fp, &rep);
	else if (strcmp(format, "xlsx") == 0)
		render_xlsx(fp, &rep);
	else
		render_text(fp, &rep);
	for (i = 0; i < rep.n; i++)
		c.st.written += rep.t[i]->nrows;
	atomic_close(out);
	report_free(&rep);
	return stage_finish(&c.st);
}
