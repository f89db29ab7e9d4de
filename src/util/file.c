/* file.c - see file.h. */
#include "util/file.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int read_fd(int fd, const char *shown, size_t limit, char **out, size_t *len, int dir_ok,
		   struct shp_error **err);

int shp_read_file(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err)
{
	return shp_read_file_at(AT_FDCWD, path, 0, NULL, limit, out, len, err);
}

int shp_read_file_or_dir(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err)
{
	return shp_read_file_at(AT_FDCWD, path, SHP_OPEN_DIR, NULL, limit, out, len, err);
}

int shp_read_file_at(int dirfd, const char *path, unsigned how, const char *shown, size_t limit, char **out,
		     size_t *len, struct shp_error **err)
{
	int is_stdin = dirfd == AT_FDCWD && strcmp(path, "-") == 0;
	if (is_stdin)
		shown = "<stdin>";
	_cleanup_close_ int fd = is_stdin ? dup(0) : shp_open_at(dirfd, path, how, shown, err);
	if (fd < 0)
		return is_stdin ? shp_error_errno(err, errno, "<stdin>") : -1;
	int rc = read_fd(fd, shown ? shown : path, limit, out, len, how & SHP_OPEN_DIR, err);
	if (rc < 0 && errno == ENOENT)
		errno = EIO; /* there, but unreadable: ENOENT says absent only */
	return rc;
}

void shp_text_place(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* openat2(2) with `resolve`; -1 with ENOSYS where the kernel (or a seccomp filter, which
 * may say EPERM) does not have it. */
static int openat2_fd(int dirfd, const char *path, int flags, uint64_t resolve)
{
#ifdef SYS_openat2
	struct open_how h = {.flags = (uint64_t)flags, .resolve = resolve};
	for (int tries = 0; tries < 8; tries++) { /* EAGAIN: a rename raced the lookup */
		int fd = (int)syscall(SYS_openat2, dirfd, path, &h, sizeof h);
		if (fd >= 0 || errno != EAGAIN)
			return fd;
	}
	return -1;
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* The directory `done` (components without links, relative to dirfd) opened again, one
 * component at a time and none followed: where ".." leads in walk_open. */
static int reopen_dir(int dirfd, const char *done)
{
	int fd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *copy = shp_xstrdup(done);
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	return fd;
}

/* RESOLVE_IN_ROOT (in_root) or RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS by hand, for kernels
 * without openat2: one component at a time, each opened O_NOFOLLOW from the one before, so a
 * link swapped in meanwhile fails rather than leads out. In a root, a symlink's target takes
 * its place (an absolute one from the root) and ".." stops at the root; beneath dirfd, a
 * symlink is ELOOP and climbing above dirfd EXDEV. The last component is not followed when
 * flags has O_NOFOLLOW. */
static int walk_open(int dirfd, const char *path, int flags, int in_root)
{
	if (path[0] == '/' && !in_root) {
		errno = EXDEV;
		return -1;
	}
	_cleanup_free_ char *rest = shp_xstrdup(path);
	_cleanup_free_ char *done = shp_xstrdup("");
	int cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), hops = 0, e;
	size_t at = 0;
	while (cur >= 0) {
		while (rest[at] == '/')
			at++;
		if (!rest[at]) { /* "" or a name ending in "/": the directory reached */
			int fd = openat(cur, ".", flags & ~O_NOFOLLOW);
			e = errno;
			close(cur);
			errno = e;
			return fd;
		}
		size_t n = strcspn(rest + at, "/"), after = at + n;
		while (rest[after] == '/')
			after++;
		int last = !rest[after];
		_cleanup_free_ char *name = shp_xstrndup(rest + at, n);
		at += n;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			char *slash = strrchr(done, '/');
			if (!*done) {
				if (in_root)
					continue; /* clamped at the root, as a chroot would */
				e = EXDEV;
				break;
			}
			*(slash ? slash : done) = 0;
			close(cur);
			cur = reopen_dir(dirfd, done);
			if (cur < 0)
				return -1;
			continue;
		}
		if (!last || !(flags & O_NOFOLLOW)) {
			char target[4096];
			ssize_t k = readlinkat(cur, name, target, sizeof target - 1);
			if (k >= 0) {
				if (!in_root || ++hops > SHP_MAX_LINK_HOPS) {
					e = ELOOP;
					break;
				}
				target[k] = 0;
				char *spliced = shp_asprintf("%s/%s", target, rest + at);
				free(rest);
				rest = spliced;
				at = 0;
				if (target[0] == '/') {
					done[0] = 0;
					close(cur);
					cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
					if (cur < 0)
						return -1;
				}
				continue;
			}
			if (errno != EINVAL) { /* EINVAL: not a link */
				e = errno;
				break;
			}
		}
		if (last) {
			int fd = openat(cur, name, flags | O_NOFOLLOW);
			e = errno;
			close(cur);
			errno = e;
			return fd;
		}
		int next = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		close(cur);
		cur = next;
		if (cur < 0) {
			errno = e;
			return -1;
		}
		char *longer = *done ? shp_asprintf("%s/%s", done, name) : shp_xstrdup(name);
		free(done);
		done = longer;
	}
	if (cur < 0)
		return -1;
	close(cur); /* the loop broke with e */
	errno = e;
	return -1;
}

