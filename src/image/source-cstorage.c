/* source-cstorage.c - an image in containers-storage (podman, buildah, CRI-O), read from the
 * store on disk (store-cstorage.c): images.json names it (podman's rules for names, IDs and
 * their prefixes), its manifest and config are the image's big data (the config checked
 * against its digest), and its layers are the parent chain in layers.json from its top
 * layer, each one's recorded diff digest checked against the config before its tar is
 * rebuilt and checked again. */
#include "image/cstorage.h"
#include "image/image-internal.h"
#include "image/store.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Names listed when an image is not found or a name is ambiguous. */
#define LIST_MAX 20

static int is_hex(const char *s, size_t n) { return n && strspn(s, "0123456789abcdef") >= n; }

static int has_name(const cJSON *im, const char *name)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(
				      im, "names")) if (cJSON_IsString(n) && !strcmp(n->valuestring, name)) return 1;
	return 0;
}

/* The image with this ID, or whose manifest digest it is ("sha256:..."). */
static const cJSON *by_id_or_digest(const cJSON *images, const char *hex)
{
	const cJSON *im;
	cJSON_ArrayForEach(im, images)
	{
		const char *id = shp_json_str(im, "id"), *d = shp_json_str(im, "digest");
		if ((id && !strcmp(id, hex)) || (d && !strncmp(d, "sha256:", 7) && !strcmp(d + 7, hex)))
			return im;
		const cJSON *x;
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(
					      im, "digests")) if (cJSON_IsString(x) &&
								  !strncmp(x->valuestring, "sha256:", 7) &&
								  !strcmp(x->valuestring + 7, hex)) return im;
	}
	return NULL;
}

/* The names a user's NAME may stand for, in podman's order: as written, then a short name
 * under localhost/ and as Docker normalises it (docker.io/library/NAME), the tag latest
 * when none is given. One per line. */
static char *candidates(const char *name)
{
	struct shp_buf b = {0};
	shp_buf_printf(&b, "%s\n", name);
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	int tagged = strchr(base, ':') || strchr(name, '@');
	const char *first_slash = strchr(name, '/');
	int qualified =
		first_slash && (memchr(name, '.', (size_t)(first_slash - name)) ||
				memchr(name, ':', (size_t)(first_slash - name)) || !strncmp(name, "localhost/", 10));
	const char *tag = tagged ? "" : ":latest";
	if (qualified)
		shp_buf_printf(&b, "%s%s\n", name, tag);
	else {
		shp_buf_printf(&b, "localhost/%s%s\n", name, tag);
		shp_buf_printf(&b, "docker.io/%s%s%s\n", first_slash ? "" : "library/", name, tag);
	}
	return shp_buf_steal(&b);
}

/* "repo:tag" split at the tag's ':' (none: latest). */
static void split_tag(const char *name, char **repo, const char **tag)
{
	const char *slash = strrchr(name, '/');
	const char *colon = strrchr(slash ? slash : name, ':');
	*repo = colon ? shp_xstrndup(name, (size_t)(colon - name)) : shp_xstrdup(name);
	*tag = colon ? colon + 1 : "latest";
}

static void list_images(struct shp_buf *b, const cJSON *images)
{
	size_t k = 0;
	const cJSON *im;
	cJSON_ArrayForEach(im, images)
	{
		if (k++ == LIST_MAX) {
			shp_buf_puts(b, "\n  ...");
			break;
		}
		const char *id = shp_json_str(im, "id");
		const cJSON *n = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(im, "names"), 0);
		shp_buf_printf(b, "\n  %.12s %s", id ? id : "?", cJSON_IsString(n) ? n->valuestring : "(no name)");
	}
}

/* Several images for one name: the user has to say which. */
static int ambiguous(struct shp_image *img, const char *name, const char *how, const cJSON *const *v, size_t n,
		     struct shp_error **err)
{
	struct shp_buf b = {0};
	for (size_t i = 0; i < n && i < LIST_MAX; i++) {
		const cJSON *nm = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(v[i], "names"), 0);
		shp_buf_printf(&b, "\n  %.12s %s", shp_json_str(v[i], "id") ? shp_json_str(v[i], "id") : "?",
			       cJSON_IsString(nm) ? nm->valuestring : "(no name)");
	}
	_cleanup_free_ char *list = shp_buf_steal(&b);
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s %s several images; name one fully or by ID:%s", img->input,
			     name, how, list);
}

/* Finds NAME as podman does: a full ID or digest, a name (as written, then the short-name
 * candidates), an ID prefix, and last a short name that ends the path of one image's
 * repository (cs:one for docker.io/test/cs:one). *ref is the name matched, if any. */
