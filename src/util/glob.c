/* glob.c - see glob.h. The pattern is rewritten as a regular expression:
 *   **\/  (?:.*\/)?     ** .*     * [^/]*     ? [^/]     [!x] [^x]     other bytes quoted */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/glob.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct shp_glob {
	pcre2_code *re;
};

static const char *strip(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

struct shp_glob *shp_glob_new(const char *pattern, int as_dir, struct shp_error **err)
{
	struct shp_buf re = {0};
	const char *p = strip(pattern);
	shp_buf_puts(&re, "(?s)\\A");
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			if (*p == '/') {
				shp_buf_puts(&re, "(?:.*/)?");
				p++;
			} else
				shp_buf_puts(&re, ".*");
			continue;
		}
		char c = *p++;
		if (c == '*')
			shp_buf_puts(&re, "[^/]*");
		else if (c == '?')
			shp_buf_puts(&re, "[^/]");
		else if (c == '[') {
			/* a class as written; ! negates as in shells; ] first is a member */
			const char *q = p;
			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			if (!*q) {
				shp_buf_free(&re);
				shp_error_set(err, SHP_EXIT_USAGE, "pattern \"%s\": [ without ]", pattern);
				return NULL;
			}
			shp_buf_putc(&re, '[');
			if (*p == '!' || *p == '^') {
				shp_buf_putc(&re, '^');
				p++;
			}
			for (; p < q; p++) {
				if (*p == '\\' || *p == '[')
					shp_buf_putc(&re, '\\');
				shp_buf_putc(&re, *p);
			}
			shp_buf_putc(&re, ']');
			p = q + 1;
		} else {
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
			      (unsigned char)c >= 0x80))
				shp_buf_putc(&re, '\\');
			shp_buf_putc(&re, c);
		}
	}
	if (as_dir)
		shp_buf_puts(&re, "(?:/.*)?");
	shp_buf_puts(&re, "\\z");
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re.data, re.len, 0, &ec, &eo, NULL);
	shp_buf_free(&re);
	if (!code) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(ec, msg, sizeof msg);
		shp_error_set(err, SHP_EXIT_USAGE, "pattern \"%s\": %s", pattern, (const char *)msg);
		return NULL;
	}
	struct shp_glob *g = shp_xcalloc(1, sizeof *g);
	g->re = code;
	return g;
}

int shp_glob_match(const struct shp_glob *g, const char *path)
{
	const char *s = strip(path);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return 0;
	int rc = pcre2_match(g->re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

void shp_glob_free(struct shp_glob *g)
{
	if (!g)
		return;
	pcre2_code_free(g->re);
	free(g);
}
