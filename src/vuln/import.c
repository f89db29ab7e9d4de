/* import.c - reading vulnerability feeds into the database (see vulndb.h). Formats are told
 * by content:
 *
 *   OSV          {"id", "affected": [{"package": {"ecosystem", "name"}, "ranges": [{"type":
 *                "ECOSYSTEM", "events": [{"introduced"}, {"fixed"} | {"last_affected"}]}],
 *                "versions"}], "aliases", "severity": [{"type", "score"}]}; or an array of them
 *   Alpine       {"distroversion": "v3.11", "packages": [{"pkg": {"name", "secfixes":
 *                {"1.2-r0": ["CVE-..."], "0": [not affected]}}}]}
 *   Debian       {"pkg": {"CVE-...": {"description", "releases": {"bookworm": {"status":
 *                "resolved|open|undetermined", "fixed_version", "urgency", "nodsa_reason"}}}}}
 *   rpm-md       an rpm repository's errata, repodata/updateinfo.xml (Amazon Linux, Rocky,
 *                AlmaLinux, Oracle Linux), plain or compressed: see rpmmd.h
 *
 * A zip holds OSV records (osv.dev's per-ecosystem all.zip); a directory is walked.
 *
 * A source is what a feed is about, told by its content, not by its file's name (osv.dev
 * names every ecosystem's dump all.zip): OSV records by the ecosystem osv.dev dumps them by
 * ("osv:Alpine" for Alpine:v3.18 and the other branches, "osv:npm"), a secdb file by release
 * and repository ("alpine-secdb:v3.18/main"), the Debian tracker by release
 * ("debian-tracker:bookworm"), errata by the release they are for ("rpm-md:amzn:2023": the
 * origin's distro, else told by the advisories' ids). The first time one run of db import
 * gives rows for a source, what an earlier import put there is removed: the import replaces
 * it, and says so. Sources the import does not speak of stay. */
#include "util/arena.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "util/zip.h"
#include "vuln/internal.h"
#include "vuln/rpmmd.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Sanity limit: bytes of one feed file (the Debian tracker's JSON is about 80 MB). */
#define FEED_MAX_BYTES (1024u << 20)
/* Sanity limit: vulnerability records one import (one feed) may add (osv.dev's largest dump
 * holds some hundred thousand; the Debian tracker, a record per CVE and release, about a
 * million). Over it, the feed fails, naming it, and is rolled back: a runaway feed stops
 * before it fills the disk. SHIPSHAPE_FEED_MAX_RECORDS lowers it, for tests. */
#define SHP_FEED_MAX_RECORDS 20000000ull
/* Sanity limit: bytes of a source's name ("osv:" and an ecosystem a feed names): longer
 * ones are cut (they are not an ecosystem we match). */
#define SOURCE_NAME_MAX 128
/* Sources named on stderr as replaced by one feed (the rest are counted). */
#define REPLACED_NAMED 8

/* A source this feed gave rows to, and the number its next row takes (SHP_VULNDB_ROW). */
struct fed_source {
	long long id, next;
};

/* How many affected rows this feed gave a source for one distro (table source_distros). */
struct fed_distro {
	long long source, rows;
	char *distro;
};

/* The packages rows were written for, by distro, type and name: their numbers in table
 * packages, looked up once per feed, not once per row. */
struct pkg_slot {
	uint64_t hash;
	long long id;
	char *key; /* distro, NUL, name */
	enum shp_pkg_type type;
};
struct pkg_map {
	struct pkg_slot *v;
	size_t n, cap; /* cap a power of two, kept at most half full */
	struct shp_arena A;
};

struct importer {
	struct shp_vulndb *db;
	struct shp_buf *rec; /* a reader thread's: what the rows would be, written down (zip_op) */
	const char *distro;  /* the release the feed is for when it does not say (rpm-md), or NULL */
	sqlite3_stmt *ins_vuln, *ins_name, *ins_aff, *find_src, *ins_src, *touch, *touch_feed, *find_pkg, *ins_pkg;
	int loose_osv;			       /* OSV records were read from a JSON file, not a dump: a few, not all */
	long long source;		       /* where rows go now: */
	char source_name[SOURCE_NAME_MAX + 1]; /* its name ("" before the first) */
	struct fed_source *fed, *cur;	       /* the sources this feed gave rows to; source's */
	size_t nfed, fed_cap;
	struct fed_distro *fd; /* rows per source and distro */
	size_t nfd, fd_cap, last_fd;
	struct pkg_map pkgs;
	struct shp_import_stats *st;
	const char *feed;			 /* the feed's name (or path), for errors */
	unsigned long long records, max_records; /* added by this import, and how many may be */
	/* the vulns row add_vuln wrote last, and its record's id and source: the affected rows
	 * of that record that follow carry its number (affected.vrow) */
	long long vrow, vrow_source;
	char vrow_id[64];
};

/* SHP_FEED_MAX_RECORDS, or lower: SHIPSHAPE_FEED_MAX_RECORDS only lowers it */
static unsigned long long max_records(void)
{
	const char *e = getenv("SHIPSHAPE_FEED_MAX_RECORDS");
	char *end;
	unsigned long long v = e && *e ? strtoull(e, &end, 10) : 0;
	return v && !*end && v < SHP_FEED_MAX_RECORDS ? v : SHP_FEED_MAX_RECORDS;
}

static int sev_from_word(const char *w)
{
	if (!w)
		return -1;
	char b[32];
	size_t n = 0;
	for (; *w && n + 1 < sizeof b; w++)
		if (*w != '*')
			b[n++] = (char)tolower((unsigned char)*w);
	b[n] = 0;
	if (!strcmp(b, "critical"))
		return SHP_SEV_CRITICAL;
	if (!strcmp(b, "high") || !strcmp(b, "important"))
		return SHP_SEV_HIGH;
	if (!strcmp(b, "medium") || !strcmp(b, "moderate"))
		return SHP_SEV_MEDIUM;
	if (!strcmp(b, "low") || !strcmp(b, "negligible") || !strcmp(b, "unimportant"))
		return SHP_SEV_LOW;
	return -1; /* "not yet assigned", "end-of-life", "unknown" */
}

/* ---- rows ----------------------------------------------------------------------------- */

/* What a record read on another thread asks of the database (import_zip): a byte, then its
 * strings (a byte 0 for NULL, else 1 and the string with its NUL) and numbers as they are. */
enum zip_op { ZIP_SOURCE = 1, ZIP_VULN, ZIP_AFFECTED };

static void rec_op(struct shp_buf *b, enum zip_op op) { shp_buf_putc(b, (char)op); }

static void rec_str(struct shp_buf *b, const char *s)
{
	shp_buf_putc(b, s ? 1 : 0);
	if (s)
		shp_buf_add(b, s, strlen(s) + 1);
}

static void rec_num(struct shp_buf *b, const void *p, size_t n) { shp_buf_add(b, p, n); }

static const char *read_str(const char **p)
{
	if (!*(*p)++)
		return NULL;
	const char *s = *p;
	*p += strlen(s) + 1;
	return s;
}

static int step(struct importer *im, sqlite3_stmt *q, struct shp_error **err)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
	return 0;
}

/* Sends the rows that follow to the source kind:what (what as the feed gives it; NULL for
 * records that name none). A source that held rows before this run of db import touched it
 * is emptied first, and named in the stats as replaced. */
