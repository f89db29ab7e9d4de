/* eco-gem.c - Ruby's packages: the specification RubyGems writes for each installed gem
 * (GEM_HOME/specifications/NAME-VERSION.gemspec, and specifications/default/ for the gems
 * Ruby ships); Gem::Version's order; OSV's "RubyGems".
 *
 * An installed gemspec is Ruby code in the fixed form Gem::Specification#to_ruby writes
 * (`s.name = "rack".freeze`, `s.version = "3.0.8"`, `s.licenses = ["MIT".freeze]`, and
 * `s.platform = "x86_64-linux".freeze` for a gem built for one platform). It is
 * read line by line as Trivy's gemspec analyzer reads it, never evaluated; one that does not
 * name a gem and its version is skipped, as Bundler skips an unreadable one. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/buf.h"
#include "util/cleanup.h"

#include <string.h>

/* ---- where ------------------------------------------------------------------------------ */

/* Whether the component of path ending just before end (a '/') is name. */
static int dir_is(const char *path, size_t end, const char *name)
{
	size_t k = strlen(name);
	return end >= k && !memcmp(path + end - k, name, k) && (end == k || path[end - k - 1] == '/');
}

/* ".../specifications/NAME.gemspec" or ".../specifications/default/NAME.gemspec", whatever
 * the prefix (Ruby's own GEM_HOME, Debian's rubygems-integration, Bundler's, a user's).
 * Not the gemspecs of gems' sources (gems/NAME-VERSION/NAME.gemspec), which are programs
 * that compute their fields. */
static int gemspec(const char *path)
{
	static const char ext[] = ".gemspec";
	size_t n = strlen(path), k = sizeof ext - 1;
	if (n <= k || path[n - 1] != 'c' || memcmp(path + n - k, ext, k))
		return 0;
	const char *slash = memrchr(path, '/', n - k);
	if (!slash || slash == path + n - k - 1)
		return 0;
	size_t dir = (size_t)(slash - path);
	if (dir_is(path, dir, "specifications"))
		return 1;
	return dir_is(path, dir, "default") && dir >= 8 && dir_is(path, dir - 8, "specifications");
}

/* ---- what -------------------------------------------------------------------------------- */

static int blank(char c) { return c == ' ' || c == '\t'; }

/* A Ruby string literal as to_ruby writes one: "x".freeze, "x", 'x', or the %q{x} of old
 * RubyGems, of n bytes at s (blanks trimmed) -> its text. Trivy's trim: the ".freeze"
 * dropped, then the quotes about it. */
static struct shp_field literal(const char *s, size_t n)
{
	static const char fr[] = ".freeze";
	if (n >= sizeof fr - 1 && !memcmp(s + n - (sizeof fr - 1), fr, sizeof fr - 1))
		n -= sizeof fr - 1;
	if (n >= 4 && s[0] == '%' && s[1] == 'q' && s[2] == '{' && s[n - 1] == '}')
		return (struct shp_field){s + 3, n - 4};
	while (n && (*s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == '"' || s[n - 1] == '\''))
		n--;
	return (struct shp_field){s, n};
}

/* The line (blanks trimmed) "VAR.KEY = VALUE ..." -> VALUE, the first word after the '=', as
 * Trivy's `\.KEY\s*=\s*(\S+)` takes it; v == NULL when the line sets another field. */
static struct shp_field assigned(const char *s, size_t n, struct shp_field var, const char *key)
{
	size_t k = strlen(key);
	if (n < var.n + 1 + k || memcmp(s, var.v, var.n) || s[var.n] != '.' || memcmp(s + var.n + 1, key, k))
		return (struct shp_field){0};
	size_t i = var.n + 1 + k;
	while (i < n && blank(s[i]))
		i++;
	if (i == n || s[i] != '=' || (i + 1 < n && (s[i + 1] == '=' || s[i + 1] == '~')))
		return (struct shp_field){0}; /* not an assignment: s.name == x, s.name =~ /x/ */
	for (i++; i < n && blank(s[i]);)
		i++;
	size_t j = i;
	while (j < n && !blank(s[j]))
		j++;
	return (struct shp_field){s + i, j - i};
}

