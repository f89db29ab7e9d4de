/* test-pkg.c - package database readers, release files, distro keys and purls. */
#include "pkg/pkg.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_kinds(void **s)
{
	(void)s;
	assert_int_equal(shp_pkgdb_kind("var/lib/dpkg/status"), SHP_DB_DPKG_STATUS);
	assert_int_equal(shp_pkgdb_kind("var/lib/dpkg/status.d/libssl3"), SHP_DB_DPKG_STATUS_D);
	assert_int_equal(shp_pkgdb_kind("var/lib/dpkg/status.d/libssl3.md5sums"), SHP_DB_NONE);
	assert_int_equal(shp_pkgdb_kind("var/lib/dpkg/status.d/sub/x"), SHP_DB_NONE);
	assert_int_equal(shp_pkgdb_kind("lib/apk/db/installed"), SHP_DB_APK);
	assert_int_equal(shp_pkgdb_kind("usr/lib/sysimage/rpm/Packages.db"), SHP_DB_RPM_NDB);
	assert_int_equal(shp_pkgdb_kind("var/lib/rpm/rpmdb.sqlite"), SHP_DB_RPM_SQLITE);
	assert_int_equal(shp_pkgdb_kind("etc/os-release"), SHP_DB_OS_RELEASE);
	assert_int_equal(shp_pkgdb_kind("usr/bin/dpkg"), SHP_DB_NONE);
	assert_int_equal(shp_pkgdb_kind("etc/almalinux-release"), SHP_DB_REDHAT_RELEASE);
	assert_int_equal(shp_pkgdb_kind("var/lib/rpm/rpmdb.sqlite"), SHP_DB_RPM_SQLITE);
	assert_int_equal(shp_pkgdb_kind("usr/share/rpm/Packages"), SHP_DB_RPM_BDB);
}

static void test_dpkg(void **s)
{
	(void)s;
	const char *t = "Package: libgcc1\nStatus: install ok installed\nSource: gcc-8 (8-1)\nVersion: 1:8-1\n"
			"Architecture: amd64\nDescription: x\n more\n .\n\n"
			"Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
			"Package: noversion\n\r\n"
			"Package: half\nStatus: install reinstreq half-installed\nVersion: 2\n";
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	assert_int_equal(shp_pkg_parse_dpkg("/s", t, strlen(t), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].name, "libgcc1");
	assert_string_equal(p.v[0].version, "1:8-1");
	assert_string_equal(p.v[0].source, "gcc-8");
	assert_string_equal(p.v[0].source_version, "8-1");
	assert_string_equal(p.v[0].arch, "amd64");
	assert_string_equal(p.v[1].name, "half");
	assert_string_equal(p.v[1].source, "half");
	struct shp_os os = {.id = "debian", .version_id = "12"};
	char *purl = shp_pkg_purl(&p.v[0], &os);
	assert_string_equal(purl, "pkg:deb/debian/libgcc1@1%3A8-1?arch=amd64&distro=debian-12");
	free(purl);
	shp_pkgs_free(&p);
	const char *bad = "Package: a\nno colon here\n";
	assert_int_equal(shp_pkg_parse_dpkg("/s", bad, strlen(bad), &p, &err), -1);
	assert_string_equal(err->msg, "/s:2: not a \"Field: value\" line");
	shp_error_free(err);
	shp_pkgs_free(&p);
}

static void test_apk(void **s)
{
	(void)s;
	const char *t = "C:Q1x=\nP:musl-utils\nV:1.1.24-r2\nA:x86_64\nL:MIT BSD\no:musl\n\nP:zlib\nV:1.2.11-r3\n";
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	assert_int_equal(shp_pkg_parse_apk("/i", t, strlen(t), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].source, "musl");
	assert_string_equal(p.v[0].license, "MIT BSD");
	assert_string_equal(p.v[1].source, "zlib");
	assert_null(p.v[1].arch);
	struct shp_os os = {.id = "alpine", .version_id = "3.11.5"};
	char *purl = shp_pkg_purl(&p.v[0], &os);
	assert_string_equal(purl, "pkg:apk/alpine/musl-utils@1.1.24-r2?arch=x86_64&distro=3.11.5");
	free(purl);
	shp_pkgs_free(&p);
	assert_int_equal(shp_pkg_parse_apk("/i", "P:a\nnope\n", 9, &p, &err), -1);
	assert_string_equal(err->msg, "/i:2: not an apk \"X:value\" line");
	shp_error_free(err);
	shp_pkgs_free(&p);
}

