/* version.c - see version.h. Written from the package managers' documented orders: deb from
 * deb-version(7), rpm from rpmvercmp's description in rpm's docs, apk from apk-tools' version
 * grammar. Numbers are compared as digit strings, so no length overflows. */
#include "pkg/version.h"

#include <stddef.h>
#include <string.h>

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int sign(int x) { return (x > 0) - (x < 0); }

int shp_vercmp_digits(const char *a, size_t na, const char *b, size_t nb)
{
	while (na && *a == '0') {
		a++;
		na--;
	}
	while (nb && *b == '0') {
		b++;
		nb--;
	}
	if (na != nb)
		return na < nb ? -1 : 1;
	return sign(memcmp(a, b, na));
}

/* ---- deb ---------------------------------------------------------------------------- */

/* deb-version(7): '~' sorts before anything, even the end; then the end and digits' place;
 * then letters; then every other character. */
static int deb_order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* One part (upstream or revision) given as [a, ae) and [b, be). */
static int deb_part(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae || b < be) {
		while ((a < ae && !is_digit(*a)) || (b < be && !is_digit(*b))) {
			int ac = a < ae ? deb_order((unsigned char)*a) : 0;
			int bc = b < be ? deb_order((unsigned char)*b) : 0;
			if (ac != bc)
				return sign(ac - bc);
			a += a < ae;
			b += b < be;
		}
		const char *da = a, *db = b;
		while (a < ae && is_digit(*a))
			a++;
		while (b < be && is_digit(*b))
			b++;
		int c = shp_vercmp_digits(da, (size_t)(a - da), db, (size_t)(b - db));
		if (c)
			return c;
	}
	return 0;
}

struct evr {
	const char *e, *ee; /* epoch digits, or e == ee */
	const char *v, *ve; /* version (upstream) */
	const char *r, *re; /* release (revision); r == NULL when absent */
};

/* [epoch:]version[-release]: the epoch is the digits before the first ':' (an empty one is
 * 0); the release follows the last '-'. */
static struct evr split_evr(const char *s)
{
	struct evr x = {0};
	const char *end = s + strlen(s);
	const char *p = s;
	while (is_digit(*p))
		p++;
	if (*p == ':') {
		x.e = s;
		x.ee = p;
		x.v = p + 1;
	} else {
		x.e = x.ee = s;
		x.v = s;
	}
	const char *dash = NULL;
	for (const char *q = x.v; q < end; q++)
		if (*q == '-')
			dash = q;
	x.ve = dash ? dash : end;
	if (dash) {
		x.r = dash + 1;
		x.re = end;
	}
	return x;
}

int shp_vercmp_deb(const char *a, const char *b)
{
	struct evr x = split_evr(a), y = split_evr(b);
	int c = shp_vercmp_digits(x.e, (size_t)(x.ee - x.e), y.e, (size_t)(y.ee - y.e));
	if (c)
		return c;
	if ((c = deb_part(x.v, x.ve, y.v, y.ve)))
		return c;
	/* an absent revision is the empty one, which equals "0" */
	return deb_part(x.r ? x.r : "", x.r ? x.re : "", y.r ? y.r : "", y.r ? y.re : "");
}

/* ---- rpm ---------------------------------------------------------------------------- */

/* rpmvercmp over [a, ae) and [b, be): separators are skipped; segments of digits or of
 * letters compare (a number beats letters); '~' sorts before everything and '^' after
 * the end but before anything else. */
