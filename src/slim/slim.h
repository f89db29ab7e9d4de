/* slim.h - a smaller, safer image: what the image's command touched when it ran in a sandbox
 * (slim/sandbox.h: traced, probed; off with static_only), and what the entrypoint (and the
 * healthcheck) can reach by static analysis: the programs, the ELF interpreter and
 * libraries they load (DT_NEEDED through DT_RUNPATH, DT_RPATH, ld.so.conf and the default
 * directories), the interpreters of scripts and the programs a shell script runs, the files
 * named on the command line, the symlinks and directories on the way, and a few files any
 * program expects (passwd, group, nsswitch.conf, CA certificates, time zone, os-release).
 * The result is one layer, no setuid/setgid bits, no file capabilities, a non-root user,
 * written as a docker-save tarball that is also an OCI image layout. */
#pragma once
#include "image/image.h"
#include "image/union.h"
#include "slim/sandbox.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

#define SHP_SLIM_ELF_PREFIX (64u << 20)	 /* bytes of an ELF file read for its dynamic section */
#define SHP_SLIM_SCRIPT_MAX (256u << 10) /* bytes of a script read for what it runs */
#define SHP_SLIM_CONFIG_MAX (64u << 10)	 /* bytes of a file under /etc read for the paths it names */
#define SHP_SLIM_PKGLIST_MAX (16u << 20) /* bytes of a package's file list read */
#define SHP_SLIM_DEFAULT_USER "65534:65534"
/* Sparse files: a kept file of SHP_SLIM_SPARSE_MIN bytes or more, or one the layer stores
 * sparse, is written sparse when it has holes (the layer's, or zero runs of a hole block);
 * past SHP_SLIM_MAX_SPARSE_REGIONS data regions in one file, zeros are written as data. */
#define SHP_SLIM_SPARSE_MIN (1u << 20)			/* bytes of a file worth looking for holes in */
#define SHP_SLIM_HOLE_BLOCK 4096u			/* the unit of a hole found in the data */
#define SHP_SLIM_MAX_SPARSE_REGIONS 65536u		/* data regions in one sparse file written */
#define SHP_SLIM_DEFAULT_MAX_OUTPUT_BYTES (32ull << 30) /* bytes of the image written */

/* The image made, for a publisher that puts it somewhere other than a tarball (a
 * registry): the layer in an unlinked file of $TMPDIR, the config and manifest in memory. */
struct shp_slim_image {
	int layer_fd; /* layer_bytes bytes from offset 0 */
	const char *layer_digest, *layer_media_type;
	uint64_t layer_bytes;
	const char *config, *config_digest;
	size_t config_len;
	const char *manifest, *manifest_digest, *manifest_media_type;
	size_t manifest_len;
};

struct shp_slim_opts {
	const char *output;	    /* the tarball to write (util/output.h: made beside it, put in place; "-" stdout) */
	const char *tag;	    /* repo:tag to give it, or NULL */
	const char *user;	    /* the user to run as; NULL: the image's, or 65534:65534 for root */
	const char *const *include; /* paths kept with everything below them and what they need */
	size_t ninclude;
	const char *const *include_exe; /* programs (looked up on PATH) kept with what they load */
	size_t ninclude_exe;
	int dry_run; /* work out what is kept, write nothing */
	/* The traced run (slim/sandbox.h): the image's command is run and what it touches is
	 * kept too; off with static_only (or where the machine has no user namespaces, said in
	 * a note). The probes asked for (--probe-http, --probe-cmd); with none, each EXPOSEd
	 * port and each port the command listens on gets a GET /, unless no_probe. */
	int static_only;
	const struct shp_probe *probes;
	size_t nprobes;
	int no_probe;
	unsigned probe_ms; /* the longest a run takes; 0: SHP_SANDBOX_DEFAULT_MS */
	int no_verify;	   /* the slim image is not run again with the same probes */
	uint64_t max_layer_bytes;
	uint64_t max_output_bytes; /* 0: SHP_SLIM_DEFAULT_MAX_OUTPUT_BYTES */
	int jobs;
	/* when set, the image goes to publish instead of a tarball at output (which only names
	 * it in messages) */
	int (*publish)(void *arg, const struct shp_slim_image *im, struct shp_error **err);
	void *publish_arg;
};

/* A package, by its file list (dpkg's var/lib/dpkg/info/NAME.list, apk's
 * lib/apk/db/installed): the regular files of the final filesystem it lists, and those kept. */
struct shp_slim_pkg {
	char *name;	  /* "libc6", "libssl3:amd64" as the list is named; apk's P: */
	const char *type; /* "deb", "apk" */
	size_t files, kept;
	uint64_t bytes, bytes_kept;
};

/* A shell, package manager (as the image rules SHP2030, SHP2031 find them) or setuid or
 * setgid file (SHP2020) of the image, and whether it is in the slim one. */
struct shp_slim_found {
	char *path; /* "/usr/bin/sh" */
	uint32_t mode;
	int kept; /* a setuid file's bits are cleared */
};

struct shp_slim_result {
	size_t files_in, files_kept; /* regular files of the final filesystem */
	uint64_t bytes_in, bytes_kept;
	size_t setid_cleared, caps_dropped;
	char **kept; /* the kept paths ("/usr/bin/x"), sorted */
	size_t nkept;
	struct shp_slim_pkg *pkgs; /* by name; those with no file in the image left out */
	size_t npkgs;
	struct shp_slim_found *shells, *package_managers, *setid;
	size_t nshells, npackage_managers, nsetid;
	char **notes; /* what static analysis could not see, and what it left */
	size_t nnotes, cnotes;
	char *entrypoint; /* the program the image starts, resolved, or NULL */
	char user[64], was_user[64];
	char manifest_digest[72], config_digest[72], layer_digest[72];
	uint64_t layer_bytes;
	int traced;			      /* run holds the traced run of the image */
	struct shp_sandbox_result run, check; /* the image's run, and the slim image's (verified) */
	int verified;			      /* 1 the same results, 0 not (differ says how), -1 not run */
	char **differ;			      /* what the slim image's run did otherwise */
	size_t ndiffer, cdiffer;
	char **missed; /* paths the slim image's run looked for in vain that the image has */
	size_t nmissed, cmissed;
};

/* Works out what img needs (scanned, u built over it) and writes the slim image to
 * o->output. -1 with err on bad input or an I/O error. */
int shp_slim(struct shp_image *img, const struct shp_union *u, const struct shp_slim_opts *o,
	     struct shp_slim_result *res, struct shp_error **err);
void shp_slim_result_free(struct shp_slim_result *res);
