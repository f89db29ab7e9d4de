/* store-cstorage.c - a store that is containers-storage on disk (podman, buildah, CRI-O),
 * read with no service running. Its path is the reference; the graph root and driver come
 * from it or from storage.conf. The store takes the image and layer stores' read locks as
 * containers/storage does (fcntl on images.lock and layers.lock) for as long as it is open.
 * Names in it: "images.json", "layers.json", "image/ID/KEY" (an image's big data: manifest,
 * config), and "layer/ID", whose stream is the layer's tar rebuilt from its tar-split and
 * its directory (tarsplit.h), layers on several threads. */
#include "image/cstorage.h"
#include "image/store-internal.h"
#include "image/tarsplit.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The drivers whose layers are directories holding the layer's files: where they are. */
struct driver {
	const char *name, *dir, *diff; /* "overlay", "overlay", "/diff": a layer's is ROOT/DIR/ID/DIFF */
};
static const struct driver drivers[] = {
	{"overlay", "overlay", "/diff"},
	{"vfs", "vfs/dir", ""},
	{"btrfs", "btrfs/subvolumes", ""},
};
#define NDRIVERS (sizeof drivers / sizeof drivers[0])

struct cs_store {
	struct shp_store base;
	struct shp_cstorage_ref ref; /* driver and root filled in */
	const struct driver *drv;
	char *where; /* "vfs@/var/lib/containers/storage" */
	int imagesfd, layersfd, datafd;
	int locks[2]; /* layers.lock, images.lock: held while open */
};

/* ---- the reference ---- */

void shp_cstorage_ref_free(struct shp_cstorage_ref *r)
{
	free(r->driver);
	free(r->root);
	free(r->runroot);
	free(r->name);
	*r = (struct shp_cstorage_ref){0};
}

static int bad_ref(const char *rest, const char *why, struct shp_error **err)
{
	return shp_error_set(err, SHP_EXIT_USAGE,
			     "containers-storage:%s: %s (expected containers-storage:[DRIVER@ROOT+RUNROOT]NAME)", rest,
			     why);
}

/* spec is DRIVER@ROOT+RUNROOT:OPTIONS with every part but ROOT optional. */
static int parse_spec(const char *rest, const char *spec, size_t n, struct shp_cstorage_ref *out,
		      struct shp_error **err)
{
	_cleanup_free_ char *s = shp_xstrndup(spec, n);
	char *p = s;
	char *at = strchr(p, '@');
	if (at) {
		if (at == p || !at[1])
			return bad_ref(rest, "an empty driver or root", err);
		out->driver = shp_xstrndup(p, (size_t)(at - p));
		p = at + 1;
	}
	char *colon = strchr(p, ':');
	if (colon)
		*colon = 0; /* driver options: nothing to read with them */
	char *plus = strchr(p, '+');
	if (plus) {
		*plus = 0;
		if (plus[1])
			out->runroot = shp_xstrdup(plus + 1);
	}
	if (*p)
		out->root = shp_xstrdup(p);
	if ((out->root && out->root[0] != '/') || (out->runroot && out->runroot[0] != '/'))
		return bad_ref(rest, "the root and run root are absolute paths", err);
	if (!out->root && !out->driver && !out->runroot)
		return bad_ref(rest, "an empty store specifier", err);
	return 0;
}

int shp_cstorage_ref_parse(const char *rest, struct shp_cstorage_ref *out, struct shp_error **err)
{
	*out = (struct shp_cstorage_ref){0};
	const char *name = rest;
	int rc = 0;
	if (rest[0] == '[') {
		const char *close = strchr(rest, ']');
		if (!close)
			rc = bad_ref(rest, "no ']' after the store specifier", err);
		else {
			rc = parse_spec(rest, rest + 1, (size_t)(close - rest - 1), out, err);
			name = close + 1;
		}
	} else {
		/* DRIVER@/ROOT...:NAME or /ROOT...:NAME: a name never starts with '/' */
		const char *at = strchr(rest, '@');
		size_t dl = at ? (size_t)(at - rest) : 0;
		int drv = at && at[1] == '/' && dl && strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789") == dl;
		if (rest[0] == '/' || drv) {
			const char *colon = strchr(drv ? at : rest, ':');
			if (!colon)
				rc = bad_ref(rest, "no ':' between the store and the image name", err);
			else {
				rc = parse_spec(rest, rest, (size_t)(colon - rest), out, err);
				name = colon + 1;
			}
		}
	}
	if (rc == 0 && !*name)
		rc = bad_ref(rest, "no image name", err);
	if (rc < 0) {
		shp_cstorage_ref_free(out);
		return -1;
	}
	out->name = shp_xstrdup(name);
	return 0;
}

