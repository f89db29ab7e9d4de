/* tarsplit.c - a layer's tar rebuilt from its tar-split and its directory (tarsplit.h): the
 * JSON lines are inflated and parsed one at a time, raw segments are given back as they
 * are, and each file's content is read from the directory, its size and CRC-64 checked
 * against the record, so the tar that comes out is the one the layer was stored from. */
#include "image/tarsplit.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IN_BLOCK (64u << 10)
#define DEC_BLOCK (64u << 10)

struct shp_tarsplit {
	struct shp_src in;
	char *where;
	shp_tarsplit_open_fn open;
	void *arg;
	z_stream z;
	int z_ready, in_eof, member_done, z_end;
	unsigned char *zin, *dec;
	size_t dec_len, dec_pos;
	struct shp_buf line;
	size_t lineno;
	unsigned char *seg; /* the current raw segment */
	size_t seg_len, seg_pos, seg_cap;
	int fd; /* the current file, or -1 */
	char *file;
	uint64_t left, crc;
	unsigned char want[8];
	int done;
};

/* ---- CRC-64 (ISO), sliced by 8 as Go's hash/crc64 does ---- */

static uint64_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint64_t c = i;
		for (int j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0xD800000000000000ull : c >> 1;
		crc_tab[0][i] = c;
	}
	for (unsigned i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^ crc_tab[0][crc_tab[k - 1][i] & 0xff];
}

uint64_t shp_crc64_iso(uint64_t crc, const void *p, size_t n)
{
	pthread_once(&crc_once, crc_init);
	const unsigned char *b = p;
	crc = ~crc;
	while (n >= 8) {
		uint64_t v = 0;
		for (int i = 7; i >= 0; i--)
			v = (v << 8) | b[i];
		crc ^= v;
		crc = crc_tab[7][crc & 0xff] ^ crc_tab[6][(crc >> 8) & 0xff] ^ crc_tab[5][(crc >> 16) & 0xff] ^
		      crc_tab[4][(crc >> 24) & 0xff] ^ crc_tab[3][(crc >> 32) & 0xff] ^ crc_tab[2][(crc >> 40) & 0xff] ^
		      crc_tab[1][(crc >> 48) & 0xff] ^ crc_tab[0][crc >> 56];
		b += 8;
		n -= 8;
	}
	while (n--)
		crc = crc_tab[0][(uint8_t)crc ^ *b++] ^ (crc >> 8);
	return ~crc;
}

/* ---- the reader ---- */

struct shp_tarsplit *shp_tarsplit_new(struct shp_src in, const char *where, shp_tarsplit_open_fn open, void *arg)
{
	struct shp_tarsplit *t = shp_xcalloc(1, sizeof *t);
	t->in = in;
	t->where = shp_xstrdup(where);
	t->open = open;
	t->arg = arg;
	t->fd = -1;
	t->zin = shp_xmalloc(IN_BLOCK);
	t->dec = shp_xmalloc(DEC_BLOCK);
	return t;
}

void shp_tarsplit_free(struct shp_tarsplit *t)
{
	if (!t)
		return;
	if (t->z_ready)
		inflateEnd(&t->z);
	if (t->fd >= 0)
		close(t->fd);
	free(t->in.error);
	free(t->where);
	free(t->zin);
	free(t->dec);
	free(t->seg);
	free(t->file);
	shp_buf_free(&t->line);
	free(t);
}

