/* audit.c - run-configuration rules over workloads (compose services, Kubernetes containers).
 * Aliases: CIS Docker Benchmark v1.6.0 section 5 (as docker-bench-security numbers it),
 * kubesec.io checks, Polaris checks. A setting that is
 * absent takes the engine's default: compose's are Docker's (root, no limits, writable root,
 * privilege escalation allowed), Kubernetes' the kubelet's. */
#include "rules/audit.h"
#include "rules/df-util.h"
#include "rules/families.h"
#include "secrets/tokens.h"
#include "util/cleanup.h"
#include "util/user.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *who(const struct shp_workload *w)
{
	if (w->container)
		return shp_asprintf("%s container %s", w->name, w->container);
	return shp_asprintf("%s %s", w->kind, w->name ? w->name : "?");
}

static int pragma_cmp(const char *file, int line, const struct shp_wl_pragma *p)
{
	int c = strcmp(file, p->file);
	return c ? c : (line > p->line) - (line < p->line);
}

static int pragma_order(const void *a, const void *b)
{
	const struct shp_wl_pragma *x = a;
	return pragma_cmp(x->file, x->line, b);
}

/* The run of inline ignores in the workload's file at line, into *run and *n. */
static void pragmas_at(const struct shp_audit_ctx *ctx, int line, const struct shp_wl_pragma **run, size_t *n)
{
	size_t lo = 0, hi = ctx->npragmas; /* the first at (file, line) or after */
	while (line > 0 && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pragma_cmp(ctx->wl->file, line, &ctx->pragmas[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (line > 0 && end < ctx->npragmas && !pragma_cmp(ctx->wl->file, line, &ctx->pragmas[end]))
		end++;
	*n = end - lo;
	*run = *n ? ctx->pragmas + lo : NULL;
}

/* pod: the finding is the pod's, named by the pod alone (it is told on its first container) */
__attribute__((format(printf, 6, 0))) static void report(struct shp_audit_ctx *ctx, int pod, enum shp_severity sev,
							 shp_pos at, const char *evidence, const char *fmt, va_list ap)
{
	char *what = shp_vasprintf(fmt, ap);
	_cleanup_free_ char *w = pod ? shp_xstrdup(ctx->wl->name ? ctx->wl->name : "?") : who(ctx->wl);
	char *msg = shp_asprintf("%s: %s", w, what);
	free(what);
	struct shp_finding *f = shp_findings_add(ctx->out, ctx->rule, sev, ctx->wl->file, evidence, msg);
	struct shp_finding_pragmas p = {.exempt = ctx->wl->exempt};
	pragmas_at(ctx, shp_pos_line(at ? at : ctx->wl->at), &p.yaml[0], &p.nyaml[0]);
	pragmas_at(ctx, shp_pos_line(ctx->wl->at), &p.yaml[1], &p.nyaml[1]);
	shp_finding_set_pragmas(ctx->out, f, &p);
	if (!at)
		at = ctx->wl->at;
	f->line = shp_pos_line(at);
	f->col = shp_pos_col(at);
}

void shp_audit_report(struct shp_audit_ctx *ctx, shp_pos at, const char *evidence, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, 0, ctx->rule->severity, at, evidence, fmt, ap);
	va_end(ap);
}

static void report_sev(struct shp_audit_ctx *ctx, enum shp_severity sev, shp_pos at, const char *evidence,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report_sev(struct shp_audit_ctx *ctx, enum shp_severity sev, shp_pos at, const char *evidence,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, 0, sev, at, evidence, fmt, ap);
	va_end(ap);
}

#define W (ctx->wl)

/* How the setting is written where the workload came from. */
static const char *knob(const struct shp_workload *w, const char *compose, const char *k8s, const char *run)
{
	return w->is_k8s ? k8s : !strcmp(w->kind, "service") ? compose : run;
}

static void privileged(struct shp_audit_ctx *ctx)
{
	if (W->privileged.set && W->privileged.value)
		shp_audit_report(ctx, W->privileged.at, "privileged: true",
				 "runs privileged: every capability, every device, no seccomp or AppArmor confinement");
}

/* Capabilities by what they give away. */
static enum shp_severity cap_severity(const char *c)
{
	static const char *const high[] = {"ALL",	   "SYS_ADMIN",	 "SYS_MODULE",
					   "SYS_RAWIO",	   "SYS_PTRACE", "DAC_READ_SEARCH",
					   "DAC_OVERRIDE", "BPF",	 "PERFMON"};
	static const char *const medium[] = {"NET_ADMIN", "NET_RAW", "SYS_BOOT",  "SYS_TIME",	  "MKNOD",
					     "SETFCAP",	  "SYSLOG",  "MAC_ADMIN", "MAC_OVERRIDE", "LINUX_IMMUTABLE"};
	for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
		if (!strcmp(c, high[i]))
			return SHP_SEV_HIGH;
	for (size_t i = 0; i < sizeof medium / sizeof medium[0]; i++)
		if (!strcmp(c, medium[i]))
			return SHP_SEV_MEDIUM;
	return SHP_SEV_LOW;
}

static void cap_add(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->ncap_add; i++) {
		const char *c = W->cap_add[i];
		enum shp_severity s = cap_severity(c);
		if (s == SHP_SEV_LOW)
			continue; /* CHOWN, NET_BIND_SERVICE...: in Docker's default set or harmless */
		char ev[64];
		snprintf(ev, sizeof ev, "cap_add: %s", c);
		report_sev(ctx, s, W->cap_add_at[i], ev, "adds capability %s%s", c,
			   !strcmp(c, "ALL")	     ? " (all of them)"
			   : !strcmp(c, "SYS_ADMIN") ? " (nearly root on the host)"
						     : "");
	}
}

static void cap_drop(struct shp_audit_ctx *ctx)
{
	if (W->privileged.value)
		return; /* privileged says it already */
	for (size_t i = 0; i < W->ncap_drop; i++)
		if (!strcmp(W->cap_drop[i], "ALL"))
			return;
	shp_audit_report(ctx, W->cap_drop_at, NULL, "does not drop capabilities (%s, then add back only what it needs)",
			 knob(W, "cap_drop: [ALL]", "capabilities.drop: [ALL]", "--cap-drop ALL"));
}

static void root_user(struct shp_audit_ctx *ctx)
{
	if (W->user.value && shp_user_is_root(W->user.value, SHP_USER_UNSET_UNKNOWN)) {
		char ev[80];
		snprintf(ev, sizeof ev, "%s: %s", W->is_k8s ? "runAsUser" : "user", W->user.value);
		shp_audit_report(ctx, W->user.at, ev, "runs as root (UID 0)");
		return;
	}
	int nonroot = (W->run_as_non_root.set && W->run_as_non_root.value) ||
		      (W->user.value && strtol(W->user.value, NULL, 10) > 0);
	if (!W->user.value && W->image_read == 1 && !nonroot) { /* --images: the image decides, and says */
		if (shp_user_is_root(W->image_user, SHP_USER_UNSET_ROOT)) {
			char ev[80];
			snprintf(ev, sizeof ev, "image USER: %s", *W->image_user ? W->image_user : "(none)");
			shp_audit_report(ctx, W->image.at, ev,
					 "runs as root: it sets no user, and its image's is %s "
					 "(from the image)",
					 *W->image_user ? W->image_user : "none, which is root");
		}
		return;
	}
	if (!W->is_k8s)
		return; /* compose without user: the image decides (--images reads it) */
	if (!nonroot)
		report_sev(ctx, SHP_SEV_MEDIUM, W->run_as_non_root.at, NULL,
			   "may run as root: neither runAsNonRoot: true nor a non-zero runAsUser");
}

static void no_new_privs(struct shp_audit_ctx *ctx)
{
	if (W->privileged.value || (W->no_new_privileges.set && W->no_new_privileges.value))
		return;
	shp_audit_report(
		ctx, W->no_new_privileges.at,
		W->no_new_privileges.set ? (W->is_k8s ? "allowPrivilegeEscalation: true" : "no-new-privileges:false")
					 : NULL,
		W->is_k8s ? "allows privilege escalation (set allowPrivilegeEscalation: false)"
		: !strcmp(W->kind, "service")
			? "can gain privileges through setuid binaries (security_opt: [no-new-privileges:true])"
			: "can gain privileges through setuid binaries (--security-opt no-new-privileges)");
}

static void host_ns(struct shp_audit_ctx *ctx, const struct shp_wl_bool *b, const char *what, const char *ev)
{
	if (b->set && b->value)
		shp_audit_report(ctx, b->at, ev, "shares the host's %s namespace", what);
}

static void host_pid(struct shp_audit_ctx *ctx)
{
	host_ns(ctx, &W->host_pid, "PID", W->is_k8s ? "hostPID: true" : "pid: host");
}
static void host_ipc(struct shp_audit_ctx *ctx)
{
	host_ns(ctx, &W->host_ipc, "IPC", W->is_k8s ? "hostIPC: true" : "ipc: host");
}
static void host_net(struct shp_audit_ctx *ctx)
{
	host_ns(ctx, &W->host_network, "network", W->is_k8s ? "hostNetwork: true" : "network_mode: host");
}
static void host_uts(struct shp_audit_ctx *ctx) { host_ns(ctx, &W->host_uts, "UTS", "uts: host"); }
static void host_userns(struct shp_audit_ctx *ctx) { host_ns(ctx, &W->host_userns, "user", "userns_mode: host"); }

/* The directories that hold an engine's socket: dockerd's /var/run/docker holds containerd's
 * (docker/containerd/containerd.sock), and /run (/var/run) holds them all. */
static int is_engine_socket_dir(const char *p)
{
	static const char *const dirs[] = {"/run",
					   "/var/run",
					   "/run/docker",
					   "/var/run/docker",
					   "/run/containerd",
					   "/var/run/containerd",
					   "/run/crio",
					   "/var/run/crio",
					   "/run/podman",
					   "/var/run/podman"};
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strlen(dirs[i]) == n && !strncmp(p, dirs[i], n))
			return 1;
	return 0;
}

