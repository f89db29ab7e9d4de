/* lint.c - the Dockerfile rule driver and the one place ignores are decided. */
#include "rules/lint.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A pragma list that names an unknown rule is void as a whole, as hadolint treats it:
 * a typo must not silently ignore its neighbours. "*" (Trivy's) names every rule. */
static int in_list(const struct shp_rule *r, char *const *ids, size_t n)
{
	int hit = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(ids[i], "*") || shp_rule_matches(r, ids[i]))
			hit = 1;
		else if (!shp_rule_find(ids[i]) && !shp_rule_foreign(ids[i]))
			return 0;
	}
	return hit;
}

static int suppressed(struct shp_lint_ctx *ctx, const struct shp_df_instr *in)
{
	const struct shp_rule *r = ctx->rule;
	if (ctx->cfg && ctx->cfg->disable_pragmas)
		return 0;
	if (in_list(r, ctx->df->global_ignores, ctx->df->nglobal_ignores))
		return 1;
	if (!in)
		return 0;
	if (in_list(r, in->ignores, in->nignores))
		return 1;
	if (in->stage >= 0) {
		const struct shp_df_stage *st = &ctx->df->stages[in->stage];
		if (in_list(r, st->ignores, st->nignores))
			return 1;
	}
	return 0;
}

__attribute__((format(printf, 6, 0))) static void report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in,
							  int line, int col, const char *evidence,
							  const char *fmt, va_list ap)
{
	ctx->kept = 0;
	if (suppressed(ctx, in))
		return;
	ctx->kept = 1;
	struct shp_finding *f = shp_findings_addv(ctx->out, ctx->rule, shp_config_severity(ctx->cfg, ctx->rule),
						  ctx->df->path, evidence, fmt, ap);
	f->line = line;
	f->col = col;
}

void shp_lint_report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *evidence, const char *fmt,
		     ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, in, in ? in->line : 1, in ? in->col : 1, evidence, fmt, ap);
	va_end(ap);
}

void shp_lint_report_cmd(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			 const char *evidence, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, in, c->line, c->col, evidence, fmt, ap); /* the parser placed every command */
	va_end(ap);
}

void shp_lint_report_at(struct shp_lint_ctx *ctx, int line, int col, const char *evidence, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, NULL, line, col, evidence, fmt, ap);
	va_end(ap);
}

void shp_lint_fix(struct shp_lint_ctx *ctx, enum shp_fix_kind kind, const struct shp_df_instr *in,
		  const struct shp_sh_cmd *c, size_t word, const char *text)
{
	if (!ctx->fixes || !ctx->kept || ctx->rule->fixable == SHP_FIX_NONE)
		return;
	struct shp_fixes *fx = ctx->fixes;
	struct shp_fix f = {ctx->rule, kind, in, c, word, shp_arena_strndup(&fx->text, text, strlen(text))};
	SHP_PUSH(fx->v, fx->n, fx->cap, f);
}

void shp_fixes_free(struct shp_fixes *fx)
{
	free(fx->v);
	shp_arena_free(&fx->text);
	*fx = (struct shp_fixes){0};
}

void shp_lint_dockerfile(const struct shp_dockerfile *df, const struct shp_config *cfg, struct shp_findings *out)
{
	shp_lint_dockerfile_fix(df, cfg, out, NULL);
}

void shp_lint_dockerfile_fix(const struct shp_dockerfile *df, const struct shp_config *cfg, struct shp_findings *out,
			     struct shp_fixes *fixes)
{
	const struct shp_rule *rules[SHP_MAX_SCOPE_RULES];
	size_t n = shp_rules_active(SHP_SCOPE_DOCKERFILE, cfg, rules);
	struct shp_lint_ctx ctx = {.df = df, .cfg = cfg, .out = out, .fixes = fixes};
	for (size_t i = 0; i < n; i++) {
		ctx.rule = rules[i];
		rules[i]->check_dockerfile(&ctx);
	}
}

int shp_lint_buffer(const char *path, const char *text, size_t len, const struct shp_config *cfg,
		    struct shp_findings *out, struct shp_error **err)
{
	struct shp_dockerfile *df = NULL;
	if (shp_df_parse(path, text, len, &df, err) < 0)
		return -1;
	shp_lint_dockerfile(df, cfg, out);
	shp_df_free(df);
	return 0;
}
