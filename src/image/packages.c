/* packages.c - the packages of an image: what its visible package databases list (and, with
 * all_layers, what the versions of them that later layers replaced or deleted listed), and
 * its OS from the visible release files. The databases were parsed while the layers
 * streamed (an-packages.c, an-programs.c); this only picks versions through the union view,
 * and names the OS package a language package came with (its manifest in that package's
 * visible file list). */
#include "image/packages.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Release files by preference: os-release first, the distro's own file as a fallback. */
static int os_rank(enum shp_pkgdb_kind k, const char *path)
{
	switch (k) {
	case SHP_DB_OS_RELEASE: return !strcmp(path, "etc/os-release") ? 5 : 4;
	case SHP_DB_ALPINE_RELEASE: return 3;
	case SHP_DB_DEBIAN_VERSION: return 2;
	case SHP_DB_REDHAT_RELEASE: return 1;
	default: return 0;
	}
}

static const char *keep(struct shp_arena *A, const char *s) { return s ? shp_arena_strndup(A, s, strlen(s)) : NULL; }

static int cmp_owned(const void *x, const void *y)
{
	return strcmp(((const struct shp_pkg_owned *)x)->path, ((const struct shp_pkg_owned *)y)->path);
}

/* Names the owner of each language package whose database an OS package's file list names
 * (owned: the visible lists' entries, sorted by path here). */
static void set_owners(struct shp_pkgs *all, struct shp_pkg_owned *owned, size_t n)
{
	if (!n)
		return;
	qsort(owned, n, sizeof *owned, cmp_owned);
	for (size_t i = 0; i < all->n; i++) {
		struct shp_pkg *p = &all->v[i];
		if (!SHP_PKG_IS_LANG(p->type) || !p->db)
			continue;
		struct shp_pkg_owned key = {.path = p->db};
		const struct shp_pkg_owned *o = bsearch(&key, owned, n, sizeof *owned, cmp_owned);
		if (o)
			p->owner = o->owner;
	}
}

static int cmp_group_key(const struct shp_pkg *a, const struct shp_pkg *b)
{
	int c;
	if ((c = strcmp(a->db, b->db)) || (c = strcmp(a->name, b->name)) || (c = strcmp(a->version, b->version)))
		return c;
	return strcmp(a->arch ? a->arch : "", b->arch ? b->arch : "");
}

static int cmp_group(const void *x, const void *y)
{
	const struct shp_pkg *a = x, *b = y;
	int c = cmp_group_key(a, b);
	return c ? c : a->layer - b->layer;
}

int shp_image_packages(const struct shp_image *img, const struct shp_union *u, int all_layers,
		       struct shp_image_pkgs *out, struct shp_error **err)
{
	int best = 0;
	_cleanup_(shp_pkgs_free) struct shp_pkgs all = {0};
	_cleanup_free_ struct shp_pkg_owned *owned = NULL; /* strings in the scans' records */
	size_t nowned = 0, owned_cap = 0;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		for (size_t i = 0, ndbs = shp_layer_npkgdbs(s); i < ndbs; i++) {
			const struct shp_layer_pkgdb *d = shp_layer_pkgdb_at(s, i);
			const char *path = s->entries[d->entry].path;
			uint32_t ev = shp_union_event(u, path, (int)L, d->entry);
			int visible = ev && u->ev[ev].end_layer < 0;
			if (d->kind >= SHP_DB_OS_RELEASE) {
				int r = os_rank(d->kind, path);
				if (visible && d->has_os && r > best) {
					best = r;
					struct shp_arena *A = &out->pkgs.arena;
					out->os = (struct shp_os){keep(A, d->os.id), keep(A, d->os.version_id),
								  keep(A, d->os.codename), keep(A, d->os.pretty),
								  keep(A, d->os.source)};
				}
				continue;
			}
			if (d->error && (visible || all_layers))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", img->input, d->error);
			const char *as = shp_pkgdb_counts_as(d->kind);
			if (as && !strcmp(as, "manifests"))
				out->nmanifests += visible;
			else if (as && !strcmp(as, "programs"))
				out->nprograms += visible;
			else if (as && !strcmp(as, "archives"))
				out->narchives += visible;
			else if (as && !strcmp(as, "databases"))
				out->ndbs += visible;
			for (size_t k = 0; visible && k < d->pkgs.nowned; k++)
				SHP_PUSH(owned, nowned, owned_cap, d->pkgs.owned[k]);
			for (size_t k = 0; k < d->pkgs.n; k++) {
				struct shp_pkg p = d->pkgs.v[k];
				p.layer = img->kind == SHP_IMG_ROOTFS ? 0 : (int)L + 1;
				p.hidden = !visible;
				shp_pkgs_add(&all, &p);
			}
		}
	}
	set_owners(&all, owned, nowned);
	/* One package per (database, name, version, arch): listed by a visible database version,
	 * it is installed, and it came with the first layer whose version listed it. */
	if (all.n > 1)
		qsort(all.v, all.n, sizeof *all.v, cmp_group);
	for (size_t i = 0, j; i < all.n; i = j) {
		int vis = 0;
		for (j = i; j < all.n && !cmp_group_key(&all.v[i], &all.v[j]); j++)
			vis |= !all.v[j].hidden;
		if (!vis && !all_layers)
			continue;
		struct shp_pkg p = all.v[i]; /* the lowest layer */
		for (size_t k = i; k < j && !p.owner; k++)
			p.owner = all.v[k].owner;
		p.hidden = !vis;
		shp_pkgs_add(&out->pkgs, &p);
	}
	shp_pkgs_free(&all);
	shp_pkgs_sort(&out->pkgs);
	return 0;
}

void shp_image_pkgs_free(struct shp_image_pkgs *p)
{
	shp_pkgs_free(&p->pkgs);
	memset(p, 0, sizeof *p);
}
