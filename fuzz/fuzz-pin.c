/* fuzz-pin.c - libFuzzer target: a file through pin's reference finder, read as a Dockerfile
 * by name and by content, then pinned against a registry that knows every image. Every place
 * found must be inside the text, and pinning must never make a file that reads differently
 * (the check that refuses to write one is a defect when it fires). */
#include "pin/pin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int any_image(void *ctx, const char *ref, char **digest, struct shp_error **err)
{
	(void)ctx;
	(void)err;
	if (strstr(ref, "404"))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: 404", ref);
	*digest = strdup("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	return *digest ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	const struct shp_pin_resolver rs = {any_image, NULL};
	for (int named = 0; named < 2; named++) {
		struct shp_pin_refs r;
		struct shp_error *err = NULL;
		if (shp_pin_find("f", s, size, named, &r, &err) == 0) {
			for (size_t i = 0; i < r.n; i++)
				if (r.v[i].at > size || (r.v[i].ins != SIZE_MAX && r.v[i].ins > size) ||
				    r.v[i].line < 1 || r.v[i].col < 1 || !r.v[i].written ||
				    (r.v[i].ins == SIZE_MAX && !r.v[i].why))
					abort();
			shp_pin_refs_free(&r);
		}
		shp_error_free(err);
		err = NULL;
		for (int check = 0; check < 2; check++) {
			struct shp_pin_run run = {.rs = &rs, .check = check};
			struct shp_findings f = {0};
			char *out = NULL;
			size_t n = 0, pinned = 0;
			int rc = shp_pin_file(&run, "f", s, size, named, &out, &n, &pinned, &f, &err);
			int at = 0, line;
			if (rc < 0 &&
			    sscanf(err->msg, "f:%d: pinning made the file read differently%n", &line, &at) == 1 && at)
				abort();
			if (rc == 0 && (check || !pinned) && (n != size || memcmp(out, s, size)))
				abort(); /* nothing pinned: not a byte changed */
			free(out);
			shp_error_free(err);
			err = NULL;
			shp_findings_free(&f);
			shp_pin_run_free(&run);
		}
	}
	free(s);
	return 0;
}
