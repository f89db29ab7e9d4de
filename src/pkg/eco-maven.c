/* eco-maven.c - Maven artifacts ("GROUP:ARTIFACT"), as the pom.properties files inside Java
 * archives (.jar .war .ear .par, and the archives inside them) name them (java.c). The
 * image module reads an archive through as a zip stream (read_through), never whole;
 * Maven 3.9's ComparableVersion order (version.c); OSV's "Maven". */
#include "pkg/pkg.h"

#include <string.h>

/* Every entry passes here: most leave at their last byte. */
static int java_archive(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && (path[n - 1] | 0x20) == 'r' && shp_java_archive_name(path);
}

static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	shp_java_archive_read_memory(data, len, path, out);
	return 0;
}

static const struct shp_pkg_reader readers[] = {
	{.id = "java-archive",
	 .ends_in = "rR",
	 .match = java_archive,
	 .parse = parse,
	 .counts_as = "archives",
	 .read_through = 1},
};

/* purl-spec: the group is the namespace (pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1) */
const struct shp_ecosystem shp_eco_maven = {
	.type = "maven",
	.title = "Maven artifacts",
	.purl_type = "maven",
	.osv = "Maven",
	.vercmp = shp_vercmp_maven,
	.purl_ns_sep = ':',
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
