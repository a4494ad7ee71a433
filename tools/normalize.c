/*
 * alf-normalize: records.csv → activities.csv (CONTRACTS "activities.csv").
 *
 * Names become provider ids, stretches of dates become quantities per
 * half-year (weeks, days) or per calendar month (months), and overlapping
 * duplicates are merged or rejected.  Rows are written in input order, so
 * the program streams; only the duplicate index grows with the input.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "money.h"
#include "pnr.h"
#include "ref.h"
#include "stage.h"

enum { R_STREAM, R_PERSON, R_PROVIDER, R_HOST, R_UNIT, R_CATEGORY,
    R_UNIVERSITY, R_START, R_END, R_PERIOD, R_EXTENT, R_QTY, R_UOM,
    R_SALARY, R_SRC, NREC };

static const char *const rec_cols[NREC] = { "stream", "person",
    "provider_name", "host_name", "unit", "category", "university", "start",
    "end", "period", "extent", "qty", "uom", "salary", "src" };

enum { A_ID, A_YEAR, A_PERIOD, A_PROVIDER, A_HOST, A_UNIT, A_CATEGORY,
    A_UNIVERSITY, A_PERSON, A_SALARY, A_STREAM, A_QTY, A_UOM, A_SRC, NACT };

static const char *const act_cols[NACT] = { "id", "year", "period",
    "provider", "host", "unit", "category", "university", "person", "salary",
    "stream", "qty", "uom", "src" };

/*
 * The duplicate index (CONTRACTS: at most 32 bytes per row): a 20-byte
 * entry per row, kept in fixed chunks so the array never holds more than
 * one spare chunk, plus 4-byte bucket heads, at most two per row.  Dates
 * are days into the budget year (a stretch outside it was rejected or
 * clipped before).  Only hashes are kept; a collision between different
 * keys could only make a row look like a duplicate when its dates also
 * overlap and its fields hash alike.
 */
struct dupent {
	uint32_t key_lo, key_hi;	/* person, stream, provider */
	uint32_t fields;		/* every other field */
	uint32_t next;			/* index + 1 of the next in the bucket */
	uint16_t start, end;
};
_Static_assert(sizeof(struct dupent) == 20, "duplicate index: 20 bytes");

#define DUP_CHUNK	4096

struct dupidx {
	struct dupent	**chunk;
	size_t		  n, nchunk;
	uint32_t	 *head;
	size_t		  nhead;
};

static struct dupent *
dup_at(const struct dupidx *d, size_t i)
{
	return &d->chunk[i / DUP_CHUNK][i % DUP_CHUNK];
}

/* one output piece of a record: a period and its quantity */
struct piece {
	struct period	p;
	rat		qty;
};

/* CONTRACTS "activities.csv": the units a quantity may have */
static int
valid_uom(const char *u)
{
	static const char *const uoms[] = { "weeks", "days", "months", "hap",
	    "hst", "score", "kr" };
	size_t i;

	for (i = 0; i < sizeof uoms / sizeof uoms[0]; i++)
		if (strcmp(u, uoms[i]) == 0)
			return 1;
	return 0;
}

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: alf-normalize --providers FILE --year YYYY [--clip] "
	    "[-o FILE] [--rejects FILE] [--quiet] [FILE...]\n"
	    "Resolve providers, turn dates into weeks, days and months.\n");
	exit(code);
}

static uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0xff;		/* field separator */
	return h * 1099511628211ULL;
}

static void
dup_rehash(struct dupidx *d)
{
	size_t i, b;
	struct dupent *e;

	free(d->head);
	d->nhead = d->nhead ? d->nhead * 2 : 1024;
	d->head = ecalloc(d->nhead, sizeof *d->head);
	for (i = 0; i < d->n; i++) {
		e = dup_at(d, i);
		b = e->key_lo & (d->nhead - 1);
		e->next = d->head[b];
		d->head[b] = (uint32_t)(i + 1);
	}
}

/* 0 new, 1 an identical earlier row (merge), 2 a conflicting one */
static int
dup_check(struct dupidx *d, uint64_t key, long start, long end,
    uint32_t fields)
{
	uint32_t i, lo = (uint32_t)key, hi = (uint32_t)(key >> 32);
	struct dupent *e;
	size_t b;

	if (d->nhead == 0)
		dup_rehash(d);
	for (i = d->head[lo & (d->nhead - 1)]; i != 0; i = e->next) {
		e = dup_at(d, i - 1);
		if (e->key_lo == lo && e->key_hi == hi && e->start <= end &&
		    start <= e->end)
			return e->fields == fields && e->start == start &&
			    e->end == end ? 1 : 2;
	}
	if (d->n == d->nchunk * DUP_CHUNK) {
		d->chunk = erealloc(d->chunk, (d->nchunk + 1) *
		    sizeof *d->chunk);
		d->chunk[d->nchunk++] = emalloc(DUP_CHUNK * sizeof **d->chunk);
	}
	e = dup_at(d, d->n++);
	e->key_lo = lo;
	e->key_hi = hi;
	e->start = (uint16_t)start;
	e->end = (uint16_t)end;
	e->fields = fields;
	b = lo & (d->nhead - 1);
	e->next = d->head[b];
	d->head[b] = (uint32_t)d->n;
	if (d->n > d->nhead)
		dup_rehash(d);
	return 0;
}

