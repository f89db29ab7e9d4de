/* test-secret-config.c - the peers' custom secret rules: Trivy's trivy-secret.yaml and
 * gitleaks' .gitleaks.toml read into a configuration (fields, errors with their place), and
 * the scanner under one (a new rule, its group, allowlists, a disabled built-in). */
#include "secrets/config.h"
#include "secrets/scan.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(struct shp_secret_config *c, const char *name, const char *text, char **msg)
{
	struct shp_error *err = NULL;
	int rc = shp_secret_config_parse(c, name, text, strlen(text), &err);
	*msg = NULL;
	if (rc < 0) {
		assert_int_equal(err->code, SHP_EXIT_INPUT);
		*msg = strdup(err->msg);
		shp_error_free(err);
	}
	return rc;
}

static void test_trivy(void **s)
{
	(void)s;
	struct shp_secret_config c;
	char *msg;
	assert_int_equal(parse(&c, "trivy-secret.yaml",
			       "rules:\n"
			       "  - id: rule1\n"
			       "    category: general\n"
			       "    title: Generic Rule\n"
			       "    severity: high\n"
			       "    regex: (?i)(?P<key>secret)=(?P<secret>[0-9a-z]{8,})\n"
			       "    secret-group-name: secret\n"
			       "    keywords: [secret, SeCreT]\n"
			       "    path: \\.txt$\n"
			       "    allow-rules:\n"
			       "      - {id: a1, description: x, regex: other}\n"
			       "    exclude-block:\n"
			       "      regexes: ['--- start ---(.|\\s)*--- stop ---']\n"
			       "allow-rules:\n"
			       "  - id: skip-docs\n"
			       "    path: ^docs/\n"
			       "enable-builtin-rules: [github-pat]\n"
			       "disable-rules: [rule2]\n"
			       "disable-allow-rules: [tests, markdown]\n",
			       &msg),
			 0);
	assert_int_equal(c.nrules, 1);
	assert_string_equal(c.rules[0].id, "rule1");
	assert_string_equal(c.rules[0].title, "Generic Rule");
	assert_int_equal(c.rules[0].severity, 1 + 3); /* high, in any case */
	assert_string_equal(c.rules[0].group_name, "secret");
	assert_int_equal(c.rules[0].nkeywords, 2);
	assert_string_equal(c.rules[0].path, "\\.txt$");
	assert_int_equal(c.rules[0].nallows, 1);
	assert_int_equal(c.rules[0].allows[0].target, SHP_ALLOW_EITHER);
	assert_string_equal(c.rules[0].allows[0].regexes[0], "other");
	assert_int_equal(c.rules[0].nblocks, 1);
	/* Trivy's built-in allow rules but the two disabled, then the file's */
	assert_int_equal(c.nallows, 12 - 2 + 1);
	assert_string_equal(c.allows[0].id, "examples");
	assert_string_equal(c.allows[c.nallows - 1].id, "skip-docs");
	assert_string_equal(c.allows[c.nallows - 1].paths[0], "^docs/");
	/* github-pat is ours as github-token */
	assert_true(c.only_enabled);
	assert_int_equal(c.nenabled, 2);
	assert_string_equal(c.enabled[1], "github-token");
	assert_string_equal(c.disabled[0], "rule2");
	assert_false(c.no_builtins);
	shp_secret_config_free(&c);

	/* no severity, or one Trivy does not know: the finding's rule's own */
	assert_int_equal(parse(&c, "t.yaml", "rules:\n  - id: r\n    severity: bad\n    regex: x\n", &msg), 0);
	assert_int_equal(c.rules[0].severity, 0);
	shp_secret_config_free(&c);
	assert_int_equal(parse(&c, "t.yaml", "", &msg), 0); /* empty: Trivy's allow rules alone */
	assert_int_equal(c.nrules, 0);
	assert_int_equal(c.nallows, 12);
	shp_secret_config_free(&c);
}

