/* common.c - option handling and report output shared by the commands. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/reference.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "secrets/config.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/size.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* One line: what it quotes (file names, image and Dockerfile text) is escaped, so that a
 * name cannot clear the screen or print a line of its own. */
__attribute__((format(printf, 3, 0))) static void say(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = shp_vasprintf(fmt, ap);
	_cleanup_buf_ struct shp_buf line = {0};
	shp_buf_puts(&line, prefix);
	shp_buf_term_str(&line, msg);
	shp_buf_putc(&line, '\n');
	fputs(line.data, f);
}

void shp_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(stderr, "shipshape: ", fmt, ap);
	va_end(ap);
}

void shp_cli_input_error(struct shp_cli_opts *o, const char *input, const char *msg)
{
	shp_cli_error("%s", msg);
	struct shp_report_error e = {shp_xstrdup(input), shp_xstrdup(msg)};
	SHP_PUSH(o->errors, o->nerrors, o->cerrors, e);
}

/* The optimal string alignment distance of a and b (edits, a swap of neighbours being one),
 * SIZE_MAX for words longer than names are. */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAXW = 48 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAXW || lb >= MAXW)
		return SIZE_MAX;
	size_t d[MAXW][MAXW];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *shp_cli_nearest(const char *word, const char *const *names, size_t n)
{
	size_t best = SIZE_MAX, len = strlen(word);
	const char *pick = NULL;
	int tie = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < best) {
			best = d;
			pick = names[i];
			tie = 0;
		} else if (d == best && pick && strcmp(pick, names[i]))
			tie = 1;
	}
	/* one edit in a short word, two in a longer one, three in a long one; never a guess
	 * between two as near */
	size_t limit = len < 4 ? 1 : len < 9 ? 2 : 3;
	return pick && !tie && best > 0 && best <= limit ? pick : NULL;
}

void shp_cli_bad_option(const char *cmd, const char *word, int short_opt, const struct option *opts, const char *shorts)
{
	if (!strcmp(word, "--list-options") && opts) { /* for the test that holds --help to them */
		for (size_t i = 0; opts[i].name; i++)
			printf("--%s\n", opts[i].name);
		exit(0);
	}
	if (short_opt && strncmp(word, "--", 2)) {
		const char *p = shorts ? strchr(shorts, short_opt) : NULL;
		if (p && short_opt != ':' && p[1] == ':')
			shp_cli_error("%s: option \"-%c\" needs a value", cmd, short_opt);
		else
			shp_cli_error("%s: unknown option \"-%c\"", cmd, short_opt);
		return;
	}
	if (strncmp(word, "--", 2) || !opts) {
		shp_cli_error("%s: unknown or incomplete option \"%s\"", cmd, word);
		return;
	}
	_cleanup_free_ char *name = shp_xstrndup(word + 2, strcspn(word + 2, "="));
	size_t n = 0;
	while (opts[n].name)
		n++;
	_cleanup_free_ const char **names = shp_xcalloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++) {
		names[i] = opts[i].name;
		if (!strcmp(name, opts[i].name) && opts[i].has_arg == required_argument) {
			shp_cli_error("%s: option \"--%s\" needs a value", cmd, name);
			return;
		}
		if (!strcmp(name, opts[i].name) && opts[i].has_arg == no_argument && word[2 + strlen(name)] == '=') {
			shp_cli_error("%s: option \"--%s\" takes no value", cmd, name);
			return;
		}
	}
	const char *near = shp_cli_nearest(name, names, n);
	if (near)
		shp_cli_error("%s: unknown option \"%s\"; did you mean \"--%s\"?", cmd, word, near);
	else
		shp_cli_error("%s: unknown or incomplete option \"%s\"", cmd, word);
}

void shp_cli_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(f, "", fmt, ap);
	va_end(ap);
}

/* CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, DSA-5555-1, ALPINE-..., TEMP-0000000-ABCDEF: capitals,
 * a dash, then something with a digit. */
static int is_vuln_id(const char *s)
{
	const char *p = s;
	while (*p >= 'A' && *p <= 'Z')
		p++;
	if (p == s || *p != '-' || !p[1])
		return 0;
	return strpbrk(p, "0123456789") != NULL && !strpbrk(p, " \t/");
}

