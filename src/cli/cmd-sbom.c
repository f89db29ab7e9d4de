/* cmd-sbom.c - `shipshape sbom IMAGE|DIR`: the installed packages (dpkg, apk, rpm; npm,
 * Python, Maven artifacts in Java archives, the modules Go programs were built from) as a
 * CycloneDX 1.5 or SPDX 2.3 JSON document, or a table. The packages come from the image
 * engine's single pass over the layers; --all-layers adds those a later layer removed. The
 * documents are written by sbom/. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/packages.h"
#include "image/union.h"
#include "sbom/sbom.h"
#include "util/cleanup.h"
#include "util/note.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum sbom_format { F_CYCLONEDX, F_SPDX, F_JSON, F_TEXT };

static void usage(FILE *f)
{
	fputs("usage: shipshape sbom [options] IMAGE|DIR\n\n"
	      "Lists the packages installed in an image or root filesystem as an SBOM: the OS's (dpkg, apk,\n"
	      "rpm) and the languages' (npm, Python, Java archives' Maven artifacts, and the modules Go\n"
	      "programs were built from).\n\n"
	      "options:\n"
	      "  -f, --format FMT     cyclonedx (default, CycloneDX 1.5 JSON), spdx (SPDX 2.3 JSON),\n"
	      "                       json (shipshape's own) or text\n"
	      "  -o, --output FILE    write it to FILE\n"
	      "      --all-layers     also packages that a later layer removed (they still ship)\n" SHP_IMAGE_HELP
	      "  -j, --jobs N         layers read in parallel (default: the number of cores)\n" SHP_QUIET_HELP,
	      f);
}

int shp_cmd_sbom(int argc, char **argv)
{
	enum { OPT_ALL = 2001 };
	static const struct option longopts[] = {{"format", required_argument, 0, 'f'},
						 {"output", required_argument, 0, 'o'},
						 {"all-layers", no_argument, 0, OPT_ALL},
						 SHP_IMAGE_LONGOPTS,
						 {"jobs", required_argument, 0, 'j'},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	struct shp_cli_opts o;
	shp_cli_opts_init(&o);
	struct shp_image_opts io = {.packages_only = 1};
	enum sbom_format fmt = F_CYCLONEDX;
	int all_layers = 0, c;
	optind = 0; /* afresh; options may follow the operands */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:j:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'q': shp_set_quiet(1); break;
		case 'o': shp_cli_common_opt(&o, c, optarg); break;
		case OPT_ALL: all_layers = 1; break;
		case 'f':
			if (!strcmp(optarg, "cyclonedx") || !strcmp(optarg, "cdx"))
				fmt = F_CYCLONEDX;
			else if (!strcmp(optarg, "spdx"))
				fmt = F_SPDX;
			else if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else if (!strcmp(optarg, "text"))
				fmt = F_TEXT;
			else {
				shp_cli_error("sbom: --format \"%s\": expected cyclonedx, spdx, json or text", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		default:
			if (shp_cli_image_opt_or_usage(&io, "sbom", c, optarg, argv[optind - 1], longopts, "f:o:j:hq") <
			    0)
				return SHP_EXIT_USAGE;
			break;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	shp_cli_image_input(&o, argv[optind]);
	if (shp_cli_finish_opts(&o) < 0 || shp_cli_check_output(&o) < 0) {
		shp_cli_opts_free(&o);
		return SHP_EXIT_INPUT;
	}
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_image_ struct shp_image *img = NULL;
	shp_cli_image_config(&io, &o);
	if (shp_image_open(argv[optind], &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0) {
		shp_cli_error("%s", err->msg);
		shp_cli_opts_free(&o);
		return shp_cli_image_exit(err);
	}
	struct shp_union u;
	shp_union_build(&u, img);
	struct shp_image_pkgs ip = {0};
	int rc = shp_image_packages(img, &u, all_layers, &ip, &err);
	shp_union_free(&u);
	if (rc < 0) {
		shp_cli_error("%s", err->msg);
		shp_image_pkgs_free(&ip);
		shp_cli_opts_free(&o);
		return SHP_EXIT_INPUT;
	}
	shp_cli_unscanned_note(img, "their packages may be missing from the SBOM");
	if (!ip.ndbs && !ip.nmanifests && !ip.nprograms && !ip.narchives)
		shp_note("%s: no package database found (dpkg, apk, rpm, npm, Python, Go, Java): the SBOM lists no "
			 "packages",
			 img->input);
	struct shp_buf doc = {0};
	switch (fmt) {
	case F_CYCLONEDX: shp_sbom_cyclonedx(&doc, img, &ip); break;
	case F_SPDX: shp_sbom_spdx(&doc, img, &ip); break;
	case F_JSON: shp_sbom_json(&doc, img, &ip); break;
	case F_TEXT: shp_sbom_text(&doc, img, &ip); break;
	}
	shp_image_pkgs_free(&ip);
	rc = shp_cli_write(&o, &doc, 0);
	shp_cli_opts_free(&o);
	return rc;
}
