/* test-cstorage.c - containers-storage read from disk: the store specifier of a reference
 * (skopeo's bracketed form and the bare one), Go's CRC-64 (ISO) that tar-split records, and
 * a tar rebuilt from tar-split lines: exact bytes out, and each way a record can disagree
 * with the layer's files or be malformed refused with a message naming the line. */
#include "image/cstorage.h"
#include "image/tarsplit.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
/* cmocka needs setjmp.h and the others before it */
#include <cmocka.h>

static void eq(const char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

static void test_ref_parse(void **state)
{
	(void)state;
	static const struct {
		const char *rest;
		const char *driver, *root, *runroot, *name;
	} cases[] = {
		{"nginx", NULL, NULL, NULL, "nginx"},
		{"docker.io/library/nginx:1.27", NULL, NULL, NULL, "docker.io/library/nginx:1.27"},
		{"[vfs@/r+/rr]nginx", "vfs", "/r", "/rr", "nginx"},
		{"[overlay@/var/lib/c+/run/c:overlay.mountopt=nodev]a/b:c", "overlay", "/var/lib/c", "/run/c", "a/b:c"},
		{"[/r]x@sha256:00", NULL, "/r", NULL, "x@sha256:00"},
		{"[vfs@/r]5c68", "vfs", "/r", NULL, "5c68"},
		{"vfs@/r+/rr:nginx:1", "vfs", "/r", "/rr", "nginx:1"},
		{"/r:nginx", NULL, "/r", NULL, "nginx"},
		{"name@sha256:abc", NULL, NULL, NULL, "name@sha256:abc"}, /* a digest, not a driver */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct shp_cstorage_ref r;
		struct shp_error *err = NULL;
		print_message("%s\n", cases[i].rest);
		assert_int_equal(shp_cstorage_ref_parse(cases[i].rest, &r, &err), 0);
		eq(r.driver, cases[i].driver);
		eq(r.root, cases[i].root);
		eq(r.runroot, cases[i].runroot);
		eq(r.name, cases[i].name);
		shp_cstorage_ref_free(&r);
	}
	static const char *const bad[] = {"[vfs@/r", "[vfs@rel]x", "[/r+rel]x", "[]x",
					  "[@/r]x",  "[vfs@/r]",   "/r",	"vfs@/r"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct shp_cstorage_ref r;
		struct shp_error *err = NULL;
		print_message("bad: %s\n", bad[i]);
		assert_int_equal(shp_cstorage_ref_parse(bad[i], &r, &err), -1);
		assert_int_equal(err->code, SHP_EXIT_USAGE);
		shp_error_free(err);
	}
}

static void test_crc64(void **state)
{
	(void)state;
	/* the catalogue's check value of CRC-64/GO-ISO */
	assert_true(shp_crc64_iso(0, "123456789", 9) == 0xb90956c775a41001ull);
	/* carried across calls, and sliced reads agree with bytewise ones */
	char buf[1000];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i * 7 + 3);
	uint64_t whole = shp_crc64_iso(0, buf, sizeof buf);
	uint64_t parts = shp_crc64_iso(shp_crc64_iso(shp_crc64_iso(0, buf, 3), buf + 3, 500), buf + 503, 497);
	assert_true(whole == parts);
	assert_true(shp_crc64_iso(0, "", 0) == 0);
}

/* ---- rebuilding ---- */

