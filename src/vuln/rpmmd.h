/* rpmmd.h - rpm-md repositories' errata (repodata/updateinfo.xml, found through
 * repodata/repomd.xml): how Amazon Linux, Rocky Linux, AlmaLinux and Oracle Linux say which
 * package versions fix which advisories. Amazon Linux has no other machine-readable feed.
 *
 * The files are tens of MB: they are read as a stream (expat), plain or compressed (gzip,
 * xz, zstd, bzip2, told by content), and each <update> is handed to the caller in turn. */
#pragma once
#include "util/error.h"

#include <stddef.h>

/* Sanity limits of one errata file: */
/* decompressed bytes (Amazon Linux 2's updateinfo.xml is about 60 MB) */
#define SHP_RPMMD_MAX_BYTES (1024u << 20)
/* bytes read without the parser reporting anything: a tag, attribute, comment or name that
 * long is refused, since expat keeps an unfinished one whole in memory */
#define SHP_RPMMD_MAX_TOKEN (8u << 20)
/* nesting of elements (an update's package is five deep) */
#define SHP_RPMMD_MAX_DEPTH 32
/* bytes kept of a text (id, title, severity, description): the rest is cut */
#define SHP_RPMMD_MAX_TEXT (64u << 10)
/* packages, and references, in one <update> (a kernel update lists a few hundred) */
#define SHP_RPMMD_MAX_ITEMS 100000
/* bytes of a repomd.xml (a few KB) */
#define SHP_RPMMD_MAX_REPOMD (16u << 20)

struct shp_rpmmd_pkg {
	const char *name, *epoch, *version, *release, *arch; /* as the attributes give them, or NULL */
};

/* One <update>, valid during the callback only. Strings are NULL when absent. */
struct shp_rpmmd_update {
	const char *id;	      /* ALAS2023-2023-001, ALAS2-2023-1234, RLSA-2023:1234, ELSA-... */
	const char *type;     /* security, bugfix, enhancement (an attribute) */
	const char *title;    /* "Amazon Linux 2023 - ALAS2023-2023-001: Important priority ..." */
	const char *severity; /* Critical, Important, Moderate, Low (any case) */
	const char *description;
	const char *issued, *updated; /* the date attributes ("2023-02-07 19:55", or unix time) */
	const char *const *cves;      /* <reference type="cve" id="CVE-..."> */
	size_t ncves;
	const struct shp_rpmmd_pkg *pkgs; /* every <package> of every collection, arches apart */
	size_t npkgs;
	size_t line; /* where the <update> starts */
};

/* Called for each update; a return < 0 (with err set) stops the reading. */
typedef int (*shp_rpmmd_fn)(void *arg, const struct shp_rpmmd_update *u, struct shp_error **err);

/* 1 when the first bytes of a file (n of them, up to 512 is enough) are compressed data
 * (gzip, xz, zstd, bzip2) or look like XML: what shp_rpmmd_read_* should be tried on. */
int shp_rpmmd_sniff(const void *head, size_t n);

/* Reads the errata in fd (from its current offset) or in data[0..len): 0 when every update
 * was handed to fn; 1 when it is not rpm-md errata (not XML, or a root other than
 * <updates>), nothing handed; -1 with err naming `where` and the line on bad input (a DTD is
 * refused: errata have none, and its entities are how an XML bomb expands), on a limit
 * passed, or as fn says. */
int shp_rpmmd_read_fd(int fd, const char *where, shp_rpmmd_fn fn, void *arg, struct shp_error **err);
int shp_rpmmd_read_buffer(const void *data, size_t len, const char *where, shp_rpmmd_fn fn, void *arg,
			  struct shp_error **err);

/* The location of a repository's errata in its repomd.xml (len bytes): 1 and *href (caller
 * frees; relative to the repository's root, e.g. "repodata/ab12...-updateinfo.xml.gz"), 0 if
 * the repository has none, -1 with err when repomd is not valid repomd.xml or the location
 * is not a path inside the repository (absolute, a URL, or climbing out with ".."). */
int shp_rpmmd_updateinfo_href(const char *repomd, size_t len, char **href, struct shp_error **err);
