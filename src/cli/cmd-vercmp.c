/* cmd-vercmp.c - `shipshape vercmp --type TYPE [A B]`: orders versions as the package manager of
 * the ecosystem TYPE does (any type of the ecosystem table: deb, apk, rpm, npm, pypi, golang,
 * maven ...). Without A B it reads "A B" lines on stdin and prints <, = or > for each (an empty line
 * gives an empty line, so outputs stay aligned with inputs). */
#include "cli/cli.h"
#include "pkg/version.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/note.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The table's types: "deb, apk, ... or maven" (last, the word between the last two). */
static void types(struct shp_buf *b, const char *last)
{
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		shp_buf_printf(b, "%s%s",
			       !t			? ""
			       : t + 1 < SHP_PKG_NTYPES ? ", "
							: last,
			       shp_eco((enum shp_pkg_type)t)->type);
}

static void usage(FILE *f)
{
	struct shp_buf b = {0};
	shp_buf_puts(&b, "usage: shipshape vercmp --type TYPE [A B]\n\nCompares versions as the package managers order "
			 "them: ");
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		shp_buf_printf(&b, "%s%s (%s)", t ? ", " : "", shp_eco((enum shp_pkg_type)t)->title,
			       shp_eco((enum shp_pkg_type)t)->type);
	shp_buf_puts(&b, ".\nWith A and B prints <, = or >; without them reads \"A B\" lines on stdin and prints one "
			 "answer per line.\n\noptions:\n  -t, --type TYPE      ");
	types(&b, " or ");
	shp_buf_puts(&b, "\n" SHP_QUIET_HELP);
	fputs(b.data, f);
	free(b.data);
}

static char sym(int c) { return c < 0 ? '<' : c > 0 ? '>' : '='; }

int shp_cmd_vercmp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"type", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, SHP_QUIET_LONGOPT, {0, 0, 0, 0}};
	int type = -1, c;
	optind = 0; /* afresh; options may follow the operands */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "t:hq", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return SHP_EXIT_OK;
		}
		if (c == 'q') {
			shp_set_quiet(1);
			continue;
		}
		if (c == 't' && (type = shp_pkg_type_from_name(optarg)) >= 0)
			continue;
		if (c == 't') {
			struct shp_buf b = {0};
			types(&b, ", ");
			shp_cli_error("vercmp: unknown type (%s) \"%s\"", b.data, optarg);
			free(b.data);
		} else
			shp_cli_bad_option("vercmp", argv[optind - 1], optopt, longopts, "t:hq");
		return SHP_EXIT_USAGE;
	}
	if (type < 0 || (argc - optind != 0 && argc - optind != 2)) {
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	if (argc - optind == 2) {
		printf("%c\n", sym(shp_vercmp(type, argv[optind], argv[optind + 1])));
		return SHP_EXIT_OK;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = SHP_EXIT_OK;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		char *save = NULL, *a = strtok_r(line, " \t\r\n", &save);
		char *b = a ? strtok_r(NULL, " \t\r\n", &save) : NULL;
		char *extra = b ? strtok_r(NULL, " \t\r\n", &save) : NULL;
		if (!a) {
			putchar('\n');
			continue;
		}
		if (!b || extra) {
			shp_cli_error("<stdin>:%lu: expected two versions, \"A B\"", lineno);
			rc = SHP_EXIT_INPUT;
			break;
		}
		putchar(sym(shp_vercmp(type, a, b)));
		putchar('\n');
	}
	free(line);
	if (fflush(stdout) != 0) {
		shp_cli_error("<stdout>: write failed");
		return SHP_EXIT_INPUT;
	}
	return rc;
}
