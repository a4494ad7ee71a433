/*
 * date: calendar dates, weekdays and the periods of CONTRACTS "CSV dialect".
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * stretches are plain integer ranges.  No time zone or clock is involved.
 * Nothing here allocates.
 */
#ifndef ALF_DATE_H
#define ALF_DATE_H

#include <stddef.h>

#define PERIOD_YEAR	0	/* YYYY */
#define PERIOD_HALF	1	/* YYYY-H1, YYYY-H2 */
#define PERIOD_MONTH	2	/* YYYY-MM */
#define PERIOD_LEN	16

struct period {
	int	year;
	int	kind;
	int	n;		/* half 1–2 or month 1–12 */
};

/* Strict YYYY-MM-DD of a date that exists: 0, or -1. */
int	date_parse(const char *s, long *day);
long	date_from_ymd(int y, int m, int d);
void	date_ymd(long day, int *y, int *m, int *d);
char	*date_fmt(long day, char *buf, size_t len);
int	date_valid(int y, int m, int d);
int	days_in_month(int y, int m);
/* 0 Monday … 6 Sunday */
int	weekday(long day);
/* Mondays to Fridays in [a, b], inclusive; 0 when b < a */
long	weekdays_between(long a, long b);

int	period_parse(const char *s, struct period *p);
char	*period_fmt(const struct period *p, char *buf, size_t len);
/* the first and last day a period covers */
void	period_range(const struct period *p, long *first, long *last);
/*
 * atoi of a year column: four digits read at once (once a row of every
 * activity), anything else as atoi reads it
 */
int	year_atoi(const char *s);

#endif
