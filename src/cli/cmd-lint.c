/* cmd-lint.c - `shipshape lint`: Dockerfiles given as files, directories (searched for
 * Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*) or - for stdin. */
#include "cli/cli.h"
#include "rules/lint.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* One input file and what linting it produced. */
struct lint_job {
	char *path;
	struct shp_buf out;	       /* the findings, rendered in the chosen format on the worker */
	struct shp_report_summary sum; /* and counted there */
	char *error;		       /* message if it could not be read or parsed */
	int is_dir, done;
};

struct lint_run {
	struct shp_cli_opts *o;
	const struct shp_reporter *rep;
	struct shp_report_opts ro;
	struct lint_job *jobs;
	size_t n, cap;
	size_t next; /* next job to take (atomic) */
};

/* Sanity limit: worker threads for many files. */
#define MAX_LINT_THREADS 8

/* Dockerfile, Containerfile, Dockerfile.prod, api.Dockerfile, x__Dockerfile.alpine:
 * the word as a name component (start or after . _ -, then end or '.'), but not the
 * docs and scripts that sit next to it. */
int shp_cli_is_dockerfile_name(const char *b)
{
	static const char *const words[] = {"Dockerfile", "Containerfile", "dockerfile", "containerfile"};
	static const char *const not_ext[] = {".md",   ".txt",	".sh",	     ".yml", ".yaml",
					      ".json", ".orig", ".bak",	     ".swp", ".rej",
					      ".j2",   ".tmpl", ".template", ".in",  ".dockerignore"};
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

static int add_job(const char *path, void *arg)
{
	struct lint_run *r = arg;
	struct lint_job j = {.path = shp_xstrdup(path)};
	SHP_PUSH(r->jobs, r->n, r->cap, j);
	return 0;
}

/* Everything about one input happens here, on a worker: read (a directory is only noted,
 * main expands it), parse, lint, sort, render, count, free. */
static void run_job(struct lint_run *r, struct lint_job *j)
{
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_free_ char *text = NULL;
	struct shp_findings f = {0};
	size_t len = 0;
	const char *name = strcmp(j->path, "-") ? j->path : "<stdin>";
	j->done = 1;
	int rc = shp_read_file_or_dir(j->path, SHP_MAX_TEXT_FILE, &text, &len, &err);
	if (rc == 1) {
		j->is_dir = 1;
		return;
	}
	if (rc < 0 || shp_lint_buffer(name, text, len, &r->o->cfg, &f, &err) < 0)
		j->error = shp_xstrdup(err->msg); /* the policy stage ran in shp_lint_buffer() */
	shp_findings_sort(&f);
	if (f.n)
		r->rep->items(&j->out, f.v, f.n, &r->ro);
	shp_report_count(&j->sum, f.v, f.n, r->ro.fail_on);
	shp_findings_free(&f);
}

static void *worker(void *arg)
{
	struct lint_run *r = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED);
		if (i >= r->n)
			return NULL;
		if (!r->jobs[i].done)
			run_job(r, &r->jobs[i]);
	}
}

/* Lints every job, on as many threads as there are cores (files are independent). */
static void run_all(struct lint_run *r)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = cores > 1 ? (size_t)cores : 1;
	if (nt > MAX_LINT_THREADS)
		nt = MAX_LINT_THREADS;
	if (nt > r->n / 8 + 1)
		nt = r->n / 8 + 1; /* a thread is not worth it for a handful of files */
	pthread_t tids[MAX_LINT_THREADS];
	r->next = 0;
	size_t started = 0;
	for (size_t t = 1; t < nt; t++)
		if (pthread_create(&tids[started], NULL, worker, r) == 0)
			started++;
	worker(r);
	for (size_t t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
}

static void usage(FILE *f)
{
	fputs("usage: shipshape lint [options] [Dockerfile|DIR|-]...\n\n"
	      "Lints Dockerfiles: root user, secrets, base image pinning and trust, package-manager\n"
	      "hygiene, curl | sh, sudo, chmod 777, ADD vs COPY, and every hadolint DL rule.\n"
	      "Without arguments: ./Dockerfile. Directories are searched recursively.\n\noptions:\n"
	      "      --trusted-registry REG  a registry base images may come from (repeatable; with it,\n"
	      "                       others are reported: SHP1004, DL3026)\n"
	      "      --disable-ignore-pragma  ignore the # shipshape/hadolint ignore= comments\n"
	      "      --error ID, --warning ID, --info ID, --style ID\n"
	      "                       hadolint's severity overrides (medium, low, info, info here;\n"
	      "                       over the configuration's)\n"
	      "      --no-fail        exit 0 whatever is found (--fail-on none)\n"
	      "hadolint's environment variables are read as these flags (HADOLINT_IGNORE, _FORMAT,\n"
	      "_FAILURE_THRESHOLD, _NOFAIL, _OVERRIDE_ERROR..., _TRUSTED_REGISTRIES, ...); the command\n"
	      "line wins over them, they win over the configuration files.\n" SHP_COMMON_HELP,
	      f);
}

