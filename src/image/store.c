/* store.c - the files of an image, in a directory or a tar (see store.h).
 * A tar is indexed once with libarchive; layer blobs are then read by workers that each
 * open the tar again and claim the wanted entries as they pass them, so an uncompressed
 * tar is read in parallel with seeks and a compressed one front to back, once. */
#include "image/store.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SRC_FD, SRC_MEM, SRC_ARCHIVE };

struct entry {
	char *name;
	char *link; /* symlink target (relative to the entry's directory) or hardlink name */
	int type;   /* AE_IFREG, AE_IFLNK, AE_IFDIR, ... ; hardlinks are AE_IFREG with hard=1 */
	int hard;
	int64_t size;
	char *data; /* kept whole when small metadata */
	size_t seq; /* position in the tar */
};

struct shp_store {
	char *path;
	int dirfd;      /* a directory store, or -1 */
	int compressed; /* the tar itself is gzip/zstd/xz/bz2 */
	int pipe;	/* the tar is a pipe the user named: read once, by the index */
	struct shp_store_limits lim; /* defaults filled in */
	struct entry *v;
	size_t n, cap;
};

#define READ_BLOCK (256u << 10)

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

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_name(const void *key, const void *b)
{
	return strcmp(key, ((const struct entry *)b)->name);
}

static struct entry *find(struct shp_store *s, const char *name)
{
	return s->n ? bsearch(name, s->v, s->n, sizeof *s->v, cmp_name) : NULL;
}

/* Follows symlinks and hardlinks inside the tar to a regular entry; NULL if missing,
 * outside, or a link loop deeper than SHP_STORE_MAX_LINKS. */
static struct entry *resolve(struct shp_store *s, const char *name)
{
	_cleanup_free_ char *cur = shp_xstrdup(name);
	if (shp_path_clean(cur) < 0)
		return NULL;
	for (int hop = 0; hop <= SHP_STORE_MAX_LINKS; hop++) {
		struct entry *e = find(s, cur);
		if (!e || e->type == AE_IFDIR)
			return NULL;
		if (!e->link)
			return e->type == AE_IFREG ? e : NULL;
		char *next;
		if (e->hard || e->link[0] == '/') {
			next = shp_xstrdup(e->link);
		} else {
			const char *slash = strrchr(cur, '/');
			next = slash ? shp_asprintf("%.*s/%s", (int)(slash - cur), cur, e->link) : shp_xstrdup(e->link);
		}
		free(cur);
		cur = next;
		if (shp_path_clean(cur) < 0)
			return NULL;
	}
	return NULL;
}

/* Kept in memory while indexing: every small entry (configs, manifests and tiny layers are
 * small; docker-save names configs freely), and the metadata files by name up to 16 MiB. */
static int keep_whole(const char *name, int64_t size)
{
	if (size < 0)
		return 0;
	if (size <= SHP_STORE_MAX_SMALL)
		return 1;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t n = strlen(name);
	return size <= (16 << 20) && (!strcmp(base, "manifest.json") || !strcmp(base, "index.json") ||
				      !strcmp(base, "repositories") || (n > 5 && !strcmp(name + n - 5, ".json")));
}

