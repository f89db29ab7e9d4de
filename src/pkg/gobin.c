/* gobin.c - the modules a Go program was built from, as `go version -m` prints them.
 *
 * Since Go 1.18 the linker writes a blob at a 16-byte aligned place of every executable
 * (ELF's ".go.buildinfo" section): the magic "\xff Go buildinf:", the pointer size, a flags
 * byte whose bit 1 says the strings follow inline, 16 bytes of padding, then two strings,
 * each an unsigned varint length and its bytes: the toolchain's version ("go1.22.4") and
 * the module information, framed by 16 sentinel bytes on each side:
 *
 *     path	example.com/cmd/tool
 *     mod	example.com/cmd	v1.2.0	h1:...
 *     dep	golang.org/x/text	v0.3.7	h1:...
 *     =>	golang.org/x/text	v0.3.8	h1:...     (replaces the dep above)
 *     build	GOOS=linux
 *
 * Older toolchains pointed at the strings instead (flags bit 1 clear); reaching them means
 * mapping virtual addresses back into the file, which a stream that has already gone past
 * them cannot do, so those binaries are not read.
 *
 * A layer is a stream: shp_gobin_feed looks at each aligned 16 bytes as they go by and keeps
 * the blob once it sees one. A file on disk is read where its section headers say (read
 * through like a stream when it has none, for at most SHP_GOBIN_MAX_SEARCH bytes). */
#include "pkg/pkg.h"
#include "slim/elf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic[14] = "\xff Go buildinf:";

enum { G_SEARCH, G_COLLECT, G_FOUND, G_NONE };

/* The 16 bytes of a blob's start: the magic, a pointer size, and the inline-strings flag
 * (bit 0 is big-endian, which inline strings do not care about). 0 when this is not a
 * blob, -1 when it is one of the old kind. */
static int header_ok(const unsigned char *h)
{
	if (memcmp(h, magic, sizeof magic) || (h[14] != 4 && h[14] != 8) || (h[15] & ~3u))
		return 0;
	return h[15] & 2 ? 1 : -1;
}

/* Go's unsigned varint at *pos; 0 and *pos unchanged when incomplete or too long. */
static int uvarint(const unsigned char *b, size_t n, size_t *pos, uint64_t *v)
{
	uint64_t x = 0;
	for (size_t i = 0; i < 10 && *pos + i < n; i++) {
		x |= (uint64_t)(b[*pos + i] & 0x7f) << (7 * i);
		if (!(b[*pos + i] & 0x80)) {
			*pos += i + 1;
			*v = x;
			return 1;
		}
	}
	return 0;
}

/* The two strings after the 32-byte header: their places, or 0 when n bytes do not hold
 * them yet (*need: the size that would, when known) or never can (*need = SIZE_MAX). */
static int blob_strings(const unsigned char *b, size_t n, const unsigned char *s[2], size_t sn[2], size_t *need)
{
	size_t pos = 32;
	*need = 0;
	for (int k = 0; k < 2; k++) {
		uint64_t len;
		if (!uvarint(b, n, &pos, &len)) {
			if (n >= pos + 10)
				*need = SIZE_MAX; /* a varint of more than 10 bytes */
			return 0;
		}
		if (len > SHP_GOBIN_MAX_BYTES || pos + len > SHP_GOBIN_MAX_BYTES) {
			*need = SIZE_MAX;
			return 0;
		}
		if (pos + len > n) {
			*need = k ? pos + len : 0;
			return 0;
		}
		s[k] = b + pos;
		sn[k] = (size_t)len;
		pos += (size_t)len;
	}
	*need = pos;
	return 1;
}

void shp_gobin_init(struct shp_gobin *g) { *g = (struct shp_gobin){.state = G_SEARCH}; }

void shp_gobin_free(struct shp_gobin *g)
{
	free(g->blob);
	g->blob = NULL;
	g->len = 0;
}

static void collect(struct shp_gobin *g, const unsigned char *p, size_t n)
{
	size_t room = SHP_GOBIN_MAX_BYTES - g->len;
	if (n > room)
		n = room;
	if (g->len + n > g->cap) {
		g->cap = g->len + n > 2 * g->cap ? g->len + n : 2 * g->cap;
		g->blob = shp_xrealloc(g->blob, g->cap);
	}
	memcpy(g->blob + g->len, p, n);
	g->len += n;
	const unsigned char *s[2];
	size_t sn[2], need;
	if (blob_strings((const unsigned char *)g->blob, g->len, s, sn, &need)) {
		g->len = need;
		g->state = G_FOUND;
	} else if (need == SIZE_MAX || g->len >= SHP_GOBIN_MAX_BYTES) {
		g->state = G_NONE;
	}
}

