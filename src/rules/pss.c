/* pss.c - the Pod Security Standards as rules, one per control and level (SHP41xx), which
 * audit --pss runs instead of the usual ones: the pod's violations were judged while its
 * manifest was read (audit/pss.c) and hang on its first container's workload. Baseline
 * controls are high, restricted ones medium. */
#include "audit/pss.h"
#include "rules/audit.h"
#include "rules/families.h"

static void control(struct shp_audit_ctx *ctx, enum shp_pss_control c)
{
	const struct shp_workload *w = ctx->wl;
	for (size_t i = 0; i < w->npss; i++)
		if (w->pss[i].control == (int)c)
			shp_audit_report_pod(ctx, w->pss[i].at, NULL, "Pod Security Standards, %s: %s: %s",
					     ctx->rule->pss_level, ctx->rule->pss_control, w->pss[i].detail);
}

#define CHECK(fn, c)                                                                                                   \
	static void fn(struct shp_audit_ctx *ctx) { control(ctx, c); }
CHECK(host_process, SHP_PSS_HOST_PROCESS)
CHECK(host_namespaces, SHP_PSS_HOST_NAMESPACES)
CHECK(privileged, SHP_PSS_PRIVILEGED)
CHECK(capabilities_baseline, SHP_PSS_CAPABILITIES_BASELINE)
CHECK(host_path, SHP_PSS_HOST_PATH)
CHECK(host_ports, SHP_PSS_HOST_PORTS)
CHECK(apparmor, SHP_PSS_APPARMOR)
CHECK(selinux, SHP_PSS_SELINUX)
CHECK(proc_mount, SHP_PSS_PROC_MOUNT)
CHECK(seccomp_baseline, SHP_PSS_SECCOMP_BASELINE)
CHECK(sysctls, SHP_PSS_SYSCTLS)
CHECK(host_probes, SHP_PSS_HOST_PROBES)
CHECK(volume_types, SHP_PSS_VOLUME_TYPES)
CHECK(privilege_escalation, SHP_PSS_PRIVILEGE_ESCALATION)
CHECK(run_as_non_root, SHP_PSS_RUN_AS_NON_ROOT)
CHECK(run_as_user, SHP_PSS_RUN_AS_USER)
CHECK(seccomp_restricted, SHP_PSS_SECCOMP_RESTRICTED)
CHECK(capabilities_restricted, SHP_PSS_CAPABILITIES_RESTRICTED)

#define B "baseline"
#define R "restricted"
#define RULE(ID, SLUG, SEV, LEVEL, NAME, TITLE, WHY, FIX, FN)                                                          \
	{                                                                                                              \
		.id = ID, .slug = SLUG, .severity = SEV, .scope = SHP_SCOPE_AUDIT, .title = TITLE, .rationale = WHY,   \
		.remediation = FIX, .pss_level = LEVEL, .pss_control = NAME, .check_workload = FN                      \
	}

