/* ecosystem.h - package ecosystems as a table, the way libarchive registers its formats: one
 * descriptor per kind of package (deb, npm, RubyGems ...), each in its own file, and one row
 * per descriptor in SHP_ECOSYSTEMS below. The SBOM writers and readers, vercmp, the feed
 * importer, the matcher and the image's package readers all read the table; none of them
 * names an ecosystem.
 *
 * Adding an ecosystem: a file src/pkg/eco-NAME.c defining `const struct shp_ecosystem
 * shp_eco_NAME`, its row at the end of SHP_ECOSYSTEMS, its tests, and its line in meson. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

struct shp_pkg;
struct shp_pkgs;
struct shp_buf;

/* The rows, in the order packages of different types are listed: X(CONSTANT, name), where
 * name is the descriptor's suffix (shp_eco_NAME). The OS ecosystems come first; every row
 * from SHP_PKG_NPM on is a language ecosystem (matched by ecosystem, whatever the distro).
 * New rows go at the end, so that outputs sorted by type keep their order. */
#define SHP_ECOSYSTEMS(X)                                                                                              \
	X(DEB, deb)                                                                                                    \
	X(APK, apk)                                                                                                    \
	X(RPM, rpm)                                                                                                    \
	X(NPM, npm)                                                                                                    \
	X(PYPI, pypi)                                                                                                  \
	X(GO, go)                                                                                                      \
	X(MAVEN, maven)                                                                                                \
	X(CONDA, conda)                                                                                                \
	X(GEM, gem)                                                                                                    \
	X(COMPOSER, composer)                                                                                          \
	X(CARGO, cargo)                                                                                                \
	X(NUGET, nuget)

#define SHP_ECO_ENUM_(C, n) SHP_PKG_##C,
enum shp_pkg_type { SHP_ECOSYSTEMS(SHP_ECO_ENUM_) SHP_PKG_NTYPES };
#undef SHP_ECO_ENUM_

/* Language packages are not the OS's: they match feeds by ecosystem, whatever the distro. */
#define SHP_PKG_IS_LANG(t) ((t) >= SHP_PKG_NPM && (t) < SHP_PKG_NTYPES)

/* A reader of what a program carries about the packages it was built from (Go's build
 * information, cargo-auditable's .dep-v0 section), given an ELF executable either as a stream
 * (its bytes in order, block by block, never held whole) or as a file open at fd. The blob it
 * returns is what the ecosystem's reader parses (parse, with the program's path). */
struct shp_prog_reader {
	size_t state_size; /* bytes of the streaming state the caller provides */
	void (*init)(void *state);
	/* The file's next n bytes; returns 1 once the rest is not needed (found, or never will be). */
	int (*feed)(void *state, const void *data, size_t n);
	/* What the bytes fed held, or NULL; valid until free. */
	const char *(*blob)(void *state, size_t *len);
	void (*free)(void *state);
	/* The same from a file of size bytes open at fd (may seek): malloc'd, or NULL. */
	char *(*read_fd)(int fd, uint64_t size, size_t *len);
};

/* One kind of file an ecosystem's installed packages are read from. */
struct shp_pkg_reader {
	const char *id; /* "dpkg-status", "gemspec": names it in cache records, fuzz targets, -v */
	/* Nonzero if a regular file at path (normalised: no leading '/') is one; NULL for a reader
	 * of programs only. Called for every file of every layer: a test of the name's end first. */
	int (*match)(const char *path);
	/* The bytes a path match takes may end in ("AOo"): shp_pkgdb_kind calls match only for
	 * paths that end in one; NULL: any path. */
	const char *ends_in;
	/* Appends the packages of data (len bytes of the file at path, its leading '/' kept) to
	 * out, with .db = path (path outlives out). A damaged database is an error (exit 3,
	 * file:line); a language manifest that does not read is skipped, never an error. */
	int (*parse)(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err);
	const struct shp_prog_reader *program; /* known by an ELF program's content, or NULL */
	/* What the image summary counts these files as: "databases", "manifests", "programs",
	 * "archives". */
	const char *counts_as;
	/* Nonzero: the image module reads such a file through as a zip stream
	 * (shp_java_archive_read), never whole; its kind is SHP_DB_JAVA_ARCHIVE. parse reads it
	 * from memory all the same (root directories, fuzzing). */
	int read_through;
};

struct shp_ecosystem {
	const char *type;      /* our name: `vercmp --type`, JSON "type", SBOM property ("deb", "gem") */
	const char *title;     /* for people ("Debian packages", "RubyGems") */
	const char *purl_type; /* purl-spec's type ("deb", "gem", "composer", "nuget", "cargo", "conda") */
	/* OSV's ecosystem name of a language ecosystem ("RubyGems", "Packagist", "NuGet",
	 * "crates.io"); NULL for an OS ecosystem (its OSV names are per distro: vuln/import.c)
	 * and for one without a feed (conda): the report says such packages were not matched. */
	const char *osv;
	/* Version order (<0, 0, >0), total over any strings, never reading past them. */
	int (*vercmp)(const char *a, const char *b);
	/* The form a name is matched in (PyPI: PEP 503's), malloc'd; NULL: the name as it is. */
	char *(*normalize)(const char *name);
	/* purl: the character that ends a namespace inside our name (npm's '@scope/', a Go
	 * module's path '/', Maven's 'GROUP:'), or 0; and whether the purl's name is lower case. */
	char purl_ns_sep;
	int purl_lower;
	/* The purl's form of a name when its purl-spec type says more than lower case (PyPI: '-'
	 * for '_'), malloc'd; NULL: the name as it is. */
	char *(*purl_name)(const char *name);
	/* Appends the purl's qualifiers (each with shp_purl_qualifier) from what the reader kept
	 * of package p (conda: build, subdir); NULL: none. */
	void (*purl_qualifiers)(const struct shp_pkg *p, struct shp_buf *purl);
	const struct shp_pkg_reader *readers; /* what installed packages are read from */
	size_t nreaders;
};

#define SHP_ECO_EXTERN_(C, n) extern const struct shp_ecosystem shp_eco_##n;
SHP_ECOSYSTEMS(SHP_ECO_EXTERN_)
#undef SHP_ECO_EXTERN_

/* The table, indexed by enum shp_pkg_type. */
extern const struct shp_ecosystem *const shp_ecosystems[SHP_PKG_NTYPES];
static inline const struct shp_ecosystem *shp_eco(enum shp_pkg_type t) { return shp_ecosystems[t]; }
/* By our name ("gem") or purl type; -1 if none. */
int shp_eco_by_type(const char *type);
int shp_eco_by_purl_type(const char *purl_type);
/* By a language ecosystem's OSV name ("RubyGems"); -1 if none. */
int shp_eco_by_osv(const char *osv);
