/* internal.h - what vulndb.c and import.c share. */
#pragma once
#include "vuln/vulndb.h"

#include <sqlite3.h>

struct shp_vulndb {
	sqlite3 *db;
	char *path;
};

/* Runs SQL (no results); -1 with err naming the database. */
int shp_vulndb_exec(struct shp_vulndb *db, const char *sql, struct shp_error **err);
