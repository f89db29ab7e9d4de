/* vulndb.h - the local vulnerability database: public feeds imported once into an SQLite
 * file, then matched offline against installed packages.
 *
 * Feeds (told by content): OSV JSON records (single files, directories, JSON arrays and the
 * per-ecosystem zip dumps), Alpine secdb JSON, the Debian security tracker's JSON. Imports
 * write a copy of the database next to it (path.import, one import at a time under
 * path.lock) that shp_vulndb_commit renames into place: a reader sees the database before or
 * after, never during, even when the importer is killed. Each feed is one transaction in it.
 *
 * The model: a vulnerability (id, aliases, summary, severity, CVSS) and its affected rows,
 * each (distro key, package, range introduced..fixed or last_affected, state). Distro keys
 * are those of shp_os_key: "debian:12", "alpine:3.18", "ubuntu:22.04", "rocky:8"; language
 * ecosystems are keyed "npm", "pypi", "golang" and "maven", for every distro (PyPI names in PEP 503's
 * form). */
#pragma once
#include "pkg/pkg.h"
#include "rules/rule.h"
#include "util/buf.h"
#include "util/error.h"

#include <stddef.h>

struct shp_vulndb;

/* The schema a database of this shipshape has (meta's "schema"); another is refused. */
#define SHP_VULNDB_SCHEMA "6"

/* Where the database lives by default: $SHIPSHAPE_DB, else $XDG_CACHE_HOME/shipshape/vuln.db,
 * else ~/.cache/shipshape/vuln.db. Caller frees. */
char *shp_vulndb_default_path(void);
/* Opens the database at path to read, or (create) to import into: a copy of it, or a new
 * one (its directory made if missing), that nobody reads until shp_vulndb_commit. A file
 * that is not a database of ours is refused, and never replaced. ":memory:" is written in
 * place. */
int shp_vulndb_open(const char *path, int create, struct shp_vulndb **out, struct shp_error **err);
/* Opens the database at path for db update: path's lock taken (held to the close, as an
 * import's) and the database opened to read, its feeds' validators asked about before
 * anything is copied; shp_vulndb_writable makes the copy when a feed has changed. A missing
 * database is made as shp_vulndb_open makes it. */
int shp_vulndb_open_update(const char *path, struct shp_vulndb **out, struct shp_error **err);
/* Makes db (of shp_vulndb_open_update) an import's copy, the database's bytes copied (under
 * its lock); nothing when it is one already. */
int shp_vulndb_writable(struct shp_vulndb *db, struct shp_error **err);
/* Records that an update found every feed unchanged without rewriting the database: its
 * file's mtime is set to now, which is what db info shows as "checked" (the file is written,
 * and renamed into place, only by an import, which also sets it). Nothing for a copy. */
int shp_vulndb_mark_checked(struct shp_vulndb *db, struct shp_error **err);
/* Takes path's lock, the one imports, updates and pulls replace the database under (one at a
 * time), waiting for it: the descriptor to close to release it, and in *real (caller frees)
 * the file to replace (a symlink's target: the link is kept). -1 with err. */
int shp_vulndb_lock(const char *path, char **real, struct shp_error **err);
/* Renames an import's copy over the database, synced; nothing for a database opened to read. */
int shp_vulndb_commit(struct shp_vulndb *db, struct shp_error **err);
/* Closes db; an import not committed is thrown away. */
void shp_vulndb_close(struct shp_vulndb *db);
/* The threads an import of db reads a dump's records on (db import -j); 0, the default:
 * one per core but the one that stores them. At most 4. */
void shp_vulndb_set_readers(struct shp_vulndb *db, int n);

struct shp_import_stats {
	size_t files, vulns, affected;
	size_t sources;	      /* the sources the feed gave rows to */
	size_t skipped;	      /* records for ecosystems we do not match */
	size_t skipped_files; /* JSON files in a directory that are not feeds */
	/* the sources that held what an earlier run of db import put there, which this feed
	 * replaced: how many, and the names of the first few (", "-separated; caller frees) */
	size_t nreplaced, named_replaced;
	struct shp_buf replaced;
};
/* Imports every feed under path (a file, a zip, or a directory walked recursively) in one
 * transaction. Sources are told by content: OSV records by the ecosystem osv.dev dumps them by ("osv:Debian",
 * "osv:npm"), Alpine secdb files by release and repository ("alpine-secdb:v3.18/main"), the
 * Debian tracker by release ("debian-tracker:bookworm"); the first feed of a run of db
 * import (one db handle) to give rows for a source replaces what it held. An error names the
 * file (and the JSON place) and rolls the feed back. */
int shp_vulndb_import(struct shp_vulndb *db, const char *path, struct shp_import_stats *st, struct shp_error **err);
/* Where a feed came from, recorded with what it gave (table feeds; its sources name it). */
struct shp_feed_origin {
	const char *feed;		  /* the feed's name (a db update source's), or NULL: the path */
	const char *url;		  /* where it was fetched from, or NULL */
	const char *etag, *last_modified; /* the server's validators, for the next conditional
					   * request, or NULL */
	const char *sha256;		  /* hex of the bytes imported, or NULL */
	long long fetched;		  /* unix time; 0: now */
	long long modified;		  /* the feed's own date (Last-Modified, a file's mtime), 0:
					   * unknown (a path's mtime is taken) */
	long long bytes;		  /* its size, 0 unknown */
	const char *distro;		  /* the distro key a feed that does not name its release is
					   * for ("amzn:2023": rpm-md errata), or NULL */
	int complete;			  /* 1: every record of what it is about (a dump of an
					   * ecosystem, a secdb branch, the tracker); 0: a few
					   * records; -1: told by content */
};
/* shp_vulndb_import, recording where the feed came from (o NULL: a local path, told by
 * content). */
