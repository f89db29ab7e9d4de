/* vulndb.c - see vulndb.h: the SQLite schema, opening, info and matching. The feed readers
 * are in import.c. */
#include "vuln/vulndb.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "vuln/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 3: sources are named by what they are about (import.c), not by the file they came from;
 * 4: feeds (where each came from, its validators and date), and per source the feed that gave
 * it, whether that was whole, and the data's own date */
#define SCHEMA_VERSION "4"
/* SQLite's page cache for an import's copy, in KiB: the indexes of a million OSV records are
 * hundreds of MB and every row goes to a page of each at random; with SQLite's default 2 MB
 * each insert writes a page out and reads another back. A bound, not an allocation. */
#define IMPORT_CACHE_KIB (128 * 1024)

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	/* a feed: what db update fetched (a URL) or db import read (a path); modified is the
	 * feed's own date (Last-Modified, a file's mtime), 0 unknown */
	"CREATE TABLE IF NOT EXISTS feeds(name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
	" sha256 TEXT, fetched INTEGER, modified INTEGER NOT NULL DEFAULT 0, bytes INTEGER);"
	/* complete: the feed held every record of what the source is about (an osv.dev dump, a
	 * secdb branch, the tracker), not a few hand-picked ones; modified: the newest record's
	 * date, else the feed's, 0 unknown */
	"CREATE TABLE IF NOT EXISTS sources(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT,"
	" imported INTEGER, vulns INTEGER, affected INTEGER, feed TEXT, complete INTEGER NOT NULL DEFAULT 0,"
	" modified INTEGER NOT NULL DEFAULT 0);"
	/* a vulnerability as one source tells it; severity -1 when the source gives none */
	"CREATE TABLE IF NOT EXISTS vulns(id TEXT NOT NULL, source INTEGER NOT NULL, aliases TEXT, summary TEXT,"
	" severity INTEGER NOT NULL DEFAULT -1, cvss REAL NOT NULL DEFAULT 0, modified TEXT, PRIMARY KEY(id, source));"
	/* every id and alias of a vulnerability, to share severities between sources */
	"CREATE TABLE IF NOT EXISTS names(name TEXT NOT NULL, vuln TEXT NOT NULL, source INTEGER NOT NULL,"
	" PRIMARY KEY(name, vuln, source)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS affected(vuln TEXT NOT NULL, source INTEGER NOT NULL, distro TEXT NOT NULL,"
	" type INTEGER NOT NULL, package TEXT NOT NULL, introduced TEXT, fixed TEXT, last_affected TEXT,"
	" state INTEGER NOT NULL, severity INTEGER NOT NULL DEFAULT -1);"
	"CREATE INDEX IF NOT EXISTS affected_by_pkg ON affected(distro, package);";

char *shp_vulndb_default_path(void) { return shp_cache_path("SHIPSHAPE_DB", "vuln.db"); }

