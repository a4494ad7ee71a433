/*
 * hmacpeer: the pseudonyms' share of the ingest benchmark (issue 11
 * "Performance": "pseudonyms included").  N HMAC-SHA-256 of 12-digit
 * numbers through libcrypto's EVP_MAC, keyed once and re-initialised per
 * number exactly as lib/pnr.c does, nothing else.  csvparse plus this is
 * the least any ingest on libcsv and libcrypto can take on the file.
 *   hmacpeer N
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char *argv[])
{
	static const unsigned char key[32] = "hmacpeer: a benchmark's own key";
	unsigned char mac[EVP_MAX_MD_SIZE], x = 0;
	char digits[13] = "198001010000";
	int d;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		    "SHA256", 0),
		OSSL_PARAM_construct_end()
	};
	EVP_MAC *m;
	EVP_MAC_CTX *c;
	long i, n;
	size_t len;

	if (argc != 2 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: hmacpeer N\n");
		return 2;
	}
	if ((m = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (c = EVP_MAC_CTX_new(m)) == NULL ||
	    !EVP_MAC_init(c, key, sizeof key, params))
		return 3;
	for (i = 0; i < n; i++) {
		/* the next number, without printf (it is not the peer's work) */
		for (d = 11; d >= 0 && ++digits[d] > '9'; d--)
			digits[d] = '0';
		if (!EVP_MAC_init(c, NULL, 0, NULL) ||
		    !EVP_MAC_update(c, (unsigned char *)digits, 12) ||
		    !EVP_MAC_final(c, mac, &len, sizeof mac))
			return 3;
		x ^= mac[0];
	}
	printf("%ld macs (%02x)\n", n, x);
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(m);
	return 0;
}
