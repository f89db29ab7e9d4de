/* test-config.c - .shipshape.yaml, .hadolint.yaml and .dive-ci loading, errors with
 * positions, trusted registry patterns, dive's byte sizes. */
#include "audit/pss.h"
#include "config/config.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "unit.h"
#include "util/size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];

/* What the configuration decides, asked of the policy stage one step at a time. */
static int is_ignored(const struct shp_config *c, const struct shp_rule *r)
{
	struct shp_finding x = {.rule = r, .severity = r->severity, .file = "Dockerfile"};
	return !shp_policy_keep(c, &x, SHP_POLICY_IGNORE);
}

static int ignored_at(const struct shp_config *c, const struct shp_rule *r, const char *file)
{
	struct shp_finding x = {.rule = r, .severity = r->severity, .file = file};
	return !shp_policy_keep(c, &x, SHP_POLICY_SCOPED);
}

static enum shp_severity severity_of(const struct shp_config *c, const struct shp_rule *r)
{
	struct shp_finding x = {.rule = r, .severity = r->severity, .file = "Dockerfile"};
	shp_policy_keep(c, &x, SHP_POLICY_OVERRIDE);
	return x.severity;
}

static void write_tmp(const char *text)
{
	strcpy(path, "/tmp/shp-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_shipshape_yaml(void **s)
{
	(void)s;
	write_tmp("ignore: [DL3008, no-healthcheck]\nseverity:\n  DL3006: critical\ntrusted-registries:\n  - "
		  "\"*.corp.example\"\n"
		  "fail-on: medium\n");
	struct shp_config c = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	assert_int_equal(shp_config_load(&c, path, &err), 0);
	unlink(path);
	assert_int_equal(c.nignored, 2);
	assert_true(is_ignored(&c, shp_rule_find("SHP1030")));
	assert_true(is_ignored(&c, shp_rule_find("DL3057")));
	assert_false(is_ignored(&c, shp_rule_find("DL3002")));
	assert_int_equal(severity_of(&c, shp_rule_find("base-image-untagged")), SHP_SEV_CRITICAL);
	assert_int_equal(c.fail_on, SHP_SEV_MEDIUM);
	assert_true(shp_config_registry_trusted(&c, "registry.corp.example"));
	assert_false(shp_config_registry_trusted(&c, "corp.example.evil.com"));
	shp_config_free(&c);
}

static void test_hadolint_yaml(void **s)
{
	(void)s;
	write_tmp("ignored:\n  - DL3015\noverride:\n  error: [DL3008]\n  info:\n    - DL3059\ntrustedRegistries: "
		  "docker.io\n"
		  "failure-threshold: warning\nlabel-schema: {a: text}\nformat: tty\nno-fail: true\nno-color: yes\n");
	struct shp_config c = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	assert_int_equal(shp_config_load(&c, path, &err), 0);
	unlink(path);
	assert_true(is_ignored(&c, shp_rule_find("DL3015")));
	assert_int_equal(severity_of(&c, shp_rule_find("DL3008")), SHP_SEV_MEDIUM);
	assert_int_equal(severity_of(&c, shp_rule_find("DL3059")), SHP_SEV_INFO);
	assert_int_equal(c.fail_on, SHP_SEV_LOW);
	assert_true(shp_config_registry_trusted(&c, "docker.io"));
	assert_false(shp_config_registry_trusted(&c, "quay.io"));
	/* the output keys are kept for the command line to apply (and check) */
	assert_string_equal(c.format, "tty");
	assert_non_null(strstr(c.format_at, ":10"));
	assert_true(c.no_fail && c.no_color);
	shp_config_free(&c);
	const char *bad = "format: [json]\n";
	assert_int_equal(shp_config_parse(&c, ".hadolint.yaml", bad, strlen(bad), &err), -1);
	assert_string_equal(err->msg, ".hadolint.yaml:1: format: expected a format name");
	shp_error_free(err);
	shp_config_free(&c);
}

/* db: {max-age}, and the spans of time it (and --max-db-age) takes */
static void test_db_max_age(void **state)
{
	(void)state;
	struct shp_error *err = NULL;
	struct shp_config c = {0};
	const char *text = "db:\n  max-age: 36h\n  sources: {osv-npm: false}\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", text, strlen(text), &err), 0);
	assert_true(c.db_max_age_set);
	assert_int_equal(c.db_max_age, 36 * 3600);
	const char *never = "db: {max-age: 0}\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", never, strlen(never), &err), 0);
	assert_int_equal(c.db_max_age, 0);
	shp_config_free(&c);
	const char *bad[] = {"db:\n  max-age: soon\n", "db: 7d\n", "db:\n  max-age: [7d]\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", bad[i], strlen(bad[i]), &err), -1);
		assert_non_null(strstr(err->msg, ".shipshape.yaml:"));
		assert_non_null(strstr(err->msg, "db:"));
		shp_error_free(err);
		err = NULL;
	}
	shp_config_free(&c);
	static const struct {
		const char *s;
		long long secs; /* -1: refused */
	} spans[] = {{"7d", 7 * 86400},
		     {"36h", 36 * 3600},
		     {"1d12h", 36 * 3600},
		     {"2w", 14 * 86400},
		     {"90m", 5400},
		     {"45s", 45},
		     {"0", 0},
		     {"0d", 0},
		     {"7", -1},
		     {"d", -1},
		     {"-1d", -1},
		     {"7d ", -1},
		     {"", -1},
		     {"1y", -1},
		     {"36500d", 36500LL * 86400},
		     {"99999999999w", -1},
		     {"1.5d", -1}};
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		long long got = -1;
		int rc = shp_parse_duration(spans[i].s, &got);
		if (spans[i].secs < 0)
			assert_int_equal(rc, -1);
		else {
			assert_int_equal(rc, 0);
			assert_int_equal(got, spans[i].secs);
		}
	}
}

