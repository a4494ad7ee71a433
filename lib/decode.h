/*
 * decode: what Swedish offices' exports look like, read into canonical
 * values (issue 11 "Decoding what offices produce").
 *
 * decode_open gives a byte stream in UTF-8 whatever the file's encoding
 * (UTF-8 with or without BOM, Windows-1252, ISO-8859-1: detected from the
 * first 64 KiB, or declared).  A byte the encoding cannot hold is passed
 * through as an invalid UTF-8 byte, so the row holding it is rejected as
 * mis-encoded rather than silently changed.  The value parsers are strict
 * and total: they return -1 for anything they do not consume in full, and
 * never use floating point.  Buffers are the caller's; nothing here keeps
 * memory except the stream decode_open returns (fclose frees it).
 */
#ifndef ALF_DECODE_H
#define ALF_DECODE_H

#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "money.h"

#define ENC_AUTO	0
#define ENC_UTF8	1
#define ENC_CP1252	2
#define ENC_LATIN1	3

/* "auto", "utf-8", "windows-1252", "iso-8859-1" (and usual aliases); -1 */
int		 decode_encoding(const char *name);
const char	*decode_encoding_name(int enc);

/*
 * Open path ("-": standard input) as UTF-8.  enc ENC_AUTO detects; *used
 * gets the encoding chosen.  Dies EXIT_IO when the file cannot be read
 * (a directory, a read error).  The stream is the caller's to fclose;
 * closing it closes the file too (never standard input).  *strays (when
 * strays is not NULL) counts, as the stream is read, the bytes of a
 * Windows-1252 file its code page has no letter for, passed through as
 * they are: until one comes by, a single-byte file's UTF-8 is well-formed
 * and need not be checked; it is NULL for a UTF-8 file, which always
 * must be.  It lives until the stream is closed.
 */
FILE	*decode_open(const char *path, int enc, int *used,
	    const unsigned long **strays);

/* 1 when s is well-formed UTF-8 */
int	 utf8_valid(const char *s);
/* the same on the n bytes at s */
int	 utf8_valid_len(const char *s, size_t n);
/* s with each byte of a malformed sequence as U+FFFD, for reject files */
char	*utf8_scrub(const char *s, char *buf, size_t len);

/*
 * A cell as text: Excel's ="0123" guard removed, surrounding spaces and
 * no-break spaces trimmed.  In place; returns s.
 */
char	*decode_text(char *s);
/* the same on the n bytes at s, s[n] the NUL; the new length */
size_t	 decode_text_len(char *s, size_t n);
/*
 * 1 when decode_text_len leaves the n bytes at s as they are: most cells
 * have nothing to trim and no guard, seen at either end (inline: a dozen
 * cells a row, issue 11 "Performance")
 */
static inline int
decode_text_plain(const char *s, size_t n)
{
	unsigned char a, z;

	if (n == 0)
		return 1;
	a = (unsigned char)s[0];
	z = (unsigned char)s[n - 1];
	return a != ' ' && a != '\t' && a != 0xC2 && a != 0xE2 && a != '=' &&
	    z != ' ' && z != '\t' && z != 0xA0 && z != 0xAF && z != 0x89;
}
/*
 * A decimal number: `-`, decimal comma or point, digit groups of three
 * separated by space, no-break space or `.` where that cannot be a decimal
 * point (`1.234.567`, `1.234,5`).  `1.234` alone is ambiguous: -1.
 */
int	 decode_number(const char *s, rat *r);
/* YYYY-MM-DD, YYYYMMDD, YYYY-MM-DD HH:MM[:SS] of a date that exists */
int	 decode_date(const char *s, long *day);
/* percent of full time: `100`, `100 %`, `62,5`; fraction: `1,0` is 100 */
int	 decode_percent(const char *s, int fraction, rat *r);
/* kronor: a number with at most two decimals, `kr` allowed after it */
int	 decode_money(const char *s, ore_t *o);
/* a term: VT24, HT 2024, VT2024 → YYYY-H1/H2; YYYY-H1 as itself */
int	 decode_term(const char *s, struct period *p);
/* a year: YYYY */
int	 decode_year(const char *s, struct period *p);

#endif
