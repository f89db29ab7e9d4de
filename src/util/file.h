/* file.h - reading whole (bounded) files, walking and making directories. */
#pragma once
#include "util/error.h"
#include <stddef.h>

/* Sanity limit: the largest text input (Dockerfile, config) read whole. */
#define SHP_MAX_TEXT_FILE (64u << 20)

/* Reads path ("-" is stdin) into a NUL-terminated buffer the caller frees.
 * Files over `limit` bytes are an error naming the file. */
int shp_read_file(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err);
/* The same, but a directory is not an error: returns 1 with *out NULL. */
int shp_read_file_or_dir(const char *path, size_t limit, char **out, size_t *len, struct shp_error **err);

/* The 1-based line and column of byte off of text (len bytes; an offset past the end is the
 * end): where an error in a text input is. */
void shp_text_place(const char *text, size_t len, size_t off, size_t *line, size_t *col);

/* Calls fn(path, arg) once for each regular file below dir whose base name satisfies match(),
 * in sorted order; then for those reached only through symbolic links, which are followed
 * inside dir. A file with several names is taken once, by the first. Links out of dir, to
 * nothing or in a loop, and directories past the depth limit are said on stderr. Returns -1
 * with err on an unreadable directory. */
int shp_walk_dir(const char *dir, int (*match)(const char *base), int (*fn)(const char *path, void *arg),
		 void *arg, struct shp_error **err);

/* Makes the directories leading to path (not path itself), mode 0755. */
int shp_mkdirs(const char *path);
/* A file or directory of shipshape's under the user's cache directory: the value of the
 * environment variable env when set, else $XDG_CACHE_HOME/shipshape/name (when absolute),
 * else $HOME/.cache/shipshape/name. Caller frees. */
char *shp_cache_path(const char *env, const char *name);
