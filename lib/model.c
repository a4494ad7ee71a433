/* model: run jq on the model and read what it prints. */
#include <errno.h>
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
	char *buf = NULL, chunk[8192];
	size_t len = 0;
	ssize_t n;
	FILE *mem, *errfp;
	struct stat st;

	if (access(modelpath, R_OK) != 0)
		die(EXIT_USAGE, "%s: cannot read model: %s", modelpath,
		    strerror(errno));
	/* jq 1.6 exits 2 without a word on a directory */
	if (stat(modelpath, &st) == 0 && S_ISDIR(st.st_mode))
		die(EXIT_USAGE, "%s: not a model file: %s", modelpath,
		    strerror(EISDIR));
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
	if (errfp != NULL) {
		/* a warning of a jq that succeeded is still said */
		rewind(errfp);
		while ((n = (ssize_t)fread(chunk, 1, sizeof chunk, errfp)) > 0)
			fwrite(chunk, 1, (size_t)n, stderr);
		fclose(errfp);
	}
	if (len == 0)
		/* jq reads an empty file as no input at all */
		die(EXIT_USAGE, "%s: not a model file (empty)", modelpath);
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
