/* rule.h - the rule registry: every rule's static descriptor (struct shp_rule, in
 * src/finding/finding.h with the finding model it is part of), and lookups over them. */
#pragma once
#include "finding/finding.h"
#include <stddef.h>

/* All rules, in id order. The array is static; do not free. */
const struct shp_rule *const *shp_rules_all(size_t *n);
/* Sanity limit: rules of one scope. */
#define SHP_MAX_SCOPE_RULES 256
/* The rules of scope, in id order, into out (room for SHP_MAX_SCOPE_RULES); returns how many.
 * Every rule runs: which findings are ignored is the policy stage's decision (src/policy). */
size_t shp_rules_active(enum shp_rule_scope scope, const struct shp_rule **out);
/* Looks a rule up by id, slug or any alias (case-insensitive); NULL if none. */
const struct shp_rule *shp_rule_find(const char *name);
/* True for an id of another tool that shipshape knows and has no rule for: ShellCheck's
 * (SC2086), hadolint's rules left out (DL1001, the label-schema family DL3049-DL3058 but
 * DL3057) and Trivy's checks (DS..., AVD-...). Naming one ignores nothing and is no error, so
 * a hadolint or Trivy setup keeps working; a typo of ours still is one. */
int shp_rule_foreign(const char *name);
