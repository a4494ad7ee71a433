/*
 * fuzz_decode: lib/decode's value parsers, which read the cells of office
 * exports (decimal commas, digit groups, `%`, `kr`, YYYYMMDD, a time of
 * day, VT24, HT 2024, Excel's ="0123"), on any text.  Properties: what
 * decode_number, decode_percent and decode_money accept is an exact
 * number that prints canonically and parses back the same; what
 * decode_date, decode_term and decode_year accept is a day or period that
 * exists, prints canonically and is read back the same; a cell
 * decode_text trims is no longer and stays well-formed UTF-8, and
 * utf8_scrub always gives well-formed UTF-8.  The input is a C string in
 * a buffer of exactly its length, so a read past its end is found.
 */
#include <string.h>

#include "date.h"
#include "decode.h"
#include "harness.h"
#include "money.h"

static void
numbers(const char *s, int fraction)
{
	char buf[RAT_FMTLEN];
	rat a, b;
	ore_t o, o2;

	if (decode_number(s, &a) == 0) {
		fuzz_assert(a.d > 0);
		fuzz_assert(rat_terminates(a));
		rat_fmt(a, buf, sizeof buf);
		fuzz_assert(rat_parse(buf, 0, &b) == 0);
		fuzz_assert(rat_cmp(a, b) == 0);
	}
	if (decode_percent(s, fraction, &a) == 0) {
		fuzz_assert(a.d > 0);
		rat_fmt(a, buf, sizeof buf);
		/* a fraction × 100 may pass rat_parse's digits: no real extent */
		if (rat_cmp(a, rat_int(1000000000000LL)) < 0 &&
		    rat_cmp(a, rat_int(-1000000000000LL)) > 0) {
			fuzz_assert(rat_parse(buf, 0, &b) == 0);
			fuzz_assert(rat_cmp(a, b) == 0);
		}
	}
	if (decode_money(s, &o) == 0) {
		money_fmt(o, buf, sizeof buf);
		fuzz_assert(money_parse(buf, &o2) == 0 && o == o2);
		/* the canonical form is an export's amount too */
		fuzz_assert(decode_money(buf, &o2) == 0 && o == o2);
	}
}

static void
dates(const char *s)
{
	char buf[64];
	struct period p;
	long day, day2, first, last;

	if (decode_date(s, &day) == 0) {
		date_fmt(day, buf, sizeof buf);
		fuzz_assert(date_parse(buf, &day2) == 0 && day2 == day);
		fuzz_assert(decode_date(buf, &day2) == 0 && day2 == day);
	}
	if (decode_term(s, &p) == 0) {
		period_fmt(&p, buf, sizeof buf);
		fuzz_assert(period_parse(buf, &p) == 0);
		period_range(&p, &first, &last);
		fuzz_assert(first <= last);
		fuzz_assert(decode_term(buf, &p) == 0);
	}
	if (decode_year(s, &p) == 0) {
		period_fmt(&p, buf, sizeof buf);
		fuzz_assert(period_parse(buf, &p) == 0);
		fuzz_assert(decode_year(buf, &p) == 0);
	}
}

static void
text(const char *s)
{
	char buf[256], *t;
	size_t n = strlen(s);
	int valid = utf8_valid(s);

	t = fuzz_str((const uint8_t *)s, n);
	decode_text(t);
	fuzz_assert(strlen(t) <= n);
	fuzz_assert(!valid || utf8_valid(t));
	free(t);
	utf8_scrub(s, buf, sizeof buf);
	fuzz_assert(strlen(buf) < sizeof buf);
	fuzz_assert(utf8_valid(buf));
	/* well-formed text that fits comes through unchanged */
	if (valid && n + 5 <= sizeof buf)
		fuzz_assert(strcmp(buf, s) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 128)
		return 0;
	s = fuzz_str(data, size);
	FUZZ_TRY(numbers(s, size & 1));
	FUZZ_TRY(dates(s));
	FUZZ_TRY(text(s));
	free(s);
	fuzz_reset();
	return 0;
}
