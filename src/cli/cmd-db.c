/* cmd-db.c - `shipshape db SUBCOMMAND`: the local vulnerability database (SQLite; default under
 * the user's cache directory, --db to choose). The subcommands are a table; import and info
 * are here, update, fetch and sources in cmd-db-update.c. */
#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/xalloc.h"
#include "vuln/vulndb.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape db update [--only NAME]... [--mirror URL] [--from DIR] [--keep-going] [--db FILE]\n"
	      "       shipshape db fetch --to DIR [--only NAME]... [--mirror URL]\n"
	      "       shipshape db sources [--format text|json]\n"
	      "       shipshape db import [--db FILE] [--distro KEY] FEED...\n"
	      "       shipshape db info [--db FILE] [--format text|json]\n"
	      "       shipshape db push|pull docker://REF [--db FILE] (db push --help)\n\n"
	      "update downloads the public feeds (shipshape db sources lists them) and imports them;\n"
	      "see shipshape db update --help. import reads feeds you have already.\n\n"
	      "Imports public vulnerability feeds once, to match offline from then on: OSV JSON records\n"
	      "(files, directories, osv.dev's per-ecosystem zip dumps), Alpine secdb JSON, the Debian\n"
	      "security tracker's JSON, rpm-md errata (an rpm repository's updateinfo.xml, plain or\n"
	      "compressed: Amazon Linux's, Rocky's, AlmaLinux's, Oracle's). Each FEED is one\n"
	      "transaction. A source is what a feed is about (osv:ECOSYSTEM, alpine-secdb:RELEASE/REPO,\n"
	      "debian-tracker:RELEASE, rpm-md:DISTRO): a later import about the same replaces it, and\n"
	      "says so.\n"
	      "An import writes a copy of the database and renames it into place: readers never see\n"
	      "one half done, even when it is killed.\n\n"
	      "options:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --distro KEY     the release rpm-md errata are for (amzn:2023, rocky:9, ol:8): they\n"
	      "                       do not say it, and only Amazon Linux's advisory ids tell it\n"
	      "  -j, --jobs N         import: threads reading a zip dump's records (default: the cores\n"
	      "                       but one; at most 4), beside the one storing them\n"
	      "  -f, --format FMT     info as text (default) or json\n" SHP_QUIET_HELP,
	      f);
}