/* Sets *error to "where: line N: ..." and returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(struct shp_tarsplit *t, char **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = shp_vasprintf(fmt, ap);
	va_end(ap);
	free(*error);
	*error = t->lineno ? shp_asprintf("%s: line %zu: %s", t->where, t->lineno, msg)
			   : shp_asprintf("%s: %s", t->where, msg);
	return -1;
}

/* More inflated bytes into t->dec: 1, 0 at the end of the gzip stream(s), -1 with *error. */
static int inflate_more(struct shp_tarsplit *t, char **error)
{
	if (!t->z_ready) {
		if (inflateInit2(&t->z, 15 + 16) != Z_OK)
			return fail(t, error, "cannot inflate");
		t->z_ready = 1;
	}
	for (;;) {
		if (t->z.avail_in == 0 && !t->in_eof) {
			ssize_t k = shp_src_read(&t->in, t->zin, IN_BLOCK);
			if (k < 0)
				return fail(t, error, "%s", t->in.error ? t->in.error : "read error");
			t->in_eof = k == 0;
			t->z.next_in = t->zin;
			t->z.avail_in = (uInt)k;
		}
		if (t->member_done) {
			if (t->z.avail_in == 0) {
				t->z_end = 1;
				return 0;
			}
			inflateReset(&t->z); /* gzip members one after another are one stream */
			t->member_done = 0;
		}
		t->z.next_out = t->dec;
		t->z.avail_out = DEC_BLOCK;
		int r = inflate(&t->z, Z_NO_FLUSH);
		size_t got = DEC_BLOCK - t->z.avail_out;
		if (r == Z_STREAM_END)
			t->member_done = 1;
		else if (r == Z_BUF_ERROR && t->in_eof && t->z.avail_in == 0)
			return fail(t, error, "truncated (the gzip stream ends early)");
		else if (r != Z_OK && r != Z_BUF_ERROR)
			return fail(t, error, "not gzip, or corrupt: %s", t->z.msg ? t->z.msg : "inflate failed");
		if (got) {
			t->dec_len = got;
			t->dec_pos = 0;
			return 1;
		}
	}
}

/* The next non-empty line into t->line (NUL-terminated): 1, 0 at the end, -1 with *error. */
static int next_line(struct shp_tarsplit *t, char **error)
{
	shp_buf_reset(&t->line);
	for (;;) {
		if (t->dec_pos == t->dec_len) {
			int r = t->z_end ? 0 : inflate_more(t, error);
			if (r < 0)
				return -1;
			if (r == 0) {
				if (!t->line.len)
					return 0;
				t->lineno++;
				return 1; /* the last line, without its newline */
			}
		}
		const unsigned char *p = t->dec + t->dec_pos;
		size_t avail = t->dec_len - t->dec_pos;
		const unsigned char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		if (t->line.len + take > SHP_TARSPLIT_MAX_LINE) {
			t->lineno++;
			return fail(t, error, "longer than %u bytes (SHP_TARSPLIT_MAX_LINE)", SHP_TARSPLIT_MAX_LINE);
		}
		shp_buf_add(&t->line, (const char *)p, take);
		t->dec_pos += take + (nl ? 1 : 0);
		if (nl) {
			t->lineno++;
			if (t->line.len)
				return 1;
		}
	}
}

/* Decodes standard base64 s into a buffer the caller frees; NULL if s is not base64. */
static unsigned char *unbase64(const char *s, size_t *len)
{
	size_t n = strlen(s);
	if (n % 4)
		return NULL;
	unsigned char *out = shp_xmalloc(n / 4 * 3 + 1);
	int k = n ? EVP_DecodeBlock(out, (const unsigned char *)s, (int)n) : 0;
	if (k < 0) {
		free(out);
		return NULL;
	}
	size_t pad = (n && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
	*len = (size_t)k - pad;
	return out;
}

/* The entry's "payload": raw bytes (NULL and 0 when null or absent); -1 if malformed. */
static int payload_of(const cJSON *e, unsigned char **out, size_t *len)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "payload");
	*out = NULL;
	*len = 0;
	if (!p || cJSON_IsNull(p))
		return 0;
	if (!cJSON_IsString(p))
		return -1;
	*out = unbase64(p->valuestring, len);
	return *out ? 0 : -1;
}

