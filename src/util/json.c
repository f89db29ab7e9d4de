/* json.c - one JSON document parsed by cJSON within a budget of values, counted on the text
 * before cJSON allocates any (cJSON itself only bounds the nesting depth). */
#include "util/json.h"
#include "util/file.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A thread's scratch block for the documents it parses while shp_json_scratch is on: each
 * parse starts it afresh, and cJSON's frees of what it handed out do nothing. Values that do
 * not fit are malloc'd as usual (and the block doubles for the next document). */
#define SCRATCH_MIN (64u << 10)
#define SCRATCH_MAX (8u << 20)
static __thread struct {
	char *base;
	size_t cap, used, missed;
	int on;
} scratch;

static void *json_malloc(size_t n)
{
	if (scratch.on) {
		size_t at = (scratch.used + 15) & ~(size_t)15;
		if (at <= scratch.cap && n <= scratch.cap - at) {
			scratch.used = at + n;
			return scratch.base + at;
		}
		scratch.missed += n;
	}
	return malloc(n);
}

static void json_free(void *p)
{
	/* (no block: NULL + 0 is undefined to UBSan, and no pointer is inside it) */
	if (scratch.base && (char *)p >= scratch.base && (char *)p < scratch.base + scratch.cap)
		return;
	free(p);
}

/* before any thread uses cJSON */
__attribute__((constructor)) static void json_hooks(void)
{
	cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = json_malloc, .free_fn = json_free});
}

void shp_json_scratch(int on)
{
	scratch.on = on;
	if (!on) {
		free(scratch.base);
		memset(&scratch, 0, sizeof scratch);
	}
}

/* A parse on a thread with scratch on: what the last document took is free again. */
static void scratch_reset(void)
{
	if (scratch.missed && scratch.cap < SCRATCH_MAX) {
		size_t cap = scratch.cap ? scratch.cap : SCRATCH_MIN;
		while (cap < scratch.cap + scratch.missed && cap < SCRATCH_MAX)
			cap *= 2;
		free(scratch.base);
		scratch.base = malloc(cap);
		scratch.cap = scratch.base ? cap : 0;
	}
	scratch.used = scratch.missed = 0;
}

int shp_json_check(const char *where, const char *text, size_t len, const struct shp_json_limits *lim,
		   struct shp_error **err)
{
	/* 1: between values (blanks, separators, and NUL as strchr counted it); 2: also after
	 * an opening bracket. A bare value (number, true, false, null) starts after either. */
	static const unsigned char sep[256] = {
		[0] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1, ['['] = 2, ['{'] = 2};
	size_t depth = 0, values = 0;
	for (size_t k = 0; k < len; k++) {
		char c = text[k];
		if (c == '"') {
			/* the closing quote: the next one not escaped, i.e. after an even run of
			 * backslashes (strings are most of a feed's bytes: memchr runs through them) */
			size_t open = k;
			for (;;) {
				const char *q = memchr(text + k + 1, '"', len - k - 1);
				if (!q) {
					k = len;
					break;
				}
				k = (size_t)(q - text);
				size_t bs = 0;
				while (k - bs - 1 > open && text[k - bs - 1] == '\\')
					bs++;
				if (!(bs & 1))
					break;
			}
			values++;
		} else if (c == '[' || c == '{') {
			values++;
			depth++;
		} else if (c == ']' || c == '}') {
			depth -= depth > 0;
		} else if (sep[(unsigned char)c] != 1 && (k == 0 || sep[(unsigned char)text[k - 1]])) {
			values++;
		}
		if (depth <= lim->depth && values <= lim->values)
			continue;
		size_t line, col;
		shp_text_place(text, len, k, &line, &col);
		if (depth > lim->depth)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: nesting deeper than %zu", where, line,
					     col, lim->depth);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: more than %zu nodes (%s)", where, line, col,
				     lim->values, lim->name);
	}
	return 0;
}

cJSON *shp_json_parse(const char *where, const char *text, size_t len, struct shp_error **err)
{
	/* cJSON stops at its own nesting limit */
	static const struct shp_json_limits lim = {SIZE_MAX, SHP_JSON_MAX_NODES, "SHP_JSON_MAX_NODES"};
	if (shp_json_check(where, text, len, &lim, err) < 0)
		return NULL;
	if (scratch.on)
		scratch_reset();
	const char *stop = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
	if (!doc) {
		size_t line, col;
		shp_text_place(text, len, stop && stop >= text ? (size_t)(stop - text) : 0, &line, &col);
		shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: not valid JSON", where, line, col);
	}
	return doc;
}
