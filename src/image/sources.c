/* sources.c - where images come from, as two tables: the sources (kinds of image, each
 * bidding on a store's content, one file each) and the transports (how a reference names a
 * source and its store, skopeo's names). A new kind of image or a new transport is a row
 * here and a file of its own. */
#include "image/image-internal.h"
#include "image/reference.h"
#include "image/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct shp_source *const shp_sources[SHP_NSOURCES + 1] = {
	&shp_source_docker_archive, &shp_source_oci_layout, &shp_source_dir, &shp_source_rootfs, NULL,
};

int shp_sources_bid(struct shp_store *s, int *bids, const struct shp_source **best, struct shp_error **err)
{
	int top = 0;
	*best = NULL;
	for (size_t i = 0; shp_sources[i]; i++) {
		bids[i] = shp_sources[i]->bid(s, err);
		if (bids[i] < 0)
			return -1;
		if (bids[i] > top) {
			top = bids[i];
			*best = shp_sources[i];
		}
	}
	return 0;
}

const struct shp_transport shp_transports[] = {
	{"docker-archive", 0, &shp_source_docker_archive, &shp_store_tar, 1, "a docker-save tar"},
	{"oci", 0, &shp_source_oci_layout, &shp_store_directory, 1, "an OCI layout directory"},
	{"oci-archive", 0, &shp_source_oci_layout, &shp_store_tar, 1, "an OCI layout in a tar"},
	{"rootfs", 0, &shp_source_rootfs, &shp_store_directory, 0, "a root filesystem directory"},
	/* read from disk, no service: REST is [DRIVER@ROOT+RUNROOT]NAME (image/cstorage.h) */
	{"containers-storage", 0, &shp_source_cstorage, &shp_store_cstorage, 0, "podman's and buildah's image storage",
	 1},
	{"docker", 1, &shp_source_registry, &shp_store_registry, 0, "a registry", 1},
	/* the engine's docker-save stream of the image, read as the archive would be */
	{"docker-daemon", 0, &shp_source_docker_archive, &shp_store_engine, 0, "a container engine's API", 1},
	{"dir", 0, &shp_source_dir, &shp_store_directory, 0, "skopeo's directory format"},
};
const size_t shp_ntransports = sizeof shp_transports / sizeof shp_transports[0];

/* True if s[0..n) can be a transport's name: a lowercase letter, then letters, digits, '-'
 * (never a path: no '/' nor '.'). */
static int transport_like(const char *s, size_t n)
{
	if (n == 0 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static const struct shp_transport *transport_named(const char *s, size_t n)
{
	for (size_t i = 0; i < shp_ntransports; i++)
		if (strlen(shp_transports[i].name) == n && !strncmp(shp_transports[i].name, s, n))
			return &shp_transports[i];
	return NULL;
}

/* "docker-archive:, oci:, ..." for messages. */
static char *read_list(void)
{
	struct shp_buf b = {0};
	for (size_t i = 0; i < shp_ntransports; i++)
		shp_buf_printf(&b, "%s%s:%s", b.len ? ", " : "", shp_transports[i].name,
			       shp_transports[i].slashes ? "//" : "");
	return shp_buf_steal(&b);
}

int shp_image_ref_parse(const char *arg, int exists, struct shp_image_ref *out, struct shp_error **err)
{
	*out = (struct shp_image_ref){0};
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : 0;
	if (exists || !colon || !transport_like(arg, n)) {
		out->path = shp_xstrdup(arg);
		return 0;
	}
	const struct shp_transport *t = transport_named(arg, n);
	int slashes = !strncmp(colon + 1, "//", 2);
	if (!t && !slashes) /* "name:tag", "c:file": a path that is not there (said as today) */
	{
		out->path = shp_xstrdup(arg);
		return 0;
	}
	_cleanup_free_ char *known = read_list();
	if (!t)
		return shp_error_set(err, SHP_EXIT_USAGE,
				     "%s: unknown transport \"%.*s\": an image is a path or one of %s", arg, (int)n,
				     arg, known);
	if (t->slashes && !slashes)
		return shp_error_set(err, SHP_EXIT_USAGE, "%s: the %s transport is written %s://NAME", arg, t->name,
				     t->name);
	const char *rest = colon + 1 + (t->slashes ? 2 : 0);
	if (!*rest)
		return shp_error_set(err, SHP_EXIT_USAGE, "%s: nothing after \"%s:%s\"", arg, t->name,
				     t->slashes ? "//" : "");
	const char *sep = t->has_ref ? strchr(rest, ':') : NULL;
	if (sep && (sep == rest || !sep[1]))
		return shp_error_set(err, SHP_EXIT_USAGE,
				     "%s: %s: expected %s:PATH[:REF] (a path with ':' in it is named alone, without a "
				     "transport)",
				     arg, sep == rest ? "no path" : "an empty REF", t->name);
	out->transport = t;
	out->path = sep ? shp_xstrndup(rest, (size_t)(sep - rest)) : shp_xstrdup(rest);
	out->name = sep ? shp_xstrdup(sep + 1) : NULL;
	return 0;
}

void shp_image_ref_free(struct shp_image_ref *r)
{
	free(r->path);
	free(r->name);
	*r = (struct shp_image_ref){0};
}

char *shp_image_ref_path(const char *arg)
{
	struct stat st;
	struct shp_image_ref r;
	struct shp_error *err = NULL;
	if (shp_image_ref_parse(arg, lstat(arg, &st) == 0, &r, &err) < 0) {
		shp_error_free(err);
		return NULL;
	}
	char *path = !r.transport || !r.transport->remote ? steal_pointer(&r.path) : NULL;
	shp_image_ref_free(&r);
	return path;
}
