/* shell.c - see shell.h. A small lexer for the POSIX shell grammar's token level, then a
 * pass that groups words into simple commands. It is deliberately forgiving: a RUN body is
 * not ours to reject, and rules only need the command words. */
#include "dockerfile/shell.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Sanity limit: nesting of $(...) parsed for inner commands. */
#define MAX_SUBST_DEPTH 8

enum tok_type { T_WORD, T_AND, T_OR, T_SEMI, T_DSEMI, T_PIPE, T_AMP, T_NL, T_LPAREN, T_RPAREN, T_REDIR, T_EOF };

struct tok {
	enum tok_type t;
	char *text;      /* T_WORD: word after quote removal; T_REDIR: the operator */
	int line;
	int assign_ok;   /* word starts with an unquoted NAME= */
	int has_quotes;
};

struct pending_heredoc {
	char *delim;
	int strip_tabs;
};

struct lexer {
	const char *p, *end;
	int line;
	struct pending_heredoc hd[16];
	int nhd;
	char **substs; /* inner texts of $(...) and `...` */
	size_t nsubsts, csubsts;
};

static int is_op_char(char c) { return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>'; }

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
		free(lx->hd[i].delim);
	}
	lx->nhd = 0;
}

static void add_subst(struct lexer *lx, const char *s, size_t n)
{
	SHP_PUSH(lx->substs, lx->nsubsts, lx->csubsts, shp_xstrndup(s, n));
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

/* Lexes one word starting at lx->p into tok. */
static void lex_word(struct lexer *lx, struct tok *t)
{
	struct shp_buf b = {0};
	const char *start = lx->p;
	int name_ok = 1; /* still within a possible NAME before '=' */
	t->assign_ok = 0;
	t->has_quotes = 0;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || is_op_char(c))
			break;
		if (name_ok) {
			if (c == '=' && lx->p > start) {
				t->assign_ok = 1;
				name_ok = 0;
			} else if (!(isalnum((unsigned char)c) || c == '_') || (lx->p == start && isdigit((unsigned char)c)))
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
				if (lex_expansion(lx, &b))
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
	t->text = shp_buf_steal(&b);
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
	if (lx->p >= lx->end) {
		t->t = T_EOF;
		return;
	}
	const char *p = lx->p;
	char c = *p;
	size_t rest = (size_t)(lx->end - p);
#define OP(str, type)                                                                                  \
	if (rest >= sizeof(str) - 1 && memcmp(p, str, sizeof(str) - 1) == 0) {                        \
		lx->p += sizeof(str) - 1;                                                              \
		t->t = type;                                                                           \
		return;                                                                                \
	}
	if (c == '\n') {
		lx->p++;
		lx->line++;
		t->t = T_NL;
		skip_heredoc_bodies(lx);
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
		t->text = shp_xstrndup(p, (size_t)(o - p));
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
			} else
				free(w.text);
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

static const char *const reserved[] = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until",
				       "!", "{", "}", "esac", "time", NULL};

static int is_reserved(const char *w)
{
	for (int i = 0; reserved[i]; i++)
		if (!strcmp(w, reserved[i]))
			return 1;
	return 0;
}

/* For "sudo apt-get ...", "env X=1 pip ...", "gosu app cmd": the index of the wrapped
 * command's program, or 0 when c is not such a wrapper. */
static size_t wrapped_start(const struct shp_sh_cmd *c)
{
	const char *p = strrchr(c->argv[0], '/') ? strrchr(c->argv[0], '/') + 1 : c->argv[0]; /* prog is set on push */
	size_t i = 1;
	if (!strcmp(p, "sudo") || !strcmp(p, "doas")) {
		while (i < c->argc && c->argv[i][0] == '-') {
			const char *f = c->argv[i++];
			if (strlen(f) == 2 && strchr("ugCchpUrtT", f[1]))
				i++; /* the option's value */
		}
	} else if (!strcmp(p, "env")) {
		while (i < c->argc && (c->argv[i][0] == '-' || strchr(c->argv[i], '=')))
			i++;
	} else if (!strcmp(p, "nice") || !strcmp(p, "nohup") || !strcmp(p, "exec") || !strcmp(p, "time") ||
		   !strcmp(p, "stdbuf") || !strcmp(p, "timeout")) {
		while (i < c->argc && c->argv[i][0] == '-') {
			const char *f = c->argv[i++];
			if (!strcmp(f, "-n") || !strcmp(f, "-s") || !strcmp(f, "-k"))
				i++; /* nice -n 5, timeout -s KILL */
		}
		if (!strcmp(p, "timeout") && i < c->argc)
			i++; /* the duration */
	} else if (!strcmp(p, "gosu") || !strcmp(p, "su-exec") || !strcmp(p, "chroot")) {
		i = 2; /* user or root directory first */
	} else
		return 0;
	return i < c->argc ? i : 0;
}

static void push_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested);

static void finish_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested)
{
	/* Wrappers nest ("sudo env X=1 cmd"), each level one command shorter. */
	while (c->argc) {
		size_t w = wrapped_start(c);
		if (!w)
			break;
		/* The wrapped command is a command of its own, so rules see "apt-get" in
		 * "sudo apt-get"; the wrapper stays for the rules about sudo itself. */
		struct shp_sh_cmd inner = {0};
		inner.argc = c->argc - w;
		inner.argv = shp_xcalloc(inner.argc + 1, sizeof(char *));
		for (size_t i = 0; i < inner.argc; i++)
			inner.argv[i] = shp_xstrdup(c->argv[w + i]);
		inner.line = c->line;
		inner.pipe_in = c->pipe_in;
		inner.pipe_out = c->pipe_out;
		push_cmd(s, c, nested);
		*c = inner;
	}
	push_cmd(s, c, nested);
}

