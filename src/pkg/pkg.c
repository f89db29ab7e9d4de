/* pkg.c - see pkg.h: which paths are package databases, the package list, release files,
 * distro keys and purls. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- paths --------------------------------------------------------------------------- */

/* The release files; every entry of every layer passes here: kept in strcmp order and
 * searched. */
static const struct release_path {
	const char *path;
	enum shp_pkgdb_kind kind;
} release_paths[] = {
	{"etc/almalinux-release", SHP_DB_REDHAT_RELEASE}, {"etc/alpine-release", SHP_DB_ALPINE_RELEASE},
	{"etc/centos-release", SHP_DB_REDHAT_RELEASE},	  {"etc/debian_version", SHP_DB_DEBIAN_VERSION},
	{"etc/fedora-release", SHP_DB_REDHAT_RELEASE},	  {"etc/os-release", SHP_DB_OS_RELEASE},
	{"etc/redhat-release", SHP_DB_REDHAT_RELEASE},	  {"etc/rocky-release", SHP_DB_REDHAT_RELEASE},
	{"usr/lib/os-release", SHP_DB_OS_RELEASE},
};

static const char *const release_ids[] = {"os-release", "alpine-release", "debian-version", "redhat-release"};
#define NRELEASE (sizeof release_ids / sizeof release_ids[0])

static int cmp_release_path(const void *key, const void *e)
{
	return strcmp(key, ((const struct release_path *)e)->path);
}

/* The i-th reader of all the ecosystems, in table order, or NULL past the last. */
static const struct shp_pkg_reader *reader_at(size_t i)
{
	for (int t = 0; t < SHP_PKG_NTYPES; t++) {
		const struct shp_ecosystem *e = shp_ecosystems[t];
		if (i < e->nreaders)
			return &e->readers[i];
		i -= e->nreaders;
	}
	return NULL;
}

/* The kind of the i-th reader: read-through archives are the image module's one kind. */
static enum shp_pkgdb_kind reader_kind(const struct shp_pkg_reader *r, size_t i)
{
	return r->read_through ? SHP_DB_JAVA_ARCHIVE : (enum shp_pkgdb_kind)(SHP_DB_READERS + i);
}

static const struct shp_pkg_reader *kind_reader(enum shp_pkgdb_kind kind)
{
	const struct shp_pkg_reader *r;
	if (kind == SHP_DB_JAVA_ARCHIVE || kind == SHP_DB_GO_BINARY) {
		for (size_t i = 0; (r = reader_at(i)); i++)
			if (kind == SHP_DB_JAVA_ARCHIVE ? r->read_through : r->program != NULL)
				return r;
		return NULL;
	}
	return kind >= SHP_DB_READERS && kind < SHP_DB_OS_RELEASE ? reader_at((size_t)(kind - SHP_DB_READERS)) : NULL;
}

/* c is one of set's bytes (a string of one to three: not worth a call to strchr) */
static inline int ends_in(const char *set, char c)
{
	for (; *set; set++)
		if (*set == c)
			return 1;
	return 0;
}

/* Every entry of every layer passes here: the readers' ends_in spares most of them the calls
 * to match. */
enum shp_pkgdb_kind shp_pkgdb_kind(const char *path)
{
	const struct release_path *hit = bsearch(path, release_paths, sizeof release_paths / sizeof release_paths[0],
						 sizeof release_paths[0], cmp_release_path);
	if (hit)
		return hit->kind;
	size_t i = 0, n = strlen(path);
	char last = n ? path[n - 1] : '/';
	for (int t = 0; t < SHP_PKG_NTYPES; t++) {
		const struct shp_ecosystem *e = shp_ecosystems[t];
		for (size_t k = 0; k < e->nreaders; k++, i++) {
			const struct shp_pkg_reader *r = &e->readers[k];
			if (r->match && (!r->ends_in || ends_in(r->ends_in, last)) && r->match(path))
				return reader_kind(r, i);
		}
	}
	return SHP_DB_NONE;
}