/* hadolint's own flags, applied over the configuration files (loaded after the options). */
struct lint_flags {
	const char **trusted;
	size_t ntrusted, ctrusted;
	struct shp_override *over; /* rule names point into argv */
	size_t nover, cover;
	int no_pragmas, no_fail;
};

enum { OPT_TRUSTED = 2001, OPT_NO_PRAGMAS, OPT_NO_FAIL, OPT_LEVEL };

/* hadolint's environment variables (its GitHub Action hands its inputs over so, and CI files
 * set them), each the flag of the same meaning. They go before the command line's flags, which
 * win where a flag takes one value, and over the configuration files, as hadolint orders them.
 * Appends the flags (the caller frees them) to *v. */
static void hadolint_env(char ***v, size_t *n, size_t *cap)
{
	enum { BOOL, VALUE, LIST };
	static const struct {
		const char *env, *flag;
		int kind;
	} map[] = {
		{"HADOLINT_NOFAIL", "no-fail", BOOL},
		{"HADOLINT_NOCOLOR", "no-color", BOOL},
		{"HADOLINT_DISABLE_IGNORE_PRAGMA", "disable-ignore-pragma", BOOL},
		{"HADOLINT_FORMAT", "format", VALUE},
		{"HADOLINT_OUTPUT_FILE", "output", VALUE},
		{"HADOLINT_FAILURE_THRESHOLD", "failure-threshold", VALUE},
		{"HADOLINT_OVERRIDE_ERROR", "error", LIST},
		{"HADOLINT_OVERRIDE_WARNING", "warning", LIST},
		{"HADOLINT_OVERRIDE_INFO", "info", LIST},
		{"HADOLINT_OVERRIDE_STYLE", "style", LIST},
		{"HADOLINT_IGNORE", "ignore", LIST},
		{"HADOLINT_TRUSTED_REGISTRIES", "trusted-registry", LIST},
	};
	static const char *const yes[] = {"1", "y", "yes", "on", "true"}; /* hadolint's truths */
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const char *e = getenv(map[i].env);
		if (!e || !*e)
			continue;
		if (map[i].kind == BOOL) {
			for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++)
				if (!strcasecmp(e, yes[k]))
					SHP_PUSH(*v, *n, *cap, shp_asprintf("--%s", map[i].flag));
			continue;
		}
		if (map[i].kind == VALUE) {
			SHP_PUSH(*v, *n, *cap, shp_asprintf("--%s=%s", map[i].flag, e));
			continue;
		}
		_cleanup_free_ char *list = shp_xstrdup(e);
		char *save = NULL;
		for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
			SHP_PUSH(*v, *n, *cap, shp_asprintf("--%s=%s", map[i].flag, t));
	}
}

static int lint_opt(void *ctx, int c, const char *arg)
{
	struct lint_flags *lf = ctx;
	switch (c) {
	case OPT_TRUSTED: SHP_PUSH(lf->trusted, lf->ntrusted, lf->ctrusted, arg); return 1;
	case OPT_NO_PRAGMAS: lf->no_pragmas = 1; return 1;
	case OPT_NO_FAIL: lf->no_fail = 1; return 1;
	}
	if (c < OPT_LEVEL || c > OPT_LEVEL + SHP_SEV_CRITICAL)
		return 0;
	if (!shp_rule_find(arg)) {
		if (shp_rule_foreign(arg))
			return 1; /* hadolint's --error SC2086: a check we do not run */
		shp_cli_error("lint: %s: no such rule (see shipshape rules)", arg);
		return -1;
	}
	struct shp_override o = {(char *)arg, (enum shp_severity)(c - OPT_LEVEL)};
	SHP_PUSH(lf->over, lf->nover, lf->cover, o);
	return 1;
}