/* ---- where the store is: the reference, else storage.conf, else the defaults ---- */

/* The value of key in the [storage] table of a storage.conf (TOML, the few lines it needs:
 * key = "value"); NULL when absent. Caller frees. */
static char *conf_value(const char *text, const char *key)
{
	int in_storage = 0;
	char *found = NULL;
	for (const char *l = text; l && *l;) {
		const char *end = strchrnul(l, '\n');
		const char *p = l;
		l = *end ? end + 1 : NULL;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '[') {
			in_storage = !strncmp(p, "[storage]", 9);
			continue;
		}
		size_t kl = strlen(key);
		if (!in_storage || (size_t)(end - p) <= kl || strncmp(p, key, kl))
			continue;
		p += kl;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p++ != '=')
			continue;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || (*p != '"' && *p != '\''))
			continue;
		char q = *p++;
		const char *close = memchr(p, q, (size_t)(end - p));
		if (!close)
			continue;
		free(found);
		found = shp_xstrndup(p, (size_t)(close - p));
	}
	return found;
}

/* The storage.conf containers/storage reads: $CONTAINERS_STORAGE_CONF, else (not root) the
 * user's, else the system's. Its text, or NULL when there is none; *user_conf when it is one
 * of the first two (a user's own, whose graphroot is theirs). */
static char *read_conf(int *user_conf)
{
	const char *env = getenv("CONTAINERS_STORAGE_CONF");
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	_cleanup_free_ char *mine = NULL;
	*user_conf = 0;
	if (geteuid() != 0)
		mine = xdg && xdg[0] == '/' ? shp_asprintf("%s/containers/storage.conf", xdg)
		       : home		    ? shp_asprintf("%s/.config/containers/storage.conf", home)
					    : NULL;
	const char *paths[] = {env, mine, "/etc/containers/storage.conf", "/usr/share/containers/storage.conf"};
	for (size_t i = 0; i < 4; i++) {
		if (!paths[i] || (env && i > 0))
			continue;
		char *text = NULL;
		size_t len;
		struct shp_error *e = NULL;
		/* a configuration file: a FIFO there is refused, never waited on */
		if (shp_read_file_at(AT_FDCWD, paths[i], SHP_OPEN_FOUND, NULL, 1u << 20, &text, &len, &e) == 0) {
			*user_conf = i <= 1;
			return text;
		}
		shp_error_free(e);
	}
	return NULL;
}

/* rootless_storage_path with $HOME, $UID and $USER put in, as containers/storage does.
 * Caller frees. */
static char *expand(const char *path)
{
	char uid[24];
	snprintf(uid, sizeof uid, "%u", (unsigned)geteuid());
	const char *home = getenv("HOME"), *user = getenv("USER");
	const struct {
		const char *var, *value;
	} vars[] = {{"$HOME", home ? home : ""}, {"$UID", uid}, {"$USER", user ? user : uid}};
	struct shp_buf b = {0};
	shp_buf_puts(&b, "");
	for (const char *p = path; *p;) {
		size_t i = 0;
		while (i < 3 && strncmp(p, vars[i].var, strlen(vars[i].var)))
			i++;
		if (i < 3) {
			shp_buf_puts(&b, vars[i].value);
			p += strlen(vars[i].var);
		} else
			shp_buf_putc(&b, *p++);
	}
	return shp_buf_steal(&b);
}

/* Fills in the root and driver the reference left out. */
static void defaults(struct shp_cstorage_ref *r)
{
	int user_conf;
	_cleanup_free_ char *conf = read_conf(&user_conf);
	if (!r->driver && conf)
		r->driver = conf_value(conf, "driver");
	if (r->driver && !r->driver[0]) {
		free(r->driver);
		r->driver = NULL;
	}
	if (!r->driver && getenv("STORAGE_DRIVER") && *getenv("STORAGE_DRIVER"))
		r->driver = shp_xstrdup(getenv("STORAGE_DRIVER"));
	if (r->root)
		return;
	if (geteuid() == 0) {
		r->root = conf ? conf_value(conf, "graphroot") : NULL;
		if (!r->root)
			r->root = shp_xstrdup("/var/lib/containers/storage");
		return;
	}
	/* rootless: the user's own file's graphroot, else the system file's rootless path */
	r->root = conf ? conf_value(conf, user_conf ? "graphroot" : "rootless_storage_path") : NULL;
	if (r->root && !user_conf) {
		char *x = expand(r->root);
		free(r->root);
		r->root = x;
	}
	if (r->root && r->root[0] != '/') {
		free(r->root);
		r->root = NULL;
	}
	if (!r->root) {
		const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
		r->root = data && data[0] == '/' ? shp_asprintf("%s/containers/storage", data)
			  : home		 ? shp_asprintf("%s/.local/share/containers/storage", home)
						 : shp_xstrdup("/var/lib/containers/storage");
	}
}

