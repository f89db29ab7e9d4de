/* k8s.c - Kubernetes manifests to workloads: Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, and List of them. Each container
 * (containers, initContainers, ephemeralContainers) is one workload, with the pod's
 * securityContext merged under the container's as the kubelet does (the container's field
 * wins), the pod's host namespaces, its volumes resolved for each volumeMount, and its
 * AppArmor annotations. */
#include "audit/pss.h"
#include "audit/readers.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pod {
	yaml_document_t *d;
	struct shp_workloads *w;
	const char *path, *kind, *name;
	ynode *spec, *annotations;
	const char *exempt; /* Polaris' exemptions, as rule aliases */
};

/* Polaris' exemption annotations, on the workload or its pod template:
 * polaris.fairwinds.com/exempt: "true" (every Polaris check) and
 * polaris.fairwinds.com/<check>-exempt: "true"; as "polaris-*" or "polaris-<check>" items. */
static void polaris_exempt(yaml_document_t *d, ynode *ann, struct shp_buf *out)
{
	static const char pre[] = "polaris.fairwinds.com/";
	for (size_t i = 0; i < shp_y_npairs(ann); i++) {
		const char *k = shp_y_str(shp_y_key(d, ann, i)), *v = shp_y_str(shp_y_val(d, ann, i));
		if (!k || !v || strncmp(k, pre, sizeof pre - 1) || strcasecmp(v, "true"))
			continue;
		k += sizeof pre - 1;
		size_t n = strlen(k);
		if (!strcmp(k, "exempt"))
			shp_buf_printf(out, "%spolaris-*", out->len ? "," : "");
		else if (n > 7 && n < 100 && !strcmp(k + n - 7, "-exempt"))
			shp_buf_printf(out, "%spolaris-%.*s", out->len ? "," : "", (int)(n - 7), k);
	}
}

/* The container's securityContext field, else the pod's (only fields both have). */
static ynode *sc(struct pod *p, ynode *ctr, const char *key, int pod_too)
{
	ynode *v = shp_y_get(p->d, shp_y_get(p->d, ctr, "securityContext"), key);
	if (!v && pod_too)
		v = shp_y_get(p->d, shp_y_get(p->d, p->spec, "securityContext"), key);
	return v;
}

static void mounts(struct pod *p, struct shp_workload *x, ynode *ctr)
{
	ynode *vms = shp_y_get(p->d, ctr, "volumeMounts"), *vols = shp_y_get(p->d, p->spec, "volumes");
	for (size_t i = 0; i < shp_y_len(vms); i++) {
		ynode *vm = shp_y_item(p->d, vms, i);
		const char *vname = shp_y_str(shp_y_get(p->d, vm, "name"));
		struct shp_wl_mount m = {.at = shp_y_pos(vm), .type = "volume"};
		m.target = shp_y_str(shp_y_get(p->d, vm, "mountPath"));
		m.read_only = shp_y_bool(shp_y_get(p->d, vm, "readOnly")) == 1;
		const char *prop = shp_y_str(shp_y_get(p->d, vm, "mountPropagation"));
		m.propagation_shared = prop && !strcmp(prop, "Bidirectional");
		for (size_t j = 0; vname && j < shp_y_len(vols); j++) {
			ynode *v = shp_y_item(p->d, vols, j);
			const char *n = shp_y_str(shp_y_get(p->d, v, "name"));
			ynode *hp = shp_y_get(p->d, v, "hostPath");
			if (!n || strcmp(n, vname) || !hp)
				continue;
			m.source = shp_y_str(shp_y_get(p->d, hp, "path"));
			const char *t = shp_y_str(shp_y_get(p->d, hp, "type"));
			_cleanup_free_ char *type = shp_asprintf("hostPath%s%s", t && *t ? ":" : "", t && *t ? t : "");
			m.type = shp_wl_dup(p->w, type);
		}
		if (m.target)
			shp_wl_mount(p->w, x, &m);
	}
}

/* Whether a container of the pod mounts the volume named name. */
static int mounted(yaml_document_t *d, ynode *spec, const char *name)
{
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	for (size_t l = 0; l < 3; l++) {
		ynode *cs = shp_y_get(d, spec, lists[l]);
		for (size_t i = 0; i < shp_y_len(cs); i++) {
			ynode *vms = shp_y_get(d, shp_y_item(d, cs, i), "volumeMounts");
			for (size_t k = 0; k < shp_y_len(vms); k++) {
				const char *n = shp_y_str(shp_y_get(d, shp_y_item(d, vms, k), "name"));
				if (n && !strcmp(n, name))
					return 1;
			}
		}
	}
	return 0;
}