/* db import and db info: argv[0] is the subcommand */
static int db_import_info(int argc, char **argv)
{
	static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
						 {"distro", required_argument, 0, 'D'},
						 {"format", required_argument, 0, 'f'},
						 {"jobs", required_argument, 0, 'j'},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	int import = !strcmp(argv[0], "import"), jobs = 0;
	_cleanup_free_ char *path = NULL;
	const char *distro = NULL;
	int json = 0, c;
	/* options may come before or after the files */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:hj:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'q': shp_set_quiet(1); break;
		case 'd':
			free(path);
			path = shp_xstrdup(optarg);
			break;
		case 'D':
			/* a distro key as shp_os_key makes them: ID:VERSION */
			if (!strchr(optarg, ':') || optarg[0] == ':' || optarg[strcspn(optarg, " \t\n,")]) {
				shp_cli_error("db: --distro \"%s\": expected ID:VERSION as os-release says "
					      "them (amzn:2023, rocky:9)",
					      optarg);
				return SHP_EXIT_USAGE;
			}
			distro = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				shp_cli_error("db: --format \"%s\": expected text or json", optarg);
				return SHP_EXIT_USAGE;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'j':
			if (!import) {
				shp_cli_error("db info: --jobs is not an option of db info");
				return SHP_EXIT_USAGE;
			}
			if (shp_cli_jobs(optarg, &jobs) < 0)
				return SHP_EXIT_USAGE;
			break;
		default: shp_cli_bad_option("db", argv[optind - 1], optopt, longopts, "f:hj:q"); return SHP_EXIT_USAGE;
		}
	}
	if (import == (optind >= argc) || (distro && !import)) {
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	if (!path)
		path = shp_vulndb_default_path();
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_vulndb *db = NULL;
	if (shp_vulndb_open(path, import, &db, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return SHP_EXIT_INPUT;
	}
	int rc = SHP_EXIT_OK, imported = 0;
	shp_vulndb_set_readers(db, jobs);
	if (import) {
		for (int i = optind; i < argc && rc == SHP_EXIT_OK; i++) {
			struct shp_import_stats st = {0};
			struct shp_feed_origin o = {.distro = distro, .complete = -1};
			if (shp_vulndb_import_from(db, argv[i], &o, &st, &err) < 0) {
				shp_cli_error("%s (nothing of it imported)", err->msg);
				rc = SHP_EXIT_INPUT;
				break;
			}
			_cleanup_buf_ struct shp_buf said = {0};
			shp_buf_printf(&said, "%s: %zu file%s, %zu vulnerabilities, %zu affected packages", argv[i],
				       st.files, st.files == 1 ? "" : "s", st.vulns, st.affected);
			if (st.skipped_files)
				shp_buf_printf(&said, "; %zu JSON file%s that are not feeds skipped", st.skipped_files,
					       st.skipped_files == 1 ? "" : "s");
			if (st.skipped)
				shp_buf_printf(&said,
					       "; %zu record%s for ecosystems that are not OS packages, or not"
					       " security errata",
					       st.skipped, st.skipped == 1 ? "" : "s");
			shp_note("%s", said.data); /* escaped, as every message */
			/* sources are what a feed is about: a feed about the same as an earlier one
			 * (a newer dump) replaces it, and it is said */
			if (st.nreplaced > st.named_replaced)
				shp_note("%s: replaces what an earlier import gave for %s and %zu more", argv[i],
					 st.replaced.data, st.nreplaced - st.named_replaced);
			else if (st.nreplaced)
				shp_note("%s: replaces what an earlier import gave for %s", argv[i], st.replaced.data);
			shp_buf_free(&st.replaced);
			imported++;
		}
		/* the feeds imported before one that failed are kept, as each is one transaction */
		shp_error_free(err);
		err = NULL;
		if (imported && shp_vulndb_commit(db, &err) < 0) {
			shp_cli_error("%s (nothing imported)", err->msg);
			rc = SHP_EXIT_INPUT;
		}
	} else {
		struct shp_buf b = {0};
		if (shp_vulndb_info(db, &b, json, &err) < 0) {
			shp_cli_error("%s", err->msg);
			rc = SHP_EXIT_INPUT;
		} else if (json)
			fputs(b.data, stdout);
		else /* source names and distributions come from the feeds: escaped line by line */
			for (char *l = b.data, *nl; *l; l = *nl ? nl + 1 : nl) {
				nl = strchrnul(l, '\n');
				shp_cli_line(stdout, "%.*s", (int)(nl - l), l);
			}
		shp_buf_free(&b);
	}
	shp_vulndb_close(db);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand */
} subcommands[] = {
	{"update", shp_cmd_db_update}, {"fetch", shp_cmd_db_update}, {"sources", shp_cmd_db_update},
	{"import", db_import_info},    {"info", db_import_info},     {"push", shp_cmd_db_share},
	{"pull", shp_cmd_db_share},
};

int shp_cmd_db(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? SHP_EXIT_USAGE : SHP_EXIT_OK;
	}
	struct shp_buf names = {0};
	const char *words[sizeof subcommands / sizeof subcommands[0]];
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (!strcmp(argv[1], subcommands[i].name)) {
			shp_buf_free(&names);
			return subcommands[i].run(argc - 1, argv + 1);
		}
		shp_buf_printf(&names, "%s%s", i ? ", " : "", subcommands[i].name);
		words[i] = subcommands[i].name;
	}
	const char *near = shp_cli_nearest(argv[1], words, sizeof words / sizeof words[0]);
	if (near)
		shp_cli_error("db: unknown subcommand \"%s\"; did you mean \"%s\"?", argv[1], near);
	else
		shp_cli_error("db: unknown subcommand \"%s\" (%s)", argv[1], names.data);
	shp_buf_free(&names);
	return SHP_EXIT_USAGE;
}
