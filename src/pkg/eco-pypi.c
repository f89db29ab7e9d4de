/* eco-pypi.c - Python's packages: the core metadata of each installed distribution
 * (NAME.dist-info/METADATA, NAME.egg-info/PKG-INFO or a lone NAME.egg-info file; lang.c
 * reads it); PEP 440 order; names matched in PEP 503's form; OSV's "PyPI". */
#include "pkg/pkg.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>

char *shp_pypi_normalize(const char *name)
{
	char *o = shp_xmalloc(strlen(name) + 1), *w = o;
	for (const char *s = name; *s; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			if (w == o || w[-1] != '-')
				*w++ = '-';
		} else
			*w++ = (char)tolower((unsigned char)*s);
	}
	*w = 0;
	return o;
}

/* purl-spec's pypi type: '-' for '_' (and lower case: purl_lower) */
static char *purl_name(const char *name)
{
	char *o = shp_xstrdup(name);
	for (char *c = o; *c; c++)
		if (*c == '_')
			*c = '-';
	return o;
}

static int ends_in(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n > k && !memcmp(s + n - k, suf, k);
}

static int python_metadata(const char *path)
{
	size_t n = strlen(path);
	if (n < 9)
		return 0;
	switch (path[n - 1]) {
	case 'A': return ends_in(path, n, ".dist-info/METADATA");
	case 'O': return ends_in(path, n, ".egg-info/PKG-INFO");
	case 'o': return ends_in(path, n, ".egg-info");
	default: return 0;
	}
}

static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	return shp_pkg_parse_python(path, data, len, out);
}

static const struct shp_pkg_reader readers[] = {
	{.id = "python-metadata", .ends_in = "AOo", .match = python_metadata, .parse = parse, .counts_as = "manifests"},
};

const struct shp_ecosystem shp_eco_pypi = {
	.type = "pypi",
	.title = "Python packages",
	.purl_type = "pypi",
	.osv = "PyPI",
	.vercmp = shp_vercmp_pep440,
	.normalize = shp_pypi_normalize,
	.purl_lower = 1,
	.purl_name = purl_name,
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
