/* cmd-lint.c - `shipshape lint`: Dockerfiles given as files, directories (searched for
 * Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*) or - for stdin. */
#include "cli/cli.h"
#include "rules/lint.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct lint_run {
	struct shp_cli_opts *o;
	struct shp_findings f;
	size_t files;
	int bad; /* an input could not be read or parsed */
};

/* Dockerfile, Containerfile, Dockerfile.prod, api.Dockerfile, x__Dockerfile.alpine:
 * the word as a name component (start or after . _ -, then end or '.'), but not the
 * docs and scripts that sit next to it. */
static int is_dockerfile_name(const char *b)
{
	static const char *const words[] = {"Dockerfile", "Containerfile", "dockerfile", "containerfile"};
	static const char *const not_ext[] = {".md", ".txt", ".sh", ".yml", ".yaml", ".json", ".orig", ".bak",
					      ".swp", ".rej", ".j2", ".tmpl", ".template", ".in", ".dockerignore"};
	size_t n = strlen(b);
	for (size_t e = 0; e < sizeof not_ext / sizeof not_ext[0]; e++) {
		size_t l = strlen(not_ext[e]);
		if (n > l && !strcmp(b + n - l, not_ext[e]))
			return 0;
	}
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		size_t wl = strlen(words[w]);
		for (const char *p = strstr(b, words[w]); p; p = strstr(p + 1, words[w])) {
			int start_ok = p == b || strchr("._-", p[-1]);
			int end_ok = p[wl] == 0 || p[wl] == '.';
			if (start_ok && end_ok)
				return 1;
		}
	}
	return 0;
}

static int lint_one(const char *path, void *arg)
{
	struct lint_run *r = arg;
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	r->files++;
	if (shp_read_file(path, SHP_MAX_TEXT_FILE, &text, &len, &err) < 0 ||
	    shp_lint_buffer(name, text, len, &r->o->cfg, &r->f, &err) < 0) {
		shp_cli_error("%s", err->msg);
		r->bad = 1;
	}
	return 0; /* keep going: one bad file does not hide the others' findings */
}

static void usage(FILE *f)
{
	fputs("usage: shipshape lint [options] [Dockerfile|DIR|-]...\n\n"
	      "Lints Dockerfiles: root user, secrets, base image pinning and trust, package-manager\n"
	      "hygiene, curl | sh, sudo, chmod 777, ADD vs COPY, and every hadolint DL rule.\n"
	      "Without arguments: ./Dockerfile. Directories are searched recursively.\n\noptions:\n" SHP_COMMON_HELP,
	      f);
}

int shp_cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {SHP_COMMON_LONGOPTS, {0, 0, 0, 0}};
	struct shp_cli_opts o = {.fail_on = SHP_SEV_HIGH, .color = -1};
	o.cfg.fail_on = SHP_SEV_NONE;
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" SHP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			shp_config_free(&o.cfg);
			return SHP_EXIT_OK;
		}
		int r = c == '?' ? 0 : shp_cli_common_opt(&o, c, optarg);
		if (r <= 0) {
			if (r == 0)
				shp_cli_error("lint: unknown or incomplete option \"%s\"", argv[optind - 1]);
			shp_config_free(&o.cfg);
			return SHP_EXIT_USAGE;
		}
	}
	if (shp_cli_finish_opts(&o) < 0) {
		shp_config_free(&o.cfg);
		return SHP_EXIT_INPUT;
	}
	struct lint_run run = {.o = &o};
	char *deflt[] = {"Dockerfile"};
	char **args = argv + optind;
	int nargs = argc - optind;
	if (nargs == 0) {
		args = deflt;
		nargs = 1;
	}
	for (int i = 0; i < nargs; i++) {
		struct stat st;
		if (strcmp(args[i], "-") && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			_cleanup_error_ struct shp_error *err = NULL;
			size_t before = run.files;
			if (shp_walk_dir(args[i], is_dockerfile_name, lint_one, &run, &err) < 0) {
				shp_cli_error("%s", err->msg);
				run.bad = 1;
			} else if (run.files == before)
				shp_cli_error("%s: no Dockerfile found", args[i]);
		} else
			lint_one(args[i], &run);
	}
	rc = shp_cli_emit(&o, &run.f, run.files, "lint");
	if (run.bad)
		rc = SHP_EXIT_INPUT;
	shp_findings_free(&run.f);
	shp_config_free(&o.cfg);
	return rc;
}
