/* cmd-db-update.c - `shipshape db update`, `db fetch --to DIR` and `db sources`: the public
 * feeds downloaded (or read from a mirror, or from a directory carried over) and imported in
 * one copy of the database, committed only when every source imported. The sources and the
 * fetching are vuln/update.c's. */
#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/xalloc.h"
#include "vuln/update.h"

#include <fnmatch.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape db update [--only NAME]... [--mirror URL | --from DIR] [--keep-going] [--db FILE]\n"
	      "       shipshape db fetch --to DIR [--only NAME]... [--mirror URL]\n"
	      "       shipshape db sources [--format text|json]\n\n"
	      "update downloads the public vulnerability feeds (db sources lists them: osv.dev's dump of\n"
	      "each ecosystem, Alpine's secdb, the Debian security tracker, Amazon Linux's errata) and\n"
	      "imports them. Each request is conditional (ETag, If-Modified-Since): a feed that has not\n"
	      "changed costs one request and no import. The database is replaced only when every source\n"
	      "imported and an integrity check passed; a source that fails is named, and the database\n"
	      "stays as it was (exit 3).\n"
	      "fetch downloads the same into DIR as HOST/PATH, to carry to a machine without network,\n"
	      "where update --from DIR imports them, or to serve as a mirror (--mirror).\n\n"
	      "options:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --only NAME      these sources only (repeatable, or a,b; patterns such as 'osv-*')\n"
	      "      --mirror URL     fetch https://HOST/PATH from URL/HOST/PATH instead (config:\n"
	      "                       db: {mirror: URL})\n"
	      "      --from DIR       read HOST/PATH under DIR instead (what db fetch --to wrote)\n"
	      "      --to DIR         db fetch: where the files go\n"
	      "      --keep-going     a source that fails is left as it was; the others are committed\n"
	      "                       (exit 0, with a warning)\n"
	      "  -j, --jobs N         update: threads reading a zip dump's records (default: the cores\n"
	      "                       but one; at most 4), beside the one storing them\n"
	      "  -f, --format FMT     db sources as text (default) or json\n"
	      "  -c, --config FILE    configuration (default .shipshape.yaml, after the user's\n"
	      "                       ~/.config/shipshape/config.yaml): db: sources: can drop\n"
	      "                       (NAME: false), re-point (NAME: {url: URL}) or add sources\n" SHP_QUIET_HELP,
	      f);
}

/* Keeps the sources that a pattern of only names (all when there is none); -1 when a
 * pattern names none. */
static int select_sources(struct shp_sources *s, char **only, size_t nonly)
{
	if (!nonly)
		return 0;
	for (size_t k = 0; k < nonly; k++) {
		int hit = 0;
		for (size_t i = 0; i < s->n && !hit; i++)
			hit = !fnmatch(only[k], s->v[i].name, 0);
		if (!hit) {
			shp_cli_error("db: --only %s: no such source (shipshape db sources lists them)", only[k]);
			return -1;
		}
	}
	struct shp_sources kept = {0};
	for (size_t i = 0; i < s->n; i++) {
		int want = 0;
		for (size_t k = 0; k < nonly && !want; k++)
			want = !fnmatch(only[k], s->v[i].name, 0);
		if (want) {
			SHP_PUSH(kept.v, kept.n, kept.cap, s->v[i]);
			memset(&s->v[i], 0, sizeof s->v[i]);
		}
	}
	shp_sources_free(s);
	*s = kept;
	return 0;
}

static void list_sources(const struct shp_sources *s, int json)
{
	struct shp_buf b = {0};
	if (json) {
		shp_buf_puts(&b, "{\"sources\":[");
		for (size_t i = 0; i < s->n; i++) {
			const struct shp_source *x = &s->v[i];
			shp_buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
			shp_buf_json_str(&b, x->name);
			shp_buf_puts(&b, ",\"kind\":");
			shp_buf_json_str(&b, shp_source_kind_name(x->kind));
			shp_buf_puts(&b, ",\"url\":");
			shp_buf_json_str(&b, x->url);
			shp_buf_printf(&b, ",\"mirror_list\":%s,\"distro\":", x->list ? "true" : "false");
			x->distro ? shp_buf_json_str(&b, x->distro) : shp_buf_puts(&b, "null");
			shp_buf_puts(&b, ",\"covers\":");
			shp_buf_json_str(&b, x->covers ? x->covers : "");
			shp_buf_puts(&b, ",\"configured\":");
			x->from ? shp_buf_json_str(&b, x->from) : shp_buf_puts(&b, "null");
			shp_buf_putc(&b, '}');
		}
		shp_buf_puts(&b, "]}\n");
		fputs(b.data, stdout);
		shp_buf_free(&b);
		return;
	}
	shp_cli_line(stdout, "%-30s %-15s %s", "source", "kind", "covers / url");
	for (size_t i = 0; i < s->n; i++) {
		const struct shp_source *x = &s->v[i];
		/* configured names and URLs are escaped, as every line */
		shp_cli_line(stdout, "%-30s %-15s %s%s%s%s", x->name, shp_source_kind_name(x->kind),
			     x->covers ? x->covers : "", x->from ? " (configured at " : "", x->from ? x->from : "",
			     x->from ? ")" : "");
		shp_cli_line(stdout, "%-46s %s%s", "", x->list ? "mirror list " : "", x->url);
	}
}

