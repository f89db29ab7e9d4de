/* test-source.c - where images come from: the reference parser (skopeo's transport names, the
 * rule for paths with ':', the rows not read yet, the malformed ones) and the order in which
 * the sources' bids choose a kind from a store's content. */
#include "image/image-internal.h"
#include "image/reference.h"
#include "image/store.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* cmocka needs setjmp.h and the others before it */
#include <cmocka.h>

static void test_ref_parse(void **state)
{
	(void)state;
	static const struct {
		const char *arg;
		int exists;
		const char *transport, *path, *name; /* transport NULL: a plain path */
	} cases[] = {
		{"image.tar", 0, NULL, "image.tar", NULL},
		{"/abs/dir", 1, NULL, "/abs/dir", NULL},
		{"docker-archive:x.tar", 0, "docker-archive", "x.tar", NULL},
		{"docker-archive:x.tar:repo/name:tag", 0, "docker-archive", "x.tar", "repo/name:tag"},
		{"docker-archive:/a/b.tar:@1", 0, "docker-archive", "/a/b.tar", "@1"},
		{"oci:layout", 0, "oci", "layout", NULL},
		{"oci:./layout:v1", 0, "oci", "./layout", "v1"},
		{"oci-archive:o.tar:latest", 0, "oci-archive", "o.tar", "latest"},
		{"rootfs:/srv/root", 0, "rootfs", "/srv/root", NULL},
		{"rootfs:/srv/a:b", 0, "rootfs", "/srv/a:b", NULL}, /* no :REF: the rest is the path */
		/* a path that is there wins, whatever it looks like */
		{"oci:layout", 1, NULL, "oci:layout", NULL},
		{"./a:b.tar", 1, NULL, "./a:b.tar", NULL},
		/* not there and no transport: a plain path (said missing, as any) */
		{"./a:b.tar", 0, NULL, "./a:b.tar", NULL},
		{"nginx:1.27", 0, NULL, "nginx:1.27", NULL},
		{"Docker-archive:x", 0, NULL, "Docker-archive:x", NULL},
		{"a.b:c", 0, NULL, "a.b:c", NULL},
		{":x", 0, NULL, ":x", NULL},
		/* rows not read yet: parsed, the rest kept whole for the reader to come */
		{"docker://nginx:1.27", 0, "docker", "nginx:1.27", NULL},
		{"docker://localhost:5000/a/b@sha256:00", 0, "docker", "localhost:5000/a/b@sha256:00", NULL},
		{"docker-daemon:nginx:1.27", 0, "docker-daemon", "nginx:1.27", NULL},
		{"containers-storage:[vfs@/r+/rr]nginx", 0, "containers-storage", "[vfs@/r+/rr]nginx", NULL},
		{"dir:/tmp/d", 0, "dir", "/tmp/d", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct shp_image_ref r;
		struct shp_error *err = NULL;
		print_message("%s\n", cases[i].arg);
		assert_int_equal(shp_image_ref_parse(cases[i].arg, cases[i].exists, &r, &err), 0);
		assert_null(err);
		if (cases[i].transport) {
			assert_non_null(r.transport);
			assert_string_equal(r.transport->name, cases[i].transport);
		} else
			assert_null(r.transport);
		assert_string_equal(r.path, cases[i].path);
		if (cases[i].name)
			assert_string_equal(r.name, cases[i].name);
		else
			assert_null(r.name);
		shp_image_ref_free(&r);
	}
}

static void test_ref_errors(void **state)
{
	(void)state;
	static const struct {
		const char *arg, *says;
	} cases[] = {
		{"podman://nginx", "unknown transport \"podman\""},
		{"http://example.test/x.tar", "unknown transport \"http\""},
		{"docker:nginx", "written docker://NAME"},
		{"oci:", "nothing after \"oci:\""},
		{"docker://", "nothing after \"docker://\""},
		{"oci::v1", "no path"},
		{"docker-archive:x.tar:", "an empty REF"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct shp_image_ref r;
		struct shp_error *err = NULL;
		print_message("%s\n", cases[i].arg);
		assert_int_equal(shp_image_ref_parse(cases[i].arg, 0, &r, &err), -1);
		assert_non_null(err);
		assert_int_equal(err->code, SHP_EXIT_USAGE);
		assert_non_null(strstr(err->msg, cases[i].arg));
		assert_non_null(strstr(err->msg, cases[i].says));
		shp_error_free(err);
		/* as a path that is there, the same argument is that path */
		assert_int_equal(shp_image_ref_parse(cases[i].arg, 1, &r, NULL), 0);
		assert_null(r.transport);
		shp_image_ref_free(&r);
	}
}

/* Every row names a source and a kind of store; names are unique. */
static void test_transport_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < shp_ntransports; i++) {
		const struct shp_transport *t = &shp_transports[i];
		assert_non_null(t->source);
		assert_non_null(t->store);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t->name, shp_transports[j].name);
	}
	char *p = shp_image_ref_path("oci:/no/such/dir:v1");
	assert_string_equal(p, "/no/such/dir");
	free(p);
	assert_null(shp_image_ref_path("docker://nginx"));
	assert_null(shp_image_ref_path("podman://nginx"));
}

