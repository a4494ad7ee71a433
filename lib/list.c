/* list: `|`-separated values and selection by them. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "list.h"

struct list
list_split(const char *s)
{
	struct list l = { NULL, 0 };
	const char *p;

	if (s == NULL || *s == '\0')
		return l;
	for (;;) {
		p = strchr(s, '|');
		l.v = erealloc(l.v, (l.n + 1) * sizeof *l.v);
		l.v[l.n++] = p != NULL ? estrndup(s, p - s) : estrdup(s);
		if (p == NULL)
			return l;
		s = p + 1;
	}
}

int
list_selects(const struct list *l, const char *s)
{
	int i;

	if (l->n == 0)
		return 1;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void
list_free(struct list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
