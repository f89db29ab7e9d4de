/* test-eco-cargo.c - Rust crates: cargo-auditable's .dep-v0 section found through an ELF
 * file's section headers (32/64-bit, both byte orders) and by content in a stream cut into
 * blocks of every size (a zlib header split between two blocks), what is listed from its
 * JSON, sections that are damaged or inflate too large, and semver order against the corpus
 * list (its path is the first argument). */
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

static const char *corpus;

static const char json[] =
	"{\"packages\":[{\"name\":\"serde\",\"version\":\"1.0.188\",\"source\":\"crates.io\",\"dependencies\":[2]},"
	"{\"name\":\"myapp\",\"version\":\"0.1.0\",\"source\":\"local\",\"root\":true,\"dependencies\":[0,2,3]},"
	"{\"name\":\"serde_derive\",\"version\":\"1.0.188\",\"source\":\"crates.io\",\"kind\":\"runtime\"},"
	"{\"name\":\"cc\",\"version\":\"1.0.83\",\"source\":\"crates.io\",\"kind\":\"build\"}]}";

static const struct shp_pkg_reader *reader(void)
{
	assert_int_equal(shp_eco_cargo.nreaders, 1);
	return &shp_eco_cargo.readers[0];
}

/* zlib of s (n bytes), malloc'd */
static unsigned char *deflated(const char *s, size_t n, size_t *len)
{
	uLongf cap = compressBound((uLong)n);
	unsigned char *out = malloc(cap);
	assert_int_equal(compress2(out, &cap, (const Bytef *)s, (uLong)n, 9), Z_OK);
	*len = cap;
	return out;
}

