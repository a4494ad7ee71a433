/* harness: err.h for fuzz targets, dying by longjmp (see harness.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <unistd.h>

#include "err.h"
#include "harness.h"

const char	*progname = "alf-fuzz";
jmp_buf		 fuzz_jmp;
int		 fuzz_armed;
int		 fuzz_died;

static char	 msg[4096];

void
err_init(const char *name)
{
	progname = name;
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the documented codes only: 2 configuration, 3 I/O or internal */
	if (code != EXIT_USAGE && code != EXIT_IO && code != EXIT_REJECTS) {
		fprintf(stderr, "die(%d): %s\n", code, msg);
		abort();
	}
	if (!fuzz_armed) {
		fprintf(stderr, "die outside FUZZ_TRY: %s\n", msg);
		abort();
	}
	fuzz_died = code;
	fuzz_armed = 0;
	longjmp(fuzz_jmp, 1);
}

void
diag(const char *file, long line, const char *col, const char *fmt, ...)
{
	va_list ap;

	snprintf(msg, sizeof msg, "%s:%ld:%s", file ? file : "", line,
	    col ? col : "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
}

void
note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
}

void
print_version(void)
{
}

void
print_build(void)
{
}

/*
 * What the library allocates through emalloc and friends is tracked, and
 * free() is wrapped (-Wl,--wrap=free) to forget it, so fuzz_reset() can
 * free what an iteration left: what a die() cut short, and what lives
 * "until exit" in a program (a profile).  An open-addressed set.
 */
void	__real_free(void *);

static void	**live;
static size_t	  nlive, caplive;

static size_t
slot_of(void *p)
{
	size_t h = ((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ULL;

	return h & (caplive - 1);
}

static void
track(void *p)
{
	size_t i, old = caplive;
	void **was = live;

	if ((nlive + 1) * 2 > caplive) {
		caplive = caplive ? caplive * 2 : 1024;
		live = calloc(caplive, sizeof *live);
		nlive = 0;
		for (i = 0; i < old; i++)
			if (was[i] != NULL && was[i] != (void *)1)
				track(was[i]);
		__real_free(was);
	}
	for (i = slot_of(p); live[i] != NULL && live[i] != (void *)1;
	    i = (i + 1) & (caplive - 1))
		;
	live[i] = p;
	nlive++;
}

static int
untrack(void *p)
{
	size_t i;

	if (caplive == 0 || p == NULL)
		return 0;
	for (i = slot_of(p); live[i] != NULL; i = (i + 1) & (caplive - 1))
		if (live[i] == p) {
			live[i] = (void *)1;	/* a tombstone */
			return 1;
		}
	return 0;
}

void
__wrap_free(void *p)
{
	untrack(p);
	__real_free(p);
}

/*
 * fopen and fclose are wrapped too (-Wl,--wrap=fopen,--wrap=fclose): a
 * file a die() left open is closed by fuzz_reset.
 */
FILE	*__real_fopen(const char *, const char *);
int	 __real_fclose(FILE *);

static FILE	*files[16];

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	FILE *fp = __real_fopen(path, mode);
	int i;

	for (i = 0; fp != NULL && i < 16; i++)
		if (files[i] == NULL) {
			files[i] = fp;
			break;
		}
	return fp;
}

int
__wrap_fclose(FILE *fp)
{
	int i;

	for (i = 0; i < 16; i++)
		if (files[i] == fp)
			files[i] = NULL;
	return __real_fclose(fp);
}

void
fuzz_reset(void)
{
	size_t i;

	for (i = 0; i < caplive; i++)
		if (live[i] != NULL && live[i] != (void *)1)
			__real_free(live[i]);
	if (caplive > 0)
		memset(live, 0, caplive * sizeof *live);
	nlive = 0;
	for (i = 0; i < 16; i++)
		if (files[i] != NULL) {
			__real_fclose(files[i]);
			files[i] = NULL;
		}
}

void
fuzz_keep(void)
{
	if (caplive > 0)
		memset(live, 0, caplive * sizeof *live);
	nlive = 0;
}

void *
emalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		die(EXIT_IO, "out of memory");
	track(p);
	return p;
}

void *
ecalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		die(EXIT_IO, "out of memory");
	track(p);
	return p;
}

void *
erealloc(void *p, size_t n)
{
	untrack(p);
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		die(EXIT_IO, "out of memory");
	track(p);
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
	char *p = emalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

FILE *
fuzz_stream(const uint8_t *data, size_t size)
{
	/* fmemopen of size 0 fails: an empty file is a real input */
	static const char nothing[1];

	return fmemopen(size ? (void *)data : (void *)nothing, size, "r");
}
