/* scan.h - secrets in file content: our patterns compiled once into one Hyperscan
 * database that detects which kinds occur, then PCRE2 (JIT) extracts each match exactly
 * so it can be located and redacted. */
#pragma once
#include <stddef.h>

struct shp_secret_kind {
	const char *id;	   /* "aws-access-key-id" */
	const char *title; /* "AWS access key ID" */
	int critical;	   /* a usable credential on its own (else: part of one, or a password) */
};

/* The kinds, indexed by the `kind` passed to callbacks. Static; do not free. */
const struct shp_secret_kind *shp_secret_kinds(size_t *n);
/* The PCRE2 pattern of kind k (static), for the suite's check of SHP_SECRET_MAX_MATCH. */
const char *shp_secret_pattern(size_t k);

/* True if the Hyperscan databases are the ones compiled at build time (gen-hsdb.c), false if
 * this machine or library refused them and they were compiled at run time (50 ms). */
int shp_secrets_built_in(void);

/* The longest match of any pattern, in bytes: every repeat in them is bounded (the longest,
 * a PEM private key with its headers, is about 26 KB). A text scanned in windows that
 * overlap by this much has each of its secrets whole in one window. */
#define SHP_SECRET_MAX_MATCH (32u << 10)

/* Calls cb(arg, kind, start, end) for each secret in data[0..len), where [start, end) is the
 * secret itself (the part to redact). path (may be NULL) enables the KEY=value rules for
 * env and properties files. Thread-safe; scratch space is per thread. Returns the number
 * of secrets reported. */
size_t shp_secrets_scan(const char *data, size_t len, const char *path,
			void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg);

/* One window of a larger text: data[0..len) is searched, but only the matches that start
 * in [from, to) are reported (a window reports up to where the next one takes over, and
 * bytes before from are there for look-behinds). binary: only the kinds whose form is
 * unmistakable (keys, cloud keys, tokens with a known prefix) are looked for. */
struct shp_secrets_window {
	size_t from, to;
	int binary;
};
size_t shp_secrets_scan_window(const char *data, size_t len, const char *path, const struct shp_secrets_window *w,
			       void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg);

/* Whether secret s[0..n), found as kind, carries a checksum that holds: 1 it does, 0 it does
 * not (a made-up or mistyped token: a sample, a test's), -1 the kind has none. GitHub's
 * classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and npm's (npm_) end in the CRC32 of their 30
 * random characters, in base62, 6 digits. */
int shp_secret_checksum(int kind, const char *s, size_t n);

/* True if the base name of path is a file that holds credentials by its nature
 * (id_rsa, .netrc, credentials.json, .env ...); *what names it. */
int shp_secret_file_name(const char *path, const char **what);
