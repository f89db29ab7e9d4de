/* workload.h - one container as it would run, whatever described it (a compose service, a
 * Kubernetes container with its pod's settings merged in, a `docker inspect` object, a
 * `docker run` line). The readers fill it; the audit rules (rules/audit.c) judge it. Every
 * setting keeps the place it came from (shp_pos below). */
#pragma once
#include "util/arena.h"

#include <stddef.h>
#include <stdint.h>

/* Where a setting was written: its line and column in one number, so that a value and its
 * place travel together through every reader (0: not set; the default applies). */
typedef int64_t shp_pos;
static inline shp_pos shp_pos_at(long line, long col)
{
	return line > 0 ? ((shp_pos)line << 16) | (col < 1 ? 1 : col > 0xffff ? 0xffff : col) : 0;
}
static inline int shp_pos_line(shp_pos p) { return (int)(p >> 16); }
static inline int shp_pos_col(shp_pos p) { return (int)(p & 0xffff); }

/* A setting's value and where it was written. */
struct shp_wl_bool {
	int set, value;
	shp_pos at;
};
struct shp_wl_str {
	const char *value; /* NULL: not set */
	shp_pos at;
};

struct shp_wl_mount {
	const char *source; /* host path (bind, hostPath) or NULL for named volumes */
	const char *target;
	const char *type; /* "bind", "volume", "hostPath:Socket", ... */
	int read_only;
	int propagation_shared; /* rshared/shared, or Bidirectional */
	shp_pos at;
};

struct shp_wl_env {
	const char *name, *value;
	shp_pos at;
};

struct shp_wl_port {
	long host; /* 0 when not published on the host */
	shp_pos at;
};

/* A Pod Security Standards control the pod breaks (audit/pss.h): where and what. */
struct shp_wl_pss {
	int control; /* enum shp_pss_control */
	shp_pos at;
	const char *detail; /* arena */
};

struct shp_workload {
	const char *file;
	const char *kind;      /* "service", "Deployment", "container" (inspect), "docker run" */
	const char *name;      /* service / workload / container name */
	const char *container; /* Kubernetes container name, or NULL */
	shp_pos at;	       /* where it starts */
	struct shp_wl_str image, user;
	struct shp_wl_bool privileged, read_only_rootfs, no_new_privileges, run_as_non_root;
	struct shp_wl_bool host_pid, host_ipc, host_network, host_uts, host_userns, automount_token;
	struct shp_wl_bool memory_limit, cpu_limit, pids_limit;
	struct shp_wl_str seccomp, apparmor; /* "unconfined" or a profile */
	const char **cap_add, **cap_drop;
	shp_pos *cap_add_at;
	size_t ncap_add, ncap_drop;
	shp_pos cap_drop_at;
	struct shp_wl_mount *mounts;
	size_t nmounts;
	const char **devices;
	shp_pos *device_at;
	size_t ndevices;
	struct shp_wl_env *env;
	size_t nenv;
	struct shp_wl_port *ports;
	size_t nports;
	int is_k8s;	    /* Kubernetes defaults differ (no user namespace, no PID limit knob) */
	const char *exempt; /* rule aliases its annotations exempt it from ("polaris-hostPathSet",
			     * "polaris-*"), comma-separated, or NULL */
	/* Kubernetes only: the group, requests, pull policy, probes, secrets read into the
	 * environment; and, on the pod's first container (pod_first), the pod's own settings */
	struct shp_wl_str group, pull_policy, secret_env; /* secret_env: the first variable from a Secret */
	struct shp_wl_bool memory_request, cpu_request, liveness, readiness;
	int pod_first;
	int is_init; /* an init or ephemeral container: no probes */
	struct shp_wl_str namespace, fs_group;
	struct shp_wl_bool root_supplemental, host_aliases;
	struct shp_wl_bool healthcheck; /* compose: healthcheck: set (value 0: disable: true) */
	/* audit --images: the image's own config (image_read 1; -1: it could not be read) */
	int image_read;
	const char *image_user; /* its User ("" when it sets none: root) */
	int image_healthcheck;	/* it has a HEALTHCHECK that is not NONE */
	struct shp_wl_pss *pss; /* audit --pss: the pod's violations, on its first container */
	size_t npss;
	struct shp_wl_mount *unmounted; /* the pod's hostPath volumes no container mounts (target:
					 * the volume's name; type: hostPath's, or NULL), on its
					 * first container */
	size_t nunmounted;
	size_t cap_add_cap, cap_drop_cap, mounts_cap, devices_cap, env_cap, ports_cap, pss_cap, unmounted_cap;
};

/* An inline ignore in a YAML file, for the findings on one line: "# shipshape ignore=ID,ID"
 * (or "# trivy:ignore:ID", "*" for every rule) at the end of that line, or alone on the
 * lines just above it. Above a service or container it covers what is reported there. */
struct shp_wl_pragma {
	const char *file;
	int line;	 /* the line it covers */
	const char *ids; /* "SHP4001,privileged-container", or "*" */
};

struct shp_workloads {
	struct shp_workload *v;
	size_t n, cap;
	struct shp_arena arena;	  /* every string */
	int pss_level, pss_minor; /* audit --pss (enum shp_pss_level, 0: off) and --pss-version */
	struct shp_wl_pragma *pragmas;
	size_t npragmas, cpragmas;
};

struct shp_workload *shp_wl_new(struct shp_workloads *w, const char *file, const char *kind, const char *name,
				shp_pos at);
const char *shp_wl_dup(struct shp_workloads *w, const char *s);
/* Notes the inline ignores in a YAML file's text. */
void shp_wl_scan_pragmas(struct shp_workloads *w, const char *file, const char *text, size_t len);
void shp_wl_cap(struct shp_workloads *w, struct shp_workload *x, int add, const char *cap, shp_pos at);
void shp_wl_mount(struct shp_workloads *w, struct shp_workload *x, const struct shp_wl_mount *m);
void shp_wl_device(struct shp_workloads *w, struct shp_workload *x, const char *dev, shp_pos at);
void shp_wl_env(struct shp_workloads *w, struct shp_workload *x, const char *name, const char *value, shp_pos at);
void shp_wl_port(struct shp_workloads *w, struct shp_workload *x, long host, shp_pos at);
void shp_workloads_free(struct shp_workloads *w);

/* The string forms compose, docker inspect and docker run share:
 *   security option  "no-new-privileges[:true]", "seccomp=unconfined", "apparmor:unconfined"
 *   volume           "SRC:DST[:ro,rshared]" (a host path when SRC starts /, . or ~), "DST"
 *   port             "[IP:]HOST:CTR[/proto]", "CTR" (not published on the host)
 *   environment      "KEY=VALUE"; a bare KEY is inherited: kept with a NULL value */
void shp_wl_security_opt(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at);
void shp_wl_volume_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at);
void shp_wl_port_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at);
void shp_wl_env_kv(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at);
