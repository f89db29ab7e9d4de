/* eco-nuget.c - .NET's NuGet packages: what an application's NAME.deps.json says it runs
 * with (at any path: dotnet publish writes it beside the application's assembly), and
 * NuGet.Versioning's version order; OSV's "NuGet".
 *
 * NAME.deps.json is the manifest the .NET host reads to load an application:
 * "libraries" names every library as "Id/Version" with its type ("package" for a NuGet
 * package, "project" for the application and its own projects, "reference" for assemblies
 * referenced by path), and "targets" says, for each target framework (and runtime), which
 * assets of each library are loaded: "runtime" (managed assemblies), "runtimeTargets"
 * (per-RID ones), "native". Packages are listed as Trivy's dotnet-deps analyzer lists them:
 * of type "package" only (the projects are the application itself), and, as newer Trivy
 * does, not a package the target the application runs on (runtimeTarget.name) lists with no
 * runtime, runtimeTargets or native assets: such a package gives the build reference
 * assemblies, analyzers or only dependencies, and nothing of it is loaded. A package that
 * target does not list, and every package of a file without that target, is kept: nothing
 * says it is not loaded, and a package left out is a vulnerability not reported. */
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- version order -------------------------------------------------------------------
 *
 * NuGet.Versioning's VersionComparer.Default, over what NuGetVersion.Parse makes of a
 * string: up to four numeric parts (missing ones 0: 1.0 == 1.0.0 == 1.0.0.0), then a
 * release label after '-' making a prerelease, which sorts before the release; labels
 * compared part by part (split on '.'): numeric parts by value and before alphanumeric
 * ones, alphanumeric ones as .NET's OrdinalIgnoreCase does (upper-cased, code unit by code
 * unit), and a label that is a prefix of another before it. Build metadata after '+' is
 * ignored. Strings NuGet rejects are ordered the same way so the order stays total: a
 * leading 'v' is dropped, numbers are compared by value at any length (NuGet's stop at
 * 2^31-1), more than four numeric parts are compared too, and anything else left after
 * the numbers is taken as a release label, with or without its '-'. */

static size_t digits(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && isdigit((unsigned char)s[k]))
		k++;
	return k;
}

/* A version's pieces: its numeric parts' text (s[0, nums), '.'-separated runs of digits) and
 * its release label (s[label, end), empty for a release). */
struct nuget_version {
	const char *s;
	size_t nums, label, end;
};

static struct nuget_version split(const char *s)
{
	if ((*s == 'v' || *s == 'V') && isdigit((unsigned char)s[1]))
		s++;
	struct nuget_version v = {.s = s, .end = strcspn(s, "+")};
	size_t i = digits(s, v.end);
	while (i < v.end && s[i] == '.' && i + 1 < v.end && isdigit((unsigned char)s[i + 1]))
		i += 1 + digits(s + i + 1, v.end - i - 1);
	v.nums = i;
	v.label = i < v.end && s[i] == '-' ? i + 1 : i;
	if (v.label == v.end && i < v.end) /* a lone '-': a label all the same, an empty one */
		v.label = i;
	return v;
}

/* The next numeric part at *p (below end), advancing past it and its '.'. */
static void next_part(const char *s, size_t *p, size_t end, const char **part, size_t *n)
{
	*part = s + *p;
	*n = digits(s + *p, end - *p);
	*p += *n;
	if (*p < end && s[*p] == '.')
		(*p)++;
}

/* The release label's next part at *p (past end: none left; 0), advancing past it and its
 * '.'. A label ending in '.' has an empty last part. */
static int label_part(const char *s, size_t *p, size_t end, const char **part, size_t *n)
{
	if (*p > end)
		return 0;
	*part = s + *p;
	*n = strcspn(*part, ".");
	if (*n > end - *p)
		*n = end - *p;
	*p += *n + 1;
	return 1;
}

