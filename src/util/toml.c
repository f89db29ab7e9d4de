/* toml.c - a strict TOML 1.0 reader (see toml.h). One pass over the text, recursive only
 * for arrays and inline tables (SHP_TOML_MAX_DEPTH deep at most); keys are found through one
 * hash table of (table, key), so a table of many keys costs linear time. */
#include "util/toml.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* What a key's table or array is, as far as TOML's rules on defining it go. */
enum {
	T_DEFINED = 1 << 0, /* by a [header], or by dotted keys in an earlier section: closed */
	T_PENDING = 1 << 1, /* made or entered by dotted keys in this section */
	T_FROZEN = 1 << 2,  /* an inline table or an array value: nothing may be added */
	T_AOT = 1 << 3,	    /* an array of tables ([[header]]) */
};

/* A key of a table: parent[node->string] is node. */
struct ent {
	cJSON *parent, *node;
	cJSON *last; /* an array of tables' last element */
	uint64_t hash;
	unsigned flags;
};

struct parser {
	const char *s;
	size_t len, pos;
	const char *name;
	struct shp_error **err;
	uint64_t seed;
	struct ent *ents;
	size_t nents, cap_ents;
	uint32_t *slots; /* open addressing: 0 empty, else index in ents + 1 */
	size_t nslots;
	size_t *pending; /* ents made or entered by dotted keys in this section */
	size_t npending, cap_pending;
	cJSON *root;
	cJSON *table; /* the section's table */
	size_t table_depth;
	size_t depth; /* containers open while a value is read */
	struct shp_buf sb;
	/* the key being read: its parts, where each starts, and where it ends */
	char *key[SHP_TOML_MAX_DEPTH];
	size_t key_at[SHP_TOML_MAX_DEPTH];
	size_t nkey, key_start, key_end;
};

__attribute__((format(printf, 3, 0))) static int vfail(struct parser *p, size_t at, const char *fmt, va_list ap)
{
	if (p->err && *p->err)
		return -1;
	size_t line, col;
	shp_text_place(p->s, p->len, at, &line, &col);
	_cleanup_free_ char *msg = shp_vasprintf(fmt, ap);
	return shp_error_set(p->err, SHP_EXIT_INPUT, "%s:%zu:%zu: %s", p->name, line, col, msg);
}

/* Sets the error "NAME:LINE:COL: message" for byte at of the text; returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, at, fmt, ap);
	va_end(ap);
	return -1;
}

/* The same for a function that returns a node: returns NULL. */
__attribute__((format(printf, 3, 4))) static cJSON *fail_node(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, at, fmt, ap);
	va_end(ap);
	return NULL;
}

/* text[from..to) for a message: at most 64 bytes, control characters escaped. Caller frees. */
static char *shown(const struct parser *p, size_t from, size_t to)
{
	int cut = to - from > 64;
	if (cut)
		to = from + 64;
	struct shp_buf b = {0};
	shp_buf_add(&b, "", 0);
	while (from < to) {
		const char *nul = memchr(p->s + from, 0, to - from);
		size_t n = nul ? (size_t)(nul - p->s) - from : to - from;
		_cleanup_free_ char *raw = shp_xstrndup(p->s + from, n);
		shp_buf_term_str(&b, raw);
		if (nul)
			shp_buf_puts(&b, "\\0");
		from += n + (nul != NULL);
	}
	if (cut)
		shp_buf_puts(&b, "...");
	return shp_buf_steal(&b);
}

/* A node cJSON made (NULL: out of memory). */
static cJSON *new_node(cJSON *n)
{
	if (!n)
		shp_oom();
	return n;
}

/* ---- the (table, key) index ---- */

/* FNV-1a of the key and the table's address, from a seed drawn for each document, so that a
 * file cannot be made of keys that all collide. */
static uint64_t key_hash(const struct parser *p, const cJSON *parent, const char *key)
{
	uint64_t h = p->seed ^ ((uint64_t)(uintptr_t)parent * 0x9e3779b97f4a7c15ull);
	for (const unsigned char *k = (const unsigned char *)key; *k; k++) {
		h ^= *k;
		h *= 0x100000001b3ull;
	}
	/* finalizer (murmur3's) so that the low bits, which pick the slot, depend on all */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static struct ent *lookup(struct parser *p, cJSON *parent, const char *key)
{
	if (!p->nslots)
		return NULL;
	uint64_t h = key_hash(p, parent, key);
	for (size_t i = h & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1)) {
		uint32_t s = p->slots[i];
		if (!s)
			return NULL;
		struct ent *e = &p->ents[s - 1];
		if (e->hash == h && e->parent == parent && strcmp(e->node->string, key) == 0)
			return e;
	}
}

