/* cache.c - see cache.h.
 *
 * A record, native byte order (it never leaves the machine that wrote it):
 *   "SHPLAYR4", the writer's identity (u32 length, bytes: its build ID, then the digest of
 *   the custom secret rules it ran with, if any), then the body as one zstd frame
 *   that states its decompressed size, and the HMAC-SHA256 of all that, as stored, under the
 *   user's secret (32 bytes). The body, decompressed:
 *   u8 packages_only, u64 blob_bytes, tar_bytes, str blob_digest, diff_id, compression,
 *   u64 n, entries (str path, str link, u64 size, u32 mode, uid, gid, u8 type, flags),
 *   u64 n, files not fully scanned (u32 entry, u8 why),
 *   u32 n, the analyzers' sections in the table's order (str name, u32 version, u64 n, the
 *     analyzer's n records as its put writes them: analyzer.h).
 *   A str is a u32 length and bytes; UINT32_MAX is NULL. The body is compressed because a
 *   layer of 30,000 files made a record of 1.4 MB, and a scan is to write no file over 1 MB;
 *   the tag is checked before the frame is decompressed, and its stated size against
 *   SHP_CACHE_MAX_BODY, so a record nobody with the secret wrote costs no decompression.
 *   Records of another layout (version 1, a plain SHA-256 anyone could recompute; version
 *   2, the analyzers' findings in fixed fields; version 3, the body uncompressed) have
 *   another magic, and a record whose analyzers' names or versions are not this build's is
 *   stale: they are read as none, and replaced. */
#include "image/cache.h"
#include "image/analyzer.h"
#include "secrets/scan.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define MAGIC "SHPLAYR4"
#define NO_STR UINT32_MAX
#define TAG_BYTES 32 /* HMAC-SHA256 */
/* zstd's fastest regular level: 1.4 MB of body in a few milliseconds, to about a seventh */
#define ZSTD_LEVEL 1

/* ---- the build ID of this program ---- */

static unsigned char build_id[64];
static size_t build_id_len;
static pthread_once_t build_id_once = PTHREAD_ONCE_INIT;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size, (void)arg;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *nh = (const void *)p;
			const char *name = p + sizeof *nh;
			size_t namesz = (nh->n_namesz + 3u) & ~3u, descsz = (nh->n_descsz + 3u) & ~3u;
			if ((size_t)(end - name) < namesz || (size_t)(end - name - namesz) < nh->n_descsz)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4) &&
			    nh->n_descsz <= sizeof build_id) {
				memcpy(build_id, name + namesz, nh->n_descsz);
				build_id_len = nh->n_descsz;
				return 1;
			}
			if ((size_t)(end - name - namesz) < descsz)
				break;
			p = name + namesz + descsz;
		}
	}
	return 1; /* the first object is the program itself: stop there */
}

static void read_build_id(void) { dl_iterate_phdr(find_build_id, NULL); }

/* ---- the tag ---- */

static EVP_MAC *hmac;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;

static void fetch_hmac(void) { hmac = EVP_MAC_fetch(NULL, "HMAC", NULL); }

/* An HMAC-SHA256 context keyed with secret; OpenSSL failing here is out of memory. */
static EVP_MAC_CTX *mac_new(const unsigned char secret[SHP_CACHE_KEY_BYTES])
{
	pthread_once(&hmac_once, fetch_hmac);
	EVP_MAC_CTX *c = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
			       OSSL_PARAM_construct_end()};
	if (!c || EVP_MAC_init(c, secret, SHP_CACHE_KEY_BYTES, params) != 1) {
		fputs("shipshape: out of memory (hmac)\n", stderr);
		abort();
	}
	return c;
}

static void mac_final(EVP_MAC_CTX *c, unsigned char tag[TAG_BYTES])
{
	size_t n = 0;
	if (EVP_MAC_final(c, tag, &n, TAG_BYTES) != 1 || n != TAG_BYTES)
		memset(tag, 0, TAG_BYTES); /* matches no record's tag but by chance */
	EVP_MAC_CTX_free(c);
}

/* ---- encoding ---- */

