/*
 * list: the `|`-separated lists of the rules CSV and the model's meta
 * (CONTRACTS "The model": select_stream, weights, amounts …), and the
 * selection test both alf-allocate's lines and alf-invoice's recharges
 * apply to activities.  A list owns its strings until list_free.
 */
#ifndef ALF_LIST_H
#define ALF_LIST_H

struct list {
	char	**v;
	int	  n;
};

/* "a|b|c" → 3 items; NULL or "" → an empty list */
struct list	list_split(const char *s);
/* an empty list selects everything; else s must be one of its items */
int		list_selects(const struct list *l, const char *s);
void		list_free(struct list *l);

#endif
