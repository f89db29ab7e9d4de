/* store-tar.c - a store that is a tar (docker save, OCI archive; gzip, zstd, xz or bzip2
 * around it at most once). It is indexed once with libarchive; layer blobs are then read by
 * workers that each open the tar again and claim the wanted entries as they pass them, so an
 * uncompressed tar is read in parallel with seeks and a compressed one front to back, once.
 * A tar that can be read only once (a pipe, an engine's stream, whose manifest comes last)
 * is scanned as it is indexed: each layer as it passes, the results handed over later. */
#include "image/image.h"
#include "image/progress.h"
#include "image/store-internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_BLOCK (256u << 10)

static int cmp_entry(const void *a, const void *b)
{
	const struct shp_tar_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_name(const void *key, const void *b) { return strcmp(key, ((const struct shp_tar_entry *)b)->name); }

static struct shp_tar_entry *find(struct shp_tar_store *s, const char *name)
{
	return s->n ? bsearch(name, s->v, s->n, sizeof *s->v, cmp_name) : NULL;
}

/* Follows symlinks and hardlinks inside the tar to a regular entry; NULL if missing,
 * outside, or a link loop deeper than SHP_STORE_MAX_LINKS. */
static struct shp_tar_entry *resolve(struct shp_tar_store *s, const char *name)
{
	_cleanup_free_ char *cur = shp_xstrdup(name);
	if (shp_path_clean(cur) < 0)
		return NULL;
	for (int hop = 0; hop <= SHP_STORE_MAX_LINKS; hop++) {
		struct shp_tar_entry *e = find(s, cur);
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
	return size <= SHP_STORE_MAX_METADATA &&
	       (!strcmp(base, "manifest.json") || !strcmp(base, "index.json") || !strcmp(base, "repositories") ||
		(n > 5 && !strcmp(name + n - 5, ".json")));
}

/* A read of a tar that is not a file: libarchive pulls the input's source. */
struct feed {
	const struct shp_tar_input *input;
	struct shp_src src;
	void *ctx;
	char *buf;
};

static la_ssize_t feed_read(struct archive *a, void *ud, const void **buf)
{
	struct feed *f = ud;
	ssize_t k = shp_src_read(&f->src, f->buf, READ_BLOCK);
	if (k < 0) {
		archive_set_error(a, EIO, "%s", f->src.error);
		return -1;
	}
	*buf = f->buf;
	return k;
}

static int feed_close(struct archive *a, void *ud)
{
	(void)a;
	struct feed *f = ud;
	f->input->done(f->ctx);
	free(f->src.error);
	free(f->buf);
	free(f);
	return ARCHIVE_OK;
}

/* Whether libarchive's last error says the input ended early ("Truncated input file",
 * "Truncated tar archive", a compressed stream cut short). */
static int cut_error(struct archive *a)
{
	const char *m = archive_error_string(a);
	return m && strcasestr(m, "truncated");
}

/* Opens the tar for reading; NULL with err. *cut (when not NULL) is set when it failed
 * because the input ends early (a compressed stream cut short before a first entry). */
static struct archive *open_tar(struct shp_tar_store *s, int *cut, struct shp_error **err)
{
	const char *path = s->base.path;
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	int r;
	if (s->input) {
		struct feed *f = shp_xcalloc(1, sizeof *f);
		f->input = s->input;
		if (s->input->start(&s->base, &f->src, &f->ctx, err) < 0) {
			free(f);
			archive_read_free(a);
			return NULL;
		}
		f->buf = shp_xmalloc(READ_BLOCK);
		/* the close callback frees f, even when the open fails */
		r = archive_read_open(a, f, NULL, feed_read, feed_close);
	} else
		r = archive_read_open_filename(a, path, READ_BLOCK);
	if (r != ARCHIVE_OK && cut && cut_error(a)) {
		shp_error_set(err, SHP_EXIT_INPUT,
			      "%s: a truncated archive: it ends before its first entry could be read (%s)", path,
			      archive_error_string(a));
		*cut = 1;
		archive_read_free(a);
		return NULL;
	}
	if (r != ARCHIVE_OK) {
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

/* ---- scanning a tar read once ---- */

/* An entry's data: the bytes already looked at, then the rest from the archive. */
struct peeked {
	struct archive *a;
	const char *head;
	size_t len, off;
};

static ssize_t peeked_read(void *ctx, void *buf, size_t n, char **error)
{
	struct peeked *p = ctx;
	if (p->off < p->len) {
		size_t k = n < p->len - p->off ? n : p->len - p->off;
		memcpy(buf, p->head + p->off, k);
		p->off += k;
		return (ssize_t)k;
	}
	la_ssize_t k = archive_read_data(p->a, buf, n);
	if (k < 0) {
		*error = shp_xstrdup(archive_error_string(p->a));
		return -1;
	}
	return k;
}

/* True if the bytes begin a JSON object or array (a config, a manifest), not a layer (a tar,
 * gzip or zstd, whose first byte is a file name's, 0x1f or 0x28). */
static int json_like(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n && (p[i] == '{' || p[i] == '[');
}

/* The error for a tar that ends early, naming where: inside entry n (name, size bytes
 * declared) when inside is 1, in the header after it when 0, either when -1 (a compressed
 * tar or a pipe, whose length is not known). Returns -1. */
static int cut_short(struct shp_tar_store *s, size_t n, const char *name, int64_t size, int inside,
		     struct shp_error **err)
{
	struct stat st;
	_cleanup_free_ char *at = !s->input && !s->compressed && stat(s->base.path, &st) == 0 && S_ISREG(st.st_mode)
					  ? shp_asprintf(", at byte %lld", (long long)st.st_size)
					  : shp_xstrdup("");
	if (inside > 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: a truncated image archive: it ends inside entry %zu (%s, %lld bytes)%s",
				     s->base.path, n, name, (long long)size, at);
	if (inside == 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: a truncated image archive: it ends in the header after entry %zu (%s)%s",
				     s->base.path, n, name, at);
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: a truncated image archive: it ends inside entry %zu (%s, %lld bytes) or in the "
			     "header after it",
			     s->base.path, n, name, (long long)size);
}

/* An entry of a tar read once that its name and size did not keep: JSON metadata, told by
 * its content (a large config under a digest's name), is kept; anything else is scanned as
 * a layer now, its scan (or why it failed) kept for shp_store_scanned: whether the manifest
 * names it is known only at the end. -1 with err only when the tar itself fails. */
static int pass_entry(struct shp_tar_store *s, struct archive *a, struct shp_tar_entry *e, size_t n, size_t *buffered,
		      struct shp_error **err)
{
	char head[512];
	size_t want = e->size < (int64_t)sizeof head ? (size_t)e->size : sizeof head;
	la_ssize_t got = archive_read_data(a, head, want);
	if ((got >= 0 && (size_t)got != want) || (got < 0 && cut_error(a)))
		return cut_short(s, n, e->name, e->size, 1, err);
	if (got < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", s->base.path, e->name, archive_error_string(a));
	if (json_like(head, want) && e->size <= SHP_STORE_MAX_METADATA &&
	    *buffered + (size_t)e->size <= SHP_STORE_MAX_BUFFERED) {
		e->data = shp_xmalloc((size_t)e->size + 1);
		memcpy(e->data, head, want);
		size_t rest = (size_t)e->size - want;
		got = rest ? archive_read_data(a, e->data + want, rest) : 0;
		if ((got >= 0 && (size_t)got != rest) || (got < 0 && cut_error(a)))
			return cut_short(s, n, e->name, e->size, 1, err);
		if (got < 0)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", s->base.path, e->name,
					     archive_error_string(a));
		e->data[e->size] = 0;
		*buffered += (size_t)e->size;
		return 0;
	}
	struct peeked pk = {.a = a, .head = head, .len = want};
	struct shp_src src = shp_src_function(peeked_read, &pk);
	e->scan = shp_xcalloc(1, sizeof *e->scan);
	e->scan->packages_only = s->base.lim.opts->packages_only;
	if (shp_layer_read(&src, e->name, s->base.lim.budget, e->scan, &e->scan_err) < 0) {
		shp_layer_scan_free(e->scan);
		free(e->scan);
		e->scan = NULL;
	}
	shp_progress_layer_done(s->base.lim.budget->progress, 0);
	free(src.error);
	return 0;
}

static void entry_free(struct shp_tar_entry *e)
{
	free(e->name);
	free(e->link);
	free(e->data);
	if (e->scan)
		shp_layer_scan_free(e->scan);
	free(e->scan);
	shp_error_free(e->scan_err);
}

static int index_tar(struct shp_tar_store *s, struct shp_error **err)
{
	int cut = 0;
	struct archive *a = open_tar(s, &cut, err);
	if (!a)
		return cut ? -2 : -1;
	/* the first read of a tar that cannot be read again at will scans its layers */
	int pass = s->base.lim.opts && s->base.lim.budget && (s->base.pipe || s->input);
	size_t buffered = 0, names = 0, count = 0;
	uint64_t bytes = 0; /* the tar's size as its headers declare it */
	/* over: an error that is not "not an image" (a limit, a truncated archive) */
	int rc = 0, over = 0;
	struct archive_entry *ae;
	_cleanup_free_ char *last = NULL; /* the entry before, for where a truncated tar ends */
	int64_t last_at = 0, last_size = 0;
	for (;; count++) {
		int r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF) {
			/* the end-of-archive blocks are consumed when there: without them the tar
			 * stops where its last entry does (a pax header makes last_at early: never
			 * taken for a cut) */
			if (last && archive_filter_bytes(a, 0) <= last_at + 512 + (last_size + 511) / 512 * 512)
				s->base.cut = shp_asprintf("after entry %zu (%s)", count, last);
			break;
		}
		if (r < ARCHIVE_WARN && last && cut_error(a)) {
			/* skipping the entry before to this header ran out: in its data, or here */
			struct stat st;
			int inside = -1;
			if (!s->input && !s->compressed && stat(s->base.path, &st) == 0 && S_ISREG(st.st_mode))
				inside = last_at + 512 + last_size > (int64_t)st.st_size;
			rc = cut_short(s, count, last, last_size, inside, err);
			over = 1;
			break;
		}
		if (r < ARCHIVE_WARN && cut_error(a)) { /* no entry read yet */
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: a truncated archive: it ends in its first entry (%s)", s->base.path,
					   archive_error_string(a));
			over = 1;
			break;
		}
		if (r < ARCHIVE_WARN) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: entry %zu: %s", s->base.path, count + 1,
					   archive_error_string(a));
			break;
		}
		free(last);
		last = shp_xstrdup(archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "?");
		last_at = archive_read_header_position(a);
		last_size = archive_entry_size(ae) > 0 ? archive_entry_size(ae) : 0;
		if (count == 0)
			s->compressed = archive_filter_count(a) > 1;
		if (count >= s->base.lim.max_entries) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %zu entries (SHP_STORE_MAX_ENTRIES)",
					   s->base.path, s->base.lim.max_entries);
			over = 1;
			break;
		}
		const char *raw = archive_entry_pathname(ae), *ln = archive_entry_hardlink(ae);
		if (!ln)
			ln = archive_entry_symlink(ae);
		names += (raw ? strlen(raw) : 0) + (ln ? strlen(ln) : 0);
		if (names > s->base.lim.max_name_bytes) {
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: more than %zu bytes of entry names (SHP_STORE_MAX_NAME_BYTES)",
					   s->base.path, s->base.lim.max_name_bytes);
			over = 1;
			break;
		}
		/* checked before the data is skipped (decompressed, when the tar is compressed), and
		 * against what was decompressed so far (headers of long names and pax records) */
		int64_t size = archive_entry_size(ae);
		bytes += 512 + ((size > 0 ? (uint64_t)size : 0) + 511) / 512 * 512;
		uint64_t seen = (uint64_t)archive_filter_bytes(a, 0);
		if (bytes > s->base.lim.max_bytes || seen > s->base.lim.max_bytes) {
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: more than %llu bytes after decompression (a decompression "
					   "bomb?); raise --max-image-bytes if the image is genuine",
					   s->base.path, (unsigned long long)s->base.lim.max_bytes);
			over = 1;
			break;
		}
		char *name = entry_name(ae);
		if (!name) /* outside the archive root: never a name a manifest may use */
			continue;
		struct shp_tar_entry e = {.name = name,
					  .seq = s->n,
					  .type = (int)archive_entry_filetype(ae),
					  .size = archive_entry_size(ae)};
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
				if (got >= 0 || cut_error(a)) {
					rc = cut_short(s, count + 1, name, e.size, 1, err);
					over = 1;
				} else
					rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", s->base.path, name,
							   archive_error_string(a));
				free(e.data);
				free(e.link);
				free(name);
				break;
			}
			e.data[e.size] = 0;
			buffered += (size_t)e.size;
		} else if (pass && e.type == AE_IFREG && !e.link && e.size > 0 &&
			   pass_entry(s, a, &e, count + 1, &buffered, err) < 0) {
			rc = -1;
			over = 1; /* the tar read as one, then failed: not "not an image" */
			entry_free(&e);
			break;
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
			entry_free(&s->v[i]);
			continue;
		}
		s->v[k++] = s->v[i];
	}
	s->n = k;
	return 0;
}

