/* ref: data directory, streams.csv and providers.csv. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "err.h"
#include "ref.h"

#ifndef ALF_DATADIR
#define ALF_DATADIR "pipelines"
#endif

char *
datadir_file(const char *name)
{
	if (strchr(name, '/') != NULL)
		return estrdup(name);
	return datadir_join(name);
}

char *
datadir_join(const char *rel)
{
	const char *dir, *name = rel;
	size_t n;
	char *p;

	if ((dir = getenv("ALF_DATADIR")) == NULL || *dir == '\0')
		dir = ALF_DATADIR;
	n = strlen(dir) + strlen(name) + 2;
	p = emalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

struct table *
streams_load(void)
{
	char *path = datadir_file("streams.csv");
	struct table *t = table_new();
	struct csvr *r = csvr_open(path, ',');
	int cs = csvr_require(r, "stream"), cu = csvr_require(r, "uom");
	void **slot;
	int created;

	while (csvr_next(r)) {
		if (csvr_bad(r) || *csvr_field(r, cs) == '\0' ||
		    *csvr_field(r, cu) == '\0')
			die(EXIT_USAGE, "%s:%ld: malformed stream row", path,
			    csvr_line(r));
		slot = table_slot(t, csvr_field(r, cs), &created);
		if (!created)
			die(EXIT_USAGE, "%s:%ld: stream: duplicate (%s)", path,
			    csvr_line(r), csvr_field(r, cs));
		*slot = estrdup(csvr_field(r, cu));
	}
	csvr_close(r);
	free(path);
	return t;
}

int
luhn_digits(const char *d, int n)
{
	/* a doubled digit's digit sum: 2d, less 9 past 9 */
	static const int twice[10] = { 0, 2, 4, 6, 8, 1, 3, 5, 7, 9 };
	int sum = 0, i;

	for (i = n - 1; i >= 0; i--)
		sum += (n - 1 - i) & 1 ? twice[d[i] - '0'] : d[i] - '0';
	return sum % 10 == 0;
}

int
luhn_ok(const char *d)
{
	int i, n = (int)strlen(d);

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)d[i]))
			return 0;
	return luhn_digits(d, n);
}

/* Latin-1 letters in UTF-8 (C3 xx) folded to their base letter */
static char
fold_c3(unsigned char c)
{
	static const char map[] =
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyts"	/* C3 80–9F, upper */
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";	/* C3 A0–BF, lower */

	return c >= 0x80 && c <= 0xBF ? map[c - 0x80] : '?';
}

static void
fold_to(char *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int space = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == 0xA0) {
			space = 1;
			continue;
		}
		if (*p == 0xC2 && p[1] == 0xA0) {	/* no-break space */
			p++;
			space = 1;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		if (*p == 0xC3 && p[1] != '\0')
			*o++ = fold_c3(*++p);
		else
			*o++ = (char)tolower(*p);
	}
	*o = '\0';
}

char *
name_fold(const char *s)
{
	char *out = emalloc(strlen(s) + 1);

	fold_to(out, s);
	return out;
}

char *
name_fold_into(const char *s, char *buf, size_t len)
{
	/* the fold is never longer than s */
	if (strlen(s) >= len)
		return NULL;
	fold_to(buf, s);
	return buf;
}

static char *
field(const struct csvr *r, const char *name)
{
	return estrdup(csvr_field(r, csvr_col(r, name)));
}

static void
index_name(struct providers *ps, struct provider *p, const char *name,
    const char *path, long line)
{
	char *k = name_fold(name);
	void **slot;
	int created;

	if (*k != '\0') {
		slot = table_slot(ps->by_name, k, &created);
		if (!created && *slot != p)
			die(EXIT_USAGE, "%s:%ld: aliases: name names two providers (%s)",
			    path, line, name);
		*slot = p;
	}
	free(k);
}

static int
yes(const char *path, long line, const char *col, const char *v, int dflt)
{
	if (*v == '\0')
		return dflt;
	if (strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 0;
	die(EXIT_USAGE, "%s:%ld: %s: not yes or no (%s)", path, line, col, v);
}

static int
valid_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '_'))
			return 0;
	return 1;
}

