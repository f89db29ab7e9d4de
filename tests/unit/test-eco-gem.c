/* test-eco-gem.c - RubyGems: which paths are installed gemspecs, what one says (odd ones
 * included: no licence, prereleases, default gems, platforms, old RubyGems' form, broken
 * files), their purls, and Gem::Version's order. */
#include "pkg/pkg.h"
#include "pkg/sbom.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const struct shp_pkg_reader *reader(void)
{
	assert_int_equal(shp_eco_gem.nreaders, 1);
	return &shp_eco_gem.readers[0];
}

static void test_paths(void **s)
{
	(void)s;
	int (*match)(const char *) = reader()->match;
	assert_true(match("usr/lib/ruby/gems/3.1.0/specifications/rack-3.0.8.gemspec"));
	assert_true(match("usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec"));
	assert_true(match("usr/local/bundle/specifications/sinatra-3.1.0.gemspec"));
	assert_true(match("var/lib/gems/3.1.0/specifications/nokogiri-1.15.4-x86_64-linux.gemspec"));
	assert_true(match("app/vendor/bundle/ruby/3.2.0/specifications/puma-6.4.0.gemspec"));
	assert_true(match("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec"));
	assert_true(match("specifications/a-1.gemspec"));
	assert_true(match("specifications/default/a-1.gemspec"));
	/* a gem's own source gemspec is a program, not what RubyGems installed */
	assert_false(match("usr/lib/ruby/gems/3.1.0/gems/rack-3.0.8/rack.gemspec"));
	assert_false(match("app/rack.gemspec"));
	assert_false(match("a/specifications/.gemspec"));
	assert_false(match("a/myspecifications/x-1.gemspec"));
	assert_false(match("a/specifications/x-1.gemspec.bak"));
	assert_false(match("a/specifications/sub/x-1.gemspec"));
	assert_false(match("a/specifications/default/sub/x-1.gemspec"));
	assert_false(match("a/specs/default/x-1.gemspec"));
	assert_false(match("default/x-1.gemspec"));
	assert_false(match("x.gemspec"));
	assert_false(match(".gemspec"));
	assert_false(match(""));
}

/* Parses text as the gemspec at path; the packages found. */
static size_t parse(struct shp_pkgs *p, const char *path, const char *text)
{
	size_t before = p->n;
	assert_int_equal(reader()->parse(path, text, strlen(text), p, NULL), 0);
	return p->n - before;
}

static void assert_pkg(const struct shp_pkg *p, const char *name, const char *ver, const char *lic, const char *db)
{
	assert_int_equal(p->type, SHP_PKG_GEM);
	assert_string_equal(p->name, name);
	assert_string_equal(p->version, ver);
	assert_string_equal(p->source, name);
	assert_string_equal(p->source_version, ver);
	if (lic)
		assert_string_equal(p->license, lic);
	else
		assert_null(p->license);
	assert_string_equal(p->db, db);
}

