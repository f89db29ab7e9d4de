/* host.h - the host checks (SHP50xx): a container host's filesystem, read offline from a root
 * directory (/ by default): engine sockets, the docker group, daemon.json, the ownership and
 * modes of the engine's files; and, where its API socket answers, the live engine. */
#pragma once
#include "audit/yaml.h"
#include "config/config.h"
#include "rules/rule.h"
#include "util/buf.h"

#include <sys/stat.h>

/* An engine socket found under the root. */
struct shp_host_socket {
	char *path;      /* as inside the root: "/var/run/docker.sock" */
	const char *engine; /* "docker", "containerd", "cri-o", "podman" */
	struct stat st;
	long rootless_uid; /* -1, or the UID of /run/user/UID/... */
};

struct shp_host_ctx {
	const char *root;           /* "/" or the directory given */
	const struct shp_config *cfg;
	const struct shp_rule *rule;
	struct shp_findings *out;
	struct shp_host_socket *sockets;
	size_t nsockets;
	int docker;                 /* a Docker engine is installed (files, socket or binary) */
	struct shp_ystream daemon;  /* /etc/docker/daemon.json, n == 0 if absent */
	const char *daemon_path;    /* the real path of daemon.json */
};

/* The path of p (absolute, inside the host) under ctx->root; caller frees. */
char *shp_host_path(const struct shp_host_ctx *ctx, const char *p);
void shp_host_report(struct shp_host_ctx *ctx, enum shp_severity sev, const char *file, int line, const char *evidence,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Gathers what the checks read (sockets, daemon.json); -1 with err on a broken daemon.json. */
int shp_host_load(struct shp_host_ctx *ctx, struct shp_error **err);
/* The daemon.json part of loading, from text (ctx->daemon_path names it). */
int shp_host_load_daemon(struct shp_host_ctx *ctx, const char *text, size_t len, struct shp_error **err);
void shp_host_free(struct shp_host_ctx *ctx);
void shp_host_check(struct shp_host_ctx *ctx);
/* What the live engine says at its API socket (GET /version and /info), as JSON members
 * ("engine_api": {...}); 0 if it answered, -1 if not (then nothing is appended). */
int shp_host_api(const char *socket_path, struct shp_buf *json, struct shp_buf *text);
