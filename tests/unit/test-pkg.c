/* test-pkg.c - package database readers, release files, distro keys and purls. */
#include "pkg/pkg.h"
#include "pkg/sbom.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static const char *kind_id(const char *path) { return shp_pkgdb_kind_id(shp_pkgdb_kind(path)); }

static void test_kinds(void **s)
{
	(void)s;
	assert_string_equal(kind_id("var/lib/dpkg/status"), "dpkg-status");
	assert_string_equal(kind_id("var/lib/dpkg/status.d/libssl3"), "dpkg-status-d");
	/* not a control file: the package's file list */
	assert_string_equal(kind_id("var/lib/dpkg/status.d/libssl3.md5sums"), "dpkg-files");
	assert_null(kind_id("var/lib/dpkg/status.d/sub/x"));
	assert_string_equal(kind_id("lib/apk/db/installed"), "apk-installed");
	assert_string_equal(kind_id("usr/lib/sysimage/rpm/Packages.db"), "rpm-ndb");
	assert_string_equal(kind_id("var/lib/rpm/rpmdb.sqlite"), "rpm-sqlite");
	assert_string_equal(kind_id("etc/os-release"), "os-release");
	assert_null(kind_id("usr/bin/dpkg"));
	assert_string_equal(kind_id("etc/almalinux-release"), "redhat-release");
	assert_string_equal(kind_id("var/lib/rpm/rpmdb.sqlite"), "rpm-sqlite");
	assert_string_equal(kind_id("usr/share/rpm/Packages"), "rpm-bdb");
	/* language packages: the manifests of installed packages, not those inside them */
	assert_string_equal(kind_id("app/node_modules/lodash/package.json"), "npm-package");
	assert_string_equal(kind_id("node_modules/lodash/package.json"), "npm-package");
	assert_string_equal(kind_id("app/node_modules/@types/node/package.json"), "npm-package");
	assert_string_equal(kind_id("a/node_modules/x/node_modules/y/package.json"), "npm-package");
	assert_null(kind_id("app/node_modules/lodash/test/package.json"));
	assert_null(kind_id("app/node_modules/@types/package.json"));
	assert_null(kind_id("app/package.json"));
	assert_null(kind_id("app/my_node_modules/x/package.json"));
	assert_string_equal(kind_id("usr/lib/python3.11/site-packages/PyYAML-6.0.dist-info/METADATA"),
			    "python-metadata");
	assert_string_equal(kind_id("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO"), "python-metadata");
	assert_string_equal(kind_id("usr/lib/python3/dist-packages/six-1.16.0.egg-info"), "python-metadata");
	assert_null(kind_id("usr/share/doc/METADATA"));
	assert_int_equal(shp_pkgdb_kind("lib/app.JAR"), SHP_DB_JAVA_ARCHIVE);
	assert_string_equal(shp_pkgdb_kind_id(SHP_DB_JAVA_ARCHIVE), "java-archive");
	assert_string_equal(shp_pkgdb_counts_as(SHP_DB_JAVA_ARCHIVE), "archives");
	assert_null(kind_id("lib/app.jab"));
	/* the stable names and back */
	assert_int_equal(shp_pkgdb_kind_from_id("rpm-bdb"), shp_pkgdb_kind("var/lib/rpm/Packages"));
	assert_int_equal(shp_pkgdb_kind_from_id("java-archive"), SHP_DB_JAVA_ARCHIVE);
	assert_int_equal(shp_pkgdb_kind_from_id("debian-version"), SHP_DB_DEBIAN_VERSION);
	assert_int_equal(shp_pkgdb_kind_from_id("no-such-reader"), SHP_DB_NONE);
	assert_string_equal(shp_pkgdb_counts_as(shp_pkgdb_kind("lib/apk/db/installed")), "databases");
	assert_null(shp_pkgdb_counts_as(SHP_DB_OS_RELEASE));
	/* the readers of programs: Go's first, its kind the same reader as SHP_DB_GO_BINARY's */
	enum shp_pkgdb_kind k = SHP_DB_NONE;
	assert_non_null(shp_pkg_program(0, &k));
	assert_string_equal(shp_pkgdb_kind_id(k), "go-binary");
	assert_string_equal(shp_pkgdb_kind_id(SHP_DB_GO_BINARY), "go-binary");
	assert_string_equal(shp_pkgdb_counts_as(k), "programs");
	size_t n = 0;
	while (shp_pkg_program(n, NULL))
		n++;
	assert_null(shp_pkg_program(n, &k));
	/* every reader's id names it back */
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		for (size_t i = 0; i < shp_eco((enum shp_pkg_type)t)->nreaders; i++) {
			const char *id = shp_eco((enum shp_pkg_type)t)->readers[i].id;
			assert_string_equal(shp_pkgdb_kind_id(shp_pkgdb_kind_from_id(id)), id);
		}
}