static int is_engine_socket(const char *p)
{
	static const char *const socks[] = {"/docker.sock", "/containerd.sock", "/crio.sock",
					    "/podman.sock", "/dockershim.sock", "/cri-dockerd.sock"};
	size_t n = strlen(p);
	for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++) {
		size_t k = strlen(socks[i]);
		if (n >= k && !strcmp(p + n - k, socks[i]))
			return 1;
	}
	return is_engine_socket_dir(p);
}

/* The host paths whose exposure gives the host away. */
static int sensitive_path(const char *p, const char **which)
{
	static const char *const exact[] = {"/", "/var/run", "/run", "/dev", "/var", "/usr", "/lib"};
	static const char *const tree[] = {
		"/proc", "/sys", "/etc", "/boot", "/root", "/var/lib/docker", "/var/lib/kubelet", "/var/lib/containerd",
		"/home"};
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", p);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = 0;
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (!strcmp(buf, exact[i])) {
			*which = exact[i];
			return 1;
		}
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
		size_t k = strlen(tree[i]);
		if (!strncmp(buf, tree[i], k) && (buf[k] == 0 || buf[k] == '/')) {
			*which = tree[i];
			return 1;
		}
	}
	return 0;
}

static void engine_socket(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nmounts; i++) {
		const struct shp_wl_mount *m = &W->mounts[i];
		if (!m->source || !is_engine_socket(m->source))
			continue;
		char ev[300];
		snprintf(ev, sizeof ev, "%s:%s%s", m->source, m->target, m->read_only ? ":ro" : "");
		shp_audit_report(
			ctx, m->at, ev, "mounts %s%s: whoever is in the container controls the host%s",
			is_engine_socket_dir(m->source) ? "the directory holding the container engine's socket, "
							: "the container engine's socket ",
			m->source, m->read_only ? " (read-only does not help: the API is still writable)" : "");
	}
}