static void touch(const char *dir, const char *name)
{
	char *p = shp_asprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{}", 2), 2);
	close(fd);
	free(p);
}

/* The kind the bids choose for a directory holding these files (NULL: none bid). */
static const char *winner(const char *const *files)
{
	char tmpl[] = "/tmp/shp-test-source-XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	for (size_t i = 0; files[i]; i++)
		touch(dir, files[i]);
	struct shp_store *s = NULL;
	struct shp_error *err = NULL;
	struct shp_store_limits lim = {0};
	assert_int_equal(shp_store_open(dir, &lim, &s, &err), 0);
	int bids[SHP_NSOURCES];
	const struct shp_source *best;
	assert_int_equal(shp_sources_bid(s, bids, &best, &err), 0);
	shp_store_free(s);
	for (size_t i = 0; files[i]; i++) {
		char *p = shp_asprintf("%s/%s", dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
	return best ? best->name : NULL;
}

static void test_bid_order(void **state)
{
	(void)state;
	static const struct {
		const char *files[4];
		const char *kind;
	} cases[] = {
		{{NULL}, "rootfs"},
		{{"manifest.json", NULL}, "docker-archive"},
		{{"repositories", NULL}, "docker-archive"},
		{{"index.json", NULL}, "oci-layout"},
		{{"index.json", "oci-layout", NULL}, "oci-layout"},
		/* docker save since Docker 25 writes an OCI layout and manifest.json: the latter leads */
		{{"index.json", "oci-layout", "manifest.json", NULL}, "docker-archive"},
		/* the legacy repositories file loses to an index */
		{{"index.json", "repositories", NULL}, "oci-layout"},
		{{"manifest.json", "repositories", NULL}, "docker-archive"},
		/* skopeo's dir: format: its version file beside the manifest */
		{{"manifest.json", "version", NULL}, "dir"},
		{{"version", NULL}, "rootfs"},
		{{"etc", "usr", NULL}, "rootfs"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		print_message("case %zu\n", i);
		assert_string_equal(winner(cases[i].files), cases[i].kind);
	}
	/* the table's order is the order ties are broken in, and the rootfs bids lowest */
	assert_ptr_equal(shp_sources[SHP_NSOURCES - 1], &shp_source_rootfs);
	assert_null(shp_sources[SHP_NSOURCES]);
}

/* A tar store that no source bids on: no winner (the caller's "not an image" message). */
static void test_bid_tar(void **state)
{
	(void)state;
	char tar[] = "/tmp/shp-test-source-XXXXXX.tar";
	int fd = mkstemps(tar, 4);
	assert_true(fd >= 0);
	static char block[1536];
	memset(block, 0, sizeof block);
	/* one tar header, "a" of 0 bytes, then the two zero blocks of the end */
	memcpy(block, "a", 1);
	memcpy(block + 100, "0000644", 7);
	memcpy(block + 124, "00000000000", 11);
	memcpy(block + 136, "00000000000", 11);
	block[156] = '0';
	memcpy(block + 257,
	       "ustar\0"
	       "00",
	       8);
	unsigned sum = 0;
	memset(block + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)block[i];
	snprintf(block + 148, 8, "%06o", sum);
	assert_int_equal(write(fd, block, sizeof block), (ssize_t)sizeof block);
	close(fd);
	struct shp_store *s = NULL;
	struct shp_error *err = NULL;
	struct shp_store_limits lim = {0};
	assert_int_equal(shp_store_open(tar, &lim, &s, &err), 0);
	assert_string_equal(shp_store_kind(s), "tar");
	int bids[SHP_NSOURCES];
	const struct shp_source *best = &shp_source_rootfs;
	assert_int_equal(shp_sources_bid(s, bids, &best, &err), 0);
	assert_null(best);
	for (size_t i = 0; i < SHP_NSOURCES; i++)
		assert_int_equal(bids[i], 0);
	shp_store_free(s);
	unlink(tar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_parse),	cmocka_unit_test(test_ref_errors),
		cmocka_unit_test(test_transport_table), cmocka_unit_test(test_bid_order),
		cmocka_unit_test(test_bid_tar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
