/* rpm.c - rpm's package databases in their three formats, read from memory:
 *
 *   rpmdb.sqlite  SQLite; table Packages(hnum, blob), opened read-only with sqlite3_deserialize
 *   Packages.db   NDB: slot pages ("Slot" records) pointing at 16-byte blocks ("BlbS" blobs)
 *   Packages      Berkeley DB hash (read-only walk of its pages: the values are off-page
 *                 items whose overflow-page chains hold the headers)
 *
 * Every record is an rpm header blob without its lead: index count and data length (big
 * endian), the index (tag, type, offset, count) and the data store. Only the tags we need are
 * read, each checked against the store's bounds. Written from rpm's documented formats
 * (rpm's lib/header.c layout, its ndb backend, Berkeley DB's page layout). */
#include "pkg/pkg.h"
#include "util/xalloc.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- header blobs -------------------------------------------------------------------- */

enum {
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044,
	TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118,
	TAG_FILEDIGESTS = 1035,
	TAG_FILEDIGESTALGO = 5011,
};
enum { T_INT32 = 4, T_STRING = 6, T_STRING_ARRAY = 8, T_I18NSTRING = 9 };

/* Sanity limits, as rpm's own: index entries and data bytes of one header. */
#define HDR_MAX_INDEX 0xffff
#define HDR_MAX_DATA (256u << 20)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

struct hdr {
	const unsigned char *index, *store;
	uint32_t il, dl;
};

static int hdr_open(const unsigned char *b, size_t n, struct hdr *h)
{
	if (n < 8)
		return -1;
	h->il = be32(b);
	h->dl = be32(b + 4);
	if (h->il == 0 || h->il > HDR_MAX_INDEX || h->dl > HDR_MAX_DATA || 8 + (size_t)h->il * 16 + h->dl > n)
		return -1;
	h->index = b + 8;
	h->store = h->index + (size_t)h->il * 16;
	return 0;
}

/* The first string of a string-ish tag, or NULL. It must end inside the store. */
static const char *hdr_str(const struct hdr *h, uint32_t tag, size_t *len)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *e = h->index + (size_t)i * 16;
		if (be32(e) != tag)
			continue;
		uint32_t type = be32(e + 4), off = be32(e + 8);
		if ((type != T_STRING && type != T_STRING_ARRAY && type != T_I18NSTRING) || off >= h->dl)
			return NULL;
		const char *s = (const char *)h->store + off;
		const char *z = memchr(s, 0, h->dl - off);
		if (!z)
			return NULL;
		*len = (size_t)(z - s);
		return s;
	}
	return NULL;
}

static int hdr_int(const struct hdr *h, uint32_t tag, uint32_t *v)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *e = h->index + (size_t)i * 16;
		if (be32(e) != tag)
			continue;
		uint32_t type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		if (type != T_INT32 || count < 1 || h->dl < 4 || off > h->dl - 4)
			return 0;
		*v = be32(h->store + off);
		return 1;
	}
	return 0;
}

/* A tag's entry of type type: its data's offset and count, checked to lie in the store (an
 * int32 array whole; a string array's first byte: each string is checked when read). */
static int hdr_array(const struct hdr *h, uint32_t tag, uint32_t type, uint32_t *off, uint32_t *count)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *e = h->index + (size_t)i * 16;
		if (be32(e) != tag)
			continue;
		*off = be32(e + 8);
		*count = be32(e + 12);
		if (be32(e + 4) != type || *off >= h->dl)
			return 0;
		if (type == T_INT32 && ((uint64_t)*count * 4 > h->dl - *off))
			return 0;
		return 1;
	}
	return 0;
}

/* The strings of a string array, one after another: the next, or NULL past the store. */
static const char *hdr_next_str(const struct hdr *h, uint32_t *off, size_t *len)
{
	if (*off >= h->dl)
		return NULL;
	const char *s = (const char *)h->store + *off;
	const char *z = memchr(s, 0, h->dl - *off);
	if (!z)
		return NULL;
	*len = (size_t)(z - s);
	*off += (uint32_t)*len + 1;
	return s;
}

