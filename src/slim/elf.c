/* elf.c - the dynamic section of an ELF file: program headers, PT_INTERP, and the
 * DT_NEEDED, DT_RUNPATH and DT_RPATH strings found through DT_STRTAB (an address, mapped
 * to a file offset by the PT_LOAD segments). Both classes and both byte orders. */
#include "slim/elf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3 };
enum { DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10, DT_RPATH = 15, DT_RUNPATH = 29 };

struct elf_file {
	const unsigned char *b;
	size_t len;
	int w; /* word size: 4 or 8 */
	int be;
};

static uint64_t get(const struct elf_file *f, uint64_t off, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)f->b[off + (uint64_t)(f->be ? n - 1 - i : i)] << (8 * i);
	return v;
}

/* True if [off, off + n) lies inside the file. */
static int inside(const struct elf_file *f, uint64_t off, uint64_t n) { return off <= f->len && n <= f->len - off; }

int shp_elf_magic(const void *p, size_t n) { return n >= 4 && !memcmp(p, "\177ELF", 4); }

struct phdr {
	uint32_t type, flags;
	uint64_t off, vaddr, filesz;
};

static void read_phdr(const struct elf_file *f, uint64_t at, struct phdr *p)
{
	p->type = (uint32_t)get(f, at, 4);
	if (f->w == 8) {
		p->flags = (uint32_t)get(f, at + 4, 4);
		p->off = get(f, at + 8, 8);
		p->vaddr = get(f, at + 16, 8);
		p->filesz = get(f, at + 32, 8);
	} else {
		p->off = get(f, at + 4, 4);
		p->vaddr = get(f, at + 8, 4);
		p->filesz = get(f, at + 16, 4);
		p->flags = (uint32_t)get(f, at + 24, 4);
	}
}

/* The file offset of virtual address va, through the PT_LOAD segment holding it. */
static int va_to_off(const struct elf_file *f, const struct phdr *ph, size_t n, uint64_t va, uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (ph[i].type == PT_LOAD && va >= ph[i].vaddr && va - ph[i].vaddr < ph[i].filesz) {
			*off = ph[i].off + (va - ph[i].vaddr);
			return inside(f, *off, 1) ? 0 : -1;
		}
	return -1;
}

/* The NUL-terminated string at index i of the string table [str, str + strsz). */
static const char *str_at(const struct elf_file *f, uint64_t str, uint64_t strsz, uint64_t i, struct shp_arena *a)
{
	if (i >= strsz)
		return NULL;
	const unsigned char *s = f->b + str + i, *e = memchr(s, 0, (size_t)(strsz - i));
	return e ? shp_arena_strndup(a, (const char *)s, (size_t)(e - s)) : NULL;
}

/* The header of the ELF file in buf[0..len): its class, byte order and program headers,
 * all of which lie inside buf. 0, or -1 if the bytes are not ELF or its headers lie outside. */
static int open_elf(const unsigned char *buf, size_t len, struct elf_file *f, uint64_t *phoff, unsigned *phentsize,
		    unsigned *phnum)
{
	if (len < 52 || !shp_elf_magic(buf, len) || (buf[4] != 1 && buf[4] != 2) || (buf[5] != 1 && buf[5] != 2))
		return -1;
	*f = (struct elf_file){.b = buf, .len = len, .w = buf[4] == 2 ? 8 : 4, .be = buf[5] == 2};
	if (f->w == 8 && len < 64)
		return -1;
	*phoff = get(f, f->w == 8 ? 0x20 : 0x1c, f->w);
	*phentsize = (unsigned)get(f, f->w == 8 ? 0x36 : 0x2a, 2);
	*phnum = (unsigned)get(f, f->w == 8 ? 0x38 : 0x2c, 2);
	return *phentsize < (f->w == 8 ? 56u : 32u) || *phnum > SHP_ELF_MAX_PHDRS ||
			       !inside(f, *phoff, (uint64_t)*phnum * *phentsize)
		       ? -1
		       : 0;
}

