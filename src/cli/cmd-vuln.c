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
#include "util/note.h"
#include "util/size.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape vuln [options] IMAGE|DIR|SBOM\n\n"
	      "Matches the installed packages against the local vulnerability database (shipshape db\n"
	      "update, or db import): the OS's (dpkg, apk, rpm) and the languages' (npm, PyPI, Go\n"
	      "modules, Maven, RubyGems, Composer, NuGet, crates.io), each through its own feed,\n"
	      "and a package the distro built only through the distro's. SBOM is a CycloneDX or\n"
	      "SPDX 2 JSON file (shipshape's, Syft's, Trivy's, cdxgen's): its purls.\n\noptions:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --db-repository docker://REF  pull the database from a registry first when it has\n"
	      "                       newer data than the local copy (shipshape db push put it there)\n"
	      "      --ignore-unfixed only vulnerabilities with a fixed version\n"
	      "  -j, --jobs N         layers read and packages matched in parallel (default: the number\n"
	      "                       of cores)\n" SHP_VULN_HELP SHP_IMAGE_HELP SHP_COMMON_HELP,
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

/* Sanity default: vulnerability data older than this is stale (a week: the feeds change daily). */
#define DEFAULT_MAX_DB_AGE (7LL * 86400)

int shp_cli_vuln_opt(struct shp_cli_vuln_opts *vo, int c, const char *arg)
{
	if (c == SHP_VULN_OPT_FAIL_ON_STALE) {
		vo->fail_on_stale = 1;
		return 1;
	}
	if (c != SHP_VULN_OPT_MAX_DB_AGE)
		return 0;
	if (shp_parse_duration(arg, &vo->max_age) < 0) {
		shp_cli_error("--max-db-age \"%s\": expected a span of time such as 7d or 36h (0: never stale)", arg);
		return -1;
	}
	vo->max_age_set = 1;
	return 1;
}

int shp_cli_vuln_max_age(struct shp_cli_vuln_opts *vo, const struct shp_config *cfg)
{
	if (vo->max_age_set)
		return 0;
	const char *env = getenv("SHIPSHAPE_MAX_DB_AGE");
	if (env && *env) {
		if (shp_parse_duration(env, &vo->max_age) < 0) {
			shp_cli_error(
				"SHIPSHAPE_MAX_DB_AGE \"%s\": expected a span of time such as 7d or 36h (0: never "
				"stale)",
				env);
			return -1;
		}
	} else
		vo->max_age = cfg->db_max_age_set ? cfg->db_max_age : DEFAULT_MAX_DB_AGE;
	vo->max_age_set = 1;
	return 0;
}

int shp_cli_vuln_match(const struct shp_cli_vuln_opts *vo, const struct shp_image_pkgs *ip, const char *file,
		       const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *text, int *stale,
		       struct shp_cli_vuln_run *run, struct shp_error **err)
{
	*run = (struct shp_cli_vuln_run){.cfg = cfg,
					 .file = file,
					 .packages = ip->pkgs.n,
					 .now = (long long)time(NULL),
					 .max_age = vo->max_age,
					 .ignore_unfixed = vo->ignore_unfixed};
	_cleanup_free_ char *dflt = vo->db ? NULL : shp_vulndb_default_path();
	struct shp_vulndb *db = NULL;
	if (shp_vulndb_open(vo->db ? vo->db : dflt, 0, &db, err) < 0)
		return -1;
	int rc = shp_vulndb_match(db, &ip->os, &ip->pkgs, vo->jobs, &run->m, err);
	shp_vulndb_close(db);
	if (rc < 0)
		return -1;
	struct shp_vuln_matches *m = &run->m;
	shp_vuln_findings(m, &ip->os, file, vo->ignore_unfixed, f);
	shp_vuln_data_text(text, m, run->now, vo->max_age);
	struct shp_vuln_age age;
	shp_vuln_data_age(m, run->now, vo->max_age, &age);
	if (age.stale) {
		char old[32], max[32];
		shp_vuln_span_words(old, sizeof old, age.age);
		shp_vuln_span_words(max, sizeof max, vo->max_age);
		shp_note("warning: the vulnerability data is stale: %s (for %s) is %s old, more than "
			 "--max-db-age allows (%s)%s; update the database",
			 age.source, age.key, old, max,
			 vo->fail_on_stale ? ", and --fail-on-stale-db makes that a failure" : "");
		*stale = 1;
	}
	return 0;
}

void shp_cli_vuln_json(struct shp_buf *json, const void *ctx)
{
	const struct shp_cli_vuln_run *run = ctx;
	shp_buf_puts(json, "\"vulnerabilities\":");
	shp_vuln_json(json, &run->m, run->file, run->ignore_unfixed, run->cfg);
	shp_buf_puts(json, ",\"vulnerability_data\":");
	shp_vuln_data_json(json, &run->m, run->packages, run->now, run->max_age);
}

void shp_cli_vuln_run_free(struct shp_cli_vuln_run *run) { shp_vuln_matches_free(&run->m); }