/* `s.licenses = ["MIT".freeze, "Ruby".freeze]` -> "MIT, Ruby" in b (the list's order, the
 * words as the gem gives them: several need not mean one thing); nothing for []. */
static void licenses(struct shp_buf *b, const char *s, size_t n)
{
	const char *open = memchr(s, '[', n), *close = memrchr(s, ']', n);
	if (!open || !close || close < open)
		return;
	for (const char *p = open + 1; p < close;) {
		const char *comma = memchr(p, ',', (size_t)(close - p));
		const char *e = comma ? comma : close;
		struct shp_field f = shp_field_value(p, (size_t)(e - p));
		f = literal(f.v, f.n);
		if (f.n) {
			if (b->len)
				shp_buf_puts(b, ", ");
			shp_buf_add(b, f.v, f.n);
		}
		p = e + 1;
	}
}

static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	struct shp_lines L = {.data = data, .len = len};
	struct shp_field var = {0}, name = {0}, ver = {0}, plat = {0};
	_cleanup_buf_ struct shp_buf lic = {0};
	int have_lic = 0;
	const char *s;
	size_t n;
	/* to_ruby writes the platform right after the version, the licences later */
	while (shp_lines_next(&L, &s, &n) && !(name.n && ver.n && have_lic)) {
		struct shp_field t = shp_field_value(s, n);
		static const char gnew[] = "Gem::Specification.new";
		if (memmem(t.v, t.n, gnew, sizeof gnew - 1)) {
			/* "Gem::Specification.new do |s|": the block's variable names the fields */
			const char *a = memchr(t.v, '|', t.n), *z = memrchr(t.v, '|', t.n);
			var = a && z > a ? shp_field_value(a + 1, (size_t)(z - a - 1)) : (struct shp_field){0};
			continue;
		}
		if (!var.n)
			continue;
		struct shp_field v;
		if (!name.n && (v = assigned(t.v, t.n, var, "name")).v)
			name = literal(v.v, v.n);
		else if (!ver.n && (v = assigned(t.v, t.n, var, "version")).v)
			ver = literal(v.v, v.n);
		else if (!plat.n && (v = assigned(t.v, t.n, var, "platform")).v)
			plat = literal(v.v, v.n);
		else if (!have_lic && assigned(t.v, t.n, var, "licenses").v) {
			licenses(&lic, t.v, t.n);
			have_lic = lic.len > 0;
		} else if (!have_lic && (v = assigned(t.v, t.n, var, "license")).v) {
			v = literal(v.v, v.n);
			shp_buf_add(&lic, v.v, v.n);
			have_lic = v.n > 0;
		}
	}
	if (!name.n || !ver.n)
		return 0;
	size_t before = out->n;
	shp_pkgs_add_lang(out, SHP_PKG_GEM, path, name.v, name.n, ver.v, ver.n, have_lic ? lic.data : NULL, lic.len);
	/* a gem built for one platform (nokogiri's x86_64-linux), not the "ruby" of plain Ruby */
	if (out->n > before && plat.n && !(plat.n == 4 && !memcmp(plat.v, "ruby", 4)))
		out->v[before].arch = shp_arena_strndup(&out->arena, plat.v, plat.n);
	return 0;
}

/* purl-spec: the platform qualifier, when not the implied "ruby" */
static void purl_qualifiers(const struct shp_pkg *p, struct shp_buf *purl)
{
	shp_purl_qualifier(purl, "platform", p->arch);
}

/* ---- order ---------------------------------------------------------------------------------- */

/* Gem::Version: "-" reads as ".pre."; the segments are the runs of digits and of ASCII
 * letters (anything else only separates); a version's canonical segments are its numeric
 * ones before the first letters, then the rest from there, each part without its trailing
 * zeros, so 1.0 == 1.0.0 and 1.0.a.0 == 1.a. Compared one by one, a missing one as 0: numbers
 * by value, strings bytewise, a string before a number (1.0.a < 1.0 < 1.0.1). */
