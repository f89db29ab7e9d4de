/* audit.h - choosing the audit reader for a file's content: docker run lines, or a YAML/JSON
 * stream whose every document is offered to the compose, Kubernetes and inspect readers
 * (audit/readers.h). The CLI and the fuzz target read files through this one dispatch. */
#pragma once
#include "audit/workload.h"
#include "util/error.h"

#include <stddef.h>

/* Reads the len bytes of text (the content of path) into w, inline ignores included.
 * 0: something in it was of a kind audit reads; 1: nothing was (not a compose file, workload,
 * inspect output or run lines); -1 with err: a compose file or service it extends is missing
 * or broken; -2 with err: it is not YAML or JSON at all. */
int shp_audit_read(const char *path, const char *text, size_t len, struct shp_workloads *w, struct shp_error **err);
