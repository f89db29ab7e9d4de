/* test-update.c - db update's pure pieces (vuln/update.h): URL -> mirror path and mirror
 * URL, the default sources and their lookups, the configuration's drops, new URLs and new
 * sources; and the HTTP dates the validators carry (registry/http.h). */
#include "config/config.h"
#include "pkg/ecosystem.h"
#include "registry/http.h"
#include "unit.h"
#include "vuln/update.h"

#include <stdlib.h>
#include <string.h>

static void test_mirror_path(void **state)
{
	(void)state;
	static const struct {
		const char *url, *path;
	} ok[] = {
		{"https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip",
		 "osv-vulnerabilities.storage.googleapis.com/Red Hat/all.zip"},
		{"https://secdb.alpinelinux.org/v3.21/main.json", "secdb.alpinelinux.org/v3.21/main.json"},
		{"https://Security-Tracker.Debian.org/tracker/data/json",
		 "security-tracker.debian.org/tracker/data/json"},
		{"http://127.0.0.1:8080/a/b", "127.0.0.1:8080/a/b"},
		{"https://user:pw@host.example/a", "host.example/a"},
		{"https://host.example/crates.io/all.zip", "host.example/crates.io/all.zip"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct shp_error *err = NULL;
		char *p = shp_mirror_path(ok[i].url, &err);
		assert_non_null(p);
		assert_string_equal(p, ok[i].path);
		free(p);
	}
	/* nothing that would leave the directory, or name no file */
	const char *bad[] = {"ftp://host/a",	   "https:///a",	  "https://host",
			     "https://host/",	   "https://host/a/../b", "https://host/a/%2e%2e/b",
			     "https://host/a%2Fb", "https://host/a%00b",  "https://host/a?x=1",
			     "https://host//a",	   "https://ho st/a",	  "https://host/./a",
			     "https://host/a%0ab", "file:///etc/passwd",  "https://host/a/"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct shp_error *err = NULL;
		char *p = shp_mirror_path(bad[i], &err);
		if (p)
			fail_msg("%s gave %s", bad[i], p);
		assert_non_null(err);
		shp_error_free(err);
	}
}

static void test_mirror_url(void **state)
{
	(void)state;
	struct shp_error *err = NULL;
	char *u = shp_mirror_url("http://127.0.0.1:5000/feeds/",
				 "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip", &err);
	assert_string_equal(u,
			    "http://127.0.0.1:5000/feeds/osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip");
	free(u);
	u = shp_mirror_url("https://m.example", "https://Secdb.AlpineLinux.org/v3.21/main.json", &err);
	assert_string_equal(u, "https://m.example/secdb.alpinelinux.org/v3.21/main.json");
	free(u);
	assert_null(shp_mirror_url("https://m.example", "https://host/../x", &err));
	shp_error_free(err);
}

/* Every OSV source is a dump of an ecosystem the importer reads, and every language
 * ecosystem with an OSV name has its source. */
static void test_defaults(void **state)
{
	(void)state;
	struct shp_sources s = {0};
	shp_sources_default(&s);
	const struct shp_source *x = shp_sources_find(&s, "osv-red-hat");
	assert_non_null(x);
	assert_int_equal(x->kind, SHP_SRC_OSV);
	assert_string_equal(x->url, "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip");
	assert_non_null(shp_sources_find(&s, "osv-crates-io"));
	assert_non_null(shp_sources_find(&s, "osv-photon-os"));
	x = shp_sources_find(&s, "debian-tracker");
	assert_string_equal(x->url, "https://security-tracker.debian.org/tracker/data/json");
	x = shp_sources_find(&s, "amazon-linux-2023");
	assert_int_equal(x->kind, SHP_SRC_RPM_MD);
	assert_true(x->list);
	assert_string_equal(x->distro, "amzn:2023");
	assert_null(shp_sources_find(&s, "osv-nothing"));
	for (size_t i = 0; i < s.n; i++) {
		struct shp_error *err = NULL;
		char *p = shp_mirror_path(s.v[i].url, &err);
		assert_non_null(p);
		if (s.v[i].kind == SHP_SRC_OSV) {
			/* "HOST/ECOSYSTEM/all.zip": the ecosystem, with a release where it is a distro's */
			char *eco = strchr(p, '/') + 1;
			*strchr(eco, '/') = 0;
			enum shp_pkg_type t;
			char *distro = NULL;
			char *with_release = NULL;
			int lang = shp_eco_by_osv(eco) >= 0;
			if (!lang) {
				with_release = malloc(strlen(eco) + 4);
				strcpy(with_release, eco);
				strcat(with_release, ":1");
			}
			if (shp_osv_ecosystem(lang ? eco : with_release, &t, &distro) < 0)
				fail_msg("%s: the importer does not read ecosystem %s", s.v[i].name, eco);
			free(distro);
			free(with_release);
		}
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s.v[i].name, s.v[j].name);
		free(p);
	}
	for (int t = 0; t < SHP_PKG_NTYPES; t++) {
		if (!SHP_PKG_IS_LANG(t) || !shp_eco(t)->osv)
			continue;
		int found = 0;
		for (size_t i = 0; i < s.n && !found; i++)
			found = s.v[i].kind == SHP_SRC_OSV && strstr(s.v[i].url, shp_eco(t)->osv);
		if (!found)
			fail_msg("no source for %s", shp_eco(t)->osv);
	}
	shp_sources_free(&s);
	assert_int_equal(shp_source_kind_parse("rpm-md"), SHP_SRC_RPM_MD);
	assert_int_equal(shp_source_kind_parse("zip"), -1);
	assert_string_equal(shp_source_kind_name(SHP_SRC_ALPINE_SECDB), "alpine-secdb");
}

