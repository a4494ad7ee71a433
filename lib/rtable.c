/* rtable: report tables, and the text, CSV, Markdown and JSON renderers. */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "err.h"
#include "rtable.h"

#define TEXT_COLS	100	/* text reports fit this, or wrap by blocks */

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

/* -?(0|[1-9][0-9]*)(.[0-9]+)?: a number JSON, CSV and a sheet all take */
static int
plain_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* anything else stays text, so it is neutralised where text is */
void
cell_number(struct cell *c, const char *s)
{
	cell_text(c, s);
	c->kind = plain_decimal(s) ? CELL_NUMBER : CELL_TEXT;
}

void
cell_int(struct cell *c, long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", v);
	cell_number(c, buf);
}

void
rtable_mark_total(struct rtable *t)
{
	t->total_from = t->nrows;
}

int
rtable_is_total(const struct rtable *t, int row)
{
	return t->total_from >= 0 && row >= t->total_from;
}

void
rtable_chart(struct rtable *t, int kind, int col)
{
	t->chart = kind;
	t->chart_col = col;
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
	free(r->title);
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

char *
money_plain(const struct report *r, ore_t v, char *buf, size_t len)
{
	if (r->unit == UNIT_EXACT)
		return money_fmt(v, buf, len);
	snprintf(buf, len, "%lld", unit_round(v, r->unit));
	return buf;
}

char *
cell_shown(const struct report *r, const struct cell *c, char *buf,
    size_t len)
{
	char g[48];
	ore_t a;

	if (c->kind != CELL_MONEY) {
		snprintf(buf, len, "%s", c->text);
		return buf;
	}
	if (r->unit != UNIT_EXACT) {
		snprintf(buf, len, "%s %s", group_digits(unit_round(c->ore,
		    r->unit), g, sizeof g), unit_name(r->unit));
		return buf;
	}
	/* exact: whole kronor grouped, then the öre */
	a = c->ore < 0 ? -c->ore : c->ore;
	group_digits(a / 100, g, sizeof g);
	snprintf(buf, len, "%s%s.%02lld kr", c->ore < 0 ? "-" : "", g,
	    a % 100);
	return buf;
}

int
text_width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

int
formula_like(const char *s)
{
	return *s != '\0' && strchr("=+-@", *s) != NULL;
}

static void
pad(FILE *fp, int n)
{
	while (n-- > 0)
		putc(' ', fp);
}

/* one block of columns: the first column, then first..last */
static void
text_block(FILE *fp, const struct report *r, const struct rtable *t,
    const int *w, const int *num, int first, int last)
{
	char buf[512];
	const char *s;
	int j, k, right, i;

	for (j = -1; j < t->nrows; j++) {
		for (i = 0; i <= last - first + 1; i++) {
			k = i == 0 ? 0 : first + i - 1;
			if (i > 0 && k == 0)
				continue;
			s = j < 0 ? t->head[k] :
			    cell_shown(r, &t->rows[j][k], buf, sizeof buf);
			/* figures right, text left; a figures column's head too */
			right = j < 0 ? num[k] :
			    t->rows[j][k].kind != CELL_TEXT;
			if (i > 0)
				fputs("  ", fp);
			if (right)
				pad(fp, w[k] - text_width(s));
			fputs(s, fp);
			if (!right && k != (last > 0 ? last : 0))
				pad(fp, w[k] - text_width(s));
		}
		putc('\n', fp);
	}
}

/*
 * Aligned columns, text left and figures right.  A table wider than
 * TEXT_COLS is printed in blocks of columns, each repeating the first.
 */
void
render_text(FILE *fp, const struct report *r)
{
	struct rtable *t;
	int i, j, k, *w, *num, first, used;
	char buf[512];

	if (r->title != NULL)
		fprintf(fp, "%s\n\n", r->title);
	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		w = ecalloc(t->ncols, sizeof *w);
		num = ecalloc(t->ncols, sizeof *num);
		for (k = 0; k < t->ncols; k++)
			w[k] = text_width(t->head[k]);
		for (j = 0; j < t->nrows; j++)
			for (k = 0; k < t->ncols; k++) {
				if (text_width(cell_shown(r, &t->rows[j][k],
				    buf, sizeof buf)) > w[k])
					w[k] = text_width(buf);
				if (t->rows[j][k].kind != CELL_TEXT)
					num[k] = 1;
			}
		if (i > 0)
			putc('\n', fp);
		fprintf(fp, "%s\n\n", t->title);
		first = 1;
		if (t->ncols == 1)
			text_block(fp, r, t, w, num, 1, 0);
		while (first < t->ncols) {
			used = w[0];
			k = first;
			do
				used += 2 + w[k++];
			while (k < t->ncols && used + 2 + w[k] <= TEXT_COLS);
			if (first > 1)
				putc('\n', fp);
			text_block(fp, r, t, w, num, first, k - 1);
			first = k;
		}
		free(w);
		free(num);
	}
}

