/* test-zip.c - the zip reader (util/zip.h) on zips made at test time by Python's zipfile and
 * Info-ZIP's zip, and on those zips altered byte by byte into what no tool writes: an
 * entry count the directory cannot hold, two entries sharing data, a wrong CRC or size, a
 * local header that disagrees, a truncated file. */
#include "unit.h"
#include "util/cleanup.h"
#include "util/zip.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[64];
static int have_zip; /* Info-ZIP's zip is installed */

/* Every zip the tests read, written once. many.zip holds more entries than a 16-bit count
 * can say, so Python writes zip64 end records. */
static const char make_zips[] =
	"import os, sys, warnings, zipfile\n"
	"warnings.simplefilter('ignore')\n"
	"os.chdir(sys.argv[1])\n"
	"with zipfile.ZipFile('small.zip', 'w') as z:\n"
	"    z.writestr(zipfile.ZipInfo('dir/'), b'')\n"
	"    z.writestr('dir/a.json', b'{\"id\": \"A\"}' * 50, compress_type=zipfile.ZIP_DEFLATED)\n"
	"    z.writestr('b.txt', b'stored bytes', compress_type=zipfile.ZIP_STORED)\n"
	"    z.writestr('empty.json', b'', compress_type=zipfile.ZIP_DEFLATED)\n"
	"with zipfile.ZipFile('twice.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n"
	"    z.writestr('a.json', b'{\"id\": \"A\"}' * 20)\n"
	"    z.writestr('a.json', b'{\"id\": \"A\"}' * 20)\n"
	"with zipfile.ZipFile('bzip2.zip', 'w', zipfile.ZIP_BZIP2) as z:\n"
	"    z.writestr('a.json', b'{}')\n"
	"with zipfile.ZipFile('comment.zip', 'w') as z:\n"
	"    z.writestr('a.json', b'{}')\n"
	"    z.comment = b'a comment holding PK\\x05\\x06 as if it were the end record'\n"
	/* an entry with zip64 sizes in both headers, written byte by byte: Python's zipfile
	 * writes them in the local header in some versions only */
	"import struct, zlib\n"
	"data = b'[' + b'0,' * 1000 + b'0]'\n"
	"c = zlib.compressobj(9, zlib.DEFLATED, -15)\n"
	"packed = c.compress(data) + c.flush()\n"
	"crc, name = zlib.crc32(data), b'big.json'\n"
	"x64 = struct.pack('<HHQQ', 1, 16, len(data), len(packed))\n"
	"local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, 8, 0, 0x21, crc, 0xffffffff,\n"
	"    0xffffffff, len(name), len(x64)) + name + x64 + packed\n"
	"cent = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, 8, 0, 0x21, crc, 0xffffffff,\n"
	"    0xffffffff, len(name), len(x64), 0, 0, 0, 0, 0) + name + x64\n"
	"end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(cent), len(local), 0)\n"
	"open('forced64.zip', 'wb').write(local + cent + end)\n"
	"with zipfile.ZipFile('many.zip', 'w', zipfile.ZIP_STORED) as z:\n"
	"    for i in range(70000):\n"
	"        z.writestr('%05d' % i, str(i))\n";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test-zip-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "python3 - '%s'", dir);
	FILE *p = popen(cmd, "w");
	if (!p || fputs(make_zips, p) < 0 || pclose(p) != 0)
		return -1;
	have_zip = system("command -v zip >/dev/null") == 0;
	if (!have_zip)
		return 0;
	/* zip stores small files, deflates larger ones; into a pipe it cannot seek back to the
	 * local header, so it writes sizes and CRC in a data descriptor after the data */
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && echo '{\"id\":\"X\"}' > f.json && python3 -c \"print('{\\\"id\\\":1}' * 200)\" > g.json"
		 " && zip -q tool.zip f.json g.json && zip -q - f.json g.json | cat > piped.zip"
		 " && zip -q -P secret encrypted.zip f.json && ln -s f.json link.json && zip -q -y link.zip f.json"
		 " link.json",
		 dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static unsigned char *load(const char *name, size_t *len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *d = malloc(*len ? *len : 1);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, *len, f), *len);
	fclose(f);
	return d;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* In a zip with no comment and no zip64 records: the end record, the i-th central header,
 * and the local header it points to. */