int shp_open_at(int dirfd, const char *path, unsigned how, const char *shown, struct shp_error **err)
{
	const char *name = shown ? shown : path;
	int flags = O_RDONLY | O_CLOEXEC;
	if (how & SHP_OPEN_FOUND)
		flags |= O_NONBLOCK; /* a FIFO opens at once, and is refused below */
	if (how & SHP_OPEN_LSTAT)
		flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	if (how & SHP_OPEN_NO_LINKS)
		flags |= O_NOFOLLOW;
	int fd;
	if (how & (SHP_OPEN_IN_ROOT | SHP_OPEN_NO_LINKS)) {
		int in_root = (how & SHP_OPEN_IN_ROOT) != 0;
		fd = openat2_fd(dirfd, path, flags,
				in_root ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS
					: RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
		if (fd < 0 && (errno == ENOSYS || errno == EPERM))
			fd = walk_open(dirfd, path, flags, in_root);
	} else {
		fd = openat(dirfd, path, flags);
	}
	if (fd < 0) {
		int e = errno;
		shp_error_errno(err, e, "%s", name);
		errno = e;
		return -1;
	}
	if ((how & SHP_OPEN_LSTAT) || !(how & SHP_OPEN_FOUND))
		return fd; /* for fstat only, or named by the user: read_fd looks at what it is */
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		shp_error_errno(err, e, "%s", name);
		errno = e;
		return -1;
	}
	if (S_ISDIR(st.st_mode) && !(how & SHP_OPEN_DIR)) {
		close(fd);
		errno = EISDIR;
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: is a directory", name);
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a regular file", name);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* The whole of fd (a regular file, or a stream the user named) up to limit bytes. */
static int read_fd(int fd, const char *shown, size_t limit, char **out, size_t *len, int dir_ok, struct shp_error **err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return shp_error_errno(err, errno, "%s", shown);
	if (S_ISDIR(st.st_mode)) {
		if (dir_ok) {
			*out = NULL;
			return 1;
		}
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: is a directory", shown);
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > limit)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit", shown, limit >> 20);
	size_t cap = S_ISREG(st.st_mode) && (size_t)st.st_size < limit ? (size_t)st.st_size + 1 : 65536;
	_cleanup_free_ char *buf = shp_xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > limit)
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit", shown,
						     limit >> 20);
			cap *= 2;
			buf = shp_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return shp_error_errno(err, errno, "%s", shown);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > limit)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit", shown,
					     limit >> 20);
		if (S_ISREG(st.st_mode) && n == (size_t)st.st_size && n < cap)
			break; /* the whole regular file: no extra read() to see EOF */
	}
	buf[n] = 0;
	*out = steal_pointer(&buf);
	if (len)
		*len = n;
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sanity limit: directory depth followed when looking for inputs. */
#define MAX_WALK_DEPTH 64