/* One complete aligned unit: the start of a blob? */
static void unit(struct shp_gobin *g, const unsigned char *u)
{
	int h = header_ok(u);
	if (h < 0)
		g->state = G_NONE; /* the old kind: its strings are elsewhere */
	else if (h > 0) {
		g->state = G_COLLECT;
		collect(g, u, 16);
	}
}

int shp_gobin_feed(struct shp_gobin *g, const void *data, size_t n)
{
	const unsigned char *p = data;
	while (n && g->state == G_SEARCH) {
		size_t k;
		if (g->off % 16 || n < 16) { /* complete a unit a block boundary cut */
			size_t at = g->off % 16;
			k = 16 - at < n ? 16 - at : n;
			memcpy(g->unit + at, p, k);
			if (at + k == 16)
				unit(g, g->unit);
		} else {
			k = 0;
			for (; k + 16 <= n; k += 16)
				if (p[k] == 0xff && p[k + 1] == ' ') {
					unit(g, p + k);
					if (g->state != G_SEARCH) {
						k += 16;
						break;
					}
				}
		}
		g->off += k;
		p += k;
		n -= k;
	}
	if (n && g->state == G_COLLECT) {
		collect(g, p, n);
		g->off += n;
	}
	return g->state == G_FOUND || g->state == G_NONE;
}

const char *shp_gobin_blob(const struct shp_gobin *g, size_t *len)
{
	*len = g->state == G_FOUND ? g->len : 0;
	return g->state == G_FOUND ? g->blob : NULL;
}

/* ---- a file read at will: ELF's section headers say where the blob is ---------------- */

/* Bytes [off, off + n) of the file through the finder, as a stream would give them, the
 * blob's start looked for in the first `search` of them only; the blob (malloc'd) or NULL. */
static char *find_in(int fd, uint64_t off, uint64_t n, uint64_t search, size_t *len)
{
	enum { BLOCK = 256 << 10 };
	char *buf = shp_xmalloc(BLOCK), *out = NULL;
	struct shp_gobin g;
	shp_gobin_init(&g);
	g.off = off; /* the blob is aligned in the file */
	uint64_t search_end = off + (search < n ? search : n);
	for (uint64_t end = off + n; off < end && (g.state != G_SEARCH || off < search_end);) {
		size_t k = end - off < BLOCK ? (size_t)(end - off) : BLOCK;
		if (shp_pread_all(fd, buf, k, off) < 0 || shp_gobin_feed(&g, buf, k))
			break;
		off += k;
	}
	if (shp_gobin_blob(&g, len)) {
		out = g.blob;
		g.blob = NULL;
	}
	shp_gobin_free(&g);
	free(buf);
	return out;
}

/* Where an ELF file without section headers is searched from: its first writable, not
 * executable loadable segment, where Go's linker puts the blob first (debug/buildinfo looks
 * there too); the start of the file when its program headers do not say. */
static uint64_t data_start(const struct shp_elf_fd *f)
{
	int w = f->w;
	uint64_t phoff = shp_elf_uint(f, f->eh + (w == 8 ? 0x20 : 0x1c), w);
	unsigned entsz = (unsigned)shp_elf_uint(f, f->eh + (w == 8 ? 0x36 : 0x2a), 2);
	unsigned num = (unsigned)shp_elf_uint(f, f->eh + (w == 8 ? 0x38 : 0x2c), 2);
	if (!num || num > SHP_ELF_MAX_PHDRS || entsz != (w == 8 ? 56u : 32u) || phoff > f->size ||
	    (uint64_t)num * entsz > f->size - phoff)
		return 0;
	_cleanup_free_ unsigned char *ph = shp_xmalloc((size_t)num * entsz);
	if (shp_pread_all(f->fd, ph, (size_t)num * entsz, phoff) < 0)
		return 0;
	for (unsigned i = 0; i < num; i++) {
		const unsigned char *p = ph + (size_t)i * entsz;
		uint64_t flags = shp_elf_uint(f, p + (w == 8 ? 4 : 0x18), 4),
			 off = shp_elf_uint(f, p + (w == 8 ? 8 : 4), w);
		if (shp_elf_uint(f, p, 4) == 1 /* PT_LOAD */ && (flags & 3) == 2 /* PF_W, not PF_X */)
			return off < f->size ? off : 0;
	}
	return 0;
}

char *shp_gobin_read_elf(int fd, uint64_t size, size_t *len)
{
	struct shp_elf_fd f;
	uint64_t off, sz;
	*len = 0;
	if (shp_elf_fd_open(&f, fd, size) < 0)
		return NULL;
	int r = shp_elf_fd_section(&f, ".go.buildinfo", &off, &sz);
	if (r == SHP_ELF_NO_SECTIONS) { /* no section headers (sstrip): a bounded search, not the whole file */
		uint64_t start = data_start(&f);
		return find_in(fd, start, size - start, SHP_GOBIN_MAX_SEARCH, len);
	}
	return r == 1 ? find_in(fd, off, sz, sz, len) : NULL;
}