static int tar_open(struct shp_store *base, struct shp_error **err)
{
	struct stat st;
	if (stat(base->path, &st) < 0)
		return shp_error_errno(err, errno, "%s", base->path);
	base->pipe = !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode);
	return index_tar((struct shp_tar_store *)base, err);
}

int shp_tar_index(struct shp_tar_store *s, struct shp_error **err) { return index_tar(s, err); }

void shp_tar_close(struct shp_store *base)
{
	struct shp_tar_store *s = (struct shp_tar_store *)base;
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->v[i]);
	free(s->v);
}

void shp_tar_each(struct shp_store *base, void (*fn)(const char *name, void *arg), void *arg)
{
	struct shp_tar_store *s = (struct shp_tar_store *)base;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].type == AE_IFREG)
			fn(s->v[i].name, arg);
}

char *shp_tar_canonical(struct shp_store *base, const char *name)
{
	struct shp_tar_entry *e = resolve((struct shp_tar_store *)base, name);
	return shp_xstrdup(e ? e->name : name);
}

int shp_tar_find(struct shp_store *base, const char *name, struct shp_error **err)
{
	(void)err;
	return resolve((struct shp_tar_store *)base, name) != NULL;
}

/* A pipe cannot be opened again for an entry the index did not keep (opening a FIFO again
 * would wait for a writer that is gone): said, not waited on. */
