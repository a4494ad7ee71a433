/*
 * alf-normalize: records.csv → activities.csv (CONTRACTS "activities.csv").
 *
 * Names become provider ids, stretches of dates become quantities per
 * half-year (weeks, days) or per calendar month (months), and overlapping
 * duplicates are merged or rejected.  Rows are written in input order, so
 * the program streams; only the duplicate index grows with the input.
 */
#include <getopt.h>
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
 * one spare chunk, plus buckets, at most two per row, of 4-byte heads and
 * a byte of filter each, twelve to a 64-byte line: 20 + 2 × 64 / 12 < 31
 * bytes.  Dates are days into the budget year (a stretch outside it was
 * rejected or clipped before).  Only hashes are kept; a collision between
 * different keys could only make a row look like a duplicate when its
 * dates also overlap and its fields hash alike.
 *
 * The index outgrows the cache, and each line or entry it touches is a
 * miss.  Nearly every key is new, so a bucket's filter has a bit for
 * every key in it (three bits of key_hi): a clear bit means no entry can
 * match and the walk is skipped.  A bucket's head and filter share a
 * line, so a new key costs that one line.
 */
struct dupent {
	uint32_t key_lo, key_hi;	/* person, stream, provider */
	uint32_t fields;		/* every other field */
	uint32_t next;			/* index + 1 of the next in the bucket */
	uint16_t start, end;
};
_Static_assert(sizeof(struct dupent) == 20, "duplicate index: 20 bytes");

#define DUP_CHUNK	4096
#define DUP_GROUP	12		/* buckets a line */
#define DUP_BIT(hi)	((uint8_t)(1u << ((hi) >> 29)))
/* the bucket in its line, from bits of key_hi the filter does not use */
#define DUP_SLOT(hi)	((unsigned)((((hi) & 0xffffffu) * DUP_GROUP) >> 24))

struct dupgroup {
	uint32_t head[DUP_GROUP];
	uint8_t	 filter[DUP_GROUP];	/* DUP_BIT of every key in the bucket */
	uint32_t pad;
};
_Static_assert(sizeof(struct dupgroup) == 64, "a bucket line: 64 bytes");
_Static_assert(sizeof(struct dupent) * DUP_GROUP + 2 * sizeof(struct dupgroup)
    <= 32 * DUP_GROUP, "duplicate index: at most 32 bytes a row");

struct dupidx {
	struct dupent	**chunk;
	size_t		  n, nchunk;
	struct dupgroup	 *group;
	size_t		  ngroup;	/* a power of two */
};

static struct dupent *
dup_at(const struct dupidx *d, size_t i)
{
	return &d->chunk[i / DUP_CHUNK][i % DUP_CHUNK];
}

/*
 * One output piece of a record: a period and its quantity, exactly
 * units / 10^places.  Every quantity normalize derives from dates is such
 * a decimal (weekdays × extent / 50000, or a month rounded to 4 places),
 * so it is kept as an integer and written without 128-bit division.
 */
struct piece {
	struct period	p;
	uint64_t	units;
	int		places;
};

/*
 * A raw name resolved once: provider, host and stream names repeat on
 * nearly every row, and folding a name (case, accents, spaces) cost more
 * than the rest of the row.  Direct-mapped on a hash of the exact bytes;
 * a clash only means the slower lookup again.  Names not found are not
 * kept, so the cache stays bounded whatever the input.
 */
#define NAME_CACHE	256

struct name_slot {
	char		*raw;
	size_t		 len;
	void		*val;
	int		 aux;
	size_t		 vlen;		/* strlen(id) or strlen(uom) */
};

/*
 * Extents answered before: a file has a handful (100, 50, 62.5), in any
 * order, so a few slots by a hash of the text, not just the previous row.
 */
#define EXTENT_MEMO	16

struct extent_memo {
	char	 raw[32];
	int	 bad;		/* not a percentage in (0, 100] */
	int	 pnr;		/* pnr_like(raw) */
	uint32_t hundredths;	/* extent × 100: 1 … 10000 */
};

/*
 * Dates parsed before, by their ten bytes: a year has 365 or 366 and a
 * row two, so once the slots have filled nearly every date is a hit.
 * Only dates that parsed are kept.  Direct-mapped; a clash only means
 * date_parse again.
 */
