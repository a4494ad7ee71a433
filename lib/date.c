/* date: civil-day arithmetic (Howard Hinnant's days_from_civil). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

long
date_from_ymd(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_ymd(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
date_parse(const char *s, long *day)
{
	int y, m, d;

	/*
	 * in order, each look stopping before a NUL it meets, so s[10] is
	 * read only when the ten before it are there (no strlen: twice a row)
	 */
	if ((y = digits(s, 4)) < 0 || s[4] != '-' || (m = digits(s + 5, 2)) < 0 ||
	    s[7] != '-' || (d = digits(s + 8, 2)) < 0 || s[10] != '\0' ||
	    !date_valid(y, m, d))
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

/*
 * v in decimal, zero-padded to width, at o; the end.  Dates and periods
 * are formatted once a row in alf-ingest and alf-normalize, where
 * snprintf showed in the benchmark (issue 11 "Performance").
 */
static char *
put_padded(char *o, int v, int width)
{
	char digits[12];
	int k = 0;

	do {
		digits[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (width-- > k)
		*o++ = '0';
	while (k > 0)
		*o++ = digits[--k];
	return o;
}

char *
date_fmt(long day, char *buf, size_t len)
{
	int y, m, d;
	char *o;

	date_ymd(day, &y, &m, &d);
	if (len < sizeof "YYYY-MM-DD" || y < 0 || y > 9999) {
		snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
	o = put_padded(buf, y, 4);
	*o++ = '-';
	o = put_padded(o, m, 2);
	*o++ = '-';
	o = put_padded(o, d, 2);
	*o = '\0';
	return buf;
}

int
weekday(long day)
{
	/* 1970-01-01 was a Thursday (3) */
	long w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

long
weekdays_between(long a, long b)
{
	/*
	 * Mondays to Fridays among the first r days from weekday w, [w][r]:
	 * a lookup, not a loop a day, for every piece alf-normalize writes
	 */
	static const unsigned char part[7][7] = {
		{ 0, 1, 2, 3, 4, 5, 5 },	/* from Monday */
		{ 0, 1, 2, 3, 4, 4, 4 },
		{ 0, 1, 2, 3, 3, 3, 4 },
		{ 0, 1, 2, 2, 2, 3, 4 },
		{ 0, 1, 1, 1, 2, 3, 4 },
		{ 0, 0, 0, 1, 2, 3, 4 },	/* from Saturday */
		{ 0, 0, 1, 2, 3, 4, 5 },	/* from Sunday */
	};
	long n;

	if (b < a)
		return 0;
	n = b - a + 1;
	return n / 7 * 5 + part[weekday(a)][n % 7];
}

int
period_parse(const char *s, struct period *p)
{
	size_t len = strlen(s);

	if (len < 4 || (p->year = digits(s, 4)) < 1)
		return -1;
	if (len == 4) {
		p->kind = PERIOD_YEAR;
		p->n = 0;
		return 0;
	}
	if (len != 7 || s[4] != '-')
		return -1;
	if (s[5] == 'H' && (s[6] == '1' || s[6] == '2')) {
		p->kind = PERIOD_HALF;
		p->n = s[6] - '0';
		return 0;
	}
	p->kind = PERIOD_MONTH;
	p->n = digits(s + 5, 2);
	return p->n >= 1 && p->n <= 12 ? 0 : -1;
}

char *
period_fmt(const struct period *p, char *buf, size_t len)
{
	char *o;

	if (len >= sizeof "YYYY-MM" && p->year >= 0 && p->year <= 9999 &&
	    p->n >= 0 && p->n <= 12) {
		o = put_padded(buf, p->year, 4);
		if (p->kind == PERIOD_HALF) {
			*o++ = '-';
			*o++ = 'H';
			o = put_padded(o, p->n, 1);
		} else if (p->kind != PERIOD_YEAR) {
			*o++ = '-';
			o = put_padded(o, p->n, 2);
		}
		*o = '\0';
		return buf;
	}
	switch (p->kind) {
	case PERIOD_YEAR:
		snprintf(buf, len, "%04d", p->year);
		break;
	case PERIOD_HALF:
		snprintf(buf, len, "%04d-H%d", p->year, p->n);
		break;
	default:
		snprintf(buf, len, "%04d-%02d", p->year, p->n);
		break;
	}
	return buf;
}

void
period_range(const struct period *p, long *first, long *last)
{
	switch (p->kind) {
	case PERIOD_YEAR:
		*first = date_from_ymd(p->year, 1, 1);
		*last = date_from_ymd(p->year, 12, 31);
		break;
	case PERIOD_HALF:
		*first = date_from_ymd(p->year, p->n == 1 ? 1 : 7, 1);
		*last = date_from_ymd(p->year, p->n == 1 ? 6 : 12,
		    p->n == 1 ? 30 : 31);
		break;
	default:
		*first = date_from_ymd(p->year, p->n, 1);
		*last = date_from_ymd(p->year, p->n,
		    days_in_month(p->year, p->n));
		break;
	}
}

int
year_atoi(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return atoi(s);
	if (s[4] != '\0')
		return atoi(s);
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
}