const char *shp_pkgdb_kind_id(enum shp_pkgdb_kind kind)
{
	if (kind >= SHP_DB_OS_RELEASE && kind < SHP_DB_OS_RELEASE + (int)NRELEASE)
		return release_ids[kind - SHP_DB_OS_RELEASE];
	const struct shp_pkg_reader *r = kind_reader(kind);
	return r ? r->id : NULL;
}

enum shp_pkgdb_kind shp_pkgdb_kind_from_id(const char *id)
{
	for (size_t i = 0; i < NRELEASE; i++)
		if (!strcmp(id, release_ids[i]))
			return (enum shp_pkgdb_kind)(SHP_DB_OS_RELEASE + (int)i);
	const struct shp_pkg_reader *r;
	for (size_t i = 0; (r = reader_at(i)); i++)
		if (!strcmp(id, r->id))
			return reader_kind(r, i);
	return SHP_DB_NONE;
}

int shp_pkgdb_kind_is_lang(enum shp_pkgdb_kind kind)
{
	const struct shp_pkg_reader *r = kind_reader(kind);
	for (int t = SHP_PKG_NPM; r && t < SHP_PKG_NTYPES; t++)
		for (size_t k = 0; k < shp_ecosystems[t]->nreaders; k++)
			if (&shp_ecosystems[t]->readers[k] == r)
				return 1;
	return 0;
}

const char *shp_pkgdb_counts_as(enum shp_pkgdb_kind kind)
{
	const struct shp_pkg_reader *r = kind_reader(kind);
	return r ? r->counts_as : NULL;
}

const struct shp_prog_reader *shp_pkg_program(size_t n, enum shp_pkgdb_kind *kind)
{
	const struct shp_pkg_reader *r;
	for (size_t i = 0; (r = reader_at(i)); i++)
		if (r->program && n-- == 0) {
			if (kind)
				*kind = reader_kind(r, i);
			return r->program;
		}
	return NULL;
}

/* ---- the list ------------------------------------------------------------------------ */

void shp_pkgs_free(struct shp_pkgs *p)
{
	free(p->v);
	free(p->owned);
	free(p->sums);
	shp_arena_free(&p->arena);
	memset(p, 0, sizeof *p);
}

static const char *dup0(struct shp_arena *A, const char *s) { return s ? shp_arena_strndup(A, s, strlen(s)) : NULL; }

void shp_pkgs_add(struct shp_pkgs *p, const struct shp_pkg *pkg)
{
	struct shp_pkg c = *pkg;
	struct shp_arena *A = &p->arena;
	c.name = dup0(A, pkg->name);
	c.version = dup0(A, pkg->version);
	c.source = pkg->source == pkg->name ? c.name : dup0(A, pkg->source);
	c.source_version = pkg->source_version == pkg->version ? c.version : dup0(A, pkg->source_version);
	c.arch = dup0(A, pkg->arch);
	c.license = dup0(A, pkg->license);
	c.db = dup0(A, pkg->db);
	c.owner = dup0(A, pkg->owner);
	SHP_PUSH(p->v, p->n, p->cap, c);
}

/* Sanity limit: bytes of a file list's path tested (longer ones are no manifest's). */
#define OWNED_MAX_PATH 4096

/* A file list names every file of every package (tens of thousands in an image): each path
 * costs a copy on the stack and shp_pkgdb_kind's few tests of its last byte; only the
 * language packages' files are kept. */
void shp_pkgs_add_owned(struct shp_pkgs *p, const char *path, size_t n, const char *owner, size_t on)
{
	char buf[OWNED_MAX_PATH + 2];
	while (n && *path == '/') {
		path++;
		n--;
	}
	if (!n || n > OWNED_MAX_PATH || memchr(path, 0, n))
		return;
	buf[0] = '/';
	memcpy(buf + 1, path, n);
	buf[n + 1] = 0;
	if (!shp_pkgdb_kind_is_lang(shp_pkgdb_kind(buf + 1)))
		return;
	struct shp_pkg_owned o = {shp_arena_strndup(&p->arena, buf, n + 1), shp_arena_strndup(&p->arena, owner, on)};
	SHP_PUSH(p->owned, p->nowned, p->owned_cap, o);
}

size_t shp_sum_len(enum shp_sum_algo algo)
{
	static const size_t len[SHP_SUM_NALGOS] = {16, 20, 32};
	return (unsigned)algo < SHP_SUM_NALGOS ? len[algo] : 0;
}

