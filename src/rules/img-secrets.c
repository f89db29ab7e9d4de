/* img-secrets.c - secrets in the files of an image: by content (secrets/scan.c, run while
 * the layers streamed) and by file name, in every layer - a file a later layer deleted or
 * overwrote is hidden from the container but still shipped in the tarball. A file a package
 * installed and that is unchanged (its content's digest is the one the package database
 * records for its path) is the distro's: its secret is reported at info only. */
#include "rules/families.h"
#include "rules/image.h"
#include "secrets/scan.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The hard links of an image, by the name they link to: a file's content stays readable
 * at a link when its own name is deleted. */
struct hardlink {
	const char *target, *path;
	int layer;
	uint32_t entry;
};

struct hardlinks {
	struct hardlink *v;
	size_t n, cap;
	int built;
};

static int by_target(const void *a, const void *b)
{
	return strcmp(((const struct hardlink *)a)->target, ((const struct hardlink *)b)->target);
}

static void hardlinks_build(struct hardlinks *hl, const struct shp_image *img)
{
	hl->built = 1;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		for (size_t i = 0; i < s->nentries; i++)
			if (s->entries[i].type == SHP_FT_HARDLINK && s->entries[i].link) {
				struct hardlink h = {s->entries[i].link, s->entries[i].path, (int)L, (uint32_t)i};
				SHP_PUSH(hl->v, hl->n, hl->cap, h);
			}
	}
	if (hl->n)
		qsort(hl->v, hl->n, sizeof *hl->v, by_target);
}

/* A hard link, visible in the final filesystem, to the version of path that layer L's event
 * ev added (while that version was there), or NULL. */
static const struct hardlink *visible_link(struct hardlinks *hl, const struct shp_image_ctx *ctx, const char *path,
					   int L, const struct shp_uevent *x)
{
	if (!hl->built)
		hardlinks_build(hl, ctx->img);
	struct hardlink key = {.target = path};
	struct hardlink *h = hl->n ? bsearch(&key, hl->v, hl->n, sizeof *hl->v, by_target) : NULL;
	if (!h)
		return NULL;
	while (h > hl->v && !strcmp(h[-1].target, path))
		h--;
	for (; h < hl->v + hl->n && !strcmp(h->target, path); h++) {
		if (h->layer < L || (h->layer > L && x->end_layer >= 0 && x->end_layer <= h->layer))
			continue;
		uint32_t lev = shp_union_event(ctx->u, h->path, h->layer, h->entry);
		if (lev && ctx->u->ev[lev].end_layer < 0)
			return h;
	}
	return NULL;
}

/* The files the package databases of every layer record (visible or not: a file a later
 * layer deleted or replaced is judged by the database of its time), by key. */
struct pkgsums {
	struct shp_pkg_filesum *v;
	size_t n, cap;
};

static int by_key(const void *a, const void *b)
{
	uint64_t x = ((const struct shp_pkg_filesum *)a)->key, y = ((const struct shp_pkg_filesum *)b)->key;
	return x < y ? -1 : x > y;
}

static void pkgsums_build(struct pkgsums *ps, const struct shp_image *img)
{
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		for (size_t i = 0, n = shp_layer_npkgdbs(s); i < n; i++) {
			const struct shp_pkgs *p = &shp_layer_pkgdb_at(s, i)->pkgs;
			for (size_t k = 0; k < p->nsums; k++)
				SHP_PUSH(ps->v, ps->n, ps->cap, p->sums[k]);
		}
	}
	if (ps->n)
		qsort(ps->v, ps->n, sizeof *ps->v, by_key);
}

/* The package that shipped the file at path with the content whose digests (SHP_SUM_BYTES)
 * are sums, as some package database records it; NULL when none does (a file of the image's
 * own, or a package's file changed since). */
