/* test-eco-conda.c - conda: VersionOrder against the order conda's own documentation gives
 * (conda/models/version.py), its conda-meta records, and their purls. */
#include "pkg/pkg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static int sgn(int c) { return (c > 0) - (c < 0); }
static int cmp(const char *a, const char *b) { return sgn(shp_vercmp(SHP_PKG_CONDA, a, b)); }

static void test_version_order(void **s)
{
	(void)s;
	/* VersionOrder's docstring, in its order: "<" between neighbours unless "=" is marked */
	static const char *const order[] = {
		"0.4",	      "=0.4.0",	    "0.4.1.rc",	 "=0.4.1.RC",  "0.4.1",	   "0.5a1",	"0.5b3",
		"0.5C1",      "0.5",	    "0.9.6",	 "0.960923",   "1.0",	   "1.1dev1",	"1.1_",
		"1.1a1",      "1.1.0dev1",  "=1.1.dev1", "1.1.a1",     "1.1.0rc1", "1.1.0",	"=1.1",
		"1.1.0post1", "=1.1.post1", "1.1post1",	 "1996.07.12", "1!0.4.1",  "1!3.1.1.6", "2!0.4.1",
	};
	size_t n = sizeof order / sizeof order[0];
	for (size_t i = 1; i < n; i++) {
		const char *a = order[i - 1][0] == '=' ? order[i - 1] + 1 : order[i - 1];
		const char *b = order[i][0] == '=' ? order[i] + 1 : order[i];
		int want = order[i][0] == '=' ? 0 : -1;
		if (cmp(a, b) != want || cmp(b, a) != -want)
			fail_msg("%s vs %s: got %d, want %d", a, b, cmp(a, b), want);
	}
	/* and every pair, not only neighbours: the order is transitive */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const char *a = order[i][0] == '=' ? order[i] + 1 : order[i];
			const char *b = order[j][0] == '=' ? order[j] + 1 : order[j];
			int c = cmp(a, b);
			if (c > 0)
				fail_msg("%s > %s", a, b);
		}
	/* openssl's letters: "1.0.1_" before "1.0.1a" (the docs' work-around) */
	assert_int_equal(cmp("1.0.1_", "1.0.1a"), -1);
	assert_int_equal(cmp("1.0.1", "1.0.1a"), 1); /* conda's own caveat: a string before a number */
	/* local versions compare after the rest; '-' is '_' when there is no '_' */
	assert_int_equal(cmp("1.0+2", "1.0+10"), -1);
	assert_int_equal(cmp("1.0+1", "1.0"), 1);
	assert_int_equal(cmp("1.0+abc", "1.1"), -1);
	assert_int_equal(cmp("1.0-1", "1.0.1"), 0);
	assert_int_equal(cmp("1.0_1", "1.0.1"), 0);
	/* numbers by value, however long */
	assert_int_equal(cmp("1.010", "1.9"), 1);
	assert_int_equal(cmp("20240101000000000000001", "20240101000000000000000"), 1);
	assert_int_equal(cmp("1.2", "01.02"), 0);
	/* anything is ordered, never read past */
	assert_int_equal(cmp("", ""), 0);
	assert_int_equal(cmp("!", "+"), cmp("!", "+"));
	assert_int_equal(cmp("1!", "0!"), 1);
	assert_int_equal(cmp("a!b+c+d", "a!b+c+d"), 0);
	assert_int_equal(cmp(" 1.0 ", "1.0"), 0);
	assert_int_equal(cmp("1.*", "1.0"), -1);
}

static void test_conda_meta(void **s)
{
	(void)s;
	const char *kinds[] = {"opt/conda/conda-meta/numpy-1.26.4-py311h64a7726_0.json",
			       "opt/conda/envs/web/conda-meta/flask-3.0.0-pyhd8ed1ab_0.json", "conda-meta/x-1-0.json"};
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(shp_pkgdb_kind_id(shp_pkgdb_kind(kinds[i])), "conda-meta");
	assert_int_equal(shp_pkgdb_kind("opt/conda/conda-meta/history"), SHP_DB_NONE);
	assert_int_equal(shp_pkgdb_kind("opt/conda/my-conda-meta/x-1-0.json"), SHP_DB_NONE);
	assert_int_equal(shp_pkgdb_kind("opt/conda/conda-meta/sub/x-1-0.json"), SHP_DB_NONE);
	assert_string_equal(shp_pkgdb_counts_as(shp_pkgdb_kind(kinds[0])), "manifests");

	struct shp_pkgs p = {0};
	struct shp_error *err = NULL;
	const char *rec = "{\"name\": \"numpy\", \"version\": \"1.26.4\", \"build\": \"py311h64a7726_0\","
			  " \"build_number\": 0, \"channel\": \"https://conda.anaconda.org/conda-forge/linux-64\","
			  " \"subdir\": \"linux-64\", \"license\": \"BSD-3-Clause\", \"depends\": [\"python >=3.11\"]}";
	assert_int_equal(shp_pkgdb_parse(shp_pkgdb_kind(kinds[0]),
					 "/opt/conda/conda-meta/numpy-1.26.4-py311h64a7726_0.json", rec, strlen(rec),
					 &p, &err),
			 0);
	/* a broken record, and one without a version, are skipped */
	assert_int_equal(shp_pkgdb_parse(shp_pkgdb_kind(kinds[0]), "/b.json", "{\"name\":", 8, &p, &err), 0);
	assert_int_equal(shp_pkgdb_parse(shp_pkgdb_kind(kinds[0]), "/c.json", "{\"name\": \"c\"}", 13, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].type, SHP_PKG_CONDA);
	assert_string_equal(p.v[0].name, "numpy");
	assert_string_equal(p.v[0].version, "1.26.4");
	assert_string_equal(p.v[0].license, "BSD-3-Clause");
	assert_string_equal(p.v[0].arch, "linux-64");
	char *purl = shp_pkg_purl(&p.v[0], NULL);
	assert_string_equal(purl, "pkg:conda/numpy@1.26.4?build=py311h64a7726_0&subdir=linux-64");
	free(purl);
	/* a record whose file is not named NAME-VERSION-BUILD.json gives no build */
	struct shp_pkg q = p.v[0];
	q.db = "/opt/conda/conda-meta/renamed.json";
	q.arch = NULL;
	purl = shp_pkg_purl(&q, NULL);
	assert_string_equal(purl, "pkg:conda/numpy@1.26.4");
	free(purl);
	assert_string_equal(shp_pkg_type_name(SHP_PKG_CONDA), "conda");
	assert_null(shp_eco(SHP_PKG_CONDA)->osv);
	shp_pkgs_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_order),
		cmocka_unit_test(test_conda_meta),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
