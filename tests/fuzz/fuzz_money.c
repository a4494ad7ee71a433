/*
 * fuzz_money: lib/money's parsers on any text.  Properties: what
 * rat_parse accepts as a decimal is printed by rat_fmt in a form that
 * parses back to the same number; fractions p/q parse only with
 * allow_fraction; money_parse's öre print (money_fmt) and parse back to
 * the same öre; rounding to a unit lands within half a unit.  Overflow
 * must die (EXIT_IO), never wrap.
 */
#include <string.h>

#include "harness.h"
#include "money.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[RAT_FMTLEN], buf2[RAT_FMTLEN];
	rat a, b;
	ore_t o, o2;

	if (size > 256)
		return 0;
	s = fuzz_str(data, size);
	FUZZ_TRY({
		if (rat_parse(s, 0, &a) == 0) {
			fuzz_assert(a.d > 0);
			fuzz_assert(strchr(s, '/') == NULL);
			fuzz_assert(rat_terminates(a));
			rat_fmt(a, buf, sizeof buf);
			fuzz_assert(rat_parse(buf, 0, &b) == 0);
			fuzz_assert(rat_cmp(a, b) == 0);
			/* the shortest form is a fixed point */
			rat_fmt(b, buf2, sizeof buf2);
			fuzz_assert(strcmp(buf, buf2) == 0);
			/* half away from zero to the öre, then back */
			o = rat_to_ore(a);
			fuzz_assert(rat_cmp(rat_sub(rat_from_ore(o), a),
			    rat_make(1, 200)) <= 0);
			fuzz_assert(rat_cmp(rat_sub(a, rat_from_ore(o)),
			    rat_make(1, 200)) <= 0);
		}
	});
	FUZZ_TRY({
		if (rat_parse(s, 1, &a) == 0) {
			fuzz_assert(a.d > 0);
			b = rat_add(a, RAT_ONE);
			fuzz_assert(rat_cmp(b, a) > 0);
			(void)rat_round_units(a, rat_make(1, 100));
			rat_fmt(a, buf, sizeof buf);
		}
	});
	FUZZ_TRY({
		if (money_parse(s, &o) == 0) {
			money_fmt(o, buf, sizeof buf);
			fuzz_assert(money_parse(buf, &o2) == 0);
			fuzz_assert(o == o2);
			/* exactly two decimals in the canonical form */
			fuzz_assert(strlen(buf) >= 4 && buf[strlen(buf) - 3] == '.');
		}
	});
	free(s);
	fuzz_reset();
	return 0;
}