int shp_cli_common_opt(struct shp_cli_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'f': {
		int f = shp_format_parse(arg);
		if (f < 0) {
			shp_cli_error("unknown format \"%s\" (%s)", arg, shp_format_names);
			return -1;
		}
		o->format = (enum shp_format)f;
		o->format_set = 1;
		return 1;
	}
	case 'o': o->output = shp_output_is_stdout(arg) ? NULL : arg; return 1;
	case 1001: {
		enum shp_severity s = shp_severity_parse(arg);
		if (s == SHP_SEV_NONE && strcmp(arg, "none")) {
			shp_cli_error("unknown severity \"%s\" (info, low, medium, high, critical, none)", arg);
			return -1;
		}
		o->fail_on = s;
		o->fail_on_set = 1;
		return 1;
	}
	case 1002:
		if (!shp_rule_find(arg) && !shp_rule_foreign(arg) && !is_vuln_id(arg)) {
			shp_cli_error("--ignore %s: no such rule (see shipshape rules) or vulnerability id", arg);
			return -1;
		}
		SHP_PUSH(o->cfg.ignored, o->cfg.nignored, o->cfg.cignored, shp_xstrdup(arg));
		return 1;
	case 'c': o->config_path = arg; return 1;
	case 1009: o->ignorefile = arg; return 1;
	case 1010: o->secret_config = arg; return 1;
	case 1005: {
		/* a list, as Trivy takes it: HIGH,CRITICAL; UNKNOWN names the vulnerabilities no
		 * feed rates (reported as medium, severity_known false) */
		_cleanup_free_ char *list = shp_xstrdup(arg);
		char *save = NULL;
		for (char *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
			enum shp_severity s = shp_severity_parse(w);
			if (s == SHP_SEV_NONE && strcasecmp(w, "unknown")) {
				shp_cli_error("--severity: unknown severity \"%s\" (info, low, medium, high, critical)",
					      w);
				return -1;
			}
			o->cfg.shown |= s != SHP_SEV_NONE ? 1u << s : SHP_SHOW_UNRATED;
		}
		if (!o->cfg.shown) {
			shp_cli_error("--severity \"%s\": no severity named", arg);
			return -1;
		}
		return 1;
	}
	case 1006:
	case 1007: {
		/* Trivy's flags: repeatable, and comma-separated lists */
		_cleanup_free_ char *list = shp_xstrdup(arg);
		char *save = NULL;
		for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			_cleanup_error_ struct shp_error *err = NULL;
			if (shp_config_add_skip(&o->cfg, w, c == 1007, &err) < 0) {
				shp_cli_error("--%s: %s", c == 1007 ? "skip-dirs" : "skip-files", err->msg);
				return -1;
			}
		}
		return 1;
	}
	case 1008:
		/* Trivy's: the exit code when anything is reported (with --severity, what it shows);
		 * shipshape's codes are fixed, so 1 fails and 0 never does */
		if (strcmp(arg, "0") && strcmp(arg, "1")) {
			shp_cli_error("--exit-code %s: 0 (never fail) or 1 (fail on anything reported); "
				      "2 and 3 mean usage and input errors",
				      arg);
			return -1;
		}
		o->fail_on = *arg == '1' ? SHP_SEV_INFO : SHP_SEV_NONE;
		o->exit_code_set = 1;
		return 1;
	case 'q': shp_set_quiet(1); return 1;
	case 1003: o->color = 0; return 1;
	case 1004: o->color = 1; return 1;
	}
	return 0;
}

/* The custom secret rules: --secret-config's file, the configuration's secret-config, or the
 * peers' file in the working directory; compiled into the scanner now, before any scan. */
static int secret_config(struct shp_cli_opts *o, struct shp_error **err)
{
	const char *path = o->secret_config ? o->secret_config : o->cfg.secret_config;
	struct shp_secret_config sc;
	int rc =
		path ? (shp_secret_config_load(&sc, path, err) < 0 ? -1 : 1) : shp_secret_config_load_default(&sc, err);
	if (rc <= 0)
		return rc;
	rc = shp_secrets_configure(&sc, err);
	shp_secret_config_free(&sc);
	return rc < 0 ? -1 : 0;
}

