/*
 * harness: what every libFuzzer target here shares (issue 15 "Fuzzing").
 *
 * The library's err.c would exit() on a configuration error, which
 * libFuzzer counts as a crash; harness.c replaces it: die() returns to the
 * target through FUZZ_TRY's longjmp, so an input that is rightly refused
 * is an ordinary run, and only a sanitizer report, an abort or a broken
 * property (fuzz_assert) is a finding.  Messages are formatted (so a bad
 * format argument is caught) into a buffer, never printed.
 */
#ifndef ALF_FUZZ_HARNESS_H
#define ALF_FUZZ_HARNESS_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern jmp_buf	fuzz_jmp;
extern int	fuzz_armed;
extern int	fuzz_died;	/* the code of the last die(), else 0 */

/*
 * run body; a die() inside it jumps to after it with fuzz_died set.
 * Nests: the outer FUZZ_TRY's jump is restored after the inner one.
 * Locals set in body and read after it must be volatile.
 */
#define FUZZ_TRY(body) do {						\
	jmp_buf fuzz_saved_;						\
	int fuzz_was_ = fuzz_armed;					\
	memcpy(fuzz_saved_, fuzz_jmp, sizeof fuzz_jmp);			\
	fuzz_died = 0;							\
	if (setjmp(fuzz_jmp) == 0) {					\
		fuzz_armed = 1;						\
		body;							\
	}								\
	memcpy(fuzz_jmp, fuzz_saved_, sizeof fuzz_jmp);			\
	fuzz_armed = fuzz_was_;						\
} while (0)

/* a property that must hold: abort() so libFuzzer keeps the input */
#define fuzz_assert(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: property failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/*
 * Free what the library allocated (emalloc and friends) in this iteration
 * and close the files it opened (fopen) and left open: the target's last
 * call, after it has closed what it means to.
 */
void	fuzz_reset(void);
/* keep what was allocated so far (set-up in LLVMFuzzerInitialize) */
void	fuzz_keep(void);
/* the input as a NUL-terminated string (the caller frees) */
char	*fuzz_str(const uint8_t *data, size_t size);
/* the input as a read-only stream (fclose frees) */
FILE	*fuzz_stream(const uint8_t *data, size_t size);

#endif
