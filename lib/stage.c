/* stage: counting, rejects and the summary line shared by the five programs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "err.h"
#include "pnr.h"
#include "stage.h"

static void
rejects_open(struct stage *s, const struct csvr *r)
{
	FILE *fp;
	int i;

	s->rej = atomic_open(s->rejects_path);
	fp = atomic_fp(s->rej);
	s->rej_ncols = csvr_ncols(r);
	s->rej_cols = emalloc(s->rej_ncols * sizeof *s->rej_cols);
	for (i = 0; i < s->rej_ncols; i++) {
		s->rej_cols[i] = estrdup(csvr_colname(r, i));
		csvw_field(fp, s->rej_cols[i], i == 0);
	}
	csvw_field(fp, "reject_reason", s->rej_ncols == 0);
	csvw_field(fp, "reject_src", 0);
	csvw_end(fp);
}

void
stage_reject(struct stage *s, const struct csvr *r, const char *col,
    const char *value, const char *const *override, const char *fmt, ...)
{
	char reason[512], src[1024];
	va_list ap;
	FILE *fp;
	int i, c;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (value != NULL) {
		size_t n = strlen(reason);
		snprintf(reason + n, sizeof reason - n, " (%s)", value);
	}
	s->rejected++;
	diag(csvr_name(r), csvr_line(r), col, "%s", reason);
	if (s->rejects_path == NULL)
		return;
	if (s->rej == NULL)
		rejects_open(s, r);
	fp = atomic_fp(s->rej);
	for (i = 0; i < s->rej_ncols; i++) {
		/* the first file's header rules; later files map by name */
		c = strcmp(csvr_colname(r, i), s->rej_cols[i]) == 0 ? i :
		    csvr_col(r, s->rej_cols[i]);
		csvw_field(fp, override != NULL && c >= 0 && override[c] != NULL ?
		    override[c] : csvr_field(r, c), i == 0);
	}
	csvw_field(fp, reason, s->rej_ncols == 0);
	csvr_where(r, src, sizeof src);
	csvw_field(fp, src, 0);
	csvw_end(fp);
}

void
stage_reject_masked(struct stage *s, const struct csvr *r, int person,
    const char *col, const char *value, const char *fmt, ...)
{
	char reason[512];
	int n = csvr_nfields(r) > csvr_ncols(r) ? csvr_nfields(r) :
	    csvr_ncols(r), i;
	const char **ov = ecalloc(n > 0 ? n : 1, sizeof *ov);
	const char *f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++) {
		f = csvr_field(r, i);
		if (pnr_like(f) || (i == person && !pnr_is_pseudonym(f)))
			ov[i] = "";
	}
	if (value != NULL && pnr_like(value))
		value = NULL;
	stage_reject(s, r, col, value, ov, "%s", reason);
	free(ov);
}

int
stage_option(struct stage *s, int ch, const char *arg, void (*usage)(int))
{
	switch (ch) {
	case 'o':
		s->output = arg;
		return 1;
	case 'r':
		s->rejects_path = arg;
		return 1;
	case 'q':
		s->quiet = 1;
		return 1;
	case 'L':
		csvr_set_stdin_name(arg);
		return 1;
	case 'h':
		usage(EXIT_OK);
		return 1;
	case 'V':
		print_version();
		exit(EXIT_OK);
	case 'B':
		print_build();
		exit(EXIT_OK);
	}
	return 0;
}

const char **
stage_inputs(int argc, char **argv, int *n)
{
	static const char *stdin_only[] = { "-" };

	*n = argc > 0 ? argc : 1;
	return argc > 0 ? (const char **)argv : stdin_only;
}

int
stage_finish(struct stage *s)
{
	int i;

	if (s->rejects_path != NULL && s->rej == NULL) {
		/* an empty reject file says "none", which a cron job can test */
		s->rej = atomic_open(s->rejects_path);
		fputs("reject_reason,reject_src\n", atomic_fp(s->rej));
	}
	if (s->rej != NULL)
		atomic_close(s->rej);
	s->rej = NULL;
	/* every output is checked: now, and only now, publish them all */
	atomic_publish();
	for (i = 0; i < s->rej_ncols; i++)
		free(s->rej_cols[i]);
	free(s->rej_cols);
	if (!s->quiet)
		fprintf(stderr, "%s: %ld read, %ld accepted, %ld rejected, "
		    "%ld merged; %ld written\n", progname, s->read, s->accepted,
		    s->rejected, s->merged, s->written);
	return s->rejected > 0 || s->failed ? EXIT_REJECTS : EXIT_OK;
}