static void test_lang(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	const char *pj = "{\"name\": \"@types/node\", \"version\": \"20.1.0\", \"license\": {\"type\": \"MIT\"}}";
	assert_int_equal(shp_pkg_parse_npm("/a/package.json", pj, strlen(pj), &p), 0);
	const char *bad[] = {"{\"name\": \"x\",", "{\"name\": \"x\"}", "[1]", "{\"name\": \"a b\", \"version\": \"1\"}",
			     ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(shp_pkg_parse_npm("/b/package.json", bad[i], strlen(bad[i]), &p), 0);
	const char *md = "Metadata-Version: 2.4\r\nName: PyYAML\r\nVersion: 6.0.1\r\nLicense: UNKNOWN\r\n"
			 "License-Expression: MIT\r\n\r\nName: body\r\n";
	assert_int_equal(shp_pkg_parse_python("/c/METADATA", md, strlen(md), &p), 0);
	const char *nover = "Name: x\n";
	assert_int_equal(shp_pkg_parse_python("/d/METADATA", nover, strlen(nover), &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].type, SHP_PKG_NPM);
	assert_string_equal(p.v[0].name, "@types/node");
	assert_string_equal(p.v[0].license, "MIT");
	assert_string_equal(p.v[1].name, "PyYAML");
	assert_string_equal(p.v[1].version, "6.0.1");
	assert_string_equal(p.v[1].license, "MIT");
	char *u = shp_pkg_purl(&p.v[0], NULL);
	assert_string_equal(u, "pkg:npm/%40types/node@20.1.0");
	free(u);
	struct shp_os os = {.id = "debian", .version_id = "12"};
	u = shp_pkg_purl(&p.v[1], &os); /* no distro qualifier: the same package on every distro */
	assert_string_equal(u, "pkg:pypi/pyyaml@6.0.1");
	free(u);
	char *n = shp_pypi_normalize("Zope.Interface__x");
	assert_string_equal(n, "zope-interface-x");
	free(n);
	shp_pkgs_free(&p);
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
	assert_string_equal(purl, "pkg:deb/debian/libgcc1@1%3A8-1?arch=amd64&upstream=gcc-8%408-1&distro=debian-12");
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
	assert_string_equal(purl, "pkg:apk/alpine/musl-utils@1.1.24-r2?arch=x86_64&upstream=musl&distro=3.11.5");
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
	const char *r =
		"NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n# c\nPRETTY_NAME='U \\x'\n";
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
	/* Amazon Linux 2023, 2 and the first one: the keys rpm-md errata are imported under */
	static const char *const amzn[][2] = {
		{"NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\n",
		 "amzn:2023"},
		{"NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel "
		 "fedora\"\nVERSION_ID=\"2\"\n",
		 "amzn:2"},
		{"NAME=\"Amazon Linux AMI\"\nVERSION=\"2018.03\"\nID=\"amzn\"\nVERSION_ID=\"2018.03\"\n",
		 "amzn:2018.03"},
	};
	for (size_t i = 0; i < sizeof amzn / sizeof amzn[0]; i++) {
		assert_int_equal(
			shp_os_parse(SHP_DB_OS_RELEASE, "etc/os-release", amzn[i][0], strlen(amzn[i][0]), &A, &os), 1);
		assert_string_equal(shp_os_key(&os, &A), amzn[i][1]);
	}
	assert_int_equal(shp_os_parse(SHP_DB_OS_RELEASE, "etc/os-release", "NAME=x\n", 7, &A, &os), 0);
	shp_arena_free(&A);
}

/* A header blob wrapped in a one-slot NDB file (calloc'd; *len its size). */
static unsigned char *ndb_of(const unsigned char *buf, size_t n, size_t *len)
{
	size_t cap = 4096 + 16 + n + 16;
	unsigned char *ndb = calloc(1, cap);
	const unsigned char hdr[16] = {'R', 'p', 'm', 'P', 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
	memcpy(ndb, hdr, 16);
	for (size_t i = 2; i < 4096 / 16; i++)
		memcpy(ndb + i * 16, "Slot", 4);
	unsigned char *slot = ndb + 2 * 16;
	slot[4] = 1; /* pkgidx */
	slot[8] = 4096 / 16 & 0xff;
	slot[9] = 4096 / 16 >> 8; /* blkoff */
	size_t blk = (16 + n + 15) / 16;
	slot[12] = blk & 0xff;
	slot[13] = (blk >> 8) & 0xff;
	slot[14] = (blk >> 16) & 0xff;
	unsigned char *b = ndb + 4096;
	memcpy(b, "BlbS", 4);
	b[4] = 1;
	b[12] = n & 0xff;
	b[13] = (n >> 8) & 0xff;
	b[14] = (n >> 16) & 0xff;
	memcpy(b + 16, buf, n);
	*len = 4096 + blk * 16;
	return ndb;
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
	size_t n = fread(buf, 1, sizeof buf, f), len;
	fclose(f);
	unsigned char *ndb = ndb_of(buf, n, &len);
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	int rc = shp_pkg_parse_rpm(SHP_RPM_NDB, "/P.db", (const char *)ndb, len, &p, &err);
	if (rc < 0)
		fail_msg("%s", err->msg);
	assert_int_equal(p.n, 1);
	assert_non_null(p.v[0].name);
	assert_non_null(strchr(p.v[0].version, '-'));
	assert_int_equal(p.nowned, 0); /* no language package's files among its own */
	shp_pkgs_free(&p);
	/* the same header cut short is refused */
	assert_int_equal(shp_pkg_parse_rpm(SHP_RPM_NDB, "/P.db", (const char *)ndb, 4096 + 64, &p, &err), -1);
	shp_error_free(err);
	shp_pkgs_free(&p);
	free(ndb);
}

static int has_sum(const struct shp_pkgs *p, const char *path, enum shp_sum_algo algo, const char *hex,
		   const char *owner)
{
	unsigned char d[32];
	for (size_t k = 0; k < shp_sum_len(algo); k++) {
		unsigned v;
		sscanf(hex + 2 * k, "%2x", &v);
		d[k] = (unsigned char)v;
	}
	uint64_t key = shp_pkg_file_key(path, strlen(path), algo, d);
	for (size_t i = 0; i < p->nsums; i++)
		if (p->sums[i].key == key)
			return !strcmp(p->sums[i].owner, owner);
	return 0;
}

/* The digests package databases record of the files they installed: dpkg's md5sums (of
 * info/ and status.d/) and its status's Conffiles, apk's Z: SHA-1s (base64 after "Q1"). The
 * key is the same with or without the path's leading '/', and differs by path and digest. */
static void test_file_sums(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	static const char md5[] = "d41d8cd98f00b204e9800998ecf8427e  usr/lib/python3.11/zipfile.py\n"
				  "nothex8cd98f00b204e9800998ecf8427e  usr/bin/x\n"
				  "0123456789abcdef0123456789abcdef  usr/share/doc/a b.txt\n";
	assert_int_equal(shp_pkgdb_parse(shp_pkgdb_kind("var/lib/dpkg/info/libpython3.11-stdlib:amd64.md5sums"),
					 "/var/lib/dpkg/info/libpython3.11-stdlib:amd64.md5sums", md5, sizeof md5 - 1,
					 &p, &err),
			 0);
	assert_int_equal(p.nsums, 2);
	assert_true(has_sum(&p, "usr/lib/python3.11/zipfile.py", SHP_SUM_MD5, "d41d8cd98f00b204e9800998ecf8427e",
			    "libpython3.11-stdlib"));
	assert_true(has_sum(&p, "/usr/lib/python3.11/zipfile.py", SHP_SUM_MD5, "d41d8cd98f00b204e9800998ecf8427e",
			    "libpython3.11-stdlib"));
	assert_true(has_sum(&p, "/usr/share/doc/a b.txt", SHP_SUM_MD5, "0123456789abcdef0123456789abcdef",
			    "libpython3.11-stdlib"));
	assert_false(has_sum(&p, "usr/lib/python3.11/zipfile.py", SHP_SUM_MD5, "d41d8cd98f00b204e9800998ecf8427f",
			     "libpython3.11-stdlib"));
	assert_false(has_sum(&p, "usr/lib/python3.11/zipfile.pyc", SHP_SUM_MD5, "d41d8cd98f00b204e9800998ecf8427e",
			     "libpython3.11-stdlib"));
	shp_pkgs_free(&p);
	static const char status[] = "Package: openssl\nStatus: install ok installed\nVersion: 3.0.15-1~deb12u1\n"
				     "Conffiles:\n /etc/ssl/openssl.cnf fe1993ec22f6b8a46cb9706acd8fc68f\n"
				     " /etc/old.cnf 00112233445566778899aabbccddeeff obsolete\n"
				     "Description: toolkit\n fe1993ec22f6b8a46cb9706acd8fc68f is not a conffile\n";
	assert_int_equal(shp_pkg_parse_dpkg("/var/lib/dpkg/status", status, sizeof status - 1, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.nsums, 2);
	assert_true(has_sum(&p, "etc/ssl/openssl.cnf", SHP_SUM_MD5, "fe1993ec22f6b8a46cb9706acd8fc68f", "openssl"));
	assert_true(has_sum(&p, "etc/old.cnf", SHP_SUM_MD5, "00112233445566778899aabbccddeeff", "openssl"));
	shp_pkgs_free(&p);
	/* apk: SHA-1 of "hello\n" is f572d396fae9206628714fb2ce00f72e94f2258f */
	static const char apk[] = "P:musl\nV:1.2.4-r2\nF:etc\nR:motd\nZ:Q19XLTlvrpIGYocU+yzgD3LpTyJY8=\n"
				  "R:nosum\nR:issue\nZ:X1notsha1\n\n";
	assert_int_equal(shp_pkg_parse_apk("/lib/apk/db/installed", apk, sizeof apk - 1, &p, &err), 0);
	assert_int_equal(p.nsums, 1);
	assert_true(has_sum(&p, "etc/motd", SHP_SUM_SHA1, "f572d396fae9206628714fb2ce00f72e94f2258f", "musl"));
	shp_pkgs_free(&p);
}

/* A header of the tags given (tag, type, count, data of n bytes), as rpm lays it out. */
struct tag {
	uint32_t tag, type, count;
	const void *data;
	size_t n;
};
static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t header_of(const struct tag *t, size_t nt, unsigned char *out)
{
	size_t dl = 0;
	for (size_t i = 0; i < nt; i++)
		dl += t[i].n;
	unsigned char *p = out;
	const uint32_t head[2] = {(uint32_t)nt, (uint32_t)dl};
	for (size_t i = 0; i < 2; i++, p += 4)
		be32(p, head[i]);
	size_t off = 0;
	unsigned char *store = out + 8 + 16 * nt;
	for (size_t i = 0; i < nt; i++) {
		const uint32_t e[4] = {t[i].tag, t[i].type, (uint32_t)off, t[i].count};
		for (size_t k = 0; k < 4; k++, p += 4)
			be32(p, e[k]);
		memcpy(store + off, t[i].data, t[i].n);
		off += t[i].n;
	}
	return 8 + 16 * nt + dl;
}

/* rpm's file list (BASENAMES in DIRNAMES by DIRINDEXES): the files that are a language
 * package's metadata are kept, with the package's name as their owner; a list whose indexes
 * point past its directories is passed over, the package read all the same. */
static void test_rpm_files(void **s)
{
	(void)s;
	static const char dirs[] = "/usr/lib/python3.9/site-packages/\0/usr/lib/python3.9/site-packages/"
				   "requests-2.25.1-py3.9.egg-info/\0/usr/share/java/\0";
	static const char bases[] = "requests\0PKG-INFO\0commons-io.jar\0README\0";
	unsigned char idx[16] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0};
	/* SHA-256 (algorithm 8); a directory's digest is empty */
	static const char digests[] = "\0\0"
				      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\0"
				      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\0";
	unsigned char algo[4] = {0, 0, 0, 8};
	struct tag t[] = {
		{1000, 6, 1, "python3-requests", 17},
		{1001, 6, 1, "2.25.1", 7},
		{1002, 6, 1, "1.el9", 6},
		{1035, 8, 4, digests, sizeof digests - 1},
		{1116, 4, 4, idx, sizeof idx},
		{1117, 8, 4, bases, sizeof bases - 1},
		{1118, 8, 3, dirs, sizeof dirs - 1},
		{5011, 4, 1, algo, sizeof algo},
	};
	static unsigned char hdr[4096];
	size_t n = header_of(t, sizeof t / sizeof t[0], hdr), len;
	unsigned char *ndb = ndb_of(hdr, n, &len);
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	if (shp_pkg_parse_rpm(SHP_RPM_NDB, "/P.db", (const char *)ndb, len, &p, &err) < 0)
		fail_msg("%s", err->msg);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.nowned, 2);
	assert_string_equal(p.owned[0].path,
			    "/usr/lib/python3.9/site-packages/requests-2.25.1-py3.9.egg-info/PKG-INFO");
	assert_string_equal(p.owned[0].owner, "python3-requests");
	assert_string_equal(p.owned[1].path, "/usr/share/java/commons-io.jar");
	assert_int_equal(p.nsums, 2); /* its files' digests, for those that have one */
	assert_true(has_sum(&p, "usr/share/java/commons-io.jar", SHP_SUM_SHA256,
			    "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", "python3-requests"));
	assert_true(has_sum(&p, "usr/lib/python3.9/site-packages/README", SHP_SUM_SHA256,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "python3-requests"));
	shp_pkgs_free(&p);
	free(ndb);
	idx[7] = 9; /* past the directories */
	n = header_of(t, sizeof t / sizeof t[0], hdr);
	ndb = ndb_of(hdr, n, &len);
	assert_int_equal(shp_pkg_parse_rpm(SHP_RPM_NDB, "/P.db", (const char *)ndb, len, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.nowned, 1);
	shp_pkgs_free(&p);
	free(ndb);
}

/* dpkg's file lists (NAME[:ARCH].list, distroless's NAME.md5sums) and apk's F:/R: lines: only
 * the language packages' files are kept, owned by the package the list is of. */
static void test_file_lists(void **s)
{
	(void)s;
	assert_string_equal(kind_id("var/lib/dpkg/info/python3-urllib3.list"), "dpkg-files");
	assert_string_equal(kind_id("var/lib/dpkg/status.d/python3-urllib3.md5sums"), "dpkg-files");
	assert_string_equal(kind_id("var/lib/dpkg/info/python3-urllib3.md5sums"), "dpkg-files");
	assert_null(kind_id("var/lib/dpkg/info/sub/x.list"));
	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	static const char list[] = "/.\n/usr\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info\n"
				   "/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO\n"
				   "/usr/lib/python3/dist-packages/urllib3/__init__.py\n";
	assert_int_equal(shp_pkgdb_parse(shp_pkgdb_kind("var/lib/dpkg/info/python3-urllib3:amd64.list"),
					 "/var/lib/dpkg/info/python3-urllib3:amd64.list", list, sizeof list - 1, &p,
					 &err),
			 0);
	assert_int_equal(p.n, 0);
	/* the egg-info directory too: a lone NAME.egg-info file is metadata by its name */
	assert_int_equal(p.nowned, 2);
	assert_string_equal(p.owned[1].path, "/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO");
	assert_string_equal(p.owned[1].owner, "python3-urllib3");
	shp_pkgs_free(&p);
	static const char md5[] = "0123456789abcdef0123456789abcdef  usr/lib/node_modules/npm/package.json\n"
				  "0123456789abcdef0123456789abcdef  usr/bin/node\n";
	assert_int_equal(
		shp_pkg_parse_dpkg_files("/var/lib/dpkg/status.d/nodejs.md5sums", md5, sizeof md5 - 1, &p, &err), 0);
	assert_int_equal(p.nowned, 1);
	assert_string_equal(p.owned[0].path, "/usr/lib/node_modules/npm/package.json");
	assert_string_equal(p.owned[0].owner, "nodejs");
	shp_pkgs_free(&p);
	/* apk: the files follow their directory; the owner is named whatever the order */
	static const char apk[] = "C:Q1x\nP:py3-urllib3\nV:1.26.18-r0\nF:usr/lib/python3.11/site-packages/"
				  "urllib3-1.26.18.dist-info\nR:METADATA\nR:RECORD\n\nF:usr/lib/node_modules/x\n"
				  "R:package.json\nP:nodejs-x\nV:1-r0\n\nF:usr/lib/node_modules/y\nR:package.json\n\n";
	assert_int_equal(shp_pkg_parse_apk("/lib/apk/db/installed", apk, sizeof apk - 1, &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.nowned, 2); /* the stanza without a package names no owner */
	assert_string_equal(p.owned[0].path, "/usr/lib/python3.11/site-packages/urllib3-1.26.18.dist-info/METADATA");
	assert_string_equal(p.owned[0].owner, "py3-urllib3");
	assert_string_equal(p.owned[1].path, "/usr/lib/node_modules/x/package.json");
	assert_string_equal(p.owned[1].owner, "nodejs-x");
	shp_pkgs_free(&p);
}

static void test_purl(void **s)
{
	(void)s;
	struct shp_arena A = {0};
	struct shp_pkg p;
	const char *distro = NULL;
	/* Syft's deb: the source with its own version in upstream */
	assert_int_equal(
		shp_purl_parse("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl%403.0.11-1&"
			       "distro=debian-12",
			       &A, &p, NULL, &distro),
		0);
	assert_int_equal(p.type, SHP_PKG_DEB);
	assert_string_equal(p.name, "libssl3");
	assert_string_equal(p.version, "3.0.11-1~deb12u2");
	assert_string_equal(p.arch, "amd64");
	assert_string_equal(p.source, "openssl");
	assert_string_equal(p.source_version, "3.0.11-1");
	assert_string_equal(distro, "debian-12");
	/* Syft's rpm: the source rpm's file name, the epoch as a qualifier */
	assert_int_equal(shp_purl_parse("pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&"
					"upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3",
					&A, &p, NULL, NULL),
			 0);
	assert_string_equal(p.version, "1:3.0.7-24.el9");
	assert_int_equal(p.epoch, 1);
	assert_string_equal(p.source, "openssl");
	assert_string_equal(p.source_version, "3.0.7-24.el9");
	/* apk's origin without a version; a subpath and an unknown qualifier are ignored */
	distro = NULL;
	const char *ns;
	assert_int_equal(shp_purl_parse("PKG:apk/alpine/libcrypto3@3.1.4-r5?upstream=openssl&foo=bar&distro=3.19.1#x",
					&A, &p, &ns, &distro),
			 0);
	assert_string_equal(p.source, "openssl");
	assert_string_equal(p.source_version, "3.1.4-r5");
	assert_string_equal(distro, "3.19.1");
	assert_string_equal(ns, "alpine");
	/* "pkg://" is tolerated; a purl without a namespace has none */
	assert_int_equal(shp_purl_parse("pkg://deb/ubuntu/bash@5.1-6ubuntu1", &A, &p, &ns, NULL), 0);
	assert_string_equal(ns, "ubuntu");
	assert_int_equal(shp_purl_parse("pkg:rpm/curl@7.76.0-6.cm2", &A, &p, &ns, NULL), 0);
	assert_null(ns);
	/* npm's scope is part of the name, encoded or not; PyPI's */
	assert_int_equal(shp_purl_parse("pkg:npm/%40cyclonedx/cdxgen@12.8.4", &A, &p, &ns, NULL), 0);
	assert_int_equal(p.type, SHP_PKG_NPM);
	assert_string_equal(p.name, "@cyclonedx/cdxgen");
	assert_null(ns);
	assert_int_equal(shp_purl_parse("pkg:npm/@types/node@20.1.0", &A, &p, NULL, NULL), 0);
	assert_string_equal(p.name, "@types/node");
	assert_string_equal(p.version, "20.1.0");
	assert_int_equal(shp_purl_parse("pkg:pypi/pyyaml@6.0.1", &A, &p, NULL, NULL), 0);
	assert_int_equal(p.type, SHP_PKG_PYPI);
	/* a Go module's whole path is its name, and our purl of it reads back */
	assert_int_equal(shp_purl_parse("pkg:golang/golang.org/x/text@v0.3.7", &A, &p, &ns, NULL), 0);
	assert_int_equal(p.type, SHP_PKG_GO);
	assert_string_equal(p.name, "golang.org/x/text");
	assert_string_equal(p.version, "v0.3.7");
	assert_null(ns);
	struct shp_pkg go = {.type = SHP_PKG_GO, .name = "github.com/docker/docker", .version = "v27.1.2+incompatible"};
	char *gp = shp_pkg_purl(&go, NULL);
	assert_string_equal(gp, "pkg:golang/github.com/docker/docker@v27.1.2%2Bincompatible");
	assert_int_equal(shp_purl_parse(gp, &A, &p, NULL, NULL), 0);
	assert_string_equal(p.name, go.name);
	assert_string_equal(p.version, go.version);
	free(gp);
	/* not packages we match, or not purls at all */
	assert_int_equal(shp_purl_parse("pkg:hex/phoenix@1.7.0", &A, &p, NULL, NULL), -1);
	assert_int_equal(shp_purl_parse("pkg:generic/ldd?path=%2Fusr%2Fbin%2Fldd", &A, &p, NULL, NULL), -1);
	assert_int_equal(shp_purl_parse("pkg:deb/debian/curl", &A, &p, NULL, NULL), -1);
	assert_int_equal(shp_purl_parse("pkg:deb/debian/curl@", &A, &p, NULL, NULL), -1);
	assert_int_equal(shp_purl_parse("pkg:deb/@1.0", &A, &p, NULL, NULL), -1);
	assert_int_equal(shp_purl_parse("deb/debian/curl@1", &A, &p, NULL, NULL), -1);
	shp_arena_free(&A);
}

/* A Go 1.18+ build information blob: header, toolchain version and module information
 * (with the sentinels), each string after its varint length. */
static size_t go_blob(char *out, const char *version, const char *mod, unsigned flags)
{
	size_t n = 0;
	memcpy(out, "\xff Go buildinf:", 14);
	out[14] = 8;
	out[15] = (char)flags;
	memset(out + 16, 0, 16);
	n = 32;
	const char *str[2] = {version, mod};
	char framed[1024];
	snprintf(framed, sizeof framed, "0123456789abcdef%s\n0123456789abcdef", mod);
	str[1] = framed;
	for (int k = 0; k < 2; k++) {
		size_t len = strlen(str[k]);
		if (len > 1000 || n > 1024)
			return 0;
		for (size_t v = len;; v >>= 7) { /* uvarint */
			out[n++] = (char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
			if (v < 0x80)
				break;
		}
		memcpy(out + n, str[k], len);
		n += len;
	}
	return n;
}

/* Feeds a file of junk with the blob at offset at, in blocks of step bytes; the blob seen? */
static int go_feed(const char *blob, size_t blen, size_t at, size_t step, struct shp_gobin *g)
{
	if (blen > 4096 || at > 8192)
		return 0;
	size_t total = at + blen + 1000;
	char *file = malloc(total);
	for (size_t i = 0; i < total; i++)
		file[i] = (char)(i * 7 + 3);
	memcpy(file + at, blob, blen);
	shp_gobin_init(g);
	int done = 0;
	for (size_t o = 0; o < total && !done; o += step)
		done = shp_gobin_feed(g, file + o, o + step > total ? total - o : step);
	free(file);
	size_t len;
	return shp_gobin_blob(g, &len) != NULL && len == blen && !memcmp(shp_gobin_blob(g, &len), blob, blen);
}

static void test_gobin(void **s)
{
	(void)s;
	static const char mod[] = "path\texample.com/app/cmd\n"
				  "mod\texample.com/app\t(devel)\t\n"
				  "dep\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=\n"
				  "dep\tgithub.com/old/lib\tv1.2.0\t\n"
				  "=>\tgithub.com/new/lib\tv1.3.0\th1:x=\n"
				  "dep\tk8s.io/api\tv0.0.0\n"
				  "=>\t./staging/src/k8s.io/api\t(devel)\t\n"
				  "build\tGOOS=linux\n";
	char blob[2048];
	size_t n = go_blob(blob, "go1.21rc2 X:nocoverageredesign", mod, 2);
	struct shp_gobin g;
	/* found on an aligned offset whatever the blocks, also cut inside the magic */
	size_t steps[] = {1, 7, 16, 4096};
	for (size_t i = 0; i < 4; i++) {
		assert_true(go_feed(blob, n, 4096, steps[i], &g));
		shp_gobin_free(&g);
	}
	assert_true(go_feed(blob, n, 48, 21, &g));
	shp_gobin_free(&g);
	/* not on an unaligned one, nor in the old form (pointers, flags bit 1 clear) */
	assert_false(go_feed(blob, n, 4100, 4096, &g));
	shp_gobin_free(&g);
	char old[2048];
	size_t on = go_blob(old, "go1.17", mod, 0);
	assert_false(go_feed(old, on, 4096, 512, &g));
	shp_gobin_free(&g);

	struct shp_pkgs p = {0};
	assert_int_equal(shp_pkg_parse_gobin("/app", blob, n, &p), 0);
	shp_pkgs_sort(&p);
	/* the main module of a work tree has no version; a replacement wins; a local one has none */
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0].name, "github.com/new/lib");
	assert_string_equal(p.v[0].version, "v1.3.0");
	assert_string_equal(p.v[1].name, "golang.org/x/text");
	assert_string_equal(p.v[2].name, "stdlib");
	assert_string_equal(p.v[2].version, "v1.21.0-rc.2");
	assert_int_equal(p.v[2].type, SHP_PKG_GO);
	assert_string_equal(p.v[2].db, "/app");
	shp_pkgs_free(&p);
	/* the toolchain's tags as versions; what is not a release tag gives no stdlib */
	static const char *const tags[][2] = {{"go1.22.4", "v1.22.4"},		 {"go1.20", "v1.20.0"},
					      {"go1.19beta1", "v1.19.0-beta.1"}, {"go1.25-20250209-RC00 cl/1", NULL},
					      {"devel go1.23-abc", NULL},	 {"go1", NULL}};
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		n = go_blob(blob, tags[i][0], "path\tx\n", 2);
		assert_int_equal(shp_pkg_parse_gobin("/x", blob, n, &p), 0);
		if (tags[i][1]) {
			assert_int_equal(p.n, 1);
			assert_string_equal(p.v[0].version, tags[i][1]);
		} else
			assert_int_equal(p.n, 0);
		shp_pkgs_free(&p);
	}
	/* a file on disk: an ELF file without section headers is searched; not ELF, not read */
	n = go_blob(blob, "go1.22.4", mod, 2);
	char path[] = "/tmp/shipshape-gobin-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char head[4096] = "\177ELF\2\1\1";
	assert_int_equal(write(fd, head, sizeof head), (ssize_t)sizeof head);
	assert_int_equal(write(fd, blob, n), (ssize_t)n);
	size_t got;
	char *read = shp_gobin_read_elf(fd, sizeof head + n, &got);
	assert_non_null(read);
	assert_int_equal(got, n);
	assert_memory_equal(read, blob, n);
	free(read);
	/* ... but only so far: a blob past SHP_GOBIN_MAX_SEARCH of a sparse file is not looked for */
	assert_int_equal(pwrite(fd, blob, n, SHP_GOBIN_MAX_SEARCH + 4096), (ssize_t)n);
	assert_int_equal(pwrite(fd, "\0", 1, 4096), 1); /* the first blob is gone */
	assert_null(shp_gobin_read_elf(fd, SHP_GOBIN_MAX_SEARCH + 4096 + n, &got));
	assert_int_equal(pwrite(fd, "#!/bin/sh", 9, 0), 9);
	assert_null(shp_gobin_read_elf(fd, sizeof head + n, &got));
	close(fd);
	unlink(path);
	/* truncated blobs are no packages */
	n = go_blob(blob, "go1.22.4", mod, 2);
	for (size_t cut = 0; cut < n; cut += 5) {
		assert_int_equal(shp_pkg_parse_gobin("/x", blob, cut, &p), 0);
		assert_int_equal(p.n, 0);
		shp_pkgs_free(&p);
	}
}

static uint32_t crc32_of(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

static size_t put_le(char *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[i] = (char)(v >> (8 * i));
	return (size_t)n;
}

/* A zip of the given entries (name, content pairs; lens[i] the content's length, or strlen
 * when lens is NULL), stored as jar tools store inner jars, in buf; its size. */
static size_t zip_of(char *buf, size_t cap, const char *const *entries, size_t n, const size_t *lens)
{
	size_t w = 0, offs[8];
	assert_true(n <= 8);
	for (int pass = 0; pass < 2; pass++) {
		size_t cd = w;
		for (size_t i = 0; i < n; i++) {
			const char *name = entries[2 * i], *data = entries[2 * i + 1];
			size_t nl = strlen(name), len = lens ? lens[i] : strlen(data);
			uint32_t crc = crc32_of(data, len);
			assert_true(w + 64 + nl + len < cap);
			w += put_le(buf + w, pass ? 0x02014b50u : 0x04034b50u, 4);
			if (pass)
				w += put_le(buf + w, 20, 2); /* made by */
			w += put_le(buf + w, 20, 2);	     /* needed */
			w += put_le(buf + w, 0, 2);	     /* flags */
			w += put_le(buf + w, 0, 2);	     /* stored */
			w += put_le(buf + w, 0, 4);	     /* time, date */
			w += put_le(buf + w, crc, 4);
			w += put_le(buf + w, (uint32_t)len, 4);
			w += put_le(buf + w, (uint32_t)len, 4);
			w += put_le(buf + w, (uint32_t)nl, 2);
			w += put_le(buf + w, 0, 2); /* extra */
			if (pass) {
				w += put_le(buf + w, 0, 4); /* comment length, disk */
				w += put_le(buf + w, 0, 2); /* internal attributes */
				w += put_le(buf + w, 0, 4); /* external attributes */
				w += put_le(buf + w, (uint32_t)offs[i], 4);
			} else
				offs[i] = w - 30;
			memcpy(buf + w, name, nl);
			w += nl;
			if (!pass) {
				memcpy(buf + w, data, len);
				w += len;
			}
		}
		if (pass) {
			w += put_le(buf + w, 0x06054b50u, 4);
			w += put_le(buf + w, 0, 4);
			w += put_le(buf + w, (uint32_t)n, 2);
			w += put_le(buf + w, (uint32_t)n, 2);
			w += put_le(buf + w, (uint32_t)(w - cd - 12), 4);
			w += put_le(buf + w, (uint32_t)cd, 4);
			w += put_le(buf + w, 0, 2);
		}
	}
	return w;
}

static void test_java(void **s)
{
	(void)s;
	assert_true(shp_java_archive_name("opt/app/x.JAR"));
	assert_true(shp_java_archive_name("a.war"));
	assert_false(shp_java_archive_name("jar"));
	assert_false(shp_java_archive_name("a.jar.sha1"));
	static char deep[4096], inner[8192], outer[16384];
	const char *d[] = {"META-INF/maven/com.example/too-deep/pom.properties",
			   "groupId=com.example\nartifactId=too-deep\nversion=4\n"};
	size_t dn = zip_of(deep, sizeof deep, d, 1, NULL);
	/* the outer archive (1) holds log4j-api.jar (2), which holds l3.jar (3), which holds a
	 * fourth not read */
	static char l3[8192];
	const char *e3[] = {"META-INF/maven/com.example/l3/pom.properties",
			    "groupId=com.example\nartifactId=l3\nversion=3\n", "lib/deep.jar", deep};
	size_t l3n = zip_of(l3, sizeof l3, e3, 2, (size_t[]){strlen(e3[1]), dn});
	const char *ei[] = {
		"META-INF/maven/org.apache.logging.log4j/log4j-api/pom.properties",
		"#Generated by Maven\r\n! a comment\r\n  version : 2.14.1\r\ngroupId=org.apache.logging.log4j\r\n"
		"artifactId = log4j-api\r\nversion=2.17.1\r\n",
		"lib/l3.jar", l3};
	size_t in = zip_of(inner, sizeof inner, ei, 2, (size_t[]){strlen(ei[1]), l3n});
	const char *eo[] = {"META-INF/maven/com.example/app/pom.properties",
			    "groupId=com.example\nartifactId=app\nversion=1.0\n",
			    "META-INF/maven/com.example/partial/pom.properties",
			    "groupId=com.example\nartifactId=partial\n",
			    "META-INF/maven/com.example/pom.properties",
			    "groupId=x\nartifactId=y\nversion=1\n",
			    "BOOT-INF/lib/log4j-api.jar",
			    inner};
	size_t on = zip_of(outer, sizeof outer, eo, 4, (size_t[]){strlen(eo[1]), strlen(eo[3]), strlen(eo[5]), in});
	struct shp_pkgs p = {0};
	assert_int_equal(shp_java_archive_read_memory(outer, on, "/app.jar", &p), SHP_JAVA_WHOLE);
	shp_pkgs_sort(&p);
	/* the last "version" wins, as java.util.Properties has it; no version, no package; not a
	 * pom.properties out of its place; three archives deep but not four */
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0].name, "com.example:app");
	assert_string_equal(p.v[1].name, "com.example:l3");
	assert_string_equal(p.v[2].name, "org.apache.logging.log4j:log4j-api");
	assert_string_equal(p.v[2].version, "2.17.1");
	assert_string_equal(p.v[2].db, "/app.jar");
	assert_int_equal(p.v[2].type, SHP_PKG_MAVEN);
	char *purl = shp_pkg_purl(&p.v[2], NULL);
	assert_string_equal(purl, "pkg:maven/org.apache.logging.log4j/log4j-api@2.17.1");
	struct shp_arena A = {0};
	struct shp_pkg back;
	assert_int_equal(shp_purl_parse(purl, &A, &back, NULL, NULL), 0);
	assert_string_equal(back.name, "org.apache.logging.log4j:log4j-api");
	shp_arena_free(&A);
	free(purl);
	shp_pkgs_free(&p);
	/* every truncation of it reads without harm */
	for (size_t cut = 0; cut < on; cut += 97) {
		shp_java_archive_read_memory(outer, cut, "/cut.jar", &p);
		shp_pkgs_free(&p);
	}
	shp_java_archive_read_memory("PK\3\4 not really", 16, "/x.jar", &p);
	assert_int_equal(p.n, 0);
	shp_pkgs_free(&p);
}

