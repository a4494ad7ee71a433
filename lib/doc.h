/*
 * doc: the documents money moves on (CONTRACTS "invoices.csv"), in memory.
 *
 * alf-invoice builds them; the writers (invoices.csv, lib/peppol for the
 * e-invoices, lib/sie for the payer's accounting file) only read them.  The
 * program that builds a document owns its lines and their strings; the
 * parties are borrowed from the caller's reference data.
 */
#ifndef ALF_DOC_H
#define ALF_DOC_H

#include "date.h"
#include "money.h"

#define DOC_IDLEN	128

struct doc_line {
	char	*line;		/* budget line id, recharge id or "vat-comp" */
	char	*desc;		/* its text; detail lines name the group */
	char	*title;		/* the line's title alone (an e-invoice's Name) */
	char	*fund;		/* the line's fund (SIE account), or "" */
	char	*qty, *uom, *price;	/* the basis, informational; may be "" */
	ore_t	 net;
};

struct doc {
	char		 id[DOC_IDLEN];
	const char	*kind;	/* invoice recharge payment settlement credit debit */
	char		 corrects[DOC_IDLEN];
	long		 corrects_issue;	/* the corrected one's issue date */
	char		*issuer, *recipient;
	long		 issue, due;
	char		 period[PERIOD_LEN];
	struct doc_line	*lines;
	int		 n;
	int		 vat;		/* payer ↔ private provider: vat-comp */
	int		 issued;	/* read from --issued: written unchanged */
};

/* a party of an e-invoice or a voucher: strings borrowed, "" when absent */
struct party {
	const char	*id, *name, *org_nr;
	const char	*street, *postal_code, *city;
	const char	*bankgiro, *vat_nr, *reference;
};

static inline int
doc_line_is_vat(const struct doc_line *l)
{
	return l->line[0] == 'v' && l->line[1] == 'a' &&
	    l->line[2] == 't' && l->line[3] == '-';	/* "vat-comp" */
}

/* the document's total: Σ net of its lines (STYLE: sums never wrap) */
static inline ore_t
doc_total(const struct doc *d)
{
	ore_t s = 0;
	int i;

	for (i = 0; i < d->n; i++)
		s = ore_add(s, d->lines[i].net);
	return s;
}

/* Σ net of the lines other than vat-comp */
static inline ore_t
doc_net(const struct doc *d)
{
	ore_t s = 0;
	int i;

	for (i = 0; i < d->n; i++)
		if (!doc_line_is_vat(&d->lines[i]))
			s = ore_add(s, d->lines[i].net);
	return s;
}

#endif
