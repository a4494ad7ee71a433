/*
 * fuzz_csv: lib/csvio's reader on any bytes.  Properties: every row's
 * line is at least the header's and never goes back; a field index past
 * the row gives ""; a bad row is flagged, not fatal; writing a row's
 * fields and reading them back gives the same fields (RFC 4180 quoting).
 */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "harness.h"

static void
roundtrip(const struct csvr *r)
{
	char *buf = NULL, *hbuf = NULL;
	size_t len = 0, hlen = 0;
	const char **f;
	FILE *w, *volatile in;
	struct csvr *back;
	int i, n = csvr_nfields(r), ok = 1;

	if (n <= 0 || n > 64)
		return;
	/* a lone CR is a line end to a reader that accepts CRLF */
	for (i = 0; i < n; i++)
		if (memchr(csvr_field(r, i), '\r', strlen(csvr_field(r, i))))
			ok = 0;
	if (!ok)
		return;
	f = calloc(n, sizeof *f);
	for (i = 0; i < n; i++)
		f[i] = csvr_field(r, i);
	w = open_memstream(&buf, &len);
	/* a header of n distinct names, then the row */
	for (i = 0; i < n; i++)
		fprintf(w, "%sc%d", i ? "," : "", i);
	fputc('\n', w);
	csvw_row(w, f, n);
	fclose(w);
	in = fmemopen(buf, len, "r");
	FUZZ_TRY({
		back = csvr_open_fp(in, "back", ',');
		fuzz_assert(csvr_next(back));
		fuzz_assert(!csvr_bad(back));
		for (i = 0; i < n; i++)
			fuzz_assert(strcmp(csvr_field(back, i), f[i]) == 0);
		csvr_close(back);
		in = NULL;
	});
	/* what csvw wrote must read back: no die allowed */
	fuzz_assert(fuzz_died == 0);
	free(f);
	free(buf);
	free(hbuf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvr *volatile r = NULL;
	FILE *fp = fuzz_stream(data, size);
	volatile long last = 0;
	int delim = size > 0 ? "\0,;\t"[data[0] & 3] : 0;

	if (fp == NULL)
		return 0;
	FUZZ_TRY({
		r = csvr_open_fp(fp, "fuzz", delim);
		fuzz_assert(csvr_ncols(r) >= 1);
		while (csvr_next(r)) {
			fuzz_assert(csvr_line(r) > last);
			last = csvr_line(r);
			fuzz_assert(*csvr_field(r, 10000) == '\0');
			fuzz_assert(*csvr_field(r, -1) == '\0');
			if (!csvr_bad(r) && csvr_delim(r) == ',')
				roundtrip(r);
		}
	});
	if (r != NULL)
		csvr_close(r);
	else
		fclose(fp);
	fuzz_reset();
	return 0;
}
