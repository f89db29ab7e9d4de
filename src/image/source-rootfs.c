/* source-rootfs.c - a root filesystem directory as an image of one layer: its entries come
 * from lstat (never following a link), and the analyzers read each file by its path in the
 * root, never through a symlink nor out of it. */
#include "image/image-internal.h"
#include "image/store.h"
#include "pkg/pkg.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* A file of a root (rootfd) by its path in it: never through a symlink nor out of the root,
 * and only a regular file, opened without waiting (an unreadable one is recorded, not read). */
static int open_entry(int rootfd, const char *path)
{
	return shp_open_at(rootfd, path, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, NULL, NULL);
}

/* An executable of a root filesystem: a Go program's build information, where its ELF
 * section headers say (the file is not read through). */
static void read_program(struct shp_layer_scan *s, size_t idx, int rootfd, const char *path)
{
	int fd = open_entry(rootfd, path);
	if (fd < 0)
		return;
	size_t len;
	_cleanup_free_ char *blob = shp_gobin_read_elf(fd, s->entries[idx].size, &len);
	close(fd);
	if (blob)
		shp_layer_pkgdb(s, idx, SHP_DB_GO_BINARY, blob, len);
}

/* A root filesystem is one layer whose entries come from lstat, never following links. */
int shp_source_rootfs_scan(struct shp_image *img, int packages_only, struct shp_error **err)
{
	img->scans = shp_xcalloc(1, sizeof *img->scans);
	img->nscans = 1;
	img->scans[0].packages_only = packages_only;
	img->layers = shp_xcalloc(1, sizeof *img->layers);
	img->nlayers = 1;
	img->layers[0] = (struct shp_layer){.blob = shp_xstrdup(img->input), .history = -1};
	struct shp_layer_scan *s = &img->scans[0];
	s->sums.compression = "none";
	_cleanup_close_ int rootfd = open(img->input, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return shp_error_errno(err, errno, "%s", img->input);
	char *roots[] = {img->input, NULL};
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_XDEV, NULL);
	if (!fts)
		return shp_error_errno(err, errno, "%s", img->input);
	size_t rootlen = strlen(img->input);
	char *buf = NULL;
	size_t cap = 0;
	enum { BLOCK = 256 << 10 };
	_cleanup_free_ char *block = shp_xmalloc(BLOCK);
	int rc = 0;
	FTSENT *f;
	while ((f = fts_read(fts))) {
		if (f->fts_info == FTS_DP || f->fts_level == 0)
			continue;
		if (f->fts_info == FTS_DNR || f->fts_info == FTS_ERR || f->fts_info == FTS_NS) {
			rc = shp_error_errno(err, f->fts_errno, "%s", f->fts_path);
			break;
		}
		if (s->nentries >= SHP_IMG_MAX_ENTRIES) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %u files", img->input, SHP_IMG_MAX_ENTRIES);
			break;
		}
		const struct stat *st = f->fts_statp;
		struct shp_entry e = {.path = f->fts_path + rootlen + (f->fts_path[rootlen] == '/'),
				      .mode = st->st_mode & 07777, .uid = st->st_uid, .gid = st->st_gid};
		char link[4097];
		switch (st->st_mode & S_IFMT) {
		case S_IFDIR: e.type = SHP_FT_DIR; break;
		case S_IFLNK: {
			e.type = SHP_FT_SYMLINK;
			ssize_t k = readlink(f->fts_accpath, link, sizeof link - 1);
			link[k > 0 ? k : 0] = 0;
			e.link = link;
			e.size = 0;
			break;
		}
		case S_IFCHR: e.type = SHP_FT_CHAR; break;
		case S_IFBLK: e.type = SHP_FT_BLOCK; break;
		case S_IFIFO: e.type = SHP_FT_FIFO; break;
		case S_IFSOCK: e.type = SHP_FT_SOCKET; break;
		default: e.type = SHP_FT_FILE; e.size = (uint64_t)st->st_size;
		}
		if (e.type == SHP_FT_FILE && lgetxattr(f->fts_accpath, "security.capability", NULL, 0) > 0)
			e.flags |= SHP_EF_CAPS;
		size_t idx = shp_layer_add_entry(s, &e);
		s->sums.tar_bytes += e.size;
		enum shp_pkgdb_kind db = shp_layer_pkgdb_kind(s, idx);
		int secrets = shp_layer_wants_content(s, idx);
		if (db == SHP_DB_NONE && shp_layer_maybe_program(s, idx))
			read_program(s, idx, rootfd, e.path);
		if (db == SHP_DB_JAVA_ARCHIVE) {
			int fd = open_entry(rootfd, e.path);
			if (fd < 0) {
				shp_layer_unscanned(s, idx, SHP_UNSCANNED_UNREADABLE);
				continue;
			}
			shp_layer_java_archive(s, idx, NULL, fd);
			close(fd);
			continue;
		}
		if (!secrets && db == SHP_DB_NONE)
			continue;
		if (db != SHP_DB_NONE && e.size > SHP_PKGDB_MAX_BYTES) {
			shp_layer_pkgdb(s, idx, db, NULL, 0); /* records "too large" */
			continue;
		}
		int fd = open_entry(rootfd, e.path);
		if (fd < 0) {
			shp_layer_unscanned(s, idx, SHP_UNSCANNED_UNREADABLE);
			continue;
		}
		if (db == SHP_DB_NONE) { /* block by block, searched in windows */
			struct shp_content c;
			shp_layer_content_begin(&c, s, idx, &buf, &cap);
			uint64_t got = 0;
			ssize_t r;
			while (got < e.size && (r = read(fd, block, BLOCK)) > 0 &&
			       shp_layer_content_feed(&c, block, (size_t)r, got))
				got += (uint64_t)r;
			shp_layer_content_end(&c);
			close(fd);
			continue;
		}
		if (cap < e.size + 1)
			buf = shp_xrealloc(buf, cap = e.size + 1);
		size_t got = 0;
		while (got < e.size) {
			ssize_t r = read(fd, buf + got, e.size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		close(fd);
		shp_layer_pkgdb(s, idx, db, buf, got);
		if (secrets && got > 0)
			shp_layer_content(s, idx, buf, got);
	}
	free(buf);
	fts_close(fts);
	return rc;
}

/* ---- the source's descriptor ---- */

/* Any directory is a root filesystem, when nothing in it names a format. */
static int rootfs_bid(struct shp_store *s, struct shp_error **err)
{
	(void)err;
	return shp_store_is_dir(s) ? SHP_BID_DIRECTORY : 0;
}

static int rootfs_scan(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err)
{
	return shp_source_rootfs_scan(img, o->packages_only, err);
}

const struct shp_source shp_source_rootfs = {
	.name = "rootfs",
	.kind = SHP_IMG_ROOTFS,
	.wants = "a directory",
	.bid = rootfs_bid,
	.scan = rootfs_scan,
};
