/* money: exact rationals and öre; overflow is fatal, never wrapped. */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "money.h"

#define DIGITS_MAX 18

/* v fits in 64 bits: its division is one instruction, not __divti3 */
static int
fits64(i128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

static i128
gcd(i128 a, i128 b)
{
	uint64_t x, y, t;

	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0) {
		if (a <= (i128)UINT64_MAX && b <= (i128)UINT64_MAX) {
			/* the rest in 64 bits: every sum of mixed decimals */
			for (x = (uint64_t)a, y = (uint64_t)b; y != 0; x = y,
			    y = t)
				t = x % y;
			return (i128)x;
		}
		i128 r = a % b;
		a = b;
		b = r;
	}
	return a;
}

static i128
mul(i128 a, i128 b)
{
	i128 r;

	if (__builtin_mul_overflow(a, b, &r))
		die(EXIT_IO, "arithmetic overflow");
	return r;
}

static i128
add(i128 a, i128 b)
{
	i128 r;

	if (__builtin_add_overflow(a, b, &r))
		die(EXIT_IO, "arithmetic overflow");
	return r;
}

rat
rat_make(i128 n, i128 d)
{
	i128 g;
	rat r;

	if (d == 0)
		die(EXIT_IO, "internal error: division by zero");
	if (d < 0) {
		n = mul(n, -1);
		d = mul(d, -1);
	}
	g = gcd(n, d);
	if (g > 1 && fits64(n) && fits64(d)) {
		n = (int64_t)n / (int64_t)g;
		d = (int64_t)d / (int64_t)g;
	} else if (g > 1) {
		n /= g;
		d /= g;
	}
	r.n = n;
	r.d = d;
	return r;
}

rat
rat_int(long long v)
{
	return rat_make(v, 1);
}

static int
parse_digits(const char **sp, i128 *v, int *ndig)
{
	const char *s = *sp;
	int n = 0;

	*v = 0;
	while (*s >= '0' && *s <= '9') {
		if (++n > DIGITS_MAX)
			return -1;
		*v = *v * 10 + (*s - '0');
		s++;
	}
	*sp = s;
	*ndig = n;
	return n > 0 ? 0 : -1;
}

int
rat_parse(const char *s, int allow_fraction, rat *r)
{
	i128 ip, fp, scale = 1, den;
	int neg = 0, n, i;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (parse_digits(&s, &ip, &n) < 0)
		return -1;
	if (*s == '.') {
		s++;
		if (parse_digits(&s, &fp, &n) < 0)
			return -1;
		for (i = 0; i < n; i++)
			scale *= 10;
		ip = ip * scale + fp;
	} else if (*s == '/' && allow_fraction) {
		s++;
		if (parse_digits(&s, &den, &n) < 0 || den == 0 || *s != '\0')
			return -1;
		*r = rat_make(neg ? -ip : ip, den);
		return 0;
	}
	if (*s != '\0')
		return -1;
	/* a power of ten needs no reduction: sums of like decimals stay cheap */
	r->n = neg ? -ip : ip;
	r->d = scale;
	return 0;
}

rat
rat_add(rat a, rat b)
{
	i128 g;

	if (a.d == b.d) {
		/* the hot path of every sum: no gcd (the result may not be in
		 * lowest terms, which nothing here relies on) */
		a.n = add(a.n, b.n);
		return a;
	}
	g = gcd(a.d, b.d);

	return rat_make(add(mul(a.n, b.d / g), mul(b.n, a.d / g)),
	    mul(a.d, b.d / g));
}

rat
rat_sub(rat a, rat b)
{
	b.n = -b.n;
	return rat_add(a, b);
}

rat
rat_mul(rat a, rat b)
{
	i128 g1 = gcd(a.n, b.d), g2 = gcd(b.n, a.d);

	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	return rat_make(mul(a.n / g1, b.n / g2), mul(a.d / g2, b.d / g1));
}

rat
rat_div(rat a, rat b)
{
	rat inv;

	if (b.n == 0)
		die(EXIT_IO, "internal error: division by zero");
	inv.n = b.d;
	inv.d = b.n;
	if (inv.d < 0) {
		inv.n = -inv.n;
		inv.d = -inv.d;
	}
	return rat_mul(a, inv);
}

int
rat_sign(rat a)
{
	return (a.n > 0) - (a.n < 0);
}

int
rat_is_zero(rat a)
{
	return a.n == 0;
}

int
rat_cmp(rat a, rat b)
{
	return rat_sign(rat_sub(a, b));
}

i128
rat_floor(rat a)
{
	i128 q = a.n / a.d;

	if (a.n % a.d != 0 && a.n < 0)
		q--;
	return q;
}

