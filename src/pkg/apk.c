/* apk.c - apk's installed database (lib/apk/db/installed): stanzas of "X:value" lines, one
 * letter per field (P name, V version, A arch, L licence, o origin; F/R/Z/M... the files),
 * separated by blank lines. A package without an origin is its own. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/xalloc.h"

#include <string.h>

struct stanza {
	const char *path;     /* the database */
	struct shp_pkgs *out; /* where its packages go */
	size_t line;	      /* where the stanza starts, 0 before its first field */
	struct shp_field name, ver, arch, lic, origin;
};

/* The end of a stanza: its package, if it is one, then a fresh stanza. */
static void emit(void *ctx)
{
	struct stanza *st = ctx;
	struct shp_pkgs *out = st->out;
	if (!st->name.v || !st->ver.v || !st->name.n || !st->ver.n) {
		*st = (struct stanza){.path = st->path, .out = out};
		return;
	}
	struct shp_arena *A = &out->arena;
	struct shp_pkg p = {.type = SHP_PKG_APK, .db = st->path};
	p.name = shp_arena_strndup(A, st->name.v, st->name.n);
	p.version = shp_arena_strndup(A, st->ver.v, st->ver.n);
	p.arch = st->arch.v ? shp_arena_strndup(A, st->arch.v, st->arch.n) : NULL;
	p.license = st->lic.v && st->lic.n ? shp_arena_strndup(A, st->lic.v, st->lic.n) : NULL;
	p.source = st->origin.v && st->origin.n ? shp_arena_strndup(A, st->origin.v, st->origin.n) : p.name;
	p.source_version = p.version;
	SHP_PUSH(out->v, out->n, out->cap, p);
	*st = (struct stanza){.path = st->path, .out = out};
}

static const char *on_line(void *ctx, const char *line, size_t n, size_t lineno)
{
	struct stanza *st = ctx;
	if (n < 2 || line[1] != ':')
		return "not an apk \"X:value\" line";
	if (!st->line)
		st->line = lineno;
	struct shp_field v = shp_field_value(line + 2, n - 2);
	switch (line[0]) {
	case 'P': st->name = v; break;
	case 'V': st->ver = v; break;
	case 'A': st->arch = v; break;
	case 'L': st->lic = v; break;
	case 'o': st->origin = v; break;
	default: break;
	}
	return NULL;
}

int shp_pkg_parse_apk(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	struct stanza st = {.path = path, .out = out};
	return shp_stanzas(path, data, len, on_line, emit, &st, err);
}
