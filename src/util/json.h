/* json.h - the cJSON helpers every JSON reader (image configs, feeds, SBOMs) shares. */
#pragma once
#include "util/file.h"

#include <cjson/cJSON.h>

/* Parses text (len bytes) as one JSON document; the caller frees it with cJSON_Delete(). For
 * text that is not JSON: NULL, and *line and *col (1-based) where the parser stopped. */
static inline cJSON *shp_json_parse(const char *text, size_t len, size_t *line, size_t *col)
{
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!doc)
		shp_text_place(text, len, end && end >= text ? (size_t)(end - text) : 0, line, col);
	return doc;
}

/* o[key] if it is a string, else NULL. */
static inline const char *shp_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline void shp_json_freep(cJSON **j) { cJSON_Delete(*j); }
