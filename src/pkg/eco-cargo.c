/* eco-cargo.c - Rust crates, as a program built with cargo-auditable names them: the linker
 * section ".dep-v0" holds zlib-compressed JSON,
 *
 *     {"packages":[{"name":"serde","version":"1.0.188","source":"crates.io","dependencies":[1]},
 *                  {"name":"app","version":"0.1.0","source":"local","root":true}, ...,
 *                  {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"}]}
 *
 * ("kind" is "runtime" when absent). Listed as Trivy lists them (its rust-binary parser over
 * rustaudit): every package of kind "runtime", the root crate (the program's own, "root":
 * true) included; build dependencies are not in the program and are left out.
 *
 * A file on disk is read where its ELF section headers say. A layer is a stream whose section
 * headers come after the section's bytes, so the section is found by its content instead: each
 * 0x78 byte (memchr) that starts a valid zlib header is test-inflated from at most CHECK bytes,
 * and is the section when what it inflates to begins {"packages":[ ; the rest is inflated as
 * it streams by. A file is searched for at most SHP_CARGO_MAX_SEARCH bytes and
 * SHP_CARGO_MAX_CANDIDATES candidates; the JSON inflates to at most SHP_CARGO_MAX_JSON.
 * semver order; OSV's "crates.io". */
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"
#include "slim/elf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Sanity limits: bytes the JSON inflates to; bytes of one program searched (a stream, or a
 * file without section headers) and zlib headers test-inflated there. */
#define SHP_CARGO_MAX_JSON (8u << 20)
#define SHP_CARGO_MAX_SEARCH (512ull << 20)
#define SHP_CARGO_MAX_CANDIDATES 65536u

/* Compressed bytes a candidate is decided from: a dynamic Huffman block's tables take at most
 * a few hundred, then the prefix's 13 literals. */
enum { CHECK = 1024 };

static const char prefix[] = "{\"packages\":[";
#define PREFIX_LEN (sizeof prefix - 1)

enum { C_SEARCH, C_INFLATE, C_FOUND, C_NONE };

struct cargo_stream {
	int state;
	uint64_t searched;
	unsigned candidates;
	unsigned char pend[2 * CHECK]; /* undecided bytes a block boundary cut */
	size_t plen;
	z_stream z; /* C_INFLATE: the section's inflation so far */
	char *out;
	size_t len, cap;
};

/* CMF 0x78 (deflate, 32 KiB window), FCHECK right, no preset dictionary. */
static int zlib_header(const unsigned char *p) { return p[0] == 0x78 && !(p[1] & 0x20) && (0x7800u + p[1]) % 31 == 0; }

/* A candidate at b (n bytes on): 1 when it inflates to the prefix, 0 when not, -1 when more
 * bytes would tell (n < CHECK). */
static int test(const unsigned char *b, size_t n)
{
	unsigned char out[PREFIX_LEN];
	z_stream z = {0};
	if (inflateInit(&z) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)b;
	z.avail_in = (uInt)(n < CHECK ? n : CHECK);
	z.next_out = out;
	z.avail_out = sizeof out;
	int rc = inflate(&z, Z_SYNC_FLUSH);
	size_t got = sizeof out - z.avail_out;
	inflateEnd(&z);
	if (memcmp(out, prefix, got))
		return 0;
	if (got == PREFIX_LEN)
		return 1;
	return rc == Z_BUF_ERROR || rc == Z_OK ? (n < CHECK ? -1 : 0) : 0;
}

/* Inflates n more bytes of the section; C_FOUND at its end, C_NONE when it is damaged or
 * inflates past the bound. */
static void more(struct cargo_stream *c, const unsigned char *p, size_t n)
{
	c->z.next_in = (unsigned char *)p;
	c->z.avail_in = (uInt)n;
	while (c->state == C_INFLATE && (c->z.avail_in || c->z.avail_out == 0)) {
		if (c->len == c->cap) {
			if (c->cap >= SHP_CARGO_MAX_JSON) {
				c->state = C_NONE;
				break;
			}
			c->cap = c->cap ? 2 * c->cap : 64 << 10;
			if (c->cap > SHP_CARGO_MAX_JSON)
				c->cap = SHP_CARGO_MAX_JSON;
			c->out = shp_xrealloc(c->out, c->cap);
		}
		c->z.next_out = (unsigned char *)c->out + c->len;
		c->z.avail_out = (uInt)(c->cap - c->len);
		int rc = inflate(&c->z, Z_NO_FLUSH);
		c->len = c->cap - c->z.avail_out;
		if (rc == Z_STREAM_END)
			c->state = C_FOUND;
		else if (rc != Z_OK && !(rc == Z_BUF_ERROR && !c->z.avail_in))
			c->state = C_NONE;
		else if (!c->z.avail_in && c->z.avail_out)
			break;
	}
}

/* Looks for the section in b[0, n): returns where the first undecided candidate starts (n
 * when none), or n once the section is found (its bytes in b inflated). */
static size_t scan(struct cargo_stream *c, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n;) {
		const unsigned char *x = memchr(b + i, 0x78, n - i);
		if (!x)
			return n;
		i = (size_t)(x - b);
		if (i + 1 >= n)
			return i;
		if (zlib_header(x)) {
			int t = test(x, n - i);
			if (t < 0)
				return i;
			if (t > 0) {
				if (inflateInit(&c->z) != Z_OK) {
					c->state = C_NONE;
					return n;
				}
				c->state = C_INFLATE;
				more(c, x, n - i);
				return n;
			}
			if (++c->candidates >= SHP_CARGO_MAX_CANDIDATES) {
				c->state = C_NONE;
				return n;
			}
		}
		i++;
	}
	return n;
}

