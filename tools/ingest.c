/*
 * alf-ingest: source exports → records.csv (CONTRACTS "records.csv").
 *
 * Without --profile it reads canonical records (the records columns,
 * without src).  With --profile it reads one export layout as the profile
 * describes it (issue 11): decoded to UTF-8, values to canonical forms,
 * personal identity numbers to pseudonyms.  Every value is checked; each
 * row is written with its src, FILE:LINE, or rejected with the reason.
 * It streams: memory does not grow with the input (only --names keeps
 * the persons it has named).
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
#include "decode.h"
#include "err.h"
#include "handoff.h"
#include "money.h"
#include "pnr.h"
#include "profile.h"
#include "ref.h"
#include "stage.h"
#include "table.h"

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
	    "usage: alf-ingest [--profile NAME|FILE] [--year YYYY] "
	    "[--key-file FILE]\n"
	    "                  [--names FILE] [--encoding ENC] [-o FILE] "
	    "[--rejects FILE]\n"
	    "                  [--quiet] [FILE...]\n"
	    "Read source exports (a profile's layout, or canonical records) "
	    "and write\nrecords.csv with src.\n");
	exit(code);
}

/*
 * The days of the dates a row's cells were decoded to, by the pointer of
 * the value (valid for that row only: emptied before each row), so that
 * check() does not parse again what decode_cell has parsed.
 */
struct daymemo {
	const char	*s[4];
	long		 day[4];
	int		 n;
};

static int
day_of(const struct daymemo *m, const char *s, long *day)
{
	int i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (m->s[i] == s) {
			*day = m->day[i];
			return 0;
		}
	return date_parse(s, day);
}

/* what a number checks as before its pseudonym is made (row_send) */
static const char placeholder[PSEUDONYM_LEN + 1] = "00000000000000000000";