static void test_parse(void **s)
{
	(void)s;
	struct shp_pkgs p = {0};
	/* what RubyGems 3.4 writes, abridged */
	const char *rack =
		"# -*- encoding: utf-8 -*-\n"
		"# stub: rack 3.0.8 ruby lib\n"
		"\n"
		"Gem::Specification.new do |s|\n"
		"  s.name = \"rack\".freeze\n"
		"  s.version = \"3.0.8\"\n"
		"\n"
		"  s.required_rubygems_version = Gem::Requirement.new(\">= 0\".freeze) if "
		"s.respond_to? :required_rubygems_version=\n"
		"  s.metadata = { \"changelog_uri\" => \"https://example.org/\" } if s.respond_to? :metadata=\n"
		"  s.require_paths = [\"lib\".freeze]\n"
		"  s.authors = [\"Leah Neukirchen\".freeze]\n"
		"  s.licenses = [\"MIT\".freeze]\n"
		"  s.required_ruby_version = Gem::Requirement.new(\">= 2.4.0\".freeze)\n"
		"  s.add_development_dependency(%q<minitest>.freeze, [\"~> 5.0\"])\n"
		"end\n";
	const char *db = "/usr/local/bundle/specifications/rack-3.0.8.gemspec";
	assert_int_equal(parse(&p, db, rack), 1);
	assert_pkg(&p.v[0], "rack", "3.0.8", "MIT", db);

	/* no licence; a prerelease; another block variable; CRLF */
	const char *pre = "Gem::Specification.new do |spec|\r\n  spec.name = \"rails\".freeze\r\n"
			  "  spec.version = \"7.1.0.beta1\"\r\n  spec.summary = \"x\".freeze\r\nend\r\n";
	assert_int_equal(parse(&p, "/s/rails.gemspec", pre), 1);
	assert_pkg(&p.v[1], "rails", "7.1.0.beta1", NULL, "/s/rails.gemspec");

	/* a default gem, with two licences; the fields are read after Gem::Specification.new only */
	const char *json = "# stub: json 2.6.1 ruby lib\n# stub: ext/json/extconf.rb\n"
			   "s.name = \"before\"\n"
			   "Gem::Specification.new do |s|\n"
			   "  s.name = \"json\".freeze\n"
			   "  s.version = \"2.6.1\"\n"
			   "  s.licenses = [\"Ruby\".freeze, \"BSD-2-Clause\".freeze]\n"
			   "end\n";
	assert_int_equal(parse(&p, "/d/json.gemspec", json), 1);
	assert_pkg(&p.v[2], "json", "2.6.1", "Ruby, BSD-2-Clause", "/d/json.gemspec");

	/* old RubyGems: %q{} literals; one licence (s.license =); single quotes */
	const char *old = "Gem::Specification.new do |s|\n  s.name = %q{rake}\n  s.version = '0.8.7'\n"
			  "  s.license = 'MIT'\nend\n";
	assert_int_equal(parse(&p, "/o/rake.gemspec", old), 1);
	assert_pkg(&p.v[3], "rake", "0.8.7", "MIT", "/o/rake.gemspec");

	/* an empty licence list; "s.name == x" and "s.names = " are not the name */
	const char *odd = "Gem::Specification.new do | s |\n  s.names = \"no\"\n  s.name == \"no\"\n"
			  "  s.name=\"odd\"\n  s.version=\"1.0-1\".freeze\n  s.licenses = []\nend\n";
	assert_int_equal(parse(&p, "/x/odd.gemspec", odd), 1);
	assert_pkg(&p.v[4], "odd", "1.0-1", NULL, "/x/odd.gemspec");

	/* a gem built for one platform: its purl says so; "ruby" is the implied one */
	const char *nok = "Gem::Specification.new do |s|\n  s.name = \"nokogiri\".freeze\n  s.version = \"1.15.4\"\n"
			  "  s.platform = \"x86_64-linux\".freeze\n  s.licenses = [\"MIT\".freeze]\nend\n";
	assert_int_equal(parse(&p, "/p/nokogiri.gemspec", nok), 1);
	assert_pkg(&p.v[5], "nokogiri", "1.15.4", "MIT", "/p/nokogiri.gemspec");
	assert_string_equal(p.v[5].arch, "x86_64-linux");
	const char *plain = "Gem::Specification.new do |s|\n  s.name = \"rack\"\n  s.version = \"3.0.8\"\n"
			    "  s.platform = \"ruby\"\nend\n";
	assert_int_equal(parse(&p, "/p/rack.gemspec", plain), 1);
	assert_null(p.v[6].arch);
	assert_null(p.v[0].arch);
	static const char *const purls[] = {"pkg:gem/rack@3.0.8", "pkg:gem/rails@7.1.0.beta1",
					    "pkg:gem/json@2.6.1", "pkg:gem/rake@0.8.7",
					    "pkg:gem/odd@1.0-1",  "pkg:gem/nokogiri@1.15.4?platform=x86_64-linux",
					    "pkg:gem/rack@3.0.8"};
	for (size_t i = 0; i < sizeof purls / sizeof purls[0]; i++) {
		char *purl = shp_pkg_purl(&p.v[i], NULL);
		assert_string_equal(purl, purls[i]);
		/* and back, as an SBOM's component */
		struct shp_pkg q = {0};
		assert_int_equal(shp_purl_parse(purl, &p.arena, &q, NULL, NULL), 0);
		assert_int_equal(q.type, SHP_PKG_GEM);
		assert_string_equal(q.name, p.v[i].name);
		assert_string_equal(q.version, p.v[i].version);
		free(purl);
	}

	/* what does not read is skipped, never an error */
	const char *bad[] = {
		"",
		"\n\n\n",
		"s.name = \"x\"\ns.version = \"1\"\n",				      /* no Gem::Specification.new */
		"Gem::Specification.new do |s|\n  s.name = \"x\".freeze\n",	      /* cut before the version */
		"Gem::Specification.new do |s|\n  s.version = \"1\"\n",		      /* no name */
		"Gem::Specification.new do\n  s.name = \"x\"\n  s.version = \"1\"\n", /* no block variable */
		"Gem::Specification.new do |s|\n  s.name = \"\".freeze\n  s.version = \"1\"\n",
		"Gem::Specification.new do |s|\n  s.name = \n  s.version = \"1\"\n",
		"Gem::Specification.new do ||\n  .name = \"x\"\n  .version = \"1\"\n",
		"\177ELF\2\1\1\3>", /* a program, not Ruby */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(parse(&p, "/b/bad.gemspec", bad[i]), 0);
	/* NUL bytes and a file without a newline at its end */
	const char nul[] = "Gem::Specification.new do |s|\n\0s.name = \"z\"\n  s.name = \"y\"\n  s.version = \"2\"";
	assert_int_equal(reader()->parse("/n/y.gemspec", nul, sizeof nul - 1, &p, NULL), 0);
	assert_int_equal(p.n, 8);
	assert_pkg(&p.v[7], "y", "2", NULL, "/n/y.gemspec");

	shp_pkgs_free(&p);
}

static int sgn(int x) { return (x > 0) - (x < 0); }

static void test_order(void **s)
{
	(void)s;
	int (*cmp)(const char *, const char *) = shp_eco_gem.vercmp;
	static const char *const lt[][2] = {
		{"1.0.a", "1.0"}, /* letters make a prerelease */
		{"1.0", "1.0.1"},
		{"1.0.0.pre", "1.0.0"},
		{"1.0.0.beta2", "1.0.0.rc1"},
		{"1.0.0.RC1", "1.0.0.rc1"}, /* strings bytewise */
		{"1.0.a9", "1.0.a10"},
		{"1.0.a.9", "1.0.b.9"},
		{"1.0.b1", "1.0"},
		{"1beta", "1"},
		{"3.2", "3.10"},
		{"1.9", "2.a"},
		{"1.0-1", "1.0"}, /* "-" is ".pre." */
		{"1.0-1", "1.0.pre.2"},
		{"1.a.b", "1.a.0.b"}, /* zeros count inside the string part */
		{"1.a", "1.a.1"},
		{"0.9", "1.0.a.2"},
		{"999999999999999999999999999991", "999999999999999999999999999999"},
		{"18446744073709551615", "18446744073709551616"},
		{"9", "10000000000000000000000000"},
	};
	static const char *const eq[][2] = {
		{"1.0", "1.0.0"},
		{"1", "1.0.0.0"},
		{"1.0.a.0", "1.a"},
		{"1.0.a2", "1.0.a.2"},
		{"01", "1"},
		{"1.01", "1.1"},
		{"", "0"},
		{"", "0.0"},
		{" 1.0 ", "1"},
		{"1..2", "1.2"},
		{"1.0-pre", "1.0.pre.pre"},
		{"0.a", "a"},
	};
	for (size_t i = 0; i < sizeof lt / sizeof lt[0]; i++) {
		if (sgn(cmp(lt[i][0], lt[i][1])) != -1 || sgn(cmp(lt[i][1], lt[i][0])) != 1)
			fail_msg("not %s < %s", lt[i][0], lt[i][1]);
	}
	for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++) {
		if (cmp(eq[i][0], eq[i][1]) || cmp(eq[i][1], eq[i][0]))
			fail_msg("not %s = %s", eq[i][0], eq[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
