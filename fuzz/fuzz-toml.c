/* fuzz-toml.c - libFuzzer target: arbitrary bytes as a TOML document (.gitleaks.toml). A
 * document is either read into a tree, which is then written out as JSON, or refused with a
 * message that names the input and a place in it. */
#include "util/toml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_error *err = NULL;
	cJSON *j = shp_toml_parse((const char *)data, size, "fuzz.toml", &err);
	if (!j) {
		if (!err || err->code != SHP_EXIT_INPUT || strncmp(err->msg, "fuzz.toml:", 10) != 0)
			abort();
		shp_error_free(err);
		return 0;
	}
	if (err || !cJSON_IsObject(j))
		abort();
	char *s = cJSON_PrintUnformatted(j);
	free(s);
	cJSON_Delete(j);
	return 0;
}
