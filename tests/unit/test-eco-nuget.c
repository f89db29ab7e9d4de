/* test-eco-nuget.c - the NuGet ecosystem: NAME.deps.json (package libraries only, those the
 * runtime target loads), files that do not read, and NuGet.Versioning's version order. */
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const struct shp_pkg_reader *reader(void)
{
	assert_int_equal(shp_eco_nuget.nreaders, 1);
	return &shp_eco_nuget.readers[0];
}

static void parse(const char *path, const char *json, struct shp_pkgs *out)
{
	struct shp_error *err = NULL;
	assert_int_equal(reader()->parse(path, json, strlen(json), out, &err), 0);
	assert_null(err);
}

static void test_descriptor(void **s)
{
	(void)s;
	const struct shp_ecosystem *e = &shp_eco_nuget;
	assert_string_equal(e->type, "nuget");
	assert_string_equal(e->title, "NuGet packages");
	assert_string_equal(e->purl_type, "nuget");
	assert_string_equal(e->osv, "NuGet");
	assert_int_equal(e->purl_ns_sep, 0);
	assert_int_equal(e->purl_lower, 0);
	char *n = e->normalize("Newtonsoft.Json");
	assert_string_equal(n, "newtonsoft.json");
	free(n);
	assert_int_equal(shp_eco_by_type("nuget"), SHP_PKG_NUGET);
	assert_int_equal(shp_eco_by_purl_type("nuget"), SHP_PKG_NUGET);
	assert_int_equal(shp_eco_by_osv("NuGet"), SHP_PKG_NUGET);
	assert_string_equal(reader()->id, "dotnet-deps");
	assert_string_equal(reader()->ends_in, "n"); /* ".deps.json" */
	assert_string_equal(reader()->counts_as, "manifests");
	assert_null(reader()->program);
}

static void test_match(void **s)
{
	(void)s;
	int (*match)(const char *) = reader()->match;
	assert_true(match("app/MyApp.deps.json"));
	assert_true(match("usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json"));
	assert_true(match("MyApp.deps.json"));
	assert_false(match("app/MyApp.runtimeconfig.json"));
	assert_false(match("app/MyApp.deps.json.bak"));
	assert_false(match("app/deps.json"));
	assert_false(match("app/packages.lock.json"));
}

/* As dotnet publish writes it: the project, a package with runtime assets, one with native
 * ones only, one listed by the target with only dependencies (a meta-package: left out), a
 * package no target lists (kept), a reference assembly (not a package). */
static const char deps[] =
	"{\"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v6.0/linux-x64\", \"signature\": \"\"},"
	" \"compilationOptions\": {},"
	" \"targets\": {"
	"  \".NETCoreApp,Version=v6.0\": {\"Serilog/2.10.0\": {\"runtime\": {\"lib/net5.0/Serilog.dll\": {}}}},"
	"  \".NETCoreApp,Version=v6.0/linux-x64\": {"
	"   \"MyApp/1.0.0\": {\"dependencies\": {\"Newtonsoft.Json\": \"13.0.1\"}, \"runtime\": {\"MyApp.dll\": {}}},"
	"   \"Newtonsoft.Json/13.0.1\": {\"runtime\": {\"lib/netstandard2.0/Newtonsoft.Json.dll\":"
	"     {\"assemblyVersion\": \"13.0.0.0\", \"fileVersion\": \"13.0.1.25517\"}}},"
	"   \"SQLitePCLRaw.lib.e_sqlite3/2.1.2\": {\"native\": {\"runtimes/linux-x64/native/libe_sqlite3.so\": {}}},"
	"   \"NETStandard.Library/2.0.3\": {\"dependencies\": {\"Microsoft.NETCore.Platforms\": \"1.1.0\"}},"
	"   \"Serilog/2.10.0\": {\"compile\": {\"lib/net5.0/Serilog.dll\": {}}},"
	"   \"System.Text.Json/6.0.0-rc.2.21480.5\": {\"runtimeTargets\": {"
	"     \"runtimes/browser/lib/net6.0/System.Text.Json.dll\": {\"rid\": \"browser\", \"assetType\": "
	"\"runtime\"}}}"
	"  }},"
	" \"libraries\": {"
	"  \"MyApp/1.0.0\": {\"type\": \"project\", \"serviceable\": false, \"sha512\": \"\"},"
	"  \"Newtonsoft.Json/13.0.1\": {\"type\": \"package\", \"serviceable\": true,"
	"   \"sha512\": "
	"\"sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==\","
	"   \"path\": \"newtonsoft.json/13.0.1\", \"hashPath\": \"newtonsoft.json.13.0.1.nupkg.sha512\"},"
	"  \"SQLitePCLRaw.lib.e_sqlite3/2.1.2\": {\"type\": \"package\"},"
	"  \"NETStandard.Library/2.0.3\": {\"type\": \"package\"},"
	"  \"Serilog/2.10.0\": {\"type\": \"package\"},"
	"  \"System.Text.Json/6.0.0-rc.2.21480.5\": {\"type\": \"Package\"},"
	"  \"Microsoft.NETCore.Platforms/1.1.0\": {\"type\": \"package\"},"
	"  \"Legacy.Lib/1.0.0\": {\"type\": \"reference\"}"
	" }}";

