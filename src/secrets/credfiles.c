/* credfiles.c - password hashes in /etc/shadow, duplicate IDs in /etc/passwd and /etc/group,
 * and keystores that open with a well-known password (see credfiles.h). The keystores are
 * checked as their own tools check them: JKS and JCEKS by their integrity digest (keytool's
 * SHA-1 over the password, a fixed salt and the entries), PKCS#12 by OpenSSL's MAC check and
 * parser. */
#include "secrets/credfiles.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lines and fields ---- */

/* The next line of data[*at..len) (without its newline), or 0 at the end. */
static int next_line(const char *data, size_t len, size_t *at, const char **line, size_t *n)
{
	if (*at >= len)
		return 0;
	const char *p = data + *at;
	const char *nl = memchr(p, '\n', len - *at);
	*n = nl ? (size_t)(nl - p) : len - *at;
	*at += *n + (nl != NULL);
	*line = p;
	if (*n && p[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* Field k (0-based, ':'-separated) of line[0..n): 1 and its bounds, or 0 if there is none. */
static int field(const char *line, size_t n, unsigned k, const char **f, size_t *fn)
{
	const char *p = line, *end = line + n;
	for (; k; k--) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return 0;
		p = c + 1;
	}
	const char *c = memchr(p, ':', (size_t)(end - p));
	*f = p;
	*fn = c ? (size_t)(c - p) : (size_t)(end - p);
	return 1;
}

/* A line that names an account: not blank, not a comment, not a NIS "+"/"-" entry. */
static int account_line(const char *line, size_t n)
{
	return n && line[0] != '#' && line[0] != '+' && line[0] != '-' && line[0] != ':';
}

/* ---- /etc/shadow ---- */

static int crypt_chars(const char *h, size_t n, const char *extra)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
		      c == '/' || (extra && c && strchr(extra, c))))
			return 0;
	}
	return 1;
}

const char *shp_crypt_scheme(const char *h, size_t n)
{
	static const struct {
		const char *prefix, *name;
	} schemes[] = {
		{"$1$", "md5crypt ($1$)"},    {"$2a$", "bcrypt ($2a$)"},	 {"$2b$", "bcrypt ($2b$)"},
		{"$2x$", "bcrypt ($2x$)"},    {"$2y$", "bcrypt ($2y$)"},	 {"$3$", "NT hash ($3$)"},
		{"$5$", "sha256crypt ($5$)"}, {"$6$", "sha512crypt ($6$)"},	 {"$7$", "scrypt ($7$)"},
		{"$y$", "yescrypt ($y$)"},    {"$gy$", "gost-yescrypt ($gy$)"},	 {"$sha1$", "sha1crypt ($sha1$)"},
		{"$md5", "SunMD5 ($md5$)"},   {"$apr1$", "Apache MD5 ($apr1$)"},
	};
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t l = strlen(schemes[i].prefix);
		if (n >= l + 8 && !memcmp(h, schemes[i].prefix, l) && crypt_chars(h + l, n - l, "$,=+-"))
			return schemes[i].name;
	}
	if (n == 20 && h[0] == '_' && crypt_chars(h + 1, 19, NULL))
		return "BSDi DES crypt (_)";
	if (n == 13 && crypt_chars(h, 13, NULL))
		return "DES crypt";
	return NULL;
}

static void fingerprint(const char *h, size_t n, char out[17])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdn = 0;
	out[0] = 0;
	if (!EVP_Digest(h, n, md, &mdn, EVP_sha256(), NULL) || mdn < 8)
		return;
	for (size_t i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void shp_shadow_check(const char *data, size_t len, shp_cred_cb cb, void *arg)
{
	const char *line, *pw;
	size_t n, pn, at = 0;
	uint32_t lineno = 0;
	while (next_line(data, len, &at, &line, &n)) {
		lineno++;
		if (!account_line(line, n) || !field(line, n, 1, &pw, &pn))
			continue;
		const char *colon = memchr(line, ':', n);
		_cleanup_free_ char *name = shp_xstrndup(line, (size_t)(colon - line));
		struct shp_cred_item it = {.line = lineno, .name = name, .detail = ""};
		if (pn == 0) {
			it.what = SHP_CRED_EMPTY;
			cb(arg, &it);
		} else if ((it.detail = shp_crypt_scheme(pw, pn))) {
			it.what = SHP_CRED_HASH;
			fingerprint(pw, pn, it.fp);
			cb(arg, &it);
		}
	}
}

/* ---- /etc/passwd, /etc/group ---- */

/* f[0..n) is all decimal digits (the data is no string: nothing past n is read) */
static int digits(const char *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i] < '0' || f[i] > '9')
			return 0;
	return 1;
}