int shp_elf_code_range(const unsigned char *buf, size_t len, uint64_t *start, uint64_t *end)
{
	enum { PF_X = 1, PF_W = 2 };
	struct elf_file f;
	uint64_t phoff;
	unsigned phentsize, phnum;
	if (open_elf(buf, len, &f, &phoff, &phentsize, &phnum) < 0)
		return -1;
	int code = 0, rodata = 0;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr p;
		read_phdr(&f, phoff + (uint64_t)i * phentsize, &p);
		if (p.type != PT_LOAD)
			continue;
		if (p.flags & PF_X) {
			if (code++) /* more than one: not the layout this knows */
				return -1;
			*start = p.off;
			*end = p.off + p.filesz < p.off ? UINT64_MAX : p.off + p.filesz;
		} else if (!(p.flags & PF_W))
			rodata = 1;
	}
	return code && rodata && *end > *start ? 0 : -1;
}

int shp_elf_parse(const unsigned char *buf, size_t len, struct shp_arena *arena, struct shp_elf *out)
{
	*out = (struct shp_elf){0};
	struct elf_file f;
	uint64_t phoff;
	unsigned phentsize, phnum;
	if (open_elf(buf, len, &f, &phoff, &phentsize, &phnum) < 0)
		return -1;
	struct shp_elf e = {.bits = f.w * 8, .big_endian = f.be, .machine = (unsigned)get(&f, 0x12, 2)};
	struct phdr *ph = shp_xcalloc(phnum + 1, sizeof *ph);
	const struct phdr *dyn = NULL;
	int rc = -1;
	for (unsigned i = 0; i < phnum; i++) {
		read_phdr(&f, phoff + (uint64_t)i * phentsize, &ph[i]);
		if (ph[i].type == PT_INTERP) {
			if (!inside(&f, ph[i].off, ph[i].filesz) || !ph[i].filesz)
				goto out;
			const char *s = (const char *)buf + ph[i].off;
			e.interp = shp_arena_strndup(arena, s, strnlen(s, (size_t)ph[i].filesz));
		} else if (ph[i].type == PT_DYNAMIC && !dyn)
			dyn = &ph[i];
	}
	if (dyn) {
		e.dynamic = 1;
		uint64_t ent = (uint64_t)f.w * 2, count = dyn->filesz / ent;
		if (!inside(&f, dyn->off, count * ent))
			goto out;
		uint64_t strtab = 0, strsz = 0, runpath = UINT64_MAX, rpath = UINT64_MAX;
		size_t nneeded = 0;
		for (uint64_t i = 0; i < count; i++) {
			uint64_t tag = get(&f, dyn->off + i * ent, f.w),
				 val = get(&f, dyn->off + i * ent + (uint64_t)f.w, f.w);
			if (tag == DT_NULL)
				break;
			if (tag == DT_STRTAB)
				strtab = val;
			else if (tag == DT_STRSZ)
				strsz = val;
			else if (tag == DT_NEEDED)
				nneeded++;
			else if (tag == DT_RUNPATH)
				runpath = val;
			else if (tag == DT_RPATH)
				rpath = val;
		}
		uint64_t str;
		if (nneeded > SHP_ELF_MAX_NEEDED)
			goto out;
		if (nneeded || runpath != UINT64_MAX || rpath != UINT64_MAX) {
			if (va_to_off(&f, ph, phnum, strtab, &str) < 0)
				goto out;
			if (strsz > len - str)
				strsz = len - str; /* a table cut short by the file's end still has its first names */
			e.needed = shp_arena_alloc(arena, (nneeded + 1) * sizeof *e.needed);
			for (uint64_t i = 0; i < count; i++) {
				uint64_t tag = get(&f, dyn->off + i * ent, f.w),
					 val = get(&f, dyn->off + i * ent + (uint64_t)f.w, f.w);
				if (tag == DT_NULL)
					break;
				if (tag != DT_NEEDED)
					continue;
				const char *s = str_at(&f, str, strsz, val, arena);
				if (!s)
					goto out;
				e.needed[e.nneeded++] = s;
			}
			if (runpath != UINT64_MAX && !(e.runpath = str_at(&f, str, strsz, runpath, arena)))
				goto out;
			if (rpath != UINT64_MAX && !(e.rpath = str_at(&f, str, strsz, rpath, arena)))
				goto out;
		}
	}
	*out = e;
	rc = 0;
out:
	free(ph);
	return rc;
}

