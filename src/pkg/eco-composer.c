/* eco-composer.c - PHP's Composer packages: what `composer install` wrote into
 * vendor/composer/installed.json (at any depth: an application's vendor directory may sit
 * anywhere), and Composer's version order.
 *
 * installed.json has two layouts: Composer 1 wrote a JSON array of packages, Composer 2 an
 * object {"packages": [...], "dev": true, "dev-package-names": [...]}. Each package names
 * itself "vendor/name" with its version as written ("v5.4.0", "dev-main") beside the
 * normalised one ("5.4.0.0", "dev-main") and a licence array. Packages of require-dev are
 * listed too, as Trivy lists them: installed.json names only what is on disk (an install with
 * --no-dev leaves them out), so they are in the image like any other. */
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- version order -------------------------------------------------------------------
 *
 * Composer compares versions (Composer\Semver\Constraint::versionCompare, reached through
 * Comparator::compare and every constraint it matches) with PHP's version_compare() over the
 * strings VersionParser::normalize() makes: "v1.2" -> "1.2.0.0", "1.0pl1" -> "1.0.0.0-patch1",
 * "2.x-dev" -> "2.9999999.9999999.9999999-dev", "dev-main" as it is. A string normalize()
 * rejects is compared as written. Below are both, transcribed from composer/semver 3.3's
 * VersionParser and PHP 8.2's ext/standard/versioning.c, with two departures that make the
 * order total: numbers are compared by value at any length (PHP's strtol stops at 2^63-1),
 * and two branches ("dev-a", "dev-b"), which Composer never orders, are ordered by
 * version_compare and then byte by byte. */

/* PHP's special forms; a word none begins with comes before all (-1), a number ("#N#")
 * after "#" and before "pl"/"p". */
static int special_form(const char *s)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
		     {"RC", 3},	 {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
	for (size_t i = 0; i < SHP_ARRAY_LEN(forms); i++)
		if (!strncmp(s, forms[i].name, strlen(forms[i].name)))
			return forms[i].order;
	return -1;
}

static int sign(int x) { return (x > 0) - (x < 0); }

static int special_cmp(const char *a, const char *b) { return sign(special_form(a) - special_form(b)); }

static int isdig(char c) { return isdigit((unsigned char)c); }

/* php_canonicalize_version: '-', '_' and '+' become '.', as does any other character that is
 * not a letter or digit unless it follows a digit, and a '.' goes between digits and the
 * rest. Malloc'd. */
static char *canonicalize(const char *v)
{
	size_t n = strlen(v);
	char *buf = shp_xmalloc(2 * n + 1), *q = buf;
	if (!n) {
		*buf = 0;
		return buf;
	}
	const char *p = v;
	char lp = *p++;
	*q++ = lp;
	for (; *p; lp = *p++) {
		char c = *p;
		int dig_lp = isdig(lp), ndig_lp = !isdig(lp) && lp != '.';
		int dig = isdig(c), ndig = !isdig(c) && c != '.';
		if (c == '-' || c == '_' || c == '+') {
			if (q[-1] != '.')
				*q++ = '.';
		} else if ((ndig_lp && dig) || (dig_lp && ndig)) {
			if (q[-1] != '.')
				*q++ = '.';
			*q++ = c;
		} else if (!isalnum((unsigned char)c)) {
			if (q[-1] != '.')
				*q++ = '.';
		} else
			*q++ = c;
	}
	*q = 0;
	return buf;
}

static char *php_form(const char *v) { return v[0] == '#' ? shp_xstrdup(v) : canonicalize(v); }

/* php_version_compare(rest, "#N#"): what is left of a longer version against nothing, PHP's
 * recursion written as a loop (each turn drops one piece that began with '#'). */
static int rest_cmp(const char *rest)
{
	_cleanup_free_ char *own = NULL;
	for (;;) {
		if (!*rest)
			return -1;
		char *c = php_form(rest);
		free(own);
		own = c;
		char *dot = strchr(c, '.');
		if (dot)
			*dot = 0;
		/* c's first character is rest's, never a digit: callers check */
		int cmp = isdig(*c) ? 0 : special_cmp(c, "#N#");
		if (cmp || !dot)
			return cmp;
		if (isdig(dot[1]))
			return 1;
		rest = dot + 1;
	}
}

/* PHP's version_compare(a, b). */
static int php_version_compare(const char *a, const char *b)
{
	if (!*a || !*b)
		return (*a != 0) - (*b != 0);
	_cleanup_free_ char *v1 = php_form(a);
	_cleanup_free_ char *v2 = php_form(b);
	char *p1 = v1, *p2 = v2, *n1 = v1, *n2 = v2;
	int cmp = 0;
	while (*p1 && *p2 && n1 && n2) {
		if ((n1 = strchr(p1, '.')))
			*n1 = 0;
		if ((n2 = strchr(p2, '.')))
			*n2 = 0;
		if (isdig(*p1) && isdig(*p2))
			cmp = shp_vercmp_digits(p1, strspn(p1, "0123456789"), p2, strspn(p2, "0123456789"));
		else if (!isdig(*p1) && !isdig(*p2))
			cmp = special_cmp(p1, p2);
		else
			cmp = isdig(*p1) ? special_cmp("#N#", p2) : special_cmp(p1, "#N#");
		if (cmp)
			return cmp;
		if (n1)
			p1 = n1 + 1;
		if (n2)
			p2 = n2 + 1;
	}
	if (n1 && n2) /* one ended in a dot ("1.2.#"): PHP answers for the first only, and x < x */
		return (*p1 != 0) - (*p2 != 0);
	if (n1)
		return isdig(*p1) ? 1 : rest_cmp(p1);
	if (n2)
		return isdig(*p2) ? -1 : -rest_cmp(p2);
	return 0;
}

static int ieq(const char *s, size_t n, const char *word) { return strlen(word) == n && !strncasecmp(s, word, n); }

static size_t digits(const char *s) { return strspn(s, "0123456789"); }

/* modifierRegex, anchored at the end:
 * [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$ (any case).
 * On a match, appends to out what normalize() makes of it and returns 1. */
static int modifier(const char *s, struct shp_buf *out)
{
	static const char *const stab[] = {"stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p"};
	if (*s == '.' || *s == '_' || *s == '-')
		s++; /* taking it never loses a match: what follows it cannot begin with one */
	for (size_t i = 0; i <= SHP_ARRAY_LEN(stab); i++) {
		const char *p = s, *word = NULL;
		size_t wn = 0;
		if (i < SHP_ARRAY_LEN(stab)) { /* the last turn: no stability */
			wn = strlen(stab[i]);
			if (strncasecmp(p, stab[i], wn))
				continue;
			word = p;
			p += wn;
		}
		const char *num = p; /* ((?:[.-]?\d+)*+), possessive */
		for (;;) {
			size_t sep = (*p == '.' || *p == '-') && isdig(p[1]);
			if (!sep && !isdig(*p))
				break;
			p += sep + digits(p + sep);
		}
		if (!word && p != num)
			continue;
		size_t numlen = (size_t)(p - num);
		int dev = 0;
		if (*p == '.' || *p == '-')
			dev = ieq(p + 1, strlen(p + 1), "dev");
		else if (*p)
			dev = ieq(p, strlen(p), "dev");
		if (*p && !dev)
			continue;
		if (word) {
			if (!strncmp(word, "stable", wn))
				return 1; /* a case-sensitive test in normalize(): "stable" drops a "-dev" too */
			_cleanup_free_ char *w = shp_xmalloc(wn + 1);
			for (size_t k = 0; k < wn; k++)
				w[k] = (char)tolower((unsigned char)word[k]);
			w[wn] = 0;
			const char *x = !strcmp(w, "a")			      ? "alpha"
					: !strcmp(w, "b")		      ? "beta"
					: !strcmp(w, "p") || !strcmp(w, "pl") ? "patch"
					: !strcmp(w, "rc")		      ? "RC"
									      : w;
			shp_buf_putc(out, '-');
			shp_buf_puts(out, x);
			while (numlen && (*num == '.' || *num == '-')) { /* ltrim(..., '.-') */
				num++;
				numlen--;
			}
			shp_buf_add(out, num, numlen);
		}
		if (dev)
			shp_buf_puts(out, "-dev");
		return 1;
	}
	return 0;
}

/* The date form's digits and separators: \d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?, all
 * of s[0, n) (backtracking as PCRE would, over at most eight short pieces). */
static int date_rest(const char *s, size_t n, int twos)
{
	if (!n)
		return twos >= 1;
	size_t sep = *s == '.' || *s == ':' || *s == '-';
	if (twos < 6 && n >= sep + 2 && isdig(s[sep]) && isdig(s[sep + 1]) &&
	    date_rest(s + sep + 2, n - sep - 2, twos + 1))
		return 1;
	if (twos >= 1)
		for (size_t k = 1; k <= 3 && sep + k <= n && isdig(s[sep + k - 1]); k++)
			if (sep + k == n)
				return 1;
	return 0;
}

/* VersionParser::normalizeBranch of s[0, n): "v1.x" -> "1.9999999.9999999.9999999-dev", or
 * NULL where normalize() would make a "dev-" name of it. */
static char *normalize_branch(const char *s, size_t n, struct shp_buf *b)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	size_t i = 0, parts = 0;
	if (i < n && (s[i] | 0x20) == 'v')
		i++;
	size_t d = 0;
	while (i + d < n && isdig(s[i + d]))
		d++;
	if (!d)
		return NULL;
	shp_buf_add(b, s + i, d);
	i += d;
	parts = 1;
	while (i < n && parts < 4) {
		if (s[i] != '.' || i + 1 >= n)
			return NULL;
		i++;
		shp_buf_putc(b, '.');
		if (s[i] == 'x' || s[i] == 'X' || s[i] == '*') {
			shp_buf_puts(b, "9999999");
			i++;
		} else {
			for (d = 0; i + d < n && isdig(s[i + d]); d++)
				;
			if (!d)
				return NULL;
			shp_buf_add(b, s + i, d);
			i += d;
		}
		parts++;
	}
	if (i < n)
		return NULL;
	for (; parts < 4; parts++)
		shp_buf_puts(b, ".9999999");
	shp_buf_puts(b, "-dev");
	return shp_buf_steal(b);
}

