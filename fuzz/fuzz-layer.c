/* fuzz-layer.c - libFuzzer target: arbitrary bytes as a layer blob (gzip, zstd or plain
 * tar by magic), through decompression, the tar reader and the content secret scanner. */
#include "image/image.h"
#include "image/store.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_layer_scan scan = {0};
	struct shp_src src = shp_src_memory(data, size);
	struct shp_error *err = NULL;
	struct shp_layer_budget b;
	shp_layer_budget_init(&b, 64u << 20, 0);
	if (shp_layer_read(&src, "fuzz", &b, &scan, &err) < 0)
		shp_error_free(err);
	free(src.error);
	shp_layer_scan_free(&scan);
	return 0;
}
