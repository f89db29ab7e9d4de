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

/* ---- names ------------------------------------------------------------------------------ */

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
static int npm_manifest(const char *path, size_t n)
{
	static const char pj[] = "/package.json";
	if (n <= sizeof pj - 1 || memcmp(path + n - (sizeof pj - 1), pj, sizeof pj - 1))
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

static int ends_in(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n > k && !memcmp(s + n - k, suf, k);
}

enum shp_pkgdb_kind shp_lang_kind(const char *path)
{
	size_t n = strlen(path);
	if (n > 4 && (path[n - 1] | 0x20) == 'r') /* .jar .war .ear .par, any case */
		return shp_java_archive_name(path) ? SHP_DB_JAVA_ARCHIVE : SHP_DB_NONE;
	if (n < 9)
		return SHP_DB_NONE;
	switch (path[n - 1]) {
	case 'n': return npm_manifest(path, n) ? SHP_DB_NPM_PACKAGE : SHP_DB_NONE;
	case 'A': return ends_in(path, n, ".dist-info/METADATA") ? SHP_DB_PYTHON_METADATA : SHP_DB_NONE;
	case 'O': return ends_in(path, n, ".egg-info/PKG-INFO") ? SHP_DB_PYTHON_METADATA : SHP_DB_NONE;
	case 'o': return ends_in(path, n, ".egg-info") ? SHP_DB_PYTHON_METADATA : SHP_DB_NONE;
	default: return SHP_DB_NONE;
	}
}
