/* file.c - see file.h. */
#include "util/file.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_file(const char *path, size_t limit, char **out, size_t *len, int dir_ok, struct shp_error **err);

int shp_read_file(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err)
{
	return read_file(path, limit, out, len, 0, err);
}

int shp_read_file_or_dir(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err)
{
	return read_file(path, limit, out, len, 1, err);
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

static int read_file(const char *path, size_t limit, char **out, size_t *len, int dir_ok, struct shp_error **err)
{
	int is_stdin = strcmp(path, "-") == 0;
	_cleanup_close_ int fd = is_stdin ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return shp_error_errno(err, errno, "%s", is_stdin ? "<stdin>" : path);
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (dir_ok) {
			*out = NULL;
			return 1;
		}
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: is a directory", path);
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > limit)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit", path, limit >> 20);
	size_t cap = S_ISREG(st.st_mode) && (size_t)st.st_size < limit ? (size_t)st.st_size + 1 : 65536;
	_cleanup_free_ char *buf = shp_xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > limit)
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit",
						     is_stdin ? "<stdin>" : path, limit >> 20);
			cap *= 2;
			buf = shp_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return shp_error_errno(err, errno, "%s", is_stdin ? "<stdin>" : path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > limit)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %zu MiB limit",
					     is_stdin ? "<stdin>" : path, limit >> 20);
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
	_cleanup_buf_ struct shp_buf line = {0};
	shp_buf_term_printf(&line, "shipshape: %s: skipped: %s%s%s", path, why, to ? " " : "", to ? to : "");
	shp_buf_putc(&line, '\n');
	fputs(line.data, stderr);
}

/* 1 when p (resolved) is dir (resolved) or below it. */
static int is_below(const char *p, const char *dir)
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
	if (!is_below(to, w->real_top)) {
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
		if (rparent && is_below(rparent, to))
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

char *shp_cache_path(const char *env, const char *name)
{
	const char *e = getenv(env);
	if (e && *e)
		return shp_xstrdup(e);
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x == '/')
		return shp_asprintf("%s/shipshape/%s", x, name);
	const char *h = getenv("HOME");
	return shp_asprintf("%s/.cache/shipshape/%s", h && *h ? h : ".", name);
}