static void slot_put(struct parser *p, size_t idx)
{
	for (size_t i = p->ents[idx].hash & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1))
		if (!p->slots[i]) {
			p->slots[i] = (uint32_t)(idx + 1);
			return;
		}
}

/* Adds node to parent under key (taken) and to the index; returns its index in ents. */
static size_t add(struct parser *p, cJSON *parent, char *key, cJSON *node, unsigned flags)
{
	uint64_t h = key_hash(p, parent, key);
	if ((p->nents + 1) * 2 > p->nslots) {
		size_t n = p->nslots ? p->nslots * 2 : 64;
		free(p->slots);
		p->slots = shp_xcalloc(n, sizeof *p->slots);
		p->nslots = n;
		for (size_t i = 0; i < p->nents; i++)
			slot_put(p, i);
	}
	if (!cJSON_AddItemToObject(parent, key, node))
		shp_oom();
	free(key);
	struct ent e = {.parent = parent, .node = node, .hash = h, .flags = flags};
	SHP_PUSH(p->ents, p->nents, p->cap_ents, e);
	slot_put(p, p->nents - 1);
	return p->nents - 1;
}

/* ---- characters ---- */

static int at_end(const struct parser *p) { return p->pos >= p->len; }
static int peek(const struct parser *p, size_t k) { return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1; }
static int is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_ws(int c) { return c == ' ' || c == '\t'; }

static void skip_ws(struct parser *p)
{
	while (is_ws(peek(p, 0)))
		p->pos++;
}

/* The length of the valid UTF-8 sequence at pos, or 0. */
static size_t utf8_here(const struct parser *p)
{
	size_t left = p->len - p->pos;
	if (left >= 4)
		return shp_utf8_seq((const unsigned char *)p->s + p->pos);
	unsigned char t[5] = {0};
	memcpy(t, p->s + p->pos, left);
	return shp_utf8_seq(t);
}

/* A character that is not allowed here (in a comment or a string): a control character or
 * bytes that are not UTF-8. */
static int bad_char(struct parser *p, const char *where)
{
	unsigned char c = (unsigned char)p->s[p->pos];
	if (c >= 0x80)
		return fail(p, p->pos, "invalid UTF-8 in %s", where);
	if (c == '\r')
		return fail(p, p->pos, "carriage return not followed by a newline in %s", where);
	return fail(p, p->pos, "control character U+%04X in %s", c, where);
}

/* A comment (from '#') up to the end of its line, which is not taken. */
static int skip_comment(struct parser *p)
{
	p->pos++;
	while (!at_end(p)) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			return 0;
		if (c >= 0x80) {
			size_t n = utf8_here(p);
			if (!n)
				return bad_char(p, "a comment");
			p->pos += n;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return bad_char(p, "a comment");
		} else {
			p->pos++;
		}
	}
	return 0;
}

/* A newline (LF or CRLF) at pos: its length, else 0. */
static size_t newline_here(const struct parser *p)
{
	if (peek(p, 0) == '\n')
		return 1;
	if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
		return 2;
	return 0;
}

/* Blanks, comments and newlines (inside an array). */
static int skip_wcn(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		size_t n = newline_here(p);
		if (n) {
			p->pos += n;
		} else if (peek(p, 0) == '#') {
			if (skip_comment(p) < 0)
				return -1;
		} else {
			return 0;
		}
	}
}

/* ---- strings ---- */

static void put_utf8(struct shp_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	shp_buf_add(b, u, n);
}