static void
dup_free(struct dupidx *d)
{
	size_t i;

	for (i = 0; i < d->nchunk; i++)
		free(d->chunk[i]);
	free(d->chunk);
	free(d->head);
}

/* weeks = weekdays / 5 × extent / 100, per half-year (CONTRACTS) */
static int
split_halves(long a, long b, rat extent, int days, struct piece *out)
{
	int y, m, d, n = 0;
	long mid, lo, hi;

	while (a <= b) {
		date_ymd(a, &y, &m, &d);
		mid = date_from_ymd(y, m <= 6 ? 6 : 12, m <= 6 ? 30 : 31);
		lo = a;
		hi = b < mid ? b : mid;
		out[n].p.year = y;
		out[n].p.kind = PERIOD_HALF;
		out[n].p.n = m <= 6 ? 1 : 2;
		out[n].qty = rat_mul(rat_make(weekdays_between(lo, hi),
		    days ? 1 : 5), rat_mul(extent, rat_make(1, 100)));
		n++;
		a = hi + 1;
		if (n == 8)
			break;
	}
	return n;
}

/* per calendar month: covered / days in month × extent / 100, 4 decimals */
static int
split_months(long a, long b, rat extent, struct piece *out, int max)
{
	int y, m, d, n = 0;
	long last, hi;
	rat q;

	while (a <= b && n < max) {
		date_ymd(a, &y, &m, &d);
		last = date_from_ymd(y, m, days_in_month(y, m));
		hi = b < last ? b : last;
		q = rat_mul(rat_make(hi - a + 1, days_in_month(y, m)),
		    rat_mul(extent, rat_make(1, 100)));
		out[n].p.year = y;
		out[n].p.kind = PERIOD_MONTH;
		out[n].p.n = m;
		out[n].qty = rat_make(rat_round_units(q, rat_make(1, 10000)),
		    10000);
		n++;
		a = hi + 1;
	}
	return n;
}

/*
 * Reject the current row.  Records hold pseudonyms only, but a region's
 * own adapter may let a personal identity number through: a field that
 * looks like one is written empty and never echoed (issue 11 "Nothing
 * lost, nothing leaked").
 */
static void __attribute__((format(printf, 5, 6)))
reject(struct stage *st, const struct csvr *r, const char *col,
    const char *val, const char *fmt, ...)
{
	char reason[512];
	const char **ov;
	int i, n = csvr_nfields(r) > csvr_ncols(r) ? csvr_nfields(r) :
	    csvr_ncols(r);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	ov = ecalloc(n + 1, sizeof *ov);
	for (i = 0; i < n; i++)
		if (pnr_like(csvr_field(r, i)))
			ov[i] = "";
	if (val != NULL && pnr_like(val))
		val = NULL;
	stage_reject(st, r, col, val, ov, "%s", reason);
	free(ov);
}

/* the first field that may be a personal identity number, or -1 */
static int
leaked_pnr(const char *const v[NREC])
{
	int i;

	if (*v[R_PERSON] != '\0' && !pnr_is_pseudonym(v[R_PERSON]))
		return R_PERSON;
	for (i = 0; i < NREC; i++)
		if (pnr_like(v[i]))
			return i;
	return -1;
}

