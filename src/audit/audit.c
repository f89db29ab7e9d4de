/* audit.c - see audit.h. Kinds are told by content, never by file name: a compose file by
 * its services, a workload by its kind, inspect output by its HostConfig (each reader says
 * whether a document is its own), run lines by their first command. */
#include "audit/audit.h"
#include "audit/readers.h"

int shp_audit_read(const char *path, const char *text, size_t len, struct shp_workloads *w, struct shp_error **err)
{
	if (shp_audit_looks_runlines(text, len))
		return shp_audit_runlines(text, len, path, w) ? 0 : 1;
	struct shp_ystream s;
	if (shp_ystream_parse(&s, path, text, len, err) < 0)
		return -2;
	shp_wl_scan_pragmas(w, shp_wl_dup(w, path), text, len);
	int known = 0, rc = 0;
	for (size_t i = 0; i < s.n && rc >= 0; i++) {
		rc = shp_audit_compose(&s.docs[i], path, w, err);
		known |= rc > 0 || shp_audit_k8s(&s.docs[i], path, w) || shp_audit_inspect(&s.docs[i], path, w);
	}
	shp_ystream_free(&s);
	return rc < 0 ? -1 : known ? 0 : 1;
}