static unsigned char *end_record(unsigned char *d, size_t len) { return d + len - 22; }
static unsigned char *central(unsigned char *d, size_t len, unsigned i)
{
	unsigned char *c = d + get32(end_record(d, len) + 16);
	for (; i; i--)
		c += 46 + (c[28] | c[29] << 8) + (c[30] | c[31] << 8) + (c[32] | c[33] << 8);
	assert_int_equal(get32(c), 0x02014b50);
	return c;
}
static unsigned char *local_of(unsigned char *d, const unsigned char *c) { return d + get32(c + 42); }

/* Opens and reads every entry, as a caller would: NULL when all is well, else the error's
 * message (caller frees). */
static char *walk(const unsigned char *d, size_t len, const char *path, uint64_t max, size_t *entries)
{
	struct shp_zip z;
	struct shp_error *err = NULL;
	size_t n = 0;
	if (shp_zip_open(&z, d, len, path, max, &err) == 0) {
		struct shp_zip_iter it = {0};
		struct shp_zip_entry e;
		struct shp_zip_inflater *inf = shp_zip_inflater_new();
		while (shp_zip_next(&z, &it, &e, &err) == 1) {
			_cleanup_free_ void *out = malloc(e.size + 1);
			if (shp_zip_read(&z, &e, out, inf, &err) < 0)
				break;
			n++;
		}
		shp_zip_inflater_free(inf);
	}
	if (entries)
		*entries = n;
	if (!err)
		return NULL;
	assert_int_equal(err->code, SHP_EXIT_INPUT);
	char *msg = strdup(err->msg);
	shp_error_free(err);
	return msg;
}

/* walk() must fail with a message holding each of the words */
#define assert_walk_fails(d, len, max, ...)                                                                            \
	do {                                                                                                           \
		_cleanup_free_ char *msg_ = walk(d, len, "x.zip", max, NULL);                                          \
		if (!msg_)                                                                                             \
			fail_msg("%s:%d: the zip was read", __FILE__, __LINE__);                                       \
		const char *words[] = {__VA_ARGS__};                                                                   \
		for (size_t w = 0; w < SHP_ARRAY_LEN(words); w++)                                                      \
			if (!strstr(msg_, words[w]))                                                                   \
				fail_msg("%s:%d: \"%s\" not in \"%s\"", __FILE__, __LINE__, words[w], msg_);           \
	} while (0)

static void test_small(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	struct shp_zip z;
	struct shp_error *err = NULL;
	assert_int_equal(shp_zip_open(&z, d, len, "small.zip", 0, &err), 0);
	assert_int_equal(z.count, 4);
	assert_int_equal(z.max_entry, SHP_ZIP_MAX_ENTRY);
	static const struct {
		const char *name;
		uint64_t size;
		uint16_t method;
		int is_dir;
	} want[] = {{"dir/", 0, 0, 1}, {"dir/a.json", 550, 8, 0}, {"b.txt", 12, 0, 0}, {"empty.json", 0, 8, 0}};
	struct shp_zip_iter it = {0};
	struct shp_zip_entry e;
	for (size_t i = 0; i < SHP_ARRAY_LEN(want); i++) {
		assert_int_equal(shp_zip_next(&z, &it, &e, &err), 1);
		assert_int_equal(e.name_len, strlen(want[i].name));
		assert_memory_equal(e.name, want[i].name, e.name_len);
		assert_int_equal(e.index, i);
		assert_int_equal(e.size, want[i].size);
		assert_int_equal(e.method, want[i].method);
		assert_int_equal(e.is_dir, want[i].is_dir);
		char out[600];
		/* no inflater given: the read makes one for itself */
		assert_int_equal(shp_zip_read(&z, &e, out, NULL, &err), 0);
		if (i == 1)
			for (size_t k = 0; k < 550; k += 11)
				assert_memory_equal(out + k, "{\"id\": \"A\"}", 11);
		if (i == 2)
			assert_memory_equal(out, "stored bytes", 12);
		/* Python says the permissions of what it writes from bytes, not their type */
		if (i == 1)
			assert_int_equal(e.mode, 0600);
	}
	assert_int_equal(shp_zip_next(&z, &it, &e, &err), 0);
	assert_null(err);
}

/* Info-ZIP's extra fields (times, uid), stored and deflated entries, and the data
 * descriptors it writes into a pipe */
