/* shell.c - see shell.h. A small lexer for the POSIX shell grammar's token level, then a
 * pass that groups words into simple commands. It is deliberately forgiving: a RUN body is
 * not ours to reject, and rules only need the command words. */
#include "dockerfile/shell.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Sanity limit: nesting of $(...) parsed for inner commands. */
#define MAX_SUBST_DEPTH 8

enum tok_type { T_WORD, T_AND, T_OR, T_SEMI, T_DSEMI, T_PIPE, T_AMP, T_NL, T_LPAREN, T_RPAREN, T_REDIR, T_EOF };

struct tok {
	enum tok_type t;
	char *text; /* T_WORD: word after quote removal; T_REDIR: the operator */
	int line;
	size_t off;    /* of its first byte in the text given to shp_sh_parse() */
	int assign_ok; /* word starts with an unquoted NAME= */
	int has_quotes;
};

struct pending_heredoc {
	char *delim;
	int strip_tabs;
};

/* The inner text of a $(...) or `...` (in the text being lexed), and its first line. */
struct subst {
	const char *text;
	size_t len;
	int line;
};

struct lexer {
	struct shp_arena *arena;
	struct shp_buf scratch; /* the word being lexed, reused */
	const char *text, *p, *end;
	size_t base; /* offset of text in the text given to shp_sh_parse() */
	int line;
	struct pending_heredoc hd[16];
	int nhd;
	struct subst *substs;
	size_t nsubsts, csubsts;
};

