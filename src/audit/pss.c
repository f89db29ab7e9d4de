/* pss.c - the Pod Security Standards, control by control, as the Kubernetes documentation
 * defines them ("Pod Security Standards", kubernetes.io) and the PodSecurity admission
 * controller enforces them: the fields each control reads, the values it allows, and the
 * version each check starts at. At restricted, the restricted Seccomp and Capabilities
 * checks take the place of baseline's. The messages follow the admission controller's
 * ("allowPrivilegeEscalation != false (container "a" must set ...)"). */
#include "audit/pss.h"
#include "audit/readers.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct shp_pss_control_info shp_pss_controls[SHP_PSS_NCONTROLS] = {
	[SHP_PSS_HOST_PROCESS] = {"HostProcess", SHP_PSS_BASELINE, 0},
	[SHP_PSS_HOST_NAMESPACES] = {"Host Namespaces", SHP_PSS_BASELINE, 0},
	[SHP_PSS_PRIVILEGED] = {"Privileged Containers", SHP_PSS_BASELINE, 0},
	[SHP_PSS_CAPABILITIES_BASELINE] = {"Capabilities", SHP_PSS_BASELINE, 0},
	[SHP_PSS_HOST_PATH] = {"HostPath Volumes", SHP_PSS_BASELINE, 0},
	[SHP_PSS_HOST_PORTS] = {"Host Ports", SHP_PSS_BASELINE, 0},
	[SHP_PSS_APPARMOR] = {"AppArmor", SHP_PSS_BASELINE, 0},
	[SHP_PSS_SELINUX] = {"SELinux", SHP_PSS_BASELINE, 0},
	[SHP_PSS_PROC_MOUNT] = {"/proc Mount Type", SHP_PSS_BASELINE, 0},
	[SHP_PSS_SECCOMP_BASELINE] = {"Seccomp", SHP_PSS_BASELINE, 0},
	[SHP_PSS_SYSCTLS] = {"Sysctls", SHP_PSS_BASELINE, 0},
	[SHP_PSS_HOST_PROBES] = {"Host Probes / Lifecycle Hooks", SHP_PSS_BASELINE, 34},
	[SHP_PSS_VOLUME_TYPES] = {"Volume Types", SHP_PSS_RESTRICTED, 0},
	[SHP_PSS_PRIVILEGE_ESCALATION] = {"Privilege Escalation", SHP_PSS_RESTRICTED, 8},
	[SHP_PSS_RUN_AS_NON_ROOT] = {"Running as Non-root", SHP_PSS_RESTRICTED, 0},
	[SHP_PSS_RUN_AS_USER] = {"Running as Non-root user", SHP_PSS_RESTRICTED, 23},
	[SHP_PSS_SECCOMP_RESTRICTED] = {"Seccomp", SHP_PSS_RESTRICTED, 19},
	[SHP_PSS_CAPABILITIES_RESTRICTED] = {"Capabilities", SHP_PSS_RESTRICTED, 22},
};

int shp_pss_parse_level(const char *s)
{
	if (!strcmp(s, "baseline"))
		return SHP_PSS_BASELINE;
	if (!strcmp(s, "restricted"))
		return SHP_PSS_RESTRICTED;
	if (!strcmp(s, "privileged"))
		return SHP_PSS_OFF;
	return -1;
}

int shp_pss_parse_version(const char *s)
{
	if (!strcmp(s, "latest"))
		return SHP_PSS_LATEST;
	if (*s == 'v')
		s++;
	if (strncmp(s, "1.", 2) || s[2] < '0' || s[2] > '9')
		return -1;
	char *end;
	long m = strtol(s + 2, &end, 10);
	if (*end || m < 0 || m > 999)
		return -1;
	return m > SHP_PSS_LATEST ? SHP_PSS_LATEST : (int)m;
}

const char *shp_pss_level_name(enum shp_pss_level l)
{
	return l == SHP_PSS_RESTRICTED ? "restricted" : l == SHP_PSS_BASELINE ? "baseline" : "privileged";
}

struct judge {
	yaml_document_t *d;
	ynode *spec, *psc; /* the pod spec and its securityContext */
	int level, minor, windows;
	struct shp_buf detail[SHP_PSS_NCONTROLS];
	shp_pos at[SHP_PSS_NCONTROLS];
};

