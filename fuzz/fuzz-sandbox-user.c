/* fuzz-sandbox-user.c - libFuzzer target: the user slim's sandbox runs a command as, from an
 * image config's User and the image's /etc/passwd and /etc/group (all three the image's, so
 * hostile): the input is the three, split at NUL bytes. */
#include "slim/sandbox.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	/* a copy of its own size, NUL-terminated: a read past the end is caught */
	char *d = malloc(size + 1);
	if (!d)
		return 0;
	memcpy(d, data, size);
	d[size] = 0;
	const char *spec = d, *passwd = "", *group = "";
	size_t n = strlen(spec);
	if (n < size) {
		passwd = d + n + 1;
		size_t m = strlen(passwd);
		if (n + 1 + m < size)
			group = passwd + m + 1;
	}
	struct shp_sandbox_ident id;
	char why[256];
	shp_sandbox_user(spec, passwd, group, &id, why, sizeof why);
	free(d);
	return 0;
}
