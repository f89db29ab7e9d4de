/* manifest.c - platforms of index entries, and the choice of one (see manifest.h). */
#include "image/manifest.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdlib.h>
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

const cJSON *shp_index_choose(const char *input, const cJSON *index, const char *what, const char *want,
			      char **platform, struct shp_error **err)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(index, "manifests"), *d;
	if (!cJSON_IsArray(ms)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: index %s: no \"manifests\" list", input, what);
		return NULL;
	}
	struct shp_buf seen = {0};
	cJSON_ArrayForEach(d, ms)
	{
		const char *mt = shp_json_str(d, "mediaType");
		if (shp_desc_is_attestation(d) || (!shp_mt_is_manifest(mt) && !shp_mt_is_index(mt)))
			continue;
		char *p = shp_platform_of(d);
		/* an entry without a platform is taken when it is the only image */
		if (shp_platform_matches(p, want) || (!p && !want && cJSON_GetArraySize(ms) == 1)) {
			free(seen.data);
			*platform = p;
			return d;
		}
		shp_buf_printf(&seen, "%s%s", seen.len ? ", " : "", p ? p : "(no platform)");
		free(p);
	}
	_cleanup_free_ char *list = seen.len ? shp_buf_steal(&seen) : NULL;
	shp_error_set(err, SHP_EXIT_INPUT, "%s: no image for platform %s in index %s; it has %s%s", input,
		      want ? want : SHP_DEFAULT_PLATFORM, what, list ? list : "no image",
		      list ? " (choose one with --platform)" : "");
	return NULL;
}