/* VersionParser::normalize(v), malloc'd, or NULL where it throws. */
static char *composer_normalize(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	_cleanup_free_ char *s = shp_xmalloc(n + 1);
	memcpy(s, v, n);
	s[n] = 0;
	/* an alias, "1.0 as 2.0": the first */
	static const char ws[] = " \t\n\r\v\f";
	size_t a = strcspn(s, ws), k = a;
	if (a && s[a] == ' ' && !memchr(s, ',', a)) {
		while (s[k] == ' ')
			k++;
		if (!strncmp(s + k, "as ", 3)) {
			for (k += 3; s[k] == ' '; k++)
				;
			if (s[k] && !strpbrk(s + k, ws) && !strchr(s + k, ',')) {
				s[a] = 0;
				n = a;
			}
		}
	}
	/* a stability flag, "@dev" */
	static const char *const flags[] = {"stable", "RC", "beta", "alpha", "dev"};
	char *at = strrchr(s, '@');
	for (size_t i = 0; at && i < SHP_ARRAY_LEN(flags); i++)
		if (!strcasecmp(at + 1, flags[i])) {
			*at = 0;
			n = (size_t)(at - s);
		}
	if (!strcmp(s, "master") || !strcmp(s, "trunk") || !strcmp(s, "default"))
		return shp_asprintf("dev-%s", s);
	if (!strncasecmp(s, "dev-", 4))
		return shp_asprintf("dev-%s", s + 4);
	/* build metadata, "+build.5" */
	size_t plus = strcspn(s, ",+ \t\n\r\v\f");
	if (plus && s[plus] == '+' && s[plus + 1] && !strpbrk(s + plus + 1, ws)) {
		s[plus] = 0;
		n = plus;
	}
	struct shp_buf b = {0};
	/* classical: ^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)? + modifier */
	const char *p = s + ((*s | 0x20) == 'v');
	size_t d = digits(p);
	if (d >= 1 && d <= 5) {
		shp_buf_add(&b, p, d);
		p += d;
		int parts = 1;
		for (; parts < 4 && *p == '.' && isdig(p[1]); parts++) {
			d = 1 + digits(p + 1);
			shp_buf_add(&b, p, d);
			p += d;
		}
		for (; parts < 4; parts++)
			shp_buf_puts(&b, ".0");
		if (modifier(p, &b))
			return shp_buf_steal(&b);
		shp_buf_free(&b);
		b = (struct shp_buf){0};
	}
	/* date(time): the run of digits and separators, less a '.' or '-' the modifier takes */
	p = s + ((*s | 0x20) == 'v');
	size_t run = strspn(p, "0123456789.:-");
	for (int give = 0; give <= 1 && run >= (size_t)give; give++) {
		size_t m = run - (size_t)give;
		if (m < 6 || digits(p) < 4 || !isdig(p[m - 1]) || !date_rest(p + 4, m - 4, 0))
			continue;
		for (size_t i = 0; i < m; i++)
			shp_buf_putc(&b, isdig(p[i]) ? p[i] : '.');
		if (modifier(p + m, &b))
			return shp_buf_steal(&b);
		shp_buf_free(&b);
		b = (struct shp_buf){0};
	}
	/* a numbered branch: (.*?)[.-]?dev$ */
	if (n >= 3 && !strcasecmp(s + n - 3, "dev")) {
		size_t m = n - 3;
		if (m && (s[m - 1] == '.' || s[m - 1] == '-'))
			m--;
		char *r = normalize_branch(s, m, &b);
		if (r)
			return r;
		shp_buf_free(&b);
	}
	return NULL;
}

