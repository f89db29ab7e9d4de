/* cmd-db-share.c - `shipshape db push|pull docker://REF`: the vulnerability database shared
 * through a registry (vuln/share.h), and the pull before matching that `vuln
 * --db-repository` asks for. */
#include "cli/cli.h"
#include "image/image.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/size.h"
#include "util/xalloc.h"
#include "vuln/share.h"
#include "vuln/vulndb.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape db push docker://REF [--db FILE]\n"
	      "       shipshape db pull docker://REF [--db FILE] [--force]\n\n"
	      "Shares the vulnerability database through a registry: push stores it as an OCI artifact\n"
	      "(" SHP_VULNDB_ARTIFACT_TYPE ", one zstd layer; schema version, data date and sources\n"
	      "as annotations); pull fetches it when it has data the local copy lacks (a source it does\n"
	      "not have, or newer data for one), verifies its digest, schema and integrity, and renames\n"
	      "it into place: a vuln running meanwhile reads the old database or the new one. One\n"
	      "machine runs db update && db push; the others pull, or run vuln --db-repository REF.\n\n"
	      "options:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --force          pull: fetch it even when the local copy is as new\n"
	      "      --username U, --password P  registry credentials (else docker's config.json,\n"
	      "                       containers' auth.json and their credential helpers)\n"
	      "      --registry-token T  a bearer token for the registry\n"
	      "      --insecure       plain HTTP, and TLS unverified, with any registry (localhost and\n"
	      "                       127.0.0.0/8 may use plain HTTP without it)\n" SHP_QUIET_HELP,
	      f);
}

static struct shp_registry_opts registry_opts(const struct shp_image_opts *io)
{
	return (struct shp_registry_opts){.username = io->username,
					  .password = io->password,
					  .registry_token = io->registry_token,
					  .insecure = io->insecure,
					  .mirrors = io->mirrors,
					  .nmirrors = io->nmirrors};
}

static void date_of(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(out, 32, "unknown");
}

/* Says what a pull did. */
static void say_pull(const char *path, const char *ref, const struct shp_share_result *res)
{
	char when[32], db[32], blob[32];
	date_of(when, res->modified);
	shp_size_human(db, sizeof db, res->db_bytes);
	shp_size_human(blob, sizeof blob, res->blob_bytes);
	if (res->pulled)
		shp_note("%s: pulled %s into %s (%s, %s compressed; %zu source%s, data of %s)", ref, res->digest, path,
			 db, blob, res->sources, res->sources == 1 ? "" : "s", when);
	else if (res->local_newer)
		shp_note("%s: has newer data than %s (data of %s): kept (--force pulls it)", path, ref, when);
	else
		shp_note("%s: up to date with %s (data of %s)", path, ref, when);
}

int shp_cli_db_refresh(const char *db_path, const char *repo, const struct shp_image_opts *io, struct shp_error **err)
{
	_cleanup_free_ char *dflt = db_path ? NULL : shp_vulndb_default_path();
	const char *path = db_path ? db_path : dflt;
	struct shp_registry_opts ro = registry_opts(io);
	struct shp_share_result res;
	int rc = shp_vulndb_pull(path, repo, &ro, 0, &res, err);
	if (rc == 0 && res.pulled)
		say_pull(path, repo, &res);
	shp_share_result_free(&res);
	/* a registry out of reach costs a warning when there is a database to match with: its
	 * age is said with the report, as for any other copy */
	struct stat st;
	if (rc < 0 && (*err)->code != SHP_EXIT_USAGE && stat(path, &st) == 0) {
		shp_note("warning: %s (matching with the local copy, %s)", (*err)->msg, path);
		shp_error_free(*err);
		*err = NULL;
		rc = 0;
	}
	return rc;
}

int shp_cmd_db_share(int argc, char **argv)
{
	enum { OPT_DB = 2001, OPT_FORCE };
	static const struct option longopts[] = {{"db", required_argument, 0, OPT_DB},
						 {"force", no_argument, 0, OPT_FORCE},
						 {"username", required_argument, 0, SHP_IMAGE_OPT_USERNAME},
						 {"password", required_argument, 0, SHP_IMAGE_OPT_PASSWORD},
						 {"registry-token", required_argument, 0, SHP_IMAGE_OPT_REGISTRY_TOKEN},
						 {"insecure", no_argument, 0, SHP_IMAGE_OPT_INSECURE},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	int push = !strcmp(argv[0], "push");
	const char *db_path = NULL;
	int force = 0, c;
	struct shp_image_opts io = {0};
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'q': shp_set_quiet(1); break;
		case OPT_DB: db_path = optarg; break;
		case OPT_FORCE:
			if (push) {
				shp_cli_error("db push: --force is pull's");
				return SHP_EXIT_USAGE;
			}
			force = 1;
			break;
		default:
			if (shp_cli_image_opt_or_usage(&io, push ? "db push" : "db pull", c, optarg, argv[optind - 1],
						       longopts, "hq") < 0)
				return SHP_EXIT_USAGE;
			break;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	const char *ref = argv[optind];
	_cleanup_free_ char *dflt = db_path ? NULL : shp_vulndb_default_path();
	const char *path = db_path ? db_path : dflt;
	struct shp_registry_opts ro = registry_opts(&io);
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_share_result res;
	int rc =
		push ? shp_vulndb_push(path, ref, &ro, &res, &err) : shp_vulndb_pull(path, ref, &ro, force, &res, &err);
	if (rc < 0) {
		shp_cli_error("db %s: %s", push ? "push" : "pull", err->msg);
		shp_share_result_free(&res);
		return err->code == SHP_EXIT_USAGE ? SHP_EXIT_USAGE : SHP_EXIT_INPUT;
	}
	if (push) {
		char when[32], db[32], blob[32];
		date_of(when, res.modified);
		shp_size_human(db, sizeof db, res.db_bytes);
		shp_size_human(blob, sizeof blob, res.blob_bytes);
		shp_note("%s: pushed %s to %s as %s (%s compressed; %zu source%s, data of %s)", path, db, ref,
			 res.digest, blob, res.sources, res.sources == 1 ? "" : "s", when);
	} else
		say_pull(path, ref, &res);
	shp_share_result_free(&res);
	return SHP_EXIT_OK;
}