static int find_image(struct shp_image *img, const cJSON *images, const char *name, const cJSON **out, const char **ref,
		      struct shp_error **err)
{
	*out = NULL;
	*ref = NULL;
	const char *hex = !strncmp(name, "sha256:", 7) ? name + 7 : name;
	if (hex != name && !(strlen(hex) == 64 && is_hex(hex, 64)))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s is not a whole sha256 digest", img->input, name);
	if (strlen(hex) == 64 && is_hex(hex, 64) && (*out = by_id_or_digest(images, hex)))
		return 0;
	if (hex != name)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: no image with the ID or digest %s", img->input, name);
	_cleanup_free_ char *cand = candidates(name);
	for (char *c = cand, *nl; (nl = strchr(c, '\n')); c = nl + 1) {
		*nl = 0;
		const cJSON *im;
		cJSON_ArrayForEach(im, images) if (has_name(im, c))
		{
			*out = im;
			const cJSON *n;
			cJSON_ArrayForEach(
				n, cJSON_GetObjectItemCaseSensitive(im, "names")) if (cJSON_IsString(n) &&
										      !strcmp(n->valuestring, c)) *ref =
				n->valuestring;
			return 0;
		}
	}
	/* an ID prefix: after the names, as podman looks (a name may look like hex) */
	const cJSON *v[LIST_MAX + 1];
	size_t n = 0;
	const cJSON *im;
	if (is_hex(name, strlen(name))) {
		cJSON_ArrayForEach(im, images)
		{
			const char *id = shp_json_str(im, "id");
			if (id && !strncmp(id, name, strlen(name)) && n <= LIST_MAX)
				v[n++] = im;
		}
		if (n > 1)
			return ambiguous(img, name, "is the start of the IDs of", v, n, err);
		if (n == 1) {
			*out = v[0];
			return 0;
		}
	}
	/* a short name that ends a repository's path, tags equal */
	if (!strchr(name, '@') && !strstr(name, "://")) {
		_cleanup_free_ char *repo = NULL;
		const char *tag;
		split_tag(name, &repo, &tag);
		size_t rl = strlen(repo);
		const char *match = NULL;
		cJSON_ArrayForEach(im, images)
		{
			const cJSON *nm;
			cJSON_ArrayForEach(nm, cJSON_GetObjectItemCaseSensitive(im, "names"))
			{
				if (!cJSON_IsString(nm))
					continue;
				_cleanup_free_ char *r = NULL;
				const char *t;
				split_tag(nm->valuestring, &r, &t);
				size_t l = strlen(r);
				if (strcmp(t, tag) || l <= rl || strcmp(r + l - rl, repo) || r[l - rl - 1] != '/')
					continue;
				if (!n || v[n - 1] != im) {
					if (n <= LIST_MAX)
						v[n++] = im;
					match = nm->valuestring;
				}
			}
		}
		if (n > 1)
			return ambiguous(img, name, "names", v, n, err);
		if (n == 1) {
			*out = v[0];
			*ref = match;
			return 0;
		}
	}
	struct shp_buf b = {0};
	list_images(&b, images);
	_cleanup_free_ char *list = shp_buf_steal(&b);
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: no image named %s in %s%s%s", img->input, name,
			     shp_cstorage_where(img->store), list[0] ? "; it holds:" : " (it holds no image)", list);
}

static cJSON *read_index(struct shp_image *img, const char *name, struct shp_error **err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (shp_store_read(img->store, name, SHP_CSTORAGE_MAX_INDEX, &data, &len, err) < 0)
		return NULL;
	_cleanup_free_ char *path = shp_cstorage_path(img->store, name);
	_cleanup_free_ char *where = shp_asprintf("%s: %s", img->input, path);
	cJSON *j = shp_json_parse(where, data, len, err);
	if (j && !cJSON_IsArray(j)) {
		cJSON_Delete(j);
		shp_error_set(err, SHP_EXIT_INPUT, "%s: not a JSON array", where);
		return NULL;
	}
	return j;
}

static const cJSON *layer_by_id(const cJSON *layers, const char *id)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, layers)
	{
		const char *x = shp_json_str(l, "id");
		if (x && !strcmp(x, id))
			return l;
	}
	return NULL;
}

/* The image's layers, bottom first, from its top layer down the parent links; each one's
 * recorded diff digest must be the config's diff_id for it. */
