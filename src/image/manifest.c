/* manifest.c - platforms of index entries (see manifest.h). */
#include "image/manifest.h"
#include "util/xalloc.h"

#include <string.h>

char *shp_platform_of(const cJSON *d)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(d, "platform");
	const char *os = shp_json_str(p, "os"), *arch = shp_json_str(p, "architecture"),
		   *var = shp_json_str(p, "variant");
	if (!os || !arch)
		return NULL;
	return var ? shp_asprintf("%s/%s/%s", os, arch, var) : shp_asprintf("%s/%s", os, arch);
}

int shp_platform_matches(const char *have, const char *want)
{
	if (!want)
		want = SHP_DEFAULT_PLATFORM;
	size_t l = strlen(want);
	return have && !strncmp(have, want, l) && (!have[l] || have[l] == '/');
}

int shp_desc_is_attestation(const cJSON *d)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "annotations");
	const char *t = shp_json_str(a, "vnd.docker.reference.type");
	if (t && !strcmp(t, "attestation-manifest"))
		return 1;
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(d, "platform");
	const char *os = shp_json_str(p, "os"), *arch = shp_json_str(p, "architecture");
	return os && arch && !strcmp(os, "unknown") && !strcmp(arch, "unknown");
}
