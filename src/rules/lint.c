/* lint.c - the Dockerfile rule driver: findings with the pragmas that apply to them. */
#include "rules/lint.h"
#include "policy/policy.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The pragmas the parser recorded for a finding at instruction in (NULL: only the file's). */
static struct shp_finding_pragmas pragmas_at(const struct shp_lint_ctx *ctx, const struct shp_df_instr *in)
{
	struct shp_finding_pragmas p = {.lists = {ctx->df->global_ignores}, .nlists = {ctx->df->nglobal_ignores}};
	if (in) {
		p.lists[2] = in->ignores;
		p.nlists[2] = in->nignores;
	}
	if (in && in->stage >= 0) {
		p.lists[1] = ctx->df->stages[in->stage].ignores;
		p.nlists[1] = ctx->df->stages[in->stage].nignores;
	}
	return p;
}

__attribute__((format(printf, 6, 0))) static void report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in,
							 int line, int col, const char *evidence, const char *fmt,
							 va_list ap)
{
	struct shp_finding *f =
		shp_findings_addv(ctx->out, ctx->rule, ctx->rule->severity, ctx->df->path, evidence, fmt, ap);
	f->line = line;
	f->col = col;
	struct shp_finding_pragmas p = pragmas_at(ctx, in);
	shp_finding_set_pragmas(ctx->out, f, &p);
	ctx->last = ctx->out->n;
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
	if (!ctx->fixes || !ctx->last || ctx->rule->fixable == SHP_FIX_NONE)
		return;
	struct shp_fixes *fx = ctx->fixes;
	struct shp_fix f = {ctx->rule,	  kind, in, c, word, shp_arena_strndup(&fx->text, text, strlen(text)),
			    ctx->last - 1};
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
	size_t n = shp_rules_active(SHP_SCOPE_DOCKERFILE, rules);
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
	shp_policy_apply(cfg, out); /* while the pragmas it reads are alive */
	shp_df_free(df);
	return 0;
}
