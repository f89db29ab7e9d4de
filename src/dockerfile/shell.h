/* shell.h - splits a POSIX shell script (a RUN body) into simple commands, so rules see
 * commands and their flags rather than substrings. It understands quoting, && || ; | &,
 * subshells and groups, $(...) and backquotes (their commands are reported too),
 * if/while/for/case, assignments, redirections and here-documents. It never fails:
 * malformed input yields the best split it can. */
#pragma once
#include "util/arena.h"

#include <stddef.h>

#include <stdint.h>

/* Programs the rules ask about, each one bit, so a rule skips at once every command and
 * every RUN that does not run its program (rules x commands is the linter's hot loop). */
/* clang-format off */
#define SHP_PROGRAMS(X)                                                                               \
	X(APT_GET, "apt-get") X(APT, "apt") X(APTITUDE, "aptitude") X(APK, "apk") X(YUM, "yum")          \
	X(DNF, "dnf") X(DNF5, "dnf5") X(MICRODNF, "microdnf") X(ZYPPER, "zypper") X(PIPX, "pipx")        \
	X(NPM, "npm") X(GEM, "gem") X(GO, "go") X(YARN, "yarn") X(CURL, "curl") X(WGET, "wget")          \
	X(SUDO, "sudo") X(CD, "cd") X(CHMOD, "chmod") X(LN, "ln") X(TAR, "tar") X(USERADD, "useradd")    \
	X(RM, "rm") X(EXPORT, "export") X(SET, "set") X(SSH, "ssh") X(VIM, "vim") X(SHUTDOWN, "shutdown") \
	X(SERVICE, "service") X(PS, "ps") X(FREE, "free") X(TOP, "top") X(KILL, "kill") X(MOUNT, "mount") \
	X(IFCONFIG, "ifconfig") X(SH, "sh") X(BASH, "bash") X(ASH, "ash") X(DASH, "dash") X(ZSH, "zsh")  \
	X(KSH, "ksh") X(PERL, "perl") X(RUBY, "ruby") X(NODE, "node") X(PHP, "php")                     \
	X(DOAS, "doas") X(ENV, "env") X(NICE, "nice") X(NOHUP, "nohup") X(EXEC, "exec") X(TIME, "time")      \
	X(STDBUF, "stdbuf") X(TIMEOUT, "timeout") X(GOSU, "gosu") X(SU_EXEC, "su-exec") X(CHROOT, "chroot")   \
	X(XARGS, "xargs") X(PIP, "pip*") X(PYTHON, "python*")
/* clang-format on */

enum shp_prog {
#define SHP_PROG_ENUM(id, name) SHP_PROG_##id,
	SHP_PROGRAMS(SHP_PROG_ENUM)
#undef SHP_PROG_ENUM
		SHP_PROG_COUNT
};
#define SHP_P(id) ((uint64_t)1 << SHP_PROG_##id)

struct shp_sh_cmd {
	char **argv; /* words after quote removal; argv[0] is the program */
	size_t argc;
	const char *prog; /* base name of argv[0] ("/usr/bin/apt-get" -> "apt-get") */
	uint64_t pbit;	  /* SHP_P(...) of prog, 0 for programs no rule names */
	char **assigns;	  /* NAME=value words before the program */
	size_t nassigns;
	unsigned pipe_in : 1;  /* stdin comes from the previous command's pipe */
	unsigned pipe_out : 1; /* stdout goes to the next command's pipe */
	unsigned nested : 1;   /* found inside $(...) or `...` */
	int line;	       /* 1-based line of the program word within the script */
	int col;	       /* 1-based column: set by callers that know it (the Dockerfile parser
				* sets line and col to the place in the Dockerfile), else 0 */
	size_t off;	       /* offset of the program word in the text given to shp_sh_parse() */
	size_t *woff;	       /* offset of each word (its first byte, quotes included) in that text */
	size_t *wfile;	       /* set by the Dockerfile parser: each word's byte offset in the file
				* (SIZE_MAX if unknown); NULL where the script is not the file's text */
};

struct shp_sh_script {
	struct shp_arena arena; /* every word and argv array below lives here */
	struct shp_sh_cmd *cmds;
	size_t n, cap;
	int has_pipe;
	uint64_t pmask; /* union of the commands' pbit */
};

/* Parses text (len bytes) and appends its commands to *s. */
void shp_sh_parse(struct shp_sh_script *s, const char *text, size_t len);
void shp_sh_free(struct shp_sh_script *s);

/* Command helpers used by the rules. */
/* The SHP_P() bit of a program name, 0 if the rules name no such program. */
uint64_t shp_sh_prog_bit(const char *prog);
/* Base name of argv[0] ("/usr/bin/apt-get" -> "apt-get"), "" if none. */
const char *shp_sh_prog(const struct shp_sh_cmd *c);
/* True if the command has the flag: "-y" matches "-y" and bundles such as "-qy";
 * "--yes" matches "--yes" and "--yes=..." */
int shp_sh_has_flag(const struct shp_sh_cmd *c, const char *flag);
/* Index of the first non-flag word after position `from`, or argc. */
size_t shp_sh_next_arg(const struct shp_sh_cmd *c, size_t from);