static int use_source(struct importer *im, const char *kind, const char *what, struct shp_error **err)
{
	char name[SOURCE_NAME_MAX + 1];
	int n = snprintf(name, sizeof name, "%s%s%s", kind, what ? ":" : "", what ? what : "");
	/* a feed's text goes into db info's lines: printable ASCII only */
	for (int i = 0; i < n && name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
			name[i] = '?';
	if (!strcmp(name, im->source_name))
		return 0;
	if (im->rec) {
		rec_op(im->rec, ZIP_SOURCE);
		rec_str(im->rec, kind);
		rec_str(im->rec, what);
		memcpy(im->source_name, name, sizeof name);
		im->source++; /* another source: import_osv compares them */
		return 0;
	}
	sqlite3_stmt *q = im->find_src;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	int found = 0, had = 0, rc = sqlite3_step(q);
	long long next = 0;
	if (rc == SQLITE_ROW) {
		found = 1;
		im->source = sqlite3_column_int64(q, 0);
		had = sqlite3_column_int64(q, 1) > 0 || sqlite3_column_int64(q, 2) > 0;
		next = sqlite3_column_int64(q, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && !found) {
		q = im->ins_src;
		sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			im->source = sqlite3_column_int64(q, 0);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(q);
	}
	if (rc != SQLITE_DONE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
	sqlite3_bind_int64(im->touch, 1, im->source);
	if (step(im, im->touch, err) < 0)
		return -1;
	if (sqlite3_changes(im->db->db) == 1 && had) { /* first touched by this run: replaced */
		/* its rows are one range of numbers; its affected rows are looked for under the
		 * packages of its distros, not through the whole table */
		long long lo = SHP_VULNDB_ROW(im->source, 0), hi = SHP_VULNDB_ROW(im->source + 1, 0);
		char sql[768];
		snprintf(sql, sizeof sql,
			 "DELETE FROM affected WHERE package IN (SELECT p.id FROM packages p JOIN source_distros d"
			 " ON p.distro = d.distro WHERE d.source = %lld) AND row >= %lld AND row < %lld;"
			 " DELETE FROM vulns WHERE rowid >= %lld AND rowid < %lld;"
			 " DELETE FROM names WHERE source = %lld; DELETE FROM source_distros WHERE source = %lld;",
			 im->source, lo, hi, lo, hi, im->source, im->source);
		if (shp_vulndb_exec(im->db, sql, err) < 0)
			return -1;
		next = 0;
		if (im->st->nreplaced++ < REPLACED_NAMED) {
			shp_buf_printf(&im->st->replaced, "%s%s", im->st->replaced.len ? ", " : "", name);
			im->st->named_replaced++;
		}
	}
	sqlite3_bind_int64(im->touch_feed, 1, im->source);
	if (step(im, im->touch_feed, err) < 0)
		return -1;
	memcpy(im->source_name, name, sizeof name);
	/* where its rows' numbers go on: this feed's count if it gave rows before, else the
	 * database's */
	im->cur = NULL;
	for (size_t i = 0; i < im->nfed && !im->cur; i++)
		if (im->fed[i].id == im->source)
			im->cur = &im->fed[i];
	if (!im->cur) {
		SHP_PUSH(im->fed, im->nfed, im->fed_cap, ((struct fed_source){im->source, next}));
		im->cur = &im->fed[im->nfed - 1];
	}
	return 0;
}

static uint64_t pkg_hash(const char *distro, enum shp_pkg_type type, const char *name)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)type; /* FNV-1a */
	for (const char *p = distro;; p++) {
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
		if (!*p)
			break;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

/* The number of the package distro/type/name in table packages, added when new. */
static long long package_id(struct importer *im, const char *distro, enum shp_pkg_type type, const char *name,
			    struct shp_error **err)
{
	struct pkg_map *m = &im->pkgs;
	uint64_t h = pkg_hash(distro, type, name);
	size_t i = 0;
	if (m->cap) {
		for (i = h & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1))
			if (m->v[i].hash == h && m->v[i].type == type && !strcmp(m->v[i].key, distro) &&
			    !strcmp(m->v[i].key + strlen(m->v[i].key) + 1, name))
				return m->v[i].id;
	}
	long long id = -1;
	sqlite3_stmt *q = im->find_pkg;
	sqlite3_bind_text(q, 1, distro, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, (int)type);
	sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && id < 0) {
		q = im->ins_pkg;
		sqlite3_bind_text(q, 1, distro, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, (int)type);
		sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
		if (step(im, q, err) < 0)
			return -1;
		id = sqlite3_last_insert_rowid(im->db->db);
	}
	if (rc != SQLITE_DONE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
	if (2 * (m->n + 1) > m->cap) { /* grow, and place every slot again */
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct pkg_slot *v = shp_xcalloc(cap, sizeof *v);
		for (size_t k = 0; k < m->cap; k++) {
			if (!m->v[k].key)
				continue;
			size_t j = m->v[k].hash & (cap - 1);
			while (v[j].key)
				j = (j + 1) & (cap - 1);
			v[j] = m->v[k];
		}
		free(m->v);
		m->v = v;
		m->cap = cap;
		for (i = h & (cap - 1); m->v[i].key; i = (i + 1) & (cap - 1))
			;
	}
	size_t dl = strlen(distro), nl = strlen(name);
	char *key = shp_arena_alloc(&m->A, dl + nl + 2);
	memcpy(key, distro, dl + 1);
	memcpy(key + dl + 1, name, nl + 1);
	m->v[i] = (struct pkg_slot){.hash = h, .id = id, .key = key, .type = type};
	m->n++;
	return id;
}

/* Counts a row of the current source for distro (table source_distros). */
static void count_distro(struct importer *im, const char *distro)
{
	struct fed_distro *d = im->nfd ? &im->fd[im->last_fd] : NULL;
	if (!d || d->source != im->source || strcmp(d->distro, distro)) {
		d = NULL;
		for (size_t i = 0; i < im->nfd && !d; i++)
			if (im->fd[i].source == im->source && !strcmp(im->fd[i].distro, distro)) {
				d = &im->fd[i];
				im->last_fd = i;
			}
		if (!d) {
			SHP_PUSH(im->fd, im->nfd, im->fd_cap,
				 ((struct fed_distro){.source = im->source, .distro = shp_xstrdup(distro)}));
			im->last_fd = im->nfd - 1;
			d = &im->fd[im->last_fd];
		}
	}
	d->rows++;
}

static int add_vuln(struct importer *im, const char *id, const char *aliases, const char *summary, int sev, double cvss,
		    const char *modified, struct shp_error **err)
{
	if (im->rec) {
		rec_op(im->rec, ZIP_VULN);
		rec_str(im->rec, id);
		rec_str(im->rec, aliases);
		rec_str(im->rec, summary);
		rec_str(im->rec, modified);
		rec_num(im->rec, &sev, sizeof sev);
		rec_num(im->rec, &cvss, sizeof cvss);
		return 0;
	}
	if (++im->records > im->max_records)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: more than %llu vulnerability records, more than a feed may have "
				     "(SHP_FEED_MAX_RECORDS)",
				     im->feed, im->max_records);
	sqlite3_stmt *q = im->ins_vuln;
	sqlite3_bind_int64(q, 1, SHP_VULNDB_ROW(im->source, im->cur->next++));
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, im->source);
	aliases ? sqlite3_bind_text(q, 4, aliases, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 4);
	summary ? sqlite3_bind_text(q, 5, summary, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 5);
	sqlite3_bind_int(q, 6, sev);
	sqlite3_bind_double(q, 7, cvss);
	modified ? sqlite3_bind_text(q, 8, modified, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 8);
	if (step(im, q, err) < 0)
		return -1;
	im->st->vulns++;
	size_t idn = strlen(id);
	im->vrow = idn < sizeof im->vrow_id ? sqlite3_last_insert_rowid(im->db->db) : 0;
	im->vrow_source = im->source;
	if (im->vrow)
		memcpy(im->vrow_id, id, idn + 1);
	/* each alias names it (its id is in vulns) */
	for (const char *t = aliases; t && *t;) {
		size_t n = strcspn(t, ",");
		if (n) {
			sqlite3_bind_text(im->ins_name, 1, t, (int)n, SQLITE_STATIC);
			sqlite3_bind_text(im->ins_name, 2, id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(im->ins_name, 3, im->source);
			if (step(im, im->ins_name, err) < 0)
				return -1;
		}
		t += n + (t[n] == ',');
	}
	return 0;
}

static int add_affected(struct importer *im, const char *id, const char *distro, enum shp_pkg_type type,
			const char *pkg, const char *intro, const char *fixed, const char *last,
			enum shp_vuln_state state, int sev, struct shp_error **err)
{
	if (im->rec) {
		rec_op(im->rec, ZIP_AFFECTED);
		const char *text[] = {id, distro, pkg, intro, fixed, last};
		for (size_t i = 0; i < sizeof text / sizeof *text; i++)
			rec_str(im->rec, text[i]);
		int nums[] = {(int)type, (int)state, sev};
		rec_num(im->rec, nums, sizeof nums);
		return 0;
	}
	long long package = package_id(im, distro, type, pkg, err);
	if (package < 0)
		return -1;
	sqlite3_stmt *q = im->ins_aff;
	sqlite3_bind_int64(q, 1, package);
	sqlite3_bind_int64(q, 2, SHP_VULNDB_ROW(im->source, im->cur->next++));
	sqlite3_bind_int64(q, 3, im->source);
	sqlite3_bind_text(q, 4, id, -1, SQLITE_STATIC);
	intro &&strcmp(intro, "0") ? sqlite3_bind_text(q, 5, intro, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 5);
	fixed ? sqlite3_bind_text(q, 6, fixed, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 6);
	last ? sqlite3_bind_text(q, 7, last, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 7);
	sqlite3_bind_int(q, 8, (int)state);
	sqlite3_bind_int(q, 9, sev);
	sqlite3_bind_int64(q, 10, im->vrow && im->vrow_source == im->source && !strcmp(id, im->vrow_id) ? im->vrow : 0);
	if (step(im, q, err) < 0)
		return -1;
	count_distro(im, distro);
	im->st->affected++;
	return 0;
}

/* ---- OSV ------------------------------------------------------------------------------ */

/* The language ecosystems are the table's (their OSV name, e.g. "PyPI"); their distro key
 * is the type's name. */
const char *shp_osv_lang_ecosystem(enum shp_pkg_type type) { return SHP_PKG_IS_LANG(type) ? shp_eco(type)->osv : NULL; }

int shp_osv_ecosystem(const char *eco, enum shp_pkg_type *type, char **distro)
{
	static const struct {
		const char *prefix, *id;
		enum shp_pkg_type type;
	} map[] = {
		{"Debian", "debian", SHP_PKG_DEB},	    {"Ubuntu", "ubuntu", SHP_PKG_DEB},
		{"Alpine", "alpine", SHP_PKG_APK},	    {"Wolfi", "wolfi", SHP_PKG_APK},
		{"Chainguard", "chainguard", SHP_PKG_APK},  {"Rocky Linux", "rocky", SHP_PKG_RPM},
		{"AlmaLinux", "almalinux", SHP_PKG_RPM},    {"Red Hat", "rhel", SHP_PKG_RPM},
		{"openSUSE", "opensuse-leap", SHP_PKG_RPM}, {"SUSE", "sles", SHP_PKG_RPM},
		{"Mageia", "mageia", SHP_PKG_RPM},	    {"Photon OS", "photon", SHP_PKG_RPM},
	};
	if (!eco)
		return -1;
	/* language ecosystems are one key each, whatever the distro */
	int lang = shp_eco_by_osv(eco);
	if (lang >= 0 && SHP_PKG_IS_LANG(lang)) {
		*type = (enum shp_pkg_type)lang;
		*distro = shp_xstrdup(shp_pkg_type_name(*type));
		return 0;
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		size_t n = strlen(map[i].prefix);
		if (strncmp(eco, map[i].prefix, n) || (eco[n] && eco[n] != ':'))
			continue;
		const char *v = eco[n] == ':' ? eco + n + 1 : "";
		/* "Alpine:v3.18" -> 3.18; "Ubuntu:22.04:LTS" and "Ubuntu:Pro:18.04:LTS" -> 22.04, 18.04;
		 * "openSUSE:Leap 15.5" -> 15.5 */
		if (!strncmp(v, "Pro:", 4))
			v += 4;
		if (*v == 'v')
			v++;
		if (!strncmp(v, "Leap ", 5))
			v += 5;
		size_t vn = strcspn(v, ":");
		*type = map[i].type;
		*distro = shp_asprintf("%s:%.*s", map[i].id, (int)vn, v);
		return 0;
	}
	return -1;
}

static int osv_severity(const cJSON *rec, double *cvss)
{
	int sev = -1;
	*cvss = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(rec, "severity"))
	{
		const char *type = shp_json_str(s, "type"), *score = shp_json_str(s, "score");
		if (!type || !score)
			continue;
		if (!strncmp(type, "CVSS_V3", 7)) {
			double c = shp_cvss3_score(score);
			if (c > *cvss)
				*cvss = c;
		} else {
			int w = sev_from_word(score); /* "Ubuntu": "medium" */
			if (w > sev)
				sev = w;
		}
	}
	const cJSON *dbs = cJSON_GetObjectItemCaseSensitive(rec, "database_specific");
	int w = sev_from_word(shp_json_str(dbs, "severity"));
	if (w > sev)
		sev = w;
	if (sev < 0 && *cvss > 0)
		sev = (int)shp_severity_of_cvss(*cvss);
	return sev;
}

