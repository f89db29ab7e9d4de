/* test-eco-composer.c - the Composer ecosystem: installed.json in both layouts, files that do
 * not read, and Composer's version order (VersionParser::normalize, then version_compare). */
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
	assert_int_equal(shp_eco_composer.nreaders, 1);
	return &shp_eco_composer.readers[0];
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
	const struct shp_ecosystem *e = &shp_eco_composer;
	assert_string_equal(e->type, "composer");
	assert_string_equal(e->title, "Composer");
	assert_string_equal(e->purl_type, "composer");
	assert_string_equal(e->osv, "Packagist");
	assert_int_equal(e->purl_ns_sep, '/');
	char *n = e->normalize("Symfony/Console");
	assert_string_equal(n, "symfony/console");
	free(n);
	assert_string_equal(reader()->id, "composer-installed");
	assert_string_equal(reader()->counts_as, "manifests");
	assert_null(reader()->program);
}

static void test_match(void **s)
{
	(void)s;
	int (*match)(const char *) = reader()->match;
	assert_true(match("vendor/composer/installed.json"));
	assert_true(match("var/www/html/vendor/composer/installed.json"));
	assert_true(match("app/vendor/x/y/vendor/composer/installed.json"));
	assert_false(match("var/www/myvendor/composer/installed.json"));
	assert_false(match("vendor/composer/installed.php"));
	assert_false(match("vendor/composer/installed.json.bak"));
	assert_false(match("composer/installed.json"));
	assert_false(match("app/composer.lock"));
	assert_false(match("installed.json"));
}

/* Composer 2: an object; dev packages are listed (they are on disk), licences joined. */
static void test_v2(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	parse("/app/vendor/composer/installed.json",
	      "{\"packages\": ["
	      "{\"name\": \"monolog/monolog\", \"version\": \"3.5.0\", \"version_normalized\": \"3.5.0.0\","
	      " \"type\": \"library\", \"license\": [\"MIT\"]},"
	      "{\"name\": \"symfony/console\", \"version\": \"v6.4.1\", \"version_normalized\": \"6.4.1.0\","
	      " \"license\": [\"LGPL-2.1-only\", \"GPL-3.0-or-later\"]},"
	      "{\"name\": \"acme/tool\", \"version\": \"dev-main\", \"version_normalized\": \"dev-main\"},"
	      "{\"name\": \"phpunit/phpunit\", \"version\": \"10.5.2\", \"license\": \"BSD-3-Clause\"}"
	      "], \"dev\": true, \"dev-package-names\": [\"phpunit/phpunit\"]}",
	      &p);
	assert_int_equal(p.n, 4);
	shp_pkgs_sort(&p);
	assert_string_equal(p.v[0].name, "acme/tool");
	assert_string_equal(p.v[0].version, "dev-main");
	assert_null(p.v[0].license);
	assert_string_equal(p.v[1].name, "monolog/monolog");
	assert_string_equal(p.v[1].version, "3.5.0");
	assert_string_equal(p.v[1].license, "MIT");
	assert_int_equal(p.v[1].type, SHP_PKG_COMPOSER);
	assert_string_equal(p.v[1].db, "/app/vendor/composer/installed.json");
	assert_string_equal(p.v[2].name, "phpunit/phpunit");
	assert_string_equal(p.v[2].license, "BSD-3-Clause");
	assert_string_equal(p.v[3].name, "symfony/console");
	assert_string_equal(p.v[3].version, "v6.4.1"); /* as written, as composer show prints it */
	assert_string_equal(p.v[3].license, "LGPL-2.1-only OR GPL-3.0-or-later");
	shp_pkgs_free(&p);
}

/* Composer 1: a bare array. */
static void test_v1(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	parse("/vendor/composer/installed.json",
	      "[{\"name\": \"guzzlehttp/guzzle\", \"version\": \"6.5.5\", \"version_normalized\": \"6.5.5.0\","
	      " \"license\": [\"MIT\"]},"
	      " {\"name\": \"psr/log\", \"version\": \"1.1.4\"}]",
	      &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].name, "guzzlehttp/guzzle");
	assert_string_equal(p.v[0].version, "6.5.5");
	assert_string_equal(p.v[1].name, "psr/log");
	shp_pkgs_free(&p);
}

/* A version missing: version_normalized if it is there, else the package is left out. A file
 * that does not read gives nothing and no error. */
