/* parser.c - Dockerfile parser: parser directives, logical lines (escape-char
 * continuations with comments and blank lines inside), heredocs, instruction flags,
 * exec vs shell form, key/value forms, ONBUILD, stages and ARG substitution, pragmas.
 * It follows BuildKit's reading of the format; errors carry path:line:col. */
#include "dockerfile/dockerfile.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/trivy.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct line {
	const char *s;
	size_t len; /* without '\n' and a trailing '\r' */
};

/* Maps offsets in a logical line back to physical line:col. */
struct seg {
	size_t off;
	int line, col;
	size_t at; /* the byte offset in the file where the segment starts */
};

struct parser {
	const char *path;
	const char *text; /* the file as given */
	struct line *lines;
	size_t nlines;
	size_t i; /* next physical line */
	char esc;
	struct shp_dockerfile *df;
	struct shp_error **err;
	char **pend_ignores;
	size_t npend, cpend;
	char **pend_stage;
	size_t npstage, cpstage;
	struct shp_buf lg; /* the logical line being read, reused */
	struct seg *segs;  /* its map back to physical lines, reused */
	size_t csegs;
};

static const struct {
	const char *name;
	enum shp_df_kind kind;
} keywords[] = {
	{"FROM", SHP_DF_FROM},
	{"RUN", SHP_DF_RUN},
	{"CMD", SHP_DF_CMD},
	{"ENTRYPOINT", SHP_DF_ENTRYPOINT},
	{"COPY", SHP_DF_COPY},
	{"ADD", SHP_DF_ADD},
	{"ENV", SHP_DF_ENV},
	{"ARG", SHP_DF_ARG},
	{"LABEL", SHP_DF_LABEL},
	{"EXPOSE", SHP_DF_EXPOSE},
	{"USER", SHP_DF_USER},
	{"WORKDIR", SHP_DF_WORKDIR},
	{"VOLUME", SHP_DF_VOLUME},
	{"SHELL", SHP_DF_SHELL},
	{"HEALTHCHECK", SHP_DF_HEALTHCHECK},
	{"ONBUILD", SHP_DF_ONBUILD},
	{"STOPSIGNAL", SHP_DF_STOPSIGNAL},
	{"MAINTAINER", SHP_DF_MAINTAINER},
};

static int perr(struct parser *p, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int perr(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = shp_vasprintf(fmt, ap);
	va_end(ap);
	return shp_error_set(p->err, SHP_EXIT_INPUT, "%s:%d:%d: %s", p->path, line, col, m);
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static char *trim_dup(const char *s, size_t n)
{
	trim(&s, &n);
	return shp_xstrndup(s, n);
}

/* Instruction text lives in the Dockerfile's arena, freed with it. */
static char *arena_trim_dup(struct shp_arena *A, const char *s, size_t n)
{
	trim(&s, &n);
	return shp_arena_strndup(A, s, n);
}

static char *adup(struct shp_arena *A, const char *s) { return shp_arena_strndup(A, s, strlen(s)); }

/* ---- pragmas ------------------------------------------------------------------------ */

static void add_ids(const char *v, char ***arr, size_t *n, size_t *cap)
{
	const char *end = strchr(v, '#');
	if (!end)
		end = v + strlen(v);
	while (v < end) {
		while (v < end && (isspace((unsigned char)*v) || *v == ','))
			v++;
		const char *s = v;
		while (v < end && !isspace((unsigned char)*v) && *v != ',')
			v++;
		if (v > s && *n < 4 * SHP_DF_MAX_PRAGMA_IDS) /* sanity limit: a file's ignore lists */
			SHP_PUSH(*arr, *n, *cap, shp_xstrndup(s, (size_t)(v - s)));
		while (v < end && isspace((unsigned char)*v))
			v++;
		if (v < end && *v != ',')
			break; /* a second word that is not a list item ends the list */
	}
}

/* Matches "ignore = ids" after the tool name; returns the ids text or NULL. */
static const char *after_key(const char *s, const char *key)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t kl = strlen(key);
	if (strncasecmp(s, key, kl))
		return NULL;
	s += kl;
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '=')
		return NULL;
	return s + 1;
}

static void pragma(struct parser *p, const char *c, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)c[i]))
		i++;
	size_t idn;
	const char *id = shp_trivy_ignore(c + i, c + n, &idn); /* one id a comment, for the next instruction */
	if (id && p->npend < 4 * SHP_DF_MAX_PRAGMA_IDS)
		SHP_PUSH(p->pend_ignores, p->npend, p->cpend, shp_xstrndup(id, idn));
	if (id)
		return;
	if (n - i < 8 || (strncasecmp(c + i, "hadolint", 8) && strncasecmp(c + i, "shipshap", 8)))
		return; /* most comments: no copy */
	_cleanup_free_ char *t = trim_dup(c, n);
	const char *s = t;
	if (!strncasecmp(s, "hadolint", 8))
		s += 8;
	else if (!strncasecmp(s, "shipshape", 9))
		s += 9;
	else
		return;
	if (!isspace((unsigned char)*s))
		return;
	const char *v;
	size_t cap = p->df->nglobal_ignores;
	if ((v = after_key(s, "ignore")))
		add_ids(v, &p->pend_ignores, &p->npend, &p->cpend);
	else if ((v = after_key(s, "global ignore")))
		add_ids(v, &p->df->global_ignores, &p->df->nglobal_ignores, &cap);
	else if ((v = after_key(s, "stage ignore")))
		add_ids(v, &p->pend_stage, &p->npstage, &p->cpstage);
	else if ((v = after_key(s, "shell"))) {
		while (isspace((unsigned char)*v))
			v++;
		if (!strncasecmp(v, "powershell", 10) || !strncasecmp(v, "pwsh", 4) || !strncasecmp(v, "cmd", 3))
			p->df->shell_pragma_nonposix = 1;
	}
}

/* ---- words, JSON, key/values ---------------------------------------------------------- */

/* Reads one word at q (not at whitespace): quotes group and are removed; the escape char
 * escapes a quote, whitespace, '$' or itself and is otherwise literal (so Windows paths
 * survive). Writes the word to dst (if not NULL; it is never longer than its text) and its
 * length to *len; returns where the word ends. */
