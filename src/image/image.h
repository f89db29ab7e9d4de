/* image.h - a container image read without a container engine: a docker-save tarball,
 * an OCI layout (directory or tar) or a root filesystem directory. Opening reads and
 * verifies the metadata; scanning streams each layer once (in parallel), verifying its
 * digests and recording every entry for the union view and the analyzers. */
#pragma once
#include "pkg/pkg.h"
#include "util/arena.h"
#include "util/error.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct archive;
struct cJSON;
struct shp_store;
struct shp_source;
struct shp_transport;
struct shp_progress;
struct shp_mirror;

/* Sanity limits for images from strangers. */
#define SHP_IMG_MAX_JSON (16u << 20)		      /* one manifest, index or config */
#define SHP_IMG_MAX_LAYERS 1024			      /* layers in one image */
#define SHP_IMG_MAX_INDEX_DEPTH 8		      /* nested OCI indexes */
#define SHP_IMG_MAX_ENTRIES (4u << 20)		      /* tar entries in all layers together */
#define SHP_IMG_MAX_PATH 16384			      /* bytes in one entry name */
#define SHP_IMG_MAX_LINK_DEPTH 40		      /* symlink hops when resolving (as Linux) */
#define SHP_IMG_DEFAULT_MAX_LAYER_BYTES (32ull << 30) /* decompressed bytes per layer (bomb guard) */
/* Decompressed bytes of the image archive, and apart from it of all layers together: layers
 * under 32 GiB each still add up (16 names of one 8 GiB bomb). */
#define SHP_IMG_DEFAULT_MAX_IMAGE_BYTES (64ull << 30)
#define SHP_IMG_MAX_NAME_BYTES (128u << 20) /* entry names and link targets kept, all layers */
#define SHP_IMG_SCAN_WINDOW (8u << 20)	    /* bytes searched for secrets at once (larger files: in windows) */

enum shp_image_kind {
	SHP_IMG_DOCKER_ARCHIVE,
	SHP_IMG_OCI_LAYOUT,
	SHP_IMG_ROOTFS,
	SHP_IMG_CSTORAGE,
	SHP_IMG_REGISTRY,
	SHP_IMG_DIR
};

enum shp_ftype {
	SHP_FT_FILE,
	SHP_FT_DIR,
	SHP_FT_SYMLINK,
	SHP_FT_HARDLINK,
	SHP_FT_CHAR,
	SHP_FT_BLOCK,
	SHP_FT_FIFO,
	SHP_FT_SOCKET,
	SHP_FT_WHITEOUT, /* ".wh.name": path is the name it deletes */
	SHP_FT_OPAQUE,	 /* ".wh..wh..opq": path is the directory made opaque */
};

enum {
	SHP_EF_CAPS = 1,	/* security.capability extended attribute */
	SHP_EF_ESCAPE = 2,	/* the name climbed above the root with ".." (clamped) */
	SHP_EF_LINK_ESCAPE = 4, /* a hardlink to a name outside the root */
	SHP_EF_ABSOLUTE = 8,	/* the name was absolute */
};

/* One tar entry (or one file of a root filesystem). */
struct shp_entry {
	const char *path; /* normalised: no leading '/', no "." or ".." parts; arena */
	const char *link; /* symlink target or hardlink name; arena; NULL */
	uint64_t size;	  /* the header's size (dive sums these) */
	uint32_t mode;	  /* permission bits incl. setuid, setgid, sticky */
	uint32_t uid, gid;
	uint8_t type;  /* enum shp_ftype */
	uint8_t flags; /* SHP_EF_* */
};

/* A secret found in the content of an entry. */
struct shp_secret_hit {
	uint32_t entry;	      /* index into the layer's entries */
	uint32_t line;	      /* 1-based */
	uint16_t kind;	      /* index into the secret kinds (secrets/scan.h) */
	uint8_t bad_checksum; /* a token whose checksum does not hold (shp_secret_checksum) */
	const char *evidence; /* the line around it, the secret redacted; arena */
	/* the MD5, SHA-1 and SHA-256 of the file's content (SHP_SUM_BYTES), computed when the hit
	 * was found if the content was held whole (not a program read around its machine code,
	 * nor a file over SHP_IMG_SCAN_WINDOW), for the package databases' record of it; arena,
	 * shared by the file's hits; else NULL */
	const unsigned char *sums;
};