/* ---- a file read at will: its section headers ------------------------------------------- */

uint64_t shp_elf_uint(const struct shp_elf_fd *f, const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[f->be ? n - 1 - i : i] << (8 * i);
	return v;
}

int shp_elf_fd_open(struct shp_elf_fd *f, int fd, uint64_t size)
{
	f->fd = fd;
	f->size = size;
	if (size < sizeof f->eh || shp_pread_all(fd, f->eh, sizeof f->eh, 0) < 0 || memcmp(f->eh, "\177ELF", 4) ||
	    (f->eh[4] != 1 && f->eh[4] != 2) || (f->eh[5] != 1 && f->eh[5] != 2))
		return -1;
	f->w = f->eh[4] == 2 ? 8 : 4;
	f->be = f->eh[5] == 2;
	return 0;
}

int shp_elf_fd_section(const struct shp_elf_fd *f, const char *name, uint64_t *off, uint64_t *len)
{
	int w = f->w;
	uint64_t size = f->size;
	uint64_t shoff = shp_elf_uint(f, f->eh + (w == 8 ? 0x28 : 0x20), w);
	unsigned entsz = (unsigned)shp_elf_uint(f, f->eh + (w == 8 ? 0x3a : 0x2e), 2);
	unsigned num = (unsigned)shp_elf_uint(f, f->eh + (w == 8 ? 0x3c : 0x30), 2);
	unsigned strndx = (unsigned)shp_elf_uint(f, f->eh + (w == 8 ? 0x3e : 0x32), 2);
	if (!num || !shoff)
		return SHP_ELF_NO_SECTIONS;
	if (entsz != (w == 8 ? 64u : 40u) || strndx >= num || shoff > size || (uint64_t)num * entsz > size - shoff)
		return 0;
	_cleanup_free_ unsigned char *sh = shp_xmalloc((size_t)num * entsz);
	if (shp_pread_all(f->fd, sh, (size_t)num * entsz, shoff) < 0)
		return 0;
	/* sh_name @0 (4), sh_offset @0x18 / 0x10, sh_size @0x20 / 0x14 */
	const unsigned char *s = sh + (size_t)strndx * entsz;
	uint64_t noff = shp_elf_uint(f, s + (w == 8 ? 0x18 : 0x10), w),
		 nsize = shp_elf_uint(f, s + (w == 8 ? 0x20 : 0x14), w);
	if (nsize == 0 || nsize > (1u << 20) || noff > size || nsize > size - noff)
		return 0;
	_cleanup_free_ char *names = shp_xmalloc((size_t)nsize + 1);
	if (shp_pread_all(f->fd, names, (size_t)nsize, noff) < 0)
		return 0;
	names[nsize] = 0;
	for (unsigned i = 0; i < num; i++) {
		s = sh + (size_t)i * entsz;
		uint64_t n = shp_elf_uint(f, s, 4);
		if (n >= nsize || strcmp(names + n, name))
			continue;
		*off = shp_elf_uint(f, s + (w == 8 ? 0x18 : 0x10), w);
		*len = shp_elf_uint(f, s + (w == 8 ? 0x20 : 0x14), w);
		return *off <= size && *len <= size - *off;
	}
	return 0;
}
