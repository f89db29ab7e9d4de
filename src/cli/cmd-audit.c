/* cmd-audit.c - `shipshape audit FILE...`: docker-compose files and Kubernetes manifests
 * (told by content, every document of a stream) checked for how their containers would run:
 * privileges, capabilities, host namespaces, the engine socket and host paths, limits,
 * seccomp and AppArmor, images and secrets in the environment. */
#include "audit/readers.h"
#include "cli/cli.h"
#include "rules/audit.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape audit [options] FILE...\n\n"
	      "Audits how containers would run, from docker-compose files and Kubernetes manifests\n"
	      "(Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, List; several\n"
	      "documents per file): privileged, capabilities, root, host namespaces, the engine\n"
	      "socket and sensitive host paths, limits, seccomp and AppArmor, images, secrets.\n\noptions:\n" SHP_COMMON_HELP,
	      f);
}

/* Reads one file into w; -1 with err if it is not readable or not YAML/JSON, 1 if nothing in
 * it is a compose file or a Kubernetes workload. */
static int read_one(const char *path, struct shp_workloads *w, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file(path, SHP_Y_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	struct shp_ystream s;
	if (shp_ystream_parse(&s, path, text, len, err) < 0)
		return -1;
	int known = 0;
	for (size_t i = 0; i < s.n; i++)
		known |= shp_audit_compose(&s.docs[i], path, w) || shp_audit_k8s(&s.docs[i], path, w);
	shp_ystream_free(&s);
	return known ? 0 : 1;
}

int shp_cmd_audit(int argc, char **argv)
{
	const struct shp_cli_spec spec = {.name = "audit", .usage = usage, .min_args = 1};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	struct shp_workloads w = {0};
	struct shp_findings f = {0};
	int bad = 0;
	for (int i = first; i < argc; i++) {
		_cleanup_error_ struct shp_error *err = NULL;
		int r = read_one(argv[i], &w, &err);
		if (r < 0) {
			shp_cli_error("%s", err->msg);
			bad = 1;
		} else if (r > 0) {
			shp_cli_error("%s: neither a compose file (services:) nor a Kubernetes workload (kind:)", argv[i]);
			bad = 1;
		}
	}
	int rc = SHP_EXIT_INPUT;
	if (!bad) {
		shp_audit_check(&w, &o.cfg, &f);
		struct shp_report_opts ro = {.color = o.color, .fail_on = o.fail_on, .files = (size_t)(argc - first),
					     .command = "audit"};
		struct shp_buf doc = {0};
		shp_report(&doc, o.format, &f, &ro);
		struct shp_report_summary sum = {0};
		shp_report_count(&sum, f.v, f.n, o.fail_on);
		rc = shp_cli_write(&o, &doc, sum.failing);
	}
	shp_findings_free(&f);
	shp_workloads_free(&w);
	shp_config_free(&o.cfg);
	return rc;
}
