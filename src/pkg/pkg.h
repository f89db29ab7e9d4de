/* pkg.h - installed packages and the OS they belong to, read from the package managers'
 * own databases (dpkg status and status.d, apk installed, rpm) and os-release files.
 *
 * The image engine hands every file whose path is a package database or a release file to
 * shp_pkgdb_parse while it streams the layer, so each version of a database is read once
 * and only its packages are kept. Language packages (npm, Python) count too: each one's
 * own manifest is its "database", and a Go program's build information too. */
#pragma once
#include "pkg/ecosystem.h"
#include "pkg/version.h"
#include "util/arena.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

/* What a path inside an image holds, by its name: a file one of the ecosystems' readers
 * reads (ecosystem.h), or a release file. The readers' kinds are numbered in the table's
 * order, so they are stable within one build only: a record kept across builds names a kind
 * by shp_pkgdb_kind_id. */
enum shp_pkgdb_kind {
	SHP_DB_NONE,
	SHP_DB_JAVA_ARCHIVE, /* a reader's with read_through (.jar ...): read as a zip, through (not whole) */
	/* Go's build information (known by content, not name): the kind of the first reader of
	 * programs, for callers that do not go through shp_pkg_program yet */
	SHP_DB_GO_BINARY,
	SHP_DB_READERS,		    /* SHP_DB_READERS + i: the i-th of all the ecosystems' readers, in table order */
	SHP_DB_OS_RELEASE = 0x4000, /* etc/os-release, usr/lib/os-release; release files from here on */
	SHP_DB_ALPINE_RELEASE,
	SHP_DB_DEBIAN_VERSION,
	SHP_DB_REDHAT_RELEASE, /* etc/redhat-release, centos-release, ... */
};

/* The kind of a normalised path (no leading '/'), SHP_DB_NONE for most: a release file, or
 * the first reader whose match takes it. */
enum shp_pkgdb_kind shp_pkgdb_kind(const char *path);
/* A kind's stable name (its reader's id: "dpkg-status", "java-archive"; "os-release" ...),
 * NULL for none; and back (SHP_DB_NONE for a name this build does not know). */
const char *shp_pkgdb_kind_id(enum shp_pkgdb_kind kind);
enum shp_pkgdb_kind shp_pkgdb_kind_from_id(const char *id);
/* What the image summary counts a kind's files as ("databases", "manifests", "programs",
 * "archives"); NULL for release files and none. */
const char *shp_pkgdb_counts_as(enum shp_pkgdb_kind kind);
/* The i-th reader of ELF programs of all the ecosystems (Go's build information,
 * cargo-auditable's section ...) and the kind its blobs are parsed as (shp_pkgdb_parse);
 * NULL past the last. */
const struct shp_prog_reader *shp_pkg_program(size_t i, enum shp_pkgdb_kind *kind);
/* Sanity limit: bytes of one package database read into memory. */
#define SHP_PKGDB_MAX_BYTES (512u << 20)

struct shp_pkg {
	enum shp_pkg_type type;
	const char *name;
	const char *version;	    /* as the package manager prints it: deb [E:]U[-R], apk V-rN, rpm [E:]V-R */
	const char *source;	    /* deb Source, apk origin, rpm source package name; never NULL */
	const char *source_version; /* deb Source's own version, else version; rpm: of the .src.rpm */
	const char *arch;	    /* may be NULL */
	const char *license;	    /* may be NULL (dpkg keeps none) */
	uint32_t epoch;		    /* rpm: the epoch (also in version when not 0) */
	int layer;		    /* 1-based layer whose database first lists it; 0 for a directory */
	int hidden;		    /* only in database versions a later layer replaced or deleted */
	const char *db;		    /* the database's path in the image */
	/* a language package whose database (db) an OS package's file list names: that OS
	 * package's name (it came with it, and is matched through it); NULL otherwise */
	const char *owner;
};

/* The OS of a root: os-release's ID and VERSION_ID (e.g. "debian", "12"), falling back on
 * alpine-release, debian_version and redhat-release. */
struct shp_os {
	const char *id;		/* NULL when unknown */
	const char *version_id; /* may be NULL (sid, rolling releases) */
	const char *codename;	/* VERSION_CODENAME, may be NULL */
	const char *pretty;	/* PRETTY_NAME, may be NULL */
	const char *source;	/* the file it came from */
};

/* A file an OS package's file list names (dpkg's info/NAME.list, rpm's file names, apk's
 * R: lines) that is a language package's database by its path: the OS packages' readers keep
 * only those, so that a language package found there is known to be the OS package's. */
