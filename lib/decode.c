/*
 * decode: encodings and the number, date and percent forms of office
 * exports.  Everything is exact (money.h rationals), never double.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "csvio.h"
#include "decode.h"
#include "err.h"

#define PEEK	65536	/* bytes looked at to detect the encoding */

/* Windows-1252 0x80–0x9F as Unicode; 0 where the code page has no letter */
static const unsigned short cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* a raw file's stdio buffer: reads of 256 KiB, not 4 KiB */
#define RAWBUF	(1 << 18)

struct dstream {
	FILE		*raw;
	char		*rawbuf;	/* its buffer (setvbuf), or NULL */
	unsigned char	*peek;		/* bytes read to detect, replayed first */
	size_t		 npeek, ppos;
	int		 enc;
	unsigned long	 strays;	/* bytes the code page cannot hold */
	unsigned char	 in[65536];
	/* a byte's UTF-8 form: up to 3 bytes and their count */
	unsigned char	 map[256][4];
};

int
decode_encoding(const char *name)
{
	static const struct { const char *name; int enc; } names[] = {
		{ "auto", ENC_AUTO }, { "utf-8", ENC_UTF8 }, { "utf8", ENC_UTF8 },
		{ "windows-1252", ENC_CP1252 }, { "cp1252", ENC_CP1252 },
		{ "iso-8859-1", ENC_LATIN1 }, { "latin1", ENC_LATIN1 },
		{ "latin-1", ENC_LATIN1 }, { "iso8859-1", ENC_LATIN1 },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].enc;
	return -1;
}

const char *
decode_encoding_name(int enc)
{
	switch (enc) {
	case ENC_UTF8:
		return "utf-8";
	case ENC_CP1252:
		return "windows-1252";
	case ENC_LATIN1:
		return "iso-8859-1";
	}
	return "auto";
}

/* length of the well-formed UTF-8 sequence at s (n bytes left), or 0 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	c = len == 3 ? (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 :
	    len == 4 ? (s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 : 0x80;
	if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	return len;
}

/*
 * UTF-8 unless the bytes are mostly not: a UTF-8 file with one stray
 * Latin-1 byte stays UTF-8 (that row is rejected as mis-encoded), a
 * Windows-1252 file, where å is one byte, has no well-formed sequences.
 */
static int
detect(const unsigned char *s, size_t n)
{
	size_t i = 0, k, good = 0, bad = 0;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return ENC_UTF8;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(s + i, n - i)) > 0) {
			good++;
			i += k;
		} else {
			if (n - i >= 4)	/* not a sequence cut by PEEK */
				bad++;
			i++;
		}
	}
	return bad > good ? ENC_CP1252 : ENC_UTF8;
}

static void
map_init(struct dstream *d)
{
	unsigned int b, c;

	for (b = 0; b < 256; b++) {
		c = b;
		if (d->enc == ENC_CP1252 && b >= 0x80 && b < 0xA0)
			c = cp1252_hi[b - 0x80];
		if (b < 0x80) {
			d->map[b][0] = (unsigned char)b;
			d->map[b][3] = 1;
		} else if (c == 0) {
			/* undefined in the code page: keep it, invalid */
			d->map[b][0] = (unsigned char)b;
			d->map[b][3] = 1;
		} else if (c < 0x800) {
			d->map[b][0] = (unsigned char)(0xC0 | c >> 6);
			d->map[b][1] = (unsigned char)(0x80 | (c & 0x3F));
			d->map[b][3] = 2;
		} else {
			d->map[b][0] = (unsigned char)(0xE0 | c >> 12);
			d->map[b][1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			d->map[b][2] = (unsigned char)(0x80 | (c & 0x3F));
			d->map[b][3] = 3;
		}
	}
}

/* fill buf with up to size bytes of raw input, the peeked bytes first */
static size_t
raw_read(struct dstream *d, unsigned char *buf, size_t size)
{
	size_t n;

	if (d->ppos < d->npeek) {
		n = d->npeek - d->ppos < size ? d->npeek - d->ppos : size;
		memcpy(buf, d->peek + d->ppos, n);
		d->ppos += n;
		return n;
	}
	n = fread(buf, 1, size, d->raw);
	if (n == 0 && ferror(d->raw))
		errno = errno ? errno : EIO;
	return n;
}

static ssize_t
ds_read(void *cookie, char *buf, size_t size)
{
	struct dstream *d = cookie;
	size_t n, i, o = 0, want;
	const unsigned char *m;

	if (d->enc == ENC_UTF8) {
		n = raw_read(d, (unsigned char *)buf, size);
		return n == 0 && ferror(d->raw) ? -1 : (ssize_t)n;
	}
	/* every byte becomes at most 3 */
	want = size / 3 < sizeof d->in ? size / 3 : sizeof d->in;
	if (want == 0)
		want = 1;
	n = raw_read(d, d->in, want);
	if (n == 0 && ferror(d->raw))
		return -1;
	for (i = 0; i < n; i++) {
		/* ASCII is itself, eight bytes at a time where it can be */
		if (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, d->in + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				memcpy(buf + o, &w, 8);
				o += 8;
				i += 7;
				continue;
			}
		}
		/* a high byte's 3 bytes are copied whole */
		if (d->in[i] < 0x80) {
			buf[o++] = (char)d->in[i];
			continue;
		}
		m = d->map[d->in[i]];
		memcpy(buf + o, m, 3);
		o += m[3];
		d->strays += d->in[i] >= 0x80 && m[3] == 1;
	}
	return (ssize_t)o;
}