static int rpm_part(const char *a, const char *ae, const char *b, const char *be)
{
	if (ae - a == be - b && !memcmp(a, b, (size_t)(ae - a)))
		return 0;
	while (a < ae || b < be) {
		while (a < ae && !is_alpha(*a) && !is_digit(*a) && *a != '~' && *a != '^')
			a++;
		while (b < be && !is_alpha(*b) && !is_digit(*b) && *b != '~' && *b != '^')
			b++;
		int ca = a < ae ? *a : 0, cb = b < be ? *b : 0;
		/* the side with the marker is older, but for '^' against the end */
		int mark = ca == '~' || cb == '~' ? '~' : ca == '^' || cb == '^' ? '^' : 0;
		if (mark) {
			if (ca == mark && cb == mark) {
				a++;
				b++;
				continue;
			}
			if (mark == '^' && (!ca || !cb))
				return ca ? 1 : -1;
			return ca == mark ? -1 : 1;
		}
		if (!ca || !cb)
			break;
		const char *sa = a, *sb = b;
		int num = is_digit(ca);
		if (num) {
			while (a < ae && is_digit(*a))
				a++;
			while (b < be && is_digit(*b))
				b++;
		} else {
			while (a < ae && is_alpha(*a))
				a++;
			while (b < be && is_alpha(*b))
				b++;
		}
		if (b == sb)
			return num ? 1 : -1; /* different kinds of segment: the number is newer */
		int c;
		if (num)
			c = shp_vercmp_digits(sa, (size_t)(a - sa), sb, (size_t)(b - sb));
		else {
			size_t na = (size_t)(a - sa), nb = (size_t)(b - sb);
			c = sign(memcmp(sa, sb, na < nb ? na : nb));
			if (!c && na != nb)
				c = na < nb ? -1 : 1;
		}
		if (c)
			return c;
	}
	int ea = a >= ae, eb = b >= be;
	if (ea && eb)
		return 0;
	return ea ? -1 : 1;
}

int shp_rpmvercmp(const char *a, const char *b) { return rpm_part(a, a + strlen(a), b, b + strlen(b)); }

int shp_vercmp_rpm(const char *a, const char *b)
{
	struct evr x = split_evr(a), y = split_evr(b);
	/* an absent or empty epoch is 0; epochs are digits and compare as numbers */
	int c = shp_vercmp_digits(x.e, (size_t)(x.ee - x.e), y.e, (size_t)(y.ee - y.e));
	if (c)
		return c;
	if ((c = rpm_part(x.v, x.ve, y.v, y.ve)))
		return c;
	/* librpm's rpmverCmp: a missing release sorts before any release, even an empty one */
	if (x.r && y.r)
		return rpm_part(x.r, x.re, y.r, y.re);
	return x.r ? 1 : y.r ? -1 : 0;
}

/* ---- apk ---------------------------------------------------------------------------- */

/* apk-tools' grammar: digits {.digits} [letter] {_suffix[digits]} [-rdigits]. A token's
 * kind is known from what precedes it; kinds must come in that order or the rest of the
 * version is invalid. */
enum apk_tok { T_INVALID = -1, T_DIGIT_OR_ZERO, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_REVISION_NO, T_END };

struct apk_val {
	long small;	 /* letters, suffix ranks, minus the count of leading zeros */
	const char *dig; /* a number: its digits, when dig != NULL */
	size_t ndig;
};

struct apk_ver {
	const char *p, *end;
	int t;
};

static int apk_val_cmp(struct apk_val x, struct apk_val y)
{
	if (x.dig && y.dig)
		return shp_vercmp_digits(x.dig, x.ndig, y.dig, y.ndig);
	long xv = x.small, yv = y.small;
	if (x.dig || y.dig) {
		/* a number (>= 0) against a small value: the number, saturated */
		const struct apk_val *n = x.dig ? &x : &y;
		long v = 0;
		size_t i = 0;
		while (i < n->ndig && n->dig[i] == '0')
			i++;
		if (n->ndig - i > 15)
			v = 1000000000000000L;
		else
			for (; i < n->ndig; i++)
				v = v * 10 + (n->dig[i] - '0');
		if (x.dig)
			xv = v;
		else
			yv = v;
	}
	return (xv > yv) - (xv < yv);
}

