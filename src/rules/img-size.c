/* img-size.c - wasted bytes, with dive's definitions (reference/anchors.md, section 4) and
 * dive's CI thresholds: efficiency below 0.9 or wasted bytes above 10% of the user layers. */
#include "rules/families.h"
#include "rules/image.h"

#include <stdio.h>

#define LOWEST_EFFICIENCY 0.9
#define HIGHEST_USER_WASTED 0.1

static void check_efficiency(struct shp_image_ctx *ctx)
{
	const struct shp_efficiency *f = &ctx->u->eff;
	if (!f->wasted_bytes || (f->score >= LOWEST_EFFICIENCY && f->wasted_user_percent <= HIGHEST_USER_WASTED))
		return;
	char ev[160];
	snprintf(ev, sizeof ev, "efficiency %.4f, wasted %llu bytes (%.1f%% of the user layers), reclaimable %llu",
		 f->score, (unsigned long long)f->wasted_bytes, 100 * f->wasted_user_percent,
		 (unsigned long long)f->reclaimable_bytes);
	shp_image_report(ctx, -1, NULL, ev,
			 "%zu paths are stored in more than one layer; %llu bytes could be reclaimed by not "
			 "overwriting or deleting files in later layers",
			 f->inefficient_paths, (unsigned long long)f->reclaimable_bytes);
}

const struct shp_rule shp_rules_img_size[] = {
	{.id = "SHP2040", .slug = "image-wasted-space", .severity = SHP_SEV_LOW, .scope = SHP_SCOPE_IMAGE,
	 .title = "Image wastes space on overwritten or deleted files",
	 .rationale = "A file changed or removed in a later layer still takes its full size in the layer below: "
		      "pulls and storage pay for every copy (dive's efficiency and wasted-bytes measures).",
	 .remediation = "Create, change and delete files in the same RUN, or use a multi-stage build.",
	 .check_image = check_efficiency},
	{0},
};
