/* tarw.h - a tar writer (POSIX ustar headers, with pax extended headers where a name, a link,
 * a size or an id does not fit). Written here rather than with libarchive's writer: that
 * one, linked statically, brings every format libarchive writes, and xar's needs libxml2. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct shp_tarw {
	int (*write)(void *arg, const void *p, size_t n); /* 0, or -1 (errno set) */
	void *arg;
	uint64_t left; /* data bytes the current entry still expects */
	uint64_t pad;  /* and the zeros after them */
};

struct shp_tar_hdr {
	const char *path; /* no leading '/'; a directory's may end in '/' */
	const char *link; /* symlink target or hardlink name, or NULL */
	char type;	  /* '0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo */
	uint32_t mode, uid, gid;
	uint64_t size;
	int64_t mtime;
	uint32_t devmajor, devminor;
	const char *uname, *gname; /* or NULL */
};

/* Writes h's header; then exactly h->size bytes follow through shp_tarw_data. */
int shp_tarw_header(struct shp_tarw *w, const struct shp_tar_hdr *h);
int shp_tarw_data(struct shp_tarw *w, const void *p, size_t n);
/* The end-of-archive blocks; -1 if an entry's data is incomplete. */
int shp_tarw_finish(struct shp_tarw *w);