static int is_op_char(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

/* Returns a pointer just past the ')' matching an opening "$(" whose '(' is at p[-1]. */
static const char *skip_paren(const char *p, const char *end)
{
	int depth = 1;
	while (p < end) {
		char c = *p;
		if (c == '\\' && p + 1 < end) {
			p += 2;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
			p = q ? q + 1 : end;
			continue;
		}
		if (c == '"') {
			p++;
			while (p < end && *p != '"') {
				if (*p == '\\' && p + 1 < end)
					p++;
				p++;
			}
			if (p < end)
				p++;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

static void skip_heredoc_bodies(struct lexer *lx)
{
	for (int i = 0; i < lx->nhd; i++) {
		const char *d = lx->hd[i].delim;
		size_t dl = strlen(d);
		while (lx->p < lx->end) {
			const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			const char *le = nl ? nl : lx->end;
			const char *s = lx->p;
			if (lx->hd[i].strip_tabs)
				while (s < le && *s == '\t')
					s++;
			size_t l = (size_t)(le - s);
			if (l && s[l - 1] == '\r')
				l--;
			lx->p = nl ? nl + 1 : lx->end;
			lx->line++;
			if (l == dl && memcmp(s, d, dl) == 0)
				break;
		}
	}
	lx->nhd = 0;
}

static void add_subst(struct lexer *lx, const char *s, size_t n)
{
	struct subst sb = {s, n, lx->line};
	SHP_PUSH(lx->substs, lx->nsubsts, lx->csubsts, sb);
}

/* At $(...), ${...} or `...`: copies the expansion as written into b (quote removal does
 * not apply inside it), records a command substitution's text for parsing, and returns 1. */
static int lex_expansion(struct lexer *lx, struct shp_buf *b)
{
	const char *p = lx->p, *e, *end = lx->end;
	if (p + 1 < end && p[0] == '$' && p[1] == '(') {
		e = skip_paren(p + 2, end);
		if (p + 2 < end && p[2] != '(') /* not $(( arithmetic )) */
			add_subst(lx, p + 2, (size_t)(e > p + 3 ? e - p - 3 : 0));
	} else if (p + 1 < end && p[0] == '$' && p[1] == '{') {
		const char *q = memchr(p, '}', (size_t)(end - p));
		e = q ? q + 1 : end;
	} else if (p[0] == '`') {
		const char *q = memchr(p + 1, '`', (size_t)(end - p - 1));
		add_subst(lx, p + 1, (size_t)((q ? q : end) - p - 1));
		e = q ? q + 1 : end;
	} else
		return 0;
	for (const char *x = p; x < e; x++)
		if (*x == '\n')
			lx->line++;
	shp_buf_add(b, p, (size_t)(e - p));
	lx->p = e;
	return 1;
}

/* Bytes with no meaning to the lexer inside a word. */
static const unsigned char plain[256] = {
	/* 2: also a NAME character (assignments) */
	['a' ... 'z'] = 2, ['A' ... 'Z'] = 2, ['0' ... '9'] = 2, ['_'] = 2, ['-'] = 1,		 ['.'] = 1,
	['/'] = 1,	   [':'] = 1,	      [','] = 1,	 ['+'] = 1, ['='] = 1,		 ['@'] = 1,
	['%'] = 1,	   ['^'] = 1,	      ['~'] = 1,	 ['*'] = 1, ['?'] = 1,		 ['['] = 1,
	[']'] = 1,	   ['{'] = 1,	      ['}'] = 1,	 ['!'] = 1, [0x80 ... 0xff] = 1,
};

/* Bytes with a meaning inside double quotes. */
static const unsigned char dq_special[256] = {['"'] = 1, ['\\'] = 1, ['$'] = 1, ['`'] = 1, ['\n'] = 1};

/* Lexes one word starting at lx->p into tok. */
static void lex_word(struct lexer *lx, struct tok *t)
{
	/* Most words are one run of plain bytes ending at a blank or an operator: taken as
	 * they stand, without the scratch buffer. */
	const char *run = lx->p;
	while (run < lx->end && plain[(unsigned char)*run] == 2)
		run++;
	int simple = run == lx->end || *run != '='; /* else maybe NAME=...: decided below */
	if (simple)
		while (run < lx->end && plain[(unsigned char)*run] && *run != '=')
			run++;
	char stop = run < lx->end ? *run : ' ';
	if (simple && run > lx->p &&
	    (stop == ' ' || stop == '\t' || stop == '\n' || stop == '\r' || is_op_char(stop))) {
		t->t = T_WORD;
		t->assign_ok = t->has_quotes = 0;
		t->text = shp_arena_strndup(lx->arena, lx->p, (size_t)(run - lx->p));
		lx->p = run;
		return;
	}
	struct shp_buf b = lx->scratch; /* handed back below, so its memory is reused */
	shp_buf_reset(&b);
	const char *start = lx->p;
	int name_ok = 1; /* still within a possible NAME before '=' */
	t->assign_ok = 0;
	t->has_quotes = 0;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (plain[(unsigned char)c] && !(name_ok && c == '=')) {
			/* The common case: a run of ordinary bytes, copied at once. While the word
			 * may still be NAME=..., the run stops at '=' for the check below. */
			const char *r = lx->p;
			if (name_ok && r == start && isdigit((unsigned char)*r))
				name_ok = 0;
			if (name_ok) {
				while (r < lx->end && plain[(unsigned char)*r] == 2)
					r++;
				if (r < lx->end && *r != '=' && plain[(unsigned char)*r])
					name_ok = 0; /* a byte no NAME has: the run goes on below */
			}
			if (!name_ok)
				while (r < lx->end && plain[(unsigned char)*r])
					r++;
			shp_buf_add(&b, lx->p, (size_t)(r - lx->p));
			lx->p = r;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || is_op_char(c))
			break;
		if (name_ok) {
			if (c == '=' && lx->p > start) {
				t->assign_ok = 1;
				name_ok = 0;
			} else if (!(isalnum((unsigned char)c) || c == '_') ||
				   (lx->p == start && isdigit((unsigned char)c)))
				name_ok = 0;
		}
		if (c == '\'') {
			t->has_quotes = 1;
			const char *q = memchr(lx->p + 1, '\'', (size_t)(lx->end - lx->p - 1));
			const char *e = q ? q : lx->end;
			for (const char *x = lx->p + 1; x < e; x++)
				if (*x == '\n')
					lx->line++;
			shp_buf_add(&b, lx->p + 1, (size_t)(e - lx->p - 1));
			lx->p = q ? q + 1 : lx->end;
			continue;
		}
		if (c == '"') {
			t->has_quotes = 1;
			lx->p++;
			while (lx->p < lx->end && *lx->p != '"') {
				char d = *lx->p;
				if (!dq_special[(unsigned char)d]) {
					/* A run of bytes that mean nothing inside double quotes. */
					const char *r = lx->p;
					while (r < lx->end && !dq_special[(unsigned char)*r])
						r++;
					shp_buf_add(&b, lx->p, (size_t)(r - lx->p));
					lx->p = r;
					continue;
				}
				if (d == '\\' && lx->p + 1 < lx->end) {
					char n = lx->p[1];
					if (n == '\n') {
						lx->line++;
						lx->p += 2;
						continue;
					}
					if (n == '$' || n == '`' || n == '"' || n == '\\') {
						shp_buf_putc(&b, n);
						lx->p += 2;
						continue;
					}
				}
				if ((d == '$' || d == '`') && lex_expansion(lx, &b))
					continue;
				if (d == '\n')
					lx->line++;
				shp_buf_putc(&b, d);
				lx->p++;
			}
			if (lx->p < lx->end)
				lx->p++;
			continue;
		}
		if (c == '\\') {
			if (lx->p + 1 < lx->end) {
				if (lx->p[1] == '\n')
					lx->line++;
				else
					shp_buf_putc(&b, lx->p[1]);
				lx->p += 2;
			} else
				lx->p++;
			continue;
		}
		if (lex_expansion(lx, &b))
			continue;
		shp_buf_putc(&b, c);
		lx->p++;
	}
	t->t = T_WORD;
	t->text = shp_arena_strndup(lx->arena, b.data ? b.data : "", b.len);
	lx->scratch = b;
}

static void next_tok(struct lexer *lx, struct tok *t)
{
	t->text = NULL;
	for (;;) {
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
			lx->p++;
		if (lx->p + 1 < lx->end && lx->p[0] == '\\' && lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
			continue;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = nl ? nl : lx->end;
		}
		break;
	}
	t->line = lx->line;
	t->off = lx->base + (size_t)(lx->p - lx->text);
	if (lx->p >= lx->end) {
		t->t = T_EOF;
		return;
	}
	const char *p = lx->p;
	char c = *p;
	size_t rest = (size_t)(lx->end - p);
#define OP(str, type)                                                                                                  \
	if (rest >= sizeof(str) - 1 && memcmp(p, str, sizeof(str) - 1) == 0) {                                         \
		lx->p += sizeof(str) - 1;                                                                              \
		t->t = type;                                                                                           \
		return;                                                                                                \
	}
	if (c == '\n') {
		lx->p++;
		lx->line++;
		t->t = T_NL;
		skip_heredoc_bodies(lx);
		return;
	}
	if (plain[(unsigned char)c] && !(c >= '0' && c <= '9')) {
		lex_word(lx, t); /* the common case: no operator or redirection starts here */
		return;
	}
	/* Redirections, with an optional fd number before them. */
	const char *q = p;
	while (q < lx->end && isdigit((unsigned char)*q))
		q++;
	if ((q < lx->end && (*q == '<' || *q == '>')) || (c == '&' && rest > 1 && p[1] == '>')) {
		const char *o = q;
		if (c == '&')
			o = p + 1;
		int heredoc = 0, strip = 0;
		if (o + 2 < lx->end && o[0] == '<' && o[1] == '<' && o[2] == '<')
			o += 3;
		else if (o + 1 < lx->end && o[0] == '<' && o[1] == '<') {
			heredoc = 1;
			o += 2;
			if (o < lx->end && *o == '-') {
				strip = 1;
				o++;
			}
		} else {
			o++;
			if (o < lx->end && (*o == '>' || *o == '&' || *o == '|'))
				o++;
		}
		t->t = T_REDIR;
		t->text = shp_arena_strndup(lx->arena, p, (size_t)(o - p));
		lx->p = o;
		if (heredoc) {
			while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
				lx->p++;
			struct tok w;
			lex_word(lx, &w);
			if (lx->nhd < (int)(sizeof lx->hd / sizeof lx->hd[0])) {
				lx->hd[lx->nhd].delim = w.text;
				lx->hd[lx->nhd].strip_tabs = strip;
				lx->nhd++;
			}
		}
		return;
	}
	OP("&&", T_AND);
	OP("||", T_OR);
	OP(";;", T_DSEMI);
	OP(";&", T_DSEMI);
	OP(";", T_SEMI);
	OP("|&", T_PIPE);
	OP("|", T_PIPE);
	OP("&", T_AMP);
	OP("(", T_LPAREN);
	OP(")", T_RPAREN);
#undef OP
	lex_word(lx, t);
}

/* The reserved words that may start a command (and "time", "!", braces): a command that
 * begins with one is a compound's keyword, not a program. Checked on every command's first
 * word, so by length first. */
static int is_reserved(const char *w)
{
	switch (w[0] ? (w[1] ? (w[2] ? (w[3] ? (w[4] ? (w[5] ? 6 : 5) : 4) : 3) : 2) : 1) : 0) {
	case 1: return w[0] == '!' || w[0] == '{' || w[0] == '}';
	case 2: return !memcmp(w, "if", 2) || !memcmp(w, "fi", 2) || !memcmp(w, "do", 2);
	case 4:
		return !memcmp(w, "then", 4) || !memcmp(w, "else", 4) || !memcmp(w, "elif", 4) ||
		       !memcmp(w, "done", 4) || !memcmp(w, "esac", 4) || !memcmp(w, "time", 4);
	case 5: return !memcmp(w, "while", 5) || !memcmp(w, "until", 5);
	default: return 0;
	}
}

/* For "sudo apt-get ...", "env X=1 pip ...", "gosu app cmd", "xargs -r apt-get install":
 * the index of the wrapped command's program, or 0 when c is not such a wrapper. */
static size_t wrapped_start(struct shp_sh_cmd *c)
{
	/* The program's name and bit are worked out here, once, and kept for push_cmd(). */
	const char *slash = strrchr(c->argv[0], '/');
	const char *p = slash ? slash + 1 : c->argv[0];
	uint64_t b = shp_sh_prog_bit(p);
	c->prog = p;
	c->pbit = b;
	size_t i = 1;
	if (!(b & (SHP_P(SUDO) | SHP_P(DOAS) | SHP_P(ENV) | SHP_P(NICE) | SHP_P(NOHUP) | SHP_P(EXEC) | SHP_P(TIME) |
		   SHP_P(STDBUF) | SHP_P(TIMEOUT) | SHP_P(GOSU) | SHP_P(SU_EXEC) | SHP_P(CHROOT) | SHP_P(XARGS))))
		return 0;
	if (b & (SHP_P(SUDO) | SHP_P(DOAS))) {
		while (i < c->argc && c->argv[i][0] == '-') {
			const char *f = c->argv[i++];
			if (strlen(f) == 2 && strchr("ugCchpUrtT", f[1]))
				i++; /* the option's value */
		}
	} else if (b & SHP_P(ENV)) {
		while (i < c->argc && (c->argv[i][0] == '-' || strchr(c->argv[i], '=')))
			i++;
	} else if (b & SHP_P(XARGS)) {
		while (i < c->argc && c->argv[i][0] == '-') {
			const char *f = c->argv[i++];
			if (strlen(f) == 2 && strchr("adEILnPs", f[1]))
				i++; /* xargs -n 1, -I {} */
		}
	} else if (b & (SHP_P(GOSU) | SHP_P(SU_EXEC) | SHP_P(CHROOT))) {
		i = 2; /* user or root directory first */
	} else {
		while (i < c->argc && c->argv[i][0] == '-') {
			const char *f = c->argv[i++];
			if (!strcmp(f, "-n") || !strcmp(f, "-s") || !strcmp(f, "-k"))
				i++; /* nice -n 5, timeout -s KILL */
		}
		if (!strcmp(p, "timeout") && i < c->argc)
			i++; /* the duration */
	}
	return i < c->argc ? i : 0;
}

static void push_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested);

static void finish_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested)
{
	/* "sudo env X=1 cmd": each wrapper is a command, and so is what it runs, so rules
	 * see "apt-get" in "sudo apt-get" and the sudo rule still sees sudo. push_cmd()
	 * copies argv, so the wrapped part can be pointed to in place. */
	char **scratch = c->argv;
	size_t *wscratch = c->woff;
	size_t w;
	while (c->argc && (w = wrapped_start(c))) {
		char **rest = c->argv + w;
		size_t n = c->argc - w;
		int line = c->line, pin = c->pipe_in, pout = c->pipe_out;
		size_t off = c->off;
		size_t *woff = c->woff + w;
		push_cmd(s, c, nested);
		c->argv = rest;
		c->woff = woff;
		c->argc = n;
		c->line = line;
		c->off = off;
		c->pipe_in = pin ? 1 : 0;
		c->pipe_out = pout ? 1 : 0;
	}
	push_cmd(s, c, nested);
	c->argv = scratch;
	c->woff = wscratch;
}

/* Appends c to s, its argv and assigns copied into the arena (c's own arrays are the
 * parser's scratch and stay with the caller); c is cleared. */
static void push_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested)
{
	if (c->argc) {
		struct shp_sh_cmd out = *c;
		out.nested = nested ? 1 : 0;
		out.argv = shp_arena_alloc(&s->arena, (c->argc + 1) * sizeof(char *));
		memcpy(out.argv, c->argv, c->argc * sizeof(char *));
		out.argv[c->argc] = NULL;
		out.woff = shp_arena_memdup(&s->arena, c->woff, c->argc * sizeof(size_t));
		out.assigns =
			c->nassigns ? shp_arena_memdup(&s->arena, c->assigns, c->nassigns * sizeof(char *)) : NULL;
		s->pmask |= out.pbit; /* prog and pbit were set by wrapped_start() */
		SHP_PUSH(s->cmds, s->n, s->cap, out);
	}
	c->argc = c->nassigns = 0;
	c->pipe_in = c->pipe_out = c->nested = 0;
	c->line = 0;
	c->off = 0;
	c->prog = NULL;
	c->pbit = 0;
}