static struct archive *open_tar(const char *path, struct shp_error **err)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_filename(a, path, READ_BLOCK) != ARCHIVE_OK) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	/* docker save and OCI archives are a tar, compressed once at most (filter count-1 is the
	 * file itself): peeling zstd from zstd only multiplies a bomb */
	if (archive_filter_count(a) > 2) {
		shp_error_set(err, SHP_EXIT_INPUT,
			      "%s: compressed twice (%s inside %s): an image archive is a tar, "
			      "compressed at most once",
			      path, archive_filter_name(a, 0), archive_filter_name(a, 1));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static char *entry_name(struct archive_entry *ae)
{
	const char *raw = archive_entry_pathname(ae);
	if (!raw)
		return NULL;
	char *name = shp_xstrdup(raw);
	if (shp_path_clean(name) < 0) {
		free(name);
		return NULL;
	}
	return name;
}

static int index_tar(struct shp_store *s, struct shp_error **err)
{
	struct archive *a = open_tar(s->path, err);
	if (!a)
		return -1;
	size_t buffered = 0, names = 0, count = 0;
	uint64_t bytes = 0; /* the tar's size as its headers declare it */
	int rc = 0, over = 0;
	struct archive_entry *ae;
	for (;; count++) {
		int r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: entry %zu: %s", s->path, count + 1,
					   archive_error_string(a));
			break;
		}
		if (count == 0)
			s->compressed = archive_filter_count(a) > 1;
		if (count >= s->lim.max_entries) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %zu entries (SHP_STORE_MAX_ENTRIES)",
					   s->path, s->lim.max_entries);
			over = 1;
			break;
		}
		const char *raw = archive_entry_pathname(ae), *ln = archive_entry_hardlink(ae);
		if (!ln)
			ln = archive_entry_symlink(ae);
		names += (raw ? strlen(raw) : 0) + (ln ? strlen(ln) : 0);
		if (names > s->lim.max_name_bytes) {
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: more than %zu bytes of entry names (SHP_STORE_MAX_NAME_BYTES)", s->path,
					   s->lim.max_name_bytes);
			over = 1;
			break;
		}
		/* checked before the data is skipped (decompressed, when the tar is compressed), and
		 * against what was decompressed so far (headers of long names and pax records) */
		int64_t size = archive_entry_size(ae);
		bytes += 512 + ((size > 0 ? (uint64_t)size : 0) + 511) / 512 * 512;
		uint64_t seen = (uint64_t)archive_filter_bytes(a, 0);
		if (bytes > s->lim.max_bytes || seen > s->lim.max_bytes) {
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: more than %llu bytes after decompression (a decompression "
					   "bomb?); raise --max-image-bytes if the image is genuine",
					   s->path, (unsigned long long)s->lim.max_bytes);
			over = 1;
			break;
		}
		char *name = entry_name(ae);
		if (!name) /* outside the archive root: never a name a manifest may use */
			continue;
		struct entry e = {.name = name, .seq = s->n, .type = (int)archive_entry_filetype(ae), .size = archive_entry_size(ae)};
		if (archive_entry_hardlink(ae)) {
			e.link = shp_xstrdup(archive_entry_hardlink(ae));
			e.hard = 1;
			e.type = AE_IFREG;
		} else if (e.type == AE_IFLNK && archive_entry_symlink(ae)) {
			e.link = shp_xstrdup(archive_entry_symlink(ae));
		}
		if (e.type == AE_IFREG && !e.link && keep_whole(name, e.size) &&
		    buffered + (size_t)e.size <= SHP_STORE_MAX_BUFFERED) {
			e.data = shp_xmalloc((size_t)e.size + 1);
			la_ssize_t got = archive_read_data(a, e.data, (size_t)e.size);
			if (got != e.size) {
				rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: truncated (%s)", s->path, name,
						   got < 0 ? archive_error_string(a) : "short read");
				free(e.data), free(e.link), free(name);
				break;
			}
			e.data[e.size] = 0;
			buffered += (size_t)e.size;
		}
		SHP_PUSH(s->v, s->n, s->cap, e);
	}
	archive_read_free(a);
	if (rc < 0)
		return over ? -2 : -1;
	/* Sort, keeping the last of duplicate names (a later tar entry wins). */
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_entry);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (i + 1 < s->n && !strcmp(s->v[i].name, s->v[i + 1].name)) {
			free(s->v[i].name), free(s->v[i].link), free(s->v[i].data);
			continue;
		}
		s->v[k++] = s->v[i];
	}
	s->n = k;
	return 0;
}