/* pss: and pss-version: (audit --pss), and the parsers the flags share */
static void test_pss(void **state)
{
	(void)state;
	struct shp_error *err = NULL;
	struct shp_config c = {0};
	const char *text = "pss: restricted\npss-version: v1.30\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", text, strlen(text), &err), 0);
	assert_int_equal(c.pss_level, SHP_PSS_RESTRICTED);
	assert_int_equal(c.pss_minor, 30);
	assert_string_equal(c.pss_version, "v1.30");
	shp_config_free(&c);
	const char *bad[] = {"pss: strict\n", "pss: [baseline]\n", "pss: baseline\npss-version: 2.1\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", bad[i], strlen(bad[i]), &err), -1);
		assert_non_null(strstr(err->msg, ".shipshape.yaml:"));
		assert_non_null(strstr(err->msg, "pss"));
		shp_error_free(err);
		err = NULL;
		shp_config_free(&c);
	}
	assert_int_equal(shp_pss_parse_level("baseline"), SHP_PSS_BASELINE);
	assert_int_equal(shp_pss_parse_level("privileged"), SHP_PSS_OFF);
	assert_int_equal(shp_pss_parse_level("Baseline"), -1);
	assert_int_equal(shp_pss_parse_version("latest"), SHP_PSS_LATEST);
	assert_int_equal(shp_pss_parse_version("1.23"), 23);
	assert_int_equal(shp_pss_parse_version("v1.0"), 0);
	assert_int_equal(shp_pss_parse_version("v1.99"), SHP_PSS_LATEST); /* newer: what is known */
	assert_int_equal(shp_pss_parse_version("v1."), -1);
	assert_int_equal(shp_pss_parse_version("v1.2x"), -1);
	assert_int_equal(shp_pss_parse_version("v2.1"), -1);
}

