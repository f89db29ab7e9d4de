/* fuzz-audit.c - libFuzzer target: a file through the dispatch the CLI reads it with
 * (shp_audit_read: docker run lines, or a YAML/JSON stream offered to the compose, Kubernetes
 * and docker inspect readers), then every run-configuration rule, with the file's inline
 * ignores, and again judged by the Pod Security Standards. Merge keys must come out resolved (no "<<" key left in any
 * mapping); `make fuzz` fails an input slower than 2 s. */
#include "audit/audit.h"
#include "audit/pss.h"
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
	/* the dispatch the CLI reads every file through, with the usual rules and then with the
	 * Pod Security Standards (audit --pss restricted) */
	for (int pss = 0; pss < 2; pss++) {
		struct shp_config cfg = {.pss_level = pss ? SHP_PSS_RESTRICTED : SHP_PSS_OFF};
		struct shp_workloads w = {.pss_level = cfg.pss_level, .pss_minor = SHP_PSS_LATEST};
		struct shp_error *err = NULL;
		if (shp_audit_read("fuzz.yaml", (const char *)data, size, &w, &err) < 0)
			shp_error_free(err);
		struct shp_findings f = {0};
		shp_audit_check(&w, pss ? &cfg : NULL, &f);
		shp_findings_free(&f);
		shp_workloads_free(&w);
	}
	struct shp_error *err = NULL;
	/* and the stream as the readers saw it, with its merge keys resolved */
	struct shp_ystream s;
	err = NULL;
	if (shp_ystream_parse(&s, "fuzz.yaml", (const char *)data, size, &err) < 0) {
		shp_error_free(err);
		return 0;
	}
	for (size_t i = 0; i < s.n; i++)
		check_merged(&s.docs[i]);
	shp_ystream_free(&s);
	return 0;
}
