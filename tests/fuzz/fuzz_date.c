/*
 * fuzz_date: lib/date's date and period parsers on any text.
 * Properties: an accepted date prints back as the same text (the parser
 * is strict YYYY-MM-DD) and its day number maps back to the same day;
 * an accepted period prints back as the same text and its range is
 * non-empty; weekday counts stay within the stretch.
 */
#include <string.h>

#include "date.h"
#include "harness.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[64];
	struct period p;
	long day, first, last, day2;
	int y, m, d;

	if (size > 64)
		return 0;
	s = fuzz_str(data, size);
	FUZZ_TRY({
		if (date_parse(s, &day) == 0) {
			date_fmt(day, buf, sizeof buf);
			fuzz_assert(strcmp(buf, s) == 0);
			date_ymd(day, &y, &m, &d);
			fuzz_assert(date_valid(y, m, d));
			fuzz_assert(date_from_ymd(y, m, d) == day);
			fuzz_assert(weekday(day) >= 0 && weekday(day) <= 6);
			fuzz_assert(date_parse(buf, &day2) == 0 && day2 == day);
		}
		if (period_parse(s, &p) == 0) {
			period_fmt(&p, buf, sizeof buf);
			fuzz_assert(strcmp(buf, s) == 0);
			period_range(&p, &first, &last);
			fuzz_assert(first <= last);
			fuzz_assert(weekdays_between(first, last) <=
			    last - first + 1);
			fuzz_assert(weekdays_between(last, first - 1) == 0);
		}
	});
	free(s);
	fuzz_reset();
	return 0;
}