/* Check one row; on failure set *col and return the reason. */
static const char *
check(const char *v[], const struct table *streams, int year,
    const struct daymemo *dm, const char **col, const char **val)
{
	long a, b;
	struct period p;
	rat x;
	ore_t o;

	static const int text[] = { F_STREAM, F_PROVIDER, F_HOST, F_UNIT,
	    F_CATEGORY, F_UNIVERSITY };
	static long ystart, yend;
	static int ystart_of;
	static char last_stream[64];
	size_t i;

	/*
	 * A number typed into a free-text column (a unit named by its
	 * student) would reach every later output: the row is rejected, and
	 * the value is not shown (CONTRACTS "Personal identity numbers").
	 */
	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if (pnr_like(v[text[i]])) {
			*col = columns[text[i]];
			*val = NULL;
			return "looks like a personal identity number";
		}
	*val = NULL;
	if (*(*col = "stream", *val = v[F_STREAM]) == '\0')
		return "empty";
	/* the stream of the last row that had one known, without a lookup */
	if ((*last_stream != *v[F_STREAM] || strcmp(last_stream, v[F_STREAM])
	    != 0) && table_get(streams, v[F_STREAM]) == NULL)
		return "not a stream of streams.csv";
	if (strlen(v[F_STREAM]) < sizeof last_stream)
		strcpy(last_stream, v[F_STREAM]);
	*val = NULL;
	if (*v[F_PERSON] != '\0' && v[F_PERSON] != placeholder &&
	    !pnr_is_pseudonym(v[F_PERSON])) {
		*col = "person";
		return "not a pseudonym (20 hex digits)";
	}
	if (*(*col = "provider_name", v[F_PROVIDER]) == '\0')
		return "empty";
	*val = v[F_START];
	if (*v[F_START] != '\0' && day_of(dm, v[F_START], &a) < 0)
		return (*col = "start", "not a date YYYY-MM-DD");
	*val = v[F_END];
	if (*v[F_END] != '\0' && day_of(dm, v[F_END], &b) < 0)
		return (*col = "end", "not a date YYYY-MM-DD");
	if ((*v[F_START] == '\0') != (*v[F_END] == '\0'))
		return (*col = *v[F_START] ? "end" : "start", "empty");
	if (*v[F_START] != '\0' && b < a)
		return (*col = "end", "before start");
	if (year != 0 && year != ystart_of) {
		/* once a year, not twice a row */
		ystart_of = year;
		ystart = date_from_ymd(year, 1, 1);
		yend = date_from_ymd(year, 12, 31);
	}
	if (year != 0 && *v[F_START] != '\0' && (b < ystart || a > yend))
		return (*col = "start", *val = v[F_START], "outside the year");
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

/* a canonical records file, its required columns there (else exit 2) */
static struct csvr *
records_open(const char *file)
{
	struct csvr *r = csvr_open(file, 0);

	csvr_require(r, "stream");
	csvr_require(r, "provider_name");
	return r;
}

/* canonical records: the columns by name, each value checked */
static void
ingest_records(struct stage *st, FILE *fp, const char *const *files,
    int nfiles, const struct table *streams, int year)
{
	const char *v[NFIELDS + 1], *col, *val, *why;
	struct csvr *r, *first;
	char src[1024];
	int i, f, idx[NFIELDS];

	/* every header before the first byte out: exit 2 writes nothing */
	for (f = 1; f < nfiles; f++)
		if (strcmp(files[f], "-") != 0)
			csvr_close(records_open(files[f]));
	first = records_open(files[0]);
	csvw_row(fp, columns, NFIELDS + 1);
	for (f = 0; f < nfiles; f++) {
		r = f == 0 ? first : records_open(files[f]);
		for (i = 0; i < NFIELDS; i++)
			idx[i] = csvr_col(r, columns[i]);
		while (csvr_next(r)) {
			st->read++;
			if (csvr_bad(r)) {
				stage_reject_masked(st, r, idx[F_PERSON], NULL, NULL,
				    "malformed quoting");
				continue;
			}
			if (csvr_nfields(r) != csvr_ncols(r)) {
				stage_reject_masked(st, r, idx[F_PERSON], NULL, NULL,
				    "expected %d fields, found %d",
				    csvr_ncols(r), csvr_nfields(r));
				continue;
			}
			for (i = 0; i < NFIELDS; i++)
				v[i] = csvr_field(r, idx[i]);
			if ((why = check(v, streams, year, NULL, &col, &val)) !=
			    NULL) {
				stage_reject_masked(st, r, idx[F_PERSON], col, val, "%s",
				    why);
				continue;
			}
			v[NFIELDS] = csvr_where(r, src, sizeof src);
			csvw_row(fp, v, NFIELDS + 1);
			st->accepted++;
			st->written++;
		}
		csvr_close(r);
	}
}

/* what a profile run needs besides the profile */
struct run {
	struct profile		*p;
	struct stage		*st;
	const struct table	*streams;
	struct pnr_key		*key;
	int			 year;		/* --year, or 0 */
	int			 encoding;	/* --encoding, or the profile's */
	int			 used;		/* the one the file is read in */
	FILE			*names;		/* --names, or NULL */
	struct table		*named;		/* persons already named */
	struct pvals		 pv;
	/* a row's personal identity numbers, checked: value and digits */
	const char		**pnrval;
	char			(*digits)[PNR_LEN + 1];
	int			*tag;		/* an output's number, or -1 */
	/*
	 * The writing thread (row_send, write_rows): pseudonyms and rows
	 * are made there, beside the next rows' decoding.  Only it touches
	 * fp, names, named and wkey once it runs.
	 */
	struct handoff		*writer;
	FILE			*fp;
	struct pnr_key		*wkey;
	size_t			*wlen;		/* row_send's field lengths */
	char			(*wps)[PSEUDONYM_LEN + 1];
	char			 wlast[PNR_LEN], wlastps[PSEUDONYM_LEN + 1];
	int			 whave;
	int			 row_year;	/* the row's budget year, or 0 */
	int			 vstart, vperiod;	/* their variables */
	struct daymemo		 dm;		/* the row's decoded dates */
	char			 term[16];	/* the last term decoded, */
	char			 term_period[16];	/* as a period */
};

/*
 * The row check (csvr_set_check), in the reading thread: a row is
 * well-formed UTF-8, looked at only when its file may hold a byte that is
 * not (decode_open's strays).
 */
static int
row_valid(const char *s, size_t n, void *arg)
{
	const unsigned long *strays = arg;

	return (strays != NULL && *strays == 0) || utf8_valid_len(s, n);
}

static struct csvr *
profile_open(struct run *x, const char *file)
{
	struct csvr *r;
	const unsigned long *strays;
	int used, i;

	r = csvr_open_flags(decode_open(file, x->encoding, &used, &strays), file,
	    0, CSVR_EXCEL);
	x->used = used;
	for (i = 0; i < csvr_ncols(r); i++)
		if (!utf8_valid(csvr_colname(r, i)))
			die(EXIT_USAGE, "%s:1: header is not %s text", file,
			    decode_encoding_name(used));
	profile_bind(x->p, r);
	csvr_set_check(r, row_valid, (void *)strays);
	return r;
}

/*
 * Reject the current row.  A personal identity number is never written
 * as read: the profile's number columns become the pseudonym (or nothing
 * when the number does not validate), and any other field that looks
 * like one is emptied, for a row whose columns have shifted.  Mis-encoded
 * bytes are written as U+FFFD so the reject file stays UTF-8.
 */
static void __attribute__((format(printf, 5, 6)))
reject(struct run *x, const struct csvr *r, const char *col, const char *val,
    const char *fmt, ...)
{
	char reason[512], digits[PNR_LEN + 1], pseud[PSEUDONYM_LEN + 1], *t;
	const char *why, *f;
	int n = csvr_nfields(r) > csvr_ncols(r) ? csvr_nfields(r) :
	    csvr_ncols(r), i, c, ispnr;
	char **ov = ecalloc(n, sizeof *ov);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++) {
		f = csvr_field(r, i);
		ispnr = 0;
		for (c = 0; c < x->p->ncols; c++)
			if (x->p->cols[c].idx == i && x->p->cols[c].type == T_PNR)
				ispnr = 1;
		if (ispnr || pnr_like(f)) {
			ov[i] = estrdup("");
			if (ispnr && x->key != NULL &&
			    csvr_nfields(r) == csvr_ncols(r)) {
				t = decode_text(estrdup(f));
				if (pnr_canon(t, x->year ? x->year : x->row_year,
				    digits, &why) == 0) {
					pnr_pseudonym(x->key, digits, pseud);
					free(ov[i]);
					ov[i] = estrdup(pseud);
				}
				free(t);
			}
		} else if (!utf8_valid(f)) {
			t = emalloc(strlen(f) * 3 + 8);
			ov[i] = utf8_scrub(f, t, strlen(f) * 3 + 8);
		}
	}
	if (val != NULL && (pnr_like(val) || !utf8_valid(val)))
		val = NULL;
	stage_reject(x->st, r, col, val, (const char *const *)ov, "%s",
	    reason);
	for (i = 0; i < n; i++)
		free(ov[i]);
	free(ov);
}

