/*
 * stage: what every filter does around its rows — count them, write the
 * rejected ones with their reason, print the summary line and choose the
 * exit status (CONTRACTS "Every program": R = A + J + M; exit 1 when rows
 * were rejected).  A stage owns its reject file; stage_finish closes it.
 * A program atomic_closes its own outputs (-o, --names, --out-dir) before
 * stage_finish, which publishes them with the reject file only when every
 * one of them was written whole (atomic.h).
 */
#ifndef ALF_STAGE_H
#define ALF_STAGE_H

#include "csvio.h"

/* the options every program shares (CONTRACTS "Every program") */
#define STAGE_OPTIONS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "rejects", required_argument, NULL, 'r' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ "build", no_argument, NULL, 'B' }, \
	{ "label", required_argument, NULL, 'L' }

struct stage {
	long		 read, accepted, rejected, merged, written;
	const char	*output;	/* -o FILE, or NULL: standard output */
	int		 quiet;
	int		 failed;	/* a check failed: exit 1 */
	const char	*rejects_path;
	struct atomic	*rej;
	char		**rej_cols;	/* the header the reject file got */
	int		 rej_ncols;
};

/*
 * Reject the reader's current row: a diagnostic FILE:LINE: COL: why (value)
 * and a row in the reject file.  value may be NULL (never pass a personal
 * identity number).  override, when not NULL, gives per-column replacement
 * text (indexed by the reader's columns; NULL entries keep the field), so
 * a personal identity number is written as its pseudonym.
 */
void	stage_reject(struct stage *s, const struct csvr *r, const char *col,
	    const char *value, const char *const *override, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * The same for a row of a file that should hold pseudonyms only: every
 * field that looks like a personal identity number is written empty, and
 * so is column person (-1: none) unless it is a pseudonym; a value that
 * looks like one is not shown (CONTRACTS "Personal identity numbers").
 */
void	stage_reject_masked(struct stage *s, const struct csvr *r, int person,
	    const char *col, const char *value, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * One of STAGE_OPTIONS: 1 when ch was one (--help, --version and --build
 * print and exit), 0 for the program's own.
 */
int	stage_option(struct stage *s, int ch, const char *arg,
	    void (*usage)(int));
/* the input files: the arguments, or standard input when there are none */
const char **stage_inputs(int argc, char **argv, int *n);
/*
 * Close the reject file (dies EXIT_IO on a write error, publishing
 * nothing), publish everything closed, print the summary; returns the
 * exit status.
 */
int	stage_finish(struct stage *s);

#endif
