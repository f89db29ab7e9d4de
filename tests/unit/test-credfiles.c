/* test-credfiles.c - secrets/credfiles.c: which /etc/shadow fields take a password, which
 * passwd and group lines repeat an ID, and keytool's JKS digest and entry walk on keystores
 * written here byte by byte after the format keytool writes. */
#include "secrets/credfiles.h"
#include "unit.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

struct got {
	size_t n;
	struct {
		enum shp_cred_what what;
		uint32_t line;
		char name[64], detail[96], fp[17];
	} v[16];
};

static void on_item(void *arg, const struct shp_cred_item *it)
{
	struct got *g = arg;
	assert_true(g->n < 16);
	g->v[g->n].what = it->what;
	g->v[g->n].line = it->line;
	snprintf(g->v[g->n].name, sizeof g->v[g->n].name, "%s", it->name);
	snprintf(g->v[g->n].detail, sizeof g->v[g->n].detail, "%s", it->detail);
	memcpy(g->v[g->n].fp, it->fp, sizeof it->fp);
	g->n++;
}

static void test_crypt_schemes(void **state)
{
	(void)state;
	static const struct {
		const char *h, *scheme;
	} v[] = {
		{"$6$abcdefgh$F0ZlRQ8w1Jg2Kb8mBtYjD7nCr5mXrZgLqyzCz6o0V8pLr8RZ3sXvGqkqJXz0gM7vP8Xm5cJ2Q0Tq3kqYv1aN0",
		 "sha512crypt ($6$)"},
		{"$5$rounds=5000$abc$7mKq8zC2d0xY", "sha256crypt ($5$)"},
		{"$1$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f", "md5crypt ($1$)"},
		{"$y$j9T$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f", "yescrypt ($y$)"},
		{"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "bcrypt ($2b$)"},
		{"$7$CU..../....abc$xyzxyzxyz", "scrypt ($7$)"},
		{"abJnggxhB/yWI", "DES crypt"},
		{"_J9..abcdQx3vB9aaZq0", "BSDi DES crypt (_)"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const char *s = shp_crypt_scheme(v[i].h, strlen(v[i].h));
		printf("%s -> %s\n", v[i].h, s ? s : "(none)");
		assert_non_null(s);
		assert_string_equal(s, v[i].scheme);
	}
	/* locked, placeholders, and what no login checks against */
	static const char *const none[] = {"*",
					   "!",
					   "!!",
					   "!*",
					   "!$6$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f",
					   "x",
					   "NP",
					   "*LK*",
					   "$6$",
					   "$6$ab",
					   "$6$abc def ghijkl",
					   "abJnggxhB/yW",
					   "abJnggxhB/yWI1",
					   "$9$abcdefghijkl"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		printf("not a hash: %s\n", none[i]);
		assert_null(shp_crypt_scheme(none[i], strlen(none[i])));
	}
	/* a NUL byte is no crypt character (the content is bytes, not a string) */
	assert_null(shp_crypt_scheme("$6$abcd\0$efghijkl", 17));
	/* nor is an ID with one, nor a sign, a digit */
	struct got g = {0};
	shp_ids_check("a:x:1\0:0::/:\nb:x:+1:0::/:\nc:x:1:0::/:\n", 38, 0, on_item, &g);
	assert_int_equal(g.n, 0);
}

static void test_shadow(void **state)
{
	(void)state;
	const char *shadow = "root:*:19000:0:99999:7:::\n"
			     "daemon:*:19000:0:99999:7:::\n"
			     "# a comment:\n"
			     "\n"
			     "app:$6$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f:19000:0:99999:7:::\r\n"
			     "guest::19000::::::\n"
			     "locked:!$6$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f:19000::::::\n"
			     "new:!!:19000::::::\n"
			     "+::::::::\n"
			     "nofields\n"
			     "copy:$6$abcdefgh$Zq0wE5rT7yU1iO3pA5sD7f";
	struct got g = {0};
	shp_shadow_check(shadow, strlen(shadow), on_item, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.v[0].what, SHP_CRED_HASH);
	assert_string_equal(g.v[0].name, "app");
	assert_int_equal(g.v[0].line, 5);
	assert_string_equal(g.v[0].detail, "sha512crypt ($6$)");
	assert_int_equal(strlen(g.v[0].fp), 16);
	assert_int_equal(g.v[1].what, SHP_CRED_EMPTY);
	assert_string_equal(g.v[1].name, "guest");
	assert_int_equal(g.v[1].line, 6);
	/* the last line, without its newline: the same hash, the same fingerprint */
	assert_int_equal(g.v[2].what, SHP_CRED_HASH);
	assert_string_equal(g.v[2].name, "copy");
	assert_int_equal(g.v[2].line, 11);
	assert_string_equal(g.v[2].fp, g.v[0].fp);
	/* the hash itself is in no field the caller gets */
	for (size_t i = 0; i < g.n; i++)
		assert_null(strstr(g.v[i].detail, "abcdefgh"));

	/* Debian's minbase: every account locked */
	const char *minbase = "root:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n_apt:*:19700:0:99999:7:::\n";
	g.n = 0;
	shp_shadow_check(minbase, strlen(minbase), on_item, &g);
	assert_int_equal(g.n, 0);
}

static void test_ids(void **state)
{
	(void)state;
	const char *passwd = "root:x:0:0:root:/root:/bin/sh\n"
			     "app:x:1000:1000::/home/app:/bin/sh\n"
			     "toor:x:0:0::/root:/bin/sh\n"
			     "odd:x:abc:0::/:/bin/sh\n"
			     "b:x:1000:1000::/:/bin/sh\n"
			     "c:x:1000:1000::/:/bin/sh\n"
			     "+@netgroup:x:0:0:::\n"
			     "d:x:01000:1::/:/bin/sh\n";
	struct got g = {0};
	shp_ids_check(passwd, strlen(passwd), 0, on_item, &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.v[0].what, SHP_CRED_DUP_UID);
	assert_string_equal(g.v[0].name, "toor");
	assert_int_equal(g.v[0].line, 3);
	assert_string_equal(g.v[0].detail, "UID 0, as root (line 1)");
	assert_string_equal(g.v[1].name, "b");
	assert_string_equal(g.v[1].detail, "UID 1000, as app (line 2)");
	assert_string_equal(g.v[2].name, "c");
	assert_string_equal(g.v[2].detail, "UID 1000, as app (line 2)");
	assert_string_equal(g.v[3].name, "d"); /* 01000 is 1000 to the kernel */

	const char *group = "root:x:0:\nusers:x:100:\nstaff:x:50:\nalso:x:100:a,b\n";
	g.n = 0;
	shp_ids_check(group, strlen(group), 1, on_item, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.v[0].what, SHP_CRED_DUP_GID);
	assert_string_equal(g.v[0].name, "also");
	assert_int_equal(g.v[0].line, 4);
	assert_string_equal(g.v[0].detail, "GID 100, as users (line 2)");
}

/* ---- keystores, written as keytool writes them ---- */

struct ks {
	unsigned char b[4096];
	size_t n;
};

static void put32(struct ks *k, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		k->b[k->n++] = (unsigned char)(v >> (8 * i));
}
static void put_utf(struct ks *k, const char *s)
{
	size_t l = strlen(s);
	k->b[k->n++] = (unsigned char)(l >> 8);
	k->b[k->n++] = (unsigned char)l;
	memcpy(k->b + k->n, s, l);
	k->n += l;
}
static void put_bytes(struct ks *k, size_t n, unsigned char c)
{
	put32(k, (uint32_t)n);
	memset(k->b + k->n, c, n);
	k->n += n;
}

/* The trailing digest under password pw: SHA-1(pw as UTF-16BE, "Mighty Aphrodite", data). */
static void seal(struct ks *k, const char *pw)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, EVP_sha1(), NULL));
	for (const char *p = pw; *p; p++) {
		unsigned char u[2] = {0, (unsigned char)*p};
		EVP_DigestUpdate(c, u, 2);
	}
	EVP_DigestUpdate(c, "Mighty Aphrodite", 16);
	EVP_DigestUpdate(c, k->b, k->n);
	unsigned int n = 0;
	assert_true(EVP_DigestFinal_ex(c, k->b + k->n, &n));
	assert_int_equal(n, 20);
	k->n += 20;
	EVP_MD_CTX_free(c);
}

