/* cli.h - the command table and the options every command shares. */
#pragma once
#include "config/config.h"
#include "report/report.h"

struct shp_cli_opts {
	enum shp_format format;
	const char *output; /* -o FILE, NULL for stdout */
	enum shp_severity fail_on;
	int fail_on_set;
	int color; /* -1 auto */
	const char *config_path;
	struct shp_config cfg;
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

/* Handles a common option (getopt_long value c with optarg). Returns 1 if it was one,
 * 0 if not, -1 on a bad value (message printed). */
int shp_cli_common_opt(struct shp_cli_opts *o, int c, const char *arg);
/* Loads the config (--config or the defaults) and applies --ignore; -1 on error (printed). */
int shp_cli_finish_opts(struct shp_cli_opts *o);
/* Writes a finished document to -o or stdout (and frees it); returns the exit code:
 * SHP_EXIT_FINDINGS when failing > 0, else SHP_EXIT_OK (or SHP_EXIT_INPUT on a write error). */
int shp_cli_write(struct shp_cli_opts *o, struct shp_buf *doc, size_t failing);
/* The same for a document in n parts, written in order without joining them (each is freed). */
int shp_cli_write_parts(struct shp_cli_opts *o, struct shp_buf *parts, size_t n, size_t failing);
void shp_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define SHP_COMMON_LONGOPTS                                                                            \
	{"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},                   \
		{"fail-on", required_argument, 0, 1001}, {"ignore", required_argument, 0, 1002},          \
		{"config", required_argument, 0, 'c'}, {"no-color", no_argument, 0, 1003},                \
		{"color", no_argument, 0, 1004}, {"help", no_argument, 0, 'h'}
#define SHP_COMMON_SHORTOPTS "f:o:c:h"

#define SHP_COMMON_HELP                                                                                \
	"  -f, --format FMT     text (default), json or sarif\n"                                         \
	"  -o, --output FILE    write the report to FILE\n"                                              \
	"      --fail-on SEV    exit 1 on findings at or above info|low|medium|high|critical\n"        \
	"                       (default high; none never fails)\n"                                      \
	"      --ignore ID      skip a rule (id, slug or alias such as DL3008); repeatable\n"          \
	"  -c, --config FILE    configuration (default: .shipshape.yaml, .hadolint.yaml)\n"           \
	"      --no-color       plain text even on a terminal\n"
