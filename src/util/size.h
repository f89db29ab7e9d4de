/* size.h - byte sizes as people write them: "4096", "512K", "64MiB", "1.5 GB"; and spans of
 * time: "7d", "36h", "1d12h". */
#pragma once
#include <stdint.h>

enum shp_size_units {
	SHP_SIZE_BINARY, /* our flags (--cache-max, --max-layer-bytes): K, M, G, T are powers of
			  * 1024; a whole number above 0 */
	SHP_SIZE_SI,	 /* go-humanize's, as dive reads .dive-ci: K, M, G, T powers of 1000, Ki, Mi,
			  * Gi, Ti of 1024; decimals and 0 allowed */
};

/* Parses s (a B after the unit is optional, case does not matter, blanks may come before the
 * unit) into *out: 0, or -1 if s is not a size in those units or does not fit 64 bits. */
int shp_parse_size(const char *s, enum shp_size_units u, uint64_t *out);
/* b for people, in SI units as dive and docker print them: "512 B", "4.1 kB", "12.3 MB". */
#include <stddef.h>
void shp_size_human(char *buf, size_t n, uint64_t b);

/* Sanity limit: the longest span of time accepted (a century); longer is a typo. */
#define SHP_DURATION_MAX (100LL * 366 * 86400)
/* Parses a span of time (whole numbers, each followed by s, m, h, d or w: "7d", "36h",
 * "1d12h"; "0" alone) into *seconds: 0, or -1 if s is not one or is longer than
 * SHP_DURATION_MAX. */
int shp_parse_duration(const char *s, long long *seconds);