/* Where a record goes: a file or memory, compressed and signed on the way, in blocks (a layer
 * of a million files makes a body of tens of megabytes: it is never held whole). */
struct shp_rec_out {
	char blk[1u << 16];
	size_t used;
	char zblk[1u << 16]; /* compressed bytes on their way out */
	ZSTD_CCtx *z;	     /* the body's compressor; NULL while the header is written */
	int counting;	     /* a first pass, for the body's size: nothing is written */
	uint64_t counted;
	EVP_MAC_CTX *mac;
	FILE *f; /* or */
	struct shp_buf *mem;
	int failed;
};

/* Signs and writes n bytes as they are stored. */
static void emit(struct shp_rec_out *k, const char *p, size_t n)
{
	if (!n)
		return;
	EVP_MAC_update(k->mac, (const unsigned char *)p, n);
	if (k->mem)
		shp_buf_add(k->mem, p, n);
	else if (!k->failed && fwrite(p, 1, n, k->f) != n)
		k->failed = 1;
}

/* Compresses n bytes and emits what comes out; ZSTD_e_end ends the frame. */
static void compress(struct shp_rec_out *k, const char *p, size_t n, ZSTD_EndDirective how)
{
	ZSTD_inBuffer in = {p, n, 0};
	size_t left;
	do {
		ZSTD_outBuffer out = {k->zblk, sizeof k->zblk, 0};
		left = ZSTD_compressStream2(k->z, &out, &in, how);
		if (ZSTD_isError(left)) {
			k->failed = 1; /* the body was not the size the frame states */
			return;
		}
		emit(k, k->zblk, out.pos);
	} while (how == ZSTD_e_end ? left != 0 : in.pos < in.size);
}

static void flush(struct shp_rec_out *k)
{
	if (k->counting)
		k->counted += k->used;
	else if (k->z)
		compress(k, k->blk, k->used, ZSTD_e_continue);
	else
		emit(k, k->blk, k->used);
	k->used = 0;
}

static void put(struct shp_rec_out *k, const void *p, size_t n)
{
	while (n) {
		size_t room = sizeof k->blk - k->used, m = n < room ? n : room;
		memcpy(k->blk + k->used, p, m);
		k->used += m;
		p = (const char *)p + m;
		n -= m;
		if (k->used == sizeof k->blk)
			flush(k);
	}
}
static void put_u8(struct shp_rec_out *b, uint8_t v) { put(b, &v, 1); }
static void put_u16(struct shp_rec_out *b, uint16_t v) { put(b, &v, 2); }
static void put_u32(struct shp_rec_out *b, uint32_t v) { put(b, &v, 4); }
static void put_u64(struct shp_rec_out *b, uint64_t v) { put(b, &v, 8); }

static void put_str(struct shp_rec_out *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!s || n >= NO_STR) {
		put_u32(b, NO_STR);
		return;
	}
	put_u32(b, (uint32_t)n);
	put(b, s, n);
}

/* for the analyzers' put (analyzer.h) */
void shp_rec_put_u8(struct shp_rec_out *w, uint8_t v) { put_u8(w, v); }
void shp_rec_put_u16(struct shp_rec_out *w, uint16_t v) { put_u16(w, v); }
void shp_rec_put_u32(struct shp_rec_out *w, uint32_t v) { put_u32(w, v); }
void shp_rec_put_u64(struct shp_rec_out *w, uint64_t v) { put_u64(w, v); }
void shp_rec_put_str(struct shp_rec_out *w, const char *s) { put_str(w, s); }
void shp_rec_put_bytes(struct shp_rec_out *w, const void *p, size_t n) { put(w, p, n); }

/* What a record is read by only if it wrote it: this build (its ID) and the custom secret
 * rules in effect (their digest; their findings are in the record too), in id[0..return). */
enum { IDENTITY_MAX = sizeof build_id + 80 };
static size_t identity(unsigned char id[IDENTITY_MAX])
{
	pthread_once(&build_id_once, read_build_id);
	const char *rules = shp_secrets_config_digest();
	size_t n = rules ? strnlen(rules, IDENTITY_MAX - sizeof build_id) : 0;
	memcpy(id, build_id, build_id_len);
	memcpy(id + build_id_len, rules ? rules : "", n);
	return build_id_len + n;
}