static void test_missing_and_broken(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	parse("/a/vendor/composer/installed.json",
	      "{\"packages\": [{\"name\": \"a/only-normalized\", \"version_normalized\": \"1.2.0.0\"},"
	      " {\"name\": \"a/no-version\"}, {\"version\": \"1.0.0\"}, {\"name\": \"a/empty\", \"version\": \"\"},"
	      " {\"name\": 5, \"version\": \"1\"}, {\"name\": \"a b/c\", \"version\": \"1\"}, 7, null,"
	      " {\"name\": \"a/lic\", \"version\": \"1\", \"license\": [3, \"\", \"MIT\"]}]}",
	      &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].name, "a/only-normalized");
	assert_string_equal(p.v[0].version, "1.2.0.0");
	assert_string_equal(p.v[1].license, "MIT");
	static const char *const bad[] = {"",
					  "{",
					  "[{\"name\": \"a/b\", \"version\": \"1\"}",
					  "{\"packages\": {\"name\": \"a/b\"}}",
					  "{\"packages\": 5}",
					  "\"packages\"",
					  "null",
					  "[[[[[[[[]]]]]]]]",
					  "{\"name\": \"a/b\", \"version\": \"1\"}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse("/b/vendor/composer/installed.json", bad[i], &p);
	assert_int_equal(p.n, 2);
	shp_pkgs_free(&p);
}

static char sym(int c) { return c < 0 ? '<' : c > 0 ? '>' : '='; }

/* Composer's order: each line as Composer\Semver\Comparator says it of the normalised
 * versions (composer/semver 3.3 with PHP 8.2). */
static void test_order(void **s)
{
	(void)s;
	static const struct {
		const char *a, *op, *b;
	} cases[] = {
		{"1.0.0", "=", "1.0"},		    /* normalised: both 1.0.0.0 */
		{"v1.2.3", "=", "1.2.3"},	    /* 'v' dropped */
		{"V1.0.0", "=", "v1.0.0"},	    /* in any case */
		{"1.0.0-dev", "<", "1.0.0-alpha1"}, /* dev < alpha < beta < RC < stable < patch */
		{"1.0.0-alpha1", "<", "1.0.0-beta1"},
		{"1.0.0-a2", "=", "1.0.0-alpha2"},
		{"1.0.0-beta1", "<", "1.0.0-RC1"},
		{"1.0.0-b.2.1", "=", "1.0.0beta2.1"},
		{"1.0.0-rc1", "=", "1.0.0-RC1"},
		{"1.0.0-RC1", "<", "1.0.0"},
		{"1.0.0", "=", "1.0.0-stable"},
		{"1.0.0", "<", "1.0.0-patch1"},
		{"1.0.0-pl1", "=", "1.0.0-p1"},
		{"1.0.0-p1", "<", "1.0.0.1"},
		{"1.2.3.4", ">", "1.2.3"}, /* four numeric segments */
		{"1.2.3.4", "<", "1.2.3.10"},
		{"1.2.3.4.5", ">", "1.2.3.4"},	 /* normalize() refuses it: compared as written */
		{"2.0.0+build.5", "=", "2.0.0"}, /* build metadata dropped */
		{"2.0.0@dev", "=", "2.0.0"},	 /* a stability flag dropped */
		{"2.x-dev", ">", "2.99.0"},	 /* 2.9999999.9999999.9999999-dev */
		{"2.x-dev", "<", "3.0.0-dev"},
		{"2.1.x-dev", "<", "2.2.0"},
		{"dev-main", "<", "0.0.1"}, /* a branch before any number */
		{"dev-main", "=", "dev-main"},
		{"master", "=", "dev-master"},
		{"20100102", ">", "1.0.0"}, /* dates are numbers too */
		{"2010-01-02", "<", "2010-01-03"},
		{"5.4.10", ">", "v5.4.9"},
		{"999999999999999999999999999991", "<", "999999999999999999999999999999"}, /* by value */
		{"", "<", "0"},
		{"", "=", ""},
		{"1.2.3.#", "=", "1.2.3.#"}, /* PHP says x < x here */
		{"1.2.3.#", "<", "1.2.3.1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char got = sym(shp_eco_composer.vercmp(cases[i].a, cases[i].b));
		char back = sym(shp_eco_composer.vercmp(cases[i].b, cases[i].a));
		char op = cases[i].op[0], want_back = op == '<' ? '>' : op == '>' ? '<' : '=';
		if (got != op || back != want_back)
			fail_msg("%s %s %s: got %c, and %c reversed", cases[i].a, cases[i].op, cases[i].b, got, back);
	}
	/* two different branches: never equal, one way round */
	assert_int_not_equal(shp_eco_composer.vercmp("dev-a", "dev-b"), 0);
	assert_int_equal(shp_eco_composer.vercmp("dev-a", "dev-b"), -shp_eco_composer.vercmp("dev-b", "dev-a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_missing_and_broken),
		cmocka_unit_test(test_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
