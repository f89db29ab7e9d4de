/* output.c - see output.h. */
#include "util/output.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void shp_inputs_add(struct shp_inputs *in, const char *path, enum shp_in_kind kind)
{
	if (shp_output_is_stdout(path))
		return;
	struct shp_input i = {shp_xstrdup(path), kind};
	SHP_PUSH(in->v, in->n, in->cap, i);
}

void shp_inputs_free(struct shp_inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->v[i].path);
	free(in->v);
	*in = (struct shp_inputs){0};
}

int shp_output_is_stdout(const char *path) { return !strcmp(path, "-"); }

static const char *type_name(mode_t m)
{
	return S_ISCHR(m)    ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISDIR(m)  ? "a directory"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISSOCK(m) ? "a socket"
			     : "not a regular file";
}

/* Where path is or would be, links resolved (the caller frees); NULL when its directory
 * cannot be resolved (the write will fail and say so). */
static char *real_location(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || errno != ENOENT)
		return r;
	_cleanup_free_ char *dir = shp_xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	if (slash == dir)
		dir[1] = 0;
	else if (slash)
		*slash = 0;
	_cleanup_free_ char *rdir = realpath(slash ? dir : ".", NULL);
	if (!rdir)
		return NULL;
	return shp_asprintf("%s%s%s", rdir, strcmp(rdir, "/") ? "/" : "", base);
}

int shp_output_check(const char *out, enum shp_out_kind kind, const struct shp_inputs *in, struct shp_error **err)
{
	if (shp_output_is_stdout(out))
		return 0;
	struct stat st;
	int exists = 0;
	if (lstat(out, &st) == 0) {
		if (stat(out, &st) < 0)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: a symbolic link to nothing: refusing to write through it", out);
		exists = 1;
		int ok = S_ISREG(st.st_mode) ||
			 (kind == SHP_OUT_STREAM && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)));
		if (!ok)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: is %s, not a regular file: refusing to %s it",
					     out, type_name(st.st_mode),
					     kind == SHP_OUT_REPLACE ? "replace" : "write to");
	} else if (errno != ENOENT)
		return shp_error_errno(err, errno, "%s", out);
	_cleanup_free_ char *where = NULL;
	for (size_t i = 0; in && i < in->n; i++) {
		const struct shp_input *x = &in->v[i];
		struct stat ist;
		if (stat(x->path, &ist) < 0)
			continue;
		/* a device or FIFO read and written (lint /dev/stdin -o /dev/stdout) loses nothing */
		if (exists && S_ISREG(st.st_mode) && ist.st_dev == st.st_dev && ist.st_ino == st.st_ino)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: the output is the input %s: refusing to overwrite it", out, x->path);
		if (x->kind != SHP_IN_TREE || !S_ISDIR(ist.st_mode))
			continue;
		if (!where && !(where = real_location(out)))
			return 0;
		_cleanup_free_ char *rin = realpath(x->path, NULL);
		if (rin && shp_path_below(where, rin))
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: the output is inside the input %s: refusing to write into it", out,
					     x->path);
	}
	return 0;
}

int shp_outfile_open(struct shp_outfile *f, const char *path, struct shp_error **err)
{
	*f = (struct shp_outfile){.fd = -1};
	if (shp_output_is_stdout(path)) {
		f->fd = STDOUT_FILENO;
		f->to_stdout = 1;
		return 0;
	}
	if (shp_output_check(path, SHP_OUT_REPLACE, NULL, err) < 0)
		return -1;
	/* the file a link names is the one replaced, never the link */
	f->target = realpath(path, NULL);
	if (!f->target)
		f->target = shp_xstrdup(path);
	f->tmp = shp_asprintf("%s.shipshape-XXXXXX", f->target);
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;
		free(f->tmp);
		f->tmp = NULL;
		free(f->target);
		f->target = NULL;
		return shp_error_errno(err, e, "%s: cannot make a file beside it", path);
	}
	return 0;
}

/* The block a new file is copied into its target in. */
#define COPY_BLOCK (1u << 16)

/* Copies the new file at fd into target, which must still be the regular file st describes:
 * the same inode, so its links, owner, mode and attributes stay. */
static int copy_into(int fd, const char *target, const struct stat *st, struct shp_error **err)
{
	_cleanup_close_ int t = open(target, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat now;
	if (t < 0 || fstat(t, &now) < 0)
		return shp_error_errno(err, errno, "%s", target);
	if (!S_ISREG(now.st_mode) || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: changed while it was written: left as it was", target);
	off_t len = lseek(fd, 0, SEEK_END);
	if (len < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return shp_error_errno(err, errno, "%s", target);
	_cleanup_free_ char *buf = shp_xmalloc(COPY_BLOCK);
	for (;;) {
		ssize_t r = read(fd, buf, COPY_BLOCK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return shp_error_errno(err, errno, "%s: write failed", target);
		if (r == 0)
			break;
		if (shp_write_all(t, buf, (size_t)r) < 0)
			return shp_error_errno(err, errno, "%s: write failed", target);
	}
	if (ftruncate(t, len) < 0 || fsync(t) < 0)
		return shp_error_errno(err, errno, "%s: write failed", target);
	return 0;
}

int shp_outfile_commit(struct shp_outfile *f, struct shp_error **err)
{
	if (f->to_stdout) {
		f->fd = -1;
		return 0;
	}
	struct stat st;
	int exists = lstat(f->target, &st) == 0, rc = -1;
	if (exists && !S_ISREG(st.st_mode)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s now, not a regular file: left as it is", f->target,
			      type_name(st.st_mode));
		goto out;
	}
	/* rename keeps nothing of the old file: only when there is nothing to keep but its mode,
	 * owner and group, and those can be given to the new file */
	int rename_ok = !exists || st.st_nlink == 1;
	if (exists && rename_ok && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(f->fd, st.st_uid, st.st_gid) < 0)
		rename_ok = 0;
	mode_t mask = umask(022);
	umask(mask);
	int e = 0;
	if (rename_ok && fchmod(f->fd, exists ? st.st_mode & 07777 : 0666 & ~mask) < 0)
		e = errno;
	if (!e && fsync(f->fd) < 0)
		e = errno;
	if (e) {
		shp_error_errno(err, e, "%s: write failed", f->target);
		goto out;
	}
	if (!rename_ok) {
		if (copy_into(f->fd, f->target, &st, err) < 0)
			goto out;
	} else if (rename(f->tmp, f->target) < 0) {
		shp_error_errno(err, errno, "%s: write failed", f->target);
		goto out;
	} else {
		free(f->tmp);
		f->tmp = NULL;
	}
	rc = 0;
out:
	shp_outfile_abort(f);
	return rc;
}

void shp_outfile_abort(struct shp_outfile *f)
{
	if (f->fd >= 0 && !f->to_stdout)
		close(f->fd);
	f->fd = -1;
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->target);
	f->tmp = f->target = NULL;
}

int shp_temp_fd(const char *near, struct shp_error **err)
{
	_cleanup_free_ char *name = NULL;
	if (near) {
		name = shp_asprintf("%s.shipshape-XXXXXX", near);
	} else {
		const char *d = getenv("TMPDIR");
		name = shp_asprintf("%s/shipshape-XXXXXX", d && *d == '/' ? d : "/tmp");
	}
	int fd = mkostemp(name, O_CLOEXEC);
	if (fd < 0)
		return shp_error_errno(err, errno, "%s: cannot make a temporary file", near ? near : name);
	unlink(name); /* nothing is left behind, whatever happens */
	return fd;
}
