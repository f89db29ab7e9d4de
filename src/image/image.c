/* image.c - opening an image (named by a reference, or by a path whose kind the sources bid
 * on: sources.c), the helpers the sources share,
 * and the parallel scan of its layers with digest verification. */
#include "image/cache.h"
#include "image/image-internal.h"
#include "image/progress.h"
#include "image/reference.h"
#include "image/store.h"
#include "registry/registry.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int shp_image_read_json(struct shp_image *img, const char *name, const char *want, cJSON **out, struct shp_error **err)
{
	return shp_image_read_json_digest(img, name, want, out, NULL, NULL, err);
}

int shp_image_read_json_digest(struct shp_image *img, const char *name, const char *want, cJSON **out, char got[72],
			       size_t *lenp, struct shp_error **err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (shp_store_read(img->store, name, SHP_IMG_MAX_JSON, &data, &len, err) < 0)
		return -1;
	if (lenp)
		*lenp = len;
	char digest[72];
	if (want || got)
		shp_sha256_buf(data, len, digest);
	if (want && strcmp(digest, want))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: digest mismatch: expected %s, content is %s",
				     img->input, name, want, digest);
	if (got)
		memcpy(got, digest, sizeof digest);
	_cleanup_free_ char *where = shp_asprintf("%s: %s", img->input, name);
	*out = shp_json_parse(where, data, len, err);
	return *out ? 0 : -1;
}

int shp_image_add_layer(struct shp_image *img, const char *blob, char *digest, struct shp_error **err)
{
	if (img->nlayers >= SHP_IMG_MAX_LAYERS) {
		free(digest);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %d layers", img->input, SHP_IMG_MAX_LAYERS);
	}
	img->layers = shp_xrealloc(img->layers, (img->nlayers + 1) * sizeof *img->layers);
	img->layers[img->nlayers++] = (struct shp_layer){.blob = shp_xstrdup(blob), .digest = digest, .history = -1};
	return 0;
}

int shp_image_apply_config(struct shp_image *img, struct shp_error **err)
{
	if (!cJSON_IsObject(img->config))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: the image config is not a JSON object", img->input);
	const cJSON *diff =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(img->config, "rootfs"), "diff_ids");
	if (cJSON_IsArray(diff)) {
		if ((size_t)cJSON_GetArraySize(diff) != img->nlayers)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: the config lists %d diff_ids for %zu layers",
					     img->input, cJSON_GetArraySize(diff), img->nlayers);
		size_t i = 0;
		const cJSON *d;
		cJSON_ArrayForEach(d, diff)
		{
			if (!cJSON_IsString(d))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: config: diff_id %zu is not a string",
						     img->input, i + 1);
			img->layers[i++].diff_id = shp_xstrdup(d->valuestring);
		}
	}
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(img->config, "history"), *h;
	size_t layer = 0;
	cJSON_ArrayForEach(h, hist)
	{
		struct shp_history e = {.layer = -1};
		const char *cb = shp_json_str(h, "created_by");
		e.created_by = shp_xstrdup(cb ? cb : "");
		e.empty_layer = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "empty_layer"));
		if (!e.empty_layer && layer < img->nlayers) {
			e.layer = (int)layer;
			img->layers[layer++].history = (int)img->nhistory;
		}
		img->history = shp_xrealloc(img->history, (img->nhistory + 1) * sizeof *img->history);
		img->history[img->nhistory++] = e;
	}
	return 0;
}

const char *shp_image_user(const struct shp_image *img)
{
	return shp_json_str(cJSON_GetObjectItemCaseSensitive(img->config, "config"), "User");
}

struct cJSON *shp_image_config_field(const struct shp_image *img, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(img->config, "config"), name);
}

/* The transport's row that reads src from the same kind of store as t, or NULL. */
static const struct shp_transport *row_for(const struct shp_source *src, const struct shp_transport *t)
{
	for (size_t i = 0; i < shp_ntransports; i++)
		if (shp_transports[i].source == src && shp_transports[i].store == t->store)
			return &shp_transports[i];
	return NULL;
}

