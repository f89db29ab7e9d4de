/* zip.c - a zip archive read through its central directory (see zip.h). Walking the
 * directory of a mapped file and inflating each entry in one call is about three times as
 * fast as a streaming reader on osv.dev's dumps, and lets entries be read by several
 * threads. Field layouts are those of PKWARE's APPNOTE.TXT, sections 4.3 and 4.5. */
#include "util/zip.h"

#include "util/xalloc.h"

#include <isa-l/crc.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_END64_LOCATOR 0x07064b50u

/* fixed parts of the records */
#define LOCAL_LEN 30u
#define CENTRAL_LEN 46u
#define END_LEN 22u
#define END64_LEN 56u
#define END64_LOCATOR_LEN 20u
#define COMMENT_MAX 0xffffu

/* general purpose flags: encryption (traditional, strong; an encrypted central directory),
 * and sizes and CRC given after the data rather than in the local header */
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_STRONG_ENCRYPTION 0x0040u
#define FLAG_ENCRYPTED_CD 0x2000u
#define FLAG_DESCRIPTOR 0x0008u
/* the smallest data descriptor (CRC and two 32-bit sizes, no signature) */
#define DESCRIPTOR_MIN 12u

#define EXTRA_ZIP64 0x0001u
/* the high byte of "version made by": the external attributes' high half is st_mode */
#define MADE_ON_UNIX 3
#define METHOD_STORED 0
#define METHOD_DEFLATE 8
/* Deflate cannot give more than 1032 bytes per byte: a 258-byte match costs at least two
 * bits. An entry claiming more cannot be true, and would have its reader allocate for it. */
#define DEFLATE_MAX_RATIO 1032u

struct shp_zip_inflater {
	struct libdeflate_decompressor *d;
};

static inline uint16_t u16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t u64(const unsigned char *p) { return u32(p) | (uint64_t)u32(p + 4) << 32; }

/* The end of central directory record: the last 22 bytes, or before a comment. Its comment
 * length must reach the end of the file exactly, so that a signature inside a comment is
 * not taken for it. */
static int find_end(const unsigned char *d, size_t len, size_t *at)
{
	if (len < END_LEN)
		return -1;
	size_t lowest = len - END_LEN > COMMENT_MAX ? len - END_LEN - COMMENT_MAX : 0;
	for (size_t p = len - END_LEN;; p--) {
		if (u32(d + p) == SIG_END && u16(d + p + 20) == len - END_LEN - p) {
			*at = p;
			return 0;
		}
		if (p == lowest)
			return -1;
	}
}

int shp_zip_open(struct shp_zip *z, const void *data, size_t len, const char *path, uint64_t max_entry,
		 struct shp_error **err)
{
	const unsigned char *d = data;
	size_t end;
	if (find_end(d, len, &end) < 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: not a zip file, or truncated: no end of central directory record", path);
	const unsigned char *e = d + end;
	uint64_t disk = u16(e + 4), cd_disk = u16(e + 6), disk_count = u16(e + 8), count = u16(e + 10);
	uint64_t cd_size = u32(e + 12), cd = u32(e + 16);
	uint64_t records = end; /* where the end records start: the central directory is before */
	if (end >= END64_LOCATOR_LEN && u32(e - END64_LOCATOR_LEN) == SIG_END64_LOCATOR) {
		/* zip64: the counts and offsets are in a record the locator points to */
		const unsigned char *l = e - END64_LOCATOR_LEN;
		uint64_t at = u64(l + 8);
		if (u32(l + 4) != 0 || u32(l + 16) > 1)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: spans several disks, which is not supported",
					     path);
		if (at > end - END64_LOCATOR_LEN || end - END64_LOCATOR_LEN - at < END64_LEN ||
		    u32(d + at) != SIG_END64)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: no zip64 end of central directory record at offset %llu, where its"
					     " locator points",
					     path, (unsigned long long)at);
		e = d + at;
		disk = u32(e + 16);
		cd_disk = u32(e + 20);
		disk_count = u64(e + 24);
		count = u64(e + 32);
		cd_size = u64(e + 40);
		cd = u64(e + 48);
		records = at;
	}
	if (disk != 0 || cd_disk != 0 || disk_count != count)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: spans several disks, which is not supported", path);
	if (cd > records || cd_size > records - cd)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: truncated or corrupt: its central directory (%llu bytes at offset %llu) does"
				     " not lie before its end record (at offset %llu)",
				     path, (unsigned long long)cd_size, (unsigned long long)cd,
				     (unsigned long long)records);
	if (count > cd_size / CENTRAL_LEN)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: its end record claims %llu entries, more than its central directory's %llu"
				     " bytes can hold",
				     path, (unsigned long long)count, (unsigned long long)cd_size);
	*z = (struct shp_zip){.data = d,
			      .len = len,
			      .path = path,
			      .count = count,
			      .cd = cd,
			      .cd_end = cd + cd_size,
			      .max_entry = max_entry ? max_entry : SHP_ZIP_MAX_ENTRY};
	return 0;
}