/* The record's other names: its aliases, and the upstream ids it is about (OSV 1.6: a
 * distro's DSA, DEBIAN-CVE-..., UBUNTU-CVE-... name the CVEs there), so that matching counts a
 * vulnerability once however many records tell it. */
static char *join_aliases(const cJSON *rec)
{
	struct shp_buf b = {0};
	const cJSON *a;
	static const char *const lists[] = {"aliases", "upstream"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(rec, lists[i]))
		{
			if (!cJSON_IsString(a) || !*a->valuestring || strchr(a->valuestring, ','))
				continue;
			if (b.len)
				shp_buf_putc(&b, ',');
			shp_buf_puts(&b, a->valuestring);
		}
	return b.data;
}

/* The ecosystem an OSV ecosystem's records are dumped under ("Debian" for "Debian:12",
 * "Ubuntu" for "Ubuntu:22.04:LTS"), in buf. */
static const char *dump_of(const char *eco, char buf[SOURCE_NAME_MAX + 1])
{
	snprintf(buf, SOURCE_NAME_MAX + 1, "%.*s", (int)strcspn(eco, ":"), eco);
	return buf;
}

static int import_osv(struct importer *im, const char *where, const cJSON *rec, struct shp_error **err)
{
	const char *id = shp_json_str(rec, "id");
	const cJSON *affected = cJSON_GetObjectItemCaseSensitive(rec, "affected");
	if (!id || !*id)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: an OSV record without an \"id\"", where);
	double cvss;
	int sev = osv_severity(rec, &cvss);
	_cleanup_free_ char *aliases = join_aliases(rec);
	const char *summary = shp_json_str(rec, "summary");
	_cleanup_free_ char *first_line = NULL;
	if (!summary && shp_json_str(rec, "details")) {
		const char *d = shp_json_str(rec, "details");
		while (*d == '\n' || *d == ' ')
			d++;
		first_line = shp_xstrndup(d, strcspn(d, "\n"));
		summary = first_line;
	}
	int used = 0;
	long long stored = -1; /* the source the record was last stored in */
	char dump[SOURCE_NAME_MAX + 1];
	const char *other_eco = NULL;
	const cJSON *a;
	cJSON_ArrayForEach(a, affected)
	{
		const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(a, "package");
		const char *eco = shp_json_str(pkg, "ecosystem"), *name = shp_json_str(pkg, "name");
		enum shp_pkg_type type;
		_cleanup_free_ char *distro = NULL, *norm = NULL;
		if (!name || shp_osv_ecosystem(eco, &type, &distro) < 0) {
			im->st->skipped++;
			if (!other_eco)
				other_eco = eco;
			continue;
		}
		/* the source is the ecosystem osv.dev dumps the record in: Debian for Debian:12 */
		if (use_source(im, "osv", dump_of(eco, dump), err) < 0)
			return -1;
		/* the record in that source first: its rows then carry its number */
		if (stored != im->source &&
		    add_vuln(im, id, aliases, summary, sev, cvss, shp_json_str(rec, "modified"), err) < 0)
			return -1;
		stored = im->source;
		if (shp_eco(type)->normalize)
			name = norm = shp_eco(type)->normalize(name); /* matched in its normal form (PEP 503's) */
		const cJSON *es = cJSON_GetObjectItemCaseSensitive(a, "ecosystem_specific");
		int asev = sev_from_word(shp_json_str(es, "urgency"));
		if (asev < 0)
			asev = sev_from_word(shp_json_str(es, "severity"));
		int rows = 0;
		const cJSON *r;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(a, "ranges"))
		{
			const char *rt = shp_json_str(r, "type");
			if (!rt || (strcmp(rt, "ECOSYSTEM") &&
				    (strcmp(rt, "SEMVER") || shp_eco(type)->vercmp != shp_vercmp_semver)))
				continue; /* GIT ranges name commits; SEMVER is the order of those in semver's (npm, Go)
					   */
			const char *intro = NULL;
			int open = 0;
			const cJSON *e;
			cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "events"))
			{
				const char *v;
				if ((v = shp_json_str(e, "introduced"))) {
					if (open && add_affected(im, id, distro, type, name, intro, NULL, NULL,
								 SHP_VS_UNFIXED, asev, err) < 0)
						return -1;
					intro = v;
					open = 1;
				} else if ((v = shp_json_str(e, "fixed")) || (v = shp_json_str(e, "last_affected"))) {
					int is_fixed = shp_json_str(e, "fixed") != NULL;
					if (add_affected(im, id, distro, type, name, intro, is_fixed ? v : NULL,
							 is_fixed ? NULL : v, is_fixed ? SHP_VS_FIXED : SHP_VS_UNFIXED,
							 asev, err) < 0)
						return -1;
					open = 0;
					intro = NULL;
					rows++;
				}
			}
			if (open) { /* introduced and never fixed */
				if (add_affected(im, id, distro, type, name, intro, NULL, NULL, SHP_VS_UNFIXED, asev,
						 err) < 0)
					return -1;
				rows++;
			}
		}
		if (!rows) { /* only explicit versions */
			const cJSON *v;
			cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(a, "versions"))
			{
				if (cJSON_IsString(v) && add_affected(im, id, distro, type, name, v->valuestring, NULL,
								      v->valuestring, SHP_VS_UNFIXED, asev, err) < 0)
					return -1;
			}
		}
		used = 1;
	}
	if (used)
		return 0;
	if (!cJSON_IsArray(affected))
		im->st->skipped++;
	/* matches nothing here, but its severity serves the records sharing an alias: kept under
	 * the ecosystem it names, or under "osv" when it names none */
	if (use_source(im, "osv", other_eco ? dump_of(other_eco, dump) : NULL, err) < 0)
		return -1;
	return add_vuln(im, id, aliases, summary, sev, cvss, shp_json_str(rec, "modified"), err);
}

