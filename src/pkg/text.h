/* text.h - line and "Key: value" helpers for the text package databases. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <string.h>

/* Lines of a buffer that need not end in a newline (or hold a NUL); "\r\n" counts as "\n". */
struct shp_lines {
	const char *data;
	size_t len, pos;
	size_t lineno; /* of the line last returned, 1-based */
};

static inline int shp_lines_next(struct shp_lines *L, const char **line, size_t *n)
{
	if (L->pos >= L->len)
		return 0;
	const char *s = L->data + L->pos;
	const char *nl = memchr(s, '\n', L->len - L->pos);
	size_t k = nl ? (size_t)(nl - s) : L->len - L->pos;
	L->pos += k + (nl != NULL);
	if (k && s[k - 1] == '\r')
		k--;
	L->lineno++;
	*line = s;
	*n = k;
	return 1;
}

static inline int shp_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* A value in the buffer: not NUL-terminated. v == NULL when absent. */
struct shp_field {
	const char *v;
	size_t n;
};

/* The value after "Key:", surrounding blanks trimmed. */
static inline struct shp_field shp_field_value(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return (struct shp_field){s, n};
}

/* Blank-line separated stanzas (dpkg, apk): line() sees every other line and returns NULL or
 * what is wrong with it; end() runs after each stanza (also an empty one) and at the end. A
 * wrong line is an error naming path:line. */
static inline int shp_stanzas(const char *path, const char *data, size_t len,
			      const char *(*line)(void *ctx, const char *s, size_t n, size_t lineno),
			      void (*end)(void *ctx), void *ctx, struct shp_error **err)
{
	struct shp_lines L = {.data = data, .len = len};
	const char *s;
	size_t n;
	while (shp_lines_next(&L, &s, &n)) {
		if (shp_blank(s, n)) {
			end(ctx);
			continue;
		}
		const char *bad = line(ctx, s, n, L.lineno);
		if (bad)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu: %s", path, L.lineno, bad);
	}
	end(ctx);
	return 0;
}
