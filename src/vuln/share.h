/* share.h - the vulnerability database shared through a registry: `db push` stores it as an
 * OCI artifact (an image manifest with its own artifactType, the empty config and one layer:
 * the SQLite file compressed with zstd; schema, data date and sources as annotations), `db
 * pull` and `vuln --db-repository` fetch it when it has data the local copy lacks. One
 * machine updates from the public feeds; every other one pulls one blob from its own
 * registry. Pushing and pulling go through the registry client (registry/registry.h). */
#pragma once
#include "registry/registry.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdint.h>

#define SHP_VULNDB_ARTIFACT_TYPE "application/vnd.shipshape.vulndb.v1"
#define SHP_VULNDB_LAYER_TYPE "application/vnd.shipshape.vulndb.layer.v1.sqlite+zstd"
/* The annotations a pushed database carries (org.opencontainers.image.created is its data
 * date too). */
#define SHP_VULNDB_ANN_SCHEMA "io.shipshape.vulndb.schema"
#define SHP_VULNDB_ANN_MODIFIED "io.shipshape.vulndb.modified" /* the newest source's data */
#define SHP_VULNDB_ANN_OLDEST "io.shipshape.vulndb.oldest"     /* the oldest complete source's */
#define SHP_VULNDB_ANN_SOURCES "io.shipshape.vulndb.sources"   /* {"name": unix time of its data} */
#define SHP_VULNDB_ANN_SIZE "io.shipshape.vulndb.size"	       /* the database's bytes */

/* Sanity limits of a pull: the compressed blob, and the database it decompresses to (a zstd
 * bomb stops there; SHIPSHAPE_DB_MAX_BYTES lowers it, for tests). */
#define SHP_VULNDB_MAX_BLOB (4ull << 30)
#define SHP_VULNDB_MAX_BYTES (16ull << 30)
/* zstd's level for a push: the database is compressed once and pulled by every runner. On a
 * 69 MB database of 200,000 OSV records, 6 gave 11.5 MB in 2.8 s (3: 12.3 MB in 1.0 s; 9: 11.8
 * MB in 6.6 s; 19: 9.5 MB in 252 s, too slow for a daily job on a large database). */
#define SHP_VULNDB_ZSTD_LEVEL 6

/* What a push or pull did. */
struct shp_share_result {
	char *digest;	     /* the layer's, "sha256:..." */
	uint64_t blob_bytes; /* compressed */
	uint64_t db_bytes;   /* the database's */
	long long modified;  /* the artifact's data date (unix time), 0 unknown */
	size_t sources;	     /* sources it holds */
	int pulled;	     /* pull: 1 installed, 0 the local copy was up to date */
	int local_newer;     /* pull, not pulled: the local copy has newer data than the artifact */
};
void shp_share_result_free(struct shp_share_result *r);

/* Pushes the database at path to ref (docker://HOST/NAME:TAG, or without docker://): the
 * layer is compressed into a temporary file, hashed as it is written, then uploaded from it.
 * -1 with err (exit 3; 2 for a reference that is not one). */
int shp_vulndb_push(const char *path, const char *ref, const struct shp_registry_opts *ro, struct shp_share_result *res,
		    struct shp_error **err);
/* Pulls the database ref names into path when it has a source path lacks or newer data for
 * one (or path is missing or of another schema; always with force): checked to be a
 * shipshape database of this schema, its digest verified while it is decompressed (at most
 * SHP_VULNDB_MAX_BYTES), SQLite's quick_check passed, then renamed over path under path.lock
 * (the importer's): a reader sees the old database or the new one. Nothing is written on
 * error. */
int shp_vulndb_pull(const char *path, const char *ref, const struct shp_registry_opts *ro, int force,
		    struct shp_share_result *res, struct shp_error **err);

/* Exposed for tests. */
/* The manifest db push would put for the database at path, its layer being digest (size
 * bytes compressed). */
int shp_vulndb_manifest(const char *path, const char *digest, uint64_t size, struct shp_buf *out,
			struct shp_error **err);
/* 0 when the manifest (of media_type, as the registry said, or NULL) is a shipshape database
 * of this schema that db pull would fetch; else -1 with err naming ref and why. */
int shp_vulndb_manifest_check(const char *ref, const char *body, size_t len, const char *media_type,
			      struct shp_error **err);
