/* vulndb.c - see vulndb.h: the SQLite schema, opening, info and matching. The feed readers
 * are in import.c. */
#include "vuln/vulndb.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"
#include "vuln/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 3: sources are named by what they are about (import.c), not by the file they came from;
 * 4: feeds (where each came from, its validators and date), and per source the feed that gave
 * it, whether that was whole, and the data's own date;
 * 5: a record stored once per source (an OSV source is the dump, "osv:Debian", not each
 * release), its rows kept by package (SHP_VULNDB_ROW);
 * 6: an affected row carries the number of its record's vulns row (vrow) */
#define SCHEMA_VERSION SHP_VULNDB_SCHEMA
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
	 * date, else the feed's, 0 unknown; next: the number its next row takes (its affected
	 * rows are counted per distro, in source_distros) */
	"CREATE TABLE IF NOT EXISTS sources(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT,"
	" imported INTEGER, vulns INTEGER, feed TEXT, complete INTEGER NOT NULL DEFAULT 0,"
	" modified INTEGER NOT NULL DEFAULT 0, next INTEGER NOT NULL DEFAULT 0);"
	/* the distros (and language ecosystems) a source has rows for, and how many: coverage
	 * and db info without reading affected */
	"CREATE TABLE IF NOT EXISTS source_distros(source INTEGER NOT NULL, distro TEXT NOT NULL,"
	" affected INTEGER NOT NULL, PRIMARY KEY(source, distro)) WITHOUT ROWID;"
	/* A row of vulns or affected is numbered SHP_VULNDB_ROW(source, n): a source's rows are
	 * one range, which an import replacing it deletes without reading the rest, and vulns
	 * are written in the order they are numbered (appended, not inserted).
	 * A vulnerability as one source tells it; severity -1 when the source gives none. */
	"CREATE TABLE IF NOT EXISTS vulns(id TEXT NOT NULL, source INTEGER NOT NULL, aliases TEXT, summary TEXT,"
	" severity INTEGER NOT NULL DEFAULT -1, cvss REAL NOT NULL DEFAULT 0, modified TEXT);"
	"CREATE UNIQUE INDEX IF NOT EXISTS vulns_by_id ON vulns(id, source);"
	/* the aliases of a vulnerability (its id is in vulns), to share severities between
	 * sources; the key is the whole row (a table and an index of it would store it twice) */
	"CREATE TABLE IF NOT EXISTS names(name TEXT NOT NULL, vuln TEXT NOT NULL, source INTEGER NOT NULL,"
	" PRIMARY KEY(name, vuln, source)) WITHOUT ROWID;"
	/* the packages rows are about, each once: an affected row carries a number, not three
	 * strings */
	"CREATE TABLE IF NOT EXISTS packages(id INTEGER PRIMARY KEY, distro TEXT NOT NULL, type INTEGER NOT NULL,"
	" name TEXT NOT NULL, UNIQUE(distro, name, type));"
	/* kept in package order: a package's rows are next to each other, so matching an image
	 * reads a page or two per package, not a page per row */
	"CREATE TABLE IF NOT EXISTS affected(package INTEGER NOT NULL, row INTEGER NOT NULL, source INTEGER NOT NULL,"
	" vuln TEXT NOT NULL, introduced TEXT, fixed TEXT, last_affected TEXT, state INTEGER NOT NULL,"
	" severity INTEGER NOT NULL DEFAULT -1, vrow INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(package, row))"
	" WITHOUT ROWID;"
	/* the same rows with their package's distro, type and name, for people reading the
	 * database with sqlite3 */
	"CREATE VIEW IF NOT EXISTS affected_packages AS SELECT a.vuln, a.source, p.distro, p.type, p.name AS package,"
	" a.introduced, a.fixed, a.last_affected, a.state, a.severity FROM affected a JOIN packages p ON p.id = "
	"a.package;";

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
 * empty_ok, an empty one to make ours). -2 with err when it is ours, of another schema. */
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
			      "%s: schema version %s, this shipshape reads %s (db update makes a new one in its place; "
			      "or import again into a new file)",
			      path, ver, SCHEMA_VERSION);
		rc = -2;
	} else if (rc != SQLITE_OK) {
		not_ours(path, db, err);
		rc = -1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return rc == -2 ? -2 : -1;
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

int shp_vulndb_lock(const char *path, char **real, struct shp_error **err)
{
	/* a database reached through a symlink is replaced where it is, and the link kept */
	struct stat st;
	char *p = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : shp_xstrdup(path);
	if (!p)
		return shp_error_errno(err, errno, "%s", path);
	_cleanup_free_ char *lock = shp_asprintf("%s.lock", p);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		free(p);
		return shp_error_errno(err, errno, "%s", lock);
	}
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			shp_error_errno(err, errno, "%s: lock", lock);
			close(fd);
			free(p);
			return -1;
		}
	*real = p;
	return fd;
}

/* Takes db->path's lock (imports one at a time: each copies what the one before renamed into
 * place) and clears what a killed import left. */
static int lock_path(struct shp_vulndb *db, struct shp_error **err)
{
	char *real;
	db->lock_fd = shp_vulndb_lock(db->path, &real, err);
	if (db->lock_fd < 0)
		return -1;
	free(db->path);
	db->path = real;
	/* under the lock, a copy left there is a killed import's */
	_cleanup_free_ char *tmp = shp_asprintf("%s.import", db->path);
	_cleanup_free_ char *journal = shp_asprintf("%s-journal", tmp);
	(void)unlink(tmp);
	(void)unlink(journal);
	return 0;
}

/* The copy an import writes, db->tmp, made from the database at db->path (if there is one)
 * while holding db->path's lock (lock_path). */
