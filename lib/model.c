/* model: run jq on the model and read what it prints. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "model.h"
#include "ref.h"

extern char **environ;

/* a bare name is a model in the data directory's models/ */
static char *
model_path(const char *model)
{
	char buf[512];

	if (strchr(model, '/') != NULL)
		return estrdup(model);
	snprintf(buf, sizeof buf, "models/%s%s", model,
	    strstr(model, ".json") != NULL ? "" : ".json");
	return datadir_join(buf);
}

/*
 * jq failed: model.jq's own message (PROG: FILE: ...) is passed on as it
 * is; anything else jq said (a JSON parse error names no file) or its
 * silence becomes a message naming the model.
 */
static void
jq_failed(const char *modelpath, int status, FILE *errfp)
{
	size_t plen = strlen(progname), cap = 0, lcap = 0;
	char *msg = NULL, *l = NULL;
	ssize_t len;
	FILE *mem;

	if (WIFSIGNALED(status))
		die(EXIT_IO, "%s: jq killed by signal %d", modelpath,
		    WTERMSIG(status));
	if (errfp == NULL)
		die(EXIT_USAGE, "%s: not a valid model (jq exited %d)",
		    modelpath, WEXITSTATUS(status));
	/* jq's lines joined into one diagnostic */
	if ((mem = open_memstream(&msg, &cap)) == NULL)
		die(EXIT_IO, "out of memory");
	rewind(errfp);
	while ((len = getline(&l, &lcap, errfp)) > 0) {
		while (len > 0 && (l[len - 1] == '\n' || l[len - 1] == '\r'))
			l[--len] = '\0';
		if (len > 0)
			fprintf(mem, "%s%s", ftell(mem) > 0 ? "; " : "", l);
	}
	free(l);
	fclose(mem);
	fclose(errfp);
	if (strncmp(msg, progname, plen) == 0 && msg[plen] == ':') {
		/* model.jq has said what is wrong */
		fprintf(stderr, "%s\n", msg);
		exit(EXIT_USAGE);
	}
	if (*msg == '\0')
		die(EXIT_USAGE, "%s: jq exited %d without a message (not a "
		    "model file?)", modelpath, WEXITSTATUS(status));
	die(EXIT_USAGE, "%s: not a valid model: jq: %s", modelpath, msg);
}

/*
 * ALF_MODEL_CACHE, when set, is a directory where model.jq's output is
 * kept under the SHA-256 of everything it is made from: model.jq,
 * streams.csv and the model as bytes, and the model's path (the program's
 * name, jq's other argument, is in model.jq's messages only, and an
 * output with a message is never kept).  A run of make has a dozen programs read
 * one model, and jq's start and model.jq's checks are 0.07 s each (issue
 * 15 "National scale benchmark": seven regions pay it a hundred times);
 * with the cache the first pays.  A key names its inputs' bytes, so an
 * entry is never that of another model; only an output jq gave with exit
 * 0 and not a word on its standard error is kept, and it is published
 * by rename, whole or not at all.  Without the variable, jq runs.
 */
static int
hash_file(EVP_MD_CTX *md, const char *path)
{
	char chunk[8192];
	size_t n, total = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		EVP_DigestUpdate(md, chunk, n);
		total += n;
	}
	n = ferror(fp);
	fclose(fp);
	/* the length too: the files' bytes cannot run into each other */
	EVP_DigestUpdate(md, &total, sizeof total);
	return n ? -1 : 0;
}

static char *
cache_path(const char *prog, const char *streams, const char *modelpath)
{
	const char *dir = getenv("ALF_MODEL_CACHE");
	unsigned char dig[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1], *path;
	unsigned int n, i;
	EVP_MD_CTX *md;
	int bad;

	if (dir == NULL || *dir == '\0' || (md = EVP_MD_CTX_new()) == NULL)
		return NULL;
	bad = EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    hash_file(md, prog) < 0 || hash_file(md, streams) < 0 ||
	    hash_file(md, modelpath) < 0 ||
	    EVP_DigestUpdate(md, modelpath, strlen(modelpath) + 1) != 1 ||
	    EVP_DigestFinal_ex(md, dig, &n) != 1;
	EVP_MD_CTX_free(md);
	if (bad)
		return NULL;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	path = emalloc(strlen(dir) + 2 * n + 16);
	sprintf(path, "%s/%s.model", dir, hex);
	return path;
}

/* a cached output, or NULL */
static char *
cache_read(const char *path, size_t *outlen)
{
	FILE *fp, *mem;
	char *buf = NULL, chunk[8192];
	size_t len = 0, n;
	int bad;

	if (path == NULL || (fp = fopen(path, "r")) == NULL)
		return NULL;
	if ((mem = open_memstream(&buf, &len)) == NULL)
		die(EXIT_IO, "out of memory");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fwrite(chunk, 1, n, mem);
	bad = ferror(fp);
	fclose(fp);
	fclose(mem);
	if (bad || len == 0) {
		free(buf);
		return NULL;
	}
	*outlen = len;
	return buf;
}

/* keep an output; a cache that cannot be written is no error */
static void
cache_write(const char *path, const char *buf, size_t len)
{
	char *tmp;
	FILE *fp;
	int fd, bad;

	if (path == NULL)
		return;
	tmp = emalloc(strlen(path) + 8);
	sprintf(tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		return;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return;
	}
	bad = fwrite(buf, 1, len, fp) != len;
	bad = fclose(fp) != 0 || bad;
	if (bad || rename(tmp, path) != 0)
		unlink(tmp);
	free(tmp);
}

