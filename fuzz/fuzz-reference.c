/* fuzz-reference.c - libFuzzer target: an image argument through the reference parser, as a
 * path that is there and as one that is not. It must not read past the string, and what it
 * returns must hold: a path always, a REF only after a transport that takes one and never
 * empty, an error with exit 2 that names the argument. */
#include "image/reference.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	for (int exists = 0; exists < 2; exists++) {
		struct shp_image_ref r;
		struct shp_error *err = NULL;
		if (shp_image_ref_parse(s, exists, &r, &err) < 0) {
			if (exists || !err || err->code != SHP_EXIT_USAGE || !strstr(err->msg, s))
				abort();
			shp_error_free(err);
			continue;
		}
		if (!r.path || err || (exists && r.transport))
			abort();
		if (r.name && (!r.transport || !r.transport->has_ref || !*r.name || !*r.path))
			abort();
		shp_image_ref_free(&r);
		free(shp_image_ref_path(s));
	}
	free(s);
	return 0;
}
