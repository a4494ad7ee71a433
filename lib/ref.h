/*
 * ref: the reference data every stage looks things up in — where the data
 * files live ($ALF_DATADIR, else the directory compiled in), the closed
 * stream vocabulary (pipelines/streams.csv) and providers.csv.  Loaders
 * die with EXIT_USAGE on a bad file: reference data is configuration, and
 * a bad configuration stops everything.  Loaded data lives until exit.
 */
#ifndef ALF_REF_H
#define ALF_REF_H

#include "table.h"

struct provider {
	char	*id, *name, *org_nr, *ownership, *payment, *report_as;
	char	*street, *postal_code, *city, *bankgiro, *vat_nr, *reference;
	char	*fte;
	int	 invoiceable;	/* 0 for RESERV-like rows: never a party */
	int	 aka;		/* has an AKA agreement (002 §3.6) */
	int	 private_;	/* ownership private: VAT compensation */
	int	 monthly;	/* payment monthly: twelfths (002 §6) */
	int	 order;		/* row order: the order reports use */
};

struct providers {
	struct provider	**v;
	int		  n;
	struct table	 *by_id;
	struct table	 *by_name;	/* folded id, name and aliases */
};

/* a data file's path: name itself when it has a '/', else in the data dir */
char	*datadir_file(const char *name);
/* rel inside the data dir, always */
char	*datadir_join(const char *rel);

/* streams.csv: stream → uom (a char *) */
struct table	*streams_load(void);

struct providers	*providers_load(const char *path);
struct provider		*provider_by_id(const struct providers *p, const char *id);
/* by id, name or alias, case-, accent- and whitespace-insensitively */
struct provider		*provider_lookup(const struct providers *p, const char *name);
/* the known names closest to name, for a diagnostic; buf is the caller's */
char	*provider_suggest(const struct providers *p, const char *name,
	    char *buf, size_t len);
/* fold for name matching: lowercase, accents dropped, spaces collapsed */
char	*name_fold(const char *s);
/* the same into buf, or NULL when s is len bytes or longer */
char	*name_fold_into(const char *s, char *buf, size_t len);

/* Luhn over a string of digits (org numbers, personal identity numbers) */
int	luhn_ok(const char *digits);
/* the same over n bytes the caller knows are digits (no strlen, no test) */
int	luhn_digits(const char *digits, int n);

#endif
