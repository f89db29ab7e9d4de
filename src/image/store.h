/* store.h - where an image's files live: a directory (OCI layout, unpacked docker save) or
 * a tar (docker save, OCI archive; the tar itself may be gzip- or zstd-compressed), each a
 * kind with its own operations table (store-internal.h). Small metadata is read whole;
 * layer blobs are streamed, several at once, never copied. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Sanity limits: metadata entries kept in memory while indexing a tar, each and in all. */
#define SHP_STORE_MAX_SMALL (1u << 20)
#define SHP_STORE_MAX_BUFFERED (64u << 20)
/* A metadata file kept whatever its size up to this, told by its name (manifest.json, a
 * config named *.json) or, in a tar read once, by its content (JSON under a digest's name). */
#define SHP_STORE_MAX_METADATA (16u << 20)
/* Links followed from one name inside a tar (docker save stores layers as symlinks). */
#define SHP_STORE_MAX_LINKS 16
/* Entries of a tar store, and the bytes of their names and link targets together: an image
 * archive holds a few files per layer (1024 layers at most), so 100k members with long names
 * (3 GB of index for a 263 KB file) are not one. */
#define SHP_STORE_MAX_ENTRIES (1u << 16)
#define SHP_STORE_MAX_NAME_BYTES (16u << 20)

struct shp_store;
struct shp_store_ops;
struct shp_image_opts;
struct shp_layer_budget;
/* The kinds of store (store-dir.c, store-tar.c, store-cstorage.c, store-registry.c,
 * store-engine.c). */
extern const struct shp_store_ops shp_store_directory, shp_store_tar, shp_store_cstorage, shp_store_registry,
	shp_store_engine;

/* What indexing a tar store may cost; a field left 0 takes the default (the defines above,
 * and no bound on bytes). Smaller ones are for tests and fuzzing. */
struct shp_store_limits {
	uint64_t max_bytes; /* the tar's bytes after decompression (--max-image-bytes) */
	size_t max_entries, max_name_bytes;
	/* The image's options (NULL: none), for kinds that are not a local file (an engine's
	 * socket), and for a tar that can be read only once (a pipe, an engine's stream): the
	 * layers it cannot keep are then scanned as they pass, with these options and from
	 * budget (which must be set too), and shp_store_scanned hands the scans over. */
	const struct shp_image_opts *opts;
	struct shp_layer_budget *budget;
};

/* A byte stream: a file region, a memory buffer, an entry of an open tar, or what a
 * function produces (an HTTP response, a tar rebuilt from its parts). */
struct shp_src {
	int kind;
	int fd;
	uint64_t off, left;
	const char *mem;
	void *archive;
	/* the function's kind: up to n bytes into buf, 0 at the end, -1 with *error set (an
	 * allocated message) */
	ssize_t (*fn)(void *ctx, void *buf, size_t n, char **error);
	void *ctx;
	char *error; /* set when read returned -1 (freed by the store) */
};

/* A source over n bytes of memory (not copied). */
struct shp_src shp_src_memory(const void *p, size_t n);
/* A source that calls fn(ctx, ...) for its bytes. */
struct shp_src shp_src_function(ssize_t (*fn)(void *ctx, void *buf, size_t n, char **error), void *ctx);
/* Reads up to n bytes; 0 at the end; -1 on error with src->error set. */
ssize_t shp_src_read(struct shp_src *src, void *buf, size_t n);

/* Opens a directory or a tar. For a tar, every header is read once (data skipped with
 * seeks where the tar is not compressed) and small metadata entries are kept. A tar is
 * compressed at most once and is indexed within lim. Caller frees with shp_store_free.
 * Returns -1 with err set, or -2 when a limit stopped the index (the tar may still be an
 * image). */
int shp_store_open(const char *path, const struct shp_store_limits *lim, struct shp_store **out,
		   struct shp_error **err);
/* The same with the kind chosen by the caller (a reference that says what the path is). */
int shp_store_open_as(const struct shp_store_ops *ops, const char *path, const struct shp_store_limits *lim,
		      struct shp_store **out, struct shp_error **err);
void shp_store_free(struct shp_store *s);
int shp_store_is_dir(const struct shp_store *s);
/* The kind's name: "directory", "tar". */
const char *shp_store_kind(const struct shp_store *s);
/* True if name (relative, '/'-separated) exists as a regular file, links followed. */
int shp_store_exists(struct shp_store *s, const char *name);
/* The same, telling absent (0) from present but unusable: -1 with err for a name in a
 * directory store that is a FIFO, device, socket or symlink, or cannot be opened. */
int shp_store_find(struct shp_store *s, const char *name, struct shp_error **err);
/* The name the data of name is stored under (links followed, path cleaned); caller frees. */
char *shp_store_canonical(struct shp_store *s, const char *name);
/* Calls fn for each regular file name in a tar store (not for directories). */
void shp_store_each(struct shp_store *s, void (*fn)(const char *name, void *arg), void *arg);
/* Reads a whole entry of at most limit bytes into a NUL-terminated buffer the caller
 * frees. Names that leave the store (absolute, "..") are an error. */
int shp_store_read(struct shp_store *s, const char *name, size_t limit, char **data, size_t *len,
		   struct shp_error **err);

/* Where the stream workers of a store that receives its blobs (a registry, an engine API)
 * count the bytes received (shp_progress_downloaded, image/progress.h); NULL: nowhere. */
struct shp_progress;
void shp_store_set_progress(struct shp_store *s, struct shp_progress *p);

/* Streams each of the n distinct names through fn, on up to jobs threads (one for a
 * compressed tar, which can only be read front to back). fn returns -1 with err set to stop
 * that blob, and then no blob not yet begun is read; the first error by index is returned. */
/* What a store read once made of the blob name (links followed) while it passed: 1 and its
 * scan moved into *scan (an empty struct; the store keeps none), -1 with err when reading it
 * failed, 0 when it did not scan it (it is streamed as any other). */
struct shp_layer_scan;
int shp_store_scanned(struct shp_store *s, const char *name, struct shp_layer_scan *scan, struct shp_error **err);

typedef int (*shp_store_fn)(void *arg, size_t idx, struct shp_src *src, struct shp_error **err);
int shp_store_stream(struct shp_store *s, const char *const *names, size_t n, int jobs, shp_store_fn fn, void *arg,
		     struct shp_error **err);

/* True if the store's blobs are named by the digest of their content and read only by
 * that digest (a registry): a layer cache record made under the digest, which was verified
 * when it was made, stands for the blob without reading it. */
int shp_store_content_addressed(const struct shp_store *s);
/* Where a tar store ends when it ends without the end-of-archive blocks every tar writer
 * puts last (it may be a truncated archive cut at an entry's end), else NULL. */
const char *shp_store_cut(const struct shp_store *s);

/* A registry store (path: the reference): its client, made on first call with o (the
 * store keeps it), and the blobs the manifest lists, by digest and size. */
struct shp_registry;
struct shp_registry_opts;
struct shp_registry *shp_store_registry_client(struct shp_store *s, const struct shp_registry_opts *o);
void shp_store_registry_add_blob(struct shp_store *s, const char *digest, uint64_t size);

/* Normalises a relative name in place: drops leading "/" and "./", empty and "." parts,
 * and resolves ".."; returns -1 if ".." climbs above the top. */
int shp_path_clean(char *p);
/* The same, but ".." at the top is dropped (as a chroot resolves it) and *climbed set. */
int shp_path_normalize(char *p, int *climbed);
