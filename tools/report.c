/*
 * alf-report: the tables people read, from the CSV files the pipeline
 * writes.  `budget` is the directive's layout (002, every section's table:
 * providers × the funds, in tkr) and its summary (Bilaga 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "err.h"
#include "model.h"
#include "money.h"
#include "ref.h"
#include "rtable.h"
#include "stage.h"

/* the reader's view of one allocations.csv */
struct alloc_row {
	char	*line, *title, *fund, *provider;
	ore_t	 amount;
};

struct ctx {
	const char		*model;
	struct providers	*provs;
	struct table		*meta;
	char			**funds;	/* money columns, model order */
	int			  nfunds;
	char			**lines;	/* line ids in model order */
	char			**titles;
	int			  nlines;
	struct alloc_row	*rows;
	size_t			  nrows, caprows;
	char			**provorder;	/* without --providers */
	int			  nprov;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-report budget [--model MODEL] [--providers FILE] "
	    "[--unit kr|tkr|mkr]\n"
	    "                  [--format text|csv|md] [-o FILE] "
	    "[allocations.csv...]\n"
	    "Print the directive's tables.\n");
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

static void
load_model(struct ctx *c)
{
	struct csvr *r;
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
		push(&c->lines, &c->nlines, csvr_field(r, csvr_col(r, "line")));
		c->titles = erealloc(c->titles, c->nlines * sizeof *c->titles);
		c->titles[c->nlines - 1] =
		    estrdup(csvr_field(r, csvr_col(r, "title")));
	}
	csvr_close(r);
}

static void
read_allocations(struct ctx *c, struct stage *st, const char *path)
{
	struct csvr *r = csvr_open(path, ',');
	int cl = csvr_require(r, "line"), cf = csvr_require(r, "fund");
	int cp = csvr_require(r, "provider"), ca = csvr_require(r, "amount");
	int ct = csvr_col(r, "title");
	struct alloc_row *a;
	ore_t amt;

	while (csvr_next(r)) {
		st->read++;
		if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r)) {
			stage_reject(st, r, NULL, NULL, NULL,
			    "expected %d fields, found %d", csvr_ncols(r),
			    csvr_nfields(r));
			continue;
		}
		if (money_parse(csvr_field(r, ca), &amt) < 0) {
			stage_reject(st, r, "amount", csvr_field(r, ca), NULL,
			    "not an amount");
			continue;
		}
		if (c->provs != NULL &&
		    provider_by_id(c->provs, csvr_field(r, cp)) == NULL) {
			stage_reject(st, r, "provider", csvr_field(r, cp), NULL,
			    "not in providers.csv");
			continue;
		}
		if (c->model != NULL &&
		    index_of(c->lines, c->nlines, csvr_field(r, cl)) < 0) {
			stage_reject(st, r, "line", csvr_field(r, cl), NULL,
			    "not a line of the model");
			continue;
		}
		if (c->model != NULL &&
		    index_of(c->funds, c->nfunds, csvr_field(r, cf)) < 0) {
			stage_reject(st, r, "fund", csvr_field(r, cf), NULL,
			    "not a fund of the model");
			continue;
		}
		st->accepted++;
		if (c->nrows == c->caprows) {
			c->caprows = c->caprows ? c->caprows * 2 : 256;
			c->rows = erealloc(c->rows, c->caprows * sizeof *c->rows);
		}
		a = &c->rows[c->nrows++];
		a->line = estrdup(csvr_field(r, cl));
		a->title = estrdup(ct >= 0 ? csvr_field(r, ct) : "");
		a->fund = estrdup(csvr_field(r, cf));
		a->provider = estrdup(csvr_field(r, cp));
		a->amount = amt;
		/* without a model, lines, funds and providers come as they appear */
		if (c->model == NULL) {
			if (index_of(c->lines, c->nlines, a->line) < 0) {
				push(&c->lines, &c->nlines, a->line);
				c->titles = erealloc(c->titles,
				    c->nlines * sizeof *c->titles);
				c->titles[c->nlines - 1] = estrdup(a->title);
			}
			if (index_of(c->funds, c->nfunds, a->fund) < 0)
				push(&c->funds, &c->nfunds, a->fund);
		}
		if (c->provs == NULL &&
		    index_of(c->provorder, c->nprov, a->provider) < 0)
			push(&c->provorder, &c->nprov, a->provider);
	}
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

