/* readers.h - the audit readers: each turns one parsed document into workloads, returning 1
 * if the document was of its kind, 0 if not. */
#pragma once
#include "audit/workload.h"
#include "audit/yaml.h"

int shp_audit_compose(yaml_document_t *d, const char *path, struct shp_workloads *w);
int shp_audit_k8s(yaml_document_t *d, const char *path, struct shp_workloads *w);
