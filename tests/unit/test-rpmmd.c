/* test-rpmmd.c - rpm-md errata: the updateinfo location in repomd.xml, and the stream
 * reader on the fixtures (argv[1]: tests/data/rpmmd) and on hostile documents. */
#include "unit.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "vuln/rpmmd.h"

#include <stdlib.h>
#include <string.h>

static const char *data_dir;

/* ---- repomd.xml ------------------------------------------------------------------------ */

static int href_of(const char *xml, char **href)
{
	struct shp_error *err = NULL;
	int rc = shp_rpmmd_updateinfo_href(xml, strlen(xml), href, &err);
	if (rc < 0) {
		assert_non_null(err);
		assert_non_null(strstr(err->msg, "repomd.xml"));
	}
	shp_error_free(err);
	return rc;
}

static void test_href(void **s)
{
	(void)s;
	_cleanup_free_ char *path = shp_asprintf("%s/repomd.xml", data_dir), *xml = NULL;
	size_t len;
	struct shp_error *err = NULL;
	assert_int_equal(shp_read_file(path, 1 << 20, &xml, &len, &err), 0);
	char *href = NULL;
	assert_int_equal(shp_rpmmd_updateinfo_href(xml, len, &href, &err), 1);
	assert_string_equal(href, "repodata/bb-updateinfo.xml.gz");
	free(href);

	/* a prefixed namespace, the updateinfo entry first, other attributes around the href */
	assert_int_equal(href_of("<r:repomd xmlns:r=\"x\"><r:data type=\"updateinfo\"><r:location xml:base=\"\" "
				 "href=\"repodata/u.xml.zst\"/></r:data></r:repomd>",
				 &href),
			 1);
	assert_string_equal(href, "repodata/u.xml.zst");
	free(href);

	static const char *const none[] = {
		"<repomd><data type=\"primary\"><location href=\"repodata/p.xml.gz\"/></data></repomd>",
		"<repomd/>",
		/* a location outside <data type="updateinfo"> is not the errata's */
		"<repomd><location href=\"repodata/u.xml\"/><data type=\"updateinfo\"/></repomd>",
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		href = (char *)1;
		assert_int_equal(href_of(none[i], &href), 0);
		assert_null(href);
	}

	static const char *const bad[] = {
		"<repomd><data type=\"updateinfo\"><location href=\"https://elsewhere/u.xml.gz\"/></data></repomd>",
		"<repomd><data type=\"updateinfo\"><location href=\"/etc/passwd\"/></data></repomd>",
		"<repomd><data type=\"updateinfo\"><location href=\"repodata/../../u.xml\"/></data></repomd>",
		"<repomd><data type=\"updateinfo\"><location href=\"..\"/></data></repomd>",
		"<repomd><data type=\"updateinfo\"><location href=\"a\nb\"/></data></repomd>",
		"<repomd><data type=\"updateinfo\"><location href=\"repodata/u.xml\"/></data>", /* truncated */
		"<!DOCTYPE repomd [<!ENTITY a \"aaaa\">]><repomd/>",
		"not xml",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		href = (char *)1;
		assert_int_equal(href_of(bad[i], &href), -1);
		assert_null(href);
	}
}

/* ---- updateinfo.xml -------------------------------------------------------------------- */

struct seen {
	size_t n, pkgs, cves;
	char ids[8][64];
	char first_pkg[8][64];
	char severity[8][32];
	char dates[8][64];
	int fail_at; /* > 0: the callback fails on that update */
};

static int collect(void *arg, const struct shp_rpmmd_update *u, struct shp_error **err)
{
	struct seen *s = arg;
	if (s->n < 8) {
		snprintf(s->ids[s->n], sizeof s->ids[0], "%s", u->id);
		snprintf(s->first_pkg[s->n], sizeof s->first_pkg[0], "%s %s:%s-%s %s",
			 u->npkgs ? u->pkgs[0].name : "-", u->npkgs ? u->pkgs[0].epoch : "-",
			 u->npkgs ? u->pkgs[0].version : "-", u->npkgs ? u->pkgs[0].release : "-",
			 u->npkgs ? u->pkgs[0].arch : "-");
		snprintf(s->severity[s->n], sizeof s->severity[0], "%s %s", u->severity ? u->severity : "-",
			 u->type ? u->type : "-");
		snprintf(s->dates[s->n], sizeof s->dates[0], "%s|%s", u->issued ? u->issued : "-",
			 u->updated ? u->updated : "-");
	}
	s->n++;
	s->pkgs += u->npkgs;
	s->cves += u->ncves;
	if (s->fail_at && (int)s->n == s->fail_at)
		return shp_error_set(err, SHP_EXIT_INPUT, "stopped by the callback");
	return 0;
}

static int read_text(const char *xml, struct seen *s, char **msg)
{
	struct shp_error *err = NULL;
	int rc = shp_rpmmd_read_buffer(xml, strlen(xml), "t.xml", collect, s, &err);
	*msg = err ? shp_xstrdup(err->msg) : NULL;
	shp_error_free(err);
	return rc;
}