/* Whether control c is checked at the judge's level and version. */
static int on(const struct judge *j, enum shp_pss_control c)
{
	const struct shp_pss_control_info *ci = &shp_pss_controls[c];
	if (j->level < (int)ci->level || j->minor < ci->since)
		return 0;
	if (c == SHP_PSS_SECCOMP_BASELINE && j->level == SHP_PSS_RESTRICTED)
		return !on(j, SHP_PSS_SECCOMP_RESTRICTED);
	if (c == SHP_PSS_CAPABILITIES_BASELINE && j->level == SHP_PSS_RESTRICTED)
		return !on(j, SHP_PSS_CAPABILITIES_RESTRICTED);
	return 1;
}

__attribute__((format(printf, 4, 5))) static void add(struct judge *j, enum shp_pss_control c, ynode *where,
						      const char *fmt, ...)
{
	struct shp_buf *b = &j->detail[c];
	if (b->len)
		shp_buf_puts(b, "; ");
	va_list ap;
	va_start(ap, fmt);
	char *s = shp_vasprintf(fmt, ap);
	va_end(ap);
	shp_buf_puts(b, s);
	free(s);
	if (!j->at[c])
		j->at[c] = shp_y_pos(where);
}

static ynode *get(struct judge *j, ynode *n, const char *key) { return shp_y_get(j->d, n, key); }

static int is_true(ynode *n) { return shp_y_bool(n) == 1; }

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* "pod" or "container \"a\"": who set a field. */
static void who(char *buf, size_t n, const char *cname)
{
	if (cname)
		snprintf(buf, n, "container \"%s\"", cname);
	else
		snprintf(buf, n, "pod");
}

/* The checks that read one securityContext, the pod's (cname NULL) or a container's. */
static void judge_context(struct judge *j, ynode *sc, const char *cname)
{
	char w[300];
	who(w, sizeof w, cname);
	ynode *n;
	if (on(j, SHP_PSS_HOST_PROCESS) && is_true(n = shp_y_path(j->d, sc, "windowsOptions", "hostProcess", NULL)))
		add(j, SHP_PSS_HOST_PROCESS, n, "%s must not set securityContext.windowsOptions.hostProcess=true", w);
	/* SELinux: the type is one of the container types; user and role are not set */
	ynode *se = get(j, sc, "seLinuxOptions");
	if (on(j, SHP_PSS_SELINUX) && se) {
		static const char *const types[] = {"", "container_t", "container_init_t", "container_kvm_t", NULL};
		const char *t = shp_y_str(n = get(j, se, "type"));
		if (t && !in_list(t, types) && !(j->minor >= 31 && !strcmp(t, "container_engine_t")))
			add(j, SHP_PSS_SELINUX, n, "%s must not set securityContext.seLinuxOptions.type=\"%s\"", w, t);
		static const char *const fields[] = {"user", "role"};
		for (int f = 0; f < 2; f++) {
			const char *v = shp_y_str(n = get(j, se, fields[f]));
			if (v && *v)
				add(j, SHP_PSS_SELINUX, n, "%s must not set securityContext.seLinuxOptions.%s", w,
				    fields[f]);
		}
	}
	/* AppArmor's field (1.30); the annotations are read for the pod as a whole */
	const char *aa = shp_y_str(n = shp_y_path(j->d, sc, "appArmorProfile", "type", NULL));
	if (on(j, SHP_PSS_APPARMOR) && j->minor >= 30 && aa && strcmp(aa, "RuntimeDefault") && strcmp(aa, "Localhost"))
		add(j, SHP_PSS_APPARMOR, n, "%s must not set securityContext.appArmorProfile.type=\"%s\"", w, aa);
	/* Seccomp: baseline forbids Unconfined; restricted is judged for the pod as a whole */
	const char *sp = shp_y_str(n = shp_y_path(j->d, sc, "seccompProfile", "type", NULL));
	if (on(j, SHP_PSS_SECCOMP_BASELINE) && j->minor >= 19 && sp && !strcmp(sp, "Unconfined"))
		add(j, SHP_PSS_SECCOMP_BASELINE, n,
		    "%s must not set securityContext.seccompProfile.type=\"Unconfined\"", w);
	/* runAsUser: 0 is root whatever runAsNonRoot says */
	const char *uid = shp_y_str(n = get(j, sc, "runAsUser"));
	if (on(j, SHP_PSS_RUN_AS_USER) && uid && !strcmp(uid, "0"))
		add(j, SHP_PSS_RUN_AS_USER, n, "%s must not set runAsUser=0", w);
}

