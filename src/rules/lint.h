/* lint.h - runs the Dockerfile rules over a parsed Dockerfile. Rules report through
 * shp_lint_report(), which applies pragmas, config ignores and severity overrides. */
#pragma once
#include "config/config.h"
#include "dockerfile/dockerfile.h"
#include "rules/rule.h"

struct shp_lint_ctx {
	const struct shp_dockerfile *df;
	const struct shp_config *cfg;
	const struct shp_rule *rule; /* the rule being run */
	struct shp_findings *out;
};

/* Records a finding for ctx->rule at instruction in (may be NULL: file level).
 * evidence may be NULL; it must already be redacted if it holds a secret. */
void shp_lint_report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *evidence,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same at command c of RUN instruction in: the finding points at the command's line
 * and column (its program word), ignores are those of the instruction. */
void shp_lint_report_cmd(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			 const char *evidence, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same at a place that is no instruction (a parser directive): only global ignores apply. */
void shp_lint_report_at(struct shp_lint_ctx *ctx, int line, int col, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Runs every Dockerfile rule; appends to out. */
void shp_lint_dockerfile(const struct shp_dockerfile *df, const struct shp_config *cfg, struct shp_findings *out);

/* Parses and lints one Dockerfile held in memory. -1 with err on a parse error. */
int shp_lint_buffer(const char *path, const char *text, size_t len, const struct shp_config *cfg,
		    struct shp_findings *out, struct shp_error **err);
