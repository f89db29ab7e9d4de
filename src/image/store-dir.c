/* store-dir.c - a store that is a directory (an OCI layout, an unpacked docker save). Every
 * name is opened beneath it through no symlink, and only a regular file is read (a FIFO is
 * never waited on); layer blobs are read by workers that take the names in turn. */
#include "image/store-internal.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dir_store {
	struct shp_store base;
	int dirfd;
};

static int dir_open(struct shp_store *base, struct shp_error **err)
{
	struct dir_store *s = (struct dir_store *)base;
	s->dirfd = open(base->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		return shp_error_errno(err, errno, "%s", base->path);
	return 0;
}

static void dir_close(struct shp_store *base)
{
	struct dir_store *s = (struct dir_store *)base;
	if (s->dirfd >= 0)
		close(s->dirfd);
}

/* Opens name below a directory store without leaving it: no "..", no absolute names, no
 * symlink anywhere on the way, and only a regular file (a FIFO is never waited on). */
static int open_in_dir(struct dir_store *s, const char *name, struct shp_error **err)
{
	_cleanup_free_ char *clean = shp_xstrdup(name);
	if (name[0] == '/' || shp_path_clean(clean) < 0 || !*clean) {
		errno = EXDEV;
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: \"%s\" points outside the image", s->base.path, name);
	}
	_cleanup_free_ char *shown = shp_asprintf("%s/%s", s->base.path, name);
	return shp_open_at(s->dirfd, clean, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, shown, err);
}

/* open_in_dir, then fstat: a regular file of *size bytes, or -1 with err. */
static int open_regular(struct dir_store *s, const char *name, uint64_t *size, struct shp_error **err)
{
	int fd = open_in_dir(s, name, err);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: not a regular file", s->base.path, name);
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

static char *dir_canonical(struct shp_store *base, const char *name)
{
	(void)base;
	char *c = shp_xstrdup(name);
	shp_path_clean(c);
	return c;
}

static int dir_find(struct shp_store *base, const char *name, struct shp_error **err)
{
	struct shp_error *e = NULL;
	int fd = open_in_dir((struct dir_store *)base, name, &e);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	int absent = errno == ENOENT;
	if (!absent && err && !*err)
		*err = steal_pointer(&e);
	shp_error_free(e);
	return absent ? 0 : -1;
}

static int dir_read(struct shp_store *base, const char *name, size_t limit, char **data, size_t *len,
		    struct shp_error **err)
{
	struct dir_store *s = (struct dir_store *)base;
	uint64_t size;
	_cleanup_close_ int fd = open_regular(s, name, &size, err);
	if (fd < 0)
		return -1;
	if (size > limit)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: %llu bytes, more than the %zu allowed", base->path,
				     name, (unsigned long long)size, limit);
	struct shp_src src = {.kind = SHP_SRC_FD, .fd = fd, .left = size};
	char *buf = shp_xmalloc(size + 1);
	size_t got = 0;
	while (got < size) {
		ssize_t k = shp_src_read(&src, buf + got, size - got);
		if (k <= 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: %s", base->path, name,
				      src.error ? src.error : "short read");
			free(src.error);
			free(buf);
			return -1;
		}
		got += (size_t)k;
	}
	buf[size] = 0;
	*data = buf;
	*len = size;
	return 0;
}

/* ---- streaming ---- */

static size_t dir_stream_begin(struct shp_store_run *r, int *jobs)
{
	(void)jobs;
	return r->n; /* every name is a file to open */
}

static void *dir_worker(void *arg)
{
	struct shp_store_run *r = arg;
	struct dir_store *s = (struct dir_store *)r->s;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n || atomic_load(&r->stop))
			return NULL;
		uint64_t size;
		int fd = open_regular(s, r->names[i], &size, &r->errs[i]);
		if (fd < 0)
			continue;
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		struct shp_src src = {.kind = SHP_SRC_FD, .fd = fd, .left = size};
		shp_store_run_one(r, i, &src);
		close(fd);
	}
}

const struct shp_store_ops shp_store_directory = {
	.name = "directory",
	.size = sizeof(struct dir_store),
	.open = dir_open,
	.close = dir_close,
	.find = dir_find,
	.canonical = dir_canonical,
	.read = dir_read,
	.stream_begin = dir_stream_begin,
	.stream_worker = dir_worker,
};