static void test_info_zip(void **state)
{
	(void)state;
	if (!have_zip)
		skip();
	const char *names[] = {"tool.zip", "piped.zip"};
	for (size_t i = 0; i < SHP_ARRAY_LEN(names); i++) {
		size_t len, n;
		_cleanup_free_ unsigned char *d = load(names[i], &len);
		_cleanup_free_ char *m = walk(d, len, names[i], 0, &n);
		if (m)
			fail_msg("%s", m);
		assert_int_equal(n, 2);
		unsigned flags = local_of(d, central(d, len, 1))[6];
		assert_int_equal(flags & 8, i == 1 ? 8 : 0);
	}
}

/* the type and permissions Info-ZIP keeps: a symbolic link stored as one is told apart */
static void test_mode(void **state)
{
	(void)state;
	if (!have_zip)
		skip();
	size_t len;
	_cleanup_free_ unsigned char *d = load("link.zip", &len);
	struct shp_zip z;
	struct shp_error *err = NULL;
	assert_int_equal(shp_zip_open(&z, d, len, "link.zip", 0, &err), 0);
	struct shp_zip_iter it = {0};
	struct shp_zip_entry e;
	assert_int_equal(shp_zip_next(&z, &it, &e, &err), 1);
	assert_true(S_ISREG(e.mode));
	assert_int_equal(shp_zip_next(&z, &it, &e, &err), 1);
	assert_true(S_ISLNK(e.mode));
	char target[16];
	assert_int_equal(e.size, 6);
	assert_int_equal(shp_zip_read(&z, &e, target, NULL, &err), 0);
	assert_memory_equal(target, "f.json", 6);
	assert_int_equal(shp_zip_next(&z, &it, &e, &err), 0);
}

static void test_zip64(void **state)
{
	(void)state;
	size_t len, n;
	_cleanup_free_ unsigned char *d = load("many.zip", &len);
	/* the 16-bit count says "see the zip64 record" */
	assert_int_equal(d[len - 12] | d[len - 11] << 8, 0xffff);
	struct shp_zip z;
	struct shp_error *err = NULL;
	assert_int_equal(shp_zip_open(&z, d, len, "many.zip", 0, &err), 0);
	assert_int_equal(z.count, 70000);
	struct shp_zip_iter it = {0};
	struct shp_zip_entry e;
	for (unsigned i = 0; shp_zip_next(&z, &it, &e, &err) == 1; i++) {
		char want[16], got[16] = "";
		snprintf(want, sizeof want, "%05u", i);
		assert_int_equal(e.name_len, 5);
		assert_memory_equal(e.name, want, 5);
		assert_int_equal(shp_zip_read(&z, &e, got, NULL, &err), 0);
		snprintf(want, sizeof want, "%u", i);
		assert_int_equal(e.size, strlen(want));
		assert_memory_equal(got, want, e.size);
	}
	assert_null(err);
	assert_int_equal(it.index, 70000);

	/* an entry whose local header has zip64 sizes (0xffffffff and the extra field) */
	_cleanup_free_ unsigned char *f = load("forced64.zip", &len);
	_cleanup_free_ char *m = walk(f, len, "forced64.zip", 0, &n);
	assert_null(m);
	assert_int_equal(n, 1);
	assert_int_equal(get32(local_of(f, central(f, len, 0)) + 22), 0xffffffffu);
}

static void test_comment(void **state)
{
	(void)state;
	size_t len, n;
	_cleanup_free_ unsigned char *d = load("comment.zip", &len);
	_cleanup_free_ char *m = walk(d, len, "comment.zip", 0, &n);
	assert_null(m);
	assert_int_equal(n, 1);
	/* the comment cut short: its length no longer reaches the end, and the signature
	 * inside it is not taken for the record */
	assert_walk_fails(d, len - 1, 0, "x.zip: not a zip file, or truncated: no end of central directory record");
}

static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	for (size_t cut = 0; cut < len; cut++) {
		_cleanup_free_ char *m = walk(d, cut, "x.zip", 0, NULL);
		if (!m)
			fail_msg("cut at %zu of %zu bytes, the zip was read", cut, len);
	}
	/* a file cut before its central directory, its end record kept */
	unsigned char cut[62];
	memcpy(cut, d, 40);
	memcpy(cut + 40, d + len - 22, 22);
	assert_walk_fails(cut, sizeof cut, 0, "x.zip: truncated or corrupt: its central directory");
}

