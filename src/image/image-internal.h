/* image-internal.h - what the image sources share: reading verified JSON from the store,
 * adding layers, and applying the config (diffIDs, history). Not for use outside image/. */
#pragma once
#include "image/image.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/json.h"

/* Reads name from the image's store (at most SHP_IMG_MAX_JSON bytes), checks its digest
 * against want (if non-NULL) and parses it. Caller frees *out with cJSON_Delete. */
int shp_image_read_json(struct shp_image *img, const char *name, const char *want, cJSON **out, struct shp_error **err);
/* The same, the content's digest also put in got (a file not named by its digest: a
 * docker save's config.json, skopeo's manifest.json), and its size in *len when not NULL. */
int shp_image_read_json_digest(struct shp_image *img, const char *name, const char *want, cJSON **out, char got[72],
			       size_t *len, struct shp_error **err);
/* Appends a layer stored at blob; digest (owned, may be NULL) is what the blob must hash to. */
int shp_image_add_layer(struct shp_image *img, const char *blob, char *digest, struct shp_error **err);
/* The file under dir ("blobs/sha256/" in an OCI layout) of a blob with a sha256 digest,
 * then suffix: DIR/HEX SUFFIX; NULL with err for another or a malformed digest. */
char *shp_blob_file(struct shp_image *img, const char *dir, const char *digest, const char *suffix,
		    struct shp_error **err);
/* An image manifest's config and layers, files under dir named by shp_blob_file, each
 * checked against its digest; the manifest is named what in messages. */
int shp_image_from_manifest(struct shp_image *img, const cJSON *man, const char *dir, const char *what,
			    struct shp_error **err);
/* Takes the diffIDs and the history from img->config (after all layers were added). */
int shp_image_apply_config(struct shp_image *img, struct shp_error **err);

struct shp_store;

/* A source: one kind of image and how it is read from a store. The table (sources.c) is
 * asked in order; the highest bid wins, the first one on a tie. */
struct shp_source {
	const char *name; /* the kind in reports: "docker-archive", "oci-layout", "rootfs" */
	enum shp_image_kind kind;
	const char *wants; /* what it bids on, for messages: "manifest.json or repositories" */
	/* How strongly the store's content says it is this kind: 0 not at all, else one of the
	 * SHP_BID_* (a bid on a file that names the format beats one on a directory's mere
	 * existence). -1 with err: a file it looks for is there but unusable (a FIFO, a link). */
	int (*bid)(struct shp_store *s, struct shp_error **err);
	/* Reads the metadata (layers, history, config, ref, digests); NULL: nothing to read. */
	int (*open)(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err);
	/* Scans the image itself; NULL: its layers are streamed from the store (image.c). */
	int (*scan)(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err);
	/* After the layers were read and verified: what only their content tells (a docker
	 * save's manifest digest needs the layers' sizes); NULL: nothing. */
	void (*scanned)(struct shp_image *img);
};

/* Bids, strongest last: docker save's manifest.json beats an index.json beside it (Docker
 * 25 writes both, and its manifest.json says which images), the legacy repositories file
 * loses to an index.json, and any directory is at least a root filesystem. */
enum { SHP_BID_DIRECTORY = 1, SHP_BID_LEGACY = 10, SHP_BID_INDEX = 20, SHP_BID_MANIFEST = 30 };

/* One file each. */
extern const struct shp_source shp_source_docker_archive, shp_source_oci_layout, shp_source_dir, shp_source_rootfs;
/* Sources of a remote row only (not in the table: they do not bid on a store's content). */
extern const struct shp_source shp_source_cstorage, shp_source_registry;
/* The table, in the order ties are broken; NULL-terminated. */
extern const struct shp_source *const shp_sources[];
#define SHP_NSOURCES 4
/* Asks every source to bid on s (bids[i] for shp_sources[i]) and sets *best to the highest
 * bidder, the first on a tie, or NULL when none bid. -1 with err when a source could not
 * look (the first such error, in table order). */
int shp_sources_bid(struct shp_store *s, int *bids, const struct shp_source **best, struct shp_error **err);
