/*
 * rtable: the tables reports are made of, and the plain renderers.
 *
 * A report is a list of tables; a table has a title, column headers and
 * rows of cells that are text, money (öre, shown in the report's unit: kr,
 * tkr or mkr, rounded half away from zero, CONTRACTS "Reports"; unit 0
 * shows kronor and öre exactly) or numbers (an exact decimal as written;
 * cell_number keeps anything but a plain decimal as text).
 * A table may ask for a chart, which the HTML renderer draws.  Renderers
 * write every table of a report in one format; render_html.h and
 * render_xlsx.h hold the other two.  The report owns everything added to
 * it; report_free releases it.
 */
#ifndef ALF_RTABLE_H
#define ALF_RTABLE_H

#include <stdio.h>

#include "money.h"

#define CELL_TEXT	0
#define CELL_MONEY	1
#define CELL_NUMBER	2	/* an exact quantity shown as written */

#define CHART_NONE	0
#define CHART_BARS	1	/* one bar per row below the totals: chart_col */
#define CHART_DIVERGE	2	/* winners right, losers left: chart_col */
#define CHART_HEAT	3	/* number cells from row chart_col on: 0–100 % */

#define UNIT_EXACT	0	/* kronor and öre */

struct cell {
	int	 kind;
	char	*text;		/* CELL_TEXT, CELL_NUMBER */
	ore_t	 ore;		/* CELL_MONEY */
};

struct rtable {
	char		*title;
	char		**head;
	int		  ncols;
	struct cell	**rows;
	int		  nrows, caprows;
	int		  total_from;	/* rows from here on are totals (bold) */
	int		  chart, chart_col;
};

struct report {
	char		 *title;	/* the page's heading; may be NULL */
	struct rtable	**t;
	int		  n;
	int		  unit;		/* 0 exact, 1 kr, 1000 tkr, 1000000 mkr */
	long		  created;	/* day number of the document date, or -1 */
};

struct rtable	*rtable_add(struct report *r, const char *title, int ncols,
		    const char *const *head);
struct cell	*rtable_row(struct rtable *t);	/* ncols empty text cells */
void		 cell_text(struct cell *c, const char *s);
void		 cell_money(struct cell *c, ore_t v);
void		 cell_number(struct cell *c, const char *s);
void		 cell_int(struct cell *c, long long v);
void		 rtable_mark_total(struct rtable *t);	/* next rows: totals */
int		 rtable_is_total(const struct rtable *t, int row);
void		 rtable_chart(struct rtable *t, int kind, int col);
void		 report_free(struct report *r);

/* öre in the report's unit, rounded half away from zero (unit > 0) */
long long	 unit_round(ore_t v, int unit);
/* "22 938" (ASCII space between digit groups) */
char		*group_digits(long long v, char *buf, size_t len);
const char	*unit_name(int unit);
/* a money cell's plain number in the unit: "22938", or "1467851.00" */
char		*money_plain(const struct report *r, ore_t v, char *buf,
		    size_t len);
/* what a cell shows to people: "22 938 tkr", text as is */
char		*cell_shown(const struct report *r, const struct cell *c,
		    char *buf, size_t len);
/* display width in code points */
int		 text_width(const char *s);
/* 1 when text would run as a formula in a spreadsheet (= + - @ first) */
int		 formula_like(const char *s);
/* a CSV field of text, with a leading apostrophe when formula_like */
void		 csv_text(FILE *fp, const char *s, int first);

void	render_text(FILE *fp, const struct report *r);
void	render_csv(FILE *fp, const struct report *r);
void	render_md(FILE *fp, const struct report *r);
void	render_json(FILE *fp, const struct report *r);

#endif
