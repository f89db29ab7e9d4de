/* buf.c - see buf.h. */
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shp_buf_add_grow(struct shp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		b->data = shp_xgrow(b->data, &b->cap, b->len + n + 1 < 256 ? 256 : b->len + n + 1, 1);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void shp_buf_long(struct shp_buf *b, long v)
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	shp_buf_add(b, q, (size_t)(e - q));
}

void shp_buf_puts(struct shp_buf *b, const char *s) { shp_buf_add(b, s, strlen(s)); }

void shp_buf_printf(struct shp_buf *b, const char *fmt, ...)
{
	/* Format straight into the buffer's free space; grow and redo only if it did not fit. */
	for (int pass = 0; pass < 2; pass++) {
		size_t room = b->cap > b->len ? b->cap - b->len : 0;
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		b->data = shp_xgrow(b->data, &b->cap, b->len + (size_t)n + 1 < 256 ? 256 : b->len + (size_t)n + 1, 1);
	}
}

/* Bytes a JSON string cannot hold as they are. */
static const unsigned char json_special[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

void shp_buf_json_str(struct shp_buf *b, const char *s)
{
	shp_buf_putc(b, '"');
	if (s) {
		const unsigned char *p = (const unsigned char *)s;
		const unsigned char *run = p;
		for (;; p++) {
			while (!json_special[*p])
				p++;
			if (!*p)
				break;
			const char *esc = NULL;
			char tmp[8];
			switch (*p) {
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			default:
				if (*p < 0x20 || *p == 0x7f) {
					snprintf(tmp, sizeof tmp, "\\u%04x", *p);
					esc = tmp;
				}
			}
			if (esc) {
				shp_buf_add(b, (const char *)run, (size_t)(p - run));
				shp_buf_puts(b, esc);
				run = p + 1;
			}
		}
		shp_buf_add(b, (const char *)run, (size_t)(p - run));
	}
	shp_buf_putc(b, '"');
}

void shp_buf_reset(struct shp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

char *shp_buf_steal(struct shp_buf *b)
{
	char *s = b->data ? b->data : shp_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void shp_buf_free(struct shp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