static void parse_depth(struct shp_sh_script *s, const char *text, size_t len, int depth, int line0, size_t base)
{
	struct lexer lx = {.arena = &s->arena, .text = text, .p = text, .end = text + len, .base = base, .line = line0};
	/* A word is rarely longer than the text it comes from: one allocation, not a growth. */
	lx.scratch.cap = len < 65536 ? len + 16 : 65536;
	lx.scratch.data = shp_xmalloc(lx.scratch.cap);
	struct shp_sh_cmd cur = {0};
	size_t cur_cap = 0, woff_cap = 0, as_cap = 0;
	int pipe_next = 0;
	enum { C_NONE, C_WORD, C_PATTERN } case_stack[16];
	int case_depth = 0;
	int skip_until_sep = 0; /* inside a for/select header */
	int skip_redir_target = 0;
	struct tok t;
	for (;;) {
		next_tok(&lx, &t);
		if (t.t == T_EOF)
			break;
		int in_pattern = case_depth > 0 && case_stack[case_depth - 1] == C_PATTERN;
		int in_caseword = case_depth > 0 && case_stack[case_depth - 1] == C_WORD;
		if (t.t == T_WORD && !t.has_quotes && (t.text[0] == ' ' || t.text[0] == '\t') &&
		    !t.text[strspn(t.text, " \t")]) {
			continue;
		}
		if (t.t == T_WORD) {
			if (skip_redir_target) {
				skip_redir_target = 0;
				continue;
			}
			if (in_caseword) {
				if (!strcmp(t.text, "in"))
					case_stack[case_depth - 1] = C_PATTERN;
				continue;
			}
			if (in_pattern) {
				if (!strcmp(t.text, "esac") && cur.argc == 0)
					case_depth--;
				continue;
			}
			if (skip_until_sep) {
				continue;
			}
			if (cur.argc == 0) {
				if (is_reserved(t.text)) {
					if (!strcmp(t.text, "esac") && case_depth > 0)
						case_depth--;
					continue;
				}
				if ((t.text[0] == 'f' && !strcmp(t.text, "for")) ||
				    (t.text[0] == 's' && !strcmp(t.text, "select"))) {
					skip_until_sep = 1;
					continue;
				}
				if (t.text[0] == 'c' && !strcmp(t.text, "case")) {
					if (case_depth < 16)
						case_stack[case_depth++] = C_WORD;
					continue;
				}
				if (t.assign_ok) {
					cur.assigns = shp_xgrow(cur.assigns, &as_cap, cur.nassigns + 1, sizeof(char *));
					cur.assigns[cur.nassigns++] = t.text;
					continue;
				}
				cur.line = t.line;
				cur.off = t.off;
				cur.pipe_in = pipe_next ? 1 : 0;
				pipe_next = 0;
			}
			cur.argv = shp_xgrow(cur.argv, &cur_cap, cur.argc + 2, sizeof(char *));
			cur.woff = shp_xgrow(cur.woff, &woff_cap, cur.argc + 1, sizeof(size_t));
			cur.woff[cur.argc] = t.off;
			cur.argv[cur.argc++] = t.text;
			continue;
		}
		if (t.t == T_REDIR) {
			/* "<<" already consumed its delimiter word; other redirections take the next one. */
			if (!(t.text[strspn(t.text, "0123456789")] == '<' && strstr(t.text, "<<") &&
			      !strstr(t.text, "<<<")))
				skip_redir_target = 1;
			continue;
		}
		skip_redir_target = 0;
		if (in_pattern) {
			if (t.t == T_RPAREN)
				case_stack[case_depth - 1] = C_NONE;
			continue;
		}
		if (skip_until_sep && (t.t == T_SEMI || t.t == T_NL))
			skip_until_sep = 0;
		if (t.t == T_PIPE) {
			if (cur.argc) {
				cur.pipe_out = 1;
				s->has_pipe = 1;
			} else if (s->n) {
				s->cmds[s->n - 1].pipe_out = 1;
				s->has_pipe = 1;
			}
			finish_cmd(s, &cur, depth > 0);
			pipe_next = 1;
			continue;
		}
		if (t.t == T_DSEMI && case_depth > 0) {
			finish_cmd(s, &cur, depth > 0);
			case_stack[case_depth - 1] = C_PATTERN;
			continue;
		}
		finish_cmd(s, &cur, depth > 0);
		if (t.t != T_LPAREN)
			pipe_next = 0;
	}
	finish_cmd(s, &cur, depth > 0);
	free(cur.argv);
	free(cur.woff);
	free(cur.assigns);
	shp_buf_free(&lx.scratch);
	for (size_t i = 0; i < lx.nsubsts && depth < MAX_SUBST_DEPTH; i++)
		parse_depth(s, lx.substs[i].text, lx.substs[i].len, depth + 1, lx.substs[i].line,
			    base + (size_t)(lx.substs[i].text - text));
	free(lx.substs);
}