struct providers *
providers_load(const char *path)
{
	struct providers *ps = ecalloc(1, sizeof *ps);
	struct csvr *r = csvr_open(path, ',');
	struct provider *p;
	char digits[16], *a, *bar, *aliases;
	void **slot;
	int created, cap = 0;
	long line;

	csvr_require(r, "provider");
	csvr_require(r, "name");
	csvr_require(r, "ownership");
	csvr_require(r, "payment");
	ps->by_id = table_new();
	ps->by_name = table_new();
	while (csvr_next(r)) {
		line = csvr_line(r);
		if (csvr_bad(r) || csvr_nfields(r) != csvr_ncols(r))
			die(EXIT_USAGE, "%s:%ld: expected %d fields, found %d",
			    path, line, csvr_ncols(r), csvr_nfields(r));
		p = ecalloc(1, sizeof *p);
		p->id = field(r, "provider");
		p->name = field(r, "name");
		p->org_nr = field(r, "org_nr");
		p->ownership = field(r, "ownership");
		p->payment = field(r, "payment");
		p->report_as = field(r, "report_as");
		p->street = field(r, "street");
		p->postal_code = field(r, "postal_code");
		p->city = field(r, "city");
		p->bankgiro = field(r, "bankgiro");
		p->vat_nr = field(r, "vat_nr");
		p->reference = field(r, "reference");
		p->fte = field(r, "fte");
		if (!valid_id(p->id))
			die(EXIT_USAGE, "%s:%ld: provider: not an id of A-Z, 0-9 "
			    "and _ (%s)", path, line, p->id);
		if (*p->name == '\0')
			die(EXIT_USAGE, "%s:%ld: name: empty", path, line);
		if (strcmp(p->ownership, "region") != 0 &&
		    strcmp(p->ownership, "private") != 0)
			die(EXIT_USAGE, "%s:%ld: ownership: not region or private "
			    "(%s)", path, line, p->ownership);
		if (strcmp(p->payment, "invoice") != 0 &&
		    strcmp(p->payment, "monthly") != 0)
			die(EXIT_USAGE, "%s:%ld: payment: not invoice or monthly "
			    "(%s)", path, line, p->payment);
		if (*p->org_nr != '\0') {
			if (strlen(p->org_nr) != 11 || p->org_nr[6] != '-')
				die(EXIT_USAGE, "%s:%ld: org_nr: not NNNNNN-NNNN (%s)",
				    path, line, p->org_nr);
			snprintf(digits, sizeof digits, "%.6s%.4s", p->org_nr,
			    p->org_nr + 7);
			if (!luhn_ok(digits))
				die(EXIT_USAGE, "%s:%ld: org_nr: check digit wrong "
				    "(%s)", path, line, p->org_nr);
		}
		p->private_ = strcmp(p->ownership, "private") == 0;
		p->monthly = strcmp(p->payment, "monthly") == 0;
		p->invoiceable = yes(path, line, "invoiceable",
		    csvr_field(r, csvr_col(r, "invoiceable")), 1);
		p->aka = yes(path, line, "aka",
		    csvr_field(r, csvr_col(r, "aka")), 0);
		p->order = ps->n;
		slot = table_slot(ps->by_id, p->id, &created);
		if (!created)
			die(EXIT_USAGE, "%s:%ld: provider: duplicate (%s)", path,
			    line, p->id);
		*slot = p;
		if (ps->n == cap) {
			cap = cap ? cap * 2 : 32;
			ps->v = erealloc(ps->v, cap * sizeof *ps->v);
		}
		ps->v[ps->n++] = p;
		index_name(ps, p, p->id, path, line);
		index_name(ps, p, p->name, path, line);
		aliases = field(r, "aliases");
		for (a = aliases; a != NULL; a = bar) {
			if ((bar = strchr(a, '|')) != NULL)
				*bar++ = '\0';
			index_name(ps, p, a, path, line);
		}
		free(aliases);
	}
	csvr_close(r);
	return ps;
}

struct provider *
provider_by_id(const struct providers *p, const char *id)
{
	return table_get(p->by_id, id);
}

struct provider *
provider_lookup(const struct providers *ps, const char *name)
{
	char *k = name_fold(name);
	struct provider *p = table_get(ps->by_name, k);

	free(k);
	return p;
}

/* Levenshtein distance on bytes, for suggestions only */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	row = emalloc((lb + 1) * sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

char *
provider_suggest(const struct providers *ps, const char *name, char *buf,
    size_t len)
{
	char *k = name_fold(name);
	size_t i, d, *best;
	struct provider *p, *pick[2] = { NULL, NULL };
	int j;

	/* each provider's closest name (id, name or alias), then the two best */
	best = emalloc((ps->n + 1) * sizeof *best);
	for (j = 0; j < ps->n; j++)
		best[j] = (size_t)-1;
	for (i = 0; i < table_len(ps->by_name); i++) {
		p = table_val(ps->by_name, i);
		d = distance(k, table_key(ps->by_name, i));
		if (d < best[p->order])
			best[p->order] = d;
	}
	for (j = 0; j < ps->n; j++) {
		p = ps->v[j];
		if (pick[0] == NULL || best[j] < best[pick[0]->order]) {
			pick[1] = pick[0];
			pick[0] = p;
		} else if (pick[1] == NULL || best[j] < best[pick[1]->order])
			pick[1] = p;
	}
	free(best);
	free(k);
	if (pick[0] == NULL)
		snprintf(buf, len, "no providers known");
	else if (pick[1] == NULL)
		snprintf(buf, len, "did you mean %s?", pick[0]->name);
	else
		snprintf(buf, len, "did you mean %s or %s?", pick[0]->name,
		    pick[1]->name);
	return buf;
}