/* ---- Alpine secdb --------------------------------------------------------------------- */

static int import_alpine(struct importer *im, const char *where, const cJSON *doc, struct shp_error **err)
{
	const char *dv = shp_json_str(doc, "distroversion");
	if (!dv)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: Alpine secdb without \"distroversion\"", where);
	_cleanup_free_ char *distro = shp_asprintf("alpine:%s", dv[0] == 'v' ? dv + 1 : dv);
	/* secdb.alpinelinux.org/v3.18/main.json and community.json: a release's two files */
	const char *repo = shp_json_str(doc, "reponame");
	_cleanup_free_ char *what = repo ? shp_asprintf("%s/%s", dv, repo) : shp_xstrdup(dv);
	if (use_source(im, "alpine-secdb", what, err) < 0)
		return -1;
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "packages"))
	{
		const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(p, "pkg");
		const char *name = shp_json_str(pkg, "name");
		const cJSON *fixes = cJSON_GetObjectItemCaseSensitive(pkg, "secfixes");
		if (!name)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: a package without a name", where);
		const cJSON *ver;
		cJSON_ArrayForEach(ver, fixes)
		{
			/* "0": the package was never affected; such ids are not matched */
			if (!ver->string || !strcmp(ver->string, "0"))
				continue;
			const cJSON *idv;
			cJSON_ArrayForEach(idv, ver)
			{
				if (!cJSON_IsString(idv))
					continue;
				/* "CVE-2019-1 CVE-2019-2" and "CVE-2019-3 (reason)": each id-looking word */
				_cleanup_free_ char *copy = shp_xstrdup(idv->valuestring);
				char *save = NULL;
				for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
					if (!isupper((unsigned char)t[0]) || !strchr(t, '-'))
						continue;
					if (add_vuln(im, t, NULL, NULL, -1, 0, NULL, err) < 0 ||
					    add_affected(im, t, distro, SHP_PKG_APK, name, NULL, ver->string, NULL,
							 SHP_VS_FIXED, -1, err) < 0)
						return -1;
				}
			}
		}
	}
	return 0;
}

/* ---- Debian security tracker ----------------------------------------------------------- */

