/* pss.h - the Kubernetes Pod Security Standards (baseline and restricted), judged on a pod
 * spec as the PodSecurity admission controller judges it for a level and a version: one
 * violation per control, with what breaks it (the pod's field, or each container's). */
#pragma once
#include "audit/workload.h"

enum shp_pss_level { SHP_PSS_OFF, SHP_PSS_BASELINE, SHP_PSS_RESTRICTED };

enum shp_pss_control {
	/* baseline */
	SHP_PSS_HOST_PROCESS,
	SHP_PSS_HOST_NAMESPACES,
	SHP_PSS_PRIVILEGED,
	SHP_PSS_CAPABILITIES_BASELINE,
	SHP_PSS_HOST_PATH,
	SHP_PSS_HOST_PORTS,
	SHP_PSS_APPARMOR,
	SHP_PSS_SELINUX,
	SHP_PSS_PROC_MOUNT,
	SHP_PSS_SECCOMP_BASELINE,
	SHP_PSS_SYSCTLS,
	SHP_PSS_HOST_PROBES,
	/* restricted */
	SHP_PSS_VOLUME_TYPES,
	SHP_PSS_PRIVILEGE_ESCALATION,
	SHP_PSS_RUN_AS_NON_ROOT,
	SHP_PSS_RUN_AS_USER,
	SHP_PSS_SECCOMP_RESTRICTED,
	SHP_PSS_CAPABILITIES_RESTRICTED,
	SHP_PSS_NCONTROLS
};

/* The newest Kubernetes minor version (1.N) whose checks are known here: "latest". */
#define SHP_PSS_LATEST 34

struct shp_pss_control_info {
	const char *name;	  /* the standard's own name: "Host Namespaces" */
	enum shp_pss_level level; /* where it starts */
	int since;		  /* the first minor version that checks it */
};
extern const struct shp_pss_control_info shp_pss_controls[SHP_PSS_NCONTROLS];

/* "baseline", "restricted" (also "privileged": nothing to check, SHP_PSS_OFF); -1 if neither. */
int shp_pss_parse_level(const char *s);
/* "latest", "v1.30" or "1.30": the minor version (later than SHP_PSS_LATEST: latest); -1 if not. */
int shp_pss_parse_version(const char *s);
const char *shp_pss_level_name(enum shp_pss_level l);