static void host_paths(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nmounts; i++) {
		const struct shp_wl_mount *m = &W->mounts[i];
		const char *which;
		if (!m->source || is_engine_socket(m->source) || !sensitive_path(m->source, &which))
			continue;
		char ev[300];
		snprintf(ev, sizeof ev, "%s:%s%s", m->source, m->target, m->read_only ? ":ro" : "");
		int under = strcmp(which, m->source) != 0;
		report_sev(ctx, m->read_only ? SHP_SEV_MEDIUM : SHP_SEV_HIGH, m->at, ev, "mounts the host's %s%s%s%s%s",
			   m->source, under ? " (under " : "", under ? which : "", under ? ")" : "",
			   m->read_only ? " read-only" : " writable");
	}
}

static void devices(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->ndevices; i++)
		shp_audit_report(ctx, W->device_at[i], W->devices[i], "has the host device %s", W->devices[i]);
}

static void read_only(struct shp_audit_ctx *ctx)
{
	if (!(W->read_only_rootfs.set && W->read_only_rootfs.value))
		shp_audit_report(ctx, W->read_only_rootfs.at, NULL, "root filesystem is writable (%s)",
				 knob(W, "read_only: true", "readOnlyRootFilesystem: true", "--read-only"));
}

static void limit(struct shp_audit_ctx *ctx, const struct shp_wl_bool *b, const char *what, const char *how)
{
	if (!(b->set && b->value))
		shp_audit_report(ctx, b->at, NULL, "no %s limit (%s)", what, how);
}

static void mem_limit(struct shp_audit_ctx *ctx)
{
	limit(ctx, &W->memory_limit, "memory",
	      knob(W, "mem_limit or deploy.resources.limits.memory", "resources.limits.memory", "--memory"));
}
static void cpu_limit(struct shp_audit_ctx *ctx)
{
	limit(ctx, &W->cpu_limit, "CPU",
	      knob(W, "cpus or deploy.resources.limits.cpus", "resources.limits.cpu", "--cpus"));
}
static void pids_limit(struct shp_audit_ctx *ctx)
{
	if (!W->is_k8s) /* Kubernetes sets PID limits per node, not per container */
		limit(ctx, &W->pids_limit, "PIDs", knob(W, "pids_limit", "", "--pids-limit"));
}

static int unconfined(const char *v) { return v && (!strcasecmp(v, "unconfined") || !strcasecmp(v, "Unconfined")); }

static void seccomp(struct shp_audit_ctx *ctx)
{
	if (unconfined(W->seccomp.value))
		shp_audit_report(ctx, W->seccomp.at, W->is_k8s ? "seccompProfile: Unconfined" : "seccomp:unconfined",
				 "runs without a seccomp profile: every system call is open");
	else if (W->is_k8s && !W->seccomp.value) /* the engines' default profile applies elsewhere */
		report_sev(ctx, SHP_SEV_MEDIUM, W->at, NULL,
			   "sets no seccomp profile, and the kubelet's default is Unconfined: every system call is "
			   "open unless the node runs with --seccomp-default");
}

static void apparmor(struct shp_audit_ctx *ctx)
{
	if (unconfined(W->apparmor.value))
		shp_audit_report(ctx, W->apparmor.at, "apparmor: unconfined", "runs without an AppArmor profile");
}

static void propagation(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nmounts; i++)
		if (W->mounts[i].propagation_shared)
			shp_audit_report(ctx, W->mounts[i].at, W->mounts[i].target,
					 "mount %s propagates mounts back to the host (shared / Bidirectional)",
					 W->mounts[i].target);
}