static const char *const baseline_caps[] = {"AUDIT_WRITE", "CHOWN",  "DAC_OVERRIDE",	 "FOWNER",  "FSETID",
					    "KILL",	   "MKNOD",  "NET_BIND_SERVICE", "SETFCAP", "SETGID",
					    "SETPCAP",	   "SETUID", "SYS_CHROOT",	 NULL};

static void judge_container(struct judge *j, ynode *ctr)
{
	const char *cname = shp_y_str(get(j, ctr, "name"));
	if (!cname)
		cname = "?";
	ynode *sc = get(j, ctr, "securityContext"), *n;
	judge_context(j, sc, cname);
	if (on(j, SHP_PSS_PRIVILEGED) && is_true(n = get(j, sc, "privileged")))
		add(j, SHP_PSS_PRIVILEGED, n, "container \"%s\" must not set securityContext.privileged=true", cname);
	const char *pm = shp_y_str(n = get(j, sc, "procMount"));
	if (on(j, SHP_PSS_PROC_MOUNT) && pm && strcmp(pm, "Default"))
		add(j, SHP_PSS_PROC_MOUNT, n, "container \"%s\" must not set securityContext.procMount=\"%s\"", cname,
		    pm);
	ynode *caps = get(j, sc, "capabilities"), *adds = get(j, caps, "add");
	for (size_t i = 0; i < shp_y_len(adds); i++) {
		ynode *c = shp_y_item(j->d, adds, i);
		const char *cap = shp_y_str(c);
		if (!cap)
			continue;
		if (on(j, SHP_PSS_CAPABILITIES_BASELINE) && !in_list(cap, baseline_caps))
			add(j, SHP_PSS_CAPABILITIES_BASELINE, c,
			    "container \"%s\" must not include \"%s\" in securityContext.capabilities.add", cname, cap);
		if (on(j, SHP_PSS_CAPABILITIES_RESTRICTED) && !j->windows && strcmp(cap, "NET_BIND_SERVICE"))
			add(j, SHP_PSS_CAPABILITIES_RESTRICTED, c,
			    "container \"%s\" must not include \"%s\" in securityContext.capabilities.add", cname, cap);
	}
	if (on(j, SHP_PSS_CAPABILITIES_RESTRICTED) && !j->windows) {
		ynode *drops = get(j, caps, "drop");
		int all = 0;
		for (size_t i = 0; i < shp_y_len(drops); i++) {
			const char *cap = shp_y_str(shp_y_item(j->d, drops, i));
			all |= cap && !strcmp(cap, "ALL");
		}
		if (!all)
			add(j, SHP_PSS_CAPABILITIES_RESTRICTED, drops ? drops : ctr,
			    "container \"%s\" must set securityContext.capabilities.drop=[\"ALL\"]", cname);
	}
	ynode *ports = get(j, ctr, "ports");
	for (size_t i = 0; on(j, SHP_PSS_HOST_PORTS) && i < shp_y_len(ports); i++) {
		const char *hp = shp_y_str(n = get(j, shp_y_item(j->d, ports, i), "hostPort"));
		if (hp && strtol(hp, NULL, 10) != 0)
			add(j, SHP_PSS_HOST_PORTS, n, "container \"%s\" uses hostPort %s", cname, hp);
	}
	if (on(j, SHP_PSS_HOST_PROBES)) {
		static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
		static const char *const hooks[] = {"postStart", "preStop"};
		static const char *const handlers[] = {"httpGet", "tcpSocket"};
		for (int p = 0; p < 5; p++) {
			ynode *h =
				p < 3 ? get(j, ctr, probes[p]) : shp_y_path(j->d, ctr, "lifecycle", hooks[p - 3], NULL);
			for (int k = 0; k < 2; k++) {
				const char *host = shp_y_str(n = shp_y_path(j->d, h, handlers[k], "host", NULL));
				if (host && *host)
					add(j, SHP_PSS_HOST_PROBES, n, "container \"%s\" uses %s%s.%s.host \"%s\"",
					    cname, p < 3 ? "" : "lifecycle.", p < 3 ? probes[p] : hooks[p - 3],
					    handlers[k], host);
			}
		}
	}
	if (on(j, SHP_PSS_PRIVILEGE_ESCALATION) && !j->windows &&
	    shp_y_bool(get(j, sc, "allowPrivilegeEscalation")) != 0)
		add(j, SHP_PSS_PRIVILEGE_ESCALATION, get(j, sc, "allowPrivilegeEscalation") ?: ctr,
		    "container \"%s\" must set securityContext.allowPrivilegeEscalation=false", cname);
	/* runAsNonRoot: the container's false is a violation; unset, the pod's true covers it */
	int nonroot = shp_y_bool(n = get(j, sc, "runAsNonRoot"));
	if (on(j, SHP_PSS_RUN_AS_NON_ROOT)) {
		if (nonroot == 0)
			add(j, SHP_PSS_RUN_AS_NON_ROOT, n,
			    "container \"%s\" must not set securityContext.runAsNonRoot=false", cname);
		else if (nonroot != 1 && !is_true(get(j, j->psc, "runAsNonRoot")))
			add(j, SHP_PSS_RUN_AS_NON_ROOT, ctr,
			    "pod or container \"%s\" must set securityContext.runAsNonRoot=true", cname);
	}
	if (on(j, SHP_PSS_SECCOMP_RESTRICTED) && !j->windows) {
		const char *t = shp_y_str(n = shp_y_path(j->d, sc, "seccompProfile", "type", NULL));
		const char *pt = shp_y_str(shp_y_path(j->d, j->psc, "seccompProfile", "type", NULL));
		int pod_ok = pt && (!strcmp(pt, "RuntimeDefault") || !strcmp(pt, "Localhost"));
		if (t && strcmp(t, "RuntimeDefault") && strcmp(t, "Localhost"))
			add(j, SHP_PSS_SECCOMP_RESTRICTED, n,
			    "container \"%s\" must not set securityContext.seccompProfile.type=\"%s\"", cname, t);
		else if (!t && !pod_ok)
			add(j, SHP_PSS_SECCOMP_RESTRICTED, ctr,
			    "pod or container \"%s\" must set securityContext.seccompProfile.type to "
			    "\"RuntimeDefault\" "
			    "or \"Localhost\"",
			    cname);
	}
}