const struct shp_rule shp_rules_pss[] = {
	RULE("SHP4101", "pss-baseline-host-process", SHP_SEV_HIGH, B, "HostProcess",
	     "Pod Security Standards, baseline: HostProcess",
	     "A Windows HostProcess container runs on the host with the host's access.",
	     "Remove securityContext.windowsOptions.hostProcess (pod and containers).", host_process),
	RULE("SHP4102", "pss-baseline-host-namespaces", SHP_SEV_HIGH, B, "Host Namespaces",
	     "Pod Security Standards, baseline: Host Namespaces",
	     "Sharing the host's network, PID or IPC namespace exposes the host's processes and traffic.",
	     "Remove hostNetwork, hostPID and hostIPC (or set them false).", host_namespaces),
	RULE("SHP4103", "pss-baseline-privileged", SHP_SEV_HIGH, B, "Privileged Containers",
	     "Pod Security Standards, baseline: Privileged Containers",
	     "A privileged container has every capability and device: it is root on the node.",
	     "Remove securityContext.privileged (or set it false).", privileged),
	RULE("SHP4104", "pss-baseline-capabilities", SHP_SEV_HIGH, B, "Capabilities",
	     "Pod Security Standards, baseline: Capabilities",
	     "Only the runtime's default capabilities may be added (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, "
	     "KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).",
	     "Add no capability beyond that list.", capabilities_baseline),
	RULE("SHP4105", "pss-baseline-host-path", SHP_SEV_HIGH, B, "HostPath Volumes",
	     "Pod Security Standards, baseline: HostPath Volumes", "A hostPath volume reaches into the node's files.",
	     "Use another volume type.", host_path),
	RULE("SHP4106", "pss-baseline-host-ports", SHP_SEV_HIGH, B, "Host Ports",
	     "Pod Security Standards, baseline: Host Ports",
	     "A hostPort binds the node's own port and bypasses the network policy.",
	     "Remove hostPort (or set it 0); use a Service.", host_ports),
	RULE("SHP4107", "pss-baseline-apparmor", SHP_SEV_HIGH, B, "AppArmor",
	     "Pod Security Standards, baseline: AppArmor",
	     "The AppArmor profile may only be the runtime's default or a profile loaded on the node.",
	     "Use RuntimeDefault or Localhost (annotation: runtime/default or localhost/NAME).", apparmor),
	RULE("SHP4108", "pss-baseline-selinux", SHP_SEV_HIGH, B, "SELinux", "Pod Security Standards, baseline: SELinux",
	     "The SELinux type may only be a container type, and user and role may not be set.",
	     "Remove seLinuxOptions' user and role; use container_t (or container_init_t, container_kvm_t).", selinux),
	RULE("SHP4109", "pss-baseline-proc-mount", SHP_SEV_HIGH, B, "/proc Mount Type",
	     "Pod Security Standards, baseline: /proc Mount Type",
	     "An unmasked /proc shows the node's kernel interfaces the default mask hides.",
	     "Remove procMount (or set Default).", proc_mount),
	RULE("SHP4110", "pss-baseline-seccomp", SHP_SEV_HIGH, B, "Seccomp", "Pod Security Standards, baseline: Seccomp",
	     "The seccomp profile may not be Unconfined (field or annotation).",
	     "Set seccompProfile.type RuntimeDefault or Localhost.", seccomp_baseline),
	RULE("SHP4111", "pss-baseline-sysctls", SHP_SEV_HIGH, B, "Sysctls", "Pod Security Standards, baseline: Sysctls",
	     "Only the namespaced sysctls known to be safe may be set; the others change the node.",
	     "Set only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, ...).", sysctls),
	RULE("SHP4112", "pss-baseline-host-probes", SHP_SEV_HIGH, B, "Host Probes / Lifecycle Hooks",
	     "Pod Security Standards, baseline: Host Probes / Lifecycle Hooks",
	     "A probe or lifecycle hook with a host makes the kubelet reach another host for the pod.",
	     "Remove the host field of httpGet and tcpSocket probes and hooks.", host_probes),
	RULE("SHP4121", "pss-restricted-volume-types", SHP_SEV_MEDIUM, R, "Volume Types",
	     "Pod Security Standards, restricted: Volume Types",
	     "Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret "
	     "volumes are allowed.",
	     "Use one of those volume types (a persistentVolumeClaim for storage).", volume_types),
	RULE("SHP4122", "pss-restricted-privilege-escalation", SHP_SEV_MEDIUM, R, "Privilege Escalation",
	     "Pod Security Standards, restricted: Privilege Escalation",
	     "Without allowPrivilegeEscalation: false a setuid binary can gain privileges.",
	     "Set securityContext.allowPrivilegeEscalation: false in every container.", privilege_escalation),
	RULE("SHP4123", "pss-restricted-run-as-non-root", SHP_SEV_MEDIUM, R, "Running as Non-root",
	     "Pod Security Standards, restricted: Running as Non-root",
	     "Containers must be required to run as a user other than root.",
	     "Set securityContext.runAsNonRoot: true on the pod (or every container).", run_as_non_root),
	RULE("SHP4124", "pss-restricted-run-as-user", SHP_SEV_MEDIUM, R, "Running as Non-root user",
	     "Pod Security Standards, restricted: Running as Non-root user", "runAsUser 0 is root.",
	     "Set runAsUser to a non-zero uid, or leave it to the image's user.", run_as_user),
	RULE("SHP4125", "pss-restricted-seccomp", SHP_SEV_MEDIUM, R, "Seccomp",
	     "Pod Security Standards, restricted: Seccomp",
	     "A seccomp profile must be set explicitly: RuntimeDefault or Localhost.",
	     "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.", seccomp_restricted),
	RULE("SHP4126", "pss-restricted-capabilities", SHP_SEV_MEDIUM, R, "Capabilities",
	     "Pod Security Standards, restricted: Capabilities",
	     "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.",
	     "Set capabilities: {drop: [ALL]} (add: [NET_BIND_SERVICE] if it binds a low port).",
	     capabilities_restricted),
	{0},
};