/* The magic and the identity, stored as they are, and signed with what follows. */
static void begin(struct shp_rec_out *b, const unsigned char secret[SHP_CACHE_KEY_BYTES])
{
	unsigned char id[IDENTITY_MAX];
	size_t n = identity(id);
	b->mac = mac_new(secret);
	put(b, MAGIC, 8);
	put_u32(b, (uint32_t)n);
	put(b, id, n);
	flush(b);
}

/* What is put from here on is the body, compressed into a frame that states its size (the
 * reader bounds what it decompresses by it before decompressing). */
static void begin_body(struct shp_rec_out *b, uint64_t size)
{
	if (!(b->z = ZSTD_createCCtx()) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(b->z, ZSTD_c_compressionLevel, ZSTD_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(b->z, size))) {
		fputs("shipshape: out of memory (zstd)\n", stderr);
		abort();
	}
}

/* 0, or -1 if the file could not be written. */
static int finish(struct shp_rec_out *b)
{
	flush(b);
	if (b->z) {
		compress(b, NULL, 0, ZSTD_e_end);
		ZSTD_freeCCtx(b->z);
		b->z = NULL;
	}
	unsigned char tag[TAG_BYTES];
	mac_final(b->mac, tag);
	b->mac = NULL;
	if (b->mem)
		shp_buf_add(b->mem, (const char *)tag, sizeof tag);
	else if (!b->failed && fwrite(tag, 1, sizeof tag, b->f) != sizeof tag)
		b->failed = 1;
	return b->failed ? -1 : 0;
}

/* The body of the record of s. */
static void put_body(struct shp_rec_out *b, const struct shp_layer_scan *s)
{
	put_u8(b, (uint8_t)(s->packages_only != 0));
	put_u64(b, s->sums.blob_bytes);
	put_u64(b, s->sums.tar_bytes);
	put_str(b, s->sums.blob_digest);
	put_str(b, s->sums.diff_id);
	put_str(b, s->sums.compression);
	put_u64(b, s->nentries);
	for (size_t i = 0; i < s->nentries; i++) {
		const struct shp_entry *e = &s->entries[i];
		put_str(b, e->path);
		put_str(b, e->link);
		put_u64(b, e->size);
		put_u32(b, e->mode);
		put_u32(b, e->uid);
		put_u32(b, e->gid);
		put_u8(b, e->type);
		put_u8(b, e->flags);
	}
	put_u64(b, s->nunscanned);
	for (size_t i = 0; i < s->nunscanned; i++) {
		put_u32(b, s->unscanned[i].entry);
		put_u8(b, s->unscanned[i].why);
	}
	/* each analyzer's findings, in its own section under its name and version */
	put_u32(b, SHP_NANALYZERS);
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		const struct shp_analyzer *a = shp_analyzers[k];
		const struct shp_layer_found *f = &s->found[k];
		put_str(b, a->name);
		put_u32(b, a->version);
		put_u64(b, f->n);
		for (size_t i = 0; i < f->n; i++)
			a->put(b, (const char *)f->v + i * a->rec_size);
	}
}

/* Writes the record of s to k, the tag last; 0, or -1 if the file could not be written or the
 * body is over what a reader takes. The body is put twice: first only counted, for the size
 * its frame states, then compressed. */
static int encode(const unsigned char secret[SHP_CACHE_KEY_BYTES], const struct shp_layer_scan *s,
		  struct shp_rec_out *b)
{
	b->counting = 1;
	put_body(b, s);
	flush(b);
	b->counting = 0;
	if (b->counted > SHP_CACHE_MAX_BODY)
		return -1;
	begin(b, secret);
	begin_body(b, b->counted);
	put_body(b, s);
	return finish(b);
}

