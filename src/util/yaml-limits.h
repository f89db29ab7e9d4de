/* yaml-limits.h - sanity limits on YAML (and JSON) text, checked before it is loaded: libyaml
 * costs time proportional to the flow nesting depth for every token, and memory for every
 * node, so a small hostile file (a config every command reads, an audit input) could cost
 * minutes and gigabytes. One event pass, stopped at the first limit, keeps both linear. */
#pragma once
#include "util/error.h"

#include <stddef.h>

/* Sanity limits: sequences and mappings open at once (block and flow), and nodes (scalars,
 * aliases, sequences, mappings) in one file. Real configurations and manifests nest a few
 * dozen deep; a large cluster dump has some hundred thousand nodes. */
#define SHP_YAML_MAX_DEPTH 128
#define SHP_YAML_MAX_NODES 1000000

/* Reads text (all documents) as libyaml's events and fails when it nests deeper than
 * SHP_YAML_MAX_DEPTH or holds more than SHP_YAML_MAX_NODES nodes ("path:line:col: nesting
 * deeper than 128"), or is not YAML (libyaml's error, after "what: " when what is set). */
int shp_yaml_check(const char *path, const char *text, size_t len, const char *what, struct shp_error **err);
