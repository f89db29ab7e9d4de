/* xalloc.c - see xalloc.h. */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void shp_oom(void)
{
	fputs("shipshape: out of memory\n", stderr);
	abort();
}

void *shp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		shp_oom();
	return p;
}

void *shp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		shp_oom();
	return p;
}

void *shp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		shp_oom();
	return p;
}

void *shp_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	if (c > ((size_t)-1) / size)
		shp_oom();
	*cap = c;
	return shp_xrealloc(p, c * size);
}

void *shp_huge_alloc(size_t n, size_t *maplen)
{
	const size_t huge = 2u << 20;
	size_t len = n / huge * huge + huge;
	char *p = mmap(NULL, len + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* keep the aligned len bytes: the rest of the reservation goes back */
	char *at = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
	if (at > p)
		munmap(p, (size_t)(at - p));
	munmap(at + len, (size_t)(p + huge - at));
	(void)madvise(at, len, MADV_HUGEPAGE); /* a hint: with THP off, 4 KiB pages as before */
	*maplen = len;
	return at;
}

void shp_huge_free(void *p, size_t maplen)
{
	if (p)
		munmap(p, maplen);
}

char *shp_xstrdup(const char *s) { return shp_xstrndup(s, strlen(s)); }

char *shp_xstrndup(const char *s, size_t n)
{
	char *p = shp_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *shp_vasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		shp_oom();
	return s;
}

char *shp_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = shp_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}