static void push_cmd(struct shp_sh_script *s, struct shp_sh_cmd *c, int nested)
{
	if (c->argc == 0) {
		for (size_t i = 0; i < c->nassigns; i++)
			free(c->assigns[i]);
		free(c->assigns);
		free(c->argv);
		memset(c, 0, sizeof *c);
		return;
	}
	c->nested = nested ? 1 : 0;
	c->argv = shp_xrealloc(c->argv, (c->argc + 1) * sizeof(char *));
	c->argv[c->argc] = NULL;
	const char *sl = strrchr(c->argv[0], '/');
	c->prog = sl ? sl + 1 : c->argv[0];
	SHP_PUSH(s->cmds, s->n, s->cap, *c);
	memset(c, 0, sizeof *c);
}

static void parse_depth(struct shp_sh_script *s, const char *text, size_t len, int depth, int line0)
{
	struct lexer lx = {.p = text, .end = text + len, .line = line0};
	struct shp_sh_cmd cur = {0};
	size_t cur_cap = 0, as_cap = 0;
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
		if (t.t == T_WORD && !t.has_quotes && t.text[0] && !t.text[strspn(t.text, " \t")]) {
			free(t.text); /* only escaped blanks: "\ " left by a joined line */
			continue;
		}
		if (t.t == T_WORD) {
			if (skip_redir_target) {
				skip_redir_target = 0;
				free(t.text);
				continue;
			}
			if (in_caseword) {
				if (!strcmp(t.text, "in"))
					case_stack[case_depth - 1] = C_PATTERN;
				free(t.text);
				continue;
			}
			if (in_pattern) {
				if (!strcmp(t.text, "esac") && cur.argc == 0)
					case_depth--;
				free(t.text);
				continue;
			}
			if (skip_until_sep) {
				free(t.text);
				continue;
			}
			if (cur.argc == 0) {
				if (is_reserved(t.text)) {
					if (!strcmp(t.text, "esac") && case_depth > 0)
						case_depth--;
					free(t.text);
					continue;
				}
				if (!strcmp(t.text, "for") || !strcmp(t.text, "select")) {
					skip_until_sep = 1;
					free(t.text);
					continue;
				}
				if (!strcmp(t.text, "case")) {
					if (case_depth < 16)
						case_stack[case_depth++] = C_WORD;
					free(t.text);
					continue;
				}
				if (t.assign_ok) {
					cur.assigns = shp_xgrow(cur.assigns, &as_cap, cur.nassigns + 1, sizeof(char *));
					cur.assigns[cur.nassigns++] = t.text;
					continue;
				}
				cur.line = t.line;
				cur.pipe_in = pipe_next ? 1 : 0;
				pipe_next = 0;
			}
			cur.argv = shp_xgrow(cur.argv, &cur_cap, cur.argc + 2, sizeof(char *));
			cur.argv[cur.argc++] = t.text;
			continue;
		}
		if (t.t == T_REDIR) {
			/* "<<" already consumed its delimiter word; other redirections take the next one. */
			if (!(t.text[strspn(t.text, "0123456789")] == '<' && strstr(t.text, "<<") && !strstr(t.text, "<<<")))
				skip_redir_target = 1;
			free(t.text);
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
			cur_cap = as_cap = 0;
			pipe_next = 1;
			continue;
		}
		if (t.t == T_DSEMI && case_depth > 0) {
			finish_cmd(s, &cur, depth > 0);
			cur_cap = as_cap = 0;
			case_stack[case_depth - 1] = C_PATTERN;
			continue;
		}
		finish_cmd(s, &cur, depth > 0);
		cur_cap = as_cap = 0;
		if (t.t != T_LPAREN)
			pipe_next = 0;
	}
	finish_cmd(s, &cur, depth > 0);
	for (int i = 0; i < lx.nhd; i++)
		free(lx.hd[i].delim);
	for (size_t i = 0; i < lx.nsubsts; i++) {
		if (depth < MAX_SUBST_DEPTH)
			parse_depth(s, lx.substs[i], strlen(lx.substs[i]), depth + 1, line0);
		free(lx.substs[i]);
	}
	free(lx.substs);
}

void shp_sh_parse(struct shp_sh_script *s, const char *text, size_t len) { parse_depth(s, text, len, 0, 1); }

void shp_sh_free(struct shp_sh_script *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct shp_sh_cmd *c = &s->cmds[i];
		for (size_t j = 0; j < c->argc; j++)
			free(c->argv[j]);
		for (size_t j = 0; j < c->nassigns; j++)
			free(c->assigns[j]);
		free(c->argv);
		free(c->assigns);
	}
	free(s->cmds);
	memset(s, 0, sizeof *s);
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
			if (strchr(w + 1, flag[1]))
				return 1;
		} else if (!strcmp(w, flag))
			return 1;
	}
	return 0;
}

int shp_sh_has_word(const struct shp_sh_cmd *c, const char *w)
{
	for (size_t i = 0; i < c->argc; i++)
		if (!strcmp(c->argv[i], w))
			return 1;
	return 0;
}

size_t shp_sh_next_arg(const struct shp_sh_cmd *c, size_t from)
{
	for (size_t i = from; i < c->argc; i++)
		if (c->argv[i][0] != '-')
			return i;
	return c->argc;
}