/* A file or directory met in a walk, by identity: each is taken once however many names
 * (hard links, symbolic links) reach it. */
struct devino {
	dev_t dev;
	ino_t ino;
};

/* A symbolic link met in a walk, followed once the real tree is walked. */
struct link {
	char *path;
	int depth;
};

struct walk {
	int (*match)(const char *);
	int (*fn)(const char *, void *);
	void *arg;
	const char *top;     /* as given, for messages */
	char *real_top;	     /* resolved: a link may not lead out of it */
	struct devino *seen; /* open addressing, size a power of two, at most half full */
	size_t nseen, cseen;
	struct link *links;
	size_t nlinks, clinks;
};

/* Notes the file st describes; 1 when it was already noted. */
static int seen_add(struct walk *w, const struct stat *st)
{
	if (2 * (w->nseen + 1) > w->cseen) {
		struct walk old = *w;
		w->cseen = w->cseen ? 2 * w->cseen : 256;
		w->seen = shp_xcalloc(w->cseen, sizeof *w->seen);
		w->nseen = 0;
		for (size_t i = 0; i < old.cseen; i++)
			if (old.seen[i].ino || old.seen[i].dev) {
				struct stat o = {.st_dev = old.seen[i].dev, .st_ino = old.seen[i].ino};
				seen_add(w, &o);
			}
		free(old.seen);
	}
	size_t mask = w->cseen - 1;
	size_t h = ((size_t)st->st_ino * 0x9E3779B97F4A7C15ull ^ (size_t)st->st_dev) & mask;
	for (;; h = (h + 1) & mask) {
		struct devino *d = &w->seen[h];
		if (!d->ino && !d->dev) {
			*d = (struct devino){st->st_dev, st->st_ino};
			w->nseen++;
			return 0;
		}
		if (d->ino == st->st_ino && d->dev == st->st_dev)
			return 1;
	}
}

/* Says on stderr what a walk passed over, and why: a walk that finds nothing must not
 * look like a tree with nothing in it. */
static void skipped(const char *path, const char *why, const char *to)
{
	if (shp_quiet())
		return;
	_cleanup_buf_ struct shp_buf line = {0};
	shp_buf_term_printf(&line, "shipshape: %s: skipped: %s%s%s", path, why, to ? " " : "", to ? to : "");
	shp_buf_putc(&line, '\n');
	fputs(line.data, stderr);
}

