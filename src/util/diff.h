/* diff.h - unified diffs of two texts, line by line, as `diff -u` writes them, for
 * `shipshape fix --diff`. */
#pragma once
#include "util/buf.h"

#include <stddef.h>

/* Sanity limit: lines looked ahead to find where two texts agree again; a change longer
 * than this is written as lines removed and added, which is still a correct diff. */
#define SHP_DIFF_WINDOW 64

/* Appends to out the unified diff (three lines of context) that turns a into b, headed
 * "--- name" and "+++ name"; nothing when they are equal. Returns the hunks written. */
size_t shp_diff_unified(struct shp_buf *out, const char *name, const char *a, size_t alen, const char *b, size_t blen);
