/* source-dir.c - skopeo's directory format (skopeo copy REF dir:DIR): manifest.json is the
 * image's manifest as the registry sent it, or (--multi-arch) an index whose images are
 * HEX.manifest.json; every blob is a file named by its sha256 digest's hex; `version` says
 * "Directory Transport Version: 1.1". An index's manifest, the config and the layers are
 * checked against their digests, as an OCI layout's are. */
#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <string.h>

#define VERSION_LINE "Directory Transport Version: 1."

/* An index by its mediaType, else (an OCI index may carry none) by its "manifests". */
static int is_index(const cJSON *m)
{
	const char *mt = shp_json_str(m, "mediaType");
	return mt ? shp_mt_is_index(mt) : cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(m, "manifests"));
}

static int dir_open(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	_cleanup_free_ char *version = NULL;
	size_t len;
	if (shp_store_read(img->store, "version", 4096, &version, &len, err) < 0)
		return -1;
	if (strncmp(version, VERSION_LINE, strlen(VERSION_LINE)))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: version: not \"%s...\" (skopeo's directory format)",
				     img->input, VERSION_LINE);
	/* the manifest as the registry sent it: its digest is the image's */
	char digest[72];
	cJSON *m0 = NULL;
	if (shp_image_read_json_digest(img, "manifest.json", NULL, &m0, digest, NULL, err) < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *man = m0;
	if (is_index(man)) {
		const cJSON *d = shp_index_choose(img->input, man, "manifest.json", o->platform, &img->platform, err);
		if (!d)
			return -1;
		const char *sub = shp_json_str(d, "digest");
		_cleanup_free_ char *name = shp_blob_file(img, "", sub, ".manifest.json", err);
		if (!name)
			return shp_error_wrap(err, "manifest.json");
		cJSON *m = NULL;
		if (shp_image_read_json(img, name, sub, &m, err) < 0)
			return -1;
		snprintf(digest, sizeof digest, "%s", sub); /* sub is man's */
		cJSON_Delete(man);
		man = m;
		if (is_index(man))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: an index in an index", img->input, name);
	}
	img->manifest_digest = shp_xstrdup(digest);
	return shp_image_from_manifest(img, man, "", digest, err);
}

/* Its version file is the format's mark (a docker save's directory has a manifest.json too). */
static int dir_bid(struct shp_store *s, struct shp_error **err)
{
	int version = shp_store_find(s, "version", err);
	if (version <= 0)
		return version;
	int man = shp_store_find(s, "manifest.json", err);
	return man < 0 ? -1 : man ? SHP_BID_MANIFEST + 1 : 0;
}

const struct shp_source shp_source_dir = {
	.name = "dir",
	.kind = SHP_IMG_DIR,
	.wants = "version and manifest.json",
	.bid = dir_bid,
	.open = dir_open,
};
