/* buf.c - see buf.h. */
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Makes room for n more bytes and the NUL: in a streamed buffer by writing out what it holds
 * once that is a chunk, else by growing. */
static void make_room(struct shp_buf *b, size_t n)
{
	if (b->sink && b->len >= SHP_BUF_SINK_CHUNK)
		(void)shp_buf_drain(b);
	if (b->len + n + 1 > b->cap)
		b->data = shp_xgrow(b->data, &b->cap, b->len + n + 1 < 256 ? 256 : b->len + n + 1, 1);
}

int shp_buf_drain(struct shp_buf *b)
{
	/* a failed write is the stream's error, which stays: ferror() tells it now and later */
	int ok = !b->len || fwrite(b->data, 1, b->len, b->sink) == b->len;
	shp_buf_reset(b);
	return ok && !ferror(b->sink) ? 0 : -1;
}

void shp_buf_add_grow(struct shp_buf *b, const char *s, size_t n)
{
	if (b->sink && n >= SHP_BUF_SINK_CHUNK) { /* a block made elsewhere: not copied */
		if (shp_buf_drain(b) == 0)
			(void)!fwrite(s, 1, n, b->sink);
		return;
	}
	make_room(b, n);
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
		make_room(b, (size_t)n);
	}
}

/* Bytes a JSON string cannot hold as they are (and the first bytes of UTF-8 sequences, which
 * are checked: JSON is UTF-8, and a file name in a layer need not be). */
static const unsigned char json_special[256] = {
	[0 ... 0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
	[0x7f ... 0xff] = 1,
};

size_t shp_utf8_seq(const unsigned char *p)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!n)
		return 0; /* a continuation byte, an overlong lead (c0, c1) or past U+10FFFF */
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
	/* overlong 3- and 4-byte forms, UTF-16 surrogates, past U+10FFFF */
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
	    (c == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

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
			if (*p >= 0x80) {
				size_t n = shp_utf8_seq(p);
				if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
					/* a C1 control: valid JSON as it is, but a terminal would obey it */
					snprintf(tmp, sizeof tmp, "\\u%04x", p[1]);
					shp_buf_add(b, (const char *)run, (size_t)(p - run));
					shp_buf_puts(b, tmp);
					run = ++p + 1;
					continue;
				}
				if (n) {
					p += n - 1;
					continue;
				}
				esc = "\\ufffd"; /* not UTF-8: the replacement character */
			}
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

/* Bytes that may start a control character or a sequence that is not UTF-8. */
static const unsigned char term_special[256] = {
	[0 ... 0x1f] = 1,
	[0x7f ... 0xff] = 1,
};

static void term_escape_byte(struct shp_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
	if (c == '\n' || c == '\r' || c == '\t') {
		e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		shp_buf_add(b, e, 2);
	} else
		shp_buf_add(b, e, 4);
}

void shp_buf_term_str(struct shp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;
	for (;; p++) {
		while (!term_special[*p])
			p++;
		if (!*p)
			break;
		size_t n = *p >= 0x80 ? shp_utf8_seq(p) : 0;
		int c1 = n == 2 && p[0] == 0xc2 && p[1] < 0xa0; /* U+0080 to U+009F */
		if (n && !c1) {
			p += n - 1;
			continue;
		}
		shp_buf_add(b, (const char *)run, (size_t)(p - run));
		if (c1) {
			term_escape_byte(b, p[0]);
			term_escape_byte(b, p[1]);
			p++;
		} else if (*p >= 0x80)
			shp_buf_add(b, "\xef\xbf\xbd", 3);
		else
			term_escape_byte(b, *p);
		run = p + 1;
	}
	shp_buf_add(b, (const char *)run, (size_t)(p - run));
}

void shp_buf_term_printf(struct shp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = shp_vasprintf(fmt, ap);
	va_end(ap);
	shp_buf_term_str(b, s);
	free(s);
}

/* Bytes XML character data or an attribute cannot hold as they are (and UTF-8 leads, checked). */
static const unsigned char xml_special[256] = {
	[0 ... 0x1f] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, [0x7f ... 0xff] = 1,
};

void shp_buf_xml_str(struct shp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;
	for (;; p++) {
		while (!xml_special[*p])
			p++;
		if (!*p)
			break;
		const char *esc;
		char c1[8];
		size_t n = 1;
		switch (*p) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&apos;"; break;
		case '\n': esc = "&#10;"; break;
		case '\r': esc = "&#13;"; break;
		case '\t': esc = "&#9;"; break;
		/* DEL and C1 are XML characters: kept, as references a terminal does not obey */
		case 0x7f: esc = "&#x7F;"; break;
		default:
			n = *p >= 0x80 ? shp_utf8_seq(p) : 0;
			if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
				snprintf(c1, sizeof c1, "&#x%02X;", p[1]);
				esc = c1;
				break;
			}
			/* not UTF-8, a control byte, or U+FFFE/U+FFFF: no XML character, so U+FFFD */
			esc = n && !(n == 3 && p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe) ? NULL : "\xef\xbf\xbd";
			if (!n)
				n = 1;
		}
		if (esc) {
			shp_buf_add(b, (const char *)run, (size_t)(p - run));
			shp_buf_puts(b, esc);
			run = p + n;
		}
		p += n - 1;
	}
	shp_buf_add(b, (const char *)run, (size_t)(p - run));
}

void shp_buf_reset(struct shp_buf *b) { shp_buf_truncate(b, 0); }

void shp_buf_truncate(struct shp_buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = 0;
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

void shp_timestamp(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "%lld", t);
}

void shp_timestamp_now(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	shp_timestamp(out, sde && *sde ? strtoll(sde, NULL, 10) : (long long)time(NULL));
}
