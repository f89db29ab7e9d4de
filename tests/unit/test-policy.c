/* test-policy.c - the findings policy stage: each source of an ignore or a severity (overrides,
 * names, scoped paths and purls, exemptions, pragmas, --severity, skip patterns) and their
 * order; what shp_policy_apply() frees, keeps and clears. */
#include "audit/workload.h"
#include "pkg/pkg.h"
#include "policy/policy.h"
#include "rules/lint.h"
#include "rules/rule.h"
#include "unit.h"
#include "util/glob.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct shp_config cfg_new(void) { return (struct shp_config){.fail_on = SHP_SEV_NONE}; }

static struct shp_finding at(const char *rule, const char *file, const char *path)
{
	const struct shp_rule *r = shp_rule_find(rule);
	assert_non_null(r);
	return (struct shp_finding){.rule = r, .severity = r->severity, .file = file, .path = (char *)path};
}

static int keeps(const struct shp_config *c, struct shp_finding x) { return shp_policy_keep(c, &x, SHP_POLICY_ALL); }

static void add_str(char ***v, size_t *n, size_t *cap, const char *s) { SHP_PUSH(*v, *n, *cap, shp_xstrdup(s)); }

static void test_override_then_severity(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	struct shp_override o = {shp_xstrdup("DL3008"), SHP_SEV_HIGH};
	SHP_PUSH(c.overrides, c.noverrides, c.coverrides, o);
	c.shown = 1u << SHP_SEV_HIGH; /* --severity HIGH */
	/* apt-unpinned is low: re-rated high first, so --severity HIGH keeps it, as high */
	struct shp_finding x = at("apt-unpinned", "Dockerfile", NULL);
	assert_int_equal(x.severity, SHP_SEV_LOW);
	assert_true(shp_policy_keep(&c, &x, SHP_POLICY_ALL));
	assert_int_equal(x.severity, SHP_SEV_HIGH);
	/* a rule nobody re-rated stays low, and --severity HIGH drops it */
	assert_false(keeps(&c, at("apt-lists-left", "Dockerfile", NULL)));
	/* the override alone, without the filter */
	x = at("apt-unpinned", "Dockerfile", NULL);
	assert_true(shp_policy_keep(&c, &x, SHP_POLICY_OVERRIDE));
	assert_int_equal(x.severity, SHP_SEV_HIGH);
	/* the last override naming a rule wins, as in the files */
	struct shp_override o2 = {shp_xstrdup("apt-unpinned"), SHP_SEV_INFO};
	SHP_PUSH(c.overrides, c.noverrides, c.coverrides, o2);
	x = at("SHP1030", "Dockerfile", NULL);
	assert_false(shp_policy_keep(&c, &x, SHP_POLICY_ALL));
	assert_int_equal(x.severity, SHP_SEV_INFO);
	shp_config_free(&c);
}

static void test_ignore_by_name(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	assert_true(keeps(&c, at("SHP1030", "Dockerfile", NULL)));
	add_str(&c.ignored, &c.nignored, &c.cignored, "DL3008");      /* an alias (--ignore, ignore:) */
	add_str(&c.ignored, &c.nignored, &c.cignored, "AVD-DS-0002"); /* Trivy's long form (.trivyignore) */
	add_str(&c.ignored, &c.nignored, &c.cignored, "CVE-2024-0001");
	assert_false(keeps(&c, at("apt-unpinned", "Dockerfile", NULL)));
	assert_false(keeps(&c, at("DL3002", "Dockerfile", NULL)));
	assert_true(keeps(&c, at("SHP1031", "Dockerfile", NULL)));
	/* a vulnerability by its id or by an alias; another one stays */
	struct shp_finding_vuln v = {
		.id = "CVE-2024-0001", .pkg_type = SHP_PKG_DEB, .pkg_name = "curl", .pkg_version = "1"};
	struct shp_finding x = at("SHP3001", "img.tar", "/var/lib/dpkg/status");
	x.vuln = &v;
	assert_false(keeps(&c, x));
	v = (struct shp_finding_vuln){.id = "DSA-1-1", .aliases = "GHSA-x,CVE-2024-0001", .pkg_name = "curl"};
	assert_false(keeps(&c, x));
	v.aliases = "CVE-2024-00011";
	assert_true(keeps(&c, x));
	/* the step alone */
	assert_false(shp_policy_keep(&c, &(struct shp_finding){.rule = shp_rule_find("DL3008")}, SHP_POLICY_IGNORE));
	shp_config_free(&c);
}