static int hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An escape at pos (the backslash) of a basic string, appended to p->sb. */
static int escape(struct parser *p, int multi)
{
	size_t at = p->pos;
	int c = peek(p, 1);
	static const char simple[] = "b\bt\tn\nf\fr\r\"\"\\\\";
	for (size_t i = 0; c > 0 && i + 1 < sizeof simple; i += 2)
		if (simple[i] == c) {
			shp_buf_putc(&p->sb, simple[i + 1]);
			p->pos += 2;
			return 0;
		}
	if (c == 'u' || c == 'U') {
		size_t n = c == 'u' ? 4 : 8;
		uint32_t cp = 0;
		for (size_t i = 0; i < n; i++) {
			int h = hex_val(peek(p, 2 + i));
			if (h < 0)
				return fail(p, at, "\\%c needs %zu hexadecimal digits", c, n);
			cp = cp << 4 | (uint32_t)h;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(p, at, "\\%c escape of U+%X, which is not a Unicode scalar value", c, cp);
		if (cp == 0)
			return fail(p, at, "U+0000 in a string is not supported");
		put_utf8(&p->sb, cp);
		p->pos += 2 + n;
		return 0;
	}
	if (multi && (is_ws(c) || c == '\n' || c == '\r')) {
		/* line-ending backslash: blanks, then a newline, then all blanks and newlines go */
		p->pos++;
		skip_ws(p);
		if (!newline_here(p))
			return fail(p, at, "invalid escape: a backslash followed by blanks must end the line");
		for (;;) {
			skip_ws(p);
			size_t nl = newline_here(p);
			if (!nl)
				return 0;
			p->pos += nl;
		}
	}
	if (c < 0)
		return fail(p, at, "unterminated string");
	if (c < 0x20 || c >= 0x7f)
		return fail(p, at, "invalid escape");
	return fail(p, at, "invalid escape '\\%c'", c);
}

/* A string at pos (its opening quote) into p->sb: basic or literal, single- or multi-line
 * (when multi is allowed: not in keys). */
static int string(struct parser *p, int allow_multi)
{
	size_t start = p->pos;
	char q = p->s[p->pos];
	int multi = allow_multi && peek(p, 1) == q && peek(p, 2) == q;
	shp_buf_reset(&p->sb);
	shp_buf_add(&p->sb, "", 0);
	p->pos += multi ? 3 : 1;
	if (multi) /* a newline right after the opening quotes is not part of the string */
		p->pos += newline_here(p);
	const char *what = q == '"' ? "a string" : "a literal string";
	for (;;) {
		if (at_end(p))
			return fail(p, start, "unterminated string");
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == (unsigned char)q) {
			if (!multi) {
				p->pos++;
				return 0;
			}
			size_t run = 0;
			while (peek(p, run) == q)
				run++;
			if (run >= 3) {
				if (run > 5)
					return fail(p, p->pos + 5, "too many quotes at the end of a multi-line string");
				shp_buf_add(&p->sb, p->s + p->pos, run - 3);
				p->pos += run;
				return 0;
			}
			shp_buf_add(&p->sb, p->s + p->pos, run);
			p->pos += run;
		} else if (c == '\\' && q == '"') {
			if (escape(p, multi) < 0)
				return -1;
		} else if (c >= 0x80) {
			size_t n = utf8_here(p);
			if (!n)
				return bad_char(p, what);
			shp_buf_add(&p->sb, p->s + p->pos, n);
			p->pos += n;
		} else if (c == '\n' || c == '\r') {
			size_t n = newline_here(p);
			if (!multi && n)
				return fail(p, start, "unterminated string");
			if (!n)
				return bad_char(p, what);
			shp_buf_putc(&p->sb, '\n'); /* CRLF as LF, as other readers do */
			p->pos += n;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return bad_char(p, what);
		} else {
			/* a run of plain characters at once */
			size_t e = p->pos + 1;
			while (e < p->len) {
				unsigned char d = (unsigned char)p->s[e];
				if (d == (unsigned char)q || d == '\\' || d >= 0x7f || (d < 0x20 && d != '\t'))
					break;
				e++;
			}
			shp_buf_add(&p->sb, p->s + p->pos, e - p->pos);
			p->pos = e;
		}
	}
}

/* ---- keys ---- */

static void key_clear(struct parser *p)
{
	for (size_t i = 0; i < p->nkey; i++)
		free(p->key[i]);
	p->nkey = 0;
}