static void test_encrypted(void **state)
{
	(void)state;
	size_t len;
	if (have_zip) {
		_cleanup_free_ unsigned char *d = load("encrypted.zip", &len);
		assert_walk_fails(d, len, 0, "x.zip: f.json: it is encrypted, which is not supported");
	}
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *c = central(d, len, 2);
	c[8] |= 1;
	local_of(d, c)[6] |= 1;
	assert_walk_fails(d, len, 0, "x.zip: b.txt: it is encrypted");
	/* said by the local header alone */
	c[8] &= (unsigned char)~1;
	assert_walk_fails(d, len, 0, "x.zip: b.txt: it is encrypted (as its local header says)");
}

static void test_method(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("bzip2.zip", &len);
	assert_walk_fails(d, len, 0, "x.zip: a.json: compression method 12 is not supported");
}

/* The "better zip bomb": several central entries pointing at one local header */
static void test_overlap(void **state)
{
	(void)state;
	size_t len, n;
	_cleanup_free_ unsigned char *d = load("twice.zip", &len);
	_cleanup_free_ char *m = walk(d, len, "twice.zip", 0, &n);
	assert_null(m);
	assert_int_equal(n, 2);
	put32(central(d, len, 1) + 42, 0);
	assert_walk_fails(d, len, 0, "x.zip: a.json: ", "overlaps the previous entry");
	/* into the middle of the first entry's data: no local header there */
	put32(central(d, len, 1) + 42, 40);
	assert_walk_fails(d, len, 0, "overlaps");
}

static void test_crc(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *c = central(d, len, 1);
	uint32_t crc = get32(c + 16) ^ 1;
	put32(c + 16, crc);
	assert_walk_fails(d, len, 0, "x.zip: dir/a.json: its local header disagrees", "CRC");
	put32(local_of(d, c) + 14, crc);
	assert_walk_fails(d, len, 0, "x.zip: dir/a.json: CRC-32 mismatch");
	/* a stored entry too */
	_cleanup_free_ unsigned char *s = load("small.zip", &len);
	c = central(s, len, 2);
	put32(c + 16, 0);
	put32(local_of(s, c) + 14, 0);
	assert_walk_fails(s, len, 0, "x.zip: b.txt: CRC-32 mismatch");
}

/* Sizes in both headers that the data does not give */
static void test_sizes(void **state)
{
	(void)state;
	size_t len;
	for (int delta = -1; delta <= 1; delta += 2) {
		_cleanup_free_ unsigned char *d = load("small.zip", &len);
		unsigned char *c = central(d, len, 1);
		uint32_t size = get32(c + 24) + (uint32_t)delta;
		put32(c + 24, size);
		put32(local_of(d, c) + 22, size);
		if (delta > 0)
			assert_walk_fails(d, len, 0, "x.zip: dir/a.json: it inflates to 550 bytes, not the 551");
		else
			assert_walk_fails(d, len, 0, "x.zip: dir/a.json: it inflates to more bytes than");
	}
	/* more than any deflate stream of that length can give: refused before anything is
	 * allocated for it */
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *c = central(d, len, 1);
	uint32_t size = get32(c + 20) * 2000;
	put32(c + 24, size);
	put32(local_of(d, c) + 22, size);
	assert_walk_fails(d, len, 0, "x.zip: dir/a.json: claims", "more than deflate can give");
	/* stored, with two sizes */
	_cleanup_free_ unsigned char *s = load("small.zip", &len);
	c = central(s, len, 2);
	put32(c + 24, 13);
	assert_walk_fails(s, len, 0, "x.zip: b.txt: stored, yet 13 bytes long uncompressed and 12");
	/* over the caller's limit */
	_cleanup_free_ unsigned char *l = load("small.zip", &len);
	assert_walk_fails(l, len, 100, "x.zip: dir/a.json: 550 bytes uncompressed, more than the 100");
}

static void test_count(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *end = end_record(d, len);
	/* more entries than the directory's bytes can hold */
	put16(end + 8, 1000);
	put16(end + 10, 1000);
	assert_walk_fails(d, len, 0, "x.zip: its end record claims 1000 entries");
	/* one more than there are */
	put16(end + 8, 5);
	put16(end + 10, 5);
	assert_walk_fails(d, len, 0, "x.zip: its end record claims 5 entries");
	/* fewer: the directory holds entries the count hides */
	put16(end + 8, 3);
	put16(end + 10, 3);
	assert_walk_fails(d, len, 0, "x.zip: its central directory holds", "bytes more than the 3 entries");
	/* several disks */
	put16(end + 8, 4);
	put16(end + 10, 4);
	put16(end + 4, 1);
	assert_walk_fails(d, len, 0, "x.zip: spans several disks");
	put16(end + 4, 0);
	/* an entry that is not one */
	central(d, len, 2)[0] = 'X';
	assert_walk_fails(d, len, 0, "x.zip: its central directory is corrupt: no entry 2 at offset");
	/* the directory's offset past the end */
	put32(end + 16, (uint32_t)len);
	assert_walk_fails(d, len, 0, "x.zip: truncated or corrupt");
}