/* a row of providers.csv that gets a row of its own, in display order */
static int
display_order(const struct ctx *c, int *order)
{
	int i, n = 0, reserve = -1;
	struct provider *p;

	for (i = 0; i < nrows_shown(c); i++) {
		if (c->provs == NULL) {
			order[n++] = i;
			continue;
		}
		p = c->provs->v[i];
		if (*p->report_as != '\0' && provider_by_id(c->provs, p->report_as))
			continue;
		if (strcmp(p->id, "RESERV") == 0) {
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

/* line ids grouped by section: 3.3-alf and 3.3-hsf make one table, 3.3 */
static char *
section_of(const char *line, const char *fund)
{
	size_t n = strlen(line), f = strlen(fund), i;
	char *s = estrdup(line);

	if (n > f + 1 && line[n - f - 1] == '-') {
		for (i = 0; i < f; i++)
			if ((line[n - f + i] | 0x20) != (fund[i] | 0x20))
				return s;
		s[n - f - 1] = '\0';
	}
	return s;
}

static void
kind_budget(struct ctx *c, struct report *rep)
{
	char **sections = NULL, *sec, title[512];
	int nsec = 0, s, i, j, k, n, *order, nr = nrows_shown(c), r;
	const char **head;
	ore_t *sum, *tot;
	struct rtable *t;
	struct cell *row;
	size_t x;

	order = emalloc((nr + 1) * sizeof *order);
	n = display_order(c, order);
	head = emalloc((c->nfunds + 2) * sizeof *head);
	head[0] = "Vårdgivare";
	for (k = 0; k < c->nfunds; k++)
		head[k + 1] = c->funds[k];
	for (i = 0; i < c->nlines; i++) {
		for (x = 0; x < c->nrows; x++)
			if (strcmp(c->rows[x].line, c->lines[i]) == 0)
				break;
		sec = section_of(c->lines[i], x < c->nrows ? c->rows[x].fund : "");
		if (index_of(sections, nsec, sec) < 0)
			push(&sections, &nsec, sec);
		free(sec);
	}
	sum = ecalloc((size_t)nr * c->nfunds + 1, sizeof *sum);
	tot = ecalloc((size_t)nr * c->nfunds + 1, sizeof *tot);
	for (s = 0; s < nsec; s++) {
		memset(sum, 0, (size_t)nr * c->nfunds * sizeof *sum);
		title[0] = '\0';
		for (x = 0; x < c->nrows; x++) {
			sec = section_of(c->rows[x].line, c->rows[x].fund);
			if (strcmp(sec, sections[s]) == 0 &&
			    (r = row_of(c, c->rows[x].provider)) >= 0 &&
			    (k = index_of(c->funds, c->nfunds,
			    c->rows[x].fund)) >= 0) {
				sum[r * c->nfunds + k] += c->rows[x].amount;
				tot[r * c->nfunds + k] += c->rows[x].amount;
			}
			free(sec);
		}
		for (i = 0; i < c->nlines; i++) {
			for (x = 0; x < c->nrows; x++)
				if (strcmp(c->rows[x].line, c->lines[i]) == 0)
					break;
			sec = section_of(c->lines[i], x < c->nrows ?
			    c->rows[x].fund : "");
			if (strcmp(sec, sections[s]) == 0 && title[0] == '\0')
				snprintf(title, sizeof title, "%s %s",
				    sections[s], c->titles[i]);
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
			ore_t all = 0;
			for (j = 0; j < nr; j++)
				all += sum[j * c->nfunds + k];
			cell_money(&row[k + 1], all);
		}
	}
	/* the summary: every provider's total per fund (Bilaga 2) */
	head[c->nfunds + 1] = "Totalt";
	t = rtable_add(rep, "Sammanställning", c->nfunds + 2, head);
	for (j = 0; j < n; j++) {
		ore_t all = 0;

		row = rtable_row(t);
		cell_text(&row[0], row_name(c, order[j]));
		for (k = 0; k < c->nfunds; k++) {
			cell_money(&row[k + 1], tot[order[j] * c->nfunds + k]);
			all += tot[order[j] * c->nfunds + k];
		}
		cell_money(&row[c->nfunds + 1], all);
	}
	rtable_mark_total(t);
	row = rtable_row(t);
	cell_text(&row[0], "Totalt");
	{
		ore_t grand = 0, all;

		for (k = 0; k < c->nfunds; k++) {
			all = 0;
			for (j = 0; j < nr; j++)
				all += tot[j * c->nfunds + k];
			cell_money(&row[k + 1], all);
			grand += all;
		}
		cell_money(&row[c->nfunds + 1], grand);
	}
	for (s = 0; s < nsec; s++)
		free(sections[s]);
	free(sections);
	free(sum);
	free(tot);
	free(order);
	free(head);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "model", required_argument, NULL, 'm' },
		{ "providers", required_argument, NULL, 'p' },
		{ "unit", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	struct ctx c = { 0 };
	struct report rep = { 0 };
	const char *outpath = NULL, *provpath = NULL, *format = "text";
	const char *stdin_only[] = { "-" }, **files, *kind;
	struct atomic *out;
	int ch, nfiles, f, i;

	err_init("alf-report");
	rep.unit = 1000;
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outpath = optarg;
			break;
		case 'm':
			c.model = optarg;
			break;
		case 'p':
			provpath = optarg;
			break;
		case 'u':
			if (strcmp(optarg, "kr") == 0)
				rep.unit = 1;
			else if (strcmp(optarg, "tkr") == 0)
				rep.unit = 1000;
			else if (strcmp(optarg, "mkr") == 0)
				rep.unit = 1000000;
			else
				die(EXIT_USAGE, "--unit: not kr, tkr or mkr (%s)",
				    optarg);
			break;
		case 'f':
			format = optarg;
			break;
		case 'r':
			st.rejects_path = optarg;
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
	if (argc < 1)
		usage(EXIT_USAGE);
	kind = argv[0];
	argc--;
	argv++;
	if (strcmp(kind, "budget") != 0)
		die(EXIT_USAGE, "unknown report kind (%s)", kind);
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "md") != 0)
		die(EXIT_USAGE, "--format: not text, csv or md (%s)", format);
	files = argc > 0 ? (const char **)argv : stdin_only;
	nfiles = argc > 0 ? argc : 1;

	if (c.model != NULL)
		load_model(&c);
	if (provpath != NULL)
		c.provs = providers_load(provpath);
	for (f = 0; f < nfiles; f++)
		read_allocations(&c, &st, files[f]);
	kind_budget(&c, &rep);
	out = atomic_open(outpath);
	if (strcmp(format, "csv") == 0)
		render_csv(atomic_fp(out), &rep);
	else if (strcmp(format, "md") == 0)
		render_md(atomic_fp(out), &rep);
	else
		render_text(atomic_fp(out), &rep);
	for (i = 0; i < rep.n; i++)
		st.written += rep.t[i]->nrows;
	atomic_commit(out);
	report_free(&rep);
	return stage_finish(&st);
}
