/* cmd-fix.c - `shipshape fix`: Dockerfiles rewritten in place to follow the rules that have
 * a mechanical fix (src/fix/fix.c), or the changes shown as a diff; then what is left is
 * reported as `lint` reports it. */
#include "cli/cli.h"
#include "fix/fix.h"
#include "rules/lint.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_UNSAFE = 2111, OPT_NO_PRAGMAS };

struct fix_flags {
	struct shp_rewrite rw;
	int unsafe, no_pragmas;
};

static int fix_opt(void *ctx, int c, const char *arg)
{
	(void)arg;
	struct fix_flags *ff = ctx;
	switch (c) {
	case OPT_UNSAFE: ff->unsafe = 1; return 1;
	case OPT_NO_PRAGMAS: ff->no_pragmas = 1; return 1;
	}
	return shp_cli_rewrite_opt(&ff->rw, c);
}

static void usage(FILE *f)
{
	fputs("usage: shipshape fix [options] [Dockerfile|DIR|-]...\n\n"
	      "Rewrites Dockerfiles, in place, to follow the rules that have a mechanical fix: -y and\n"
	      "cache flags for package managers, caches removed at the end of the RUN, apt -> apt-get,\n"
	      "ADD -> COPY for local files, MAINTAINER -> LABEL, a / on a COPY destination, wget's\n"
	      "progress, useradd -l. Comments, spacing and line layout stay as written; ignore\n"
	      "pragmas and the configuration apply. Then reports what is left, as lint does.\n"
	      "Without arguments: ./Dockerfile; - reads stdin and writes the result to stdout.\n\n"
	      "options:\n"
	      "      --diff           show the changes as a unified diff and change nothing;\n"
	      "                       exit 1 when there is something to fix\n"
	      "      --stdout         write the fixed Dockerfile to stdout and change nothing\n"
	      "      --unsafe         also the fixes that change what the build does:\n"
	      "                       --no-install-recommends (DL3015), exec-form CMD/ENTRYPOINT (DL3025)\n"
	      "      --disable-ignore-pragma  ignore the # shipshape/hadolint ignore= comments\n" SHP_COMMON_HELP,
	      f);
}

/* What was fixed, on stderr (a note: the fixes themselves are the output). */
static void say_fixed(const char *name, const struct shp_fix_result *res, int changed_nothing)
{
	if (shp_quiet())
		return;
	if (res->applied) {
		struct shp_buf b = {0};
		for (size_t i = 0; i < res->nrules; i++) {
			const struct shp_rule *r = res->by_rule[i].rule;
			shp_buf_printf(&b, "%s%s%s%s", i ? ", " : "", r->id, r->aliases[0] ? "/" : "",
				       r->aliases[0] ? r->aliases[0] : "");
			if (res->by_rule[i].n > 1)
				shp_buf_printf(&b, " x%zu", res->by_rule[i].n);
		}
		shp_cli_line(stderr, "%s: %s %zu fix%s (%s)", name, changed_nothing ? "would make" : "made",
			     res->applied, res->applied == 1 ? "" : "es", b.data);
		shp_buf_free(&b);
	}
	if (res->unsafe)
		shp_cli_line(stderr, "%s: %zu more with --unsafe", name, res->unsafe);
	for (size_t i = 0; i < res->ndeclined; i++) {
		const struct shp_rule *r = res->declined[i].rule;
		shp_cli_line(stderr, "%s:%d: %s%s%s not fixed: the text there is not plain enough to edit safely", name,
			     res->declined[i].line, r->id, r->aliases[0] ? "/" : "",
			     r->aliases[0] ? r->aliases[0] : "");
	}
}

struct fix_run {
	struct shp_cli_opts *o;
	struct fix_flags *ff;
	char **paths;
	size_t n, cap;
};

static int add_path(const char *path, void *arg)
{
	struct fix_run *r = arg;
	SHP_PUSH(r->paths, r->n, r->cap, shp_xstrdup(path));
	return 0;
}

/* Fixes one file; its remaining findings go to f, its diff to diff. 1 if it changed (or
 * would), 0 if not, -1 on an error (printed). */