/* jq's whole output (mode all: model_part), once jq has exited 0 */
static char *
run_jq(const char *model, size_t *outlen)
{
	char *prog = datadir_file("model.jq");
	char *streams = datadir_file("streams.csv");
	char *modelpath = model_path(model);
	char *argv[] = { "jq", "-r", "-f", prog, "--arg", "mode", "all",
	    "--arg", "prog", (char *)progname, "--arg", "file", modelpath,
	    "--rawfile", "streams", streams, modelpath, NULL };
	posix_spawn_file_actions_t fa;
	int fd[2], status;
	pid_t pid;
	char *buf = NULL, chunk[8192], *cache;
	size_t len = 0;
	ssize_t n;
	FILE *mem, *errfp;
	struct stat st;
	int warned;

	if (access(modelpath, R_OK) != 0)
		die(EXIT_USAGE, "%s: cannot read model: %s", modelpath,
		    strerror(errno));
	/* jq 1.6 exits 2 without a word on a directory */
	if (stat(modelpath, &st) == 0 && S_ISDIR(st.st_mode))
		die(EXIT_USAGE, "%s: not a model file: %s", modelpath,
		    strerror(EISDIR));
	cache = cache_path(prog, streams, modelpath);
	if ((buf = cache_read(cache, &len)) != NULL) {
		free(cache);
		free(prog);
		free(streams);
		free(modelpath);
		*outlen = len;
		return buf;
	}
	if (pipe(fd) != 0)
		die(EXIT_IO, "pipe: %s", strerror(errno));
	/* jq's complaints are kept, to be said with the model's name (without
	 * a temporary file jq speaks for itself) */
	errfp = tmpfile();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	if (errfp != NULL)
		posix_spawn_file_actions_adddup2(&fa, fileno(errfp), 2);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	if ((errno = posix_spawnp(&pid, "jq", &fa, NULL, argv, environ)) != 0)
		die(EXIT_IO, "cannot run jq: %s", strerror(errno));
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if ((mem = open_memstream(&buf, &len)) == NULL)
		die(EXIT_IO, "out of memory");
	while ((n = read(fd[0], chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(EXIT_IO, "reading jq: %s", strerror(errno));
		}
		fwrite(chunk, 1, (size_t)n, mem);
	}
	close(fd[0]);
	fclose(mem);
	if (waitpid(pid, &status, 0) < 0)
		die(EXIT_IO, "waiting for jq: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		jq_failed(modelpath, status, errfp);
	warned = errfp == NULL;
	if (errfp != NULL) {
		/* a warning of a jq that succeeded is still said */
		rewind(errfp);
		while ((n = (ssize_t)fread(chunk, 1, sizeof chunk, errfp)) > 0) {
			fwrite(chunk, 1, (size_t)n, stderr);
			warned = 1;
		}
		fclose(errfp);
	}
	if (len == 0)
		/* jq reads an empty file as no input at all */
		die(EXIT_USAGE, "%s: not a model file (empty)", modelpath);
	if (!warned)
		cache_write(cache, buf, len);
	free(cache);
	free(prog);
	free(streams);
	free(modelpath);
	*outlen = len;
	return buf;
}

/*
 * Every program reads both the meta and the rules: one jq run gives
 * both (mode all; its start and the checks are most of its 0.1 s, which a
 * national run pays a hundred times).  Kept until exit.
 */
static struct {
	char	*model;
	char	*buf;
	size_t	 len, split;	/* the rules start at split */
} jq_out;

static FILE *
model_part(const char *model, int rules)
{
	char *sep;
	FILE *fp;

	if (jq_out.model == NULL || strcmp(jq_out.model, model) != 0) {
		free(jq_out.model);
		free(jq_out.buf);
		jq_out.buf = run_jq(model, &jq_out.len);
		jq_out.model = estrdup(model);
		if ((sep = memmem(jq_out.buf, jq_out.len, "\n\x1d\n", 3)) ==
		    NULL)
			die(EXIT_IO, "%s: model.jq printed no rules", model);
		jq_out.split = (size_t)(sep - jq_out.buf) + 3;
	}
	fp = rules ? fmemopen(jq_out.buf + jq_out.split, jq_out.len -
	    jq_out.split, "r") : fmemopen(jq_out.buf, jq_out.split - 2, "r");
	if (fp == NULL)
		die(EXIT_IO, "model: empty output from jq");
	return fp;
}

struct csvr *
model_rules(const char *model)
{
	return csvr_open_fp(model_part(model, 1), "rules", ',');
}

static char *
meta_key(const char *section, const char *key, const char *field)
{
	size_t n = strlen(section) + strlen(key) + strlen(field) + 3;
	char *k = emalloc(n);

	snprintf(k, n, "%s\x1f%s\x1f%s", section, key, field);
	return k;
}

struct table *
model_meta(const char *model)
{
	struct csvr *r = csvr_open_fp(model_part(model, 0), "meta", ',');
	struct table *t = table_new();
	int cs = csvr_require(r, "section"), ck = csvr_require(r, "key");
	int cf = csvr_require(r, "field"), cv = csvr_require(r, "value");
	char *k;

	while (csvr_next(r)) {
		k = meta_key(csvr_field(r, cs), csvr_field(r, ck),
		    csvr_field(r, cf));
		*table_slot(t, k, NULL) = estrdup(csvr_field(r, cv));
		free(k);
	}
	csvr_close(r);
	return t;
}

const char *
meta_get(const struct table *m, const char *section, const char *key,
    const char *field)
{
	char *k = meta_key(section, key, field);
	const char *v = table_get(m, k);

	free(k);
	return v;
}

const char *
meta_need(const struct table *m, const char *model, const char *section,
    const char *key, const char *field)
{
	const char *v = meta_get(m, section, key, field);

	if (v == NULL || *v == '\0')
		die(EXIT_USAGE, "%s: %s%s%s.%s: missing", model, section,
		    *key ? "." : "", key, field);
	return v;
}
