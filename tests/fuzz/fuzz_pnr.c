/*
 * fuzz_pnr: lib/pnr's personal identity number check on any text, for a
 * budget year from the input's first byte.  Properties: an accepted
 * number is 12 digits with a right Luhn check digit, looks like a number
 * (pnr_like), and is its own canonical form; its pseudonym is 20
 * lowercase hex digits, the same each time; a refusal says why.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "pnr.h"
#include "ref.h"

static struct pnr_key *key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/alf-fuzz-key.XXXXXX";
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd < 0 || write(fd, "fuzz-key", 8) != 8)
		abort();
	close(fd);
	FUZZ_TRY(key = pnr_key_load(path));
	unlink(path);
	if (key == NULL)
		abort();
	fuzz_keep();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[PNR_LEN + 1], again[PNR_LEN + 1];
	char ps[PSEUDONYM_LEN + 1], ps2[PSEUDONYM_LEN + 1];
	const char *why = NULL;
	int year, i;

	if (size < 1 || size > 64)
		return 0;
	year = data[0] == 0 ? 0 : 1900 + data[0] % 150;
	s = fuzz_str(data + 1, size - 1);
	FUZZ_TRY({
		if (pnr_canon(s, year, out, &why) == 0) {
			fuzz_assert(strlen(out) == PNR_LEN);
			for (i = 0; i < PNR_LEN; i++)
				fuzz_assert(out[i] >= '0' && out[i] <= '9');
			fuzz_assert(luhn_ok(out + 2));
			fuzz_assert(pnr_like(s));
			fuzz_assert(pnr_canon(out, year, again, &why) == 0);
			fuzz_assert(strcmp(out, again) == 0);
			pnr_pseudonym(key, out, ps);
			pnr_pseudonym(key, again, ps2);
			fuzz_assert(strlen(ps) == PSEUDONYM_LEN);
			fuzz_assert(strspn(ps, "0123456789abcdef") == PSEUDONYM_LEN);
			fuzz_assert(strcmp(ps, ps2) == 0);
		} else
			fuzz_assert(why != NULL && *why != '\0');
	});
	free(s);
	fuzz_reset();
	return 0;
}
