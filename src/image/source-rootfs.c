/* source-rootfs.c - a root filesystem directory as an image of one layer: its entries come
 * from lstat (never following a link), and the analyzers read each file by its path in the
 * root, never through a symlink nor out of it. */
#include "image/analyzer.h"
#include "image/image-internal.h"
#include "image/progress.h"
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

/* The content of a root's files, for the analyzers: opened by path when one wants it, read
 * up to the size lstat gave (a read error ends it, as the file's end would). */
struct root_src {
	struct shp_an_source s;
	int rootfd;
	struct shp_progress *progress; /* the bytes read are counted there (or NULL) */
	char *block;
	uint64_t size, got;
};
enum { BLOCK = 256 << 10 };

static int root_open(struct shp_an_source *s, const struct shp_entry *e)
{
	struct root_src *r = (struct root_src *)s;
	r->size = e->size;
	r->got = 0;
	s->fd = open_entry(r->rootfd, e->path);
	return s->fd < 0 ? -1 : 0;
}

static int root_read(struct shp_an_source *s, const void **p, size_t *n, uint64_t *off)
{
	struct root_src *r = (struct root_src *)s;
	if (r->got >= r->size)
		return 0;
	ssize_t k = read(s->fd, r->block, r->size - r->got < BLOCK ? (size_t)(r->size - r->got) : BLOCK);
	if (k <= 0)
		return 0;
	*p = r->block;
	*n = (size_t)k;
	*off = r->got;
	r->got += (uint64_t)k;
	shp_progress_read(r->progress, (uint64_t)k);
	return 1;
}

static void root_close(struct shp_an_source *s)
{
	close(s->fd);
	s->fd = -1;
}

/* A root filesystem is one layer whose entries come from lstat, never following links. */
int shp_source_rootfs_scan(struct shp_image *img, int packages_only, struct shp_error **err)
{
	img->scans = shp_xcalloc(1, sizeof *img->scans);
	img->nscans = 1;
	img->scans[0].packages_only = packages_only;
	img->layers = shp_xcalloc(1, sizeof *img->layers);
	img->nlayers = 1;
	shp_progress_layers(img->progress, 1);
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
	_cleanup_free_ char *block = shp_xmalloc(BLOCK);
	struct root_src src = {.s = {.open = root_open, .read = root_read, .close = root_close, .fd = -1, .sized = 1},
			       .rootfd = rootfd,
			       .progress = img->progress,
			       .block = block};
	struct shp_analysis an;
	shp_analysis_begin(&an, s);
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
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %u files", img->input,
					   SHP_IMG_MAX_ENTRIES);
			break;
		}
		const struct stat *st = f->fts_statp;
		struct shp_entry e = {.path = f->fts_path + rootlen + (f->fts_path[rootlen] == '/'),
				      .mode = st->st_mode & 07777,
				      .uid = st->st_uid,
				      .gid = st->st_gid};
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
		shp_analysis_entry(&an, idx, &src.s);
	}
	shp_analysis_end(&an);
	fts_close(fts);
	shp_progress_layer_done(img->progress, 0);
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