static void privileged_port(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nports; i++)
		if (W->ports[i].host > 0 && W->ports[i].host < 1024) {
			char ev[32];
			snprintf(ev, sizeof ev, "host port %ld", W->ports[i].host);
			shp_audit_report(ctx, W->ports[i].at, ev, "publishes privileged host port %ld",
					 W->ports[i].host);
		}
}

static void image_tag(struct shp_audit_ctx *ctx)
{
	const char *i = W->image.value;
	if (!i || strchr(i, '@') || strchr(i, '$'))
		return;
	const char *slash = strrchr(i, '/'), *colon = strrchr(slash ? slash : i, ':');
	if (!colon)
		shp_audit_report(ctx, W->image.at, i, "image %s has no tag: it runs whatever latest is at pull time",
				 i);
	else if (!strcmp(colon + 1, "latest"))
		shp_audit_report(ctx, W->image.at, i, "image %s uses the latest tag", i);
}

static void env_secrets(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nenv; i++) {
		const struct shp_wl_env *e = &W->env[i];
		struct shp_token_match m;
		if (!e->name || !e->value || !*e->value)
			continue;
		int token = shp_token_find(e->value, &m);
		if (!token && !(shp_secret_name(e->name) && shp_secret_literal(e->value)))
			continue;
		_cleanup_free_ char *red = shp_redact(e->value);
		_cleanup_free_ char *ev = shp_asprintf("%s=%s", e->name, red);
		shp_audit_report(ctx, e->at, ev, "%s is set to a literal %s in the file (use a secret)", e->name,
				 token ? m.kind : "secret");
	}
}

static void automount(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && !(W->automount_token.set && !W->automount_token.value))
		shp_audit_report(ctx, W->automount_token.at, NULL,
				 "mounts the service account token (automountServiceAccountToken: false if it "
				 "does not call the API)");
}

static void host_path_volume(struct shp_audit_ctx *ctx)
{
	for (size_t i = 0; i < W->nmounts; i++) {
		const struct shp_wl_mount *m = &W->mounts[i];
		const char *which;
		if (!m->source || is_engine_socket(m->source) || sensitive_path(m->source, &which))
			continue; /* those have their own rules */
		if (!m->type || (strncmp(m->type, "hostPath", 8) && strcmp(m->type, "bind")))
			continue;
		if (!strcmp(m->type, "bind") && m->source[0] == '.')
			continue; /* the project's own directory: the usual development bind */
		const char *t = !strncmp(m->type, "hostPath:", 9) ? m->type + 9 : NULL;
		shp_audit_report(ctx, m->at, m->source, "mounts host path %s%s%s%s%s", m->source,
				 m->read_only ? " read-only" : " writable", t ? " (type " : "", t ? t : "",
				 t ? ")" : "");
	}
	for (size_t i = 0; i < W->nunmounted; i++) { /* the pod's, whichever path it is */
		const struct shp_wl_mount *m = &W->unmounted[i];
		shp_audit_report_pod(ctx, m->at, m->source,
				     "hostPath volume \"%s\" (%s%s%s) is mounted by no container, but the kubelet "
				     "still sets it up on the node",
				     m->target, m->source, m->type ? ", type " : "", m->type ? m->type : "");
	}
}

/* A uid or gid written as a number below 10000, but not 0 (root has its own rules): it may be
 * a user of the node's, whose files the container could reach through a shared mount. */
static int low_id(const char *v)
{
	char *end;
	long id = v ? strtol(v, &end, 10) : -1;
	return v && *v && !*end && id > 0 && id < 10000;
}

static void low_uid(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && low_id(W->user.value))
		shp_audit_report(ctx, W->user.at, W->user.value,
				 "runs as uid %s, below 10000: it may be a user of the node's", W->user.value);
}

static void low_gid(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && low_id(W->group.value))
		shp_audit_report(ctx, W->group.at, W->group.value,
				 "runs as gid %s, below 10000: it may be a group of the node's", W->group.value);
}

static void root_group(struct shp_audit_ctx *ctx)
{
	if (!W->is_k8s)
		return;
	if (W->group.value && !strcmp(W->group.value, "0"))
		shp_audit_report(ctx, W->group.at, "runAsGroup: 0", "runs with the root group (gid 0)");
	if (W->fs_group.value && !strcmp(W->fs_group.value, "0"))
		shp_audit_report_pod(ctx, W->fs_group.at, "fsGroup: 0",
				     "fsGroup 0 gives every volume to the root group");
	if (W->root_supplemental.set)
		shp_audit_report_pod(ctx, W->root_supplemental.at, "supplementalGroups: [0]",
				     "supplementalGroups adds the root group (gid 0) to every container");
}

static void request(struct shp_audit_ctx *ctx, const struct shp_wl_bool *b, const char *what, const char *key)
{
	if (W->is_k8s && !b->set)
		shp_audit_report(ctx, 0, NULL,
				 "no %s request (resources.requests.%s): the scheduler cannot place it "
				 "by what it needs, and it is evicted first",
				 what, key);
}
static void mem_request(struct shp_audit_ctx *ctx) { request(ctx, &W->memory_request, "memory", "memory"); }
static void cpu_request(struct shp_audit_ctx *ctx) { request(ctx, &W->cpu_request, "CPU", "cpu"); }