/* ---- opening ---- */

static int open_dir_at(int dirfd, const char *name, const char *shown, struct shp_error **err)
{
	return shp_open_at(dirfd, name, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS | SHP_OPEN_DIR, shown, err);
}

/* The driver whose image store is in the root, when the reference and configuration name
 * none: the only one there (containers/storage too refuses to guess between several). */
static int detect_driver(struct cs_store *s, int rootfd, struct shp_error **err)
{
	const char *found = NULL;
	size_t n = 0;
	for (size_t i = 0; i < NDRIVERS; i++) {
		_cleanup_free_ char *p = shp_asprintf("%s-images/images.json", drivers[i].name);
		struct stat st;
		if (fstatat(rootfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			found = drivers[i].name;
			n++;
		}
	}
	if (n == 1) {
		s->ref.driver = shp_xstrdup(found);
		return 0;
	}
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: %s (name the driver: containers-storage:[DRIVER@%s]NAME, DRIVER one of overlay, "
			     "vfs, btrfs)",
			     s->ref.root,
			     n ? "images of several drivers"
			       : "no image store in it (no overlay-images, "
				 "vfs-images or btrfs-images)",
			     s->ref.root);
}

/* A shared lock on a store's lock file as containers/storage takes it for reading (fcntl
 * F_RDLCK on the whole file, waiting for a writer to finish); -1 when the file is absent
 * (a store never written has nothing to lock against). */
static int read_lock(int dirfd, const char *name, const char *shown, struct shp_error **err)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		shp_error_errno(err, errno, "%s/%s", shown, name);
		return -2;
	}
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	int r;
	do
		r = fcntl(fd, F_SETLKW, &fl);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		shp_error_errno(err, errno, "%s/%s: taking the read lock", shown, name);
		close(fd);
		return -2;
	}
	return fd;
}

static int cs_open(struct shp_store *base, struct shp_error **err)
{
	struct cs_store *s = (struct cs_store *)base;
	s->imagesfd = s->layersfd = s->datafd = s->locks[0] = s->locks[1] = -1;
	if (shp_cstorage_ref_parse(base->path, &s->ref, err) < 0)
		return -1;
	defaults(&s->ref);
	_cleanup_close_ int rootfd = open(s->ref.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return shp_error_errno(err, errno, "%s: %s at %s", base->path,
				       errno == ENOENT ? "no containers-storage" : "the containers-storage",
				       s->ref.root);
	if (!s->ref.driver && detect_driver(s, rootfd, err) < 0)
		return -1;
	const char *dn = !strcmp(s->ref.driver, "overlay2") ? "overlay" : s->ref.driver;
	for (size_t i = 0; i < NDRIVERS && !s->drv; i++)
		if (!strcmp(drivers[i].name, dn))
			s->drv = &drivers[i];
	if (!s->drv)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: the %s driver's layers are not read (overlay, vfs and btrfs are)", base->path,
				     s->ref.driver);
	s->where = shp_asprintf("%s@%s", s->drv->name, s->ref.root);
	_cleanup_free_ char *images = shp_asprintf("%s-images", s->drv->name);
	_cleanup_free_ char *layers = shp_asprintf("%s-layers", s->drv->name);
	_cleanup_free_ char *ishown = shp_asprintf("%s/%s", s->ref.root, images);
	_cleanup_free_ char *lshown = shp_asprintf("%s/%s", s->ref.root, layers);
	_cleanup_free_ char *dshown = shp_asprintf("%s/%s", s->ref.root, s->drv->dir);
	if ((s->imagesfd = open_dir_at(rootfd, images, ishown, err)) < 0 ||
	    (s->layersfd = open_dir_at(rootfd, layers, lshown, err)) < 0)
		return shp_error_wrap(err, "%s: no %s image store", base->path, s->drv->name);
	/* the layers' directories may be absent in a store whose images have none */
	s->datafd = shp_open_at(rootfd, s->drv->dir, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS | SHP_OPEN_DIR, dshown, NULL);
	/* layers first, then images: the order containers/storage's writers take them in (to
	 * delete an image, say), so that waiting for one while holding the other never makes a
	 * cycle with a writer */
	if ((s->locks[0] = read_lock(s->layersfd, "layers.lock", lshown, err)) < -1 ||
	    (s->locks[1] = read_lock(s->imagesfd, "images.lock", ishown, err)) < -1)
		return shp_error_wrap(err, "%s", base->path);
	return 0;
}

