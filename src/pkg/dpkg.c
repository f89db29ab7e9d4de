/* dpkg.c - dpkg's status file (deb-control(5) stanzas) and distroless status.d files.
 *
 * A package counts when dpkg has its files on disk: every Status but "not-installed" and
 * "config-files" (status.d files have no Status: what is there is installed). Source is
 * "name" or "name (version)"; without it the package is its own source. */
#include "pkg/pkg.h"
#include "pkg/text.h"

#include "util/xalloc.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

struct stanza {
	const char *path;						     /* the database */
	struct shp_pkgs *out;						     /* where its packages go */
	size_t line; /* where the stanza starts, 0 before its first field */ /* where it starts */
	struct shp_field pkg, ver, src, arch, status;
	int conffiles; /* the continuation lines are Conffiles' */
};

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* 32 hex digits at p into sum; 0 if they are not. */
static int md5_hex(const char *p, unsigned char sum[16])
{
	for (size_t k = 0; k < 32; k += 2) {
		int hi = hexval(p[k]), lo = hexval(p[k + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		sum[k / 2] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

/* A Conffiles line, " /etc/x.conf MD5 [obsolete]": the configuration file as the package
 * shipped it (the md5sums files leave conffiles out). */
static void conffile(struct stanza *st, const char *line, size_t n)
{
	const char *p = line, *e = line + n;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	const char *path = p;
	while (p < e && *p != ' ')
		p++;
	size_t pn = (size_t)(p - path);
	while (p < e && *p == ' ')
		p++;
	unsigned char sum[16];
	if (pn && st->pkg.n && e - p >= 32 && (e - p == 32 || p[32] == ' ') && md5_hex(p, sum))
		shp_pkgs_add_sum(st->out, path, pn, SHP_SUM_MD5, sum, st->pkg.v, st->pkg.n);
}

static int installed(const struct shp_field *status)
{
	if (!status->v)
		return 1;
	/* "want flag status": the last word */
	const char *s = status->v, *e = status->v + status->n, *w = e;
	while (w > s && w[-1] != ' ' && w[-1] != '\t')
		w--;
	size_t n = (size_t)(e - w);
	return !((n == 13 && !memcmp(w, "not-installed", 13)) || (n == 12 && !memcmp(w, "config-files", 12)));
}

/* The end of a stanza: its package, if it is one, then a fresh stanza. */
static void emit(void *ctx)
{
	struct stanza *st = ctx;
	struct shp_pkgs *out = st->out;
	if (!st->pkg.v || !st->ver.v || !st->pkg.n || !st->ver.n || !installed(&st->status)) {
		*st = (struct stanza){.path = st->path, .out = out};
		return;
	}
	struct shp_pkg p = {.type = SHP_PKG_DEB, .db = st->path};
	struct shp_arena *A = &out->arena;
	p.name = shp_arena_strndup(A, st->pkg.v, st->pkg.n);
	p.version = shp_arena_strndup(A, st->ver.v, st->ver.n);
	p.arch = st->arch.v ? shp_arena_strndup(A, st->arch.v, st->arch.n) : NULL;
	p.source = p.name;
	p.source_version = p.version;
	if (st->src.v) {
		/* "name" or "name (version)" */
		const char *s = st->src.v, *e = s + st->src.n, *sp = memchr(s, ' ', st->src.n);
		p.source = shp_arena_strndup(A, s, (size_t)((sp ? sp : e) - s));
		const char *lp = sp ? memchr(sp, '(', (size_t)(e - sp)) : NULL;
		const char *rp = lp ? memchr(lp, ')', (size_t)(e - lp)) : NULL;
		if (lp && rp && rp > lp + 1)
			p.source_version = shp_arena_strndup(A, lp + 1, (size_t)(rp - lp - 1));
	}
	SHP_PUSH(out->v, out->n, out->cap, p); /* its strings are in the list's arena already */
	*st = (struct stanza){.path = st->path, .out = out};
}

static const char *on_line(void *ctx, const char *line, size_t n, size_t lineno)
{
	struct stanza *st = ctx;
	if (line[0] == ' ' || line[0] == '\t') {
		/* descriptions: continuation lines are not needed; conffiles' digests are */
		if (st->conffiles)
			conffile(st, line, n);
		return st->line ? NULL : "a continuation line before any field";
	}
	const char *colon = memchr(line, ':', n);
	if (!colon || colon == line)
		return "not a \"Field: value\" line";
	if (!st->line)
		st->line = lineno;
	size_t kn = (size_t)(colon - line);
	struct shp_field v = shp_field_value(colon + 1, (size_t)(line + n - colon - 1));
	st->conffiles = kn == 9 && !strncasecmp(line, "Conffiles", 9);
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{"Package", offsetof(struct stanza, pkg)},   {"Version", offsetof(struct stanza, ver)},
		{"Source", offsetof(struct stanza, src)},    {"Architecture", offsetof(struct stanza, arch)},
		{"Status", offsetof(struct stanza, status)},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].name) == kn && !strncasecmp(line, fields[i].name, kn))
			*(struct shp_field *)((char *)st + fields[i].off) = v;
	return NULL;
}

int shp_pkg_parse_dpkg(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	struct stanza st = {.path = path, .out = out};
	return shp_stanzas(path, data, len, on_line, emit, &st, err);
}

/* A file list names its package: info/NAME[:ARCH].list, info/NAME[:ARCH].md5sums,
 * status.d/NAME.md5sums. Its lines are paths ("/usr/lib/..."), or an md5 sum, blanks and a
 * path without its leading '/': the sum is kept (shp_pkgs_add_sum), for the files dpkg
 * installed that are unchanged. A line that is neither is passed over: the list only says who
 * owns what. */
int shp_pkg_parse_dpkg_files(const char *path, const char *data, size_t len, struct shp_pkgs *out,
			     struct shp_error **err)
{
	(void)err;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	int md5 = !strcmp(dot, ".md5sums");
	const char *colon = memchr(base, ':', (size_t)(dot - base));
	size_t on = (size_t)((colon ? colon : dot) - base);
	struct shp_lines L = {.data = data, .len = len};
	const char *line;
	size_t n;
	while (shp_lines_next(&L, &line, &n)) {
		if (md5) {
			unsigned char sum[16];
			int ok = n > 34 && line[32] == ' ' && md5_hex(line, sum);
			size_t k = 0;
			while (k < n && line[k] != ' ')
				k++;
			while (k < n && line[k] == ' ')
				k++;
			line += k;
			n -= k;
			if (ok && n)
				shp_pkgs_add_sum(out, line, n, SHP_SUM_MD5, sum, base, on);
		}
		if (n)
			shp_pkgs_add_owned(out, line, n, base, on);
	}
	return 0;
}