static int configure(const char *yaml, struct shp_sources *s, struct shp_error **err)
{
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	int rc = shp_config_parse(&cfg, "c.yaml", yaml, strlen(yaml), err);
	shp_sources_default(s);
	if (rc == 0)
		rc = shp_sources_configure(s, &cfg, err);
	shp_config_free(&cfg);
	return rc;
}

static void test_configure(void **state)
{
	(void)state;
	struct shp_sources s = {0};
	struct shp_error *err = NULL;
	assert_int_equal(
		configure("db:\n"
			  "  max-age: 7d\n"
			  "  sources:\n"
			  "    osv-npm: false\n"
			  "    osv-npm: false\n"
			  "    debian-tracker: {url: 'https://mirror.example/json'}\n"
			  "    amazon-linux-2: {url: 'https://repo.example/al2/'}\n"
			  "    alma-9: {kind: rpm-md, mirror-list: 'https://x.example/list', distro: 'almalinux:9'}\n",
			  &s, &err),
		0);
	assert_null(shp_sources_find(&s, "osv-npm"));
	assert_string_equal(shp_sources_find(&s, "debian-tracker")->url, "https://mirror.example/json");
	assert_string_equal(shp_sources_find(&s, "debian-tracker")->from, "c.yaml:6");
	const struct shp_source *al2 = shp_sources_find(&s, "amazon-linux-2");
	assert_false(al2->list); /* a repository now, not a mirror list */
	assert_string_equal(al2->distro, "amzn:2");
	const struct shp_source *alma = &s.v[s.n - 1];
	assert_string_equal(alma->name, "alma-9");
	assert_true(alma->list);
	assert_int_equal(alma->kind, SHP_SRC_RPM_MD);
	shp_sources_free(&s);

	static const struct {
		const char *yaml, *msg;
	} bad[] = {
		{"db:\n  sources:\n    x: {kind: osv}\n", "c.yaml:3: db: sources: x: a new source needs a url"},
		{"db:\n  sources:\n    x: {url: 'https://a/b'}\n",
		 "c.yaml:3: db: sources: x: a new source needs a kind"},
		{"db:\n  sources:\n    x: {kind: zip, url: 'https://a/b'}\n", "kind \"zip\""},
		{"db:\n  sources:\n    x: {kind: osv, url: 'ftp://a/b'}\n", "is not an http(s) URL"},
		{"db:\n  sources:\n    x: {kind: rpm-md, url: 'https://a/b/'}\n", "needs the distro"},
		{"db:\n  sources:\n    x: {kind: osv, mirror-list: 'https://a/b'}\n", "mirror-list is for rpm-md"},
		{"db:\n  sources:\n    x: maybe\n", "c.yaml:3: db: sources: x: expected false"},
		{"db:\n  sources:\n    x: {kind: osv, urls: 'https://a/b'}\n",
		 "c.yaml:3: db: sources: x: expected false"},
		{"db:\n  sources: [a]\n", "c.yaml:2: db: sources: expected a mapping"},
		{"db: 3\n", "c.yaml:1: db: expected a mapping"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		assert_int_equal(configure(bad[i].yaml, &s, &err), -1);
		if (!strstr(err->msg, bad[i].msg))
			fail_msg("%s: said %s", bad[i].yaml, err->msg);
		shp_error_free(err);
		shp_sources_free(&s);
	}
}

static void test_http_date(void **state)
{
	(void)state;
	assert_int_equal(shp_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	assert_int_equal(shp_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT"), -1);
	assert_int_equal(shp_http_date_parse(""), -1);
	assert_int_equal(shp_http_date_parse(NULL), -1);
	assert_int_equal(shp_http_backoff(0, NULL), 1);
	assert_int_equal(shp_http_backoff(3, NULL), 8);
	assert_int_equal(shp_http_backoff(3, "2"), 2);
	assert_int_equal(shp_http_backoff(20, NULL), SHP_HTTP_MAX_WAIT_SECONDS);
	assert_int_equal(shp_http_backoff(0, "9999"), SHP_HTTP_MAX_WAIT_SECONDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mirror_path), cmocka_unit_test(test_mirror_url), cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_configure),   cmocka_unit_test(test_http_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