void
csv_text(FILE *fp, const char *s, int first)
{
	char *q;

	if (!formula_like(s)) {
		csvw_field(fp, s, first);
		return;
	}
	/* CSV formula injection: a leading apostrophe keeps it text */
	q = emalloc(strlen(s) + 2);
	q[0] = '\'';
	strcpy(q + 1, s);
	csvw_field(fp, q, first);
	free(q);
}

/*
 * CSV for machines: one header `table,COLUMNS…` per table; money as a
 * plain number in the unit.  Text that a spreadsheet would run as a
 * formula is neutralised with a leading apostrophe; numbers stay numbers.
 */
void
render_csv(FILE *fp, const struct report *r)
{
	struct rtable *t;
	const struct cell *c;
	int i, j, k;
	char buf[64];

	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		csvw_field(fp, "table", 1);
		for (k = 0; k < t->ncols; k++)
			csv_text(fp, t->head[k], 0);
		csvw_end(fp);
		for (j = 0; j < t->nrows; j++) {
			csv_text(fp, t->title, 1);
			for (k = 0; k < t->ncols; k++) {
				c = &t->rows[j][k];
				if (c->kind == CELL_MONEY)
					csvw_field(fp, money_plain(r, c->ore,
					    buf, sizeof buf), 0);
				else if (c->kind == CELL_NUMBER)
					csvw_field(fp, c->text, 0);
				else
					csv_text(fp, c->text, 0);
			}
			csvw_end(fp);
		}
	}
}

static void
md_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_')
			putc('\\', fp);
		putc(*s == '\n' ? ' ' : *s, fp);
	}
}

void
render_md(FILE *fp, const struct report *r)
{
	struct rtable *t;
	int i, j, k, bold;
	char buf[512];

	if (r->title != NULL) {
		fputs("## ", fp);
		md_text(fp, r->title);
		fputs("\n\n", fp);
	}
	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		if (i > 0)
			putc('\n', fp);
		fputs("### ", fp);
		md_text(fp, t->title);
		fputs("\n\n|", fp);
		for (k = 0; k < t->ncols; k++) {
			putc(' ', fp);
			md_text(fp, t->head[k]);
			fputs(" |", fp);
		}
		fputs("\n|", fp);
		for (k = 0; k < t->ncols; k++)
			fputs(k == 0 ? " --- |" : " ---: |", fp);
		putc('\n', fp);
		for (j = 0; j < t->nrows; j++) {
			bold = rtable_is_total(t, j);
			putc('|', fp);
			for (k = 0; k < t->ncols; k++) {
				cell_shown(r, &t->rows[j][k], buf, sizeof buf);
				fputc(' ', fp);
				if (bold && *buf != '\0')
					fputs("**", fp);
				md_text(fp, buf);
				if (bold && *buf != '\0')
					fputs("**", fp);
				fputs(" |", fp);
			}
			putc('\n', fp);
		}
	}
}

static void
json_str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\u%04x", (unsigned char)*s);
		else
			putc(*s, fp);
	}
	putc('"', fp);
}

/*
 * JSON for dashboards: {"unit", "tables": [{"title", "columns", "rows",
 * "totals_from"}]}; money and numbers are JSON numbers (money in the
 * unit), text is strings.
 */
void
render_json(FILE *fp, const struct report *r)
{
	struct rtable *t;
	const struct cell *c;
	int i, j, k;
	char buf[64];

	fputs("{\"title\":", fp);
	json_str(fp, r->title != NULL ? r->title : "");
	fprintf(fp, ",\"unit\":\"%s\",\"tables\":[", unit_name(r->unit));
	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		fputs(i > 0 ? ",\n{\"title\":" : "\n{\"title\":", fp);
		json_str(fp, t->title);
		fputs(",\"columns\":[", fp);
		for (k = 0; k < t->ncols; k++) {
			if (k > 0)
				putc(',', fp);
			json_str(fp, t->head[k]);
		}
		fputs("],\"rows\":[", fp);
		for (j = 0; j < t->nrows; j++) {
			fputs(j > 0 ? ",\n [" : "\n [", fp);
			for (k = 0; k < t->ncols; k++) {
				c = &t->rows[j][k];
				if (k > 0)
					putc(',', fp);
				if (c->kind == CELL_MONEY)
					fputs(money_plain(r, c->ore, buf,
					    sizeof buf), fp);
				else if (c->kind == CELL_NUMBER)
					fputs(c->text, fp);
				else
					json_str(fp, c->text);
			}
			putc(']', fp);
		}
		fprintf(fp, "],\"totals_from\":%d}", t->total_from >= 0 ?
		    t->total_from : t->nrows);
	}
	fputs("]}\n", fp);
}