static void test_scoped_paths_and_purls(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	struct shp_error *err = NULL;
	const char *t = "misconfigurations:\n"
			"  - id: AVD-DS-0002\n"
			"    paths: [\"services/**\"]\n"
			"  - id: SHP2001\n"
			"    paths: [\"usr/share/**\"]\n"
			"vulnerabilities:\n"
			"  - id: CVE-2024-0002\n"
			"    purls: [\"pkg:deb/debian/curl@7.88.1-10\"]\n"
			"  - id: CVE-2024-0003\n"
			"    paths: [\"app/**\"]\n";
	assert_int_equal(shp_config_parse_trivyignore_yaml(&c, ".trivyignore.yaml", t, strlen(t), "2026-11-23", &err),
			 0);
	/* a rule at a path: the file for a Dockerfile finding, the path in the image for an image one */
	assert_false(keeps(&c, at("DS002", "services/api/Dockerfile", NULL)));
	assert_true(keeps(&c, at("DS002", "Dockerfile", NULL)));
	assert_true(keeps(&c, at("DL3008", "services/api/Dockerfile", NULL)));
	/* a purl names the package: its type, name and version */
	struct shp_finding_vuln v = {
		.id = "CVE-2024-0002", .pkg_type = SHP_PKG_DEB, .pkg_name = "curl", .pkg_version = "7.88.1-10"};
	struct shp_finding x = at("SHP3001", "img.tar", "/var/lib/dpkg/status");
	x.vuln = &v;
	assert_false(keeps(&c, x));
	v.pkg_version = "7.88.1-11";
	assert_true(keeps(&c, x));
	v.pkg_version = "7.88.1-10";
	v.pkg_type = SHP_PKG_APK;
	assert_true(keeps(&c, x));
	/* a vulnerability by path: where its package's database is */
	v = (struct shp_finding_vuln){
		.id = "CVE-2024-0003", .pkg_type = SHP_PKG_NPM, .pkg_name = "x", .pkg_version = "1"};
	x.path = "app/node_modules/x";
	assert_false(keeps(&c, x));
	x.path = "srv/node_modules/x";
	assert_true(keeps(&c, x));
	/* the step alone; --ignore's list is not this step */
	assert_false(shp_policy_keep(
		&c, &(struct shp_finding){.rule = shp_rule_find("DS002"), .file = "services/a/Dockerfile"},
		SHP_POLICY_SCOPED));
	assert_true(shp_policy_keep(
		&c, &(struct shp_finding){.rule = shp_rule_find("DS002"), .file = "services/a/Dockerfile"},
		SHP_POLICY_IGNORE));
	shp_config_free(&c);
}

static void test_dockerfile_pragmas(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	char *one[] = {"DL3008"}, *typo[] = {"DL3008", "DL9999"}, *foreign[] = {"DL3008", "SC2086"}, *star[] = {"*"};
	struct shp_finding_pragmas p = {.lists = {NULL, NULL, one}, .nlists = {0, 0, 1}};
	struct shp_finding x = at("DL3008", "Dockerfile", NULL);
	x.pragmas = &p;
	assert_false(keeps(&c, x));
	assert_false(keeps(NULL, x)); /* no configuration: the pragmas still hold */
	/* a list naming a rule nobody has is void; one naming another tool's is not */
	p.lists[2] = typo;
	p.nlists[2] = 2;
	assert_true(keeps(&c, x));
	p.lists[2] = foreign;
	assert_false(keeps(&c, x));
	/* the file's and the stage's lists count the same; "*" names every rule */
	p = (struct shp_finding_pragmas){.lists = {star}, .nlists = {1}};
	assert_false(keeps(&c, x));
	p = (struct shp_finding_pragmas){.lists = {NULL, one}, .nlists = {0, 1}};
	assert_false(keeps(&c, x));
	assert_true(keeps(&c, at("DL3008", "Dockerfile", NULL)));
	/* disable-ignore-pragma */
	c.disable_pragmas = 1;
	assert_true(keeps(&c, x));
	shp_config_free(&c);
}

static void test_dockerfile_pragmas_end_to_end(void **s)
{
	(void)s;
	/* what the parser recorded reaches the policy stage through shp_lint_buffer() */
	const char *df = "FROM debian:12.5\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n"
			 "RUN apt-get install -y --no-install-recommends wget\nUSER app\n";
	struct shp_config c = cfg_new();
	struct shp_findings f = {0};
	struct shp_error *err = NULL;
	assert_int_equal(shp_lint_buffer("Dockerfile", df, strlen(df), &c, &f, &err), 0);
	int lines[2] = {0};
	for (size_t i = 0; i < f.n; i++) {
		assert_null(f.v[i].pragmas); /* consumed */
		if (!strcmp(f.v[i].rule->id, "SHP1030"))
			lines[f.v[i].line == 4] = f.v[i].line;
	}
	assert_int_equal(lines[0], 0); /* line 3's is ignored */
	assert_int_equal(lines[1], 4);
	shp_findings_free(&f);
	c.disable_pragmas = 1;
	assert_int_equal(shp_lint_buffer("Dockerfile", df, strlen(df), &c, &f, &err), 0);
	size_t n = 0;
	for (size_t i = 0; i < f.n; i++)
		n += !strcmp(f.v[i].rule->id, "SHP1030");
	assert_int_equal(n, 2);
	shp_findings_free(&f);
	shp_config_free(&c);
}

