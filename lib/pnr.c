/* pnr: personal identity numbers, checked and pseudonymised. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "date.h"
#include "err.h"
#include "pnr.h"
#include "ref.h"

/*
 * OpenSSL's HMAC keyed once: re-initialising the context with no key
 * keeps the key's pads, which makes a pseudonym about 0.25 µs instead of
 * HMAC()'s 2 µs (issue 11 "Performance": pseudonyms included).
 */
struct pnr_key {
	unsigned char	*bytes;
	size_t		 len;
	EVP_MAC_CTX	*mac;
};

struct pnr_key *
pnr_key_load(const char *path)
{
	struct pnr_key *k;
	struct stat st;
	unsigned char buf[4096];
	ssize_t n;
	int fd;

	if (path == NULL && ((path = getenv("ALF_KEY_FILE")) == NULL ||
	    *path == '\0'))
		die(EXIT_USAGE, "personal identity numbers need a key: "
		    "--key-file FILE or ALF_KEY_FILE");
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0)
		die(EXIT_USAGE, "%s: cannot read key file: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(EXIT_USAGE, "%s: key file: not a regular file", path);
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		die(EXIT_USAGE, "%s: key file is readable by group or others "
		    "(mode %03o); chmod 600 it", path,
		    (unsigned int)(st.st_mode & 0777));
	k = ecalloc(1, sizeof *k);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		k->bytes = erealloc(k->bytes, k->len + (size_t)n);
		memcpy(k->bytes + k->len, buf, (size_t)n);
		k->len += (size_t)n;
	}
	if (n < 0)
		die(EXIT_USAGE, "%s: cannot read key file: %s", path,
		    strerror(errno));
	close(fd);
	if (k->len == 0)
		die(EXIT_USAGE, "%s: key file is empty", path);
	{
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
			    (char *)"SHA256", 0),
			OSSL_PARAM_construct_end()
		};
		EVP_MAC *mac;

		if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
		    (k->mac = EVP_MAC_CTX_new(mac)) == NULL ||
		    !EVP_MAC_init(k->mac, k->bytes, k->len, params))
			die(EXIT_IO, "HMAC-SHA-256 unavailable in libcrypto");
		EVP_MAC_free(mac);
	}
	return k;
}

/* the digits and the separator of s, or -1 when it is not such a form */
static int
split(const char *s, char *digits, int *sep)
{
	int n = 0;

	*sep = 0;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == PNR_LEN)
				return -1;
			digits[n++] = *s;
		} else if ((*s == '-' || *s == '+') && *sep == 0 &&
		    (n == 6 || n == 8))
			*sep = *s;
		else
			return -1;
	}
	digits[n] = '\0';
	if (*sep != 0 && (n != 10 && n != 12))
		return -1;
	if (*sep != 0 && ((n == 10 && s[-5] != *sep) ||
	    (n == 12 && s[-5] != *sep)))
		return -1;
	return n == 10 || n == 12 ? n : -1;
}

int
pnr_like(const char *s)
{
	char d[PNR_LEN + 1], buf[32];
	size_t n;
	int sep;

	/* spaces, Excel's =" guard and quotes around it */
	while (*s == ' ' || *s == '=' || *s == '"')
		s++;
	/* every form starts with a digit: most cells are done here */
	if (*s < '0' || *s > '9')
		return 0;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"'))
		n--;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return split(buf, d, &sep) > 0;
}

int
pnr_is_pseudonym(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == PSEUDONYM_LEN;
}

int
pnr_canon(const char *s, int year, char out[PNR_LEN + 1], const char **why)
{
	char d[PNR_LEN + 1];
	int n, sep, yy, y, m, day;

	if ((n = split(s, d, &sep)) < 0) {
		*why = "not a personal identity number (10 or 12 digits)";
		return -1;
	}
	if (n == 10) {
		if (year == 0) {
			*why = "10 digits and no budget year for the century";
			return -1;
		}
		/* the century that makes the person 0–99 years old on 31
		 * December of the budget year, or 100+ with `+` */
		yy = (d[0] - '0') * 10 + (d[1] - '0');
		y = year - ((year - yy) % 100 + 100) % 100;
		if (sep == '+')
			y -= 100;
		if (y < 1000)
			y = 1000;	/* implausible; rejected below */
		out[0] = (char)('0' + y / 1000);
		out[1] = (char)('0' + y / 100 % 10);
		memcpy(out + 2, d, 11);
	} else
		memcpy(out, d, PNR_LEN + 1);
	/* four digits: out[0..3] come from digits or from y above */
	y = (out[0] - '0') * 1000 + (out[1] - '0') * 100 + (out[2] - '0') * 10 +
	    (out[3] - '0');
	m = (out[4] - '0') * 10 + (out[5] - '0');
	day = (out[6] - '0') * 10 + (out[7] - '0');
	if (day > 60)
		day -= 60;	/* samordningsnummer: day + 60 */
	if (!date_valid(y, m, day) || (year != 0 && y > year)) {
		*why = "not a plausible date of birth";
		return -1;
	}
	/* on YYMMDDNNNC, which split has checked are digits */
	if (!luhn_digits(out + 2, 10)) {
		*why = "check digit wrong";
		return -1;
	}
	return 0;
}

struct pnr_key *
pnr_key_clone(const struct pnr_key *k)
{
	struct pnr_key *c = ecalloc(1, sizeof *c);

	/* the context keeps the key; the bytes stay with the original */
	if ((c->mac = EVP_MAC_CTX_dup(k->mac)) == NULL)
		die(EXIT_IO, "HMAC-SHA-256: cannot copy the key's context");
	return c;
}

void
pnr_pseudonym(const struct pnr_key *k, const char digits[PNR_LEN],
    char out[PSEUDONYM_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	size_t len = 0;
	int i;

	if (!EVP_MAC_init(k->mac, NULL, 0, NULL) ||
	    !EVP_MAC_update(k->mac, (const unsigned char *)digits, PNR_LEN) ||
	    !EVP_MAC_final(k->mac, mac, &len, sizeof mac) ||
	    len < PSEUDONYM_LEN / 2)
		die(EXIT_IO, "HMAC-SHA-256 failed");
	for (i = 0; i < PSEUDONYM_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[PSEUDONYM_LEN] = '\0';
}
