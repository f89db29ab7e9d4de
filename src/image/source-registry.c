/* source-registry.c - images in a registry (docker://): the manifest by tag or digest (an
 * index leads to the one for --platform, default linux/amd64, attestations skipped), the
 * config by its digest, and the layers by theirs, streamed from the registry store. */
#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/store.h"
#include "registry/registry.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A descriptor's digest and size, checked. */
static int desc(struct shp_image *img, const cJSON *d, const char *what, const char **digest, uint64_t *size,
		struct shp_error **err)
{
	*digest = shp_json_str(d, "digest");
	const cJSON *sz = cJSON_GetObjectItemCaseSensitive(d, "size");
	if (!*digest || !shp_digest_valid(*digest))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: unsupported or malformed digest \"%s\"", img->input,
				     what, *digest ? *digest : "(none)");
	if (!cJSON_IsNumber(sz) || sz->valuedouble < 0 || sz->valuedouble > 9007199254740992.0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s %s: no valid size", img->input, what, *digest);
	*size = (uint64_t)sz->valuedouble;
	return 0;
}

static int registry_open(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	struct shp_registry_opts ro = {.username = o->username,
				       .password = o->password,
				       .registry_token = o->registry_token,
				       .insecure = o->insecure,
				       .platform = o->platform,
				       .mirrors = o->mirrors,
				       .nmirrors = o->nmirrors};
	struct shp_registry *reg = shp_store_registry_client(img->store, &ro);
	_cleanup_(shp_docker_ref_free) struct shp_docker_ref ref = {0};
	if (shp_docker_ref_parse(img->input, &ref, err) < 0)
		return -1;
	_cleanup_free_ char *body = NULL, *mt = NULL, *digest = NULL;
	size_t len;
	if (shp_registry_manifest(reg, ref.digest ? ref.digest : ref.tag, &body, &len, &mt, &digest, err) < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *man = shp_json_parse(img->input, body, len, err);
	if (!man)
		return -1;
	img->ref = shp_docker_ref_string(&ref);
	/* an index leads to a manifest (an index in an index, to another: bounded) */
	for (int depth = 0; shp_mt_is_index(mt); depth++) {
		if (depth >= SHP_IMG_MAX_INDEX_DEPTH)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: indexes nested deeper than %d", img->input,
					     SHP_IMG_MAX_INDEX_DEPTH);
		char *platform = NULL;
		const cJSON *d = shp_index_choose(img->input, man, digest, o->platform, &platform, err);
		if (!d)
			return -1;
		free(img->platform);
		img->platform = platform;
		const char *sub;
		uint64_t size;
		if (desc(img, d, "index entry", &sub, &size, err) < 0)
			return -1;
		if (!strcmp(sub, digest))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: index %s lists itself", img->input, digest);
		_cleanup_free_ char *want = shp_xstrdup(sub);
		free(body);
		free(mt);
		free(digest);
		body = mt = digest = NULL;
		if (shp_registry_manifest(reg, want, &body, &len, &mt, &digest, err) < 0)
			return -1;
		if (len != size)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest %s: %zu bytes, and the index says %llu",
					     img->input, want, len, (unsigned long long)size);
		cJSON_Delete(man);
		man = shp_json_parse(img->input, body, len, err);
		if (!man)
			return -1;
	}
	if (!shp_mt_is_manifest(mt))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: manifest %s is %s, not an image manifest (OCI, or Docker schema 2)",
				     img->input, digest, mt ? mt : "of no media type");
	img->manifest_digest = shp_xstrdup(digest);
	const char *cdigest;
	uint64_t csize;
	if (desc(img, cJSON_GetObjectItemCaseSensitive(man, "config"), "config", &cdigest, &csize, err) < 0)
		return shp_error_wrap(err, "manifest %s", digest);
	shp_store_registry_add_blob(img->store, cdigest, csize);
	if (shp_image_read_json(img, cdigest, cdigest, &img->config, err) < 0)
		return -1;
	img->config_digest = shp_xstrdup(cdigest);
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(man, "layers"), *l;
	if (!cJSON_IsArray(layers))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest %s: no \"layers\" list", img->input, digest);
	uint64_t total = 0, max = o->max_image_bytes ? o->max_image_bytes : SHP_IMG_DEFAULT_MAX_IMAGE_BYTES;
	cJSON_ArrayForEach(l, layers)
	{
		const char *ld;
		uint64_t lsize;
		if (desc(img, l, "layer", &ld, &lsize, err) < 0)
			return shp_error_wrap(err, "manifest %s", digest);
		total += lsize;
		if (total > max)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: the layers are more than %llu bytes; raise --max-image-bytes if the "
					     "image is genuine",
					     img->input, (unsigned long long)max);
		shp_store_registry_add_blob(img->store, ld, lsize);
		if (shp_image_add_layer(img, ld, shp_xstrdup(ld), err) < 0)
			return -1;
	}
	return shp_image_apply_config(img, err);
}

const struct shp_source shp_source_registry = {
	.name = "registry",
	.kind = SHP_IMG_REGISTRY,
	.wants = "a manifest",
	.open = registry_open,
};