int shp_store_open(const char *path, const struct shp_store_limits *lim, struct shp_store **out, struct shp_error **err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return shp_error_errno(err, errno, "%s", path);
	struct shp_store *s = shp_xcalloc(1, sizeof *s);
	s->path = shp_xstrdup(path);
	s->dirfd = -1;
	s->pipe = !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode);
	s->lim = *lim;
	if (!s->lim.max_bytes)
		s->lim.max_bytes = UINT64_MAX;
	if (!s->lim.max_entries)
		s->lim.max_entries = SHP_STORE_MAX_ENTRIES;
	if (!s->lim.max_name_bytes)
		s->lim.max_name_bytes = SHP_STORE_MAX_NAME_BYTES;
	if (S_ISDIR(st.st_mode)) {
		s->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->dirfd < 0) {
			shp_store_free(s);
			return shp_error_errno(err, errno, "%s", path);
		}
	} else {
		int r = index_tar(s, err);
		if (r < 0) {
			shp_store_free(s);
			return r;
		}
	}
	*out = s;
	return 0;
}

void shp_store_free(struct shp_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name), free(s->v[i].link), free(s->v[i].data);
	free(s->v);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->path);
	free(s);
}

int shp_store_is_dir(const struct shp_store *s) { return s->dirfd >= 0; }

void shp_store_each(struct shp_store *s, void (*fn)(const char *name, void *arg), void *arg)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].type == AE_IFREG)
			fn(s->v[i].name, arg);
}

/* Opens name below a directory store without leaving it: no "..", no absolute names, no
 * symlink anywhere on the way, and only a regular file (a FIFO is never waited on). */
static int open_in_dir(struct shp_store *s, const char *name, struct shp_error **err)
{
	_cleanup_free_ char *clean = shp_xstrdup(name);
	if (name[0] == '/' || shp_path_clean(clean) < 0 || !*clean) {
		errno = EXDEV;
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: \"%s\" points outside the image", s->path, name);
	}
	_cleanup_free_ char *shown = shp_asprintf("%s/%s", s->path, name);
	return shp_open_at(s->dirfd, clean, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, shown, err);
}

char *shp_store_canonical(struct shp_store *s, const char *name)
{
	if (s->dirfd < 0) {
		struct entry *e = resolve(s, name);
		return shp_xstrdup(e ? e->name : name);
	}
	char *c = shp_xstrdup(name);
	shp_path_clean(c);
	return c;
}

int shp_store_exists(struct shp_store *s, const char *name)
{
	return shp_store_find(s, name, NULL) > 0;
}