/* Reads the archive open at fd from its start with *left bytes left in its layer. */
static enum shp_java_stop read_jar_fd(int fd, struct shp_pkgs *p, uint64_t *left)
{
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return shp_java_archive_read_fd(fd, "/app.jar", p, left);
}

static void test_java_layer_budget(void **s)
{
	(void)s;
	/* what an archive inflates is taken from what its layer has left; an archive stopped by
	 * the layer's budget, not its own, says so (it is listed as java-layer-inflate) */
	static char jar[4096];
	const char *e[] = {
		"META-INF/maven/com.example/a/pom.properties", "groupId=com.example\nartifactId=a\nversion=1\n",
		"META-INF/maven/com.example/b/pom.properties", "groupId=com.example\nartifactId=b\nversion=2\n"};
	size_t n = zip_of(jar, sizeof jar, e, 2, NULL), props = strlen(e[1]);
	char path[] = "/tmp/shp-jar-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, jar, n), (ssize_t)n);
	struct shp_pkgs p = {0};
	uint64_t left = 1000;
	assert_int_equal(read_jar_fd(fd, &p, &left), SHP_JAVA_WHOLE);
	assert_int_equal(p.n, 2);
	assert_int_equal(left, 1000 - 2 * props);
	shp_pkgs_free(&p);
	/* room for the first pom.properties only */
	left = props + 1;
	assert_int_equal(read_jar_fd(fd, &p, &left), SHP_JAVA_LAYER_LIMIT);
	assert_int_equal(p.n, 1);
	assert_int_equal(left, 0);
	shp_pkgs_free(&p);
	/* a layer whose earlier archives spent it all */
	assert_int_equal(read_jar_fd(fd, &p, &left), SHP_JAVA_LAYER_LIMIT);
	assert_int_equal(p.n, 0);
	shp_pkgs_free(&p);
	/* no layer: the archive's own budget alone */
	assert_int_equal(read_jar_fd(fd, &p, NULL), SHP_JAVA_WHOLE);
	assert_int_equal(p.n, 2);
	shp_pkgs_free(&p);
	close(fd);
}

