/* image.c - the image rule driver. */
#include "rules/image.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <string.h>

struct shp_finding *shp_image_report(struct shp_image_ctx *ctx, int layer, const char *path, const char *evidence,
				     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct shp_finding *f =
		shp_findings_addv(ctx->out, ctx->rule, ctx->rule->severity, ctx->img->input, evidence, fmt, ap);
	va_end(ap);
	f->layer = layer + 1;
	f->path = path ? shp_asprintf("%s%s", path[0] == '/' ? "" : "/", path) : NULL;
	return f;
}

void shp_image_check(const struct shp_image *img, const struct shp_union *u, const struct shp_config *cfg,
		     struct shp_findings *out)
{
	const struct shp_rule *rules[SHP_MAX_SCOPE_RULES];
	size_t n = shp_rules_active(SHP_SCOPE_IMAGE, rules);
	struct shp_image_ctx ctx = {.img = img, .u = u, .cfg = cfg, .out = out};
	for (size_t i = 0; i < n; i++) {
		ctx.rule = rules[i];
		rules[i]->check_image(&ctx);
	}
}

const char *shp_image_end_name(int how) { return how == SHP_END_OVERWRITTEN ? "overwritten" : "deleted"; }

int shp_image_sample_path(const char *path)
{
	return !strncmp(path, "usr/share/", 10) || strstr(path, "/test") || strstr(path, "/example");
}

char *shp_image_layer_desc(const struct shp_image *img, int layer)
{
	if (layer < 0 || (size_t)layer >= img->nlayers)
		return shp_xstrdup("the image");
	int h = img->layers[layer].history;
	const char *cmd = h >= 0 ? img->history[h].created_by : NULL;
	if (!cmd || !*cmd)
		return shp_asprintf("layer %d", layer + 1);
	/* "/bin/sh -c #(nop) COPY file:... in /" -> "COPY file:... in /" */
	const char *nop = strstr(cmd, "#(nop) ");
	if (nop)
		cmd = nop + 7;
	while (*cmd == ' ')
		cmd++;
	size_t len = strcspn(cmd, "\n");
	return len > 80 ? shp_asprintf("layer %d (%.77s...)", layer + 1, cmd)
			: shp_asprintf("layer %d (%.*s)", layer + 1, (int)len, cmd);
}
