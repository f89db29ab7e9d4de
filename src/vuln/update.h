/* update.h - where `db update` gets vulnerability data: a table of sources (public feeds, each
 * a URL and what it covers) that .shipshape.yaml can drop, re-point or add to; each fetched
 * over HTTP with conditional requests and the registry client's retries, or from a mirror
 * (URL/HOST/PATH), or from a directory in that layout, and imported into one copy of the
 * database that the caller commits only when every source imported.
 *
 * The mirror layout: a source at https://HOST/PATH is HOST/PATH under the mirror's URL, and
 * HOST/PATH (percent-decoded, as a static web server maps it) under a directory. */
#pragma once
#include "config/config.h"
#include "util/error.h"
#include "vuln/vulndb.h"

#include <stdint.h>

/* Sanity limit: the bytes of one download (osv.dev's largest dump, Debian's, is some hundreds
 * of MB; SHIPSHAPE_FEED_MAX_BYTES lowers it, for tests). Over it, the source fails. */
#define SHP_FEED_MAX_DOWNLOAD (4ull << 30)
/* Sanity limit: a mirror list or a repomd.xml, read whole. */
#define SHP_FEED_MAX_INDEX (16u << 20)

enum shp_source_kind {
	SHP_SRC_OSV,		/* osv.dev's per-ecosystem all.zip (or OSV JSON) */
	SHP_SRC_ALPINE_SECDB,	/* Alpine secdb JSON of one branch and repository */
	SHP_SRC_DEBIAN_TRACKER, /* the Debian security tracker's JSON */
	SHP_SRC_RPM_MD,		/* an rpm-md repository: its repodata/repomd.xml names updateinfo */
	SHP_SRC_NKINDS
};

struct shp_source {
	char *name; /* "osv-debian", "alpine-secdb-3.20-main" */
	enum shp_source_kind kind;
	char *url;    /* the feed; rpm-md: the repository's base URL, or its mirror list */
	int list;     /* rpm-md: url is a mirror list whose first line is the base URL */
	char *distro; /* rpm-md: the distro key its errata are for ("amzn:2023"), else NULL */
	char *covers; /* what it covers, for people */
	char *from;   /* NULL for a default; else where it was added or re-pointed ("FILE:LINE") */
};

struct shp_sources {
	struct shp_source *v;
	size_t n, cap;
};

const char *shp_source_kind_name(enum shp_source_kind k);
/* The kind named ("osv", "alpine-secdb", "debian-tracker", "rpm-md"); -1 if none. */
int shp_source_kind_parse(const char *name);
/* The default sources, in order. */
void shp_sources_default(struct shp_sources *out);
/* Applies the configuration's db: sources: (drops, new URLs, new sources) to s; -1 with err
 * (exit 3) naming the file and line of an entry that is wrong. */
int shp_sources_configure(struct shp_sources *s, const struct shp_config *cfg, struct shp_error **err);
/* The source named, or NULL. */
const struct shp_source *shp_sources_find(const struct shp_sources *s, const char *name);
void shp_sources_free(struct shp_sources *s);

/* The mirror path of an http(s) URL: "HOST[:PORT]/PATH", percent-decoded, for a directory;
 * NULL (with err, exit 3) for a URL that has none (no host, a query, "..", a NUL or '/'
 * escaped in a segment). Caller frees. */
char *shp_mirror_path(const char *url, struct shp_error **err);
/* The URL of url on mirror: mirror (its trailing '/' dropped), '/', HOST/PATH as url writes
 * it (still escaped). NULL with err as above. Caller frees. */
char *shp_mirror_url(const char *mirror, const char *url, struct shp_error **err);

/* How sources are reached. */
struct shp_update_opts {
	const char *mirror; /* --mirror URL, or NULL */
	const char *from;   /* --from DIR: read the mirror layout there, no network */
	const char *to;	    /* db fetch --to DIR: write the mirror layout there, import nothing */
};

/* What became of one source. */
enum shp_update_state { SHP_UPD_UNCHANGED, SHP_UPD_IMPORTED, SHP_UPD_FETCHED };
struct shp_update_result {
	enum shp_update_state state;
	unsigned requests; /* HTTP requests made (retries included) */
	uint64_t bytes;	   /* what was downloaded or read */
	char *url;	   /* the feed's URL (an rpm-md repository's updateinfo) */
	struct shp_import_stats st;
};
void shp_update_result_free(struct shp_update_result *r);

struct shp_updater;
/* Caller frees with shp_updater_free; o's strings must outlive it. */
struct shp_updater *shp_updater_new(const struct shp_update_opts *o);
void shp_updater_free(struct shp_updater *u);
/* Brings source src into db (of shp_vulndb_open_update; NULL with o->to): fetched
 * (conditionally: an unchanged feed is a 304, or the same sha256 from --from, and nothing is
 * written), checked to be what its kind says, and imported into db's copy (made now if it is
 * the first new feed) in one transaction that replaces what it gave before. -1 with err
 * naming the source and the URL; db holds what it held. next, the source the caller brings
 * in after src (or NULL), is fetched on another thread while src is imported. */
int shp_update_source(struct shp_updater *u, struct shp_vulndb *db, const struct shp_source *src,
		      const struct shp_source *next, struct shp_update_result *res, struct shp_error **err);