static unsigned char *gzip_of(const char *text, size_t *n)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, strlen(text));
	unsigned char *out = shp_xmalloc(cap);
	z.next_in = (unsigned char *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*n = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* The layer's files: "hello" holds "hello world\n" */
static int open_file(void *arg, const char *name, struct shp_error **err)
{
	(void)arg;
	if (strcmp(name, "hello"))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: No such file or directory", name);
	int fd = memfd_create("hello", 0);
	assert_int_equal(write(fd, "hello world\n", 12), 12);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Rebuilds the tar from the tar-split lines (gzip'd here); returns the bytes (*n of them)
 * or NULL with *error set. */
static char *rebuild(const char *lines, size_t *n, char **error, int raw)
{
	size_t gzn;
	unsigned char *gz = raw ? (unsigned char *)shp_xstrdup(lines) : gzip_of(lines, &gzn);
	if (raw)
		gzn = strlen(lines);
	struct shp_tarsplit *t = shp_tarsplit_new(shp_src_memory(gz, gzn), "t.tar-split.gz", open_file, NULL);
	struct shp_src src = shp_src_function(shp_tarsplit_read, t);
	char *out = NULL;
	*n = 0;
	char buf[7]; /* small reads: segments and files cut anywhere */
	ssize_t k;
	while ((k = shp_src_read(&src, buf, sizeof buf)) > 0) {
		out = shp_xrealloc(out, *n + (size_t)k + 1);
		memcpy(out + *n, buf, (size_t)k);
		*n += (size_t)k;
	}
	*error = NULL;
	if (k < 0) {
		*error = src.error;
		free(out);
		out = NULL;
	}
	shp_tarsplit_free(t);
	free(gz);
	return out;
}

/* "hello world\n" has CRC-64 (ISO) 0x... in base64: computed by the reader's own function
 * (checked against the catalogue above). */
static char *crc_b64(const char *s, size_t n)
{
	uint64_t c = shp_crc64_iso(0, s, n);
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(c >> (56 - 8 * i));
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = shp_xmalloc(13);
	for (int i = 0, j = 0; i < 8; i += 3) {
		uint32_t v =
			(uint32_t)b[i] << 16 | (i + 1 < 8 ? (uint32_t)b[i + 1] << 8 : 0) | (i + 2 < 8 ? b[i + 2] : 0);
		o[j++] = a[v >> 18];
		o[j++] = a[(v >> 12) & 63];
		o[j++] = i + 1 < 8 ? a[(v >> 6) & 63] : '=';
		o[j++] = i + 2 < 8 ? a[v & 63] : '=';
		o[j] = 0;
	}
	return o;
}

static void test_rebuild(void **state)
{
	(void)state;
	char *sum = crc_b64("hello world\n", 12);
	/* "head" and "tail" as segments around the file, one segment null */
	char *good = shp_asprintf("{\"type\":2,\"payload\":\"aGVhZA==\",\"position\":0}\n"
				  "{\"type\":1,\"name\":\"hello\",\"size\":12,\"payload\":\"%s\",\"position\":1}\n"
				  "\n"
				  "{\"type\":2,\"payload\":null,\"position\":2}\n"
				  "{\"type\":1,\"name\":\"dir/\",\"position\":3}\n"
				  "{\"type\":2,\"payload\":\"dGFpbA==\",\"position\":4}",
				  sum);
	size_t n;
	char *error;
	char *out = rebuild(good, &n, &error, 0);
	assert_non_null(out);
	assert_int_equal(n, 4 + 12 + 4);
	assert_memory_equal(out, "headhello world\ntail", n);
	free(out);
	free(good);

	static const struct {
		const char *lines, *msg;
	} bad[] = {
		{"{\"type\":1,\"name\":\"hello\",\"size\":13,\"payload\":\"AAAAAAAAAAA=\"}\n",
		 "t.tar-split.gz: line 1: hello: the tar-split says 13 bytes, the layer's file has 12"},
		{"{\"type\":1,\"name\":\"hello\",\"size\":12,\"payload\":\"AAAAAAAAAAA=\"}\n",
		 "t.tar-split.gz: line 1: hello: the content differs from what the layer stored (CRC-64)"},
		{"{\"type\":1,\"name\":\"gone\",\"size\":1,\"payload\":\"AAAAAAAAAAA=\"}\n",
		 "t.tar-split.gz: line 1: gone: gone: No such file or directory"},
		{"{\"type\":1,\"name\":\"hello\",\"size\":12,\"payload\":\"AAAA\"}\n",
		 "t.tar-split.gz: line 1: hello: the payload is not a CRC-64 in base64"},
		{"{\"type\":1,\"name\":\"hello\",\"size\":-1}\n", "t.tar-split.gz: line 1: hello: the size is not"},
		{"{\"type\":1,\"name\":\"hello\",\"size\":1.5}\n", "t.tar-split.gz: line 1: hello: the size is not"},
		{"{\"type\":1,\"size\":1}\n", "t.tar-split.gz: line 1: a file entry without a name"},
		{"{\"type\":2,\"payload\":\"a\"}\n", "t.tar-split.gz: line 1: a segment whose payload is not base64"},
		{"{\"type\":2,\"payload\":7}\n", "t.tar-split.gz: line 1: a segment whose payload is not base64"},
		{"{\"type\":2}\n{\"type\":9}\n", "t.tar-split.gz: line 2: an entry of unknown type"},
		{"{\"type\":2} x\n", "t.tar-split.gz: line 1: not a JSON object"},
		{"[1]\n", "t.tar-split.gz: line 1: not a JSON object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		print_message("bad: %s", bad[i].lines);
		assert_null(rebuild(bad[i].lines, &n, &error, 0));
		assert_non_null(error);
		print_message("  -> %s\n", error);
		assert_true(!strncmp(error, bad[i].msg, strlen(bad[i].msg)));
		free(error);
	}
	/* not gzip, and gzip cut short */
	assert_null(rebuild("{\"type\":2}\n", &n, &error, 1));
	assert_non_null(strstr(error, "not gzip"));
	free(error);
	size_t gzn;
	unsigned char *gz = gzip_of("{\"type\":2,\"payload\":\"aGVhZA==\"}\n", &gzn);
	struct shp_tarsplit *t = shp_tarsplit_new(shp_src_memory(gz, gzn - 6), "t", open_file, NULL);
	struct shp_src src = shp_src_function(shp_tarsplit_read, t);
	char buf[64];
	ssize_t k;
	while ((k = shp_src_read(&src, buf, sizeof buf)) > 0)
		;
	assert_int_equal(k, -1);
	assert_non_null(strstr(src.error, "truncated"));
	free(src.error);
	shp_tarsplit_free(t);
	free(gz);
	free(sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_parse),
		cmocka_unit_test(test_crc64),
		cmocka_unit_test(test_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
