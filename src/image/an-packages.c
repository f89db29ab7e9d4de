/* an-packages.c - the analyzers of package files, known by their names (pkg/pkg.h): Java
 * archives, read through as zips (from the tar stream, the archive's current entry; from a
 * root, its file), never whole, within an inflate budget per archive and per layer; and the
 * package databases, language manifests and release files, read whole up to
 * SHP_PKGDB_MAX_BYTES (a larger one is recorded as too large, and not read). Their findings
 * are struct shp_layer_pkgdb, as the programs analyzer's are. */
#include "image/analyzer.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum shp_pkgdb_kind shp_an_pkgdb_kind(struct shp_an_entry *x)
{
	if (x->kind < 0)
		x->kind = (int)shp_pkgdb_kind(x->e->path);
	return (enum shp_pkgdb_kind)x->kind;
}

void shp_an_pkgdb_add(struct shp_layer_scan *scan, enum shp_analyzer_id id, size_t idx, enum shp_pkgdb_kind kind,
		      const char *data, size_t len)
{
	struct shp_layer_pkgdb d = {.entry = (uint32_t)idx, .kind = kind};
	const char *path = scan->entries[idx].path;
	if (!data && len == 0 && scan->entries[idx].size > 0) {
		d.error = shp_asprintf("/%s: larger than the %u MiB limit for a package database", path,
				       SHP_PKGDB_MAX_BYTES >> 20);
		shp_layer_unscanned(scan, idx, SHP_UNSCANNED_PKGDB_SIZE);
	} else if (kind >= SHP_DB_OS_RELEASE)
		d.has_os = shp_os_parse(kind, path, data ? data : "", len, &d.pkgs.arena, &d.os);
	else {
		_cleanup_error_ struct shp_error *err = NULL;
		/* the path as the image has it, with its leading slash */
		_cleanup_free_ char *abs = shp_asprintf("/%s", path);
		if (shp_pkgdb_parse(kind, abs, data ? data : "", len, &d.pkgs, &err) < 0)
			d.error = shp_xstrdup(err->msg);
	}
	*(struct shp_layer_pkgdb *)shp_layer_found_add(scan, id) = d;
}

void shp_layer_pkgdb(struct shp_layer_scan *scan, size_t idx, enum shp_pkgdb_kind kind, const char *data, size_t len)
{
	shp_an_pkgdb_add(scan, SHP_ANALYZER_PACKAGES, idx, kind, data, len);
}

void shp_an_pkgdb_put(struct shp_rec_out *w, const void *rec)
{
	const struct shp_layer_pkgdb *d = rec;
	shp_rec_put_u32(w, d->entry);
	shp_rec_put_str(w, shp_pkgdb_kind_id(d->kind)); /* by name: kind numbers follow the table's rows */
	shp_rec_put_u8(w, (uint8_t)(d->has_os != 0));
	shp_rec_put_str(w, d->error);
	const char *os[] = {d->os.id, d->os.version_id, d->os.codename, d->os.pretty, d->os.source};
	for (size_t k = 0; k < 5; k++)
		shp_rec_put_str(w, os[k]);
	shp_rec_put_u64(w, d->pkgs.n);
	for (size_t k = 0; k < d->pkgs.n; k++) {
		const struct shp_pkg *p = &d->pkgs.v[k];
		shp_rec_put_u32(w, (uint32_t)p->type);
		const char *str[] = {p->name, p->version, p->source, p->source_version, p->arch, p->license};
		for (size_t j = 0; j < 6; j++)
			shp_rec_put_str(w, str[j]);
		shp_rec_put_u32(w, p->epoch);
		shp_rec_put_u32(w, (uint32_t)p->layer);
		shp_rec_put_u32(w, (uint32_t)p->hidden);
		shp_rec_put_str(w, p->db);
	}
	shp_rec_put_u64(w, d->pkgs.nowned);
	for (size_t k = 0; k < d->pkgs.nowned; k++) {
		shp_rec_put_str(w, d->pkgs.owned[k].path);
		shp_rec_put_str(w, d->pkgs.owned[k].owner);
	}
	shp_rec_put_u64(w, d->pkgs.nsums);
	for (size_t k = 0; k < d->pkgs.nsums; k++) {
		shp_rec_put_u64(w, d->pkgs.sums[k].key);
		/* a package's files come one after another: its name is written once for them */
		const char *o = d->pkgs.sums[k].owner;
		shp_rec_put_str(w, k && o == d->pkgs.sums[k - 1].owner ? NULL : o);
	}
}