static int composer_vercmp(const char *a, const char *b)
{
	_cleanup_free_ char *na = composer_normalize(a);
	_cleanup_free_ char *nb = composer_normalize(b);
	const char *x = na ? na : a, *y = nb ? nb : b;
	int cmp = php_version_compare(x, y);
	if (!strncmp(x, "dev-", 4) && !strncmp(y, "dev-", 4) && !cmp)
		return sign(strcmp(x, y)); /* equal only when the same branch */
	return cmp;
}

/* ---- installed.json ------------------------------------------------------------------- */

static int installed_json(const char *path)
{
	static const char tail[] = "vendor/composer/installed.json";
	size_t n = strlen(path), k = sizeof tail - 1;
	if (n < k || path[n - 1] != 'n' || memcmp(path + n - k, tail, k))
		return 0;
	return n == k || path[n - k - 1] == '/';
}

/* "license": ["MIT"], ["LGPL-2.1-only", "GPL-3.0-or-later"] (either, Composer's schema says),
 * or an old package's lone string. Malloc'd, or NULL. */
static char *composer_license(const cJSON *pkg)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(pkg, "license");
	if (cJSON_IsString(l))
		return *l->valuestring ? shp_xstrdup(l->valuestring) : NULL;
	struct shp_buf b = {0};
	const cJSON *e, *arr = cJSON_IsArray(l) ? l : NULL;
	cJSON_ArrayForEach(e, arr)
	{
		if (!cJSON_IsString(e) || !*e->valuestring)
			continue;
		if (b.len)
			shp_buf_puts(&b, " OR ");
		shp_buf_puts(&b, e->valuestring);
	}
	if (b.len)
		return shp_buf_steal(&b);
	shp_buf_free(&b);
	return NULL;
}