static const char *read_word(const char *q, char esc, char *dst, size_t *len)
{
	size_t n = 0;
	char quote = 0;
	for (; *q; q++) {
		char c = *q;
		if (!quote && isspace((unsigned char)c))
			break;
		if (c == esc && q[1] && quote != '\'' &&
		    (q[1] == '"' || q[1] == '\'' || q[1] == esc || q[1] == '$' || isspace((unsigned char)q[1]))) {
			c = *++q;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		} else if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (dst)
			dst[n] = c;
		n++;
	}
	*len = n;
	return q;
}

/* Splits s into words (see read_word), each measured, then copied into the arena. */
static void split_words(struct shp_arena *A, const char *s, char esc, char ***out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	const char *q = s;
	for (;;) {
		while (*q && isspace((unsigned char)*q))
			q++;
		if (!*q)
			break;
		size_t len;
		read_word(q, esc, NULL, &len);
		char *w = shp_arena_alloc(A, len + 1);
		q = read_word(q, esc, w, &len);
		w[len] = 0;
		SHP_PUSH(*out, *n, cap, w);
	}
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void put_utf8(struct shp_buf *b, unsigned cp)
{
	char o[4];
	if (cp < 0x80) {
		shp_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		shp_buf_add(b, o, 2);
	} else {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		shp_buf_add(b, o, 3);
	}
}

/* Parses a JSON array of strings; returns 0 and fills argv on success. */
static int parse_json_array(struct shp_arena *A, const char *s, char ***argv, size_t *argc)
{
	size_t cap = 0, n = 0;
	char **v = NULL;
	const char *q = s;
	while (isspace((unsigned char)*q))
		q++;
	if (*q++ != '[')
		return -1;
	int first = 1;
	for (;;) {
		while (isspace((unsigned char)*q))
			q++;
		if (*q == ']' && first) {
			q++;
			break;
		}
		if (*q != '"')
			goto fail;
		q++;
		struct shp_buf b = {0};
		shp_buf_puts(&b, "");
		while (*q && *q != '"') {
			if ((unsigned char)*q < 0x20) {
				shp_buf_free(&b);
				goto fail;
			}
			if (*q == '\\') {
				q++;
				switch (*q) {
				case '"':
				case '\\':
				case '/': shp_buf_putc(&b, *q); break;
				case 'b': shp_buf_putc(&b, '\b'); break;
				case 'f': shp_buf_putc(&b, '\f'); break;
				case 'n': shp_buf_putc(&b, '\n'); break;
				case 'r': shp_buf_putc(&b, '\r'); break;
				case 't': shp_buf_putc(&b, '\t'); break;
				case 'u': {
					unsigned cp = 0;
					for (int k = 1; k <= 4; k++) {
						char h = q[k];
						if (!isxdigit((unsigned char)h)) {
							shp_buf_free(&b);
							goto fail;
						}
						cp = cp * 16 + (unsigned)(isdigit((unsigned char)h)
										  ? h - '0'
										  : (tolower(h) - 'a' + 10));
					}
					put_utf8(&b, cp);
					q += 4;
					break;
				}
				default: shp_buf_free(&b); goto fail;
				}
				q++;
				continue;
			}
			shp_buf_putc(&b, *q++);
		}
		if (*q != '"') {
			shp_buf_free(&b);
			goto fail;
		}
		q++;
		SHP_PUSH(v, n, cap, shp_arena_strndup(A, b.data, b.len));
		shp_buf_free(&b);
		first = 0;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == ',') {
			q++;
			continue;
		}
		if (*q == ']') {
			q++;
			break;
		}
		goto fail;
	}
	while (isspace((unsigned char)*q))
		q++;
	if (*q)
		goto fail;
	*argv = v;
	*argc = n;
	return 0;
fail:
	free(v); /* the strings are in the arena */
	return -1;
}

static void set_form(struct shp_arena *A, struct shp_df_instr *in, const char *args, char esc)
{
	const char *t = args;
	while (isspace((unsigned char)*t))
		t++;
	if (*t == '[') {
		if (parse_json_array(A, t, &in->argv, &in->argc) == 0) {
			in->json = 1;
			return;
		}
		/* Docker runs a malformed array as a shell command; so do we, and a rule says so. */
		in->json_invalid = 1;
	}
	if (in->kind == SHP_DF_RUN)
		return; /* a shell-form RUN is read as commands (in->sh), not as words */
	split_words(A, args, esc, &in->argv, &in->argc);
}

static void add_kv(struct shp_df_instr *in, size_t *cap, char *k, char *v)
{
	in->kvs = shp_xgrow(in->kvs, cap, in->nkvs + 1, sizeof *in->kvs);
	in->kvs[in->nkvs].key = k;
	in->kvs[in->nkvs].value = v;
	in->nkvs++;
}

/* ENV/LABEL: "k=v k2=v2" or the legacy "key value with spaces"; ARG: "name[=default]"... */
static void parse_kvs(struct shp_arena *A, struct shp_df_instr *in)
{
	size_t cap = 0;
	if (!in->argc)
		return;
	int legacy = in->kind != SHP_DF_ARG && !strchr(in->argv[0], '=');
	if (legacy) {
		/* The value is the rest of the line after the key, with quotes removed word-wise. */
		const char *rest = in->args;
		while (*rest && !isspace((unsigned char)*rest))
			rest++;
		while (isspace((unsigned char)*rest))
			rest++;
		/* Keep inner spacing as written but drop surrounding quotes of a fully quoted value. */
		size_t rl = strlen(rest);
		if (rl >= 2 && (rest[0] == '"' || rest[0] == '\'') && rest[rl - 1] == rest[0]) {
			rest++;
			rl -= 2;
		}
		add_kv(in, &cap, in->argv[0], shp_arena_strndup(A, rest, rl));
		return;
	}
	for (size_t i = 0; i < in->argc; i++) {
		const char *w = in->argv[i];
		const char *eq = strchr(w, '=');
		if (eq)
			add_kv(in, &cap, shp_arena_strndup(A, w, (size_t)(eq - w)), (char *)eq + 1);
		else
			add_kv(in, &cap, (char *)w, NULL);
	}
}

/* ---- flags and heredocs -------------------------------------------------------------- */

static int kind_has_flags(enum shp_df_kind k)
{
	return k == SHP_DF_FROM || k == SHP_DF_RUN || k == SHP_DF_COPY || k == SHP_DF_ADD || k == SHP_DF_HEALTHCHECK;
}