/* One subcommand's run over the selected sources; its exit code. */
static int run_update(const char *sub, const char *path, struct shp_sources *s, const struct shp_update_opts *uo,
		      int keep_going, int jobs)
{
	int fetch = !strcmp(sub, "fetch");
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_vulndb *db = NULL;
	/* read, not copied: a run where every feed is unchanged (a 304 each) writes nothing but
	 * the check's time, where a copy of a million records would cost a second */
	if (!fetch && shp_vulndb_open_update(path, &db, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return SHP_EXIT_INPUT;
	}
	if (db)
		shp_vulndb_set_readers(db, jobs);
	struct shp_updater *u = shp_updater_new(uo);
	size_t imported = 0, unchanged = 0, failed = 0;
	unsigned requests = 0;
	struct shp_buf failures = {0};
	for (size_t i = 0; i < s->n; i++) {
		const struct shp_source *x = &s->v[i];
		struct shp_update_result r;
		int rc = shp_update_source(u, db, x, i + 1 < s->n ? &s->v[i + 1] : NULL, &r, &err);
		requests += r.requests;
		if (rc < 0) {
			shp_cli_error("%s%s", err->msg,
				      fetch ? "" : " (its data in the database, if any, is kept as it was)");
			shp_error_free(err);
			err = NULL;
			shp_buf_printf(&failures, "%s%s", failures.len ? ", " : "", x->name);
			failed++;
			shp_update_result_free(&r);
			if (!keep_going && !fetch)
				break; /* nothing will be committed: the rest need not be downloaded */
			continue;
		}
		if (r.state == SHP_UPD_UNCHANGED) {
			unchanged++;
			shp_note("%s: unchanged since the last %s", x->name, uo->from ? "import" : "download");
		} else if (r.state == SHP_UPD_FETCHED) {
			imported++;
			shp_note("%s: %llu bytes from %s", x->name, (unsigned long long)r.bytes, r.url);
		} else {
			imported++;
			shp_note("%s: %zu vulnerabilities, %zu affected packages (%llu bytes from %s)", x->name,
				 r.st.vulns, r.st.affected, (unsigned long long)r.bytes, r.url);
		}
		shp_update_result_free(&r);
	}
	int rc = SHP_EXIT_OK;
	if (fetch) {
		if (failed) {
			shp_cli_error("db fetch: %zu of %zu sources failed (%s)", failed, s->n, failures.data);
			rc = SHP_EXIT_INPUT;
		}
		shp_note("db fetch: %zu fetched, %zu unchanged, into %s (%u requests)", imported, unchanged, uo->to,
			 requests);
	} else if (failed && !keep_going) {
		shp_cli_error("db update: %s failed: nothing was committed, %s is as it was (--keep-going "
			      "commits the other sources)",
			      failures.data, path);
		rc = SHP_EXIT_INPUT;
	} else if (imported && (shp_vulndb_check(db, &err) < 0 || shp_vulndb_commit(db, &err) < 0)) {
		shp_cli_error("%s (nothing committed)", err->msg);
		rc = SHP_EXIT_INPUT;
	} else {
		/* nothing imported: no copy was made and the database is not rewritten; when every
		 * source was asked and unchanged, its mtime says when (db info's "checked") */
		if (!imported && !failed && shp_vulndb_mark_checked(db, &err) < 0) {
			shp_note("warning: %s", err->msg);
			shp_error_free(err);
			err = NULL;
		}
		if (failed)
			shp_note("warning: db update: %s failed and kept %s data; the other sources were "
				 "committed",
				 failures.data, failed == 1 ? "its previous" : "their previous");
		shp_note("db update: %zu imported, %zu unchanged%s (%u requests)", imported, unchanged,
			 failed ? ", some failed" : "", requests);
	}
	shp_buf_free(&failures);
	shp_updater_free(u);
	shp_vulndb_close(db);
	return rc;
}

int shp_cmd_db_update(int argc, char **argv)
{
	enum { O_ONLY = 1, O_MIRROR, O_FROM, O_TO, O_KEEP_GOING, O_DB };
	static const struct option longopts[] = {{"db", required_argument, 0, O_DB},
						 {"only", required_argument, 0, O_ONLY},
						 {"mirror", required_argument, 0, O_MIRROR},
						 {"from", required_argument, 0, O_FROM},
						 {"to", required_argument, 0, O_TO},
						 {"keep-going", no_argument, 0, O_KEEP_GOING},
						 {"format", required_argument, 0, 'f'},
						 {"jobs", required_argument, 0, 'j'},
						 {"config", required_argument, 0, 'c'},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	const char *sub = argv[0];
	int fetch = !strcmp(sub, "fetch"), list = !strcmp(sub, "sources"), update = !fetch && !list;
	_cleanup_free_ char *path = NULL;
	const char *config = NULL;
	struct shp_update_opts uo = {0};
	int json = 0, keep_going = 0, jobs = 0, c, rc = SHP_EXIT_USAGE;
	char **only = NULL;
	size_t nonly = 0, conly = 0;
	struct shp_sources s = {0};
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	_cleanup_error_ struct shp_error *err = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:c:hj:q", longopts, NULL)) != -1) {
		/* each subcommand takes its own options only */
		int ok = c == 'h' || c == 'q' || c == 'c' || (c == 'f' && list) || (c == O_DB && update) ||
			 ((c == O_ONLY || c == O_MIRROR) && !list) ||
			 ((c == O_FROM || c == O_KEEP_GOING || c == 'j') && update) || (c == O_TO && fetch);
		if (!ok) {
			const char *name = NULL;
			for (size_t i = 0; c != '?' && c != ':' && longopts[i].name && !name; i++)
				if (longopts[i].val == c)
					name = longopts[i].name;
			if (name)
				shp_cli_error("db %s: --%s is not an option of db %s", sub, name, sub);
			else {
				_cleanup_free_ char *what = shp_asprintf("db %s", sub);
				shp_cli_bad_option(what, argv[optind - 1], optopt, longopts, "f:c:hj:q");
			}
			goto out;
		}
		switch (c) {
		case 'h':
			usage(stdout);
			rc = SHP_EXIT_OK;
			goto out;
		case 'q': shp_set_quiet(1); break;
		case 'c': config = optarg; break;
		case 'j':
			if (shp_cli_jobs(optarg, &jobs) < 0)
				goto out;
			break;
		case O_DB:
			free(path);
			path = shp_xstrdup(optarg);
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				shp_cli_error("db sources: --format \"%s\": expected text or json", optarg);
				goto out;
			}
			json = !strcmp(optarg, "json");
			break;
		case O_ONLY: {
			_cleanup_free_ char *copy = shp_xstrdup(optarg);
			char *save = NULL;
			for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
				SHP_PUSH(only, nonly, conly, shp_xstrdup(t));
			break;
		}
		case O_MIRROR: uo.mirror = optarg; break;
		case O_FROM: uo.from = optarg; break;
		case O_TO: uo.to = optarg; break;
		case O_KEEP_GOING: keep_going = 1; break;
		}
	}
	if (optind < argc) {
		shp_cli_error("db %s: unexpected argument \"%s\" (sources are chosen with --only)", sub, argv[optind]);
		goto out;
	}
	if (fetch && !uo.to) {
		shp_cli_error("db fetch: --to DIR is needed (where the files go)");
		goto out;
	}
	if (uo.from && uo.mirror) {
		shp_cli_error("db update: --from or --mirror, not both");
		goto out;
	}
	if (uo.mirror && strncmp(uo.mirror, "http://", 7) && strncmp(uo.mirror, "https://", 8)) {
		shp_cli_error("db %s: --mirror \"%s\": expected an http(s) URL", sub, uo.mirror);
		goto out;
	}
	shp_sources_default(&s);
	if (shp_config_load_user(&cfg, &err) < 0 ||
	    (config ? shp_config_load(&cfg, config, &err) : shp_config_load_default(&cfg, 1, &err)) < 0 ||
	    shp_sources_configure(&s, &cfg, &err) < 0) {
		shp_cli_error("%s", err->msg);
		rc = SHP_EXIT_INPUT;
		goto out;
	}
	if (!uo.mirror && !uo.from)
		uo.mirror = cfg.db_mirror; /* the configuration's, checked when read */
	if (select_sources(&s, only, nonly) < 0)
		goto out;
	if (list) {
		list_sources(&s, json);
		rc = SHP_EXIT_OK;
		goto out;
	}
	if (!path)
		path = shp_vulndb_default_path();
	rc = run_update(sub, path, &s, &uo, keep_going, jobs);
out:
	for (size_t i = 0; i < nonly; i++)
		free(only[i]);
	free(only);
	shp_sources_free(&s);
	shp_config_free(&cfg);
	return rc;
}
