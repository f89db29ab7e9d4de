/* source-docker-archive.c - `docker save` / podman / kaniko / skopeo docker-archive:
 * manifest.json names the config and the layer files (which may be symlinks to other
 * entries); several images in one tar are told apart by RepoTags. The legacy form without
 * manifest.json (repositories + <id>/json parent chains) is read too. */
#include "image/image-internal.h"
#include "image/store.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* "sha256:<hex>" when name is "blobs/sha256/<hex>" or "<hex>.json", else NULL. */
static char *digest_from_name(const char *name)
{
	const char *b = strrchr(name, '/');
	b = b ? b + 1 : name;
	/* "<hex>.json" is a naming habit, not a promise: tools that edit a config keep the name */
	if (strlen(b) != 64 || strncmp(name, "blobs/sha256/", 13))
		return NULL;
	char *d = shp_asprintf("sha256:%.64s", b);
	if (!shp_digest_valid(d)) {
		free(d);
		return NULL;
	}
	return d;
}

/* True if want names this tag: exact, or with docker.io/library/ and :latest implied. */
static int tag_matches(const char *tag, const char *want)
{
	if (!strcmp(tag, want))
		return 1;
	_cleanup_free_ char *full = NULL;
	const char *w = want;
	if (!strchr(strrchr(w, '/') ? strrchr(w, '/') : w, ':'))
		w = full = shp_asprintf("%s:latest", want);
	if (!strcmp(tag, w))
		return 1;
	static const char *const prefixes[] = {"docker.io/library/", "docker.io/", "library/", "localhost/"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t l = strlen(prefixes[i]);
		if (!strncmp(tag, prefixes[i], l) && !strcmp(tag + l, w))
			return 1;
		if (!strncmp(w, prefixes[i], l) && !strcmp(w + l, tag))
			return 1;
	}
	return 0;
}

/* skopeo's docker-archive:FILE:@N: the N-th image of manifest.json, from 0. */
static int index_of(const char *name, size_t *at)
{
	if (name[0] != '@' || name[1] < '0' || name[1] > '9' || strlen(name) > 8)
		return 0;
	char *end;
	unsigned long k = strtoul(name + 1, &end, 10);
	if (*end)
		return 0;
	*at = (size_t)k;
	return 1;
}

static char *describe(cJSON *m, size_t i)
{
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(m, "RepoTags");
	struct shp_buf b = {0};
	cJSON *t;
	cJSON_ArrayForEach(t, tags) if (cJSON_IsString(t))
		shp_buf_printf(&b, "%s%s", b.len ? ", " : "", t->valuestring);
	if (!b.len)
		shp_buf_printf(&b, "#%zu (untagged, config %s)", i + 1,
			       shp_json_str(m, "Config") ? shp_json_str(m, "Config") : "?");
	return shp_buf_steal(&b);
}

static int legacy(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err);

static int docker_archive_open(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	if (!shp_store_exists(img->store, "manifest.json"))
		return legacy(img, o, err);
	cJSON *man = NULL;
	if (shp_image_read_json(img, "manifest.json", NULL, &man, err) < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *man_owned = man;
	(void)man_owned; /* freed on return */
	if (!cJSON_IsArray(man) || cJSON_GetArraySize(man) == 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: manifest.json: no image in it (expected a non-empty array)", img->input);
	cJSON *pick = NULL;
	size_t n = (size_t)cJSON_GetArraySize(man), i = 0;
	size_t at;
	if (o->name && index_of(o->name, &at)) {
		pick = at < n ? cJSON_GetArrayItem(man, (int)at) : NULL;
	} else if (o->name) {
		cJSON *m;
		cJSON_ArrayForEach(m, man)
		{
			cJSON *t;
			cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(
						      m, "RepoTags")) if (cJSON_IsString(t) &&
									  tag_matches(t->valuestring, o->name) && !pick)
			{
				pick = m;
				img->ref = shp_xstrdup(t->valuestring);
			}
		}
	} else if (n == 1)
		pick = cJSON_GetArrayItem(man, 0);
	if (!pick) {
		struct shp_buf b = {0};
		cJSON *m;
		cJSON_ArrayForEach(m, man)
		{
			_cleanup_free_ char *d = describe(m, i++);
			shp_buf_printf(&b, "\n  %s", d);
		}
		_cleanup_free_ char *list = shp_buf_steal(&b);
		if (o->name)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: no image tagged %s; the archive holds:%s",
					     img->input, o->name, list);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %zu images in the archive; choose one with --image:%s",
				     img->input, n, list);
	}
	if (!img->ref) {
		cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pick, "RepoTags"), 0);
		if (cJSON_IsString(t))
			img->ref = shp_xstrdup(t->valuestring);
	}
	const char *config = shp_json_str(pick, "Config");
	if (!config)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest.json: the image has no \"Config\"", img->input);
	/* checked when its name is its digest (blobs/sha256/HEX); its digest is the image's ID */
	_cleanup_free_ char *want = digest_from_name(config);
	char id[72];
	if (shp_image_read_json_digest(img, config, want, &img->config, id, &img->config_len, err) < 0)
		return -1;
	img->config_digest = shp_xstrdup(id);
	cJSON *layers = cJSON_GetObjectItemCaseSensitive(pick, "Layers");
	if (!cJSON_IsArray(layers))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest.json: \"Layers\" is not a list", img->input);
	cJSON *l;
	cJSON_ArrayForEach(l, layers)
	{
		if (!cJSON_IsString(l))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: manifest.json: a layer name is not a string",
					     img->input);
		if (shp_image_add_layer(img, l->valuestring, digest_from_name(l->valuestring), err) < 0)
			return -1;
	}
	return shp_image_apply_config(img, err);
}

