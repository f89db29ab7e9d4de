/* test-image.c - the image engine's small parts: path normalisation, digests, the content
 * secret scanner (what it must and must not report), a layer read from memory, and the layer
 * cache's records (round trip, truncation, corruption, another build's). */
#include "image/cache.h"
#include "image/image.h"
#include "image/store.h"
#include "secrets/scan.h"
#include "util/digest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_path_normalize(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out;
		int climbed;
	} cases[] = {
		{"./etc/passwd", "etc/passwd", 0}, {"/abs//x/./y/", "abs/x/y", 0}, {"a/b/../c", "a/c", 0},
		{"../../etc/shadow", "etc/shadow", 1}, {"a/../../b", "b", 1}, {".", "", 0}, {"a/..", "", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		int climbed;
		strcpy(buf, cases[i].in);
		shp_path_normalize(buf, &climbed);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(climbed, cases[i].climbed);
	}
	char esc[] = "../x";
	assert_int_equal(shp_path_clean(esc), -1);
}

static void test_digest(void **s)
{
	(void)s;
	char d[72];
	shp_sha256_buf("", 0, d);
	assert_string_equal(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_true(shp_digest_valid(d));
	assert_false(shp_digest_valid("sha256:E3B0"));
	assert_false(shp_digest_valid("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

struct hits {
	char kinds[8][40];
	size_t n;
};

static void on_hit(void *arg, int kind, size_t start, size_t end)
{
	(void)start, (void)end;
	struct hits *h = arg;
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	if (h->n < 8)
		strcpy(h->kinds[h->n++], k[kind].id);
}

static const char *first_kind(const char *text, const char *path)
{
	static struct hits h;
	memset(&h, 0, sizeof h);
	shp_secrets_scan(text, strlen(text), path, on_hit, &h);
	return h.n ? h.kinds[0] : "";
}

static void test_secrets(void **s)
{
	(void)s;
	/* must be reported */
	assert_string_equal(first_kind("AWS_ACCESS_KEY_ID=AKIA0123456789ABCDEF\n", NULL), "aws-access-key-id");
	assert_string_equal(first_kind("'AWS_secret_KEY'=\"12ASD34qwe56CXZ78tyH10Tna543VBokN85RHCas\"", NULL),
			    "aws-secret-access-key");
	assert_string_equal(first_kind("token ghp_Zq8LmX2vN5bR7tY1cK4wH9sD3fG6jA0pE2uI", NULL), "github-token");
	assert_string_equal(first_kind("\"bot\": \"xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD\"", NULL),
			    "slack-token");
	assert_string_equal(first_kind("postgres://app:s3cr3t-Pass@db:5432/app", NULL), "url-password");
	assert_string_equal(first_kind("DB_PASSWORD=Tr0ub4dor-and-3\n", "srv/.env"), "env-password");
	assert_string_equal(first_kind("machine api.example.com login bot password Hunter2Hunter2\n", NULL),
			    "netrc-password");
	assert_string_equal(first_kind("-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAn6/O8li+SX4m98LLYt/PKSzEmQ++ZBD7Loh9P13f4yQ92EF3\n"
				       "-----END RSA PRIVATE KEY-----\n", NULL),
			    "private-key");
	/* must not be reported: placeholders, examples, public material, values outside KEY=value files */
	assert_string_equal(first_kind("aws_access_key: AKIAIOSFODNN7EXAMPLE", NULL), "");
	assert_string_equal(first_kind("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL), "");
	assert_string_equal(first_kind("-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----", NULL), "");
	assert_string_equal(first_kind("curl https://user:${PASSWORD}@host/x", NULL), "");
	assert_string_equal(first_kind("DB_PASSWORD=Tr0ub4dor-and-3\n", "src/settings.py"), "");
	assert_string_equal(first_kind("ABCFLWSECK_TEST123456789012 ask_live_superlive1", NULL), "");
}

static void test_layer_from_memory(void **s)
{
	(void)s;
	/* a 2-entry tar (ustar header for "x", 3 bytes, then the end) made byte by byte */
	unsigned char tar[2048] = {0};
	memcpy(tar, "x", 1);
	memcpy(tar + 100, "0000644", 7);
	memcpy(tar + 108, "0000000", 7);
	memcpy(tar + 116, "0000000", 7);
	memcpy(tar + 124, "00000000003", 11);
	memcpy(tar + 136, "00000000000", 11);
	tar[156] = '0';
	memcpy(tar + 257, "ustar", 6);
	memcpy(tar + 263, "00", 2);
	memset(tar + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += tar[i];
	snprintf((char *)tar + 148, 8, "%06o", sum);
	memcpy(tar + 512, "hi\n", 3);
	struct shp_layer_scan scan = {0};
	struct shp_src src = shp_src_memory(tar, sizeof tar);
	struct shp_error *err = NULL;
	struct shp_layer_budget b;
	shp_layer_budget_init(&b, 1 << 20, 0);
	assert_int_equal(shp_layer_read(&src, "mem", &b, &scan, &err), 0);
	assert_int_equal(scan.nentries, 1);
	assert_string_equal(scan.entries[0].path, "x");
	assert_string_equal(scan.sums.compression, "none");
	char want[72];
	shp_sha256_buf(tar, sizeof tar, want);
	assert_string_equal(scan.sums.diff_id, want);
	assert_string_equal(scan.sums.blob_digest, want);
	shp_layer_scan_free(&scan);
	/* a bomb guard smaller than the tar */
	struct shp_layer_scan s2 = {0};
	src = shp_src_memory(tar, sizeof tar);
	shp_layer_budget_init(&b, 1000, 0);
	assert_int_equal(shp_layer_read(&src, "mem", &b, &s2, &err), -1);
	assert_non_null(strstr(err->msg, "more than 1000 bytes"));
	shp_error_free(err);
	err = NULL;
	shp_layer_scan_free(&s2);
	/* the image's budget is shared by its layers: the tar fits once, not twice */
	shp_layer_budget_init(&b, 1 << 20, sizeof tar + sizeof tar / 2);
	for (int i = 0; i < 2; i++) {
		src = shp_src_memory(tar, sizeof tar);
		assert_int_equal(shp_layer_read(&src, "mem", &b, &s2, &err), i ? -1 : 0);
		shp_layer_scan_free(&s2);
	}
	assert_non_null(strstr(err->msg, "raise --max-image-bytes"));
	shp_error_free(err);
}

static void test_cache_record(void **s)
{
	(void)s;
	struct shp_layer_scan scan = {.sums = {.compression = "gzip", .blob_bytes = 1234, .tar_bytes = 5120},
				      .skipped_large = 2};
	shp_sha256_buf("blob", 4, scan.sums.blob_digest);
	shp_sha256_buf("tar", 3, scan.sums.diff_id);
	struct shp_entry es[] = {
		{.path = "etc/alpine-release", .size = 7, .mode = 0644, .type = SHP_FT_FILE},
		{.path = "lib/apk/db/installed", .size = 80, .mode = 0644, .type = SHP_FT_FILE},
		{.path = "bin/sh", .link = "/bin/busybox", .type = SHP_FT_SYMLINK},
		{.path = "usr/bin/su", .size = 9, .mode = 04755, .uid = 0, .gid = 0, .type = SHP_FT_FILE, .flags = SHP_EF_CAPS},
		{.path = "app/old", .type = SHP_FT_WHITEOUT},
	};
	for (size_t i = 0; i < sizeof es / sizeof es[0]; i++)
		shp_layer_add_entry(&scan, &es[i]);
	shp_layer_pkgdb(&scan, 0, SHP_DB_ALPINE_RELEASE, "3.18.4\n", 7);
	static const char apk[] = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:curl\nV:8.4.0-r0\nA:x86_64\n\n";
	shp_layer_pkgdb(&scan, 1, SHP_DB_APK, apk, sizeof apk - 1);
	scan.secrets = calloc(1, sizeof *scan.secrets);
	scan.secrets[0] = (struct shp_secret_hit){.entry = 3, .line = 2, .kind = 1, .evidence = "key=AK****"};
	scan.nsecrets = scan.csecrets = 1;
	assert_int_equal(scan.ndbs, 2);
	assert_int_equal(scan.dbs[1].pkgs.n, 2);

	size_t n, m;
	char *rec = shp_cache_encode(&scan, &n);
	struct shp_layer_scan back = {0};
	assert_int_equal(shp_cache_decode(rec, n, &back), 0);
	assert_int_equal(back.nentries, 5);
	assert_string_equal(back.entries[2].link, "/bin/busybox");
	assert_null(back.entries[0].link);
	assert_int_equal(back.entries[3].mode, 04755);
	assert_int_equal(back.entries[3].flags, SHP_EF_CAPS);
	assert_int_equal(back.entries[4].type, SHP_FT_WHITEOUT);
	assert_string_equal(back.secrets[0].evidence, "key=AK****");
	assert_string_equal(back.sums.compression, "gzip");
	assert_string_equal(back.sums.blob_digest, scan.sums.blob_digest);
	assert_int_equal(back.skipped_large, 2);
	assert_true(back.dbs[0].has_os);
	assert_string_equal(back.dbs[0].os.id, "alpine");
	assert_string_equal(back.dbs[1].pkgs.v[1].name, "curl");
	assert_string_equal(back.dbs[1].pkgs.v[0].license, "MIT");
	assert_null(back.dbs[1].pkgs.v[1].license);
	char *again = shp_cache_encode(&back, &m);
	assert_int_equal(m, n);
	assert_memory_equal(again, rec, n);
	free(again);
	shp_layer_scan_free(&back);

	/* every truncation, and a changed byte anywhere, make the record unusable */
	for (size_t len = 0; len < n; len++) {
		struct shp_layer_scan t = {0};
		assert_int_equal(shp_cache_decode(rec, len, &t), -1);
		shp_layer_scan_free(&t);
	}
	for (size_t i = 0; i < n; i += 3) {
		rec[i] ^= 0x20;
		struct shp_layer_scan t = {0};
		assert_int_equal(shp_cache_decode(rec, n, &t), -1);
		shp_layer_scan_free(&t);
		rec[i] ^= 0x20;
	}
	/* another build's record, with a checksum of its own, is not this build's */
	rec[12] ^= 1;
	shp_sha256_buf(rec, n - 72, rec + n - 72);
	struct shp_layer_scan t = {0};
	assert_int_equal(shp_cache_decode(rec, n, &t), -1);
	shp_layer_scan_free(&t);
	free(rec);
	shp_layer_scan_free(&scan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normalize),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_layer_from_memory),
		cmocka_unit_test(test_cache_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
