/* analyzer.h - the layer analyzers as a table, the way Trivy registers analyzers and
 * libarchive its formats: a descriptor per analyzer (which entries it wants, what it does
 * with their content, how its findings are kept in the layer cache), one row per analyzer in
 * SHP_ANALYZERS (image.h), and one per-entry loop (analyzers.c) that serves the layer streams
 * (layer.c) and the root directories (source-rootfs.c) alike, reading each file once however
 * many analyzers want it.
 *
 * Adding an analyzer: a file src/image/an-NAME.c defining `const struct shp_analyzer
 * shp_an_NAME`, its row in SHP_ANALYZERS, and its line in meson. */
#pragma once
#include "image/image.h"

struct archive;
struct shp_rec_out;
struct shp_rec_in;

/* How an analyzer wants an entry's content. */
enum {
	SHP_AN_WHOLE = 1,  /* in memory, whole, up to the descriptor's max_whole bytes */
	SHP_AN_STREAM = 2, /* block by block (begin, feed, end), never held whole */
	SHP_AN_THROUGH =
		4, /* read by the analyzer itself, as an archive: alone (the analyzers after it are not asked) */
};

/* The entry an analyzer is asked about, and facts about it found once for all of them. */
struct shp_an_entry {
	struct shp_layer_scan *scan;
	size_t idx; /* into scan->entries */
	const struct shp_entry *e;
	int kind; /* what the package readers make of its name (shp_an_pkgdb_kind); -1 until asked */
};

struct shp_analyzer {
	const char *name; /* names its section of a cache record ("secrets", "packages") */
	/* The version of what it finds and of how it stores it: a cache record that holds another
	 * is discarded, as a record of another build is. Raise it on every change of either. */
	uint32_t version;
	int packages; /* also runs on a scan for packages only (sbom, vuln) */
	int quiet;    /* a file it wants that cannot be opened is not recorded as unscanned (it only maybe was one) */
	size_t run_size; /* bytes of its state over one layer's read, zeroed at the start */
	size_t rec_size; /* bytes of one of its records (scan->found[its row].v) */
	size_t rec_min;	 /* bytes one of its records takes at least in a cache record */
	int pkgdbs;	 /* its records are struct shp_layer_pkgdb: the image's packages (shp_layer_pkgdb_at) */

	/* Which entries: the mode (SHP_AN_*) it wants the content of regular file x->e in, or 0;
	 * called for every regular file of every layer: cheap tests of its path, mode and size
	 * only. */
	int (*wants)(void *run, struct shp_an_entry *x);

	/* What it does with the content. SHP_AN_WHOLE: all of it (a sparse hole as zeros). Over
	 * max_whole bytes, too_large instead, and none of the analyzers gets the content. A
	 * SHP_AN_STREAM analyzer is given the content whole too, when another one wanted it so
	 * (or its blocks, begin to end, if it has no whole). */
	void (*whole)(void *run, struct shp_an_entry *x, const char *data, size_t len);
	uint64_t max_whole;
	void (*too_large)(void *run, struct shp_an_entry *x);
	/* SHP_AN_STREAM: the blocks in order (off: the block's place in the file; a gap is a sparse
	 * hole); feed returns 0 once the rest is not wanted; end(complete = 0: a read error cut the
	 * content short). */
	void (*begin)(void *run, struct shp_an_entry *x);
	int (*feed)(void *run, struct shp_an_entry *x, const void *p, size_t n, uint64_t off);
	void (*end)(void *run, struct shp_an_entry *x, int complete);
	/* Or, where the content is a file open at fd (a root directory's), what it reads from it
	 * at any offset (pread: the file offset stays), instead of the stream. NULL: streamed. */
	void (*read_fd)(void *run, struct shp_an_entry *x, int fd);
	/* SHP_AN_THROUGH: reads the content as an archive: the current entry of the tar stream a,
	 * or (a NULL) the file open at fd. */
	void (*through)(void *run, struct shp_an_entry *x, struct archive *a, int fd);
	/* How it finishes a layer: frees what its state holds (may be NULL). */
	void (*finish)(void *run);

	/* How its findings are kept in the layer cache: one record written, one read (into rec,
	 * zeroed; strings in scan's arena, or the record's own), one's memory freed (may be NULL).
	 * A record that does not make sense (an entry index past the layer's) is refused by
	 * shp_rec_bad. */
	void (*put)(struct shp_rec_out *w, const void *rec);
	void (*get)(struct shp_rec_in *r, const struct shp_layer_scan *scan, void *rec);
	void (*free)(void *rec);
};

#define SHP_AN_EXTERN_(C, n) extern const struct shp_analyzer shp_an_##n;
SHP_ANALYZERS(SHP_AN_EXTERN_)
#undef SHP_AN_EXTERN_

