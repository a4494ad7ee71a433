/*
 * peppol: UBL 2.1 for PEPPOL BIS Billing 3.0 (spec/PEPPOL.md).  Elements
 * are written in the order of the UBL 2.1 schema (Invoice-2, CreditNote-2),
 * which a receiving access point checks and the rules do not.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "err.h"
#include "peppol.h"
#include "ref.h"

#define CUSTOMIZATION \
	"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#define PROFILE		"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#define NS_CAC	"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC	"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

struct pw {
	xmlTextWriterPtr	 w;
	int			 bad;
};

static void
digits_only(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < len; s++)
		if (isdigit((unsigned char)*s))
			buf[o++] = *s;
	buf[o] = '\0';
}

const char *
peppol_party_missing(const struct party *p, int buyer)
{
	char d[32];

	digits_only(p->org_nr, d, sizeof d);
	if (strlen(d) != 10 || !luhn_ok(d))
		return "no organisation number";
	if (p->city == NULL || *p->city == '\0' || p->postal_code == NULL ||
	    *p->postal_code == '\0')
		return "no address";
	/* PEPPOL-EN16931-R003: the buyer's reference is mandatory */
	if (buyer && (p->reference == NULL || *p->reference == '\0'))
		return "no reference";
	return NULL;
}

static void
start(struct pw *pw, const char *name)
{
	if (xmlTextWriterStartElement(pw->w, BAD_CAST name) < 0)
		pw->bad = 1;
}

static void
end(struct pw *pw)
{
	if (xmlTextWriterEndElement(pw->w) < 0)
		pw->bad = 1;
}

static void
attr(struct pw *pw, const char *name, const char *v)
{
	if (xmlTextWriterWriteAttribute(pw->w, BAD_CAST name, BAD_CAST v) < 0)
		pw->bad = 1;
}

/* PEPPOL-EN16931-R008: no empty elements, so an empty value writes none */
static void
el(struct pw *pw, const char *name, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	if (xmlTextWriterWriteElement(pw->w, BAD_CAST name, BAD_CAST text) < 0)
		pw->bad = 1;
}

static void
el_attr(struct pw *pw, const char *name, const char *an, const char *av,
    const char *text)
{
	start(pw, name);
	attr(pw, an, av);
	if (xmlTextWriterWriteString(pw->w, BAD_CAST text) < 0)
		pw->bad = 1;
	end(pw);
}

/* BR-DEC-*: amounts with exactly two decimals, in the document currency */
static void
amount(struct pw *pw, const char *name, ore_t v)
{
	char buf[32];

	el_attr(pw, name, "currencyID", "SEK", money_fmt(v, buf, sizeof buf));
}

static void
date_el(struct pw *pw, const char *name, long day)
{
	char buf[16];

	el(pw, name, date_fmt(day, buf, sizeof buf));
}

/* "1 234 567,89": the Swedish way, for descriptions only */
static char *
sv_number(const char *dec, char *buf, size_t len)
{
	const char *dot = strchr(dec, '.');
	size_t ilen = dot != NULL ? (size_t)(dot - dec) : strlen(dec);
	size_t i, o = 0, start = dec[0] == '-';

	if (start && o + 1 < len)
		buf[o++] = '-';
	for (i = start; i < ilen && o + 4 < len; i++) {
		if (i > start && (ilen - i) % 3 == 0)
			buf[o++] = ' ';
		buf[o++] = dec[i];
	}
	if (dot != NULL) {
		buf[o++] = ',';
		for (dot++; *dot != '\0' && o + 1 < len; dot++)
			buf[o++] = *dot;
	}
	buf[o] = '\0';
	return buf;
}

static const char *
unit_code(const char *uom)
{
	/* BR-CL-23: an unknown code fails, so anything else is C62 */
	if (strcmp(uom, "weeks") == 0)
		return "WEE";
	if (strcmp(uom, "months") == 0)
		return "MON";
	if (strcmp(uom, "days") == 0)
		return "DAY";
	return "C62";
}