/* A reference's path must be what its transport reads: a directory, or a file (a tar). */
static int check_store_kind(const char *arg, const char *path, const struct stat *st, const struct shp_transport *t,
			    struct shp_error **err)
{
	int dir = t->store == &shp_store_directory;
	if (!S_ISDIR(st->st_mode) == !dir)
		return 0;
	const struct shp_transport *other = NULL;
	for (size_t i = 0; i < shp_ntransports && !other; i++) {
		const struct shp_transport *x = &shp_transports[i];
		if (x->source == t->source && x->store && x->store != t->store)
			other = x;
	}
	_cleanup_free_ char *hint = other ? shp_asprintf("%s:%s", other->name, path)
					  : shp_asprintf("the path alone, its kind told by content");
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s is %s, and %s: reads %s (name it as %s)", arg, path,
			     dir ? "not a directory" : "a directory", t->name, t->what, hint);
}

/* A message about a remote row's image that begins with its REST ("nginx: no
 * containers-storage at ...") begins with the whole reference instead, the transport
 * named as the user wrote it. Returns -1. */
static int name_reference(const char *arg, const char *rest, struct shp_error **err)
{
	size_t n = strlen(rest);
	if (*err && strcmp(arg, rest) && !strncmp((*err)->msg, rest, n) && (*err)->msg[n] == ':') {
		char *msg = shp_asprintf("%s%s", arg, (*err)->msg + n);
		free((*err)->msg);
		(*err)->msg = msg;
	}
	return -1;
}

/* The store's content chooses the source: the highest bid, or the one a transport names
 * when it bids at all. */
static int choose_source(struct shp_image *img, const char *arg, const struct shp_transport *t,
			 const struct shp_source **out, struct shp_error **err)
{
	const struct shp_source *best;
	int bids[SHP_NSOURCES], forced = 0;
	if (shp_sources_bid(img->store, bids, &best, err) < 0)
		return -1;
	for (size_t i = 0; t && shp_sources[i]; i++)
		if (shp_sources[i] == t->source)
			forced = bids[i];
	if (t && forced) {
		*out = t->source;
		return 0;
	}
	if (t) {
		const struct shp_transport *r = best ? row_for(best, t) : NULL;
		_cleanup_free_ char *hint =
			r ? shp_asprintf(" (the content says %s: name it as %s:%s)", best->name, r->name, img->input)
			  : shp_xstrdup("");
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s is not %s: no %s in it%s", arg, img->input, t->what,
				     t->source->wants, hint);
	}
	if (!best && shp_store_cut(img->store))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: a truncated archive: it ends %s without the end-of-archive blocks, and "
				     "holds no manifest.json, index.json or repositories",
				     img->input, shp_store_cut(img->store));
	if (!best)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: not an image: a tar without manifest.json, index.json or repositories "
				     "(a plain filesystem tar? unpack it and scan the directory)",
				     img->input);
	*out = best;
	return 0;
}

/* A plain path that is not there may be an image in a registry (`shipshape image nginx:1.27`),
 * as docker reads it: a reference, not written like a file (./x, /x, x.tar). */
static const struct shp_transport *bare_reference(const char *arg)
{
	if (arg[0] == '.' || arg[0] == '/' || arg[0] == '~' || !strcmp(arg, "-"))
		return NULL;
	static const char *const exts[] = {".tar", ".tgz", ".gz", ".zst", ".xz", ".bz2", ".json", ".yaml", ".yml"};
	const char *end = strchr(arg, '@') ? strchr(arg, '@') : arg + strlen(arg);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t n = strlen(exts[i]);
		if ((size_t)(end - arg) > n && !strncmp(end - n, exts[i], n))
			return NULL;
	}
	struct shp_docker_ref r;
	struct shp_error *e = NULL;
	if (shp_docker_ref_parse(arg, &r, &e) < 0) {
		shp_error_free(e);
		return NULL;
	}
	shp_docker_ref_free(&r);
	for (size_t i = 0; i < shp_ntransports; i++)
		if (!strcmp(shp_transports[i].name, "docker"))
			return &shp_transports[i];
	return NULL;
}

static int image_open(const char *arg, const struct shp_image_opts *o, struct shp_image **out, struct shp_error **err);

