/* store.c - the files of an image (see store.h): what every kind of store shares, and the
 * calls that go to the kind's operations table (store-dir.c, store-tar.c). */
#include "image/store-internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <archive.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int shp_path_normalize(char *p, int *climbed)
{
	char *out = p, *in = p;
	*climbed = 0;
	while (*in) {
		while (*in == '/')
			in++;
		char *end = strchrnul(in, '/');
		size_t len = (size_t)(end - in);
		if (len == 0)
			break;
		if (len == 1 && in[0] == '.') {
			/* skip */
		} else if (len == 2 && in[0] == '.' && in[1] == '.') {
			if (out == p)
				*climbed = 1; /* clamped at the top, as a chroot would */
			else {
				while (out > p && out[-1] != '/')
					out--;
				if (out > p)
					out--; /* and the '/' before the removed part */
			}
		} else {
			if (out != p)
				*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in = end;
	}
	*out = 0;
	return 0;
}

int shp_path_clean(char *p)
{
	int climbed;
	shp_path_normalize(p, &climbed);
	return climbed ? -1 : 0;
}

int shp_store_open_as(const struct shp_store_ops *ops, const char *path, const struct shp_store_limits *lim,
		      struct shp_store **out, struct shp_error **err)
{
	struct shp_store *s = shp_xcalloc(1, ops->size);
	s->ops = ops;
	s->path = shp_xstrdup(path);
	s->lim = *lim;
	if (!s->lim.max_bytes)
		s->lim.max_bytes = UINT64_MAX;
	if (!s->lim.max_entries)
		s->lim.max_entries = SHP_STORE_MAX_ENTRIES;
	if (!s->lim.max_name_bytes)
		s->lim.max_name_bytes = SHP_STORE_MAX_NAME_BYTES;
	int r = ops->open(s, err);
	if (r < 0) {
		shp_store_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int shp_store_open(const char *path, const struct shp_store_limits *lim, struct shp_store **out, struct shp_error **err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return shp_error_errno(err, errno, "%s", path);
	return shp_store_open_as(S_ISDIR(st.st_mode) ? &shp_store_directory : &shp_store_tar, path, lim, out, err);
}

void shp_store_free(struct shp_store *s)
{
	if (!s)
		return;
	s->ops->close(s);
	free(s->path);
	free(s->cut);
	free(s);
}

void shp_store_set_progress(struct shp_store *s, struct shp_progress *p)
{
	if (s) /* a root filesystem has none */
		s->progress = p;
}

int shp_store_is_dir(const struct shp_store *s) { return s->ops == &shp_store_directory; }

const char *shp_store_kind(const struct shp_store *s) { return s->ops->name; }

int shp_store_content_addressed(const struct shp_store *s) { return s->ops->addressed; }

const char *shp_store_cut(const struct shp_store *s) { return s->cut; }

void shp_store_each(struct shp_store *s, void (*fn)(const char *name, void *arg), void *arg)
{
	if (s->ops->each)
		s->ops->each(s, fn, arg);
}

char *shp_store_canonical(struct shp_store *s, const char *name) { return s->ops->canonical(s, name); }

int shp_store_exists(struct shp_store *s, const char *name) { return shp_store_find(s, name, NULL) > 0; }

int shp_store_find(struct shp_store *s, const char *name, struct shp_error **err) { return s->ops->find(s, name, err); }

int shp_store_read(struct shp_store *s, const char *name, size_t limit, char **data, size_t *len,
		   struct shp_error **err)
{
	return s->ops->read(s, name, limit, data, len, err);
}

int shp_store_scanned(struct shp_store *s, const char *name, struct shp_layer_scan *scan, struct shp_error **err)
{
	return s->ops->scanned ? s->ops->scanned(s, name, scan, err) : 0;
}

struct shp_src shp_src_memory(const void *p, size_t n)
{
	return (struct shp_src){.kind = SHP_SRC_MEM, .fd = -1, .mem = p, .left = n};
}

struct shp_src shp_src_function(ssize_t (*fn)(void *ctx, void *buf, size_t n, char **error), void *ctx)
{
	return (struct shp_src){.kind = SHP_SRC_FN, .fd = -1, .fn = fn, .ctx = ctx};
}

ssize_t shp_src_read(struct shp_src *src, void *buf, size_t n)
{
	switch (src->kind) {
	case SHP_SRC_FN: {
		ssize_t k = src->fn(src->ctx, buf, n, &src->error);
		if (k < 0 && !src->error)
			src->error = shp_xstrdup("read error");
		if (k > 0)
			src->off += (uint64_t)k;
		return k;
	}
	case SHP_SRC_MEM: {
		size_t k = n < src->left ? n : (size_t)src->left;
		memcpy(buf, src->mem + src->off, k);
		src->off += k;
		src->left -= k;
		return (ssize_t)k;
	}
	case SHP_SRC_FD: {
		if (!src->left)
			return 0;
		size_t want = n < src->left ? n : (size_t)src->left;
		ssize_t k;
		do
			k = pread(src->fd, buf, want, (off_t)src->off);
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			src->error = shp_xstrdup(strerror(errno));
			return -1;
		}
		if (k == 0) {
			src->error = shp_xstrdup("unexpected end of file");
			return -1;
		}
		src->off += (uint64_t)k;
		src->left -= (uint64_t)k;
		return k;
	}
	default: {
		la_ssize_t k = archive_read_data(src->archive, buf, n);
		if (k < 0) {
			src->error = shp_xstrdup(archive_error_string(src->archive));
			return -1;
		}
		return k;
	}
	}
}

static void src_done(struct shp_src *src)
{
	free(src->error);
	src->error = NULL;
}

/* ---- streaming ---- */

void shp_store_run_one(struct shp_store_run *r, size_t i, struct shp_src *src)
{
	if (r->fn(r->arg, i, src, &r->errs[i]) < 0) {
		if (!r->errs[i])
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s: %s: read failed", r->s->path, r->names[i]);
		atomic_store(&r->stop, 1);
	}
	src_done(src);
}

int shp_store_stream(struct shp_store *s, const char *const *names, size_t n, int jobs, shp_store_fn fn, void *arg,
		     struct shp_error **err)
{
	struct shp_store_run r = {.s = s, .names = names, .n = n, .fn = fn, .arg = arg};
	r.errs = shp_xcalloc(n ? n : 1, sizeof *r.errs);
	r.target = shp_xcalloc(n ? n : 1, sizeof *r.target);
	r.claimed = shp_xcalloc(n ? n : 1, sizeof *r.claimed);
	size_t pending = s->ops->stream_begin(&r, &jobs);
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > pending)
		jobs = (int)(pending ? pending : 1);
	if (pending) {
		pthread_t *t = shp_xcalloc((size_t)jobs, sizeof *t);
		void *(*worker)(void *) = s->ops->stream_worker;
		int started = 0;
		for (int j = 1; j < jobs; j++)
			if (pthread_create(&t[j], NULL, worker, &r) == 0)
				started = j;
			else
				break;
		worker(&r);
		for (int j = 1; j <= started; j++)
			pthread_join(t[j], NULL);
		free(t);
		if (s->ops->stream_end)
			s->ops->stream_end(&r);
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (r.errs[i] && rc == 0) {
			*err = r.errs[i];
			rc = -1;
		} else
			shp_error_free(r.errs[i]);
	}
	free(r.errs);
	free(r.target);
	free(r.claimed);
	return rc;
}