/* A file entry: its content is opened, when it has some, and checked as it is read. */
static int begin_file(struct shp_tarsplit *t, const cJSON *e, char **error)
{
	const cJSON *jn = cJSON_GetObjectItemCaseSensitive(e, "name");
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(e, "name_raw");
	const cJSON *js = cJSON_GetObjectItemCaseSensitive(e, "size");
	free(t->file);
	t->file = NULL;
	if (cJSON_IsString(raw) && raw->valuestring[0]) { /* a name that is not UTF-8 */
		size_t n;
		unsigned char *b = unbase64(raw->valuestring, &n);
		if (!b || memchr(b, 0, n)) {
			free(b);
			return fail(t, error, "a file entry whose \"name_raw\" is not a name in base64");
		}
		b[n] = 0;
		t->file = (char *)b;
	} else if (cJSON_IsString(jn))
		t->file = shp_xstrdup(jn->valuestring);
	else
		return fail(t, error, "a file entry without a name");
	double size = js ? js->valuedouble : 0;
	if (js && (!cJSON_IsNumber(js) || size < 0 || size > 9007199254740992.0 || size != (double)(uint64_t)size))
		return fail(t, error, "%s: the size is not a whole number of bytes", t->file);
	t->left = (uint64_t)size;
	if (!t->left)
		return 0; /* directories, links, empty files: all in the segments */
	unsigned char *sum;
	size_t sum_len;
	if (payload_of(e, &sum, &sum_len) < 0 || sum_len != 8) {
		free(sum);
		return fail(t, error, "%s: the payload is not a CRC-64 in base64", t->file);
	}
	memcpy(t->want, sum, 8);
	free(sum);
	struct shp_error *err = NULL;
	t->fd = t->open(t->arg, t->file, &err);
	if (t->fd < 0) {
		fail(t, error, "%s: %s", t->file, err ? err->msg : "cannot be opened");
		shp_error_free(err);
		return -1;
	}
	struct stat st;
	if (fstat(t->fd, &st) < 0)
		return fail(t, error, "%s: %s", t->file, strerror(errno));
	if ((uint64_t)st.st_size != t->left)
		return fail(t, error, "%s: the tar-split says %llu bytes, the layer's file has %llu", t->file,
			    (unsigned long long)t->left, (unsigned long long)st.st_size);
	t->crc = 0;
	return 0;
}

/* Reads the next line's entry: a segment to give back, or a file to read. 0, or 1 at the
 * end, or -1 with *error. */
static int next_entry(struct shp_tarsplit *t, char **error)
{
	int r = next_line(t, error);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	const char *stop = NULL;
	cJSON *e = cJSON_ParseWithLengthOpts(t->line.data, t->line.len, &stop, 0);
	if (e && stop)
		stop += strspn(stop, " \t\r");
	if (!cJSON_IsObject(e) || stop != t->line.data + t->line.len) {
		cJSON_Delete(e);
		return fail(t, error, "not a JSON object");
	}
	_cleanup_(shp_json_freep) cJSON *owned = e;
	(void)owned; /* freed on return */
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
	int ty = cJSON_IsNumber(type) ? type->valueint : 0;
	if (ty == SHP_TARSPLIT_FILE)
		return begin_file(t, e, error);
	if (ty != SHP_TARSPLIT_SEGMENT)
		return fail(t, error, "an entry of unknown type (1 is a file, 2 a segment)");
	unsigned char *p;
	size_t n;
	if (payload_of(e, &p, &n) < 0)
		return fail(t, error, "a segment whose payload is not base64");
	free(t->seg);
	t->seg = p;
	t->seg_len = n;
	t->seg_pos = 0;
	return 0;
}

/* Up to n bytes of the current file's content. */
static ssize_t read_file(struct shp_tarsplit *t, void *buf, size_t n, char **error)
{
	size_t want = n < t->left ? n : (size_t)t->left;
	ssize_t k;
	do
		k = read(t->fd, buf, want);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return fail(t, error, "%s: %s", t->file, strerror(errno));
	if (k == 0)
		return fail(t, error, "%s: shorter than the tar-split says (changed while read?)", t->file);
	t->crc = shp_crc64_iso(t->crc, buf, (size_t)k);
	t->left -= (uint64_t)k;
	if (!t->left) {
		close(t->fd);
		t->fd = -1;
		unsigned char got[8];
		for (int i = 0; i < 8; i++)
			got[i] = (unsigned char)(t->crc >> (56 - 8 * i));
		if (memcmp(got, t->want, 8))
			return fail(t, error, "%s: the content differs from what the layer stored (CRC-64)", t->file);
	}
	return k;
}

ssize_t shp_tarsplit_read(void *ctx, void *buf, size_t n, char **error)
{
	struct shp_tarsplit *t = ctx;
	while (!t->done && n) {
		if (t->fd >= 0)
			return read_file(t, buf, n, error);
		if (t->seg_pos < t->seg_len) {
			size_t k = t->seg_len - t->seg_pos;
			if (k > n)
				k = n;
			memcpy(buf, t->seg + t->seg_pos, k);
			t->seg_pos += k;
			return (ssize_t)k;
		}
		int r = next_entry(t, error);
		if (r < 0)
			return -1;
		t->done = r == 1;
	}
	return 0;
}
