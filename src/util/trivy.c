/* trivy.c - Trivy's ignore conventions (see trivy.h). */
#include "util/trivy.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void shp_today(char out[16])
{
	time_t now = time(NULL);
	struct tm tm;
	strftime(out, 16, "%Y-%m-%d", gmtime_r(&now, &tm));
}

const char *shp_trivy_ignore(const char *c, const char *end, size_t *n)
{
	if (end - c < 14 || strncasecmp(c, "trivy:ignore:", 13))
		return NULL;
	const char *id = c + 13, *e = id;
	while (e < end && !isspace((unsigned char)*e) && *e != ':' && *e != '#')
		e++;
	if (e == id || e - id > 64)
		return NULL;
	if (end - e >= 15 && !strncmp(e, ":exp:", 5)) {
		char today[16];
		shp_today(today);
		if (memcmp(e + 5, today, 10) < 0)
			return NULL;
	}
	*n = (size_t)(e - id);
	return id;
}