/* The format before manifest.json: repositories maps name -> tag -> top layer id; each
 * <id>/json names its parent; layers are <id>/layer.tar. */
static int legacy(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	cJSON *repos = NULL;
	if (shp_image_read_json(img, "repositories", NULL, &repos, err) < 0)
		return -1;
	_cleanup_(shp_json_freep) cJSON *repos_owned = repos;
	(void)repos_owned; /* freed on return */
	const char *top = NULL;
	size_t count = 0;
	cJSON *r, *t;
	cJSON_ArrayForEach(r, repos) cJSON_ArrayForEach(t, r)
	{
		if (!cJSON_IsString(t))
			continue;
		_cleanup_free_ char *tag = shp_asprintf("%s:%s", r->string, t->string);
		count++;
		if ((!o->name || tag_matches(tag, o->name)) && !top) {
			top = t->valuestring;
			img->ref = shp_xstrdup(tag);
		}
	}
	if (!top)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: repositories: %s", img->input,
				     o->name ? "no image with that tag" : "no image in it");
	if (!o->name && count > 1)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %zu images in the archive; choose one with --image",
				     img->input, count);
	/* the chain, top first: "<id>/json" names each parent */
	struct shp_buf chain = {0}; /* the ids, top first, one per line */
	size_t depth = 0;
	cJSON *top_json = NULL;
	int rc = 0;
	for (_cleanup_free_ char *id = shp_xstrdup(top); id && rc == 0;) {
		if (depth++ == SHP_IMG_MAX_LAYERS) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %d layers (or a parent loop)",
					   img->input, SHP_IMG_MAX_LAYERS);
			break;
		}
		_cleanup_free_ char *jname = shp_asprintf("%s/json", id);
		cJSON *j = NULL;
		if ((rc = shp_image_read_json(img, jname, NULL, &j, err)) < 0)
			break;
		shp_buf_printf(&chain, "%s\n", id);
		const char *parent = shp_json_str(j, "parent");
		free(id);
		id = parent ? shp_xstrdup(parent) : NULL;
		if (!top_json)
			top_json = j;
		else
			cJSON_Delete(j);
	}
	/* add bottom first: walk the lines from the end */
	for (size_t end = chain.len; rc == 0 && end > 0;) {
		size_t start = end - 1;
		while (start > 0 && chain.data[start - 1] != '\n')
			start--;
		_cleanup_free_ char *lname = shp_asprintf("%.*s/layer.tar", (int)(end - 1 - start), chain.data + start);
		rc = shp_image_add_layer(img, lname, NULL, err);
		end = start;
	}
	shp_buf_free(&chain);
	if (rc < 0) {
		cJSON_Delete(top_json);
		return -1;
	}
	img->config = top_json;
	return shp_image_apply_config(img, err);
}

/* manifest.json, or the legacy repositories file. Both are looked for, so that an unusable
 * one (a FIFO, a link) is an error whichever the other is. */
static int docker_archive_bid(struct shp_store *s, struct shp_error **err)
{
	int manifest = shp_store_find(s, "manifest.json", err);
	int repos = manifest < 0 ? -1 : shp_store_find(s, "repositories", err);
	if (repos < 0)
		return -1;
	return manifest ? SHP_BID_MANIFEST : repos ? SHP_BID_LEGACY : 0;
}

/* A docker save holds no image manifest: the digest is that of the one skopeo makes for it
 * (`skopeo inspect docker-archive:FILE`, and docker-daemon:): Docker's schema 2 media types,
 * the config, and each layer as its diffID and decompressed size, in Go's compact JSON. The
 * sizes are only known once the layers were read. The legacy form has no config to name. */
static void docker_archive_scanned(struct shp_image *img)
{
	if (!img->config_digest || img->manifest_digest || !img->nlayers)
		return;
	struct shp_buf b = {0};
	shp_buf_printf(&b,
		       "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
		       "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":%zu,"
		       "\"digest\":\"%s\"},\"layers\":[",
		       img->config_len, img->config_digest);
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct shp_layer *l = &img->layers[i];
		const struct shp_layer_sums *s = &img->scans[l->scan].sums;
		const char *diff_id = l->diff_id ? l->diff_id : s->diff_id;
		if (!shp_digest_valid(diff_id)) {
			shp_buf_free(&b);
			return;
		}
		shp_buf_printf(&b,
			       "%s{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":%llu,"
			       "\"digest\":\"%s\"}",
			       i ? "," : "", (unsigned long long)s->tar_bytes, diff_id);
	}
	shp_buf_puts(&b, "]}");
	char d[72];
	shp_sha256_buf(b.data, b.len, d);
	img->manifest_digest = shp_xstrdup(d);
	shp_buf_free(&b);
}

const struct shp_source shp_source_docker_archive = {
	.name = "docker-archive",
	.kind = SHP_IMG_DOCKER_ARCHIVE,
	.wants = "manifest.json or repositories",
	.bid = docker_archive_bid,
	.open = docker_archive_open,
	.scanned = docker_archive_scanned,
};