static void test_yaml_pragmas_and_exemptions(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	struct shp_wl_pragma run[] = {{"compose.yaml", 4, "SHP4015"},
				      {"compose.yaml", 4, "privileged-container,KSV003"}};
	struct shp_finding_pragmas p = {.yaml = {run, NULL}, .nyaml = {2, 0}};
	struct shp_finding x = at("SHP4001", "compose.yaml", NULL);
	x.pragmas = &p;
	assert_false(keeps(&c, x));
	x.rule = shp_rule_find("SHP4002");
	assert_true(keeps(&c, x));
	/* the workload's line counts like the finding's */
	p = (struct shp_finding_pragmas){.yaml = {NULL, run}, .nyaml = {0, 2}};
	x.rule = shp_rule_find("SHP4003");
	assert_false(keeps(&c, x));
	/* Polaris' exemptions: "polaris-*" names its checks; disable-ignore-pragma leaves them be */
	p = (struct shp_finding_pragmas){.exempt = "polaris-*"};
	assert_false(keeps(&c, x));
	x.rule = shp_rule_find("SHP4009"); /* no polaris- alias */
	assert_true(keeps(&c, x));
	x.rule = shp_rule_find("SHP4003");
	c.disable_pragmas = 1;
	assert_false(keeps(&c, x));
	p = (struct shp_finding_pragmas){.yaml = {run}, .nyaml = {2}};
	assert_true(keeps(&c, x));
	shp_config_free(&c);
}

static void test_severity_and_skips(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	c.shown = SHP_SHOW_UNRATED; /* --severity UNKNOWN: the vulnerabilities no feed rates */
	struct shp_finding x = at("SHP3001", "img.tar", NULL);
	x.severity = SHP_SEV_MEDIUM;
	assert_false(keeps(&c, x));
	x.unrated = 1;
	assert_true(keeps(&c, x));
	c.shown = 0;
	struct shp_error *err = NULL;
	assert_int_equal(shp_config_add_skip(&c, "usr/share/doc", 1, &err), 0);
	assert_int_equal(shp_config_add_skip(&c, "**/*.pem", 0, &err), 0);
	/* the path in the image; an image finding without one is about the image, never skipped */
	assert_false(keeps(&c, at("SHP2001", "img.tar", "/usr/share/doc/x/key")));
	assert_true(keeps(&c, at("SHP2001", "img.tar", "/etc/x")));
	assert_true(keeps(&c, at("SHP2001", "usr/share/doc/Dockerfile", NULL)));
	/* a file's findings: the file */
	assert_false(keeps(&c, at("DL3008", "usr/share/doc/Dockerfile", NULL)));
	assert_false(keeps(&c, at("SHP4001", "k8s/key.pem", NULL)));
	assert_true(keeps(&c, at("SHP4001", "k8s/pod.yaml", NULL)));
	shp_config_free(&c);
}

static void test_apply(void **s)
{
	(void)s;
	struct shp_config c = cfg_new();
	add_str(&c.ignored, &c.nignored, &c.cignored, "SHP1031");
	struct shp_override o = {shp_xstrdup("SHP1030"), SHP_SEV_CRITICAL};
	SHP_PUSH(c.overrides, c.noverrides, c.coverrides, o);
	char *one[] = {"DL3002"};
	struct shp_finding_pragmas p = {.lists = {one}, .nlists = {1}};
	struct shp_findings f = {0};
	const char *ids[] = {"SHP1030", "SHP1031", "SHP1020", "SHP1040", "SHP1030"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const struct shp_rule *r = shp_rule_find(ids[i]);
		assert_non_null(r);
		struct shp_finding *x = shp_findings_add(&f, r, r->severity, "Dockerfile", "ev", shp_xstrdup(ids[i]));
		x->line = (int)i + 1;
		shp_finding_set_pragmas(&f, x, &p);
	}
	shp_policy_apply(&c, &f);
	/* SHP1031 by name and SHP1020 (DL3002) by the pragma are gone; the rest in order, re-rated */
	assert_int_equal(f.n, 3);
	assert_int_equal(f.v[0].line, 1);
	assert_int_equal(f.v[1].line, 4);
	assert_int_equal(f.v[2].line, 5);
	assert_int_equal(f.v[0].severity, SHP_SEV_CRITICAL);
	for (size_t i = 0; i < f.n; i++)
		assert_null(f.v[i].pragmas);
	/* a second time changes nothing */
	shp_policy_apply(&c, &f);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.v[2].severity, SHP_SEV_CRITICAL);
	shp_findings_free(&f);
	shp_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_override_then_severity),
		cmocka_unit_test(test_ignore_by_name),
		cmocka_unit_test(test_scoped_paths_and_purls),
		cmocka_unit_test(test_dockerfile_pragmas),
		cmocka_unit_test(test_dockerfile_pragmas_end_to_end),
		cmocka_unit_test(test_yaml_pragmas_and_exemptions),
		cmocka_unit_test(test_severity_and_skips),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
