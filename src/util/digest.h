/* digest.h - SHA-256 over streams (OpenSSL), and the "sha256:<hex>" form images use. */
#pragma once
#include <stddef.h>

struct shp_sha256 {
	void *ctx; /* EVP_MD_CTX */
};

void shp_sha256_init(struct shp_sha256 *s);
void shp_sha256_update(struct shp_sha256 *s, const void *p, size_t n);
/* Writes "sha256:" and 64 hex digits plus NUL (72 bytes) to out and frees the context. */
void shp_sha256_final(struct shp_sha256 *s, char out[72]);
/* Frees the context without a result (safe on an initialised or zeroed struct). */
void shp_sha256_free(struct shp_sha256 *s);
/* The digest of a buffer, in the "sha256:<hex>" form. */
void shp_sha256_buf(const void *p, size_t n, char out[72]);
/* True if s is "sha256:" followed by 64 lowercase hex digits. */
int shp_digest_valid(const char *s);