/* Its strings go to its own list's arena, as the readers put them. */
void shp_an_pkgdb_get(struct shp_rec_in *r, const struct shp_layer_scan *scan, void *rec)
{
	struct shp_layer_pkgdb *d = rec;
	d->entry = shp_rec_get_u32(r);
	const char *id = shp_rec_get_str(r);
	d->kind = id ? shp_pkgdb_kind_from_id(id) : SHP_DB_NONE;
	d->has_os = shp_rec_get_u8(r);
	if (d->has_os > 1 || d->entry >= scan->nentries || d->kind == SHP_DB_NONE)
		shp_rec_bad(r);
	struct shp_arena *scan_arena = shp_rec_arena(r, &d->pkgs.arena);
	const char *err = shp_rec_get_str(r);
	d->error = err ? shp_xstrdup(err) : NULL;
	const char **os[] = {&d->os.id, &d->os.version_id, &d->os.codename, &d->os.pretty, &d->os.source};
	for (size_t k = 0; k < 5; k++)
		*os[k] = shp_rec_get_str(r);
	size_t n = shp_rec_get_count(r, 4 + 6 * 4 + 4 * 3 + 4);
	for (size_t k = 0; k < n && !shp_rec_is_bad(r); k++) {
		uint32_t type = shp_rec_get_u32(r);
		struct shp_pkg p = {.type = (enum shp_pkg_type)type};
		const char **str[] = {&p.name, &p.version, &p.source, &p.source_version, &p.arch, &p.license};
		for (size_t j = 0; j < 6; j++)
			*str[j] = shp_rec_get_str(r);
		p.epoch = shp_rec_get_u32(r);
		p.layer = (int)shp_rec_get_u32(r);
		p.hidden = (int)shp_rec_get_u32(r);
		p.db = shp_rec_get_str(r);
		if (type >= SHP_PKG_NTYPES || !p.name || !p.version || !p.source || !p.source_version || !p.db)
			shp_rec_bad(r);
		if (!shp_rec_is_bad(r)) /* its strings are in the list's arena already */
			SHP_PUSH(d->pkgs.v, d->pkgs.n, d->pkgs.cap, p);
	}
	n = shp_rec_is_bad(r) ? 0 : shp_rec_get_count(r, 4 + 4);
	for (size_t k = 0; k < n && !shp_rec_is_bad(r); k++) {
		struct shp_pkg_owned o;
		o.path = shp_rec_get_str(r);
		o.owner = shp_rec_get_str(r);
		if (!o.path || !o.owner)
			shp_rec_bad(r);
		else
			SHP_PUSH(d->pkgs.owned, d->pkgs.nowned, d->pkgs.owned_cap, o);
	}
	n = shp_rec_is_bad(r) ? 0 : shp_rec_get_count(r, 8 + 4);
	for (size_t k = 0; k < n && !shp_rec_is_bad(r); k++) {
		struct shp_pkg_filesum f;
		f.key = shp_rec_get_u64(r);
		f.owner = shp_rec_get_str(r);
		if (!f.owner && k)
			f.owner = d->pkgs.sums[k - 1].owner;
		if (!f.owner)
			shp_rec_bad(r);
		else
			SHP_PUSH(d->pkgs.sums, d->pkgs.nsums, d->pkgs.sums_cap, f);
	}
	shp_rec_arena(r, scan_arena);
}