/* Consumes leading --flag[=value] words of s; returns the rest. */
static const char *parse_flags(struct shp_arena *A, struct shp_df_instr *in, const char *s, char esc)
{
	size_t cap = 0;
	for (;;) {
		while (isspace((unsigned char)*s) || (*s == esc && (s[1] == ' ' || s[1] == '\t')))
			s++;
		if (s[0] != '-' || s[1] != '-' || !isalpha((unsigned char)s[2]))
			return s;
		const char *e = s;
		char quote = 0;
		while (*e && (quote || !isspace((unsigned char)*e))) {
			if (!quote && (*e == '"' || *e == '\''))
				quote = *e;
			else if (quote && *e == quote)
				quote = 0;
			e++;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		struct shp_df_flag f = {0};
		f.name = shp_arena_strndup(A, s + 2, (size_t)((eq ? eq : e) - s - 2));
		if (eq) {
			char *v = shp_arena_alloc(A, (size_t)(e - eq));
			size_t vl = 0;
			for (const char *c = eq + 1; c < e; c++)
				if (*c != '"' && *c != '\'')
					v[vl++] = *c;
			v[vl] = 0;
			f.value = v;
		}
		in->flags = shp_xgrow(in->flags, &cap, in->nflags + 1, sizeof *in->flags);
		in->flags[in->nflags++] = f;
		s = e;
	}
}

struct marker {
	char word[128];
	int strip, quoted;
	size_t off;
};

/* Finds heredoc markers (<<EOF, <<-EOF, <<"EOF") outside quotes in s. */
static size_t find_markers(const char *s, struct marker *m, size_t max)
{
	size_t n = 0;
	char quote = 0;
	if (!strstr(s, "<<"))
		return 0; /* the common case, decided by one fast scan */
	for (size_t i = 0; s[i] && n < max; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c == '$' && s[i + 1] == '(' && s[i + 2] == '(') { /* arithmetic: a << shift */
			const char *e = strstr(s + i, "))");
			if (!e)
				break;
			i = (size_t)(e - s) + 1;
			continue;
		}
		if (c != '<' || s[i + 1] != '<' || s[i + 2] == '<')
			continue;
		size_t j = i + 2;
		int strip = 0, q = 0;
		if (s[j] == '-') {
			strip = 1;
			j++;
		}
		char qc = 0;
		if (s[j] == '"' || s[j] == '\'') {
			qc = s[j++];
			q = 1;
		}
		size_t k = j;
		while (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-' || s[k] == '.')
			k++;
		if (k == j || k - j >= sizeof m->word || !(isalpha((unsigned char)s[j]) || s[j] == '_')) {
			i = k ? k - 1 : i;
			continue;
		}
		if (qc && s[k] == qc)
			k++;
		memcpy(m[n].word, s + j, (size_t)(k - j - (qc && s[k - 1] == qc ? 1 : 0)));
		m[n].word[k - j - (qc && s[k - 1] == qc ? 1 : 0)] = 0;
		m[n].strip = strip;
		m[n].quoted = q;
		m[n].off = i;
		n++;
		i = k - 1;
	}
	return n;
}

/* ---- the instruction ------------------------------------------------------------------ */

static enum shp_df_kind lookup_kind(const char *w, size_t n, char *upper, size_t upcap)
{
	size_t k = n < upcap - 1 ? n : upcap - 1;
	for (size_t i = 0; i < k; i++)
		upper[i] = (char)toupper((unsigned char)w[i]);
	upper[k] = 0;
	if (n >= upcap)
		return SHP_DF_UNKNOWN;
	for (size_t i = 0; i < SHP_ARRAY_LEN(keywords); i++)
		if (upper[0] == keywords[i].name[0] && !strcmp(upper, keywords[i].name))
			return keywords[i].kind;
	return SHP_DF_UNKNOWN;
}

static int is_shell_prog(const char *a)
{
	const char *b = strrchr(a, '/');
	b = b ? b + 1 : a;
	return !strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "ash") || !strcmp(b, "dash") || !strcmp(b, "zsh");
}

/* Where a RUN's text came from, so each command can be given its own line and column:
 * the logical line (continuations joined) with its segments, and the first physical line
 * after it, where heredoc bodies start. */
struct script_src {
	const char *logical;
	size_t len;
	const struct seg *segs;
	size_t nsegs;
};

static void seg_pos(const struct seg *segs, size_t nsegs, size_t off, int *line, int *col);
static size_t seg_at(const struct seg *segs, size_t nsegs, size_t off);

/* Column of byte off in text: its distance from the line's start, 1-based. */
static int col_in(const char *text, size_t off)
{
	size_t b = off;
	while (b > 0 && text[b - 1] != '\n')
		b--;
	return (int)(off - b) + 1;
}

/* Places the commands from index `from` on: those on the script's first line through the
 * logical line when the script starts at args_off in it (else SIZE_MAX), the others by
 * line1, the physical line of the script's first line (0: unknown, the instruction's). */
static void place_cmds(struct shp_df_instr *in, size_t from, const struct script_src *src, const char *text,
		       size_t args_off, int line1)
{
	for (size_t k = from; k < in->sh.n; k++) {
		struct shp_sh_cmd *c = &in->sh.cmds[k];
		if (c->line <= 1 && args_off != SIZE_MAX) {
			seg_pos(src->segs, src->nsegs, args_off + c->off, &c->line, &c->col);
			/* words on the logical line: where each one is in the file, for `fix` */
			c->wfile = shp_arena_alloc(&in->sh.arena, c->argc * sizeof(size_t));
			for (size_t w = 0; w < c->argc; w++)
				c->wfile[w] = args_off + c->woff[w] < src->len
						      ? seg_at(src->segs, src->nsegs, args_off + c->woff[w])
						      : SIZE_MAX; /* in a heredoc body */
		} else if (line1 > 0) {
			c->col = col_in(text, c->off);
			c->line = line1 + c->line - 1;
		} else {
			c->line = in->line;
			c->col = in->col;
		}
	}
}

/* Offset of args (a trimmed copy of the logical line's tail) in the logical line, or
 * SIZE_MAX when it is not found there as it stands. */
static size_t args_offset(const char *logical, size_t n, const char *args)
{
	size_t an = strlen(args);
	while (n > 0 && isspace((unsigned char)logical[n - 1]))
		n--;
	if (an > n || memcmp(logical + n - an, args, an))
		return SIZE_MAX;
	return n - an;
}

