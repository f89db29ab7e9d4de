/* json.h - the cJSON helpers every JSON reader (image configs, feeds, SBOMs) shares. */
#pragma once
#include <cjson/cJSON.h>

/* o[key] if it is a string, else NULL. */
static inline const char *shp_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline void shp_json_freep(cJSON **j) { cJSON_Delete(*j); }
