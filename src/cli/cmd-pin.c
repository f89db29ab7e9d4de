/* cmd-pin.c - `shipshape pin FILE|DIR...`: the image references of Dockerfiles, compose
 * files and Kubernetes manifests pinned to the digests their tags name in the registry
 * (src/pin/), written in place as `fix` writes (or shown as a diff, or on stdout); then what
 * is left unpinned is reported. With --check nothing is written: references without a digest
 * and digests their tag no longer names are reported, for CI. */
#include "cli/cli.h"
#include "image/image.h"
#include "pin/pin.h"
#include "registry/registry.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { OPT_CHECK = 2121 };

struct pin_flags {
	struct shp_rewrite rw;
	int check;
	struct shp_image_opts io; /* only the registry's: credentials, --insecure */
};

static int pin_opt(void *ctx, int c, const char *arg)
{
	struct pin_flags *pf = ctx;
	if (c == OPT_CHECK) {
		pf->check = 1;
		return 1;
	}
	int r = shp_cli_registry_opt(&pf->io, c, arg);
	return r ? r : shp_cli_rewrite_opt(&pf->rw, c);
}

static void usage(FILE *f)
{
	fputs("usage: shipshape pin [options] FILE|DIR|-...\n\n"
	      "Pins image references to the digest their tag names in the registry, in place:\n"
	      "FROM, COPY --from=IMAGE and RUN --mount=from=IMAGE in Dockerfiles, image: in compose\n"
	      "files and in the containers of Kubernetes manifests (several documents per file).\n"
	      "debian:12 becomes debian:12@sha256:... (the tag kept for readers; a multi-platform\n"
	      "image's index digest); only that text is inserted, every other byte stays. Stage\n"
	      "names and scratch are not images; a reference with a digest is left as it is. FROM\n"
	      "$BASE takes the default of the global ARG BASE, and its digest goes there; an ARG\n"
	      "without a default is reported, not guessed. Then what is left unpinned is reported.\n"
	      "A directory is searched for Dockerfiles (the names lint looks for) and *.yaml/*.yml\n"
	      "compose files and manifests. - reads stdin and writes the result to stdout.\n\n"
	      "exit codes: 0 all pinned; 1 references left unpinned (with --diff: something to pin;\n"
	      "with --check: a finding); 3 a file that cannot be read, or a reference the registry\n"
	      "did not resolve (said on stderr with its place; the others are still pinned).\n\n"
	      "options:\n"
	      "      --check          rewrite nothing: report references without a digest (SHP6001),\n"
	      "                       digests their tag no longer names (SHP6002) and references\n"
	      "                       that cannot be resolved from the file (SHP6003)\n"
	      "      --diff           show the changes as a unified diff and change nothing\n"
	      "      --stdout         write the pinned file to stdout and change nothing\n"
	      "      --username U, --password P  registry credentials (else docker's config.json,\n"
	      "                       containers' auth.json and their credential helpers)\n"
	      "      --registry-token T  a bearer token for the registry\n"
	      "      --insecure       plain HTTP, and TLS unverified, with any registry (localhost and\n"
	      "                       127.0.0.0/8 may use plain HTTP without it)\n" SHP_COMMON_HELP
	      "pin's --fail-on is info unless given: any finding left fails (exit 1).\n",
	      f);
}

static int registry_resolve(void *ctx, const char *ref, char **digest, struct shp_error **err)
{
	struct shp_docker_ref r;
	if (shp_docker_ref_parse(ref, &r, err) < 0)
		return -1;
	char *media_type = NULL;
	int rc = shp_registry_resolve(&r, ctx, digest, &media_type, err);
	free(media_type);
	shp_docker_ref_free(&r);
	return rc;
}

/* What a directory may hold for pin: Dockerfiles, and YAML (compose files and manifests are
 * told by content). */