static int label_part_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int num_a = na && digits(a, na) == na, num_b = nb && digits(b, nb) == nb;
	if (num_a && num_b)
		return shp_vercmp_digits(a, na, b, nb);
	if (num_a != num_b)
		return num_a ? -1 : 1;
	for (size_t i = 0; i < na && i < nb; i++) {
		int ca = toupper((unsigned char)a[i]), cb = toupper((unsigned char)b[i]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return na == nb ? 0 : na < nb ? -1 : 1;
}

static int nuget_vercmp(const char *a, const char *b)
{
	struct nuget_version x = split(a), y = split(b);
	size_t pa = 0, pb = 0;
	while (pa < x.nums || pb < y.nums) {
		const char *sa, *sb;
		size_t na, nb;
		next_part(x.s, &pa, x.nums, &sa, &na);
		next_part(y.s, &pb, y.nums, &sb, &nb);
		int c = shp_vercmp_digits(sa, na, sb, nb);
		if (c)
			return c;
	}
	int pre_a = x.label < x.end || x.nums < x.end, pre_b = y.label < y.end || y.nums < y.end;
	if (pre_a != pre_b)
		return pre_a ? -1 : 1;
	pa = x.label < x.end ? x.label : x.end + 1;
	pb = y.label < y.end ? y.label : y.end + 1;
	for (;;) {
		const char *sa, *sb;
		size_t na, nb;
		int more_a = label_part(x.s, &pa, x.end, &sa, &na), more_b = label_part(y.s, &pb, y.end, &sb, &nb);
		if (!more_a || !more_b)
			return more_a - more_b; /* a label that is a prefix of another comes first */
		int c = label_part_cmp(sa, na, sb, nb);
		if (c)
			return c;
	}
}

/* ---- NAME.deps.json --------------------------------------------------------------------- */

static int deps_json(const char *path)
{
	static const char ext[] = ".deps.json";
	size_t n = strlen(path), k = sizeof ext - 1;
	return n >= k && path[n - 1] == 'n' && !memcmp(path + n - k, ext, k);
}

static int has_assets(const cJSON *lib)
{
	static const char *const kinds[] = {"runtime", "runtimeTargets", "native"};
	for (size_t i = 0; i < SHP_ARRAY_LEN(kinds); i++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(lib, kinds[i]);
		if ((cJSON_IsObject(a) || cJSON_IsArray(a)) && a->child)
			return 1;
	}
	return 0;
}

/* Whether the package id/version (key) is loaded at run time by the target: listed by it
 * with assets, or not listed. */
static int runtime_package(const cJSON *target, const char *key)
{
	const cJSON *lib = cJSON_GetObjectItemCaseSensitive(target, key);
	return !cJSON_IsObject(lib) || has_assets(lib);
}

static int parse_deps(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err; /* a file that does not read is skipped: the host would refuse it, not us */
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, data, len, NULL);
	const cJSON *libs = cJSON_GetObjectItemCaseSensitive(j, "libraries");
	if (!cJSON_IsObject(libs))
		return 0;
	const char *named = shp_json_str(cJSON_GetObjectItemCaseSensitive(j, "runtimeTarget"), "name");
	const cJSON *targets = cJSON_GetObjectItemCaseSensitive(j, "targets");
	const cJSON *target = named ? cJSON_GetObjectItemCaseSensitive(targets, named) : NULL;
	const cJSON *lib;
	cJSON_ArrayForEach(lib, libs)
	{
		const char *key = lib->string, *type = shp_json_str(lib, "type");
		if (!key || !type || strcasecmp(type, "package"))
			continue;
		const char *slash = strchr(key, '/');
		if (!slash || slash == key || !slash[1] || strchr(slash + 1, '/'))
			continue;
		if (cJSON_IsObject(target) && !runtime_package(target, key))
			continue;
		shp_pkgs_add_lang(out, SHP_PKG_NUGET, path, key, (size_t)(slash - key), slash + 1, strlen(slash + 1),
				  NULL, 0);
	}
	return 0;
}

/* NuGet package ids are case-insensitive (nuget.org keeps one casing for display and
 * matches any): they are matched lower-cased. */
static char *nuget_name(const char *name)
{
	char *s = shp_xstrdup(name);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static const struct shp_pkg_reader nuget_readers[] = {
	{.id = "dotnet-deps", .match = deps_json, .ends_in = "n", .parse = parse_deps, .counts_as = "manifests"},
};

/* purl-spec: pkg:nuget/NAME@VERSION, the name as written (the spec keeps its case). */
const struct shp_ecosystem shp_eco_nuget = {
	.type = "nuget",
	.title = "NuGet packages",
	.purl_type = "nuget",
	.osv = "NuGet",
	.vercmp = nuget_vercmp,
	.normalize = nuget_name,
	.readers = nuget_readers,
	.nreaders = SHP_ARRAY_LEN(nuget_readers),
};
