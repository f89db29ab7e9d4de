/* toml.h - reads a TOML 1.0 document into a cJSON tree: tables and inline tables are
 * objects, arrays are arrays, strings strings, integers and floats numbers, booleans
 * booleans, dates and times strings (as written). For gitleaks' .gitleaks.toml. */
#pragma once
#include "util/error.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* Sanity limits: the largest document read (as the other configuration readers), and the
 * containers (tables, arrays, inline tables) open at once below the root, counting each
 * part of a dotted key or table header as one. A real configuration nests a few deep. */
#define SHP_TOML_MAX_BYTES (1u << 20)
#define SHP_TOML_MAX_DEPTH 128

/* Parses text[0..len); name is the input's name for messages. Returns the root table, which
 * the caller frees with cJSON_Delete(). On error returns NULL and sets *err (SHP_EXIT_INPUT)
 * to "NAME:LINE:COL: what is wrong". Integers beyond 2^53 lose precision (cJSON holds
 * doubles); a string or key holding U+0000 is refused, as a C string cannot hold it. */
cJSON *shp_toml_parse(const char *text, size_t len, const char *name, struct shp_error **err);