static int is_pin_name(const char *b)
{
	const char *dot = strrchr(b, '.');
	return shp_cli_is_dockerfile_name(b) || (dot && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml")));
}

struct pin_file {
	char *path;
	int found; /* found in a directory: one of another kind is passed over */
};

struct pin_cli {
	struct shp_cli_opts *o;
	struct pin_flags *pf;
	struct shp_pin_run run;
	struct pin_file *files;
	size_t n, cap;
	size_t done; /* files of a kind pin reads */
};

static int add_found(const char *path, void *arg)
{
	struct pin_cli *c = arg;
	struct pin_file f = {shp_xstrdup(path), 1};
	SHP_PUSH(c->files, c->n, c->cap, f);
	return 0;
}

static void print_notes(struct shp_pin_run *run)
{
	for (char *s = run->notes.data, *e; s && *s; s = e + 1) {
		e = strchr(s, '\n');
		*e = 0;
		shp_cli_error("%s", s);
	}
	shp_buf_reset(&run->notes);
}

/* Pins (or checks) one file; findings to f, its diff to diff. 1 if it changed (or would), 0
 * if not, -1 on an error (printed). */
static int pin_one(struct pin_cli *c, const struct pin_file *pfile, struct shp_findings *f, struct shp_buf *diff)
{
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_free_ char *text = NULL, *pinned_text = NULL;
	size_t len = 0, plen = 0, pinned = 0;
	const char *path = pfile->path;
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	const char *base = strrchr(path, '/');
	int dry = c->pf->check || shp_cli_rewrite_dry(&c->pf->rw, path);
	/* a file to be replaced is checked before it is read: pin /dev/stdin must not wait */
	if ((!dry && shp_output_check(path, SHP_OUT_REPLACE, NULL, &err) < 0) ||
	    shp_read_file_at(AT_FDCWD, path, pfile->found ? SHP_OPEN_FOUND : 0, NULL, SHP_MAX_TEXT_FILE, &text, &len,
			     &err) < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	int named = !is_stdin && shp_cli_is_dockerfile_name(base ? base + 1 : path);
	if (pfile->found && !named && memmem(text, len, "{{", 2)) {
		/* a template (Helm's): its references are known once it is rendered */
		shp_note("%s: a template ({{ ... }}): render it and pin that (skipped)", path);
		return 0;
	}
	int rc = shp_pin_file(&c->run, name, text, len, named, &pinned_text, &plen, &pinned, f, &err);
	print_notes(&c->run);
	if (rc < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	if (rc > 0) {
		if (pfile->found)
			return 0;
		shp_cli_error("%s: not a Dockerfile, a compose file (services:) or a Kubernetes manifest (apiVersion, "
			      "kind)",
			      name);
		return -1;
	}
	c->done++;
	if (c->pf->check)
		return 0;
	if (shp_cli_rewrite_out(&c->pf->rw, path, name, text, len, pinned_text, plen, diff, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	if (pinned && !shp_quiet()) /* a note: the pinned file is the output */
		shp_cli_line(stderr, "%s: %s %zu reference%s", name,
			     dry && !is_stdin && !c->pf->rw.to_stdout ? "would pin" : "pinned", pinned,
			     pinned == 1 ? "" : "s");
	return pinned > 0;
}

static void free_files(struct pin_cli *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->files[i].path);
	free(c->files);
	c->files = NULL;
	c->n = 0;
}

int shp_cmd_pin(int argc, char **argv)
{
	static const struct option longopts[] = {
		SHP_REWRITE_LONGOPTS, {"check", no_argument, 0, OPT_CHECK}, SHP_REGISTRY_LONGOPTS, {0, 0, 0, 0}};
	struct pin_flags pf = {0};
	const struct shp_cli_spec spec = {
		.name = "pin", .longopts = longopts, .opt = pin_opt, .ctx = &pf, .usage = usage, .min_args = 1};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	if (!o.fail_on_set && !o.exit_code_set && o.cfg.fail_on == SHP_SEV_NONE && !o.cfg.no_fail)
		o.fail_on = SHP_SEV_INFO; /* pin is asked whether anything is left unpinned */
	int stdin_in = 0;
	for (int i = first; i < argc; i++)
		stdin_in |= !strcmp(argv[i], "-");
	if ((pf.check && (pf.rw.diff || pf.rw.to_stdout)) ||
	    shp_cli_rewrite_check(&pf.rw, "pin", (size_t)(argc - first), stdin_in) < 0) {
		if (pf.check && (pf.rw.diff || pf.rw.to_stdout))
			shp_cli_error("pin: --check rewrites nothing: not with --diff or --stdout");
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	struct shp_registry_opts ro = {.username = pf.io.username,
				       .password = pf.io.password,
				       .registry_token = pf.io.registry_token,
				       .insecure = pf.io.insecure};
	const struct shp_pin_resolver rs = {registry_resolve, &ro};
	struct pin_cli c = {.o = &o, .pf = &pf, .run = {.rs = &rs, .check = pf.check}};
	int bad = 0;
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			_cleanup_error_ struct shp_error *err = NULL;
			size_t before = c.n;
			if (shp_walk_dir(argv[i], is_pin_name, add_found, &c, &err) < 0) {
				shp_cli_error("%s", err->msg);
				bad = 1;
			} else if (c.n == before)
				shp_note("%s: no Dockerfile or YAML file found", argv[i]);
		} else {
			struct pin_file f = {shp_xstrdup(argv[i]), 0};
			SHP_PUSH(c.files, c.n, c.cap, f);
		}
	}
	/* the report may not replace a file pinned: refused before anything is written */
	for (size_t i = 0; i < c.n; i++)
		shp_cli_input(&o, c.files[i].path, SHP_IN_FILE);
	int early = !pf.check && pf.rw.to_stdout && c.n > 1 ? SHP_EXIT_USAGE
		    : shp_cli_check_output(&o) < 0	    ? SHP_EXIT_INPUT
							    : 0;
	if (early) {
		if (early == SHP_EXIT_USAGE)
			shp_cli_error("pin: --stdout takes one file; %zu were found", c.n);
		free_files(&c);
		shp_cli_opts_free(&o);
		return early;
	}
	struct shp_findings f = {0};
	struct shp_buf diff = {0};
	size_t changed = 0;
	for (size_t i = 0; i < c.n; i++) {
		int rc = pin_one(&c, &c.files[i], &f, &diff);
		if (rc < 0)
			bad = 1;
		else
			changed += (size_t)rc;
	}
	int to_stdout = !pf.check && (pf.rw.to_stdout || (c.n == 1 && !strcmp(c.files[0].path, "-")));
	free_files(&c);
	bad |= c.run.errors > 0;
	shp_pin_run_free(&c.run);
	struct shp_report_opts rep = {.command = "pin", .files = c.done};
	return shp_cli_rewrite_finish(&pf.rw, to_stdout, &o, &f, &diff, changed, rep, bad);
}
