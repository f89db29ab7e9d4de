/* cmd-vuln.c - `shipshape vuln IMAGE|DIR|SBOM`: the installed OS packages (read through the
 * image engine, or from an SBOM: pkg/sbom.h) matched against the local database. Each
 * vulnerability is a finding (SHP3001 fixed, SHP3002 no fix yet, SHP3003 will not fix) with
 * its own severity; JSON adds a "vulnerabilities" member. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/packages.h"
#include "image/union.h"
#include "pkg/sbom.h"
#include "rules/vuln.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape vuln [options] IMAGE|DIR|SBOM\n\n"
	      "Matches the installed OS packages (dpkg, apk, rpm) against the local vulnerability\n"
	      "database (shipshape db import). SBOM is a CycloneDX or SPDX 2 JSON file (shipshape's,\n"
	      "Syft's, Trivy's, cdxgen's): its deb, apk and rpm purls.\n\noptions:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --db-repository docker://REF  pull the database from a registry first when it has\n"
	      "                       newer data than the local copy (shipshape db push put it there)\n"
	      "      --ignore-unfixed only vulnerabilities with a fixed version\n" SHP_IMAGE_HELP SHP_COMMON_HELP,
	      f);
}

/* ---- packages from an SBOM ------------------------------------------------------------ */

/* Returns 1 if path is a CycloneDX or SPDX JSON SBOM (and fills ip), 0 if it is not one (an
 * image, a directory: the image engine says what it is), -1 on a broken one. */
static int sbom_packages(const char *path, struct shp_image_pkgs *ip, struct shp_error **err)
{
	/* Only a JSON document is read whole; an image tarball is left to the image engine's one
	 * pass. */
	char head[512];
	ssize_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, head, sizeof head);
		close(fd);
	}
	if (got <= 0 || !shp_sbom_json_start(head, (size_t)got))
		return 0;
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file(path, SHP_SBOM_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	if (!shp_sbom_detect(text, len))
		return 0;
	if (shp_sbom_read(path, text, len, &ip->pkgs, &ip->os, err) < 0)
		return -1;
	ip->ndbs = ip->pkgs.n > 0;
	return 1;
}

/* ---- shared with `image --vuln` ------------------------------------------------------- */

int shp_cli_vulns(const char *db_path, const struct shp_image_pkgs *ip, const char *file, int ignore_unfixed,
		  const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *json, struct shp_error **err)
{
	_cleanup_free_ char *dflt = db_path ? NULL : shp_vulndb_default_path();
	struct shp_vulndb *db = NULL;
	if (shp_vulndb_open(db_path ? db_path : dflt, 0, &db, err) < 0)
		return -1;
	struct shp_vuln_matches m = {0};
	int rc = shp_vulndb_match(db, &ip->os, &ip->pkgs, &m, err);
	shp_vulndb_close(db);
	if (rc == 0) {
		shp_vuln_findings(&m, &ip->os, file, ignore_unfixed, f);
		shp_buf_puts(json, "\"vulnerabilities\":");
		shp_vuln_json(json, &m, file, ignore_unfixed, cfg);
		shp_buf_printf(json, ",\"vulnerability_data\":{\"os\":");
		if (m.os_key)
			shp_buf_json_str(json, m.os_key);
		else
			shp_buf_puts(json, "null");
		shp_buf_printf(json, ",\"covered\":%s,\"packages\":%zu}", m.os_covered ? "true" : "false", ip->pkgs.n);
	}
	shp_vuln_matches_free(&m);
	return rc;
}

enum { OPT_DB = 2001, OPT_UNFIXED, OPT_DB_REPO };

struct vuln_args {
	struct shp_image_opts io;
	const char *db, *db_repo;
	int ignore_unfixed;
};

static int vuln_opt(void *ctx, int c, const char *arg)
{
	struct vuln_args *a = ctx;
	if (c == OPT_DB)
		a->db = arg;
	else if (c == OPT_UNFIXED)
		a->ignore_unfixed = 1;
	else if (c == OPT_DB_REPO)
		a->db_repo = arg;
	else
		return 0;
	return 1;
}

int shp_cmd_vuln(int argc, char **argv)
{
	static const struct option longopts[] = {{"db", required_argument, 0, OPT_DB},
						 {"db-repository", required_argument, 0, OPT_DB_REPO},
						 {"ignore-unfixed", no_argument, 0, OPT_UNFIXED},
						 {0, 0, 0, 0}};
	struct vuln_args a = {0};
	const struct shp_cli_spec spec = {.name = "vuln",
					  .longopts = longopts,
					  .shortopts = "",
					  .opt = vuln_opt,
					  .ctx = &a,
					  .usage = usage,
					  .io = &a.io,
					  .min_args = 1};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	if (argc - first != 1) {
		usage(stderr);
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	optind = first;
	struct shp_image_opts io = a.io;
	io.packages_only = 1;
	io.mirrors = o.cfg.mirrors;
	io.nmirrors = o.cfg.nmirrors;
	const char *db_path = a.db;
	int ignore_unfixed = a.ignore_unfixed;
	const char *input = argv[optind];
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_image_pkgs ip = {0};
	struct shp_findings f = {0};
	struct shp_buf extra = {0};
	int rc = SHP_EXIT_INPUT;
	shp_cli_image_input(&o, input);
	if (db_path)
		shp_cli_input(&o, db_path, SHP_IN_FILE);
	if (shp_cli_check_output(&o) < 0)
		goto out;
	if (a.db_repo && shp_cli_db_refresh(db_path, a.db_repo, &io, &err) < 0) {
		rc = err->code == SHP_EXIT_USAGE ? SHP_EXIT_USAGE : SHP_EXIT_INPUT;
		goto fail;
	}
	int is_sbom = sbom_packages(input, &ip, &err);
	if (is_sbom < 0)
		goto fail;
	if (!is_sbom) {
		_cleanup_image_ struct shp_image *img = NULL;
		if (shp_image_open(input, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0) {
			rc = shp_cli_image_exit(err);
			goto fail;
		}
		struct shp_union u;
		shp_union_build(&u, img);
		int r = shp_image_packages(img, &u, 0, &ip, &err);
		shp_union_free(&u);
		if (r < 0)
			goto fail;
	}
	if (shp_cli_vulns(db_path, &ip, input, ignore_unfixed, &o.cfg, &f, &extra, &err) < 0)
		goto fail;
	rc = shp_cli_report(&o, &f, (struct shp_report_opts){.files = 1, .command = "vuln", .extra_json = extra.data});
	goto out;
fail:
	shp_cli_error("%s", err->msg);
out:
	shp_findings_free(&f);
	shp_buf_free(&extra);
	shp_image_pkgs_free(&ip);
	shp_cli_opts_free(&o);
	return rc;
}
