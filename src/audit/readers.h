/* readers.h - the audit readers: each turns one parsed document into workloads, returning 1
 * if the document was of its kind, 0 if not. */
#pragma once
#include "audit/workload.h"
#include "audit/yaml.h"

int shp_audit_compose(yaml_document_t *d, const char *path, struct shp_workloads *w);
int shp_audit_k8s(yaml_document_t *d, const char *path, struct shp_workloads *w);
int shp_audit_inspect(yaml_document_t *d, const char *path, struct shp_workloads *w);
/* `docker run` lines (not YAML): a file of them, told by its first command. */
int shp_audit_looks_runlines(const char *text, size_t len);
int shp_audit_runlines(const char *text, size_t len, const char *path, struct shp_workloads *w);