static const char *shipped_by(const struct pkgsums *ps, const char *path, const unsigned char *sums)
{
	if (!sums || !ps->n)
		return NULL;
	for (size_t a = 0, at = 0; a < SHP_SUM_NALGOS; at += shp_sum_len((enum shp_sum_algo)a), a++) {
		struct shp_pkg_filesum key = {shp_pkg_file_key(path, strlen(path), (enum shp_sum_algo)a, sums + at),
					      NULL};
		const struct shp_pkg_filesum *f = bsearch(&key, ps->v, ps->n, sizeof *ps->v, by_key);
		if (f)
			return f->owner;
	}
	return NULL;
}

/* What is said of a secret in a file a package installed unchanged, which is reported at info:
 * its content is the distro's (a test key, a sample configuration), the same in every image
 * that installs the package. */
#define SHIPPED_FMT ": shipped unchanged by package %s (its database's digest of the file is the content's)"

/* A token whose checksum does not hold is reported at medium: it has the form of an issued
 * one, but was made up or mistyped (a sample, a test's value), which the issuer never does. */
#define BAD_CHECKSUM                                                                                                   \
	": its checksum does not hold (a made-up or mistyped token rather than an issued one, reported at medium)"

static void each_hit(struct shp_image_ctx *ctx, int want_hidden)
{
	const struct shp_image *img = ctx->img;
	size_t nk;
	const struct shp_secret_kind *kinds = shp_secret_kinds(&nk);
	struct hardlinks hl = {0};
	struct pkgsums ps = {0};
	int ps_built = 0;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		size_t nhits;
		const struct shp_secret_hit *hits = shp_layer_secrets(s, &nhits);
		for (size_t i = 0; i < nhits; i++) {
			const struct shp_secret_hit *h = &hits[i];
			const struct shp_entry *e = &s->entries[h->entry];
			uint32_t ev = shp_union_event(ctx->u, e->path, (int)L, h->entry);
			int hidden = ev && ctx->u->ev[ev].end_layer >= 0;
			/* deleted under its own name but readable at a hard link: present there */
			const struct hardlink *link =
				hidden ? visible_link(&hl, ctx, e->path, (int)L, &ctx->u->ev[ev]) : NULL;
			if ((hidden && !link) != want_hidden)
				continue;
			_cleanup_free_ char *added = shp_image_layer_desc(img, (int)L);
			if (h->sums && !ps_built) {
				pkgsums_build(&ps, img);
				ps_built = 1;
			}
			const char *pkg = shipped_by(&ps, e->path, h->sums);
			_cleanup_free_ char *shipped = pkg		 ? shp_asprintf(SHIPPED_FMT, pkg)
						       : h->bad_checksum ? shp_xstrdup(BAD_CHECKSUM)
									 : NULL;
			struct shp_finding *f;
			if (link) {
				f = shp_image_report(
					ctx, link->layer, link->path, h->evidence,
					"%s in /%s (line %u), added in %s as /%s, which is deleted but this "
					"hard link to it is not%s",
					kinds[h->kind].title, link->path, h->line, added, e->path,
					shipped ? shipped : "");
			} else if (!hidden) {
				f = shp_image_report(ctx, (int)L, e->path, h->evidence,
						     "%s in /%s (line %u), added in %s%s", kinds[h->kind].title,
						     e->path, h->line, added, shipped ? shipped : "");
			} else {
				const struct shp_uevent *x = &ctx->u->ev[ev];
				_cleanup_free_ char *gone = shp_image_layer_desc(img, x->end_layer);
				f = shp_image_report(ctx, (int)L, e->path, h->evidence,
						     "%s in /%s (line %u), added in %s and %s in %s: hidden from the "
						     "container but still in the image tarball%s",
						     kinds[h->kind].title, e->path, h->line, added,
						     shp_image_end_name(x->end_how), gone, shipped ? shipped : "");
			}
			if (kinds[h->kind].severity) /* the secret's rule's */
				f->severity = (enum shp_severity)(kinds[h->kind].severity - 1);
			if (pkg)
				f->severity = SHP_SEV_INFO;
			else if (h->bad_checksum && f->severity > SHP_SEV_MEDIUM)
				f->severity = SHP_SEV_MEDIUM;
		}
	}
	free(hl.v);
	free(ps.v);
}

