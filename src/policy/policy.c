/* policy.c - the findings policy stage (the order is in policy.h). */
#include "policy/policy.h"
#include "audit/workload.h"
#include "pkg/sbom.h"
#include "rules/rule.h"
#include "util/glob.h"

#include <stdlib.h>
#include <string.h>

static enum shp_severity overridden(const struct shp_config *cfg, const struct shp_rule *r, enum shp_severity s)
{
	for (size_t i = 0; i < cfg->noverrides; i++)
		if (shp_rule_matches(r, cfg->overrides[i].rule))
			s = cfg->overrides[i].severity;
	return s;
}

int shp_policy_id_is(const char *name, const char *id, const char *aliases)
{
	if (!strcmp(name, id))
		return 1;
	size_t n = strlen(name);
	for (const char *a = aliases; n && a && (a = strstr(a, name)); a += n)
		if ((a == aliases || a[-1] == ',') && (a[n] == 0 || a[n] == ','))
			return 1;
	return 0;
}

static int ignored(const struct shp_config *cfg, const struct shp_finding *x)
{
	const struct shp_finding_vuln *v = x->vuln;
	for (size_t i = 0; i < cfg->nignored; i++)
		if (shp_rule_matches(x->rule, cfg->ignored[i]) ||
		    (v && shp_policy_id_is(cfg->ignored[i], v->id, v->aliases)))
			return 1;
	return 0;
}

/* The scoped ignore e's paths (if any) hold path. */
static int scoped_path(const struct shp_scoped_ignore *e, const char *path)
{
	if (!e->npaths)
		return 1;
	for (size_t i = 0; path && i < e->npaths; i++)
		if (shp_glob_match(e->paths[i], path))
			return 1;
	return 0;
}

/* A purl names the package: the same type, name and (when it gives one) version. */
static int purl_names(const char *purl, const struct shp_finding_vuln *v)
{
	struct shp_arena a = {0};
	struct shp_pkg q = {0};
	int hit = shp_purl_parse(purl, &a, &q, NULL, NULL) == 0 && (int)q.type == v->pkg_type && q.name &&
		  v->pkg_name && !strcmp(q.name, v->pkg_name) &&
		  (!q.version || !*q.version || (v->pkg_version && !strcmp(q.version, v->pkg_version)));
	shp_arena_free(&a);
	return hit;
}

/* A .trivyignore.yaml entry with paths or purls: one naming the rule (and no purls) at the
 * finding's path or file; or one naming the vulnerability, whose paths hold the package's
 * database and whose purls (if any) name the package. */
static int scoped(const struct shp_config *cfg, const struct shp_finding *x)
{
	const struct shp_finding_vuln *v = x->vuln;
	for (size_t i = 0; i < cfg->nscoped; i++) {
		const struct shp_scoped_ignore *e = &cfg->scoped[i];
		if (!e->npurls && shp_rule_matches(x->rule, e->id) && scoped_path(e, x->path ? x->path : x->file))
			return 1;
		if (!v || !shp_policy_id_is(e->id, v->id, v->aliases) || !scoped_path(e, x->path))
			continue;
		int named = !e->npurls;
		for (size_t k = 0; !named && k < e->npurls; k++)
			named = purl_names(e->purls[k], v);
		if (named)
			return 1;
	}
	return 0;
}

/* A comma-separated list (a YAML pragma's, the exemptions' from annotations) names the rule:
 * one of its names or aliases, "*" for every rule, "polaris-*" for the Polaris checks. */
static int csv_names(const struct shp_rule *r, const char *list)
{
	for (const char *s = list; s && *s;) {
		size_t n = strcspn(s, ",");
		char id[80];
		if (n < sizeof id) {
			memcpy(id, s, n);
			id[n] = 0;
			if (!strcmp(id, "*") || shp_rule_matches(r, id))
				return 1;
			for (int a = 0; !strcmp(id, "polaris-*") && a < SHP_MAX_ALIASES && r->aliases[a]; a++)
				if (!strncmp(r->aliases[a], "polaris-", 8))
					return 1;
		}
		s += n + (s[n] == ',');
	}
	return 0;
}

/* A Dockerfile pragma list that names an unknown rule is void as a whole, as hadolint treats
 * it: a typo must not silently ignore its neighbours. "*" (Trivy's) names every rule. */
static int list_names(const struct shp_rule *r, char *const *ids, size_t n)
{
	int hit = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(ids[i], "*") || shp_rule_matches(r, ids[i]))
			hit = 1;
		else if (!shp_rule_find(ids[i]) && !shp_rule_foreign(ids[i]))
			return 0;
	}
	return hit;
}

static int pragma_ignores(const struct shp_finding *x)
{
	const struct shp_finding_pragmas *p = x->pragmas;
	for (int k = 0; k < 3; k++)
		if (p->nlists[k] && list_names(x->rule, p->lists[k], p->nlists[k]))
			return 1;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < p->nyaml[k]; i++)
			if (csv_names(x->rule, p->yaml[k][i].ids))
				return 1;
	return 0;
}

int shp_policy_skips(const struct shp_config *cfg, const char *path)
{
	for (size_t i = 0; cfg && path && i < cfg->nskip; i++)
		if (shp_glob_match(cfg->skip[i], path))
			return 1;
	return 0;
}

static int shows(const struct shp_config *cfg, const struct shp_finding *x)
{
	return !cfg->shown || (cfg->shown & (1u << x->severity)) || (x->unrated && (cfg->shown & SHP_SHOW_UNRATED));
}

int shp_policy_keep(const struct shp_config *cfg, struct shp_finding *x, unsigned steps)
{
	if (cfg && (steps & SHP_POLICY_OVERRIDE))
		x->severity = overridden(cfg, x->rule, x->severity);
	if (cfg && (steps & SHP_POLICY_IGNORE) && ignored(cfg, x))
		return 0;
	if (cfg && (steps & SHP_POLICY_SCOPED) && scoped(cfg, x))
		return 0;
	if (x->pragmas && (steps & SHP_POLICY_EXEMPT) && csv_names(x->rule, x->pragmas->exempt))
		return 0;
	if (x->pragmas && (steps & SHP_POLICY_PRAGMA) && !(cfg && cfg->disable_pragmas) && pragma_ignores(x))
		return 0;
	if (cfg && (steps & SHP_POLICY_SEVERITY) && !shows(cfg, x))
		return 0;
	if (cfg && (steps & SHP_POLICY_SKIP) && cfg->nskip) {
		/* an image finding without a path is about the image as a whole, which no pattern skips */
		int in_image = x->rule->scope == SHP_SCOPE_IMAGE || x->rule->scope == SHP_SCOPE_VULN;
		if (shp_policy_skips(cfg, x->path ? x->path : in_image ? NULL : x->file))
			return 0;
	}
	return 1;
}

static int keep_all(struct shp_finding *x, const void *cfg)
{
	int keep = shp_policy_keep(cfg, x, SHP_POLICY_ALL);
	x->pragmas = NULL; /* consumed: they point into a document about to be freed */
	return keep;
}

void shp_policy_apply(const struct shp_config *cfg, struct shp_findings *f) { shp_findings_filter(f, keep_all, cfg); }
