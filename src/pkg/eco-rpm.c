/* eco-rpm.c - rpm's packages: its database in each of its three formats (rpm.c), where
 * rpm keeps it (var/lib/rpm, usr/lib/sysimage/rpm since rpm 4.16, usr/share/rpm on SUSE). */
#include "pkg/pkg.h"

#include <string.h>

/* DIR/file for one of rpm's database directories. Every entry passes here (three times):
 * those whose name is not file leave after a strlen and a memcmp. */
static inline int rpm_db(const char *path, const char *file)
{
	static const char *const dirs[] = {"var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"};
	size_t n = strlen(path), k = strlen(file);
	if (n <= k || memcmp(path + n - k, file, k) || path[n - k - 1] != '/')
		return 0;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strlen(dirs[i]) == n - k && !memcmp(path, dirs[i], n - k))
			return 1;
	return 0;
}

static int rpm_sqlite(const char *path) { return rpm_db(path, "rpmdb.sqlite"); }
static int rpm_ndb(const char *path) { return rpm_db(path, "Packages.db"); }
static int rpm_bdb(const char *path) { return rpm_db(path, "Packages"); }

static int parse_sqlite(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	return shp_pkg_parse_rpm(SHP_RPM_SQLITE, path, data, len, out, err);
}

static int parse_ndb(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	return shp_pkg_parse_rpm(SHP_RPM_NDB, path, data, len, out, err);
}

static int parse_bdb(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	return shp_pkg_parse_rpm(SHP_RPM_BDB, path, data, len, out, err);
}

static const struct shp_pkg_reader readers[] = {
	{.id = "rpm-sqlite", .ends_in = "e", .match = rpm_sqlite, .parse = parse_sqlite, .counts_as = "databases"},
	{.id = "rpm-ndb", .ends_in = "b", .match = rpm_ndb, .parse = parse_ndb, .counts_as = "databases"},
	{.id = "rpm-bdb", .ends_in = "s", .match = rpm_bdb, .parse = parse_bdb, .counts_as = "databases"},
};

const struct shp_ecosystem shp_eco_rpm = {
	.type = "rpm",
	.title = "rpm packages",
	.purl_type = "rpm",
	.vercmp = shp_vercmp_rpm,
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
