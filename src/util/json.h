/* json.h - the cJSON helpers every JSON reader (image configs, feeds, SBOMs) shares. */
#pragma once
#include "util/error.h"
#include "util/file.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* Sanity limit: values in one JSON document. cJSON spends about 80 bytes on each, so a
 * document of "0," pairs costs 40 times its size; this keeps one document under ~1.3 GB
 * while leaving room for the largest feed (Debian's tracker JSON, a few million values). */
#define SHP_JSON_MAX_NODES (1u << 24)

/* Sanity limits checked on a JSON document's text before a parser builds its tree. */
struct shp_json_limits {
	size_t depth;	  /* arrays and objects open at once */
	size_t values;	  /* values (strings, numbers, literals, arrays, objects) */
	const char *name; /* the values limit's name, said when it is passed */
};

/* 0 when text (JSON, valid or not) stays within lim; else -1 with err "where:line:col:
 * nesting deeper than N" or "where:line:col: more than N nodes (NAME)". One pass: a string
 * is skipped, a bracket nests, and a string, a bracket or a run of other characters is one
 * value. */
int shp_json_check(const char *where, const char *text, size_t len, const struct shp_json_limits *lim,
		   struct shp_error **err);

/* Parses text (len bytes) as one JSON document of at most SHP_JSON_MAX_NODES values; the
 * caller frees it with cJSON_Delete(). Otherwise NULL, and err names where (the input),
 * and the line and column where the parser stopped or the limit. */
cJSON *shp_json_parse(const char *where, const char *text, size_t len, struct shp_error **err);

/* With on, the documents this thread parses next share one scratch block that each parse
 * reuses: the caller deletes each (cJSON_Delete) before it parses the next, and keeps none
 * after off. For readers of many small documents, which spent a fifth of their time in
 * malloc and free for cJSON's values. */
void shp_json_scratch(int on);

/* o[key] if it is a string, else NULL. */
static inline const char *shp_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline void shp_json_freep(cJSON **j) { cJSON_Delete(*j); }