/* The table, indexed by enum shp_analyzer_id. */
extern const struct shp_analyzer *const shp_analyzers[SHP_NANALYZERS];

/* Appends a zeroed record to analyzer id's findings in scan and returns it (valid until the
 * next one). */
void *shp_layer_found_add(struct shp_layer_scan *scan, enum shp_analyzer_id id);

/* Where the per-entry loop reads an entry's content from: a tar stream or a root directory. */
struct shp_an_source {
	/* Makes the content of x->e ready to read: 0, or -1 when it cannot be read (a root's file
	 * that does not open: recorded as unscanned). NULL: always ready (a stream). */
	int (*open)(struct shp_an_source *s, const struct shp_entry *e);
	/* The content's next block: 1 (*p, *n bytes at file offset *off), 0 at its end, -1 on a
	 * read error (the layer's: the scan stops). */
	int (*read)(struct shp_an_source *s, const void **p, size_t *n, uint64_t *off);
	void (*close)(struct shp_an_source *s);
	struct archive *archive; /* a tar stream, at the entry */
	int fd;			 /* once open: the file, for reads at any offset; -1 for a stream */
	/* Sizes are the files' own (lstat): a content over a bound is refused before it is
	 * opened. In a tar the header's size of a sparse entry is not its data's: it is read. */
	int sized;
};

/* One layer's (or root's) read through the analyzers. */
struct shp_analysis {
	struct shp_layer_scan *scan;
	unsigned char on[SHP_NANALYZERS]; /* the analyzers that run (scan->packages_only) */
	void *run[SHP_NANALYZERS];	  /* each one's state */
	char *buf;			  /* content read whole */
	size_t cap;
};
void shp_analysis_begin(struct shp_analysis *an, struct shp_layer_scan *scan);
/* Entry idx of the scan (recorded already): asks each analyzer whether it wants it, and reads
 * its content from src once for all those that do. -1 on a read error of src. */
int shp_analysis_entry(struct shp_analysis *an, size_t idx, struct shp_an_source *src);
/* Lets each analyzer finish, and frees the read's state. */
void shp_analysis_end(struct shp_analysis *an);

/* For the analyzers that find packages (an-packages.c): the package kind of x's path
 * (shp_pkgdb_kind), found once per entry; a package database or release file of kind read
 * from x (data NULL and len 0: over SHP_PKGDB_MAX_BYTES) added to analyzer id's findings; and
 * the cache codec of struct shp_layer_pkgdb. */
enum shp_pkgdb_kind shp_an_pkgdb_kind(struct shp_an_entry *x);
void shp_an_pkgdb_add(struct shp_layer_scan *scan, enum shp_analyzer_id id, size_t idx, enum shp_pkgdb_kind kind,
		      const char *data, size_t len);
void shp_an_pkgdb_put(struct shp_rec_out *w, const void *rec);
void shp_an_pkgdb_get(struct shp_rec_in *r, const struct shp_layer_scan *scan, void *rec);
void shp_an_pkgdb_free(void *rec);
#define SHP_AN_PKGDB_MIN (4 + 4 + 1 + 6 * 4 + 8 + 8 + 8)

/* The primitives the analyzers' put and get write and read their records with (cache.c).
 * A str is NULL or a string without NUL bytes; get_str's copy is in the arena being read into
 * (the scan's, or the one shp_rec_arena set). */
void shp_rec_put_u8(struct shp_rec_out *w, uint8_t v);
void shp_rec_put_u16(struct shp_rec_out *w, uint16_t v);
void shp_rec_put_u32(struct shp_rec_out *w, uint32_t v);
void shp_rec_put_u64(struct shp_rec_out *w, uint64_t v);
void shp_rec_put_str(struct shp_rec_out *w, const char *s);
void shp_rec_put_bytes(struct shp_rec_out *w, const void *p, size_t n);
uint8_t shp_rec_get_u8(struct shp_rec_in *r);
uint16_t shp_rec_get_u16(struct shp_rec_in *r);
uint32_t shp_rec_get_u32(struct shp_rec_in *r);
uint64_t shp_rec_get_u64(struct shp_rec_in *r);
const char *shp_rec_get_str(struct shp_rec_in *r);
/* n bytes, copied into the arena get_str copies into (NULL when the record is short). */
const void *shp_rec_get_bytes(struct shp_rec_in *r, size_t n);
/* A count of items of at least min bytes each that the rest can hold (else 0, and bad). */
size_t shp_rec_get_count(struct shp_rec_in *r, size_t min);
/* The arena get_str copies into from now on; returns the one before. */
struct shp_arena *shp_rec_arena(struct shp_rec_in *r, struct shp_arena *arena);
/* Marks what is being read as not a record this build wrote (it is discarded); and whether it is. */
void shp_rec_bad(struct shp_rec_in *r);
int shp_rec_is_bad(const struct shp_rec_in *r);
