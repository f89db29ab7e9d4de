/* lang.c - language packages installed in an image: npm's (each node_modules/NAME or
 * node_modules/@SCOPE/NAME directory's package.json) and Python's (the core metadata of each
 * installed distribution: NAME.dist-info/METADATA, NAME.egg-info/PKG-INFO or a lone
 * NAME.egg-info file).
 *
 * These files are the packages' own, not a database a tool keeps, and images ship broken
 * ones (test fixtures, half-written templates): one that cannot be read as a package is
 * skipped, as npm and pip skip it, and never fails the scan. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A name or version worth keeping: not empty, short, printable, no blanks. */
static int plain_word(const char *s, size_t n)
{
	if (!n || n > 214) /* npm's own limit on a name's length */
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]))
			return 0;
	return 1;
}

void shp_pkgs_add_lang(struct shp_pkgs *out, enum shp_pkg_type type, const char *path, const char *name, size_t nn,
		       const char *ver, size_t vn, const char *lic, size_t ln)
{
	if (!plain_word(name, nn) || !plain_word(ver, vn))
		return;
	struct shp_arena *A = &out->arena;
	struct shp_pkg p = {.type = type, .db = path};
	p.name = shp_arena_strndup(A, name, nn);
	p.version = shp_arena_strndup(A, ver, vn);
	p.source = p.name;
	p.source_version = p.version;
	p.license = lic && ln ? shp_arena_strndup(A, lic, ln) : NULL;
	SHP_PUSH(out->v, out->n, out->cap, p); /* its strings are in the list's arena already */
}

/* ---- npm ----------------------------------------------------------------------------- */

/* "license": "MIT", {"type": "MIT"}, or the old "licenses": [{"type": "MIT"}, ...]. */
static const char *npm_license(const cJSON *j)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "license");
	if (cJSON_IsString(l))
		return l->valuestring;
	if (cJSON_IsObject(l))
		return shp_json_str(l, "type");
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "licenses"), 0);
	return cJSON_IsString(first) ? first->valuestring : shp_json_str(first, "type");
}

int shp_pkg_parse_npm(const char *path, const char *data, size_t len, struct shp_pkgs *out)
{
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, data, len, NULL);
	const char *name = shp_json_str(j, "name"), *ver = shp_json_str(j, "version");
	if (!cJSON_IsObject(j) || !name || !ver)
		return 0;
	const char *lic = npm_license(j);
	shp_pkgs_add_lang(out, SHP_PKG_NPM, path, name, strlen(name), ver, strlen(ver), lic, lic ? strlen(lic) : 0);
	return 0;
}

/* ---- Python ---------------------------------------------------------------------------- */

/* Core metadata (email headers): Name, Version, and License-Expression or License, up to
 * the first blank line, where the description starts. */
int shp_pkg_parse_python(const char *path, const char *data, size_t len, struct shp_pkgs *out)
{
	struct shp_lines L = {.data = data, .len = len};
	struct shp_field name = {0}, ver = {0}, lic = {0}, expr = {0};
	const char *s;
	size_t n;
	while (shp_lines_next(&L, &s, &n) && !shp_blank(s, n)) {
		const char *colon = memchr(s, ':', n);
		if (!colon || s[0] == ' ' || s[0] == '\t')
			continue; /* a folded line of the header before */
		size_t kn = (size_t)(colon - s);
		struct shp_field v = shp_field_value(colon + 1, n - kn - 1);
		if (kn == 4 && !strncasecmp(s, "Name", 4) && !name.v)
			name = v;
		else if (kn == 7 && !strncasecmp(s, "Version", 7) && !ver.v)
			ver = v;
		else if (kn == 7 && !strncasecmp(s, "License", 7) && !lic.v && v.n && !memchr(v.v, '\n', v.n))
			lic = v;
		else if (kn == 18 && !strncasecmp(s, "License-Expression", 18) && !expr.v)
			expr = v;
	}
	if (expr.v)
		lic = expr;
	if (lic.v && (lic.n > 200 || (lic.n == 7 && !memcmp(lic.v, "UNKNOWN", 7))))
		lic = (struct shp_field){0}; /* a licence's whole text, or distutils' placeholder */
	if (name.v && ver.v)
		shp_pkgs_add_lang(out, SHP_PKG_PYPI, path, name.v, name.n, ver.v, ver.n, lic.v, lic.n);
	return 0;
}
