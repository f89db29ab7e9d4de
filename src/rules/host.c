/* host.c - the host rules (see host.h). Aliases are CIS Docker Benchmark v1.6.0 numbers
 * (sections 1 to 3, as docker-bench-security numbers them). Everything is read from files
 * under the root: nothing here needs a running daemon or root privileges (except to read
 * files only root may read). */
#include "rules/host.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 7, 0))) static void report(struct shp_host_ctx *ctx, enum shp_severity sev,
							 const char *file, int line, int col, const char *evidence,
							 const char *fmt, va_list ap)
{
	struct shp_finding *f = shp_findings_addv(ctx->out, ctx->rule, sev, file, evidence, fmt, ap);
	f->line = line;
	f->col = col;
}

void shp_host_report(struct shp_host_ctx *ctx, enum shp_severity sev, const char *file, int line, const char *evidence,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, sev, file, line, line ? 1 : 0, evidence, fmt, ap);
	va_end(ap);
}

/* ---- sockets and the docker group ------------------------------------------------------- */

static void socket_perms(struct shp_host_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nsockets; i++) {
		const struct shp_host_socket *s = &ctx->sockets[i];
		mode_t m = s->st.st_mode & 07777;
		char ev[64];
		snprintf(ev, sizeof ev, "mode %04o, owner %ld:%ld", (unsigned)m, (long)s->st.st_uid,
			 (long)s->st.st_gid);
		if (m & 0006) {
			shp_host_report(
				ctx, SHP_SEV_CRITICAL, s->path, 0, ev,
				"%s socket is open to every local user (mode %04o): each of them controls the engine",
				s->engine, (unsigned)m);
			continue;
		}
		_cleanup_free_ char *g = shp_host_name_of(ctx, "/etc/group", (long)s->st.st_gid);
		if ((m & 0060) && s->rootless_uid < 0 && s->st.st_gid != 0 && !(g && !strcmp(g, "docker")))
			shp_host_report(ctx, SHP_SEV_HIGH, s->path, 0, ev,
					"%s socket is writable by group %s, not docker or root", s->engine,
					g ? g : "(no name)");
	}
}

static void socket_owner(struct shp_host_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nsockets; i++) {
		const struct shp_host_socket *s = &ctx->sockets[i];
		long want = s->rootless_uid >= 0 ? s->rootless_uid : 0;
		if ((long)s->st.st_uid == want)
			continue;
		char ev[64];
		snprintf(ev, sizeof ev, "owner %ld:%ld", (long)s->st.st_uid, (long)s->st.st_gid);
		_cleanup_free_ char *u = shp_host_name_of(ctx, "/etc/passwd", (long)s->st.st_uid);
		shp_host_report(ctx, SHP_SEV_HIGH, s->path, 0, ev, "%s socket is owned by %s, not %s", s->engine,
				u ? u : "an unnamed user",
				s->rootless_uid >= 0 ? "the rootless engine's user" : "root");
	}
}

static void docker_group(struct shp_host_ctx *ctx)
{
	_cleanup_free_ char *text = NULL;
	struct shp_error *err = NULL;
	if (shp_host_read(ctx, "/etc/group", 4u << 20, &text, NULL, &err) < 0) {
		shp_error_free(err);
		return;
	}
	int line = 0;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		if (strncmp(l, "docker:", 7))
			continue;
		char *members = strrchr(l, ':');
		if (!members || !members[1])
			return;
		size_t n = 1;
		for (char *c = members + 1; *c; c++)
			n += *c == ',';
		shp_host_report(ctx, ctx->rule->severity, "/etc/group", line, members + 1,
				"%zu user%s in the docker group (%s): each is root on this host through the socket", n,
				n == 1 ? "" : "s", members + 1);
		return;
	}
}

/* ---- daemon.json -------------------------------------------------------------------------- */

static ynode *dj(struct shp_host_ctx *ctx, const char *key)
{
	return ctx->daemon.n ? shp_y_get(&ctx->daemon.docs[0], shp_y_root(&ctx->daemon.docs[0]), key) : NULL;
}

/* A finding on daemon.json, at node n (its line and column), or on the file when n is NULL. */
static void daemon_report(struct shp_host_ctx *ctx, enum shp_severity sev, ynode *n, const char *evidence,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void daemon_report(struct shp_host_ctx *ctx, enum shp_severity sev, ynode *n, const char *evidence,
			  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, sev, "/etc/docker/daemon.json", shp_y_line(n), shp_y_col(n), evidence, fmt, ap);
	va_end(ap);
}