/* The kind of the next token, consuming its separator. */
static void apk_next(struct apk_ver *v)
{
	int n = T_INVALID;
	if (v->p >= v->end || !*v->p)
		n = T_END;
	else if ((v->t == T_DIGIT || v->t == T_DIGIT_OR_ZERO) && *v->p >= 'a' && *v->p <= 'z')
		n = T_LETTER;
	else if (v->t == T_LETTER && is_digit(*v->p))
		n = T_DIGIT;
	else if (v->t == T_SUFFIX && is_digit(*v->p))
		n = T_SUFFIX_NO;
	else {
		switch (*v->p) {
		case '.': n = T_DIGIT_OR_ZERO; break;
		case '_': n = T_SUFFIX; break;
		case '-':
			if (v->end - v->p > 1 && v->p[1] == 'r') {
				n = T_REVISION_NO;
				v->p++;
			}
			break;
		}
		v->p++;
	}
	if (n < v->t && !((n == T_DIGIT_OR_ZERO && v->t == T_DIGIT) || (n == T_SUFFIX && v->t == T_SUFFIX_NO) ||
			  (n == T_DIGIT && v->t == T_LETTER)))
		n = T_INVALID;
	v->t = n;
}

static struct apk_val apk_get(struct apk_ver *v)
{
	static const char *const pre[] = {"alpha", "beta", "pre", "rc"};
	static const char *const post[] = {"cvs", "svn", "git", "hg", "p"};
	struct apk_val r = {0};
	size_t len = (size_t)(v->end - v->p), i = 0;
	int nt = T_INVALID;
	if (!len) {
		v->t = T_END;
		return r;
	}
	switch (v->t) {
	case T_DIGIT_OR_ZERO:
		if (v->p[0] == '0') { /* leading zeros: a fraction, smaller the more zeros */
			while (i < len && v->p[i] == '0')
				i++;
			nt = T_DIGIT;
			r.small = -(long)i;
			break;
		}
		__attribute__((fallthrough));
	case T_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		while (i < len && is_digit(v->p[i]))
			i++;
		r.dig = v->p;
		r.ndig = i;
		break;
	case T_LETTER: r.small = (unsigned char)v->p[i++]; break;
	case T_SUFFIX: {
		size_t k;
		for (k = 0; k < sizeof pre / sizeof pre[0]; k++) {
			i = strlen(pre[k]);
			if (i <= len && !strncmp(pre[k], v->p, i))
				break;
		}
		if (k < sizeof pre / sizeof pre[0]) {
			r.small = (long)k - (long)(sizeof pre / sizeof pre[0]);
			break;
		}
		for (k = 0; k < sizeof post / sizeof post[0]; k++) {
			i = strlen(post[k]);
			if (i <= len && !strncmp(post[k], v->p, i))
				break;
		}
		if (k < sizeof post / sizeof post[0]) {
			r.small = (long)k;
			break;
		}
		v->t = T_INVALID; /* an unknown suffix */
		r.small = -1;
		return r;
	}
	default:
		v->t = T_INVALID;
		r.small = -1;
		return r;
	}
	v->p += i;
	if (v->p >= v->end || !*v->p)
		v->t = T_END;
	else if (nt != T_INVALID)
		v->t = nt;
	else
		apk_next(v);
	return r;
}

int shp_vercmp_apk(const char *a, const char *b)
{
	struct apk_ver x = {a, a + strlen(a), T_DIGIT}, y = {b, b + strlen(b), T_DIGIT};
	struct apk_val av = {0}, bv = {0};
	while (x.t == y.t && x.t != T_END && x.t != T_INVALID && !apk_val_cmp(av, bv)) {
		av = apk_get(&x);
		bv = apk_get(&y);
	}
	int c = apk_val_cmp(av, bv);
	if (c)
		return c;
	if (x.t == y.t)
		return 0;
	/* Equal so far: the longer is newer, unless what follows is a pre-release suffix. */
	struct apk_ver t = x;
	if (x.t == T_SUFFIX && apk_get(&t).small < 0)
		return -1;
	t = y;
	if (y.t == T_SUFFIX && apk_get(&t).small < 0)
		return 1;
	if (x.t > y.t)
		return -1;
	if (y.t > x.t)
		return 1;
	return 0;
}

/* ---- npm: semver 2.0.0 ------------------------------------------------------------------ */

/* MAJOR.MINOR.PATCH[-pre.release][+build], an optional leading 'v' or '=' (node-semver's
 * loose form); missing parts count as 0. */
struct semver {
	const char *num[3];
	size_t nlen[3];
	const char *pre, *pre_end; /* pre == NULL: a release */
};

