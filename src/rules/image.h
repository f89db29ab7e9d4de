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

/* The programs of a kind the image rules look for in the bin directories of the final
 * filesystem: shells (SHP2030), package managers (SHP2031), SSH servers (SHP2032). */
enum shp_prog_kind { SHP_PROG_SHELL, SHP_PROG_PACKAGE_MANAGER, SHP_PROG_SSH_SERVER };
/* Called with a program's path as found ("usr/bin/sh"), its node, the node of the file it
 * resolves to (a link's target) and the 0-based layer that made it visible. */
typedef void (*shp_image_program_fn)(void *arg, const char *path, uint32_t node, uint32_t target, int layer);
/* Calls fn for each program of kind present, as those rules find them: each name in each
 * bin directory, dangling links left out ("/bin" and "/usr/bin" may both name one file). */
void shp_image_programs(const struct shp_union *u, enum shp_prog_kind kind, shp_image_program_fn fn, void *arg);
/* Whether the setuid rule (SHP2020) reports entry e: a regular file with setuid or setgid. */
int shp_image_setid(const struct shp_entry *e);

/* "layer 3 (RUN apt-get install ...)" for messages; caller frees. */
char *shp_image_layer_desc(const struct shp_image *img, int layer);
/* How a later layer ended a path (enum shp_end), for messages: "overwritten" or "deleted". */
const char *shp_image_end_name(int how);
/* Whether path is a package's documentation or a test fixture (usr/share/..., .../test...,
 * .../example...): a credential file there is a sample, not the image's. */
int shp_image_sample_path(const char *path);