/* A credential a file of known format gives away (secrets/credfiles.h): a password hash or an
 * empty password in /etc/shadow, an ID given twice in /etc/passwd or /etc/group, a keystore
 * that a well-known password opens. */
struct shp_cred_hit {
	uint32_t entry;		   /* index into the layer's entries */
	uint32_t line;		   /* 1-based; 0 in a keystore */
	uint8_t what;		   /* enum shp_cred_what */
	const char *name, *detail; /* arena */
	char fp[17];		   /* the hash's (or keystore's) fingerprint, to tell copies apart */
};

/* A package database or release file found in a layer, read while streaming it. */
struct shp_layer_pkgdb {
	uint32_t entry; /* index into the layer's entries */
	enum shp_pkgdb_kind kind;
	struct shp_pkgs pkgs; /* a database's installed packages */
	struct shp_os os;     /* a release file's OS (strings in pkgs.arena) */
	int has_os;
	char *error; /* why it could not be read, or NULL */
};

/* A file whose content was not (fully) read by the analyzers, and why: a limit stopped
 * them. The report lists them, so that a clean result says what it did not look at. */
enum shp_unscanned_why {
	SHP_UNSCANNED_JAVA_ARCHIVE, /* SHP_JAVA_MAX_INFLATE spent on one Java archive */
	SHP_UNSCANNED_JAVA_LAYER,   /* SHP_JAVA_MAX_LAYER_INFLATE spent on a layer's Java archives */
	SHP_UNSCANNED_PKGDB_SIZE,   /* a package database over SHP_PKGDB_MAX_BYTES */
	SHP_UNSCANNED_UNREADABLE,   /* a root filesystem's file that could not be opened */
	SHP_UNSCANNED_CRED_FILE,    /* a keystore or account file over SHP_CRED_FILE_MAX_BYTES */
	SHP_UNSCANNED_NWHY
};
struct shp_unscanned {
	uint32_t entry; /* index into the layer's entries */
	uint8_t why;	/* enum shp_unscanned_why */
};
/* For the report: the reason's name ("java-archive-inflate") and the limit it ran into. */
struct shp_unscanned_reason {
	const char *id, *limit;
};
extern const struct shp_unscanned_reason shp_unscanned_reasons[SHP_UNSCANNED_NWHY];

/* What reading a layer blob measured. */
struct shp_layer_sums {
	const char *compression; /* "gzip", "zstd", "none" */
	char blob_digest[72];
	char diff_id[72];    /* "" when not hashed: a registry's compressed blob (shp_layer_budget) */
	uint64_t blob_bytes; /* as stored (compressed) */
	uint64_t tar_bytes;  /* decompressed */
};

/* The analyzers (analyzer.h), in the order they are asked about an entry: X(CONSTANT, name),
 * name being the descriptor's suffix (shp_an_NAME). */
#define SHP_ANALYZERS(X)                                                                                               \
	X(JAVA_ARCHIVES, java_archives)                                                                                \
	X(PACKAGES, packages)                                                                                          \
	X(PROGRAMS, programs)                                                                                          \
	X(CRED_FILES, cred_files)                                                                                      \
	X(SECRETS, secrets)

#define SHP_AN_ENUM_(C, n) SHP_ANALYZER_##C,
enum shp_analyzer_id { SHP_ANALYZERS(SHP_AN_ENUM_) SHP_NANALYZERS };
#undef SHP_AN_ENUM_

/* What one analyzer found in a layer: its records (of its descriptor's rec_size), in entry
 * order. */
struct shp_layer_found {
	void *v;
	size_t n, cap;
};

/* What streaming one layer blob found. */
struct shp_layer_scan {
	struct shp_arena arena;
	struct shp_entry *entries;
	size_t nentries, centries;
	struct shp_layer_found found[SHP_NANALYZERS]; /* by enum shp_analyzer_id */
	int packages_only;			      /* sbom, vuln: no content analysis but the package readers */
	struct shp_layer_sums sums;		      /* digests and sizes of the blob and its tar */
	struct shp_unscanned *unscanned;	      /* files not (fully) read, in entry order */
	size_t nunscanned, cunscanned;
	int cached; /* read from the layer cache (the blob only hashed) */
};

