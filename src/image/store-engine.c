/* store-engine.c - an image in a Docker-compatible engine (docker-daemon:NAME[:TAG]): the
 * engine's docker-save stream of it (GET /images/NAME/get), read by the tar kind from the
 * HTTP response. Its manifest.json comes last, so the first read, at open, is the one pass
 * that scans the layers as they go by and keeps the metadata; nothing is written to disk. A
 * pass that needs the layers' bytes again (slim) asks the engine for the stream again. */
#include "engine/engine.h"
#include "image/image.h"
#include "image/progress.h"
#include "image/store-internal.h"
#include "registry/http.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct engine_store {
	struct shp_tar_store tar; /* first: the tar kind's operations take the store as theirs */
	struct shp_engine *engine;
	char *name;    /* the image as the user named it */
	char *request; /* /images/NAME/get, NAME escaped */
};

/* One read of the stream: the response, and what a broken one is told by. */
struct body {
	struct shp_http *h;
	const char *socket;
	uint64_t bytes;
	struct shp_progress *progress; /* the scan's, or NULL */
};

static ssize_t body_read(void *ctx, void *buf, size_t n, char **error)
{
	struct body *b = ctx;
	char *why = NULL;
	ssize_t k = shp_http_read(b->h, buf, n, &why);
	if (k < 0) {
		*error = shp_asprintf("the engine at %s: the stream broke after %llu bytes: %s", b->socket,
				      (unsigned long long)b->bytes, why);
		free(why);
		return -1;
	}
	b->bytes += (uint64_t)k;
	shp_progress_downloaded(b->progress, (uint64_t)k);
	return k;
}

static void body_done(void *ctx)
{
	struct body *b = ctx;
	shp_http_close(b->h);
	free(b);
}

static int body_start(struct shp_store *base, struct shp_src *src, void **ctx, struct shp_error **err)
{
	struct engine_store *s = (struct engine_store *)base;
	struct shp_http *h;
	if (shp_engine_get(s->engine, s->request, &h, err) < 0)
		return shp_error_wrap(err, "docker-daemon:%s", s->name);
	if (h->status == 404) {
		shp_http_close(h);
		return shp_error_set(err, SHP_EXIT_INPUT, "docker-daemon:%s: no such image %s in the engine at %s",
				     s->name, s->name, s->engine->socket);
	}
	if (h->status != 200) {
		_cleanup_free_ char *m = shp_engine_message(h);
		shp_http_close(h);
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "docker-daemon:%s: the engine at %s did not give the image: %s", s->name,
				     s->engine->socket, m);
	}
	struct body *b = shp_xcalloc(1, sizeof *b);
	b->h = h;
	b->socket = s->engine->socket;
	/* the one pass at open counts for the open's progress, a later one for the scan's */
	b->progress = base->progress ? base->progress : base->lim.budget ? base->lim.budget->progress : NULL;
	*src = shp_src_function(body_read, b);
	*ctx = b;
	return 0;
}

static const struct shp_tar_input engine_input = {.start = body_start, .done = body_done};

static int engine_open(struct shp_store *base, struct shp_error **err)
{
	struct engine_store *s = (struct engine_store *)base;
	const struct shp_image_opts *o = base->lim.opts;
	s->name = shp_xstrdup(base->path);
	_cleanup_free_ char *socket = shp_engine_socket(o ? o->engine_socket : NULL, err);
	if (!socket || shp_engine_open(socket, &s->engine, err) < 0)
		return shp_error_wrap(err, "docker-daemon:%s", s->name);
	_cleanup_free_ char *escaped = shp_http_escape(s->name);
	s->request = shp_asprintf("/images/%s/get", escaped);
	/* the tar kind's messages name the image and the engine */
	free(base->path);
	base->path = shp_asprintf("docker-daemon:%s (the engine at %s)", s->name, socket);
	s->tar.input = &engine_input;
	return shp_tar_index(&s->tar, err);
}

static void engine_close(struct shp_store *base)
{
	struct engine_store *s = (struct engine_store *)base;
	shp_tar_close(base);
	shp_engine_free(s->engine);
	free(s->name);
	free(s->request);
}

const struct shp_store_ops shp_store_engine = {
	.name = "engine",
	.size = sizeof(struct engine_store),
	.open = engine_open,
	.close = engine_close,
	.find = shp_tar_find,
	.canonical = shp_tar_canonical,
	.each = shp_tar_each,
	.read = shp_tar_read,
	.stream_begin = shp_tar_stream_begin,
	.stream_worker = shp_tar_worker,
	.stream_end = shp_tar_stream_end,
	.scanned = shp_tar_scanned,
};