/* A key (bare, quoted, dotted) at pos into p->key; blanks around its dots are taken. */
static int key(struct parser *p)
{
	key_clear(p);
	p->key_start = p->pos;
	for (;;) {
		size_t at = p->pos;
		char *part;
		int c = peek(p, 0);
		if (c == '"' || c == '\'') {
			if (string(p, 0) < 0)
				return -1;
			if (strlen(p->sb.data) != p->sb.len)
				return fail(p, at, "U+0000 in a key is not supported");
			part = shp_xstrdup(p->sb.data);
		} else if (is_bare(c)) {
			size_t e = p->pos;
			while (is_bare(e < p->len ? (unsigned char)p->s[e] : -1))
				e++;
			part = shp_xstrndup(p->s + p->pos, e - p->pos);
			p->pos = e;
		} else if (c < 0 || c == '\n' || c == '\r' || c == '#') {
			return fail(p, at, "expected a key");
		} else {
			_cleanup_free_ char *ch = shown(p, at, at + 1);
			return fail(p, at, "expected a key, not '%s'", ch);
		}
		if (p->nkey == SHP_TOML_MAX_DEPTH) {
			free(part);
			return fail(p, at, "key of more than %d parts (SHP_TOML_MAX_DEPTH)", SHP_TOML_MAX_DEPTH);
		}
		p->key_at[p->nkey] = at;
		p->key[p->nkey++] = part;
		p->key_end = p->pos;
		skip_ws(p);
		if (peek(p, 0) != '.')
			return 0;
		p->pos++;
		skip_ws(p);
	}
}

/* ---- values ---- */

static cJSON *value(struct parser *p);

/* Digits of base (with single underscores between them) at pos, appended to p->sb. */
static int digits(struct parser *p, int base)
{
	size_t start = p->pos;
	for (;;) {
		int c = peek(p, 0);
		int d = hex_val(c);
		if (c == '_') {
			if (p->pos == start || hex_val(peek(p, 1)) < 0 || hex_val(peek(p, 1)) >= base)
				return fail(p, p->pos, "'_' must stand between two digits");
			p->pos++;
			continue;
		}
		if (d < 0 || d >= base)
			break;
		shp_buf_putc(&p->sb, (char)c);
		p->pos++;
	}
	if (p->pos == start)
		return fail(p, p->pos, "expected a digit");
	return 0;
}

/* n decimal digits at pos+k (no underscores): their value, or -1. */
static int fixed(const struct parser *p, size_t k, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = peek(p, k + i);
		if (!is_digit(c))
			return -1;
		v = v * 10 + c - '0';
	}
	return v;
}

/* HH:MM:SS[.frac] at pos. */
static int time_of_day(struct parser *p)
{
	int h = fixed(p, 0, 2), m = fixed(p, 3, 2), s = fixed(p, 6, 2);
	if (h < 0 || m < 0 || s < 0 || peek(p, 2) != ':' || peek(p, 5) != ':')
		return fail(p, p->pos, "expected a time as HH:MM:SS");
	if (h > 23 || m > 59 || s > 60)
		return fail(p, p->pos, "time out of range");
	p->pos += 8;
	if (peek(p, 0) == '.') {
		p->pos++;
		if (!is_digit(peek(p, 0)))
			return fail(p, p->pos, "expected the digits of a fraction of a second");
		while (is_digit(peek(p, 0)))
			p->pos++;
	}
	return 0;
}

/* Text p->s[from..pos) as a string node. */
static cJSON *text_node(struct parser *p, size_t from)
{
	_cleanup_free_ char *t = shp_xstrndup(p->s + from, p->pos - from);
	return new_node(cJSON_CreateString(t));
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static cJSON *date_or_time(struct parser *p)
{
	size_t start = p->pos;
	if (peek(p, 2) == ':') { /* a local time */
		if (time_of_day(p) < 0)
			return NULL;
		return text_node(p, start);
	}
	int y = fixed(p, 0, 4), mo = fixed(p, 5, 2), d = fixed(p, 8, 2);
	if (y < 0 || mo < 0 || d < 0 || peek(p, 4) != '-' || peek(p, 7) != '-')
		return fail_node(p, start, "expected a date as YYYY-MM-DD");
	if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo))
		return fail_node(p, start, "date out of range");
	p->pos += 10;
	int c = peek(p, 0);
	/* a time after 'T' or a space (a space followed by anything else ends the date) */
	if (c == 'T' || c == 't' || (c == ' ' && is_digit(peek(p, 1)) && is_digit(peek(p, 2)) && peek(p, 3) == ':')) {
		p->pos++;
		if (time_of_day(p) < 0)
			return NULL;
		c = peek(p, 0);
		if (c == 'Z' || c == 'z') {
			p->pos++;
		} else if (c == '+' || c == '-') {
			int oh = fixed(p, 1, 2), om = fixed(p, 4, 2);
			if (oh < 0 || om < 0 || peek(p, 3) != ':')
				return fail_node(p, p->pos, "expected a time offset as +HH:MM");
			if (oh > 23 || om > 59)
				return fail_node(p, p->pos, "time offset out of range");
			p->pos += 6;
		}
	}
	return text_node(p, start);
}