static void cs_close(struct shp_store *base)
{
	struct cs_store *s = (struct cs_store *)base;
	/* closing a lock file's descriptor releases its lock */
	int fds[] = {s->locks[1], s->locks[0], s->datafd, s->layersfd, s->imagesfd};
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(s->where);
	shp_cstorage_ref_free(&s->ref);
}

const char *shp_cstorage_image_name(const struct shp_store *s) { return ((const struct cs_store *)s)->ref.name; }

const char *shp_cstorage_where(const struct shp_store *s) { return ((const struct cs_store *)s)->where; }

/* ---- names ---- */

static int locate(struct cs_store *s, const char *name, int *dirfd, char **file, struct shp_error **err);

char *shp_cstorage_path(const struct shp_store *base, const char *name)
{
	struct cs_store *s = (struct cs_store *)base;
	int dirfd;
	_cleanup_free_ char *file = NULL;
	if (locate(s, name, &dirfd, &file, NULL) < 0)
		return shp_xstrdup(name);
	return shp_asprintf("%s/%s-%s/%s", s->ref.root, s->drv->name, dirfd == s->layersfd ? "layers" : "images", file);
}

/* An image or layer ID as containers/storage makes them (64 hex digits; chosen ones are
 * letters, digits, '-', '_' and '.'): never a path. */
