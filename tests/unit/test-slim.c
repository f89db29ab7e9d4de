/* test-slim.c - the ELF reader slim follows libraries with (real programs of this machine,
 * and files built here in both classes and byte orders, cut at every length), the tar
 * writer it writes layers with, sparse files too (read back by libarchive), and the user its
 * sandbox runs a command as (an image config's User over the image's passwd and group). */
#include "slim/elf.h"
#include "slim/sandbox.h"
#include "unit.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/tarw.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

/* A little ELF file: ELF header, two program headers (PT_LOAD over the whole file at address
 * 0x1000, PT_DYNAMIC), the dynamic section (NEEDED a, NEEDED b, RUNPATH, STRTAB, STRSZ, NULL)
 * and the string table. */
static size_t make_elf(unsigned char *b, int w, int be)
{
	memset(b, 0, 512);
	size_t eh = w == 8 ? 64 : 52, ph = w == 8 ? 56 : 32, phoff = eh, dyn = phoff + 2 * ph;
	size_t dynsz = 6 * 2 * (size_t)w, str = dyn + dynsz;
	static const char strs[] = "\0liba.so.1\0libb.so.2\0$ORIGIN/../lib\0";
	size_t total = str + sizeof strs;
#define PUT(off, v, n)                                                                                                 \
	for (int i_ = 0; i_ < (n); i_++)                                                                               \
		b[(off) + (size_t)(be ? (n)-1 - i_ : i_)] = (unsigned char)((uint64_t)(v) >> (8 * i_));
	memcpy(b, "\177ELF", 4);
	b[4] = w == 8 ? 2 : 1;
	b[5] = be ? 2 : 1;
	b[6] = 1;
	PUT(0x12, 62, 2);
	PUT(w == 8 ? 0x20 : 0x1c, phoff, w);
	PUT(w == 8 ? 0x36 : 0x2a, ph, 2);
	PUT(w == 8 ? 0x38 : 0x2c, 2, 2);
	for (int k = 0; k < 2; k++) {
		size_t p = phoff + (size_t)k * ph;
		uint64_t type = k == 0 ? 1 : 2, off = k == 0 ? 0 : dyn, va = 0x1000 + off, sz = k == 0 ? total : dynsz;
		PUT(p, type, 4);
		if (w == 8) {
			PUT(p + 8, off, 8);
			PUT(p + 16, va, 8);
			PUT(p + 32, sz, 8);
		} else {
			PUT(p + 4, off, 4);
			PUT(p + 8, va, 4);
			PUT(p + 16, sz, 4);
		}
	}
	uint64_t tags[6][2] = {{1, 1}, {1, 11}, {29, 21}, {5, 0x1000 + str}, {10, sizeof strs}, {0, 0}};
	for (int k = 0; k < 6; k++) {
		PUT(dyn + (size_t)k * 2 * (size_t)w, tags[k][0], w);
		PUT(dyn + (size_t)k * 2 * (size_t)w + (size_t)w, tags[k][1], w);
	}
#undef PUT
	memcpy(b + str, strs, sizeof strs);
	return total;
}

static void test_elf_built(void **st)
{
	(void)st;
	unsigned char b[512];
	for (int w = 4; w <= 8; w += 4)
		for (int be = 0; be < 2; be++) {
			size_t n = make_elf(b, w, be);
			struct shp_arena a = {0};
			struct shp_elf e;
			assert_int_equal(shp_elf_parse(b, n, &a, &e), 0);
			assert_int_equal(e.bits, w * 8);
			assert_int_equal(e.big_endian, be);
			assert_int_equal(e.machine, 62);
			assert_true(e.dynamic);
			assert_null(e.interp);
			assert_int_equal(e.nneeded, 2);
			assert_string_equal(e.needed[0], "liba.so.1");
			assert_string_equal(e.needed[1], "libb.so.2");
			assert_string_equal(e.runpath, "$ORIGIN/../lib");
			assert_null(e.rpath);
			uint64_t from, to; /* its one loadable segment is not executable */
			assert_int_equal(shp_elf_code_range(b, n, &from, &to), -1);
			/* cut anywhere: an answer or a refusal, never a read past the end (ASan) */
			for (size_t k = 0; k < n; k++) {
				unsigned char *cut = malloc(k ? k : 1);
				memcpy(cut, b, k);
				struct shp_elf c;
				shp_elf_parse(cut, k, &a, &c);
				shp_elf_code_range(cut, k, &from, &to);
				free(cut);
			}
			shp_arena_free(&a);
		}
	/* not ELF */
	struct shp_arena a = {0};
	struct shp_elf e;
	assert_int_equal(shp_elf_parse((const unsigned char *)"#!/bin/sh\n", 10, &a, &e), -1);
	shp_arena_free(&a);
}