static const char *debian_version_of(const char *codename)
{
	static const char *const map[][2] = {
		{"squeeze", "6"},   {"wheezy", "7"},	{"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
		{"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"sid", "sid"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(codename, map[i][0]))
			return map[i][1];
	return NULL;
}

static int import_debian(struct importer *im, const cJSON *doc, struct shp_error **err)
{
	const cJSON *pkg;
	cJSON_ArrayForEach(pkg, doc)
	{
		const cJSON *cve;
		cJSON_ArrayForEach(cve, pkg)
		{
			if (!cJSON_IsObject(cve) || !cve->string)
				continue;
			const cJSON *rel;
			cJSON_ArrayForEach(rel, cJSON_GetObjectItemCaseSensitive(cve, "releases"))
			{
				const char *ver = rel->string ? debian_version_of(rel->string) : NULL;
				const char *status = shp_json_str(rel, "status"),
					   *fixed = shp_json_str(rel, "fixed_version");
				if (!ver || !status)
					continue;
				_cleanup_free_ char *distro = shp_asprintf("debian:%s", ver);
				int sev = sev_from_word(shp_json_str(rel, "urgency"));
				enum shp_vuln_state state;
				if (!strcmp(status, "resolved")) {
					if (!fixed || !strcmp(fixed, "0"))
						continue; /* never affected in this release */
					state = SHP_VS_FIXED;
				} else {
					const char *why = shp_json_str(rel, "nodsa_reason");
					state = why && !strcmp(why, "ignored") ? SHP_VS_WONTFIX : SHP_VS_UNFIXED;
					fixed = NULL;
				}
				if (use_source(im, "debian-tracker", rel->string, err) < 0 ||
				    add_vuln(im, cve->string, NULL, shp_json_str(cve, "description"), -1, 0, NULL,
					     err) < 0 ||
				    add_affected(im, cve->string, distro, SHP_PKG_DEB, pkg->string, NULL, fixed, NULL,
						 state, sev, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* ---- rpm-md errata ---------------------------------------------------------------------- */

/* The release an advisory id is for, where the id says it: Amazon Linux's ALAS2023- (2023),
 * ALAS2- and its topics' ALAS2KERNEL-5.10-, ALAS2EXTRAS-... (2), ALAS- (the first Amazon
 * Linux, whose os-release says 2018.03); NULL for ids that name none (RLSA-, ALSA-, ELSA-). */
static const char *rpmmd_distro_of_id(const char *id)
{
	if (!strncmp(id, "ALAS2023-", 9))
		return "amzn:2023";
	if (!strncmp(id, "ALAS2", 5))
		return "amzn:2";
	if (!strncmp(id, "ALAS-", 5))
		return "amzn:2018.03";
	return NULL;
}

/* An errata date ("2023-02-07 19:55", "2023-03-20 21:43:00", "2022-11-16", or unix time as
 * createrepo_c writes it) as "2023-02-07T19:55:00Z" in out, or NULL when it is none of these. */
static const char *rpmmd_date(const char *d, char out[32])
{
	if (!d)
		return NULL;
	struct tm tm = {0};
	size_t digits = strspn(d, "0123456789");
	if (digits && !d[digits] && digits <= 11) {
		time_t t = (time_t)strtoll(d, NULL, 10);
		if (!gmtime_r(&t, &tm))
			return NULL;
	} else {
		int y, mo, da, h = 0, mi = 0, se = 0, n = 0;
		if (sscanf(d, "%4d-%2d-%2d%n", &y, &mo, &da, &n) != 3)
			return NULL;
		if ((d[n] == ' ' || d[n] == 'T') && sscanf(d + n + 1, "%2d:%2d:%2d", &h, &mi, &se) < 2)
			h = mi = se = 0;
		if (y < 1970 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || se > 60)
			return NULL;
		tm = (struct tm){
			.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = da, .tm_hour = h, .tm_min = mi, .tm_sec = se};
	}
	return strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) ? out : NULL;
}

/* Orders an update's packages by name, then by their place in it. */
static int pkg_by_name(const void *a, const void *b)
{
	const struct shp_rpmmd_pkg *const *x = a, *const *y = b;
	int c = strcmp((*x)->name, (*y)->name);
	return c ? c : *x < *y ? -1 : *x > *y;
}

struct rpmmd_ctx {
	struct importer *im;
	const char *where;
};

/* One advisory: its CVEs are its aliases, its date the later of issued and updated, and each
 * package it names is fixed at the version it gives (the first one given for the name: the
 * arches of one build share it). */
static int rpmmd_update(void *arg, const struct shp_rpmmd_update *u, struct shp_error **err)
{
	struct rpmmd_ctx *c = arg;
	struct importer *im = c->im;
	if (u->type && strcasecmp(u->type, "security")) {
		im->st->skipped++; /* a bug fix or an enhancement: no vulnerability */
		return 0;
	}
	const char *distro = im->distro ? im->distro : rpmmd_distro_of_id(u->id);
	if (!distro)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: line %zu: rpm-md errata do not say which release they are for, and the id"
				     " \"%s\" does not tell it: name it (db import --distro KEY, e.g. rocky:9)",
				     c->where, u->line, u->id);
	if (use_source(im, "rpm-md", distro, err) < 0)
		return -1;
	int sev = sev_from_word(u->severity);
	_cleanup_buf_ struct shp_buf aliases = {0};
	for (size_t i = 0; i < u->ncves; i++) {
		if (strchr(u->cves[i], ',') || !strcmp(u->cves[i], u->id))
			continue;
		if (aliases.len)
			shp_buf_putc(&aliases, ',');
		shp_buf_puts(&aliases, u->cves[i]);
	}
	char d1[32], d2[32];
	const char *issued = rpmmd_date(u->issued, d1), *updated = rpmmd_date(u->updated, d2);
	const char *modified = updated && (!issued || strcmp(updated, issued) > 0) ? updated : issued;
	const char *summary = u->title && *u->title ? u->title : NULL;
	_cleanup_free_ char *first_line = NULL;
	if (!summary && u->description && *u->description)
		summary = first_line = shp_xstrndup(u->description, strcspn(u->description, "\n"));
	if (add_vuln(im, u->id, aliases.len ? aliases.data : NULL, summary, sev, 0, modified, err) < 0)
		return -1;
	_cleanup_free_ const struct shp_rpmmd_pkg **by = shp_xmalloc((u->npkgs + 1) * sizeof *by);
	size_t n = 0;
	for (size_t i = 0; i < u->npkgs; i++)
		if (u->pkgs[i].name && *u->pkgs[i].name && u->pkgs[i].version && *u->pkgs[i].version)
			by[n++] = &u->pkgs[i];
	qsort(by, n, sizeof *by, pkg_by_name);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(by[i]->name, by[i - 1]->name))
			continue;
		const struct shp_rpmmd_pkg *p = by[i];
		/* [epoch:]version[-release], as rpm.c gives installed versions: epoch 0 unsaid */
		int epoch = p->epoch && *p->epoch && strcmp(p->epoch, "0");
		_cleanup_free_ char *fixed =
			shp_asprintf("%s%s%s%s%s", epoch ? p->epoch : "", epoch ? ":" : "", p->version,
				     p->release && *p->release ? "-" : "", p->release ? p->release : "");
		if (add_affected(im, u->id, distro, SHP_PKG_RPM, p->name, NULL, fixed, NULL, SHP_VS_FIXED, sev, err) <
		    0)
			return -1;
	}
	return 0;
}

/* Errata in fd (a stream: they are tens of MB); 1 if it is not errata (in_walk: skipped). */
static int import_rpmmd(struct importer *im, int fd, const char *path, int in_walk, struct shp_error **err)
{
	struct rpmmd_ctx c = {.im = im, .where = path};
	int rc = shp_rpmmd_read_fd(fd, path, rpmmd_update, &c, err);
	if (rc == 0)
		im->st->files++;
	if (rc != 1)
		return rc;
	if (in_walk) {
		im->st->skipped_files++;
		return 0;
	}
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: not a feed shipshape reads (OSV JSON, Alpine secdb JSON, Debian tracker JSON, rpm-md"
			     " updateinfo.xml, plain or compressed)",
			     path);
}

/* ---- documents ------------------------------------------------------------------------- */

static int looks_debian(const cJSON *doc)
{
	const cJSON *pkg = doc->child;
	const cJSON *cve = pkg && cJSON_IsObject(pkg) ? pkg->child : NULL;
	return cve && cJSON_IsObject(cve) && cJSON_GetObjectItemCaseSensitive(cve, "releases");
}

/* line:column of byte offset off in text */
static int is_osv(const cJSON *o)
{
	return cJSON_IsObject(o) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "id")) &&
	       (cJSON_GetObjectItemCaseSensitive(o, "affected") || cJSON_GetObjectItemCaseSensitive(o, "modified") ||
		cJSON_GetObjectItemCaseSensitive(o, "schema_version"));
}

static int is_osv_array(const cJSON *a)
{
	if (!cJSON_IsArray(a) || !a->child)
		return 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, a) if (!is_osv(r)) return 0;
	return 1;
}

/* Imports one JSON document; 1 if it is not a feed (and in_walk: skipped). */
static int import_text(struct importer *im, const char *where, const char *text, size_t len, int in_walk, int in_zip,
		       struct shp_error **err)
{
	cJSON *doc = shp_json_parse(where, text, len, err);
	if (!doc)
		return -1;
	int rc = 0;
	if (is_osv_array(doc)) {
		im->loose_osv |= !in_zip;
		const cJSON *r;
		cJSON_ArrayForEach(r, doc) if ((rc = import_osv(im, where, r, err)) < 0) break;
	} else if (is_osv(doc)) {
		rc = import_osv(im, where, doc, err);
		im->loose_osv |= !in_zip;
	} else if (cJSON_IsObject(doc) && cJSON_GetObjectItemCaseSensitive(doc, "distroversion")) {
		rc = import_alpine(im, where, doc, err);
	} else if (cJSON_IsObject(doc) && looks_debian(doc)) {
		rc = import_debian(im, doc, err);
	} else if (!(cJSON_IsObject(doc) || cJSON_IsArray(doc)) || doc->child) {
		/* valid JSON of another kind: an error when named, skipped in a directory */
		rc = in_walk ? 1
			     : shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: not a feed shipshape reads (OSV JSON, Alpine secdb JSON, Debian "
					     "tracker JSON, rpm-md updateinfo.xml)",
					     where);
	}
	if (rc == 0)
		im->st->files++;
	else if (rc == 1)
		im->st->skipped_files++;
	cJSON_Delete(doc);
	return rc < 0 ? -1 : 0;
}

/* Bytes of a mapped zip read before they are let go from the resident set (a multiple of
 * the page size). */
#define ZIP_LET_GO (8u << 20)

/* ---- a zip's records, read on other threads ------------------------------------------- */

/* Entries a reader thread takes at a time, and the batches that may wait, read, for the
 * database: a bound on the memory the readers run ahead with. */
#define ZIP_BATCH 256
#define ZIP_BATCHES 8
/* Reader threads: one per core but the one SQLite stores rows on (it is the busiest: on 2
 * cores a second reader only takes turns with it), at least one, at most four. */
#define ZIP_READERS_MAX 4

struct zip_batch {
	struct shp_buf ops;	    /* what its records ask of the database (zip_op) */
	struct shp_import_stats st; /* files and records it skipped */
	struct shp_error *err;	    /* where it stopped, or NULL */
	uint64_t data_end;	    /* where its last entry's bytes end in the zip */
	int done;
};

struct zip_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct shp_zip *z;
	const char *path, *feed, *distro;
	char *map; /* the zip's bytes when they are a mapped file, else NULL */
	struct shp_zip_iter it;
	int end, stop;	       /* the walk is over; the database side stopped */
	size_t taken, applied; /* batches given to readers, and done in the database */
	struct zip_batch b[ZIP_BATCHES];
};

/* Does what a reader thread wrote down, in its order. */
static int replay(struct importer *im, const struct shp_buf *ops, struct shp_error **err)
{
	const char *p = ops->data, *end = p + ops->len;
	while (p < end) {
		enum zip_op op = (enum zip_op)(unsigned char)*p++;
		const char *t[6];
		if (op == ZIP_SOURCE) {
			t[0] = read_str(&p);
			t[1] = read_str(&p);
			if (use_source(im, t[0], t[1], err) < 0)
				return -1;
		} else if (op == ZIP_VULN) {
			for (int i = 0; i < 4; i++)
				t[i] = read_str(&p);
			int sev;
			double cvss;
			memcpy(&sev, p, sizeof sev);
			memcpy(&cvss, p + sizeof sev, sizeof cvss);
			p += sizeof sev + sizeof cvss;
			if (add_vuln(im, t[0], t[1], t[2], sev, cvss, t[3], err) < 0)
				return -1;
		} else {
			for (int i = 0; i < 6; i++)
				t[i] = read_str(&p);
			int n[3];
			memcpy(n, p, sizeof n);
			p += sizeof n;
			if (add_affected(im, t[0], t[1], (enum shp_pkg_type)n[0], t[2], t[3], t[4], t[5],
					 (enum shp_vuln_state)n[1], n[2], err) < 0)
				return -1;
		}
	}
	return 0;
}

/* A reader thread: takes the next entries of the central directory, inflates and parses
 * each, and writes down what its records ask of the database. What it calls touches no
 * shared state (cJSON's error position is a global, but shp_json_check has refused broken
 * JSON before cJSON reads it). */
static void *zip_reader(void *arg)
{
	struct zip_job *j = arg;
	struct shp_zip_inflater *inf = shp_zip_inflater_new();
	char *buf = NULL;
	size_t cap = 0;
	shp_json_scratch(1); /* each record is deleted before the next is parsed */
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->stop && !j->end && j->taken - j->applied >= ZIP_BATCHES)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->stop || j->end)
			break;
		struct zip_batch *b = &j->b[j->taken++ % ZIP_BATCHES];
		struct shp_zip_entry e[ZIP_BATCH];
		size_t n = 0;
		struct shp_error *walk = NULL;
		while (n < ZIP_BATCH) {
			int r = shp_zip_next(j->z, &j->it, &e[n], &walk);
			if (r <= 0) {
				j->end = 1;
				break;
			}
			/* records only: not directories, links or other files the dump may hold */
			b->data_end = e[n].data + e[n].csize;
			if (!e[n].is_dir && (!(e[n].mode & S_IFMT) || S_ISREG(e[n].mode)) && e[n].name_len >= 5 &&
			    !memcmp(e[n].name + e[n].name_len - 5, ".json", 5))
				n++;
		}
		pthread_mutex_unlock(&j->mu);
		struct importer im = {.rec = &b->ops, .st = &b->st, .distro = j->distro, .feed = j->feed};
		for (size_t i = 0; i < n && !b->err; i++) {
			if (e[i].size >= cap) {
				cap = e[i].size + 1;
				buf = shp_xrealloc(buf, cap);
			}
			if (shp_zip_read(j->z, &e[i], buf, inf, &b->err) < 0)
				break;
			_cleanup_free_ char *where = shp_asprintf("%s:%.*s", j->path, (int)e[i].name_len, e[i].name);
			import_text(&im, where, buf, (size_t)e[i].size, 1, 1, &b->err);
		}
		if (walk && !b->err)
			b->err = walk; /* after the entries before the bad one */
		else
			shp_error_free(walk);
		pthread_mutex_lock(&j->mu);
		b->done = 1;
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
	shp_json_scratch(0);
	free(buf);
	shp_zip_inflater_free(inf);
	return NULL;
}

