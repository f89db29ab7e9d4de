/* registry.c - the one list of rule families. A new rule is a row in its family's
 * table; a new family is a line here. */
#include "rules/families.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct shp_rule *tables[] = {
	shp_rules_df_from,    shp_rules_df_user,   shp_rules_df_pkg,	 shp_rules_df_run,	shp_rules_df_instr,
	shp_rules_df_secrets, shp_rules_df_trust,  shp_rules_img_config, shp_rules_img_secrets, shp_rules_img_fs,
	shp_rules_img_size,   shp_rules_img_creds, shp_rules_vuln,	 shp_rules_audit,	shp_rules_pss,
	shp_rules_host,	      shp_rules_pin,
};

/* Sanity limit on the registry itself. */
#define MAX_RULES 512

static const struct shp_rule *all[MAX_RULES];
static size_t nall;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_id(const void *a, const void *b)
{
	return strcmp((*(const struct shp_rule *const *)a)->id, (*(const struct shp_rule *const *)b)->id);
}

static void build(void)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct shp_rule *r = tables[t]; r->id && nall < MAX_RULES; r++)
			all[nall++] = r;
	qsort(all, nall, sizeof all[0], cmp_id);
}

const struct shp_rule *const *shp_rules_all(size_t *n)
{
	pthread_once(&once, build);
	*n = nall;
	return all;
}

size_t shp_rules_active(enum shp_rule_scope scope, const struct shp_rule **out)
{
	size_t n, k = 0;
	const struct shp_rule *const *rules = shp_rules_all(&n);
	for (size_t i = 0; i < n && k < SHP_MAX_SCOPE_RULES; i++)
		if (rules[i]->scope == scope)
			out[k++] = rules[i];
	return k;
}