/* The secrets analyzer's findings. */
static inline const struct shp_secret_hit *shp_layer_secrets(const struct shp_layer_scan *s, size_t *n)
{
	*n = s->found[SHP_ANALYZER_SECRETS].n;
	return s->found[SHP_ANALYZER_SECRETS].v;
}
/* The credential files analyzer's findings. */
static inline const struct shp_cred_hit *shp_layer_creds(const struct shp_layer_scan *s, size_t *n)
{
	*n = s->found[SHP_ANALYZER_CRED_FILES].n;
	return s->found[SHP_ANALYZER_CRED_FILES].v;
}
/* The package databases, release files, programs and archives the package analyzers read,
 * one analyzer's after another's: i from 0 to shp_layer_npkgdbs. */
size_t shp_layer_npkgdbs(const struct shp_layer_scan *s);
const struct shp_layer_pkgdb *shp_layer_pkgdb_at(const struct shp_layer_scan *s, size_t i);

struct shp_history {
	char *created_by;
	int empty_layer;
	int layer; /* the layer it made, -1 for none */
};

struct shp_layer {
	char *blob;    /* its name in the store */
	char *digest;  /* expected digest of the blob (from the manifest), or NULL */
	char *diff_id; /* expected digest of the tar (from the config), or NULL */
	int history;   /* index into history, -1 if unknown */
	size_t scan;   /* index into scans (layers with the same blob share one) */
};

/* What reading the layers of one image may cost: a bound per layer, and bounds over all of
 * them that the threads reading them share (each thread adds what it read in batches). */
struct shp_layer_budget {
	uint64_t max_layer_bytes;    /* decompressed bytes of one layer (--max-layer-bytes) */
	uint64_t max_image_bytes;    /* of all layers together (--max-image-bytes) */
	atomic_uint_least64_t bytes; /* decompressed so far, all layers */
	uint64_t max_names;	     /* entry name and link bytes kept (SHP_IMG_MAX_NAME_BYTES) */
	atomic_uint_least64_t names;
	atomic_uint_least64_t entries; /* against SHP_IMG_MAX_ENTRIES */
	struct shp_progress *progress; /* counts the blob bytes read (image/progress.h), or NULL */
	/* 1: a compressed blob's tar is hashed, its diffID; 0 for a registry's blobs, which
	 * their digest verifies, as skopeo, containerd's fetcher and Trivy do */
	int diff_ids;
};

struct shp_image {
	char *input;
	enum shp_image_kind kind;
	const char *kind_name;		 /* "docker-archive", "oci-layout", "rootfs": source->name */
	const struct shp_source *source; /* the kind's row in the source table (image-internal.h) */
	char *ref;			 /* repo:tag or OCI ref name, or NULL */
	char *manifest_digest;		 /* or NULL */
	char *config_digest;		 /* or NULL */
	size_t config_len;		 /* the config's bytes (docker-archive), else 0 */
	char *platform;			 /* os/arch[/variant], or NULL */
	struct cJSON *config;		 /* the image config, or NULL for a root filesystem */
	struct shp_history *history;
	size_t nhistory;
	struct shp_layer *layers;
	size_t nlayers;
	struct shp_layer_scan *scans;
	size_t nscans;
	struct shp_store *store;
	const struct shp_transport *remote; /* the transport of an image that is not a local file, or NULL */
	/* during shp_image_scan, what a source that scans the image itself counts (NULL at
	 * other times): image/progress.h */
	struct shp_progress *progress;
	/* set from the options at open, spent by the scan (and before it by a store read once,
	 * which scans its layers as they pass) */
	struct shp_layer_budget budget;
};

struct shp_image_opts {
	const char *name;     /* --image NAME:TAG, or NULL */
	const char *platform; /* --platform os/arch[/variant], or NULL for linux/amd64 */
	uint64_t max_layer_bytes;
	uint64_t max_image_bytes; /* 0: SHP_IMG_DEFAULT_MAX_IMAGE_BYTES */
	/* 0: the defines; smaller for tests and fuzzing: entries and name bytes of the image
	 * archive (SHP_STORE_MAX_*), name bytes of all layers (SHP_IMG_MAX_NAME_BYTES) */
	size_t max_archive_entries, max_archive_name_bytes, max_name_bytes;
	int jobs;
	int packages_only;     /* read only what the package readers need (no secret scan) */
	const char *cache_dir; /* the layer cache (image/cache.h), or NULL for the default */
	int no_cache;	       /* neither read nor write the layer cache */
	uint64_t cache_max;    /* the cache directory's size bound (0: SHP_CACHE_DEFAULT_MAX) */
	/* images that are not local files (docker://, docker-daemon:, containers-storage:) */
	const char *username, *password;  /* --username, --password (Trivy's), or NULL */
	const char *registry_token;	  /* --registry-token: a bearer token, or NULL */
	int insecure;			  /* --insecure: plain HTTP, and TLS unverified, with any registry */
	const char *engine_socket;	  /* --engine-socket PATH, or NULL: looked for as docker does */
	const struct shp_mirror *mirrors; /* registry mirrors (config/config.h), nmirrors of them */
	size_t nmirrors;
	int quiet; /* -q: no progress on stderr */
};