int shp_cli_finish_opts(struct shp_cli_opts *o)
{
	_cleanup_error_ struct shp_error *err = NULL;
	/* the user's file, then the project's (or -c's), which adds to it and overrides it */
	int rc = shp_config_load_user(&o->cfg, &err);
	if (rc == 0)
		rc = o->config_path ? shp_config_load(&o->cfg, o->config_path, &err)
				    : shp_config_load_default(&o->cfg, o->ignorefile != NULL, &err);
	if (rc == 0 && o->ignorefile)
		rc = shp_config_load_ignorefile(&o->cfg, o->ignorefile, &err);
	if (rc == 0)
		rc = secret_config(o, &err);
	if (rc < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	/* the command line over the configuration files */
	if (!o->fail_on_set && !o->exit_code_set && (o->cfg.fail_on != SHP_SEV_NONE || o->cfg.no_fail))
		o->fail_on = o->cfg.no_fail ? SHP_SEV_NONE : o->cfg.fail_on;
	if (!o->format_set && o->cfg.format) {
		int f = shp_format_parse(o->cfg.format);
		if (f < 0) {
			shp_cli_error("%s: format: unknown format \"%s\" (%s)", o->cfg.format_at, o->cfg.format,
				      shp_format_names);
			return -1;
		}
		o->format = (enum shp_format)f;
	}
	if (o->cfg.quiet)
		shp_set_quiet(1);
	if (o->color < 0 && o->cfg.no_color)
		o->color = 0;
	if (o->color < 0)
		o->color = !o->output && isatty(1) && !getenv("NO_COLOR");
	return 0;
}

/* The stream o's output goes to (stdout, or -o's file made now), or NULL after saying why. */
static FILE *open_output(struct shp_cli_opts *o)
{
	if (shp_cli_check_output(o) < 0)
		return NULL;
	if (!o->output)
		return stdout;
	FILE *out = fopen(o->output, "we");
	if (!out) {
		shp_cli_error("%s: %s", o->output, strerror(errno));
		return NULL;
	}
	static char out_block[SHP_OUT_BLOCK];
	setvbuf(out, out_block, _IOFBF, sizeof out_block);
	return out;
}

/* Ends what open_output began: the exit code of a document written whole to out (or of none
 * when out is NULL), failing findings at or above --fail-on. */
static int close_output(struct shp_cli_opts *o, FILE *out, size_t failing)
{
	shp_inputs_free(&o->inputs);
	if (!out)
		return SHP_EXIT_INPUT;
	int werr = ferror(out);
	werr |= out != stdout ? fclose(out) != 0 : fflush(out) != 0;
	if (werr) {
		shp_cli_error("%s: write failed", o->output ? o->output : "<stdout>");
		return SHP_EXIT_INPUT;
	}
	return failing ? SHP_EXIT_FINDINGS : SHP_EXIT_OK;
}

int shp_cli_write_parts(struct shp_cli_opts *o, struct shp_buf *parts, size_t n, size_t failing)
{
	FILE *out = open_output(o);
	for (size_t i = 0; i < n; i++) {
		if (out && parts[i].len)
			(void)!fwrite(parts[i].data, 1, parts[i].len, out); /* ferror() tells */
		shp_buf_free(&parts[i]);
	}
	return close_output(o, out, failing);
}

void shp_cli_input(struct shp_cli_opts *o, const char *path, enum shp_in_kind kind)
{
	if (o->output) /* else, the common case, there is nothing to compare */
		shp_inputs_add(&o->inputs, path, kind);
}

void shp_cli_image_input(struct shp_cli_opts *o, const char *arg)
{
	if (!o->output)
		return;
	_cleanup_free_ char *path = shp_image_ref_path(arg);
	if (path)
		shp_inputs_add(&o->inputs, path, SHP_IN_TREE);
}

int shp_cli_image_exit(const struct shp_error *err)
{
	return err && err->code == SHP_EXIT_USAGE ? SHP_EXIT_USAGE : SHP_EXIT_INPUT;
}

int shp_cli_check_output(struct shp_cli_opts *o)
{
	_cleanup_error_ struct shp_error *err = NULL;
	if (!o->output || shp_output_check(o->output, SHP_OUT_STREAM, &o->inputs, &err) == 0)
		return 0;
	shp_cli_error("%s", err->msg);
	return -1;
}

void shp_cli_opts_free(struct shp_cli_opts *o)
{
	for (size_t i = 0; i < o->nerrors; i++) {
		free(o->errors[i].input);
		free(o->errors[i].message);
	}
	free(o->errors);
	o->errors = NULL;
	o->nerrors = o->cerrors = 0;
	shp_inputs_free(&o->inputs);
	shp_config_free(&o->cfg);
}

int shp_cli_report(struct shp_cli_opts *o, struct shp_findings *f, struct shp_report_opts ro)
{
	shp_policy_apply(&o->cfg, f);
	ro.color = o->color;
	ro.fail_on = o->fail_on;
	ro.errors = o->errors;
	ro.nerrors = o->nerrors;
	if (o->nerrors && !ro.files && (o->format == SHP_FMT_TEXT || o->format == SHP_FMT_GNU)) {
		/* nothing was read: a report for people would only repeat what stderr said */
		shp_inputs_free(&o->inputs);
		return SHP_EXIT_INPUT;
	}
	/* written as it is made: a vuln report of 16,000 findings is 17 MB, whose pages would
	 * each be faulted in to be written once */
	struct shp_buf doc = {.sink = open_output(o)};
	if (!doc.sink)
		return close_output(o, NULL, 0);
	size_t failing = shp_report(&doc, o->format, f, &ro);
	(void)shp_buf_drain(&doc);
	FILE *out = doc.sink;
	shp_buf_free(&doc);
	int rc = close_output(o, out, failing);
	return o->nerrors ? SHP_EXIT_INPUT : rc;
}

int shp_cli_write(struct shp_cli_opts *o, struct shp_buf *doc, size_t failing)
{
	return shp_cli_write_parts(o, doc, 1, failing);
}

size_t shp_cli_unscanned_json(struct shp_buf *b, const struct shp_image *img)
{
	size_t n = 0;
	shp_buf_putc(b, '[');
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[i].scan];
		for (size_t k = 0; k < s->nunscanned; k++) {
			const struct shp_unscanned_reason *why = &shp_unscanned_reasons[s->unscanned[k].why];
			_cleanup_free_ char *path = shp_asprintf("/%s", s->entries[s->unscanned[k].entry].path);
			shp_buf_puts(b, n++ ? ",{\"path\":" : "{\"path\":");
			shp_buf_json_str(b, path);
			shp_buf_printf(b, ",\"layer\":%zu,\"reason\":\"%s\",\"limit\":", i + 1, why->id);
			why->limit ? shp_buf_json_str(b, why->limit) : shp_buf_puts(b, "null");
			shp_buf_putc(b, '}');
		}
	}
	shp_buf_putc(b, ']');
	return n;
}

