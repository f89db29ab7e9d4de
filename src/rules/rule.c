/* rule.c - lookups over the registry. */
#include "rules/rule.h"

#include <string.h>
#include <strings.h>

const struct shp_rule *shp_rule_find(const char *name)
{
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	for (size_t i = 0; i < n; i++)
		if (shp_rule_matches(all[i], name))
			return all[i];
	return NULL;
}

int shp_rule_foreign(const char *name)
{
	static const char *const hadolint_only[] = {"DL1001", "DL3049", "DL3050", "DL3051", "DL3052",
						    "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"};
	if ((name[0] == 'S' || name[0] == 's') && (name[1] == 'C' || name[1] == 'c') && name[2] &&
	    strspn(name + 2, "0123456789") == strlen(name + 2))
		return 1;
	if (!strncasecmp(name, "DS", 2) || !strncasecmp(name, "AVD-", 4))
		return !shp_rule_find(name);
	for (size_t i = 0; i < sizeof hadolint_only / sizeof hadolint_only[0]; i++)
		if (!strcasecmp(name, hadolint_only[i]))
			return 1;
	return 0;
}