int shp_image_open(const char *arg, const struct shp_image_opts *o, struct shp_image **out, struct shp_error **err)
{
	struct stat st;
	struct shp_image_ref ref = {0};
	struct shp_error *e = NULL;
	int plain = lstat(arg, &st) < 0 && shp_image_ref_parse(arg, 0, &ref, &e) == 0 && !ref.transport;
	shp_image_ref_free(&ref);
	shp_error_free(e);
	const struct shp_transport *docker = plain ? bare_reference(arg) : NULL;
	if (!docker || !docker->source)
		return image_open(arg, o, out, err);
	_cleanup_free_ char *as_ref = shp_asprintf("docker://%s", arg);
	if (image_open(as_ref, o, out, err) == 0)
		return 0;
	/* both readings failed: say both */
	char *msg = shp_asprintf("%s: No such file or directory, and as an image in a registry: %s", arg, (*err)->msg);
	free((*err)->msg);
	(*err)->msg = msg;
	return -1;
}

static int image_open(const char *arg, const struct shp_image_opts *o, struct shp_image **out, struct shp_error **err)
{
	struct stat st;
	_cleanup_(shp_image_ref_freep) struct shp_image_ref ref = {0};
	if (shp_image_ref_parse(arg, lstat(arg, &st) == 0, &ref, err) < 0)
		return -1;
	const struct shp_transport *t = ref.transport;
	struct shp_image_opts named = *o;
	if (ref.name) {
		if (o->name && strcmp(o->name, ref.name))
			return shp_error_set(err, SHP_EXIT_USAGE, "%s: names the image %s, and --image names %s", arg,
					     ref.name, o->name);
		named.name = ref.name;
		o = &named;
	}
	const char *path = ref.path;
	int remote = t && t->remote;
	if (!remote && stat(path, &st) < 0)
		return shp_error_errno(err, errno, "%s", path);
	if (!remote && t && check_store_kind(arg, path, &st, t, err) < 0)
		return -1;
	struct shp_image *img = shp_xcalloc(1, sizeof *img);
	_cleanup_image_ struct shp_image *owned = img;
	img->input = shp_xstrdup(path);
	img->remote = remote ? t : NULL;
	shp_layer_budget_init(&img->budget, o->max_layer_bytes, o->max_image_bytes);
	if (o->max_name_bytes)
		img->budget.max_names = o->max_name_bytes;
	struct shp_store_limits lim = {.max_bytes = o->max_image_bytes ? o->max_image_bytes
								       : SHP_IMG_DEFAULT_MAX_IMAGE_BYTES,
				       .max_entries = o->max_archive_entries,
				       .max_name_bytes = o->max_archive_name_bytes,
				       .opts = o,
				       .budget = &img->budget};
	/* a store read in one pass at open (an engine's stream, a pipe) scans its layers then:
	 * its progress is drawn from here */
	struct shp_progress progress;
	shp_progress_start(&progress, 0, STDERR_FILENO, !o->quiet && !shp_quiet());
	img->budget.progress = &progress;
	int r = t ? shp_store_open_as(t->store, path, &lim, &img->store, err)
		  : shp_store_open(path, &lim, &img->store, err);
	img->budget.progress = NULL;
	shp_progress_stop(&progress);
	if (r < 0 && remote)
		return name_reference(arg, path, err);
	if (r < 0) {
		if (r == -1 && !remote && !S_ISDIR(st.st_mode) && *err) {
			/* "path: reason" -> "path: not an image ...: reason" */
			size_t n = strlen(path);
			const char *why = !strncmp((*err)->msg, path, n) && (*err)->msg[n] == ':' ? (*err)->msg + n + 2
												  : (*err)->msg;
			char *msg = shp_asprintf("%s: not an image (neither a docker-save nor an OCI archive): %s",
						 path, why);
			free((*err)->msg);
			(*err)->msg = msg;
		}
		return -1;
	}
	/* a FIFO, device or link by a name a source looks for is refused, not waited on nor
	 * taken for a root filesystem */
	const struct shp_source *src = remote ? t->source : NULL;
	if (!remote && choose_source(img, arg, t, &src, err) < 0)
		return -1;
	img->source = src;
	img->kind = src->kind;
	img->kind_name = src->name;
	if (src->open && src->open(img, o, err) < 0)
		return remote ? name_reference(arg, path, err) : -1;
	*out = steal_pointer(&owned);
	return 0;
}

/* ---- scanning ---- */