static void test_dive_ci(void **s)
{
	(void)s;
	struct shp_config c = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	/* no limits set: dive's defaults, bytes not checked */
	struct shp_waste_limits w = shp_config_waste(&c);
	assert_int_equal(w.set, SHP_WASTE_EFFICIENCY | SHP_WASTE_USER_PERCENT);
	assert_true(w.lowest_efficiency == 0.9 && w.highest_user_wasted == 0.1);
	/* dive's file, legacy names among them; "disabled" turns one off */
	const char *dive = "rules:\n  lowestEfficiency: 0.95\n  highest-wasted-bytes: 20MB\n"
			   "  highest-user-wasted-percent: disabled\n  some-future-rule: 3\n";
	assert_int_equal(shp_config_parse(&c, ".dive-ci", dive, strlen(dive), &err), 0);
	w = shp_config_waste(&c);
	assert_int_equal(w.set, SHP_WASTE_EFFICIENCY | SHP_WASTE_BYTES);
	assert_true(w.lowest_efficiency == 0.95);
	assert_int_equal(w.highest_wasted_bytes, 20000000);
	/* ours, read after: a limit set again wins, one turned off comes back */
	const char *ours = "efficiency:\n  highest-user-wasted-percent: 0.25\n  highest-wasted-bytes: off\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", ours, strlen(ours), &err), 0);
	w = shp_config_waste(&c);
	assert_int_equal(w.set, SHP_WASTE_EFFICIENCY | SHP_WASTE_USER_PERCENT);
	assert_true(w.highest_user_wasted == 0.25);
	/* bad values: the file and line */
	const char *bad[] = {"rules:\n  lowest-efficiency: 1.5\n", "rules:\n  highest-wasted-bytes: 12 parsecs\n",
			     "rules: [lowest-efficiency]\n", "rules:\n  lowest-efficiency: [0.9]\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shp_config_parse(&c, ".dive-ci", bad[i], strlen(bad[i]), &err), -1);
		assert_non_null(strstr(err->msg, ".dive-ci:"));
		shp_error_free(err);
		err = NULL;
	}
	shp_config_free(&c);
	/* go-humanize's sizes */
	uint64_t b;
	assert_int_equal(shp_parse_size("20MiB", SHP_SIZE_SI, &b), 0);
	assert_int_equal(b, 20971520);
	assert_int_equal(shp_parse_size("1.5 GB", SHP_SIZE_SI, &b), 0);
	assert_int_equal(b, 1500000000);
	assert_int_equal(shp_parse_size("4096", SHP_SIZE_SI, &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(shp_parse_size("2k", SHP_SIZE_SI, &b), 0);
	assert_int_equal(b, 2000);
	assert_int_equal(shp_parse_size("-1MB", SHP_SIZE_SI, &b), -1);
	assert_int_equal(shp_parse_size("1e30", SHP_SIZE_SI, &b), -1);
	assert_int_equal(shp_parse_size("MB", SHP_SIZE_SI, &b), -1);
	/* our flags' sizes: powers of 1024, whole and above 0 */
	assert_int_equal(shp_parse_size("512K", SHP_SIZE_BINARY, &b), 0);
	assert_int_equal(b, 524288);
	assert_int_equal(shp_parse_size("4gb", SHP_SIZE_BINARY, &b), 0);
	assert_int_equal(b, 4294967296);
	assert_int_equal(shp_parse_size("0", SHP_SIZE_BINARY, &b), -1);
	assert_int_equal(shp_parse_size("1.5G", SHP_SIZE_BINARY, &b), -1);
	assert_int_equal(shp_parse_size("99999999999T", SHP_SIZE_BINARY, &b), -1);
	assert_int_equal(shp_parse_size("12X", SHP_SIZE_BINARY, &b), -1);
}

static void test_skip_patterns(void **s)
{
	(void)s;
	struct shp_config c = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	const char *y = "skip-files: [\"**"
			"/*.pem\", app/*, \"[!a]b\", a.b, \"(x|y)\", ./rel/f]\nskip-dirs: usr/share/doc\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", y, strlen(y), &err), 0);
	assert_int_equal(c.nskip, 7);
	static const struct {
		const char *path;
		int skipped;
	} cases[] = {
		{"/a/b/c.pem", 1},
		{"c.pem", 1},
		{"a/b/c.pem.bak", 0},
		{"/app/.env", 1},
		{"app/x/y", 0},
		{"cb", 1},
		{"ab", 0},
		{"a.b", 1},
		{"axb", 0},
		{"(x|y)", 1},
		{"x", 0},
		{"rel/f", 1},
		{"./rel/f", 1},
		{"usr/share/doc", 1},
		{"/usr/share/doc/a/b", 1},
		{"usr/share/docs/a", 0},
		{"usr/share", 0},
		{NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (shp_policy_skips(&c, cases[i].path) != cases[i].skipped)
			fail_msg("%s: expected %s", cases[i].path ? cases[i].path : "NULL",
				 cases[i].skipped ? "skipped" : "kept");
	/* a bad pattern: exit 2 from the command line, the file and line from a file */
	assert_int_equal(shp_config_add_skip(&c, "x[", 0, &err), -1);
	assert_int_equal(err->code, SHP_EXIT_USAGE);
	shp_error_free(err);
	err = NULL;
	const char *bad = "ignore: []\nskip-dirs:\n  - ok\n  - \"[z\"\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", bad, strlen(bad), &err), -1);
	assert_int_equal(err->code, SHP_EXIT_INPUT);
	assert_non_null(strstr(err->msg, ".shipshape.yaml:3: skip-dirs: pattern \"[z\": [ without ]"));
	shp_error_free(err);
	shp_config_free(&c);
}

