/* common.c - what every reporter shares. */
#include "report/report.h"

size_t shp_report_failing(const struct shp_findings *f, enum shp_severity fail_on)
{
	size_t n = 0;
	if (fail_on == SHP_SEV_NONE)
		return 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].severity >= fail_on)
			n++;
	return n;
}
