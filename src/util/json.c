/* json.c - one JSON document parsed by cJSON within a budget of values, counted on the text
 * before cJSON allocates any (cJSON itself only bounds the nesting depth). */
#include "util/json.h"
#include "util/file.h"

#include <string.h>

/* An upper bound on the values in text: one, plus one per ',' and per '[' or '{' outside
 * strings (each further member of a list or object follows a comma, a first one an opener). */
static size_t count_values(const char *text, size_t len)
{
	size_t n = 1;
	const char *p = text, *end = text + len;
	while (p < end) {
		char c = *p++;
		if (c == ',' || c == '[' || c == '{')
			n++;
		else if (c == '"') {
			/* to the closing quote: memchr over the string, skipping escaped quotes */
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p));
				if (!q)
					return n;
				size_t bs = 0;
				while (q - bs > p && q[-1 - (ptrdiff_t)bs] == '\\')
					bs++;
				p = q + 1;
				if (bs % 2 == 0)
					break;
			}
		}
	}
	return n;
}

cJSON *shp_json_parse(const char *where, const char *text, size_t len, struct shp_error **err)
{
	if (count_values(text, len) > SHP_JSON_MAX_NODES) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %u JSON values in one document (SHP_JSON_MAX_NODES)",
			      where, SHP_JSON_MAX_NODES);
		return NULL;
	}
	const char *stop = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
	if (!doc) {
		size_t line, col;
		shp_text_place(text, len, stop && stop >= text ? (size_t)(stop - text) : 0, &line, &col);
		shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: not valid JSON", where, line, col);
	}
	return doc;
}
