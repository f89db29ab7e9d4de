/* hsdb.h - the secret detectors' Hyperscan databases, compiled and serialized at build time:
 * gen-hsdb.c writes them into the generated secrets-hsdb.c, scan.c deserializes them. */
#pragma once
#include <stddef.h>

extern const unsigned char shp_hsdb_all[]; /* the detectors of all kinds */
extern const size_t shp_hsdb_all_size;
extern const unsigned char shp_hsdb_bin[]; /* of the kinds also looked for in binary files */
extern const size_t shp_hsdb_bin_size;
