/* ecosystem.c - the table of package ecosystems (see ecosystem.h): one pointer per row of
 * SHP_ECOSYSTEMS, indexed by enum shp_pkg_type, and the look-ups by name. */
#include "pkg/ecosystem.h"

#include <string.h>

#define SHP_ECO_ROW_(C, n) [SHP_PKG_##C] = &shp_eco_##n,
const struct shp_ecosystem *const shp_ecosystems[SHP_PKG_NTYPES] = {SHP_ECOSYSTEMS(SHP_ECO_ROW_)};
#undef SHP_ECO_ROW_

int shp_eco_by_type(const char *type)
{
	for (int t = 0; type && t < SHP_PKG_NTYPES; t++)
		if (!strcmp(shp_ecosystems[t]->type, type))
			return t;
	return -1;
}

int shp_eco_by_purl_type(const char *purl_type)
{
	for (int t = 0; purl_type && t < SHP_PKG_NTYPES; t++)
		if (!strcmp(shp_ecosystems[t]->purl_type, purl_type))
			return t;
	return -1;
}

int shp_eco_by_osv(const char *osv)
{
	for (int t = 0; osv && t < SHP_PKG_NTYPES; t++)
		if (shp_ecosystems[t]->osv && !strcmp(shp_ecosystems[t]->osv, osv))
			return t;
	return -1;
}
