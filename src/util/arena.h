/* arena.h - a bump allocator for the many small strings of one parse. Everything taken
 * from an arena is freed at once by shp_arena_free(); nothing is freed alone. */
#pragma once
#include <stddef.h>

struct shp_arena_block;

struct shp_arena {
	struct shp_arena_block *head;
};

/* n bytes, 8-byte aligned, never NULL (aborts when out of memory). */
void *shp_arena_alloc(struct shp_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *shp_arena_strndup(struct shp_arena *a, const char *s, size_t n);
void *shp_arena_memdup(struct shp_arena *a, const void *p, size_t n);
void shp_arena_free(struct shp_arena *a);