static void build_script(struct shp_df_instr *in, const struct script_src *src)
{
	if (in->json) {
		struct shp_sh_cmd c = {0};
		c.argc = in->argc;
		c.argv = shp_arena_alloc(&in->sh.arena, (in->argc + 1) * sizeof(char *));
		for (size_t i = 0; i < in->argc; i++)
			c.argv[i] = shp_arena_strndup(&in->sh.arena, in->argv[i], strlen(in->argv[i]));
		c.argv[in->argc] = NULL;
		c.line = 1;
		if (c.argc) {
			const char *sl = strrchr(c.argv[0], '/');
			c.prog = sl ? sl + 1 : c.argv[0];
		} else
			c.prog = "";
		c.pbit = shp_sh_prog_bit(c.prog);
		in->sh.pmask |= c.pbit;
		SHP_PUSH(in->sh.cmds, in->sh.n, in->sh.cap, c);
		/* ["sh", "-c", "script"]: the script's commands count as well. */
		if (in->argc >= 3 && is_shell_prog(in->argv[0]) && !strcmp(in->argv[1], "-c"))
			shp_sh_parse(&in->sh, in->argv[2], strlen(in->argv[2]));
		place_cmds(in, 0, src, NULL, SIZE_MAX, 0);
		return;
	}
	size_t args_off = args_offset(src->logical, src->len, in->args);
	if (!in->nheredocs) {
		shp_sh_parse(&in->sh, in->args, strlen(in->args));
		place_cmds(in, 0, src, in->args, args_off, 0);
		return;
	}
	/* Heredoc RUN: a lone "<<EOF" makes the body the script; otherwise the shell reads the
	 * command line with its here-documents, exactly as BuildKit hands it over. */
	struct marker m[SHP_DF_MAX_HEREDOCS];
	size_t nm = find_markers(in->args, m, SHP_DF_MAX_HEREDOCS);
	struct shp_buf rest = {0};
	shp_buf_puts(&rest, "");
	size_t last = 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].off < last)
			continue; /* "<<A<<B": the second marker is inside the first one's word */
		shp_buf_add(&rest, in->args + last, m[i].off - last);
		const char *e = in->args + m[i].off + 2;
		while (*e && !isspace((unsigned char)*e))
			e++;
		last = (size_t)(e - in->args);
	}
	shp_buf_puts(&rest, in->args + last);
	if (is_blank(rest.data, rest.len)) {
		for (size_t i = 0; i < in->nheredocs; i++) {
			const char *b = in->heredocs[i].body;
			if (!strncmp(b, "#!", 2)) {
				const char *nl = strchr(b, '\n');
				_cleanup_free_ char *sb = shp_xstrndup(b, nl ? (size_t)(nl - b) : strlen(b));
				if (!strstr(sb, "sh"))
					continue; /* a python/perl script: not ours to split */
			}
			size_t from = in->sh.n;
			shp_sh_parse(&in->sh, b, strlen(b));
			place_cmds(in, from, src, b, SIZE_MAX, in->heredocs[i].body_line);
		}
	} else {
		struct shp_buf all = {0};
		shp_buf_puts(&all, in->args);
		shp_buf_putc(&all, '\n');
		for (size_t i = 0; i < in->nheredocs; i++) {
			shp_buf_puts(&all, in->heredocs[i].body);
			shp_buf_puts(&all, in->heredocs[i].word);
			shp_buf_putc(&all, '\n');
		}
		shp_sh_parse(&in->sh, all.data, all.len);
		place_cmds(in, 0, src, all.data, args_off, in->heredocs[0].body_line - 1);
		/* "RUN bash <<EOF": the body is a script too. */
		if (in->sh.n && is_shell_prog(in->sh.cmds[0].argv[0]))
			for (size_t i = 0; i < in->nheredocs; i++) {
				size_t from = in->sh.n;
				shp_sh_parse(&in->sh, in->heredocs[i].body, strlen(in->heredocs[i].body));
				place_cmds(in, from, src, in->heredocs[i].body, SIZE_MAX, in->heredocs[i].body_line);
			}
		shp_buf_free(&all);
	}
	shp_buf_free(&rest);
}

/* Fills in from "args" (the text after the keyword). depth guards ONBUILD ONBUILD. */
static void fill_instr(struct shp_arena *A, struct shp_df_instr *in, const char *args, char esc, int depth)
{
	if (kind_has_flags(in->kind))
		args = parse_flags(A, in, args, esc);
	in->args = arena_trim_dup(A, args, strlen(args));
	switch (in->kind) {
	case SHP_DF_RUN:
	case SHP_DF_CMD:
	case SHP_DF_ENTRYPOINT:
	case SHP_DF_SHELL:
	case SHP_DF_VOLUME:
	case SHP_DF_COPY:
	case SHP_DF_ADD: set_form(A, in, in->args, esc); break;
	case SHP_DF_HEALTHCHECK: {
		const char *a = in->args;
		if (!strncasecmp(a, "CMD", 3) && (isspace((unsigned char)a[3]) || !a[3])) {
			a += 3;
			set_form(A, in, a, esc);
		} else
			split_words(A, a, esc, &in->argv, &in->argc);
		break;
	}
	case SHP_DF_ENV:
	case SHP_DF_ARG:
	case SHP_DF_LABEL:
		split_words(A, in->args, esc, &in->argv, &in->argc);
		parse_kvs(A, in);
		break;
	case SHP_DF_ONBUILD: {
		const char *a = in->args;
		size_t wl = strcspn(a, " \t");
		struct shp_df_instr *sub = shp_xcalloc(1, sizeof *sub);
		sub->kind = lookup_kind(a, wl, sub->keyword, sizeof sub->keyword);
		sub->line = in->line;
		sub->col = in->col;
		sub->end_line = in->end_line;
		sub->stage = -1;
		if (depth == 0 && sub->kind != SHP_DF_ONBUILD)
			fill_instr(A, sub, a + wl, esc, depth + 1);
		else
			sub->args = arena_trim_dup(A, a + wl, strlen(a + wl));
		in->sub = sub;
		break;
	}
	default: split_words(A, in->args, esc, &in->argv, &in->argc);
	}
}

