/* host.h - the host checks (SHP50xx): a container host's filesystem, read offline from a root
 * directory (/ by default) by host/host.h: engine sockets, the docker group, daemon.json, the
 * ownership and modes of the engine's files. */
#pragma once
#include "config/config.h"
#include "host/host.h"
#include "rules/rule.h"

void shp_host_report(struct shp_host_ctx *ctx, enum shp_severity sev, const char *file, int line, const char *evidence,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void shp_host_check(struct shp_host_ctx *ctx);