struct scan_run {
	struct shp_image *img;
	struct shp_layer_budget *budget; /* the image's, shared by the threads */
	char **names;			 /* by scan */
	char **keys;			 /* by scan: the digest its cache record is kept under, or NULL */
	char *rescan;			 /* by scan: the cache's record was for other bytes; read the blob again */
	size_t *map;			 /* stream index -> scan index */
	const struct shp_cache *cache;	 /* or NULL */
};

/* Hashes the rest of src (a blob whose scan came from the cache), counting it in p. */
static int hash_blob(struct shp_src *src, const char *name, struct shp_progress *p, char out[72], uint64_t *n,
		     struct shp_error **err)
{
	struct shp_sha256 h;
	shp_sha256_init(&h);
	_cleanup_free_ char *buf = shp_xmalloc(1u << 18);
	*n = 0;
	ssize_t k;
	while ((k = shp_src_read(src, buf, 1u << 18)) > 0) {
		shp_sha256_update(&h, buf, (size_t)k);
		*n += (uint64_t)k;
		shp_progress_read(p, (uint64_t)k);
	}
	if (k < 0) {
		shp_sha256_free(&h);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", name, src->error ? src->error : "read error");
	}
	shp_sha256_final(&h, out);
	return 0;
}

/* A record of the layer cache stands in for reading the blob when the blob's bytes are the
 * ones the record was made from. Returns 1 if the blob was dealt with (from the record, or
 * marked to be read again), 0 if it is to be read now. */
static int from_cache(struct scan_run *r, size_t idx, struct shp_src *src, struct shp_error **err)
{
	struct shp_layer_scan *s = &r->img->scans[idx];
	if (!r->cache || !r->keys[idx] || !shp_cache_load(r->cache, r->keys[idx], s))
		return 0;
	int po = s->packages_only, used = 0;
	/* over the bound, the bomb guard answers, as on a full read; and a record a registry's scan
	 * made holds no diffID of its own: the layer is read and checked */
	if (s->sums.tar_bytes <= r->budget->max_layer_bytes && s->sums.diff_id[0]) {
		char actual[72];
		uint64_t n;
		if (hash_blob(src, r->names[idx], r->budget->progress, actual, &n, err) < 0)
			return -1;
		if (n == s->sums.blob_bytes && !strcmp(actual, s->sums.blob_digest)) {
			s->cached = 1;
			return 1;
		}
		/* other bytes than the record's (a tampered blob, or under a diffID the same tar
		 * compressed otherwise): read again, and checked as any other */
		r->rescan[idx] = used = 1;
	}
	shp_layer_scan_free(s);
	*s = (struct shp_layer_scan){.packages_only = po};
	return used;
}

static int verify_layer(struct shp_image *img, size_t i, struct shp_error **err);

/* The same for a content-addressed store, before anything is read: 1 if the record stands
 * for blob idx (its key is the blob's digest, which the record's was checked against). */
static int from_record(struct scan_run *r, size_t idx)
{
	struct shp_layer_scan *s = &r->img->scans[idx];
	if (!r->keys[idx] || !shp_cache_load(r->cache, r->keys[idx], s))
		return 0;
	if (s->sums.tar_bytes <= r->budget->max_layer_bytes && !strcmp(s->sums.blob_digest, r->keys[idx])) {
		s->cached = 1;
		return 1;
	}
	int po = s->packages_only;
	shp_layer_scan_free(s);
	*s = (struct shp_layer_scan){.packages_only = po};
	return 0;
}

static int scan_blob(void *arg, size_t i, struct shp_src *src, struct shp_error **err)
{
	struct scan_run *r = arg;
	size_t idx = r->map[i];
	int c = r->rescan[idx] || shp_store_content_addressed(r->img->store) ? 0 : from_cache(r, idx, src, err);
	if (c == 0 && shp_layer_read(src, r->names[idx], r->budget, &r->img->scans[idx], err) < 0)
		c = -1;
	if (c < 0)
		return shp_error_wrap(err, "%s: layer", r->img->input);
	/* a blob marked to be read again is done on the second pass */
	if (c == 0 || r->img->scans[idx].cached)
		shp_progress_layer_done(r->budget->progress, c != 0);
	/* a blob read is checked at once against the layers it stands for: a mismatch stops the
	 * reading of the others (16 names of one bomb under 16 diffIDs cost one read, not 16) */
	for (size_t l = 0; c == 0 && l < r->img->nlayers; l++)
		if (r->img->layers[l].scan == idx && verify_layer(r->img, l, err) < 0)
			return -1;
	return 0;
}