#define DATE_MEMO	1024

struct date_slot {
	uint64_t head;		/* bytes 0-7 */
	uint16_t tail;		/* bytes 8-9 */
	uint16_t used;
	int32_t	 day;
};

/* an id's buffer: a longer src is cut, as it always was */
#define ID_LEN		1100

/* what a stream's uom makes of dates */
enum { U_WEEKS, U_DAYS, U_MONTHS, U_OTHER };

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
	    "[-o FILE] [--rejects FILE] [--label NAME] [--quiet] [FILE...]\n"
	    "Resolve providers, turn dates into weeks, days and months.\n");
	exit(code);
}

/*
 * The bytes of one field into h, eight at a time (a byte at a time was a
 * tenth of the row), inline: it runs some seventeen times a row.  The
 * length goes in first, so field boundaries count, and a short tail is
 * read in whole words, overlapping what went before, never a byte at a
 * time.  Only the duplicate index and the caches use it, in memory.
 */
static inline uint64_t
hash_bytes(uint64_t h, const char *s, size_t n)
{
	const uint64_t m = 0x9e3779b97f4a7c15ULL;
	uint64_t w;
	uint32_t x, y;
	size_t k;

	h = (h ^ n) * m;
	if (n < 8) {
		if (n >= 4) {
			memcpy(&x, s, 4);
			memcpy(&y, s + n - 4, 4);
			w = (uint64_t)x << 32 | y;
		} else if (n > 0)
			w = (uint64_t)(unsigned char)s[0] << 16 |
			    (uint64_t)(unsigned char)s[n / 2] << 8 |
			    (unsigned char)s[n - 1];
		else
			return h;
		h = (h ^ w) * m;
		return h ^ (h >> 32);
	}
	for (k = 0; k + 8 <= n; k += 8) {
		memcpy(&w, s + k, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	if (k < n) {
		memcpy(&w, s + n - 8, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	return h;
}

/* the final mix: the index buckets by the low bits */
static uint64_t
hash_end(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/* the slot for s: a hit when it holds s, else the one to replace */
static struct name_slot *
name_slot(struct name_slot *c, const char *s, size_t len)
{
	return &c[hash_end(hash_bytes(0, s, len)) & (NAME_CACHE - 1)];
}

static int
name_hit(const struct name_slot *e, const char *s, size_t len)
{
	return e->raw != NULL && e->len == len && memcmp(e->raw, s, len) == 0;
}

static void
name_keep(struct name_slot *e, const char *s, size_t len, void *val, int aux)
{
	free(e->raw);
	e->raw = emalloc(len + 1);
	memcpy(e->raw, s, len + 1);
	e->len = len;
	e->val = val;
	e->aux = aux;
}

static void
name_cache_free(struct name_slot *c)
{
	size_t i;

	for (i = 0; i < NAME_CACHE; i++)
		free(c[i].raw);
}

/* provider_lookup through the cache; *idlen the length of its id */
static struct provider *
provider_cached(struct name_slot *c, const struct providers *ps,
    const char *name, size_t len, size_t *idlen)
{
	struct name_slot *e = name_slot(c, name, len);
	struct provider *p;

	if (!name_hit(e, name, len)) {
		if ((p = provider_lookup(ps, name)) == NULL)
			return NULL;
		name_keep(e, name, len, p, 0);
		e->vlen = strlen(p->id);
	}
	*idlen = e->vlen;
	return e->val;
}

/* the stream's uom (NULL: not a stream), and what it makes of dates */
static const char *
stream_cached(struct name_slot *c, struct table *streams, const char *name,
    size_t len, int *kind, size_t *uomlen)
{
	struct name_slot *e = name_slot(c, name, len);
	char *uom;

	if (!name_hit(e, name, len)) {
		if ((uom = table_get(streams, name)) == NULL)
			return NULL;
		name_keep(e, name, len, uom, strcmp(uom, "months") == 0 ?
		    U_MONTHS : strcmp(uom, "days") == 0 ? U_DAYS :
		    strcmp(uom, "weeks") == 0 ? U_WEEKS : U_OTHER);
		e->vlen = strlen(uom);
	}
	*kind = e->aux;
	*uomlen = e->vlen;
	return e->val;
}

/*
 * Extent as hundredths of a percent, checked as CONTRACTS records.csv
 * says (0 < extent <= 100, two decimals); 0 when it is not one.  An
 * earlier row's answer is reused for the same text.
 */
static uint32_t
extent_of(struct extent_memo *memo, const char *s, size_t len, int *pnr)
{
	struct extent_memo *m = &memo[hash_bytes(0, s, len) &
	    (EXTENT_MEMO - 1)];
	rat x;

	if (len < sizeof m->raw && memcmp(m->raw, s, len + 1) == 0) {
		*pnr = m->pnr;
		return m->bad ? 0 : m->hundredths;
	}
	*pnr = pnr_like(s);
	if (rat_parse(s, 0, &x) < 0 || rat_sign(x) <= 0 ||
	    rat_cmp(x, rat_int(100)) > 0 ||
	    (x = rat_mul(x, rat_int(100))).d != 1)
		x = RAT_ZERO;
	if (len < sizeof m->raw) {
		memcpy(m->raw, s, len + 1);
		m->pnr = *pnr;
		m->bad = x.n == 0;
		m->hundredths = (uint32_t)x.n;
	}
	return (uint32_t)x.n;
}

/* date_parse of s (len bytes) through the memo */
static int
date_cached(struct date_slot *memo, const char *s, size_t len, long *day)
{
	struct date_slot *e;
	uint64_t head;
	uint16_t tail;

	if (len != 10)
		return date_parse(s, day);
	memcpy(&head, s, 8);
	memcpy(&tail, s + 8, 2);
	/* the top ten bits of a multiplicative hash: DATE_MEMO slots */
	e = &memo[((head ^ tail) * 0x9e3779b97f4a7c15ULL) >> 54];
	if (e->used && e->head == head && e->tail == tail) {
		*day = e->day;
		return 0;
	}
	if (date_parse(s, day) < 0)
		return -1;
	e->head = head;
	e->tail = tail;
	e->used = 1;
	e->day = (int32_t)*day;
	return 0;
}

/*
 * units / 10^places in its shortest exact form, as rat_fmt writes it; the
 * end of it
 */
static char *
fixed_fmt(uint64_t units, int places, char *buf)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000 };
	uint64_t ip = units / pow10[places], fp = units % pow10[places];
	char tmp[24], *o = buf;
	int k = 0;

	do {
		tmp[k++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (k > 0)
		*o++ = tmp[--k];
	if (fp != 0) {
		*o++ = '.';
		while (fp % 10 == 0) {
			fp /= 10;
			places--;
		}
		for (k = places; k > 0; k--) {
			o[k - 1] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += places;
	}
	*o = '\0';
	return o;
}

/*
 * A record's output lines.  Their fields but id, period and qty are the
 * same for every piece of a record, so they are quoted once (csvw_put: the
 * bytes csvw_row writes) and each piece's line is its own three put
 * around copies of them; the record's lines go out in one call.  csvw_row,
 * a strlen and a quoting pass for every field of every piece and a write
 * a line, was half the time on service months (a piece a month).
 */
struct linebuf {
	char	*fixed;		/* ,provider … ,stream; then ,uom,src LF */
	size_t	 mid, tail;	/* the lengths of those two runs */
	size_t	 fcap;
	char	*line;		/* the record's lines so far */
	size_t	 len, lcap;
	int	 plain;		/* the id's src part is written as it is */
};

/* the widest id, year, period and qty a line adds to the fixed fields */
#define LINE_OWN	(CSVW_MAX(ID_LEN) + CSVW_MAX(8) + \
	CSVW_MAX(PERIOD_LEN) + CSVW_MAX(RAT_FMTLEN))

static char *
grow(char *p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return p;
	*cap = need > 4096 ? 2 * need : 4096;
	free(p);
	return emalloc(*cap);
}

/* the record's lines out, in one call */
static void
line_flush(FILE *fp, struct linebuf *lb)
{
	fwrite_unlocked(lb->line, 1, lb->len, fp);
	lb->len = 0;
}

/*
 * A record's fixed fields, w[i] of wl[i] bytes, into lb, for up to npieces
 * lines; src, srclen the part of the src its ids start with.
 */
static void
line_fixed(struct linebuf *lb, const char *const w[NACT],
    const size_t wl[NACT], const char *src, size_t srclen, int npieces)
{
	size_t need = 1;
	char *o, *q;
	int i;

	for (i = A_PROVIDER; i <= A_STREAM; i++)
		need += CSVW_MAX(wl[i]);
	need += CSVW_MAX(wl[A_UOM]) + CSVW_MAX(wl[A_SRC]);
	lb->fixed = grow(lb->fixed, &lb->fcap, need);
	lb->line = grow(lb->line, &lb->lcap,
	    (size_t)(npieces > 1 ? npieces : 1) * (need + LINE_OWN));
	o = lb->fixed;
	for (i = A_PROVIDER; i <= A_STREAM; i++)
		if (i == A_PROVIDER || i == A_HOST || i == A_PERSON) {
			/*
			 * ids are A-Z, 0-9 and _ (providers_load), a
			 * person a pseudonym or empty (leaked_pnr): as
			 * csvw_put would write them
			 */
			*o++ = ',';
			memcpy(o, w[i], wl[i]);
			o += wl[i];
		} else
			o = csvw_put(o, w[i], wl[i], 0);
	lb->mid = (size_t)(o - lb->fixed);
	o = csvw_put(o, w[A_UOM], wl[A_UOM], 0);
	q = o;
	o = csvw_put(o, w[A_SRC], wl[A_SRC], 0);
	/*
	 * Unquoted, src has no comma, quote, CR or LF and no space at
	 * either end; then neither has src:PERIOD, which ends in the
	 * period (or the ':' of a cut one), so its id needs no quotes.
	 * An uncut src was just put: its answer is there.
	 */
	if (srclen == wl[A_SRC])
		lb->plain = o == q + 1 + srclen;
	else
		lb->plain = csvw_put(lb->line, src, srclen, 1) ==
		    lb->line + srclen;
	*o++ = '\n';
	lb->tail = (size_t)(o - lb->fixed) - lb->mid;
	lb->len = 0;
}

/*
 * A period as a line has it, ":PERIOD,YEAR,PERIOD": the end of a split
 * row's id, then the year and period fields from off on.  Year and period
 * are digits, '-' and 'H' as date.c writes them, which csvw_put never
 * quotes: they go in as they are.
 */
struct pertext {
	char	s[2 * PERIOD_LEN + 8];
	size_t	len, off;
};

static void
pertext_set(struct pertext *t, const struct period *p, const char *year)
{
	char per[PERIOD_LEN];

	period_fmt(p, per, sizeof per);
	t->len = (size_t)snprintf(t->s, sizeof t->s, ":%s,%s,%s", per, year,
	    per);
	t->off = 1 + strlen(per);
}

/*
 * A piece's period: one of the budget year's halves and months made
 * before the first row (ytext: H1, H2, then the months), else into buf.
 */
static const struct pertext *
pertext_of(const struct period *p, int year, const struct pertext ytext[14],
    struct pertext *buf, const char *ysrc)
{
	if (p->year == year && p->kind == PERIOD_HALF && (p->n == 1 ||
	    p->n == 2))
		return &ytext[p->n - 1];
	if (p->year == year && p->kind == PERIOD_MONTH && p->n >= 1 &&
	    p->n <= 12)
		return &ytext[p->n + 1];
	pertext_set(buf, p, ysrc);
	return buf;
}

/* len bytes onto the line as they are */
static void
line_put(struct linebuf *lb, const char *s, size_t len)
{
	memcpy(lb->line + lb->len, s, len);
	lb->len += len;
}

/* a piece's id, quoted as csvw_put quotes it */
static void
line_id(struct linebuf *lb, const char *id, size_t len)
{
	if (lb->plain)
		line_put(lb, id, len);
	else
		lb->len = (size_t)(csvw_put(lb->line + lb->len, id, len, 1) -
		    lb->line);
}

/*
 * The rest of a piece's line, after its year and period: the fixed fields
 * with its qty between, given as text (qty, qlen: rat_fmt's digits, '-'
 * and '.', never quoted) or as units / 10^places, written in place.
 */
static void
line_rest(struct linebuf *lb, const char *qty, size_t qlen, uint64_t units,
    int places)
{
	char *o = lb->line + lb->len;

	memcpy(o, lb->fixed, lb->mid);
	o += lb->mid;
	*o++ = ',';
	if (qty != NULL) {
		memcpy(o, qty, qlen);
		o += qlen;
	} else
		o = fixed_fmt(units, places, o);
	memcpy(o, lb->fixed + lb->mid, lb->tail);
	o += lb->tail;
	lb->len = (size_t)(o - lb->line);
}

static void
dup_rehash(struct dupidx *d)
{
	size_t i;
	struct dupent *e;
	struct dupgroup *g;
	void *p;

	free(d->group);
	d->ngroup = d->ngroup ? d->ngroup * 2 : 128;
	/* line-aligned, so that a bucket is one miss, not two */
	if (posix_memalign(&p, sizeof *d->group, d->ngroup *
	    sizeof *d->group) != 0)
		die(EXIT_IO, "out of memory");
	d->group = memset(p, 0, d->ngroup * sizeof *d->group);
	for (i = 0; i < d->n; i++) {
		e = dup_at(d, i);
		g = &d->group[e->key_lo & (d->ngroup - 1)];
		e->next = g->head[DUP_SLOT(e->key_hi)];
		g->head[DUP_SLOT(e->key_hi)] = (uint32_t)(i + 1);
		g->filter[DUP_SLOT(e->key_hi)] |= DUP_BIT(e->key_hi);
	}
}

/* 0 new, 1 an identical earlier row (merge), 2 a conflicting one */
static int
dup_check(struct dupidx *d, uint64_t key, long start, long end,
    uint32_t fields)
{
	uint32_t i, lo = (uint32_t)key, hi = (uint32_t)(key >> 32);
	unsigned slot = DUP_SLOT(hi);
	struct dupent *e;
	struct dupgroup *g;

	if (d->ngroup == 0)
		dup_rehash(d);
	g = &d->group[lo & (d->ngroup - 1)];
	if (g->filter[slot] & DUP_BIT(hi))
		for (i = g->head[slot]; i != 0; i = e->next) {
			e = dup_at(d, i - 1);
			if (e->key_lo == lo && e->key_hi == hi &&
			    e->start <= end && start <= e->end)
				return e->fields == fields &&
				    e->start == start && e->end == end ? 1 : 2;
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
	e->next = g->head[slot];
	g->head[slot] = (uint32_t)d->n;
	g->filter[slot] |= DUP_BIT(hi);
	if (d->n > d->ngroup * DUP_GROUP)
		dup_rehash(d);
	return 0;
}

/* a check's line, fetched while the rest of the row is worked out */
static void
dup_prefetch(const struct dupidx *d, uint64_t key)
{
	if (d->ngroup != 0)
		__builtin_prefetch(&d->group[(uint32_t)key &
		    (d->ngroup - 1)], 1);
}

static void
dup_free(struct dupidx *d)
{
	size_t i;

	for (i = 0; i < d->nchunk; i++)
		free(d->chunk[i]);
	free(d->chunk);
	free(d->group);
}

/*
 * weeks = weekdays / 5 × extent / 100, per half-year (CONTRACTS): with
 * extent in hundredths, weekdays × hundredths / 50000, which is
 * weekdays × hundredths × 2 in units of 10^-5 (days: / 10000, 10^-4).
 * [a, b] lies in the budget year; jun30 is its 30 June.
 */
/* half h of year over [lo, hi], as split_halves counts it */
static void
half_piece(struct piece *o, int year, int h, long lo, long hi,
    uint32_t hundredths, int days)
{
	o->p.year = year;
	o->p.kind = PERIOD_HALF;
	o->p.n = h;
	o->units = (uint64_t)weekdays_between(lo, hi) * hundredths *
	    (days ? 1 : 2);
	o->places = days ? 4 : 5;
}

static int
split_halves(long a, long b, uint32_t hundredths, int days, long jun30,
    int year, struct piece *out)
{
	int n = 0;

	if (a > b)
		return 0;
	if (a <= jun30)
		half_piece(&out[n++], year, 1, a, b < jun30 ? b : jun30,
		    hundredths, days);
	if (b > jun30)
		half_piece(&out[n++], year, 2, a > jun30 ? a : jun30 + 1, b,
		    hundredths, days);
	return n;
}

/*
 * per calendar month: covered / days in month × extent / 100, rounded
 * half away from zero to 4 decimals: covered × hundredths / days, to the
 * nearest whole, in units of 10^-4.  mstart[m] is the first day of month
 * m + 1 of the budget year, mstart[12] the next 1 January.
 */
static int
split_months(long a, long b, uint32_t hundredths, const long mstart[13],
    int year, struct piece *out)
{
	int m, n = 0;
	long lo, hi;
	uint64_t x, dim;

	for (m = 0; m < 12 && a <= b; m++) {
		if (a >= mstart[m + 1])
			continue;
		lo = a;
		hi = b < mstart[m + 1] - 1 ? b : mstart[m + 1] - 1;
		dim = (uint64_t)(mstart[m + 1] - mstart[m]);
		x = (uint64_t)(hi - lo + 1) * hundredths;
		out[n].p.year = year;
		out[n].p.kind = PERIOD_MONTH;
		out[n].p.n = m + 1;
		out[n].units = x / dim + (2 * (x % dim) >= dim);
		out[n].places = 4;
		n++;
		a = hi + 1;
	}
	return n;
}

/*
 * Rejects: records hold pseudonyms only, but a region's own adapter may
 * let a personal identity number through, so a field that looks like one
 * is written empty and never echoed (issue 11 "Nothing lost, nothing
 * leaked"): stage_reject_masked.
 */
#define reject(st, r, col, val, ...) \
	stage_reject_masked((st), (r), -1, (col), (val), __VA_ARGS__)

/*
 * pnr_like is 0 for a field that does not start with a digit or with what
 * it skips before one (spaces, =, quotes): most fields, spared the call.
 */
static int
may_be_pnr(const char *s)
{
	return (*s >= '0' && *s <= '9') || *s == ' ' || *s == '=' || *s == '"';
}

/*
 * The first field that may be a personal identity number, or -1.  Fields
 * in clear (a bit each) are known not to be one, so pnr_like is spared:
 * a pseudonym has too many digits, a strict date a '-' after four.
 * extent_pnr is pnr_like of the extent, worked out with it.
 */
static int
leaked_pnr(const char *const v[NREC], unsigned clear, int extent_pnr)
{
	int i;

	if (*v[R_PERSON] != '\0' && !pnr_is_pseudonym(v[R_PERSON]))
		return R_PERSON;
	clear |= 1u << R_PERSON;
	for (i = 0; i < NREC; i++) {
		if (clear & 1u << i)
			continue;
		if (i == R_EXTENT ? extent_pnr : may_be_pnr(v[i]) &&
		    pnr_like(v[i]))
			return i;
	}
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
	struct name_slot *names, *stream_names;
	struct date_slot *dates;
	struct extent_memo em[EXTENT_MEMO] = { { "", 0, 0, 0 } };
	struct linebuf lb = { NULL, 0, 0, 0, NULL, 0, 0, 0 };
	const char *outpath = NULL, *provpath = NULL;
	const char **files, *v[NREC], *w[NACT], *uom;
	struct providers *provs;
	struct provider *prov, *host;
	struct table *streams;
	struct atomic *out;
	struct csvr *r;
	struct piece pieces[12];
	struct period pp;
	char id[ID_LEN], qbuf[RAT_FMTLEN];
	char hint[256], ysrc[8];
	struct pertext ytext[14], ptbuf;
	const struct pertext *pt;
	int ch, nfiles, f, i, n, idx[NREC], year = 0, clip = 0, kind;
	int start_ok, end_ok, extent_pnr, given;
	long a, b, ylo, yhi, jun30, mstart[13], sa = 0, sb = 0;
	uint32_t hundredths;
	size_t srclen, perlen, len[NREC], wl[NACT], idlen, provlen, hostlen;
	size_t uomlen, sfxlen, qlen = 0;
	rat qty = RAT_ZERO;
	uint64_t key, h;
	uint32_t fh;
	unsigned clear;
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
	jun30 = date_from_ymd(year, 6, 30);
	for (i = 0; i < 12; i++)
		mstart[i] = date_from_ymd(year, i + 1, 1);
	mstart[12] = yhi + 1;
	/* every output row of the year carries it: written once */
	snprintf(ysrc, sizeof ysrc, "%d", year);
	/* and one of its halves or months, H1, H2, then the months */
	for (i = 0; i < 14; i++) {
		pp.year = year;
		pp.kind = i < 2 ? PERIOD_HALF : PERIOD_MONTH;
		pp.n = i < 2 ? i + 1 : i - 1;
		pertext_set(&ytext[i], &pp, ysrc);
	}

	streams = streams_load();
	provs = providers_load(provpath);
	names = ecalloc(NAME_CACHE, sizeof *names);
	stream_names = ecalloc(NAME_CACHE, sizeof *stream_names);
	dates = ecalloc(DATE_MEMO, sizeof *dates);
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
			/*
			 * lengths once, for the hashes and the output (as
			 * strlen: a NUL inside a field ends it, as it did)
			 */
			for (i = 0; i < NREC; i++)
				len[i] = strlen(v[i] = csvr_field(r, idx[i]));
			/*
			 * The duplicate key first, so that its line of the
			 * index is on its way while the row is checked.
			 */
			prov = provider_cached(names, provs, v[R_PROVIDER],
			    len[R_PROVIDER], &provlen);
			key = 0;
			if (prov != NULL && *v[R_PERSON] != '\0') {
				key = hash_end(hash_bytes(hash_bytes(hash_bytes(
				    0, v[R_PERSON], len[R_PERSON]), v[R_STREAM],
				    len[R_STREAM]), prov->id, provlen));
				dup_prefetch(&dups, key);
			}
			/* worked out once, used by the checks below in turn */
			start_ok = date_cached(dates, v[R_START],
			    len[R_START], &sa) == 0;
			end_ok = date_cached(dates, v[R_END], len[R_END],
			    &sb) == 0;
			hundredths = 10000;
			extent_pnr = 0;
			if (*v[R_EXTENT] != '\0')
				hundredths = extent_of(em, v[R_EXTENT],
				    len[R_EXTENT], &extent_pnr);
			clear = (start_ok ? 1u << R_START : 0) |
			    (end_ok ? 1u << R_END : 0);
			if ((i = leaked_pnr(v, clear, extent_pnr)) >= 0) {
				reject(&st, r, rec_cols[i], NULL, i == R_PERSON ?
				    "not a pseudonym (20 hex digits)" :
				    "looks like a personal identity number; "
				    "records hold pseudonyms only");
				continue;
			}
			if ((uom = stream_cached(stream_names, streams,
			    v[R_STREAM], len[R_STREAM], &kind,
			    &uomlen)) == NULL) {
				reject(&st, r, "stream", v[R_STREAM],
				    "not a stream of streams.csv");
				continue;
			}
			if (prov == NULL) {
				reject(&st, r, "provider_name", v[R_PROVIDER],
				    "unknown provider; %s", provider_suggest(
				    provs, v[R_PROVIDER], hint, sizeof hint));
				continue;
			}
			host = NULL;
			hostlen = 0;
			if (*v[R_HOST] != '\0' && (host = provider_cached(names,
			    provs, v[R_HOST], len[R_HOST], &hostlen)) == NULL) {
				reject(&st, r, "host_name", v[R_HOST],
				    "unknown provider; %s", provider_suggest(
				    provs, v[R_HOST], hint, sizeof hint));
				continue;
			}
			if (host == prov) {
				host = NULL;
				hostlen = 0;
			}
			/* CONTRACTS records.csv: 0 < extent <= 100, two decimals */
			if (hundredths == 0) {
				reject(&st, r, "extent", v[R_EXTENT],
				    "not a percentage in (0, 100]");
				continue;
			}
			n = 0;
			given = 0;
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
				} else if (start_ok) {
					int y, m, d;

					date_ymd(sa, &y, &m, &d);
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
					uomlen = len[R_UOM];
				}
				pieces[0].p = pp;
				given = 1;
				n = 1;
			} else if (*v[R_START] != '\0' || *v[R_END] != '\0') {
				if (!start_ok) {
					reject(&st, r, "start", v[R_START],
					    "not a date YYYY-MM-DD");
					continue;
				}
				if (!end_ok) {
					reject(&st, r, "end", v[R_END],
					    "not a date YYYY-MM-DD");
					continue;
				}
				a = sa;
				b = sb;
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
				if (kind == U_OTHER) {
					reject(&st, r, "qty", NULL,
					    "stream %s counts %s: give a "
					    "quantity, not dates", v[R_STREAM],
					    uom);
					continue;
				}
				if (kind == U_MONTHS)
					n = split_months(a, b, hundredths,
					    mstart, year, pieces);
				else
					n = split_halves(a, b, hundredths,
					    kind == U_DAYS, jun30, year, pieces);
				if (*v[R_PERSON] != '\0') {
					/* identical as resolved: SOS and
					 * Södersjukhuset are one provider */
					h = 0;
					for (i = 0; i < NREC; i++)
						if (i == R_PROVIDER)
							h = hash_bytes(h,
							    prov->id, provlen);
						else if (i == R_HOST)
							h = hash_bytes(h,
							    host ? host->id :
							    "", hostlen);
						else if (i != R_SRC)
							h = hash_bytes(h, v[i],
							    len[i]);
					h = hash_end(h);
					fh = (uint32_t)(h ^ (h >> 32));
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
			/*
			 * a split row's id is src:PERIOD (CONTRACTS), and an
			 * id is cut to the buffer, as it always was
			 */
			srclen = len[R_SRC];
			w[A_ID] = v[R_SRC];
			if (n > 1 || srclen >= sizeof id) {
				if (srclen >= sizeof id)
					srclen = sizeof id - 1;
				memcpy(id, v[R_SRC], srclen);
				id[srclen] = '\0';
				w[A_ID] = id;
			}
			idlen = srclen;
			w[A_PROVIDER] = prov->id;
			wl[A_PROVIDER] = provlen;
			w[A_HOST] = host != NULL ? host->id : "";
			wl[A_HOST] = hostlen;
			w[A_UNIT] = v[R_UNIT];
			wl[A_UNIT] = len[R_UNIT];
			w[A_CATEGORY] = v[R_CATEGORY];
			wl[A_CATEGORY] = len[R_CATEGORY];
			w[A_UNIVERSITY] = v[R_UNIVERSITY];
			wl[A_UNIVERSITY] = len[R_UNIVERSITY];
			w[A_PERSON] = v[R_PERSON];
			wl[A_PERSON] = len[R_PERSON];
			w[A_SALARY] = v[R_SALARY];
			wl[A_SALARY] = len[R_SALARY];
			w[A_STREAM] = v[R_STREAM];
			wl[A_STREAM] = len[R_STREAM];
			w[A_UOM] = uom;
			wl[A_UOM] = uomlen;
			w[A_SRC] = v[R_SRC];
			wl[A_SRC] = len[R_SRC];
			line_fixed(&lb, w, wl, w[A_ID], srclen, n);
			if (given)
				qlen = strlen(rat_fmt(qty, qbuf, sizeof qbuf));
			for (i = 0; i < n; i++) {
				pt = pertext_of(&pieces[i].p, year, ytext,
				    &ptbuf, ysrc);
				perlen = pt->off - 1;
				if (lb.plain && (n == 1 ||
				    srclen + pt->off < sizeof id)) {
					/* src, then :PERIOD when split */
					line_put(&lb, v[R_SRC], srclen);
					line_put(&lb, n > 1 ? pt->s : pt->s +
					    pt->off, n > 1 ? pt->len :
					    pt->len - pt->off);
				} else {
					if (n > 1 && srclen + 1 < sizeof id) {
						sfxlen = perlen;
						if (sfxlen > sizeof id -
						    srclen - 2)
							sfxlen = sizeof id -
							    srclen - 2;
						id[srclen] = ':';
						memcpy(id + srclen + 1,
						    pt->s + 1, sfxlen);
						id[srclen + 1 + sfxlen] = '\0';
						idlen = srclen + 1 + sfxlen;
					}
					line_id(&lb, w[A_ID], idlen);
					line_put(&lb, pt->s + pt->off,
					    pt->len - pt->off);
				}
				line_rest(&lb, given ? qbuf : NULL, qlen,
				    pieces[i].units, pieces[i].places);
				st.written++;
			}
			/*
			 * a record at a time, so that what stdio holds is
			 * what it held with a write a line
			 */
			line_flush(fp, &lb);
		}
		csvr_close(r);
	}
	atomic_close(out);
	dup_free(&dups);
	free(lb.fixed);
	free(lb.line);
	name_cache_free(names);
	name_cache_free(stream_names);
	free(names);
	free(stream_names);
	free(dates);
	return stage_finish(&st);
}
