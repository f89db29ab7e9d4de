/* elf.h - what the dynamic loader needs to start an ELF program or library: its
 * interpreter (PT_INTERP), the libraries it names (DT_NEEDED), and where it says to look
 * for them (DT_RUNPATH, DT_RPATH). Read from the file's bytes, every offset checked. */
#pragma once
#include "util/arena.h"

#include <stddef.h>
#include <stdint.h>

/* Sanity limits for files from strangers. */
#define SHP_ELF_MAX_PHDRS 4096
#define SHP_ELF_MAX_NEEDED 1024

struct shp_elf {
	int bits; /* 32 or 64 */
	int big_endian;
	unsigned machine;    /* e_machine */
	int dynamic;	     /* has a PT_DYNAMIC segment */
	const char *interp;  /* PT_INTERP, or NULL (a static program, or a library) */
	const char **needed; /* DT_NEEDED names in the file's order */
	size_t nneeded;
	const char *runpath; /* DT_RUNPATH, or NULL */
	const char *rpath;   /* DT_RPATH, or NULL (ignored by the loader when runpath is set) */
};

/* True if the first n bytes start an ELF file. */
int shp_elf_magic(const void *p, size_t n);
/* The bytes [*start, *end) of an ELF file that hold only machine code: its one executable
 * PT_LOAD segment, when a read-only one holds the constants and strings (ld -z
 * separate-code, the default on x86-64 since binutils 2.31; .rodata is then never in the
 * code's segment). buf holds the file's first len bytes, its program headers among them.
 * Returns 0, or -1 when the file has no such layout (strings may share the code's pages). */
int shp_elf_code_range(const unsigned char *buf, size_t len, uint64_t *start, uint64_t *end);
/* Parses the ELF file in buf[0..len) into *out, its strings in arena. Returns 0, or -1 if
 * the bytes are not ELF or a structure it needs lies outside them (out is then empty). */
int shp_elf_parse(const unsigned char *buf, size_t len, struct shp_arena *arena, struct shp_elf *out);

/* An ELF file read at will from fd (size bytes): its header, word size and byte order. */
struct shp_elf_fd {
	int fd;
	uint64_t size;
	unsigned char eh[64];
	int w; /* 4 or 8 */
	int be;
};
/* The n-byte unsigned integer at p in the file's byte order. */
uint64_t shp_elf_uint(const struct shp_elf_fd *f, const unsigned char *p, int n);
/* 0 with *f set when fd holds an ELF file, else -1. */
int shp_elf_fd_open(struct shp_elf_fd *f, int fd, uint64_t size);
/* Where section name lies: 1 with [*off, *off + *len) inside the file; 0 when it is not
 * there or the section headers do not read; SHP_ELF_NO_SECTIONS when the file has none
 * (sstrip removes them). */
#define SHP_ELF_NO_SECTIONS 2
int shp_elf_fd_section(const struct shp_elf_fd *f, const char *name, uint64_t *off, uint64_t *len);