void shp_sh_parse(struct shp_sh_script *s, const char *text, size_t len) { parse_depth(s, text, len, 0, 1, 0); }

void shp_sh_free(struct shp_sh_script *s)
{
	free(s->cmds);
	shp_arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}

static const char *const prog_names[] = {
#define SHP_PROG_NAME(id, name) name,
	SHP_PROGRAMS(SHP_PROG_NAME)
#undef SHP_PROG_NAME
};

/* Every command is looked up once: an open-addressing table over the exact names. */
#define PROG_SLOTS 256
static signed char prog_slot[PROG_SLOTS];
static pthread_once_t prog_once = PTHREAD_ONCE_INIT;

static unsigned prog_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void prog_init(void)
{
	memset(prog_slot, -1, sizeof prog_slot);
	for (int i = 0; i < SHP_PROG_COUNT; i++) {
		size_t l = strlen(prog_names[i]);
		if (prog_names[i][l - 1] == '*')
			l--; /* pip*, python*: found by their stem */
		unsigned h = prog_hash(prog_names[i], l) % PROG_SLOTS;
		while (prog_slot[h] >= 0)
			h = (h + 1) % PROG_SLOTS;
		prog_slot[h] = (signed char)i;
	}
}

uint64_t shp_sh_prog_bit(const char *prog)
{
	pthread_once(&prog_once, prog_init);
	size_t n = strlen(prog);
	/* pip3, pip3.12, python3: look the stem up ("pip", "python") */
	size_t stem = n;
	while (stem > 0 && (isdigit((unsigned char)prog[stem - 1]) || prog[stem - 1] == '.'))
		stem--;
	for (int pass = 0; pass < 2; pass++) {
		size_t l = pass ? stem : n;
		if (pass && (stem == n || stem == 0))
			break;
		for (unsigned h = prog_hash(prog, l) % PROG_SLOTS; prog_slot[h] >= 0; h = (h + 1) % PROG_SLOTS) {
			const char *name = prog_names[(int)prog_slot[h]];
			size_t nl = strlen(name);
			int wild = name[nl - 1] == '*';
			if (wild)
				nl--;
			if (nl == l && !memcmp(name, prog, l) && (!pass || wild))
				return (uint64_t)1 << prog_slot[h];
		}
	}
	return 0;
}

const char *shp_sh_prog(const struct shp_sh_cmd *c) { return c->prog ? c->prog : ""; }

int shp_sh_has_flag(const struct shp_sh_cmd *c, const char *flag)
{
	size_t fl = strlen(flag);
	int is_long = fl > 2 && flag[0] == '-' && flag[1] == '-';
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (!strcmp(w, "--"))
			break;
		if (is_long) {
			if (!strncmp(w, flag, fl) && (w[fl] == 0 || w[fl] == '='))
				return 1;
		} else if (fl == 2 && flag[0] == '-' && w[0] == '-' && w[1] != '-' && w[1]) {
			/* grouped short flags (-qy), not a short flag with its value (-oDpkg::...=yes) */
			const char *x = w + 1;
			while (isalnum((unsigned char)*x))
				x++;
			if (!*x && strchr(w + 1, flag[1]))
				return 1;
		} else if (!strcmp(w, flag))
			return 1;
	}
	return 0;
}

size_t shp_sh_next_arg(const struct shp_sh_cmd *c, size_t from)
{
	for (size_t i = from; i < c->argc; i++)
		if (c->argv[i][0] != '-')
			return i;
	return c->argc;
}