/* Sanity limit: the directories of one header's file list looked at. */
#define HDR_MAX_DIRS 65536

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* The algorithm of FILEDIGESTS (rpm's PGPHASHALGO: 1 MD5, the default; 2 SHA-1; 8 SHA-256),
 * or -1 for another. */
static int digest_algo(const struct hdr *h)
{
	uint32_t a = 1;
	hdr_int(h, TAG_FILEDIGESTALGO, &a);
	return a == 1 ? SHP_SUM_MD5 : a == 2 ? SHP_SUM_SHA1 : a == 8 ? SHP_SUM_SHA256 : -1;
}

/* FILEDIGESTS[i], in hex, of algo into out ("" for a directory or a link: 0). */
static int file_digest(const char *hex, size_t n, int algo, unsigned char *out)
{
	if (algo < 0 || n != 2 * shp_sum_len((enum shp_sum_algo)algo))
		return 0;
	for (size_t k = 0; k < n; k += 2) {
		int hi = hexval(hex[k]), lo = hexval(hex[k + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		out[k / 2] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

/* The package's files (BASENAMES[i] in DIRNAMES[DIRINDEXES[i]]): those that are language
 * packages' databases into out->owned, and each one's digest (FILEDIGESTS[i]) into out->sums.
 * A list that does not add up is passed over: the package is read all the same. */
static void add_files(const struct hdr *h, const char *name, size_t ln, struct shp_pkgs *out)
{
	uint32_t boff, bn, ioff, in, doff, dn;
	if (!hdr_array(h, TAG_BASENAMES, T_STRING_ARRAY, &boff, &bn) ||
	    !hdr_array(h, TAG_DIRINDEXES, T_INT32, &ioff, &in) ||
	    !hdr_array(h, TAG_DIRNAMES, T_STRING_ARRAY, &doff, &dn) || in != bn || dn == 0 || dn > HDR_MAX_DIRS)
		return;
	const char **dirs = shp_xcalloc(dn, sizeof *dirs);
	size_t *dlen = shp_xcalloc(dn, sizeof *dlen);
	for (uint32_t d = 0; d < dn; d++)
		if (!(dirs[d] = hdr_next_str(h, &doff, &dlen[d])))
			goto out;
	uint32_t goff = 0, gn = 0;
	int algo = digest_algo(h);
	if (!hdr_array(h, TAG_FILEDIGESTS, T_STRING_ARRAY, &goff, &gn) || gn != bn)
		algo = -1;
	char buf[4096];
	for (uint32_t i = 0; i < bn; i++) {
		size_t blen, glen = 0;
		const char *base = hdr_next_str(h, &boff, &blen);
		const char *hex = algo >= 0 ? hdr_next_str(h, &goff, &glen) : NULL;
		uint32_t d = be32(h->store + ioff + (size_t)i * 4);
		if (!base)
			break;
		if (d >= dn || dlen[d] + blen >= sizeof buf)
			continue;
		memcpy(buf, dirs[d], dlen[d]);
		memcpy(buf + dlen[d], base, blen);
		shp_pkgs_add_owned(out, buf, dlen[d] + blen, name, ln);
		unsigned char sum[32];
		if (hex && file_digest(hex, glen, algo, sum))
			shp_pkgs_add_sum(out, buf, dlen[d] + blen, (enum shp_sum_algo)algo, sum, name, ln);
	}
out:
	free(dirs);
	free(dlen);
}

void shp_rpm_split_srpm(struct shp_arena *A, const char *s, size_t n, const char **name, const char **ver)
{
	if (n > 8 && !memcmp(s + n - 8, ".src.rpm", 8))
		n -= 8;
	else if (n > 10 && !memcmp(s + n - 10, ".nosrc.rpm", 10))
		n -= 10;
	const char *r = NULL, *v = NULL; /* the last two dashes */
	for (const char *p = s; p < s + n; p++)
		if (*p == '-') {
			v = r;
			r = p;
		}
	if (!v) {
		*name = shp_arena_strndup(A, s, n);
		*ver = NULL;
		return;
	}
	*name = shp_arena_strndup(A, s, (size_t)(v - s));
	*ver = shp_arena_strndup(A, v + 1, (size_t)(s + n - v - 1));
}

/* One header blob -> a package; 0 if it is not a package header (gpg-pubkey is one, and
 * is listed as rpm -qa lists it). */
static int add_header(const unsigned char *b, size_t n, const char *path, struct shp_pkgs *out)
{
	struct hdr h;
	if (hdr_open(b, n, &h) < 0)
		return -1;
	struct shp_arena *A = &out->arena;
	size_t ln = 0, lv = 0, lr = 0, la = 0, ll = 0, ls = 0;
	const char *name = hdr_str(&h, TAG_NAME, &ln), *ver = hdr_str(&h, TAG_VERSION, &lv);
	const char *rel = hdr_str(&h, TAG_RELEASE, &lr), *arch = hdr_str(&h, TAG_ARCH, &la);
	const char *lic = hdr_str(&h, TAG_LICENSE, &ll), *src = hdr_str(&h, TAG_SOURCERPM, &ls);
	if (!name || !ver || !ln)
		return -1;
	struct shp_pkg p = {.type = SHP_PKG_RPM, .db = path};
	uint32_t epoch = 0;
	int has_epoch = hdr_int(&h, TAG_EPOCH, &epoch);
	p.epoch = epoch;
	p.name = shp_arena_strndup(A, name, ln);
	/* [epoch:]version-release, the epoch shown when the header has one (also 0) */
	size_t cap = lv + lr + 16;
	char *evr = shp_arena_alloc(A, cap);
	int k = has_epoch ? snprintf(evr, cap, "%u:", epoch) : 0;
	snprintf(evr + k, cap - (size_t)k, "%.*s%s%.*s", (int)lv, ver, rel ? "-" : "", (int)lr, rel ? rel : "");
	p.version = evr;
	p.arch = arch && la ? shp_arena_strndup(A, arch, la) : NULL;
	p.license = lic && ll ? shp_arena_strndup(A, lic, ll) : NULL;
	p.source = p.name;
	p.source_version = p.version;
	if (src && ls) {
		const char *sv;
		shp_rpm_split_srpm(A, src, ls, &p.source, &sv);
		if (sv && has_epoch) {
			size_t m = strlen(sv) + 16;
			char *e = shp_arena_alloc(A, m);
			snprintf(e, m, "%u:%s", epoch, sv);
			p.source_version = e;
		} else if (sv)
			p.source_version = sv;
	}
	SHP_PUSH(out->v, out->n, out->cap, p);
	add_files(&h, name, ln, out);
	return 0;
}

/* ---- SQLite --------------------------------------------------------------------------- */

static int read_sqlite(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	if (len < 100 || memcmp(data, "SQLite format 3", 16))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not an SQLite database", path);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: SQLite could not start", path);
	}
	/* A private copy SQLite may own; a WAL-mode header is turned into rollback mode, since
	 * the image's -wal file is not read (uncommitted transactions are not installed yet). */
	unsigned char *copy = sqlite3_malloc64(len);
	if (!copy)
		shp_xmalloc((size_t)-1); /* out of memory: abort as everywhere */
	memcpy(copy, data, len);
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;
	int rc = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				     SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &st, NULL);
	int bad = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (!b || add_header(b, (size_t)n, path, out) < 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: package record %lld: not an rpm header", path,
				      (long long)sqlite3_column_int64(st, 0));
			bad = 1;
			break;
		}
		rc = SQLITE_OK;
	}
	if (!bad && rc != SQLITE_DONE)
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bad || rc != SQLITE_DONE ? -1 : 0;
}