/* Reads doc; checks the OS key and that the package named first has the given source. */
static void read_sbom(const char *doc, size_t want_n, const char *os_key, const char *name, const char *src,
		      const char *src_version)
{
	struct shp_pkgs p = {0};
	struct shp_os os = {0};
	struct shp_error *err = NULL;
	assert_true(shp_sbom_detect(doc, strlen(doc)));
	assert_int_equal(shp_sbom_read("t.json", doc, strlen(doc), &p, &os, &err), 0);
	assert_int_equal(p.n, want_n);
	assert_string_equal(shp_os_key(&os, &p.arena), os_key);
	size_t i = 0;
	while (i < p.n && strcmp(p.v[i].name, name))
		i++;
	assert_true(i < p.n);
	assert_string_equal(p.v[i].source, src);
	assert_string_equal(p.v[i].source_version, src_version);
	shp_pkgs_free(&p);
}

static void test_sbom(void **s)
{
	(void)s;
	/* Trivy CycloneDX: an operating-system component, the source in properties */
	read_sbom("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
		  "{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12.4\"},"
		  "{\"type\":\"library\",\"name\":\"libssl3\",\"version\":\"3.0.11-1~deb12u2\","
		  "\"purl\":\"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.4\","
		  "\"properties\":[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"openssl\"},"
		  "{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"3.0.11\"},"
		  "{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"1~deb12u2\"}]},"
		  "{\"type\":\"library\",\"name\":\"express\",\"purl\":\"pkg:npm/express@4.18.2\"}]}",
		  2, "debian:12", "libssl3", "openssl", "3.0.11-1~deb12u2");
	/* cdxgen: no OS component, apk purls with distro=alpine-3.11.5; nested components read */
	read_sbom("{\"bomFormat\":\"CycloneDX\",\"components\":[{\"type\":\"container\",\"name\":\"x\",\"components\":["
		  "{\"type\":\"library\",\"purl\":\"pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=alpine-3.11.5&"
		  "distro_name=alpine-3.11\"},"
		  "{\"type\":\"library\",\"purl\":\"pkg:apk/alpine/busybox@1.31.1-r9?distro=alpine-3.11.5\"}]}]}",
		  2, "alpine:3.11", "musl", "musl", "1.1.24-r2");
	/* Trivy's apk distro is the bare release */
	read_sbom("{\"bomFormat\":\"CycloneDX\",\"components\":[{\"purl\":\"pkg:apk/alpine/"
		  "zlib@1.3-r2?distro=3.19.1\"}]}",
		  1, "alpine:3.19", "zlib", "zlib", "1.3-r2");
	/* SPDX (Trivy): the OS package, sourceInfo; Syft's SPDX: upstream in the purl */
	read_sbom("{\"spdxVersion\":\"SPDX-2.3\",\"packages\":["
		  "{\"name\":\"ubuntu\",\"versionInfo\":\"22.04\",\"primaryPackagePurpose\":\"OPERATING-SYSTEM\"},"
		  "{\"name\":\"libc6\",\"sourceInfo\":\"built package from: glibc 2.35-0ubuntu3.6\",\"externalRefs\":["
		  "{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe23Type\",\"referenceLocator\":\"cpe:2.3:"
		  "a\"},"
		  "{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		  "\"referenceLocator\":\"pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?arch=amd64&distro=ubuntu-22.04\"}]},"
		  "{\"name\":\"bsdutils\",\"externalRefs\":[{\"referenceType\":\"purl\",\"referenceLocator\":"
		  "\"pkg:deb/ubuntu/bsdutils@1:2.37.2-4ubuntu3?upstream=util-linux%402.37.2-4ubuntu3\"}]}]}",
		  2, "ubuntu:22.04", "libc6", "glibc", "2.35-0ubuntu3.6");
	/* Syft CycloneDX with a codename as distro: the namespace names the OS */
	struct shp_pkgs p = {0};
	struct shp_os os = {0};
	struct shp_error *err = NULL;
	const char *doc = "{\"bomFormat\":\"CycloneDX\",\"components\":[{\"purl\":\"pkg:deb/debian/"
			  "curl@7.74.0-1.3?distro=bullseye\"}]}";
	assert_int_equal(shp_sbom_read("t.json", doc, strlen(doc), &p, &os, &err), 0);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.codename, "bullseye");
	assert_null(os.version_id);
	shp_pkgs_free(&p);
	/* broken JSON names its place; other documents are refused */
	doc = "{\"bomFormat\": \"CycloneDX\",\n \"components\": [\n  {\"purl\": }]}";
	assert_int_equal(shp_sbom_read("t.json", doc, strlen(doc), &p, &os, &err), -1);
	assert_non_null(strstr(err->msg, "t.json:3:"));
	shp_error_free(err);
	err = NULL;
	doc = "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"spdxVersion\":\"SPDX-3.0\"}";
	assert_int_equal(shp_sbom_read("t.json", doc, strlen(doc), &p, &os, &err), -1);
	assert_non_null(strstr(err->msg, "not a CycloneDX or SPDX 2 JSON document"));
	shp_error_free(err);
	shp_pkgs_free(&p);
	assert_false(shp_sbom_detect("[1]", 3));
	assert_false(shp_sbom_detect("{\"a\": 1}", 8));
	assert_true(shp_sbom_detect("\xef\xbb\xbf {\"bomFormat\":1}", 19));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),	  cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_file_sums), cmocka_unit_test(test_apk),
		cmocka_unit_test(test_os),	  cmocka_unit_test(test_rpm_header),
		cmocka_unit_test(test_rpm_files), cmocka_unit_test(test_file_lists),
		cmocka_unit_test(test_purl),	  cmocka_unit_test(test_sbom),
		cmocka_unit_test(test_lang),	  cmocka_unit_test(test_gobin),
		cmocka_unit_test(test_java),	  cmocka_unit_test(test_java_layer_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