static void cargo_init(void *state) { *(struct cargo_stream *)state = (struct cargo_stream){.state = C_SEARCH}; }

static int cargo_feed(void *state, const void *data, size_t n)
{
	struct cargo_stream *c = state;
	const unsigned char *p = data;
	while (n && c->state == C_SEARCH) {
		if (c->searched >= SHP_CARGO_MAX_SEARCH) {
			c->state = C_NONE;
			break;
		}
		if (!c->plen) {
			size_t u = scan(c, p, n);
			c->searched += n;
			if (c->state == C_SEARCH) { /* keep the undecided tail, less than CHECK bytes */
				memcpy(c->pend, p + u, n - u);
				c->plen = n - u;
			}
			return c->state != C_SEARCH && c->state != C_INFLATE;
		}
		/* a candidate the last block cut: join it to the start of this one */
		size_t old = c->plen, k = n < CHECK ? n : CHECK;
		memcpy(c->pend + old, p, k);
		c->plen += k;
		size_t u = scan(c, c->pend, c->plen);
		if (c->state != C_SEARCH) {
			c->searched += k;
			p += k;
			n -= k;
			break;
		}
		if (u >= old) { /* the old bytes decided: go on in this block from u */
			c->plen = 0;
			c->searched += u - old;
			p += u - old;
			n -= u - old;
			continue;
		}
		memmove(c->pend, c->pend + u, c->plen - u); /* all of this block taken, still undecided */
		c->plen -= u;
		c->searched += k;
		n -= k;
	}
	if (n && c->state == C_INFLATE)
		more(c, p, n);
	return c->state != C_SEARCH && c->state != C_INFLATE;
}

static const char *cargo_blob(void *state, size_t *len)
{
	struct cargo_stream *c = state;
	*len = c->state == C_FOUND ? c->len : 0;
	return c->state == C_FOUND ? c->out : NULL;
}

static void cargo_free(void *state)
{
	struct cargo_stream *c = state;
	if (c->z.state)
		inflateEnd(&c->z);
	free(c->out);
	*c = (struct cargo_stream){.state = C_NONE};
}

/* ---- a file read at will: ELF's section headers say where the section is -------------- */

/* Bytes [off, off + n) of the file through the stream reader; the JSON (malloc'd) or NULL. */
static char *stream_fd(int fd, uint64_t off, uint64_t n, size_t *len)
{
	enum { BLOCK = 256 << 10 };
	_cleanup_free_ unsigned char *buf = shp_xmalloc(BLOCK);
	struct cargo_stream *c = shp_xmalloc(sizeof *c);
	char *out = NULL;
	cargo_init(c);
	for (uint64_t end = off + n; off < end;) {
		size_t k = end - off < BLOCK ? (size_t)(end - off) : BLOCK;
		if (shp_pread_all(fd, buf, k, off) < 0 || cargo_feed(c, buf, k))
			break;
		off += k;
	}
	if (cargo_blob(c, len)) {
		out = c->out;
		c->out = NULL;
	}
	cargo_free(c);
	free(c);
	return out;
}

static char *cargo_read_fd(int fd, uint64_t size, size_t *len)
{
	struct shp_elf_fd f;
	uint64_t off, sz;
	*len = 0;
	if (shp_elf_fd_open(&f, fd, size) < 0)
		return NULL;
	int r = shp_elf_fd_section(&f, ".dep-v0", &off, &sz);
	if (r == SHP_ELF_NO_SECTIONS) /* by content, as a stream */
		return stream_fd(fd, 0, size, len);
	/* compressed, it is no larger than the bound on what it inflates to */
	if (r != 1 || sz > SHP_CARGO_MAX_JSON || sz < 2)
		return NULL;
	return stream_fd(fd, off, sz, len);
}

static const struct shp_prog_reader program = {
	.state_size = sizeof(struct cargo_stream),
	.init = cargo_init,
	.feed = cargo_feed,
	.blob = cargo_blob,
	.free = cargo_free,
	.read_fd = cargo_read_fd,
};

/* ---- the packages ----------------------------------------------------------------------- */

static int parse_dep(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err; /* a section that does not read lists nothing, as Trivy skips it */
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, data, len, NULL);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "packages"), *pkg;
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(pkg, list)
	{
		const char *name = shp_json_str(pkg, "name"), *ver = shp_json_str(pkg, "version");
		const char *kind = shp_json_str(pkg, "kind");
		if (!name || !ver || (kind && strcmp(kind, "runtime")))
			continue;
		shp_pkgs_add_lang(out, SHP_PKG_CARGO, path, name, strlen(name), ver, strlen(ver), NULL, 0);
	}
	return 0;
}

static const struct shp_pkg_reader readers[] = {
	{.id = "cargo-auditable", .parse = parse_dep, .program = &program, .counts_as = "programs"},
};

/* purl-spec: pkg:cargo/serde@1.0.188, the name as crates.io has it */
const struct shp_ecosystem shp_eco_cargo = {
	.type = "cargo",
	.title = "Rust crates",
	.purl_type = "cargo",
	.osv = "crates.io",
	.vercmp = shp_vercmp_semver,
	.readers = readers,
	.nreaders = SHP_ARRAY_LEN(readers),
};