i128
rat_round_units(rat a, rat unit)
{
	rat q = rat_div(a, unit);
	i128 n = q.n < 0 ? -q.n : q.n;
	i128 whole = n / q.d, rem = n % q.d;

	/* half away from zero: compare 2·rem with d on the magnitude */
	if (rem * 2 >= q.d)
		whole++;
	return q.n < 0 ? -whole : whole;
}

char *
i128_fmt(i128 v, char *buf, size_t len)
{
	char tmp[48];
	int i = 0, neg = v < 0;
	size_t o = 0;
	unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;

	if (u <= UINT64_MAX) {
		/* 64-bit division: 128-bit is a library call a digit */
		uint64_t w = (uint64_t)u;

		do {
			tmp[i++] = '0' + (int)(w % 10);
			w /= 10;
		} while (w != 0);
	} else
		do {
			tmp[i++] = '0' + (int)(u % 10);
			u /= 10;
		} while (u != 0);
	if (neg && o + 1 < len)
		buf[o++] = '-';
	while (i > 0 && o + 1 < len)
		buf[o++] = tmp[--i];
	buf[o] = '\0';
	return buf;
}

int
rat_terminates(rat a)
{
	i128 d = a.d;

	while (d % 2 == 0)
		d /= 2;
	while (d % 5 == 0)
		d /= 5;
	return d == 1;
}

char *
rat_fmt(rat a, char *buf, size_t len)
{
	i128 d = a.d, scale = 1, n, ip, fp;
	int places = 0, exact = 1, i;
	char ibuf[48], fbuf[48];
	size_t o;

	/* a whole number, the common case, without 128-bit division */
	if (a.d == 1)
		return i128_fmt(a.n, buf, len);
	/* exact when d has no prime factors but 2 and 5 */
	while (d % 10 == 0) { d /= 10; scale *= 10; places++; }
	while (d % 2 == 0) { d /= 2; scale *= 10; places++; }
	while (d % 5 == 0) { d /= 5; scale *= 10; places++; }
	if (d != 1) {
		exact = 0;
		places = 10;
		scale = 10000000000LL;
	}
	if (exact)
		n = mul(a.n, scale / a.d);
	else
		n = rat_round_units(a, rat_make(1, scale));
	ip = (n < 0 ? -n : n) / scale;
	fp = (n < 0 ? -n : n) % scale;
	i128_fmt(ip, ibuf, sizeof ibuf);
	snprintf(buf, len, "%s%s", n < 0 ? "-" : "", ibuf);
	if (fp != 0) {
		i128_fmt(fp, fbuf, sizeof fbuf);
		o = strlen(buf);
		if (o + 1 < len)
			buf[o++] = '.';
		for (i = (int)strlen(fbuf); i < places && o + 1 < len; i++)
			buf[o++] = '0';
		buf[o] = '\0';
		/* drop trailing zeros: shortest exact form */
		i = (int)strlen(fbuf);
		while (i > 1 && fbuf[i - 1] == '0')
			fbuf[--i] = '\0';
		strncat(buf, fbuf, len - strlen(buf) - 1);
	}
	return buf;
}

int
money_parse(const char *s, ore_t *out)
{
	i128 ip, fp = 0, v;
	int neg = 0, n, nf = 0;

	/*
	 * What rat_parse reads with at most two decimals, in öre at once:
	 * without a rational's product and gcd (every amount and extent of
	 * every row comes through here)
	 */
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (parse_digits(&s, &ip, &n) < 0)
		return -1;
	if (*s == '.') {
		s++;
		if (parse_digits(&s, &fp, &nf) < 0 || nf > 2)
			return -1;
	}
	if (*s != '\0')
		return -1;
	v = ip * 100 + (nf == 1 ? fp * 10 : fp);
	if (v > INT64_MAX)
		return -1;
	*out = (ore_t)(neg ? -v : v);
	return 0;
}

char *
money_fmt(ore_t v, char *buf, size_t len)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	snprintf(buf, len, "%s%llu.%02llu", v < 0 ? "-" : "", u / 100, u % 100);
	return buf;
}

rat
rat_from_ore(ore_t v)
{
	return rat_make(v, 100);
}

ore_t
ore_from_i128(i128 v)
{
	if (v > INT64_MAX || v < -INT64_MAX)
		die(EXIT_IO, "arithmetic overflow: amount out of range");
	return (ore_t)v;
}

ore_t
rat_to_ore(rat kr)
{
	return ore_from_i128(rat_round_units(kr, rat_make(1, 100)));
}

ore_t
ore_add(ore_t a, ore_t b)
{
	ore_t s;

	if (__builtin_add_overflow(a, b, &s))
		die(EXIT_IO, "arithmetic overflow: amount out of range");
	return s;
}

ore_t
ore_sub(ore_t a, ore_t b)
{
	ore_t s;

	if (__builtin_sub_overflow(a, b, &s))
		die(EXIT_IO, "arithmetic overflow: amount out of range");
	return s;
}
