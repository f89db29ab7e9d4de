/* store-internal.h - what the kinds of store share: the store's common part, the operations
 * table each kind fills (store-dir.c, store-tar.c, store-engine.c; a registry later), the
 * run that streams blobs on several threads, and the tar kind's parts for kinds whose tar
 * is not a file. Not for use outside image/store*.c. */
#pragma once
#include "image/store.h"

#include <stdatomic.h>

/* The kinds of struct shp_src (shp_src_read switches on them). */
enum { SHP_SRC_FD, SHP_SRC_MEM, SHP_SRC_ARCHIVE, SHP_SRC_FN };

/* The part every kind has; a kind's own struct begins with it. */
struct shp_store {
	const struct shp_store_ops *ops;
	char *path;
	int pipe;		       /* a pipe the user named: read once, by the open (set by the kind) */
	struct shp_store_limits lim;   /* defaults filled in */
	struct shp_progress *progress; /* bytes received are counted there (or NULL): progress.h */
	char *cut;		       /* a tar that ends without its end-of-archive blocks: where, or NULL */
};

/* Streaming n names through fn on several threads (shp_store_stream). The kind's begin,
 * worker and end share it; the fields a kind does not need stay empty. */
struct shp_store_run {
	struct shp_store *s;
	const char *const *names;
	size_t n;
	void **target;	     /* the kind's handle per name (a tar's resolved entry) */
	atomic_size_t next;  /* the next index to take (kinds that take names in order) */
	atomic_int *claimed; /* per name: a worker took it (kinds that meet names as they pass) */
	atomic_size_t nclaimed;
	atomic_int stop; /* a blob failed: take no more (the image is refused anyway) */
	struct shp_error **errs;
	shp_store_fn fn;
	void *arg;
};

/* One kind of store. find, canonical, read and the stream hooks take names relative to the
 * store, '/'-separated; their contracts are those of the shp_store_* functions in store.h. */
struct shp_store_ops {
	const char *name; /* "directory", "tar" */
	size_t size;	  /* of the kind's struct, which begins with struct shp_store */
	int addressed;	  /* blobs named and read by their digest (shp_store_content_addressed) */
	/* Opens s->path (s->lim filled in; the path need not be a file: a registry's is a
	 * reference): -1 with err, or -2 when a limit stopped it. */
	int (*open)(struct shp_store *s, struct shp_error **err);
	void (*close)(struct shp_store *s); /* what open took; s itself is freed by the caller */
	int (*find)(struct shp_store *s, const char *name, struct shp_error **err);
	char *(*canonical)(struct shp_store *s, const char *name);
	void (*each)(struct shp_store *s, void (*fn)(const char *name, void *arg), void *arg); /* NULL: none */
	int (*read)(struct shp_store *s, const char *name, size_t limit, char **data, size_t *len,
		    struct shp_error **err);
	/* Serves the names that need no worker (claimed, or errs set) and returns how many are
	 * left for the workers; may lower *jobs (a compressed tar is read by one). */
	size_t (*stream_begin)(struct shp_store_run *r, int *jobs);
	void *(*stream_worker)(void *run);	     /* on each thread, with the run */
	void (*stream_end)(struct shp_store_run *r); /* after the workers (NULL: nothing) */
	/* shp_store_scanned (NULL: the kind scans nothing as it opens) */
	int (*scanned)(struct shp_store *s, const char *name, struct shp_layer_scan *scan, struct shp_error **err);
};

/* Calls the run's fn for name i over src, recording its error and stopping the run on -1. */
void shp_store_run_one(struct shp_store_run *r, size_t i, struct shp_src *src);

/* ---- the tar kind, for kinds whose tar comes from elsewhere (store-tar.c) ---- */

struct shp_tar_entry {
	char *name;
	char *link; /* symlink target (relative to the entry's directory) or hardlink name */
	int type;   /* AE_IFREG, AE_IFLNK, AE_IFDIR, ... ; hardlinks are AE_IFREG with hard=1 */
	int hard;
	int64_t size;
	char *data;		     /* kept whole when small metadata */
	size_t seq;		     /* position in the tar */
	struct shp_layer_scan *scan; /* scanned as it passed (a tar read once), or NULL */
	struct shp_error *scan_err;  /* why that scan failed, or NULL */
};

/* A tar that is not a file (an engine's HTTP response): each read of it starts anew. */
struct shp_tar_input {
	/* Starts a read: src gives the tar's bytes, until done(*ctx). -1 with err. */
	int (*start)(struct shp_store *s, struct shp_src *src, void **ctx, struct shp_error **err);
	void (*done)(void *ctx);
};

struct shp_tar_store {
	struct shp_store base;
	const struct shp_tar_input *input; /* NULL: the file at base.path */
	int compressed;			   /* the tar itself is gzip/zstd/xz/bz2 */
	struct shp_tar_entry *v;
	size_t n, cap;
};

/* Indexes the tar (read from s->input, which is set, once): what the tar kind's open does
 * for a file. Its first read scans the layers as they pass when base.lim asks for it. */
int shp_tar_index(struct shp_tar_store *s, struct shp_error **err);
/* The tar kind's operations, for a kind whose struct begins with struct shp_tar_store. */
void shp_tar_close(struct shp_store *base);
int shp_tar_find(struct shp_store *base, const char *name, struct shp_error **err);
char *shp_tar_canonical(struct shp_store *base, const char *name);
void shp_tar_each(struct shp_store *base, void (*fn)(const char *name, void *arg), void *arg);
int shp_tar_read(struct shp_store *base, const char *name, size_t limit, char **data, size_t *len,
		 struct shp_error **err);
size_t shp_tar_stream_begin(struct shp_store_run *r, int *jobs);
void *shp_tar_worker(void *run);
void shp_tar_stream_end(struct shp_store_run *r);
int shp_tar_scanned(struct shp_store *base, const char *name, struct shp_layer_scan *scan, struct shp_error **err);