static int pipe_once(struct shp_tar_store *s, const char *name, struct shp_error **err)
{
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: %s: a pipe is read once, and this entry is too large to keep from that pass "
			     "(save the image to a file)",
			     s->base.path, name);
}

/* An entry that was not kept while indexing: one more pass over the tar (the last entry
 * of that name wins, as in the index). */
static int read_unkept(struct shp_tar_store *s, const struct shp_tar_entry *e, char **data, size_t *len,
		       struct shp_error **err)
{
	if (s->base.pipe)
		return pipe_once(s, e->name, err);
	struct archive *a = open_tar(s, NULL, err);
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
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: could not be read", s->base.path, e->name);
	*data = found;
	*len = (size_t)e->size;
	return 0;
}

int shp_tar_read(struct shp_store *base, const char *name, size_t limit, char **data, size_t *len,
		 struct shp_error **err)
{
	struct shp_tar_store *s = (struct shp_tar_store *)base;
	struct shp_tar_entry *e = resolve(s, name);
	if (!e)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: \"%s\" is not in the archive", s->base.path, name);
	uint64_t size = (uint64_t)e->size;
	if (size > limit)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %llu bytes, more than the %zu allowed", s->base.path,
				     name, (unsigned long long)size, limit);
	if (!e->data)
		return read_unkept(s, e, data, len, err);
	*data = shp_xmalloc(size + 1);
	memcpy(*data, e->data, size + 1);
	*len = size;
	return 0;
}