int shp_vulndb_import_from(struct shp_vulndb *db, const char *path, const struct shp_feed_origin *o,
			   struct shp_import_stats *st, struct shp_error **err);
/* The same for one JSON document in memory. */
int shp_vulndb_import_buffer(struct shp_vulndb *db, const char *data, size_t len, struct shp_import_stats *st,
			     struct shp_error **err);

/* What the database holds of feed name: 1 and *out (free with shp_feed_row_free), 0 if it
 * has none, -1 with err. */
struct shp_feed_row {
	char *url, *etag, *last_modified, *sha256;
	long long fetched, modified, bytes;
};
int shp_vulndb_feed(struct shp_vulndb *db, const char *name, struct shp_feed_row *out, struct shp_error **err);
void shp_feed_row_free(struct shp_feed_row *r);
/* SQLite's quick_check of the database (an import's copy before it is committed). */
int shp_vulndb_check(struct shp_vulndb *db, struct shp_error **err);

/* One line per source (its name as above): its feed, records, when the feed was fetched and
 * how old its data is, whole or partial; then one per feed (URL, ETag, sha256, bytes) and
 * totals. As JSON, the same in members. */
int shp_vulndb_info(struct shp_vulndb *db, struct shp_buf *out, int json, struct shp_error **err);

/* A source as coverage tells it. */
struct shp_vuln_source {
	char *name;	    /* "osv:Debian" */
	int complete;	    /* from a whole feed (else single records) */
	long long modified; /* the data's own date: its newest record's, else its feed's (unix
			     * time); the import's when neither is known */
	long long vulns;    /* records it holds */
};
/* What the database holds for one distro key ("debian:12") or language ecosystem ("pypi"). */
struct shp_vuln_coverage {
	char *key;
	struct shp_vuln_source *src; /* the sources with rows for it, by name */
	size_t n;
	int covered;	    /* a whole feed has rows for it */
	int partial;	    /* rows only from single records: not covered */
	long long modified; /* the oldest of its sources' dates, 0 without sources */
	const char *oldest; /* the source of that date (in src), or NULL */
};
/* Fills *out for key (the caller frees it with shp_vuln_coverage_free). */
int shp_vulndb_coverage(struct shp_vulndb *db, const char *key, struct shp_vuln_coverage *out, struct shp_error **err);
void shp_vuln_coverage_free(struct shp_vuln_coverage *c);

enum shp_vuln_state { SHP_VS_FIXED, SHP_VS_UNFIXED, SHP_VS_WONTFIX };

struct shp_vuln_match {
	const struct shp_pkg *pkg;
	char *id;      /* CVE-..., DSA-..., GHSA-... */
	char *aliases; /* comma-separated, or NULL */
	char *summary; /* or NULL */
	char *fixed;   /* fixed version, or NULL */
	char *matched; /* the package name the feed used (the source package, often) */
	enum shp_vuln_state state;
	enum shp_severity severity;
	int severity_known; /* 0: no feed gave one (reported as medium) */
	double cvss;	    /* 0 if none */
	char *source;	    /* which feed gave the fix (or the match) */
	char *sources;	    /* every feed that reported it, comma-separated, or NULL */
};

struct shp_vuln_matches {
	struct shp_vuln_match *v;
	size_t n, cap;
	int os_covered; /* a whole feed has rows for this distro (partial data is not) */
	const char *os_key;
	size_t os_pkgs;			  /* installed packages of the OS (not hidden, not language) */
	unsigned lang_seen, lang_covered; /* 1 << type of the language packages found, and of those
					   * whose ecosystem a whole feed has rows for */
	size_t no_feed[SHP_PKG_NTYPES];	  /* packages of a language ecosystem no feed has (no OSV
					   * name: conda): never matched */
	/* what the database holds for the OS (first, when its key is known) and for each
	 * language ecosystem found that a feed has, in the order found */
	struct shp_vuln_coverage *cov;
	size_t ncov, ccov;
	size_t owned; /* language packages that came with an OS package (shp_pkg.owner): matched
		       * through it, not through their ecosystem's feed */
};
/* The coverage of key in m, or NULL. */
const struct shp_vuln_coverage *shp_vuln_matches_coverage(const struct shp_vuln_matches *m, const char *key);

/* Matches pkgs of os against the database: one match per vulnerability and installed
 * package, whatever the number of feeds and names it is told under (its id the CVE when it
 * has one, the others its aliases); a language package that came with an OS package
 * (shp_pkg.owner) is not matched (its OS package is). */
/* jobs: the threads that match at most (0: one per core), each with a connection of its own. */
int shp_vulndb_match(struct shp_vulndb *db, const struct shp_os *os, const struct shp_pkgs *pkgs, int jobs,
		     struct shp_vuln_matches *out, struct shp_error **err);
void shp_vuln_matches_free(struct shp_vuln_matches *m);

/* OSV ecosystem ("Debian:12", "Alpine:v3.18", "Ubuntu:22.04:LTS", "Rocky Linux:8") -> type
 * and distro key (malloc'd); -1 for ecosystems that are not OS packages we read. */
int shp_osv_ecosystem(const char *eco, enum shp_pkg_type *type, char **distro);
/* OSV's name of a language package type's ecosystem ("npm", "PyPI"); NULL for OS types. */
const char *shp_osv_lang_ecosystem(enum shp_pkg_type type);
/* CVSS v3.x base score of a vector ("CVSS:3.1/AV:N/AC:L/..."), or -1 if it is not one. */
double shp_cvss3_score(const char *vector);
enum shp_severity shp_severity_of_cvss(double score);
