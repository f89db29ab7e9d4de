/* cstorage.h - containers-storage (podman's, buildah's and CRI-O's image storage) read from
 * disk: the reference's store specifier, and what the store kind (store-cstorage.c) tells
 * the source (source-cstorage.c). */
#pragma once
#include "util/error.h"

struct shp_store;

/* Sanity limit: images.json and layers.json, read whole (a store of thousands of images
 * and containers stays far under it). */
#define SHP_CSTORAGE_MAX_INDEX (64u << 20)

/* containers-storage:[DRIVER@ROOT+RUNROOT:OPTIONS]NAME as skopeo writes it (the brackets
 * are literal; each part but ROOT may be left out), or DRIVER@ROOT[+RUNROOT]:NAME and
 * ROOT[+RUNROOT]:NAME without them (ROOT absolute). Fields not given are NULL. */
struct shp_cstorage_ref {
	char *driver, *root, *runroot, *name;
};
/* Parses REST (what follows "containers-storage:"): -1 with err (exit 2) when malformed.
 * Caller frees with shp_cstorage_ref_free. */
int shp_cstorage_ref_parse(const char *rest, struct shp_cstorage_ref *out, struct shp_error **err);
void shp_cstorage_ref_free(struct shp_cstorage_ref *r);

/* The image the reference names (NAME), the graph root and driver the store was opened
 * with, for the source of a store opened as shp_store_cstorage. */
const char *shp_cstorage_image_name(const struct shp_store *s);
const char *shp_cstorage_where(const struct shp_store *s);
/* Where a name of the store (images.json, layers.json, image/ID/KEY) is on disk, for
 * messages. Caller frees. */
char *shp_cstorage_path(const struct shp_store *s, const char *name);
