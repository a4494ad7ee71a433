/*
 * alf-ingest: source exports → records.csv (CONTRACTS "records.csv").
 *
 * This reads canonical records (the records columns, without src) and
 * checks every value; each row is written with its src, FILE:LINE, or
 * rejected with the reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "money.h"
#include "ref.h"
#include "stage.h"

enum { F_STREAM, F_PERSON, F_PROVIDER, F_HOST, F_UNIT, F_CATEGORY,
    F_UNIVERSITY, F_START, F_END, F_PERIOD, F_EXTENT, F_QTY, F_UOM,
    F_SALARY, NFIELDS };

static const char *const columns[NFIELDS + 1] = { "stream", "person",
    "provider_name", "host_name", "unit", "category", "university", "start",
    "end", "period", "extent", "qty", "uom", "salary", "src" };

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-ingest [--year YYYY] [-o FILE] [--rejects FILE] "
	    "[--quiet] [FILE...]\n"
	    "Check canonical records and write records.csv with src.\n");
	exit(code);
}

static int
is_pseudonym(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 20;
}

/* Check one row; on failure set *col and return the reason. */
static const char *
check(const char *v[], const struct table *streams, int year,
    const char **col, const char **val)
{
	long a, b;
	struct period p;
	rat x;
	ore_t o;

	*val = NULL;
	if (*(*col = "stream", *val = v[F_STREAM]) == '\0')
		return "empty";
	if (table_get(streams, v[F_STREAM]) == NULL)
		return "not a stream of streams.csv";
	*val = NULL;
	if (*v[F_PERSON] != '\0' && !is_pseudonym(v[F_PERSON])) {
		*col = "person";
		return "not a pseudonym (20 hex digits)";
	}
	if (*(*col = "provider_name", v[F_PROVIDER]) == '\0')
		return "empty";
	*val = v[F_START];
	if (*v[F_START] != '\0' && date_parse(v[F_START], &a) < 0)
		return (*col = "start", "not a date YYYY-MM-DD");
	*val = v[F_END];
	if (*v[F_END] != '\0' && date_parse(v[F_END], &b) < 0)
		return (*col = "end", "not a date YYYY-MM-DD");
	if ((*v[F_START] == '\0') != (*v[F_END] == '\0'))
		return (*col = *v[F_START] ? "end" : "start", "empty");
	if (*v[F_START] != '\0' && b < a)
		return (*col = "end", "before start");
	*val = v[F_PERIOD];
	if (*v[F_PERIOD] != '\0' && (period_parse(v[F_PERIOD], &p) < 0 ||
	    p.kind == PERIOD_MONTH))
		return (*col = "period", "not YYYY, YYYY-H1 or YYYY-H2");
	if (year != 0 && *v[F_PERIOD] != '\0' && p.year != year)
		return (*col = "period", "outside the year");
	*val = NULL;
	if (*v[F_START] == '\0' && *v[F_PERIOD] == '\0')
		return (*col = "period", "no dates and no period");
	*val = v[F_EXTENT];
	if (*v[F_EXTENT] != '\0' && (money_parse(v[F_EXTENT], &o) < 0 ||
	    o <= 0 || o > 10000))
		return (*col = "extent", "not a percentage in (0, 100]");
	*val = v[F_QTY];
	if (*v[F_QTY] != '\0' && rat_parse(v[F_QTY], 0, &x) < 0)
		return (*col = "qty", "not a number");
	if (*v[F_QTY] != '\0' && rat_sign(x) < 0)
		return (*col = "qty", "negative");
	*val = v[F_SALARY];
	if (*v[F_SALARY] != '\0' && (money_parse(v[F_SALARY], &o) < 0 || o < 0))
		return (*col = "salary", "not an amount in kronor");
	*val = NULL;
	return NULL;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "year", required_argument, NULL, 'y' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	const char *outpath = NULL, *stdin_only[] = { "-" }, **files;
	const char *v[NFIELDS + 1], *col, *val, *why;
	struct table *streams;
	struct atomic *out;
	struct csvr *r;
	char src[1024];
	int ch, nfiles, i, f, idx[NFIELDS], year = 0;
	FILE *fp;

	err_init("alf-ingest");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outpath = optarg;
			break;
		case 'r':
			st.rejects_path = optarg;
			break;
		case 'y':
			if ((year = atoi(optarg)) < 1000 || year > 9999)
				die(EXIT_USAGE, "--year: not a year (%s)", optarg);
			break;
		case 'q':
			st.quiet = 1;
			break;
		case 'h':
			usage(EXIT_OK);
			break;
		case 'V':
			print_version();
			return EXIT_OK;
		default:
			usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	files = argc > 0 ? (const char **)argv : stdin_only;
	nfiles = argc > 0 ? argc : 1;

	streams = streams_load();
	out = atomic_open(outpath);
	fp = atomic_fp(out);
	csvw_row(fp, columns, NFIELDS + 1);
	for (f = 0; f < nfiles; f++) {
		r = csvr_open(files[f], 0);
		for (i = 0; i < NFIELDS; i++)
			idx[i] = csvr_col(r, columns[i]);
		csvr_require(r, "stream");
		csvr_require(r, "provider_name");
		while (csvr_next(r)) {
			st.read++;
			if (csvr_bad(r)) {
				stage_reject(&st, r, NULL, NULL, NULL,
				    "malformed quoting");
				continue;
			}
			if (csvr_nfields(r) != csvr_ncols(r)) {
				stage_reject(&st, r, NULL, NULL, NULL,
				    "expected %d fields, found %d",
				    csvr_ncols(r), csvr_nfields(r));
				continue;
			}
			for (i = 0; i < NFIELDS; i++)
				v[i] = csvr_field(r, idx[i]);
			if ((why = check(v, streams, year, &col, &val)) != NULL) {
				stage_reject(&st, r, col, val, NULL, "%s", why);
				continue;
			}
			snprintf(src, sizeof src, "%s:%ld", csvr_name(r),
			    csvr_line(r));
			v[NFIELDS] = src;
			csvw_row(fp, v, NFIELDS + 1);
			st.accepted++;
			st.written++;
		}
		csvr_close(r);
	}
	atomic_commit(out);
	return stage_finish(&st);
}