static cJSON *number(struct parser *p)
{
	size_t start = p->pos;
	int c = peek(p, 0);
	if (is_digit(c) && is_digit(peek(p, 1)) &&
	    ((is_digit(peek(p, 2)) && is_digit(peek(p, 3)) && peek(p, 4) == '-') || peek(p, 2) == ':'))
		return date_or_time(p);
	shp_buf_reset(&p->sb);
	shp_buf_add(&p->sb, "", 0);
	int sign = 0;
	if (c == '+' || c == '-') {
		sign = c;
		shp_buf_putc(&p->sb, (char)c);
		p->pos++;
		c = peek(p, 0);
	}
	if ((c == 'i' && peek(p, 1) == 'n' && peek(p, 2) == 'f') ||
	    (c == 'n' && peek(p, 1) == 'a' && peek(p, 2) == 'n')) {
		p->pos += 3;
		double v = c == 'i' ? INFINITY : NAN;
		return new_node(cJSON_CreateNumber(sign == '-' ? -v : v));
	}
	if (c == '0' && (peek(p, 1) == 'x' || peek(p, 1) == 'o' || peek(p, 1) == 'b')) {
		int base = peek(p, 1) == 'x' ? 16 : peek(p, 1) == 'o' ? 8 : 2;
		if (sign)
			return fail_node(p, start, "a sign before a hexadecimal, octal or binary integer");
		p->pos += 2;
		if (digits(p, base) < 0)
			return NULL;
		errno = 0;
		unsigned long long v = strtoull(p->sb.data, NULL, base);
		if (errno || v > INT64_MAX)
			return fail_node(p, start, "integer out of range");
		return new_node(cJSON_CreateNumber((double)v));
	}
	if (!is_digit(c)) {
		_cleanup_free_ char *ch = shown(p, p->pos, p->pos + (c < 0 ? 0 : 1));
		return fail_node(p, p->pos, c < 0 ? "expected a value" : "expected a value, not '%s'", ch);
	}
	size_t int_at = p->pos;
	if (digits(p, 10) < 0)
		return NULL;
	if (p->s[int_at] == '0' && p->pos - int_at > 1)
		return fail_node(p, int_at, "leading zero in a number");
	int is_float = 0;
	if (peek(p, 0) == '.') {
		shp_buf_putc(&p->sb, '.');
		p->pos++;
		if (!is_digit(peek(p, 0)))
			return fail_node(p, p->pos, "expected a digit after the decimal point");
		if (digits(p, 10) < 0)
			return NULL;
		is_float = 1;
	}
	if (peek(p, 0) == 'e' || peek(p, 0) == 'E') {
		shp_buf_putc(&p->sb, 'e');
		p->pos++;
		if (peek(p, 0) == '+' || peek(p, 0) == '-')
			shp_buf_putc(&p->sb, p->s[p->pos++]);
		if (!is_digit(peek(p, 0)))
			return fail_node(p, p->pos, "expected the digits of an exponent");
		if (digits(p, 10) < 0)
			return NULL;
		is_float = 1;
	}
	errno = 0;
	if (is_float) {
		double v = strtod(p->sb.data, NULL);
		if (errno == ERANGE && isinf(v))
			return fail_node(p, start, "float out of range");
		return new_node(cJSON_CreateNumber(v));
	}
	long long v = strtoll(p->sb.data, NULL, 10);
	if (errno == ERANGE)
		return fail_node(p, start, "integer out of range");
	return new_node(cJSON_CreateNumber((double)v));
}