static void test_os(void **s)
{
	(void)s;
	struct shp_arena A = {0};
	struct shp_os os;
	const char *r = "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n# c\nPRETTY_NAME='U \\x'\n";
	assert_int_equal(shp_os_parse(SHP_DB_OS_RELEASE, "etc/os-release", r, strlen(r), &A, &os), 1);
	assert_string_equal(os.id, "ubuntu");
	assert_string_equal(os.version_id, "22.04");
	assert_string_equal(os.codename, "jammy");
	assert_string_equal(shp_os_key(&os, &A), "ubuntu:22.04");
	assert_int_equal(shp_os_parse(SHP_DB_ALPINE_RELEASE, "etc/alpine-release", "3.18.4\n", 7, &A, &os), 1);
	assert_string_equal(shp_os_key(&os, &A), "alpine:3.18");
	assert_int_equal(shp_os_parse(SHP_DB_DEBIAN_VERSION, "etc/debian_version", "12.5\n", 5, &A, &os), 1);
	assert_string_equal(shp_os_key(&os, &A), "debian:12");
	const char *c = "CentOS Linux release 7.9.2009 (Core)\n";
	assert_int_equal(shp_os_parse(SHP_DB_REDHAT_RELEASE, "etc/redhat-release", c, strlen(c), &A, &os), 1);
	assert_string_equal(os.id, "centos");
	assert_string_equal(shp_os_key(&os, &A), "centos:7");
	assert_int_equal(shp_os_parse(SHP_DB_OS_RELEASE, "etc/os-release", "NAME=x\n", 7, &A, &os), 0);
	shp_arena_free(&A);
}

/* go-rpmdb's header blob from the corpus, wrapped in a one-slot NDB file. */
static void test_rpm_header(void **s)
{
	(void)s;
	FILE *f = fopen("../../shared/corpus/pkgdb/go-rpmdb/pkg/testdata/blob.bin", "rb");
	if (!f)
		f = fopen("../shared/corpus/pkgdb/go-rpmdb/pkg/testdata/blob.bin", "rb");
	if (!f)
		skip();
	static unsigned char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	size_t cap = 4096 + 16 + n + 16;
	unsigned char *ndb = calloc(1, cap);
	const unsigned char hdr[16] = {'R', 'p', 'm', 'P', 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
	memcpy(ndb, hdr, 16);
	for (size_t i = 2; i < 4096 / 16; i++)
		memcpy(ndb + i * 16, "Slot", 4);
	unsigned char *slot = ndb + 2 * 16;
	slot[4] = 1;                               /* pkgidx */
	slot[8] = 4096 / 16 & 0xff, slot[9] = 4096 / 16 >> 8;  /* blkoff */
	size_t blk = (16 + n + 15) / 16;
	slot[12] = blk & 0xff, slot[13] = (blk >> 8) & 0xff, slot[14] = (blk >> 16) & 0xff;
	unsigned char *b = ndb + 4096;
	memcpy(b, "BlbS", 4);
	b[4] = 1;
	b[12] = n & 0xff, b[13] = (n >> 8) & 0xff, b[14] = (n >> 16) & 0xff;
	memcpy(b + 16, buf, n);
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	int rc = shp_pkg_parse_rpm(SHP_DB_RPM_NDB, "/P.db", (const char *)ndb, 4096 + blk * 16, &p, &err);
	if (rc < 0)
		fail_msg("%s", err->msg);
	assert_int_equal(p.n, 1);
	assert_non_null(p.v[0].name);
	assert_non_null(strchr(p.v[0].version, '-'));
	shp_pkgs_free(&p);
	/* the same header cut short is refused */
	assert_int_equal(shp_pkg_parse_rpm(SHP_DB_RPM_NDB, "/P.db", (const char *)ndb, 4096 + 64, &p, &err), -1);
	shp_error_free(err);
	shp_pkgs_free(&p);
	free(ndb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds), cmocka_unit_test(test_dpkg),       cmocka_unit_test(test_apk),
		cmocka_unit_test(test_os),    cmocka_unit_test(test_rpm_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