static int lint_main(int argc, char **argv)
{
	/* hadolint's levels as its flags name them: error, warning, info, style */
	static const struct option longopts[] = {{"trusted-registry", required_argument, 0, OPT_TRUSTED},
						 {"disable-ignore-pragma", no_argument, 0, OPT_NO_PRAGMAS},
						 {"no-fail", no_argument, 0, OPT_NO_FAIL},
						 {"error", required_argument, 0, OPT_LEVEL + SHP_SEV_MEDIUM},
						 {"warning", required_argument, 0, OPT_LEVEL + SHP_SEV_LOW},
						 {"info", required_argument, 0, OPT_LEVEL + SHP_SEV_INFO},
						 {"style", required_argument, 0, OPT_LEVEL + SHP_SEV_INFO},
						 {0, 0, 0, 0}};
	struct lint_flags lf = {0};
	const struct shp_cli_spec spec = {
		.name = "lint", .longopts = longopts, .opt = lint_opt, .ctx = &lf, .usage = usage};
	struct shp_cli_opts o;
	int rc, first = shp_cli_parse(argc, argv, &spec, &o);
	/* the flags go over the configuration files, which shp_cli_parse() loaded: last wins */
	for (size_t i = 0; first > 0 && i < lf.ntrusted; i++)
		SHP_PUSH(o.cfg.trusted, o.cfg.ntrusted, o.cfg.ctrusted, shp_xstrdup(lf.trusted[i]));
	for (size_t i = 0; first > 0 && i < lf.nover; i++) {
		struct shp_override ov = {shp_xstrdup(lf.over[i].rule), lf.over[i].severity};
		SHP_PUSH(o.cfg.overrides, o.cfg.noverrides, o.cfg.coverrides, ov);
	}
	free(lf.trusted);
	free(lf.over);
	if (first <= 0)
		return -first;
	if (lf.no_pragmas)
		o.cfg.disable_pragmas = 1;
	if (lf.no_fail)
		o.fail_on = SHP_SEV_NONE;
	optind = first;
	struct lint_run run = {.o = &o};
	char *deflt[] = {"Dockerfile"};
	char **args = argv + optind;
	int nargs = argc - optind;
	if (nargs == 0) {
		args = deflt;
		nargs = 1;
	}
	run.rep = shp_reporter_for(o.format);
	run.ro = (struct shp_report_opts){.color = o.color, .fail_on = o.fail_on, .command = "lint"};
	/* Round 1: every argument is linted as a file; the workers note the directories. */
	for (int i = 0; i < nargs; i++)
		add_job(args[i], &run);
	run_all(&run);
	/* Round 2: directories expand, in place, into the Dockerfiles found below them. */
	int dirs = 0;
	for (size_t i = 0; i < run.n; i++)
		dirs |= run.jobs[i].is_dir;
	if (dirs) {
		struct lint_run exp = run;
		exp.jobs = NULL;
		exp.n = exp.cap = 0;
		for (size_t i = 0; i < run.n; i++) {
			struct lint_job *j = &run.jobs[i];
			if (!j->is_dir) {
				SHP_PUSH(exp.jobs, exp.n, exp.cap, *j);
				continue;
			}
			_cleanup_error_ struct shp_error *err = NULL;
			size_t before = exp.n;
			if (shp_walk_dir(j->path, shp_cli_is_dockerfile_name, add_job, &exp, &err) < 0)
				shp_cli_input_error(&o, j->path, err->msg);
			else if (exp.n == before)
				shp_note("%s: no Dockerfile found", j->path);
			free(j->path);
		}
		free(run.jobs);
		run = exp;
		run_all(&run);
	}
	/* Errors and findings in input order: each file's findings are already rendered and are
	 * written as they are, between the document's head and tail (parts: head, then a
	 * separator and the findings per file, then tail). */
	struct shp_report_summary sum = {0};
	struct shp_buf *parts = shp_xcalloc(2 * run.n + 2, sizeof *parts);
	size_t np = 1;
	size_t unread = 0;
	for (size_t i = 0; i < run.n; i++)
		if (run.jobs[i].error) {
			shp_cli_input_error(&o, run.jobs[i].path, run.jobs[i].error);
			unread++;
		}
	run.ro.files = run.n - unread;
	run.ro.errors = o.errors;
	run.ro.nerrors = o.nerrors;
	run.rep->begin(&parts[0], &run.ro);
	for (size_t i = 0; i < run.n; i++) {
		struct lint_job *j = &run.jobs[i];
		if (j->out.len) {
			if (np > 1)
				shp_buf_puts(&parts[np++], run.rep->sep);
			parts[np++] = j->out;
		}
		sum.total += j->sum.total;
		sum.failing += j->sum.failing;
		for (int s = 0; s <= SHP_SEV_NONE; s++)
			sum.by_severity[s] += j->sum.by_severity[s];
		free(j->error);
		shp_cli_input(&o, j->path, SHP_IN_FILE);
		free(j->path);
	}
	free(run.jobs);
	run.rep->end(&parts[np++], &sum, &run.ro);
	rc = shp_cli_write_parts(&o, parts, np, sum.failing);
	free(parts);
	if (o.nerrors)
		rc = SHP_EXIT_INPUT;
	shp_cli_opts_free(&o);
	return rc;
}

int shp_cmd_lint(int argc, char **argv)
{
	char **env = NULL, **av = NULL;
	size_t nenv = 0, cenv = 0;
	hadolint_env(&env, &nenv, &cenv);
	if (nenv) { /* argv[0], hadolint's variables as flags, then the command line */
		av = shp_xcalloc((size_t)argc + nenv + 1, sizeof *av);
		av[0] = argv[0];
		memcpy(av + 1, env, nenv * sizeof *av);
		memcpy(av + 1 + nenv, argv + 1, (size_t)(argc - 1) * sizeof *av);
		argv = av;
		argc += (int)nenv;
	}
	int rc = lint_main(argc, argv);
	for (size_t i = 0; i < nenv; i++)
		free(env[i]);
	free(env);
	free(av);
	return rc;
}
