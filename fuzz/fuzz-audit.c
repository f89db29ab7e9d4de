/* fuzz-audit.c - libFuzzer target: a YAML/JSON stream through the compose, Kubernetes and
 * docker inspect readers (and, when it looks like them, the docker run line reader), then
 * every run-configuration rule, with the file's inline ignores. Merge keys must come out
 * resolved (no "<<" key left in any mapping); `make fuzz` fails an input slower than 2 s. */
#include "audit/readers.h"
#include "rules/audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_merged(yaml_document_t *d)
{
	for (ynode *m = d->nodes.start; m < d->nodes.top; m++)
		for (size_t i = 0; i < shp_y_npairs(m); i++) {
			ynode *k = shp_y_key(d, m, i);
			if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    !strcmp(shp_y_str(k), "<<"))
				abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_workloads w = {0};
	shp_wl_scan_pragmas(&w, "fuzz.yaml", (const char *)data, size);
	if (shp_audit_looks_runlines((const char *)data, size))
		shp_audit_runlines((const char *)data, size, "fuzz.sh", &w);
	struct shp_ystream s;
	struct shp_error *err = NULL;
	if (shp_ystream_parse(&s, "fuzz.yaml", (const char *)data, size, &err) < 0)
		shp_error_free(err);
	else {
		for (size_t i = 0; i < s.n; i++) {
			check_merged(&s.docs[i]);
			if (shp_audit_compose(&s.docs[i], "fuzz.yaml", &w, &err) < 0) {
				shp_error_free(err);
				err = NULL;
			}
			shp_audit_k8s(&s.docs[i], "fuzz.yaml", &w);
			shp_audit_inspect(&s.docs[i], "fuzz.yaml", &w);
		}
		shp_ystream_free(&s);
	}
	struct shp_findings f = {0};
	shp_audit_check(&w, NULL, &f);
	shp_findings_free(&f);
	shp_workloads_free(&w);
	return 0;
}