struct shp_pkg_owned {
	const char *path;  /* with its leading '/' */
	const char *owner; /* the OS package's name */
};

/* A file's content as the package database records it (dpkg's info/NAME.md5sums, apk's Z:
 * lines): one key for its path and digest (shp_pkg_file_key), and the package that shipped
 * it. A file whose own content gives a key some database holds is the package's, unchanged. */
enum shp_sum_algo { SHP_SUM_MD5, SHP_SUM_SHA1, SHP_SUM_SHA256, SHP_SUM_NALGOS };
#define SHP_SUM_BYTES (16 + 20 + 32) /* the three digests of one content, in that order */
struct shp_pkg_filesum {
	uint64_t key;
	const char *owner; /* the package's name */
};

struct shp_pkgs {
	struct shp_pkg *v;
	size_t n, cap;
	struct shp_arena arena; /* every string of the list */
	struct shp_pkg_owned *owned;
	size_t nowned, owned_cap;
	struct shp_pkg_filesum *sums; /* the files' digests the database records */
	size_t nsums, sums_cap;
};

void shp_pkgs_free(struct shp_pkgs *p);
/* Appends a copy of pkg (its strings copied into the list's arena). */
void shp_pkgs_add(struct shp_pkgs *p, const struct shp_pkg *pkg);
/* Records that file path (n bytes, with or without its leading '/') belongs to OS package
 * owner (on bytes) when the path is one a language package's reader reads (shp_pkgdb_kind):
 * nothing for any other file. Both strings are copied. */
void shp_pkgs_add_owned(struct shp_pkgs *p, const char *path, size_t n, const char *owner, size_t on);
/* The bytes of a digest of algo (16, 20, 32). */
size_t shp_sum_len(enum shp_sum_algo algo);
/* The key of a file at path (n bytes, with or without its leading '/') whose content has the
 * digest of algo (shp_sum_len(algo) bytes): a 64-bit hash of the three, so that a database's
 * tens of thousands of files take 16 bytes each. */
uint64_t shp_pkg_file_key(const char *path, size_t n, enum shp_sum_algo algo, const unsigned char *digest);
/* Records that package owner (on bytes) shipped the file at path (n bytes) with that digest. */
void shp_pkgs_add_sum(struct shp_pkgs *p, const char *path, size_t n, enum shp_sum_algo algo,
		      const unsigned char *digest, const char *owner, size_t on);
/* Nonzero if kind is read by a language ecosystem's reader (a manifest, a Java archive). */
int shp_pkgdb_kind_is_lang(enum shp_pkgdb_kind kind);
/* Sorts by type, name, version, arch; removes exact duplicates. */
void shp_pkgs_sort(struct shp_pkgs *p);

/* Parses one package database (kind from shp_pkgdb_kind) of len bytes read from path,
 * appending its installed packages to out (with .db = path). Release files are not
 * package databases: see shp_os_parse. Returns 0, or -1 with err (exit 3, file:line). */
int shp_pkgdb_parse(enum shp_pkgdb_kind kind, const char *path, const char *data, size_t len, struct shp_pkgs *out,
		    struct shp_error **err);
/* The parsers below keep path as given (it must outlive out). */
int shp_pkg_parse_dpkg(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err);
/* A dpkg file list (info/NAME.list, status.d/NAME.md5sums): the language packages' files
 * it names, into out->owned. */
int shp_pkg_parse_dpkg_files(const char *path, const char *data, size_t len, struct shp_pkgs *out,
			     struct shp_error **err);
int shp_pkg_parse_apk(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err);
/* A package.json, and Python core metadata: one package each, or none when the file is not
 * a readable manifest (skipped, never an error). */
int shp_pkg_parse_npm(const char *path, const char *data, size_t len, struct shp_pkgs *out);
int shp_pkg_parse_python(const char *path, const char *data, size_t len, struct shp_pkgs *out);
/* Appends a language package (type, name and version of nn and vn bytes, licence of ln bytes
 * or NULL) when its name and version are plain words; path must outlive out. */
void shp_pkgs_add_lang(struct shp_pkgs *out, enum shp_pkg_type type, const char *path, const char *name, size_t nn,
		       const char *ver, size_t vn, const char *lic, size_t ln);

/* Go programs (gobin.c): the build information blob of a Go 1.18+ executable, found while
 * the file streams by (shp_gobin_feed, 16 bytes at a time on aligned offsets) or through an
 * ELF file's section headers (shp_gobin_read_elf). shp_pkg_parse_gobin reads a blob: the
 * modules (path and version, a replacement's when a "=>" line replaces one) and the
 * standard library at the toolchain's version ("stdlib" v1.21.3), as `go version -m`
 * shows them and Go's vulnerability database names them. */
