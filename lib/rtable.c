/* rtable: report tables, and the text, CSV and Markdown renderers. */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "err.h"
#include "rtable.h"

struct rtable *
rtable_add(struct report *r, const char *title, int ncols,
    const char *const *head)
{
	struct rtable *t = ecalloc(1, sizeof *t);
	int i;

	t->title = estrdup(title);
	t->ncols = ncols;
	t->head = emalloc(ncols * sizeof *t->head);
	for (i = 0; i < ncols; i++)
		t->head[i] = estrdup(head[i]);
	t->total_from = -1;
	r->t = erealloc(r->t, (r->n + 1) * sizeof *r->t);
	r->t[r->n++] = t;
	return t;
}

struct cell *
rtable_row(struct rtable *t)
{
	struct cell *row = ecalloc(t->ncols, sizeof *row);
	int i;

	for (i = 0; i < t->ncols; i++)
		row[i].text = estrdup("");
	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? t->caprows * 2 : 16;
		t->rows = erealloc(t->rows, t->caprows * sizeof *t->rows);
	}
	t->rows[t->nrows++] = row;
	return row;
}

void
cell_text(struct cell *c, const char *s)
{
	free(c->text);
	c->kind = CELL_TEXT;
	c->text = estrdup(s);
}

void
cell_money(struct cell *c, ore_t v)
{
	c->kind = CELL_MONEY;
	c->ore = v;
}

void
cell_number(struct cell *c, const char *s)
{
	cell_text(c, s);
	c->kind = CELL_NUMBER;
}

void
rtable_mark_total(struct rtable *t)
{
	t->total_from = t->nrows;
}

void
report_free(struct report *r)
{
	struct rtable *t;
	int i, j, k;

	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		for (j = 0; j < t->nrows; j++) {
			for (k = 0; k < t->ncols; k++)
				free(t->rows[j][k].text);
			free(t->rows[j]);
		}
		for (k = 0; k < t->ncols; k++)
			free(t->head[k]);
		free(t->head);
		free(t->rows);
		free(t->title);
		free(t);
	}
	free(r->t);
}

long long
unit_round(ore_t v, int unit)
{
	return (long long)rat_round_units(rat_from_ore(v), rat_int(unit));
}

const char *
unit_name(int unit)
{
	return unit == 1000000 ? "mkr" : unit == 1000 ? "tkr" : "kr";
}

char *
group_digits(long long v, char *buf, size_t len)
{
	char tmp[32];
	unsigned long long u = v < 0 ? -(unsigned long long)v :
	    (unsigned long long)v;
	int n, i, o = 0;

	n = snprintf(tmp, sizeof tmp, "%llu", u);
	if (v < 0 && (size_t)o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ' ';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* what a cell shows in text, Markdown and HTML */
static char *
shown(const struct report *r, const struct cell *c, char *buf, size_t len)
{
	char g[48];

	if (c->kind != CELL_MONEY) {
		snprintf(buf, len, "%s", c->text);
		return buf;
	}
	snprintf(buf, len, "%s %s", group_digits(unit_round(c->ore, r->unit), g,
	    sizeof g), unit_name(r->unit));
	return buf;
}

/* display width: UTF-8 code points */
static int
width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void
pad(FILE *fp, int n)
{
	while (n-- > 0)
		putc(' ', fp);
}

void
render_text(FILE *fp, const struct report *r)
{
	struct rtable *t;
	int i, j, k, *w, right;
	char buf[512];

	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		w = ecalloc(t->ncols, sizeof *w);
		for (k = 0; k < t->ncols; k++)
			w[k] = width(t->head[k]);
		for (j = 0; j < t->nrows; j++)
			for (k = 0; k < t->ncols; k++)
				if (width(shown(r, &t->rows[j][k], buf,
				    sizeof buf)) > w[k])
					w[k] = width(buf);
		if (i > 0)
			putc('\n', fp);
		fprintf(fp, "%s\n\n", t->title);
		for (k = 0; k < t->ncols; k++) {
			right = k > 0;
			if (k > 0)
				fputs("  ", fp);
			if (right)
				pad(fp, w[k] - width(t->head[k]));
			fputs(t->head[k], fp);
			if (!right && k + 1 < t->ncols)
				pad(fp, w[k] - width(t->head[k]));
		}
		putc('\n', fp);
		for (j = 0; j < t->nrows; j++) {
			for (k = 0; k < t->ncols; k++) {
				shown(r, &t->rows[j][k], buf, sizeof buf);
				right = t->rows[j][k].kind != CELL_TEXT || k > 0;
				if (k > 0)
					fputs("  ", fp);
				if (right)
					pad(fp, w[k] - width(buf));
				fputs(buf, fp);
				if (!right && k + 1 < t->ncols)
					pad(fp, w[k] - width(buf));
			}
			putc('\n', fp);
		}
		free(w);
	}
}

/*
 * CSV for machines: one header `table,COLUMNS…` per table; money as the
 * unit's whole number.  Text that a spreadsheet would run as a formula is
 * neutralised with a leading apostrophe.
 */
void
render_csv(FILE *fp, const struct report *r)
{
	struct rtable *t;
	int i, j, k;
	char buf[512];

	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		csvw_field(fp, "table", 1);
		for (k = 0; k < t->ncols; k++)
			csvw_field(fp, t->head[k], 0);
		csvw_end(fp);
		for (j = 0; j < t->nrows; j++) {
			csvw_field(fp, t->title, 1);
			for (k = 0; k < t->ncols; k++) {
				const struct cell *c = &t->rows[j][k];

				if (c->kind == CELL_MONEY)
					snprintf(buf, sizeof buf, "%lld",
					    unit_round(c->ore, r->unit));
				else if (c->kind == CELL_TEXT &&
				    strchr("=+-@", c->text[0]) != NULL &&
				    c->text[0] != '\0')
					snprintf(buf, sizeof buf, "'%s", c->text);
				else
					snprintf(buf, sizeof buf, "%s", c->text);
				csvw_field(fp, buf, 0);
			}
			csvw_end(fp);
		}
	}
}

void
render_md(FILE *fp, const struct report *r)
{
	struct rtable *t;
	int i, j, k;
	char buf[512], *p;

	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		if (i > 0)
			putc('\n', fp);
		fprintf(fp, "### %s\n\n|", t->title);
		for (k = 0; k < t->ncols; k++)
			fprintf(fp, " %s |", t->head[k]);
		fputs("\n|", fp);
		for (k = 0; k < t->ncols; k++)
			fputs(k == 0 ? " --- |" : " ---: |", fp);
		putc('\n', fp);
		for (j = 0; j < t->nrows; j++) {
			putc('|', fp);
			for (k = 0; k < t->ncols; k++) {
				shown(r, &t->rows[j][k], buf, sizeof buf);
				fputc(' ', fp);
				if (j >= t->total_from && t->total_from >= 0)
					fputs("**", fp);
				for (p = buf; *p != '\0'; p++) {
					if (*p == '|')
						putc('\\', fp);
					putc(*p, fp);
				}
				if (j >= t->total_from && t->total_from >= 0)
					fputs("**", fp);
				fputs(" |", fp);
			}
			putc('\n', fp);
		}
	}
}