/* Replaces the sizes and offset that a central header marks as too large for 32 bits
 * (0xffffffff) by those of its zip64 extra field, in the order APPNOTE 4.5.3 gives them. */
static int zip64_fields(const unsigned char *x, size_t xlen, uint64_t *size, uint64_t *csize, uint64_t *local,
			const char **bad)
{
	while (xlen >= 4) {
		size_t id = u16(x), n = u16(x + 2);
		if (n > xlen - 4) {
			*bad = "its extra field is corrupt (a block runs past its end)";
			return -1;
		}
		if (id == EXTRA_ZIP64) {
			uint64_t *want[] = {size, csize, local};
			const unsigned char *v = x + 4;
			size_t left = n;
			for (size_t i = 0; i < 3; i++) {
				if (*want[i] != 0xffffffffu)
					continue;
				if (left < 8) {
					*bad = "its zip64 extra field is too short for the sizes it should hold";
					return -1;
				}
				*want[i] = u64(v);
				v += 8;
				left -= 8;
			}
			return 0;
		}
		x += 4 + n;
		xlen -= 4 + n;
	}
	return 0;
}

#define ENTRY_ERR(fmt, ...)                                                                                            \
	shp_error_set(err, SHP_EXIT_INPUT, "%s: %.*s: " fmt, z->path, (int)e->name_len, e->name, ##__VA_ARGS__)

int shp_zip_next(const struct shp_zip *z, struct shp_zip_iter *it, struct shp_zip_entry *e, struct shp_error **err)
{
	const unsigned char *d = z->data;
	uint64_t at = z->cd + it->off;
	if (it->index >= z->count) {
		if (at != z->cd_end)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: its central directory holds %llu bytes more than the %llu entries its"
					     " end record says",
					     z->path, (unsigned long long)(z->cd_end - at),
					     (unsigned long long)z->count);
		return 0;
	}
	const unsigned char *c = d + at;
	uint64_t left = z->cd_end - at;
	if (left < CENTRAL_LEN || u32(c) != SIG_CENTRAL)
		return shp_error_set(
			err, SHP_EXIT_INPUT,
			"%s: its central directory is corrupt: no entry %llu at offset %llu (it holds %llu)", z->path,
			(unsigned long long)it->index, (unsigned long long)at, (unsigned long long)z->count);
	size_t nlen = u16(c + 28), xlen = u16(c + 30), clen = u16(c + 32);
	if (CENTRAL_LEN + nlen + xlen + clen > left)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: its central directory is corrupt: entry %llu runs past its end", z->path,
				     (unsigned long long)it->index);
	*e = (struct shp_zip_entry){
		.name = (const char *)c + CENTRAL_LEN,
		.name_len = nlen,
		.index = it->index,
		.size = u32(c + 24),
		.csize = u32(c + 20),
		.crc = u32(c + 16),
		.method = u16(c + 10),
	};
	if (!nlen || memchr(e->name, 0, nlen))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: entry %llu: its name is empty or holds a NUL byte",
				     z->path, (unsigned long long)it->index);
	e->is_dir = e->name[nlen - 1] == '/';
	if (c[5] == MADE_ON_UNIX)
		e->mode = u32(c + 38) >> 16;
	uint64_t local = u32(c + 42);
	const char *bad = NULL;
	if (zip64_fields(c + CENTRAL_LEN + nlen, xlen, &e->size, &e->csize, &local, &bad) < 0)
		return ENTRY_ERR("%s", bad);
	unsigned flags = u16(c + 8);
	if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_ENCRYPTED_CD))
		return ENTRY_ERR("it is encrypted, which is not supported");
	if (e->method != METHOD_STORED && e->method != METHOD_DEFLATE)
		return ENTRY_ERR("compression method %u is not supported", e->method);
	if (e->size > z->max_entry)
		return ENTRY_ERR("%llu bytes uncompressed, more than the %llu an entry may have",
				 (unsigned long long)e->size, (unsigned long long)z->max_entry);
	if (e->method == METHOD_STORED && e->size != e->csize)
		return ENTRY_ERR("stored, yet %llu bytes long uncompressed and %llu compressed",
				 (unsigned long long)e->size, (unsigned long long)e->csize);
	if (e->method == METHOD_DEFLATE && e->size / DEFLATE_MAX_RATIO > e->csize)
		return ENTRY_ERR("claims %llu bytes from %llu compressed, more than deflate can give",
				 (unsigned long long)e->size, (unsigned long long)e->csize);

	/* The local header: inside the part of the file before the central directory, and
	 * after the previous entry's data, so that no two entries share bytes (a zip bomb
	 * points many entries at one compressed stream). */
	if (local < it->data_end)
		return ENTRY_ERR("its local header (at offset %llu) overlaps the previous entry, which ends at %llu",
				 (unsigned long long)local, (unsigned long long)it->data_end);
	if (local > z->cd || z->cd - local < LOCAL_LEN || u32(d + local) != SIG_LOCAL)
		return ENTRY_ERR("no local header at offset %llu, where the central directory says it is",
				 (unsigned long long)local);
	const unsigned char *l = d + local;
	size_t lnlen = u16(l + 26), lxlen = u16(l + 28);
	if (lnlen != nlen || (uint64_t)LOCAL_LEN + lnlen + lxlen > z->cd - local ||
	    memcmp(l + LOCAL_LEN, e->name, nlen))
		return ENTRY_ERR("its local header (at offset %llu) names another entry", (unsigned long long)local);
	unsigned lflags = u16(l + 6);
	if (u16(l + 8) != e->method)
		return ENTRY_ERR("its local header says compression method %u, the central directory %u", u16(l + 8),
				 e->method);
	if (lflags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION))
		return ENTRY_ERR("it is encrypted (as its local header says), which is not supported");
	if (!(lflags & FLAG_DESCRIPTOR)) {
		/* the sizes are here too (0xffffffff: in a zip64 extra field) and must agree */
		uint64_t lcsize = u32(l + 18), lsize = u32(l + 22);
		if (u32(l + 14) != e->crc || (lcsize != 0xffffffffu && lcsize != e->csize) ||
		    (lsize != 0xffffffffu && lsize != e->size))
			return ENTRY_ERR("its local header disagrees with the central directory on its sizes or CRC"
					 " (%llu and %llu bytes, CRC %08x; %llu and %llu bytes, CRC %08x)",
					 (unsigned long long)lcsize, (unsigned long long)lsize, u32(l + 14),
					 (unsigned long long)e->csize, (unsigned long long)e->size, e->crc);
	}
	e->data = local + LOCAL_LEN + lnlen + lxlen;
	if (e->csize > z->cd - e->data)
		return ENTRY_ERR("its %llu compressed bytes at offset %llu run into the central directory",
				 (unsigned long long)e->csize, (unsigned long long)e->data);
	it->data_end = e->data + e->csize + (lflags & FLAG_DESCRIPTOR ? DESCRIPTOR_MIN : 0);
	it->off += CENTRAL_LEN + nlen + xlen + clen;
	it->index++;
	return 1;
}