/* a records file with its columns found; a missing required one dies */
static struct csvr *
records_open(const char *file, int idx[NREC])
{
	struct csvr *r = csvr_open(file, ',');
	int i;

	for (i = 0; i < NREC; i++)
		idx[i] = csvr_col(r, rec_cols[i]);
	csvr_require(r, "stream");
	csvr_require(r, "provider_name");
	csvr_require(r, "src");
	return r;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "providers", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "clip", no_argument, NULL, 'c' },
		STAGE_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	struct dupidx dups = { 0 };
	const char *outpath = NULL, *provpath = NULL;
	const char **files, *v[NREC], *w[NACT], *uom;
	struct providers *provs;
	struct provider *prov, *host;
	struct table *streams;
	struct atomic *out;
	struct csvr *r;
	struct piece pieces[400];
	struct period pp;
	char id[1100], per[PERIOD_LEN], qbuf[RAT_FMTLEN];
	char hint[256], ysrc[1024];
	int ch, nfiles, f, i, n, idx[NREC], year = 0, clip = 0, days;
	long a, b, ylo, yhi;
	rat extent, qty;
	uint64_t key;
	uint32_t fh;
	FILE *fp;

	err_init("alf-normalize");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			provpath = optarg;
			break;
		case 'y':
			if ((year = atoi(optarg)) < 1000 || year > 9999)
				die(EXIT_USAGE, "--year: not a year (%s)", optarg);
			break;
		case 'c':
			clip = 1;
			break;
		default:
			if (!stage_option(&st, ch, optarg, usage))
				usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	outpath = st.output;
	if (provpath == NULL)
		die(EXIT_USAGE, "--providers FILE is required");
	if (year == 0)
		die(EXIT_USAGE, "--year YYYY is required");
	files = stage_inputs(argc, argv, &nfiles);
	ylo = date_from_ymd(year, 1, 1);
	yhi = date_from_ymd(year, 12, 31);

	streams = streams_load();
	provs = providers_load(provpath);
	/*
	 * Every header before the first byte out: exit 2 writes nothing, not
	 * even to standard output (CONTRACTS "Every program").  Standard
	 * input can be read once only, so it is checked when its turn comes.
	 */
	for (f = 1; f < nfiles; f++)
		if (strcmp(files[f], "-") != 0)
			csvr_close(records_open(files[f], idx));
	r = records_open(files[0], idx);
	out = atomic_open(outpath);
	fp = atomic_fp(out);
	csvw_row(fp, act_cols, NACT);
	for (f = 0; f < nfiles; f++) {
		if (f > 0)
			r = records_open(files[f], idx);
		while (csvr_next(r)) {
			st.read++;
			if (csvr_bad(r)) {
				reject(&st, r, NULL, NULL,
				    "malformed quoting");
				continue;
			}
			if (csvr_nfields(r) != csvr_ncols(r)) {
				reject(&st, r, NULL, NULL,
				    "expected %d fields, found %d",
				    csvr_ncols(r), csvr_nfields(r));
				continue;
			}
			for (i = 0; i < NREC; i++)
				v[i] = csvr_field(r, idx[i]);
			if ((i = leaked_pnr(v)) >= 0) {
				reject(&st, r, rec_cols[i], NULL, i == R_PERSON ?
				    "not a pseudonym (20 hex digits)" :
				    "looks like a personal identity number; "
				    "records hold pseudonyms only");
				continue;
			}
			if ((uom = table_get(streams, v[R_STREAM])) == NULL) {
				reject(&st, r, "stream", v[R_STREAM],
				    "not a stream of streams.csv");
				continue;
			}
			if ((prov = provider_lookup(provs, v[R_PROVIDER])) == NULL) {
				reject(&st, r, "provider_name", v[R_PROVIDER],
				    "unknown provider; %s", provider_suggest(
				    provs, v[R_PROVIDER], hint, sizeof hint));
				continue;
			}
			host = NULL;
			if (*v[R_HOST] != '\0' &&
			    (host = provider_lookup(provs, v[R_HOST])) == NULL) {
				reject(&st, r, "host_name", v[R_HOST],
				    "unknown provider; %s", provider_suggest(
				    provs, v[R_HOST], hint, sizeof hint));
				continue;
			}
			if (host == prov)
				host = NULL;
			/* CONTRACTS records.csv: 0 < extent <= 100, two decimals */
			extent = rat_int(100);
			if (*v[R_EXTENT] != '\0' &&
			    (rat_parse(v[R_EXTENT], 0, &extent) < 0 ||
			    rat_sign(extent) <= 0 ||
			    rat_cmp(extent, rat_int(100)) > 0 ||
			    rat_mul(extent, rat_int(100)).d != 1)) {
				reject(&st, r, "extent", v[R_EXTENT],
				    "not a percentage in (0, 100]");
				continue;
			}
			n = 0;
			if (*v[R_QTY] != '\0') {
				/* a quantity given by the source: one row */
				if (rat_parse(v[R_QTY], 0, &qty) < 0 ||
				    rat_sign(qty) < 0) {
					reject(&st, r, "qty", v[R_QTY],
					    "not a quantity >= 0");
					continue;
				}
				if (*v[R_PERIOD] != '\0') {
					if (period_parse(v[R_PERIOD], &pp) < 0) {
						reject(&st, r, "period",
						    v[R_PERIOD],
						    "not a period");
						continue;
					}
				} else if (date_parse(v[R_START], &a) == 0) {
					int y, m, d;

					date_ymd(a, &y, &m, &d);
					pp.year = y;
					pp.kind = PERIOD_HALF;
					pp.n = m <= 6 ? 1 : 2;
				} else {
					reject(&st, r, "period", NULL,
					    "a quantity needs a period or dates");
					continue;
				}
				if (pp.year != year) {
					reject(&st, r, "period", v[R_PERIOD],
					    "outside the budget year %d",
					    year);
					continue;
				}
				if (*v[R_UOM] != '\0') {
					if (!valid_uom(v[R_UOM])) {
						reject(&st, r, "uom",
						    v[R_UOM], "not a unit"
						    " of activities.csv");
						continue;
					}
					uom = v[R_UOM];
				}
				pieces[0].p = pp;
				pieces[0].qty = qty;
				n = 1;
			} else if (*v[R_START] != '\0' || *v[R_END] != '\0') {
				if (date_parse(v[R_START], &a) < 0) {
					reject(&st, r, "start", v[R_START],
					    "not a date YYYY-MM-DD");
					continue;
				}
				if (date_parse(v[R_END], &b) < 0) {
					reject(&st, r, "end", v[R_END],
					    "not a date YYYY-MM-DD");
					continue;
				}
				if (b < a) {
					reject(&st, r, "end", v[R_END],
					    "before start %s", v[R_START]);
					continue;
				}
				if (a < ylo || b > yhi) {
					if (!clip || b < ylo || a > yhi) {
						reject(&st, r, a < ylo ?
						    "start" : "end", a < ylo ?
						    v[R_START] : v[R_END],
						    "outside the budget year %d%s",
						    year, clip ? "" :
						    " (--clip cuts it to the year)");
						continue;
					}
					a = a < ylo ? ylo : a;
					b = b > yhi ? yhi : b;
				}
				days = strcmp(uom, "days") == 0;
				if (strcmp(uom, "months") == 0)
					n = split_months(a, b, extent, pieces, 12);
				else if (days || strcmp(uom, "weeks") == 0)
					n = split_halves(a, b, extent, days,
					    pieces);
				else {
					reject(&st, r, "qty", NULL,
					    "stream %s counts %s: give a "
					    "quantity, not dates", v[R_STREAM],
					    uom);
					continue;
				}
				if (*v[R_PERSON] != '\0') {
					key = hash_str(hash_str(hash_str(
					    1469598103934665603ULL, v[R_PERSON]),
					    v[R_STREAM]), prov->id);
					fh = 0;
					{
						uint64_t h = 1469598103934665603ULL;

						/* identical as resolved: SOS and
						 * Södersjukhuset are one provider */
						for (i = 0; i < NREC; i++)
							if (i == R_PROVIDER)
								h = hash_str(h, prov->id);
							else if (i == R_HOST)
								h = hash_str(h, host ?
								    host->id : "");
							else if (i != R_SRC)
								h = hash_str(h, v[i]);
						fh = (uint32_t)(h ^ (h >> 32));
					}
					/* days into the year: fits 16 bits */
					switch (dup_check(&dups, key, a - ylo,
					    b - ylo, fh)) {
					case 1:
						st.merged++;
						continue;
					case 2:
						reject(&st, r, "start",
						    NULL, "overlaps an "
						    "earlier row of the same "
						    "person, stream and provider"
						    " with other values");
						continue;
					}
				}
			} else {
				reject(&st, r, "start", NULL,
				    "no dates, period or quantity");
				continue;
			}
			st.accepted++;
			for (i = 0; i < n; i++) {
				period_fmt(&pieces[i].p, per, sizeof per);
				if (n > 1)
					snprintf(id, sizeof id, "%s:%s",
					    v[R_SRC], per);
				else
					snprintf(id, sizeof id, "%s", v[R_SRC]);
				snprintf(ysrc, sizeof ysrc, "%d",
				    pieces[i].p.year);
				w[A_ID] = id;
				w[A_YEAR] = ysrc;
				w[A_PERIOD] = per;
				w[A_PROVIDER] = prov->id;
				w[A_HOST] = host != NULL ? host->id : "";
				w[A_UNIT] = v[R_UNIT];
				w[A_CATEGORY] = v[R_CATEGORY];
				w[A_UNIVERSITY] = v[R_UNIVERSITY];
				w[A_PERSON] = v[R_PERSON];
				w[A_SALARY] = v[R_SALARY];
				w[A_STREAM] = v[R_STREAM];
				w[A_QTY] = rat_fmt(pieces[i].qty, qbuf,
				    sizeof qbuf);
				w[A_UOM] = uom;
				w[A_SRC] = v[R_SRC];
				csvw_row(fp, w, NACT);
				st.written++;
			}
		}
		csvr_close(r);
	}
	atomic_close(out);
	dup_free(&dups);
	return stage_finish(&st);
}
