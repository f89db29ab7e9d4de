/* df-util.h - helpers shared by the Dockerfile rule families: variable lookup along the
 * stage chain, the commands of RUN instructions, package-manager argument parsing,
 * BuildKit mounts and image references. */
#pragma once
#include "dockerfile/dockerfile.h"
#include "rules/lint.h"

/* Iterates the instructions rules judge: each instruction, or ONBUILD's trigger. */
#define DF_FOREACH(df, i, in)                                                                                          \
	for (size_t i = 0; i < (df)->n; i++)                                                                           \
		for (const struct shp_df_instr *in = shp_df_eff(&(df)->ins[i]); in; in = NULL)

/* Walks the commands of every POSIX RUN (and ONBUILD RUN) whose program has a bit in
 * mask (SHP_P(APT_GET) | ...); RUNs without such a program are skipped whole. The body
 * may "continue" to the next command; "break" also only ends the current command. */
#define FOR_EACH_CMD(df, i, in, k, c, mask)                                                                            \
	DF_FOREACH(df, i, in)                                                                                          \
	if (df_is_shell_run(in) && (in->sh.pmask & (mask)))                                                            \
		for (size_t k = 0; k < in->sh.n; k++)                                                                  \
			for (const struct shp_sh_cmd *c = &in->sh.cmds[k]; c && (c->pbit & (mask)); c = NULL)

#define SHELLS (SHP_P(SH) | SHP_P(BASH) | SHP_P(ASH) | SHP_P(DASH) | SHP_P(ZSH) | SHP_P(KSH))

/* True for a RUN whose body we can read as POSIX shell. */
static inline int df_is_shell_run(const struct shp_df_instr *in) { return in->kind == SHP_DF_RUN && in->posix_shell; }

/* Expands variables in s as seen at instruction idx. Caller frees. */
char *df_expand_at(const struct shp_dockerfile *df, size_t idx, const char *s);

/* Index of the final stage, -1 if none. */
int df_final_stage(const struct shp_dockerfile *df);
/* The stage named alias that instruction idx can refer to (an earlier one, or its own), -1 if none. */
static inline int df_stage_named(const struct shp_dockerfile *df, const char *alias, size_t idx)
{
	return shp_df_stage_by_alias(df, alias, df->ins[idx].stage + 1);
}
/* Calls fn for stage s and then each ancestor (FROM <alias>), stopping when fn returns 1. */
int df_stage_chain(const struct shp_dockerfile *df, int s, int (*fn)(const struct shp_dockerfile *, int, void *),
		   void *arg);

/* Program is one of the NULL-terminated names. */
int cmd_prog_in(const struct shp_sh_cmd *c, const char *const *names);
/* Index of the subcommand (first word after the program that is not an option or the
 * value of one of the value-taking options in vflags); argc if none. */
size_t cmd_subcmd(const struct shp_sh_cmd *c, size_t from, const char *const *vflags);
/* True if the program is one of progs and its subcommand is one of subs. */
int cmd_is(const struct shp_sh_cmd *c, const char *const *progs, const char *const *subs, const char *const *vflags,
	   size_t *sub_idx);
/* Collects the operands after index `from` (skipping options and values of vflags)
 * into out (pointers into c); returns the count. Stops at "--". */
size_t cmd_operands(const struct shp_sh_cmd *c, size_t from, const char *const *vflags, const char **out, size_t max);
int str_in(const char *s, const char *const *list);

/* A RUN --mount of type cache or tmpfs whose target is path (or under it if prefix). */
int run_has_cache_mount(const struct shp_df_instr *in, const char *path, int prefix);

/* Registry host of an image reference ("docker.io" for Docker Hub names). Caller frees. */
char *image_registry(const char *ref);
/* The repository path of an image reference, after its registry host if it names one. */
const char *image_path(const char *ref);
/* Splits an image reference: *tag and *digest point into ref or are NULL. */
void image_parts(const char *ref, const char **tag, size_t *taglen, const char **digest);

/* True if s has a shell/Dockerfile variable reference. */
int has_var(const char *s);
/* Basename with both '/' and '\\' separators. */
const char *path_base(const char *p);
int ends_with(const char *s, const char *suffix);
int starts_with(const char *s, const char *prefix);
