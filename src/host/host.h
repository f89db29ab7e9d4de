/* host.h - the inspection of a container host, read offline from a root directory (/ by
 * default) as a chroot would see it: the engine sockets, whether Docker is installed, and
 * /etc/docker/daemon.json; the root's files and the names of its users and groups for the
 * checks (rules/host.h) that judge them. The live engine's API is in host/engine-api.h. */
#pragma once
#include "audit/yaml.h"
#include "util/error.h"

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>

struct shp_config;
struct shp_findings;
struct shp_rule;

/* An engine socket found under the root. */
struct shp_host_socket {
	char *path;	    /* as inside the root: "/var/run/docker.sock" */
	const char *engine; /* "docker", "containerd", "cri-o", "podman" */
	struct stat st;
	long rootless_uid; /* -1, or the UID of /run/user/UID/... */
};

/* What was found under a root, and (cfg, rule, out) the state of the checks run on it. */
struct shp_host_ctx {
	const char *root; /* "/" or the directory given */
	const struct shp_config *cfg;
	const struct shp_rule *rule;
	struct shp_findings *out;
	struct shp_host_socket *sockets;
	size_t nsockets;
	int docker;		   /* a Docker engine is installed (files, socket or binary) */
	struct shp_ystream daemon; /* /etc/docker/daemon.json, n == 0 if absent */
	const char *daemon_path;   /* the real path of daemon.json */
};

/* The path of p (absolute, inside the host) under ctx->root; caller frees. */
char *shp_host_path(const struct shp_host_ctx *ctx, const char *p);
/* Gathers what the checks read (sockets, daemon.json); -1 with err on a broken daemon.json. */
int shp_host_load(struct shp_host_ctx *ctx, struct shp_error **err);
/* The daemon.json part of loading, from text (ctx->daemon_path names it). */
int shp_host_load_daemon(struct shp_host_ctx *ctx, const char *text, size_t len, struct shp_error **err);
void shp_host_free(struct shp_host_ctx *ctx);

/* ---- the root's files, resolved inside it (see host.c) ---- */
/* The whole of file p of the host (at most limit bytes), as shp_read_file gives it. */
int shp_host_read(const struct shp_host_ctx *ctx, const char *p, size_t limit, char **text, size_t *len,
		  struct shp_error **err);
/* lstat(2) of p inside the host's root (its last component not followed). */
int shp_host_lstat(const struct shp_host_ctx *ctx, const char *p, struct stat *st);
/* opendir(3) of p inside the host's root; caller closedir()s. */
DIR *shp_host_opendir(const struct shp_host_ctx *ctx, const char *p);
/* The name of id in <root>/etc/passwd (field 3) or /etc/group (field 3), or NULL; caller frees. */
char *shp_host_name_of(const struct shp_host_ctx *ctx, const char *file, long id);
