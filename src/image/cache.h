/* cache.h - what scanning a layer found, kept under its digest so that a later scan of an
 * image that shares the layer (the same base, the same image again) does not decompress it,
 * read its tar or scan its content again. A record is tied to the exact shipshape binary that
 * wrote it (its ELF build ID): another build's analyzers may find other things.
 *
 * A record is only a hint. It is used when the blob's bytes still hash to the blob digest the
 * record was made from, so digests are verified as on a full scan; a record that is
 * truncated, corrupt, from another build or for a lighter scan (packages only) is ignored and
 * replaced. Records are written to a temporary name and renamed, so readers never see half
 * of one. */
#pragma once
#include "image/image.h"

/* Sanity limit: bytes of one record read back. */
#define SHP_CACHE_MAX_RECORD (1ull << 30)
/* The cache directory's default size bound (--cache-max). */
#define SHP_CACHE_DEFAULT_MAX (2ull << 30)

/* The default directory: $SHIPSHAPE_CACHE, else $XDG_CACHE_HOME/shipshape/layers, else
 * ~/.cache/shipshape/layers. Caller frees. */
char *shp_cache_default_dir(void);

/* Loads the record for key (a "sha256:<hex>" digest) into an empty scan (and marks the record
 * used now, for shp_cache_prune): 1 if there is a usable one (written by this build, for a scan at least as thorough as scan->packages_only asks),
 * 0 if not. The caller still checks the blob against scan->blob_digest. */
int shp_cache_load(const char *dir, const char *key, struct shp_layer_scan *scan);
/* Writes scan as the record for key; failures (a read-only directory, a full disk) are
 * silent: the cache only saves time. */
void shp_cache_save(const char *dir, const char *key, const struct shp_layer_scan *scan);

/* Keeps dir under max_bytes: the records used longest ago (a hit touches its record) are
 * removed first, and temporary files a killed run left behind (an hour old) go too. Other
 * builds' records are never used, so they age out. Failures are silent. */
void shp_cache_prune(const char *dir, uint64_t max_bytes);

/* The record's encoding (exposed for the unit tests and the fuzz target): 0 and a filled
 * scan, or -1 when data is not a valid record of this build. */
int shp_cache_decode(const char *data, size_t len, struct shp_layer_scan *scan);
/* The part after the magic and the build ID, without the checksum (for the fuzz target). */
int shp_cache_decode_body(const char *data, size_t len, struct shp_layer_scan *scan);
/* Encodes scan into a malloc'd record; caller frees. */
char *shp_cache_encode(const struct shp_layer_scan *scan, size_t *len);
