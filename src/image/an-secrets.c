/* an-secrets.c - the secrets analyzer: every non-empty regular file's content searched for
 * the secret kinds of secrets/scan.h (the text ones for every kind, the binary ones for the
 * unmistakable kinds), block by block in overlapping windows, so that memory stays bounded
 * and no secret is cut in two; or in memory when the file was read whole for another
 * analyzer. Its findings are struct shp_secret_hit. */
#include "image/analyzer.h"
#include "secrets/scan.h"
#include "secrets/tokens.h"
#include "slim/elf.h"
#include "util/xalloc.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file read block by block: its bytes are gathered in windows of SHP_IMG_SCAN_WINDOW bytes,
 * each overlapping the one before by SHP_SECRET_MAX_MATCH. buf and cap are the run's buffer,
 * reused from file to file (grown to at most the window). */
struct shp_content {
	struct shp_layer_scan *scan;
	size_t idx;
	char **buf;		     /* the window: SHP_IMG_SCAN_WINDOW bytes, mapped when first wanted */
	size_t *maplen;		     /* its mapping (shp_huge_alloc), 0 if malloc's */
	size_t len, from;	     /* bytes in the window; where its own matches start */
	uint64_t next;		     /* the file offset of (*buf)[len] */
	uint32_t line;		     /* lines before (*buf)[0] */
	int binary;		     /* -1 until the first block: 0 text, 1 binary, 2 not searched */
	int parted;		     /* some of the file's bytes left the window, or were passed over */
	uint64_t code_from, code_to; /* a program's machine code, not searched (shp_elf_code_range) */
};

struct hit_ctx {
	struct shp_layer_scan *scan;
	size_t idx;
	const char *data; /* the window */
	size_t len;
	uint32_t line; /* lines before data */
	size_t at;     /* lines are counted up to here so far (a kind's hits come in order) */
	uint32_t at_line;
	const char *file; /* the file's whole content, when data is in it; else NULL */
	size_t file_len;
};

/* The digests of the file whose hit was just added (the last of the layer's), for the package
 * databases' record (shp_secret_hit.sums): those of the hit before it when it is the same
 * file's, else computed now from its whole content, if it is at hand. Only the files a secret
 * was found in pay for this: the databases' own files are read by the packages analyzer. */
static const unsigned char *file_sums(struct hit_ctx *h)
{
	struct shp_layer_found *f = &h->scan->found[SHP_ANALYZER_SECRETS];
	const struct shp_secret_hit *v = f->v;
	if (f->n >= 2 && v[f->n - 2].entry == (uint32_t)h->idx)
		return v[f->n - 2].sums;
	if (!h->file)
		return NULL;
	unsigned char *sums = shp_arena_alloc(&h->scan->arena, SHP_SUM_BYTES);
	const EVP_MD *md[] = {EVP_md5(), EVP_sha1(), EVP_sha256()};
	for (size_t i = 0, at = 0; i < sizeof md / sizeof md[0]; at += shp_sum_len((enum shp_sum_algo)i), i++)
		if (!EVP_Digest(h->file, h->file_len, sums + at, NULL, md[i], NULL))
			return NULL;
	return sums;
}

/* Evidence: the line of the match, at most ~100 bytes around it, the secret redacted. */
static void on_secret(void *arg, int kind, size_t start, size_t end)
{
	struct hit_ctx *h = arg;
	const char *d = h->data;
	size_t ls = start, le = end;
	while (ls > 0 && d[ls - 1] != '\n' && start - ls < 40)
		ls--;
	while (le < h->len && d[le] != '\n' && d[le] != '\r' && le - end < 40)
		le++;
	if (start < h->at) {
		h->at = 0;
		h->at_line = h->line + 1;
	}
	for (const char *p = d + h->at; (p = memchr(p, '\n', (size_t)(d + start - p))); p++)
		h->at_line++;
	h->at = start;
	uint32_t line = h->at_line;
	char *secret = shp_xstrndup(d + start, end - start);
	char *red = shp_redact(secret);
	char buf[256];
	int n = snprintf(buf, sizeof buf, "%s%.*s%s%.*s%s", ls > 0 && d[ls - 1] != '\n' ? "..." : "",
			 (int)(start - ls > 60 ? 60 : start - ls), d + ls, red, (int)(le - end > 60 ? 60 : le - end),
			 d + end, le < h->len && d[le] != '\n' && d[le] != '\r' ? "..." : "");
	free(red);
	free(secret);
	for (int i = 0; i < n && i < (int)sizeof buf - 1; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	struct shp_secret_hit *hit = shp_layer_found_add(h->scan, SHP_ANALYZER_SECRETS);
	*hit = (struct shp_secret_hit){.entry = (uint32_t)h->idx,
				       .line = line,
				       .kind = (uint16_t)kind,
				       .bad_checksum = shp_secret_checksum(kind, d + start, end - start) == 0,
				       .evidence = shp_arena_strndup(&h->scan->arena, buf, strlen(buf))};
	hit->sums = file_sums(h);
}

/* Bytes kept before a window's own part, for look-behinds and the evidence's context. */
#define WINDOW_LEAD 64

static int is_binary(const char *data, size_t len) { return memchr(data, 0, len < 8192 ? len : 8192) != NULL; }

/* A binary file whose bytes are not searched: a shared library ("libx.so", "libx.so.1.2"),
 * whose keys are its self-tests' (GnuTLS has eleven PEM keys), not an application's; and
 * compressed data or a compressed picture (gzip, bzip2, xz, zstd, PNG, JPEG: their bytes
 * hold no text, and /usr/share is full of them). */
static int not_searched(const char *path, const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} encoded[] = {
		{"\x1f\x8b", 2},
		{"BZh", 3},
		{"\xfd"
		 "7zXZ\0",
		 6},
		{"\x28\xb5\x2f\xfd", 4},
		{"\x89PNG", 4},
		{"\xff\xd8\xff", 3},
	};
	for (size_t i = 0; i < sizeof encoded / sizeof encoded[0]; i++)
		if (n >= encoded[i].len && !memcmp(p, encoded[i].magic, encoded[i].len))
			return 1;
	const char *b = strrchr(path, '/');
	const char *so = strstr(b ? b + 1 : path, ".so");
	return so && (so[3] == 0 || so[3] == '.');
}

