/*
 * fuzz_rules: alf-allocate's rules-CSV reader (--rules FILE) on any
 * bytes.  tools/allocate.c is compiled in with its main renamed, so this
 * is the program's own load_rules, not a copy; the lines it accepts are
 * then computed over no activities, as a January nightly run does.
 * Properties: an accepted line has a known method, a non-zero money unit,
 * a share line a pot of whole units, a blend line both ends.
 */
#define main alf_allocate_main
#include "../../tools/allocate.c"
#undef main

#include "harness.h"

static void
free_list(struct list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void
free_alloc(struct alloc *al)
{
	struct line *l;
	int i;

	for (i = 0; i < al->n; i++) {
		l = al->lines[i];
		free(l->id); free(l->title); free(l->fund); free(l->purpose);
		free(l->payer); free(l->basis); free(l->detail);
		free(l->from); free(l->to);
		free_list(&l->stream); free_list(&l->category);
		free_list(&l->provider); free_list(&l->host);
		free_list(&l->university);
		free_list(&l->weights.keys); free(l->weights.vals);
		free_list(&l->amounts.keys); free(l->amounts.vals);
		free(l->accs.v);
		free(l->accs.slots);
		free(l);
	}
	free(al->lines);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct alloc al;
	struct csvr *volatile r = NULL;
	FILE *fp;
	struct line *l;
	int i;

	if (size > 65536 || (fp = fuzz_stream(data, size)) == NULL)
		return 0;
	memset(&al, 0, sizeof al);
	FUZZ_TRY({
		r = csvr_open_fp(fp, "rules", ',');
		load_rules(&al, r);
		for (i = 0; i < al.n; i++) {
			l = al.lines[i];
			fuzz_assert(l->method >= 0 && l->method < 4);
			fuzz_assert(!rat_is_zero(l->round));
			if (l->method == M_SHARE)
				fuzz_assert(l->has_pot &&
				    rat_div(l->pot, l->round).d == 1);
			if (l->method == M_BLEND)
				fuzz_assert(l->lfrom != NULL && l->lto != NULL);
		}
	});
	if (r != NULL)
		csvr_close(r);
	else
		fclose(fp);
	free_alloc(&al);
	fuzz_reset();
	return 0;
}