static void check_visible(struct shp_image_ctx *ctx) { each_hit(ctx, 0); }
static void check_hidden(struct shp_image_ctx *ctx) { each_hit(ctx, 1); }

static int has_hit(const struct shp_layer_scan *s, uint32_t entry)
{
	size_t nhits;
	const struct shp_secret_hit *hits = shp_layer_secrets(s, &nhits);
	for (size_t i = 0; i < nhits; i++)
		if (hits[i].entry == entry)
			return 1;
	return 0;
}

static void check_file_names(struct shp_image_ctx *ctx)
{
	const struct shp_union *u = ctx->u;
	const struct shp_image *img = ctx->img;
	for (size_t i = 1; i < u->nev; i++) {
		const struct shp_uevent *x = &u->ev[i];
		const struct shp_layer_scan *s = &img->scans[img->layers[x->layer].scan];
		const struct shp_entry *e = &s->entries[x->entry];
		const char *what;
		if (e->type != SHP_FT_FILE || !e->size || !shp_secret_file_name(e->path, &what) || has_hit(s, x->entry))
			continue;
		/* documentation and test fixtures of packages are not credentials */
		if (shp_image_sample_path(e->path))
			continue;
		_cleanup_free_ char *added = shp_image_layer_desc(img, x->layer);
		if (x->end_layer < 0) {
			shp_image_report(ctx, x->layer, e->path, NULL, "/%s is a %s (%llu bytes), added in %s", e->path,
					 what, (unsigned long long)e->size, added);
		} else {
			_cleanup_free_ char *gone = shp_image_layer_desc(img, x->end_layer);
			shp_image_report(
				ctx, x->layer, e->path, NULL,
				"/%s is a %s (%llu bytes), added in %s and %s in %s: still in the image tarball",
				e->path, what, (unsigned long long)e->size, added, shp_image_end_name(x->end_how),
				gone);
		}
	}
}

const struct shp_rule shp_rules_img_secrets[] = {
	{.id = "SHP2010",
	 .slug = "image-secret",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in a file of the image",
	 .rationale = "A private key, cloud key, token or password in a file ships to everyone who can pull the "
		      "image; registries and caches keep it long after the tag moves. A finding takes the "
		      "severity of the secret rule that found it. One in a "
		      "file a package installed and that is unchanged (its digest is the one the package "
		      "database records) is the distro's and reported at info; a token whose checksum does not "
		      "hold, at medium.",
	 .remediation = "Remove the file, rotate the credential, and provide it at run time (secret mounts, "
			"orchestrator secrets).",
	 .aliases = {"CIS-DI-0010", "CIS-4.10"},
	 .check_image = check_visible},
	{.id = "SHP2011",
	 .slug = "image-deleted-secret",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in a deleted file, still shipped",
	 .rationale = "Deleting a file in a later layer only hides it: the layer that added it is still in the "
		      "image, and `docker save` or any registry client extracts it.",
	 .remediation = "Never add secrets in a layer: use RUN --mount=type=secret, or a multi-stage build that "
			"copies only the result; rotate the credential.",
	 .aliases = {"CIS-DI-0010"},
	 .check_image = check_hidden},
	{.id = "SHP2012",
	 .slug = "image-credential-file",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Credentials file in the image",
	 .rationale = "Files such as id_rsa, .netrc, .env, .aws/credentials or .docker/config.json hold "
		      "credentials by their nature, even where their content matched no known pattern.",
	 .remediation = "Keep credential files out of the build context (.dockerignore) and out of every layer.",
	 .aliases = {"CIS-DI-0010", "DKL-LI-0003"},
	 .check_image = check_file_names},
	{0},
};
