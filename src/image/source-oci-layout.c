/* source-oci-layout.c - OCI image layouts (a directory or a tar): index.json leads, through
 * nested indexes, to image manifests; one is chosen by --image (ref name annotation) and
 * --platform (default linux/amd64). Every manifest, index and config is checked against
 * the digest that points at it. */
#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <string.h>

struct candidate {
	char *digest;
	char *ref;	/* org.opencontainers.image.ref.name, or NULL */
	char *platform; /* os/arch[/variant] from the descriptor, or NULL */
};

struct walk {
	struct shp_image *img;
	struct candidate *v;
	size_t n, cap;
};

char *shp_blob_file(struct shp_image *img, const char *dir, const char *digest, const char *suffix,
		    struct shp_error **err)
{
	if (!digest || strncmp(digest, "sha256:", 7) || !shp_digest_valid(digest)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: unsupported or malformed digest \"%s\"", img->input,
			      digest ? digest : "(none)");
		return NULL;
	}
	return shp_asprintf("%s%s%s", dir, digest + 7, suffix);
}

static char *blob_name(const char *digest, struct shp_image *img, struct shp_error **err)
{
	return shp_blob_file(img, "blobs/sha256/", digest, "", err);
}

static const char *ref_of(const cJSON *d)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "annotations");
	const char *r = shp_json_str(a, "org.opencontainers.image.ref.name");
	return r ? r : shp_json_str(a, "io.containerd.image.name");
}

static int walk_index(struct walk *w, const cJSON *index, const char *where, const char *ref, int depth,
		      struct shp_error **err)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(index, "manifests");
	if (!cJSON_IsArray(ms))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: no \"manifests\" list", w->img->input, where);
	const cJSON *d;
	cJSON_ArrayForEach(d, ms)
	{
		const char *mt = shp_json_str(d, "mediaType"), *digest = shp_json_str(d, "digest");
		const char *r = ref_of(d) ? ref_of(d) : ref;
		int is_index = shp_mt_is_index(mt);
		int is_manifest = shp_mt_is_manifest(mt);
		if ((!is_index && !is_manifest) || shp_desc_is_attestation(d))
			continue; /* attestations, signatures, artifacts of unknown types */
		if (is_index) {
			if (depth >= SHP_IMG_MAX_INDEX_DEPTH)
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: indexes nested deeper than %d",
						     w->img->input, SHP_IMG_MAX_INDEX_DEPTH);
			_cleanup_free_ char *name = blob_name(digest, w->img, err);
			if (!name)
				return -1;
			cJSON *sub = NULL;
			if (shp_image_read_json(w->img, name, digest, &sub, err) < 0)
				return -1;
			int rc = walk_index(w, sub, name, r, depth + 1, err);
			cJSON_Delete(sub);
			if (rc < 0)
				return -1;
			continue;
		}
		if (!digest)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: a manifest descriptor without a digest",
					     w->img->input, where);
		struct candidate c = {shp_xstrdup(digest), r ? shp_xstrdup(r) : NULL, shp_platform_of(d)};
		SHP_PUSH(w->v, w->n, w->cap, c);
	}
	return 0;
}

static int ref_matches(const char *ref, const char *c_digest, const char *want)
{
	if (!strncmp(want, "sha256:", 7) && !strncmp(c_digest, want, strlen(want)))
		return 1; /* a digest (or a prefix of one) picks a manifest */
	if (!ref)
		return 0;
	if (!strcmp(ref, want))
		return 1;
	/* a bare tag "v1" in the layout matches "name:v1" */
	const char *colon = strrchr(want, ':');
	return colon && !strchr(colon, '/') && !strcmp(ref, colon + 1);
}

static void list_candidates(struct shp_buf *b, const struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		shp_buf_printf(b, "\n  %s %.19s%s%s", w->v[i].ref ? w->v[i].ref : "(no name)", w->v[i].digest,
			       w->v[i].platform ? " " : "", w->v[i].platform ? w->v[i].platform : "");
}