/* After a value in an array or inline table, or a key/value pair or header on a line. */
static int at_value_end(int c)
{
	return c < 0 || is_ws(c) || c == '\n' || c == '\r' || c == '#' || c == ',' || c == ']' || c == '}';
}

static int open_container(struct parser *p)
{
	if (p->depth + 1 > SHP_TOML_MAX_DEPTH)
		return fail(p, p->pos, "nesting deeper than %d (SHP_TOML_MAX_DEPTH)", SHP_TOML_MAX_DEPTH);
	p->depth++;
	return 0;
}

static cJSON *array(struct parser *p)
{
	if (open_container(p) < 0)
		return NULL;
	size_t start = p->pos++;
	cJSON *a = new_node(cJSON_CreateArray());
	for (;;) {
		if (skip_wcn(p) < 0)
			goto bad;
		if (peek(p, 0) == ']')
			break;
		if (at_end(p)) {
			fail(p, start, "unterminated array");
			goto bad;
		}
		cJSON *v = value(p);
		if (!v)
			goto bad;
		cJSON_AddItemToArray(a, v);
		if (skip_wcn(p) < 0)
			goto bad;
		if (peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p, 0) == ']')
			break;
		if (at_end(p))
			fail(p, start, "unterminated array");
		else
			fail(p, p->pos, "expected ',' or ']' in an array");
		goto bad;
	}
	p->pos++;
	p->depth--;
	return a;
bad:
	cJSON_Delete(a);
	return NULL;
}

static int keyval(struct parser *p, cJSON *table, size_t depth);

static cJSON *inline_table(struct parser *p)
{
	if (open_container(p) < 0)
		return NULL;
	size_t start = p->pos++;
	cJSON *t = new_node(cJSON_CreateObject());
	skip_ws(p);
	if (peek(p, 0) == '}') {
		p->pos++;
		p->depth--;
		return t;
	}
	for (;;) {
		skip_ws(p);
		if (newline_here(p) || peek(p, 0) == '\r') {
			fail(p, p->pos, "newline in an inline table");
			goto bad;
		}
		if (keyval(p, t, p->depth) < 0)
			goto bad;
		skip_ws(p);
		int c = peek(p, 0);
		if (c == ',') {
			p->pos++;
			skip_ws(p);
			if (peek(p, 0) == '}') {
				fail(p, p->pos, "trailing comma in an inline table");
				goto bad;
			}
			continue;
		}
		if (c == '}')
			break;
		if (c < 0)
			fail(p, start, "unterminated inline table");
		else if (c == '\n' || c == '\r')
			fail(p, p->pos, "newline in an inline table");
		else
			fail(p, p->pos, "expected ',' or '}' in an inline table");
		goto bad;
	}
	p->pos++;
	p->depth--;
	return t;
bad:
	cJSON_Delete(t);
	return NULL;
}

