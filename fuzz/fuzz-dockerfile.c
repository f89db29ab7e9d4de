/* fuzz-dockerfile.c - libFuzzer target: parse and lint arbitrary bytes as a Dockerfile.
 * Every rule runs, so the shell splitter, substitution and rule helpers are fuzzed too. */
#include "rules/lint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	char *trusted = "docker.io";
	cfg.trusted = &trusted;
	cfg.ntrusted = 1;
	struct shp_findings f = {0};
	struct shp_error *err = NULL;
	if (shp_lint_buffer("fuzz", text, size, &cfg, &f, &err) < 0)
		shp_error_free(err);
	shp_findings_free(&f);
	free(text);
	return 0;
}