/* The zip's records, read by reader threads and stored by this one, in the zip's order (a
 * record given twice keeps its last copy, as read one by one). */
static int import_zip_entries(struct importer *im, const struct shp_zip *z, const char *path, char *map,
			      struct shp_error **err)
{
	struct zip_job j = {.z = z, .path = path, .feed = im->feed, .distro = im->distro, .map = map};
	size_t kept = 0; /* the mapped bytes before kept have been let go */
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	/* the cores but this one's, unless -j said */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nr = im->db->readers > 0 ? (size_t)im->db->readers : cores < 2 ? 1 : (size_t)cores - 1, started = 0;
	if (nr > ZIP_READERS_MAX)
		nr = ZIP_READERS_MAX;
	pthread_t t[ZIP_READERS_MAX];
	int rc = 0, e = 0;
	for (size_t i = 0; i < nr; i++)
		if ((e = pthread_create(&t[started], NULL, zip_reader, &j)) == 0)
			started++;
	if (!started)
		rc = shp_error_errno(err, e, "%s: cannot start a thread to read it", path);
	pthread_mutex_lock(&j.mu);
	while (rc == 0) {
		struct zip_batch *b = &j.b[j.applied % ZIP_BATCHES];
		while (!(j.applied < j.taken && b->done) && !(j.end && j.applied == j.taken))
			pthread_cond_wait(&j.cv, &j.mu);
		if (j.applied == j.taken)
			break; /* every batch is in */
		pthread_mutex_unlock(&j.mu);
		rc = replay(im, &b->ops, err);
		if (rc == 0 && b->err) {
			*err = b->err;
			b->err = NULL;
			rc = -1;
		}
		im->st->files += b->st.files;
		im->st->skipped += b->st.skipped;
		im->st->skipped_files += b->st.skipped_files;
		/* the batches are done in the zip's order: the pages of those done leave the
		 * resident set (the file's cache keeps them), or a 200 MB dump would count 200 MB */
		if (map && b->data_end - kept >= ZIP_LET_GO) {
			size_t upto = (size_t)b->data_end & ~((size_t)ZIP_LET_GO - 1);
			(void)madvise(map + kept, upto - kept, MADV_DONTNEED);
			kept = upto;
		}
		b->ops.len = 0;
		memset(&b->st, 0, sizeof b->st);
		pthread_mutex_lock(&j.mu);
		b->done = 0;
		j.applied++;
		pthread_cond_broadcast(&j.cv);
	}
	j.stop = 1;
	pthread_cond_broadcast(&j.cv);
	pthread_mutex_unlock(&j.mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	for (size_t i = 0; i < ZIP_BATCHES; i++) {
		shp_buf_free(&j.b[i].ops);
		shp_error_free(j.b[i].err);
	}
	pthread_mutex_destroy(&j.mu);
	pthread_cond_destroy(&j.cv);
	return rc;
}

/* A zip of OSV records: the open file fd, mapped (an ecosystem's dump is hundreds of MB,
 * never read whole), or the bytes of one read whole (a FIFO) when text is not NULL. The
 * entries are read through the zip's central directory (util/zip.h). A file cut short by
 * another process while it is mapped kills this one (SIGBUS), as with any reader that maps;
 * db update reads what it downloaded into a file of its own. */
static int import_zip(struct importer *im, const char *path, int fd, const char *text, size_t len,
		      struct shp_error **err)
{
	const void *data = text;
	void *map = MAP_FAILED;
	if (!text) {
		struct stat sb;
		if (fstat(fd, &sb) < 0)
			return shp_error_errno(err, errno, "%s", path);
		len = (size_t)sb.st_size;
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			return shp_error_errno(err, errno, "%s: cannot map it", path);
		data = map;
	}
	struct shp_zip z;
	int rc = shp_zip_open(&z, data, len, path, FEED_MAX_BYTES, err);
	if (rc == 0)
		rc = import_zip_entries(im, &z, path, map != MAP_FAILED ? map : NULL, err);
	if (map != MAP_FAILED)
		munmap(map, len);
	return rc < 0 ? -1 : 0;
}

struct walk {
	struct importer *im;
	struct shp_error *err;
};

static int one_file(struct importer *im, const char *path, int in_walk, struct shp_error **err)
{
	/* errata are read as a stream, told by their first bytes (compressed, or XML); a FIFO
	 * the user names is read once, whole, as before */
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		_cleanup_close_ int fd = shp_open_at(AT_FDCWD, path, in_walk ? SHP_OPEN_FOUND : 0, NULL, err);
		if (fd < 0)
			return -1;
		unsigned char head[512];
		ssize_t hn = pread(fd, head, sizeof head, 0);
		if (hn > 0 && shp_rpmmd_sniff(head, (size_t)hn))
			return import_rpmmd(im, fd, path, in_walk, err);
		/* a zip is mapped, never read whole first */
		if (hn >= 4 && !memcmp(head, "PK\3\4", 4))
			return import_zip(im, path, fd, NULL, 0, err);
	}
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (shp_read_file_at(AT_FDCWD, path, in_walk ? SHP_OPEN_FOUND : 0, NULL, FEED_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	if (len >= 4 && !memcmp(text, "PK\3\4", 4))
		return import_zip(im, path, -1, text, len, err);
	return import_text(im, path, text, len, in_walk, 0, err);
}

static int feed_name(const char *base)
{
	size_t n = strlen(base);
	/* repodata's errata are HASH-updateinfo.xml.gz (or .xz, .zst, .bz2, or plain) */
	return (n > 5 && !strcmp(base + n - 5, ".json")) || (n > 4 && !strcmp(base + n - 4, ".zip")) ||
	       strstr(base, "updateinfo.xml");
}

static int walk_one(const char *path, void *arg)
{
	struct walk *w = arg;
	return one_file(w->im, path, 1, &w->err);
}

/* What one import reads: a path (file, zip or directory), or a buffer; and where it came
 * from. */
struct input {
	const char *path;
	const char *data;
	size_t len;
	const struct shp_feed_origin *origin;
};

static int read_input(struct importer *im, const struct input *in, struct shp_error **err)
{
	if (!in->path)
		return in->len >= 4 && !memcmp(in->data, "PK\3\4", 4)
			       ? shp_error_set(err, SHP_EXIT_INPUT, "<buffer>: zip dumps are read from files")
			       : import_text(im, "<buffer>", in->data, in->len, 0, 0, err);
	struct stat sb;
	if (stat(in->path, &sb) < 0)
		return shp_error_errno(err, errno, "%s", in->path);
	if (!S_ISDIR(sb.st_mode))
		return one_file(im, in->path, 0, err);
	struct walk w = {.im = im};
	if (shp_walk_dir(in->path, feed_name, walk_one, &w, err) < 0 || w.err) {
		if (w.err) {
			shp_error_free(*err);
			*err = w.err;
		}
		return -1;
	}
	return 0;
}

/* Records where the input came from: its feeds row, and in each source it gave rows to, the
 * feed, whether it was whole, and the data's date (the newest record's, else the feed's). */
static int record_origin(struct importer *im, const struct input *in, struct shp_error **err)
{
	static const struct shp_feed_origin none = {.complete = -1};
	const struct shp_feed_origin *o = in->origin ? in->origin : &none;
	const char *feed = o->feed ? o->feed : in->path ? in->path : "<buffer>";
	long long modified = o->modified;
	struct stat sb;
	if (!modified && in->path && stat(in->path, &sb) == 0)
		modified = (long long)sb.st_mtime;
	int complete = o->complete >= 0 ? o->complete : !im->loose_osv;
	static const char *const sql[] = {
		"INSERT OR REPLACE INTO feeds VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"UPDATE sources SET feed = ?1, complete = ?9, modified = COALESCE((SELECT"
		" MAX(CAST(strftime('%s', modified) AS INTEGER)) FROM vulns WHERE rowid >= sources.id << 40"
		" AND rowid < (sources.id + 1) << 40), ?7)"
		" WHERE id IN (SELECT id FROM temp.fed)"};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *q = NULL;
		if (sqlite3_prepare_v2(im->db->db, sql[i], -1, &q, NULL) != SQLITE_OK)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
		sqlite3_bind_text(q, 1, feed, -1, SQLITE_STATIC);
		if (i == 0) {
			const char *text[] = {o->url, o->etag, o->last_modified, o->sha256};
			for (int k = 0; k < 4; k++)
				text[k] ? sqlite3_bind_text(q, 2 + k, text[k], -1, SQLITE_STATIC)
					: sqlite3_bind_null(q, 2 + k);
			sqlite3_bind_int64(q, 6, o->fetched ? o->fetched : (long long)time(NULL));
			o->bytes ? sqlite3_bind_int64(q, 8, o->bytes) : sqlite3_bind_null(q, 8);
		}
		sqlite3_bind_int64(q, 7, modified);
		if (i == 1)
			sqlite3_bind_int(q, 9, complete);
		int rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
	}
	return 0;
}

/* Writes where this feed's sources' row numbers go on, and how many rows each gave a distro. */
static int write_counts(struct importer *im, struct shp_error **err)
{
	sqlite3_stmt *next = NULL, *dist = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(im->db->db, "UPDATE sources SET next = ?2 WHERE id = ?1", -1, &next, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(im->db->db,
			       "INSERT INTO source_distros VALUES(?1, ?2, ?3) ON CONFLICT(source, distro)"
			       " DO UPDATE SET affected = affected + excluded.affected",
			       -1, &dist, NULL) != SQLITE_OK) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", im->db->path, sqlite3_errmsg(im->db->db));
		goto out;
	}
	for (size_t i = 0; i < im->nfed; i++) {
		sqlite3_bind_int64(next, 1, im->fed[i].id);
		sqlite3_bind_int64(next, 2, im->fed[i].next);
		if (step(im, next, err) < 0)
			goto out;
	}
	for (size_t i = 0; i < im->nfd; i++) {
		sqlite3_bind_int64(dist, 1, im->fd[i].source);
		sqlite3_bind_text(dist, 2, im->fd[i].distro, -1, SQLITE_STATIC);
		sqlite3_bind_int64(dist, 3, im->fd[i].rows);
		if (step(im, dist, err) < 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(next);
	sqlite3_finalize(dist);
	return rc;
}

/* One transaction: everything the input holds, in the sources it is about (each replacing
 * what an earlier run of db import put there), or nothing. */
static int run_import(struct shp_vulndb *db, const struct input *in, struct shp_import_stats *st,
		      struct shp_error **err)
{
	struct importer im = {.db = db,
			      .st = st,
			      .distro = in->origin ? in->origin->distro : NULL,
			      .feed = in->origin && in->origin->feed ? in->origin->feed
				      : in->path		     ? in->path
								     : "<buffer>",
			      .max_records = max_records()};
	if (shp_vulndb_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	sqlite3_stmt *q = NULL;
	int rc = -1;
	/* touched: the sources this connection (one run of db import) gave rows to, which it
	 * replaces once; fed: those of this feed, whose counts are updated at its end */
	if (shp_vulndb_exec(db,
			    "CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY);"
			    " CREATE TEMP TABLE IF NOT EXISTS fed(id INTEGER PRIMARY KEY); DELETE FROM temp.fed;",
			    err) < 0)
		goto rollback;
	if (sqlite3_prepare_v2(
		    db->db,
		    "INSERT OR REPLACE INTO vulns(rowid, id, source, aliases, summary, severity, cvss, modified)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		    -1, &im.ins_vuln, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT OR IGNORE INTO names VALUES(?1, ?2, ?3)", -1, &im.ins_name, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT INTO affected VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1,
			       &im.ins_aff, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "SELECT id FROM packages WHERE distro = ?1 AND type = ?2 AND name = ?3", -1,
			       &im.find_pkg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT INTO packages(distro, type, name) VALUES(?1, ?2, ?3)", -1, &im.ins_pkg,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db,
			       "SELECT id, vulns, EXISTS (SELECT 1 FROM source_distros WHERE source = sources.id), "
			       "next FROM sources"
			       " WHERE name = ?1",
			       -1, &im.find_src, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT INTO sources(name, kind) VALUES(?1, ?2) RETURNING id", -1, &im.ins_src,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT OR IGNORE INTO temp.touched VALUES(?1)", -1, &im.touch, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT OR IGNORE INTO temp.fed VALUES(?1)", -1, &im.touch_feed, NULL) !=
		    SQLITE_OK)
		goto sqlerr;
	if (read_input(&im, in, err) < 0 || write_counts(&im, err) < 0)
		goto rollback;
	/* what each source holds now (a vulnerability listed by many packages counts once, and
	 * once in the feed's total however many sources have it) */
	char sql[1024];
	snprintf(
		sql, sizeof sql,
		"UPDATE sources SET imported = %lld, vulns = (SELECT COUNT(*) FROM vulns WHERE"
		" rowid >= sources.id << 40 AND rowid < (sources.id + 1) << 40) WHERE id IN (SELECT id FROM temp.fed);",
		(long long)time(NULL));
	if (shp_vulndb_exec(db, sql, err) < 0 || record_origin(&im, in, err) < 0)
		goto rollback;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT COUNT(*), CASE WHEN COUNT(*) > 1 THEN (SELECT COUNT(DISTINCT v.id) FROM temp.fed"
			       " f JOIN vulns v ON v.rowid >= f.id << 40 AND v.rowid < (f.id + 1) << 40) ELSE"
			       " SUM(vulns) END, (SELECT SUM(affected) FROM source_distros WHERE source IN (SELECT id "
			       "FROM temp.fed))"
			       " FROM sources WHERE id IN (SELECT id FROM temp.fed)",
			       -1, &q, NULL) != SQLITE_OK)
		goto sqlerr;
	if (sqlite3_step(q) == SQLITE_ROW) {
		st->sources = (size_t)sqlite3_column_int64(q, 0);
		st->vulns = (size_t)sqlite3_column_int64(q, 1);
		st->affected = (size_t)sqlite3_column_int64(q, 2);
	}
	if (shp_vulndb_exec(db, "COMMIT", err) < 0)
		goto rollback;
	rc = 0;
	goto out;
sqlerr:
	shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
rollback:
	sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	st->nreplaced = st->named_replaced = 0; /* nothing was */
	shp_buf_free(&st->replaced);
out:
	sqlite3_finalize(q);
	sqlite3_finalize(im.ins_vuln);
	sqlite3_finalize(im.ins_name);
	sqlite3_finalize(im.ins_aff);
	sqlite3_finalize(im.find_src);
	sqlite3_finalize(im.ins_src);
	sqlite3_finalize(im.touch);
	sqlite3_finalize(im.touch_feed);
	sqlite3_finalize(im.find_pkg);
	sqlite3_finalize(im.ins_pkg);
	free(im.fed);
	for (size_t i = 0; i < im.nfd; i++)
		free(im.fd[i].distro);
	free(im.fd);
	free(im.pkgs.v);
	shp_arena_free(&im.pkgs.A);
	return rc;
}

int shp_vulndb_import(struct shp_vulndb *db, const char *path, struct shp_import_stats *st, struct shp_error **err)
{
	return shp_vulndb_import_from(db, path, NULL, st, err);
}

int shp_vulndb_import_from(struct shp_vulndb *db, const char *path, const struct shp_feed_origin *o,
			   struct shp_import_stats *st, struct shp_error **err)
{
	struct input in = {.path = path, .origin = o};
	return run_import(db, &in, st, err);
}

int shp_vulndb_import_buffer(struct shp_vulndb *db, const char *data, size_t len, struct shp_import_stats *st,
			     struct shp_error **err)
{
	struct input in = {.data = data, .len = len};
	return run_import(db, &in, st, err);
}
