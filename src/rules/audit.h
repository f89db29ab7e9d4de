/* audit.h - the run-configuration rule driver (SHP40xx): every workload against every rule. */
#pragma once
#include "audit/workload.h"
#include "config/config.h"
#include "rules/rule.h"

struct shp_audit_ctx {
	const struct shp_wl_pragma *pragmas; /* the inline ignores, by file and line */
	size_t npragmas;
	const struct shp_workload *wl;
	const struct shp_config *cfg;
	const struct shp_rule *rule;
	struct shp_findings *out;
};

/* A finding for ctx->rule at a place (0: where the workload starts), naming the workload. */
void shp_audit_report(struct shp_audit_ctx *ctx, shp_pos at, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same for a finding about the whole pod (a Pod Security Standards control), named by
 * the pod alone although it is told on its first container's workload. */
void shp_audit_report_pod(struct shp_audit_ctx *ctx, shp_pos at, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Appends the findings, which point at w's inline ignores (sorted here): the policy stage
 * (src/policy) runs on them before w is freed. */
void shp_audit_check(struct shp_workloads *w, const struct shp_config *cfg, struct shp_findings *out);