void shp_cli_unscanned_note(const struct shp_image *img, const char *what)
{
	size_t n = 0;
	const char *first = NULL, *why = NULL;
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[i].scan];
		if (s->nunscanned && !first) {
			first = s->entries[s->unscanned[0].entry].path;
			why = shp_unscanned_reasons[s->unscanned[0].why].id;
		}
		n += s->nunscanned;
	}
	if (n)
		shp_note("%s: %zu file%s not fully read, a limit stopped it (/%s: %s%s): %s", img->input, n,
			 n == 1 ? "" : "s", first, why, n > 1 ? ", ..." : "", what);
}

int shp_cli_jobs(const char *arg, int *jobs)
{
	char *end;
	long j = strtol(arg, &end, 10);
	if (*end || j < 1 || j > 256) {
		shp_cli_error("--jobs \"%s\": expected 1 to 256", arg);
		return -1;
	}
	*jobs = (int)j;
	return 0;
}

int shp_cli_registry_opt(struct shp_image_opts *io, int c, const char *arg)
{
	if (c != SHP_IMAGE_OPT_USERNAME && c != SHP_IMAGE_OPT_PASSWORD && c != SHP_IMAGE_OPT_REGISTRY_TOKEN &&
	    c != SHP_IMAGE_OPT_INSECURE)
		return 0;
	return shp_cli_image_opt(io, c, arg);
}

int shp_cli_image_opt(struct shp_image_opts *io, int c, const char *arg)
{
	if (c == SHP_IMAGE_OPT_CACHE_MAX) {
		if (shp_parse_size(arg, SHP_SIZE_BINARY, &io->cache_max) == 0)
			return 1;
		shp_cli_error("--cache-max \"%s\": expected a size such as 500M or 4G", arg);
		return -1;
	}
	if (c == SHP_IMAGE_OPT_MAX_IMAGE_BYTES) {
		if (shp_parse_size(arg, SHP_SIZE_BINARY, &io->max_image_bytes) == 0 && io->max_image_bytes)
			return 1;
		shp_cli_error("--max-image-bytes \"%s\": expected a size such as 16G", arg);
		return -1;
	}
	if (c == 'j') /* -j, --jobs: every image command's */
		return shp_cli_jobs(arg, &io->jobs) < 0 ? -1 : 1;
	if (c == SHP_IMAGE_OPT_NAME)
		io->name = arg;
	else if (c == SHP_IMAGE_OPT_PLATFORM)
		io->platform = arg;
	else if (c == SHP_IMAGE_OPT_CACHE_DIR)
		io->cache_dir = arg;
	else if (c == SHP_IMAGE_OPT_NO_CACHE)
		io->no_cache = 1;
	else if (c == SHP_IMAGE_OPT_USERNAME)
		io->username = arg;
	else if (c == SHP_IMAGE_OPT_PASSWORD)
		io->password = arg;
	else if (c == SHP_IMAGE_OPT_REGISTRY_TOKEN)
		io->registry_token = arg;
	else if (c == SHP_IMAGE_OPT_INSECURE)
		io->insecure = 1;
	else if (c == SHP_IMAGE_OPT_ENGINE_SOCKET)
		io->engine_socket = arg;
	else
		return 0;
	return 1;
}