static int
ds_close(void *cookie)
{
	struct dstream *d = cookie;
	int rc = 0;

	if (d->raw != stdin)
		rc = fclose(d->raw);
	free(d->rawbuf);
	free(d->peek);
	free(d);
	return rc;
}

static int stdin_sized;

FILE *
decode_open(const char *path, int enc, int *used,
    const unsigned long **strays)
{
	static const cookie_io_functions_t io = { ds_read, NULL, NULL,
	    ds_close };
	struct dstream *d = ecalloc(1, sizeof *d);
	const char *name = path;
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0) {
		d->raw = stdin;
		name = csvr_stdin_name();
	} else if ((d->raw = fopen(path, "r")) == NULL)
		die(EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
	/*
	 * reads of 256 KiB, not of the 4 KiB stdio would choose: a national
	 * export is 170 000 read calls at 4 KiB.  Set before the first read,
	 * and with a buffer of ours (glibc ignores the size without one);
	 * standard input's lives until exit, and is set only once.
	 */
	if (d->raw != stdin) {
		d->rawbuf = emalloc(RAWBUF);
		setvbuf(d->raw, d->rawbuf, _IOFBF, RAWBUF);
	} else if (!stdin_sized++)
		setvbuf(stdin, emalloc(RAWBUF), _IOFBF, RAWBUF);
	d->peek = emalloc(PEEK);
	errno = 0;
	d->npeek = fread(d->peek, 1, PEEK, d->raw);
	if (ferror(d->raw))
		die(EXIT_IO, "%s: read error: %s", name,
		    strerror(errno ? errno : EIO));
	d->enc = enc == ENC_AUTO ? detect(d->peek, d->npeek) : enc;
	if (used != NULL)
		*used = d->enc;
	if (strays != NULL)
		*strays = d->enc == ENC_UTF8 ? NULL : &d->strays;
	map_init(d);
	if ((fp = fopencookie(d, "r", io)) == NULL)
		die(EXIT_IO, "out of memory");
	return fp;
}

int
utf8_valid(const char *str)
{
	return utf8_valid_len(str, strlen(str));
}

int
utf8_valid_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k;

	while (n > 0) {
		/* ASCII, the bulk of every export, eight bytes at a time */
		if (n >= 8) {
			uint64_t w;

			memcpy(&w, s, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				s += 8;
				n -= 8;
				continue;
			}
		}
		if (*s < 0x80) {
			s++;
			n--;
			continue;
		}
		if ((k = utf8_seq(s, n)) == 0)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

char *
utf8_scrub(const char *str, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), k, o = 0;

	while (n > 0 && o + 4 < len) {
		if ((k = utf8_seq(s, n)) == 0) {
			memcpy(buf + o, "\xEF\xBF\xBD", 3);
			o += 3;
			k = 1;
		} else {
			memcpy(buf + o, s, k);
			o += k;
		}
		s += k;
		n -= k;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * bytes of a space at s: ' ', tab, U+00A0, U+202F (narrow no-break),
 * U+2009 (thin).  Byte by byte, so that it never reads past the NUL of a
 * short string (memcmp may: found by fuzzing).
 */
static size_t
space_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89))
		return 3;
	return 0;
}