/* The annotations that older releases read: AppArmor's (baseline) and seccomp's (baseline,
 * where a value of "unconfined" is what the field's Unconfined was). */
static void judge_annotations(struct judge *j, ynode *ann)
{
	static const char aa[] = "container.apparmor.security.beta.kubernetes.io/";
	static const char sc_ctr[] = "container.seccomp.security.alpha.kubernetes.io/";
	static const char sc_pod[] = "seccomp.security.alpha.kubernetes.io/pod";
	for (size_t i = 0; i < shp_y_npairs(ann); i++) {
		const char *k = shp_y_str(shp_y_key(j->d, ann, i));
		ynode *vn = shp_y_val(j->d, ann, i);
		const char *v = shp_y_str(vn);
		if (!k || !v)
			continue;
		if (on(j, SHP_PSS_APPARMOR) && !strncmp(k, aa, sizeof aa - 1) && *v && strcmp(v, "runtime/default") &&
		    strncmp(v, "localhost/", 10))
			add(j, SHP_PSS_APPARMOR, vn, "annotation %s=\"%s\"", k, v);
		if (on(j, SHP_PSS_SECCOMP_BASELINE) && (!strncmp(k, sc_ctr, sizeof sc_ctr - 1) || !strcmp(k, sc_pod)) &&
		    !strcmp(v, "unconfined"))
			add(j, SHP_PSS_SECCOMP_BASELINE, vn, "annotation %s=\"unconfined\"", k);
	}
}

