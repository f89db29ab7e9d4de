/* fuzz-image.c - libFuzzer target: arbitrary bytes as an image tarball: the outer tar
 * index, manifest.json / index.json / config readers, layer streaming, the union view and
 * every image rule, the waste list and each layer's paths (image --waste, --files), and
 * slim's reading passes and closure (a dry run: nothing is written).
 * The input goes through a memfd, as a file would. The budgets are small, so that inputs of
 * a few KB reach each of them: the archive's bytes, entries and names, and the layers'
 * bytes and names together. */
#include "image/image.h"
#include "image/union.h"
#include "rules/image.h"
#include "slim/slim.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-image", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct shp_image_opts o = {.max_layer_bytes = 64u << 20,
				   .max_image_bytes = 16u << 20,
				   .max_archive_entries = 64,
				   .max_archive_name_bytes = 4096,
				   .max_name_bytes = 64u << 10,
				   .jobs = 1};
	struct shp_image *img = NULL;
	struct shp_error *err = NULL;
	if (shp_image_open(path, &o, &img, &err) == 0 && shp_image_scan(img, &o, &err) == 0) {
		struct shp_union u;
		struct shp_findings f = {0};
		shp_union_build(&u, img);
		shp_image_check(img, &u, NULL, &f);
		shp_findings_free(&f);
		struct shp_waste *w = NULL;
		size_t nw = shp_union_waste(&u, &w);
		shp_union_waste_free(w, nw);
		for (size_t L = 0; L < img->nlayers; L++) {
			struct shp_layer_change *v = NULL;
			shp_union_layer_changes(&u, (int)L, &v);
			free(v);
		}
		struct shp_slim_opts so = {.dry_run = 1, .max_layer_bytes = 64u << 20, .jobs = 1};
		struct shp_slim_result res;
		struct shp_error *serr = NULL;
		if (shp_slim(img, &u, &so, &res, &serr) < 0)
			shp_error_free(serr);
		shp_slim_result_free(&res);
		shp_union_free(&u);
	}
	shp_error_free(err);
	shp_image_free(img);
	close(fd);
	return 0;
}