static const char *
unit_text(const char *uom)
{
	if (strcmp(uom, "weeks") == 0)
		return "veckor";
	if (strcmp(uom, "months") == 0)
		return "månader";
	if (strcmp(uom, "days") == 0)
		return "dagar";
	if (strcmp(uom, "hap") == 0)
		return "HÅP";
	return uom;
}

static void
party(struct pw *pw, const struct party *p, int seller)
{
	char org[32], zone[32];

	digits_only(p->org_nr, org, sizeof org);
	digits_only(p->postal_code, zone, sizeof zone);
	start(pw, "cac:Party");
	/* PEPPOL-COMMON-R049: scheme 0007, ten digits, Luhn */
	el_attr(pw, "cbc:EndpointID", "schemeID", "0007", org);
	start(pw, "cac:PartyName");
	el(pw, "cbc:Name", p->name);
	end(pw);
	start(pw, "cac:PostalAddress");
	el(pw, "cbc:StreetName", p->street);
	el(pw, "cbc:CityName", p->city);
	el(pw, "cbc:PostalZone", zone);
	start(pw, "cac:Country");
	el(pw, "cbc:IdentificationCode", "SE");
	end(pw);
	end(pw);
	if (seller) {
		/* SE-R-001, SE-R-002: SE + 12 digits */
		if (p->vat_nr != NULL && strlen(p->vat_nr) == 14) {
			start(pw, "cac:PartyTaxScheme");
			el(pw, "cbc:CompanyID", p->vat_nr);
			start(pw, "cac:TaxScheme");
			el(pw, "cbc:ID", "VAT");
			end(pw);
			end(pw);
		}
		/* BR-E-02 and SE-R-005: the F-skatt registration */
		start(pw, "cac:PartyTaxScheme");
		el(pw, "cbc:CompanyID", "Godkänd för F-skatt");
		start(pw, "cac:TaxScheme");
		el(pw, "cbc:ID", "TAX");
		end(pw);
		end(pw);
	}
	start(pw, "cac:PartyLegalEntity");
	el(pw, "cbc:RegistrationName", p->name);
	el_attr(pw, "cbc:CompanyID", "schemeID", "0007", org);
	end(pw);
	end(pw);
}

static void
tax_category(struct pw *pw, const char *name, int reason)
{
	start(pw, name);
	el(pw, "cbc:ID", "E");
	/* BR-E-05: category E needs Percent 0 */
	el(pw, "cbc:Percent", "0");
	if (reason)
		/* BR-E-10, BR-CL-22: health care is exempt */
		el(pw, "cbc:TaxExemptionReasonCode", "VATEX-EU-132-1B");
	start(pw, "cac:TaxScheme");
	el(pw, "cbc:ID", "VAT");
	end(pw);
	end(pw);
}

/* the percent of a rate: 0.06 → "6" */
static char *
percent(rat r, char *buf, size_t len)
{
	return rat_fmt(rat_mul(r, rat_int(100)), buf, len);
}

