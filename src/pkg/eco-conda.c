/* eco-conda.c - conda's packages: each environment's conda-meta directory holds one JSON
 * record per installed package (NAME-VERSION-BUILD.json: name, version, build, subdir,
 * channel, license ...), in the base environment (opt/conda/conda-meta) and in each named
 * one (envs/NAME/conda-meta) alike. Versions in conda's VersionOrder; purls of purl-spec's
 * conda type, with the build and subdir qualifiers. No vulnerability feed covers conda
 * (osv NULL): the report says its packages were not matched. */
#include "pkg/pkg.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- VersionOrder ---------------------------------------------------------------------- */

/* conda/models/version.py's VersionOrder: the version in lower case, "E!" an epoch (0 when
 * none), "+LOCAL" a local version compared after the rest; '_' is a '.' (a trailing '_' stays
 * with the last component: openssl's "1.0.1_"); each component is runs of digits (numbers),
 * of '*' and of other characters (strings), with a 0 before a component that starts with a
 * string; "dev" sorts before every other string ("DEV": upper case) and "post" after every
 * number; a string before any number, and what is missing is 0. '-' is '_' in a version
 * without '_'. Anything conda would reject is still ordered, the same way. */
enum { CV_NUM, CV_INF, CV_STR };
struct cv_item {
	int kind;
	const char *s; /* a number's digits (no leading zeros), or the string */
	size_t n;
};
struct cv {
	char *buf;	       /* the version as compared */
	struct cv_item *items; /* every component's, in order */
	size_t *comp;	       /* component k: items[comp[k], comp[k + 1]) */
	size_t ncomp, nlocal;  /* the last nlocal components are the local version's */
};

static int cv_valid_char(char c)
{
	return isdigit((unsigned char)c) || islower((unsigned char)c) || strchr("*.+!_", c);
}

/* The runs a component splits into: digits, '*', anything else. */
static int cv_class(char c) { return isdigit((unsigned char)c) ? 0 : c == '*' ? 1 : 2; }

static void cv_component(struct cv *v, size_t *ni, char *s, size_t n)
{
	v->comp[v->ncomp++] = *ni;
	if (n && !isdigit((unsigned char)s[0]))
		v->items[(*ni)++] = (struct cv_item){CV_NUM, "", 0}; /* keeps numbers and strings in phase */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && cv_class(s[j]) == cv_class(s[i]))
			j++;
		int digit = cv_class(s[i]) == 0;
		struct cv_item it = {CV_STR, s + i, j - i};
		if (digit) {
			while (it.n && *it.s == '0') {
				it.s++;
				it.n--;
			}
			it.kind = CV_NUM;
		} else if (j - i == 4 && !memcmp(s + i, "post", 4))
			it.kind = CV_INF;
		else if (j - i == 3 && !memcmp(s + i, "dev", 3))
			memcpy(s + i, "DEV", 3);
		v->items[(*ni)++] = it;
		i = j;
	}
}

/* Components of s[0, n) split on '.' ('_' made '.' already), added to v. */
static void cv_split(struct cv *v, size_t *ni, char *s, size_t n)
{
	for (size_t i = 0;;) {
		size_t j = i;
		while (j < n && s[j] != '.')
			j++;
		cv_component(v, ni, s + i, j - i);
		if (j >= n)
			return;
		i = j + 1;
	}
}

static void cv_parse(struct cv *v, const char *in)
{
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\n' || in[n - 1] == '\r'))
		n--;
	char *s = v->buf = shp_xmalloc(n + 1);
	int valid = 1, underscore = 0, dash = 0;
	for (size_t i = 0; i < n; i++) {
		s[i] = (char)tolower((unsigned char)in[i]);
		valid &= cv_valid_char(s[i]);
		underscore |= s[i] == '_';
		dash |= s[i] == '-';
	}
	s[n] = 0;
	if (!valid && dash && !underscore)
		for (size_t i = 0; i < n; i++)
			s[i] = s[i] == '-' ? '_' : s[i];
	/* at most: a component per byte and the epoch's, an item per byte and a 0 per component */
	v->items = shp_xmalloc((2 * n + 4) * sizeof *v->items);
	v->comp = shp_xmalloc((n + 3) * sizeof *v->comp);
	v->ncomp = 0;
	size_t ni = 0;
	char *bang = strchr(s, '!'), *rest = s;
	if (bang && bang > s && strspn(s, "0123456789") == (size_t)(bang - s)) {
		cv_component(v, &ni, s, (size_t)(bang - s));
		rest = bang + 1;
	} else {
		static char zero[] = "0";
		cv_component(v, &ni, zero, 1);
	}
	char *plus = strchr(rest, '+'), *end = plus ? plus : s + n;
	for (char *c = rest; c < s + n; c++)
		if (*c == '_' && c + 1 != end)
			*c = '.';
	/* '_' is '.', but for a trailing one, which stays with the last component ("1.1_") */
	cv_split(v, &ni, rest, (size_t)(end - rest));
	size_t before = v->ncomp;
	if (plus)
		cv_split(v, &ni, plus + 1, (size_t)(s + n - plus - 1));
	v->nlocal = v->ncomp - before;
	v->comp[v->ncomp] = ni;
}