/* Searches data[0..len) (line: the lines before it), reporting the matches that start in
 * [from, to); file: the file's whole content (file_len bytes) when data lies in it, or NULL. */
static void search(struct shp_layer_scan *scan, size_t idx, const char *data, size_t len, size_t from, size_t to,
		   uint32_t line, int binary, const char *file, size_t file_len)
{
	struct hit_ctx h = {scan, idx, data, len, line, 0, line + 1, file, file_len};
	struct shp_secrets_window w = {from, to, binary};
	shp_secrets_scan_window(data, len, scan->entries[idx].path, &w, on_secret, &h);
}

static uint32_t count_lines(const char *p, size_t n)
{
	uint32_t k = 0;
	for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		k++;
	return k;
}

/* Searches a whole file's content, in memory, for secrets. A file with a NUL byte in its
 * first 8 KiB is binary: only the unmistakable kinds are looked for in it, and not in a
 * shared library (lib*.so*), whose keys are its self-tests'. */
static void content(struct shp_layer_scan *scan, size_t idx, const char *data, size_t len)
{
	int binary = is_binary(data, len);
	if (binary && not_searched(scan->entries[idx].path, (const unsigned char *)data, len))
		return;
	size_t base = 0, from = 0;
	uint32_t line = 0;
	for (;;) {
		size_t n = len - base < SHP_IMG_SCAN_WINDOW ? len - base : SHP_IMG_SCAN_WINDOW;
		if (base + n == len) {
			search(scan, idx, data + base, n, from, n, line, binary, data, len);
			return;
		}
		search(scan, idx, data + base, n, from, n - SHP_SECRET_MAX_MATCH, line, binary, data, len);
		size_t next = base + n - SHP_SECRET_MAX_MATCH - WINDOW_LEAD;
		line += count_lines(data + base, next - base);
		base = next;
		from = WINDOW_LEAD;
	}
}

static void content_begin(struct shp_content *c, struct shp_layer_scan *scan, size_t idx, char **buf, size_t *maplen)
{
	*c = (struct shp_content){.scan = scan, .idx = idx, .buf = buf, .maplen = maplen, .binary = -1};
}

/* Searches the window; unless it is the last, keeps its end for the next one. */
static void slide(struct shp_content *c, int last)
{
	char *b = *c->buf;
	if (!c->len)
		return;
	if (last) {
		/* the whole file, if none of it left the window and it is all there */
		int whole = !c->parted && c->next == c->len && c->next == c->scan->entries[c->idx].size;
		search(c->scan, c->idx, b, c->len, c->from, c->len, c->line, c->binary, whole ? b : NULL, c->len);
		return;
	}
	search(c->scan, c->idx, b, c->len, c->from, c->len - SHP_SECRET_MAX_MATCH, c->line, c->binary, NULL, 0);
	c->parted = 1;
	size_t keep = SHP_SECRET_MAX_MATCH + WINDOW_LEAD;
	c->line += count_lines(b, c->len - keep);
	memmove(b, b + c->len - keep, keep);
	c->len = keep;
	c->from = WINDOW_LEAD;
}

static void feed(struct shp_content *c, const void *p, size_t n, uint64_t off);

/* Returns 0 when the rest of the file is not wanted (a shared library). */
static int content_feed(struct shp_content *c, const void *p, size_t n, uint64_t off)
{
	if (c->binary < 0) {
		c->binary = off > 0 || is_binary(p, n);
		if (c->binary && not_searched(c->scan->entries[c->idx].path, p, n))
			c->binary = 2; /* not searched */
		else if (c->binary && off == 0 && shp_elf_code_range(p, n, &c->code_from, &c->code_to) < 0)
			c->code_from = c->code_to = 0;
	}
	if (c->binary == 2)
		return 0;
	/* a program's machine code holds no string: passed over as a hole (half the bytes of
	 * /usr/bin, which the secret search would otherwise read for nothing) */
	uint64_t end = off + n;
	if (off < c->code_from)
		feed(c, p, (size_t)((end < c->code_from ? end : c->code_from) - off), off);
	if (end > c->code_to) {
		uint64_t from = off > c->code_to ? off : c->code_to;
		feed(c, (const char *)p + (from - off), (size_t)(end - from), from);
	}
	return 1;
}