/* ---- the packages ----------------------------------------------------------------------- */

/* The toolchain's tag as a module version, as Go's vulnerability database writes it:
 * "go1.21.3" -> v1.21.3, "go1.20" -> v1.20.0, "go1.21rc2" -> v1.21.0-rc.2, "go1.19beta1" ->
 * v1.19.0-beta.1. Anything else (a development or vendor build) gives 0. */
static int go_tag_semver(const char *s, size_t n, char *out, size_t cap)
{
	size_t sp = 0;
	while (sp < n && s[sp] != ' ')
		sp++;
	n = sp;
	if (n < 5 || memcmp(s, "go", 2))
		return 0;
	const char *p = s + 2, *end = s + n;
	unsigned long num[3] = {0, 0, 0};
	int parts = 0;
	while (parts < 3 && p < end && *p >= '0' && *p <= '9') {
		unsigned long v = 0;
		int digits = 0;
		while (p < end && *p >= '0' && *p <= '9' && digits < 9) {
			v = v * 10 + (unsigned long)(*p++ - '0');
			digits++;
		}
		num[parts++] = v;
		if (p < end && *p == '.' && parts < 3)
			p++;
		else
			break;
	}
	if (parts < 2)
		return 0;
	const char *pre = NULL;
	size_t pl = 0;
	if (p < end) {
		if (parts != 2)
			return 0;
		if (end - p > 2 && !memcmp(p, "rc", 2)) {
			pre = "rc";
			pl = 2;
		} else if (end - p > 4 && !memcmp(p, "beta", 4)) {
			pre = "beta";
			pl = 4;
		} else
			return 0;
		for (const char *d = p + pl; d < end; d++)
			if (*d < '0' || *d > '9')
				return 0;
	}
	int k = snprintf(out, cap, "v%lu.%lu.%lu", num[0], num[1], num[2]);
	if (pre)
		k = snprintf(out + k, cap - (size_t)k, "-%s.%.*s", pre, (int)(end - p - (ptrdiff_t)pl), p + pl);
	return k > 0;
}

/* Field i (0-based) of a tab-separated line; n 0 when missing. */
static const char *field(const char *s, size_t n, int i, size_t *fn)
{
	const char *end = s + n;
	for (; i > 0; i--) {
		const char *t = memchr(s, '\t', (size_t)(end - s));
		if (!t) {
			*fn = 0;
			return s;
		}
		s = t + 1;
	}
	const char *t = memchr(s, '\t', (size_t)(end - s));
	*fn = (size_t)((t ? t : end) - s);
	return s;
}

int shp_pkg_parse_gobin(const char *path, const char *data, size_t len, struct shp_pkgs *out)
{
	const unsigned char *b = (const unsigned char *)data, *s[2];
	size_t sn[2], need;
	if (len < 32 || header_ok(b) <= 0 || !blob_strings(b, len, s, sn, &need))
		return 0;
	const char *mod = (const char *)s[1];
	size_t mn = sn[1];
	if (mn >= 33 && mod[mn - 17] == '\n') { /* the sentinels */
		mod += 16;
		mn -= 32;
	}
	/* a module line waits for the "=>" line that may replace it */
	const char *name = NULL, *ver = NULL;
	size_t nn = 0, vn = 0;
	for (const char *line = mod, *end = mod + mn; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t ln = (size_t)((nl ? nl : end) - line);
		size_t kn;
		const char *key = field(line, ln, 0, &kn);
		int is_mod = kn == 3 && (!memcmp(key, "mod", 3) || !memcmp(key, "dep", 3));
		if (is_mod || (kn == 2 && !memcmp(key, "=>", 2))) {
			if (is_mod && name)
				shp_pkgs_add_lang(out, SHP_PKG_GO, path, name, nn, ver, vn, NULL, 0);
			name = field(line, ln, 1, &nn);
			ver = field(line, ln, 2, &vn);
			if (vn == 7 && !memcmp(ver, "(devel)", 7))
				vn = 0; /* the main module built from a work tree */
		}
		line += ln + 1;
	}
	if (name)
		shp_pkgs_add_lang(out, SHP_PKG_GO, path, name, nn, ver, vn, NULL, 0);
	char v[64];
	if (go_tag_semver((const char *)s[0], sn[0], v, sizeof v))
		shp_pkgs_add_lang(out, SHP_PKG_GO, path, "stdlib", 6, v, strlen(v), NULL, 0);
	return 0;
}
