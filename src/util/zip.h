/* zip.h - reading a zip archive held in memory (a mapped file) through its central directory:
 * osv.dev's per-ecosystem all.zip, hundreds of thousands of small entries. Only stored and
 * deflated entries, on one disk; encrypted ones are refused. Made for hostile input: every
 * offset is checked against the bytes, entries may not share data (a zip bomb's trick), and
 * nothing here allocates but the inflater. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

/* Sanity limit: uncompressed bytes of one entry, when the caller names no other. */
#define SHP_ZIP_MAX_ENTRY (1024ull << 20)

/* An open zip: the bytes are the caller's and must outlive it. Read-only once open, so
 * several threads may read entries of one zip at once. */
struct shp_zip {
	const unsigned char *data;
	size_t len;
	const char *path;    /* for messages only */
	uint64_t count;	     /* entries, as the end record says */
	uint64_t cd, cd_end; /* where the central directory starts and ends */
	uint64_t max_entry;  /* entries larger than this are an error */
};

/* One entry, as shp_zip_next gives it. name points into the zip's bytes: name_len bytes,
 * not NUL-terminated (and holding no NUL). */
struct shp_zip_entry {
	const char *name;
	size_t name_len;
	uint64_t index;	 /* its place in the central directory, from 0 */
	uint64_t size;	 /* uncompressed bytes, at most the zip's max_entry */
	uint64_t csize;	 /* compressed bytes */
	uint64_t data;	 /* offset of the compressed bytes in the zip */
	uint32_t crc;	 /* CRC-32 of the uncompressed bytes */
	uint16_t method; /* 0 stored, 8 deflated: the others are refused by shp_zip_next */
	int is_dir;	 /* the name ends in '/': a directory, with nothing to read */
	uint32_t mode;	 /* st_mode when made on Unix, else 0; Python gives no type, only permissions */
};

/* Where a walk of the central directory is; start from {0}. */
struct shp_zip_iter {
	uint64_t off;	   /* of the next central header (0: the first) */
	uint64_t index;	   /* entries given so far */
	uint64_t data_end; /* where the last entry's data ended: the next must start after it */
};

/* Opens the zip of len bytes at data: finds the end of central directory record (and the
 * zip64 one it points to, when there is one) and checks that the central directory lies
 * inside the bytes and can hold the entries it claims. Entries over max_entry bytes (0:
 * SHP_ZIP_MAX_ENTRY) will be an error. path is only for messages. 0, or -1 with err
 * (SHP_EXIT_INPUT) naming path. Nothing to close. */
int shp_zip_open(struct shp_zip *z, const void *data, size_t len, const char *path, uint64_t max_entry,
		 struct shp_error **err);

/* The next entry of the central directory, in its order, into *e: 1, or 0 after the last,
 * or -1 with err naming path and the entry. Checks the entry's local header (in bounds,
 * the same name, method and sizes), that its data starts after the previous entry's data
 * ends and before the central directory, its method (stored or deflate), that it is not
 * encrypted and not over max_entry bytes. The entry can then be read by shp_zip_read from
 * any thread, in any order. */
int shp_zip_next(const struct shp_zip *z, struct shp_zip_iter *it, struct shp_zip_entry *e, struct shp_error **err);

/* Working memory to inflate entries (ISA-L's state, 87 KB): one per thread, as it may
 * be too large for a small thread stack. Caller frees with shp_zip_inflater_free. */
struct shp_zip_inflater;
struct shp_zip_inflater *shp_zip_inflater_new(void);
void shp_zip_inflater_free(struct shp_zip_inflater *inf);

/* Writes the e->size bytes of entry e (as shp_zip_next gave it) to out, which must hold
 * them: copies a stored entry, inflates a deflated one with inf (NULL: one is allocated for
 * this call), and checks the CRC-32. 0, or -1 with err naming path and the entry: data
 * that does not inflate to exactly e->size bytes, or a CRC mismatch. Touches nothing
 * shared but the zip's bytes, which it only reads. */
int shp_zip_read(const struct shp_zip *z, const struct shp_zip_entry *e, void *out, struct shp_zip_inflater *inf,
		 struct shp_error **err);