/* A daemon.json setting that should be (or not be) a given boolean: reported where it is
 * set wrong, or on the file when it is absent (the default is the unsafe value). */
static void want_bool(struct shp_host_ctx *ctx, const char *key, int want, int dflt, const char *why)
{
	if (!ctx->docker)
		return;
	ynode *n = dj(ctx, key);
	int v = n ? shp_y_bool(n) : dflt;
	if (v == want)
		return;
	char ev[80];
	snprintf(ev, sizeof ev, "\"%s\": %s", key, n ? shp_y_str(n) ? shp_y_str(n) : "?" : "(not set)");
	daemon_report(ctx, ctx->rule->severity, n, ev, "%s (set \"%s\": %s in /etc/docker/daemon.json)", why, key,
		      want ? "true" : "false");
}

static void userns(struct shp_host_ctx *ctx)
{
	ynode *n = dj(ctx, "userns-remap");
	if (!ctx->docker || (shp_y_str(n) && *shp_y_str(n)))
		return; /* no rootful Docker here (a rootless one remaps by design), or remapped */
	daemon_report(
		ctx, ctx->rule->severity, n, "\"userns-remap\" (not set)",
		"containers' root is the host's root: no user namespace remapping (\"userns-remap\": \"default\")");
}

static void icc(struct shp_host_ctx *ctx)
{
	want_bool(ctx, "icc", 0, 1, "containers on the default bridge can reach each other");
}
static void live_restore(struct shp_host_ctx *ctx)
{
	want_bool(ctx, "live-restore", 1, 0, "containers stop when the daemon restarts or is upgraded");
}
static void no_new_privs(struct shp_host_ctx *ctx)
{
	want_bool(ctx, "no-new-privileges", 1, 0, "containers may gain privileges through setuid binaries by default");
}
static void userland_proxy(struct shp_host_ctx *ctx)
{
	want_bool(ctx, "userland-proxy", 0, 1, "published ports go through docker-proxy, a root process per port");
}
static void experimental(struct shp_host_ctx *ctx)
{
	want_bool(ctx, "experimental", 0, 0, "experimental features are on");
}

static void tls(struct shp_host_ctx *ctx)
{
	ynode *hosts = dj(ctx, "hosts");
	int verify = shp_y_bool(dj(ctx, "tlsverify")) == 1;
	for (size_t i = 0; i < shp_y_len(hosts); i++) {
		ynode *h = shp_y_item(&ctx->daemon.docs[0], hosts, i);
		const char *s = shp_y_str(h);
		if (!s || strncmp(s, "tcp://", 6) || verify)
			continue;
		int local = strstr(s, "127.0.0.1") || strstr(s, "localhost");
		daemon_report(ctx, local ? SHP_SEV_HIGH : SHP_SEV_CRITICAL, h, s,
			      "the daemon listens on %s without \"tlsverify\": %s", s,
			      local ? "any local process controls it"
				    : "anyone who reaches the port controls the host");
	}
}

static void insecure_registries(struct shp_host_ctx *ctx)
{
	ynode *r = dj(ctx, "insecure-registries");
	for (size_t i = 0; i < shp_y_len(r); i++) {
		ynode *e = shp_y_item(&ctx->daemon.docs[0], r, i);
		if (shp_y_str(e))
			daemon_report(ctx, ctx->rule->severity, e, shp_y_str(e),
				      "images from %s are pulled without TLS verification", shp_y_str(e));
	}
}

static void log_level(struct shp_host_ctx *ctx)
{
	ynode *n = dj(ctx, "log-level");
	const char *s = shp_y_str(n);
	if (s && strcmp(s, "info") && strcmp(s, "warn") && strcmp(s, "error") && strcmp(s, "fatal"))
		daemon_report(ctx, ctx->rule->severity, n, s,
			      "log level %s: debug logs grow and may hold secrets (use info)", s);
}

static void seccomp_profile(struct shp_host_ctx *ctx)
{
	ynode *n = dj(ctx, "seccomp-profile");
	const char *s = shp_y_str(n);
	if (s && !strcmp(s, "unconfined"))
		daemon_report(ctx, ctx->rule->severity, n, s,
			      "the daemon-wide seccomp profile is unconfined: no container is filtered");
}

/* ---- ownership and modes of the engine's files --------------------------------------------- */