/* the bytes of a space that ends s[0, n), or 0 */
static size_t
space_len_end(const char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		return 1;
	if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0)
		return 2;
	if (n >= 3 && (memcmp(s + n - 3, "\xE2\x80\xAF", 3) == 0 ||
	    memcmp(s + n - 3, "\xE2\x80\x89", 3) == 0))
		return 3;
	return 0;
}

/* s[0, n) without the spaces at either end, in place; the new length */
static size_t
trim_len(char *s, size_t n)
{
	size_t lead = 0, k;

	while (lead < n && (k = space_len(s + lead)) > 0)
		lead += k;
	if (lead > 0) {
		n -= lead;
		memmove(s, s + lead, n);
	}
	while ((k = space_len_end(s, n)) > 0)
		n -= k;
	s[n] = '\0';
	return n;
}

char *
decode_text(char *s)
{
	decode_text_len(s, strlen(s));
	return s;
}

size_t
decode_text_len(char *s, size_t n)
{
	if (decode_text_plain(s, n))
		return n;
	n = trim_len(s, n);
	/* Excel keeps leading zeros by writing ="0123" */
	if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
		/* s[n] is the NUL trim_len's look at a space stops at */
		memmove(s, s + 2, n - 3);
		s[n - 3] = '\0';
		n = trim_len(s, n - 3);
	}
	return n;
}

/* digits-only group check: 1–3 leading digits, then groups of exactly 3 */
static int
grouped(const char *s, size_t n, char sep)
{
	size_t i, run = 0, groups = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == sep) {
			if (run == 0 || (groups == 0 && run > 3) ||
			    (groups > 0 && run != 3))
				return 0;
			groups++;
			run = 0;
		} else
			run++;
	}
	return groups > 0 && run == 3;
}

int
decode_number(const char *str, rat *r)
{
	char buf[96], *o = buf;
	const char *s = str, *dec = NULL, *p, *end;
	size_t k, ndot = 0, ncomma = 0;
	char group = 0;

	while ((k = space_len(s)) > 0)
		s += k;
	if (*s == '-')
		*o++ = *s++;
	else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x88 &&
	    (unsigned char)s[2] == 0x92) {	/* U+2212 minus */
		*o++ = '-';
		s += 3;
	}
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || (end - s >= 2 &&
	    memcmp(end - 2, "\xC2\xA0", 2) == 0)))
		end -= end[-1] == ' ' ? 1 : 2;
	if (end == s || (size_t)(end - s) > sizeof buf - 8)
		return -1;
	for (p = s; p < end; p++) {
		if (*p == '.')
			ndot++;
		else if (*p == ',')
			ncomma++;
	}
	/* which of `.` and `,` is the decimal mark, if any */
	if (ncomma > 1)
		return -1;
	if (ncomma == 1) {
		dec = memchr(s, ',', (size_t)(end - s));
		if (ndot > 0) {
			if (memchr(dec, '.', (size_t)(end - dec)) != NULL ||
			    !grouped(s, (size_t)(dec - s), '.'))
				return -1;
			group = '.';
		}
	} else if (ndot == 1) {
		dec = memchr(s, '.', (size_t)(end - s));
		if (grouped(s, (size_t)(end - s), '.') && *s != '0')
			return -1;	/* 1.234: a decimal point or a group? */
	} else if (ndot > 1) {
		if (!grouped(s, (size_t)(end - s), '.'))
			return -1;
		group = '.';
	}
	/* digit groups by spaces: check them on the integer part */
	{
		const char *ie = dec != NULL ? dec : end;
		int spaced = 0, run = 0, groups = 0;

		for (p = s; p < ie; ) {
			if ((k = space_len(p)) > 0) {
				if (run == 0 || (groups == 0 && run > 3) ||
				    (groups > 0 && run != 3))
					return -1;
				spaced = 1;
				groups++;
				run = 0;
				p += k;
				continue;
			}
			if (*p == group) {
				p++;
				continue;
			}
			if (*p < '0' || *p > '9')
				return -1;
			*o++ = *p++;
			run++;
		}
		if (run == 0 || (spaced && run != 3))
			return -1;
	}
	if (dec != NULL) {
		*o++ = '.';
		for (p = dec + 1; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			*o++ = *p;
		}
		if (p == dec + 1)
			return -1;
	}
	*o = '\0';
	return rat_parse(buf, 0, r);
}