static struct semver semver_split(const char *s)
{
	struct semver v = {0};
	while (*s == ' ' || *s == 'v' || *s == 'V' || *s == '=')
		s++;
	for (int i = 0; i < 3; i++) {
		v.num[i] = s;
		while (is_digit(*s))
			s++;
		v.nlen[i] = (size_t)(s - v.num[i]);
		if (*s != '.')
			break;
		s++;
	}
	while (*s && *s != '-' && *s != '+')
		s++; /* anything else in the version core is not order-bearing */
	if (*s == '-') {
		v.pre = ++s;
		while (*s && *s != '+')
			s++;
		v.pre_end = s;
	}
	return v;
}

/* Pre-release identifiers: numbers by value and below words; words in ASCII order; the
 * shorter list first when one is a prefix of the other. */
static int semver_pre(const char *a, const char *ae, const char *b, const char *be)
{
	for (;;) {
		if (a >= ae || b >= be)
			return (a < ae) - (b < be);
		const char *x = a, *y = b;
		while (a < ae && *a != '.')
			a++;
		while (b < be && *b != '.')
			b++;
		size_t nx = (size_t)(a - x), ny = (size_t)(b - y);
		int dx = nx && strspn(x, "0123456789") >= nx, dy = ny && strspn(y, "0123456789") >= ny;
		int c;
		if (dx && dy)
			c = shp_vercmp_digits(x, nx, y, ny);
		else if (dx || dy)
			c = dx ? -1 : 1;
		else {
			c = sign(memcmp(x, y, nx < ny ? nx : ny));
			if (!c)
				c = sign((int)nx - (int)ny);
		}
		if (c)
			return c;
		a += a < ae;
		b += b < be;
	}
}

int shp_vercmp_semver(const char *a, const char *b)
{
	struct semver x = semver_split(a), y = semver_split(b);
	for (int i = 0; i < 3; i++) {
		int c = shp_vercmp_digits(x.num[i] ? x.num[i] : "", x.nlen[i], y.num[i] ? y.num[i] : "", y.nlen[i]);
		if (c)
			return c;
	}
	if (!x.pre || !y.pre)
		return (!x.pre) - (!y.pre); /* a release is after its pre-releases */
	return semver_pre(x.pre, x.pre_end, y.pre, y.pre_end);
}

/* ---- PyPI: PEP 440 ------------------------------------------------------------------------ */

#define PEP440_MAX_RELEASE 32

/* [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spellings PEP 440 normalises
 * (alpha, beta, c, pre, preview, rev, r, "-N" for a post release, any of . - _ between
 * parts, upper case, a leading 'v'). */
struct pep440 {
	const char *epoch;
	size_t elen;
	const char *rel[PEP440_MAX_RELEASE];
	size_t rlen[PEP440_MAX_RELEASE];
	int nrel;
	int pre; /* -1 none, 0 a, 1 b, 2 rc */
	const char *pre_n, *post_n, *dev_n;
	size_t pre_l, post_l, dev_l;
	int post, dev;	   /* present */
	const char *local; /* after '+', or NULL */
	int valid;
};

static int lower_eq(const char *s, const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/* Reads a word from the table at s: its length, and *idx its index; 0 if none matches. */
static size_t pep_word(const char *s, const char *const *words, int *idx)
{
	size_t best = 0;
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (n > best && lower_eq(s, words[i], n) && !is_alpha((unsigned char)s[n])) {
			best = n;
			*idx = i;
		}
	}
	return best;
}

static const char *pep_sep(const char *s) { return (*s == '.' || *s == '-' || *s == '_') ? s + 1 : s; }

static const char *pep_num(const char *s, const char **n, size_t *l)
{
	*n = s;
	while (is_digit(*s))
		s++;
	*l = (size_t)(s - *n);
	return s;
}