/* ---- streaming ---- */

/* Small entries were kept by the index and are served from memory; the others are left to
 * the workers (none, for a pipe: it was read once). */
size_t shp_tar_stream_begin(struct shp_store_run *r, int *jobs)
{
	struct shp_tar_store *s = (struct shp_tar_store *)r->s;
	size_t pending = 0, n = r->n;
	for (size_t i = 0; i < n; i++) {
		struct shp_tar_entry *e = resolve(s, r->names[i]);
		r->target[i] = e;
		if (!e) {
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s: \"%s\" is not in the archive", s->base.path,
				      r->names[i]);
			r->claimed[i] = 1;
		} else if (atomic_load(&r->stop)) {
			r->claimed[i] = 1; /* not begun: not read */
		} else if (e->data || e->size == 0) {
			struct shp_src src = {.kind = SHP_SRC_MEM,
					      .fd = -1,
					      .mem = e->data ? e->data : "",
					      .left = (uint64_t)e->size};
			r->claimed[i] = 1;
			shp_store_run_one(r, i, &src);
		} else
			pending++;
	}
	atomic_store(&r->nclaimed, n - pending);
	if (s->compressed || s->input) /* read front to back, once per worker */
		*jobs = 1;
	for (size_t i = 0; s->base.pipe && i < n; i++)
		if (!r->claimed[i]) {
			pipe_once(s, r->names[i], &r->errs[i]);
			r->claimed[i] = 1;
			pending--;
		}
	return pending;
}

