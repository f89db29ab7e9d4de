/* fuzz-secret-config.c - libFuzzer target: arbitrary bytes as Trivy's trivy-secret.yaml and
 * as gitleaks' .gitleaks.toml (every regex they hold checked), and as the text of a file
 * scanned under a fixed configuration of custom rules (groups by name and number, keywords,
 * allow rules of each kind, exclude blocks, a backtracking regex). */
#include "secrets/config.h"
#include "secrets/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] = "rules:\n"
			    "  - id: r1\n"
			    "    regex: (?i)(?P<key>secret)\\s*[=:]\\s*['\"](?P<s>[0-9a-z_=-]{4,64})['\"]"
			    "(?:\\s*,\\s*['\"](?P<s>[^'\"]{1,32})['\"])?\n"
			    "    secret-group-name: s\n"
			    "    keywords: [secret]\n"
			    "    allow-rules: [{regex: other}, {path: '\\.md$'}]\n"
			    "    exclude-block: {regexes: ['--- start ---(.|\\s)*--- stop ---']}\n"
			    "  - id: r2\n"
			    "    severity: low\n"
			    "    regex: (a|aa)+b|tok_[0-9a-f]{8}\n"
			    "allow-rules: [{id: g, regex: '^x+$'}]\n"
			    "exclude-block: {regexes: ['(?s)BEGIN-SKIP.*?END-SKIP']}\n"
			    "disable-rules: [jwt-token]\n";

static void on_secret(void *arg, int kind, size_t start, size_t end)
{
	size_t n, len = *(size_t *)arg;
	shp_secret_kinds(&n);
	if (kind < 0 || (size_t)kind >= n || start > end || end > len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int configured;
	if (!configured) {
		struct shp_secret_config c;
		struct shp_error *err = NULL;
		if (shp_secret_config_parse(&c, "fuzz.yaml", rules, strlen(rules), &err) < 0 ||
		    shp_secrets_configure(&c, &err) < 0)
			abort();
		shp_secret_config_free(&c);
		configured = 1;
	}
	const char *text = (const char *)data;
	static const char *const names[] = {"trivy-secret.yaml", ".gitleaks.toml"};
	for (size_t i = 0; i < 2; i++) {
		struct shp_secret_config c;
		struct shp_error *err = NULL;
		if (shp_secret_config_parse(&c, names[i], text, size, &err) < 0)
			shp_error_free(err);
		else
			shp_secret_config_free(&c);
	}
	shp_secrets_scan(text, size, "app/fuzz.txt", on_secret, &size);
	shp_secrets_scan(text, size, NULL, on_secret, &size);
	return 0;
}
