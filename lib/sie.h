/*
 * sie: a payer's accounting entries as an SIE 4 file (spec/SIE.md): CP437,
 * #RAR of the budget year, #KONTO for every account used, one #VER per
 * document whose #TRANS rows balance to zero in öre.  The caller resolves
 * accounts and names beforehand; everything passed in is borrowed.
 */
#ifndef ALF_SIE_H
#define ALF_SIE_H

#include <stdio.h>

#include "doc.h"
#include "table.h"

struct sie_book {
	const char	*name, *org_nr;	/* the payer (#FNAMN, #ORGNR) */
	int		 year;		/* #RAR 0 */
	long		 gen;		/* #GEN, never the clock */
	struct table	*accounts;	/* fund, "vat-comp", "payable" → account */
	struct table	*names;		/* account → name (#KONTO) */
};

struct sie_entry {
	const struct doc	*doc;
	const char		*series;	/* the payer's voucher series */
	const char		*counterpart;	/* the provider's name */
};

/* 0, or -1 when a line's fund has no account (named in *missing) */
int	sie_write(FILE *fp, const struct sie_book *b, const struct sie_entry *e,
	    size_t n, const char **missing);
/* UTF-8 to CP437 (spec/SIE.md: PC8); a letter CP437 lacks becomes '?' */
void	sie_cp437(FILE *fp, const char *utf8);

#endif