/* The hostPath volumes no container mounts: the kubelet still sets them up on the node (a
 * DirectoryOrCreate makes the directory), which is the pod's doing, not a container's. */
static void unmounted_host_paths(yaml_document_t *d, ynode *spec, struct shp_workloads *w, struct shp_workload *x)
{
	ynode *vols = shp_y_get(d, spec, "volumes");
	for (size_t i = 0; i < shp_y_len(vols); i++) {
		ynode *v = shp_y_item(d, vols, i), *hp = shp_y_get(d, v, "hostPath");
		const char *name = shp_y_str(shp_y_get(d, v, "name"));
		const char *path = shp_y_str(shp_y_get(d, hp, "path"));
		if (!hp || !name || !path || mounted(d, spec, name))
			continue;
		const char *t = shp_y_str(shp_y_get(d, hp, "type"));
		struct shp_wl_mount m = {.source = shp_wl_dup(w, path),
					 .target = shp_wl_dup(w, name), /* the volume's name */
					 .type = t && *t ? shp_wl_dup(w, t) : NULL,
					 .at = shp_y_pos(hp)};
		SHP_PUSH(x->unmounted, x->nunmounted, x->unmounted_cap, m);
	}
}

/* What the pod sets for all its containers, told on the first: its namespace, fsGroup,
 * supplementalGroups, hostAliases. */
static void pod_settings(yaml_document_t *d, ynode *obj, ynode *spec, struct shp_workloads *w, struct shp_workload *x)
{
	x->pod_first = 1;
	ynode *meta = shp_y_get(d, obj, "metadata"), *n;
	shp_wl_set_str(w, &x->namespace, shp_y_get(d, meta, "namespace"));
	if (!x->namespace.value) /* where the workload starts: where namespace: would go */
		x->namespace.at = shp_y_pos(meta);
	ynode *psc = shp_y_get(d, spec, "securityContext");
	shp_wl_set_str(w, &x->fs_group, shp_y_get(d, psc, "fsGroup"));
	ynode *groups = shp_y_get(d, psc, "supplementalGroups");
	for (size_t i = 0; i < shp_y_len(groups); i++) {
		const char *g = shp_y_str(n = shp_y_item(d, groups, i));
		if (g && !strcmp(g, "0"))
			x->root_supplemental = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	}
	if (shp_y_len(n = shp_y_get(d, spec, "hostAliases")))
		x->host_aliases = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
}

