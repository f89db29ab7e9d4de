/* cli.h - the command table and the options every command shares. */
#pragma once
#include "config/config.h"
#include "report/report.h"
#include "util/output.h"
#include "vuln/vulndb.h"
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

struct shp_cli_opts {
	enum shp_format format;
	const char *output;	  /* -o FILE, NULL for stdout (-o -) */
	struct shp_inputs inputs; /* what the output may not be (shp_cli_input()) */
	enum shp_severity fail_on;
	int fail_on_set, exit_code_set; /* --fail-on, or Trivy's --exit-code 0|1, was given */
	int format_set;			/* --format was given (else the configuration's) */
	int color;			/* -1 auto */
	const char *config_path;
	const char *ignorefile;	   /* Trivy's --ignorefile (else .trivyignore, .trivyignore.yaml) */
	const char *secret_config; /* --secret-config (else secret-config:, trivy-secret.yaml, .gitleaks.toml) */
	struct shp_config cfg;
	struct shp_report_error *errors; /* inputs not read (shp_cli_input_error()) */
	size_t nerrors, cerrors;
};

struct shp_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int shp_cmd_lint(int argc, char **argv);
int shp_cmd_rules(int argc, char **argv);
int shp_cmd_image(int argc, char **argv);
int shp_cmd_vercmp(int argc, char **argv);
int shp_cmd_sbom(int argc, char **argv);
int shp_cmd_vuln(int argc, char **argv);
int shp_cmd_db(int argc, char **argv);
/* db push and db pull (argv[0] is the subcommand): cmd-db-share.c */
int shp_cmd_db_share(int argc, char **argv);
/* db update, db fetch and db sources (argv[0] is the subcommand): cmd-db-update.c */
int shp_cmd_db_update(int argc, char **argv);
int shp_cmd_audit(int argc, char **argv);
int shp_cmd_host(int argc, char **argv);
int shp_cmd_fix(int argc, char **argv);
int shp_cmd_pin(int argc, char **argv);
int shp_cmd_slim(int argc, char **argv);

/* Dockerfile, Containerfile, Dockerfile.prod, api.Dockerfile: the names lint and fix look for
 * in a directory. */
int shp_cli_is_dockerfile_name(const char *base);

/* The options of every command that matches vulnerabilities (vuln, image --vuln). */
struct shp_cli_vuln_opts {
	const char *db;	     /* the database, NULL: the default */
	const char *db_repo; /* --db-repository: pulled from first when it has newer data */
	int ignore_unfixed;  /* only vulnerabilities with a fixed version */
	long long max_age;   /* --max-db-age in seconds (0: never stale), when max_age_set */
	int max_age_set;
	int fail_on_stale; /* --fail-on-stale-db: stale data makes the exit 1 */
	int jobs;	   /* -j: threads matching at most (0: one per core) */
};
#define SHP_VULN_OPT_MAX_DB_AGE 1951
#define SHP_VULN_OPT_FAIL_ON_STALE 1952
#define SHP_VULN_LONGOPTS                                                                                              \
	{"max-db-age", required_argument, 0, SHP_VULN_OPT_MAX_DB_AGE},                                                 \
	{                                                                                                              \
		"fail-on-stale-db", no_argument, 0, SHP_VULN_OPT_FAIL_ON_STALE                                         \
	}
#define SHP_VULN_HELP                                                                                                  \
	"      --max-db-age D   vulnerability data older than D (7d, 36h; 0: never) is stale: said on\n"               \
	"                       stderr and in the report (default 7d; db: {max-age: D} in\n"                           \
	"                       .shipshape.yaml; $SHIPSHAPE_MAX_DB_AGE)\n"                                             \
	"      --fail-on-stale-db  exit 1 when the data is stale (by default it only warns)\n"
/* Handles an SHP_VULN_LONGOPTS option: 1 if it was one, -1 if its value is wrong (said on
 * stderr), else 0. */
int shp_cli_vuln_opt(struct shp_cli_vuln_opts *vo, int c, const char *arg);
/* Sets vo's max_age from what decides it when --max-db-age did not: $SHIPSHAPE_MAX_DB_AGE,
 * then db: {max-age} in cfg, else 7 days. -1 with the reason on stderr for a bad value. */
int shp_cli_vuln_max_age(struct shp_cli_vuln_opts *vo, const struct shp_config *cfg);

