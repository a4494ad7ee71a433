/*
 * fuzz_profile: lib/profile's reader on any bytes.  The input is a
 * profile, optionally followed by a line `%%` and a CSV export: the
 * profile is loaded, bound to the export's header and its rules applied
 * to each row, as alf-ingest does (without the type decoding, which
 * fuzz_money and fuzz_date cover).  Properties: an accepted profile
 * writes at least one column and each output column is a variable.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "harness.h"
#include "profile.h"

static char	path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "/tmp/alf-fuzz-profile.%ld", (long)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = NULL;
	struct profile *volatile p = NULL;
	struct csvr *volatile r = NULL;
	struct pvals pv;
	const char *map;
	FILE *fp, *volatile csv = NULL;
	size_t plen = size, i;
	int var, c;

	if (size > 65536)
		return 0;
	for (i = 0; i + 3 <= size; i++)
		if ((i == 0 || data[i - 1] == '\n') &&
		    memcmp(data + i, "%%\n", 3) == 0) {
			sep = data + i + 3;
			plen = i;
			break;
		}
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, plen, fp);
	fclose(fp);
	FUZZ_TRY({
		p = profile_load(path);
		fuzz_assert(p->nout >= 1);
		for (c = 0; c < p->nout; c++)
			fuzz_assert(p->outvar[c] >= 0 && p->outvar[c] < p->nvars);
		if (sep != NULL) {
			csv = fuzz_stream(sep, size - (sep - data));
			r = csvr_open_fp(csv, "export", 0);
			csv = NULL;
			profile_bind(p, r);
			pvals_init(&pv, p);
			while (csvr_next(r)) {
				if (csvr_bad(r))
					continue;
				for (c = 0; c < p->ncols; c++)
					if (p->cols[c].idx >= 0)
						pvals_set(&pv, p->cols[c].vi,
						    csvr_field(r, p->cols[c].idx));
				if (profile_apply(p, &pv, &var, &map) < 0)
					fuzz_assert(var >= 0 && var < p->nvars &&
					    map != NULL);
			}
		}
	});
	if (r != NULL)
		csvr_close(r);
	if (csv != NULL)
		fclose(csv);
	unlink(path);
	fuzz_reset();
	return 0;
}