int shp_pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			errno = r < 0 ? errno : EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int shp_write_all(int fd, const void *p, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, (const char *)p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			errno = w < 0 ? errno : EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

int shp_path_below(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strcmp(dir, "/") || (!strncmp(p, dir, n) && (p[n] == '/' || !p[n]));
}

static int walk(struct walk *w, const char *dir, int depth, struct shp_error **err)
{
	if (depth > MAX_WALK_DEPTH) {
		_cleanup_free_ char *why = shp_asprintf("deeper than the limit of %d directories", MAX_WALK_DEPTH);
		skipped(dir, why, NULL);
		return 0;
	}
	DIR *d = opendir(dir);
	if (!d)
		return shp_error_errno(err, errno, "%s", dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* Skip VCS and dependency trees: they never hold the project's Dockerfiles or manifests. */
		if (!strcmp(de->d_name, ".git") || !strcmp(de->d_name, "node_modules"))
			continue;
		SHP_PUSH(names, n, cap, shp_xstrdup(de->d_name));
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *p = shp_asprintf("%s/%s", dir, names[i]);
			struct stat st;
			if (lstat(p, &st) == 0) {
				if (S_ISLNK(st.st_mode)) {
					struct link l = {steal_pointer(&p), depth + 1};
					SHP_PUSH(w->links, w->nlinks, w->clinks, l);
				} else if (S_ISDIR(st.st_mode)) {
					if (!seen_add(w, &st))
						rc = walk(w, p, depth + 1, err);
				} else if (S_ISREG(st.st_mode) && w->match(names[i]) && !seen_add(w, &st))
					rc = w->fn(p, w->arg);
			}
			free(p);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Follows the link at l (after the real tree, so a file or directory is named by its own
 * path when it has one): inside the tree, a file is taken and a directory walked once;
 * a link out of the tree, to nothing, or to a directory above it (a loop) is said. */
static int follow(struct walk *w, struct link link, struct shp_error **err)
{
	const struct link *l = &link; /* a copy: following may grow w->links */
	const char *slash = strrchr(l->path, '/');
	const char *base = slash ? slash + 1 : l->path;
	struct stat st;
	if (stat(l->path, &st) < 0) {
		if (w->match(base))
			skipped(l->path, "a symbolic link to nothing", NULL);
		return 0;
	}
	int is_dir = S_ISDIR(st.st_mode);
	if (!is_dir && !(S_ISREG(st.st_mode) && w->match(base)))
		return 0;
	_cleanup_free_ char *to = realpath(l->path, NULL);
	if (!to)
		return 0;
	if (!shp_path_below(to, w->real_top)) {
		_cleanup_free_ char *why = shp_asprintf("a symbolic link out of %s, to", w->top);
		skipped(l->path, why, to);
		return 0;
	}
	if (!seen_add(w, &st))
		return is_dir ? walk(w, l->path, l->depth, err) : w->fn(l->path, w->arg);
	if (is_dir) {
		/* met before: a loop when it holds the link, else walked under its own name */
		_cleanup_free_ char *parent = slash ? shp_xstrndup(l->path, (size_t)(slash - l->path)) : NULL;
		_cleanup_free_ char *rparent = realpath(parent ? parent : ".", NULL);
		if (rparent && shp_path_below(rparent, to))
			skipped(l->path, "a symbolic link loop, to", to);
	}
	return 0;
}

int shp_walk_dir(const char *dir, int (*match)(const char *), int (*fn)(const char *, void *), void *arg,
		 struct shp_error **err)
{
	size_t l = strlen(dir);
	_cleanup_free_ char *d = shp_xstrdup(dir);
	while (l > 1 && d[l - 1] == '/')
		d[--l] = 0;
	struct walk w = {.match = match, .fn = fn, .arg = arg, .top = d, .real_top = realpath(d, NULL)};
	if (!w.real_top)
		return shp_error_errno(err, errno, "%s", d);
	struct stat st;
	if (stat(d, &st) == 0)
		seen_add(&w, &st);
	int rc = walk(&w, d, 0, err);
	/* links found while following links are appended, and followed in turn */
	for (size_t i = 0; i < w.nlinks; i++) {
		if (rc == 0)
			rc = follow(&w, w.links[i], err);
		free(w.links[i].path);
	}
	free(w.links);
	free(w.seen);
	free(w.real_top);
	return rc;
}

int shp_mkdirs(const char *path)
{
	_cleanup_free_ char *p = shp_xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/* $env (when env is not NULL and it is set), else $xdg/shipshape/name for an absolute $xdg,
 * else ~/dot/shipshape/name: the XDG base directories. */
static char *xdg_path(const char *env, const char *xdg, const char *dot, const char *name)
{
	const char *e = env ? getenv(env) : NULL;
	if (e && *e)
		return shp_xstrdup(e);
	const char *x = getenv(xdg);
	if (x && *x == '/')
		return shp_asprintf("%s/shipshape/%s", x, name);
	const char *h = getenv("HOME");
	return shp_asprintf("%s/%s/shipshape/%s", h && *h ? h : ".", dot, name);
}

char *shp_cache_path(const char *env, const char *name) { return xdg_path(env, "XDG_CACHE_HOME", ".cache", name); }

char *shp_config_path(const char *env, const char *name) { return xdg_path(env, "XDG_CONFIG_HOME", ".config", name); }

void shp_fsync_dir_of(const char *path)
{
	_cleanup_free_ char *dir = shp_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0; /* "/x.db" -> "/", "a/x.db" -> "a" */
	_cleanup_close_ int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
}
