/* manifest.h - what the sources that read OCI and Docker manifests share (an OCI layout,
 * a registry): the media types, and the choice of an image in an index by platform. */
#pragma once
#include "util/json.h"

#include <string.h>

/* The media types of manifests and indexes, Docker's and OCI's. */
#define SHP_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define SHP_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define SHP_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SHP_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"

/* The platform a default scan picks. */
#define SHP_DEFAULT_PLATFORM "linux/amd64"

static inline int shp_mt_is_index(const char *mt)
{
	return mt && (!strcmp(mt, SHP_MT_OCI_INDEX) || !strcmp(mt, SHP_MT_DOCKER_LIST));
}
static inline int shp_mt_is_manifest(const char *mt)
{
	return mt && (!strcmp(mt, SHP_MT_OCI_MANIFEST) || !strcmp(mt, SHP_MT_DOCKER_MANIFEST));
}

/* A descriptor's platform as os/arch[/variant] (caller frees), or NULL when it has none. */
char *shp_platform_of(const cJSON *desc);
/* True if a descriptor's platform is what was asked for: "linux/arm64" is also
 * linux/arm64/v8, and want NULL is SHP_DEFAULT_PLATFORM. */
int shp_platform_matches(const char *have, const char *want);
/* True if a descriptor is an attestation (BuildKit's provenance and SBOM manifests, marked
 * by vnd.docker.reference.type or platform unknown/unknown), never an image to scan. */
int shp_desc_is_attestation(const cJSON *desc);

struct shp_error;
/* The descriptor of the image for platform want (NULL: the default) in index (named in
 * messages as input's index `what`), attestations skipped; *platform is set to its
 * platform (caller frees). NULL with err listing the platforms there are. */
const cJSON *shp_index_choose(const char *input, const cJSON *index, const char *what, const char *want,
			      char **platform, struct shp_error **err);
