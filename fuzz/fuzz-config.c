/* fuzz-config.c - libFuzzer target: arbitrary bytes as .shipshape.yaml / .hadolint.yaml, and
 * as a .trivyignore. */
#include "config/config.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	struct shp_error *err = NULL;
	if (shp_config_parse(&cfg, "fuzz.yaml", (const char *)data, size, &err) < 0)
		shp_error_free(err);
	shp_config_free(&cfg);
	shp_config_parse_trivyignore(&cfg, (const char *)data, size, "2026-01-01");
	shp_config_free(&cfg);
	return 0;
}