/* Opens an image named by a path (its kind told by content: the sources bid) or by a
 * reference (image/reference.h: docker-archive:FILE[:REF], oci:DIR[:REF], ...), and reads
 * manifest, config and history (digests of the config and manifests verified). An unknown
 * transport and a REF besides another --image are exit 2. Caller frees
 * with shp_image_free. */
int shp_image_open(const char *path, const struct shp_image_opts *o, struct shp_image **out, struct shp_error **err);
/* Streams every layer once, in parallel, filling img->scans; blob digests and diffIDs are
 * verified (a mismatch is an error naming the blob). A layer the cache has a record of is
 * only hashed; the layers read are recorded for next time. A store read once (a pipe, an
 * engine's stream) scanned its layers while open read them: they are taken from it. Called
 * once per image, with the options it was opened with. */
int shp_image_scan(struct shp_image *img, const struct shp_image_opts *o, struct shp_error **err);
void shp_image_free(struct shp_image *img);
static inline void shp_image_freep(struct shp_image **p) { shp_image_free(*p); }
#define _cleanup_image_ __attribute__((cleanup(shp_image_freep)))

/* Scans a root filesystem directory as one layer (the rootfs source's scan). */
int shp_source_rootfs_scan(struct shp_image *img, int packages_only, struct shp_error **err);

/* A budget of these bounds and SHP_IMG_MAX_NAME_BYTES, nothing spent (0: the defaults). */
void shp_layer_budget_init(struct shp_layer_budget *b, uint64_t max_layer_bytes, uint64_t max_image_bytes);

/* Streams one layer blob from src into scan (decompress, hash, read the tar, analyze),
 * spending from b. */
struct shp_src;
struct archive_entry;
int shp_layer_read(struct shp_src *src, const char *name, struct shp_layer_budget *b, struct shp_layer_scan *scan,
		   struct shp_error **err);

/* Called for the n-th tar entry of a layer (from 0), e being its normalised form; the content
 * can be read from a (archive_read_data*). Returns -1 to stop, with *err set or not (then the
 * archive's error is reported). */
typedef int (*shp_layer_entry_fn)(void *arg, struct archive *a, struct archive_entry *ae, const struct shp_entry *e,
				  size_t n, struct shp_error **err);
/* Decompresses and hashes one layer blob and calls fn for each of its entries: the reader
 * behind shp_layer_read, for passes that want the content of some entries (slim). */
int shp_layer_walk(struct shp_src *src, const char *name, struct shp_layer_budget *b, shp_layer_entry_fn fn, void *arg,
		   struct shp_layer_sums *sums, struct shp_error **err);

/* Records that a limit kept the analyzers from reading all of entry idx. */
void shp_layer_unscanned(struct shp_layer_scan *scan, size_t idx, enum shp_unscanned_why why);
/* Frees what a scan holds (not the struct itself) and empties its lists. */
void shp_layer_scan_free(struct shp_layer_scan *scan);

/* Records e (copied into the scan's arena) and returns its index: its content, when wanted,
 * goes to the analyzers (shp_analysis_entry, analyzer.h). */
size_t shp_layer_add_entry(struct shp_layer_scan *scan, const struct shp_entry *e);
/* Records a package database or release file of kind read from entry idx (data, len bytes),
 * as the package analyzer does (for tests); data NULL with len 0 for one over
 * SHP_PKGDB_MAX_BYTES. */
void shp_layer_pkgdb(struct shp_layer_scan *scan, size_t idx, enum shp_pkgdb_kind kind, const char *data, size_t len);

/* Config accessors (NULL or 0 when absent). */
const char *shp_image_user(const struct shp_image *img);
struct cJSON *shp_image_config_field(const struct shp_image *img, const char *name);
