/* atomic: temp file + rename, and cleanup of whatever was not committed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "err.h"

struct atomic {
	FILE		*fp;
	char		*path;		/* the target */
	char		*tmp;		/* NULL when written directly */
	char		*buf;		/* fp's stdio buffer, or NULL */
	int		 isdir;
	struct atomic	*next;		/* in pending */
	struct atomic	*next_closed;	/* in closed, by atomic_close */
};

/* what is still unpublished, for the exit handler */
static struct atomic *pending;
static int stdout_sized;	/* its buffer set, once, before any output */
#define OUTBUF	(1 << 18)
/* what atomic_close has checked, in order, for atomic_publish */
static struct atomic *closed, **closed_tail = &closed;

static void
remove_tree(const char *path)
{
	DIR *d;
	struct dirent *e;
	char *sub;
	size_t n;

	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			n = strlen(path) + strlen(e->d_name) + 2;
			sub = emalloc(n);
			snprintf(sub, n, "%s/%s", path, e->d_name);
			if (unlink(sub) != 0)
				remove_tree(sub);
			free(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static void
cleanup(void)
{
	struct atomic *a;

	for (a = pending; a != NULL; a = a->next) {
		if (a->tmp == NULL)
			continue;
		if (a->isdir)
			remove_tree(a->tmp);
		else
			unlink(a->tmp);
	}
}

static void
track(struct atomic *a)
{
	static int registered;

	if (!registered) {
		atexit(cleanup);
		registered = 1;
	}
	a->next = pending;
	pending = a;
}

static void
untrack(struct atomic *a)
{
	struct atomic **pp;

	for (pp = &pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
}

struct atomic *
atomic_open_mode(const char *path, int mode)
{
	struct atomic *a = ecalloc(1, sizeof *a);
	struct stat st;
	const char *slash;
	size_t n;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		a->fp = stdout;
		a->path = estrdup("standard output");
		/*
		 * before its first byte: writes of 256 KiB, not of 4 KiB
		 * (the buffer is ours, as glibc ignores the size without
		 * one, and lives until exit)
		 */
		if (!stdout_sized++)
			setvbuf(stdout, emalloc(OUTBUF), _IOFBF, OUTBUF);
		return a;
	}
	a->path = estrdup(path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or pipe: there is nothing to rename over */
		if ((a->fp = fopen(path, "w")) == NULL)
			die(EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
		return a;
	}
	slash = strrchr(path, '/');
	n = strlen(path) + 32;
	a->tmp = emalloc(n);
	if (slash != NULL)
		snprintf(a->tmp, n, "%.*s/.%s.tmp.XXXXXX",
		    (int)(slash - path), path, slash + 1);
	else
		snprintf(a->tmp, n, ".%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(a->tmp)) < 0)
		die(EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
	track(a);
	if (fchmod(fd, (mode_t)mode) != 0 || (a->fp = fdopen(fd, "w")) == NULL)
		die(EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
	setvbuf(a->fp, a->buf = emalloc(OUTBUF), _IOFBF, OUTBUF);
	return a;
}

struct atomic *
atomic_open(const char *path)
{
	return atomic_open_mode(path, 0644);
}

FILE *
atomic_fp(struct atomic *a)
{
	return a->fp;
}

/* every write checked, the file closed; dies EXIT_IO naming the target */
static void
check_close(struct atomic *a)
{
	int e = 0;

	if (a->isdir)
		return;
	errno = 0;
	if (fflush(a->fp) != 0 || ferror(a->fp))
		e = errno ? errno : EIO;
	if (e == 0 && a->tmp != NULL && fsync(fileno(a->fp)) != 0)
		e = errno;
	if (a->fp != stdout) {
		if (fclose(a->fp) != 0 && e == 0)
			e = errno ? errno : EIO;
	}
	a->fp = NULL;
	free(a->buf);
	a->buf = NULL;
	if (e != 0)
		die(EXIT_IO, "%s: write error: %s", a->path, strerror(e));
}

static void
release(struct atomic *a)
{
	free(a->tmp);
	free(a->path);
	free(a);
}

static void
publish_one(struct atomic *a)
{
	struct stat st;

	if (a->isdir && stat(a->path, &st) == 0) {
		/* swap the old directory out in one step, then remove it
		 * (RENAME_EXCHANGE is 2; 1 is RENAME_NOREPLACE, EEXIST) */
		if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->path,
		    RENAME_EXCHANGE) != 0)
			die(EXIT_IO, "%s: cannot publish: %s", a->path,
			    strerror(errno));
		/* after an exchange the old contents sit at tmp */
		remove_tree(a->tmp);
	} else if (rename(a->tmp, a->path) != 0)
		die(EXIT_IO, "%s: cannot publish: %s", a->path, strerror(errno));
	untrack(a);
	release(a);
}

void
atomic_close(struct atomic *a)
{
	check_close(a);
	if (a->tmp == NULL) {
		/* written directly: nothing to rename */
		release(a);
		return;
	}
	a->next_closed = NULL;
	*closed_tail = a;
	closed_tail = &a->next_closed;
}

void
atomic_publish(void)
{
	struct atomic *a;

	/* every file is checked by now: only renames are left */
	while ((a = closed) != NULL) {
		closed = a->next_closed;
		if (closed == NULL)
			closed_tail = &closed;
		publish_one(a);
	}
}

void
atomic_commit(struct atomic *a)
{
	check_close(a);
	if (a->tmp == NULL)
		release(a);
	else
		publish_one(a);
}

struct atomic *
atomic_dir(const char *dir)
{
	struct atomic *a = ecalloc(1, sizeof *a);
	size_t n = strlen(dir) + 32;

	a->isdir = 1;
	a->path = estrdup(dir);
	a->tmp = emalloc(n);
	snprintf(a->tmp, n, "%s.tmp.%ld", dir, (long)getpid());
	remove_tree(a->tmp);
	if (mkdir(a->tmp, 0755) != 0)
		die(EXIT_IO, "%s: cannot create: %s", a->tmp, strerror(errno));
	track(a);
	return a;
}

const char *
atomic_dir_path(struct atomic *a)
{
	return a->tmp;
}