static void judge_pod(struct judge *j, ynode *spec)
{
	static const char *const ns[] = {"hostNetwork", "hostPID", "hostIPC"};
	ynode *n;
	for (int i = 0; i < 3 && on(j, SHP_PSS_HOST_NAMESPACES); i++)
		if (is_true(n = get(j, spec, ns[i])))
			add(j, SHP_PSS_HOST_NAMESPACES, n, "%s=true", ns[i]);
	judge_context(j, j->psc, NULL);
	/* runAsNonRoot=false on the pod is not covered by the containers' true */
	if (on(j, SHP_PSS_RUN_AS_NON_ROOT) && shp_y_bool(n = get(j, j->psc, "runAsNonRoot")) == 0)
		add(j, SHP_PSS_RUN_AS_NON_ROOT, n, "pod must not set securityContext.runAsNonRoot=false");
	const char *pt = shp_y_str(n = shp_y_path(j->d, j->psc, "seccompProfile", "type", NULL));
	if (on(j, SHP_PSS_SECCOMP_RESTRICTED) && !j->windows && pt && strcmp(pt, "RuntimeDefault") &&
	    strcmp(pt, "Localhost"))
		add(j, SHP_PSS_SECCOMP_RESTRICTED, n, "pod must not set securityContext.seccompProfile.type=\"%s\"",
		    pt);
	/* sysctls: the safe set, which grew over releases */
	static const struct {
		const char *name;
		int since;
	} safe[] = {{"kernel.shm_rmid_forced", 0},
		    {"net.ipv4.ip_local_port_range", 0},
		    {"net.ipv4.ip_unprivileged_port_start", 0},
		    {"net.ipv4.tcp_syncookies", 0},
		    {"net.ipv4.ping_group_range", 0},
		    {"net.ipv4.ip_local_reserved_ports", 27},
		    {"net.ipv4.tcp_keepalive_time", 29},
		    {"net.ipv4.tcp_fin_timeout", 29},
		    {"net.ipv4.tcp_keepalive_intvl", 29},
		    {"net.ipv4.tcp_keepalive_probes", 29}};
	ynode *sysctls = get(j, j->psc, "sysctls");
	for (size_t i = 0; on(j, SHP_PSS_SYSCTLS) && i < shp_y_len(sysctls); i++) {
		const char *name = shp_y_str(n = get(j, shp_y_item(j->d, sysctls, i), "name"));
		if (!name)
			continue;
		int ok = 0;
		for (size_t k = 0; k < sizeof safe / sizeof safe[0]; k++)
			ok |= !strcmp(name, safe[k].name) && j->minor >= safe[k].since;
		if (!ok)
			add(j, SHP_PSS_SYSCTLS, n, "forbidden sysctl %s", name);
	}
	/* volumes: hostPath at baseline; at restricted only the listed types */
	static const char *const allowed[] = {"configMap", "csi",	"downwardAPI",
					      "emptyDir",  "ephemeral", "persistentVolumeClaim",
					      "projected", "secret",	NULL};
	ynode *vols = get(j, spec, "volumes");
	for (size_t i = 0; i < shp_y_len(vols); i++) {
		ynode *v = shp_y_item(j->d, vols, i);
		const char *vname = shp_y_str(get(j, v, "name"));
		if (!vname)
			vname = "?";
		if (on(j, SHP_PSS_HOST_PATH) && (n = get(j, v, "hostPath")))
			add(j, SHP_PSS_HOST_PATH, n, "volume \"%s\" is a hostPath", vname);
		for (size_t k = 0; on(j, SHP_PSS_VOLUME_TYPES) && k < shp_y_npairs(v); k++) {
			ynode *kn = shp_y_key(j->d, v, k);
			const char *type = shp_y_str(kn);
			if (type && strcmp(type, "name") && !in_list(type, allowed))
				add(j, SHP_PSS_VOLUME_TYPES, kn, "volume \"%s\" uses restricted volume type \"%s\"",
				    vname, type);
		}
	}
}

void shp_pss_judge(yaml_document_t *d, ynode *spec, ynode *annotations, struct shp_workloads *w, struct shp_workload *x)
{
	struct judge j = {.d = d, .spec = spec, .level = w->pss_level, .minor = w->pss_minor};
	j.psc = shp_y_get(d, spec, "securityContext");
	/* since 1.25 the restricted checks of Linux-only fields pass Windows pods */
	const char *os = shp_y_str(shp_y_path(d, spec, "os", "name", NULL));
	j.windows = j.minor >= 25 && os && !strcmp(os, "windows");
	judge_pod(&j, spec);
	judge_annotations(&j, annotations);
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	for (size_t l = 0; l < 3; l++) {
		ynode *cs = shp_y_get(d, spec, lists[l]);
		for (size_t i = 0; i < shp_y_len(cs); i++)
			judge_container(&j, shp_y_item(d, cs, i));
	}
	for (int c = 0; c < SHP_PSS_NCONTROLS; c++) {
		if (!j.detail[c].len)
			continue;
		struct shp_wl_pss v = {c, j.at[c] ? j.at[c] : shp_y_pos(spec), shp_wl_dup(w, j.detail[c].data)};
		SHP_PUSH(x->pss, x->npss, x->pss_cap, v);
		shp_buf_free(&j.detail[c]);
	}
}
