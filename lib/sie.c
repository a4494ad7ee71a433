/*
 * sie: SIE 4 (type 4, vouchers) for the payer's accounts payable
 * (spec/SIE.md).  The payer books each document as cost on the line's fund
 * account (or the VAT compensation account) against supplier debt.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sie.h"

/* the Latin letters CP437 has, from U+00A0 up, as (code point, byte) */
static const struct {
	unsigned	cp;
	unsigned char	b;
} cp437[] = {
	{ 0xc4, 0x8e }, { 0xc5, 0x8f }, { 0xc6, 0x92 }, { 0xc7, 0x80 },
	{ 0xc9, 0x90 }, { 0xd1, 0xa5 }, { 0xd6, 0x99 }, { 0xdc, 0x9a },
	{ 0xdf, 0xe1 }, { 0xe0, 0x85 }, { 0xe1, 0xa0 }, { 0xe2, 0x83 },
	{ 0xe4, 0x84 }, { 0xe5, 0x86 }, { 0xe6, 0x91 }, { 0xe7, 0x87 },
	{ 0xe8, 0x8a }, { 0xe9, 0x82 }, { 0xea, 0x88 }, { 0xeb, 0x89 },
	{ 0xec, 0x8d }, { 0xed, 0xa1 }, { 0xee, 0x8c }, { 0xef, 0x8b },
	{ 0xf1, 0xa4 }, { 0xf2, 0x95 }, { 0xf3, 0xa2 }, { 0xf4, 0x93 },
	{ 0xf6, 0x94 }, { 0xf9, 0x97 }, { 0xfa, 0xa3 }, { 0xfb, 0x96 },
	{ 0xfc, 0x81 }, { 0xff, 0x98 },
};

void
sie_cp437(FILE *fp, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	size_t i;
	int n;

	while (*u != '\0') {
		if (*u < 0x80) {
			putc(*u++, fp);
			continue;
		}
		/* decode one UTF-8 sequence; a broken one is one '?' */
		n = *u >= 0xf0 ? 3 : *u >= 0xe0 ? 2 : *u >= 0xc0 ? 1 : 0;
		cp = *u++ & (0x3f >> n);
		for (; n > 0 && (*u & 0xc0) == 0x80; n--)
			cp = cp << 6 | (*u++ & 0x3f);
		for (i = 0; i < sizeof cp437 / sizeof cp437[0]; i++)
			if (cp437[i].cp == cp)
				break;
		putc(i < sizeof cp437 / sizeof cp437[0] ? cp437[i].b : '?', fp);
	}
}

/* a quoted field, `\"` for a quote inside */
static void
field(FILE *fp, const char *s)
{
	const char *p;
	char seq[5];
	int k;

	putc('"', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			putc('\\', fp);
		if ((unsigned char)*p < 0x80) {
			putc(*p, fp);
			continue;
		}
		/* hand the whole UTF-8 sequence to the converter */
		k = 0;
		seq[k++] = *p;
		while (k < 4 && ((unsigned char)p[1] & 0xc0) == 0x80)
			seq[k++] = *++p;
		seq[k] = '\0';
		sie_cp437(fp, seq);
	}
	putc('"', fp);
}

static void
ymd(FILE *fp, long day)
{
	int y, m, d;

	date_ymd(day, &y, &m, &d);
	fprintf(fp, "%04d%02d%02d", y, m, d);
}

static const char *
line_account(const struct sie_book *b, const struct doc_line *l)
{
	return table_get(b->accounts, doc_line_is_vat(l) ? "vat-comp" :
	    l->fund);
}

static int
acct_cmp(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
}

int
sie_write(FILE *fp, const struct sie_book *b, const struct sie_entry *e,
    size_t n, const char **missing)
{
	struct table *used = table_new(), *seq = table_new();
	const char **accts, *a, *payable = table_get(b->accounts, "payable");
	char amt[32];
	size_t i, k, na;
	int j, *no;
	long last = date_from_ymd(b->year, 12, 31);
	ore_t *sums;

	*missing = NULL;
	if (payable == NULL) {
		*missing = "payable";
		return -1;
	}
	*table_slot(used, payable, NULL) = (void *)payable;
	for (i = 0; i < n; i++)
		for (j = 0; j < e[i].doc->n; j++) {
			if ((a = line_account(b, &e[i].doc->lines[j])) == NULL) {
				*missing = doc_line_is_vat(&e[i].doc->lines[j]) ?
				    "vat-comp" : e[i].doc->lines[j].fund;
				table_free(used);
				table_free(seq);
				return -1;
			}
			*table_slot(used, a, NULL) = (void *)a;
		}
	na = table_len(used);
	accts = emalloc(na * sizeof *accts);
	for (k = 0; k < na; k++)
		accts[k] = table_key(used, k);
	if (na > 1)
		qsort(accts, na, sizeof *accts, acct_cmp);

	fputs("#FLAGGA 0\n#PROGRAM \"alf\" \"1\"\n#FORMAT PC8\n#GEN ", fp);
	ymd(fp, b->gen);
	fputs("\n#SIETYP 4\n#FNAMN ", fp);
	field(fp, b->name);
	fprintf(fp, "\n#ORGNR %s\n#RAR 0 %04d0101 %04d1231\n", b->org_nr,
	    b->year, b->year);
	for (k = 0; k < na; k++) {
		a = table_get(b->names, accts[k]);
		fprintf(fp, "#KONTO %s ", accts[k]);
		field(fp, a != NULL ? a : accts[k]);
		putc('\n', fp);
	}
	sums = emalloc(na * sizeof *sums);
	for (i = 0; i < n; i++) {
		const struct doc *d = e[i].doc;
		char text[512];
		void **slot;
		ore_t total = 0;

		memset(sums, 0, na * sizeof *sums);
		for (j = 0; j < d->n; j++) {
			a = line_account(b, &d->lines[j]);
			for (k = 0; k < na && strcmp(accts[k], a) != 0; k++)
				;
			/* STYLE: money sums never wrap */
			sums[k] = ore_add(sums[k], d->lines[j].net);
			total = ore_add(total, d->lines[j].net);
		}
		for (k = 0; k < na && sums[k] == 0; k++)
			;
		if (k == na)
			continue;	/* nothing to book */
		slot = table_slot(seq, e[i].series, NULL);
		if (*slot == NULL)
			*slot = ecalloc(1, sizeof(int));
		no = *slot;
		++*no;
		fputs("#VER ", fp);
		field(fp, e[i].series);
		fprintf(fp, " %d ", *no);
		/* the budget year's cost: a later document is booked at its end */
		ymd(fp, d->issue > last ? last : d->issue);
		snprintf(text, sizeof text, "%s %s", d->id, e[i].counterpart);
		putc(' ', fp);
		field(fp, text);
		fputs("\n{\n", fp);
		for (k = 0; k < na; k++) {
			if (strcmp(accts[k], payable) == 0 || sums[k] == 0)
				continue;
			fprintf(fp, "#TRANS %s {} %s\n", accts[k],
			    money_fmt(sums[k], amt, sizeof amt));
		}
		if (total != 0)
			fprintf(fp, "#TRANS %s {} %s\n", payable,
			    money_fmt(-total, amt, sizeof amt));
		fputs("}\n", fp);
	}
	for (k = 0; k < table_len(seq); k++)
		free(table_val(seq, k));
	table_free(seq);
	table_free(used);
	free(accts);
	free(sums);
	return 0;
}
