/* test-rules.c - the registry's invariants, secret recognisers, redaction, and the lint
 * driver's pragma and config handling. */
#include "rules/lint.h"
#include "secrets/tokens.h"
#include "unit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void test_registry_invariants(void **s)
{
	(void)s;
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	assert_true(n >= 60);
	for (size_t i = 0; i < n; i++) {
		const struct shp_rule *r = all[i];
		void *check[] = {[SHP_SCOPE_DOCKERFILE] = (void *)r->check_dockerfile,
				 [SHP_SCOPE_IMAGE] = (void *)r->check_image,
				 [SHP_SCOPE_VULN] = NULL,
				 [SHP_SCOPE_AUDIT] = (void *)r->check_workload,
				 [SHP_SCOPE_HOST] = (void *)r->check_host,
				 [SHP_SCOPE_PIN] = NULL};
		/* vulnerability and image reference rules are reported by their command, not checked */
		int reported = r->scope == SHP_SCOPE_VULN || r->scope == SHP_SCOPE_PIN;
		assert_int_equal(!!r->check_dockerfile + !!r->check_image + !!r->check_workload + !!r->check_host,
				 !reported);
		if (!reported)
			assert_non_null(check[r->scope]);
		assert_true(strlen(r->id) == 7 && !strncmp(r->id, "SHP", 3));
		assert_true(r->title[0] && r->rationale[0] && r->remediation[0]);
		for (const char *c = r->slug; *c; c++)
			assert_true(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '-');
		assert_ptr_equal(shp_rule_find(r->id), r);
		assert_ptr_equal(shp_rule_find(r->slug), r);
		if (i)
			assert_true(strcmp(all[i - 1]->id, r->id) < 0); /* sorted, unique */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(all[j]->slug, r->slug);
		/* A hadolint alias belongs to exactly one rule. */
		for (int a = 0; a < SHP_MAX_ALIASES && r->aliases[a]; a++)
			if (!strncmp(r->aliases[a], "DL", 2))
				assert_ptr_equal(shp_rule_find(r->aliases[a]), r);
	}
	assert_ptr_equal(shp_rule_find("dl3008"), shp_rule_find("SHP1030"));
	assert_null(shp_rule_find("DL9999"));
	/* Trivy's three spellings of one check */
	assert_ptr_equal(shp_rule_find("DS-0026"), shp_rule_find("DS026"));
	assert_ptr_equal(shp_rule_find("avd-ds-0026"), shp_rule_find("DS026"));
	assert_ptr_equal(shp_rule_find("AVD-KSV-0017"), shp_rule_find("privileged-container"));
	assert_null(shp_rule_find("DS-00x6"));
	/* every Dockerfile check of Trivy's (trivy-checks, as ../shared/reference/anchors.md lists them) */
	static const char *const trivy_ds[] = {"DS-0001", "DS-0002", "DS-0004", "DS-0005", "DS-0006", "DS-0007",
					       "DS-0008", "DS-0009", "DS-0010", "DS-0011", "DS-0012", "DS-0013",
					       "DS-0014", "DS-0015", "DS-0016", "DS-0017", "DS-0019", "DS-0020",
					       "DS-0021", "DS-0022", "DS-0023", "DS-0024", "DS-0025", "DS-0026",
					       "DS-0027", "DS-0029", "DS-0030", "DS-0031"};
	for (size_t i = 0; i < sizeof trivy_ds / sizeof trivy_ds[0]; i++)
		if (!shp_rule_find(trivy_ds[i]))
			fail_msg("no rule for Trivy's %s", trivy_ds[i]);
	assert_null(shp_rule_find("AVD-"));
}

static void test_hadolint_coverage(void **s)
{
	(void)s;
	/* Every hadolint DL rule except DL1001 and the label-schema family. */
	static const char *const dl[] = {"DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
					 "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016",
					 "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025",
					 "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034",
					 "DL3035", "DL3036", "DL3037", "DL3038", "DL3040", "DL3041", "DL3042", "DL3043",
					 "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3057", "DL3059", "DL3060",
					 "DL3061", "DL3062", "DL3063", "DL3064", "DL3065", "DL3066", "DL3067", "DL4000",
					 "DL4001", "DL4003", "DL4004", "DL4005", "DL4006"};
	for (size_t i = 0; i < sizeof dl / sizeof dl[0]; i++)
		if (!shp_rule_find(dl[i]))
			fail_msg("no rule for %s", dl[i]);
}

