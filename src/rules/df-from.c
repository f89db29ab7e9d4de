/* df-from.c - rules about base images and stages: tags, latest, digests, registries,
 * --platform, aliases and COPY --from references. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The image a stage really pulls: NULL for scratch, stage aliases and names whose tag and
 * digest depend on a variable. A variable only in the registry or the path before the name
 * ("FROM ${REGISTRY}/ubuntu") leaves the tag as written, whatever its value: the name is
 * then the text as written. */
static const char *external_image(const struct shp_dockerfile *df, size_t s)
{
	const struct shp_df_stage *st = &df->stages[s];
	if (st->parent >= 0)
		return NULL;
	if (!st->resolved) {
		const char *slash = strrchr(st->image, '/');
		return slash && !strchr(slash, '$') ? st->image : NULL;
	}
	if (!strcasecmp(st->resolved, "scratch") || !*st->resolved)
		return NULL;
	return st->resolved;
}

/* Calls judge() for the base image of every stage that pulls one, with its tag and digest. */
static void each_base(struct shp_lint_ctx *ctx,
		      void (*judge)(struct shp_lint_ctx *, const struct shp_df_instr *, const char *img,
				    const char *tag, size_t taglen, const char *digest))
{
	const struct shp_dockerfile *df = ctx->df;
	for (size_t s = 0; s < df->nstages; s++) {
		const char *img = external_image(df, s);
		const char *tag, *dig;
		size_t tl;
		if (!img)
			continue;
		image_parts(img, &tag, &tl, &dig);
		judge(ctx, &df->ins[df->stages[s].from], img, tag, tl, dig);
	}
}

static void judge_untagged(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *img, const char *tag,
			   size_t tl, const char *dig)
{
	(void)tl;
	if (!tag && !dig)
		shp_lint_report(ctx, in, img,
				"base image \"%s\" has no tag: the build takes whatever \"latest\" is that day", img);
}

static void judge_latest(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *img, const char *tag,
			 size_t tl, const char *dig)
{
	if (tag && tl == 6 && !strncmp(tag, "latest", 6) && !dig)
		shp_lint_report(ctx, in, img, "base image \"%s\" uses the moving tag \"latest\"", img);
}

static void judge_digest(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *img, const char *tag,
			 size_t tl, const char *dig)
{
	(void)tag, (void)tl;
	if (!dig)
		shp_lint_report(ctx, in, img, "base image \"%s\" is not pinned by digest (@sha256:...)", img);
}

static void check_untagged(struct shp_lint_ctx *ctx) { each_base(ctx, judge_untagged); }
static void check_latest(struct shp_lint_ctx *ctx) { each_base(ctx, judge_latest); }
static void check_digest(struct shp_lint_ctx *ctx) { each_base(ctx, judge_digest); }