static int parse_installed(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err; /* a file that does not read is skipped: Composer would rewrite it */
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, data, len, NULL);
	const cJSON *list = cJSON_IsArray(j) ? j : cJSON_GetObjectItemCaseSensitive(j, "packages");
	const cJSON *pkg;
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(pkg, list)
	{
		const char *name = shp_json_str(pkg, "name");
		const char *ver = shp_json_str(pkg, "version");
		if (!ver || !*ver)
			ver = shp_json_str(pkg, "version_normalized");
		if (!name || !ver)
			continue;
		_cleanup_free_ char *lic = composer_license(pkg);
		shp_pkgs_add_lang(out, SHP_PKG_COMPOSER, path, name, strlen(name), ver, strlen(ver), lic,
				  lic ? strlen(lic) : 0);
	}
	return 0;
}

/* Package names are lower case on Packagist and Composer lowers any it is given. */
static char *composer_name(const char *name)
{
	char *s = shp_xstrdup(name);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static const struct shp_pkg_reader composer_readers[] = {
	{.id = "composer-installed", .match = installed_json, .parse = parse_installed, .counts_as = "manifests"},
};

const struct shp_ecosystem shp_eco_composer = {
	.type = "composer",
	.title = "Composer",
	.purl_type = "composer",
	.osv = "Packagist",
	.vercmp = composer_vercmp,
	.normalize = composer_name,
	.purl_ns_sep = '/',
	.purl_lower = 1,
	.readers = composer_readers,
	.nreaders = SHP_ARRAY_LEN(composer_readers),
};