static void cv_free(struct cv *v)
{
	free(v->buf);
	free(v->items);
	free(v->comp);
}

static int cv_item_cmp(const struct cv_item *a, const struct cv_item *b)
{
	if (a->kind == CV_STR || b->kind == CV_STR) {
		if (a->kind != b->kind)
			return a->kind == CV_STR ? -1 : 1; /* a string before a number */
		int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
		return c ? c : (a->n > b->n) - (a->n < b->n);
	}
	if (a->kind != b->kind)
		return a->kind == CV_INF ? 1 : -1;
	if (a->kind == CV_INF || a->n != b->n)
		return a->kind == CV_INF ? 0 : a->n < b->n ? -1 : 1;
	return memcmp(a->s, b->s, a->n);
}

/* Components [from, to) of a and [bfrom, bto) of b, missing ones empty, missing items 0. */
static int cv_cmp_range(const struct cv *a, size_t from, size_t to, const struct cv *b, size_t bfrom, size_t bto)
{
	static const struct cv_item zero = {CV_NUM, "", 0};
	for (size_t k = 0; from + k < to || bfrom + k < bto; k++) {
		size_t ai = from + k < to ? a->comp[from + k] : 0, ae = from + k < to ? a->comp[from + k + 1] : 0;
		size_t bi = bfrom + k < bto ? b->comp[bfrom + k] : 0, be = bfrom + k < bto ? b->comp[bfrom + k + 1] : 0;
		for (; ai < ae || bi < be; ai++, bi++) {
			int c = cv_item_cmp(ai < ae ? &a->items[ai] : &zero, bi < be ? &b->items[bi] : &zero);
			if (c)
				return c < 0 ? -1 : 1;
		}
	}
	return 0;
}

static int vercmp_conda(const char *a, const char *b)
{
	struct cv x, y;
	cv_parse(&x, a);
	cv_parse(&y, b);
	size_t xv = x.ncomp - x.nlocal, yv = y.ncomp - y.nlocal;
	int c = cv_cmp_range(&x, 0, xv, &y, 0, yv);
	if (!c)
		c = cv_cmp_range(&x, xv, x.ncomp, &y, yv, y.ncomp);
	cv_free(&x);
	cv_free(&y);
	return c;
}

/* ---- conda-meta ------------------------------------------------------------------------ */

/* DIR/conda-meta/FILE.json, at any depth (also conda-meta/FILE.json at the root). Every entry
 * passes here: most leave at their last byte. */
static int conda_meta(const char *path)
{
	static const char dir[] = "conda-meta/";
	size_t n = strlen(path);
	if (n < 5 || path[n - 1] != 'n' || memcmp(path + n - 5, ".json", 5))
		return 0;
	const char *slash = memrchr(path, '/', n);
	if (!slash || slash + 6 > path + n || (size_t)(slash - path) < sizeof dir - 2)
		return 0;
	const char *d = slash - (sizeof dir - 2);
	return !memcmp(d, dir, sizeof dir - 2) && (d == path || d[-1] == '/');
}

/* One package per record; a record that does not read is skipped, as conda itself would
 * leave it. The subdir (linux-64, noarch) is kept as the package's arch. */
static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, data, len, NULL);
	const char *name = shp_json_str(j, "name"), *ver = shp_json_str(j, "version");
	if (!cJSON_IsObject(j) || !name || !ver)
		return 0;
	const char *lic = shp_json_str(j, "license"), *subdir = shp_json_str(j, "subdir");
	size_t had = out->n;
	shp_pkgs_add_lang(out, SHP_PKG_CONDA, path, name, strlen(name), ver, strlen(ver), lic, lic ? strlen(lic) : 0);
	if (out->n > had && subdir && *subdir && strlen(subdir) < 64)
		out->v[out->n - 1].arch = shp_arena_strndup(&out->arena, subdir, strlen(subdir));
	return 0;
}

/* purl-spec's conda qualifiers: build (from the record's name, NAME-VERSION-BUILD.json: conda
 * names it so) and subdir. */
static void purl_qualifiers(const struct shp_pkg *p, struct shp_buf *purl)
{
	if (p->db) {
		const char *base = strrchr(p->db, '/');
		base = base ? base + 1 : p->db;
		size_t nn = strlen(p->name), vn = strlen(p->version), bn = strlen(base);
		if (bn > nn + vn + 2 + 5 && !strncmp(base, p->name, nn) && base[nn] == '-' &&
		    !strncmp(base + nn + 1, p->version, vn) && base[nn + 1 + vn] == '-') {
			_cleanup_free_ char *build = shp_xstrndup(base + nn + vn + 2, bn - nn - vn - 2 - 5);
			shp_purl_qualifier(purl, "build", build);
		}
	}
	shp_purl_qualifier(purl, "subdir", p->arch);
}

static const struct shp_pkg_reader readers[] = {
	{.id = "conda-meta", .ends_in = "n", .match = conda_meta, .parse = parse, .counts_as = "manifests"},
};

const struct shp_ecosystem shp_eco_conda = {
	.type = "conda",
	.title = "conda packages",
	.purl_type = "conda",
	.vercmp = vercmp_conda,
	.purl_qualifiers = purl_qualifiers,
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