struct idline {
	unsigned long id;
	uint32_t line;
	const char *name; /* in the data, up to ':' */
	size_t name_len;
};

static int by_id(const void *a, const void *b)
{
	const struct idline *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

void shp_ids_check(const char *data, size_t len, int group, shp_cred_cb cb, void *arg)
{
	struct idline *v = NULL;
	size_t nv = 0, cap = 0, at = 0, n, fn;
	const char *line, *f;
	uint32_t lineno = 0;
	while (next_line(data, len, &at, &line, &n)) {
		lineno++;
		if (!account_line(line, n) || !field(line, n, 2, &f, &fn) || fn == 0 || fn > 10 || !digits(f, fn))
			continue;
		struct idline x = {0, lineno, line, (size_t)((const char *)memchr(line, ':', n) - line)};
		for (size_t i = 0; i < fn; i++)
			x.id = x.id * 10 + (unsigned long)(f[i] - '0');
		SHP_PUSH(v, nv, cap, x);
	}
	if (nv > 1)
		qsort(v, nv, sizeof *v, by_id);
	for (size_t i = 1; i < nv; i++) {
		size_t first = i - 1;
		while (first > 0 && v[first - 1].id == v[i].id)
			first--;
		if (v[first].id != v[i].id)
			continue;
		_cleanup_free_ char *name = shp_xstrndup(v[i].name, v[i].name_len);
		_cleanup_free_ char *detail = shp_asprintf("%s %lu, as %.*s (line %u)", group ? "GID" : "UID", v[i].id,
							   (int)v[first].name_len, v[first].name, v[first].line);
		struct shp_cred_item it = {.what = group ? SHP_CRED_DUP_GID : SHP_CRED_DUP_UID,
					   .line = v[i].line,
					   .name = name,
					   .detail = detail};
		cb(arg, &it);
	}
	free(v);
}

/* ---- keystores ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum shp_keystore_type shp_keystore_type(const void *data, size_t len)
{
	const unsigned char *d = data;
	if (len >= 4 + 4 + 4 + 20 && be32(d) == 0xFEEDFEEDu)
		return SHP_KS_JKS;
	if (len >= 4 + 4 + 4 + 20 && be32(d) == 0xCECECECEu)
		return SHP_KS_JCEKS;
	if (len >= 2 && d[0] == 0x30)
		return SHP_KS_PKCS12;
	return SHP_KS_NONE;
}

int shp_jks_password(const unsigned char *d, size_t n, const char *pw)
{
	enum shp_keystore_type t = shp_keystore_type(d, n);
	if (t != SHP_KS_JKS && t != SHP_KS_JCEKS)
		return -1;
	static const char salt[] = "Mighty Aphrodite";
	size_t pl = strlen(pw);
	unsigned char u16[2 * 256];
	if (pl > 256)
		return 0;
	for (size_t i = 0; i < pl; i++) {
		u16[2 * i] = 0;
		u16[2 * i + 1] = (unsigned char)pw[i];
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdn = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) && EVP_DigestUpdate(ctx, u16, 2 * pl) &&
		 EVP_DigestUpdate(ctx, salt, sizeof salt - 1) && EVP_DigestUpdate(ctx, d, n - 20) &&
		 EVP_DigestFinal_ex(ctx, md, &mdn) && mdn == 20;
	EVP_MD_CTX_free(ctx);
	return ok && !CRYPTO_memcmp(md, d + n - 20, 20);
}

/* A bounded reader over the entries (the bytes before the digest). */
struct rd {
	const unsigned char *p;
	size_t at, n;
};

static int rd_skip(struct rd *r, size_t k)
{
	if (r->n - r->at < k)
		return 0;
	r->at += k;
	return 1;
}

static int rd_u32(struct rd *r, uint32_t *v)
{
	if (r->n - r->at < 4)
		return 0;
	*v = be32(r->p + r->at);
	r->at += 4;
	return 1;
}

/* A Java modified-UTF-8 string: a 16-bit length and its bytes. */
static int rd_utf(struct rd *r)
{
	if (r->n - r->at < 2)
		return 0;
	size_t l = (size_t)r->p[r->at] << 8 | r->p[r->at + 1];
	r->at += 2;
	return rd_skip(r, l);
}

int shp_jks_has_key(const unsigned char *d, size_t n)
{
	enum shp_keystore_type t = shp_keystore_type(d, n);
	if (t != SHP_KS_JKS && t != SHP_KS_JCEKS)
		return -1;
	struct rd r = {d, 4, n - 20};
	uint32_t version, count;
	if (!rd_u32(&r, &version) || !rd_u32(&r, &count) || (version != 1 && version != 2))
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t tag, len;
		if (!rd_u32(&r, &tag) || !rd_utf(&r) || !rd_skip(&r, 8))
			return -1;
		if (tag == 1 || tag == 3) /* a private key; JCEKS: a secret key */
			return 1;
		if (tag != 2) /* a trusted certificate: its type (version 2), its bytes */
			return -1;
		if ((version == 2 && !rd_utf(&r)) || !rd_u32(&r, &len) || !rd_skip(&r, len))
			return -1;
	}
	return 0;
}