static void test_elf_real(void **st)
{
	(void)st;
	/* this test program: a dynamic executable of this machine */
	char *data = NULL;
	size_t len = 0;
	struct shp_error *err = NULL;
	assert_int_equal(shp_read_file("/proc/self/exe", 256u << 20, &data, &len, &err), 0);
	struct shp_arena a = {0};
	struct shp_elf e;
	assert_int_equal(shp_elf_parse((const unsigned char *)data, len, &a, &e), 0);
	assert_non_null(e.interp);
	assert_true(strstr(e.interp, "ld-") != NULL);
	int libc = 0;
	for (size_t i = 0; i < e.nneeded; i++)
		libc |= !strncmp(e.needed[i], "libc.so", 7);
	assert_true(libc);
	/* linked as ld does by default here (-z separate-code): code apart from the strings */
	uint64_t from = 0, to = 0;
	assert_int_equal(shp_elf_code_range((const unsigned char *)data, len, &from, &to), 0);
	assert_true(from > 0 && from < to && to <= len);
	assert_null(memmem(data + from, (size_t)(to - from), "libc.so", 7));
	free(data);
	shp_arena_free(&a);
}

static int to_buf(void *arg, const void *p, size_t n)
{
	shp_buf_add(arg, p, n);
	return 0;
}

static void test_tar_writer(void **st)
{
	(void)st;
	struct shp_buf out = {0};
	struct shp_tarw w = {.write = to_buf, .arg = &out};
	char longp[400];
	memset(longp, 'd', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	for (int i = 50; i < 390; i += 50)
		longp[i] = '/';
	char split[200]; /* over 100 bytes, fits ustar's prefix and name */
	snprintf(split, sizeof split, "%0120d/file", 0);
	struct shp_tar_hdr h[] = {
		{.path = "etc/", .type = '5', .mode = 0755, .mtime = 1700000000},
		{.path = "etc/passwd", .type = '0', .mode = 0644, .size = 5, .uid = 3000000, .gid = 7, .uname = "u"},
		{.path = longp, .type = '0', .mode = 0600, .size = 0},
		{.path = split, .type = '2', .link = longp, .mode = 0777},
		{.path = "etc/hard", .type = '1', .link = "etc/passwd"},
	};
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
		assert_int_equal(shp_tarw_header(&w, &h[i]), 0);
		if (h[i].size)
			assert_int_equal(shp_tarw_data(&w, "root\n", 5), 0);
	}
	/* more data than the header said is refused */
	struct shp_tar_hdr one = {.path = "x", .type = '0', .size = 1};
	assert_int_equal(shp_tarw_header(&w, &one), 0);
	assert_int_equal(shp_tarw_data(&w, "ab", 2), -1);
	assert_int_equal(shp_tarw_finish(&w), -1); /* and an entry cut short */
	assert_int_equal(shp_tarw_data(&w, "a", 1), 0);
	assert_int_equal(shp_tarw_finish(&w), 0);
	assert_int_equal(out.len % 512, 0);

	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, out.data, out.len), ARCHIVE_OK);
	struct archive_entry *ae;
	size_t i = 0;
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		if (i < sizeof h / sizeof h[0]) {
			assert_string_equal(archive_entry_pathname(ae), h[i].path);
			if (h[i].type == '2')
				assert_string_equal(archive_entry_symlink(ae), longp);
			if (h[i].type == '1')
				assert_string_equal(archive_entry_hardlink(ae), "etc/passwd");
			if (i == 1) {
				assert_int_equal(archive_entry_uid(ae), 3000000);
				assert_int_equal(archive_entry_gid(ae), 7);
				assert_string_equal(archive_entry_uname(ae), "u");
				char d[8] = {0};
				assert_int_equal(archive_read_data(a, d, sizeof d), 5);
				assert_string_equal(d, "root\n");
			}
			if (i == 0)
				assert_int_equal(archive_entry_mtime(ae), 1700000000);
		}
		i++;
	}
	assert_int_equal(i, sizeof h / sizeof h[0] + 1);
	archive_read_free(a);
	shp_buf_free(&out);
}