/* ---- NDB ------------------------------------------------------------------------------ */

#define NDB_MAGIC 0x506d7052u /* "RpmP" */
#define NDB_SLOT 0x746f6c53u  /* "Slot" */
#define NDB_BLOB 0x53626c42u  /* "BlbS" */
#define NDB_PAGE 4096
#define NDB_BLK 16

static int read_ndb(const char *path, const unsigned char *d, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	if (len < 32 || le32(d) != NDB_MAGIC)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not an rpm NDB database (no RpmP magic)", path);
	uint32_t slotpages = le32(d + 12);
	if (slotpages == 0 || slotpages > len / NDB_PAGE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %u slot pages in a %zu-byte file", path, slotpages, len);
	size_t nslots = (size_t)slotpages * NDB_PAGE / 16;
	for (size_t i = 2; i < nslots; i++) { /* the first two slots hold the file header */
		const unsigned char *s = d + i * 16;
		if (le32(s) != NDB_SLOT)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: slot %zu: bad magic", path, i);
		uint32_t pkgidx = le32(s + 4), blkoff = le32(s + 8), blkcnt = le32(s + 12);
		if (pkgidx == 0)
			continue; /* free slot */
		size_t off = (size_t)blkoff * NDB_BLK;
		if (off < (size_t)slotpages * NDB_PAGE || off + 16 > len || (size_t)blkcnt * NDB_BLK > len - off)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: slot %zu: blob outside the file", path, i);
		const unsigned char *b = d + off;
		uint32_t blen = le32(b + 12);
		if (le32(b) != NDB_BLOB || le32(b + 4) != pkgidx || blen > (size_t)blkcnt * NDB_BLK - 16)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: package %u: bad blob header", path, pkgidx);
		if (add_header(b + 16, blen, path, out) < 0)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: package %u: not an rpm header", path, pkgidx);
	}
	return 0;
}

/* ---- Berkeley DB hash ------------------------------------------------------------------ */

#define BDB_HASH_MAGIC 0x061561u
#define P_OVERFLOW 7
#define P_HASH_UNSORTED 2
#define P_HASH 13
#define H_OFFPAGE 3
#define BDB_PAGE_HDR 26

struct bdb {
	const unsigned char *d;
	size_t len;
	uint32_t pagesize, last;
	int swap; /* big-endian file */
};

static uint32_t b32(const struct bdb *b, const unsigned char *p) { return b->swap ? be32(p) : le32(p); }
static uint16_t b16(const struct bdb *b, const unsigned char *p)
{
	return b->swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* Joins an overflow chain starting at pgno into a malloc'd buffer of tlen bytes. */
static unsigned char *bdb_overflow(const struct bdb *b, uint32_t pgno, uint32_t tlen)
{
	if (tlen > HDR_MAX_DATA + 8 * HDR_MAX_INDEX)
		return NULL;
	unsigned char *buf = shp_xmalloc(tlen ? tlen : 1);
	size_t got = 0;
	for (uint32_t hops = 0; pgno && got < tlen; hops++) {
		if (pgno > b->last || hops > b->last) {
			free(buf);
			return NULL;
		}
		const unsigned char *pg = b->d + (size_t)pgno * b->pagesize;
		if (pg[25] != P_OVERFLOW) {
			free(buf);
			return NULL;
		}
		size_t used = b16(b, pg + 22); /* hf_offset: bytes of data on an overflow page */
		if (used > b->pagesize - BDB_PAGE_HDR || used > tlen - got) {
			free(buf);
			return NULL;
		}
		memcpy(buf + got, pg + BDB_PAGE_HDR, used);
		got += used;
		pgno = b32(b, pg + 16); /* next_pgno */
	}
	if (got != tlen) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int read_bdb(const char *path, const unsigned char *d, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	struct bdb b = {.d = d, .len = len};
	if (len < 512)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a Berkeley DB file (too short)", path);
	if (le32(d + 12) == BDB_HASH_MAGIC)
		b.swap = 0;
	else if (be32(d + 12) == BDB_HASH_MAGIC)
		b.swap = 1;
	else
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a Berkeley DB hash database", path);
	b.pagesize = b32(&b, d + 20);
	b.last = b32(&b, d + 32);
	if (b.pagesize < 512 || b.pagesize > 65536 || (b.pagesize & (b.pagesize - 1)) ||
	    ((size_t)b.last + 1) * b.pagesize > len)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: page size %u and %u pages do not fit its %zu bytes",
				     path, b.pagesize, b.last + 1, len);
	for (uint32_t pgno = 1; pgno <= b.last; pgno++) {
		const unsigned char *pg = d + (size_t)pgno * b.pagesize;
		if (pg[25] != P_HASH && pg[25] != P_HASH_UNSORTED)
			continue;
		uint16_t entries = b16(&b, pg + 20);
		if ((size_t)BDB_PAGE_HDR + (size_t)entries * 2 > b.pagesize)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: page %u: %u entries do not fit", path, pgno,
					     entries);
		for (uint16_t i = 1; i < entries; i += 2) { /* key, value pairs: the values */
			uint16_t off = b16(&b, pg + BDB_PAGE_HDR + (size_t)i * 2);
			if (off >= b.pagesize || (pg[off] == H_OFFPAGE && (size_t)off + 12 > b.pagesize))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: page %u: item %u outside the page", path,
						     pgno, i);
			if (pg[off] != H_OFFPAGE)
				continue; /* rpm headers never fit a page; a small item is not one */
			uint32_t first = b32(&b, pg + off + 4), tlen = b32(&b, pg + off + 8);
			unsigned char *h = bdb_overflow(&b, first, tlen);
			if (!h)
				return shp_error_set(err, SHP_EXIT_INPUT,
						     "%s: page %u: broken overflow chain at page %u", path, pgno,
						     first);
			int r = add_header(h, tlen, path, out);
			free(h);
			if (r < 0)
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: page %u: not an rpm header", path, pgno);
		}
	}
	return 0;
}

int shp_pkg_parse_rpm(enum shp_rpm_format format, const char *path, const char *data, size_t len, struct shp_pkgs *out,
		      struct shp_error **err)
{
	const unsigned char *d = (const unsigned char *)data;
	if (len == 0)
		return 0; /* an empty file (a placeholder some images keep): no packages */
	switch (format) {
	case SHP_RPM_SQLITE: return read_sqlite(path, data, len, out, err);
	case SHP_RPM_NDB: return read_ndb(path, d, len, out, err);
	case SHP_RPM_BDB: return read_bdb(path, d, len, out, err);
	default: return 0;
	}
}
