/* reference.h - naming an image: a path, its kind told by content, or TRANSPORT:REST as
 * skopeo and containers/image write it (docker-archive:FILE[:REF], oci:DIR[:REF],
 * oci-archive:FILE[:REF], dir:DIR, docker://REF, docker-daemon:NAME,
 * containers-storage:[DRIVER@ROOT]NAME) and rootfs:DIR. The transports are one table
 * (sources.c). */
#pragma once
#include "util/error.h"

#include <stddef.h>

struct shp_source;
struct shp_store_ops;

struct shp_transport {
	const char *name; /* written NAME:REST, or NAME://REST when slashes */
	int slashes;
	const struct shp_source *source;   /* the kind it reads */
	const struct shp_store_ops *store; /* what its path is: a directory or a tar (a file) */
	int has_ref;			   /* REST is PATH[:REF], split at the first ':' */
	const char *what;		   /* what it names, for messages: "a registry" */
	int remote;			   /* REST is not a local path (a registry, an engine's image):
					    * no stat, no bids; the store kind's open takes REST */
};
extern const struct shp_transport shp_transports[];
extern const size_t shp_ntransports;

struct shp_image_ref {
	const struct shp_transport *transport; /* NULL: a plain path, its kind told by content */
	char *path;			       /* the path (a plain path: the argument; a row not read: REST whole) */
	char *name;			       /* :REF, the image in the archive or layout, or NULL */
};

/* Parses an image argument. exists: the argument names a file or directory as it is, which
 * makes it a plain path whatever it holds (./a:b.tar, or a file called oci:x). Else a known
 * transport's NAME: or NAME:// leads, and anything else is a plain path. An unknown
 * NAME://, a transport written the other way (docker:x) and a transport without a path or
 * with an empty :REF are -1 with err (exit 2). Caller frees with shp_image_ref_free. */
int shp_image_ref_parse(const char *arg, int exists, struct shp_image_ref *out, struct shp_error **err);
void shp_image_ref_free(struct shp_image_ref *r);
static inline void shp_image_ref_freep(struct shp_image_ref *r) { shp_image_ref_free(r); }
/* The file or directory an image argument reads (as shp_image_open would parse it), for
 * checks that an output does not overwrite an input; NULL when it reads none or does not
 * parse. Caller frees. */
char *shp_image_ref_path(const char *arg);
