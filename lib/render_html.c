/* render_html: one self-contained page with inline SVG charts. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "render_html.h"

#define BAR_W	480	/* the longest bar, in SVG units */
#define BAR_H	18
#define LABEL_W	260

static const char css[] =
    "body{font-family:sans-serif;margin:2em;color:#111}\n"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "th,td{border:1px solid #bbb;padding:.2em .6em;white-space:nowrap}\n"
    "th{background:#eee}td.n{text-align:right}\n"
    "tr.total td{font-weight:bold;border-top:2px solid #333}\n"
    "svg text{font-size:12px;font-family:sans-serif}\n"
    ".bar{fill:#3a6ea5}.gain{fill:#2e8b57}.loss{fill:#c0392b}\n"
    "@media print{body{margin:0;font-size:9pt}"
    "section{break-inside:avoid;page-break-inside:avoid}"
    "th{background:none}svg{max-width:100%}}\n";

static void
esc(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			putc(*s, fp);
		}
	}
}

/* the value a chart shows for a row, in öre */
static ore_t
chart_value(const struct rtable *t, int j)
{
	const struct cell *c = &t->rows[j][t->chart_col];

	return c->kind == CELL_MONEY ? c->ore : 0;
}

static long long
scaled(ore_t v, ore_t max, int w)
{
	if (max <= 0)
		return 0;
	if (v < 0)
		v = -v;
	return (long long)((i128)v * w / max);
}

/* one bar per row above the totals; losers left of the axis for DIVERGE */
static void
chart_svg(FILE *fp, const struct report *r, const struct rtable *t)
{
	int j, n = t->total_from >= 0 ? t->total_from : t->nrows;
	int diverge = t->chart == CHART_DIVERGE, axis, h;
	ore_t max = 0, v;
	long long len;
	char buf[128];

	for (j = 0; j < n; j++) {
		v = chart_value(t, j);
		if (v < 0)
			v = -v;
		if (v > max)
			max = v;
	}
	axis = LABEL_W + (diverge ? BAR_W / 2 : 0);
	h = n * (BAR_H + 4) + 4;
	fprintf(fp, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
	    LABEL_W + BAR_W + 120, h, LABEL_W + BAR_W + 120, h);
	fputs("<title>", fp);
	esc(fp, t->head[t->chart_col]);
	fputs("</title>\n", fp);
	for (j = 0; j < n; j++) {
		v = chart_value(t, j);
		len = scaled(v, max, diverge ? BAR_W / 2 : BAR_W);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    LABEL_W - 6, j * (BAR_H + 4) + 4 + BAR_H - 5);
		esc(fp, t->rows[j][0].text);
		fputs("</text>", fp);
		fprintf(fp, "<rect class=\"bar%s\" x=\"%lld\" y=\"%d\" "
		    "width=\"%lld\" height=\"%d\"><title>",
		    !diverge ? "" : v < 0 ? " loss" : " gain",
		    diverge && v < 0 ? axis - len : (long long)axis,
		    j * (BAR_H + 4) + 4, len, BAR_H);
		esc(fp, t->rows[j][0].text);
		fputs(": ", fp);
		esc(fp, cell_shown(r, &t->rows[j][t->chart_col], buf,
		    sizeof buf));
		fputs("</title></rect>", fp);
		fprintf(fp, "<text x=\"%lld\" y=\"%d\">",
		    (diverge && v < 0 ? (long long)axis : axis + len) + 4,
		    j * (BAR_H + 4) + 4 + BAR_H - 5);
		esc(fp, buf);
		fputs("</text>\n", fp);
	}
	if (diverge)
		fprintf(fp, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#333\"/>\n", axis, axis, h);
	fputs("</svg>\n", fp);
}

/* a percentage's background: red at 0 through yellow to green at 100 */
static void
heat_style(FILE *fp, const char *s)
{
	long v = strtol(s, NULL, 10);

	if (v < 0)
		v = 0;
	if (v > 100)
		v = 100;
	fprintf(fp, " style=\"background:hsl(%ld,70%%,%ld%%)\"", v * 120 / 100,
	    70 + v / 10);
}

static void
table_html(FILE *fp, const struct report *r, const struct rtable *t)
{
	const struct cell *c;
	char buf[512];
	int j, k;

	fputs("<table>\n<thead><tr>", fp);
	for (k = 0; k < t->ncols; k++) {
		fputs("<th>", fp);
		esc(fp, t->head[k]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (j = 0; j < t->nrows; j++) {
		fputs(rtable_is_total(t, j) ? "<tr class=\"total\">" : "<tr>",
		    fp);
		for (k = 0; k < t->ncols; k++) {
			c = &t->rows[j][k];
			fputs(c->kind != CELL_TEXT ? "<td class=\"n\"" : "<td",
			    fp);
			if (t->chart == CHART_HEAT && c->kind == CELL_NUMBER &&
			    j >= t->chart_col && !rtable_is_total(t, j))
				heat_style(fp, c->text);
			putc('>', fp);
			esc(fp, cell_shown(r, c, buf, sizeof buf));
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

void
render_html(FILE *fp, const struct report *r)
{
	const char *title = r->title != NULL ? r->title : "alf-report";
	int i;

	fputs("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", fp);
	esc(fp, title);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
	    css);
	esc(fp, title);
	fputs("</h1>\n", fp);
	for (i = 0; i < r->n; i++) {
		fputs("<section>\n<h2>", fp);
		esc(fp, r->t[i]->title);
		fputs("</h2>\n", fp);
		if (r->t[i]->chart == CHART_BARS ||
		    r->t[i]->chart == CHART_DIVERGE)
			chart_svg(fp, r, r->t[i]);
		table_html(fp, r, r->t[i]);
		fputs("</section>\n", fp);
	}
	fputs("</body>\n</html>\n", fp);
}