static void container(struct pod *p, ynode *ctr)
{
	const char *cname = shp_y_str(shp_y_get(p->d, ctr, "name"));
	struct shp_workload *x = shp_wl_new(p->w, p->path, p->kind, p->name, shp_y_pos(ctr));
	x->is_k8s = 1;
	x->container = shp_wl_dup(p->w, cname);
	x->exempt = p->exempt;
	shp_wl_set_str(p->w, &x->image, shp_y_get(p->d, ctr, "image"));
	shp_wl_set_bool(&x->privileged, sc(p, ctr, "privileged", 0), 0);
	shp_wl_set_bool(&x->read_only_rootfs, sc(p, ctr, "readOnlyRootFilesystem", 0), 0);
	shp_wl_set_bool(&x->no_new_privileges, sc(p, ctr, "allowPrivilegeEscalation", 0), 1);
	shp_wl_set_bool(&x->run_as_non_root, sc(p, ctr, "runAsNonRoot", 1), 0);
	shp_wl_set_str(p->w, &x->user, sc(p, ctr, "runAsUser", 1));
	ynode *caps = sc(p, ctr, "capabilities", 0);
	const char *lists[2] = {"add", "drop"};
	for (int a = 0; a < 2; a++) {
		ynode *l = shp_y_get(p->d, caps, lists[a]);
		for (size_t i = 0; i < shp_y_len(l); i++) {
			ynode *e = shp_y_item(p->d, l, i);
			if (shp_y_str(e))
				shp_wl_cap(p->w, x, a == 0, shp_y_str(e), shp_y_pos(e));
		}
	}
	/* seccomp: the container's field, its annotation, the pod's field, the pod's annotation (the
	 * annotations Kubernetes read before 1.19 and PodSecurity still judges) */
	ynode *seccomp = shp_y_get(p->d, sc(p, ctr, "seccompProfile", 0), "type");
	if (!seccomp && cname) {
		_cleanup_free_ char *key = shp_asprintf("container.seccomp.security.alpha.kubernetes.io/%s", cname);
		seccomp = shp_y_get(p->d, p->annotations, key);
	}
	if (!seccomp)
		seccomp = shp_y_get(
			p->d, shp_y_get(p->d, shp_y_get(p->d, p->spec, "securityContext"), "seccompProfile"), "type");
	if (!seccomp)
		seccomp = shp_y_get(p->d, p->annotations, "seccomp.security.alpha.kubernetes.io/pod");
	shp_wl_set_str(p->w, &x->seccomp, seccomp);
	shp_wl_set_str(p->w, &x->apparmor, shp_y_get(p->d, sc(p, ctr, "appArmorProfile", 1), "type"));
	if (cname) { /* the older annotation: container.apparmor.security.beta.kubernetes.io/NAME */
		_cleanup_free_ char *key = shp_asprintf("container.apparmor.security.beta.kubernetes.io/%s", cname);
		shp_wl_set_str(p->w, &x->apparmor, shp_y_get(p->d, p->annotations, key));
	}
	static const struct {
		const char *key;
		size_t off;
	} host[] = {{"hostPID", offsetof(struct shp_workload, host_pid)},
		    {"hostIPC", offsetof(struct shp_workload, host_ipc)},
		    {"hostNetwork", offsetof(struct shp_workload, host_network)},
		    {"automountServiceAccountToken", offsetof(struct shp_workload, automount_token)}};
	for (size_t i = 0; i < sizeof host / sizeof host[0]; i++)
		shp_wl_set_bool((struct shp_wl_bool *)((char *)x + host[i].off), shp_y_get(p->d, p->spec, host[i].key),
				0);
	ynode *limits = shp_y_path(p->d, ctr, "resources", "limits", NULL), *n;
	if ((n = shp_y_get(p->d, limits, "memory")))
		x->memory_limit = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	if ((n = shp_y_get(p->d, limits, "cpu")))
		x->cpu_limit = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	/* a limit without a request is also the request */
	ynode *requests = shp_y_path(p->d, ctr, "resources", "requests", NULL);
	if ((n = shp_y_get(p->d, requests, "memory")) || (n = shp_y_get(p->d, limits, "memory")))
		x->memory_request = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	if ((n = shp_y_get(p->d, requests, "cpu")) || (n = shp_y_get(p->d, limits, "cpu")))
		x->cpu_request = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	shp_wl_set_str(p->w, &x->group, sc(p, ctr, "runAsGroup", 1));
	shp_wl_set_str(p->w, &x->pull_policy, shp_y_get(p->d, ctr, "imagePullPolicy"));
	if ((n = shp_y_get(p->d, ctr, "livenessProbe")))
		x->liveness = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	if ((n = shp_y_get(p->d, ctr, "readinessProbe")))
		x->readiness = (struct shp_wl_bool){1, 1, shp_y_pos(n)};
	mounts(p, x, ctr);
	ynode *ports = shp_y_get(p->d, ctr, "ports");
	for (size_t i = 0; i < shp_y_len(ports); i++) {
		ynode *hp = shp_y_get(p->d, shp_y_item(p->d, ports, i), "hostPort");
		shp_wl_port(p->w, x, hp && shp_y_str(hp) ? strtol(shp_y_str(hp), NULL, 10) : 0,
			    shp_y_pos(shp_y_item(p->d, ports, i)));
	}
	ynode *env = shp_y_get(p->d, ctr, "env");
	for (size_t i = 0; i < shp_y_len(env); i++) {
		ynode *e = shp_y_item(p->d, env, i);
		ynode *v = shp_y_get(p->d, e, "value");
		if (shp_y_str(v)) /* valueFrom (a Secret, a ConfigMap) is not a literal */
			shp_wl_env(p->w, x, shp_y_str(shp_y_get(p->d, e, "name")), shp_y_str(v), shp_y_pos(v));
		ynode *ref = shp_y_path(p->d, e, "valueFrom", "secretKeyRef", NULL);
		if (ref && !x->secret_env.value)
			shp_wl_set_str(p->w, &x->secret_env, shp_y_get(p->d, e, "name"));
	}
	ynode *envfrom = shp_y_get(p->d, ctr, "envFrom");
	for (size_t i = 0; i < shp_y_len(envfrom) && !x->secret_env.value; i++) {
		ynode *ref = shp_y_get(p->d, shp_y_item(p->d, envfrom, i), "secretRef");
		shp_wl_set_str(p->w, &x->secret_env, shp_y_get(p->d, ref, "name"));
	}
}

