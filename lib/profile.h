/*
 * profile: a source export layout as data (pipelines/profiles/NAME,
 * issue 11 "Source profiles are data"; the format is documented in
 * pipelines/profiles/README.md).
 *
 * A profile names the source columns (by header, case- and
 * whitespace-insensitively), the type of each, value maps and the rules
 * that derive the output fields, so that a new export layout needs a new
 * profile, never a rebuild.  Values live in variables: each column is
 * one, each rule assigns one, and the output columns are read from the
 * variables of their names.  profile_load dies with EXIT_USAGE on a bad
 * profile, naming the line.  The profile owns everything it holds; it
 * lives until exit.
 */
#ifndef ALF_PROFILE_H
#define ALF_PROFILE_H

#include "csvio.h"

/* column types */
enum { T_TEXT, T_PNR, T_NAME, T_DATE, T_NUMBER, T_INT, T_PERCENT,
    T_FRACTION, T_MONEY, T_TERM, T_YEAR };

struct pcolumn {
	char	 *var;
	char	**headers;	/* accepted spellings, folded */
	int	  nheaders;
	char	 *header;	/* the first spelling, as written */
	int	  type;
	long	  min, max;	/* T_INT bounds */
	int	  required;
	int	  idx;		/* the reader's column, -1 absent */
	int	  vi;		/* its variable */
};

struct profile {
	char		 *name;
	char		 *path;
	int		  encoding;	/* decode.h ENC_* */
	int		  records;	/* writes records.csv */
	char		**out;		/* the output columns */
	int		  nout;
	int		 *outvar;	/* their variables */
	int		 *required;	/* out columns that may not be empty */
	struct pcolumn	 *cols;
	int		  ncols;
	int		  nvars;
	char		**varname;
	/* the rules and maps: private to profile.c */
	struct prule	 *rules;
	int		  nrules;
	struct pmap	**maps;
	int		  nmaps;
};

/*
 * A row's values: one string per variable, valid until the next row.
 * v[i] points at the variable's own buffer (buf[i], written by
 * pvals_set) or at a string that outlives the row (a map's value, a
 * literal, another variable's buffer): the rules assign by pointer, not
 * by copy, as they run a dozen times a row (issue 11 "Performance").
 * Buffers are written only before the rules run (the columns), so an
 * alias never sees its source change.
 */
struct pvals {
	const char	**v;
	char		**buf;
	size_t		 *cap;
	char		**tmp;		/* a rule's computed value (E_MUL) */
	int		  n;
};

/* NAME in the data dir's profiles/ (a name with `/` is a path) */
struct profile	*profile_load(const char *name);
/* the variable named name, or -1 */
int		 profile_var(const struct profile *p, const char *name);
/*
 * Find the profile's columns in the reader's header.  A required column
 * that is missing is a configuration error (exit 2) naming it.
 */
void		 profile_bind(struct profile *p, const struct csvr *r);

void		 pvals_init(struct pvals *pv, const struct profile *p);
/* every variable empty, for the next row */
void		 pvals_clear(struct pvals *pv);
/* copy the n bytes at s (s[n] need not be NUL) into var's buffer */
char		*pvals_setn(struct pvals *pv, int var, const char *s, size_t n);
void		 pvals_set(struct pvals *pv, int var, const char *s);
/*
 * Run the rules on the column values already set.  Returns 0, or -1 when
 * a closed map does not know a value: *var is the variable looked up and
 * *map the map's name.
 */
int		 profile_apply(const struct profile *p, struct pvals *pv,
		    int *var, const char **map);
/* the header a variable was read from, else the variable's name */
const char	*profile_colname(const struct profile *p, int var);

#endif