static int add_layers(struct shp_image *img, const cJSON *layers, const char *top, struct shp_error **err)
{
	const cJSON *chain[SHP_IMG_MAX_LAYERS];
	size_t n = 0;
	for (const char *id = top; id && *id;) {
		if (n == SHP_IMG_MAX_LAYERS)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: more than %d layers (or a parent loop) in layers.json", img->input,
					     SHP_IMG_MAX_LAYERS);
		const cJSON *l = layer_by_id(layers, id);
		if (!l)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: layer %s is missing from layers.json",
					     img->input, id);
		const cJSON *flags = cJSON_GetObjectItemCaseSensitive(l, "flags");
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(flags, "incomplete")))
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: layer %s is marked incomplete (being written, or left broken)",
					     img->input, id);
		chain[n++] = l;
		id = shp_json_str(l, "parent");
	}
	const cJSON *diff =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(img->config, "rootfs"), "diff_ids");
	if (cJSON_IsArray(diff) && (size_t)cJSON_GetArraySize(diff) != n)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: the config lists %d diff_ids, layers.json chains %zu layers", img->input,
				     cJSON_GetArraySize(diff), n);
	for (size_t i = 0; i < n; i++) {
		const cJSON *l = chain[n - 1 - i];
		const char *id = shp_json_str(l, "id"), *rec = shp_json_str(l, "diff-digest");
		const cJSON *want = cJSON_GetArrayItem(diff, (int)i);
		if (rec && cJSON_IsString(want) && strcmp(rec, want->valuestring))
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: layer %zu (%s): layers.json records the diff digest %s, the config "
					     "says %s",
					     img->input, i + 1, id, rec, want->valuestring);
		_cleanup_free_ char *blob = shp_asprintf("layer/%s", id);
		/* a config without diff_ids: the rebuilt tar is checked against the recorded digest */
		char *digest = !cJSON_IsArray(diff) && rec ? shp_xstrdup(rec) : NULL;
		if (shp_image_add_layer(img, blob, digest, err) < 0)
			return -1;
	}
	return 0;
}

static int cstorage_open(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	const char *name = shp_cstorage_image_name(img->store);
	if (o->name && strcmp(o->name, name))
		return shp_error_set(err, SHP_EXIT_USAGE,
				     "containers-storage:%s: names the image %s, and --image names %s", img->input,
				     name, o->name);
	cJSON *images = read_index(img, "images.json", err);
	if (!images)
		return -1;
	_cleanup_(shp_json_freep) cJSON *images_owned = images;
	(void)images_owned; /* freed on return */
	const cJSON *im;
	const char *ref;
	if (find_image(img, images, name, &im, &ref, err) < 0)
		return -1;
	const char *id = shp_json_str(im, "id");
	if (!id)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: images.json: an image without an \"id\"", img->input);
	if (!ref) {
		const cJSON *n = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(im, "names"), 0);
		ref = cJSON_IsString(n) ? n->valuestring : NULL;
	}
	img->ref = ref ? shp_xstrdup(ref) : NULL;
	/* the manifest, checked against the digest the store recorded for it */
	_cleanup_free_ char *mname = shp_asprintf("image/%s/manifest", id);
	const char *mdigest = shp_json_str(cJSON_GetObjectItemCaseSensitive(im, "big-data-digests"), "manifest");
	if (mdigest && (strncmp(mdigest, "sha256:", 7) || !shp_digest_valid(mdigest)))
		mdigest = NULL; /* another algorithm: the config's digest is checked all the same */
	cJSON *man = NULL;
	if (shp_image_read_json(img, mname, mdigest, &man, err) < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *man_owned = man;
	(void)man_owned; /* freed on return */
	if (cJSON_GetObjectItemCaseSensitive(man, "manifests"))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: image %.12s: its manifest is a list, not an image's",
				     img->input, id);
	const char *cdigest = shp_json_str(cJSON_GetObjectItemCaseSensitive(man, "config"), "digest");
	if (!cdigest || strncmp(cdigest, "sha256:", 7) || !shp_digest_valid(cdigest))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: image %.12s: the manifest names no sha256 config (a schema 1 manifest?)",
				     img->input, id);
	_cleanup_free_ char *cname = shp_asprintf("image/%s/%s", id, cdigest);
	if (shp_image_read_json(img, cname, cdigest, &img->config, err) < 0)
		return -1;
	img->config_digest = shp_xstrdup(cdigest);
	if (mdigest)
		img->manifest_digest = shp_xstrdup(mdigest);
	cJSON *layers = read_index(img, "layers.json", err);
	if (!layers)
		return -1;
	_cleanup_(shp_json_freep) cJSON *layers_owned = layers;
	(void)layers_owned; /* freed on return */
	if (!cJSON_IsObject(img->config))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: the image config is not a JSON object", img->input);
	if (add_layers(img, layers, shp_json_str(im, "layer"), err) < 0)
		return -1;
	return shp_image_apply_config(img, err);
}

const struct shp_source shp_source_cstorage = {
	.name = "containers-storage",
	.kind = SHP_IMG_CSTORAGE,
	.wants = "images.json",
	.bid = NULL,
	.open = cstorage_open,
};