static void image_digest(struct shp_audit_ctx *ctx)
{
	const char *i = W->image.value;
	if (W->is_k8s && i && !strchr(i, '@') && !strchr(i, '$'))
		shp_audit_report(ctx, W->image.at, i,
				 "image %s is not pinned by digest (@sha256:...): a tag can be moved to other content",
				 i);
}

static void untrusted_image(struct shp_audit_ctx *ctx)
{
	const char *i = W->image.value;
	if (!ctx->cfg || !ctx->cfg->ntrusted || !i || strchr(i, '$'))
		return;
	_cleanup_free_ char *reg = image_registry(i);
	if (!shp_config_registry_trusted(ctx->cfg, reg))
		shp_audit_report(ctx, W->image.at, i,
				 "image %s comes from registry \"%s\", which is not in the trusted list", i, reg);
}

static void latest_pull(struct shp_audit_ctx *ctx)
{
	const char *i = W->image.value;
	if (!W->is_k8s || !i || strchr(i, '@') || strchr(i, '$'))
		return;
	const char *slash = strrchr(i, '/'), *colon = strrchr(slash ? slash : i, ':');
	int latest = !colon || !strcmp(colon + 1, "latest");
	const char *pp = W->pull_policy.value;
	/* unset, the kubelet's default for latest is Always */
	if (latest && pp && strcmp(pp, "Always"))
		shp_audit_report(ctx, W->pull_policy.at, pp,
				 "image %s is latest with imagePullPolicy %s: nodes run whichever latest they pulled "
				 "first",
				 i, pp);
}

static void secret_env(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && W->secret_env.at)
		shp_audit_report(ctx, W->secret_env.at, W->secret_env.value,
				 "reads a Secret into the environment%s%s: child processes inherit it, and crash dumps "
				 "and debug endpoints show it",
				 W->secret_env.value ? " as " : "", W->secret_env.value ? W->secret_env.value : "");
}

static void probes(struct shp_audit_ctx *ctx)
{
	if (!W->is_k8s || W->is_init || (W->liveness.set && W->readiness.set))
		return;
	shp_audit_report(ctx, 0, NULL, "no %s: %s",
			 !W->liveness.set && !W->readiness.set ? "livenessProbe or readinessProbe"
			 : !W->liveness.set		       ? "livenessProbe"
							       : "readinessProbe",
			 !W->liveness.set ? "a hung container is not restarted"
					  : "traffic reaches it before it is ready");
}

static void default_namespace(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && W->pod_first && W->namespace.value && !strcmp(W->namespace.value, "default"))
		shp_audit_report_pod(ctx, W->namespace.at, "namespace: default",
				     "runs in the default namespace, which every user and service account of the "
				     "cluster shares");
}

static void host_aliases(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s && W->host_aliases.set)
		shp_audit_report_pod(ctx, W->host_aliases.at, "hostAliases",
				     "hostAliases writes the pod's /etc/hosts: names resolve where the manifest says, "
				     "not where DNS does");
}

static void healthcheck(struct shp_audit_ctx *ctx)
{
	if (W->is_k8s || strcmp(W->kind, "service")) /* Kubernetes ignores HEALTHCHECK: its probes */
		return;
	if (W->healthcheck.set && !W->healthcheck.value)
		shp_audit_report(
			ctx, W->healthcheck.at, "healthcheck: {disable: true}",
			"turns the health check off: the engine cannot tell a hung container from a healthy one");
	else if (!W->healthcheck.set && W->image_read == 1 && !W->image_healthcheck)
		shp_audit_report(ctx, W->image.at, W->image.value,
				 "has no health check: neither the service nor its image defines one (from the image)");
}

#undef W

