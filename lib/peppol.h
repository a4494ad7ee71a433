/*
 * peppol: one document as a PEPPOL BIS Billing 3.0 e-invoice (UBL 2.1
 * Invoice, or CreditNote for a credit), the points of spec/PEPPOL.md:
 * parties by organisation number (scheme 0007), VAT category E with
 * VATEX-EU-132-1B, the VAT compensation as its own line, the line quantity
 * rule, totals computed in öre.  Written with libxml2's xmlwriter, in the
 * UBL 2.1 schema's element order.  Nothing here keeps memory; the document
 * and parties are the caller's.
 */
#ifndef ALF_PEPPOL_H
#define ALF_PEPPOL_H

#include <stdio.h>

#include "doc.h"

struct peppol_opts {
	int		 payment_days;
	rat		 vat;		/* the VAT compensation rate, 0.06 */
};

/*
 * Whether p can be a party of an e-invoice (org nr of 10 digits with a
 * valid check digit, a city and postal code; a buyer also a reference):
 * NULL, or what is missing.
 */
const char	*peppol_party_missing(const struct party *p, int buyer);

/*
 * Write d to fp.  A kind "credit" becomes a CreditNote with positive
 * amounts; every other kind an Invoice (380).  Returns 0, or -1 when
 * libxml2 failed (the caller dies EXIT_IO).
 */
int	peppol_write(FILE *fp, const struct doc *d, const struct party *seller,
	    const struct party *buyer, const struct peppol_opts *o);

#endif
