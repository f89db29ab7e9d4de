/* buf.h - a growable byte string, used to build messages and output documents. */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct shp_buf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len, cap;
	/* When set, a document streamed there: once SHP_BUF_SINK_CHUNK bytes are held and more
	 * do not fit, what is held is written out and the space used again (a report of
	 * thousands of findings is not held whole). shp_buf_drain writes the rest. */
	FILE *sink;
};
#define SHP_BUF_SINK_CHUNK (1u << 16)

/* Appends n bytes, growing the buffer (out of line) when they do not fit. */
void shp_buf_add_grow(struct shp_buf *b, const char *s, size_t n);
static inline void shp_buf_add(struct shp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 <= b->cap) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = 0;
	} else
		shp_buf_add_grow(b, s, n);
}
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
/* Appends a decimal integer (reports print many: printf costs a thousand instructions). */
void shp_buf_long(struct shp_buf *b, long v);
void shp_buf_printf(struct shp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included; bytes that are not UTF-8 become U+FFFD;
 * control characters (C1 too) are \u escapes, so the document is safe to show on a terminal. */
void shp_buf_json_str(struct shp_buf *b, const char *s);
/* Appends s as XML character data or an attribute value (quotes not included): & < > " '
 * escaped, line breaks and tabs as character references, other control bytes and bytes
 * that are not UTF-8 as U+FFFD (XML 1.0 cannot hold them at all); DEL and C1 controls as
 * character references. */
void shp_buf_xml_str(struct shp_buf *b, const char *s);
/* Appends s for a terminal or a line-oriented report (text, gnu, github, messages on stderr),
 * where a file name from an image or a Dockerfile's text must not be able to move the cursor,
 * set the window title or start a line of its own: valid UTF-8 as it is (backslashes too);
 * control characters (C0, DEL and C1) as the C escapes of their bytes, as systemd and
 * journalctl show them (\n, \r, \t, \x1b, \x7f, and \xc2\x9b for U+009B); bytes that are not
 * UTF-8 as U+FFFD, as the JSON and XML formats write them. */
void shp_buf_term_str(struct shp_buf *b, const char *s);
/* The same for the whole of a formatted text (a line of a table: add the newline after it). */
void shp_buf_term_printf(struct shp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The length of the well-formed UTF-8 sequence at p (1 to 4; 1 for ASCII), or 0 when p
 * does not start one. p is NUL-terminated. */
size_t shp_utf8_seq(const unsigned char *p);
void shp_buf_reset(struct shp_buf *b);
/* Drops what was appended after the first len bytes (len <= b->len). */
void shp_buf_truncate(struct shp_buf *b, size_t len);
/* Writes what b holds to its sink and empties it; -1 when the sink failed (now or before). */
int shp_buf_drain(struct shp_buf *b);
/* Returns the string (caller frees) and leaves b empty. */
char *shp_buf_steal(struct shp_buf *b);
void shp_buf_free(struct shp_buf *b);
#define _cleanup_buf_ __attribute__((cleanup(shp_buf_free)))

/* Now as RFC 3339 UTC ("2026-11-23T10:00:00Z"); SOURCE_DATE_EPOCH (reproducible builds) wins
 * over the clock. */
void shp_timestamp_now(char out[32]);
/* Unix time t as RFC 3339 in UTC ("2026-12-05T17:40:00Z"), or its number when no calendar
 * date holds it. */
void shp_timestamp(char out[32], long long t);
