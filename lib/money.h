/*
 * money: exact numbers for money and quantities.
 *
 * A rat is an exact fraction n/d (d > 0; sums of like decimals are not
 * reduced, so do not compare n and d directly) held in 128-bit
 * integers; every operation checks for overflow and dies (EXIT_IO) rather
 * than wrap, because a wrapped krona is worse than a stopped run
 * (CONTRACTS "Allocation arithmetic": never double).  Money that has been
 * rounded is a count of öre in an ore_t.  Nothing here allocates; buffers
 * are the caller's.
 */
#ifndef ALF_MONEY_H
#define ALF_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef __int128 i128;
typedef struct rat {
	i128	n;
	i128	d;
} rat;
typedef long long ore_t;

#define RAT_ZERO	((rat){ 0, 1 })
#define RAT_ONE		((rat){ 1, 1 })
#define RAT_FMTLEN	96

/*
 * Parse a decimal `-?[0-9]+(.[0-9]+)?` (at most 18 digits either side) or,
 * with allow_fraction, also `p/q`.  Returns 0, or -1 when the text is not
 * such a number in full.
 */
int	rat_parse(const char *s, int allow_fraction, rat *r);
rat	rat_int(long long v);
rat	rat_make(i128 n, i128 d);
rat	rat_add(rat a, rat b);
rat	rat_sub(rat a, rat b);
rat	rat_mul(rat a, rat b);
rat	rat_div(rat a, rat b);		/* b != 0 */
int	rat_cmp(rat a, rat b);
int	rat_sign(rat a);
int	rat_is_zero(rat a);
i128	rat_floor(rat a);
/* a rounded half away from zero to a whole number of `unit`s: the count */
i128	rat_round_units(rat a, rat unit);
/* shortest exact decimal ("1.4"); a non-terminating value gets 10 places */
char	*rat_fmt(rat a, char *buf, size_t len);
/* 1 when a has a finite decimal expansion */
int	rat_terminates(rat a);
/* i128 as decimal digits */
char	*i128_fmt(i128 v, char *buf, size_t len);

/* Money: kronor with at most two decimals, as öre. 0 or -1. */
int	money_parse(const char *s, ore_t *out);
/* "-1234.50" */
char	*money_fmt(ore_t v, char *buf, size_t len);
rat	rat_from_ore(ore_t v);
/* a rational number of kronor rounded half away from zero to the öre */
ore_t	rat_to_ore(rat kr);
/* a + b, checked: money sums never wrap (dies EXIT_IO) */
ore_t	ore_add(ore_t a, ore_t b);
/* a − b, checked the same way */
ore_t	ore_sub(ore_t a, ore_t b);
/* checked conversion of a whole count to ore_t; dies on overflow */
ore_t	ore_from_i128(i128 v);

#endif