char *shp_cache_encode(const unsigned char secret[SHP_CACHE_KEY_BYTES], const struct shp_layer_scan *s, size_t *len)
{
	struct shp_buf mem = {0};
	_cleanup_free_ struct shp_rec_out *k = shp_xcalloc(1, sizeof *k);
	k->mem = &mem;
	encode(secret, s, k);
	*len = mem.len;
	return shp_buf_steal(&mem);
}

char *shp_cache_seal(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *body, size_t n, size_t *len)
{
	struct shp_buf mem = {0};
	_cleanup_free_ struct shp_rec_out *k = shp_xcalloc(1, sizeof *k);
	k->mem = &mem;
	begin(k, secret);
	begin_body(k, n);
	put(k, body, n);
	finish(k);
	*len = mem.len;
	return shp_buf_steal(&mem);
}

char *shp_cache_seal_frame(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *frame, size_t n, size_t *len)
{
	struct shp_buf mem = {0};
	_cleanup_free_ struct shp_rec_out *k = shp_xcalloc(1, sizeof *k);
	k->mem = &mem;
	begin(k, secret);
	put(k, frame, n);
	finish(k);
	*len = mem.len;
	return shp_buf_steal(&mem);
}

/* ---- decoding: every read is bounds-checked; any fault makes the record unusable ---- */

struct shp_rec_in {
	const char *p, *end;
	struct shp_arena *arena; /* where strings go */
	int bad;
};

static const void *take(struct shp_rec_in *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const char *q = r->p;
	r->p += n;
	return q;
}

#define GET(r, T)                                                                                                      \
	({                                                                                                             \
		T v_ = 0;                                                                                              \
		const void *q_ = take(r, sizeof(T));                                                                   \
		if (q_)                                                                                                \
			memcpy(&v_, q_, sizeof(T));                                                                    \
		v_;                                                                                                    \
	})

/* A string in the arena (NULL for NO_STR); strings may not hold NUL bytes. */
static const char *get_str(struct shp_rec_in *r)
{
	uint32_t n = GET(r, uint32_t);
	if (r->bad || n == NO_STR)
		return NULL;
	const char *q = take(r, n);
	if (!q || memchr(q, 0, n)) {
		r->bad = 1;
		return NULL;
	}
	return shp_arena_strndup(r->arena, q, n);
}