struct shp_zip_inflater *shp_zip_inflater_new(void)
{
	struct shp_zip_inflater *inf = shp_xmalloc(sizeof *inf);
	if (!(inf->d = libdeflate_alloc_decompressor()))
		shp_oom();
	return inf;
}

void shp_zip_inflater_free(struct shp_zip_inflater *inf)
{
	if (inf)
		libdeflate_free_decompressor(inf->d);
	free(inf);
}

/* An entry's deflate stream, inflated whole into out (its header's size): libdeflate, whose
 * decompressor of a whole buffer takes a third less time than ISA-L's on the small entries
 * of an OSV dump (each record a stream, its Huffman tables built anew). */
static int inflate_entry(const struct shp_zip *z, const struct shp_zip_entry *e, void *out,
			 struct shp_zip_inflater *inf, struct shp_error **err)
{
	size_t got = 0;
	/* bytes left after the end of the stream do no harm: they are not read */
	enum libdeflate_result r =
		libdeflate_deflate_decompress(inf->d, z->data + e->data, (size_t)e->csize, out, (size_t)e->size, &got);
	switch (r) {
	case LIBDEFLATE_SUCCESS:
		if (got == e->size)
			return 0;
		return ENTRY_ERR("it inflates to %zu bytes, not the %llu its header says", got,
				 (unsigned long long)e->size);
	case LIBDEFLATE_INSUFFICIENT_SPACE: return ENTRY_ERR("it inflates to more bytes than its header says");
	default: return ENTRY_ERR("its compressed data is not deflate, or ends before the deflate stream does");
	}
}

int shp_zip_read(const struct shp_zip *z, const struct shp_zip_entry *e, void *out, struct shp_zip_inflater *inf,
		 struct shp_error **err)
{
	if (!e->size && !e->csize)
		return e->crc ? ENTRY_ERR("CRC-32 mismatch: it is empty, its header says %08x", e->crc) : 0;
	if (e->method == METHOD_STORED) {
		memcpy(out, z->data + e->data, e->size);
	} else {
		struct shp_zip_inflater *own = inf ? NULL : shp_zip_inflater_new();
		int rc = inflate_entry(z, e, out, inf ? inf : own, err);
		shp_zip_inflater_free(own);
		if (rc < 0)
			return -1;
	}
	uint32_t crc = crc32_gzip_refl(0, out, e->size);
	if (crc != e->crc)
		return ENTRY_ERR("CRC-32 mismatch: its data gives %08x, its header says %08x", crc, e->crc);
	return 0;
}