static void
line(struct pw *pw, const struct doc *d, const struct doc_line *l, int no,
    int sign, int credit, const struct peppol_opts *o)
{
	char buf[RAT_FMTLEN], qbuf[RAT_FMTLEN], pbuf[RAT_FMTLEN], no_s[16];
	char desc[512], name[256], n1[64], n2[64];
	ore_t net = sign * l->net, mag = net < 0 ? -net : net;
	rat q, p;
	int exact = 0;

	/*
	 * PEPPOL-EN16931-R120: quantity × price must give the net, so the
	 * basis is quantity and price only when it does to the öre; else
	 * quantity 1 and the basis in the description.  BR-27: prices are
	 * never negative, so a negative amount carries its sign in the
	 * quantity.
	 */
	desc[0] = '\0';
	if (!doc_line_is_vat(l) && *l->qty != '\0' && *l->price != '\0' &&
	    rat_parse(l->qty, 0, &q) == 0 && rat_parse(l->price, 0, &p) == 0 &&
	    rat_sign(q) > 0 && rat_sign(p) > 0) {
		exact = rat_cmp(rat_mul(q, p), rat_from_ore(mag)) == 0;
		if (!exact)
			snprintf(desc, sizeof desc, "%s %s × %s kr",
			    sv_number(l->qty, n1, sizeof n1), unit_text(l->uom),
			    sv_number(l->price, n2, sizeof n2));
	}
	if (doc_line_is_vat(l)) {
		/* the compensation is not VAT: its own line, category E */
		snprintf(desc, sizeof desc, "%s %% × %s kr",
		    sv_number(percent(o->vat, buf, sizeof buf), n1, sizeof n1),
		    sv_number(money_fmt(sign * doc_net(d), qbuf, sizeof qbuf),
		    n2, sizeof n2));
		snprintf(name, sizeof name, "Momskompensation %s %%",
		    sv_number(percent(o->vat, buf, sizeof buf), n1, sizeof n1));
	} else
		snprintf(name, sizeof name, "%s", *l->desc ? l->desc : l->line);
	if (exact) {
		snprintf(qbuf, sizeof qbuf, "%s%s", net < 0 ? "-" : "", l->qty);
		snprintf(pbuf, sizeof pbuf, "%s", l->price);
	} else {
		snprintf(qbuf, sizeof qbuf, "%s", net < 0 ? "-1" : "1");
		money_fmt(mag, pbuf, sizeof pbuf);
	}
	snprintf(no_s, sizeof no_s, "%d", no);
	start(pw, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
	el(pw, "cbc:ID", no_s);
	el_attr(pw, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity",
	    "unitCode", exact ? unit_code(l->uom) : "C62", qbuf);
	amount(pw, "cbc:LineExtensionAmount", net);
	start(pw, "cac:Item");
	el(pw, "cbc:Description", desc);
	el(pw, "cbc:Name", name);
	tax_category(pw, "cac:ClassifiedTaxCategory", 0);
	end(pw);
	start(pw, "cac:Price");
	el_attr(pw, "cbc:PriceAmount", "currencyID", "SEK", pbuf);
	end(pw);
	end(pw);
}

int
peppol_write(FILE *fp, const struct doc *d, const struct party *seller,
    const struct party *buyer, const struct peppol_opts *o)
{
	struct pw pw = { NULL, 0 };
	xmlBufferPtr buf = xmlBufferCreate();
	int credit = strcmp(d->kind, "credit") == 0, sign = credit ? -1 : 1;
	char pid[DOC_IDLEN], bg[32], terms[64];
	const char *s;
	size_t k = 0;
	ore_t total = sign * doc_total(d);
	struct period pp;
	long first, last;
	int i;

	if (buf == NULL || (pw.w = xmlNewTextWriterMemory(buf, 0)) == NULL)
		return -1;
	if (xmlTextWriterSetIndent(pw.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(pw.w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(pw.w, NULL, "UTF-8", NULL) < 0)
		pw.bad = 1;
	start(&pw, credit ? "CreditNote" : "Invoice");
	attr(&pw, "xmlns", credit ?
	    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" :
	    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
	attr(&pw, "xmlns:cac", NS_CAC);
	attr(&pw, "xmlns:cbc", NS_CBC);
	el(&pw, "cbc:CustomizationID", CUSTOMIZATION);
	el(&pw, "cbc:ProfileID", PROFILE);
	el(&pw, "cbc:ID", d->id);
	date_el(&pw, "cbc:IssueDate", d->issue);
	if (credit)
		el(&pw, "cbc:CreditNoteTypeCode", "381");
	else {
		/* BR-CO-25 (CEN 1.3.14.1): a due date */
		date_el(&pw, "cbc:DueDate", d->due);
		el(&pw, "cbc:InvoiceTypeCode", "380");
	}
	el(&pw, "cbc:DocumentCurrencyCode", "SEK");
	/* PEPPOL-EN16931-R003 */
	el(&pw, "cbc:BuyerReference", buyer->reference);
	if (period_parse(d->period, &pp) == 0) {
		period_range(&pp, &first, &last);
		start(&pw, "cac:InvoicePeriod");
		date_el(&pw, "cbc:StartDate", first);
		date_el(&pw, "cbc:EndDate", last);
		end(&pw);
	}
	if (*d->corrects != '\0') {
		start(&pw, "cac:BillingReference");
		start(&pw, "cac:InvoiceDocumentReference");
		el(&pw, "cbc:ID", d->corrects);
		if (d->corrects_issue != 0)
			date_el(&pw, "cbc:IssueDate", d->corrects_issue);
		end(&pw);
		end(&pw);
	}
	start(&pw, "cac:AccountingSupplierParty");
	party(&pw, seller, 1);
	end(&pw);
	start(&pw, "cac:AccountingCustomerParty");
	party(&pw, buyer, 0);
	end(&pw);
	/* without a bankgiro, no PaymentMeans (SE-R-008, SE-R-009) */
	digits_only(seller->bankgiro, bg, sizeof bg);
	if (strlen(bg) >= 7 && strlen(bg) <= 8) {
		for (s = d->id; *s != '\0' && k + 1 < sizeof pid; s++)
			if (*s != '-')
				pid[k++] = *s;
		pid[k] = '\0';
		start(&pw, "cac:PaymentMeans");
		el(&pw, "cbc:PaymentMeansCode", "30");
		/* a UBL 2.1 CreditNote has no DueDate */
		if (credit)
			date_el(&pw, "cbc:PaymentDueDate", d->due);
		el(&pw, "cbc:PaymentID", pid);
		start(&pw, "cac:PayeeFinancialAccount");
		el(&pw, "cbc:ID", bg);
		start(&pw, "cac:FinancialInstitutionBranch");
		el(&pw, "cbc:ID", "SE:BANKGIRO");
		end(&pw);
		end(&pw);
		end(&pw);
	}
	/* 002 §6: payment within 30 days */
	snprintf(terms, sizeof terms, "%d dagar netto", o->payment_days);
	start(&pw, "cac:PaymentTerms");
	el(&pw, "cbc:Note", terms);
	end(&pw);
	/* BR-E-01, BR-E-08, BR-E-09: one E subtotal, tax 0 */
	start(&pw, "cac:TaxTotal");
	amount(&pw, "cbc:TaxAmount", 0);
	start(&pw, "cac:TaxSubtotal");
	amount(&pw, "cbc:TaxableAmount", total);
	amount(&pw, "cbc:TaxAmount", 0);
	tax_category(&pw, "cac:TaxCategory", 1);
	end(&pw);
	end(&pw);
	/* BR-CO-10, -13, -15, -16: all the same sum, in öre */
	start(&pw, "cac:LegalMonetaryTotal");
	amount(&pw, "cbc:LineExtensionAmount", total);
	amount(&pw, "cbc:TaxExclusiveAmount", total);
	amount(&pw, "cbc:TaxInclusiveAmount", total);
	amount(&pw, "cbc:PayableAmount", total);
	end(&pw);
	for (i = 0; i < d->n; i++)
		line(&pw, d, &d->lines[i], i + 1, sign, credit, o);
	end(&pw);
	if (xmlTextWriterEndDocument(pw.w) < 0)
		pw.bad = 1;
	xmlFreeTextWriter(pw.w);
	if (xmlBufferCCat(buf, "\n") != 0)
		pw.bad = 1;
	if (!pw.bad && fwrite(xmlBufferContent(buf), 1,
	    (size_t)xmlBufferLength(buf), fp) != (size_t)xmlBufferLength(buf))
		pw.bad = 1;
	xmlBufferFree(buf);
	return pw.bad ? -1 : 0;
}
