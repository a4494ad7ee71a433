/*
 * csvio: read CSV rows by header name on libcsv; write canonical CSV.
 *
 * A reader (csvr_open / csvr_next / csvr_close) owns its rows: the strings
 * csvr_field returns live until the next csvr_next.  Rows keep the
 * physical line they start on, so diagnostics can say FILE:LINE (CONTRACTS
 * "Every program").  A UTF-8 BOM is dropped; CRLF is accepted; the spaces
 * and tabs around an unquoted field are trimmed (csvw quotes a field that
 * has them, so what alf writes reads back as it was).  A row libcsv
 * cannot parse (a stray quote) is returned with csvr_bad() set, so the
 * caller rejects it and goes on.
 */
#ifndef ALF_CSVIO_H
#define ALF_CSVIO_H

#include <stdio.h>

struct csvr;

/*
 * Open path ("-" or NULL: standard input) and read its header.  delim 0
 * detects `,`, `;` or tab from the header line.  Dies EXIT_IO when the file
 * cannot be read and EXIT_USAGE when it has no header (an empty file).
 */
struct csvr	*csvr_open(const char *path, int delim);
/* the same on an open stream (closed by csvr_close unless stdin) */
struct csvr	*csvr_open_fp(FILE *fp, const char *name, int delim);
/*
 * the same with flags: CSVR_EXCEL reads Excel's ="0123" text guard in an
 * unquoted field as the text 0123 (quoted, "=""0123""" still reads
 * ="0123": decode.h decode_text drops that guard)
 */
#define CSVR_EXCEL	1
struct csvr	*csvr_open_flags(FILE *fp, const char *name, int delim,
		    int flags);
void		 csvr_close(struct csvr *r);
/* the name diagnostics use: the path as given, `-` for standard input */
const char	*csvr_name(const struct csvr *r);
/*
 * The name standard input goes by (default `-`), as grep's --label: a
 * pipeline that feeds a program the stream a file will hold gives the
 * same diagnostics and reject_src as the file would (pipelines/run.mk)
 */
void		 csvr_set_stdin_name(const char *name);
const char	*csvr_stdin_name(void);
int		 csvr_delim(const struct csvr *r);
int		 csvr_ncols(const struct csvr *r);
const char	*csvr_colname(const struct csvr *r, int i);
/* the column named exactly name, or -1 */
int		 csvr_col(const struct csvr *r, const char *name);
/* the same, but a missing column is a configuration error (exit 2) */
int		 csvr_require(const struct csvr *r, const char *name);
/* 1 when a row was read, 0 at the end */
int		 csvr_next(struct csvr *r);
int		 csvr_nfields(const struct csvr *r);
const char	*csvr_field(const struct csvr *r, int col);	/* "" if absent */
/*
 * a field and its length in one call, without a strlen (a NUL inside
 * counts too)
 */
const char	*csvr_cell(const struct csvr *r, int col, size_t *len);
/*
 * A check on each row's bytes (its fields in order, each ended by a NUL,
 * so a check over the row, as UTF-8's, runs once, not once a field), run
 * where the row is parsed: in the reading thread once there is one,
 * beside the program's work.  Set it before the first csvr_next.
 * csvr_checked is its answer for the current row (1 without a check).
 */
void		 csvr_set_check(struct csvr *r, int (*check)(const char *,
		    size_t, void *), void *arg);
int		 csvr_checked(const struct csvr *r);
long		 csvr_line(const struct csvr *r);
/* FILE:LINE of the current row into buf (without printf: once a row) */
char		*csvr_where(const struct csvr *r, char *buf, size_t len);
int		 csvr_bad(const struct csvr *r);

/* Writing: minimal RFC 4180 quoting, comma, LF. */
void	csvw_field(FILE *fp, const char *s, int first);
void	csvw_end(FILE *fp);
void	csvw_row(FILE *fp, const char *const *fields, int n);
/*
 * A field of len bytes as csvw_field writes it, at o (room for
 * CSVW_MAX(len) bytes: its comma, quotes and doubled quotes); the end.
 * For rows built in memory.
 */
char	*csvw_put(char *o, const char *s, size_t len, int first);
#define CSVW_MAX(len)	(2 * (len) + 3)

#endif