static void test_trivy_errors(void **s)
{
	(void)s;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"rules:\n  - id: r\n    regex: a(b\n", "t.yaml:3:12: rules[0]: regex: invalid regex at offset 3"},
		{"rules:\n  - id: r\n    regex: x\n    path: '['\n", "t.yaml:4:11: rules[0]: path: invalid regex"},
		{"rules:\n  - id: r\n    regex: x\n    keywords: {a: 1}\n", "t.yaml:4:15: keywords: expected a list"},
		{"rules:\n  - id: r\n", "t.yaml:2:5: rules[0]: expected a regex"},
		{"rules:\n  - regex: x\n", "t.yaml:2:5: rules[0]: expected an id"},
		{"rules: 3\n", "t.yaml:1:8: rules: expected a list of rules"},
		{"allow-rules:\n  - regex: '(?<'\n", "t.yaml:2:12: allow-rules: regex: invalid regex"},
		{"disable-rules: [[a]]\n", "t.yaml:1:17: disable-rules: expected a string"},
		{"rules:\n  - id: r\n    regex: x\n    secret-group-name: [a]\n", "t.yaml:4:24: secret-group-name: "
										  "expected a string"},
		{"- a\n", "t.yaml:1:1: trivy-secret.yaml: expected a mapping"},
		{"rules: [\n", "t.yaml:2:1: invalid YAML"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct shp_secret_config c;
		char *msg;
		assert_int_equal(parse(&c, "t.yaml", bad[i].text, &msg), -1);
		if (strncmp(msg, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("%s: got \"%s\"", bad[i].text, msg);
		free(msg);
	}
}

static void test_gitleaks(void **s)
{
	(void)s;
	struct shp_secret_config c;
	char *msg;
	assert_int_equal(parse(&c, ".gitleaks.toml",
			       "title = \"t\"\n"
			       "[extend]\n"
			       "useDefault = true\n"
			       "disabledRules = [\"generic-api-key\", \"github-pat\"]\n"
			       "[[rules]]\n"
			       "id = \"my-token\"\n"
			       "description = \"My token\"\n"
			       "regex = '''tok_([0-9a-f]{8})([0-9a-f]{8})'''\n"
			       "secretGroup = 2\n"
			       "entropy = 2.5\n"
			       "keywords = [\"tok_\"]\n"
			       "tags = [\"x\"]\n"
			       "[rules.allowlist]\n"
			       "stopwords = [\"dead\"]\n"
			       "[[rules.allowlists]]\n"
			       "condition = \"AND\"\n"
			       "regexTarget = \"line\"\n"
			       "regexes = ['''ignore''']\n"
			       "paths = ['''^test/''']\n"
			       "[[rules]]\n"
			       "id = \"gitlab-token\"\n"
			       "[[rules.allowlists]]\n"
			       "regexes = ['''glpat-0+''']\n"
			       "[allowlist]\n"
			       "paths = ['''^vendor/''']\n"
			       "[[allowlists]]\n"
			       "targetRules = [\"my-token\"]\n"
			       "regexTarget = \"match\"\n"
			       "regexes = ['''tok_0''']\n",
			       &msg),
			 0);
	assert_false(c.no_builtins);
	assert_int_equal(c.ndisabled, 3); /* github-pat is ours as github-token */
	assert_string_equal(c.disabled[2], "github-token");
	assert_int_equal(c.nrules, 1);
	struct shp_secret_rule *r = &c.rules[0];
	assert_string_equal(r->id, "my-token");
	assert_string_equal(r->title, "My token");
	assert_int_equal(r->group, 2);
	assert_true(r->first_group);
	assert_true(r->entropy == 2.5);
	assert_int_equal(r->nkeywords, 1);
	assert_int_equal(r->nallows, 2);
	assert_int_equal(r->allows[0].nstopwords, 1);
	assert_false(r->allows[0].all);
	assert_true(r->allows[1].all);
	assert_int_equal(r->allows[1].target, SHP_ALLOW_LINE);
	/* the built-in rule extended, the global ones */
	assert_int_equal(c.nallows, 3);
	assert_string_equal(c.allows[0].rules[0], "gitlab-token");
	assert_int_equal(c.allows[0].target, SHP_ALLOW_SECRET);
	assert_int_equal(c.allows[1].nrules, 0);
	assert_string_equal(c.allows[1].paths[0], "^vendor/");
	assert_string_equal(c.allows[2].rules[0], "my-token");
	assert_int_equal(c.allows[2].target, SHP_ALLOW_MATCH);
	shp_secret_config_free(&c);

	/* without [extend] useDefault the file's rules replace the built-in ones */
	assert_int_equal(parse(&c, "x.toml", "[[rules]]\nid = \"a\"\nregex = \"a\"\n", &msg), 0);
	assert_true(c.no_builtins);
	shp_secret_config_free(&c);
}

static void test_gitleaks_errors(void **s)
{
	(void)s;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"[[rules]]\nid = \"x\"\nregex = \"a(b\"\n", "g.toml: rules[0] (x): regex: invalid regex at offset 3"},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\nsecretGroup = 2\n",
		 "g.toml: rules[0] (x).secretGroup: 2, but the regex has 0 groups"},
		{"[[rules]]\nid = \"x\"\nregex = 3\n", "g.toml: rules[0] (x).regex: expected a string"},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\nentropy = \"high\"\n",
		 "g.toml: rules[0] (x).entropy: expected"},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\nkeywords = \"a\"\n",
		 "g.toml: rules[0] (x).keywords: expected a "
		 "list"},
		{"[[rules]]\nid = \"x\"\npath = \"a\"\n", "g.toml: rules[0] (x): no regex"},
		{"[[rules]]\nregex = \"a\"\n", "g.toml: rules[0]: expected an id"},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\n[[rules.allowlists]]\ncondition = \"XOR\"\n",
		 "g.toml: rules[0] (x).allowlists[0].condition: expected \"OR\" or \"AND\""},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\n[[rules.allowlists]]\nregexTarget = \"file\"\n",
		 "g.toml: rules[0] (x).allowlists[0].regexTarget: expected"},
		{"[allowlist]\npaths = ['''(''']\n", "g.toml: allowlist.paths: regex: invalid regex"},
		{"[extend]\npath = \"/nonexistent/base.toml\"\n", "g.toml: extend.path: /nonexistent/base.toml: "},
		{"[extend]\npath = \"b.toml\"\nuseDefault = true\n", "g.toml: extend: useDefault and path cannot both"},
		{"[extend]\nuseDefault = \"yes\"\n", "g.toml: extend.useDefault: expected true or false"},
		{"[[rules]]\nid = \"x\"\nregex = \"a\"\n[[rules.required]]\nid = \"y\"\n",
		 "g.toml: rules[0] (x).required: composite rules are not supported"},
		{"rules = 1\n", "g.toml: rules: expected a list"},
		{"[[rules]\n", "g.toml:1:"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct shp_secret_config c;
		char *msg;
		assert_int_equal(parse(&c, "g.toml", bad[i].text, &msg), -1);
		if (strncmp(msg, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("%s: got \"%s\"", bad[i].text, msg);
		free(msg);
	}
}

/* [extend] path: the file extended is read first; a rule of the same id replaces its rule, or
 * without a regex adds its allowlists; its useDefault decides on the built-in rules. */
static void test_gitleaks_extend(void **s)
{
	(void)s;
	char base[] = "/tmp/shp-gl-base-XXXXXX", mid[] = "/tmp/shp-gl-mid-XXXXXX", top[] = "/tmp/shp-gl-top-XXXXXX";
	int fd = mkstemp(base);
	assert_true(fd >= 0);
	const char *b = "[extend]\nuseDefault = true\n[[rules]]\nid = \"a\"\nregex = \"a+\"\n"
			"[[rules]]\nid = \"b\"\nregex = \"b+\"\n[allowlist]\npaths = [\"^x/\"]\n";
	assert_int_equal(write(fd, b, strlen(b)), (ssize_t)strlen(b));
	close(fd);
	char text[512];
	snprintf(text, sizeof text,
		 "[extend]\npath = \"%s\"\n[[rules]]\nid = \"a\"\nregex = \"aa+\"\n[[rules]]\nid = \"b\"\n"
		 "[[rules.allowlists]]\nstopwords = [\"bbbb\"]\n[[rules]]\nid = \"c\"\nregex = \"c+\"\n",
		 base);
	struct shp_secret_config c;
	char *msg;
	assert_int_equal(parse(&c, "top.toml", text, &msg), 0);
	assert_false(c.no_builtins); /* the base's useDefault */
	assert_int_equal(c.nrules, 3);
	assert_string_equal(c.rules[0].id, "a");
	assert_string_equal(c.rules[0].regex, "aa+");
	assert_string_equal(c.rules[1].regex, "b+");
	assert_int_equal(c.rules[1].nallows, 1);
	assert_string_equal(c.rules[2].id, "c");
	assert_int_equal(c.nallows, 1);
	shp_secret_config_free(&c);
	/* three files chained are gitleaks' most; four are one too many */
	fd = mkstemp(mid);
	assert_true(fd >= 0);
	snprintf(text, sizeof text, "[extend]\npath = \"%s\"\n", base);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(text, sizeof text, "[extend]\npath = \"%s\"\n", mid);
	assert_int_equal(parse(&c, "top.toml", text, &msg), 0);
	assert_int_equal(c.nrules, 2);
	shp_secret_config_free(&c);
	fd = mkstemp(top);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(text, sizeof text, "[extend]\npath = \"%s\"\n", top);
	assert_int_equal(parse(&c, "four.toml", text, &msg), -1);
	assert_non_null(strstr(msg, "extends deeper than 2 files"));
	free(msg);
	unlink(base);
	unlink(mid);
	unlink(top);
}

/* The scanner under one configuration (once a process): what it reports in a text. */
struct hit {
	char id[64];
	char secret[64];
};
struct hits {
	struct hit v[16];
	size_t n;
	const char *text;
};

static void on_hit(void *arg, int kind, size_t start, size_t end)
{
	struct hits *h = arg;
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	assert_true((size_t)kind < nk);
	if (h->n < 16) {
		snprintf(h->v[h->n].id, sizeof h->v[h->n].id, "%s", k[kind].id);
		snprintf(h->v[h->n].secret, sizeof h->v[h->n].secret, "%.*s", (int)(end - start), h->text + start);
		h->n++;
	}
}

static struct hits scan(const char *text, const char *path)
{
	struct hits h = {.text = text};
	shp_secrets_scan(text, strlen(text), path, on_hit, &h);
	return h;
}

static void test_engine(void **s)
{
	(void)s;
	struct shp_secret_config c;
	char *msg;
	const char *aws = "AKIA"
			  "ZXCVBNMASDFGHJKL";
	assert_int_equal(parse(&c, ".gitleaks.toml",
			       "[extend]\n"
			       "useDefault = true\n"
			       "disabledRules = [\"aws-access-key-id\"]\n"
			       "[[rules]]\n"
			       "id = \"my-token\"\n"
			       "description = \"My token\"\n"
			       "regex = '''tok_([0-9a-f]{8})([0-9a-f]{8})'''\n"
			       "secretGroup = 2\n"
			       "entropy = 2.0\n"
			       "keywords = [\"TOK_\"]\n"
			       "[[rules.allowlists]]\n"
			       "stopwords = [\"dead\"]\n"
			       "[[rules.allowlists]]\n"
			       "regexTarget = \"line\"\n"
			       "regexes = ['''#\\s*fake''']\n"
			       "[[rules]]\n"
			       "id = \"redos\"\n"
			       "regex = '''(a|aa)+$'''\n"
			       "[allowlist]\n"
			       "paths = ['''^vendor/''']\n",
			       &msg),
			 0);
	struct shp_error *err = NULL;
	assert_int_equal(shp_secrets_configure(&c, &err), 0);
	shp_secret_config_free(&c);
	assert_non_null(shp_secrets_config_digest());
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	assert_string_equal(k[nk - 2].id, "my-token");
	assert_string_equal(k[nk - 2].title, "My token (my-token)");
	assert_int_equal(k[nk - 2].severity, 0);

	/* the new rule fires, its secret the group named, in any keyword case */
	struct hits h = scan("x = tok_0123abcd9f8e7d6c\n", "app/x");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].id, "my-token");
	assert_string_equal(h.v[0].secret, "9f8e7d6c");
	/* allowlists: a stopword in the secret, a regex on the line, a global path */
	assert_int_equal(scan("x = tok_0123abcd9f8edead\n", "app/x").n, 0);
	assert_int_equal(scan("x = tok_0123abcd9f8e7d6c # fake\n", "app/x").n, 0);
	assert_int_equal(scan("x = tok_0123abcd9f8e7d6c\n", "vendor/x").n, 0);
	/* the entropy floor: a secret of one repeated digit is not one */
	assert_int_equal(scan("x = tok_0123abcd00000000\n", "app/x").n, 0);
	/* the disabled built-in no longer fires; the others do */
	char text[256];
	snprintf(text, sizeof text, "id = %s\n", aws);
	assert_int_equal(scan(text, "app/x").n, 0);
	h = scan("-----BEGIN OPENSSH PRIVATE "
		 "KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
		 "-----END OPENSSH PRIVATE KEY-----\n",
		 "app/k");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].id, "private-key");
	/* a regex that backtracks without end gives up at PCRE2's limit */
	static char many[1 << 16];
	memset(many, 'a', sizeof many - 2);
	many[sizeof many - 2] = '!';
	assert_int_equal(scan(many, "app/a").n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trivy),		cmocka_unit_test(test_trivy_errors),
		cmocka_unit_test(test_gitleaks),	cmocka_unit_test(test_gitleaks_errors),
		cmocka_unit_test(test_gitleaks_extend), cmocka_unit_test(test_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