/* PKCS#12: whether pw opens p12 (its MAC holds; with no MAC, it parses); *key set when it
 * holds a private key. A MAC whose key derivation asks for more than MAX_ITER rounds is not
 * tried (a crafted file's hang; Java writes 10,000, OpenSSL 2,048). */
#define MAX_ITER 1000000
static int p12_opens(PKCS12 *p12, const char *pw, int *key)
{
	const ASN1_INTEGER *iter = NULL;
	const char *use = pw;
	if (PKCS12_mac_present(p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
		if (iter && (ASN1_INTEGER_get(iter) < 0 || ASN1_INTEGER_get(iter) > MAX_ITER))
			return 0;
		if (!PKCS12_verify_mac(p12, pw, -1)) {
			if (*pw || !PKCS12_verify_mac(p12, NULL, 0))
				return 0;
			use = NULL;
		}
	}
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	int ok = PKCS12_parse(p12, use, &pkey, &cert, &ca);
	*key = ok && pkey;
	EVP_PKEY_free(pkey);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	return ok || PKCS12_mac_present(p12);
}

int shp_keystore_name(const char *path)
{
	static const char *const ends[] = {".jks", ".keystore", ".jceks", ".truststore", ".p12", ".pfx"};
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t l = strlen(ends[i]);
		if (n >= l && !strcasecmp(b + n - l, ends[i]))
			return 1;
	}
	return 0;
}

void shp_keystore_check(const char *path, const char *data, size_t len, shp_cred_cb cb, void *arg)
{
	const unsigned char *d = (const unsigned char *)data;
	enum shp_keystore_type t = shp_keystore_type(d, len);
	if (t == SHP_KS_NONE || len > SHP_CRED_FILE_MAX_BYTES)
		return;
	/* the base name without its extension: "server" for server.jks */
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	_cleanup_free_ char *base = shp_xstrndup(b, dot && dot > b ? (size_t)(dot - b) : strlen(b));
	const char *pws[] = {"", "changeit", "changeme", "password", "secret", "123456", "keystore", "android", base};
	size_t npw = sizeof pws / sizeof pws[0];
	for (size_t i = 0; i + 1 < npw; i++)
		if (!strcmp(pws[i], base))
			npw--; /* tried already */
	PKCS12 *p12 = NULL;
	int has_key = -1;
	const char *opened = NULL;
	if (t == SHP_KS_PKCS12) {
		const unsigned char *p = d;
		if (!(p12 = d2i_PKCS12(NULL, &p, (long)len))) {
			ERR_clear_error();
			return;
		}
		for (size_t i = 0; i < npw && !opened; i++) {
			int key = 0;
			if (p12_opens(p12, pws[i], &key)) {
				opened = pws[i];
				has_key = key;
			}
		}
		PKCS12_free(p12);
		ERR_clear_error();
	} else {
		for (size_t i = 0; i < npw && !opened; i++)
			if (shp_jks_password(d, len, pws[i]) == 1)
				opened = pws[i];
		if (opened)
			has_key = shp_jks_has_key(d, len);
	}
	if (!opened || has_key != 1)
		return;
	struct shp_cred_item it = {.what = SHP_CRED_KEYSTORE,
				   .name = opened,
				   .detail = t == SHP_KS_JKS	 ? "JKS"
					     : t == SHP_KS_JCEKS ? "JCEKS"
								 : "PKCS#12"};
	fingerprint(data, len, it.fp);
	cb(arg, &it);
}