int shp_cli_image_opt_or_usage(struct shp_image_opts *io, const char *cmd, int c, const char *arg, const char *word,
			       const struct option *opts, const char *shorts)
{
	int r = c == '?' ? 0 : shp_cli_image_opt(io, c, arg);
	if (r == 0)
		shp_cli_bad_option(cmd, word, optopt, opts, shorts);
	return r > 0 ? 0 : -1;
}

void shp_cli_opts_init(struct shp_cli_opts *o)
{
	*o = (struct shp_cli_opts){.fail_on = SHP_SEV_HIGH, .color = -1};
	o->cfg.fail_on = SHP_SEV_NONE;
}

int shp_cli_parse(int argc, char **argv, const struct shp_cli_spec *spec, struct shp_cli_opts *o)
{
	static const struct option common[] = {SHP_COMMON_LONGOPTS}, image[] = {SHP_IMAGE_LONGOPTS};
	size_t nc = sizeof common / sizeof common[0], ni = spec->io ? sizeof image / sizeof image[0] : 0, nown = 0;
	while (spec->longopts && spec->longopts[nown].name)
		nown++;
	_cleanup_free_ struct option *all = shp_xcalloc(nc + ni + nown + 1, sizeof *all);
	memcpy(all, common, sizeof common);
	memcpy(all + nc, image, ni * sizeof *all);
	if (nown)
		memcpy(all + nc + ni, spec->longopts, nown * sizeof *all);
	_cleanup_free_ char *shorts = shp_asprintf("%s" SHP_COMMON_SHORTOPTS, spec->shortopts ? spec->shortopts : "");
	shp_cli_opts_init(o);
	int c, rc = 0;
	optind = 0; /* 0, not 1: getopt starts afresh (options may follow the operands, as in GNU tools) */
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, shorts, all, NULL)) != -1) {
		if (c == 'h') {
			spec->usage(stdout);
			rc = -SHP_EXIT_OK - 1000; /* help: exit 0, told apart from "go on" */
			break;
		}
		int r = c == '?' ? 0 : spec->opt ? spec->opt(spec->ctx, c, optarg) : 0;
		if (r == 0 && c != '?' && spec->io)
			r = shp_cli_image_opt(spec->io, c, optarg);
		if (r == 0 && c != '?')
			r = shp_cli_common_opt(o, c, optarg);
		if (r == 0)
			shp_cli_bad_option(spec->name, argv[optind - 1], c == '?' ? optopt : 0, all, shorts);
		if (r <= 0)
			rc = -SHP_EXIT_USAGE;
	}
	if (!rc && o->fail_on_set && o->exit_code_set) {
		shp_cli_error("%s: --fail-on and --exit-code both say when to fail: give one", spec->name);
		rc = -SHP_EXIT_USAGE;
	}
	if (!rc && argc - optind < spec->min_args) {
		spec->usage(stderr);
		rc = -SHP_EXIT_USAGE;
	}
	if (!rc && shp_cli_finish_opts(o) < 0)
		rc = -SHP_EXIT_INPUT;
	if (rc) {
		shp_config_free(&o->cfg);
		return rc == -SHP_EXIT_OK - 1000 ? -SHP_EXIT_OK : rc;
	}
	if (spec->io) {
		spec->io->quiet = shp_quiet();
		shp_cli_image_config(spec->io, o);
	}
	return optind;
}

void shp_cli_image_config(struct shp_image_opts *io, const struct shp_cli_opts *o)
{
	io->mirrors = o->cfg.mirrors;
	io->nmirrors = o->cfg.nmirrors;
}