static int choose(struct walk *w, const struct shp_image_opts *o, struct candidate **out, struct shp_error **err)
{
	struct shp_image *img = w->img;
	if (w->n == 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: index.json lists no image manifest", img->input);
	/* by name */
	size_t keep = 0;
	for (size_t i = 0; i < w->n; i++)
		if (!o->name || ref_matches(w->v[i].ref, w->v[i].digest, o->name))
			w->v[keep++] = w->v[i];
		else {
			free(w->v[i].digest);
			free(w->v[i].ref);
			free(w->v[i].platform);
		}
	size_t total = w->n;
	w->n = keep;
	if (keep == 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: no image named %s among the %zu in the layout",
				     img->input, o->name, total);
	/* by platform, where the descriptors say */
	const char *want = o->platform ? o->platform : SHP_DEFAULT_PLATFORM;
	struct candidate *match = NULL;
	size_t nplat = 0, nmatch = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (!w->v[i].platform)
			continue;
		nplat++;
		if (shp_platform_matches(w->v[i].platform, want)) {
			if (!match)
				match = &w->v[i];
			nmatch++;
		}
	}
	if (nplat && !match && (o->platform || (nplat == w->n && w->n > 1))) {
		struct shp_buf b = {0};
		list_candidates(&b, w);
		_cleanup_free_ char *list = shp_buf_steal(&b);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: no image for platform %s; choose one with --platform:%s",
				     img->input, want, list);
	}
	if (match) {
		*out = match;
		return 0;
	}
	/* distinct names without platforms: the user has to say which */
	for (size_t i = 1; i < w->n; i++)
		if (strcmp(w->v[i].digest, w->v[0].digest)) {
			struct shp_buf b = {0};
			list_candidates(&b, w);
			_cleanup_free_ char *list = shp_buf_steal(&b);
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: %zu images in the layout; choose one with --image:%s", img->input,
					     w->n, list);
		}
	*out = &w->v[0];
	return 0;
}

static int oci_layout_open(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	cJSON *index = NULL;
	if (shp_image_read_json(img, "index.json", NULL, &index, err) < 0)
		return -1;
	struct walk w = {.img = img};
	int rc = walk_index(&w, index, "index.json", NULL, 0, err);
	cJSON_Delete(index);
	struct candidate *c = NULL;
	if (rc == 0)
		rc = choose(&w, o, &c, err);
	cJSON *man = NULL;
	_cleanup_free_ char *mname = NULL;
	if (rc == 0) {
		mname = blob_name(c->digest, img, err);
		rc = mname ? shp_image_read_json(img, mname, c->digest, &man, err) : -1;
	}
	if (rc == 0) {
		img->manifest_digest = shp_xstrdup(c->digest);
		img->ref = c->ref ? shp_xstrdup(c->ref) : NULL;
		img->platform = c->platform ? shp_xstrdup(c->platform) : NULL;
	}
	for (size_t i = 0; i < w.n; i++) {
		free(w.v[i].digest);
		free(w.v[i].ref);
		free(w.v[i].platform);
	}
	free(w.v);
	if (rc < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *man_owned = man;
	(void)man_owned; /* freed on return */
	return shp_image_from_manifest(img, man, "blobs/sha256/", img->manifest_digest, err);
}

int shp_image_from_manifest(struct shp_image *img, const cJSON *man, const char *dir, const char *what,
			    struct shp_error **err)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(man, "config");
	const char *cdigest = shp_json_str(cfg, "digest");
	_cleanup_free_ char *cname = shp_blob_file(img, dir, cdigest, "", err);
	if (!cname)
		return shp_error_wrap(err, "manifest %s: config", what);
	if (shp_image_read_json(img, cname, cdigest, &img->config, err) < 0)
		return -1;
	img->config_digest = shp_xstrdup(cdigest);
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(man, "layers"), *l;
	if (!cJSON_IsArray(layers))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest %s: no \"layers\" list", img->input, what);
	cJSON_ArrayForEach(l, layers)
	{
		const char *d = shp_json_str(l, "digest");
		_cleanup_free_ char *name = shp_blob_file(img, dir, d, "", err);
		if (!name)
			return shp_error_wrap(err, "manifest %s: layer", what);
		if (shp_image_add_layer(img, name, shp_xstrdup(d), err) < 0)
			return -1;
	}
	return shp_image_apply_config(img, err);
}

/* index.json leads (an oci-layout file beside it is not required: tools that write only
 * index.json and blobs are read as well). */
static int oci_layout_bid(struct shp_store *s, struct shp_error **err)
{
	int index = shp_store_find(s, "index.json", err);
	return index < 0 ? -1 : index ? SHP_BID_INDEX : 0;
}

const struct shp_source shp_source_oci_layout = {
	.name = "oci-layout",
	.kind = SHP_IMG_OCI_LAYOUT,
	.wants = "index.json",
	.bid = oci_layout_bid,
	.open = oci_layout_open,
};
