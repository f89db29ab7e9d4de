/* tarw.c - ustar headers, and pax 'x' headers before them for what ustar cannot hold:
 * names over 100 bytes (or 255 split at a '/'), links over 100, sizes of 8 GiB and more,
 * ids over 2097151, names not in ASCII stay as they are (pax records are UTF-8 anyway).
 * Sparse files are written as GNU tar writes PAX 1.0 sparse files: GNU.sparse.* records,
 * a ustar name in a GNUSparseFile.0 directory (what a reader without sparse support makes of
 * it), and the region map as decimal lines at the start of the data. */
#include "util/tarw.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(struct shp_tarw *w, const void *p, size_t n) { return n ? w->write(w->arg, p, n) : 0; }

static int zeros(struct shp_tarw *w, size_t n)
{
	static const char z[1024];
	while (n) {
		size_t k = n < sizeof z ? n : sizeof z;
		if (put(w, z, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

/* An octal field of n bytes (n - 1 digits and a NUL); 0 if v does not fit. */
static int octal(char *f, size_t n, uint64_t v)
{
	if (n < 2 || (n - 1 < 22 && v >> (3 * (n - 1))))
		return 0;
	snprintf(f, n, "%0*llo", (int)(n - 1), (unsigned long long)v);
	return 1;
}

/* One pax record: "LEN key=value\n", LEN counting itself. */
static void record(struct shp_buf *b, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, len = body + 1;
	for (;;) {
		size_t d = (size_t)snprintf(NULL, 0, "%zu", len);
		if (body + d == len)
			break;
		len = body + d;
	}
	shp_buf_printf(b, "%zu %s=%s\n", len, key, value);
}

static void checksum(char *h)
{
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/* Splits a path of up to 255 bytes into ustar's prefix (155) and name (100) at a '/'. */
static int split(const char *p, size_t n, size_t *cut)
{
	if (n <= 100) {
		*cut = 0;
		return 1;
	}
	for (size_t i = n - 1; i > 0; i--)
		if (p[i] == '/' && i <= 155 && n - i - 1 <= 100 && n - i - 1 > 0) {
			*cut = i;
			return 1;
		}
	return 0;
}

static int block(struct shp_tarw *w, const char *name, const char *link, char type, uint32_t mode, uint32_t uid,
		 uint32_t gid, uint64_t size, int64_t mtime, uint32_t maj, uint32_t min, const char *uname,
		 const char *gname)
{
	char h[512] = {0};
	size_t n = strlen(name), cut = 0;
	if (split(name, n, &cut) && cut) {
		memcpy(h + 345, name, cut);
		memcpy(h, name + cut + 1, n - cut - 1);
	} else
		memcpy(h, name, n < 100 ? n : 100);
	octal(h + 100, 8, mode & 07777);
	octal(h + 108, 8, uid);
	octal(h + 116, 8, gid);
	octal(h + 124, 12, size);
	octal(h + 136, 12, mtime > 0 ? (uint64_t)mtime : 0);
	h[156] = type;
	if (link)
		memcpy(h + 157, link, strlen(link) < 100 ? strlen(link) : 100);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (uname)
		memcpy(h + 265, uname, strlen(uname) < 31 ? strlen(uname) : 31);
	if (gname)
		memcpy(h + 297, gname, strlen(gname) < 31 ? strlen(gname) : 31);
	if (type == '3' || type == '4') {
		octal(h + 329, 8, maj);
		octal(h + 337, 8, min);
	}
	checksum(h);
	return put(w, h, sizeof h);
}

/* The 'x' header with the records in x and what hd needs, then hd's ustar block under the
 * name path, with size bytes to follow. */
static int header(struct shp_tarw *w, const struct shp_tar_hdr *hd, const char *path, uint64_t size, struct shp_buf *x)
{
	if (w->left || w->pad) {
		errno = EINVAL;
		return -1;
	}
	size_t n = strlen(path), cut;
	char num[32], tmp[8];
	if (!split(path, n, &cut))
		record(x, "path", path);
	if (hd->link && strlen(hd->link) > 100)
		record(x, "linkpath", hd->link);
	if (!octal(num, 12, size)) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)size);
		record(x, "size", num);
	}
	if (!octal(tmp, 8, hd->uid)) {
		snprintf(num, sizeof num, "%u", hd->uid);
		record(x, "uid", num);
	}
	if (!octal(tmp, 8, hd->gid)) {
		snprintf(num, sizeof num, "%u", hd->gid);
		record(x, "gid", num);
	}
	int rc = 0;
	if (x->len) {
		char name[112];
		const char *base = strrchr(hd->path, '/');
		snprintf(name, sizeof name, "PaxHeaders/%.80s", base && base[1] ? base + 1 : hd->path);
		rc = block(w, name, NULL, 'x', 0644, 0, 0, x->len, hd->mtime, 0, 0, NULL, NULL);
		if (rc == 0)
			rc = put(w, x->data, x->len);
		if (rc == 0)
			rc = zeros(w, (512 - x->len % 512) % 512);
	}
	if (rc < 0)
		return -1;
	if (block(w, path, hd->link, hd->type, hd->mode, hd->uid, hd->gid, size, hd->mtime, hd->devmajor, hd->devminor,
		  hd->uname, hd->gname) < 0)
		return -1;
	w->left = size;
	w->pad = (512 - size % 512) % 512;
	return 0;
}

int shp_tarw_header(struct shp_tarw *w, const struct shp_tar_hdr *hd)
{
	struct shp_buf x = {0};
	int rc = header(w, hd, hd->path, hd->size, &x);
	shp_buf_free(&x);
	return rc;
}

int shp_tarw_sparse_header(struct shp_tarw *w, const struct shp_tar_hdr *hd, const struct shp_tar_region *map, size_t n)
{
	struct shp_buf m = {0}, x = {0};
	uint64_t data = 0;
	shp_buf_printf(&m, "%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		shp_buf_printf(&m, "%llu\n%llu\n", (unsigned long long)map[i].offset,
			       (unsigned long long)map[i].length);
		data += map[i].length;
	}
	size_t mlen = m.len + (512 - m.len % 512) % 512;
	char num[32];
	record(&x, "GNU.sparse.major", "1");
	record(&x, "GNU.sparse.minor", "0");
	record(&x, "GNU.sparse.name", hd->path);
	snprintf(num, sizeof num, "%llu", (unsigned long long)hd->size);
	record(&x, "GNU.sparse.realsize", num);
	/* GNU tar's name for readers that do not know the format: DIR/GNUSparseFile.PID/BASE,
	 * with 0 for the pid so that the same input gives the same bytes */
	const char *base = strrchr(hd->path, '/');
	char *name = base ? shp_asprintf("%.*s/GNUSparseFile.0/%s", (int)(base - hd->path), hd->path, base + 1)
			  : shp_asprintf("GNUSparseFile.0/%s", hd->path);
	int rc = header(w, hd, name, mlen + data, &x);
	if (rc == 0)
		rc = shp_tarw_data(w, m.data, m.len);
	if (rc == 0 && mlen > m.len) {
		rc = zeros(w, mlen - m.len);
		w->left -= mlen - m.len;
	}
	free(name);
	shp_buf_free(&m);
	shp_buf_free(&x);
	return rc;
}

int shp_tarw_data(struct shp_tarw *w, const void *p, size_t n)
{
	if (n > w->left) {
		errno = EINVAL;
		return -1;
	}
	if (put(w, p, n) < 0)
		return -1;
	w->left -= n;
	if (!w->left && w->pad) {
		if (zeros(w, (size_t)w->pad) < 0)
			return -1;
		w->pad = 0;
	}
	return 0;
}

int shp_tarw_finish(struct shp_tarw *w)
{
	if (w->left) {
		errno = EINVAL;
		return -1;
	}
	return zeros(w, 1024);
}