static void test_deps(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	parse("/app/MyApp.deps.json", deps, &p);
	shp_pkgs_sort(&p);
	static const char *const want[][2] = {{"Microsoft.NETCore.Platforms", "1.1.0"},
					      {"Newtonsoft.Json", "13.0.1"},
					      {"SQLitePCLRaw.lib.e_sqlite3", "2.1.2"},
					      {"System.Text.Json", "6.0.0-rc.2.21480.5"}};
	assert_int_equal(p.n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(p.v[i].name, want[i][0]);
		assert_string_equal(p.v[i].version, want[i][1]);
		assert_int_equal(p.v[i].type, SHP_PKG_NUGET);
		assert_string_equal(p.v[i].db, "/app/MyApp.deps.json");
		assert_null(p.v[i].license);
	}
	shp_pkgs_free(&p);
}

/* Only the runtime target is searched: Serilog's runtime assets in another one do not keep
 * it. No runtimeTarget, one naming no target, no targets: every package, as Trivy lists them. */
static void test_targets(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	static const char targets[] =
		"\"targets\": {"
		" \"t1\": {\"Serilog/2.10.0\": {\"runtime\": {\"lib/net5.0/Serilog.dll\": {}}}},"
		" \"t2\": {\"Serilog/2.10.0\": {\"runtime\": {}},"
		"  \"Meta/1.0.0\": {\"dependencies\": {\"Serilog\": \"2.10.0\"}}}},"
		" \"libraries\": {\"Serilog/2.10.0\": {\"type\": \"package\"},"
		"  \"Meta/1.0.0\": {\"type\": \"package\"}, \"Other/1.0.0\": {\"type\": \"package\"}}}";
	char buf[1024];
	snprintf(buf, sizeof buf, "{\"runtimeTarget\": {\"name\": \"t2\"}, %s", targets);
	parse("/a.deps.json", buf, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "Other");
	snprintf(buf, sizeof buf, "{\"runtimeTarget\": {\"name\": \"t1\"}, %s", targets);
	parse("/b.deps.json", buf, &p);
	assert_int_equal(p.n, 4); /* Serilog (assets), Meta and Other (not listed) */
	snprintf(buf, sizeof buf, "{\"runtimeTarget\": {\"name\": \"nope\"}, %s", targets);
	parse("/c.deps.json", buf, &p);
	assert_int_equal(p.n, 7);
	snprintf(buf, sizeof buf, "{%s", targets);
	parse("/d.deps.json", buf, &p);
	assert_int_equal(p.n, 10);
	shp_pkgs_free(&p);
}

