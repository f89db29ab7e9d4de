/* xalloc.h - allocation that never returns NULL: out of memory aborts with a message,
 * so callers need no error path for it. Every returned pointer is freed with free(). */
#pragma once
#include <stdarg.h>
#include <stddef.h>

void *shp_xmalloc(size_t n);
void *shp_xcalloc(size_t n, size_t size);
void *shp_xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` items of `size` bytes (doubling). */
void *shp_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *shp_xstrdup(const char *s);
char *shp_xstrndup(const char *s, size_t n);
char *shp_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *shp_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Appends `item` to a (ptr, len, cap) array, growing it as needed. */
#define SHP_PUSH(arr, len, cap, item)                                                                                  \
	do {                                                                                                           \
		if ((len) + 1 > (cap))                                                                                 \
			(arr) = shp_xgrow((arr), &(cap), (len) + 1, sizeof(*(arr)));                                   \
		(arr)[(len)++] = (item);                                                                               \
	} while (0)
