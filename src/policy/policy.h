/* policy.h - the findings policy: the one stage that decides, after the rules have run, which
 * findings are reported and at what severity. Rules emit every finding with their own
 * severity (the rule's, or the one they grade); then, in this order:
 *   1. severity overrides: .shipshape.yaml's severity:, .hadolint.yaml's override:
 *   2. ignores by name: --ignore, ignore: or ignored: of the configuration files,
 *      .trivyignore, .dockleignore, --ignorefile, and .trivyignore.yaml entries without paths
 *      or purls; a name is a rule's id, slug or alias, or a vulnerability's id or alias
 *   3. scoped ignores: .trivyignore.yaml entries with paths (the path in the image, else the
 *      file) or purls (the vulnerable package)
 *   4. a workload's exemption annotations (Polaris'), which disable-ignore-pragma leaves be
 *   5. inline pragmas as the parsers recorded them (# hadolint ignore=, global and stage
 *      ones, # shipshape ignore=, # trivy:ignore:), unless disable-ignore-pragma is set
 *   6. --severity: the severity reported, after the overrides
 *   7. --skip-files and --skip-dirs (and the files' skip-files:, skip-dirs:): the path in the
 *      image; else the file, for findings in files
 * Steps 2 to 7 only drop, so their order among themselves changes nothing; the overrides come
 * first so that --severity filters what the report will show. The command line's flags are
 * merged into the configuration when it is loaded, so cfg is the whole policy. */
#pragma once
#include "config/config.h"
#include "finding/finding.h"

enum shp_policy_step {
	SHP_POLICY_OVERRIDE = 1 << 0,
	SHP_POLICY_IGNORE = 1 << 1,
	SHP_POLICY_SCOPED = 1 << 2,
	SHP_POLICY_EXEMPT = 1 << 3,
	SHP_POLICY_PRAGMA = 1 << 4,
	SHP_POLICY_SEVERITY = 1 << 5,
	SHP_POLICY_SKIP = 1 << 6,
	SHP_POLICY_ALL = (1 << 7) - 1,
};

/* Applies the steps named in steps to x, in the order above: x may be re-rated; returns 1 if
 * it is kept. cfg may be NULL (no configuration: only what the documents say applies). */
int shp_policy_keep(const struct shp_config *cfg, struct shp_finding *x, unsigned steps);

/* The stage: every step over every finding of f; the dropped ones are freed, the kept ones
 * re-rated, and their pragma references cleared. It runs before the documents the findings
 * came from are freed (their pragmas point into them); running it again changes nothing. */
void shp_policy_apply(const struct shp_config *cfg, struct shp_findings *f);

/* 1 if path (inside an image, or a file) is under a skip-files or skip-dirs pattern. */
int shp_policy_skips(const struct shp_config *cfg, const char *path);
/* 1 if name is id, or one of the comma-separated aliases (which may be NULL). */
int shp_policy_id_is(const char *name, const char *id, const char *aliases);
