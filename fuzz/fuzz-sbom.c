/* fuzz-sbom.c - libFuzzer target: a CycloneDX or SPDX JSON SBOM (and its purls) read into
 * packages; every package read must have a name, a version and a source. */
#include "pkg/sbom.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_pkgs p = {0};
	struct shp_os os = {0};
	struct shp_error *err = NULL;
	(void)shp_sbom_detect((const char *)data, size);
	if (shp_sbom_read("fuzz.json", (const char *)data, size, &p, &os, &err) == 0) {
		for (size_t i = 0; i < p.n; i++)
			if (!p.v[i].name || !p.v[i].version || !p.v[i].source || !p.v[i].source_version)
				abort();
		(void)shp_os_key(&os, &p.arena);
	}
	shp_error_free(err);
	shp_pkgs_free(&p);
	return 0;
}