/* Streams the n scans' blobs, or only those marked in `only`. */
static int stream(struct scan_run *r, size_t n, int jobs, const char *only, struct shp_error **err)
{
	_cleanup_free_ const char **names = shp_xcalloc(n + 1, sizeof *names);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!only || only[i]) {
			r->map[k] = i;
			names[k++] = r->names[i];
		}
	return k ? shp_store_stream(r->img->store, names, k, jobs, scan_blob, r, err) : 0;
}

/* True if layer l is stored by the same bytes as layer g: the same name, or the same blob
 * digest, or (neither digest known) the same diffID. A runtime, too, takes layers by digest;
 * the one read is verified for both, and 16 names of one blob cost one read. */
static int same_blob(const struct shp_layer *l, const char *canon, const struct shp_layer *g, const char *gcanon)
{
	if (!strcmp(canon, gcanon))
		return 1;
	if (l->digest || g->digest)
		return l->digest && g->digest && !strcmp(l->digest, g->digest);
	return l->diff_id && g->diff_id && !strcmp(l->diff_id, g->diff_id);
}

/* Layer i's digests against the manifest and config. A blob whose tar was not hashed (a
 * registry's) is the diffID the config says, the same for every layer it stands for. */
static int verify_layer(struct shp_image *img, size_t i, struct shp_error **err)
{
	const struct shp_layer *l = &img->layers[i];
	const struct shp_layer_scan *s = &img->scans[l->scan];
	if (l->digest && strcmp(l->digest, s->sums.blob_digest))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: layer %zu (%s): digest mismatch: the manifest says %s, the content is %s",
				     img->input, i + 1, l->blob, l->digest, s->sums.blob_digest);
	for (size_t j = 0; !s->sums.diff_id[0] && l->diff_id && j < i; j++)
		if (img->layers[j].scan == l->scan && img->layers[j].diff_id &&
		    strcmp(img->layers[j].diff_id, l->diff_id))
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: layers %zu and %zu have the same blob (%s) but the config gives them "
					     "different diffIDs",
					     img->input, j + 1, i + 1, l->blob);
	if (l->diff_id && s->sums.diff_id[0] && strcmp(l->diff_id, s->sums.diff_id))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: layer %zu (%s): diffID mismatch: the config says %s, the content is %s",
				     img->input, i + 1, l->blob, l->diff_id, s->sums.diff_id);
	return 0;
}

/* Every layer's digests against the manifest and config; the entry bound over all layers. */
static int verify(struct shp_image *img, struct shp_error **err)
{
	size_t total = 0;
	for (size_t i = 0; i < img->nlayers; i++) {
		if (verify_layer(img, i, err) < 0)
			return -1;
		total += img->scans[img->layers[i].scan].nentries;
	}
	if (total > SHP_IMG_MAX_ENTRIES)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %u entries in all layers", img->input,
				     SHP_IMG_MAX_ENTRIES);
	return 0;
}

/* Progress on stderr, when it is a terminal and neither -q nor the caller silenced it. */
static void progress_start(struct shp_image *img, const struct shp_image_opts *o, struct shp_progress *p,
			   unsigned layers)
{
	shp_progress_start(p, layers, STDERR_FILENO, !o->quiet && !shp_quiet());
	img->progress = p;
	shp_store_set_progress(img->store, p);
}

static void progress_stop(struct shp_image *img, struct shp_progress *p)
{
	shp_progress_stop(p);
	img->progress = NULL;
	shp_store_set_progress(img->store, NULL);
}

static int image_scan(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err);

int shp_image_scan(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	if (image_scan(img, o, err) == 0)
		return 0;
	if (!img->remote)
		return -1;
	_cleanup_free_ char *arg =
		shp_asprintf("%s%s%s", img->remote->name, img->remote->slashes ? "://" : ":", img->input);
	return name_reference(arg, img->input, err);
}

