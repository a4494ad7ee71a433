/* render_xlsx: the workbook finance officers open. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "err.h"
#include "render_xlsx.h"

#define SHEET_NAME	31	/* Excel's limit, in characters */
#define NO_DATE		3652	/* 1980-01-01 as days since 1970-01-01 */

/*
 * a sheet name Excel accepts: no []:*?/\', at most 31 characters, unique
 * (case-insensitively) among the names before it in names[0..i-1]
 */
static void
sheet_name(const struct report *r, int i, char (*names)[160])
{
	const char *s = r->t[i]->title;
	char *buf = names[i];
	size_t o = 0;
	int chars = 0, j, dup = 0;

	for (; *s != '\0' && o + 8 < sizeof names[i]; s++) {
		if ((*s & 0xC0) != 0x80 && ++chars > SHEET_NAME - 4)
			break;
		buf[o++] = strchr("[]:*?/\\'", *s) != NULL ? '-' : *s;
	}
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	for (j = 0; j < i; j++)
		if (strcasecmp(names[j], buf) == 0)
			dup = 1;
	/* an earlier table with the same name: add this one's number */
	if (dup)
		snprintf(buf + o, sizeof names[i] - o, " %d", i + 1);
}

/*
 * The one place money becomes a double: libxlsxwriter's cell value.  It
 * comes from the exact integer the other formats print, the count of
 * units rounded once (tkr, mkr, kr) or of öre, never from text or a
 * computation in floating point.  Below CELL_EXACT (10^15, under 2^53)
 * that integer converts exactly; öre / 100 is then the double nearest to
 * the exact kronor figure (IEEE division rounds correctly), and a reader
 * showing 15 significant digits, as Excel and LibreOffice do, gives back
 * that figure to the öre.  cells_fit refuses larger amounts (exit 3)
 * before any file is made.
 */
#define CELL_EXACT	1000000000000000LL

static long long
cell_count(const struct report *r, ore_t v)
{
	return r->unit == UNIT_EXACT ? v : unit_round(v, r->unit);
}

static double
cell_value(const struct report *r, ore_t v)
{
	long long n = cell_count(r, v);

	return r->unit == UNIT_EXACT ? (double)n / 100 : (double)n;
}

/*
 * A quantity, count or rate, a plain decimal (rtable's cell_number), as
 * the double a workbook holds: its digits m and decimals k give m / 10^k,
 * both exact in a double while m < 2^53 and k <= 22, so the one division
 * rounds once, to the double nearest the exact value (as strtod would,
 * without the locale).  0 for more digits than a double holds: the cell
 * then stays text, exact, rather than a number that is not the figure.
 */
static int
decimal_double(const char *s, double *out)
{
	uint64_t m = 0;
	double scale = 1;
	int k = 0, frac = 0, neg = *s == '-';

	for (s += neg; *s != '\0'; s++) {
		if (*s == '.') {
			frac = 1;
			continue;
		}
		if (m >= ((uint64_t)1 << 53) / 10 || (frac && k == 22))
			return 0;
		m = m * 10 + (uint64_t)(*s - '0');
		k += frac;
	}
	while (k-- > 0)
		scale *= 10;
	*out = (neg ? -(double)m : (double)m) / scale;
	return 1;
}

static void
cells_fit(const struct report *r)
{
	const struct rtable *t;
	char buf[48];
	long long n;
	int i, j, k;

	for (i = 0; i < r->n; i++)
		for (t = r->t[i], j = 0; j < t->nrows; j++)
			for (k = 0; k < t->ncols; k++) {
				if (t->rows[j][k].kind != CELL_MONEY)
					continue;
				n = cell_count(r, t->rows[j][k].ore);
				if (n <= -CELL_EXACT || n >= CELL_EXACT)
					die(EXIT_IO, "xlsx: %s: %s: too large "
					    "for an exact spreadsheet cell",
					    t->title, money_fmt(t->rows[j][k].ore,
					    buf, sizeof buf));
			}
}

static void
check(lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR)
		die(EXIT_IO, "xlsx: %s: %s", what, lxw_strerror(e));
}

