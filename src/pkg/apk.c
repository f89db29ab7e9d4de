/* apk.c - apk's installed database (lib/apk/db/installed): stanzas of "X:value" lines, one
 * letter per field (P name, V version, A arch, L licence, o origin; F/R/Z/M... the files),
 * separated by blank lines. A package without an origin is its own. Its files (F: a directory,
 * R: a file in it) that are language packages' are kept, for the packages they came with; and
 * each file's SHA-1 (the Z: line after its R:, "Q1" and base64), for the files installed
 * unchanged. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/xalloc.h"

#include <openssl/evp.h>
#include <string.h>

struct stanza {
	const char *path;     /* the database */
	struct shp_pkgs *out; /* where its packages go */
	size_t line;	      /* where the stanza starts, 0 before its first field */
	struct shp_field name, ver, arch, lic, origin;
	struct shp_field dir; /* the last F: line, where the R: lines after it are */
	size_t first_owned;   /* out->owned from here on are this stanza's files */
	size_t first_sum;     /* out->sums from here on are this stanza's */
	char file[4096];      /* the last R: file's path, "" once its Z: is read */
	size_t file_n;
};

/* The stanza's files that are language packages' got their owner's name once it is known:
 * P: comes first in what apk writes, but nothing says it must. */
static void own(struct stanza *st)
{
	struct shp_pkgs *out = st->out;
	if (!st->name.v || !st->name.n) {
		out->nowned = st->first_owned;
		out->nsums = st->first_sum;
		return;
	}
	const char *owner = NULL;
	for (size_t i = st->first_owned; i < out->nowned; i++)
		out->owned[i].owner = owner ? owner : (owner = shp_arena_strndup(&out->arena, st->name.v, st->name.n));
	for (size_t i = st->first_sum; i < out->nsums; i++)
		out->sums[i].owner = owner ? owner : (owner = shp_arena_strndup(&out->arena, st->name.v, st->name.n));
}

/* The end of a stanza: its package, if it is one, then a fresh stanza. */
static void emit(void *ctx)
{
	struct stanza *st = ctx;
	struct shp_pkgs *out = st->out;
	own(st);
	if (!st->name.v || !st->ver.v || !st->name.n || !st->ver.n) {
		*st = (struct stanza){
			.path = st->path, .out = out, .first_owned = out->nowned, .first_sum = out->nsums};
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
	*st = (struct stanza){.path = st->path, .out = out, .first_owned = out->nowned, .first_sum = out->nsums};
}

/* An R: line: a file of the last F: directory (a path without its leading '/'). */
static void owned(struct stanza *st, struct shp_field file)
{
	char buf[4096];
	st->file_n = 0;
	if (!file.n || st->dir.n + 1 + file.n >= sizeof buf)
		return;
	size_t n = st->dir.n;
	if (n) { /* an R: before any F: is a file at the root (and dir.v is NULL) */
		memcpy(buf, st->dir.v, n);
		buf[n++] = '/';
	}
	memcpy(buf + n, file.v, file.n);
	n += file.n;
	shp_pkgs_add_owned(st->out, buf, n, "", 0); /* the owner is named at the stanza's end */
	memcpy(st->file, buf, n);
	st->file_n = n;
}

/* A Z: line: the last R: file's checksum, "Q1" and the base64 of its SHA-1 (an "X1" MD5 of
 * old databases is passed over). */
static void sum(struct stanza *st, struct shp_field z)
{
	unsigned char raw[24];
	if (!st->file_n || z.n != 30 || memcmp(z.v, "Q1", 2) ||
	    EVP_DecodeBlock(raw, (const unsigned char *)z.v + 2, 28) != 21)
		return;
	shp_pkgs_add_sum(st->out, st->file, st->file_n, SHP_SUM_SHA1, raw, "?", 1); /* owner: at the end */
	st->file_n = 0;
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
	case 'F': st->dir = v; break;
	case 'R': owned(st, v); break;
	case 'Z': sum(st, v); break;
	default: break;
	}
	return NULL;
}

int shp_pkg_parse_apk(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	struct stanza st = {.path = path, .out = out, .first_owned = out->nowned, .first_sum = out->nsums};
	return shp_stanzas(path, data, len, on_line, emit, &st, err);
}