static int make_copy(struct shp_vulndb *db, struct shp_error **err)
{
	struct stat st;
	db->tmp = shp_asprintf("%s.import", db->path);
	int have = lstat(db->path, &st) == 0;
	if (have && !S_ISREG(st.st_mode))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a regular file (a database is written in its place)",
				     db->path);
	if (!have && errno != ENOENT)
		return shp_error_errno(err, errno, "%s", db->path);
	db->mode = have ? st.st_mode & 07777 : 0644;
	db->uid = have ? st.st_uid : (uid_t)-1;
	db->gid = have ? st.st_gid : (gid_t)-1;
	if (have && !db->replace) {
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
	/* one thread at a time uses it (an import's readers hand their rows to one): no mutex */
	if (sqlite3_open_v2(db->tmp, &db->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
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
	if (!create) {
		rc = open_checked(path, SQLITE_OPEN_READONLY, 0, &db->db, err);
		/* an update renames a new file over path, never the same one back */
		struct stat now;
		if (rc == 0 && stat(path, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev) {
			db->dev = st.st_dev;
			db->ino = st.st_ino;
		}
	} else if (!strcmp(path, ":memory:"))
		rc = open_checked(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1, &db->db, err) < 0
			     ? -1
			     : make_schema(db, err);
	else
		rc = lock_path(db, err) < 0 ? -1 : make_copy(db, err);
	if (rc < 0) {
		shp_vulndb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int shp_vulndb_open_update(const char *path, struct shp_vulndb **out, struct shp_error **err)
{
	struct stat st;
	if (!strcmp(path, ":memory:") || stat(path, &st) < 0)
		return shp_vulndb_open(path, 1, out, err); /* a new database: the copy as any import */
	struct shp_vulndb *db = shp_xcalloc(1, sizeof *db);
	db->path = shp_xstrdup(path);
	db->lock_fd = -1;
	/* the lock is held from here to the end, so the validators read now are those of the
	 * database a copy would be made of: no other update can commit in between */
	int rc = lock_path(db, err) < 0 ? -1 : open_checked(db->path, SQLITE_OPEN_READONLY, 0, &db->db, err);
	if (rc == -2) {
		/* a database of an older (or newer) shipshape: every source is fetched again and
		 * the new database replaces it, as Trivy's does at a schema change; until then
		 * feeds are asked for as if there were none */
		shp_note("%s: a database of another shipshape's schema: db update makes one of schema %s in its "
			 "place, fetching every source",
			 path, SCHEMA_VERSION);
		shp_error_free(*err);
		*err = NULL;
		db->replace = 1;
		rc = open_checked(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1, &db->db, err) < 0
			     ? -1
			     : make_schema(db, err);
	}
	if (rc < 0) {
		shp_vulndb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int shp_vulndb_writable(struct shp_vulndb *db, struct shp_error **err)
{
	if (db->tmp || !strcmp(db->path, ":memory:"))
		return 0;
	if (db->lock_fd < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: opened to read, not to import", db->path);
	sqlite3_close(db->db);
	db->db = NULL;
	return make_copy(db, err);
}

int shp_vulndb_mark_checked(struct shp_vulndb *db, struct shp_error **err)
{
	if (db->tmp || !strcmp(db->path, ":memory:"))
		return 0;
	/* the file's mtime, set to now: no byte of it is rewritten (times NULL needs only write
	 * permission, not ownership) */
	if (utimensat(AT_FDCWD, db->path, NULL, 0) < 0)
		return shp_error_errno(err, errno, "%s: recording the check", db->path);
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
	shp_fsync_dir_of(db->path); /* the rename itself outlives a crash */
	return 0;
}

void shp_vulndb_set_readers(struct shp_vulndb *db, int n) { db->readers = n; }

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

/* ---- info ----------------------------------------------------------------------------- */

/* A span of seconds for people: "40 min", "5 h", "12 d". */
static void span_text(char *out, size_t n, double secs)
{
	if (secs < 0)
		secs = 0;
	if (secs < 3600)
		snprintf(out, n, "%.0f min", secs / 60);
	else if (secs < 86400)
		snprintf(out, n, "%.0f h", secs / 3600);
	else
		snprintf(out, n, "%.0f d", secs / 86400);
}

static void json_str_or_null(struct shp_buf *b, const char *key, const char *v)
{
	shp_buf_printf(b, ",\"%s\":", key);
	if (v)
		shp_buf_json_str(b, v);
	else
		shp_buf_puts(b, "null");
}

/* The feeds, with what each gave: "1" and so on in the text's sources table. */
static int info_feeds(struct shp_vulndb *db, struct shp_buf *out, int json, struct shp_error **err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(
		    db->db,
		    "SELECT f.name, f.url, f.etag, f.last_modified, f.sha256, f.fetched, f.modified, f.bytes,"
		    " (SELECT group_concat(name, ',') FROM (SELECT name FROM sources WHERE feed = f.name"
		    " ORDER BY name)) FROM feeds f WHERE EXISTS (SELECT 1 FROM sources WHERE feed = f.name)"
		    " ORDER BY f.name",
		    -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	if (json)
		shp_buf_puts(out, ",\"feeds\":[");
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *t[5];
		for (int i = 0; i < 5; i++)
			t[i] = (const char *)sqlite3_column_text(q, i);
		long long fetched = sqlite3_column_int64(q, 5), modified = sqlite3_column_int64(q, 6),
			  bytes = sqlite3_column_int64(q, 7);
		const char *sources = (const char *)sqlite3_column_text(q, 8);
		char when[32], date[32];
		shp_timestamp(when, fetched);
		shp_timestamp(date, modified);
		n++;
		if (json) {
			shp_buf_puts(out, n > 1 ? ",{\"name\":" : "{\"name\":");
			shp_buf_json_str(out, t[0] ? t[0] : "");
			json_str_or_null(out, "url", t[1]);
			json_str_or_null(out, "etag", t[2]);
			json_str_or_null(out, "last_modified", t[3]);
			json_str_or_null(out, "sha256", t[4]);
			shp_buf_printf(out, ",\"fetched\":\"%s\",\"modified\":", when);
			if (modified)
				shp_buf_printf(out, "\"%s\"", date);
			else
				shp_buf_puts(out, "null");
			if (bytes)
				shp_buf_printf(out, ",\"bytes\":%lld", bytes);
			else
				shp_buf_puts(out, ",\"bytes\":null");
			shp_buf_puts(out, ",\"sources\":[");
			/* names are printable ASCII without commas (import.c's use_source) */
			for (const char *s = sources ? sources : "", *c; *s; s = *c ? c + 1 : c) {
				c = strchrnul(s, ',');
				if (s != (sources ? sources : ""))
					shp_buf_putc(out, ',');
				_cleanup_free_ char *one = shp_xstrndup(s, (size_t)(c - s));
				shp_buf_json_str(out, one);
			}
			shp_buf_puts(out, "]}");
			continue;
		}
		/* the feed, then where it came from when that is not its name, and what it was */
		if (n == 1)
			shp_buf_puts(out, "  feed\n");
		shp_buf_printf(out, "  %-4d %s\n", n, t[0] ? t[0] : "");
		if (t[1] && (!t[0] || strcmp(t[0], t[1])))
			shp_buf_printf(out, "       %s\n", t[1]);
		shp_buf_printf(out, "       fetched %s", when);
		if (bytes)
			shp_buf_printf(out, ", %lld bytes", bytes);
		if (t[4])
			shp_buf_printf(out, ", sha256 %.16s", t[4]);
		if (t[2])
			shp_buf_printf(out, ", etag %s", t[2]);
		else if (t[3])
			shp_buf_printf(out, ", last-modified %s", t[3]);
		shp_buf_putc(out, '\n');
	}
	sqlite3_finalize(q);
	if (json)
		shp_buf_putc(out, ']');
	return 0;
}

int shp_vulndb_info(struct shp_vulndb *db, struct shp_buf *out, int json, struct shp_error **err)
{
	sqlite3_stmt *q = NULL;
	/* the feed's number, as info_feeds lists them */
	if (sqlite3_prepare_v2(
		    db->db,
		    "SELECT s.name, s.kind, s.imported, s.vulns, (SELECT COALESCE(SUM(affected), 0) FROM source_distros"
		    " WHERE source = s.id), (SELECT group_concat(distro)"
		    " FROM (SELECT distro FROM source_distros WHERE source = s.id ORDER BY distro)), s.feed,"
		    " s.complete, s.modified, f.url, f.fetched, (SELECT COUNT(DISTINCT g.name) FROM feeds g WHERE"
		    " g.name <= f.name AND EXISTS (SELECT 1 FROM sources WHERE feed = g.name)) FROM sources s"
		    " LEFT JOIN feeds f ON f.name = s.feed ORDER BY s.name",
		    -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	time_t now = time(NULL);
	long long tv = 0, ta = 0;
	size_t n = 0;
	/* "checked": the file's mtime, the last db update that found every feed unchanged
	 * (shp_vulndb_mark_checked) or the last import that wrote it; a feed's "fetched" is when
	 * its data was downloaded */
	struct stat sb;
	char checked[32] = "";
	if (strcmp(db->path, ":memory:") && stat(db->path, &sb) == 0)
		shp_timestamp(checked, (long long)sb.st_mtime);
	if (json) {
		shp_buf_puts(out, "{\"database\":");
		shp_buf_json_str(out, db->path);
		json_str_or_null(out, "checked", *checked ? checked : NULL);
		shp_buf_puts(out, ",\"sources\":[");
	} else
		shp_buf_printf(out, "%s%s%s%s\n  %-28s %-14s %7s %9s  %-9s %-9s %-9s %-4s %s\n", db->path,
			       *checked ? " (checked " : "", checked, *checked ? ")" : "", "source", "kind", "vulns",
			       "affected", "fetched", "data age", "data", "feed", "distros");
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0),
			   *kind = (const char *)sqlite3_column_text(q, 1);
		long long imported = sqlite3_column_int64(q, 2), v = sqlite3_column_int64(q, 3),
			  a = sqlite3_column_int64(q, 4);
		const char *distros = (const char *)sqlite3_column_text(q, 5),
			   *feed = (const char *)sqlite3_column_text(q, 6);
		int complete = sqlite3_column_int(q, 7);
		long long modified = sqlite3_column_int64(q, 8);
		const char *url = (const char *)sqlite3_column_text(q, 9);
		/* a feed row is there since schema 4; the import's time stands in before */
		long long fetched = sqlite3_column_type(q, 10) == SQLITE_NULL ? imported : sqlite3_column_int64(q, 10);
		int feedno = sqlite3_column_int(q, 11);
		long long dated = modified ? modified : imported;
		tv += v;
		ta += a;
		double fetched_days = difftime(now, (time_t)fetched) / 86400.0,
		       days = difftime(now, (time_t)dated) / 86400.0;
		char fetched_at[32], date[32];
		shp_timestamp(fetched_at, fetched);
		shp_timestamp(date, dated);
		if (json) {
			shp_buf_puts(out, n ? ",{\"name\":" : "{\"name\":");
			shp_buf_json_str(out, name ? name : "");
			shp_buf_puts(out, ",\"kind\":");
			shp_buf_json_str(out, kind ? kind : "");
			json_str_or_null(out, "feed", feed);
			json_str_or_null(out, "url", url);
			shp_buf_printf(out,
				       ",\"complete\":%s,\"fetched\":\"%s\",\"fetched_age_days\":%.2f,"
				       "\"data_date\":\"%s\",\"age_days\":%.2f,\"imported\":%lld,\"vulns\":%lld,"
				       "\"affected\":%lld,\"distros\":",
				       complete ? "true" : "false", fetched_at, fetched_days, date, days, imported, v,
				       a);
			shp_buf_json_str(out, distros ? distros : "");
			shp_buf_putc(out, '}');
		} else {
			char fage[32], dage[32], fno[16];
			span_text(fage, sizeof fage, fetched_days * 86400);
			strcat(fage, " ago");
			span_text(dage, sizeof dage, days * 86400);
			snprintf(fno, sizeof fno, feed ? "%d" : "-", feedno);
			shp_buf_printf(out, "  %-28s %-14s %7lld %9lld  %-9s %-9s %-9s %-4s %s\n", name ? name : "",
				       kind ? kind : "", v, a, fage, dage, complete ? "complete" : "partial", fno,
				       distros ? distros : "");
		}
		n++;
	}
	sqlite3_finalize(q);
	if (json)
		shp_buf_putc(out, ']');
	if (info_feeds(db, out, json, err) < 0)
		return -1;
	/* a vulnerability in many sources (a CVE in each release's) counts once */
	if (sqlite3_prepare_v2(db->db, "SELECT COUNT(DISTINCT id) FROM vulns", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		tv = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (json)
		shp_buf_printf(out, ",\"totals\":{\"sources\":%zu,\"vulns\":%lld,\"affected\":%lld}}\n", n, tv, ta);
	else
		shp_buf_printf(out, "%zu source%s, %lld vulnerabilities, %lld affected-package rows\n", n,
			       n == 1 ? "" : "s", tv, ta);
	return 0;
}

/* ---- coverage -------------------------------------------------------------------------- */

int shp_vulndb_coverage(struct shp_vulndb *db, const char *key, struct shp_vuln_coverage *out, struct shp_error **err)
{
	memset(out, 0, sizeof *out);
	out->key = shp_xstrdup(key);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT s.name, s.complete, s.modified, s.imported, s.vulns FROM sources s JOIN"
			       " source_distros d ON d.source = s.id WHERE d.distro = ?1 ORDER BY s.name",
			       -1, &q, NULL) != SQLITE_OK)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct shp_vuln_source src = {.name = col_dup(q, 0), .complete = sqlite3_column_int(q, 1) != 0};
		long long modified = sqlite3_column_int64(q, 2);
		src.modified = modified ? modified : sqlite3_column_int64(q, 3);
		src.vulns = sqlite3_column_int64(q, 4);
		SHP_PUSH(out->src, out->n, cap, src);
		out->covered |= src.complete;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
	out->partial = out->n && !out->covered;
	for (size_t i = 0; i < out->n; i++)
		if (!out->oldest || out->src[i].modified < out->modified) {
			out->modified = out->src[i].modified;
			out->oldest = out->src[i].name;
		}
	return 0;
}

void shp_vuln_coverage_free(struct shp_vuln_coverage *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->src[i].name);
	free(c->src);
	free(c->key);
	memset(c, 0, sizeof *c);
}

const struct shp_vuln_coverage *shp_vuln_matches_coverage(const struct shp_vuln_matches *m, const char *key)
{
	for (size_t i = 0; key && i < m->ncov; i++)
		if (!strcmp(m->cov[i].key, key))
			return &m->cov[i];
	return NULL;
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

/* Adds to m what the database holds for key. */
static int add_coverage(struct shp_vulndb *db, struct shp_vuln_matches *m, const char *key, struct shp_error **err)
{
	struct shp_vuln_coverage c;
	int rc = shp_vulndb_coverage(db, key, &c, err);
	if (rc < 0)
		shp_vuln_coverage_free(&c);
	else
		SHP_PUSH(m->cov, m->ncov, m->ccov, c);
	return rc;
}

/* ---- one finding per vulnerability ------------------------------------------------------ */

/* A vulnerability is often told several times for one package: by two feeds of its distro
 * (osv:Debian and debian-tracker:bookworm), under the source and the binary package's
 * name, as an advisory (DSA, DLA, ALSA, GHSA) and as the CVE it fixes. Trivy reports the CVE,
 * with the vendor's advisories beside it; so do we: the matches of one package that name the
 * same CVE (as id, alias or upstream) are one, whose id is the CVE and whose aliases are the
 * other ids; an advisory naming several CVEs joins each of them (it is not one vulnerability:
 * a DSA fixing five CVEs is five); matches naming no CVE (a GHSA and the PYSEC record that
 * aliases it) are one when they share an id, the GHSA's id kept. Of the merged matches, the
 * one with the highest fixed version gives the fix (the version that fixes them all), the
 * summary and the source; the severity and CVSS are the highest any of them gives. */

struct vgroup {
	struct shp_vuln_match m; /* merged; m.aliases unused until the end */
	struct shp_buf names;	 /* ",ID,ALIAS,...," every name it goes by, the id's first */
	struct shp_buf sources;	 /* ",SOURCE,...," */
};

static int has_name(const struct shp_buf *b, const char *name)
{
	if (!b->len)
		return 0;
	size_t n = strlen(name);
	for (const char *p = b->data; (p = strstr(p, name)); p++)
		if (p > b->data && p[-1] == ',' && p[n] == ',')
			return 1;
	return 0;
}

static void add_name(struct shp_buf *b, const char *name, size_t n)
{
	char tmp[256];
	if (!n || n >= sizeof tmp)
		return;
	memcpy(tmp, name, n);
	tmp[n] = 0;
	if (has_name(b, tmp))
		return;
	if (!b->len)
		shp_buf_putc(b, ',');
	shp_buf_add(b, tmp, n);
	shp_buf_putc(b, ',');
}

static int is_cve(const char *s, size_t n) { return n > 4 && !memcmp(s, "CVE-", 4); }

/* The names of a match one by one: its id, then its aliases. */
struct name_it {
	const struct shp_vuln_match *x;
	const char *next; /* in x->aliases, once the id was given */
};

static int next_name(struct name_it *it, const char **s, size_t *n)
{
	if (!it->next) {
		*s = it->x->id;
		*n = strlen(*s);
		it->next = it->x->aliases ? it->x->aliases : "";
		return 1;
	}
	while (*it->next == ',')
		it->next++;
	if (!*it->next)
		return 0;
	*s = it->next;
	*n = strcspn(it->next, ",");
	it->next += *n;
	return 1;
}

static size_t ncves(const struct shp_vuln_match *x)
{
	size_t c = 0, n;
	const char *s;
	for (struct name_it it = {x}; next_name(&it, &s, &n);)
		c += is_cve(s, n);
	return c;
}

static void group_take(struct vgroup *g, const struct shp_vuln_match *x, int fresh, enum shp_pkg_type type)
{
	struct shp_vuln_match *m = &g->m;
	int better_fix = x->state == SHP_VS_FIXED && (m->state != SHP_VS_FIXED || !m->fixed ||
						      (x->fixed && shp_vercmp(type, x->fixed, m->fixed) > 0));
	if (fresh || better_fix) {
		free(m->fixed);
		free(m->matched);
		free(m->source);
		m->fixed = x->fixed ? shp_xstrdup(x->fixed) : NULL;
		m->matched = x->matched ? shp_xstrdup(x->matched) : NULL;
		m->source = x->source ? shp_xstrdup(x->source) : NULL;
		m->state = x->state;
	}
	if (x->summary && (!m->summary || better_fix)) {
		free(m->summary);
		m->summary = shp_xstrdup(x->summary);
	}
	if (x->severity_known && (!m->severity_known || x->severity > m->severity)) {
		m->severity = x->severity;
		m->severity_known = 1;
	} else if (fresh)
		m->severity = x->severity;
	if (x->cvss > m->cvss)
		m->cvss = x->cvss;
	if (x->source)
		add_name(&g->sources, x->source, strlen(x->source));
}

/* The group whose names include one of x's (cve: only that one), or NULL. */
static struct vgroup *group_find(struct vgroup *g, size_t n, const struct shp_vuln_match *x, const char *cve)
{
	for (size_t i = 0; i < n; i++) {
		if (cve) {
			if (!strcmp(g[i].m.id, cve))
				return &g[i];
			continue;
		}
		char tmp[256];
		const char *s;
		size_t k;
		for (struct name_it it = {x}; next_name(&it, &s, &k);) {
			if (k >= sizeof tmp)
				continue;
			memcpy(tmp, s, k);
			tmp[k] = 0;
			if (has_name(&g[i].names, tmp))
				return &g[i];
		}
	}
	return NULL;
}

static struct vgroup *group_new(struct vgroup **g, size_t *n, size_t *cap, const struct shp_vuln_match *x,
				const char *id, size_t idn, enum shp_pkg_type type)
{
	struct vgroup z = {.m = {.pkg = x->pkg, .id = shp_xstrndup(id, idn)}};
	add_name(&z.names, id, idn);
	group_take(&z, x, 1, type);
	SHP_PUSH(*g, *n, *cap, z);
	return &(*g)[*n - 1];
}

static void match_free(struct shp_vuln_match *x)
{
	free(x->id);
	free(x->aliases);
	free(x->summary);
	free(x->fixed);
	free(x->matched);
	free(x->source);
	free(x->sources);
}

static int match_order(const void *a, const void *b)
{
	const struct shp_vuln_match *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	if (!x->fixed != !y->fixed)
		return !x->fixed - !y->fixed;
	return x->fixed ? strcmp(x->fixed, y->fixed) : 0;
}

/* Merges out->v[first..] (one package's matches) into one per vulnerability, as above. */
static void merge_matches(struct shp_vuln_matches *out, size_t first, enum shp_pkg_type type)
{
	if (out->n == first)
		return;
	struct vgroup *g = NULL;
	size_t ng = 0, cap = 0;
	/* the matches that name CVEs first: their groups are the CVEs' */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = first; i < out->n; i++) {
			const struct shp_vuln_match *x = &out->v[i];
			size_t c = ncves(x);
			if ((pass == 0) != (c > 0))
				continue;
			const char *s, *t;
			size_t n, k;
			if (c) {
				for (struct name_it it = {x}; next_name(&it, &s, &n);) {
					char cve[256];
					if (!is_cve(s, n) || n >= sizeof cve)
						continue;
					memcpy(cve, s, n);
					cve[n] = 0;
					struct vgroup *h = group_find(g, ng, x, cve);
					if (h)
						group_take(h, x, 0, type);
					else
						h = group_new(&g, &ng, &cap, x, s, n, type);
					/* its other names, but not the other CVEs it fixes */
					for (struct name_it o = {x}; next_name(&o, &t, &k);)
						if (!is_cve(t, k))
							add_name(&h->names, t, k);
				}
				continue;
			}
			struct vgroup *h = group_find(g, ng, x, NULL);
			if (h)
				group_take(h, x, 0, type);
			else {
				/* GitHub's id when the record has one: what the language feeds share */
				const char *id = x->id;
				size_t idn = strlen(id);
				for (struct name_it it = {x}; next_name(&it, &s, &n);)
					if (n > 5 && !memcmp(s, "GHSA-", 5) && strncmp(id, "GHSA-", 5)) {
						id = s;
						idn = n;
					}
				h = group_new(&g, &ng, &cap, x, id, idn, type);
			}
			for (struct name_it it = {x}; next_name(&it, &s, &n);)
				add_name(&h->names, s, n);
		}
	for (size_t i = first; i < out->n; i++)
		match_free(&out->v[i]);
	out->n = first;
	for (size_t i = 0; i < ng; i++) {
		struct shp_vuln_match m = g[i].m;
		/* the names after the id's (",ID,A,B," -> "A,B"), the sources the same way */
		const char *rest = g[i].names.data + 1 + strlen(m.id) + 1;
		m.aliases = *rest ? shp_xstrndup(rest, strlen(rest) - 1) : NULL;
		const char *src = g[i].sources.len ? g[i].sources.data + 1 : "";
		m.sources = *src ? shp_xstrndup(src, strlen(src) - 1) : NULL;
		shp_buf_free(&g[i].names);
		shp_buf_free(&g[i].sources);
		SHP_PUSH(out->v, out->n, out->cap, m);
	}
	free(g);
}

/* The statements one connection matches with: a package's rows first, their versions compared
 * here; the record's text and its source's name only for the rows that match (most do not: a
 * package has many fixed vulnerabilities, and each lookup is a page of the database
 * elsewhere); the severity other sources give a record under its names. */
struct match_stmts {
	sqlite3_stmt *rows, *text, *by_row, *sev;
};

static int match_prepare(sqlite3 *db, struct match_stmts *s)
{
	static const char *const sql[] = {
		"SELECT a.vuln, a.introduced, a.fixed, a.last_affected, a.state, a.severity, a.source, a.vrow"
		" FROM packages p JOIN affected a ON a.package = p.id WHERE p.distro = ?1 AND p.type = ?3"
		" AND p.name = ?2",
		"SELECT v.aliases, v.summary, v.severity, v.cvss, (SELECT name FROM sources WHERE id = ?2)"
		" FROM (SELECT 1) LEFT JOIN vulns v ON v.id = ?1 AND v.source = ?2",
		"SELECT v.aliases, v.summary, v.severity, v.cvss, v.id, v.source FROM vulns v WHERE v.rowid = ?1",
		"SELECT MAX(s), MAX(c) FROM (SELECT severity AS s, cvss AS c FROM vulns WHERE id = ?1"
		" UNION ALL SELECT v.severity, v.cvss FROM names n JOIN vulns v ON v.id = n.vuln AND"
		" v.source = n.source WHERE n.name = ?1)",
	};
	sqlite3_stmt **q[] = {&s->rows, &s->text, &s->by_row, &s->sev};
	for (size_t i = 0; i < sizeof q / sizeof *q; i++)
		if (sqlite3_prepare_v2(db, sql[i], -1, q[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

static void match_finalize(struct match_stmts *s)
{
	sqlite3_finalize(s->rows);
	sqlite3_finalize(s->text);
	sqlite3_finalize(s->by_row);
	sqlite3_finalize(s->sev);
}

/* The sources' names by id, read once: a match names its source, and a lookup per match in
 * SQL cost a tenth of matching. */
struct source_names {
	long long *id;
	char **name;
	size_t n;
};

static const char *source_name(const struct source_names *s, long long id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return s->name[i];
	return NULL;
}

/* Appends to out the matches of p, whose rows are under distro key dkey, one per
 * vulnerability (merge_matches); -1 when SQLite failed (its connection's message says why). */
static int match_package(struct match_stmts *st, const struct source_names *sources, const struct shp_pkg *p,
			 const char *dkey, struct shp_vuln_matches *out)
{
	int lang = SHP_PKG_IS_LANG(p->type);
	/* feeds key Debian and Alpine by source package, rpm feeds often by binary name; a
	 * language package by its own name (in its ecosystem's normal form: PyPI's PEP 503) */
	char *(*normalize)(const char *) = shp_eco(p->type)->normalize;
	_cleanup_free_ char *norm = normalize ? normalize(p->name) : NULL;
	const char *names[2] = {norm ? norm : p->source, !lang && strcmp(p->source, p->name) ? p->name : NULL};
	const char *vers[2] = {p->source_version, p->version};
	sqlite3_stmt *q = st->rows, *vq = st->text;
	size_t first = out->n;
	for (int k = 0; k < 2; k++) {
		if (!names[k])
			continue;
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, dkey, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, names[k], -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 3, (int)p->type);
		int s;
		size_t kfirst = out->n;
		while ((s = sqlite3_step(q)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(q, 0);
			const char *intro = (const char *)sqlite3_column_text(q, 1);
			const char *fixed = (const char *)sqlite3_column_text(q, 2);
			const char *last = (const char *)sqlite3_column_text(q, 3);
			if (!id || !in_range(p->type, vers[k], intro, fixed, last))
				continue;
			struct shp_vuln_match m = {.pkg = p, .id = shp_xstrdup(id)};
			m.fixed = fixed && *fixed ? shp_xstrdup(fixed) : NULL;
			m.state = (enum shp_vuln_state)sqlite3_column_int(q, 4);
			m.matched = shp_xstrdup(names[k]);
			int rowsev = sqlite3_column_int(q, 5), vsev = -1;
			long long source = sqlite3_column_int64(q, 6), vrow = sqlite3_column_int64(q, 7);
			/* the record's row by the number the row carries (one page, not an index's and
			 * the table's), when that is still its row: a later copy of the record in the
			 * same feed replaced it; else by its id */
			sqlite3_stmt *t = st->by_row;
			sqlite3_reset(t);
			sqlite3_bind_int64(t, 1, vrow);
			if (vrow && sqlite3_step(t) == SQLITE_ROW && sqlite3_column_int64(t, 5) == source &&
			    !strcmp((const char *)sqlite3_column_text(t, 4), id)) {
				const char *name = source_name(sources, source);
				m.source = name ? shp_xstrdup(name) : NULL;
			} else {
				t = vq;
				sqlite3_reset(t);
				sqlite3_bind_text(t, 1, id, -1, SQLITE_STATIC);
				sqlite3_bind_int64(t, 2, source);
				if (sqlite3_step(t) != SQLITE_ROW)
					t = NULL;
				else
					m.source = col_dup(t, 4);
			}
			if (t) {
				m.aliases = col_dup(t, 0);
				m.summary = col_dup(t, 1);
				vsev = sqlite3_column_type(t, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(t, 2);
				m.cvss = sqlite3_column_double(t, 3);
			}
			/* the distro's own rating first, then the record's, then any source's */
			if (rowsev >= 0 || vsev >= 0) {
				m.severity = (enum shp_severity)(rowsev >= 0 ? rowsev : vsev);
				m.severity_known = 1;
			}
			severity_of(st->sev, &m);
			if (!m.severity_known && m.cvss > 0) {
				m.severity = shp_severity_of_cvss(m.cvss);
				m.severity_known = 1;
			}
			if (!m.severity_known)
				m.severity = SHP_SEV_MEDIUM;
			SHP_PUSH(out->v, out->n, out->cap, m);
		}
		if (s != SQLITE_DONE)
			return -1;
		/* by vulnerability, a fixed range before an open one (merge_matches keeps the
		 * first): sorted here, among the few rows that matched, not by SQLite among all the
		 * package's rows */
		if (out->n - kfirst > 1)
			qsort(out->v + kfirst, out->n - kfirst, sizeof *out->v, match_order);
	}
	merge_matches(out, first, p->type);
	return 0;
}

/* Packages are matched in chunks of this many, taken in turn by the threads matching. */
#define MATCH_CHUNK 32
/* Threads matching at most: each is a connection with its own page cache, and two already
 * keep two cores busy reading pages. */
#define MATCH_THREADS_MAX 4

/* What the threads matching share, and what each found. */
struct match_run {
	struct shp_vulndb *db;
	const struct shp_pkgs *pkgs;
	const char **keys;   /* per package: its distro key, NULL when it is not matched */
	size_t *counts;	     /* per package: its matches, set by the thread that took it */
	unsigned char *took; /* per chunk: the thread that took it */
	size_t nchunks;
	size_t next; /* the next chunk to take (atomic) */
	struct source_names sources;
};

struct match_part {
	struct match_run *run;
	unsigned char id;
	sqlite3 *conn; /* a worker's own connection (the first part uses the run's) */
	struct match_stmts st;
	struct shp_vuln_matches out; /* v, n and cap: its packages' matches in their order */
	int failed;
	char *msg; /* SQLite's message when failed */
	pthread_t tid;
};

/* Takes chunks until none is left. */
static void *match_chunks(void *arg)
{
	struct match_part *t = arg;
	struct match_run *r = t->run;
	sqlite3 *conn = t->conn ? t->conn : r->db->db;
	for (;;) {
		size_t c = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED);
		if (c >= r->nchunks)
			break;
		r->took[c] = t->id;
		size_t end = (c + 1) * MATCH_CHUNK < r->pkgs->n ? (c + 1) * MATCH_CHUNK : r->pkgs->n;
		for (size_t i = c * MATCH_CHUNK; i < end; i++) {
			size_t before = t->out.n;
			if (r->keys[i] && !t->failed &&
			    match_package(&t->st, &r->sources, &r->pkgs->v[i], r->keys[i], &t->out) < 0) {
				t->failed = 1;
				t->msg = shp_xstrdup(sqlite3_errmsg(conn));
			}
			r->counts[i] = t->out.n - before;
		}
	}
	return NULL;
}

/* A worker's connection to the file the run's connection reads, or NULL when it cannot have
 * one (the file was replaced since: an update renamed a new one over it). */
static sqlite3 *match_connect(struct shp_vulndb *db)
{
	sqlite3 *conn = NULL;
	struct stat st;
	if (!db->ino || sqlite3_open_v2(db->path, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    stat(db->path, &st) < 0 || st.st_ino != db->ino || st.st_dev != db->dev) {
		sqlite3_close(conn);
		return NULL;
	}
	sqlite3_busy_timeout(conn, 5000);
	return conn;
}

int shp_vulndb_match(struct shp_vulndb *db, const struct shp_os *os, const struct shp_pkgs *pkgs, int jobs,
		     struct shp_vuln_matches *out, struct shp_error **err)
{
	struct shp_arena A = {0};
	const char *key = os && os->id ? shp_os_key(os, &A) : NULL;
	out->os_key = key ? shp_xstrdup(key) : NULL;
	shp_arena_free(&A);
	struct match_run r = {.db = db, .pkgs = pkgs, .nchunks = (pkgs->n + MATCH_CHUNK - 1) / MATCH_CHUNK};
	r.keys = shp_xcalloc(pkgs->n + 1, sizeof *r.keys);
	r.counts = shp_xcalloc(pkgs->n + 1, sizeof *r.counts);
	r.took = shp_xcalloc(r.nchunks + 1, 1);
	struct match_part parts[MATCH_THREADS_MAX] = {0};
	int nparts = 1, rc = -1;
	parts[0].run = &r;
	sqlite3_stmt *q = NULL;
	if (match_prepare(db->db, &parts[0].st) < 0 ||
	    sqlite3_prepare_v2(db->db, "SELECT id, name FROM sources", -1, &q, NULL) != SQLITE_OK) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, sqlite3_errmsg(db->db));
		sqlite3_finalize(q);
		goto out;
	}
	for (size_t cap = 0; sqlite3_step(q) == SQLITE_ROW;) {
		struct source_names *sn = &r.sources;
		if (sn->n == cap) {
			sn->id = shp_xgrow(sn->id, &cap, sn->n + 1, sizeof *sn->id);
			sn->name = shp_xrealloc(sn->name, cap * sizeof *sn->name);
		}
		sn->id[sn->n] = sqlite3_column_int64(q, 0);
		sn->name[sn->n++] = col_dup(q, 1);
	}
	sqlite3_finalize(q);
	/* what is matched under which key, and the coverage of each key, here; the matching
	 * itself on as many threads as jobs allows */
	if (out->os_key) {
		if (add_coverage(db, out, out->os_key, err) < 0)
			goto out;
		out->os_covered = out->cov[0].covered;
	}
	for (size_t i = 0; i < pkgs->n; i++) {
		const struct shp_pkg *p = &pkgs->v[i];
		if (p->hidden)
			continue; /* removed by a later layer: not installed */
		int lang = SHP_PKG_IS_LANG(p->type);
		if (lang && p->owner) {
			/* it came with an OS package, which the distro's feed covers (as Trivy does):
			 * its upstream version is not what the distro patched */
			out->owned++;
			continue;
		}
		out->os_pkgs += !lang;
		const char *dkey = lang ? shp_pkg_type_name(p->type) : out->os_key;
		if (lang && !shp_eco(p->type)->osv) {
			out->lang_seen |= 1u << p->type;
			out->no_feed[p->type]++;
			continue; /* no feed has them: the report says so */
		}
		if (lang && !(out->lang_seen & (1u << p->type))) {
			out->lang_seen |= 1u << p->type;
			if (add_coverage(db, out, dkey, err) < 0)
				goto out;
			if (out->cov[out->ncov - 1].covered)
				out->lang_covered |= 1u << p->type;
		}
		r.keys[i] = dkey; /* NULL: an OS package of an unknown OS */
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int want = jobs > 0 ? jobs : cores > 0 ? (int)cores : 1;
	if ((size_t)want > r.nchunks)
		want = (int)r.nchunks;
	for (; nparts < want && nparts < MATCH_THREADS_MAX; nparts++) {
		struct match_part *t = &parts[nparts];
		*t = (struct match_part){.run = &r, .id = (unsigned char)nparts, .conn = match_connect(db)};
		if (!t->conn || match_prepare(t->conn, &t->st) < 0 || pthread_create(&t->tid, NULL, match_chunks, t)) {
			match_finalize(&t->st);
			sqlite3_close(t->conn);
			break; /* the threads started do the work */
		}
	}
	match_chunks(&parts[0]);
	for (int i = 1; i < nparts; i++)
		pthread_join(parts[i].tid, NULL);
	for (int i = 0; i < nparts; i++)
		if (parts[i].failed) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", db->path, parts[i].msg);
			goto out;
		}
	/* the parts' matches joined in package order: each took its chunks in order */
	size_t total = 0, at[MATCH_THREADS_MAX] = {0};
	for (int i = 0; i < nparts; i++)
		total += parts[i].out.n;
	out->v = shp_xcalloc(total + 1, sizeof *out->v);
	out->cap = total + 1;
	for (size_t c = 0; c < r.nchunks; c++) {
		struct match_part *t = &parts[r.took[c]];
		size_t end = (c + 1) * MATCH_CHUNK < pkgs->n ? (c + 1) * MATCH_CHUNK : pkgs->n, n = 0;
		for (size_t i = c * MATCH_CHUNK; i < end; i++)
			n += r.counts[i];
		if (!n)
			continue; /* (a part without matches has no array) */
		memcpy(out->v + out->n, t->out.v + at[t->id], n * sizeof *out->v);
		out->n += n;
		at[t->id] += n;
	}
	for (int i = 0; i < nparts; i++)
		parts[i].out.n = 0; /* moved */
	rc = 0;
out:
	for (int i = 0; i < nparts; i++) {
		for (size_t k = 0; k < parts[i].out.n; k++)
			match_free(&parts[i].out.v[k]);
		free(parts[i].out.v);
		free(parts[i].msg);
		match_finalize(&parts[i].st);
		sqlite3_close(parts[i].conn);
	}
	for (size_t i = 0; i < r.sources.n; i++)
		free(r.sources.name[i]);
	free(r.sources.id);
	free(r.sources.name);
	free(r.keys);
	free(r.counts);
	free(r.took);
	return rc;
}

void shp_vuln_matches_free(struct shp_vuln_matches *m)
{
	for (size_t i = 0; i < m->n; i++)
		match_free(&m->v[i]);
	free(m->v);
	for (size_t i = 0; i < m->ncov; i++)
		shp_vuln_coverage_free(&m->cov[i]);
	free(m->cov);
	free((char *)m->os_key);
	memset(m, 0, sizeof *m);
}