static int is_stage_index(const char *s, size_t below)
{
	if (!*s)
		return 0;
	for (const char *c = s; *c; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	return strtoul(s, NULL, 10) < below;
}

static void untrusted(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *img, const char *how)
{
	if (!strcasecmp(img, "scratch") || has_var(img))
		return;
	_cleanup_free_ char *reg = image_registry(img);
	if (!shp_config_registry_trusted(ctx->cfg, reg))
		shp_lint_report(ctx, in, img, "%s \"%s\" comes from registry \"%s\", which is not in the trusted list",
				how, img, reg);
}

static void check_registry(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	if (!ctx->cfg || !ctx->cfg->ntrusted)
		return; /* nothing configured: every registry is acceptable */
	for (size_t s = 0; s < df->nstages; s++) {
		const char *img = external_image(df, s);
		if (img)
			untrusted(ctx, &df->ins[df->stages[s].from], img, "base image");
	}
	DF_FOREACH(df, i, in)
	{
		const char *from = shp_df_flag(in, "from");
		size_t below = in->stage < 0 ? 0 : (size_t)in->stage;
		if (in->kind == SHP_DF_COPY && from && df_stage_named(df, from, i) < 0 && !is_stage_index(from, below))
			untrusted(ctx, in, from, "COPY --from image");
		if (in->kind == SHP_DF_RUN)
			for (size_t f = 0; f < in->nflags; f++) {
				if (strcmp(in->flags[f].name, "mount") || !in->flags[f].value)
					continue;
				_cleanup_free_ char *mf = shp_df_mount_opt(in->flags[f].value, "from");
				if (mf && df_stage_named(df, mf, i) < 0 && !is_stage_index(mf, below))
					untrusted(ctx, in, mf, "RUN --mount from image");
			}
	}
}

static int platform_is(const char *v, const char *var)
{
	size_t n = strlen(var);
	if (v[0] != '$')
		return 0;
	v++;
	if (*v == '{')
		return !strncmp(v + 1, var, n) && v[1 + n] == '}' && !v[2 + n];
	return !strcmp(v, var);
}

static void check_platform(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	for (size_t s = 0; s < df->nstages; s++) {
		const char *p = df->stages[s].platform;
		if (p && !has_var(p))
			shp_lint_report(ctx, &df->ins[df->stages[s].from], p,
					"FROM --platform=%s pins one platform and breaks multi-platform builds", p);
	}
}

static void check_target_platform(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	for (size_t s = 0; s < df->nstages; s++) {
		const char *p = df->stages[s].platform;
		if (p && platform_is(p, "TARGETPLATFORM"))
			shp_lint_report(ctx, &df->ins[df->stages[s].from], p,
					"FROM --platform=$TARGETPLATFORM is what BuildKit does anyway");
	}
}

static void check_dup_alias(struct shp_lint_ctx *ctx)
{
	/* The alias index is sorted by name, then stage: duplicates are neighbours. */
	const struct shp_dockerfile *df = ctx->df;
	for (size_t k = 1; k < df->naliases; k++) {
		const struct shp_df_alias *a = &df->aliases[k - 1], *b = &df->aliases[k];
		if (strcmp(a->lower, b->lower))
			continue;
		const struct shp_df_stage *st = &df->stages[b->stage];
		shp_lint_report(ctx, &df->ins[st->from], st->alias, "stage name \"%s\" is already used on line %d",
				st->alias, df->ins[df->stages[a->stage].from].line);
	}
}

static void check_reserved_alias(struct shp_lint_ctx *ctx)
{
	static const char *const reserved[] = {"scratch", "context", NULL};
	const struct shp_dockerfile *df = ctx->df;
	for (size_t s = 0; s < df->nstages; s++) {
		const char *a = df->stages[s].alias;
		if (!a)
			continue;
		for (int k = 0; reserved[k]; k++)
			if (!strcasecmp(a, reserved[k]))
				shp_lint_report(ctx, &df->ins[df->stages[s].from], a,
						"stage name \"%s\" is a reserved word", a);
	}
}

static void check_copy_from_unknown(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	DF_FOREACH(df, i, in)
	{
		const char *from = in->kind == SHP_DF_COPY ? shp_df_flag(in, "from") : NULL;
		if (!from || !*from || has_var(from))
			continue;
		int cur = in->stage;
		if (df_stage_named(df, from, i) >= 0 || is_stage_index(from, cur < 0 ? 0 : (size_t)cur))
			continue;
		if (strchr(from, ':') || strchr(from, '/') || strchr(from, '@'))
			continue; /* an image reference */
		shp_lint_report(ctx, in, from, "COPY --from=%s names no earlier stage", from);
	}
}

static void check_copy_from_self(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	DF_FOREACH(df, i, in)
	{
		const char *from = in->kind == SHP_DF_COPY ? shp_df_flag(in, "from") : NULL;
		if (!from || in->stage < 0)
			continue;
		const char *a = df->stages[in->stage].alias;
		if (a && !strcasecmp(a, from))
			shp_lint_report(ctx, in, from, "COPY --from=%s copies from the stage being built", from);
	}
}

static void check_first_instruction(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	for (size_t i = 0; i < df->n; i++) {
		const struct shp_df_instr *in = &df->ins[i];
		if (in->kind == SHP_DF_FROM)
			return;
		if (in->kind != SHP_DF_ARG) {
			shp_lint_report(ctx, in, in->keyword, "%s before the first FROM", in->keyword);
			return;
		}
	}
}

/* # syntax=IMAGE makes BuildKit pull IMAGE and run it as the Dockerfile frontend. */
static void check_frontend(struct shp_lint_ctx *ctx)
{
	const char *s = ctx->df->syntax;
	if (!s || !*s)
		return;
	const char *tag, *dig;
	size_t tl;
	image_parts(s, &tag, &tl, &dig);
	const char *end = tag ? tag - 1 : dig ? dig - 1 : s + strlen(s);
	_cleanup_free_ char *repo = shp_xstrndup(s, (size_t)(end - s));
	_cleanup_free_ char *reg = image_registry(repo);
	const char *path = image_path(repo);
	if (!strcmp(reg, "docker.io") &&
	    (!strcmp(path, "docker/dockerfile") || !strcmp(path, "docker/dockerfile-upstream")))
		return; /* Docker's own frontend */
	if (ctx->cfg && ctx->cfg->ntrusted && shp_config_registry_trusted(ctx->cfg, reg))
		return; /* a frontend from a registry the team trusts */
	shp_lint_report_at(ctx, ctx->df->syntax_line ? ctx->df->syntax_line : 1, 1, s,
			   "# syntax=%s: BuildKit pulls this image and runs it to read the Dockerfile, with the "
			   "build's context and secrets; it is not Docker's own docker/dockerfile",
			   s);
}

const struct shp_rule shp_rules_df_from[] = {
	{.id = "SHP1001",
	 .slug = "base-image-untagged",
	 .severity = SHP_SEV_LOW,
	 .title = "Base image has no tag",
	 .rationale = "Without a tag the build uses whatever \"latest\" points to when it runs, so two builds of "
		      "the same Dockerfile can produce different images.",
	 .remediation = "Name a release tag, e.g. FROM debian:12.5-slim, or pin a digest.",
	 .aliases = {"DL3006"},
	 .check_dockerfile = check_untagged},
	{.id = "SHP1002",
	 .slug = "base-image-latest",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Base image uses the latest tag",
	 .rationale = "\"latest\" moves: rebuilding picks up a different base without any change in the Dockerfile.",
	 .remediation = "Use a release tag, and a digest for reproducible builds.",
	 .aliases = {"DL3007", "DS001", "DKL-DI-0006"},
	 .check_dockerfile = check_latest},
	{.id = "SHP1003",
	 .slug = "base-image-no-digest",
	 .severity = SHP_SEV_LOW,
	 .title = "Base image not pinned by digest",
	 .rationale = "Tags can be re-pushed; only a digest names exactly the bytes that were reviewed and scanned.",
	 .remediation = "Pin the base: FROM image:tag@sha256:<digest> (keep the tag for readability).",
	 .aliases = {"CIS-4.2"},
	 .check_dockerfile = check_digest},
	{.id = "SHP1004",
	 .slug = "untrusted-registry",
	 .severity = SHP_SEV_HIGH,
	 .title = "Image from a registry that is not trusted",
	 .rationale = "Images from registries outside the configured trusted list bypass the team's supply-chain "
		      "controls.",
	 .remediation = "Use an image from a trusted registry, or add the registry to trusted-registries in "
			".shipshape.yaml.",
	 .aliases = {"DL3026", "CIS-DI-0002"},
	 .check_dockerfile = check_registry},
	{.id = "SHP1005",
	 .slug = "from-platform-flag",
	 .severity = SHP_SEV_LOW,
	 .title = "FROM pins a --platform",
	 .rationale = "A fixed --platform makes the image build for one architecture only, even in multi-platform "
		      "builds.",
	 .remediation = "Drop --platform, or use --platform=$BUILDPLATFORM for build stages.",
	 .aliases = {"DL3029"},
	 .check_dockerfile = check_platform},
	{.id = "SHP1006",
	 .slug = "redundant-target-platform",
	 .severity = SHP_SEV_INFO,
	 .title = "FROM --platform=$TARGETPLATFORM is redundant",
	 .rationale = "BuildKit builds for the target platform by default.",
	 .remediation = "Remove the --platform flag.",
	 .aliases = {"DL3065"},
	 .check_dockerfile = check_target_platform},
	{.id = "SHP1007",
	 .slug = "duplicate-stage-name",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Stage name used twice",
	 .rationale = "With two stages of one name, COPY --from and FROM references become ambiguous.",
	 .remediation = "Give every stage a unique name.",
	 .aliases = {"DL3024", "DS012"},
	 .check_dockerfile = check_dup_alias},
	{.id = "SHP1008",
	 .slug = "reserved-stage-name",
	 .severity = SHP_SEV_LOW,
	 .title = "Stage name is a reserved word",
	 .rationale = "\"scratch\" and \"context\" have meanings of their own in FROM and COPY --from.",
	 .remediation = "Rename the stage.",
	 .aliases = {"DL3063"},
	 .check_dockerfile = check_reserved_alias},
	{.id = "SHP1009",
	 .slug = "copy-from-unknown-stage",
	 .severity = SHP_SEV_LOW,
	 .title = "COPY --from names no earlier stage",
	 .rationale = "A --from that is neither an earlier stage nor an image reference is a typo or a forward "
		      "reference, and BuildKit will try to pull it as an image.",
	 .remediation = "Reference a stage defined above, or a full image reference with a tag.",
	 .aliases = {"DL3022"},
	 .check_dockerfile = check_copy_from_unknown},
	{.id = "SHP1010",
	 .slug = "copy-from-self",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "COPY --from references its own stage",
	 .rationale = "A stage cannot copy from itself; the build fails or pulls an image of that name.",
	 .remediation = "Copy from an earlier stage.",
	 .aliases = {"DL3023", "DS006"},
	 .check_dockerfile = check_copy_from_self},
	{.id = "SHP1011",
	 .slug = "instruction-before-from",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Instruction before the first FROM",
	 .rationale = "Only ARG (and parser directives and comments) may come before the first FROM.",
	 .remediation = "Move the instruction below FROM.",
	 .aliases = {"DL3061"},
	 .check_dockerfile = check_first_instruction},
	{.id = "SHP1012",
	 .slug = "untrusted-syntax-frontend",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Dockerfile frontend image is not Docker's own",
	 .rationale = "A # syntax= directive makes BuildKit pull that image and run it as the parser of this "
		      "Dockerfile. The frontend sees the build context, the secrets and SSH agents mounted into "
		      "RUN steps, and decides what every instruction does: a third-party or typo-squatted "
		      "frontend is code run in every build.",
	 .remediation = "Use # syntax=docker/dockerfile:1 (pinned by digest for reproducibility), or a frontend "
			"from a registry listed in trusted-registries.",
	 .aliases = {},
	 .check_dockerfile = check_frontend},
	{0},
};
