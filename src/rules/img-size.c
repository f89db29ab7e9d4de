/* img-size.c - wasted bytes, with dive's definitions (reference/anchors.md, section 4) and
 * dive's CI rules: efficiency below lowest-efficiency (0.9), wasted bytes above
 * highest-wasted-bytes (not checked unless set), wasted bytes above highest-user-wasted-percent
 * (0.1) of the user layers; the limits from .dive-ci or the configuration's efficiency:. */
#include "rules/families.h"
#include "rules/image.h"
#include "util/buf.h"

#include <inttypes.h>

static void check_efficiency(struct shp_image_ctx *ctx)
{
	const struct shp_efficiency *f = &ctx->u->eff;
	struct shp_waste_limits w = shp_config_waste(ctx->cfg);
	if (!f->wasted_bytes)
		return;
	/* which of dive's rules fail, as evidence */
	struct shp_buf why = {0};
	if ((w.set & SHP_WASTE_EFFICIENCY) && f->score < w.lowest_efficiency)
		shp_buf_printf(&why, "efficiency %.4f < %.4g", f->score, w.lowest_efficiency);
	if ((w.set & SHP_WASTE_BYTES) && f->wasted_bytes > w.highest_wasted_bytes)
		shp_buf_printf(&why, "%swasted %" PRIu64 " bytes > %" PRIu64, why.len ? "; " : "", f->wasted_bytes,
			       w.highest_wasted_bytes);
	if ((w.set & SHP_WASTE_USER_PERCENT) && f->wasted_user_percent > w.highest_user_wasted)
		shp_buf_printf(&why, "%swasted %.1f%% of the user layers > %.4g%%", why.len ? "; " : "",
			       100 * f->wasted_user_percent, 100 * w.highest_user_wasted);
	if (why.len)
		shp_image_report(ctx, -1, NULL, why.data,
				 "%zu path%s stored in more than one layer: efficiency %.4f, %" PRIu64
				 " bytes wasted, %" PRIu64
				 " could be reclaimed by not overwriting or deleting files in "
				 "later layers",
				 f->inefficient_paths, f->inefficient_paths == 1 ? " is" : "s are", f->score,
				 f->wasted_bytes, f->reclaimable_bytes);
	shp_buf_free(&why);
}

const struct shp_rule shp_rules_img_size[] = {
	{.id = "SHP2040",
	 .slug = "image-wasted-space",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Image wastes space on overwritten or deleted files",
	 .rationale = "A file changed or removed in a later layer still takes its full size in the layer below: "
		      "pulls and storage pay for every copy (dive's efficiency and wasted-bytes measures).",
	 .remediation = "Create, change and delete files in the same RUN, or use a multi-stage build.",
	 .check_image = check_efficiency},
	{0},
};