static int fix_one(struct fix_run *r, const char *path, struct shp_findings *f, struct shp_buf *diff)
{
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_free_ char *text = NULL, *fixed = NULL;
	size_t len = 0, flen = 0;
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	int dry = shp_cli_rewrite_dry(&r->ff->rw, path);
	struct shp_fix_result res;
	/* a file to be replaced is checked before it is read: fix /dev/stdin must not wait */
	if ((!dry && shp_output_check(path, SHP_OUT_REPLACE, NULL, &err) < 0) ||
	    shp_read_file(path, SHP_MAX_TEXT_FILE, &text, &len, &err) < 0 ||
	    shp_fix_text(name, text, len, &r->o->cfg, r->ff->unsafe, &fixed, &flen, &res, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	int changed = flen != len || memcmp(fixed, text, len);
	if (shp_cli_rewrite_out(&r->ff->rw, path, name, text, len, fixed, flen, diff, &err) < 0) {
		shp_fix_result_free(&res);
		shp_cli_error("%s", err->msg);
		return -1;
	}
	/* said once written: a failed write made no fixes */
	say_fixed(name, &res, dry && !is_stdin && !r->ff->rw.to_stdout);
	shp_fix_result_free(&res);
	if (shp_lint_buffer(name, fixed, flen, &r->o->cfg, f, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	return changed;
}

int shp_cmd_fix(int argc, char **argv)
{
	static const struct option longopts[] = {SHP_REWRITE_LONGOPTS,
						 {"unsafe", no_argument, 0, OPT_UNSAFE},
						 {"disable-ignore-pragma", no_argument, 0, OPT_NO_PRAGMAS},
						 {0, 0, 0, 0}};
	struct fix_flags ff = {0};
	const struct shp_cli_spec spec = {
		.name = "fix", .longopts = longopts, .opt = fix_opt, .ctx = &ff, .usage = usage};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	if (ff.no_pragmas)
		o.cfg.disable_pragmas = 1;
	int stdin_in = 0;
	for (int i = first; i < argc; i++)
		stdin_in |= !strcmp(argv[i], "-");
	if (shp_cli_rewrite_check(&ff.rw, "fix", (size_t)(argc - first), stdin_in) < 0) {
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	struct fix_run run = {.o = &o, .ff = &ff};
	int bad = 0;
	if (first >= argc)
		add_path("Dockerfile", &run);
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			_cleanup_error_ struct shp_error *err = NULL;
			size_t before = run.n;
			if (shp_walk_dir(argv[i], shp_cli_is_dockerfile_name, add_path, &run, &err) < 0) {
				shp_cli_error("%s", err->msg);
				bad = 1;
			} else if (run.n == before)
				shp_note("%s: no Dockerfile found", argv[i]);
		} else
			add_path(argv[i], &run);
	}
	/* the report may not replace a Dockerfile: refused before anything is fixed */
	for (size_t i = 0; i < run.n; i++)
		shp_cli_input(&o, run.paths[i], SHP_IN_FILE);
	int early = ff.rw.to_stdout && run.n > 1 ? SHP_EXIT_USAGE : shp_cli_check_output(&o) < 0 ? SHP_EXIT_INPUT : 0;
	if (early) {
		if (early == SHP_EXIT_USAGE)
			shp_cli_error("fix: --stdout takes one Dockerfile; %zu were found", run.n);
		while (run.n)
			free(run.paths[--run.n]);
		free(run.paths);
		shp_cli_opts_free(&o);
		return early;
	}
	struct shp_findings f = {0};
	struct shp_buf diff = {0};
	size_t changed = 0;
	for (size_t i = 0; i < run.n; i++) {
		int rc = fix_one(&run, run.paths[i], &f, &diff);
		if (rc < 0)
			bad = 1;
		else
			changed += (size_t)rc;
		free(run.paths[i]);
	}
	free(run.paths);
	int to_stdout = ff.rw.to_stdout || (run.n == 1 && first < argc && !strcmp(argv[first], "-"));
	struct shp_report_opts ro = {.command = "fix", .files = run.n};
	return shp_cli_rewrite_finish(&ff.rw, to_stdout, &o, &f, &diff, changed, ro, bad);
}
