/* store-registry.c - a store that is a repository in a registry (path: the reference).
 * Names are blob digests; small blobs (configs) are read whole, layers are streamed from
 * the HTTP response straight into the layer reader, several at once. Nothing is written
 * to disk. */
#include "image/store-internal.h"
#include "registry/registry.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct blob {
	char *digest;
	uint64_t size;
};

struct reg_store {
	struct shp_store base;
	struct shp_docker_ref ref;
	struct shp_registry *client;
	struct blob *v;
	size_t n, cap;
};

static int reg_open(struct shp_store *base, struct shp_error **err)
{
	struct reg_store *s = (struct reg_store *)base;
	return shp_docker_ref_parse(base->path, &s->ref, err);
}

static void reg_close(struct shp_store *base)
{
	struct reg_store *s = (struct reg_store *)base;
	shp_registry_free(s->client);
	shp_docker_ref_free(&s->ref);
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].digest);
	free(s->v);
}

struct shp_registry *shp_store_registry_client(struct shp_store *base, const struct shp_registry_opts *o)
{
	struct reg_store *s = (struct reg_store *)base;
	if (!s->client)
		s->client = shp_registry_new(&s->ref, o);
	return s->client;
}

void shp_store_registry_add_blob(struct shp_store *base, const char *digest, uint64_t size)
{
	struct reg_store *s = (struct reg_store *)base;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].digest, digest))
			return;
	struct blob b = {shp_xstrdup(digest), size};
	SHP_PUSH(s->v, s->n, s->cap, b);
}

static const struct blob *blob_of(struct reg_store *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].digest, name))
			return &s->v[i];
	return NULL;
}

static int reg_find(struct shp_store *base, const char *name, struct shp_error **err)
{
	(void)err;
	return blob_of((struct reg_store *)base, name) != NULL;
}

static char *reg_canonical(struct shp_store *base, const char *name)
{
	(void)base;
	return shp_xstrdup(name);
}

static int reg_read(struct shp_store *base, const char *name, size_t limit, char **data, size_t *len,
		    struct shp_error **err)
{
	struct reg_store *s = (struct reg_store *)base;
	const struct blob *b = blob_of(s, name);
	if (!b || !s->client)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s is not a blob of the manifest", base->path, name);
	return shp_registry_blob_get(s->client, b->digest, b->size, limit, data, len, err);
}

static size_t reg_stream_begin(struct shp_store_run *r, int *jobs)
{
	(void)jobs;
	atomic_store(&r->next, 0);
	return r->n;
}

static ssize_t blob_fn(void *ctx, void *buf, size_t n, char **error)
{
	return shp_registry_blob_read(ctx, buf, n, error);
}

/* Takes the next blob not begun, downloads it into the run's function, and so on. */
static void *reg_worker(void *arg)
{
	struct shp_store_run *r = arg;
	struct reg_store *s = (struct reg_store *)r->s;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			return NULL;
		if (atomic_load(&r->stop))
			continue; /* not begun: not read */
		const struct blob *b = blob_of(s, r->names[i]);
		if (!b || !s->client) {
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s: %s is not a blob of the manifest", s->base.path,
				      r->names[i]);
			atomic_store(&r->stop, 1);
			continue;
		}
		struct shp_registry_blob *h = NULL;
		if (shp_registry_blob_open(s->client, b->digest, b->size, &h, &r->errs[i]) < 0) {
			atomic_store(&r->stop, 1);
			continue;
		}
		struct shp_src src = shp_src_function(blob_fn, h);
		shp_store_run_one(r, i, &src);
		shp_registry_blob_close(h);
	}
}

const struct shp_store_ops shp_store_registry = {
	.name = "registry",
	.size = sizeof(struct reg_store),
	.addressed = 1,
	.open = reg_open,
	.close = reg_close,
	.find = reg_find,
	.canonical = reg_canonical,
	.read = reg_read,
	.stream_begin = reg_stream_begin,
	.stream_worker = reg_worker,
};
