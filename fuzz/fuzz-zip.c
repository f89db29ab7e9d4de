/* fuzz-zip.c - libFuzzer target: the bytes opened as a zip and every entry read, with a
 * small limit on an entry's size so that a claimed size never costs much memory. */
#include "util/zip.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sanity limit: bytes one entry may inflate to here. */
#define FUZZ_MAX_ENTRY (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shp_zip_inflater *inf;
	if (!inf)
		inf = shp_zip_inflater_new();
	struct shp_error *err = NULL;
	struct shp_zip z;
	if (shp_zip_open(&z, data, size, "fuzz", FUZZ_MAX_ENTRY, &err) < 0) {
		shp_error_free(err);
		return 0;
	}
	struct shp_zip_iter it = {0};
	struct shp_zip_entry e;
	while (shp_zip_next(&z, &it, &e, &err) == 1) {
		/* exactly e.size bytes, so that ASan sees a write past them */
		void *out = malloc(e.size ? e.size : 1);
		int rc = shp_zip_read(&z, &e, out, inf, &err);
		free(out);
		if (rc < 0)
			break;
	}
	shp_error_free(err);
	return 0;
}