static void test_errors(void **s)
{
	(void)s;
	static const struct {
		const char *yaml, *msg;
	} c[] = {
		{"ignore: [a\n", ":2:1"},
		{"ignore: [a", ":1:11: invalid YAML"}, /* libyaml's end is a line further: the end of the text */
		{"ignore:\n  - a\n  - [b", ":3:7:"},
		{"- just\n- a list\n", "expected a mapping"},
		{"severity:\n  DL3008: extreme\n", ":2: severity of DL3008"},
		{"fail-on: sometimes\n", ":1: fail-on"},
		{"ignore: {a: b}\n", "expected a list"},
		{"a: &x [*x]\n", ""},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		write_tmp(c[i].yaml);
		struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
		struct shp_error *err = NULL;
		int rc = shp_config_load(&cfg, path, &err);
		unlink(path);
		if (c[i].msg[0] && (rc != -1 || !strstr(err->msg, c[i].msg)))
			fail_msg("case %zu: rc %d, %s", i, rc, err ? err->msg : "(none)");
		if (err)
			assert_true(strstr(err->msg, path) != NULL);
		shp_error_free(err);
		shp_config_free(&cfg);
	}
}

/* Nesting is bounded before libyaml loads the text (its time grows with the square of the
 * depth): 128 open sequences and mappings are read, one more is an error at its place. */
static void test_depth_limit(void **s)
{
	(void)s;
	for (int depth = 127; depth <= 128; depth++) {
		char text[512];
		int n = snprintf(text, sizeof text, "ignore: ");
		for (int i = 0; i < depth; i++)
			text[n++] = '[';
		for (int i = 0; i < depth; i++)
			text[n++] = ']';
		text[n] = 0;
		struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
		struct shp_error *err = NULL;
		assert_int_equal(shp_config_parse(&cfg, ".shipshape.yaml", text, (size_t)n, &err), -1);
		/* 127 inside the top mapping is 128: read, then refused as not a list of strings */
		if (depth == 127)
			assert_non_null(strstr(err->msg, ".shipshape.yaml:1: ignore: "));
		else
			assert_string_equal(err->msg, ".shipshape.yaml:1:136: nesting deeper than 128");
		shp_error_free(err);
		shp_config_free(&cfg);
	}
}

static void test_trivyignore(void **s)
{
	(void)s;
	struct shp_config c = {0};
	const char *t = "# accepted risks\nCVE-2023-0001\n  GHSA-xxxx-yyyy-zzzz  # until fixed upstream\n\n"
			"CVE-2020-0002 exp:2020-06-30\nCVE-2030-0003 exp:2999-01-01\nAVD-DS-0002\r\nDS026\n";
	assert_int_equal(shp_config_parse_trivyignore(&c, t, strlen(t), "2026-11-23"), 0);
	assert_int_equal(c.nignored, 5);
	assert_string_equal(c.ignored[0], "CVE-2023-0001");
	assert_string_equal(c.ignored[1], "GHSA-xxxx-yyyy-zzzz");
	assert_string_equal(c.ignored[2], "CVE-2030-0003");
	assert_string_equal(c.ignored[3], "AVD-DS-0002");
	assert_string_equal(c.ignored[4], "DS026");
	/* DS002 is an alias of the root-user rule: Trivy's ids ignore our rules too */
	const struct shp_rule *r = shp_rule_find("DS002");
	assert_non_null(r);
	assert_true(is_ignored(&c, r));
	shp_config_free(&c);
}

