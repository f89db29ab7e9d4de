/* yaml.h - YAML and JSON documents for the audit readers, as libyaml's nodes: every document
 * of a stream, nodes with their line, and mappings with their merge keys ("<<") resolved.
 * Aliases are not expanded (libyaml points an alias at its anchor's node), so a
 * billion-laughs document costs its size. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <yaml.h>

/* Sanity limits: bytes of one file, documents per stream, pairs that merge keys copy into
 * the mappings of one stream (anchors merged into many mappings, each merging many, could
 * otherwise ask for a quadratic number). Nesting and nodes: yaml-limits.h. */
#define SHP_Y_MAX_BYTES (64u << 20)
#define SHP_Y_MAX_DOCS 10000
#define SHP_Y_MAX_MERGED_PAIRS 1000000

struct shp_ystream {
	const char *path;
	yaml_document_t *docs;
	size_t n;
};

/* Parses text (all documents; a JSON value with the JSON parser), within the sanity limits,
 * and resolves merge keys. An error names path:line:column. */
int shp_ystream_parse(struct shp_ystream *s, const char *path, const char *text, size_t len, struct shp_error **err);
void shp_ystream_free(struct shp_ystream *s);

typedef yaml_node_t ynode;

ynode *shp_y_root(yaml_document_t *d);
ynode *shp_y_node(yaml_document_t *d, int index);
/* The value of key in map (its own, or one it merges), or NULL. */
ynode *shp_y_get(yaml_document_t *d, ynode *map, const char *key);
/* A path of keys: shp_y_path(d, n, "spec", "template", "spec", NULL). */
ynode *shp_y_path(yaml_document_t *d, ynode *n, ...) __attribute__((sentinel));
const char *shp_y_str(ynode *n); /* a scalar's text, or NULL */
int shp_y_line(ynode *n);	 /* 1-based */
int shp_y_col(ynode *n);	 /* 1-based */
int shp_y_is_map(ynode *n);
int shp_y_is_seq(ynode *n);
/* YAML 1.1 and 1.2 booleans: 1 true, 0 false, -1 not a boolean. */
int shp_y_bool(ynode *n);
size_t shp_y_len(ynode *seq);
ynode *shp_y_item(yaml_document_t *d, ynode *seq, size_t i);
/* Map pairs in order: its own (without "<<"), then those it merges and does not override;
 * key and value of pair i. */
size_t shp_y_npairs(ynode *map);
ynode *shp_y_key(yaml_document_t *d, ynode *map, size_t i);
ynode *shp_y_val(yaml_document_t *d, ynode *map, size_t i);
