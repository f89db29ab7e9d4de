/* fuzz-version.c - libFuzzer target: two versions (split at the first newline) through every
 * ecosystem's order in the table. Each must not read past the strings; all but apk's must be
 * antisymmetric and reflexive (apk's is too, for versions apk itself accepts). */
#include "pkg/version.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sgn(int x) { return (x > 0) - (x < 0); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	char *nl = strchr(s, '\n');
	const char *a = s, *b = "";
	if (nl) {
		*nl = 0;
		b = nl + 1;
	}
	for (int t = 0; t < SHP_PKG_NTYPES; t++) {
		int (*cmp)(const char *, const char *) = shp_eco((enum shp_pkg_type)t)->vercmp;
		int ab = cmp(a, b), ba = cmp(b, a);
		if (t != SHP_PKG_APK && (sgn(ab) != -sgn(ba) || cmp(a, a) != 0))
			abort();
	}
	free(s);
	return 0;
}
