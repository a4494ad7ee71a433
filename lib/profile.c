/*
 * profile: read a profile and run its rules on a row.  The format is
 * INI-like text, parsed here with no dependency (pipelines/profiles/
 * README.md): [profile] settings, [columns] var = Header|Other : type,
 * [map NAME closed|open] key = value, [rules] var = EXPR [if COND].
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "err.h"
#include "money.h"
#include "profile.h"
#include "ref.h"
#include "table.h"

/* CONTRACTS "records.csv", without src (ingest adds it) */
static const char *const record_cols[] = { "stream", "person",
    "provider_name", "host_name", "unit", "category", "university", "start",
    "end", "period", "extent", "qty", "uom", "salary" };
#define NRECORD	(int)(sizeof record_cols / sizeof record_cols[0])

struct pmap {
	char		*name;
	int		 closed;	/* an unknown value rejects the row */
	struct table	*exact;		/* key as written → value */
	struct table	*folded;	/* folded key → value */
	/*
	 * the first bytes of the folded keys: a value whose fold cannot
	 * start so misses without being folded (a course code tested against
	 * the SVK list, every row)
	 */
	unsigned char	 first[256];
	/*
	 * the last lookup: rules test one value against one map several
	 * times a row (`if $course in svk-course`), and a miss costs a fold
	 */
	char		*last_key;
	size_t		 last_cap;
	const char	*last_val;
};

/* an operand: a variable, or a literal (var -1) */
struct atom {
	int	 var;
	char	*lit;
};

enum { E_ATOM, E_MAP, E_MUL };
enum { C_NONE, C_EQ, C_NE, C_IN };

struct prule {
	int		 target;
	int		 expr;
	struct atom	 a, b;		/* E_ATOM a; E_MUL a × b; E_MAP a */
	struct pmap	*map;
	int		 cond;
	struct atom	 ca;		/* the left operand */
	struct atom	*cb;		/* C_EQ, C_NE: alternatives (folded) */
	int		 ncb;
	struct pmap	*cmap;		/* C_IN */
	long		 line;
};

struct ctx {
	struct profile	*p;
	const char	*path;
	long		 line;
	int		*assigned;	/* variables given a value so far */
};