static cJSON *value(struct parser *p)
{
	size_t start = p->pos;
	int c = peek(p, 0);
	cJSON *v;
	if (c == '"' || c == '\'') {
		if (string(p, 1) < 0)
			return NULL;
		if (strlen(p->sb.data) != p->sb.len)
			return fail_node(p, start, "U+0000 in a string is not supported");
		v = new_node(cJSON_CreateString(p->sb.data));
	} else if (c == '[') {
		v = array(p);
	} else if (c == '{') {
		v = inline_table(p);
	} else if (c == 't' && p->len - p->pos >= 4 && memcmp(p->s + p->pos, "true", 4) == 0) {
		p->pos += 4;
		v = new_node(cJSON_CreateTrue());
	} else if (c == 'f' && p->len - p->pos >= 5 && memcmp(p->s + p->pos, "false", 5) == 0) {
		p->pos += 5;
		v = new_node(cJSON_CreateFalse());
	} else {
		v = number(p);
	}
	if (v && !at_value_end(peek(p, 0))) {
		_cleanup_free_ char *ch = shown(p, p->pos, p->pos + 1);
		fail(p, p->pos, "unexpected '%s' after a value", ch);
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* The key of p->key (parts [0..n)) as written, for a message. Caller frees. */
static char *key_shown(const struct parser *p, size_t n)
{
	size_t end = n < p->nkey ? p->key_at[n] : p->key_end;
	while (end > p->key_start && (is_ws(p->s[end - 1]) || p->s[end - 1] == '.'))
		end--;
	return shown(p, p->key_start, end);
}

/* Enters the tables of the dotted key's parts [0..nkey-1) from table (at depth), making
 * those missing: the table where the last part goes, or NULL. */
static cJSON *dotted(struct parser *p, cJSON *table, size_t *depth)
{
	for (size_t i = 0; i + 1 < p->nkey; i++) {
		if (*depth + 1 > SHP_TOML_MAX_DEPTH)
			return fail_node(p, p->key_at[i], "nesting deeper than %d (SHP_TOML_MAX_DEPTH)",
					 SHP_TOML_MAX_DEPTH);
		(*depth)++;
		struct ent *e = lookup(p, table, p->key[i]);
		size_t idx;
		if (!e) {
			cJSON *t = new_node(cJSON_CreateObject());
			idx = add(p, table, shp_xstrdup(p->key[i]), t, 0);
		} else {
			_cleanup_free_ char *k = key_shown(p, i + 1);
			if (!cJSON_IsObject(e->node) || (e->flags & T_AOT))
				return fail_node(p, p->key_at[i], "key %s already has a value that is not a table", k);
			if (e->flags & T_FROZEN)
				return fail_node(p, p->key_at[i], "cannot add keys to inline table %s", k);
			if (e->flags & T_DEFINED)
				return fail_node(p, p->key_at[i],
						 "cannot add keys to table %s with a dotted key after its section", k);
			idx = (size_t)(e - p->ents);
		}
		if (!(p->ents[idx].flags & T_PENDING)) {
			p->ents[idx].flags |= T_PENDING;
			SHP_PUSH(p->pending, p->npending, p->cap_pending, idx);
		}
		table = p->ents[idx].node;
	}
	return table;
}

/* key = value at pos, into table (at depth). */
static int keyval(struct parser *p, cJSON *table, size_t depth)
{
	if (key(p) < 0)
		return -1;
	if (peek(p, 0) != '=') {
		if (at_end(p) || newline_here(p) || peek(p, 0) == '#')
			return fail(p, p->pos, "expected '=' after a key");
		_cleanup_free_ char *ch = shown(p, p->pos, p->pos + 1);
		return fail(p, p->pos, "expected '=' after a key, not '%s'", ch);
	}
	cJSON *t = dotted(p, table, &depth);
	if (!t)
		return -1;
	size_t last = p->nkey - 1;
	if (lookup(p, t, p->key[last])) {
		_cleanup_free_ char *k = key_shown(p, p->nkey);
		return fail(p, p->key_at[last], "key %s defined twice", k);
	}
	_cleanup_free_ char *name = steal_pointer(&p->key[last]);
	p->nkey--;
	p->pos++;
	skip_ws(p);
	size_t saved = p->depth;
	p->depth = depth;
	cJSON *v = value(p);
	p->depth = saved;
	if (!v)
		return -1;
	add(p, t, steal_pointer(&name), v, cJSON_IsObject(v) || cJSON_IsArray(v) ? T_FROZEN : 0);
	return 0;
}

/* Tables made or entered by dotted keys are closed when the next section starts. */
static void close_pending(struct parser *p)
{
	for (size_t i = 0; i < p->npending; i++) {
		p->ents[p->pending[i]].flags &= ~(unsigned)T_PENDING;
		p->ents[p->pending[i]].flags |= T_DEFINED;
	}
	p->npending = 0;
}

/* [header] or [[header]] at pos: makes its table the section's. */
static int header(struct parser *p)
{
	int aot = peek(p, 1) == '[';
	p->pos += aot ? 2 : 1;
	skip_ws(p);
	if (key(p) < 0)
		return -1;
	if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']'))
		return fail(p, p->pos,
			    aot ? "expected ']]' to end an array of tables header"
				: "expected ']' to end a table header");
	p->pos += aot ? 2 : 1;
	close_pending(p);
	cJSON *t = p->root;
	size_t depth = 0;
	for (size_t i = 0; i < p->nkey; i++) {
		int last = i + 1 == p->nkey;
		size_t at = p->key_at[i];
		if (depth + 1 + (last && aot) > SHP_TOML_MAX_DEPTH)
			return fail(p, at, "nesting deeper than %d (SHP_TOML_MAX_DEPTH)", SHP_TOML_MAX_DEPTH);
		struct ent *e = lookup(p, t, p->key[i]);
		if (e && !(e->flags & T_AOT) && !cJSON_IsObject(e->node)) {
			_cleanup_free_ char *k = key_shown(p, i + 1);
			return fail(p, at, "key %s already has a value that is not a table", k);
		}
		if (e && (e->flags & T_FROZEN)) {
			_cleanup_free_ char *k = key_shown(p, i + 1);
			return fail(p, at, "cannot add a table to inline table %s", k);
		}
		if (!last) {
			if (!e) {
				cJSON *n = new_node(cJSON_CreateObject());
				add(p, t, shp_xstrdup(p->key[i]), n, 0);
				t = n;
				depth++;
			} else if (e->flags & T_AOT) {
				t = e->last;
				depth += 2;
			} else {
				t = e->node;
				depth++;
			}
		} else if (aot) {
			if (!e) {
				size_t idx = add(p, t, shp_xstrdup(p->key[i]), new_node(cJSON_CreateArray()), T_AOT);
				e = &p->ents[idx];
			} else if (!(e->flags & T_AOT)) {
				_cleanup_free_ char *k = key_shown(p, i + 1);
				return fail(p, at, "%s is a table, not an array of tables", k);
			}
			cJSON *n = new_node(cJSON_CreateObject());
			cJSON_AddItemToArray(e->node, n);
			e->last = n;
			t = n;
			depth += 2;
		} else {
			if (!e) {
				cJSON *n = new_node(cJSON_CreateObject());
				add(p, t, shp_xstrdup(p->key[i]), n, T_DEFINED);
				t = n;
			} else if (e->flags & T_AOT) {
				_cleanup_free_ char *k = key_shown(p, i + 1);
				return fail(p, at, "table [%s] is already an array of tables", k);
			} else if (e->flags & T_DEFINED) {
				_cleanup_free_ char *k = key_shown(p, i + 1);
				return fail(p, at, "table [%s] defined twice", k);
			} else {
				e->flags |= T_DEFINED;
				t = e->node;
			}
			depth++;
		}
	}
	key_clear(p);
	p->table = t;
	p->table_depth = depth;
	return 0;
}

