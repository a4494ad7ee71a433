/* render_xlsx: the workbook finance officers open. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "err.h"
#include "render_xlsx.h"

#define SHEET_NAME	31	/* Excel's limit, in characters */

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
	/* the document date, not the clock: deterministic bytes */
	props.created = r->created >= 0 ? (time_t)r->created * 86400 : 0;
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
					money_plain(r, c->ore, buf, sizeof buf);
					/*
					 * A display value, already rounded
					 * exactly: whole units, or öre.  The
					 * cell takes a double (libxlsxwriter);
					 * below 2^53 it holds the printed
					 * figure exactly, and nothing reads
					 * it back into money.
					 */
					worksheet_write_number(ws, j + 1, k,
					    strtod(buf, NULL),
					    total ? tmoney : money);
				} else if (c->kind == CELL_NUMBER) {
					worksheet_write_number(ws, j + 1, k,
					    strtod(c->text, NULL),
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