struct seg {
	const char *p;
	size_t n;
	int alpha;
};

static int digit(char c) { return c >= '0' && c <= '9'; }
static int letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* The next raw segment from *s on; 0 at the end. */
static int next_seg(const char **s, struct seg *g)
{
	const char *p = *s;
	while (*p && *p != '-' && !digit(*p) && !letter(*p))
		p++;
	if (!*p)
		return 0;
	if (*p == '-') {
		*g = (struct seg){"pre", 3, 1};
		*s = p + 1;
		return 1;
	}
	const char *q = p;
	int a = letter(*p);
	while (*q && (a ? letter(*q) : digit(*q)))
		q++;
	*g = (struct seg){p, (size_t)(q - p), a};
	*s = q;
	return 1;
}

static int zero(const struct seg *g)
{
	if (g->alpha)
		return 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->p[i] != '0')
			return 0;
	return 1;
}

/* Walks a version's canonical segments: the raw ones numbered below nkeep, and those from
 * the first string (raw number first) below first + skeep. */
struct canon {
	const char *s;
	size_t raw, first, nkeep, skeep;
};

static void canon_init(struct canon *c, const char *v)
{
	struct seg g;
	const char *s = v;
	size_t i = 0, first = (size_t)-1, nkeep = 0, skeep = 0;
	for (; next_seg(&s, &g); i++) {
		if (first == (size_t)-1 && g.alpha)
			first = i;
		if (first == (size_t)-1 && !zero(&g))
			nkeep = i + 1;
		else if (first != (size_t)-1 && !zero(&g))
			skeep = i - first + 1;
	}
	*c = (struct canon){.s = v, .first = first == (size_t)-1 ? i : first, .nkeep = nkeep, .skeep = skeep};
}

static int canon_next(struct canon *c, struct seg *g)
{
	for (; next_seg(&c->s, g); c->raw++) {
		size_t r = c->raw;
		if (r < c->nkeep || (r >= c->first && r - c->first < c->skeep)) {
			c->raw++;
			return 1;
		}
		if (r >= c->first) {
			c->s = ""; /* the trailing zeros: nothing after them counts */
			break;
		}
	}
	return 0;
}

static int cmp_num(const struct seg *a, const struct seg *b) { return shp_vercmp_digits(a->p, a->n, b->p, b->n); }

static int cmp_str(const struct seg *a, const struct seg *b)
{
	int c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);
	if (c)
		return (c > 0) - (c < 0);
	return (a->n > b->n) - (a->n < b->n);
}

static int gem_vercmp(const char *a, const char *b)
{
	struct canon ca, cb;
	canon_init(&ca, a);
	canon_init(&cb, b);
	for (;;) {
		static const struct seg nought = {"0", 1, 0};
		struct seg x, y;
		int hx = canon_next(&ca, &x), hy = canon_next(&cb, &y);
		if (!hx && !hy)
			return 0;
		if (!hx)
			x = nought;
		if (!hy)
			y = nought;
		int c = x.alpha != y.alpha ? (x.alpha ? -1 : 1) : x.alpha ? cmp_str(&x, &y) : cmp_num(&x, &y);
		if (c)
			return c;
	}
}

static const struct shp_pkg_reader readers[] = {
	{.id = "gemspec", .match = gemspec, .ends_in = "c", .parse = parse, .counts_as = "manifests"},
};

/* purl-spec: pkg:gem/NAME@VERSION[?platform=P], the name as it is (gem names are
 * case-sensitive) */
const struct shp_ecosystem shp_eco_gem = {
	.type = "gem",
	.title = "RubyGems",
	.purl_type = "gem",
	.osv = "RubyGems",
	.vercmp = gem_vercmp,
	.purl_qualifiers = purl_qualifiers,
	.readers = readers,
	.nreaders = SHP_ARRAY_LEN(readers),
};