static struct pep440 pep440_split(const char *s)
{
	static const char *const pre_words[] = {"a", "alpha", "b", "beta", "c", "rc", "pre", "preview", NULL};
	static const int pre_kind[] = {0, 0, 1, 1, 2, 2, 2, 2};
	static const char *const post_words[] = {"post", "rev", "r", NULL};
	static const char *const dev_words[] = {"dev", NULL};
	struct pep440 v = {.pre = -1};
	while (*s == ' ')
		s++;
	if (*s == 'v' || *s == 'V')
		s++;
	const char *p = s;
	while (is_digit(*p))
		p++;
	if (*p == '!' && p > s) {
		v.epoch = s;
		v.elen = (size_t)(p - s);
		s = p + 1;
	}
	if (!is_digit(*s))
		return v;
	for (;;) {
		const char *n;
		size_t l;
		s = pep_num(s, &n, &l);
		if (v.nrel < PEP440_MAX_RELEASE) {
			v.rel[v.nrel] = n;
			v.rlen[v.nrel++] = l;
		}
		if (*s != '.' || !is_digit(s[1]))
			break;
		s++;
	}
	int k;
	size_t w;
	const char *q = pep_sep(s);
	if ((w = pep_word(q, pre_words, &k))) {
		v.pre = pre_kind[k];
		s = pep_num(pep_sep(q + w), &v.pre_n, &v.pre_l);
		if (!v.pre_l)
			s = q + w; /* "1.0a": a0 */
	}
	q = pep_sep(s);
	if (*s == '-' && is_digit(s[1])) {
		v.post = 1;
		s = pep_num(s + 1, &v.post_n, &v.post_l);
	} else if ((w = pep_word(q, post_words, &k))) {
		v.post = 1;
		s = pep_num(pep_sep(q + w), &v.post_n, &v.post_l);
		if (!v.post_l)
			s = q + w;
	}
	q = pep_sep(s);
	if ((w = pep_word(q, dev_words, &k))) {
		v.dev = 1;
		s = pep_num(pep_sep(q + w), &v.dev_n, &v.dev_l);
		if (!v.dev_l)
			s = q + w;
	}
	if (*s == '+') {
		v.local = s + 1;
		s += strlen(s);
	}
	while (*s == ' ')
		s++;
	v.valid = *s == 0;
	return v;
}

/* Local labels: segments split at . - _; numbers by value and above words; words compared
 * case-insensitively; the longer list after a prefix. */
static int pep_local(const char *a, const char *b)
{
	for (;;) {
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		size_t na = strcspn(a, ".-_"), nb = strcspn(b, ".-_");
		int da = na && strspn(a, "0123456789") >= na, db = nb && strspn(b, "0123456789") >= nb;
		int c = 0;
		if (da && db)
			c = shp_vercmp_digits(a, na, b, nb);
		else if (da || db)
			c = da ? 1 : -1;
		else
			for (size_t i = 0; !c && (i < na || i < nb); i++) {
				int x = i < na ? (unsigned char)(a[i] | 0x20) : -1,
				    y = i < nb ? (unsigned char)(b[i] | 0x20) : -1;
				c = sign(x - y);
			}
		if (c)
			return c;
		a += na + (a[na] != 0);
		b += nb + (b[nb] != 0);
	}
}

