/* fuzz-cache.c - libFuzzer target: arbitrary bytes as the body of a layer cache record (the
 * checksum that guards a whole record is what the fuzzer could not forge), then as a whole
 * record; what decodes is encoded again and must decode to the same bytes. */
#include "image/cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_layer_scan scan = {0};
	if (shp_cache_decode_body((const char *)data, size, &scan) == 0) {
		size_t n, m;
		char *rec = shp_cache_encode(&scan, &n);
		struct shp_layer_scan again = {0};
		if (shp_cache_decode(rec, n, &again) != 0)
			abort();
		char *rec2 = shp_cache_encode(&again, &m);
		if (m != n || memcmp(rec, rec2, n))
			abort();
		free(rec2);
		free(rec);
		shp_layer_scan_free(&again);
	}
	shp_layer_scan_free(&scan);
	struct shp_layer_scan whole = {0};
	shp_cache_decode((const char *)data, size, &whole);
	shp_layer_scan_free(&whole);
	return 0;
}