/* A JKS (version 2) with a trusted certificate, then (if key) a private key entry. */
static void jks(struct ks *k, uint32_t magic, int key, const char *pw)
{
	k->n = 0;
	put32(k, magic);
	put32(k, 2);
	put32(k, key ? 2 : 1);
	put32(k, 2); /* trusted certificate */
	put_utf(k, "ca");
	put32(k, 0);
	put32(k, 0x5f000000); /* timestamp */
	put_utf(k, "X.509");
	put_bytes(k, 300, 0x30);
	if (key) {
		put32(k, 1); /* private key */
		put_utf(k, "server");
		put32(k, 0);
		put32(k, 0x5f000000);
		put_bytes(k, 600, 0x30);
		put32(k, 1); /* its chain: one certificate */
		put_utf(k, "X.509");
		put_bytes(k, 300, 0x30);
	}
	seal(k, pw);
}

static void test_jks(void **state)
{
	(void)state;
	struct ks k;
	jks(&k, 0xFEEDFEEDu, 1, "changeit");
	assert_int_equal(shp_keystore_type(k.b, k.n), SHP_KS_JKS);
	assert_int_equal(shp_jks_password(k.b, k.n, "changeit"), 1);
	assert_int_equal(shp_jks_password(k.b, k.n, "changeme"), 0);
	assert_int_equal(shp_jks_password(k.b, k.n, ""), 0);
	assert_int_equal(shp_jks_has_key(k.b, k.n), 1);
	struct got g = {0};
	shp_keystore_check("app/conf/server.jks", (const char *)k.b, k.n, on_item, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.v[0].what, SHP_CRED_KEYSTORE);
	assert_string_equal(g.v[0].name, "changeit");
	assert_string_equal(g.v[0].detail, "JKS");

	/* certificates only: a trust store, quiet */
	jks(&k, 0xFEEDFEEDu, 0, "changeit");
	assert_int_equal(shp_jks_has_key(k.b, k.n), 0);
	g.n = 0;
	shp_keystore_check("etc/ssl/certs/java/cacerts.jks", (const char *)k.b, k.n, on_item, &g);
	assert_int_equal(g.n, 0);

	/* a strong password: quiet; the file's own base name, or an empty one: found */
	jks(&k, 0xFEEDFEEDu, 1, "Kq8-vT2x-Lm9z");
	g.n = 0;
	shp_keystore_check("app/server.jks", (const char *)k.b, k.n, on_item, &g);
	assert_int_equal(g.n, 0);
	jks(&k, 0xCECECECEu, 1, "tomcat");
	g.n = 0;
	shp_keystore_check("opt/tomcat.keystore", (const char *)k.b, k.n, on_item, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0].name, "tomcat");
	assert_string_equal(g.v[0].detail, "JCEKS");
	jks(&k, 0xFEEDFEEDu, 1, "");
	g.n = 0;
	shp_keystore_check("app/a.jks", (const char *)k.b, k.n, on_item, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0].name, "");

	/* a changed byte breaks the digest; a cut one the entry walk */
	jks(&k, 0xFEEDFEEDu, 1, "changeit");
	k.b[40] ^= 1;
	assert_int_equal(shp_jks_password(k.b, k.n, "changeit"), 0);
	jks(&k, 0xFEEDFEEDu, 1, "changeit");
	assert_int_equal(shp_jks_has_key(k.b, 200), -1);
	assert_int_equal(shp_jks_password(k.b, 8, "changeit"), -1);
	assert_int_equal(shp_keystore_type("PK\3\4", 4), SHP_KS_NONE);
}

static void test_keystore_names(void **state)
{
	(void)state;
	assert_true(shp_keystore_name("app/server.jks"));
	assert_true(shp_keystore_name("root/.keystore"));
	assert_true(shp_keystore_name("opt/x/CERT.P12"));
	assert_true(shp_keystore_name("a.pfx"));
	assert_true(shp_keystore_name("conf/s.jceks"));
	assert_true(shp_keystore_name("conf/client.truststore"));
	assert_false(shp_keystore_name("app/server.jks.bak"));
	assert_false(shp_keystore_name("etc/ssl/certs/java/cacerts"));
	assert_false(shp_keystore_name("jks"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypt_schemes), cmocka_unit_test(test_shadow),	     cmocka_unit_test(test_ids),
		cmocka_unit_test(test_jks),	      cmocka_unit_test(test_keystore_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
