/* tarw.h - a tar writer (POSIX ustar headers, with pax extended headers where a name, a link,
 * a size or an id does not fit, and PAX 1.0 sparse files). Written here rather than with libarchive's writer: that
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

/* One data region of a sparse file; the bytes between regions are holes (zeros). */
struct shp_tar_region {
	uint64_t offset, length;
};

/* Writes h's header; then exactly h->size bytes follow through shp_tarw_data. */
int shp_tarw_header(struct shp_tarw *w, const struct shp_tar_hdr *h);
/* Writes the header of a sparse regular file of h->size bytes whose data is in the n regions
 * of map (in order, apart, inside the file), as GNU tar --sparse writes it (PAX 1.0: the map
 * leads the data; GNU tar, libarchive and Go's archive/tar restore the holes). Then exactly
 * the regions' bytes follow through shp_tarw_data, one region after the other. */
int shp_tarw_sparse_header(struct shp_tarw *w, const struct shp_tar_hdr *h, const struct shp_tar_region *map, size_t n);
int shp_tarw_data(struct shp_tarw *w, const void *p, size_t n);
/* The end-of-archive blocks; -1 if an entry's data is incomplete. */
int shp_tarw_finish(struct shp_tarw *w);
