/* image.h - runs the image rules over a scanned image and its union view. Rules report
 * through shp_image_report(); the policy stage (src/policy) decides what is ignored. */
#pragma once
#include "config/config.h"
#include "image/image.h"
#include "image/union.h"
#include "rules/rule.h"

struct shp_image_ctx {
	const struct shp_image *img;
	const struct shp_union *u;
	const struct shp_config *cfg;
	const struct shp_rule *rule; /* the rule being run */
	struct shp_findings *out;
};

/* Records a finding for ctx->rule: layer is 0-based (-1 for the image as a whole), path
 * the path inside the image or NULL; evidence (may be NULL) must already be redacted.
 * Returns the finding (its severity the rule's, which the caller may lower). */
struct shp_finding *shp_image_report(struct shp_image_ctx *ctx, int layer, const char *path, const char *evidence,
				     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Runs every image rule; appends to out. */
void shp_image_check(const struct shp_image *img, const struct shp_union *u, const struct shp_config *cfg,
		     struct shp_findings *out);

/* "layer 3 (RUN apt-get install ...)" for messages; caller frees. */
char *shp_image_layer_desc(const struct shp_image *img, int layer);