int shp_vulndb_exec(struct shp_vulndb *db, const char *sql, struct shp_error **err)
{
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, msg ? msg : sqlite3_errmsg(db->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Why path cannot be read as a database of ours, from what SQLite said of it. */
static int not_ours(const char *path, sqlite3 *db, struct shp_error **err)
{
	int code = sqlite3_extended_errcode(db);
	const char *msg = sqlite3_errmsg(db);
	if (code == SQLITE_NOTADB)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: not a shipshape vulnerability database (not an SQLite file)", path);
	if (code == SQLITE_ERROR && !strncmp(msg, "no such table", 13))
		return shp_error_set(
			err, SHP_EXIT_INPUT,
			"%s: not a shipshape vulnerability database (an SQLite database without its tables)", path);
	/* a hot journal only a writer can roll back: left by a write into the file in place
	 * (imports no longer write there) */
	if (code == SQLITE_READONLY_ROLLBACK)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: an interrupted write left its journal (%s-journal), which only a writer can "
				     "roll back: run shipshape db import again",
				     path, path);
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot read the vulnerability database (%s)", path, msg);
}

/* Opens path with flags and checks that it is a database of ours of this schema (or, when
 * empty_ok, an empty one to make ours). */
static int open_checked(const char *path, int flags, int empty_ok, sqlite3 **out, struct shp_error **err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	/* Not a database of ours (or not SQLite at all) is told now, not at the first query. */
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL);
	if (rc != SQLITE_OK && empty_ok && sqlite3_extended_errcode(db) == SQLITE_ERROR) {
		/* no meta table: only a database with no tables at all may be made ours */
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master", -1, &q, NULL);
		if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_DONE) {
			sqlite3_finalize(q);
			*out = db;
			return 0;
		}
		sqlite3_finalize(q);
		q = NULL;
		rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL);
	}
	const char *ver = NULL;
	if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		ver = (const char *)sqlite3_column_text(q, 0);
	if (rc == SQLITE_OK && ver && strcmp(ver, SCHEMA_VERSION)) {
		shp_error_set(err, SHP_EXIT_INPUT,
			      "%s: schema version %s, this shipshape reads %s (import again into a new file)", path,
			      ver, SCHEMA_VERSION);
		rc = -1;
	} else if (rc != SQLITE_OK) {
		not_ours(path, db, err);
		rc = -1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

static int make_schema(struct shp_vulndb *db, struct shp_error **err)
{
	return shp_vulndb_exec(db, schema, err) < 0 ||
			       shp_vulndb_exec(db, "INSERT OR IGNORE INTO meta VALUES('schema', '" SCHEMA_VERSION "')",
					       err) < 0
		       ? -1
		       : 0;
}

/* Copies the file from to the new file to. */
static int copy_file(const char *from, const char *to, struct shp_error **err)
{
	_cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return shp_error_errno(err, errno, "%s", from);
	_cleanup_close_ int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0)
		return shp_error_errno(err, errno, "%s", to);
	int kernel = 1;
	for (;;) {
		ssize_t n = kernel ? copy_file_range(in, NULL, out, NULL, 1u << 30, 0) : 0;
		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
			kernel = 0; /* an older kernel or another filesystem: by hand */
			continue;
		}
		if (!kernel) {
			char buf[1u << 16];
			n = read(in, buf, sizeof buf);
			if (n > 0 && write(out, buf, (size_t)n) != n)
				n = -1;
		}
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return shp_error_errno(err, errno, "%s: copying %s", to, from);
	}
}

/* The copy an import writes, db->tmp, made from the database at db->path (if there is one)
 * while holding db->path's lock. */
