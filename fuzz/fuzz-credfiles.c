/* fuzz-credfiles.c - libFuzzer target: the same bytes read as /etc/shadow, /etc/passwd,
 * /etc/group and a keystore (JKS, JCEKS or PKCS#12 by its magic) tried with the well-known
 * passwords. */
#include "secrets/credfiles.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *arg, const struct shp_cred_item *it)
{
	size_t *n = arg;
	*n += strlen(it->name) + strlen(it->detail) + it->line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SHP_CRED_FILE_MAX_BYTES)
		return 0;
	/* a copy of its own size: a read past the end is caught */
	char *d = malloc(size ? size : 1);
	if (!d)
		return 0;
	memcpy(d, data, size);
	size_t n = 0;
	shp_shadow_check(d, size, count, &n);
	shp_ids_check(d, size, 0, count, &n);
	shp_ids_check(d, size, 1, count, &n);
	shp_keystore_check("app/fuzz.jks", d, size, count, &n);
	shp_jks_has_key((const unsigned char *)d, size);
	free(d);
	return 0;
}