/* Frees what an instruction owns; its strings are in the Dockerfile's arena. */
static void free_instr(struct shp_df_instr *in)
{
	free(in->flags);
	free(in->argv);
	free(in->kvs);
	free(in->heredocs);
	shp_sh_free(&in->sh);
	free_strv(in->ignores, in->nignores);
	if (in->sub) {
		free_instr(in->sub);
		free(in->sub);
	}
}

/* The last segment starting at or before off (offsets ascend). */
static size_t seg_find(const struct seg *segs, size_t nsegs, size_t off)
{
	size_t lo = 0, hi = nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void seg_pos(const struct seg *segs, size_t nsegs, size_t off, int *line, int *col)
{
	size_t k = seg_find(segs, nsegs, off);
	*line = segs[k].line;
	*col = segs[k].col + (int)(off - segs[k].off);
}

/* The byte offset in the file of offset off of the logical line. */
static size_t seg_at(const struct seg *segs, size_t nsegs, size_t off)
{
	size_t k = seg_find(segs, nsegs, off);
	return segs[k].at + (off - segs[k].off);
}

/* Reads the heredoc bodies for the markers in the logical line, from p->i on. */
static int read_heredocs(struct parser *p, struct shp_df_instr *in, const char *logical, size_t args_off,
			 const struct seg *segs, size_t nsegs)
{
	struct marker m[SHP_DF_MAX_HEREDOCS + 1];
	size_t nm = find_markers(logical + args_off, m, SHP_DF_MAX_HEREDOCS + 1);
	if (nm > SHP_DF_MAX_HEREDOCS) {
		int l, c;
		seg_pos(segs, nsegs, args_off + m[nm - 1].off, &l, &c);
		return perr(p, l, c, "more than %d heredocs in one instruction", SHP_DF_MAX_HEREDOCS);
	}
	if (!nm)
		return 0;
	in->heredocs = shp_xcalloc(nm, sizeof *in->heredocs);
	for (size_t k = 0; k < nm; k++) {
		struct shp_df_heredoc *h = &in->heredocs[in->nheredocs++];
		h->word = adup(&p->df->arena, m[k].word);
		h->strip_tabs = m[k].strip;
		h->quoted = m[k].quoted;
		seg_pos(segs, nsegs, args_off + m[k].off, &h->line, &h->col);
		h->body_line = (int)p->i + 1;
		struct shp_buf b = {0};
		shp_buf_puts(&b, "");
		int done = 0;
		size_t wl = strlen(h->word);
		while (p->i < p->nlines) {
			const struct line *L = &p->lines[p->i++];
			const char *s = L->s;
			size_t n = L->len;
			if (h->strip_tabs)
				while (n && *s == '\t') {
					s++;
					n--;
				}
			if (n == wl && !memcmp(s, h->word, wl)) {
				done = 1;
				break;
			}
			shp_buf_add(&b, s, n);
			shp_buf_putc(&b, '\n');
		}
		h->body = shp_arena_strndup(&p->df->arena, b.data, b.len);
		shp_buf_free(&b);
		if (!done)
			return perr(p, h->line, h->col, "unterminated heredoc: no line \"%s\" closes <<%s", h->word,
				    h->word);
	}
	in->end_line = (int)p->i;
	return 0;
}

static int is_comment_line(const struct line *L)
{
	size_t k = skip_ws(L->s, L->len, 0);
	return k < L->len && L->s[k] == '#';
}

/* A line that is one whole template action, "{{ ... }}" (docker-library's jq templates,
 * Go templates): not Dockerfile text, skipped like a comment, also inside continuations. */
static int is_template_line(const struct line *L)
{
	size_t k = skip_ws(L->s, L->len, 0);
	if (k + 1 >= L->len || L->s[k] != '{' || L->s[k + 1] != '{')
		return 0;
	size_t n = L->len;
	while (n > k && isspace((unsigned char)L->s[n - 1]))
		n--;
	return n - k >= 4 && L->s[k] == '{' && L->s[k + 1] == '{' && L->s[n - 1] == '}' && L->s[n - 2] == '}';
}

/* Reads the next instruction starting at physical line p->i (not blank, not a comment). */
static int read_instruction(struct parser *p, struct shp_df_instr *in)
{
	struct shp_buf lg = p->lg;
	struct seg *segs = p->segs;
	size_t nsegs = 0, csegs = p->csegs;
	shp_buf_reset(&lg);
	int rc = -1;
	size_t first = p->i;
	size_t k0 = skip_ws(p->lines[first].s, p->lines[first].len, 0);
	in->line = (int)first + 1;
	in->col = (int)k0 + 1;
	for (;;) {
		const struct line *L = &p->lines[p->i];
		size_t start = p->i == first ? k0 : 0;
		size_t n = L->len;
		while (n > start && (L->s[n - 1] == ' ' || L->s[n - 1] == '\t'))
			n--;
		int cont = n > start && L->s[n - 1] == p->esc;
		if (cont)
			n--;
		struct seg sg = {lg.len, (int)p->i + 1, (int)start + 1, (size_t)(L->s + start - p->text)};
		SHP_PUSH(segs, nsegs, csegs, sg);
		shp_buf_add(&lg, L->s + start, n - start);
		p->i++;
		if (!cont)
			break;
		while (p->i < p->nlines && (is_blank(p->lines[p->i].s, p->lines[p->i].len) ||
					    is_comment_line(&p->lines[p->i]) || is_template_line(&p->lines[p->i]))) {
			p->df->templated |= is_template_line(&p->lines[p->i]);
			p->i++;
		}
		if (p->i >= p->nlines)
			break;
	}
	in->end_line = (int)p->i;
	const char *s = lg.data ? lg.data : "";
	size_t wl = strcspn(s, " \t");
	in->kind = lookup_kind(s, wl, in->keyword, sizeof in->keyword);
	if (in->kind == SHP_DF_UNKNOWN) {
		/* quoted as it is: whoever prints it escapes it (shp_buf_term_str, JSON) */
		_cleanup_free_ char *w = shp_xstrndup(s, wl > 40 ? 40 : wl);
		perr(p, in->line, in->col, "unknown instruction \"%s%s\"", w, wl > 40 ? "..." : "");
		goto out;
	}
	size_t args_off = wl;
	fill_instr(&p->df->arena, in, s + args_off, p->esc, 0);
	const struct shp_df_instr *e = shp_df_eff(in);
	if (!*in->args || (in->kind == SHP_DF_ONBUILD && e != in && !*e->args && e->kind != SHP_DF_UNKNOWN)) {
		perr(p, in->line, in->col + (int)wl, "%s requires an argument", in->keyword);
		goto out;
	}
	if (in->kind == SHP_DF_ONBUILD && e->kind == SHP_DF_UNKNOWN) {
		perr(p, in->line, in->col + (int)wl + 1, "unknown instruction after ONBUILD");
		goto out;
	}
	if (e->kind == SHP_DF_RUN || e->kind == SHP_DF_COPY || e->kind == SHP_DF_ADD) {
		struct shp_df_instr *target = (struct shp_df_instr *)e;
		if (read_heredocs(p, target, s, args_off, segs, nsegs) < 0)
			goto out;
		in->end_line = (int)p->i;
		if (e->kind == SHP_DF_RUN) {
			struct script_src src = {s, lg.len, segs, nsegs};
			build_script(target, &src);
		}
	}
	rc = 0;
out:
	p->lg = lg;
	p->segs = segs;
	p->csegs = csegs;
	return rc;
}

/* ---- directives, stages --------------------------------------------------------------- */

static int directive(struct parser *p, const struct line *L)
{
	size_t k = skip_ws(L->s, L->len, 0);
	if (k >= L->len || L->s[k] != '#')
		return 0;
	k = skip_ws(L->s, L->len, k + 1);
	size_t ns = k;
	while (k < L->len && (isalnum((unsigned char)L->s[k]) || L->s[k] == '_'))
		k++;
	size_t ne = k;
	k = skip_ws(L->s, L->len, k);
	if (ne == ns || k >= L->len || L->s[k] != '=')
		return 0;
	_cleanup_free_ char *name = shp_xstrndup(L->s + ns, ne - ns);
	_cleanup_free_ char *val = trim_dup(L->s + k + 1, L->len - k - 1);
	if (!strcasecmp(name, "escape")) {
		if (strcmp(val, "\\") && strcmp(val, "`"))
			return perr(p, (int)p->i + 1, (int)k + 2, "invalid escape directive \"%s\": use \\ or `", val);
		p->esc = val[0];
	} else if (!strcasecmp(name, "syntax")) {
		free(p->df->syntax);
		p->df->syntax = steal_pointer(&val);
		p->df->syntax_line = (int)p->i + 1;
	} else if (strcasecmp(name, "check"))
		return 0;
	return 1;
}

/* ---- indexes: definitions and aliases ----------------------------------------------------- */

static int cmp_def(const void *a, const void *b)
{
	const struct shp_df_def *x = a, *y = b;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The last definition of name in stage s before instruction bound, or NULL. */
static const struct shp_df_def *find_def(const struct shp_dockerfile *df, int s, const char *name, size_t bound)
{
	size_t lo = 0, hi = df->ndefs; /* first entry with key >= (s, name, bound) */
	struct shp_df_def key = {s, name, bound, NULL};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_def(&df->defs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct shp_df_def *d = &df->defs[lo - 1];
	return d->stage == s && !strcmp(d->name, name) ? d : NULL;
}

const char *shp_df_var(const struct shp_dockerfile *df, size_t idx, const char *name)
{
	int s = idx < df->n ? df->ins[idx].stage : (df->nstages ? (int)df->nstages - 1 : -1);
	size_t bound = idx;
	for (int hop = 0; hop < SHP_DF_MAX_STAGE_CHAIN; hop++) {
		const struct shp_df_def *d = find_def(df, s, name, bound);
		if (d) {
			if (d->value || s < 0)
				return d->value;
			/* "ARG NAME" inside a stage pulls the global ARG's default in. */
			const struct shp_df_def *g = find_def(df, -1, name, SHP_DF_NONE);
			return g ? g->value : NULL;
		}
		if (s < 0 || df->stages[s].parent < 0)
			return NULL; /* global ARGs are visible in a stage only when re-declared */
		s = df->stages[s].parent;
		bound = SHP_DF_NONE;
	}
	return NULL;
}

static int cmp_alias(const void *a, const void *b)
{
	const struct shp_df_alias *x = a, *y = b;
	int c = strcmp(x->lower, y->lower);
	return c ? c : (x->stage > y->stage) - (x->stage < y->stage);
}

int shp_df_stage_by_alias(const struct shp_dockerfile *df, const char *alias, int below)
{
	char low[256];
	size_t n = strlen(alias);
	if (n >= sizeof low)
		return -1;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)alias[i]);
	struct shp_df_alias key = {low, below};
	size_t lo = 0, hi = df->naliases; /* first entry >= (alias, below) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_alias(&df->aliases[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(df->aliases[lo - 1].lower, low))
		return -1;
	return df->aliases[lo - 1].stage;
}

static const char *meta_lookup(const char *name, void *arg)
{
	const struct shp_dockerfile *df = arg;
	const struct shp_df_def *d = find_def(df, -1, name, SHP_DF_NONE);
	return d ? d->value : NULL;
}

static int is_windows_base(const char *img)
{
	if (!img)
		return 0;
	return strcasestr(img, "windowsservercore") || strcasestr(img, "nanoserver") ||
	       strcasestr(img, "mcr.microsoft.com/windows") || strcasestr(img, "microsoft/windows");
}

static int nonposix_shell(const struct shp_df_instr *in)
{
	if (!in->json || !in->argc)
		return 0;
	const char *a = in->argv[0];
	const char *b = strrchr(a, '\\');
	b = b ? b + 1 : a;
	const char *sl = strrchr(b, '/');
	b = sl ? sl + 1 : b;
	return !strncasecmp(b, "cmd", 3) || !strncasecmp(b, "powershell", 10) || !strncasecmp(b, "pwsh", 4);
}

static void build_stages(struct shp_dockerfile *df)
{
	size_t cst = 0, cdefs = 0, cal = 0;
	int cur = -1;
	/* 1: stages, the stage of every instruction, and the ENV/ARG definitions. */
	for (size_t i = 0; i < df->n; i++) {
		struct shp_df_instr *in = &df->ins[i];
		if (in->kind == SHP_DF_FROM) {
			struct shp_df_stage st = {0};
			st.from = i;
			st.parent = -1;
			st.first_workdir = st.last_shell = SHP_DF_NONE;
			st.image = shp_xstrdup(in->argc ? in->argv[0] : "");
			if (in->argc >= 3 && !strcasecmp(in->argv[1], "AS"))
				st.alias = shp_xstrdup(in->argv[2]);
			const char *pf = shp_df_flag(in, "platform");
			if (pf)
				st.platform = shp_xstrdup(pf);
			if (df->nstages)
				df->stages[df->nstages - 1].end = i;
			SHP_PUSH(df->stages, df->nstages, cst, st);
			cur = (int)df->nstages - 1;
		}
		struct shp_df_instr *e = (struct shp_df_instr *)shp_df_eff(in);
		in->stage = e->stage = cur;
		if (in->kind == SHP_DF_ENV || in->kind == SHP_DF_ARG)
			for (size_t k = 0; k < in->nkvs; k++) {
				struct shp_df_def d = {cur, in->kvs[k].key, i, in->kvs[k].value};
				if (in->kind == SHP_DF_ENV && !d.value)
					d.value = "";
				SHP_PUSH(df->defs, df->ndefs, cdefs, d);
			}
		if (cur >= 0 && e->kind == SHP_DF_WORKDIR && df->stages[cur].first_workdir == SHP_DF_NONE)
			df->stages[cur].first_workdir = i;
	}
	if (df->nstages)
		df->stages[df->nstages - 1].end = df->n;
	if (df->ndefs > 1)
		qsort(df->defs, df->ndefs, sizeof *df->defs, cmp_def);

	/* 2: base images resolved with the global ARGs; the alias index; parents. */
	for (size_t k = 0; k < df->nstages; k++) {
		struct shp_df_stage *st = &df->stages[k];
		int unres = 0;
		char *r = shp_df_expand(st->image, meta_lookup, df, &unres);
		if (unres || strstr(r, "{{")) {
			free(r);
			r = NULL;
		}
		st->resolved = r;
		if (st->alias) {
			struct shp_df_alias a = {shp_xstrdup(st->alias), (int)k};
			for (char *c = a.lower; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			SHP_PUSH(df->aliases, df->naliases, cal, a);
		}
	}
	if (df->naliases > 1)
		qsort(df->aliases, df->naliases, sizeof *df->aliases, cmp_alias);
	for (size_t k = 0; k < df->nstages; k++) {
		struct shp_df_stage *st = &df->stages[k];
		st->parent = shp_df_stage_by_alias(df, st->resolved ? st->resolved : st->image, (int)k);
	}

	/* 3: the shell in effect, and whether RUN bodies are POSIX shell. */
	int *stage_posix = shp_xcalloc(df->nstages ? df->nstages : 1, sizeof(int));
	int posix = !df->shell_pragma_nonposix;
	size_t shell = SHP_DF_NONE;
	for (size_t i = 0; i < df->n; i++) {
		struct shp_df_instr *in = &df->ins[i];
		struct shp_df_instr *e = (struct shp_df_instr *)shp_df_eff(in);
		if (in->kind == SHP_DF_FROM) {
			const struct shp_df_stage *st = &df->stages[in->stage];
			const char *name = st->resolved ? st->resolved : st->image;
			posix = st->parent >= 0 ? stage_posix[st->parent] : !is_windows_base(name);
			if (df->shell_pragma_nonposix)
				posix = 0;
			stage_posix[in->stage] = posix;
			shell = SHP_DF_NONE;
		}
		if (in->kind == SHP_DF_SHELL) {
			posix = !nonposix_shell(in) && !df->shell_pragma_nonposix;
			if (in->stage >= 0) {
				stage_posix[in->stage] = posix;
				df->stages[in->stage].last_shell = i;
			}
			shell = i;
		}
		in->shell = e->shell = in->kind == SHP_DF_SHELL ? SHP_DF_NONE : shell;
		in->posix_shell = e->posix_shell = posix;
	}
	free(stage_posix);
}

int shp_df_parse(const char *path, const char *text, size_t len, struct shp_dockerfile **out, struct shp_error **err)
{
	struct shp_dockerfile *df = shp_xcalloc(1, sizeof *df);
	df->path = shp_xstrdup(path);
	df->escape = '\\';
	struct parser p = {.path = path, .text = text, .esc = '\\', .df = df, .err = err};
	size_t cins = 0, clines = 0;
	int rc = -1;

	const char *nul = memchr(text, 0, len);
	if (nul) {
		int line = 1;
		const char *ls = text;
		for (const char *c = text; c < nul; c++)
			if (*c == '\n') {
				line++;
				ls = c + 1;
			}
		perr(&p, line, (int)(nul - ls) + 1, "binary data (NUL byte): not a Dockerfile");
		goto out;
	}
	size_t off = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		off = 3; /* UTF-8 byte order mark */
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t e = nl ? (size_t)(nl - text) : len;
		struct line L = {text + off, e - off};
		if (L.len && L.s[L.len - 1] == '\r')
			L.len--;
		SHP_PUSH(p.lines, p.nlines, clines, L);
		off = e + 1;
	}

	/* Parser directives: only at the very top. */
	while (p.i < p.nlines) {
		int d = directive(&p, &p.lines[p.i]);
		if (d < 0)
			goto out;
		if (!d)
			break;
		p.i++;
	}
	df->escape = p.esc;

	while (p.i < p.nlines) {
		const struct line *L = &p.lines[p.i];
		size_t k = skip_ws(L->s, L->len, 0);
		if (k >= L->len) {
			p.i++;
			continue;
		}
		if (L->s[k] == '#') {
			pragma(&p, L->s + k + 1, L->len - k - 1);
			p.i++;
			continue;
		}
		if (is_template_line(L)) {
			df->templated = 1;
			p.i++;
			continue;
		}
		if (L->len - k >= 2 && L->s[k] == '{' && L->s[k + 1] == '{' && !memmem(L->s + k, L->len - k, "}}", 2)) {
			/* A template block over several lines: skipped to its closing braces. */
			df->templated = 1;
			while (++p.i < p.nlines && !memmem(p.lines[p.i].s, p.lines[p.i].len, "}}", 2))
				;
			p.i++;
			continue;
		}
		if (df->n >= SHP_DF_MAX_INSTRUCTIONS) {
			perr(&p, (int)p.i + 1, 1, "more than %d instructions", SHP_DF_MAX_INSTRUCTIONS);
			goto out;
		}
		df->ins = shp_xgrow(df->ins, &cins, df->n + 1, sizeof *df->ins);
		struct shp_df_instr *in = &df->ins[df->n];
		memset(in, 0, sizeof *in);
		df->n++;
		in->stage = -1;
		in->ignores = steal_pointer(&p.pend_ignores);
		in->nignores = p.npend;
		p.npend = p.cpend = 0;
		if (read_instruction(&p, in) < 0)
			goto out;
		if (p.npstage) {
			/* Stage pragmas ride on the next instruction with a "stage:" prefix until
			 * the stages are known; see the loop after build_stages(). */
			for (size_t s = 0; s < p.npstage; s++) {
				char *id = shp_asprintf("stage:%s", p.pend_stage[s]);
				free(p.pend_stage[s]);
				in->ignores = shp_xrealloc(in->ignores, (in->nignores + 1) * sizeof(char *));
				in->ignores[in->nignores++] = id;
			}
			free(p.pend_stage);
			p.pend_stage = NULL;
			p.npstage = p.cpstage = 0;
		}
	}
	if (df->n == 0) {
		perr(&p, 1, 1, "%s", len ? "no instructions found" : "empty file: no instructions");
		goto out;
	}
	build_stages(df);
	/* Move "stage:" ignores from instructions to their stage. */
	for (size_t i = 0; i < df->n; i++) {
		struct shp_df_instr *in = &df->ins[i];
		size_t w = 0;
		for (size_t j = 0; j < in->nignores; j++) {
			if (!strncmp(in->ignores[j], "stage:", 6) && in->stage >= 0) {
				struct shp_df_stage *st = &df->stages[in->stage];
				st->ignores = shp_xrealloc(st->ignores, (st->nignores + 1) * sizeof(char *));
				st->ignores[st->nignores++] = shp_xstrdup(in->ignores[j] + 6);
				free(in->ignores[j]);
			} else
				in->ignores[w++] = in->ignores[j];
		}
		in->nignores = w;
	}
	*out = df;
	df = NULL;
	rc = 0;
out:
	free(p.lines);
	shp_buf_free(&p.lg);
	free(p.segs);
	free_strv(p.pend_ignores, p.npend);
	free_strv(p.pend_stage, p.npstage);
	shp_df_free(df);
	return rc;
}

void shp_df_free(struct shp_dockerfile *df)
{
	if (!df)
		return;
	for (size_t i = 0; i < df->n; i++)
		free_instr(&df->ins[i]);
	free(df->ins);
	for (size_t i = 0; i < df->nstages; i++) {
		struct shp_df_stage *s = &df->stages[i];
		free(s->image);
		free(s->resolved);
		free(s->alias);
		free(s->platform);
		free_strv(s->ignores, s->nignores);
	}
	free(df->stages);
	free(df->defs);
	for (size_t i = 0; i < df->naliases; i++)
		free(df->aliases[i].lower);
	free(df->aliases);
	free_strv(df->global_ignores, df->nglobal_ignores);
	shp_arena_free(&df->arena);
	free(df->syntax);
	free(df->path);
	free(df);
}

const char *shp_df_flag(const struct shp_df_instr *in, const char *name)
{
	for (size_t i = 0; i < in->nflags; i++)
		if (!strcmp(in->flags[i].name, name))
			return in->flags[i].value ? in->flags[i].value : "";
	return NULL;
}

int shp_df_has_flag(const struct shp_df_instr *in, const char *name) { return shp_df_flag(in, name) != NULL; }

char *shp_df_expand(const char *s, const char *(*lookup)(const char *, void *), void *arg, int *unresolved)
{
	struct shp_buf b = {0};
	shp_buf_puts(&b, "");
	while (*s) {
		if (*s == '\\' && s[1] == '$') {
			shp_buf_putc(&b, '$');
			s += 2;
			continue;
		}
		if (*s != '$') {
			shp_buf_putc(&b, *s++);
			continue;
		}
		const char *n = s + 1;
		if (*n == '{') {
			/* The matching brace: defaults may nest, ${A:-${B}}. */
			const char *close = NULL;
			int depth = 0;
			for (const char *c = n; *c; c++) {
				if (*c == '{')
					depth++;
				else if (*c == '}' && --depth == 0) {
					close = c;
					break;
				}
			}
			if (!close) {
				shp_buf_puts(&b, s);
				break;
			}
			const char *ne = n + 1;
			while (ne < close && (isalnum((unsigned char)*ne) || *ne == '_'))
				ne++;
			_cleanup_free_ char *name = shp_xstrndup(n + 1, (size_t)(ne - n - 1));
			const char *v = lookup(name, arg);
			const char *op = ne;
			int colon = *op == ':';
			if (colon)
				op++;
			_cleanup_free_ char *word =
				shp_xstrndup(op + (op < close ? 1 : 0), (size_t)(close - op - (op < close ? 1 : 0)));
			int set = v && (!colon || *v);
			if (op < close && *op == '-') {
				if (set)
					shp_buf_puts(&b, v);
				else {
					char *w = shp_df_expand(word, lookup, arg, unresolved);
					shp_buf_puts(&b, w);
					free(w);
				}
			} else if (op < close && *op == '+') {
				if (set) {
					char *w = shp_df_expand(word, lookup, arg, unresolved);
					shp_buf_puts(&b, w);
					free(w);
				}
			} else {
				if (v)
					shp_buf_puts(&b, v);
				else if (unresolved)
					*unresolved = 1;
			}
			s = close + 1;
			continue;
		}
		if (isalpha((unsigned char)*n) || *n == '_') {
			const char *ne = n;
			while (isalnum((unsigned char)*ne) || *ne == '_')
				ne++;
			_cleanup_free_ char *name = shp_xstrndup(n, (size_t)(ne - n));
			const char *v = lookup(name, arg);
			if (v)
				shp_buf_puts(&b, v);
			else if (unresolved)
				*unresolved = 1;
			s = ne;
			continue;
		}
		shp_buf_putc(&b, *s++);
	}
	return shp_buf_steal(&b);
}

char *shp_df_mount_opt(const char *mount, const char *key)
{
	size_t kl = strlen(key);
	const char *p = mount;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return shp_xstrndup(p + kl + 1, n - kl - 1);
		if (n == kl && !strncmp(p, key, kl))
			return shp_xstrdup("");
		p = e ? e + 1 : NULL;
	}
	return NULL;
}