const struct shp_rule shp_rules_audit[] = {
	{.id = "SHP4001",
	 .slug = "privileged-container",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container runs privileged",
	 .rationale = "A privileged container has every capability and every host device, and no seccomp or "
		      "AppArmor confinement: breaking out is a matter of mounting the host's disk.",
	 .remediation = "Remove privileged; add only the capabilities or devices the workload needs.",
	 .aliases = {"CIS-5.5", "kubesec-Privileged", "polaris-privileged", "KSV017", "C-0057"},
	 .check_workload = privileged},
	{.id = "SHP4002",
	 .slug = "dangerous-capability",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container adds a dangerous capability",
	 .rationale = "SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, ALL and friends each open a known path "
		      "out of the container; NET_ADMIN and NET_RAW let it reshape or spoof the network.",
	 .remediation = "Drop the capability; if one is truly needed, add only it and document why.",
	 .aliases = {"CIS-5.4", "kubesec-CapSysAdmin", "polaris-dangerousCapabilities", "KSV005", "C-0046"},
	 .check_workload = cap_add},
	{.id = "SHP4003",
	 .slug = "capabilities-not-dropped",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container keeps the default capabilities",
	 .rationale = "Docker's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...) is more than most services "
		      "need; dropping all and adding back is least privilege.",
	 .remediation = "cap_drop: [ALL] (Kubernetes: capabilities.drop: [ALL]) and add back what is needed.",
	 .aliases = {"kubesec-CapDropAll", "polaris-insecureCapabilities", "KSV003"},
	 .check_workload = cap_drop},
	{.id = "SHP4004",
	 .slug = "runs-as-root",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container runs as root",
	 .rationale = "Root in the container is root on the host's kernel: any escape, or any writable host "
		      "mount, is a root compromise.",
	 .remediation = "Run as a non-root UID (user: 10001; Kubernetes: runAsNonRoot: true, runAsUser: 10001).",
	 .aliases = {"CIS-4.1", "kubesec-RunAsNonRoot", "polaris-runAsRootAllowed", "KSV012", "KSV105", "C-0013"},
	 .check_workload = root_user},
	{.id = "SHP4005",
	 .slug = "privilege-escalation-allowed",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container can gain privileges",
	 .rationale = "Without no-new-privileges, a setuid binary in the image can raise a process's privileges.",
	 .remediation = "security_opt: [no-new-privileges:true]; Kubernetes: allowPrivilegeEscalation: false.",
	 .aliases = {"CIS-5.26", "kubesec-AllowPrivilegeEscalation", "polaris-privilegeEscalationAllowed", "KSV001",
		     "C-0016"},
	 .check_workload = no_new_privs},
	{.id = "SHP4006",
	 .slug = "host-pid",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container shares the host's PID namespace",
	 .rationale = "It sees and can signal every process on the host, and reach their memory with ptrace.",
	 .remediation = "Remove pid: host (hostPID: true).",
	 .aliases = {"CIS-5.16", "kubesec-HostPID", "polaris-hostPIDSet", "KSV010"},
	 .check_workload = host_pid},
	{.id = "SHP4007",
	 .slug = "host-ipc",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container shares the host's IPC namespace",
	 .rationale = "Shared memory and semaphores of host processes become readable and writable.",
	 .remediation = "Remove ipc: host (hostIPC: true).",
	 .aliases = {"CIS-5.17", "kubesec-HostIPC", "polaris-hostIPCSet", "KSV008"},
	 .check_workload = host_ipc},
	{.id = "SHP4008",
	 .slug = "host-network",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container shares the host's network namespace",
	 .rationale = "It can bind any host port, reach services on localhost and sniff the host's traffic.",
	 .remediation = "Remove network_mode: host (hostNetwork: true); publish the ports it needs.",
	 .aliases = {"CIS-5.10", "kubesec-HostNetwork", "polaris-hostNetworkSet", "KSV009", "C-0041"},
	 .check_workload = host_net},
	{.id = "SHP4009",
	 .slug = "host-uts",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container shares the host's UTS namespace",
	 .rationale = "It can change the host's hostname and domain name.",
	 .remediation = "Remove uts: host.",
	 .aliases = {"CIS-5.21"},
	 .check_workload = host_uts},
	{.id = "SHP4010",
	 .slug = "host-userns",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container opts out of the engine's user namespace remapping",
	 .rationale = "userns_mode: host makes root in the container root on the host even where the daemon "
		      "remaps users.",
	 .remediation = "Remove userns_mode: host.",
	 .aliases = {"CIS-5.31"},
	 .check_workload = host_userns},
	{.id = "SHP4011",
	 .slug = "engine-socket-mounted",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container engine socket is mounted",
	 .rationale = "docker.sock, containerd.sock, crio.sock or podman.sock give full control of the engine, "
		      "hence of the host: start a privileged container and mount /. So do the directories that "
		      "hold them: /var/run/docker (containerd's socket), /run/containerd, /run and /var/run.",
	 .remediation = "Do not mount the socket; use a narrowly scoped proxy or the orchestrator's API.",
	 .aliases = {"CIS-5.32", "kubesec-DockerSock", "KSV006", "C-0074"},
	 .check_workload = engine_socket},
	{.id = "SHP4012",
	 .slug = "sensitive-host-path",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Sensitive host path is mounted",
	 .rationale = "/, /etc, /proc, /sys, /dev, /boot, /root, /run, /var/lib/docker and /var/lib/kubelet hold "
		      "the host's credentials, configuration and control files; writable, they are the host.",
	 .remediation = "Mount only the data directory the service needs, read-only where it can be.",
	 .aliases = {"CIS-5.6", "kubesec-HostPath"},
	 .check_workload = host_paths},
	{.id = "SHP4013",
	 .slug = "host-device",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Host device is exposed to the container",
	 .rationale = "Raw access to a host device bypasses the filesystem and its permissions.",
	 .remediation = "Remove the device; if it is needed, document why and limit it with cgroup rules.",
	 .aliases = {"CIS-5.18"},
	 .check_workload = devices},
	{.id = "SHP4014",
	 .slug = "writable-root-filesystem",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Root filesystem is writable",
	 .rationale = "A read-only root filesystem stops an intruder from dropping tools or changing binaries.",
	 .remediation = "read_only: true (readOnlyRootFilesystem: true) with tmpfs or volumes where it writes.",
	 .aliases = {"CIS-5.13", "kubesec-ReadOnlyRootFilesystem", "polaris-notReadOnlyRootFilesystem", "KSV014",
		     "C-0017"},
	 .check_workload = read_only},
	{.id = "SHP4015",
	 .slug = "no-memory-limit",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No memory limit",
	 .rationale = "One container can exhaust the host's memory and get its neighbours killed.",
	 .remediation = "Set a memory limit.",
	 .aliases = {"CIS-5.11", "kubesec-LimitsMemory", "polaris-memoryLimitsMissing", "KSV018"},
	 .check_workload = mem_limit},
	{.id = "SHP4016",
	 .slug = "no-cpu-limit",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No CPU limit",
	 .rationale = "One container can take every CPU of the host.",
	 .remediation = "Set a CPU limit.",
	 .aliases = {"CIS-5.12", "kubesec-LimitsCPU", "polaris-cpuLimitsMissing", "KSV011"},
	 .check_workload = cpu_limit},
	{.id = "SHP4017",
	 .slug = "no-pids-limit",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No PIDs limit",
	 .rationale = "Without a PIDs limit a fork bomb in one container exhausts the host's process table.",
	 .remediation = "pids_limit: 200 (or what the service needs).",
	 .aliases = {"CIS-5.29"},
	 .check_workload = pids_limit},
	{.id = "SHP4018",
	 .slug = "seccomp-unconfined",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Seccomp is disabled",
	 .rationale = "The default seccomp profile blocks dozens of system calls used in kernel exploits. "
		      "Kubernetes applies none unless asked: a pod that sets no profile (field or annotation) runs "
		      "Unconfined (medium; high when Unconfined is written).",
	 .remediation = "Remove seccomp:unconfined (Kubernetes: securityContext.seccompProfile.type: "
			"RuntimeDefault, on the pod or each container).",
	 .aliases = {"CIS-5.22", "kubesec-SeccompAny", "KSV104"},
	 .check_workload = seccomp},
	{.id = "SHP4019",
	 .slug = "apparmor-unconfined",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "AppArmor is disabled",
	 .rationale = "The engine's default AppArmor profile denies mounts and writes to /proc and /sys.",
	 .remediation = "Remove apparmor:unconfined; use the default or a custom profile.",
	 .aliases = {"CIS-5.2", "kubesec-ApparmorAny"},
	 .check_workload = apparmor},
	{.id = "SHP4020",
	 .slug = "mount-propagation-shared",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Mount propagation is shared",
	 .rationale = "Mounts made in the container appear on the host (and the other way round).",
	 .remediation = "Use the default private propagation (or rslave where host mounts must be seen).",
	 .aliases = {"CIS-5.20"},
	 .check_workload = propagation},
	{.id = "SHP4021",
	 .slug = "privileged-host-port",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Privileged host port is published",
	 .rationale = "Ports below 1024 are where the host's own services live; publishing one can shadow them.",
	 .remediation = "Publish on a port above 1024 and put a proxy in front if needed.",
	 .aliases = {"CIS-5.8"},
	 .check_workload = privileged_port},
	{.id = "SHP4022",
	 .slug = "image-not-pinned",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Image is latest or untagged",
	 .rationale = "What runs changes under you at every pull; a tag (better, a digest) makes it reviewable.",
	 .remediation = "Use a version tag, or image@sha256:... for immutability.",
	 .aliases = {"polaris-tagNotSpecified", "KSV013"},
	 .check_workload = image_tag},
	{.id = "SHP4023",
	 .slug = "secret-in-environment",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Secret written into the environment",
	 .rationale = "A literal password or token in a compose file or manifest is in version control, in "
		      "docker inspect output and in every process's environment.",
	 .remediation = "Use secrets (compose secrets:, Kubernetes Secret via valueFrom) or an env_file kept out "
			"of version control.",
	 .aliases = {"kubesec-EnvSecrets"},
	 .check_workload = env_secrets},
	{.id = "SHP4024",
	 .slug = "service-account-token-mounted",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Service account token is mounted",
	 .rationale = "Pods that never call the Kubernetes API still get a token an intruder can use against it.",
	 .remediation = "automountServiceAccountToken: false on the pod (or its service account).",
	 .aliases = {"kubesec-AutomountServiceAccountToken", "polaris-automountServiceAccountToken", "KSV036",
		     "C-0034"},
	 .check_workload = automount},
	{.id = "SHP4025",
	 .slug = "host-path-mount",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Host path is mounted",
	 .rationale = "A hostPath or bind mount ties the container to one host's files; writable, it can change "
		      "them. (The sensitive paths and engine sockets have their own rules.)",
	 .remediation = "Prefer volumes; if a host path is needed, mount it read-only and with a hostPath type.",
	 .aliases = {"polaris-hostPathSet", "KSV023"},
	 .check_workload = host_path_volume},
	{.id = "SHP4026",
	 .slug = "low-uid",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container runs with a uid below 10000",
	 .rationale = "Low uids are the node's own users; a container that shares one can read their files on a "
		      "shared or host mount, and a breakout lands as that user.",
	 .remediation = "Set runAsUser to 10000 or above.",
	 .check_workload = low_uid},
	{.id = "SHP4027",
	 .slug = "low-gid",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Container runs with a gid below 10000",
	 .rationale = "Low gids are the node's own groups (disk, docker, adm, ...).",
	 .remediation = "Set runAsGroup to 10000 or above.",
	 .check_workload = low_gid},
	{.id = "SHP4028",
	 .slug = "root-group",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Root group as primary, supplementary or fsGroup",
	 .rationale = "Group 0 owns much of the filesystem writable by root's group; a container in it can change "
		      "those files even as a non-root user.",
	 .remediation = "Use a non-zero runAsGroup, fsGroup and supplementalGroups.",
	 .aliases = {"KSV029"},
	 .check_workload = root_group},
	{.id = "SHP4029",
	 .slug = "no-memory-request",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No memory request",
	 .rationale = "Without a request the scheduler places the pod as if it needed nothing, and it is among the "
		      "first evicted under memory pressure.",
	 .remediation = "Set resources.requests.memory (a limit alone also sets it).",
	 .aliases = {"polaris-memoryRequestsMissing", "KSV016"},
	 .check_workload = mem_request},
	{.id = "SHP4030",
	 .slug = "no-cpu-request",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No CPU request",
	 .rationale = "Without a request the scheduler places the pod as if it needed no CPU.",
	 .remediation = "Set resources.requests.cpu (a limit alone also sets it).",
	 .aliases = {"polaris-cpuRequestsMissing", "KSV015"},
	 .check_workload = cpu_request},
	{.id = "SHP4031",
	 .slug = "image-no-digest",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Image is not pinned by digest",
	 .rationale = "A tag can be pushed again: nodes that pull at different times run different code, and a "
		      "registry compromise changes what runs.",
	 .remediation = "Use image@sha256:... (shipshape pin writes the digests).",
	 .check_workload = image_digest},
	{.id = "SHP4032",
	 .slug = "untrusted-registry-image",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Image from a registry not in the trusted list",
	 .rationale = "The configuration's trusted-registries says where images may come from.",
	 .remediation = "Mirror the image into a trusted registry, or add the registry to trusted-registries.",
	 .aliases = {"C-0078"},
	 .check_workload = untrusted_image},
	{.id = "SHP4033",
	 .slug = "latest-not-always-pulled",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "latest image with an imagePullPolicy other than Always",
	 .rationale = "Each node keeps the latest it pulled first: replicas run different versions.",
	 .remediation = "Pin a version (better: a digest), or use imagePullPolicy: Always.",
	 .aliases = {"C-0075"},
	 .check_workload = latest_pull},
	{.id = "SHP4034",
	 .slug = "secret-in-env-from-secret",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Secret read into environment variables",
	 .rationale = "Environment variables are inherited by every child process and shown by crash reports, "
		      "/proc and debug endpoints; a file from a Secret volume is not.",
	 .remediation = "Mount the Secret as a volume and read the file.",
	 .check_workload = secret_env},
	{.id = "SHP4035",
	 .slug = "no-health-probes",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "No liveness or readiness probe",
	 .rationale = "Without a liveness probe a hung container keeps running; without a readiness probe it "
		      "gets traffic before it can serve.",
	 .remediation = "Add livenessProbe and readinessProbe.",
	 .check_workload = probes},
	{.id = "SHP4036",
	 .slug = "default-namespace",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Workload in the default namespace",
	 .rationale = "The default namespace is shared by everything nobody placed: its RBAC, network policies and "
		      "quotas are the loosest.",
	 .remediation = "Give the workload its own namespace.",
	 .check_workload = default_namespace},
	{.id = "SHP4037",
	 .slug = "host-aliases",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "hostAliases overrides name resolution",
	 .rationale = "Entries written into /etc/hosts bypass DNS, and a manifest change can point a name at "
		      "another host.",
	 .remediation = "Use DNS (a Service, or an ExternalName) instead of hostAliases.",
	 .aliases = {"KSV007"},
	 .check_workload = host_aliases},
	{.id = "SHP4038",
	 .slug = "service-no-healthcheck",
	 .severity = SHP_SEV_INFO,
	 .scope = SHP_SCOPE_AUDIT,
	 .title = "Service has no health check",
	 .rationale = "Without a health check the engine, and depends_on: condition: service_healthy, cannot tell a "
		      "hung container from a healthy one. Without --images only healthcheck: {disable: true} is "
		      "known; with it, a service whose image has no HEALTHCHECK either.",
	 .remediation = "Add healthcheck: (or a HEALTHCHECK to the image).",
	 .check_workload = healthcheck},
	{0},
};

