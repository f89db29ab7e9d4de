/* size.c - see size.h. */
#include "util/size.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

void shp_size_human(char *buf, size_t n, uint64_t b)
{
	if (b >= (1ull << 30))
		snprintf(buf, n, "%.1f GB", b / 1e9);
	else if (b >= 1000000)
		snprintf(buf, n, "%.1f MB", b / 1e6);
	else if (b >= 1000)
		snprintf(buf, n, "%.1f kB", b / 1e3);
	else
		snprintf(buf, n, "%llu B", (unsigned long long)b);
}

int shp_parse_duration(const char *s, long long *seconds)
{
	static const struct {
		char unit;
		long long secs;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
	if (!strcmp(s, "0")) {
		*seconds = 0;
		return 0;
	}
	long long total = 0;
	do {
		if (!isdigit((unsigned char)*s))
			return -1;
		char *end;
		errno = 0;
		long long n = strtoll(s, &end, 10);
		long long mult = 0;
		for (size_t i = 0; i < sizeof units / sizeof units[0] && !mult; i++)
			if (*end == units[i].unit)
				mult = units[i].secs;
		if (errno || !mult || n > SHP_DURATION_MAX / mult)
			return -1;
		total += n * mult;
		s = end + 1;
	} while (*s);
	if (total > SHP_DURATION_MAX)
		return -1;
	*seconds = total;
	return 0;
}
