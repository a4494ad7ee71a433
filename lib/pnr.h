/*
 * pnr: Swedish personal identity numbers (personnummer and
 * samordningsnummer) and their pseudonyms (CONTRACTS "Personal identity
 * numbers").
 *
 * pnr_canon turns any usual form into the 12 canonical digits; the number
 * itself never leaves this module and the caller's buffers except as
 * pnr_pseudonym's HMAC-SHA-256, computed by OpenSSL's libcrypto, never by
 * hand.  The key is the key file's bytes as stored; a key file others can
 * read is refused, because whoever holds the key can test a guessed number
 * against a pseudonym.  pnr_key_load's result lives until exit.
 */
#ifndef ALF_PNR_H
#define ALF_PNR_H

#define PNR_LEN		12	/* YYYYMMDDNNNC */
#define PSEUDONYM_LEN	20	/* lowercase hex digits */

struct pnr_key;

/*
 * The key from path, else $ALF_KEY_FILE.  Dies EXIT_USAGE when there is
 * none, it cannot be read, it is empty, or group or others may read it.
 */
struct pnr_key	*pnr_key_load(const char *path);
/*
 * The same key with a MAC context of its own, for another thread: one
 * context must never be used by two threads at once.
 */
struct pnr_key	*pnr_key_clone(const struct pnr_key *k);

/*
 * Canonicalise s (10 or 12 digits, `-` or `+`, with or without century)
 * into out (PNR_LEN digits and a NUL).  year is the budget year that
 * chooses a 10-digit form's century (0: unknown, such forms fail).
 * Returns 0, or -1 with *why saying what is wrong (never the number).
 */
int	pnr_canon(const char *s, int year, char out[PNR_LEN + 1],
	    const char **why);
/* the pseudonym of canonical digits: PSEUDONYM_LEN hex digits and a NUL */
void	pnr_pseudonym(const struct pnr_key *k, const char digits[PNR_LEN],
	    char out[PSEUDONYM_LEN + 1]);
/* 1 when s looks like a personal identity number in any form (even a
 * wrong one): what must never be echoed */
int	pnr_like(const char *s);
/* 1 when s is a pseudonym: PSEUDONYM_LEN lowercase hex digits */
int	pnr_is_pseudonym(const char *s);

#endif