/* What matching found, kept until the report writes it (shp_cli_vuln_json). */
struct shp_cli_vuln_run {
	struct shp_vuln_matches m;
	const struct shp_config *cfg;
	const char *file;
	size_t packages;
	long long now, max_age;
	int ignore_unfixed;
};
/* Matches the packages of ip against the database vo names, adding findings for file to f,
 * and the line that says what the data covers to text; run keeps the matches for
 * shp_cli_vuln_json (shp_cli_vuln_run_free frees them, also after an error). Stale data (vo's
 * max_age) is warned about on stderr and sets *stale. -1 with err if the database cannot be
 * read. */
struct shp_image_pkgs;
int shp_cli_vuln_match(const struct shp_cli_vuln_opts *vo, const struct shp_image_pkgs *ip, const char *file,
		       const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *text, int *stale,
		       struct shp_cli_vuln_run *run, struct shp_error **err);
/* The "vulnerabilities" and "vulnerability_data" JSON members of run (a shp_report_opts
 * extra_fn: written as the report streams out, not held whole first). */
void shp_cli_vuln_json(struct shp_buf *json, const void *run);
void shp_cli_vuln_run_free(struct shp_cli_vuln_run *run);
/* The three at once, the members added to json. */
int shp_cli_vulns(const struct shp_cli_vuln_opts *vo, const struct shp_image_pkgs *ip, const char *file,
		  const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *json, struct shp_buf *text,
		  int *stale, struct shp_error **err);

/* Pulls the database at db_path (NULL: the default) from the registry reference repo when
 * it has data the local copy lacks (vuln --db-repository); -1 with err. */
struct shp_image_opts;
int shp_cli_db_refresh(const char *db_path, const char *repo, const struct shp_image_opts *io, struct shp_error **err);

/* Handles a common option (getopt_long value c with optarg). Returns 1 if it was one,
 * 0 if not, -1 on a bad value (message printed). */
int shp_cli_common_opt(struct shp_cli_opts *o, int c, const char *arg);
/* Loads the config (--config or the defaults) and applies --ignore; -1 on error (printed). */
int shp_cli_finish_opts(struct shp_cli_opts *o);
/* Reports go out in blocks of this size (stdio's default is 4 KiB when piped: the lint
 * corpus report took 449 write calls). */
#define SHP_OUT_BLOCK (1 << 16)

/* Notes path as an input of the command: the report may not replace it (nor, for an
 * SHP_IN_TREE directory, go inside it). Freed by shp_cli_write() or shp_cli_opts_free(). */
void shp_cli_input(struct shp_cli_opts *o, const char *path, enum shp_in_kind kind);
/* The same for an image argument: the file or directory a reference reads (oci:DIR:REF is
 * DIR), none for a transport that reads no local path. */
void shp_cli_image_input(struct shp_cli_opts *o, const char *arg);
struct shp_error;
/* The exit code of an image that could not be opened or read: SHP_EXIT_USAGE for a
 * reference the command line got wrong (an unknown transport), else
 * SHP_EXIT_INPUT. */
int shp_cli_image_exit(const struct shp_error *err);
/* Checks -o against the inputs noted so far, before the work: -1 with the reason on stderr. */
int shp_cli_check_output(struct shp_cli_opts *o);
/* Frees what the options hold (the configuration, the inputs). */
void shp_cli_opts_free(struct shp_cli_opts *o);
/* Writes a finished document to -o or stdout (and frees it); an output that is one of the
 * inputs or cannot be written safely is refused (SHP_EXIT_INPUT). Returns the exit code:
 * SHP_EXIT_FINDINGS when failing > 0, else SHP_EXIT_OK (or SHP_EXIT_INPUT on a write error). */
int shp_cli_write(struct shp_cli_opts *o, struct shp_buf *doc, size_t failing);
/* The same for a document in n parts, written in order without joining them (each is freed). */
int shp_cli_write_parts(struct shp_cli_opts *o, struct shp_buf *parts, size_t n, size_t failing);
/* A message on stderr, "shipshape: " and the message, on one line whatever it quotes: control
 * characters and bytes that are not UTF-8 are escaped (shp_buf_term_str). */
void shp_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An input the command could not read, or whose reading a limit stopped: msg (which names
 * the input) goes to stderr now, and into the report (shp_report_opts.errors), which
 * shp_cli_report then ends with SHP_EXIT_INPUT. The other inputs are still reported. */
void shp_cli_input_error(struct shp_cli_opts *o, const char *input, const char *msg);
/* The name in names[0..n) nearest to word by edits (a typo: "imgae" -> "image"), or NULL when
 * none is near enough or two are as near. */
