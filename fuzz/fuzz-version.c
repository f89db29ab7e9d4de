/* fuzz-version.c - libFuzzer target: two versions (split at the first newline) through the
 * deb, apk, rpm, semver, PEP 440 and Maven orders. Each must not read past the strings; all but
 * apk must be antisymmetric and reflexive (apk is too, for versions apk itself accepts). */
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
	int (*const total[])(const char *, const char *) = {shp_vercmp_deb, shp_vercmp_rpm, shp_vercmp_semver,
							     shp_vercmp_pep440, shp_vercmp_maven};
	for (size_t i = 0; i < sizeof total / sizeof total[0]; i++) {
		if (sgn(total[i](a, b)) != -sgn(total[i](b, a)) || total[i](a, a) != 0)
			abort();
	}
	(void)shp_vercmp_apk(a, b);
	(void)shp_vercmp_apk(b, a);
	free(s);
	return 0;
}