int shp_store_find(struct shp_store *s, const char *name, struct shp_error **err)
{
	if (s->dirfd < 0)
		return resolve(s, name) != NULL;
	struct shp_error *e = NULL;
	int fd = open_in_dir(s, name, &e);
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

struct shp_src shp_src_memory(const void *p, size_t n)
{
	return (struct shp_src){.kind = SRC_MEM, .fd = -1, .mem = p, .left = n};
}

ssize_t shp_src_read(struct shp_src *src, void *buf, size_t n)
{
	switch (src->kind) {
	case SRC_MEM: {
		size_t k = n < src->left ? n : (size_t)src->left;
		memcpy(buf, src->mem + src->off, k);
		src->off += k, src->left -= k;
		return (ssize_t)k;
	}
	case SRC_FD: {
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
		src->off += (uint64_t)k, src->left -= (uint64_t)k;
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

/* A pipe cannot be opened again for an entry the index did not keep (opening a FIFO again
 * would wait for a writer that is gone): said, not waited on. */
static int pipe_once(struct shp_store *s, const char *name, struct shp_error **err)
{
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: %s: a pipe is read once, and this entry is too large to keep from that pass "
			     "(save the image to a file)",
			     s->path, name);
}

/* An entry that was not kept while indexing: one more pass over the tar (the last entry
 * of that name wins, as in the index). */
static int read_unkept(struct shp_store *s, const struct entry *e, char **data, size_t *len, struct shp_error **err)
{
	if (s->pipe)
		return pipe_once(s, e->name, err);
	struct archive *a = open_tar(s->path, err);
	if (!a)
		return -1;
	struct archive_entry *ae;
	char *found = NULL;
	while (archive_read_next_header(a, &ae) >= ARCHIVE_WARN) {
		_cleanup_free_ char *name = entry_name(ae);
		if (!name || strcmp(name, e->name) || archive_entry_hardlink(ae))
			continue;
		char *buf = shp_xmalloc((size_t)e->size + 1);
		if (archive_read_data(a, buf, (size_t)e->size) != e->size) {
			free(buf);
			continue;
		}
		buf[e->size] = 0;
		free(found);
		found = buf;
	}
	archive_read_free(a);
	if (!found)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: could not be read", s->path, e->name);
	*data = found;
	*len = (size_t)e->size;
	return 0;
}

int shp_store_read(struct shp_store *s, const char *name, size_t limit, char **data, size_t *len,
		   struct shp_error **err)
{
	struct shp_src src = {.fd = -1};
	int fd = -1;
	struct entry *e = NULL;
	uint64_t size;
	if (s->dirfd >= 0) {
		fd = open_in_dir(s, name, err);
		if (fd < 0)
			return -1;
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: not a regular file", s->path, name);
		}
		size = (uint64_t)st.st_size;
		src = (struct shp_src){.kind = SRC_FD, .fd = fd, .left = size};
	} else {
		e = resolve(s, name);
		if (!e)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: \"%s\" is not in the archive", s->path, name);
		size = (uint64_t)e->size;
		if (size > limit)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %llu bytes, more than the %zu allowed", s->path,
					     name, (unsigned long long)size, limit);
		if (!e->data)
			return read_unkept(s, e, data, len, err);
		*data = shp_xmalloc(size + 1);
		memcpy(*data, e->data, size + 1);
		*len = size;
		return 0;
	}
	if (size > limit) {
		close(fd);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: %llu bytes, more than the %zu allowed", s->path, name,
				     (unsigned long long)size, limit);
	}
	char *buf = shp_xmalloc(size + 1);
	size_t got = 0;
	while (got < size) {
		ssize_t k = shp_src_read(&src, buf + got, size - got);
		if (k <= 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s/%s: %s", s->path, name, src.error ? src.error : "short read");
			src_done(&src);
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)k;
	}
	close(fd);
	buf[size] = 0;
	*data = buf;
	*len = size;
	return 0;
}

/* ---- streaming ---- */

struct stream_run {
	struct shp_store *s;
	const char *const *names;
	struct entry **target; /* resolved entry per name (tar stores) */
	size_t n;
	atomic_size_t next;     /* directory stores: next index to take */
	atomic_int *claimed;    /* tar stores: per name */
	atomic_size_t nclaimed;
	atomic_int stop; /* a blob failed: take no more (the image is refused anyway) */
	struct shp_error **errs;
	shp_store_fn fn;
	void *arg;
};

static void run_one(struct stream_run *r, size_t i, struct shp_src *src)
{
	if (r->fn(r->arg, i, src, &r->errs[i]) < 0) {
		if (!r->errs[i])
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s: %s: read failed", r->s->path, r->names[i]);
		atomic_store(&r->stop, 1);
	}
	src_done(src);
}

static void *dir_worker(void *arg)
{
	struct stream_run *r = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n || atomic_load(&r->stop))
			return NULL;
		int fd = open_in_dir(r->s, r->names[i], &r->errs[i]);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s/%s: not a regular file", r->s->path, r->names[i]);
			close(fd);
			continue;
		}
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		struct shp_src src = {.kind = SRC_FD, .fd = fd, .left = (uint64_t)st.st_size};
		run_one(r, i, &src);
		close(fd);
	}
}