void *shp_tar_worker(void *arg)
{
	struct shp_store_run *r = arg;
	struct shp_error *err = NULL;
	struct archive *a = open_tar((struct shp_tar_store *)r->s, NULL, &err);
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
			const struct shp_tar_entry *e = r->target[i];
			if (!e || strcmp(e->name, name))
				continue;
			if (atomic_exchange(&r->claimed[i], 1))
				break; /* another worker has it */
			atomic_fetch_add(&r->nclaimed, 1);
			struct shp_src src = {.kind = SHP_SRC_ARCHIVE, .fd = -1, .archive = a};
			shp_store_run_one(r, i, &src);
			break;
		}
	}
	archive_read_free(a);
	return NULL;
}

void shp_tar_stream_end(struct shp_store_run *r)
{
	for (size_t i = 0; !atomic_load(&r->stop) && i < r->n; i++)
		if (!r->claimed[i] && !r->errs[i])
			shp_error_set(&r->errs[i], SHP_EXIT_INPUT,
				      "%s: %s: not found while reading the archive "
				      "(truncated tar?)",
				      r->s->path, r->names[i]);
}

int shp_tar_scanned(struct shp_store *base, const char *name, struct shp_layer_scan *scan, struct shp_error **err)
{
	struct shp_tar_entry *e = resolve((struct shp_tar_store *)base, name);
	if (e && e->scan_err) /* copied: the layers that share the blob each say it */
		return shp_error_set(err, e->scan_err->code, "%s", e->scan_err->msg);
	if (!e || !e->scan)
		return 0;
	*scan = *e->scan;
	free(e->scan);
	e->scan = NULL;
	return 1;
}

const struct shp_store_ops shp_store_tar = {
	.name = "tar",
	.size = sizeof(struct shp_tar_store),
	.open = tar_open,
	.close = shp_tar_close,
	.find = shp_tar_find,
	.canonical = shp_tar_canonical,
	.each = shp_tar_each,
	.read = shp_tar_read,
	.stream_begin = shp_tar_stream_begin,
	.stream_worker = shp_tar_worker,
	.stream_end = shp_tar_stream_end,
	.scanned = shp_tar_scanned,
};