/* Keys that are not Id/Version, types missing, files that do not read: nothing, no error. */
static void test_missing_and_broken(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	parse("/a.deps.json",
	      "{\"libraries\": {\"NoVersion\": {\"type\": \"package\"}, \"/1.0\": {\"type\": \"package\"},"
	      " \"A/\": {\"type\": \"package\"}, \"A/B/1.0\": {\"type\": \"package\"}, \"NoType/1.0\": {},"
	      " \"Num/1.0\": {\"type\": 5}, \"Arr/1.0\": [], \"Ok/1.0\": {\"type\": \"package\"}}}",
	      &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "Ok");
	static const char *const bad[] = {"",
					  "{",
					  "{\"libraries\": {\"A/1.0\": {\"type\": \"package\"}}",
					  "{\"libraries\": [{\"A/1.0\": {\"type\": \"package\"}}]}",
					  "{\"libraries\": 5}",
					  "\"libraries\"",
					  "null",
					  "[[[[[[[[]]]]]]]]",
					  "{\"A/1.0\": {\"type\": \"package\"}}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse("/b.deps.json", bad[i], &p);
	assert_int_equal(p.n, 1);
	shp_pkgs_free(&p);
}

static char sym(int c) { return c < 0 ? '<' : c > 0 ? '>' : '='; }

/* NuGet.Versioning's VersionComparer.Default (NuGet's own tests' cases and the docs' rules). */
static void test_order(void **s)
{
	(void)s;
	static const struct {
		const char *a, *op, *b;
	} cases[] = {
		{"1.0", "=", "1.0.0"}, /* missing parts 0 */
		{"1.0", "=", "1.0.0.0"},
		{"1", "=", "1.0.0.0"},
		{"1.0.01", "=", "1.0.1"},  /* by value */
		{"1.0.0", "<", "1.0.0.1"}, /* four parts */
		{"1.0.0.1", "<", "1.0.0.10"},
		{"1.0.0.1-alpha", ">", "1.0.0"},
		{"1.0.0-alpha", "<", "1.0.0"},		    /* a prerelease before its release */
		{"1.0.0-alpha", "<", "1.0.0-alpha.1"},	    /* a prefix first */
		{"1.0.0-alpha.1", "<", "1.0.0-alpha.beta"}, /* numeric before alphanumeric */
		{"1.0.0-alpha.beta", "<", "1.0.0-beta"},
		{"1.0.0-beta.2", "<", "1.0.0-beta.11"}, /* numeric parts by value */
		{"1.0.0-beta.11", "<", "1.0.0-rc.1"},
		{"1.0.0-beta2", ">", "1.0.0-beta11"}, /* alphanumeric: characters */
		{"1.0.0-BETA", "=", "1.0.0-beta"},    /* any case */
		{"1.0.0-Beta.X", "=", "1.0.0-beta.x"},
		{"1.0.0-a_", ">", "1.0.0-aa"},	 /* upper-cased, as OrdinalIgnoreCase */
		{"1.0.0+build.5", "=", "1.0.0"}, /* metadata ignored */
		{"1.0.0-beta+AA", "<", "1.0.0+aa"},
		{"1.0.0-rc.1+x", "=", "1.0.0-RC.1+y"},
		{"v1.2.3", "=", "1.2.3"}, /* tolerated */
		{"V1.2.3", "=", "1.2.3"},
		{"1.2.3.4.5", ">", "1.2.3.4"}, /* rejected by NuGet: compared all the same */
		{"2.0.0", ">", "1.999.9999"},
		{"999999999999999999999999999991", "<", "999999999999999999999999999999"},
		{"1.0beta", "=", "1.0-beta"},
		{"1.0-", "<", "1.0"},
		{"1.0-a.", ">", "1.0-a"},
		{"1.0-a.", ">", "1.0-a.0"}, /* an empty part is not numeric */
		{"", "=", "0"},
		{"", "=", ""},
		{"foo", "<", "0"},
		{"foo", "=", "FOO"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char got = sym(shp_eco_nuget.vercmp(cases[i].a, cases[i].b));
		char back = sym(shp_eco_nuget.vercmp(cases[i].b, cases[i].a));
		char op = cases[i].op[0], want_back = op == '<' ? '>' : op == '>' ? '<' : '=';
		if (got != op || back != want_back)
			fail_msg("%s %s %s: got %c, and %c reversed", cases[i].a, cases[i].op, cases[i].b, got, back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_deps),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_missing_and_broken),
		cmocka_unit_test(test_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
