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
};

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
	if (line[0] == ' ' || line[0] == '\t')
		/* descriptions, conffiles: continuation lines are not needed */
		return st->line ? NULL : "a continuation line before any field";
	const char *colon = memchr(line, ':', n);
	if (!colon || colon == line)
		return "not a \"Field: value\" line";
	if (!st->line)
		st->line = lineno;
	size_t kn = (size_t)(colon - line);
	struct shp_field v = shp_field_value(colon + 1, (size_t)(line + n - colon - 1));
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

/* A file list names its package: info/NAME[:ARCH].list, status.d/NAME.md5sums. Its lines are
 * paths ("/usr/lib/..."), or an md5 sum, blanks and a path without its leading '/'. A line
 * that is neither is passed over: the list only says who owns what. */
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
			size_t k = 0;
			while (k < n && line[k] != ' ')
				k++;
			while (k < n && line[k] == ' ')
				k++;
			line += k;
			n -= k;
		}
		if (n)
			shp_pkgs_add_owned(out, line, n, base, on);
	}
	return 0;
}
