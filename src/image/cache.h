/* cache.h - what scanning a layer found, kept under its digest so that a later scan of an
 * image that shares the layer (the same base, the same image again) does not decompress it,
 * read its tar or scan its content again. A record is tied to the exact shipshape binary that
 * wrote it (its ELF build ID): another build's analyzers may find other things.
 *
 * A record is only a hint. It is used when the blob's bytes still hash to the blob digest the
 * record was made from, so digests are verified as on a full scan; a record that is
 * truncated, corrupt, from another build or for a lighter scan (packages only) is ignored and
 * replaced. Records are written to a temporary name and renamed, so readers never see half
 * of one.
 *
 * A record is authenticated (HMAC-SHA256) with a secret of the user's kept outside the cache
 * directory: whoever can write the cache (another CI job sharing it) could otherwise write a
 * record that leaves a layer's secrets and setuid files out. A record that fails is read as
 * none. The directory is made 0700; one owned by another user or writable by others is not
 * used (a warning, once), as ssh treats such a ~/.ssh. */
#pragma once
#include "image/image.h"

/* Sanity limit: bytes of one record read back. */
#define SHP_CACHE_MAX_RECORD (1ull << 30)
/* Sanity limit: bytes of one record's body decompressed (the frame states its size: a record
 * stating more is ignored before anything is decompressed, and none is written). */
#define SHP_CACHE_MAX_BODY (1ull << 30)
/* The cache directory's default size bound (--cache-max). */
#define SHP_CACHE_DEFAULT_MAX (2ull << 30)
/* Bytes of the secret that authenticates records (HMAC-SHA256's block is 64, its output 32). */
#define SHP_CACHE_KEY_BYTES 32

/* The default directory: $SHIPSHAPE_CACHE, else $XDG_CACHE_HOME/shipshape/layers, else
 * ~/.cache/shipshape/layers. Caller frees. */
char *shp_cache_default_dir(void);
/* Where the secret is: $SHIPSHAPE_CACHE_KEY, else $XDG_CONFIG_HOME/shipshape/cache.key, else
 * ~/.config/shipshape/cache.key (not under the cache, which may be shared). Caller frees. */
char *shp_cache_default_key_path(void);

/* An open cache: its directory and the secret its records are signed with. */
struct shp_cache {
	char *dir;
	unsigned char key[SHP_CACHE_KEY_BYTES];
};

/* Opens the cache at dir (made 0700 if missing) with the secret at key_path (made, mode 0600,
 * on first use). NULL when it cannot be used: a directory that cannot be made is silent (the
 * cache only saves time); one owned by another user or writable by group or others, and a
 * secret that cannot be read or is readable by others, are said once on stderr. Caller frees
 * with shp_cache_close. */
struct shp_cache *shp_cache_open(const char *dir, const char *key_path);
void shp_cache_close(struct shp_cache *c);
static inline void shp_cache_closep(struct shp_cache **c) { shp_cache_close(*c); }

/* Loads the record for key (a "sha256:<hex>" digest) into an empty scan (and marks the record
 * used now, for shp_cache_prune): 1 if there is a usable one (authentic, written by this
 * build, for a scan at least as thorough as scan->packages_only asks), 0 if not. The caller
 * still checks the blob against scan->blob_digest. */
int shp_cache_load(const struct shp_cache *c, const char *key, struct shp_layer_scan *scan);
/* Writes scan as the record for key; failures (a read-only directory, a full disk) are
 * silent: the cache only saves time. */
void shp_cache_save(const struct shp_cache *c, const char *key, const struct shp_layer_scan *scan);

/* Keeps the directory under max_bytes: the records used longest ago (a hit touches its
 * record) are removed first, and temporary files a killed run left behind (an hour old) go
 * too. Other builds' records are never used, so they age out. Failures are silent. */
void shp_cache_prune(const struct shp_cache *c, uint64_t max_bytes);

/* The record's encoding (exposed for the unit tests and the fuzz target): 0 and a filled
 * scan, or -1 when data is not an authentic record of this build under secret. */
int shp_cache_decode(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *data, size_t len,
		     struct shp_layer_scan *scan);
/* The body, decompressed: the part after the magic and the build ID, without the tag (for the
 * fuzz target). */
int shp_cache_decode_body(const char *data, size_t len, struct shp_layer_scan *scan);
/* Encodes scan into a malloc'd record signed with secret; caller frees. */
char *shp_cache_encode(const unsigned char secret[SHP_CACHE_KEY_BYTES], const struct shp_layer_scan *scan, size_t *len);
/* Wraps body (as shp_cache_decode_body reads it) into a record of this build signed with
 * secret, compressed as the writer does, as a forger who knew the secret would (for the fuzz
 * target and tests); caller frees. */
char *shp_cache_seal(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *body, size_t n, size_t *len);
/* The same with frame stored as given in place of the compressed body: a frame no writer of
 * ours makes (one that states no size, or more than SHP_CACHE_MAX_BODY), signed (for the
 * fuzz target and tests); caller frees. */
char *shp_cache_seal_frame(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *frame, size_t n, size_t *len);
