/* fuzz-rpmmd.c - libFuzzer target: rpm-md errata (updateinfo.xml, plain or compressed) read
 * as a stream, and the same bytes as a repomd.xml whose errata location is looked up. */
#include "vuln/rpmmd.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const struct shp_rpmmd_update *u, struct shp_error **err)
{
	(void)err;
	size_t *n = arg;
	*n += u->npkgs + u->ncves + 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_error *err = NULL;
	size_t n = 0;
	shp_rpmmd_read_buffer(data, size, "fuzz", count, &n, &err);
	shp_error_free(err);
	err = NULL;
	char *href = NULL;
	shp_rpmmd_updateinfo_href((const char *)data, size, &href, &err);
	free(href);
	shp_error_free(err);
	return 0;
}
