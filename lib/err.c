/* err: one place for messages and exit codes (STYLE "A program reads top to bottom"). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

const char *progname = "alf";

void
err_init(const char *name)
{
	progname = name;
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

void
diag(const char *file, long line, const char *col, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	if (file != NULL) {
		if (line > 0)
			fprintf(stderr, "%s:%ld: ", file, line);
		else
			fprintf(stderr, "%s: ", file);
	}
	if (col != NULL && *col != '\0')
		fprintf(stderr, "%s: ", col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: note: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#ifndef ALF_VERSION
#define ALF_VERSION "unknown"
#endif

#ifndef ALF_BUILD
#define ALF_BUILD "unknown"
#endif

void
print_version(void)
{
	printf("%s %s\n", progname, ALF_VERSION);
}

/*
 * What this binary was compiled with, for a closing's MANIFEST (issue 15
 * "Annual closing": build flags): the programs a closing ran may not be
 * the ones make would build now.
 */
void
print_build(void)
{
#ifdef __VERSION__
	printf("%s compiler %s\n", ALF_BUILD, __VERSION__);
#else
	printf("%s\n", ALF_BUILD);
#endif
}

void *
emalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		die(EXIT_IO, "out of memory");
	return p;
}

void *
ecalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		die(EXIT_IO, "out of memory");
	return p;
}

void *
erealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		die(EXIT_IO, "out of memory");
	return p;
}

char *
estrdup(const char *s)
{
	return estrndup(s, strlen(s));
}

char *
estrndup(const char *s, size_t n)
{
	char *p;

	p = emalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