const char *shp_cli_nearest(const char *word, const char *const *names, size_t n);
/* Says on stderr what is wrong with option word that getopt_long refused (short_opt: its optopt)
 * for cmd, whose options are opts ({0}-terminated, or NULL) and shorts: a value missing, or an
 * unknown option with the nearest long one ("did you mean \"--format\"?"). */
void shp_cli_bad_option(const char *cmd, const char *word, int short_opt, const struct option *opts,
			const char *shorts);
/* The same for any line a command prints (a summary, a list of paths), without the prefix;
 * the newline is added. */
void shp_cli_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The end of a reporting command: applies the policy stage to f (src/policy; lint's and fix's
 * lists had it per Dockerfile, and a second time changes nothing), renders f in o's format
 * (ro gives the command, the inputs and the extra parts; colour and threshold come from o),
 * writes it, and returns the exit code: SHP_EXIT_INPUT when an input was not read (when none
 * was, the text and gnu formats write nothing: stderr said it all). */
int shp_cli_report(struct shp_cli_opts *o, struct shp_findings *f, struct shp_report_opts ro);

#define SHP_COMMON_LONGOPTS                                                                                            \
	{"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},                                  \
		{"fail-on", required_argument, 0, 1001}, {"ignore", required_argument, 0, 1002},                       \
		{"config", required_argument, 0, 'c'}, {"no-color", no_argument, 0, 1003},                             \
		{"color", no_argument, 0, 1004}, {"severity", required_argument, 0, 1005},                             \
		{"failure-threshold", required_argument, 0, 1001}, {"skip-files", required_argument, 0, 1006},         \
		{"skip-dirs", required_argument, 0, 1007}, {"exit-code", required_argument, 0, 1008},                  \
		{"ignorefile", required_argument, 0, 1009}, {"secret-config", required_argument, 0, 1010},             \
		SHP_QUIET_LONGOPT,                                                                                     \
	{                                                                                                              \
		"help", no_argument, 0, 'h'                                                                            \
	}
#define SHP_COMMON_SHORTOPTS "f:o:c:hq"
/* -q, --quiet: every command's, also those that parse their own options (case 'q' calls
 * shp_set_quiet, util/note.h). */
#define SHP_QUIET_LONGOPT                                                                                              \
	{                                                                                                              \
		"quiet", no_argument, 0, 'q'                                                                           \
	}
#define SHP_QUIET_HELP "  -q, --quiet          no progress, notes or warnings on stderr (errors are still said)\n"

/* The options that pick an image out of an archive or index (image, sbom, vuln). */
#define SHP_IMAGE_OPT_NAME 1901
#define SHP_IMAGE_OPT_PLATFORM 1902
#define SHP_IMAGE_OPT_CACHE_DIR 1903
#define SHP_IMAGE_OPT_NO_CACHE 1904
#define SHP_IMAGE_OPT_CACHE_MAX 1905
#define SHP_IMAGE_OPT_MAX_IMAGE_BYTES 1906
#define SHP_IMAGE_OPT_USERNAME 1907
#define SHP_IMAGE_OPT_PASSWORD 1908
#define SHP_IMAGE_OPT_REGISTRY_TOKEN 1909
#define SHP_IMAGE_OPT_INSECURE 1910
#define SHP_IMAGE_OPT_ENGINE_SOCKET 1911
/* The registry's options alone (credentials, --insecure), for the commands that read images'
 * manifests but not their layers (pin, audit --images); shp_cli_registry_opt() takes them. */
#define SHP_REGISTRY_LONGOPTS                                                                                          \
	{"username", required_argument, 0, SHP_IMAGE_OPT_USERNAME},                                                    \
		{"password", required_argument, 0, SHP_IMAGE_OPT_PASSWORD},                                            \
		{"registry-token", required_argument, 0, SHP_IMAGE_OPT_REGISTRY_TOKEN},                                \
	{                                                                                                              \
		"insecure", no_argument, 0, SHP_IMAGE_OPT_INSECURE                                                     \
	}
#define SHP_IMAGE_LONGOPTS                                                                                             \
	{"image", required_argument, 0, SHP_IMAGE_OPT_NAME}, SHP_REGISTRY_LONGOPTS,                                    \
		{"engine-socket", required_argument, 0, SHP_IMAGE_OPT_ENGINE_SOCKET},                                  \
		{"platform", required_argument, 0, SHP_IMAGE_OPT_PLATFORM},                                            \
		{"cache-dir", required_argument, 0, SHP_IMAGE_OPT_CACHE_DIR},                                          \
		{"no-cache", no_argument, 0, SHP_IMAGE_OPT_NO_CACHE},                                                  \
		{"cache-max", required_argument, 0, SHP_IMAGE_OPT_CACHE_MAX},                                          \
	{                                                                                                              \
		"max-image-bytes", required_argument, 0, SHP_IMAGE_OPT_MAX_IMAGE_BYTES                                 \
	}
#define SHP_IMAGE_HELP                                                                                                 \
	"      --image NAME     the image to take from an archive holding several (repo:tag)\n"                        \
	"      --platform P     os/arch[/variant] from a multi-platform index (default linux/amd64)\n"                 \
	"      --cache-dir DIR  the layer cache (default $SHIPSHAPE_CACHE, else\n"                                     \
	"                       ~/.cache/shipshape/layers): layers read once are only hashed next time\n"              \
	"                       (records are signed with the secret in $SHIPSHAPE_CACHE_KEY, else\n"                   \
	"                       ~/.config/shipshape/cache.key)\n"                                                      \
	"      --no-cache       neither use nor fill the layer cache\n"                                                \
	"      --cache-max N    the cache's size: the records used longest ago go first (default 2G)\n"                \
	"      --max-image-bytes N  decompressed bytes allowed for the image archive, and for all\n"                   \
	"                       its layers together (default 64G; K, M, G)\n"                                          \
	"      --username U, --password P  registry credentials (else docker's config.json,\n"                         \
	"                       containers' auth.json and their credential helpers)\n"                                 \
	"      --registry-token T  a bearer token for the registry\n"                                                  \
	"      --insecure       plain HTTP, and TLS unverified, with any registry (localhost and\n"                    \
	"                       127.0.0.0/8 may use plain HTTP without it)\n"                                          \
	"      --engine-socket PATH  the engine API for docker-daemon: (a unix socket, or\n"                           \
	"                       tcp://HOST[:PORT]; else $DOCKER_HOST, $CONTAINER_HOST, docker's and\n"                 \
	"                       podman's sockets)\n"
struct shp_image_opts;
/* img's files a limit kept from being read whole, as a JSON array ([{path, layer, reason,
 * limit}]); returns how many. */
struct shp_image;
size_t shp_cli_unscanned_json(struct shp_buf *b, const struct shp_image *img);
/* The same said on stderr, when there are any: what may be missing because of them. */
void shp_cli_unscanned_note(const struct shp_image *img, const char *what);
/* -j's value (1 to 256) into *jobs; -1 after saying what is wrong. */
int shp_cli_jobs(const char *arg, int *jobs);
/* shp_cli_image_opt() for an SHP_REGISTRY_LONGOPTS option; 0 for any other. */
int shp_cli_registry_opt(struct shp_image_opts *io, int c, const char *arg);
/* Handles an SHP_IMAGE_LONGOPTS option: 1 if it was one, -1 if its value is wrong (said on
 * stderr), else 0. */
int shp_cli_image_opt(struct shp_image_opts *io, int c, const char *arg);
/* The same for a command's getopt loop: 0 if it was one, else -1 with the reason on stderr
 * (word: the argument getopt stopped at; opts and shorts: the command's, for shp_cli_bad_option). */
int shp_cli_image_opt_or_usage(struct shp_image_opts *io, const char *cmd, int c, const char *arg, const char *word,
			       const struct option *opts, const char *shorts);
/* What the configuration files (read by shp_cli_finish_opts) set for reading images: the
 * registry mirrors. shp_cli_parse does it for a spec with io. */
void shp_cli_image_config(struct shp_image_opts *io, const struct shp_cli_opts *o);
/* The defaults every reporting command starts from: --fail-on high, colour when a terminal. */
void shp_cli_opts_init(struct shp_cli_opts *o);

/* What a reporting command adds to the common options. */
struct shp_cli_spec {
	const char *name;	       /* for messages: "image" */
	const struct option *longopts; /* the command's own ({0}-terminated), or NULL */
	const char *shortopts;	       /* its own short options ("j:"), or "" */
	/* handles one of its own options: 1 done, 0 not its own, -1 bad value (message printed) */
	int (*opt)(void *ctx, int c, const char *arg);
	void *ctx;
	void (*usage)(FILE *f);
	struct shp_image_opts *io; /* takes --image and --platform when not NULL */
	int min_args;		   /* operands needed */
};
/* Initialises o, parses argv (common, image and own options), loads the config. Returns the
 * index of the first operand, or -(exit code) after help, a usage error or a bad config (o is
 * freed then). */
int shp_cli_parse(int argc, char **argv, const struct shp_cli_spec *spec, struct shp_cli_opts *o);

/* The options of a command that rewrites files in place (fix, pin): --diff shows the
 * changes as a unified diff, --stdout writes the one file's new text to stdout; else each file
 * changed is written over (links followed; owner, mode and hard links kept: util/output.h). */
#define SHP_REWRITE_OPT_DIFF 2101
#define SHP_REWRITE_OPT_STDOUT 2102
#define SHP_REWRITE_LONGOPTS                                                                                           \
	{"diff", no_argument, 0, SHP_REWRITE_OPT_DIFF}, { "stdout", no_argument, 0, SHP_REWRITE_OPT_STDOUT }
struct shp_rewrite {
	int diff, to_stdout;
};
/* Handles an SHP_REWRITE_LONGOPTS option: 1 if it was one, else 0. */
int shp_cli_rewrite_opt(struct shp_rewrite *rw, int c);
/* Whether the modes go together: not --diff with --stdout, and --stdout or - (stdin) with one
 * file only (nfiles: the operands, or the files found). 0, or -1 with the reason on stderr. */
int shp_cli_rewrite_check(const struct shp_rewrite *rw, const char *cmd, size_t nfiles, int stdin_in);
/* Whether path is only read: --diff, --stdout, or - (stdin, whose new text goes to stdout). */
int shp_cli_rewrite_dry(const struct shp_rewrite *rw, const char *path);
/* Puts the new text of path (shown as name) out as rw says: its diff appended to diff, the text
 * on stdout, or the file written over when the text changed. -1 with err (nothing written). */
int shp_cli_rewrite_out(const struct shp_rewrite *rw, const char *path, const char *name, const char *old,
			size_t oldlen, const char *text, size_t len, struct shp_buf *diff, struct shp_error **err);
/* The end of a rewriting command, its exit code: with --diff the diff is the report (exit 1
 * when something is to change, `changed` files); with the new text on stdout (to_stdout) the
 * code says what findings are left; else f is reported as ro says. bad (an input that could
 * not be read or rewritten) makes it 3. Frees f and o. */
int shp_cli_rewrite_finish(const struct shp_rewrite *rw, int to_stdout, struct shp_cli_opts *o, struct shp_findings *f,
			   struct shp_buf *diff, size_t changed, struct shp_report_opts ro, int bad);

#define SHP_COMMON_HELP                                                                                                \
	"  -f, --format FMT     text (default), json, sarif, codeclimate (GitLab Code Quality),\n"                     \
	"                       checkstyle, junit, gnu (file:line:col lines), github (annotations)\n"                  \
	"  -o, --output FILE    write the report to FILE\n"                                                            \
	"      --fail-on SEV    exit 1 on findings at or above info|low|medium|high|critical\n"                        \
	"                       (default high; none never fails; also --failure-threshold)\n"                          \
	"      --exit-code 0|1  Trivy's flag: 1 fails on anything reported, 0 never fails\n"                           \
	"      --severity LIST  report only these severities (e.g. high,critical; Trivy's flag;\n"                     \
	"                       unknown: vulnerabilities no feed rates)\n"                                             \
	"      --ignore ID      skip a rule (id, slug or alias such as DL3008) or a vulnerability\n"                   \
	"                       (CVE-2024-1234, or any alias of it); repeatable\n"                                     \
	"      --ignorefile FILE  Trivy's ignore file (ids a line, or .trivyignore.yaml's form)\n"                     \
	"      --secret-config FILE  custom secret rules: Trivy's trivy-secret.yaml, or gitleaks'\n"                   \
	"                       .gitleaks.toml (by the .toml name); default: either, in the\n"                         \
	"                       working directory\n"                                                                   \
	"      --skip-files GLOB, --skip-dirs GLOB  no findings at these paths (in the image, or\n"                    \
	"                       the files linted): **/*.pem, usr/share/doc; repeatable, or a,b\n"                      \
	"  -c, --config FILE    configuration (default: .shipshape.yaml, .hadolint.yaml, .dive-ci;\n"                  \
	"                       and .trivyignore, .dockleignore), read after the user's\n"                             \
	"                       ~/.config/shipshape/config.yaml\n"                                                     \
	"      --no-color       plain text even on a terminal (--color: colour even when not)\n" SHP_QUIET_HELP