int
decode_date(const char *s, long *day)
{
	char buf[11];
	size_t n = strlen(s);
	const char *t;
	int i;

	if (n >= 8 && n != 10 && s[4] != '-') {
		if (n != 8)
			return -1;
		snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		return date_parse(buf, day);
	}
	if (n > 10) {
		/* a time of day after the date, as Excel writes datetimes */
		t = s + 11;
		if ((s[10] != ' ' && s[10] != 'T') || (n != 16 && n != 19))
			return -1;
		for (i = 0; t[i] != '\0'; i++)
			if ((i % 3 == 2) != (t[i] == ':') ||
			    (i % 3 != 2 && (t[i] < '0' || t[i] > '9')))
				return -1;
		if ((t[0] - '0') * 10 + t[1] - '0' > 23 ||
		    (t[3] - '0') * 10 + t[4] - '0' > 59 ||
		    (n == 19 && (t[6] - '0') * 10 + t[7] - '0' > 59))
			return -1;
		memcpy(buf, s, 10);
		buf[10] = '\0';
		return date_parse(buf, day);
	}
	return date_parse(s, day);
}

int
decode_percent(const char *s, int fraction, rat *r)
{
	char buf[96];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == '%') {
		if (fraction)
			fraction = 0;	/* `100 %` says percent itself */
		buf[--n] = '\0';
	}
	if (decode_number(buf, r) < 0)
		return -1;
	if (fraction)
		*r = rat_mul(*r, rat_int(100));
	return 0;
}

int
decode_money(const char *s, ore_t *o)
{
	char buf[96];
	size_t n = strlen(s);
	rat r;
	i128 v;

	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n + 1);
	if (n >= 2 && strcasecmp(buf + n - 2, "kr") == 0)
		buf[n - 2] = '\0';
	if (decode_number(buf, &r) < 0)
		return -1;
	/* at most two decimals: r × 100 is whole */
	r = rat_mul(r, rat_int(100));
	if (r.d != 1)
		return -1;
	v = r.n;
	if (v > (i128)INT64_MAX || v < -(i128)INT64_MAX)
		return -1;
	*o = (ore_t)v;
	return 0;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* the value of n digits all_digits has seen (no strtol: once a row) */
static int
digits_val(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
decode_term(const char *s, struct period *p)
{
	size_t n;
	int half;

	if ((s[0] == 'V' || s[0] == 'v' || s[0] == 'H' || s[0] == 'h') &&
	    (s[1] == 'T' || s[1] == 't')) {
		half = s[0] == 'V' || s[0] == 'v' ? 1 : 2;
		s += 2;
		while (*s == ' ' || *s == '-')
			s++;
		n = strlen(s);
		/* a four-digit year is 1000 or later, as decode_year says */
		if (!all_digits(s, n) || (n != 2 && n != 4) ||
		    (n == 4 && s[0] == '0'))
			return -1;
		p->year = digits_val(s, n) + (n == 2 ? 2000 : 0);
		p->kind = PERIOD_HALF;
		p->n = half;
		return 0;
	}
	if (period_parse(s, p) < 0 || p->kind != PERIOD_HALF)
		return -1;
	return 0;
}

int
decode_year(const char *s, struct period *p)
{
	if (strlen(s) != 4 || !all_digits(s, 4) || s[0] == '0')
		return -1;
	p->year = digits_val(s, 4);
	p->kind = PERIOD_YEAR;
	p->n = 0;
	return 0;
}
