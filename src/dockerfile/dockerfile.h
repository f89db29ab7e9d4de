/* dockerfile.h - the parsed form of a Dockerfile: instructions with their flags, exec or
 * shell form, key/value pairs, heredocs, ONBUILD triggers, the stages with resolved base
 * images, and the ignore pragmas. Produced by shp_df_parse(); read-only for the rules. */
#pragma once
#include "dockerfile/shell.h"
#include "util/arena.h"
#include "util/error.h"

#include <stddef.h>

enum shp_df_kind {
	SHP_DF_UNKNOWN,
	SHP_DF_FROM,
	SHP_DF_RUN,
	SHP_DF_CMD,
	SHP_DF_ENTRYPOINT,
	SHP_DF_COPY,
	SHP_DF_ADD,
	SHP_DF_ENV,
	SHP_DF_ARG,
	SHP_DF_LABEL,
	SHP_DF_EXPOSE,
	SHP_DF_USER,
	SHP_DF_WORKDIR,
	SHP_DF_VOLUME,
	SHP_DF_SHELL,
	SHP_DF_HEALTHCHECK,
	SHP_DF_ONBUILD,
	SHP_DF_STOPSIGNAL,
	SHP_DF_MAINTAINER,
};

struct shp_df_flag {
	char *name;  /* without the leading "--" */
	char *value; /* NULL for a bare flag such as --link */
};

struct shp_df_kv {
	char *key;
	char *value; /* NULL for "ARG name" without a default */
};

struct shp_df_heredoc {
	char *word;
	char *body;
	int strip_tabs, quoted;
	int line, col; /* of the "<<" marker */
	int body_line; /* the body's first physical line */
};

struct shp_df_instr {
	enum shp_df_kind kind;
	char keyword[16]; /* upper case */
	int line, col;	  /* of the keyword, 1-based */
	int end_line;	  /* last physical line, heredoc bodies included */
	char *args;	  /* text after keyword and flags, continuations joined, trimmed */
	struct shp_df_flag *flags;
	size_t nflags;
	int json;	  /* exec form: args was a JSON array of strings */
	int json_invalid; /* args looked like JSON ("[...") but was not valid */
	char **argv;	  /* exec form elements, or the words of args (quotes removed) */
	size_t argc;
	struct shp_df_kv *kvs; /* ENV, ARG, LABEL pairs */
	size_t nkvs;
	struct shp_df_heredoc *heredocs;
	size_t nheredocs;
	struct shp_df_instr *sub; /* ONBUILD's trigger instruction */
	struct shp_sh_script sh;  /* RUN: the commands (shell form, heredoc scripts, exec form) */
	int posix_shell;	  /* RUN: the shell in effect is POSIX (not cmd/powershell) */
	int stage;		  /* index in shp_dockerfile.stages, -1 before the first FROM */
	size_t shell;		  /* the SHELL instruction in effect in its stage, SHP_DF_NONE if none */
	char **ignores;		  /* rule ids from "# ... ignore=" pragmas just above */
	size_t nignores;
};

struct shp_df_stage {
	char *image;	/* as written */
	char *resolved; /* after ARG substitution; NULL if a variable stayed unresolved */
	char *alias;	/* "AS name", or NULL */
	char *platform; /* --platform value, or NULL */
	size_t from;	/* index of the FROM instruction */
	int parent;	/* stage this one builds on (FROM <alias>), or -1 for an external image */
	char **ignores; /* "# hadolint stage ignore=" ids */
	size_t nignores;
	size_t end;	      /* one past the stage's last instruction */
	size_t first_workdir; /* first WORKDIR (or ONBUILD WORKDIR) of the stage, SHP_DF_NONE if none */
	size_t last_shell;    /* last SHELL of the stage, SHP_DF_NONE if none */
};

/* An ENV or ARG definition, for lookups by name (see shp_df_var). */
struct shp_df_def {
	int stage; /* -1: an ARG before the first FROM */
	const char *name;
	size_t idx;	   /* instruction index */
	const char *value; /* NULL for "ARG NAME" without a default */
};

/* A stage alias, lower-cased, for lookups by name. */
struct shp_df_alias {
	char *lower;
	int stage;
};

#define SHP_DF_NONE ((size_t)-1)

struct shp_dockerfile {
	struct shp_arena arena; /* the instructions' strings */
	char *path;
	char escape; /* '\\' or '`' */
	char *syntax;
	int syntax_line; /* of the # syntax= directive */
	struct shp_df_instr *ins;
	size_t n;
	struct shp_df_stage *stages;
	size_t nstages;
	char **global_ignores;
	size_t nglobal_ignores;
	int templated;		 /* {{ }} template blocks were skipped */
	struct shp_df_def *defs; /* sorted by stage, name, idx */
	size_t ndefs;
	struct shp_df_alias *aliases; /* sorted by name, stage */
	size_t naliases;
	int shell_pragma_nonposix; /* "# hadolint shell=powershell" */
};

/* Sanity limits for hostile input. */
#define SHP_DF_MAX_INSTRUCTIONS 100000
#define SHP_DF_MAX_HEREDOCS 64	  /* per instruction */
#define SHP_DF_MAX_STAGE_CHAIN 64 /* FROM <alias> hops followed when looking for a USER, ENV... */
#define SHP_DF_MAX_PRAGMA_IDS 256 /* rule ids in one ignore pragma */

/* Parses a Dockerfile held in text (len bytes, NUL-terminated). On success *out owns the
 * result (free with shp_df_free). On invalid input returns -1 with an error of the form
 * "path:line:col: what". */
int shp_df_parse(const char *path, const char *text, size_t len, struct shp_dockerfile **out, struct shp_error **err);
void shp_df_free(struct shp_dockerfile *df);

const char *shp_df_flag(const struct shp_df_instr *in, const char *name);

/* Value of ENV/ARG `name` visible just before instruction idx (SHP_DF_NONE: at the end of
 * the file): its stage, then the stages it is built FROM, then the ARGs before the first
 * FROM for instructions there. NULL if unset. O(log n) per stage hop. */
const char *shp_df_var(const struct shp_dockerfile *df, size_t idx, const char *name);
/* The latest stage before stage `below` named alias (case-insensitive), or -1. */
int shp_df_stage_by_alias(const struct shp_dockerfile *df, const char *alias, int below);
int shp_df_has_flag(const struct shp_df_instr *in, const char *name);

/* Expands $A ${A} ${A:-x} ${A-x} ${A:+x} ${A+x} using lookup(name, arg) (NULL = unset).
 * *unresolved is set when a referenced variable had no value. Caller frees. */
char *shp_df_expand(const char *s, const char *(*lookup)(const char *name, void *arg), void *arg, int *unresolved);

/* Value of the mount option key in a --mount=... value (e.g. "target"), or NULL. Caller frees. */
char *shp_df_mount_opt(const char *mount, const char *key);

/* Returns the instruction the rules should judge: ONBUILD's trigger, or in itself. */
static inline const struct shp_df_instr *shp_df_eff(const struct shp_df_instr *in)
{
	return in->kind == SHP_DF_ONBUILD && in->sub ? in->sub : in;
}