static void *tar_worker(void *arg)
{
	struct stream_run *r = arg;
	struct shp_error *err = NULL;
	struct archive *a = open_tar(r->s->path, &err);
	if (!a) {
		/* report on the first unclaimed name */
		for (size_t i = 0; i < r->n; i++)
			if (!atomic_exchange(&r->claimed[i], 1)) {
				r->errs[i] = err;
				atomic_fetch_add(&r->nclaimed, 1);
				return NULL;
			}
		shp_error_free(err);
		return NULL;
	}
	struct archive_entry *ae;
	while (atomic_load(&r->nclaimed) < r->n && !atomic_load(&r->stop)) {
		int rc = archive_read_next_header(a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc < ARCHIVE_WARN)
			break;
		_cleanup_free_ char *name = entry_name(ae);
		if (!name || archive_entry_hardlink(ae) || archive_entry_filetype(ae) != AE_IFREG)
			continue;
		for (size_t i = 0; i < r->n; i++) {
			if (!r->target[i] || strcmp(r->target[i]->name, name))
				continue;
			if (atomic_exchange(&r->claimed[i], 1))
				break; /* another worker has it */
			atomic_fetch_add(&r->nclaimed, 1);
			struct shp_src src = {.kind = SRC_ARCHIVE, .fd = -1, .archive = a};
			run_one(r, i, &src);
			break;
		}
	}
	archive_read_free(a);
	return NULL;
}

int shp_store_stream(struct shp_store *s, const char *const *names, size_t n, int jobs, shp_store_fn fn,
		     void *arg, struct shp_error **err)
{
	struct stream_run r = {.s = s, .names = names, .n = n, .fn = fn, .arg = arg};
	r.errs = shp_xcalloc(n ? n : 1, sizeof *r.errs);
	r.target = shp_xcalloc(n ? n : 1, sizeof *r.target);
	r.claimed = shp_xcalloc(n ? n : 1, sizeof *r.claimed);
	size_t pending = n;
	if (s->dirfd < 0) {
		pending = 0;
		for (size_t i = 0; i < n; i++) {
			r.target[i] = resolve(s, names[i]);
			if (!r.target[i]) {
				shp_error_set(&r.errs[i], SHP_EXIT_INPUT, "%s: \"%s\" is not in the archive", s->path, names[i]);
				r.claimed[i] = 1;
			} else if (atomic_load(&r.stop)) {
				r.claimed[i] = 1; /* not begun: not read */
			} else if (r.target[i]->data || r.target[i]->size == 0) {
				struct shp_src src = {.kind = SRC_MEM, .fd = -1, .mem = r.target[i]->data ? r.target[i]->data : "",
						      .left = (uint64_t)r.target[i]->size};
				r.claimed[i] = 1;
				run_one(&r, i, &src);
			} else
				pending++;
		}
		atomic_store(&r.nclaimed, n - pending);
		if (s->compressed)
			jobs = 1;
	}
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > pending)
		jobs = (int)(pending ? pending : 1);
	for (size_t i = 0; s->pipe && i < n; i++)
		if (!r.claimed[i]) {
			pipe_once(s, names[i], &r.errs[i]);
			r.claimed[i] = 1;
			pending--;
		}
	if (pending) {
		pthread_t *t = shp_xcalloc((size_t)jobs, sizeof *t);
		void *(*worker)(void *) = s->dirfd >= 0 ? dir_worker : tar_worker;
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
		for (size_t i = 0; s->dirfd < 0 && !atomic_load(&r.stop) && i < n; i++)
			if (!r.claimed[i] && !r.errs[i])
				shp_error_set(&r.errs[i], SHP_EXIT_INPUT, "%s: %s: not found while reading the archive "
						  "(truncated tar?)", s->path, names[i]);
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (r.errs[i] && rc == 0) {
			*err = r.errs[i];
			rc = -1;
		} else
			shp_error_free(r.errs[i]);
	}
	free(r.errs), free(r.target), free(r.claimed);
	return rc;
}