ynode *shp_k8s_pod_spec(yaml_document_t *d, ynode *obj, const char *kind, ynode **meta)
{
	*meta = shp_y_get(d, obj, "metadata");
	if (!strcmp(kind, "Pod"))
		return shp_y_get(d, obj, "spec");
	static const char *const templated[] = {"Deployment", "StatefulSet",	       "DaemonSet",
						"ReplicaSet", "ReplicationController", "Job"};
	ynode *tmpl = NULL;
	for (size_t i = 0; i < sizeof templated / sizeof templated[0]; i++)
		if (!strcmp(kind, templated[i]))
			tmpl = shp_y_path(d, obj, "spec", "template", NULL);
	if (!strcmp(kind, "CronJob"))
		tmpl = shp_y_path(d, obj, "spec", "jobTemplate", "spec", "template", NULL);
	if (!strcmp(kind, "PodTemplate")) /* a template kept on its own, for controllers to use */
		tmpl = shp_y_get(d, obj, "template");
	if (!tmpl)
		return NULL;
	ynode *tm = shp_y_get(d, tmpl, "metadata");
	if (shp_y_get(d, tm, "annotations"))
		*meta = tm; /* the pod's annotations are on its template */
	return shp_y_get(d, tmpl, "spec");
}

static int object(yaml_document_t *d, ynode *obj, const char *path, struct shp_workloads *w, int depth)
{
	const char *kind = shp_y_str(shp_y_get(d, obj, "kind"));
	if (!kind || !shp_y_get(d, obj, "apiVersion"))
		return 0;
	if (!strcmp(kind, "List") || (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List"))) {
		ynode *items = shp_y_get(d, obj, "items");
		for (size_t i = 0; depth < 4 && i < shp_y_len(items); i++)
			object(d, shp_y_item(d, items, i), path, w, depth + 1);
		return 1;
	}
	ynode *meta;
	ynode *spec = shp_k8s_pod_spec(d, obj, kind, &meta);
	if (!shp_y_is_map(spec))
		return 1; /* a Kubernetes object without pods (Service, ConfigMap...) */
	const char *name = shp_y_str(shp_y_get(d, shp_y_get(d, obj, "metadata"), "name"));
	_cleanup_free_ char *label = shp_asprintf("%s/%s", kind, name ? name : "?");
	struct pod p = {d, w, path, kind, label, spec, shp_y_get(d, meta, "annotations"), NULL};
	struct shp_buf ex = {0};
	polaris_exempt(d, shp_y_path(d, obj, "metadata", "annotations", NULL), &ex);
	if (meta != shp_y_get(d, obj, "metadata"))
		polaris_exempt(d, shp_y_get(d, meta, "annotations"), &ex);
	p.exempt = ex.len ? shp_wl_dup(w, ex.data) : NULL;
	shp_buf_free(&ex);
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	size_t first = w->n;
	for (size_t l = 0; l < 3; l++) {
		ynode *cs = shp_y_get(d, spec, lists[l]);
		for (size_t i = 0; i < shp_y_len(cs); i++) {
			container(&p, shp_y_item(d, cs, i));
			w->v[w->n - 1].is_init = l != 1;
		}
	}
	if (w->pss_level && w->n > first) /* the pod's controls, told on its first container */
		shp_pss_judge(d, spec, p.annotations, w, &w->v[first]);
	if (w->n > first) {
		unmounted_host_paths(d, spec, w, &w->v[first]);
		pod_settings(d, obj, spec, w, &w->v[first]);
	}
	return 1;
}

int shp_audit_k8s(yaml_document_t *d, const char *path, struct shp_workloads *w)
{
	return object(d, shp_y_root(d), path, w, 0);
}
