/* cvss.c - the CVSS v3.0/v3.1 base score from its vector, with the specification's weights
 * and its Roundup (FIRST, CVSS v3.1 specification, section 7). */
#include "vuln/vulndb.h"

#include <math.h>
#include <string.h>

static double roundup(double x)
{
	long i = lround(x * 100000);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000) + 1) / 10.0;
}

double shp_cvss3_score(const char *v)
{
	if (!v || (strncmp(v, "CVSS:3.0/", 9) && strncmp(v, "CVSS:3.1/", 9)))
		return -1;
	double av = -1, ac = -1, pr = -1, ui = -1, c = -1, in = -1, a = -1;
	int scope = -1; /* 0 unchanged, 1 changed */
	char prv = 0;
	for (const char *p = v + 9; *p;) {
		const char *colon = strchr(p, ':');
		if (!colon || !colon[1])
			return -1;
		size_t kn = (size_t)(colon - p);
		char val = colon[1];
#define IS(k) (kn == strlen(k) && !strncmp(p, k, kn))
		if (IS("AV"))
			av = val == 'N' ? 0.85 : val == 'A' ? 0.62 : val == 'L' ? 0.55 : val == 'P' ? 0.2 : -1;
		else if (IS("AC"))
			ac = val == 'L' ? 0.77 : val == 'H' ? 0.44 : -1;
		else if (IS("PR"))
			prv = val;
		else if (IS("UI"))
			ui = val == 'N' ? 0.85 : val == 'R' ? 0.62 : -1;
		else if (IS("S"))
			scope = val == 'U' ? 0 : val == 'C' ? 1 : -1;
		else if (IS("C") || IS("I") || IS("A")) {
			double w = val == 'H' ? 0.56 : val == 'L' ? 0.22 : val == 'N' ? 0 : -1;
			*(IS("C") ? &c : IS("I") ? &in : &a) = w;
		}
#undef IS
		const char *slash = strchr(colon, '/');
		if (!slash)
			break;
		p = slash + 1;
	}
	if (scope < 0)
		return -1;
	pr = prv == 'N' ? 0.85 : prv == 'L' ? (scope ? 0.68 : 0.62) : prv == 'H' ? (scope ? 0.5 : 0.27) : -1;
	if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || in < 0 || a < 0)
		return -1;
	double iss = 1 - (1 - c) * (1 - in) * (1 - a);
	double impact = scope ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av * ac * pr * ui;
	if (impact <= 0)
		return 0;
	double s = scope ? 1.08 * (impact + expl) : impact + expl;
	return roundup(s < 10 ? s : 10);
}

enum shp_severity shp_severity_of_cvss(double s)
{
	if (s >= 9.0)
		return SHP_SEV_CRITICAL;
	if (s >= 7.0)
		return SHP_SEV_HIGH;
	if (s >= 4.0)
		return SHP_SEV_MEDIUM;
	if (s > 0)
		return SHP_SEV_LOW;
	return SHP_SEV_INFO;
}
