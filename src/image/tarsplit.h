/* tarsplit.h - a layer's exact tar rebuilt from containers/storage's tar-split (the gzip'd
 * JSON lines vbatts/tar-split writes when a layer is stored: the tar's own bytes around
 * each file's content, and each file's name, size and CRC-64) and the files of the layer's
 * directory, as a stream: nothing is written, and only regular files of the directory with
 * content are opened, never through a link. */
#pragma once
#include "image/store.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Sanity limit: one JSON line of a tar-split. Its raw segments hold tar headers (a PAX
 * header with many or large extended attributes is the largest), padding, and the bytes
 * after the end of the archive; tar-split writes no segment near this size. */
#define SHP_TARSPLIT_MAX_LINE (8u << 20)

/* tar-split's entry types (tar-split/tar/storage: FileType 1, SegmentType 2). */
enum { SHP_TARSPLIT_FILE = 1, SHP_TARSPLIT_SEGMENT = 2 };

/* Opens the layer's file name (as the tar names it) for its content: a descriptor of a
 * regular file, or -1 with err set. */
typedef int (*shp_tarsplit_open_fn)(void *arg, const char *name, struct shp_error **err);

struct shp_tarsplit;
/* A reader of the tar-split in `in` (gzip'd; read through, not kept), `where` naming it in
 * messages, with open called for each file entry that has content. Caller frees. */
struct shp_tarsplit *shp_tarsplit_new(struct shp_src in, const char *where, shp_tarsplit_open_fn open, void *arg);
/* The next up to n bytes of the tar (a read function for shp_src_function): 0 at the end,
 * -1 with *error set (an allocated message naming the tar-split and the entry). A file
 * whose size or CRC-64 differs from the tar-split's record is an error. */
ssize_t shp_tarsplit_read(void *ctx, void *buf, size_t n, char **error);
void shp_tarsplit_free(struct shp_tarsplit *t);

/* Go's hash/crc64 with the ISO table, as tar-split records a file's content: crc starts at
 * 0, and is carried from one call to the next. */
uint64_t shp_crc64_iso(uint64_t crc, const void *p, size_t n);