uint64_t shp_pkg_file_key(const char *path, size_t n, enum shp_sum_algo algo, const unsigned char *digest)
{
	while (n && *path == '/') {
		path++;
		n--;
	}
	/* FNV-1a over the path, the algorithm and the digest, then a finaliser (splitmix64's):
	 * not a defence against forgery (whoever builds the image writes its database too), only
	 * a short name for what the database says */
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)path[i]) * 0x100000001b3u;
	h = (h ^ (0x100u + (unsigned)algo)) * 0x100000001b3u;
	for (size_t i = 0, l = shp_sum_len(algo); i < l; i++)
		h = (h ^ digest[i]) * 0x100000001b3u;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	return h ^ (h >> 31);
}

void shp_pkgs_add_sum(struct shp_pkgs *p, const char *path, size_t n, enum shp_sum_algo algo,
		      const unsigned char *digest, const char *owner, size_t on)
{
	if (!n || !on)
		return;
	/* a database's files come package by package: the owner's name is kept once for each run */
	const char *o = p->nsums ? p->sums[p->nsums - 1].owner : NULL;
	if (!o || strlen(o) != on || memcmp(o, owner, on))
		o = shp_arena_strndup(&p->arena, owner, on);
	struct shp_pkg_filesum s = {shp_pkg_file_key(path, n, algo, digest), o};
	SHP_PUSH(p->sums, p->nsums, p->sums_cap, s);
}

static int strcmp0(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_pkg(const void *x, const void *y)
{
	const struct shp_pkg *a = x, *b = y;
	int c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	if ((c = shp_vercmp(a->type, a->version, b->version)))
		return c;
	if ((c = strcmp(a->version, b->version)))
		return c;
	if ((c = strcmp0(a->arch, b->arch)))
		return c;
	if ((c = strcmp0(a->db, b->db)))
		return c;
	return a->layer - b->layer;
}

void shp_pkgs_sort(struct shp_pkgs *p)
{
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, cmp_pkg);
	size_t w = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct shp_pkg *a = &p->v[i], *b = w ? &p->v[w - 1] : NULL;
		if (b && a->type == b->type && !strcmp(a->name, b->name) && !strcmp(a->version, b->version) &&
		    !strcmp0(a->arch, b->arch))
			continue; /* the same package listed twice (two status.d files, two layers) */
		p->v[w++] = *a;
	}
	p->n = w;
}

int shp_pkgdb_parse(enum shp_pkgdb_kind kind, const char *path, const char *data, size_t len, struct shp_pkgs *out,
		    struct shp_error **err)
{
	const struct shp_pkg_reader *r = kind_reader(kind);
	if (!r || !r->parse)
		return 0;
	path = shp_arena_strndup(&out->arena, path, strlen(path)); /* the packages point at it */
	return r->parse(path, data, len, out, err);
}

/* ---- release files ------------------------------------------------------------------- */

/* os-release(5) value: quoted with " or ' (backslash escapes inside "), or bare. */
static const char *os_value(struct shp_arena *A, const char *s, size_t n)
{
	struct shp_field f = shp_field_value(s, n);
	s = f.v;
	n = f.n;
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		char q = s[0];
		char *o = shp_arena_alloc(A, n);
		size_t k = 0;
		for (size_t i = 1; i + 1 < n; i++) {
			if (q == '"' && s[i] == '\\' && i + 2 < n)
				i++;
			o[k++] = s[i];
		}
		o[k] = 0;
		return o;
	}
	return shp_arena_strndup(A, s, n);
}

