/*
 * err: diagnostics, exit codes and allocation that cannot fail quietly.
 *
 * Every program sets progname once (err_init) and reports through these
 * functions so that all messages read `alf-NAME: FILE:LINE: COLUMN: message`
 * (CONTRACTS "Every program").  emalloc and friends die with EXIT_IO on
 * failure; memory they return is the caller's to free.
 */
#ifndef ALF_ERR_H
#define ALF_ERR_H

#include <stddef.h>

#define EXIT_OK		0	/* all accepted */
#define EXIT_REJECTS	1	/* finished, but rows rejected or a check failed */
#define EXIT_USAGE	2	/* usage or configuration error, nothing written */
#define EXIT_IO		3	/* I/O or internal error, nothing published */

extern const char *progname;

void	 err_init(const char *name);
void	 die(int code, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
/* `progname: FILE:LINE: COL: message`; file may be NULL, line 0, col NULL */
void	 diag(const char *file, long line, const char *col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	 note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `alf-NAME VERSION` on stdout (--version) */
void	 print_version(void);
/* the compiler and flags the binary was built with (--build) */
void	 print_build(void);
void	*emalloc(size_t n);
void	*ecalloc(size_t n, size_t size);
void	*erealloc(void *p, size_t n);
char	*estrdup(const char *s);
char	*estrndup(const char *s, size_t n);

#endif
