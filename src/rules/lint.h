/* lint.h - runs the Dockerfile rules over a parsed Dockerfile. Rules report through
 * shp_lint_report(), which notes the pragmas that apply to the finding; the policy stage
 * (src/policy) decides what is ignored and re-rated. */
#pragma once
#include "config/config.h"
#include "dockerfile/dockerfile.h"
#include "rules/rule.h"

struct shp_fixes;

struct shp_lint_ctx {
	const struct shp_dockerfile *df;
	const struct shp_config *cfg;
	const struct shp_rule *rule; /* the rule being run */
	struct shp_findings *out;
	struct shp_fixes *fixes; /* `fix`: where rules offer repairs; NULL when linting */
	size_t last;		 /* 1 + the index in out of the last finding reported, 0 before one */
};

/* Records a finding for ctx->rule at instruction in (may be NULL: file level).
 * evidence may be NULL; it must already be redacted if it holds a secret. */
void shp_lint_report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const char *evidence, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* The same at command c of RUN instruction in: the finding points at the command's line
 * and column (its program word), ignores are those of the instruction. */
void shp_lint_report_cmd(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			 const char *evidence, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same at a place that is no instruction (a parser directive): only global ignores apply. */
void shp_lint_report_at(struct shp_lint_ctx *ctx, int line, int col, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Runs every Dockerfile rule; appends to out what they find, before the policy stage (which
 * must run while df is alive). */
void shp_lint_dockerfile(const struct shp_dockerfile *df, const struct shp_config *cfg, struct shp_findings *out);

/* ---- fixes ------------------------------------------------------------------------------
 * A rule whose finding has a mechanical repair offers it right after reporting the finding;
 * `shipshape fix` (src/rules/fix.c) turns the offers into edits of the file; an offer for a
 * finding the policy ignores is dropped there, and while linting none is recorded. Each edit is checked against
 * the file's bytes before it is made, so an offer the file's text does not bear out (a quoted
 * word, a script in a heredoc) is declined rather than guessed at. */
enum shp_fix_kind {
	SHP_FIX_AFTER_WORD, /* insert " text" after word `word` of command c */
	SHP_FIX_WORD,	    /* replace word `word` of command c by text */
	SHP_FIX_APPEND,	    /* end the RUN with " && text" */
	SHP_FIX_KEYWORD,    /* the instruction's keyword becomes text (in the keyword's case) */
	SHP_FIX_INSTR,	    /* the one-line instruction becomes text (its keyword in the old case) */
	SHP_FIX_END,	    /* append text to the instruction's last word */
	SHP_FIX_DROP_WORD,  /* remove word `word` of command c and the blank before it */
};

struct shp_fix {
	const struct shp_rule *rule; /* its fixable says whether the fix is safe */
	enum shp_fix_kind kind;
	const struct shp_df_instr *in; /* the instruction the rule judged (ONBUILD's trigger too) */
	const struct shp_sh_cmd *c;    /* the command, for word fixes */
	size_t word;
	const char *text;
	size_t finding; /* the finding offered for: its index in the list the lint appended to */
};

struct shp_fixes {
	struct shp_fix *v;
	size_t n, cap;
	struct shp_arena text;
};

void shp_fixes_free(struct shp_fixes *fx);

/* shp_lint_dockerfile() that also collects the rules' offers into fixes. */
void shp_lint_dockerfile_fix(const struct shp_dockerfile *df, const struct shp_config *cfg, struct shp_findings *out,
			     struct shp_fixes *fixes);

/* Offers a fix for the finding just reported (by a rule whose registry row says it is fixable). */
void shp_lint_fix(struct shp_lint_ctx *ctx, enum shp_fix_kind kind, const struct shp_df_instr *in,
		  const struct shp_sh_cmd *c, size_t word, const char *text);

/* Parses and lints one Dockerfile held in memory, and applies the policy stage (cfg, which may
 * be NULL) to out. -1 with err on a parse error. */
int shp_lint_buffer(const char *path, const char *text, size_t len, const struct shp_config *cfg,
		    struct shp_findings *out, struct shp_error **err);