static void test_tar_writer_sparse(void **st)
{
	(void)st;
	/* a 10 GiB file (its size needs a pax record) with 3 bytes at 4096, 2 at 1 MiB, and a
	 * long name; then an all-hole file and a plain one after them */
	struct shp_buf out = {0};
	struct shp_tarw w = {.write = to_buf, .arg = &out};
	char longp[300];
	memset(longp, 'p', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	memcpy(longp, "var/log/", 8);
	const struct shp_tar_region map[] = {{4096, 3}, {1 << 20, 2}, {10ull << 30, 0}};
	struct shp_tar_hdr h = {.path = longp, .type = '0', .mode = 0644, .size = 10ull << 30};
	assert_int_equal(shp_tarw_sparse_header(&w, &h, map, 3), 0);
	assert_int_equal(shp_tarw_data(&w, "abc", 3), 0);
	assert_int_equal(shp_tarw_data(&w, "de", 2), 0);
	const struct shp_tar_region none[] = {{4096, 0}};
	struct shp_tar_hdr z = {.path = "zeros", .type = '0', .mode = 0600, .size = 4096};
	assert_int_equal(shp_tarw_sparse_header(&w, &z, none, 1), 0);
	struct shp_tar_hdr f = {.path = "f", .type = '0', .mode = 0600, .size = 1};
	assert_int_equal(shp_tarw_header(&w, &f), 0);
	assert_int_equal(shp_tarw_data(&w, "x", 1), 0);
	assert_int_equal(shp_tarw_finish(&w), 0);
	assert_true(out.len < 8192);

	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, out.data, out.len), ARCHIVE_OK);
	struct archive_entry *ae;
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(ae), longp);
	assert_int_equal(archive_entry_size(ae), 10ll << 30);
	const void *p;
	size_t n;
	la_int64_t off;
	assert_int_equal(archive_read_data_block(a, &p, &n, &off), ARCHIVE_OK);
	assert_int_equal(off, 4096);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 3);
	assert_int_equal(archive_read_data_block(a, &p, &n, &off), ARCHIVE_OK);
	assert_int_equal(off, 1 << 20);
	assert_memory_equal(p, "de", 2);
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(ae), "zeros");
	assert_int_equal(archive_entry_size(ae), 4096);
	/* no data: only the hole to the end (libarchive gives the end's offset) */
	assert_int_equal(archive_read_data_block(a, &p, &n, &off), ARCHIVE_EOF);
	assert_int_equal(off, 4096);
	char buf[16];
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(ae), "f");
	assert_int_equal(archive_read_data(a, buf, sizeof buf), 1);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_EOF);
	archive_read_free(a);
	shp_buf_free(&out);
}

static void test_sandbox_user(void **state)
{
	(void)state;
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
				     "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
				     "app:x:1000:1000::/app:/bin/sh\n"
				     "broken:x:notanumber:1\n"
				     "huge:x:99999999999:1\n"
				     "short";
	static const char group[] = "root:x:0:\nwww-data:x:33:\napp:x:1000:\nssl-cert:x:110:app,other\n"
				    "docker:x:999:otherapp\nbad:x:x:app";
	struct shp_sandbox_ident id;
	char why[256];
	/* unset is root; a name by passwd, with its group and the groups listing it (not a
	 * member whose name only starts with it, not a group whose ID is no number) */
	assert_int_equal(shp_sandbox_user(NULL, passwd, group, &id, why, sizeof why), 0);
	assert_int_equal(id.uid, 0);
	assert_string_equal(id.name, "root");
	assert_int_equal(shp_sandbox_user("app", passwd, group, &id, why, sizeof why), 0);
	assert_int_equal(id.uid, 1000);
	assert_int_equal(id.gid, 1000);
	assert_int_equal(id.ngroups, 2);
	assert_int_equal(id.groups[1], 110);
	/* a number is taken as it is, with its line's group when it has one */
	assert_int_equal(shp_sandbox_user("33", passwd, group, &id, why, sizeof why), 0);
	assert_int_equal(id.uid, 33);
	assert_int_equal(id.gid, 33);
	assert_string_equal(id.name, "www-data");
	assert_int_equal(shp_sandbox_user("4242:77", passwd, group, &id, why, sizeof why), 0);
	assert_int_equal(id.uid, 4242);
	assert_int_equal(id.gid, 77);
	assert_string_equal(id.name, "");
	assert_int_equal(shp_sandbox_user("www-data:ssl-cert", passwd, group, &id, why, sizeof why), 0);
	assert_int_equal(id.gid, 110);
	/* what is not there, or no ID */
	assert_int_equal(shp_sandbox_user("nobody", passwd, group, &id, why, sizeof why), -1);
	assert_string_equal(why, "the user nobody is not in the image's /etc/passwd");
	assert_int_equal(shp_sandbox_user("app:wheel", passwd, group, &id, why, sizeof why), -1);
	assert_string_equal(why, "the group wheel is not in the image's /etc/group");
	assert_int_equal(shp_sandbox_user("broken", passwd, group, &id, why, sizeof why), -1);
	assert_int_equal(shp_sandbox_user("huge", passwd, group, &id, why, sizeof why), -1);
	assert_int_equal(shp_sandbox_user("99999999999", passwd, group, &id, why, sizeof why), -1);
	assert_int_equal(shp_sandbox_user("short", passwd, group, &id, why, sizeof why), -1);
	/* no files: numbers only */
	assert_int_equal(shp_sandbox_user("0:0", "", "", &id, why, sizeof why), 0);
	assert_int_equal(shp_sandbox_user("app", "", "", &id, why, sizeof why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_built),    cmocka_unit_test(test_elf_real),
		cmocka_unit_test(test_tar_writer),   cmocka_unit_test(test_tar_writer_sparse),
		cmocka_unit_test(test_sandbox_user),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
