/* internal.h - what vulndb.c and import.c share. */
#pragma once
#include "vuln/vulndb.h"

#include <sqlite3.h>

#include <sys/types.h>

struct shp_vulndb {
	sqlite3 *db;
	char *path;
	/* an import's: the copy it writes (renamed over path by shp_vulndb_commit), the lock
	 * that keeps other imports out meanwhile, and path's mode and owner to give the copy */
	char *tmp;
	int lock_fd;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int replace; /* path is of another schema: the import starts empty and replaces it */
	int readers; /* an import's threads reading a dump's records (0: the cores but one, 1 to 4) */
	/* read: the file db reads, when path named it before and after it was opened (0: not
	 * known), so that another connection can be made to the same file */
	dev_t dev;
	ino_t ino;
};

/* Runs SQL (no results); -1 with err naming the database. */
int shp_vulndb_exec(struct shp_vulndb *db, const char *sql, struct shp_error **err);

/* The number of a source's n-th row in vulns and affected: a source's rows are the
 * range [SHP_VULNDB_ROW(s, 0), SHP_VULNDB_ROW(s + 1, 0)), 2^40 rows wide. */
#define SHP_VULNDB_ROW(source, n) (((long long)(source) << 40) + (long long)(n))