static void test_trivyignore_yaml(void **s)
{
	(void)s;
	struct shp_config c = {0};
	struct shp_error *err = NULL;
	const char *t = "vulnerabilities:\n"
			"  - id: CVE-2023-0001\n"
			"    statement: accepted\n"
			"  - id: CVE-2023-0002\n"
			"    purls: [\"pkg:deb/debian/curl@7.88.1-10\"]\n"
			"  - id: CVE-2020-0003\n"
			"    expired_at: 2020-06-30\n"
			"misconfigurations:\n"
			"  - id: AVD-DS-0002\n"
			"    paths:\n"
			"      - \"services/**\"\n"
			"secrets:\n"
			"licenses: []\n";
	assert_int_equal(shp_config_parse_trivyignore_yaml(&c, ".trivyignore.yaml", t, strlen(t), "2026-11-23", &err),
			 0);
	/* without paths or purls: an id ignored everywhere; past its date: nothing */
	assert_int_equal(c.nignored, 1);
	assert_string_equal(c.ignored[0], "CVE-2023-0001");
	assert_int_equal(c.nscoped, 2);
	assert_string_equal(c.scoped[0].id, "CVE-2023-0002");
	assert_int_equal(c.scoped[0].npurls, 1);
	const struct shp_rule *r = shp_rule_find("DS002");
	assert_false(is_ignored(&c, r));
	assert_true(ignored_at(&c, r, "services/api/Dockerfile"));
	assert_false(ignored_at(&c, r, "Dockerfile"));
	assert_false(ignored_at(&c, shp_rule_find("DL3008"), "services/api/Dockerfile"));
	shp_config_free(&c);
	/* errors name the line */
	const char *bad[][2] = {{"vulnerabilities: CVE-1\n", ".trivyignore.yaml:1: vulnerabilities: expected a list"},
				{"secrets:\n  - paths: [a]\n", ".trivyignore.yaml:2: secrets: an entry without an id"},
				{"secrets:\n  - id: x\n    expired_at: soon\n",
				 ".trivyignore.yaml:2: expired_at: expected a date (YYYY-MM-DD)"},
				{"secrets:\n  - id: x\n    paths: [\"[a\"]\n",
				 ".trivyignore.yaml:3: paths: pattern \"[a\": [ without ]"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shp_config_parse_trivyignore_yaml(&c, ".trivyignore.yaml", bad[i][0],
								   strlen(bad[i][0]), "2026-11-23", &err),
				 -1);
		assert_string_equal(err->msg, bad[i][1]);
		shp_error_free(err);
		err = NULL;
		shp_config_free(&c);
	}
	assert_true(shp_policy_id_is("GHSA-1", "CVE-1", "DSA-1,GHSA-1"));
	assert_false(shp_policy_id_is("GHSA-1", "CVE-1", "GHSA-12"));
}

/* db: {mirror: URL}, and the user's file under $XDG_CONFIG_HOME read before the project's,
 * which overrides its settings and adds to its lists */
static void test_user_config(void **state)
{
	(void)state;
	struct shp_error *err = NULL;
	struct shp_config c = {.fail_on = SHP_SEV_NONE};
	char dir[] = "/tmp/shp-xdg-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[96], file[128];
	snprintf(sub, sizeof sub, "%s/shipshape", dir);
	snprintf(file, sizeof file, "%s/config.yaml", sub);
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(shp_config_load_user(&c, &err), 0); /* none: nothing changes */
	assert_null(c.db_mirror);
	assert_int_equal(mkdir(sub, 0700), 0);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("registries:\n  mirrors: {docker.io: [\"m.internal:5000\"]}\ndb:\n  mirror: https://feeds.internal/x\n"
	      "fail-on: low\n",
	      f);
	fclose(f);
	assert_int_equal(shp_config_load_user(&c, &err), 0);
	const char *project = "fail-on: critical\nregistries:\n  mirrors: {ghcr.io: [\"g.internal\"]}\n";
	assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", project, strlen(project), &err), 0);
	assert_string_equal(c.db_mirror, "https://feeds.internal/x");
	assert_non_null(strstr(c.db_mirror_at, "shipshape/config.yaml:4"));
	assert_int_equal(c.fail_on, SHP_SEV_CRITICAL);
	assert_int_equal(c.nmirrors, 2);
	assert_string_equal(c.mirrors[0].host, "docker.io");
	assert_string_equal(c.mirrors[1].host, "ghcr.io");
	shp_config_free(&c);
	c.fail_on = SHP_SEV_NONE;
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
	const char *bad[] = {"db:\n  mirror: ftp://x\n", "db:\n  mirror: [http://x]\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shp_config_parse(&c, ".shipshape.yaml", bad[i], strlen(bad[i]), &err), -1);
		assert_non_null(strstr(err->msg, ".shipshape.yaml:2: db: mirror: expected an http(s) URL"));
		shp_error_free(err);
		err = NULL;
	}
	shp_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipshape_yaml),	 cmocka_unit_test(test_hadolint_yaml),
		cmocka_unit_test(test_dive_ci),		 cmocka_unit_test(test_db_max_age),
		cmocka_unit_test(test_skip_patterns),	 cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_limit),	 cmocka_unit_test(test_trivyignore),
		cmocka_unit_test(test_trivyignore_yaml), cmocka_unit_test(test_pss),
		cmocka_unit_test(test_user_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