/* Natural order for strings that are not PEP 440 versions: digit runs by value. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (is_digit(*a) && is_digit(*b)) {
			const char *x = a, *y = b;
			while (is_digit(*a))
				a++;
			while (is_digit(*b))
				b++;
			int c = shp_vercmp_digits(x, (size_t)(a - x), y, (size_t)(b - y));
			if (c)
				return c;
			continue;
		}
		if (*a != *b)
			return sign((unsigned char)*a - (unsigned char)*b);
		a++;
		b++;
	}
	return 0;
}

int shp_vercmp_pep440(const char *a, const char *b)
{
	struct pep440 x = pep440_split(a), y = pep440_split(b);
	if (!x.valid || !y.valid)
		return x.valid != y.valid ? (x.valid ? 1 : -1) : natural_cmp(a, b);
	int c = shp_vercmp_digits(x.epoch ? x.epoch : "", x.elen, y.epoch ? y.epoch : "", y.elen);
	if (c)
		return c;
	for (int i = 0; i < x.nrel || i < y.nrel; i++) { /* 1.0 == 1.0.0: missing parts are 0 */
		c = shp_vercmp_digits(i < x.nrel ? x.rel[i] : "", i < x.nrel ? x.rlen[i] : 0,
				      i < y.nrel ? y.rel[i] : "", i < y.nrel ? y.rlen[i] : 0);
		if (c)
			return c;
	}
	/* The pre-release key: a dev release of the final version (1.0.dev1) before every
	 * pre-release, no pre-release after them. */
	int kx = x.pre >= 0 ? x.pre : (!x.post && x.dev) ? -2 : 3;
	int ky = y.pre >= 0 ? y.pre : (!y.post && y.dev) ? -2 : 3;
	if (kx != ky)
		return sign(kx - ky);
	if (x.pre >= 0 && (c = shp_vercmp_digits(x.pre_n, x.pre_l, y.pre_n, y.pre_l)))
		return c;
	if (x.post != y.post)
		return x.post ? 1 : -1;
	if (x.post && (c = shp_vercmp_digits(x.post_n, x.post_l, y.post_n, y.post_l)))
		return c;
	if (x.dev != y.dev)
		return x.dev ? -1 : 1; /* a dev release before the one it leads to */
	if (x.dev && (c = shp_vercmp_digits(x.dev_n, x.dev_l, y.dev_n, y.dev_l)))
		return c;
	if (!x.local || !y.local)
		return (x.local != NULL) - (y.local != NULL);
	return pep_local(x.local, y.local);
}

/* ---- Maven: ComparableVersion ---------------------------------------------------------- */

/* Maven's order: maven-artifact's ComparableVersion as Maven 3.9 has it, the order OSV computes
 * Maven ranges with (Maven 3.8.7 already runs the same class; 3.9.9's orders 510,000 pairs as
 * 3.8.7's does). The version in lower case is split at '.', at '-' and where digits meet
 * letters; '-' and such a meeting open a sub-list, and a word before digits or at the end
 * stands in a sub-list of its own unless it opens its list. Numbers compare by value, above
 * qualifiers and sub-lists; qualifiers in the order alpha < beta < milestone < rc < snapshot
 * < "" (ga, final, release) < sp < any other word (those in ASCII order), "a" "b" "m" being
 * alpha, beta and milestone only when digits follow ("1-a1" but not "1-a"), "cr" rc; a list
 * loses its trailing zeros and empty words before it is compared, then a list compared with
 * nothing compares each of its items with nothing.
 *
 * Where the older class orders otherwise (Maven 3.6.3's, checked), two rules of the newer decide:
 * - a word after '.' opens a sub-list as one after '-' does (MNG-7644): "1.0.0.RC1" <
 *   "1.0.0-RC2" (before: >), "2.0.x" == "2-x", "1.0.0-RC16" > "1.0.0.RC8-beta" (RC16 against
 *   RC8; before: <, the ".RC8" standing among the numbers), "1.1.31.sec10" >
 *   "1.1.31_noneautotype" ("sec" against "_noneautotype"; before: <);
 * - a list compared with nothing weighs all its items, not the first alone (MNG-6964):
 *   "1-0.1" > "1", "1-0.alpha" < "1" (before: both equal to "1").
 * ga, final and release stay empty words that a list sheds, so "1-ga-1" is "1-[[1]]" and sorts
 * before "1-1" (a list before a number), as Maven has always done; the POM reference's example
 * "1-ga-1" == "1-1" (followed by OSV's order list) is not what Maven computes.
 * Bounds: letters other than ASCII are compared as they are spelt (Java lowers them, and counts
 * other scripts' digits as digits); versions longer than the bounds below are compared on what
 * fits. Versions of digits and dots alone, most of them, take a short way without the lists. */
#define MVN_MAX_ITEMS 96
#define MVN_MAX_CHILDREN 48
#define MVN_MAX_LEN 256

enum { MV_INT, MV_STR, MV_LIST };

struct mvn_item {
	int type;
	const char *s; /* INT: digits without leading zeros; STR: the word (aliases resolved) */
	size_t n;
	int child[MVN_MAX_CHILDREN], nchild; /* LIST */
};