static void feed(struct shp_content *c, const void *p, size_t n, uint64_t off)
{
	if (off != c->next) {
		/* a hole of a sparse file: zeros hold no secret, what came before is searched alone */
		if (off < c->next)
			return;
		slide(c, 1);
		c->parted = 1;
		c->line += count_lines(*c->buf, c->len);
		c->len = c->from = 0;
		c->next = off;
	}
	/* all that is left of the file, and nothing before it kept: searched where it lies (the
	 * whole of most files, which come in one block of the layer's tar) */
	if (!c->len && off + n == c->scan->entries[c->idx].size && n <= SHP_IMG_SCAN_WINDOW) {
		int whole = off == 0 && !c->parted;
		search(c->scan, c->idx, p, n, c->from, n, c->line, c->binary, whole ? p : NULL, n);
		c->next += n;
		return;
	}
	while (n) {
		size_t m = SHP_IMG_SCAN_WINDOW - c->len;
		if (m > n)
			m = n;
		/* the whole window at once, in huge pages: the large files of a layer would fault a
		 * thread's 8 MiB in 4 KiB at a time, half a scan's page faults */
		if (!*c->buf && !(*c->buf = shp_huge_alloc(SHP_IMG_SCAN_WINDOW, c->maplen))) {
			*c->buf = shp_xmalloc(SHP_IMG_SCAN_WINDOW);
			*c->maplen = 0;
		}
		memcpy(*c->buf + c->len, p, m);
		c->len += m;
		c->next += m;
		p = (const char *)p + m;
		n -= m;
		if (c->len == SHP_IMG_SCAN_WINDOW)
			slide(c, 0);
	}
}

static void content_end(struct shp_content *c)
{
	if (c->binary != 2)
		slide(c, 1);
}

/* ---- the descriptor ---- */

struct run {
	struct shp_content c; /* the file being streamed */
	char *buf;	      /* its window */
	size_t maplen;
};

/* A non-empty regular file, of any size (a large one is searched in windows). */
static int wants(void *run, struct shp_an_entry *x)
{
	(void)run;
	return x->e->size > 0 ? SHP_AN_STREAM : 0;
}

static void whole(void *run, struct shp_an_entry *x, const char *data, size_t len)
{
	(void)run;
	if (len)
		content(x->scan, x->idx, data, len);
}

static void begin(void *run, struct shp_an_entry *x)
{
	struct run *r = run;
	content_begin(&r->c, x->scan, x->idx, &r->buf, &r->maplen);
}

static int feed_block(void *run, struct shp_an_entry *x, const void *p, size_t n, uint64_t off)
{
	(void)x;
	return content_feed(&((struct run *)run)->c, p, n, off);
}

static void end(void *run, struct shp_an_entry *x, int complete)
{
	(void)x;
	if (complete)
		content_end(&((struct run *)run)->c);
}

static void finish(void *run)
{
	struct run *r = run;
	if (r->maplen)
		shp_huge_free(r->buf, r->maplen);
	else
		free(r->buf);
}

static void put(struct shp_rec_out *w, const void *rec)
{
	const struct shp_secret_hit *h = rec;
	shp_rec_put_u32(w, h->entry);
	shp_rec_put_u32(w, h->line);
	shp_rec_put_u16(w, h->kind);
	shp_rec_put_str(w, h->evidence);
	shp_rec_put_u8(w, (uint8_t)((h->sums != NULL) | (h->bad_checksum ? 2 : 0)));
	if (h->sums)
		shp_rec_put_bytes(w, h->sums, SHP_SUM_BYTES);
}

static void get(struct shp_rec_in *r, const struct shp_layer_scan *scan, void *rec)
{
	struct shp_secret_hit *h = rec;
	size_t nkinds;
	shp_secret_kinds(&nkinds);
	h->entry = shp_rec_get_u32(r);
	h->line = shp_rec_get_u32(r);
	h->kind = shp_rec_get_u16(r);
	h->evidence = shp_rec_get_str(r);
	uint8_t flags = shp_rec_get_u8(r);
	if (h->entry >= scan->nentries || h->kind >= nkinds || !h->evidence || flags > 3)
		shp_rec_bad(r);
	h->bad_checksum = (flags & 2) != 0;
	if (flags & 1)
		h->sums = shp_rec_get_bytes(r, SHP_SUM_BYTES);
}

const struct shp_analyzer shp_an_secrets = {
	.name = "secrets",
	.version = 2, /* 2: the digests of a hit's file; whether a token's checksum holds */
	.run_size = sizeof(struct run),
	.rec_size = sizeof(struct shp_secret_hit),
	.rec_min = 4 + 4 + 2 + 4 + 1,
	.wants = wants,
	.whole = whole,
	.begin = begin,
	.feed = feed_block,
	.end = end,
	.finish = finish,
	.put = put,
	.get = get,
};
