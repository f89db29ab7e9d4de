/* credfiles.h - credentials in files of known formats, judged by what the file says rather
 * than by a pattern: the accounts of /etc/shadow that take a password (a crypt hash) or none
 * (an empty field), the IDs /etc/passwd and /etc/group give twice, and Java keystores and
 * PKCS#12 files that open with an empty or well-known password. Pure functions over a file's
 * content in memory (the caller bounds its size: SHP_CRED_FILE_MAX_BYTES). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* The largest file read for these checks: keystores, shadow, passwd and group files are a few
 * KiB; one larger is listed as not scanned. */
#define SHP_CRED_FILE_MAX_BYTES (1u << 20)

enum shp_cred_what {
	SHP_CRED_HASH = 1, /* a shadow account with a password hash: name, detail = the scheme */
	SHP_CRED_EMPTY,	   /* a shadow account with an empty password field: name */
	SHP_CRED_DUP_UID,  /* a passwd account whose UID an earlier line has: name, detail */
	SHP_CRED_DUP_GID,  /* a group whose GID an earlier line has: name, detail */
	SHP_CRED_KEYSTORE, /* a keystore with a private or secret key that a known password opens:
			      name = the password ("" for the empty one), detail = the format */
	SHP_CRED_NWHAT
};

/* One finding in a file: name and detail are NUL-terminated copies valid during the callback.
 * fp: a short fingerprint of the hash (hex of SHA-256's first 8 bytes) that tells two files'
 * equal hashes apart from different ones without holding the hash; "" when none. */
struct shp_cred_item {
	enum shp_cred_what what;
	uint32_t line; /* 1-based; 0 for a binary file */
	const char *name, *detail;
	char fp[17];
};
typedef void (*shp_cred_cb)(void *arg, const struct shp_cred_item *it);

/* The scheme of crypt(3) hash h[0..n) ("sha512crypt ($6$)"), or NULL if h is not one that a
 * login could be checked against (a locked "!..." or "*" field, a placeholder). */
const char *shp_crypt_scheme(const char *h, size_t n);

/* /etc/shadow: each account whose password field is a hash or empty. */
void shp_shadow_check(const char *data, size_t len, shp_cred_cb cb, void *arg);

/* /etc/passwd (group = 0) or /etc/group (group = 1): each line whose numeric ID (the third
 * field) an earlier line already gave. */
void shp_ids_check(const char *data, size_t len, int group, shp_cred_cb cb, void *arg);

/* The keystore formats, by their magic: JKS (0xFEEDFEED), JCEKS (0xCECECECE), PKCS#12 (a DER
 * SEQUENCE); SHP_KS_NONE for anything else. */
enum shp_keystore_type { SHP_KS_NONE, SHP_KS_JKS, SHP_KS_JCEKS, SHP_KS_PKCS12 };
enum shp_keystore_type shp_keystore_type(const void *data, size_t len);

/* Whether pw (ASCII or Latin-1) is the password of JKS or JCEKS keystore d[0..n): its last 20
 * bytes are SHA-1(pw as UTF-16BE || "Mighty Aphrodite" || the bytes before them). 1 yes, 0 no,
 * -1 not a keystore of that form. */
int shp_jks_password(const unsigned char *d, size_t n, const char *pw);

/* Whether JKS or JCEKS keystore d[0..n) holds a private or secret key entry (not only trusted
 * certificates): 1, 0, or -1 when its entries cannot be read. */
int shp_jks_has_key(const unsigned char *d, size_t n);

/* A keystore at path (its base name is one of the passwords tried) with content d[0..n):
 * reports SHP_CRED_KEYSTORE when a private or secret key is in it and one of the well-known
 * passwords ("", changeit, changeme, password, secret, 123456, keystore, android, the base
 * name without its extension) opens it. */
void shp_keystore_check(const char *path, const char *data, size_t len, shp_cred_cb cb, void *arg);

/* Whether the base name of path is a keystore's (*.jks, *.keystore, *.jceks, *.truststore,
 * *.p12, *.pfx), for the analyzer's cheap test of each file's name. */
int shp_keystore_name(const char *path);
