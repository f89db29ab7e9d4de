/* xalloc.h - allocation that never returns NULL: out of memory aborts with a message,
 * so callers need no error path for it. Every returned pointer is freed with free(), but
 * shp_huge_alloc's. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

void *shp_xmalloc(size_t n);
/* Says the memory ran out and aborts, as these do: for what a library failed to allocate. */
__attribute__((noreturn)) void shp_oom(void);
void *shp_xcalloc(size_t n, size_t size);
void *shp_xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` items of `size` bytes (doubling). */
void *shp_xgrow(void *p, size_t *cap, size_t need, size_t size);
/* Memory for n bytes in whole 2 MiB pages where the kernel gives them (transparent huge
 * pages on madvise), for a large buffer that is filled soon: fresh memory is faulted in a
 * page at a time, and under virtualization each fault is dear (1.4 MB took 10 ms in 4 KiB
 * pages, 0.2 ms in one huge page). NULL if there is none; freed with shp_huge_free. */
void *shp_huge_alloc(size_t n, size_t *maplen);
void shp_huge_free(void *p, size_t maplen);
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