static void put(unsigned char *p, uint64_t v, int n, int be)
{
	for (int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* An ELF file: header, pad bytes of noise (with false zlib headers), the section, the names,
 * then the section headers (null, .shstrtab, .dep-v0); or none when !headers. */
static unsigned char *elf(int w, int be, const unsigned char *sec, size_t slen, int headers, size_t *len)
{
	static const char names[] = "\0.shstrtab\0.dep-v0\0";
	size_t eh = w == 8 ? 64 : 52, shsz = w == 8 ? 64 : 40, pad = 3000;
	size_t secoff = eh + pad, namoff = secoff + slen, shoff = namoff + sizeof names;
	size_t n = shoff + 3 * shsz;
	unsigned char *b = calloc(1, n);
	memcpy(b, "\177ELF", 4);
	b[4] = w == 8 ? 2 : 1;
	b[5] = be ? 2 : 1;
	b[6] = 1;
	for (size_t i = 0; i < pad; i++) /* 0x78 0x9c, 0x78 0x01: valid headers of no section */
		b[eh + i] = i % 5 == 0 ? 0x78 : i % 5 == 1 ? (i % 2 ? 0x9c : 0x01) : (unsigned char)(i * 7);
	memcpy(b + secoff, sec, slen);
	memcpy(b + namoff, names, sizeof names);
	if (headers) {
		put(b + (w == 8 ? 0x28 : 0x20), shoff, w, be);
		put(b + (w == 8 ? 0x3a : 0x2e), shsz, 2, be);
		put(b + (w == 8 ? 0x3c : 0x30), 3, 2, be);
		put(b + (w == 8 ? 0x3e : 0x32), 1, 2, be);
		for (int i = 1; i < 3; i++) {
			unsigned char *s = b + shoff + (size_t)i * shsz;
			put(s, i == 1 ? 1 : 11, 4, be);
			put(s + (w == 8 ? 0x18 : 0x10), i == 1 ? namoff : secoff, w, be);
			put(s + (w == 8 ? 0x20 : 0x14), i == 1 ? sizeof names : slen, w, be);
		}
	}
	*len = n;
	return b;
}

static char *via_fd(const unsigned char *b, size_t n, size_t *len)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fflush(f);
	char *out = reader()->program->read_fd(fileno(f), n, len);
	fclose(f);
	return out;
}

/* The stream reader over b in blocks of step bytes: the JSON found, malloc'd, or NULL. */
static char *via_stream(const unsigned char *b, size_t n, size_t step, size_t *len)
{
	const struct shp_prog_reader *p = reader()->program;
	void *st = malloc(p->state_size);
	p->init(st);
	for (size_t o = 0; o < n && !p->feed(st, b + o, o + step > n ? n - o : step); o += step)
		;
	const char *blob = p->blob(st, len);
	char *out = blob ? strndup(blob, *len) : NULL;
	p->free(st);
	free(st);
	return out;
}

static void check_packages(const char *blob, size_t len)
{
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	assert_int_equal(reader()->parse("/usr/local/bin/app", blob, len, &p, &err), 0);
	assert_null(err);
	shp_pkgs_sort(&p);
	assert_int_equal(p.n, 3); /* cc is a build dependency: not in the program */
	assert_string_equal(p.v[0].name, "myapp");
	assert_string_equal(p.v[1].name, "serde");
	assert_string_equal(p.v[1].version, "1.0.188");
	assert_int_equal(p.v[1].type, SHP_PKG_CARGO);
	assert_string_equal(p.v[1].db, "/usr/local/bin/app");
	assert_string_equal(p.v[2].name, "serde_derive");
	char *purl = shp_pkg_purl(&p.v[1], NULL);
	assert_string_equal(purl, "pkg:cargo/serde@1.0.188");
	free(purl);
	shp_pkgs_free(&p);
}

static void test_descriptor(void **s)
{
	(void)s;
	const struct shp_ecosystem *e = &shp_eco_cargo;
	assert_string_equal(e->type, "cargo");
	assert_string_equal(e->title, "Rust crates");
	assert_string_equal(e->purl_type, "cargo");
	assert_string_equal(e->osv, "crates.io");
	assert_int_equal(shp_eco_by_osv("crates.io"), SHP_PKG_CARGO);
	assert_int_equal(shp_eco_by_type("cargo"), SHP_PKG_CARGO);
	assert_string_equal(reader()->id, "cargo-auditable");
	assert_null(reader()->match);
	assert_non_null(reader()->program);
}

static void test_fd_all_classes(void **s)
{
	(void)s;
	size_t zlen, n, len;
	unsigned char *z = deflated(json, strlen(json), &zlen);
	for (int w = 4; w <= 8; w += 4)
		for (int be = 0; be < 2; be++) {
			unsigned char *b = elf(w, be, z, zlen, 1, &n);
			char *out = via_fd(b, n, &len);
			assert_non_null(out);
			assert_int_equal(len, strlen(json));
			assert_memory_equal(out, json, len);
			check_packages(out, len);
			free(out);
			/* without section headers: by content */
			free(b);
			b = elf(w, be, z, zlen, 0, &n);
			out = via_fd(b, n, &len);
			assert_non_null(out);
			assert_int_equal(len, strlen(json));
			free(out);
			free(b);
		}
	free(z);
}

/* Every block size from 1 to 40, a few larger, and every cut of the header's two bytes. */
static void test_stream_blocks(void **s)
{
	(void)s;
	size_t zlen, n, len;
	unsigned char *z = deflated(json, strlen(json), &zlen);
	unsigned char *b = elf(8, 0, z, zlen, 1, &n);
	size_t steps[] = {1, 2, 3, 7, 13, 40, 511, 1023, 1024, 1025, 3000, 3065, 3066, 3067, 4096, 65536};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		char *out = via_stream(b, n, steps[i], &len);
		assert_non_null(out);
		assert_int_equal(len, strlen(json));
		assert_memory_equal(out, json, len);
		free(out);
	}
	/* two blocks cut between CMF and FLG, and just after FLG */
	size_t at = 64 + 3000;
	for (size_t cut = at - 2; cut <= at + 3; cut++) {
		const struct shp_prog_reader *p = reader()->program;
		void *st = malloc(p->state_size);
		p->init(st);
		assert_int_equal(p->feed(st, b, cut), 0);
		assert_int_equal(p->feed(st, b + cut, n - cut), 1); /* found: the rest is not needed */
		assert_non_null(p->blob(st, &len));
		assert_int_equal(len, strlen(json));
		p->free(st);
		free(st);
	}
	free(b);
	free(z);
}

