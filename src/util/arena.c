/* arena.c - see arena.h. */
#include "util/arena.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct shp_arena_block {
	struct shp_arena_block *next;
	size_t used, cap;
	_Alignas(8) char data[];
};

#define BLOCK_SIZE (1u << 20)

void *shp_arena_alloc(struct shp_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct shp_arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		/* Blocks grow from small (most arenas hold one RUN line) to BLOCK_SIZE (an image's
		 * names: a few large blocks, not one allocation per long name). */
		size_t want = b ? (b->cap * 2 < BLOCK_SIZE ? b->cap * 2 : BLOCK_SIZE) : 1024;
		size_t cap = n > want ? n : want;
		b = shp_xmalloc(sizeof *b + cap);
		b->used = 0;
		b->cap = cap;
		if (n > want && a->head) {
			/* A big one goes behind the current block, which keeps its free space. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

char *shp_arena_strndup(struct shp_arena *a, const char *s, size_t n)
{
	char *p = shp_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void *shp_arena_memdup(struct shp_arena *a, const void *p, size_t n)
{
	void *q = shp_arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(q, p, n);
	return q;
}

void shp_arena_free(struct shp_arena *a)
{
	for (struct shp_arena_block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	a->head = NULL;
}
