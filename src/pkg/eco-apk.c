/* eco-apk.c - Alpine's packages (and Wolfi's): apk's installed database (apk.c). */
#include "pkg/pkg.h"

#include <string.h>

static int apk_installed(const char *path) { return path[0] == 'l' && !strcmp(path, "lib/apk/db/installed"); }

static const struct shp_pkg_reader readers[] = {
	{.id = "apk-installed",
	 .ends_in = "d",
	 .match = apk_installed,
	 .parse = shp_pkg_parse_apk,
	 .counts_as = "databases"},
};

const struct shp_ecosystem shp_eco_apk = {
	.type = "apk",
	.title = "Alpine packages",
	.purl_type = "apk",
	.vercmp = shp_vercmp_apk,
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