struct mvn {
	char text[MVN_MAX_LEN + 1];
	struct mvn_item it[MVN_MAX_ITEMS];
	int n;
};

static int mvn_new(struct mvn *v, int type, const char *s, size_t n)
{
	if (v->n >= MVN_MAX_ITEMS)
		return -1;
	struct mvn_item *x = &v->it[v->n];
	x->type = type;
	x->s = s;
	x->n = n;
	x->nchild = 0;
	return v->n++;
}

static void mvn_add(struct mvn *v, int list, int item)
{
	if (list >= 0 && item >= 0 && v->it[list].nchild < MVN_MAX_CHILDREN)
		v->it[list].child[v->it[list].nchild++] = item;
}

/* A new list, the last item of list; the list to add to from now on. */
static int mvn_sub(struct mvn *v, int list)
{
	int sub = mvn_new(v, MV_LIST, NULL, 0);
	mvn_add(v, list, sub);
	return sub >= 0 ? sub : list;
}

/* A word or number of the version: an item (a one-letter word before digits is spelt out). */
static int mvn_item(struct mvn *v, int digits, const char *s, size_t n, int before_digit)
{
	if (digits) {
		while (n && *s == '0') {
			s++;
			n--;
		}
		return mvn_new(v, MV_INT, s, n);
	}
	static const char *const spelt[][2] = {{"a", "alpha"}, {"b", "beta"}, {"m", "milestone"}};
	static const char *const alias[][2] = {{"ga", ""}, {"final", ""}, {"release", ""}, {"cr", "rc"}};
	for (size_t i = 0; before_digit && n == 1 && i < 3; i++)
		if (*s == spelt[i][0][0])
			return mvn_new(v, MV_STR, spelt[i][1], strlen(spelt[i][1]));
	for (size_t i = 0; i < 4; i++)
		if (n == strlen(alias[i][0]) && !memcmp(s, alias[i][0], n))
			return mvn_new(v, MV_STR, alias[i][1], strlen(alias[i][1]));
	return mvn_new(v, MV_STR, s, n);
}

static int mvn_null(const struct mvn *v, int i)
{
	const struct mvn_item *x = &v->it[i];
	return x->type == MV_LIST ? x->nchild == 0 : x->n == 0; /* 0, "", [] */
}

static void mvn_parse(struct mvn *v, const char *ver)
{
	size_t len = strlen(ver);
	if (len > MVN_MAX_LEN)
		len = MVN_MAX_LEN;
	for (size_t i = 0; i < len; i++)
		v->text[i] = (char)(ver[i] >= 'A' && ver[i] <= 'Z' ? ver[i] + 32 : ver[i]);
	v->text[len] = 0;
	v->n = 0;
	const char *t = v->text;
	int list = mvn_new(v, MV_LIST, NULL, 0), digits = 0;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (c == '.' || c == '-') {
			mvn_add(v, list,
				i == start ? mvn_new(v, MV_INT, t, 0) : mvn_item(v, digits, t + start, i - start, 0));
			start = i + 1;
			if (c == '-')
				list = mvn_sub(v, list);
		} else if (is_digit(c)) {
			if (!digits && i > start) { /* a word, then digits: "rc1", in a list of its own */
				if (v->it[list].nchild)
					list = mvn_sub(v, list);
				mvn_add(v, list, mvn_item(v, 0, t + start, i - start, 1));
				start = i;
				list = mvn_sub(v, list);
			}
			digits = 1;
		} else {
			if (digits && i > start) { /* digits, then a word: "1rc" */
				mvn_add(v, list, mvn_item(v, 1, t + start, i - start, 0));
				start = i;
				list = mvn_sub(v, list);
			}
			digits = 0;
		}
	}
	if (len > start) {
		if (!digits && v->it[list].nchild) /* a last word is a list of its own too: "1.a" */
			list = mvn_sub(v, list);
		mvn_add(v, list, mvn_item(v, digits, t + start, len - start, 0));
	}
	/* innermost lists first (they were made last): trailing nulls go, over trailing lists too */
	for (int i = v->n - 1; i >= 0; i--) {
		struct mvn_item *x = &v->it[i];
		if (x->type != MV_LIST)
			continue;
		for (int k = x->nchild - 1; k >= 0; k--) {
			if (mvn_null(v, x->child[k])) {
				memmove(&x->child[k], &x->child[k + 1],
					(size_t)(x->nchild - k - 1) * sizeof x->child[0]);
				x->nchild--;
			} else if (v->it[x->child[k]].type != MV_LIST)
				break;
		}
	}
}