void shp_audit_report_pod(struct shp_audit_ctx *ctx, shp_pos at, const char *evidence, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, 1, ctx->rule->severity, at, evidence, fmt, ap);
	va_end(ap);
}

void shp_audit_check(struct shp_workloads *w, const struct shp_config *cfg, struct shp_findings *out)
{
	const struct shp_rule *rules[SHP_MAX_SCOPE_RULES];
	size_t n = shp_rules_active(SHP_SCOPE_AUDIT, rules);
	/* --pss judges by the standard alone, and without it the standard's rules have nothing */
	size_t kept = 0;
	int pss = cfg && cfg->pss_level;
	for (size_t i = 0; i < n; i++)
		if (!rules[i]->pss_control == !pss)
			rules[kept++] = rules[i];
	n = kept;
	/* sorted where they are: the findings point at them until the policy stage has run */
	if (w->npragmas > 1)
		qsort(w->pragmas, w->npragmas, sizeof *w->pragmas, pragma_order);
	for (size_t k = 0; k < w->n; k++) {
		struct shp_audit_ctx ctx = {
			.pragmas = w->pragmas, .npragmas = w->npragmas, .wl = &w->v[k], .cfg = cfg, .out = out};
		for (size_t i = 0; i < n; i++) {
			ctx.rule = rules[i];
			rules[i]->check_workload(&ctx);
		}
	}
}