static void test_local_header(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *c = central(d, len, 2);
	unsigned char *l = local_of(d, c);
	l[30] = 'c';
	assert_walk_fails(d, len, 0, "x.zip: b.txt: its local header", "names another entry");
	l[30] = 'b';
	put16(l + 8, 8);
	assert_walk_fails(d, len, 0,
			  "x.zip: b.txt: its local header says compression method 8, the central "
			  "directory 0");
	put16(l + 8, 0);
	/* past the end, and into the central directory */
	put32(c + 42, 0xfffffff0u);
	assert_walk_fails(d, len, 0, "x.zip: b.txt: no local header at offset 4294967280");
	put32(c + 42, get32(end_record(d, len) + 16));
	assert_walk_fails(d, len, 0, "x.zip: b.txt: no local header");
	/* its data running into the central directory */
	_cleanup_free_ unsigned char *s = load("small.zip", &len);
	c = central(s, len, 2);
	put32(c + 20, 5000);
	put32(c + 24, 5000);
	put32(local_of(s, c) + 18, 5000);
	put32(local_of(s, c) + 22, 5000);
	assert_walk_fails(s, len, 0, "x.zip: b.txt: its 5000 compressed bytes", "run into the central directory");
}

static void test_bad_deflate(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	unsigned char *c = central(d, len, 1);
	unsigned char *l = local_of(d, c);
	unsigned char *data = l + 30 + (l[26] | l[27] << 8) + (l[28] | l[29] << 8);
	memset(data, 0xff, get32(c + 20));
	assert_walk_fails(d, len, 0, "x.zip: dir/a.json: its compressed data");
	/* cut short: the stream's end is not in the entry's bytes */
	_cleanup_free_ unsigned char *s = load("small.zip", &len);
	c = central(s, len, 1);
	uint32_t csize = get32(c + 20) - 3;
	put32(c + 20, csize);
	put32(local_of(s, c) + 18, csize);
	assert_walk_fails(s, len, 0,
			  "x.zip: dir/a.json: its compressed data is not deflate, or ends before the "
			  "deflate stream does");
}

/* Entries read by several threads at once from one zip, each with its inflater */
struct reader {
	const struct shp_zip *z;
	int failed;
	size_t read;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;
	struct shp_zip_inflater *inf = shp_zip_inflater_new();
	struct shp_zip_iter it = {0};
	struct shp_zip_entry e;
	struct shp_error *err = NULL;
	char out[600];
	for (int round = 0; round < 200; round++) {
		it = (struct shp_zip_iter){0};
		while (shp_zip_next(r->z, &it, &e, &err) == 1) {
			if (shp_zip_read(r->z, &e, out, inf, &err) < 0)
				r->failed = 1;
			r->read++;
		}
	}
	r->failed |= err != NULL;
	shp_error_free(err);
	shp_zip_inflater_free(inf);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ unsigned char *d = load("small.zip", &len);
	struct shp_zip z;
	struct shp_error *err = NULL;
	assert_int_equal(shp_zip_open(&z, d, len, "small.zip", 0, &err), 0);
	pthread_t t[4];
	struct reader r[4] = {{.z = &z}, {.z = &z}, {.z = &z}, {.z = &z}};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, read_all, &r[i]), 0);
	for (size_t i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_false(r[i].failed);
		assert_int_equal(r[i].read, 800);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),	     cmocka_unit_test(test_info_zip),
		cmocka_unit_test(test_mode),	     cmocka_unit_test(test_zip64),
		cmocka_unit_test(test_comment),	     cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_encrypted),    cmocka_unit_test(test_method),
		cmocka_unit_test(test_overlap),	     cmocka_unit_test(test_crc),
		cmocka_unit_test(test_sizes),	     cmocka_unit_test(test_count),
		cmocka_unit_test(test_local_header), cmocka_unit_test(test_bad_deflate),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