/* "CentOS Linux release 7.9.2009 (Core)" -> centos, 7.9.2009 */
static int redhat_release(const char *s, size_t n, struct shp_arena *A, struct shp_os *os)
{
	static const struct {
		const char *prefix, *id;
	} names[] = {
		{"CentOS Stream", "centos"}, {"CentOS", "centos"},	 {"Red Hat Enterprise Linux", "rhel"},
		{"Rocky Linux", "rocky"},    {"AlmaLinux", "almalinux"}, {"Fedora", "fedora"},
		{"Oracle Linux", "ol"},
	};
	const char *id = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && !id; i++)
		if (n >= strlen(names[i].prefix) && !strncmp(s, names[i].prefix, strlen(names[i].prefix)))
			id = names[i].id;
	if (!id)
		return 0;
	const char *r = NULL;
	for (size_t i = 0; i + 8 <= n; i++)
		if (!memcmp(s + i, "release ", 8)) {
			r = s + i + 8;
			break;
		}
	os->id = id;
	if (r) {
		size_t k = 0;
		while (r + k < s + n && ((r[k] >= '0' && r[k] <= '9') || r[k] == '.'))
			k++;
		if (k)
			os->version_id = shp_arena_strndup(A, r, k);
	}
	os->pretty = shp_arena_strndup(A, s, n);
	return 1;
}

int shp_os_parse(enum shp_pkgdb_kind kind, const char *path, const char *data, size_t len, struct shp_arena *A,
		 struct shp_os *os)
{
	struct shp_lines L = {.data = data, .len = len};
	const char *line;
	size_t n;
	struct shp_os o = {.source = shp_arena_strndup(A, path, strlen(path))};
	switch (kind) {
	case SHP_DB_OS_RELEASE:
		while (shp_lines_next(&L, &line, &n)) {
			const char *eq = memchr(line, '=', n);
			if (!eq || line[0] == '#')
				continue;
			size_t kn = (size_t)(eq - line);
			const char *v = eq + 1;
			size_t vn = (size_t)(line + n - v);
			if (kn == 2 && !memcmp(line, "ID", 2))
				o.id = os_value(A, v, vn);
			else if (kn == 10 && !memcmp(line, "VERSION_ID", 10))
				o.version_id = os_value(A, v, vn);
			else if (kn == 16 && !memcmp(line, "VERSION_CODENAME", 16))
				o.codename = os_value(A, v, vn);
			else if (kn == 11 && !memcmp(line, "PRETTY_NAME", 11))
				o.pretty = os_value(A, v, vn);
		}
		if (!o.id || !*o.id)
			return 0;
		break;
	case SHP_DB_ALPINE_RELEASE:
	case SHP_DB_DEBIAN_VERSION:
		if (!shp_lines_next(&L, &line, &n) || shp_blank(line, n))
			return 0;
		o.id = kind == SHP_DB_ALPINE_RELEASE ? "alpine" : "debian";
		o.version_id = os_value(A, line, n);
		break;
	case SHP_DB_REDHAT_RELEASE:
		if (!shp_lines_next(&L, &line, &n) || !redhat_release(line, n, A, &o))
			return 0;
		break;
	default: return 0;
	}
	*os = o;
	return 1;
}

/* The first n dot-separated parts of v ("3.18.4", 2 -> "3.18"). */
static const char *major(struct shp_arena *A, const char *v, int parts)
{
	const char *p = v;
	for (int i = 0; i < parts && p; i++) {
		p = strchr(p, '.');
		if (p && i + 1 < parts)
			p++;
	}
	return p ? shp_arena_strndup(A, v, (size_t)(p - v)) : v;
}

const char *shp_os_key(const struct shp_os *os, struct shp_arena *A)
{
	if (!os->id)
		return NULL;
	const char *v = os->version_id ? os->version_id : "";
	const char *id = os->id;
	if (!strcmp(id, "alpine"))
		v = major(A, v, 2);
	else if (!strcmp(id, "debian") || !strcmp(id, "rhel") || !strcmp(id, "centos") || !strcmp(id, "rocky") ||
		 !strcmp(id, "almalinux") || !strcmp(id, "ol"))
		v = major(A, v, 1);
	size_t n = strlen(id) + strlen(v) + 2;
	char *k = shp_arena_alloc(A, n);
	snprintf(k, n, "%s:%s", id, v);
	return k;
}

/* ---- purl ---------------------------------------------------------------------------- */

static void purl_enc(struct shp_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(".-_~", *p))
			shp_buf_putc(b, (char)*p);
		else
			shp_buf_printf(b, "%%%02X", *p);
	}
}