/* A qualifier's rank: its place among the known ones, or after them all, by its spelling. */
static int mvn_qual_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	static const char *const known[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
	int ra = 7, rb = 7;
	for (int i = 0; i < 7; i++) {
		if (ra == 7 && na == strlen(known[i]) && !memcmp(a, known[i], na))
			ra = i;
		if (rb == 7 && nb == strlen(known[i]) && !memcmp(b, known[i], nb))
			rb = i;
	}
	if (ra != rb || ra < 7)
		return sign(ra - rb);
	int c = memcmp(a, b, na < nb ? na : nb);
	return c ? sign(c) : sign((int)na - (int)nb);
}

/* Item x of a against item y of b (y < 0: nothing there). */
static int mvn_cmp(const struct mvn *a, int x, const struct mvn *b, int y)
{
	const struct mvn_item *l = &a->it[x], *r = y >= 0 ? &b->it[y] : NULL;
	switch (l->type) {
	case MV_INT:
		if (!r)
			return l->n != 0;
		return r->type == MV_INT ? shp_vercmp_digits(l->s, l->n, r->s, r->n) : 1;
	case MV_STR:
		if (!r)
			return mvn_qual_cmp(l->s, l->n, "", 0);
		if (r->type != MV_STR)
			return -1;
		return mvn_qual_cmp(l->s, l->n, r->s, r->n);
	default:
		if (!r) {
			for (int k = 0; k < l->nchild; k++) {
				int c = mvn_cmp(a, l->child[k], b, -1);
				if (c)
					return c;
			}
			return 0;
		}
		if (r->type != MV_LIST)
			return r->type == MV_INT ? -1 : 1;
		for (int k = 0; k < l->nchild || k < r->nchild; k++) {
			int c = k >= l->nchild ? -mvn_cmp(b, r->child[k], a, -1)
					       : mvn_cmp(a, l->child[k], b, k < r->nchild ? r->child[k] : -1);
			if (c)
				return c;
		}
		return 0;
	}
}

/* Digits and dots only ("2.14.1", "1..1"): a flat list of numbers, an empty one 0, missing ones
 * and trailing zeros alike nothing; -2 when either holds anything else. */
static int mvn_numeric_cmp(const char *a, const char *b)
{
	size_t i = strspn(a, "0123456789."), j = strspn(b, "0123456789.");
	if (a[i] || b[j])
		return -2;
	while (*a || *b) {
		size_t na = strcspn(a, "."), nb = strcspn(b, ".");
		int c = shp_vercmp_digits(a, na, b, nb);
		if (c)
			return c;
		a += na + (a[na] == '.');
		b += nb + (b[nb] == '.');
	}
	return 0;
}

int shp_vercmp_maven(const char *a, const char *b)
{
	int c = mvn_numeric_cmp(a, b);
	if (c != -2)
		return c;
	struct mvn x, y;
	mvn_parse(&x, a);
	mvn_parse(&y, b);
	return mvn_cmp(&x, 0, &y, 0);
}

/* ---- by type ------------------------------------------------------------------------- */

int shp_vercmp(enum shp_pkg_type t, const char *a, const char *b)
{
	if (t < SHP_PKG_NTYPES)
		return shp_eco(t)->vercmp(a, b);
	return strcmp(a, b) > 0 ? 1 : strcmp(a, b) < 0 ? -1 : 0;
}

int shp_pkg_type_from_name(const char *s) { return shp_eco_by_type(s); }

const char *shp_pkg_type_name(enum shp_pkg_type t) { return t < SHP_PKG_NTYPES ? shp_eco(t)->type : "?"; }
