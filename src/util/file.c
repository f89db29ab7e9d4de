/* file.c - see file.h. */
#include "util/file.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

static int walk(const char *dir, int depth, int (*match)(const char *), int (*fn)(const char *, void *), void *arg,
		struct shp_error **err)
{
	if (depth > MAX_WALK_DEPTH)
		return 0;
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
			_cleanup_free_ char *p = shp_asprintf("%s/%s", dir, names[i]);
			struct stat st;
			if (lstat(p, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					rc = walk(p, depth + 1, match, fn, arg, err);
				else if (S_ISREG(st.st_mode) && match(names[i]))
					rc = fn(p, arg);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int shp_walk_dir(const char *dir, int (*match)(const char *), int (*fn)(const char *, void *), void *arg,
		 struct shp_error **err)
{
	size_t l = strlen(dir);
	_cleanup_free_ char *d = shp_xstrdup(dir);
	while (l > 1 && d[l - 1] == '/')
		d[--l] = 0;
	return walk(d, 0, match, fn, arg, err);
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
