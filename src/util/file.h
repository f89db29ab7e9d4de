/* file.h - reading whole (bounded) files, walking and making directories. */
#pragma once
#include "util/error.h"
#include <fcntl.h> /* AT_FDCWD */
#include <stddef.h>
#include <stdint.h>

/* Sanity limit: the largest text input (Dockerfile, config) read whole. */
#define SHP_MAX_TEXT_FILE (64u << 20)

/* Sanity limit: symlinks followed in one path resolved inside a root (as Linux's 40). */
#define SHP_MAX_LINK_HOPS 40

/* How shp_open_at opens an input. The rule: a path the user names (on the command line, "-",
 * /dev/stdin, a <(...) pipe) is read as given, a FIFO or device too, since the user chose it;
 * a file found INSIDE an input (a root directory, an OCI layout, a host root, a default
 * configuration file) is opened without blocking and must be a regular file, or a FIFO
 * planted there would hang the scan and a device would be read. */
enum {
	SHP_OPEN_FOUND = 1 << 0,    /* found inside an input: never blocks, only a regular file */
	SHP_OPEN_IN_ROOT = 1 << 1,  /* dirfd is a root: "..", absolute names and symlinks stay in it */
	SHP_OPEN_NO_LINKS = 1 << 2, /* beneath dirfd, and no symlink anywhere on the way */
	SHP_OPEN_DIR = 1 << 3,	    /* a directory is opened too (not an error) */
	SHP_OPEN_LSTAT = 1 << 4,    /* O_PATH, the last component not followed: for fstat only */
};

/* Opens path relative to dirfd (AT_FDCWD: as given) for reading, as `how` says; RESOLVE_IN_ROOT
 * or RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS through openat2 where the kernel has it, else one
 * component at a time. With SHP_OPEN_FOUND, the descriptor of a regular file (or directory,
 * with SHP_OPEN_DIR), blocking again; without, whatever path is. Or -1 with err naming
 * `shown` (path when NULL), and errno kept (ENOENT: absent). */
int shp_open_at(int dirfd, const char *path, unsigned how, const char *shown, struct shp_error **err);

/* Reads path ("-" is stdin) into a NUL-terminated buffer the caller frees.
 * Files over `limit` bytes are an error naming the file. For a path the user named. */
int shp_read_file(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err);
/* The same, but a directory is not an error: returns 1 with *out NULL. */
int shp_read_file_or_dir(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err);
/* The same for path relative to dirfd opened as `how` says (shp_open_at): a file found inside
 * an input. Errors name `shown`; errno is kept (ENOENT: absent). */
int shp_read_file_at(int dirfd, const char *path, unsigned how, const char *shown, size_t limit, char **out,
		     size_t *len, struct shp_error **err);

/* The 1-based line and column of byte off of text (len bytes; an offset past the end is the
 * end): where an error in a text input is. */
void shp_text_place(const char *text, size_t len, size_t off, size_t *line, size_t *col);

/* Calls fn(path, arg) once for each regular file below dir whose base name satisfies match(),
 * in sorted order; then for those reached only through symbolic links, which are followed
 * inside dir. A file with several names is taken once, by the first. Links out of dir, to
 * nothing or in a loop, and directories past the depth limit are said on stderr. Returns -1
 * with err on an unreadable directory. */
int shp_walk_dir(const char *dir, int (*match)(const char *base), int (*fn)(const char *path, void *arg), void *arg,
		 struct shp_error **err);

/* Writes all n bytes of p to fd (again after a signal or a short write): 0, or -1 with errno
 * (EIO for a write that wrote nothing). */
int shp_write_all(int fd, const void *p, size_t n);
/* Reads exactly n bytes of fd at off (again after a signal or a short read): 0, or -1 with
 * errno (EIO at the end of the file). */
int shp_pread_all(int fd, void *buf, size_t n, uint64_t off);

/* 1 when path p is directory dir or below it (both resolved: absolute, no links, no ..). */
int shp_path_below(const char *p, const char *dir);

/* Makes the directories leading to path (not path itself), mode 0755. */
int shp_mkdirs(const char *path);
/* Syncs the directory path is in, so that a rename or a new file there outlives a crash
 * (best effort: errors are ignored). */
void shp_fsync_dir_of(const char *path);
/* A file or directory of shipshape's under the user's cache directory: the value of the
 * environment variable env when set, else $XDG_CACHE_HOME/shipshape/name (when absolute),
 * else $HOME/.cache/shipshape/name. Caller frees. */
char *shp_cache_path(const char *env, const char *name);
/* The same under the user's configuration directory ($XDG_CONFIG_HOME, ~/.config); env may
 * be NULL. Caller frees. */
char *shp_config_path(const char *env, const char *name);