/* a value with its bad bytes shown as \xNN, for a diagnostic */
static const char *
escape_bytes(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 5 < len; s++) {
		if ((unsigned char)*s >= 0x80 && !utf8_valid((char[]){ *s, 0 }))
			o += (size_t)snprintf(buf + o, len - o, "\\x%02X",
			    (unsigned char)*s);
		else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * 1 when s is a whole number as rat_fmt writes it (no sign, no leading
 * zero), which decode_number and decode_percent read as itself
 */
static int
canonical_int(const char *s)
{
	int n;

	if (s[0] == '0')
		return s[1] == '\0';
	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		;
	return n > 0 && n <= 18 && s[n] == '\0';
}

/*
 * Decode one column's cell, v (its variable's value, trimmed), into its
 * canonical form; the reason, or NULL.
 */
static const char *
decode_cell(struct run *x, const struct pcolumn *c, const char *v)
{
	char out[RAT_FMTLEN];
	struct period per;
	rat q;
	ore_t o;
	long day;

	if (*v == '\0')
		return NULL;
	out[0] = '\0';	/* not the whole array: a dozen cells a row */
	switch (c->type) {
	case T_DATE:
		if (date_parse(v, &day) == 0) {
			/* canonical already: keep it, and its day for check() */
			if (x->dm.n < 4) {
				x->dm.s[x->dm.n] = v;
				x->dm.day[x->dm.n++] = day;
			}
			break;
		}
		if (decode_date(v, &day) < 0)
			return "not a date YYYY-MM-DD or YYYYMMDD";
		date_fmt(day, out, sizeof out);
		break;
	case T_NUMBER:
	case T_INT:
		if (c->type == T_NUMBER && canonical_int(v))
			break;	/* canonical already: keep it */
		if (decode_number(v, &q) < 0)
			return "not a number";
		if (c->type == T_INT && (q.d != 1 || (c->min != c->max &&
		    (q.n < c->min || q.n > c->max))))
			return c->min != c->max ? "not a whole number in range" :
			    "not a whole number";
		rat_fmt(q, out, sizeof out);
		break;
	case T_PERCENT:
	case T_FRACTION:
		if (c->type == T_PERCENT && canonical_int(v))
			break;	/* `100`, as most extents are written */
		if (decode_percent(v, c->type == T_FRACTION, &q) < 0)
			return "not a percentage";
		rat_fmt(q, out, sizeof out);
		break;
	case T_MONEY:
		if (decode_money(v, &o) < 0)
			return "not an amount in kronor";
		money_fmt(o, out, sizeof out);
		break;
	case T_TERM:
		/* an export's rows share a few terms: the last one is kept */
		if (strcmp(v, x->term) == 0) {
			memcpy(out, x->term_period, sizeof x->term_period);
			break;
		}
		if (decode_term(v, &per) < 0)
			return "not a term (VT24, HT 2024)";
		period_fmt(&per, out, sizeof out);
		if (strlen(v) < sizeof x->term && strlen(out) <
		    sizeof x->term_period) {
			strcpy(x->term, v);
			strcpy(x->term_period, out);
		}
		break;
	case T_YEAR:
		if (decode_year(v, &per) < 0)
			return "not a year";
		period_fmt(&per, out, sizeof out);
		break;
	default:
		return NULL;	/* text: v is the variable's value already */
	}
	if (*out != '\0')
		pvals_set(&x->pv, c->vi, out);
	return NULL;
}

/* the budget year of the row: --year, else its start date or period */
static int
row_year(const struct run *x)
{
	int vs = x->vstart, vp = x->vperiod;
	const char *s;

	if (x->year != 0)
		return x->year;
	if (vs >= 0 && strlen(s = x->pv.v[vs]) >= 4 && date_parse(s, &(long){0})
	    == 0)
		return atoi(s);
	if (vp >= 0 && strlen(s = x->pv.v[vp]) >= 4)
		return atoi(s);
	return 0;
}


/* the checked number whose value s is (by pointer: aliases too), or -1 */
static int
pnr_of(const struct run *x, const char *s, int npnr)
{
	int k;

	for (k = 0; k < npnr; k++)
		if (s == x->pnrval[k])
			return k;
	return -1;
}

/* a field of a row record: 'T' and the text, or 'P' and a number's digits */
static char *
put_field(const struct run *x, char *o, int k, const char *s)
{
	size_t n;

	if (k >= 0) {
		*o++ = 'P';
		memcpy(o, x->digits[k], PNR_LEN);
		return o + PNR_LEN;
	}
	*o++ = 'T';
	n = strlen(s) + 1;
	memcpy(o, s, n);
	return o + n;
}

/*
 * Hand an accepted row to the writing thread: the row as it will be
 * written, its n fields quoted and joined here, with each number
 * (tag[i]) a placeholder of PSEUDONYM_LEN bytes and its digits beside
 * the line, so the writing thread makes the pseudonyms, puts them in and
 * writes the line in one call; and the person and name for --names when
 * person is not NULL.  The record: the line's length (4 bytes), the count
 * of numbers (1), each number's offset in the line (4) and digits
 * (PNR_LEN), 1 when a name follows, the person and the name, the line.
 */
static void
row_send(struct run *x, const char *const *v, int n, int npnr,
    const char *person, const char *name)
{
	size_t need = 4 + 1 + 1 + 2 * (PNR_LEN + 2) + 2, *len = x->wlen;
	uint32_t off;
	char *buf, *o, *line, *slot;
	int i, nps = 0;

	for (i = 0; i < n; i++) {
		len[i] = strlen(v[i]);
		need += CSVW_MAX(len[i]) + 4 + PNR_LEN;
		nps += i < x->p->nout && x->tag[i] >= 0;
	}
	if (person != NULL)
		need += strlen(person) + strlen(name) + 2;
	o = buf = handoff_room(x->writer, need);
	o += 4;
	*o++ = (char)nps;
	slot = o;
	o += (size_t)nps * (4 + PNR_LEN);
	*o++ = person != NULL;
	if (person != NULL) {
		o = put_field(x, o, pnr_of(x, person, npnr), person);
		o = put_field(x, o, pnr_of(x, name, npnr), name);
	}
	line = o;
	if (n == 1 && len[0] == 0) {
		/* a lone empty field would be a blank line (csvw_row) */
		memcpy(o, "\"\"", 2);
		o += 2;
	}
	for (i = 0; i < n && !(n == 1 && len[0] == 0); i++) {
		if (i < x->p->nout && x->tag[i] >= 0) {
			if (i > 0)
				*o++ = ',';
			off = (uint32_t)(o - line);
			memcpy(slot, &off, 4);
			memcpy(slot + 4, x->digits[x->tag[i]], PNR_LEN);
			slot += 4 + PNR_LEN;
			o += PSEUDONYM_LEN;
			continue;
		}
		o = csvw_put(o, v[i], len[i], i == 0);
	}
	*o++ = '\n';
	off = (uint32_t)(o - line);
	memcpy(buf, &off, 4);
	handoff_add(x->writer, (size_t)(o - buf));
}

/* the pseudonym of a number's digits into ps */
static void
pseudonym(struct run *x, const char *digits, char ps[PSEUDONYM_LEN + 1])
{
	/* a row's number is often its person and its name's person */
	if (!x->whave || memcmp(x->wlast, digits, PNR_LEN) != 0) {
		pnr_pseudonym(x->wkey, digits, x->wlastps);
		memcpy(x->wlast, digits, PNR_LEN);
		x->whave = 1;
	}
	memcpy(ps, x->wlastps, PSEUDONYM_LEN + 1);
}

/* one field of a name record, a number as its pseudonym into ps */
static const char *
take_field(struct run *x, const char **p, char ps[PSEUDONYM_LEN + 1])
{
	const char *s = *p + 1;

	if (**p == 'T') {
		*p = s + strlen(s) + 1;
		return s;
	}
	pseudonym(x, s, ps);
	*p = s + PNR_LEN;
	return ps;
}

/* the writing thread: a batch of row records to the output and --names */
static void
write_rows(char *buf, size_t len, void *arg)
{
	struct run *x = arg;
	const char *person, *name;
	char *p = buf, *end = buf + len, *slot, ps[PSEUDONYM_LEN + 1];
	void **slotp;
	uint32_t llen, off;
	int k, nps, created;

	while (p < end) {
		memcpy(&llen, p, 4);
		nps = (unsigned char)p[4];
		slot = p + 5;
		p = slot + (size_t)nps * (4 + PNR_LEN);
		if (*p++) {
			person = take_field(x, (const char **)&p, x->wps[0]);
			name = take_field(x, (const char **)&p, x->wps[1]);
			slotp = table_slot(x->named, person, &created);
			if (created) {
				csvw_field(x->names, person, 1);
				csvw_field(x->names, name, 0);
				csvw_end(x->names);
			}
			*slotp = x;
		}
		for (k = 0; k < nps; k++, slot += 4 + PNR_LEN) {
			memcpy(&off, slot, 4);
			pseudonym(x, slot + 4, ps);
			memcpy(p + off, ps, PSEUDONYM_LEN);
		}
		fwrite_unlocked(p, 1, llen, x->fp);
		p += llen;
	}
	/* the digits of the numbers do not outlive their rows */
	explicit_bzero(buf, len);
	explicit_bzero(x->wlast, sizeof x->wlast);
	x->whave = 0;
}

/* die() while the writing thread runs: it finishes before exit's flush */
static struct handoff *running_writer;

static void
writer_at_exit(void)
{
	if (running_writer != NULL && !handoff_in_consumer(running_writer)) {
		handoff_end(running_writer);
		running_writer = NULL;
	}
}

/* one row of a profile's layout: written, or rejected with the reason */
static void
profile_row(struct run *x, struct csvr *r, int neff)
{
	struct profile *p = x->p;
	const char *v[NFIELDS + 1], *col, *val, *why, *map;
	char src[1024], esc[256], *t;
	const char *cell;
	int i, n = csvr_nfields(r), var, person = -1, name = -1, misencoded;
	int npnr, named;
	size_t len;
	struct pcolumn *c;

	x->row_year = 0;
	if (csvr_bad(r)) {
		reject(x, r, NULL, NULL, "malformed quoting");
		return;
	}
	/* trailing empty columns, as Excel leaves them, do not count */
	while (n > neff && *csvr_field(r, n - 1) == '\0')
		n--;
	if (n != neff) {
		reject(x, r, NULL, NULL, "expected %d fields, found %d", neff, n);
		return;
	}
	/* the whole row at once; each field only when there is a bad byte */
	misencoded = !csvr_checked(r);	/* row_valid, profile_open */
	for (i = 0; misencoded && i < n; i++) {
		val = csvr_cell(r, i, &len);
		if (utf8_valid_len(val, len))
			continue;
		reject(x, r, csvr_colname(r, i), NULL,
		    "mis-encoded byte, not %s (%s)",
		    decode_encoding_name(x->used),
		    escape_bytes(val, esc, sizeof esc));
		return;
	}
	pvals_clear(&x->pv);
	x->dm.n = 0;
	for (i = 0; i < p->ncols; i++) {
		c = &p->cols[i];
		if (c->idx < 0)
			continue;
		val = csvr_cell(r, c->idx, &len);
		/*
		 * a cell with nothing to trim is used where the row holds it
		 * (until the next row); one to trim is trimmed in the
		 * variable's buffer
		 */
		if (decode_text_plain(val, len)) {
			x->pv.v[c->vi] = cell = val;
		} else {
			t = pvals_setn(&x->pv, c->vi, val, len);
			decode_text_len(t, len);
			cell = t;
		}
		/* text, a number or a name is its value already */
		if (c->type != T_TEXT && c->type != T_PNR && c->type != T_NAME &&
		    (why = decode_cell(x, c, cell)) != NULL) {
			reject(x, r, c->header, val, "%s", why);
			return;
		}
		if (c->type == T_PNR && person < 0)
			person = c->vi;
		if (c->type == T_NAME && name < 0)
			name = c->vi;
	}
	x->row_year = row_year(x);
	if (profile_apply(p, &x->pv, &var, &map) < 0) {
		reject(x, r, profile_colname(p, var), x->pv.v[var],
		    "not in the profile's map %s", map);
		return;
	}
	/*
	 * personal identity numbers: canonical and checked here; their
	 * pseudonyms are made where the row is written (row_send)
	 */
	npnr = 0;
	for (i = 0; i < p->ncols; i++) {
		c = &p->cols[i];
		var = c->vi;
		if (c->type != T_PNR || c->idx < 0 || *x->pv.v[var] == '\0')
			continue;
		if (pnr_canon(x->pv.v[var], x->row_year, x->digits[npnr],
		    &why) < 0) {
			reject(x, r, c->header, NULL, "%s", why);
			return;
		}
		x->pnrval[npnr++] = x->pv.v[var];
	}
	for (i = 0; i < p->nout; i++) {
		v[i] = x->pv.v[p->outvar[i]];
		/* a number checks as the pseudonym it will be */
		if ((x->tag[i] = pnr_of(x, v[i], npnr)) >= 0)
			v[i] = placeholder;
		if (p->required[i] && *v[i] == '\0') {
			reject(x, r, p->out[i], NULL, "empty");
			return;
		}
	}
	if (p->records && (why = check(v, x->streams, x->year, &x->dm, &col,
	    &val)) != NULL) {
		var = profile_var(p, col);
		/* a column's value as the file has it, not as decoded */
		for (i = 0; val != NULL && i < p->ncols; i++)
			if (p->cols[i].vi == var && p->cols[i].idx >= 0)
				val = csvr_field(r, p->cols[i].idx);
		reject(x, r, var >= 0 ? profile_colname(p, var) : col, val, "%s",
		    why);
		return;
	}
	n = p->nout;
	if (p->records) {
		v[n++] = csvr_where(r, src, sizeof src);
	}
	/* DOMAIN 4.5.4–4.5.6: the names some invoices must show */
	named = x->names != NULL && name >= 0 && person >= 0 &&
	    *x->pv.v[name] != '\0' && *x->pv.v[person] != '\0';
	row_send(x, v, n, npnr, named ? x->pv.v[person] : NULL,
	    named ? x->pv.v[name] : NULL);
	x->st->accepted++;
	x->st->written++;
}

static void
ingest_profile(struct run *x, FILE *fp, const char *const *files,
    int nfiles)
{
	struct profile *p = x->p;
	struct csvr *r, *first;
	int f, i, neff, blank;

	/* every header before any row: a bad one writes nothing (exit 2) */
	for (f = 1; f < nfiles; f++)
		if (strcmp(files[f], "-") != 0)
			csvr_close(profile_open(x, files[f]));
	first = profile_open(x, files[0]);
	if (p->records)
		csvw_row(fp, columns, NFIELDS + 1);
	else
		csvw_row(fp, (const char *const *)p->out, p->nout);
	pvals_init(&x->pv, p);
	x->vstart = profile_var(p, "start");
	x->vperiod = profile_var(p, "period");
	x->pnrval = ecalloc(p->ncols, sizeof *x->pnrval);
	x->digits = ecalloc(p->ncols, sizeof *x->digits);
	x->tag = ecalloc(p->nout + 1, sizeof *x->tag);
	x->wlen = ecalloc(p->nout + 1, sizeof *x->wlen);
	x->wps = ecalloc(2, sizeof *x->wps);
	x->fp = fp;
	x->wkey = x->key != NULL ? pnr_key_clone(x->key) : NULL;
	x->writer = running_writer = handoff_start(write_rows, x);
	atexit(writer_at_exit);
	for (f = 0; f < nfiles; f++) {
		r = f == 0 ? first : profile_open(x, files[f]);
		for (neff = csvr_ncols(r); neff > 0 &&
		    *csvr_colname(r, neff - 1) == '\0'; neff--)
			;
		while (csvr_next(r)) {
			/* a blank line, or one of only delimiters, is no row */
			for (blank = !csvr_bad(r), i = 0; blank &&
			    i < csvr_nfields(r); i++)
				blank = *csvr_field(r, i) == '\0';
			if (blank)
				continue;
			x->st->read++;
			profile_row(x, r, neff);
		}
		csvr_close(r);
	}
	running_writer = NULL;
	handoff_end(x->writer);
	explicit_bzero(x->digits, p->ncols * sizeof *x->digits);
}

static int
has_pnr(const struct profile *p)
{
	int i;

	for (i = 0; i < p->ncols; i++)
		if (p->cols[i].type == T_PNR)
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "profile", required_argument, NULL, 'p' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "names", required_argument, NULL, 'n' },
		{ "encoding", required_argument, NULL, 'e' },
		STAGE_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct stage st = { 0 };
	struct run x = { 0 };
	const char *outpath = NULL, **files;
	const char *profile = NULL, *keyfile = NULL, *namespath = NULL;
	struct atomic *out, *names = NULL;
	int ch, nfiles, year = 0, enc = -1;

	err_init("alf-ingest");
	while ((ch = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((year = atoi(optarg)) < 1000 || year > 9999)
				die(EXIT_USAGE, "--year: not a year (%s)", optarg);
			break;
		case 'p':
			profile = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'n':
			namespath = optarg;
			break;
		case 'e':
			if ((enc = decode_encoding(optarg)) < 0)
				die(EXIT_USAGE, "--encoding: not auto, utf-8, "
				    "windows-1252 or iso-8859-1 (%s)", optarg);
			break;
		default:
			if (!stage_option(&st, ch, optarg, usage))
				usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	outpath = st.output;
	files = stage_inputs(argc, argv, &nfiles);
	if (profile == NULL && (namespath != NULL || enc >= 0))
		die(EXIT_USAGE, "--names and --encoding need --profile");

	x.streams = streams_load();
	if (profile != NULL) {
		x.p = profile_load(profile);
		x.st = &st;
		x.year = year;
		x.encoding = enc >= 0 ? enc : x.p->encoding;
		if (has_pnr(x.p))
			x.key = pnr_key_load(keyfile);
		x.named = table_new();
	}
	out = atomic_open(outpath);
	if (namespath != NULL) {
		/* names are personal data: only the owner may read them */
		names = atomic_open_mode(namespath, 0600);
		x.names = atomic_fp(names);
		fputs("person,name\n", x.names);
	}
	if (profile == NULL)
		ingest_records(&st, atomic_fp(out), files, nfiles, x.streams,
		    year);
	else
		ingest_profile(&x, atomic_fp(out), files, nfiles);
	/* published by stage_finish, with the rejects, when all are whole */
	atomic_close(out);
	if (names != NULL)
		atomic_close(names);
	return stage_finish(&st);
}