void shp_an_pkgdb_free(void *rec)
{
	struct shp_layer_pkgdb *d = rec;
	shp_pkgs_free(&d->pkgs);
	free(d->error);
}

/* ---- Java archives ---- */

struct java_run {
	uint64_t inflated; /* for the layer's archives so far, against SHP_JAVA_MAX_LAYER_INFLATE */
};

static int java_wants(void *run, struct shp_an_entry *x)
{
	(void)run;
	return shp_an_pkgdb_kind(x) == SHP_DB_JAVA_ARCHIVE ? SHP_AN_THROUGH : 0;
}

static void java_through(void *run, struct shp_an_entry *x, struct archive *a, int fd)
{
	struct java_run *r = run;
	if (x->e->size == 0)
		return;
	struct shp_layer_pkgdb d = {.entry = (uint32_t)x->idx, .kind = SHP_DB_JAVA_ARCHIVE};
	_cleanup_free_ char *abs = shp_asprintf("/%s", x->e->path);
	uint64_t left = SHP_JAVA_MAX_LAYER_INFLATE - r->inflated;
	enum shp_java_stop stop = a ? shp_java_archive_read(a, (int64_t)x->e->size, abs, &d.pkgs, &left)
				    : shp_java_archive_read_fd(fd, abs, &d.pkgs, &left);
	r->inflated = SHP_JAVA_MAX_LAYER_INFLATE - left;
	*(struct shp_layer_pkgdb *)shp_layer_found_add(x->scan, SHP_ANALYZER_JAVA_ARCHIVES) = d;
	if (stop != SHP_JAVA_WHOLE)
		shp_layer_unscanned(x->scan, x->idx,
				    stop == SHP_JAVA_LAYER_LIMIT ? SHP_UNSCANNED_JAVA_LAYER
								 : SHP_UNSCANNED_JAVA_ARCHIVE);
}

const struct shp_analyzer shp_an_java_archives = {
	.name = "java-archives",
	.version = 3, /* 2: records hold the files OS packages own; 3: and their digests */
	.packages = 1,
	.run_size = sizeof(struct java_run),
	.rec_size = sizeof(struct shp_layer_pkgdb),
	.rec_min = SHP_AN_PKGDB_MIN,
	.pkgdbs = 1,
	.wants = java_wants,
	.through = java_through,
	.put = shp_an_pkgdb_put,
	.get = shp_an_pkgdb_get,
	.free = shp_an_pkgdb_free,
};

/* ---- package databases, manifests and release files ---- */

static int pkg_wants(void *run, struct shp_an_entry *x)
{
	(void)run;
	enum shp_pkgdb_kind k = shp_an_pkgdb_kind(x);
	return k != SHP_DB_NONE && k != SHP_DB_JAVA_ARCHIVE ? SHP_AN_WHOLE : 0;
}

static void pkg_whole(void *run, struct shp_an_entry *x, const char *data, size_t len)
{
	(void)run;
	shp_an_pkgdb_add(x->scan, SHP_ANALYZER_PACKAGES, x->idx, shp_an_pkgdb_kind(x), data, len);
}

static void pkg_too_large(void *run, struct shp_an_entry *x)
{
	(void)run;
	shp_an_pkgdb_add(x->scan, SHP_ANALYZER_PACKAGES, x->idx, shp_an_pkgdb_kind(x), NULL, 0);
}

const struct shp_analyzer shp_an_packages = {
	.name = "packages",
	.version = 3, /* 2: dpkg's file lists; records hold the files OS packages own; 3: their digests */
	.packages = 1,
	.rec_size = sizeof(struct shp_layer_pkgdb),
	.rec_min = SHP_AN_PKGDB_MIN,
	.pkgdbs = 1,
	.wants = pkg_wants,
	.whole = pkg_whole,
	.max_whole = SHP_PKGDB_MAX_BYTES,
	.too_large = pkg_too_large,
	.put = shp_an_pkgdb_put,
	.get = shp_an_pkgdb_get,
	.free = shp_an_pkgdb_free,
};