int shp_cli_vulns(const struct shp_cli_vuln_opts *vo, const struct shp_image_pkgs *ip, const char *file,
		  const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *json, struct shp_buf *text,
		  int *stale, struct shp_error **err)
{
	struct shp_cli_vuln_run run;
	int rc = shp_cli_vuln_match(vo, ip, file, cfg, f, text, stale, &run, err);
	if (rc == 0)
		shp_cli_vuln_json(json, &run);
	shp_cli_vuln_run_free(&run);
	return rc;
}

enum { OPT_DB = 2001, OPT_UNFIXED, OPT_DB_REPO };

static int vuln_opt(void *ctx, int c, const char *arg)
{
	struct shp_cli_vuln_opts *a = ctx;
	if (c == OPT_DB)
		a->db = arg;
	else if (c == OPT_UNFIXED)
		a->ignore_unfixed = 1;
	else if (c == OPT_DB_REPO)
		a->db_repo = arg;
	else
		return shp_cli_vuln_opt(a, c, arg);
	return 1;
}

int shp_cmd_vuln(int argc, char **argv)
{
	static const struct option longopts[] = {{"db", required_argument, 0, OPT_DB},
						 {"db-repository", required_argument, 0, OPT_DB_REPO},
						 {"ignore-unfixed", no_argument, 0, OPT_UNFIXED},
						 {"jobs", required_argument, 0, 'j'},
						 SHP_VULN_LONGOPTS,
						 {0, 0, 0, 0}};
	struct {
		struct shp_image_opts io;
		struct shp_cli_vuln_opts vo;
	} a = {0};
	const struct shp_cli_spec spec = {.name = "vuln",
					  .longopts = longopts,
					  .shortopts = "j:",
					  .opt = vuln_opt,
					  .ctx = &a.vo,
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
	if (shp_cli_vuln_max_age(&a.vo, &o.cfg) < 0) {
		shp_cli_opts_free(&o);
		return SHP_EXIT_USAGE;
	}
	optind = first;
	struct shp_image_opts io = a.io;
	a.vo.jobs = io.jobs;
	io.packages_only = 1;
	const char *db_path = a.vo.db;
	const char *input = argv[optind];
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_image_pkgs ip = {0};
	struct shp_findings f = {0};
	struct shp_buf text = {0}, unscanned_json = {0};
	struct shp_cli_vuln_run run = {0};
	size_t unscanned = 0;
	int rc = SHP_EXIT_INPUT, stale = 0;
	shp_cli_image_input(&o, input);
	if (db_path)
		shp_cli_input(&o, db_path, SHP_IN_FILE);
	if (shp_cli_check_output(&o) < 0)
		goto out;
	if (a.vo.db_repo && shp_cli_db_refresh(db_path, a.vo.db_repo, &io, &err) < 0) {
		rc = err->code == SHP_EXIT_USAGE ? SHP_EXIT_USAGE : SHP_EXIT_INPUT;
		goto fail;
	}
	int is_sbom = sbom_packages(input, &ip, &err);
	if (is_sbom < 0)
		goto unread;
	if (!is_sbom) {
		_cleanup_image_ struct shp_image *img = NULL;
		if (shp_image_open(input, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0)
			goto unread;
		struct shp_union u;
		shp_union_build(&u, img);
		int r = shp_image_packages(img, &u, 0, &ip, &err);
		shp_union_free(&u);
		if (r < 0)
			goto unread;
		/* a package database or Java archive a limit kept from being read: its packages,
		 * and their vulnerabilities, may be missing, which the report says */
		shp_buf_puts(&unscanned_json, "\"unscanned\":");
		unscanned = shp_cli_unscanned_json(&unscanned_json, img);
	}
	if (shp_cli_vuln_match(&a.vo, &ip, input, &o.cfg, &f, &text, &stale, &run, &err) < 0)
		goto fail;
	rc = shp_cli_report(&o, &f,
			    (struct shp_report_opts){.files = 1,
						     .command = "vuln",
						     .extra_json = unscanned_json.data,
						     .unscanned = unscanned_json.len ? &unscanned : NULL,
						     .extra_fn = shp_cli_vuln_json,
						     .extra_ctx = &run,
						     .extra_text = text.data});
	if (stale && a.vo.fail_on_stale && rc == SHP_EXIT_OK)
		rc = SHP_EXIT_FINDINGS;
	goto out;
unread: /* the report says why it is empty, for a job that reads only the report */
	shp_cli_input_error(&o, input, err->msg);
	(void)shp_cli_report(&o, &f, (struct shp_report_opts){.command = "vuln"});
	rc = shp_cli_image_exit(err);
	goto out;
fail:
	shp_cli_error("%s", err->msg);
out:
	shp_findings_free(&f);
	shp_cli_vuln_run_free(&run);
	shp_buf_free(&text);
	shp_buf_free(&unscanned_json);
	shp_image_pkgs_free(&ip);
	shp_cli_opts_free(&o);
	return rc;
}
