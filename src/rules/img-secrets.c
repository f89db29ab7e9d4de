/* img-secrets.c - secrets in the files of an image: by content (secrets/scan.c, run while
 * the layers streamed) and by file name, in every layer - a file a later layer deleted or
 * overwrote is hidden from the container but still shipped in the tarball. */
#include "rules/families.h"
#include "rules/image.h"
#include "secrets/scan.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <string.h>

static const char *how_name(int how)
{
	return how == SHP_END_OVERWRITTEN ? "overwritten" : "deleted";
}

static void each_hit(struct shp_image_ctx *ctx, int want_hidden)
{
	const struct shp_image *img = ctx->img;
	size_t nk;
	const struct shp_secret_kind *kinds = shp_secret_kinds(&nk);
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		for (size_t i = 0; i < s->nsecrets; i++) {
			const struct shp_secret_hit *h = &s->secrets[i];
			const struct shp_entry *e = &s->entries[h->entry];
			uint32_t ev = shp_union_event(ctx->u, e->path, (int)L, h->entry);
			int hidden = ev && ctx->u->ev[ev].end_layer >= 0;
			if (hidden != want_hidden)
				continue;
			_cleanup_free_ char *added = shp_image_layer_desc(img, (int)L);
			if (!hidden) {
				shp_image_report(ctx, (int)L, e->path, h->evidence, "%s in /%s (line %u), added in %s",
						 kinds[h->kind].title, e->path, h->line, added);
				continue;
			}
			const struct shp_uevent *x = &ctx->u->ev[ev];
			_cleanup_free_ char *gone = shp_image_layer_desc(img, x->end_layer);
			shp_image_report(ctx, (int)L, e->path, h->evidence,
					 "%s in /%s (line %u), added in %s and %s in %s: hidden from the container but "
					 "still in the image tarball",
					 kinds[h->kind].title, e->path, h->line, added, how_name(x->end_how), gone);
		}
	}
}

static void check_visible(struct shp_image_ctx *ctx) { each_hit(ctx, 0); }
static void check_hidden(struct shp_image_ctx *ctx) { each_hit(ctx, 1); }

static int has_hit(const struct shp_layer_scan *s, uint32_t entry)
{
	for (size_t i = 0; i < s->nsecrets; i++)
		if (s->secrets[i].entry == entry)
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
		if (!strncmp(e->path, "usr/share/", 10) || strstr(e->path, "/test") || strstr(e->path, "/example"))
			continue;
		_cleanup_free_ char *added = shp_image_layer_desc(img, x->layer);
		if (x->end_layer < 0) {
			shp_image_report(ctx, x->layer, e->path, NULL, "/%s is a %s (%llu bytes), added in %s", e->path, what,
					 (unsigned long long)e->size, added);
		} else {
			_cleanup_free_ char *gone = shp_image_layer_desc(img, x->end_layer);
			shp_image_report(ctx, x->layer, e->path, NULL,
					 "/%s is a %s (%llu bytes), added in %s and %s in %s: still in the image tarball",
					 e->path, what, (unsigned long long)e->size, added, how_name(x->end_how), gone);
		}
	}
}

const struct shp_rule shp_rules_img_secrets[] = {
	{.id = "SHP2010", .slug = "image-secret", .severity = SHP_SEV_CRITICAL, .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in a file of the image",
	 .rationale = "A private key, cloud key, token or password in a file ships to everyone who can pull the "
		      "image; registries and caches keep it long after the tag moves.",
	 .remediation = "Remove the file, rotate the credential, and provide it at run time (secret mounts, "
			"orchestrator secrets).",
	 .aliases = {"CIS-DI-0010", "CIS-4.10"}, .check_image = check_visible},
	{.id = "SHP2011", .slug = "image-deleted-secret", .severity = SHP_SEV_CRITICAL, .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in a deleted file, still shipped",
	 .rationale = "Deleting a file in a later layer only hides it: the layer that added it is still in the "
		      "image, and `docker save` or any registry client extracts it.",
	 .remediation = "Never add secrets in a layer: use RUN --mount=type=secret, or a multi-stage build that "
			"copies only the result; rotate the credential.",
	 .aliases = {"CIS-DI-0010"}, .check_image = check_hidden},
	{.id = "SHP2012", .slug = "image-credential-file", .severity = SHP_SEV_MEDIUM, .scope = SHP_SCOPE_IMAGE,
	 .title = "Credentials file in the image",
	 .rationale = "Files such as id_rsa, .netrc, .env, .aws/credentials or .docker/config.json hold "
		      "credentials by their nature, even where their content matched no known pattern.",
	 .remediation = "Keep credential files out of the build context (.dockerignore) and out of every layer.",
	 .aliases = {"CIS-DI-0010", "DKL-LI-0003"}, .check_image = check_file_names},
	{0},
};
