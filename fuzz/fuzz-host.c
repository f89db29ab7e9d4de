/* fuzz-host.c - libFuzzer target: daemon.json text through the strict JSON check, the YAML
 * reader that keeps lines, and every host rule (on a root with nothing else in it). */
#include "rules/host.h"
#include "util/xalloc.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shp_findings f = {0};
	struct shp_host_ctx ctx = {.root = "/nonexistent-fuzz-root", .out = &f, .docker = 1};
	ctx.daemon_path = shp_xstrdup("/etc/docker/daemon.json");
	struct shp_error *err = NULL;
	if (shp_host_load_daemon(&ctx, (const char *)data, size, &err) < 0)
		shp_error_free(err);
	else
		shp_host_check(&ctx);
	shp_host_free(&ctx);
	shp_findings_free(&f);
	return 0;
}