static void __attribute__((noreturn, format(printf, 2, 3)))
bad(const struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	die(EXIT_USAGE, "%s:%ld: %s", c->path, c->line, msg);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

/* a header's key: folded, with no whitespace at all */
static char *
header_key(const char *s)
{
	char *k = name_fold(s), *i, *o;

	for (i = o = k; *i != '\0'; i++)
		if (*i != ' ')
			*o++ = *i;
	*o = '\0';
	return k;
}

int
profile_var(const struct profile *p, const char *name)
{
	int i;

	for (i = 0; i < p->nvars; i++)
		if (strcmp(p->varname[i], name) == 0)
			return i;
	return -1;
}

static int
var_add(struct profile *p, const char *name)
{
	int i;

	if ((i = profile_var(p, name)) >= 0)
		return i;
	p->varname = erealloc(p->varname, (p->nvars + 1) * sizeof *p->varname);
	p->varname[p->nvars] = estrdup(name);
	return p->nvars++;
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

static struct pmap *
map_find(const struct profile *p, const char *name)
{
	int i;

	for (i = 0; i < p->nmaps; i++)
		if (strcmp(p->maps[i]->name, name) == 0)
			return p->maps[i];
	return NULL;
}

static void
split_list(const char *s, char ***v, int *n)
{
	char *copy = estrdup(s), *tok, *save = NULL;

	*v = NULL;
	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		*v = erealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = estrdup(trim(tok));
	}
	free(copy);
}

static void
setting(struct ctx *c, const char *key, char *val)
{
	struct profile *p = c->p;
	char **req;
	int nreq, i, j;

	if (strcmp(key, "name") == 0) {
		free(p->name);
		p->name = estrdup(val);
	} else if (strcmp(key, "encoding") == 0) {
		if ((p->encoding = decode_encoding(val)) < 0)
			bad(c, "encoding: not auto, utf-8, windows-1252 or "
			    "iso-8859-1 (%s)", val);
	} else if (strcmp(key, "writes") == 0) {
		if (p->out != NULL)
			bad(c, "writes: given twice");
		if (strcmp(val, "records") == 0) {
			p->records = 1;
			p->nout = NRECORD;
			p->out = emalloc(NRECORD * sizeof *p->out);
			for (i = 0; i < NRECORD; i++)
				p->out[i] = estrdup(record_cols[i]);
		} else
			split_list(val, &p->out, &p->nout);
		p->outvar = emalloc(p->nout * sizeof *p->outvar);
		p->required = ecalloc(p->nout, sizeof *p->required);
		for (i = 0; i < p->nout; i++) {
			if (!valid_name(p->out[i]))
				bad(c, "writes: not a column name (%s)",
				    p->out[i]);
			p->outvar[i] = var_add(p, p->out[i]);
			/* CONTRACTS "records.csv": the required columns */
			p->required[i] = p->records &&
			    (strcmp(p->out[i], "stream") == 0 ||
			    strcmp(p->out[i], "provider_name") == 0);
		}
	} else if (strcmp(key, "required") == 0) {
		if (p->out == NULL)
			bad(c, "required: comes after writes");
		split_list(val, &req, &nreq);
		for (i = 0; i < nreq; i++) {
			for (j = 0; j < p->nout; j++)
				if (strcmp(p->out[j], req[i]) == 0)
					break;
			if (j == p->nout)
				bad(c, "required: not an output column (%s)",
				    req[i]);
			p->required[j] = 1;
			free(req[i]);
		}
		free(req);
	} else
		bad(c, "unknown setting (%s)", key);
}

static int
type_parse(const char *s)
{
	static const char *const names[] = { "text", "pnr", "name", "date",
	    "number", "int", "percent", "fraction", "money", "term", "year" };
	int i;

	for (i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* var = Header|Other spelling : type [min max] [required] */
static void
column(struct ctx *c, const char *var, char *val)
{
	struct profile *p = c->p;
	struct pcolumn *col;
	char *colon, *alt, *save = NULL, *tok, *end;
	int i, nb;
	long b;

	if (!valid_name(var))
		bad(c, "not a variable name (%s)", var);
	for (i = 0; i < p->ncols; i++)
		if (strcmp(p->cols[i].var, var) == 0)
			bad(c, "column %s given twice", var);
	p->cols = erealloc(p->cols, (p->ncols + 1) * sizeof *p->cols);
	col = &p->cols[p->ncols++];
	memset(col, 0, sizeof *col);
	col->var = estrdup(var);
	col->idx = -1;
	col->type = T_TEXT;
	if ((colon = strrchr(val, ':')) != NULL) {
		*colon++ = '\0';
		tok = strtok_r(colon, " \t", &save);
		if (tok == NULL || (col->type = type_parse(tok)) < 0)
			bad(c, "%s: not a type (%s)", var, tok ? tok : "");
		nb = 0;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
			if (strcmp(tok, "required") == 0) {
				col->required = 1;
				continue;
			}
			if (col->type != T_INT || nb == 2)
				bad(c, "%s: bounds are two, for int (%s)", var,
				    tok);
			errno = 0;
			b = strtol(tok, &end, 10);
			if (*end != '\0' || errno != 0)
				bad(c, "%s: not a bound (%s)", var, tok);
			if (nb++ == 0)
				col->min = b;
			else
				col->max = b;
		}
		if (nb == 1)
			bad(c, "%s: int needs both bounds or none", var);
	}
	val = trim(val);
	if (*val == '\0')
		bad(c, "%s: no header named", var);
	col->header = estrdup(val);
	for (alt = strtok_r(val, "|", &save); alt != NULL;
	    alt = strtok_r(NULL, "|", &save)) {
		col->headers = erealloc(col->headers,
		    (col->nheaders + 1) * sizeof *col->headers);
		col->headers[col->nheaders++] = header_key(trim(alt));
	}
	if ((end = strchr(col->header, '|')) != NULL)
		*end = '\0';
	trim(col->header);
	col->vi = var_add(p, var);
	c->assigned[col->vi] = 1;
}

/* an operand: $var (one already known), "literal" or a bare word */
static struct atom
atom(struct ctx *c, char *s)
{
	struct atom a = { -1, NULL };
	size_t n;

	s = trim(s);
	n = strlen(s);
	if (*s == '$') {
		if ((a.var = profile_var(c->p, s + 1)) < 0 ||
		    !c->assigned[a.var])
			bad(c, "%s: no column or earlier rule gives it", s);
		return a;
	}
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	} else if (n == 0 || strpbrk(s, "\"$(),*= ") != NULL)
		bad(c, "not an operand (%s)", s);
	a.lit = estrdup(s);
	return a;
}

/* the text before the first occurrence of word, outside quotes */
static char *
split_at(char *s, const char *word)
{
	size_t n = strlen(word);
	int inq = 0;

	for (; *s != '\0'; s++) {
		if (*s == '"')
			inq = !inq;
		else if (!inq && strncmp(s, word, n) == 0) {
			*s = '\0';
			return s + n;
		}
	}
	return NULL;
}

static void
condition(struct ctx *c, struct prule *r, char *s)
{
	char *rhs, *alt, *save = NULL, *k;

	if ((rhs = split_at(s, " in ")) != NULL) {
		r->cond = C_IN;
		r->ca = atom(c, s);
		if ((r->cmap = map_find(c->p, trim(rhs))) == NULL)
			bad(c, "no map named %s", trim(rhs));
		return;
	}
	if ((rhs = split_at(s, "!=")) != NULL)
		r->cond = C_NE;
	else if ((rhs = split_at(s, "=")) != NULL)
		r->cond = C_EQ;
	else
		bad(c, "not a condition (%s): use =, != or in", s);
	r->ca = atom(c, s);
	for (alt = strtok_r(rhs, "|", &save); alt != NULL;
	    alt = strtok_r(NULL, "|", &save)) {
		r->cb = erealloc(r->cb, (r->ncb + 1) * sizeof *r->cb);
		r->cb[r->ncb] = atom(c, alt);
		if (r->cb[r->ncb].lit != NULL) {
			k = name_fold(r->cb[r->ncb].lit);
			free(r->cb[r->ncb].lit);
			r->cb[r->ncb].lit = k;
		}
		r->ncb++;
	}
	if (r->ncb == 0)
		bad(c, "a condition without a value");
}

/* target = EXPR [if COND]; EXPR: ATOM, ATOM * ATOM, map(NAME, ATOM) */
static void
rule(struct ctx *c, const char *target, char *val)
{
	struct profile *p = c->p;
	struct prule *r;
	char *cond, *rhs, *close;

	if (!valid_name(target))
		bad(c, "not a variable name (%s)", target);
	p->rules = erealloc(p->rules, (p->nrules + 1) * sizeof *p->rules);
	r = &p->rules[p->nrules++];
	memset(r, 0, sizeof *r);
	r->line = c->line;
	if ((cond = split_at(val, " if ")) != NULL)
		condition(c, r, cond);
	val = trim(val);
	if (strncmp(val, "map(", 4) == 0) {
		r->expr = E_MAP;
		if ((close = strrchr(val, ')')) == NULL || close[1] != '\0' ||
		    (rhs = strchr(val, ',')) == NULL)
			bad(c, "not map(NAME, $var) (%s)", val);
		*close = '\0';
		*rhs++ = '\0';
		if ((r->map = map_find(p, trim(val + 4))) == NULL)
			bad(c, "no map named %s", trim(val + 4));
		r->a = atom(c, rhs);
		/* a row's value is looked up; a literal would name no column */
		if (r->a.var < 0)
			bad(c, "not map(NAME, $var): a map looks up a variable "
			    "(%s)", r->a.lit);
	} else if ((rhs = split_at(val, "*")) != NULL) {
		r->expr = E_MUL;
		r->a = atom(c, val);
		r->b = atom(c, rhs);
	} else {
		r->expr = E_ATOM;
		r->a = atom(c, val);
	}
	r->target = var_add(p, target);
	c->assigned[r->target] = 1;
}

static void
map_entry(struct ctx *c, struct pmap *m, const char *key, const char *val)
{
	char *k = name_fold(key);
	void **slot;
	int created;

	slot = table_slot(m->folded, k, &created);
	if (!created && strcmp(*slot, val) != 0)
		bad(c, "map %s: %s given twice", m->name, key);
	*slot = estrdup(val);
	m->first[(unsigned char)*k] = 1;
	free(k);
	*table_slot(m->exact, key, &created) = estrdup(val);
}

/* mark the columns an unconditional rule for a required output reads */
static void
required_columns(struct profile *p)
{
	int *need = ecalloc(p->nvars, sizeof *need), i, j, changed = 1;
	struct prule *r;

	for (i = 0; i < p->nout; i++)
		if (p->required[i])
			need[p->outvar[i]] = 1;
	while (changed) {
		changed = 0;
		for (i = 0; i < p->nrules; i++) {
			r = &p->rules[i];
			if (!need[r->target] || r->cond != C_NONE)
				continue;
			if (r->a.var >= 0 && !need[r->a.var])
				changed = need[r->a.var] = 1;
			if (r->expr == E_MUL && r->b.var >= 0 && !need[r->b.var])
				changed = need[r->b.var] = 1;
		}
	}
	for (i = 0; i < p->ncols; i++)
		if (need[(j = profile_var(p, p->cols[i].var))])
			p->cols[i].required = 1;
	free(need);
}

struct profile *
profile_load(const char *name)
{
	enum { S_NONE, S_PROFILE, S_COLUMNS, S_MAP, S_RULES } sect = S_NONE;
	struct profile *p = ecalloc(1, sizeof *p);
	struct ctx c = { p, NULL, 0, NULL };
	struct pmap *m = NULL;
	char *line = NULL, *s, *eq, *key, rel[512], word[64], how[64];
	size_t cap = 0;
	FILE *fp;
	int n;

	if (strchr(name, '/') != NULL)
		p->path = estrdup(name);
	else {
		snprintf(rel, sizeof rel, "profiles/%s", name);
		p->path = datadir_join(rel);
	}
	if ((fp = fopen(p->path, "r")) == NULL)
		die(EXIT_USAGE, "%s: cannot read profile: %s", p->path,
		    strerror(errno));
	c.path = p->path;
	c.assigned = ecalloc(1024, sizeof *c.assigned);
	p->name = estrdup(name);
	while (getline(&line, &cap, fp) > 0) {
		c.line++;
		s = trim(line);
		if (*s == '#' || *s == '\0')
			continue;
		if (p->nvars >= 1000)
			bad(&c, "too many variables");
		if (*s == '[') {
			if (strcmp(s, "[profile]") == 0)
				sect = S_PROFILE;
			else if (strcmp(s, "[columns]") == 0)
				sect = S_COLUMNS;
			else if (strcmp(s, "[rules]") == 0)
				sect = S_RULES;
			else if ((n = sscanf(s, "[map %63s %63[a-z]]", word,
			    how)) >= 1) {
				if (n == 1 && word[strlen(word) - 1] == ']')
					word[strlen(word) - 1] = '\0';
				else if (n != 2 || (strcmp(how, "closed") != 0 &&
				    strcmp(how, "open") != 0))
					bad(&c, "not [map NAME closed|open] (%s)", s);
				if (map_find(p, word) != NULL)
					bad(&c, "map %s given twice", word);
				m = ecalloc(1, sizeof *m);
				m->name = estrdup(word);
				m->closed = n == 2 && strcmp(how, "closed") == 0;
				m->exact = table_new();
				m->folded = table_new();
				p->maps = erealloc(p->maps,
				    (p->nmaps + 1) * sizeof *p->maps);
				p->maps[p->nmaps++] = m;
				sect = S_MAP;
			} else
				bad(&c, "unknown section (%s)", s);
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL)
			bad(&c, "not key = value (%s)", s);
		*eq++ = '\0';
		key = trim(s);
		eq = trim(eq);
		switch (sect) {
		case S_PROFILE:
			setting(&c, key, eq);
			break;
		case S_COLUMNS:
			if (p->out == NULL)
				bad(&c, "[profile] writes = … comes first");
			column(&c, key, eq);
			break;
		case S_MAP:
			map_entry(&c, m, key, eq);
			break;
		case S_RULES:
			if (p->out == NULL)
				bad(&c, "[profile] writes = … comes first");
			rule(&c, key, eq);
			break;
		default:
			bad(&c, "outside a section");
		}
	}
	if (ferror(fp))
		die(EXIT_USAGE, "%s: cannot read profile: %s", p->path,
		    strerror(errno));
	fclose(fp);
	free(line);
	free(c.assigned);
	c.line = 0;
	if (p->out == NULL)
		die(EXIT_USAGE, "%s: no [profile] writes = …", p->path);
	if (p->ncols == 0)
		die(EXIT_USAGE, "%s: no [columns]", p->path);
	required_columns(p);
	return p;
}

void
profile_bind(struct profile *p, const struct csvr *r)
{
	char **keys;
	int i, j, k, n = csvr_ncols(r);

	keys = emalloc((n + 1) * sizeof *keys);
	for (i = 0; i < n; i++)
		keys[i] = header_key(csvr_colname(r, i));
	for (i = 0; i < p->ncols; i++) {
		p->cols[i].idx = -1;
		for (j = 0; j < n && p->cols[i].idx < 0; j++)
			for (k = 0; k < p->cols[i].nheaders; k++)
				if (strcmp(keys[j], p->cols[i].headers[k]) == 0) {
					p->cols[i].idx = j;
					break;
				}
		if (p->cols[i].idx < 0 && p->cols[i].required)
			die(EXIT_USAGE, "%s:1: %s: missing required column "
			    "(profile %s)", csvr_name(r), p->cols[i].header,
			    p->name);
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

const char *
profile_colname(const struct profile *p, int var)
{
	int i;

	for (i = 0; i < p->ncols; i++)
		if (strcmp(p->cols[i].var, p->varname[var]) == 0)
			return p->cols[i].header;
	return p->varname[var];
}

void
pvals_init(struct pvals *pv, const struct profile *p)
{
	int i;

	pv->n = p->nvars;
	pv->v = emalloc(pv->n * sizeof *pv->v);
	pv->buf = emalloc(pv->n * sizeof *pv->buf);
	pv->cap = emalloc(pv->n * sizeof *pv->cap);
	for (i = 0; i < pv->n; i++) {
		pv->cap[i] = 64;
		pv->buf[i] = ecalloc(1, pv->cap[i]);
		pv->v[i] = "";
	}
	pv->tmp = ecalloc(p->nrules > 0 ? p->nrules : 1, sizeof *pv->tmp);
	for (i = 0; i < p->nrules; i++)
		pv->tmp[i] = ecalloc(1, RAT_FMTLEN);
}

void
pvals_clear(struct pvals *pv)
{
	int i;

	for (i = 0; i < pv->n; i++)
		pv->v[i] = "";
}

char *
pvals_setn(struct pvals *pv, int var, const char *s, size_t n)
{
	if (n + 1 > pv->cap[var]) {
		pv->cap[var] = n * 2 + 1;
		free(pv->buf[var]);
		pv->buf[var] = emalloc(pv->cap[var]);
	}
	memcpy(pv->buf[var], s, n);
	pv->buf[var][n] = '\0';
	pv->v[var] = pv->buf[var];
	return pv->buf[var];
}

void
pvals_set(struct pvals *pv, int var, const char *s)
{
	pvals_setn(pv, var, s, strlen(s));
}

static const char *
atom_val(const struct atom *a, const struct pvals *pv)
{
	return a->var >= 0 ? pv->v[a->var] : a->lit;
}

static const char *
map_get(struct pmap *m, const char *key)
{
	const char *v;
	char buf[256], *k;
	size_t n;

	/* the first bytes inline: most keys differ there, without a call */
	if (m->last_key != NULL && *m->last_key == *key &&
	    strcmp(m->last_key, key) == 0)
		return m->last_val;
	/*
	 * fold_to skips these, then lowercases an ASCII byte: a key that
	 * starts so as no folded key does is no exact key either (each is
	 * folded too), and misses without a lookup (a course code, tested
	 * against the SVK and degree-project lists every row)
	 */
	for (k = (char *)key; *k == ' ' || *k == '\t'; k++)
		;
	if ((unsigned char)*k < 0x80 && !m->first[tolower((unsigned char)*k)])
		v = NULL;
	else if ((v = table_get(m->exact, key)) == NULL) {
		/* folded on the stack: a miss costs no allocation */
		if ((k = name_fold_into(key, buf, sizeof buf)) != NULL)
			v = table_get(m->folded, k);
		else {
			k = name_fold(key);
			v = table_get(m->folded, k);
			free(k);
		}
	}
	if ((n = strlen(key) + 1) > m->last_cap) {
		m->last_cap = n * 2;
		m->last_key = erealloc(m->last_key, m->last_cap);
	}
	memcpy(m->last_key, key, n);
	m->last_val = v;
	return v;
}

/*
 * The folds of the values a row's conditions compare, by the value's
 * pointer: a row tests one value (its stream) against half a dozen
 * conditions, and the strings do not change while the rules run (struct
 * pvals), so each is folded once a row.
 */
#define NFOLD	4
struct folds {
	const char	*src[NFOLD];
	char		*fold[NFOLD];	/* src itself when it is its own fold */
	int		 n;
};

static const char *
fold_of(struct folds *f, const char *a)
{
	const char *b;
	char *fa;
	int i;

	for (i = 0; i < f->n; i++)
		if (f->src[i] == a)
			return f->fold[i];
	/* a value in lowercase ASCII without spaces is its own fold */
	for (b = a; *b != '\0' && (unsigned char)*b < 0x80 && *b != ' ' &&
	    !isupper((unsigned char)*b); b++)
		;
	fa = *b == '\0' ? (char *)a : name_fold(a);
	if (f->n == NFOLD) {
		/* full: the oldest goes */
		if (f->fold[0] != f->src[0])
			free(f->fold[0]);
		memmove(f->src, f->src + 1, (NFOLD - 1) * sizeof *f->src);
		memmove(f->fold, f->fold + 1, (NFOLD - 1) * sizeof *f->fold);
		f->n--;
	}
	f->src[f->n] = a;
	f->fold[f->n++] = fa;
	return fa;
}

static void
folds_free(struct folds *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->fold[i] != f->src[i])
			free(f->fold[i]);
	f->n = 0;
}

/* names compare folded: `Ja`, `ja` and ` JA ` are one answer */
static int
cond_true(const struct prule *r, const struct pvals *pv, struct folds *f)
{
	const char *a, *b, *fa;
	char *fb;
	int i, eq = 0;

	if (r->cond == C_NONE)
		return 1;
	a = atom_val(&r->ca, pv);
	if (r->cond == C_IN)
		return *a != '\0' && map_get(r->cmap, a) != NULL;
	fa = fold_of(f, a);
	for (i = 0; i < r->ncb && !eq; i++) {
		b = atom_val(&r->cb[i], pv);
		if (r->cb[i].var >= 0) {
			fb = name_fold(b);
			eq = strcmp(fa, fb) == 0;
			free(fb);
		} else
			eq = *fa == *b && strcmp(fa, b) == 0;
	}
	return r->cond == C_EQ ? eq : !eq;
}

int
profile_apply(const struct profile *p, struct pvals *pv, int *var,
    const char **map)
{
	const struct prule *r;
	const char *a, *b, *v;
	struct folds f = { .n = 0 };
	rat x, y;
	int i;

	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (!cond_true(r, pv, &f))
			continue;
		a = atom_val(&r->a, pv);
		switch (r->expr) {
		case E_ATOM:
			pv->v[r->target] = a;
			break;
		case E_MAP:
			if (*a == '\0' || (v = map_get(r->map, a)) == NULL) {
				if (r->map->closed) {
					*var = r->a.var;
					*map = r->map->name;
					folds_free(&f);
					return -1;
				}
				v = a;
			}
			pv->v[r->target] = v;
			break;
		case E_MUL:
			/* exact: the operands are canonical decimals */
			b = atom_val(&r->b, pv);
			if (rat_parse(a, 0, &x) < 0 || rat_parse(b, 0, &y) < 0)
				pv->v[r->target] = "";
			else
				pv->v[r->target] = rat_fmt(rat_mul(x, y),
				    pv->tmp[i], RAT_FMTLEN);
			break;
		}
	}
	folds_free(&f);
	return 0;
}
