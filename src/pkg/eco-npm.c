/* eco-npm.c - npm's packages: each node_modules/NAME or node_modules/@SCOPE/NAME
 * directory's package.json (lang.c reads it); semver order; OSV's "npm". */
#include "pkg/pkg.h"

#include <string.h>

/* Start of the last component of path[0, end). */
static size_t comp_start(const char *path, size_t end)
{
	while (end > 0 && path[end - 1] != '/')
		end--;
	return end;
}

static int is_node_modules(const char *path, size_t start, size_t end)
{
	return end - start == 12 && !memcmp(path + start, "node_modules", 12);
}

/* ".../node_modules/NAME/package.json" or ".../node_modules/@SCOPE/NAME/package.json"; not
 * the package.json files of a package's tests or examples further down. */
static int npm_manifest(const char *path)
{
	static const char pj[] = "/package.json";
	size_t n = strlen(path);
	if (n <= sizeof pj - 1 || path[n - 1] != 'n' || memcmp(path + n - (sizeof pj - 1), pj, sizeof pj - 1))
		return 0;
	size_t end = n - (sizeof pj - 1), s1 = comp_start(path, end);
	if (s1 == end || s1 == 0)
		return 0;
	size_t s2 = comp_start(path, s1 - 1);
	if (is_node_modules(path, s2, s1 - 1))
		return path[s1] != '@';
	if (path[s2] != '@' || s2 == 0)
		return 0;
	return is_node_modules(path, comp_start(path, s2 - 1), s2 - 1);
}

static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	return shp_pkg_parse_npm(path, data, len, out);
}

static const struct shp_pkg_reader readers[] = {
	{.id = "npm-package", .ends_in = "n", .match = npm_manifest, .parse = parse, .counts_as = "manifests"},
};

/* purl-spec: a scope is the namespace ("@types/node" -> pkg:npm/%40types/node@20.1.0) */
const struct shp_ecosystem shp_eco_npm = {
	.type = "npm",
	.title = "npm packages",
	.purl_type = "npm",
	.osv = "npm",
	.vercmp = shp_vercmp_semver,
	.purl_ns_sep = '/',
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