static void check_file(struct shp_host_ctx *ctx, const char *path, mode_t max, const char *cis)
{
	struct stat st;
	if (shp_host_lstat(ctx, path, &st) < 0)
		return;
	mode_t m = st.st_mode & 07777;
	char ev[64];
	snprintf(ev, sizeof ev, "mode %04o, owner %ld:%ld", (unsigned)m, (long)st.st_uid, (long)st.st_gid);
	if (st.st_uid != 0 || st.st_gid != 0)
		shp_host_report(ctx, SHP_SEV_MEDIUM, path, 0, ev, "%s is not owned by root:root (CIS %s)", path, cis);
	if (m & ~max)
		shp_host_report(ctx, (m & 0002) ? SHP_SEV_HIGH : SHP_SEV_MEDIUM, path, 0, ev,
				"%s has mode %04o, more than %04o (CIS %s)", path, (unsigned)m, (unsigned)max, cis);
}

static void file_modes(struct shp_host_ctx *ctx)
{
	static const struct {
		const char *path;
		mode_t max;
		const char *cis;
	} files[] = {
		{"/lib/systemd/system/docker.service", 0644, "3.1, 3.2"},
		{"/usr/lib/systemd/system/docker.service", 0644, "3.1, 3.2"},
		{"/etc/systemd/system/docker.service", 0644, "3.1, 3.2"},
		{"/lib/systemd/system/docker.socket", 0644, "3.3, 3.4"},
		{"/usr/lib/systemd/system/docker.socket", 0644, "3.3, 3.4"},
		{"/etc/docker", 0755, "3.5, 3.6"},
		{"/etc/docker/daemon.json", 0644, "3.17, 3.18"},
		{"/etc/default/docker", 0644, "3.19, 3.20"},
		{"/etc/sysconfig/docker", 0644, "3.21, 3.22"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		check_file(ctx, files[i].path, files[i].max, files[i].cis);
	/* TLS material named in daemon.json */
	static const struct {
		const char *key;
		mode_t max;
		const char *cis;
	} tlsf[] = {{"tlscacert", 0444, "3.9, 3.10"}, {"tlscert", 0444, "3.11, 3.12"}, {"tlskey", 0400, "3.13, 3.14"}};
	for (size_t i = 0; i < sizeof tlsf / sizeof tlsf[0]; i++) {
		const char *p = shp_y_str(dj(ctx, tlsf[i].key));
		if (p && p[0] == '/')
			check_file(ctx, p, tlsf[i].max, tlsf[i].cis);
	}
	/* registry certificates: /etc/docker/certs.d/HOST/FILE */
	DIR *d = shp_host_opendir(ctx, "/etc/docker/certs.d");
	for (struct dirent *de; d && (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		char sub[512];
		snprintf(sub, sizeof sub, "/etc/docker/certs.d/%s", de->d_name);
		DIR *d2 = shp_host_opendir(ctx, sub);
		for (struct dirent *f; d2 && (f = readdir(d2));) {
			if (f->d_name[0] == '.')
				continue;
			char p[1024];
			snprintf(p, sizeof p, "/etc/docker/certs.d/%s/%s", de->d_name, f->d_name);
			check_file(ctx, p, 0444, "3.7, 3.8");
		}
		if (d2)
			closedir(d2);
	}
	if (d)
		closedir(d);
}

/* ---- the rules ------------------------------------------------------------------------------ */

const struct shp_rule shp_rules_host[] = {
	{.id = "SHP5001",
	 .slug = "engine-socket-permissions",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Engine socket is open to more than root and the docker group",
	 .rationale = "Write access to the engine's socket is root on the host: start a privileged container, "
		      "mount /.",
	 .remediation = "chmod 660 the socket, group docker (or root); for containerd and CRI-O, 660 root:root.",
	 .aliases = {"CIS-3.16", "CIS-3.24"},
	 .check_host = socket_perms},
	{.id = "SHP5002",
	 .slug = "engine-socket-owner",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Engine socket is not owned by root",
	 .rationale = "Whoever owns the socket can change its mode and hand the engine to anyone.",
	 .remediation = "chown root:docker the socket (a rootless engine's belongs to its user).",
	 .aliases = {"CIS-3.15", "CIS-3.23"},
	 .check_host = socket_owner},
	{.id = "SHP5003",
	 .slug = "docker-group-members",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Users in the docker group",
	 .rationale = "Members of the docker group can use the socket, which is root on the host; every member "
		      "must be trusted as root.",
	 .remediation = "Keep the group to administrators; prefer rootless Docker or sudo for others.",
	 .aliases = {"CIS-1.1.2"},
	 .check_host = docker_group},
	{.id = "SHP5004",
	 .slug = "daemon-no-userns-remap",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Daemon does not remap users",
	 .rationale = "Without user namespace remapping root in a container is UID 0 on the host.",
	 .remediation = "\"userns-remap\": \"default\" in /etc/docker/daemon.json (or run Docker rootless).",
	 .aliases = {"CIS-2.9"},
	 .check_host = userns},
	{.id = "SHP5005",
	 .slug = "daemon-icc",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Inter-container traffic on the default bridge is allowed",
	 .rationale = "Every container on the default network can talk to every other.",
	 .remediation = "\"icc\": false; connect containers that must talk on user-defined networks.",
	 .aliases = {"CIS-2.2"},
	 .check_host = icc},
	{.id = "SHP5006",
	 .slug = "daemon-live-restore",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Live restore is off",
	 .rationale = "Containers stop whenever the daemon restarts, which discourages patching it.",
	 .remediation = "\"live-restore\": true.",
	 .aliases = {"CIS-2.15"},
	 .check_host = live_restore},
	{.id = "SHP5007",
	 .slug = "daemon-no-new-privileges",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Containers may gain privileges by default",
	 .rationale = "The daemon-wide no-new-privileges default stops setuid escalation in every container.",
	 .remediation = "\"no-new-privileges\": true.",
	 .aliases = {"CIS-2.14"},
	 .check_host = no_new_privs},
	{.id = "SHP5008",
	 .slug = "daemon-userland-proxy",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Userland proxy is on",
	 .rationale = "docker-proxy is a root process per published port; hairpin NAT does the job in the kernel.",
	 .remediation = "\"userland-proxy\": false.",
	 .aliases = {"CIS-2.16"},
	 .check_host = userland_proxy},
	{.id = "SHP5009",
	 .slug = "daemon-tcp-without-tls",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Daemon listens on TCP without TLS client verification",
	 .rationale = "The engine's API on a TCP port without tlsverify is remote root for anyone who reaches it.",
	 .remediation = "\"tlsverify\": true with tlscacert, tlscert, tlskey; or listen on the unix socket only.",
	 .aliases = {"CIS-2.7"},
	 .check_host = tls},
	{.id = "SHP5010",
	 .slug = "daemon-insecure-registry",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Insecure registry configured",
	 .rationale = "Images from an insecure registry are pulled without TLS verification: anyone on the path "
		      "can swap them.",
	 .remediation = "Remove \"insecure-registries\"; give the registry a certificate (certs.d).",
	 .aliases = {"CIS-2.5"},
	 .check_host = insecure_registries},
	{.id = "SHP5011",
	 .slug = "daemon-debug-logging",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Daemon logs at debug level",
	 .rationale = "Debug logs grow fast and record request details.",
	 .remediation = "\"log-level\": \"info\".",
	 .aliases = {"CIS-2.3"},
	 .check_host = log_level},
	{.id = "SHP5012",
	 .slug = "daemon-experimental",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Experimental features are on",
	 .rationale = "Experimental features are not meant for production and change without notice.",
	 .remediation = "\"experimental\": false.",
	 .aliases = {"CIS-2.18"},
	 .check_host = experimental},
	{.id = "SHP5013",
	 .slug = "daemon-seccomp-unconfined",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Daemon-wide seccomp profile is unconfined",
	 .rationale = "No container gets a seccomp filter unless it asks for one.",
	 .remediation = "Remove \"seccomp-profile\": \"unconfined\" (the default profile applies).",
	 .aliases = {"CIS-2.17"},
	 .check_host = seccomp_profile},
	{.id = "SHP5014",
	 .slug = "engine-file-permissions",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_HOST,
	 .title = "Engine files have loose ownership or modes",
	 .rationale = "Whoever can write docker.service, daemon.json, /etc/docker or the TLS keys controls the "
		      "daemon's next start.",
	 .remediation = "chown root:root; chmod 644 (units, daemon.json), 755 (/etc/docker), 444 (certificates), "
			"400 (keys).",
	 .aliases = {"CIS-3.1", "CIS-3.5", "CIS-3.17", "CIS-3.13"},
	 .check_host = file_modes},
	{0},
};

void shp_host_check(struct shp_host_ctx *ctx)
{
	const struct shp_rule *rules[SHP_MAX_SCOPE_RULES];
	size_t n = shp_rules_active(SHP_SCOPE_HOST, rules);
	for (size_t i = 0; i < n; i++) {
		ctx->rule = rules[i];
		rules[i]->check_host(ctx);
	}
}