static void test_tokens(void **s)
{
	(void)s;
	static const struct {
		const char *in, *kind;
	} yes[] = {
		{"AKIAZ3MQW7XH2PL5RTQY", "AWS access key ID"},
		/* a GitHub app installation's stateless token: its number and a JWT */
		{"ghs_15368_eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NTYiLCJpbnN0In0.Qm9vWjhxTHA3UnQxVmI0TmMzWWQ2SHMxSnc",
		 "GitHub token"},
		{"token=glpat-Zx9Lq2Wm8Rt5Vb7Nc3Yd", "GitLab token"},
		{"xoxb-2837465019-Zx9Lq2Wm8Rt5Vb7Nc3Yd", "Slack token"},
		{"sk_live_Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1J", "Stripe secret key"},
		{"dop_v1_3f9c2a7e5b1d8f4a6c0e2b9d7f5a3c1e8b6d4f2a0c9e7b5d3f1a8c6e4b2d0f9a", "DigitalOcean token"},
		{"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", "Hugging Face access token"},
		{"-----BEGIN OPENSSH PRIVATE "
		 "KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n"
		 "-----END OPENSSH PRIVATE KEY-----",
		 "private key"},
		{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
		 "JSON Web Token"},
	};
	/* (AWS's own example key is a placeholder: the content scanner's rules, which these are,
	 * leave it out) */
	static const char *const no[] = {"AKIA_NOT_A_KEY",
					 "ghp_short",
					 "XAKIAZ3MQW7XH2PL5RTQY",
					 "AKIAIOSFODNN7EXAMPLE",
					 "hello world",
					 "eyJhbGciOiJIUzI1NiJ9",
					 "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
					 ""};
	struct shp_token_match m;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (!shp_token_find(yes[i].in, &m))
			fail_msg("missed %s", yes[i].in);
		assert_string_equal(m.kind, yes[i].kind);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (shp_token_find(no[i], &m))
			fail_msg("false positive on %s (%s)", no[i], m.kind);
}

static void test_secret_names(void **s)
{
	(void)s;
	static const char *const yes[] = {"DB_PASSWORD",   "openai_api_key", "AWS_ACCESS_KEY_ID",   "GITHUB_TOKEN",
					  "client_secret", "DB_PASS",	     "MYSQL_ROOT_PASSWORD", "SECRET"};
	static const char *const no[] = {"GPG_KEY",	   "PASSWORD_FILE", "TOKEN_URL",	 "PATH", "NODE_VERSION",
					 "DB_PASSTHROUGH", "KEYRING",	    "PASSENGER_VERSION", "PWD"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!shp_secret_name(yes[i]))
			fail_msg("missed %s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (shp_secret_name(no[i]))
			fail_msg("false positive %s", no[i]);
	assert_false(shp_secret_literal(""));
	assert_false(shp_secret_literal("${PW}"));
	assert_false(shp_secret_literal("/run/secrets/db"));
	assert_true(shp_secret_literal("hunter2"));
}

static void test_redact(void **s)
{
	(void)s;
	char *r = shp_redact("AKIAIOSFODNN7EXAMPLE");
	assert_string_equal(r, "AKIA****");
	free(r);
	r = shp_redact("short");
	assert_string_equal(r, "****");
	free(r);
}

static size_t count(const char *df, const char *rule, const struct shp_config *cfg)
{
	struct shp_findings f = {0};
	struct shp_error *err = NULL;
	if (shp_lint_buffer("Dockerfile", df, strlen(df), cfg, &f, &err) < 0)
		fail_msg("%s", err->msg);
	size_t n = 0;
	for (size_t i = 0; i < f.n; i++)
		n += shp_rule_matches(f.v[i].rule, rule);
	shp_findings_free(&f);
	return n;
}

static void test_pragmas_and_config(void **s)
{
	(void)s;
	assert_int_equal(count("FROM a:1\nUSER root\n", "DL3002", NULL), 1);
	assert_int_equal(count("FROM a:1\n# hadolint ignore=DL3002\nUSER root\n", "DL3002", NULL), 0);
	assert_int_equal(count("FROM a:1\n# shipshape ignore=last-user-root\nUSER root\n", "DL3002", NULL), 0);
	assert_int_equal(count("FROM a:1\n# hadolint ignore=typo,DL3002\nUSER root\n", "DL3002", NULL), 1);
	assert_int_equal(count("# hadolint global ignore=SHP1020\nFROM a:1\nUSER root\n", "DL3002", NULL), 0);
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE, .disable_pragmas = 1};
	assert_int_equal(count("FROM a:1\n# hadolint ignore=DL3002\nUSER root\n", "DL3002", &cfg), 1);
	char *ig = "DL3002";
	cfg.ignored = &ig;
	cfg.nignored = 1;
	assert_int_equal(count("FROM a:1\nUSER root\n", "DL3002", &cfg), 0);
	/* The user rules judge the final stage only. */
	assert_int_equal(count("FROM a:1 AS b\nUSER root\nFROM c:1\nUSER 1000\n", "DL3002", NULL), 0);
	assert_int_equal(count("FROM a:1 AS b\nUSER root\nFROM b\n", "DL3002", NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_invariants),
		cmocka_unit_test(test_hadolint_coverage),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_secret_names),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_pragmas_and_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