#define SHP_GOBIN_MAX_BYTES (1u << 20)
/* Sanity limit: bytes of an ELF file without section headers searched for the blob's start,
 * from its first writable segment (or the file's start): such a file is not read to its end,
 * however large or sparse. */
#define SHP_GOBIN_MAX_SEARCH (16u << 20)
struct shp_gobin {
	uint64_t off;		/* file bytes fed */
	unsigned char unit[16]; /* the aligned 16 bytes a block boundary cut */
	char *blob;		/* from the magic on, once seen */
	size_t len, cap;
	int state;
};
void shp_gobin_init(struct shp_gobin *g);
/* Feeds the file's next n bytes; returns 1 once the rest is not needed (blob read, or none). */
int shp_gobin_feed(struct shp_gobin *g, const void *data, size_t n);
/* The blob, or NULL when the bytes fed held none whole. */
const char *shp_gobin_blob(const struct shp_gobin *g, size_t *len);
void shp_gobin_free(struct shp_gobin *g);
/* The blob of an ELF file of size bytes open at fd, malloc'd, or NULL: where its section
 * headers say, else within SHP_GOBIN_MAX_SEARCH bytes of its data. */
char *shp_gobin_read_elf(int fd, uint64_t size, size_t *len);
int shp_pkg_parse_gobin(const char *path, const char *data, size_t len, struct shp_pkgs *out);

/* Java archives (java.c): a name of one (.jar, .war, .ear, .par, any case), and the Maven
 * artifacts ("GROUP:ARTIFACT" at its version) its pom.properties files and those of the
 * archives inside it name, appended to out with path as their database. The archive is the
 * current entry of parent (read through, as a stream), a file open at fd, or in memory; one
 * that does not read as a zip gives what was found before the fault, never an error.
 * Every byte inflated (inner archives and the entries passed over included) counts against
 * SHP_JAVA_MAX_INFLATE and, when layer_left is not NULL, against what a layer has left
 * (lessened by what the archive took); a spent budget stops the reading and is returned. */
#define SHP_JAVA_MAX_INFLATE (512ull << 20)	/* bytes inflated for one Java archive */
#define SHP_JAVA_MAX_LAYER_INFLATE (2ull << 30) /* bytes inflated for all those of a layer */
enum shp_java_stop { SHP_JAVA_WHOLE, SHP_JAVA_ARCHIVE_LIMIT, SHP_JAVA_LAYER_LIMIT };
struct archive;
int shp_java_archive_name(const char *path);
/* size: the entry's (-1 if unknown) */
enum shp_java_stop shp_java_archive_read(struct archive *parent, int64_t size, const char *path, struct shp_pkgs *out,
					 uint64_t *layer_left);
enum shp_java_stop shp_java_archive_read_fd(int fd, const char *path, struct shp_pkgs *out, uint64_t *layer_left);
enum shp_java_stop shp_java_archive_read_memory(const void *data, size_t len, const char *path, struct shp_pkgs *out);
/* PEP 503's form of a Python project name ("Foo_Bar.baz" -> "foo-bar-baz"). Caller frees. */
char *shp_pypi_normalize(const char *name);
/* rpm's database in one of its formats, read from memory. */
enum shp_rpm_format { SHP_RPM_SQLITE, SHP_RPM_NDB, SHP_RPM_BDB };
int shp_pkg_parse_rpm(enum shp_rpm_format format, const char *path, const char *data, size_t len, struct shp_pkgs *out,
		      struct shp_error **err);

/* "name-version-release.src.rpm" (of n bytes) -> name and version-release (NULL when there is
 * none), in arena. */
void shp_rpm_split_srpm(struct shp_arena *arena, const char *s, size_t n, const char **name, const char **ver);

/* Fills os from a release file of the given kind (strings in arena). Returns 1 if it named
 * an OS, 0 if not. */
int shp_os_parse(enum shp_pkgdb_kind kind, const char *path, const char *data, size_t len, struct shp_arena *arena,
		 struct shp_os *os);
/* The distro key a vulnerability feed uses, e.g. "debian:12", "alpine:3.18", "ubuntu:22.04". */
const char *shp_os_key(const struct shp_os *os, struct shp_arena *arena);

/* Package URL (purl) of a package on os, e.g. pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12. */
char *shp_pkg_purl(const struct shp_pkg *p, const struct shp_os *os);
/* Appends a qualifier to purl (after '?' or '&'), its value percent-encoded; nothing when
 * value is NULL or empty. */
void shp_purl_qualifier(struct shp_buf *purl, const char *key, const char *value);
