/* glob.h - path patterns as Trivy's --skip-files and --skip-dirs take them (doublestar
 * globs): "*" and "?" within one path component, "**" across components ("**\/" also
 * none), [...] classes. Paths and patterns are compared without a leading "/" or "./".
 * Compiled once into PCRE2 (anchored, with PCRE2's match limits), so no pattern makes a
 * match slow. */
#pragma once
#include "util/error.h"

struct shp_glob;

/* Compiles pattern; as_dir: it also matches everything below what it matches. NULL and
 * *err on a pattern that cannot be compiled (an unclosed [ class, say). */
struct shp_glob *shp_glob_new(const char *pattern, int as_dir, struct shp_error **err);
/* 1 if path matches g. */
int shp_glob_match(const struct shp_glob *g, const char *path);
void shp_glob_free(struct shp_glob *g);