/* A large section (a dynamic Huffman block), streamed in blocks cutting it anywhere. */
static void test_stream_large(void **s)
{
	(void)s;
	size_t cap = 200000, k = 0;
	char *j = malloc(cap);
	k += (size_t)sprintf(j, "{\"packages\":[");
	for (int i = 0; i < 2000; i++)
		k += (size_t)sprintf(j + k,
				     "%s{\"name\":\"crate%d\",\"version\":\"%d.%d.%d\",\"source\":\"crates.io\"}",
				     i ? "," : "", i, i % 7, i % 13, i);
	k += (size_t)sprintf(j + k, "]}");
	size_t zlen, n, len;
	unsigned char *z = deflated(j, k, &zlen);
	unsigned char *b = elf(4, 1, z, zlen, 1, &n);
	for (size_t step = 1000; step < 70000; step += 9999) {
		char *out = via_stream(b, n, step, &len);
		assert_non_null(out);
		assert_int_equal(len, k);
		struct shp_pkgs p = {0};
		struct shp_error *err = NULL;
		assert_int_equal(reader()->parse("/app", out, len, &p, &err), 0);
		assert_int_equal(p.n, 2000);
		shp_pkgs_free(&p);
		free(out);
	}
	free(b);
	free(z);
	free(j);
}

/* Damaged, too large when inflated, absent, not JSON: nothing, and no error. */
static void test_bad(void **s)
{
	(void)s;
	size_t zlen, n, len;
	unsigned char *z = deflated(json, strlen(json), &zlen);
	z[zlen / 2] ^= 0x55;
	z[zlen / 2 + 1] ^= 0xaa;
	unsigned char *b = elf(8, 0, z, zlen, 1, &n);
	char *out = via_fd(b, n, &len);
	if (out) { /* a flip deflate cannot see: the JSON then does not read */
		struct shp_pkgs p = {0};
		struct shp_error *err = NULL;
		assert_int_equal(reader()->parse("/app", out, len, &p, &err), 0);
		shp_pkgs_free(&p);
	}
	free(out);
	free(via_stream(b, n, 4096, &len));
	free(b);
	free(z);

	/* 9 MiB of JSON: past the bound */
	size_t big = 9u << 20;
	char *j = malloc(big);
	memcpy(j, "{\"packages\":[", 13);
	memset(j + 13, ' ', big - 13);
	z = deflated(j, big, &zlen);
	b = elf(8, 0, z, zlen, 1, &n);
	assert_null(via_fd(b, n, &len));
	assert_null(via_stream(b, n, 65536, &len));
	free(b);
	free(z);
	free(j);

	/* no section: only noise */
	b = elf(8, 1, (const unsigned char *)"", 0, 1, &n);
	assert_null(via_fd(b, n, &len));
	assert_null(via_stream(b, n, 100, &len));
	free(b);

	/* JSON that is not cargo-auditable's, and a truncated section */
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	const char *bad[] = {"",
			     "{",
			     "[]",
			     "{\"packages\":{}}",
			     "{\"packages\":[1,\"x\",{\"name\":1}]}",
			     "{\"packages\":[{\"name\":\"a b\",\"version\":\"1\"}]}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(reader()->parse("/app", bad[i], strlen(bad[i]), &p, &err), 0);
	assert_int_equal(p.n, 0);
	shp_pkgs_free(&p);
	z = deflated(json, strlen(json), &zlen);
	b = elf(8, 0, z, zlen / 2, 1, &n);
	assert_null(via_fd(b, n, &len));
	assert_null(via_stream(b, n, 7, &len));
	free(b);
	free(z);
}

/* osv-scalibr's semver list: "A op B" lines, // comments. */
static void test_semver_corpus(void **s)
{
	(void)s;
	char path[4096];
	snprintf(path, sizeof path, "%s/vulndata/version-compare/osv-scalibr/semver-versions.txt",
		 corpus ? corpus : "../shared/corpus");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("skip: %s not found\n", path);
		skip();
	}
	char line[512], a[200], op[4], b[200];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "//", 2) || sscanf(line, "%199s %3s %199s", a, op, b) != 3)
			continue;
		int want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0, got = shp_eco_cargo.vercmp(a, b);
		got = (got > 0) - (got < 0);
		if (got != want)
			fail_msg("%s %s %s: got %d", a, op, b, got);
		n++;
	}
	fclose(f);
	assert_true(n > 50);
}

int main(int argc, char **argv)
{
	corpus = argc > 1 ? argv[1] : NULL;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),    cmocka_unit_test(test_fd_all_classes),
		cmocka_unit_test(test_stream_blocks), cmocka_unit_test(test_stream_large),
		cmocka_unit_test(test_bad),	      cmocka_unit_test(test_semver_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