static int open_copy(struct shp_vulndb *db, struct shp_error **err)
{
	/* a database reached through a symlink is replaced where it is, and the link kept */
	struct stat st;
	if (lstat(db->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(db->path, NULL);
		if (!real)
			return shp_error_errno(err, errno, "%s", db->path);
		free(db->path);
		db->path = real;
	}
	_cleanup_free_ char *lock = shp_asprintf("%s.lock", db->path);
	db->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (db->lock_fd < 0)
		return shp_error_errno(err, errno, "%s", lock);
	/* imports one at a time: each copies what the one before renamed into place */
	while (flock(db->lock_fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return shp_error_errno(err, errno, "%s: lock", lock);
	/* under the lock, a copy left there is a killed import's */
	db->tmp = shp_asprintf("%s.import", db->path);
	_cleanup_free_ char *journal = shp_asprintf("%s-journal", db->tmp);
	(void)unlink(db->tmp);
	(void)unlink(journal);
	int have = lstat(db->path, &st) == 0;
	if (have && !S_ISREG(st.st_mode))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a regular file (a database is written in its place)",
				     db->path);
	if (!have && errno != ENOENT)
		return shp_error_errno(err, errno, "%s", db->path);
	db->mode = have ? st.st_mode & 07777 : 0644;
	db->uid = have ? st.st_uid : (uid_t)-1;
	db->gid = have ? st.st_gid : (gid_t)-1;
	if (have) {
		/* ours? Opened read-write, so that a journal an in-place write left is rolled back
		 * now; then the file is whole and, under the lock, nobody writes it: its bytes are
		 * the copy (the kernel's, a reflink where the filesystem has them) */
		sqlite3 *src = NULL;
		if (open_checked(db->path, SQLITE_OPEN_READWRITE, 1, &src, err) < 0)
			return -1;
		sqlite3_close(src);
		if (copy_file(db->path, db->tmp, err) < 0)
			return -1;
	}
	if (sqlite3_open_v2(db->tmp, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->tmp,
				     db->db ? sqlite3_errmsg(db->db) : "out of memory");
	sqlite3_busy_timeout(db->db, 5000);
	/* the copy is nobody's until it is renamed: a kill loses only it, so no syncs are needed
	 * (shp_vulndb_commit syncs it once). Its rollback journal, which undoes a feed that fails,
	 * stays a file beside it (removed when the feed is in): in memory it would hold every
	 * page the import rewrites, the whole database when an update replaces every source. */
	char pragmas[128];
	snprintf(pragmas, sizeof pragmas,
		 "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -%d", IMPORT_CACHE_KIB);
	return shp_vulndb_exec(db, pragmas, err) < 0 ? -1 : make_schema(db, err);
}

int shp_vulndb_open(const char *path, int create, struct shp_vulndb **out, struct shp_error **err)
{
	struct stat st;
	if (!create && stat(path, &st) < 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: no vulnerability database (shipshape db update makes one)", path);
	if (create && strcmp(path, ":memory:") && shp_mkdirs(path) < 0)
		return shp_error_errno(err, errno, "%s", path);
	struct shp_vulndb *db = shp_xcalloc(1, sizeof *db);
	db->path = shp_xstrdup(path);
	db->lock_fd = -1;
	int rc;
	if (!create)
		rc = open_checked(path, SQLITE_OPEN_READONLY, 0, &db->db, err);
	else if (!strcmp(path, ":memory:"))
		rc = open_checked(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1, &db->db, err) < 0
			     ? -1
			     : make_schema(db, err);
	else
		rc = open_copy(db, err);
	if (rc < 0) {
		shp_vulndb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int shp_vulndb_commit(struct shp_vulndb *db, struct shp_error **err)
{
	if (!db->tmp)
		return 0;
	if (sqlite3_close(db->db) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->tmp, sqlite3_errmsg(db->db));
	db->db = NULL;
	_cleanup_close_ int fd = open(db->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fchmod(fd, db->mode) < 0 || fsync(fd) < 0)
		return shp_error_errno(err, errno, "%s", db->tmp);
	if (db->uid != (uid_t)-1 && geteuid() == 0)
		(void)fchown(fd, db->uid, db->gid); /* root importing into a user's database keeps it theirs */
	if (rename(db->tmp, db->path) < 0)
		return shp_error_errno(err, errno, "%s: renaming %s into place", db->path, db->tmp);
	free(db->tmp);
	db->tmp = NULL;
	/* the rename itself outlives a crash */
	_cleanup_free_ char *dir = shp_xstrdup(db->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0; /* "/x.db" -> "/", "a/x.db" -> "a" */
	_cleanup_close_ int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
	return 0;
}

void shp_vulndb_close(struct shp_vulndb *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	if (db->tmp) /* not committed: the database stays as it was */
		(void)unlink(db->tmp);
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db->tmp);
	free(db->path);
	free(db);
}

static char *col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? shp_xstrdup((const char *)t) : NULL;
}

int shp_vulndb_check(struct shp_vulndb *db, struct shp_error **err)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db->db, "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		const char *said = (const char *)sqlite3_column_text(q, 0);
		rc = said && !strcmp(said, "ok")
			     ? 0
			     : shp_error_set(err, SHP_EXIT_INPUT, "%s: the integrity check failed: %s",
					     db->tmp ? db->tmp : db->path, said ? said : "?");
	} else
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_finalize(q);
	return rc;
}

int shp_vulndb_feed(struct shp_vulndb *db, const char *name, struct shp_feed_row *out, struct shp_error **err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT url, etag, last_modified, sha256, fetched, modified, bytes FROM feeds"
			       " WHERE name = ?1",
			       -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->url = col_dup(q, 0);
		out->etag = col_dup(q, 1);
		out->last_modified = col_dup(q, 2);
		out->sha256 = col_dup(q, 3);
		out->fetched = sqlite3_column_int64(q, 4);
		out->modified = sqlite3_column_int64(q, 5);
		out->bytes = sqlite3_column_int64(q, 6);
	} else if (rc != SQLITE_DONE)
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void shp_feed_row_free(struct shp_feed_row *r)
{
	free(r->url);
	free(r->etag);
	free(r->last_modified);
	free(r->sha256);
	memset(r, 0, sizeof *r);
}

int shp_vulndb_feed_touch(struct shp_vulndb *db, const char *name, long long fetched, struct shp_error **err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->db, "UPDATE feeds SET fetched = ?2 WHERE name = ?1", -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, fetched ? fetched : (long long)time(NULL));
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
}

/* ---- info ----------------------------------------------------------------------------- */

int shp_vulndb_info(struct shp_vulndb *db, struct shp_buf *out, int json, struct shp_error **err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT name, kind, imported, vulns, affected, (SELECT group_concat(DISTINCT distro)"
			       " FROM (SELECT DISTINCT distro FROM affected WHERE source = sources.id ORDER BY distro))"
			       " FROM sources ORDER BY name",
			       -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	time_t now = time(NULL);
	long long tv = 0, ta = 0;
	size_t n = 0;
	if (json) {
		shp_buf_puts(out, "{\"database\":");
		shp_buf_json_str(out, db->path);
		shp_buf_puts(out, ",\"sources\":[");
	} else
		shp_buf_printf(out, "%s\n  %-28s %-14s %9s %9s  %-10s %s\n", db->path, "source", "kind", "vulns",
			       "affected", "age", "distros");
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0),
			   *kind = (const char *)sqlite3_column_text(q, 1);
		long long when = sqlite3_column_int64(q, 2), v = sqlite3_column_int64(q, 3),
			  a = sqlite3_column_int64(q, 4);
		const char *distros = (const char *)sqlite3_column_text(q, 5);
		tv += v;
		ta += a;
		double days = when ? difftime(now, (time_t)when) / 86400.0 : 0;
		if (json) {
			shp_buf_puts(out, n ? ",{\"name\":" : "{\"name\":");
			shp_buf_json_str(out, name ? name : "");
			shp_buf_puts(out, ",\"kind\":");
			shp_buf_json_str(out, kind ? kind : "");
			shp_buf_printf(
				out,
				",\"imported\":%lld,\"age_days\":%.2f,\"vulns\":%lld,\"affected\":%lld,\"distros\":",
				when, days, v, a);
			shp_buf_json_str(out, distros ? distros : "");
			shp_buf_putc(out, '}');
		} else {
			char age[32];
			snprintf(age, sizeof age, days < 1 ? "%.0f h" : "%.0f d", days < 1 ? days * 24 : days);
			shp_buf_printf(out, "  %-28s %-14s %9lld %9lld  %-10s %s\n", name ? name : "", kind ? kind : "",
				       v, a, age, distros ? distros : "");
		}
		n++;
	}
	sqlite3_finalize(q);
	/* a vulnerability in many sources (a CVE in each release's) counts once */
	if (sqlite3_prepare_v2(db->db, "SELECT COUNT(DISTINCT id) FROM vulns", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		tv = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (json)
		shp_buf_printf(out, "],\"totals\":{\"sources\":%zu,\"vulns\":%lld,\"affected\":%lld}}\n", n, tv, ta);
	else
		shp_buf_printf(out, "%zu source%s, %lld vulnerabilities, %lld affected-package rows\n", n,
			       n == 1 ? "" : "s", tv, ta);
	return 0;
}

/* ---- matching ------------------------------------------------------------------------ */

/* Is version v in the row's range? introduced <= v, and v < fixed or v <= last_affected. */
static int in_range(enum shp_pkg_type t, const char *v, const char *intro, const char *fixed, const char *last)
{
	if (intro && *intro && strcmp(intro, "0") && shp_vercmp(t, v, intro) < 0)
		return 0;
	if (fixed && *fixed)
		return shp_vercmp(t, v, fixed) < 0;
	if (last && *last)
		return shp_vercmp(t, v, last) <= 0;
	return 1;
}

/* The best severity any source gives the vulnerability or one of its aliases. */
static void severity_of(sqlite3_stmt *q, struct shp_vuln_match *m)
{
	char *names[2] = {m->id, m->aliases};
	for (int k = 0; k < 2 && !m->severity_known; k++) {
		if (!names[k])
			continue;
		/* aliases are comma-separated; each is looked up */
		char *save = NULL, *copy = shp_xstrdup(names[k]);
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
				int sev = sqlite3_column_int(q, 0);
				double cvss = sqlite3_column_double(q, 1);
				if (sev >= 0 && (!m->severity_known || sev > (int)m->severity)) {
					m->severity = (enum shp_severity)sev;
					m->severity_known = 1;
				}
				if (cvss > m->cvss)
					m->cvss = cvss;
			}
		}
		free(copy);
	}
}

int shp_vulndb_match(struct shp_vulndb *db, const struct shp_os *os, const struct shp_pkgs *pkgs,
		     struct shp_vuln_matches *out, struct shp_error **err)
{
	struct shp_arena A = {0};
	const char *key = os && os->id ? shp_os_key(os, &A) : NULL;
	out->os_key = key ? shp_xstrdup(key) : NULL;
	shp_arena_free(&A);
	sqlite3_stmt *cov = NULL, *q = NULL, *vq = NULL, *sq = NULL;
	int rc = -1;
	/* a package's rows first, their versions compared here; the record's text and its source's
	 * name only for the rows that match (most do not: a package has many fixed vulnerabilities,
	 * and each lookup is a page of the database elsewhere) */
	if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM affected WHERE distro = ?1 LIMIT 1", -1, &cov, NULL) ||
	    sqlite3_prepare_v2(db->db,
			       "SELECT vuln, introduced, fixed, last_affected, state, severity, source FROM affected"
			       " WHERE distro = ?1 AND package = ?2 AND type = ?3 ORDER BY vuln, fixed IS NULL",
			       -1, &q, NULL) ||
	    sqlite3_prepare_v2(
		    db->db,
		    "SELECT v.aliases, v.summary, v.severity, v.cvss, (SELECT name FROM sources WHERE id = ?2)"
		    " FROM (SELECT 1) LEFT JOIN vulns v ON v.id = ?1 AND v.source = ?2",
		    -1, &vq, NULL) ||
	    sqlite3_prepare_v2(db->db,
			       "SELECT MAX(v.severity), MAX(v.cvss) FROM names n JOIN vulns v ON v.id = n.vuln AND"
			       " v.source = n.source WHERE n.name = ?1",
			       -1, &sq, NULL)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
		goto out;
	}
	if (out->os_key) {
		sqlite3_bind_text(cov, 1, out->os_key, -1, SQLITE_STATIC);
		out->os_covered = sqlite3_step(cov) == SQLITE_ROW;
	}
	for (size_t i = 0; i < pkgs->n; i++) {
		const struct shp_pkg *p = &pkgs->v[i];
		if (p->hidden)
			continue; /* removed by a later layer: not installed */
		int lang = SHP_PKG_IS_LANG(p->type);
		out->os_pkgs += !lang;
		const char *dkey = lang ? shp_pkg_type_name(p->type) : out->os_key;
		if (lang && !shp_eco(p->type)->osv) {
			out->lang_seen |= 1u << p->type;
			out->no_feed[p->type]++;
			continue; /* no feed has them: the report says so */
		}
		if (lang && !(out->lang_seen & (1u << p->type))) {
			out->lang_seen |= 1u << p->type;
			sqlite3_reset(cov);
			sqlite3_bind_text(cov, 1, dkey, -1, SQLITE_STATIC);
			if (sqlite3_step(cov) == SQLITE_ROW)
				out->lang_covered |= 1u << p->type;
		}
		if (!dkey)
			continue; /* an OS package of an unknown OS */
		/* feeds key Debian and Alpine by source package, rpm feeds often by binary name; a
		 * language package by its own name (in its ecosystem's normal form: PyPI's PEP 503) */
		char *(*normalize)(const char *) = shp_eco(p->type)->normalize;
		_cleanup_free_ char *norm = normalize ? normalize(p->name) : NULL;
		const char *names[2] = {norm ? norm : p->source, !lang && strcmp(p->source, p->name) ? p->name : NULL};
		const char *vers[2] = {p->source_version, p->version};
		size_t first = out->n;
		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, dkey, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 2, names[k], -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 3, (int)p->type);
			int s;
			while ((s = sqlite3_step(q)) == SQLITE_ROW) {
				const char *id = (const char *)sqlite3_column_text(q, 0);
				const char *intro = (const char *)sqlite3_column_text(q, 1);
				const char *fixed = (const char *)sqlite3_column_text(q, 2);
				const char *last = (const char *)sqlite3_column_text(q, 3);
				if (!id || !in_range(p->type, vers[k], intro, fixed, last))
					continue;
				int dup = 0; /* one match per vulnerability and package */
				for (size_t j = first; j < out->n && !dup; j++)
					dup = !strcmp(out->v[j].id, id);
				if (dup)
					continue;
				struct shp_vuln_match m = {.pkg = p, .id = shp_xstrdup(id)};
				m.fixed = fixed && *fixed ? shp_xstrdup(fixed) : NULL;
				m.state = (enum shp_vuln_state)sqlite3_column_int(q, 4);
				m.matched = shp_xstrdup(names[k]);
				int rowsev = sqlite3_column_int(q, 5), vsev = -1;
				sqlite3_reset(vq);
				sqlite3_bind_text(vq, 1, id, -1, SQLITE_STATIC);
				sqlite3_bind_int64(vq, 2, sqlite3_column_int64(q, 6));
				if (sqlite3_step(vq) == SQLITE_ROW) {
					m.aliases = col_dup(vq, 0);
					m.summary = col_dup(vq, 1);
					vsev = sqlite3_column_type(vq, 2) == SQLITE_NULL ? -1
											 : sqlite3_column_int(vq, 2);
					m.cvss = sqlite3_column_double(vq, 3);
					m.source = col_dup(vq, 4);
				}
				/* the distro's own rating first, then the record's, then any source's */
				if (rowsev >= 0 || vsev >= 0) {
					m.severity = (enum shp_severity)(rowsev >= 0 ? rowsev : vsev);
					m.severity_known = 1;
				}
				severity_of(sq, &m);
				if (!m.severity_known && m.cvss > 0) {
					m.severity = shp_severity_of_cvss(m.cvss);
					m.severity_known = 1;
				}
				if (!m.severity_known)
					m.severity = SHP_SEV_MEDIUM;
				SHP_PUSH(out->v, out->n, out->cap, m);
			}
			if (s != SQLITE_DONE) {
				shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
				goto out;
			}
		}
	}
	rc = 0;
out:
	sqlite3_finalize(cov);
	sqlite3_finalize(q);
	sqlite3_finalize(vq);
	sqlite3_finalize(sq);
	return rc;
}

void shp_vuln_matches_free(struct shp_vuln_matches *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct shp_vuln_match *x = &m->v[i];
		free(x->id);
		free(x->aliases);
		free(x->summary);
		free(x->fixed);
		free(x->matched);
		free(x->source);
	}
	free(m->v);
	free((char *)m->os_key);
	memset(m, 0, sizeof *m);
}