static int id_ok(const char *id, size_t n)
{
	if (n == 0 || n > 128 || id[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", id[i]))
			return 0;
	return 1;
}

/* The file a big data item is kept in: the key itself when only [.0-9a-z], else "=" and
 * the key in base64 (containers/storage's makeBigDataBaseName). */
static char *big_data_file(const char *key)
{
	size_t n = strlen(key);
	if (strspn(key, ".0123456789abcdefghijklmnopqrstuvwxyz") == n)
		return shp_xstrdup(key);
	char *out = shp_xmalloc(2 + (n + 2) / 3 * 4 + 1);
	out[0] = '=';
	EVP_EncodeBlock((unsigned char *)out + 1, (const unsigned char *)key, (int)n);
	return out;
}

/* Where name lives: a directory and the file's name in it (caller frees *file); -1 with
 * err for a name that is none of the store's. */
static int locate(struct cs_store *s, const char *name, int *dirfd, char **file, struct shp_error **err)
{
	if (!strcmp(name, "images.json") || !strcmp(name, "layers.json")) {
		*dirfd = name[0] == 'i' ? s->imagesfd : s->layersfd;
		*file = shp_xstrdup(name);
		return 0;
	}
	if (!strncmp(name, "image/", 6)) {
		const char *id = name + 6, *slash = strchr(id, '/');
		if (slash && id_ok(id, (size_t)(slash - id)) && slash[1]) {
			_cleanup_free_ char *f = big_data_file(slash + 1);
			if (!strchr(f, '/')) {
				*dirfd = s->imagesfd;
				*file = shp_asprintf("%.*s/%s", (int)(slash - id), id, f);
				return 0;
			}
		}
	}
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: \"%s\" is not an image's or layer's name", s->base.path, name);
}

static int cs_find(struct shp_store *base, const char *name, struct shp_error **err)
{
	struct cs_store *s = (struct cs_store *)base;
	int dirfd;
	_cleanup_free_ char *file = NULL;
	if (locate(s, name, &dirfd, &file, err) < 0)
		return -1;
	struct shp_error *e = NULL;
	int fd = shp_open_at(dirfd, file, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, file, &e);
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

static char *cs_canonical(struct shp_store *base, const char *name)
{
	(void)base;
	return shp_xstrdup(name);
}

static int cs_read(struct shp_store *base, const char *name, size_t limit, char **data, size_t *len,
		   struct shp_error **err)
{
	struct cs_store *s = (struct cs_store *)base;
	int dirfd;
	_cleanup_free_ char *file = NULL;
	if (locate(s, name, &dirfd, &file, err) < 0)
		return -1;
	_cleanup_free_ char *shown = shp_cstorage_path(base, name);
	return shp_read_file_at(dirfd, file, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, shown, limit, data, len, err);
}

/* ---- streaming: layer/ID is the layer's tar, rebuilt ---- */

struct layer_files {
	int difffd;
	const char *shown; /* the layer's directory, for messages */
};

/* A file of the layer's directory: beneath it, through no link (a link the layer holds is a
 * link entry of the tar, never content), and a regular file. */
static int open_layer_file(void *arg, const char *name, struct shp_error **err)
{
	struct layer_files *lf = arg;
	_cleanup_free_ char *clean = shp_xstrdup(name);
	_cleanup_free_ char *shown = shp_asprintf("%s/%s", lf->shown, name);
	if (shp_path_clean(clean) < 0 || !*clean)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: the name leaves the layer's directory", shown);
	return shp_open_at(lf->difffd, clean, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, shown, err);
}

/* Streams layer/ID through the run's fn (i its index). */
/* -1 with r->errs[i] set when the layer cannot be begun (errors while it is read are the
 * run's fn's, which names the image). */
static int stream_layer(struct cs_store *s, struct shp_store_run *r, size_t i)
{
	const char *id = r->names[i] + 6;
	if (strncmp(r->names[i], "layer/", 6) || !id_ok(id, strlen(id))) {
		shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "%s: \"%s\" is not a layer's name", s->base.path,
			      r->names[i]);
		return -1;
	}
	_cleanup_free_ char *split = shp_asprintf("%s.tar-split.gz", id);
	_cleanup_free_ char *split_shown = shp_asprintf("%s/%s-layers/%s", s->ref.root, s->drv->name, split);
	_cleanup_free_ char *diff = shp_asprintf("%s%s", id, s->drv->diff);
	_cleanup_free_ char *diff_shown = shp_asprintf("%s/%s/%s", s->ref.root, s->drv->dir, diff);
	_cleanup_close_ int sfd =
		shp_open_at(s->layersfd, split, SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, split_shown, &r->errs[i]);
	if (sfd < 0) {
		shp_error_wrap(&r->errs[i], "layer %s: its tar cannot be rebuilt without its tar-split", id);
		return -1;
	}
	if (s->datafd < 0) {
		shp_error_set(&r->errs[i], SHP_EXIT_INPUT, "layer %s: %s/%s: no such directory", id, s->ref.root,
			      s->drv->dir);
		return -1;
	}
	_cleanup_close_ int dfd = open_dir_at(s->datafd, diff, diff_shown, &r->errs[i]);
	if (dfd < 0) {
		shp_error_wrap(&r->errs[i], "layer %s", id);
		return -1;
	}
	struct stat st;
	if (fstat(sfd, &st) < 0) {
		shp_error_errno(&r->errs[i], errno, "%s", split_shown);
		return -1;
	}
	posix_fadvise(sfd, 0, 0, POSIX_FADV_SEQUENTIAL);
	struct layer_files lf = {dfd, diff_shown};
	struct shp_src in = {.kind = SHP_SRC_FD, .fd = sfd, .left = (uint64_t)st.st_size};
	struct shp_tarsplit *ts = shp_tarsplit_new(in, split_shown, open_layer_file, &lf);
	struct shp_src src = shp_src_function(shp_tarsplit_read, ts);
	shp_store_run_one(r, i, &src);
	shp_tarsplit_free(ts);
	return 0;
}

/* The same, its own errors prefixed with the reference as the scan's are. */
static void stream_one(struct cs_store *s, struct shp_store_run *r, size_t i)
{
	if (stream_layer(s, r, i) < 0)
		shp_error_wrap(&r->errs[i], "%s", s->base.path);
}

static size_t cs_stream_begin(struct shp_store_run *r, int *jobs)
{
	(void)jobs;
	return r->n; /* every layer is rebuilt by a worker */
}

static void *cs_worker(void *arg)
{
	struct shp_store_run *r = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n || atomic_load(&r->stop))
			return NULL;
		stream_one((struct cs_store *)r->s, r, i);
	}
}

const struct shp_store_ops shp_store_cstorage = {
	.name = "containers-storage",
	.size = sizeof(struct cs_store),
	.open = cs_open,
	.close = cs_close,
	.find = cs_find,
	.canonical = cs_canonical,
	.read = cs_read,
	.stream_begin = cs_stream_begin,
	.stream_worker = cs_worker,
};