static void test_fixtures(void **st)
{
	(void)st;
	_cleanup_free_ char *path = shp_asprintf("%s/al2023-updateinfo.xml", data_dir), *xml = NULL;
	size_t len;
	struct shp_error *err = NULL;
	assert_int_equal(shp_read_file(path, 1 << 20, &xml, &len, &err), 0);
	struct seen s = {0};
	assert_int_equal(shp_rpmmd_read_buffer(xml, len, path, collect, &s, &err), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.ids[0], "ALAS2023-2023-001");
	assert_string_equal(s.ids[3], "ALAS2023-2023-004");
	/* every package of every arch is handed over: the importer keeps one per name */
	assert_int_equal(s.pkgs, 5 + 3 + 1 + 1);
	assert_int_equal(s.cves, 2 + 2 + 1);
	assert_string_equal(s.first_pkg[0], "openssl 1:3.0.8-1.amzn2023.0.3 src");
	assert_string_equal(s.severity[0], "Important security");
	assert_string_equal(s.severity[3], "None enhancement");
	assert_string_equal(s.dates[0], "2023-02-07 19:55:00|2023-03-21 18:38:00");
	assert_string_equal(s.dates[2], "1680300000|-");

	/* the same as one line (Amazon Linux 2's files are) */
	free(path);
	free(xml);
	path = shp_asprintf("%s/al2-updateinfo.xml", data_dir);
	xml = NULL;
	assert_int_equal(shp_read_file(path, 1 << 20, &xml, &len, &err), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(shp_rpmmd_read_buffer(xml, len, path, collect, &s, &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.ids[2], "ALAS2KERNEL-5.10-2023-027");
	assert_string_equal(s.first_pkg[0], "openssl 1:1.0.2k-24.amzn2.0.6 x86_64");
	assert_string_equal(s.severity[1], "medium security");

	/* a callback's error stops the reading and is the error */
	memset(&s, 0, sizeof s);
	s.fail_at = 2;
	assert_int_equal(shp_rpmmd_read_buffer(xml, len, path, collect, &s, &err), -1);
	assert_string_equal(err->msg, "stopped by the callback");
	assert_int_equal(s.n, 2);
	shp_error_free(err);
}

static void test_not_errata(void **st)
{
	(void)st;
	static const char *const other[] = {
		"<html><body>Bad gateway</body></html>",
		"<!DOCTYPE html>\n<html></html>",
		"<?xml version=\"1.0\"?>\n<repomd/>",
		"{\"id\": \"OSV-1\"}",
		"   \n\t ",
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		struct seen s = {0};
		_cleanup_free_ char *msg = NULL;
		assert_int_equal(read_text(other[i], &s, &msg), 1);
		assert_null(msg);
		assert_int_equal(s.n, 0);
	}
	struct seen s = {0};
	_cleanup_free_ char *msg = NULL;
	assert_int_equal(read_text("\xef\xbb\xbf\n<updates/>", &s, &msg), 0); /* a byte order mark */
	assert_int_equal(s.n, 0);
}

static void test_hostile(void **st)
{
	(void)st;
	static const struct {
		const char *xml, *msg;
	} cases[] = {
		{"<updates><update type=\"security\"><id>A-1</id></update><update>", "t.xml: line 1, column "},
		{"<updates><update type=\"security\"><id>A-1</id></update></updates", "truncated?"},
		{"<updates><update><title>no id</title></update></updates>", "t.xml: line 1: an <update> without an <id>"},
		{"<?xml version=\"1.0\"?>\n<!DOCTYPE updates [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n"
		 "<updates><update><id>&b;</id></update></updates>",
		 "t.xml: line 2: a document type declaration"},
		{"<!DOCTYPE updates SYSTEM \"http://127.0.0.1:1/x.dtd\"><updates/>", "document type declaration"},
		{"<updates><update><id>&xxe;</id></update></updates>", "undefined entity"},
		{"<updates><update><id>A</id></update></updates><updates/>", "junk after document element"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct seen s = {0};
		_cleanup_free_ char *msg = NULL;
		assert_int_equal(read_text(cases[i].xml, &s, &msg), -1);
		assert_non_null(msg);
		if (!strstr(msg, cases[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, msg, cases[i].msg);
	}

	/* nesting past the limit */
	struct shp_buf b = {0};
	shp_buf_puts(&b, "<updates>");
	for (int i = 0; i < SHP_RPMMD_MAX_DEPTH; i++)
		shp_buf_puts(&b, "<a>");
	struct seen s = {0};
	_cleanup_free_ char *msg = NULL;
	assert_int_equal(read_text(b.data, &s, &msg), -1);
	assert_non_null(strstr(msg, "nested deeper than"));
	shp_buf_free(&b);

	/* an attribute longer than the token limit is refused before the end of it */
	size_t n = SHP_RPMMD_MAX_TOKEN + (1u << 20);
	char *big = shp_xmalloc(n + 64);
	int k = snprintf(big, 64, "<updates><update><id x=\"");
	memset(big + k, 'A', n);
	strcpy(big + k + n, "\">A</id></update></updates>");
	free(msg);
	msg = NULL;
	assert_int_equal(read_text(big, &s, &msg), -1);
	assert_non_null(strstr(msg, "longer than 8 MiB"));
	free(big);

	/* a text past the text limit is cut, not refused */
	n = SHP_RPMMD_MAX_TEXT * 2;
	big = shp_xmalloc(n + 128);
	k = snprintf(big, 64, "<updates><update><id>A-1</id><title>");
	memset(big + k, 'T', n);
	strcpy(big + k + n, "</title></update></updates>");
	free(msg);
	msg = NULL;
	memset(&s, 0, sizeof s);
	assert_int_equal(read_text(big, &s, &msg), 0);
	assert_int_equal(s.n, 1);
	free(big);
}

int main(int argc, char **argv)
{
	data_dir = argc > 1 ? argv[1] : "tests/data/rpmmd";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_not_errata),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
