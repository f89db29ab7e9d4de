/* shell.h - splits a POSIX shell script (a RUN body) into simple commands, so rules see
 * commands and their flags rather than substrings. It understands quoting, && || ; | &,
 * subshells and groups, $(...) and backquotes (their commands are reported too),
 * if/while/for/case, assignments, redirections and here-documents. It never fails:
 * malformed input yields the best split it can. */
#pragma once
#include <stddef.h>

struct shp_sh_cmd {
	char **argv; /* words after quote removal; argv[0] is the program */
	size_t argc;
	const char *prog; /* base name of argv[0] ("/usr/bin/apt-get" -> "apt-get") */
	char **assigns; /* NAME=value words before the program */
	size_t nassigns;
	unsigned pipe_in : 1;  /* stdin comes from the previous command's pipe */
	unsigned pipe_out : 1; /* stdout goes to the next command's pipe */
	unsigned nested : 1;   /* found inside $(...) or `...` */
	int line;              /* 1-based line within the script */
};

struct shp_sh_script {
	struct shp_sh_cmd *cmds;
	size_t n, cap;
	int has_pipe;
};

/* Parses text (len bytes) and appends its commands to *s. */
void shp_sh_parse(struct shp_sh_script *s, const char *text, size_t len);
void shp_sh_free(struct shp_sh_script *s);

/* Command helpers used by the rules. */
/* Base name of argv[0] ("/usr/bin/apt-get" -> "apt-get"), "" if none. */
const char *shp_sh_prog(const struct shp_sh_cmd *c);
/* True if the command has the flag: "-y" matches "-y" and bundles such as "-qy";
 * "--yes" matches "--yes" and "--yes=..." */
int shp_sh_has_flag(const struct shp_sh_cmd *c, const char *flag);
/* True if any word equals w. */
int shp_sh_has_word(const struct shp_sh_cmd *c, const char *w);
/* Index of the first non-flag word after position `from`, or argc. */
size_t shp_sh_next_arg(const struct shp_sh_cmd *c, size_t from);
