/* buf.h - a growable byte string, used to build messages and output documents. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

struct shp_buf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len, cap;
};

void shp_buf_add(struct shp_buf *b, const char *s, size_t n);
void shp_buf_puts(struct shp_buf *b, const char *s);
/* Appends one byte; inline because the lexers call it per character. */
static inline void shp_buf_putc(struct shp_buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = 0;
	} else
		shp_buf_add(b, &c, 1);
}
void shp_buf_printf(struct shp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void shp_buf_json_str(struct shp_buf *b, const char *s);
void shp_buf_reset(struct shp_buf *b);
/* Returns the string (caller frees) and leaves b empty. */
char *shp_buf_steal(struct shp_buf *b);
void shp_buf_free(struct shp_buf *b);
#define _cleanup_buf_ __attribute__((cleanup(shp_buf_free)))
