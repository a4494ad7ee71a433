/*
 * rtable: the tables reports are made of, and their renderers.
 *
 * A report is a list of tables; a table has a title, column headers and
 * rows of cells that are text or money (öre, shown in the report's unit:
 * kr, tkr or mkr, rounded half away from zero, CONTRACTS "Reports").
 * Renderers write every table of a report in one format.  The report owns
 * everything added to it; rtable_free releases it.
 */
#ifndef ALF_RTABLE_H
#define ALF_RTABLE_H

#include <stdio.h>

#include "money.h"

#define CELL_TEXT	0
#define CELL_MONEY	1
#define CELL_NUMBER	2	/* an exact quantity shown as written */

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
};

struct report {
	struct rtable	**t;
	int		  n;
	int		  unit;		/* 1 kr, 1000 tkr, 1000000 mkr */
};

struct rtable	*rtable_add(struct report *r, const char *title, int ncols,
		    const char *const *head);
struct cell	*rtable_row(struct rtable *t);	/* ncols empty text cells */
void		 cell_text(struct cell *c, const char *s);
void		 cell_money(struct cell *c, ore_t v);
void		 cell_number(struct cell *c, const char *s);
void		 rtable_mark_total(struct rtable *t);	/* next rows: totals */
void		 report_free(struct report *r);

/* öre in the report's unit, rounded half away from zero */
long long	 unit_round(ore_t v, int unit);
/* "22 938" (ASCII space between digit groups) */
char		*group_digits(long long v, char *buf, size_t len);
const char	*unit_name(int unit);

void	render_text(FILE *fp, const struct report *r);
void	render_csv(FILE *fp, const struct report *r);
void	render_md(FILE *fp, const struct report *r);

#endif
