/* digest.c - SHA-256 through OpenSSL's EVP interface (SHA-NI where the CPU has it). */
#include "util/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shp_sha256_init(struct shp_sha256 *s)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		fputs("shipshape: out of memory (sha256)\n", stderr);
		abort();
	}
	s->ctx = c;
}

void shp_sha256_update(struct shp_sha256 *s, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(s->ctx, p, n);
}

void shp_sha256_final(struct shp_sha256 *s, char out[72])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(s->ctx, md, &len);
	shp_sha256_free(s);
	memcpy(out, "sha256:", 7);
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[71] = 0;
}

void shp_sha256_free(struct shp_sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}

void shp_sha256_buf(const void *p, size_t n, char out[72])
{
	struct shp_sha256 s;
	shp_sha256_init(&s);
	shp_sha256_update(&s, p, n);
	shp_sha256_final(&s, out);
}

int shp_digest_valid(const char *s)
{
	if (strncmp(s, "sha256:", 7))
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", s[7 + i]) || !s[7 + i])
			return 0;
	return s[71] == 0;
}
