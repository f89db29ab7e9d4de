/* readers.h - the audit readers: each turns one parsed document into workloads, returning 1
 * if the document was of its kind, 0 if not (compose: -1 with err when a file or service it
 * extends is missing or broken). */
#pragma once
#include "audit/workload.h"
#include "audit/yaml.h"

int shp_audit_compose(yaml_document_t *d, const char *path, struct shp_workloads *w, struct shp_error **err);
int shp_audit_k8s(yaml_document_t *d, const char *path, struct shp_workloads *w);
/* The pod spec of a Kubernetes object of this kind (a Pod's spec, the template of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or
 * PodTemplate), or NULL; *meta: the metadata whose annotations are the pod's. */
ynode *shp_k8s_pod_spec(yaml_document_t *d, ynode *obj, const char *kind, ynode **meta);
int shp_audit_inspect(yaml_document_t *d, const char *path, struct shp_workloads *w);
/* `docker run` lines (not YAML): a file of them, told by its first command. */
int shp_audit_looks_runlines(const char *text, size_t len);
int shp_audit_runlines(const char *text, size_t len, const char *path, struct shp_workloads *w);

/* Where a node is written. */
static inline shp_pos shp_y_pos(ynode *n) { return n ? shp_pos_at(shp_y_line(n), shp_y_col(n)) : 0; }

/* s from a node (its text copied, and its place); left as it was when n is absent. */
static inline void shp_wl_set_str(struct shp_workloads *w, struct shp_wl_str *s, ynode *n)
{
	if (n)
		*s = (struct shp_wl_str){shp_wl_dup(w, shp_y_str(n)), shp_y_pos(n)};
}

/* b from a YAML/JSON boolean node (inverted for "allow..." settings that mean the opposite);
 * left unset when n is absent or not a boolean. */
static inline void shp_wl_set_bool(struct shp_wl_bool *b, ynode *n, int invert)
{
	int v = shp_y_bool(n);
	if (v >= 0)
		*b = (struct shp_wl_bool){1, invert ? !v : v, shp_y_pos(n)};
}

/* Judges a pod spec (its annotations may be NULL) at w->pss_level and w->pss_minor, and
 * attaches the violations to workload x (the pod's first container) as struct shp_wl_pss:
 * where (the first offending field, else the pod spec) and what. */
void shp_pss_judge(yaml_document_t *d, ynode *spec, ynode *annotations, struct shp_workloads *w,
		   struct shp_workload *x);
