/* fuzz-config.c - libFuzzer target: arbitrary bytes as .shipshape.yaml / .hadolint.yaml /
 * .dive-ci (skip-files patterns compiled and matched), as a .trivyignore and a
 * .trivyignore.yaml (its paths matched), and as one of dive's byte sizes. */
#include "config/config.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "util/size.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	if (shp_config_parse(&cfg, "fuzz.yaml", (const char *)data, size, &err) < 0) {
		shp_error_free(err);
		err = NULL;
	}
	shp_policy_skips(&cfg, "/usr/share/doc/a.pem");
	struct shp_waste_limits w = shp_config_waste(&cfg);
	if (w.set & ~(unsigned)(SHP_WASTE_EFFICIENCY | SHP_WASTE_BYTES | SHP_WASTE_USER_PERCENT))
		abort();
	shp_config_free(&cfg);
	shp_config_parse_trivyignore(&cfg, (const char *)data, size, "2026-01-01");
	shp_config_free(&cfg);
	if (shp_config_parse_trivyignore_yaml(&cfg, "fuzz.yaml", (const char *)data, size, "2026-01-01", &err) < 0)
		shp_error_free(err);
	const struct shp_rule *r = shp_rule_find("DS002");
	struct shp_finding x = {.rule = r, .severity = r->severity, .file = "api/Dockerfile"};
	shp_policy_keep(&cfg, &x, SHP_POLICY_ALL);
	shp_config_free(&cfg);
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = 0;
		uint64_t b;
		shp_parse_size(s, SHP_SIZE_SI, &b);
		shp_parse_size(s, SHP_SIZE_BINARY, &b);
		free(s);
	}
	return 0;
}