static uint64_t new_seed(const void *salt)
{
	uint64_t s;
	if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s)
		s = (uint64_t)(uintptr_t)salt ^ (uint64_t)(uintptr_t)&s;
	return s;
}

cJSON *shp_toml_parse(const char *text, size_t len, const char *name, struct shp_error **err)
{
	if (len > SHP_TOML_MAX_BYTES) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %u MiB limit (SHP_TOML_MAX_BYTES)", name,
			      SHP_TOML_MAX_BYTES >> 20);
		return NULL;
	}
	struct parser p = {.s = text, .len = len, .name = name, .err = err};
	p.seed = new_seed(text);
	p.root = p.table = new_node(cJSON_CreateObject());
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) /* a byte order mark */
		p.pos = 3;
	int rc = 0;
	while (rc == 0) {
		skip_ws(&p);
		if (at_end(&p))
			break;
		int c = peek(&p, 0);
		size_t nl = newline_here(&p);
		if (nl) {
			p.pos += nl;
			continue;
		}
		if (c == '#') {
			rc = skip_comment(&p);
			continue;
		}
		if (c == '\r')
			rc = bad_char(&p, "the document");
		else if (c == '[')
			rc = header(&p);
		else
			rc = keyval(&p, p.table, p.table_depth);
		if (rc < 0)
			break;
		skip_ws(&p);
		if (peek(&p, 0) == '#')
			rc = skip_comment(&p);
		if (rc == 0 && !at_end(&p) && !newline_here(&p)) {
			if (peek(&p, 0) == '\r')
				rc = bad_char(&p, "the document");
			else {
				_cleanup_free_ char *ch = shown(&p, p.pos, p.pos + 1);
				rc = fail(&p, p.pos, "expected the end of the line, not '%s'", ch);
			}
		}
	}
	key_clear(&p);
	free(p.ents);
	free(p.slots);
	free(p.pending);
	shp_buf_free(&p.sb);
	if (rc < 0) {
		cJSON_Delete(p.root);
		return NULL;
	}
	return p.root;
}