/* A count of items of at least min bytes each that the rest of the record can hold. */
static size_t get_count(struct shp_rec_in *r, size_t min)
{
	uint64_t n = GET(r, uint64_t);
	if (n > (uint64_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

/* for the analyzers' get (analyzer.h) */
uint8_t shp_rec_get_u8(struct shp_rec_in *r) { return GET(r, uint8_t); }
uint16_t shp_rec_get_u16(struct shp_rec_in *r) { return GET(r, uint16_t); }
uint32_t shp_rec_get_u32(struct shp_rec_in *r) { return GET(r, uint32_t); }
uint64_t shp_rec_get_u64(struct shp_rec_in *r) { return GET(r, uint64_t); }
const char *shp_rec_get_str(struct shp_rec_in *r) { return get_str(r); }
const void *shp_rec_get_bytes(struct shp_rec_in *r, size_t n)
{
	const void *q = take(r, n);
	return q ? shp_arena_memdup(r->arena, q, n) : NULL;
}
size_t shp_rec_get_count(struct shp_rec_in *r, size_t min) { return get_count(r, min); }
void shp_rec_bad(struct shp_rec_in *r) { r->bad = 1; }
int shp_rec_is_bad(const struct shp_rec_in *r) { return r->bad; }

struct shp_arena *shp_rec_arena(struct shp_rec_in *r, struct shp_arena *arena)
{
	struct shp_arena *was = r->arena;
	r->arena = arena;
	return was;
}

/* A digest, or (if may_be_empty) "": a diffID not hashed (image.h) */
static void copy_digest(struct shp_rec_in *r, char out[72], int may_be_empty)
{
	const char *s = get_str(r);
	if (!s || (!shp_digest_valid(s) && !(may_be_empty && !*s))) {
		r->bad = 1;
		return;
	}
	memcpy(out, s, strlen(s) + 1);
}

static const char *compression_name(const char *s)
{
	static const char *const known[] = {"gzip", "zstd", "none"};
	for (size_t i = 0; s && i < 3; i++)
		if (!strcmp(s, known[i]))
			return known[i];
	return NULL;
}

int shp_cache_decode(const unsigned char secret[SHP_CACHE_KEY_BYTES], const char *data, size_t len,
		     struct shp_layer_scan *s)
{
	unsigned char tag[TAG_BYTES], mine[IDENTITY_MAX];
	size_t minelen = identity(mine);
	if (len < 8 + 4 + sizeof tag || memcmp(data, MAGIC, 8))
		return -1;
	len -= sizeof tag;
	EVP_MAC_CTX *mac = mac_new(secret);
	EVP_MAC_update(mac, (const unsigned char *)data, len);
	mac_final(mac, tag);
	/* in constant time: the tag is not to be found a byte at a time */
	if (CRYPTO_memcmp(tag, data + len, sizeof tag))
		return -1;
	struct shp_rec_in r = {data + 8, data + len, NULL, 0};
	uint32_t idlen = GET(&r, uint32_t);
	const void *id = take(&r, idlen);
	if (!id || !build_id_len || idlen != minelen || memcmp(id, mine, idlen))
		return -1;
	/* Authentic, so written by this build; still, the size the frame states is bounded before
	 * anything is allocated, and decompressing writes no more than that size. The frame must
	 * be the whole rest: one frame, nothing after it. */
	const char *frame = r.p;
	size_t flen = (size_t)(r.end - r.p);
	unsigned long long n = ZSTD_getFrameContentSize(frame, flen);
	if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR || n > SHP_CACHE_MAX_BODY ||
	    ZSTD_findFrameCompressedSize(frame, flen) != flen)
		return -1;
	/* in huge pages: the 1.4 MB body of a 30,000-file layer faulted in 4 KiB pages would have
	 * made a cached scan slower than reading the uncompressed record from the page cache */
	size_t maplen;
	char *body = shp_huge_alloc((size_t)n, &maplen);
	if (!body)
		return -1;
	size_t got = ZSTD_decompress(body, (size_t)n, frame, flen);
	int rc = ZSTD_isError(got) || got != n ? -1 : shp_cache_decode_body(body, (size_t)n, s);
	shp_huge_free(body, maplen);
	return rc;
}

int shp_cache_decode_body(const char *data, size_t len, struct shp_layer_scan *s)
{
	struct shp_rec_in r = {data, data + len, &s->arena, 0};
	if ((s->packages_only = GET(&r, uint8_t)) > 1)
		r.bad = 1;
	s->sums.blob_bytes = GET(&r, uint64_t);
	s->sums.tar_bytes = GET(&r, uint64_t);
	copy_digest(&r, s->sums.blob_digest, 0);
	copy_digest(&r, s->sums.diff_id, 1);
	if (!(s->sums.compression = compression_name(get_str(&r))))
		r.bad = 1;
	size_t n = get_count(&r, 4 + 4 + 8 + 12 + 2);
	if (n)
		s->entries = shp_xcalloc(s->centries = n, sizeof *s->entries);
	for (size_t i = 0; i < n && !r.bad; i++) {
		struct shp_entry *e = &s->entries[i];
		e->path = get_str(&r);
		e->link = get_str(&r);
		e->size = GET(&r, uint64_t);
		e->mode = GET(&r, uint32_t);
		e->uid = GET(&r, uint32_t);
		e->gid = GET(&r, uint32_t);
		e->type = GET(&r, uint8_t);
		e->flags = GET(&r, uint8_t);
		if (!e->path || e->type > SHP_FT_OPAQUE)
			r.bad = 1;
		s->nentries = i + 1;
	}
	n = get_count(&r, 4 + 1);
	if (n)
		s->unscanned = shp_xcalloc(s->cunscanned = n, sizeof *s->unscanned);
	for (size_t i = 0; i < n && !r.bad; i++) {
		struct shp_unscanned *u = &s->unscanned[i];
		u->entry = GET(&r, uint32_t);
		u->why = GET(&r, uint8_t);
		if (u->entry >= s->nentries || u->why >= SHP_UNSCANNED_NWHY)
			r.bad = 1;
		s->nunscanned = i + 1;
	}
	/* the analyzers' sections: a record of other analyzers, or of other versions of them, is
	 * stale (their findings might differ) */
	if (GET(&r, uint32_t) != SHP_NANALYZERS)
		r.bad = 1;
	for (size_t k = 0; k < SHP_NANALYZERS && !r.bad; k++) {
		const struct shp_analyzer *a = shp_analyzers[k];
		struct shp_layer_found *f = &s->found[k];
		const char *name = get_str(&r);
		if (!name || strcmp(name, a->name) || GET(&r, uint32_t) != a->version)
			r.bad = 1;
		n = get_count(&r, a->rec_min);
		if (n)
			f->v = shp_xcalloc(f->cap = n, a->rec_size);
		for (size_t i = 0; i < n && !r.bad; i++) {
			a->get(&r, s, (char *)f->v + i * a->rec_size);
			f->n = i + 1;
		}
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

/* ---- files ---- */

char *shp_cache_default_dir(void) { return shp_cache_path("SHIPSHAPE_CACHE", "layers"); }

char *shp_cache_default_key_path(void) { return shp_config_path("SHIPSHAPE_CACHE_KEY", "cache.key"); }

/* Why the cache is not used, said once per run (a scan opens it once per image). */
static void refuse(const char *what, const char *why)
{
	static int said;
	if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		shp_note("warning: the layer cache is not used (layers are read in full): %s: %s", what, why);
}

/* The secret in an open file: ours, not readable by others, exactly SHP_CACHE_KEY_BYTES. */
static int read_key(int fd, const char *path, unsigned char key[SHP_CACHE_KEY_BYTES])
{
	struct stat st;
	char why[96];
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		refuse(path, "not a regular file");
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(why, sizeof why, "owned by uid %u with mode %04o (expected this user's, 0600)",
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		refuse(path, why);
		return -1;
	}
	if (st.st_size != SHP_CACHE_KEY_BYTES || read(fd, key, SHP_CACHE_KEY_BYTES) != SHP_CACHE_KEY_BYTES) {
		snprintf(why, sizeof why, "not a secret of %d bytes (removing it makes a new one)",
			 SHP_CACHE_KEY_BYTES);
		refuse(path, why);
		return -1;
	}
	return 0;
}

/* Makes the secret: written whole under a temporary name and linked into place, so that of
 * two runs making it at once both use the one that won, and none reads half of one. */
static int make_key(const char *path, unsigned char key[SHP_CACHE_KEY_BYTES])
{
	_cleanup_free_ char *tmp = shp_asprintf("%s.%ld.tmp", path, (long)getpid());
	(void)unlink(tmp); /* a killed run's of the same pid */
	_cleanup_close_ int fd = -1;
	if (shp_mkdirs(path) < 0 || (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return -1;
	int ok = RAND_bytes(key, SHP_CACHE_KEY_BYTES) == 1 &&
		 write(fd, key, SHP_CACHE_KEY_BYTES) == SHP_CACHE_KEY_BYTES && fsync(fd) == 0 && link(tmp, path) == 0;
	int e = errno;
	(void)unlink(tmp);
	errno = e;
	return ok ? 0 : -1;
}

static int load_key(const char *path, unsigned char key[SHP_CACHE_KEY_BYTES])
{
	int e = 0;
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd >= 0) {
			int rc = read_key(fd, path, key);
			close(fd);
			return rc;
		}
		if ((e = errno) != ENOENT)
			break;
		if (make_key(path, key) == 0)
			return 0;
		if ((e = errno) != EEXIST)
			break;
		/* another run made it first: read theirs */
	}
	refuse(path, strerror(e));
	return -1;
}

struct shp_cache *shp_cache_open(const char *dir, const char *key_path)
{
	/* a directory that cannot be made is not worth a word (--cache-dir under a file, a
	 * read-only home): as before, the cache only saves time */
	struct stat st;
	if (shp_mkdirs(dir) < 0 || (mkdir(dir, 0700) < 0 && errno != EEXIST) || stat(dir, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return NULL;
	/* another user's directory, or one others may write, is not trusted to hold only our
	 * records (as ssh treats ~/.ssh): it is not used at all rather than used read-only */
	char why[96];
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(why, sizeof why,
			 "owned by uid %u with mode %04o (expected this user's, not writable by others)",
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		refuse(dir, why);
		return NULL;
	}
	struct shp_cache *c = shp_xcalloc(1, sizeof *c);
	if (load_key(key_path, c->key) < 0) {
		free(c);
		return NULL;
	}
	c->dir = shp_xstrdup(dir);
	return c;
}

void shp_cache_close(struct shp_cache *c)
{
	if (!c)
		return;
	OPENSSL_cleanse(c->key, sizeof c->key);
	free(c->dir);
	free(c);
}

/* dir/sha256-<hex>, or NULL for a key that is not a digest (it becomes a file name). */
static char *record_path(const char *dir, const char *key)
{
	if (!key || !shp_digest_valid(key))
		return NULL;
	return shp_asprintf("%s/sha256-%s", dir, key + 7);
}

int shp_cache_load(const struct shp_cache *c, const char *key, struct shp_layer_scan *scan)
{
	_cleanup_free_ char *path = record_path(c->dir, key);
	if (!path)
		return 0;
	/* O_NONBLOCK: a FIFO planted in a shared cache is refused below, not waited on */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SHP_CACHE_MAX_RECORD)
		return 0;
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 0;
	int want_full = !scan->packages_only;
	int rc = shp_cache_decode(c->key, map, (size_t)st.st_size, scan);
	munmap(map, (size_t)st.st_size);
	if (rc < 0 || (want_full && scan->packages_only)) {
		shp_layer_scan_free(scan);
		*scan = (struct shp_layer_scan){.packages_only = !want_full};
		return 0;
	}
	(void)futimens(fd, NULL); /* used now: pruned last (a read-only cache stays as it is) */
	return 1;
}

struct aged {
	char *name;
	uint64_t size;
	struct timespec used;
};

static int by_use(const void *a, const void *b)
{
	const struct timespec *x = &((const struct aged *)a)->used, *y = &((const struct aged *)b)->used;
	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

void shp_cache_prune(const struct shp_cache *c, uint64_t max_bytes)
{
	DIR *d = opendir(c->dir);
	if (!d)
		return;
	struct aged *v = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	time_t now = time(NULL);
	for (struct dirent *de; (de = readdir(d));) {
		struct stat st;
		if (strncmp(de->d_name, "sha256-", 7) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		size_t nl = strlen(de->d_name);
		if (nl > 4 && !strcmp(de->d_name + nl - 4, ".tmp")) {
			if (now - st.st_mtime > 3600)
				(void)unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		struct aged a = {shp_xstrdup(de->d_name), (uint64_t)st.st_size, st.st_mtim};
		SHP_PUSH(v, n, cap, a);
		total += a.size;
	}
	if (total > max_bytes) {
		qsort(v, n, sizeof *v, by_use);
		for (size_t i = 0; i < n && total > max_bytes; i++)
			if (unlinkat(dirfd(d), v[i].name, 0) == 0 || errno == ENOENT)
				total -= v[i].size;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
}

void shp_cache_save(const struct shp_cache *c, const char *key, const struct shp_layer_scan *scan)
{
	_cleanup_free_ char *path = record_path(c->dir, key);
	if (!path)
		return;
	pthread_once(&build_id_once, read_build_id);
	if (!build_id_len)
		return; /* no way to tell this build's records from another's */
	_cleanup_free_ char *tmp = shp_asprintf("%s.%ld.tmp", path, (long)getpid());
	(void)unlink(tmp); /* a killed run's of the same pid */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return;
	}
	_cleanup_free_ struct shp_rec_out *k = shp_xcalloc(1, sizeof *k);
	k->f = f;
	int rc = encode(c->key, scan, k);
	if (fclose(f) == 0 && rc == 0 && rename(tmp, path) == 0)
		return;
	unlink(tmp);
}
