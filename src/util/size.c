/* size.c - see size.h. */
#include "util/size.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int shp_parse_size(const char *s, enum shp_size_units u, uint64_t *out)
{
	static const char units[] = "KMGT";
	if (!isdigit((unsigned char)*s) && !(u == SHP_SIZE_SI && *s == '.'))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || (u == SHP_SIZE_BINARY && (end != s + strspn(s, "0123456789") || v == 0)))
		return -1;
	while (*end == ' ')
		end++;
	double mult = 1;
	const char *k = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (k) {
		int kibi = end[1] == 'i' || end[1] == 'I';
		double base = u == SHP_SIZE_BINARY || kibi ? 1024.0 : 1000.0;
		for (const char *x = units; x <= k; x++)
			mult *= base;
		end += 1 + kibi;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	double bytes = v * mult;
	if (*end || !(bytes >= 0 && bytes < 18446744073709551616.0))
		return -1;
	*out = (uint64_t)bytes;
	return 0;
}
