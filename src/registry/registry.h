/* registry.h - images in registries, by the OCI distribution protocol (libcurl): references
 * as docker writes them, manifests by tag or digest, blobs streamed. docker:// reads through
 * it (image/source-registry.c), `pin` resolves tags with it. */
#pragma once
#include "registry/http.h" /* shp_retry_after_parse, the retry limits */
#include "util/error.h"

struct shp_mirror;

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Sanity limits: a manifest or index (containerd's bound), a token server's answer, and
 * how often one request is tried (408, 429, 5xx, a dropped connection) and redirected. */
#define SHP_REG_MAX_MANIFEST (4u << 20)
#define SHP_REG_MAX_TOKEN (1u << 20)
#define SHP_REG_MAX_ATTEMPTS SHP_HTTP_MAX_ATTEMPTS
#define SHP_REG_MAX_REDIRECTS 10
/* The longest wait between two attempts, whatever Retry-After asks. */
#define SHP_REG_MAX_WAIT_SECONDS SHP_HTTP_MAX_WAIT_SECONDS
/* Resumptions of one blob whose connection dropped (Range requests). */
#define SHP_REG_MAX_RESUMES 5

/* A reference, normalised as docker does: "nginx" is docker.io/library/nginx:latest. */
struct shp_docker_ref {
	char *host;   /* "docker.io", "127.0.0.1:5000", "ghcr.io" */
	char *repo;   /* "library/nginx" */
	char *tag;    /* "latest" (NULL when only a digest was given) */
	char *digest; /* "sha256:..." or NULL */
};
/* Parses [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST]; -1 with err (exit 2) when it is not one. */
int shp_docker_ref_parse(const char *s, struct shp_docker_ref *out, struct shp_error **err);
/* host/repo[:tag][@digest] as written in full; caller frees. */
char *shp_docker_ref_string(const struct shp_docker_ref *r);
/* The host the API is served from: Docker Hub's is registry-1.docker.io. */
const char *shp_docker_ref_api_host(const struct shp_docker_ref *r);
void shp_docker_ref_free(struct shp_docker_ref *r);

/* How to talk to registries: the image options that concern them. */
struct shp_registry_opts {
	const char *username, *password;  /* --username/--password, or NULL */
	const char *registry_token;	  /* --registry-token, or NULL */
	int insecure;			  /* plain HTTP and unverified TLS anywhere */
	const char *platform;		  /* os/arch[/variant], NULL: linux/amd64 */
	const struct shp_mirror *mirrors; /* tried first, in order, for their host (config.h) */
	size_t nmirrors;
};

/* A client for one repository of one registry: credentials looked up once, tokens cached
 * per scope, the scheme chosen once (HTTPS; plain HTTP only for localhost, 127.0.0.0/8 and
 * ::1 when HTTPS fails there, or with insecure). Safe to use from several threads. */
struct shp_registry;
/* Caller frees with shp_registry_free; o's strings are copied. */
struct shp_registry *shp_registry_new(const struct shp_docker_ref *ref, const struct shp_registry_opts *o);
void shp_registry_free(struct shp_registry *r);
/* The reference as the user wrote it, normalised (for messages). */
const char *shp_registry_name(const struct shp_registry *r);

/* The manifest or index that tag_or_digest names (HEAD first when it is a tag, then GET by
 * the digest the registry gave; a manifest pulled by digest is checked against it), at most
 * SHP_REG_MAX_MANIFEST bytes. *body (NUL-terminated), *media_type and *digest are the
 * caller's to free. -1 with err (exit 3) naming the reference. */
int shp_registry_manifest(struct shp_registry *r, const char *tag_or_digest, char **body, size_t *len,
			  char **media_type, char **digest, struct shp_error **err);

/* A blob being read: its bytes are counted against size (a blob longer or shorter than its
 * descriptor is an error) and a dropped connection is resumed with a Range request. */
struct shp_registry_blob;
int shp_registry_blob_open(struct shp_registry *r, const char *digest, uint64_t size, struct shp_registry_blob **out,
			   struct shp_error **err);
/* Up to n bytes; 0 at the end; -1 with *error (allocated, naming the blob and reference). */
ssize_t shp_registry_blob_read(struct shp_registry_blob *b, void *buf, size_t n, char **error);
void shp_registry_blob_close(struct shp_registry_blob *b);
/* A whole blob of at most limit bytes, its size and digest checked (NUL-terminated;
 * caller frees). */
int shp_registry_blob_get(struct shp_registry *r, const char *digest, uint64_t size, size_t limit, char **data,
			  size_t *len, struct shp_error **err);

/* Parsing what registries say (exposed for tests). */
/* A WWW-Authenticate challenge: its scheme ("Bearer", "Basic") and the realm, service
 * and scope parameters (each NULL when absent); -1 when it does not parse. Caller frees
 * the strings. */
struct shp_challenge {
	char *scheme, *realm, *service, *scope;
};
int shp_challenge_parse(const char *header, struct shp_challenge *out);
void shp_challenge_free(struct shp_challenge *c);
/* A registry's JSON error body, as "CODE: message" (or NULL); caller frees. */
char *shp_registry_errors(const char *body, size_t len);

/* What a tag or digest names now: the digest of the manifest or index (HEAD, then GET when
 * the registry gives no Docker-Content-Digest), and its media type. -1 with err (exit 3)
 * naming the reference: 404 NAME_UNKNOWN, MANIFEST_UNKNOWN, 401 without credentials. */
int shp_registry_resolve(const struct shp_docker_ref *ref, const struct shp_registry_opts *o, char **digest,
			 char **media_type, struct shp_error **err);

/* ---- pushing (slim -o docker://) ---- */

/* Blobs up to this many bytes are uploaded in one PUT; larger ones in PATCH chunks of this
 * size, then a PUT (SHIPSHAPE_REGISTRY_CHUNK_BYTES overrides it, for tests). A chunk is
 * held in memory while it is sent, so that a retried request can send it again. */
#define SHP_REG_CHUNK (16u << 20)

/* What became of a blob pushed. */
enum shp_push_how { SHP_PUSH_PRESENT, SHP_PUSH_MOUNTED, SHP_PUSH_MONOLITHIC, SHP_PUSH_CHUNKED };
const char *shp_push_how_name(enum shp_push_how how);

/* A blob to push: its bytes are data when not NULL, else read from fd (from offset 0). */
struct shp_push_blob {
	const char *digest;
	uint64_t size;
	const char *data;
	int fd;
};

/* Pushes a blob to r's repository unless it is there already (HEAD): mounted from
 * from_repo (the same registry's, or NULL) when the registry can (201), else uploaded in
 * the session it gives. -1 with err (exit 3) naming the reference and what the registry
 * said (401/403: credentials that do not allow pushing). */
int shp_registry_blob_push(struct shp_registry *r, const struct shp_push_blob *b, const char *from_repo,
			   enum shp_push_how *how, struct shp_error **err);
/* Puts a manifest (media_type, len bytes) by tag and checks that the registry's
 * Docker-Content-Digest is the manifest's own. */
int shp_registry_manifest_put(struct shp_registry *r, const char *tag, const char *media_type, const char *body,
			      size_t len, struct shp_error **err);

/* An upload session's URL from its Location (absolute, or a path on origin), with query
 * ("digest=...") added after the session's own parameters; caller frees. */
char *shp_upload_url(const char *origin, const char *location, const char *query);
/* An upload session's Range ("0-1023", or "bytes=0-1023"): the offset of the next byte
 * (1024); -1 when it does not parse. */
int shp_upload_range_parse(const char *range, uint64_t *next);
