/* registry.h - images in registries, by the OCI distribution protocol (libcurl): references
 * as docker writes them, manifests by tag or digest, blobs streamed. docker:// reads through
 * it (image/source-registry.c), `pin` resolves tags with it. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

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
void shp_docker_ref_free(struct shp_docker_ref *r);

/* How to talk to registries: the image options that concern them. */
struct shp_registry_opts {
	const char *username, *password; /* --username/--password, or NULL */
	const char *registry_token;	 /* --registry-token, or NULL */
	int insecure;			 /* plain HTTP and unverified TLS anywhere */
	const char *platform;		 /* os/arch[/variant], NULL: linux/amd64 */
};

/* What a tag or digest names now: the digest of the manifest or index (HEAD, then GET when
 * the registry gives no Docker-Content-Digest), and its media type. -1 with err (exit 3)
 * naming the reference: 404 NAME_UNKNOWN, MANIFEST_UNKNOWN, 401 without credentials. */
int shp_registry_resolve(const struct shp_docker_ref *ref, const struct shp_registry_opts *o, char **digest,
			 char **media_type, struct shp_error **err);
