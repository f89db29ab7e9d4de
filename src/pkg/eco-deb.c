/* eco-deb.c - Debian's packages: dpkg's status file, and the status.d directory of control
 * files distroless images keep instead (dpkg.c reads both); and each package's file lists
 * (info/NAME.list and NAME.md5sums, or distroless's status.d/NAME.md5sums), for the language
 * packages that came with one and the files installed unchanged. */
#include "pkg/pkg.h"

#include <string.h>

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

/* Every entry passes here: most leave at their first byte. */
static int dpkg_status(const char *path) { return path[0] == 'v' && !strcmp(path, "var/lib/dpkg/status"); }

/* var/lib/dpkg/status.d/NAME: distroless keeps each package's control file here, next to
 * its md5sums */
static int dpkg_status_d(const char *path)
{
	static const char sd[] = "var/lib/dpkg/status.d/";
	if (path[0] != 'v' || strncmp(path, sd, sizeof sd - 1) || !path[sizeof sd - 1] ||
	    strchr(path + sizeof sd - 1, '/'))
		return 0;
	static const char *const not_control[] = {".md5sums", ".preinst",   ".postinst",  ".prerm",
						  ".postrm",  ".conffiles", ".list",	  ".shlibs",
						  ".symbols", ".triggers",  ".templates", ".config"};
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof not_control / sizeof not_control[0]; i++)
		if (ends_with(path, n, not_control[i]))
			return 0;
	return 1;
}

/* var/lib/dpkg/info/NAME.list and NAME.md5sums, var/lib/dpkg/status.d/NAME.md5sums (the
 * md5sums for the files installed unchanged, which are the distro's, not the image's) */
static int dpkg_files(const char *path)
{
	static const char info[] = "var/lib/dpkg/info/", sd[] = "var/lib/dpkg/status.d/";
	if (path[0] != 'v')
		return 0;
	size_t n = strlen(path);
	int md5 = ends_with(path, n, ".md5sums");
	if (!md5 && !ends_with(path, n, ".list"))
		return 0;
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? sd : info;
		size_t k = strlen(dir);
		if ((i == 0 || md5) && n > k && !strncmp(path, dir, k) && !strchr(path + k, '/'))
			return 1;
	}
	return 0;
}

/* one grammar: a status.d file's stanzas just have no Status */
static const struct shp_pkg_reader readers[] = {
	{.id = "dpkg-status",
	 .ends_in = "s",
	 .match = dpkg_status,
	 .parse = shp_pkg_parse_dpkg,
	 .counts_as = "databases"},
	{.id = "dpkg-status-d", .match = dpkg_status_d, .parse = shp_pkg_parse_dpkg, .counts_as = "databases"},
	{.id = "dpkg-files",
	 .ends_in = "ts",
	 .match = dpkg_files,
	 .parse = shp_pkg_parse_dpkg_files,
	 .counts_as = "file lists"},
};

const struct shp_ecosystem shp_eco_deb = {
	.type = "deb",
	.title = "Debian packages",
	.purl_type = "deb",
	.vercmp = shp_vercmp_deb,
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
