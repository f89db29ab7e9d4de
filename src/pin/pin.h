/* pin.h - `shipshape pin`: the image references of Dockerfiles (FROM, COPY --from, RUN
 * --mount from=), compose files (image:) and Kubernetes manifests (the image: of every
 * container), found with their exact place in the file; resolved to the digest their tag
 * names in the registry; and pinned as NAME:TAG@DIGEST by inserting text at those places, so
 * every other byte of the file stays as written. Or checked: references without a digest, and
 * digests their tag no longer names, as findings (rules/pin.c). */
#pragma once
#include "finding/finding.h"
#include "util/buf.h"
#include "util/error.h"

#include <stddef.h>

/* Sanity limit: references in one file (each distinct one may cost a registry request). */
#define SHP_PIN_MAX_REFS 10000

/* What a file was read as. */
enum shp_pin_kind { SHP_PIN_NONE, SHP_PIN_DOCKERFILE, SHP_PIN_COMPOSE, SHP_PIN_K8S };

/* One image reference of a file. */
struct shp_pin_ref {
	char *image;	  /* the reference, its variables resolved ("debian:12"); NULL: unresolved */
	char *written;	  /* as written there ("$BASE", "debian:12") */
	const char *what; /* what names it, written before it in messages: "FROM ", "COPY --from=",
			   * "RUN --mount=...,from=", "image: " */
	size_t at;	  /* byte offset of written in the file */
	int line, col;	  /* of at, 1-based (the column in characters) */
	size_t ins;	  /* the byte offset where its digest goes (for a FROM $ARG, in the ARG's
			   * default), or SIZE_MAX when it cannot go in place (why says why) */
	char *why;	  /* why it cannot be pinned in place, or what is unresolved; or NULL */
};

struct shp_pin_refs {
	enum shp_pin_kind kind;
	struct shp_pin_ref *v;
	size_t n, cap;
};

/* Finds the references of text (len bytes, NUL-terminated; the content of path). A file
 * named as a Dockerfile is one (dockerfile_named); else YAML whose documents are compose
 * files (services:) or Kubernetes objects (apiVersion, kind) is read as those, and anything
 * else as a Dockerfile if it parses as one with a FROM. Stage names, scratch and the
 * references of other documents are not references. 1 when text is none of these kinds
 * (out->kind SHP_PIN_NONE), 0 when it is one (maybe with no reference), -1 with err when it
 * does not parse (a Dockerfile by name, or YAML meant as ours). Free with shp_pin_refs_free. */
int shp_pin_find(const char *path, const char *text, size_t len, int dockerfile_named, struct shp_pin_refs *out,
		 struct shp_error **err);
void shp_pin_refs_free(struct shp_pin_refs *r);

/* The parts of a reference [HOST[:PORT]/]PATH[:TAG][@DIGEST] as written: where the tag and
 * the digest start in it (after ':' and '@'), or NULL. */
struct shp_pin_parts {
	size_t name_len; /* HOST/PATH */
	const char *tag, *digest;
	size_t tag_len;
};
void shp_pin_split(const char *ref, struct shp_pin_parts *p);
/* 1 when a digest is in the form an OCI registry gives it: ALGORITHM:HEX (sha256 and 64 hex
 * digits, sha512 and 128), nothing else (a registry's answer goes into files). */
int shp_pin_digest_ok(const char *digest);

/* How references are resolved: what ref (NAME[:TAG], or NAME@DIGEST to ask whether the
 * registry has it) names now. 0 with *digest (caller frees), -1 with err. The CLI gives the
 * registry client (registry/registry.h); tests give a table. */
struct shp_pin_resolver {
	int (*resolve)(void *ctx, const char *ref, char **digest, struct shp_error **err);
	void *ctx;
};

/* A run over several files: the resolver, and what it answered (each distinct reference is
 * asked once). */
struct shp_pin_run {
	const struct shp_pin_resolver *rs;
	int check;		      /* report, rewrite nothing */
	struct shp_buf notes;	      /* lines for stderr: registry errors, with their place */
	size_t errors;		      /* references the registry did not resolve (said in notes) */
	struct shp_pin_answer *cache; /* what the registry answered, per reference */
	size_t ncache, ccache;
};
void shp_pin_run_free(struct shp_pin_run *run);

/* Pins the references of one file (text, len bytes, read as shp_pin_find reads path) or,
 * with run->check, checks them. Findings go to f: with check, every reference without a
 * digest (SHP6001), with a digest its tag no longer names (SHP6002), or unresolved (SHP6003);
 * else what pinning left (references not pinned, and why). *out gets the new text (malloc'd,
 * NUL-terminated, *outlen bytes; text itself when nothing was pinned or with check), and
 * *pinned the references given a digest. A registry error is a line in run->notes and counts
 * in run->errors; the other references are still done. The new text is read again and must
 * give the same references with their digests, or nothing is written (-1: a defect of ours).
 * 1 when the file is none of the kinds (nothing done), -1 with err when it does not parse. */
int shp_pin_file(struct shp_pin_run *run, const char *path, const char *text, size_t len, int dockerfile_named,
		 char **out, size_t *outlen, size_t *pinned, struct shp_findings *f, struct shp_error **err);