static int image_scan(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	struct shp_progress progress;
	if (img->source->scan) {
		progress_start(img, o, &progress, (unsigned)img->nlayers);
		int rc = img->source->scan(img, o, err);
		progress_stop(img, &progress);
		return rc;
	}
	/* layers with the same blob are read once */
	char **names = shp_xcalloc(img->nlayers + 1, sizeof *names);
	_cleanup_free_ char **keys = shp_xcalloc(img->nlayers + 1, sizeof *keys);
	_cleanup_free_ size_t *first = shp_xcalloc(img->nlayers + 1, sizeof *first); /* by scan: its first layer */
	size_t n = 0;
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct shp_layer *l = &img->layers[i];
		char *canon = shp_store_canonical(img->store, l->blob);
		size_t k = 0;
		while (k < n && !same_blob(l, canon, &img->layers[first[k]], names[k]))
			k++;
		if (k == n) {
			first[n] = i;
			names[n++] = canon;
		} else
			free(canon);
		img->layers[i].scan = k;
		/* the cache key: the blob's digest, else (an uncompressed docker-save layer) its diffID */
		if (l->digest)
			keys[k] = l->digest;
		else if (!keys[k])
			keys[k] = l->diff_id;
	}
	img->scans = shp_xcalloc(n + 1, sizeof *img->scans);
	img->nscans = n;
	for (size_t i = 0; i < n; i++)
		img->scans[i].packages_only = o->packages_only;
	_cleanup_free_ char *dflt = o->no_cache || o->cache_dir ? NULL : shp_cache_default_dir();
	_cleanup_free_ char *key_path = o->no_cache ? NULL : shp_cache_default_key_path();
	_cleanup_(shp_cache_closep) struct shp_cache *cache =
		o->no_cache ? NULL : shp_cache_open(o->cache_dir ? o->cache_dir : dflt, key_path);
	_cleanup_free_ size_t *map = shp_xcalloc(n + 1, sizeof *map);
	_cleanup_free_ char *rescan = shp_xcalloc(n + 1, 1);
	struct scan_run r = {.img = img,
			     .budget = &img->budget,
			     .names = names,
			     .keys = keys,
			     .rescan = rescan,
			     .map = map,
			     .cache = cache};
	img->budget.progress = &progress;
	img->budget.diff_ids = !shp_store_content_addressed(img->store);
	int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	progress_start(img, o, &progress, (unsigned)n);
	/* blobs a store read once scanned as they passed are taken from it; a blob named by its
	 * digest is the one the record was made from: a layer the cache holds is neither
	 * downloaded nor hashed */
	_cleanup_free_ char *todo = shp_xcalloc(n + 1, 1);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int got = shp_store_scanned(img->store, names[i], &img->scans[i], err);
		if (got < 0)
			rc = shp_error_wrap(err, "%s: layer", img->input);
		todo[i] = got == 0 && !(cache && shp_store_content_addressed(img->store) && from_record(&r, i));
		if (got == 0 && !todo[i])
			shp_progress_layer_done(&progress, 1);
	}
	if (rc == 0)
		rc = stream(&r, n, jobs, todo, err);
	if (rc == 0)
		rc = stream(&r, n, jobs, rescan, err);
	progress_stop(img, &progress);
	img->budget.progress = NULL;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0 || verify(img, err) < 0)
		return -1;
	if (img->source->scanned)
		img->source->scanned(img);
	/* every digest checked: what was read is kept for next time */
	int saved = 0;
	for (size_t i = 0; r.cache && i < n; i++)
		if (!img->scans[i].cached) {
			shp_cache_save(r.cache, keys[i], &img->scans[i]);
			saved = 1;
		}
	if (saved)
		shp_cache_prune(r.cache, o->cache_max ? o->cache_max : SHP_CACHE_DEFAULT_MAX);
	return 0;
}

void shp_image_free(struct shp_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nscans; i++)
		shp_layer_scan_free(&img->scans[i]);
	free(img->scans);
	for (size_t i = 0; i < img->nlayers; i++) {
		free(img->layers[i].blob);
		free(img->layers[i].digest);
		free(img->layers[i].diff_id);
	}
	free(img->layers);
	for (size_t i = 0; i < img->nhistory; i++)
		free(img->history[i].created_by);
	free(img->history);
	cJSON_Delete(img->config);
	shp_store_free(img->store);
	free(img->input);
	free(img->ref);
	free(img->manifest_digest);
	free(img->config_digest);
	free(img->platform);
	free(img);
}