/* A language package's purl, as its descriptor says: the part of our name before the last
 * purl_ns_sep is the namespace ("@types/node" -> pkg:npm/%40types/node@20.1.0, a Maven
 * "GROUP:ARTIFACT" -> pkg:maven/GROUP/ARTIFACT), a Go module's path segments stay segments
 * (pkg:golang/golang.org/x/text@v0.3.7); purl_name or purl_lower give the name's form; no
 * distro qualifiers (the packages are the same on every distro), the ecosystem's own if any. */
static char *lang_purl(const struct shp_pkg *p)
{
	const struct shp_ecosystem *e = shp_eco(p->type);
	struct shp_buf b = {0};
	shp_buf_printf(&b, "pkg:%s/", e->purl_type);
	_cleanup_free_ char *n = e->purl_name ? e->purl_name(p->name) : shp_xstrdup(p->name);
	for (char *c = n; *c; c++) {
		if (e->purl_lower)
			*c = (char)tolower((unsigned char)*c);
		if (e->purl_ns_sep && e->purl_ns_sep != '/' && *c == e->purl_ns_sep)
			*c = '/';
	}
	/* each segment encoded, the slashes between them kept */
	char *seg = n;
	for (char *slash; (slash = strchr(seg, '/')); seg = slash + 1) {
		*slash = 0;
		purl_enc(&b, seg);
		shp_buf_putc(&b, '/');
	}
	purl_enc(&b, seg);
	shp_buf_putc(&b, '@');
	purl_enc(&b, p->version);
	if (e->purl_qualifiers)
		e->purl_qualifiers(p, &b);
	return b.data;
}

void shp_purl_qualifier(struct shp_buf *purl, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	shp_buf_printf(purl, "%c%s=", memchr(purl->data, '?', purl->len) ? '&' : '?', key);
	purl_enc(purl, value);
}

char *shp_pkg_purl(const struct shp_pkg *p, const struct shp_os *os)
{
	if (SHP_PKG_IS_LANG(p->type))
		return lang_purl(p);
	struct shp_buf b = {0};
	const char *ns = os && os->id		  ? os->id
			 : p->type == SHP_PKG_APK ? "alpine"
			 : p->type == SHP_PKG_DEB ? "debian"
						  : "";
	shp_buf_printf(&b, "pkg:%s/", shp_eco(p->type)->purl_type);
	if (*ns) {
		purl_enc(&b, ns);
		shp_buf_putc(&b, '/');
	}
	purl_enc(&b, p->name);
	shp_buf_putc(&b, '@');
	const char *v = p->version;
	if (p->type == SHP_PKG_RPM) {
		const char *colon = strchr(v, ':');
		v = colon ? colon + 1 : v; /* the epoch is a qualifier in rpm purls */
	}
	purl_enc(&b, v);
	char sep = '?';
	if (p->arch) {
		shp_buf_printf(&b, "%carch=", sep);
		purl_enc(&b, p->arch);
		sep = '&';
	}
	if (p->type == SHP_PKG_RPM && p->epoch) {
		shp_buf_printf(&b, "%cepoch=%u", sep, p->epoch);
		sep = '&';
	}
	/* the source package, as Syft writes it (and Grype reads it): deb and apk "source" or
	 * "source@version" when that differs, rpm the source rpm's file name */
	const char *sv = p->source_version ? p->source_version : p->version;
	if (p->source && (strcmp(p->source, p->name) || strcmp(sv, p->version))) {
		shp_buf_printf(&b, "%cupstream=", sep);
		sep = '&';
		purl_enc(&b, p->source);
		if (p->type == SHP_PKG_RPM) {
			const char *colon = strchr(sv, ':');
			shp_buf_putc(&b, '-');
			purl_enc(&b, colon ? colon + 1 : sv);
			shp_buf_puts(&b, ".src.rpm");
		} else if (strcmp(sv, p->version)) {
			shp_buf_puts(&b, "%40");
			purl_enc(&b, sv);
		}
	}
	if (os && os->id && os->version_id) {
		shp_buf_printf(&b, "%cdistro=", sep);
		if (p->type != SHP_PKG_APK) {
			purl_enc(&b, os->id);
			shp_buf_putc(&b, '-');
		}
		purl_enc(&b, os->version_id);
	}
	return b.data;
}
