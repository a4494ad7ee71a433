/*
 * table: a hash map from strings to pointers that remembers insertion
 * order, so iterating it is deterministic (CONTRACTS: no hash order may
 * reach an output).  The table owns copies of its keys; values are the
 * caller's.
 */
#ifndef ALF_TABLE_H
#define ALF_TABLE_H

#include <stddef.h>

struct table;

struct table	*table_new(void);
void		 table_free(struct table *t);
/* the value's slot, created (NULL) when absent; *created says which */
void		**table_slot(struct table *t, const char *key, int *created);
void		*table_get(const struct table *t, const char *key);
size_t		 table_len(const struct table *t);
/* entries by insertion index 0 … len-1 */
const char	*table_key(const struct table *t, size_t i);
void		*table_val(const struct table *t, size_t i);

#endif