void
render_xlsx(FILE *fp, const struct report *r)
{
	char tmpl[4096], buf[512], numfmt[32];
	const char *tmpdir = getenv("TMPDIR");
	char (*names)[160];
	lxw_workbook_options opt = { 0 };
	lxw_doc_properties props = { 0 };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *money, *tmoney, *ttext, *tnum, *f;
	const struct rtable *t;
	const struct cell *c;
	FILE *in;
	size_t n;
	int fd, i, j, k, *w, total;
	double x;

	cells_fit(r);
	snprintf(tmpl, sizeof tmpl, "%s/alf-report.XXXXXX",
	    tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if ((fd = mkstemp(tmpl)) < 0)
		die(EXIT_IO, "xlsx: %s: cannot create a temporary file", tmpl);
	close(fd);
	opt.constant_memory = LXW_FALSE;
	if ((wb = workbook_new_opt(tmpl, &opt)) == NULL) {
		unlink(tmpl);
		die(EXIT_IO, "xlsx: cannot start a workbook");
	}
	props.title = r->title;
	props.author = "alf-report";
	/*
	 * The document date, never the clock (libxlsxwriter takes 0 as
	 * "now"): without one, 1980-01-01, the first date a zip entry holds.
	 */
	props.created = (time_t)(r->created >= 0 ? r->created :
	    NO_DATE) * 86400;
	check(workbook_set_properties(wb, &props), "properties");
	if (r->unit == UNIT_EXACT)
		snprintf(numfmt, sizeof numfmt, "#,##0.00");
	else
		snprintf(numfmt, sizeof numfmt, "#,##0 \"%s\"",
		    unit_name(r->unit));
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bottom(head, LXW_BORDER_THIN);
	money = workbook_add_format(wb);
	format_set_num_format(money, numfmt);
	tmoney = workbook_add_format(wb);
	format_set_num_format(tmoney, numfmt);
	format_set_bold(tmoney);
	ttext = workbook_add_format(wb);
	format_set_bold(ttext);
	tnum = workbook_add_format(wb);
	format_set_bold(tnum);
	names = ecalloc(r->n + 1, sizeof *names);
	for (i = 0; i < r->n; i++) {
		t = r->t[i];
		sheet_name(r, i, names);
		if ((ws = workbook_add_worksheet(wb, names[i])) == NULL)
			die(EXIT_IO, "xlsx: %s: cannot add the sheet", names[i]);
		snprintf(buf, sizeof buf, "&C%s", t->title);
		worksheet_set_header(ws, buf);
		w = ecalloc(t->ncols, sizeof *w);
		for (k = 0; k < t->ncols; k++) {
			w[k] = text_width(t->head[k]);
			worksheet_write_string(ws, 0, k, t->head[k], head);
		}
		for (j = 0; j < t->nrows; j++) {
			total = rtable_is_total(t, j);
			for (k = 0; k < t->ncols; k++) {
				c = &t->rows[j][k];
				cell_shown(r, c, buf, sizeof buf);
				if (text_width(buf) > w[k])
					w[k] = text_width(buf);
				if (c->kind == CELL_MONEY) {
					worksheet_write_number(ws, j + 1, k,
					    cell_value(r, c->ore),
					    total ? tmoney : money);
				} else if (c->kind == CELL_NUMBER &&
				    decimal_double(c->text, &x)) {
					/* a quantity, count or rate */
					worksheet_write_number(ws, j + 1, k, x,
					    total ? tnum : NULL);
				} else if (*c->text != '\0') {
					/* a string cell never runs as a formula */
					f = total ? ttext : NULL;
					worksheet_write_string(ws, j + 1, k,
					    c->text, f);
				}
			}
		}
		for (k = 0; k < t->ncols; k++)
			worksheet_set_column(ws, k, k, w[k] + 2, NULL);
		worksheet_freeze_panes(ws, 1, 0);
		free(w);
	}
	free(names);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		unlink(tmpl);
		die(EXIT_IO, "xlsx: cannot write the workbook");
	}
	if ((in = fopen(tmpl, "rb")) == NULL) {
		unlink(tmpl);
		die(EXIT_IO, "xlsx: %s: cannot read back", tmpl);
	}
	unlink(tmpl);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	fclose(in);
}
